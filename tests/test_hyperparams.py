"""Hyperparameters refused (or accepted) before training, with messages naming
the parameter (issue 8, item 7)."""

import multiprocessing
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from sknn import MLPClassifier, MLPRegressor


def data(n=40, seed=0):
    rng = np.random.RandomState(seed)
    y = np.arange(n) % 2
    return rng.randn(n, 3) + y[:, None], y


def fit_quietly(est, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(X, y)


@pytest.mark.parametrize("sizes", [(5.5,), True, (True,), (np.float32(5),), (5, 2.0),
                                   (np.bool_(True),)])
@pytest.mark.parametrize("cls", [MLPClassifier, MLPRegressor])
def test_non_integer_hidden_layer_sizes_are_refused(cls, sizes):
    X, y = data()
    est = cls(hidden_layer_sizes=sizes, max_iter=2)
    with pytest.raises(TypeError, match=r"hidden_layer_sizes must contain integers"):
        est.fit(X, y)
    assert not hasattr(est, "theta_")


@pytest.mark.parametrize("sizes, expected", [
    ((np.int64(5),), (5,)), (np.array([4, 3]), (4, 3)), (np.array(6), (6,)), (7, (7,)),
    ([np.int32(3), 2], (3, 2)),
])
def test_integer_hidden_layer_sizes_are_accepted(sizes, expected):
    X, y = data()
    est = fit_quietly(MLPClassifier(hidden_layer_sizes=sizes, max_iter=2), X, y)
    assert tuple(W.shape[1] for W in est.coefs_[:-1]) == expected


@pytest.mark.parametrize("name, value, plain", [
    ("dropout", np.array(0.2), 0.2),
    ("activation", np.array("tanh"), "tanh"),
    ("batch_norm", np.array(True), True),
])
def test_zero_dimensional_arrays_are_scalars(name, value, plain):
    X, y = data()
    params = dict(hidden_layer_sizes=(6, 4), max_iter=3, random_state=0)
    a = fit_quietly(MLPClassifier(**{name: value}, **params), X, y)
    b = fit_quietly(MLPClassifier(**{name: plain}, **params), X, y)
    np.testing.assert_array_equal(a.theta_, b.theta_)


def test_out_of_range_dropout_in_an_array_names_the_parameter():
    X, y = data()
    with pytest.raises(ValueError, match="dropout must be a probability"):
        MLPClassifier(dropout=np.array(1.5), max_iter=2).fit(X, y)


def _fit_with_huge_integer_power_t(queue):
    X, y = data()
    est = fit_quietly(MLPClassifier(solver="sgd", learning_rate="invscaling",
                                    power_t=10**12, max_iter=3, random_state=0), X, y)
    queue.put(est.n_iter_)


def test_huge_integer_power_t_does_not_hang():
    """(t + 1) ** 10**12 in exact integer arithmetic never finishes; in floats
    the rate underflows to 0 after the first epoch."""
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    process = ctx.Process(target=_fit_with_huge_integer_power_t, args=(queue,))
    process.start()
    process.join(timeout=30)
    hung = process.is_alive()
    if hung:
        process.kill()
        process.join()
    assert not hung, "fit with power_t=10**12 did not finish in 30 s"
    assert queue.get(timeout=5) >= 1


def test_invscaling_rate_with_a_huge_power_t_is_zero():
    from sknn.schedules import SCHEDULES

    schedule = SCHEDULES.build("invscaling", power_t=10**12)
    assert schedule.lr(0.1, 1, 0, {}) == 0.1  # (0 + 1) ** p = 1
    assert schedule.lr(0.1, 1, 40, {}) == 0.0
    assert SCHEDULES.build("invscaling", power_t=0.5).lr(0.1, 1, 3, {}) == 0.1 / 4**0.5
