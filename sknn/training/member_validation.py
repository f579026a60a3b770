"""Batched ensembles whose members hold out validation rows of their own.

With ``member_validation='own'`` member i of a batched ensemble
(``n_members`` > 1) draws its own validation split of the training rows
(with ``'folds'``, the members' held-out rows are the folds of one k-fold
partition), trains on the rest (its column of per-member row weights is
zero on the rows it holds out) and keeps the parameters of its own best
epoch on them: the members of one batched pass become the cross-fitted
(bagged) ensemble that averaging separately fitted networks would give, and
together they train on every row.

The members' parameters are interleaved in the flat vector (every slot of
the ensemble's layout stacks the members along its first axis), so member
i's parameters are ``theta[index[i]]``, in the order of a one-member network
of the same architecture.
"""

import numpy as np
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split

from .._validation_split import TOO_SMALL
from .monitoring import EarlyStopping


def member_index(ensemble_layout, member_layout, n_members):
    """Where each member's parameters lie in the ensemble's flat vector.

    Parameters
    ----------
    ensemble_layout : ParamLayout
        Of the batched network; every slot has shape (n_members, ...).
    member_layout : ParamLayout
        Of the same architecture with one member.
    n_members : int

    Returns
    -------
    ndarray of shape (n_members, member_layout.size) of int
        ``theta[index[i]]`` is member i's parameter vector, laid out as a
        one-member network's.

    Raises
    ------
    ValueError
        When a slot is not stacked per member (shared weights).
    """
    pairs = list(zip(ensemble_layout.slots, member_layout.slots))
    if len(ensemble_layout.slots) != len(member_layout.slots) or any(
        (big.name, big.shape) != (one.name, (n_members, *one.shape)) for big, one in pairs
    ):
        raise ValueError(
            "member_validation='own' or 'folds' needs members with parameters of "
            "their own (member_weights='independent')."
        )
    index = np.empty((n_members, member_layout.size), dtype=np.intp)
    for big, one in pairs:
        size = one.stop - one.start
        for i in range(n_members):
            start = big.start + i * size
            index[i, one.start : one.stop] = np.arange(start, start + size)
    return index


def member_splits(n_samples, n_members, validation_fraction, stratify, rng, folds=False):
    """One validation split per member.

    Parameters
    ----------
    n_samples, n_members : int
    validation_fraction : float
        Each member's share of held-out rows (ignored with ``folds``).
    stratify : ndarray or None
        Labels to stratify every split on (scikit-learn's rule, see
        ``sknn._validation_split.stratification``).
    rng : numpy.random.RandomState
    folds : bool, default=False
        False: each member's split is drawn independently, as scikit-learn's
        MLP draws its one (``train_test_split``). True: the members' held-out
        rows are the ``n_members`` folds of one shuffled (stratified) k-fold
        partition, so that every row is held out by exactly one member.

    Returns
    -------
    list of (idx_train, idx_val), one per member
    """
    rows = np.arange(n_samples)
    if folds:
        labels = None if stratify is None else np.asarray(stratify).ravel()
        kind = KFold if labels is None else StratifiedKFold
        splits = list(kind(n_members, shuffle=True, random_state=rng).split(rows, labels))
    else:
        splits = [train_test_split(rows, random_state=rng, test_size=validation_fraction,
                                   stratify=stratify) for _ in range(n_members)]
    if min(idx_val.shape[0] for _, idx_val in splits) < 2:
        raise ValueError(TOO_SMALL)
    return splits


def member_row_weights(splits, sample_weight, n_samples, bootstrap, rng, dtype):
    """Per-member training weights: zero on the rows a member holds out.

    Parameters
    ----------
    splits : list of (idx_train, idx_val)
    sample_weight : ndarray of shape (n_samples,) or None
    n_samples : int
    bootstrap : bool
        Weigh member i's training rows by how often a bootstrap sample of
        them (as many draws as it has training rows) draws each.
    rng : numpy.random.RandomState
    dtype : numpy dtype

    Returns
    -------
    ndarray of shape (n_samples, n_members)
    """
    weights = np.zeros((n_samples, len(splits)), dtype=dtype)
    for i, (idx_train, _) in enumerate(splits):
        if bootstrap:
            drawn = idx_train[rng.randint(0, idx_train.shape[0], size=idx_train.shape[0])]
            weights[:, i] = np.bincount(drawn, minlength=n_samples)
        else:
            weights[idx_train, i] = 1.0
    if sample_weight is not None:
        weights *= np.asarray(sample_weight, dtype=dtype)[:, None]
    return weights


