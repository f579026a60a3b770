import re
import subprocess
import sys

import pytest

from sknn import __version__
from sknn.__main__ import main


@pytest.fixture(scope="module")
def quick_run():
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["--folds", "2", "--max-iter", "15"])
    return out.getvalue()


def test_demo_prints_the_three_rows(quick_run):
    out = quick_run
    assert "digits, 1797 samples x 64 features, 10 classes, 2-fold" in out
    for row in ("1. scikit-learn MLPClassifier", "2. sknn.MLPClassifier, drop-in defaults",
                "3. sknn.MLPClassifier, with what sknn adds"):
        assert row in out
    assert out.count("accuracy  0.9") == 3 and out.count("s/fold (median)") == 3


def test_drop_in_row_has_sklearns_scores_and_a_time_ratio(quick_run):
    rows = re.findall(r"folds: ([\d. ]+)\n", quick_run)
    assert rows[0] == rows[1]  # the same fold scores, to the digit
    assert re.search(r"versus 1  the same fold scores; fit time ratio sknn / scikit-learn "
                     r"\d+\.\d\d", quick_run)


def test_each_row_shows_settings_n_iter_and_convergence(quick_run):
    settings = re.findall(r"settings  (.*)\n", quick_run)
    assert settings[0] == settings[1] == "max_iter=15"
    assert "batch_norm=True" in settings[2] and "learning_rate='cosine'" in settings[2]
    assert re.findall(r"n_iter_   (\d+) (\d+)   converged in (\d)/2 folds", quick_run)[:2] \
        == [("15", "15", "0"), ("15", "15", "0")]  # 15 epochs are not enough to converge
    assert "(max_iter, max_iter)" in quick_run
    assert "the cosine schedule runs all max_iter epochs by design" in quick_run


def test_demo_says_where_to_go_next(quick_run):
    assert "Where to go next:" in quick_run and "docs/user_guide.md" in quick_run


def test_module_is_runnable_and_its_help_is_plain_text():
    result = subprocess.run(
        [sys.executable, "-m", "sknn", "--help"], capture_output=True, text=True, check=True
    )
    text = result.stdout
    assert "Cross-validate" in text and "``" not in text and ":class:" not in text
    options = re.findall(r"^  (--[\w-]+)", text, flags=re.MULTILINE)
    assert options == ["--folds", "--random-state", "--max-iter", "--no-sklearn", "--version"]
    for option in ("--folds", "--random-state", "--max-iter", "--no-sklearn"):
        block = text.split("\n  " + option, 1)[1].split("\n  --", 1)[0]
        assert "(default:" in block, option


def test_version():
    result = subprocess.run(
        [sys.executable, "-m", "sknn", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == f"sknn {__version__}"


@pytest.mark.parametrize("argv, message", [(["--folds", "1"], "--folds must be at least 2"),
                                           (["--max-iter", "0"], "--max-iter must be at least 1")])
def test_bad_options_are_refused(argv, message, capsys):
    with pytest.raises(SystemExit):
        main(argv)
    assert message in capsys.readouterr().err
