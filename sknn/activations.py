"""Element-wise activations for hidden layers, each with its derivative.

Every activation maps pre-activations ``z`` of shape (n_samples, n_units) to
``a = f(z)`` of the same shape and dtype, and back-propagates an upstream
gradient ``da`` into ``dz = f'(z) * da``. All kernels are stable for
``|z|`` up to 1e4 in float32 and float64 (no overflow warning).

``recommended_init`` names the weight-initializer family that keeps the
variance of activations constant through depth for that nonlinearity; the
``weight_init="auto"`` option uses it.

Every activation is a component (``sknn._component.Component``) whose
constructor arguments are its hyperparameters: ``activation="leaky_relu"`` is
``LeakyReLU()``, and ``activation=LeakyReLU(negative_slope=0.2)`` or one
object per hidden layer work too. ``make_layer(n_units)`` turns one into the
layer of a network. Besides the element-wise ``Activation`` subclasses, two
activations have trainable parameters and are layers of their own
(``PReLU``, ``Maxout``; their layers are in ``sknn.layers``).
"""

from abc import abstractmethod
from numbers import Integral, Real

import numpy as np
from scipy.special import expit, ndtr

from ._accelerated import relu_kernels
from ._compat import Interval
from ._component import Component
from ._registry import Registry

_INV_SQRT_2PI = 1.0 / np.sqrt(2.0 * np.pi)


class Nonlinearity(Component):
    """Base class of everything the ``activation`` parameter takes.

    ``recommended_init`` is the initializer family ('he', 'glorot' or
    'lecun') that ``weight_init="auto"`` picks for the layer feeding it.
    """

    recommended_init = "glorot"

    @abstractmethod
    def make_layer(self, n_units):
        """The layer that applies this activation to ``n_units`` units."""


ACTIVATIONS = Registry("activation", base=Nonlinearity)


class Activation(Nonlinearity):
    """Base class: ``forward(z) -> a`` and ``backward(z, a, da) -> dz``.

    Subclasses may use either the input ``z`` or the output ``a`` (both of shape
    (n_samples, n_units)) to compute the derivative, whichever is cheaper.

    ``forward_inplace(z)`` is the same function, allowed to overwrite ``z`` (a
    temporary its caller hands over) and to return it; the base class falls
    back to ``forward``, the common activations compute in place.

    Activations whose derivative is a function of the output alone set
    ``grad_from_output = True`` and define ``backward_inplace(a, da)``, which
    writes dz into ``da`` and returns it: training may then overwrite ``z``
    with ``a`` (``forward_inplace``) and keep only ``a``.
    """

    grad_from_output = False

    def make_layer(self, n_units):
        from .layers import ActivationLayer

        return ActivationLayer(n_units, self)

    @abstractmethod
    def forward(self, z):
        """Implemented by every subclass."""

    def forward_inplace(self, z):
        """``forward(z)``, allowed to overwrite ``z`` (inference only).

        The default does not overwrite; activations that can work in place
        override it.
        """
        return self.forward(z)

    @abstractmethod
    def backward(self, z, a, da):
        """Implemented by every subclass."""


class OutputDerivative(Activation):
    """An activation whose derivative is a function of its output a = f(z).

    Subclasses write each formula once, in place: ``forward_inplace(z)`` and
    ``backward_inplace(a, da)`` (dz written into ``da``); ``forward`` and
    ``backward`` are the same computations on copies.
    """

    grad_from_output = True

    @abstractmethod
    def forward_inplace(self, z):
        """f(z), computed in the buffer ``z`` and returned."""

    @abstractmethod
    def backward_inplace(self, a, da):
        """dz = f'(z) * da from the output ``a``, computed in ``da`` and returned."""

    def forward(self, z):
        return self.forward_inplace(z.copy())

    def backward(self, z, a, da):
        return self.backward_inplace(a, da.copy())


@ACTIVATIONS.register("identity")
class Identity(OutputDerivative):
    """f(z) = z; a linear unit (useful for bottlenecks)."""

    def forward_inplace(self, z):
        return z

    def backward_inplace(self, a, da):
        return da


