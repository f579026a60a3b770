"""n_members='auto' and member_validation='auto': what a fit resolves them to."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.datasets import load_breast_cancer, load_diabetes, make_classification

from sknn import MLPClassifier, TabularMLPClassifier, TabularMLPRegressor
from sknn._ensemble_plan import AUTO_MEMBER_ROWS, MAX_AUTO_MEMBERS, auto_member_count

SMALL = dict(hidden_layer_sizes=(8, 8), max_iter=4, random_state=0)


def quiet_fit(est, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return est.fit(*args, **kwargs)


@pytest.fixture(scope="module")
def cancer():
    return load_breast_cancer(return_X_y=True)


@given(n=st.integers(1, 50_000))
def test_auto_trains_the_most_members_within_the_row_budget(n):
    m = auto_member_count(n)
    assert 1 <= m <= MAX_AUTO_MEMBERS
    # m members train on (m - 1) n rows: each on its own (m - 1) / m of them
    assert (m - 1) * n <= AUTO_MEMBER_ROWS
    assert m == MAX_AUTO_MEMBERS or m * n > AUTO_MEMBER_ROWS


@pytest.mark.parametrize("n, members", [(300, 5), (800, 5), (801, 4), (1066, 4), (1067, 3),
                                        (1600, 3), (1601, 2), (3200, 2), (3201, 1),
                                        (4000, 1)])
def test_the_documented_member_counts(n, members):
    assert auto_member_count(n) == members


def test_the_default_on_a_small_table_is_five_fold_members(cancer):
    X, y = cancer
    est = quiet_fit(TabularMLPClassifier(**SMALL), X, y)
    assert (est.n_members_, est.member_validation_) == (5, "folds")
    assert est.coefs_[0].shape[0] == 5
    assert est.member_best_epochs_.shape == (5,)
    explicit = quiet_fit(TabularMLPClassifier(n_members=5, member_validation="folds", **SMALL),
                         X, y)
    np.testing.assert_array_equal(est.theta_, explicit.theta_)


def test_the_default_above_3200_rows_is_the_papers_single_network():
    X, y = make_classification(3300, 6, random_state=0)
    est = quiet_fit(TabularMLPClassifier(**SMALL), X, y)
    assert (est.n_members_, est.member_validation_) == (1, "shared")
    single = quiet_fit(TabularMLPClassifier(n_members=1, **SMALL), X, y)
    np.testing.assert_array_equal(est.theta_, single.theta_)
    assert not hasattr(est, "member_best_epochs_")


def test_the_regressor_resolves_the_same_way():
    X, y = load_diabetes(return_X_y=True)
    est = quiet_fit(TabularMLPRegressor(**SMALL), X, y)
    assert (est.n_members_, est.member_validation_) == (5, "folds")
    assert est.predict(X).shape == y.shape


@pytest.mark.parametrize("kwargs", [
    dict(early_stopping=False),
    dict(member_weights="shared"),
    dict(max_norm=3.0),
])
def test_auto_trains_one_network_where_members_cannot_hold_out_rows(cancer, kwargs):
    X, y = cancer
    est = quiet_fit(TabularMLPClassifier(**SMALL, **kwargs), X, y)
    assert (est.n_members_, est.member_validation_) == (1, "shared")
    assert est.coefs_[0].ndim == 2


def test_lbfgs_trains_one_network(cancer):
    X, y = cancer
    est = quiet_fit(MLPClassifier(solver="lbfgs", early_stopping=True, n_members="auto",
                                  member_validation="auto", max_iter=5), X, y)
    assert (est.n_members_, est.member_validation_) == (1, "shared")


def test_a_given_validation_set_means_one_network(cancer):
    X, y = cancer
    est = quiet_fit(TabularMLPClassifier(**SMALL), X[:400], y[:400], X_val=X[400:],
                    y_val=y[400:])
    assert (est.n_members_, est.member_validation_) == (1, "shared")


def test_partial_fit_trains_one_network(cancer):
    X, y = cancer
    est = TabularMLPClassifier(early_stopping=False, **SMALL)
    est.partial_fit(X, y, classes=[0, 1])
    assert est.n_members_ == 1


def test_too_few_rows_of_a_class_for_the_folds_means_one_network():
    X, y = make_classification(60, 4, weights=[0.94], flip_y=0, random_state=0)
    assert np.bincount(y).min() < 5
    est = quiet_fit(TabularMLPClassifier(**SMALL), X, y)
    assert est.n_members_ == 1
    y[:5] = 1  # five of the rarer class: one per fold
    assert quiet_fit(TabularMLPClassifier(**SMALL), X, y).n_members_ == 5


def test_a_warm_start_keeps_the_fitted_members(cancer):
    X, y = cancer
    est = quiet_fit(TabularMLPClassifier(warm_start=True, **SMALL), X, y)
    assert est.n_members_ == 5
    X_big = np.vstack([X] * 6)
    quiet_fit(est, X_big, np.tile(y, 6))  # 3414 rows: a new fit would train one network
    assert est.n_members_ == 5
    assert est.member_best_epochs_.shape == (5,)


def test_member_bootstrap_with_one_auto_member_says_what_auto_chose():
    X, y = make_classification(3300, 6, random_state=0)
    est = TabularMLPClassifier(member_bootstrap=True, **SMALL)
    with pytest.raises(ValueError, match=r"n_members='auto' chose 1"):
        est.fit(X, y)


def test_explicit_members_get_folds_from_member_validation_auto(cancer):
    X, y = cancer
    est = quiet_fit(TabularMLPClassifier(n_members=3, **SMALL), X, y)
    assert (est.n_members_, est.member_validation_) == (3, "folds")
    shared = quiet_fit(TabularMLPClassifier(n_members=3, member_weights="shared",
                                            early_stopping=False, **SMALL), X, y)
    assert shared.member_validation_ == "shared"


def test_the_plain_mlp_keeps_one_network_and_takes_auto(cancer):
    X, y = cancer
    plain = quiet_fit(MLPClassifier(hidden_layer_sizes=(8,), max_iter=5), X, y)
    assert (plain.n_members_, plain.member_validation_) == (1, "shared")
    auto = quiet_fit(MLPClassifier(hidden_layer_sizes=(8,), max_iter=5, early_stopping=True,
                                   n_members="auto", member_validation="auto"), X, y)
    assert (auto.n_members_, auto.member_validation_) == (5, "folds")


def test_explicit_members_on_too_few_rows_for_folds_share_one_split():
    X, y = make_classification(60, 4, weights=[0.94], flip_y=0, random_state=0)
    assert np.bincount(y).min() < 5
    est = quiet_fit(TabularMLPClassifier(n_members=5, **SMALL), X, y)
    assert (est.n_members_, est.member_validation_) == (5, "shared")
