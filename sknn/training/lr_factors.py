"""Per-parameter-group learning-rate factors, applied around every update."""

import numpy as np

from .events import Handler


def factor_vector(layout, factors, dtype):
    """One learning-rate factor per coordinate of theta.

    Parameters
    ----------
    layout : ParamLayout
    factors : dict of str to float
        Role (``"weight"``, ``"bias"``, ``"input_scale"``, ``"scale"``,
        ``"shift"``, ``"slope"``) -> factor; roles not listed get 1.
    dtype : numpy dtype

    Returns
    -------
    ndarray of shape (layout.size,)
    """
    vector = np.ones(layout.size, dtype=dtype)
    for slot in layout.slots:
        vector[slot.start : slot.stop] = factors.get(slot.role, 1.0)
    return vector


class LearningRateFactors(Handler):
    """Multiplies each coordinate's update by its group's factor.

    Before the update (``on_batch_loss``) theta is saved; after it
    (``on_batch_end``) theta <- saved + f * (theta - saved). For a rule
    whose update is proportional to the learning rate (Adam, AdamW's decay
    included, plain SGD) this is training each group at ``f`` times the
    rate, whatever the rule, without touching it; with SGD momentum the
    velocity keeps the unscaled rate. RealMLP-TD trains its input scales at
    6 times the rate and the biases at 0.1 times.

    Must come before the handlers that read the updated parameters
    (L1 truncation, averaging).

    Parameters
    ----------
    factors : dict of str to float
        Role -> factor (see ``factor_vector``).
    """

    def __init__(self, factors):
        self.factors = dict(factors)
        self.vector = self.saved = None

    def on_fit_begin(self, run):
        theta = run.network.theta
        self.vector = factor_vector(run.network.layout, self.factors, theta.dtype)
        self.saved = np.empty_like(theta)

    def on_batch_loss(self, run, batch, value, total, rows):
        self.saved[...] = run.network.theta
        return False

    def on_batch_end(self, run):
        theta = run.network.theta
        theta -= self.saved
        theta *= self.vector
        theta += self.saved


def as_factor_dict(lr_factors, name="lr_factors"):
    """``lr_factors`` (dict, or sequence of (role, factor) pairs) as a dict, checked.

    ``name`` is the parameter named in the error messages.
    """
    pairs = dict(lr_factors)
    for role, factor in pairs.items():
        if not isinstance(role, str):
            raise ValueError(f"{name} keys are parameter roles (str); got {role!r}.")
        if isinstance(factor, bool) or not np.isscalar(factor) or not float(factor) >= 0:
            raise ValueError(
                f"{name}[{role!r}] must be a non-negative number; got {factor!r}."
            )
    return {role: float(factor) for role, factor in pairs.items()}
