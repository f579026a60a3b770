"""Tabular benchmark: scikit-learn's MLP, sknn's MLP, sknn's Tabular MLP and
HistGradientBoosting with defaults, 3-fold CV x several seeds, the same preprocessing.

    PYTHONPATH=. OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python benchmarks/tabular.py \\
        --out benchmarks/results/tabular-2026-12-01.md

prints (and writes) three tables: the comparison on every data set (accuracy
for classification, R^2 for regression; fit time per fold), the ablation of
the tabular defaults on the development data sets, and the time of one
``n_members=8`` fit against 8 separate fits. ``--quick`` runs two small data
sets with few epochs (the smoke test).

Every score cell is the mean over 3 folds x ``--seeds`` seeds (the models'
``random_state``; every model sees the same folds) followed by its standard
error over the seeds, ``mean ± se``: the spread of the fold-mean when only
the random stream (initial weights, batches, dropout masks, validation split)
changes. A deterministic model shows ± 0.000.
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.model_selection import KFold, StratifiedKFold, cross_validate
from sklearn.neural_network import MLPClassifier as SkMLPClassifier
from sklearn.neural_network import MLPRegressor as SkMLPRegressor
from sklearn.pipeline import make_pipeline

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tabular_data as data  # noqa: E402

from sknn import MLPClassifier, MLPRegressor, TabularMLPClassifier, TabularMLPRegressor  # noqa: E402
from sknn.preprocessing import RobustSmoothClipTransformer  # noqa: E402

MODELS = {
    "sklearn MLP": (SkMLPClassifier, SkMLPRegressor),
    "sknn MLP": (MLPClassifier, MLPRegressor),
    "sknn Tabular": (TabularMLPClassifier, TabularMLPRegressor),
    "HistGB": (HistGradientBoostingClassifier, HistGradientBoostingRegressor),
}

#: each row switches one of the tabular defaults back to the plain MLP's
ABLATION = {
    "RealMLP-TD defaults": {},
    "no robust scaling + smooth clip": {"preprocessing": None},
    "standard parametrization (no NTP, no zero output, lr 1e-3)": {
        "parametrization": "standard", "output_init": "default", "learning_rate_init": 1e-3},
    "no input scale layer (and its lr factor)": {"input_scale": False},
    "no numeric embeddings (PBLD)": {"numeric_embedding": None},
    "plain SELU / Mish (not parametric)": {"activation": "PLAIN"},
    "no data-dependent init (std weights, he+5 biases)": {"data_init": False},
    "no weight decay": {"weight_decay": 0.0},
    "no lr factors": {"lr_factors": None},
    "weight decay on the weights only (no decay of scale, mixes, embeddings)": {
        "weight_decay_factors": None},
    "schedules set per epoch (at its middle), not per step": {"schedule_interval": "epoch"},
    "constant lr instead of coslog": {"learning_rate": "constant"},
    "no dropout": {"dropout": 0.0},
    "no label smoothing / no target standardization": {"label_smoothing": 0.0,
                                                        "standardize_target": False},
    "no revert-to-best (last epoch, all rows)": {"early_stopping": False},
    "the earliest of tied best epochs (scikit-learn's rule)": {"best_epoch_ties": "first"},
    "incomplete last batches kept (scikit-learn's batches)": {"drop_last": False},
    "one network (n_members=1), the paper's": {"n_members": 1},
    "n_members=8, shared weights (TabM)": {"n_members": 8, "member_weights": "shared"},
}


def _task_params(params, task):
    """``params`` with 'PLAIN' replaced by the task's plain activation."""
    if params.get("activation") == "PLAIN":
        params = {**params, "activation": "selu" if task == "classification" else "mish"}
    return params


def folds(task):
    splitter = StratifiedKFold if task == "classification" else KFold
    return splitter(3, shuffle=True, random_state=0)


#: the development sets of the ablation: digits is left out, its rows stayed within
#: 0.01 of each other in every earlier run and it costs half of the ablation's time
ABLATION_SETS = ("breast_cancer", "wine", "iris", "diabetes")


def evaluate(estimator, X, y, task, categorical):
    """CV scores (one per fold) and mean fit time per fold of ``shared_preprocessing -> estimator``."""
    pipe = make_pipeline(data.shared_preprocessing(X, categorical), estimator)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = cross_validate(pipe, X, y, cv=folds(task))
    return [float(s) for s in result["test_score"]], float(np.mean(result["fit_time"]))


def evaluate_seeds(model, task, X, y, categorical, seeds, params=None):
    """Mean over folds x seeds, its standard error over the seeds, mean fit time per fold."""
    per_seed, times = [], []
    for seed in range(seeds):
        scores, fit_time = evaluate(make(model, task, params, seed), X, y, task, categorical)
        per_seed.append(np.mean(scores))
        times.append(fit_time)
    return float(np.mean(per_seed)), standard_error(per_seed), float(np.mean(times))


