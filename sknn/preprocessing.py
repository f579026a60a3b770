"""Input preprocessing for tabular data: robust scaling followed by smooth clipping.

RealMLP-TD (Holzmueller, Grinsztajn and Steinwart, "Better by Default: Strong
Pre-Tuned MLPs and Boosted Trees on Tabular Data", NeurIPS 2024) feeds its
network with every numeric feature robust-scaled and then smoothly clipped::

    z = (x - median) / s,   s = q75 - q25, or (max - min) / 2 if that is 0, or 1
    f(z) = z / sqrt(1 + (z / 3) ** 2)

The scaling makes the bulk of every feature of unit width whatever its
outliers; the clipping maps the outliers into (-3, 3) smoothly (f is odd,
increasing, about the identity for ``|z| << 3``). Categorical features are left
to the user's ``ColumnTransformer`` (one-hot encode them before this step).
"""

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ._compat import Interval
from numbers import Real


def smooth_clip(z, bound=3.0):
    """f(z) = z / sqrt(1 + (z / bound)^2), element-wise, into (-bound, bound).

    Parameters
    ----------
    z : ndarray
    bound : float > 0, default=3.0

    Returns
    -------
    ndarray of the shape of ``z``
    """
    # hypot(1, u) = sqrt(1 + u^2) without overflow; infinities (a tiny scale)
    # are clipped to the largest float first, so they map to +-bound
    limit = np.finfo(z.dtype).max if np.issubdtype(z.dtype, np.floating) else np.inf
    with np.errstate(over="ignore", under="ignore"):
        z = np.clip(z, -limit, limit)
        return z / np.hypot(1.0, z / bound)


def _column_statistics(column):
    """Median, and the robust scale of one dense column (1-D, finite values)."""
    if column.size == 0:
        return 0.0, 1.0
    q25, median, q75 = np.percentile(column, [25, 50, 75])
    scale = q75 - q25
    if not scale > 0:
        scale = (column.max() - column.min()) / 2.0
    if not scale > 0:
        scale = 1.0
    return float(median), float(scale)


class RobustSmoothClipTransformer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Robust scaling by the interquartile range, then smooth clipping.

    For every column, ``z = (x - median) / s`` with ``s`` the interquartile
    range, falling back to half the range (max - min) / 2 when the IQR is 0
    (a feature with more than half its values equal) and to 1 when the
    column is constant; then ``z / sqrt(1 + (z / clip_bound)^2)``, which is
    about ``z`` near 0 and tends to +-``clip_bound``. RealMLP-TD's input
    preprocessing (Holzmueller et al. 2024).

    Sparse input is not centred (centring would make it dense): each column
    is divided by its scale, computed with the implicit zeros, and clipped;
    zeros stay zeros.

    Parameters
    ----------
    clip_bound : float > 0 or None, default=3.0
        Asymptote of the smooth clipping; None: robust scaling alone.

    Attributes
    ----------
    center_ : ndarray of shape (n_features,)
        The medians (zeros for sparse input).
    scale_ : ndarray of shape (n_features,)
        The robust scales, all positive.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Defined when X has feature names that are all strings.

    Examples
    --------
    >>> import numpy as np
    >>> from sknn.preprocessing import RobustSmoothClipTransformer
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0], [100.0]])
    >>> RobustSmoothClipTransformer().fit_transform(X).ravel().round(3)
    array([-0.949, -0.485,  0.   ,  0.485,  2.999])
    """

    _parameter_constraints: dict = {
        "clip_bound": [Interval(Real, 0, None, closed="neither"), None],
    }

    def __init__(self, clip_bound=3.0):
        self.clip_bound = clip_bound

    def fit(self, X, y=None):
        """Compute every column's median and robust scale.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : None
            Ignored.

        Returns
        -------
        self : object
        """
        self._validate_params()
        X = validate_data(self, X, accept_sparse=["csr", "csc"], dtype=(np.float64, np.float32))
        n_features = X.shape[1]
        self.center_ = np.zeros(n_features)
        self.scale_ = np.ones(n_features)
        if sp.issparse(X):
            X = X.tocsc()
        for j in range(n_features):
            column = X[:, [j]].toarray().ravel() if sp.issparse(X) else X[:, j]
            median, scale = _column_statistics(column)
            self.center_[j] = 0.0 if sp.issparse(X) else median
            self.scale_[j] = scale
        return self

    def transform(self, X):
        """Scale and clip X.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        Xt : {ndarray, sparse matrix} of shape (n_samples, n_features)
            Of X's floating dtype; sparse (CSR) for sparse input.
        """
        check_is_fitted(self)
        X = validate_data(
            self, X, accept_sparse=["csr", "csc"], dtype=(np.float64, np.float32), reset=False,
            copy=True,
        )
        return self._scale_and_clip(X)

    def _scale_and_clip(self, X):
        """``transform`` of a validated X that may be overwritten (a copy of the input)."""
        # a tiny scale (an IQR of 1e-281) may overflow to inf: smooth_clip maps it to +-bound
        with np.errstate(over="ignore"):
            if sp.issparse(X):
                X = X.tocsr()
                X.data /= self.scale_[X.indices].astype(X.dtype)
                if self.clip_bound is not None:
                    X.data = smooth_clip(X.data, self.clip_bound).astype(X.dtype, copy=False)
                return X
            X -= self.center_.astype(X.dtype)
            X /= self.scale_.astype(X.dtype)
        if self.clip_bound is not None:
            X = smooth_clip(X, self.clip_bound).astype(X.dtype, copy=False)
        return X

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
