"""Hyperparameter search: sampling distributions and a coarse-to-fine search.

The distributions follow the protocol of scipy.stats' frozen distributions
(``rvs(size=None, random_state=None)``), so every scikit-learn search takes
them in ``param_distributions``:

- ``LogUniform(low, high)``: 10**r with r uniform in [log10 low, log10 high],
  for learning rates and penalties. It is the same law as
  ``scipy.stats.loguniform(low, high)`` (the same draws from the same seed);
  what it adds is a readable repr and the scale ``CoarseToFineSearchCV``
  narrows it in, which it cannot do with scipy's object.
- ``LogUniformBeta(low, high)``: beta = 1 - 10**r, 1 - beta log-uniform, for
  momentum-like betas (``LogUniformBeta(0.9, 0.999)``: r in [-3, -1]). It is
  ``1 - scipy.stats.loguniform(1 - high, 1 - low)``, which scipy has no
  single object for; ``scipy.stats.loguniform(0.9, 0.999)`` is almost
  uniform over the betas and tries 0.99-0.999 about one time in eleven.
- ``IntLogUniform(low, high)``: integers from ``low`` to ``high`` spread on
  a log scale, for layer widths. ``scipy.stats.loguniform`` gives floats,
  which ``hidden_layer_sizes`` refuses.
- ``Uniform(low, high)``: uniform on a linear scale (dropout rates), the
  same law as ``scipy.stats.uniform(low, high - low)``.

``CoarseToFineSearchCV`` samples candidates at random, then narrows every
range around the best candidates, in the distribution's own scale, and
samples again, for ``n_rounds`` rounds.
"""

import math
from numbers import Integral, Real

import numpy as np
from sklearn.model_selection import ParameterSampler
from sklearn.model_selection._search import BaseSearchCV
from sklearn.utils import check_random_state

from ._compat import Interval

__all__ = [
    "CoarseToFineSearchCV",
    "IntLogUniform",
    "LogUniform",
    "LogUniformBeta",
    "Uniform",
]


