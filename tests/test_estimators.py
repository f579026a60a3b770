"""Behaviour of MLPClassifier and MLPRegressor as scikit-learn estimators."""

import pickle
import re
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.neural_network import MLPClassifier as SklearnClassifier
from sklearn.neural_network import MLPRegressor as SklearnRegressor
from sklearn.utils._param_validation import InvalidParameterError

from sknn import DivergenceWarning, MLPClassifier, MLPRegressor
from sknn.activations import ELU
from sknn.averaging import EMA
from sknn.initializers import SmallNormal
from sknn.optimizers import Adam
from sknn.schedules import Step

from .strategies import classification_data, regression_data

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def blobs(n=60, n_classes=3, n_features=4, seed=0):
    rng = np.random.RandomState(seed)
    y = np.arange(n) % n_classes
    X = rng.randn(n, n_features) + 4.0 * y[:, None]
    return (X - X.mean(axis=0)) / X.std(axis=0), y  # scaled, as in a Pipeline


def small(cls=MLPClassifier, **params):
    defaults = dict(hidden_layer_sizes=(8,), max_iter=30, learning_rate_init=0.01, random_state=0)
    return cls(**{**defaults, **params})


# --------------------------------------------------------------- drop-in API
@pytest.mark.parametrize(
    "ours, theirs", [(MLPClassifier, SklearnClassifier), (MLPRegressor, SklearnRegressor)]
)
def test_superset_of_scikit_learn_parameters_with_same_defaults(ours, theirs):
    our_params, their_params = ours().get_params(), theirs().get_params()
    for name, default in their_params.items():
        assert name in our_params
        assert our_params[name] == default, name


@pytest.mark.parametrize(
    "ours, theirs", [(MLPClassifier, SklearnClassifier), (MLPRegressor, SklearnRegressor)]
)
def test_same_fitted_attributes_and_methods_as_scikit_learn(ours, theirs):
    X, y = blobs()
    if ours is MLPRegressor:
        y = y.astype(float)
    a, b = small(ours).fit(X, y), small(theirs).fit(X, y)
    public = [n for n in dir(b) if not n.startswith("_")]
    for name in public:
        assert hasattr(a, name), name
    assert a.n_layers_ == b.n_layers_ and a.n_outputs_ == b.n_outputs_
    assert a.out_activation_ == b.out_activation_
    assert [c.shape for c in a.coefs_] == [c.shape for c in b.coefs_]


def test_same_error_messages_as_scikit_learn():
    X, y = blobs()
    for est in (MLPClassifier(learning_rate_init=-1), SklearnClassifier(learning_rate_init=-1)):
        with pytest.raises(InvalidParameterError, match=re.escape(
            f"The 'learning_rate_init' parameter of {type(est).__name__} must be a float in "
            "the range (0.0, inf). Got -1 instead.")):
            est.fit(X, y)
    for est in (MLPClassifier((3, 0)), SklearnClassifier((3, 0))):
        with pytest.raises(ValueError, match=re.escape("hidden_layer_sizes must be > 0, got [3, 0].")):
            est.fit(X, y)


# --------------------------------------------------------------- bad input
@pytest.mark.parametrize("cls", [MLPClassifier, MLPRegressor])
@pytest.mark.parametrize("bad, message", [(np.nan, "NaN"), (np.inf, "infinity")])
def test_nan_and_inf_in_X_are_rejected(cls, bad, message):
    X, y = blobs()
    X_bad = X.copy()
    X_bad[3, 1] = bad
    with pytest.raises(ValueError, match=message):
        small(cls).fit(X_bad, y)
    est = small(cls).fit(X, y)
    with pytest.raises(ValueError, match=message):
        est.predict(X_bad)


def test_nan_in_y_is_rejected():
    X, y = blobs()
    with pytest.raises(ValueError, match="Input y contains NaN"):
        small(MLPRegressor).fit(X, np.where(y == 1, np.nan, y))


