"""The mini-batch driver: a step rule (``sknn.optimizers.Optimizer``) over shuffled batches."""

import math
import warnings

import numpy as np

from .._dropout_masks import mask_generator
from ..layers import Dropout
from ..optimizers import absorbs_l2
from ..schedules import learning_rate_at
from .data import RowGather
from .drivers import FEATURES, Driver, register_driver
from .loop import run_epochs


def batch_size_for(batch_size, n_samples, warn=True):
    """The mini-batch size, as scikit-learn resolves ``batch_size`` (and warns)."""
    if batch_size == "auto":
        return min(200, n_samples)
    if warn and batch_size > n_samples:
        warnings.warn(
            "Got `batch_size` less than 1 or larger than sample size. It is going to "
            "be clipped"
        )
    return int(np.clip(batch_size, 1, n_samples))


def clip_gradient(grad, clip_norm):
    """Rescale ``grad`` in place so that its Euclidean norm is at most ``clip_norm``."""
    norm = math.sqrt(float(np.dot(grad, grad)))
    if norm > clip_norm:
        grad *= clip_norm / norm


def step_positions(run, epoch):
    """The fractional epoch before each mini-batch step of epoch ``epoch``.

    Returns
    -------
    positions : list of float, one per batch
        ``epoch + start / n_rows``, ``start`` the epoch's rows before the batch.
    starts : range
        Those row counts.
    """
    n_rows = run.train[0].shape[0]
    starts = range(0, n_rows, batch_size_for(run.config.batch_size, n_rows, warn=False))
    return [epoch + start / n_rows for start in starts], starts


def step_learning_rates(run, epoch):
    """The rate of every mini-batch step of epoch ``epoch`` (``schedule_interval='step'``).

    Returns
    -------
    list of float, one per batch; the first is ``run.learning_rate(epoch)``.
    """
    positions, starts = step_positions(run, epoch)
    t, state, warmup = run.state["t"], run.state["schedule_state"], run.config.warmup_epochs
    return [learning_rate_at(run.schedule, run.lr0, position, t + start, state, warmup)
            for position, start in zip(positions, starts)]


def optimizer_state(run):
    """The optimizer's state in ``run.state``, created anew when the solver changed."""
    state, solver = run.state, run.solver
    if state["solver"] != type(solver).__name__:
        network = run.network
        state["optimizer"] = solver.init_state(network.theta, network.n_weights)
        state["solver"] = type(solver).__name__
    return state["optimizer"]


@register_driver("step")
class StepDriver(Driver):
    """Epochs of shuffled mini-batches, one step of the rule per batch.

    As in scikit-learn, each epoch permutes the previous epoch's order (with
    the same draws), which keeps the batches, and so ``loss_curve_``, equal to
    scikit-learn's. Only row indices are shuffled: each batch's rows are
    copied out of X when it is processed, so no shuffled copy of X exists.
    """

    supports = frozenset(FEATURES)
    mini_batches = True

    def run(self, run):
        optimizer_state(run)
        X = run.train[0]
        order = np.arange(X.shape[0], dtype=int)

        def epoch_step(epoch, lr):
            nonlocal order
            if run.config.shuffle:
                order = order[run.rng.permutation(order.shape[0])]
            if run.per_step:  # one rate per batch, the first one is ``lr``
                lr = step_learning_rates(run, epoch)
            loss = self._epoch(run, order if run.config.shuffle else None, lr, gather, masks)
            return None if loss is None else (loss, {})

        network = run.network
        batch_size = batch_size_for(run.config.batch_size, X.shape[0], warn=False)
        # shuffled batches are copied out of the data, into arrays reused by every batch
        gather = [RowGather(a, batch_size) for a in run.train] if run.config.shuffle else None
        network.reserve(batch_size)
        # dropout masks from their own fast generator; run.rng is not drawn from
        dropout = any(isinstance(layer, Dropout) and layer.rate > 0 for layer in network.layers)
        masks = mask_generator(run.rng) if dropout else run.rng
        try:
            run_epochs(run, epoch_step)
        finally:
            network.reserve(0)

    @staticmethod
    def _epoch(run, order, lr, gather, masks):
        """One pass over the data in mini-batches; the mean loss, or None if stopped.

        ``masks`` is the generator of the dropout masks (``run.rng`` when the
        network has no dropout); ``lr`` is a float, or a list of one rate per
        batch (``schedule_interval='step'``).
        """
        X, Y, sample_weight = run.train
        objective, solver, config = run.objective, run.solver, run.config
        theta, grad = run.network.theta, run.network.grad
        state = run.state["optimizer"]
        loss_handlers, end_handlers = run.batch_handlers()
        n_samples = X.shape[0]
        batch_size = batch_size_for(config.batch_size, n_samples)
        # a step that adds the L2 gradient itself, in its own pass (Adam), gets
        # it as a factor; a clipped gradient must hold it before the step
        fuse_l2 = objective.alpha > 0 and config.clip_norm is None and absorbs_l2(solver)
        total = 0.0
        rates = lr if isinstance(lr, list) else None
        # overflow shows up as a non-finite loss, which the divergence handler reports
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for batch, start in enumerate(range(0, n_samples, batch_size)):
                rows = slice(start, start + batch_size)
                if order is None:  # views, no copies (sparse X: a row slice)
                    X_batch, Y_batch = X[rows], Y[rows]
                    sw_batch = None if sample_weight is None else sample_weight[rows]
                else:
                    X_batch, Y_batch, sw_batch = (take(order[rows]) for take in gather)
                value = objective(X_batch, Y_batch, sw_batch, rng=masks, l2_gradient=not fuse_l2)
                seen = min(start + batch_size, n_samples)
                total += value * (seen - start)
                if any(h.on_batch_loss(run, batch, value, total, seen) for h in loss_handlers):
                    return None
                if config.clip_norm is not None:
                    clip_gradient(grad, config.clip_norm)
                rate = lr if rates is None else rates[batch]
                if fuse_l2:
                    solver.step(theta, grad, state, rate, l2_scale=objective.last_l2_scale)
                else:
                    solver.step(theta, grad, state, rate)
                objective.apply_constraints()  # max-norm after every update
                for handler in end_handlers:
                    handler.on_batch_end(run)
        return total / n_samples
