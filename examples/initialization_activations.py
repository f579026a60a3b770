"""The notes' weight-initialization experiment: activations through 10 tanh layers
================================================================================

Gaussian input (1000 rows, 500 features) goes through 10 hidden tanh layers of
500 units, untrained, with three initializations: the notes' "small random
numbers" (``normal``, 0.01 * N(0, 1)), the same at scale 1.0, and Glorot
(``glorot_normal``, variance 2 / (fan_in + fan_out)). ``sknn.diagnostics.
activation_stats`` initializes each network for the data without training and
reports every layer's activation mean, standard deviation and fraction of
saturated units; ``sknn.plotting.plot_activation_stats`` draws the notes'
figure (means, stds, histograms) for each.

What the notes predict and the script prints: at scale 0.01 the standard
deviation shrinks by about 20x per layer and collapses towards 0 (the
gradients vanish with it); at scale 1.0 almost every unit saturates at +-1
(the gradients vanish too); Glorot keeps the standard deviation roughly
constant, a healthy 0.2-0.6, through all ten layers.

Run ``python examples/initialization_activations.py`` (about 7 s);
``--quick`` uses 200 rows, ``--out DIR`` chooses where the figures go (a new
temporary folder by default).
"""

import _common  # the command line; selects matplotlib's Agg backend
import numpy as np

from sknn import MLPRegressor
from sknn.diagnostics import activation_stats
from sknn.initializers import SmallNormal
from sknn.plotting import plot_activation_stats

#: name -> weight_init
INITIALIZATIONS = {
    "normal_0.01": SmallNormal(scale=0.01),
    "normal_1.0": SmallNormal(scale=1.0),
    "glorot": "glorot_normal",
}


def run(n_rows=1000, n_features=500, n_layers=10, n_units=500, random_state=0):
    """{name: activation_stats report} for each initialization."""
    rng = np.random.RandomState(random_state)
    X = rng.normal(size=(n_rows, n_features))
    y = rng.normal(size=n_rows)  # only tells the network its output size
    reports = {}
    for name, weight_init in INITIALIZATIONS.items():
        net = MLPRegressor(
            hidden_layer_sizes=(n_units,) * n_layers, activation="tanh",
            weight_init=weight_init, random_state=random_state,
        )
        reports[name] = activation_stats(net, X, y, max_rows=n_rows)
    return reports


def report_text(reports):
    lines = []
    for name, report in reports.items():
        lines.append(f"{name}:")
        lines.append("  layer  mean      std        saturated")
        for d in report.layers:
            lines.append(
                f"  {d['layer']:>5}  {d['mean']:+.5f}  {d['std']:.3e}  {d['saturated']:.3f}"
            )
        last = report.layers[-1]
        lines.append(
            f"  {name} last layer: std {last['std']:.3e}, saturated {last['saturated']:.3f}"
        )
    return "\n".join(lines)


def compute(quick, out):
    reports = run(n_rows=200 if quick else 1000)
    paths = []
    for name, report in reports.items():
        axes = plot_activation_stats(report)
        axes[0].figure.suptitle(f"weight_init: {name}")
        paths.append(_common.save(axes[0].figure, out / f"activations_{name}.png"))
    text = "Activations of 10 tanh layers of 500 units on Gaussian input, untrained\n"
    return text + report_text(reports), paths, reports


def main(argv=None):
    return _common.main(__doc__, "200 rows (for CI)", compute, argv)


if __name__ == "__main__":
    main()
