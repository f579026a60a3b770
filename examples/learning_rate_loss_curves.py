"""Loss curves for a learning rate too low, good and too high (the notes' figure)
===============================================================================

The same MLPClassifier (one hidden layer of 100 ReLU units, plain SGD,
mini-batches of 64) is trained on the standardized digits data at three
learning rates, with the held-out quarter passed as ``X_val``/``y_val`` so
that ``history_`` records the validation loss too. The notes' shapes appear:
too low (0.001) the loss falls slowly, almost linearly; a good rate (0.1)
falls fast and keeps falling; too high (2.0) the loss drops at first, then
jumps up and the run diverges (sknn stops it and warns).

It prints each run's loss per epoch and its final loss and validation
accuracy, and saves ``loss_curves.png`` (the three training losses on one log
axis) and ``learning_curves_lr_<rate>.png`` (``sknn.plotting.
plot_learning_curves`` of each run: training and validation loss and score).

Run ``python examples/learning_rate_loss_curves.py`` (about a second per
run); ``--quick`` trains 10 epochs instead of 30, ``--out DIR`` chooses where
the figures go (a new temporary folder by default).
"""

import warnings

import _common  # the command line; selects matplotlib's Agg backend
import matplotlib.pyplot as plt

from sknn import MLPClassifier
from sknn.plotting import plot_learning_curves

#: verdict -> learning rate
LEARNING_RATES = {"too low": 0.001, "good": 0.1, "too high": 2.0}


def run(max_iter=30, random_state=0):
    """{verdict: fitted estimator} for each learning rate."""
    X_train, X_val, y_train, y_val = _common.digits_split()
    runs = {}
    for verdict, rate in LEARNING_RATES.items():
        est = MLPClassifier(
            (100,), solver="sgd", momentum=0.0, learning_rate_init=rate, batch_size=64,
            max_iter=max_iter, n_iter_no_change=max_iter + 1, random_state=random_state,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the convergence and divergence warnings
            est.fit(X_train, y_train, X_val=X_val, y_val=y_val)
        runs[verdict] = est
    return runs


def report_text(runs):
    lines = []
    for verdict, est in runs.items():
        losses = [r["loss"] for r in est.history_]
        last = est.history_[-1]
        lines.append(f"learning rate {est.learning_rate_init:g} ({verdict}):")
        lines.append("  loss per epoch: " + " ".join(f"{v:.3f}" for v in losses))
        lines.append(
            f"  {verdict}: epochs {len(losses)}, diverged {est.diverged_}, "
            f"final loss {last['loss']:.4f}, validation accuracy {last['val_score']:.3f}"
        )
    return "\n".join(lines)


def save_figures(runs, out):
    fig, ax = plt.subplots(figsize=(6, 4))
    for verdict, est in runs.items():
        epochs = [r["epoch"] for r in est.history_]
        ax.plot(epochs, [r["loss"] for r in est.history_],
                label=f"{est.learning_rate_init:g} ({verdict})")
    ax.set_yscale("log")
    ax.set(xlabel="epoch", ylabel="training loss", title="Learning rates on digits")
    ax.legend(title="learning rate")
    paths = [_common.save(fig, out / "loss_curves.png")]
    for verdict, est in runs.items():
        axes = plot_learning_curves(est)
        fig = axes[0].figure
        fig.suptitle(f"learning rate {est.learning_rate_init:g} ({verdict})")
        paths.append(_common.save(fig, out / f"learning_curves_lr_{est.learning_rate_init:g}.png"))
    return paths


def compute(quick, out):
    runs = run(max_iter=10 if quick else 30)
    text = "Digits, MLPClassifier((100,), solver='sgd', batch_size=64) at three learning rates\n"
    return text + report_text(runs), save_figures(runs, out), runs


def main(argv=None):
    return _common.main(__doc__, "10 epochs (for CI)", compute, argv)


if __name__ == "__main__":
    main()
