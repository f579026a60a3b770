"""``sanity_check`` and ``activation_stats`` of ``sknn.diagnostics`` (their reports).

Both work on copies: the estimator passed is never modified.
"""

import copy
import warnings
from dataclasses import asdict, dataclass, field

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils.validation import validate_data

from ._network import Network, Objective, build_layers
from .activations import ACTIVATIONS, LeakyReLU, Logistic, PReLU, ReLU, Tanh

#: regularization switched off for the initial-loss and overfitting checks
NO_REGULARIZATION = {"alpha": 0.0, "l1": 0.0, "dropout": 0.0, "input_dropout": 0.0,
                     "max_norm": None}
#: the L2 strengths of the regularization check, in increasing order
ALPHAS = (0.0, 0.1, 1.0, 10.0)


def _table(header, rows):
    """A plain-text table: columns padded to their widest cell."""
    cells = [list(header)] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _fmt(value):
    if value is None:
        return "-"
    if isinstance(value, (float, np.floating)):
        return f"{value:.4g}"
    return str(value)


# ----------------------------------------------------------------- sanity check
@dataclass
class SanityCheckReport:
    """Result of ``sanity_check``: the notes' three checks, each with its numbers.

    Attributes
    ----------
    checks : list of dict
        One dict per check, with keys ``"check"`` (``"initial_loss"``,
        ``"overfit_small_subset"``, ``"regularization_raises_loss"``),
        ``"passed"`` (bool, or None when the check does not apply),
        ``"value"`` (what was measured), ``"expected"`` (what it is compared
        with), ``"tolerance"`` and ``"details"`` (a sentence with the numbers,
        including what the expectation is).
    """

    checks: list = field(default_factory=list)

    @property
    def passed(self):
        """True when no applicable check failed."""
        return all(c["passed"] is not False for c in self.checks)

    def as_dict(self):
        """The report as plain data (lists, dicts, floats, strings)."""
        return asdict(self)

    def __getitem__(self, name):
        """The check named ``name`` (``report["initial_loss"]``)."""
        for check in self.checks:
            if check["check"] == name:
                return check
        raise KeyError(name)

    def __str__(self):
        status = {True: "pass", False: "FAIL", None: "n/a"}
        rows = [(c["check"], status[c["passed"]], _fmt(c["value"]), _fmt(c["expected"]),
                 _fmt(c["tolerance"])) for c in self.checks]
        table = _table(("check", "result", "value", "expected", "tolerance"), rows)
        notes = "\n".join(f"- {c['check']}: {c['details']}" for c in self.checks)
        return f"{table}\n{notes}"


def _expected_loss_text(loss, n_outputs):
    """What the loss of all-zero logits is, in words, for the report."""
    name, target = loss.name, loss.target_type
    if name == "log_loss":
        if target == "multiclass":
            return f"ln C = ln {n_outputs} (uniform softmax over {n_outputs} classes)"
        return f"ln 2 per sigmoid output ({n_outputs} x ln 2)"
    if name == "hinge":
        return "the hinge loss of all-zero scores (C - 1, or 1 per label)"
    if name == "squared_error":
        return ("0.5 * mean(y^2), the loss of a zero output (half the target variance "
                "when y is centred)")
    return f"the {name} loss of an all-zero output"


def _regularization_off(estimator):
    est = clone(estimator)
    params = est.get_params(deep=False)
    est.set_params(**{k: v for k, v in NO_REGULARIZATION.items() if k in params})
    return est


def _initial_objective(estimator, X, y):
    """A fresh float64 network for (X, y), as ``fit`` would draw it, and its data."""
    est = clone(estimator)
    X, Y, sw, _, loss, arch = est._prepare(X, y, None, incremental=False, reset=True)
    X = X.astype(np.float64, copy=False)
    Y = Y.astype(np.float64, copy=False)
    network = est._new_network(arch, np.float64, check_random_state(est.random_state))
    return network, loss, X, Y, sw


def _loss_at(network, loss, X, Y, sw, alpha=0.0):
    """Training-mode objective value (data loss + L2 penalty), state restored."""
    buffers = network.buffers.copy()
    value = Objective(network, loss, alpha=alpha)(X, Y, sw, rng=np.random.RandomState(0))
    network.buffers[...] = buffers
    return float(value)


def _subset_rows(est, y, n_rows, rng):
    """About ``n_rows`` random rows; for a classifier, every class at least once."""
    n = y.shape[0]
    order = rng.permutation(n)
    if not is_classifier(est) or y.ndim > 1:
        return np.sort(order[:n_rows])
    _, first = np.unique(y[order], return_index=True)
    chosen = list(order[first])
    taken = set(chosen)
    chosen += [i for i in order if i not in taken][: max(0, n_rows - len(chosen))]
    return np.sort(np.asarray(chosen))


