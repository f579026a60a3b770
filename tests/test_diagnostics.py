"""sknn.diagnostics: per-layer gradient checks, sanity_check, activation_stats.

The initialization experiment of the notes (10 hidden layers of 500 units on
Gaussian input) is asserted here through ``activation_stats``.
"""

import copy
import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import load_digits
from sklearn.preprocessing import StandardScaler

import sknn.diagnostics
from sknn import MLPClassifier, MLPRegressor
from sknn.diagnostics import (
    ActivationStatsReport,
    SanityCheckReport,
    activation_stats,
    check_gradients,
    sanity_check,
)
from sknn.initializers import SmallNormal

from .strategies import activation_names

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

KEYS = {"layer", "activation", "mean", "std", "saturated", "dead", "values"}


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def blobs(n=60, n_features=4, n_classes=3, seed=0):
    rng = np.random.RandomState(seed)
    y = np.arange(n) % n_classes
    X = rng.randn(n, n_features) + 3 * np.eye(n_classes, n_features)[y]
    return X, y


def test_public_names():
    assert set(sknn.diagnostics.__all__) == {
        "ActivationStatsReport", "GradientCheckReport", "SanityCheckReport",
        "activation_stats", "check_gradients", "sanity_check",
    }
    assert all(not name.startswith("_") or name.startswith("__")
               for name in dir(sknn.diagnostics))


# ------------------------------------------------------------- check_gradients
def test_check_gradients_reports_every_layer_type():
    X, y = blobs(n_features=6)
    est = MLPClassifier(hidden_layer_sizes=(5, 4, 3), activation=["prelu", "maxout", "tanh"],
                        batch_norm=[True, False, True], random_state=0)
    report = check_gradients(est, X, y)
    types = [d["type"] for d in report.per_layer]
    assert types == ["Dense", "BatchNorm", "PReLULayer", "Dense", "MaxoutLayer", "Dense",
                     "BatchNorm", "ActivationLayer", "Dense"]
    assert [d["layer"] for d in report.per_layer] == list(range(9))
    by_type = {d["type"]: d for d in report.per_layer}
    assert by_type["BatchNorm"]["arrays"] == ["gamma", "beta"]
    assert by_type["PReLULayer"]["arrays"] == ["slope"]
    for d in report.per_layer:
        if d["arrays"]:
            assert 0 <= d["max_relative_error"] < 1e-5
            worst = max(report.relative_errors[f"{d['layer']}:{d['type']}.{a}"]
                        for a in d["arrays"])
            assert d["max_relative_error"] == worst
        else:  # ActivationLayer, MaxoutLayer: no parameters
            assert d["max_relative_error"] is None and d["n_checked"] == 0
    assert sum(d["n_checked"] for d in report.per_layer) == report.n_checked
    assert max(d["max_relative_error"] or 0 for d in report.per_layer) == report.max_relative_error
    text = str(report)
    assert "PReLULayer" in text and "MaxoutLayer" in text and "slope" in text


def test_check_gradients_per_layer_names_a_broken_layer(monkeypatch):
    """A wrong backward in one layer shows in that layer's row."""
    from sknn.layers import PReLULayer

    original = PReLULayer.backward

    def broken(self, dout, cache):
        dx = original(self, dout, cache)
        self.grads["slope"] *= 1.1
        return dx

    monkeypatch.setattr(PReLULayer, "backward", broken)
    X, y = blobs()
    report = check_gradients(MLPClassifier(hidden_layer_sizes=(6,), activation="prelu",
                                           random_state=0), X, y)
    rows = {d["type"]: d["max_relative_error"] for d in report.per_layer}
    assert rows["PReLULayer"] > 0.05
    assert rows["Dense"] < 1e-5  # the last Dense row (output layer) is still right


# ---------------------------------------------------------------- sanity_check
def test_sanity_check_classifier_auto_init(digits):
    X, y = digits
    est = MLPClassifier(weight_init="auto", alpha=1.0, dropout=0.3, random_state=0)
    before = copy.deepcopy(est.get_params())
    report = sanity_check(est, X, y)
    assert est.get_params() == before and not hasattr(est, "theta_")
    assert isinstance(report, SanityCheckReport)
    assert [c["check"] for c in report.checks] == [
        "initial_loss", "overfit_small_subset", "regularization_raises_loss"]
    initial = report["initial_loss"]
    assert initial["expected"] == pytest.approx(math.log(10))
    assert initial["value"] == pytest.approx(math.log(10), rel=0.03)  # measured 2.328
    assert initial["passed"] is True and report.passed
    assert report["overfit_small_subset"]["value"] == 1.0
    assert "20 rows" in report["overfit_small_subset"]["details"]
    assert report["regularization_raises_loss"]["value"] > initial["value"]
    data = report.as_dict()
    pickle.dumps(data)
    assert data["checks"][0]["value"] == initial["value"]
    text = str(report)
    for word in ("initial_loss", "overfit_small_subset", "regularization_raises_loss",
                 "pass", "ln C = ln 10"):
        assert word in text


