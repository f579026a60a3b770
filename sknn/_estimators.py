"""MLPClassifier and MLPRegressor: scikit-learn shells around the engine.

The estimators validate parameters and data, resolve their component
parameters into objects (``sknn._components``), turn them into a network, an
objective and a training run (``sknn._run_setup``), hand the run to the
solver's driver (``sknn.training``), and publish the training state as
scikit-learn's fitted attributes. No numerical code lives here.
"""

from abc import ABCMeta, abstractmethod
from numbers import Integral, Real
from types import SimpleNamespace

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.metrics import accuracy_score, get_scorer_names, r2_score
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils import check_random_state, column_or_1d
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import _check_partial_fit_first_call, type_of_target, unique_labels
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from ._compat import (
    CallbackSupportMixin,
    HasMethods,
    Interval,
    InvalidParameterError,
    Options,
    StrOptions,
    _fit_context,
)
from ._components import describe, resolve
from ._embedded_features import SELECTIONS, resolve_embedded_features
from ._ensemble_plan import plan_ensemble
from ._docstrings import COMMON_ATTRIBUTES, COMMON_PARAMETERS, loss_list
from ._hyperparams import as_scalar_if_0d, check_hidden_layer_sizes
from ._network import Network, Objective, build_layers
from .data_init import initialize_from_data
from ._run_setup import callback_context, check_callbacks, make_run
from ._resources import check_memory, work_rows
from ._sample_weights import weigh_samples
from . import persistence
from .activations import Nonlinearity
from .averaging import Averaging
from .batched_ensemble import EnsembleLoss
from .initializers import Initializer, LayerInitializer, resolve_initializer
from .layers import Dense
from .losses import LOSSES, Loss
from .optimizers import OPTIMIZERS, Solver
from .schedules import Schedule
from .training import driver_for, new_state
from .training.divergence import initial_loss

#: architecture entries that only act in training: warm_start may change them
TRAINING_ONLY_KEYS = ("dropout", "input_dropout", "batch_norm_momentum")


def _store_params(estimator, arguments):
    """Store the constructor's arguments as attributes, as scikit-learn requires.

    ``arguments`` is the ``__init__``'s ``locals()``: its parameters, by name.
    """
    for name, value in arguments.items():
        if name not in ("self", "__class__"):
            setattr(estimator, name, value)


