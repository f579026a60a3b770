"""``schedule_interval='step'``: the rate, dropout and weight decay set before every
mini-batch step (RealMLP-TD), and the per-epoch default left as it was."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import load_diabetes

from sknn import MLPClassifier, MLPRegressor, TabularMLPClassifier, TabularMLPRegressor
from sknn.layers import Dropout
from sknn.optimizers import AdamW
from sknn.schedules import CosLog, FlatCos, Step, learning_rate, learning_rate_at


def coslog4(p):
    return 0.5 * (1 - math.cos(2 * math.pi * math.log2(1 + 15 * p)))


def flat_cos(p):
    return 1.0 if p < 0.5 else 0.5 * (1 + math.cos(math.pi * (2 * p - 1)))


def record_steps(monkeypatch, est, X, y):
    """(lr, weight_decay, dropout rates) seen by every step of ``est.fit(X, y)``."""
    steps, rates = [], []
    step, forward = AdamW.step, Dropout.forward

    def spy_step(self, theta, grad, state, lr, **l2_scale):
        steps.append((lr, self.weight_decay))
        return step(self, theta, grad, state, lr, **l2_scale)

    def spy_forward(self, x, *, training, **kwargs):
        if training:
            rates.append(self.rate)
        return forward(self, x, training=training, **kwargs)

    monkeypatch.setattr(AdamW, "step", spy_step)
    monkeypatch.setattr(Dropout, "forward", spy_forward)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est.fit(X, y)
    return steps, rates


def short_fit(schedule_interval):
    """10 rows, batches of 4 (3 per epoch), 2 epochs: 6 steps at known positions."""
    est = MLPRegressor(hidden_layer_sizes=(3,), solver=AdamW(learning_rate_init=0.1,
                                                             weight_decay=0.2),
                       learning_rate="coslog", dropout=0.5, dropout_schedule="flat_cos",
                       weight_decay_schedule="flat_cos", schedule_interval=schedule_interval,
                       batch_size=4, max_iter=2, random_state=0)
    rng = np.random.RandomState(0)
    return est, rng.normal(size=(10, 2)), rng.normal(size=10)


def test_per_step_sequence_has_known_values(monkeypatch):
    est, X, y = short_fit("step")
    steps, rates = record_steps(monkeypatch, est, X, y)
    # rows seen before each step: 0, 4, 8 | 10, 14, 18 of 20; p = rows / 20
    p = [0.0, 0.2, 0.4, 0.5, 0.7, 0.9]
    lrs = [s[0] for s in steps]
    np.testing.assert_allclose(lrs, [0.1 * coslog4(q) for q in p], rtol=1e-12, atol=1e-15)
    # concrete values: coslog4 is 0 at p = 0 and p = 1/5 (log2(4) = 2 whole cycles)
    assert lrs[0] == 0.0 and abs(lrs[1]) < 1e-15
    np.testing.assert_allclose(lrs[2:], [0.03236890, 0.00736189, 0.09945307, 0.01862008],
                               rtol=1e-6)
    np.testing.assert_allclose([s[1] for s in steps],
                               [0.2, 0.2, 0.2, 0.2, 0.2 * 0.6545085, 0.2 * 0.0954915], rtol=1e-6)
    np.testing.assert_allclose(rates, [0.5, 0.5, 0.5, 0.5, 0.5 * 0.6545085, 0.5 * 0.0954915],
                               rtol=1e-6)
    assert [h["learning_rate"] for h in est.history_] == [lrs[0], lrs[3]]  # each epoch's first
    assert all(layer.rate == 0.5 for layer in est._network().layers
               if isinstance(layer, Dropout))  # the base rate back after the fit


def test_per_epoch_sequence_is_constant_within_the_epoch_at_its_middle(monkeypatch):
    est, X, y = short_fit("epoch")
    steps, rates = record_steps(monkeypatch, est, X, y)
    p = [0.25] * 3 + [0.75] * 3  # (epoch + 1/2) / max_iter
    np.testing.assert_allclose([s[0] for s in steps], [0.1 * coslog4(q) for q in p], rtol=1e-12)
    np.testing.assert_allclose([s[1] for s in steps], [0.2 * flat_cos(q) for q in p], rtol=1e-12)
    np.testing.assert_allclose(rates, [0.5 * flat_cos(q) for q in p], rtol=1e-12)


def test_defaults_epoch_for_the_mlp_estimators_step_for_the_tabular_ones():
    assert MLPClassifier().schedule_interval == MLPRegressor().schedule_interval == "epoch"
    assert TabularMLPClassifier().schedule_interval == "step"
    assert TabularMLPRegressor().schedule_interval == "step"


def test_epoch_interval_reproduces_the_previous_tabular_fit():
    # loss_curve_ and validation scores of this fit before schedule_interval existed
    # (commit a4ab2e1), float64: the per-epoch path is unchanged; the embedding then
    # embedded every column, the binary 'sex' too, one network was the default and the
    # batches were scikit-learn's (an incomplete last one kept)
    X, y = load_diabetes(return_X_y=True)
    est = TabularMLPRegressor(random_state=0, max_iter=6, hidden_layer_sizes=(8,), batch_size=64,
                              n_members=1, drop_last=False,
                              dtype="float64", schedule_interval="epoch",
                              weight_decay_factors=None, embedding_features="all")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est.fit(X[:200], y[:200])
    np.testing.assert_allclose(est.loss_curve_, [
        0.568392681585768, 0.48222900150147724, 0.35480703879373693, 0.3217470589430801,
        0.2856598988780867, 0.2571972077658192], rtol=1e-12)
    np.testing.assert_allclose(est.validation_scores_, [
        0.030659889245685856, -0.11091470319648167, 0.0024887627585099548,
        -0.008442754863348778, 0.3821706001807077, 0.3795202185893126], rtol=1e-10)


def test_step_and_epoch_fits_are_bitwise_equal_when_nothing_changes_within_an_epoch():
    rng = np.random.RandomState(1)
    X, y = rng.normal(size=(50, 3)), rng.normal(size=50)
    fits = [MLPRegressor(hidden_layer_sizes=(5,), learning_rate="constant", schedule_interval=interval,
                         dropout=0.2, batch_size=8, max_iter=3, random_state=0)
            for interval in ("epoch", "step")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for est in fits:
            est.fit(X, y)
    assert np.array_equal(fits[0].theta_, fits[1].theta_)
    assert fits[0].loss_curve_ == fits[1].loss_curve_


@settings(max_examples=60, deadline=None)
@given(epoch=st.integers(0, 300), max_iter=st.integers(1, 300))
def test_per_step_rate_at_an_epoch_start_is_the_schedule_at_that_progress(epoch, max_iter):
    for schedule in (CosLog(max_iter=max_iter), FlatCos(max_iter=max_iter)):
        expected = schedule.factor(min(epoch / max_iter, 1.0))
        assert learning_rate_at(schedule, 1.0, float(epoch), 0, {}) == expected


@settings(max_examples=60, deadline=None)
@given(epoch=st.integers(0, 100), step_size=st.integers(1, 20), warmup=st.integers(0, 5))
def test_epoch_wise_schedules_agree_at_whole_epochs(epoch, step_size, warmup):
    # a schedule written with arithmetic on the epoch gives the same rate per step
    # at the start of each epoch, warm-up included
    schedule = Step(factor=0.5, step_size=step_size)
    assert learning_rate_at(schedule, 0.3, float(epoch), 0, {}, warmup) == pytest.approx(
        learning_rate(schedule, 0.3, epoch, 0, {}, warmup), rel=1e-15)


def test_per_step_warm_up_ramps_within_the_epoch():
    schedule = Step(factor=0.5, step_size=100)
    ramp = [learning_rate_at(schedule, 1.0, position, 0, {}, warmup_epochs=1)
            for position in (0.0, 0.25, 0.5, 1.0)]
    assert ramp == [0.5, 0.625, 0.75, 1.0]


def test_per_step_needs_a_mini_batch_solver():
    est = MLPRegressor(hidden_layer_sizes=(3,), solver="lbfgs", schedule_interval="step", max_iter=2)
    with pytest.raises(ValueError, match="schedule_interval='step'.*mini-batch solver"):
        est.fit(np.zeros((5, 2)), np.zeros(5))
