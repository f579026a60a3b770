"""Batch normalization widens the range of learning rates that train well
=======================================================================

The notes claim that batch normalization makes a network robust to the
learning rate and to the weight initialization. This script measures it on
the bundled digits data: the same MLPClassifier (three hidden ReLU layers of
100 units, SGD with momentum 0.9, mini-batches of 128, 15 epochs) is trained
with and without ``batch_norm=True`` over learning rates from 0.001 to 3, for
several seeds, once with He initialization (``weight_init='auto'``) and once with the
notes' "small random numbers" (``weight_init='normal'``, 0.01 * N(0, 1)).

For every setting it prints the mean test accuracy (prediction uses the
running statistics), the mean final training loss, and how many seeds
diverged (the loss became non-finite or exploded and sknn stopped the fit). A learning
rate counts as *stable* when no seed diverged and every seed reaches a test
accuracy of at least 0.9.

Run it with ``python examples/batch_norm_learning_rates.py`` (about 30 s on
one core); ``--help`` lists the options.
"""

import warnings

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from sknn import DivergenceError, MLPClassifier

LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
STABLE_ACCURACY = 0.9


def load_split(random_state=0):
    """Digits, split 75/25 (stratified) and standardized on the training part."""
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=random_state
    )
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def fit_once(data, **params):
    """(test accuracy, final training loss), or None when the fit diverged."""
    X_train, X_test, y_train, y_test = data
    estimator = MLPClassifier(**params)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            estimator.fit(X_train, y_train)
        except DivergenceError:
            return None
    if any("diverg" in str(w.message).lower() for w in caught) or not np.isfinite(estimator.loss_):
        return None
    return estimator.score(X_test, y_test), estimator.loss_


def run(
    learning_rates=LEARNING_RATES,
    weight_inits=("auto", "normal"),
    seeds=(0, 1, 2),
    hidden_layer_sizes=(100, 100, 100),
    max_iter=15,
    batch_size=128,
):
    """Train every combination; one row per (weight_init, learning rate, batch_norm).

    Returns
    -------
    rows : list of dict
        Keys ``weight_init``, ``learning_rate``, ``batch_norm``, ``accuracies``
        and ``losses`` (one entry per seed that did not diverge) and
        ``diverged`` (number of seeds that did).
    """
    data = load_split()
    rows = []
    for weight_init in weight_inits:
        for lr in learning_rates:
            for batch_norm in (False, True):
                results = [
                    fit_once(
                        data,
                        hidden_layer_sizes=hidden_layer_sizes,
                        solver="sgd",
                        momentum=0.9,
                        learning_rate_init=lr,
                        batch_size=batch_size,
                        max_iter=max_iter,
                        n_iter_no_change=max_iter,  # every fit runs all its epochs
                        weight_init=weight_init,
                        batch_norm=batch_norm,
                        random_state=seed,
                    )
                    for seed in seeds
                ]
                finished = [r for r in results if r is not None]
                rows.append({
                    "weight_init": weight_init,
                    "learning_rate": lr,
                    "batch_norm": batch_norm,
                    "accuracies": [accuracy for accuracy, _ in finished],
                    "losses": [loss for _, loss in finished],
                    "diverged": len(results) - len(finished),
                })
    return rows


def is_stable(row):
    return row["diverged"] == 0 and min(row["accuracies"]) >= STABLE_ACCURACY


def stable_range(rows, weight_init, batch_norm):
    """(smallest, largest) stable learning rate, or None."""
    rates = [
        row["learning_rate"] for row in rows
        if row["weight_init"] == weight_init and row["batch_norm"] == batch_norm and is_stable(row)
    ]
    return (min(rates), max(rates)) if rates else None


def _cell(row):
    """32 characters: mean test accuracy, mean loss, seeds diverged, stability mark."""
    mark = "   " if is_stable(row) else "  x"
    if not row["accuracies"]:
        return f"{'diverged':<10}{'':>10}{row['diverged']:>9}{mark}"
    return (
        f"{np.mean(row['accuracies']):<10.3f}{np.mean(row['losses']):>10.3f}"
        f"{row['diverged']:>9}{mark}"
    )


