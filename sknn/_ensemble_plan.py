"""How many members one fit trains, and how they are validated: ``n_members='auto'`` and
``member_validation='auto'`` resolved, and the combinations that cannot work refused.

'auto' builds only the ensemble that the tabular benchmarks measured (docs/tabular.md,
"Members with their own validation splits"): independent members, each holding out one
fold of the training rows for its own revert-to-best, as many as train on no more rows
than one network on the issue's 4000 rows does (``AUTO_MEMBER_ROWS``), at most
``MAX_AUTO_MEMBERS``.
"""

from numbers import Integral

import numpy as np

from ._tabular_build import activation_component, stacks_members
from ._validation_split import stratification

#: 'auto' trains m members while their training rows, (m - 1) x n_samples (each member
#: steps through its own (m - 1) / m of the rows, ``sknn.training.member_batches``), stay
#: within this many: the 3200 that one default network trains on of the 4000 rows of the
#: issue's fit-time goal (``validation_fraction=0.2`` holds out the other 800).
AUTO_MEMBER_ROWS = 3200

#: The most members 'auto' trains, the number the benchmarks measured.
MAX_AUTO_MEMBERS = 5


def auto_member_count(n_samples):
    """The members 'auto' trains on ``n_samples`` rows when members can hold out their own.

    Parameters
    ----------
    n_samples : int

    Returns
    -------
    int in [1, MAX_AUTO_MEMBERS]
    """
    return int(min(MAX_AUTO_MEMBERS, 1 + AUTO_MEMBER_ROWS // max(int(n_samples), 1)))


def _stackable(est, activations):
    """Whether the network can be a batched ensemble (no max-norm, batch norm, PReLU...)."""
    if est.max_norm is not None or any(est._hidden_batch_norm(len(est._hidden_layer_sizes()))):
        return False
    return all(stacks_members(activation_component(a)) for a in activations)


def _folds_fit(n_samples, n_members, stratify):
    """Whether each of the n_members folds has 2 rows or more, and each class a row in each."""
    k = n_members
    if n_samples // k < 2:
        return False
    if stratify is None:
        return True
    _, counts = np.unique(np.asarray(stratify).ravel(), return_counts=True)
    return bool(counts.min() >= k)


def plan_ensemble(est, n_samples, y_score, activations, *, mini_batches, incremental,
                  continuing, validation_given):
    """The number of members and their validation for one call of fit or partial_fit.

    Parameters
    ----------
    est : BaseMLP
    n_samples : int
        The training rows of this call.
    y_score : ndarray
        The targets as ``score`` takes them; with 'auto', the folds' stratification
        (``sknn._validation_split.stratification``) is taken from them.
    activations : tuple
        The hidden layers' activation components.
    mini_batches : bool
        Whether the solver's driver trains in mini-batches (and so can early-stop).
    incremental : bool
        ``partial_fit``.
    continuing : bool
        A fitted network is trained on (warm start or ``partial_fit``): 'auto' keeps its
        number of members.
    validation_given : bool
        A validation set was given to fit.

    Returns
    -------
    n_members : int
    member_validation : {'shared', 'own', 'folds'}

    Raises
    ------
    ValueError
        For member options that the resolved number of members cannot honour.
    """
    requested = getattr(est, "n_members", 1)
    weights = getattr(est, "member_weights", "independent")
    how = getattr(est, "member_validation", "shared")
    own_possible = (bool(est.early_stopping) and mini_batches and not incremental
                    and not validation_given and weights == "independent")
    # only 'auto' looks at the folds; the split itself stratifies again when it is drawn
    stratify = stratification(est, y_score) if "auto" in (requested, how) else None
    if isinstance(requested, Integral):
        n_members = int(requested)
    elif continuing:
        n_members = int(est._arch["n_members"])
    else:
        n_members = auto_member_count(n_samples)
        if n_members > 1 and not (
            own_possible and _stackable(est, activations)
            and _folds_fit(n_samples, n_members, stratify)
        ):
            n_members = 1  # the measured ensemble or none
    if how == "auto":
        folds = n_members > 1 and own_possible and _folds_fit(n_samples, n_members, stratify)
        how = "folds" if folds else "shared"
    _check_members(est, requested, n_members, how, weights)
    return n_members, how


def _check_members(est, requested, n_members, how, weights):
    chosen = "" if isinstance(requested, Integral) else f" (n_members='auto' chose {n_members})"
    if est.max_norm is not None and n_members > 1:
        raise ValueError("max_norm is not available with n_members > 1.")
    if getattr(est, "member_bootstrap", False) and n_members == 1:
        raise ValueError("member_bootstrap=True needs n_members > 1 (a bootstrap "
                         f"sample per ensemble member){chosen}.")
    if how in ("own", "folds") and (n_members == 1 or weights != "independent"):
        raise ValueError(
            f"member_validation={how!r} needs n_members > 1 with "
            f"member_weights='independent': each member keeps the parameters of "
            f"its own best epoch{chosen}."
        )
