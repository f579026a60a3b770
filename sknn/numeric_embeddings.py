"""Periodic embeddings of numeric features: PBLD (RealMLP-TD) and PLR (Gorishniy et al.).

Each input feature x_j becomes a small vector of its own before the first
dense layer, so that the network sees a learned, multi-frequency version of
every number (Gorishniy, Rubachev and Babenko, "On Embeddings for Numerical
Features in Tabular Deep Learning", NeurIPS 2022). With k frequencies per
feature:

- 'pbld' (RealMLP-TD, Holzmueller et al. 2024): periodic with a learned
  phase, linear, densenet::

      h = cos(2 pi w_j x_j + b_j)            (k values; w ~ N(0, sigma^2), b ~ U[-pi, pi])
      e = h @ V_j + c_j                      (d_embedding - 1 values)
      out_j = [e, x_j]                       (d_embedding values: the feature kept)

- 'plr' (the paper's PLR): periodic, linear, ReLU::

      h = [cos(2 pi w_j x_j), sin(2 pi w_j x_j)]      (2k values)
      out_j = relu(h @ V_j + c_j)                     (d_embedding values)

V_j and c_j are drawn from U[-1, 1] / sqrt(fan_in) (PyTorch's Linear). Every
parameter has the role ``"embedding"`` (never penalised; RealMLP-TD trains
them at 0.1 times the rate, see ``lr_factors``).
"""

__all__ = ["PeriodicEmbedding"]

import math

import numpy as np
import scipy.sparse as sp

from ._params import ParamSpec
from .layers import Layer

#: the embeddings by name
KINDS = ("pbld", "plr")


