"""Keep an L-BFGS fit consistent when its run is cut short by an exception.

``scipy.optimize.minimize`` evaluates the objective at line-search trial
points, which the objective writes into ``theta``; an exception raised there
(``KeyboardInterrupt``) or in a callback leaves a trial point, perhaps a wild
one, in the parameters, and ``n_iter_`` unset. ``LastIterate`` keeps a copy
of the last iterate L-BFGS accepted; ``restore`` puts it back and sets
``n_iter_``, ``loss_`` and ``best_loss_`` from the iterations recorded in
``loss_curve_``, as the stochastic solvers leave them.
"""


class LastIterate:
    """The last accepted L-BFGS iterate, and the restore after an interruption.

    Parameters
    ----------
    est : BaseMLP
    theta : ndarray
        The network's parameter vector (bound to the estimator's ``theta_``).
    """

    def __init__(self, est, theta):
        self.est, self.theta = est, theta
        self.n_before = len(est.loss_curve_)  # warm start: earlier runs' entries
        self.saved = theta.copy()  # the starting point until an iteration is accepted

    def accept(self, x):
        """Record ``x``, the iterate L-BFGS just accepted, as the parameters."""
        self.theta[...] = x
        self.saved[...] = self.theta

    def restore(self):
        """Parameters and counters as they were at the last accepted iterate."""
        est = self.est
        self.theta[...] = self.saved
        recorded = est.loss_curve_[self.n_before:]
        est.n_iter_ = len(recorded)
        if recorded:
            est.loss_ = recorded[-1]
            est.best_loss_ = min(est.loss_curve_)
