"""Update rules: closed forms, hand-computed steps, independent references, state.

The references below are written per coordinate with Python floats, from
each rule's paper (PyTorch's form for SGD, whose buffer carries no learning
rate, unlike scikit-learn's velocity), not in the vectorised in-place form of
``sknn.optimizers``.
"""

import math
import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

from sknn.averaging import EMA, Polyak, update_average
from sknn.optimizers import OPTIMIZERS, solver_names, stochastic_solver_names
from sknn.training.stochastic import clip_gradient

# every rule with the settings its tests use (a name may appear with variants)
RULES = {
    "sgd-vanilla": ("sgd", dict(momentum=0.0)),
    "sgd-classic": ("sgd", dict(momentum=0.9, nesterovs_momentum=False)),
    "sgd-nesterov": ("sgd", dict(momentum=0.9, nesterovs_momentum=True)),
    "sgd-ewma": ("sgd", dict(momentum=0.9, nesterovs_momentum=False, dampening=0.9)),
    "sgd-ewma-corrected": (
        "sgd",
        dict(momentum=0.9, nesterovs_momentum=False, dampening=0.9, momentum_bias_correction=True),
    ),
    "sgd-nesterov-ewma-corrected": (
        "sgd",
        dict(momentum=0.9, nesterovs_momentum=True, dampening=0.9, momentum_bias_correction=True),
    ),
    "adam": ("adam", {}),
    "amsgrad": ("adam", dict(amsgrad=True)),
    "adamw": ("adamw", dict(weight_decay=0.1)),
    "nadam": ("nadam", {}),
    "adagrad": ("adagrad", {}),
    "rmsprop": ("rmsprop", dict(rho=0.9)),
    "adadelta": ("adadelta", dict(rho=0.9, epsilon=1e-6)),
    "lion": ("lion", {}),
    "lion-decay": ("lion", dict(weight_decay=0.1)),
}


def build(rule):
    name, options = RULES[rule]
    return OPTIMIZERS.build(name, **options)


def test_every_registered_solver_is_covered():
    covered = {name for name, _ in RULES.values()}
    assert covered == set(stochastic_solver_names())
    assert set(solver_names()) == covered | {"lbfgs", "genetic"}


# ---------------------------------------------------------- one step, closed form
LR = 0.1
THETA0 = np.array([1.0, -2.0, 0.5, 3.0])


def closed_form_first_step(rule, theta):
    """theta after one step on f = 0.5 ||theta||^2 (gradient g = theta)."""
    g = theta
    a = np.abs(g)
    eps = 1e-8
    return {
        "sgd-vanilla": theta - LR * g,
        "sgd-classic": theta - LR * g,  # v = -lr g
        "sgd-nesterov": theta - 0.9 * LR * g - LR * g,  # mu v - lr g
        "sgd-ewma": theta - LR * 0.1 * g,  # v = -lr (1 - d) g
        "sgd-ewma-corrected": theta - LR * g,  # divided by 1 - mu
        # mu v - lr (1 - d) g = -0.019 g, divided by 1 - mu^2 = 0.19
        "sgd-nesterov-ewma-corrected": theta - LR * g,
        # m = 0.1 g, v = 0.001 g^2: lr sqrt(0.001)/0.1 * 0.1 g / (sqrt(0.001)|g| + eps)
        "adam": theta - LR * g / (a + eps / math.sqrt(0.001)),
        "amsgrad": theta - LR * g / (a + eps / math.sqrt(0.001)),
        "adamw": theta * (1 - LR * 0.1) - LR * g / (a + eps / math.sqrt(0.001)),
        # m_hat = 0.9 * 0.1 g / (1 - 0.81) + 0.1 g / 0.1, v_hat = g^2
        "nadam": theta - LR * g * (0.09 / 0.19 + 1) / (a + eps),
        "adagrad": theta - LR * g / (a + eps),
        "rmsprop": theta - LR * g / (math.sqrt(0.1) * a + eps),
        "adadelta": theta - LR * math.sqrt(1e-6) / np.sqrt(0.1 * g * g + 1e-6) * g,
        # c = (1 - b1) g: every coordinate moves by lr against the gradient's sign
        "lion": theta - LR * np.sign(g),
        "lion-decay": theta * (1 - LR * 0.1) - LR * np.sign(g),
    }[rule]


