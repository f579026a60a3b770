"""scikit-learn's estimator checks for the tabular estimators, in a few configurations."""

import pytest
from sklearn.utils.estimator_checks import check_param_validation, parametrize_with_checks

from sknn import TabularMLPClassifier, TabularMLPRegressor
from sknn.preprocessing import RobustSmoothClipTransformer

FAST = dict(max_iter=30, hidden_layer_sizes=(32, 32), random_state=0)

ESTIMATORS = [
    TabularMLPClassifier(**FAST),
    TabularMLPRegressor(**FAST),
    # partial_fit exists without revert-to-best; float64 as the input
    TabularMLPClassifier(early_stopping=False, dtype=None, **FAST),
    TabularMLPRegressor(early_stopping=False, preprocessing=None, **FAST),
    # batched ensembles of three members, independent and with shared weights (TabM)
    TabularMLPClassifier(n_members=3, **FAST),
    TabularMLPClassifier(n_members=3, member_weights="shared", early_stopping=False, **FAST),
    TabularMLPClassifier(n_members=3, member_bootstrap=True, **FAST),
    # float64 in these two: check_methods_subset_invariance compares predictions at
    # rtol 1e-7, finer than float32 resolves, and the last rounding of a float32
    # product may differ with the batch size (1 ulp); float32 is checked above
    TabularMLPRegressor(n_members=3, early_stopping=False, dtype=None, **FAST),
    TabularMLPRegressor(n_members=3, member_weights="shared", numeric_embedding="plr",
                        dtype=None, **FAST),
    RobustSmoothClipTransformer(),
]

DROPOUT_REASON = (
    "Dropout draws an independent mask for every row: a row repeated k times is "
    "thinned by k different masks, while a row of weight k gets one (by design)."
)
SPLIT_REASON = (
    "Revert-to-best holds out 20% of the rows: repeating a row changes which rows "
    "are held out, while an integer weight does not."
)

PATIENCE_REASON = (
    "The check trains with max_iter=1000 and n_iter_no_change=20 on 50 noisy rows: "
    "training stops after 32 of the 1000 epochs and revert-to-best keeps epoch 10, "
    "the first with validation accuracy 1, trained while the coslog rate rose to a "
    "third of its first peak; it predicts class 0 on 86% of the test rows where the "
    "check asks 87% (98% with schedule_interval='epoch', whose rate at the middle of "
    "each epoch is a little higher early on; three members pass)."
)


def expected_failures(estimator):
    if isinstance(estimator, RobustSmoothClipTransformer):
        return {}
    reason = SPLIT_REASON if estimator.early_stopping else DROPOUT_REASON
    failures = {
        "check_sample_weight_equivalence_on_dense_data": reason,
        "check_sample_weight_equivalence_on_sparse_data": reason,
    }
    if (isinstance(estimator, TabularMLPClassifier) and estimator.early_stopping
            and estimator.n_members == 1):
        failures["check_class_weight_classifiers"] = PATIENCE_REASON
    return failures


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failures, xfail_strict=True)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("Estimator", [TabularMLPClassifier, TabularMLPRegressor,
                                       RobustSmoothClipTransformer])
def test_param_validation(Estimator):
    check_param_validation(Estimator.__name__, Estimator(**({} if Estimator is
                                                            RobustSmoothClipTransformer
                                                            else {"max_iter": 5})))
