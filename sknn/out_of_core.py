"""Out-of-core training: ``partial_fit`` over data read one chunk at a time.

``partial_fit_chunks(estimator, chunks)`` calls ``estimator.partial_fit`` on
each chunk in turn, so only one chunk needs to be in memory. ``chunks`` is
either any iterable of ``(X, y)`` or ``(X, y, sample_weight)`` tuples (a
generator reading files, a database cursor, ...) or a pair ``(X, y)`` of Dask
arrays, whose row blocks are computed one at a time. The model is exactly the
one a loop of ``partial_fit`` calls over the same chunks in memory gives: the
helper adds no state of its own.

One pass is one epoch over the data for sknn's stochastic solvers; call the
helper again (with a fresh iterator) for more epochs.
"""

import numpy as np
from sklearn.base import is_classifier

__all__ = ["dask_chunks", "partial_fit_chunks"]


def _is_dask_array(obj):
    return hasattr(obj, "to_delayed") and hasattr(obj, "blocks") and hasattr(obj, "chunks")


def dask_chunks(X, y, sample_weight=None):
    """Yield the row blocks of Dask arrays as NumPy ``(X, y[, sample_weight])`` tuples.

    Each block is computed only when it is asked for, with whatever Dask
    scheduler is active (a ``distributed.Client`` if one is), so one block at
    a time is in this process's memory.

    Parameters
    ----------
    X : dask.array.Array of shape (n_samples, n_features)
        Chunked along the rows only (a single chunk of columns).
    y : dask.array.Array of shape (n_samples,) or (n_samples, n_outputs)
        Chunked along the rows as ``X`` is.
    sample_weight : dask.array.Array of shape (n_samples,), default=None
        Chunked along the rows as ``X`` is.

    Yields
    ------
    chunk : tuple of ndarray
        ``(X_block, y_block)``, or ``(X_block, y_block, weight_block)`` with
        ``sample_weight``.

    Raises
    ------
    ValueError
        If ``X`` is split along its columns or the row chunks of the arrays
        differ.
    """
    import dask  # only here: the "distributed" extra installs it

    if X.ndim == 2 and X.numblocks[1] != 1:
        raise ValueError(
            f"X is split into {X.numblocks[1]} column chunks; partial_fit needs whole "
            "rows: rechunk with X.rechunk({1: -1})."
        )
    arrays = [X, y] if sample_weight is None else [X, y, sample_weight]
    for name, array in zip(("y", "sample_weight"), arrays[1:]):
        if array.chunks[0] != X.chunks[0]:
            raise ValueError(
                f"{name}'s row chunks {array.chunks[0]} differ from X's {X.chunks[0]}: "
                f"rechunk with {name}.rechunk({{0: X.chunks[0]}})."
            )
    for i in range(X.numblocks[0]):
        yield dask.compute(*(array.blocks[i] for array in arrays))


def _chunk_iterator(chunks):
    if isinstance(chunks, (tuple, list)) and 2 <= len(chunks) <= 3 and all(
        _is_dask_array(array) for array in chunks
    ):
        return dask_chunks(*chunks)
    return iter(chunks)


def _dask_classes(chunks):
    """The classes of a Dask ``y``, computed in one pass; None for other chunks."""
    if isinstance(chunks, (tuple, list)) and len(chunks) >= 2 and _is_dask_array(chunks[1]):
        import dask.array as da

        return da.unique(chunks[1]).compute()
    return None


def partial_fit_chunks(estimator, chunks, *, classes=None):
    """Train ``estimator`` with one ``partial_fit`` call per chunk, in order.

    Parameters
    ----------
    estimator : estimator with ``partial_fit``
        An sknn ``MLPClassifier`` or ``MLPRegressor`` (a stochastic solver),
        or any scikit-learn estimator with ``partial_fit``. It is updated in
        place: a fitted estimator keeps training from where it stands.
    chunks : iterable of tuples, or a pair of Dask arrays
        Either an iterable of ``(X, y)`` or ``(X, y, sample_weight)``
        tuples, consumed once, or a tuple ``(X, y)`` (or ``(X, y,
        sample_weight)``) of Dask arrays chunked along the rows, whose blocks
        are computed one at a time (see :func:`dask_chunks`).
    classes : array-like of shape (n_classes,), default=None
        Every class of the whole data, for a classifier's first
        ``partial_fit`` call. None: the classes of an estimator fitted
        already; for Dask arrays, ``dask.array.unique(y)`` (one extra pass
        over ``y``). A classifier given other chunks without ``classes`` on
        its first call is refused: one chunk may not hold every class.

    Returns
    -------
    estimator : object
        The same estimator, trained on every chunk.

    Raises
    ------
    ValueError
        If a classifier's classes are unknown, a chunk is not a tuple of 2 or
        3 arrays, or ``chunks`` holds no chunk.

    Examples
    --------
    >>> import numpy as np
    >>> from sknn import MLPClassifier
    >>> from sknn.out_of_core import partial_fit_chunks
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 4))
    >>> y = (X[:, 0] > 0).astype(int)
    >>> chunks = ((X[i:i + 100], y[i:i + 100]) for i in range(0, 300, 100))
    >>> net = partial_fit_chunks(MLPClassifier((8,), random_state=0), chunks, classes=[0, 1])
    >>> net.classes_
    array([0, 1])
    """
    kwargs = {}
    if is_classifier(estimator):
        if classes is None and not hasattr(estimator, "classes_"):
            classes = _dask_classes(chunks)
            if classes is None:
                raise ValueError(
                    "classes is required for a classifier's first partial_fit: one "
                    "chunk may not hold every class. Pass classes=np.unique(all_y)."
                )
        if classes is not None:
            kwargs["classes"] = np.asarray(classes)
    n_chunks = 0
    for chunk in _chunk_iterator(chunks):
        if not isinstance(chunk, (tuple, list)) or len(chunk) not in (2, 3):
            raise ValueError(
                f"each chunk must be a tuple (X, y) or (X, y, sample_weight), got "
                f"{type(chunk).__name__}; pass a pair of arrays as [(X, y)]."
            )
        X, y, *weight = chunk
        if weight:
            estimator.partial_fit(X, y, sample_weight=weight[0], **kwargs)
        else:
            estimator.partial_fit(X, y, **kwargs)
        n_chunks += 1
    if n_chunks == 0:
        raise ValueError("chunks holds no chunk: nothing to train on.")
    return estimator
