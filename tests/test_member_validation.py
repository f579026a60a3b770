"""Batched ensembles whose members hold out their own validation rows (member_validation='own')."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import load_breast_cancer, load_diabetes, make_multilabel_classification

from sknn import MLPRegressor, TabularMLPClassifier, TabularMLPRegressor
import sknn._member_setup as member_setup
import sknn._run_setup as run_setup
from sknn._network import Network, build_layers
from sknn._scoring_view import member_view
from sknn.training.member_validation import member_index, member_row_weights, member_splits

SMALL = dict(hidden_layer_sizes=(8, 8), max_iter=6, random_state=0)


def quiet_fit(est, X, y, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return est.fit(X, y, **kwargs)


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return X[:300], y[:300]


@settings(max_examples=30, deadline=None)
@given(n=st.integers(20, 60), m=st.integers(2, 5), fraction=st.sampled_from([0.1, 0.2, 0.5]),
       bootstrap=st.booleans(), seed=st.integers(0, 2**16))
def test_each_member_trains_on_its_own_training_rows_only(n, m, fraction, bootstrap, seed):
    rng = np.random.RandomState(seed)
    splits = member_splits(n, m, fraction, None, rng)
    sample_weight = rng.uniform(0.5, 2.0, size=n)
    weights = member_row_weights(splits, sample_weight, n, bootstrap, rng, np.float64)
    assert weights.shape == (n, m)
    for i, (idx_train, idx_val) in enumerate(splits):
        assert np.intersect1d(idx_train, idx_val).size == 0
        assert np.union1d(idx_train, idx_val).size == n
        assert (weights[idx_val, i] == 0).all()
        counts = weights[:, i] / sample_weight
        if bootstrap:  # as many draws as training rows, none outside them
            assert np.isclose(counts.sum(), idx_train.size)
            np.testing.assert_allclose(counts, np.round(counts), atol=1e-12)
        else:
            np.testing.assert_allclose(weights[idx_train, i], sample_weight[idx_train])


def test_member_splits_differ_and_follow_the_random_state():
    a = member_splits(100, 3, 0.2, None, np.random.RandomState(0))
    b = member_splits(100, 3, 0.2, None, np.random.RandomState(0))
    for (ta, va), (tb, vb) in zip(a, b):
        np.testing.assert_array_equal(va, vb)
    assert not np.array_equal(np.sort(a[0][1]), np.sort(a[1][1]))


def test_member_splits_of_a_binary_target_are_stratified():
    y = np.r_[np.zeros(80, bool), np.ones(20, bool)][:, None]
    for _, idx_val in member_splits(100, 4, 0.2, y, np.random.RandomState(0)):
        assert y[idx_val].sum() == 4


def test_member_index_reads_each_members_slice_of_every_slot():
    arch = dict(n_features=5, hidden_layer_sizes=(4, 3), activations=("parametric_selu",) * 2,
                n_outputs=2, input_scale=True, parametrization="ntp", n_members=3,
                numeric_embedding="pbld", embedded_features=(0, 2))
    big = Network(build_layers(arch), np.float64)
    one = Network(build_layers(dict(arch, n_members=1)), np.float64)
    big.theta[...] = np.arange(big.theta.size)
    index = member_index(big.layout, one.layout, 3)
    big_views, one_views = big.layout.views(big.theta), one.layout.views(big.theta[index[1]])
    assert sorted(np.concatenate(index)) == list(range(big.theta.size))
    for layer_big, layer_one in zip(big_views, one_views):
        for name, array in layer_one.items():
            np.testing.assert_array_equal(array, layer_big[name][1])


def test_member_index_refuses_shared_weights():
    arch = dict(n_features=4, hidden_layer_sizes=(3,), activations=("relu",), n_outputs=1,
                n_members=2, member_weights="shared")
    big = Network(build_layers(arch), np.float64)
    one = Network(build_layers(dict(arch, n_members=1)), np.float64)
    with pytest.raises(ValueError, match="member_weights='independent'"):
        member_index(big.layout, one.layout, 2)


@pytest.mark.parametrize("averaging", [None, "ema"])
def test_every_member_keeps_the_parameters_of_its_own_best_epoch(cancer, averaging):
    X, y = cancer
    snapshots = []

    def snapshot(est, record):
        average = est.theta_average_
        snapshots.append((est.theta_.copy(), None if average is None else average.copy()))

    est = quiet_fit(TabularMLPClassifier(n_members=3, member_validation="own",
                                         averaging=averaging, callbacks=snapshot,
                                         max_iter=12, batch_size=64, hidden_layer_sizes=(8,),
                                         random_state=0), X, y)
    scores = est.member_validation_scores_
    assert scores.shape == (12, 3)
    latest_best = len(scores) - 1 - scores[::-1].argmax(axis=0)  # best_epoch_ties='last'
    np.testing.assert_array_equal(est.member_best_epochs_, latest_best)
    assert len(set(est.member_best_epochs_)) > 1  # the members' best epochs differ here
    assert np.isclose(est.best_validation_score_, scores.max(axis=0).mean())
    np.testing.assert_allclose(est.validation_scores_, scores.mean(axis=1))
    one = Network(build_layers(dict(est._arch, n_members=1)), est.theta_.dtype).layout
    index = member_index(est._network().layout, one, 3)
    for i, epoch in enumerate(est.member_best_epochs_):
        theta, average = snapshots[epoch]
        np.testing.assert_array_equal(est.theta_[index[i]], theta[index[i]])
        if averaging is not None:
            np.testing.assert_array_equal(est.theta_average_[index[i]], average[index[i]])


def test_a_members_score_is_that_of_its_own_predictions(cancer):
    """The member scorer predicts with member i alone: the ensemble's logits Z[i]."""
    X, y = cancer
    est = quiet_fit(TabularMLPClassifier(n_members=3, member_validation="own", **SMALL), X, y)
    one_arch = dict(est._arch, n_members=1)
    one = Network(build_layers(one_arch), est.theta_.dtype).layout
    index = member_index(est._network().layout, one, 3)
    Xp = est._preprocess(X)
    Z = est._inference_network().predict_logits(Xp)
    for i in range(3):
        view = member_view(est, one_arch, est.theta_[index[i]].copy())
        np.testing.assert_allclose(view._forward(Xp)[..., 0], Z[i][..., 0], rtol=1e-5, atol=1e-6)
        expected = np.mean((Z[i][:, 0] > 0) == y)
        assert view._score(Xp, y) == pytest.approx(expected)
        assert view.score(Xp, y) == pytest.approx(expected)  # input taken as prepared


