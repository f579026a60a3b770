"""Learning-rate schedules: value at epoch 0, formulas, monotone decay, hooks."""

import math
import pickle
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from sknn import MLPClassifier
from sknn.schedules import SCHEDULES, Cosine, InverseTime, Plateau, Step, learning_rate

LR0 = 0.1


def schedule(name, **options):
    return SCHEDULES.build(name, **options)


def rates(name, n_epochs, lr0=LR0, warmup_epochs=0, samples_per_epoch=100, **options):
    """The rate of epochs 0 .. n_epochs - 1, with no plateau in sight."""
    s = schedule(name, **options)
    state = s.init_state()
    out = []
    for epoch in range(n_epochs):
        out.append(learning_rate(s, lr0, epoch, epoch * samples_per_epoch, state, warmup_epochs))
        s.on_epoch_end(True, state)
    return np.array(out)


# coslog starts near 0 by design (starts_at_lr0 = False); its values are tested
# against the formula in tests/test_tabular_components.py
STARTING_AT_LR0 = [name for name in SCHEDULES.names()
                   if getattr(SCHEDULES.get(name), "starts_at_lr0", True)]


@pytest.mark.parametrize("name", STARTING_AT_LR0)
def test_value_at_epoch_zero_is_learning_rate_init(name):
    for lr0 in (1e-4, 0.1, 3.0):
        s = schedule(name)
        assert learning_rate(s, lr0, 0, 0, s.init_state()) == pytest.approx(lr0, rel=1e-15)


