"""Drop-in fidelity: with their defaults, sknn's estimators give scikit-learn's
numbers, splits, warnings and errors (issue 8)."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose
from sklearn import neural_network as sk
from sklearn.datasets import load_digits, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import MinMaxScaler, StandardScaler, scale

from sknn import DivergenceWarning, MLPClassifier, MLPRegressor

PAIRS = {"classifier": (MLPClassifier, sk.MLPClassifier),
         "regressor": (MLPRegressor, sk.MLPRegressor)}


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def fit_quietly(est, X, y, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(X, y, **kwargs)


def target(kind, X, y):
    if kind == "classifier":
        return y
    column = X[:, 10]
    return np.asarray(column.todense()).ravel() if sp.issparse(column) else column


# ------------------------------------------------- the defaults are sklearn's
@pytest.mark.parametrize("early_stopping", [False, True])
@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("solver", ["adam", "sgd"])
@pytest.mark.parametrize("kind", sorted(PAIRS))
def test_defaults_reproduce_sklearns_loss_curve(kind, solver, sparse, early_stopping, digits):
    """No weight_init given: the same initial weights, batches and updates as
    scikit-learn, hence the same loss curve (and validation scores)."""
    ours_cls, theirs_cls = PAIRS[kind]
    X, y = digits[0][:500], digits[1][:500]
    if sparse:
        X = sp.csr_matrix(np.where(np.abs(X) > 1, X, 0))
    params = dict(hidden_layer_sizes=(20,), solver=solver, max_iter=8, random_state=0,
                  early_stopping=early_stopping)
    ours = fit_quietly(ours_cls(**params), X, target(kind, X, y))
    theirs = fit_quietly(theirs_cls(**params), X, target(kind, X, y))
    assert len(ours.loss_curve_) == len(theirs.loss_curve_)
    assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-12)
    if early_stopping:
        assert_allclose(ours.validation_scores_, theirs.validation_scores_, rtol=1e-12)
    for a, b in zip(ours.coefs_, theirs.coefs_):
        assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def test_default_weight_init_is_sklearns():
    assert MLPClassifier().weight_init == "sklearn" == MLPRegressor().weight_init


def initial_loss(est, X, y):
    """The training objective of ``est``'s freshly initialized network."""
    Xp, Y, sw, _, loss, arch = est._prepare(X, y, None, incremental=False, reset=True)
    network = est._new_network(arch, np.float64, np.random.RandomState(est.random_state))
    return est._objective(network, loss).value(Xp, Y, sw)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_auto_init_starts_at_the_loss_of_uniform_predictions(seed, digits):
    """CS231n's sanity check: with small initial logits, softmax over 10 classes
    starts at -ln(1/10). He-scaled ReLU units feed the output layer inputs of
    second moment about 1, so a Glorot output layer (measured: 3.27) is far off."""
    X, y = digits
    est = MLPClassifier(weight_init="auto", random_state=seed)
    assert initial_loss(est, X, y) == pytest.approx(np.log(10), abs=0.15)


# ------------------------------------------- L-BFGS's max_fun, as sklearn tests it
def sklearn_test_data():
    """The datasets of scikit-learn's test_lbfgs_*_maxfun."""
    multi_X, multi_y = load_digits(n_class=3, return_X_y=True)
    binary_X, binary_y = load_digits(n_class=2, return_X_y=True)
    X_reg, y_reg = make_regression(n_samples=200, n_features=10, bias=20.0, noise=100.0,
                                   random_state=7)
    return {
        "multiclass": (MLPClassifier, MinMaxScaler().fit_transform(multi_X[:200]), multi_y[:200]),
        "binary": (MLPClassifier, MinMaxScaler().fit_transform(binary_X[:200]), binary_y[:200]),
        "regression": (MLPRegressor, X_reg, scale(y_reg)),
    }


@pytest.mark.parametrize("activation", ["identity", "logistic", "tanh", "relu"])
@pytest.mark.parametrize("data", ["multiclass", "binary", "regression"])
def test_lbfgs_reaching_max_fun_warns_like_sklearn(data, activation):
    """scikit-learn's test_lbfgs_classification_maxfun and _regression_maxfun."""
    cls, X, y = sklearn_test_data()[data]
    params = dict(solver="lbfgs", hidden_layer_sizes=50, max_iter=150, max_fun=10,
                  shuffle=True, random_state=1, activation=activation)
    if cls is MLPRegressor:
        params["tol"] = 0.0
    with pytest.warns(ConvergenceWarning, match="lbfgs failed to converge"):
        est = cls(**params).fit(X, y)
    assert est.n_iter_ <= 10
    theirs = fit_quietly(getattr(sk, cls.__name__)(**params), X, y)
    assert est.n_iter_ == theirs.n_iter_
    assert est.loss_ == pytest.approx(theirs.loss_, rel=1e-9)


# ------------------------------------------------------ divergence does not raise
def test_diverging_sgd_with_early_stopping_completes_like_sklearn():
    """scikit-learn's non-regression test for its issue 29504: the fit completes."""
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    mlp = MLPRegressor(hidden_layer_sizes=100, activation="identity", solver="sgd",
                       alpha=0.0001, learning_rate="constant", learning_rate_init=1,
                       shuffle=True, max_iter=20, early_stopping=True, n_iter_no_change=10,
                       random_state=0)
    cause = r"Training diverged in epoch \d+,.*learning rate 1;.*lower learning_rate_init"
    with pytest.warns(DivergenceWarning, match=cause):
        mlp.fit(X, y)
    assert mlp.diverged_ is True and mlp.on_divergence == "warn"
    assert all(np.isfinite(w).all() for w in mlp.coefs_ + mlp.intercepts_)
    assert np.isfinite(mlp.predict(X)).all()


def test_default_on_divergence_is_warn():
    assert MLPClassifier().on_divergence == "warn" == MLPRegressor().on_divergence


@pytest.mark.parametrize("learning_rate", ["invscaling", "adaptive"])
def test_sgd_schedules_reproduce_sklearn(learning_rate, digits):
    X, y = digits[0][:400], digits[1][:400]
    params = dict(hidden_layer_sizes=(20,), solver="sgd", learning_rate=learning_rate,
                  learning_rate_init=0.05, max_iter=25, batch_size=64, random_state=0)
    ours = fit_quietly(MLPClassifier(**params), X, y)
    theirs = fit_quietly(sk.MLPClassifier(**params), X, y)
    assert ours.n_iter_ == theirs.n_iter_
    assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-12)


@pytest.mark.parametrize("kind", sorted(PAIRS))
def test_lbfgs_defaults_reproduce_sklearn(kind, digits):
    ours_cls, theirs_cls = PAIRS[kind]
    X, y = digits[0][:300], digits[1][:300]
    params = dict(hidden_layer_sizes=(15,), solver="lbfgs", max_iter=30, random_state=0)
    ours = fit_quietly(ours_cls(**params), X, target(kind, X, y))
    theirs = fit_quietly(theirs_cls(**params), X, target(kind, X, y))
    assert ours.n_iter_ == theirs.n_iter_
    assert ours.loss_ == pytest.approx(theirs.loss_, rel=1e-9)
    for a, b in zip(ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_):
        assert_allclose(a, b, rtol=1e-6, atol=1e-9)