@pytest.mark.parametrize("scoring", [None, "r2"])
def test_member_scores_of_a_named_scorer_equal_the_default_ones(scoring):
    X, y = load_diabetes(return_X_y=True)
    X = X * 100 + 7
    kwargs = dict(n_members=2, member_validation="own", **SMALL)
    default = quiet_fit(TabularMLPRegressor(**kwargs), X, y)
    named = quiet_fit(TabularMLPRegressor(scoring=scoring, **kwargs), X, y)
    np.testing.assert_allclose(named.member_validation_scores_, default.member_validation_scores_,
                               rtol=1e-6)


def test_own_splits_change_the_fit_and_are_reproducible(cancer):
    X, y = cancer
    shared = quiet_fit(TabularMLPClassifier(n_members=3, member_validation="shared", **SMALL),
                       X, y)
    own = quiet_fit(TabularMLPClassifier(n_members=3, member_validation="own", **SMALL), X, y)
    again = quiet_fit(TabularMLPClassifier(n_members=3, member_validation="own", **SMALL), X, y)
    np.testing.assert_array_equal(own.theta_, again.theta_)
    assert not np.array_equal(own.theta_, shared.theta_)
    assert np.isfinite(own.theta_).all()
    assert own.score(X, y) > 0.8


def test_a_shared_refit_drops_the_member_attributes(cancer):
    X, y = cancer
    est = quiet_fit(TabularMLPClassifier(n_members=2, member_validation="own", **SMALL), X, y)
    assert est.member_best_epochs_.shape == (2,)
    quiet_fit(est.set_params(member_validation="shared"), X, y)
    assert not hasattr(est, "member_best_epochs_")
    assert not hasattr(est, "member_validation_scores_")


def test_warm_start_keeps_each_members_best(cancer):
    X, y = cancer
    est = quiet_fit(TabularMLPClassifier(n_members=2, member_validation="own", warm_start=True,
                                         **SMALL), X, y)
    first = est.member_validation_scores_.max(axis=0)
    quiet_fit(est, X, y)
    assert est.member_validation_scores_.shape == (12, 2)
    assert (est.member_validation_scores_.max(axis=0) >= first).all()


@pytest.mark.parametrize("kwargs, match", [
    (dict(n_members=1), "n_members > 1"),
    (dict(n_members=2, member_weights="shared"), "member_weights='independent'"),
    (dict(n_members=2, early_stopping=False), "early_stopping=True"),
])
def test_member_validation_refuses_what_it_cannot_do(cancer, kwargs, match):
    X, y = cancer
    with pytest.raises(ValueError, match=match):
        TabularMLPClassifier(member_validation="own", **kwargs, **SMALL).fit(X, y)


def test_member_validation_refuses_a_given_validation_set(cancer):
    X, y = cancer
    est = TabularMLPClassifier(n_members=2, member_validation="own", **SMALL)
    with pytest.raises(ValueError, match="X_val"):
        est.fit(X[:200], y[:200], X_val=X[200:], y_val=y[200:])


def test_the_plain_mlp_takes_member_validation_too():
    X, y = load_diabetes(return_X_y=True)
    est = quiet_fit(MLPRegressor(hidden_layer_sizes=(8,), n_members=3, early_stopping=True,
                                 member_validation="own", max_iter=5, random_state=0), X, y)
    assert est.member_validation_scores_.shape == (5, 3)
    assert est.predict(X).shape == (X.shape[0],)


