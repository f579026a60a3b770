"""Paired comparison of two settings of the Tabular estimators on the benchmark's data sets.

    PYTHONPATH=. OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python benchmarks/tabular_variant.py \\
        --a '{"embedding_features": "non_binary"}' --b '{"embedding_features": "all"}' \\
        --sets diabetes "Wage (ISLR)"

Runs ``benchmarks/tabular.py``'s evaluation (the same folds and preprocessing)
for the default ``TabularMLPClassifier`` / ``TabularMLPRegressor`` with the
parameters of ``--a`` and of ``--b`` (JSON objects), seed by seed, and prints
one Markdown row per data set: the mean of each setting ± its standard error
over the seeds, the mean per-seed difference (a - b) ± its standard error
(paired: both settings see the same seeds), and the mean fit time per fold.
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tabular_data as data  # noqa: E402
import tabular as bench  # noqa: E402


def compare(name, a, b, seeds):
    """The Markdown row of data set ``name`` for the settings ``a`` and ``b``."""
    X, y, task, categorical = data.load(name)
    scores = {"a": [], "b": []}
    times = {"a": [], "b": []}
    for seed in range(seeds):
        for key, params in (("a", a), ("b", b)):
            est = bench.make("sknn Tabular", task, params, seed)
            folds, fit_time = bench.evaluate(est, X, y, task, categorical)
            scores[key].append(np.mean(folds))
            times[key].append(fit_time)
    difference = np.subtract(scores["a"], scores["b"])
    cells = [f"{np.mean(scores[k]):.3f} ± {bench.standard_error(scores[k]):.3f}" for k in "ab"]
    return (f"| {name} | {cells[0]} | {cells[1]} | {difference.mean():+.4f} ± "
            f"{bench.standard_error(difference):.4f} | {np.mean(times['a']):.1f} / "
            f"{np.mean(times['b']):.1f} |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--a", type=json.loads, required=True, help="JSON parameters of a")
    parser.add_argument("--b", type=json.loads, default={}, help="JSON parameters of b")
    parser.add_argument("--sets", nargs="+", default=list(data.DEVELOPMENT) + list(data.HELD_OUT))
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args(argv)
    known = {**data.DEVELOPMENT, **data.HELD_OUT}
    unknown = [name for name in args.sets if name not in known]
    if unknown:
        parser.error(f"unknown data sets {unknown}; choose from {list(known)}")
    header = ["| data set | a | b | a - b | fit s (a / b) |", "|---|---|---|---|---|"]
    rows = []
    for line in header:
        print(line, flush=True)
    for name in args.sets:
        rows.append(compare(name, args.a, args.b, args.seeds))
        print(rows[-1], flush=True)
    return "\n".join(header + rows)


if __name__ == "__main__":
    main()
