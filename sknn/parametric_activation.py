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

from ._accelerated import parametric_kernels
from ._work_arrays import ReusesWorkArrays
from .activations import SELU, Mish
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

    Notes
    -----
    With the ``fast`` extra (numba), batches of at least
    ``sknn._accelerated.MIN_SIZE`` values run in compiled passes
    (``sknn._accelerated_parametric``): the mix and its gradients in one pass
    each, and SELU's and Mish's arithmetic fused with them, with the numbers
    of the NumPy path to the last bit.
    """

    param, role = "mix", "activation"

    def __init__(self, n_units, activation, n_members=1):
        super().__init__(n_units, n_members)
        self.activation = activation

    @property
    def nonlinearity(self):
        return self.activation

    def _kernels(self, *arrays):
        """The compiled passes (the ``fast`` extra) when they apply to ``arrays``, else None."""
        w = self.params[self.param]
        if any(a.dtype != w.dtype or not a.flags.c_contiguous for a in arrays):
            return None
        return parametric_kernels(w.dtype, arrays[0].size)

    def _as_3d(self, a):
        """(members, rows, units) view of a (rows, units) or (members, rows, units) array."""
        return a.reshape(self.n_members, -1, self.n_in)

    def _mix(self):
        """The weights as (members, units)."""
        return self.params[self.param].reshape(self.n_members, self.n_in)

    def forward(self, x, *, training, rng=None, sample_weight=None):
        kernels = self._kernels(x) if isinstance(x, np.ndarray) else None
        if kernels is not None:
            return self._compiled_forward(kernels, x, training)
        f = self.activation.forward(x)
        out = np.subtract(f, x, out=self._empty("out", x.shape, x.dtype, training))
        out *= self._per_row()
        out += x
        return out, (x, f, None)

    def _compiled_forward(self, kernels, x, training):
        """The forward in one compiled pass; SELU and Mish fused with it (their
        exponentials NumPy's), and their exponential kept for the backward."""
        mix_forward, _, _, selu_forward, _, mish_forward, _ = kernels
        out = self._empty("out", x.shape, x.dtype, training)
        kind, scalar = type(self.activation), x.dtype.type
        x3, out3 = self._as_3d(x), self._as_3d(out)
        if kind is SELU:
            f = np.minimum(x, 0, out=self._empty("f", x.shape, x.dtype, training))
            np.expm1(f, out=f)
            selu_forward(x3, self._as_3d(f), self._mix(), out3, scalar(SELU._SCALE),
                         scalar(SELU._SCALE * SELU._ALPHA))
            return out, (x, f, None)
        if kind is Mish:
            e = np.minimum(x, Mish._CAP, out=self._empty("e", x.shape, x.dtype, training))
            np.exp(e, out=e)
            f = self._empty("f", x.shape, x.dtype, training)
            mish_forward(x3, self._as_3d(e), self._mix(), self._as_3d(f), out3, scalar(2))
            return out, (x, f, e)
        f = np.ascontiguousarray(self.activation.forward(x), dtype=x.dtype)
        mix_forward(x3, self._as_3d(f), self._mix(), out3)
        return out, (x, f, None)

    def backward(self, dout, cache):
        z, f, exp_terms = cache
        kernels = self._kernels(dout, z, f)
        if kernels is not None:
            return self._compiled_backward(kernels, dout, z, f, exp_terms)
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

    def _compiled_backward(self, kernels, dout, z, f, exp_terms):
        _, mix_backward, add_identity_part, _, selu_backward, _, mish_backward = kernels
        w = self._mix()
        dmix = self.grads[self.param].reshape(self.n_members, self.n_in)
        dout3, z3, f3 = self._as_3d(dout), self._as_3d(z), self._as_3d(f)
        kind, scalar = type(self.activation), dout.dtype.type
        if self.needs_input_grad and (kind is SELU or (kind is Mish and exp_terms is not None)):
            dz = self._empty("dz", dout.shape, dout.dtype)
            if kind is SELU:
                selu_backward(dout3, z3, f3, w, 1 - w, dmix, self._as_3d(dz),
                              scalar(SELU._SCALE), scalar(SELU._SCALE * SELU._ALPHA))
            else:
                mish_backward(dout3, z3, f3, self._as_3d(exp_terms), w, 1 - w, dmix,
                              self._as_3d(dz), scalar(2))
            return dz
        g = self._empty("work", dout.shape, dout.dtype)
        mix_backward(dout3, z3, f3, w, dmix, self._as_3d(g))
        if not self.needs_input_grad:
            return None
        dz = self.activation.backward(z, f, g)
        if dz.dtype != dout.dtype or not dz.flags.c_contiguous:
            dz = np.array(dz, dtype=dout.dtype)
        add_identity_part(self._as_3d(dz), dout3, 1 - w)
        return dz

    def __repr__(self):
        return (f"ParametricActivationLayer({self.activation.name!r}, n={self.n_in}, "
                f"n_members={self.n_members})")
