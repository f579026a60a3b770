"""Solvers: update rules over the flat parameter vector, L-BFGS and the genetic solver.

Every solver is a component (``sknn._component.Component``): its constructor
arguments are its hyperparameters, with the defaults of its reference, so
``MLPClassifier(solver=Adam(beta_2=0.99))`` and a search over
``solver__beta_2`` work; ``solver="adam"`` is ``Adam()``. ``driver`` names the
training loop that runs it (``sknn.training.drivers``): ``"step"`` for the
mini-batch rules, ``"lbfgs"`` and ``"genetic"`` for the full-batch solvers.

A mini-batch rule keeps no training state itself and exposes

- ``init_state(theta, n_weights=None) -> dict``: its state, plain arrays
  (dtype of theta) plus an integer step count ``t``, so that the state
  pickles and survives ``warm_start`` and ``partial_fit``; ``n_weights`` is
  the length of the leading slice of connection weights (what decoupled
  weight decay acts on; None: all of theta);
- ``step(theta, grad, state, lr)``: one in-place update of ``theta`` (shape
  (n_params,)) from ``grad`` (same shape) at learning rate ``lr``.

Every rule is a handful of NumPy operations over the whole vector. Gradient
clipping (``clip_norm``) is applied once by the training loop, before the
step, so it serves every rule.

``learning_rate_init`` is each rule's recommended initial rate (Adadelta 1.0,
Adagrad 0.01, Lion 1e-4, ...). The estimators' flat parameters of
scikit-learn's names (``learning_rate_init``, ``momentum``,
``nesterovs_momentum``, ``beta_1``, ``beta_2``, ``epsilon``, ``max_fun``) set
the hyperparameter of the same name of a solver given by name when they
differ from scikit-learn's defaults (see ``sknn._components``).
"""

from abc import abstractmethod
from numbers import Integral, Real

import numpy as np

from ._accelerated import adam_kernel
from ._chunks import chunk_slices, scratch
from ._compat import Interval
from ._component import Component
from ._registry import Registry
from .penalties import add_l2_gradient


class Solver(Component):
    """Base class of every solver; ``driver`` names its training loop."""

    driver = "step"


OPTIMIZERS = Registry("solver", base=Solver, key="optimizer")

_UNIT = Interval(Real, 0, 1, closed="left")
_POSITIVE = Interval(Real, 0, None, closed="neither")
_NON_NEGATIVE = Interval(Real, 0, None, closed="left")


def _ewma(average, x, decay):
    """average <- decay * average + (1 - decay) * x, in place."""
    average *= decay
    average += (1 - decay) * x


class Optimizer(Solver):
    """Base class of the mini-batch update rules."""

    _parameter_constraints: dict = {"learning_rate_init": [_POSITIVE]}

    def init_state(self, theta, n_weights=None):
        return {"t": 0, "n_weights": theta.size if n_weights is None else int(n_weights)}

    #: whether this class's ``step`` takes ``l2_scale`` (see ``absorbs_l2``)
    steps_with_l2 = False

    @abstractmethod
    def step(self, theta, grad, state, lr):
        """Update ``theta`` in place from ``grad`` at learning rate ``lr``."""

    def step_scale(self, state, n):
        """Per-coordinate factor of the last step's rate on ``theta[:n]``, or None.

        An adaptive rule scales each coordinate's step (Adam divides by the
        root of its second moment); the L1 truncation after the step applies
        the penalty at the same per-coordinate rate, as a proximal step of
        the rule would. None means 1 for every coordinate.
        """
        return None


