"""Weight penalties, L2 (``alpha``), L1 (``l1``) and both (elastic net), and the
max-norm constraint.

Penalties act only on connection weights, never on biases or other
parameters; the network's layout keeps all weights in the leading slice
``theta[:n_weights]``, which is what these functions receive. As in
scikit-learn, the penalty of a mini-batch is divided by the batch's total
sample weight (its size when unweighted), so ``alpha`` keeps scikit-learn's
meaning: 0.5 * alpha * ||w||^2 / n_samples, and L1 adds l1 * ||w||_1 /
n_samples. The L1 gradient is the subgradient ``sign(w)`` (0 at w = 0) for
full-batch solvers (L-BFGS-B has no proximal step, so its L1 weights come
near zero, not to it); the mini-batch solvers leave it out of the gradient
and apply L1 after every update with ``truncate_l1``, the cumulative-penalty
truncated gradient of Tsuruoka, Tsujii & Ananiadou (2009), which
scikit-learn's ``SGDClassifier`` uses: a weight that the penalty would push
across zero stops at exactly zero (adaptive rules apply it at their
per-coordinate rates).

Max-norm is not a penalty but a projection applied after every update:
each hidden unit's incoming weight vector (a column of its layer's weight
matrix) is rescaled to norm at most c.
"""

import numpy as np

from ._accelerated import l2_kernel, sum_of_squares_kernel
from ._chunks import chunk_slices, scratch


def penalty_value_and_grad(
    weights, grad_out, *, alpha, l1, total_weight, l1_gradient=True, l2_gradient=True
):
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
    l1_gradient : bool, default=True
        Whether the L1 subgradient goes into ``grad_out`` (False: the value
        only, for a solver that applies ``truncate_l1`` instead).
    l2_gradient : bool, default=True
        Whether the L2 gradient, ``alpha / total_weight * w``, goes into
        ``grad_out`` (False: the value only, for a step that adds it itself,
        ``add_l2_gradient``, as the compiled Adam step does in its own pass).

    Returns
    -------
    value : float
    """
    value = 0.0
    if not total_weight > 0:  # a batch of zero-weight rows carries no data
        return value
    if alpha:
        if l2_gradient:
            squares = _l2_value_and_grad(weights, grad_out, alpha / total_weight)
        else:
            squares = sum_of_squares(weights)
        value += 0.5 * alpha * squares / total_weight
    if l1:
        value += l1 * float(np.abs(weights).sum(dtype=np.float64)) / total_weight
        if l1_gradient:
            grad_out += (l1 / total_weight) * np.sign(weights)
    return value


def _l2_value_and_grad(weights, grad_out, scale):
    """||w||^2, adding ``scale * w`` to ``grad_out``: one cached pass (``sknn._chunks``).

    No BLAS level-1 call: with several BLAS threads on a loaded machine a
    ``dot`` over half a million weights can take milliseconds.
    """
    kernel = l2_kernel(weights.dtype, weights.size)
    if kernel is not None:  # the same pass compiled (sknn._accelerated)
        return float(kernel(weights, grad_out, weights.dtype.type(scale)))

    def add_gradient(part, w, tmp):
        np.multiply(w, scale, out=tmp)
        grad_out[part] += tmp

    return _chunked_squares(weights, add_gradient)


def _chunked_squares(weights, then=None):
    """||w||^2 chunk by chunk (``sknn._chunks``), calling ``then(part, w, tmp)`` on
    each chunk while it is in cache (``tmp``: a scratch array of its size)."""
    squares = 0.0
    buffer = scratch(weights.dtype)
    for part in chunk_slices(weights.size, weights.dtype):
        w = weights[part]
        tmp = buffer[: w.size]
        np.multiply(w, w, out=tmp)
        squares += float(tmp.sum())  # pairwise within the chunk, summed in float64
        if then is not None:
            then(part, w, tmp)
    return squares


def add_l2_gradient(weights, grad_out, scale):
    """``grad_out += scale * weights`` in place, chunk by chunk: the L2 pass's gradient.

    ``scale`` is cast to the weights' dtype first, as in ``_l2_value_and_grad``.
    """
    scale = weights.dtype.type(scale)
    buffer = scratch(weights.dtype)
    for part in chunk_slices(weights.size, weights.dtype):
        tmp = buffer[: part.stop - part.start]
        np.multiply(weights[part], scale, out=tmp)
        grad_out[part] += tmp


def sum_of_squares(weights):
    """||w||^2 as a float (accumulated in float64 per chunk): the L2 pass's value."""
    kernel = sum_of_squares_kernel(weights.dtype, weights.size)
    if kernel is not None:  # compiled (sknn._accelerated)
        return float(kernel(weights))
    return _chunked_squares(weights)


def truncate_l1(weights, applied, total):
    """Apply the L1 penalty accumulated so far, in place, never crossing zero.

    Tsuruoka et al.'s cumulative penalty: ``total`` is the L1 step every
    weight should have received so far (the sum over updates of
    lr * l1 / batch weight), ``applied[i]`` the signed amount weight i did
    receive. A positive weight moves down by up to ``total + applied[i]``, a
    negative one up by up to ``total - applied[i]``, and stops at 0.

    Parameters
    ----------
    weights : ndarray of shape (n_weights,)
        The penalised slice of theta.
    applied : ndarray of shape (n_weights,)
        Updated in place.
    total : float or ndarray of shape (n_weights,)
    """
    before = weights.copy()
    total = np.broadcast_to(total, weights.shape)
    positive, negative = weights > 0, weights < 0
    weights[positive] = np.maximum(0, weights[positive] - (total[positive] + applied[positive]))
    weights[negative] = np.minimum(0, weights[negative] + (total[negative] - applied[negative]))
    applied += weights - before


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
