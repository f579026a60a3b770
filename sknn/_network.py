"""A stack of layers over one flat parameter vector, and its training objective."""

import functools

import numpy as np

from ._params import ParamLayout
from ._row_blocks import block_rows, predict_in_blocks
from ._tabular_build import build_tabular_layers, uses_tabular_layers
from .activations import ACTIVATIONS
from .layers import ActivationLayer, BatchNorm, Dense, Dropout
from .penalties import clip_column_norms, penalty_value_and_grad


def build_layers(arch):
    """Instantiate the layers an architecture describes.

    Each hidden layer is ``Dense -> [BatchNorm] -> nonlinearity -> [Dropout]``,
    with the dense bias dropped where batch norm follows (its shift ``beta``
    takes that role); an input ``Dropout`` comes first when
    ``input_dropout > 0``; a ``Dense`` output layer ends the stack.

    Parameters
    ----------
    arch : dict
        Description (pickle-safe) with keys ``n_features``,
        ``hidden_layer_sizes`` (tuple of int), ``activations`` (one activation
        component of ``sknn.activations``, or a registered name, per hidden
        layer) and ``n_outputs``;
        optionally ``batch_norm`` (tuple of bool per hidden layer),
        ``batch_norm_momentum`` (float), ``dropout`` (tuple of float per hidden
        layer) and ``input_dropout`` (float), all off when absent.

    Returns
    -------
    list of Layer

    With the tabular options (``input_scale``, ``parametrization='ntp'``,
    ``output_init='zeros'``, ``n_members`` > 1) the stack is built by
    ``sknn._tabular_build.build_tabular_layers``.
    """
    if uses_tabular_layers(arch):
        return build_tabular_layers(arch)
    sizes = arch["hidden_layer_sizes"]
    batch_norm = arch.get("batch_norm", (False,) * len(sizes))
    dropout = arch.get("dropout", (0.0,) * len(sizes))
    momentum = arch.get("batch_norm_momentum", 0.9)
    layers = []
    n_in = arch["n_features"]
    if arch.get("input_dropout", 0.0) > 0:
        layers.append(Dropout(n_in, arch["input_dropout"]))
    for units, activation, normalize, rate in zip(sizes, arch["activations"], batch_norm, dropout):
        if isinstance(activation, str):
            activation = ACTIVATIONS.get(activation)()
        nonlinearity = activation.make_layer(units)
        layers.append(Dense(n_in, nonlinearity.n_in, use_bias=not normalize))
        if normalize:
            layers.append(BatchNorm(nonlinearity.n_in, momentum))
        layers.append(nonlinearity)
        if rate > 0:
            layers.append(Dropout(units, rate))
        n_in = units
    layers.append(Dense(n_in, arch["n_outputs"]))
    return layers


