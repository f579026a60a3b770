"""From an estimator's settings to a training ``Run``: the handlers it listens with.

The estimator calls ``make_run`` once per ``fit`` / ``partial_fit``; the run
holds the network, the objective, the data, the components and the training
state, and the handlers that turn the drivers' events into scikit-learn's
behaviour (divergence detection, averaging, history, early stopping or
loss tracking, the plateau rule, verbose output, user callbacks and
scikit-learn's callback API).
"""

import numpy as np

from ._validation_split import stratification
from ._network import Network, build_layers
from ._member_setup import own_member_validation
from ._scoring_view import score_prepared
from .batched_ensemble import bootstrap_weights
from .training.averaging import AveragingHandler
from .training.callbacks import SklearnCallbacks, UserCallbacks
from .training.data import validation_split
from .training.divergence import DivergenceHandler
from .training.events import Config, Run
from .training.l1 import L1Truncation
from .training.member_batches import MemberBatches
from .training.member_validation import MemberEarlyStopping
from ._tabular_setup import training_option_handlers
from .training.monitoring import EarlyStopping, History, PlateauRule, TrainingLossTracker, Verbose
from .training.recording import TrainingScore, UpdateRatios, ValidationRecorder


def _is_sklearn_callback(obj):
    return hasattr(obj, "on_fit_task_end") and hasattr(obj, "on_fit_task_begin")


def check_callbacks(est):
    """The user's callbacks as a tuple of callables, refused clearly otherwise."""
    callbacks = est.callbacks
    if callbacks is None:
        return ()
    if not isinstance(callbacks, (list, tuple)):
        callbacks = (callbacks,)
    for callback in callbacks:
        if _is_sklearn_callback(callback):
            raise ValueError(
                f"callbacks={callback!r} is a scikit-learn callback (sklearn.callback); "
                "those are set with estimator.set_callbacks(...), on the estimator or "
                "on the Pipeline or search around it. The callbacks parameter takes "
                "plain callables callback(estimator, record) -> stop."
            )
        if not callable(callback):
            raise TypeError(
                "callbacks must be a callable or a list of callables "
                f"callback(estimator, record) -> stop; got {callback!r} of type "
                f"{type(callback).__name__}."
            )
    return tuple(callbacks)


class FitTask:
    """The estimator's root task of scikit-learn's callback API for one call to fit."""

    def __init__(self, est, X, y, sample_weight, max_subtasks):
        self.est, self.X, self.y = est, X, y
        self.metadata = None if sample_weight is None else {"sample_weight": sample_weight}
        self.context = est._init_callback_context(max_subtasks=max_subtasks)
        self.context.call_on_fit_task_begin(estimator=est, X=X, y=y, metadata=self.metadata)

    def end(self):
        self.context.call_on_fit_task_end(
            estimator=self.est, X=self.X, y=self.y, metadata=self.metadata,
            reconstruction_attributes={},
        )


def callback_context(est, X, y, sample_weight, driver, incremental):
    """The root task of this call, or None where scikit-learn has no callback API."""
    if not hasattr(est, "_init_callback_context"):
        return None
    max_subtasks = 1 if incremental else est.max_iter + driver.trailing_task
    return FitTask(est, X, y, sample_weight, max_subtasks)


def _snapshot(network, state):
    """Attributes that make a copy of the estimator predict with the current parameters."""

    def attributes():
        average = state["average"]
        return {
            "theta_": network.theta.copy(),
            "buffers_": network.buffers.copy(),
            "theta_average_": None if average is None else average.copy(),
            "buffers_average_": None if average is None else state["average_buffers"],
            "_inference_cache": None,
        }

    return attributes


def _network_factory(arch):
    """``make(theta, buffers)`` -> a Network of ``arch`` bound to those arrays."""

    def make(theta, buffers):
        return Network(build_layers(arch), theta.dtype, theta, buffers)

    return make


def _validation_score(est):
    """``score(val_loss, X, y, sample_weight)`` of prepared rows, as ``scoring`` says."""
    return lambda val_loss, X, y, sw: score_prepared(est, val_loss, X, y, sw)


def _start_averaging(state, averaging, theta):
    """The running average in the state: kept, started from theta, or dropped."""
    if averaging is None:
        state["average"], state["averaging"], state["average_buffers"] = None, None, None
        return
    key = type(averaging).__name__
    if state["averaging"] != key or state["average"] is None:
        state["average"] = theta.copy()
        state["average_count"] = 0
        state["averaging"] = key


def _start_validation(state, validating, own_members=False):
    """Early stopping's part of the state, reset when it is switched on or off.

    The members' own scores (``member_validation='own'`` or ``'folds'``) carry over only
    from a run that kept them.
    """
    if not own_members or (validating and not state.get("validating")):
        state["member_best_scores"] = state["member_best_epochs"] = None
        state["member_validation_scores"] = None
    if validating and not state.get("validating"):
        state["validation_scores"], state["validation_loss_curve"] = [], []
        state["best_validation_score"] = -np.inf
    if not validating or not state.get("validating"):
        state["best_theta"] = state["best_buffers"] = state["best_average"] = None
    if not validating and state.get("validating"):
        state["best_loss"] = np.inf
    state["validating"] = validating


