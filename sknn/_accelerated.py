"""Optional compiled kernels (the ``fast`` extra, numba) for the element-wise hot spots.

Adam's step is a dozen element-wise passes over the parameter vector; in plain
NumPy (``sknn._chunks``) they cost about a fifth of an epoch of a large
network, and a compiled loop does them in one pass. The plain NumPy path is
complete and stays the default whenever numba is not installed, when
``SKNN_ACCELERATE=0`` is set, or for vectors shorter than ``MIN_SIZE`` (where
the first call's compilation, about a second, would cost more than it saves;
numba caches it on disk afterwards). Every kernel that calls another compiled
function is defined at module level (``sknn._accelerated_adam`` and the other
``_accelerated_*`` modules, imported on first use): numba's cache does not find
a closure holding compiled functions again in the next process, which then
compiles it anew (``tests/test_kernel_cache.py``).

The kernels do the operations of the NumPy path in the same order and the same
precision (the constants cast to the array's dtype as NumPy casts Python
scalars; the learning-rate factor applied in float64, then rounded), so their
results equal it to the last bit on IEEE hardware; the tests compare both. The
one exception is a reported value, never an update: the L2 pass's sum of
squares, which is summed in another order (to rounding, as the NumPy path's
own pairwise sum differs from a sequential one).
"""

import os

import numpy as np

#: the shortest vector worth a compiled kernel
MIN_SIZE = 1 << 16

#: the largest angle the compiled embedding's sines and cosines take
#: (``sknn._accelerated_embedding``: its argument reduction is exact below it)
MAX_ANGLE = 1e6

_kernels = {}
_unavailable = False


def enabled():
    """Whether compiled kernels may be used: numba importable and not switched off."""
    global _unavailable
    if _unavailable or os.environ.get("SKNN_ACCELERATE", "1").strip().lower() in {
        "0", "false", "no", "off",
    }:
        return False
    try:
        import numba  # noqa: F401
    except ImportError:
        _unavailable = True
        return False
    return True


def _cached(name, dtype, size, compile_):
    """Kernel ``name`` for ``dtype`` (compiled once, by ``compile_()``), or None.

    None below ``MIN_SIZE`` elements or without numba: the NumPy path then.
    """
    if size < MIN_SIZE or not enabled():
        return None
    key = (name, np.dtype(dtype))
    kernel = _kernels.get(key)
    if kernel is None:
        kernel = _kernels[key] = compile_()
    return kernel


def adam_kernel(dtype, size):
    """The compiled Adam step for ``dtype`` vectors of ``size``, or None (use NumPy).

    The kernel is ``kernel(theta, grad, m, v, b1, c1, b2, c2, epsilon, lr_t,
    n_weights, l2, decay)`` with ``c1 = 1 - b1`` and ``c2 = 1 - b2`` and every
    constant but ``lr_t`` already of ``dtype``; it updates theta, m and v in
    place. On the weights ``theta[:n_weights]`` it first adds the L2
    gradient, ``g = grad + l2 * w`` (when ``l2`` is not 0), then decays the
    weight, ``w = w * decay`` (when ``decay`` is not 1: AdamW), each exactly
    as the separate NumPy passes would (``sknn.penalties``, ``AdamW``), in
    the same pass as the update; ``grad`` itself is not written.
    """
    def compile_():
        from ._accelerated_adam import adam_step

        return adam_step

    return _cached("adam", dtype, size, compile_)


def l2_kernel(dtype, size):
    """The compiled L2 pass ``kernel(weights, grad_out, scale) -> sum of squares``, or None.

    It adds ``scale * w`` to ``grad_out`` in place (``scale`` of ``dtype``)
    and returns ||w||^2 accumulated in float64. The sum may be reassociated
    (``fastmath={"reassoc"}``), which lets the compiler vectorize it: one
    accumulator would make every addition wait for the previous one (0.8 ms
    instead of 0.2 ms over 535k float32 weights). The value therefore agrees
    with the NumPy path to rounding, not bitwise; the gradient, which has no
    sum, stays bitwise equal.
    """
    return _cached("l2", dtype, size, _compile_l2)


def sum_of_squares_kernel(dtype, size):
    """The compiled ``kernel(weights) -> ||w||^2`` (accumulated in float64), or None.

    The read-only half of the L2 pass, for a step that adds the gradient
    itself (``adam_kernel``); summed in another order than NumPy, as
    ``l2_kernel``'s value is.
    """
    return _cached("sum_of_squares", dtype, size, _compile_sum_of_squares)


def mask_kernel(dtype, size):
    """The compiled dropout pass ``kernel(x, bits, threshold, scale, out)``, or None.

    On flat arrays: ``out[i] = (x[i] * keep) * scale`` with ``keep`` 1 or 0
    of ``dtype`` as ``bits[i] >= threshold`` (``scale`` of ``dtype``), the
    NumPy path's two products in its order (``sknn._dropout_masks``).
    """
    return _cached("mask", dtype, size, _compile_mask)


