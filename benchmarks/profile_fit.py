"""Where one fit spends its time: cProfile top entries and a per-category summary.

Usage (from the repository root)::

    PYTHONPATH=. python benchmarks/profile_fit.py                       # clf-adam-f64, sknn
    PYTHONPATH=. python benchmarks/profile_fit.py digits-lbfgs-f64 --lib sklearn --top 15
    PYTHONPATH=. python benchmarks/profile_fit.py clf-adam-f64 --quick

Prints

1. the top ``--top`` functions by own time (pstats);
2. a summary by category: dense layers (matmul + bias), activations, loss,
   optimizer, penalty, shuffling/indexing, L-BFGS driver, Python plumbing. NumPy
   ufuncs (``@``, ``np.maximum``, ...) are not separate profiler entries, so
   their time is already in the Python function that calls them; built-ins and
   third-party helpers that have no category of their own are charged to their
   callers (in proportion to the time spent through each caller);
3. a floor: the same fit's GEMMs alone (forward, weight gradients and input
   gradients with preallocated outputs), timed without the profiler, against
   the fit's unprofiled wall time per epoch. The rest is elementwise work,
   memory traffic, allocation and Python overhead.

cProfile adds a fixed cost per Python call, which inflates the categories made
of many small calls; the floor in part 3 is measured without it.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

import _harness as h  # noqa: E402
from cases import CASES, case_by_name, load, make_estimator, quiet  # noqa: E402

MATMUL = "dense layers (matmul + bias)"
CATEGORIES = (MATMUL, "activations", "loss", "optimizer", "penalty", "shuffle / indexing",
              "L-BFGS driver (scipy)", "Python plumbing", "setup / validation", "other")

_SKNN_MODULES = {
    "layers.py": MATMUL,
    "activations.py": "activations",
    "losses.py": "loss",
    "optimizers.py": "optimizer",
    "penalties.py": "penalty",
    "schedules.py": "optimizer",
    "_network.py": "Python plumbing",
}
#: sknn/training/: the drivers, the epoch loop and the handlers
_SKNN_TRAINING = "Python plumbing"

_SKLEARN_FUNCS = {
    "inplace_relu": "activations", "inplace_relu_derivative": "activations",
    "inplace_logistic": "activations", "inplace_tanh": "activations",
    "inplace_identity": "activations", "inplace_logistic_derivative": "activations",
    "inplace_tanh_derivative": "activations", "inplace_identity_derivative": "activations",
    "inplace_softmax": "loss", "log_loss": "loss", "squared_loss": "loss",
    "binary_log_loss": "loss", "poisson_loss": "loss",
    "_forward_pass": "Python plumbing", "_backprop": "Python plumbing",
    "_compute_loss_grad": MATMUL, "_loss_grad_lbfgs": "Python plumbing",
    "_fit_stochastic": "Python plumbing", "_unpack": "Python plumbing", "_pack": "Python plumbing",
    "_update_no_improvement_count": "Python plumbing",
}


def categorize(func):
    """The category of one profiler entry, or None to charge it to its callers."""
    filename, _, name = func
    path = filename.replace("\\", "/")
    if "/sknn/" in path:
        if name in ("forward", "backward") and path.endswith("layers.py"):
            return MATMUL if "Activation" not in name else "activations"
        module = path.rsplit("/sknn/", 1)[1]
        if module.startswith("training/"):
            return _SKNN_TRAINING
        return _SKNN_MODULES.get(module, "setup / validation")
    if "sklearn/neural_network/_stochastic_optimizers" in path:
        return "optimizer"
    if "sklearn/neural_network/" in path:
        return _SKLEARN_FUNCS.get(name, "setup / validation" if "fit" in name or "valid" in name
                                  else None)
    if "sklearn/utils/extmath" in path and name == "safe_sparse_dot":
        return MATMUL
    if "sklearn/utils/_indexing" in path or "permutation" in name or "shuffle" in name:
        return "shuffle / indexing"
    if "scipy/optimize" in path or "_lbfgsb" in name:
        return "L-BFGS driver (scipy)"
    if "sklearn/utils/validation" in path or "sklearn/base" in path:
        return "setup / validation"
    return None


def _layer_kind(stats):
    """Tell Dense.forward from ActivationLayer.forward (same file, same name) by line."""
    import inspect

    from sknn import layers

    lines = {}
    for cls, cat in ((layers.Dense, MATMUL), (layers.ActivationLayer, "activations")):
        for meth in ("forward", "backward"):
            try:
                lines[inspect.getsourcelines(getattr(cls, meth))[1]] = cat
            except (OSError, TypeError, AttributeError):
                pass
    return lines


def summarize(stats):
    """Own time per category, with uncategorised entries charged to their callers."""
    raw = stats.stats  # func -> (cc, nc, tt, ct, callers)
    try:
        layer_lines = _layer_kind(stats)
    except ImportError:
        layer_lines = {}
    memo = {}

    def own(func):
        cat = categorize(func)
        if cat == MATMUL and func[0].endswith("layers.py") and func[1] in layer_lines:
            cat = layer_lines[func[1]]
        return cat

    def shares(func, visiting):
        if func in memo:
            return memo[func]
        cat = own(func)
        if cat is not None:
            result = {cat: 1.0}
        else:
            callers = raw[func][4] if func in raw else {}
            weights = {c: edge[3] for c, edge in callers.items() if c not in visiting}
            total = sum(weights.values())
            if not total:
                result = {"other": 1.0}
            else:
                result = defaultdict(float)
                for caller, w in weights.items():
                    for k, v in shares(caller, visiting | {func}).items():
                        result[k] += v * w / total
                result = dict(result)
        memo[func] = result
        return result

    totals = defaultdict(float)
    for func, (_, _, tt, _, _) in raw.items():
        for cat, share in shares(func, frozenset()).items():
            totals[cat] += tt * share
    return totals


def gemm_floor(case, X, n_outputs):
    """A function running one epoch (L-BFGS: one evaluation) of the fit's GEMMs
    alone, with preallocated outputs."""
    batch = 200
    dtype = X.dtype
    widths = [X.shape[1], *case.hidden, n_outputs]
    rng = np.random.default_rng(0)
    Ws = [rng.standard_normal((a, b)).astype(dtype) for a, b in zip(widths, widths[1:])]
    outs = [np.empty((batch, b), dtype) for b in widths[1:]]
    dWs = [np.empty_like(W) for W in Ws]
    dxs = [np.empty((batch, a), dtype) for a in widths[1:-1]]
    xb = np.ascontiguousarray(X[:batch])
    n_batches = -(-X.shape[0] // batch)
    if case.solver == "lbfgs":  # full batch: one forward/backward per function evaluation
        n_batches, batch = 1, X.shape[0]
        outs = [np.empty((batch, b), dtype) for b in widths[1:]]
        dxs = [np.empty((batch, a), dtype) for a in widths[1:-1]]
        xb = X

    def one_epoch():
        for _ in range(n_batches):
            x = xb
            for W, out in zip(Ws, outs):
                np.matmul(x, W, out=out)
                x = out
            inputs = [xb, *outs[:-1]]
            for i in reversed(range(len(Ws))):
                np.matmul(inputs[i].T, outs[i], out=dWs[i])
                if i:
                    np.matmul(outs[i], Ws[i].T, out=dxs[i - 1])

    return one_epoch


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("case", nargs="?", default="clf-adam-f64",
                        choices=[c.name for c in CASES], metavar="CASE",
                        help="a case of run.py (default clf-adam-f64; see run.py --list)")
    parser.add_argument("--lib", default="sknn", choices=("sknn", "sklearn"))
    parser.add_argument("--quick", action="store_true", help="the case's quick size")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5,
                        help="unprofiled fits (and GEMM floors) for the floor share")
    args = parser.parse_args(argv)

    case = case_by_name(args.case)
    X, y = load(case, args.quick)
    n_iters = case.n_iters(args.quick)
    with threadpool_limits(limits=args.threads):
        print(h.describe_environment(h.environment(args.threads)))
        quiet(lambda: make_estimator(args.lib, case, 1).fit(X, y))  # warm-up

        profiler = cProfile.Profile()
        est = make_estimator(args.lib, case, n_iters)
        profiler.enable()
        quiet(lambda: est.fit(X, y))
        profiler.disable()

        # Unprofiled fit and GEMM floor, interleaved so that load on a shared machine
        # hits both; the share is the median of the per-repeat ratios.
        floor_epoch = gemm_floor(case, X, est.coefs_[-1].shape[1])
        floor_epoch()
        walls, floors = [], []
        for _ in range(args.repeats):
            fresh = make_estimator(args.lib, case, n_iters)
            seconds, _ = h.time_once(lambda: quiet(lambda: fresh.fit(X, y)))
            walls.append(seconds / fresh.n_iter_)
            floors.append(h.time_once(floor_epoch)[0])
        wall = h.median(walls) * est.n_iter_
        wall_per_iter = h.median(walls)
        floor = h.median(floors)
        share = h.median(h.paired_ratios(floors, walls))

    buf = io.StringIO()
    stats = pstats.Stats(profiler, stream=buf)
    total = stats.total_tt
    print(f"\n{args.lib} fit of {args.case} ({X.shape[0]}x{X.shape[1]}, hidden {case.hidden}, "
          f"{case.solver}, {case.dtype}, {est.n_iter_} iterations): {wall:.3f} s unprofiled (median), "
          f"{total:.3f} s under cProfile")
    stats.sort_stats("tottime").print_stats(args.top)
    print(buf.getvalue().split("\n", 4)[-1].rstrip())

    totals = summarize(stats)
    rows = [[cat, f"{totals[cat]:.3f} s", f"{100 * totals[cat] / total:.1f}%"]
            for cat in CATEGORIES if totals.get(cat)]
    print("\nOwn time by category (under cProfile)")
    print(h.format_table(["category", "time", "share"], rows))

    unit = "iteration (one forward/backward per evaluation)" if case.solver == "lbfgs" else "epoch"
    print(f"\nGEMM floor per {unit}: {h.fmt_seconds(floor)}; unprofiled fit per "
          f"{'iteration' if case.solver == 'lbfgs' else 'epoch'}: {h.fmt_seconds(wall_per_iter)} "
          f"(medians of {args.repeats}) -> GEMMs are ~{100 * share:.0f}% of the wall time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
