"""Hypothesis strategies shared by the test modules."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import sknn.layers  # noqa: F401  (registers the activations with parameters)
from sknn.activations import ACTIVATIONS, elementwise_names
from sknn.initializers import initializer_names

elementwise_activation_names = st.sampled_from(elementwise_names())
activation_names = st.sampled_from(ACTIVATIONS.names(aliases=False))
# every initializer but "zeros", whose symmetric units are a separate, warned case
initializer_choices = st.sampled_from([n for n in initializer_names() if n != "zeros"])
float_dtypes = st.sampled_from([np.float32, np.float64])


def finite_arrays(shape, *, dtype=np.float64, bound=10.0):
    """Arrays of the given shape with finite, bounded, non-subnormal entries."""
    return hnp.arrays(
        dtype,
        shape,
        elements=st.floats(-bound, bound, allow_nan=False, allow_infinity=False,
                           allow_subnormal=False, width=np.dtype(dtype).itemsize * 8),
    )


@st.composite
def classification_data(draw, *, min_samples=6, max_samples=30, max_features=5,
                        string_labels=None):
    """(X, y) with at least two classes guaranteed by construction."""
    n_samples = draw(st.integers(min_samples, max_samples))
    n_features = draw(st.integers(1, max_features))
    n_classes = draw(st.integers(2, 4))
    X = draw(finite_arrays((n_samples, n_features), bound=5.0))
    codes = np.arange(n_samples) % n_classes
    codes = draw(st.permutations(codes.tolist()))
    if string_labels is None:
        string_labels = draw(st.booleans())
    labels = np.array(["ant", "bee", "cat", "dog"]) if string_labels else np.array([3, 7, 11, 19])
    return X, labels[np.asarray(codes)]


@st.composite
def regression_data(draw, *, min_samples=6, max_samples=30, max_features=5, max_outputs=3):
    n_samples = draw(st.integers(min_samples, max_samples))
    n_features = draw(st.integers(1, max_features))
    n_outputs = draw(st.integers(1, max_outputs))
    X = draw(finite_arrays((n_samples, n_features), bound=5.0))
    y = draw(finite_arrays((n_samples, n_outputs), bound=5.0))
    return X, (y.ravel() if n_outputs == 1 else y)
