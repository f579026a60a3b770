"""Concurrent prediction, Ctrl-C at any point and failing callbacks, for every solver."""

import pickle
import threading
import warnings

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from sknn import MLPClassifier, MLPRegressor
from sknn._network import Objective
from sknn.optimizers import OPTIMIZERS

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

SOLVERS = OPTIMIZERS.names(aliases=False)
rng = np.random.RandomState(0)
X = rng.randn(60, 4)
y = np.arange(60) % 3


def make(solver, **params):
    return MLPClassifier((6,), solver=solver, max_iter=8, batch_size=20, random_state=0,
                         **params)


# ------------------------------------------------------------ threads at predict
@pytest.mark.parametrize("params", [dict(), dict(batch_norm=True, averaging="ema")])
def test_predict_from_many_threads_equals_serial_results(params):
    est = MLPClassifier((64, 32), max_iter=5, random_state=0, **params).fit(X, y)
    loaded = pickle.loads(pickle.dumps(est))  # no inference network yet: threads race to build it
    inputs = [np.random.RandomState(i).randn(2000, 4) for i in range(8)]
    expected = [(est.predict(x), est.predict_proba(x)) for x in inputs]
    barrier = threading.Barrier(len(inputs))
    results, errors = [None] * len(inputs), []

    def work(i):
        try:
            barrier.wait()
            for _ in range(5):
                results[i] = (loaded.predict(inputs[i]), loaded.predict_proba(inputs[i]))
        except Exception as error:  # reported below, in the main thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(inputs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for (labels, proba), (want_labels, want_proba) in zip(results, expected):
        assert_array_equal(labels, want_labels)
        assert_array_equal(proba, want_proba)


