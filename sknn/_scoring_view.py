"""The estimator as a scorer sees it during training.

The rows that training scores (the validation split, the training rows with
``score_training``) are already prepared: validated, cast and, for the tabular
estimators, preprocessed. A scorer given by name or as a callable calls the
estimator's ``predict`` / ``predict_proba`` / ``decision_function``, which
would prepare them a second time; it is handed this view instead.
"""


def prepared_input_view(est, member=None):
    """A shallow copy of ``est`` whose predictions take X as already prepared.

    Parameters
    ----------
    est : BaseMLP
        A fitted (or training) estimator; the view shares its arrays.
    member : int, optional
        With a batched ensemble (``n_members`` > 1): the view predicts with
        this member alone.

    Returns
    -------
    BaseMLP
        Of the same type as ``est``; ``predict`` and the other prediction
        methods skip input validation and preprocessing.
    """
    view = object.__new__(type(est))
    view.__dict__.update(est.__dict__)
    forward = type(est)._forward
    if member is None:
        view._forward = lambda X, check_input=True: forward(view, X, check_input=False)
    else:
        view._loss = est._loss.base
        view._forward = lambda X, check_input=True: forward(view, X, check_input=False)[member]
    return view
