"""Parameter averaging as a handler: the running average after every update."""

import numpy as np

from ..averaging import update_average
from .batch_norm import recompute_statistics
from .events import Handler


class AveragingHandler(Handler):
    """Updates ``state['average']``, the running average of theta, after every step.

    The average itself is started (or kept) by the run's setup. With batch
    norm, the averaged weights get running statistics of their own
    (``state['average_buffers']``), recomputed on the training data at the
    end of every call (``recompute_statistics``).

    Parameters
    ----------
    make_network : callable or None
        ``make_network(theta, buffers)`` -> a Network of the run's
        architecture bound to those arrays; None without batch norm.
    batch_size : int or 'auto'
    """

    def __init__(self, make_network=None, batch_size="auto"):
        self.make_network, self.batch_size = make_network, batch_size

    def on_batch_end(self, run):
        state = run.state
        state["average_count"] += 1
        weight = run.averaging.weight(state["average_count"])
        update_average(state["average"], run.network.theta, weight)

    def on_fit_end(self, run):
        state = run.state
        if self.make_network is None or state["average"] is None:
            return
        buffers = state.get("average_buffers")
        if buffers is None or buffers.shape != run.network.buffers.shape:
            buffers = state["average_buffers"] = np.empty_like(run.network.buffers)
        network = self.make_network(state["average"], buffers)
        recompute_statistics(network, run.train, self.batch_size, run.rng)
