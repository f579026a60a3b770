"""Prediction in row blocks (``sknn._row_blocks``) gives the whole-set results.

Small blocks are forced on small data, and every layer kind of the core
stack is compared with the whole-set pass; networks with other layers (the
tabular ones) are never blocked.
"""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning

import sknn._row_blocks as row_blocks
from sknn import MLPClassifier, MLPRegressor

SETTINGS = {
    "relu": dict(),
    "tanh_dropout": dict(activation="tanh", dropout=0.2, input_dropout=0.1),
    "batch_norm": dict(batch_norm=True),
    "prelu": dict(activation="prelu"),
    "maxout": dict(activation="maxout"),
}


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(n_samples=1100, n_features=12, n_informative=6, n_classes=3,
                               random_state=0)
    return X, y


def _whole_and_blocked(est, X, monkeypatch):
    network = est._inference_network()
    assert row_blocks.block_rows(network.layers, X.shape[0], 8) is None  # one block
    whole = est.predict_proba(X)
    monkeypatch.setattr(row_blocks, "MIN_BLOCK_ROWS", 100)
    monkeypatch.setattr(row_blocks, "BLOCK_BYTES", 100 * 8 * 12)  # 100-row blocks
    rows = row_blocks.block_rows(network.layers, X.shape[0], X.dtype.itemsize)
    assert rows is not None and rows < X.shape[0]
    return whole, est.predict_proba(X), rows


@pytest.mark.parametrize("name", sorted(SETTINGS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_blocks_give_the_whole_set_predictions(data, monkeypatch, name, dtype):
    X, y = data
    X = X.astype(dtype)
    est = MLPClassifier(hidden_layer_sizes=(16, 8), max_iter=3, random_state=0, **SETTINGS[name])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est.fit(X, y)
    whole, blocked, rows = _whole_and_blocked(est, X, monkeypatch)
    assert blocked.dtype == whole.dtype
    # each row's products are the same; BLAS may round a block like the whole set or
    # not, so the check is to float rounding (bitwise on the machines tested)
    assert_allclose(blocked, whole, rtol=1e-5 if dtype == np.float32 else 1e-12, atol=1e-7)


def test_block_sizes_are_near_equal_and_within_the_budget():
    from sknn.layers import Dense

    layers = [Dense(10, 1000)]
    budget = row_blocks.BLOCK_BYTES // (1000 * 8)  # 524 rows of float64
    for n in (budget + 1, 10001, 10**5 + 3):
        rows = row_blocks.block_rows(layers, n, 8)
        sizes = [min(rows, n - start) for start in range(0, n, rows)]
        assert sum(sizes) == n and rows <= budget
        assert max(sizes) - min(sizes) < len(sizes)  # no sliver of a last block
    assert row_blocks.block_rows(layers, budget, 8) is None


def test_regressor_and_x_is_not_written(data, monkeypatch):
    X, y = data
    est = MLPRegressor(hidden_layer_sizes=(16,), max_iter=2, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est.fit(X, y.astype(float))
    before = X.copy()
    monkeypatch.setattr(row_blocks, "MIN_BLOCK_ROWS", 64)
    monkeypatch.setattr(row_blocks, "BLOCK_BYTES", 64 * 8 * 16)
    blocked = est.predict(X)
    assert_array_equal(X, before)
    monkeypatch.setattr(row_blocks, "BLOCK_BYTES", 1 << 30)
    assert_allclose(blocked, est.predict(X), rtol=1e-12)


def test_networks_with_other_layers_are_not_blocked():
    from sknn.layers import Dense
    from sknn.tabular_layers import TabularDense

    assert row_blocks.block_rows([Dense(4, 8)], 10**6, 8) is not None
    assert row_blocks.block_rows([TabularDense(4, 8), Dense(8, 2)], 10**6, 8) is None
