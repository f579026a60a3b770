"""``best_epoch_ties``: which of the epochs tied for the best validation score is kept."""

import itertools
import warnings

import numpy as np
import pytest

from sknn import MLPRegressor, TabularMLPClassifier, TabularMLPRegressor


def constant_score(estimator, X, y):
    """Every epoch ties."""
    return 0.5


def rising_score():
    """Every epoch improves on the one before."""
    counter = itertools.count()
    return lambda estimator, X, y: float(next(counter))


def scores_in_turn(*scores):
    """Epoch e scores ``scores[e]``."""
    scores = iter(scores)
    return lambda estimator, X, y: next(scores)


def data():
    rng = np.random.RandomState(0)
    X = rng.randn(120, 3)
    return X, X @ [1.0, -2.0, 0.5] + 0.1 * rng.randn(120)


def fitted(max_iter=6, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return MLPRegressor(hidden_layer_sizes=(5,), early_stopping=True, max_iter=max_iter,
                            n_iter_no_change=100, random_state=0, **params).fit(*data())


@pytest.mark.parametrize("members", [
    {},
    {"n_members": 2, "member_validation": "own"},
])
def test_last_keeps_the_latest_of_tied_epochs_and_first_the_earliest(members):
    last = fitted(scoring=constant_score, best_epoch_ties="last", **members)
    latest = fitted(scoring=rising_score(), **members)  # every epoch is the best
    first = fitted(scoring=constant_score, **members)
    np.testing.assert_array_equal(last.theta_, latest.theta_)
    assert not np.allclose(first.theta_, latest.theta_)
    assert last.best_validation_score_ == first.best_validation_score_ == 0.5


@pytest.mark.parametrize("ties, best_epoch", [("first", 1), ("last", 3)])
def test_the_kept_epoch_is_a_best_one_never_a_worse_later_one(ties, best_epoch):
    scores = (0.0, 3.0, 1.0, 3.0, 2.0, 2.5)  # best at epochs 1 and 3
    six_epochs = fitted(scoring=scores_in_turn(*scores), best_epoch_ties=ties)
    up_to_best = fitted(max_iter=best_epoch + 1, scoring=rising_score())  # keeps its last
    np.testing.assert_array_equal(six_epochs.theta_, up_to_best.theta_)
    assert six_epochs.best_validation_score_ == 3.0




@pytest.mark.parametrize("estimator", [TabularMLPClassifier, TabularMLPRegressor])
def test_tabular_estimators_keep_the_latest_of_tied_epochs(estimator):
    X, y = data()
    y = y > 0 if estimator is TabularMLPClassifier else y
    params = dict(hidden_layer_sizes=(8,), n_members=1, max_iter=4, random_state=0)
    tied = estimator(scoring=constant_score, **params).fit(X, y)
    latest = estimator(scoring=rising_score(), **params).fit(X, y)
    np.testing.assert_array_equal(tied.theta_, latest.theta_)
