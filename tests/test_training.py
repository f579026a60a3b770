"""Training control: every solver on digits, divergence, babysitting, early
stopping, averaging, callbacks, history, the genetic solver."""

import pickle
import time
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning, FitFailedWarning
from sklearn.model_selection import RandomizedSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknn import DivergenceError, DivergenceWarning, MLPClassifier, MLPRegressor
from sknn.averaging import EMA
from sknn.optimizers import Genetic, solver_names, stochastic_solver_names

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def digits():
    return load_digits(return_X_y=True)


@pytest.fixture(scope="module")
def scaled_digits(digits):
    X, y = digits
    return StandardScaler().fit_transform(X)[:600], y[:600]


def small_data(n=150, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, 5))
    y = (X[:, 0] - X[:, 2] > 0).astype(int)
    return X, y


# ----------------------------------------------- every solver on the digits data
# One hidden layer of 32 ReLU units and 20 epochs for the gradient solvers, each
# at a learning rate suited to it; 'lbfgs' gets 50 iterations. 'genetic' trains
# a smaller network (16 tanh units, 20 vectors, 60 generations: about 1,100
# forward passes over the training fold per fit) and must reach 0.60 (it
# measured 0.68; 30 vectors and 80 generations give 0.78 at twice the cost): a
# gradient-free baseline, far behind the others.
DIGITS_SETTINGS = {
    "sgd": (dict(learning_rate_init=0.1), 0.93),
    "adam": (dict(learning_rate_init=0.01), 0.93),
    "adamw": (dict(learning_rate_init=0.01), 0.93),
    "nadam": (dict(learning_rate_init=0.01), 0.93),
    "adagrad": (dict(learning_rate_init=0.1), 0.93),
    "rmsprop": (dict(learning_rate_init=0.003), 0.93),
    "adadelta": ({}, 0.93),  # its own defaults: learning rate 1, rho 0.95, epsilon 1e-6
    "lion": (dict(learning_rate_init=3e-3), 0.93),
    "lbfgs": (dict(max_iter=50), 0.93),
    "genetic": (
        dict(hidden_layer_sizes=(16,), activation="tanh",
             solver=Genetic(population_size=20, mutation_scale=0.05), max_iter=60),
        0.60,
    ),
}


def test_digits_settings_cover_every_solver():
    assert set(DIGITS_SETTINGS) == set(solver_names())


@pytest.mark.parametrize("solver", sorted(DIGITS_SETTINGS))
def test_every_solver_learns_digits(solver, digits):
    X, y = digits
    settings, bar = DIGITS_SETTINGS[solver]
    params = dict(hidden_layer_sizes=(32,), max_iter=20, random_state=0, solver=solver)
    params.update(settings)
    model = make_pipeline(StandardScaler(), MLPClassifier(**params))
    start = time.perf_counter()
    scores = cross_val_score(model, X, y, cv=StratifiedKFold(5, shuffle=True, random_state=0))
    print(f"{solver}: {scores.mean():.4f} in {time.perf_counter() - start:.1f} s")
    assert scores.mean() >= bar


# ----------------------------------------------------------------- divergence
@pytest.mark.parametrize("solver, lr, threshold, cause", [
    ("sgd", 1e4, 100.0, "exceeded divergence_threshold=100 times"),
    ("adam", 1e3, 100.0, "exceeded divergence_threshold=100 times"),
    # log-sum-exp keeps the loss finite up to enormous weights; 1e200 overflows them
    ("sgd", 1e200, None, "non-finite"),
])
def test_huge_learning_rate_is_caught_in_the_first_epoch(solver, lr, threshold, cause,
                                                         scaled_digits):
    X, y = scaled_digits
    clf = MLPClassifier((16,), solver=solver, learning_rate_init=lr, random_state=0,
                        max_iter=5, divergence_threshold=threshold, on_divergence="raise")
    with pytest.raises(DivergenceError, match=cause) as info:
        clf.fit(X, y)
    message = str(info.value)
    assert "epoch 1," in message
    assert "learning_rate_init" in message and "StandardScaler" in message
    assert np.isfinite(clf.theta_).all()
    assert clf.loss_curve_ == []


