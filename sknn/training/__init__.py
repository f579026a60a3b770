"""Training: one plain state, an event loop, one driver per kind of solver, handlers.

- ``state``: the training state, one dict of arrays, numbers and lists that
  survives ``partial_fit``, ``warm_start`` and pickling;
- ``events``: ``Run`` (what a driver trains: network, objective, data,
  components, state) and ``Handler``, the listener of the training events;
- ``drivers``: the table of drivers (mini-batch step rules, L-BFGS, genetic),
  each declaring what it supports;
- the handlers: divergence detection, parameter averaging, history, loss
  tracking and early stopping, the plateau rule, verbose output, user
  callbacks and scikit-learn's callback API.
"""

from .drivers import DRIVERS, Driver, driver_for
from .errors import NON_FINITE_MESSAGE, DivergenceError, DivergenceWarning
from .events import Handler, Run
from .state import new_state

__all__ = [
    "DRIVERS",
    "DivergenceError",
    "DivergenceWarning",
    "Driver",
    "Handler",
    "NON_FINITE_MESSAGE",
    "Run",
    "driver_for",
    "new_state",
]
