"""The handlers of the per-group learning rates and weight decay and the scheduled
dropout and weight decay (``lr_factors``, ``weight_decay_factors``,
``dropout_schedule``, ``weight_decay_schedule``, ``schedule_interval``)."""

from .training.hyperparameter_schedules import ScheduledHyperparameters
from .training.lr_factors import LearningRateFactors, as_factor_dict
from .training.weight_decay_factors import WeightDecayFactors


def training_option_handlers(est, driver, parts):
    """The handlers these options need for one run (empty when all are off).

    Parameters
    ----------
    est : BaseMLP
    driver : Driver
    parts : SimpleNamespace
        The resolved components (``BaseMLP._components``); its
        ``dropout_schedule`` and ``weight_decay_schedule`` are None or set up
        for the run.

    Returns
    -------
    list of Handler

    Raises
    ------
    ValueError
        When an option is set with a solver that does not take mini-batch steps.
    """
    lr_factors = getattr(est, "lr_factors", None)
    weight_decay_factors = getattr(est, "weight_decay_factors", None)
    dropout_schedule = getattr(parts, "dropout_schedule", None)
    weight_decay_schedule = getattr(parts, "weight_decay_schedule", None)
    per_step = getattr(est, "schedule_interval", "epoch") == "step" or None
    used = [name for name, value in (("lr_factors", lr_factors),
                                     ("weight_decay_factors", weight_decay_factors),
                                     ("dropout_schedule", dropout_schedule),
                                     ("weight_decay_schedule", weight_decay_schedule),
                                     ("schedule_interval='step'", per_step))
            if value is not None]
    if used and not driver.mini_batches:
        raise ValueError(
            f"{', '.join(used)} need a mini-batch solver (adam, sgd, ...); "
            f"solver={est.solver!r} takes no per-batch steps."
        )
    handlers = []
    if lr_factors is not None:
        handlers.append(LearningRateFactors(as_factor_dict(lr_factors)))
    if weight_decay_factors is not None:
        handlers.append(WeightDecayFactors(as_factor_dict(weight_decay_factors,
                                                          "weight_decay_factors")))
    if dropout_schedule is not None or weight_decay_schedule is not None:
        handlers.append(ScheduledHyperparameters(dropout_schedule, weight_decay_schedule))
    return handlers
