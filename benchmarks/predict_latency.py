"""One-row ``predict_proba`` latency of a small network, sknn beside scikit-learn.

A (32,) network on the digits data, fitted by both libraries with the same
settings; then interleaved rounds, each timing ``predict_proba`` on one row
for each library (``time_per_call`` over at least 20 ms), and the median of
the per-round ratios sknn / scikit-learn. The goal of the engine issue: at
most 1.3. Run with ``python -m benchmarks.predict_latency [--rounds N]``.

``--tabular`` times the tabular defaults instead, on breast_cancer: a
``TabularMLPClassifier`` of one network and the default (five members on
these 569 rows) beside scikit-learn's default MLP, one row each, at one BLAS
thread.
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


def tabular_latency(rounds, max_iter=5):
    """Median one-row ``predict_proba`` times (s) of the tabular defaults and sklearn's MLP."""
    from sklearn.datasets import load_breast_cancer
    from threadpoolctl import threadpool_limits

    from sknn import TabularMLPClassifier

    X, y = load_breast_cancer(return_X_y=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        models = {
            "Tabular, one network": TabularMLPClassifier(n_members=1, max_iter=max_iter,
                                                         random_state=0).fit(X, y),
            "Tabular, default (5 members)": TabularMLPClassifier(max_iter=max_iter,
                                                                 random_state=0).fit(X, y),
            "sklearn MLP, default": SklearnMLP(max_iter=max_iter, random_state=0).fit(X, y),
        }
    row = X[:1]
    times = {name: [] for name in models}
    with threadpool_limits(1):
        for model in models.values():
            model.predict_proba(row)  # warm-up
        for _ in range(rounds):
            for name, model in models.items():
                times[name].append(h.time_per_call(lambda: model.predict_proba(row),
                                                   min_time=0.02, max_calls=10**5))
    return {name: statistics.median(values) for name, values in times.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds (default 15)")
    parser.add_argument("--tabular", action="store_true",
                        help="the tabular defaults on breast_cancer instead")
    args = parser.parse_args(argv)
    if args.tabular:
        medians = tabular_latency(args.rounds)
        print(f"1-row predict_proba on breast_cancer, {args.rounds} interleaved rounds, "
              "one BLAS thread")
        for name, seconds in medians.items():
            print(f"  {name:<30} median {seconds * 1e6:7.1f} us")
        return medians
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
