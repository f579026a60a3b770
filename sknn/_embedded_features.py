"""Which input columns a numeric embedding embeds (``embedding_features``).

RealMLP-TD embeds the numeric features only: its one-hot encoded categories
reach the first dense layer as they are. An estimator here sees one numeric
matrix, so by default ('non_binary') a column with at most two distinct
values in the first training data (a one-hot or binary indicator, or a
constant) passes through unembedded; the user can also name the columns.
A first ``partial_fit`` batch of fewer than 3 rows cannot tell, and embeds
every column.
"""

import numbers

import numpy as np
import scipy.sparse as sp

#: the values ``embedding_features`` takes besides explicit columns
SELECTIONS = ("non_binary", "all")


def at_most_two_valued(X):
    """Whether each column of X holds at most two distinct values.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_features)
        Finite values (the estimators have validated them).

    Returns
    -------
    ndarray of bool, shape (n_features,)
    """
    if sp.issparse(X):
        return _sparse_at_most_two_valued(sp.csc_matrix(X))
    X = np.asarray(X)
    low, high = X.min(axis=0), X.max(axis=0)
    result = np.ones(X.shape[1], dtype=bool)
    for start in range(0, X.shape[0], 4096):  # bounded temporaries
        rows = X[start:start + 4096]
        result &= ((rows == low) | (rows == high)).all(axis=0)
    return result


def _sparse_at_most_two_valued(X):
    low = X.min(axis=0).toarray().ravel()
    high = X.max(axis=0).toarray().ravel()
    column = np.repeat(np.arange(X.shape[1]), np.diff(X.indptr))
    stored = (X.data == low[column]) | (X.data == high[column])
    result = np.ones(X.shape[1], dtype=bool)
    np.logical_and.at(result, column, stored)
    # implicit zeros are a value of their own unless 0 is the lowest or highest
    has_zeros = np.diff(X.indptr) < X.shape[0]
    return result & ~(has_zeros & (low != 0) & (high != 0))


def resolve_embedded_features(selection, X, feature_names=None):
    """The sorted indices of the columns to embed, from ``embedding_features``.

    Parameters
    ----------
    selection : {'non_binary', 'all'} or array-like
        'non_binary': every column with more than two distinct values in X
        (every column when X has fewer than 3 rows); 'all': every column; a
        boolean mask of shape (n_features,), integer indices, or feature
        names (with ``feature_names``).
    X : ndarray or sparse matrix of shape (n_samples, n_features)
    feature_names : ndarray of str or None
        ``feature_names_in_`` of the estimator, if it was fitted on names.

    Returns
    -------
    tuple of int

    Raises
    ------
    ValueError
        For an unknown string, a mask of the wrong length, indices out of
        range or repeated, or names that are not feature names.
    """
    n_features = X.shape[1]
    if isinstance(selection, str):
        if selection not in SELECTIONS:
            raise ValueError(f"embedding_features must be one of {SELECTIONS} or columns "
                             f"(a boolean mask, indices or names); got {selection!r}.")
        if selection == "all" or X.shape[0] < 3:  # two rows have two values in any column
            return tuple(range(n_features))
        return tuple(int(j) for j in np.flatnonzero(~at_most_two_valued(X)))
    columns = np.asarray(selection)
    if columns.ndim != 1:
        raise ValueError("embedding_features must be one-dimensional (a boolean mask, "
                         f"indices or names); got shape {columns.shape}.")
    if columns.dtype == bool:
        if columns.shape[0] != n_features:
            raise ValueError(f"embedding_features as a boolean mask needs one value per "
                             f"feature ({n_features}); got {columns.shape[0]}.")
        return tuple(int(j) for j in np.flatnonzero(columns))
    if columns.dtype.kind in "USO" and not all(isinstance(c, numbers.Integral) for c in columns):
        columns = _indices_of_names(columns.tolist(), feature_names)
    elif columns.size and not all(isinstance(c, numbers.Integral) for c in columns.tolist()):
        raise ValueError(f"embedding_features must hold integer indices, booleans or names; "
                         f"got {columns.dtype}.")
    columns = columns.astype(np.int64)
    if columns.size and (columns.min() < 0 or columns.max() >= n_features):
        raise ValueError(f"embedding_features holds indices outside [0, {n_features}); "
                         f"got {sorted(columns.tolist())}.")
    if len(set(columns.tolist())) != columns.size:
        raise ValueError(f"embedding_features holds repeated columns: {columns.tolist()}.")
    return tuple(sorted(int(j) for j in columns))


def _indices_of_names(names, feature_names):
    if feature_names is None:
        raise ValueError("embedding_features names columns, but X has no feature names "
                         "(fit on a DataFrame to use names).")
    position = {name: j for j, name in enumerate(feature_names)}
    missing = [str(name) for name in names if name not in position]
    if missing:
        raise ValueError(f"embedding_features names columns that are not features of X: "
                         f"{missing}.")
    return np.array([position[name] for name in names], dtype=np.int64)
