"""The babysitting examples in quick mode, headless: their figures and their numbers."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PNG = b"\x89PNG\r\n\x1a\n"


def run_example(name, out):
    env = dict(os.environ, MPLBACKEND="Agg", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / name), "--quick", "--out", str(out)],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    text = done.stdout
    seconds = float(re.search(r"done in ([\d.]+) s", text).group(1))
    assert seconds < 60
    return text


def assert_saved(out, names, text):
    for name in names:
        path = out / name
        assert path.is_file(), f"{name} not saved"
        assert path.read_bytes()[:8] == PNG and path.stat().st_size > 5000
        assert f"saved {path}" in text


def test_initialization_activations(tmp_path):
    text = run_example("initialization_activations.py", tmp_path)
    last = {
        name: (float(std), float(saturated))
        for name, std, saturated in re.findall(
            r"(\S+) last layer: std ([\d.e+-]+), saturated ([\d.]+)", text
        )
    }
    assert set(last) == {"normal_0.01", "normal_1.0", "glorot"}
    assert last["normal_0.01"][0] < 1e-5  # collapses towards 0
    assert last["normal_1.0"][0] > 0.9 and last["normal_1.0"][1] > 0.8  # saturates at +-1
    assert 0.1 < last["glorot"][0] < 0.7 and last["glorot"][1] < 0.05  # stays healthy
    # ten layers per initialization, each with its mean, std and saturated fraction
    assert len(re.findall(r"^ +\d+ +[+-][\d.]+ +[\d.]+e[+-]\d+ +[\d.]+$", text, re.M)) == 30
    assert_saved(tmp_path, [f"activations_{n}.png" for n in last], text)


def test_learning_rate_loss_curves(tmp_path):
    text = run_example("learning_rate_loss_curves.py", tmp_path)
    runs = {
        verdict: (int(epochs), diverged == "True", float(loss), float(accuracy))
        for verdict, epochs, diverged, loss, accuracy in re.findall(
            r"(too low|good|too high): epochs (\d+), diverged (\w+), final loss ([\d.]+), "
            r"validation accuracy ([\d.]+)", text
        )
    }
    assert set(runs) == {"too low", "good", "too high"}
    low, good, high = runs["too low"], runs["good"], runs["too high"]
    assert low[0] == good[0] == 10 and not low[1] and not good[1]
    assert low[2] > 2.0 > 0.3 > good[2]  # too low: still near the start after 10 epochs
    assert good[3] > 0.9 > low[3]
    assert high[1] and high[0] < 10  # too high: diverged, sknn stopped it
    curves = [
        [float(v) for v in line.split()]
        for line in re.findall(r"loss per epoch: ([\d. ]+)", text)
    ]
    assert all(a > b for a, b in zip(curves[0], curves[0][1:]))  # slow but steady
    assert max(curves[2]) > 10 * min(curves[2])  # the loss blew up
    assert_saved(tmp_path, ["loss_curves.png", "learning_curves_lr_0.001.png",
                            "learning_curves_lr_0.1.png", "learning_curves_lr_2.png"], text)


def test_regularization_gap(tmp_path):
    text = run_example("regularization_gap.py", tmp_path)
    rows = {
        float(alpha): (float(train), float(val), float(gap))
        for alpha, train, val, gap in re.findall(
            r"alpha (\S+): training ([\d.]+), validation ([\d.]+), gap (-?[\d.]+)", text
        )
    }
    assert sorted(rows) == [1e-4, 1.0, 10.0]
    for train, val, gap in rows.values():
        assert gap == pytest.approx(train - val, abs=1.5e-3)
    weak, strong = rows[1e-4], rows[10.0]
    assert weak[0] > 0.95 and weak[2] > 0.03  # nearly fits its 200 rows: overfitting
    assert strong[0] == min(r[0] for r in rows.values()) and strong[0] < weak[0] - 0.05
    assert strong[1] < weak[1]  # too strong: underfitting
    assert_saved(tmp_path, ["learning_curves_alpha_0.0001.png", "learning_curves_alpha_1.png",
                            "learning_curves_alpha_10.png", "regularization_gap.png"], text)


def test_babysitting_update_ratios(tmp_path):
    text = run_example("babysitting_update_ratios.py", tmp_path)
    runs = re.findall(
        r"learning rate (\S+): median ratios over epochs 0-4 ([\de.+\- ]+) -> "
        r"(too low|healthy|too high); final validation accuracy ([\d.]+)", text
    )
    assert [(rate, verdict) for rate, _, verdict, _ in runs] == [
        ("1e-05", "too low"), ("0.1", "healthy"), ("2", "too high")]
    ratios = [[float(v) for v in r.split()] for _, r, _, _ in runs]
    assert all(len(r) == 3 for r in ratios)  # two hidden layers and the output layer
    assert max(ratios[0]) < 1e-4 < min(ratios[1]) and max(ratios[1]) < 0.1 < min(ratios[2])
    assert float(runs[1][3]) > 0.9
    # the per-epoch table: 8 epochs per run, one ratio per dense layer
    assert len(re.findall(r"^ +\d+ +[\d.e+-]+ +[\d.]+ +(?:\S+ ){2}\S+$", text, re.M)) == 24
    assert_saved(tmp_path, ["update_ratios_lr_1e-05.png", "update_ratios_lr_0.1.png",
                            "update_ratios_lr_2.png", "learning_curves.png",
                            "first_layer_weights.png"], text)
