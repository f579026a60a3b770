"""TabularMLPClassifier and TabularMLPRegressor: the MLP estimators with RealMLP-TD's defaults.

Holzmueller, Grinsztajn and Steinwart, "Better by Default: Strong Pre-Tuned
MLPs and Boosted Trees on Tabular Data" (NeurIPS 2024) tuned one set of
defaults for MLPs on 118 tabular data sets and tested it on 90 others. These
estimators are ``MLPClassifier`` / ``MLPRegressor`` with every parameter, and
the paper's choices as defaults; each choice is an engine component the plain
estimators take by parameter too. docs/tabular.md explains every default and
measures what each buys.
"""

from numbers import Real

import numpy as np
from sklearn.base import clone
from sklearn.utils.validation import validate_data

from ._compat import HasMethods, Interval, StrOptions
from ._estimators import MLPClassifier, MLPRegressor, _store_params
from .preprocessing import RobustSmoothClipTransformer

#: RealMLP-TD's learning-rate factors per parameter role
LR_FACTORS = (("input_scale", 6.0), ("bias", 0.1), ("activation", 0.1), ("embedding", 0.1))

#: RealMLP-TD's weight decay per role: the code's coefficient is (lr factor x wd factor)^2
#: with wd factor 1 and 0 for biases; AdamW's factor here is multiplied by the lr factor
WEIGHT_DECAY_FACTORS = (("input_scale", 6.0), ("activation", 0.1), ("embedding", 0.1))

#: the preprocessing of the inputs given by name
PREPROCESSING = {"robust_smooth_clip": RobustSmoothClipTransformer}

_TABULAR_DOC = """
    Parameters
    ----------
    Every parameter of ``{base}``, with the same meaning; these defaults
    differ (RealMLP-TD's, see docs/tabular.md):

    hidden_layer_sizes : default=(256, 256, 256)
    activation : default='{activation}'
    solver : default='adamw'
    alpha : default=0.0
        No L2 penalty: AdamW's decoupled ``weight_decay`` (0.02, scheduled
        'flat_cos') regularizes instead.
    batch_size : default=256
    drop_last : default=True
        Each epoch leaves out its incomplete last batch, as RealMLP-TD's
        loader; with fewer rows than 256 an epoch is one batch of all of them.
    learning_rate : default='coslog'
        Four cosine cycles evenly spaced in log time (``CosLog(n_cycles=4)``).
    learning_rate_init : default={lr}
        Adam's rate in the neural-tangent parametrization.
    max_iter : default=256
    beta_2 : default=0.95
    early_stopping : default=True
    validation_fraction : default=0.2
    n_iter_no_change : default=inf
        With the two above: train all ``max_iter`` epochs on 80 % of the rows
        and keep the epoch of the best validation score (the paper's
        "revert to best"; ``validation_scores_``). ``partial_fit`` is
        available with ``early_stopping=False`` only.
    best_epoch_ties : default='last'
        Of the epochs tied for the best validation score, the latest is kept
        (RealMLP-TD's code).
    n_members : default='auto'
    member_validation : default='auto'
        With the two above: on small tables a batched ensemble of up to five
        networks, each holding out one of n_members folds of the rows for its
        own revert-to-best (``1 + 3200 // n_samples`` members, at most 5: 5 up
        to 800 rows, 2 from 1601 to 3200, one network above 3200 rows or where
        the members cannot hold out rows of their own). ``n_members_`` and
        ``member_validation_`` say what a fit chose (it follows each fit's
        rows, so cross-validation folds and a final refit may differ; a
        number keeps it fixed); ``n_members=1`` is the paper's single
        network.
    dropout : default=0.15
    dropout_schedule : default='flat_cos'
    input_scale : default=True
    parametrization : default='ntp'
    output_init : default='zeros'
    numeric_embedding : default='pbld'
        Every feature with more than two values (``embedding_features``)
        embedded in 4 periodic features (RealMLP-TD's PBLD, which embeds its
        numeric features and passes one-hot categories).
    data_init : default=True
        Hidden layers start with unit-std pre-activations and biases placed
        in the data (RealMLP-TD's 'std' and 'he+5').
    lr_factors : default=(('input_scale', 6.0), ('bias', 0.1), ('activation', 0.1), ('embedding', 0.1))
    weight_decay_factors : default=(('input_scale', 6.0), ('activation', 0.1), ('embedding', 0.1))
        Every parameter but the biases is decayed, as in RealMLP-TD's code
        (where a role's decay is its learning-rate factor squared).
    weight_decay_schedule : default='flat_cos'
    schedule_interval : default='step'
        The rate, dropout and weight decay are set at every step.{extra}

    weight_decay : float >= 0, default=0.02
        Sets the ``weight_decay`` of a solver given by name that has one
        (AdamW, Lion); a solver object keeps its own.

    preprocessing : 'robust_smooth_clip', transformer or None, default='robust_smooth_clip'
        Applied to X inside ``fit`` and ``predict`` (fitted on the training
        rows of each fit): 'robust_smooth_clip' is
        ``sknn.preprocessing.RobustSmoothClipTransformer()``; a transformer
        object is cloned and used instead; None passes X unchanged. One-hot
        encode categorical columns before (a ``ColumnTransformer``).

    dtype : 'float32', 'float64' or None, default='float32'
        The floating type the network trains and predicts in (None: the
        input's, as the MLP estimators do). float32, as the paper's PyTorch
        code, halves the time of a fit.

    Attributes
    ----------
    Those of ``{base}``, and

    preprocessor_ : transformer or None
        The fitted preprocessing.

    Examples
    --------
    >>> from sklearn.datasets import {dataset}
    >>> from sknn import {name}
    >>> X, y = {dataset}(return_X_y=True)
    >>> est = {name}(max_iter=20, random_state=0).fit(X[:300], y[:300])
    >>> est.score(X[300:], y[300:]) > {threshold}
    True
"""