class BaseMLP(CallbackSupportMixin, BaseEstimator, metaclass=ABCMeta):
    """Shared machinery of MLPClassifier and MLPRegressor; use those instead."""

    _parameter_constraints: dict = {
        "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
        "activation": [str, Nonlinearity, "array-like"],
        "solver": [str, Solver],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "batch_size": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
        "learning_rate": [str, Schedule],
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
        "best_epoch_ties": [StrOptions({"first", "last"})],
        "weight_init": [str, Initializer],
        "bias_init": [Interval(Real, None, None, closed="neither")],
        "l1": [Interval(Real, 0, None, closed="left")],
        "max_norm": [Interval(Real, 0, None, closed="neither"), None],
        "dropout": [Interval(Real, 0, 1, closed="left"), "array-like"],
        "input_dropout": [Interval(Real, 0, 1, closed="left")],
        "batch_norm": ["boolean", "array-like"],
        "batch_norm_momentum": [Interval(Real, 0, 1, closed="left")],
        "clip_norm": [Interval(Real, 0, None, closed="neither"), None],
        "drop_last": ["boolean"],
        "warmup_epochs": [Interval(Integral, 0, None, closed="left")],
        "divergence_threshold": [Interval(Real, 1, None, closed="neither"), None],
        "on_divergence": [StrOptions({"raise", "warn"})],
        "scoring": [StrOptions(set(get_scorer_names()) | {"loss"}), callable, None],
        "score_training": ["boolean"],
        "averaging": [str, Averaging, None],
        "input_scale": ["boolean"],
        "parametrization": [StrOptions({"standard", "ntp"})],
        "output_init": [StrOptions({"default", "zeros"})],
        "lr_factors": [dict, tuple, None],
        "dropout_schedule": [str, Schedule, None],
        "weight_decay_schedule": [str, Schedule, None],
        "schedule_interval": [StrOptions({"epoch", "step"})],
        "weight_decay_factors": [dict, tuple, None],
        "n_members": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "numeric_embedding": [StrOptions({"pbld", "plr"}), None],
        "embedding_features": [StrOptions(set(SELECTIONS)), "array-like"],
        "data_init": ["boolean"],
        "member_weights": [StrOptions({"independent", "shared"})],
        "member_bootstrap": ["boolean"],
        "member_validation": [StrOptions({"shared", "own", "folds", "auto"})],
        # a scikit-learn callback passes here to be refused by name in fit
        "callbacks": [list, tuple, callable, None, HasMethods(["on_fit_task_end"])],
        "dtype": [StrOptions({"float32", "float64"}), Options(type, {np.float32, np.float64}),
                  None],
    }

    @abstractmethod
    def __init__(self):
        """Subclasses list every parameter and store them with ``_store_params``."""

    # ------------------------------------------------------------------ setup
    def _training_dtype(self):
        """What ``validate_data`` converts X to: ``dtype``, or float32/float64 kept."""
        return (np.float64, np.float32) if self.dtype is None else np.dtype(self.dtype).type

    def _hidden_layer_sizes(self):
        return check_hidden_layer_sizes(self.hidden_layer_sizes)

    def _per_hidden_layer(self, param, n_hidden):
        """The value of ``param`` for each hidden layer: a scalar is repeated."""
        value = as_scalar_if_0d(getattr(self, param))
        if isinstance(value, (str, Nonlinearity)) or not hasattr(value, "__iter__"):
            return [value] * n_hidden
        values = list(value)
        if len(values) != n_hidden:
            raise ValueError(
                f"{param} has {len(values)} entries but there are {n_hidden} hidden "
                "layers: give one value, or one per hidden layer."
            )
        return values

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

    def _components(self):
        """Every component parameter as a validated object (new copies)."""
        n_hidden = len(self._hidden_layer_sizes())
        activations = tuple(
            resolve(self, "activation", "activation", value)
            for value in self._per_hidden_layer("activation", n_hidden)
        )
        weight_init = self.weight_init
        if weight_init != "auto":
            weight_init = resolve(self, "weight_init", "initializer").for_activation(
                self.activation
            )
        loss = resolve(self, "loss", "loss")
        if loss.task != self._task:
            valid = sorted(name for name, cls in LOSSES.items() if cls.task == self._task)
            raise InvalidParameterError(
                f"The 'loss' parameter of {type(self).__name__} must be a {self._task} "
                f"loss, one of {valid} or a Loss object of that task; got {self.loss!r}, "
                f"a {loss.task} loss."
            )
        return SimpleNamespace(
            dropout_schedule=self._hyperparameter_schedule("dropout_schedule"),
            weight_decay_schedule=self._hyperparameter_schedule("weight_decay_schedule"),
            solver=resolve(self, "solver", "optimizer"),
            schedule=resolve(self, "learning_rate", "schedule").for_run(self.max_iter),
            averaging=None if self.averaging is None else resolve(self, "averaging", "averaging"),
            activations=activations,
            weight_init=weight_init,
            loss=loss,
        )

    def _hyperparameter_schedule(self, param):
        """The schedule of ``dropout_schedule`` / ``weight_decay_schedule``, or None."""
        if getattr(self, param, None) is None:
            return None
        return resolve(self, param, "schedule").for_run(self.max_iter)

    def _features_used(self, incremental):
        """The driver-dependent features this configuration uses (``training.drivers``)."""
        n_hidden = len(self._hidden_layer_sizes())
        return {
            "partial_fit": incremental,
            "max_norm": self.max_norm is not None,
            "dropout": self.input_dropout > 0 or any(self._hidden_dropout(n_hidden)),
            "batch_norm": any(self._hidden_batch_norm(n_hidden)),
            "averaging": self.averaging is not None,
            "early_stopping": bool(self.early_stopping),
        }

    def _check_driver(self, driver, incremental):
        """Refuse what the solver's driver does not support, naming why."""
        used = self._features_used(incremental)
        for feature, on in used.items():
            if on and feature not in driver.supports and feature not in driver.ignores:
                raise ValueError(
                    driver.why_not.get(feature)
                    or f"{feature} is not supported by solver={self.solver!r}."
                )
        if used["averaging"] and used["batch_norm"] and used["early_stopping"]:
            raise ValueError(
                "averaging with batch_norm and early_stopping is not supported: the "
                "averaged weights get batch-norm statistics of their own at the end "
                "of training (recomputed on the training data), so the validation "
                "score of every epoch would need that extra pass over the data. Use "
                "two of the three."
            )

    def _architecture(self, n_features, n_outputs, activations, n_members=1):
        """The description the layers are rebuilt from (plain values and components)."""
        sizes = self._hidden_layer_sizes()
        return {
            "n_features": int(n_features),
            "hidden_layer_sizes": sizes,
            "activations": activations,
            "batch_norm": self._hidden_batch_norm(len(sizes)),
            "batch_norm_momentum": float(self.batch_norm_momentum),
            "dropout": self._hidden_dropout(len(sizes)),
            "input_dropout": float(self.input_dropout),
            "n_outputs": int(n_outputs),
            "input_scale": bool(getattr(self, "input_scale", False)),
            "parametrization": getattr(self, "parametrization", "standard"),
            "output_init": getattr(self, "output_init", "default"),
            "n_members": int(n_members),
            "numeric_embedding": getattr(self, "numeric_embedding", None),
            "data_init": bool(getattr(self, "data_init", False)),
            "member_weights": getattr(self, "member_weights", "independent"),
        }

    def _network(self, theta=None):
        """A network bound to ``theta_`` (or ``theta``) without copying."""
        theta = self.theta_ if theta is None else theta
        return Network(build_layers(self._arch), theta.dtype, theta, self.buffers_)

    def _inference_theta(self):
        """The parameters predictions use: the running average when there is one."""
        average = getattr(self, "theta_average_", None)
        return self.theta_ if average is None else average

    def _inference_buffers(self):
        """The batch-norm statistics of ``_inference_theta``: the average's own, if any."""
        buffers = getattr(self, "buffers_average_", None)
        if buffers is None or getattr(self, "theta_average_", None) is None:
            return self.buffers_
        return buffers

    def _inference_network(self):
        """The network predictions use, built once and reused while its arrays stay.

        It is rebuilt when ``theta_``, ``theta_average_`` or the buffers are
        other arrays (after unpickling, which drops it, or on a copy of the
        estimator with new parameters).
        """
        theta, buffers = self._inference_theta(), self._inference_buffers()
        network = self.__dict__.get("_inference_cache")
        if network is None or network.theta is not theta or network.buffers is not buffers:
            network = Network(build_layers(self._arch), theta.dtype, theta, buffers)
            self._inference_cache = network
        return network

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_inference_cache", None)  # views into theta_: rebuilt on first use
        return persistence.stamp(state)

    def __setstate__(self, state):
        persistence.check_stamp(type(self).__name__, state)
        super().__setstate__(state)

    def _new_network(self, arch, dtype, rng, weight_init=None, X=None):
        """A network for ``arch`` with freshly initialized parameters.

        ``weight_init`` is the resolved initializer (or "auto"); None resolves
        the estimator's. With ``arch['data_init']`` and training inputs ``X``
        the dense layers are then initialized from the data
        (``sknn.data_init``).
        """
        if weight_init is None:
            weight_init = self._components().weight_init
        network = Network(build_layers(arch), dtype)
        network.initialize(
            lambda activation: LayerInitializer(
                resolve_initializer(weight_init, activation), self.bias_init
            ),
            rng,
        )
        if arch.get("data_init") and X is not None:
            initialize_from_data(network, X, rng)
        return network

    def _objective(self, network, loss, rng=None, l1_proximal=False):
        """The training objective (loss, penalties and max-norm constraint).

        With ``rng`` the objective draws its dropout masks from one seed taken
        from it: the same masks at every evaluation, so that the function a
        full-batch solver such as L-BFGS minimizes is deterministic. With
        ``l1_proximal`` the L1 penalty is applied after each update instead of
        through the gradient (the mini-batch driver).
        """
        seed = None if rng is None else rng.randint(np.iinfo(np.int32).max)
        return Objective(
            network, loss, alpha=self.alpha, l1=self.l1, max_norm=self.max_norm, seed=seed,
            l1_proximal=l1_proximal,
        )

    def _initialize(self, arch, loss, X, rng, weight_init):
        """Set up every fitted attribute for a first fit on the training inputs X."""
        self._arch = arch
        self._loss = loss
        self.n_outputs_ = arch["n_outputs"]
        columns = arch.get("embedded_features")
        self.embedded_features_ = None if columns is None else np.array(columns, dtype=np.intp)
        self.n_layers_ = len(arch["hidden_layer_sizes"]) + 2
        self.out_activation_ = loss.out_activation
        network = self._new_network(arch, X.dtype, rng, weight_init, X)
        self.theta_ = network.theta
        self.buffers_ = network.buffers
        self.training_state_ = new_state()
        self.initial_loss_ = None
        self._inference_cache = None
        self._publish(SimpleNamespace(n_iter=0, diverged=False), validating=self.early_stopping)

    def _publish(self, run, validating):
        """scikit-learn's fitted attributes from the training state."""
        state = self.training_state_
        self.n_iter_ = run.n_iter
        self.t_ = state["t"]
        self.loss_curve_ = state["loss_curve"]
        self.history_ = state["history"]
        if getattr(run, "final_loss", None) is not None:
            self.loss_ = run.final_loss
        elif state["loss_curve"]:
            self.loss_ = state["loss_curve"][-1]
        self.theta_average_ = state["average"]
        self.buffers_average_ = state.get("average_buffers")
        self._no_improvement_count = state["no_improvement_count"]
        self.diverged_ = run.diverged
        if validating:
            self.validation_scores_ = state["validation_scores"]
            self.validation_loss_curve_ = state["validation_loss_curve"]
            self.best_validation_score_ = state["best_validation_score"]
            self.best_loss_ = None
        else:
            self.validation_scores_ = self.validation_loss_curve_ = None
            self.best_validation_score_ = None
            self.best_loss_ = state["best_loss"]
        if validating and state.get("member_best_scores") is not None:  # 'own' or 'folds'
            self.member_validation_scores_ = np.asarray(state["member_validation_scores"])
            self.member_best_epochs_ = state["member_best_epochs"].copy()
        else:
            self.__dict__.pop("member_validation_scores_", None)
            self.__dict__.pop("member_best_epochs_", None)

    # -------------------------------------------------------------- training
    def _fit(self, X, y, sample_weight=None, incremental=False, validation=None, train=True):
        self._hidden_layer_sizes()  # validates before any data work
        callbacks = check_callbacks(self)  # refused before anything is set up
        parts = self._components()
        driver = driver_for(parts.solver)()
        self._check_driver(driver, incremental)
        first_pass = (
            not hasattr(self, "theta_") or (not self.warm_start and not incremental) or not train
        )
        X, Y, sample_weight, y_score, loss, arch = self._prepare(
            X, y, sample_weight, incremental, first_pass, parts,
            validation_given=validation is not None,
        )
        rng = check_random_state(self.random_state)
        if first_pass:
            check_memory(type(self).__name__, build_layers(arch), X.dtype, parts.solver,
                         work_rows(self.batch_size, X.shape[0], driver.mini_batches))
            self._initialize(arch, loss, X, rng, parts.weight_init)
            if not train:
                self._inference_network()
                return self
        else:
            self._check_continuation(arch, X.dtype)
            self._arch = arch  # may differ in TRAINING_ONLY_KEYS
            self._loss = loss

        network = self._network(self.theta_)
        objective = self._objective(
            network, loss, rng if driver.deterministic_objective else None,
            l1_proximal=driver.mini_batches and self.l1 > 0,
        )
        if validation is not None:
            validation = self._encode_validation(validation, loss, X.dtype)
        if self.training_state_["initial_loss"] is None:  # before any update
            self.training_state_["initial_loss"] = initial_loss(objective, (X, Y, sample_weight))
        self.initial_loss_ = self.training_state_["initial_loss"]
        context = callback_context(self, X, y_score, sample_weight, driver, incremental)
        run, validating = make_run(
            self, driver, parts, objective, (X, Y, sample_weight), y_score, rng,
            incremental, context, validation, callbacks,
        )
        # A diverging run overflows; the drivers detect the non-finite loss and
        # report it as such, so NumPy's own overflow warnings would only be noise.
        try:
            with np.errstate(over="ignore", invalid="ignore"):
                driver.run(run)
        finally:
            self._publish(run, validating)
            self._inference_cache = None
            self._inference_network()
        if context is not None:
            context.end()
        return self

    def _prepare(self, X, y, sample_weight, incremental, reset, parts=None,
                 validation_given=False):
        """Validate the data and derive what training needs from it.

        Also sets ``n_members_`` and ``member_validation_``, what 'auto' resolves
        to for these rows (``sknn._ensemble_plan``).

        Returns
        -------
        X : ndarray or sparse matrix of shape (n_samples, n_features), float
        Y : ndarray of shape (n_samples, n_outputs)
            Targets encoded for the loss, dtype of X.
        sample_weight : ndarray of shape (n_samples,) or None
            Including class weights.
        y_score : ndarray
            Targets as ``score`` takes them.
        loss : Loss
            The loss component, for this target type.
        arch : dict
            The description the network is built from.
        """
        parts = self._components() if parts is None else parts
        X, Y, y_score = self._validate_input(X, y, incremental, reset=reset)
        parts.loss.check_targets(y_score)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype)
        sample_weight = weigh_samples(self, sample_weight, y_score, incremental)
        loss = parts.loss.for_target(self._target_type())
        Y = loss.encode(Y).astype(X.dtype, copy=False)
        self.n_members_, self.member_validation_ = plan_ensemble(
            self, X.shape[0], y_score, parts.activations,
            mini_batches=driver_for(parts.solver).mini_batches, incremental=incremental,
            continuing=not reset, validation_given=validation_given,
        )
        arch = self._architecture(X.shape[1], loss.n_outputs(Y.shape[1]), parts.activations,
                                  self.n_members_)
        arch["embedded_features"] = self._embedded_features(X, reset)
        if arch["n_members"] > 1:
            loss = EnsembleLoss(loss, arch["n_members"])
        return X, Y, sample_weight, y_score, loss, arch

    def _embedded_features(self, X, reset):
        """The columns ``numeric_embedding`` embeds (a tuple of indices), or None without one.

        'non_binary' looks at the first training data only: later calls keep
        its choice, so that ``partial_fit`` batches do not change the network.
        """
        if getattr(self, "numeric_embedding", None) is None:
            return None
        selection = self.embedding_features
        if not reset and isinstance(selection, str) and selection == "non_binary":
            return self._arch.get("embedded_features")
        return resolve_embedded_features(selection, X, getattr(self, "feature_names_in_", None))

    def _check_continuation(self, arch, dtype):
        """Refuse to continue training a network of another shape or dtype.

        Dropout rates and the batch-norm momentum may change between calls.
        """

        def structure(a):
            plain = {key: value for key, value in a.items() if key not in TRAINING_ONLY_KEYS}
            plain["activations"] = tuple(describe(c) for c in a["activations"])
            return plain

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
    def fit(self, X, y, sample_weight=None, *, X_val=None, y_val=None, sample_weight_val=None):
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
        X_val : {array-like, sparse matrix} of shape (n_val, n_features), default=None
            A validation set (HistGradientBoosting's convention): every epoch
            records its loss and score in ``history_`` ('val_loss',
            'val_score'), and early stopping monitors it instead of holding
            out ``validation_fraction`` of X. Routable like ``sample_weight``
            (``set_fit_request(X_val=True, y_val=True)``).
        y_val : array-like of shape (n_val,) or (n_val, n_outputs), default=None
            Targets of ``X_val``; required with it.
        sample_weight_val : array-like of shape (n_val,), default=None
            Weights of the validation rows.

        Returns
        -------
        self : object
            The trained model.
        """
        validation = self._validation_data(X_val, y_val, sample_weight_val)
        return self._fit(X, y, sample_weight=sample_weight, incremental=False,
                         validation=validation)

    def _validation_data(self, X_val, y_val, sample_weight_val):
        """The raw validation triple, or None; both or neither of X_val and y_val."""
        if X_val is None and y_val is None:
            if sample_weight_val is not None:
                raise ValueError("sample_weight_val is given without X_val and y_val.")
            return None
        if X_val is None or y_val is None:
            raise ValueError("X_val and y_val must be given together.")
        return X_val, y_val, sample_weight_val

    def _encode_validation(self, validation, loss, dtype):
        """The validation rows as training encodes them: (X, Y, y_score, sample_weight)."""
        X_val, y_val, sw_val = validation
        X_val = validate_data(self, X_val, accept_sparse=["csr", "csc"], reset=False,
                              dtype=dtype)
        y_val = np.asarray(y_val)
        if y_val.ndim == 2 and y_val.shape[1] == 1:
            y_val = column_or_1d(y_val, warn=True)
        if X_val.shape[0] != y_val.shape[0]:
            raise ValueError(
                f"X_val has {X_val.shape[0]} rows but y_val has {y_val.shape[0]}."
            )
        Y_val = loss.encode(self._encode_targets(y_val).astype(dtype)).astype(dtype, copy=False)
        if sw_val is not None:
            sw_val = _check_sample_weight(sw_val, X_val, dtype=dtype)
        return X_val, Y_val, y_val, sw_val

    def _encode_targets(self, y):
        """Targets as the loss compares them (before ``Loss.encode``), shape (n, n_outputs)."""
        y = np.asarray(y, dtype=float)
        return y.reshape(-1, 1) if y.ndim == 1 else y

    @_fit_context(prefer_skip_nested_validation=True)
    def initialize(self, X, y, sample_weight=None):
        """Set up the network for X and y with initial weights, without training.

        Every fitted attribute exists afterwards (``n_iter_ == 0``), so that
        the untrained network can be inspected (``sknn.diagnostics``) or
        predict; a later ``partial_fit`` or warm-started ``fit`` trains it.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        sample_weight : array-like of shape (n_samples,), default=None
            Checked as ``fit`` checks it.

        Returns
        -------
        self : object
            The initialized model.
        """
        return self._fit(X, y, sample_weight=sample_weight, incremental=False, train=False)

    def _check_solver(self):
        """Whether ``partial_fit`` exists: the solver's driver must support it."""
        try:
            solver = self.solver
            solver_class = OPTIMIZERS.get(solver) if isinstance(solver, str) else type(solver)
            driver = driver_for(solver_class)
        except (ValueError, TypeError, AttributeError, KeyError):
            return True  # an invalid solver: fit reports it
        if "partial_fit" not in driver.supports:
            raise AttributeError(
                driver.why_not.get("partial_fit", f"solver={solver!r} has no partial_fit.")
            )
        return True

    # ------------------------------------------------------------- inference
    def _forward(self, X, check_input=True):
        """Logits of shape (n_samples, n_outputs_)."""
        if check_input:
            X = self._validate_predict_input(X)
        return self._inference_network().predict_logits(X)

    def _validate_predict_input(self, X):
        """X as ``validate_data(reset=False)`` returns it, with a shortcut for plain arrays.

        A 2-d float32/float64 ndarray with rows, the fitted width and finite
        values, given to a model fitted without feature names, is what
        validation would return unchanged: it is used as it is, without
        scikit-learn's validation machinery (most of a one-row prediction's
        time). Everything else, and any array that fails a check (so that its
        error message is scikit-learn's), goes through ``validate_data``.
        """
        if self._is_plain_predict_array(X):
            checked = X
        else:
            checked = validate_data(self, X, accept_sparse=["csr", "csc"], reset=False)
        if self.dtype is not None:  # predict in the dtype the model was trained in
            checked = checked.astype(self.theta_.dtype, copy=False)
        return checked

    def _is_plain_predict_array(self, X):
        """Whether ``validate_data(self, X, reset=False)`` would return X unchanged."""
        return (
            type(X) is np.ndarray
            and X.ndim == 2
            and X.dtype in _FAST_DTYPES
            and X.shape[0] > 0
            and X.shape[1] == self.n_features_in_
            and "feature_names_in_" not in self.__dict__
            and _all_finite(X)
        )

    def __sklearn_is_fitted__(self):
        return "theta_" in self.__dict__

    def _score_with_function(self, X, y, sample_weight, score_function, logits=None):
        """Score without input validation; NaN when predictions are not finite.

        ``logits``, when given, are ``_forward(X, check_input=False)``.
        """
        if logits is None:
            logits = self._forward(X, check_input=False)
        y_pred = self._predict_from_logits(logits)
        if np.issubdtype(y_pred.dtype, np.floating) and not np.isfinite(y_pred).all():
            return np.nan
        return score_function(y, y_pred, sample_weight=sample_weight)

    def _dense_layers(self):
        return [layer for layer in self._inference_network().layers if isinstance(layer, Dense)]

    @property
    def coefs_(self):
        """Weight matrices of the dense layers, views into the parameters used
        for prediction (``theta_``, or ``theta_average_`` with averaging)."""
        _check_fitted(self)
        return [layer.params["W"] for layer in self._dense_layers()]

    @property
    def intercepts_(self):
        """Bias vectors of the dense layers, views into the parameters used for
        prediction (``theta_``, or ``theta_average_`` with averaging).

        A dense layer followed by batch norm has no bias (batch norm's shift
        takes its role): its entry is a new array of zeros.
        """
        _check_fitted(self)
        return [
            layer.params["b"] if layer.use_bias else np.zeros(layer.n_out, self.theta_.dtype)
            for layer in self._dense_layers()
        ]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.target_tags.multi_output = True
        return tags


_FAST_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def _accuracy(y_true, y_pred, sample_weight=None):
    """``accuracy_score``, without its checks for two label vectors of one non-float dtype.

    Early stopping scores every epoch (every member, with member validation);
    the checks cost about a millisecond a call. Anything else (weights,
    multilabel, floats, lists) goes to ``accuracy_score``, checks and errors
    included.
    """
    if (sample_weight is None and isinstance(y_true, np.ndarray) and y_true.ndim == 1
            and isinstance(y_pred, np.ndarray) and y_pred.shape == y_true.shape
            and y_pred.dtype == y_true.dtype and y_true.dtype.kind in "biuUSO"
            and y_true.size):
        return float(np.mean(y_true == y_pred))
    return accuracy_score(y_true, y_pred, sample_weight=sample_weight)


def _check_fitted(est):
    """``check_is_fitted(est)``, without its tag machinery when the model is fitted."""
    if not est.__sklearn_is_fitted__():
        check_is_fitted(est)


#: arrays up to this many values are checked element by element (no error state
#: to set up: a few microseconds of a one-row prediction); longer ones by their sum
_SMALL = 4096


def _all_finite(X):
    """False if X has a NaN or an infinity (or, when long, finite values whose sum overflows)."""
    if X.size <= _SMALL:
        return bool(np.isfinite(X).all())
    with np.errstate(over="ignore", invalid="ignore"):
        return bool(np.isfinite(X.sum()))


def _loss_class(est):
    """The class of ``est.loss`` (None for an unknown name: fit reports it)."""
    loss = est.loss
    if isinstance(loss, Loss):
        return type(loss)
    try:
        return LOSSES.get(loss)
    except (ValueError, TypeError):
        return None


def _has_proba(est):
    """predict_proba exists unless the loss gives scores rather than probabilities."""
    cls = _loss_class(est)
    return cls is None or cls.has_proba


def _is_hinge(est):
    """decision_function exists for the losses that give scores (the hinge)."""
    cls = _loss_class(est)
    return cls is not None and not cls.has_proba


class MLPClassifier(ClassifierMixin, BaseMLP):
    __doc__ = f"""Multi-layer perceptron classifier.

    A drop-in superset of ``sklearn.neural_network.MLPClassifier``: the same
    parameters, attributes and methods, plus more activations, initializers,
    the multiclass hinge loss and ``class_weight``.

    Parameters
    ----------
    {COMMON_PARAMETERS.strip()}

    loss : str or Loss, default='log_loss'
        The training loss: a registered name or an object of ``sknn.losses``.
        With a loss that gives scores rather than probabilities (the hinge)
        ``predict_proba`` is not available and ``decision_function`` is.
        Options:

        {loss_list("classification")}

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
        "loss": [str, Loss],
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }
    _task = "classification"

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
        best_epoch_ties="first",
        loss="log_loss",
        weight_init="sklearn",
        bias_init=0.0,
        l1=0.0,
        max_norm=None,
        dropout=0.0,
        input_dropout=0.0,
        batch_norm=False,
        batch_norm_momentum=0.9,
        clip_norm=None,
        drop_last=False,
        warmup_epochs=0,
        divergence_threshold=100.0,
        on_divergence="warn",
        scoring=None,
        score_training=False,
        averaging=None,
        callbacks=None,
        class_weight=None,
        input_scale=False,
        parametrization="standard",
        output_init="default",
        lr_factors=None,
        weight_decay_factors=None,
        dropout_schedule=None,
        weight_decay_schedule=None,
        schedule_interval="epoch",
        n_members=1,
        member_weights="independent",
        member_bootstrap=False,
        member_validation="shared",
        numeric_embedding=None,
        embedding_features="non_binary",
        data_init=False,
        dtype=None,
    ):
        _store_params(self, locals())

    def _validate_input(self, X, y, incremental, reset):
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=["csr", "csc"],
            multi_output=True,
            dtype=self._training_dtype(),
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

    def _target_type(self):
        return self._label_binarizer.y_type_

    def _encode_targets(self, y):
        return self._label_binarizer.transform(y)

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
        return self._predict_from_logits(self._forward(X, check_input))

    def _predict_from_logits(self, Z):
        scores, threshold = self._loss.indicator_scores(Z)
        if scores.shape[1] == 1:
            scores = scores.ravel()
        return self._label_binarizer.inverse_transform(scores, threshold=threshold)

    def _score(self, X, y, sample_weight=None, logits=None):
        return self._score_with_function(X, y, sample_weight, _accuracy, logits)

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
        _check_fitted(self)
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
        _check_fitted(self)
        y_prob = self._loss.link(self._forward(X))
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
        _check_fitted(self)
        scores, _ = self._loss.indicator_scores(self._forward(X))
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
    loss : str or Loss, default='squared_error'
        The training loss: a registered name or an object of ``sknn.losses``
        such as ``Huber(delta=0.5)`` (searchable as ``loss__delta``). Options:

        {loss_list("regression")}

    {COMMON_PARAMETERS.strip()}

    standardize_target : bool, default=False
        Train on the targets standardized to mean 0 and variance 1 per output
        (``target_mean_``, ``target_scale_``, from the first fit's rows);
        predictions are returned in the targets' units, losses
        (``loss_curve_``, validation losses) are in standardized units. Needs
        an identity-link loss (not 'poisson').
    clip_predictions : bool, default=False
        Clip every prediction to the range of the training targets, per
        output (``target_range_``; RealMLP-TD's ``clamp_output``): a network
        extrapolates linearly far from its data, and a value outside what it
        was trained on is rarely better than the nearest one it saw.

    Attributes
    ----------
    {COMMON_ATTRIBUTES.strip()}

    target_mean_, target_scale_ : ndarray of shape (n_outputs,) or None
        The standardization of the targets (None without ``standardize_target``).
    target_range_ : tuple of two ndarrays of shape (n_outputs,) or None
        The smallest and largest training target per output, over the rows
        of every ``partial_fit`` (or warm-started ``fit``) since the network
        was initialized (None without ``clip_predictions``).

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
        "loss": [str, Loss],
        "standardize_target": ["boolean"],
        "clip_predictions": ["boolean"],
    }
    _task = "regression"

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
        best_epoch_ties="first",
        weight_init="sklearn",
        bias_init=0.0,
        l1=0.0,
        max_norm=None,
        dropout=0.0,
        input_dropout=0.0,
        batch_norm=False,
        batch_norm_momentum=0.9,
        clip_norm=None,
        drop_last=False,
        warmup_epochs=0,
        divergence_threshold=100.0,
        on_divergence="warn",
        scoring=None,
        score_training=False,
        averaging=None,
        callbacks=None,
        input_scale=False,
        parametrization="standard",
        output_init="default",
        lr_factors=None,
        weight_decay_factors=None,
        dropout_schedule=None,
        weight_decay_schedule=None,
        schedule_interval="epoch",
        n_members=1,
        member_weights="independent",
        member_bootstrap=False,
        member_validation="shared",
        numeric_embedding=None,
        embedding_features="non_binary",
        data_init=False,
        standardize_target=False,
        clip_predictions=False,
        dtype=None,
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
            dtype=self._training_dtype(),
            reset=reset,
        )
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        Y = y.reshape(-1, 1) if y.ndim == 1 else y
        self._update_target_range(Y, reset)
        if self.standardize_target:
            if reset or getattr(self, "target_mean_", None) is None:
                self._fit_target_scaling(Y)
            Y = self._standardize(Y)
        else:
            self.target_mean_ = self.target_scale_ = None
        return X, Y.astype(X.dtype), y

    def _update_target_range(self, Y, reset):
        """``target_range_`` from the rows of ``Y`` (and the earlier ones unless ``reset``)."""
        if not self.clip_predictions:
            self.target_range_ = None
            return
        low, high = Y.min(axis=0), Y.max(axis=0)
        previous = None if reset else getattr(self, "target_range_", None)
        if previous is not None:
            low, high = np.minimum(low, previous[0]), np.maximum(high, previous[1])
        self.target_range_ = (low, high)

    def _fit_target_scaling(self, Y):
        """``target_mean_`` and ``target_scale_`` (std, 1 where 0) of the targets."""
        cls = _loss_class(self)
        if cls is not None and cls.out_activation != "identity":
            raise ValueError(
                "standardize_target=True needs a loss with the identity link "
                f"(squared_error, absolute_error, huber); loss={self.loss!r} has "
                f"the {cls.out_activation!r} link."
            )
        self.target_mean_ = Y.mean(axis=0)
        scale = Y.std(axis=0)
        self.target_scale_ = np.where(scale > 0, scale, 1.0)

    def _standardize(self, Y):
        return (Y - self.target_mean_) / self.target_scale_

    def _encode_targets(self, y):
        Y = super()._encode_targets(y)
        return self._standardize(Y) if getattr(self, "target_mean_", None) is not None else Y

    def _target_type(self):
        return "continuous"

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
        return self._predict_from_logits(self._forward(X, check_input))

    def _predict_from_logits(self, Z):
        y_pred = self._loss.link(Z)
        if getattr(self, "target_mean_", None) is not None:  # standardize_target
            y_pred = y_pred * self.target_scale_ + self.target_mean_
        if getattr(self, "target_range_", None) is not None:  # clip_predictions
            y_pred = np.clip(y_pred, *self.target_range_).astype(y_pred.dtype, copy=False)
        return y_pred.ravel() if y_pred.shape[1] == 1 else y_pred

    def _score(self, X, y, sample_weight=None, logits=None):
        return self._score_with_function(X, y, sample_weight, r2_score, logits)

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
        _check_fitted(self)
        return self._predict(X)
