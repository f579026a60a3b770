"""The speed paths give the numbers of the plain ones.

Chunked element-wise passes (``sknn._chunks``) against the whole-vector
formulas, reserved work arrays against fresh allocations, the one-row
prediction shortcut against scikit-learn's validation, and the NumPy softmax
against SciPy's.
"""

import threading
import warnings

import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning

import sknn._chunks
import sknn._estimators
import sknn._network
from sknn import MLPClassifier, MLPRegressor
from sknn._chunks import chunk_slices, scratch
from sknn.losses import LogLoss
from sknn.optimizers import SGD, Adam, AdamW, Nadam, absorbs_l2
from sknn.penalties import add_l2_gradient, penalty_value_and_grad


@pytest.fixture(scope="module")
def small_chunks():
    """Chunks of 5 float64 values, so that short vectors span many chunks."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sknn._chunks, "CHUNK_BYTES", 40)
        yield


@given(n=st.integers(0, 200), itemsize=st.sampled_from([4, 8]))
def test_chunk_slices_cover_the_range_in_order(n, itemsize):
    dtype = np.float32 if itemsize == 4 else np.float64
    parts = chunk_slices(n, dtype)
    covered = np.concatenate([np.arange(n)[p] for p in parts]) if parts else np.arange(0)
    assert_array_equal(covered, np.arange(n))
    assert all(p.stop - p.start <= sknn._chunks.CHUNK_BYTES // itemsize for p in parts)


def test_scratch_is_per_thread_and_per_dtype():
    seen = []
    thread = threading.Thread(target=lambda: seen.append(scratch(np.float64)))
    thread.start()
    thread.join()
    assert seen[0] is not scratch(np.float64)
    assert scratch(np.float64) is scratch(np.float64)
    assert scratch(np.float32).dtype == np.float32


def _adam_reference(theta, grad, m, v, t, lr, b1=0.9, b2=0.999, eps=1e-8, v_max=None):
    """Adam's whole-vector formula in the operation order of the chunked step."""
    m *= b1
    m += (1 - b1) * grad
    v *= b2
    v += (1 - b2) * (grad * grad)
    if v_max is not None:
        np.maximum(v_max, v, out=v_max)
        v = v_max
    update = np.sqrt(v)
    update += eps
    np.divide(m, update, out=update)
    update *= lr * np.sqrt(1 - b2**t) / (1 - b1**t)
    theta -= update