def absorbs_l2(solver):
    """Whether ``solver.step`` takes ``l2_scale``: the class that defines the
    ``step`` in effect says so (``steps_with_l2``), so that a subclass with a
    ``step`` of its own (``Nadam``, or a user's rule) is not handed one."""
    for klass in type(solver).__mro__:
        if "step" in vars(klass):
            return bool(vars(klass).get("steps_with_l2", False))
    return False


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

    Parameters
    ----------
    learning_rate_init : float, default=0.001
        scikit-learn's default.
    momentum : float in [0, 1], default=0.9
        Below 1 with ``momentum_bias_correction``.
    nesterovs_momentum : bool, default=True
    dampening : float in [0, 1], default=0.0
    momentum_bias_correction : bool, default=False
    """

    _parameter_constraints: dict = {
        **Optimizer._parameter_constraints,
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "nesterovs_momentum": ["boolean"],
        "dampening": [Interval(Real, 0, 1, closed="both")],
        "momentum_bias_correction": ["boolean"],
    }

    def __init__(
        self, learning_rate_init=0.001, momentum=0.9, nesterovs_momentum=True, dampening=0.0,
        momentum_bias_correction=False,
    ):
        self.learning_rate_init = learning_rate_init
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.dampening = dampening
        self.momentum_bias_correction = momentum_bias_correction

    def validate(self):
        super().validate()
        if self.momentum_bias_correction and self.momentum == 1:
            raise ValueError(
                "momentum=1 with momentum_bias_correction=True divides by "
                "1 - momentum^t = 0; use a momentum below 1."
            )
        return self

    def init_state(self, theta, n_weights=None):
        return {**super().init_state(theta, n_weights), "velocity": np.zeros_like(theta)}

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

    Parameters
    ----------
    learning_rate_init : float, default=0.001
    beta_1 : float in [0, 1), default=0.9
    beta_2 : float in [0, 1), default=0.999
    epsilon : float > 0, default=1e-8
    amsgrad : bool, default=False
    """

    _parameter_constraints: dict = {
        **Optimizer._parameter_constraints,
        "beta_1": [_UNIT],
        "beta_2": [_UNIT],
        "epsilon": [_POSITIVE],
        "amsgrad": ["boolean"],
    }

    def __init__(
        self, learning_rate_init=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8, amsgrad=False
    ):
        self.learning_rate_init = learning_rate_init
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.amsgrad = amsgrad

    def init_state(self, theta, n_weights=None):
        state = {
            **super().init_state(theta, n_weights),
            "m": np.zeros_like(theta),
            "v": np.zeros_like(theta),
        }
        if self.amsgrad:
            state["v_max"] = np.zeros_like(theta)
        return state

    def _moments(self, grad, state):
        """Update the moments; return the step count t."""
        state["t"] += 1
        _ewma(state["m"], grad, self.beta_1)
        _ewma(state["v"], grad * grad, self.beta_2)
        return state["t"]

    steps_with_l2 = True

    def step(self, theta, grad, state, lr, l2_scale=0.0):
        """Update ``theta`` in place from ``grad`` at learning rate ``lr``.

        ``l2_scale`` > 0: ``grad`` lacks the L2 penalty's gradient, which is
        ``l2_scale * theta[:n_weights]`` (``sknn.penalties.add_l2_gradient``);
        the step adds it, in the update's pass when compiled.
        """
        self._step(theta, grad, state, lr, l2_scale, None)

    def _step(self, theta, grad, state, lr, l2_scale, decay):
        """Adam's step; ``decay`` (or None) first multiplies the weights (AdamW)."""
        # the formula of the docstring, chunk by chunk (sknn._chunks)
        b1, b2, epsilon = self.beta_1, self.beta_2, self.epsilon
        state["t"] += 1
        t = state["t"]
        m, v = state["m"], state["v"]
        n_weights = state["n_weights"]
        # amsgrad switched on between two calls: start the maximum from v
        v_max = state.setdefault("v_max", v.copy()) if self.amsgrad else None
        lr_t = lr * np.sqrt(1 - b2**t) / (1 - b1**t)
        kernel = None if v_max is not None else adam_kernel(theta.dtype, theta.size)
        c = theta.dtype.type
        if kernel is not None:  # the same passes compiled, as one (sknn._accelerated)
            kernel(theta, grad, m, v, c(b1), c(1 - b1), c(b2), c(1 - b2), c(epsilon),
                   float(lr_t), n_weights, c(l2_scale), c(1 if decay is None else decay))
            return
        if l2_scale:
            add_l2_gradient(theta[:n_weights], grad[:n_weights], l2_scale)
        if decay is not None:
            theta[:n_weights] *= decay
        buffer = scratch(theta.dtype)
        for part in chunk_slices(theta.size, theta.dtype):
            g, m_part, v_part = grad[part], m[part], v[part]
            tmp = buffer[: g.size]
            m_part *= b1
            np.multiply(g, 1 - b1, out=tmp)
            m_part += tmp
            v_part *= b2
            np.multiply(g, g, out=tmp)
            tmp *= 1 - b2
            v_part += tmp
            if v_max is not None:
                v_part = np.maximum(v_max[part], v_part, out=v_max[part])
            np.sqrt(v_part, out=tmp)
            tmp += epsilon
            np.divide(m_part, tmp, out=tmp)
            tmp *= lr_t
            theta[part] -= tmp

    def step_scale(self, state, n):
        t = state["t"]
        v = state.get("v_max", state["v"]) if self.amsgrad else state["v"]
        scale = np.sqrt(v[:n])
        scale += self.epsilon
        np.divide(np.sqrt(1 - self.beta_2**t) / (1 - self.beta_1**t), scale, out=scale)
        return scale


