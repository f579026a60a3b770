"""Snapshot ensembles: one network, trained once, averaged over its checkpoints.

``SnapshotEnsembleClassifier`` and ``SnapshotEnsembleRegressor`` (Huang et
al. 2017, "Snapshot Ensembles: Train 1, get M for free") train one sknn
network for ``n_cycles`` cycles of a cosine learning rate with warm restarts
(``Cosine(restart_period=cycle_length)``, SGDR), keep a copy of the
parameters at the end of each cycle, where the rate is lowest, and average
the predictions of those checkpoints: probabilities for the classifier,
predictions for the regressor. The ensemble costs the epochs of one network.

The other route to a cheaper, smoother model is parameter averaging
(``averaging="ema"`` or ``"polyak"`` on the network itself): one set of
averaged weights rather than an average of predictions.
scikit-learn's ``VotingClassifier``, ``VotingRegressor``,
``StackingClassifier`` and ``BaggingClassifier`` take sknn's networks as
they take any estimator, for ensembles of separately trained networks.
"""

import copy
import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from ._compat import HasMethods, Interval, _fit_context
from ._estimators import MLPClassifier, MLPRegressor
from .optimizers import OPTIMIZERS
from .schedules import Cosine
from .training import driver_for

__all__ = ["SnapshotEnsembleClassifier", "SnapshotEnsembleRegressor"]


class _Snapshots:
    """A ``callback(estimator, record)`` keeping the parameters at each cycle's end.

    Parameters
    ----------
    cycle_length : int
        Epochs per cycle; a copy is kept after epochs cycle_length, 2 *
        cycle_length, ... (``record["epoch"]`` counts from 0).
    """

    def __init__(self, cycle_length):
        self.cycle_length, self.kept = cycle_length, []

    def __call__(self, estimator, record):
        if (record["epoch"] + 1) % self.cycle_length == 0:
            average = estimator.theta_average_
            average_buffers = getattr(estimator, "buffers_average_", None)
            self.kept.append({
                "theta_": estimator.theta_.copy(),
                "buffers_": estimator.buffers_.copy(),
                "theta_average_": None if average is None else average.copy(),
                "buffers_average_": None if average_buffers is None else average_buffers.copy(),
            })
        return False


def _member(network, snapshot):
    """A copy of the trained ``network`` that predicts with the ``snapshot``'s parameters.

    The copy shares everything else (architecture, classes, history) with the
    network; its prediction network is rebuilt from the new arrays on first use.
    """
    member = copy.copy(network)
    member.__dict__.pop("_inference_cache", None)
    for name, value in snapshot.items():
        setattr(member, name, value)
    return member


