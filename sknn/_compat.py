"""The single import point for scikit-learn's private helpers.

scikit-learn marks these as private ("subject to change without deprecation",
scikit-learn issue #28963); importing them here keeps a future change to one file.
"""

from sklearn.base import _fit_context
from sklearn.utils._param_validation import (
    Interval,
    InvalidParameterError,
    Options,
    StrOptions,
    validate_parameter_constraints,
)

__all__ = [
    "Interval",
    "InvalidParameterError",
    "Options",
    "StrOptions",
    "_fit_context",
    "validate_parameter_constraints",
]
