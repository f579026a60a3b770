"""Whole-network gradient checks through the public ``check_gradients``."""

import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import sknn.activations
import sknn.initializers
from sknn import MLPClassifier, MLPRegressor
from sknn.diagnostics import GradientCheckReport, check_gradients

from .strategies import activation_names, initializer_choices

LOSS_TARGETS = {
    "log_loss": "multiclass",
    "hinge": "multiclass",
    "squared_error": "continuous",
    "absolute_error": "continuous",
    "huber": "continuous",
    "poisson": "counts",
}


def problem(kind, seed=0, n=40):
    rng = np.random.RandomState(seed)
    X = rng.randn(n, 4)
    if kind == "multiclass":
        return X, np.array(["a", "b", "c"])[rng.randint(0, 3, n)]
    if kind == "binary":
        return X, rng.randint(0, 2, n)
    if kind == "multilabel":
        return X, rng.randint(0, 2, (n, 3))
    if kind == "counts":
        return X, rng.poisson(1.5, (n, 2)).astype(float)
    return X, rng.randn(n, 2)


KINKED_ACTIVATIONS = {"relu", "leaky_relu", "elu", "selu"}  # kink in f or f'' at 0
KINKED_LOSSES = {"hinge", "absolute_error", "huber"}


def distance_to_kinks(est, X, y, *, n_samples=10, random_state=0):
    """Smallest distance of a pre-activation or loss residual to a kink.

    Reproduces the rows and initial network that check_gradients uses.
    """
    from sklearn.base import clone
    from sklearn.utils import check_random_state

    from sknn.layers import ActivationLayer
    from sknn.parametric_activation import ParametricActivationLayer

    est = clone(est)
    rows = np.sort(check_random_state(random_state).choice(len(X), n_samples, replace=False))
    Xs, Ys, _, _, loss, arch = est._prepare(X[rows], np.asarray(y)[rows], None, False, True)
    net = est._new_network(arch, np.float64, check_random_state(est.random_state))
    distances = [np.inf]
    Z = Xs
    for layer in net.layers:  # an activation may overwrite its input: look first
        # a parametric layer mixes its base activation with the identity: the base's kinks
        activation = isinstance(layer, (ActivationLayer, ParametricActivationLayer))
        if activation and layer.activation.name in KINKED_ACTIVATIONS:
            distances.append(np.abs(Z).min())
        Z, _ = layer.forward(Z, training=True)
    if loss.name in KINKED_LOSSES:
        residual = np.abs(Z - Ys)
        if loss.name == "huber":
            residual = np.abs(residual - loss.delta)
        if loss.name == "hinge":
            true = (Z * Ys).sum(axis=1, keepdims=True)
            residual = np.abs(Z - true + 1)[Ys == 0]
        distances.append(residual.min())
    return min(distances)


def estimator_for(loss, **params):
    cls = MLPRegressor if LOSS_TARGETS[loss] in ("continuous", "counts") else MLPClassifier
    return cls(loss=loss, **params)


@pytest.mark.parametrize("loss", sorted(LOSS_TARGETS))
@pytest.mark.parametrize("activation", sknn.activations.ACTIVATIONS.names(aliases=False))
def test_every_activation_and_loss(activation, loss):
    est = estimator_for(loss, hidden_layer_sizes=(5, 4), activation=activation, alpha=0.3,
                        bias_init=0.1, random_state=0)
    report = check_gradients(est, *problem(LOSS_TARGETS[loss]))
    assert report.max_relative_error < 1e-6, str(report)


def scaled(weight_init):
    """The initializer, at scale 0.5 when it is one of the "small random numbers"."""
    cls = sknn.initializers.INITIALIZERS.get(weight_init) if weight_init != "auto" else None
    if cls is not None and "scale" in cls().get_params():
        return cls(scale=0.5)
    return weight_init


@given(
    activation=activation_names,
    loss=st.sampled_from(sorted(LOSS_TARGETS)),
    weight_init=initializer_choices,
    seed=st.integers(0, 10_000),
)
def test_random_activation_loss_initializer(activation, loss, weight_init, seed):
    # Kept away from the kinks at 0 (ReLU, ELU's f''): scale=0.5, or the
    # "small random numbers" initializers put every pre-activation within a few h
    # of 0; bias_init=0.1, or a row whose previous ReLU layer is entirely dead
    # gets pre-activations of exactly 0.
    est = estimator_for(loss, hidden_layer_sizes=(4, 3), activation=activation,
                        weight_init=scaled(weight_init), bias_init=0.1,
                        alpha=0.1, random_state=seed)
    X, y = problem(LOSS_TARGETS[loss], seed)
    assume(distance_to_kinks(est, X, y, random_state=seed) > 1e-2)
    report = check_gradients(est, X, y, random_state=seed)
    assert report.max_relative_error < 1e-6, str(report)


