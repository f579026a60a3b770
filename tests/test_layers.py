"""Layer-level tests of the issue-4 layers: BatchNorm, Dropout, PReLU, Maxout.

Every layer's ``backward`` is compared with centered differences of
``sum(forward(x) * dout)`` (MyGrad style) on shapes and data drawn by
hypothesis; then the statistical and bookkeeping promises of each layer.
"""

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import assume, given
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from sknn._network import Network, build_layers
from sknn._params import ParamLayout
from sknn.activations import ACTIVATIONS, Activation
from sknn.activations import Maxout, PReLU
from sknn.layers import ActivationLayer, BatchNorm, Dense, Dropout, MaxoutLayer, PReLULayer


def bind(layer, dtype=np.float64, rng=None):
    """Bind a standalone layer to fresh flat vectors; random parameters if rng."""
    params, buffers = ParamLayout([layer.param_specs()]), ParamLayout([layer.buffer_specs()])
    theta, flat_buffers = params.filled(dtype), buffers.filled(dtype)
    grad = np.zeros_like(theta)

    def views(layout, flat):
        return (layout.views(flat) or [{}])[0]

    layer.bind(views(params, theta), views(params, grad), views(buffers, flat_buffers))
    if rng is not None:
        theta[...] = rng.normal(size=theta.shape)
    return theta, grad, flat_buffers


# ----------------------------------------------------------- backward vs numerical
def make_layer(kind, n_units, k):
    """A layer of the given kind and its input width."""
    if kind == "dense":
        layer = Dense(n_units + 1, n_units)
    elif kind == "dense_no_bias":
        layer = Dense(n_units + 1, n_units, use_bias=False)
    elif kind in ("batch_norm", "batch_norm_weighted"):
        layer = BatchNorm(n_units, momentum=0.9)
    elif kind == "prelu":
        layer = PReLULayer(n_units, negative_slope=0.1)
    elif kind == "maxout":
        layer = MaxoutLayer(n_units, pieces=k)
    elif kind == "dropout":
        layer = Dropout(n_units, 0.4)
    else:
        layer = ActivationLayer(n_units, ACTIVATIONS.build("tanh"))
    return layer


def away_from_kinks(kind, layer, x, h):
    """Whether no input lies within a few steps h of a kink of the layer."""
    if kind == "prelu":
        return bool(np.all(np.abs(x) > 10 * h))
    if kind == "maxout":
        pieces = np.sort(x.reshape(x.shape[0], layer.n_out, layer.pieces), axis=2)
        return bool(np.all(pieces[..., -1] - pieces[..., -2] > 10 * h))
    if kind.startswith("batch_norm"):
        return bool(np.all(x.var(axis=0) > 1e-2))
    return True


def centered_vjp(f, values, dout, h):
    """d sum(f() * dout) / d values, entry by entry (values perturbed in place)."""
    numerical = np.zeros(values.shape)
    for i in np.ndindex(values.shape):
        original = values[i]
        values[i] = original + h
        plus = np.sum(f() * dout)
        values[i] = original - h
        minus = np.sum(f() * dout)
        values[i] = original
        numerical[i] = (plus - minus) / (2 * h)
    return numerical


KINDS = [
    "dense", "dense_no_bias", "batch_norm", "batch_norm_weighted", "prelu", "maxout",
    "dropout", "tanh",
]


