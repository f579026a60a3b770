"""Plots for watching and checking a network (the notes' "babysitting" figures).

``plot_learning_curves`` draws the training and validation loss per epoch and,
when they were recorded, the training and validation scores (the gap between
them shows overfitting). ``plot_update_ratios`` draws each dense layer's
update-to-weight ratio per epoch on a log scale with the notes' 1e-3 guide
line. ``plot_activation_stats`` draws the per-layer means, standard deviations
and histograms of a ``sknn.diagnostics.activation_stats`` report, as in the
notes' initialization figure. ``plot_first_layer_weights`` shows the first
dense layer's weights as a grid of images (digits' 8x8).

The first two read an estimator's ``history_`` (a list of one dict per
epoch), or such a list itself; an estimator without ``history_`` (for example
scikit-learn's own ``MLPClassifier``) is read through ``loss_curve_`` and
``validation_scores_``. What was not recorded is not drawn, and the title or
legend says what is missing and how to record it.

Every function takes the Axes to draw on (``ax``, or ``axes``) and returns the
Axes it drew on; without them it makes a new figure with pyplot. matplotlib is
the ``plot`` extra: ``pip install "sknn[plot]"``.
"""

import math
from numbers import Integral

import numpy as np

try:
    import matplotlib  # noqa: F401  (only to fail early, with the extra's name)
except ImportError as error:  # pragma: no cover - exercised by blocking the import
    raise ImportError(
        'sknn.plotting needs matplotlib, which is the "plot" extra: '
        'pip install "sknn[plot]" (or pip install matplotlib)'
    ) from error

__all__ = [
    "HEALTHY_UPDATE_RATIO",
    "plot_activation_stats",
    "plot_first_layer_weights",
    "plot_learning_curves",
    "plot_update_ratios",
]

#: the notes' rule of thumb for the update-to-weight ratio
HEALTHY_UPDATE_RATIO = 1e-3


def __dir__():
    """Only the public names (and the module's dunders), for dir() and completion."""
    return sorted({*__all__, *(name for name in globals() if name.startswith("__"))})


def _pyplot():
    import matplotlib.pyplot as plt

    return plt


# ------------------------------------------------------------------ history
def _history(estimator_or_history):
    """The list of epoch records of an estimator, or the list itself."""
    source = estimator_or_history
    if isinstance(source, (list, tuple)):
        records = list(source)
    elif getattr(source, "history_", None) is not None:
        records = list(source.history_)
    elif getattr(source, "loss_curve_", None) is not None:
        # scikit-learn's MLP (or an sknn estimator from before history_)
        scores = getattr(source, "validation_scores_", None) or []
        records = [{"epoch": i, "loss": loss} for i, loss in enumerate(source.loss_curve_)]
        for record, score in zip(records, scores):
            record["val_score"] = score
    else:
        raise TypeError(
            "expected a fitted estimator (with history_ or loss_curve_) or a list of "
            f"per-epoch dicts, got {type(source).__name__}"
        )
    if not all(isinstance(record, dict) for record in records):
        raise TypeError("a history is a list of dicts, one per epoch")
    return records


def _series(records, key):
    """(epochs, values) of the records that have ``key`` (a missing or None value is skipped)."""
    epochs, values = [], []
    for i, record in enumerate(records):
        value = record.get(key)
        if value is None:
            continue
        epochs.append(record.get("epoch", i))
        values.append(float(value))
    return np.asarray(epochs), np.asarray(values, dtype=float)


def _missing_note(missing):
    return "not recorded: " + "; ".join(missing) if missing else ""


