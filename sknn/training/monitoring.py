"""Handlers of the epoch's end: history, loss tracking, early stopping, the plateau rule.

Their attributes follow scikit-learn's MLP (``loss_curve_``,
``validation_scores_``, ``best_loss_``, ``_no_improvement_count``); they live
in the training state and the estimator publishes them.
"""

from .events import Handler


class History(Handler):
    """Appends the epoch's loss to ``loss_curve`` and its record to ``history``.

    The record is the same dict the later handlers add their keys to.
    """

    def on_epoch_end(self, run, record):
        run.n_iter += 1
        run.state["loss_curve"].append(record["loss"])
        run.state["history"].append(record)
        return False


class TrainingLossTracker(Handler):
    """Without early stopping: the best training loss and the patience count."""

    def __init__(self, tol):
        self.tol = tol

    def on_epoch_end(self, run, record):
        state, loss = run.state, record["loss"]
        if loss > state["best_loss"] - self.tol:
            state["no_improvement_count"] += 1
        else:
            state["no_improvement_count"] = 0
        state["best_loss"] = min(state["best_loss"], loss)
        return False


class EarlyStopping(Handler):
    """Scores the held-out rows every epoch and keeps the best parameters.

    Parameters
    ----------
    val : tuple (X, Y, y_score, sample_weight)
        The held-out rows: encoded targets ``Y`` for the loss, ``y_score`` for
        the score.
    val_objective : Objective
        The objective over the parameters predictions use (the average, with
        averaging), in inference mode.
    score : callable
        ``score(val_loss, X, y, sample_weight) -> float``, higher is better.
    tol : float
    ties : {'first', 'last'}, default='first'
        Which of the epochs tied for the best score is kept.
    verbose : bool
    """

    def __init__(self, val, val_objective, score, tol, ties="first", verbose=False):
        self.val, self.val_objective, self.score = val, val_objective, score
        self.tol, self.ties, self.verbose = tol, ties, verbose

    def _improves(self, score, best):
        """Whether ``score`` replaces the kept ``best`` (elementwise for arrays)."""
        return score >= best if self.ties == "last" else score > best

    def _keep_best(self, run):
        state = run.state
        state["best_theta"] = run.network.theta.copy()
        state["best_buffers"] = run.network.buffers.copy()
        average = state["average"]
        state["best_average"] = None if average is None else average.copy()

    def on_fit_begin(self, run):
        if run.state["best_theta"] is None:  # first fit, or early stopping switched on
            self._keep_best(run)

    def on_epoch_end(self, run, record):
        state = run.state
        X_val, Y_val, y_val, sw_val = self.val
        val_loss = self.val_objective.value(X_val, Y_val, sw_val)
        score = self.score(val_loss, X_val, y_val, sw_val)
        state["validation_loss_curve"].append(val_loss)
        state["validation_scores"].append(score)
        record["val_loss"], record["val_score"] = val_loss, score
        # sklearn's rule; a NaN score counts as no worse (sklearn issue #29504)
        if score < state["best_validation_score"] + self.tol:
            state["no_improvement_count"] += 1
        else:
            state["no_improvement_count"] = 0
        if self._improves(score, state["best_validation_score"]):
            state["best_validation_score"] = score
            self._keep_best(run)
        return False

    def on_fit_end(self, run):
        state = run.state
        run.network.theta[...] = state["best_theta"]
        run.network.buffers[...] = state["best_buffers"]
        if state["average"] is not None and state["best_average"] is not None:
            state["average"][...] = state["best_average"]


class PlateauRule(Handler):
    """The schedule's hooks and scikit-learn's ``n_iter_no_change`` rule.

    After every epoch the schedule hears whether the monitored metric
    improved; after more than ``n_iter_no_change`` epochs without improvement
    the schedule either stops training (the default) or lowers its rate and
    training goes on.
    """

    def __init__(self, tol, n_iter_no_change, validation, verbose=False):
        self.tol, self.n_iter_no_change = tol, n_iter_no_change
        self.validation, self.verbose = validation, verbose

    def on_epoch_end(self, run, record):
        state, schedule = run.state, run.schedule
        schedule.on_epoch_end(state["no_improvement_count"] == 0, state["schedule_state"])
        if state["no_improvement_count"] <= self.n_iter_no_change:
            return False
        lr = record.get("learning_rate")
        stop = schedule.on_plateau(lr, state["schedule_state"])
        if self.verbose:
            what = "Validation score" if self.validation else "Training loss"
            msg = "%s did not improve more than tol=%f for %d consecutive epochs." % (
                what, self.tol, self.n_iter_no_change
            )
            new_lr = run.learning_rate(record["epoch"] + 1)
            print(msg + (" Stopping." if stop else f" Setting learning rate to {new_lr:f}"))
        if not stop:
            state["no_improvement_count"] = 0
        return stop


class Verbose(Handler):
    """One readable line per epoch: scikit-learn's start, then what was measured.

    ``Iteration 3, loss = 0.12345678, val_loss = 0.2, val_score = 0.95,
    train_score = 0.97, lr = 0.001, 0.05 s``; the keys absent from the
    record are left out.
    """

    KEYS = ("val_loss", "val_score", "train_score")

    def on_epoch_end(self, run, record):
        parts = ["Iteration %d, loss = %.8f" % (run.n_iter, record["loss"])]
        parts += [f"{key} = {record[key]:.6g}" for key in self.KEYS if key in record]
        if record.get("learning_rate") is not None:
            parts.append(f"lr = {record['learning_rate']:.3g}")
        parts.append(f"{record['time']:.2f} s")
        print(", ".join(parts))
        return False