@ACTIVATIONS.register("logistic", aliases=("sigmoid",))
class Logistic(OutputDerivative):
    """f(z) = 1 / (1 + exp(-z)), through ``scipy.special.expit``."""

    def forward_inplace(self, z):
        return expit(z, out=z)

    def backward_inplace(self, a, da):
        da *= a
        da *= 1 - a
        return da


@ACTIVATIONS.register("tanh")
class Tanh(OutputDerivative):
    """f(z) = tanh(z) = 2 * sigmoid(2z) - 1."""

    def forward_inplace(self, z):
        return np.tanh(z, out=z)

    def backward_inplace(self, a, da):
        return np.multiply(da, 1 - a * a, out=da)


@ACTIVATIONS.register("relu")
class ReLU(OutputDerivative):
    """f(z) = max(0, z)."""

    recommended_init = "he"

    def forward_inplace(self, z):
        kernels = relu_kernels(z.dtype, z.size) if z.flags.c_contiguous else None
        if kernels is not None:  # the same pass compiled (sknn._accelerated)
            kernels[0](z.reshape(-1), z.dtype.type(0))
            return z
        return np.maximum(z, 0, out=z)

    def backward_inplace(self, a, da):  # a > 0 exactly where z > 0
        contiguous = a.flags.c_contiguous and da.flags.c_contiguous
        kernels = relu_kernels(da.dtype, da.size) if contiguous else None
        if kernels is not None and a.dtype == da.dtype:
            kernels[1](a.reshape(-1), da.reshape(-1), da.dtype.type(0))
            return da
        return np.multiply(da, a > 0, out=da)


def _one_or(positive, slope, dtype):
    """1 where ``positive``, ``slope`` (cast to ``dtype``) elsewhere, as an array of ``dtype``.

    By arithmetic, not ``np.where`` or a masked ufunc (``where=``), which
    branch on every element and cost 20 to 30 times as much on random signs;
    exact, since ``0 + slope`` and ``1 + 0`` are.
    """
    factor = np.multiply(~positive, dtype.type(slope))
    factor += positive
    return factor


@ACTIVATIONS.register("leaky_relu")
class LeakyReLU(OutputDerivative):
    """f(z) = z for z > 0, ``negative_slope * z`` otherwise.

    Parameters
    ----------
    negative_slope : float, default=0.01
        Maas et al.'s value (PyTorch's and Keras' default).
    """

    recommended_init = "he"
    _parameter_constraints: dict = {"negative_slope": [Real]}

    def __init__(self, negative_slope=0.01):
        self.negative_slope = negative_slope

    def forward_inplace(self, z):
        z *= _one_or(z > 0, self.negative_slope, z.dtype)
        return z

    def backward(self, z, a, da):  # from z: valid for a negative slope too
        return da * _one_or(z > 0, self.negative_slope, da.dtype)

    @property
    def grad_from_output(self):  # a > 0 exactly where z > 0 when the slope is >= 0
        return self.negative_slope >= 0

    def backward_inplace(self, a, da):
        da *= _one_or(a > 0, self.negative_slope, da.dtype)
        return da


@ACTIVATIONS.register("elu")
class ELU(Activation):
    """f(z) = z for z > 0, ``alpha * (exp(z) - 1)`` otherwise (Clevert et al. 2016).

    Parameters
    ----------
    alpha : float > 0, default=1.0
    """

    recommended_init = "he"
    _parameter_constraints: dict = {"alpha": [Interval(Real, 0, None, closed="neither")]}

    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def forward(self, z):
        # alpha * expm1(min(z, 0)) is 0 where z > 0, so adding max(z, 0) selects z there
        out = np.minimum(z, 0)
        np.expm1(out, out=out)
        out *= self.alpha
        out += np.maximum(z, 0)
        return out

    def backward(self, z, a, da):
        # 1 for z > 0, a + alpha otherwise: min(a, 0) + alpha is a + alpha where
        # z <= 0 (a <= 0 there) and finite where z > 0, so the select is exact
        positive = z > 0
        slope = np.minimum(a, 0)
        slope += self.alpha
        slope = slope.astype(da.dtype, copy=False)
        slope *= ~positive
        slope += positive
        slope *= da
        return slope


