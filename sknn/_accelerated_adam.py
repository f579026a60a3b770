"""The compiled Adam step (``sknn._accelerated.adam_kernel``), one pass over the vectors.

Module-level functions, so that numba's disk cache finds them again in the
next process. Each value is rounded to the arrays' dtype where the NumPy path
rounds it (``theta.dtype.type``), so the results equal it bitwise.
"""

import numba
import numpy as np

_OPTIONS = dict(cache=True, nogil=True, error_model="numpy")


# Every loop runs from 0 over views: a loop from n_weights would keep numba's
# negative-index check and not vectorize (4x slower).
@numba.njit(inline="always", **_OPTIONS)
def _update(theta, m, v, i, w, g, b1, c1, b2, c2, epsilon, lr_t):
    m_i = b1 * m[i] + c1 * g
    v_i = b2 * v[i] + c2 * (g * g)
    m[i] = m_i
    v[i] = v_i
    theta[i] = w - theta.dtype.type((m_i / (np.sqrt(v_i) + epsilon)) * lr_t)


@numba.njit(**_OPTIONS)
def _plain(theta, grad, m, v, b1, c1, b2, c2, epsilon, lr_t):
    for i in range(theta.shape[0]):
        _update(theta, m, v, i, theta[i], grad[i], b1, c1, b2, c2, epsilon, lr_t)


@numba.njit(**_OPTIONS)
def _weights(theta, grad, m, v, b1, c1, b2, c2, epsilon, lr_t, l2, decay):
    # the branches are the same for every i: one loop each, no test inside
    if l2 != 0 and decay != 1:
        for i in range(theta.shape[0]):
            w = theta[i]
            _update(theta, m, v, i, w * decay, grad[i] + l2 * w, b1, c1, b2, c2, epsilon, lr_t)
    elif l2 != 0:
        for i in range(theta.shape[0]):
            w = theta[i]
            _update(theta, m, v, i, w, grad[i] + l2 * w, b1, c1, b2, c2, epsilon, lr_t)
    elif decay != 1:
        for i in range(theta.shape[0]):
            _update(theta, m, v, i, theta[i] * decay, grad[i], b1, c1, b2, c2, epsilon, lr_t)
    else:
        _plain(theta, grad, m, v, b1, c1, b2, c2, epsilon, lr_t)


@numba.njit(**_OPTIONS)
def adam_step(theta, grad, m, v, b1, c1, b2, c2, epsilon, lr_t, n_weights, l2, decay):
    """See ``sknn._accelerated.adam_kernel``."""
    n = n_weights
    _weights(theta[:n], grad[:n], m[:n], v[:n], b1, c1, b2, c2, epsilon, lr_t, l2, decay)
    _plain(theta[n:], grad[n:], m[n:], v[n:], b1, c1, b2, c2, epsilon, lr_t)
