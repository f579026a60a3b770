"""The performance issue's fixed workload: one table, sknn beside scikit-learn and PyTorch.

Usage (from the repository root, on a quiet machine)::

    PYTHONPATH=. python benchmarks/workload.py                  # the whole table, ~5 min
    PYTHONPATH=. python benchmarks/workload.py --rounds 5 --quick
    PYTHONPATH=. python benchmarks/workload.py --markdown benchmarks/results/workload-DATE.md

The workload: ``make_classification(n_samples=20000, n_features=784,
n_informative=100, n_classes=10, random_state=0)``, standardized; a 784-512-256-10
ReLU network, Adam, batch 256, ``alpha=1e-4``, no early stopping. An epoch is one
``partial_fit`` call (sknn and scikit-learn) or one pass of a plain PyTorch loop
(same layers, ``torch.optim.Adam``, ``set_num_threads`` = the BLAS threads);
every library is warmed up first, then the libraries take turns epoch by epoch
(interleaved rounds), and each row reports medians of the rounds and the median
of the per-round ratios.

Rows:

- f32 / f64 epoch: seconds per epoch; ratios are the peer's time over sknn's
  (above 1: sknn is faster);
- GEMM fraction: the epoch's matrix products alone (forward, weight gradients,
  the input gradients that are needed), timed into preallocated outputs in the
  same interleaved rounds as the epochs, over the library's epoch time: how
  close it runs to the limit that BLAS sets;
- one-row ``predict_proba`` latency, and the 20000-row ``predict_proba`` as a
  fraction of its GEMMs' time (the forward products alone, timed in each
  round beside the two predictions);
- batch norm and dropout on: sknn's epoch over its plain epoch;
- peak traced memory (tracemalloc) of a 1-epoch fit, sknn over scikit-learn;
- epoch time per 10k rows at 10k, 20k, 50k and 100k rows (linear cost);
- a small fit: 200 x 20, the default (100,) network, 100 epochs.

Nothing is asserted; the goal column marks what the issue asks.
"""

import argparse
import os
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.neural_network import MLPClassifier as SklearnMLP  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

import _harness as h  # noqa: E402
from cases import torch_available  # noqa: E402

from sknn import MLPClassifier  # noqa: E402

HIDDEN = (512, 256)
BATCH = 256
N_FEATURES = 784


def workload_data(n_samples=20000, dtype="float32"):
    """The workload's standardized features and labels."""
    X, y = make_classification(n_samples=n_samples, n_features=N_FEATURES, n_informative=100,
                               n_classes=10, random_state=0)
    return StandardScaler().fit_transform(X).astype(dtype), y


def _params(**extra):
    return dict(hidden_layer_sizes=HIDDEN, solver="adam", batch_size=BATCH, alpha=1e-4,
                learning_rate_init=1e-3, max_iter=1, random_state=0, **extra)


class _Learner:
    """One library's model, trained one epoch per ``epoch()`` call."""

    def __init__(self, lib, X, y, **extra):
        self.lib, self.X, self.y = lib, X, y
        self.classes = np.unique(y)
        if lib == "torch":
            from _torch_reference import TorchMLP

            self.model = TorchMLP(task="clf", dtype=str(X.dtype), shuffle=True,
                                  momentum=0.9, nesterovs_momentum=True, **_params())
            self.model.start(X, y)
        else:
            cls = MLPClassifier if lib == "sknn" else SklearnMLP
            self.model = cls(**_params(**extra))

    def epoch(self):
        if self.lib == "torch":
            return self.model.epoch()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            self.model.partial_fit(self.X, self.y, classes=self.classes)


