"""Parameter documentation shared by MLPClassifier and MLPRegressor."""

from .activations import ACTIVATIONS
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

    solver : {{{_options(solver_names())}}}, default='adam'
        The weight optimizer. 'lbfgs' is full-batch quasi-Newton through
        ``scipy.optimize.minimize``; the others train on mini-batches and offer
        ``partial_fit``.

    alpha : float, default=0.0001
        Strength of the L2 penalty 0.5 * alpha * ||W||^2, divided by the
        (weighted) number of samples of each batch as in scikit-learn. Applied
        to connection weights only, never to biases.

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
        Slope of 'leaky_relu' for negative inputs.

    elu_alpha : float, default=1.0
        Saturation value of 'elu' for negative inputs.
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

    intercepts_ : list of ndarray of shape (n_out,)
        Bias vectors, one per dense layer: views into ``theta_``.

    theta_ : ndarray of shape (n_params,)
        Every trainable parameter in one flat vector, dtype of the training data.

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
