"""Parameter documentation shared by MLPClassifier and MLPRegressor.

The lists of components (activations, solvers, schedules, initializers,
averaging rules) are generated from their registries: each entry is the
registered name, its class with its default hyperparameters, and the first
paragraph of the class's docstring, so that a registered component cannot be
missing from the documentation. ``sknn._doc_tables`` makes the Markdown tables
of README.md and docs/user_guide.md from the same ``summary`` and ``defaults``.
"""

import inspect
import textwrap

from .activations import ACTIVATIONS
from .averaging import AVERAGING
from .initializers import INITIALIZERS
from .layers import BatchNorm
from .losses import LOSSES
from .optimizers import OPTIMIZERS
from .schedules import SCHEDULES


def summary(cls):
    """The first paragraph of a class's docstring, on one line."""
    doc = inspect.getdoc(cls) or ""
    return " ".join(doc.split("\n\n")[0].split())


def defaults(cls):
    """The hyperparameters of a component class with their defaults.

    In the constructor's order, with the values of ``cls().get_params()``; a
    class that cannot be built without arguments gives its signature's
    defaults.
    """
    parameters = {
        name: parameter.default
        for name, parameter in inspect.signature(cls).parameters.items()
        if parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
    }
    try:
        values = cls().get_params(deep=False)
    except TypeError:
        return parameters
    return {name: values[name] for name in parameters if name in values}


def _signature(cls):
    params = defaults(cls)
    return f"{cls.__name__}({', '.join(f'{k}={v!r}' for k, v in params.items())})"


def component_list(registry, *, indent=8, where=lambda cls: True):
    """One bullet per registered component: name, class and defaults, summary."""
    lines = []
    for name, cls in registry.items():
        if not where(cls):
            continue
        aliases = registry.aliases_of(name)
        label = "'" + "' / '".join((name, *aliases)) + "'"
        text = f"- {label}: ``{_signature(cls)}``. {summary(cls).rstrip('.')}."
        lines.append(textwrap.fill(text, 88 - indent, subsequent_indent="  "))
    return textwrap.indent("\n".join(lines), " " * indent).lstrip()


def loss_list(task):
    """The bullet list of the losses of one task ('classification' or 'regression')."""
    return component_list(LOSSES, where=lambda cls: cls.task == task)


