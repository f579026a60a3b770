"""sknn.plotting, headless: what each function drew (lines, their data, labels, scales)."""

import importlib
import sys

import matplotlib

matplotlib.use("Agg")  # before pyplot is imported anywhere

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import sknn.plotting as plotting  # noqa: E402
from sknn import MLPClassifier  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def full_history(n_epochs=6):
    rng = np.random.RandomState(0)
    return [
        {
            "epoch": e,
            "loss": 2.0 / (e + 1),
            "learning_rate": 0.01,
            "time": 0.1 * e,
            "val_loss": 2.2 / (e + 1) + 0.05,
            "val_score": 0.5 + 0.05 * e,
            "train_score": 0.55 + 0.07 * e,
            "update_ratios": list(10.0 ** rng.uniform(-4, -2, size=3)),
        }
        for e in range(n_epochs)
    ]


def lines_by_label(ax):
    return {line.get_label(): line for line in ax.get_lines()}


# ---------------------------------------------------------------- learning curves
def test_learning_curves_draw_the_history_values():
    history = full_history()
    axes = plotting.plot_learning_curves(history)
    assert len(axes) == 2
    loss_ax, score_ax = axes
    assert loss_ax.figure is score_ax.figure
    lines = lines_by_label(loss_ax)
    assert set(lines) == {"training loss", "validation loss"}
    epochs = [r["epoch"] for r in history]
    np.testing.assert_array_equal(lines["training loss"].get_xdata(), epochs)
    np.testing.assert_allclose(lines["training loss"].get_ydata(), [r["loss"] for r in history])
    np.testing.assert_allclose(
        lines["validation loss"].get_ydata(), [r["val_loss"] for r in history]
    )
    assert loss_ax.get_xlabel() == "epoch" and loss_ax.get_ylabel() == "loss"
    assert "not recorded" not in loss_ax.get_title()

    scores = lines_by_label(score_ax)
    assert set(scores) == {"training score", "validation score"}
    np.testing.assert_allclose(
        scores["training score"].get_ydata(), [r["train_score"] for r in history]
    )
    np.testing.assert_allclose(
        scores["validation score"].get_ydata(), [r["val_score"] for r in history]
    )
    # the gap between them is shaded and named in the legend
    legend = [t.get_text() for t in score_ax.get_legend().get_texts()]
    assert "gap (overfitting)" in legend
    assert len(score_ax.collections) == 1


def test_learning_curves_say_what_is_missing():
    history = [{"epoch": e, "loss": 1.0 / (e + 1)} for e in range(4)]
    (loss_ax,) = plotting.plot_learning_curves(history)
    assert list(lines_by_label(loss_ax)) == ["training loss"]
    title = loss_ax.get_title()
    assert "validation loss" in title and "no scores recorded" in title

    # a validation set without score_training: the training score is missing
    history = [dict(r, val_loss=1.0, val_score=0.5 + 0.1 * r["epoch"]) for r in history]
    loss_ax, score_ax = plotting.plot_learning_curves(history)
    assert list(lines_by_label(score_ax)) == ["validation score"]
    assert "score_training=True" in score_ax.get_title()
    assert "not recorded" not in loss_ax.get_title()


def test_learning_curves_skip_epochs_without_a_key():
    # L-BFGS-like records: some epochs have no validation entries
    history = [{"epoch": 0, "loss": 3.0}, {"epoch": 1, "loss": 2.0, "val_loss": 2.5}]
    (ax, _) = plotting.plot_learning_curves(history + [{"epoch": 2, "loss": 1.0,
                                                       "val_score": 0.9}])
    val = lines_by_label(ax)["validation loss"]
    np.testing.assert_array_equal(val.get_xdata(), [1])
    np.testing.assert_array_equal(val.get_ydata(), [2.5])


