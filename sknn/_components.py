"""From the estimator's parameters to validated component objects.

Each component parameter (``solver``, ``learning_rate``, ``activation``,
``weight_init``, ``loss``, ``averaging``) takes a registered name or a
component object. A name builds the registered class with its own defaults;
an object is copied, so that ``fit`` never changes what the user passed.

scikit-learn's flat parameters (``FLAT_PARAMETERS``) keep scikit-learn's
meaning: when one differs from scikit-learn's default, it sets the
hyperparameter of the same name of a component given by name
(``solver="sgd", momentum=0.5`` is ``SGD(momentum=0.5)``). At its default it
leaves the component's own default alone, so ``solver="adadelta"`` trains at
Adadelta's learning rate 1.0 and ``solver="lion"`` with Lion's
``beta_2=0.99``; for scikit-learn's own solvers the two defaults are the
same. A component given as an object carries its own hyperparameters: a
non-default flat parameter that it also has is refused as ambiguous.
"""

import inspect

from ._compat import InvalidParameterError
from ._registry import REGISTRIES

#: scikit-learn's MLP parameters that belong to one component each
FLAT_PARAMETERS = (
    "learning_rate_init",
    "momentum",
    "nesterovs_momentum",
    "beta_1",
    "beta_2",
    "epsilon",
    "power_t",
    "max_fun",
)


def _estimator_defaults(est, reference=False):
    """The defaults of ``est``'s constructor; with ``reference``, those of the
    class it declares as ``_flat_reference`` (the tabular estimators: the MLP
    they change the defaults of), so that their own defaults set the solver."""
    owner = getattr(type(est), "_flat_reference", None) if reference else None
    signature = inspect.signature((owner or type(est)).__init__)
    return {name: p.default for name, p in signature.parameters.items()}


def _flat_settings(est, cls, reference=False):
    """The non-default flat parameters of ``est`` that ``cls`` takes."""
    defaults = _estimator_defaults(est, reference)
    accepted = inspect.signature(cls).parameters
    return {
        name: getattr(est, name)
        for name in FLAT_PARAMETERS
        if name in accepted and name in defaults and getattr(est, name) != defaults[name]
    }


def resolve(est, param, kind, value=None):
    """The validated component that ``est``'s parameter ``param`` stands for.

    Parameters
    ----------
    est : BaseMLP
    param : str
        The estimator parameter, for the messages.
    kind : str
        The registry to look names up in (``"solver"``, ``"activation"``, ...).
    value : str or component, optional
        The value to resolve (default: ``getattr(est, param)``); used for the
        entries of a per-layer tuple.

    Returns
    -------
    component
        A new object, never the user's.
    """
    registry = REGISTRIES[kind]
    value = getattr(est, param) if value is None else value
    try:
        if isinstance(value, str):
            cls = registry.get(value)
            return cls(**_flat_settings(est, cls, reference=True)).validate()
        component = registry.resolve(value, what=param)
    except InvalidParameterError as error:
        raise InvalidParameterError(
            f"The {param!r} parameter of {type(est).__name__}: {error}"
        ) from None
    conflicts = _flat_settings(est, type(component))
    if conflicts:
        settings = ", ".join(f"{name}={value!r}" for name, value in conflicts.items())
        nested = ", ".join(f"{param}__{name}" for name in conflicts)
        raise InvalidParameterError(
            f"{settings} is set on the estimator while {param} is the object "
            f"{value!r}, which has its own {', '.join(conflicts)}. Set it on the "
            f"object instead ({nested}), or pass {param} by name."
        )
    return component


def describe(component):
    """A comparable, plain description: (class name, hyperparameters)."""
    return (type(component).__name__, tuple(sorted(component.get_params(deep=False).items())))
