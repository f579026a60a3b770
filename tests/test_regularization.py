"""Estimator-level tests of issue 4: penalties, max-norm, dropout, batch norm,
PReLU and maxout, and how they combine with solvers, losses, initializers,
partial_fit, warm_start, early stopping and float32.
"""

import re
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import load_digits, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import check_param_validation

from sknn import MLPClassifier, MLPRegressor
from sknn import _network
from sknn._compat import InvalidParameterError
from sknn.activations import ACTIVATIONS, Maxout, PReLU
from sknn.diagnostics import check_gradients
from sknn.initializers import initializer_names
from sknn.optimizers import solver_names
from sknn.penalties import penalty_value_and_grad

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

#: every issue-4 feature at once (maxout and PReLU, batch norm on one layer)
EVERYTHING = dict(
    hidden_layer_sizes=(6, 5), activation=("maxout", "prelu"), batch_norm=(True, False),
    dropout=(0.1, 0.2), input_dropout=0.1, alpha=1e-3, l1=1e-3, max_norm=3.0,
)


def digits(n=300):
    X, y = load_digits(return_X_y=True)
    return StandardScaler().fit_transform(X)[:n], y[:n]


def regression(n=80):
    X, y = make_regression(n, 6, noise=1.0, random_state=0)
    return StandardScaler().fit_transform(X), y / y.std()


def small_classification(n=60):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(n, 5))
    return X, (X[:, 0] + X[:, 1] > 0).astype(int) + (X[:, 2] > 1)


# ------------------------------------------------------------- gradient checks
GRADIENT_CASES = {
    "batch_norm": (MLPClassifier, dict(activation="tanh", batch_norm=True)),
    "batch_norm_weighted": (MLPRegressor, dict(activation="tanh", batch_norm=(False, True))),
    "prelu": (MLPClassifier, dict(activation=PReLU(negative_slope=0.2))),
    "maxout": (MLPClassifier, dict(activation=Maxout(pieces=3))),
    "l1_l2": (MLPClassifier, dict(activation="tanh", alpha=0.5, l1=0.3)),
    "dropout": (MLPClassifier, dict(activation="tanh", dropout=0.3, input_dropout=0.2)),
    "everything": (MLPRegressor, dict(EVERYTHING, hidden_layer_sizes=(6, 5))),
}


@pytest.mark.parametrize("case", GRADIENT_CASES)
def test_check_gradients_below_1e_6(case):
    Estimator, params = GRADIENT_CASES[case]
    params = {"hidden_layer_sizes": (7, 5), "random_state": 0, **params}
    X, y = (regression() if Estimator is MLPRegressor else digits())
    sample_weight = np.random.RandomState(1).uniform(0.5, 2, len(y)) if "weighted" in case else None
    estimator = Estimator(**params).set_params(max_iter=2, solver="adam")
    epsilon = 1e-5
    if not estimator.l1:  # L1 has a kink at w = 0, where training puts weights: the start
        estimator.fit(X, y)
    report = check_gradients(estimator, X, y, sample_weight, n_samples=12, epsilon=epsilon)
    assert report.max_relative_error < 1e-6, str(report)
    # every parameter array was checked, scales, shifts and slopes included
    expected = {"gamma", "beta"} if "batch_norm" in case or case == "everything" else set()
    expected |= {"slope"} if case in ("prelu", "everything") else set()
    assert expected <= {key.split(".")[-1] for key in report.relative_errors}


def test_check_gradients_finds_a_wrong_penalty_gradient(monkeypatch):
    """The gradient check is sharp enough to see a penalty gradient off by 10%."""
    X, y = digits()

    def wrong(weights, grad_out, *, alpha, l1, total_weight, **switches):
        value = penalty_value_and_grad(weights, grad_out, alpha=alpha, l1=l1,
                                       total_weight=total_weight, **switches)
        grad_out += 0.1 * alpha * weights / total_weight
        return value

    monkeypatch.setattr(_network, "penalty_value_and_grad", wrong)
    report = check_gradients(MLPClassifier((5,), alpha=1.0, random_state=0), X, y)
    assert report.max_relative_error > 1e-3


# ------------------------------------------------------------------ penalties
def objective_at(estimator, X, y, **params):
    """The estimator's objective at its fitted theta, with other penalty settings."""
    est = MLPClassifier(**{**estimator.get_params(), **params})
    Xp, Y, sw, _, loss, arch = estimator._prepare(X, y, None, incremental=True, reset=False)
    network = _network.Network(_network.build_layers(arch), np.float64,
                               estimator.theta_.copy(), estimator.buffers_.copy())
    objective = est._objective(network, loss)
    value = objective(Xp, Y, sw, rng=np.random.RandomState(0))
    return value, network


