"""Weight initializers for dense layers.

Each initializer draws the weight matrix of shape (fan_in, fan_out) of one
dense layer from a ``numpy.random.RandomState``; biases are the constant
``bias_init`` except for the ``sklearn`` scheme, which reproduces
scikit-learn's draws exactly (weights and biases uniform in +-sqrt(f / (fan_in +
fan_out)), f = 2 for logistic and 6 otherwise, drawn in the same order).

The variance-scaling family (LeCun, Glorot/Xavier, He) is one class
parametrised by ``mode`` and ``scale``:

======================  =====================  ==========================
name                    variance               recommended with
======================  =====================  ==========================
``lecun_*``             1 / fan_in             selu
``glorot_*``/xavier     2 / (fan_in + fan_out)  tanh, logistic, identity
``he_*``                2 / fan_in             the ReLU family
======================  =====================  ==========================

The ``*_uniform`` versions draw from U(-l, l) with l = sqrt(3 * variance).
"""

from abc import ABC, abstractmethod

import warnings

import numpy as np

from ._registry import Registry

INITIALIZERS = Registry("weight initializer")


class Initializer(ABC):
    """Base class: ``weights(fan_in, fan_out, rng, dtype) -> W``.

    ``bias(fan_in, fan_out, rng, dtype)`` returns the bias vector of shape
    (fan_out,); by default the constant ``bias_init``.
    """

    name = None

    def __init__(self, bias_init=0.0):
        self.bias_init = bias_init

    @abstractmethod
    def weights(self, fan_in, fan_out, rng, dtype):
        """Implemented by every subclass."""

    def bias(self, fan_in, fan_out, rng, dtype):
        return np.full(fan_out, self.bias_init, dtype=dtype)


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
    """``init_scale * N(0, 1)``: the notes' "small random numbers" (0.01)."""

    def __init__(self, init_scale=0.01, bias_init=0.0):
        super().__init__(bias_init)
        self.init_scale = init_scale

    def weights(self, fan_in, fan_out, rng, dtype):
        return (self.init_scale * rng.normal(size=(fan_in, fan_out))).astype(dtype)


@INITIALIZERS.register("uniform")
class SmallUniform(SmallNormal):
    """U(-init_scale, init_scale)."""

    def weights(self, fan_in, fan_out, rng, dtype):
        s = self.init_scale
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
    """Each unit gets ``min(fan_in, 15)`` non-zero incoming weights (Martens 2010).

    The non-zero weights are N(0, 1 / k) with k the number of connections, so a
    unit's pre-activation has the variance LeCun's scheme gives.
    """

    n_connections = 15

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

    l = sqrt(6 / (fan_in + fan_out)), or sqrt(2 / (fan_in + fan_out)) when the
    hidden activation is logistic. ``bias_init`` is ignored.
    """

    def __init__(self, logistic=False):
        super().__init__()
        self.factor = 2.0 if logistic else 6.0

    def _limit(self, fan_in, fan_out):
        return np.sqrt(self.factor / (fan_in + fan_out))

    def weights(self, fan_in, fan_out, rng, dtype):
        l = self._limit(fan_in, fan_out)
        return rng.uniform(-l, l, (fan_in, fan_out)).astype(dtype, copy=False)

    def bias(self, fan_in, fan_out, rng, dtype):
        l = self._limit(fan_in, fan_out)
        return rng.uniform(-l, l, fan_out).astype(dtype, copy=False)


def resolve_initializer(name, activation, *, sklearn_logistic=False, **options):
    """Build the initializer named ``name`` for a layer that feeds ``activation``.

    Parameters
    ----------
    name : str
        A registered name or ``"auto"``.
    activation : Activation or None
        The nonlinearity the layer's output goes through; None for the output
        layer (whose link is a softmax, sigmoid, exp or identity; ``"auto"``
        gives it ``AutoOutput``'s small weights).
    sklearn_logistic : bool
        For ``"sklearn"``: whether the estimator's activation is 'logistic',
        which selects scikit-learn's smaller init range.
    **options
        ``init_scale``, ``bias_init``: passed to initializers that take them.
    """
    if name == "auto":
        if activation is None:
            return AutoOutput(bias_init=options.get("bias_init", 0.0))
        name = AUTO_BY_FAMILY[activation.recommended_init]
    return INITIALIZERS.build(name, logistic=sklearn_logistic, **options)


def initializer_names():
    """Every valid ``weight_init`` value, ``"auto"`` included."""
    return ("auto", *INITIALIZERS.names())
