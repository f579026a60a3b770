"""The compiled periodic embedding (``sknn._accelerated_embedding``) against the NumPy path.

Its trigonometry against NumPy's, its passes against the NumPy passes (to
rounding: the sums run in another order, in float64), its gradients against
finite differences, and the layer's choice of path.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

import sknn._accelerated as accelerated
from sknn._accelerated import MAX_ANGLE
from sknn._network import Network
from sknn.numeric_embeddings import PeriodicEmbedding

pytest.importorskip("numba")

#: the float32 results' tolerance, relative to the largest value of each array
TOLERANCE = {np.float32: 2e-5, np.float64: 1e-12}


def _bound_layer(n_in, kind, n_members, dtype, columns=None, n_frequencies=16):
    layer = PeriodicEmbedding(n_in, kind, n_frequencies=n_frequencies, n_members=n_members,
                              columns=columns)
    Network([layer], dtype).initialize(lambda _: None, np.random.default_rng(0))
    layer.needs_input_grad = True
    return layer


def _rows_for_the_compiled_path(layer):
    angles_per_row = layer.n_embedded * layer.n_members * layer.k
    return -(-accelerated.MIN_SIZE // angles_per_row)


@pytest.mark.parametrize("dtype, tolerance", [(np.float64, 2 * np.finfo(np.float64).eps),
                                              (np.float32, 1e-8)])
def test_sincos_is_within_rounding_of_numpy_up_to_the_angle_bound(monkeypatch, dtype, tolerance):
    """float64 layers' trigonometry to 2 units in the last place; float32 layers' shorter
    polynomials (computed in float64 too) to 1e-8, a sixth of float32's rounding at 1."""
    monkeypatch.setenv("SKNN_ACCELERATE", "1")
    trig_row = accelerated.embedding_kernels(dtype, accelerated.MIN_SIZE)[2]
    rng = np.random.default_rng(3)
    pieces = [rng.standard_normal(20000) * scale for scale in (1, 30, 1e3, 1e5)]
    pieces.append(rng.uniform(-MAX_ANGLE, MAX_ANGLE, 20000))
    pieces.append(np.arange(-64, 65) * (np.pi / 4))  # quadrant boundaries, zeros of sin and cos
    pieces.append(np.array([0.0, -0.0, 1e-300, -1e-300, MAX_ANGLE, -MAX_ANGLE]))
    a = np.concatenate(pieces)
    sines, cosines = np.empty_like(a), np.empty_like(a)
    trig_row(a, 1.0, 0.0, sines, cosines)
    assert np.max(np.abs(sines - np.sin(a))) <= tolerance
    assert np.max(np.abs(cosines - np.cos(a))) <= tolerance
    trig_row(a, 0.5, 2.0, sines, cosines)  # the angle is w x + b
    assert np.max(np.abs(cosines - np.cos(0.5 * a + 2.0))) <= tolerance


def _pass_results(layer, x, dout, accelerate, monkeypatch, training=True):
    monkeypatch.setenv("SKNN_ACCELERATE", accelerate)
    out, cache = layer.forward(x, training=training)
    results = {"out": np.array(out)}
    if training:
        dx = layer.backward(dout, cache)
        results["dx"] = None if dx is None else dx.copy()
        results.update({name: grad.copy() for name, grad in layer.grads.items()})
    return results, cache


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["pbld", "plr"])
@pytest.mark.parametrize("n_members", [1, 3])
@pytest.mark.parametrize("columns", [None, [0, 2, 3, 6]])
@pytest.mark.parametrize("needs_input_grad", [True, False])
def test_compiled_passes_equal_the_numpy_path(monkeypatch, dtype, kind, n_members, columns,
                                              needs_input_grad):
    layer = _bound_layer(7, kind, n_members, dtype, columns)
    layer.needs_input_grad = needs_input_grad
    rng = np.random.default_rng(1)
    n = _rows_for_the_compiled_path(layer) + 5
    x = (rng.standard_normal((n, 7)) * 2).astype(dtype)
    shape = (n, layer.n_out) if n_members == 1 else (n_members, n, layer.n_out)
    dout = rng.standard_normal(shape).astype(dtype)
    compiled, cache = _pass_results(layer, x, dout, "1", monkeypatch)
    assert type(cache).__name__ == "_CompiledCache"  # the compiled path ran
    numpy_path, cache = _pass_results(layer, x, dout, "0", monkeypatch)
    assert isinstance(cache, tuple)
    assert compiled.keys() == numpy_path.keys()
    for name, expected in numpy_path.items():
        if expected is None:
            assert compiled[name] is None, name
            continue
        got = compiled[name]
        assert got.dtype == expected.dtype and got.shape == expected.shape, name
        assert_allclose(got, expected, rtol=0, atol=TOLERANCE[dtype] * np.abs(expected).max(),
                        err_msg=name)
    inference = {mode: _pass_results(layer, x, dout, mode, monkeypatch, training=False)[0]["out"]
                 for mode in ("1", "0")}
    assert_allclose(inference["1"], inference["0"], rtol=0,
                    atol=TOLERANCE[dtype] * np.abs(inference["0"]).max())
    assert_allclose(inference["1"], compiled["out"], rtol=0, atol=0)