@pytest.mark.parametrize("kind", KINDS)
@given(
    n_rows=st.integers(2, 7),
    n_units=st.integers(1, 4),
    pieces=st.integers(2, 3),
    seed=st.integers(0, 2**31 - 1),
)
def test_backward_matches_numerical_vjp(kind, n_rows, n_units, pieces, seed):
    rng = np.random.RandomState(seed)
    layer = make_layer(kind, n_units, pieces)
    theta, grad, _ = bind(layer, rng=rng)
    x = rng.normal(size=(n_rows, layer.n_in)) * 2
    dout = rng.normal(size=(n_rows, layer.n_out))
    sw = rng.uniform(0.1, 3, size=n_rows) if kind == "batch_norm_weighted" else None
    h = 1e-6
    assume(away_from_kinks(kind, layer, x, h))
    x_before, dout_before = x.copy(), dout.copy()

    def f():  # the same dropout mask at every evaluation
        out, _ = layer.forward(
            x, training=True, rng=np.random.RandomState(seed), sample_weight=sw
        )
        return out

    out, cache = layer.forward(x, training=True, rng=np.random.RandomState(seed), sample_weight=sw)
    dx = layer.backward(dout, cache)
    analytic_grad = grad.copy()

    assert_array_equal(x, x_before)
    assert_array_equal(dout, dout_before)
    assert dx.shape == x.shape
    assert not np.shares_memory(dx, dout)
    assert_allclose(dx, centered_vjp(f, x, dout, h), rtol=1e-5, atol=1e-7)
    if theta.size:
        assert_allclose(analytic_grad, centered_vjp(f, theta, dout, h), rtol=1e-5, atol=1e-7)
    # backward overwrites the gradient views, it does not accumulate
    layer.backward(dout, cache)
    assert_array_equal(grad, analytic_grad)


@pytest.mark.parametrize("kind", KINDS)
def test_inference_changes_nothing(kind):
    rng = np.random.RandomState(0)
    layer = make_layer(kind, 3, 2)
    theta, grad, buffers = bind(layer, rng=rng)
    layer.forward(rng.normal(size=(5, layer.n_in)), training=True, rng=rng)  # some state
    state = [a.copy() for a in (theta, grad, buffers)]
    attributes = dict(vars(layer))
    x = rng.normal(size=(4, layer.n_in))
    first, _ = layer.forward(x, training=False)
    second, _ = layer.forward(x, training=False)
    assert_array_equal(first, second)
    for before, after in zip(state, (theta, grad, buffers)):
        assert_array_equal(before, after)
    assert vars(layer).keys() == attributes.keys()


@pytest.mark.parametrize("kind", KINDS + ["relu", "logistic", "identity"])
def test_infer_is_inference_forward_and_keeps_a_borrowed_input(kind):
    """infer(x) equals forward(x, training=False); it writes to x only when x is
    handed over (overwrite=True); an owned output shares no memory with x, the
    parameters or the buffers."""
    rng = np.random.RandomState(0)
    layer = make_layer(kind, 3, 2)
    if kind in ("relu", "logistic", "identity"):
        layer = ActivationLayer(3, ACTIVATIONS.build(kind))
    theta, grad, buffers = bind(layer, rng=rng)
    layer.forward(rng.normal(size=(5, layer.n_in)), training=True, rng=rng)  # some state
    x = rng.normal(size=(4, layer.n_in))
    x_before = x.copy()
    expected, _ = layer.forward(x, training=False)
    out = layer.infer(x)
    assert_array_equal(out, expected)
    assert_array_equal(x, x_before)
    if layer.owns_inference_output:
        for other in (x, theta, buffers):
            assert not np.shares_memory(out, other)
    assert_array_equal(layer.infer(x.copy(), overwrite=True), expected)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS.names(aliases=False)))
@pytest.mark.parametrize("overwrite_grad", [False, True])
def test_activation_layer_in_place_equals_the_plain_path(name, overwrite_grad):
    """With its input handed over, an activation layer trains in place (when its
    derivative comes from the output) with the plain path's results, and writes
    to dout only when that is handed over too."""
    if not issubclass(ACTIVATIONS.get(name), Activation):
        return  # prelu, maxout: layers of their own
    rng = np.random.RandomState(0)
    x = rng.normal(size=(6, 4)) * 3
    x[0, 0] = 0.0
    dout = rng.normal(size=(6, 4))
    plain = ActivationLayer(4, ACTIVATIONS.build(name))
    expected_out, cache = plain.forward(x, training=True)
    expected_dx = plain.backward(dout, cache)

    layer = ActivationLayer(4, ACTIVATIONS.build(name))
    layer.overwrite_input, layer.overwrite_grad = True, overwrite_grad
    x_given, dout_given = x.copy(), dout.copy()
    out, cache = layer.forward(x_given, training=True)
    dx = layer.backward(dout_given, cache)
    assert_array_equal(out, expected_out)
    assert_array_equal(dx, expected_dx)
    in_place = layer.activation.grad_from_output
    assert (out is x_given) == in_place
    assert np.shares_memory(dx, dout_given) == (in_place and overwrite_grad)
    if not (in_place and overwrite_grad):
        assert_array_equal(dout_given, dout)