class _BaseSnapshotEnsemble(MetaEstimatorMixin, BaseEstimator):
    """Shared machinery; use SnapshotEnsembleClassifier or SnapshotEnsembleRegressor."""

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "n_cycles": [Interval(Integral, 1, None, closed="left")],
        "cycle_length": [Interval(Integral, 1, None, closed="left")],
        "lr_min": [Interval(Real, 0, None, closed="left")],
        "n_snapshots": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(self, estimator=None, *, n_cycles=5, cycle_length=20, lr_min=1e-6,
                 n_snapshots=None):
        self.estimator = estimator
        self.n_cycles = n_cycles
        self.cycle_length = cycle_length
        self.lr_min = lr_min
        self.n_snapshots = n_snapshots

    def _network(self):
        """A fresh copy of the network to train, set for the cyclic schedule."""
        base = self._default_estimator() if self.estimator is None else self.estimator
        if not isinstance(base, (MLPClassifier, MLPRegressor)) or (
            isinstance(base, MLPClassifier) != isinstance(self, ClassifierMixin)
        ):
            kind = "MLPClassifier" if isinstance(self, ClassifierMixin) else "MLPRegressor"
            raise ValueError(
                f"estimator must be an sknn {kind} (or None), got {base!r}: a snapshot "
                "ensemble sets the network's schedule and copies its parameters."
            )
        solver = base.solver
        solver_class = OPTIMIZERS.get(solver) if isinstance(solver, str) else type(solver)
        if not driver_for(solver_class).mini_batches:  # only those follow a schedule
            raise ValueError(
                f"estimator's solver={solver!r} has no learning-rate schedule; a snapshot "
                "ensemble needs a stochastic solver (sgd, adam, ...)."
            )
        if self.n_snapshots is not None and self.n_snapshots > self.n_cycles:
            raise ValueError(
                f"n_snapshots={self.n_snapshots} must be at most n_cycles={self.n_cycles}: "
                "one snapshot is taken per cycle."
            )
        if base.averaging is not None and np.any(np.asarray(base.batch_norm, dtype=bool)):
            raise ValueError(
                "estimator uses averaging with batch_norm: the averaged weights get "
                "their batch-norm statistics at the end of a fit, not at the end of "
                "each cycle, so the snapshots would pair them with stale statistics. "
                "Use one of the two."
            )
        if isinstance(base, MLPClassifier) and not hasattr(base, "predict_proba"):
            raise ValueError(
                f"estimator's loss={base.loss!r} gives scores, not probabilities: a "
                "snapshot ensemble averages probabilities (use loss='log_loss')."
            )
        network = clone(base)
        snapshots = _Snapshots(self.cycle_length)
        network.set_params(
            learning_rate=Cosine(restart_period=self.cycle_length, lr_min=self.lr_min),
            max_iter=self.n_cycles * self.cycle_length,
            n_iter_no_change=np.inf,  # every cycle runs: no plateau rule
        )
        return network, snapshots

    def _fit_network(self, X, y, sample_weight):
        network, snapshots = self._network()
        own = network.callbacks
        listed = [] if own is None else [own] if callable(own) else list(own)
        network.set_params(callbacks=[*listed, snapshots])
        try:
            with warnings.catch_warnings():
                # the epoch count is fixed by design: reaching it is not a failure
                warnings.simplefilter("ignore", ConvergenceWarning)
                network.fit(X, y, sample_weight=sample_weight)
        finally:
            network.set_params(callbacks=own)  # the network's own, without the snapshots
        kept = snapshots.kept[-self.n_snapshots:] if self.n_snapshots else snapshots.kept
        if not kept:  # stopped by a callback of the user before the first cycle ended
            kept = [{"theta_": network.theta_, "buffers_": network.buffers_,
                     "theta_average_": network.theta_average_}]
        self.estimator_ = network
        self.estimators_ = [_member(network, snapshot) for snapshot in kept]
        return self

    def _average(self, X, method):
        """The mean over the checkpoints of ``member.<method>(X)``, X validated once.

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_columns)
        """
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=["csr", "csc"], reset=False)
        return np.mean([getattr(member, method)(X) for member in self.estimators_], axis=0)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