def _generator(random_state):
    """A NumPy Generator or RandomState from what scipy's ``rvs`` accepts."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    return check_random_state(random_state)


class ScaledUniform:
    """Base class: a distribution uniform in its scale u = ``to_scale(x)``.

    Subclasses define the scale (``to_scale`` / ``from_scale``) and check
    the bounds; ``rvs`` draws u uniformly between the bounds' scale values
    and maps it back, and ``narrowed`` returns a distribution of the same
    kind over a shorter interval of the scale.

    Parameters
    ----------
    low, high : float
        The smallest and the largest value, ``low <= high``.
    """

    #: the scale, in words, for the repr's users and the docs
    scale = "linear"

    def __init__(self, low, high):
        self.low, self.high = self._check_bounds(low, high)

    # ---------------------------------------------------------------- scale
    def to_scale(self, x):
        """The scale coordinate of the values ``x`` (array-like)."""
        return np.asarray(x, dtype=float)

    def from_scale(self, u):
        """The values of the scale coordinates ``u`` (inverse of ``to_scale``)."""
        return np.asarray(u, dtype=float)

    def scale_bounds(self):
        """(u_low, u_high): the interval of the scale that is sampled uniformly."""
        a, b = self.to_scale([self.low, self.high])
        return (float(min(a, b)), float(max(a, b)))

    def _check_bounds(self, low, high):
        for name, value in (("low", low), ("high", high)):
            if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
                raise ValueError(
                    f"{type(self).__name__}: {name} must be a finite real number, "
                    f"got {value!r}."
                )
        if low > high:
            raise ValueError(
                f"{type(self).__name__}: low must be <= high, got low={low!r}, high={high!r}."
            )
        return float(low), float(high)

    # ------------------------------------------------------------- sampling
    def rvs(self, size=None, random_state=None):
        """Random values, as scipy.stats' frozen distributions draw them.

        Parameters
        ----------
        size : int, tuple of int or None, default=None
            The shape of the result; None draws one value.
        random_state : int, RandomState, Generator or None, default=None

        Returns
        -------
        values : float or ndarray of shape ``size``
        """
        u_low, u_high = self.scale_bounds()
        u = _generator(random_state).uniform(u_low, u_high, size)
        values = np.clip(self.from_scale(u), self.low, self.high)
        return float(values) if size is None else values

    # ------------------------------------------------------------ narrowing
    def narrowed(self, values, factor):
        """The same kind of distribution over a shorter range around ``values``.

        The new range, in the scale, is centred on the span of ``values``;
        its width is ``factor`` times the current one, or the span if that is
        wider; it is moved inside the current range where it would stick out.

        Parameters
        ----------
        values : array-like of shape (n_values,)
            Values of this distribution (the best candidates'), n_values >= 1.
        factor : float in (0, 1]

        Returns
        -------
        distribution : same type as self
            Its range holds every value of ``values`` and lies inside this one.
        """
        values = np.asarray(values, dtype=float)
        u = self.to_scale(values)
        u_low, u_high = self.scale_bounds()
        half = max(factor * (u_high - u_low), float(u.max() - u.min())) / 2
        centre = (float(u.max()) + float(u.min())) / 2
        start, stop = centre - half, centre + half
        if start < u_low:
            start, stop = u_low, stop + (u_low - start)
        if stop > u_high:
            start, stop = max(u_low, start - (stop - u_high)), u_high
        a, b = sorted(self.from_scale([start, stop]))
        low = min(max(a, self.low), values.min())
        high = max(min(b, self.high), values.max())
        return type(self)(low, high)

    # ------------------------------------------------------------ identity
    def __repr__(self):
        return f"{type(self).__name__}(low={self.low!r}, high={self.high!r})"

    def __eq__(self, other):
        return type(self) is type(other) and (self.low, self.high) == (other.low, other.high)

    def __hash__(self):
        return hash((type(self), self.low, self.high))


class Uniform(ScaledUniform):
    """Uniform on [low, high], a linear scale (dropout rates, fractions).

    The same law as ``scipy.stats.uniform(low, high - low)``.

    Parameters
    ----------
    low, high : float
        The bounds, ``low <= high``.

    Examples
    --------
    >>> from sknn.search import Uniform
    >>> Uniform(0.0, 0.5)
    Uniform(low=0.0, high=0.5)
    >>> 0.0 <= Uniform(0.0, 0.5).rvs(random_state=0) <= 0.5
    True
    """


class LogUniform(ScaledUniform):
    """10**r with r uniform in [log10 low, log10 high]: rates and penalties.

    The same law as ``scipy.stats.loguniform(low, high)``, and the same draws
    from the same seed; ``CoarseToFineSearchCV`` narrows this one in log
    space, while it keeps scipy's fixed.

    Parameters
    ----------
    low, high : float > 0
        The bounds, ``low <= high``.

    Examples
    --------
    >>> from sknn.search import LogUniform
    >>> LogUniform(1e-5, 1e-1)
    LogUniform(low=1e-05, high=0.1)
    >>> LogUniform(1e-5, 1e-1).rvs(size=3, random_state=0).round(6)
    array([0.001568, 0.007257, 0.002577])
    """

    scale = "log10(x)"

    def _check_bounds(self, low, high):
        low, high = super()._check_bounds(low, high)
        if low <= 0:
            raise ValueError(f"LogUniform: low must be > 0 (a log scale), got {low!r}.")
        return low, high

    def to_scale(self, x):
        return np.log10(np.asarray(x, dtype=float))

    def from_scale(self, u):
        return 10.0 ** np.asarray(u, dtype=float)


class LogUniformBeta(ScaledUniform):
    """beta = 1 - 10**r with r uniform: momentum-like betas near 1.

    1 - beta is log-uniform on [1 - high, 1 - low]: ``LogUniformBeta(0.9,
    0.999)`` samples r in [-3, -1], as often 0.99-0.999 as 0.9-0.99, the
    averaging horizons 1 / (1 - beta) of 10 to 1000 steps evenly on a log
    scale. The same law as ``1 - scipy.stats.loguniform(1 - high, 1 - low)``.

    Parameters
    ----------
    low, high : float in [0, 1)
        The bounds, ``low <= high``.

    Examples
    --------
    >>> from sknn.search import LogUniformBeta
    >>> LogUniformBeta(0.9, 0.999)
    LogUniformBeta(low=0.9, high=0.999)
    """

    scale = "log10(1 - x)"

    def _check_bounds(self, low, high):
        low, high = super()._check_bounds(low, high)
        if not 0 <= low or not high < 1:
            raise ValueError(
                "LogUniformBeta: low and high must be in [0, 1) (1 - beta on a log "
                f"scale), got low={low!r}, high={high!r}."
            )
        return low, high

    def to_scale(self, x):
        return np.log10(1.0 - np.asarray(x, dtype=float))

    def from_scale(self, u):
        return 1.0 - 10.0 ** np.asarray(u, dtype=float)


class IntLogUniform(ScaledUniform):
    """Integers from ``low`` to ``high`` on a log scale: layer widths.

    floor(10**r) with r uniform in [log10 low, log10 (high + 1)): each
    integer k has the probability of [k, k + 1) under the continuous
    log-uniform law, so that 8-16 units are as likely as 256-512.

    Parameters
    ----------
    low, high : int >= 1
        The bounds, both included, ``low <= high``.

    Examples
    --------
    >>> from sknn.search import IntLogUniform
    >>> IntLogUniform(8, 512)
    IntLogUniform(low=8, high=512)
    >>> IntLogUniform(8, 512).rvs(size=4, random_state=0)
    array([ 78, 156,  98,  77])
    """

    scale = "log10(x), integers"

    def __init__(self, low, high):
        for name, value in (("low", low), ("high", high)):
            if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
                raise ValueError(f"IntLogUniform: {name} must be an integer >= 1, got {value!r}.")
        if low > high:
            raise ValueError(f"IntLogUniform: low must be <= high, got low={low!r}, high={high!r}.")
        self.low, self.high = int(low), int(high)

    def to_scale(self, x):
        return np.log10(np.asarray(x, dtype=float))

    def from_scale(self, u):
        return 10.0 ** np.asarray(u, dtype=float)

    def scale_bounds(self):
        return (math.log10(self.low), math.log10(self.high + 1))

    def rvs(self, size=None, random_state=None):
        u_low, u_high = self.scale_bounds()
        u = _generator(random_state).uniform(u_low, u_high, size)
        values = np.clip(np.floor(self.from_scale(u)), self.low, self.high).astype(np.int64)
        return int(values) if size is None else values

    def narrowed(self, values, factor):
        values = np.asarray(values, dtype=float)
        # the sampled interval of a value k is [k, k + 1): narrow those intervals
        wide = ScaledUniform.narrowed(
            LogUniform(self.low, self.high + 1), np.concatenate([values, values + 1]), factor
        )
        low = min(int(math.floor(wide.low)), int(values.min()))
        high = max(int(math.ceil(wide.high)) - 1, int(values.max()), low)
        return IntLogUniform(max(low, self.low), min(high, self.high))


# ------------------------------------------------------------------ the search
def _split_budget(n_iter, n_rounds):
    """Candidates per round: n_iter in n_rounds parts, the first ones larger."""
    base, extra = divmod(n_iter, n_rounds)
    return [base + (i < extra) for i in range(n_rounds)]


def _choice_index(choices, value):
    """The position of ``value`` in the list ``choices``: the same object first."""
    for i, choice in enumerate(choices):
        if choice is value:
            return i
    for i, choice in enumerate(choices):
        try:
            if bool(choice == value):
                return i
        except (TypeError, ValueError):  # arrays and objects without a plain ==
            continue
    raise ValueError(f"{value!r} is not one of {choices!r}")  # not reached: sampled from them


def _narrow(space, best, factor):
    """The search space of the next round, narrowed around the ``best`` candidates.

    Parameters
    ----------
    space : dict
        Parameter name -> distribution or list, the current round's.
    best : list of dict
        The parameters of the best candidates so far (at least one).
    factor : float in (0, 1]

    Returns
    -------
    dict
        sknn's distributions narrowed in their scale, lists cut to the choices
        the best candidates use (in their order), other distributions unchanged.
    """
    narrowed = {}
    for name, dist in space.items():
        values = [params[name] for params in best if name in params]
        if not values:
            narrowed[name] = dist
        elif isinstance(dist, ScaledUniform):
            narrowed[name] = dist.narrowed(values, factor)
        elif hasattr(dist, "rvs"):
            narrowed[name] = dist  # scipy.stats and other distributions: kept as given
        else:
            keep = {_choice_index(dist, value) for value in values}
            narrowed[name] = [choice for i, choice in enumerate(dist) if i in keep]
    return narrowed


class CoarseToFineSearchCV(BaseSearchCV):
    """Random search that narrows its ranges around the best candidates, round by round.

    Round 1 samples candidates from ``param_distributions`` as
    ``RandomizedSearchCV`` does. Every later round narrows each parameter
    around the ``n_best`` best candidates evaluated so far and samples again:

    - sknn's distributions (``LogUniform``, ``LogUniformBeta``,
      ``IntLogUniform``, ``Uniform``) keep their kind and shrink to
      ``shrink`` times their width in their own scale (a log range in log
      space), centred on the best candidates and inside the previous range;
    - a list of choices (strings, numbers, component objects such as
      ``[Adam(), SGD(momentum=0.9)]``) keeps only the choices the best
      candidates use;
    - any other distribution (``scipy.stats.loguniform(...)`` and the like)
      cannot be narrowed and is sampled unchanged in every round.

    The ``n_iter`` candidates are split between the ``n_rounds`` rounds, so
    the budget equals ``RandomizedSearchCV``'s with the same ``n_iter``.
    Failed candidates (``error_score``) never count among the best. For
    sknn's networks pass ``on_divergence="raise"`` to the estimator: a
    diverging candidate then stops within its batch, is recorded with
    ``error_score`` (NaN by default) and the search goes on. A round whose
    fits all fail stops the search with scikit-learn's error.

    Parameters
    ----------
    estimator : estimator object
        Cloned for every candidate.
    param_distributions : dict
        Parameter name -> distribution (with ``rvs``) or list of choices.
    n_iter : int, default=30
        Candidates in all rounds together, at least ``n_rounds``.
    n_rounds : int, default=3
        Rounds of sampling; 1 is a plain random search.
    n_best : int, default=3
        How many of the best candidates so far each narrowing keeps around.
    shrink : float in (0, 1], default=0.5
        Width of a narrowed range in its scale, as a fraction of the previous one.
    scoring, n_jobs, refit, cv, verbose, pre_dispatch, error_score, return_train_score
        As in ``RandomizedSearchCV``. With several metrics, ``refit`` names
        the one the candidates are ranked by.
    random_state : int, RandomState instance or None, default=None
        Seeds the sampling of every round.

    Attributes
    ----------
    cv_results_ : dict of ndarray of shape (n_candidates,)
        scikit-learn's, plus ``round``: the round (0-based) of each candidate.
    best_estimator_, best_score_, best_params_, best_index_, scorer_, n_splits_,
    refit_time_, multimetric_
        As in ``RandomizedSearchCV``.
    param_distributions_ : list of dict of length n_rounds
        The search space of each round, the first being ``param_distributions``.
    n_candidates_ : list of int of length n_rounds
        Candidates evaluated in each round.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sknn.search import CoarseToFineSearchCV, LogUniform
    >>> X, y = load_iris(return_X_y=True)
    >>> search = CoarseToFineSearchCV(
    ...     SVC(), {"C": LogUniform(1e-3, 1e3), "gamma": LogUniform(1e-4, 1e1)},
    ...     n_iter=12, n_rounds=3, random_state=0,
    ... ).fit(X, y)
    >>> search.n_candidates_
    [4, 4, 4]
    >>> bool(search.best_score_ > 0.9)
    True
    """

    _parameter_constraints: dict = {
        **BaseSearchCV._parameter_constraints,
        "param_distributions": [dict],
        "n_iter": [Interval(Integral, 1, None, closed="left")],
        "n_rounds": [Interval(Integral, 1, None, closed="left")],
        "n_best": [Interval(Integral, 1, None, closed="left")],
        "shrink": [Interval(Real, 0, 1, closed="right")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator,
        param_distributions,
        *,
        n_iter=30,
        n_rounds=3,
        n_best=3,
        shrink=0.5,
        scoring=None,
        n_jobs=None,
        refit=True,
        cv=None,
        verbose=0,
        pre_dispatch="2*n_jobs",
        random_state=None,
        error_score=np.nan,
        return_train_score=False,
    ):
        self.param_distributions = param_distributions
        self.n_iter = n_iter
        self.n_rounds = n_rounds
        self.n_best = n_best
        self.shrink = shrink
        self.random_state = random_state
        super().__init__(
            estimator=estimator,
            scoring=scoring,
            n_jobs=n_jobs,
            refit=refit,
            cv=cv,
            verbose=verbose,
            pre_dispatch=pre_dispatch,
            error_score=error_score,
            return_train_score=return_train_score,
        )

    def _ranking_key(self, results):
        """The ``cv_results_`` key the candidates are ranked by."""
        if "mean_test_score" in results:
            return "mean_test_score"
        if isinstance(self.refit, str) and f"mean_test_{self.refit}" in results:
            return f"mean_test_{self.refit}"
        raise ValueError(
            "CoarseToFineSearchCV ranks the candidates by one metric: with several "
            f"metrics in scoring, refit must name one of them, got refit={self.refit!r}."
        )

    def _best_candidates(self, results, candidates):
        """The parameters of the ``n_best`` best finite-scoring candidates so far."""
        scores = np.asarray(results[self._ranking_key(results)], dtype=float)
        finite = np.flatnonzero(np.isfinite(scores))
        order = finite[np.argsort(-scores[finite], kind="stable")]
        return [candidates[i] for i in order[: self.n_best]]

    def _run_search(self, evaluate_candidates, *, callback_ctx=None):
        """Sample, evaluate and narrow for ``n_rounds`` rounds."""
        if self.n_iter < self.n_rounds:
            raise ValueError(
                f"n_iter={self.n_iter} must be at least n_rounds={self.n_rounds}: "
                "every round evaluates one candidate or more."
            )
        rng = check_random_state(self.random_state)
        budget = _split_budget(self.n_iter, self.n_rounds)
        space = dict(self.param_distributions)
        self.param_distributions_, self.n_candidates_ = [], []
        candidates = []
        search_ctx = None
        if callback_ctx is not None:  # scikit-learn >= 1.9: the callback API
            search_ctx = callback_ctx.subcontext(
                task_name="search", max_subtasks=self.n_rounds
            ).call_on_fit_task_begin(estimator=self)
        for round_index, n_candidates in enumerate(budget):
            if round_index > 0:
                best = self._best_candidates(results, candidates)
                if best:  # otherwise every fit failed so far: sample the same space
                    space = _narrow(space, best, self.shrink)
            round_candidates = list(
                ParameterSampler(space, n_candidates, random_state=rng)
            )
            self.param_distributions_.append(space)
            self.n_candidates_.append(len(round_candidates))
            round_ctx = None
            if search_ctx is not None:
                round_ctx = search_ctx.subcontext(
                    task_name="coarse-to-fine-round",
                    max_subtasks=len(round_candidates) * self.n_splits_,
                    sequential_subtasks=False,
                ).call_on_fit_task_begin(estimator=self)
            context = {} if round_ctx is None else {"callback_ctx": round_ctx}
            results = evaluate_candidates(
                round_candidates,
                more_results={"round": [round_index] * len(round_candidates)},
                **context,
            )
            candidates.extend(round_candidates)
            if round_ctx is not None:
                round_ctx.call_on_fit_task_end(estimator=self)
        if search_ctx is not None:
            search_ctx.call_on_fit_task_end(estimator=self)
