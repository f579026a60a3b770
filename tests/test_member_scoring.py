"""Early stopping's scores, computed without repeated work: one forward pass per
member and epoch for its loss and its score, and accuracy without per-call checks."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import accuracy_score

from sknn import TabularMLPClassifier, TabularMLPRegressor
from sknn._estimators import _accuracy
from sknn._network import Network

LABELS = {
    "int": st.integers(-3, 3),
    "bool": st.booleans(),
    "str": st.sampled_from(["a", "b", "cc"]),
}


@settings(max_examples=100, deadline=None)
@given(kind=st.sampled_from(sorted(LABELS)), data=st.data(), n=st.integers(1, 40))
def test_accuracy_equals_scikit_learns(kind, data, n):
    labels = st.lists(LABELS[kind], min_size=n, max_size=n)
    y_true, y_pred = np.array(data.draw(labels)), np.array(data.draw(labels))
    if y_true.dtype != y_pred.dtype:  # two string widths: accuracy_score's path
        y_pred = y_pred.astype(y_true.dtype)
    assert _accuracy(y_true, y_pred) == accuracy_score(y_true, y_pred)


@pytest.mark.parametrize("y_true, y_pred, sample_weight", [
    (np.array([0, 1, 1]), np.array([0, 1, 0]), np.array([1.0, 2.0, 3.0])),
    (np.array([[0, 1], [1, 1]]), np.array([[0, 1], [1, 0]]), None),  # multilabel
    ([0, 1, 1], [0, 1, 0], None),
])
def test_accuracy_of_other_inputs_is_scikit_learns(y_true, y_pred, sample_weight):
    assert _accuracy(y_true, y_pred, sample_weight) == accuracy_score(
        y_true, y_pred, sample_weight=sample_weight)


def test_accuracy_keeps_scikit_learns_error_for_continuous_targets():
    y_true, y_pred = np.array([0.5, 1.0]), np.array([0.0, 1.0])
    with pytest.raises(ValueError, match="continuous"):
        accuracy_score(y_true, y_pred)
    with pytest.raises(ValueError, match="continuous"):
        _accuracy(y_true, y_pred)


@pytest.mark.parametrize("estimator", [TabularMLPClassifier, TabularMLPRegressor])
def test_each_member_is_scored_from_one_forward_pass_per_epoch(monkeypatch, estimator):
    calls = []
    original = Network.predict_logits

    def counting(self, X):
        calls.append(X.shape)
        return original(self, X)

    monkeypatch.setattr(Network, "predict_logits", counting)
    rng = np.random.RandomState(0)
    X = rng.randn(120, 3)
    y = X[:, 0] > 0 if estimator is TabularMLPClassifier else X[:, 0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = estimator(hidden_layer_sizes=(8,), n_members=3, max_iter=4,
                        random_state=0).fit(X, y)
    assert est.member_validation_scores_.shape == (4, 3)
    # one pass per member and epoch; the held-out rows are the members' folds of 120
    scored = [shape for shape in calls if shape[0] == 40]
    assert len(scored) == 4 * 3
