"""Inference on many rows in row blocks, through work arrays reused block after block.

A whole-set forward pass allocates every layer's output for all rows at once
(20000 x 512 float32 is 41 MB): fresh memory that the kernel maps and zeroes
page by page, and that the bias addition and the activation then stream
through out of cache. In blocks of a few thousand rows, each dense layer
writes into one array reused by every block, which stays in cache for the
element-wise work that follows; only the logits are kept for all rows. The
results are those of the whole-set pass (each row's products are computed
alike; the blocks are kept near-equal in size so that no block is a sliver
that BLAS might treat differently).
"""

import numpy as np

from .layers import ActivationLayer, BatchNorm, Dense, Dropout, MaxoutLayer, PReLULayer

#: layers whose inference treats every row on its own and keeps the rows' axis
#: first (exact types: a subclass, like the tabular layers, may not)
ROW_WISE = (Dense, ActivationLayer, BatchNorm, Dropout, MaxoutLayer, PReLULayer)

#: bytes of the widest layer's output per block: 8 MB measured best on the
#: workload at two BLAS threads (20000 x 784 -> 512 -> 256 -> 10, 2675 float32
#: rows: 0.89 of the products' time, 0.82 with 4 MB blocks and 0.83 unblocked);
#: fewer, larger blocks also mean fewer multithreaded calls to wait on
BLOCK_BYTES = 1 << 23
#: bounds on the rows of a block
MIN_BLOCK_ROWS, MAX_BLOCK_ROWS = 256, 4096


def block_rows(layers, n_rows, itemsize):
    """Rows per block for these layers, or None: one block would hold them all, or
    a layer is not one of ``ROW_WISE``.

    Parameters
    ----------
    layers : list of Layer
    n_rows : int
    itemsize : int
        Bytes per value of the computation's dtype.

    Returns
    -------
    int or None
    """
    if n_rows <= MIN_BLOCK_ROWS:  # first, and cheap: the one-row prediction asks too
        return None
    if not all(type(layer) in ROW_WISE for layer in layers):
        return None
    widest = max(max(layer.n_in, layer.n_out) for layer in layers)
    rows = min(max(BLOCK_BYTES // (widest * itemsize), MIN_BLOCK_ROWS), MAX_BLOCK_ROWS)
    if n_rows <= rows:
        return None
    n_blocks = -(-n_rows // rows)
    return -(-n_rows // n_blocks)  # near-equal blocks


def predict_in_blocks(layers, X, rows):
    """Inference-mode logits of dense ``X``, ``rows`` rows at a time.

    Parameters
    ----------
    layers : list of Layer
        Bound, in network order, all of ``ROW_WISE``.
    X : ndarray of shape (n_samples, n_features)
        Never written to.
    rows : int
        Rows per block (``block_rows``).

    Returns
    -------
    Z : ndarray of shape (n_samples, n_outputs)
    """
    dtype = np.result_type(X.dtype, *(layer.params["W"].dtype for layer in layers
                                      if type(layer) is Dense))
    work = [np.empty((rows, layer.n_out), dtype) if type(layer) is Dense else None
            for layer in layers]
    Z = None
    for start in range(0, X.shape[0], rows):
        out, owned = X[start : start + rows], False
        n = out.shape[0]
        for layer, buffer in zip(layers, work):
            if buffer is not None:  # a dense layer writes into its work array
                out = layer._affine(out, buffer[:n])
                owned = True
            else:
                out = layer.infer(out, overwrite=owned)
                owned = layer.owns_inference_output
        if Z is None:
            Z = np.empty((X.shape[0], out.shape[1]), out.dtype)
        Z[start : start + n] = out
    return Z