class _TabularMixin:
    """Preprocessing inside the estimator and the flat settings of the tabular defaults.

    ``_extra_flat`` maps a parameter of the tabular estimator to the
    component it sets (by attribute of ``_components()``) when that
    component is given by name: ``label_smoothing`` -> the loss,
    ``weight_decay`` -> the solver.
    """

    _extra_flat = {}

    def _components(self):
        parts = super()._components()
        for param, (owner, part) in self._extra_flat.items():
            component = getattr(parts, part)
            if isinstance(getattr(self, owner), str) and param in component.get_params():
                component.set_params(**{param: getattr(self, param)}).validate()
        return parts

    def _make_preprocessor(self):
        spec = self.preprocessing
        if spec is None:
            return None
        if isinstance(spec, str):
            return PREPROCESSING[spec]()
        return clone(spec)

    def _validate_input(self, X, y, incremental, reset):
        X, Y, y = super()._validate_input(X, y, incremental, reset)
        if reset or not hasattr(self, "preprocessor_"):
            self.preprocessor_ = self._make_preprocessor()
            if self.preprocessor_ is not None:
                self.preprocessor_.fit(X)
        return self._preprocess(X), Y, y

    def _preprocess(self, X, validated=False):
        """The preprocessed X in the network's dtype.

        ``validated``: X is a dense float array of the fitted width with finite
        values (``_is_plain_predict_array``), which the built-in transformer
        then scales without validating it again (a one-row prediction's
        largest cost).
        """
        dtype = X.dtype if self.dtype is None else np.dtype(self.dtype)
        if validated and type(self.preprocessor_) is RobustSmoothClipTransformer:
            X = self.preprocessor_._scale_and_clip(X.copy())
        elif self.preprocessor_ is not None:
            X = self.preprocessor_.transform(X)
        return X.astype(dtype, copy=False)

    def _encode_validation(self, validation, loss, dtype):
        X_val, Y_val, y_val, sw_val = super()._encode_validation(validation, loss, dtype)
        return self._preprocess(X_val), Y_val, y_val, sw_val

    def _forward(self, X, check_input=True):
        """Logits; ``check_input=False`` means X is already preprocessed (internal)."""
        if check_input and self._is_plain_predict_array(X):
            X = self._preprocess(X, validated=True)
        elif check_input:
            X = validate_data(self, X, accept_sparse=["csr", "csc"], reset=False)
            X = self._preprocess(X)
        return self._inference_network().predict_logits(X)

    def _check_solver(self):
        if self.early_stopping:
            raise AttributeError(
                "partial_fit is not available with early_stopping=True (the tabular "
                "estimators' revert-to-best holds out a validation split in every fit); "
                "set early_stopping=False to train incrementally."
            )
        return super()._check_solver()


