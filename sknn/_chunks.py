"""Element-wise passes over long vectors in cache-sized pieces.

A chain of NumPy operations over the whole parameter vector (Adam's moment
updates, the L2 penalty) reads and writes every array once per operation, and
each operation's temporary is a fresh allocation. Walking the vector in pieces
of ``CHUNK_BYTES`` keeps a piece of every operand in the CPU cache across the
chain, and one small per-thread scratch buffer replaces the temporaries. The
operations and their order stay those of the unchunked formula, so the
results are bitwise the same.
"""

import threading

import numpy as np

#: bytes of one piece of one operand (the pieces of 5-6 operands fit a core's L2)
CHUNK_BYTES = 1 << 17

_local = threading.local()


def chunk_slices(n, dtype):
    """Consecutive slices covering ``range(n)``, each of at most ``CHUNK_BYTES`` of ``dtype``."""
    step = max(CHUNK_BYTES // np.dtype(dtype).itemsize, 1)
    return [slice(start, min(start + step, n)) for start in range(0, n, step)]


def scratch(dtype):
    """This thread's scratch vector of one chunk of ``dtype`` (reused by every caller).

    Per thread, so that fits running in parallel threads never share it; a
    caller must be done with it before calling anything else that uses it.
    """
    buffers = getattr(_local, "buffers", None)
    if buffers is None:
        buffers = _local.buffers = {}
    dtype = np.dtype(dtype)
    buffer = buffers.get(dtype)
    if buffer is None:
        buffer = buffers[dtype] = np.empty(max(CHUNK_BYTES // dtype.itemsize, 1), dtype=dtype)
    return buffer