def relu_kernels(dtype, size):
    """The compiled ReLU passes ``(forward(z, zero), backward(a, da, zero))``, or None.

    On flat arrays, in place, with ``zero`` the 0 of ``dtype``: forward sets
    ``z[i] = 0`` where ``z[i] <= 0`` (NumPy's ``maximum(z, 0)``: NaN stays,
    -0.0 becomes 0.0), backward sets ``da[i] = da[i] * 0`` where ``a[i] > 0`` is false
    (NumPy's ``da * (a > 0)``, whose product by False keeps the sign and a
    NaN). One pass each, where NumPy makes two and a boolean array.
    """
    return _cached("relu", dtype, size, _compile_relu)


def bias_kernels(dtype, size):
    """The compiled bias passes ``(add_rows(out, b), column_sums(d, out))``, or None.

    On C-contiguous 2-d arrays of ``dtype``: ``add_rows`` adds ``b`` to every
    row of ``out`` in place, ``column_sums`` writes the sums of ``d``'s columns
    into ``out``, accumulating row after row, the order of NumPy's
    ``sum(axis=0)`` on such an array, so the sums are bitwise NumPy's.
    """
    return _cached("bias", dtype, size, _compile_bias)


def batch_norm_kernels(dtype, size):
    """The compiled ``(forward, backward)`` of batch normalization, or None (use NumPy).

    See ``sknn._batch_norm_passes`` for what they compute and
    ``sknn._accelerated_batch_norm`` for the loops.
    """
    def compile_():
        from ._accelerated_batch_norm import compile_batch_norm

        return compile_batch_norm()

    return _cached("batch_norm", dtype, size, compile_)


def parametric_kernels(dtype, size):
    """The compiled passes of a parametric activation layer, or None (use NumPy).

    ``(mix_forward, mix_backward, add_identity_part, selu_forward,
    selu_backward)`` on 3-d C-contiguous arrays of ``dtype``; see
    ``sknn._accelerated_parametric`` for what each computes.
    """
    def compile_():
        from ._accelerated_parametric import compile_parametric

        return compile_parametric()

    return _cached("parametric", dtype, size, compile_)


def embedding_kernels(dtype, size):
    """The compiled ``(forward, backward, trig_row)`` of a periodic embedding, or None.

    ``size`` is the number of angles of a batch (embedded features x members
    x frequencies x rows); None means the NumPy path. See
    ``sknn._accelerated_embedding``.
    """
    def compile_():
        from ._accelerated_embedding import compile_embedding

        return compile_embedding(np.dtype(dtype).itemsize)

    return _cached("embedding", dtype, size, compile_)


def _compile_mask():
    import numba

    @numba.njit(cache=True, nogil=True, error_model="numpy")
    def mask_pass(x, bits, threshold, scale, out):
        zero = scale - scale  # 0 of the dtype; x * 1 is x itself, exactly
        for i in range(x.shape[0]):
            out[i] = x[i] * scale if bits[i] >= threshold else (x[i] * zero) * scale

    return mask_pass


def _compile_relu():
    import numba

    @numba.njit(cache=True, nogil=True, error_model="numpy")
    def relu_forward(z, zero):
        for i in range(z.shape[0]):
            if z[i] <= zero:  # -0.0 becomes 0.0, as in NumPy's maximum
                z[i] = zero

    @numba.njit(cache=True, nogil=True, error_model="numpy")
    def relu_backward(a, da, zero):
        for i in range(a.shape[0]):
            if not a[i] > zero:
                da[i] = da[i] * zero

    return relu_forward, relu_backward


def _compile_bias():
    import numba

    @numba.njit(cache=True, nogil=True, error_model="numpy")
    def add_rows(out, b):
        for i in range(out.shape[0]):
            for j in range(out.shape[1]):
                out[i, j] += b[j]

    @numba.njit(cache=True, nogil=True, error_model="numpy")
    def column_sums(d, out):
        for j in range(d.shape[1]):
            out[j] = d[0, j]
        for i in range(1, d.shape[0]):
            for j in range(d.shape[1]):
                out[j] += d[i, j]

    return add_rows, column_sums


def _compile_l2():
    import numba

    # reassociation only changes the order of the float64 sum of squares
    @numba.njit(cache=True, nogil=True, error_model="numpy", fastmath={"reassoc"})
    def l2_pass(weights, grad_out, scale):
        squares = 0.0
        for i in range(weights.shape[0]):
            w = weights[i]
            squares += np.float64(w * w)
            grad_out[i] += scale * w
        return squares

    return l2_pass


def _compile_sum_of_squares():
    import numba

    @numba.njit(cache=True, nogil=True, error_model="numpy", fastmath={"reassoc"})
    def sum_of_squares(weights):
        squares = 0.0
        for i in range(weights.shape[0]):
            w = weights[i]
            squares += np.float64(w * w)
        return squares

    return sum_of_squares
