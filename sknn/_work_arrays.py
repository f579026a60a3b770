"""Work arrays a layer keeps from one training batch to the next.

A fresh array of a few hundred kilobytes per layer and batch is not free:
glibc serves it from ``mmap`` or from a heap it trims back to the system, so
every batch pays the page faults of memory it had a moment before (in a
PyTorch-style loop, the allocator keeps it). A layer that mixes in
``ReusesWorkArrays`` takes its large training-time intermediates by name
instead; the training loop's ``Network.reserve`` turns this on for the length
of a run, and outside one (inference, gradient checks) every array is new.
"""

import math

import numpy as np


class WorkArrays:
    """Named arrays, each a view of one flat array grown to its largest request.

    ``take(name, shape, dtype)`` returns a C-contiguous array of ``shape``
    whose contents are those of the previous ``take`` of ``name`` (garbage
    to the caller): valid until the next ``take`` of that name. A smaller
    request (the last, partial batch) is a prefix of the same memory.
    """

    def __init__(self):
        self._flat = {}

    def take(self, name, shape, dtype):
        size = math.prod(shape)
        flat = self._flat.get(name)
        if flat is None or flat.size < size or flat.dtype != dtype:
            flat = self._flat[name] = np.empty(size, dtype)
        return flat[:size].reshape(shape)


class ReusesWorkArrays:
    """Mixin of a layer: ``reserve`` keeps its training intermediates between batches.

    Within a run (``reserve(n_rows, dtype)`` with ``n_rows > 0``, until
    ``reserve(0, dtype)``), ``_empty(name, ...)`` in a training forward or a
    backward returns the same memory every batch: the forward's outputs and
    cache are valid until the next training forward, which is all a training
    loop needs.
    """

    _work_arrays = None

    def reserve(self, n_rows, dtype):
        self._work_arrays = WorkArrays() if n_rows else None

    def _empty(self, name, shape, dtype, training=True):
        """A new array of ``shape``, or the reserved one of ``name`` in training."""
        work = self._work_arrays if training else None
        return np.empty(shape, dtype) if work is None else work.take(name, shape, dtype)
