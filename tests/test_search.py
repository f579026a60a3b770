"""sknn.search: the sampling distributions and CoarseToFineSearchCV."""

import math
import warnings

import numpy as np
import pytest
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning, FitFailedWarning
from sklearn.model_selection import RandomizedSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknn import MLPClassifier
from sknn.optimizers import SGD, Adam
from sknn.search import (
    CoarseToFineSearchCV,
    IntLogUniform,
    LogUniform,
    LogUniformBeta,
    Uniform,
)

SEEDS = st.integers(0, 2**31 - 1)
N_DRAWS = 2000
# Kolmogorov-Smirnov bound for N_DRAWS uniform draws: exceeded with probability < 1e-8
KS_BOUND = math.sqrt(-math.log(1e-8 / 2) / (2 * N_DRAWS))


@st.composite
def exponent_ranges(draw, lo=-8.0, hi=2.0):
    """(a, b), a < b, exponents of 10 at least 0.5 apart."""
    a = draw(st.floats(lo, hi - 0.5))
    return a, draw(st.floats(min(a + 0.5, hi), hi))


def assert_uniform(u, low, high):
    """The scale coordinates ``u`` look uniform on [low, high] (KS distance)."""
    assert np.all((u >= low - 1e-9) & (u <= high + 1e-9))
    statistic = scipy.stats.kstest(u, scipy.stats.uniform(low, high - low).cdf).statistic
    assert statistic < KS_BOUND


# ------------------------------------------------------------ distributions
@given(exponent_ranges(), SEEDS)
def test_log_uniform_is_uniform_in_log10(bounds, seed):
    a, b = bounds
    dist = LogUniform(10.0**a, 10.0**b)
    values = dist.rvs(size=N_DRAWS, random_state=seed)
    assert values.shape == (N_DRAWS,)
    assert np.all((values >= dist.low) & (values <= dist.high))
    assert_uniform(np.log10(values), a, b)


@given(exponent_ranges(-4.0, -0.1), SEEDS)
def test_log_uniform_beta_has_one_minus_beta_uniform_in_log10(bounds, seed):
    a, b = bounds
    dist = LogUniformBeta(1 - 10.0**b, 1 - 10.0**a)
    values = dist.rvs(size=N_DRAWS, random_state=seed)
    assert np.all((values >= dist.low) & (values <= dist.high)) and np.all(values < 1)
    assert_uniform(np.log10(1 - values), a, b)


@given(st.integers(1, 200), st.integers(2, 2000), SEEDS)
def test_int_log_uniform_gives_integers_in_range_with_log_scale_frequencies(low, span, seed):
    high = low + span
    dist = IntLogUniform(low, high)
    values = dist.rvs(size=N_DRAWS, random_state=seed)
    assert values.dtype.kind == "i"
    assert values.min() >= low and values.max() <= high
    # each k is drawn with the probability of [k, k + 1) under the log law:
    # the empirical CDF at k matches log(k + 1 / low) / log(high + 1 / low)
    ks = np.unique(values)
    empirical = np.searchsorted(np.sort(values), ks, side="right") / N_DRAWS
    expected = np.log((ks + 1) / low) / np.log((high + 1) / low)
    assert np.max(np.abs(empirical - expected)) < KS_BOUND


@given(st.floats(-5, 5), st.floats(0.01, 5), SEEDS)
def test_uniform_is_uniform(low, width, seed):
    values = Uniform(low, low + width).rvs(size=N_DRAWS, random_state=seed)
    assert_uniform(values, low, low + width)


@pytest.mark.parametrize("dist", [
    LogUniform(1e-4, 1e-1), LogUniformBeta(0.9, 0.999), IntLogUniform(8, 512), Uniform(0, 0.5),
])
@pytest.mark.parametrize("random_state", [
    0, np.random.RandomState(0), np.random.default_rng(0), None,
])
def test_rvs_follows_scipys_protocol(dist, random_state):
    one = dist.rvs(random_state=random_state)
    assert np.ndim(one) == 0 and isinstance(one, (int, float))
    assert dist.low <= one <= dist.high
    assert dist.rvs(size=(2, 3), random_state=random_state).shape == (2, 3)


def test_log_uniform_draws_what_scipys_loguniform_draws():
    ours = LogUniform(1e-4, 1e-1).rvs(size=50, random_state=3)
    scipys = scipy.stats.loguniform(1e-4, 1e-1).rvs(size=50, random_state=3)
    np.testing.assert_allclose(ours, scipys, rtol=1e-12)