def test_penalties_act_on_connection_weights_only():
    X, y = digits(100)
    est = MLPClassifier(**{**EVERYTHING, "max_norm": None}, max_iter=3, random_state=0).fit(X, y)
    plain, net = objective_at(est, X, y, alpha=0.0, l1=0.0)
    plain_grad = net.grad.copy()
    alpha, l1 = 2.0, 3.0
    value, net = objective_at(est, X, y, alpha=alpha, l1=l1)
    W = np.concatenate([w.ravel() for w in est.coefs_])
    n = X.shape[0]
    assert_allclose(value - plain, (0.5 * alpha * W @ W + l1 * np.abs(W).sum()) / n, rtol=1e-10)
    difference = net.grad - plain_grad
    for layer, name, part in net.layout.slices():
        role = next(s.role for s in net.layout.slots if s.start == part.start)
        if role == "weight":
            w = net.theta[part]
            assert_allclose(difference[part], (alpha * w + l1 * np.sign(w)) / n, rtol=1e-8)
        else:  # biases, batch-norm gamma/beta, PReLU slopes
            assert name in ("b", "gamma", "beta", "slope")
            assert_array_equal(difference[part], 0.0)


def test_penalty_is_in_the_reported_loss():
    X, y = digits(150)
    est = MLPClassifier((10,), solver="lbfgs", alpha=0.5, l1=0.2, max_iter=20,
                        random_state=0).fit(X, y)
    with_penalty, _ = objective_at(est, X, y)
    without, _ = objective_at(est, X, y, alpha=0.0, l1=0.0)
    assert est.loss_ == pytest.approx(with_penalty, rel=1e-10)
    assert with_penalty > without


@pytest.mark.parametrize("penalty", [dict(alpha=2.0), dict(l1=0.5), dict(alpha=1.0, l1=0.5)])
def test_adding_regularization_raises_the_training_loss(penalty):
    X, y = digits()
    common = dict(hidden_layer_sizes=(20,), max_iter=30, random_state=0, alpha=0.0)
    plain = MLPClassifier(**common).fit(X, y)
    regularized = MLPClassifier(**{**common, **penalty}).fit(X, y)
    assert regularized.loss_ > plain.loss_ + 0.05


def test_l1_gives_many_more_near_zero_weights_than_l2():
    X, y = digits(600)
    common = dict(hidden_layer_sizes=(20,), max_iter=30, learning_rate_init=0.01, random_state=0)
    fractions = {}
    for name, penalty in (("l2", dict(alpha=1.0)), ("l1", dict(alpha=0.0, l1=1.0))):
        est = MLPClassifier(**common, **penalty).fit(X, y)
        W = np.concatenate([w.ravel() for w in est.coefs_])
        fractions[name] = np.mean(np.abs(W) < 1e-2)
        assert est.score(X, y) > 0.9
    assert fractions["l1"] > 3 * fractions["l2"]
    assert fractions["l1"] > 0.4


def test_penalty_of_a_zero_weight_batch_is_zero():
    weights, grad = np.ones(3), np.zeros(3)
    assert penalty_value_and_grad(weights, grad, alpha=1.0, l1=1.0, total_weight=0.0) == 0.0
    assert_array_equal(grad, 0.0)


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_mini_batches_of_zero_weight_rows_train():
    X, y = small_classification(20)
    sample_weight = np.r_[np.zeros(10), np.ones(10)]
    for params in (dict(), dict(batch_norm=True, alpha=1.0, l1=1.0)):
        est = MLPClassifier((5,), batch_size=2, shuffle=False, max_iter=3, random_state=0,
                            **params).fit(X, y, sample_weight=sample_weight)
        assert np.isfinite(est.theta_).all() and np.isfinite(est.loss_curve_).all()


