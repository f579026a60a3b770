"""The layer of a parametric activation: a learned per-unit mix of f and the identity.

RealMLP-TD (Holzmueller et al. 2024) gives every hidden unit j a weight
``w_j`` (initialised at 1) and computes::

    out = z + (f(z) - z) * w_j

so that ``w_j = 1`` is the plain activation ``f`` and ``w_j = 0`` a linear
unit; training moves each unit between the two. ``sknn.activations.Parametric``
(with ``ParametricSELU`` and ``ParametricMish``, the paper's choices for
classification and regression) makes this layer.
"""

__all__ = ["ParametricActivationLayer"]

import numpy as np

from ._work_arrays import ReusesWorkArrays
from .tabular_layers import PerUnitLayer


class ParametricActivationLayer(ReusesWorkArrays, PerUnitLayer):
    """``out = z + (f(z) - z) * w`` with one learned ``w`` per unit (init 1).

    The weights have the role ``"activation"``: never penalised, their own
    learning-rate factor in ``lr_factors`` (RealMLP-TD trains them at 0.1
    times the rate).

    Parameters
    ----------
    n_units : int
        Number of units (input and output width).
    activation : sknn.activations.Activation
        The element-wise f.
    n_members : int, default=1
        With m > 1 (a batched ensemble) each member has its own weights,
        shape (m, n_units), and the input has shape (m, n_samples, n_units).
    """

    param, role = "mix", "activation"

    def __init__(self, n_units, activation, n_members=1):
        super().__init__(n_units, n_members)
        self.activation = activation

    @property
    def nonlinearity(self):
        return self.activation

    def forward(self, x, *, training, rng=None, sample_weight=None):
        f = self.activation.forward(x)
        out = np.subtract(f, x, out=self._empty("out", x.shape, x.dtype, training))
        out *= self._per_row()
        out += x
        return out, (x, f)

    def backward(self, dout, cache):
        z, f = cache
        dmix = self.grads["mix"]
        axis = 0 if self.n_members == 1 else 1
        work = self._empty("work", dout.shape, dout.dtype)
        np.subtract(f, z, out=work)
        work *= dout
        np.sum(work, axis=axis, out=dmix)
        if not self.needs_input_grad:
            return None
        w = self._per_row()
        dz = self.activation.backward(z, f, np.multiply(dout, w, out=work))
        dz += np.multiply(dout, 1 - w, out=work)
        return dz.astype(dout.dtype, copy=False)

    def __repr__(self):
        return (f"ParametricActivationLayer({self.activation.name!r}, n={self.n_in}, "
                f"n_members={self.n_members})")
