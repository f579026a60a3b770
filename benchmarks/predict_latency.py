"""One-row ``predict_proba`` latency of a small network, sknn beside scikit-learn.

A (32,) network on the digits data, fitted by both libraries with the same
settings; then interleaved rounds, each timing ``predict_proba`` on one row
for each library (``time_per_call`` over at least 20 ms), and the median of
the per-round ratios sknn / scikit-learn. The goal of the engine issue: at
most 1.3. Run with ``python -m benchmarks.predict_latency [--rounds N]``.
"""

import argparse
import statistics
import warnings

from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier as SklearnMLP
from sklearn.preprocessing import StandardScaler

from sknn import MLPClassifier

from . import _harness as h


def fitted_pair(hidden=(32,)):
    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    params = dict(hidden_layer_sizes=hidden, max_iter=20, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return X, MLPClassifier(**params).fit(X, y), SklearnMLP(**params).fit(X, y)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds (default 15)")
    args = parser.parse_args(argv)
    X, ours, theirs = fitted_pair()
    row = X[:1]
    ours.predict_proba(row), theirs.predict_proba(row)  # warm-up
    times, ratios = {"sknn": [], "sklearn": []}, []
    for _ in range(args.rounds):
        t_ours = h.time_per_call(lambda: ours.predict_proba(row), min_time=0.02, max_calls=10**5)
        t_theirs = h.time_per_call(lambda: theirs.predict_proba(row), min_time=0.02,
                                   max_calls=10**5)
        times["sknn"].append(t_ours)
        times["sklearn"].append(t_theirs)
        ratios.append(t_ours / t_theirs)
    print(f"1-row predict_proba, (32,) network on digits, {args.rounds} interleaved rounds")
    for lib, values in times.items():
        print(f"  {lib:<8} median {statistics.median(values) * 1e6:7.1f} us")
    print(f"  sknn / sklearn: median ratio {statistics.median(ratios):.2f} (goal <= 1.3)")
    return statistics.median(ratios)


if __name__ == "__main__":
    main()