def test_divergence_warn_restores_the_last_finite_parameters(scaled_digits):
    X, y = scaled_digits
    start = MLPClassifier((16,), max_iter=1, random_state=0, learning_rate_init=1e-300)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        initial = start.fit(X, y).theta_.copy()  # a rate of 1e-300 changes nothing
    clf = MLPClassifier((16,), solver="adam", learning_rate_init=1e3, random_state=0,
                        max_iter=5)  # on_divergence="warn", the default
    with pytest.warns(DivergenceWarning, match="epoch 1,"):
        clf.fit(X, y)
    assert clf.diverged_ is True
    assert_allclose(clf.theta_, initial, rtol=0, atol=1e-250)
    assert np.all(clf.training_state_["optimizer"]["m"] == 0) and clf.training_state_["optimizer"]["t"] == 0
    assert clf.n_iter_ == 0
    clf.predict(X)  # still a usable (untrained) model


def test_divergence_can_happen_in_a_later_epoch_and_restores_that_epoch(scaled_digits):
    X, y = scaled_digits
    clf = MLPClassifier((16,), solver="adam", learning_rate_init=1e-2, random_state=0,
                        on_divergence="warn", max_iter=2, warm_start=True)
    fit_quietly(clf, X, y)
    blown = clf.theta_.copy()
    clf.set_params(learning_rate_init=1e3, max_iter=10)
    with pytest.warns(DivergenceWarning, match="epoch 3,"):
        clf.fit(X, y)
    assert clf.n_iter_ == 0 and len(clf.loss_curve_) == 2 and clf.diverged_
    assert_array_equal(clf.theta_, blown)


def test_healthy_training_does_not_trip_the_guard(scaled_digits):
    X, y = scaled_digits
    clf = MLPClassifier((16,), batch_size=1, solver="sgd", learning_rate_init=0.01,
                        max_iter=3, random_state=0).fit(X, y)
    assert clf.diverged_ is False and clf.n_iter_ == 3


def test_divergence_threshold_none_keeps_the_non_finite_check(scaled_digits):
    X, y = scaled_digits
    clf = MLPClassifier((16,), solver="adam", learning_rate_init=1e3, random_state=0,
                        max_iter=2, divergence_threshold=None, on_divergence="raise")
    clf.fit(X, y)  # finite though absurd: allowed without the explosion check
    assert clf.loss_curve_[-1] > 100
    clf.set_params(solver="sgd", learning_rate_init=1e200)
    with pytest.raises(DivergenceError, match="non-finite"):
        clf.fit(X, y)


def test_overflow_in_the_last_update_restores_the_start_of_the_last_epoch(scaled_digits):
    """The guard sees only losses: an update that overflows after the last batch
    is caught at the end of the run, which rolls back to the last checkpoint."""
    X, y = scaled_digits
    clf = MLPClassifier((8,), solver="sgd", momentum=0.0, batch_size=len(X), max_iter=1,
                        learning_rate_init=1e-300, random_state=0, tol=0.0, warm_start=True)
    fit_quietly(clf, X * 1e3, y)
    start = clf.theta_.copy()
    clf.set_params(learning_rate_init=1e308)
    with pytest.raises(ValueError, match="non-finite parameter weights"):
        clf.fit(X * 1e3, y)  # epoch 2: a finite loss, then an infinite step
    assert len(clf.loss_curve_) == 2 and np.isfinite(clf.loss_curve_).all()
    assert_array_equal(clf.theta_, start)  # the start of epoch 2
    # the update rule starts afresh: the checkpoint keeps no copy of its state
    assert clf.training_state_["optimizer"]["t"] == 0


def test_huge_learning_rate_in_a_randomized_search(scaled_digits):
    X, y = scaled_digits
    search = RandomizedSearchCV(
        MLPClassifier((16,), max_iter=10, random_state=0, on_divergence="raise"),
        {"learning_rate_init": [1e3, 1e-2]},  # lists only: both are sampled
        n_iter=2, cv=2, random_state=0,
    )
    with pytest.warns(FitFailedWarning, match="DivergenceError: Training diverged in epoch 1,"):
        search.fit(X, y)
    scores = dict(zip(search.cv_results_["param_learning_rate_init"],
                      search.cv_results_["mean_test_score"]))
    assert np.isnan(scores[1e3])
    assert scores[1e-2] > 0.5  # ten classes: chance is 0.1
    assert search.best_params_ == {"learning_rate_init": 1e-2}


