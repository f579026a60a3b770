"""Side-by-side speed and memory benchmark: sknn vs scikit-learn (vs PyTorch).

Usage (from the repository root, without installing sknn)::

    PYTHONPATH=. python benchmarks/run.py                 # every case, 5 repeats
    PYTHONPATH=. python benchmarks/run.py --quick         # < 1 minute
    PYTHONPATH=. python benchmarks/run.py clf-adam-f64 'digits-*' --repeats 7
    PYTHONPATH=. python benchmarks/run.py --list

For each case and each repeat the libraries are fitted one after the other
(their order rotating between repeats), so slow phases of a shared machine hit
all of them; ratios are taken per repeat and summarised by their median.
Reported:

- fit time per epoch (L-BFGS: per iteration) = fit wall time / ``n_iter_``;
- predict time on the training set, and for one row (latency);
- peak traced memory (tracemalloc) of one fit and one predict, separately from
  the timed runs; PyTorch's allocator is not traced, so it has no memory column.

Nothing is asserted: the script prints tables (and ``--json`` writes the raw
samples); the goal columns only mark whether a ratio meets the README's goals.
"""

import argparse
import fnmatch
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from threadpoolctl import threadpool_limits  # noqa: E402

import _harness as h  # noqa: E402
from cases import (  # noqa: E402
    CASES, LIBS, QUICK_CASES, describe_data, load, make_estimator, quiet, torch_available,
)

FIT_GOAL = 1.2  # sknn fit time at most 1.2x scikit-learn's
MEM_GOAL = 1.0  # sknn peak memory not above scikit-learn's


def select_cases(patterns, quick):
    if not patterns:
        if quick:
            return [c for c in CASES if c.name in QUICK_CASES]
        return list(CASES)
    chosen = [c for c in CASES
              if any(fnmatch.fnmatch(c.name, p) or p in c.tags for p in patterns)]
    if not chosen:
        raise SystemExit(f"no case matches {patterns}; see --list")
    return chosen


def run_case(case, libs, repeats, quick, memory, log):
    started = time.perf_counter()
    X, y = load(case, quick)
    n_iters = case.n_iters(quick)
    libs = [lib for lib in libs if make_estimator(lib, case, 1) is not None]
    log(f"  {case.name}: {describe_data(case, quick)}, hidden {case.hidden}, {case.solver}, "
        f"{case.dtype}, {n_iters} {'iterations' if case.solver == 'lbfgs' else 'epochs'}, "
        f"libs {', '.join(libs)}")

    # Warm-up: imports, first-call costs, BLAS buffers; not recorded.
    for lib in libs:
        est = make_estimator(lib, case, 1)
        quiet(lambda: est.fit(X, y))
        est.predict(X[:1])

    samples = {lib: {"fit": [], "n_iter": [], "per_iter": [], "predict": [], "predict_1": []}
               for lib in libs}
    for r in range(repeats):
        order = libs[r % len(libs):] + libs[:r % len(libs)]
        for lib in order:
            est = make_estimator(lib, case, n_iters)
            seconds, _ = h.time_once(lambda: quiet(lambda: est.fit(X, y)))
            s = samples[lib]
            s["fit"].append(seconds)
            s["n_iter"].append(int(est.n_iter_))
            s["per_iter"].append(seconds / max(int(est.n_iter_), 1))
            s["predict"].append(h.time_per_call(lambda: est.predict(X), min_time=0.02))
            s["predict_1"].append(h.time_per_call(lambda: est.predict(X[:1]),
                                                  min_time=0.02 if quick else 0.05))

    mem = {}
    if memory:
        for lib in libs:
            if lib == "torch":
                continue
            est = make_estimator(lib, case, n_iters)
            fit_peak = h.peak_memory(lambda: quiet(lambda: est.fit(X, y)))
            predict_peak = h.peak_memory(lambda: est.predict(X))
            mem[lib] = {"fit_peak": fit_peak, "predict_peak": predict_peak}

    log(f"    done in {time.perf_counter() - started:.1f} s")
    return {"case": case.name, "data": describe_data(case, quick), "hidden": list(case.hidden),
            "solver": case.solver, "dtype": case.dtype, "n_iters": n_iters,
            "bytes_X": int(X.nbytes), "samples": samples, "memory": mem}


