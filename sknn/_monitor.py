"""What happens between epochs, shared by the epoch-based training drivers.

``TrainingMonitor`` holds out the validation split, and at the end of every
epoch records the losses, validates, applies the stopping rule and the
schedule's hooks, appends the epoch's record to ``history_`` and runs the
user's callbacks. The attributes it maintains follow scikit-learn's MLP
(``loss_curve_``, ``validation_scores_``, ``best_loss_``, ...).
"""

import time

import numpy as np
from sklearn.metrics import check_scoring
from sklearn.utils import _safe_indexing

from ._validation_split import split_indices
from .schedules import learning_rate


def take_rows(a, idx):
    """Rows ``idx`` of an array or sparse matrix (None stays None)."""
    if a is None:
        return None
    if isinstance(a, np.ndarray):  # _safe_indexing's dispatch costs ~45 us a call
        return a.take(idx, axis=0)
    return _safe_indexing(a, idx)


def validation_split(est, X, Y, sample_weight, y_score, rng):
    """Hold out ``validation_fraction`` of the rows for early stopping.

    The rows are scikit-learn's (see ``sknn._validation_split``).

    Returns
    -------
    train : tuple (X, Y, sample_weight)
    val : tuple (X, Y, y_score, sample_weight)
    """
    idx_train, idx_val = split_indices(est, y_score, X.shape[0], rng)
    train = (take_rows(X, idx_train), Y[idx_train], take_rows(sample_weight, idx_train))
    val = (
        take_rows(X, idx_val), Y[idx_val], take_rows(y_score, idx_val),
        take_rows(sample_weight, idx_val),
    )
    return train, val


def run_callbacks(est, record):
    """Call every callback with (est, record); True if one of them asks to stop."""
    callbacks = est.callbacks
    if callbacks is None:
        return False
    if callable(callbacks):
        callbacks = (callbacks,)
    stop = False
    for callback in callbacks:
        stop = bool(callback(est, record)) or stop
    if stop and est.verbose:
        print("Training stopped by a callback.")
    return stop


