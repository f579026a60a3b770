"""Searches and ensembles on a real Dask cluster, through joblib's "dask" backend.

One ``distributed.LocalCluster`` of two worker processes (one thread each)
serves the module. Each test runs the same scikit-learn code on it and in
this process, checks from the cluster's task stream that every fit ran on
the workers, and that both runs give the same results.
"""

import logging
import os
import re
from collections import Counter

import joblib
import numpy as np
import pytest
from distributed import Client, LocalCluster, get_task_stream
from sklearn.datasets import load_digits
from sklearn.ensemble import BaggingClassifier
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknn import MLPClassifier
from sknn.ensemble import SnapshotEnsembleClassifier
from sknn.optimizers import Adam
from sknn.search import CoarseToFineSearchCV, LogUniform

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

# joblib's dask backend names each task after the calls it batches:
# "batch_of__fit_and_score_3_calls-<hash>", "mixed_batch_of_..._2_calls-<hash>"
BATCH_KEY = re.compile(r"batch_of_(?P<function>\w+?)_(?P<calls>\d+)_calls-")


@pytest.fixture(scope="module")
def client():
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
        silence_logs=logging.ERROR, env={"OMP_NUM_THREADS": "1"},
    )
    with cluster, Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X[:300], y[:300]


def on_cluster(client, fit):
    """Run ``fit()`` under the dask backend; return its result and the calls per worker.

    Returns
    -------
    result : object
        What ``fit`` returned.
    calls : Counter
        ``(function name, worker address) -> number of calls`` run there.
    """
    with get_task_stream(client) as stream, joblib.parallel_config(backend="dask"):
        result = fit()
    calls = Counter()
    for task in stream.data:
        match = BATCH_KEY.search(task["key"])
        assert match, f"a task that joblib did not send: {task['key']}"
        calls[match["function"], task["worker"]] += int(match["calls"])
    return result, calls


def assert_ran_on_the_workers(client, calls, function, n_calls):
    workers = set(client.scheduler_info()["workers"])
    assert {worker for _, worker in calls} == workers  # both workers took a share
    assert sum(n for (name, _), n in calls.items() if name == function) == n_calls


def assert_same_search(remote, local, X):
    for key in ("params", "mean_test_score", "std_test_score", "split0_test_score"):
        assert list(remote.cv_results_[key]) == list(local.cv_results_[key]), key
    assert remote.best_params_ == local.best_params_
    np.testing.assert_array_equal(remote.predict_proba(X), local.predict_proba(X))


def test_workers_are_separate_processes_with_one_blas_thread(client):
    pids = client.run(os.getpid)
    assert len(set(pids.values())) == 2 and os.getpid() not in pids.values()
    assert set(client.run(os.getenv, "OMP_NUM_THREADS").values()) == {"1"}


def test_randomized_search_over_a_pipeline_runs_on_the_workers(client, digits):
    X, y = digits

    def search():
        pipe = make_pipeline(StandardScaler(), MLPClassifier(
            (16,), solver=Adam(), max_iter=5, random_state=0))
        return RandomizedSearchCV(pipe, {
            "mlpclassifier__solver__learning_rate_init": LogUniform(1e-4, 1e-1),
            "mlpclassifier__solver__beta_2": [0.99, 0.999],
            "mlpclassifier__alpha": LogUniform(1e-6, 1e-1),
        }, n_iter=4, cv=2, n_jobs=2, random_state=0)

    remote, calls = on_cluster(client, lambda: search().fit(X, y))
    assert_ran_on_the_workers(client, calls, "_fit_and_score", 4 * 2)
    assert_same_search(remote, search().fit(X, y), X)


def test_coarse_to_fine_search_runs_every_round_on_the_workers(client, digits):
    X, y = digits

    def search():
        net = MLPClassifier((16,), max_iter=5, random_state=0)
        return CoarseToFineSearchCV(
            make_pipeline(StandardScaler(), net),
            {"mlpclassifier__learning_rate_init": LogUniform(1e-4, 1e-1),
             "mlpclassifier__alpha": LogUniform(1e-6, 1e-1)},
            n_iter=6, n_rounds=2, cv=2, n_jobs=2, random_state=0,
        )

    remote, calls = on_cluster(client, lambda: search().fit(X, y))
    assert_ran_on_the_workers(client, calls, "_fit_and_score", 6 * 2)
    assert list(remote.cv_results_["round"]) == [0, 0, 0, 1, 1, 1]
    assert_same_search(remote, search().fit(X, y), X)


def snapshot_ensemble():
    net = MLPClassifier((16,), learning_rate_init=0.01, batch_size=64, random_state=0)
    return make_pipeline(StandardScaler(), SnapshotEnsembleClassifier(
        net, n_cycles=2, cycle_length=3))


def test_search_over_a_snapshot_ensemble_trains_each_ensemble_on_a_worker(client, digits):
    X, y = digits
    grid = {"snapshotensembleclassifier__estimator__learning_rate_init": [0.003, 0.01],
            "snapshotensembleclassifier__n_cycles": [2, 3]}

    def search():
        return GridSearchCV(snapshot_ensemble(), grid, cv=2, n_jobs=2)

    remote, calls = on_cluster(client, lambda: search().fit(X, y))
    assert_ran_on_the_workers(client, calls, "_fit_and_score", 4 * 2)
    assert_same_search(remote, search().fit(X, y), X)
    best = remote.best_estimator_[-1]
    assert len(best.estimators_) == best.n_cycles  # a checkpoint per cycle


def test_bagged_snapshot_ensembles_are_trained_on_the_workers(client, digits):
    X, y = digits

    def bag():
        return BaggingClassifier(snapshot_ensemble(), n_estimators=4, max_samples=0.8,
                                 n_jobs=2, random_state=0)

    remote, calls = on_cluster(client, lambda: bag().fit(X, y))
    # one call per group of members: as many groups as the cluster has threads
    assert_ran_on_the_workers(client, calls, "_parallel_build_estimators", 2)
    local = bag().fit(X, y)
    assert [len(e[-1].estimators_) for e in remote.estimators_] == [2] * 4
    np.testing.assert_array_equal(remote.predict_proba(X), local.predict_proba(X))