@pytest.mark.parametrize("kind", ["pbld", "plr"])
@pytest.mark.parametrize("n_members", [1, 2])
def test_compiled_gradients_match_finite_differences(monkeypatch, kind, n_members):
    monkeypatch.setenv("SKNN_ACCELERATE", "1")
    layer = _bound_layer(5, kind, n_members, np.float64, columns=[0, 1, 3])
    rng = np.random.default_rng(2)
    n = _rows_for_the_compiled_path(layer)
    x = rng.standard_normal((n, 5))
    out, cache = layer.forward(x, training=True)
    assert type(cache).__name__ == "_CompiledCache"
    dout = rng.standard_normal(out.shape)
    dx = layer.backward(dout, cache)

    def loss(x_):
        return float(np.sum(layer.forward(x_, training=False)[0] * dout))

    step = 1e-6
    for name, value in layer.params.items():
        flat, grad = value.reshape(-1), layer.grads[name].reshape(-1)
        for i in rng.choice(flat.size, size=min(6, flat.size), replace=False):
            saved = flat[i]
            flat[i] = saved + step
            up = loss(x)
            flat[i] = saved - step
            down = loss(x)
            flat[i] = saved
            assert_allclose(grad[i], (up - down) / (2 * step), rtol=1e-5, atol=1e-6,
                            err_msg=f"{name}[{i}]")
    for row, col in [(0, 0), (3, 1), (n - 1, 2), (7, 3), (11, 4)]:
        shifted = x.copy()
        shifted[row, col] += step
        up = loss(shifted)
        shifted[row, col] -= 2 * step
        down = loss(shifted)
        assert_allclose(dx[row, col], (up - down) / (2 * step), rtol=1e-5, atol=1e-6)


def test_angles_beyond_the_bound_take_the_numpy_path(monkeypatch):
    monkeypatch.setenv("SKNN_ACCELERATE", "1")
    layer = _bound_layer(6, "pbld", 2, np.float64)
    x = np.random.default_rng(4).standard_normal((_rows_for_the_compiled_path(layer), 6))
    assert layer._compiled_kernels(x) is not None
    x[5, 2] = MAX_ANGLE  # 2 pi |w| x is then above the bound for any |w| > 1 / (2 pi)
    layer.params["frequency"][0, 2, 0] = 1.0
    assert layer._compiled_kernels(x) is None
    out, cache = layer.forward(x, training=True)
    assert isinstance(cache, tuple)


def test_small_batches_and_no_numba_take_the_numpy_path(monkeypatch):
    layer = _bound_layer(6, "pbld", 1, np.float32)
    x = np.ones((_rows_for_the_compiled_path(layer) - 1, 6), np.float32)
    monkeypatch.setenv("SKNN_ACCELERATE", "1")
    assert layer._compiled_kernels(x) is None  # below MIN_SIZE angles
    assert layer._compiled_kernels(np.ones((x.shape[0] + 1, 6), np.float32)) is not None
    monkeypatch.setenv("SKNN_ACCELERATE", "0")
    assert layer._compiled_kernels(np.ones((x.shape[0] + 1, 6), np.float32)) is None


