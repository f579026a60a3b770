"""Divergence detection and the end-of-run check of the parameters."""

import warnings

import numpy as np

from .data import take_rows
from .errors import LIKELY_CAUSE, NON_FINITE_MESSAGE, DivergenceError, DivergenceWarning
from .events import Handler
from .state import Checkpoint


class DivergenceHandler(Handler):
    """Stops a diverging run within the mini-batch where it shows.

    A run diverges when a mini-batch loss is not finite, or when the mean loss
    of the epoch so far (once it covers ``MIN_ROWS`` rows, or the whole epoch)
    exceeds ``threshold`` times max(reference, 1). The reference is the
    objective at the start of training, the state's ``initial_loss``
    (measured once by the function ``initial_loss`` below and kept across
    ``partial_fit`` and ``warm_start`` calls); there is none when it is not
    finite. The floor of 1 keeps losses that start near zero from raising
    false alarms.

    A diverged epoch is rolled back to the parameters of its start, with a
    fresh optimizer state (``Checkpoint``); then the handler raises
    ``DivergenceError`` (``on_divergence='raise'``) or warns with
    ``DivergenceWarning`` and stops (``'warn'``).

    Parameters
    ----------
    threshold : float > 1 or None
        None checks for non-finite losses only.
    on_divergence : {'raise', 'warn'}
    """

    MIN_ROWS = 100

    def __init__(self, threshold, on_divergence):
        self.threshold = threshold
        self.on_divergence = on_divergence
        self.checkpoint = Checkpoint()

    def on_epoch_begin(self, run, epoch, lr):
        self.epoch, self.lr = epoch, lr
        self.checkpoint.save(run.network, run.state)

    def on_batch_loss(self, run, batch, value, total, rows):
        state = run.state
        reference = state["initial_loss"]
        if reference is not None and not np.isfinite(reference):
            reference = None
        problem = self._problem(value, total, rows, reference, run)
        if problem is None:
            return False
        self.checkpoint.restore(run.network, state, run.solver)
        self._report(run, problem, batch)
        return True

    def _problem(self, value, total, rows, reference, run):
        if not np.isfinite(value):
            return "the training loss became non-finite"
        min_rows = min(run.rows_per_epoch, self.MIN_ROWS)
        if self.threshold is None or reference is None or rows < min_rows:
            return None
        mean = total / rows
        if mean > self.threshold * max(reference, 1.0):
            return (
                f"the mean training loss of the epoch so far, {mean:.4g}, exceeded "
                f"divergence_threshold={self.threshold:g} times the initial loss "
                f"{reference:.4g}"
            )
        return None

    def _report(self, run, problem, batch):
        prefix = NON_FINITE_MESSAGE + " " if problem.endswith("non-finite") else ""
        message = (
            f"{prefix}Training diverged in epoch {self.epoch + 1}, mini-batch {batch + 1}: "
            f"{problem} with learning rate {self.lr:g}; {LIKELY_CAUSE}. The parameters "
            "were restored to their values at the start of the epoch."
        )
        if self.on_divergence == "raise":
            raise DivergenceError(message)
        warnings.warn(message, DivergenceWarning)
        run.diverged = True

    def on_fit_end(self, run):
        # every loss was checked, but the last update may still have overflowed
        if self.checkpoint.saved and not np.isfinite(run.network.theta).all():
            self.checkpoint.restore(run.network, run.state, run.solver)
            raise ValueError(NON_FINITE_MESSAGE)


#: rows the initial loss is measured on, at most (evenly spaced)
REFERENCE_ROWS = 1000


def initial_loss(objective, data):
    """The objective before any update, on up to ``REFERENCE_ROWS`` evenly spaced rows.

    One forward pass over at most 1000 rows, in inference mode: the
    ``initial_loss_`` of the estimator and the reference of divergence
    detection.

    Parameters
    ----------
    objective : Objective
    data : tuple (X, Y, sample_weight)

    Returns
    -------
    float (inf or nan when the start already overflows)
    """
    X, Y, sample_weight = data
    n = X.shape[0]
    idx = np.arange(0, n, -(-n // REFERENCE_ROWS))
    with np.errstate(over="ignore", invalid="ignore"):
        return objective.value(take_rows(X, idx), Y[idx], take_rows(sample_weight, idx))
