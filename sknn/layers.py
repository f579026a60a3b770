"""Layers as hand-written forward/backward pairs (the CS231n contract).

A layer is built with its input width ``n_in`` and exposes:

- ``param_specs()`` / ``buffer_specs()``: the trainable arrays and the
  non-trainable buffers it needs (see ``ParamSpec``);
- ``bind(params, grads, buffers)``: receives views into the network's flat
  vectors; the layer reads its parameters from them and writes its gradients
  into them;
- ``forward(x, *, training, rng, sample_weight) -> (out, cache)`` with ``x``
  of shape (n_samples, n_in) and ``out`` of shape (n_samples, n_out);
  ``rng`` (a ``numpy.random.RandomState``) feeds stochastic layers and
  ``sample_weight`` (shape (n_samples,) or None) weights batch statistics;
  inference (``training=False``) never mutates anything;
- ``backward(dout, cache) -> dx``: overwrites the layer's gradient views with
  dLoss/dparams and returns dLoss/dx (or None when ``needs_input_grad`` is
  False, as for the first layer of a network);
- ``infer(x, *, overwrite=False) -> out``: the inference-mode output alone
  (prediction); with ``overwrite=True`` the caller hands ``x`` over (a
  temporary that nothing else references) and the layer may compute its
  output in ``x``'s memory. The default is ``forward(x, training=False)[0]``;
- ``owns_inference_output``: True when ``infer`` returns an array that nothing
  else references (a new array, or ``x`` itself only when handed over), so
  that the network may hand it over to the next layer. False by default (a
  layer that may return its input or a view, like ``Dropout``);
- ``owns_output`` and ``owns_input_grad``: the same promise for ``forward``
  (in both modes; its cache must not reference ``out`` either) and for the
  ``dx`` that ``backward`` returns. ``Network`` reads them to set an
  ``ActivationLayer``'s ``overwrite_input`` (forward may compute in ``x``)
  and ``overwrite_grad`` (backward may compute in ``dout``). Both False by
  default, so that a new layer is never overwritten unless it says so.

Besides the affine ``Dense`` layer and the element-wise ``ActivationLayer``,
this module holds the layers of the regularization and normalization
techniques: ``BatchNorm``, ``Dropout`` and the layers of the two activations
with trainable parameters, ``PReLULayer`` and ``MaxoutLayer`` (made by the
``sknn.activations.PReLU`` and ``Maxout`` components).
"""

from abc import ABC, abstractmethod

import numpy as np
import scipy.sparse as sp
from sklearn.utils.extmath import safe_sparse_dot

from ._accelerated import MIN_SIZE, bias_kernels
from ._batch_norm_passes import normalize, normalize_backward
from ._dropout_masks import apply_mask, draw_bits, threshold_of
from ._params import ParamSpec
from ._work_arrays import ReusesWorkArrays


class Layer(ABC):
    """Base class of all layers; parameter-free by default."""

    needs_input_grad = True
    #: what chooses the initializer of the dense layer before this one (an
    #: object with a ``recommended_init`` family), None if not a nonlinearity
    nonlinearity = None

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

    @abstractmethod
    def forward(self, x, *, training, rng=None, sample_weight=None):
        """Implemented by every subclass."""

    @abstractmethod
    def backward(self, dout, cache):
        """Implemented by every subclass."""

    #: ``infer`` / ``forward`` / ``backward`` return arrays nothing else references
    #: (see the module docstring)
    owns_inference_output = owns_output = owns_input_grad = False

    def infer(self, x, *, overwrite=False):
        """Inference-mode output; ``overwrite=True`` lets the layer reuse ``x``."""
        return self.forward(x, training=False)[0]

    def __repr__(self):
        return f"{type(self).__name__}(n_in={self.n_in}, n_out={self.n_out})"


