"""Losses on logits, each owning its output link.

A loss receives the network's raw outputs ``Z`` (logits) of shape
(n_samples, n_outputs) and the encoded targets ``Y`` of the same shape, and
returns the sample-weighted mean loss together with dL/dZ. Working on logits
keeps cross-entropy exact and overflow-free (log-sum-exp, ``logaddexp``) and
lets every loss pick its own link (softmax, sigmoid, exp, identity).

Values follow scikit-learn's MLP so that ``loss_curve_`` is comparable: the
weighted mean over samples of the per-sample loss, where squared error is half
the mean over outputs and the log losses and Poisson deviance sum over outputs.
"""

from abc import abstractmethod
from numbers import Real

import numpy as np
from scipy.special import expit, xlogy

from ._compat import Interval
from ._component import Component
from ._registry import Registry


def _weighted_mean(per_sample, sample_weight):
    """Weighted mean of per-sample losses, accumulated in float64.

    A mini-batch whose weights are all zero carries no data: its loss is 0.
    """
    if sample_weight is None:
        return float(np.mean(per_sample, dtype=np.float64))
    total = float(sample_weight.sum())
    if not total > 0:
        return 0.0
    return float(np.dot(sample_weight, per_sample.astype(np.float64)) / total)


def _scale_rows(grad, sample_weight):
    """Turn per-sample gradients into gradients of the weighted mean, in place."""
    if sample_weight is None:
        grad /= grad.shape[0]
    elif not sample_weight.sum() > 0:
        grad[...] = 0
    else:
        grad *= (sample_weight / sample_weight.sum()).astype(grad.dtype)[:, None]
    return grad


class Loss(Component):
    """Base class; the constructor's arguments are the loss's hyperparameters.

    ``target_type`` is set by ``for_target``: ``"binary"``, ``"multiclass"``,
    ``"multilabel-indicator"`` for classifiers (targets one-hot / indicator
    encoded by a ``LabelBinarizer``) or ``"continuous"`` for regressors.
    ``task`` says which estimator takes the loss.
    """

    #: "classification" (MLPClassifier) or "regression" (MLPRegressor)
    task = "regression"
    #: name of the output link, reported as ``out_activation_``
    out_activation = "identity"
    #: whether ``link`` returns probabilities (``predict_proba`` is offered)
    has_proba = False
    target_type = "continuous"

    def for_target(self, target_type):
        """A copy of this loss for targets of ``target_type``."""
        loss = self.copy()
        loss.target_type = target_type
        return loss

    def n_outputs(self, n_target_columns):
        """Number of output units for targets with that many columns."""
        return n_target_columns

    def check_targets(self, y):
        """Refuse targets the loss is not defined for (default: accept all)."""

    def encode(self, Y):
        """Targets as the float array compared with the logits, shape (n, n_outputs)."""
        return Y

    @abstractmethod
    def per_sample_and_grad(self, Y, Z):
        """Per-sample loss, shape (n_samples,), and its gradient w.r.t. Z."""

    def value_and_grad(self, Y, Z, sample_weight=None):
        """Weighted mean loss and its gradient.

        Parameters
        ----------
        Y : ndarray of shape (n_samples, n_outputs)
            Encoded targets (see ``encode``).
        Z : ndarray of shape (n_samples, n_outputs)
            Logits.
        sample_weight : ndarray of shape (n_samples,) or None

        Returns
        -------
        loss : float
        dZ : ndarray of shape (n_samples, n_outputs), dtype of Z
        """
        per_sample, grad = self.per_sample_and_grad(Y, Z)
        return _weighted_mean(per_sample, sample_weight), _scale_rows(grad, sample_weight)

    def link(self, Z):
        """Predictions from logits (probabilities, rates or values), shape of Z."""
        return Z

    def indicator_scores(self, Z):
        """Scores and threshold that ``LabelBinarizer.inverse_transform`` decodes."""
        return self.link(Z), 0.5


LOSSES = Registry("loss", base=Loss)


def _shifted_exp(Z):
    """``Z - max``, ``exp(Z - max)`` and its row sums (shape (n, 1)): a stable softmax.

    Written out in NumPy rather than with ``scipy.special.log_softmax``, whose
    dispatch costs more than the arithmetic on a mini-batch or one row.
    """
    shifted = Z - Z.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return shifted, exp, exp.sum(axis=1, keepdims=True)