def test_an_ensemble_fit_trains_through_the_compiled_passes(monkeypatch):
    from sklearn.datasets import load_breast_cancer

    from sknn import TabularMLPClassifier

    monkeypatch.setenv("SKNN_ACCELERATE", "1")
    calls = []
    original = PeriodicEmbedding._compiled_backward

    def counting(self, dout, cache):
        calls.append(dout.shape)
        return original(self, dout, cache)

    monkeypatch.setattr(PeriodicEmbedding, "_compiled_backward", counting)
    X, y = load_breast_cancer(return_X_y=True)
    # drop_last=False: two epochs of two steps each (one, with drop_last, trains too little)
    est = TabularMLPClassifier(hidden_layer_sizes=(16,), n_members=8, max_iter=2,
                               drop_last=False, random_state=0).fit(X, y)
    assert calls and calls[0][0] == 8  # every member's gradient, in the compiled backward
    assert np.isfinite(est.predict_proba(X)).all()
    assert est.score(X, y) > 0.8


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["pbld", "plr"])
def test_a_rows_compiled_output_does_not_depend_on_its_position(monkeypatch, dtype, kind):
    """Bitwise the same row after a permutation or in a prefix: the loops' vectorized
    body and remainder round alike (scikit-learn's invariance checks ask 1e-7)."""
    monkeypatch.setenv("SKNN_ACCELERATE", "1")
    layer = _bound_layer(20, kind, 3, dtype)
    n = _rows_for_the_compiled_path(layer) + 37
    x = np.random.default_rng(5).standard_normal((n, 20)).astype(dtype)
    order = np.random.default_rng(6).permutation(n)
    whole, cache = layer.forward(x, training=False)
    assert type(cache).__name__ == "_CompiledCache"
    np.testing.assert_array_equal(layer.forward(x[order], training=False)[0], whole[:, order])
    prefix = _rows_for_the_compiled_path(layer) + 1
    np.testing.assert_array_equal(layer.forward(x[:prefix], training=False)[0],
                                  whole[:, :prefix])


@pytest.mark.parametrize("kind", ["pbld", "plr"])
def test_float64_rows_into_a_float32_layer_are_cast_as_the_numpy_path_casts_them(
        monkeypatch, kind):
    layer = _bound_layer(9, kind, 2, np.float32)
    x = np.random.default_rng(8).standard_normal((_rows_for_the_compiled_path(layer), 9))
    outputs = {}
    for mode in ("1", "0"):
        monkeypatch.setenv("SKNN_ACCELERATE", mode)
        out, cache = layer.forward(x, training=False)
        assert out.dtype == np.float32
        assert isinstance(cache, tuple) == (mode == "0")  # which path ran
        outputs[mode] = out
    assert_allclose(outputs["1"], outputs["0"], rtol=0,
                    atol=TOLERANCE[np.float32] * np.abs(outputs["0"]).max())


def test_the_fast_math_passes_keep_the_exact_argument_reduction(monkeypatch):
    """At angles near 1e5 a reassociated reduction (a - q (p1 + p2 + p3)) would be off by
    about 1e-11: the forward pass's cosines (one frequency, V = 1, c = 0) must be those of
    the reduction compiled without fast-math, bitwise, and the backward pass's phase
    gradient -sum(sin(a) * dout) within the rounding of its sum."""
    monkeypatch.setenv("SKNN_ACCELERATE", "1")
    n_in, n = 256, 256  # 65536 angles: the compiled path
    layer = PeriodicEmbedding(n_in, "pbld", n_frequencies=1, d_embedding=2)
    Network([layer], np.float64).initialize(lambda _: None, np.random.default_rng(0))
    rng = np.random.default_rng(9)
    layer.params["frequency"][...] = rng.uniform(1e4, 1.5e4, layer.params["frequency"].shape)
    layer.params["V"][...] = 1.0
    layer.params["c"][...] = 0.0
    x = rng.uniform(-1, 1, (n, n_in))
    out, cache = layer.forward(x, training=True)
    assert type(cache).__name__ == "_CompiledCache"
    w = 2 * np.pi * layer.params["frequency"][:, 0]
    b = layer.params["phase"][:, 0]
    trig_row = accelerated.embedding_kernels(np.float64, accelerated.MIN_SIZE)[2]
    sines, cosines = np.empty((n_in, n)), np.empty((n_in, n))
    for j in range(n_in):
        trig_row(np.ascontiguousarray(x[:, j]), w[j], b[j], sines[j], cosines[j])
    assert np.abs(w[:, None] * x.T).max() > 5e4  # the angles this test is about
    np.testing.assert_array_equal(out[:, 0::2], cosines.T)
    dout = rng.standard_normal(out.shape)
    layer.backward(dout, cache)
    expected = -np.sum(sines * dout[:, 0::2].T, axis=1)
    assert_allclose(layer.grads["phase"][:, 0], expected, rtol=0, atol=1e-12)
