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
them at 0.1 times the rate, see ``lr_factors``). With ``columns``, only those
features are embedded and the others follow their embeddings unchanged, as
RealMLP-TD passes its one-hot encoded categories.
"""

__all__ = ["PeriodicEmbedding"]

import math

import numpy as np
import scipy.sparse as sp

from ._accelerated import MAX_ANGLE, embedding_kernels
from ._params import ParamSpec
from ._work_arrays import ReusesWorkArrays
from .layers import Layer

#: the embeddings by name
KINDS = ("pbld", "plr")


class PeriodicEmbedding(ReusesWorkArrays, Layer):
    """Embeds every feature with learned periodic functions (``'pbld'`` or ``'plr'``).

    Parameters
    ----------
    n_in : int
        Number of input features. With every feature embedded the output
        has ``n_in * d_embedding`` columns (feature j's embedding in columns
        ``j * d_embedding`` to ``(j + 1) * d_embedding - 1``).
    kind : {'pbld', 'plr'}, default='pbld'
    n_frequencies : int, default=16
    d_embedding : int, default=4
    sigma : float, default=0.1
        Standard deviation of the initial frequencies.
    n_members : int, default=1
        With m > 1 (a batched ensemble) each member has its own embedding
        and the output has shape (m, n_samples, n_out). The input is
        (n_samples, n_in), shared by the members, or (m, n_samples, n_in),
        member i's rows in ``x[i]`` (per-member mini-batches).
    columns : sequence of int or None, default=None
        The features to embed (sorted indices; None: all). The output holds
        their embeddings in this order, then the other features' values as
        they are: ``n_out = len(columns) * d_embedding + n_in - len(columns)``.

    Notes
    -----
    Internally the features are the outer batch axis and the rows the last
    one: ``h`` has shape (n_embedded, m, k, n_samples), and every product (the
    angles, the linear maps V, the gradients' sums over rows) is one stacked
    ``np.matmul`` per feature and member, not a broadcast element-wise pass.
    With numba installed, batches of at least ``sknn._accelerated.MIN_SIZE``
    angles go through compiled loops instead (``sknn._accelerated_embedding``:
    one feature and member at a time, the angles' sines and cosines computed
    again in the backward pass rather than stored), with the same results to
    rounding.
    """

    owns_inference_output = owns_output = owns_input_grad = True

    def __init__(self, n_in, kind="pbld", n_frequencies=16, d_embedding=4, sigma=0.1,
                 n_members=1, columns=None):
        if kind not in KINDS:
            raise ValueError(f"numeric_embedding must be one of {KINDS}; got {kind!r}.")
        super().__init__(n_in)
        self.kind = kind
        self.k = int(n_frequencies)
        self.d_embedding = int(d_embedding)
        self.sigma = float(sigma)
        self.n_members = int(n_members)
        if columns is None or len(columns) == n_in:
            self.columns = self.passthrough = None
            self.n_embedded = n_in
        else:
            self.columns = np.asarray(columns, dtype=np.intp)
            self.passthrough = np.setdiff1d(np.arange(n_in), self.columns)
            self.n_embedded = len(self.columns)
        self.n_out = self.n_embedded * self.d_embedding + (n_in - self.n_embedded)
        # columns computed by the linear map (PBLD appends the feature itself)
        self.d_linear = self.d_embedding - 1 if kind == "pbld" else self.d_embedding
        self.d_periodic = self.k if kind == "pbld" else 2 * self.k

    def _shape(self, *tail):
        lead = () if self.n_members == 1 else (self.n_members,)
        return lead + (self.n_embedded, *tail)

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

    def _feature_major(self, name):
        """Parameter ``name`` as (n_embedded, m, ...): the features outermost (a view)."""
        value = self.params[name]
        return value[:, None] if self.n_members == 1 else np.swapaxes(value, 0, 1)

    def _store_grad(self, name, feature_major):
        """Write a (n_embedded, m, ...) gradient into ``name``'s (m, n_embedded, ...) view."""
        grad = self.grads[name]
        grad[...] = feature_major[:, 0] if self.n_members == 1 else np.swapaxes(feature_major, 0, 1)

    def _angles(self, x, training):
        """2 pi w x (+ phase), shape (n_embedded, m * k, n_samples), and the rows [x; 1].

        One stacked product per feature of the (m * k, 2) coefficients
        [2 pi w, phase] with the (2, n_samples) rows [x; 1] (PLR, without a
        phase: a product with x alone). ``x`` holds the embedded columns,
        (n_samples, n_embedded); per member, (m, n_samples, n_embedded),
        the rows are (n_embedded, m, 2, n_samples) and each member's
        coefficients multiply its own.
        """
        n, n_embedded = x.shape[-2:]
        coefficients = self._coefficients()
        dtype = coefficients.dtype  # the parameters', whatever x's
        width = coefficients.shape[-1]
        angles = self._empty("angles", (n_embedded, coefficients.shape[1], n), dtype, training)
        if x.ndim == 2:
            basis = self._empty("basis", (n_embedded, width, n), dtype, training)
            basis[:, 0] = x.T
            basis[:, 1:] = 1
            return np.matmul(coefficients, basis, out=angles), basis
        m = self.n_members
        basis = self._empty("basis", (n_embedded, m, width, n), dtype, training)
        basis[:, :, 0] = x.transpose(2, 0, 1)
        basis[:, :, 1:] = 1
        np.matmul(coefficients.reshape(n_embedded, m, self.k, width), basis,
                  out=angles.reshape(n_embedded, m, self.k, n))
        return angles, basis

    def _coefficients(self):
        """(n_embedded, m * k, 1 or 2): 2 pi w per frequency, and the phase for PBLD."""
        m, k = self.n_members, self.k
        frequency = self._feature_major("frequency").reshape(self.n_embedded, m * k, 1)
        angular = frequency * (2 * math.pi)
        if self.kind == "plr":
            return angular
        return np.concatenate([angular, self._feature_major("phase").reshape(
            self.n_embedded, m * k, 1)], axis=2)

    def _periodic(self, angles, training):
        """(n_embedded, m, d_periodic, n_samples): cos (PBLD), or [cos, sin] (PLR)."""
        n_embedded, _, n = angles.shape
        shape = (n_embedded, self.n_members, self.k, n)
        h = self._empty("h", (n_embedded, self.n_members, self.d_periodic, n), angles.dtype,
                        training)
        np.cos(angles.reshape(shape), out=h[:, :, : self.k])
        if self.kind == "plr":
            np.sin(angles.reshape(shape), out=h[:, :, self.k :])
        return h

    def _output(self, linear, x, rest, training):
        """(n_embedded, m, d_linear, n_samples) [+ x], then the unembedded ``rest``.

        ``x`` (n_samples, n_embedded), or (m, n_samples, n_embedded) per member.

        Returns shape (m, n_samples, n_out), or (n_samples, n_out) for one member.
        """
        n_embedded, m, _, n = linear.shape
        out = self._empty("out", (m, n, self.n_out), linear.dtype, training)
        width = n_embedded * self.d_embedding
        embedded = out[..., :width].reshape(m, n, n_embedded, self.d_embedding)  # a view
        embedded[..., : self.d_linear] = linear.transpose(1, 3, 0, 2)
        if self.kind == "pbld":
            embedded[..., -1] = x
        if rest is not None:
            out[..., width:] = rest
        return out[0] if self.n_members == 1 else out

    def _compiled_kernels(self, x):
        """The compiled passes for the embedded columns ``x``, or None (the NumPy path).

        None also when an angle could exceed ``MAX_ANGLE`` (or is not
        finite), beyond which the compiled argument reduction loses accuracy.
        """
        n, n_embedded = x.shape[-2:]
        n_angles = n_embedded * self.n_members * self.k * n
        kernels = embedding_kernels(self.params["V"].dtype, n_angles)
        if kernels is None or not x.size:
            return None
        bound = 2 * math.pi * float(np.abs(self.params["frequency"]).max()) * float(np.abs(x).max())
        if self.kind == "pbld":
            bound += float(np.abs(self.params["phase"]).max())
        return kernels if bound <= MAX_ANGLE else None

    def _member_major(self, name, *tail, grad=False):
        """Parameter ``name`` (or its gradient) as (m, n_embedded, ...): one member has a
        leading 1. Always a view: writing into it writes the parameter (or gradient)."""
        view = (self.grads if grad else self.params)[name].view()
        view.shape = (self.n_members, self.n_embedded, *tail)  # raises rather than copy
        return view

    def _compiled_forward(self, kernels, x, rest, training):
        m, n, dtype = self.n_members, x.shape[-2], self.params["V"].dtype
        x3 = x[None] if x.ndim == 2 else x  # (1 or m, n, n_embedded)
        xT = self._empty("xT", (x3.shape[0], self.n_embedded, n), dtype, training)
        xT[...] = x3.transpose(0, 2, 1)
        plr = self.kind == "plr"
        phase = (np.zeros((m, self.n_embedded, self.k), dtype) if plr
                 else self._member_major("phase", self.k))
        out = self._empty("out", (m, n, self.n_out), dtype, training)
        linear = (self._empty("linear", (m, self.n_embedded, self.d_linear, n), dtype, training)
                  if plr and training else np.empty((1, 1, 1, 1), dtype))
        forward, backward = kernels[:2]
        forward(xT, self._member_major("frequency", self.k), phase,
                self._member_major("V", self.d_periodic, self.d_linear),
                self._member_major("c", self.d_linear), out, linear, plr, plr and training,
                np.empty((self.d_linear + 2, n)))
        if rest is not None:
            out[..., self.n_embedded * self.d_embedding:] = rest
        return (out[0] if m == 1 else out), _CompiledCache(backward, xT, phase, linear)

    def _compiled_backward(self, dout, cache):
        m, (x_members, n_embedded, n) = self.n_members, cache.xT.shape
        dout = np.ascontiguousarray(dout.reshape(m, n, self.n_out))
        k, d_periodic, d_linear = self.k, self.d_periodic, self.d_linear
        # the kernel writes every gradient entry in place (summed in float64)
        dfrequency = self._member_major("frequency", k, grad=True)
        dphase = (self._member_major("phase", k, grad=True) if self.kind == "pbld"
                  else np.empty(dfrequency.shape))
        dxT = np.empty((x_members, n_embedded, n))
        cache.backward(dout, cache.xT, self._member_major("frequency", k), cache.phase,
                       self._member_major("V", d_periodic, d_linear), cache.linear,
                       self.kind == "plr", dfrequency, dphase,
                       self._member_major("V", d_periodic, d_linear, grad=True),
                       self._member_major("c", d_linear, grad=True), dxT,
                       np.empty((d_linear + 5, n)))
        if not self.needs_input_grad:
            return None
        dx = dxT.transpose(0, 2, 1).astype(dout.dtype, order="C")
        return self._with_passthrough_grad(dx[0] if x_members == 1 else dx, dout)

    def _with_passthrough_grad(self, dx, dout):
        """The input gradient: ``dx`` of the embedded columns, the others' from dout.

        Shape (n, n_in) for a shared input (summed over the members), or
        (m, n, n_in) for per-member rows (``dx`` then has that lead).
        """
        if self.columns is None:
            return dx.astype(dout.dtype, copy=False)
        dx_all = np.empty((*dx.shape[:-1], self.n_in), dtype=dout.dtype)
        dx_all[..., self.columns] = dx
        rest = dout[..., self.n_embedded * self.d_embedding:]
        dx_all[..., self.passthrough] = rest if dx.ndim == 3 else rest.sum(axis=0)
        return dx_all

    def forward(self, x, *, training, rng=None, sample_weight=None):
        if sp.issparse(x):
            x = x.toarray()
        rest = None
        if self.columns is not None:
            x, rest = x[..., self.columns], x[..., self.passthrough]
        kernels = self._compiled_kernels(x)
        if kernels is not None:
            return self._compiled_forward(kernels, x, rest, training)
        # features outermost and rows innermost, so that the element-wise
        # passes run long inner loops and each feature's products are one GEMM
        angles, basis = self._angles(x, training)
        h = self._periodic(angles, training)
        V = self._feature_major("V")  # (n_embedded, m, d_periodic, d_linear)
        n_embedded, m, _, n = h.shape
        linear = self._empty("linear", (n_embedded, m, self.d_linear, n), h.dtype, training)
        np.matmul(V.transpose(0, 1, 3, 2), h, out=linear)
        linear += self._feature_major("c")[..., None]
        if self.kind == "plr":
            np.maximum(linear, 0, out=linear)
        x_kept = basis[:, 0].T if x.ndim == 2 else basis[:, :, 0].transpose(1, 2, 0)
        out = self._output(linear, x_kept, rest, training)
        return out, (angles, h, linear, basis)

    def backward(self, dout, cache):
        if isinstance(cache, _CompiledCache):
            return self._compiled_backward(dout, cache)
        angles, h, linear, basis = cache
        n_embedded, m, _, n = linear.shape
        k, dtype = self.k, linear.dtype
        dout = dout.reshape(m, n, self.n_out)
        width = n_embedded * self.d_embedding
        d = dout[..., :width].reshape(m, n, n_embedded, self.d_embedding)
        dlinear = self._empty("dlinear", linear.shape, dtype)
        dlinear[...] = d[..., : self.d_linear].transpose(2, 0, 3, 1)
        if self.kind == "plr":
            dlinear *= linear > 0
        self._store_grad("c", dlinear.sum(axis=-1))
        V = self._feature_major("V")
        self._store_grad("V", np.matmul(h, dlinear.transpose(0, 1, 3, 2)))
        shape = (n_embedded, m, k, n)
        dangles = self._empty("dangles", shape, dtype)
        periodic = self._empty("periodic", shape, dtype)
        if self.kind == "pbld":
            # d cos(a) = -sin(a): the sign goes into the small V
            np.matmul(np.negative(V), dlinear, out=dangles)
            dangles *= np.sin(angles.reshape(shape), out=periodic)
        else:
            dh = self._empty("dh", h.shape, dtype)
            np.matmul(V, dlinear, out=dh)
            # h holds [cos, sin] of the angles: d cos = -sin, d sin = cos
            np.multiply(dh[:, :, k:], h[:, :, :k], out=dangles)
            np.multiply(dh[:, :, :k], h[:, :, k:], out=periodic)
            dangles -= periodic
        # one product per feature gives sum(dangles * x) and, for PBLD, sum(dangles)
        per_member = basis.ndim == 4
        rows = dangles if per_member else dangles.reshape(n_embedded, m * k, n)
        sums = np.matmul(rows, np.swapaxes(basis, -1, -2)).reshape(n_embedded, m, k, -1)
        self._store_grad("frequency", sums[..., 0] * (2 * math.pi))
        if self.kind == "pbld":
            self._store_grad("phase", sums[..., 1])
        if not self.needs_input_grad:
            return None
        angular = self._coefficients()[..., 0]  # (n_embedded, m * k)
        if per_member:  # (m, n, n_embedded): each member's rows their own gradient
            dx = np.matmul(angular.reshape(n_embedded, m, 1, k), dangles)[:, :, 0]
            dx = dx.transpose(1, 2, 0)
            if self.kind == "pbld":
                dx += d[..., -1]
        else:
            dx = np.matmul(angular[:, None], dangles.reshape(n_embedded, m * k, n))[:, 0].T
            if self.kind == "pbld":
                dx += d[..., -1].sum(axis=0)
        return self._with_passthrough_grad(dx, dout)

    def __repr__(self):
        columns = "" if self.columns is None else f", columns={self.columns.tolist()}"
        return (f"PeriodicEmbedding({self.kind!r}, n_in={self.n_in}, k={self.k}, "
                f"d_embedding={self.d_embedding}, n_members={self.n_members}{columns})")


class _CompiledCache:
    """What the compiled backward pass needs of a compiled forward pass."""

    __slots__ = ("backward", "xT", "phase", "linear")

    def __init__(self, backward, xT, phase, linear):
        self.backward, self.xT, self.phase, self.linear = backward, xT, phase, linear
