"""Checks of an implementation and of a training set-up.

``sanity_check`` runs the notes' checks of a set-up (initial loss, overfitting
a small subset, regularization raising the loss) and ``activation_stats``
gives per-hidden-layer activation statistics (both in ``_diagnostic_reports``).

``check_gradients`` compares the analytic gradient of an estimator's full
training objective (data loss plus penalties) with centered finite differences,
as the CS231n notes teach: in float64, on a few samples, entry by entry, with
the relative error ``|a - n| / max(|a|, |n|)``.

Two refinements keep the check sharp without false alarms. The centered
difference is Richardson-extrapolated, n = (4 D(h/2) - D(h)) / 3, which cancels
the O(h^2) truncation error so that a larger step (less round-off) can be used.
And an entry that is tiny cannot be resolved by any finite difference: the
round-off of D(h) is about ``1e-16 |f| / h``, 1e-12 for h = 1e-4. So the
denominator never falls below ``1e-5 * max(1, |f|)`` (round-off then stays
under 1e-7 of it) nor below ``1e-3`` times the array's largest entry. A wrong
formula shows errors at the scale of the gradient's real entries, which this
still reports: a 1% error is reported as about 1e-2.
"""

import copy as _copy
from dataclasses import dataclass as _dataclass
from dataclasses import field as _field
from numbers import Integral as _Integral
from numbers import Real as _Real

import numpy as np
from sklearn.base import clone as _clone
from sklearn.base import is_classifier as _is_classifier
from sklearn.utils import check_random_state as _check_random_state
from sklearn.utils.validation import _check_sample_weight, check_X_y as _check_X_y

from ._compat import Interval as _Interval
from ._compat import validate_parameter_constraints as _validate_parameter_constraints
from ._estimators import BaseMLP as _BaseMLP
from ._network import Network as _Network
from .training import driver_for as _driver_for
from ._network import build_layers as _build_layers
from ._diagnostic_reports import ActivationStatsReport, SanityCheckReport
from ._diagnostic_reports import _table
from ._diagnostic_reports import activation_stats, sanity_check

__all__ = [
    "ActivationStatsReport",
    "GradientCheckReport",
    "SanityCheckReport",
    "activation_stats",
    "check_gradients",
    "sanity_check",
]


def __dir__():
    """Only the public names (and the module's dunders), for dir() and completion."""
    return sorted({*__all__, *(name for name in globals() if name.startswith("__"))})


@_dataclass
class GradientCheckReport:
    """Result of ``check_gradients``.

    Attributes
    ----------
    max_relative_error : float
        Worst relative error over every checked entry.
    relative_errors : dict of str to float
        Worst relative error per parameter array, keyed ``"<layer index>:<layer
        class>.<array name>"`` (for example ``"0:Dense.W"``).
    n_checked : int
        Number of parameter entries compared.
    per_layer : list of dict
        One dict per layer of the network, in order, with keys ``"layer"``
        (index in the network), ``"type"`` (class name: ``Dense``,
        ``BatchNorm``, ``PReLULayer``, ``MaxoutLayer``, ``ActivationLayer``,
        ``Dropout``), ``"arrays"`` (names of its parameter arrays),
        ``"n_checked"`` and ``"max_relative_error"`` (worst over its arrays;
        None for a layer without parameters, whose backward pass is checked
        through the layers before it).
    """

    max_relative_error: float
    relative_errors: dict = _field(default_factory=dict)
    n_checked: int = 0
    per_layer: list = _field(default_factory=list)

    def __str__(self):
        rows = [(d["layer"], d["type"], ", ".join(d["arrays"]) or "-", d["n_checked"],
                 "-" if d["max_relative_error"] is None else f"{d['max_relative_error']:.3e}")
                for d in self.per_layer]
        if not rows:  # a report built by hand from per-array errors
            rows = [(name, "", "", "", f"{err:.3e}") for name, err in self.relative_errors.items()]
        table = _table(("layer", "type", "arrays", "checked", "max rel. error"), rows)
        return f"max relative error {self.max_relative_error:.3e}\n{table}"


def _relative_error(analytic, numerical, objective_value):
    """Entry-wise |a - n| / max(|a|, |n|, 1e-3 max|n|, 1e-5 max(1, |f|))."""
    scale = np.maximum(np.abs(analytic), np.abs(numerical))
    floor = max(
        1e-3 * float(np.abs(numerical).max(initial=0.0)),
        1e-5 * max(1.0, abs(objective_value)),
    )
    return np.abs(analytic - numerical) / np.maximum(scale, floor)


def _checked_estimator(estimator):
    """A copy of ``estimator`` to work on, after fit's parameter checks."""
    if not isinstance(estimator, _BaseMLP):
        what = estimator.__name__ if isinstance(estimator, type) else repr(estimator)
        raise TypeError(
            "check_gradients takes an sknn MLPClassifier or MLPRegressor instance "
            f"(fresh or fitted); got {what} of type {type(estimator).__module__}."
            f"{type(estimator).__qualname__}."
        )
    fitted = hasattr(estimator, "theta_")
    est = _copy.deepcopy(estimator) if fitted else _clone(estimator)
    est._validate_params()  # what fit checks first, with the same messages
    est._hidden_layer_sizes()
    est._check_driver(_driver_for(est._components().solver)(), incremental=False)
    return est, fitted


