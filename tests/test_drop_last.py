"""``drop_last``: each epoch leaves out its incomplete last mini-batch."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sknn import MLPClassifier, MLPRegressor, TabularMLPRegressor
from sknn.training.batches import batch_starts
from sknn.training.events import Config, Run
from sknn.training.member_batches import MemberBatches
from sknn.training.stochastic import SharedBatches, step_positions


def quiet_fit(est, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return est.fit(X, y)


def _rows_with_ids(n, seed=0):
    """X whose first column is the row's index, and a target."""
    rng = np.random.RandomState(seed)
    X = np.c_[np.arange(n, dtype=float), rng.randn(n, 2)]
    return X, X[:, 1] + 0.1 * rng.randn(n)


def _recorded_batches(monkeypatch, batches_class):
    """Every batch's X from now on (its rows in axis -2)."""
    seen, original = [], batches_class.batch

    def batch(self, start):
        out = original(self, start)
        seen.append(np.array(out[0]))
        return out

    monkeypatch.setattr(batches_class, "batch", batch)
    return seen


@settings(max_examples=200, deadline=None)
@given(n_rows=st.integers(1, 500), batch_size=st.integers(1, 500), drop_last=st.booleans())
def test_batches_follow_each_other_and_only_the_incomplete_last_is_dropped(
        n_rows, batch_size, drop_last):
    batch_size = min(batch_size, n_rows)
    starts = list(batch_starts(n_rows, batch_size, drop_last))
    ends = [min(start + batch_size, n_rows) for start in starts]
    assert starts[0] == 0 and starts[1:] == ends[:-1]
    if drop_last:
        assert all(end - start == batch_size for start, end in zip(starts, ends))
        assert n_rows - ends[-1] == n_rows % batch_size
    else:
        assert ends[-1] == n_rows


@pytest.mark.parametrize("drop_last, sizes", [(True, [32] * 4), (False, [32] * 4 + [2])])
def test_every_step_of_an_epoch_averages_batch_size_rows(monkeypatch, drop_last, sizes):
    seen = _recorded_batches(monkeypatch, SharedBatches)
    X, y = _rows_with_ids(130)
    est = quiet_fit(MLPRegressor(hidden_layer_sizes=(4,), batch_size=32, max_iter=3,
                                 drop_last=drop_last, random_state=0), X, y)
    assert [batch.shape[0] for batch in seen] == sizes * 3
    assert est.t_ == 3 * sum(sizes)


def test_the_rows_left_out_change_from_epoch_to_epoch(monkeypatch):
    seen = _recorded_batches(monkeypatch, SharedBatches)
    X, y = _rows_with_ids(130)
    quiet_fit(MLPClassifier(hidden_layer_sizes=(4,), batch_size=32, max_iter=4,
                            drop_last=True, random_state=0), X, y > 0)
    left_out = [set(range(130)) - set(np.concatenate(seen[e * 4:(e + 1) * 4])[:, 0].astype(int))
                for e in range(4)]
    assert all(len(rows) == 2 for rows in left_out)
    assert len({frozenset(rows) for rows in left_out}) > 1


def test_the_epoch_loss_is_the_mean_over_the_rows_trained_on():
    """At a negligible rate, unshuffled: the loss of the first 128 rows at the start."""
    X, y = _rows_with_ids(130)
    params = dict(hidden_layer_sizes=(4,), alpha=0.0, learning_rate_init=1e-12, shuffle=False,
                  max_iter=1, random_state=0)
    dropped = quiet_fit(MLPRegressor(batch_size=32, drop_last=True, **params), X, y)
    first_rows = quiet_fit(MLPRegressor(batch_size=128, **params), X[:128], y[:128])
    np.testing.assert_allclose(dropped.loss_curve_[0], first_rows.loss_curve_[0], rtol=1e-9)


@pytest.mark.parametrize("n_rows, batch_size, solver", [
    (128, 32, "adam"),  # batches divide the rows: none incomplete
    (50, 200, "adam"),  # fewer rows than a batch: one batch of all of them
    (130, 32, "lbfgs"),  # no mini-batches
])
def test_nothing_is_dropped_without_an_incomplete_batch(n_rows, batch_size, solver):
    X, y = _rows_with_ids(n_rows)
    params = dict(hidden_layer_sizes=(4,), batch_size=batch_size, solver=solver, max_iter=5,
                  random_state=0)
    dropped = quiet_fit(MLPRegressor(drop_last=True, **params), X, y)
    kept = quiet_fit(MLPRegressor(**params), X, y)
    np.testing.assert_array_equal(dropped.theta_, kept.theta_)
    assert dropped.t_ == kept.t_


def test_members_with_their_own_rows_drop_their_incomplete_last_batch(monkeypatch):
    seen = _recorded_batches(monkeypatch, MemberBatches)
    X, y = _rows_with_ids(400)
    est = quiet_fit(MLPRegressor(hidden_layer_sizes=(4,), n_members=2, early_stopping=True,
                                 member_validation="own", validation_fraction=0.25,
                                 batch_size=40, max_iter=3, drop_last=True, random_state=0),
                    X, y)
    assert seen and all(batch.shape[:2] == (2, 40) for batch in seen)
    assert est.t_ == 40 * len(seen)
    assert len(seen) % 3 == 0 and len(seen) // 3 == 300 // 40  # each member trains on 300 rows


@pytest.mark.parametrize("drop_last, positions", [
    (True, [2, 2.25, 2.5, 2.75]),  # 4 steps of 32 of the 128 rows trained on
    (False, [2, 2 + 32 / 130, 2 + 64 / 130, 2 + 96 / 130, 2 + 128 / 130]),
])
def test_per_step_schedules_count_the_rows_trained_on(drop_last, positions):
    config = Config(batch_size=32, drop_last=drop_last)
    run = Run(network=None, objective=None, train=(np.zeros((130, 1)), None, None),
              solver=None, schedule=None, averaging=None, lr0=0.1, state={}, rng=None,
              config=config)
    np.testing.assert_allclose(step_positions(run, 2)[0], positions)


def test_tabular_estimators_drop_the_incomplete_last_batch(monkeypatch):
    seen = _recorded_batches(monkeypatch, SharedBatches)
    X, y = _rows_with_ids(300)
    est = TabularMLPRegressor(hidden_layer_sizes=(8,), n_members=1, early_stopping=False,
                              max_iter=2, random_state=0).fit(X, y)
    assert [batch.shape[0] for batch in seen] == [256, 256]
    assert est.t_ == 512
