"""Smoke test of benchmarks/tabular.py (no timing assertions)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import tabular  # noqa: E402


def test_quick_run_prints_every_model_the_ensemble_and_fit_timings(tmp_path):
    out = tmp_path / "tabular.md"
    text = tabular.main(["--quick", "--skip-ablation", "--out", str(out)])
    assert out.read_text(encoding="utf-8") == text
    for model in tabular.MODELS:
        assert model in text
    assert "| iris | acc | 150 x 4 |" in text and "n_members=8" in text
    assert "shared weights (TabM)" in text and "| 64 x 64 |" in text
    assert "## Fit time" in text and "at 2 BLAS thread(s)" in text


def test_ablation_variants_are_parameters_of_the_tabular_estimators():
    from sknn import TabularMLPClassifier, TabularMLPRegressor

    names = set(TabularMLPClassifier().get_params()) | set(TabularMLPRegressor().get_params())
    for params in tabular.ABLATION.values():
        assert set(params) <= names
