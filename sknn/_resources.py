"""Refuse a network that cannot fit in memory, before anything is allocated.

The estimate counts the parameter vector and every vector of its size
training keeps (gradient, optimizer state, averaging, early stopping's best
parameters, the divergence checkpoint; L-BFGS's float64 history, the genetic
population), the batch-norm buffers, and the work arrays of one forward and
backward pass over a mini-batch (the whole set for L-BFGS). It is compared
with the memory available to the process: ``MemAvailable`` of
``/proc/meminfo`` (or ``os.sysconf``), capped by a cgroup limit when one is
set.

The environment variable ``SKNN_MEMORY_LIMIT`` overrides that: a size such
as ``"16GB"``, ``"512MiB"`` or a number of bytes is the memory a fit may
use; ``"off"`` switches the check off.
"""

import os
import re

import numpy as np

ENV_VAR = "SKNN_MEMORY_LIMIT"
#: vectors of the parameters' size besides theta: gradient, checkpoint, best and averaged theta
_BASE_COPIES = 4
#: L-BFGS-B keeps 10 correction pairs and a few more vectors, all in float64
_LBFGS_FLOAT64_COPIES = 2 * 10 + 6
#: work arrays per unit and row: the forward output, its cache and its gradient
_WORK_PER_UNIT = 3
_UNITS = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "m": 10**6, "mb": 10**6,
          "g": 10**9, "gb": 10**9, "t": 10**12, "tb": 10**12,
          "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}


class NetworkTooLargeError(MemoryError, ValueError):
    """The network a fit would build needs more memory than is available.

    Raised before anything is allocated; a ``MemoryError`` and a
    ``ValueError`` (so that searches with ``error_score`` record it).
    """


def parse_size(text):
    """Bytes in ``"16GB"``, ``"512 MiB"`` or ``"1e9"``; None for ``"off"``."""
    value = text.strip().lower()
    if value in ("off", "none", "0", "false", "no"):
        return None
    match = re.fullmatch(r"([0-9.e+]+)\s*([a-z]*)", value)
    if match is None or match.group(2) not in _UNITS:
        raise ValueError(
            f"{ENV_VAR}={text!r} is not a size: give bytes, a size such as '16GB' or "
            "'512MiB', or 'off'."
        )
    return int(float(match.group(1)) * _UNITS[match.group(2)])


def _meminfo_available():
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, OSError, ValueError):
        return None


def _cgroup_available():
    for limit_file, usage_file in (
        ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
        ("/sys/fs/cgroup/memory/memory.limit_in_bytes",
         "/sys/fs/cgroup/memory/memory.usage_in_bytes"),
    ):
        try:
            with open(limit_file) as limit, open(usage_file) as usage:
                return int(limit.read()) - int(usage.read())
        except (OSError, ValueError):
            continue
    return None


def available_memory():
    """Bytes a fit may use: ``SKNN_MEMORY_LIMIT``, else what the system has free.

    Returns
    -------
    int or None
        None when the check is off or nothing can be read.
    """
    setting = os.environ.get(ENV_VAR)
    if setting is not None:
        return parse_size(setting)
    found = [size for size in (_meminfo_available(), _cgroup_available()) if size is not None]
    return min(found) if found else None


def _parameter_copies(solver, n_params):
    """Vectors of the parameters' size the solver keeps, and bytes in float64 besides."""
    if solver.driver == "lbfgs":
        return 0, _LBFGS_FLOAT64_COPIES * n_params * 8
    if solver.driver == "genetic":
        return 3 * solver.population_size + 1, 0
    probe = 8
    state = solver.init_state(np.zeros(probe), probe)
    return sum(v.size for v in state.values() if isinstance(v, np.ndarray)) / probe, 0


def estimate_bytes(layers, dtype, solver, batch_rows):
    """Bytes a fit of ``layers`` needs at its peak (an estimate).

    Parameters
    ----------
    layers : list of Layer
        Built, not bound: no parameter is allocated yet.
    dtype : numpy dtype
    solver : Solver
    batch_rows : int
        Rows of the largest forward and backward pass.

    Returns
    -------
    int
    """
    itemsize = np.dtype(dtype).itemsize
    n_params = sum(int(np.prod(s.shape)) for layer in layers for s in layer.param_specs())
    n_buffers = sum(int(np.prod(s.shape)) for layer in layers for s in layer.buffer_specs())
    copies, extra = _parameter_copies(solver, n_params)
    units = sum(layer.n_out for layer in layers)
    vectors = (1 + _BASE_COPIES + copies) * n_params + 3 * n_buffers
    work = _WORK_PER_UNIT * batch_rows * units
    return int((vectors + work) * itemsize + extra)


def work_rows(batch_size, n_samples, mini_batches):
    """Rows of a training pass: a mini-batch, or the whole set."""
    if mini_batches:
        return min(200 if batch_size == "auto" else batch_size, n_samples)
    return n_samples


def _human(size):
    for unit in ("bytes", "kB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return None


def check_memory(estimator_name, layers, dtype, solver, batch_rows):
    """Raise ``NetworkTooLargeError`` when the fit would not fit in memory.

    Parameters
    ----------
    estimator_name : str
    layers, dtype, solver, batch_rows
        As ``estimate_bytes`` takes them.
    """
    available = available_memory()
    if available is None:
        return
    needed = estimate_bytes(layers, dtype, solver, batch_rows)
    if needed > available:
        source = f"{ENV_VAR}" if ENV_VAR in os.environ else "the memory available"
        raise NetworkTooLargeError(
            f"{estimator_name} would need about {_human(needed)} to train this network "
            f"(parameters, optimizer state and work arrays for {batch_rows} rows), more "
            f"than {source} ({_human(available)}). Reduce hidden_layer_sizes (or the "
            "maxout pieces, batch_size or population_size), or set the environment "
            f"variable {ENV_VAR} to a larger size, or to 'off' to skip this check."
        )