COMMON_PARAMETERS = f"""
    hidden_layer_sizes : array-like of shape (n_layers - 2,), default=(100,)
        The ith element represents the number of neurons in the ith hidden layer.

    activation : str, Nonlinearity or tuple of them, default='relu'
        Activation of the hidden layers, one for all of them or one per hidden
        layer: a registered name (the component with its defaults) or an
        object of ``sknn.activations`` with its own hyperparameters, such as
        ``LeakyReLU(negative_slope=0.2)`` (searchable as
        ``activation__negative_slope``). Options:

        {component_list(ACTIVATIONS)}

    solver : str or Solver, default='adam'
        The weight optimizer: a registered name or an object of
        ``sknn.optimizers`` with its hyperparameters, such as
        ``Adam(beta_2=0.99)`` (searchable as ``solver__beta_2``). A name builds
        the solver with its own defaults (``solver='adadelta'`` trains at its
        learning rate 1.0); scikit-learn's flat parameters
        ``learning_rate_init``, ``momentum``, ``nesterovs_momentum``,
        ``beta_1``, ``beta_2``, ``epsilon`` and ``max_fun`` set the
        hyperparameter of the same name of a solver given by name when they
        differ from scikit-learn's defaults (so scikit-learn code behaves as
        in scikit-learn); with a solver object, set them on the object.
        Options:

        {component_list(OPTIMIZERS)}

        The mini-batch rules keep their state across ``partial_fit`` and
        ``warm_start`` and use the learning-rate schedules; 'lbfgs' has no
        ``partial_fit``; 'genetic' costs about ``population_size`` forward
        passes over the training data per generation (one per epoch).

    alpha : float, default=0.0001
        Strength of the L2 penalty 0.5 * alpha * ||W||^2, divided by the
        (weighted) number of samples of each batch as in scikit-learn. Applied
        to connection weights only: never to biases, batch-norm scale and
        shift, or PReLU slopes. Included in the reported loss (``loss_curve_``).

    batch_size : int or 'auto', default='auto'
        Mini-batch size; 'auto' is min(200, n_samples). Ignored by 'lbfgs'.

    learning_rate : str or Schedule, default='constant'
        Learning-rate schedule, applied to every stochastic solver (and to the
        mutation of 'genetic'): a registered name or an object of
        ``sknn.schedules`` such as ``Step(factor=0.1, step_size=30)``
        (searchable as ``learning_rate__factor``). The rate is set at the
        start of each epoch; ``e`` below counts the finished epochs, over
        every ``partial_fit`` and warm-started ``fit`` call, and lr0 is the
        solver's initial rate. The rate used is recorded in ``history_``.
        Options:

        {component_list(SCHEDULES)}

    learning_rate_init : float, default=0.001
        Initial learning rate of the stochastic solvers. At its default, a
        solver given by name uses its own recommended rate (the
        ``learning_rate_init`` of its class: 0.001 for 'sgd' and 'adam', as
        scikit-learn; 1.0 for 'adadelta', 0.01 for 'adagrad', 1e-4 for
        'lion'); any other value is used as it is.

    power_t : float, default=0.5
        Exponent of the 'invscaling' schedule (given by name).

    max_iter : int, default=200
        Maximum number of epochs (stochastic solvers) or iterations ('lbfgs').

    shuffle : bool, default=True
        Whether to shuffle the samples at every epoch.

    random_state : int, RandomState instance or None, default=None
        Seeds weight initialization, shuffling and the early-stopping split.
        An int gives bitwise-reproducible fits.

    tol : float, default=1e-4
        Improvement threshold for the ``n_iter_no_change`` rule, and the
        gradient tolerance of 'lbfgs'.

    verbose : bool, default=False
        Print progress to stdout.

    warm_start : bool, default=False
        Reuse the previous solution as the start of the next call to ``fit``,
        with the optimizer's state (Adam's moments, the velocity, the genetic
        population; scikit-learn resets them), the schedule's state and epoch
        count, the parameter average and ``history_``. ``partial_fit`` keeps
        them too.

    momentum : float, default=0.9
        Momentum of 'sgd' (given by name), in [0, 1].

    nesterovs_momentum : bool, default=True
        Nesterov's momentum for 'sgd' (given by name) when ``momentum > 0``.

    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data (stratified for
        classifiers) and stop when its score (see ``scoring``) has not improved
        by ``tol`` for ``n_iter_no_change`` epochs; the best parameters are
        restored. Not available in ``partial_fit``.

    validation_fraction : float, default=0.1
        Share of the training data held out for early stopping.

    beta_1 : float, default=0.9
        Decay of the first-moment estimate of 'adam' and the solvers given by
        name that have a ``beta_1``, in [0, 1).

    beta_2 : float, default=0.999
        Decay of the second-moment estimate of 'adam' and the solvers given by
        name that have a ``beta_2``, in [0, 1).

    epsilon : float, default=1e-8
        Numerical-stability constant of 'adam' and the solvers given by name
        that have an ``epsilon``.

    n_iter_no_change : int, default=10
        Epochs without improvement of more than ``tol`` before stopping (or,
        with 'adaptive', lowering the learning rate).

    max_fun : int, default=15000
        Maximum number of loss evaluations of 'lbfgs' (given by name).

    best_epoch_ties : {{'first', 'last'}}, default='first'
        With ``early_stopping``, which of the epochs tied for the best
        validation score is kept: 'first', as scikit-learn (a later epoch
        must score higher), or 'last' (one that scores as high replaces it,
        RealMLP's rule: accuracy on a few hundred held-out rows ties often,
        and the later of two tied epochs has trained longer). With
        ``member_validation``, per member.

    weight_init : str or Initializer, default='sklearn'
        Weight initializer: 'auto', a registered name or an object of
        ``sknn.initializers`` such as ``SmallNormal(scale=0.1)``. 'sklearn',
        the default, reproduces scikit-learn's scheme draw for draw, so that
        the defaults give scikit-learn's numbers. 'auto' picks the best
        practice for each hidden layer's activation (its ``recommended_init``):
        He uniform (variance 2 / fan_in) for the ReLU family, Glorot uniform
        (2 / (fan_in + fan_out)) for tanh, logistic and identity, LeCun normal
        (1 / fan_in) for SELU and maxout; and small output weights (variance
        0.01 / fan_in), so that training starts from nearly uniform
        predictions (a softmax loss near ln K). Options:

        {component_list(INITIALIZERS)}

    bias_init : float, default=0.0
        Initial value of every bias. Ignored by ``weight_init='sklearn'``, the
        default, which draws the biases as scikit-learn does.

    l1 : float, default=0.0
        Strength of the L1 penalty l1 * ||W||_1, divided by the (weighted)
        number of samples of each batch like ``alpha``, and included in the
        reported loss. Set both ``alpha`` and ``l1`` for the elastic net. The
        mini-batch solvers apply it after every update as a truncation that
        stops weights at exactly zero (the cumulative penalty of Tsuruoka et
        al. 2009, scikit-learn's ``SGDClassifier``'s; adaptive rules such as
        Adam apply it at their per-coordinate rates), so ``coefs_`` become
        sparse; 'lbfgs' follows the subgradient ``sign(W)`` (scipy's L-BFGS-B
        has no proximal step), which brings weights near zero, not to it.
        Applied to connection weights only, like ``alpha``.

    max_norm : float or None, default=None
        After every update of a stochastic solver, each hidden unit's incoming
        weight vector (a column of ``coefs_[i]`` for the hidden layers; the
        output layer is left free so that targets of any scale can be fit) is
        rescaled to norm at most ``max_norm`` (3 or 4 are usual). None turns
        it off. Not available with 'lbfgs', which takes no such updates.

    dropout : float or tuple of float, default=0.0
        Probability of dropping a hidden unit's output during training, one
        value for every hidden layer or one per hidden layer, in [0, 1).
        Inverted dropout: kept outputs are scaled by 1 / (1 - p) in training
        and the network is used as is at prediction. Masks come from the
        estimator's ``random_state``, so fits are reproducible. With 'lbfgs'
        the same masks are used at every evaluation (one draw per fit, from
        ``random_state``), which keeps the objective deterministic as L-BFGS
        requires; that is a weaker regularizer than fresh masks every batch.

    input_dropout : float, default=0.0
        Probability of dropping an input feature during training (inverted
        dropout on X, as ``dropout`` does for hidden units), in [0, 1). On
        sparse X only stored entries are drawn.

    batch_norm : bool or tuple of bool, default=False
        Batch normalization of each hidden layer (one value for all, or one per
        hidden layer), between the dense layer and the activation. The dense
        layer then has no bias (its ``intercepts_`` entry is zeros): the learned
        shift beta replaces it, next to a learned scale gamma. Training
        normalizes with the statistics of the mini-batch (weighted by
        ``sample_weight``); prediction uses running averages of them, so it is
        deterministic and independent of which rows are predicted together. A
        mini-batch of one row is finite (its rows normalize to beta) and does
        not update the running statistics. epsilon is {BatchNorm.epsilon:g}.

    batch_norm_momentum : float, default=0.9
        Weight on the *old* value in the running averages of batch norm (the
        Keras and CS231n convention; PyTorch's momentum is 1 minus this):
        running = m * running + (1 - m) * batch. The first 1 / (1 - m) updates
        average the batches seen so far, which removes the bias toward the
        initial mean 0 and variance 1. With 'lbfgs' the running statistics
        average the full-batch statistics of the last evaluations.

    clip_norm : float or None, default=None
        If set, every mini-batch gradient (penalty included) whose Euclidean
        norm exceeds ``clip_norm`` is rescaled to that norm before the step;
        applies to every stochastic solver.

    drop_last : bool, default=False
        Leave out each epoch's last mini-batch when it is incomplete (when
        ``batch_size`` does not divide the training rows), as PyTorch's
        ``DataLoader(drop_last=True)``: every step then averages the same
        number of rows. Shuffled, the rows left out differ from epoch to
        epoch; with ``shuffle=False`` they are always the same ones. With fewer
        rows than ``batch_size`` the epoch is one batch of all of them. The
        epoch's loss, ``t`` and the per-step schedules count the rows trained
        on. Ignored by 'lbfgs' and 'genetic'.

    warmup_epochs : int, default=0
        Linear warm-up for every schedule: during the first ``warmup_epochs``
        epochs the rate is multiplied by (e + 1) / (warmup_epochs + 1).

    divergence_threshold : float or None, default=100.0
        Training has diverged when a mini-batch loss is not finite, or when the
        mean loss of the epoch so far (over at least 100 rows, or the whole
        epoch) exceeds ``divergence_threshold * max(L0, 1)``, L0 being the loss
        at the start of training (measured once, on up to 1000 rows). Both are
        checked after every mini-batch; None keeps only the non-finite check.
        The notes' rule of thumb is 3x the initial loss; the default is looser
        because a too-high but workable rate can spike well above 3x and
        recover (more than 10x with SGD on an unscaled data set of
        scikit-learn's estimator checks), while a real divergence grows by
        orders of magnitude within an epoch.

    on_divergence : {{'warn', 'raise'}}, default='warn'
        What a diverged run does. Either way training stops at once and the
        parameters go back to their values at the start of the epoch (with
        early stopping, to the best validated ones), so no non-finite weights
        are left; the optimizer's state starts afresh (a later ``partial_fit``
        or warm start begins the update rule anew; keeping a copy of it would
        cost twice the parameters' memory for Adam). 'warn', the default, emits a
        ``sknn.DivergenceWarning`` naming the likely causes and sets
        ``diverged_=True``: the fit completes, as scikit-learn's does.
        'raise' raises ``sknn.DivergenceError`` (a ``ValueError``) with the same
        message, so that a search records the candidate as failed
        (``error_score``).
        ('genetic' keeps its best vector, so its loss cannot explode; 'lbfgs'
        raises scikit-learn's error when its weights are not finite.)

    scoring : str, callable or None, default=None
        What early stopping monitors on the validation split: None for the
        estimator's ``score`` (accuracy or R^2, as scikit-learn), 'loss' for
        the validation objective (recorded as its negative, so that higher is
        better), or any scikit-learn scorer name or callable
        ``scorer(estimator, X, y)``. Only used with ``early_stopping=True``.

    score_training : bool, default=False
        Also score the training data after every epoch (with ``scoring``),
        recorded as 'train_score' in ``history_`` beside 'val_score': the gap
        between the two shows overfitting. Off by default because it costs a
        prediction over the training set per epoch.

    averaging : str, Averaging or None, default=None
        Keep a running average of the parameter vector over the steps of a
        stochastic solver and predict with it (``theta_average_``): a
        registered name or an object of ``sknn.averaging`` such as
        ``EMA(decay=0.999)``. Not available with 'lbfgs' and 'genetic'. With
        ``batch_norm``, the averaged weights' running statistics are recomputed
        on the training data at the end of every call (``buffers_average_``);
        that combination does not take ``early_stopping``.
        Options:

        {component_list(AVERAGING)}

    callbacks : callable, list or tuple of callables, or None, default=None
        Called at the end of every epoch (every iteration of 'lbfgs') as
        ``callback(estimator, record)``, ``record`` being the epoch's dict in
        ``history_`` (callbacks may add keys to it). Training stops after the
        epoch when a callback returns True (exactly ``True``: other truthy
        values such as 1 do not stop). scikit-learn's callbacks
        (``sklearn.callback.ProgressBar``, ``ScoringMonitor``) are not
        parameters: set them with ``set_callbacks``. Callbacks are parameters: ``clone``
        deep-copies them and pickling the estimator pickles them (a lambda
        cannot be pickled; use a module-level function or class).

    input_scale : bool, default=False
        Start the network with a learnable per-feature scale (initialised at 1,
        ``sknn.tabular_layers.ScaleLayer``; RealMLP-TD's first layer).

    parametrization : {{'standard', 'ntp'}}, default='standard'
        'ntp' is the neural-tangent parametrization: weights drawn from
        N(0, 1) (``weight_init`` no longer draws them) and every product
        multiplied by 1 / sqrt(fan_in), so that one learning rate suits every
        width (RealMLP-TD trains at 0.04 / 0.14 in it). ``coefs_`` holds the
        unscaled weights.

    output_init : {{'default', 'zeros'}}, default='default'
        'zeros' starts the output layer's weights at 0 (RealMLP-TD).

    lr_factors : dict or tuple of (str, float) pairs, or None, default=None
        Learning-rate factor per parameter role: 'weight', 'bias',
        'input_scale' (the scale layer), 'scale' and 'shift' (batch norm),
        'slope' (PReLU), 'activation' (the mix weights of a 'parametric'
        activation), 'embedding' (``numeric_embedding``); roles not listed
        train at the rate. Each update of
        a mini-batch solver is multiplied coordinate-wise by its factor
        (``sknn.training.lr_factors``). RealMLP-TD:
        ``{{'input_scale': 6.0, 'bias': 0.1}}``.

    weight_decay_factors : dict or tuple of (str, float) pairs, or None, default=None
        Weight decay per parameter role (the roles of ``lr_factors``), with
        ``solver='adamw'``: each step shrinks a coordinate of role r by
        1 - lr * weight_decay * factor[r] before the Adam step, and its
        ``lr_factors`` entry scales that with the rest of the update. Roles
        not listed: 'weight' 1, every other role 0. None decays the
        connection weights only (``{{'weight': 1.0}}``). RealMLP-TD decays
        every parameter but the biases, with a coefficient that is the
        square of the learning-rate factor: ``{{'input_scale': 6.0,
        'activation': 0.1, 'embedding': 0.1}}`` here.

    dropout_schedule : str, Schedule or None, default=None
        A schedule of ``sknn.schedules`` (such as 'flat_cos') that multiplies
        the ``dropout`` and ``input_dropout`` rates at every epoch, read as a
        factor of 1. Mini-batch solvers only.

    weight_decay_schedule : str, Schedule or None, default=None
        The same for the solver's ``weight_decay`` (AdamW, Lion).

    schedule_interval : {{'epoch', 'step'}}, default='epoch'
        When the schedules (``learning_rate``, ``dropout_schedule``,
        ``weight_decay_schedule`` and the warm-up) are set: 'epoch' once
        at the start of every epoch (scikit-learn's rule for its rates),
        'step' before every mini-batch step, at the fractional epoch
        e + (rows of the epoch seen) / n_rows (as PyTorch Lightning's
        ``interval='step'``; RealMLP-TD's schedules are per step).
        ``history_`` records the rate of each epoch's first step.
        Mini-batch solvers only.

    n_members : int or 'auto', default=1
        Train that many independent networks (their own initial weights, the
        same mini-batches and dropout stream) as one batched ensemble: every
        dense layer holds the members' weights stacked, shape
        (n_members, fan_in, fan_out) (``coefs_`` too), the training loss is
        the sum of the members' losses (``loss_curve_`` included) and the
        predictions are the members' mean (probabilities for classifiers).
        Not with batch norm, max_norm or PReLU / Maxout. 'auto' trains
        ``1 + 3200 // n_samples`` members, at most 5 (5 up to 800 rows, 3
        from 1067 to 1600, 2 from 1601 to 3200, 1 above 3200: each member
        trains on its own (m - 1) / m of the rows, and together they train on
        no more rows than one network does on 4000), where the members can hold out rows of
        their own (early stopping, a mini-batch solver, ``fit`` without a
        validation set, ``member_weights='independent'``, a stackable
        network, and at least 2 rows per member's fold and, for a binary
        target, k rows of each class), and 1 otherwise; a warm start or
        ``partial_fit`` keeps the fitted number (``n_members_``).

    member_weights : {{'independent', 'shared'}}, default='independent'
        With ``n_members`` > 1: 'independent' members have weights of their
        own; 'shared' members share every hidden weight matrix and differ by
        per-member adapters and biases (BatchEnsemble / TabM,
        ``sknn.shared_ensemble.SharedEnsembleDense``; the first layer's input
        adapter is drawn at random), so that one large matrix product serves
        all members; their output layers stay independent. ``coefs_`` of a
        shared layer is its shared matrix (n_in, n_out).

    member_bootstrap : bool, default=False
        With ``n_members`` > 1: train each member on its own bootstrap
        sample of the training rows (drawn anew by every call of ``fit`` or
        ``partial_fit``, as per-member row weights:
        ``sknn.batched_ensemble.bootstrap_weights``), so that the
        members differ by their data as well as their initialization. The
        mini-batches stay shared (with ``member_validation`` 'own' or
        'folds', each member's own, see there); the validation split is not
        resampled.

    member_validation : {{'shared', 'own', 'folds', 'auto'}}, default='shared'
        With ``n_members`` > 1 and ``early_stopping``: 'shared' scores the
        ensemble's mean prediction on one validation split and keeps the
        epoch where it is best; 'own' gives each member its own validation
        split of ``validation_fraction`` of the rows (drawn as scikit-learn
        draws its split), trains the member on the other rows (for dense X
        in mini-batches of its own rows, ``sknn.training.member_batches``;
        for sparse X in the shared batches, with zero weight on the rows it
        holds out) and keeps each member's
        own best epoch (``sknn.training.member_validation``): a cross-fitted
        ensemble in one batched pass, which together trains on every row.
        'folds' does the same with the folds of one shuffled k-fold
        partition (stratified for a binary target) as the held-out rows, one
        fold per member (``validation_fraction`` is then 1 / n_members), so
        that every row is held out by exactly one member (2 members hold out
        halves: on the development sets' mean, better than 2 of 5 folds,
        docs/tabular.md). 'auto' is 'folds' where the members can hold out
        their own rows (as for ``n_members='auto'``, rows enough for the
        folds included) and 'shared' otherwise (``member_validation_``).
        ``validation_scores_`` is then the members' mean score per epoch,
        ``best_validation_score_`` the mean of their best scores, and
        ``member_validation_scores_`` (n_epochs, n_members) holds each
        member's scores and ``member_best_epochs_`` (n_members,) the epoch
        each member kept (0-based rows of ``member_validation_scores_``). With
        ``member_bootstrap``, each member's bootstrap sample is drawn from
        its own training rows. Not with a validation set given to ``fit``,
        nor with ``member_weights='shared'``.

    numeric_embedding : {{'pbld', 'plr'}} or None, default=None
        Embed input features in 4 learned periodic features each before the
        first dense layer (``sknn.numeric_embeddings.PeriodicEmbedding``, 16
        frequencies drawn from N(0, 0.1^2)): 'pbld' is RealMLP-TD's
        cos(2 pi w x + b) -> linear, with x itself kept; 'plr' is Gorishniy
        et al.'s [cos, sin] -> linear -> ReLU. Parameters of the role
        'embedding' (see ``lr_factors``). ``embedding_features`` chooses the
        features.

    embedding_features : {{'non_binary', 'all'}} or array-like, default='non_binary'
        The features ``numeric_embedding`` embeds; the others reach the first
        dense layer as they are, after the embeddings (``embedded_features_``).
        'non_binary': every feature with more than two distinct values in the
        data of the first ``fit`` or ``partial_fit`` call, so that one-hot and
        binary indicator columns pass through, as RealMLP-TD embeds its
        numeric features only (a first call with fewer than 3 rows embeds
        every feature; with small ``partial_fit`` batches, name the columns);
        'all': every feature; or a boolean mask of
        shape (n_features,), integer indices, or feature names (when X has
        them). Ignored without ``numeric_embedding``.

    data_init : bool, default=False
        Initialize the hidden dense layers from the training inputs
        (``sknn.data_init``, RealMLP-TD): each unit's weights divided by the
        std of its pre-activations on up to 2048 rows ('std'), its bias
        minus a random convex combination of its pre-activations at 5 rows
        ('he+5'). The output layer, and the shared matrices of
        ``member_weights='shared'``, keep their initialization.

    dtype : {{'float32', 'float64'}}, numpy.float32, numpy.float64 or None, default=None
        The floating type of the parameters and of all computation. None
        keeps scikit-learn's rule: float32 input trains in float32, anything
        else in float64. 'float32' trains in single precision from float64
        input too (after a ``StandardScaler``, say) without casting by hand:
        about twice as fast, with half the memory; X is converted once per
        ``fit`` and at prediction.
"""

