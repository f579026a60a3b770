"""Validation data in fit, the per-epoch history, the initial loss and initialize()."""

import numpy as np
import pytest
import sklearn
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.model_selection import cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknn import MLPClassifier, MLPRegressor

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def test_a_validation_set_is_scored_every_epoch(digits_split):
    X, X_val, y, y_val = digits_split
    est = MLPClassifier((16,), max_iter=5, random_state=0).fit(X, y, X_val=X_val, y_val=y_val)
    assert [("val_loss" in r, "val_score" in r) for r in est.history_] == [(True, True)] * 5
    assert est.history_[-1]["val_score"] == pytest.approx(est.score(X_val, y_val))
    assert est.validation_scores_ is None  # scikit-learn's attribute is early stopping's
    assert est.t_ == 5 * len(X)  # no rows held out of training


def test_early_stopping_monitors_the_given_validation_set(digits_split):
    X, X_val, y, y_val = digits_split
    est = MLPClassifier((16,), max_iter=30, early_stopping=True, n_iter_no_change=3,
                        random_state=0).fit(X, y, X_val=X_val, y_val=y_val,
                                            sample_weight_val=np.ones(len(y_val)))
    assert est.validation_scores_ == [r["val_score"] for r in est.history_]
    assert est.t_ == est.n_iter_ * len(X)  # the internal split is not used
    assert est.best_validation_score_ == max(est.validation_scores_)


def test_regressor_validation_loss_is_the_objective_on_the_validation_set():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(120, 3))
    y = X @ [1.0, -2.0, 0.5]
    est = MLPRegressor(hidden_layer_sizes=(8,), max_iter=3, alpha=0.0, random_state=0)
    est.fit(X[:80], y[:80], X_val=X[80:], y_val=y[80:])
    residual = est.predict(X[80:]) - y[80:]
    assert est.history_[-1]["val_loss"] == pytest.approx(0.5 * np.mean(residual**2), rel=1e-9)


@pytest.mark.parametrize("kwargs, match", [
    (dict(X_val=np.zeros((3, 64))), "X_val and y_val must be given together"),
    (dict(sample_weight_val=np.ones(3)), "sample_weight_val is given without"),
    (dict(X_val=np.zeros((3, 64)), y_val=[0, 1]), "X_val has 3 rows but y_val has 2"),
    (dict(X_val=np.zeros((3, 5)), y_val=[0, 1, 2]), "5 features"),
])
def test_bad_validation_data_is_refused(kwargs, match, digits_split):
    X, _, y, _ = digits_split
    with pytest.raises(ValueError, match=match):
        MLPClassifier((4,), max_iter=2).fit(X, y, **kwargs)


def test_validation_data_is_routed_like_sample_weight(digits_split):
    X, X_val, y, y_val = digits_split
    seen = []
    with sklearn.config_context(enable_metadata_routing=True):
        net = MLPClassifier((8,), max_iter=3, random_state=0,
                            callbacks=lambda est, r: seen.append("val_score" in r))
        net.set_fit_request(X_val=True, y_val=True)
        cross_validate(make_pipeline(StandardScaler(), net), X, y, cv=2,
                       params={"X_val": X_val, "y_val": y_val})
    assert seen and all(seen)


def test_training_scores_are_opt_in(digits_split):
    X, X_val, y, y_val = digits_split
    plain = MLPClassifier((16,), max_iter=3, random_state=0).fit(X, y)
    assert "train_score" not in plain.history_[-1]
    est = MLPClassifier((16,), max_iter=40, random_state=0, score_training=True)
    est.fit(X, y, X_val=X_val, y_val=y_val)
    assert est.history_[-1]["train_score"] == pytest.approx(est.score(X, y))
    assert est.history_[-1]["train_score"] >= est.history_[-1]["val_score"]


def test_update_ratios_are_the_relative_change_of_each_dense_layer(digits_split):
    X, _, y, _ = digits_split
    est = MLPClassifier((16, 8), random_state=0)
    est.partial_fit(X, y, classes=np.unique(y))
    before = [W.copy() for W in est.coefs_]
    est.partial_fit(X, y)
    ratios = est.history_[-1]["update_ratios"]
    expected = [np.linalg.norm(W - W0) / np.linalg.norm(W) for W, W0 in zip(est.coefs_, before)]
    assert len(ratios) == 3
    assert_allclose(ratios, expected, rtol=1e-10)
    assert all(1e-5 < r < 1 for r in ratios)


def test_the_initial_loss_is_recorded_before_any_update(digits_split):
    X, _, y, _ = digits_split
    est = MLPClassifier((32,), weight_init="auto", max_iter=3, random_state=0).fit(X, y)
    assert est.initial_loss_ == pytest.approx(np.log(10), abs=0.15)
    assert est.initial_loss_ > est.loss_curve_[-1]
    first = est.initial_loss_
    est.set_params(warm_start=True).fit(X, y)
    assert est.initial_loss_ == first  # kept: it is the loss before the first update


def test_initialize_sets_up_the_start_of_fit_without_training(digits_split):
    X, X_val, y, _ = digits_split
    est = MLPClassifier((16,), random_state=0).initialize(X, y)
    assert est.n_iter_ == 0 and est.loss_curve_ == []
    start = MLPClassifier((16,), random_state=0, max_iter=1, learning_rate_init=1e-300,
                          beta_1=0.0).fit(X, y)
    assert_array_equal(est.theta_, start.theta_)
    assert est.predict(X_val).shape == (len(X_val),)
    est.partial_fit(X, y)  # continues from the initialized network
    assert est.n_iter_ == 1 and len(est.loss_curve_) == 1


def test_verbose_prints_one_line_per_epoch_with_what_was_measured(capsys, digits_split):
    X, X_val, y, y_val = digits_split
    MLPClassifier((8,), max_iter=2, verbose=True, score_training=True,
                  random_state=0).fit(X, y, X_val=X_val, y_val=y_val)
    lines = [line for line in capsys.readouterr().out.splitlines()
             if line.startswith("Iteration")]
    assert len(lines) == 2
    for key in ("loss = ", "val_loss = ", "val_score = ", "train_score = ", "lr = ", " s"):
        assert key in lines[0]
    MLPClassifier((8,), max_iter=2, random_state=0).fit(X, y)
    assert capsys.readouterr().out == ""