class PeriodicEmbedding(Layer):
    """Embeds every feature with learned periodic functions (``'pbld'`` or ``'plr'``).

    Parameters
    ----------
    n_in : int
        Number of input features; the output has ``n_in * d_embedding``
        columns (feature j's embedding in columns ``j * d_embedding`` to
        ``(j + 1) * d_embedding - 1``).
    kind : {'pbld', 'plr'}, default='pbld'
    n_frequencies : int, default=16
    d_embedding : int, default=4
    sigma : float, default=0.1
        Standard deviation of the initial frequencies.
    n_members : int, default=1
        With m > 1 (a batched ensemble) each member has its own embedding;
        the input (n_samples, n_in) is shared and the output has shape
        (m, n_samples, n_in * d_embedding).

    Notes
    -----
    Internally the features are a batch axis and the rows the last one:
    ``h`` has shape (m, n_in, k, n_samples) and the per-feature products are
    one stacked ``np.matmul`` with the (m, n_in, k, d) matrices V.
    """

    owns_inference_output = owns_output = owns_input_grad = True

    def __init__(self, n_in, kind="pbld", n_frequencies=16, d_embedding=4, sigma=0.1,
                 n_members=1):
        if kind not in KINDS:
            raise ValueError(f"numeric_embedding must be one of {KINDS}; got {kind!r}.")
        super().__init__(n_in)
        self.kind = kind
        self.k = int(n_frequencies)
        self.d_embedding = int(d_embedding)
        self.sigma = float(sigma)
        self.n_members = int(n_members)
        self.n_out = n_in * self.d_embedding
        # columns computed by the linear map (PBLD appends the feature itself)
        self.d_linear = self.d_embedding - 1 if kind == "pbld" else self.d_embedding
        self.d_periodic = self.k if kind == "pbld" else 2 * self.k

    def _shape(self, *tail):
        lead = () if self.n_members == 1 else (self.n_members,)
        return lead + (self.n_in, *tail)

    def param_specs(self):
        specs = [ParamSpec("frequency", self._shape(self.k), "embedding")]
        if self.kind == "pbld":
            specs.append(ParamSpec("phase", self._shape(self.k), "embedding"))
        specs += [ParamSpec("V", self._shape(self.d_periodic, self.d_linear), "embedding"),
                  ParamSpec("c", self._shape(self.d_linear), "embedding")]
        return specs

    def initialize(self, initializer, rng):
        p = self.params
        p["frequency"][...] = self.sigma * rng.standard_normal(p["frequency"].shape)
        if self.kind == "pbld":
            p["phase"][...] = rng.uniform(-math.pi, math.pi, p["phase"].shape)
        bound = 1.0 / math.sqrt(self.d_periodic)
        p["V"][...] = rng.uniform(-bound, bound, p["V"].shape)
        p["c"][...] = rng.uniform(-bound, bound, p["c"].shape)

    def _stacked(self, name):
        """Parameter ``name`` with a leading member axis (a view)."""
        value = self.params[name]
        return value[None] if self.n_members == 1 else value

    def _grad_view(self, name):
        grad = self.grads[name]
        return grad[None] if self.n_members == 1 else grad

    def _angles(self, x):
        """2 pi w x (+ phase), shape (m, n_in, k, n_samples), and x as (n_in, n_samples)."""
        if sp.issparse(x):
            x = x.toarray()
        xt = np.ascontiguousarray(x.T)
        angular = self._stacked("frequency") * (2 * math.pi)  # small: (m, n_in, k)
        angles = angular[..., None] * xt[None, :, None, :]
        if self.kind == "pbld":
            angles += self._stacked("phase")[..., None]
        return angles, xt

    def _periodic(self, angles):
        if self.kind == "pbld":
            return np.cos(angles)
        return np.concatenate([np.cos(angles), np.sin(angles)], axis=2)

    def _output(self, linear, xt):
        """(m, n_in, d_linear, n_samples) [+ x] -> (m, n_samples, n_in * d_embedding)."""
        m, n_in, _, n = linear.shape
        out = np.empty((m, n, n_in, self.d_embedding), dtype=linear.dtype)
        out[..., : self.d_linear] = linear.transpose(0, 3, 1, 2)
        if self.kind == "pbld":
            out[..., -1] = xt.T
        out = out.reshape(m, n, n_in * self.d_embedding)
        return out[0] if self.n_members == 1 else out

    def forward(self, x, *, training, rng=None, sample_weight=None):
        # the rows are the last, contiguous axis of every intermediate array, so
        # that the element-wise passes run long inner loops
        angles, xt = self._angles(x)
        h = self._periodic(angles)
        linear = np.matmul(self._stacked("V").transpose(0, 1, 3, 2), h)
        linear += self._stacked("c")[..., None]
        if self.kind == "plr":
            np.maximum(linear, 0, out=linear)
        out = self._output(linear, xt)
        return out, (angles, h, linear, xt)

    def backward(self, dout, cache):
        angles, h, linear, xt = cache
        m, n_in, _, n = linear.shape
        d = dout.reshape(m, n, n_in, self.d_embedding)
        dlinear = np.ascontiguousarray(d[..., : self.d_linear].transpose(0, 2, 3, 1))
        if self.kind == "plr":
            dlinear *= linear > 0
        self._grad_view("c")[...] = dlinear.sum(axis=-1)
        np.matmul(h, dlinear.transpose(0, 1, 3, 2), out=self._grad_view("V"))
        dh = np.matmul(self._stacked("V"), dlinear)
        if self.kind == "pbld":
            dangles = np.sin(angles)
            np.negative(dangles, out=dangles)
            dangles *= dh
            self._grad_view("phase")[...] = dangles.sum(axis=-1)
        else:
            dangles = dh[:, :, self.k :] * np.cos(angles)
            dangles -= dh[:, :, : self.k] * np.sin(angles)
        dfreq = np.matmul(dangles, xt[None, :, :, None])[..., 0]
        dfreq *= 2 * math.pi
        self._grad_view("frequency")[...] = dfreq
        if not self.needs_input_grad:
            return None
        angular = self._stacked("frequency") * (2 * math.pi)
        dx = np.matmul(angular[:, :, None, :], dangles)[:, :, 0, :].sum(axis=0).T
        if self.kind == "pbld":
            dx += d[..., -1].sum(axis=0)
        return dx.astype(dout.dtype, copy=False)

    def __repr__(self):
        return (f"PeriodicEmbedding({self.kind!r}, n_in={self.n_in}, k={self.k}, "
                f"d_embedding={self.d_embedding}, n_members={self.n_members})")
