"""Data-dependent initialization of dense layers: RealMLP-TD's 'std' weights and 'he+5' biases.

Holzmueller et al. (2024) initialize every hidden dense layer from the
training inputs it will see, layer after layer:

- **'std' weights**: after the usual draw, each unit's weights are divided
  by the standard deviation of its pre-activations on the data, so that
  every unit starts with unit-variance pre-activations whatever the inputs'
  scale (population std; a constant unit keeps its weights);
- **'he+5' biases**: each unit's bias is minus a random convex combination
  (Dirichlet(1, ..., 1) weights) of its pre-activations at 5 random rows, so
  that the kink of its activation starts inside the data (Steinwart 2019).

The output layer keeps its own initialization (zeros in RealMLP-TD).
"""

__all__ = ["initialize_from_data", "rescale_and_place_biases"]

import numpy as np
import scipy.sparse as sp

#: at most this many rows feed the initialization
MAX_ROWS = 2048

#: rows combined into each bias
N_POINTS = 5


def rescale_and_place_biases(W, b, z, rng):
    """Give one layer's units unit-std pre-activations and data-placed biases, in place.

    Parameters
    ----------
    W : ndarray of shape (n_in, n_out)
        The weights; column j is divided by the std of ``z[:, j]``.
    b : ndarray of shape (n_out,)
        The biases, overwritten.
    z : ndarray of shape (n_samples, n_out)
        Pre-activations without bias on the sample rows (overwritten: rescaled).
    rng : numpy.random.RandomState
    """
    scale = z.std(axis=0)
    scale[~(scale > 0)] = 1.0
    W /= scale
    z /= scale
    n, n_out = z.shape
    rows = rng.randint(0, n, size=(n_out, N_POINTS))
    mix = rng.exponential(size=(n_out, N_POINTS))
    mix /= mix.sum(axis=1, keepdims=True)
    b[...] = -(mix * z[rows, np.arange(n_out)[:, None]]).sum(axis=1)


def initialize_from_data(network, X, rng, max_rows=MAX_ROWS):
    """Initialize every layer that can (``initialize_from_data``) on rows of ``X``.

    Walks the layers in order in inference mode: each layer that has an
    ``initialize_from_data(x, rng)`` method sets its parameters from its
    input ``x``, then ``x`` becomes that layer's output.

    Parameters
    ----------
    network : sknn._network.Network
        Already initialized as usual (this refines it).
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Training inputs (after the estimator's preprocessing).
    rng : numpy.random.RandomState
    max_rows : int, default=2048
        A random subset of at most this many rows is used.
    """
    n = X.shape[0]
    rows = np.sort(rng.choice(n, size=max_rows, replace=False)) if n > max_rows else slice(None)
    x = X[rows]
    x = x.toarray() if sp.issparse(x) else np.asarray(x)
    x = x.astype(network.theta.dtype, copy=False)
    for layer in network.layers:
        initialize = getattr(layer, "initialize_from_data", None)
        if initialize is not None:
            initialize(x, rng)
        x = layer.infer(x)
