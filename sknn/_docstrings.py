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
        The weight optimizer. 'lbfgs' is full-batch quasi-Newton through
        ``scipy.optimize.minimize``; the others train on mini-batches and offer
        ``partial_fit``.

    alpha : float, default=0.0001
        Strength of the L2 penalty 0.5 * alpha * ||W||^2, divided by the
        (weighted) number of samples of each batch as in scikit-learn. Applied
        to connection weights only: never to biases, batch-norm scale and
        shift, or PReLU slopes. Included in the reported loss (``loss_curve_``).

    batch_size : int or 'auto', default='auto'
        Mini-batch size; 'auto' is min(200, n_samples). Ignored by 'lbfgs'.

    learning_rate : {{{_options(SCHEDULES.names())}}}, default='constant'
        Learning-rate schedule, applied to every stochastic solver.

        - 'constant': ``learning_rate_init`` throughout.
        - 'invscaling': ``learning_rate_init / (t + 1) ** power_t``, t the number
          of samples seen, updated after each epoch.
        - 'adaptive': constant until the loss (or validation score) stops
          improving for ``n_iter_no_change`` epochs, then divided by 5; training
          stops when it falls below 1e-6.

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
        Reuse the previous solution, and the optimizer's state, as the start of
        the next call to ``fit``.

    momentum : float, default=0.9
        Momentum of 'sgd', in [0, 1].

    nesterovs_momentum : bool, default=True
        Nesterov's momentum for 'sgd' when ``momentum > 0``.

    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data (stratified for
        classifiers) and stop when its score has not improved by ``tol`` for
        ``n_iter_no_change`` epochs; the best parameters are restored.

    validation_fraction : float, default=0.1
        Share of the training data held out for early stopping.

    beta_1 : float, default=0.9
        Decay of Adam's first-moment estimate, in [0, 1).

    beta_2 : float, default=0.999
        Decay of Adam's second-moment estimate, in [0, 1).

    epsilon : float, default=1e-8
        Numerical-stability constant of Adam.

    n_iter_no_change : int, default=10
        Epochs without improvement of more than ``tol`` before stopping (or,
        with 'adaptive', lowering the learning rate).

    max_fun : int, default=15000
        Maximum number of loss evaluations of 'lbfgs'.

    weight_init : {{{_options(initializer_names())}}}, default='auto'
        Weight initializer. 'auto' picks the best practice for the (first)
        hidden activation: He uniform (variance 2 / fan_in) for the ReLU family,
        Glorot uniform (2 / (fan_in + fan_out)) for tanh, logistic and identity,
        LeCun normal (1 / fan_in) for SELU. 'sklearn' reproduces
        scikit-learn's scheme draw for draw. 'zeros' is allowed but warns that
        all units stay identical. 'normal' and 'uniform' are small random
        numbers of scale ``init_scale``; 'sparse' gives every unit 15 non-zero
        incoming weights. See ``sknn.initializers``.

    bias_init : float, default=0.0
        Initial value of every bias (ignored by ``weight_init='sklearn'``).

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
"""

COMMON_ATTRIBUTES = """
    loss_ : float
        The objective (loss plus penalty) at the end of training.

    best_loss_ : float or None
        Lowest training loss reached; None when ``early_stopping=True``.

    loss_curve_ : list of float
        Objective after every epoch (stochastic solvers) or iteration ('lbfgs').

    validation_scores_ : list of float or None
        Validation score after every epoch with ``early_stopping=True``.

    best_validation_score_ : float or None
        Best validation score with ``early_stopping=True``.

    t_ : int
        Number of training samples seen by the stochastic solver.

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
