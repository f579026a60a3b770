"""Per-member mini-batches (``sknn.training.member_batches``): with
``member_validation='own'`` or ``'folds'`` each member steps through its own
training rows, not every row with weight zero on the ones it holds out."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import sknn._member_setup as member_setup
import sknn._run_setup as run_setup
from sknn import MLPRegressor, TabularMLPClassifier
from sknn.batched_ensemble import EnsembleLoss
from sknn.losses import LOSSES
from sknn.training.member_batches import MemberBatches


def quiet_fit(est, X, y, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return est.fit(X, y, **kwargs)


def _rows_with_ids(n, n_features=3, seed=0):
    """X whose first column is the row's index, and a target."""
    rng = np.random.RandomState(seed)
    X = np.c_[np.arange(n, dtype=float), rng.randn(n, n_features - 1)]
    return X, X[:, 1] + 0.1 * rng.randn(n)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(6, 60), m=st.integers(2, 5), batch_size=st.integers(1, 70),
       seed=st.integers(0, 2**16), weighted=st.booleans())
def test_an_epoch_gives_each_member_its_own_rows_once_with_their_weights(
        n, m, batch_size, seed, weighted):
    rng = np.random.RandomState(seed)
    X, Y = rng.randn(n, 2), rng.randn(n, 1)
    weights = (rng.rand(n, m) < 0.7) * (rng.rand(n, m) + 0.5 if weighted else 1.0)
    weights[0] = 1.0  # every member has a row
    batches = MemberBatches(X, Y, weights, batch_size)
    assert batches.n_rows == (weights > 0).sum(axis=0).max()
    assert batches.batch_size == min(batch_size, batches.n_rows)
    for _ in range(2):  # two epochs: the second permutes the first's order
        batches.shuffle(rng)
        # a batch is valid until the next one (its arrays are reused): copies
        parts = [[a.copy() for a in batches.batch(start)]
                 for start in range(0, batches.n_rows, batches.batch_size)]
        Xs = np.concatenate([p[0] for p in parts], axis=1)
        Ys = np.concatenate([p[1] for p in parts], axis=1)
        Ws = np.concatenate([p[2] for p in parts], axis=0)
        assert Xs.shape == (m, batches.n_rows, 2) and Ws.shape == (batches.n_rows, m)
        for i in range(m):
            real = Ws[:, i] > 0
            rows = np.flatnonzero(weights[:, i])
            # each of member i's rows once, its targets beside it, then weight-zero padding
            index = np.array([np.flatnonzero((X == row).all(axis=1))[0] for row in Xs[i, real]])
            np.testing.assert_array_equal(np.sort(index), rows)
            np.testing.assert_array_equal(Ys[i, real], Y[index])
            np.testing.assert_array_equal(Ws[real, i], weights[index, i])
            assert not real[rows.size:].any() and real[: rows.size].all()


def _recorded_batches(monkeypatch):
    """Every (X, weight) batch a fit's member batches give, and the members' row weights."""
    seen, weights = [], []
    real_batch, real_weights = MemberBatches.batch, member_setup.member_row_weights

    def batch(self, start):
        X, Y, weight = real_batch(self, start)
        seen.append((X.copy(), weight.copy()))
        return X, Y, weight

    def row_weights(*args):
        weights.append(real_weights(*args))
        return weights[-1]

    monkeypatch.setattr(MemberBatches, "batch", batch)
    monkeypatch.setattr(member_setup, "member_row_weights", row_weights)
    return seen, weights