@ACTIVATIONS.register("selu")
class SELU(ELU):
    """Scaled ELU (Klambauer et al. 2017), self-normalizing with LeCun init."""

    recommended_init = "lecun"
    _parameter_constraints: dict = {}
    _ALPHA = 1.6732632423543772848170429916717
    _SCALE = 1.0507009873554804934193349852946
    alpha = _ALPHA

    def __init__(self):
        pass

    def forward(self, z):
        # scale * max(z, 0) + scale * alpha * expm1(min(z, 0)), in two buffers
        out = np.minimum(z, 0)
        np.expm1(out, out=out)
        out *= self._SCALE * self._ALPHA
        positive = np.maximum(z, 0)
        positive *= self._SCALE
        out += positive
        return out

    def backward(self, z, a, da):
        # f' = scale for z > 0, a + scale * alpha = scale * alpha * exp(z) otherwise,
        # selected by arithmetic: a masked copy (``where=``) branches on every
        # element and costs 20 times as much on random signs. Exact: the slope
        # is finite where z > 0, so it becomes 0 + scale, and x * 1 + 0 is x.
        positive = z > 0
        slope = np.minimum(a, 0)
        slope += self._SCALE * self._ALPHA
        slope *= ~positive
        slope += positive * slope.dtype.type(self._SCALE)
        slope *= da
        return slope.astype(da.dtype, copy=False)


@ACTIVATIONS.register("gelu")
class GELU(Activation):
    """f(z) = z * Phi(z), Phi the standard normal CDF (the exact form)."""

    recommended_init = "he"

    def forward(self, z):
        return z * ndtr(z)

    def backward(self, z, a, da):
        pdf = np.exp(-0.5 * np.minimum(z * z, 1e4)) * _INV_SQRT_2PI
        return da * (ndtr(z) + z * pdf.astype(z.dtype, copy=False))


@ACTIVATIONS.register("softplus")
class Softplus(Activation):
    """f(z) = log(1 + exp(z)), a smooth ReLU."""

    recommended_init = "he"

    def forward(self, z):
        return np.logaddexp(0, z)

    def forward_inplace(self, z):
        return np.logaddexp(0, z, out=z)

    def backward(self, z, a, da):
        return da * expit(z)


@ACTIVATIONS.register("swish", aliases=("silu",))
class Swish(Activation):
    """f(z) = z * sigmoid(z) (SiLU)."""

    recommended_init = "he"

    def forward(self, z):
        return z * expit(z)

    def backward(self, z, a, da):
        s = expit(z)
        return da * (s + a * (1 - s))


@ACTIVATIONS.register("mish")
class Mish(Activation):
    """f(z) = z * tanh(softplus(z)) (Misra 2019), a smooth, non-monotonic ReLU.

    f'(z) = tanh(sp) + z * sigmoid(z) * (1 - tanh(sp)^2) with sp = softplus(z).
    """

    recommended_init = "he"

    # With e = exp(z) and n = e (e + 2): tanh(softplus(z)) = n / (n + 2) and
    # z sigmoid(z) (1 - tanh^2) = 4 z e (e + 1) / (n + 2)^2; one exp, capped at
    # z = 20 where tanh(softplus(z)) = 1 to float64 precision.
    _CAP = 20.0

    # Few temporaries, the rest in place: each new array of a batch's size
    # can cost page faults (see sknn._work_arrays).
    def _exp_terms(self, z):
        e = np.minimum(z, self._CAP)
        np.exp(e, out=e)
        n = e + 2
        n *= e
        return e, n

    def forward(self, z):
        e, n = self._exp_terms(z)
        denominator = np.add(n, 2, out=e)
        n /= denominator
        n *= z
        return n

    def backward(self, z, a, da):
        e, n = self._exp_terms(z)
        out = n + 2
        np.divide(n, out, out=n)  # t = tanh(softplus(z))
        out *= out
        np.divide(e, out, out=out)  # e / (n + 2)^2, then times 4 z (e + 1)
        e += 1
        out *= e
        out *= z
        out *= 4
        out += n
        out *= da
        return out


