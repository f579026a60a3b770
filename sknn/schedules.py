"""Learning-rate schedules.

A schedule is a pure function of training progress: ``lr(lr0, epoch, t,
state)`` returns the rate for the coming epoch from the initial rate ``lr0``
(``learning_rate_init``, read at every call so that ``set_params`` between
``partial_fit`` calls takes effect), the number of finished epochs, the number
of samples seen ``t`` and the schedule's own plain ``state`` dict.

``on_plateau(lr, state)`` is called when the monitored loss or score has not
improved for ``n_iter_no_change`` epochs; it returns True to stop training
(the default) or updates ``state`` and returns False to continue.
"""

from ._registry import Registry

SCHEDULES = Registry("learning-rate schedule")


class Schedule:
    """Base class: a constant rate that stops training on a plateau."""

    name = None

    def init_state(self):
        return {}

    def lr(self, lr0, epoch, t, state):
        return lr0

    def on_plateau(self, lr, state):
        return True


@SCHEDULES.register("constant")
class Constant(Schedule):
    """lr = learning_rate_init."""


@SCHEDULES.register("invscaling")
class InvScaling(Schedule):
    """lr = learning_rate_init / (t + 1) ** power_t, t the number of samples seen.

    As in scikit-learn, the rate is updated at the end of each epoch.
    """

    def __init__(self, power_t=0.5):
        self.power_t = power_t

    def lr(self, lr0, epoch, t, state):
        return lr0 / (t + 1) ** self.power_t


@SCHEDULES.register("adaptive")
class Adaptive(Schedule):
    """scikit-learn's: divide the rate by 5 on every plateau, stop below 1e-6."""

    def init_state(self):
        return {"factor": 1.0}

    def lr(self, lr0, epoch, t, state):
        return lr0 * state["factor"]

    def on_plateau(self, lr, state):
        if lr <= 1e-6:
            return True
        state["factor"] /= 5.0
        return False