def test_the_members_row_weights_reach_their_training(monkeypatch):
    real = member_setup.member_row_weights

    def silence_member_one(*args):
        weights = real(*args)
        weights[:, 1] = 0.0
        return weights

    monkeypatch.setattr(member_setup, "member_row_weights", silence_member_one)
    X, y = load_diabetes(return_X_y=True)
    est = MLPRegressor(hidden_layer_sizes=(8,), n_members=2, early_stopping=True,
                       member_validation="own", solver="sgd", alpha=0.0, max_iter=3,
                       learning_rate_init=0.1, random_state=0)
    initial = est._new_network(est._architecture(10, 1, ("relu",), n_members=2), np.float64,
                               np.random.RandomState(0), "sklearn").theta
    quiet_fit(est, X, y)
    W0, start = est.coefs_[0], est._network(initial).layers[0].params["W"]
    assert not np.allclose(W0[0], start[0])
    np.testing.assert_array_equal(W0[1], start[1])


def test_partial_fit_and_lbfgs_say_why_they_cannot_hold_out_member_rows(cancer):
    X, y = cancer
    est = TabularMLPClassifier(n_members=2, member_validation="own", early_stopping=False,
                               **SMALL)
    with pytest.raises(ValueError, match="partial_fit trains without one"):
        est.partial_fit(X, y, classes=[0, 1])
    est = MLPRegressor(n_members=2, early_stopping=True, member_validation="own",
                       solver="lbfgs", max_iter=3)
    with pytest.raises(ValueError, match="mini-batch solver"):
        est.fit(X, y)


def test_sparse_and_multilabel_inputs_score_each_member(monkeypatch):
    X, Y = make_multilabel_classification(200, 10, random_state=0)
    # sparse rows train through shared batches (tests/test_member_batches.py); so does this
    monkeypatch.setattr(run_setup, "MemberBatches", lambda *args: None)
    dense = quiet_fit(TabularMLPClassifier(n_members=3, member_validation="own",
                                           preprocessing=None, **SMALL), X, Y)
    sparse = quiet_fit(TabularMLPClassifier(n_members=3, member_validation="own",
                                            preprocessing=None, **SMALL), sp.csr_matrix(X), Y)
    assert dense.member_validation_scores_.shape == (6, 3)
    np.testing.assert_allclose(sparse.member_validation_scores_, dense.member_validation_scores_)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(20, 80), m=st.integers(2, 6), seed=st.integers(0, 2**16),
       binary=st.booleans())
def test_folds_hold_out_every_row_exactly_once(n, m, seed, binary):
    rng = np.random.RandomState(seed)
    stratify = (np.arange(n) % 3 == 0)[:, None] if binary else None
    splits = member_splits(n, m, 0.2, stratify, rng, folds=True)
    held_out = np.concatenate([idx_val for _, idx_val in splits])
    np.testing.assert_array_equal(np.sort(held_out), np.arange(n))
    for idx_train, idx_val in splits:
        np.testing.assert_array_equal(np.sort(np.r_[idx_train, idx_val]), np.arange(n))
        if binary:  # stratified: each fold has its share of the rarer class, to one row
            share = stratify[idx_val, 0].mean()
            assert abs(share - stratify.mean()) <= 1.0 / idx_val.size + 1e-12


def test_folds_train_each_member_on_the_other_folds(cancer, monkeypatch):
    X, y = cancer
    real, seen = member_setup.member_row_weights, []

    def record(*args):
        seen.append(real(*args))
        return seen[-1]

    monkeypatch.setattr(member_setup, "member_row_weights", record)
    est = quiet_fit(TabularMLPClassifier(n_members=5, member_validation="folds", **SMALL), X, y)
    assert est.member_validation_scores_.shape == (6, 5)
    assert np.isfinite(est.theta_).all()
    # every row is held out (weight zero) by exactly one member, trained by the four others
    np.testing.assert_array_equal((seen[0] == 0).sum(axis=1), np.ones(X.shape[0]))
    again = quiet_fit(TabularMLPClassifier(n_members=5, member_validation="folds", **SMALL), X, y)
    np.testing.assert_array_equal(est.theta_, again.theta_)
    own = quiet_fit(TabularMLPClassifier(n_members=5, member_validation="own", **SMALL), X, y)
    assert not np.array_equal(est.theta_, own.theta_)
    # two members hold out the two halves: each is validated on half the rows
    quiet_fit(TabularMLPClassifier(n_members=2, member_validation="folds", **SMALL), X, y)
    held_out = (seen[-1] == 0).sum(axis=0)
    assert np.all(np.abs(held_out - X.shape[0] / 2) <= 1)
    np.testing.assert_array_equal((seen[-1] == 0).sum(axis=1), np.ones(X.shape[0]))
    with pytest.raises(ValueError, match="member_validation='folds' needs n_members > 1"):
        TabularMLPClassifier(n_members=1, member_validation="folds", **SMALL).fit(X, y)
