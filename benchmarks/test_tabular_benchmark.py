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
    assert "3 folds x 2 seeds" in text and " ± " in text  # means over seeds, with errors
    assert "sknn Tabular against sklearn MLP: wins on" in text


def test_standard_error_and_the_mean_row_of_known_cells():
    assert tabular.standard_error([1.0, 2.0, 3.0]) == 1 / 3 ** 0.5  # std 1 over sqrt(3)
    assert str(tabular.standard_error([0.5])) == "nan"
    rows = [("a", "regression", "1 x 1", [0.5, 0.2, 0.3, 0.1], [0.03, 0.0, 0.04, 0.0],
             [1.0] * 4),
            ("b", "regression", "1 x 1", [0.7, 0.2, 0.6, 0.1], [0.04, 0.0, 0.03, 0.0],
             [1.0] * 4)]
    table = tabular.comparison_table(rows, seeds=3)
    assert "| **mean** | | | **0.600 ± 0.025** |" in table  # sqrt(.03^2 + .04^2) / 2
    assert "wins on 0 of 2; loses on a (-0.200 ± 0.050), b (-0.100 ± 0.050)." in table


def test_ablation_variants_are_parameters_of_the_tabular_estimators():
    from sknn import TabularMLPClassifier, TabularMLPRegressor

    names = set(TabularMLPClassifier().get_params()) | set(TabularMLPRegressor().get_params())
    for params in tabular.ABLATION.values():
        assert set(params) <= names


def test_variant_comparison_prints_a_paired_row_per_set():
    import tabular_variant

    text = tabular_variant.main(["--a", '{"max_iter": 2}', "--b", '{"max_iter": 3}',
                                 "--sets", "iris", "--seeds", "2"])
    lines = text.splitlines()
    assert lines[0] == "| data set | a | b | a - b | fit s (a / b) |"
    cells = [cell.strip() for cell in lines[2].strip("|").split("|")]
    assert cells[0] == "iris" and len(cells) == 5
    a, b, difference = (float(cell.split(" ± ")[0]) for cell in cells[1:4])
    assert abs(difference - (a - b)) < 1e-3  # the paired mean difference, rounded cells


def test_bagging_over_validation_splits_prints_a_row_per_set():
    import tabular_bagging

    text = tabular_bagging.main(["--quick", "--sets", "iris", "diabetes", "--members", "2",
                                 "--seeds", "2"])
    lines = text.splitlines()
    assert lines[0].startswith("| data set | 2 members, own validation splits, separate fits |")
    assert lines[2].startswith("| iris | 0.") and lines[3].startswith("| diabetes | ")
    assert " ± " in lines[2]
    members = tabular_bagging.bagged("classification", 3, seed=1).estimators
    assert [est.random_state for _, est in members] == [100, 101, 102]


def test_batched_bagging_is_one_estimator_with_its_own_splits():
    import tabular_bagging

    text = tabular_bagging.main(["--quick", "--batched", "--sets", "iris", "--members", "2",
                                 "--seeds", "1"])
    assert text.splitlines()[0].startswith("| data set | 2 members, own validation splits, "
                                           "in one batched pass |")
    assert text.splitlines()[2].startswith("| iris | 0.")
    est = tabular_bagging.batched("regression", 3, seed=2)
    assert (est.n_members, est.member_validation, est.random_state) == (3, "own", 200)
    text = tabular_bagging.main(["--quick", "--batched", "--folds", "--sets", "iris",
                                 "--members", "3", "--seeds", "1"])
    assert "k-fold splits, in one batched pass" in text.splitlines()[0]
    assert tabular_bagging.batched("classification", 3, 0, how="folds").member_validation == "folds"


def test_member_fit_timing_names_every_member_count():
    import tabular_bagging

    line = tabular_bagging.main(["--fit-timing", "--quick"])
    assert line.startswith("Default `TabularMLPClassifier` fits on make_classification 800 x 50")
    for m in (1, 2, 3, 5):
        assert f"{m} member(s) " in line


def test_sets_limits_the_run_to_the_named_data_sets(tmp_path):
    text = tabular.main(["--quick", "--skip-ablation", "--skip-timing", "--sets", "wine"])
    assert "| wine | acc |" in text and "| iris |" not in text
    assert "## Fit time" not in text and "n_members=8" not in text


def test_ablation_sets_limits_the_ablation_to_known_development_sets(monkeypatch, capsys):
    import pytest

    monkeypatch.setattr(tabular, "ABLATION", {"RealMLP-TD defaults": {}})
    text = tabular.main(["--quick", "--skip-timing", "--skip-comparison", "--ablation-sets", "wine"])
    assert "## Development" not in text
    ablation = text.split("## Ablation")[1]
    assert "| variant | wine | mean |" in ablation and "iris" not in ablation
    with pytest.raises(SystemExit):
        tabular.main(["--quick", "--ablation-sets", "Boston (MASS)"])
    assert "unknown development data sets" in capsys.readouterr().err


def test_auto_timing_reports_the_members_each_default_fit_chose():
    import tabular_bagging

    text = tabular_bagging.auto_fit_timing(sizes=(300, 3300), quick=True)
    assert "| 300 | 5 |" in text and "| 3300 | 1 |" in text


def test_bagged_members_are_single_networks():
    import tabular_bagging

    vote = tabular_bagging.bagged("classification", 2, 0)
    assert [est.n_members for _, est in vote.estimators] == [1, 1]
