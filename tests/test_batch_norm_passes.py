"""Batch normalization's compiled training passes equal the NumPy ones, bitwise.

``sknn._batch_norm_passes`` runs numba loops (the ``fast`` extra) in place of
NumPy's chain of whole-array operations; these tests compare every output of
both paths, byte for byte, over shapes that stress the column sums.
"""

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from sknn._batch_norm_passes import normalize, normalize_backward
from sknn.layers import BatchNorm

SHAPES = [(256, 512), (2, 40000), (1, 70000), (300, 300), (70000, 2), (20000, 7)]


def _both_passes(monkeypatch, mode, x, dout, gamma, beta, need_dx=True):
    monkeypatch.setenv("SKNN_ACCELERATE", mode)
    out, x_hat, mean, var, inv_std = normalize(x, gamma, beta, BatchNorm.epsilon)
    dgamma, dbeta = np.full_like(gamma, np.nan), np.full_like(gamma, np.nan)
    dx = normalize_backward(dout, x_hat, inv_std, gamma, dgamma, dbeta, need_dx)
    return out, x_hat, mean, var, inv_std, dgamma, dbeta, dx


def _data(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal(shape) * 3 + 1).astype(dtype)
    dout = rng.standard_normal(shape).astype(dtype)
    gamma = rng.uniform(0.5, 2, shape[1]).astype(dtype)
    beta = rng.standard_normal(shape[1]).astype(dtype)
    return x, dout, gamma, beta


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_compiled_passes_equal_the_numpy_passes_bitwise(monkeypatch, shape, dtype):
    pytest.importorskip("numba")
    import sknn._accelerated as accelerated

    assert accelerated.batch_norm_kernels(dtype, accelerated.MIN_SIZE) is not None
    data = _data(shape, dtype)
    compiled = _both_passes(monkeypatch, "1", *data)
    numpy_path = _both_passes(monkeypatch, "0", *data)
    for a, b in zip(compiled, numpy_path):
        assert a.dtype == dtype
        assert_array_equal(a.view(np.uint8), b.view(np.uint8))


def test_without_input_gradient_only_the_parameter_gradients(monkeypatch):
    pytest.importorskip("numba")
    data = _data((256, 512), np.float32, seed=3)
    compiled = _both_passes(monkeypatch, "1", *data, need_dx=False)
    numpy_path = _both_passes(monkeypatch, "0", *data, need_dx=False)
    assert compiled[-1] is None and numpy_path[-1] is None
    for a, b in zip(compiled[:-1], numpy_path[:-1]):
        assert_array_equal(a, b)


def test_one_column_and_strided_arrays_stay_in_numpy(monkeypatch):
    import sknn._batch_norm_passes as passes

    calls = []
    monkeypatch.setattr(passes, "batch_norm_kernels", lambda *a: calls.append(a) or None)
    x, dout, gamma, beta = _data((70000, 1), np.float64)
    out, x_hat, mean, var, inv_std = normalize(x, gamma, beta, 1e-3)
    assert_array_equal(mean, x.mean(axis=0))  # pairwise, as NumPy sums one column
    wide = _data((300, 600), np.float64)
    normalize(wide[0][:, ::2], wide[2][::2], wide[3][::2], 1e-3)
    assert not calls


def test_the_layer_uses_the_passes_and_keeps_its_statistics():
    x, dout, gamma, beta = _data((300, 300), np.float64, seed=4)
    layer = BatchNorm(300)
    theta = np.concatenate([gamma, beta])
    grads = np.zeros_like(theta)
    buffers = np.array([0.0] * 300 + [1.0] * 300 + [0.0])
    layer.bind({"gamma": theta[:300], "beta": theta[300:]},
               {"gamma": grads[:300], "beta": grads[300:]},
               {"running_mean": buffers[:300], "running_var": buffers[300:600],
                "n_updates": buffers[600:]})
    out, cache = layer.forward(x, training=True)
    expected = normalize(x, gamma, beta, layer.epsilon)
    assert_array_equal(out, expected[0])
    assert_array_equal(buffers[:300], expected[2])  # the first update is the batch's
    assert_array_equal(buffers[300:600], expected[3])
    dx = layer.backward(dout, cache)
    dgamma, dbeta = np.empty(300), np.empty(300)
    assert_array_equal(dx, normalize_backward(dout, expected[1], expected[4], gamma,
                                              dgamma, dbeta))
    assert_array_equal(grads[:300], dgamma)
    assert_array_equal(grads[300:], dbeta)
