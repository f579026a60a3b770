"""``python -m sknn``: cross-validate an MLPClassifier on the bundled digits data.

Trains ``StandardScaler -> MLPClassifier`` inside a scikit-learn Pipeline with
5-fold cross-validation and prints the per-fold accuracy and timings, beside
scikit-learn's own MLPClassifier on the same folds.
"""

import argparse
import time

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from . import MLPClassifier, __version__


def _report(name, result):
    scores = result["test_score"]
    print(
        f"{name:<28} accuracy {scores.mean():.4f} +- {scores.std():.4f}   "
        f"fit {np.median(result['fit_time']):.2f} s/fold (median)   "
        f"folds: {' '.join(f'{s:.3f}' for s in scores)}"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m sknn", description=__doc__)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--random-state", type=int, default=0)
    parser.add_argument(
        "--no-sklearn", action="store_true", help="skip the scikit-learn comparison"
    )
    args = parser.parse_args(argv)

    X, y = load_digits(return_X_y=True)
    cv = StratifiedKFold(args.folds, shuffle=True, random_state=args.random_state)
    print(f"sknn {__version__}: digits, {X.shape[0]} samples x {X.shape[1]} features, "
          f"{len(np.unique(y))} classes, {args.folds}-fold cross-validation")
    candidates = [("sknn.MLPClassifier", MLPClassifier(random_state=args.random_state))]
    if not args.no_sklearn:
        candidates.append(
            ("sklearn MLPClassifier", SklearnMLPClassifier(random_state=args.random_state))
        )
    for name, estimator in candidates:
        start = time.perf_counter()
        result = cross_validate(make_pipeline(StandardScaler(), estimator), X, y, cv=cv)
        _report(name, result)
        print(f"{'':<28} total {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