def plot_learning_curves(estimator_or_history, *, ax=None):
    """Plot the training and validation loss, and the scores, per epoch.

    The first Axes shows the training objective (``"loss"``) and, when a
    validation set was used, the validation loss (``"val_loss"``). When scores
    were recorded, a second Axes shows the training score (``"train_score"``,
    recorded with ``score_training=True``) and the validation score
    (``"val_score"``), with the gap between them shaded: a training score far
    above the validation score is overfitting, two low scores close together
    underfitting. Whatever was not recorded is named in the Axes' title.

    Parameters
    ----------
    estimator_or_history : estimator or list of dict
        A fitted estimator with ``history_`` (or, like scikit-learn's MLP, with
        ``loss_curve_`` and ``validation_scores_``), or a history: one dict
        per epoch with the keys ``"epoch"``, ``"loss"`` and optionally
        ``"val_loss"``, ``"val_score"`` and ``"train_score"``.
    ax : matplotlib Axes or sequence of two Axes, default=None
        Where to draw: the loss on the first Axes and the scores on the
        second. Given a single Axes, the scores go on its twin (a second y
        axis on the right). None makes a new figure with one Axes for the
        loss and, when scores exist, one for the scores.

    Returns
    -------
    axes : ndarray of matplotlib Axes
        ``axes[0]`` the loss; ``axes[1]`` the scores, present only when a
        score was recorded.
    """
    records = _history(estimator_or_history)
    loss = _series(records, "loss")
    val_loss = _series(records, "val_loss")
    train_score = _series(records, "train_score")
    val_score = _series(records, "val_score")
    has_scores = train_score[0].size > 0 or val_score[0].size > 0

    if ax is None:
        _, axes = _pyplot().subplots(
            1, 2 if has_scores else 1, figsize=(11 if has_scores else 6, 4), squeeze=False,
            layout="constrained",
        )
        loss_ax, score_ax = axes[0][0], (axes[0][1] if has_scores else None)
    elif np.iterable(ax):
        loss_ax, *rest = list(ax)
        score_ax = rest[0] if has_scores and rest else None
        if has_scores and score_ax is None:
            score_ax = loss_ax.twinx()
    else:
        loss_ax = ax
        score_ax = loss_ax.twinx() if has_scores else None

    loss_ax.plot(*loss, label="training loss")
    missing = []
    if val_loss[0].size:
        loss_ax.plot(*val_loss, label="validation loss")
    else:
        missing.append("validation loss (pass X_val, y_val or early_stopping=True)")
    loss_ax.set_xlabel("epoch")
    loss_ax.set_ylabel("loss")
    loss_ax.set_title("\n".join(filter(None, ["Loss", _missing_note(missing)])), fontsize=10)
    loss_ax.legend(loc="upper right")
    if score_ax is None:
        if not has_scores:
            loss_ax.set_title(
                loss_ax.get_title() + "\nno scores recorded (X_val/y_val, score_training=True)",
                fontsize=10,
            )
        return np.array([loss_ax], dtype=object)

    missing = []
    if train_score[0].size:
        score_ax.plot(*train_score, label="training score", color="C2")
    else:
        missing.append("training score (score_training=True)")
    if val_score[0].size:
        score_ax.plot(*val_score, label="validation score", color="C3")
    else:
        missing.append("validation score (pass X_val, y_val or early_stopping=True)")
    if train_score[0].size and val_score[0].size:
        epochs, i_train, i_val = np.intersect1d(
            train_score[0], val_score[0], return_indices=True
        )
        score_ax.fill_between(
            epochs, train_score[1][i_train], val_score[1][i_val],
            color="C3", alpha=0.15, label="gap (overfitting)",
        )
    score_ax.set_xlabel("epoch")
    score_ax.set_ylabel("score")
    score_ax.set_title(
        "\n".join(filter(None, ["Score", _missing_note(missing)])), fontsize=10
    )
    score_ax.legend(loc="lower right")
    return np.array([loss_ax, score_ax], dtype=object)


