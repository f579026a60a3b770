"""Rows of the training data: indexing and the early-stopping split."""

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.utils import _safe_indexing

from .._validation_split import TOO_SMALL


def take_rows(a, idx):
    """Rows ``idx`` of an array or sparse matrix (None stays None)."""
    if a is None:
        return None
    if isinstance(a, np.ndarray):  # _safe_indexing's dispatch costs ~45 us a call
        return a.take(idx, axis=0)
    return _safe_indexing(a, idx)


class RowGather:
    """Copies rows of one array into the same work array every call.

    For a dense ndarray the rows of a mini-batch land in a reused
    (``n_rows``, ...) array, valid until the next call; sparse matrices and
    None go through ``take_rows``.
    """

    def __init__(self, a, n_rows):
        self.a = a
        dense = isinstance(a, np.ndarray)
        self.work = np.empty((n_rows, *a.shape[1:]), a.dtype) if dense else None

    def __call__(self, idx):
        if self.work is None or idx.shape[0] > self.work.shape[0]:
            return take_rows(self.a, idx)
        out = self.work[: idx.shape[0]]
        # mode="clip": the indices are valid, and "raise" would buffer the output
        return np.take(self.a, idx, axis=0, out=out, mode="clip")


def validation_split(X, Y, sample_weight, y_score, *, validation_fraction, stratify, rng):
    """Hold out ``validation_fraction`` of the rows for early stopping.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_features)
    Y : ndarray of shape (n_samples, n_outputs)
        Encoded targets.
    sample_weight : ndarray of shape (n_samples,) or None
    y_score : ndarray
        Targets as ``score`` takes them.
    validation_fraction : float
    stratify : ndarray or None
        Labels to stratify the split on.
    rng : numpy.random.RandomState

    Returns
    -------
    train : tuple (X, Y, sample_weight)
    val : tuple (X, Y, y_score, sample_weight)
    y_score_train : ndarray
        The training rows' targets as ``score`` takes them.
    """
    idx_train, idx_val = train_test_split(
        np.arange(X.shape[0]),
        random_state=rng,
        test_size=validation_fraction,
        stratify=stratify,
    )
    if idx_val.shape[0] < 2:
        raise ValueError(TOO_SMALL)
    train = (take_rows(X, idx_train), Y[idx_train], take_rows(sample_weight, idx_train))
    val = (
        take_rows(X, idx_val), Y[idx_val], take_rows(y_score, idx_val),
        take_rows(sample_weight, idx_val),
    )
    return train, val, take_rows(y_score, idx_train)
