"""Test configuration: hypothesis profiles and one BLAS thread per process."""

import os

# Before scipy and scikit-learn load: scikit-learn's array-API estimator check
# runs only with scipy's array-API support switched on (it is skipped otherwise).
os.environ["SCIPY_ARRAY_API"] = "1"

# Before any BLAS library loads: one thread in this process and its children.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

# threadpoolctl limits only the libraries already loaded: load NumPy's BLAS,
# scipy's own OpenBLAS (L-BFGS-B) and scikit-learn's OpenMP runtime first.
import numpy  # noqa: E402, F401
import scipy.linalg  # noqa: E402, F401
import scipy.optimize  # noqa: E402, F401
import sklearn.utils.estimator_checks  # noqa: E402, F401
import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    max_examples=30,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=10)
settings.register_profile("nightly", deadline=None, max_examples=500)
settings.load_profile(
    os.environ.get("SKNN_HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
)

# Small matrices: BLAS threads only add contention on a shared 2-core machine
# (a 0.5 s fit took 3-8 s with two threads beside other busy processes).
threadpool_limits(1)


@pytest.fixture(scope="session")
def digits_split():
    """Standardized digits, split 70/30 (stratified): X_train, X_test, y_train, y_test."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    return train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
