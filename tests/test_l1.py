"""L1 gives exact zeros: the cumulative-penalty truncation after every update."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose
from sklearn.datasets import load_digits

from sknn import MLPClassifier
from sknn.penalties import truncate_l1

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@given(
    weights=hnp.arrays(np.float64, 8, elements=st.floats(-5, 5)),
    steps=st.lists(st.floats(0, 0.5), min_size=1, max_size=6),
)
def test_truncation_moves_towards_zero_and_never_crosses_it(weights, steps):
    w, applied, total = weights.copy(), np.zeros(8), 0.0
    for step in steps:
        before = w.copy()
        total += step
        truncate_l1(w, applied, total)
        assert np.all(np.sign(w) * np.sign(before) >= 0)  # same sign, or zero
        assert np.all(np.abs(w) <= np.abs(before))
    # without other updates, each weight received the whole penalty or reached 0
    assert_allclose(np.abs(w), np.maximum(np.abs(weights) - total, 0), atol=1e-12)


def test_the_penalty_owed_is_paid_after_a_gradient_step_crossed_zero():
    w, applied = np.array([0.3]), np.zeros(1)
    truncate_l1(w, applied, 0.1)  # 0.3 -> 0.2
    w[0] = -0.05  # a gradient step crossed zero
    truncate_l1(w, applied, 0.2)  # owed 0.2 in all, 0.1 paid on the positive side
    assert w[0] == -0.0 or w[0] == 0.0


def test_an_l1_sweep_reaches_a_majority_of_exact_zeros_and_keeps_accuracy(digits_split):
    X_train, X_test, y_train, y_test = digits_split
    zeros, scores = [], []
    for l1 in (0.0, 1.0, 3.0, 10.0):
        est = MLPClassifier((64,), solver="sgd", learning_rate_init=0.01, alpha=0.0, l1=l1,
                            max_iter=60, random_state=0).fit(X_train, y_train)
        zeros.append(float(np.mean(est.coefs_[0] == 0)))
        scores.append(est.score(X_test, y_test))
    assert zeros[0] == 0 and np.all(np.diff(zeros) > 0), zeros
    sparse_and_good = [z > 0.5 and s >= 0.9 for z, s in zip(zeros, scores)]
    assert any(sparse_and_good), (zeros, scores)


@pytest.mark.parametrize("solver", ["adam", "rmsprop"])
def test_adaptive_solvers_apply_l1_at_their_per_coordinate_rates(solver, digits_split):
    X_train, X_test, y_train, y_test = digits_split
    est = MLPClassifier((64,), solver=solver, l1=0.3, alpha=0.0, max_iter=60, random_state=0)
    est.fit(X_train, y_train)
    assert np.mean(est.coefs_[0] == 0) > 0.5 and est.score(X_test, y_test) >= 0.9


def test_l1_keeps_its_value_in_the_reported_loss_and_lbfgs_uses_the_subgradient():
    X, y = load_digits(n_class=3, return_X_y=True)
    X = X / 16
    common = dict(hidden_layer_sizes=(8,), max_iter=1, random_state=0, shuffle=False,
                  alpha=0.0, batch_size=len(X))
    plain = MLPClassifier(**common).fit(X, y)
    penalised = MLPClassifier(**common, l1=5.0).fit(X, y)
    # one full batch from the same start: the same data loss plus l1 ||W||_1 / n
    assert penalised.loss_curve_[0] > plain.loss_curve_[0]
    lbfgs = MLPClassifier((8,), solver="lbfgs", l1=1.0, max_iter=50, random_state=0).fit(X, y)
    assert np.mean(lbfgs.coefs_[0] == 0) < 0.05  # near zero, not at it: no proximal step