@functools.lru_cache(maxsize=64)
def _layout(specs_per_layer):
    """The ParamLayout of these specs, shared (read-only) by the networks of one
    architecture: predict builds a network per call."""
    return ParamLayout(specs_per_layer)


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
        self.layout = _layout(tuple(tuple(layer.param_specs()) for layer in layers))
        self.buffer_layout = _layout(tuple(tuple(layer.buffer_specs()) for layer in layers))
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
        # nothing before the first layer with parameters needs an input gradient
        for layer in layers:
            layer.needs_input_grad = False
            if layer.param_specs():
                break
        # an activation may compute in the arrays its neighbours hand over
        for before, layer, after in zip([None, *layers], layers, [*layers[1:], None]):
            if isinstance(layer, ActivationLayer):
                layer.overwrite_input = before is not None and before.owns_output
                layer.overwrite_grad = after is not None and after.owns_input_grad

    def reserve(self, n_rows):
        """Keep per-layer work arrays for training batches of up to ``n_rows`` rows.

        The training loop reserves for its batch size and releases
        (``n_rows=0``) when it ends: meanwhile every training-mode forward
        and backward of a dense batch reuses the same arrays (the outputs
        of one call are overwritten by the next).
        """
        for layer in self.layers:
            if hasattr(layer, "reserve"):
                layer.reserve(n_rows, self.theta.dtype)

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
            ``initializer_for(nonlinearity)`` returns the initializer of a layer
            whose output feeds ``nonlinearity`` (the ``Activation`` or
            parametric activation layer that follows, past any batch norm; None
            for the output layer). Only its ``recommended_init`` is read.
        rng : numpy.random.RandomState
        """
        for i, layer in enumerate(self.layers):
            layer.initialize(initializer_for(self._nonlinearity_after(i)), rng)

    def _nonlinearity_after(self, i):
        for layer in self.layers[i + 1 :]:
            if isinstance(layer, Dense):
                return None
            if layer.nonlinearity is not None:
                return layer.nonlinearity
        return None

    def hidden_weights(self):
        """Weight matrices of the hidden dense layers (every Dense but the output)."""
        dense = [layer for layer in self.layers if isinstance(layer, Dense)]
        return [layer.params["W"] for layer in dense[:-1]]

    def forward(self, X, *, training=False, rng=None, sample_weight=None):
        """Logits for X.

        Parameters
        ----------
        X : ndarray or sparse matrix of shape (n_samples, n_features)
        training : bool
            Training mode (dropout active, batch statistics) or inference mode.
        rng : numpy.random.RandomState, optional
            Source of randomness for stochastic layers.
        sample_weight : ndarray of shape (n_samples,), optional
            Weights of the rows in batch statistics (batch norm).

        Returns
        -------
        Z : ndarray of shape (n_samples, n_outputs)
        caches : list
            What ``backward`` needs; one entry per layer.
        """
        caches = []
        out = X
        for layer in self.layers:
            out, cache = layer.forward(
                out, training=training, rng=rng, sample_weight=sample_weight
            )
            caches.append(cache)
        return out, caches

    def predict_logits(self, X):
        """Logits in inference mode; does not change any state.

        A layer's output that nothing else references (``owns_inference_output``)
        is handed over to the next layer, which may compute in it (an activation
        in place, as scikit-learn does); ``X`` itself is never written to. A
        dense array of many rows goes through in row blocks
        (``sknn._row_blocks``), with the same results.
        """
        if isinstance(X, np.ndarray) and X.ndim == 2:
            rows = block_rows(self.layers, X.shape[0], self.theta.dtype.itemsize)
            if rows is not None:
                return predict_in_blocks(self.layers, X, rows)
        out, owned = X, False
        for layer in self.layers:
            out = layer.infer(out, overwrite=owned)
            owned = layer.owns_inference_output
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
    max_norm : float or None
        Bound on the norm of every hidden unit's incoming weight vector,
        enforced by ``apply_constraints`` after each update.
    seed : int or None
        When set, every evaluation without an explicit ``rng`` draws its
        random numbers (dropout masks) from ``RandomState(seed)``: the objective
        becomes a deterministic function of theta, as L-BFGS needs.
    l1_proximal : bool, default=False
        Leave the L1 term out of the gradient (its value stays in the
        objective): the training loop applies it after each update
        (``penalties.truncate_l1``), using ``last_total_weight``, the total
        sample weight of the last evaluated batch.
    """

    def __init__(
        self, network, loss, *, alpha=0.0, l1=0.0, max_norm=None, seed=None, l1_proximal=False
    ):
        self.network = network
        self.loss = loss
        self.alpha = alpha
        self.l1 = l1
        self.max_norm = max_norm
        self.seed = seed
        self.l1_proximal = l1_proximal
        self.last_total_weight = None

    #: the L2 gradient's factor of the last evaluated batch, alpha / total weight
    #: (0 without L2): what a step adds when the gradient was left without it
    last_l2_scale = 0.0

    def __call__(self, X, Y, sample_weight=None, *, rng=None, training=True, l2_gradient=True):
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
        l2_gradient : bool, default=True
            False leaves the L2 term out of ``network.grad`` (its value stays
            in the objective), for a step that adds it itself: the step then
            gets ``last_l2_scale`` (``Adam.step``).

        Returns
        -------
        value : float
        """
        net = self.network
        if rng is None and self.seed is not None:
            rng = np.random.RandomState(self.seed)
        Z, caches = net.forward(X, training=training, rng=rng, sample_weight=sample_weight)
        value, dZ = self.loss.value_and_grad(Y, Z, sample_weight)
        net.backward(dZ, caches)
        return value + self._penalty(net.grad[: net.n_weights], X, sample_weight, l2_gradient)

    def _penalty(self, grad_out, X, sample_weight, l2_gradient=True):
        """The penalty's value; its gradient is added to ``grad_out`` (n_weights,)."""
        if sample_weight is None:
            total_weight = X.shape[0]
        else:  # per-member weights (n, m): the members' mean total
            total_weight = float(sample_weight.sum()) / (
                sample_weight.shape[1] if sample_weight.ndim == 2 else 1)
        self.last_total_weight = total_weight
        self.last_l2_scale = self.alpha / total_weight if self.alpha and total_weight > 0 else 0.0
        return penalty_value_and_grad(
            self.network.theta[: self.network.n_weights], grad_out, alpha=self.alpha,
            l1=self.l1, total_weight=total_weight, l1_gradient=not self.l1_proximal,
            l2_gradient=l2_gradient,
        )

    def apply_constraints(self):
        """Project theta back onto the constraints (max-norm); call after every update."""
        if self.max_norm is not None:
            for W in self.network.hidden_weights():
                clip_column_norms(W, self.max_norm)

    def flat(self, theta, X, Y, sample_weight=None):
        """``(value, gradient)`` at ``theta`` in float64, for scipy.optimize."""
        self.network.theta[...] = theta
        value = self(X, Y, sample_weight)
        return value, self.network.grad.astype(np.float64)

    def value(self, X, Y, sample_weight=None, logits=None):
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
        logits : ndarray of shape (n_samples, n_outputs) or None
            ``network.predict_logits(X)`` when the caller has it already.

        Returns
        -------
        value : float
        """
        net = self.network
        if logits is None:
            logits = net.predict_logits(X)
        value, _ = self.loss.value_and_grad(Y, logits, sample_weight)
        scratch = np.zeros(net.n_weights, dtype=net.theta.dtype)
        return value + self._penalty(scratch, X, sample_weight)
