"""MLPClassifier and MLPRegressor: scikit-learn shells around the engine.

The estimators validate parameters and data, turn them into a network and an
objective, hand those to a training driver, and decode predictions. No
numerical code lives here.
"""

from abc import ABCMeta, abstractmethod
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, is_classifier
from sklearn.metrics import accuracy_score, get_scorer_names, r2_score
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils import check_random_state, column_or_1d
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import _check_partial_fit_first_call, type_of_target, unique_labels
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from ._compat import Interval, Options, StrOptions, _fit_context
from ._docstrings import COMMON_ATTRIBUTES, COMMON_PARAMETERS
from ._hyperparams import as_scalar_if_0d, check_hidden_layer_sizes
from ._network import Network, Objective, build_layers
from ._sample_weights import weigh_samples
from ._genetic import fit_genetic
from ._training import NON_FINITE_MESSAGE, fit_lbfgs, fit_stochastic
from .activations import ACTIVATIONS
from .initializers import initializer_names, resolve_initializer
from .layers import Dense
from .losses import LOSSES
from .optimizers import solver_names
from .schedules import SCHEDULES

CLASSIFICATION_LOSSES = ("hinge", "log_loss")
REGRESSION_LOSSES = ("absolute_error", "huber", "poisson", "squared_error")
#: architecture entries that only act in training: warm_start may change them
TRAINING_ONLY_KEYS = ("dropout", "input_dropout", "batch_norm_momentum")


def _store_params(estimator, arguments):
    """Store the constructor's arguments as attributes, as scikit-learn requires.

    ``arguments`` is the ``__init__``'s ``locals()``: its parameters, by name.
    """
    for name, value in arguments.items():
        if name not in ("self", "__class__"):
            setattr(estimator, name, value)