class Dense(Layer):
    """Affine map ``x @ W + b``; W has shape (n_in, n_out), b (n_out,).

    ``x`` may be a SciPy sparse matrix (first layer only); the output is dense.
    With ``use_bias=False`` (before batch normalization) there is no ``b``.
    """

    owns_inference_output = owns_output = owns_input_grad = True

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

    #: (out, dx) work arrays of ``reserve`` rows, or None (see ``reserve``)
    _work = None

    def reserve(self, n_rows, dtype):
        """Keep work arrays for batches of up to ``n_rows`` rows; ``n_rows=0`` drops them.

        While reserved, a training-mode ``forward`` on a dense batch writes
        its output into the same array every call, and ``backward`` its
        input gradient: no allocation per batch. An output is then valid
        until the next training-mode forward, which is what a training loop
        needs and why only it reserves (``Network.reserve``).
        """
        if not n_rows:
            self._work = None
            return
        dx = np.empty((n_rows, self.n_in), dtype) if self.needs_input_grad else None
        self._work = (np.empty((n_rows, self.n_out), dtype), dx)

    def _work_rows(self, which, n_rows):
        work = self._work
        if work is None or work[which] is None or n_rows > work[which].shape[0]:
            return None
        return work[which][:n_rows]

    #: the product's factor, ``x @ W * factor + b`` (``TabularDense``'s 1/sqrt(fan_in))
    factor = 1.0

    def _affine(self, x, out=None):
        """``x @ W * factor + b``, written into ``out`` when given."""
        W = self.params["W"]
        if out is not None:
            np.matmul(x, W, out=out)
        elif isinstance(x, np.ndarray):
            out = x @ W  # safe_sparse_dot's dispatch costs more than a one-row product
        else:
            out = safe_sparse_dot(x, W)
        if self.factor != 1.0:
            out *= self.factor
        if self.use_bias:
            _add_bias(out, self.params["b"])
        return out

    def forward(self, x, *, training, rng=None, sample_weight=None):
        out = self._work_rows(0, x.shape[0]) if training and isinstance(x, np.ndarray) else None
        return self._affine(x, out), x

    def infer(self, x, *, overwrite=False):
        return self._affine(x)

    def backward(self, dout, cache):
        x = cache
        dW = self.grads["W"]
        if isinstance(x, np.ndarray):
            np.matmul(x.T, dout, out=dW)
        else:
            dW[...] = safe_sparse_dot(x.T, dout)
        if self.use_bias:
            _column_sums(dout, self.grads["b"])
        if not self.needs_input_grad:
            return None
        dx = self._work_rows(1, dout.shape[0])
        if dx is None:
            return dout @ self.params["W"].T
        return np.matmul(dout, self.params["W"].T, out=dx)


def _bias_kernels(a, b):
    """The compiled bias passes for 2-d ``a`` and vector ``b``, or None (use NumPy)."""
    if a.size < MIN_SIZE:  # first: a one-row prediction asks three times
        return None
    if a.ndim != 2 or a.dtype != b.dtype or not a.flags.c_contiguous:
        return None
    return bias_kernels(a.dtype, a.size)


def _add_bias(out, b):
    """``out += b`` on every row of ``out``, in place."""
    kernels = _bias_kernels(out, b)
    if kernels is None:
        out += b
    else:  # the same sums compiled (sknn._accelerated)
        kernels[0](out, b)


def _column_sums(d, out):
    """``np.sum(d, axis=0, out=out)``."""
    kernels = _bias_kernels(d, out)
    if kernels is None:
        np.sum(d, axis=0, out=out)
    else:  # the same sums in the same order, compiled (sknn._accelerated)
        kernels[1](d, out)


