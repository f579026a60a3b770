"""The tabular components: gradients, layers, schedules, losses and training options."""

import math
import warnings
from types import SimpleNamespace

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sknn import MLPClassifier, MLPRegressor, TabularMLPClassifier, TabularMLPRegressor
from sknn.diagnostics import check_gradients
from sknn.layers import Dropout
from sknn.losses import LogLoss
from sknn.optimizers import AdamW
from sknn.preprocessing import RobustSmoothClipTransformer, smooth_clip
from sknn.schedules import SCHEDULES, CosLog, FlatCos, coslog, flat_cos
from sknn.tabular_layers import EnsembleDense, ScaleLayer, TabularDense
from sknn.training.hyperparameter_schedules import ScheduledHyperparameters

from .test_gradients import problem

TABULAR = dict(input_scale=True, parametrization="ntp", bias_init=0.1, random_state=0)


def quiet_fit(est, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return est.fit(X, y)


# ----------------------------------------------------------------- gradients
@pytest.mark.parametrize("n_members", [1, 3])
@pytest.mark.parametrize("kind", ["multiclass", "binary", "multilabel"])
def test_gradients_of_scale_layer_ntp_ensembles_and_label_smoothing(kind, n_members):
    est = MLPClassifier((5, 4), activation="tanh", loss=LogLoss(label_smoothing=0.2),
                        n_members=n_members, alpha=0.1, **TABULAR)
    report = check_gradients(est, *problem(kind))
    assert report.max_relative_error < 1e-6, str(report)


@pytest.mark.parametrize("n_members", [1, 4])
def test_gradients_of_the_regressor_options_on_sparse_input(n_members):
    X, y = problem("continuous")
    X = sp.csr_matrix(np.where(np.abs(X) > 0.7, X, 0))
    est = MLPRegressor(hidden_layer_sizes=(6,), activation="mish", n_members=n_members,
                       standardize_target=True, **TABULAR)
    report = check_gradients(est, X, y)
    assert report.max_relative_error < 1e-6, str(report)


@pytest.mark.parametrize("Estimator", [TabularMLPClassifier, TabularMLPRegressor])
def test_gradients_of_fitted_tabular_estimators(Estimator):
    # fitted a few epochs, so that the zero-initialized output layer has moved
    X, y = problem("multiclass" if Estimator is TabularMLPClassifier else "continuous", n=80)
    y = y if y.ndim == 1 else y[:, 0]
    est = quiet_fit(Estimator(hidden_layer_sizes=(8, 8), max_iter=4, n_members=2,
                              dropout=0.0, random_state=0), X, y)
    report = check_gradients(est, X, y)
    assert report.max_relative_error < 1e-5, str(report)


# -------------------------------------------------------------------- layers
def bound(layer, rng, dtype=np.float64):
    from sknn._network import Network

    net = Network([layer], dtype)
    net.theta[...] = rng.randn(net.theta.size)
    return layer


def test_ensemble_dense_is_its_members_side_by_side():
    rng = np.random.RandomState(0)
    layer = bound(EnsembleDense(5, 3, n_members=4, ntp=True), rng)
    X = rng.randn(7, 5)
    out, _ = layer.forward(X, training=True)
    W, b = layer.params["W"], layer.params["b"]
    for i in range(4):
        np.testing.assert_allclose(out[i], X @ W[i] / math.sqrt(5) + b[i])
    # a shared sparse input gives the same outputs and weight gradients
    dout = rng.randn(*out.shape)
    layer.backward(dout, X)
    dense_grad = layer.grads["W"].copy()
    sparse_out, cache = layer.forward(sp.csr_matrix(X), training=True)
    layer.backward(dout, cache)
    np.testing.assert_allclose(sparse_out, out)
    np.testing.assert_allclose(layer.grads["W"], dense_grad)


def test_tabular_dense_initializations():
    from sknn.initializers import LayerInitializer, resolve_initializer

    init = LayerInitializer(resolve_initializer("sklearn", None), 0.0)
    ntp = bound(TabularDense(400, 300, ntp=True), np.random.RandomState(0))
    ntp.initialize(init, np.random.RandomState(0))
    assert abs(ntp.params["W"].std() - 1) < 0.01  # N(0, 1), scaled in the product
    zero = bound(EnsembleDense(4, 3, 2, zero_init=True), np.random.RandomState(0))
    zero.initialize(init, np.random.RandomState(0))
    assert not zero.params["W"].any()


def test_scale_layer_broadcasts_over_members():
    rng = np.random.RandomState(1)
    layer = bound(ScaleLayer(3, n_members=2), rng)
    X = rng.randn(4, 3)
    out, _ = layer.forward(X, training=True)
    assert out.shape == (2, 4, 3)
    np.testing.assert_allclose(out[1], X * layer.params["scale"][1])


# ----------------------------------------------------------------- schedules
def test_coslog_and_flat_cos_formulas():
    assert coslog(0.0) == 0.0
    # the k cycles end where log2(1 + 15 p) is an integer: p = 1/15, 3/15, 7/15, 1
    for p in (1 / 15, 3 / 15, 7 / 15, 1.0):
        assert coslog(p) == pytest.approx(0.0, abs=1e-12)
    assert coslog((2**0.5 - 1) / 15) == pytest.approx(1.0)  # the first peak
    assert flat_cos(0.3) == 1.0 and flat_cos(0.75) == pytest.approx(0.5)
    assert flat_cos(1.0) == pytest.approx(0.0, abs=1e-12)


def test_progress_schedules_take_the_middle_of_each_epoch():
    s = CosLog().for_run(10)
    assert s.lr(2.0, 3, 0, {}) == pytest.approx(2.0 * coslog(0.35))
    assert FlatCos(max_iter=4).lr(1.0, 3, 0, {}) == pytest.approx(flat_cos(3.5 / 4))
    assert FlatCos(max_iter=4).lr(1.0, 40, 0, {}) == pytest.approx(0.0, abs=1e-12)
    assert "coslog" in SCHEDULES.names() and "flat_cos" in SCHEDULES.names()


def test_scheduled_dropout_and_weight_decay():
    layer = Dropout(3, 0.2)
    run = SimpleNamespace(network=SimpleNamespace(layers=[layer]), solver=AdamW(weight_decay=0.1),
                          per_step=False)
    handler = ScheduledHyperparameters(FlatCos(max_iter=4), FlatCos(max_iter=4))
    handler.on_fit_begin(run)
    for epoch in range(4):
        handler.on_epoch_begin(run, epoch, 0.1)
        factor = flat_cos((epoch + 0.5) / 4)
        assert layer.rate == pytest.approx(0.2 * factor)
        assert run.solver.weight_decay == pytest.approx(0.1 * factor)
    handler.on_fit_end(run)
    assert layer.rate == 0.2


def test_weight_decay_schedule_needs_a_solver_with_weight_decay():
    X, y = problem("continuous")
    est = MLPRegressor(hidden_layer_sizes=(4,), solver="adam", weight_decay_schedule="flat_cos", max_iter=2)
    with pytest.raises(ValueError, match="weight_decay_schedule needs a solver"):
        quiet_fit(est, X, y)


# ---------------------------------------------------------------------- losses
def test_label_smoothing_mixes_targets_with_the_uniform_distribution():
    Y = np.eye(4)[[0, 1, 2]]
    Z = np.random.RandomState(0).randn(3, 4)
    smoothed = LogLoss(label_smoothing=0.2).for_target("multiclass")
    plain = LogLoss().for_target("multiclass")
    value, grad = smoothed.value_and_grad(Y, Z)
    expected, _ = plain.value_and_grad(0.8 * Y + 0.05, Z)
    assert value == pytest.approx(expected)
    np.testing.assert_allclose(grad.sum(axis=1), 0, atol=1e-12)  # still a distribution


def test_ensemble_loss_sums_members_and_averages_predictions():
    X, y = problem("multiclass")
    est = quiet_fit(MLPClassifier((5,), n_members=3, max_iter=3, random_state=0), X, y)
    Z = est._inference_network().predict_logits(X)
    assert Z.shape == (3, X.shape[0], 3)
    members = [est._loss.base.link(Z[i]) for i in range(3)]
    np.testing.assert_allclose(est.predict_proba(X), np.mean(members, axis=0))
    Y = est._label_binarizer.transform(y).astype(float)
    total, _ = est._loss.value_and_grad(Y, Z)
    assert total == pytest.approx(sum(est._loss.base.value_and_grad(Y, z)[0] for z in Z))


# ----------------------------------------------------------- training options
def test_zero_lr_factors_freeze_their_groups():
    X, y = problem("multiclass")
    est = MLPClassifier((5,), input_scale=True, max_iter=3, random_state=0,
                        lr_factors={"input_scale": 0.0, "bias": 0.0})
    initial = est.initialize(X, y).theta_.copy()
    quiet_fit(est, X, y)
    layout = est._inference_network().layout
    for role in ("input_scale", "bias"):
        for _, _, part in layout.slices(role):
            np.testing.assert_array_equal(est.theta_[part], initial[part])
    for _, _, part in layout.slices("weight"):
        assert not np.array_equal(est.theta_[part], initial[part])
    with pytest.raises(ValueError, match="non-negative"):
        quiet_fit(MLPClassifier((5,), lr_factors={"bias": -1.0}, max_iter=1), X, y)
    with pytest.raises(ValueError, match="mini-batch solver"):
        quiet_fit(MLPClassifier((5,), lr_factors={"bias": 2.0}, solver="lbfgs"), X, y)


def test_standardized_targets_give_predictions_in_the_targets_units():
    X, y = problem("continuous")
    a = quiet_fit(MLPRegressor(hidden_layer_sizes=(6,), standardize_target=True, max_iter=20, random_state=0),
                  X, y)
    b = quiet_fit(MLPRegressor(hidden_layer_sizes=(6,), standardize_target=True, max_iter=20, random_state=0),
                  X, 1000 * y + 5)
    np.testing.assert_allclose(b.predict(X), 1000 * a.predict(X) + 5, rtol=1e-7, atol=1e-6)
    np.testing.assert_allclose(b.target_mean_, 1000 * a.target_mean_ + 5)
    with pytest.raises(ValueError, match="identity link"):
        quiet_fit(MLPRegressor(loss="poisson", standardize_target=True), X, np.abs(y))


def test_clipped_predictions_stay_in_the_training_targets_range_per_output():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, (80, 3))
    Y = np.column_stack([X @ [2.0, -1.0, 0.5], 10 * X[:, 0] + 3])
    far = 50 * rng.uniform(-1, 1, (40, 3))  # far outside the data: linear extrapolation
    params = dict(hidden_layer_sizes=(8,), solver="lbfgs", max_iter=200, random_state=0)
    free = quiet_fit(MLPRegressor(**params), X, Y)
    clipped = quiet_fit(MLPRegressor(clip_predictions=True, **params), X, Y)
    assert free.target_range_ is None
    np.testing.assert_array_equal(clipped.target_range_[0], Y.min(axis=0))
    np.testing.assert_array_equal(clipped.target_range_[1], Y.max(axis=0))
    outside = (free.predict(far) < Y.min(axis=0)) | (free.predict(far) > Y.max(axis=0))
    assert outside.any(axis=0).all()  # each output leaves its range unclipped
    np.testing.assert_array_equal(clipped.predict(far), np.clip(free.predict(far), Y.min(axis=0), Y.max(axis=0)))
    np.testing.assert_array_equal(clipped.predict(X), np.clip(free.predict(X), Y.min(axis=0), Y.max(axis=0)))