class SnapshotEnsembleClassifier(ClassifierMixin, _BaseSnapshotEnsemble):
    """Snapshot ensemble of an sknn MLPClassifier: the mean of its checkpoints' probabilities.

    Trains one copy of ``estimator`` for ``n_cycles * cycle_length`` epochs
    with ``learning_rate=Cosine(restart_period=cycle_length, lr_min=lr_min)``
    (the rate restarts from ``learning_rate_init`` every ``cycle_length``
    epochs) and ``n_iter_no_change=inf`` (every cycle runs), keeps the
    parameters at the end of each cycle, and predicts the class of highest
    mean probability over the last ``n_snapshots`` checkpoints. The network's
    own ``callbacks`` still run. Large initial rates (SGD 0.05-0.2, Adam
    0.005-0.01) let each cycle move to a new minimum, which is what makes
    the checkpoints differ.

    Parameters
    ----------
    estimator : MLPClassifier or None, default=None
        The network, with a stochastic solver; None: ``MLPClassifier()``.
        Its ``learning_rate``, ``max_iter`` and ``n_iter_no_change`` are
        replaced as above.
    n_cycles : int >= 1, default=5
        Cycles of the cosine schedule, one checkpoint each.
    cycle_length : int >= 1, default=20
        Epochs per cycle.
    lr_min : float >= 0, default=1e-6
        The rate at the end of each cycle.
    n_snapshots : int or None, default=None
        How many of the last checkpoints to average (at most ``n_cycles``);
        None: all of them.

    Attributes
    ----------
    estimator_ : MLPClassifier
        The trained network, as it stood after the last epoch.
    estimators_ : list of MLPClassifier of length n_snapshots
        One network per checkpoint kept, oldest first; ``estimators_[-1]``
        predicts as ``estimator_``.
    classes_ : ndarray of shape (n_classes,)
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Only when ``X`` has feature names that are all strings.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sknn import MLPClassifier
    >>> from sknn.ensemble import SnapshotEnsembleClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> ens = SnapshotEnsembleClassifier(
    ...     MLPClassifier((16,), learning_rate_init=0.01, random_state=0),
    ...     n_cycles=3, cycle_length=30,
    ... ).fit(X, y)
    >>> len(ens.estimators_), ens.predict_proba(X[:2]).shape
    (3, (2, 3))
    """

    def _default_estimator(self):
        return MLPClassifier()

    @_fit_context(prefer_skip_nested_validation=False)  # the network is validated in its fit
    def fit(self, X, y, sample_weight=None):
        """Train the network once and keep a checkpoint at the end of each cycle.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        self : object
        """
        X, y = validate_data(self, X, y, accept_sparse=["csr", "csc"],
                             dtype=(np.float64, np.float32))
        check_classification_targets(y)
        self._fit_network(X, y, sample_weight)
        self.classes_ = self.estimator_.classes_
        return self

    def predict_proba(self, X):
        """Mean class probabilities of the checkpoints.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            In the order of ``classes_``.
        """
        return self._average(X, "predict_proba")

    def predict_log_proba(self, X):
        """Logarithm of ``predict_proba``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """The class of highest mean probability.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y : ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


class SnapshotEnsembleRegressor(RegressorMixin, _BaseSnapshotEnsemble):
    """Snapshot ensemble of an sknn MLPRegressor: the mean of its checkpoints' predictions.

    Trains one copy of ``estimator`` as ``SnapshotEnsembleClassifier`` does
    (``n_cycles`` cosine cycles with warm restarts of ``cycle_length``
    epochs, one checkpoint at the end of each) and predicts the mean of the
    last ``n_snapshots`` checkpoints' predictions.

    Parameters
    ----------
    estimator : MLPRegressor or None, default=None
        The network, with a stochastic solver; None: ``MLPRegressor()``.
        Its ``learning_rate``, ``max_iter`` and ``n_iter_no_change`` are replaced.
    n_cycles : int >= 1, default=5
    cycle_length : int >= 1, default=20
    lr_min : float >= 0, default=1e-6
    n_snapshots : int or None, default=None
        None: every checkpoint.

    Attributes
    ----------
    estimator_ : MLPRegressor
        The trained network after the last epoch.
    estimators_ : list of MLPRegressor of length n_snapshots
        One network per checkpoint kept, oldest first.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Only when ``X`` has feature names that are all strings.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from sknn import MLPRegressor
    >>> from sknn.ensemble import SnapshotEnsembleRegressor
    >>> X, y = make_regression(n_samples=200, n_features=5, random_state=0)
    >>> ens = SnapshotEnsembleRegressor(
    ...     MLPRegressor(hidden_layer_sizes=(32,), learning_rate_init=0.01, random_state=0),
    ...     n_cycles=2, cycle_length=50,
    ... ).fit(X, y)
    >>> ens.predict(X[:3]).shape
    (3,)
    """

    def _default_estimator(self):
        return MLPRegressor()

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None):
        """Train the network once and keep a checkpoint at the end of each cycle.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        self : object
        """
        X, y = validate_data(self, X, y, accept_sparse=["csr", "csc"], multi_output=True,
                             y_numeric=True, dtype=(np.float64, np.float32))
        return self._fit_network(X, y, sample_weight)

    def predict(self, X):
        """Mean prediction of the checkpoints.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        """
        return self._average(X, "predict")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
