"""Parameter averaging with batch norm: the average gets statistics of its own."""

import pickle

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sknn import MLPClassifier
from sknn._network import Network, build_layers
from sknn.layers import BatchNorm, Dense
from sknn.training.batch_norm import recompute_statistics

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def test_one_full_batch_gives_the_statistics_of_the_data():
    rng = np.random.RandomState(0)
    arch = {"n_features": 3, "hidden_layer_sizes": (4,), "activations": ("relu",),
            "batch_norm": (True,), "n_outputs": 2}
    network = Network(build_layers(arch), np.float64)
    network.theta[...] = rng.normal(size=network.theta.shape)
    X = rng.normal(size=(50, 3))
    network.buffers[...] = 7.0  # whatever was there before is replaced
    recompute_statistics(network, (X, None, None), batch_size=50, rng=rng)
    dense, norm = network.layers[0], network.layers[1]
    assert isinstance(dense, Dense) and isinstance(norm, BatchNorm)
    z = X @ dense.params["W"]
    assert_allclose(norm.buffers["running_mean"], z.mean(axis=0), rtol=1e-12)
    assert_allclose(norm.buffers["running_var"], z.var(axis=0), rtol=1e-12)
    assert norm.momentum == network.layers[1].momentum  # restored after the pass


def test_equal_batches_enter_with_equal_weight():
    rng = np.random.RandomState(1)
    arch = {"n_features": 2, "hidden_layer_sizes": (3,), "activations": ("tanh",),
            "batch_norm": (True,), "batch_norm_momentum": 0.99, "n_outputs": 1}
    network = Network(build_layers(arch), np.float64)
    network.theta[...] = rng.normal(size=network.theta.shape)
    X = rng.normal(size=(40, 2))
    recompute_statistics(network, (X, None, None), batch_size=10, rng=rng)
    z = X @ network.layers[0].params["W"]
    # equal batches: the mean of the batch means is the data mean
    assert_allclose(network.layers[1].buffers["running_mean"], z.mean(axis=0), rtol=1e-12)


def test_averaged_weights_predict_with_their_own_statistics(digits_split):
    X_train, X_test, y_train, y_test = digits_split
    est = MLPClassifier((32,), batch_norm=True, averaging="polyak", solver="sgd",
                        learning_rate_init=0.1, max_iter=30, random_state=0)
    est.fit(X_train, y_train)
    assert est.buffers_average_ is not None
    assert not np.allclose(est.buffers_average_, est.buffers_)
    manual = Network(build_layers(est._arch), est.theta_.dtype, est.theta_average_.copy(),
                     est.buffers_.copy())
    recompute_statistics(manual, (X_train, None, None), "auto", np.random.RandomState(0))
    assert_allclose(est.predict_proba(X_test), est._loss.link(manual.predict_logits(X_test)),
                    rtol=1e-10)
    assert est.score(X_test, y_test) > 0.95  # measured 0.972 (0.967 without averaging)
    # the live weights keep theirs; pickling keeps both
    restored = pickle.loads(pickle.dumps(est))
    assert_array_equal(restored.predict_proba(X_test), est.predict_proba(X_test))


def test_partial_fit_recomputes_the_averages_statistics_each_call(digits_split):
    X_train, _, y_train, _ = digits_split
    est = MLPClassifier((16,), batch_norm=True, averaging="polyak", random_state=0)
    est.partial_fit(X_train, y_train, classes=np.unique(y_train))
    first = est.buffers_average_.copy()
    est.partial_fit(X_train, y_train)
    assert not np.allclose(first, est.buffers_average_)


def test_snapshot_ensembles_refuse_averaging_with_batch_norm(digits_split):
    from sknn.ensemble import SnapshotEnsembleClassifier

    X_train, _, y_train, _ = digits_split
    network = MLPClassifier((8,), batch_norm=True, averaging="ema")
    with pytest.raises(ValueError, match="averaging with batch_norm"):
        SnapshotEnsembleClassifier(network, n_cycles=2, cycle_length=2).fit(X_train, y_train)
