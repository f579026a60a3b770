"""Babysitting a run with the update-to-weight ratio (the notes' 1e-3 rule)
=========================================================================

The notes watch, besides the loss, the ratio of the size of the parameter
updates to the size of the weights: about 1e-3 is healthy, much lower means
the learning rate is probably too low, much higher too high. sknn records it
per dense layer and per epoch in ``history_`` (``"update_ratios"``: the norm of
the epoch's parameter change over the norm of the weights).

The script trains two hidden layers of 100 ReLU units (plain SGD, mini-batches
of 64) on the standardized digits data at three learning rates, watching the
validation set, prints each epoch's loss, validation accuracy and ratios as a
babysitter would see them, and each run's median ratio per layer over its
first 5 epochs with the verdict: "too low" under 1e-4, "too high" over 1e-1,
else "healthy" (an epoch's ratio sums about 20 mini-batch updates, so it sits
above the notes' per-update 1e-3 when the updates agree). At 2.0 the loss
stalls near chance and the second hidden layer's ReLU units all die: the
ratios then fall, which is why the verdict looks at the first epochs. It saves
``update_ratios_lr_<rate>.png`` (``sknn.plotting.plot_update_ratios``) for
each run, and for the healthy one ``learning_curves.png`` and
``first_layer_weights.png`` (the first layer's 100 units as 8x8 images).

Run ``python examples/babysitting_update_ratios.py`` (about 3 s);
``--quick`` trains 8 epochs instead of 25, ``--out DIR`` chooses where the
figures go (a new temporary folder by default).
"""

import warnings

import _common  # the command line; selects matplotlib's Agg backend
import numpy as np

from sknn import MLPClassifier
from sknn.plotting import plot_first_layer_weights, plot_learning_curves, plot_update_ratios

LEARNING_RATES = (1e-5, 0.1, 2.0)
TOO_LOW, TOO_HIGH = 1e-4, 1e-1
EARLY_EPOCHS = 5


def verdict(ratio):
    if not np.isfinite(ratio) or ratio > TOO_HIGH:
        return "too high"
    return "too low" if ratio < TOO_LOW else "healthy"


def run(max_iter=25, random_state=0):
    """{learning rate: fitted estimator}."""
    X_train, X_val, y_train, y_val = _common.digits_split(random_state)
    runs = {}
    for rate in LEARNING_RATES:
        est = MLPClassifier(
            (100, 100), solver="sgd", momentum=0.0, learning_rate_init=rate, batch_size=64,
            max_iter=max_iter, n_iter_no_change=max_iter + 1, random_state=random_state,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the convergence and divergence warnings
            est.fit(X_train, y_train, X_val=X_val, y_val=y_val)
        runs[rate] = est
    return runs


def median_ratios(est, epochs=EARLY_EPOCHS):
    """Median ratio per layer over the first ``epochs`` epochs (the ones a babysitter watches)."""
    return np.median([r["update_ratios"] for r in est.history_[:epochs]], axis=0)


def report_text(runs):
    lines = []
    for rate, est in runs.items():
        lines.append(f"learning rate {rate:g}:")
        lines.append("  epoch  loss      val acc  update ratios (dense 0, 1, output)")
        for r in est.history_:
            ratios = " ".join(f"{v:.1e}" for v in r["update_ratios"])
            lines.append(f"  {r['epoch']:>5}  {r['loss']:<8.4g}  {r['val_score']:.3f}    {ratios}")
        if not est.history_:
            lines.append(f"  learning rate {rate:g}: diverged in its first epoch -> too high")
            continue
        medians = median_ratios(est)
        lines.append(
            f"  learning rate {rate:g}: median ratios over epochs 0-{EARLY_EPOCHS - 1} "
            + " ".join(f"{v:.1e}" for v in medians)
            + f" -> {verdict(float(np.median(medians)))}; "
            f"final validation accuracy {est.history_[-1]['val_score']:.3f}"
        )
    return "\n".join(lines)


def save_figures(runs, out):
    paths = []
    for rate, est in runs.items():
        ax = plot_update_ratios(est)
        ax.set_title(f"{ax.get_title()}, learning rate {rate:g}", fontsize=10)
        paths.append(_common.save(ax.figure, out / f"update_ratios_lr_{rate:g}.png"))
    healthy = runs[LEARNING_RATES[1]]
    axes = plot_learning_curves(healthy)
    paths.append(_common.save(axes[0].figure, out / "learning_curves.png"))
    ax = plot_first_layer_weights(healthy)
    paths.append(_common.save(ax.figure, out / "first_layer_weights.png"))
    return paths


def compute(quick, out):
    runs = run(max_iter=8 if quick else 25)
    text = "Digits, MLPClassifier((100, 100), solver='sgd', batch_size=64): update ratios\n"
    return text + report_text(runs), save_figures(runs, out), runs


def main(argv=None):
    return _common.main(__doc__, "8 epochs (for CI)", compute, argv)


if __name__ == "__main__":
    main()