def test_network_hands_fresh_arrays_to_activations_only():
    layers = build_layers(arch(activations=("relu", "tanh"), hidden_layer_sizes=(5, 3),
                               batch_norm=(True, False), dropout=(0.0, 0.3),
                               input_dropout=0.2))
    Network(layers, np.float64)
    kinds = [type(layer).__name__ for layer in layers]
    assert kinds == ["Dropout", "Dense", "BatchNorm", "ActivationLayer", "Dense",
                     "ActivationLayer", "Dropout", "Dense"]
    flags = [(layer.overwrite_input, layer.overwrite_grad)
             for layer in layers if isinstance(layer, ActivationLayer)]
    assert flags == [(True, True), (True, True)]


# ------------------------------------------------------------------- batch norm
def trained_batch_norm(momentum=0.9, n_features=3, dtype=np.float64):
    layer = BatchNorm(n_features, momentum)
    theta, grad, buffers = bind(layer, dtype)
    return layer, theta, grad, buffers


@given(n_rows=st.integers(2, 50), n_features=st.integers(1, 5), seed=st.integers(0, 2**31 - 1))
def test_batch_norm_training_output_is_standardized_before_gamma_beta(n_rows, n_features, seed):
    rng = np.random.RandomState(seed)
    layer, theta, _, _ = trained_batch_norm(n_features=n_features)
    x = rng.normal(5.0, 3.0, size=(n_rows, n_features))
    assume(np.all(x.std(axis=0) > 0.1))
    theta[...] = rng.normal(size=theta.shape)
    gamma, beta = layer.params["gamma"], layer.params["beta"]
    assume(np.all(np.abs(gamma) > 0.1))
    out, _ = layer.forward(x, training=True)
    standardized = (out - beta) / gamma
    var = x.var(axis=0)
    assert_allclose(standardized.mean(axis=0), 0.0, atol=1e-9)
    # population variance; epsilon shrinks it to var / (var + eps)
    assert_allclose(standardized.var(axis=0), var / (var + layer.epsilon), rtol=1e-9)
    assert_allclose(standardized.var(axis=0), 1.0, atol=layer.epsilon / 0.01)


def test_batch_norm_weights_count_like_repeated_rows():
    rng = np.random.RandomState(0)
    x = rng.normal(size=(6, 3))
    weights = np.array([0, 1, 2, 3, 0, 1])
    weighted, theta, _, buffers_w = trained_batch_norm()
    theta[...] = rng.normal(size=theta.shape)
    repeated, theta_r, _, buffers_r = trained_batch_norm()
    theta_r[...] = theta
    out_w, _ = weighted.forward(x, training=True, sample_weight=weights.astype(float))
    out_r, _ = repeated.forward(np.repeat(x, weights, axis=0), training=True)
    first_copy = (np.cumsum(weights) - weights)[weights > 0]
    assert_allclose(out_w[weights > 0], out_r[first_copy], rtol=1e-12)
    assert_allclose(buffers_w, buffers_r, rtol=1e-12)


def test_batch_norm_inference_uses_running_statistics():
    rng = np.random.RandomState(1)
    layer, theta, _, buffers = trained_batch_norm()
    theta[...] = rng.normal(size=theta.shape)
    for _ in range(40):
        layer.forward(rng.normal(3.0, 2.0, size=(64, 3)), training=True)
    mean, var = layer.buffers["running_mean"], layer.buffers["running_var"]
    assert_allclose(mean, 3.0, atol=0.5)
    assert_allclose(var, 4.0, rtol=0.3)
    x = rng.normal(size=(5, 3))
    before = buffers.copy()
    out, _ = layer.forward(x, training=False)
    expected = (x - mean) / np.sqrt(var + layer.epsilon) * layer.params["gamma"]
    assert_allclose(out, expected + layer.params["beta"], rtol=1e-12)
    assert_array_equal(buffers, before)
    # each row depends on itself only: row by row equals all together
    rows = np.vstack([layer.forward(x[i : i + 1], training=False)[0] for i in range(5)])
    assert_allclose(rows, out, rtol=1e-14)
    training_out, _ = layer.forward(x, training=True)
    assert not np.allclose(training_out, out)


