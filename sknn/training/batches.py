"""The mini-batches of an epoch: their size, and the row each one starts at."""

import warnings

import numpy as np


def batch_size_for(batch_size, n_samples, warn=True):
    """The mini-batch size, as scikit-learn resolves ``batch_size`` (and warns)."""
    if batch_size == "auto":
        return min(200, n_samples)
    if warn and batch_size > n_samples:
        warnings.warn(
            "Got `batch_size` less than 1 or larger than sample size. It is going to "
            "be clipped"
        )
    return int(np.clip(batch_size, 1, n_samples))


def rows_trained(n_rows, batch_size, drop_last=False):
    """The rows an epoch over ``n_rows`` rows trains on: all of them, or with
    ``drop_last`` those of its complete batches (``batch_size`` at most ``n_rows``)."""
    return n_rows - n_rows % batch_size if drop_last else n_rows


def batch_starts(n_rows, batch_size, drop_last=False):
    """The first row of each mini-batch of an epoch over ``n_rows`` rows.

    Parameters
    ----------
    n_rows : int
    batch_size : int
        At most ``n_rows`` (as ``batch_size_for`` resolves it).
    drop_last : bool, default=False
        Leave out the epoch's last batch when it is incomplete (fewer than
        ``batch_size`` rows), as PyTorch's ``DataLoader(drop_last=True)``.

    Returns
    -------
    range
        Every batch holds rows ``start`` to ``min(start + batch_size, n_rows)``.
    """
    return range(0, rows_trained(n_rows, batch_size, drop_last), batch_size)
