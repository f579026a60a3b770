"""The driver table: one training loop per kind of solver, with what it supports.

A solver component names its driver (``Solver.driver``); the estimator
validates the other parameters against the driver's ``supports`` and offers
``partial_fit`` only when the driver supports it. A new kind of solver is one
``Driver`` subclass registered here plus its solver class.
"""

import functools
import importlib
import os
import pkgutil
from abc import ABC, abstractmethod

#: the features a driver may support
FEATURES = ("partial_fit", "max_norm", "dropout", "batch_norm", "averaging", "early_stopping")


class Driver(ABC):
    """Base class: ``run(run)`` trains ``run.network`` and fills ``run.state``.

    ``supports`` lists the features (``FEATURES``) the driver handles; the
    estimator refuses the others, except those in ``ignores``, which are left
    unused as scikit-learn does, and ``why_not`` says why a feature is not
    supported. ``deterministic_objective`` asks for an objective whose
    dropout masks are fixed (a deterministic function of theta, as L-BFGS
    needs).
    """

    supports = frozenset()
    ignores = frozenset()
    deterministic_objective = False
    why_not = {}
    #: whether it emits the mini-batch events (divergence is checked on them)
    mini_batches = False
    #: whether the per-epoch rules apply (plateau rule, verbose lines)
    epoch_rules = True
    #: the name of one task of scikit-learn's callback API
    task_name = "epoch"
    #: whether one more task begins than runs (L-BFGS: scipy's callback begins
    #: the next iteration before knowing whether it will run)
    trailing_task = False

    @abstractmethod
    def run(self, run):
        """Train; the handlers of ``run`` receive the events."""


DRIVERS = {}


def register_driver(name):
    """Class decorator adding a driver to ``DRIVERS`` under ``name``."""

    def decorator(cls):
        DRIVERS[name] = cls
        cls.name = name
        return cls

    return decorator


@functools.cache
def _load_drivers():
    """Import every module of this package, so that each driver registers itself
    (a new driver is one module here, nothing else to edit); once."""
    for module in pkgutil.iter_modules([os.path.dirname(__file__)]):
        importlib.import_module(f"{__package__}.{module.name}")


def driver_for(solver):
    """The driver class of a solver component (or class)."""
    _load_drivers()
    if solver.driver not in DRIVERS:
        raise ValueError(
            f"{type(solver).__name__} names the driver {solver.driver!r}, which is not "
            f"registered; drivers: {sorted(DRIVERS)}."
        )
    return DRIVERS[solver.driver]
