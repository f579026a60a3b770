"""RealMLP-TD's numeric embeddings (PBLD, PLR), parametric activations and data-dependent
initialization: gradients and known values."""

import math

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from sknn import MLPClassifier, MLPRegressor
from sknn.activations import ACTIVATIONS, Mish, Parametric, ParametricMish, ParametricSELU
from sknn.data_init import MAX_ROWS
from sknn.diagnostics import check_gradients
from sknn.numeric_embeddings import PeriodicEmbedding
from sknn.tabular_layers import EnsembleDense, TabularDense
from sknn.parametric_activation import ParametricActivationLayer
from sknn.shared_ensemble import SharedEnsembleDense

from .test_gradients import problem
from .test_tabular_components import bound, quiet_fit


# ----------------------------------------------------------------- gradients
@pytest.mark.parametrize("n_members", [1, 3])
@pytest.mark.parametrize("embedding", ["pbld", "plr"])
def test_gradients_with_numeric_embeddings(embedding, n_members):
    est = MLPClassifier((5,), activation="tanh", numeric_embedding=embedding,
                        n_members=n_members, input_scale=True, random_state=0)
    report = check_gradients(est, *problem("multiclass"))
    assert report.max_relative_error < 1e-6, str(report)


@pytest.mark.parametrize("n_members", [1, 3])
@pytest.mark.parametrize("activation", ["parametric_selu", "parametric_mish",
                                        Parametric("tanh")])
def test_gradients_with_parametric_activations(activation, n_members):
    est = MLPRegressor(hidden_layer_sizes=(6, 5), activation=activation, n_members=n_members,
                       parametrization="ntp", bias_init=0.1, learning_rate_init=0.05,
                       max_iter=5, random_state=0)
    X, y = problem("continuous")
    quiet_fit(est, X, y)  # a few epochs move the mix weights away from 1
    mix = [layer.params["mix"] for layer in est._network().layers
           if isinstance(layer, ParametricActivationLayer)]
    assert len(mix) == 2 and all(np.abs(w - 1).max() > 1e-3 for w in mix)
    report = check_gradients(est, X, y)
    assert report.max_relative_error < 1e-6, str(report)


def numeric_input_gradient(layer, x, dout, h=1e-6):
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = h
        plus = np.sum(layer.forward(x + step, training=True)[0] * dout)
        minus = np.sum(layer.forward(x - step, training=True)[0] * dout)
        grad[index] = (plus - minus) / (2 * h)
    return grad


