"""Saving and loading fitted estimators without pickle, through ``skops.io``.

``skops.io`` never unpickles: a file holds a JSON description and arrays,
and loading refuses every type the caller has not trusted. ``dump`` writes
a fitted sknn estimator (or a Pipeline or search holding one);
``load`` reads it back trusting exactly ``trusted_types()`` (sknn's
estimators and registered components) plus what skops trusts by default
(NumPy, SciPy and scikit-learn types). Anything else in the file, such as a
user callback, a custom scorer or a component class registered outside
sknn, is code that loading would import: ``load`` refuses it, naming each
type and where it sits, until you review it and pass it in ``trusted``.

Every sknn estimator also stamps its fitted state with the sknn version and
the format of that state (in ``__getstate__``, so pickle, joblib, skops and
``copy.deepcopy`` all carry it). A state saved by another sknn version
loads with an ``InconsistentVersionWarning`` when its format is the
current one, and raises a ``ValueError`` naming both versions otherwise.

Requires the ``persistence`` extra (``pip install "sknn[persistence]"``).
"""

import importlib
import io
import json
import os
import warnings
import zipfile

from sklearn.base import BaseEstimator
from sklearn.exceptions import InconsistentVersionWarning as _SklearnVersionWarning

#: the layout of the fitted state this sknn writes and reads
STATE_FORMAT = 1
#: what a fitted state of this format holds at least
_FITTED_KEYS = ("theta_", "buffers_", "_arch", "_loss", "training_state_", "n_iter_")
_VERSION_KEY, _FORMAT_KEY = "_sknn_version", "_sknn_state_format"

_WHY = {
    "callbacks": "a user callback is code that loading would import and run",
    "scoring": "a custom scorer is code that loading would import and run",
}
_WHY_DEFAULT = "a type outside sknn and skops' defaults: loading would import it"

__all__ = [
    "InconsistentVersionWarning",
    "UntrustedTypesError",
    "dump",
    "load",
    "trusted_types",
]


class InconsistentVersionWarning(_SklearnVersionWarning):
    """A model saved by another sknn version was loaded.

    A subclass of scikit-learn's warning of the same name, so filters on
    that one also catch it.

    Parameters
    ----------
    estimator_name : str
    current_sknn_version, original_sknn_version : str
    """

    def __init__(self, *, estimator_name, current_sknn_version, original_sknn_version):
        super().__init__(
            estimator_name=estimator_name,
            current_sklearn_version=current_sknn_version,
            original_sklearn_version=original_sknn_version,
        )

    def __str__(self):
        return (
            f"Loading {self.estimator_name} saved by sknn {self.original_sklearn_version} "
            f"with sknn {self.current_sklearn_version}: the fitted-state format is the "
            "same, but results may differ. Refit with this version to be sure."
        )


class UntrustedTypesError(TypeError):
    """A file holds types that neither sknn nor skops trusts by default.

    ``load`` raises it before importing anything from the file. ``types``
    lists the type names; pass the ones you have reviewed as
    ``load(file, trusted=...)``.

    Parameters
    ----------
    types : dict
        Untrusted type name -> the places it occurs in the file.
    """

    def __init__(self, types):
        self.types = sorted(types)
        lines = [
            f"- {name} at {', '.join(places)}: {_reason(places)}"
            for name, places in sorted(types.items())
        ]
        super().__init__(
            "The file holds types that sknn.persistence.load does not trust:\n"
            + "\n".join(lines)
            + "\nReview them, then load with sknn.persistence.load(file, "
            f"trusted={self.types!r}).",
        )


def _reason(places):
    for place in places:
        for attribute, why in _WHY.items():
            if f".{attribute}" in place:
                return why
    return _WHY_DEFAULT


def _is_public(cls):
    """Whether ``cls`` is reachable under its reported, underscore-free module."""
    module = cls.__module__
    if any(part.startswith("_") for part in module.split(".")):
        return False
    try:
        return getattr(importlib.import_module(module), cls.__qualname__, None) is cls
    except ImportError:
        return False


def _sknn_types():
    import sknn
    from sknn import layers  # noqa: F401  (registers the activations with parameters)
    from sknn._registry import REGISTRIES

    estimators = [
        obj for name in sknn.__all__
        if isinstance(obj := getattr(sknn, name), type) and issubclass(obj, BaseEstimator)
    ]
    components = [
        cls for registry in REGISTRIES.values() for _, cls in registry.items()
        if cls.__module__.split(".")[0] == "sknn"
    ]
    from sknn.batched_ensemble import EnsembleLoss  # the loss of n_members > 1
    from sknn.preprocessing import RobustSmoothClipTransformer  # tabular preprocessor_

    return estimators + components + [EnsembleLoss, RobustSmoothClipTransformer]


