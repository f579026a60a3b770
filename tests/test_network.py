import copy
import pickle

import numpy as np
import pytest
import scipy.optimize
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st

from sknn import MLPClassifier
from sknn._network import Network, Objective, build_layers
from sknn._params import ParamLayout, ParamSpec
from sknn.activations import ACTIVATIONS
from sknn.layers import ActivationLayer, Dense
from sknn.losses import LOSSES

from .strategies import elementwise_activation_names as activation_names
from .strategies import finite_arrays


def arch(n_features=4, hidden=(5, 3), activation="tanh", n_outputs=2):
    return {
        "n_features": n_features,
        "hidden_layer_sizes": hidden,
        "activations": (activation,) * len(hidden),
        "n_outputs": n_outputs,
    }


def test_layout_puts_weights_first_and_sizes_add_up():
    layout = ParamLayout(
        [[ParamSpec("W", (3, 4)), ParamSpec("b", (4,), "bias")],
         [ParamSpec("W", (4, 2)), ParamSpec("b", (2,), "bias", fill=1.0)]]
    )
    assert layout.size == 12 + 4 + 8 + 2
    assert layout.n_weights == 20
    assert [s.role for s in layout.slots] == ["weight", "weight", "bias", "bias"]
    flat = layout.filled(np.float32)
    assert flat.dtype == np.float32 and flat[-2:].tolist() == [1.0, 1.0]
    with pytest.raises(ValueError, match="size 26"):
        layout.views(np.zeros(3))


def test_every_parameter_is_a_view_into_theta():
    net = Network(build_layers(arch()), np.float64)
    for layer in net.layers:
        for name, view in layer.params.items():
            assert np.shares_memory(view, net.theta)
            assert np.shares_memory(layer.grads[name], net.grad)
    net.theta[...] = 7.0
    assert all((view == 7.0).all() for layer in net.layers for view in layer.params.values())


def test_views_survive_assignment_and_are_rebuilt_after_pickle():
    X = np.random.RandomState(0).randn(30, 4)
    y = np.arange(30) % 3
    clf = MLPClassifier((5,), max_iter=5, random_state=0).fit(X, y)
    for clone in (pickle.loads(pickle.dumps(clf)), copy.deepcopy(clf)):
        np.testing.assert_array_equal(clone.predict_proba(X), clf.predict_proba(X))
        assert all(np.shares_memory(w, clone.theta_) for w in clone.coefs_ + clone.intercepts_)


@given(
    n=st.integers(1, 6),
    n_in=st.integers(1, 5),
    n_out=st.integers(1, 5),
    data=st.data(),
)
def test_dense_backward_matches_numerical_vjp(n, n_in, n_out, data):
    layer = Dense(n_in, n_out)
    net = Network([Dense(n_in, n_in), layer], np.float64)  # layer is not first: needs dx
    theta = data.draw(finite_arrays(net.theta.shape, bound=2.0))
    net.theta[...] = theta
    x = data.draw(finite_arrays((n, n_in), bound=3.0))
    dout = data.draw(finite_arrays((n, n_out), bound=3.0))
    x0, d0 = x.copy(), dout.copy()
    out, cache = layer.forward(x, training=True)
    dx = layer.backward(dout, cache)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(dout, d0)
    assert not np.shares_memory(dx, dout)
    np.testing.assert_allclose(dx, dout @ layer.params["W"].T)
    np.testing.assert_allclose(layer.grads["W"], x.T @ dout, atol=1e-12)
    np.testing.assert_allclose(layer.grads["b"], dout.sum(axis=0), atol=1e-12)
    # and the whole VJP against central differences of <forward(x), dout>
    h = 1e-6
    for i in np.ndindex(*x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        num = np.sum((layer.forward(xp, training=True)[0] - layer.forward(xm, training=True)[0]) * dout) / (2 * h)
        assert dx[i] == pytest.approx(num, rel=1e-6, abs=1e-8)


@given(name=activation_names, data=st.data())
def test_activation_layer_backward_matches_numerical_vjp(name, data):
    layer = ActivationLayer(3, ACTIVATIONS.build(name))
    x = data.draw(finite_arrays((4, 3), bound=4.0))
    x = np.where(np.abs(x) < 1e-3, 0.5, x)
    dout = data.draw(finite_arrays((4, 3)))
    out, cache = layer.forward(x, training=True)
    dx = layer.backward(dout, cache)
    h = 1e-6
    num = (layer.forward(x + h, training=True)[0] - layer.forward(x - h, training=True)[0]) / (2 * h) * dout
    np.testing.assert_allclose(dx, num, rtol=1e-5, atol=1e-7)
    assert not np.shares_memory(dx, dout)


def test_sparse_input_gives_dense_results_equal_to_dense_input():
    rng = np.random.RandomState(0)
    X = rng.randn(10, 4) * (rng.rand(10, 4) > 0.5)
    net = Network(build_layers(arch()), np.float64)
    net.theta[...] = rng.randn(net.theta.size)
    objective = Objective(net, LOSSES.build("squared_error"), alpha=0.1)
    Y = rng.randn(10, 2)
    dense_value = objective(X, Y)
    dense_grad = net.grad.copy()
    for fmt in (sp.csr_matrix, sp.csc_matrix):
        assert objective(fmt(X), Y) == pytest.approx(dense_value)
        np.testing.assert_allclose(net.grad, dense_grad)
        np.testing.assert_allclose(net.predict_logits(fmt(X)), net.predict_logits(X))


def test_objective_gradient_passes_scipy_check_grad():
    rng = np.random.RandomState(0)
    net = Network(build_layers(arch(activation="softplus")), np.float64)
    objective = Objective(net, LOSSES.build("log_loss").for_target("multiclass"), alpha=0.5)
    X, Y = rng.randn(12, 4), np.eye(2)[rng.randint(0, 2, 12)]
    x0 = rng.randn(net.theta.size) * 0.5
    err = scipy.optimize.check_grad(
        lambda t: objective.flat(t, X, Y)[0], lambda t: objective.flat(t, X, Y)[1], x0
    )
    assert err / np.linalg.norm(objective.flat(x0, X, Y)[1]) < 1e-5


def test_penalty_skips_biases():
    net = Network(build_layers(arch()), np.float64)
    net.theta[...] = 1.0
    Y = np.zeros((3, 2))
    X = np.zeros((3, 4))
    plain = Objective(net, LOSSES.build("squared_error"), alpha=0.0)(X, Y)
    grad_plain = net.grad.copy()
    penalised = Objective(net, LOSSES.build("squared_error"), alpha=3.0)(X, Y)
    n_w = net.n_weights
    assert penalised - plain == pytest.approx(0.5 * 3.0 * n_w / 3)
    np.testing.assert_allclose(net.grad[:n_w] - grad_plain[:n_w], 3.0 / 3)
    np.testing.assert_array_equal(net.grad[n_w:], grad_plain[n_w:])
