"""``embedding_features``: which columns a numeric embedding embeds, and the
pass-through of the others (RealMLP-TD embeds its numeric features only)."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sknn import MLPClassifier, MLPRegressor, TabularMLPClassifier
from sknn._embedded_features import at_most_two_valued, resolve_embedded_features
from sknn.diagnostics import check_gradients
from sknn.numeric_embeddings import PeriodicEmbedding
from sknn.shared_ensemble import SharedEnsembleDense

from .test_realmlp_components import numeric_input_gradient
from .test_tabular_components import bound, quiet_fit


def mixed_columns(n=40, seed=0):
    """4 numeric columns, then a one-hot pair and a 0/1 indicator (columns 4-6)."""
    rng = np.random.RandomState(seed)
    numeric = rng.randn(n, 4)
    category = rng.randint(0, 2, n)
    indicator = (rng.rand(n) > 0.3).astype(float)
    X = np.column_stack([numeric, category == 0, category == 1, indicator]).astype(float)
    return X, rng.randint(0, 3, n)


# ----------------------------------------------------------- the selection
@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, max_side=9),
                  elements=st.sampled_from([-1.5, 0.0, 0.5, 2.0])))
def test_two_valued_columns_are_those_with_at_most_two_unique_values(X):
    expected = np.array([np.unique(X[:, j]).size <= 2 for j in range(X.shape[1])])
    np.testing.assert_array_equal(at_most_two_valued(X), expected)
    # a sparse matrix answers the same, with its implicit zeros counted as values
    np.testing.assert_array_equal(at_most_two_valued(sp.csr_matrix(X)), expected)


def test_non_binary_selection_leaves_out_indicators_and_constants():
    X, _ = mixed_columns()
    X = np.column_stack([X, np.full(len(X), 3.0)])
    assert resolve_embedded_features("non_binary", X) == (0, 1, 2, 3)
    assert resolve_embedded_features("all", X) == tuple(range(8))
    mask = np.zeros(8, dtype=bool)
    mask[[5, 1]] = True
    assert resolve_embedded_features(mask, X) == (1, 5)
    assert resolve_embedded_features([6, 2], X) == (2, 6)
    assert resolve_embedded_features("non_binary", X[:2]) == tuple(range(8))  # can't tell
    names = np.array([f"f{j}" for j in range(8)], dtype=object)
    assert resolve_embedded_features(["f3", "f0"], X, names) == (0, 3)


@pytest.mark.parametrize("selection, message", [
    ("numeric", "embedding_features must be one of"),
    (np.ones(3, dtype=bool), "one value per feature"),
    ([0, 9], "outside"),
    ([1, 1], "repeated"),
    ([0.5], "integer indices"),
    (["age"], "no feature names"),
    ([[0, 1]], "one-dimensional"),
])
def test_bad_selections_name_the_parameter(selection, message):
    X, _ = mixed_columns()
    with pytest.raises(ValueError, match=message) as error:
        resolve_embedded_features(selection, X)
    assert "embedding_features" in str(error.value)


def test_unknown_feature_names_are_listed():
    X, _ = mixed_columns()
    with pytest.raises(ValueError, match=r"\['age'\]"):
        resolve_embedded_features(["age"], X, np.array([f"f{j}" for j in range(7)]))


# ----------------------------------------------------------------- the layer
@pytest.mark.parametrize("n_members", [1, 3])
@pytest.mark.parametrize("kind", ["pbld", "plr"])
def test_passed_through_columns_follow_the_embeddings_unchanged(kind, n_members):
    rng = np.random.RandomState(0)
    columns = [0, 2, 3]
    layer = bound(PeriodicEmbedding(5, kind, n_frequencies=4, n_members=n_members,
                                    columns=columns), rng)
    whole = bound(PeriodicEmbedding(3, kind, n_frequencies=4, n_members=n_members), rng)
    for name, value in layer.params.items():
        whole.params[name][...] = value
    x = rng.randn(6, 5)
    out, _ = layer.forward(x, training=False)
    assert layer.n_out == 3 * 4 + 2 and out.shape[-1] == layer.n_out
    expected, _ = whole.forward(x[:, columns], training=False)
    np.testing.assert_allclose(out[..., :12], expected, rtol=1e-13)
    np.testing.assert_array_equal(out[..., 12:], np.broadcast_to(x[:, [1, 4]], out[..., 12:].shape))


@pytest.mark.parametrize("n_members", [1, 2])
@pytest.mark.parametrize("kind", ["pbld", "plr"])
def test_input_gradient_with_passed_through_columns(kind, n_members):
    rng = np.random.RandomState(3)
    layer = bound(PeriodicEmbedding(4, kind, n_frequencies=3, n_members=n_members,
                                    columns=[1, 3]), rng)
    layer.needs_input_grad = True
    x = rng.randn(5, 4)
    out, cache = layer.forward(x, training=True)
    dout = rng.randn(*out.shape)
    dx = layer.backward(dout, cache)
    np.testing.assert_allclose(dx, numeric_input_gradient(layer, x, dout), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("member_weights, n_members", [("independent", 1),
                                                       ("independent", 3), ("shared", 3)])
@pytest.mark.parametrize("embedding", ["pbld", "plr"])
def test_gradients_of_a_network_with_passed_through_columns(embedding, n_members,
                                                            member_weights):
    X, y = mixed_columns()
    est = MLPClassifier((5,), activation="tanh", numeric_embedding=embedding,
                        n_members=n_members, member_weights=member_weights,
                        input_scale=True, random_state=0)
    report = check_gradients(est, X, y)
    assert report.max_relative_error < 1e-6, str(report)
    quiet_fit(est.set_params(max_iter=2), X, y)
    np.testing.assert_array_equal(est.embedded_features_, [0, 1, 2, 3])


def test_shared_first_adapter_is_drawn_per_feature_embedded_or_not():
    X, y = mixed_columns()
    est = MLPClassifier((6,), numeric_embedding="pbld", n_members=4, member_weights="shared",
                        random_state=0)
    first = next(layer for layer in est.initialize(X, y)._network().layers
                 if isinstance(layer, SharedEnsembleDense))
    assert first.n_in == 4 * 4 + 3
    r = first.params["r"]  # (members, n_in), as drawn
    groups = r[:, :16].reshape(4, 4, 4)
    assert (groups == groups[..., :1]).all()  # one draw per embedded feature
    singles = np.column_stack([groups[..., 0], r[:, 16:]])
    assert np.unique(singles).size == singles.size  # and one per passed-through column
    with pytest.raises(ValueError, match="sum to n_in"):
        SharedEnsembleDense(5, 2, 3, first_adapter="normal", section=[4, 2])


# ---------------------------------------------------------------- estimators
def test_default_embeds_the_numeric_columns_of_the_first_call_only():
    X, y = mixed_columns(n=60)
    est = MLPClassifier((5,), numeric_embedding="pbld", max_iter=1, random_state=0)
    quiet_fit(est, X, y)
    np.testing.assert_array_equal(est.embedded_features_, [0, 1, 2, 3])
    embedding = est._network().layers[0]
    assert embedding.n_embedded == 4 and embedding.n_out == 19
    # a later batch where column 6 takes a third value keeps the network's shape
    X2 = X.copy()
    X2[0, 6] = 5.0
    est.partial_fit(X2, y)
    np.testing.assert_array_equal(est.embedded_features_, [0, 1, 2, 3])
    # while a fresh fit on it embeds the column
    quiet_fit(est, X2, y)
    np.testing.assert_array_equal(est.embedded_features_, [0, 1, 2, 3, 6])


def test_all_embeds_every_column_and_no_embedding_means_none():
    X, y = mixed_columns()
    est = quiet_fit(MLPClassifier((5,), numeric_embedding="plr", embedding_features="all",
                                  max_iter=1, random_state=0), X, y)
    np.testing.assert_array_equal(est.embedded_features_, np.arange(7))
    assert est._network().layers[0].n_out == 7 * 4
    plain = quiet_fit(MLPClassifier((5,), max_iter=1, random_state=0), X, y)
    assert plain.embedded_features_ is None


def test_feature_names_select_columns_of_a_dataframe():
    X, y = mixed_columns()
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d", "red", "blue", "flag"])
    est = quiet_fit(TabularMLPClassifier(max_iter=2, embedding_features=["b", "flag"],
                                         random_state=0), frame, y)
    np.testing.assert_array_equal(est.embedded_features_, [1, 6])


def test_no_column_to_embed_leaves_the_embedding_out():
    rng = np.random.RandomState(0)
    X = (rng.rand(50, 5) > 0.5).astype(float)
    y = X[:, 0] - X[:, 1] + 0.1 * rng.randn(50)
    est = quiet_fit(MLPRegressor(hidden_layer_sizes=(6,), numeric_embedding="pbld", max_iter=20,
                                 random_state=0), X, y)
    assert est.embedded_features_.size == 0
    assert not any(isinstance(layer, PeriodicEmbedding) for layer in est._network().layers)
    assert np.isfinite(est.predict(X)).all()
