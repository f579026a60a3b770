"""A stack of layers over one flat parameter vector, and its training objective."""

import numpy as np

from ._params import ParamLayout
from .activations import ACTIVATIONS
from .layers import ActivationLayer, Dense
from .penalties import penalty_value_and_grad


def build_layers(arch):
    """Instantiate the layers an architecture describes.

    Parameters
    ----------
    arch : dict
        Plain description (pickle-safe) with keys ``n_features``,
        ``hidden_layer_sizes`` (tuple of int), ``activations`` (tuple of names,
        one per hidden layer), ``activation_options`` (dict) and ``n_outputs``.

    Returns
    -------
    list of Layer
    """
    layers = []
    n_in = arch["n_features"]
    for units, name in zip(arch["hidden_layer_sizes"], arch["activations"]):
        activation = ACTIVATIONS.build(name, **arch["activation_options"])
        layers += [Dense(n_in, units), ActivationLayer(units, activation)]
        n_in = units
    layers.append(Dense(n_in, arch["n_outputs"]))
    return layers


class Network:
    """Layers bound to a flat parameter vector ``theta`` and gradient ``grad``.

    Parameters
    ----------
    layers : list of Layer
    dtype : numpy dtype
        Floating dtype of parameters and computation.
    theta : ndarray of shape (n_params,), optional
        Existing parameters to bind to (not copied); new zeros-filled ones otherwise.
    buffers : ndarray of shape (n_buffers,), optional
        Existing non-trainable buffers (batch-norm statistics) to bind to.
    """

    def __init__(self, layers, dtype, theta=None, buffers=None):
        self.layers = layers
        self.layout = ParamLayout([layer.param_specs() for layer in layers])
        self.buffer_layout = ParamLayout([layer.buffer_specs() for layer in layers])
        self.theta = self.layout.filled(dtype) if theta is None else theta
        self.grad = np.zeros_like(self.theta)
        self.buffers = self.buffer_layout.filled(dtype) if buffers is None else buffers
        if self.theta.shape != (self.layout.size,) or self.theta.dtype != np.dtype(dtype):
            raise ValueError("theta does not match the network's layout or dtype.")
        params = self._per_layer(self.layout.views(self.theta))
        grads = self._per_layer(self.layout.views(self.grad))
        buffers = self._per_layer(self.buffer_layout.views(self.buffers))
        for layer, p, g, b in zip(layers, params, grads, buffers):
            layer.bind(p, g, b)
        layers[0].needs_input_grad = False

    def _per_layer(self, views):
        return views + [{} for _ in range(len(self.layers) - len(views))]

    @property
    def n_weights(self):
        """Length of the leading, penalised slice of theta (connection weights)."""
        return self.layout.n_weights

    def initialize(self, initializer_for, rng):
        """Draw every layer's initial parameters, in layer order.

        Parameters
        ----------
        initializer_for : callable
            ``initializer_for(activation)`` returns the initializer of a layer
            whose output feeds ``activation`` (the next activation layer's
            ``Activation``, or None for the output layer).
        rng : numpy.random.RandomState
        """
        for i, layer in enumerate(self.layers):
            following = self.layers[i + 1] if i + 1 < len(self.layers) else None
            activation = getattr(following, "activation", None)
            layer.initialize(initializer_for(activation), rng)

    def forward(self, X, *, training=False, rng=None):
        """Logits for X.

        Parameters
        ----------
        X : ndarray or sparse matrix of shape (n_samples, n_features)
        training : bool
            Training mode (dropout active, batch statistics) or inference mode.
        rng : numpy.random.RandomState, optional
            Source of randomness for stochastic layers.

        Returns
        -------
        Z : ndarray of shape (n_samples, n_outputs)
        caches : list
            What ``backward`` needs; one entry per layer.
        """
        caches = []
        out = X
        for layer in self.layers:
            out, cache = layer.forward(out, training=training, rng=rng)
            caches.append(cache)
        return out, caches

    def predict_logits(self, X):
        """Logits in inference mode; does not change any state."""
        out = X
        for layer in self.layers:
            out, _ = layer.forward(out, training=False)
        return out

    def backward(self, dZ, caches):
        """Back-propagate dLoss/dZ, overwriting ``self.grad`` entirely."""
        dout = dZ
        for layer, cache in zip(reversed(self.layers), reversed(caches)):
            dout = layer.backward(dout, cache)


class Objective:
    """The training objective: data loss plus weight penalties, and its gradient.

    One object serves mini-batch SGD, L-BFGS and the gradient check.

    Parameters
    ----------
    network : Network
    loss : Loss
    alpha, l1 : float
        L2 and L1 penalty strengths.
    """

    def __init__(self, network, loss, *, alpha=0.0, l1=0.0):
        self.network = network
        self.loss = loss
        self.alpha = alpha
        self.l1 = l1

    def __call__(self, X, Y, sample_weight=None, *, rng=None, training=True):
        """Objective value at the current ``network.theta``; fills ``network.grad``.

        Parameters
        ----------
        X : ndarray or sparse matrix of shape (n_samples, n_features)
        Y : ndarray of shape (n_samples, n_outputs)
            Encoded targets.
        sample_weight : ndarray of shape (n_samples,) or None
        rng : numpy.random.RandomState, optional
        training : bool
            Forward in training mode (the default for optimisation).

        Returns
        -------
        value : float
        """
        net = self.network
        Z, caches = net.forward(X, training=training, rng=rng)
        value, dZ = self.loss.value_and_grad(Y, Z, sample_weight)
        net.backward(dZ, caches)
        return value + self._penalty(net.grad[: net.n_weights], X, sample_weight)

    def _penalty(self, grad_out, X, sample_weight):
        """The penalty's value; its gradient is added to ``grad_out`` (n_weights,)."""
        total_weight = X.shape[0] if sample_weight is None else float(sample_weight.sum())
        return penalty_value_and_grad(
            self.network.theta[: self.network.n_weights], grad_out, alpha=self.alpha,
            l1=self.l1, total_weight=total_weight,
        )

    def flat(self, theta, X, Y, sample_weight=None):
        """``(value, gradient)`` at ``theta`` in float64, for scipy.optimize."""
        self.network.theta[...] = theta
        value = self(X, Y, sample_weight)
        return value, self.network.grad.astype(np.float64)

    def value(self, X, Y, sample_weight=None):
        """Objective value at the current ``network.theta``, without a gradient.

        The forward pass runs in inference mode (no dropout, running
        statistics) and nothing is written to ``network.grad``; used for
        validation losses and by the genetic solver.

        Parameters
        ----------
        X : ndarray or sparse matrix of shape (n_samples, n_features)
        Y : ndarray of shape (n_samples, n_outputs)
            Encoded targets.
        sample_weight : ndarray of shape (n_samples,) or None

        Returns
        -------
        value : float
        """
        net = self.network
        value, _ = self.loss.value_and_grad(Y, net.predict_logits(X), sample_weight)
        scratch = np.zeros(net.n_weights, dtype=net.theta.dtype)
        return value + self._penalty(scratch, X, sample_weight)
