"""``weight_decay_factors``: AdamW's decoupled decay per parameter role (RealMLP-TD
decays everything but the biases)."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sknn import MLPRegressor, TabularMLPClassifier, TabularMLPRegressor
from sknn._params import ParamLayout, ParamSpec
from sknn.optimizers import AdamW
from sknn.parametric_activation import ParametricActivationLayer
from sknn.tabular import LR_FACTORS, WEIGHT_DECAY_FACTORS

LAYOUT = ParamLayout([
    [ParamSpec("scale", (3,), "input_scale", 1.0)],
    [ParamSpec("W", (3, 4)), ParamSpec("b", (4,), "bias")],
    [ParamSpec("mix", (4,), "activation", 1.0)],
    [ParamSpec("W", (4, 1)), ParamSpec("b", (1,), "bias")],
])


def one_step_with_zero_gradient(factors, lr=0.5, weight_decay=0.1, dtype=np.float64):
    solver = AdamW(weight_decay=weight_decay)
    if factors is not None:
        solver.decay_by_role(LAYOUT, factors)
    theta = np.ones(LAYOUT.size, dtype=dtype)
    state = solver.init_state(theta, LAYOUT.n_weights)
    solver.step(theta, np.zeros_like(theta), state, lr)  # Adam's own update is 0
    return {slot.role: theta[slot.start:slot.stop] for slot in LAYOUT.slots}


@settings(max_examples=40, deadline=None)
@given(weight=st.floats(0, 2), scale=st.floats(0, 8), mix=st.floats(0, 1))
def test_each_role_shrinks_by_its_own_factor(weight, scale, mix):
    after = one_step_with_zero_gradient({"weight": weight, "input_scale": scale,
                                         "activation": mix})
    np.testing.assert_allclose(after["weight"], 1 - 0.05 * weight, rtol=1e-14)
    np.testing.assert_allclose(after["input_scale"], 1 - 0.05 * scale, rtol=1e-14)
    np.testing.assert_allclose(after["activation"], 1 - 0.05 * mix, rtol=1e-14)
    assert (after["bias"] == 1).all()  # unlisted non-weight roles are not decayed


def test_unlisted_roles_give_the_plain_rule_bitwise():
    plain = one_step_with_zero_gradient(None, dtype=np.float32)
    listed = one_step_with_zero_gradient({"weight": 1.0}, dtype=np.float32)
    for role in plain:
        assert np.array_equal(plain[role], listed[role])
    assert (plain["weight"] == np.float32(1 - 0.05)).all() and (plain["activation"] == 1).all()


def mixes(est):
    return np.concatenate([layer.params["mix"].ravel() for layer in est._network().layers
                           if isinstance(layer, ParametricActivationLayer)])


@pytest.mark.parametrize("lr_factor", [1.0, 0.1])
def test_activation_mixes_decay_at_lr_times_weight_decay_times_both_factors(lr_factor):
    # one full-batch step; the gradient is the same in both fits (taken before the
    # update), so the mixes differ by exactly the decay: lr * wd * factor * lr_factor
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(20, 3)), rng.normal(size=20)
    fits = []
    for factors in (None, {"activation": 0.2}):
        est = MLPRegressor(hidden_layer_sizes=(6,), activation="parametric_mish",
                           solver=AdamW(learning_rate_init=0.01, weight_decay=0.5),
                           weight_decay_factors=factors, lr_factors={"activation": lr_factor},
                           batch_size=20, max_iter=1, dtype="float64", random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fits.append(mixes(est.fit(X, y)))
    np.testing.assert_allclose(fits[0] - fits[1], 0.01 * 0.5 * 0.2 * lr_factor * 1.0,
                               rtol=1e-9)


def test_tabular_defaults_decay_every_role_but_the_biases_as_realmlp_td():
    for cls in (TabularMLPClassifier, TabularMLPRegressor):
        assert cls().weight_decay_factors == WEIGHT_DECAY_FACTORS
    # pytabkit's coefficient is lr * wd * (lr factor * wd factor)^2 with wd factor 1:
    # AdamW's factor times the lr factor applied after it gives that square
    lr_factors, factors = dict(LR_FACTORS), dict(WEIGHT_DECAY_FACTORS)
    for role in ("input_scale", "activation", "embedding"):
        assert factors[role] * lr_factors[role] == pytest.approx(lr_factors[role] ** 2)
    assert "bias" not in factors


def test_weight_decay_factors_need_adamw():
    est = MLPRegressor(hidden_layer_sizes=(3,), solver="adam", weight_decay_factors={"bias": 1.0},
                       max_iter=1)
    with pytest.raises(ValueError, match="weight_decay_factors needs solver='adamw'"):
        est.fit(np.zeros((5, 2)), np.zeros(5))


def test_weight_decay_factors_are_checked():
    est = MLPRegressor(hidden_layer_sizes=(3,), solver="adamw",
                       weight_decay_factors={"bias": -1.0}, max_iter=1)
    with pytest.raises(ValueError, match=r"weight_decay_factors\['bias'\] must be"):
        est.fit(np.zeros((5, 2)), np.zeros(5))
