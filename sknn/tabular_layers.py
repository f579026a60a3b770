"""Layers of the tabular recipe (RealMLP-TD) and of batched ensembles.

- ``PerUnitLayer``: the base of a layer with one learned value per unit (and
  per member), initialised at 1;
- ``ScaleLayer``: a learnable per-feature scale at the input (init 1);
- ``TabularDense``: a dense layer in the neural-tangent parametrization
  (weights drawn N(0, 1), the product multiplied by 1 / sqrt(fan_in)) and/or
  with zero-initialized weights (the output layer of RealMLP);
- ``EnsembleDense``: ``n_members`` independent dense layers at once, weights
  of shape (m, fan_in, fan_out) in the flat parameter vector, one stacked
  ``np.matmul`` per pass.

Ensemble activations have a leading member axis: shape (m, n_samples, width).
The first ``EnsembleDense`` (or ``ScaleLayer``) of a stack takes the shared
input of shape (n_samples, n_features) and broadcasts it over the members.
Element-wise activations and ``Dropout`` work on either shape unchanged.
"""

__all__ = ["PerUnitLayer", "ScaleLayer", "TabularDense", "EnsembleDense"]

import math

import numpy as np
import scipy.sparse as sp
from sklearn.utils.extmath import safe_sparse_dot

from ._params import ParamSpec
from ._work_arrays import ReusesWorkArrays
from .data_init import rescale_and_place_biases
from .layers import Dense, Layer


class PerUnitLayer(Layer):
    """Base of a layer with one learned value per unit, and per member, init 1.

    Subclasses name the vector (``param``) and its role (``role``); with
    ``n_members`` m > 1 it has shape (m, n_in), one row per member.
    """

    owns_inference_output = owns_output = owns_input_grad = True
    #: the vector's name in ``params`` and its role (set by subclasses)
    param = role = None

    def __init__(self, n_in, n_members=1):
        super().__init__(n_in)
        self.n_members = int(n_members)

    def param_specs(self):
        shape = (self.n_in,) if self.n_members == 1 else (self.n_members, self.n_in)
        return [ParamSpec(self.param, shape, self.role, 1.0)]

    def initialize(self, initializer, rng):
        self.params[self.param][...] = 1.0

    def _per_row(self):
        """The vector, broadcastable against (n_samples, n_in) or (m, n_samples, n_in)."""
        v = self.params[self.param]
        return v if self.n_members == 1 else v[:, None, :]


class ScaleLayer(ReusesWorkArrays, PerUnitLayer):
    """Multiplies every input feature by a learned scale: ``out = x * s``.

    RealMLP-TD's first layer (Holzmueller et al. 2024): a per-feature
    learning-rate-boosted scale (initialised at 1) acts as a soft feature
    selection. Its parameters have the role ``"input_scale"`` (never
    penalised; their own learning-rate factor, see ``lr_factors``).

    Parameters
    ----------
    n_in : int
        Number of features.
    n_members : int, default=1
        With m > 1 each member has its own scales, shape (m, n_in), and the
        output has shape (m, n_samples, n_in) (an input of shape
        (n_samples, n_in) is broadcast; a sparse input is made dense).
    """

    param, role = "scale", "input_scale"

    def forward(self, x, *, training, rng=None, sample_weight=None):
        if self.n_members == 1 and sp.issparse(x):
            return x.multiply(self.params["scale"]).tocsr(), x
        if sp.issparse(x):
            x = x.toarray()
        shape = x.shape if self.n_members == 1 else (self.n_members, *x.shape[-2:])
        dtype = np.result_type(x, self.params["scale"])
        return np.multiply(x, self._per_row(), out=self._empty("out", shape, dtype, training)), x

    def backward(self, dout, cache):
        x = cache
        ds = self.grads["scale"]
        if self.n_members == 1:
            if sp.issparse(x):
                ds[...] = np.asarray(x.multiply(dout).sum(axis=0)).ravel()
            else:
                np.einsum("ij,ij->j", x, dout, out=ds)
        elif x.ndim == 2:
            np.einsum("ij,mij->mj", x, dout, out=ds)
        else:
            np.einsum("mij,mij->mj", x, dout, out=ds)
        if not self.needs_input_grad:
            return None
        s = self._per_row()
        dx = np.multiply(dout, s, out=self._empty("dx", dout.shape, np.result_type(dout, s)))
        return dx.sum(axis=0) if x.ndim == 2 and self.n_members > 1 else dx

    def __repr__(self):
        return f"ScaleLayer(n={self.n_in}, n_members={self.n_members})"


def _ntp_factor(n_in, ntp):
    return 1.0 / math.sqrt(n_in) if ntp else 1.0