def test_partial_fit_widens_the_clipping_range_and_fit_resets_it():
    X, y = problem("continuous")
    y = y if y.ndim == 1 else y[:, 0]
    est = MLPRegressor(hidden_layer_sizes=(4,), clip_predictions=True, random_state=0)
    est.partial_fit(X[:20], y[:20])
    est.partial_fit(X[20:], y[20:] + 100)
    assert est.target_range_[0][0] == y[:20].min() and est.target_range_[1][0] == (y[20:] + 100).max()
    quiet_fit(est.set_params(max_iter=3), X, y)
    assert est.target_range_[1][0] == y.max()


def test_tabular_regressor_clips_by_default():
    X, y = problem("continuous", n=60)
    y = y if y.ndim == 1 else y[:, 0]
    reg = quiet_fit(TabularMLPRegressor(hidden_layer_sizes=(8,), max_iter=4, random_state=0), X, y)
    assert reg.clip_predictions and reg.target_range_[0][0] == y.min()
    assert quiet_fit(reg.set_params(clip_predictions=False), X, y).target_range_ is None


def test_tabular_defaults_reach_the_components():
    X, y = problem("multiclass", n=60)
    clf = quiet_fit(TabularMLPClassifier(hidden_layer_sizes=(8,), max_iter=8, random_state=0),
                    X, y)
    parts = clf._components()
    assert parts.loss.label_smoothing == 0.1 and parts.solver.learning_rate_init == 0.04
    assert parts.solver.beta_2 == 0.95
    assert max(r["learning_rate"] for r in clf.history_) <= 0.04
    assert clf.theta_.dtype == np.float32 and clf.preprocessor_.scale_.shape == (4,)
    assert not hasattr(clf, "partial_fit")
    assert hasattr(clf.set_params(early_stopping=False), "partial_fit")
    reg = TabularMLPRegressor()
    parts = reg._components()
    assert type(parts.solver).__name__ == "AdamW" and parts.solver.weight_decay == 0.02
    assert parts.solver.learning_rate_init == 0.14


