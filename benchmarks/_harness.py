"""Shared machinery of the benchmark scripts: timing, memory, statistics, output.

Nothing here asserts on time: the scripts measure and print, they never fail
because something is slow.
"""

import datetime
import gc
import json
import math
import os
import platform
import statistics
import time
import tracemalloc
from contextlib import contextmanager

import numpy as np


# --------------------------------------------------------------- measuring
def freeze_heap():
    """Move every object alive now (modules: NumPy, SciPy, PyTorch...) out of the GC's
    reach, so that the ``gc.collect()`` before each timed call costs microseconds
    instead of a few hundred milliseconds."""
    gc.collect()
    if hasattr(gc, "freeze"):
        gc.freeze()


@contextmanager
def _gc_paused():
    """Collect once, then keep the cyclic GC out of the timed region (as timeit does)."""
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def time_once(fn):
    """Wall-clock seconds of one call of ``fn()``, and its return value."""
    with _gc_paused():
        start = time.perf_counter()
        out = fn()
        elapsed = time.perf_counter() - start
    return elapsed, out


def time_per_call(fn, min_time=0.05, max_calls=1000):
    """Seconds per call of ``fn()``, calling it in a loop for at least ``min_time``.

    For fast calls (predict on a few rows) one call is below the timer's useful
    resolution on a noisy machine; the loop amortises that.
    """
    with _gc_paused():
        calls = 0
        start = time.perf_counter()
        while True:
            fn()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_time or calls >= max_calls:
                return elapsed / calls


def peak_memory(fn):
    """Peak bytes that Python and NumPy allocate during ``fn()`` (tracemalloc).

    Only allocations made during the call count: data that exists before (the
    training set) does not, a copy of it made inside does. Memory that BLAS or
    PyTorch allocate by themselves is not traced.
    """
    gc.collect()
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    try:
        fn()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return max(peak - base, 0)


# -------------------------------------------------------------- statistics
def median(values):
    values = [v for v in values if v is not None and not math.isnan(v)]
    return statistics.median(values) if values else float("nan")


def iqr(values):
    """Interquartile range (p75 - p25); 0 for fewer than two values."""
    values = sorted(v for v in values if v is not None and not math.isnan(v))
    if len(values) < 2:
        return 0.0
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[2] - q[0]


def paired_ratios(numerators, denominators):
    """Per-repeat ratios of two series measured side by side."""
    return [a / b for a, b in zip(numerators, denominators) if b]


def geometric_mean(values):
    values = [v for v in values if v and not math.isnan(v)]
    if not values:
        return float("nan")
    return math.exp(sum(math.log(v) for v in values) / len(values))


# ------------------------------------------------------------- environment
def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _loadavg():
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (OSError, AttributeError):
        return None


def environment(threads):
    """What the numbers depend on: versions, CPU, BLAS and the thread setting."""
    import scipy
    import sklearn
    from threadpoolctl import threadpool_info

    env = {
        "date": datetime.date.today().isoformat(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "sklearn": sklearn.__version__,
        "cpus": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "threads": threads,
        "blas": sorted(
            {
                f"{p['internal_api']} {p.get('version')} ({p.get('architecture')})"
                for p in threadpool_info()
                if p["user_api"] == "blas"
            }
        ),
    }
    env["loadavg"] = _loadavg()
    env["malloc_env"] = {k: v for k, v in os.environ.items() if k.startswith("MALLOC_")}
    try:
        import torch

        env["torch"] = torch.__version__
    except ImportError:
        env["torch"] = None
    return env


def describe_environment(env):
    lines = [
        f"date {env['date']}; {env['cpus']} CPUs ({env['cpu_model']}); "
        f"threads pinned to {env['threads']} (threadpoolctl"
        + (", torch.set_num_threads" if env.get("torch") else "")
        + ")",
        f"python {env['python']}, numpy {env['numpy']}, scipy {env['scipy']}, "
        f"scikit-learn {env['sklearn']}, torch {env.get('torch') or 'not installed'}",
        "BLAS: " + "; ".join(env["blas"]),
        f"load average at start (1/5/15 min): {env['loadavg']}"
        + (f"; malloc settings: {env['malloc_env']}" if env.get("malloc_env") else ""),
    ]
    return "\n".join(lines)


def write_json(path, payload):
    with open(path, "w") as f:
        json.dump(payload, f, indent=2, default=float)


# ------------------------------------------------------------------ tables
def format_table(headers, rows, markdown=False):
    """A fixed-width text table, or a GitHub markdown one."""
    cells = [[str(c) for c in row] for row in rows]
    if markdown:
        out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
        out += ["| " + " | ".join(row) + " |" for row in cells]
        return "\n".join(out)
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h)
              for i, h in enumerate(headers)]
    line = "  ".join(h.rjust(w) if i else h.ljust(w) for i, (h, w) in enumerate(zip(headers, widths)))
    out = [line, "-" * len(line)]
    for row in cells:
        out.append("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))))
    return "\n".join(out)


def fmt_seconds(s):
    """Seconds in a readable unit (ms below 1 s)."""
    if s is None or math.isnan(s):
        return "-"
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.1f} ms"
    return f"{s * 1e6:.0f} us"


def fmt_ratio(r, spread=None):
    if r is None or math.isnan(r):
        return "-"
    return f"{r:.2f}x" if spread is None else f"{r:.2f}x ±{spread / 2:.2f}"


def fmt_mb(b):
    if b is None or (isinstance(b, float) and math.isnan(b)):
        return "-"
    return f"{b / 2**20:.1f} MB"
