"""Hyperparameter values checked before training, where scikit-learn's
parameter constraints cannot express the rule.

- ``hidden_layer_sizes`` entries must be integers (Python or NumPy, not bool):
  scikit-learn's MLP raises a TypeError for 5.5 or ``np.float32(5)`` when it
  draws the weights; sknn raises one naming the parameter before any work,
  instead of silently building 5 units (or 1 unit for ``True``).
- A 0-d array given for a per-layer parameter (``dropout=np.array(0.2)``)
  stands for its scalar.
"""

from numbers import Integral

import numpy as np


def as_scalar_if_0d(value):
    """The Python scalar in a 0-d array; any other value unchanged."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    return value


def _is_integer(value):
    return isinstance(value, Integral) and not isinstance(value, (bool, np.bool_))


def check_hidden_layer_sizes(sizes):
    """The hidden layer sizes as a tuple of int, refusing non-integer entries.

    Parameters
    ----------
    sizes : int or array-like of int
        The ``hidden_layer_sizes`` parameter.

    Returns
    -------
    tuple of int

    Raises
    ------
    TypeError
        An entry is not an integer (a float, a bool, a string...).
    ValueError
        An entry is not positive (scikit-learn's message).
    """
    sizes = as_scalar_if_0d(sizes)
    if not hasattr(sizes, "__iter__") or isinstance(sizes, str):
        sizes = [sizes]
    sizes = [as_scalar_if_0d(s) for s in sizes]
    for size in sizes:
        if not _is_integer(size):
            raise TypeError(
                "hidden_layer_sizes must contain integers (the number of units of "
                f"each hidden layer); got {size!r} of type {type(size).__name__} in "
                f"hidden_layer_sizes={sizes!r}."
            )
    if any(size <= 0 for size in sizes):
        raise ValueError("hidden_layer_sizes must be > 0, got %s." % sizes)
    return tuple(int(size) for size in sizes)
