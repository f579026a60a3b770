"""What a driver trains (``Run``) and who listens to its progress (``Handler``).

A driver emits, in this order:

- ``on_fit_begin(run)`` once;
- per epoch (per iteration for L-BFGS, per generation for genetic):
  ``on_epoch_begin(run, epoch, lr)``, then for the mini-batch driver per batch
  ``on_batch_loss(run, batch, value, total, rows)`` (after the gradient,
  before the update; returning True stops the epoch: the batch is not
  applied) and ``on_batch_end(run)`` (after the update), then
  ``on_epoch_end(run, record)``, where ``record`` is the epoch's entry of
  ``history_`` (handlers add their keys to it); returning True asks the
  driver to stop after this epoch;
- ``on_fit_end(run)`` once, also when training stopped early.

Handlers read and write ``run.state`` (the plain training state) and never
the estimator; the ones that need the estimator (user callbacks, scoring)
are given what they need when they are made.
"""

from dataclasses import dataclass, field

import numpy as np

from ..schedules import learning_rate, learning_rate_at
from .batches import batch_size_for, rows_trained


class Handler:
    """A listener of the training events; every hook does nothing by default."""

    def on_fit_begin(self, run):
        """Training starts."""

    def on_epoch_begin(self, run, epoch, lr):
        """Epoch ``epoch`` (0-based over every call) starts at learning rate ``lr``."""

    def on_batch_loss(self, run, batch, value, total, rows):
        """The loss ``value`` of mini-batch ``batch`` is known; True rejects it and stops.

        ``total`` is the row-weighted sum of the epoch's batch losses so far,
        over ``rows`` rows.
        """
        return False

    def on_batch_end(self, run):
        """The update of a mini-batch has been applied to ``run.network.theta``."""

    def on_epoch_end(self, run, record):
        """An epoch finished; return True to stop training."""
        return False

    def on_fit_end(self, run):
        """Training ended (normally, by a stop request or by divergence)."""


def _overrides(handler, hook):
    return getattr(type(handler), hook) is not getattr(Handler, hook)


@dataclass
class Config:
    """The run's settings that are not components (plain values)."""

    max_iter: int = 200
    batch_size: object = "auto"
    shuffle: bool = True
    clip_norm: float = None
    drop_last: bool = False
    warmup_epochs: int = 0
    schedule_interval: str = "epoch"
    tol: float = 1e-4
    n_iter_no_change: float = 10
    incremental: bool = False
    verbose: bool = False


@dataclass
class Run:
    """Everything one call to ``fit`` or ``partial_fit`` trains with.

    Parameters
    ----------
    network : Network
    objective : Objective
        The training objective over ``network.theta``.
    train : tuple (X, Y, sample_weight)
        Training rows: X of shape (n_samples, n_features) (ndarray or sparse),
        encoded targets Y of shape (n_samples, n_outputs), weights of shape
        (n_samples,) or None.
    solver, schedule, averaging : components
        ``averaging`` is None without parameter averaging.
    lr0 : float
        The initial learning rate.
    state : dict
        The training state (``sknn.training.state``).
    rng : numpy.random.RandomState
    config : Config
    handlers : list of Handler
    member_batches : MemberBatches or None
        Each member's own mini-batches (``sknn.training.member_batches``),
        which the mini-batch driver then steps through instead of ``train``'s.
    """

    network: object
    objective: object
    train: tuple
    solver: object
    schedule: object
    averaging: object
    lr0: float
    state: dict
    rng: np.random.RandomState
    config: Config
    handlers: list = field(default_factory=list)
    member_batches: object = None
    n_iter: int = 0
    diverged: bool = False

    @property
    def epoch_rows(self):
        """The rows of an epoch (of the longest member's own rows, with member batches)."""
        if self.member_batches is not None:
            return self.member_batches.n_rows
        return self.train[0].shape[0]

    @property
    def rows_per_epoch(self):
        """The rows an epoch trains on: ``epoch_rows``, less the incomplete last
        batch's with ``config.drop_last``."""
        n_rows, config = self.epoch_rows, self.config
        if not config.drop_last:
            return n_rows
        return rows_trained(n_rows, batch_size_for(config.batch_size, n_rows, warn=False), True)

    def emit(self, hook, *args):
        """Call ``hook`` on every handler that has it; True if one asked to stop."""
        stop = False
        for handler in self.handlers:
            if _overrides(handler, hook):
                stop = bool(getattr(handler, hook)(self, *args)) or stop
        return stop

    def batch_handlers(self):
        """The handlers listening to ``on_batch_loss`` and to ``on_batch_end``."""
        return (
            [h for h in self.handlers if _overrides(h, "on_batch_loss")],
            [h for h in self.handlers if _overrides(h, "on_batch_end")],
        )

    @property
    def per_step(self):
        """Whether the schedules are set at every step (``schedule_interval='step'``)."""
        return self.config.schedule_interval == "step"

    def learning_rate(self, epoch):
        """The rate of epoch ``epoch``: the schedule's, with the linear warm-up.

        Per step, the rate of the epoch's first step.
        """
        if self.per_step:
            return learning_rate_at(
                self.schedule, self.lr0, float(epoch), self.state["t"],
                self.state["schedule_state"], self.config.warmup_epochs,
            )
        return learning_rate(
            self.schedule, self.lr0, epoch, self.state["t"], self.state["schedule_state"],
            self.config.warmup_epochs,
        )
