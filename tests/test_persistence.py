"""Saving and loading with skops.io (sknn.persistence), pickle and the version stamp."""

import importlib
import io
import pickle
import warnings

import joblib
import numpy as np
import pytest
import skops.io
from numpy.testing import assert_array_equal
from sklearn.base import BaseEstimator
from sklearn.metrics import f1_score, make_scorer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import sknn
from sknn import MLPClassifier, MLPRegressor, TabularMLPClassifier, TabularMLPRegressor, persistence
from sknn._registry import REGISTRIES
from sknn.activations import LeakyReLU, Maxout, PReLU
from sknn.averaging import EMA
from sknn.initializers import GlorotUniform
from sknn.losses import Huber
from sknn.optimizers import OPTIMIZERS, Adam, Genetic
from sknn.persistence import InconsistentVersionWarning, UntrustedTypesError
from sknn.schedules import Step

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

rng = np.random.RandomState(0)
X = rng.randn(40, 4)
Y_MULTILABEL = (X[:, :3] > 0).astype(int)
TARGETS = {
    "binary": (X[:, 0] > 0).astype(int),
    "multiclass": np.array(["ant", "bee", "cat", "dog"])[np.arange(40) % 4],
    "multilabel": Y_MULTILABEL,
    "continuous": X[:, 0] - 2 * X[:, 1],
    "multioutput": X[:, :2] * [1.0, -3.0],
}

CLASSIFIER_CONFIGS = {
    **{f"solver={name}": dict(solver=name) for name in OPTIMIZERS.names(aliases=False)},
    "batch_norm+dropout": dict(batch_norm=True, dropout=0.2, input_dropout=0.1),
    "prelu": dict(activation="prelu"),
    "maxout": dict(activation=Maxout(pieces=3)),
    "per-layer activations": dict(hidden_layer_sizes=(4, 3), activation=[PReLU(), "tanh"]),
    "ema+batch_norm": dict(averaging="ema", batch_norm=True),
    "polyak+early_stopping": dict(averaging="polyak", early_stopping=True),
    "hinge": dict(loss="hinge"),
    "components": dict(solver=Adam(beta_2=0.99), learning_rate=Step(factor=0.5, step_size=2),
                       activation=LeakyReLU(negative_slope=0.2), weight_init=GlorotUniform(),
                       averaging=EMA(decay=0.9)),
    "genetic object": dict(solver=Genetic(population_size=6)),
    "class_weight": dict(class_weight="balanced"),
    "class_weight dict": dict(class_weight={0: 1.0, 1: 3.0}),
    "l1+max_norm+plateau": dict(solver="sgd", l1=1e-3, max_norm=2.0, learning_rate="plateau"),
    "float32": dict(),
    "dtype=float32": dict(dtype="float32"),
    "scoring name": dict(early_stopping=True, scoring="f1"),
}
REGRESSOR_CONFIGS = {
    **{f"loss={name}": dict(loss=name) for name in REGISTRIES["loss"].names(aliases=False)
       if REGISTRIES["loss"].get(name).task == "regression"},
    "huber object": dict(loss=Huber(delta=0.5), solver="lbfgs"),
    "batch_norm+polyak": dict(batch_norm=True, averaging="polyak"),
}