@pytest.mark.parametrize("how", ["own", "folds"])
def test_a_fit_steps_each_member_through_its_own_training_rows(monkeypatch, how):
    seen, weights = _recorded_batches(monkeypatch)
    X, y = _rows_with_ids(400)
    est = quiet_fit(MLPRegressor(hidden_layer_sizes=(6,), n_members=2, early_stopping=True,
                                 member_validation=how, validation_fraction=0.25,
                                 batch_size=50, max_iter=3, random_state=0), X, y)
    train_rows = [set(np.flatnonzero(weights[0][:, i])) for i in range(2)]
    n_rows = max(len(rows) for rows in train_rows)
    steps = -(-n_rows // 50)  # per epoch; shared batches of the 400 rows would take 8
    assert steps < 8 and len(seen) == 3 * steps
    assert est.t_ == 3 * n_rows
    for epoch in range(3):
        batches = seen[epoch * steps:(epoch + 1) * steps]
        for i in range(2):
            ids = np.concatenate([b[0][i, b[1][:, i] > 0, 0] for b in batches]).astype(int)
            assert sorted(ids) == sorted(train_rows[i])  # its rows, once, none held out


def test_training_equals_shared_batches_when_every_member_has_every_row(monkeypatch):
    """With one batch per epoch and no shuffle the two ways see the same rows: equal fits."""
    X, y = _rows_with_ids(120)
    keep_all = member_setup.member_row_weights
    monkeypatch.setattr(member_setup, "member_row_weights",
                        lambda splits, sw, n, *rest: np.ones((n, len(splits))))
    params = dict(hidden_layer_sizes=(5,), n_members=3, early_stopping=True,
                  member_validation="own", batch_size=200, shuffle=False, max_iter=4,
                  random_state=0)
    per_member = quiet_fit(MLPRegressor(**params), X, y)
    monkeypatch.setattr(run_setup, "MemberBatches", lambda *args: None)
    shared = quiet_fit(MLPRegressor(**params), X, y)
    np.testing.assert_allclose(per_member.theta_, shared.theta_, rtol=1e-12, atol=1e-14)
    monkeypatch.setattr(member_setup, "member_row_weights", keep_all)
    assert not np.allclose(quiet_fit(MLPRegressor(**params), X, y).theta_, shared.theta_)


def test_the_objective_gradient_with_per_member_rows_matches_finite_differences():
    X, y = _rows_with_ids(60, n_features=4)
    X[:, 0] /= 60
    est = quiet_fit(MLPRegressor(hidden_layer_sizes=(5,), activation="tanh", n_members=3,
                                 numeric_embedding="pbld", input_scale=True,
                                 early_stopping=True, member_validation="folds", max_iter=2,
                                 random_state=0), X, y)
    assert est.theta_.dtype == np.float64
    network = est._network(est.theta_.copy())
    objective = est._objective(network, EnsembleLoss(LOSSES.get("squared_error")(), 3))
    rng = np.random.RandomState(1)
    X3 = rng.randn(3, 7, network.layers[0].n_in)
    Y3 = rng.randn(3, 7, 1)
    weight = rng.rand(7, 3)
    objective(X3, Y3, weight)
    grad = network.grad.copy()
    for j in rng.choice(network.theta.size, 25, replace=False):
        saved = network.theta[j]
        network.theta[j] = saved + 1e-6
        up = objective(X3, Y3, weight)
        network.theta[j] = saved - 1e-6
        down = objective(X3, Y3, weight)
        network.theta[j] = saved
        np.testing.assert_allclose(grad[j], (up - down) / 2e-6, rtol=1e-5, atol=1e-7)


def test_sparse_input_keeps_shared_batches_and_trains_as_dense_does_with_them(monkeypatch):
    X, y = _rows_with_ids(150)
    X[:, 0] = X[:, 0] > 75
    params = dict(hidden_layer_sizes=(6,), n_members=3, member_validation="own",
                  preprocessing=None, max_iter=4, random_state=0)
    sparse = quiet_fit(TabularMLPClassifier(**params), sp.csr_matrix(X), y > 0)
    monkeypatch.setattr(run_setup, "MemberBatches", lambda *args: None)
    shared = quiet_fit(TabularMLPClassifier(**params), X, y > 0)
    np.testing.assert_allclose(sparse.member_validation_scores_, shared.member_validation_scores_)
    monkeypatch.undo()
    dense = quiet_fit(TabularMLPClassifier(**params), X, y > 0)
    assert not np.array_equal(dense.theta_, shared.theta_)