class TrainingMonitor:
    """Validation, stopping rules, schedule hooks, history and callbacks.

    Parameters
    ----------
    est : BaseMLP
    objective : Objective
        The training objective (its loss also gives the validation loss).
    data : tuple (X, Y, sample_weight)
        The training data; with ``early_stopping`` a validation share is held
        out and ``self.train`` is the rest.
    y_score : ndarray
        Targets as ``est.score`` takes them.
    rng : numpy.random.RandomState
    incremental : bool
        ``partial_fit`` (refuses early stopping, as scikit-learn does).
    schedule : Schedule
    schedule_state : dict
    """

    def __init__(self, est, objective, data, y_score, rng, incremental, schedule, schedule_state):
        self.est = est
        self.schedule, self.schedule_state = schedule, schedule_state
        self.validation = bool(est.early_stopping)
        if self.validation and incremental:
            raise ValueError("partial_fit does not support early_stopping=True")
        self.train = data
        if self.validation:
            if est.validation_scores_ is None:  # warm start after a fit without it
                est.validation_scores_, est.validation_loss_curve_ = [], []
                est.best_validation_score_ = -np.inf
            if est._best_theta is None:  # first fit, or early stopping switched on
                est._best_theta = est.theta_.copy()
                est._best_buffers = est.buffers_.copy()
            self.train, self.val = validation_split(est, *data, y_score, rng)
            inference = est._network(est._inference_theta())
            self.val_objective = est._objective(inference, objective.loss)
        else:
            est._best_theta = est._best_buffers = None  # no copies without early stopping
            if est.best_loss_ is None:  # warm start after a fit with early stopping
                est.best_loss_ = np.inf
        self._epoch_start = time.perf_counter()

    def start_epoch(self):
        self._epoch_start = time.perf_counter()

    def end_epoch(self, loss, lr, **extra):
        """Record a finished epoch; return True when training should stop.

        Parameters
        ----------
        loss : float
            Mean training objective over the epoch.
        lr : float
            Learning rate used in the epoch.
        **extra
            More keys for the epoch's ``history_`` record.
        """
        est = self.est
        est.n_iter_ += 1
        est.loss_ = loss
        est.loss_curve_.append(loss)
        if est.verbose:
            print("Iteration %d, loss = %.8f" % (est.n_iter_, loss))
        epoch = len(est.loss_curve_) - 1
        record = {"epoch": epoch, "loss": loss, "learning_rate": lr, **extra}
        if self.validation:
            self._validate(record)
        else:
            self._track_training_loss()
        self.schedule.on_epoch_end(est._no_improvement_count == 0, self.schedule_state)
        record["time"] = time.perf_counter() - self._epoch_start
        est.history_.append(record)
        stop = run_callbacks(est, record)
        return self._plateau(lr, epoch) or stop

    def finish(self):
        """Restore the best parameters found with early stopping."""
        est = self.est
        if not self.validation:
            return
        est.theta_[...] = est._best_theta
        est.buffers_[...] = est._best_buffers
        best_average = getattr(est, "_best_average", None)
        if est.theta_average_ is not None and best_average is not None:
            est.theta_average_[...] = best_average

    def _validation_score(self, val_loss, X_val, y_val, sw_val):
        est = self.est
        if est.scoring == "loss":
            return -val_loss
        if est.scoring is None:
            return est._score(X_val, y_val, sample_weight=sw_val)
        scorer = check_scoring(est, scoring=est.scoring)
        kwargs = {} if sw_val is None else {"sample_weight": sw_val}
        return float(scorer(est, X_val, y_val, **kwargs))

    def _validate(self, record):
        """Score the held-out rows, track the best parameters and the patience count."""
        est = self.est
        X_val, Y_val, y_val, sw_val = self.val
        val_loss = self.val_objective.value(X_val, Y_val, sw_val)
        score = self._validation_score(val_loss, X_val, y_val, sw_val)
        est.validation_loss_curve_.append(val_loss)
        est.validation_scores_.append(score)
        record["val_loss"], record["val_score"] = val_loss, score
        if est.verbose:
            print("Validation score: %f" % score)
        # sklearn's rule; a NaN score counts as no worse (sklearn issue #29504)
        if score < est.best_validation_score_ + est.tol:
            est._no_improvement_count += 1
        else:
            est._no_improvement_count = 0
        if score > est.best_validation_score_:
            est.best_validation_score_ = score
            est._best_theta = est.theta_.copy()
            est._best_buffers = est.buffers_.copy()
            if est.theta_average_ is not None:
                est._best_average = est.theta_average_.copy()

    def _track_training_loss(self):
        """Track the best training loss and the patience count."""
        est = self.est
        if est.loss_curve_[-1] > est.best_loss_ - est.tol:
            est._no_improvement_count += 1
        else:
            est._no_improvement_count = 0
        est.best_loss_ = min(est.best_loss_, est.loss_curve_[-1])

    def _plateau(self, lr, epoch):
        """The n_iter_no_change rule: stop, or let the schedule lower the rate."""
        est = self.est
        if est._no_improvement_count <= est.n_iter_no_change:
            return False
        stop = self.schedule.on_plateau(lr, self.schedule_state)
        if est.verbose:
            what = "Validation score" if self.validation else "Training loss"
            msg = "%s did not improve more than tol=%f for %d consecutive epochs." % (
                what, est.tol, est.n_iter_no_change
            )
            new_lr = learning_rate(
                self.schedule, est.learning_rate_init, epoch + 1, est.t_,
                self.schedule_state, est.warmup_epochs,
            )
            print(msg + (" Stopping." if stop else f" Setting learning rate to {new_lr:f}"))
        if not stop:
            est._no_improvement_count = 0
        return stop
