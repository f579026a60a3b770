"""Components as objects: nested parameters, searches, defaults, registration, drivers."""

import pickle
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_array_equal
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import sknn
from sknn import MLPClassifier, MLPRegressor
from sknn._compat import InvalidParameterError
from sknn._registry import REGISTRIES
from sknn.activations import LeakyReLU, Mish
from sknn.initializers import SklearnUniform
from sknn.optimizers import LBFGS, SGD, Adadelta, Adam, Genetic, Lion
from sknn.schedules import Cosine, Step

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def small_data(n=80, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, 4))
    return X, (X[:, 0] + X[:, 1] > 0).astype(int)


# ------------------------------------------------------- parameter protocol
def test_nested_parameters_are_visible_and_settable():
    est = MLPClassifier((4,), solver=Adam(beta_2=0.99), learning_rate=Step(factor=0.2),
                        max_iter=5, random_state=0)
    params = est.get_params(deep=True)
    assert params["solver__beta_2"] == 0.99 and params["learning_rate__factor"] == 0.2
    est.set_params(solver__beta_2=0.95)
    assert est.solver.beta_2 == 0.95
    X, y = small_data()
    a = clone(est).fit(X, y)
    b = clone(est).set_params(solver__beta_2=0.5).fit(X, y)
    assert a.loss_curve_ != b.loss_curve_  # the nested value reaches training


def test_clone_gives_independent_components():
    est = MLPClassifier(solver=Adam(beta_1=0.8), activation=(LeakyReLU(0.2), "tanh"))
    copy = clone(est)
    assert copy.solver is not est.solver and copy.solver.get_params() == est.solver.get_params()
    copy.set_params(solver__beta_1=0.5)
    assert est.solver.beta_1 == 0.8


@given(
    solver=st.sampled_from([Adam(beta_1=0.7), SGD(momentum=0.3), Lion(), Genetic(population_size=4)]),
    schedule=st.sampled_from([Cosine(), Step(step_size=2), "constant"]),
)
def test_fit_never_mutates_the_objects_passed(solver, schedule):
    init = SklearnUniform()
    before = [c.get_params() for c in (solver, init) + ((schedule,) if not isinstance(schedule, str) else ())]
    X, y = small_data(40)
    est = MLPClassifier((3,), solver=solver, learning_rate=schedule, weight_init=init, max_iter=3,
                        random_state=0)
    est.fit(X, y)
    after = [c.get_params() for c in (solver, init) + ((schedule,) if not isinstance(schedule, str) else ())]
    assert before == after  # Cosine().max_iter stays None, SklearnUniform().factor too
    assert est.solver is solver


def test_a_search_over_component_objects():
    X, y = small_data(120)
    grid = [
        {"solver": [Adam()], "solver__beta_1": [0.8, 0.9]},
        {"solver": [SGD(learning_rate_init=0.05)], "solver__momentum": [0.5, 0.9]},
    ]
    search = GridSearchCV(MLPClassifier((5,), max_iter=20, random_state=0), grid, cv=2)
    search.fit(X, y)
    seen = {(type(p["solver"]).__name__, p.get("solver__beta_1", p.get("solver__momentum")))
            for p in search.cv_results_["params"]}
    assert seen == {("Adam", 0.8), ("Adam", 0.9), ("SGD", 0.5), ("SGD", 0.9)}
    best = search.best_estimator_.solver
    assert type(best).__name__ == type(search.best_params_["solver"]).__name__
    assert search.best_estimator_.score(X, y) > 0.5


def test_a_search_inside_a_pipeline_reaches_nested_component_parameters():
    X, y = small_data(120)
    pipe = make_pipeline(StandardScaler(), MLPClassifier((5,), solver=Lion(), max_iter=20,
                                                             random_state=0))
    search = GridSearchCV(pipe, {"mlpclassifier__solver__learning_rate_init": [1e-3, 1e-2]}, cv=2)
    search.fit(X, y)
    assert search.best_estimator_[-1].solver.learning_rate_init in (1e-3, 1e-2)


# --------------------------------------------------------- component defaults
def test_adadelta_with_nothing_else_set_trains_digits_as_well_as_adam(digits_split):
    X_train, X_test, y_train, y_test = digits_split
    scores = {}
    for solver in ("adam", "adadelta", Adadelta()):
        est = MLPClassifier((32,), solver=solver, max_iter=30, random_state=0)
        scores[repr(solver)] = est.fit(X_train, y_train).score(X_test, y_test)
    assert scores["'adadelta'"] == scores["Adadelta()"]
    assert scores["'adadelta'"] >= scores["'adam'"] - 0.02, scores