def test_a_regressor_predicts_from_threads_as_serially():
    reg = MLPRegressor(hidden_layer_sizes=(32,), max_iter=5, random_state=0).fit(X, X[:, 0])
    inputs = [np.random.RandomState(i).randn(3000, 4) for i in range(6)]
    results = [None] * len(inputs)
    threads = [threading.Thread(target=lambda i=i: results.__setitem__(i, reg.predict(inputs[i])))
               for i in range(len(inputs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for got, x in zip(results, inputs):
        assert_array_equal(got, reg.predict(x))


# ------------------------------------------------------------ Ctrl-C anywhere
def assert_consistent_and_usable(est, n_samples):
    assert est.n_iter_ == len(est.loss_curve_) == len(est.history_)
    assert np.isfinite(est.theta_).all() and np.isfinite(est.loss_curve_).all()
    if est.solver != "lbfgs":  # early stopping trains on 90% of the rows
        assert est.t_ == est.n_iter_ * (n_samples * 9 // 10 if est.early_stopping else n_samples)
    for value in est.training_state_["optimizer"].values():
        if isinstance(value, np.ndarray):
            assert value.dtype == est.theta_.dtype and value.shape[-1] == est.theta_.size
    proba = est.predict_proba(X)
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        n_before = len(est.loss_curve_)
        if hasattr(est, "partial_fit") and not est.early_stopping:
            est.partial_fit(X, y)
        else:
            est.set_params(warm_start=True, max_iter=2).fit(X, y)
    assert len(est.loss_curve_) > n_before and np.isfinite(est.predict_proba(X)).all()


@pytest.fixture
def interrupt_after(monkeypatch):
    """``interrupt_after(k)``: the objective's (k+1)-th evaluation raises KeyboardInterrupt."""

    def install(calls):
        count = [0]
        originals = {name: getattr(Objective, name) for name in ("__call__", "value")}

        def counted(name):
            def evaluate(self, *args, **kwargs):
                count[0] += 1
                if count[0] > calls:
                    raise KeyboardInterrupt
                return originals[name](self, *args, **kwargs)
            return evaluate

        for name in originals:
            monkeypatch.setattr(Objective, name, counted(name))
        return monkeypatch

    return install


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("calls", [1, 4, 7])  # after the initial-loss evaluation
def test_keyboard_interrupt_mid_epoch_keeps_a_usable_consistent_model(solver, calls,
                                                                      interrupt_after):
    est = make(solver)
    patch = interrupt_after(1 + calls)
    with pytest.warns(UserWarning, match="Training interrupted by user"):
        est.fit(X, y)
    patch.undo()
    assert est.n_iter_ < 8
    assert_consistent_and_usable(est, len(X))


@pytest.mark.parametrize("solver", SOLVERS)
def test_keyboard_interrupt_before_training_propagates_and_leaves_the_initial_model(
        solver, interrupt_after):
    est = make(solver)
    patch = interrupt_after(0)
    with pytest.raises(KeyboardInterrupt):
        est.fit(X, y)
    patch.undo()
    assert est.n_iter_ == 0 and est.loss_curve_ == [] and est.initial_loss_ is None
    assert_consistent_and_usable(est, len(X))


@pytest.mark.parametrize("solver", SOLVERS)
def test_keyboard_interrupt_in_a_callback_keeps_the_completed_epochs(solver):
    def interrupt_at_third(est, record):
        if record["epoch"] == 2:
            raise KeyboardInterrupt

    est = make(solver, callbacks=interrupt_at_third)
    with pytest.warns(UserWarning, match="Training interrupted by user"):
        est.fit(X, y)
    assert est.n_iter_ == 3
    assert_consistent_and_usable(est, len(X))


# ------------------------------------------------------------ a failing callback
def comparable(est):
    state = {k: v for k, v in est.training_state_.items() if k != "history"}
    history = [{k: v for k, v in r.items() if k != "time"} for r in est.history_]
    return est.theta_, est.n_iter_, est.loss_curve_, history, state


def assert_same(a, b):
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for key in a:
            assert_same(a[key], b[key])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, z in zip(a, b):
            assert_same(x, z)
    else:
        assert_array_equal(a, b)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("params", [dict(), dict(early_stopping=True, averaging="ema")])
def test_a_callback_exception_leaves_the_model_as_stopped_after_that_epoch(solver, params):
    """The model a failing callback leaves equals one a callback stopped at the same epoch."""
    if params and solver in ("lbfgs", "genetic"):  # no averaging; L-BFGS ignores early stopping
        params = dict(batch_norm=True) if solver == "lbfgs" else dict(early_stopping=True)

    def fail_at_third(est, record):
        if record["epoch"] == 2:
            raise RuntimeError("the callback failed")

    def stop_at_third(est, record):
        return record["epoch"] == 2

    failed = make(solver, callbacks=fail_at_third, **params)
    with pytest.raises(RuntimeError, match="the callback failed"):
        failed.fit(X, y)
    stopped = make(solver, callbacks=stop_at_third, **params).fit(X, y)
    assert failed.n_iter_ == 3
    assert_same(comparable(failed), comparable(stopped))
    assert_array_equal(failed.predict_proba(X), stopped.predict_proba(X))
    failed.set_params(callbacks=None)
    assert_consistent_and_usable(failed, len(X))


# ------------------------------------------------------------ determinism across thread counts
def every_component():
    from sknn._registry import REGISTRIES

    parameter = {"activation": "activation", "optimizer": "solver", "schedule": "learning_rate",
                 "initializer": "weight_init", "averaging": "averaging", "loss": "loss"}
    for kind, registry in REGISTRIES.items():
        for name, cls in registry.items():
            cls_ = MLPRegressor if getattr(cls, "task", None) == "regression" else MLPClassifier
            yield pytest.param(cls_, {parameter[kind]: name}, id=f"{kind}={name}")


@pytest.mark.parametrize("cls, params", list(every_component()))
def test_same_seed_is_bitwise_identical_across_runs_and_thread_counts(cls, params):
    from threadpoolctl import threadpool_limits

    target = X[:, 0] if cls is MLPRegressor else y
    if params.get("loss") == "poisson":
        target = np.exp(target)

    def fitted(threads):
        with threadpool_limits(threads), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est = cls(hidden_layer_sizes=(64,), max_iter=3, random_state=7, **params)
            est.fit(np.tile(X, (4, 1)), np.concatenate([target] * 4))
            return est.theta_, est.predict(X), est.loss_curve_

    first = fitted(1)
    for threads in (1, 2):
        for a, b in zip(first, fitted(threads)):
            assert_array_equal(a, b)


def test_same_seed_is_bitwise_identical_in_another_process():
    import hashlib
    import os
    import subprocess
    import sys

    script = (
        "import hashlib, numpy as np, warnings; warnings.simplefilter('ignore')\n"
        "from sknn import MLPClassifier\n"
        "rng = np.random.RandomState(0); X = rng.randn(60, 4); y = np.arange(60) % 3\n"
        "est = MLPClassifier((16,), solver='sgd', batch_norm=True, dropout=0.2, "
        "averaging='ema', max_iter=4, random_state=3).fit(X, y)\n"
        "print(hashlib.sha256(est.theta_.tobytes() + est.predict_proba(X).tobytes()).hexdigest())\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "123", "OPENBLAS_NUM_THREADS": "2"}
    other = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           env=env, check=True).stdout.strip()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = MLPClassifier((16,), solver="sgd", batch_norm=True, dropout=0.2,
                            averaging="ema", max_iter=4, random_state=3).fit(X, y)
    here = hashlib.sha256(est.theta_.tobytes() + est.predict_proba(X).tobytes()).hexdigest()
    assert other == here