@pytest.mark.parametrize("amsgrad", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@settings(max_examples=20)
@given(n=st.integers(1, 60), seed=st.integers(0, 2**16))
def test_chunked_adam_equals_the_whole_vector_formula_bitwise(
    small_chunks, amsgrad, dtype, n, seed
):
    rng = np.random.default_rng(seed)
    theta = rng.standard_normal(n).astype(dtype)
    rule = Adam(amsgrad=amsgrad)
    state = rule.init_state(theta.copy())
    expected, m, v = theta.copy(), np.zeros_like(theta), np.zeros_like(theta)
    v_max = np.zeros_like(theta) if amsgrad else None
    for t in (1, 2, 3):
        grad = rng.standard_normal(n).astype(dtype)
        rule.step(theta, grad, state, 0.01)
        _adam_reference(expected, grad, m, v, t, 0.01, v_max=v_max)
    assert_array_equal(theta, expected)
    assert_array_equal(state["m"], m)
    assert theta.dtype == dtype


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@settings(max_examples=20)
@given(n=st.integers(1, 60), seed=st.integers(0, 2**16))
def test_chunked_l2_penalty_matches_the_formula(small_chunks, dtype, n, seed):
    rng = np.random.default_rng(seed)
    weights = rng.standard_normal(n).astype(dtype)
    grad = rng.standard_normal(n).astype(dtype)
    expected_grad = grad + (0.3 / 7.0) * weights
    value = penalty_value_and_grad(weights, grad, alpha=0.3, l1=0.0, total_weight=7.0)
    rtol = 1e-6 if dtype == np.float32 else 1e-13
    assert_allclose(value, 0.5 * 0.3 * float(np.dot(weights, weights)) / 7.0, rtol=rtol)
    assert_allclose(grad, expected_grad, rtol=rtol, atol=1e-7 if dtype == np.float32 else 0)


@given(z=st.lists(st.floats(-1e4, 1e4), min_size=3, max_size=3), shift=st.floats(-50, 50))
def test_numpy_softmax_matches_scipy(z, shift):
    Z = np.array([z, np.add(z, shift)])
    loss = LogLoss()
    loss.target_type = "multiclass"
    assert_allclose(loss.link(Z), scipy.special.softmax(Z, axis=1), rtol=1e-12, atol=1e-300)
    Y = np.eye(3)[[0, 2]]
    per_sample, grad = loss.per_sample_and_grad(Y, Z)
    log_p = scipy.special.log_softmax(Z, axis=1)
    assert_allclose(per_sample, -np.sum(Y * log_p, axis=1), rtol=1e-12, atol=1e-12)
    assert_allclose(grad, np.exp(log_p) - Y, atol=1e-15)


def _fit(est, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(X, y)


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(n_samples=130, n_features=6, n_classes=3, n_informative=4,
                               random_state=0)
    return X, y


@pytest.mark.parametrize("params", [
    {}, {"batch_norm": True, "dropout": 0.2}, {"activation": "tanh", "alpha": 0.1},
])
def test_reserved_work_arrays_change_no_number(data, monkeypatch, params):
    """A fit with per-batch allocations (reservation off) is bitwise the same."""
    X, y = data
    params = dict(hidden_layer_sizes=(9, 7), batch_size=40, max_iter=4, random_state=0,
                  **params)
    reserved = _fit(MLPClassifier(**params), X, y)  # 130 rows: a trailing batch of 10
    monkeypatch.setattr("sknn._network.Network.reserve", lambda self, n_rows: None)
    fresh = _fit(MLPClassifier(**params), X, y)
    assert_array_equal(reserved.theta_, fresh.theta_)
    assert reserved.loss_curve_ == fresh.loss_curve_


def test_training_writes_into_the_reserved_arrays_and_releases_them(data, monkeypatch):
    X, y = data
    est = MLPClassifier(hidden_layer_sizes=(9,), batch_size=40, max_iter=2, random_state=0)
    in_work = []
    original = sknn.layers.Dense.forward

    def recording_forward(self, x, **kwargs):
        out, cache = original(self, x, **kwargs)
        if kwargs["training"]:
            in_work.append(self._work is not None and np.shares_memory(out, self._work[0]))
        return out, cache

    reserved = []
    original_reserve = sknn._network.Network.reserve

    def recording_reserve(self, n_rows):
        reserved.append(n_rows)
        original_reserve(self, n_rows)

    monkeypatch.setattr(sknn.layers.Dense, "forward", recording_forward)
    monkeypatch.setattr(sknn._network.Network, "reserve", recording_reserve)
    _fit(est, X, y)
    assert len(in_work) == 2 * 2 * 4 and all(in_work)  # 2 layers, 2 epochs, 4 batches
    assert reserved == [40, 0]  # released when training ends


def test_a_reserved_network_allocates_only_outside_its_reservation():
    from sknn._network import Network, build_layers

    arch = dict(n_features=4, hidden_layer_sizes=(5,), activations=("relu",), n_outputs=2)
    net = Network(build_layers(arch), np.float64)
    net.initialize(lambda act: sknn.initializers.resolve_initializer("glorot_uniform", act),
                   np.random.RandomState(0))
    X = np.random.default_rng(0).standard_normal((8, 4))
    expected, _ = net.forward(X, training=True)
    expected = expected.copy()
    net.reserve(8)
    first, _ = net.forward(X, training=True)
    second, _ = net.forward(X[:3], training=True)
    assert np.shares_memory(first, second)
    bigger, _ = net.forward(np.vstack([X, X]), training=True)  # beyond the reservation
    assert not np.shares_memory(bigger, first)
    inference = net.predict_logits(X)
    assert not np.shares_memory(inference, first)
    assert_allclose(inference, expected)
    assert_array_equal(bigger[:8], expected)


class TestOneRowShortcut:
    @pytest.fixture(scope="class")
    def fitted(self, data):
        X, y = data
        return X, _fit(MLPClassifier(hidden_layer_sizes=(8,), max_iter=30, random_state=0),
                       X, y)

    def test_plain_float_rows_skip_validation(self, fitted, monkeypatch):
        X, est = fitted
        expected = est.predict_proba(X[:1])
        expected_strided = est.predict_proba(np.ascontiguousarray(X[:5][::-1]))

        def refuse(*args, **kwargs):
            raise AssertionError("validate_data called")

        monkeypatch.setattr(sknn._estimators, "validate_data", refuse)
        assert_array_equal(est.predict_proba(X[:1]), expected)
        strided = np.asfortranarray(X[:5])[::-1]  # validation would return it as it is
        assert_array_equal(est.predict_proba(strided), expected_strided)

    @pytest.mark.parametrize("make", [
        lambda X: X[:1].tolist(), lambda X: X[:1].astype(np.int64), lambda X: X[:1, :3],
        lambda X: X[:1].astype(np.float16), lambda X: X[:0],
    ])
    def test_other_inputs_are_validated(self, fitted, monkeypatch, make):
        X, est = fitted
        calls = []
        original = sknn._estimators.validate_data
        monkeypatch.setattr(sknn._estimators, "validate_data",
                            lambda *a, **k: calls.append(1) or original(*a, **k))
        try:
            est.predict(make(X))
        except ValueError:
            pass
        assert calls

    @pytest.mark.parametrize("bad, message", [(np.nan, "NaN"), (np.inf, "infinity")])
    def test_non_finite_rows_get_sklearns_message(self, fitted, bad, message):
        X, est = fitted
        row = X[:1].copy()
        row[0, 2] = bad
        with pytest.raises(ValueError, match=message):
            est.predict_proba(row)

    def test_huge_finite_values_are_not_refused(self, fitted):
        X, est = fitted
        rows = np.full((2, X.shape[1]), 1e308)  # their sum overflows: full validation
        assert_array_equal(est._validate_predict_input(rows), rows)

    def test_a_model_fitted_on_a_dataframe_still_warns_for_an_array(self, data):
        pd = pytest.importorskip("pandas")
        X, y = data
        frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
        est = _fit(MLPRegressor(hidden_layer_sizes=(4,), max_iter=5, random_state=0),
                   frame, y.astype(float))
        with pytest.warns(UserWarning, match="feature names"):
            est.predict(X[:1])

    def test_unfitted_model_raises(self, data):
        from sklearn.exceptions import NotFittedError

        with pytest.raises(NotFittedError):
            MLPClassifier().predict(data[0][:1])


class TestDtype:
    @pytest.mark.parametrize("cls", [MLPClassifier, MLPRegressor])
    @pytest.mark.parametrize("dtype", ["float32", np.float32])
    def test_float32_training_equals_casting_by_hand(self, data, cls, dtype):
        X, y = data
        params = dict(hidden_layer_sizes=(6,), max_iter=5, random_state=0)
        ours = _fit(cls(dtype=dtype, **params), X, y)
        by_hand = _fit(cls(**params), X.astype(np.float32), y)
        assert ours.theta_.dtype == np.float32
        assert_array_equal(ours.theta_, by_hand.theta_)
        predict = ours.predict_proba if cls is MLPClassifier else ours.predict
        expected = (by_hand.predict_proba if cls is MLPClassifier else by_hand.predict)(
            X.astype(np.float32))
        out = predict(X)  # float64 rows are converted, not upcast
        assert out.dtype == np.float32
        assert_array_equal(out, expected)

    def test_float64_training_from_float32_input(self, data):
        X, y = data
        est = _fit(MLPClassifier(hidden_layer_sizes=(6,), max_iter=3, random_state=0,
                                 dtype="float64"), X.astype(np.float32), y)
        assert est.theta_.dtype == np.float64
        assert all(W.dtype == np.float64 for W in est.coefs_)

    def test_partial_fit_and_validation_data_follow_dtype(self, data):
        X, y = data
        est = MLPClassifier(hidden_layer_sizes=(6,), random_state=0, dtype="float32")
        est.partial_fit(X, y, classes=np.unique(y))
        est.partial_fit(X, y)
        assert est.theta_.dtype == np.float32
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            est.set_params(max_iter=2).fit(X[:100], y[:100], X_val=X[100:], y_val=y[100:])
        assert "val_loss" in est.history_[-1]
        assert est.theta_.dtype == np.float32

    @pytest.mark.parametrize("bad", ["float16", np.int64, "half"])
    def test_other_dtypes_are_refused_by_name(self, data, bad):
        from sklearn.utils._param_validation import InvalidParameterError

        with pytest.raises(InvalidParameterError, match="'dtype' parameter"):
            MLPClassifier(dtype=bad).fit(*data)


class TestCompiledAdam:
    """The optional numba kernel (the ``fast`` extra, installed with ``test``)."""

    @pytest.fixture(autouse=True)
    def _numba(self):
        pytest.importorskip("numba")

    @pytest.mark.parametrize("dtype", [np.float32, np.float64])
    def test_equals_the_numpy_path_bitwise(self, monkeypatch, dtype):
        import sknn._accelerated as accelerated

        n = accelerated.MIN_SIZE + 3
        rng = np.random.default_rng(0)
        start = rng.standard_normal(n).astype(dtype)
        grads = [rng.standard_normal(n).astype(dtype) for _ in range(4)]
        results = {}
        for mode in ("1", "0"):
            monkeypatch.setenv("SKNN_ACCELERATE", mode)
            assert (accelerated.adam_kernel(dtype, n) is not None) == (mode == "1")
            theta, rule = start.copy(), Adam(learning_rate_init=0.01)
            state = rule.init_state(theta)
            for grad in grads:
                rule.step(theta, grad, state, 0.01)
            results[mode] = (theta, state["m"], state["v"])
        for compiled, numpy_path in zip(results["1"], results["0"]):
            assert compiled.dtype == dtype
            assert_array_equal(compiled, numpy_path)

    @pytest.mark.parametrize("dtype", [np.float32, np.float64])
    @pytest.mark.parametrize("rule", [Adam(learning_rate_init=0.01),
                                      AdamW(learning_rate_init=0.01, weight_decay=0.3),
                                      Adam(learning_rate_init=0.01, amsgrad=True)])
    @pytest.mark.parametrize("l2_scale", [0.0, 0.25])
    def test_the_l2_gradient_added_in_the_step_is_the_penaltys(
        self, monkeypatch, dtype, rule, l2_scale
    ):
        """step(..., l2_scale=s) equals adding s * w to the weights' gradient, then
        step(...), bitwise, compiled or not; the gradient is not written when compiled."""
        import sknn._accelerated as accelerated

        n, n_weights = accelerated.MIN_SIZE + 3, accelerated.MIN_SIZE - 50
        rng = np.random.default_rng(2)
        start = rng.standard_normal(n).astype(dtype)
        start[:3] = [0.0, -0.0, 1e30]
        grads = [rng.standard_normal(n).astype(dtype) for _ in range(3)]
        results = {}
        for mode, fused in [("1", True), ("1", False), ("0", True), ("0", False)]:
            monkeypatch.setenv("SKNN_ACCELERATE", mode)
            theta = start.copy()
            state = rule.init_state(theta, n_weights)
            for original in grads:
                grad = original.copy()
                with np.errstate(over="ignore", invalid="ignore"):  # 1e30 ** 2, as in training
                    if fused:
                        rule.step(theta, grad, state, 0.01, l2_scale=l2_scale)
                    else:
                        add_l2_gradient(theta[:n_weights], grad[:n_weights], l2_scale)
                        rule.step(theta, grad, state, 0.01)
                if mode == "1" and fused and not rule.amsgrad:
                    assert_array_equal(grad, original)
            results[mode, fused] = (theta, state["m"], state["v"])
        expected = results["0", False]
        for key, got in results.items():
            for a, b in zip(got, expected):
                assert a.dtype == dtype
                assert_array_equal(a, b, err_msg=str(key))

    def test_only_a_step_that_says_so_gets_the_l2_gradient(self):
        class Slower(Adam):
            def step(self, theta, grad, state, lr):
                super().step(theta, grad, state, lr / 10)

        class Renamed(AdamW):
            pass

        assert absorbs_l2(Adam()) and absorbs_l2(AdamW()) and absorbs_l2(Renamed())
        assert not absorbs_l2(Slower()) and not absorbs_l2(Nadam())
        assert not absorbs_l2(SGD())

    @pytest.mark.parametrize("solver", ["adam", "adamw"])
    def test_a_fit_with_the_l2_gradient_in_the_step_is_the_plain_fit(self, solver):
        """The driver leaves the L2 gradient to Adam's step; a clipped gradient (whose
        norm must include it) takes the objective's: both give the same weights."""
        X, y = make_classification(n_samples=120, n_features=30, random_state=0)
        params = dict(hidden_layer_sizes=(300, 200), solver=solver, alpha=0.5, max_iter=3,
                      batch_size=32, random_state=0)
        fits = []
        for clip_norm in (None, 1e300):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                fits.append(MLPClassifier(clip_norm=clip_norm, **params).fit(X, y))
        assert fits[0].theta_.size > 2**16  # large enough for the compiled step
        assert_array_equal(fits[0].theta_, fits[1].theta_)
        assert_allclose(fits[0].loss_curve_, fits[1].loss_curve_, rtol=1e-12)

    def test_short_vectors_and_amsgrad_stay_in_numpy(self, monkeypatch):
        import sknn._accelerated as accelerated

        monkeypatch.setenv("SKNN_ACCELERATE", "1")
        assert accelerated.adam_kernel(np.float64, accelerated.MIN_SIZE - 1) is None
        calls = []
        monkeypatch.setattr("sknn.optimizers.adam_kernel",
                            lambda *args: calls.append(args) or None)
        theta = np.zeros(accelerated.MIN_SIZE)
        rule = Adam(amsgrad=True)
        rule.step(theta, np.ones_like(theta), rule.init_state(theta), 0.1)
        assert not calls  # amsgrad has no kernel: it is not even asked for

    @pytest.mark.parametrize("dtype", [np.float32, np.float64])
    def test_compiled_l2_pass_matches_the_numpy_path(self, monkeypatch, dtype):
        import sknn._accelerated as accelerated

        n = accelerated.MIN_SIZE + 5
        rng = np.random.default_rng(1)
        weights = rng.standard_normal(n).astype(dtype)
        grad = rng.standard_normal(n).astype(dtype)
        results = {}
        for mode in ("1", "0"):
            monkeypatch.setenv("SKNN_ACCELERATE", mode)
            assert (accelerated.l2_kernel(dtype, n) is not None) == (mode == "1")
            out = grad.copy()
            value = penalty_value_and_grad(weights, out, alpha=0.3, l1=0.0, total_weight=9.0)
            results[mode] = (value, out)
        assert_array_equal(results["1"][1], results["0"][1])  # grad += scale * w, exactly
        assert_allclose(results["1"][0], results["0"][0], rtol=1e-6 if dtype == np.float32
                        else 1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_compiled_relu_equals_the_numpy_path_bitwise(monkeypatch, dtype):
    """Signed zeros, NaN and infinities included, in both directions."""
    pytest.importorskip("numba")
    import sknn._accelerated as accelerated
    from sknn.activations import ReLU

    shape = (257, accelerated.MIN_SIZE // 256)
    rng = np.random.default_rng(3)
    special = np.array([0.0, -0.0, np.nan, np.inf, -np.inf, 1e-40, -1e-40], dtype)
    z = rng.standard_normal(shape).astype(dtype)
    da = rng.standard_normal(shape).astype(dtype)
    for where in (slice(0, special.size), slice(z.size - special.size, z.size)):
        z.flat[where] = special  # in the vector loops and in the remainder
        da.flat[where] = [np.inf, -np.inf, np.nan, 2.0, -3.0, np.inf, np.nan]
    da.flat[special.size : 2 * special.size] = special
    results = {}
    for mode in ("1", "0"):
        monkeypatch.setenv("SKNN_ACCELERATE", mode)
        assert (accelerated.relu_kernels(dtype, z.size) is not None) == (mode == "1")
        with np.errstate(invalid="ignore"):  # inf * 0, as in training
            a = ReLU().forward_inplace(z.copy())
            results[mode] = (a, ReLU().backward_inplace(a, da.copy()))
    for compiled, numpy_path in zip(results["1"], results["0"]):
        assert compiled.dtype == dtype
        assert_array_equal(compiled, numpy_path)
        assert_array_equal(np.signbit(compiled), np.signbit(numpy_path))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n_rows", [1, 3, 256])
def test_compiled_bias_passes_equal_the_numpy_path_bitwise(monkeypatch, dtype, n_rows):
    """A dense layer's bias addition and bias gradient (column sums in NumPy's order)."""
    pytest.importorskip("numba")
    import sknn._accelerated as accelerated
    from sknn.layers import Dense
    from tests.test_layers import bind

    n_out = -(-accelerated.MIN_SIZE // n_rows)
    layer = Dense(7, n_out)
    bind(layer, dtype, np.random.default_rng(4))
    rng = np.random.default_rng(5)
    x = rng.standard_normal((n_rows, 7)).astype(dtype)
    dout = (rng.standard_normal((n_rows, n_out)) * 10.0 ** rng.integers(-8, 8, n_out))
    dout = dout.astype(dtype)
    results = {}
    for mode in ("1", "0"):
        monkeypatch.setenv("SKNN_ACCELERATE", mode)
        assert (accelerated.bias_kernels(dtype, dout.size) is not None) == (mode == "1")
        out, cache = layer.forward(x, training=True)
        layer.backward(dout, cache)
        results[mode] = (out.copy(), layer.grads["b"].copy())
    for compiled, numpy_path in zip(results["1"], results["0"]):
        assert_array_equal(compiled, numpy_path)


@pytest.mark.parametrize("rate", [1e-12, 0.5, 1 - 1e-12])
def test_dropout_masks_from_32_bit_draws_keep_one_minus_rate(rate):
    from sknn.layers import Dropout

    keep = Dropout(4, rate)._keep(np.random.RandomState(0), (400, 500))
    assert keep.dtype == bool and keep.shape == (400, 500)
    assert abs(keep.mean() - (1 - rate)) < 5 * np.sqrt(rate * (1 - rate) / keep.size) + 1e-9


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n_members", [1, 3])
@pytest.mark.parametrize("activation", ["parametric_selu", "parametric_mish", "tanh"])
@pytest.mark.parametrize("needs_input_grad", [True, False])
def test_compiled_parametric_activation_equals_the_numpy_path_bitwise(
    monkeypatch, dtype, n_members, activation, needs_input_grad
):
    """The mix ``(f(z) - z) * w + z``, its weights' gradient and the input gradient;
    SELU's passes fused whole; special values in the vector loops and the remainder."""
    pytest.importorskip("numba")
    import sknn._accelerated as accelerated
    from sknn.activations import Parametric
    from sknn.parametric_activation import ParametricActivationLayer
    from sknn._network import Network

    name = activation.removeprefix("parametric_")
    layer = Parametric(name).make_layer(67, n_members=n_members)
    assert isinstance(layer, ParametricActivationLayer)
    Network([layer], dtype)
    rng = np.random.default_rng(7)
    layer.params["mix"][...] = rng.uniform(-0.5, 1.5, layer.params["mix"].shape)
    layer.needs_input_grad = needs_input_grad
    n_rows = -(-accelerated.MIN_SIZE // (67 * n_members))
    shape = (n_rows, 67) if n_members == 1 else (n_members, n_rows, 67)
    z = (rng.standard_normal(shape) * 3).astype(dtype)
    dout = rng.standard_normal(shape).astype(dtype)
    special = [0.0, -0.0, np.nan, np.inf, -np.inf, 1e-40, -1e-40, -30.0]
    for where in (slice(0, len(special)), slice(z.size - len(special), z.size)):
        z.reshape(-1)[where] = special
        dout.reshape(-1)[where] = [1.0, -2.0, 0.5, np.nan, 3.0, -0.0, np.inf, 1e-30]
    results = {}
    for mode in ("1", "0"):
        monkeypatch.setenv("SKNN_ACCELERATE", mode)
        assert (accelerated.parametric_kernels(dtype, z.size) is not None) == (mode == "1")
        with np.errstate(all="ignore"):  # inf - inf, inf * 0: as in training
            out, cache = layer.forward(z.copy(), training=True)
            dz = layer.backward(dout.copy(), cache)
        results[mode] = (out.copy(), cache[1].copy(), layer.grads["mix"].copy(),
                         None if dz is None else dz.copy())
    for compiled, numpy_path in zip(results["1"], results["0"]):
        if numpy_path is None:
            assert compiled is None
            continue
        assert compiled.dtype == dtype and compiled.shape == numpy_path.shape
        assert_array_equal(compiled, numpy_path)