def sanity_check(estimator, X, y, *, n_overfit=20, random_state=0, loss_tolerance=0.1,
                 overfit_max_iter=2000):
    """The notes' sanity checks of a set-up, before a long training run.

    1. ``initial_loss``: with regularization off (``alpha=0``, ``l1=0``, no
       dropout, no max-norm), the training loss of the initial network on
       (X, y) is compared with the loss of all-zero logits: ln C for a
       C-class softmax, ln 2 per output for sigmoids (binary, multilabel),
       0.5 mean(y^2) for the squared error. Passes when the relative
       difference is at most ``loss_tolerance``. The weights are those the
       estimator's ``weight_init`` draws: ``"auto"`` gives small output
       weights and starts very near the expectation; scikit-learn's
       ``"sklearn"`` draw gives larger logits and starts above it, by how
       much depends on the widths (the report gives the numbers).
    2. ``overfit_small_subset``: about ``n_overfit`` rows (every class
       included) are fitted with regularization off and up to
       ``overfit_max_iter`` epochs; passes at 100% training accuracy
       (classifier) or a training R^2 of at least 0.99 (regressor).
    3. ``regularization_raises_loss``: the initial objective (data loss plus
       L2 penalty) at ``alpha`` = 0, 0.1, 1 and 10 on the same initial
       weights; passes when it strictly increases.

    Parameters
    ----------
    estimator : MLPClassifier or MLPRegressor
        Fresh or fitted; only its parameters are used (on clones).
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
    n_overfit : int, default=20
    random_state : int, default=0
        Seeds the choice of the subset.
    loss_tolerance : float, default=0.1
        Relative tolerance of the initial-loss check.
    overfit_max_iter : int, default=2000
        At least this many epochs for the overfitting check (the estimator's
        own ``max_iter`` when larger); ``tol`` is set to 0.

    Returns
    -------
    report : SanityCheckReport
    """
    from .diagnostics import _checked_data, _checked_estimator  # check_gradients' refusals

    checked, _ = _checked_estimator(estimator)
    X, y, _ = _checked_data(checked, X, y, None)
    base = _regularization_off(estimator)
    network, loss, Xf, Y, sw = _initial_objective(base, X, y)

    checks = []
    value = _loss_at(network, loss, Xf, Y, sw)
    expected = float(loss.value_and_grad(Y, np.zeros((Xf.shape[0], Y.shape[1])), sw)[0])
    relative = abs(value - expected) / max(abs(expected), 1e-12)
    checks.append({
        "check": "initial_loss",
        "passed": bool(relative <= loss_tolerance),
        "value": value,
        "expected": expected,
        "tolerance": loss_tolerance,
        "details": (f"initial loss {value:.4f} (regularization off, weight_init="
                    f"{estimator.weight_init!r}) vs expected {expected:.4f} = "
                    f"{_expected_loss_text(loss, Y.shape[1])}; relative difference "
                    f"{relative:.3f}, tolerance {loss_tolerance}"),
    })

    rng = check_random_state(random_state)
    y_arr = y
    rows = _subset_rows(estimator, y_arr, n_overfit, rng)
    small = base.set_params(
        max_iter=max(overfit_max_iter, estimator.max_iter), tol=0.0, early_stopping=False,
    )
    X_small = X[rows]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        small.fit(X_small, y_arr[rows])
    score = float(small.score(X_small, y_arr[rows]))
    target = 1.0 if is_classifier(estimator) else 0.99
    what = "training accuracy" if is_classifier(estimator) else "training R^2"
    checks.append({
        "check": "overfit_small_subset",
        "passed": bool(score >= target),
        "value": score,
        "expected": target,
        "tolerance": 0.0 if is_classifier(estimator) else 0.01,
        "details": (f"{what} {score:.4f} on {len(rows)} rows after {small.n_iter_} epochs "
                    f"(final loss {small.loss_:.3g}), regularization off; needs >= {target}"),
    })

    values = [_loss_at(network, loss, Xf, Y, sw, alpha=a) for a in ALPHAS]
    rising = bool(np.all(np.diff(values) > 0))
    checks.append({
        "check": "regularization_raises_loss",
        "passed": rising,
        "value": values[-1],
        "expected": f"> {values[0]:.4g}",
        "tolerance": None,
        "details": "initial objective at alpha = " + ", ".join(
            f"{a:g}: {v:.4f}" for a, v in zip(ALPHAS, values)
        ) + ("" if rising else " (does not increase)"),
    })
    return SanityCheckReport(checks)


# ------------------------------------------------------------ activation stats
#: the keys of every ``ActivationStatsReport.layers`` entry
LAYER_KEYS = ("layer", "activation", "mean", "std", "saturated", "dead", "values")