# ------------------------------------------------------------------- max-norm
def test_max_norm_holds_after_every_update(monkeypatch):
    X, y = digits()
    c = 0.5
    calls, worst = [], []
    apply = _network.Objective.apply_constraints

    def recording(self):
        apply(self)
        calls.append(1)
        worst.append(max(np.linalg.norm(W, axis=0).max() for W in self.network.hidden_weights()))

    monkeypatch.setattr(_network.Objective, "apply_constraints", recording)
    est = MLPClassifier((20, 10), solver="sgd", learning_rate_init=0.1, batch_size=64,
                        max_iter=5, max_norm=c, random_state=0).fit(X, y)
    assert len(calls) == est.n_iter_ * int(np.ceil(X.shape[0] / 64))
    assert max(worst) <= c * (1 + 1e-12)
    assert all(np.linalg.norm(W, axis=0).max() <= c * (1 + 1e-12) for W in est.coefs_[:-1])
    assert np.linalg.norm(est.coefs_[-1], axis=0).max() > 2 * c  # the output layer is free
    # the bound was active: unconstrained, the same fit has longer weight vectors
    free = MLPClassifier((20, 10), solver="sgd", learning_rate_init=0.1, batch_size=64,
                         max_iter=5, random_state=0).fit(X, y)
    assert max(np.linalg.norm(W, axis=0).max() for W in free.coefs_[:-1]) > 2 * c
    est.partial_fit(X, y)
    assert all(np.linalg.norm(W, axis=0).max() <= c * (1 + 1e-12) for W in est.coefs_[:-1])


@pytest.mark.parametrize("solver", ["lbfgs", "genetic"])
def test_max_norm_is_refused_without_stochastic_updates(solver):
    X, y = small_classification()
    with pytest.raises(ValueError, match="max_norm"):
        MLPClassifier(solver=solver, max_norm=3.0).fit(X, y)


def test_averaging_with_batch_norm_and_early_stopping_is_refused():
    X, y = small_classification()
    with pytest.raises(ValueError, match="averaging with batch_norm and early_stopping"):
        MLPClassifier((4,), batch_norm=True, averaging="ema", early_stopping=True).fit(X, y)


@pytest.mark.parametrize(
    "params", [dict(dropout=0.2), dict(input_dropout=0.1), dict(batch_norm=(False, True))]
)
def test_genetic_solver_refuses_training_mode_layers(params):
    X, y = small_classification()
    with pytest.raises(ValueError, match="solver='genetic' scores whole parameter vectors"):
        MLPClassifier((4, 4), solver="genetic", **params).fit(X, y)


# -------------------------------------------------------------------- dropout
def test_lbfgs_with_dropout_is_deterministic_and_regularizes():
    X, y = regression()
    params = dict(hidden_layer_sizes=(10,), solver="lbfgs", max_iter=50, random_state=0)
    a = MLPRegressor(dropout=0.3, **params).fit(X, y)
    b = MLPRegressor(dropout=0.3, **params).fit(X, y)
    plain = MLPRegressor(**params).fit(X, y)
    assert_array_equal(a.theta_, b.theta_)
    assert not np.allclose(a.theta_, plain.theta_)
    # a deterministic objective: L-BFGS never reports an increase
    assert np.all(np.diff(a.loss_curve_) <= 1e-12)


def test_dropout_fits_are_reproducible_and_seeded():
    X, y = small_classification()
    params = dict(hidden_layer_sizes=(8,), dropout=0.5, input_dropout=0.2, max_iter=5)
    a = MLPClassifier(random_state=0, **params).fit(X, y)
    b = MLPClassifier(random_state=0, **params).fit(X, y)
    c = MLPClassifier(random_state=1, **params).fit(X, y)
    assert_array_equal(a.theta_, b.theta_)
    assert not np.array_equal(a.theta_, c.theta_)
    # prediction is deterministic (dropout off)
    assert_array_equal(a.predict_proba(X), a.predict_proba(X))


# ----------------------------------------------------------------- batch norm
def test_batch_norm_prediction_is_pure_and_batch_independent():
    X, y = digits()
    est = MLPClassifier((20, 10), batch_norm=True, dropout=0.1, max_iter=5, random_state=0)
    est.fit(X, y)
    buffers, theta = est.buffers_.copy(), est.theta_.copy()
    proba = est.predict_proba(X[:30])
    one_by_one = np.vstack([est.predict_proba(X[i : i + 1]) for i in range(30)])
    assert_allclose(one_by_one, proba, rtol=1e-12, atol=1e-15)
    assert_allclose(est.predict_proba(X[:30][::-1]), proba[::-1], rtol=1e-12, atol=1e-15)
    assert_array_equal(est.buffers_, buffers)
    assert_array_equal(est.theta_, theta)
    # the running statistics were learnt (not the initial 0 and 1)
    assert est.buffers_.size == 2 * (20 + 10) + 2
    assert not np.allclose(est.buffers_[:20], 0.0)


def test_batch_norm_trailing_batch_of_one_row():
    X, y = digits(201)  # batches of 200 and 1
    est = MLPClassifier((10,), batch_norm=True, max_iter=5, random_state=0).fit(X, y)
    assert np.isfinite(est.loss_curve_).all() and np.isfinite(est.predict_proba(X)).all()
    counts = est.buffers_[-1:]
    assert_array_equal(counts, est.n_iter_)  # one update per epoch: the 1-row batch skipped