def standard_error(values):
    """Standard error of the mean of ``values`` (nan for a single value)."""
    values = np.asarray(values, dtype=float)
    if values.size < 2:
        return float("nan")
    return float(values.std(ddof=1) / np.sqrt(values.size))


def make(model, task, params=None, seed=0):
    cls = MODELS[model][task == "regression"]
    est = cls(random_state=seed)
    if params:
        valid = est.get_params()
        est.set_params(**{k: v for k, v in params.items() if k in valid})
    return est


def comparison(names, quick, seeds):
    rows = []
    for name in names:
        X, y, task, categorical = data.load(name)
        d = data.shared_preprocessing(X, categorical).fit_transform(X).shape[1]
        scores, errors, times = [], [], []
        for model in MODELS:
            params = {"max_iter": 20} if quick and "sknn Tabular" == model else None
            score, error, fit_time = evaluate_seeds(model, task, X, y, categorical, seeds, params)
            scores.append(score)
            errors.append(error)
            times.append(fit_time)
        rows.append((name, task, f"{len(X)} x {d}", scores, errors, times))
        print(_row(rows[-1]), flush=True)
    return rows


def _cell(mean, error):
    return f"{mean:.3f}" if np.isnan(error) else f"{mean:.3f} ± {error:.3f}"


def _row(row):
    name, task, shape, scores, errors, times = row
    metric = "acc" if task == "classification" else "R^2"
    cells = [_cell(s, e) for s, e in zip(scores, errors)] + [f"{t:.1f}" for t in times]
    return "| " + " | ".join([name, metric, shape, *cells]) + " |"


