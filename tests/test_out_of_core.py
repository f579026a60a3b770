"""sknn.partial_fit_chunks: out-of-core training over chunks and Dask arrays."""

import doctest

import dask
import dask.array as da
import numpy as np
import pytest
from sklearn.base import BaseEstimator
from sklearn.datasets import load_digits
from sklearn.preprocessing import StandardScaler

import sknn.out_of_core
from sknn import MLPClassifier, MLPRegressor, partial_fit_chunks

CHUNK = 120  # rows per chunk: the data below is five chunks and a partial sixth


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return StandardScaler().fit_transform(X[:650]), y[:650]


def network(cls=MLPClassifier):
    return cls(hidden_layer_sizes=(16,), batch_size=50, learning_rate_init=0.01, random_state=0)


def in_memory(estimator, X, y, sample_weight=None, classes=None):
    """The reference: one partial_fit per CHUNK rows, on NumPy arrays in memory."""
    for start in range(0, len(X), CHUNK):
        rows = slice(start, start + CHUNK)
        kwargs = {} if classes is None else {"classes": classes}
        if sample_weight is not None:
            kwargs["sample_weight"] = sample_weight[rows]
        estimator.partial_fit(X[rows], y[rows], **kwargs)
    return estimator


def assert_same_model(a, b, X):
    assert a.n_iter_ == b.n_iter_ and a.t_ == b.t_
    for ca, cb in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_, strict=True):
        np.testing.assert_array_equal(ca, cb)
    np.testing.assert_array_equal(a.predict(X), b.predict(X))


def test_dask_arrays_of_several_chunks_give_the_in_memory_model(digits):
    X, y = digits
    Xd, yd = da.from_array(X, chunks=(CHUNK, -1)), da.from_array(y, chunks=CHUNK)
    assert Xd.numblocks == (6, 1)  # larger than one chunk
    classes = np.unique(y)
    chunked = partial_fit_chunks(network(), (Xd, yd), classes=classes)
    reference = in_memory(network(), X, y, classes=classes)
    assert chunked.t_ == len(X)  # every row seen once
    assert_same_model(chunked, reference, X)
    # a second pass continues the same model, as a second in-memory pass does
    partial_fit_chunks(chunked, (Xd, yd))
    assert_same_model(chunked, in_memory(reference, X, y), X)


def test_dask_classes_default_to_the_unique_labels_of_y(digits):
    X, y = digits
    Xd, yd = da.from_array(X, chunks=(CHUNK, -1)), da.from_array(y, chunks=CHUNK)
    chunked = partial_fit_chunks(network(), (Xd, yd))
    np.testing.assert_array_equal(chunked.classes_, np.arange(10))
    assert_same_model(chunked, in_memory(network(), X, y, classes=np.arange(10)), X)


def test_a_generator_of_chunks_with_weights_gives_the_in_memory_model(digits):
    X, y = digits
    target = X @ np.linspace(-1, 1, X.shape[1])  # a regression target
    weight = np.random.default_rng(0).uniform(0.5, 2.0, len(X))
    chunks = ((X[i:i + CHUNK], target[i:i + CHUNK], weight[i:i + CHUNK])
              for i in range(0, len(X), CHUNK))
    chunked = partial_fit_chunks(network(MLPRegressor), chunks)
    reference = in_memory(network(MLPRegressor), X, target, sample_weight=weight)
    assert_same_model(chunked, reference, X)


def test_dask_blocks_are_computed_one_at_a_time_between_partial_fits(digits):
    X, y = digits
    events = []

    def load(i):
        events.append(("load", i))
        return X[i * CHUNK:(i + 1) * CHUNK]

    sizes = [len(X[i:i + CHUNK]) for i in range(0, len(X), CHUNK)]
    Xd = da.concatenate([
        da.from_delayed(dask.delayed(load)(i), shape=(n, X.shape[1]), dtype=X.dtype)
        for i, n in enumerate(sizes)
    ])
    yd = da.from_array(y, chunks=(tuple(sizes),))

    class Recorder(BaseEstimator):
        def partial_fit(self, X, y):
            events.append(("fit", len(X)))
            return self

    with dask.config.set(scheduler="synchronous"):
        partial_fit_chunks(Recorder(), (Xd, yd))
    expected = [event for i, n in enumerate(sizes) for event in (("load", i), ("fit", n))]
    assert events == expected


def test_classifier_without_classes_over_an_iterator_is_refused(digits):
    X, y = digits
    with pytest.raises(ValueError, match="classes is required"):
        partial_fit_chunks(network(), iter([(X[:CHUNK], y[:CHUNK])]))


@pytest.mark.parametrize("chunks, match", [
    ([], "holds no chunk"),
    ([np.zeros((3, 2))], "each chunk must be a tuple"),
])
def test_malformed_chunks_are_refused(chunks, match):
    with pytest.raises(ValueError, match=match):
        partial_fit_chunks(network(MLPRegressor), chunks)


def test_dask_arrays_split_along_columns_or_misaligned_are_refused(digits):
    X, y = digits
    with pytest.raises(ValueError, match="column chunks"):
        partial_fit_chunks(network(), (da.from_array(X, chunks=(CHUNK, 8)),
                                       da.from_array(y, chunks=CHUNK)))
    with pytest.raises(ValueError, match="row chunks"):
        partial_fit_chunks(network(), (da.from_array(X, chunks=(CHUNK, -1)),
                                       da.from_array(y, chunks=100)))


def test_the_docstring_example_runs():
    failures, tried = doctest.testmod(sknn.out_of_core)
    assert tried > 0 and failures == 0
