"""Batch-norm statistics for a parameter vector that was not trained directly."""

import numpy as np

from ..layers import BatchNorm
from .data import take_rows
from .batches import batch_size_for


def recompute_statistics(network, data, batch_size, rng):
    """Running mean and variance of every batch-norm layer, recomputed on ``data``.

    The running statistics belong to the weights they were measured with: an
    average of the iterates (``averaging``) needs its own. As PyTorch's
    ``torch.optim.swa_utils.update_bn``, the buffers are reset and the
    network runs forward in training mode over the data in mini-batches,
    each batch's statistics entering with equal weight (a cumulative
    average); nothing else changes.

    Parameters
    ----------
    network : Network
        Bound to the parameters to measure and to the buffers to fill.
    data : tuple (X, Y, sample_weight)
        X of shape (n_samples, n_features), ndarray or sparse; Y unused.
    batch_size : int or 'auto'
    rng : numpy.random.RandomState
        Feeds the stochastic layers (dropout), as in training.
    """
    X, _, sample_weight = data
    layers = [layer for layer in network.layers if isinstance(layer, BatchNorm)]
    if not layers:
        return
    network.buffers[...] = network.buffer_layout.filled(network.buffers.dtype)
    momenta = [layer.momentum for layer in layers]
    n = X.shape[0]
    size = batch_size_for(batch_size, n)
    try:
        for layer in layers:
            layer.momentum = 1.0  # m = k / (k + 1): the plain average of the batches
        with np.errstate(over="ignore", invalid="ignore"):
            for start in range(0, n, size):
                rows = np.arange(start, min(start + size, n))
                network.forward(take_rows(X, rows), training=True, rng=rng,
                                sample_weight=take_rows(sample_weight, rows))
    finally:
        for layer, momentum in zip(layers, momenta):
            layer.momentum = momentum
