"""Learning-rate schedules.

A schedule is a pure function of training progress: ``lr(lr0, epoch, t,
state)`` returns the rate for the coming epoch from the initial rate ``lr0``
(``learning_rate_init``, read at every call so that ``set_params`` between
``partial_fit`` calls takes effect), the number of finished epochs ``epoch``
(counted over every call to ``fit`` with ``warm_start`` and to
``partial_fit``), the number of samples seen ``t`` and the schedule's own
plain ``state`` dict. At ``epoch=0`` every schedule returns ``lr0``.

Two hooks let a schedule react to the monitored metric (the validation score
or loss with early stopping, the training loss otherwise):

- ``on_epoch_end(improved, state)`` after every epoch, ``improved`` telling
  whether the metric improved by more than ``tol``;
- ``on_plateau(lr, state)`` when it has not improved for ``n_iter_no_change``
  epochs; it returns True to stop training (the default) or updates ``state``
  and returns False to continue.

``learning_rate()`` adds the optional linear warm-up shared by every schedule.

A schedule is set once per epoch by default. With ``schedule_interval='step'``
the estimators set it before every mini-batch step instead, at the
fractional epoch ``position = epoch + rows_seen_in_epoch / n_rows``
(``learning_rate_at()``, ``Schedule.lr_at``; RealMLP's convention).

Every schedule is a component: ``learning_rate=Step(factor=0.1,
step_size=30)`` or ``learning_rate="step"`` (its defaults), searchable as
``learning_rate__factor``. ``for_run(max_iter)`` gives the schedule of one
call to ``fit`` (``Cosine`` anneals over ``max_iter`` unless told otherwise).
"""

import math
from numbers import Integral, Real

from ._compat import Interval
from ._component import Component
from ._registry import Registry

_FACTOR = Interval(Real, 0, 1, closed="neither")
_NON_NEGATIVE = Interval(Real, 0, None, closed="left")
_COUNT = Interval(Integral, 1, None, closed="left")


def learning_rate(schedule, lr0, epoch, t, state, warmup_epochs=0):
    """The rate of epoch ``epoch`` (0-based): the schedule's, warmed up.

    During the first ``warmup_epochs`` epochs the schedule's value is
    multiplied by (epoch + 1) / (warmup_epochs + 1), a linear ramp.
    """
    lr = schedule.lr(lr0, epoch, t, state)
    if epoch < warmup_epochs:
        lr *= (epoch + 1) / (warmup_epochs + 1)
    return float(lr)


def learning_rate_at(schedule, lr0, position, t, state, warmup_epochs=0):
    """The rate at a fractional epoch ``position`` (the per-step schedule).

    Parameters
    ----------
    schedule : Schedule
    lr0 : float
    position : float >= 0
        Epochs done, counting the rows of the current epoch seen so far:
        ``epoch + rows / n_rows`` before a step.
    t : int
        Samples seen before the step.
    state : dict
        The schedule's state.
    warmup_epochs : int, default=0
        While ``position < warmup_epochs`` the rate is multiplied by
        (position + 1) / (warmup_epochs + 1), the epoch-wise ramp made
        continuous.

    Returns
    -------
    float
    """
    lr = schedule.lr_at(lr0, position, t, state)
    if position < warmup_epochs:
        lr *= (position + 1) / (warmup_epochs + 1)
    return float(lr)


class Schedule(Component):
    """Base class: a constant rate that stops training on a plateau."""

    def for_run(self, max_iter):
        """The schedule for a run of ``max_iter`` epochs (default: itself)."""
        return self

    def init_state(self):
        return {}

    def lr(self, lr0, epoch, t, state):
        return lr0

    def lr_at(self, lr0, position, t, state):
        """The rate at a fractional epoch ``position`` (``schedule_interval='step'``).

        By default ``lr`` evaluated at the fractional epoch, which suits
        every schedule written with arithmetic on ``epoch``.
        """
        return self.lr(lr0, position, t, state)

    def on_epoch_end(self, improved, state):
        """React to the monitored metric after each epoch (default: nothing)."""

    def on_plateau(self, lr, state):
        return True


SCHEDULES = Registry("learning-rate schedule", base=Schedule, key="schedule")


@SCHEDULES.register("constant")
class Constant(Schedule):
    """lr = learning_rate_init."""


