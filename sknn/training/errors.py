"""What a diverging run reports."""

NON_FINITE_MESSAGE = (
    "Solver produced non-finite parameter weights. The input data may contain "
    "large values and need to be preprocessed."
)
LIKELY_CAUSE = (
    "the learning rate is probably too high (lower learning_rate_init) or the "
    "inputs are not scaled (put a StandardScaler before the network)"
)


class DivergenceError(ValueError):
    """Training produced a non-finite or exploding loss (``on_divergence='raise'``)."""


class DivergenceWarning(UserWarning):
    """Training diverged and was stopped (``on_divergence='warn'``)."""
