"""The epoch loop shared by the epoch-based drivers (mini-batch and genetic)."""

import time
import warnings

from sklearn.exceptions import ConvergenceWarning


def run_epochs(run, epoch_step):
    """Call ``epoch_step(epoch, lr) -> (loss, extra) or None`` up to ``max_iter`` times.

    Emits the epoch events around each call; ``extra`` holds more keys for
    the epoch's record, None stops at once (a diverged epoch). Stops when a
    handler asks, after one epoch in ``partial_fit``, and warns as
    scikit-learn does when ``max_iter`` epochs did not converge.
    """
    config, state = run.config, run.state
    n_rows = run.rows_per_epoch
    run.emit("on_fit_begin")
    try:
        for _ in range(config.max_iter):
            epoch = len(state["loss_curve"])
            lr = run.learning_rate(epoch)
            run.emit("on_epoch_begin", epoch, lr)
            start = time.perf_counter()
            outcome = epoch_step(epoch, lr)
            if outcome is None:
                break
            loss, extra = outcome
            state["t"] += n_rows
            record = {"epoch": epoch, "loss": loss, "learning_rate": lr, **extra,
                      "time": time.perf_counter() - start}
            if run.emit("on_epoch_end", record) or config.incremental:
                break
            if run.n_iter == config.max_iter:
                warnings.warn(
                    "Stochastic Optimizer: Maximum iterations (%d) reached and the "
                    "optimization hasn't converged yet." % config.max_iter,
                    ConvergenceWarning,
                )
    except KeyboardInterrupt:
        warnings.warn("Training interrupted by user.")
    finally:
        run.emit("on_fit_end")