def test_sanity_check_sklearn_init_starts_above_ln_c(digits):
    """scikit-learn's draw gives larger logits: measured 2.77 against ln 10 = 2.30."""
    X, y = digits
    report = sanity_check(MLPClassifier(random_state=0), X, y)
    initial = report["initial_loss"]
    assert 2.5 < initial["value"] < 3.0
    assert initial["passed"] is False and not report.passed
    assert "FAIL" in str(report)
    assert report["overfit_small_subset"]["passed"]


def test_sanity_check_binary_and_multilabel_expect_ln2_per_output():
    X, y = blobs(n_classes=2)
    report = sanity_check(MLPClassifier(weight_init="auto", random_state=0), X, y)
    assert report["initial_loss"]["expected"] == pytest.approx(math.log(2))
    assert report["initial_loss"]["passed"]
    Y = np.column_stack([y, 1 - y, (X[:, 2] > 0).astype(int)])
    report = sanity_check(MLPClassifier(weight_init="auto", random_state=0), X, Y)
    assert report["initial_loss"]["expected"] == pytest.approx(3 * math.log(2))
    assert report["initial_loss"]["passed"]
    assert report["overfit_small_subset"]["passed"]


def test_sanity_check_regressor():
    rng = np.random.RandomState(0)
    X = rng.randn(100, 5)
    y = X @ rng.randn(5)
    report = sanity_check(MLPRegressor(weight_init="auto", random_state=0), X, y)
    assert report["initial_loss"]["expected"] == pytest.approx(0.5 * np.mean(y**2))
    assert report["initial_loss"]["passed"]
    assert report["overfit_small_subset"]["value"] > 0.99
    assert report.passed


def test_sanity_check_fails_when_it_cannot_overfit():
    X, y = blobs()
    y = np.random.RandomState(1).randint(0, 3, len(y))  # random labels
    est = MLPClassifier(hidden_layer_sizes=(1,), random_state=0, weight_init="auto")
    check = sanity_check(est, X, y, n_overfit=30, overfit_max_iter=200)["overfit_small_subset"]
    assert check["passed"] is False and check["value"] < 1.0


def test_sanity_check_does_not_touch_a_fitted_estimator():
    X, y = blobs()
    est = MLPClassifier(hidden_layer_sizes=(8,), max_iter=50, random_state=0).fit(X, y)
    theta = est.theta_.copy()
    sanity_check(est, X, y, overfit_max_iter=100)
    np.testing.assert_array_equal(est.theta_, theta)
    assert est.n_iter_ == 50


def test_sanity_check_refuses_other_estimators():
    from sklearn.neural_network import MLPClassifier as SkMLP

    with pytest.raises(TypeError, match="sknn MLPClassifier"):
        sanity_check(SkMLP(), *blobs())


# ------------------------------------------------------------ activation_stats
def test_activation_stats_unfitted_and_fitted(digits):
    X, y = digits
    est = MLPClassifier(hidden_layer_sizes=(20, 10), activation=["tanh", "relu"],
                        max_iter=30, random_state=0)
    report = activation_stats(est, X, y, max_rows=500)
    assert not hasattr(est, "theta_")  # the estimator passed is not initialized
    assert isinstance(report, ActivationStatsReport)
    assert report.n_rows == 500 and report.trained is False
    assert [set(d) for d in report.layers] == [KEYS, KEYS]
    first, second = report.layers
    assert (first["layer"], first["activation"]) == (0, "tanh")
    assert (second["layer"], second["activation"]) == (1, "relu")
    assert first["values"].shape == (500, 20) and second["values"].shape == (500, 10)
    assert first["dead"] == 0.0 and second["saturated"] == 0.0
    assert first["saturated"] == np.mean(np.abs(first["values"]) > 0.99)
    assert second["dead"] == np.mean(second["values"] == 0) > 0.2
    assert first["mean"] == pytest.approx(first["values"].mean())
    assert first["std"] == pytest.approx(first["values"].std())
    # the same initial weights as fit draws: hidden layer 0 of a fresh initialize
    initialized = MLPClassifier(**est.get_params()).initialize(X, y)
    rows = np.sort(np.random.RandomState(0).choice(len(X), 500, replace=False))
    expected = np.tanh(X[rows] @ initialized.coefs_[0] + initialized.intercepts_[0])
    np.testing.assert_allclose(first["values"], expected)

    est.fit(X, y)
    theta = est.theta_.copy()
    fitted = activation_stats(est, X, max_rows=2000)
    np.testing.assert_array_equal(est.theta_, theta)
    assert fitted.trained is True and fitted.n_rows == len(X)
    np.testing.assert_allclose(
        fitted.layers[0]["values"], np.tanh(X @ est.coefs_[0] + est.intercepts_[0]))
    assert fitted.layers[0]["std"] != pytest.approx(first["std"])  # training moved it
    text = str(fitted)
    assert "tanh" in text and "relu" in text and "saturated" in text and "dead" in text