def fitted(cls, params, target):
    est = cls(hidden_layer_sizes=params.pop("hidden_layer_sizes", (5,)), max_iter=3,
              random_state=0, batch_size=16, **params)
    X_fit = X.astype(np.float32) if "float32" in str(params) else X
    y = TARGETS[target]
    if target == "continuous" and est.loss == "poisson":
        y = np.exp(y / 4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return est.fit(X_fit, y), X_fit, y


def cases():
    for name, params in CLASSIFIER_CONFIGS.items():
        target = "binary" if "class_weight" in name or "scoring" in name else "multiclass"
        yield pytest.param(MLPClassifier, params, target, id=f"clf-{name}")
    yield pytest.param(MLPClassifier, dict(), "multilabel", id="clf-multilabel")
    for name, params in REGRESSOR_CONFIGS.items():
        yield pytest.param(MLPRegressor, params, "continuous", id=f"reg-{name}")
    yield pytest.param(MLPRegressor, dict(), "multioutput", id="reg-multioutput")
    yield pytest.param(TabularMLPClassifier, dict(), "multiclass", id="tabular-clf")
    yield pytest.param(TabularMLPClassifier, dict(n_members=2), "binary", id="tabular-clf-members")
    yield pytest.param(TabularMLPRegressor, dict(n_members=2, member_validation="own"),
                       "continuous", id="tabular-reg-own-member-splits")
    yield pytest.param(TabularMLPRegressor, dict(), "continuous", id="tabular-reg")


def outputs(est, X):
    methods = ["predict", "predict_proba", "decision_function"]
    return [getattr(est, m)(X) for m in methods if hasattr(est, m)]


def continue_training(est, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        balanced = est.get_params().get("class_weight") == "balanced"
        if hasattr(est, "partial_fit") and not est.early_stopping and not balanced:
            return est.partial_fit(X, y).theta_
        return est.set_params(warm_start=True).fit(X, y).theta_


def roundtrip(est):
    return persistence.load(io.BytesIO(skops.io.dumps(est)))


@pytest.mark.parametrize("cls, params, target", list(cases()))
def test_skops_round_trip_trusts_only_sknn_types_and_continues(cls, params, target):
    est, X_fit, y = fitted(cls, dict(params), target)
    data = skops.io.dumps(est)
    assert set(skops.io.get_untrusted_types(data=data)) <= set(persistence.trusted_types())
    restored = skops.io.loads(data, trusted=persistence.trusted_types())
    for before, after in zip(outputs(est, X_fit), outputs(restored, X_fit)):
        assert_array_equal(before, after)
    assert_array_equal(continue_training(est, X_fit, y), continue_training(restored, X_fit, y))


@pytest.mark.parametrize("cls, params, target", list(cases()))
def test_pickle_and_joblib_round_trips_are_identical(cls, params, target, tmp_path):
    est, X_fit, y = fitted(cls, dict(params), target)
    joblib.dump(est, tmp_path / "model.joblib")
    for restored in (pickle.loads(pickle.dumps(est)), joblib.load(tmp_path / "model.joblib")):
        for before, after in zip(outputs(est, X_fit), outputs(restored, X_fit)):
            assert_array_equal(before, after)
    assert_array_equal(continue_training(pickle.loads(pickle.dumps(est)), X_fit, y),
                       continue_training(est, X_fit, y))


def plain_violations(obj, path="est"):
    """Where ``obj`` holds something else than arrays (owning their data),
    numbers, strings, containers and estimators or components' attributes."""
    if obj is None or isinstance(obj, (bool, int, float, str, np.generic)):
        return []
    if isinstance(obj, np.ndarray):
        return [f"{path}: a view"] if obj.base is not None or obj.dtype == object else []
    if isinstance(obj, (list, tuple)):
        return [v for i, item in enumerate(obj) for v in plain_violations(item, f"{path}[{i}]")]
    if isinstance(obj, dict):
        return [v for k, item in obj.items() for v in plain_violations(item, f"{path}[{k!r}]")]
    if isinstance(obj, BaseEstimator):
        return plain_violations(obj.__getstate__(), path)
    return [f"{path}: {type(obj).__name__}"]


@pytest.mark.parametrize("cls, params, target", list(cases()))
def test_fitted_state_is_plain(cls, params, target):
    est, _, _ = fitted(cls, dict(params), target)
    assert plain_violations(est) == []


def test_plain_state_check_finds_functions_and_views():
    est, _, _ = fitted(MLPClassifier, dict(), "binary")
    est.training_state_["leak"] = [est.theta_[:2], len]
    assert plain_violations(est) == [
        "est['training_state_']['leak'][0]: a view",
        "est['training_state_']['leak'][1]: builtin_function_or_method",
    ]


def test_dump_and_load_through_a_path_and_a_pipeline(tmp_path):
    pipe = make_pipeline(StandardScaler(), MLPClassifier((4,), max_iter=3, random_state=0))
    pipe.fit(X, TARGETS["multiclass"])
    persistence.dump(pipe, tmp_path / "pipe.skops")
    assert_array_equal(persistence.load(tmp_path / "pipe.skops").predict_proba(X),
                       pipe.predict_proba(X))


def test_skops_without_trust_refuses_the_model():
    est, _, _ = fitted(MLPClassifier, dict(solver=Adam(beta_2=0.99)), "binary")
    with pytest.raises(skops.io.exceptions.UntrustedTypesFoundException, match="sknn"):
        skops.io.loads(skops.io.dumps(est))


def record_nothing(estimator, record):
    return None


def test_a_user_callback_is_not_trusted_and_the_error_says_why():
    est, _, _ = fitted(MLPClassifier, dict(callbacks=[record_nothing]), "binary")
    with pytest.raises(UntrustedTypesError) as info:
        roundtrip(est)
    name = f"{__name__}.record_nothing"
    assert info.value.types == [name]
    message = str(info.value)
    assert f"{name} at MLPClassifier.callbacks[0]: a user callback is code" in message
    assert f"trusted={[name]!r}" in message
    restored = persistence.load(io.BytesIO(skops.io.dumps(est)), trusted=[name])
    assert restored.callbacks == [record_nothing]


def test_a_custom_scorer_is_not_trusted_and_the_error_names_it():
    est, _, _ = fitted(MLPClassifier, dict(early_stopping=True, scoring=make_scorer(f1_score)),
                       "binary")
    match = r"at MLPClassifier\.scoring: a custom scorer"
    with pytest.raises(UntrustedTypesError, match=match) as info:
        roundtrip(est)
    assert "sklearn.metrics._classification.f1_score" in info.value.types
    restored = persistence.load(io.BytesIO(skops.io.dumps(est)), trusted=info.value.types)
    assert_array_equal(restored.predict(X), est.predict(X))


def test_trusted_types_are_every_sknn_component_under_a_public_name():
    names = persistence.trusted_types()
    assert {"sknn.MLPClassifier", "sknn.MLPRegressor", "sknn.optimizers.Adam",
            "sknn.activations.PReLU", "sknn.activations.Maxout", "sknn.losses.Huber"} <= set(names)
    registered = {f"{c.__module__}.{c.__qualname__}"
                  for r in REGISTRIES.values() for _, c in r.items()}
    assert registered <= set(names)
    for name in names:
        module, _, attr = name.rpartition(".")
        assert not any(part.startswith("_") for part in module.split(".")), name
        assert isinstance(getattr(importlib.import_module(module), attr), type), name


# ------------------------------------------------------------ the version stamp
def test_the_fitted_state_carries_the_version_and_drops_it_on_load():
    est, _, _ = fitted(MLPClassifier, dict(), "binary")
    state = est.__getstate__()
    assert state["_sknn_version"] == sknn.__version__
    assert state["_sknn_state_format"] == persistence.STATE_FORMAT
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        restored = pickle.loads(pickle.dumps(est))
    assert "_sknn_version" not in restored.__dict__


def older(est, version, **changes):
    state = est.__getstate__()
    state["_sknn_version"] = version
    for key, value in changes.items():
        if value is None:
            state.pop(key)
        else:
            state[key] = value
    new = type(est).__new__(type(est))
    new.__setstate__(state)
    return new


def test_a_model_of_another_version_with_the_same_format_loads_with_a_warning():
    est, _, _ = fitted(MLPClassifier, dict(), "binary")
    with pytest.warns(InconsistentVersionWarning,
                      match=f"saved by sknn 0.0.9 with sknn {sknn.__version__}"):
        restored = older(est, "0.0.9")
    assert_array_equal(restored.predict_proba(X), est.predict_proba(X))


@pytest.mark.parametrize("changes, detail", [
    (dict(_sknn_state_format=0), "format 0,"),
    (dict(training_state_=None), "it lacks ['training_state_']"),
])
def test_a_model_of_another_format_fails_naming_both_versions(changes, detail):
    est, _, _ = fitted(MLPClassifier, dict(), "binary")
    with pytest.raises(ValueError, match="saved by sknn 0.0.1") as info:
        older(est, "0.0.1", **changes)
    assert f"sknn {sknn.__version__} reads format {persistence.STATE_FORMAT}" in str(info.value)
    assert detail in str(info.value)


def test_an_unstamped_model_loads_with_a_warning_naming_the_unknown_version():
    est, _, _ = fitted(MLPRegressor, dict(), "continuous")
    with pytest.warns(InconsistentVersionWarning, match="unknown version"):
        restored = older(est, None, _sknn_version=None, _sknn_state_format=None)
    assert_array_equal(restored.predict(X), est.predict(X))


def test_a_skops_file_of_another_version_warns(monkeypatch):
    est, _, _ = fitted(MLPClassifier, dict(), "binary")
    monkeypatch.setattr(sknn, "__version__", "0.0.9")
    data = skops.io.dumps(est)
    monkeypatch.undo()
    with pytest.warns(InconsistentVersionWarning, match="0.0.9"):
        restored = persistence.load(io.BytesIO(data))
    assert_array_equal(restored.predict(X), est.predict(X))
