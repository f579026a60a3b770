"""Bounded resources: networks too large for memory are refused, long runs do not grow."""

import os
import time
import tracemalloc
import warnings

import numpy as np
import pytest

from sknn import MLPClassifier, MLPRegressor
from sknn._network import build_layers
from sknn._resources import (
    ENV_VAR,
    NetworkTooLargeError,
    available_memory,
    estimate_bytes,
    parse_size,
    work_rows,
)
from sknn.activations import Maxout
from sknn.optimizers import Genetic
from sknn.training import driver_for

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

X30 = np.random.RandomState(0).randn(30, 5)
Y30 = (X30[:, 0] > 0).astype(int)


def refused(est, X=X30, y=Y30):
    """Fit ``est``, expecting a refusal; the error, the seconds and the traced peak bytes."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(NetworkTooLargeError) as info:
            est.fit(X, y)
        return info.value, time.perf_counter() - start, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("params", [
    dict(hidden_layer_sizes=(10**7,)),
    dict(hidden_layer_sizes=(10**7,), solver="lbfgs"),
    dict(hidden_layer_sizes=(100,), activation=Maxout(pieces=10**6)),
    dict(hidden_layer_sizes=(1000,), solver=Genetic(population_size=10**5)),
])
def test_a_network_over_the_limit_is_refused_before_anything_is_allocated(params, monkeypatch):
    monkeypatch.setenv(ENV_VAR, "500MB")
    error, seconds, peak = refused(MLPClassifier(max_iter=1, **params))
    assert isinstance(error, MemoryError) and isinstance(error, ValueError)
    message = str(error)
    assert message.startswith("MLPClassifier would need about ")
    assert "GB" in message.split("to train")[0] or "MB" in message.split("to train")[0]
    assert f"more than {ENV_VAR} (500.0 MB)" in message and "hidden_layer_sizes" in message
    assert seconds < 2 and peak < 20e6


@pytest.mark.parametrize("params", [
    dict(hidden_layer_sizes=(10**12,)),
    dict(hidden_layer_sizes=(1000,), activation=Maxout(pieces=10**6)),
])
def test_a_network_larger_than_any_machine_is_refused_by_default(params, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    est = MLPRegressor(max_iter=1, **params)
    error, seconds, _ = refused(est, y=X30[:, 0])
    assert "more than the memory available" in str(error)
    assert seconds < 2 and not hasattr(est, "theta_")


def test_the_limit_can_be_switched_off_and_raised(monkeypatch):
    monkeypatch.setenv(ENV_VAR, "off")
    assert available_memory() is None
    monkeypatch.setenv(ENV_VAR, "2GiB")
    assert available_memory() == 2 * 2**30
    monkeypatch.setenv(ENV_VAR, "1kB")
    with pytest.raises(NetworkTooLargeError):
        MLPClassifier((2,), max_iter=1).fit(X30, Y30)
    monkeypatch.setenv(ENV_VAR, "lots")
    with pytest.raises(ValueError, match=f"{ENV_VAR}='lots' is not a size"):
        MLPClassifier((2,), max_iter=1).fit(X30, Y30)


@pytest.mark.parametrize("text, size", [
    ("123", 123), ("1.5e3", 1500), ("16GB", 16 * 10**9), ("512 MiB", 512 * 2**20),
    ("2tb", 2 * 10**12), ("none", None),
])
def test_parse_size(text, size):
    assert parse_size(text) == size


def test_available_memory_reads_the_system_by_default(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    available = available_memory()
    assert available is not None and 10**7 < available < 2**50


def estimate(est, n_samples):
    parts = est._components()
    driver = driver_for(parts.solver)
    rows = work_rows(est.batch_size, n_samples, driver.mini_batches)
    return estimate_bytes(build_layers(est._arch), est.theta_.dtype, parts.solver, rows)


@pytest.mark.parametrize("params", [
    dict(), dict(solver="lbfgs"), dict(solver="genetic"), dict(activation=Maxout(pieces=4)),
    dict(solver="sgd", batch_norm=True), dict(averaging="ema", early_stopping=True),
])
def test_the_estimate_bounds_the_traced_peak_within_a_factor_three(params):
    X = np.random.RandomState(0).randn(400, 20)
    y = np.arange(400) % 3
    est = MLPClassifier((1500,), max_iter=2, random_state=0, **params)
    tracemalloc.start()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est.fit(X, y)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak <= estimate(est, 400) <= 3 * peak


# ------------------------------------------------------------ no growth in long runs
def resident_bytes():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs Linux /proc")
@pytest.mark.parametrize("est", [
    MLPClassifier((32,), batch_norm=True, dropout=0.1, averaging="ema", random_state=0),
    MLPRegressor(hidden_layer_sizes=(32, 16), solver="sgd", learning_rate="plateau", l1=1e-4,
                 random_state=0),
])
def test_400_partial_fit_calls_do_not_grow_the_resident_set(est):
    rng = np.random.RandomState(0)

    def fresh_batch():
        X = rng.randn(64, 10)
        return X, (X[:, 0] > 0).astype(int) if isinstance(est, MLPClassifier) else X[:, 0]

    kwargs = {"classes": [0, 1]} if isinstance(est, MLPClassifier) else {}
    for _ in range(100):  # warm-up: allocator pools, caches, first-call imports
        est.partial_fit(*fresh_batch(), **kwargs)
    before = resident_bytes()
    for _ in range(400):
        est.partial_fit(*fresh_batch(), **kwargs)
    growth = resident_bytes() - before
    assert len(est.history_) == 500 and est.t_ == 500 * 64
    assert growth < 3 * 2**20, f"resident set grew by {growth / 2**20:.1f} MiB"
