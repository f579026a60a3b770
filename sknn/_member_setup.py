"""From the estimator to the members of ``member_validation='own'`` or ``'folds'``: their rows
and scorers."""

from functools import partial

import numpy as np

from ._network import Network, build_layers
from ._scoring_view import member_view, score_prepared
from ._validation_split import stratification
from .training.data import take_rows
from .training.member_validation import (
    MemberScorer, member_index, member_row_weights, member_splits,
)


def own_member_validation(est, data, y_score, objective, rng):
    """Each member's split of ``data``, the training weights and the members' scorers.

    Parameters
    ----------
    est : BaseMLP
        With ``n_members`` > 1 independent members.
    data : tuple (X, Y, sample_weight)
        The training rows, prepared.
    y_score : ndarray
        Their targets as ``score`` takes them.
    objective : Objective
        The training objective (its loss is the ensemble's).
    rng : numpy.random.RandomState

    Returns
    -------
    train : tuple (X, Y, weights)
        Every row, with ``weights`` of shape (n_samples, n_members): zero
        where a member holds the row out.
    members : list of MemberScorer
        Scoring as ``est.scoring`` says, each member on its own rows.
    """
    X, Y, sample_weight = data
    n_members = est._arch["n_members"]
    dtype = objective.network.theta.dtype
    splits = member_splits(X.shape[0], n_members, est.validation_fraction,
                           stratification(est, y_score), rng,
                           folds=est.member_validation_ == "folds")
    weights = member_row_weights(splits, sample_weight, X.shape[0],
                                 getattr(est, "member_bootstrap", False), rng, dtype)
    one_arch = dict(est._arch, n_members=1)
    one_layout = Network(build_layers(one_arch), dtype).layout
    index = member_index(objective.network.layout, one_layout, n_members)
    members = []
    for i, (_, idx_val) in enumerate(splits):
        theta = np.empty(one_layout.size, dtype=dtype)
        view = member_view(est, one_arch, theta)
        val = (take_rows(X, idx_val), Y[idx_val], take_rows(y_score, idx_val),
               take_rows(sample_weight, idx_val))
        member_objective = est._objective(view._inference_network(), objective.loss.base)
        members.append(MemberScorer(index[i], theta, val, member_objective,
                                    partial(score_prepared, view)))
    return (X, Y, weights), members