def test_log_uniform_beta_is_one_minus_scipys_loguniform():
    ours = LogUniformBeta(0.9, 0.999).rvs(size=50, random_state=3)
    scipys = 1 - scipy.stats.loguniform(1 - 0.999, 1 - 0.9).rvs(size=50, random_state=3)
    np.testing.assert_allclose(ours, scipys, rtol=1e-12)


def test_reprs_are_readable():
    assert repr(LogUniform(1e-5, 0.1)) == "LogUniform(low=1e-05, high=0.1)"
    assert repr(LogUniformBeta(0.9, 0.999)) == "LogUniformBeta(low=0.9, high=0.999)"
    assert repr(IntLogUniform(8, 512)) == "IntLogUniform(low=8, high=512)"
    assert repr(Uniform(0, 0.5)) == "Uniform(low=0.0, high=0.5)"


@pytest.mark.parametrize("make, match", [
    (lambda: LogUniform(0, 1), "low must be > 0"),
    (lambda: LogUniform(1, 0.1), "low must be <= high"),
    (lambda: LogUniform("a", 1), "low must be a finite real"),
    (lambda: LogUniform(1e-3, np.inf), "high must be a finite real"),
    (lambda: LogUniformBeta(0.9, 1.0), "in \\[0, 1\\)"),
    (lambda: IntLogUniform(0, 10), "low must be an integer >= 1"),
    (lambda: IntLogUniform(4, 2.5), "high must be an integer"),
    (lambda: Uniform(1, 0), "low must be <= high"),
])
def test_bad_bounds_are_refused_naming_the_parameter(make, match):
    with pytest.raises(ValueError, match=match):
        make()


# ---------------------------------------------------------------- narrowing
@st.composite
def distributions_and_values(draw):
    kind = draw(st.sampled_from(["log", "beta", "int", "linear"]))
    if kind == "int":
        low = draw(st.integers(1, 100))
        dist = IntLogUniform(low, low + draw(st.integers(0, 5000)))
    else:
        a, b = draw(exponent_ranges(-6.0, -0.1))
        dist = {"log": LogUniform(10**a, 10**b), "beta": LogUniformBeta(1 - 10**b, 1 - 10**a),
                "linear": Uniform(a, b)}[kind]
    seeds = draw(st.lists(SEEDS, min_size=1, max_size=4))
    values = [dist.rvs(random_state=seed) for seed in seeds]
    return dist, values


@given(distributions_and_values(), st.floats(0.05, 1.0))
def test_narrowing_shrinks_in_the_scale_and_keeps_the_best_values(dist_values, factor):
    dist, values = dist_values
    narrow = dist.narrowed(values, factor)
    assert type(narrow) is type(dist)
    assert dist.low <= narrow.low <= min(values) and max(values) <= narrow.high <= dist.high
    width = np.diff(dist.scale_bounds())[0]
    if isinstance(dist, IntLogUniform):  # k stands for [k, k + 1), rounded outwards
        span = np.log10(max(values) + 1) - np.log10(min(values))
        slack = 2 * np.log10(1 + 1 / narrow.low)
    else:
        span, slack = np.ptp(dist.to_scale(values)), 0.0
    assert np.diff(narrow.scale_bounds())[0] <= max(factor * width, span) + slack + 1e-9


def test_log_ranges_narrow_in_log_space():
    narrow = LogUniform(1e-6, 1.0).narrowed([1e-3], 0.5)
    assert narrow.low == pytest.approx(10**-4.5) and narrow.high == pytest.approx(10**-1.5)
    # at the edge the range moves inside rather than sticking out
    edge = LogUniform(1e-6, 1.0).narrowed([0.5], 0.5)
    assert edge.high == 1.0 and edge.low == pytest.approx(10**-3)
    beta = LogUniformBeta(0.0, 0.9999).narrowed([0.99], 0.5)  # 1 - beta in [1e-4, 1]: 1e-2
    assert beta.low == pytest.approx(1 - 10**-1) and beta.high == pytest.approx(1 - 10**-3)
    # 100 stands for [100, 101): centre sqrt(100 * 101), two decades wide, 10.05 to 1005
    width = IntLogUniform(1, 9999).narrowed([100], 0.5)
    assert (width.low, width.high) == (10, 1004)


