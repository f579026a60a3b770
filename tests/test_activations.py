import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.special import expit

from sknn.activations import ACTIVATIONS, elementwise_names

from .strategies import elementwise_activation_names as activation_names
from .strategies import finite_arrays, float_dtypes

ALL = elementwise_names()

# f(z) at z = -2, 0.5, 3 from their textbook definitions
REFERENCE = {
    "identity": lambda z: z,
    "logistic": lambda z: 1 / (1 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "elu": lambda z: np.where(z > 0, z, np.exp(z) - 1),
    "selu": lambda z: 1.0507009873554805 * np.where(z > 0, z, 1.6732632423543772 * (np.exp(z) - 1)),
    "gelu": lambda z: z * 0.5 * (1 + np.vectorize(__import__("math").erf)(z / np.sqrt(2))),
    "softplus": lambda z: np.log1p(np.exp(z)),
    "swish": lambda z: z / (1 + np.exp(-z)),
    "mish": lambda z: z * np.tanh(np.log1p(np.exp(z))),
}


@pytest.mark.parametrize("name", ALL)
def test_forward_matches_textbook_definition(name):
    z = np.array([[-2.0, 0.5, 3.0]])
    np.testing.assert_allclose(ACTIVATIONS.build(name).forward(z), REFERENCE[name](z), rtol=1e-12)


def test_aliases_are_the_same_function():
    assert ACTIVATIONS.get("sigmoid") is ACTIVATIONS.get("logistic")
    assert ACTIVATIONS.get("silu") is ACTIVATIONS.get("swish")


def test_parameters_reach_the_activation():
    z = np.array([[-2.0]])
    assert ACTIVATIONS.build("leaky_relu", negative_slope=0.2).forward(z)[0, 0] == pytest.approx(-0.4)
    assert ACTIVATIONS.build("elu", alpha=2.0).forward(z)[0, 0] == pytest.approx(2 * np.expm1(-2))


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_huge_inputs_stay_finite_without_warnings(name, dtype):
    z = np.array([[-1e4, -1e3, -50.0, 0.0, 50.0, 1e3, 1e4]], dtype=dtype)
    act = ACTIVATIONS.build(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = act.forward(z)
        dz = act.backward(z, a, np.ones_like(z))
    assert a.dtype == dtype and dz.dtype == dtype
    assert np.isfinite(a).all() and np.isfinite(dz).all()


@given(name=activation_names, z=finite_arrays((3, 4), bound=6.0), da=finite_arrays((3, 4)))
def test_backward_matches_central_differences(name, z, da):
    act = ACTIVATIONS.build(name)
    h = 1e-6
    z = np.where(np.abs(z) < 1e-3, 1e-3, z)  # stay away from the kinks at 0
    numerical = (act.forward(z + h) - act.forward(z - h)) / (2 * h) * da
    z_before, da_before = z.copy(), da.copy()
    analytic = act.backward(z, act.forward(z), da)
    np.testing.assert_allclose(analytic, numerical, rtol=1e-5, atol=1e-7)
    np.testing.assert_array_equal(z, z_before)
    np.testing.assert_array_equal(da, da_before)
    assert not np.shares_memory(analytic, da)


@given(name=activation_names, dtype=float_dtypes, z=st.floats(-1e4, 1e4))
def test_dtype_is_preserved(name, dtype, z):
    x = np.full((2, 2), z, dtype=dtype)
    assert ACTIVATIONS.build(name).forward(x).dtype == dtype


@given(name=activation_names, dtype=float_dtypes, data=st.data())
def test_forward_inplace_equals_forward(name, dtype, data):
    """The inference kernel may overwrite its input; its values are forward's."""
    z = data.draw(finite_arrays((3, 4), dtype=dtype, bound=50.0))
    act = ACTIVATIONS.build(name)
    expected = act.forward(z)
    out = act.forward_inplace(z.copy())
    assert out.dtype == dtype
    np.testing.assert_array_equal(out, expected)


@given(name=activation_names, dtype=float_dtypes, data=st.data())
def test_backward_inplace_equals_backward(name, dtype, data):
    """Activations that train in place compute dz from the output alone, into da,
    bit for bit as backward does from z."""
    act = ACTIVATIONS.build(name)
    if not act.grad_from_output:
        return
    z = data.draw(finite_arrays((3, 4), dtype=dtype, bound=50.0))
    z[0, 0] = 0.0  # the kink
    da = data.draw(finite_arrays((3, 4), dtype=dtype))
    a = act.forward(z)
    expected = act.backward(z, a, da)
    buffer = da.copy()
    out = act.backward_inplace(a, buffer)
    assert out is buffer and out.dtype == dtype
    np.testing.assert_array_equal(out, expected)


def test_activations_that_train_in_place():
    names = {name for name in ALL if ACTIVATIONS.build(name).grad_from_output}
    assert names == {"identity", "logistic", "tanh", "relu", "leaky_relu"}
    assert not ACTIVATIONS.build("leaky_relu", negative_slope=-0.5).grad_from_output


def test_logistic_is_scipy_expit_for_large_inputs():
    z = np.array([[-800.0, 800.0]])
    np.testing.assert_array_equal(ACTIVATIONS.build("logistic").forward(z), expit(z))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_selu_slope_is_exactly_scale_above_zero_and_keeps_nan(dtype):
    selu = ACTIVATIONS.build("selu")
    z = np.array([[-50.0, -1.0, -0.0, 0.0, 1e-30, 2.0, 1e30, np.inf, np.nan]], dtype=dtype)
    dz = selu.backward(z, selu.forward(z), np.ones_like(z))
    scale, alpha = dtype(selu._SCALE), selu._SCALE * selu._ALPHA
    assert dz.dtype == dtype
    np.testing.assert_array_equal(dz[0, 4:8], scale)  # z > 0: the constant, bitwise
    # a + scale * alpha, which cancels to about 1e-7 of the slope far below 0
    np.testing.assert_allclose(dz[0, :4], alpha * np.exp(np.minimum(z[0, :4], 0)), rtol=1e-6, atol=1e-6)
    assert np.isnan(dz[0, 8])


SPECIAL = [-np.inf, -1e30, -50.0, -1.0, -1e-30, -0.0, 0.0, 1e-30, 1.0, 50.0, 1e30, np.inf, np.nan]


def select_reference(name, act, z, a, da):
    """The np.where formulas the arithmetic selects replaced."""
    if name == "leaky_relu":
        slope = np.where(z > 0, 1, act.negative_slope).astype(da.dtype)
        return np.where(z > 0, z, z * z.dtype.type(act.negative_slope)), da * slope
    return (np.where(z > 0, z, act.alpha * np.expm1(np.minimum(z, 0))),
            da * np.where(z > 0, 1, a + act.alpha).astype(da.dtype))


@pytest.mark.parametrize("name, params", [("leaky_relu", {}), ("leaky_relu", {"negative_slope": -0.3}),
                                          ("elu", {}), ("elu", {"alpha": 0.7})])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_piecewise_activations_equal_their_where_formulas(name, params, dtype):
    rng = np.random.default_rng(0)
    z = np.concatenate([rng.standard_normal(200) * 3, SPECIAL]).astype(dtype).reshape(-1, 1)
    da = rng.standard_normal(z.shape).astype(dtype)
    act = ACTIVATIONS.build(name, **params)
    with np.errstate(all="ignore"):
        a = act.forward(z)
        forward, backward = select_reference(name, act, z, a, da)
        np.testing.assert_array_equal(a, forward)
        np.testing.assert_array_equal(act.backward(z, a, da), backward)
        if act.grad_from_output:
            np.testing.assert_array_equal(act.forward_inplace(z.copy()), forward)
            np.testing.assert_array_equal(act.backward_inplace(a, da.copy()), backward)
    assert a.dtype == dtype