@pytest.mark.parametrize("rule", RULES)
def test_one_step_on_half_squared_norm(rule):
    optimizer = build(rule)
    theta = THETA0.copy()
    state = optimizer.init_state(theta)
    optimizer.step(theta, theta.copy(), state, LR)
    assert state["t"] == 1
    assert_allclose(theta, closed_form_first_step(rule, THETA0), rtol=1e-12)


# ------------------------------------------------ a few steps on a fixed quadratic
# f(theta) = 0.5 * sum(A * theta**2) - B . theta, gradient A * theta - B
A = np.array([2.0, 0.5, 10.0])
B = np.array([1.0, -1.0, 0.0])


def grad_quadratic(theta):
    return A * theta - B


def test_sgd_momentum_three_steps_by_hand():
    # f = theta^2 (a = 2), theta0 = 1, lr = 0.1, mu = 0.9, classic momentum:
    # g0 = 2,    v1 = -0.2,                  theta1 = 0.8
    # g1 = 1.6,  v2 = 0.9*-0.2 - 0.16 = -0.34,   theta2 = 0.46
    # g2 = 0.92, v3 = 0.9*-0.34 - 0.092 = -0.398, theta3 = 0.062
    optimizer = OPTIMIZERS.build("sgd", momentum=0.9, nesterovs_momentum=False)
    theta = np.array([1.0])
    state = optimizer.init_state(theta)
    trajectory = []
    for _ in range(3):
        optimizer.step(theta, 2 * theta, state, 0.1)
        trajectory.append(theta[0])
    assert_allclose(trajectory, [0.8, 0.46, 0.062], rtol=1e-12)


def test_adam_two_steps_by_hand():
    # f = theta^2, theta0 = 1, lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 0:
    # step 1: g = 2, m = 0.2, v = 0.004, m_hat = 2, v_hat = 4, theta1 = 1 - 0.1 = 0.9
    # step 2: g = 1.8, m = 0.18 + 0.18 = 0.36, v = 0.003996 + 0.00324 = 0.007236,
    #   m_hat = 0.36 / 0.19, v_hat = 0.007236 / 0.001999, theta2 = 0.9 - 0.1 m_hat / sqrt(v_hat)
    optimizer = OPTIMIZERS.build("adam", epsilon=1e-300)
    theta = np.array([1.0])
    state = optimizer.init_state(theta)
    optimizer.step(theta, 2 * theta, state, 0.1)
    assert_allclose(theta, [0.9], rtol=1e-12)
    optimizer.step(theta, 2 * theta, state, 0.1)
    expected = 0.9 - 0.1 * (0.36 / 0.19) / math.sqrt(0.007236 / 0.001999)
    assert_allclose(theta, [expected], rtol=1e-12)


