"""The mini-batch driver: a step rule (``sknn.optimizers.Optimizer``) over shuffled batches."""

import math

import numpy as np

from .._dropout_masks import mask_generator
from ..layers import Dropout
from ..optimizers import absorbs_l2
from ..schedules import learning_rate_at
from .batches import batch_size_for, batch_starts
from .data import RowGather
from .drivers import FEATURES, Driver, register_driver
from .loop import run_epochs


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
        ``epoch + start / rows``, ``start`` the epoch's rows before the batch and
        ``rows`` those it trains on (``run.rows_per_epoch``).
    starts : range
        Those row counts.
    """
    n_rows = run.epoch_rows
    starts = batch_starts(n_rows, batch_size_for(run.config.batch_size, n_rows, warn=False),
                          run.config.drop_last)
    trained = run.rows_per_epoch
    return [epoch + start / trained for start in starts], starts


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


class SharedBatches:
    """Mini-batches of the shared training rows ``(X, Y, sample_weight)``.

    Shuffled, each batch's rows are copied out of the data by a shuffled
    order, into arrays reused by every batch (no shuffled copy of X exists);
    otherwise the batches are views (sparse X: a row slice).
    """

    def __init__(self, train, batch_size, shuffle):
        self.train, self.batch_size = train, batch_size
        self.n_rows = train[0].shape[0]
        self.order = np.arange(self.n_rows, dtype=int) if shuffle else None
        self._gather = [RowGather(a, batch_size) for a in train] if shuffle else None

    def shuffle(self, rng):
        """As in scikit-learn, permute the previous epoch's order."""
        self.order = self.order[rng.permutation(self.order.shape[0])]

    def batch(self, start):
        """``(X, Y, sample_weight)`` of the rows from ``start`` on."""
        rows = slice(start, start + self.batch_size)
        if self.order is None:
            X, Y, sample_weight = self.train
            return X[rows], Y[rows], None if sample_weight is None else sample_weight[rows]
        return tuple(take(self.order[rows]) for take in self._gather)


@register_driver("step")
class StepDriver(Driver):
    """Epochs of shuffled mini-batches, one step of the rule per batch.

    As in scikit-learn, each epoch permutes the previous epoch's order (with
    the same draws), which keeps the batches, and so ``loss_curve_``, equal to
    scikit-learn's. Only row indices are shuffled: each batch's rows are
    copied out of X when it is processed, so no shuffled copy of X exists.
    With ``run.member_batches`` every member of a batched ensemble steps
    through its own rows instead (``sknn.training.member_batches``).
    """

    supports = frozenset(FEATURES)
    mini_batches = True

    def run(self, run):
        optimizer_state(run)
        batches = run.member_batches
        if batches is None:
            batch_size = batch_size_for(run.config.batch_size, run.epoch_rows, warn=False)
            batches = SharedBatches(run.train, batch_size, run.config.shuffle)

        def epoch_step(epoch, lr):
            if run.config.shuffle:
                batches.shuffle(run.rng)
            if run.per_step:  # one rate per batch, the first one is ``lr``
                lr = step_learning_rates(run, epoch)
            loss = self._epoch(run, batches, lr, masks)
            return None if loss is None else (loss, {})

        network = run.network
        network.reserve(batches.batch_size)
        # dropout masks from their own fast generator; run.rng is not drawn from
        dropout = any(isinstance(layer, Dropout) and layer.rate > 0 for layer in network.layers)
        masks = mask_generator(run.rng) if dropout else run.rng
        try:
            run_epochs(run, epoch_step)
        finally:
            network.reserve(0)

    @staticmethod
    def _epoch(run, batches, lr, masks):
        """One pass over the data in mini-batches; the mean loss, or None if stopped.

        ``batches`` gives the epoch's batches (``SharedBatches`` or
        ``MemberBatches``); ``masks`` is the generator of the dropout masks
        (``run.rng`` when the network has no dropout); ``lr`` is a float, or a
        list of one rate per batch (``schedule_interval='step'``).
        """
        objective, solver, config = run.objective, run.solver, run.config
        theta, grad = run.network.theta, run.network.grad
        state = run.state["optimizer"]
        loss_handlers, end_handlers = run.batch_handlers()
        n_samples = batches.n_rows
        if run.member_batches is None:  # warns as scikit-learn does
            batch_size_for(config.batch_size, n_samples)
        batch_size = batches.batch_size
        # a step that adds the L2 gradient itself, in its own pass (Adam), gets
        # it as a factor; a clipped gradient must hold it before the step
        fuse_l2 = objective.alpha > 0 and config.clip_norm is None and absorbs_l2(solver)
        total = 0.0
        rates = lr if isinstance(lr, list) else None
        # overflow shows up as a non-finite loss, which the divergence handler reports
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for batch, start in enumerate(batch_starts(n_samples, batch_size, config.drop_last)):
                X_batch, Y_batch, sw_batch = batches.batch(start)
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
        return total / seen