@pytest.mark.parametrize(
    "name, options, expected",
    [
        ("constant", {}, lambda e, t: LR0),
        ("invscaling", dict(power_t=0.5), lambda e, t: LR0 / math.sqrt(t + 1)),
        ("step", dict(factor=0.5, step_size=3), lambda e, t: LR0 * 0.5 ** (e // 3)),
        ("exponential", dict(decay=0.2), lambda e, t: LR0 * math.exp(-0.2 * e)),
        ("inverse_time", dict(decay=0.2), lambda e, t: LR0 / (1 + 0.2 * e)),
        (
            "cosine",
            dict(max_iter=8, lr_min=0.01),
            lambda e, t: 0.01 + (LR0 - 0.01) * (1 + math.cos(math.pi * min(e, 8) / 8)) / 2,
        ),
        (
            "cosine",
            dict(restart_period=4, lr_min=0.0),
            lambda e, t: LR0 * (1 + math.cos(math.pi * (e % 4) / 4)) / 2,
        ),
    ],
)
def test_formula_at_several_epochs(name, options, expected):
    got = rates(name, 12, **options)
    want = [expected(e, 100 * e) for e in range(12)]
    assert_allclose(got, want, rtol=1e-14)


def test_hand_computed_values():
    # step: 0.1 for epochs 0-9, 0.05 for 10-19; exponential with k = ln 2: halves
    # every epoch; inverse_time with k = 1: 0.1 / (1 + e); cosine over 4 epochs
    # to 0: 0.1, 0.1 * (1 + cos(pi/4))/2, 0.05, ...
    assert_allclose(rates("step", 12)[[0, 9, 10, 11]], [0.1, 0.1, 0.05, 0.05])
    assert_allclose(rates("exponential", 4, decay=math.log(2)), [0.1, 0.05, 0.025, 0.0125])
    assert_allclose(rates("inverse_time", 4, decay=1.0), [0.1, 0.05, 0.1 / 3, 0.025])
    assert_allclose(
        rates("cosine", 6, max_iter=4, lr_min=0.0),
        [0.1, 0.1 * (1 + math.sqrt(0.5)) / 2, 0.05, 0.1 * (1 - math.sqrt(0.5)) / 2, 0.0, 0.0],
        atol=1e-17,
    )


@pytest.mark.parametrize("name", ["constant", "invscaling", "step", "exponential",
                                  "inverse_time", "cosine"])
@given(
    lr0=st.floats(1e-5, 10),
    factor=st.floats(0.01, 0.99),
    step_size=st.integers(1, 7),
    decay=st.floats(0, 3),
    lr_min=st.floats(0, 1),
    max_iter=st.integers(1, 30),
    power_t=st.floats(0, 2),
)
def test_decays_never_increase_and_stay_positive(name, lr0, **options):
    got = rates(name, 40, lr0=lr0, **options)
    assert np.all(np.diff(got) <= 0)
    assert np.all(np.isfinite(got))
    if name != "cosine" or options["lr_min"] > 0:
        assert np.all(got > 0)
    assert got[0] == pytest.approx(lr0)


def test_cosine_with_restarts_decays_within_each_cycle():
    got = rates("cosine", 15, restart_period=5, lr_min=1e-3)
    for cycle in got.reshape(3, 5):
        assert cycle[0] == pytest.approx(LR0)
        assert np.all(np.diff(cycle) < 0) and cycle[-1] > 1e-3


def test_warmup_ramps_linearly_then_follows_the_schedule():
    got = rates("exponential", 6, warmup_epochs=3, decay=0.1)
    plain = rates("exponential", 6, decay=0.1)
    assert_allclose(got[:3], plain[:3] * np.array([1, 2, 3]) / 4)
    assert_allclose(got[3:], plain[3:])


def test_plateau_reduces_after_patience_and_respects_the_floor():
    s = schedule("plateau", factor=0.5, patience=2, lr_min=0.02)
    state = s.init_state()
    seen = []
    for improved in [True, False, False, False, True, False, False, False, False, False, False]:
        s.on_epoch_end(improved, state)
        seen.append(s.lr(LR0, 0, 0, state))
    # two stagnant epochs halve the rate; an improvement resets the count
    assert_allclose(seen, [0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02, 0.02])
    assert s.on_plateau(0.02, state) is True  # n_iter_no_change still stops training


def test_adaptive_divides_by_five_and_stops_below_1e_6():
    s = schedule("adaptive")
    state = s.init_state()
    assert s.on_plateau(LR0, state) is False
    assert s.lr(LR0, 5, 0, state) == pytest.approx(0.02)
    assert s.on_plateau(1e-6, state) is True


# ------------------------------------------------------------- in the estimator
def digits_like(n=120, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, 6))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    return X, y


@pytest.mark.parametrize("solver", ["sgd", "rmsprop"])
def test_history_records_the_scheduled_rate(solver):
    X, y = digits_like()
    clf = MLPClassifier(
        (5,), solver=solver, learning_rate=Step(step_size=2, factor=0.5),
        learning_rate_init=0.05, warmup_epochs=1, max_iter=6, random_state=0,
        n_iter_no_change=100,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.fit(X, y)
    got = [record["learning_rate"] for record in clf.history_]
    assert_allclose(got, [0.025, 0.05, 0.025, 0.025, 0.0125, 0.0125])
    assert [r["epoch"] for r in clf.history_] == list(range(6))


def test_set_params_learning_rate_init_takes_effect_between_partial_fits():
    X, y = digits_like()
    clf = MLPClassifier((5,), solver="adam", learning_rate=InverseTime(decay=1.0),
                        learning_rate_init=0.01, random_state=0)
    clf.partial_fit(X, y, classes=[0, 1])
    clf.partial_fit(X, y)
    clf.set_params(learning_rate_init=0.3)
    clf.partial_fit(X, y)
    # the schedule continues (epoch 2) from the new initial rate
    assert_allclose([r["learning_rate"] for r in clf.history_], [0.01, 0.005, 0.1])


def test_cosine_schedule_continues_across_partial_fit():
    X, y = digits_like()
    clf = MLPClassifier((5,), learning_rate=Cosine(lr_min=0.0), max_iter=4,
                        learning_rate_init=0.01, random_state=0)
    clf.partial_fit(X, y, classes=[0, 1])
    for _ in range(4):
        clf.partial_fit(X, y)
    assert_allclose(
        [r["learning_rate"] for r in clf.history_],
        [0.01 * (1 + math.cos(math.pi * e / 4)) / 2 for e in range(5)],
        atol=1e-18,
    )


def test_plateau_schedule_lowers_the_rate_when_validation_stagnates():
    X, y = digits_like(200)
    clf = MLPClassifier(
        (5,), learning_rate=Plateau(patience=2, factor=0.1), early_stopping=True,
        scoring=lambda est, X, y: 0.5,  # never improves after the first epoch
        n_iter_no_change=5, learning_rate_init=0.01, random_state=0, max_iter=50,
    )
    clf.fit(X, y)
    got = [r["learning_rate"] for r in clf.history_]
    # epoch 0 sets the best score; epochs 1, 2 stagnate -> 1e-3 from epoch 3, ...
    assert_allclose(got, [0.01, 0.01, 0.01, 1e-3, 1e-3, 1e-4, 1e-4])
    assert clf.n_iter_ == 7  # stopped by n_iter_no_change=5 (6 epochs without improvement)


@pytest.mark.parametrize("name, expected", [
    # tol=1e9: no epoch after the first counts as an improvement
    ("plateau", [0.01, 0.01, 0.005, 0.0025]),  # patience=1
    ("adaptive", [0.01, 0.01, 0.01, 0.002]),  # plateau after n_iter_no_change=1 epochs
])
def test_schedule_state_survives_partial_fit_and_pickle(name, expected):
    X, y = digits_like()
    schedule = Plateau(patience=1, factor=0.5) if name == "plateau" else name
    clf = MLPClassifier((5,), learning_rate=schedule, tol=1e9,
                        n_iter_no_change=1 if name == "adaptive" else 100,
                        learning_rate_init=0.01, random_state=0)
    clf.partial_fit(X, y, classes=[0, 1])
    clf.partial_fit(X, y)
    clf = pickle.loads(pickle.dumps(clf))
    clf.partial_fit(X, y)
    clf.partial_fit(X, y)
    assert_allclose([r["learning_rate"] for r in clf.history_], expected)
