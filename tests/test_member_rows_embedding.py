"""A periodic embedding fed each member's own rows, (m, n, n_in): per-member mini-batches.

Its gradients (parameters and input) against finite differences on both
passes (NumPy and compiled), and its results against the shared input's
when every member is given the same rows.
"""

import importlib.util

import numpy as np
import pytest
from numpy.testing import assert_allclose

import sknn._accelerated as accelerated
from sknn._network import Network
from sknn.numeric_embeddings import PeriodicEmbedding

from .test_realmlp_components import numeric_input_gradient

NO_NUMBA = importlib.util.find_spec("numba") is None
PATHS = ["0", pytest.param("1", marks=pytest.mark.skipif(
    NO_NUMBA, reason="the compiled pass needs numba"))]


def _layer(kind, n_members, columns, dtype=np.float64):
    layer = PeriodicEmbedding(5, kind, n_frequencies=4, n_members=n_members, columns=columns)
    Network([layer], dtype).initialize(lambda _: None, np.random.default_rng(0))
    layer.needs_input_grad = True
    return layer


def _rows(layer, accelerate):
    """Enough rows for the compiled pass when ``accelerate`` is "1", else a few."""
    if accelerate == "0":
        return 6
    return -(-accelerated.MIN_SIZE // (layer.n_embedded * layer.n_members * layer.k)) + 3


def _pass(layer, x, dout):
    out, cache = layer.forward(x, training=True)
    dx = layer.backward(dout, cache)
    return np.array(out), dx.copy(), {name: g.copy() for name, g in layer.grads.items()}, cache


@pytest.mark.parametrize("accelerate", PATHS)
@pytest.mark.parametrize("kind", ["pbld", "plr"])
@pytest.mark.parametrize("columns", [None, [0, 2, 3]])
def test_the_same_rows_for_every_member_give_the_shared_inputs_results(
        monkeypatch, accelerate, kind, columns):
    monkeypatch.setenv("SKNN_ACCELERATE", accelerate)
    layer = _layer(kind, 3, columns)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((_rows(layer, accelerate), 5))
    dout = rng.standard_normal((3, x.shape[0], layer.n_out))
    out, dx, grads, cache = _pass(layer, x, dout)
    assert isinstance(cache, tuple) == (accelerate == "0")  # the path under test ran
    out3, dx3, grads3, _ = _pass(layer, np.stack([x] * 3), dout)
    assert out3.shape == out.shape and dx3.shape == (3, *x.shape)
    assert_allclose(out3, out, rtol=0, atol=1e-13)
    assert_allclose(dx3.sum(axis=0), dx, rtol=1e-12, atol=1e-12)
    for name, grad in grads.items():
        assert_allclose(grads3[name], grad, rtol=1e-12, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("accelerate", PATHS)
@pytest.mark.parametrize("kind", ["pbld", "plr"])
@pytest.mark.parametrize("columns", [None, [1, 4]])
def test_per_member_rows_gradients_match_finite_differences(monkeypatch, accelerate, kind,
                                                            columns):
    monkeypatch.setenv("SKNN_ACCELERATE", accelerate)
    layer = _layer(kind, 2, columns)
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, _rows(layer, accelerate), 5))
    dout = rng.standard_normal((2, x.shape[1], layer.n_out))
    out, dx, grads, cache = _pass(layer, x, dout)
    assert isinstance(cache, tuple) == (accelerate == "0")
    for member in range(2):  # member i's output depends on its own rows only
        moved = x.copy()
        moved[1 - member] += 1.0
        assert_allclose(layer.forward(moved, training=False)[0][member], out[member],
                        rtol=0, atol=1e-12)
    if accelerate == "0":
        assert_allclose(dx, numeric_input_gradient(layer, x, dout), rtol=1e-6, atol=1e-7)
    else:  # a few entries: the compiled pass needs many rows
        for index in [(0, 0, 0), (1, 2, 1), (0, x.shape[1] - 1, 4), (1, 5, 3)]:
            step = np.zeros_like(x)
            step[index] = 1e-6
            up = np.sum(layer.forward(x + step, training=False)[0] * dout)
            down = np.sum(layer.forward(x - step, training=False)[0] * dout)
            assert_allclose(dx[index], (up - down) / 2e-6, rtol=1e-5, atol=1e-6)

    def loss():
        return float(np.sum(layer.forward(x, training=False)[0] * dout))

    # a short step: over thousands of rows a longer one crosses PLR's ReLU kinks
    step = 1e-7
    for name, value in layer.params.items():
        flat, grad = value.reshape(-1), grads[name].reshape(-1)
        for i in rng.choice(flat.size, size=min(8, flat.size), replace=False):
            saved = flat[i]
            flat[i] = saved + step
            up = loss()
            flat[i] = saved - step
            down = loss()
            flat[i] = saved
            assert_allclose(grad[i], (up - down) / (2 * step), rtol=1e-5, atol=1e-5,
                            err_msg=f"{name}[{i}]")


@pytest.mark.skipif(NO_NUMBA, reason="the compiled pass needs numba")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["pbld", "plr"])
def test_per_member_rows_compiled_passes_equal_the_numpy_path(monkeypatch, dtype, kind):
    layer = _layer(kind, 3, [0, 1, 3], dtype)
    rng = np.random.default_rng(3)
    x = (rng.standard_normal((3, _rows(layer, "1"), 5)) * 2).astype(dtype)
    dout = rng.standard_normal((3, x.shape[1], layer.n_out)).astype(dtype)
    results = {}
    for accelerate in ("1", "0"):
        monkeypatch.setenv("SKNN_ACCELERATE", accelerate)
        results[accelerate] = _pass(layer, x, dout)[:3]
    tolerance = {np.float32: 2e-5, np.float64: 1e-12}[dtype]
    (out, dx, grads), (out0, dx0, grads0) = results["1"], results["0"]
    for got, expected in [(out, out0), (dx, dx0)] + [(grads[k], grads0[k]) for k in grads0]:
        assert got.dtype == expected.dtype and got.shape == expected.shape
        assert_allclose(got, expected, rtol=0, atol=tolerance * np.abs(expected).max())
