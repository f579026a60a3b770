"""Tabular estimators bagged over validation splits, on the benchmark's data sets.

    PYTHONPATH=. OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python benchmarks/tabular_bagging.py \\
        --sets "Wage (ISLR)" "Mroz (carData)" diabetes --members 5 --seeds 2

Each of ``--members`` default ``TabularMLPClassifier`` / ``TabularMLPRegressor``
gets its own ``random_state`` (``100 * seed + i``), hence its own validation
split for revert-to-best (and its own initialization and batches); their
predictions are averaged (``VotingClassifier(voting='soft')`` /
``VotingRegressor``), so that together they train on every row. Evaluated with
``benchmarks/tabular.py``'s folds and preprocessing; prints one Markdown row
per data set: mean ± standard error over the seeds, and the mean fit time per
fold. An experiment, not a default: it costs ``--members`` fits.

With ``--batched`` the members are one estimator instead, trained in one
batched pass: ``n_members=--members, member_validation='own'`` (each member
its own validation split and best epoch), ``random_state=100 * seed``.
"""

import argparse
import sys
from pathlib import Path

import numpy as np
from sklearn.ensemble import VotingClassifier, VotingRegressor

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tabular_data as data  # noqa: E402
import tabular as bench  # noqa: E402


def bagged(task, members, seed, params=None):
    """``members`` default Tabular estimators of ``task``, averaged."""
    estimators = [(f"member{i}", bench.make("sknn Tabular", task, params, 100 * seed + i))
                  for i in range(members)]
    if task == "regression":
        return VotingRegressor(estimators)
    return VotingClassifier(estimators, voting="soft")


def batched(task, members, seed, params=None):
    """One Tabular estimator of ``task`` with ``members`` members, each with its own split."""
    own = {"n_members": members, "member_validation": "own", **(params or {})}
    return bench.make("sknn Tabular", task, own, 100 * seed)


def row(name, members, seeds, params=None, one_pass=False):
    X, y, task, categorical = data.load(name)
    scores, times = [], []
    make = batched if one_pass else bagged
    for seed in range(seeds):
        folds, fit_time = bench.evaluate(make(task, members, seed, params), X, y, task,
                                         categorical)
        scores.append(np.mean(folds))
        times.append(fit_time)
    return (f"| {name} | {np.mean(scores):.3f} ± {bench.standard_error(scores):.3f} | "
            f"{np.mean(times):.1f} |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="+", default=list(data.DEVELOPMENT) + list(data.HELD_OUT))
    parser.add_argument("--members", type=int, default=5)
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="5 epochs per member")
    parser.add_argument("--batched", action="store_true",
                        help="one estimator, n_members=--members, member_validation='own'")
    args = parser.parse_args(argv)
    params = {"max_iter": 5} if args.quick else None
    how = "in one batched pass" if args.batched else "separate fits"
    lines = [f"| data set | {args.members} members, own validation splits, {how} | "
             "fit s per fold |",
             "|---|---|---|"]
    for line in lines:
        print(line, flush=True)
    for name in args.sets:
        lines.append(row(name, args.members, args.seeds, params, args.batched))
        print(lines[-1], flush=True)
    return "\n".join(lines)


if __name__ == "__main__":
    main()
