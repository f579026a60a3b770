"""Dropout rates and weight decay that follow a schedule over the epochs or the steps."""

from ..layers import Dropout
from ..schedules import multiplier, multiplier_at
from .events import Handler
from .stochastic import step_positions


class ScheduledHyperparameters(Handler):
    """Sets the dropout rates and the solver's weight decay at every epoch or step.

    At the start of epoch e, every ``Dropout`` layer of the training network
    gets ``rate = base_rate * dropout_schedule(e)`` and the solver (the run's
    private copy) ``weight_decay = base * weight_decay_schedule(e)``, where
    the schedule's value is taken as a multiplier of 1 (``schedules.multiplier``:
    RealMLP-TD's ``flat_cos`` for both). The base values are the ones the
    run starts with.

    With ``schedule_interval='step'`` (``run.per_step``) the values are set
    before every mini-batch step instead, at the fractional epoch of the
    step (``schedules.multiplier_at``): the epoch's values are computed when
    it begins, the first batch's set then and each next one after the
    previous update (``on_batch_end``), so a batch costs one list lookup per
    value.

    Parameters
    ----------
    dropout_schedule, weight_decay_schedule : Schedule or None
        Already set up for the run (``for_run(max_iter)``).
    """

    def __init__(self, dropout_schedule=None, weight_decay_schedule=None):
        self.dropout_schedule = dropout_schedule
        self.weight_decay_schedule = weight_decay_schedule

    def on_fit_begin(self, run):
        self.dropouts = [(layer, layer.rate) for layer in run.network.layers
                         if isinstance(layer, Dropout)]
        if self.weight_decay_schedule is not None:
            if not hasattr(run.solver, "weight_decay"):
                raise ValueError(
                    f"weight_decay_schedule needs a solver with a weight_decay "
                    f"(AdamW, Lion); {type(run.solver).__name__} has none."
                )
            self.weight_decay = float(run.solver.weight_decay)
        self.steps = None

    def on_epoch_begin(self, run, epoch, lr):
        if run.per_step:
            positions = step_positions(run, epoch)[0]
            self.steps = [self._factors(multiplier_at, position) for position in positions]
            self.batch = 0
            self._set(run, *self.steps[0])
        else:
            self._set(run, *self._factors(multiplier, epoch))

    def on_batch_end(self, run):
        if self.steps is None:
            return
        self.batch += 1
        if self.batch < len(self.steps):
            self._set(run, *self.steps[self.batch])

    def _factors(self, value, when):
        """(dropout factor, weight decay factor) at epoch or position ``when``."""
        return (None if self.dropout_schedule is None else value(self.dropout_schedule, when),
                None if self.weight_decay_schedule is None
                else value(self.weight_decay_schedule, when))

    def _set(self, run, dropout, weight_decay):
        if dropout is not None:
            for layer, rate in self.dropouts:
                layer.rate = rate * dropout
        if weight_decay is not None:
            run.solver.weight_decay = self.weight_decay * weight_decay

    def on_fit_end(self, run):
        for layer, rate in self.dropouts:
            layer.rate = rate