@LOSSES.register("log_loss")
class LogLoss(Loss):
    """Cross-entropy: softmax for multiclass, independent sigmoids otherwise.

    Multiclass: L = logsumexp(z) - z_y. Binary and multilabel: for each output,
    L = log(1 + exp(z)) - y z (one sigmoid unit per label).

    With ``label_smoothing=eps`` the targets are mixed with the uniform
    distribution (Szegedy et al. 2016): y <- (1 - eps) y + eps / K with K the
    number of classes (2 for each sigmoid output), so that the network is
    not pushed towards infinite logits; RealMLP-TD uses 0.1.

    Parameters
    ----------
    label_smoothing : float in [0, 1), default=0.0
    """

    task = "classification"
    has_proba = True
    _parameter_constraints: dict = {"label_smoothing": [Interval(Real, 0, 1, closed="left")]}

    def __init__(self, label_smoothing=0.0):
        self.label_smoothing = label_smoothing

    def _smoothed(self, Y, n_classes):
        eps = self.label_smoothing
        if not eps:
            return Y
        return Y * (1 - eps) + eps / n_classes

    @property
    def out_activation(self):
        return "softmax" if self.target_type == "multiclass" else "logistic"

    def per_sample_and_grad(self, Y, Z):
        if self.target_type == "multiclass":
            Y = self._smoothed(Y, Y.shape[1])
            shifted, exp, total = _shifted_exp(Z)
            shifted -= np.log(total)  # log-probabilities
            exp /= total  # probabilities
            return -np.sum(Y * shifted, axis=1), np.subtract(exp, Y, out=exp)
        Y = self._smoothed(Y, 2)
        return np.sum(np.logaddexp(0, Z) - Y * Z, axis=1), expit(Z) - Y

    def link(self, Z):
        if self.target_type == "multiclass":
            _, exp, total = _shifted_exp(Z)
            exp /= total
            return exp
        return expit(Z)

    def indicator_scores(self, Z):
        if self.target_type == "multiclass":
            return Z, 0.5  # softmax keeps the order: the argmax of Z is the class
        return super().indicator_scores(Z)


@LOSSES.register("hinge")
class Hinge(Loss):
    """Multiclass SVM loss (Weston-Watkins): sum over j != y of max(0, z_j - z_y + 1).

    Binary targets use two output units (the same formula with two classes);
    multilabel targets use one unit per label with the binary hinge
    max(0, 1 - s z), s = +1 for a present label and -1 otherwise. Outputs are
    scores, not probabilities.
    """

    task = "classification"

    def n_outputs(self, n_target_columns):
        return 2 if self.target_type == "binary" else n_target_columns

    def encode(self, Y):
        if self.target_type == "binary":
            return np.hstack([1 - Y, Y])
        return Y

    def per_sample_and_grad(self, Y, Z):
        if self.target_type == "multilabel-indicator":
            sign = 2 * Y - 1
            margins = 1 - sign * Z
            active = margins > 0
            return np.sum(margins * active, axis=1), -sign * active
        true_score = np.sum(Z * Y, axis=1, keepdims=True)
        margins = Z - true_score + 1
        active = (margins > 0) & (Y == 0)
        grad = active.astype(Z.dtype)
        grad -= Y * active.sum(axis=1, keepdims=True)
        return np.sum(margins * active, axis=1), grad

    def indicator_scores(self, Z):
        if self.target_type == "binary":
            return Z[:, 1:] - Z[:, :1], 0.0
        return Z, 0.0


@LOSSES.register("squared_error")
class SquaredError(Loss):
    """Half the mean over outputs of (z - y)^2."""

    def per_sample_and_grad(self, Y, Z):
        residual = Z - Y
        n_outputs = Z.shape[1]
        return 0.5 * np.mean(residual**2, axis=1), residual / n_outputs


@LOSSES.register("absolute_error")
class AbsoluteError(Loss):
    """Mean over outputs of ``abs(z - y)`` (its gradient is taken as 0 at the kink)."""

    def per_sample_and_grad(self, Y, Z):
        residual = Z - Y
        return np.mean(np.abs(residual), axis=1), np.sign(residual) / Z.shape[1]


@LOSSES.register("huber")
class Huber(Loss):
    """Mean over outputs of the Huber loss with threshold ``delta``.

    ``0.5 r^2`` for ``|r| <= delta``, ``delta * (|r| - delta / 2)`` beyond.

    Parameters
    ----------
    delta : float > 0, default=1.0
        Residual size at which the loss turns from quadratic to linear.
    """

    _parameter_constraints: dict = {"delta": [Interval(Real, 0, None, closed="neither")]}

    def __init__(self, delta=1.0):
        self.delta = delta

    def per_sample_and_grad(self, Y, Z):
        delta = self.delta
        residual = Z - Y
        abs_r = np.abs(residual)
        quadratic = np.minimum(abs_r, delta)
        per_element = quadratic * (abs_r - 0.5 * quadratic)
        grad = np.clip(residual, -delta, delta) / Z.shape[1]
        return np.mean(per_element, axis=1), grad


@LOSSES.register("poisson")
class Poisson(Loss):
    """The Poisson deviance with log link, as scikit-learn reports it.

    L = sum over outputs of y log(y / mu) - y + mu with mu = exp(z). Targets must
    be non-negative. Logits are capped below log(max float) so exp never overflows.
    """

    out_activation = "exp"

    def check_targets(self, y):
        if np.any(np.asarray(y) < 0):
            raise ValueError(
                "Some value(s) of y are negative which is not allowed for Poisson "
                "regression (loss='poisson')."
            )

    @staticmethod
    def _safe_exp(Z):
        cap = np.log(np.finfo(Z.dtype).max) - 2
        return np.exp(np.minimum(Z, cap))

    def per_sample_and_grad(self, Y, Z):
        mu = self._safe_exp(Z)
        per_element = xlogy(Y, Y) - Y - Y * Z + mu
        return np.sum(per_element, axis=1), mu - Y

    def link(self, Z):
        return self._safe_exp(Z)