def _checked_data(est, X, y, sample_weight):
    """X, y and sample_weight validated as fit validates them (float64 X)."""
    X, y = _check_X_y(
        X, y, accept_sparse=["csr", "csc"], multi_output=True, dtype=np.float64,
        y_numeric=not _is_classifier(est),
    )
    if sample_weight is not None:
        sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float64)
    return X, y, sample_weight


_OPTION_CONSTRAINTS = {
    "X": ["array-like", "sparse matrix"],
    "y": ["array-like"],
    "sample_weight": ["array-like", None],
    "n_samples": [_Interval(_Integral, 1, None, closed="left")],
    "epsilon": [_Interval(_Real, 0, None, closed="neither")],
    "max_entries_per_array": [_Interval(_Integral, 1, None, closed="left")],
    "random_state": ["random_state"],
}


def check_gradients(
    estimator,
    X,
    y,
    sample_weight=None,
    *,
    n_samples=10,
    epsilon=1e-4,
    max_entries_per_array=40,
    random_state=0,
):
    """Compare an estimator's analytic gradient with centered differences.

    Works on a fresh estimator (its parameters are initialized as ``fit`` would
    initialize them) or a fitted one (its parameters are used, cast to
    float64). The estimator is not modified.

    X, y, ``sample_weight`` and the estimator's parameters are validated as
    ``fit`` validates them, with the same messages.

    Parameters
    ----------
    estimator : MLPClassifier or MLPRegressor
        An sknn estimator (scikit-learn's own MLP has no flat parameter
        vector to perturb; a TypeError says so).
    X : {array-like, sparse matrix} of shape (n_samples_total, n_features)
    y : array-like of shape (n_samples_total,) or (n_samples_total, n_outputs)
    sample_weight : array-like of shape (n_samples_total,), default=None
    n_samples : int, default=10
        Number of rows (drawn at random) the objective is evaluated on.
    epsilon : float, default=1e-4
        Step h of the centered difference D(h) = (f(x + h) - f(x - h)) / 2h,
        extrapolated with D(h / 2). Keep the inputs of kinked functions (ReLU,
        hinge, absolute error) farther than h from their kinks.
    max_entries_per_array : int, default=40
        Entries checked per parameter array (all of them if fewer); every
        array, biases included, is checked.
    random_state : int, default=0
        Seeds the choice of rows and entries, and the stochastic layers
        (the same draws are used for every evaluation).

    Returns
    -------
    report : GradientCheckReport
    """
    options = dict(X=X, y=y, sample_weight=sample_weight, n_samples=n_samples,
                   epsilon=epsilon, max_entries_per_array=max_entries_per_array,
                   random_state=random_state)
    _validate_parameter_constraints(_OPTION_CONSTRAINTS, options, caller_name="check_gradients")
    est, fitted = _checked_estimator(estimator)
    X, y, sample_weight = _checked_data(est, X, y, sample_weight)
    rng = _check_random_state(random_state)
    rows = rng.choice(X.shape[0], size=min(n_samples, X.shape[0]), replace=False)
    rows.sort()
    y = y[rows]
    sw = None if sample_weight is None else sample_weight[rows]
    X = X[rows]

    X, Y, sw, _, loss, arch = est._prepare(X, y, sw, incremental=fitted, reset=not fitted)
    if fitted:
        network = _Network(_build_layers(arch), np.float64, est.theta_.astype(np.float64),
                           est.buffers_.astype(np.float64))
    else:
        network = est._new_network(arch, np.float64, _check_random_state(est.random_state))
    objective = est._objective(network, loss)
    seed = rng.randint(np.iinfo(np.int32).max)
    buffers = network.buffers.copy()

    def evaluate():
        value = objective(X, Y, sw, rng=np.random.RandomState(seed))
        network.buffers[...] = buffers  # training-mode statistics must not drift
        return value

    value = evaluate()
    analytic = network.grad.copy()
    theta = network.theta
    errors, n_checked = {}, 0
    per_layer = [{"layer": i, "type": type(layer).__name__, "arrays": [], "n_checked": 0,
                  "max_relative_error": None} for i, layer in enumerate(network.layers)]
    for layer_index, name, part in network.layout.slices():
        size = part.stop - part.start
        picks = np.arange(size)
        if size > max_entries_per_array:
            picks = np.sort(rng.choice(size, max_entries_per_array, replace=False))
        numerical = np.empty(picks.shape[0])
        for k, offset in enumerate(picks):
            i = part.start + offset
            original = theta[i]
            differences = []
            for h in (epsilon, epsilon / 2):
                theta[i] = original + h
                plus = evaluate()
                theta[i] = original - h
                minus = evaluate()
                differences.append((plus - minus) / (2 * h))
            theta[i] = original
            numerical[k] = (4 * differences[1] - differences[0]) / 3
        key = f"{layer_index}:{type(network.layers[layer_index]).__name__}.{name}"
        err = _relative_error(analytic[part.start + picks], numerical, value)
        errors[key] = float(err.max()) if err.size else 0.0
        n_checked += picks.shape[0]
        entry = per_layer[layer_index]
        entry["arrays"].append(name)
        entry["n_checked"] += int(picks.shape[0])
        entry["max_relative_error"] = max(entry["max_relative_error"] or 0.0, errors[key])
    return GradientCheckReport(max(errors.values(), default=0.0), errors, n_checked, per_layer)
