"""The compiled passes of a periodic embedding (``sknn.numeric_embeddings``).

The NumPy path materializes every angle ``2 pi w x + b``, its cosine (and for
PLR its sine) and the linear map's output as arrays of (features, members,
frequencies, rows), then transposes the result into the layer's output: a
dozen passes over arrays of several megabytes per batch of an ensemble.
These loops take one feature and member at a time and keep its rows' values
in short scratch rows that stay in the first-level cache, writing only the
output (forward) and the gradients (backward); the backward pass computes the
angles' sines and cosines again instead of reading them.

The trigonometry is ``sincos`` below, in float64 whatever the layer's dtype:
NumPy 2.4's float64 ``sin`` and ``cos`` are a scalar call per value (about
20 times slower than this loop, which the compiler vectorizes), its float32
ones are vectorized and about as fast. Arguments are reduced modulo pi / 2
(Cody and Waite, with pi / 2 split in three parts, exact in products with
quotients below 2**20), then Taylor polynomials on [-pi / 4, pi / 4] take
over, of degree 17 and 18 for float64 layers (truncation below 1e-19:
within two units in the last place of NumPy's for ``|a| <= 1e6``,
``sknn._accelerated.MAX_ANGLE``; ``tests/test_compiled_embedding.py``) and
of degree 9 and 10 for float32 ones (below 2e-9, far below float32's
rounding). The layer uses the NumPy path when its angles could be larger.

Results equal the NumPy path's to rounding, not bitwise: the sums run in
another order, in float64.
"""

import math
from decimal import Decimal, localcontext

import numba
import numpy as np

#: pi to 60 digits, from which the reduction's constants are derived exactly
_PI = Decimal("3.14159265358979323846264338327950288419716939937510582097494459")


def _leading_bits(value, bits):
    """``value`` (a Decimal) truncated to a float of ``bits`` significant bits."""
    mantissa, exponent = math.frexp(float(value))
    return math.ldexp(math.floor(math.ldexp(mantissa, bits)), exponent - bits)


def _half_pi_parts():
    """pi / 2 as p1 + p2 + p3, p1 and p2 of 33 bits (their products with
    quotients below 2**20 are exact), p3 the rounded rest."""
    with localcontext() as context:
        context.prec = 60
        half_pi = _PI / 2
        p1 = _leading_bits(half_pi, 33)
        p2 = _leading_bits(half_pi - Decimal(p1), 33)
        p3 = float(half_pi - Decimal(p1) - Decimal(p2))
        return p1, p2, p3, float(2 / _PI)


#: Taylor terms of sin and cos on [-pi / 4, pi / 4] for float64 results (r^17 and
#: r^18: the next terms are below 1e-19) and float32 ones (r^9 and r^10: below 2e-9)
N_TERMS = {8: (9, 10), 4: (5, 6)}

P1, P2, P3, TWO_OVER_PI = _half_pi_parts()

#: every function is module-level so that numba's disk cache finds it again in
#: the next process (a closure holding other compiled functions misses it)
_OPTIONS = dict(cache=True, nogil=True, error_model="numpy")


def _taylor_terms(itemsize):
    """(sin's, cos's) Taylor coefficients for results of ``itemsize`` bytes."""
    n_sin, n_cos = N_TERMS[itemsize]
    return (tuple((-1) ** i / math.factorial(2 * i + 1) for i in range(n_sin)),
            tuple((-1) ** i / math.factorial(2 * i) for i in range(n_cos)))


def compile_embedding(itemsize):
    """``(forward, backward, trig_row)`` for arrays of ``itemsize`` bytes.

    See their docstrings (the polynomials' terms, the last two arguments of
    each, are bound here). All compute in float64; float32 results take
    shorter polynomials, so the tuples' lengths compile a version of each.
    """
    sin_terms, cos_terms = _taylor_terms(itemsize)

    def forward_(*args):
        forward(*args, sin_terms, cos_terms)

    def backward_(*args):
        backward(*args, sin_terms, cos_terms)

    def trig_row_(*args):
        trig_row(*args, sin_terms, cos_terms)

    return forward_, backward_, trig_row_


# compiled without fast-math: the reduction's order is what makes it exact,
# and a separate function keeps its own flags when inlined into the others
@numba.njit(**_OPTIONS)
def sincos(a, sin_terms, cos_terms):
    """(sin a, cos a) in float64; the terms' tuples set the polynomials' degrees."""
    q = np.rint(a * TWO_OVER_PI)
    r = a - q * P1
    r = r - q * P2
    r = r - q * P3
    z = r * r
    n_sin, n_cos = len(sin_terms), len(cos_terms)
    s = sin_terms[n_sin - 1]
    for i in range(n_sin - 2, -1, -1):
        s = s * z + sin_terms[i]
    s = s * r
    c = cos_terms[n_cos - 1]
    for i in range(n_cos - 2, -1, -1):
        c = c * z + cos_terms[i]
    quadrant = np.int64(q) & 3
    if quadrant & 1:
        s, c = c, s
    if quadrant & 2:
        s = -s
    if (quadrant + 1) & 2:
        c = -c
    return s, c


@numba.njit(**_OPTIONS)
def trig_row(x, w, b, sines, cosines, sin_terms, cos_terms):
    """``sines, cosines = sin(w * x + b), cos(w * x + b)`` of the 1-d ``x``, in place."""
    for r in range(x.shape[0]):
        sines[r], cosines[r] = sincos(w * x[r] + b, sin_terms, cos_terms)


