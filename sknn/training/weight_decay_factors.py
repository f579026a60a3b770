"""Per-parameter-role weight decay (``weight_decay_factors``), set on the run's AdamW."""

from .events import Handler


class WeightDecayFactors(Handler):
    """Gives the run's solver one decay factor per parameter role.

    AdamW then shrinks each coordinate of role r by
    ``1 - lr * weight_decay * factors[r]`` before its step ('weight' defaults
    to 1, every other role to 0: the plain rule decays the connection
    weights only). The learning-rate factors (``lr_factors``) then scale the
    whole update, decay included, so a role decays at
    ``lr * weight_decay * factors[r] * lr_factors[r]``.

    Parameters
    ----------
    factors : dict of str to float
        Role -> factor (``sknn.training.lr_factors.as_factor_dict`` checks it).
    """

    def __init__(self, factors):
        self.factors = dict(factors)

    def on_fit_begin(self, run):
        if not hasattr(run.solver, "decay_by_role"):
            raise ValueError(
                f"weight_decay_factors needs solver='adamw'; {type(run.solver).__name__} "
                "has no per-role weight decay."
            )
        run.solver.decay_by_role(run.network.layout, self.factors)
