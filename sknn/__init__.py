"""sknn: scikit-learn-native neural networks on NumPy and SciPy.

``MLPClassifier`` and ``MLPRegressor`` are drop-in supersets of
``sklearn.neural_network``'s estimators of the same names.
"""

from ._estimators import MLPClassifier, MLPRegressor
from ._training import DivergenceError, DivergenceWarning

__version__ = "0.1.0"
__all__ = [
    "DivergenceError",
    "DivergenceWarning",
    "MLPClassifier",
    "MLPRegressor",
    "__version__",
]
