"""Parameter documentation shared by MLPClassifier and MLPRegressor."""

from .activations import ACTIVATIONS
from .layers import BatchNorm  # importing layers registers 'prelu' and 'maxout'
from .initializers import initializer_names
from .optimizers import solver_names
from .schedules import SCHEDULES


def _options(names):
    return ", ".join(f"'{name}'" for name in names)


COMMON_PARAMETERS = f"""
    hidden_layer_sizes : array-like of shape (n_layers - 2,), default=(100,)
        The ith element represents the number of neurons in the ith hidden layer.

    activation : str or tuple of str, default='relu'
        Activation of the hidden layers, one name for all of them or one per
        hidden layer. Options: {_options(ACTIVATIONS.names())}.
        'leaky_relu' uses ``negative_slope``, 'elu' uses ``elu_alpha``.
        'prelu' (parametric ReLU) learns one negative slope per unit, starting
        at ``negative_slope``; 'maxout' outputs the largest of
        ``maxout_pieces`` linear pieces per unit (its dense layer is
        ``maxout_pieces`` times wider).

    solver : {{{_options(solver_names())}}}, default='adam'
        The weight optimizer. Each mini-batch rule updates the flat parameter
        vector theta from the gradient g (formulas in ``sknn.optimizers``):

        - 'sgd': vanilla (``momentum=0``), classic or Nesterov momentum
          (``nesterovs_momentum``), the exponentially weighted form through
          ``dampening``, optional ``momentum_bias_correction``;
        - 'adam': bias-corrected moments (``beta_1``, ``beta_2``, ``epsilon``),
          optional ``amsgrad``;
        - 'adamw': Adam with decoupled ``weight_decay``;
        - 'nadam': Adam with Nesterov momentum;
        - 'adagrad': per-parameter rates from the sum of squared gradients;
        - 'rmsprop': the same with a leaky average of decay ``rho``;
        - 'adadelta': unit-correcting rates of decay ``rho`` (use
          ``learning_rate_init=1.0``).

        They train on mini-batches, keep their state across ``partial_fit``
        and ``warm_start``, and use the learning-rate schedules. 'lbfgs' is
        full-batch quasi-Newton through ``scipy.optimize.minimize`` (no
        ``partial_fit``). 'genetic' evolves a population of parameter vectors
        (``population_size``, ``mutation_scale``, ``elite_fraction``): a
        teaching and baseline tool for small networks, costing about
        ``population_size`` forward passes over the training data per
        generation (one generation per epoch and per ``partial_fit`` call);
        see ``sknn._genetic``.

    alpha : float, default=0.0001
        Strength of the L2 penalty 0.5 * alpha * ||W||^2, divided by the
        (weighted) number of samples of each batch as in scikit-learn. Applied
        to connection weights only: never to biases, batch-norm scale and
        shift, or PReLU slopes. Included in the reported loss (``loss_curve_``).

    batch_size : int or 'auto', default='auto'
        Mini-batch size; 'auto' is min(200, n_samples). Ignored by 'lbfgs'.

    learning_rate : {{{_options(SCHEDULES.names())}}}, default='constant'
        Learning-rate schedule, applied to every stochastic solver (and to the
        mutation of 'genetic'). The rate is set at the start of each epoch;
        ``e`` below counts the finished epochs, over every ``partial_fit`` and
        warm-started ``fit`` call, and lr0 is the current
        ``learning_rate_init``. The rate used is recorded in ``history_``.

        - 'constant': lr0 throughout.
        - 'invscaling': ``lr0 / (t + 1) ** power_t``, t the number of samples
          seen.
        - 'adaptive': constant until the loss (or validation score) stops
          improving for ``n_iter_no_change`` epochs, then divided by 5; training
          stops when it falls below 1e-6.
        - 'step': ``lr0 * lr_factor ** (e // lr_step_size)``.
        - 'exponential': ``lr0 * exp(-lr_decay * e)``.
        - 'inverse_time': ``lr0 / (1 + lr_decay * e)``.
        - 'cosine': from lr0 down to ``lr_min`` along half a cosine over
          ``max_iter`` epochs, or restarting every ``lr_restart_period`` epochs.
        - 'plateau': multiplied by ``lr_factor`` (not below ``lr_min``) after
          ``lr_patience`` epochs without improvement of the monitored metric
          (validation score with early stopping, training loss otherwise).

    learning_rate_init : float, default=0.001
        Initial learning rate of the stochastic solvers.

    power_t : float, default=0.5
        Exponent of the 'invscaling' schedule.

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
        Momentum of 'sgd', in [0, 1].

    nesterovs_momentum : bool, default=True
        Nesterov's momentum for 'sgd' when ``momentum > 0``.

    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data (stratified for
        classifiers) and stop when its score (see ``scoring``) has not improved
        by ``tol`` for ``n_iter_no_change`` epochs; the best parameters are
        restored. Not available in ``partial_fit``.

    validation_fraction : float, default=0.1
        Share of the training data held out for early stopping.

    beta_1 : float, default=0.9
        Decay of Adam's first-moment estimate, in [0, 1).

    beta_2 : float, default=0.999
        Decay of Adam's second-moment estimate, in [0, 1).

    epsilon : float, default=1e-8
        Numerical-stability constant of 'adam', 'adamw', 'nadam', 'adagrad',
        'rmsprop' and 'adadelta'.

    n_iter_no_change : int, default=10
        Epochs without improvement of more than ``tol`` before stopping (or,
        with 'adaptive', lowering the learning rate).

    max_fun : int, default=15000
        Maximum number of loss evaluations of 'lbfgs'.

    weight_init : {{{_options(initializer_names())}}}, default='sklearn'
        Weight initializer. 'sklearn', the default, reproduces scikit-learn's
        scheme draw for draw (weights and biases uniform in
        +-sqrt(6 / (fan_in + fan_out)), sqrt(2 / ...) for 'logistic'), so that
        the defaults give scikit-learn's numbers. 'auto' picks the best
        practice for each hidden layer's activation: He uniform (variance
        2 / fan_in) for the ReLU family, Glorot uniform (2 / (fan_in + fan_out))
        for tanh, logistic and identity, LeCun normal (1 / fan_in) for SELU;
        and small output weights (variance 0.01 / fan_in), so that training
        starts from nearly uniform predictions (a softmax loss near ln K). 'zeros' is allowed but warns that
        all units stay identical. 'normal' and 'uniform' are small random
        numbers of scale ``init_scale``; 'sparse' gives every unit 15 non-zero
        incoming weights. See ``sknn.initializers``.

    bias_init : float, default=0.0
        Initial value of every bias. Ignored by ``weight_init='sklearn'``, the
        default, which draws the biases as scikit-learn does.

    init_scale : float, default=0.01
        Scale of the 'normal' and 'uniform' initializers.

    negative_slope : float, default=0.01
        Slope of 'leaky_relu' for negative inputs, and the initial value of
        the learned per-unit slopes of 'prelu'.

    elu_alpha : float, default=1.0
        Saturation value of 'elu' for negative inputs.

    l1 : float, default=0.0
        Strength of the L1 penalty l1 * ||W||_1, divided by the (weighted)
        number of samples of each batch like ``alpha``; it drives weights to
        (near) zero. Set both ``alpha`` and ``l1`` for the elastic net. The
        gradient is the subgradient ``sign(W)``. Applied to connection weights
        only, like ``alpha``.

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

    maxout_pieces : int, default=2
        Number of linear pieces per unit of the 'maxout' activation (>= 2);
        ignored by the other activations.

    dampening : float, default=0.0
        'sgd' momentum dampening d in [0, 1] (PyTorch's meaning): the velocity
        is v = momentum * v - lr * (1 - d) * g, so ``dampening=momentum`` gives
        the exponentially weighted average of the gradients. 0 is
        scikit-learn's formula.

    momentum_bias_correction : bool, default=False
        Divide the 'sgd' momentum update by 1 - momentum^t, Adam's bias
        correction, which matters for the exponentially weighted form.

    amsgrad : bool, default=False
        AMSGrad variant of 'adam' and 'adamw': divide by the running maximum of
        the second moment.

    weight_decay : float, default=0.01
        Decoupled weight decay of 'adamw': the connection weights shrink by a
        factor 1 - lr * weight_decay before each step (biases are spared).

    rho : float, default=0.9
        Decay of the squared-gradient average of 'rmsprop' and 'adadelta', in
        [0, 1); typical values 0.9, 0.99, 0.999.

    clip_norm : float or None, default=None
        If set, every mini-batch gradient (penalty included) whose Euclidean
        norm exceeds ``clip_norm`` is rescaled to that norm before the step;
        applies to every stochastic solver.

    population_size : int, default=50
        Number of parameter vectors of the 'genetic' solver (at least 2).

    mutation_scale : float, default=0.05
        Standard deviation of the Gaussian mutation of 'genetic', multiplied by
        lr / ``learning_rate_init`` so that the schedules anneal it; also the
        spread of the initial population around the initialized network.

    elite_fraction : float, default=0.1
        Share of the 'genetic' population kept unchanged each generation (at
        least one vector, at most population_size - 1).

    lr_factor : float, default=0.5
        Factor of the 'step' and 'plateau' schedules, in (0, 1).

    lr_step_size : int, default=10
        Epochs between two reductions of the 'step' schedule.

    lr_decay : float, default=0.05
        Decay rate k per epoch of the 'exponential' and 'inverse_time' schedules.

    lr_min : float, default=1e-6
        Floor of the 'cosine' and 'plateau' schedules (lowered to
        ``learning_rate_init`` when that is smaller).

    lr_patience : int, default=5
        Epochs without improvement before 'plateau' lowers the rate.

    lr_restart_period : int or None, default=None
        Length in epochs of the cycles of 'cosine' with warm restarts; None is
        a single decay over ``max_iter`` epochs.

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
        parameters and optimizer state go back to their values at the start of
        the epoch (with early stopping, to the best validated ones), so no
        non-finite weights are left. 'warn', the default, emits a
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

    averaging : {{'ema', 'polyak'}} or None, default=None
        Keep a running average of the parameter vector over the steps of a
        stochastic solver and predict with it (``theta_average_``): 'ema' an
        exponential moving average of decay ``ema_decay`` (bias-corrected),
        'polyak' the plain mean of all iterates. Ignored by 'lbfgs' and
        'genetic'.

    ema_decay : float, default=0.99
        Decay per step of ``averaging='ema'``, in (0, 1); the average spans
        about 1 / (1 - ema_decay) steps.

    callbacks : callable, list or tuple of callables, or None, default=None
        Called at the end of every epoch (every iteration of 'lbfgs') as
        ``callback(estimator, record)``, ``record`` being the epoch's dict in
        ``history_`` (callbacks may add keys to it). Training stops after the
        epoch when a callback returns True. Callbacks are parameters: ``clone``
        deep-copies them and pickling the estimator pickles them (a lambda
        cannot be pickled; use a module-level function or class).
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
        objective), 'time' (wall-clock seconds) and, except for 'lbfgs',
        'learning_rate' (the rate used); with early stopping 'val_loss' and
        'val_score'; for 'genetic' 'mutation_scale'.

    validation_scores_ : list of float or None
        Validation score after every epoch with ``early_stopping=True``
        (see ``scoring``).

    validation_loss_curve_ : list of float or None
        Validation objective after every epoch with ``early_stopping=True``.

    best_validation_score_ : float or None
        Best validation score with ``early_stopping=True``.

    t_ : int
        Number of training samples seen by the stochastic solver.

    theta_average_ : ndarray of shape (n_params,) or None
        Running average of ``theta_`` with ``averaging``; predictions use it.

    diverged_ : bool
        Whether the last call stopped because training diverged
        (``on_divergence='warn'``).

    coefs_ : list of ndarray of shape (n_in, n_out)
        Weight matrices, one per dense layer: views into ``theta_``.

        With 'maxout', a hidden layer's matrix has ``maxout_pieces`` columns per
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

    feature_names_in_ : ndarray of shape (n_features_in_,)
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
