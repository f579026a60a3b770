"""The tabular estimators' prediction shortcut for plain float arrays (no second validation)."""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.preprocessing import StandardScaler

import sknn._estimators
import sknn.preprocessing
import sknn.tabular
from sknn import TabularMLPClassifier, TabularMLPRegressor

SMALL = dict(hidden_layer_sizes=(8, 8), max_iter=4, random_state=0)


def _fit(est, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return est.fit(X, y)


def _refuse(*args, **kwargs):
    raise AssertionError("validate_data called")


@pytest.fixture(scope="module", params=[
    (TabularMLPClassifier, {}), (TabularMLPClassifier, {"n_members": 1}),
    (TabularMLPRegressor, {"dtype": "float64"}), (TabularMLPRegressor, {"n_members": 1}),
], ids=["classifier-auto", "classifier-one", "regressor-float64", "regressor-one"])
def fitted(request):
    cls, params = request.param
    X, y = (load_breast_cancer if cls is TabularMLPClassifier else load_diabetes)(
        return_X_y=True)
    return X, _fit(cls(**SMALL, **params), X, y)


def test_plain_rows_skip_validation_with_the_same_predictions(fitted, monkeypatch):
    X, est = fitted
    method = "predict_proba" if hasattr(est, "predict_proba") else "predict"
    rows = X[:3].copy()
    expected = getattr(est, method)(rows.tolist())  # a list: validated and preprocessed
    # (one row on its own: a float32 product's last rounding may depend on the batch)
    expected_one = getattr(est, method)(rows[:1].tolist())
    monkeypatch.setattr(sknn.tabular, "validate_data", _refuse)
    monkeypatch.setattr(sknn.preprocessing, "validate_data", _refuse)
    monkeypatch.setattr(sknn._estimators, "validate_data", _refuse)
    assert_array_equal(getattr(est, method)(rows), expected)
    assert_array_equal(getattr(est, method)(rows[:1]), expected_one)
    assert_array_equal(rows, X[:3])  # the scaling works on a copy


@pytest.mark.parametrize("bad, message", [(np.nan, "NaN"), (np.inf, "infinity")])
def test_non_finite_rows_get_sklearns_message(fitted, bad, message):
    X, est = fitted
    row = X[:1].copy()
    row[0, 1] = bad
    with pytest.raises(ValueError, match=message):
        est.predict(row)


def test_a_row_of_another_width_is_refused_by_sklearn(fitted):
    X, est = fitted
    with pytest.raises(ValueError, match="features"):
        est.predict(X[:1, :-1])


def test_a_transformer_of_the_users_transforms_plain_rows_itself(monkeypatch):
    X, y = load_breast_cancer(return_X_y=True)
    est = _fit(TabularMLPClassifier(preprocessing=StandardScaler(), n_members=1, **SMALL), X, y)
    expected = est.predict_proba(X[:2].tolist())
    calls = []
    transform = StandardScaler.transform
    monkeypatch.setattr(StandardScaler, "transform",
                        lambda self, Z, **k: calls.append(1) or transform(self, Z, **k))
    assert_array_equal(est.predict_proba(X[:2]), expected)
    assert calls
