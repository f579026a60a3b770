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


# ------------------------------------------------------------ the fuzz suite's inputs
CONTAINERS = ("C", "F", "strided", "readonly", "csr", "csc", "coo", "DataFrame")
X_DTYPES = ("float64", "float32", "float16", "int64", "bool", "object", "complex128")
INJECTIONS = (None, "nan", "inf", "huge")


def _as_container(X, container):
    import pandas as pd
    import scipy.sparse as sp

    if container == "F":
        return np.asfortranarray(X)
    if container == "strided":
        wide = np.zeros((X.shape[0], 2 * X.shape[1]), dtype=X.dtype)
        wide[:, ::2] = X
        return wide[:, ::2]
    if container == "readonly":
        X = X.copy()
        X.flags.writeable = False
        return X
    if container in ("csr", "csc", "coo"):
        return getattr(sp, f"{container}_matrix")(X)
    if container == "DataFrame":
        return pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    return X


@st.composite
def fuzz_data(draw, *, task):
    """(X, y, sample_weight, description) over shapes, dtypes, containers and bad values.

    ``description`` records what was drawn: ``dtype``, ``container`` and
    ``injected`` (None, 'nan', 'inf' or 'huge').
    """
    n_samples = draw(st.integers(1, 40))
    n_features = draw(st.integers(1, 5))
    dtype = draw(st.sampled_from(X_DTYPES))
    container = draw(st.sampled_from(CONTAINERS))
    if dtype in ("object", "complex128", "float16") and container in ("csr", "csc", "coo"):
        container = "C"
    values = draw(finite_arrays((n_samples, n_features), bound=3.0))
    if dtype == "bool":
        X = values > 0
    elif dtype == "int64":
        X = np.round(values).astype(np.int64)
    elif dtype == "complex128":
        X = values + 1j * draw(st.sampled_from([0.0, 1.0])) * values
    else:
        X = values.astype(dtype)
    injected = draw(st.sampled_from(INJECTIONS)) if X.dtype.kind == "f" else None
    if injected is not None:
        X = X.copy()
        X[draw(st.integers(0, n_samples - 1)), draw(st.integers(0, n_features - 1))] = {
            "nan": np.nan, "inf": -np.inf, "huge": 1e200 if X.dtype == np.float64 else np.inf,
        }[injected]
    if task == "classification":
        n_classes = draw(st.integers(1, 3))
        labels = draw(st.sampled_from([np.array([2, 5, 9]), np.array(["ant", "bee", "cat"])]))
        y = labels[np.asarray(draw(st.permutations(np.arange(n_samples) % n_classes)))]
    else:
        y = draw(finite_arrays((n_samples,), bound=3.0))
    sample_weight = draw(st.none() | finite_arrays((n_samples,), bound=2.0).map(np.abs))
    return _as_container(X, container), y, sample_weight, dict(
        dtype=dtype, container=container, injected=injected)


@st.composite
def fuzz_params(draw, *, task):
    """Constructor parameters over every registered component and the flat parameters."""
    from sknn._registry import REGISTRIES

    def name_of(kind, **filters):
        names = [n for n, cls in REGISTRIES[kind].items()
                 if all(getattr(cls, k) == v for k, v in filters.items())]
        return draw(st.sampled_from(names))

    n_hidden = draw(st.integers(1, 2))
    params = dict(
        hidden_layer_sizes=tuple(draw(st.integers(1, 6)) for _ in range(n_hidden)),
        activation=name_of("activation"),
        solver=name_of("optimizer"),
        learning_rate=name_of("schedule"),
        weight_init=draw(st.sampled_from(["auto", *REGISTRIES["initializer"].names()])),
        loss=name_of("loss", task=task),
        averaging=draw(st.none() | st.sampled_from(REGISTRIES["averaging"].names())),
        max_iter=draw(st.integers(1, 4)),
        batch_size=draw(st.sampled_from(["auto", 1, 3, 64])),
        alpha=draw(st.sampled_from([0.0, 1e-4, 1.0])),
        l1=draw(st.sampled_from([0.0, 1e-3])),
        max_norm=draw(st.sampled_from([None, 1.0])),
        dropout=draw(st.sampled_from([0.0, 0.3])),
        input_dropout=draw(st.sampled_from([0.0, 0.2])),
        batch_norm=draw(st.booleans()),
        early_stopping=draw(st.booleans()),
        validation_fraction=draw(st.sampled_from([0.1, 0.5])),
        clip_norm=draw(st.sampled_from([None, 1.0])),
        warmup_epochs=draw(st.sampled_from([0, 2])),
        learning_rate_init=draw(st.sampled_from([1e-3, 0.1, 10.0])),
        shuffle=draw(st.booleans()),
        bias_init=draw(st.sampled_from([0.0, 0.1])),
        random_state=draw(st.integers(0, 3)),
    )
    if task == "classification":
        params["class_weight"] = draw(st.sampled_from([None, "balanced"]))
    return params
