"""Handlers that add measurements to each epoch's record in ``history_``."""

import numpy as np

from .events import Handler


class UpdateRatios(Handler):
    """Per dense layer, the norm of the epoch's weight change over the norm of the weights.

    ``record["update_ratios"]`` is a list with one float per dense layer, in
    order (the notes' babysitting rule: about 1e-3 is healthy; much lower,
    the learning rate is too low; much higher, too high).

    Parameters
    ----------
    slices : list of slice
        Where each dense layer's weight matrix lies in theta.
    checkpoint : Checkpoint, optional
        A checkpoint saved at the start of every epoch (the divergence
        handler's), whose copy of theta is read instead of keeping another.
    """

    def __init__(self, slices, checkpoint=None):
        self.slices, self.checkpoint, self.start = slices, checkpoint, None

    def on_epoch_begin(self, run, epoch, lr):
        if self.checkpoint is not None:  # its copy of the epoch's start serves
            return
        theta = run.network.theta
        if self.start is None or self.start.shape != theta.shape:
            self.start = theta.copy()
        else:
            self.start[...] = theta

    def on_epoch_end(self, run, record):
        theta, ratios = run.network.theta, []
        start = self.start if self.checkpoint is None else self.checkpoint.theta
        for part in self.slices:
            weights = theta[part]
            norm = float(np.linalg.norm(weights))
            change = float(np.linalg.norm(weights - start[part]))
            ratios.append(change / norm if norm > 0 else float("inf") if change else 0.0)
        record["update_ratios"] = ratios
        return False


class ValidationRecorder(Handler):
    """The loss and score of a validation set in every record, without stopping.

    Used when ``fit`` receives ``X_val`` without ``early_stopping`` (which
    records the same keys itself).

    Parameters
    ----------
    val : tuple (X, Y, y_score, sample_weight)
    val_objective : Objective
    score : callable
        ``score(val_loss, X, y, sample_weight) -> float``.
    """

    def __init__(self, val, val_objective, score):
        self.val, self.val_objective, self.score = val, val_objective, score

    def on_epoch_end(self, run, record):
        X_val, Y_val, y_val, sw_val = self.val
        record["val_loss"] = val_loss = self.val_objective.value(X_val, Y_val, sw_val)
        record["val_score"] = self.score(val_loss, X_val, y_val, sw_val)
        return False


class TrainingScore(Handler):
    """The score on the training data in every record (``score_training=True``).

    Parameters
    ----------
    data : tuple (X, y_score, sample_weight)
    score : callable
        ``score(loss, X, y, sample_weight) -> float``; given the epoch's
        training loss, for ``scoring='loss'``.
    """

    def __init__(self, data, score):
        self.data, self.score = data, score

    def on_epoch_end(self, run, record):
        X, y, sample_weight = self.data
        record["train_score"] = self.score(record["loss"], X, y, sample_weight)
        return False
