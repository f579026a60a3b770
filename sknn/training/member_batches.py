"""Per-member mini-batches: each member of a batched ensemble steps through its own rows.

With ``member_validation='own'`` or ``'folds'`` member i trains on its own
rows only. Shared mini-batches pass every row through every member, with
weight zero where a member holds the row out: m members on n rows do the
work of m * n rows an epoch, of which each member's held-out share is
wasted (half of it for two members, a fifth for five). Here member i's batch
holds ``batch_size`` rows of its own: the network gets inputs of shape
(m, batch_size, n_features) (member i's rows in ``[i]``), an epoch takes as
many steps as the member with the most rows needs, and every member trains
as a separate fit on its rows would, with its own shuffled order.

A member's rows are those of positive weight in its column of the
per-member weights (``member_row_weights``), each with that weight (a
bootstrap count, times the row's sample weight). Members whose rows are one
fewer than the longest (k-fold sizes differ by one) end the epoch with a
padding row of weight zero.
"""

import numpy as np

from .batches import batch_size_for


class MemberBatches:
    """Every member's training rows, shuffled each epoch and gathered batch by batch.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Dense.
    Y : ndarray of shape (n_samples, n_outputs)
        Encoded targets.
    weights : ndarray of shape (n_samples, n_members)
        Member i's rows are those where ``weights[:, i] > 0``.
    batch_size : int or 'auto'
        As the estimator's, resolved against the longest member's rows.

    Attributes
    ----------
    n_rows : int
        The rows of an epoch: the longest member's.
    """

    def __init__(self, X, Y, weights, batch_size):
        self.X, self.Y = X, Y
        n_members = weights.shape[1]
        rows = [np.flatnonzero(weights[:, i] > 0) for i in range(n_members)]
        self.lengths = [r.size for r in rows]
        self.n_rows = max(self.lengths)
        self.order = np.zeros((n_members, self.n_rows), dtype=np.intp)
        self.weight = np.zeros((n_members, self.n_rows), dtype=weights.dtype)
        for i, member_rows in enumerate(rows):
            self.order[i, : member_rows.size] = member_rows
            self.weight[i, : member_rows.size] = weights[member_rows, i]
        self.batch_size = batch_size = batch_size_for(batch_size, self.n_rows, warn=False)
        self._work = [np.empty((n_members, batch_size, *a.shape[1:]), a.dtype) for a in (X, Y)]

    def shuffle(self, rng):
        """Permute each member's rows (padding stays last), one draw per member."""
        for i, length in enumerate(self.lengths):
            permutation = rng.permutation(length)
            self.order[i, :length] = self.order[i, permutation]
            self.weight[i, :length] = self.weight[i, permutation]

    def batch(self, start):
        """Rows ``start`` to ``start + batch_size`` of every member's order.

        Returns
        -------
        X : ndarray of shape (n_members, b, n_features)
        Y : ndarray of shape (n_members, b, n_outputs)
        weight : ndarray of shape (b, n_members)
            Member i's row weights in column i (zero on padding).
        """
        idx = self.order[:, start : start + self.batch_size]
        full = idx.shape[1] == self.batch_size
        # mode="clip": the indices are valid, and "raise" would buffer the output
        X, Y = (np.take(a, idx, axis=0, out=work if full else None, mode="clip")
                for a, work in zip((self.X, self.Y), self._work))
        return X, Y, self.weight[:, start : start + self.batch_size].T