def _tabular_constraints(base, extra):
    return {
        **base._parameter_constraints,
        "preprocessing": [StrOptions(set(PREPROCESSING)), HasMethods(["fit", "transform"]),
                          None],
        **extra,
    }


class TabularMLPClassifier(_TabularMixin, MLPClassifier):
    __doc__ = """Multi-layer perceptron classifier with RealMLP-TD's defaults for tabular data.

    ``MLPClassifier`` with robust scaling and smooth clipping of the inputs,
    PBLD embeddings of every feature, a learnable input scale, three layers
    of 256 parametric SELU units in the neural-tangent parametrization, a
    zero-initialized output layer, AdamW (beta_2 = 0.95, weight decay 0.02
    with the 'flat_cos' schedule) at 0.04 with the 'coslog' schedule,
    dropout 0.15 with the 'flat_cos' schedule, label smoothing 0.1,
    learning-rate factors 6 (input scale) and 0.1 (biases, activation mixes,
    embeddings), 256 epochs of batches of 256 and the best epoch on a 20 %
    validation split (Holzmueller et al. 2024); on up to 3200 rows, up to
    five such networks trained at once, each with the best epoch on its own
    fold, averaged (``n_members='auto'``).
    """ + _TABULAR_DOC.format(
        base="MLPClassifier", activation="parametric_selu", lr=0.04, name="TabularMLPClassifier",
        dataset="load_breast_cancer", threshold=0.9,
        extra="""

    label_smoothing : float in [0, 1), default=0.1
        Sets ``LogLoss(label_smoothing=...)`` when ``loss`` is given by name
        (a loss object keeps its own).""",
    )

    _flat_reference = MLPClassifier
    _extra_flat = {"label_smoothing": ("loss", "loss"), "weight_decay": ("solver", "solver")}
    _parameter_constraints: dict = _tabular_constraints(MLPClassifier, {
        "label_smoothing": [Interval(Real, 0, 1, closed="left")],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
    })

    def __init__(
        self,
        hidden_layer_sizes=(256, 256, 256),
        activation="parametric_selu",
        *,
        solver="adamw",
        alpha=0.0,
        batch_size=256,
        learning_rate="coslog",
        learning_rate_init=0.04,
        power_t=0.5,
        max_iter=256,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=True,
        validation_fraction=0.2,
        beta_1=0.9,
        beta_2=0.95,
        epsilon=1e-8,
        n_iter_no_change=np.inf,
        max_fun=15000,
        best_epoch_ties="last",
        loss="log_loss",
        weight_init="sklearn",
        bias_init=0.0,
        l1=0.0,
        max_norm=None,
        dropout=0.15,
        input_dropout=0.0,
        batch_norm=False,
        batch_norm_momentum=0.9,
        clip_norm=None,
        drop_last=True,
        warmup_epochs=0,
        divergence_threshold=100.0,
        on_divergence="warn",
        scoring=None,
        score_training=False,
        averaging=None,
        callbacks=None,
        class_weight=None,
        input_scale=True,
        parametrization="ntp",
        output_init="zeros",
        lr_factors=LR_FACTORS,
        weight_decay_factors=WEIGHT_DECAY_FACTORS,
        dropout_schedule="flat_cos",
        weight_decay_schedule="flat_cos",
        schedule_interval="step",
        n_members="auto",
        member_weights="independent",
        member_bootstrap=False,
        member_validation="auto",
        numeric_embedding="pbld",
        embedding_features="non_binary",
        data_init=True,
        label_smoothing=0.1,
        weight_decay=0.02,
        preprocessing="robust_smooth_clip",
        dtype="float32",
    ):
        _store_params(self, locals())


