"""The genetic driver: one generation of ``sknn.optimizers.Genetic`` per epoch."""

import numpy as np

from .drivers import Driver, register_driver
from .errors import NON_FINITE_MESSAGE
from .loop import run_epochs


@register_driver("genetic")
class GeneticDriver(Driver):
    """Evolves the population in ``run.state['optimizer']``; theta is its best member.

    The learning-rate schedule scales the mutation (its rate over the initial
    rate); early stopping, ``history_`` and callbacks work as for the
    mini-batch solvers. Each call to ``fit`` or ``partial_fit`` first
    evaluates the whole population on its data.
    """

    supports = frozenset({"partial_fit", "early_stopping"})
    task_name = "generation"
    why_not = {
        "max_norm": "max_norm is a projection applied after every stochastic update; "
        "solver='genetic' has no such updates. Use a stochastic solver, or the alpha "
        "and l1 penalties.",
        "dropout": "solver='genetic' scores whole parameter vectors in inference mode, "
        "where dropout is off and batch norm has no mini-batch statistics to learn "
        "from; use dropout and batch_norm with a gradient-based solver.",
        "averaging": "averaging acts on the iterates of a gradient solver; the genetic "
        "solver keeps its best vector.",
    }
    why_not["batch_norm"] = why_not["dropout"]

    def run(self, run):
        solver, state, objective = run.solver, run.state, run.objective
        theta = run.network.theta
        population_state = state["optimizer"]
        if (
            state["solver"] != type(solver).__name__
            or population_state["population"].shape[0] != solver.population_size
        ):
            population_state = state["optimizer"] = solver.init_state(theta, run.rng)
            state["solver"] = type(solver).__name__
        X, Y, sample_weight = run.train

        def evaluate(vector):
            theta[...] = vector
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                value = objective.value(X, Y, sample_weight)
            return value if np.isfinite(value) else np.inf

        start, best_vector = theta.copy(), theta.copy()
        losses = None

        def generation(epoch, lr):
            nonlocal losses
            sigma = solver.mutation_scale * lr / run.lr0
            try:
                if losses is None:  # in the first epoch, where Ctrl-C is handled
                    losses = np.array([evaluate(m) for m in population_state["population"]])
                losses = solver.generation(population_state, losses, evaluate, sigma)
                best_vector[...] = population_state["population"][int(np.argmin(losses))]
            finally:  # evaluate() leaves a candidate in theta, even when interrupted
                theta[...] = best_vector
            return float(losses.min()), {"mutation_scale": sigma}

        run_epochs(run, generation)
        if not np.isfinite(theta).all():
            theta[...] = start
            raise ValueError(NON_FINITE_MESSAGE)
