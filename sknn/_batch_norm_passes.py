"""Batch normalization's training passes over unweighted rows, NumPy or compiled.

``normalize`` is the training forward of ``sknn.layers.BatchNorm`` without
sample weights; ``normalize_backward`` its backward. In NumPy they are a
chain of whole-array operations with their temporaries; with numba (the
``fast`` extra, ``sknn._accelerated``) each is two or three passes over the
batch with no temporary. The compiled loops do the NumPy path's operations in
its order and precision (column sums of a C-contiguous array add the rows one
after the other, as NumPy's axis-0 reduction does), so their results are
bitwise equal; the tests compare both.
"""

import numpy as np

from ._accelerated import batch_norm_kernels


def normalize(x, gamma, beta, epsilon):
    """``(out, x_hat, mean, var, inv_std)`` of batch normalization in training mode.

    Parameters
    ----------
    x : ndarray of shape (n_rows, n_features)
    gamma, beta : ndarray of shape (n_features,)
    epsilon : float

    Returns
    -------
    out, x_hat : ndarray of shape (n_rows, n_features)
        ``gamma * x_hat + beta`` and ``x_hat = (x - mean) * inv_std``, new arrays.
    mean, var, inv_std : ndarray of shape (n_features,)
        The batch's mean and population variance (two passes), and
        ``1 / sqrt(var + epsilon)``.
    """
    kernels = _kernels_for(x)
    if kernels is not None:
        out, x_hat = np.empty_like(x), np.empty_like(x)
        mean, var, inv_std = (np.empty(x.shape[1], x.dtype) for _ in range(3))
        kernels[0](x, gamma, beta, x.dtype.type(epsilon), out, x_hat, mean, var, inv_std)
        return out, x_hat, mean, var, inv_std
    mean = x.mean(axis=0)
    x_hat = x - mean
    out = np.multiply(x_hat, x_hat)  # the squared deviations, then the output
    var = out.mean(axis=0)
    inv_std = 1.0 / np.sqrt(var + epsilon)
    x_hat *= inv_std
    np.multiply(x_hat, gamma, out=out)
    out += beta
    return out, x_hat, mean, var, inv_std


def normalize_backward(dout, x_hat, inv_std, gamma, dgamma, dbeta, need_dx=True):
    """Fill ``dgamma`` and ``dbeta`` in place; return dLoss/dx (None without ``need_dx``).

    Parameters
    ----------
    dout, x_hat : ndarray of shape (n_rows, n_features)
    inv_std, gamma : ndarray of shape (n_features,)
    dgamma, dbeta : ndarray of shape (n_features,)
        Overwritten with ``sum(dout * x_hat)`` and ``sum(dout)`` over the rows.
    need_dx : bool, default=True

    Returns
    -------
    dx : ndarray of shape (n_rows, n_features) or None
        ``(g - mean(g) - x_hat * mean(g * x_hat)) * inv_std`` for
        ``g = gamma * dout``, from the sums already made.
    """
    kernels = _kernels_for(dout, x_hat)
    if kernels is not None:
        # without need_dx an empty array stands in (the kernel's types stay fixed)
        dx = np.empty_like(dout) if need_dx else np.empty((0, 0), dout.dtype)
        kernels[1](dout, x_hat, inv_std, gamma, dgamma, dbeta, dx, need_dx)
        return dx if need_dx else None
    np.sum(dout, axis=0, out=dbeta)
    np.sum(dout * x_hat, axis=0, out=dgamma)
    if not need_dx:
        return None
    # sum g = gamma * dbeta and sum(g * x_hat) = gamma * dgamma, already summed
    scale = gamma * inv_std
    n = dout.shape[0]
    dx = np.multiply(dout, scale)
    dx -= scale * dbeta / n
    dx -= x_hat * (scale * dgamma / n)
    return dx


def _kernels_for(*arrays):
    """The compiled (forward, backward) pair for these arrays, or None (NumPy).

    Only C-contiguous arrays of two columns or more: with one column NumPy's
    reduction runs along contiguous memory and sums pairwise, which the
    compiled row-by-row sums would not reproduce.
    """
    x = arrays[0]
    if x.ndim != 2 or x.shape[1] < 2:
        return None
    if not all(isinstance(a, np.ndarray) and a.flags.c_contiguous for a in arrays):
        return None
    return batch_norm_kernels(x.dtype, x.size)