def reference_trajectory(rule, theta0, lr, n_steps):
    """Per-coordinate implementation of each rule, straight from its formula."""
    name, o = RULES[rule]
    b1, b2 = o.get("beta_1", 0.9), o.get("beta_2", 0.999)
    eps, rho = o.get("epsilon", 1e-8), o.get("rho", 0.9)
    mu, d = o.get("momentum", 0.9), o.get("dampening", 0.0)
    out = []
    for x in theta0:
        a, b = A[len(out)], B[len(out)]
        buf = m = v = vmax = acc = delta_acc = 0.0
        for t in range(1, n_steps + 1):
            g = a * x - b
            if name == "sgd":
                if mu == 0:
                    x -= lr * g
                    continue
                buf = mu * buf + (1 - d) * g  # PyTorch: no lr in the buffer
                if o.get("nesterovs_momentum", True):
                    step = g * (1 - d) + mu * buf
                    corr = 1 - mu ** (t + 1)
                else:
                    step, corr = buf, 1 - mu**t
                x -= lr * step / (corr if o.get("momentum_bias_correction") else 1)
            elif name in ("adam", "adamw"):
                if name == "adamw":
                    x *= 1 - lr * o["weight_decay"]
                m = b1 * m + (1 - b1) * g
                v = b2 * v + (1 - b2) * g * g
                vmax = max(vmax, v) if o.get("amsgrad") else v
                x -= lr * math.sqrt(1 - b2**t) / (1 - b1**t) * m / (math.sqrt(vmax) + eps)
            elif name == "nadam":
                m = b1 * m + (1 - b1) * g
                v = b2 * v + (1 - b2) * g * g
                m_hat = b1 * m / (1 - b1 ** (t + 1)) + (1 - b1) * g / (1 - b1**t)
                x -= lr * m_hat / (math.sqrt(v / (1 - b2**t)) + eps)
            elif name == "adagrad":
                acc += g * g
                x -= lr * g / (math.sqrt(acc) + eps)
            elif name == "rmsprop":
                acc = rho * acc + (1 - rho) * g * g
                x -= lr * g / (math.sqrt(acc) + eps)
            elif name == "lion":
                c = b1 * m + (1 - b1) * g
                x *= 1 - lr * o.get("weight_decay", 0.0)
                x -= lr * math.copysign(1.0, c) if c != 0 else 0.0
                m = 0.99 * m + (1 - 0.99) * g  # Lion's beta_2 default
            elif name == "adadelta":
                acc = rho * acc + (1 - rho) * g * g
                dx = math.sqrt(delta_acc + eps) / math.sqrt(acc + eps) * g
                delta_acc = rho * delta_acc + (1 - rho) * dx * dx
                x -= lr * dx
        out.append(x)
    return np.array(out)


@pytest.mark.parametrize("rule", RULES)
def test_five_steps_on_a_quadratic_match_the_reference(rule):
    optimizer = build(rule)
    theta0 = np.array([1.5, -0.5, 0.2])
    theta = theta0.copy()
    state = optimizer.init_state(theta)
    lr = 1.0 if rule == "adadelta" else 0.05
    for _ in range(5):
        optimizer.step(theta, grad_quadratic(theta), state, lr)
    assert state["t"] == 5
    assert_allclose(theta, reference_trajectory(rule, theta0, lr, 5), rtol=1e-10)


def test_amsgrad_steps_are_smaller_after_a_large_gradient():
    adam, ams = OPTIMIZERS.build("adam"), OPTIMIZERS.build("adam", amsgrad=True)
    grads = [np.array([10.0])] + [np.array([0.1])] * 20
    results = []
    for optimizer in (adam, ams):
        theta = np.zeros(1)
        state = optimizer.init_state(theta)
        for g in grads:
            optimizer.step(theta, g, state, 0.01)
        results.append(theta[0])
    assert abs(results[1]) < abs(results[0])


def test_adamw_decay_spares_the_non_weight_tail():
    optimizer = OPTIMIZERS.build("adamw", weight_decay=0.5)
    theta = np.array([1.0, 1.0, 1.0, 1.0])
    state = optimizer.init_state(theta, n_weights=2)
    optimizer.step(theta, np.zeros(4), state, 0.1)  # zero gradient: only the decay acts
    assert_allclose(theta, [0.95, 0.95, 1.0, 1.0])


