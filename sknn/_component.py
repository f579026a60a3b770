"""The base of every pluggable component: hyperparameters as constructor arguments.

Optimizers, schedules, activations, initializers, losses and averaging rules
are small objects whose constructor arguments are their hyperparameters, as
scikit-learn's Gaussian-process kernels are. They follow scikit-learn's
parameter protocol (``get_params`` / ``set_params`` through
``BaseEstimator``), so that an estimator parameter holding one, say
``solver=Adam(beta_2=0.99)``, shows ``solver__beta_2`` in
``get_params(deep=True)``, takes ``set_params(solver__beta_2=0.95)``, is
searched over by ``GridSearchCV`` and copied by ``clone``.

Each component declares the valid values of its hyperparameters in
``_parameter_constraints`` (scikit-learn's constraint language), checked by
``validate`` when an estimator starts to fit: ``Adam(beta_1=1.5)`` is refused
there with a message naming ``beta_1``.
"""

from sklearn.base import BaseEstimator, clone

from ._compat import validate_parameter_constraints


class Component(BaseEstimator):
    """Base class of sknn's components.

    Subclasses list their hyperparameters as keyword arguments of ``__init__``
    (stored unchanged under the same names), give their reference defaults
    there, and declare their constraints in ``_parameter_constraints``.
    ``name`` is the registered name (None for an unregistered class).
    """

    name = None
    _parameter_constraints: dict = {}

    def validate(self):
        """Check every hyperparameter against its constraints; return self.

        Raises
        ------
        sklearn.utils._param_validation.InvalidParameterError
            (a ``ValueError`` and ``TypeError``) naming the hyperparameter.
        """
        validate_parameter_constraints(
            self._parameter_constraints,
            self.get_params(deep=False),
            caller_name=type(self).__name__,
        )
        return self

    def copy(self):
        """An independent copy with the same hyperparameters (``clone``)."""
        return clone(self, safe=False)