def report(rows, seeds):
    """The measured table and the stable ranges, as text."""
    lines = []
    for weight_init in dict.fromkeys(row["weight_init"] for row in rows):
        lines += [
            "",
            f"weight_init={weight_init!r}   (mean over {len(seeds)} seeds; "
            f"x = not stable: a seed diverged or scored below {STABLE_ACCURACY})",
            f"{'learning':<10}| {'without batch norm':<32} | with batch norm",
            f"{'rate':<10}| {'test acc':<10}{'loss':>10}{'diverged':>9}{'':3} "
            f"| {'test acc':<10}{'loss':>10}{'diverged':>9}",
        ]
        table = {
            (row["learning_rate"], row["batch_norm"]): row
            for row in rows if row["weight_init"] == weight_init
        }
        for lr in dict.fromkeys(lr for lr, _ in table):
            lines.append(
                f"{lr:<10g}| {_cell(table[lr, False])} | {_cell(table[lr, True])}"
            )
        for batch_norm in (False, True):
            span = stable_range(rows, weight_init, batch_norm)
            label = "with batch norm:   " if batch_norm else "without batch norm:"
            if span is None:
                lines.append(f"  stable {label} none")
            else:
                lines.append(
                    f"  stable {label} {span[0]:g} to {span[1]:g} "
                    f"(a factor of {span[1] / span[0]:.0f})"
                )
    return "\n".join(lines)


def plot(rows, path):
    """Test accuracy against the learning rate, with and without batch norm."""
    import _common  # the examples' folder is on sys.path when a script runs
    import matplotlib.pyplot as plt

    weight_inits = list(dict.fromkeys(row["weight_init"] for row in rows))
    fig, axes = plt.subplots(1, len(weight_inits), figsize=(5 * len(weight_inits), 3.6),
                             sharey=True, squeeze=False, layout="constrained")
    for ax, weight_init in zip(axes[0], weight_inits):
        for batch_norm, style in ((False, "o--"), (True, "s-")):
            mine = [row for row in rows
                    if row["weight_init"] == weight_init and row["batch_norm"] == batch_norm]
            accuracy = [np.mean(row["accuracies"]) if row["accuracies"] else 0.0
                        for row in mine]
            ax.semilogx([row["learning_rate"] for row in mine], accuracy, style,
                        label="with batch norm" if batch_norm else "without batch norm")
        ax.axhline(STABLE_ACCURACY, color="grey", lw=0.8, ls=":")
        ax.set(title=f"weight_init={weight_init!r}", xlabel="learning rate",
               ylim=(0, 1.02))
        ax.legend(loc="lower left")
    axes[0, 0].set_ylabel("test accuracy (0: diverged)")
    return _common.save(fig, path)


def compute(quick, out, seeds, epochs, weight_init):
    seeds = tuple(range(1 if quick else seeds))
    epochs = 5 if quick else epochs
    rates = (0.01, 0.1, 1.0, 3.0) if quick else LEARNING_RATES
    rows = run(learning_rates=rates, weight_inits=tuple(weight_init), seeds=seeds,
               max_iter=epochs)
    text = (
        "Batch norm and the learning rate on digits (1347 training / 450 test rows): "
        "MLPClassifier((100, 100, 100), activation='relu', solver='sgd', momentum=0.9, "
        f"batch_size=128), {epochs} epochs.\n" + report(rows, seeds)
        + f"\n\n{len(rows) * len(seeds)} fits"
    )
    return text, [plot(rows, out / "test_accuracy.png")], rows


def add_arguments(parser):
    parser.add_argument("--seeds", type=int, default=3, help="seeds per setting (default 3)")
    parser.add_argument("--epochs", type=int, default=15, help="epochs per fit (default 15)")
    parser.add_argument(
        "--weight-init", nargs="+", default=["auto", "normal"],
        help="initializers to compare (default: auto normal)",
    )


def main(argv=None):
    import _common

    return _common.main(__doc__, "1 seed, 5 epochs, 4 learning rates (for CI)", compute, argv,
                        add_arguments)


if __name__ == "__main__":
    main()
