"""A dense layer whose ensemble members share one weight matrix (BatchEnsemble, TabM).

Member i computes::

    out_i = ((x_i * r_i) @ W) * c * s_i + b_i

with one shared ``W`` of shape (n_in, n_out), per-member multiplicative
adapters ``r`` (m, n_in) and ``s`` (m, n_out), and per-member biases ``b``
(m, n_out); c = 1 / sqrt(n_in) in the neural-tangent parametrization, 1
otherwise (Wen, Tran and Ba, "BatchEnsemble", ICLR 2020; Gorishniy,
Kotelnikov and Babenko, "TabM", ICLR 2025). The members' rows are stacked so
that each pass is one matrix product of (m * n_samples) rows with ``W``:
one large GEMM instead of m small ones, and m times fewer weights for the
optimizer to update.

As in TabM, the adapters start at 1 except the first layer's ``r``, whose
random draw is what makes the members differ (random signs, or N(0, 1)
after numeric embeddings, one draw per feature section); all members'
biases start equal.
"""

__all__ = ["SharedEnsembleDense"]

import math

import numpy as np
import scipy.sparse as sp

from ._params import ParamSpec
from .layers import Dense, Layer

#: how the first layer's input adapter is drawn
FIRST_ADAPTER = ("random-signs", "normal")


class SharedEnsembleDense(Dense):
    """``n_members`` dense layers with one shared weight matrix and per-member adapters.

    Parameters
    ----------
    n_in, n_out, n_members : int
    use_bias : bool, default=True
    ntp : bool, default=False
        Weights drawn N(0, 1) and products multiplied by 1 / sqrt(n_in).
    first_adapter : {'random-signs', 'normal'} or None, default=None
        How ``r`` is drawn (the first layer of a network); None: ones.
    section : int or sequence of int, default=1
        ``r`` is drawn once per group of ``section`` consecutive inputs (the
        ``d_embedding`` columns of one embedded feature), or once per group
        of the given widths (summing to ``n_in``).

    Notes
    -----
    Input: shape (n_samples, n_in) (shared; dense or sparse) or
    (m, n_samples, n_in); output: (m, n_samples, n_out).
    """

    owns_inference_output = owns_output = owns_input_grad = True

    def __init__(self, n_in, n_out, n_members, use_bias=True, ntp=False, first_adapter=None,
                 section=1):
        if first_adapter is not None and first_adapter not in FIRST_ADAPTER:
            raise ValueError(f"first_adapter must be one of {FIRST_ADAPTER} or None; "
                             f"got {first_adapter!r}.")
        super().__init__(n_in, n_out, use_bias)
        self.n_members = int(n_members)
        self.ntp = bool(ntp)
        self.first_adapter = first_adapter
        if np.ndim(section) == 0:  # the last group may be cut short
            widths = np.full(-(-n_in // int(section)), int(section))
        else:
            widths = np.asarray(section, dtype=np.intp)
            if widths.sum() != n_in:
                raise ValueError(f"section widths must sum to n_in={n_in}; "
                                 f"got {list(section)}.")
        self.section = section
        self._widths = widths
        self.factor = 1.0 / math.sqrt(n_in) if ntp else 1.0

    def param_specs(self):
        m = self.n_members
        specs = [ParamSpec("W", (self.n_in, self.n_out), "weight"),
                 ParamSpec("r", (m, self.n_in), "adapter", 1.0),
                 ParamSpec("s", (m, self.n_out), "adapter", 1.0)]
        if self.use_bias:
            specs.append(ParamSpec("b", (m, self.n_out), "bias"))
        return specs

    def initialize(self, initializer, rng):
        p = self.params
        if self.ntp:
            p["W"][...] = rng.standard_normal(p["W"].shape)
        else:
            p["W"][...] = initializer.weights(self.n_in, self.n_out, rng, p["W"].dtype)
        p["s"][...] = 1.0
        p["r"][...] = 1.0
        if self.first_adapter is not None:
            shape = (self.n_members, len(self._widths))
            draw = (rng.standard_normal(shape) if self.first_adapter == "normal"
                    else 2.0 * rng.randint(0, 2, shape) - 1.0)
            p["r"][...] = np.repeat(draw, self._widths, axis=1)[:, : self.n_in]
        if self.use_bias:
            p["b"][...] = initializer.bias(self.n_in, self.n_out, rng, p["b"].dtype)

    def forward(self, x, *, training, rng=None, sample_weight=None):
        if sp.issparse(x):
            x = x.toarray()  # once: backward reads the dense rows from the cache
        r = self.params["r"][:, None, :]
        xr = x[None] * r if x.ndim == 2 else x * r  # (m, n_samples, n_in)
        m, n, _ = xr.shape
        z = (xr.reshape(m * n, self.n_in) @ self.params["W"]).reshape(m, n, self.n_out)
        if self.factor != 1.0:
            z *= self.factor
        out = z * self.params["s"][:, None, :]
        if self.use_bias:
            out += self.params["b"][:, None, :]
        return out, (x, xr, z)

    infer = Layer.infer  # through this forward, not Dense's shortcut

    def reserve(self, n_rows, dtype):
        """No work arrays (see ``Dense.reserve``)."""

    def backward(self, dout, cache):
        x, xr, z = cache
        m, n, _ = xr.shape
        g = self.grads
        np.einsum("mnj,mnj->mj", dout, z, out=g["s"])
        if self.use_bias:
            np.sum(dout, axis=1, out=g["b"])
        dz = dout * self.params["s"][:, None, :]
        if self.factor != 1.0:
            dz *= self.factor
        dz2 = dz.reshape(m * n, self.n_out)
        np.dot(xr.reshape(m * n, self.n_in).T, dz2, out=g["W"])
        dxr = (dz2 @ self.params["W"].T).reshape(m, n, self.n_in)
        if x.ndim == 2:
            np.einsum("mni,ni->mi", dxr, x, out=g["r"])
        else:
            np.einsum("mni,mni->mi", dxr, x, out=g["r"])
        if not self.needs_input_grad:
            return None
        dxr *= self.params["r"][:, None, :]
        return dxr.sum(axis=0) if x.ndim == 2 else dxr

    def __repr__(self):
        return (f"SharedEnsembleDense({self.n_in}, {self.n_out}, n_members={self.n_members}, "
                f"ntp={self.ntp}, first_adapter={self.first_adapter!r})")