@pytest.mark.parametrize("cls", [MLPClassifier, MLPRegressor])
def test_wrong_number_of_features(cls):
    X, y = blobs()
    est = small(cls).fit(X, y)
    with pytest.raises(ValueError, match=f"X has 3 features, but {cls.__name__} is expecting 4"):
        est.predict(X[:, :3])
    with pytest.raises(ValueError, match="X has 3 features"):
        est.partial_fit(X[:, :3], y)


@pytest.mark.parametrize("cls", [MLPClassifier, MLPRegressor])
def test_empty_and_one_dimensional_input(cls):
    with pytest.raises(ValueError, match=r"0 sample\(s\)"):
        small(cls).fit(np.empty((0, 3)), [])
    with pytest.raises(ValueError, match=r"0 feature\(s\)"):
        small(cls).fit(np.empty((5, 0)), np.arange(5) % 2)
    with pytest.raises(ValueError, match="Expected 2D array"):
        small(cls).fit(np.arange(5.0), np.arange(5) % 2)


@pytest.mark.parametrize(
    "param, value, pattern",
    [
        ("activation", "swishy", r"'activation' parameter of MLPClassifier: Unknown activation 'swishy'. Did you mean 'swish'\? Valid options: \[.*'gelu'.*\]"),
        ("solver", "newton", r"'solver' parameter of MLPClassifier: Unknown solver 'newton'.*Valid options: \[.*'adam'.*\]"),
        ("weight_init", "kaiming", r"'weight_init' parameter .*Unknown weight initializer 'kaiming'.*'he_normal'"),
        ("loss", "squared_error", r"'loss' parameter of MLPClassifier must be a classification loss, one of \['hinge', 'log_loss'\]"),
        ("activation", "Relu", r"Did you mean 'relu'\?"),
        ("alpha", -1.0, r"'alpha' parameter"),
        ("batch_size", 0, r"'batch_size' parameter"),
        ("momentum", 1.5, r"'momentum' parameter"),
        ("beta_1", 1.0, r"'beta_1' parameter"),
        ("validation_fraction", 1.0, r"'validation_fraction' parameter"),
        ("max_iter", 0, r"'max_iter' parameter"),
        ("epsilon", 0.0, r"'epsilon' parameter"),
        ("weight_init", SmallNormal(scale=0.0), r"'scale' parameter of SmallNormal"),
        ("solver", Adam(beta_1=1.5), r"'solver' parameter of MLPClassifier: The 'beta_1' parameter of Adam must be a float in the range \[0.0, 1.0\). Got 1.5"),
        ("learning_rate", Step(factor=2.0), r"'factor' parameter of Step"),
        ("activation", ELU(alpha=-1.0), r"'alpha' parameter of ELU"),
        ("averaging", EMA(decay=1.0), r"'decay' parameter of EMA"),
        ("class_weight", "even", r"'class_weight' parameter"),
    ],
)
def test_out_of_range_hyperparameters_name_the_parameter(param, value, pattern):
    X, y = blobs()
    est = MLPClassifier(**{param: value})  # __init__ never raises
    with pytest.raises(InvalidParameterError, match=pattern):
        est.fit(X, y)


def test_unknown_name_in_a_per_layer_activation_lists_valid_names():
    X, y = blobs()
    with pytest.raises(ValueError, match=r"Unknown activation 'bogus'. Valid options: \[.*'relu'"):
        MLPClassifier((4, 4), activation=("relu", "bogus")).fit(X, y)
    with pytest.raises(ValueError, match="2 hidden layers"):
        MLPClassifier((4, 4), activation=("relu",)).fit(X, y)


def test_regressor_losses_are_validated():
    X, y = blobs()
    with pytest.raises(InvalidParameterError, match="'loss' parameter of MLPRegressor"):
        MLPRegressor(loss="hinge").fit(X, y)
    with pytest.raises(ValueError, match="negative"):
        MLPRegressor(loss="poisson").fit(X, y - 1.0)