@dataclass
class ActivationStatsReport:
    """Result of ``activation_stats``.

    Attributes
    ----------
    layers : list of dict
        One dict per hidden layer with exactly the keys ``"layer"`` (hidden
        layer index, from 0), ``"activation"`` (registered name, or class
        name), ``"mean"`` and ``"std"`` (floats, over every unit and row),
        ``"saturated"`` (fraction of unit-rows with ``|a| > 0.99`` for tanh,
        ``a < 0.01`` or ``a > 0.99`` for logistic; 0.0 for other activations), ``"dead"``
        (fraction exactly 0 for relu, leaky_relu and prelu; 0.0 for others)
        and ``"values"`` (ndarray of shape (n_rows, n_units), the
        activations).
    n_rows : int
        Rows the statistics are computed on (at most ``max_rows``).
    trained : bool
        Whether the estimator had been trained (``n_iter_ > 0``); False for
        an unfitted estimator (initialized here) or one from ``initialize``.
    """

    layers: list = field(default_factory=list)
    n_rows: int = 0
    trained: bool = False

    def as_dict(self):
        """Plain data; ``values`` stay arrays."""
        return {"layers": [dict(layer) for layer in self.layers], "n_rows": self.n_rows,
                "trained": self.trained}

    def __str__(self):
        rows = [(d["layer"], d["activation"], d["values"].shape[1], f"{d['mean']:+.4f}",
                 f"{d['std']:.4f}", f"{d['saturated']:.3f}", f"{d['dead']:.3f}")
                for d in self.layers]
        state = "trained" if self.trained else "initialized, untrained"
        head = f"activations of {len(self.layers)} hidden layers on {self.n_rows} rows ({state})"
        return head + "\n" + _table(
            ("layer", "activation", "units", "mean", "std", "saturated", "dead"), rows)


def _activation_name(component):
    if isinstance(component, str):
        component = ACTIVATIONS.get(component)()
    return component.name or type(component).__name__, component


def _layer_stats(index, component, values):
    name, component = _activation_name(component)
    if isinstance(component, Tanh):
        saturated = float(np.mean(np.abs(values) > 0.99))
    elif isinstance(component, Logistic):
        saturated = float(np.mean((values < 0.01) | (values > 0.99)))
    else:
        saturated = 0.0
    dead = float(np.mean(values == 0)) if isinstance(component, (ReLU, LeakyReLU, PReLU)) else 0.0
    return {"layer": index, "activation": name, "mean": float(values.mean()),
            "std": float(values.std()), "saturated": saturated, "dead": dead,
            "values": values}


def activation_stats(estimator, X, y=None, *, max_rows=1000, random_state=0):
    """Per hidden layer, statistics of the activations on X (inference mode).

    A fitted estimator is used as it is; an unfitted one is initialized for
    (X, y) without training, on a clone, through its public ``initialize``
    (so ``y`` is needed then). Dropout is inactive and batch norm uses its
    running statistics, as in ``predict``.

    Parameters
    ----------
    estimator : MLPClassifier or MLPRegressor
        Not modified.
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
    y : array-like, default=None
        Needed for an unfitted estimator.
    max_rows : int, default=1000
        At most this many rows (a random subset, in order) are used.
    random_state : int, default=0
        Seeds the subset when X has more than ``max_rows`` rows.

    Returns
    -------
    report : ActivationStatsReport
    """
    from .diagnostics import _checked_estimator

    _checked_estimator(estimator)
    fitted = hasattr(estimator, "theta_")
    if fitted:
        est = estimator
    else:
        if y is None:
            raise ValueError(
                "activation_stats needs y for an unfitted estimator: it is initialized "
                "for (X, y) without training (estimator.initialize(X, y))."
            )
        est = clone(estimator).initialize(X, y)
    X = validate_data(est, X, accept_sparse=["csr", "csc"], reset=False)
    if X.shape[0] > max_rows:
        rows = np.sort(check_random_state(random_state).choice(X.shape[0], max_rows,
                                                                replace=False))
        X = X[rows]
    theta, buffers = est._inference_theta(), est._inference_buffers()
    layers = build_layers(copy.deepcopy(est._arch))
    network = Network(layers, theta.dtype, theta, buffers)
    out = X.astype(theta.dtype, copy=False)
    reports, hidden = [], 0
    for layer in network.layers:
        out = layer.infer(out)  # never in place: est's arrays are left alone
        if layer.nonlinearity is not None:
            values = np.array(out, copy=True)
            reports.append(_layer_stats(hidden, est._arch["activations"][hidden], values))
            hidden += 1
    return ActivationStatsReport(reports, int(X.shape[0]), bool(getattr(est, "n_iter_", 0)))