def test_learning_curves_on_given_axes():
    fig, (a, b) = plt.subplots(1, 2)
    axes = plotting.plot_learning_curves(full_history(), ax=(a, b))
    assert axes[0] is a and axes[1] is b
    # a single Axes: the scores go on its twin
    fig, a = plt.subplots()
    loss_ax, score_ax = plotting.plot_learning_curves(full_history(), ax=a)
    assert loss_ax is a and score_ax is not a and score_ax.figure is fig
    assert score_ax.get_shared_x_axes().joined(a, score_ax)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_learning_curves_of_a_fitted_estimator():
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    est = MLPClassifier((20,), max_iter=4, early_stopping=True, random_state=0,
                        n_iter_no_change=100).fit(X / 16, y)
    axes = plotting.plot_learning_curves(est)
    lines = lines_by_label(axes[0])
    np.testing.assert_allclose(lines["training loss"].get_ydata(), est.loss_curve_)
    assert len(axes) == 2
    val = lines_by_label(axes[1])["validation score"]
    np.testing.assert_allclose(val.get_ydata(), est.validation_scores_)


def test_learning_curves_of_scikit_learns_mlp():
    from sklearn.datasets import load_iris
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier as SkMLP

    X, y = load_iris(return_X_y=True)
    with pytest.warns(ConvergenceWarning):
        est = SkMLP((5,), max_iter=5, early_stopping=True, random_state=0).fit(X, y)
    loss_ax, score_ax = plotting.plot_learning_curves(est)
    np.testing.assert_allclose(lines_by_label(loss_ax)["training loss"].get_ydata(),
                               est.loss_curve_)
    np.testing.assert_allclose(lines_by_label(score_ax)["validation score"].get_ydata(),
                               est.validation_scores_)


def test_learning_curves_refuse_other_inputs():
    with pytest.raises(TypeError, match="history"):
        plotting.plot_learning_curves(object())
    with pytest.raises(TypeError, match="list of dicts"):
        plotting.plot_learning_curves([1.0, 2.0])


# ---------------------------------------------------------------- update ratios
def test_update_ratios_per_layer_log_scale_and_guide_line():
    history = full_history()
    ax = plotting.plot_update_ratios(history)
    assert ax.get_yscale() == "log"
    lines = lines_by_label(ax)
    assert set(lines) == {"dense 0", "dense 1", "dense 2 (output)", "0.001 (healthy)"}
    for layer, label in enumerate(["dense 0", "dense 1", "dense 2 (output)"]):
        np.testing.assert_array_equal(lines[label].get_xdata(), [r["epoch"] for r in history])
        np.testing.assert_allclose(
            lines[label].get_ydata(), [r["update_ratios"][layer] for r in history]
        )
    guide = lines["0.001 (healthy)"]
    assert np.all(np.asarray(guide.get_ydata()) == 1e-3)
    assert guide.get_linestyle() == "--"
    assert list(guide.get_xdata()) == [0, 1]  # axhline: spans the Axes
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "0.001 (healthy)" in legend


def test_update_ratios_missing():
    fig, given = plt.subplots()
    ax = plotting.plot_update_ratios([{"epoch": 0, "loss": 1.0}], ax=given)
    assert ax is given
    assert "not recorded" in ax.get_title()
    assert list(lines_by_label(ax)) == ["0.001 (healthy)"]


# -------------------------------------------------------------- activation stats
def stats_report(n_layers=4, n_rows=50, n_units=20):
    rng = np.random.RandomState(1)
    layers = []
    for i in range(n_layers):
        values = np.tanh(rng.normal(scale=0.5 ** i, size=(n_rows, n_units)))
        layers.append({
            "layer": i, "activation": "tanh",
            "mean": float(values.mean()), "std": float(values.std()),
            "saturated": float(np.mean(np.abs(values) > 0.99)), "dead": 0.0,
            "values": values,
        })

    class Report:
        pass

    report = Report()
    report.layers = layers
    return report


def test_activation_stats_draw_means_stds_fractions_and_histograms():
    report = stats_report()
    axes = plotting.plot_activation_stats(report, bins=20)
    assert len(axes) == 3 + 4
    mean_ax, std_ax, fraction_ax, *hists = axes
    (mean_line,) = mean_ax.get_lines()
    np.testing.assert_array_equal(mean_line.get_xdata(), [0, 1, 2, 3])
    np.testing.assert_allclose(mean_line.get_ydata(), [d["mean"] for d in report.layers])
    (std_line,) = std_ax.get_lines()
    np.testing.assert_allclose(std_line.get_ydata(), [d["std"] for d in report.layers])
    fractions = lines_by_label(fraction_ax)
    np.testing.assert_allclose(fractions["saturated"].get_ydata(),
                               [d["saturated"] for d in report.layers])
    np.testing.assert_allclose(fractions["dead"].get_ydata(), 0.0)

    every = np.concatenate([d["values"].ravel() for d in report.layers])
    common = (every.min(), every.max())
    for ax, layer in zip(hists, report.layers):
        counts, edges = np.histogram(layer["values"].ravel(), bins=20, range=common)
        heights = [p.get_height() for p in ax.patches]
        np.testing.assert_allclose(heights, counts)
        assert ax.patches[0].get_x() == pytest.approx(edges[0])
        assert f"layer {layer['layer']} (tanh)" in ax.get_title()
    # one figure: the summaries above, the histograms below
    assert len({ax.figure for ax in axes}) == 1


