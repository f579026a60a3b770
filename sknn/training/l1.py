"""L1 as a truncation after every mini-batch update: weights reach exactly zero."""

import numpy as np

from ..penalties import truncate_l1
from .events import Handler


class L1Truncation(Handler):
    """Applies ``l1`` after every update with the cumulative-penalty truncation.

    The objective leaves L1 out of the gradient (``Objective.l1_proximal``);
    after each step every connection weight receives the L1 step it is owed,
    lr * l1 / (the batch's total sample weight) per update, times the rule's
    per-coordinate rate for adaptive rules (``Optimizer.step_scale``: Adam's
    1 / sqrt(v), ...), clipped at zero (``sknn.penalties.truncate_l1``). A
    batch of zero total weight carries no penalty. The running totals live in
    the training state (``l1_total``, ``l1_applied``), so ``partial_fit``
    continues them.

    Parameters
    ----------
    l1 : float > 0
    """

    def __init__(self, l1):
        self.l1 = l1

    def on_fit_begin(self, run):
        state, n_weights = run.state, run.network.n_weights
        applied = state.get("l1_applied")
        if applied is None or applied.shape != (n_weights,):
            state["l1_applied"] = np.zeros(n_weights, dtype=run.network.theta.dtype)
            state["l1_total"] = np.zeros(n_weights, dtype=run.network.theta.dtype)

    def on_epoch_begin(self, run, epoch, lr):
        self.lr = lr

    def on_batch_end(self, run):
        state, n_weights = run.state, run.network.n_weights
        total_weight = run.objective.last_total_weight
        if not total_weight > 0:
            return
        step = self.lr * self.l1 / total_weight
        scale = run.solver.step_scale(state["optimizer"], n_weights)
        state["l1_total"] += step if scale is None else step * scale
        weights = run.network.theta[:n_weights]
        truncate_l1(weights, state["l1_applied"], state["l1_total"])