class BaseMLP(BaseEstimator, metaclass=ABCMeta):
    """Shared machinery of MLPClassifier and MLPRegressor; use those instead."""

    _parameter_constraints: dict = {
        "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
        "activation": [StrOptions(set(ACTIVATIONS.names())), "array-like"],
        "solver": [StrOptions(set(solver_names()))],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "batch_size": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
        "learning_rate": [StrOptions(set(SCHEDULES.names()))],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "power_t": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "nesterovs_momentum": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "n_iter_no_change": [
            Interval(Integral, 1, None, closed="left"),
            Options(Real, {np.inf}),
        ],
        "max_fun": [Interval(Integral, 1, None, closed="left")],
        "weight_init": [StrOptions(set(initializer_names()))],
        "bias_init": [Interval(Real, None, None, closed="neither")],
        "init_scale": [Interval(Real, 0, None, closed="neither")],
        "negative_slope": [Interval(Real, 0, None, closed="left")],
        "elu_alpha": [Interval(Real, 0, None, closed="neither")],
        "l1": [Interval(Real, 0, None, closed="left")],
        "max_norm": [Interval(Real, 0, None, closed="neither"), None],
        "dropout": [Interval(Real, 0, 1, closed="left"), "array-like"],
        "input_dropout": [Interval(Real, 0, 1, closed="left")],
        "batch_norm": ["boolean", "array-like"],
        "batch_norm_momentum": [Interval(Real, 0, 1, closed="left")],
        "maxout_pieces": [Interval(Integral, 2, None, closed="left")],
        "dampening": [Interval(Real, 0, 1, closed="both")],
        "momentum_bias_correction": ["boolean"],
        "amsgrad": ["boolean"],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "rho": [Interval(Real, 0, 1, closed="left")],
        "clip_norm": [Interval(Real, 0, None, closed="neither"), None],
        "population_size": [Interval(Integral, 2, None, closed="left")],
        "mutation_scale": [Interval(Real, 0, None, closed="neither")],
        "elite_fraction": [Interval(Real, 0, 1, closed="left")],
        "lr_factor": [Interval(Real, 0, 1, closed="neither")],
        "lr_step_size": [Interval(Integral, 1, None, closed="left")],
        "lr_decay": [Interval(Real, 0, None, closed="left")],
        "lr_min": [Interval(Real, 0, None, closed="left")],
        "lr_patience": [Interval(Integral, 1, None, closed="left")],
        "lr_restart_period": [Interval(Integral, 1, None, closed="left"), None],
        "warmup_epochs": [Interval(Integral, 0, None, closed="left")],
        "divergence_threshold": [Interval(Real, 1, None, closed="neither"), None],
        "on_divergence": [StrOptions({"raise", "warn"})],
        "scoring": [StrOptions(set(get_scorer_names()) | {"loss"}), callable, None],
        "averaging": [StrOptions({"ema", "polyak"}), None],
        "ema_decay": [Interval(Real, 0, 1, closed="neither")],
        "callbacks": [list, tuple, callable, None],
    }

    @abstractmethod
    def __init__(self):
        """Subclasses list every parameter and store them with ``_store_params``."""

    # ------------------------------------------------------------------ setup
    def _hidden_layer_sizes(self):
        return check_hidden_layer_sizes(self.hidden_layer_sizes)

    def _per_hidden_layer(self, param, n_hidden):
        """The value of ``param`` for each hidden layer: a scalar is repeated."""
        value = as_scalar_if_0d(getattr(self, param))
        if isinstance(value, str) or not hasattr(value, "__iter__"):
            return [value] * n_hidden
        values = list(value)
        if len(values) != n_hidden:
            raise ValueError(
                f"{param} has {len(values)} entries but there are {n_hidden} hidden "
                "layers: give one value, or one per hidden layer."
            )
        return values

    def _hidden_activations(self, n_hidden):
        """One canonical activation name per hidden layer."""
        names = self._per_hidden_layer("activation", n_hidden)
        return tuple(ACTIVATIONS.canonical(name) for name in names)

    def _hidden_dropout(self, n_hidden):
        """One dropout rate per hidden layer, each in [0, 1)."""
        rates = self._per_hidden_layer("dropout", n_hidden)
        for rate in rates:
            if isinstance(rate, bool) or not isinstance(rate, Real) or not 0 <= rate < 1:
                raise ValueError(
                    "dropout must be a probability in [0, 1), or one per hidden layer; "
                    f"got {self.dropout!r}."
                )
        return tuple(float(rate) for rate in rates)

    def _hidden_batch_norm(self, n_hidden):
        """One batch-norm switch per hidden layer."""
        switches = self._per_hidden_layer("batch_norm", n_hidden)
        for switch in switches:
            if not isinstance(switch, (bool, np.bool_)):
                raise ValueError(
                    "batch_norm must be a bool, or one bool per hidden layer; "
                    f"got {self.batch_norm!r}."
                )
        return tuple(bool(switch) for switch in switches)

    def _check_regularization(self):
        if self.max_norm is not None and self.solver in ("lbfgs", "genetic"):
            raise ValueError(
                "max_norm is a projection applied after every stochastic update; "
                f"solver={self.solver!r} has no such updates. Use a stochastic "
                "solver, or the alpha and l1 penalties."
            )
        if self.averaging is not None and np.any(np.asarray(self.batch_norm)):
            raise ValueError(
                "averaging with batch_norm is not supported yet: the running "
                "statistics of batch norm belong to the live weights, not to their "
                "average, and would have to be recomputed on the training data."
            )
        if self.solver == "genetic":
            uses_dropout = self.input_dropout or np.any(np.asarray(self.dropout) > 0)
            if uses_dropout or np.any(np.asarray(self.batch_norm)):
                raise ValueError(
                    "solver='genetic' scores whole parameter vectors in inference "
                    "mode, where dropout is off and batch norm has no mini-batch "
                    "statistics to learn from; use dropout and batch_norm with a "
                    "gradient-based solver."
                )

    def _architecture(self, n_features, n_outputs):
        """The plain, pickle-safe description the layers are rebuilt from."""
        sizes = self._hidden_layer_sizes()
        return {
            "n_features": int(n_features),
            "hidden_layer_sizes": sizes,
            "activations": self._hidden_activations(len(sizes)),
            "activation_options": {
                "negative_slope": float(self.negative_slope),
                "elu_alpha": float(self.elu_alpha),
                "maxout_pieces": int(self.maxout_pieces),
            },
            "batch_norm": self._hidden_batch_norm(len(sizes)),
            "batch_norm_momentum": float(self.batch_norm_momentum),
            "dropout": self._hidden_dropout(len(sizes)),
            "input_dropout": float(self.input_dropout),
            "n_outputs": int(n_outputs),
        }

    def _network(self, theta=None):
        """The fitted network, bound to ``theta_`` (or ``theta``) without copying."""
        theta = self.theta_ if theta is None else theta
        return Network(build_layers(self._arch), theta.dtype, theta, self.buffers_)

    def _inference_theta(self):
        """The parameters predictions use: the running average when there is one."""
        average = getattr(self, "theta_average_", None)
        return self.theta_ if average is None else average

    def _new_network(self, arch, dtype, rng):
        """A network for ``arch`` with freshly initialized parameters."""
        network = Network(build_layers(arch), dtype)
        network.initialize(
            lambda activation: resolve_initializer(
                self.weight_init,
                activation,
                sklearn_logistic=self.activation == "logistic",
                init_scale=self.init_scale,
                bias_init=self.bias_init,
            ),
            rng,
        )
        return network

    def _objective(self, network, loss, rng=None):
        """The training objective (loss, penalties and max-norm constraint).

        With 'lbfgs' the objective draws its dropout masks from one seed taken
        from ``rng``: the same masks at every evaluation, so that the function
        L-BFGS minimizes is deterministic.
        """
        seed = None
        if self.solver == "lbfgs" and rng is not None:
            seed = rng.randint(np.iinfo(np.int32).max)
        return Objective(
            network, loss, alpha=self.alpha, l1=self.l1, max_norm=self.max_norm, seed=seed
        )

    def _build_loss(self):
        return LOSSES.build(self._loss_spec["name"], **self._loss_spec)

    def _initialize(self, arch, loss_spec, dtype, rng):
        """Set up every fitted attribute for a first fit."""
        self._arch = arch
        self._loss_spec = loss_spec
        self.n_iter_ = 0
        self.t_ = 0
        self.n_outputs_ = arch["n_outputs"]
        self.n_layers_ = len(arch["hidden_layer_sizes"]) + 2
        self.out_activation_ = self._build_loss().out_activation
        network = self._new_network(arch, dtype, rng)
        self.theta_ = network.theta
        self.buffers_ = network.buffers
        self._best_theta = self._best_buffers = None  # early stopping's, made when needed
        self._optimizer_solver = None
        self._schedule_name = None
        self.loss_curve_ = []
        self.history_ = []
        self.theta_average_ = None
        self._averaging = None
        self._average_count = 0
        self._loss_reference = None
        self._no_improvement_count = 0
        if self.early_stopping and self.solver != "lbfgs":
            self.validation_scores_ = []
            self.validation_loss_curve_ = []
            self.best_validation_score_ = -np.inf
            self.best_loss_ = None
        else:
            self.best_loss_ = np.inf
            self.validation_scores_ = None
            self.validation_loss_curve_ = None
            self.best_validation_score_ = None

    # -------------------------------------------------------------- training
    def _fit(self, X, y, sample_weight=None, incremental=False):
        self._hidden_layer_sizes()  # validates before any data work
        self._check_regularization()
        first_pass = not hasattr(self, "theta_") or (not self.warm_start and not incremental)
        X, Y, sample_weight, y_score, loss_spec, arch = self._prepare(
            X, y, sample_weight, incremental, reset=first_pass
        )
        loss = LOSSES.build(loss_spec["name"], **loss_spec)
        rng = check_random_state(self.random_state)
        if first_pass:
            self._initialize(arch, loss_spec, X.dtype, rng)
        else:
            self._check_continuation(arch, X.dtype)
            self._arch = arch  # may differ in TRAINING_ONLY_KEYS
            self._loss_spec = loss_spec

        network = self._network(self.theta_)
        # the stochastic driver rolls back to its own checkpoint; the others to the start
        start = self.theta_.copy() if self.solver in ("lbfgs", "genetic") else None
        objective = self._objective(network, loss, rng)
        self.diverged_ = False
        # A diverging run overflows; the drivers detect the non-finite loss and
        # report it as such, so NumPy's own overflow warnings would only be noise.
        with np.errstate(over="ignore", invalid="ignore"):
            if self.solver == "lbfgs":
                self.theta_average_ = None
                fit_lbfgs(self, objective, X, Y, sample_weight)
            elif self.solver == "genetic":
                fit_genetic(self, objective, X, Y, sample_weight, y_score, rng, incremental)
            else:
                fit_stochastic(self, objective, X, Y, sample_weight, y_score, rng, incremental)

        if start is not None and not np.isfinite(self.theta_).all():
            self.theta_[...] = start
            raise ValueError(NON_FINITE_MESSAGE)
        return self

    def _prepare(self, X, y, sample_weight, incremental, reset):
        """Validate the data and derive what training needs from it.

        Returns
        -------
        X : ndarray or sparse matrix of shape (n_samples, n_features), float
        Y : ndarray of shape (n_samples, n_outputs)
            Targets encoded for the loss, dtype of X.
        sample_weight : ndarray of shape (n_samples,) or None
            Including class weights.
        y_score : ndarray
            Targets as ``score`` takes them.
        loss_spec : dict
            Plain description the loss is built from.
        arch : dict
            Plain description the network is built from.
        """
        X, Y, y_score = self._validate_input(X, y, incremental, reset=reset)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype)
        sample_weight = weigh_samples(self, sample_weight, y_score, incremental)
        loss_spec = self._loss_options(Y)
        loss = LOSSES.build(loss_spec["name"], **loss_spec)
        Y = loss.encode(Y).astype(X.dtype, copy=False)
        arch = self._architecture(X.shape[1], loss.n_outputs(Y.shape[1]))
        return X, Y, sample_weight, y_score, loss_spec, arch

    def _check_continuation(self, arch, dtype):
        """Refuse to continue training a network of another shape or dtype.

        Dropout rates and the batch-norm momentum may change between calls.
        """

        def structure(a):
            return {key: value for key, value in a.items() if key not in TRAINING_ONLY_KEYS}

        if structure(arch) != structure(self._arch):
            raise ValueError(
                "The network's architecture changed since the last call to fit "
                f"(was {self._arch}, now {arch}); warm_start and partial_fit need "
                "the same hidden_layer_sizes, activations and outputs."
            )
        if np.dtype(dtype) != self.theta_.dtype:
            raise ValueError(
                f"X has dtype {np.dtype(dtype)} but the network was trained with "
                f"{self.theta_.dtype}; warm_start and partial_fit keep the dtype."
            )

    def _weight_samples(self, sample_weight, y_score, incremental):
        return sample_weight

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model to data matrix X and target(s) y.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            The target values (class labels in classification, real numbers in
            regression).
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights: finite, non-negative and not all zero (negative
            weights are refused). A mini-batch whose weights sum to zero
            carries no data: its loss is 0 and its gradient zero (the
            optimizer still takes its step, moving by its momentum or
            adaptive state alone). Multiplied by ``class_weight``.

        Returns
        -------
        self : object
            The trained model.
        """
        return self._fit(X, y, sample_weight=sample_weight, incremental=False)

    def _check_solver(self):
        if self.solver == "lbfgs":
            raise AttributeError(
                "partial_fit is only available for stochastic optimizers (and "
                "'genetic'). %s is not stochastic." % self.solver
            )
        return True

    # ------------------------------------------------------------- inference
    def _forward(self, X, check_input=True):
        """Logits of shape (n_samples, n_outputs_)."""
        if check_input:
            X = validate_data(self, X, accept_sparse=["csr", "csc"], reset=False)
        return self._network(self._inference_theta()).predict_logits(X)

    def _score_with_function(self, X, y, sample_weight, score_function):
        """Score without input validation; NaN when predictions are not finite."""
        y_pred = self._predict(X, check_input=False)
        if np.issubdtype(y_pred.dtype, np.floating) and not np.isfinite(y_pred).all():
            return np.nan
        return score_function(y, y_pred, sample_weight=sample_weight)

    def _is_single_output_classifier(self):
        return is_classifier(self) and self._label_binarizer.y_type_ != "multilabel-indicator"

    def _dense_layers(self):
        network = self._network(self._inference_theta())
        return [layer for layer in network.layers if isinstance(layer, Dense)]

    @property
    def coefs_(self):
        """Weight matrices of the dense layers, views into the parameters used
        for prediction (``theta_``, or ``theta_average_`` with averaging)."""
        check_is_fitted(self)
        return [layer.params["W"] for layer in self._dense_layers()]

    @property
    def intercepts_(self):
        """Bias vectors of the dense layers, views into the parameters used for
        prediction (``theta_``, or ``theta_average_`` with averaging).

        A dense layer followed by batch norm has no bias (batch norm's shift
        takes its role): its entry is a new array of zeros.
        """
        check_is_fitted(self)
        return [
            layer.params["b"] if layer.use_bias else np.zeros(layer.n_out, self.theta_.dtype)
            for layer in self._dense_layers()
        ]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.target_tags.multi_output = True
        return tags


def _has_proba(est):
    """predict_proba exists unless the loss gives scores rather than probabilities."""
    return est.loss != "hinge"


def _is_hinge(est):
    return est.loss == "hinge"


class MLPClassifier(ClassifierMixin, BaseMLP):
    __doc__ = f"""Multi-layer perceptron classifier.

    A drop-in superset of ``sklearn.neural_network.MLPClassifier``: the same
    parameters, attributes and methods, plus more activations, initializers,
    the multiclass hinge loss and ``class_weight``.

    Parameters
    ----------
    {COMMON_PARAMETERS.strip()}

    loss : {{'log_loss', 'hinge'}}, default='log_loss'
        'log_loss' is cross-entropy through softmax (multiclass), one sigmoid
        (binary) or independent sigmoids (multilabel indicator ``y``). 'hinge' is
        the multiclass SVM loss sum over j != y of max(0, f_j - f_y + 1) (binary
        hinge per label for multilabel ``y``); with it ``predict_proba`` is not
        available and ``decision_function`` is.

    class_weight : dict, 'balanced' or None, default=None
        Weights of the classes, multiplied into ``sample_weight``. 'balanced'
        uses n_samples / (n_classes * np.bincount(y)); not available in
        ``partial_fit``.

    Attributes
    ----------
    classes_ : ndarray or list of ndarray of shape (n_classes,)
        Class labels for each output.
    {COMMON_ATTRIBUTES.strip()}

    See Also
    --------
    MLPRegressor : Multi-layer perceptron regressor.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sknn import MLPClassifier
    >>> X, y = load_digits(return_X_y=True)
    >>> clf = make_pipeline(StandardScaler(), MLPClassifier(random_state=0, max_iter=50))
    >>> clf.fit(X[:1500], y[:1500]).score(X[1500:], y[1500:]) > 0.9
    True
    """

    _parameter_constraints: dict = {
        **BaseMLP._parameter_constraints,
        "loss": [StrOptions(set(CLASSIFICATION_LOSSES))],
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
        loss="log_loss",
        weight_init="sklearn",
        bias_init=0.0,
        init_scale=0.01,
        negative_slope=0.01,
        elu_alpha=1.0,
        l1=0.0,
        max_norm=None,
        dropout=0.0,
        input_dropout=0.0,
        batch_norm=False,
        batch_norm_momentum=0.9,
        maxout_pieces=2,
        dampening=0.0,
        momentum_bias_correction=False,
        amsgrad=False,
        weight_decay=0.01,
        rho=0.9,
        clip_norm=None,
        population_size=50,
        mutation_scale=0.05,
        elite_fraction=0.1,
        lr_factor=0.5,
        lr_step_size=10,
        lr_decay=0.05,
        lr_min=1e-6,
        lr_patience=5,
        lr_restart_period=None,
        warmup_epochs=0,
        divergence_threshold=100.0,
        on_divergence="warn",
        scoring=None,
        averaging=None,
        ema_decay=0.99,
        callbacks=None,
        class_weight=None,
    ):
        _store_params(self, locals())

    def _validate_input(self, X, y, incremental, reset):
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=["csr", "csc"],
            multi_output=True,
            dtype=(np.float64, np.float32),
            reset=reset,
        )
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        if (not hasattr(self, "classes_")) or (not self.warm_start and not incremental):
            self._label_binarizer = LabelBinarizer()
            self._label_binarizer.fit(y)
            self.classes_ = self._label_binarizer.classes_
        else:
            classes = unique_labels(y)
            if self.warm_start:
                if set(classes) != set(self.classes_):
                    raise ValueError(
                        "warm_start can only be used where `y` has the same classes as "
                        f"in the previous call to fit. Previously got {self.classes_}, "
                        f"`y` has {classes}"
                    )
            elif len(np.setdiff1d(classes, self.classes_, assume_unique=True)):
                raise ValueError(
                    "`y` has classes not in `self.classes_`. "
                    f"`self.classes_` has {self.classes_}. 'y' has {classes}."
                )
        Y = self._label_binarizer.transform(y).astype(X.dtype)
        return X, Y, y

    def _weight_samples(self, sample_weight, y_score, incremental):
        if self.class_weight is None:
            return sample_weight
        if incremental and self.class_weight == "balanced":
            raise ValueError(
                "class_weight 'balanced' is not supported for partial_fit: the class "
                "frequencies of the whole data are unknown. Pass a dict of weights."
            )
        weights = compute_sample_weight(self.class_weight, y_score).astype(
            np.float64 if sample_weight is None else sample_weight.dtype
        )
        return weights if sample_weight is None else sample_weight * weights

    def _loss_options(self, Y):
        return {"name": self.loss, "target_type": self._label_binarizer.y_type_}

    @available_if(lambda est: est._check_solver())
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """Update the model with a single epoch over the given data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.
        y : array-like of shape (n_samples,)
            The target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.
        classes : array of shape (n_classes,), default=None
            Classes across all calls to partial_fit; required for the first call.

        Returns
        -------
        self : object
            The trained model.
        """
        if _check_partial_fit_first_call(self, classes):
            self._label_binarizer = LabelBinarizer()
            if type_of_target(y).startswith("multilabel"):
                self._label_binarizer.fit(y)
            else:
                self._label_binarizer.fit(classes)
        return self._fit(X, y, sample_weight=sample_weight, incremental=True)

    def _predict(self, X, check_input=True):
        scores, threshold = self._build_loss().indicator_scores(self._forward(X, check_input))
        if scores.shape[1] == 1:
            scores = scores.ravel()
        return self._label_binarizer.inverse_transform(scores, threshold=threshold)

    def _score(self, X, y, sample_weight=None):
        return self._score_with_function(X, y, sample_weight, accuracy_score)

    def predict(self, X):
        """Predict the class labels of X.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_classes)
            The predicted classes.
        """
        check_is_fitted(self)
        return self._predict(X)

    @available_if(_has_proba)
    def predict_proba(self, X):
        """Probability estimates.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.

        Returns
        -------
        y_prob : ndarray of shape (n_samples, n_classes)
            Probability of each class, in the order of ``classes_``.
        """
        check_is_fitted(self)
        y_prob = self._build_loss().link(self._forward(X))
        if y_prob.shape[1] == 1:
            y_prob = y_prob.ravel()
            return np.vstack([1 - y_prob, y_prob]).T
        return y_prob

    @available_if(_has_proba)
    def predict_log_proba(self, X):
        """Logarithm of the probability estimates.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.

        Returns
        -------
        log_y_prob : ndarray of shape (n_samples, n_classes)
            Log-probability of each class, in the order of ``classes_``.
        """
        y_prob = self.predict_proba(X)
        with np.errstate(divide="ignore"):
            return np.log(y_prob, out=y_prob)

    @available_if(_is_hinge)
    def decision_function(self, X):
        """Class scores of the hinge-loss network.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            For binary problems, the score of ``classes_[1]`` minus that of
            ``classes_[0]`` (positive means ``classes_[1]``); otherwise one score
            per class or label.
        """
        check_is_fitted(self)
        scores, _ = self._build_loss().indicator_scores(self._forward(X))
        return scores.ravel() if scores.shape[1] == 1 else scores

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


class MLPRegressor(RegressorMixin, BaseMLP):
    __doc__ = f"""Multi-layer perceptron regressor.

    A drop-in superset of ``sklearn.neural_network.MLPRegressor``: the same
    parameters, attributes and methods, plus more activations, initializers
    and the absolute-error and Huber losses.

    Parameters
    ----------
    loss : {{'squared_error', 'absolute_error', 'huber', 'poisson'}}, \
