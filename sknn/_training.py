"""Training drivers: the mini-batch loop and the full-batch L-BFGS run.

Both work on an ``Objective`` over the network's flat parameter vector and
record their progress on the estimator (``loss_curve_``, ``history_``,
``n_iter_``, ...), following scikit-learn's MLP semantics for every
attribute they share. The genetic solver's driver is in ``_genetic.py``.

Training state (optimizer moments, schedule state, parameter average) lives
on the estimator as plain arrays and numbers, so it survives ``partial_fit``,
``warm_start`` and pickling.
"""

import math
import time
import warnings

import numpy as np
import scipy.optimize
from sklearn.exceptions import ConvergenceWarning

from ._lbfgs_recovery import LastIterate
from ._monitor import TrainingMonitor, run_callbacks, take_rows
from .optimizers import FULL_BATCH_SOLVERS, OPTIMIZERS, averaging_weight, update_average
from .schedules import SCHEDULES, learning_rate

NON_FINITE_MESSAGE = (
    "Solver produced non-finite parameter weights. The input data may contain "
    "large values and need to be preprocessed."
)
LIKELY_CAUSE = (
    "the learning rate is probably too high (lower learning_rate_init) or the "
    "inputs are not scaled (put a StandardScaler before the network)"
)


class DivergenceError(ValueError):
    """Training produced a non-finite or exploding loss (``on_divergence='raise'``)."""


class DivergenceWarning(UserWarning):
    """Training diverged and was stopped (``on_divergence='warn'``)."""


def batch_size_for(est, n_samples):
    """The mini-batch size, as scikit-learn resolves ``batch_size``."""
    if est.batch_size == "auto":
        return min(200, n_samples)
    if est.batch_size > n_samples:
        warnings.warn(
            "Got `batch_size` less than 1 or larger than sample size. It is going to "
            "be clipped"
        )
    return int(np.clip(est.batch_size, 1, n_samples))


def solver_state(est, solver, theta, *args):
    """The solver's state on ``est``, created anew when the solver changed."""
    if getattr(est, "_optimizer_solver", None) != est.solver:
        est._optimizer_state = solver.init_state(theta, *args)
        est._optimizer_solver = est.solver
    return est._optimizer_state


class EpochLoop:
    """The epoch loop of the stochastic and genetic drivers.

    Sets up the persistent schedule state, the parameter average and the
    ``TrainingMonitor`` (whose ``train`` attribute is the data to train on,
    the validation share held out); ``run(epoch_step)`` then calls
    ``epoch_step(epoch, lr) -> (loss, extra) or None`` once per epoch, ``extra``
    holding more keys for ``history_`` and None stopping training at once.
    """

    def __init__(self, est, objective, data, y_score, rng, incremental):
        self.est, self.incremental = est, incremental
        self.schedule = SCHEDULES.build(est.learning_rate, **est.get_params())
        if getattr(est, "_schedule_name", None) != est.learning_rate:
            est._schedule_state = self.schedule.init_state()
            est._schedule_name = est.learning_rate
        setup_averaging(est, objective.network.theta)
        self.monitor = TrainingMonitor(
            est, objective, data, y_score, rng, incremental, self.schedule,
            est._schedule_state,
        )
        self.train = self.monitor.train

    def run(self, epoch_step):
        est, monitor = self.est, self.monitor
        est.n_iter_ = 0
        try:
            for _ in range(est.max_iter):
                epoch = len(est.loss_curve_)
                lr = learning_rate(
                    self.schedule, est.learning_rate_init, epoch, est.t_,
                    est._schedule_state, est.warmup_epochs,
                )
                monitor.start_epoch()
                outcome = epoch_step(epoch, lr)
                if outcome is None:
                    break
                est.t_ += self.train[0].shape[0]
                if monitor.end_epoch(outcome[0], lr, **outcome[1]) or self.incremental:
                    break
                if est.n_iter_ == est.max_iter:
                    warnings.warn(
                        "Stochastic Optimizer: Maximum iterations (%d) reached and the "
                        "optimization hasn't converged yet." % est.max_iter,
                        ConvergenceWarning,
                    )
        except KeyboardInterrupt:
            warnings.warn("Training interrupted by user.")
        monitor.finish()