def test_training_that_produces_non_finite_weights_raises_and_leaves_finite_weights():
    X, y = blobs()
    for solver in ("sgd", "adam"):
        est = small(MLPRegressor, solver=solver, on_divergence="raise")
        with pytest.raises(ValueError, match="non-finite"):
            est.fit(X * 1e160, y)  # squares overflow float64 in the first batch
        assert np.isfinite(est.theta_).all()


def test_by_default_a_non_finite_loss_warns_and_leaves_finite_weights():
    X, y = blobs()
    for solver in ("sgd", "adam"):
        est = small(MLPRegressor, solver=solver)
        with pytest.warns(DivergenceWarning, match="non-finite parameter weights"):
            est.fit(X * 1e160, y)
        assert est.diverged_ and np.isfinite(est.theta_).all()


# --------------------------------------------------------------- dtypes
@pytest.mark.parametrize("cls", [MLPClassifier, MLPRegressor])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_input_dtype_is_kept(cls, dtype):
    X, y = blobs()
    est = small(cls).fit(X.astype(dtype), y)
    assert est.theta_.dtype == dtype
    assert all(c.dtype == dtype for c in est.coefs_ + est.intercepts_)
    out = est.predict_proba(X.astype(dtype)) if cls is MLPClassifier else est.predict(X.astype(dtype))
    assert out.dtype == dtype


def test_integers_are_upcast_to_float64():
    X, y = blobs()
    est = small().fit(np.round(X * 10).astype(np.int32), y)
    assert est.theta_.dtype == np.float64


def test_float32_and_float64_agree():
    X, y = blobs()
    p32 = small(max_iter=10).fit(X.astype(np.float32), y).predict_proba(X.astype(np.float32))
    p64 = small(max_iter=10).fit(X, y).predict_proba(X)
    np.testing.assert_allclose(p32, p64, rtol=1e-2, atol=1e-3)


# --------------------------------------------------------------- properties
@given(data=classification_data(), seed=st.integers(0, 2**16))
def test_same_random_state_gives_bitwise_identical_weights(data, seed):
    X, y = data
    a = small(max_iter=5, random_state=seed).fit(X, y)
    b = small(max_iter=5, random_state=seed).fit(X, y)
    np.testing.assert_array_equal(a.theta_, b.theta_)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))


@given(data=classification_data())
def test_prediction_does_not_change_the_estimator(data):
    X, y = data
    est = small(max_iter=5).fit(X, y)
    before = pickle.dumps(est)
    theta = est.theta_.copy()
    est.predict(X)
    est.predict_proba(X)
    est.predict_log_proba(X)
    est.score(X, y)
    assert pickle.dumps(est) == before
    np.testing.assert_array_equal(est.theta_, theta)


@given(data=classification_data(), scale=st.sampled_from([1.0, 1e2, 1e4]))
def test_probabilities_are_finite_in_unit_interval_and_sum_to_one(data, scale):
    X, y = data
    est = small(max_iter=5).fit(X, y)
    est.theta_[...] *= scale  # huge logits
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        proba = est.predict_proba(X * scale)
    assert np.isfinite(proba).all()
    assert ((proba >= 0) & (proba <= 1)).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-6)
    np.testing.assert_array_equal(est.predict(X * scale), est.classes_[proba.argmax(axis=1)])


@given(data=regression_data())
def test_regression_predictions_have_target_shape(data):
    X, y = data
    pred = small(MLPRegressor, max_iter=5).fit(X, y).predict(X)
    assert pred.shape == y.shape


@given(data=classification_data())
def test_predictions_do_not_depend_on_the_other_rows(data):
    X, y = data
    est = small(max_iter=5).fit(X, y)
    full = est.predict_proba(X)
    perm = np.random.RandomState(0).permutation(len(X))
    np.testing.assert_allclose(est.predict_proba(X[perm]), full[perm], rtol=1e-12)
    np.testing.assert_allclose(est.predict_proba(X[:1]), full[:1], rtol=1e-12)


