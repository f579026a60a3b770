import subprocess
import sys

from sknn.__main__ import main


def test_demo_prints_scores_and_timings(capsys):
    main(["--folds", "2", "--no-sklearn"])
    out = capsys.readouterr().out
    assert "digits, 1797 samples x 64 features, 10 classes, 2-fold" in out
    assert "sknn.MLPClassifier" in out and "accuracy 0.9" in out and "s/fold" in out


def test_module_is_runnable():
    result = subprocess.run(
        [sys.executable, "-m", "sknn", "--help"], capture_output=True, text=True, check=True
    )
    assert "cross-validate" in result.stdout
