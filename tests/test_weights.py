"""Sample and class weights: values that would train nothing are refused
before training (issue 8, item 6)."""

import numpy as np
import pytest

from sknn import MLPClassifier, MLPRegressor


def data(n=60, seed=0):
    rng = np.random.RandomState(seed)
    y = np.arange(n) % 3
    return rng.randn(n, 4) + y[:, None], y


def small(cls=MLPClassifier, **params):
    return cls(**{"hidden_layer_sizes": (5,), "max_iter": 5, "random_state": 0, **params})


@pytest.mark.parametrize("cls", [MLPClassifier, MLPRegressor])
@pytest.mark.parametrize("method", ["fit", "partial_fit"])
@pytest.mark.parametrize("weights", ["all_negative", "one_negative"])
def test_negative_sample_weight_is_refused(cls, method, weights):
    X, y = data()
    sw = -np.ones(len(y)) if weights == "all_negative" else np.ones(len(y))
    sw[0] = -2.5
    est = small(cls)
    kwargs = {"classes": [0, 1, 2]} if method == "partial_fit" and cls is MLPClassifier else {}
    with pytest.raises(ValueError, match=r"sample_weight must be non-negative.*-2\.5 for row 0"):
        getattr(est, method)(X, y, sample_weight=sw, **kwargs)
    assert not hasattr(est, "theta_")  # refused before any training


@pytest.mark.parametrize("solver", ["lbfgs", "adam"])
def test_negative_sample_weight_is_refused_by_every_solver(solver):
    X, y = data()
    with pytest.raises(ValueError, match="sample_weight must be non-negative"):
        small(solver=solver).fit(X, y, sample_weight=np.full(len(y), -1.0))


@pytest.mark.parametrize("class_weight, problem", [
    ({0: np.nan, 1: 1.0, 2: 1.0}, "finite"),
    ({0: np.inf, 1: 1.0, 2: 1.0}, "finite"),
    ({0: -1.0, 1: 1.0, 2: 1.0}, "non-negative"),
    ({0: 0.0, 1: 0.0, 2: 0.0}, "at least one non-zero"),
    ({0: "heavy", 1: 1.0, 2: 1.0}, "real number"),
])
def test_class_weight_values_are_refused_as_sample_weight_values_are(class_weight, problem):
    X, y = data()
    est = small(class_weight=class_weight)
    with pytest.raises(ValueError, match=f"class_weight.*{problem}"):
        est.fit(X, y)
    assert not hasattr(est, "theta_")


def test_class_weights_that_zero_every_sample_are_refused():
    X, y = data()
    y = np.where(y == 2, 1, y)  # classes 0 and 1 only
    with pytest.raises(ValueError, match="class_weight.*every sample.*zero"):
        small(class_weight={0: 0.0, 1: 0.0, 2: 1.0}).fit(X, y)


def test_zero_and_positive_class_weights_are_accepted():
    X, y = data()
    est = small(class_weight={0: 0.0, 1: 2.0, 2: 1.0}).fit(X, y)
    assert np.isfinite(est.loss_curve_).all() and est.loss_curve_[0] > 0


def test_a_mini_batch_of_zero_weights_contributes_nothing():
    """Documented behaviour: a batch whose weights sum to zero has loss 0 and a
    zero gradient (the optimizer still takes its step: plain SGD stays put)."""
    X, y = data()
    sw = np.ones(len(y))
    sw[:30] = 0.0  # the first of two batches of 30 carries no weight
    params = dict(solver="sgd", momentum=0.0, alpha=0.0, batch_size=30, shuffle=False,
                  max_iter=1, learning_rate_init=0.1)
    weighted = small(**params).fit(X, y, sample_weight=sw)
    second_half = small(**params).fit(X[30:], y[30:])
    np.testing.assert_allclose(weighted.theta_, second_half.theta_, rtol=1e-12)
    assert weighted.loss_curve_[0] == pytest.approx(second_half.loss_curve_[0] / 2)
