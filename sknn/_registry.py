"""A name -> implementation table shared by every pluggable concept."""

import inspect


class Registry:
    """Map names (and aliases) to implementations of one kind of component.

    Parameters
    ----------
    kind : str
        What the entries are ("activation", "loss", ...), used in error messages.

    Examples
    --------
    >>> SHAPES = Registry("shape")
    >>> @SHAPES.register("square", aliases=("box",))
    ... class Square:
    ...     "A square."
    >>> SHAPES.get("box").__name__
    'Square'
    """

    def __init__(self, kind):
        self.kind = kind
        self._entries = {}
        self._aliases = {}
        self._accepted = {}  # entry -> names of its constructor's parameters

    def register(self, name, *, aliases=()):
        """Decorator that registers ``obj`` under ``name`` and its ``aliases``."""

        def decorator(obj):
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
            raise ValueError(
                f"{self.kind} must be given by name, got {name!r} of type "
                f"{type(name).__name__}. Valid options: {list(self.names())}."
            )
        name = self._aliases.get(name, name)
        if name not in self._entries:
            raise ValueError(
                f"Unknown {self.kind} {name!r}. Valid options: {list(self.names())}."
            )
        return name

    def get(self, name):
        """The implementation registered under ``name`` (or one of its aliases)."""
        return self._entries[self.canonical(name)]

    def build(self, name, /, **options):
        """Instantiate the entry ``name`` with the ``options`` its constructor takes.

        Options the constructor does not accept are ignored, so that callers can
        pass every estimator-level setting (``negative_slope``, ``elu_alpha``, ...)
        and each component picks the ones it understands.
        """
        cls = self.get(name)
        accepted = self._accepted.get(cls)
        if accepted is None:  # inspect.signature costs 20-80 us; predict builds entries
            accepted = self._accepted[cls] = frozenset(inspect.signature(cls).parameters)
        return cls(**{key: value for key, value in options.items() if key in accepted})

    def names(self, *, aliases=True):
        """Sorted tuple of valid names, aliases included unless ``aliases=False``."""
        names = set(self._entries)
        if aliases:
            names |= set(self._aliases)
        return tuple(sorted(names))

    def __contains__(self, name):
        return name in self._entries or name in self._aliases

    def __repr__(self):
        return f"Registry({self.kind!r}, names={list(self.names())})"