# products and sums contracted to fused multiply-adds, but no reassociation:
# a row's output must not depend on whether it falls in the vectorized body
# of a loop or its remainder (a prediction of the same row at another
# position gives the same bits)
@numba.njit(**dict(_OPTIONS, fastmath={"contract"}))
def forward(xT, frequency, phase, V, c, out, linear, plr, keep_linear, scratch, sin_terms,
            cos_terms):
    """The embedded features' block of ``out`` (m, n, n_out), in place.

    ``xT`` (1 or m, n_embedded, n): the embedded columns, features first,
    shared by the members or member i's rows in ``xT[i]``;
    ``frequency`` and ``phase`` (m, n_embedded, k): the frequencies w (the
    angle is 2 pi w x + phase) and the phases (zeros for PLR); ``V``
    (m, n_embedded, k or 2 k, d_linear) and ``c`` (m, n_embedded,
    d_linear). Feature j's d_embedding columns start at ``j *
    d_embedding``: PBLD's linear map then the feature itself, PLR's ReLU
    of its linear map, whose input is kept in ``linear`` (m, n_embedded,
    d_linear, n) when ``keep_linear``. ``scratch`` is
    float64 of shape (d_linear + 2, n).
    """
    m, n_embedded, k = frequency.shape
    n, d_linear = xT.shape[2], c.shape[2]
    d = d_linear if plr else d_linear + 1
    two_pi = 2 * math.pi
    acc, sines, cosines = scratch[:d_linear], scratch[d_linear], scratch[d_linear + 1]
    for i in range(m):
        rows = i if xT.shape[0] > 1 else 0
        for j in range(n_embedded):
            x = xT[rows, j]
            for e in range(d_linear):
                acc[e, :] = c[i, j, e]
            for f in range(k):
                trig_row(x, two_pi * np.float64(frequency[i, j, f]),
                         np.float64(phase[i, j, f]), sines, cosines, sin_terms, cos_terms)
                for e in range(d_linear):
                    v = np.float64(V[i, j, f, e])
                    for r in range(n):
                        acc[e, r] += v * cosines[r]
                    if plr:
                        v = np.float64(V[i, j, k + f, e])
                        for r in range(n):
                            acc[e, r] += v * sines[r]
            for r in range(n):
                for e in range(d_linear):
                    value = acc[e, r]
                    if plr:
                        if keep_linear:
                            linear[i, j, e, r] = value
                        value = value if value > 0.0 else 0.0
                    out[i, r, j * d + e] = value
                if not plr:
                    out[i, r, j * d + d - 1] = x[r]


@numba.njit(**dict(_OPTIONS, fastmath={"reassoc", "contract"}))  # vectorized sums
def backward(dout, xT, frequency, phase, V, linear, plr, dw, dphase, dV, dc, dxT, scratch,
             sin_terms, cos_terms):
    """The parameters' gradients and the input's (summed over the members if shared).

    ``dout`` (m, n, n_out); the arrays of ``forward``, and ``linear`` as
    ``forward`` kept it (PLR). Writes ``dw`` (m, n_embedded, k: the
    gradient of the frequencies), ``dphase`` (same shape; PBLD), ``dV``
    and ``dc`` (the shapes of V and c), and ``dxT`` (the shape of ``xT``,
    float64), every entry. ``scratch`` is float64 of shape
    (d_linear + 5, n).
    """
    m, n_embedded, k = frequency.shape
    n, d_linear = xT.shape[2], dc.shape[2]
    d = d_linear if plr else d_linear + 1
    dlinear = scratch[:d_linear]
    sines, cosines = scratch[d_linear], scratch[d_linear + 1]
    dcos, dsin, dangle = scratch[d_linear + 2], scratch[d_linear + 3], scratch[d_linear + 4]
    dxT[...] = 0
    two_pi = 2 * math.pi
    for i in range(m):
        rows = i if xT.shape[0] > 1 else 0
        for j in range(n_embedded):
            x = xT[rows, j]
            for e in range(d_linear):
                total = 0.0
                for r in range(n):
                    g = np.float64(dout[i, r, j * d + e])
                    if plr and not linear[i, j, e, r] > 0:
                        g = 0.0
                    dlinear[e, r] = g
                    total += g
                dc[i, j, e] = total
            if not plr:
                for r in range(n):
                    dxT[rows, j, r] += dout[i, r, j * d + d - 1]
            for f in range(k):
                w = two_pi * np.float64(frequency[i, j, f])
                trig_row(x, w, np.float64(phase[i, j, f]), sines, cosines, sin_terms, cos_terms)
                dcos[:] = 0.0
                dsin[:] = 0.0
                for e in range(d_linear):
                    v = np.float64(V[i, j, f, e])
                    total = 0.0
                    for r in range(n):
                        dcos[r] += v * dlinear[e, r]
                        total += cosines[r] * dlinear[e, r]
                    dV[i, j, f, e] = total
                    if plr:
                        v = np.float64(V[i, j, k + f, e])
                        total = 0.0
                        for r in range(n):
                            dsin[r] += v * dlinear[e, r]
                            total += sines[r] * dlinear[e, r]
                        dV[i, j, k + f, e] = total
                # d cos(a) / da = -sin(a), d sin(a) / da = cos(a)
                total_x, total = 0.0, 0.0
                for r in range(n):
                    g = cosines[r] * dsin[r] - sines[r] * dcos[r]
                    dangle[r] = g
                    total_x += g * x[r]
                    total += g
                dw[i, j, f] = total_x * two_pi
                dphase[i, j, f] = total
                for r in range(n):
                    dxT[rows, j, r] += dangle[r] * w
