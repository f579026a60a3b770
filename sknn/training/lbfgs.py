"""The L-BFGS driver: full-batch L-BFGS-B on the flat parameter vector (scipy.optimize)."""

import time
import warnings

import numpy as np
import scipy.optimize
from sklearn.exceptions import ConvergenceWarning

from .drivers import Driver, register_driver
from .errors import NON_FINITE_MESSAGE


@register_driver("lbfgs")
class LBFGSDriver(Driver):
    """``scipy.optimize.minimize(method="L-BFGS-B")`` on the whole training set.

    Honours ``max_iter``, the solver's ``max_fun`` and ``tol`` (as ``gtol``)
    like scikit-learn. Each iteration is one "epoch" of the events: its
    record holds the objective after the iteration, and a handler returning
    True stops the run. Early stopping is ignored, as scikit-learn does.
    """

    supports = frozenset({"dropout", "batch_norm"})
    ignores = frozenset({"early_stopping"})
    deterministic_objective = True
    epoch_rules = False
    task_name = "iteration"
    trailing_task = True
    why_not = {
        "max_norm": "max_norm is a projection applied after every stochastic update; "
        "L-BFGS has no such updates. Use a stochastic solver, or the alpha and l1 penalties.",
        "averaging": "averaging acts on the iterates of a stochastic solver; L-BFGS "
        "converges to one point.",
        "partial_fit": "partial_fit is only available for stochastic optimizers (and "
        "'genetic'). lbfgs is not stochastic.",
    }

    def run(self, run):
        network, state, config = run.network, run.state, run.config
        X, Y, sample_weight = run.train
        start_theta = network.theta.copy()
        # the last iterate L-BFGS accepted: line-search trial points also pass
        # through theta, and an exception there must not leave one behind
        accepted = network.theta.copy()
        n_before = len(state["loss_curve"])
        clock = [time.perf_counter()]
        stopped = []

        def iteration_end(intermediate_result):
            network.theta[...] = intermediate_result.x
            accepted[...] = network.theta
            now = time.perf_counter()
            epoch = len(state["loss_curve"])
            record = {"epoch": epoch, "loss": float(intermediate_result.fun),
                      "time": now - clock[0]}
            clock[0] = now
            if run.emit("on_epoch_end", record):
                stopped.append(True)
                raise StopIteration
            run.emit("on_epoch_begin", epoch + 1, None)

        run.emit("on_fit_begin")
        run.emit("on_epoch_begin", n_before, None)
        try:
            result = scipy.optimize.minimize(
                run.objective.flat,
                network.theta.astype(np.float64),
                args=(X, Y, sample_weight),
                method="L-BFGS-B",
                jac=True,
                callback=iteration_end,
                options={"maxfun": run.solver.max_fun, "maxiter": config.max_iter,
                         "gtol": config.tol},
            )
        except BaseException as error:  # Ctrl-C, or a handler's exception
            network.theta[...] = accepted
            run.n_iter = len(state["loss_curve"]) - n_before
            if state["loss_curve"][n_before:]:
                run.final_loss = state["loss_curve"][-1]
                state["best_loss"] = min(state["loss_curve"])
            if not isinstance(error, KeyboardInterrupt):
                raise
            warnings.warn("Training interrupted by user.")
            return
        finally:
            run.emit("on_fit_end")
        network.theta[...] = result.x
        if not np.isfinite(network.theta).all():
            network.theta[...] = start_theta
            raise ValueError(NON_FINITE_MESSAGE)
        if result.status != 0 and not stopped:
            message = result.message
            if isinstance(message, bytes):
                message = message.decode("latin1")
            warnings.warn(
                f"lbfgs failed to converge after {result.nit} iteration(s) "
                f"(status={result.status}):\n{message}.\n\nIncrease the number of "
                "iterations to improve the convergence (max_iter="
                f"{config.max_iter}).\nYou might also want to scale the data as shown in:\n"
                "    https://scikit-learn.org/stable/modules/preprocessing.html",
                ConvergenceWarning,
            )
        if config.verbose:
            print(f"L-BFGS: {result.nit} iterations, loss = {result.fun:.8f}")
        run.n_iter = min(result.nit, config.max_iter)
        run.final_loss = float(result.fun)
        if len(state["loss_curve"]) == n_before:  # no iteration ran
            state["loss_curve"].append(run.final_loss)
            state["history"].append({"epoch": n_before, "loss": run.final_loss, "time": 0.0})
        state["best_loss"] = min(state["loss_curve"])
