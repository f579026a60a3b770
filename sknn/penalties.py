"""Weight penalties, L2 (``alpha``), L1 (``l1``) and both (elastic net), and the
max-norm constraint.

Penalties act only on connection weights, never on biases or other
parameters; the network's layout keeps all weights in the leading slice
``theta[:n_weights]``, which is what these functions receive. As in
scikit-learn, the penalty of a mini-batch is divided by the batch's total
sample weight (its size when unweighted), so ``alpha`` keeps scikit-learn's
meaning: 0.5 * alpha * ||w||^2 / n_samples, and L1 adds l1 * ||w||_1 /
n_samples. The L1 gradient is the subgradient ``sign(w)`` (0 at w = 0).

Max-norm is not a penalty but a projection applied after every update:
each hidden unit's incoming weight vector (a column of its layer's weight
matrix) is rescaled to norm at most c.
"""

import numpy as np


def penalty_value_and_grad(weights, grad_out, *, alpha, l1, total_weight):
    """Add the penalty's gradient to ``grad_out`` in place and return its value.

    Parameters
    ----------
    weights : ndarray of shape (n_weights,)
        The penalised slice of theta.
    grad_out : ndarray of shape (n_weights,)
        The matching slice of the gradient; the penalty gradient is added to it.
    alpha, l1 : float
        L2 and L1 strengths (>= 0).
    total_weight : float
        Sum of the batch's sample weights (its size when unweighted).

    Returns
    -------
    value : float
    """
    value = 0.0
    if not total_weight > 0:  # a batch of zero-weight rows carries no data
        return value
    if alpha:
        value += 0.5 * alpha * float(np.dot(weights, weights)) / total_weight
        grad_out += (alpha / total_weight) * weights
    if l1:
        value += l1 * float(np.abs(weights).sum(dtype=np.float64)) / total_weight
        grad_out += (l1 / total_weight) * np.sign(weights)
    return value


def clip_column_norms(W, max_norm):
    """Rescale, in place, every column of ``W`` whose norm exceeds ``max_norm``.

    Parameters
    ----------
    W : ndarray of shape (n_in, n_units)
        Column j is unit j's incoming weight vector.
    max_norm : float
        The bound c > 0.
    """
    norms = np.sqrt(np.einsum("ij,ij->j", W, W))
    too_long = norms > max_norm
    if too_long.any():
        W[:, too_long] *= (max_norm / norms[too_long]).astype(W.dtype, copy=False)