class MemberScorer:
    """Scores one member on its own validation rows.

    Parameters
    ----------
    index : ndarray of int
        The member's parameters in the ensemble's flat vector.
    theta : ndarray
        The one-member parameter vector that ``objective`` and ``score``
        predict with; ``load`` fills it.
    val : tuple (X, Y, y_score, sample_weight)
        The member's validation rows.
    objective : Objective
        Over a one-member network bound to ``theta``.
    score : callable
        ``score(val_loss, X, y, sample_weight, logits=None) -> float``, higher
        is better; ``logits`` are the member's for X (``score_prepared``).
    """

    def __init__(self, index, theta, val, objective, score):
        self.index, self.theta, self.val = index, theta, val
        self.objective, self.score = objective, score

    def load(self, source):
        """Copy the member's parameters out of the ensemble's vector ``source``."""
        np.take(source, self.index, out=self.theta)

    def evaluate(self):
        """``(val_loss, score)`` of the loaded parameters."""
        X, Y, y, sw = self.val
        logits = self.objective.network.predict_logits(X)  # one forward for both
        loss = self.objective.value(X, Y, sw, logits=logits)
        return loss, self.score(loss, X, y, sw, logits=logits)


class MemberEarlyStopping(EarlyStopping):
    """Every epoch, each member's score on its own rows; each member's best epoch kept.

    ``EarlyStopping`` for the whole parameter vector, kept member by member.

    The record gets ``member_val_scores`` (one per member) and, as
    ``val_loss`` / ``val_score``, the members' mean; ``validation_scores``
    is that mean per epoch, ``best_validation_score`` the mean of the
    members' best scores. An epoch counts as an improvement (scikit-learn's
    ``tol`` rule, for ``n_iter_no_change``) when any member improved.

    Parameters
    ----------
    members : list of MemberScorer
    source : ndarray
        The ensemble's vector the members predict with (theta, or the
        running average with averaging).
    tol : float
    ties : {'first', 'last'}, default='first'
        Which of a member's epochs tied for its best score is kept.
    """

    def __init__(self, members, source, tol, ties="first"):
        self.members, self.source, self.tol, self.ties = members, source, tol, ties

    def _keep(self, run, rows):
        state = run.state
        rows = np.concatenate([self.members[i].index for i in rows])
        state["best_theta"][rows] = run.network.theta[rows]
        average = state["average"]
        if average is not None:
            state["best_average"][rows] = average[rows]

    def on_fit_begin(self, run):
        super().on_fit_begin(run)  # a whole copy of the parameters, on the first fit
        state = run.state
        if state.get("member_best_scores") is None:
            state["member_best_scores"] = np.full(len(self.members), -np.inf)
            state["member_best_epochs"] = np.full(len(self.members), -1)
            state["member_validation_scores"] = []

    def on_epoch_end(self, run, record):
        state = run.state
        best = state["member_best_scores"]
        losses, scores = [], []
        for member in self.members:
            member.load(self.source)
            loss, score = member.evaluate()
            losses.append(loss)
            scores.append(score)
        epoch = len(state["validation_scores"])
        val_loss, val_score = float(np.mean(losses)), float(np.mean(scores))
        state["validation_loss_curve"].append(val_loss)
        state["validation_scores"].append(val_score)
        state["member_validation_scores"].append(scores)
        record["val_loss"], record["val_score"] = val_loss, val_score
        record["member_val_scores"] = scores
        scores = np.asarray(scores, dtype=float)
        # scikit-learn's rule per member; a NaN score counts as no worse (#29504)
        if not (scores < best + self.tol).all():
            state["no_improvement_count"] = 0
        else:
            state["no_improvement_count"] += 1
        improved = np.flatnonzero(self._improves(scores, best))
        if improved.size:
            best[improved] = scores[improved]
            state["member_best_epochs"][improved] = epoch
            self._keep(run, improved)
        state["best_validation_score"] = float(best.mean())
        return False

    # on_fit_end is EarlyStopping's: the kept parameters replace the last ones