# ------------------------------------------------------------ babysitting
STATEFUL = sorted((*stochastic_solver_names(), "genetic"))


def fit_quietly(est, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(*args, **kwargs)


@pytest.mark.parametrize("solver", STATEFUL)
def test_partial_fit_n_times_equals_fit_with_n_epochs(solver):
    X, y = small_data()
    params = dict(hidden_layer_sizes=(6,), solver=solver, shuffle=False, random_state=0,
                  tol=0.0, learning_rate="exponential", learning_rate_init=0.01,
                  averaging=None if solver == "genetic" else "ema")
    if solver == "genetic":
        params["solver"] = Genetic(population_size=6)
    fitted = fit_quietly(MLPClassifier(max_iter=4, **params), X, y)
    partial = MLPClassifier(**params)
    for _ in range(4):
        partial.partial_fit(X, y, classes=[0, 1])
    assert_array_equal(partial.theta_, fitted.theta_)
    assert partial.loss_curve_ == fitted.loss_curve_
    if solver != "genetic":
        assert_array_equal(partial.theta_average_, fitted.theta_average_)


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_shuffled_loss_curve_equals_sklearns(solver, sparse, scaled_digits):
    """Drop-in guarantee: from scikit-learn's initial weights, with the same seed,
    sknn draws the same epoch permutations (scikit-learn permutes the previous
    epoch's order), cuts the same mini-batches and follows the same loss curve."""
    from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier
    from sklearn.neural_network import MLPRegressor as SklearnMLPRegressor

    X, y = scaled_digits
    X, y = X[:400], y[:400]
    if sparse:
        X = sp.csr_matrix(np.where(np.abs(X) > 1, X, 0))
    params = dict(hidden_layer_sizes=(16, 8), solver=solver, batch_size=48, max_iter=5,
                  shuffle=True, tol=0.0, n_iter_no_change=100, learning_rate_init=0.01,
                  random_state=3)
    pairs = [
        (MLPClassifier(weight_init="sklearn", **params), SklearnMLPClassifier(**params), y),
        (MLPRegressor(weight_init="sklearn", **params), SklearnMLPRegressor(**params),
         np.asarray(X[:, 3].todense()).ravel() if sparse else X[:, 3]),
    ]
    for ours, theirs, target in pairs:
        fit_quietly(ours, X, target)
        fit_quietly(theirs, X, target)
        assert len(ours.loss_curve_) == 5
        assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-12, atol=1e-14)


def test_warm_started_adam_continues_from_its_moments():
    X, y = small_data()
    params = dict(hidden_layer_sizes=(6,), shuffle=False, random_state=0, tol=0.0,
                  learning_rate_init=0.01)
    six = fit_quietly(MLPClassifier(max_iter=6, **params), X, y)
    warm = fit_quietly(MLPClassifier(max_iter=3, warm_start=True, **params), X, y)
    moments = warm.training_state_["optimizer"]["m"].copy()
    assert warm.training_state_["optimizer"]["t"] == 3 and np.any(moments != 0)
    fit_quietly(warm, X, y)
    assert warm.training_state_["optimizer"]["t"] == 6
    assert_array_equal(warm.theta_, six.theta_)
    # scikit-learn's behaviour, fresh moments at the second fit, ends elsewhere
    reset = fit_quietly(MLPClassifier(max_iter=3, warm_start=True, **params), X, y)
    reset.training_state_["solver"] = None
    fit_quietly(reset, X, y)
    assert not np.allclose(reset.theta_, six.theta_)


