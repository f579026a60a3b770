"""Parameter averaging as a handler: the running average after every update."""

from ..averaging import update_average
from .events import Handler


class AveragingHandler(Handler):
    """Keeps ``state['average']``, the running average of theta, after every step.

    The average starts from the current theta when there is none, or when the
    averaging rule changed since the last call.
    """

    def on_fit_begin(self, run):
        state, key = run.state, type(run.averaging).__name__
        if state["averaging"] != key or state["average"] is None:
            state["average"] = run.network.theta.copy()
            state["average_count"] = 0
            state["averaging"] = key

    def on_batch_end(self, run):
        state = run.state
        state["average_count"] += 1
        weight = run.averaging.weight(state["average_count"])
        update_average(state["average"], run.network.theta, weight)
