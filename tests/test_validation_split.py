"""Early stopping holds out scikit-learn's validation rows, for every target
type (issue 8, item 4)."""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn import neural_network as sk
from sklearn.datasets import load_digits, make_multilabel_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import StandardScaler, scale

from sknn import MLPClassifier, MLPRegressor


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def fit_quietly(est, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(X, y)


def split_targets():
    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X)[:400]
    y = y[:400]
    Xm, Ym = make_multilabel_classification(400, 20, n_classes=4, random_state=0)
    Xr, yr = make_regression(400, 10, noise=10.0, random_state=0)
    return {
        "binary": (MLPClassifier, sk.MLPClassifier, X, y % 2),
        "multiclass": (MLPClassifier, sk.MLPClassifier, X, y),
        "multilabel": (MLPClassifier, sk.MLPClassifier, scale(Xm), Ym),
        "regression": (MLPRegressor, sk.MLPRegressor, Xr, scale(yr)),
    }


@pytest.mark.parametrize("kind", ["binary", "multiclass", "multilabel", "regression"])
def test_early_stopping_validation_scores_equal_sklearns(kind):
    ours_cls, theirs_cls, X, y = split_targets()[kind]
    params = dict(hidden_layer_sizes=(15,), max_iter=12, random_state=1,
                  early_stopping=True, validation_fraction=0.2)
    ours = fit_quietly(ours_cls(weight_init="sklearn", **params), X, y)
    theirs = fit_quietly(theirs_cls(**params), X, y)
    assert_allclose(ours.validation_scores_, theirs.validation_scores_, rtol=1e-12)
    assert ours.best_validation_score_ == pytest.approx(theirs.best_validation_score_)
    assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-12)


def test_multiclass_target_with_a_single_member_class_fits_like_sklearn(digits):
    X, y = digits[0][:300], digits[1][:300].copy()
    y[0] = 10  # one row of an eleventh class: no stratification for multiclass
    params = dict(hidden_layer_sizes=(10,), max_iter=5, early_stopping=True, random_state=0)
    ours = fit_quietly(MLPClassifier(weight_init="sklearn", **params), X, y)
    theirs = fit_quietly(sk.MLPClassifier(**params), X, y)
    assert_allclose(ours.validation_scores_, theirs.validation_scores_, rtol=1e-12)


def test_binary_target_with_a_single_member_class_raises_sklearns_error(digits):
    X, y = digits[0][:100], np.zeros(100, dtype=int)
    y[0] = 1
    params = dict(max_iter=5, early_stopping=True, random_state=0)
    with pytest.raises(ValueError) as theirs:
        sk.MLPClassifier(**params).fit(X, y)
    with pytest.raises(ValueError) as ours:
        MLPClassifier(**params).fit(X, y)
    assert str(ours.value) == str(theirs.value)


def test_too_small_validation_set_raises_sklearns_error(digits):
    X, y = digits[0][:10], np.arange(10) % 2
    params = dict(max_iter=5, early_stopping=True, validation_fraction=0.1, random_state=0)
    with pytest.raises(ValueError) as theirs:
        sk.MLPRegressor(**params).fit(X, y)
    with pytest.raises(ValueError) as ours:
        MLPRegressor(**params).fit(X, y)
    assert str(ours.value) == str(theirs.value)
