"""Layers as hand-written forward/backward pairs (the CS231n contract).

A layer is built with its input width ``n_in`` and exposes:

- ``param_specs()`` / ``buffer_specs()``: the trainable arrays and the
  non-trainable buffers it needs (see ``ParamSpec``);
- ``bind(params, grads, buffers)``: receives views into the network's flat
  vectors; the layer reads its parameters from them and writes its gradients
  into them;
- ``forward(x, *, training, rng) -> (out, cache)`` with ``x`` of shape
  (n_samples, n_in) and ``out`` of shape (n_samples, n_out); inference
  (``training=False``) never mutates anything;
- ``backward(dout, cache) -> dx``: overwrites the layer's gradient views with
  dLoss/dparams and returns dLoss/dx (or None when ``needs_input_grad`` is
  False, as for the first layer of a network).
"""

import numpy as np
from sklearn.utils.extmath import safe_sparse_dot

from ._params import ParamSpec


class Layer:
    """Base class of all layers; parameter-free by default."""

    needs_input_grad = True

    def __init__(self, n_in):
        self.n_in = n_in
        self.n_out = n_in
        self.params, self.grads, self.buffers = {}, {}, {}

    def param_specs(self):
        return []

    def buffer_specs(self):
        return []

    def bind(self, params, grads, buffers):
        self.params, self.grads, self.buffers = params, grads, buffers

    def initialize(self, initializer, rng):
        """Draw initial parameter values (in place); default: keep the fills."""

    def forward(self, x, *, training, rng=None):
        raise NotImplementedError  # pragma: no cover - abstract

    def backward(self, dout, cache):
        raise NotImplementedError  # pragma: no cover - abstract

    def __repr__(self):
        return f"{type(self).__name__}(n_in={self.n_in}, n_out={self.n_out})"


class Dense(Layer):
    """Affine map ``x @ W + b``; W has shape (n_in, n_out), b (n_out,).

    ``x`` may be a SciPy sparse matrix (first layer only); the output is dense.
    With ``use_bias=False`` (before batch normalization) there is no ``b``.
    """

    def __init__(self, n_in, n_out, use_bias=True):
        super().__init__(n_in)
        self.n_out = n_out
        self.use_bias = use_bias

    def param_specs(self):
        specs = [ParamSpec("W", (self.n_in, self.n_out), "weight")]
        if self.use_bias:
            specs.append(ParamSpec("b", (self.n_out,), "bias"))
        return specs

    def initialize(self, initializer, rng):
        W = self.params["W"]
        W[...] = initializer.weights(self.n_in, self.n_out, rng, W.dtype)
        if self.use_bias:
            b = self.params["b"]
            b[...] = initializer.bias(self.n_in, self.n_out, rng, b.dtype)

    def forward(self, x, *, training, rng=None):
        out = safe_sparse_dot(x, self.params["W"])
        if self.use_bias:
            out += self.params["b"]
        return out, x

    def backward(self, dout, cache):
        x = cache
        dW = self.grads["W"]
        if isinstance(x, np.ndarray):
            np.matmul(x.T, dout, out=dW)
        else:
            dW[...] = safe_sparse_dot(x.T, dout)
        if self.use_bias:
            np.sum(dout, axis=0, out=self.grads["b"])
        if not self.needs_input_grad:
            return None
        return dout @ self.params["W"].T


class ActivationLayer(Layer):
    """Applies an element-wise ``Activation`` from ``sknn.activations``."""

    def __init__(self, n_in, activation):
        super().__init__(n_in)
        self.activation = activation

    def forward(self, x, *, training, rng=None):
        out = self.activation.forward(x)
        return out, (x, out)

    def backward(self, dout, cache):
        z, a = cache
        return self.activation.backward(z, a, dout)

    def __repr__(self):
        return f"ActivationLayer({self.activation.name!r}, n={self.n_in})"