def test_inputs_are_not_mutated():
    X, y = blobs()
    sw = np.linspace(0.5, 2, len(y))
    copies = X.copy(), y.copy(), sw.copy()
    est = small(class_weight="balanced")
    params = est.get_params()
    est.fit(X, y, sample_weight=sw)
    for original, copy in zip((X, y, sw), copies):
        np.testing.assert_array_equal(original, copy)
    assert est.get_params() == params


# --------------------------------------------------------------- data kinds
def test_string_labels():
    X, y = blobs()
    labels = np.array(["ant", "bee", "cat"])[y]
    est = small(max_iter=200).fit(X, labels)
    assert est.classes_.tolist() == ["ant", "bee", "cat"]
    assert set(est.predict(X)) <= set(est.classes_)
    assert est.score(X, labels) > 0.9


def test_binary_uses_one_sigmoid_unit():
    X, y = blobs(n_classes=2)
    est = small(max_iter=100).fit(X, y)
    assert est.n_outputs_ == 1 and est.out_activation_ == "logistic"
    assert est.predict_proba(X).shape == (len(y), 2)
    assert est.score(X, y) > 0.9


def test_multilabel_indicator_targets():
    X, y = blobs()
    Y = np.stack([y == 0, y >= 1, y == 2], axis=1).astype(int)
    est = small(max_iter=200).fit(X, Y)
    assert est.out_activation_ == "logistic" and est.n_outputs_ == 3
    assert est.predict(X).shape == Y.shape
    assert est.predict_proba(X).shape == Y.shape
    assert (est.predict(X) == Y).mean() > 0.9


def test_multi_output_regression():
    X, y = blobs()
    Y = np.stack([X[:, 0] + X[:, 1], X[:, 2] - X[:, 3]], axis=1)
    est = small(MLPRegressor, solver="lbfgs", max_iter=300).fit(X, Y)
    assert est.predict(X).shape == Y.shape and est.score(X, Y) > 0.9


@pytest.mark.parametrize("fmt", [sp.csr_matrix, sp.csc_matrix])
@pytest.mark.parametrize("cls", [MLPClassifier, MLPRegressor])
def test_sparse_input_equals_dense(fmt, cls):
    X, y = blobs()
    X[X < 1] = 0
    dense = small(cls, solver="lbfgs").fit(X, y)
    sparse = small(cls, solver="lbfgs").fit(fmt(X), y)
    np.testing.assert_allclose(sparse.predict(fmt(X)), dense.predict(X), rtol=1e-8)
    np.testing.assert_allclose(sparse.theta_, dense.theta_, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("loss", ["squared_error", "absolute_error", "huber", "poisson"])
def test_every_regression_loss_fits(loss):
    rng = np.random.RandomState(0)
    X = rng.rand(200, 3)
    y = np.exp(X @ [1.0, -1.0, 0.5])  # positive, for poisson
    est = MLPRegressor(loss=loss, hidden_layer_sizes=(16,), solver="lbfgs", max_iter=500,
                       random_state=0).fit(X, y)
    assert est.out_activation_ == ("exp" if loss == "poisson" else "identity")
    assert est.score(X, y) > 0.9


# --------------------------------------------------------------- hinge
@pytest.mark.parametrize("n_classes", [2, 3])
def test_hinge_loss_offers_decision_function_not_probabilities(n_classes):
    X, y = blobs(n_classes=n_classes)
    est = small(loss="hinge", max_iter=200).fit(X, y)
    assert not hasattr(est, "predict_proba") and not hasattr(est, "predict_log_proba")
    scores = est.decision_function(X)
    if n_classes == 2:
        assert scores.shape == (len(y),)
        np.testing.assert_array_equal(est.predict(X), est.classes_[(scores > 0).astype(int)])
    else:
        assert scores.shape == (len(y), n_classes)
        np.testing.assert_array_equal(est.predict(X), est.classes_[scores.argmax(axis=1)])
    assert est.score(X, y) > 0.9


def test_log_loss_has_no_decision_function():
    assert not hasattr(MLPClassifier(), "decision_function")


# --------------------------------------------------------------- training API
def test_sample_weight_zero_equals_dropping_rows_with_lbfgs():
    X, y = blobs()
    sw = np.ones(len(y))
    sw[:10] = 0
    a = small(solver="lbfgs").fit(X, y, sample_weight=sw)
    b = small(solver="lbfgs").fit(X[10:], y[10:])
    np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X), rtol=1e-5, atol=1e-7)