@OPTIMIZERS.register("adamw")
class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter 2019).

    Before each Adam step the connection weights shrink,
    w <- w * (1 - lr * weight_decay), instead of adding an L2 term to the
    gradient (where Adam's scaling would weaken it). As ``alpha``, the decay
    spares biases and the other non-weight parameters (``theta[:n_weights]``),
    unless ``decay_by_role`` gives other roles a factor (the estimators'
    ``weight_decay_factors``).

    Parameters
    ----------
    learning_rate_init : float, default=0.001
    beta_1, beta_2, epsilon, amsgrad
        As for ``Adam``.
    weight_decay : float >= 0, default=0.01
        PyTorch's default.
    """

    _parameter_constraints: dict = {
        **Adam._parameter_constraints,
        "weight_decay": [_NON_NEGATIVE],
    }

    def __init__(
        self, learning_rate_init=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8, amsgrad=False,
        weight_decay=0.01,
    ):
        super().__init__(learning_rate_init, beta_1, beta_2, epsilon, amsgrad)
        self.weight_decay = weight_decay

    #: set by ``decay_by_role`` for one run: (weight factor, rows, their factors)
    _role_decay = None

    def decay_by_role(self, layout, factors):
        """Decay each parameter role at its own multiple of the rate (``weight_decay_factors``).

        After this call a step shrinks every coordinate of role r by
        ``1 - lr * weight_decay * factors[r]``; the 'weight' role defaults to
        1 and every other role to 0 (not decayed), which is the plain rule.

        Parameters
        ----------
        layout : ParamLayout
            The network's layout (``theta``'s slots and their roles).
        factors : dict of str to float
            Role -> factor.
        """
        slots = [s for s in layout.slots if s.role != "weight" and factors.get(s.role, 0.0)]
        rows = np.concatenate([np.arange(s.start, s.stop) for s in slots] or [np.empty(0, int)])
        values = np.concatenate([np.full(s.stop - s.start, factors[s.role]) for s in slots]
                                or [np.empty(0)])
        self._role_decay = (float(factors.get("weight", 1.0)), rows, values)

    steps_with_l2 = True

    def step(self, theta, grad, state, lr, l2_scale=0.0):
        """Decay the weights (and the roles of ``decay_by_role``), then Adam's step.

        ``l2_scale``: as for ``Adam``; the L2 gradient, when ``l2_scale`` > 0,
        is that of the weights before the decay, as if the objective had
        added it. The weights' decay runs in the step's pass when compiled.
        """
        decay = lr * self.weight_decay
        weight = 1.0
        if self._role_decay is not None:
            weight, rows, factors = self._role_decay
            if rows.size:  # other roles than the weights: after them in theta
                theta[rows] *= (1 - decay * factors).astype(theta.dtype, copy=False)
        self._step(theta, grad, state, lr, l2_scale, 1 - decay * weight)


@OPTIMIZERS.register("nadam")
class Nadam(Adam):
    """Adam with Nesterov momentum (Dozat 2016), constant ``beta_1``.

    The moments are Adam's; the step uses the first moment one step ahead,
    m_hat = b1 m / (1 - b1^(t+1)) + (1 - b1) g / (1 - b1^t),
    v_hat = v / (1 - b2^t), theta <- theta - lr * m_hat / (sqrt(v_hat) + epsilon).
    (PyTorch's NAdam additionally decays b1 over the steps; Keras' too.)

    Parameters
    ----------
    learning_rate_init : float, default=0.002
        Dozat's and Keras' default.
    beta_1, beta_2, epsilon
        As for ``Adam``.
    """

    _parameter_constraints: dict = {
        key: value for key, value in Adam._parameter_constraints.items() if key != "amsgrad"
    }

    amsgrad = False  # not a hyperparameter of Nadam

    def __init__(self, learning_rate_init=0.002, beta_1=0.9, beta_2=0.999, epsilon=1e-8):
        self.learning_rate_init = learning_rate_init
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

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

    Parameters
    ----------
    learning_rate_init : float, default=0.01
        PyTorch's and Keras' default.
    epsilon : float > 0, default=1e-8
    """

    _parameter_constraints: dict = {**Optimizer._parameter_constraints, "epsilon": [_POSITIVE]}

    def __init__(self, learning_rate_init=0.01, epsilon=1e-8):
        self.learning_rate_init = learning_rate_init
        self.epsilon = epsilon

    def init_state(self, theta, n_weights=None):
        return {**super().init_state(theta, n_weights), "cache": np.zeros_like(theta)}

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

    def step_scale(self, state, n):
        scale = np.sqrt(state["cache"][:n])
        scale += self.epsilon
        return np.reciprocal(scale, out=scale)


