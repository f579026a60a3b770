"""The gap between training and validation accuracy under three L2 strengths
==========================================================================

The notes read overfitting off the gap between the training and the
validation accuracy: a large gap means too little regularization (or too
much capacity), no gap with both accuracies low means too much. The script
trains one hidden layer of 200 ReLU units (Adam, mini-batches of 32) on only
200 rows of digits, so that it can overfit, with ``alpha`` 1e-4, 1 and 10;
the other 1597 rows are the validation set (``X_val``/``y_val``) and
``score_training=True`` records the training accuracy every epoch.

It prints each run's final training and validation accuracy and their gap,
and saves ``learning_curves_alpha_<alpha>.png`` (``sknn.plotting.
plot_learning_curves``: the losses, and the two accuracies with the gap
shaded) and ``regularization_gap.png`` (the three gaps per epoch).

One run printed (40 epochs): alpha 1e-4 training 1.000, validation 0.923,
gap 0.077; alpha 1 training 0.990, validation 0.924, gap 0.066; alpha 10
training 0.710, validation 0.669, gap 0.041. A little L2 narrows the gap at
no cost in validation accuracy; a lot closes it by underfitting.

Run ``python examples/regularization_gap.py`` (about 3 s); ``--quick`` trains
15 epochs, ``--out DIR`` chooses where the figures go (a new temporary folder
by default).
"""

import warnings

import _common  # the command line; selects matplotlib's Agg backend
import matplotlib.pyplot as plt

from sknn import MLPClassifier
from sknn.plotting import plot_learning_curves

ALPHAS = (1e-4, 1.0, 10.0)


def run(max_iter=40, random_state=0):
    """{alpha: fitted estimator}."""
    X_train, X_val, y_train, y_val = _common.digits_split(train_size=200)
    runs = {}
    for alpha in ALPHAS:
        est = MLPClassifier(
            (200,), alpha=alpha, batch_size=32, max_iter=max_iter,
            n_iter_no_change=max_iter + 1, score_training=True, random_state=random_state,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # max_iter reached
            est.fit(X_train, y_train, X_val=X_val, y_val=y_val)
        runs[alpha] = est
    return runs


def report_text(runs):
    lines = []
    for alpha, est in runs.items():
        last = est.history_[-1]
        gap = last["train_score"] - last["val_score"]
        lines.append(
            f"alpha {alpha:g}: training {last['train_score']:.3f}, "
            f"validation {last['val_score']:.3f}, gap {gap:.3f}"
        )
    return "\n".join(lines)


def save_figures(runs, out):
    paths = []
    fig, gap_ax = plt.subplots(figsize=(6, 4))
    for alpha, est in runs.items():
        axes = plot_learning_curves(est)
        axes[0].figure.suptitle(f"alpha = {alpha:g}")
        paths.append(_common.save(axes[0].figure, out / f"learning_curves_alpha_{alpha:g}.png"))
        gap_ax.plot([r["epoch"] for r in est.history_],
                    [r["train_score"] - r["val_score"] for r in est.history_],
                    label=f"alpha = {alpha:g}")
    gap_ax.set(xlabel="epoch", ylabel="training - validation accuracy",
               title="The train/validation gap under L2")
    gap_ax.legend()
    paths.append(_common.save(fig, out / "regularization_gap.png"))
    return paths


def compute(quick, out):
    runs = run(max_iter=15 if quick else 40)
    text = "Digits, 200 training rows, MLPClassifier((200,), batch_size=32) under three alphas\n"
    return text + report_text(runs), save_figures(runs, out), runs


def main(argv=None):
    return _common.main(__doc__, "15 epochs (for CI)", compute, argv)


if __name__ == "__main__":
    main()