def test_batch_norm_drops_the_dense_bias_and_keeps_attributes_meaningful():
    X, y = small_classification()
    est = MLPClassifier((8, 4), batch_norm=(True, False), max_iter=3, random_state=0).fit(X, y)
    assert [c.shape for c in est.coefs_] == [(5, 8), (8, 4), (4, 3)]
    assert [i.shape for i in est.intercepts_] == [(8,), (4,), (3,)]
    assert_array_equal(est.intercepts_[0], 0.0)
    assert not np.allclose(est.intercepts_[1], 0.0)
    plain = MLPClassifier((8, 4), max_iter=3, random_state=0).fit(X, y)
    assert est.theta_.size == plain.theta_.size - 8 + 2 * 8  # bias -> gamma and beta


def test_maxout_doubles_the_parameters_and_coefs_group_pieces():
    X, y = small_classification()
    relu = MLPClassifier((8,), max_iter=3, random_state=0).fit(X, y)
    maxout = MLPClassifier((8,), activation="maxout", max_iter=3, random_state=0).fit(X, y)
    hidden = lambda est: est.coefs_[0].size + est.intercepts_[0].size  # noqa: E731
    assert hidden(maxout) == 2 * hidden(relu)
    assert maxout.coefs_[0].shape == (5, 16) and maxout.coefs_[1].shape == (8, 3)
    # unit j outputs the max of columns 2j and 2j + 1
    Z = X @ maxout.coefs_[0] + maxout.intercepts_[0]
    logits = Z.reshape(len(X), 8, 2).max(axis=2) @ maxout.coefs_[1] + maxout.intercepts_[1]
    assert_allclose(maxout.predict_proba(X), np.exp(logits) / np.exp(logits).sum(1, keepdims=True))


def test_prelu_slopes_are_learnt():
    X, y = digits()
    est = MLPClassifier((10,), activation=PReLU(negative_slope=0.25), max_iter=10,
                        random_state=0).fit(X, y)
    network = est._network()
    slopes = next(layer.params["slope"] for layer in network.layers if "slope" in layer.params)
    assert slopes.shape == (10,) and not np.allclose(slopes, 0.25)


# ------------------------------------------------------------- combinations
@pytest.mark.parametrize("solver", solver_names())
@pytest.mark.parametrize(
    "feature",
    [dict(batch_norm=True), dict(dropout=0.3, input_dropout=0.1), dict(activation="prelu"),
     dict(activation="maxout"), dict(l1=0.01, alpha=0.01, max_norm=2.0), EVERYTHING],
    ids=["batch_norm", "dropout", "prelu", "maxout", "penalties", "everything"],
)
def test_every_solver(solver, feature):
    if solver in ("lbfgs", "genetic"):  # no stochastic updates to project (tested above)
        feature = {k: v for k, v in feature.items() if k != "max_norm"}
    if solver == "genetic":  # inference-mode scoring: refused (tested above)
        feature = {k: v for k, v in feature.items()
                   if k not in ("batch_norm", "dropout", "input_dropout")}
    X, y = small_classification()
    est = MLPClassifier(**{"hidden_layer_sizes": (6,), **feature}, solver=solver, max_iter=5,
                        random_state=0).fit(X, y)
    assert np.isfinite(est.theta_).all() and np.isfinite(est.predict_proba(X)).all()


@pytest.mark.parametrize("loss", ["log_loss", "hinge", "squared_error", "absolute_error",
                                  "huber", "poisson"])
def test_every_loss(loss):
    if loss in ("log_loss", "hinge"):
        X, y = small_classification()
        est = MLPClassifier(loss=loss, max_iter=5, random_state=0, **EVERYTHING)
    else:
        X, y = regression()
        y = np.abs(y) if loss == "poisson" else y
        est = MLPRegressor(loss=loss, max_iter=5, random_state=0, **EVERYTHING)
    assert np.isfinite(est.fit(X, y).predict(X).astype(float)).all()


@pytest.mark.parametrize("weight_init", initializer_names())
def test_every_initializer(weight_init):
    X, y = small_classification()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # 'zeros' warns, by design
        est = MLPClassifier(weight_init=weight_init, max_iter=3, random_state=0, **EVERYTHING)
        est.fit(X, y)
    assert np.isfinite(est.predict_proba(X)).all()


