"""Scoring the held-out rows during training scores what the model sees.

The validation split and the training rows reach the score function already
prepared (validated and, for the tabular estimators, preprocessed); a scorer
given by name must not prepare them a second time.
"""

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes

from sknn import MLPClassifier, TabularMLPClassifier, TabularMLPRegressor


def _fit(est, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return est.fit(X, y)


@pytest.mark.parametrize("Estimator, load, scoring", [
    (TabularMLPClassifier, load_breast_cancer, "accuracy"),
    (TabularMLPRegressor, load_diabetes, "r2"),
])
def test_a_named_scorer_equals_the_default_score_on_preprocessed_inputs(Estimator, load, scoring):
    X, y = load(return_X_y=True)
    X = X * 1000.0 + 5000.0  # far from what the robust scaling makes of it
    kwargs = dict(max_iter=4, random_state=0, hidden_layer_sizes=(16,), score_training=True)
    default = _fit(Estimator(**kwargs), X, y)
    named = _fit(Estimator(scoring=scoring, **kwargs), X, y)
    np.testing.assert_allclose(named.validation_scores_, default.validation_scores_, rtol=1e-6)
    np.testing.assert_allclose([r["train_score"] for r in named.history_],
                               [r["train_score"] for r in default.history_], rtol=1e-6)


def test_a_named_scorer_equals_the_default_score_for_the_plain_mlp():
    X, y = load_breast_cancer(return_X_y=True)
    kwargs = dict(max_iter=4, random_state=0, hidden_layer_sizes=(8,), early_stopping=True)
    default = _fit(MLPClassifier(**kwargs), X, y)
    named = _fit(MLPClassifier(scoring="accuracy", **kwargs), X, y)
    np.testing.assert_allclose(named.validation_scores_, default.validation_scores_)


def test_a_callable_scorer_predicts_on_the_prepared_rows():
    X, y = load_breast_cancer(return_X_y=True)
    X = X * 1000.0 + 5000.0

    def accuracy(est, X_val, y_val):
        return float(np.mean(est.predict(X_val) == y_val))

    kwargs = dict(max_iter=3, random_state=0, hidden_layer_sizes=(8,))
    default = _fit(TabularMLPClassifier(**kwargs), X, y)
    est = _fit(TabularMLPClassifier(scoring=accuracy, **kwargs), X, y)
    np.testing.assert_allclose(est.validation_scores_, default.validation_scores_)
    # the fitted estimator itself still validates and preprocesses what it is given
    np.testing.assert_array_equal(est.predict(X), default.predict(X))
