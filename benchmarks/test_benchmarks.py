"""Smoke tests of the benchmark scripts: they run and report what they claim.

Run with ``PYTHONPATH=. python -m pytest benchmarks/`` (not part of the default
``tests/`` suite). No assertion here is about time: only about the structure
of the output and the equal-settings contract (same number of epochs).
"""

import cProfile
import json
import os
import pstats
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cases  # noqa: E402
import profile_fit  # noqa: E402
import run  # noqa: E402


def test_list_names_every_case(capsys):
    assert run.main(["--list"]) == 0
    out = capsys.readouterr().out
    for case in cases.CASES:
        assert case.name in out


def test_quick_cases_exist():
    names = {c.name for c in cases.CASES}
    assert set(cases.QUICK_CASES) <= names
    assert len(names) == len(cases.CASES)


@pytest.mark.parametrize("name", ["digits-adam-f64", "digits-lbfgs-f64"])
def test_run_one_case(tmp_path, capsys, name):
    path = tmp_path / "out.json"
    argv = [name, "--quick", "--repeats", "1", "--libs", "sknn,sklearn", "--json", str(path)]
    assert run.main(argv) == 0
    out = capsys.readouterr().out
    assert "sknn/sklearn" in out and name in out
    payload = json.loads(path.read_text())
    (result,) = payload["results"]
    samples = result["samples"]
    assert set(samples) == {"sknn", "sklearn"}
    case = cases.case_by_name(name)
    if case.solver != "lbfgs":  # stochastic solvers run exactly the requested epochs
        assert samples["sknn"]["n_iter"] == samples["sklearn"]["n_iter"] == [case.quick_iters]
    for lib in samples:
        assert len(samples[lib]["fit"]) == 1
        assert result["memory"][lib]["fit_peak"] > 0
    assert payload["environment"]["threads"] == 1


def test_equal_settings_start_from_the_same_weights():
    """weight_init='sklearn' reproduces scikit-learn's initial draws: the first epoch's
    loss is the same in both libraries, which is what makes the comparison fair."""
    case = cases.case_by_name("digits-adam-f64")
    X, y = cases.load(case, quick=True)
    curves = {}
    for lib in ("sknn", "sklearn"):
        est = cases.make_estimator(lib, case, 1)
        cases.quiet(lambda: est.fit(X, y))
        curves[lib] = est.loss_curve_[0]
    assert curves["sknn"] == pytest.approx(curves["sklearn"], rel=1e-6)


def test_profile_categories_add_up():
    case = cases.case_by_name("digits-adam-f64")
    X, y = cases.load(case, quick=True)
    est = cases.make_estimator("sknn", case, 2)
    profiler = cProfile.Profile()
    profiler.enable()
    cases.quiet(lambda: est.fit(X, y))
    profiler.disable()
    stats = pstats.Stats(profiler)
    totals = profile_fit.summarize(stats)
    assert set(totals) <= set(profile_fit.CATEGORIES)
    assert sum(totals.values()) == pytest.approx(stats.total_tt, rel=1e-6)
    assert totals[profile_fit.MATMUL] > 0


def test_workload_table_has_every_row_of_the_issue(capsys):
    import workload

    rows = workload.main(["--quick", "--rounds", "1"])
    measures = [row[0] for row in rows]
    for expected in ("f32 epoch", "f64 epoch", "f32 GEMM fraction", "batch norm + dropout",
                     "1-row predict_proba latency", "peak traced memory", "per 10k rows",
                     "200 x 20 fit"):
        assert any(expected in m for m in measures), expected
    assert all(len(row) == len(workload.HEADERS) for row in rows)
    assert "sknn/sklearn" in capsys.readouterr().out


def test_profile_epoch_prints_the_epoch_and_the_profile(capsys):
    import profile_epoch

    profile_epoch.main(["--rows", "600", "--top", "3"])
    out = capsys.readouterr().out
    assert out.startswith("epoch seconds:") and "tottime" in out


def test_compare_trees_times_both_trees_in_one_process(capsys):
    import compare_trees

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    compare_trees.main([root, root, "tabular_fit", "--epochs", "1", "--rounds", "1",
                        "--rows", "300"])
    out = capsys.readouterr().out
    assert "sknn_before: median" in out and "sknn_after: median" in out
    assert out.count("on 300 rows") == 2
    assert "before / after:" in out
    assert sys.modules["sknn_before"] is not sys.modules["sknn_after"]


def test_compare_trees_ensemble_prints_a_row_per_tree_with_embedding_none(capsys):
    import compare_trees

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    compare_trees.main([root, root, "ensemble", "--sizes", "8", "--rounds", "1",
                        "--embedding", "none"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("hidden layers | tree | one member")
    assert [line.split(" | ")[:2] for line in lines[1:]] == [["8", "sknn_before"],
                                                            ["8", "sknn_after"]]


def test_kernels_prints_every_pass_compiled_and_numpy(capsys):
    import kernels

    kernels.main(["--rounds", "1"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "float32, 1 BLAS thread(s), medians of 1 rounds"
    names = [line.split(":")[0] for line in lines[1:]]
    assert "parametric SELU, 256 x 256, forward + backward" in names
    assert "parametric Mish, 256 x 256, forward + backward" in names
    assert all("compiled" in line and "numpy" in line for line in lines[1:])


def test_predict_latency_times_the_tabular_defaults(capsys):
    from benchmarks import predict_latency

    medians = predict_latency.main(["--tabular", "--rounds", "1"])
    assert set(medians) == {"Tabular, one network", "Tabular, default (5 members)",
                            "sklearn MLP, default"}
    assert all(seconds > 0 for seconds in medians.values())
    assert "Tabular, default (5 members)" in capsys.readouterr().out
