"""The layer stack of a network using the tabular options (scale layer, NTP,
zero-initialized output, batched ensembles); ``_network.build_layers`` hands
such architectures here."""

from .activations import ACTIVATIONS, Activation, Parametric
from .layers import Dense, Dropout
from .numeric_embeddings import PeriodicEmbedding
from .shared_ensemble import SharedEnsembleDense
from .tabular_layers import EnsembleDense, ScaleLayer, TabularDense

#: architecture keys of the tabular options and their neutral values
TABULAR_KEYS = {"input_scale": False, "parametrization": "standard", "output_init": "default",
                "n_members": 1, "numeric_embedding": None, "data_init": False,
                "member_weights": "independent", "embedded_features": None}


def activation_component(activation):
    """The nonlinearity component of ``activation`` (a registered name or a component)."""
    return ACTIVATIONS.get(activation)() if isinstance(activation, str) else activation


def stacks_members(activation):
    """Whether batched ensemble members can share this nonlinearity's layer type: an
    element-wise activation, or a parametric one (one mix per member and unit)."""
    return isinstance(activation, (Activation, Parametric))


def uses_tabular_layers(arch):
    """Whether ``arch`` sets any tabular option away from its neutral value."""
    return any(arch.get(key, neutral) != neutral for key, neutral in TABULAR_KEYS.items())


def build_tabular_layers(arch):
    """The layers of ``arch`` (see ``_network.build_layers``) with the tabular options.

    ``[PeriodicEmbedding] -> [ScaleLayer] -> [Dropout] -> (Dense -> nonlinearity
    -> [Dropout])* -> Dense``
    with ``TabularDense`` (one member) or ``EnsembleDense`` (``n_members`` > 1)
    for every dense layer; with ``member_weights='shared'`` the hidden ones are
    ``SharedEnsembleDense`` (TabM) and the members share the embedding.

    Parameters
    ----------
    arch : dict
        As for ``build_layers``, plus ``input_scale`` (bool),
        ``parametrization`` ('standard' or 'ntp'), ``output_init``
        ('default' or 'zeros'), ``n_members`` (int >= 1),
        ``numeric_embedding`` (None, 'pbld' or 'plr'), ``embedded_features``
        (the columns it embeds: a tuple of indices, or None for all; with
        none the embedding is left out), ``data_init`` (bool) and
        ``member_weights`` ('independent' or 'shared').

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

    shared = m > 1 and arch.get("member_weights", "independent") == "shared"
    embedding = arch.get("numeric_embedding")
    columns = arch.get("embedded_features")
    if columns is not None and len(columns) == 0:
        embedding = None

    def dense(n_in, n_out, zero_init=False, output=False):
        if shared and not output:
            # TabM: the first input adapter is drawn (per embedded feature), the others are 1
            first = not any(isinstance(layer, Dense) for layer in layers)
            first_adapter = None if not first else "normal" if embedding else "random-signs"
            section = _embedding_sections(layers[0]) if first and embedding else 1
            return SharedEnsembleDense(n_in, n_out, m, ntp=ntp, first_adapter=first_adapter,
                                       section=section)
        if m > 1:
            return EnsembleDense(n_in, n_out, m, ntp=ntp, zero_init=zero_init)
        return TabularDense(n_in, n_out, ntp=ntp, zero_init=zero_init)

    layers = []
    n_in = arch["n_features"]
    if embedding is not None:
        # with shared member weights the members share the embedding too (TabM)
        layers.append(PeriodicEmbedding(n_in, embedding, n_members=1 if shared else m,
                                        columns=columns))
        n_in = layers[-1].n_out
    if arch.get("input_scale", False):
        layers.append(ScaleLayer(n_in, m))
    if arch.get("input_dropout", 0.0) > 0:
        layers.append(Dropout(n_in, arch["input_dropout"]))
    for units, activation, rate in zip(sizes, arch["activations"], dropout):
        activation = activation_component(activation)
        if isinstance(activation, Parametric):
            nonlinearity = activation.make_layer(units, n_members=m)
        elif m > 1 and not stacks_members(activation):
            raise ValueError(
                f"n_members > 1 needs element-wise or parametric activations; "
                f"{activation!r} has parameters of its own per unit."
            )
        else:
            nonlinearity = activation.make_layer(units)
        layers.append(dense(n_in, nonlinearity.n_in))
        layers.append(nonlinearity)
        if rate > 0:
            layers.append(Dropout(units, rate))
        n_in = units
    layers.append(dense(n_in, arch["n_outputs"], arch.get("output_init") == "zeros", output=True))
    return layers


def _embedding_sections(embedding):
    """The column groups of an embedding's output: one per feature, embedded or not."""
    n_rest = embedding.n_in - embedding.n_embedded
    return [embedding.d_embedding] * embedding.n_embedded + [1] * n_rest