def trusted_types():
    """The names of the sknn types a fitted sknn estimator may hold.

    Its estimators and the components registered by sknn itself (not those
    added with ``sknn.register``); all under their public paths.

    Returns
    -------
    list of str
        Sorted, e.g. ``['sknn.MLPClassifier', ..., 'sknn.optimizers.Adam', ...]``.
    """
    names = set()
    for cls in _sknn_types():
        if not _is_public(cls):
            raise RuntimeError(f"{cls!r} is not reachable under its public name.")
        names.add(f"{cls.__module__}.{cls.__qualname__}")
    return sorted(names)


def dump(estimator, file):
    """Write ``estimator`` to ``file`` with ``skops.io`` (no pickle).

    Parameters
    ----------
    estimator : object
        A fitted (or unfitted) sknn estimator, or any object skops can write
        such as a Pipeline holding one.
    file : str, path-like or binary file object
    """
    import skops.io

    skops.io.dump(estimator, file)


def _read(file):
    if isinstance(file, (str, os.PathLike)):
        with open(file, "rb") as handle:
            return handle.read()
    return file.read()


def _places(node, path, found):
    """Map every ``module.class`` in a skops schema to the paths it occurs at."""
    if isinstance(node, dict):
        if "__module__" in node and "__class__" in node:
            found.setdefault(f"{node['__module__']}.{node['__class__']}", []).append(path)
            node = node.get("content")
            if isinstance(node, dict) and "__module__" in node:  # an object's attributes
                node = node.get("content")
        if isinstance(node, dict):
            for key, child in node.items():
                _places(child, f"{path}.{key}", found)
        elif isinstance(node, list):
            for i, child in enumerate(node):
                _places(child, f"{path}[{i}]", found)
    elif isinstance(node, list):
        for i, child in enumerate(node):
            _places(child, f"{path}[{i}]", found)
    return found


def _where(data, names):
    schema = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("schema.json"))
    found = _places(schema.get("content"), schema.get("__class__", "estimator"), {})
    return {name: sorted(set(found.get(name, ["the file"])))[:3] for name in names}


def load(file, trusted=None):
    """Read an estimator written by ``dump``, trusting only sknn's types.

    Parameters
    ----------
    file : str, path-like or binary file object
    trusted : list of str, optional
        More type names to trust, after reviewing them: those an
        ``UntrustedTypesError`` names (``skops.io.get_untrusted_types``
        lists them too).

    Returns
    -------
    object
        The estimator, predicting exactly as when it was saved.

    Raises
    ------
    UntrustedTypesError
        The file holds other types (a user callback, a custom scorer, a
        component class registered outside sknn), with where each occurs.
    ValueError
        The model was saved by another sknn version with another format of
        the fitted state.
    """
    import skops.io

    data = _read(file)
    allowed = set(trusted_types()) | set(trusted or ())
    extra = [name for name in skops.io.get_untrusted_types(data=data) if name not in allowed]
    if extra:
        raise UntrustedTypesError(_where(data, extra))
    return skops.io.loads(data, trusted=sorted(allowed))


def stamp(state):
    """Add the sknn version and the state format to an estimator's ``__getstate__``."""
    from . import __version__

    state[_VERSION_KEY] = __version__
    state[_FORMAT_KEY] = STATE_FORMAT
    return state


def check_stamp(estimator_name, state):
    """Remove the stamp from a loaded state; warn or raise when it is not this sknn's.

    Parameters
    ----------
    estimator_name : str
    state : dict
        The state given to ``__setstate__``, changed in place.

    Raises
    ------
    ValueError
        A fitted state of another format, or one missing what this format
        holds, naming both sknn versions.
    """
    from . import __version__

    saved = state.pop(_VERSION_KEY, None)
    fmt = state.pop(_FORMAT_KEY, None)
    if saved == __version__ and fmt == STATE_FORMAT:
        return
    saved_name = saved or "an unknown version (no version stamp)"
    if "theta_" in state:
        missing = [key for key in _FITTED_KEYS if key not in state]
        if (fmt is not None and fmt != STATE_FORMAT) or missing:
            detail = f"; it lacks {missing}" if missing else ""
            raise ValueError(
                f"This {estimator_name} was saved by sknn {saved_name} with fitted-state "
                f"format {fmt}{detail}, and sknn {__version__} reads format "
                f"{STATE_FORMAT}. Load it with sknn {saved or 'the version that saved it'}, "
                f"or refit it with sknn {__version__}."
            )
    warnings.warn(
        InconsistentVersionWarning(
            estimator_name=estimator_name,
            current_sknn_version=__version__,
            original_sknn_version=saved_name,
        )
    )
