"""Test configuration: hypothesis profiles and one BLAS thread per process."""

import os

from hypothesis import HealthCheck, settings
from threadpoolctl import threadpool_limits

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

# Small matrices: threading only adds contention on a shared 2-core machine.
# threadpoolctl only limits libraries already loaded: import NumPy (and with it
# OpenBLAS) first, or the limit silently does nothing.
import numpy  # noqa: E402,F401

threadpool_limits(1)