@SCHEDULES.register("invscaling")
class InvScaling(Schedule):
    """lr = learning_rate_init / (t + 1) ** power_t, t the number of samples seen.

    As in scikit-learn, the rate is updated at the end of each epoch.

    Parameters
    ----------
    power_t : float >= 0, default=0.5
        scikit-learn's default.
    """

    _parameter_constraints: dict = {"power_t": [_NON_NEGATIVE]}

    def __init__(self, power_t=0.5):
        self.power_t = power_t

    def lr(self, lr0, epoch, t, state):
        # a float power: an integer power_t would compute (t + 1) ** power_t in
        # exact integer arithmetic, which never ends for power_t = 10**12
        try:
            return lr0 / (t + 1) ** float(self.power_t)
        except OverflowError:  # the divisor exceeds the float range: the rate is 0
            return 0.0


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


@SCHEDULES.register("step")
class Step(Schedule):
    """Step decay: lr = learning_rate_init * factor ** (epoch // step_size).

    Parameters
    ----------
    factor : float in (0, 1), default=0.5
    step_size : int >= 1, default=10
        Epochs between two reductions.
    """

    _parameter_constraints: dict = {"factor": [_FACTOR], "step_size": [_COUNT]}

    def __init__(self, factor=0.5, step_size=10):
        self.factor = factor
        self.step_size = step_size

    def lr(self, lr0, epoch, t, state):
        return lr0 * self.factor ** (epoch // self.step_size)


class _Decay(Schedule):
    """A schedule decaying with the epoch at a rate ``decay >= 0``."""

    _parameter_constraints: dict = {"decay": [_NON_NEGATIVE]}

    def __init__(self, decay=0.05):
        self.decay = decay


@SCHEDULES.register("exponential")
class Exponential(_Decay):
    """Exponential decay: lr = learning_rate_init * exp(-decay * epoch).

    Parameters
    ----------
    decay : float >= 0, default=0.05
    """

    def lr(self, lr0, epoch, t, state):
        return lr0 * math.exp(-self.decay * epoch)


@SCHEDULES.register("inverse_time")
class InverseTime(_Decay):
    """1/t decay: lr = learning_rate_init / (1 + decay * epoch).

    Parameters
    ----------
    decay : float >= 0, default=0.05
    """

    def lr(self, lr0, epoch, t, state):
        return lr0 / (1 + self.decay * epoch)


@SCHEDULES.register("cosine")
class Cosine(Schedule):
    """Cosine annealing (Loshchilov & Hutter 2017) from lr0 to the floor ``lr_min``.

    lr = m + (lr0 - m) * (1 + cos(pi * e / T)) / 2 with m = min(lr_min, lr0).
    Without restarts T = ``max_iter`` and e = epoch, and the rate stays at m
    after ``max_iter`` epochs (a warm-started continuation trains at the
    floor). With ``restart_period=P`` the rate restarts from lr0 every P
    epochs (SGDR's warm restarts): T = P and e = epoch mod P.

    Parameters
    ----------
    max_iter : int >= 1 or None, default=None
        Epochs of the half cosine; None: the estimator's ``max_iter``.
    lr_min : float >= 0, default=1e-6
    restart_period : int >= 1 or None, default=None
    """

    _parameter_constraints: dict = {
        "max_iter": [_COUNT, None],
        "lr_min": [_NON_NEGATIVE],
        "restart_period": [_COUNT, None],
    }

    def __init__(self, max_iter=None, lr_min=1e-6, restart_period=None):
        self.max_iter = max_iter
        self.lr_min = lr_min
        self.restart_period = restart_period

    def for_run(self, max_iter):
        if self.max_iter is not None:
            return self
        return self.copy().set_params(max_iter=max_iter)

    def lr(self, lr0, epoch, t, state):
        floor = min(self.lr_min, lr0)
        if self.restart_period is None:
            horizon = 200 if self.max_iter is None else self.max_iter
            period, position = horizon, min(epoch, horizon)
        else:
            period = self.restart_period
            position = epoch % period
        return floor + (lr0 - floor) * 0.5 * (1 + math.cos(math.pi * position / period))


@SCHEDULES.register("plateau")
class Plateau(Schedule):
    """Reduce on plateau: lr <- max(lr * factor, lr_min) after ``patience``
    epochs in a row without improvement of the monitored metric.

    The metric is the validation score (or loss, see ``scoring``) with
    ``early_stopping=True`` and the training loss otherwise, with the same
    ``tol`` as the stopping rule, which still ends training after
    ``n_iter_no_change`` epochs without improvement.

    Parameters
    ----------
    factor : float in (0, 1), default=0.5
    patience : int >= 1, default=5
    lr_min : float >= 0, default=1e-6
    """

    _parameter_constraints: dict = {
        "factor": [_FACTOR],
        "patience": [_COUNT],
        "lr_min": [_NON_NEGATIVE],
    }

    def __init__(self, factor=0.5, patience=5, lr_min=1e-6):
        self.factor = factor
        self.patience = patience
        self.lr_min = lr_min

    def init_state(self):
        return {"factor": 1.0, "wait": 0}

    def lr(self, lr0, epoch, t, state):
        return max(lr0 * state["factor"], min(self.lr_min, lr0))

    def on_epoch_end(self, improved, state):
        state["wait"] = 0 if improved else state["wait"] + 1
        if state["wait"] >= self.patience:
            state["factor"] *= self.factor
            state["wait"] = 0


class _Progress(Schedule):
    """A schedule that is a function of the training progress p in [0, 1].

    Set once per epoch, p is measured at the middle of the epoch,
    p = (epoch + 1/2) / max_iter, the per-epoch value closest to the mean of
    the schedule over the epoch's steps; set at every step
    (``schedule_interval='step'``), p = position / max_iter with the
    fractional epoch ``position`` before the step, as in RealMLP (p = 0 at
    the first step). After ``max_iter`` epochs p stays at 1.
    """

    _parameter_constraints: dict = {"max_iter": [_COUNT, None]}

    def __init__(self, max_iter=None):
        self.max_iter = max_iter

    def for_run(self, max_iter):
        if self.max_iter is not None:
            return self
        return self.copy().set_params(max_iter=max_iter)

    def progress(self, epoch):
        horizon = 200 if self.max_iter is None else self.max_iter
        return min((epoch + 0.5) / horizon, 1.0)

    def factor(self, p):
        """The multiplier of lr0 at progress p."""
        raise NotImplementedError

    def lr(self, lr0, epoch, t, state):
        return lr0 * self.factor(self.progress(epoch))

    def lr_at(self, lr0, position, t, state):
        horizon = 200 if self.max_iter is None else self.max_iter
        return lr0 * self.factor(min(position / horizon, 1.0))


@SCHEDULES.register("coslog")
class CosLog(_Progress):
    """RealMLP's cosine-log schedule: k cosine cycles, evenly spaced in log time.

    lr = lr0 * (1 - cos(2 pi log2(1 + (2^k - 1) p))) / 2 at progress p (see
    below): the rate rises from 0 to lr0 and falls back to 0 k times, each
    cycle twice as long as the one before (Holzmueller et al. 2024,
    "coslog4" with k = 4). It is the one schedule whose value at epoch 0 is
    not lr0 (it starts near 0).

    Parameters
    ----------
    n_cycles : int >= 1, default=4
        k, the paper's 4.
    max_iter : int >= 1 or None, default=None
        Epochs of the whole schedule; None: the estimator's ``max_iter``.

    Notes
    -----
    Set once per epoch, the rate is taken at the epoch's middle,
    p = (epoch + 1/2) / max_iter; with ``schedule_interval='step'`` at every
    step, p = (rows seen) / (max_iter * rows an epoch trains on), as in the paper.
    """

    starts_at_lr0 = False
    _parameter_constraints: dict = {**_Progress._parameter_constraints, "n_cycles": [_COUNT]}

    def __init__(self, n_cycles=4, max_iter=None):
        self.n_cycles = n_cycles
        self.max_iter = max_iter

    def factor(self, p):
        return coslog(p, self.n_cycles)


@SCHEDULES.register("flat_cos")
class FlatCos(_Progress):
    """Constant for the first half of training, then a half cosine down to 0.

    lr = lr0 for p < 1/2, lr0 * (1 + cos(pi (2 p - 1))) / 2 afterwards, at
    progress p (see ``CosLog``; RealMLP's schedule of dropout and weight
    decay, Holzmueller et al. 2024).

    Parameters
    ----------
    max_iter : int >= 1 or None, default=None
        Epochs of the whole schedule; None: the estimator's ``max_iter``.
    """

    def factor(self, p):
        return flat_cos(p)


def coslog(p, n_cycles=4):
    """(1 - cos(2 pi log2(1 + (2^k - 1) p))) / 2 for progress p in [0, 1]."""
    return 0.5 * (1.0 - math.cos(2.0 * math.pi * math.log2(1.0 + (2.0**n_cycles - 1.0) * p)))


def flat_cos(p):
    """1 for p < 1/2, (1 + cos(pi (2 p - 1))) / 2 for p in [1/2, 1]."""
    if p < 0.5:
        return 1.0
    return 0.5 * (1.0 + math.cos(math.pi * (2.0 * p - 1.0)))


def multiplier(schedule, epoch):
    """A schedule's value at ``epoch`` as a multiplier of 1 (for hyperparameters
    other than the learning rate: dropout, weight decay); stateless use."""
    return float(schedule.lr(1.0, epoch, 0, schedule.init_state()))


def multiplier_at(schedule, position):
    """``multiplier`` at a fractional epoch ``position`` (per-step schedules)."""
    return float(schedule.lr_at(1.0, position, 0, schedule.init_state()))
