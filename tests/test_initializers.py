import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier as SklearnMLP

from sknn import MLPClassifier
from sknn.activations import ACTIVATIONS
from sknn.initializers import INITIALIZERS, LayerInitializer, resolve_initializer

FAN_IN, FAN_OUT = 400, 300

EXPECTED_VARIANCE = {
    "lecun_normal": 1 / FAN_IN,
    "lecun_uniform": 1 / FAN_IN,
    "glorot_normal": 2 / (FAN_IN + FAN_OUT),
    "glorot_uniform": 2 / (FAN_IN + FAN_OUT),
    "he_normal": 2 / FAN_IN,
    "he_uniform": 2 / FAN_IN,
    "normal": 0.01**2,
    "uniform": 0.01**2 / 3,
    "orthogonal": 1 / FAN_IN,  # orthonormal columns of length 1 over fan_in rows
    "sparse": 1 / FAN_IN,
    "sklearn": 6 / (FAN_IN + FAN_OUT) / 3,
}


@pytest.mark.parametrize("name", sorted(EXPECTED_VARIANCE))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_shape_dtype_and_variance(name, dtype):
    w = INITIALIZERS.build(name).weights(FAN_IN, FAN_OUT, np.random.RandomState(0), dtype)
    assert w.shape == (FAN_IN, FAN_OUT) and w.dtype == dtype
    assert abs(w.mean()) < 0.1 * np.sqrt(EXPECTED_VARIANCE[name])
    assert w.var() == pytest.approx(EXPECTED_VARIANCE[name], rel=0.1)


@pytest.mark.parametrize("name", INITIALIZERS.names())
def test_same_generator_state_gives_same_weights(name):
    init = INITIALIZERS.build(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # 'zeros' warns; tested below
        a = init.weights(20, 10, np.random.RandomState(3), np.float64)
        b = init.weights(20, 10, np.random.RandomState(3), np.float64)
    np.testing.assert_array_equal(a, b)


def test_zeros_warns_about_symmetry():
    with pytest.warns(UserWarning, match="identical"):
        w = INITIALIZERS.build("zeros").weights(3, 2, np.random.RandomState(0), np.float64)
    assert not w.any()


@pytest.mark.parametrize("shape", [(50, 20), (20, 50), (16, 16)])
def test_orthogonal_has_orthonormal_rows_or_columns(shape):
    w = INITIALIZERS.build("orthogonal").weights(*shape, np.random.RandomState(0), np.float64)
    gram = w.T @ w if shape[0] >= shape[1] else w @ w.T
    np.testing.assert_allclose(gram, np.eye(min(shape)), atol=1e-12)


def test_sparse_gives_each_unit_a_few_inputs():
    w = INITIALIZERS.build("sparse").weights(100, 30, np.random.RandomState(0), np.float64)
    assert (np.count_nonzero(w, axis=0) == 15).all()
    w = INITIALIZERS.build("sparse").weights(4, 3, np.random.RandomState(0), np.float64)
    assert (np.count_nonzero(w, axis=0) == 4).all()


def test_bias_init_is_used():
    init = LayerInitializer(INITIALIZERS.build("he_normal"), bias_init=0.01)
    np.testing.assert_array_equal(init.bias(3, 4, np.random.RandomState(0), np.float64), 0.01)


@pytest.mark.parametrize(
    "activation, expected",
    [("relu", "he_uniform"), ("leaky_relu", "he_uniform"), ("gelu", "he_uniform"),
     ("tanh", "glorot_uniform"), ("logistic", "glorot_uniform"), ("selu", "lecun_normal"),
     (None, "auto (output layer)")],
)
def test_auto_follows_the_activation(activation, expected):
    act = None if activation is None else ACTIVATIONS.build(activation)
    assert resolve_initializer("auto", act).name == expected


@pytest.mark.parametrize("activation", ["relu", "logistic"])
def test_sklearn_scheme_reproduces_sklearn_initial_weights(activation):
    X = np.random.RandomState(0).randn(20, 5)
    y = np.arange(20) % 3
    kw = dict(hidden_layer_sizes=(7, 4), activation=activation, random_state=42, max_iter=1)
    ours = MLPClassifier(weight_init="sklearn", **kw)
    theirs = SklearnMLP(**kw)
    # one epoch of Adam from the same start with the same batches: same weights
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours.set_params(shuffle=False).fit(X, y)
        theirs.set_params(shuffle=False).fit(X, y)
    for a, b in zip(ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("activation", ["logistic", "sigmoid", "LOGISTIC_OBJECT"])
def test_sklearn_scheme_uses_the_logistic_range_for_every_spelling(activation):
    from sknn.activations import Logistic
    from sknn.initializers import SklearnUniform

    if activation == "LOGISTIC_OBJECT":
        activation = Logistic()
    assert SklearnUniform().for_activation(activation).factor == 2.0
    assert SklearnUniform().for_activation("tanh").factor == 6.0
    assert SklearnUniform(factor=3.0).for_activation(activation).factor == 3.0
