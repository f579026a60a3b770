"""Layers that keep their training intermediates between batches (``Network.reserve``):
the same numbers as fresh arrays, the same memory from batch to batch, none outside a run."""

import numpy as np
import pytest

from sknn._network import Network
from sknn._work_arrays import WorkArrays
from sknn.activations import SELU, Mish
from sknn.initializers import INITIALIZERS, LayerInitializer
from sknn.layers import Dropout
from sknn.numeric_embeddings import PeriodicEmbedding
from sknn.parametric_activation import ParametricActivationLayer
from sknn.tabular_layers import EnsembleDense, ScaleLayer, TabularDense

N_IN = 5


def layers(m):
    """(layer, input shape) pairs, each layer alone in a network."""
    member = (m, 7, N_IN) if m > 1 else (7, N_IN)
    return [
        (PeriodicEmbedding(N_IN, "pbld", n_frequencies=3, n_members=m), (7, N_IN)),
        (PeriodicEmbedding(N_IN, "plr", n_frequencies=3, n_members=m), (7, N_IN)),
        (ScaleLayer(N_IN, n_members=m), member),
        (ParametricActivationLayer(N_IN, SELU(), n_members=m), member),
        (ParametricActivationLayer(N_IN, Mish(), n_members=m), member),
        (Dropout(0.3, N_IN), member),
    ] + ([(TabularDense(N_IN, 4, ntp=True), member)] if m == 1 else [
        (EnsembleDense(N_IN, 4, m, ntp=True), (7, N_IN)),
        (EnsembleDense(N_IN, 4, m, ntp=True), member)])


def bind(layer, dtype, seed=0):
    net = Network([layer], dtype)
    layer.needs_input_grad = True
    rng = np.random.default_rng(seed)
    if layer.param_specs():
        layer.initialize(LayerInitializer(INITIALIZERS.build("normal"), 0.1), rng)
        net.theta[...] += 0.1 * rng.standard_normal(net.theta.size)
    return net


def run(layer, x, dout):
    """One training forward and backward; copies of the output, input gradient and grads."""
    out, cache = layer.forward(x, training=True, rng=np.random.default_rng(1))
    dx = layer.backward(dout, cache)
    return out.copy(), None if dx is None else dx.copy(), {k: g.copy() for k, g in layer.grads.items()}


@pytest.mark.parametrize("m", [1, 3])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_reserved_batches_give_the_fresh_arrays_numbers_bitwise(m, dtype):
    rng = np.random.default_rng(0)
    for layer, shape in layers(m):
        net = bind(layer, dtype)
        # a full batch, a partial one (a prefix of the reserved memory), a full one again
        batches = [rng.standard_normal((*shape[:-2], rows, shape[-1])).astype(dtype)
                   for rows in (shape[-2], 3, shape[-2])]
        results = {}
        for reserved in (False, True):
            net.reserve(shape[-2] if reserved else 0)
            results[reserved] = []
            for x in batches:
                out, _ = layer.forward(x, training=True, rng=np.random.default_rng(1))
                dout = np.linspace(-1, 1, out.size).reshape(out.shape).astype(dtype)
                results[reserved].append(run(layer, x, dout))
        net.reserve(0)
        for fresh, kept in zip(results[False], results[True]):
            np.testing.assert_array_equal(fresh[0], kept[0], err_msg=repr(layer))
            np.testing.assert_array_equal(fresh[1], kept[1], err_msg=repr(layer))
            for name in fresh[2]:
                np.testing.assert_array_equal(fresh[2][name], kept[2][name], err_msg=repr(layer))


@pytest.mark.parametrize("m", [1, 3])
def test_a_run_reuses_the_memory_and_nothing_outside_one_does(m):
    rng = np.random.default_rng(0)
    for layer, shape in layers(m):
        net = bind(layer, np.float64)
        x = rng.standard_normal(shape)
        dout_shape = layer.forward(x, training=True, rng=np.random.default_rng(1))[0].shape
        dout = rng.standard_normal(dout_shape)

        def step():
            out, cache = layer.forward(x, training=True, rng=np.random.default_rng(1))
            return out, layer.backward(dout, cache)

        first, second = step(), step()
        assert not np.shares_memory(first[0], second[0]), repr(layer)  # not reserved
        net.reserve(shape[-2])
        first, second = step(), step()
        assert np.shares_memory(first[0], second[0]), repr(layer)
        if isinstance(layer, (ScaleLayer, Dropout, EnsembleDense)) and x.ndim == 3:
            assert np.shares_memory(first[1], second[1]), repr(layer)  # the input gradient
        inferred = layer.forward(x, training=False)[0]
        assert not np.shares_memory(inferred, second[0]), repr(layer)  # inference: new arrays
        net.reserve(0)
        assert not np.shares_memory(step()[0], second[0]), repr(layer)


def test_work_arrays_grow_and_give_prefixes():
    work = WorkArrays()
    a = work.take("a", (2, 3), np.float32)
    b = work.take("a", (1, 3), np.float32)
    assert b.flags.c_contiguous and np.shares_memory(a, b) and b.shape == (1, 3)
    c = work.take("a", (4, 3), np.float32)  # larger: a new flat array
    assert c.shape == (4, 3) and not np.shares_memory(a, c)
    assert work.take("a", (4, 3), np.float64).dtype == np.float64
    assert not np.shares_memory(work.take("b", (4, 3), np.float64), work.take("a", (4, 3), np.float64))


def test_embedding_computes_in_the_parameters_dtype_whatever_the_rows():
    layer = PeriodicEmbedding(N_IN, "pbld", n_frequencies=3)
    bind(layer, np.float64)
    x = np.random.default_rng(0).standard_normal((6, N_IN))
    out32 = layer.forward(x.astype(np.float32), training=True)[0]
    out64 = layer.forward(x.astype(np.float32).astype(np.float64), training=True)[0]
    assert out32.dtype == np.float64
    np.testing.assert_array_equal(out32, out64)
