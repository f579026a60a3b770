"""Training drivers: the mini-batch loop and the full-batch L-BFGS run.

Both work on an ``Objective`` over the network's flat parameter vector and
record their progress on the estimator (``loss_curve_``, ``n_iter_``, ...),
following scikit-learn's MLP semantics for every attribute they share.
"""

import warnings

import numpy as np
import scipy.optimize
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils import _safe_indexing

from .optimizers import OPTIMIZERS
from .schedules import SCHEDULES

NON_FINITE_MESSAGE = (
    "Solver produced non-finite parameter weights. The input data may contain "
    "large values and need to be preprocessed."
)


class DivergenceError(ValueError):
    """Training produced a non-finite loss or non-finite weights."""


def _divergence_error(est, epoch, lr):
    return DivergenceError(
        f"{NON_FINITE_MESSAGE} The training loss became non-finite in epoch "
        f"{epoch + 1} with learning rate {lr:g}: the learning rate is probably too "
        "high (lower learning_rate_init) or the inputs are not scaled (put a "
        "StandardScaler before the network). The parameters were restored to "
        "their last finite values."
    )


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


def _validation_split(est, X, Y, sample_weight, y_score, rng):
    """Hold out ``validation_fraction`` of the rows for early stopping."""
    stratify = y_score if (est._is_single_output_classifier()) else None
    idx_train, idx_val = train_test_split(
        np.arange(X.shape[0]),
        random_state=rng,
        test_size=est.validation_fraction,
        stratify=stratify,
    )
    if idx_val.shape[0] < 2:
        raise ValueError(
            "The validation set is too small. Increase 'validation_fraction' or the "
            "size of your dataset."
        )

    def take(a, idx):
        return None if a is None else _safe_indexing(a, idx)

    train = (take(X, idx_train), Y[idx_train], take(sample_weight, idx_train))
    val = (take(X, idx_val), take(y_score, idx_val), take(sample_weight, idx_val))
    return train, val


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
    theta, grad = network.theta, network.grad
    params = est.get_params()
    optimizer = OPTIMIZERS.build(est.solver, **params)
    schedule = SCHEDULES.build(est.learning_rate, **params)
    if getattr(est, "_optimizer_solver", None) != est.solver:
        est._optimizer_state = optimizer.init_state(theta)
        est._optimizer_solver = est.solver
    if getattr(est, "_schedule_name", None) != est.learning_rate:
        est._schedule_state = schedule.init_state()
        est._schedule_name = est.learning_rate
    state, schedule_state = est._optimizer_state, est._schedule_state

    early_stopping = est.early_stopping
    if early_stopping and incremental:
        raise ValueError("partial_fit does not support early_stopping=True")
    if early_stopping:
        (X, Y, sample_weight), (X_val, y_val, sw_val) = _validation_split(
            est, X, Y, sample_weight, y_score, rng
        )

    n_samples = X.shape[0]
    batch_size = batch_size_for(est, n_samples)
    last_finite = theta.copy()
    est.n_iter_ = 0
    lr = est.learning_rate_init
    try:
        for _ in range(est.max_iter):
            epoch = len(est.loss_curve_)
            lr = schedule.lr(est.learning_rate_init, epoch, est.t_, schedule_state)
            if est.shuffle:
                order = rng.permutation(n_samples)
                X_epoch, Y_epoch = _safe_indexing(X, order), Y[order]
                sw_epoch = None if sample_weight is None else sample_weight[order]
            else:
                X_epoch, Y_epoch, sw_epoch = X, Y, sample_weight
            last_finite[...] = theta
            accumulated = 0.0
            for start in range(0, n_samples, batch_size):
                batch = slice(start, start + batch_size)
                sw_batch = None if sw_epoch is None else sw_epoch[batch]
                value = objective(X_epoch[batch], Y_epoch[batch], sw_batch, rng=rng)
                if not np.isfinite(value):
                    theta[...] = last_finite
                    raise _divergence_error(est, epoch, lr)
                optimizer.step(theta, grad, state, lr)
                objective.apply_constraints()  # max-norm after every update
                accumulated += value * (min(start + batch_size, n_samples) - start)

            est.n_iter_ += 1
            est.loss_ = accumulated / n_samples
            est.t_ += n_samples
            est.loss_curve_.append(est.loss_)
            if est.verbose:
                print("Iteration %d, loss = %.8f" % (est.n_iter_, est.loss_))

            if early_stopping:
                _update_validation(est, network, X_val, y_val, sw_val)
            else:
                _update_training_loss(est)

            if est._no_improvement_count > est.n_iter_no_change:
                if early_stopping:
                    msg = (
                        "Validation score did not improve more than tol=%f for %d "
                        "consecutive epochs." % (est.tol, est.n_iter_no_change)
                    )
                else:
                    msg = (
                        "Training loss did not improve more than tol=%f for %d "
                        "consecutive epochs." % (est.tol, est.n_iter_no_change)
                    )
                stop = schedule.on_plateau(lr, schedule_state)
                if est.verbose:
                    new_lr = schedule.lr(est.learning_rate_init, epoch, est.t_, schedule_state)
                    print(msg + (" Stopping." if stop else f" Setting learning rate to {new_lr:f}"))
                if stop:
                    break
                est._no_improvement_count = 0

            if incremental:
                break
            if est.n_iter_ == est.max_iter:
                warnings.warn(
                    "Stochastic Optimizer: Maximum iterations (%d) reached and the "
                    "optimization hasn't converged yet." % est.max_iter,
                    ConvergenceWarning,
                )
    except KeyboardInterrupt:
        warnings.warn("Training interrupted by user.")

    if early_stopping:
        theta[...] = est._best_theta
        network.buffers[...] = est._best_buffers


def _update_validation(est, network, X_val, y_val, sw_val):
    """Score the held-out rows, track the best parameters and the patience count."""
    score = est._score(X_val, y_val, sample_weight=sw_val)
    est.validation_scores_.append(score)
    if est.verbose:
        print("Validation score: %f" % score)
    if score < est.best_validation_score_ + est.tol:
        est._no_improvement_count += 1
    else:
        est._no_improvement_count = 0
    if score > est.best_validation_score_:
        est.best_validation_score_ = score
        est._best_theta = network.theta.copy()
        est._best_buffers = network.buffers.copy()


def _update_training_loss(est):
    """Track the best training loss and the patience count."""
    if est.loss_curve_[-1] > est.best_loss_ - est.tol:
        est._no_improvement_count += 1
    else:
        est._no_improvement_count = 0
    est.best_loss_ = min(est.best_loss_, est.loss_curve_[-1])


def fit_lbfgs(est, objective, X, Y, sample_weight):
    """Full-batch L-BFGS-B on the flat parameter vector through scipy.optimize.

    Honours ``max_iter``, ``max_fun`` and ``tol`` (as ``gtol``) like
    scikit-learn, and records the objective after every iteration in
    ``loss_curve_``.
    """
    network = objective.network
    curve = []

    def record(intermediate_result):
        curve.append(float(intermediate_result.fun))

    result = scipy.optimize.minimize(
        objective.flat,
        network.theta.astype(np.float64),
        args=(X, Y, sample_weight),
        method="L-BFGS-B",
        jac=True,
        callback=record,
        options={"maxfun": est.max_fun, "maxiter": est.max_iter, "gtol": est.tol},
    )
    network.theta[...] = result.x
    if result.status != 0:
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
    est.loss_curve_.extend(curve or [est.loss_])
    est.best_loss_ = min(est.loss_curve_)
