"""Update rules over the flat parameter vector.

An optimizer is built from the estimator's hyperparameters, keeps no
training state itself, and exposes

- ``init_state(theta) -> dict``: its state, plain arrays (dtype of theta) plus
  an integer step count ``t``, so that the state pickles and survives
  ``warm_start`` and ``partial_fit``;
- ``step(theta, grad, state, lr)``: one in-place update of ``theta`` (shape
  (n_params,)) from ``grad`` (same shape) at learning rate ``lr``.

Every rule is a handful of NumPy operations over the whole vector. Gradient
clipping (``clip_norm``) is applied once by the training loop, before the
step, so it serves every rule. The module also holds the parameter averaging
(``averaging='ema'`` or ``'polyak'``) that the training loop applies after
each step.
"""

from abc import ABC, abstractmethod

import numpy as np

from ._registry import Registry

OPTIMIZERS = Registry("solver")

#: solvers that are not step rules: each has its own training driver
FULL_BATCH_SOLVERS = ("genetic", "lbfgs")


def _ewma(average, x, decay):
    """average <- decay * average + (1 - decay) * x, in place."""
    average *= decay
    average += (1 - decay) * x


class Optimizer(ABC):
    """Base class of the stochastic update rules."""

    name = None

    def init_state(self, theta):
        return {"t": 0}

    @abstractmethod
    def step(self, theta, grad, state, lr):
        """Implemented by every subclass."""


@OPTIMIZERS.register("sgd")
class SGD(Optimizer):
    """Mini-batch SGD with optional classic or Nesterov momentum.

    With ``momentum=0`` it is vanilla SGD, theta <- theta - lr * g. Otherwise,
    with d = ``dampening``:

    - v <- momentum * v - lr * (1 - d) * g;
    - classic: theta <- theta + v;
    - Nesterov: theta <- theta + momentum * v - lr * (1 - d) * g.

    ``dampening=0`` gives scikit-learn's formulas exactly (the velocity carries
    the learning rate). ``dampening=momentum`` gives the exponentially
    weighted form v = b v + (1 - b) g of the notes (PyTorch's meaning of
    dampening), whose early steps are biased towards zero;
    ``momentum_bias_correction=True`` divides the update by 1 - momentum^t
    (1 - momentum^(t+1) for Nesterov, whose update looks one step ahead), as
    Adam does for its moments.
    """

    def __init__(
        self, momentum=0.9, nesterovs_momentum=True, dampening=0.0,
        momentum_bias_correction=False,
    ):
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.dampening = dampening
        self.momentum_bias_correction = momentum_bias_correction

    def init_state(self, theta):
        return {"t": 0, "velocity": np.zeros_like(theta)}

    def step(self, theta, grad, state, lr):
        state["t"] += 1
        mu = self.momentum
        if mu == 0:
            theta -= lr * grad
            return
        scaled = (lr * (1 - self.dampening)) * grad
        velocity = state["velocity"]
        velocity *= mu
        velocity -= scaled
        if self.nesterovs_momentum:
            update = mu * velocity
            update -= scaled
            lookahead = 1
        else:
            update, lookahead = velocity, 0
        if self.momentum_bias_correction:
            update = update / (1 - mu ** (state["t"] + lookahead))
        theta += update


@OPTIMIZERS.register("adam")
class Adam(Optimizer):
    """Adam (Kingma & Ba 2014) with bias-corrected first and second moments.

    m <- b1 m + (1 - b1) g; v <- b2 v + (1 - b2) g^2;
    theta <- theta - lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + epsilon),
    scikit-learn's formula. ``amsgrad=True`` (Reddi et al. 2018) divides by
    the running maximum of v instead of v, so the effective step never grows.
    """

    def __init__(self, beta_1=0.9, beta_2=0.999, epsilon=1e-8, amsgrad=False):
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.amsgrad = amsgrad

    def init_state(self, theta):
        state = {"t": 0, "m": np.zeros_like(theta), "v": np.zeros_like(theta)}
        if self.amsgrad:
            state["v_max"] = np.zeros_like(theta)
        return state

    def _moments(self, grad, state):
        """Update the moments; return the step count t."""
        state["t"] += 1
        _ewma(state["m"], grad, self.beta_1)
        _ewma(state["v"], grad * grad, self.beta_2)
        return state["t"]

    def step(self, theta, grad, state, lr):
        b1, b2 = self.beta_1, self.beta_2
        t = self._moments(grad, state)
        v = state["v"]
        if self.amsgrad:
            # switched on between two calls: start the maximum from v
            v_max = state.setdefault("v_max", v.copy())
            np.maximum(v_max, v, out=v_max)
            v = v_max
        lr_t = lr * np.sqrt(1 - b2**t) / (1 - b1**t)
        update = np.sqrt(v)
        update += self.epsilon
        np.divide(state["m"], update, out=update)
        update *= lr_t
        theta -= update