# ------------------------------------------------------------------- search
class Bowl(RegressorMixin, BaseEstimator):
    """A cheap estimator whose score is a narrow bowl in its parameters' scales.

    The best score, 0, is at rate 10**-3.3, 1 - beta = 10**-2.2, width 50
    and kind "b" or an Adam object (the other kinds cost 1); ``fit`` does nothing.
    """

    def __init__(self, rate=1.0, beta=0.5, width=10, kind="a"):
        self.rate, self.beta, self.width, self.kind = rate, beta, width, kind

    def fit(self, X, y):
        self.fitted_ = True
        return self

    def predict(self, X):
        return np.zeros(len(X))

    def score(self, X, y):
        distance = ((np.log10(self.rate) + 3.3) ** 2 + (np.log10(1 - self.beta) + 2.2) ** 2
                    + (np.log10(self.width) - np.log10(50)) ** 2)
        kind = self.kind if isinstance(self.kind, str) else self.kind.name  # a component's
        return -distance - (kind not in ("b", "adam"))


BOWL_SPACE = {
    "rate": LogUniform(1e-6, 1.0),
    "beta": LogUniformBeta(0.0, 0.9999),
    "width": IntLogUniform(1, 1000),
    "kind": ["a", "b", "c", "d"],
}
NOTHING = np.zeros((4, 1)), np.zeros(4)


def test_coarse_to_fine_beats_random_search_at_the_same_budget():
    coarse, random = [], []
    for seed in range(10):
        common = dict(n_iter=30, cv=2, random_state=seed)
        coarse.append(CoarseToFineSearchCV(Bowl(), BOWL_SPACE, n_rounds=3, **common)
                      .fit(*NOTHING).best_score_)
        random.append(RandomizedSearchCV(Bowl(), BOWL_SPACE, **common).fit(*NOTHING).best_score_)
    coarse, random = np.array(coarse), np.array(random)
    # measured: mean best score -0.63 against -1.31; better or equal on 9 seeds of 10
    assert coarse.mean() > random.mean() + 0.3
    assert np.sum(coarse >= random) >= 7


def test_rounds_split_the_budget_and_narrow_the_space():
    search = CoarseToFineSearchCV(Bowl(), BOWL_SPACE, n_iter=11, n_rounds=3, n_best=1,
                                  cv=2, random_state=0).fit(*NOTHING)
    assert search.n_candidates_ == [4, 4, 3]
    assert list(search.cv_results_["round"]) == [0] * 4 + [1] * 4 + [2] * 3
    assert len(search.cv_results_["params"]) == 11
    first, second, third = search.param_distributions_
    assert first == BOWL_SPACE
    assert len(second["kind"]) == 1 and second["kind"][0] in BOWL_SPACE["kind"]
    for name in ("rate", "beta", "width"):
        widths = [np.diff(space[name].scale_bounds())[0] for space in (first, second, third)]
        assert widths[1] <= 0.5 * widths[0] + 0.01 and widths[2] <= 0.5 * widths[1] + 0.01
    # round 2 samples inside round 1's best candidate's narrowed range
    best_first = int(np.argmax(search.cv_results_["mean_test_score"][:4]))
    rate = search.cv_results_["params"][best_first]["rate"]
    assert second["rate"].low <= rate <= second["rate"].high
    for params in search.cv_results_["params"][4:8]:
        assert second["rate"].low <= params["rate"] <= second["rate"].high
    assert search.best_score_ == np.max(search.cv_results_["mean_test_score"])


def test_lists_of_component_objects_narrow_to_the_best_objects():
    good, bad = Adam(beta_2=0.99), SGD(momentum=0.5)
    space = {"rate": LogUniform(1e-6, 1.0), "kind": [bad, good, SGD()]}
    search = CoarseToFineSearchCV(Bowl(), space, n_iter=9, n_rounds=3, n_best=1, cv=2,
                                  random_state=0).fit(*NOTHING)
    assert search.param_distributions_[-1]["kind"] == [good]
    assert search.param_distributions_[-1]["kind"][0] is good
    assert search.best_params_["kind"].get_params() == good.get_params()


def test_scipy_distributions_are_sampled_unchanged():
    space = {"rate": scipy.stats.loguniform(1e-6, 1.0), "width": IntLogUniform(1, 1000)}
    search = CoarseToFineSearchCV(Bowl(), space, n_iter=9, n_rounds=3, cv=2,
                                  random_state=0).fit(*NOTHING)
    rates = [space["rate"] for space in search.param_distributions_]
    assert all(rate is space["rate"] for rate in rates)
    assert search.param_distributions_[-1]["width"] != space["width"]