def _check_own_member_validation(how, validating, validation):
    """``member_validation='own'`` / ``'folds'`` needs early stopping's split of the training rows."""
    if not validating:
        raise ValueError(
            f"member_validation={how!r} needs early stopping's validation split: "
            "early_stopping=True, a mini-batch solver, and fit (partial_fit trains "
            "without one). Each member holds out its own validation split of the "
            "training rows and keeps its best epoch on it."
        )
    if validation is not None:
        raise ValueError(
            f"member_validation={how!r} holds out a validation split of the training "
            "rows per member; it cannot use a validation set given to fit (X_val, y_val). "
            "Use member_validation='shared' to score every member on X_val."
        )


def make_run(est, driver, parts, objective, data, y_score, rng, incremental, task,
             validation=None, callbacks=()):
    """The ``Run`` of one call to ``fit`` or ``partial_fit``.

    ``validation`` is the encoded validation set ``(X, Y, y_score,
    sample_weight)`` given to ``fit`` (``X_val``...), or None; ``callbacks``
    the user's callbacks as ``check_callbacks`` returned them.

    Returns
    -------
    run : Run
    validating : bool
        Whether early stopping holds out a validation split in this run.
    """
    state = est.training_state_
    network = objective.network
    schedule = parts.schedule
    if state["schedule"] != type(schedule).__name__:
        state["schedule_state"] = schedule.init_state()
        state["schedule"] = type(schedule).__name__
    _start_averaging(state, parts.averaging, network.theta)
    est.theta_average_ = state["average"]
    validating = bool(est.early_stopping) and "early_stopping" in driver.supports
    if validating and incremental:
        raise ValueError("partial_fit does not support early_stopping=True")
    own = est.member_validation_ in ("own", "folds")
    _start_validation(state, validating, own)
    config = Config(
        max_iter=est.max_iter, batch_size=est.batch_size, shuffle=est.shuffle,
        clip_norm=est.clip_norm, drop_last=bool(est.drop_last) and driver.mini_batches,
        warmup_epochs=est.warmup_epochs,
        schedule_interval=getattr(est, "schedule_interval", "epoch"), tol=est.tol,
        n_iter_no_change=est.n_iter_no_change, incremental=incremental,
        verbose=bool(est.verbose),
    )
    train = data
    handlers, checkpoint = [], None
    if driver.mini_batches:
        divergence = DivergenceHandler(est.divergence_threshold, est.on_divergence)
        handlers.append(divergence)
        checkpoint = divergence.checkpoint
    handlers += training_option_handlers(est, driver, parts)  # before L1 and averaging
    if objective.l1_proximal:  # before averaging: the average sees the truncated weights
        handlers.append(L1Truncation(est.l1))
    if parts.averaging is not None:
        make_network = _network_factory(est._arch) if any(est._arch["batch_norm"]) else None
        handlers.append(AveragingHandler(make_network, est.batch_size))
    handlers.append(History())
    val, y_train, members, member_batches = validation, y_score, None, None
    if own:
        _check_own_member_validation(est.member_validation_, validating, validation)
        train, members = own_member_validation(est, data, y_score, objective, rng)
        if driver.mini_batches and isinstance(train[0], np.ndarray):  # sparse X: shared
            member_batches = MemberBatches(*train, est.batch_size)
    elif validating and val is None:
        train, val, y_train = validation_split(
            *data, y_score, validation_fraction=est.validation_fraction,
            stratify=stratification(est, y_score),  # scikit-learn's rule
            rng=rng,
        )
    train_weight = data[2] if own else train[2]  # the rows' own weights, for scoring
    if getattr(est, "member_bootstrap", False) and not own:
        train = (train[0], train[1], bootstrap_weights(
            train[2], train[0].shape[0], est._arch["n_members"], rng, network.theta.dtype))
    score = _validation_score(est)
    if val is not None:
        val_objective = est._objective(est._network(est._inference_theta()), objective.loss)
    if own:
        handlers.append(MemberEarlyStopping(members, est._inference_theta(), est.tol,
                                            est.best_epoch_ties))
    elif validating:
        handlers.append(EarlyStopping(val, val_objective, score, est.tol, est.best_epoch_ties))
    else:
        handlers.append(TrainingLossTracker(est.tol))
        if val is not None:
            handlers.append(ValidationRecorder(val, val_objective, score))
    if est.score_training:
        handlers.append(TrainingScore((train[0], y_train, train_weight), score))
    handlers.append(UpdateRatios([part for _, _, part in network.layout.slices("weight")],
                                 checkpoint))
    if driver.epoch_rules:
        if config.verbose:
            handlers.append(Verbose())
        handlers.append(PlateauRule(est.tol, est.n_iter_no_change, validating, config.verbose))
    run = Run(
        network=network, objective=objective, train=train, solver=parts.solver,
        schedule=schedule, averaging=parts.averaging,
        lr0=float(getattr(parts.solver, "learning_rate_init", 1.0)), state=state, rng=rng,
        config=config, handlers=handlers, member_batches=member_batches,
    )
    if callbacks:
        handlers.append(
            UserCallbacks(est, callbacks, lambda: est._publish(run, validating), config.verbose)
        )
    if task is not None:
        handlers.append(
            SklearnCallbacks(
                task.context, est, task.X, task.y, task.metadata, driver.task_name,
                _snapshot(network, state),
            )
        )
    return run, validating