@OPTIMIZERS.register("rmsprop")
class RMSprop(Adagrad):
    """RMSprop (Hinton's lecture 6e): Adagrad with a leaky cache.

    cache <- rho cache + (1 - rho) g^2; theta <- theta - lr * g / (sqrt(cache) + epsilon).

    Parameters
    ----------
    learning_rate_init : float, default=0.001
        Hinton's and Keras' default.
    rho : float in [0, 1), default=0.9
        Typical values: 0.9, 0.99, 0.999.
    epsilon : float > 0, default=1e-8
    """

    _parameter_constraints: dict = {**Adagrad._parameter_constraints, "rho": [_UNIT]}

    def __init__(self, learning_rate_init=0.001, rho=0.9, epsilon=1e-8):
        super().__init__(learning_rate_init, epsilon)
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

    Parameters
    ----------
    learning_rate_init : float, default=1.0
        The paper has no learning rate (lr = 1, PyTorch's default).
    rho : float in [0, 1), default=0.95
        Zeiler's value.
    epsilon : float > 0, default=1e-6
        Sets the size of the first steps (about sqrt(epsilon)); Zeiler's value.
    """

    _parameter_constraints: dict = {
        **Optimizer._parameter_constraints,
        "rho": [_UNIT],
        "epsilon": [_POSITIVE],
    }

    def __init__(self, learning_rate_init=1.0, rho=0.95, epsilon=1e-6):
        self.learning_rate_init = learning_rate_init
        self.rho = rho
        self.epsilon = epsilon

    def init_state(self, theta, n_weights=None):
        return {
            **super().init_state(theta, n_weights),
            "square_avg": np.zeros_like(theta),
            "delta_avg": np.zeros_like(theta),
        }

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

    def step_scale(self, state, n):
        return np.sqrt((state["delta_avg"][:n] + self.epsilon) / (state["square_avg"][:n] + self.epsilon))


@OPTIMIZERS.register("lion")
class Lion(Optimizer):
    """Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms").

    The step is the sign of an interpolation of the momentum and the gradient,
    so every coordinate moves by exactly lr (plus the decay):

    - c = b1 m + (1 - b1) g; w <- w * (1 - lr * weight_decay) on the weights;
    - theta <- theta - lr * sign(c);
    - m <- b2 m + (1 - b2) g.

    Its updates are larger than Adam's (unit size per coordinate): the paper
    advises a learning rate 3-10x smaller than AdamW's and a weight decay
    3-10x larger.

    Parameters
    ----------
    learning_rate_init : float, default=1e-4
        The paper's (and Keras') default.
    beta_1 : float in [0, 1), default=0.9
    beta_2 : float in [0, 1), default=0.99
    weight_decay : float >= 0, default=0.0
        Decoupled, on the connection weights only (as ``AdamW``).
    """

    _parameter_constraints: dict = {
        **Optimizer._parameter_constraints,
        "beta_1": [_UNIT],
        "beta_2": [_UNIT],
        "weight_decay": [_NON_NEGATIVE],
    }

    def __init__(self, learning_rate_init=1e-4, beta_1=0.9, beta_2=0.99, weight_decay=0.0):
        self.learning_rate_init = learning_rate_init
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.weight_decay = weight_decay

    def init_state(self, theta, n_weights=None):
        return {**super().init_state(theta, n_weights), "m": np.zeros_like(theta)}

    def step(self, theta, grad, state, lr):
        state["t"] += 1
        m = state["m"]
        direction = self.beta_1 * m
        direction += (1 - self.beta_1) * grad
        np.sign(direction, out=direction)
        if self.weight_decay:
            theta[: state["n_weights"]] *= 1 - lr * self.weight_decay
        direction *= lr
        theta -= direction
        _ewma(m, grad, self.beta_2)


@OPTIMIZERS.register("lbfgs")
class LBFGS(Solver):
    """Full-batch L-BFGS-B through ``scipy.optimize.minimize`` (no ``partial_fit``).

    Honours the estimator's ``max_iter`` and ``tol`` (as ``gtol``) like
    scikit-learn.

    Parameters
    ----------
    max_fun : int >= 1, default=15000
        Maximum number of loss evaluations (scikit-learn's default).
    """

    driver = "lbfgs"
    _parameter_constraints: dict = {"max_fun": [Interval(Integral, 1, None, closed="left")]}

    def __init__(self, max_fun=15000):
        self.max_fun = max_fun


@OPTIMIZERS.register("genetic")
class Genetic(Solver):
    """Evolution of a population of flat parameter vectors (no gradient).

    A teaching and baseline tool for small networks, not a competitor of the
    gradient solvers: it needs many more loss evaluations and scales badly
    with the number of parameters. One generation per epoch:

    1. the ``n_elite = max(1, round(elite_fraction * population_size))`` vectors
       of lowest training loss pass unchanged (elitism: the best loss never rises);
    2. every other slot gets a child of two parents, each the best of three
       vectors drawn at random (tournament selection), mixed gene by gene with
       probability 1/2 each (uniform crossover);
    3. every gene of every child receives Gaussian noise of standard deviation
       ``mutation_scale`` times the learning-rate schedule's factor (its rate
       over the initial rate), so the schedules anneal the mutation;
    4. the children's losses are evaluated and ``theta_`` becomes the best vector.

    Cost: each generation evaluates the objective ``population_size - n_elite``
    times on the whole training set, forward passes only; memory:
    ``population_size`` copies of the parameter vector. The random draws of
    generation g come from a generator seeded by (seed, g), so ``partial_fit``
    called N times equals ``fit`` with ``max_iter=N``.

    Parameters
    ----------
    population_size : int >= 2, default=50
    mutation_scale : float > 0, default=0.05
    elite_fraction : float in [0, 1), default=0.1
    """

    driver = "genetic"
    #: vectors drawn per tournament; 3 selected clearly faster than 2 on digits
    tournament_size = 3
    _parameter_constraints: dict = {
        "population_size": [Interval(Integral, 2, None, closed="left")],
        "mutation_scale": [_POSITIVE],
        "elite_fraction": [_UNIT],
    }

    def __init__(self, population_size=50, mutation_scale=0.05, elite_fraction=0.1):
        self.population_size = population_size
        self.mutation_scale = mutation_scale
        self.elite_fraction = elite_fraction

    @property
    def n_elite(self):
        elites = max(1, int(round(self.elite_fraction * self.population_size)))
        return min(elites, self.population_size - 1)

    def init_state(self, theta, rng):
        """``theta`` and ``population_size - 1`` mutants of it.

        Parameters
        ----------
        theta : ndarray of shape (n_params,)
        rng : numpy.random.RandomState
        """
        seed = int(rng.randint(np.iinfo(np.int32).max))
        noise = np.random.RandomState([seed, 0]).standard_normal(
            (self.population_size - 1, theta.size)
        )
        population = np.empty((self.population_size, theta.size), dtype=theta.dtype)
        population[0] = theta
        population[1:] = theta + self.mutation_scale * noise
        return {"t": 0, "seed": seed, "population": population}

    def generation(self, state, losses, evaluate, sigma):
        """Replace ``state['population']`` by the next generation.

        Parameters
        ----------
        state : dict
        losses : ndarray of shape (population_size,)
            Loss of each member of the current population.
        evaluate : callable
            ``evaluate(vector) -> float`` (inf for a non-finite loss).
        sigma : float
            Standard deviation of the mutation.

        Returns
        -------
        losses : ndarray of shape (population_size,)
            Loss of each member of the new population.
        """
        population = state["population"]
        size, n_params = population.shape
        rng = np.random.RandomState([state["seed"], state["t"] + 1])
        elites = np.argsort(losses, kind="stable")[: self.n_elite]
        n_children = size - elites.size
        contenders = rng.randint(size, size=(2, n_children, self.tournament_size))
        winners = np.argmin(losses[contenders], axis=-1)
        parents = np.take_along_axis(contenders, winners[..., None], axis=-1)[..., 0]
        from_first = rng.random_sample((n_children, n_params)) < 0.5
        children = np.where(from_first, population[parents[0]], population[parents[1]])
        children += sigma * rng.standard_normal((n_children, n_params))
        state["population"] = np.concatenate([population[elites], children])
        state["t"] += 1
        return np.concatenate([losses[elites], [evaluate(child) for child in children]])


def stochastic_solver_names():
    """Registered solvers that train on mini-batches with a step rule."""
    return tuple(name for name, cls in OPTIMIZERS.items() if cls.driver == "step")


def solver_names():
    """Every valid ``solver`` name."""
    return OPTIMIZERS.names()