def test_one_round_is_randomized_search():
    common = dict(n_iter=8, cv=2, random_state=0)
    ours = CoarseToFineSearchCV(Bowl(), BOWL_SPACE, n_rounds=1, **common).fit(*NOTHING)
    theirs = RandomizedSearchCV(Bowl(), BOWL_SPACE, **common).fit(*NOTHING)
    assert ours.cv_results_["params"] == theirs.cv_results_["params"]


def test_n_iter_below_n_rounds_is_refused_naming_both():
    with pytest.raises(ValueError, match="n_iter=2 must be at least n_rounds=3"):
        CoarseToFineSearchCV(Bowl(), BOWL_SPACE, n_iter=2, n_rounds=3, cv=2).fit(*NOTHING)


def test_invalid_parameters_are_refused_by_name():
    with pytest.raises(ValueError, match="'shrink' parameter"):
        CoarseToFineSearchCV(Bowl(), BOWL_SPACE, shrink=0.0, cv=2).fit(*NOTHING)
    with pytest.raises(ValueError, match="'n_rounds' parameter"):
        CoarseToFineSearchCV(Bowl(), BOWL_SPACE, n_rounds=0, cv=2).fit(*NOTHING)


def test_multimetric_scoring_ranks_by_the_refit_metric():
    def scores(est, X, y):
        return {"bowl": est.score(X, y), "flat": 0.0}

    search = CoarseToFineSearchCV(Bowl(), BOWL_SPACE, n_iter=6, n_rounds=2, cv=2,
                                  scoring=scores, refit="bowl", random_state=0).fit(*NOTHING)
    assert search.best_score_ == np.max(search.cv_results_["mean_test_bowl"])
    with pytest.raises(ValueError, match="refit must name one of them"):
        CoarseToFineSearchCV(Bowl(), BOWL_SPACE, n_iter=6, n_rounds=2, cv=2,
                             scoring=scores, refit=False).fit(*NOTHING)


# -------------------------------------------------------- with sknn's networks
@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X[:500], y[:500]


