import pytest

from sknn._registry import Registry
from sknn.activations import ACTIVATIONS
from sknn.initializers import INITIALIZERS
from sknn.losses import LOSSES
from sknn.optimizers import OPTIMIZERS
from sknn.schedules import SCHEDULES


def make_registry():
    reg = Registry("widget")

    @reg.register("alpha", aliases=("a",))
    class Alpha:
        def __init__(self, size=1):
            self.size = size

    return reg, Alpha


def test_get_resolves_names_and_aliases():
    reg, Alpha = make_registry()
    assert reg.get("alpha") is Alpha
    assert reg.get("a") is Alpha
    assert reg.canonical("a") == "alpha"
    assert reg.names() == ("a", "alpha")
    assert reg.names(aliases=False) == ("alpha",)


def test_unknown_name_lists_valid_options():
    reg, _ = make_registry()
    with pytest.raises(ValueError, match=r"Unknown widget 'beta'. Valid options: \['a', 'alpha'\]"):
        reg.get("beta")
    with pytest.raises(ValueError, match="must be given by name"):
        reg.get(3)


def test_duplicate_registration_is_refused():
    reg, _ = make_registry()
    with pytest.raises(ValueError, match="already registered"):
        reg.register("a")(object)


def test_build_passes_only_accepted_options():
    reg, Alpha = make_registry()
    built = reg.build("a", size=5, unrelated="ignored")
    assert isinstance(built, Alpha) and built.size == 5


@pytest.mark.parametrize(
    "registry, expected",
    [
        (ACTIVATIONS, {"identity", "logistic", "sigmoid", "tanh", "relu", "leaky_relu",
                       "elu", "selu", "gelu", "softplus", "swish", "silu"}),
        (INITIALIZERS, {"zeros", "normal", "uniform", "lecun_normal", "lecun_uniform",
                        "glorot_normal", "glorot_uniform", "xavier_normal", "xavier_uniform",
                        "he_normal", "he_uniform", "orthogonal", "sparse", "sklearn"}),
        (LOSSES, {"log_loss", "hinge", "squared_error", "absolute_error", "huber", "poisson"}),
        (OPTIMIZERS, {"sgd", "adam"}),
        (SCHEDULES, {"constant", "invscaling", "adaptive"}),
    ],
)
def test_registries_offer_the_documented_names(registry, expected):
    assert expected <= set(registry.names())