class TabularMLPRegressor(_TabularMixin, MLPRegressor):
    __doc__ = """Multi-layer perceptron regressor with RealMLP-TD's defaults for tabular data.

    ``MLPRegressor`` with robust scaling and smooth clipping of the inputs,
    standardized targets, PBLD embeddings of every feature, a learnable
    input scale, three layers of 256 parametric Mish units in the
    neural-tangent parametrization, a zero-initialized output layer, AdamW
    (beta_2 = 0.95, weight decay 0.02 with the 'flat_cos' schedule) at 0.14
    with the 'coslog' schedule, dropout 0.15 with the 'flat_cos' schedule,
    learning-rate factors 6 (input scale) and 0.1 (biases, activation mixes,
    embeddings), 256 epochs of batches of 256 and the best epoch on a 20 %
    validation split (Holzmueller et al. 2024); on up to 3200 rows, up to
    five such networks trained at once, each with the best epoch on its own
    fold, averaged (``n_members='auto'``).
    """ + _TABULAR_DOC.format(
        base="MLPRegressor", activation="parametric_mish", lr=0.14,
        name="TabularMLPRegressor", dataset="load_diabetes", threshold=0.2,
        extra="""
    standardize_target : default=True
    clip_predictions : default=True
        Predictions within the training targets' range (RealMLP-TD's
        ``clamp_output``).""",
    )

    _flat_reference = MLPRegressor
    _extra_flat = {"weight_decay": ("solver", "solver")}
    _parameter_constraints: dict = _tabular_constraints(MLPRegressor, {
        "weight_decay": [Interval(Real, 0, None, closed="left")],
    })

    def __init__(
        self,
        loss="squared_error",
        hidden_layer_sizes=(256, 256, 256),
        activation="parametric_mish",
        *,
        solver="adamw",
        alpha=0.0,
        batch_size=256,
        learning_rate="coslog",
        learning_rate_init=0.14,
        power_t=0.5,
        max_iter=256,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=True,
        validation_fraction=0.2,
        beta_1=0.9,
        beta_2=0.95,
        epsilon=1e-8,
        n_iter_no_change=np.inf,
        max_fun=15000,
        best_epoch_ties="last",
        weight_init="sklearn",
        bias_init=0.0,
        l1=0.0,
        max_norm=None,
        dropout=0.15,
        input_dropout=0.0,
        batch_norm=False,
        batch_norm_momentum=0.9,
        clip_norm=None,
        drop_last=True,
        warmup_epochs=0,
        divergence_threshold=100.0,
        on_divergence="warn",
        scoring=None,
        score_training=False,
        averaging=None,
        callbacks=None,
        input_scale=True,
        parametrization="ntp",
        output_init="zeros",
        lr_factors=LR_FACTORS,
        weight_decay_factors=WEIGHT_DECAY_FACTORS,
        dropout_schedule="flat_cos",
        weight_decay_schedule="flat_cos",
        schedule_interval="step",
        n_members="auto",
        member_weights="independent",
        member_bootstrap=False,
        member_validation="auto",
        numeric_embedding="pbld",
        embedding_features="non_binary",
        data_init=True,
        standardize_target=True,
        clip_predictions=True,
        weight_decay=0.02,
        preprocessing="robust_smooth_clip",
        dtype="float32",
    ):
        _store_params(self, locals())