def test_batch_norm_momentum_weighs_the_old_value():
    rng = np.random.RandomState(2)
    momentum = 0.9
    layer, _, _, _ = trained_batch_norm(momentum=momentum, n_features=2)
    running = layer.buffers["running_mean"]
    batches = [rng.normal(size=(8, 2)) for _ in range(15)]
    means = [b.mean(axis=0) for b in batches]
    for k, batch in enumerate(batches):
        previous = running.copy()
        layer.forward(batch, training=True)
        if k == 0:  # the first update replaces the initial value
            assert_allclose(running, means[0], rtol=1e-12)
        elif k + 1 <= 1 / (1 - momentum):  # warm-up: the plain average so far
            assert_allclose(running, np.mean(means[: k + 1], axis=0), rtol=1e-12)
        else:  # then the EWMA with weight `momentum` on the old value
            assert_allclose(running, momentum * previous + (1 - momentum) * means[k], rtol=1e-12)
    assert layer.buffers["n_updates"][0] == 15
    var = layer.buffers["running_var"]
    previous = var.copy()
    layer.forward(batches[0], training=True)  # the population variance (ddof=0)
    assert_allclose(var, momentum * previous + (1 - momentum) * batches[0].var(axis=0), rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_batch_norm_single_row_batch_is_finite_and_not_counted(dtype):
    layer, theta, grad, buffers = trained_batch_norm(dtype=dtype)
    theta[...] = np.arange(1, theta.size + 1, dtype=dtype)
    layer.forward(np.random.RandomState(0).normal(size=(10, 3)).astype(dtype), training=True)
    before = buffers.copy()
    out, cache = layer.forward(np.array([[1e3, -2.0, 0.5]], dtype=dtype), training=True)
    dx = layer.backward(np.ones((1, 3), dtype=dtype), cache)
    assert out.dtype == dtype and dx.dtype == dtype
    assert np.isfinite(out).all() and np.isfinite(dx).all() and np.isfinite(grad).all()
    assert_allclose(out, layer.params["beta"][None, :])
    assert_array_equal(dx, 0.0)
    assert_array_equal(buffers, before)


def test_batch_norm_zero_weight_batch_and_non_finite_statistics():
    layer, _, _, buffers = trained_batch_norm()
    x = np.random.RandomState(0).normal(size=(4, 3))
    out, _ = layer.forward(x, training=True, sample_weight=np.zeros(4))
    assert np.isfinite(out).all()
    before = buffers.copy()
    with np.errstate(invalid="ignore", over="ignore"):
        layer.forward(np.full((4, 3), np.inf), training=True)
    assert_array_equal(buffers, before)


# --------------------------------------------------------------------- dropout
@pytest.mark.parametrize("rate", [0.1, 0.5, 0.8])
def test_dropout_keep_rate_and_expectation(rate):
    layer = Dropout(400, rate)
    bind(layer)
    x = np.ones((250, 400))
    out, mask = layer.forward(x, training=True, rng=np.random.RandomState(0))
    n = x.size
    kept = out != 0
    sigma = np.sqrt(rate * (1 - rate) / n)
    assert abs(kept.mean() - (1 - rate)) < 4 * sigma
    assert_allclose(out[kept], 1 / (1 - rate))  # inverted: scaled at training time
    assert abs(out.mean() - 1.0) < 4 * sigma / (1 - rate)  # expectation preserved
    assert_array_equal(x, 1.0)
    dx = layer.backward(np.full_like(x, 2.0), mask)
    assert_array_equal(dx, 2.0 * out)


def test_dropout_identity_at_inference_and_reproducible_masks():
    layer = Dropout(5, 0.5)
    bind(layer)
    x = np.random.RandomState(0).normal(size=(20, 5))
    out, _ = layer.forward(x, training=False)
    assert out is x
    a, _ = layer.forward(x, training=True, rng=np.random.RandomState(3))
    b, _ = layer.forward(x, training=True, rng=np.random.RandomState(3))
    c, _ = layer.forward(x, training=True, rng=np.random.RandomState(4))
    assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    with pytest.raises(ValueError, match="random generator"):
        layer.forward(x, training=True)
    assert Dropout(5, 0.0).forward(x, training=True)[0] is x


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_dropout_on_sparse_input(fmt):
    X = sp.random(30, 20, density=0.3, format=fmt, random_state=0) + 0.5 * sp.eye(30, 20, format=fmt)
    X = X.asformat(fmt)
    layer = Dropout(20, 0.5)
    bind(layer)
    out, _ = layer.forward(X, training=True, rng=np.random.RandomState(0))
    assert out.format == fmt and out.shape == X.shape
    dense_in, dense_out = X.toarray(), out.toarray()
    assert_array_equal(dense_out[dense_in == 0], 0)
    kept = dense_out != 0
    assert_allclose(dense_out[kept], 2 * dense_in[kept])
    assert 0.3 < kept.sum() / (dense_in != 0).sum() < 0.7
    assert layer.forward(X, training=False)[0] is X


# ---------------------------------------------------------- prelu and maxout
def test_prelu_slopes_start_at_negative_slope_and_are_not_weights():
    layer = PReLULayer(4, negative_slope=0.25)
    assert [(s.name, s.role, s.fill) for s in layer.param_specs()] == [("slope", "slope", 0.25)]
    bind(layer)
    layer.params["slope"][...] = 0.0
    layer.initialize(None, np.random.RandomState(0))
    assert_array_equal(layer.params["slope"], 0.25)
    layer.params["slope"][...] = [0.0, 0.5, 1.0, -1.0]
    x = np.array([[-2.0, -2.0, -2.0, -2.0], [3.0, 3.0, 3.0, 3.0]])
    out, _ = layer.forward(x, training=False)
    assert_array_equal(out, [[0.0, -1.0, -2.0, 2.0], [3.0, 3.0, 3.0, 3.0]])


def test_maxout_takes_the_largest_piece_of_each_unit():
    layer = MaxoutLayer(3, pieces=2)
    assert (layer.n_in, layer.n_out) == (6, 3)
    x = np.array([[1.0, 2.0, -1.0, -3.0, 5.0, 4.0]])
    out, cache = layer.forward(x, training=True)
    assert_array_equal(out, [[2.0, -1.0, 5.0]])
    dx = layer.backward(np.array([[10.0, 20.0, 30.0]]), cache)
    assert_array_equal(dx, [[0.0, 10.0, 20.0, 0.0, 30.0, 0.0]])


def test_parametric_activations_are_registered_activations():
    assert ACTIVATIONS.get("prelu") is PReLU
    assert ACTIVATIONS.get("maxout") is Maxout


# --------------------------------------------------------------- the network
def arch(**extra):
    base = {
        "n_features": 4, "hidden_layer_sizes": (5, 3), "activations": ("relu", "maxout"),
        "n_outputs": 2,
    }
    return {**base, **extra}


def test_build_layers_places_batch_norm_and_dropout():
    layers = build_layers(arch(
        batch_norm=(True, False), dropout=(0.0, 0.3), input_dropout=0.2, batch_norm_momentum=0.8
    ))
    kinds = [type(layer).__name__ for layer in layers]
    assert kinds == ["Dropout", "Dense", "BatchNorm", "ActivationLayer", "Dense", "MaxoutLayer",
                     "Dropout", "Dense"]
    assert not layers[1].use_bias and layers[4].use_bias  # bias dropped before batch norm
    assert layers[2].momentum == 0.8 and layers[6].rate == 0.3
    assert layers[4].n_out == 6  # maxout: two pieces per unit
    network = Network(layers, np.float64)
    assert [layer.needs_input_grad for layer in layers[:3]] == [False, False, True]
    # without the new keys the architecture is the plain MLP
    assert [type(layer).__name__ for layer in build_layers(arch())] == [
        "Dense", "ActivationLayer", "Dense", "MaxoutLayer", "Dense"]
    assert network.buffers.size == 2 * 5 + 1


@pytest.mark.parametrize("activations", [("relu", "maxout"), ("tanh", "prelu"),
                                         ("logistic", "leaky_relu"), ("gelu", "identity")])
def test_predict_logits_is_the_inference_forward_and_leaves_x_alone(activations):
    """Prediction hands each fresh output to the next layer, which may overwrite it
    (in-place activations); the result is Network.forward's and X is untouched."""
    layers = build_layers(arch(activations=activations, batch_norm=(True, False),
                               dropout=(0.2, 0.3), input_dropout=0.1))
    network = Network(layers, np.float64)
    rng = np.random.RandomState(0)
    network.theta[...] = rng.normal(size=network.theta.shape)
    network.forward(rng.normal(size=(8, 4)), training=True, rng=rng)  # running statistics
    X = rng.normal(size=(6, 4))
    X_before = X.copy()
    expected, _ = network.forward(X, training=False)
    assert_array_equal(network.predict_logits(X), expected)
    assert_array_equal(X, X_before)
    csr = sp.csr_matrix(X)
    assert_allclose(network.predict_logits(csr), expected, rtol=1e-12, atol=1e-12)
    assert_array_equal(csr.toarray(), X_before)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("use_bias", [True, False])
@given(n_in=st.integers(1, 40), n_out=st.integers(1, 40), seed=st.integers(0, 2**16))
def test_one_row_inference_is_the_row_of_the_batch_product(dtype, use_bias, n_in, n_out, seed):
    """One row's inference (the one-row prediction path) is a (1, n_out) owned array
    equal to that row of the whole batch's product, the input untouched."""
    layer = Dense(n_in, n_out, use_bias=use_bias)
    bind(layer, dtype, np.random.default_rng(seed))
    X = np.random.default_rng(seed + 1).normal(size=(5, n_in)).astype(dtype)
    X_before = X.copy()
    batch = layer.infer(X)
    rtol = 1e-5 if dtype == np.float32 else 1e-12
    for i in range(X.shape[0]):
        row = layer.infer(X[i : i + 1])
        assert row.shape == (1, n_out) and row.dtype == dtype and row.flags.writeable
        assert not np.shares_memory(row, X)
        assert_allclose(row, batch[i : i + 1], rtol=rtol, atol=rtol)
    expected = X.astype(np.float64) @ layer.params["W"].astype(np.float64)
    if use_bias:
        expected += layer.params["b"]
    assert_allclose(layer.infer(X[:1]), expected[:1], rtol=rtol, atol=rtol)
    assert_array_equal(X, X_before)


def test_initializers_see_the_nonlinearity_past_batch_norm():
    network = Network(build_layers(arch(batch_norm=(True, True))), np.float64)
    seen = []

    class Recorder:
        def weights(self, fan_in, fan_out, rng, dtype):
            return np.zeros((fan_in, fan_out), dtype)

        def bias(self, fan_in, fan_out, rng, dtype):
            return np.zeros(fan_out, dtype)

    def initializer_for(nonlinearity):
        seen.append(getattr(nonlinearity, "recommended_init", None))
        return Recorder()

    network.initialize(initializer_for, np.random.RandomState(0))
    dense_hints = [hint for layer, hint in zip(network.layers, seen) if isinstance(layer, Dense)]
    assert dense_hints == ["he", "lecun", None]
    # a dense layer feeding another dense layer is linear: no hint from further on
    seen.clear()
    tanh = ActivationLayer(2, ACTIVATIONS.build("tanh"))
    Network([Dense(3, 2), Dense(2, 2), tanh, Dense(2, 1)], np.float64).initialize(
        initializer_for, np.random.RandomState(0)
    )
    assert seen == [None, "glorot", None, None]
