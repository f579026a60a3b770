"""The compiled loops of batch normalization's training passes (``sknn._batch_norm_passes``).

Used by ``sknn._accelerated.batch_norm_kernels``; every intermediate is
rounded to the arrays' dtype (``dtype.type``) where NumPy would round it,
and column sums add the rows in order, as NumPy's axis-0 reduction of a
C-contiguous array does, so the results equal the NumPy path bitwise.
"""

import numba
import numpy as np

#: module-level functions, so that numba's disk cache finds them again in the
#: next process (a closure holding other compiled functions misses it)
jit = numba.njit(cache=True, nogil=True, error_model="numpy")


def compile_batch_norm():
    """``(forward, backward)`` numba kernels (for float32 and float64 arrays)."""
    return forward, backward


@jit
def column_mean(a, out):
    n_rows, n_cols = a.shape
    for j in range(n_cols):
        out[j] = 0
    for i in range(n_rows):
        for j in range(n_cols):
            out[j] += a[i, j]
    count = out.dtype.type(n_rows)
    for j in range(n_cols):
        out[j] = out[j] / count


@jit
def forward(x, gamma, beta, epsilon, out, x_hat, mean, var, inv_std):
    n_rows, n_cols = x.shape
    column_mean(x, mean)
    for i in range(n_rows):
        for j in range(n_cols):
            d = x[i, j] - mean[j]
            x_hat[i, j] = d
            out[i, j] = d * d
    column_mean(out, var)
    for j in range(n_cols):
        one = inv_std.dtype.type(1)
        inv_std[j] = one / inv_std.dtype.type(np.sqrt(var[j] + epsilon))
    for i in range(n_rows):
        for j in range(n_cols):
            h = x_hat[i, j] * inv_std[j]
            x_hat[i, j] = h
            out[i, j] = h * gamma[j] + beta[j]


@jit
def backward(dout, x_hat, inv_std, gamma, dgamma, dbeta, dx, need_dx):
    n_rows, n_cols = dout.shape
    for j in range(n_cols):
        dgamma[j] = 0
        dbeta[j] = 0
    for i in range(n_rows):
        for j in range(n_cols):
            g = dout[i, j]
            dbeta[j] += g
            dgamma[j] += g * x_hat[i, j]
    if not need_dx:
        return
    count = dout.dtype.type(n_rows)
    scale = np.empty(n_cols, dout.dtype)
    shift = np.empty(n_cols, dout.dtype)
    tilt = np.empty(n_cols, dout.dtype)
    for j in range(n_cols):
        s = gamma[j] * inv_std[j]
        scale[j] = s
        shift[j] = (s * dbeta[j]) / count
        tilt[j] = (s * dgamma[j]) / count
    for i in range(n_rows):
        for j in range(n_cols):
            dx[i, j] = (dout[i, j] * scale[j] - shift[j]) - x_hat[i, j] * tilt[j]
