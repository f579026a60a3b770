"""The benchmark cases and the estimators they compare, at equal settings.

Every case trains the same architecture on the same data with the same solver
and hyperparameters in each library, for exactly the same number of epochs
(L-BFGS: iterations): ``tol=0`` and ``n_iter_no_change`` above ``max_iter``
disable early stopping, ``shuffle=True``, ``batch_size=200``. sknn uses
``weight_init="sklearn"`` so that both start from the same weights (draw for
draw), which also makes L-BFGS take comparable paths.
"""

import warnings
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from sklearn.datasets import load_digits, make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import StandardScaler

LIBS = ("sknn", "sklearn", "torch")


@dataclass(frozen=True)
class Case:
    """One benchmark: a data set, a network, a solver, a dtype and a length.

    ``iters`` / ``quick_iters`` are epochs for adam and sgd and iterations for
    lbfgs; ``quick`` mode also shrinks the synthetic data sets.
    """

    name: str
    task: str  # "clf" or "reg"
    data: str  # key of DATASETS
    hidden: tuple
    solver: str
    dtype: str
    iters: int
    quick_iters: int
    tags: tuple = field(default=())

    def n_iters(self, quick):
        return self.quick_iters if quick else self.iters


# ------------------------------------------------------------------- data
def _standardize(X):
    return StandardScaler().fit_transform(X)


def _digits(quick):
    X, y = load_digits(return_X_y=True)
    return _standardize(X), y


def _synth_clf(quick):
    n = 3_000 if quick else 20_000
    X, y = make_classification(
        n_samples=n, n_features=100, n_informative=40, n_classes=5, random_state=0
    )
    return _standardize(X), y


def _synth_reg(quick):
    n = 3_000 if quick else 20_000
    X, y = make_regression(n_samples=n, n_features=100, n_informative=40, noise=1.0,
                           random_state=0)
    return _standardize(X), (y - y.mean()) / y.std()


DATASETS = {"digits": _digits, "synth-clf": _synth_clf, "synth-reg": _synth_reg}


@lru_cache(maxsize=None)
def _dataset64(key, quick):
    return DATASETS[key](quick)


def load(case, quick):
    """``(X, y)`` of the case, X C-contiguous in the case's dtype."""
    X, y = _dataset64(case.data, quick)
    return np.ascontiguousarray(X, dtype=case.dtype), y


def describe_data(case, quick):
    X, y = _dataset64(case.data, quick)
    return f"{case.data} {X.shape[0]}x{X.shape[1]}"


# ------------------------------------------------------------------ cases
_DIGITS = (100,)
_BIG = (256, 128)

CASES = [
    Case("digits-adam-f64", "clf", "digits", _DIGITS, "adam", "float64", 30, 10, ("digits",)),
    Case("digits-adam-f32", "clf", "digits", _DIGITS, "adam", "float32", 30, 10, ("digits",)),
    Case("digits-sgd-f64", "clf", "digits", _DIGITS, "sgd", "float64", 30, 10, ("digits",)),
    Case("digits-lbfgs-f64", "clf", "digits", _DIGITS, "lbfgs", "float64", 50, 15, ("digits",)),
    Case("clf-adam-f64", "clf", "synth-clf", _BIG, "adam", "float64", 5, 2, ("synth",)),
    Case("clf-adam-f32", "clf", "synth-clf", _BIG, "adam", "float32", 5, 2, ("synth",)),
    Case("clf-sgd-f64", "clf", "synth-clf", _BIG, "sgd", "float64", 5, 2, ("synth",)),
    Case("clf-sgd-f32", "clf", "synth-clf", _BIG, "sgd", "float32", 5, 2, ("synth",)),
    Case("clf-lbfgs-f64", "clf", "synth-clf", _BIG, "lbfgs", "float64", 10, 4, ("synth",)),
    Case("clf-lbfgs-f32", "clf", "synth-clf", _BIG, "lbfgs", "float32", 10, 4, ("synth",)),
    Case("reg-adam-f64", "reg", "synth-reg", _BIG, "adam", "float64", 5, 2, ("reg",)),
    Case("reg-adam-f32", "reg", "synth-reg", _BIG, "adam", "float32", 5, 2, ("reg",)),
    Case("reg-sgd-f64", "reg", "synth-reg", _BIG, "sgd", "float64", 5, 2, ("reg",)),
    Case("reg-lbfgs-f64", "reg", "synth-reg", _BIG, "lbfgs", "float64", 10, 4, ("reg",)),
]

#: what ``--quick`` runs when no case is selected explicitly
QUICK_CASES = ("digits-adam-f64", "digits-lbfgs-f64", "clf-adam-f64", "clf-adam-f32",
               "reg-adam-f64")


def case_by_name(name):
    for case in CASES:
        if case.name == name:
            return case
    raise KeyError(f"unknown case {name!r}; known: {', '.join(c.name for c in CASES)}")


# ------------------------------------------------------------- estimators
def common_params(case, n_iters):
    return dict(
        hidden_layer_sizes=case.hidden,
        activation="relu",
        solver=case.solver,
        alpha=1e-4,
        batch_size=200,
        learning_rate="constant",
        learning_rate_init=1e-3,
        max_iter=n_iters,
        tol=0.0,
        n_iter_no_change=n_iters + 1,
        shuffle=True,
        random_state=0,
        momentum=0.9,
        nesterovs_momentum=True,
    )


def torch_available():
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def make_estimator(lib, case, n_iters):
    """A fresh, unfitted estimator of ``lib`` for ``case`` (None if it has none)."""
    params = common_params(case, n_iters)
    if lib == "sknn":
        import sknn

        cls = sknn.MLPClassifier if case.task == "clf" else sknn.MLPRegressor
        return cls(weight_init="sklearn", **params)
    if lib == "sklearn":
        from sklearn import neural_network

        cls = neural_network.MLPClassifier if case.task == "clf" else neural_network.MLPRegressor
        return cls(**params)
    if lib == "torch":
        if case.solver == "lbfgs" or not torch_available():
            return None
        from _torch_reference import TorchMLP

        return TorchMLP(task=case.task, dtype=case.dtype, **params)
    raise ValueError(lib)


def quiet(fn):
    """Call ``fn()`` with the expected ConvergenceWarning (max_iter reached) silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return fn()
