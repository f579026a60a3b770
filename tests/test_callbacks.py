"""scikit-learn's callback API (``sklearn.callback``): one task per epoch, in Pipelines
and searches; sknn's own ``callbacks`` parameter refuses scikit-learn's objects."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknn import MLPClassifier
from sknn.optimizers import Genetic

callback = pytest.importorskip("sklearn.callback", reason="scikit-learn < 1.9 has no callback API")
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def small_data(n=80, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, 4))
    return X, (X[:, 0] + X[:, 1] > 0).astype(int)


class TaskRecorder:
    """An auto-propagated callback recording every (estimator, task) that ends."""

    max_propagation_depth = None

    def __init__(self, stop_after=None):
        self.ended, self.stop_after = [], stop_after

    def setup(self, estimator, context):
        pass

    def teardown(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context):
        pass

    def on_fit_task_end(self, estimator, context, *, fitted_estimator=None):
        self.ended.append((type(estimator).__name__, context.task_name, fitted_estimator))
        tasks = [t for t in self.ended if t[1] in ("epoch", "iteration", "generation")]
        return self.stop_after is not None and len(tasks) >= self.stop_after


def _tasks(recorder, estimator="MLPClassifier"):
    """The tasks that ran (L-BFGS ends one more, empty task, as scikit-learn's does)."""
    return [task for name, task, fitted in recorder.ended
            if name == estimator and fitted is not None]


@pytest.mark.parametrize("solver, task, n", [
    ("adam", "epoch", 4), ("lbfgs", "iteration", 4), (Genetic(population_size=4), "generation", 4),
])
def test_one_task_per_epoch_iteration_or_generation(solver, task, n):
    X, y = small_data()
    recorder = TaskRecorder()
    est = MLPClassifier((3,), solver=solver, max_iter=n, tol=0.0, random_state=0)
    est.set_callbacks(recorder).fit(X, y)
    tasks = _tasks(recorder)
    assert tasks.count(task) == est.n_iter_ == len(est.loss_curve_)
    assert tasks[-1] == "fit"


def test_the_fitted_estimator_of_each_task_predicts_with_that_epochs_parameters():
    X, y = small_data()
    recorder = TaskRecorder()
    est = MLPClassifier((3,), max_iter=3, learning_rate_init=0.05, random_state=0)
    est.set_callbacks(recorder).fit(X, y)
    snapshots = [fitted for _, task, fitted in recorder.ended if task == "epoch"]
    probas = [s.predict_proba(X) for s in snapshots]
    assert not np.allclose(probas[0], probas[-1])  # each saw its own epoch
    np.testing.assert_allclose(probas[-1], est.predict_proba(X))
    assert snapshots[0].theta_ is not est.theta_


def test_a_callback_can_stop_training():
    X, y = small_data()
    est = MLPClassifier((3,), max_iter=50, random_state=0)
    est.set_callbacks(TaskRecorder(stop_after=2)).fit(X, y)
    assert est.n_iter_ == 2


def test_scoring_monitor_logs_one_row_per_epoch():
    X, y = small_data()
    monitor = callback.ScoringMonitor(scoring="accuracy")
    est = MLPClassifier((3,), max_iter=4, random_state=0)
    est.set_callbacks(monitor).fit(X, y)
    rows = [row for row in monitor.get_logs().data if row["task_name"] == "epoch"]
    assert len(rows) == est.n_iter_ == 4
    assert all(0 <= row["accuracy"] <= 1 for row in rows)


def test_callbacks_propagate_through_a_pipeline_and_a_search():
    X, y = small_data(120)
    recorder = TaskRecorder()
    pipe = make_pipeline(StandardScaler(), MLPClassifier((3,), max_iter=3, random_state=0))
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # no "does not support callbacks"
        warnings.simplefilter("ignore", ConvergenceWarning)
        pipe.set_callbacks(recorder).fit(X, y)
    assert _tasks(recorder).count("epoch") == 3
    recorder = TaskRecorder()
    pipe = make_pipeline(StandardScaler(), MLPClassifier((3,), max_iter=3, random_state=0))
    search = GridSearchCV(pipe, {"mlpclassifier__alpha": [1e-4, 1e-2]}, cv=2)
    search.set_callbacks(recorder).fit(X, y)
    # 2 candidates x 2 folds + the refit, 3 epochs each
    assert _tasks(recorder).count("epoch") == 5 * 3


def test_progress_bar_runs_inside_a_pipeline_and_a_search(capsys):
    pytest.importorskip("rich")
    X, y = small_data(120)
    pipe = make_pipeline(StandardScaler(), MLPClassifier((3,), max_iter=3, random_state=0))
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        GridSearchCV(pipe, {"mlpclassifier__alpha": [1e-4, 1e-2]}, cv=2).set_callbacks(
            callback.ProgressBar(max_propagation_depth=None)
        ).fit(X, y)
    assert "MLPClassifier" in capsys.readouterr().out


@pytest.mark.parametrize("make", [
    lambda: callback.ScoringMonitor(scoring="accuracy"),
    lambda: [callback.ScoringMonitor(scoring="accuracy")],
])
def test_the_callbacks_parameter_points_sklearn_callbacks_to_set_callbacks(make):
    X, y = small_data()
    with pytest.raises(ValueError, match="set_callbacks"):
        MLPClassifier((3,), max_iter=2, callbacks=make()).fit(X, y)


def test_without_scikit_learns_callback_api_everything_else_works(monkeypatch):
    """scikit-learn < 1.9: the stand-in mixin, and no callback context in fit."""
    import importlib
    import sys

    import sknn._compat

    monkeypatch.setitem(sys.modules, "sklearn.callback", None)  # the import fails
    stand_in = importlib.reload(sknn._compat).CallbackSupportMixin
    monkeypatch.undo()
    importlib.reload(sknn._compat)
    assert not hasattr(stand_in, "set_callbacks")

    class Old(MLPClassifier):
        @property
        def _init_callback_context(self):  # as if the mixin had no such method
            raise AttributeError("_init_callback_context")

    X, y = small_data()
    est = Old((3,), max_iter=3, random_state=0).fit(X, y)
    assert est.n_iter_ == 3 and not hasattr(est, "_callback_fit_ctx")