class TabularDense(Dense):
    """``Dense`` with the neural-tangent parametrization and/or zero init.

    With ``ntp=True`` the weights are drawn from N(0, 1) (``weight_init`` is
    not used for them) and the layer computes ``(x @ W) / sqrt(n_in) + b``
    (Jacot et al. 2018; RealMLP-TD), so a learning rate means the same for
    every width. With ``zero_init=True`` the weights start at 0 (RealMLP's
    output layer: the first predictions are the biases alone, and the layers
    below receive gradients from the second step on, once these weights
    moved). Biases use the initializer's ``bias`` (the
    estimator's ``bias_init``) in both cases.

    Parameters
    ----------
    n_in, n_out : int
    use_bias : bool, default=True
    ntp : bool, default=False
    zero_init : bool, default=False
    """

    def __init__(self, n_in, n_out, use_bias=True, ntp=False, zero_init=False):
        super().__init__(n_in, n_out, use_bias)
        self.ntp = bool(ntp)
        self.zero_init = bool(zero_init)
        self.factor = _ntp_factor(n_in, ntp)

    def initialize(self, initializer, rng):
        super().initialize(initializer, rng)
        W = self.params["W"]
        if self.zero_init:
            W[...] = 0.0
        elif self.ntp:
            W[...] = rng.standard_normal(W.shape)

    # forward and infer are Dense's: its product applies ``factor``

    def initialize_from_data(self, x, rng):
        """RealMLP-TD's 'std' weights and 'he+5' biases from the layer's input x.

        A zero-initialized layer (the output) and one without bias are left
        as they are (see ``sknn.data_init``).
        """
        if self.zero_init or not self.use_bias:
            return
        z = x @ self.params["W"] * self.factor
        rescale_and_place_biases(self.params["W"], self.params["b"], z, rng)

    def backward(self, dout, cache):
        dx = super().backward(dout, cache)
        if self.ntp:
            self.grads["W"] *= self.factor
            if dx is not None:
                dx *= self.factor
        return dx

    def __repr__(self):
        return f"TabularDense({self.n_in}, {self.n_out}, ntp={self.ntp}, zero_init={self.zero_init})"


class EnsembleDense(ReusesWorkArrays, Dense):
    """``n_members`` dense layers evaluated together with stacked products.

    ``W`` has shape (m, n_in, n_out) and ``b`` (m, n_out); member i computes
    ``x_i @ W[i] * c + b[i]`` with c = 1 / sqrt(n_in) under ``ntp`` and 1
    otherwise. The input is either shared, shape (n_samples, n_in) (dense or
    sparse; then one product with the members' weights side by side), or per
    member, shape (m, n_samples, n_in); the output has shape
    (m, n_samples, n_out). Every member draws its own initial weights.

    Parameters
    ----------
    n_in, n_out, n_members : int
    use_bias : bool, default=True
    ntp : bool, default=False
    zero_init : bool, default=False
        As for ``TabularDense``.
    """

    def __init__(self, n_in, n_out, n_members, use_bias=True, ntp=False, zero_init=False):
        super().__init__(n_in, n_out, use_bias)
        self.n_members = int(n_members)
        self.ntp = bool(ntp)
        self.zero_init = bool(zero_init)
        self.factor = _ntp_factor(n_in, ntp)

    def param_specs(self):
        m = self.n_members
        specs = [ParamSpec("W", (m, self.n_in, self.n_out), "weight")]
        if self.use_bias:
            specs.append(ParamSpec("b", (m, self.n_out), "bias"))
        return specs

    def initialize(self, initializer, rng):
        W = self.params["W"]
        for i in range(self.n_members):
            if self.zero_init:
                W[i] = 0.0
            elif self.ntp:
                W[i] = rng.standard_normal(W.shape[1:])
            else:
                W[i] = initializer.weights(self.n_in, self.n_out, rng, W.dtype)
            if self.use_bias:
                self.params["b"][i] = initializer.bias(self.n_in, self.n_out, rng, W.dtype)

    def _side_by_side(self, x):
        """A shared sparse input times every member's weights: (m, n, n_out)."""
        m, n_in, n_out = self.params["W"].shape
        wide = self.params["W"].transpose(1, 0, 2).reshape(n_in, m * n_out)
        out = safe_sparse_dot(x, wide).reshape(x.shape[0], m, n_out)
        return np.ascontiguousarray(out.transpose(1, 0, 2))

    def forward(self, x, *, training, rng=None, sample_weight=None):
        W = self.params["W"]
        if sp.issparse(x):
            out = self._side_by_side(x)
        else:
            shape = (self.n_members, x.shape[-2], self.n_out)
            out = np.matmul(x, W, out=self._empty("out", shape, W.dtype, training))
        if self.factor != 1.0:
            out *= self.factor
        if self.use_bias:
            out += self.params["b"][:, None, :]
        return out, x

    infer = Layer.infer  # through this forward, not Dense's shortcut

    def initialize_from_data(self, x, rng):
        """``TabularDense.initialize_from_data`` for every member.

        ``x`` has shape (n_samples, n_in) (shared) or (m, n_samples, n_in).
        """
        if self.zero_init or not self.use_bias:
            return
        W, b = self.params["W"], self.params["b"]
        for i in range(self.n_members):
            z = (x if x.ndim == 2 else x[i]) @ W[i] * self.factor
            rescale_and_place_biases(W[i], b[i], z, rng)

    def backward(self, dout, cache):
        x = cache
        dW = self.grads["W"]
        if sp.issparse(x):
            m, n_in, n_out = dW.shape
            wide = safe_sparse_dot(x.T, dout.transpose(1, 0, 2).reshape(x.shape[0], m * n_out))
            dW[...] = np.asarray(wide).reshape(n_in, m, n_out).transpose(1, 0, 2)
        elif x.ndim == 2:
            np.matmul(x.T, dout, out=dW)
        else:
            np.matmul(x.transpose(0, 2, 1), dout, out=dW)
        if self.factor != 1.0:
            dW *= self.factor
        if self.use_bias:
            np.sum(dout, axis=1, out=self.grads["b"])
        if not self.needs_input_grad:
            return None
        W = self.params["W"]
        dx = self._empty("dx", (*dout.shape[:2], self.n_in), np.result_type(dout, W))
        np.matmul(dout, W.transpose(0, 2, 1), out=dx)
        if self.factor != 1.0:
            dx *= self.factor
        return dx.sum(axis=0) if x.ndim == 2 else dx

    def __repr__(self):
        return (f"EnsembleDense({self.n_in}, {self.n_out}, n_members={self.n_members}, "
                f"ntp={self.ntp}, zero_init={self.zero_init})")
