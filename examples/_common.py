"""What the babysitting examples share: their command line and the digits split.

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


def main(doc, quick_help, compute, argv=None):
    """Parse ``--quick`` and ``--out``, run ``compute(quick, out)`` and print what it measured.

    ``compute`` returns (report text, saved figure paths, result); the result
    is returned.
    """
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=quick_help)
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for the figures (default: a new temporary folder)")
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="sknn_example_"))
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    text, paths, result = compute(args.quick, out)
    print(text)
    for path in paths:
        print(f"saved {path}")
    print(f"done in {time.perf_counter() - start:.1f} s")
    return result
