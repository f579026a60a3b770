"""Parameter averaging: a running average of the iterates used for prediction.

``averaging="ema"`` (or ``EMA(decay=...)``) and ``averaging="polyak"`` (or
``Polyak()``) keep ``theta_average_``, updated after every mini-batch step as
avg <- avg + w_t * (theta - avg); predictions and the validation score use it.
"""

from abc import abstractmethod
from numbers import Real

from ._compat import Interval
from ._component import Component
from ._registry import Registry


class Averaging(Component):
    """Base class: ``weight(t)`` is the weight of the t-th iterate (t >= 1)."""

    @abstractmethod
    def weight(self, t):
        """Weight w_t of the t-th iterate in avg <- avg + w_t * (theta - avg)."""


AVERAGING = Registry("averaging", base=Averaging)


@AVERAGING.register("polyak")
class Polyak(Averaging):
    """Polyak-Ruppert averaging: w_t = 1 / t, the plain mean of the iterates so far."""

    def weight(self, t):
        return 1.0 / t


@AVERAGING.register("ema")
class EMA(Averaging):
    """Exponential moving average with Adam's bias correction.

    w_t = (1 - d) / (1 - d^t) with d = ``decay``, so that no weight goes to the
    zeros the average would start from.

    Parameters
    ----------
    decay : float in (0, 1), default=0.99
    """

    _parameter_constraints: dict = {"decay": [Interval(Real, 0, 1, closed="neither")]}

    def __init__(self, decay=0.99):
        self.decay = decay

    def weight(self, t):
        return (1 - self.decay) / (1 - self.decay**t)


def update_average(average, theta, weight):
    """avg <- avg + weight * (theta - avg), in place; shapes (n_params,)."""
    difference = theta - average
    difference *= weight
    average += difference
