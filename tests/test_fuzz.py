"""The fuzz suite: every drawn fit ends correctly or with an error naming its problem.

Examples per test: 4 x the profile's ``max_examples`` (``dev`` 40, ``ci`` 120,
``nightly`` 2000): ``SKNN_HYPOTHESIS_PROFILE=nightly pytest tests/test_fuzz.py``
or ``pytest tests/test_fuzz.py --hypothesis-profile=nightly``.
"""

import re
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, note, settings
from hypothesis.control import currently_in_test_context
from sklearn.base import clone

from sknn import MLPClassifier, MLPRegressor

from .strategies import fuzz_data, fuzz_params

FUZZ = settings(
    max_examples=4 * settings().max_examples,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
#: what a data error must mention, by the problem drawn
DATA_WORDS = {
    "nan": "NaN",
    "inf": "infinity",
    "huge": "infinity|too large|non-finite|diverg",
    "complex128": "Complex",
}


def as_dense_copy(X):
    if sp.issparse(X):
        return X.toarray()
    return np.array(X, copy=True)


def outputs(est, X):
    methods = ("predict", "predict_proba", "decision_function")
    return [getattr(est, m)(X) for m in methods if hasattr(est, m)]


def fit(est, X, y, sample_weight):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning)
        warnings.filterwarnings("ignore", category=FutureWarning)
        return est.fit(X, y, sample_weight=sample_weight)


def check_error(error, est, described):
    """The error names the drawn problem, or one of the parameters, or the data."""
    message = str(error)
    problem = described["injected"] or (
        described["dtype"] if described["dtype"] == "complex128" else None)
    if problem is not None and re.search(DATA_WORDS[problem], message):
        return
    named = [p for p in est.get_params() if re.search(rf"\b{p}\b", message)]
    data_words = r"\b(n_samples|samples?|class(es)?|labels?|validation|rows?|features?)\b"
    assert named or re.search(data_words, message, re.IGNORECASE), f"names no problem: {message}"


def run_example(cls, task, data, params):
    X, y, sample_weight, described = data
    if currently_in_test_context():
        note(f"{described} {params}")
    before = as_dense_copy(X)
    est = cls(**params)
    try:
        fit(est, X, y, sample_weight)
    except (ValueError, TypeError) as error:
        check_error(error, est, described)
        return
    np.testing.assert_array_equal(as_dense_copy(X), before)  # the input is not changed
    assert described["injected"] in (None, "huge"), "bad values were accepted"
    results = outputs(est, X)
    n = X.shape[0]
    for result in results:
        assert result.shape[0] == n
        if result.dtype.kind == "f":
            assert np.isfinite(result).all()
    if task == "classification":
        assert set(np.unique(results[0])) <= set(est.classes_)
    else:
        assert results[0].dtype == est.theta_.dtype and results[0].shape == (n,)
    again = fit(clone(est), X, y, sample_weight)
    for first, second in zip(results, outputs(again, X)):
        np.testing.assert_array_equal(first, second)


@FUZZ
@given(data=fuzz_data(task="classification"), params=fuzz_params(task="classification"))
def test_classifier_fits_correctly_or_names_the_problem(data, params):
    run_example(MLPClassifier, "classification", data, params)


@FUZZ
@given(data=fuzz_data(task="regression"), params=fuzz_params(task="regression"))
def test_regressor_fits_correctly_or_names_the_problem(data, params):
    run_example(MLPRegressor, "regression", data, params)


def test_the_checks_catch_a_silent_failure():
    """The oracle fails when an error names nothing, or bad values are accepted."""
    described = dict(dtype="float64", container="C", injected=None)
    with pytest.raises(AssertionError, match="names no problem"):
        check_error(ValueError("something went wrong"), MLPClassifier(), described)
    check_error(ValueError("dropout must be a probability"), MLPClassifier(), described)
    X = np.array([[0.0], [np.nan]])
    with pytest.raises(AssertionError, match="bad values were accepted"):
        run_example(_AcceptsAnything, "regression",
                    (X, np.zeros(2), None, dict(described, injected="nan")), {})


class _AcceptsAnything(MLPRegressor):
    def fit(self, X, y, sample_weight=None):
        return self
