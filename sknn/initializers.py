"""Weight initializers for dense layers.

Each initializer draws the weight matrix of shape (fan_in, fan_out) of one
dense layer from a ``numpy.random.RandomState``; biases are the constant
``bias_init`` except for the ``sklearn`` scheme, which reproduces
scikit-learn's draws exactly (weights and biases uniform in +-sqrt(f / (fan_in +
fan_out)), f = 2 for logistic and 6 otherwise, drawn in the same order).

The variance-scaling family (LeCun, Glorot/Xavier, He) is one class
parametrised by ``mode`` and ``scale``:

======================  ======================  ==========================
name                    variance                recommended with
======================  ======================  ==========================
``lecun_*``             1 / fan_in              selu
``glorot_*``/xavier     2 / (fan_in + fan_out)  tanh, logistic, identity
``he_*``                2 / fan_in              the ReLU family
======================  ======================  ==========================

The ``*_uniform`` versions draw from U(-l, l) with l = sqrt(3 * variance).

Every initializer is a component: ``weight_init="normal"`` is
``SmallNormal()``, ``weight_init=SmallNormal(scale=0.1)`` sets its scale.
"""

import warnings
from abc import abstractmethod
from numbers import Integral, Real

import numpy as np

from ._compat import Interval
from ._component import Component
from ._registry import Registry


class Initializer(Component):
    """Base class: ``weights(fan_in, fan_out, rng, dtype) -> W`` of shape (fan_in, fan_out).

    ``bias(fan_in, fan_out, rng, dtype)`` returns the bias vector of shape
    (fan_out,), or None for the estimator's constant ``bias_init`` (the default).
    """

    @abstractmethod
    def weights(self, fan_in, fan_out, rng, dtype):
        """Implemented by every subclass."""

    def bias(self, fan_in, fan_out, rng, dtype):
        return None

    def for_activation(self, activation):
        """The initializer for an estimator whose ``activation`` parameter is this."""
        return self


INITIALIZERS = Registry("weight initializer", base=Initializer, key="initializer")


class LayerInitializer:
    """What a dense layer draws from: an initializer's weights, biases or ``bias_init``.

    Parameters
    ----------
    initializer : Initializer
    bias_init : float, default=0.0
        The constant bias, unless the initializer draws its own.
    """

    def __init__(self, initializer, bias_init=0.0):
        self.initializer = initializer
        self.bias_init = bias_init
        self.name = initializer.name

    def weights(self, fan_in, fan_out, rng, dtype):
        return self.initializer.weights(fan_in, fan_out, rng, dtype)

    def bias(self, fan_in, fan_out, rng, dtype):
        drawn = self.initializer.bias(fan_in, fan_out, rng, dtype)
        return np.full(fan_out, self.bias_init, dtype=dtype) if drawn is None else drawn


class VarianceScaling(Initializer):
    """Zero-mean weights with variance ``scale / fan``.

    ``fan`` is fan_in (``mode="fan_in"``) or the mean of fan_in and fan_out
    (``mode="fan_avg"``).
    """

    scale = 1.0
    mode = "fan_in"
    distribution = "normal"

    def variance(self, fan_in, fan_out):
        fan = fan_in if self.mode == "fan_in" else (fan_in + fan_out) / 2.0
        return self.scale / max(fan, 1.0)

    def weights(self, fan_in, fan_out, rng, dtype):
        std = np.sqrt(self.variance(fan_in, fan_out))
        if self.distribution == "normal":
            w = rng.normal(0.0, std, size=(fan_in, fan_out))
        else:
            limit = np.sqrt(3.0) * std
            w = rng.uniform(-limit, limit, size=(fan_in, fan_out))
        return w.astype(dtype, copy=False)


def _variance_scaling(name, scale, mode, distribution, aliases=()):
    cls = type(
        name.title().replace("_", ""),
        (VarianceScaling,),
        {
            "scale": scale,
            "mode": mode,
            "distribution": distribution,
            "__doc__": f"Variance-scaling init: var = {scale} / {mode}, {distribution}.",
        },
    )
    return INITIALIZERS.register(name, aliases=aliases)(cls)


LecunNormal = _variance_scaling("lecun_normal", 1.0, "fan_in", "normal")
LecunUniform = _variance_scaling("lecun_uniform", 1.0, "fan_in", "uniform")
GlorotNormal = _variance_scaling(
    "glorot_normal", 1.0, "fan_avg", "normal", aliases=("xavier_normal",)
)
GlorotUniform = _variance_scaling(
    "glorot_uniform", 1.0, "fan_avg", "uniform", aliases=("xavier_uniform",)
)
HeNormal = _variance_scaling("he_normal", 2.0, "fan_in", "normal")
HeUniform = _variance_scaling("he_uniform", 2.0, "fan_in", "uniform")

#: what ``weight_init="auto"`` picks for each activation family
AUTO_BY_FAMILY = {"he": "he_uniform", "glorot": "glorot_uniform", "lecun": "lecun_normal"}


class AutoOutput(VarianceScaling):
    """``weight_init="auto"`` for the output layer: U(-l, l), variance 0.01 / fan_in.

    The variance-preserving schemes keep the second moment of the hidden
    units near 1, so an output layer of variance v / fan_in gives logits of
    variance about v: Glorot's 2 / (fan_in + fan_out) gives about 1.7 on
    standardized digits (100 ReLU units), and a softmax over 10 classes then
    starts at a loss of 3.27 instead of ln 10 = 2.30. With v = 0.01 the logits
    start near 0 (standard deviation about 0.1): the initial predictions are
    nearly uniform and the initial loss is the one the notes' sanity check
    expects, ln K for K classes.
    """

    name = "auto (output layer)"
    scale = 0.01
    mode = "fan_in"
    distribution = "uniform"


