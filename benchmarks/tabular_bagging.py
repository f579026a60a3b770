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
its own validation split and best epoch), ``random_state=100 * seed``;
``--folds`` makes it ``member_validation='folds'`` (the folds of one k-fold
partition as the members' held-out rows).
``--fit-timing`` times default fits of 1, 2, 3 and 5 such members on the
issue's 4000 x 50 instead; ``--auto-timing`` times default fits, which choose
their members (``n_members='auto'``), on n x 50 around the member counts'
steps.
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
    """``members`` single-network Tabular estimators of ``task``, averaged."""
    single = {"n_members": 1, **(params or {})}
    estimators = [(f"member{i}", bench.make("sknn Tabular", task, single, 100 * seed + i))
                  for i in range(members)]
    if task == "regression":
        return VotingRegressor(estimators)
    return VotingClassifier(estimators, voting="soft")


def batched(task, members, seed, params=None, how="own"):
    """One Tabular estimator of ``task`` with ``members`` members, each with its own split.

    ``how`` is its ``member_validation``: 'own' (independent splits) or 'folds'.
    """
    own = {"n_members": members, "member_validation": how, **(params or {})}
    return bench.make("sknn Tabular", task, own, 100 * seed)


def row(name, members, seeds, params=None, one_pass=None):
    """One set's Markdown row; ``one_pass`` is None (separate fits), 'own' or 'folds'."""
    X, y, task, categorical = data.load(name)
    scores, times = [], []
    for seed in range(seeds):
        if one_pass is None:
            est = bagged(task, members, seed, params)
        else:
            est = batched(task, members, seed, params, one_pass)
        folds, fit_time = bench.evaluate(est, X, y, task, categorical)
        scores.append(np.mean(folds))
        times.append(fit_time)
    return (f"| {name} | {np.mean(scores):.3f} ± {bench.standard_error(scores):.3f} | "
            f"{np.mean(times):.1f} |")


def _timed_fits(configs, threads, quick):
    """One ``TabularMLPClassifier`` fit per (n_samples, params) on make_classification
    n_samples x 50, at ``threads`` BLAS threads: yields (estimator, seconds)."""
    import time
    import warnings

    from sklearn.datasets import make_classification
    from threadpoolctl import threadpool_limits

    from sknn import TabularMLPClassifier

    with threadpool_limits(threads), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for n_samples, params in configs:
            X, y = make_classification(n_samples=n_samples, n_features=50, n_informative=20,
                                       random_state=0)
            start = time.perf_counter()
            est = TabularMLPClassifier(random_state=0, max_iter=5 if quick else 256,
                                       **params).fit(X, y)
            yield est, time.perf_counter() - start


def member_fit_timing(members=(1, 2, 3, 5), threads=2, quick=False):
    """Default fits on make_classification 4000 x 50 (the issue's size) with 1 to n members.

    One fit each, ``member_validation='own'`` for more than one member, at
    ``threads`` BLAS threads; returns one Markdown line.
    """
    n_samples = 800 if quick else 4000
    configs = [(n_samples, {"n_members": m, "member_validation": "own" if m > 1 else "shared"})
               for m in members]
    cells = [f"{est.n_members_} member(s) {seconds:.1f} s"
             for est, seconds in _timed_fits(configs, threads, quick)]
    return (f"Default `TabularMLPClassifier` fits on make_classification {n_samples} x 50 at "
            f"{threads} BLAS thread(s): " + ", ".join(cells) + ".")


#: row counts around the steps of n_members='auto' (5 members up to 800 rows,
#: 1 + 3200 // n above, one network above 3200)
AUTO_SIZES = (800, 1066, 1600, 2000, 3200, 3201, 4000)


def auto_fit_timing(sizes=AUTO_SIZES, threads=2, quick=False):
    """Default (``n_members='auto'``) fits on make_classification n x 50, one per n.

    Returns a Markdown table: n, the members the fit trained, the fit time.
    """
    lines = [f"Default `TabularMLPClassifier` fits on make_classification n x 50 at {threads} "
             "BLAS thread(s), 256 epochs" + (" (quick: 5 epochs)" if quick else ""), "",
             "| n | members | fit s |", "|---|---|---|"]
    fits = _timed_fits([(n, {}) for n in sizes], threads, quick)
    lines += [f"| {n} | {est.n_members_} | {seconds:.1f} |"
              for n, (est, seconds) in zip(sizes, fits)]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="+", default=list(data.DEVELOPMENT) + list(data.HELD_OUT))
    parser.add_argument("--members", type=int, default=5)
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="5 epochs per member")
    parser.add_argument("--batched", action="store_true",
                        help="one estimator, n_members=--members, member_validation='own'")
    parser.add_argument("--folds", action="store_true",
                        help="with --batched: member_validation='folds' (one k-fold partition)")
    parser.add_argument("--fit-timing", action="store_true",
                        help="only time default fits of 1, 2, 3 and 5 members on 4000 x 50")
    parser.add_argument("--auto-timing", action="store_true",
                        help="only time default (n_members='auto') fits on n x 50 around "
                             "the member counts' steps")
    args = parser.parse_args(argv)
    if args.auto_timing:
        text = auto_fit_timing(quick=args.quick)
        print(text)
        return text
    if args.fit_timing:
        line = member_fit_timing(quick=args.quick)
        print(line)
        return line
    params = {"max_iter": 5} if args.quick else None
    one_pass = ("folds" if args.folds else "own") if args.batched else None
    how = {None: "separate fits", "own": "in one batched pass",
           "folds": "k-fold splits, in one batched pass"}[one_pass]
    lines = [f"| data set | {args.members} members, own validation splits, {how} | "
             "fit s per fold |",
             "|---|---|---|"]
    for line in lines:
        print(line, flush=True)
    for name in args.sets:
        lines.append(row(name, args.members, args.seeds, params, one_pass))
        print(lines[-1], flush=True)
    return "\n".join(lines)


if __name__ == "__main__":
    main()
