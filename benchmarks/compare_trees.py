"""Time two source trees of sknn in one process, in turns: a before/after that load cannot skew.

On a shared 2-core machine two runs of the same code in separate processes
differed by up to half; fits of both trees interleaved in one process see the
same load. Each tree's ``sknn`` package is copied to a temporary directory
under another name (``sknn_before``, ``sknn_after``; its imports are
relative) and imported side by side.

Usage (a tree is a checkout or ``git worktree`` with ``sknn/`` inside)::

    git worktree add /tmp/before <commit>
    PYTHONPATH=. python benchmarks/compare_trees.py /tmp/before . ensemble --sizes 64x64
    PYTHONPATH=. python benchmarks/compare_trees.py /tmp/before . tabular_fit --threads 2

``ensemble``: one ``TabularMLPClassifier`` member, 8 independent members and
8 shared (TabM) members on breast_cancer, 64 epochs, one BLAS thread, and
the ratio of 8 one-member fits to one 8-member fit (``--embedding none``:
without the numeric embedding). ``tabular_fit``: the
default ``TabularMLPClassifier`` on make_classification 4000 x 50 (with
``--regressor``, ``TabularMLPRegressor`` on make_regression; ``--rows``
other than 4000: the default's members on that many rows), with
``--epochs`` epochs (scaled to the default 256 in the report).
"""

import argparse
import importlib
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.datasets import load_breast_cancer, make_classification, make_regression
from threadpoolctl import threadpool_limits

NAMES = ("sknn_before", "sknn_after")


def import_trees(trees):
    """Each tree's ``sknn`` imported under its own name (copies without caches)."""
    root = Path(tempfile.mkdtemp(prefix="sknn_trees_"))
    for name, tree in zip(NAMES, trees):
        shutil.copytree(Path(tree) / "sknn", root / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    sys.path.insert(0, str(root))
    return {name: importlib.import_module(name) for name in NAMES}


def timed(make, X, y):
    start = time.perf_counter()
    make().fit(X, y)
    return time.perf_counter() - start


def ensemble(packages, args):
    X, y = load_breast_cancer(return_X_y=True)
    X = packages[NAMES[1]].preprocessing.RobustSmoothClipTransformer().fit_transform(X)
    sizes = tuple(int(s) for s in args.sizes.split("x"))
    variants = {"one member": {}, "8 members": {"n_members": 8},
                "8 shared": {"n_members": 8, "member_weights": "shared"}}

    embedding = None if args.embedding == "none" else args.embedding

    def make(pkg, params, epochs=64):
        return lambda: pkg.TabularMLPClassifier(
            hidden_layer_sizes=sizes, max_iter=epochs, early_stopping=False, random_state=0,
            numeric_embedding=embedding, **params)

    times = {}
    with threadpool_limits(1):
        for pkg in packages.values():  # warm-up: compiled kernels, caches
            for params in variants.values():
                make(pkg, params, epochs=2)().fit(X, y)
        for _ in range(args.rounds):
            for name, pkg in packages.items():
                for label, params in variants.items():
                    times.setdefault((name, label), []).append(timed(make(pkg, params), X, y))
    lines = []
    for name in packages:
        t = {label: float(np.median(times[(name, label)])) for label in variants}
        lines.append(f"{' x '.join(map(str, sizes))} | {name} | {t['one member']:.3f} s | "
                     f"{8 * t['one member']:.2f} s | {t['8 members']:.2f} s "
                     f"({8 * t['one member'] / t['8 members']:.2f}x) | {t['8 shared']:.2f} s "
                     f"({8 * t['one member'] / t['8 shared']:.2f}x)")
    return ("hidden layers | tree | one member | 8 x one member | n_members=8 | 8 shared\n"
            + "\n".join(lines))


def tabular_fit(packages, args):
    if args.regressor:
        X, y = make_regression(n_samples=args.rows, n_features=50, n_informative=20,
                               noise=10, random_state=0)
    else:
        X, y = make_classification(n_samples=args.rows, n_features=50, n_informative=20,
                                   random_state=0)
    kind = "TabularMLPRegressor" if args.regressor else "TabularMLPClassifier"
    times = {name: [] for name in packages}
    with threadpool_limits(args.threads):
        for pkg in packages.values():
            getattr(pkg, kind)(max_iter=2, random_state=0).fit(X, y)
        for _ in range(args.rounds):
            for name, pkg in packages.items():
                times[name].append(timed(
                    lambda: getattr(pkg, kind)(max_iter=args.epochs, random_state=0), X, y))
    scale = 256 / args.epochs
    lines = [f"{name}: median {np.median(t):.2f} s for {args.epochs} epochs "
             f"({np.median(t) * scale:.1f} s scaled to 256) at {args.threads} thread(s) "
             f"on {args.rows} rows"
             for name, t in times.items()]
    ratio = np.median(times[NAMES[0]]) / np.median(times[NAMES[1]])
    return "\n".join([*lines, f"before / after: {ratio:.2f}"])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("measure", choices=["ensemble", "tabular_fit"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", default="64x64", help="hidden layers of 'ensemble'")
    parser.add_argument("--embedding", default="pbld", choices=["pbld", "plr", "none"],
                        help="numeric_embedding of 'ensemble' (default the tabular one)")
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads of 'tabular_fit'")
    parser.add_argument("--epochs", type=int, default=32, help="epochs of 'tabular_fit'")
    parser.add_argument("--rows", type=int, default=4000, help="rows of 'tabular_fit'")
    parser.add_argument("--regressor", action="store_true",
                        help="'tabular_fit' of TabularMLPRegressor on make_regression")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    packages = import_trees([args.before, args.after])
    print({"ensemble": ensemble, "tabular_fit": tabular_fit}[args.measure](packages, args))


if __name__ == "__main__":
    main()
