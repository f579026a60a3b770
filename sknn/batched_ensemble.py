"""The loss of a batched ensemble: the members' losses summed, predictions averaged.

A network with ``n_members`` > 1 (``sknn.tabular_layers.EnsembleDense``)
outputs logits of shape (m, n_samples, n_outputs). ``EnsembleLoss`` wraps the
loss of one member: training minimizes the sum of the m members' losses
(each member's gradient is that of its own fit), and ``link`` averages the
members' predictions (probabilities, rates or values), which is what
``predict``, ``predict_proba`` and ``score`` return.
"""

import numpy as np

from .losses import Loss


class EnsembleLoss(Loss):
    """The sum over members of ``base``'s loss; the mean of their predictions.

    Parameters
    ----------
    base : Loss
        The loss of one member, already set up for the target type.
    n_members : int
    """

    def __init__(self, base, n_members):
        self.base = base
        self.n_members = n_members

    @property
    def task(self):
        return self.base.task

    @property
    def target_type(self):
        return self.base.target_type

    @property
    def out_activation(self):
        return self.base.out_activation

    @property
    def has_proba(self):
        return self.base.has_proba

    @property
    def name(self):
        return self.base.name

    def n_outputs(self, n_target_columns):
        return self.base.n_outputs(n_target_columns)

    def check_targets(self, y):
        self.base.check_targets(y)

    def encode(self, Y):
        return self.base.encode(Y)

    def per_sample_and_grad(self, Y, Z):
        raise NotImplementedError("EnsembleLoss works on stacked logits: use value_and_grad.")

    def value_and_grad(self, Y, Z, sample_weight=None):
        """Summed loss of the members and its gradient.

        Parameters
        ----------
        Y : ndarray of shape (n_samples, n_outputs) or (n_members, n_samples, n_outputs)
            Shared targets, or member i's in ``Y[i]`` (per-member mini-batches,
            ``sknn.training.member_batches``).
        Z : ndarray of shape (n_members, n_samples, n_outputs)
        sample_weight : ndarray of shape (n_samples,) or (n_samples, n_members), or None
            Two-dimensional: column i weights member i's rows (per-member
            bootstrap, ``bootstrap_weights``; held-out rows).

        Returns
        -------
        loss : float
        dZ : ndarray of shape (n_members, n_samples, n_outputs)
        """
        dZ = np.empty_like(Z)
        total = 0.0
        per_member = sample_weight is not None and sample_weight.ndim == 2
        for i in range(Z.shape[0]):
            weight = sample_weight[:, i] if per_member else sample_weight
            value, dZ[i] = self.base.value_and_grad(Y[i] if Y.ndim == 3 else Y, Z[i], weight)
            total += value
        return total, dZ

    def link(self, Z):
        """The members' mean prediction, shape (n_samples, n_outputs)."""
        out = np.array(self.base.link(Z[0]), copy=True)
        for i in range(1, Z.shape[0]):
            out += self.base.link(Z[i])
        out /= Z.shape[0]
        return out

    def indicator_scores(self, Z):
        if self.has_proba:
            return self.link(Z), 0.5
        scores = [self.base.indicator_scores(Z[i]) for i in range(Z.shape[0])]
        return np.mean([s for s, _ in scores], axis=0), scores[0][1]


def bootstrap_weights(sample_weight, n_samples, n_members, rng, dtype=np.float64):
    """Per-member bootstrap of the rows, as weights: shape (n_samples, n_members).

    Column i counts how often each row is drawn in member i's bootstrap
    sample (n_samples draws with replacement), times the row's own weight:
    training member i on its column is training it on its bootstrap sample
    with the same mini-batches as the other members.

    Parameters
    ----------
    sample_weight : ndarray of shape (n_samples,) or None
    n_samples, n_members : int
    rng : numpy.random.RandomState
    dtype : numpy dtype, default=float64

    Returns
    -------
    ndarray of shape (n_samples, n_members)
    """
    draws = rng.randint(0, n_samples, size=(n_members, n_samples))
    counts = np.stack([np.bincount(row, minlength=n_samples) for row in draws], axis=1)
    weights = counts.astype(dtype)
    if sample_weight is not None:
        weights *= np.asarray(sample_weight, dtype=dtype)[:, None]
    return weights