# ----------------------------------------------------------------- invariants
@pytest.mark.parametrize("rule", RULES)
@given(
    theta=hnp.arrays(np.float64, 6, elements=st.floats(-10, 10)),
    grad=hnp.arrays(np.float64, 6, elements=st.floats(-10, 10)),
)
def test_zero_learning_rate_changes_nothing(rule, theta, grad):
    optimizer = build(rule)
    before = theta.copy()
    state = optimizer.init_state(theta)
    for _ in range(3):
        optimizer.step(theta, grad, state, 0.0)
    assert_array_equal(theta, before)


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_state_dtype_equals_parameter_dtype(rule, dtype):
    optimizer = build(rule)
    theta = THETA0.astype(dtype)
    state = optimizer.init_state(theta)
    for _ in range(3):
        grad = (0.5 * theta + 0.1).astype(dtype)
        optimizer.step(theta, grad, state, np.float64(0.01))  # a float64 rate too
    assert theta.dtype == dtype
    arrays = [value for value in state.values() if isinstance(value, np.ndarray)]
    assert arrays and all(a.dtype == dtype and a.shape == theta.shape for a in arrays)
    assert isinstance(state["t"], int) and state["t"] == 3


@pytest.mark.parametrize("rule", RULES)
def test_state_pickles_and_continues_identically(rule):
    optimizer = build(rule)
    theta = np.array([1.5, -0.5, 0.2])
    state = optimizer.init_state(theta)
    for _ in range(2):
        optimizer.step(theta, grad_quadratic(theta), state, 0.05)
    theta2, state2 = pickle.loads(pickle.dumps((theta, state)))
    for _ in range(3):
        optimizer.step(theta, grad_quadratic(theta), state, 0.05)
        optimizer.step(theta2, grad_quadratic(theta2), state2, 0.05)
    assert_array_equal(theta, theta2)


# ------------------------------------------------------- clipping and averaging
@given(
    grad=hnp.arrays(np.float64, 5, elements=st.floats(-100, 100)),
    clip=st.floats(0.1, 50),
)
def test_clip_gradient_bounds_the_norm_and_keeps_the_direction(grad, clip):
    clipped = grad.copy()
    clip_gradient(clipped, clip)
    norm = np.linalg.norm(grad)
    if norm <= clip:
        assert_array_equal(clipped, grad)
    else:
        assert np.linalg.norm(clipped) == pytest.approx(clip, rel=1e-9)
        assert_allclose(clipped * norm / clip, grad, rtol=1e-9, atol=1e-12)


def test_polyak_average_is_the_mean_of_the_iterates():
    rng = np.random.RandomState(0)
    iterates = rng.normal(size=(7, 4))
    average = np.zeros(4)
    for t, theta in enumerate(iterates, start=1):
        update_average(average, theta, Polyak().weight(t))
    assert_allclose(average, iterates.mean(axis=0), rtol=1e-12)


def test_ema_average_is_the_bias_corrected_moving_average():
    rng = np.random.RandomState(0)
    iterates = rng.normal(size=(7, 4))
    decay = 0.8
    average, ema = np.full(4, 123.0), np.zeros(4)  # the start value gets no weight
    for t, theta in enumerate(iterates, start=1):
        update_average(average, theta, EMA(decay=decay).weight(t))
        ema = decay * ema + (1 - decay) * theta
    assert_allclose(average, ema / (1 - decay**7), rtol=1e-12)


@pytest.mark.parametrize("name", ["adamw", "lion"])
def test_decoupled_decay_spares_the_non_weight_tail(name):
    optimizer = OPTIMIZERS.build(name, weight_decay=0.5)
    theta = np.ones(4)
    state = optimizer.init_state(theta, n_weights=2)
    optimizer.step(theta, np.zeros(4), state, 0.1)  # zero gradient: only the decay acts
    assert_allclose(theta, [0.95, 0.95, 1.0, 1.0])


def test_lion_has_the_papers_defaults_and_moves_every_coordinate_by_lr():
    from sknn.optimizers import Lion

    lion = OPTIMIZERS.get("lion")()
    assert isinstance(lion, Lion)
    assert (lion.learning_rate_init, lion.beta_1, lion.beta_2) == (1e-4, 0.9, 0.99)
    theta = np.array([1.0, -2.0, 0.5])
    state = lion.init_state(theta)
    for _ in range(3):
        before = theta.copy()
        lion.step(theta, np.array([3.0, -1e-6, 7.0]), state, 0.01)
        assert_allclose(np.abs(theta - before), 0.01, rtol=1e-12)
