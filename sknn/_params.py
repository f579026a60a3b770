"""One flat parameter vector and the layout of the named views into it."""

import math
from typing import NamedTuple

import numpy as np


class ParamSpec(NamedTuple):
    """A named parameter array a layer needs.

    ``role`` is ``"weight"`` for connection weights (the only parameters that
    penalties and max-norm act on) and ``"bias"``, ``"scale"``, ``"shift"`` or
    ``"slope"`` otherwise. ``fill`` is the initial value for buffers.
    """

    name: str
    shape: tuple
    role: str = "weight"
    fill: float = 0.0


class Slot(NamedTuple):
    """Where one named array lives in the flat vector."""

    layer: int
    name: str
    shape: tuple
    start: int
    stop: int
    role: str
    fill: float


class ParamLayout:
    """Offsets of every layer's arrays in one flat vector.

    All ``weight`` arrays come first, in layer order, so that the penalised part
    of ``theta`` is the contiguous slice ``theta[:n_weights]`` and a penalty is a
    single vector operation.

    Parameters
    ----------
    specs_per_layer : sequence of sequence of ParamSpec
        ``specs_per_layer[i]`` lists the arrays of layer ``i``.
    """

    def __init__(self, specs_per_layer):
        ordered = sorted(
            (
                (spec.role != "weight", layer, spec)
                for layer, specs in enumerate(specs_per_layer)
                for spec in specs
            ),
            key=lambda item: item[:2],
        )
        self.slots = []
        offset = 0
        for _, layer, spec in ordered:
            size = math.prod(int(n) for n in spec.shape)
            self.slots.append(
                Slot(
                    layer, spec.name, tuple(spec.shape), offset, offset + size,
                    spec.role, spec.fill,
                )
            )
            offset += size
        self.size = offset
        self.n_weights = sum(s.stop - s.start for s in self.slots if s.role == "weight")

    def filled(self, dtype):
        """A new flat vector with every slot set to its spec's ``fill`` value."""
        flat = np.empty(self.size, dtype=dtype)
        for slot in self.slots:
            flat[slot.start : slot.stop] = slot.fill
        return flat

    def views(self, flat):
        """Per-layer dicts of reshaped views into ``flat`` (no copies).

        Parameters
        ----------
        flat : ndarray of shape (size,)

        Returns
        -------
        list of dict
            ``views[i][name]`` is layer ``i``'s array ``name``.
        """
        if flat.shape != (self.size,):
            raise ValueError(f"Expected a flat vector of size {self.size}, got {flat.shape}.")
        n_layers = 1 + max((s.layer for s in self.slots), default=-1)
        views = [{} for _ in range(n_layers)]
        for slot in self.slots:
            views[slot.layer][slot.name] = flat[slot.start : slot.stop].reshape(slot.shape)
        return views

    def slices(self, role=None):
        """``(layer, name, slice)`` for each slot, optionally only one role."""
        return [
            (s.layer, s.name, slice(s.start, s.stop))
            for s in self.slots
            if role is None or s.role == role
        ]
