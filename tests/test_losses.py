import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.special import log_softmax, softmax
from sklearn.neural_network._base import LOSS_FUNCTIONS as SKLEARN_LOSSES

from sknn.losses import LOSSES

from .strategies import finite_arrays

CASES = [
    ("log_loss", "multiclass"),
    ("log_loss", "binary"),
    ("log_loss", "multilabel-indicator"),
    ("hinge", "multiclass"),
    ("hinge", "binary"),
    ("hinge", "multilabel-indicator"),
    ("squared_error", "continuous"),
    ("absolute_error", "continuous"),
    ("huber", "continuous"),
    ("poisson", "continuous"),
]


def targets(name, target_type, n, k, rng):
    if target_type == "multiclass":
        return np.eye(k)[rng.randint(0, k, n)]
    if target_type == "binary":
        return rng.randint(0, 2, (n, 1)).astype(float)
    if target_type == "multilabel-indicator":
        return rng.randint(0, 2, (n, k)).astype(float)
    if name == "poisson":
        return rng.poisson(2.0, (n, k)).astype(float)
    return rng.randn(n, k)


def away_from_kinks(loss, Y, Z):
    """Move logits so that no hinge margin or residual sits on a kink."""
    if loss.name in ("absolute_error", "huber"):
        r = Z - Y
        Z = Y + np.where(np.abs(r) < 0.05, 0.05, r)
        if loss.name == "huber":
            r = Z - Y
            Z = np.where(np.abs(np.abs(r) - loss.delta) < 0.05, Z + 0.1, Z)
    return Z


@pytest.mark.parametrize("name, target_type", CASES)
@given(data=st.data(), weighted=st.booleans())
def test_gradient_matches_central_differences(name, target_type, data, weighted):
    rng = np.random.RandomState(data.draw(st.integers(0, 1000)))
    loss = LOSSES.build(name).for_target(target_type)
    Y = loss.encode(targets(name, target_type, 6, 3, rng))
    Z = data.draw(finite_arrays(Y.shape, bound=4.0))
    Z = away_from_kinks(loss, Y, Z)
    if name == "hinge":  # integer logits + 0.3 k: no margin is within 0.1 of its kink
        Z = np.round(Z) + 0.3 * (np.arange(Y.shape[1]) + 1)
    sw = rng.uniform(0.5, 2.0, Y.shape[0]) if weighted else None
    _, grad = loss.value_and_grad(Y, Z, sw)
    h = 1e-6
    numerical = np.zeros_like(Z)
    for idx in np.ndindex(*Z.shape):
        Zp, Zm = Z.copy(), Z.copy()
        Zp[idx] += h
        Zm[idx] -= h
        numerical[idx] = (loss.value_and_grad(Y, Zp, sw)[0] - loss.value_and_grad(Y, Zm, sw)[0]) / (2 * h)
    np.testing.assert_allclose(grad, numerical, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("name, target_type", CASES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_huge_logits_give_finite_values_without_warnings(name, target_type, dtype):
    rng = np.random.RandomState(0)
    loss = LOSSES.build(name).for_target(target_type)
    Y = loss.encode(targets(name, target_type, 4, 3, rng)).astype(dtype)
    Z = np.array([[-1e4], [1e4], [0.0], [5e3]], dtype=dtype) * np.ones(Y.shape[1], dtype=dtype)
    Z[:, 0] *= -1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, grad = loss.value_and_grad(Y, Z)
        out = loss.link(Z)
    assert grad.dtype == dtype and out.dtype == dtype
    assert np.isfinite(grad).all() and np.isfinite(out).all()
    if name != "poisson":  # exp(1e4) is capped, the deviance is huge but finite
        assert np.isfinite(value)


@pytest.mark.parametrize(
    "name, target_type, sklearn_name",
    [
        ("log_loss", "multiclass", "log_loss"),
        ("log_loss", "binary", "binary_log_loss"),
        ("log_loss", "multilabel-indicator", "binary_log_loss"),
        ("squared_error", "continuous", "squared_error"),
        ("poisson", "continuous", "poisson"),
    ],
)
def test_values_match_scikit_learn(name, target_type, sklearn_name):
    rng = np.random.RandomState(1)
    loss = LOSSES.build(name).for_target(target_type)
    Y = targets(name, target_type, 8, 3, rng)
    Z = rng.randn(*Y.shape)
    sw = rng.uniform(0.5, 2, 8)
    for weights in (None, sw):
        ours, _ = loss.value_and_grad(Y, Z, weights)
        theirs = SKLEARN_LOSSES[sklearn_name](Y, loss.link(Z), weights)
        assert ours == pytest.approx(theirs, rel=1e-10)


def test_softmax_cross_entropy_known_value():
    loss = LOSSES.build("log_loss").for_target("multiclass")
    Z = np.array([[1000.0, 0.0, -1000.0]])
    value, grad = loss.value_and_grad(np.array([[0.0, 1.0, 0.0]]), Z)
    assert value == pytest.approx(1000.0)
    np.testing.assert_allclose(grad, softmax(Z, axis=1) - [[0, 1, 0]])
    np.testing.assert_allclose(loss.link(Z), np.exp(log_softmax(Z, axis=1)))


def test_multiclass_hinge_known_value():
    # CS231n example: scores (3.2, 5.1, -1.7), true class 0 -> 2.9 + 0 = 2.9
    loss = LOSSES.build("hinge").for_target("multiclass")
    value, grad = loss.value_and_grad(np.array([[1.0, 0, 0]]), np.array([[3.2, 5.1, -1.7]]))
    assert value == pytest.approx(2.9)
    np.testing.assert_allclose(grad, [[-1.0, 1.0, 0.0]])


def test_binary_hinge_uses_two_outputs():
    loss = LOSSES.build("hinge").for_target("binary")
    assert loss.n_outputs(1) == 2
    np.testing.assert_array_equal(loss.encode(np.array([[1.0], [0.0]])), [[0, 1], [1, 0]])


def test_huber_is_quadratic_then_linear():
    loss = LOSSES.build("huber", delta=1.0)
    Y = np.zeros((2, 1))
    value, _ = loss.value_and_grad(Y, np.array([[0.5], [3.0]]))
    assert value == pytest.approx((0.5 * 0.25 + (3.0 - 0.5)) / 2)
