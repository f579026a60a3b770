"""Grid, random and coarse-to-fine search at the same budget
==========================================================

Two measurements on the bundled digits data with an sknn MLPClassifier
(one hidden layer of 32 ReLU units, Adam, 10 epochs, 2-fold CV on 600 rows):

1. Random against grid search at 9 candidates, the notes' figure: only the
   learning rate matters much and ``alpha`` hardly at all. A 3 x 3 grid tries
   3 distinct learning rates; random search tries 9.
2. Coarse-to-fine (``sknn.search.CoarseToFineSearchCV``, 3 rounds) against
   ``RandomizedSearchCV`` at 18 candidates over the learning rate, Adam's
   beta_1 (1 - beta_1 on a log scale) and ``alpha``.

Every search is repeated over several seeds (the seed of the search and of
the network); the script prints the mean best cross-validated accuracy and
the held-out accuracy of the refitted best model. Run it with
``python examples/search_budgets.py`` (about 16 s on one core);
``--help`` lists the options.

Output of one run (2026-12-01, one BLAS thread, 8 seeds)::

    search                           candidates rates tried best CV acc  test acc
    grid (2 parameters)                       9         3.0       0.905     0.926
    random (2 parameters)                     9         9.0       0.931     0.946
    random (3 parameters)                    18        18.0       0.932     0.945
    coarse-to-fine (3 parameters)            18        18.0       0.934     0.942

Random search beats the grid (9 learning rates tried instead of 3). Here
coarse-to-fine only ties with random search: on digits a wide band of rates
trains well, so the first round already lands in it and 2-fold CV on 600
rows cannot tell the finalists apart. Narrowing pays where the good region
is small (the test's bowl: best score -0.63 against -1.31).
"""

import warnings

import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknn import MLPClassifier
from sknn.optimizers import Adam
from sknn.search import CoarseToFineSearchCV, LogUniform, LogUniformBeta

RATE = "mlpclassifier__solver__learning_rate_init"
ALPHA = "mlpclassifier__alpha"
BETA_1 = "mlpclassifier__solver__beta_1"


def load_split(n_train=600, random_state=0):
    """Digits: ``n_train`` rows to search on, the rest held out."""
    X, y = load_digits(return_X_y=True)
    return train_test_split(X, y, train_size=n_train, stratify=y, random_state=random_state)


def pipeline(seed, max_iter):
    net = MLPClassifier((32,), solver=Adam(), max_iter=max_iter, on_divergence="raise",
                        random_state=seed)
    return make_pipeline(StandardScaler(), net)


def searches(seed, n_iter, max_iter):
    """The searches compared, by name: (search, its candidates per parameter)."""
    side = int(round(n_iter ** 0.5))
    grid = {RATE: list(np.logspace(-4, 0, side)), ALPHA: list(np.logspace(-6, -1, side))}
    space2 = {RATE: LogUniform(1e-4, 1.0), ALPHA: LogUniform(1e-6, 1e-1)}
    space3 = {**space2, BETA_1: LogUniformBeta(0.0, 0.999)}
    common = dict(cv=2, error_score=np.nan)
    return {
        "grid (2 parameters)": GridSearchCV(pipeline(seed, max_iter), grid, **common),
        "random (2 parameters)": RandomizedSearchCV(
            pipeline(seed, max_iter), space2, n_iter=side * side, random_state=seed, **common),
        "random (3 parameters)": RandomizedSearchCV(
            pipeline(seed, max_iter), space3, n_iter=2 * n_iter, random_state=seed, **common),
        "coarse-to-fine (3 parameters)": CoarseToFineSearchCV(
            pipeline(seed, max_iter), space3, n_iter=2 * n_iter, n_rounds=3,
            random_state=seed, **common),
    }


def run(seeds=(0, 1, 2), n_iter=9, max_iter=10, n_train=600):
    """One row per (search, seed): best CV score, held-out score, distinct rates tried."""
    X_train, X_test, y_train, y_test = load_split(n_train)
    rows = []
    for seed in seeds:
        for name, search in searches(seed, n_iter, max_iter).items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                warnings.simplefilter("ignore", RuntimeWarning)  # FitFailedWarning
                warnings.simplefilter("ignore", UserWarning)  # non-finite test scores
                search.fit(X_train, y_train)
            rates = {p[RATE] for p in search.cv_results_["params"]}
            rows.append(dict(search=name, seed=seed, cv=search.best_score_,
                             test=search.score(X_test, y_test), n_rates=len(rates),
                             n_candidates=len(search.cv_results_["params"])))
    return rows


def report(rows):
    names = list(dict.fromkeys(row["search"] for row in rows))
    lines = [f"{'search':32s} {'candidates':>10s} {'rates tried':>11s} "
             f"{'best CV acc':>11s} {'test acc':>9s}"]
    for name in names:
        mine = [row for row in rows if row["search"] == name]
        lines.append(
            f"{name:32s} {mine[0]['n_candidates']:10d} "
            f"{np.mean([r['n_rates'] for r in mine]):11.1f} "
            f"{np.mean([r['cv'] for r in mine]):11.3f} {np.mean([r['test'] for r in mine]):9.3f}"
        )
    return "\n".join(lines)


def compute(quick, out, seeds, n_iter, max_iter):
    import _common  # the examples' folder is on sys.path when a script runs

    seeds, max_iter = (1, 5) if quick else (seeds, max_iter)
    rows = run(seeds=tuple(range(seeds)), n_iter=n_iter, max_iter=max_iter)
    text = (f"MLPClassifier((32,), Adam, {max_iter} epochs) on 600 digits rows, 2-fold CV; "
            f"mean over {seeds} seeds\n\n" + report(rows) + f"\n\n{len(rows)} searches")
    best = {name: np.mean([r["cv"] for r in rows if r["search"] == name])
            for name in dict.fromkeys(row["search"] for row in rows)}
    path = _common.bar_figure(best, "best cross-validated accuracy (mean over seeds)",
                              f"Searches at equal budgets, {seeds} seed(s)",
                              out / "best_scores.png")
    return text, [path], rows


def add_arguments(parser):
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--n-iter", type=int, default=9, help="grid and random budget")
    parser.add_argument("--max-iter", type=int, default=10, help="epochs per fit")


def main(argv=None):
    import _common

    return _common.main(__doc__, "1 seed, 5 epochs per fit (for CI)", compute, argv,
                        add_arguments)


if __name__ == "__main__":
    main()