@ACTIVATIONS.register("prelu")
class PReLU(Nonlinearity):
    """Parametric ReLU (He et al. 2015): ``x`` for x > 0, ``slope_j * x`` otherwise.

    One slope per unit, learned by back-propagation and never penalised.

    Parameters
    ----------
    negative_slope : float, default=0.25
        Initial value of every slope (the paper's).
    """

    recommended_init = "he"
    _parameter_constraints: dict = {"negative_slope": [Real]}

    def __init__(self, negative_slope=0.25):
        self.negative_slope = negative_slope

    def make_layer(self, n_units):
        from .layers import PReLULayer

        return PReLULayer(n_units, self.negative_slope)


class _BaseActivationInit:
    """``recommended_init`` of a parametric activation: its base's (on the class: the default base's)."""

    def __get__(self, obj, cls):
        return (cls() if obj is None else obj).base_activation().recommended_init


@ACTIVATIONS.register("parametric")
class Parametric(Nonlinearity):
    """A learned per-unit mix of an activation and the identity (RealMLP-TD).

    ``out = z + (f(z) - z) * w_j``, one ``w_j`` per unit initialised at 1, so
    that every unit starts as ``f`` and may become more linear (Holzmueller
    et al. 2024). The weights have the role ``"activation"`` (never
    penalised; ``lr_factors`` sets their rate, 0.1 in RealMLP-TD). Works in
    batched ensembles (``n_members``), each member with its own weights.

    Parameters
    ----------
    base : str or Activation, default='selu'
        The element-wise activation f (a name of ``sknn.activations`` or an
        object).
    """

    _parameter_constraints: dict = {"base": [str, Activation]}

    def __init__(self, base="selu"):
        self.base = base

    def base_activation(self):
        """``base`` as an ``Activation`` object (a name is built with its defaults)."""
        base = ACTIVATIONS.resolve(self.base, what="Parametric base")
        if not isinstance(base, Activation):
            raise ValueError(
                f"Parametric needs an element-wise base activation; {self.base!r} has "
                "parameters of its own."
            )
        return base

    recommended_init = _BaseActivationInit()

    def make_layer(self, n_units, n_members=1):
        from .parametric_activation import ParametricActivationLayer

        return ParametricActivationLayer(n_units, self.base_activation(), n_members)


@ACTIVATIONS.register("parametric_selu")
class ParametricSELU(Parametric):
    """``Parametric('selu')``: RealMLP-TD's activation for classification."""

    def __init__(self, base="selu"):
        self.base = base


@ACTIVATIONS.register("parametric_mish")
class ParametricMish(Parametric):
    """``Parametric('mish')``: RealMLP-TD's activation for regression."""

    def __init__(self, base="mish"):
        self.base = base


@ACTIVATIONS.register("maxout")
class Maxout(Nonlinearity):
    """Maxout (Goodfellow et al. 2013): each unit outputs the largest of k pieces.

    The preceding dense layer computes the k = ``pieces`` linear pieces of
    every unit, so it is k times wider (k times the parameters).

    Parameters
    ----------
    pieces : int >= 2, default=2
    """

    # max of two i.i.d. zero-mean pieces keeps their second moment: 1 / fan_in
    recommended_init = "lecun"
    _parameter_constraints: dict = {"pieces": [Interval(Integral, 2, None, closed="left")]}

    def __init__(self, pieces=2):
        self.pieces = pieces

    def make_layer(self, n_units):
        from .layers import MaxoutLayer

        return MaxoutLayer(n_units, self.pieces)


def elementwise_names(*, aliases=False):
    """Names of the parameter-free, element-wise activations.

    ``ACTIVATIONS`` also holds activations with parameters (``prelu``,
    ``maxout``); these names exclude them.
    """
    return tuple(
        name
        for name in ACTIVATIONS.names(aliases=aliases)
        if issubclass(ACTIVATIONS.get(name), Activation)
    )