def test_activation_stats_on_given_axes_and_plain_list():
    report = stats_report(n_layers=2)
    fig, given = plt.subplots(1, 5)
    axes = plotting.plot_activation_stats(report.layers, axes=given)
    assert all(a is b for a, b in zip(axes, given))
    with pytest.raises(ValueError, match="3 \\+ n_layers"):
        plotting.plot_activation_stats(report, axes=given[:4])
    with pytest.raises(TypeError, match="activation_stats"):
        plotting.plot_activation_stats({"layers": []})


# ---------------------------------------------------------------- first-layer weights
def mosaic_tile(mosaic, k, n_cols, shape):
    r, c = divmod(k, n_cols)
    h, w = shape
    return mosaic[r * (h + 1):r * (h + 1) + h, c * (w + 1):c * (w + 1) + w]


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_first_layer_weights_on_digits():
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    est = MLPClassifier((10,), max_iter=3, random_state=0).fit(X / 16, y)
    ax = plotting.plot_first_layer_weights(est)
    (image,) = ax.images
    mosaic = np.asarray(image.get_array())
    n_cols = 4  # ceil(sqrt(10))
    assert mosaic.shape == (3 * 9 - 1, 4 * 9 - 1)
    W = est.coefs_[0]
    for k in range(10):
        np.testing.assert_allclose(mosaic_tile(mosaic, k, n_cols, (8, 8)),
                                   W[:, k].reshape(8, 8))
    # padding and the two unused tiles are blank (masked)
    assert np.ma.getmaskarray(image.get_array())[8, 0]
    assert np.ma.getmaskarray(image.get_array())[-1, -1]
    limit = np.abs(W).max()
    assert image.norm.vmin == pytest.approx(-limit) and image.norm.vmax == pytest.approx(limit)
    assert "10 units, 8x8" in ax.get_title()


def test_first_layer_weights_shapes():
    class Fitted:
        coefs_ = [np.arange(6 * 3, dtype=float).reshape(6, 3)]

    fig, given = plt.subplots()
    ax = plotting.plot_first_layer_weights(Fitted(), image_shape=(2, 3), ax=given, max_units=2)
    assert ax is given
    mosaic = np.asarray(ax.images[0].get_array())
    assert mosaic.shape == (2, 7)  # two 2x3 tiles side by side, one column of padding
    np.testing.assert_array_equal(mosaic[:, :3], Fitted.coefs_[0][:, 0].reshape(2, 3))
    np.testing.assert_array_equal(mosaic[:, 4:], Fitted.coefs_[0][:, 1].reshape(2, 3))
    with pytest.raises(ValueError, match="pass image_shape"):
        plotting.plot_first_layer_weights(Fitted())
    with pytest.raises(ValueError, match="image_shape"):
        plotting.plot_first_layer_weights(Fitted(), image_shape=(4, 4))
    with pytest.raises(ValueError, match="max_units"):
        plotting.plot_first_layer_weights(Fitted(), image_shape=(2, 3), max_units=0)


def test_colormap_is_diverging_and_centred():
    class Fitted:
        coefs_ = [np.array([[-2.0], [1.0], [0.0], [0.5]])]

    ax = plotting.plot_first_layer_weights(Fitted())
    image = ax.images[0]
    assert image.norm.vmin == -2.0 and image.norm.vmax == 2.0
    assert image.cmap.name == "RdBu_r"


# ---------------------------------------------------------------- without matplotlib
def test_import_without_matplotlib_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r'pip install "sknn\[plot\]"'):
        importlib.reload(plotting)
    monkeypatch.undo()
    importlib.reload(plotting)  # the module works again once matplotlib is back
    assert callable(plotting.plot_learning_curves)