def test_partial_fit_and_warm_start_continue_training():
    X, y = small_classification()
    est = MLPClassifier(random_state=0, **EVERYTHING)
    for _ in range(3):
        est.partial_fit(X, y, classes=np.unique(y))
    assert est.buffers_[-1] >= 3 and est.n_iter_ == 1
    warm = MLPClassifier(random_state=0, warm_start=True, max_iter=3, **EVERYTHING).fit(X, y)
    theta = warm.theta_.copy()
    warm.set_params(dropout=0.0, input_dropout=0.0, batch_norm_momentum=0.5).fit(X, y)
    assert not np.array_equal(warm.theta_, theta)  # continued, with the new rates
    assert warm._arch["dropout"] == (0.0, 0.0)
    with pytest.raises(ValueError, match="architecture changed"):
        warm.set_params(batch_norm=False).fit(X, y)
    with pytest.raises(ValueError, match="architecture changed"):
        warm.set_params(batch_norm=(True, False), activation=("maxout", Maxout(pieces=3))).fit(X, y)


def test_early_stopping_restores_the_buffers_with_the_best_parameters():
    X, y = digits()
    snapshots = []

    def record(est, epoch_record):  # called at every epoch end, after validation
        snapshots.append((epoch_record["val_score"], est.theta_.copy(), est.buffers_.copy()))

    est = MLPClassifier((20,), batch_norm=True, dropout=0.2, early_stopping=True,
                        learning_rate_init=0.05, n_iter_no_change=3, max_iter=40,
                        callbacks=(record,), random_state=0).fit(X, y)
    best = int(np.argmax([score for score, _, _ in snapshots]))
    assert best < len(snapshots) - 1  # the best epoch is not the last one
    assert_array_equal(est.theta_, snapshots[best][1])
    assert_array_equal(est.buffers_, snapshots[best][2])


def test_float32_keeps_its_dtype_and_agrees_with_float64():
    X, y = regression()
    params = dict(random_state=0, max_iter=20, learning_rate_init=0.01,
                  **{**EVERYTHING, "hidden_layer_sizes": (10, 8)})
    est32 = MLPRegressor(**params).fit(X.astype(np.float32), y.astype(np.float32))
    est64 = MLPRegressor(**params).fit(X, y)
    assert est32.theta_.dtype == est32.buffers_.dtype == np.float32
    assert est32.predict(X.astype(np.float32)).dtype == np.float32
    assert_allclose(est32.predict(X), est64.predict(X), rtol=1e-2, atol=1e-2)


# ---------------------------------------------------------------- validation
@pytest.mark.parametrize("Estimator", [MLPClassifier, MLPRegressor])
def test_sklearn_param_validation(Estimator):
    check_param_validation(Estimator.__name__, Estimator())


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(dropout=(0.1,)), "dropout has 1 entries but there are 2 hidden layers"),
        (dict(dropout=(0.1, 1.0)), re.escape("dropout must be a probability in [0, 1)")),
        (dict(dropout=(0.1, "a")), "dropout must be a probability"),
        (dict(batch_norm=(True,)), "batch_norm has 1 entries"),
        (dict(batch_norm=(True, 1)), "batch_norm must be a bool"),
        (dict(dropout=1.0), "The 'dropout' parameter of MLPClassifier must be"),
        (dict(input_dropout=-0.1), "The 'input_dropout' parameter"),
        (dict(batch_norm_momentum=1.0), "The 'batch_norm_momentum' parameter"),
        (dict(activation=Maxout(pieces=1)), "The 'pieces' parameter of Maxout"),
        (dict(l1=-1.0), "The 'l1' parameter"),
        (dict(max_norm=0.0), "The 'max_norm' parameter"),
    ],
)
def test_invalid_values_raise_at_fit_naming_the_parameter(params, match):
    X, y = small_classification()
    est = MLPClassifier((4, 3), **params)  # __init__ never raises
    with pytest.raises((ValueError, InvalidParameterError), match=match):
        est.fit(X, y)


def test_activation_names_come_from_the_registry():
    names = set(ACTIVATIONS.names())
    assert {"prelu", "maxout"} <= names
    for name in ("prelu", "maxout"):
        assert f"'{name}'" in MLPClassifier.__doc__ and f"'{name}'" in MLPRegressor.__doc__
    X, y = small_classification()
    with pytest.raises(ValueError, match="'maxout'.*'prelu'"):
        MLPClassifier((4, 3), activation=("relu", "nope")).fit(X, y)


@pytest.mark.parametrize("Estimator", [MLPClassifier, MLPRegressor])
def test_every_parameter_is_documented(Estimator):
    for name in Estimator().get_params():
        assert re.search(rf"^    {name} : ", Estimator.__doc__, re.MULTILINE), name
