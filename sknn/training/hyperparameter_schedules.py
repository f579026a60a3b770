"""Dropout rates and weight decay that follow a schedule over the epochs."""

from ..layers import Dropout
from ..schedules import multiplier
from .events import Handler


class ScheduledHyperparameters(Handler):
    """Sets the dropout rates and the solver's weight decay at every epoch.

    At the start of epoch e, every ``Dropout`` layer of the training network
    gets ``rate = base_rate * dropout_schedule(e)`` and the solver (the run's
    private copy) ``weight_decay = base * weight_decay_schedule(e)``, where
    the schedule's value is taken as a multiplier of 1 (``schedules.multiplier``:
    RealMLP-TD's ``flat_cos`` for both). The base values are the ones the
    run starts with.

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

    def on_epoch_begin(self, run, epoch, lr):
        if self.dropout_schedule is not None:
            factor = multiplier(self.dropout_schedule, epoch)
            for layer, rate in self.dropouts:
                layer.rate = rate * factor
        if self.weight_decay_schedule is not None:
            run.solver.weight_decay = self.weight_decay * multiplier(
                self.weight_decay_schedule, epoch
            )

    def on_fit_end(self, run):
        for layer, rate in self.dropouts:
            layer.rate = rate
