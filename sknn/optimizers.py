"""Update rules over the flat parameter vector.

An optimizer is built from the estimator's hyperparameters, keeps no
training state itself, and exposes

- ``init_state(theta) -> dict``: its state, plain arrays (dtype of theta) plus
  an integer step count ``t``, so that the state pickles and survives
  ``warm_start`` and ``partial_fit``;
- ``step(theta, grad, state, lr)``: one in-place update of ``theta`` (shape
  (n_params,)) from ``grad`` (same shape) at learning rate ``lr``.
"""

import numpy as np

from ._registry import Registry

OPTIMIZERS = Registry("solver")


class Optimizer:
    """Base class of the stochastic update rules."""

    name = None

    def init_state(self, theta):
        return {"t": 0}

    def step(self, theta, grad, state, lr):
        raise NotImplementedError  # pragma: no cover - abstract


@OPTIMIZERS.register("sgd")
class SGD(Optimizer):
    """Mini-batch SGD with optional classic or Nesterov momentum.

    v <- momentum * v - lr * g, then theta <- theta + v (classic) or
    theta <- theta + momentum * v - lr * g (Nesterov), scikit-learn's formulas.
    ``momentum=0`` is vanilla SGD.
    """

    def __init__(self, momentum=0.9, nesterovs_momentum=True):
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum

    def init_state(self, theta):
        return {"t": 0, "velocity": np.zeros_like(theta)}

    def step(self, theta, grad, state, lr):
        state["t"] += 1
        mu = self.momentum
        if mu == 0:
            theta -= lr * grad
            return
        velocity = state["velocity"]
        velocity *= mu
        velocity -= lr * grad
        if self.nesterovs_momentum:
            theta += mu * velocity
            theta -= lr * grad
        else:
            theta += velocity


@OPTIMIZERS.register("adam")
class Adam(Optimizer):
    """Adam (Kingma & Ba 2014) with bias-corrected first and second moments.

    m <- b1 m + (1 - b1) g; v <- b2 v + (1 - b2) g^2;
    theta <- theta - lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + epsilon).
    """

    def __init__(self, beta_1=0.9, beta_2=0.999, epsilon=1e-8):
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def init_state(self, theta):
        return {"t": 0, "m": np.zeros_like(theta), "v": np.zeros_like(theta)}

    def step(self, theta, grad, state, lr):
        b1, b2 = self.beta_1, self.beta_2
        state["t"] += 1
        t = state["t"]
        m, v = state["m"], state["v"]
        m *= b1
        m += (1 - b1) * grad
        v *= b2
        v += (1 - b2) * (grad * grad)
        lr_t = lr * np.sqrt(1 - b2**t) / (1 - b1**t)
        update = np.sqrt(v)
        update += self.epsilon
        np.divide(m, update, out=update)
        update *= lr_t
        theta -= update


#: solvers that train on mini-batches (everything but full-batch quasi-Newton)
def stochastic_solver_names():
    return OPTIMIZERS.names()


def solver_names():
    """Every valid ``solver`` value."""
    return ("lbfgs", *OPTIMIZERS.names())
