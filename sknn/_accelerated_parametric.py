"""The compiled loops of a parametric activation (``sknn.parametric_activation``).

The layer computes ``out = (f(z) - z) * w + z`` with one weight ``w`` per unit
and member. Its NumPy path makes three passes forward and four or five
backward, plus the activation's own; these loops make one, in the NumPy
path's operation order and precision, so that their results equal it to the
last bit (``tests/test_fast_paths.py``). SELU's and Mish's passes are fused
whole, but their ``expm1`` and ``exp`` stay NumPy's (vectorized; numba's
would be a scalar call per element).

Every array is 3-d, (members, rows, units) (one member: a leading 1), and C
contiguous; ``w`` and ``one_minus_w`` (NumPy's ``1 - w``) are (members,
units), as is the gradient ``dmix``, which is summed over the rows row after
row, the order of NumPy's ``sum`` over that axis.
"""

import numba

#: module-level functions, so that numba's disk cache finds them again in the
#: next process (a closure holding other compiled functions misses it)
_OPTIONS = dict(cache=True, nogil=True, error_model="numpy")


def compile_parametric():
    """``(mix_forward, mix_backward, add_identity_part, selu_forward, selu_backward,
    mish_forward, mish_backward)``.

    The constants passed in (``scale``, ``scale_alpha``) are of the arrays' dtype.
    """
    return (mix_forward, mix_backward, add_identity_part, selu_forward, selu_backward,
            mish_forward, mish_backward)


@numba.njit(**_OPTIONS)
def mix_forward(z, f, w, out):
    """``out = (f - z) * w + z``."""
    for k in range(z.shape[0]):
        for i in range(z.shape[1]):
            for j in range(z.shape[2]):
                out[k, i, j] = (f[k, i, j] - z[k, i, j]) * w[k, j] + z[k, i, j]


@numba.njit(**_OPTIONS)
def mix_backward_rows(dout, z, f, w, dmix, g, k, i, first):
    for j in range(z.shape[2]):
        d = dout[k, i, j]
        term = (f[k, i, j] - z[k, i, j]) * d
        dmix[k, j] = term if first else dmix[k, j] + term
        g[k, i, j] = d * w[k, j]


@numba.njit(**_OPTIONS)
def mix_backward(dout, z, f, w, dmix, g):
    """``dmix = sum over rows of (f - z) * dout`` and ``g = dout * w`` (f's share)."""
    for k in range(z.shape[0]):
        mix_backward_rows(dout, z, f, w, dmix, g, k, 0, True)
        for i in range(1, z.shape[1]):
            mix_backward_rows(dout, z, f, w, dmix, g, k, i, False)


@numba.njit(**_OPTIONS)
def add_identity_part(dz, dout, one_minus_w):
    """``dz += dout * (1 - w)`` (the identity's share)."""
    for k in range(dz.shape[0]):
        for i in range(dz.shape[1]):
            for j in range(dz.shape[2]):
                dz[k, i, j] += dout[k, i, j] * one_minus_w[k, j]


@numba.njit(**_OPTIONS)
def selu_forward(z, f, w, out, scale, scale_alpha):
    """``f`` holds ``expm1(min(z, 0))`` and becomes SELU(z); ``out`` the mix.

    SELU's NumPy path: ``expm1(min(z, 0)) * scale_alpha + max(z, 0) * scale``.
    """
    zero = scale - scale
    for k in range(z.shape[0]):
        for i in range(z.shape[1]):
            for j in range(z.shape[2]):
                x = z[k, i, j]
                positive = x if (x >= zero or x != x) else zero  # NumPy's maximum
                a = f[k, i, j] * scale_alpha + positive * scale
                f[k, i, j] = a
                out[k, i, j] = (a - x) * w[k, j] + x


@numba.njit(**_OPTIONS)
def selu_backward_rows(dout, z, f, w, one_minus_w, dmix, dz, scale, scale_alpha, k, i,
                       first):
    zero, one = scale - scale, scale / scale
    for j in range(z.shape[2]):
        d, x, a = dout[k, i, j], z[k, i, j], f[k, i, j]
        term = (a - x) * d
        dmix[k, j] = term if first else dmix[k, j] + term
        g = d * w[k, j]
        slope = (a if (a <= zero or a != a) else zero) + scale_alpha  # NumPy's minimum
        if x > zero:
            slope = slope * zero + scale
        else:
            slope = slope * one + zero
        dz[k, i, j] = slope * g + d * one_minus_w[k, j]


@numba.njit(**_OPTIONS)
def selu_backward(dout, z, f, w, one_minus_w, dmix, dz, scale, scale_alpha):
    """``dmix`` as ``mix_backward``, and ``dz = SELU'(z) * (dout * w) + dout * (1 - w)``.

    SELU's derivative as its NumPy path selects it by arithmetic:
    ``(min(f, 0) + scale_alpha) * (z <= 0) + (z > 0) * scale``.
    """
    for k in range(z.shape[0]):
        selu_backward_rows(dout, z, f, w, one_minus_w, dmix, dz, scale, scale_alpha, k, 0,
                           True)
        for i in range(1, z.shape[1]):
            selu_backward_rows(dout, z, f, w, one_minus_w, dmix, dz, scale, scale_alpha, k,
                               i, False)


@numba.njit(**_OPTIONS)
def mish_forward(z, e, w, f, out, two):
    """``e`` holds ``exp(min(z, 20))``; ``f`` becomes Mish(z), ``out`` the mix.

    Mish's NumPy path: ``n = (e + 2) * e``, ``f = n / (n + 2) * z`` (``two``
    is 2 of the dtype: an integer literal would make numba compute in float64).
    """
    for k in range(z.shape[0]):
        for i in range(z.shape[1]):
            for j in range(z.shape[2]):
                x, ex = z[k, i, j], e[k, i, j]
                n = (ex + two) * ex
                a = (n / (n + two)) * x
                f[k, i, j] = a
                out[k, i, j] = (a - x) * w[k, j] + x


@numba.njit(**_OPTIONS)
def mish_backward_rows(dout, z, f, e, w, one_minus_w, dmix, dz, two, k, i, first):
    one, four = two / two, two + two
    for j in range(z.shape[2]):
        d, x, ex = dout[k, i, j], z[k, i, j], e[k, i, j]
        term = (f[k, i, j] - x) * d
        dmix[k, j] = term if first else dmix[k, j] + term
        g = d * w[k, j]
        n = (ex + two) * ex
        square = n + two
        t = n / square  # tanh(softplus(z))
        square = square * square
        slope = (((ex / square) * (ex + one)) * x) * four + t
        dz[k, i, j] = slope * g + d * one_minus_w[k, j]


@numba.njit(**_OPTIONS)
def mish_backward(dout, z, f, e, w, one_minus_w, dmix, dz, two):
    """``dmix`` as ``mix_backward``, and ``dz = Mish'(z) * (dout * w) + dout * (1 - w)``,
    Mish's derivative in its NumPy path's order (``e`` as in ``mish_forward``)."""
    for k in range(z.shape[0]):
        mish_backward_rows(dout, z, f, e, w, one_minus_w, dmix, dz, two, k, 0, True)
        for i in range(1, z.shape[1]):
            mish_backward_rows(dout, z, f, e, w, one_minus_w, dmix, dz, two, k, i, False)