class ActivationLayer(Layer):
    """Applies an element-wise ``Activation`` from ``sknn.activations``.

    When the activation's derivative is a function of its output
    (``grad_from_output``) and the network hands ``x`` over
    (``overwrite_input``), forward computes in ``x`` and keeps only the
    output; backward then computes in ``dout`` when that is handed over too
    (``overwrite_grad``), in a copy otherwise. The output is kept in the
    cache, so it is not owned; ``dx`` is.
    """

    owns_inference_output = owns_input_grad = True
    #: set by ``Network``: the previous layer's output / the next layer's dx is
    #: handed over and may be overwritten
    overwrite_input = overwrite_grad = False

    def __init__(self, n_in, activation):
        super().__init__(n_in)
        self.activation = activation

    @property
    def nonlinearity(self):
        return self.activation

    def forward(self, x, *, training, rng=None, sample_weight=None):
        if self.overwrite_input and self.activation.grad_from_output:
            out = self.activation.forward_inplace(x)
            return out, (None, out)  # x is gone: backward reads the output alone
        out = self.activation.forward(x)
        return out, (x, out)

    def backward(self, dout, cache):
        z, a = cache
        if z is None:
            return self.activation.backward_inplace(a, dout if self.overwrite_grad else dout.copy())
        return self.activation.backward(z, a, dout)

    def infer(self, x, *, overwrite=False):
        if overwrite:
            return self.activation.forward_inplace(x)
        return self.activation.forward(x)

    def __repr__(self):
        return f"ActivationLayer({self.activation.name!r}, n={self.n_in})"


class BatchNorm(Layer):
    """Batch normalization (Ioffe & Szegedy 2015) of every feature.

    Training mode normalizes each column with the statistics of the
    mini-batch, ``x_hat = (x - mean) / sqrt(var + epsilon)``, then scales and
    shifts it with the learned ``gamma`` (init 1) and ``beta`` (init 0):
    ``out = gamma * x_hat + beta``. ``mean`` and ``var`` are the batch's
    sample-weighted mean and population variance, the variance computed in two
    passes (mean of squared deviations). Weighting the statistics makes an
    integer sample weight equal to repeating the row, as everywhere else.

    Inference mode uses the running statistics instead, so a row's output
    depends on that row only (deterministic, batch independent); it changes
    nothing.

    Running statistics are exponentially weighted averages in which
    ``momentum`` is the weight on the *old* value (the Keras and CS231n
    convention; PyTorch's ``momentum`` is one minus this)::

        running = m * running + (1 - m) * batch,   m = min(momentum, k / (k + 1))

    for the k-th update (k = 0, 1, ...). For the first 1 / (1 - momentum)
    updates this is the plain average of the batch statistics seen so far,
    which removes the pull toward the initial values (mean 0, variance 1),
    as Adam's bias correction does; afterwards it is the usual EWMA.

    A mini-batch with fewer than two rows of positive weight (such as a
    trailing batch of one row) has zero variance: its rows normalize to
    ``beta`` (``epsilon`` keeps the division finite), its input gradient is
    zero, and it does not update the running statistics. Non-finite batch
    statistics never enter the running ones.

    Parameters
    ----------
    n_in : int
        Number of features (the width of the preceding dense layer).
    momentum : float, default=0.9
        Weight on the old running value, in [0, 1).

    Notes
    -----
    ``epsilon = 1e-3`` (Keras' default) in float32 and float64 alike: float32
    needs at least 1e-3, and one value keeps float32 and float64 fits alike.
    """

    epsilon = 1e-3
    owns_inference_output = owns_output = owns_input_grad = True

    def __init__(self, n_in, momentum=0.9):
        super().__init__(n_in)
        self.momentum = momentum

    def param_specs(self):
        return [
            ParamSpec("gamma", (self.n_in,), "scale", 1.0),
            ParamSpec("beta", (self.n_in,), "shift", 0.0),
        ]

    def buffer_specs(self):
        return [
            ParamSpec("running_mean", (self.n_in,), "mean", 0.0),
            ParamSpec("running_var", (self.n_in,), "variance", 1.0),
            ParamSpec("n_updates", (1,), "count", 0.0),
        ]

    def forward(self, x, *, training, rng=None, sample_weight=None):
        if not training:
            return self.infer(x), None
        gamma, beta = self.params["gamma"], self.params["beta"]
        p, n_rows = _row_probabilities(sample_weight, x)
        if p is None:  # unweighted: one compiled pass with the fast extra
            out, x_hat, mean, var, inv_std = normalize(x, gamma, beta, self.epsilon)
        else:
            mean = p @ x
            x_hat = x - mean
            out = np.multiply(x_hat, x_hat)  # the squared deviations, then the output
            var = p @ out
            inv_std = 1.0 / np.sqrt(var + self.epsilon)
            x_hat *= inv_std
            np.multiply(x_hat, gamma, out=out)
            out += beta
        if n_rows >= 2:
            self._update_running(mean, var)
        return out, (x_hat, inv_std, p)

    def infer(self, x, *, overwrite=False):
        out = np.subtract(x, self.buffers["running_mean"], out=x if overwrite else None)
        out *= self.params["gamma"] / np.sqrt(self.buffers["running_var"] + self.epsilon)
        out += self.params["beta"]
        return out

    def _update_running(self, mean, var):
        if not (np.isfinite(mean).all() and np.isfinite(var).all()):
            return
        count = self.buffers["n_updates"]
        m = min(self.momentum, count[0] / (count[0] + 1.0))
        for name, batch in (("running_mean", mean), ("running_var", var)):
            running = self.buffers[name]
            running *= m
            running += (1.0 - m) * batch
        count += 1

    def backward(self, dout, cache):
        x_hat, inv_std, p = cache
        gamma = self.params["gamma"]
        # d/dx of gamma * x_hat, g = gamma * dout:
        # (g - p * (sum g + x_hat * sum(g * x_hat))) / std
        if p is None:
            return normalize_backward(dout, x_hat, inv_std, gamma, self.grads["gamma"],
                                      self.grads["beta"], self.needs_input_grad)
        np.sum(dout, axis=0, out=self.grads["beta"])
        np.sum(dout * x_hat, axis=0, out=self.grads["gamma"])
        if not self.needs_input_grad:
            return None
        g = dout * gamma
        dx = g - p[:, None] * (g.sum(axis=0) + x_hat * np.sum(g * x_hat, axis=0))
        dx *= inv_std
        return dx