@pytest.mark.parametrize("name, cls, defaults", [
    ("adadelta", Adadelta, {"learning_rate_init": 1.0, "rho": 0.95, "epsilon": 1e-6}),
    ("lion", Lion, {"learning_rate_init": 1e-4, "beta_1": 0.9, "beta_2": 0.99}),
    ("adam", Adam, {"learning_rate_init": 1e-3, "beta_1": 0.9, "beta_2": 0.999}),
])
def test_a_name_builds_the_component_with_its_own_defaults(name, cls, defaults):
    X, y = small_data()
    by_name = MLPClassifier((4,), solver=name, max_iter=5, random_state=0).fit(X, y)
    by_object = MLPClassifier((4,), solver=cls(), max_iter=5, random_state=0).fit(X, y)
    assert by_name.loss_curve_ == by_object.loss_curve_
    assert {k: cls().get_params()[k] for k in defaults} == defaults


def test_flat_scikit_learn_parameters_set_a_component_given_by_name():
    X, y = small_data()
    flat = MLPClassifier((4,), solver="sgd", momentum=0.5, learning_rate_init=0.05,
                         max_iter=5, random_state=0).fit(X, y)
    nested = MLPClassifier((4,), solver=SGD(momentum=0.5, learning_rate_init=0.05),
                           max_iter=5, random_state=0).fit(X, y)
    assert flat.loss_curve_ == nested.loss_curve_
    # at scikit-learn's default, beta_2=0.999 leaves Lion's own 0.99 alone
    lion = MLPClassifier((4,), solver="lion", max_iter=5, random_state=0).fit(X, y)
    ours = MLPClassifier((4,), solver=Lion(beta_2=0.99), max_iter=5, random_state=0).fit(X, y)
    assert lion.loss_curve_ == ours.loss_curve_


def test_a_flat_parameter_that_conflicts_with_an_object_is_refused():
    X, y = small_data()
    with pytest.raises(InvalidParameterError, match=r"beta_1=0.5 is set on the estimator.*solver__beta_1"):
        MLPClassifier(solver=Adam(), beta_1=0.5).fit(X, y)
    with pytest.raises(InvalidParameterError, match="solver__max_fun"):
        MLPClassifier(solver=LBFGS(), max_fun=10).fit(X, y)


# --------------------------------------------- Lion and Mish, by name and object
@pytest.mark.parametrize("activation", ["mish", Mish()])
@pytest.mark.parametrize("solver", ["lion", Lion(learning_rate_init=1e-3)])
def test_lion_and_mish_train(solver, activation, digits_split):
    X_train, X_test, y_train, y_test = digits_split
    est = MLPClassifier((32,), solver=solver, activation=activation, max_iter=30,
                        learning_rate_init=3e-3 if solver == "lion" else 0.001,
                        random_state=0).fit(X_train, y_train)
    assert est.score(X_test, y_test) > 0.9
    assert np.isfinite(est.theta_).all()


# ----------------------------------------------------------- registration
@pytest.fixture
def registered():
    """Registers test components and removes them afterwards."""
    added = []

    def add(kind, name, cls):
        sknn.register(kind, name)(cls)
        added.append((kind, name))
        return cls

    yield add
    for kind, name in added:
        del REGISTRIES["optimizer" if kind == "solver" else kind]._entries[name]


def test_a_component_registered_after_import_is_accepted_by_name(registered):
    class HalfStepSGD(SGD):
        """SGD at half the learning rate."""

        def step(self, theta, grad, state, lr):
            super().step(theta, grad, state, lr / 2)

    class Halve(sknn.activations.Activation):
        """f(z) = z / 2."""

        def forward(self, z):
            return z / 2

        def backward(self, z, a, da):
            return da / 2

    registered("optimizer", "half_sgd", HalfStepSGD)
    registered("activation", "halve", Halve)
    X, y = small_data()
    for activation in ("halve", ("relu", "halve")):
        est = MLPClassifier((3, 3), solver="half_sgd", activation=activation, max_iter=3,
                            random_state=0).fit(X, y)
        assert len(est.loss_curve_) == 3
    assert "halve" in sknn.activations.ACTIVATIONS.names()


def test_register_refuses_a_class_of_the_wrong_kind():
    with pytest.raises(TypeError, match="subclass of Solver"):
        sknn.register("optimizer", "not_a_solver")(dict)
    with pytest.raises(ValueError, match="Unknown kind"):
        sknn.register("widget", "x")


def test_unknown_names_suggest_the_closest_and_list_the_rest():
    X, y = small_data()
    with pytest.raises(InvalidParameterError, match=r"Did you mean 'adam'\?.*Valid options"):
        MLPClassifier(solver="Adma").fit(X, y)
    with pytest.raises(InvalidParameterError, match=r"'learning_rate' parameter.*'cosine'"):
        MLPClassifier(learning_rate="cosin").fit(X, y)