def comparison_table(rows, seeds):
    header = ["data set", "metric", "n x d", *MODELS, *(f"{m} fit s" for m in MODELS)]
    lines = [f"3 folds x {seeds} seeds; mean ± standard error over the seeds.\n",
             "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += [_row(row) for row in rows]
    scores = np.array([row[3] for row in rows])
    errors = np.array([row[4] for row in rows])
    means = scores.mean(axis=0)
    # the mean of independent cells: its error adds the cells' variances
    mean_errors = np.sqrt((errors**2).sum(axis=0)) / len(rows)
    lines.append("| **mean** | | | " + " | ".join(f"**{_cell(m, e)}**"
                                                   for m, e in zip(means, mean_errors))
                 + " |" + " |" * len(MODELS))
    lines.append("\n" + wins_and_losses(rows))
    return "\n".join(lines)


def wins_and_losses(rows, model="sknn Tabular", against="sklearn MLP"):
    """Which data sets ``model`` wins or loses against ``against``, each gap with its error."""
    i, j = list(MODELS).index(model), list(MODELS).index(against)
    wins, losses = [], []
    for name, _, _, scores, errors, _ in rows:
        gap = scores[i] - scores[j]
        error = np.sqrt(errors[i] ** 2 + errors[j] ** 2)
        (wins if gap > 0 else losses).append(f"{name} ({gap:+.3f} ± {error:.3f})")
    return (f"{model} against {against}: wins on {len(wins)} of {len(rows)}"
            + (f"; loses on {', '.join(losses)}" if losses else "") + ".")


def ablation(names, quick, seeds):
    lines = [f"3 folds x {seeds} seeds; mean ± standard error over the seeds.\n",
             "| variant | " + " | ".join(names) + " | mean |", "|" + "---|" * (len(names) + 2)]
    for variant, params in ABLATION.items():
        params = {**params, **({"max_iter": 20} if quick else {})}
        per_seed = []  # (seeds, data sets)
        for seed in range(seeds):
            row = []
            for name in names:
                X, y, task, categorical = data.load(name)
                scores, _ = evaluate(make("sknn Tabular", task, _task_params(params, task), seed),
                                     X, y, task, categorical)
                row.append(np.mean(scores))
            per_seed.append(row)
        per_seed = np.array(per_seed)
        cells = [_cell(per_seed[:, k].mean(), standard_error(per_seed[:, k]))
                 for k in range(len(names))]
        means = per_seed.mean(axis=1)  # the variant's mean over the sets, per seed
        lines.append(f"| {variant} | " + " | ".join(cells)
                     + f" | {_cell(means.mean(), standard_error(means))} |")
        print(lines[-1], flush=True)
    return "\n".join(lines)


def ensemble_timing(quick):
    """One fit with n_members=8 against 8 fits of one member, the same epochs."""
    X, y, _, _ = data.load("breast_cancer")
    X = RobustSmoothClipTransformer().fit_transform(X.to_numpy())
    epochs = 5 if quick else 64
    base = TabularMLPClassifier(max_iter=epochs, early_stopping=False, random_state=0)
    lines = []
    for sizes in [(256, 256, 256), (64, 64)]:
        times = {"independent": [], "shared": [], "separate": []}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for _ in range(1 if quick else 3):  # interleaved rounds, medians
                for weights in ("independent", "shared"):
                    start = time.perf_counter()
                    clone(base).set_params(hidden_layer_sizes=sizes, n_members=8,
                                           member_weights=weights).fit(X, y)
                    times[weights].append(time.perf_counter() - start)
                start = time.perf_counter()
                for seed in range(8):
                    clone(base).set_params(hidden_layer_sizes=sizes, random_state=seed).fit(X, y)
                times["separate"].append(time.perf_counter() - start)
        t = {key: float(np.median(value)) for key, value in times.items()}
        lines.append(
            f"| {' x '.join(map(str, sizes))} | {t['separate']:.1f} | {t['independent']:.1f} "
            f"({t['separate'] / t['independent']:.2f}x) | {t['shared']:.1f} "
            f"({t['separate'] / t['shared']:.2f}x) |")
    header = (f"breast_cancer ({len(X)} rows), {epochs} epochs, one BLAS thread, medians of "
              "interleaved rounds; time of 8 separate fits / one fit with n_members=8 "
              "(speed-up over the separate fits)\n\n"
              "| hidden layers | 8 separate fits s | n_members=8, independent s | "
              "n_members=8, shared weights (TabM) s |\n|---|---|---|---|")
    return "\n".join([header, *lines])


def default_fit_timing(quick):
    """A default TabularMLPClassifier fit on 4000 x 50 (the issue's size), at 1 and 2 threads."""
    from sklearn.datasets import make_classification
    from threadpoolctl import threadpool_limits

    X, y = make_classification(n_samples=800 if quick else 4000, n_features=50,
                               n_informative=20, random_state=0)
    cells = []
    for threads in (1, 2):
        with threadpool_limits(threads), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            start = time.perf_counter()
            TabularMLPClassifier(random_state=0, max_iter=5 if quick else 256).fit(X, y)
            cells.append(f"{time.perf_counter() - start:.1f} s at {threads} BLAS thread(s)")
    return (f"Default `TabularMLPClassifier` fit on make_classification {X.shape[0]} x 50 "
            f"(256 epochs): " + ", ".join(cells) + ".")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="two small sets, 20 epochs, 2 seeds")
    parser.add_argument("--out", type=Path, help="also write the Markdown tables here")
    parser.add_argument("--skip-ablation", action="store_true")
    parser.add_argument("--skip-comparison", action="store_true",
                        help="leave out the comparison tables (the ablation alone)")
    parser.add_argument("--seeds", type=int, default=None,
                        help="seeds per cell of the comparison (default 3; 2 with --quick)")
    parser.add_argument("--ablation-seeds", type=int, default=None,
                        help="seeds per cell of the ablation (default 2)")
    parser.add_argument("--sets", nargs="+", default=None,
                        help="only these data sets (to split one run over processes)")
    parser.add_argument("--ablation-sets", nargs="+", default=None,
                        help="the ablation on these development sets only (default: "
                             + ", ".join(ABLATION_SETS) + ")")
    parser.add_argument("--skip-timing", action="store_true",
                        help="leave out the ensemble and 4000 x 50 fit-time sections")
    args = parser.parse_args(argv)
    seeds = args.seeds or (2 if args.quick else 3)
    ablation_seeds = args.ablation_seeds or 2
    development = ["iris", "wine"] if args.quick else list(data.DEVELOPMENT)
    held_out = [] if args.quick else list(data.HELD_OUT)
    if args.sets is not None:
        unknown = set(args.sets) - set(data.DEVELOPMENT) - set(data.HELD_OUT)
        if unknown:
            parser.error(f"unknown data sets {sorted(unknown)}")
        development = [name for name in development if name in args.sets]
        held_out = [name for name in held_out if name in args.sets]
    ablation_sets = development if args.quick else list(ABLATION_SETS)
    if args.ablation_sets is not None:
        unknown = set(args.ablation_sets) - set(data.DEVELOPMENT)
        if unknown:
            parser.error(f"unknown development data sets {sorted(unknown)}")
        ablation_sets = list(args.ablation_sets)
    start = time.perf_counter()
    sections = []
    for title, names in (("Development data sets", development),
                         ("Held-out data sets (not tuned on)", held_out)):
        if names and not args.skip_comparison:
            print(f"## {title}", flush=True)
            sections.append(f"## {title}\n\n" + comparison_table(
                comparison(names, args.quick, seeds), seeds))
    if not args.skip_ablation:
        print("## Ablation", flush=True)
        sections.append("## Ablation (sknn Tabular, development data sets)\n\n"
                        + ablation(ablation_sets, args.quick, ablation_seeds))
    if not args.skip_timing:
        sections.append("## Batched ensemble\n\n" + ensemble_timing(args.quick))
        sections.append("## Fit time\n\n" + default_fit_timing(args.quick))
    text = "\n\n".join(sections) + (
        f"\n\nTotal run time {time.perf_counter() - start:.0f} s, one BLAS thread.\n")
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return text


if __name__ == "__main__":
    main()