def _row_probabilities(sample_weight, x):
    """Row weights normalised to sum 1 (None: uniform) and the rows that count."""
    if sample_weight is None:
        return None, x.shape[0]
    total = float(np.sum(sample_weight))
    if not total > 0:  # a batch of zero-weight rows: plain statistics
        return None, x.shape[0]
    p = (np.asarray(sample_weight) / total).astype(x.dtype, copy=False)
    return p, int(np.count_nonzero(p))


class Dropout(ReusesWorkArrays, Layer):
    """Inverted dropout: drops each input with probability ``rate``.

    In training mode each entry is zeroed with probability ``rate`` and the
    kept ones are multiplied by 1 / (1 - rate), so the expected output equals
    the input; the masks are drawn from ``rng``: in mini-batch training a
    generator seeded from the estimator's ``random_state``
    (``sknn._dropout_masks.mask_generator``), elsewhere a ``RandomState``.
    In inference mode the layer is the identity and returns its
    input itself. A sparse input (input dropout on CSR/CSC data) draws a mask
    for its stored entries only; it cannot back-propagate (it is always the
    first layer, which needs no input gradient).

    Parameters
    ----------
    n_in : int
    rate : float
        Probability of dropping an entry, in [0, 1).
    """

    owns_input_grad = True  # forward may return x itself, backward never returns dout

    def __init__(self, n_in, rate):
        super().__init__(n_in)
        self.rate = float(rate)

    def forward(self, x, *, training, rng=None, sample_weight=None):
        if not training or self.rate == 0:
            return x, None
        if rng is None:
            raise ValueError("Dropout needs a random generator (rng) in training mode.")
        scale = 1.0 / (1.0 - self.rate)
        if sp.issparse(x):
            out = x.copy()
            out.data *= (self._keep(rng, out.data.shape) * scale).astype(out.dtype, copy=False)
            return out, "sparse"
        # the mask's random bits are the cache: backward applies the same mask
        bits = draw_bits(rng, x.size)
        out = self._empty("out", x.shape, x.dtype, training)
        return apply_mask(x, bits, threshold_of(self.rate), scale, out), bits

    def _keep(self, rng, shape):
        """A boolean mask, True with probability 1 - rate: uniform 32-bit integers
        against the rate's threshold (exact to 2**-32)."""
        return (draw_bits(rng, int(np.prod(shape))) >= threshold_of(self.rate)).reshape(shape)

    def backward(self, dout, cache):
        if not self.needs_input_grad:
            return None
        if cache is None:
            return dout.copy()
        if isinstance(cache, str):
            raise ValueError("Dropout cannot back-propagate into a sparse input.")
        dx = self._empty("dx", dout.shape, dout.dtype)
        return apply_mask(dout, cache, threshold_of(self.rate), 1.0 / (1.0 - self.rate), dx)

    def __repr__(self):
        return f"Dropout(rate={self.rate}, n={self.n_in})"


