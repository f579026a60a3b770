"""A name -> component table shared by every pluggable concept.

The registries are read when an estimator fits, never frozen at import: a
component registered later (``sknn.register``) is accepted by name as soon as
it is registered.
"""

import difflib
import inspect

from ._compat import InvalidParameterError

#: every registry, by the kind of component it holds (filled by ``Registry``)
REGISTRIES = {}


class Registry:
    """Map names (and aliases) to component classes of one kind.

    Parameters
    ----------
    kind : str
        What the entries are ("activation", "loss", ...), used in error messages
        and as the key of ``sknn.register``.
    base : type or None
        The class every entry and every component object must derive from.
    key : str, optional
        The registry's key in ``REGISTRIES`` and for ``sknn.register``
        (default: ``kind``).

    Examples
    --------
    >>> SHAPES = Registry("shape")
    >>> @SHAPES.register("square", aliases=("box",))
    ... class Square:
    ...     "A square."
    >>> SHAPES.get("box").__name__
    'Square'
    """

    def __init__(self, kind, base=None, *, key=None):
        self.kind = kind
        self.base = base
        self._entries = {}
        self._aliases = {}
        self._accepted = {}  # entry -> names of its constructor's parameters
        if base is not None:  # the components' registries, not ad-hoc ones
            REGISTRIES[key or kind] = self

    def register(self, name, *, aliases=()):
        """Decorator that registers a class under ``name`` and its ``aliases``."""

        def decorator(obj):
            if self.base is not None and not (
                isinstance(obj, type) and issubclass(obj, self.base)
            ):
                raise TypeError(
                    f"A {self.kind} must be a subclass of {self.base.__name__}; "
                    f"got {obj!r}."
                )
            for key in (name, *aliases):
                if key in self._entries or key in self._aliases:
                    raise ValueError(f"{self.kind} {key!r} is already registered.")
            self._entries[name] = obj
            for alias in aliases:
                self._aliases[alias] = name
            obj.name = name
            return obj

        return decorator

    def canonical(self, name):
        """The registered name that ``name`` stands for (resolves aliases)."""
        if not isinstance(name, str):
            raise InvalidParameterError(
                f"{self.kind} must be given by name, got {name!r} of type "
                f"{type(name).__name__}. Valid options: {list(self.names())}."
            )
        name = self._aliases.get(name, name)
        if name not in self._entries:
            raise InvalidParameterError(
                f"Unknown {self.kind} {name!r}.{self._suggestion(name)} "
                f"Valid options: {list(self.names())}."
            )
        return name

    def _suggestion(self, name):
        """' Did you mean ...?' for the closest valid name, or ''."""
        names = self.names()
        lowered = {n.lower(): n for n in names}
        close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
        return f" Did you mean {lowered[close[0]]!r}?" if close else ""

    def get(self, name):
        """The class registered under ``name`` (or one of its aliases)."""
        return self._entries[self.canonical(name)]

    def build(self, name, /, **options):
        """Instantiate the entry ``name`` with the ``options`` its constructor takes.

        Options the constructor does not accept are ignored.
        """
        cls = self.get(name)
        return cls(**{key: value for key, value in options.items() if key in self.accepted(cls)})

    def accepted(self, cls):
        """Names of the parameters of ``cls.__init__`` (cached)."""
        accepted = self._accepted.get(cls)
        if accepted is None:
            accepted = self._accepted[cls] = frozenset(inspect.signature(cls).parameters)
        return accepted

    def resolve(self, value, *, what=None):
        """A validated component from a registered name or a component object.

        A name builds the registered class with its own defaults; an object is
        copied (``clone``), so that training never changes the user's object.

        Parameters
        ----------
        value : str or component
        what : str, optional
            The estimator parameter ``value`` came from, for error messages.

        Returns
        -------
        component
        """
        if isinstance(value, str):
            return self.get(value)().validate()
        if self.base is not None and isinstance(value, self.base):
            return value.copy().validate()
        label = what or self.kind
        raise InvalidParameterError(
            f"{label} must be the name of a {self.kind} or a "
            f"{self.base.__name__ if self.base else self.kind} object; got {value!r}. "
            f"Valid names: {list(self.names())}."
        )

    def names(self, *, aliases=True):
        """Sorted tuple of valid names, aliases included unless ``aliases=False``."""
        names = set(self._entries)
        if aliases:
            names |= set(self._aliases)
        return tuple(sorted(names))

    def items(self):
        """``(name, class)`` pairs of the registered entries (no aliases), sorted."""
        return [(name, self._entries[name]) for name in self.names(aliases=False)]

    def aliases_of(self, name):
        """The aliases registered for ``name``, sorted."""
        return tuple(sorted(a for a, target in self._aliases.items() if target == name))

    def __contains__(self, name):
        return name in self._entries or name in self._aliases

    def __repr__(self):
        return f"Registry({self.kind!r}, names={list(self.names())})"


def register(kind, name, *, aliases=()):
    """Register a component class under ``name``, so that estimators accept the name.

    Parameters
    ----------
    kind : {'activation', 'initializer', 'loss', 'optimizer', 'schedule', 'averaging'}
        The registry to add to ('solver' is the same as 'optimizer').
    name : str
        The name estimators will accept (``solver="my_rule"``).
    aliases : tuple of str, default=()
        Other names for the same class.

    Returns
    -------
    decorator
        Registers the class it decorates and returns it unchanged.

    Examples
    --------
    >>> import sknn
    >>> from sknn.optimizers import SGD
    >>> @sknn.register("optimizer", "slow_sgd")
    ... class SlowSGD(SGD):
    ...     "SGD at a tenth of the learning rate."
    ...     def step(self, theta, grad, state, lr):
    ...         super().step(theta, grad, state, lr / 10)
    >>> sknn.MLPClassifier(solver="slow_sgd", max_iter=5).solver
    'slow_sgd'
    """
    _load_registries()
    kind = "optimizer" if kind == "solver" else kind
    if kind not in REGISTRIES:
        raise ValueError(f"Unknown kind of component {kind!r}; valid: {sorted(REGISTRIES)}.")
    return REGISTRIES[kind].register(name, aliases=aliases)


def _load_registries():
    """Import every component module, so that each registry exists and is full."""
    from . import activations, averaging, initializers, losses, optimizers, schedules  # noqa: F401