default='squared_error'
        'squared_error' is half the mean squared error (identity output),
        'absolute_error' the mean absolute error, 'huber' the Huber loss with
        threshold ``huber_delta`` and 'poisson' the Poisson deviance with a log
        link (exp output; ``y`` must be non-negative).

    {COMMON_PARAMETERS.strip()}

    huber_delta : float, default=1.0
        Residual size at which the Huber loss turns from quadratic to linear.

    Attributes
    ----------
    {COMMON_ATTRIBUTES.strip()}

    See Also
    --------
    MLPClassifier : Multi-layer perceptron classifier.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from sknn import MLPRegressor
    >>> X, y = make_regression(n_samples=200, random_state=1)
    >>> reg = MLPRegressor(solver="lbfgs", random_state=1).fit(X[:150], y[:150])
    >>> reg.score(X[150:], y[150:]) > 0.5
    True
    """

    _parameter_constraints: dict = {
        **BaseMLP._parameter_constraints,
        "loss": [StrOptions(set(REGRESSION_LOSSES))],
        "huber_delta": [Interval(Real, 0, None, closed="neither")],
    }

    def __init__(
        self,
        loss="squared_error",
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
        weight_init="sklearn",
        bias_init=0.0,
        init_scale=0.01,
        negative_slope=0.01,
        elu_alpha=1.0,
        l1=0.0,
        max_norm=None,
        dropout=0.0,
        input_dropout=0.0,
        batch_norm=False,
        batch_norm_momentum=0.9,
        maxout_pieces=2,
        dampening=0.0,
        momentum_bias_correction=False,
        amsgrad=False,
        weight_decay=0.01,
        rho=0.9,
        clip_norm=None,
        population_size=50,
        mutation_scale=0.05,
        elite_fraction=0.1,
        lr_factor=0.5,
        lr_step_size=10,
        lr_decay=0.05,
        lr_min=1e-6,
        lr_patience=5,
        lr_restart_period=None,
        warmup_epochs=0,
        divergence_threshold=100.0,
        on_divergence="warn",
        scoring=None,
        averaging=None,
        ema_decay=0.99,
        callbacks=None,
        huber_delta=1.0,
    ):
        _store_params(self, locals())

    def _validate_input(self, X, y, incremental, reset):
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=["csr", "csc"],
            multi_output=True,
            y_numeric=True,
            dtype=(np.float64, np.float32),
            reset=reset,
        )
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        if self.loss == "poisson" and np.any(y < 0):
            raise ValueError(
                "Some value(s) of y are negative which is not allowed for Poisson "
                "regression (loss='poisson')."
            )
        Y = y.reshape(-1, 1) if y.ndim == 1 else y
        return X, Y.astype(X.dtype), y

    def _loss_options(self, Y):
        return {"name": self.loss, "target_type": "continuous", "huber_delta": self.huber_delta}

    @available_if(lambda est: est._check_solver())
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """Update the model with a single epoch over the given data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            The target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        self : object
            The trained model.
        """
        return self._fit(X, y, sample_weight=sample_weight, incremental=True)

    def _predict(self, X, check_input=True):
        y_pred = self._build_loss().link(self._forward(X, check_input))
        return y_pred.ravel() if y_pred.shape[1] == 1 else y_pred

    def _score(self, X, y, sample_weight=None):
        return self._score_with_function(X, y, sample_weight, r2_score)

    def predict(self, X):
        """Predict using the multi-layer perceptron model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            The predicted values.
        """
        check_is_fitted(self)
        return self._predict(X)