def test_pickle_keeps_the_training_state():
    X, y = small_data()
    clf = MLPClassifier((6,), solver="nadam", learning_rate="plateau", averaging="polyak",
                        random_state=0)
    for _ in range(3):
        clf.partial_fit(X, y, classes=[0, 1])
    copy = pickle.loads(pickle.dumps(clf))
    for est in (clf, copy):
        for _ in range(2):
            est.partial_fit(X, y)
    assert_array_equal(copy.theta_, clf.theta_)
    assert_array_equal(copy.theta_average_, clf.theta_average_)
    assert copy.history_[-1]["loss"] == clf.history_[-1]["loss"]


def test_clone_then_refit_equals_a_fresh_fit():
    X, y = small_data()
    clf = fit_quietly(MLPClassifier((6,), solver="adamw", max_iter=5, random_state=0), X, y)
    twice = fit_quietly(clone(clf), X, y)
    fresh = fit_quietly(MLPClassifier((6,), solver="adamw", max_iter=5, random_state=0), X, y)
    assert_array_equal(twice.theta_, fresh.theta_)
    assert twice.training_state_["optimizer"]["t"] == fresh.training_state_["optimizer"]["t"]


def test_clip_norm_bounds_each_step():
    X, y = small_data()
    clf = MLPClassifier((6,), solver="sgd", momentum=0.0, learning_rate_init=0.5,
                        batch_size=len(X), clip_norm=1e-3, random_state=0)
    clf.partial_fit(X, y, classes=[0, 1])
    start = clf.theta_.copy()
    clf.partial_fit(X, y)  # one full-batch step of vanilla SGD
    assert np.linalg.norm(clf.theta_ - start) == pytest.approx(0.5 * 1e-3, rel=1e-9)


# ------------------------------------------------------ early stopping monitor
def test_early_stopping_on_validation_loss_restores_the_best_parameters():
    X, y = small_data(300)
    snapshots = []
    clf = MLPClassifier((8,), early_stopping=True, scoring="loss", learning_rate_init=0.05,
                        n_iter_no_change=3, max_iter=200, random_state=0,
                        callbacks=[lambda est, record: snapshots.append(est.theta_.copy())])
    clf.fit(X, y)
    assert len(clf.validation_loss_curve_) == len(clf.validation_scores_) == clf.n_iter_
    assert_allclose(clf.validation_scores_, -np.array(clf.validation_loss_curve_))
    best = int(np.argmin(clf.validation_loss_curve_))
    assert best < clf.n_iter_ - 1  # it did stop after a worse stretch
    assert_array_equal(clf.theta_, snapshots[best])
    assert clf.best_validation_score_ == -clf.validation_loss_curve_[best]
    record = clf.history_[best]
    assert record["val_loss"] == clf.validation_loss_curve_[best]
    assert set(record) == {"epoch", "loss", "learning_rate", "time", "val_loss", "val_score",
                           "update_ratios"}


def test_warm_start_can_switch_early_stopping_on():
    X, y = small_data(300)
    clf = fit_quietly(MLPClassifier((8,), max_iter=3, warm_start=True, random_state=0), X, y)
    assert clf.validation_scores_ is None
    assert clf.training_state_["best_theta"] is None  # no copy of the parameters without early stopping
    fit_quietly(clf.set_params(early_stopping=True), X, y)
    assert len(clf.validation_scores_) == len(clf.validation_loss_curve_) == 3
    assert len(clf.history_) == 6 and "val_loss" in clf.history_[-1]
    assert_array_equal(clf.training_state_["best_theta"], clf.theta_)
    fit_quietly(clf.set_params(early_stopping=False), X, y)  # and off again
    assert len(clf.history_) == 9 and clf.best_loss_ == min(clf.loss_curve_[-3:])
    assert clf.training_state_["best_theta"] is None


def test_early_stopping_with_a_scorer_name_and_a_callable():
    X, y = small_data(300)
    clf = MLPClassifier((8,), early_stopping=True, scoring="neg_log_loss", max_iter=5,
                        random_state=0).fit(X, y)
    assert all(score < 0 for score in clf.validation_scores_)  # log loss, negated
    assert all(loss > 0 for loss in clf.validation_loss_curve_)
    calls = []

    def constant(est, X_val, y_val):
        calls.append(len(X_val))
        return 0.5

    clf = MLPClassifier((8,), early_stopping=True, scoring=constant, n_iter_no_change=2,
                        max_iter=50, random_state=0).fit(X, y)
    assert clf.n_iter_ == 4 and calls == [30] * 4  # no improvement after epoch 1