@OPTIMIZERS.register("adamw")
class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter 2019).

    Before each Adam step the connection weights shrink,
    w <- w * (1 - lr * weight_decay), instead of adding an L2 term to the
    gradient (where Adam's scaling would weaken it). As ``alpha``, the decay
    spares biases and the other non-weight parameters (``theta[:n_weights]``).
    """

    def __init__(
        self, beta_1=0.9, beta_2=0.999, epsilon=1e-8, amsgrad=False, weight_decay=0.01,
        n_weights=None,
    ):
        super().__init__(beta_1, beta_2, epsilon, amsgrad)
        self.weight_decay = weight_decay
        self.n_weights = n_weights

    def step(self, theta, grad, state, lr):
        theta[: self.n_weights] *= 1 - lr * self.weight_decay
        super().step(theta, grad, state, lr)


@OPTIMIZERS.register("nadam")
class Nadam(Adam):
    """Adam with Nesterov momentum (Dozat 2016), constant ``beta_1``.

    The moments are Adam's; the step uses the first moment one step ahead,
    m_hat = b1 m / (1 - b1^(t+1)) + (1 - b1) g / (1 - b1^t),
    v_hat = v / (1 - b2^t), theta <- theta - lr * m_hat / (sqrt(v_hat) + epsilon).
    (PyTorch's NAdam additionally decays b1 over the steps; Keras' too.)
    """

    def __init__(self, beta_1=0.9, beta_2=0.999, epsilon=1e-8):
        super().__init__(beta_1, beta_2, epsilon)

    def step(self, theta, grad, state, lr):
        b1, b2 = self.beta_1, self.beta_2
        t = self._moments(grad, state)
        denominator = np.sqrt(state["v"])
        denominator *= 1 / np.sqrt(1 - b2**t)
        denominator += self.epsilon
        update = (b1 / (1 - b1 ** (t + 1))) * state["m"]
        update += ((1 - b1) / (1 - b1**t)) * grad
        update /= denominator
        update *= lr
        theta -= update


@OPTIMIZERS.register("adagrad")
class Adagrad(Optimizer):
    """Adagrad (Duchi et al. 2011): per-parameter rates from the summed squares.

    cache <- cache + g^2; theta <- theta - lr * g / (sqrt(cache) + epsilon).
    The effective rate only decreases, so training may stop early on deep nets.
    """

    def __init__(self, epsilon=1e-8):
        self.epsilon = epsilon

    def init_state(self, theta):
        return {"t": 0, "cache": np.zeros_like(theta)}

    def _scaled_step(self, theta, grad, cache, lr):
        update = np.sqrt(cache)
        update += self.epsilon
        np.divide(grad, update, out=update)
        update *= lr
        theta -= update

    def step(self, theta, grad, state, lr):
        state["t"] += 1
        state["cache"] += grad * grad
        self._scaled_step(theta, grad, state["cache"], lr)


@OPTIMIZERS.register("rmsprop")
class RMSprop(Adagrad):
    """RMSprop (Hinton's lecture 6e): Adagrad with a leaky cache.

    cache <- rho cache + (1 - rho) g^2; theta <- theta - lr * g / (sqrt(cache) + epsilon).
    Typical ``rho``: 0.9 (default), 0.99, 0.999.
    """

    def __init__(self, rho=0.9, epsilon=1e-8):
        super().__init__(epsilon)
        self.rho = rho

    def step(self, theta, grad, state, lr):
        state["t"] += 1
        _ewma(state["cache"], grad * grad, self.rho)
        self._scaled_step(theta, grad, state["cache"], lr)


@OPTIMIZERS.register("adadelta")
class Adadelta(Optimizer):
    """Adadelta (Zeiler 2012): steps in the units of the parameters.

    E[g^2] <- rho E[g^2] + (1 - rho) g^2;
    dx = sqrt(E[dx^2] + epsilon) / sqrt(E[g^2] + epsilon) * g;
    E[dx^2] <- rho E[dx^2] + (1 - rho) dx^2; theta <- theta - lr * dx.
    The paper has no learning rate (lr = 1, PyTorch's default): set
    ``learning_rate_init=1.0``. epsilon sets the size of the first steps
    (about sqrt(epsilon)); Zeiler used 1e-6.
    """

    def __init__(self, rho=0.9, epsilon=1e-8):
        self.rho = rho
        self.epsilon = epsilon

    def init_state(self, theta):
        return {"t": 0, "square_avg": np.zeros_like(theta), "delta_avg": np.zeros_like(theta)}

    def step(self, theta, grad, state, lr):
        state["t"] += 1
        square_avg, delta_avg = state["square_avg"], state["delta_avg"]
        _ewma(square_avg, grad * grad, self.rho)
        delta = delta_avg + self.epsilon
        delta /= square_avg + self.epsilon
        np.sqrt(delta, out=delta)
        delta *= grad
        _ewma(delta_avg, delta * delta, self.rho)
        delta *= lr
        theta -= delta


def averaging_weight(averaging, t, ema_decay):
    """Weight of the t-th iterate (t >= 1) in the running parameter average.

    The average is updated as avg <- avg + w_t * (theta - avg):

    - ``'polyak'``: w_t = 1 / t, the plain mean of the iterates so far;
    - ``'ema'``: w_t = (1 - d) / (1 - d^t) with d = ``ema_decay``, the
      exponential moving average with Adam's bias correction, so that no weight
      goes to the zeros it would start from.
    """
    if averaging == "polyak":
        return 1.0 / t
    return (1 - ema_decay) / (1 - ema_decay**t)


def update_average(average, theta, weight):
    """avg <- avg + weight * (theta - avg), in place; shapes (n_params,)."""
    difference = theta - average
    difference *= weight
    average += difference


def stochastic_solver_names():
    """Solvers that train on mini-batches with a step rule."""
    return OPTIMIZERS.names()


def solver_names():
    """Every valid ``solver`` value."""
    return tuple(sorted((*FULL_BATCH_SOLVERS, *OPTIMIZERS.names())))
