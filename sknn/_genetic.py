"""The genetic solver (``solver='genetic'``): evolution of flat parameter vectors.

A teaching and baseline tool for small networks, not a competitor of the
gradient solvers: it ignores the gradient, so it needs many more loss
evaluations and scales badly with the number of parameters.

One generation (one entry of ``loss_curve_``):

1. the ``n_elite = max(1, round(elite_fraction * population_size))`` vectors of
   lowest training loss pass unchanged (elitism: the best loss never rises);
2. every other slot gets a child of two parents, each the best of three
   vectors drawn at random (tournament selection), mixed gene by gene with
   probability 1/2 each (uniform crossover);
3. every gene of every child receives Gaussian noise of standard deviation
   ``mutation_scale * lr / learning_rate_init``, so the learning-rate
   schedules anneal the mutation;
4. the children's losses are evaluated and ``theta_`` becomes the best vector.

Cost: each generation evaluates the objective ``population_size - n_elite``
times on the whole training set, forward passes only (no backward pass); each
call to ``fit`` or ``partial_fit`` first evaluates the whole population once
on its data. Memory: ``population_size`` copies of the parameter vector.

The population is plain state (``_optimizer_state``), so ``warm_start`` and
``partial_fit`` (one generation per call) continue the evolution, and the
random draws of generation g come from a generator seeded by (seed, g), so
``partial_fit`` called N times equals ``fit`` with ``max_iter=N``.
"""

import numpy as np

from ._training import EpochLoop, solver_state


class Genetic:
    """Selection, crossover and mutation over a population of flat vectors.

    Parameters
    ----------
    population_size : int
    mutation_scale : float
    elite_fraction : float in [0, 1)
    """

    #: vectors drawn per tournament; 3 selected clearly faster than 2 on digits
    tournament_size = 3

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


def fit_genetic(est, objective, X, Y, sample_weight, y_score, rng, incremental):
    """Train ``objective.network`` with the genetic solver; one generation per epoch.

    Parameters are those of ``fit_stochastic``; the learning-rate schedule
    scales the mutation, early stopping, ``history_`` and callbacks work as
    for the stochastic solvers, parameter averaging is not used.
    """
    theta = objective.network.theta
    solver = Genetic(est.population_size, est.mutation_scale, est.elite_fraction)
    state = solver_state(est, solver, theta, rng)
    if state["population"].shape[0] != est.population_size:
        est._optimizer_state = state = solver.init_state(theta, rng)
    loop = EpochLoop(est, objective, (X, Y, sample_weight), y_score, rng, incremental)
    X, Y, sample_weight = loop.train

    def evaluate(vector):
        theta[...] = vector
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            value = objective.value(X, Y, sample_weight)
        return value if np.isfinite(value) else np.inf

    losses = np.array([evaluate(member) for member in state["population"]])
    best_vector = state["population"][int(np.argmin(losses))].copy()

    def generation(epoch, lr):
        nonlocal losses
        sigma = est.mutation_scale * lr / est.learning_rate_init
        try:
            losses = solver.generation(state, losses, evaluate, sigma)
            best_vector[...] = state["population"][int(np.argmin(losses))]
        finally:  # evaluate() leaves a candidate in theta, even when interrupted
            theta[...] = best_vector
        return float(losses.min()), {"mutation_scale": sigma}

    theta[...] = best_vector
    loop.run(generation)