def summarise(result):
    """Medians and paired ratios of one case's samples."""
    s = result["samples"]
    out = {"case": result["case"]}
    for lib, d in s.items():
        out[lib] = {k: h.median(v) for k, v in d.items() if k != "n_iter"}
        out[lib]["n_iter"] = sorted(set(d["n_iter"]))
    for other in ("sklearn", "torch"):
        if "sknn" in s and other in s:
            for key in ("per_iter", "predict", "predict_1"):
                ratios = h.paired_ratios(s["sknn"][key], s[other][key])
                out[f"{key}_vs_{other}"] = (h.median(ratios), h.iqr(ratios))
    m = result["memory"]
    if "sknn" in m and "sklearn" in m:
        for key in ("fit_peak", "predict_peak"):
            base = m["sklearn"][key]
            out[f"{key}_ratio"] = m["sknn"][key] / base if base else float("nan")
    return out


def _ratio(summary, key):
    value = summary.get(key)
    return h.fmt_ratio(*value) if value else "-"


def tables(results, markdown=False):
    sums = [summarise(r) for r in results]
    has_torch = any("torch" in s for s in sums)
    text = []

    headers = ["case", "iters", "sknn/iter", "sklearn/iter", "sknn/sklearn", "goal"]
    if has_torch:
        headers += ["torch/iter", "sknn/torch"]
    rows = []
    for s, r in zip(sums, results):
        n_iter = s.get("sknn", {}).get("n_iter", [])
        other = s.get("sklearn", {}).get("n_iter", [])
        iters = ",".join(map(str, n_iter)) + ("" if n_iter == other else f" (sklearn {other})")
        ratio = s.get("per_iter_vs_sklearn", (float("nan"), 0))[0]
        row = [s["case"], iters, h.fmt_seconds(s.get("sknn", {}).get("per_iter")),
               h.fmt_seconds(s.get("sklearn", {}).get("per_iter")),
               _ratio(s, "per_iter_vs_sklearn"),
               "ok" if ratio <= FIT_GOAL else "MISS"]
        if has_torch:
            row += [h.fmt_seconds(s.get("torch", {}).get("per_iter")),
                    _ratio(s, "per_iter_vs_torch")]
        rows.append(row)
    text.append("Fit time per epoch (lbfgs: per iteration), medians; ratio = median of "
                "per-repeat ratios ± half its IQR")
    text.append(h.format_table(headers, rows, markdown))

    headers = ["case", "sknn predict", "sklearn predict", "sknn/sklearn",
               "sknn 1 row", "sklearn 1 row", "sknn/sklearn"]
    if has_torch:
        headers += ["torch predict", "sknn/torch"]
    rows = []
    for s in sums:
        row = [s["case"], h.fmt_seconds(s.get("sknn", {}).get("predict")),
               h.fmt_seconds(s.get("sklearn", {}).get("predict")), _ratio(s, "predict_vs_sklearn"),
               h.fmt_seconds(s.get("sknn", {}).get("predict_1")),
               h.fmt_seconds(s.get("sklearn", {}).get("predict_1")),
               _ratio(s, "predict_1_vs_sklearn")]
        if has_torch:
            row += [h.fmt_seconds(s.get("torch", {}).get("predict")),
                    _ratio(s, "predict_vs_torch")]
        rows.append(row)
    text.append("\nPredict time on the training set and on one row, medians")
    text.append(h.format_table(headers, rows, markdown))

    if any(r["memory"] for r in results):
        headers = ["case", "X size", "sknn fit peak", "sklearn fit peak", "sknn/sklearn", "goal",
                   "sknn predict peak", "sklearn predict peak", "sknn/sklearn"]
        rows = []
        for s, r in zip(sums, results):
            m = r["memory"]
            if not m:
                continue
            ratio = s.get("fit_peak_ratio", float("nan"))
            rows.append([s["case"], h.fmt_mb(r["bytes_X"]),
                         h.fmt_mb(m.get("sknn", {}).get("fit_peak")),
                         h.fmt_mb(m.get("sklearn", {}).get("fit_peak")),
                         h.fmt_ratio(ratio), "ok" if ratio <= MEM_GOAL else "MISS",
                         h.fmt_mb(m.get("sknn", {}).get("predict_peak")),
                         h.fmt_mb(m.get("sklearn", {}).get("predict_peak")),
                         h.fmt_ratio(s.get("predict_peak_ratio", float("nan")))])
        text.append("\nPeak traced memory (tracemalloc: Python + NumPy allocations) during "
                    "one fit / one predict")
        text.append(h.format_table(headers, rows, markdown))

    fit = [s["per_iter_vs_sklearn"][0] for s in sums if "per_iter_vs_sklearn" in s]
    text.append(f"\nGeometric mean of sknn/sklearn fit-time ratios over {len(fit)} cases: "
                f"{h.geometric_mean(fit):.2f}x (goal: 1.0-{FIT_GOAL}x)")
    return "\n".join(text)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*",
                        help="case names, shell patterns or tags (digits, synth, reg); "
                             "default: all (with --quick: a small set)")
    parser.add_argument("--quick", action="store_true",
                        help="smaller data, fewer epochs, a subset of cases: < 1 minute")
    parser.add_argument("--repeats", type=int, default=5, help="timed fits per library (>= 5 "
                        "for reported numbers; default 5)")
    parser.add_argument("--threads", type=int, default=1,
                        help="BLAS/OpenMP (and torch) threads, pinned (default 1)")
    parser.add_argument("--libs", default=",".join(LIBS),
                        help="comma-separated subset of sknn,sklearn,torch")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if installed")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc runs")
    parser.add_argument("--markdown", action="store_true", help="print markdown tables")
    parser.add_argument("--json", metavar="PATH", help="write environment and raw samples")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    args = parser.parse_args(argv)

    if args.list:
        for c in CASES:
            print(f"{c.name:18s} {c.task} {c.data:10s} hidden={c.hidden} {c.solver:5s} "
                  f"{c.dtype} iters={c.iters} (quick {c.quick_iters})"
                  + ("  [quick]" if c.name in QUICK_CASES else ""))
        return 0

    libs = [lib.strip() for lib in args.libs.split(",") if lib.strip()]
    if args.no_torch or not torch_available():
        libs = [lib for lib in libs if lib != "torch"]
    cases = select_cases(args.cases, args.quick)

    if "torch" in libs:
        import torch

        torch.set_num_threads(args.threads)
    import sklearn.neural_network  # noqa: F401  (imported before the heap is frozen)

    import sknn  # noqa: F401

    h.freeze_heap()
    with threadpool_limits(limits=args.threads):
        env = h.environment(args.threads)
        print(h.describe_environment(env))
        print(f"libs: {', '.join(libs)}; repeats: {args.repeats}; "
              f"{'quick' if args.quick else 'full'} mode", flush=True)
        results = []
        for case in cases:
            results.append(run_case(case, libs, args.repeats, args.quick, not args.no_memory,
                                    lambda msg: print(msg, flush=True)))
        env["loadavg_end"] = h._loadavg()
    print(f"load average at end: {env['loadavg_end']}")
    print()
    print(tables(results, markdown=args.markdown))
    if args.json:
        h.write_json(args.json, {"environment": env, "args": vars(args), "results": results,
                                 "summaries": [summarise(r) for r in results]})
    return 0


if __name__ == "__main__":
    sys.exit(main())
