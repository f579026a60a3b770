"""The training state: everything a run carries between batches, epochs and calls.

One plain dict (arrays, numbers, strings, lists), created by ``new_state`` at
the first fit and stored on the estimator as ``training_state_``, so that it
survives ``partial_fit``, ``warm_start`` and pickling, and a diverged epoch
can be rolled back by copying it (``Checkpoint``).

Keys
----
solver, optimizer : str or None, dict
    The class name of the solver the optimizer state belongs to, and that
    state (moments, velocity, genetic population, ...; see ``sknn.optimizers``).
schedule, schedule_state : str or None, dict
    The same for the learning-rate schedule.
averaging, average, average_count : str or None, ndarray or None, int
    The averaging rule, the running average of the parameters (shape
    (n_params,)) and the number of iterates in it.
average_buffers : ndarray or None
    With batch norm: the running statistics of the averaged parameters,
    recomputed at the end of every call (shape (n_buffers,)).
best_theta, best_buffers, best_average : ndarray or None
    Early stopping's best parameters so far.
validating : bool
    Whether the last run held out a validation split (early stopping); its
    part of the state restarts when early stopping is switched on or off.
no_improvement_count : int
    Epochs in a row without improvement of the monitored metric.
best_loss, best_validation_score : float
    The best training loss and validation score so far.
initial_loss : float or None
    The training objective before any update (``initial_loss_``), measured
    on up to 1000 evenly spaced rows of the first call's training data; also
    the divergence detector's reference.
l1_total, l1_applied : float, ndarray of shape (n_weights,)
    With ``l1`` and a mini-batch solver: the L1 step owed to every weight so
    far and the signed amount each received (``sknn.training.l1``).
t : int
    Samples seen (scikit-learn's ``t_``).
loss_curve, validation_scores, validation_loss_curve, history : list
    One entry per epoch (iteration for L-BFGS, generation for genetic).
"""

import numpy as np


def new_state():
    """The state of a network that has not been trained yet."""
    return {
        "solver": None,
        "optimizer": {},
        "schedule": None,
        "schedule_state": {},
        "averaging": None,
        "average": None,
        "average_count": 0,
        "average_buffers": None,
        "best_theta": None,
        "best_buffers": None,
        "best_average": None,
        "validating": False,
        "no_improvement_count": 0,
        "best_loss": np.inf,
        "best_validation_score": -np.inf,
        "initial_loss": None,
        "t": 0,
        "loss_curve": [],
        "validation_scores": [],
        "validation_loss_curve": [],
        "history": [],
    }


def _copy_into(saved, value):
    """``value`` copied into ``saved`` when that fits, else a new copy."""
    if not isinstance(value, np.ndarray):
        return value
    if not isinstance(saved, np.ndarray) or saved.shape != value.shape or saved.dtype != value.dtype:
        return value.copy()
    saved[...] = value
    return saved


class Checkpoint:
    """Copies of the parameters, the batch-norm statistics and the averaging state.

    ``save`` refreshes the copies in place (one set per run); ``restore``
    puts them back and starts the optimizer's state afresh. The optimizer's
    state (Adam's two moments: twice the parameters) is not copied, so that a
    fit's peak memory stays below scikit-learn's; a rolled-back run stops,
    and a later ``partial_fit`` or warm start begins the update rule anew
    from the restored parameters.
    """

    def __init__(self):
        self.theta = self.buffers = self.average = None
        self.average_count = 0

    @property
    def saved(self):
        return self.theta is not None

    def save(self, network, state):
        self.theta = _copy_into(self.theta, network.theta)
        self.buffers = _copy_into(self.buffers, network.buffers)  # batch-norm statistics
        self.average = None if state["average"] is None else _copy_into(
            self.average, state["average"]
        )
        self.average_count = state["average_count"]

    def restore(self, network, state, solver):
        network.theta[...] = self.theta
        network.buffers[...] = self.buffers
        state["optimizer"] = solver.init_state(network.theta, network.n_weights)
        if self.average is not None and state["average"] is not None:
            state["average"][...] = self.average
            state["average_count"] = self.average_count