def plot_update_ratios(estimator_or_history, *, ax=None):
    """Plot each dense layer's update-to-weight ratio per epoch, on a log scale.

    The ratio is the norm of the epoch's parameter change over the norm of
    the weights (the history's ``"update_ratios"``, one value per dense layer
    in order, the output layer last). The notes' rule of thumb is about 1e-3,
    drawn as a dashed guide line: much lower and the learning rate is
    probably too low, much higher and it is probably too high.

    Parameters
    ----------
    estimator_or_history : estimator or list of dict
        A fitted estimator with ``history_``, or a history (one dict per epoch
        with ``"epoch"`` and ``"update_ratios"``). Epochs without
        ``"update_ratios"`` are skipped.
    ax : matplotlib Axes, default=None
        Where to draw; None makes a new figure.

    Returns
    -------
    ax : matplotlib Axes
    """
    records = _history(estimator_or_history)
    if ax is None:
        _, ax = _pyplot().subplots(figsize=(6, 4))
    epochs, ratios = [], []
    for i, record in enumerate(records):
        if record.get("update_ratios") is not None:
            epochs.append(record.get("epoch", i))
            ratios.append([float(r) for r in record["update_ratios"]])
    n_layers = max((len(r) for r in ratios), default=0)
    for layer in range(n_layers):
        values = [r[layer] if layer < len(r) else np.nan for r in ratios]
        label = f"dense {layer}" + (" (output)" if layer == n_layers - 1 and n_layers > 1 else "")
        ax.plot(epochs, values, marker="." if len(epochs) < 30 else None, label=label)
    ax.axhline(
        HEALTHY_UPDATE_RATIO, color="black", linestyle="--", linewidth=1,
        label=f"{HEALTHY_UPDATE_RATIO:g} (healthy)",
    )
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("||update|| / ||weights||")
    title = "Update-to-weight ratio per layer"
    if not n_layers:
        title += "\nnot recorded: the history has no update_ratios"
    ax.set_title(title, fontsize=10)
    ax.legend(loc="best", fontsize=8)
    return ax


# -------------------------------------------------------------- activations
def _layers(report):
    layers = getattr(report, "layers", report)
    if isinstance(layers, dict) or not np.iterable(layers):
        raise TypeError(
            "expected an activation_stats report (with .layers) or a list of per-layer dicts"
        )
    return list(layers)


def plot_activation_stats(report, *, axes=None, bins=50):
    """Plot the per-layer activation statistics and histograms of a report.

    As in the notes' initialization figure: the mean and the standard
    deviation of each hidden layer's activations against the layer, the
    fractions of saturated and dead units, and a histogram of each layer's
    activations (on one common range, so that a distribution collapsing
    towards 0 or piling up at +-1 shows from layer to layer).

    Parameters
    ----------
    report : activation_stats report or list of dict
        What ``sknn.diagnostics.activation_stats`` returns (its ``.layers``),
        or that list: one dict per hidden layer with the keys ``"layer"``,
        ``"activation"``, ``"mean"``, ``"std"``, ``"saturated"``, ``"dead"``
        and ``"values"`` (array of shape (n_rows, n_units)).
    axes : sequence of matplotlib Axes, default=None
        ``3 + n_layers`` Axes: the means, the standard deviations, the
        saturated and dead fractions, then one histogram per layer. None
        makes a new figure: the three summaries on the top row, the
        histograms below.
    bins : int, default=50
        Number of bins of each histogram.

    Returns
    -------
    axes : ndarray of matplotlib Axes
        In the order of ``axes``: means, stds, fractions, then the histograms.
    """
    layers = _layers(report)
    n = len(layers)
    if axes is None:
        plt = _pyplot()
        fig = plt.figure(figsize=(max(9.0, 1.5 * n), 6.5))
        grid = fig.add_gridspec(2, 3 * max(n, 1), hspace=0.55, wspace=0.6,
                                left=0.06, right=0.98, bottom=0.06, top=0.88)
        width = max(n, 1)
        summary = [fig.add_subplot(grid[0, i * width:(i + 1) * width]) for i in range(3)]
        histograms = [fig.add_subplot(grid[1, 3 * i:3 * (i + 1)]) for i in range(n)]
        axes = summary + histograms
    else:
        axes = list(axes)
        if len(axes) != 3 + n:
            raise ValueError(f"axes must hold 3 + n_layers = {3 + n} Axes, got {len(axes)}")
    mean_ax, std_ax, fraction_ax, *hist_axes = axes

    index = [layer.get("layer", i) for i, layer in enumerate(layers)]
    for summary_ax, key, title in (
        (mean_ax, "mean", "mean"), (std_ax, "std", "standard deviation")
    ):
        summary_ax.plot(index, [float(layer[key]) for layer in layers], marker="o", label=key)
        summary_ax.set_title(f"activation {title}", fontsize=10)
        summary_ax.set_xlabel("hidden layer")
    std_ax.set_ylim(bottom=0.0)
    for key, marker in (("saturated", "o"), ("dead", "s")):
        values = [float(layer.get(key, np.nan)) for layer in layers]
        fraction_ax.plot(index, values, marker=marker, label=key)
    fraction_ax.set_title("fraction saturated / dead", fontsize=10)
    fraction_ax.set_xlabel("hidden layer")
    fraction_ax.set_ylim(-0.05, 1.05)
    fraction_ax.legend(fontsize=8)

    values = [np.asarray(layer["values"], dtype=float).ravel() for layer in layers]
    finite = np.concatenate([v[np.isfinite(v)] for v in values]) if values else np.array([])
    low, high = (finite.min(), finite.max()) if finite.size else (-1.0, 1.0)
    if high <= low:
        low, high = low - 0.5, high + 0.5
    for hist_ax, layer, v, i in zip(hist_axes, layers, values, index):
        hist_ax.hist(v[np.isfinite(v)], bins=bins, range=(low, high), color="C0")
        hist_ax.set_title(
            f"layer {i} ({layer.get('activation', '?')})\nstd {float(layer['std']):.2g}",
            fontsize=8,
        )
        hist_ax.tick_params(labelsize=7)
        hist_ax.set_yticks([])
    return np.array(axes, dtype=object)


