"""What the examples share: their command line, the digits split and a bar chart.

Each script is run as ``python examples/NAME.py [--quick] [--out DIR]``; its
folder is then on ``sys.path``, so ``import _common`` finds this file.
"""

import argparse
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # the examples only save their figures

import matplotlib.pyplot as plt  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402


def digits_split(random_state=0, **split):
    """Digits, split (stratified; 75/25 by default) and standardized on the training part."""
    X, y = load_digits(return_X_y=True)
    X_train, X_val, y_train, y_val = train_test_split(
        X, y, **(split or {"test_size": 0.25}), stratify=y, random_state=random_state
    )
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_val), y_train, y_val


def save(fig, path):
    """Save ``fig`` to ``path`` and close it; returns the path."""
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path


def bar_figure(values, xlabel, title, path, *, errors=None):
    """A horizontal bar chart of ``{label: value}``, saved to ``path``."""
    fig, ax = plt.subplots(figsize=(7, 0.5 * len(values) + 1.2), layout="constrained")
    labels = [label.strip() for label in values]
    ax.barh(labels[::-1], list(values.values())[::-1], xerr=errors, color="tab:blue")
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    low = min(values.values())
    ax.set_xlim(max(0.0, low - 0.5 * (max(values.values()) - low) - 1e-3), None)
    for y, value in enumerate(list(values.values())[::-1]):
        ax.annotate(f"{value:.3f}", (value, y), xytext=(3, 0), textcoords="offset points",
                    va="center")
    return save(fig, path)


def main(doc, quick_help, compute, argv=None, add_arguments=None):
    """Parse ``--quick`` and ``--out``, run ``compute(quick, out)`` and print what it measured.

    ``compute`` returns (report text, saved figure paths, result); the result
    is returned. ``add_arguments(parser)`` adds a script's own options, which
    ``compute`` then receives as keyword arguments.
    """
    # sphinx-gallery runs the code without its docstring (it renders it as text)
    parser = argparse.ArgumentParser(description=doc.splitlines()[0] if doc else None)
    parser.add_argument("--quick", action="store_true", help=quick_help)
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for the figures (default: a new temporary folder)")
    if add_arguments is not None:
        add_arguments(parser)
    args = vars(parser.parse_args(argv))
    quick, out = args.pop("quick"), args.pop("out")
    out = out or Path(tempfile.mkdtemp(prefix="sknn_example_"))
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with threadpool_limits(limits=1):  # small matrices: BLAS threads only contend
        text, paths, result = compute(quick, out, **args)
    print(text)
    for path in paths:
        print(f"saved {path}")
    print(f"done in {time.perf_counter() - start:.1f} s")
    return result