@pytest.mark.parametrize("kind", ["binary", "multilabel"])
@pytest.mark.parametrize("loss", ["log_loss", "hinge"])
def test_binary_and_multilabel_classification(kind, loss):
    est = MLPClassifier((5,), activation="tanh", loss=loss, random_state=1)
    report = check_gradients(est, *problem(kind))
    assert report.max_relative_error < 1e-6, str(report)


def test_sample_and_class_weights_are_part_of_the_objective():
    X, y = problem("multiclass")
    sw = np.random.RandomState(0).uniform(0.1, 3, X.shape[0])
    est = MLPClassifier((5,), activation="gelu", class_weight="balanced", random_state=0)
    assert check_gradients(est, X, y, sample_weight=sw).max_relative_error < 1e-6


def test_fitted_float32_estimator_is_checked_in_float64_and_left_unchanged():
    X, y = problem("multiclass")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = MLPClassifier((6,), activation="tanh", max_iter=20, random_state=0).fit(
            X.astype(np.float32), y
        )
    before = est.theta_.copy()
    report = check_gradients(est, X, y)
    assert isinstance(report, GradientCheckReport)
    assert report.max_relative_error < 1e-6
    np.testing.assert_array_equal(est.theta_, before)
    assert est.theta_.dtype == np.float32


def test_fresh_estimator_stays_unfitted():
    est = MLPClassifier((3,), random_state=0)
    check_gradients(est, *problem("multiclass"))
    assert not hasattr(est, "theta_")


def test_report_lists_every_parameter_array():
    report = check_gradients(MLPClassifier((5, 4), random_state=0), *problem("multiclass"))
    assert set(report.relative_errors) == {
        "0:Dense.W", "2:Dense.W", "4:Dense.W", "0:Dense.b", "2:Dense.b", "4:Dense.b"
    }
    assert report.n_checked > 0
    assert "max relative error" in str(report)


def test_a_wrong_derivative_is_caught(monkeypatch):
    real = sknn.activations.Tanh.backward
    monkeypatch.setattr(
        sknn.activations.Tanh, "backward", lambda self, z, a, da: 1.01 * real(self, z, a, da)
    )
    # the in-place kernel that networks use after a Dense layer
    real_inplace = sknn.activations.Tanh.backward_inplace
    monkeypatch.setattr(
        sknn.activations.Tanh, "backward_inplace",
        lambda self, a, da: 1.01 * real_inplace(self, a, da),
    )
    report = check_gradients(MLPClassifier((5,), activation="tanh", random_state=0),
                             *problem("multiclass"))
    assert report.max_relative_error > 1e-3
    assert report.relative_errors["0:Dense.W"] > 1e-3


# ------------------------------------------------- validation, like fit's (issue 8)
def test_y_of_the_wrong_length_is_refused_like_fit():
    X, y = problem("multiclass")
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        MLPClassifier().fit(X, y[:5])
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        check_gradients(MLPClassifier(), X, y[:5])


def test_sample_weight_of_the_wrong_length_is_refused():
    X, y = problem("multiclass")
    with pytest.raises(ValueError, match=r"sample_weight.shape == \(3,\), expected \(40,\)"):
        check_gradients(MLPClassifier(), X, y, sample_weight=np.ones(3))


def test_non_finite_X_is_refused_like_fit():
    X, y = problem("continuous")
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN"):
        check_gradients(MLPRegressor(), X, y)


@pytest.mark.parametrize("estimator", ["sklearn", "string", "class"])
def test_estimators_other_than_sknns_are_refused_clearly(estimator):
    from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier

    est = {"sklearn": SklearnMLPClassifier(), "string": "MLPClassifier",
           "class": MLPClassifier}[estimator]
    with pytest.raises(TypeError, match="check_gradients takes an sknn MLPClassifier or "
                                        "MLPRegressor instance"):
        check_gradients(est, *problem("multiclass"))


def test_invalid_hyperparameters_are_refused_like_fit():
    X, y = problem("multiclass")
    with pytest.raises(ValueError, match="'alpha' parameter of MLPClassifier"):
        check_gradients(MLPClassifier(alpha=-1.0), X, y)
    with pytest.raises(TypeError, match="hidden_layer_sizes must contain integers"):
        check_gradients(MLPClassifier(hidden_layer_sizes=(2.5,)), X, y)


@pytest.mark.parametrize("option, value", [("n_samples", 0), ("epsilon", 0.0),
                                           ("epsilon", -1e-4), ("max_entries_per_array", 0)])
def test_invalid_options_name_the_option(option, value):
    with pytest.raises(ValueError, match=f"'{option}' parameter of check_gradients"):
        check_gradients(MLPClassifier(), *problem("multiclass"), **{option: value})


def test_dir_of_diagnostics_lists_only_its_public_names():
    import sknn.diagnostics

    public = [name for name in dir(sknn.diagnostics) if not name.startswith("_")]
    assert public == sorted(sknn.diagnostics.__all__) == [
        "ActivationStatsReport", "GradientCheckReport", "SanityCheckReport",
        "activation_stats", "check_gradients", "sanity_check"]
