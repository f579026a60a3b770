"""The estimator as a scorer sees it during training, and the score of prepared rows.

The rows that training scores (the validation split, the training rows with
``score_training``) are already prepared: validated, cast and, for the tabular
estimators, preprocessed. A scorer given by name or as a callable calls the
estimator's ``predict`` / ``predict_proba`` / ``decision_function``, which
would prepare them a second time; it is handed a view instead.
"""

import numpy as np
from sklearn.metrics import check_scoring


def prepared_input_view(est):
    """A shallow copy of ``est`` whose predictions take X as already prepared.

    Parameters
    ----------
    est : BaseMLP
        A fitted (or training) estimator; the view shares its arrays.

    Returns
    -------
    BaseMLP
        Of the same type as ``est``; ``predict`` and the other prediction
        methods skip input validation and preprocessing.
    """
    view = object.__new__(type(est))
    view.__dict__.update(est.__dict__)
    forward = type(est)._forward
    view._forward = lambda X, check_input=True: forward(view, X, check_input=False)
    return view


def member_view(est, arch, theta):
    """A view of ``est`` that predicts with one member of its batched ensemble.

    Parameters
    ----------
    est : BaseMLP
        With ``n_members`` > 1 and no buffers (no batch norm).
    arch : dict
        ``est._arch`` with ``n_members=1``.
    theta : ndarray of shape (n_params_of_one_member,)
        The member's parameters, which the caller fills (bound, not copied).

    Returns
    -------
    BaseMLP
        A ``prepared_input_view`` whose network is the one-member network
        over ``theta`` and whose loss is one member's.
    """
    view = prepared_input_view(est)
    view._arch, view.theta_, view._loss = arch, theta, est._loss.base
    view.theta_average_ = view.buffers_average_ = None
    view.buffers_ = np.zeros(0, dtype=theta.dtype)
    view._inference_cache = None
    return view


def score_prepared(est, val_loss, X, y, sample_weight, logits=None):
    """The score of prepared rows as ``est.scoring`` says; higher is better.

    Parameters
    ----------
    est : BaseMLP
        The estimator, or a view of it (``member_view``).
    val_loss : float
        The rows' loss ('loss' scores its negative).
    X : ndarray or sparse matrix of shape (n_samples, n_features), prepared
    y : ndarray
        The targets as ``score`` takes them.
    sample_weight : ndarray of shape (n_samples,) or None
    logits : ndarray of shape (n_samples, n_outputs) or None
        ``est``'s logits for X, when the caller has them (the default score
        then predicts from them); a scorer predicts anew.

    Returns
    -------
    float
    """
    if est.scoring == "loss":
        return -val_loss
    if est.scoring is None:
        return est._score(X, y, sample_weight=sample_weight, logits=logits)
    view = prepared_input_view(est)
    scorer = check_scoring(view, scoring=est.scoring)
    kwargs = {} if sample_weight is None else {"sample_weight": sample_weight}
    return float(scorer(view, X, y, **kwargs))