def setup_averaging(est, theta):
    """The running parameter average ``theta_average_`` (None without averaging)."""
    if est.averaging is None or est.solver in FULL_BATCH_SOLVERS:
        est.theta_average_ = None
        est._averaging = None
    elif est._averaging != est.averaging or est.theta_average_ is None:
        est.theta_average_ = theta.copy()
        est._average_count = 0
        est._averaging = est.averaging
    return est.theta_average_


def clip_gradient(grad, clip_norm):
    """Rescale ``grad`` in place so that its Euclidean norm is at most ``clip_norm``."""
    norm = math.sqrt(float(np.dot(grad, grad)))
    if norm > clip_norm:
        grad *= clip_norm / norm


class DivergenceGuard:
    """Detects a diverging run within the mini-batch where it shows.

    A run diverges when a mini-batch loss is not finite, or when the mean loss
    of the epoch so far (once it covers ``MIN_ROWS`` rows, or the whole epoch)
    exceeds ``divergence_threshold`` times max(reference, 1). The reference is
    the objective at the start of training, measured once on up to
    ``REFERENCE_ROWS`` evenly spaced rows and kept on the estimator
    (``_loss_reference``) across ``partial_fit`` and ``warm_start`` calls. The
    floor of 1 keeps losses that start near zero from raising false alarms.
    """

    MIN_ROWS = 100
    REFERENCE_ROWS = 1000

    def __init__(self, est, objective, n_samples):
        self.est, self.objective = est, objective
        self.threshold = est.divergence_threshold
        self.min_rows = min(n_samples, self.MIN_ROWS)

    def start(self, data, order=None):
        """Measure the reference loss if there is none yet.

        ``data`` is ``(X, Y, sample_weight)``; the reference rows are evenly
        spaced in ``order`` (a permutation of the rows; None: their order in X).
        """
        if self.threshold is None or self.est._loss_reference is not None:
            return
        X, Y, sample_weight = data
        n = X.shape[0]
        idx = np.arange(0, n, -(-n // self.REFERENCE_ROWS))
        if order is not None:
            idx = order[idx]
        with np.errstate(over="ignore", invalid="ignore"):
            reference = self.objective.value(
                take_rows(X, idx), Y[idx], take_rows(sample_weight, idx)
            )
        self.est._loss_reference = reference if np.isfinite(reference) else None

    def check(self, value, total, rows):
        """A description of the problem, or None while the run is healthy.

        ``value`` is the last batch's loss; ``total`` the row-weighted sum of
        the epoch's batch losses so far, over ``rows`` rows.
        """
        if not np.isfinite(value):
            return "the training loss became non-finite"
        reference = self.est._loss_reference
        if self.threshold is None or reference is None or rows < self.min_rows:
            return None
        mean = total / rows
        if mean > self.threshold * max(reference, 1.0):
            return (
                f"the mean training loss of the epoch so far, {mean:.4g}, exceeded "
                f"divergence_threshold={self.threshold:g} times the initial loss "
                f"{reference:.4g}"
            )
        return None


def _copy_into(saved, array):
    """``array`` copied into ``saved`` when that fits, else a new copy."""
    if saved is None or saved.shape != array.shape or saved.dtype != array.dtype:
        return array.copy()
    saved[...] = array
    return saved


class _Checkpoint:
    """Copies of the parameters and training state to restore after divergence.

    One set of copies per training run, refreshed in place by ``save`` at the
    start of every epoch.
    """

    def __init__(self):
        self.theta = self.buffers = self.average = None
        self.state = {}

    def save(self, est, network):
        self.theta = _copy_into(self.theta, network.theta)
        self.buffers = _copy_into(self.buffers, network.buffers)  # batch-norm statistics
        self.state = {
            k: _copy_into(self.state.get(k), v) if isinstance(v, np.ndarray) else v
            for k, v in est._optimizer_state.items()
        }
        average = est.theta_average_
        if average is None:
            self.average = None
        else:
            saved = None if self.average is None else self.average[0]
            self.average = (_copy_into(saved, average), est._average_count)

    def restore(self, est, network):
        network.theta[...] = self.theta
        network.buffers[...] = self.buffers
        est._optimizer_state.clear()
        est._optimizer_state.update(
            {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in self.state.items()}
        )
        if self.average is not None:
            est.theta_average_[...] = self.average[0]
            est._average_count = self.average[1]


def _diverged(est, problem, epoch, batch, lr):
    """Raise or warn about a diverged run, as ``on_divergence`` asks."""
    prefix = NON_FINITE_MESSAGE + " " if problem.endswith("non-finite") else ""
    message = (
        f"{prefix}Training diverged in epoch {epoch + 1}, mini-batch {batch + 1}: "
        f"{problem} with learning rate {lr:g}; {LIKELY_CAUSE}. The parameters were "
        "restored to their values at the start of the epoch."
    )
    if est.on_divergence == "raise":
        raise DivergenceError(message)
    warnings.warn(message, DivergenceWarning)
    est.diverged_ = True


def fit_stochastic(est, objective, X, Y, sample_weight, y_score, rng, incremental):
    """Mini-batch training of ``objective.network`` with the estimator's solver.

    Parameters
    ----------
    est : BaseMLP
        Supplies the hyperparameters; receives the fitted attributes.
    objective : Objective
    X : ndarray or sparse matrix of shape (n_samples, n_features)
    Y : ndarray of shape (n_samples, n_outputs)
        Encoded targets.
    sample_weight : ndarray of shape (n_samples,) or None
    y_score : ndarray of shape (n_samples,) or (n_samples, n_targets)
        Targets as ``est.score`` takes them (for the validation score).
    rng : numpy.random.RandomState
    incremental : bool
        One epoch only (``partial_fit``).
    """
    network = objective.network
    optimizer = OPTIMIZERS.build(est.solver, **est.get_params(), n_weights=network.n_weights)
    state = solver_state(est, optimizer, network.theta)
    loop = EpochLoop(est, objective, (X, Y, sample_weight), y_score, rng, incremental)
    data = loop.train
    guard = DivergenceGuard(est, objective, data[0].shape[0])
    checkpoint = _Checkpoint()
    # Shuffle the row indices, not the data: _epoch copies one mini-batch at a
    # time, so no shuffled copy of X exists. As in scikit-learn, each epoch
    # permutes the previous epoch's order (with the same draws), which keeps
    # the batches, and so loss_curve_, equal to scikit-learn's.
    order = np.arange(data[0].shape[0], dtype=int)

    def epoch_step(epoch, lr):
        nonlocal order
        if est.shuffle:
            order = order[rng.permutation(order.shape[0])]
        rows = order if est.shuffle else None
        guard.start(data, rows)
        checkpoint.save(est, network)
        loss = _epoch(
            est, objective, optimizer, state, guard, checkpoint, data, rows, rng, epoch, lr
        )
        return None if loss is None else (loss, {})  # None: diverged, 'warn'

    loop.run(epoch_step)
    # The guard checks every loss, but the last update of the run may still have
    # overflowed: go back to the start of the last epoch.
    if checkpoint.theta is not None and not np.isfinite(network.theta).all():
        checkpoint.restore(est, network)
        raise ValueError(NON_FINITE_MESSAGE)


def _epoch(est, objective, optimizer, state, guard, checkpoint, data, order, rng, epoch, lr):
    """One pass over ``data`` in mini-batches; the mean loss, or None if diverged.

    A diverged epoch is rolled back to ``checkpoint`` (saved at its start).

    ``order`` (the epoch's permutation of the rows, or None to keep them in
    place) is cut into the mini-batches; each batch's rows are copied out of
    ``data`` when it is processed.
    """
    X, Y, sample_weight = data
    theta, grad = objective.network.theta, objective.network.grad
    n_samples = X.shape[0]
    batch_size = batch_size_for(est, n_samples)
    average = est.theta_average_
    total = 0.0
    # overflow shows up as a non-finite loss, which the guard reports
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for batch, start in enumerate(range(0, n_samples, batch_size)):
            rows = slice(start, start + batch_size)
            if order is None:  # views, no copies (sparse X: a row slice)
                X_batch, Y_batch = X[rows], Y[rows]
                sw_batch = None if sample_weight is None else sample_weight[rows]
            else:
                rows = order[rows]
                X_batch, Y_batch = take_rows(X, rows), Y[rows]
                sw_batch = take_rows(sample_weight, rows)
            value = objective(X_batch, Y_batch, sw_batch, rng=rng)
            seen = min(start + batch_size, n_samples)
            total += value * (seen - start)
            problem = guard.check(value, total, seen)
            if problem is not None:
                checkpoint.restore(est, objective.network)
                _diverged(est, problem, epoch, batch, lr)
                return None
            if est.clip_norm is not None:
                clip_gradient(grad, est.clip_norm)
            optimizer.step(theta, grad, state, lr)
            objective.apply_constraints()  # max-norm after every update
            if average is not None:
                est._average_count += 1
                weight = averaging_weight(est.averaging, est._average_count, est.ema_decay)
                update_average(average, theta, weight)
    return total / n_samples


def fit_lbfgs(est, objective, X, Y, sample_weight):
    """Full-batch L-BFGS-B on the flat parameter vector through scipy.optimize.

    Honours ``max_iter``, ``max_fun`` and ``tol`` (as ``gtol``) like
    scikit-learn, records the objective after every iteration in
    ``loss_curve_`` and ``history_``, and runs the callbacks after every
    iteration (a callback returning True stops the run).
    """
    network = objective.network
    n_before = len(est.loss_curve_)
    clock = [time.perf_counter()]
    stopped = []

    last = LastIterate(est, network.theta)

    def record(intermediate_result):
        last.accept(intermediate_result.x)
        now = time.perf_counter()
        entry = {
            "epoch": len(est.loss_curve_),
            "loss": float(intermediate_result.fun),
            "time": now - clock[0],
        }
        clock[0] = now
        est.loss_curve_.append(entry["loss"])
        est.history_.append(entry)
        if run_callbacks(est, entry):
            stopped.append(True)
            raise StopIteration

    try:
        result = scipy.optimize.minimize(
            objective.flat,
            network.theta.astype(np.float64),
            args=(X, Y, sample_weight),
            method="L-BFGS-B",
            jac=True,
            callback=record,
            options={"maxfun": est.max_fun, "maxiter": est.max_iter, "gtol": est.tol},
        )
    except BaseException as error:  # the parameters may hold a line-search trial point
        last.restore()
        if not isinstance(error, KeyboardInterrupt):
            raise
        warnings.warn("Training interrupted by user.")
        return
    network.theta[...] = result.x
    if result.status != 0 and not stopped:
        message = result.message
        if isinstance(message, bytes):
            message = message.decode("latin1")
        warnings.warn(
            f"lbfgs failed to converge after {result.nit} iteration(s) "
            f"(status={result.status}):\n{message}.\n\nIncrease the number of "
            "iterations to improve the convergence (max_iter="
            f"{est.max_iter}).\nYou might also want to scale the data as shown in:\n"
            "    https://scikit-learn.org/stable/modules/preprocessing.html",
            ConvergenceWarning,
        )
    if est.verbose:
        print(f"L-BFGS: {result.nit} iterations, loss = {result.fun:.8f}")
    est.n_iter_ = min(result.nit, est.max_iter)
    est.loss_ = float(result.fun)
    if len(est.loss_curve_) == n_before:
        est.loss_curve_.append(est.loss_)
        est.history_.append({"epoch": n_before, "loss": est.loss_, "time": 0.0})
    est.best_loss_ = min(est.loss_curve_)
