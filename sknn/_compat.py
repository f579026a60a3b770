"""The single import point for scikit-learn's private helpers.

scikit-learn marks these as private ("subject to change without deprecation",
scikit-learn issue #28963); importing them here keeps a future change to one file.
"""

from sklearn.base import _fit_context

try:  # scikit-learn >= 1.9
    from sklearn.callback import CallbackSupportMixin
except ImportError:  # older versions: no callback API, nothing to support

    class CallbackSupportMixin:
        """Stand-in for scikit-learn's callback support where it does not exist."""

from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    InvalidParameterError,
    Options,
    StrOptions,
    validate_parameter_constraints,
)

__all__ = [
    "CallbackSupportMixin",
    "HasMethods",
    "Interval",
    "InvalidParameterError",
    "Options",
    "StrOptions",
    "_fit_context",
    "validate_parameter_constraints",
]
