"""Early stopping's validation split, exactly as scikit-learn's MLP draws it.

scikit-learn 1.9 (``BaseMultilayerPerceptron._fit``) splits with
``train_test_split(..., test_size=validation_fraction, random_state=rng)`` and
stratifies only when the estimator is a classifier whose label-binarized
target has one column, that is binary classification, on that (boolean)
column. Multiclass and multilabel targets, and every regression target, are
split without stratification. Drawing the same indices from the same random
state gives the same training and validation rows, so ``validation_scores_``
equal scikit-learn's, and the errors are scikit-learn's too (a binary class
with a single member raises train_test_split's "least populated class"
error naming the encoded label ``'True'``, as scikit-learn's does).
"""

import numpy as np
from sklearn.base import is_classifier
from sklearn.model_selection import train_test_split

TOO_SMALL = (
    "The validation set is too small. Increase 'validation_fraction' or the size of "
    "your dataset."
)


def stratification(est, y_score):
    """The array scikit-learn stratifies on, or None.

    Parameters
    ----------
    est : BaseMLP
        A classifier has a fitted ``_label_binarizer``.
    y_score : ndarray
        The targets as given to ``fit`` (labels for a classifier).

    Returns
    -------
    ndarray of shape (n_samples, 1) of bool, or None
        The label-binarized target of a binary classifier; None otherwise.
    """
    if not is_classifier(est):
        return None
    binarized = est._label_binarizer.transform(y_score)
    if binarized.ndim != 2 or binarized.shape[1] != 1:
        return None
    return binarized.astype(bool)  # scikit-learn's dtype: the labels read 'True'/'False'


def split_indices(est, y_score, n_samples, rng):
    """Row indices of the training and validation parts.

    Parameters
    ----------
    est : BaseMLP
        Supplies ``validation_fraction``.
    y_score : ndarray
        The targets as given to ``fit``.
    n_samples : int
    rng : numpy.random.RandomState
        The estimator's random state, at the point where scikit-learn splits
        (after the weights are drawn).

    Returns
    -------
    idx_train, idx_val : ndarray of int
    """
    idx_train, idx_val = train_test_split(
        np.arange(n_samples),
        random_state=rng,
        test_size=est.validation_fraction,
        stratify=stratification(est, y_score),
    )
    if idx_val.shape[0] < 2:
        raise ValueError(TOO_SMALL)
    return idx_train, idx_val