def test_class_weight_dict_equals_sample_weight():
    X, y = blobs()
    a = small(solver="lbfgs", class_weight={0: 3.0, 1: 1.0, 2: 0.5}).fit(X, y)
    b = small(solver="lbfgs").fit(X, y, sample_weight=np.array([3.0, 1.0, 0.5])[y])
    np.testing.assert_allclose(a.theta_, b.theta_)


def test_class_weight_shifts_predictions_towards_the_heavy_class():
    X, y = blobs(seed=3)
    X = X + np.random.RandomState(1).randn(*X.shape) * 3  # overlapping classes
    plain = small(max_iter=100).fit(X, y)
    heavy = small(max_iter=100, class_weight={0: 20.0, 1: 1.0, 2: 1.0}).fit(X, y)
    assert (heavy.predict(X) == 0).mean() > (plain.predict(X) == 0).mean()


def test_balanced_class_weight_is_refused_in_partial_fit():
    X, y = blobs()
    with pytest.raises(ValueError, match="balanced"):
        small(class_weight="balanced").partial_fit(X, y, classes=[0, 1, 2])


def test_all_zero_sample_weights_raise():
    X, y = blobs()
    with pytest.raises(ValueError, match="Sample weights must contain at least one non-zero"):
        small().fit(X, y, sample_weight=np.zeros(len(y)))


def test_partial_fit_rules():
    X, y = blobs()
    est = small()
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        est.partial_fit(X, y)
    est.partial_fit(X[y < 2], y[y < 2], classes=[0, 1, 2])
    assert est.classes_.tolist() == [0, 1, 2] and est.n_iter_ == 1
    with pytest.raises(ValueError, match="`y` has classes not in `self.classes_`"):
        est.partial_fit(X, y + 1)
    assert not hasattr(MLPClassifier(solver="lbfgs"), "partial_fit")
    assert not hasattr(MLPRegressor(solver="lbfgs"), "partial_fit")
    with pytest.raises(ValueError, match="partial_fit does not support early_stopping"):
        small(early_stopping=True).partial_fit(X, y, classes=[0, 1, 2])


def test_partial_fit_epochs_equal_fit_epochs():
    X, y = blobs()
    fitted = small(max_iter=7, shuffle=False, tol=0, n_iter_no_change=100).fit(X, y)
    stepped = small(shuffle=False)
    for _ in range(7):
        stepped.partial_fit(X, y, classes=[0, 1, 2])
    np.testing.assert_allclose(stepped.theta_, fitted.theta_, rtol=1e-12)
    assert stepped.loss_curve_ == pytest.approx(fitted.loss_curve_)


def test_warm_start_continues_from_previous_weights():
    X, y = blobs()
    est = small(max_iter=5, warm_start=True).fit(X, y)
    first = est.theta_.copy()
    est.fit(X, y)
    assert len(est.loss_curve_) == 10
    assert not np.array_equal(first, est.theta_)
    cold = small(max_iter=5).fit(X, y)
    np.testing.assert_array_equal(cold.theta_, first)
    with pytest.raises(ValueError, match="warm_start can only be used where `y` has the same classes"):
        est.fit(X[y < 2], y[y < 2])