class PReLULayer(Layer):
    """Parametric ReLU (He et al. 2015): ``x`` for x > 0, ``slope_j * x`` otherwise.

    One slope per unit, learned by back-propagation, initialised at
    ``negative_slope`` and never penalised (its role is ``"slope"``).

    Parameters
    ----------
    n_units : int
        Number of units (input and output width).
    negative_slope : float, default=0.01
        Initial slope.
    """

    recommended_init = "he"
    owns_inference_output = owns_output = owns_input_grad = True

    def __init__(self, n_units, negative_slope=0.01):
        super().__init__(n_units)
        self.negative_slope = float(negative_slope)

    @property
    def nonlinearity(self):
        return self

    def param_specs(self):
        return [ParamSpec("slope", (self.n_in,), "slope", self.negative_slope)]

    def initialize(self, initializer, rng):
        self.params["slope"][...] = self.negative_slope

    def forward(self, x, *, training, rng=None, sample_weight=None):
        return np.where(x > 0, x, x * self.params["slope"]), x

    def backward(self, dout, cache):
        x = cache
        np.sum(dout * np.minimum(x, 0), axis=0, out=self.grads["slope"])
        if not self.needs_input_grad:
            return None
        return dout * np.where(x > 0, 1, self.params["slope"])


class MaxoutLayer(Layer):
    """Maxout (Goodfellow et al. 2013): each unit outputs the largest of k pieces.

    The k = ``pieces`` linear pieces of every unit are computed by the
    preceding dense layer, which is therefore k times wider (k times the
    parameters: twice for k = 2); columns ``j * k`` to ``j * k + k - 1`` of
    its output are the pieces of unit ``j``. The gradient flows to the
    winning piece only (the first one on a tie).

    Parameters
    ----------
    n_units : int
        Number of output units; the input width is ``n_units * pieces``.
    pieces : int, default=2
    """

    # max of two i.i.d. zero-mean pieces keeps their second moment: 1 / fan_in
    recommended_init = "lecun"
    owns_inference_output = owns_output = owns_input_grad = True

    def __init__(self, n_units, pieces=2):
        super().__init__(n_units * pieces)
        self.n_out = n_units
        self.pieces = int(pieces)

    @property
    def nonlinearity(self):
        return self

    def forward(self, x, *, training, rng=None, sample_weight=None):
        pieces = x.reshape(x.shape[0], self.n_out, self.pieces)
        winner = pieces.argmax(axis=2)[..., None]
        return np.take_along_axis(pieces, winner, axis=2)[..., 0], winner

    def backward(self, dout, cache):
        if not self.needs_input_grad:
            return None
        winner = cache
        dx = np.zeros((dout.shape[0], self.n_out, self.pieces), dtype=dout.dtype)
        np.put_along_axis(dx, winner, dout[..., None], axis=2)
        return dx.reshape(dout.shape[0], self.n_in)

    def __repr__(self):
        return f"MaxoutLayer(n_units={self.n_out}, pieces={self.pieces})"
