"""User callbacks and scikit-learn's callback API as handlers."""

import numpy as np

from .events import Handler


def is_stop_request(value):
    """A callback asks to stop only by returning True (a Python or NumPy bool)."""
    return isinstance(value, (bool, np.bool_)) and bool(value)


class UserCallbacks(Handler):
    """Calls each ``callback(estimator, record)`` after every epoch.

    A callback returning True stops training after that epoch; any other
    return value (None, numbers, strings) does not.

    Parameters
    ----------
    estimator : BaseMLP
        Passed to the callbacks, its fitted attributes up to date.
    callbacks : sequence of callable
    publish : callable
        ``publish()`` brings the estimator's fitted attributes up to date.
    verbose : bool
    """

    def __init__(self, estimator, callbacks, publish, verbose=False):
        self.estimator, self.callbacks = estimator, tuple(callbacks)
        self.publish, self.verbose = publish, verbose

    def on_epoch_end(self, run, record):
        self.publish()
        stop = False
        for callback in self.callbacks:
            stop = is_stop_request(callback(self.estimator, record)) or stop
        if stop and self.verbose:
            print("Training stopped by a callback.")
        return stop


class SklearnCallbacks(Handler):
    """One task of scikit-learn's callback API per epoch (iteration, generation).

    Opens a subcontext of the estimator's fit context at the start of every
    epoch and ends it after the epoch, with an estimator ready to predict as
    it stood then (``fitted_estimator`` for ``ScoringMonitor``); a callback
    asking to stop there stops training.

    Parameters
    ----------
    context : sklearn.callback.CallbackContext
        The estimator's root context of this call to fit.
    estimator : BaseMLP
    X, y : the training data as the estimator received it (validated)
    metadata : dict or None
        ``{"sample_weight": ...}`` when weights were given.
    task_name : str
        "epoch", "iteration" (L-BFGS) or "generation" (genetic).
    snapshot : callable
        ``snapshot()`` -> dict of fitted attributes that make a copy of the
        estimator predict with the current parameters.
    """

    def __init__(self, context, estimator, X, y, metadata, task_name, snapshot):
        self.context, self.estimator = context, estimator
        self.X, self.y, self.metadata = X, y, metadata
        self.task_name, self.snapshot = task_name, snapshot
        self.current = None

    def on_epoch_begin(self, run, epoch, lr):
        self.current = self.context.subcontext(task_name=self.task_name)
        self.current.call_on_fit_task_begin(
            estimator=self.estimator, X=self.X, y=self.y, metadata=self.metadata
        )

    def on_epoch_end(self, run, record):
        current, self.current = self.current, None
        if current is None:
            return False
        return bool(current.call_on_fit_task_end(
            estimator=self.estimator, X=self.X, y=self.y, metadata=self.metadata,
            reconstruction_attributes=self.snapshot,
        ))

    def on_fit_end(self, run):
        if self.current is not None:  # begun but never run (the end of L-BFGS)
            self.current.call_on_fit_task_end(estimator=self.estimator)
            self.current = None
