"""Dropout masks (``sknn._dropout_masks``): their bits, their generator, their pass.

The compiled pass against the NumPy one, bitwise; the fast generator's
draws against the rate; the ``RandomState`` draws against the formula of
before (L-BFGS's seeded masks are unchanged); the generator is seeded from
the estimator's ``random_state`` without advancing it.
"""

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from sknn import MLPClassifier
from sknn._dropout_masks import apply_mask, draw_bits, mask_generator, threshold_of
from sknn.layers import Dropout


def _special_values(dtype, shape):
    x = np.random.default_rng(0).standard_normal(shape).astype(dtype)
    x.flat[:5] = [np.nan, np.inf, -np.inf, -0.0, -1.5]
    return x


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_compiled_pass_equals_the_numpy_pass_bitwise(monkeypatch, dtype):
    pytest.importorskip("numba")
    import sknn._accelerated as accelerated

    x = _special_values(dtype, (accelerated.MIN_SIZE // 64 + 1, 64))
    bits = draw_bits(mask_generator(np.random.RandomState(0)), x.size)
    results = {}
    for mode in ("1", "0"):
        monkeypatch.setenv("SKNN_ACCELERATE", mode)
        assert (accelerated.mask_kernel(dtype, x.size) is not None) == (mode == "1")
        with np.errstate(invalid="ignore"):
            results[mode] = apply_mask(x, bits, threshold_of(0.3), 1 / 0.7)
    assert results["1"].dtype == dtype
    # bytes, not values: -0.0 and NaN payloads included
    assert_array_equal(results["1"].view(np.uint8), results["0"].view(np.uint8))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_pass_is_the_product_with_a_float_mask(dtype):
    x = _special_values(dtype, (30, 7))
    bits = draw_bits(np.random.RandomState(1), x.size)
    keep = (bits >= threshold_of(0.4)).reshape(x.shape).astype(dtype)
    with np.errstate(invalid="ignore"):
        expected = (x * keep) * dtype(1 / 0.6)
        out = apply_mask(x, bits, threshold_of(0.4), 1 / 0.6)
        in_place = x.copy()
        apply_mask(in_place, bits, threshold_of(0.4), 1 / 0.6, out=in_place)
        transposed = apply_mask(x.T, bits, threshold_of(0.4), 1 / 0.6)  # NumPy path
    assert_array_equal(out.view(np.uint8), expected.view(np.uint8))
    assert_array_equal(in_place, expected)
    keep_t = (bits >= threshold_of(0.4)).reshape(x.T.shape).astype(dtype)
    with np.errstate(invalid="ignore"):
        expected_t = np.ascontiguousarray((x.T * keep_t) * dtype(1 / 0.6))
    assert_array_equal(np.ascontiguousarray(transposed).view(np.uint8),
                       expected_t.view(np.uint8))


@pytest.mark.parametrize(
    "generator",
    [lambda: mask_generator(np.random.RandomState(0)),
     lambda: np.random.Generator(np.random.MT19937(0)),  # 32-bit raw output: integers()
     lambda: np.random.Generator(np.random.PCG64(0)),
     lambda: np.random.RandomState(0)],
    ids=["sfc64", "mt19937", "pcg64", "random_state"],
)
@pytest.mark.parametrize("rate", [1e-12, 0.2, 0.5, 1 - 1e-12])
def test_masks_keep_one_minus_rate_with_every_generator(generator, rate):
    keep = Dropout(4, rate)._keep(generator(), (400, 501))  # an odd size
    assert keep.dtype == bool and keep.shape == (400, 501)
    assert abs(keep.mean() - (1 - rate)) < 5 * np.sqrt(rate * (1 - rate) / keep.size) + 1e-9


def test_random_state_masks_are_the_draws_of_before():
    """L-BFGS's objective and direct calls still draw from a RandomState, as before."""
    shape, threshold = (20, 30), np.uint32(round(0.3 * 2**32))
    before = np.random.RandomState(5).randint(0, 2**32, size=shape, dtype=np.uint32) >= threshold
    assert_array_equal(Dropout(30, 0.3)._keep(np.random.RandomState(5), shape), before)


def test_the_generator_is_seeded_from_the_state_without_drawing_from_it():
    state = np.random.RandomState(0)
    state.permutation(10)
    before = state.get_state()[1].copy(), state.get_state()[2]
    a = draw_bits(mask_generator(state), 1000)
    b = draw_bits(mask_generator(state), 1000)
    assert_array_equal(state.get_state()[1], before[0])
    assert state.get_state()[2] == before[1]
    assert_array_equal(a, b)
    state.permutation(10)
    assert not np.array_equal(draw_bits(mask_generator(state), 1000), a)
    assert not np.array_equal(draw_bits(mask_generator(np.random.RandomState(1)), 1000), a)


def test_dropout_fits_shuffle_like_fits_without_dropout():
    """The masks do not draw from random_state: a dropout fit leaves it where the
    same fit without dropout does (the shuffles alone advanced it)."""
    X = np.random.RandomState(0).normal(size=(120, 5))
    y = (X[:, 0] > 0).astype(int)
    states = []
    for dropout in (0.0, 0.3):
        random_state = np.random.RandomState(0)
        MLPClassifier((6,), dropout=dropout, max_iter=3, batch_size=20,
                      random_state=random_state).fit(X, y)
        states.append(random_state.get_state())
    assert_array_equal(states[0][1], states[1][1])
    assert states[0][2] == states[1][2]


def test_dropout_backward_applies_the_forward_mask():
    layer = Dropout(300, 0.25)
    x = np.random.RandomState(0).normal(size=(260, 300))
    rng = mask_generator(np.random.RandomState(3))
    out, cache = layer.forward(x, training=True, rng=rng)
    dout = np.random.RandomState(1).normal(size=x.shape)
    dx = layer.backward(dout, cache)
    kept = out != 0
    assert_array_equal(dx[kept], dout[kept] * (1 / 0.75))
    assert_array_equal(dx[~kept], 0.0)
    assert not np.shares_memory(dx, dout)