# ------------------------------------------------------------------ weights
def _image_shape(n_features, image_shape):
    if image_shape is None:
        side = math.isqrt(n_features)
        if side * side != n_features:
            raise ValueError(
                f"cannot infer a square image from {n_features} features: pass image_shape"
            )
        return side, side
    shape = tuple(int(s) for s in image_shape)
    if len(shape) != 2 or math.prod(shape) != n_features:
        raise ValueError(
            f"image_shape {tuple(image_shape)} is not (height, width) of {n_features} pixels"
        )
    return shape


def plot_first_layer_weights(estimator, *, image_shape=None, ax=None, max_units=None):
    """Show the first dense layer's weights as a grid of images, one per unit.

    Each unit's incoming weights (a column of ``coefs_[0]``) are reshaped to
    the input image's shape and laid out in a grid, one pixel of padding
    between tiles, on a diverging colormap centred at 0 and shared by all
    tiles. Smooth, varied patterns mean a network that has learnt features;
    noise means too little training or regularization.

    Parameters
    ----------
    estimator : fitted estimator
        An estimator with ``coefs_`` (sknn's or scikit-learn's MLP).
    image_shape : tuple (height, width), default=None
        The shape of an input image; None infers a square one (8x8 for the
        64 features of digits) and raises ValueError when the number of
        features is not a square.
    ax : matplotlib Axes, default=None
        Where to draw; None makes a new figure.
    max_units : int, default=None
        Show only the first ``max_units`` units; None shows all.

    Returns
    -------
    ax : matplotlib Axes
        Its image (``ax.images[0]``) holds the mosaic: tile ``k`` (row
        ``k // n_cols``, column ``k % n_cols``) is unit ``k``'s weights.
    """
    weights = np.asarray(estimator.coefs_[0], dtype=float)
    n_features, n_units = weights.shape
    if max_units is not None:
        if not isinstance(max_units, Integral) or max_units < 1:
            raise ValueError(f"max_units must be a positive integer, got {max_units!r}")
        n_units = min(n_units, int(max_units))
    height, width = _image_shape(n_features, image_shape)
    n_cols = math.ceil(math.sqrt(n_units))
    n_rows = math.ceil(n_units / n_cols)
    mosaic = np.full((n_rows * (height + 1) - 1, n_cols * (width + 1) - 1), np.nan)
    for k in range(n_units):
        r, c = divmod(k, n_cols)
        top, left = r * (height + 1), c * (width + 1)
        mosaic[top:top + height, left:left + width] = weights[:, k].reshape(height, width)
    if ax is None:
        size = (max(4.0, 0.6 * n_cols + 1.5), max(3.5, 0.6 * n_rows))
        _, ax = _pyplot().subplots(figsize=size)
    limit = float(np.abs(weights[:, :n_units]).max()) or 1.0
    image = ax.imshow(mosaic, cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label="weight")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(f"First-layer weights: {n_units} units, {height}x{width} each", fontsize=10)
    return ax