# ------------------------------------------------------------- driver table
def test_partial_fit_availability_comes_from_the_driver():
    assert not hasattr(MLPClassifier(solver="lbfgs"), "partial_fit")
    assert not hasattr(MLPRegressor(solver=LBFGS()), "partial_fit")
    assert hasattr(MLPClassifier(solver=Genetic()), "partial_fit")
    assert hasattr(MLPClassifier(solver=Lion()), "partial_fit")


@pytest.mark.parametrize("solver, params, match", [
    ("lbfgs", dict(max_norm=3.0), "max_norm is a projection"),
    ("lbfgs", dict(averaging="ema"), "averaging acts on the iterates"),
    (Genetic(population_size=4), dict(dropout=0.5), "scores whole parameter vectors"),
    (Genetic(population_size=4), dict(averaging="polyak"), "keeps its best vector"),
])
def test_unsupported_features_are_refused_naming_why(solver, params, match):
    X, y = small_data()
    with pytest.raises(ValueError, match=match):
        MLPClassifier((3,), solver=solver, **params).fit(X, y)


# ---------------------------------------------------------- training state
def _plain(value):
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, (np.ndarray, int, float, str, bool, np.number))


@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs", Genetic(population_size=4)])
def test_the_training_state_is_one_plain_structure(solver):
    X, y = small_data()
    est = MLPClassifier((3,), solver=solver, max_iter=3, early_stopping=solver == "adam",
                        random_state=0).fit(X, y)
    assert _plain(est.training_state_)
    assert est.loss_curve_ is est.training_state_["loss_curve"]
    restored = pickle.loads(pickle.dumps(est))
    assert restored.training_state_["t"] == est.training_state_["t"]


def test_predict_is_pure_and_reuses_one_network():
    X, y = small_data()
    est = MLPClassifier((3,), max_iter=3, random_state=0).fit(X, y)
    before = pickle.dumps(est)
    network = est._inference_network()
    est.predict_proba(X[:1])
    est.predict(X)
    assert est._inference_network() is network
    assert pickle.dumps(est) == before
    restored = pickle.loads(before)
    assert "_inference_cache" not in restored.__dict__
    assert_array_equal(restored.predict_proba(X), est.predict_proba(X))


# --------------------------------------------------------------- callbacks
@pytest.mark.parametrize("returned, stops", [(True, True), (np.True_, True), (1, False),
                                             ("stop", False), (None, False), (False, False)])
def test_a_callback_stops_only_when_it_returns_true(returned, stops):
    X, y = small_data()
    est = MLPClassifier((3,), max_iter=5, callbacks=lambda est, record: returned).fit(X, y)
    assert est.n_iter_ == (1 if stops else 5)


@pytest.mark.parametrize("callbacks, error, match", [
    ([1], TypeError, "callbacks must be a callable"),
    ("print", TypeError, "'callbacks' parameter of MLPClassifier"),
])
def test_bad_callbacks_are_refused_before_training(callbacks, error, match):
    X, y = small_data()
    est = MLPClassifier((3,), max_iter=2, callbacks=callbacks)
    with pytest.raises(error, match=match):
        est.fit(X, y)
    assert not hasattr(est, "theta_")  # refused before anything was trained


def test_set_params_of_a_component_between_partial_fits_keeps_the_optimizer_state():
    X, y = small_data()
    est = MLPClassifier((3,), solver=Adam(), shuffle=False, random_state=0)
    est.partial_fit(X, y, classes=[0, 1])
    t = est.training_state_["optimizer"]["t"]
    est.set_params(solver__beta_1=0.5).partial_fit(X, y)
    assert est.training_state_["optimizer"]["t"] == 2 * t  # moments continue
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est.set_params(solver=SGD()).partial_fit(X, y)
    assert "velocity" in est.training_state_["optimizer"]  # a new solver: new state


def test_register_accepts_solver_as_the_kind_of_optimizers(registered):
    class Plain(SGD):
        """SGD again."""

    registered("solver", "plain_sgd", Plain)
    assert sknn.optimizers.OPTIMIZERS.get("plain_sgd") is Plain


def test_momentum_one_with_bias_correction_is_refused_naming_momentum():
    X, y = small_data()
    with pytest.raises(ValueError, match="momentum=1 with momentum_bias_correction"):
        MLPClassifier((3,), solver=SGD(momentum=1.0, momentum_bias_correction=True)).fit(X, y)
    est = MLPClassifier((3,), solver=SGD(momentum=1.0), max_iter=2, random_state=0).fit(X, y)
    assert np.isfinite(est.theta_).all()  # without the correction, momentum 1 is allowed
