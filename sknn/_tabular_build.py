"""The layer stack of a network using the tabular options (scale layer, NTP,
zero-initialized output, batched ensembles); ``_network.build_layers`` hands
such architectures here."""

from .activations import ACTIVATIONS, Activation
from .layers import Dropout
from .tabular_layers import EnsembleDense, ScaleLayer, TabularDense

#: architecture keys of the tabular options and their neutral values
TABULAR_KEYS = {"input_scale": False, "parametrization": "standard", "output_init": "default",
                "n_members": 1}


def uses_tabular_layers(arch):
    """Whether ``arch`` sets any tabular option away from its neutral value."""
    return any(arch.get(key, neutral) != neutral for key, neutral in TABULAR_KEYS.items())


def build_tabular_layers(arch):
    """The layers of ``arch`` (see ``_network.build_layers``) with the tabular options.

    ``[ScaleLayer] -> [Dropout] -> (Dense -> nonlinearity -> [Dropout])* -> Dense``
    with ``TabularDense`` (one member) or ``EnsembleDense`` (``n_members`` > 1)
    for every dense layer.

    Parameters
    ----------
    arch : dict
        As for ``build_layers``, plus ``input_scale`` (bool),
        ``parametrization`` ('standard' or 'ntp'), ``output_init``
        ('default' or 'zeros') and ``n_members`` (int >= 1).

    Returns
    -------
    list of Layer

    Raises
    ------
    ValueError
        For batch norm with ``n_members`` > 1, or a nonlinearity that is not
        element-wise (PReLU, Maxout) with ``n_members`` > 1.
    """
    m = int(arch.get("n_members", 1))
    ntp = arch.get("parametrization", "standard") == "ntp"
    sizes = arch["hidden_layer_sizes"]
    batch_norm = arch.get("batch_norm", (False,) * len(sizes))
    dropout = arch.get("dropout", (0.0,) * len(sizes))
    if any(batch_norm):
        raise ValueError(
            "batch_norm is not available with input_scale, parametrization='ntp', "
            "output_init='zeros' or n_members > 1."
        )

    def dense(n_in, n_out, zero_init=False):
        if m > 1:
            return EnsembleDense(n_in, n_out, m, ntp=ntp, zero_init=zero_init)
        return TabularDense(n_in, n_out, ntp=ntp, zero_init=zero_init)

    layers = []
    n_in = arch["n_features"]
    if arch.get("input_scale", False):
        layers.append(ScaleLayer(n_in, m))
    if arch.get("input_dropout", 0.0) > 0:
        layers.append(Dropout(n_in, arch["input_dropout"]))
    for units, activation, rate in zip(sizes, arch["activations"], dropout):
        if isinstance(activation, str):
            activation = ACTIVATIONS.get(activation)()
        if m > 1 and not isinstance(activation, Activation):
            raise ValueError(
                f"n_members > 1 needs element-wise activations; {activation!r} has "
                "parameters of its own per unit."
            )
        nonlinearity = activation.make_layer(units)
        layers.append(dense(n_in, nonlinearity.n_in))
        layers.append(nonlinearity)
        if rate > 0:
            layers.append(Dropout(units, rate))
        n_in = units
    layers.append(dense(n_in, arch["n_outputs"], arch.get("output_init") == "zeros"))
    return layers