def test_fit_twice_equals_fit_once():
    X, y = blobs()
    est = small(max_iter=5)
    first = est.fit(X, y).theta_.copy()
    np.testing.assert_array_equal(est.fit(X, y).theta_, first)


def test_early_stopping_tracks_validation_and_restores_best():
    X, y = blobs(n=200)
    est = small(early_stopping=True, max_iter=200, n_iter_no_change=5).fit(X, y)
    assert len(est.validation_scores_) == est.n_iter_ == len(est.loss_curve_)
    assert est.best_validation_score_ == max(est.validation_scores_)
    assert est.best_loss_ is None
    with pytest.raises(ValueError, match="validation set is too small"):
        small(MLPRegressor, early_stopping=True).fit(X[:10], y[:10])


def test_convergence_warning_when_max_iter_is_reached():
    X, y = blobs()
    with pytest.warns(ConvergenceWarning, match="Maximum iterations"):
        MLPClassifier(max_iter=2, random_state=0).fit(X, y)
    with pytest.warns(ConvergenceWarning, match="lbfgs failed to converge"):
        MLPClassifier(solver="lbfgs", max_iter=2, random_state=0).fit(X, y)


def test_no_improvement_stops_training_early_like_scikit_learn():
    X, y = blobs()
    params = dict(max_iter=500, tol=10.0, n_iter_no_change=3, random_state=0)
    est = MLPClassifier(**params).fit(X, y)
    # epoch 1 sets the best loss; epochs 2-5 fail to improve by tol: 4 > 3, stop
    assert est.n_iter_ == 5 == SklearnClassifier(**params).fit(X, y).n_iter_


def test_adaptive_schedule_divides_the_learning_rate(capsys):
    X, y = blobs()
    small(solver="sgd", learning_rate="adaptive", learning_rate_init=0.001, tol=10.0,
          n_iter_no_change=1, verbose=True, max_iter=6).fit(X, y)
    out = capsys.readouterr().out
    assert "Setting learning rate to 0.000200" in out and "Iteration 1, loss" in out


def test_lbfgs_records_its_loss_curve():
    X, y = blobs()
    est = small(solver="lbfgs", max_iter=50).fit(X, y)
    assert est.n_iter_ == len(est.loss_curve_) <= 50
    assert est.loss_ == pytest.approx(est.loss_curve_[-1])
    assert np.all(np.diff(est.loss_curve_) <= 1e-12)


def test_unfitted_estimator_raises_not_fitted():
    with pytest.raises(NotFittedError):
        MLPClassifier().predict(np.zeros((2, 2)))
    with pytest.raises(NotFittedError):
        MLPRegressor().coefs_


def test_clone_and_pickle():
    X, y = blobs()
    est = small().fit(X, y)
    assert not hasattr(clone(est), "theta_")
    restored = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(restored.predict_proba(X), est.predict_proba(X))
    # fitted state is plain: arrays, numbers, strings, containers of them
    # (the prediction network is a cache, rebuilt after unpickling)
    assert "Network" not in repr(est.__getstate__())


def test_zeros_initializer_warns():
    X, y = blobs()
    with pytest.warns(UserWarning, match="identical"):
        small(weight_init="zeros", max_iter=2).fit(X, y)


@pytest.mark.parametrize("name", ["MLPClassifier", "MLPRegressor", "DivergenceError",
                                  "DivergenceWarning"])
def test_public_classes_report_the_public_module(name):
    import sknn

    cls = getattr(sknn, name)
    assert cls.__module__ == "sknn" and cls.__qualname__ == name
    assert pickle.loads(pickle.dumps(cls)) is cls


def test_pickles_name_the_public_classes():
    X, y = blobs()
    for est in (small().fit(X, y), small(MLPRegressor).fit(X, y.astype(float))):
        data = pickle.dumps(est)
        assert b"_estimators" not in data
        restored = pickle.loads(data)
        assert type(restored) is type(est)
        np.testing.assert_array_equal(restored.predict(X), est.predict(X))