def test_regressor_validation_loss_is_the_objective_on_the_held_out_rows():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 3))
    y = X @ [1.0, -2.0, 0.5]
    reg = MLPRegressor(hidden_layer_sizes=(8,), early_stopping=True, alpha=0.0, max_iter=3, random_state=0,
                       n_iter_no_change=10).fit(X, y)
    # R^2 by default, and the validation loss is half the mean squared error
    assert reg.validation_scores_[-1] <= 1
    assert reg.validation_loss_curve_[-1] == pytest.approx(
        0.5 * np.mean((reg.predict(X) - y) ** 2), rel=0.5
    )


# ------------------------------------------------------------ averaging
def test_polyak_average_is_the_mean_of_the_iterates_and_predicts():
    X, y = small_data()
    iterates = []
    clf = MLPClassifier((6,), batch_size=len(X), averaging="polyak", max_iter=5,
                        learning_rate_init=0.05, random_state=0,
                        callbacks=(lambda est, record: iterates.append(est.theta_.copy()),))
    fit_quietly(clf, X, y)  # one step per epoch: the epoch ends are the iterates
    assert_allclose(clf.theta_average_, np.mean(iterates, axis=0), rtol=1e-12)
    plain = clone(clf).set_params(averaging=None, callbacks=None)
    fit_quietly(plain, X, y)
    assert_array_equal(plain.theta_, clf.theta_)  # averaging does not steer training
    assert plain.theta_average_ is None
    assert_array_equal(clf.coefs_[0], clf.theta_average_[: clf.coefs_[0].size].reshape(5, 6))
    before = dict(clf.__dict__)
    clf.predict(X)
    assert clf.__dict__.keys() == before.keys()


def test_ema_average_differs_from_the_last_iterate_and_is_used_to_predict():
    X, y = small_data()
    clf = fit_quietly(MLPClassifier((6,), averaging=EMA(decay=0.9), max_iter=10,
                                    learning_rate_init=0.05, random_state=0), X, y)
    assert not np.allclose(clf.theta_average_, clf.theta_)
    logits_avg = clf._network(clf.theta_average_).predict_logits(X)
    assert_array_equal(clf.predict(X), (logits_avg[:, 0] > 0).astype(int))


def test_early_stopping_scores_and_restores_the_average():
    X, y = small_data(300)
    averages = []
    clf = MLPClassifier((8,), early_stopping=True, scoring="loss", averaging=EMA(decay=0.5),
                        learning_rate_init=0.05, n_iter_no_change=3,
                        max_iter=200, random_state=0,
                        callbacks=[lambda est, r: averages.append(est.theta_average_.copy())])
    clf.fit(X, y)
    best = int(np.argmin(clf.validation_loss_curve_))
    assert best < clf.n_iter_ - 1
    assert_array_equal(clf.theta_average_, averages[best])
    assert clf.validation_loss_curve_[best] == -clf.best_validation_score_


# ------------------------------------------------------------ callbacks and history
def test_a_callback_can_stop_training_and_annotate_the_record():
    X, y = small_data()

    class StopAt:
        def __init__(self, epoch):
            self.epoch = epoch

        def __call__(self, est, record):
            record["note"] = "seen"
            return record["epoch"] == self.epoch

    clf = MLPClassifier((6,), max_iter=50, random_state=0, callbacks=(StopAt(2),)).fit(X, y)
    assert clf.n_iter_ == 3 and len(clf.history_) == 3
    assert all(record["note"] == "seen" for record in clf.history_)
    assert {"epoch", "loss", "learning_rate", "time"} <= set(clf.history_[0])
    assert [r["loss"] for r in clf.history_] == clf.loss_curve_
    cloned = clone(clf)
    assert cloned.callbacks[0].epoch == 2 and cloned.callbacks[0] is not clf.callbacks[0]


