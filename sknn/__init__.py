"""sknn: scikit-learn-native neural networks on NumPy and SciPy.

``MLPClassifier`` and ``MLPRegressor`` are drop-in supersets of
``sklearn.neural_network``'s estimators of the same names. Their component
parameters take names or objects of ``sknn.activations``,
``sknn.initializers``, ``sknn.losses``, ``sknn.optimizers``,
``sknn.schedules`` and ``sknn.averaging``; ``sknn.register`` adds a
component under a new name. ``sknn.partial_fit_chunks`` trains out of core,
one ``partial_fit`` per chunk of an iterable or of a Dask array.
``TabularMLPClassifier`` and ``TabularMLPRegressor`` are the same estimators
with RealMLP-TD's defaults for tabular data (``sknn.tabular``), and
``sknn.preprocessing`` holds their input transformer.
"""

from ._estimators import MLPClassifier, MLPRegressor
from ._registry import register
from .training import DivergenceError, DivergenceWarning
from .tabular import TabularMLPClassifier, TabularMLPRegressor
# the public modules sknn.ensemble, sknn.persistence, ...
from . import ensemble, out_of_core, persistence, preprocessing, search
from .out_of_core import partial_fit_chunks

__version__ = "0.1.0"

# Report the public path (``sknn.MLPClassifier``, not ``sknn._estimators...``):
# reprs, documentation tools, pickles and skops' trusted types name public
# objects. Pickles find the classes here, where they are imported.
for _cls in (MLPClassifier, MLPRegressor, TabularMLPClassifier, TabularMLPRegressor,
             DivergenceError, DivergenceWarning):
    _cls.__module__ = __name__
del _cls
__all__ = [
    "DivergenceError",
    "DivergenceWarning",
    "MLPClassifier",
    "MLPRegressor",
    "TabularMLPClassifier",
    "TabularMLPRegressor",
    "__version__",
    "ensemble",
    "out_of_core",
    "partial_fit_chunks",
    "persistence",
    "preprocessing",
    "register",
    "search",
]