class GemmEpoch:
    """One epoch's matrix products alone, into preallocated outputs: ``epoch()``
    times like a learner's, so that it takes its turn in the interleaved rounds."""

    def __init__(self, n_samples, dtype):
        rng = np.random.default_rng(0)
        widths = (N_FEATURES, *HIDDEN, 10)
        self.W = [rng.standard_normal((a, b)).astype(dtype) for a, b in zip(widths, widths[1:])]
        self.sizes = ([BATCH] * (n_samples // BATCH)
                      + ([n_samples % BATCH] if n_samples % BATCH else []))
        self.acts = [rng.standard_normal((BATCH, w)).astype(dtype) for w in widths]
        self.grads = [rng.standard_normal((BATCH, w)).astype(dtype) for w in widths]
        self.dW = [np.empty_like(w) for w in self.W]

    def epoch(self):
        acts, grads, W, dW = self.acts, self.grads, self.W, self.dW
        for n in self.sizes:
            for i, w in enumerate(W):
                np.matmul(acts[i][:n], w, out=acts[i + 1][:n])
            for i in reversed(range(len(W))):
                np.matmul(acts[i][:n].T, grads[i + 1][:n], out=dW[i])
                if i:
                    np.matmul(grads[i + 1][:n], W[i].T, out=grads[i][:n])


def forward_gemm(model, X):
    """A function running the forward matrix products of ``model`` (sklearn's
    attributes) on X into preallocated outputs."""
    coefs = [np.asarray(W, dtype=X.dtype) for W in model.coefs_]
    outs = [np.empty((X.shape[0], W.shape[1]), dtype=X.dtype) for W in coefs]

    def forward():
        a = X
        for W, out in zip(coefs, outs):
            np.matmul(a, W, out=out)
            a = out

    forward()
    return forward


def interleaved_epochs(learners, rounds):
    """Per-library lists of epoch seconds, the libraries taking turns."""
    for learner in learners.values():  # warm-up
        learner.epoch()
    times = {lib: [] for lib in learners}
    libs = list(learners)
    for r in range(rounds):
        for lib in libs[r % len(libs):] + libs[:r % len(libs)]:
            times[lib].append(h.time_once(learners[lib].epoch)[0])
    return times


def _ratio(times, num, den):
    return h.median(h.paired_ratios(times[num], times[den]))


def _fmt(value, unit=""):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "-"
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "us":
        return f"{value * 1e6:.0f} us"
    if unit == "MB":
        return f"{value / 2**20:.0f} MB"
    return f"{value:.2f}"


def measure(rounds, quick, log):
    libs = ["sknn", "sklearn"] + (["torch"] if torch_available() else [])
    rows = []
    n = 5000 if quick else 20000
    for dtype in ("float32", "float64"):
        X, y = workload_data(n, dtype)
        log(f"{dtype} epochs ({n} rows, {rounds} rounds)")
        learners = {lib: _Learner(lib, X, y) for lib in libs}
        # the products alone take their turn in the same rounds
        times = interleaved_epochs({**learners, "gemm": GemmEpoch(n, dtype)}, rounds)
        gemm = h.median(times.pop("gemm"))
        med = {lib: h.median(t) for lib, t in times.items()}
        tag = "f32" if dtype == "float32" else "f64"
        goal = "sklearn/sknn >= 1.5, torch/sknn >= 1.2" if tag == "f32" else "sklearn/sknn >= 1.4"
        rows.append([f"{tag} epoch", _fmt(med["sknn"], "s"), _fmt(med["sklearn"], "s"),
                     _fmt(med.get("torch"), "s"),
                     f"sklearn/sknn {_ratio(times, 'sklearn', 'sknn'):.2f}"
                     + (f", torch/sknn {_ratio(times, 'torch', 'sknn'):.2f}" if "torch" in med
                        else ""), goal])
        rows.append([f"{tag} GEMM fraction (GEMMs {gemm:.3f} s)",
                     _fmt(gemm / med["sknn"]), _fmt(gemm / med["sklearn"]),
                     _fmt(gemm / med["torch"]) if "torch" in med else "-", "", ">= 0.75"])
        if dtype == "float32":
            log("batch norm + dropout epochs")
            extra = {"plain": _Learner("sknn", X, y),
                     "bn+dropout": _Learner("sknn", X, y, batch_norm=True, dropout=0.2)}
            bt = interleaved_epochs(extra, rounds)
            rows.append(["f32 epoch, batch norm + dropout 0.2 (sknn)",
                         _fmt(h.median(bt["bn+dropout"]), "s"), "", "",
                         f"over plain {_ratio(bt, 'bn+dropout', 'plain'):.2f}", "<= 1.3"])
        rows += predict_rows(learners["sknn"].model, learners["sklearn"].model, X, tag, rounds)
    log("peak memory")
    rows += memory_rows(n)
    log("rows scaling")
    rows += scaling_rows(rounds, quick)
    log("small fit")
    rows.append(small_fit_row(rounds))
    return rows


def predict_rows(ours, theirs, X, tag, rounds):
    row = X[:1].copy()
    lat = {"sknn": [], "sklearn": []}
    for _ in range(rounds * 3):
        lat["sknn"].append(h.time_per_call(lambda: ours.predict_proba(row), min_time=0.02,
                                           max_calls=10**5))
        lat["sklearn"].append(h.time_per_call(lambda: theirs.predict_proba(row), min_time=0.02,
                                              max_calls=10**5))
    gemm_only = forward_gemm(theirs, X)
    full = {"sknn": [], "sklearn": [], "gemm": []}
    for _ in range(rounds):  # the products alone take their turn in each round
        full["sknn"].append(h.time_once(lambda: ours.predict_proba(X))[0])
        full["sklearn"].append(h.time_once(lambda: theirs.predict_proba(X))[0])
        full["gemm"].append(h.time_once(gemm_only)[0])
    gemm = h.median(full["gemm"])
    return [
        [f"{tag} 1-row predict_proba latency", _fmt(h.median(lat["sknn"]), "us"),
         _fmt(h.median(lat["sklearn"]), "us"), "",
         f"sknn/sklearn {_ratio(lat, 'sknn', 'sklearn'):.2f}", "sknn/sklearn <= 0.5"],
        [f"{tag} {X.shape[0]}-row predict_proba, GEMM fraction",
         _fmt(gemm / h.median(full["sknn"])), _fmt(gemm / h.median(full["sklearn"])), "", "",
         ">= 0.85"],
    ]


def memory_rows(n):
    rows = []
    for dtype in ("float32", "float64"):
        X, y = workload_data(n, dtype)
        peaks = {}
        for lib, cls in (("sknn", MLPClassifier), ("sklearn", SklearnMLP)):
            est = cls(**_params())
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                peaks[lib] = h.peak_memory(lambda: est.fit(X, y))
        rows.append([f"{dtype[5:] and 'f' + dtype[5:]} peak traced memory of a 1-epoch fit",
                     _fmt(peaks["sknn"], "MB"), _fmt(peaks["sklearn"], "MB"), "",
                     f"sknn/sklearn {peaks['sknn'] / peaks['sklearn']:.2f}", "<= 1.0"])
    return rows


def scaling_rows(rounds, quick):
    sizes = (2000, 5000) if quick else (10000, 20000, 50000, 100000)
    rows = []
    for n in sizes:
        X, y = workload_data(n, "float32")
        times = interleaved_epochs({lib: _Learner(lib, X, y) for lib in ("sknn", "sklearn")},
                                   max(2, rounds // 2))
        rows.append([f"f32 epoch at {n} rows, per 10k rows",
                     _fmt(h.median(times["sknn"]) * 1e4 / n, "s"),
                     _fmt(h.median(times["sklearn"]) * 1e4 / n, "s"), "",
                     f"sklearn/sknn {_ratio(times, 'sklearn', 'sknn'):.2f}", "linear in rows"])
    return rows


def small_fit_row(rounds):
    X, y = make_classification(n_samples=200, n_features=20, random_state=0)
    X = StandardScaler().fit_transform(X)
    times = {"sknn": [], "sklearn": []}

    def fit(cls):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            cls(max_iter=100, random_state=0, tol=0.0, n_iter_no_change=10**6).fit(X, y)

    fit(MLPClassifier), fit(SklearnMLP)
    for _ in range(rounds):
        times["sknn"].append(h.time_once(lambda: fit(MLPClassifier))[0])
        times["sklearn"].append(h.time_once(lambda: fit(SklearnMLP))[0])
    return ["200 x 20 fit, (100,), 100 epochs", _fmt(h.median(times["sknn"]), "s"),
            _fmt(h.median(times["sklearn"]), "s"), "",
            f"sknn/sklearn {_ratio(times, 'sknn', 'sklearn'):.2f}", "sknn/sklearn <= 1.0"]


HEADERS = ["measure", "sknn", "scikit-learn", "PyTorch", "ratio", "goal"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds (default 7)")
    parser.add_argument("--threads", type=int, default=os.cpu_count(),
                        help="BLAS (and torch) threads; default: the cores")
    parser.add_argument("--quick", action="store_true", help="5000 rows, fewer sizes")
    parser.add_argument("--markdown", help="also write the table as markdown to this file")
    args = parser.parse_args(argv)

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    if torch_available():
        import torch

        torch.set_num_threads(args.threads)
    h.freeze_heap()
    with threadpool_limits(args.threads):
        env = h.environment(args.threads)
        rows = measure(args.rounds, args.quick, log)
    print(h.describe_environment(env))
    print(h.format_table(HEADERS, rows))
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(f"# The performance workload, {env['date']}\n\n")
            options = f" --rounds {args.rounds}" + (" --quick" if args.quick else "")
            if args.threads != os.cpu_count():
                options += f" --threads {args.threads}"
            f.write(f"`PYTHONPATH=. python benchmarks/workload.py{options}`\n\n"
                    f"```\n{h.describe_environment(env)}\n```\n\n")
            f.write(h.format_table(HEADERS, rows, markdown=True) + "\n")
    return rows


if __name__ == "__main__":
    main()