def test_searches_an_sknn_pipeline_with_nested_component_parameters(digits):
    pipe = make_pipeline(StandardScaler(), MLPClassifier((16,), solver=Adam(), max_iter=8,
                                                         random_state=0))
    space = {
        "mlpclassifier__solver__learning_rate_init": LogUniform(1e-4, 1e-1),
        "mlpclassifier__solver__beta_1": LogUniformBeta(0.5, 0.99),
        "mlpclassifier__alpha": LogUniform(1e-6, 1e-1),
        "mlpclassifier__hidden_layer_sizes": IntLogUniform(4, 64),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search = CoarseToFineSearchCV(pipe, space, n_iter=6, n_rounds=2, cv=2, n_jobs=2,
                                      random_state=0).fit(*digits)
    assert search.n_candidates_ == [3, 3]
    assert search.best_score_ > 0.8  # ten classes: chance is 0.1
    best = search.best_estimator_[-1]
    assert best.solver.beta_1 == search.best_params_["mlpclassifier__solver__beta_1"]
    assert isinstance(best.hidden_layer_sizes, int)
    assert search.score(*digits) > 0.8


def scikit_learns_searches():
    """Each of scikit-learn's searches over a Pipeline's network, nested parameters included."""
    from sklearn.experimental import enable_halving_search_cv  # noqa: F401
    from sklearn.model_selection import GridSearchCV, HalvingGridSearchCV, HalvingRandomSearchCV

    grid = {"mlpclassifier__learning_rate__lr_min": [1e-6, 1e-3],
            "mlpclassifier__alpha": [1e-4, 1e-2]}
    space = {"mlpclassifier__learning_rate_init": LogUniform(1e-3, 1e-1),
             "mlpclassifier__beta_1": LogUniformBeta(0.5, 0.99),
             "mlpclassifier__hidden_layer_sizes": IntLogUniform(4, 32)}
    common = dict(cv=2, n_jobs=2)
    return {
        "grid": lambda pipe: GridSearchCV(pipe, grid, **common),
        "random": lambda pipe: RandomizedSearchCV(pipe, space, n_iter=4, random_state=0,
                                                  **common),
        "halving grid, n_samples": lambda pipe: HalvingGridSearchCV(
            pipe, grid, factor=2, random_state=0, **common),
        "halving random, max_iter": lambda pipe: HalvingRandomSearchCV(
            pipe, space, resource="mlpclassifier__max_iter", min_resources=2, max_resources=8,
            factor=2, n_candidates=4, random_state=0, **common),
    }


@pytest.mark.parametrize("name", list(scikit_learns_searches()))
def test_scikit_learns_searches_over_an_sknn_pipeline(name, digits):
    from sknn.schedules import Cosine

    pipe = make_pipeline(StandardScaler(), MLPClassifier(
        (16,), learning_rate=Cosine(), learning_rate_init=0.01, batch_size=50, max_iter=8,
        random_state=0))
    search = scikit_learns_searches()[name](pipe)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(*digits)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.best_score_ > 0.5  # ten classes: chance is 0.1
    if "n_resources" in search.cv_results_:  # the halving searches grew their resource
        assert len(set(search.cv_results_["n_resources"])) >= 2
    best = search.best_estimator_[-1]
    for key, value in search.best_params_.items():
        assert best.get_params()[key.removeprefix("mlpclassifier__")] == value


def test_every_parameter_and_nested_component_parameter_is_searchable(digits):
    from sklearn.model_selection import GridSearchCV

    from sknn.schedules import Cosine

    est = MLPClassifier((8,), learning_rate=Cosine(lr_min=1e-5), activation="tanh", max_iter=2,
                        random_state=0)
    params = est.get_params(deep=True)
    assert "learning_rate__lr_min" in params and len(params) > 40
    # one candidate setting every parameter (each to its own value) through the search
    search = GridSearchCV(est, {key: [value] for key, value in params.items()}, cv=2,
                          error_score="raise")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(*digits)
    assert search.best_estimator_.get_params(deep=True).keys() == params.keys()
    assert np.isfinite(search.best_score_)


@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite")
def test_diverging_candidates_are_recorded_as_failed_and_the_search_completes(digits):
    X, y = StandardScaler().fit_transform(digits[0]), digits[1]
    est = MLPClassifier((16,), solver="sgd", max_iter=5, on_divergence="raise", random_state=0)
    space = {"learning_rate_init": LogUniform(1e-3, 1e3), "momentum": [0.0, 0.9]}
    # seed 1 draws rates from 0.03 to 390 in round 1: some train, some diverge (a round
    # whose fits all fail stops any scikit-learn search)
    search = CoarseToFineSearchCV(est, space, n_iter=8, n_rounds=2, cv=2, random_state=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        with pytest.warns(FitFailedWarning, match="DivergenceError"):
            search.fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    rates = np.array([p["learning_rate_init"] for p in search.cv_results_["params"]])
    assert np.isnan(scores).any() and np.isfinite(scores).any()
    assert np.all(rates[np.isnan(scores)] > 0.1)  # the huge rates failed
    assert search.best_params_["learning_rate_init"] < 1.0
    # round 2 narrowed around the finite candidates only
    assert search.param_distributions_[1]["learning_rate_init"].high < 1e3
    assert search.best_score_ > 0.7


@pytest.mark.filterwarnings("ignore:The estimator Bowl does not support callbacks")
def test_set_callbacks_sees_every_round_and_candidate():
    pytest.importorskip("sklearn.callback", reason="scikit-learn < 1.9 has no callback API")

    from tests.test_callbacks import TaskRecorder  # after the skip: it needs the API

    tasks = TaskRecorder()
    search = CoarseToFineSearchCV(Bowl(), BOWL_SPACE, n_iter=5, n_rounds=2, cv=2, random_state=0)
    search.set_callbacks(tasks).fit(*NOTHING)
    names = [task for _, task, _ in tasks.ended]
    assert names.count("coarse-to-fine-round") == 2
    assert names.count("candidate-split-evaluation") == 5 * 2
    assert names.count("search") == 1


def test_the_search_budgets_example_runs_every_search():
    from tests.test_ensemble import load_example

    example = load_example("search_budgets")
    rows = example.run(seeds=(0,), n_iter=4, max_iter=2, n_train=300)
    by_name = {row["search"]: row for row in rows}
    assert by_name["grid (2 parameters)"]["n_rates"] == 2  # a 2 x 2 grid
    assert by_name["random (2 parameters)"]["n_rates"] == 4
    assert by_name["coarse-to-fine (3 parameters)"]["n_candidates"] == 8
    assert "coarse-to-fine" in example.report(rows)