COMMON_ATTRIBUTES = """
    loss_ : float
        The objective (loss plus penalty) at the end of training.

    best_loss_ : float or None
        Lowest training loss reached; None when ``early_stopping=True``.

    loss_curve_ : list of float
        Objective after every epoch (stochastic solvers), generation
        ('genetic') or iteration ('lbfgs').

    history_ : list of dict
        One record per entry of ``loss_curve_``, kept across ``partial_fit``
        and warm-started ``fit``: 'epoch' (0-based), 'loss' (training
        objective), 'time' (wall-clock seconds of the epoch), 'update_ratios'
        (one float per dense layer: the norm of the epoch's weight change over
        the norm of the weights; about 1e-3 is healthy) and, except for
        'lbfgs', 'learning_rate' (the rate used); with early stopping or a
        validation set (``fit(..., X_val=, y_val=)``) 'val_loss' and
        'val_score'; with ``score_training=True`` 'train_score'; for
        'genetic' 'mutation_scale'.

    initial_loss_ : float
        The training objective before any update, on up to 1000 evenly spaced
        rows of the first call's training data (the notes' sanity check: about
        ln C for a C-class softmax at small initial weights); also the
        reference of divergence detection.

    validation_scores_ : list of float or None
        Validation score after every epoch with ``early_stopping=True``
        (see ``scoring``).

    validation_loss_curve_ : list of float or None
        Validation objective after every epoch with ``early_stopping=True``.

    best_validation_score_ : float or None
        Best validation score with ``early_stopping=True``.

    t_ : int
        Number of training samples seen by the stochastic solver.

    training_state_ : dict
        Everything training carries between batches, epochs and calls, as
        plain arrays, numbers and lists: the optimizer's state (moments,
        velocity, genetic population), the schedule's state, the parameter
        average, early stopping's best parameters and counters, the
        divergence reference and the curves (see ``sknn.training.state``).
        ``partial_fit``, ``warm_start`` and pickling keep it.

    theta_average_ : ndarray of shape (n_params,) or None
        Running average of ``theta_`` with ``averaging``; predictions use it.

    n_members_ : int
        The members of the batched ensemble (``n_members``, 'auto' resolved
        for the training rows of the last call).

    member_validation_ : {'shared', 'own', 'folds'}
        How the members were validated in the last call (``member_validation``,
        'auto' resolved).

    embedded_features_ : ndarray of int or None
        The indices of the features ``numeric_embedding`` embeds (see
        ``embedding_features``); None without an embedding.

    buffers_average_ : ndarray of shape (n_buffers,) or None
        With ``averaging`` and ``batch_norm``: the batch-norm statistics of
        ``theta_average_``, recomputed on the training data at the end of every
        call (as PyTorch's ``update_bn``); predictions use them.

    diverged_ : bool
        Whether the last call stopped because training diverged
        (``on_divergence='warn'``).

    coefs_ : list of ndarray of shape (n_in, n_out)
        Weight matrices, one per dense layer: views into ``theta_``.

        With ``Maxout(pieces=k)``, a hidden layer's matrix has k columns per
        unit: columns ``j * k`` to ``j * k + k - 1`` are unit j's pieces.

    intercepts_ : list of ndarray of shape (n_out,)
        Bias vectors, one per dense layer: views into ``theta_``; zeros for a
        layer followed by batch norm, which has no bias.

    theta_ : ndarray of shape (n_params,)
        Every trainable parameter in one flat vector, dtype of the training data.

    buffers_ : ndarray of shape (n_buffers,)
        Non-trainable state in one flat vector: the running mean, running
        variance and update count of every batch-norm layer (empty without).

    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Names of features seen during fit, when X has string feature names.

    n_iter_ : int
        Number of epochs (or L-BFGS iterations) of the last call.

    n_layers_ : int
        Number of layers, input and output included.

    n_outputs_ : int
        Number of output units.

    out_activation_ : str
        Output link: 'softmax', 'logistic', 'identity' or 'exp'.
"""