def test_callbacks_stop_lbfgs_too():
    X, y = small_data()
    seen = []
    clf = MLPClassifier((6,), solver="lbfgs", max_iter=100, random_state=0,
                        callbacks=lambda est, record: seen.append(record) or len(seen) == 4)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)  # a requested stop is no failure
        clf.fit(X, y)
    assert len(seen) == 4 and clf.n_iter_ == 4
    assert [r["loss"] for r in clf.history_] == clf.loss_curve_


# ------------------------------------------------------------ genetic solver
def test_genetic_best_loss_never_rises_and_keeps_its_population():
    X, y = small_data()
    clf = fit_quietly(MLPClassifier((4,), solver=Genetic(population_size=12), max_iter=15,
                                    random_state=0), X, y)
    assert np.all(np.diff(clf.loss_curve_) <= 0)  # elitism on fixed data
    assert clf.loss_curve_[-1] < clf.loss_curve_[0]
    population = clf.training_state_["optimizer"]["population"]
    assert population.shape == (12, clf.theta_.size) and population.dtype == clf.theta_.dtype
    assert clf.training_state_["optimizer"]["t"] == 15
    assert [r["mutation_scale"] for r in clf.history_] == [0.05] * 15
    assert hasattr(clf, "partial_fit")
    assert not hasattr(MLPClassifier(solver="lbfgs"), "partial_fit")


def test_genetic_with_float32_and_early_stopping():
    X, y = small_data(200)
    clf = MLPClassifier((4,), solver=Genetic(population_size=8), max_iter=30,
                        early_stopping=True, n_iter_no_change=3, random_state=0)
    fit_quietly(clf, X.astype(np.float32), y)
    assert clf.theta_.dtype == np.float32
    assert clf.training_state_["optimizer"]["population"].dtype == np.float32
    assert len(clf.validation_scores_) == clf.n_iter_ <= 30


# ------------------------------------------- an interrupted L-BFGS run (issue 8)
def test_lbfgs_callback_exception_leaves_the_last_recorded_iterate():
    X, y = small_data()
    iterates = []

    def fail_at_third(est, record):
        iterates.append(est.theta_.copy())
        if len(iterates) == 3:
            raise RuntimeError("callback failed")

    clf = MLPClassifier((6,), solver="lbfgs", max_iter=50, random_state=0,
                        callbacks=fail_at_third)
    with pytest.raises(RuntimeError, match="callback failed"):
        clf.fit(X, y)
    assert clf.n_iter_ == len(clf.loss_curve_) == 3
    assert_array_equal(clf.theta_, iterates[-1])
    assert clf.loss_ == clf.loss_curve_[-1]
    assert np.isfinite(clf.predict_proba(X)).all()


@pytest.mark.parametrize("calls", [1, 7, 12])
def test_lbfgs_keyboard_interrupt_keeps_the_model_consistent(calls, monkeypatch):
    """Ctrl-C arrives in an objective evaluation, perhaps in a line search whose
    trial point is in theta: the model goes back to the last recorded iterate
    (the initial weights when no iteration was recorded)."""
    from sknn._network import Objective

    X, y = small_data()
    iterates = []
    flat = Objective.flat
    evaluated = []

    def interrupted_flat(self, theta, *args):
        evaluated.append(np.array(theta, copy=True))
        if len(evaluated) > calls:
            self.network.theta[...] = 1e300  # a trial point far away, then Ctrl-C
            raise KeyboardInterrupt
        return flat(self, theta, *args)

    monkeypatch.setattr(Objective, "flat", interrupted_flat)
    clf = MLPClassifier((6,), solver="lbfgs", max_iter=50, random_state=0,
                        callbacks=lambda est, record: iterates.append(est.theta_.copy()))
    with pytest.warns(UserWarning, match="Training interrupted by user"):
        clf.fit(X, y)
    assert clf.n_iter_ == len(clf.loss_curve_) == len(iterates)
    assert (clf.n_iter_ == 0) == (calls == 1)
    assert_array_equal(clf.theta_, iterates[-1] if iterates else evaluated[0])
    assert np.isfinite(clf.predict_proba(X)).all()