# -------------------------------------------------------------- preprocessing
columns = arrays(np.float64, st.tuples(st.integers(2, 30), st.integers(1, 3)),
                 elements=st.floats(-1e6, 1e6, allow_nan=False))


@settings(max_examples=60, deadline=None)
@given(X=columns)
def test_robust_smooth_clip_is_bounded_monotone_and_finite(X):
    Xt = RobustSmoothClipTransformer().fit_transform(X)
    assert np.isfinite(Xt).all() and np.all(np.abs(Xt) < 3 + 1e-12)
    for j in range(X.shape[1]):
        order = np.argsort(X[:, j], kind="stable")
        assert np.all(np.diff(Xt[order, j]) >= -1e-12)  # monotone per column


def test_a_tiny_scale_does_not_overflow():
    # hypothesis' example: an IQR of 4e-281 puts z near 1e281, whose square overflows
    X = np.array([[1.0]] * 4 + [[4.2e-281]] + [[0.0]] * 8 + [[1e300]])
    Xt = RobustSmoothClipTransformer().fit_transform(X)
    assert np.isfinite(Xt).all() and np.abs(Xt).max() <= 3.0


def test_robust_scale_falls_back_to_the_range_then_to_one():
    X = np.array([[0.0, 5.0, 1.0], [0.0, 5.0, 2.0], [0.0, 5.0, 3.0], [4.0, 5.0, 4.0],
                  [0.0, 5.0, 5.0]])
    t = RobustSmoothClipTransformer(clip_bound=None).fit(X)
    np.testing.assert_allclose(t.scale_, [2.0, 1.0, 2.0])  # range / 2, 1, IQR
    np.testing.assert_allclose(t.center_, [0.0, 5.0, 3.0])
    assert smooth_clip(np.array([1e9]))[0] == pytest.approx(3.0)


def test_sparse_input_is_scaled_without_centring():
    X = sp.random(40, 3, density=0.3, random_state=0, format="csr") * 10
    t = RobustSmoothClipTransformer().fit(X)
    dense = RobustSmoothClipTransformer().fit(X.toarray())
    assert not t.center_.any()
    Xt = t.transform(X)
    assert sp.issparse(Xt) and Xt.nnz == X.nnz
    np.testing.assert_allclose(Xt.toarray(), smooth_clip(X.toarray() / dense.scale_))