def test_activation_stats_logistic_saturation_and_layer_types():
    X, y = blobs(n_features=6)
    est = MLPClassifier(hidden_layer_sizes=(7, 5, 4, 3),
                        activation=["logistic", "prelu", "maxout", "leaky_relu"],
                        batch_norm=[False, True, False, False], dropout=0.2,
                        weight_init=SmallNormal(scale=5.0), random_state=0)
    report = activation_stats(est, X, y)
    assert [d["activation"] for d in report.layers] == ["logistic", "prelu", "maxout",
                                                        "leaky_relu"]
    assert [d["values"].shape[1] for d in report.layers] == [7, 5, 4, 3]
    a = report.layers[0]["values"]
    assert report.layers[0]["saturated"] == np.mean((a < 0.01) | (a > 0.99)) > 0.3
    assert report.layers[2]["dead"] == 0.0 and report.layers[2]["saturated"] == 0.0


def test_activation_stats_needs_y_when_unfitted():
    X, _ = blobs()
    with pytest.raises(ValueError, match="needs y"):
        activation_stats(MLPRegressor(), X)


@settings(max_examples=15, deadline=None)
@given(activation=activation_names, sizes=st.lists(st.integers(1, 6), min_size=1, max_size=3),
       n_rows=st.integers(2, 30), max_rows=st.integers(1, 40), seed=st.integers(0, 5))
def test_activation_stats_properties(activation, sizes, n_rows, max_rows, seed):
    rng = np.random.RandomState(seed)
    X, y = rng.randn(n_rows, 3), rng.randn(n_rows)
    est = MLPRegressor(hidden_layer_sizes=sizes, activation=activation, random_state=seed)
    report = activation_stats(est, X, y, max_rows=max_rows)
    assert report.n_rows == min(n_rows, max_rows)
    assert [d["layer"] for d in report.layers] == list(range(len(sizes)))
    for d, units in zip(report.layers, sizes):
        assert set(d) == KEYS and d["activation"] == activation
        assert d["values"].shape == (report.n_rows, units)
        assert 0.0 <= d["saturated"] <= 1.0 and 0.0 <= d["dead"] <= 1.0
        assert isinstance(d["mean"], float) and d["std"] >= 0.0
        assert np.isfinite(d["values"]).all()


# -------------------------------------------- the notes' initialization experiment
@pytest.fixture(scope="module")
def gaussian():
    rng = np.random.RandomState(0)
    return rng.randn(200, 500), rng.randn(200)


def deep_stds(data, activation, weight_init):
    X, y = data
    est = MLPRegressor(hidden_layer_sizes=(500,) * 10, activation=activation,
                       weight_init=weight_init, random_state=0)
    report = activation_stats(est, X, y)
    assert len(report.layers) == 10
    return report, np.array([d["std"] for d in report.layers])


def test_small_normal_init_collapses_tanh_activations(gaussian):
    report, stds = deep_stds(gaussian, "tanh", SmallNormal(scale=0.01))
    assert stds[-1] < 1e-4  # measured ~1e-7: each layer multiplies it by ~0.22
    assert np.all(np.diff(stds) < 0)


def test_unit_normal_init_saturates_tanh(gaussian):
    report, stds = deep_stds(gaussian, "tanh", SmallNormal(scale=1.0))
    assert all(d["saturated"] > 0.8 for d in report.layers)  # measured 0.90
    assert stds[-1] > 0.95


@pytest.mark.parametrize("weight_init", ["glorot_normal", "lecun_normal"])
def test_glorot_and_lecun_keep_tanh_healthy(gaussian, weight_init):
    report, stds = deep_stds(gaussian, "tanh", weight_init)
    assert 0.1 < stds[-1] < 0.9  # measured 0.22
    assert report.layers[-1]["saturated"] < 0.05


def test_he_keeps_relu_std_where_glorot_halves_its_variance(gaussian):
    _, he = deep_stds(gaussian, "relu", "he_normal")
    _, glorot = deep_stds(gaussian, "relu", "glorot_normal")
    he_ratios, glorot_ratios = he[1:] / he[:-1], glorot[1:] / glorot[:-1]
    assert np.all((he_ratios > 0.85) & (he_ratios < 1.15))
    # variance halves per layer: the std shrinks by 1 / sqrt(2) ~ 0.71
    assert np.all((glorot_ratios > 0.6) & (glorot_ratios < 0.8))
    assert glorot[-1] < 0.1 * he[-1]
