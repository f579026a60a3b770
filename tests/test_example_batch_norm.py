"""Smoke test of examples/batch_norm_learning_rates.py on a tiny grid."""

import importlib.util
from pathlib import Path

import numpy as np

PATH = Path(__file__).resolve().parents[1] / "examples" / "batch_norm_learning_rates.py"


def load_example():
    spec = importlib.util.spec_from_file_location("batch_norm_learning_rates", PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_example_measures_and_reports():
    example = load_example()
    rows = example.run(learning_rates=(0.1, 1.0), weight_inits=("auto",), seeds=(0,),
                       hidden_layer_sizes=(30, 30), max_iter=3)
    assert [(r["learning_rate"], r["batch_norm"]) for r in rows] == [
        (0.1, False), (0.1, True), (1.0, False), (1.0, True)]
    assert all(r["diverged"] == 0 and np.isfinite(r["losses"]).all() for r in rows)
    assert all(0 <= r["accuracies"][0] <= 1 for r in rows)
    text = example.report(rows, seeds=(0,))
    assert "without batch norm" in text and "stable with batch norm" in text


def test_example_counts_a_diverged_fit():
    example = load_example()
    data = example.load_split()
    params = dict(hidden_layer_sizes=(100, 100, 100), solver="sgd", momentum=0.9,
                  batch_size=128, max_iter=15, random_state=0)
    assert example.fit_once(data, learning_rate_init=3.0, **params) is None
    accuracy, loss = example.fit_once(data, learning_rate_init=0.1, max_iter=2,
                                      **{k: v for k, v in params.items() if k != "max_iter"})
    assert accuracy > 0.8 and np.isfinite(loss)