@pytest.mark.parametrize("n_members", [1, 2])
@pytest.mark.parametrize("kind", ["pbld", "plr"])
def test_embedding_input_gradient(kind, n_members):
    rng = np.random.RandomState(3)
    layer = bound(PeriodicEmbedding(3, kind, n_frequencies=4, n_members=n_members), rng)
    layer.needs_input_grad = True  # a first layer, which the network spares it
    x = rng.randn(5, 3)
    out, cache = layer.forward(x, training=True)
    dout = rng.randn(*out.shape)
    dx = layer.backward(dout, cache)
    np.testing.assert_allclose(dx, numeric_input_gradient(layer, x, dout), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("n_members", [1, 2])
def test_parametric_activation_input_gradient(n_members):
    rng = np.random.RandomState(4)
    layer = bound(ParametricActivationLayer(4, Mish(), n_members), rng)
    layer.needs_input_grad = True
    x = rng.randn(*((n_members, 3, 4) if n_members > 1 else (3, 4)))
    out, cache = layer.forward(x, training=True)
    dout = rng.randn(*out.shape)
    dx = layer.backward(dout, cache)
    np.testing.assert_allclose(dx, numeric_input_gradient(layer, x, dout), rtol=1e-6, atol=1e-8)


# -------------------------------------------------------------- known values
@settings(max_examples=25, deadline=None)
@given(st.floats(-3, 3), st.sampled_from(["selu", "mish", "tanh"]))
def test_parametric_mix_interpolates_between_identity_and_activation(mix, name):
    base = ACTIVATIONS.get(name)()
    layer = bound(Parametric(name).make_layer(6), np.random.RandomState(0))
    layer.params["mix"][...] = mix
    z = np.linspace(-4, 4, 12).reshape(2, 6)
    out, _ = layer.forward(z, training=True)
    np.testing.assert_allclose(out, (1 - mix) * z + mix * base.forward(z), atol=1e-12)


def test_parametric_activations_start_as_their_base():
    layer = ParametricSELU().make_layer(5)
    assert isinstance(layer, ParametricActivationLayer) and layer.activation.name == "selu"
    assert ParametricMish().make_layer(5).activation.name == "mish"
    assert ParametricMish().recommended_init == "he"
    net = bound(layer, np.random.RandomState(0))
    net.initialize(None, np.random.RandomState(0))
    assert (layer.params["mix"] == 1).all()
    with pytest.raises(ValueError, match="element-wise"):
        Parametric("prelu").make_layer(3)


def test_pbld_keeps_each_feature_and_members_are_independent_embeddings():
    rng = np.random.RandomState(0)
    layer = bound(PeriodicEmbedding(3, "pbld", n_frequencies=5, n_members=2), rng)
    x = rng.randn(4, 3)
    out, _ = layer.forward(x, training=True)
    assert out.shape == (2, 4, 12)
    for member in range(2):
        per_feature = out[member].reshape(4, 3, 4)
        np.testing.assert_array_equal(per_feature[..., -1], x)  # densenet: x kept
        for j in range(3):
            p = {name: value[member, j] for name, value in layer.params.items()}
            h = np.cos(2 * math.pi * np.outer(x[:, j], p["frequency"]) + p["phase"])
            np.testing.assert_allclose(per_feature[:, j, :3], h @ p["V"] + p["c"])


def test_plr_formula_and_initial_frequencies():
    rng = np.random.RandomState(1)
    layer = bound(PeriodicEmbedding(200, "plr", n_frequencies=16), rng)
    layer.initialize(None, np.random.RandomState(0))
    assert abs(layer.params["frequency"].std() - 0.1) < 0.005  # sigma of the draws
    x = rng.randn(3, 200)
    out, _ = layer.forward(x, training=True)
    p = {name: value[7] for name, value in layer.params.items()}
    angles = 2 * math.pi * np.outer(x[:, 7], p["frequency"])
    expected = np.maximum(np.hstack([np.cos(angles), np.sin(angles)]) @ p["V"] + p["c"], 0)
    np.testing.assert_allclose(out.reshape(3, 200, 4)[:, 7], expected)


def test_embedding_parameters_are_not_penalised_and_have_their_roles():
    est = MLPClassifier((4,), activation="parametric_selu", numeric_embedding="pbld",
                        alpha=1.0, max_iter=1, random_state=0)
    net = est._new_network(est._architecture(3, 2, ("parametric_selu",)), np.float64,
                           np.random.RandomState(0), "sklearn")
    roles = {slot.role for slot in net.layout.slots}
    assert {"embedding", "activation"} <= roles
    penalised = {slot.name for slot in net.layout.slots if slot.stop <= net.n_weights}
    assert penalised == {"W"}


def test_unknown_embedding_is_refused_by_name():
    X, y = problem("binary")
    with pytest.raises(ValueError, match="numeric_embedding"):
        MLPClassifier(numeric_embedding="fourier").fit(X, y)


# ------------------------------------------------------ data-dependent init
def hidden_preactivations(network, X):
    """The input of every hidden dense layer's nonlinearity, after data init."""
    out, pre = X, []
    for layer in network.layers:
        out = layer.infer(out)
        if isinstance(layer, (TabularDense, EnsembleDense)) and not layer.zero_init:
            pre.append(out.copy())
    return pre


@pytest.mark.parametrize("n_members", [1, 3])
def test_data_init_gives_unit_std_units_with_kinks_inside_the_data(n_members):
    rng = np.random.RandomState(0)
    X = rng.randn(300, 5) * [1, 10, 100, 0.01, 3] + 7  # badly scaled on purpose
    X_before = X.copy()
    est = MLPRegressor(hidden_layer_sizes=(16, 8), activation="relu", parametrization="ntp",
                       output_init="zeros", n_members=n_members, data_init=True,
                       random_state=0)
    arch = est._architecture(5, 1, ("relu", "relu"))
    net = est._new_network(arch, np.float64, np.random.RandomState(0), "sklearn", X)
    np.testing.assert_array_equal(X, X_before)
    pre = hidden_preactivations(net, X)
    assert len(pre) == 2
    for z in pre:
        z = z.reshape(-1, *z.shape[-2:]) if n_members > 1 else z[None]
        for member in z:
            np.testing.assert_allclose(member.std(axis=0), 1.0, rtol=1e-10)
            active = (member > 0).mean(axis=0)  # kink strictly inside the rows
            assert ((active > 0) & (active < 1)).all()
    output = [layer for layer in net.layers if getattr(layer, "zero_init", False)]
    assert not output[0].params["W"].any()


def test_data_init_uses_a_bounded_random_subset_and_is_deterministic():
    X = np.random.RandomState(1).randn(MAX_ROWS + 500, 3)
    est = MLPClassifier((4,), parametrization="ntp", data_init=True, random_state=0)
    arch = est._architecture(3, 2, ("tanh",))
    nets = [est._new_network(arch, np.float64, np.random.RandomState(5), "sklearn", X)
            for _ in range(2)]
    np.testing.assert_array_equal(nets[0].theta, nets[1].theta)
    plain = est._new_network(arch, np.float64, np.random.RandomState(5), "sklearn")
    assert not np.array_equal(plain.theta, nets[0].theta)
    # the rows are the subset drawn after the usual initialization: unit std there exactly
    rng = np.random.RandomState(5)
    est._new_network(arch, np.float64, rng, "sklearn")
    rows = np.sort(rng.choice(X.shape[0], size=MAX_ROWS, replace=False))
    z_subset = hidden_preactivations(nets[0], X[rows])[0]
    z_all = hidden_preactivations(nets[0], X)[0]
    np.testing.assert_allclose(z_subset.std(axis=0), 1.0, rtol=1e-10)
    assert np.abs(z_all.std(axis=0) - 1).max() > 1e-6


def test_data_init_reaches_fit_and_changes_the_first_predictions():
    X, y = problem("continuous", n=60)
    kwargs = dict(hidden_layer_sizes=(8,), parametrization="ntp", max_iter=1,
                  learning_rate_init=1e-12, random_state=0)
    with_init = quiet_fit(MLPRegressor(data_init=True, **kwargs), X, y)
    without = quiet_fit(MLPRegressor(data_init=False, **kwargs), X, y)
    assert not np.allclose(with_init.predict(X), without.predict(X))
    net = with_init._network()
    z = hidden_preactivations(net, X)
    np.testing.assert_allclose(z[0].std(axis=0), 1.0, rtol=1e-3)


# ------------------------------------------------- shared-weight ensembles
@pytest.mark.parametrize("embedding", [None, "pbld"])
@pytest.mark.parametrize("kind", ["multiclass", "continuous"])
def test_gradients_of_shared_weight_ensembles(kind, embedding):
    Estimator = MLPClassifier if kind == "multiclass" else MLPRegressor
    est = Estimator(hidden_layer_sizes=(5, 4), activation="parametric_mish", n_members=3,
                    member_weights="shared", numeric_embedding=embedding, input_scale=True,
                    parametrization="ntp", bias_init=0.1, random_state=0)
    report = check_gradients(est, *problem(kind))
    assert report.max_relative_error < 1e-6, str(report)


def test_shared_ensemble_dense_formula_and_initialization():
    from sknn.initializers import LayerInitializer, resolve_initializer

    rng = np.random.RandomState(0)
    layer = bound(SharedEnsembleDense(6, 3, n_members=4, ntp=True,
                                      first_adapter="random-signs"), rng)
    layer.initialize(LayerInitializer(resolve_initializer("sklearn", None), 0.5), rng)
    p = layer.params
    assert set(np.unique(p["r"])) == {-1.0, 1.0} and (p["s"] == 1).all()
    assert (p["b"] == p["b"][0]).all()  # all members start with the same biases (TabM)
    p["s"][...] = rng.randn(4, 3)
    x = rng.randn(5, 6)
    out, cache = layer.forward(sp.csr_matrix(x), training=True)
    for i in range(4):
        expected = (x * p["r"][i]) @ p["W"] / math.sqrt(6) * p["s"][i] + p["b"][i]
        np.testing.assert_allclose(out[i], expected)
    dense_out, dense_cache = layer.forward(x, training=True)
    np.testing.assert_allclose(dense_out, out)
    dout = rng.randn(*out.shape)
    layer.backward(dout, cache)
    sparse_grads = {name: grad.copy() for name, grad in layer.grads.items()}
    layer.backward(dout, dense_cache)
    for name, grad in layer.grads.items():
        np.testing.assert_allclose(grad, sparse_grads[name])


def test_first_adapter_is_drawn_once_per_embedded_feature():
    est = MLPClassifier((8, 8), n_members=5, member_weights="shared", numeric_embedding="pbld",
                        parametrization="ntp", random_state=0)
    net = est._new_network(est._architecture(3, 2, ("relu", "relu"), n_members=5), np.float64,
                           np.random.RandomState(0), "sklearn")
    first, second = [layer for layer in net.layers if isinstance(layer, SharedEnsembleDense)]
    assert first.first_adapter == "normal" and second.first_adapter is None
    r = first.params["r"].reshape(5, 3, 4)  # 3 features x d_embedding 4
    np.testing.assert_array_equal(r, np.repeat(r[:, :, :1], 4, axis=2))
    assert len(np.unique(r[:, :, 0])) == 15  # every member and feature its own draw
    assert (second.params["r"] == 1).all()
    output = [layer for layer in net.layers if isinstance(layer, EnsembleDense)]
    assert len(output) == 1  # the output layer stays independent per member
    embeddings = [layer for layer in net.layers if isinstance(layer, PeriodicEmbedding)]
    assert embeddings[0].n_members == 1  # shared by the members


def test_shared_members_predict_differently_and_are_averaged():
    X, y = problem("continuous", n=80)
    est = quiet_fit(MLPRegressor(hidden_layer_sizes=(16,), n_members=4, member_weights="shared",
                                 parametrization="ntp", max_iter=30, learning_rate_init=0.01,
                                 random_state=0), X, y)
    members = est._inference_network().predict_logits(X)
    assert members.shape == (4, 80, 2)
    assert np.ptp(members, axis=0).max() > 1e-3
    np.testing.assert_allclose(est.predict(X), members.mean(axis=0), rtol=1e-6, atol=1e-9)


# ------------------------------------------------------ per-member bootstrap
def test_bootstrap_weights_are_per_member_draw_counts_times_the_row_weights():
    from sknn.batched_ensemble import bootstrap_weights

    sw = np.linspace(0.5, 2.0, 50)
    weights = bootstrap_weights(sw, 50, 4, np.random.RandomState(0))
    counts = weights / sw[:, None]
    np.testing.assert_allclose(counts, np.round(counts))
    np.testing.assert_allclose(counts.sum(axis=0), 50)  # n draws per member
    assert len({tuple(column) for column in counts.T}) == 4  # members differ
    again = bootstrap_weights(sw, 50, 4, np.random.RandomState(0))
    np.testing.assert_array_equal(weights, again)


def test_ensemble_loss_weights_each_member_by_its_own_column():
    from sknn.batched_ensemble import EnsembleLoss
    from sknn.losses import SquaredError

    rng = np.random.RandomState(0)
    Y, Z = rng.randn(6, 2), rng.randn(3, 6, 2)
    weights = rng.randint(0, 3, size=(6, 3)).astype(float)
    base = SquaredError()
    total, dZ = EnsembleLoss(base, 3).value_and_grad(Y, Z, weights)
    expected = 0.0
    for i in range(3):
        value, grad = base.value_and_grad(Y, Z[i].copy(), weights[:, i])
        expected += value
        np.testing.assert_allclose(dZ[i], grad)
    assert total == pytest.approx(expected)


def test_member_bootstrap_weights_reach_each_member(monkeypatch):
    import sknn._run_setup as run_setup

    def first_member_only(sample_weight, n, m, rng, dtype):
        weights = np.zeros((n, m), dtype)
        weights[:, 0] = 1.0
        return weights

    monkeypatch.setattr(run_setup, "bootstrap_weights", first_member_only)
    X, y = problem("continuous", n=60)
    est = MLPRegressor(hidden_layer_sizes=(8,), n_members=2, member_bootstrap=True,
                       solver="sgd", alpha=0.0, learning_rate_init=0.1, max_iter=3,
                       random_state=0)
    initial = est._new_network(est._architecture(4, 2, ("relu",), n_members=2), np.float64,
                               np.random.RandomState(0), "sklearn").theta
    quiet_fit(est, X, y)
    W0 = est.coefs_[0]  # (2, 4, 8): member 0 trained, member 1 saw only zero weights
    start = est._network(initial).layers[0].params["W"]
    assert not np.allclose(W0[0], start[0])
    np.testing.assert_array_equal(W0[1], start[1])


def test_member_bootstrap_changes_the_fit_and_needs_members():
    X, y = problem("continuous", n=60)
    kwargs = dict(hidden_layer_sizes=(8,), n_members=3, max_iter=5, random_state=0)
    plain = quiet_fit(MLPRegressor(**kwargs), X, y)
    boot = quiet_fit(MLPRegressor(member_bootstrap=True, **kwargs), X, y)
    assert not np.allclose(plain.predict(X), boot.predict(X))
    with pytest.raises(ValueError, match="member_bootstrap"):
        MLPRegressor(member_bootstrap=True).fit(X, y)