@INITIALIZERS.register("zeros")
class Zeros(Initializer):
    """All weights 0: every hidden unit computes and learns the same thing."""

    def weights(self, fan_in, fan_out, rng, dtype):
        warnings.warn(
            "weight_init='zeros' makes every hidden unit identical: they receive "
            "the same gradient and stay identical during training (the symmetry "
            "problem). Use a random initializer such as 'auto'.",
            UserWarning,
            stacklevel=2,
        )
        return np.zeros((fan_in, fan_out), dtype=dtype)


@INITIALIZERS.register("normal")
class SmallNormal(Initializer):
    """``scale * N(0, 1)``: the notes' "small random numbers".

    Parameters
    ----------
    scale : float > 0, default=0.01
        The notes' value.
    """

    _parameter_constraints: dict = {"scale": [Interval(Real, 0, None, closed="neither")]}

    def __init__(self, scale=0.01):
        self.scale = scale

    def weights(self, fan_in, fan_out, rng, dtype):
        return (self.scale * rng.normal(size=(fan_in, fan_out))).astype(dtype)


@INITIALIZERS.register("uniform")
class SmallUniform(SmallNormal):
    """U(-scale, scale).

    Parameters
    ----------
    scale : float > 0, default=0.01
    """

    def weights(self, fan_in, fan_out, rng, dtype):
        s = self.scale
        return rng.uniform(-s, s, size=(fan_in, fan_out)).astype(dtype)


@INITIALIZERS.register("orthogonal")
class Orthogonal(Initializer):
    """A (semi-)orthogonal matrix from the QR decomposition of a Gaussian one."""

    def weights(self, fan_in, fan_out, rng, dtype):
        rows, cols = max(fan_in, fan_out), min(fan_in, fan_out)
        q, r = np.linalg.qr(rng.normal(size=(rows, cols)))
        q *= np.sign(np.diag(r))  # makes the distribution uniform (Haar)
        if fan_in < fan_out:
            q = q.T
        return q.astype(dtype)


@INITIALIZERS.register("sparse")
class Sparse(Initializer):
    """Each unit gets ``min(fan_in, n_connections)`` non-zero incoming weights (Martens 2010).

    The non-zero weights are N(0, 1 / k) with k the number of connections, so a
    unit's pre-activation has the variance LeCun's scheme gives.

    Parameters
    ----------
    n_connections : int >= 1, default=15
        Martens' value.
    """

    _parameter_constraints: dict = {"n_connections": [Interval(Integral, 1, None, closed="left")]}

    def __init__(self, n_connections=15):
        self.n_connections = n_connections

    def weights(self, fan_in, fan_out, rng, dtype):
        k = min(fan_in, self.n_connections)
        w = np.zeros((fan_in, fan_out))
        for unit in range(fan_out):
            rows = rng.choice(fan_in, size=k, replace=False)
            w[rows, unit] = rng.normal(0.0, 1.0 / np.sqrt(k), size=k)
        return w.astype(dtype)


@INITIALIZERS.register("sklearn")
class SklearnUniform(Initializer):
    """scikit-learn's scheme, draw for draw: weights then biases uniform in +-l.

    l = sqrt(factor / (fan_in + fan_out)). ``bias_init`` is ignored.

    Parameters
    ----------
    factor : float > 0 or None, default=None
        None: scikit-learn's choice, 2 when the estimator's ``activation`` is
        'logistic' and 6 otherwise.
    """

    _parameter_constraints: dict = {"factor": [Interval(Real, 0, None, closed="neither"), None]}

    def __init__(self, factor=None):
        self.factor = factor

    def for_activation(self, activation):
        if self.factor is not None:
            return self
        from .activations import ACTIVATIONS, Logistic

        if isinstance(activation, str):
            logistic = activation in ACTIVATIONS and ACTIVATIONS.canonical(activation) == "logistic"
        else:
            logistic = isinstance(activation, Logistic)
        return self.copy().set_params(factor=2.0 if logistic else 6.0)

    def _limit(self, fan_in, fan_out):
        factor = 6.0 if self.factor is None else self.factor
        return np.sqrt(factor / (fan_in + fan_out))

    def weights(self, fan_in, fan_out, rng, dtype):
        l = self._limit(fan_in, fan_out)
        return rng.uniform(-l, l, (fan_in, fan_out)).astype(dtype, copy=False)

    def bias(self, fan_in, fan_out, rng, dtype):
        l = self._limit(fan_in, fan_out)
        return rng.uniform(-l, l, fan_out).astype(dtype, copy=False)


def resolve_initializer(initializer, activation):
    """The initializer of a layer that feeds ``activation``.

    Parameters
    ----------
    initializer : str or Initializer
        A registered name, ``"auto"`` or an initializer object (used as it is).
    activation : Nonlinearity or None
        The nonlinearity the layer's output goes through; None for the output
        layer (whose link is a softmax, sigmoid, exp or identity; ``"auto"``
        gives it ``AutoOutput``'s small weights). ``"auto"`` picks, for a
        hidden layer, the family of its ``recommended_init``.
    """
    if isinstance(initializer, Initializer):
        return initializer
    if initializer == "auto":
        if activation is None:
            return AutoOutput()
        initializer = AUTO_BY_FAMILY[activation.recommended_init]
    return INITIALIZERS.get(initializer)()


def initializer_names():
    """Every valid ``weight_init`` name, ``"auto"`` included."""
    return ("auto", *INITIALIZERS.names())
