"""Checks that sample and class weights leave something to train on.

scikit-learn's ``_check_sample_weight`` already refuses NaN, infinite and
all-zero sample weights. sknn also refuses:

- negative sample weights. The weighted mean loss of a mini-batch divides by
  the batch's total weight; with negative weights that total can be zero or
  negative, and a batch whose weights sum to <= 0 gets a loss of 0 and no
  gradient, so all-negative weights would leave the model untrained with a
  loss curve of zeros.
- ``class_weight`` values that are not finite, non-negative real numbers, or
  that are all zero (the values ``sample_weight`` refuses), and class weights
  that zero the weight of every sample.

What remains well defined is a mini-batch whose (non-negative) weights sum to
zero: it carries no data, so its loss is 0 and its gradient (penalties
included) is zero. The optimizer still takes its step: plain SGD stays put,
while momentum and the adaptive solvers move by their accumulated state.
"""

from numbers import Real

import numpy as np


def check_sample_weight_sign(sample_weight):
    """Refuse negative sample weights.

    Parameters
    ----------
    sample_weight : ndarray of shape (n_samples,) or None
        Already validated by scikit-learn (finite, not all zero).
    """
    if sample_weight is None or not (sample_weight < 0).any():
        return
    row = int(np.argmin(sample_weight))
    raise ValueError(
        "sample_weight must be non-negative: got the value "
        f"{sample_weight[row]:g} for row {row}. A mini-batch whose weights sum to "
        "zero or less carries no data (its loss is 0 and its gradient is zero), so "
        "negative weights would silently leave the model untrained."
    )


def check_class_weight(class_weight):
    """Refuse class weights that are not finite non-negative reals, or all zero.

    Parameters
    ----------
    class_weight : dict, 'balanced' or None
    """
    if not isinstance(class_weight, dict):
        return
    for label, value in class_weight.items():
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
            raise ValueError(
                f"class_weight values must be real numbers; got {value!r} for class "
                f"{label!r}."
            )
        if not np.isfinite(value):
            raise ValueError(
                f"class_weight values must be finite, as sample_weight's must; got "
                f"{value} for class {label!r}."
            )
        if value < 0:
            raise ValueError(
                f"class_weight values must be non-negative, as sklearn requires of "
                f"sample_weight; got {value} for class {label!r}."
            )
    if class_weight and not any(class_weight.values()):
        raise ValueError(
            "class_weight must contain at least one non-zero weight, as "
            f"sample_weight must; got {class_weight}."
        )


def check_some_weight(sample_weight):
    """Refuse combined (sample times class) weights that are all zero."""
    if sample_weight is not None and not sample_weight.any():
        raise ValueError(
            "class_weight and sample_weight give every sample a weight of zero: "
            "there is nothing to train on."
        )


def weigh_samples(est, sample_weight, y_score, incremental):
    """The training weights of the rows: sample weights times class weights.

    Parameters
    ----------
    est : BaseMLP
        Its ``_weight_samples`` multiplies in the class weights (classifier).
    sample_weight : ndarray of shape (n_samples,) or None
        Validated by scikit-learn's ``_check_sample_weight``.
    y_score : ndarray
        The targets as given to ``fit``.
    incremental : bool

    Returns
    -------
    ndarray of shape (n_samples,) or None
    """
    check_sample_weight_sign(sample_weight)
    check_class_weight(getattr(est, "class_weight", None))
    weights = est._weight_samples(sample_weight, y_score, incremental)
    check_some_weight(weights)
    return weights
