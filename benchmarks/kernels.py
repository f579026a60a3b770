"""The element-wise passes of a training batch, timed alone: NumPy against compiled.

Usage (from the repository root)::

    PYTHONPATH=. python benchmarks/kernels.py               # float32, 1 BLAS thread
    PYTHONPATH=. python benchmarks/kernels.py --dtype float64

On the workload's shapes (535k parameters, 256 x 512 activations): the L2
pass, Adam's step, the two together as training runs them (the L2 gradient
added by the objective, or, ``folded``, the penalty's value alone and the
gradient added inside Adam's compiled pass), a dropout mask (drawn and
applied, forward and backward; ``before`` is the formula of the previous
round, ``RandomState.randint`` and two NumPy products), batch norm's training
forward and backward, ReLU forward and backward, a dense layer's bias
addition and bias gradient, the tabular defaults' parametric SELU and
Mish layers (256 x 256, forward and backward with the input gradient) and
their PBLD embedding (30 features of 256 rows, one network and an ensemble of
8, forward and backward with the input gradient). Each
variant is timed in turns with the others (interleaved rounds, medians of
per-call times); ``SKNN_ACCELERATE`` switches between the compiled kernels and
the NumPy path in the same process. Nothing is asserted.
"""

import argparse
import os
import time

import numpy as np
from threadpoolctl import threadpool_limits

from sknn._batch_norm_passes import normalize, normalize_backward
from sknn._dropout_masks import apply_mask, draw_bits, mask_generator, threshold_of
from sknn._network import Network
from sknn.activations import Parametric, ReLU
from sknn.layers import _add_bias, _column_sums
from sknn.numeric_embeddings import PeriodicEmbedding
from sknn.optimizers import Adam
from sknn.penalties import penalty_value_and_grad

N_PARAMS = 535818  # the workload's 784-512-256-10 network
SHAPE = (256, 512)  # a batch of the first hidden layer


def _modes(compiled, numpy_path):
    """``{"compiled": f, "numpy": f}``, each switching SKNN_ACCELERATE on entry."""
    def under(mode, f):
        def call():
            os.environ["SKNN_ACCELERATE"] = mode
            f()
        return call
    return {"compiled": under("1", compiled), "numpy": under("0", numpy_path)}


def cases(dtype):
    rng = np.random.default_rng(0)
    theta = rng.standard_normal(N_PARAMS).astype(dtype)
    grad = rng.standard_normal(N_PARAMS).astype(dtype)
    l2_grad, adam_theta = grad.copy(), theta.copy()
    adam = Adam()
    state = adam.init_state(adam_theta)
    x = np.abs(rng.standard_normal(SHAPE)).astype(dtype)
    dout = rng.standard_normal(SHAPE).astype(dtype)
    gamma, beta = np.ones(SHAPE[1], dtype), np.zeros(SHAPE[1], dtype)
    legacy = np.random.RandomState(0)
    fast = mask_generator(np.random.RandomState(0))
    rate, scale = 0.2, 1 / 0.8

    def l2():  # adds into l2_grad call after call: the values do not matter here
        penalty_value_and_grad(theta, l2_grad, alpha=1e-4, l1=0.0, total_weight=256)

    def adam_step():  # on a copy of theta, updated call after call
        adam.step(adam_theta, grad, state, 1e-3)

    n_weights = N_PARAMS - 778  # the workload's biases come last
    fold_state = adam.init_state(adam_theta, n_weights)
    fold_grad = grad.copy()

    def l2_then_adam():  # the objective adds the L2 gradient, then the step
        penalty_value_and_grad(adam_theta[:n_weights], fold_grad[:n_weights], alpha=1e-4,
                               l1=0.0, total_weight=256)
        adam.step(adam_theta, fold_grad, fold_state, 1e-3)

    def l2_folded():  # the value alone, the gradient inside the step's pass
        penalty_value_and_grad(adam_theta[:n_weights], fold_grad[:n_weights], alpha=1e-4,
                               l1=0.0, total_weight=256, l2_gradient=False)
        adam.step(adam_theta, fold_grad, fold_state, 1e-3, l2_scale=1e-4 / 256)

    relu_z = rng.standard_normal(SHAPE).astype(dtype)
    relu_work = np.empty_like(relu_z)

    def relu():
        np.copyto(relu_work, relu_z)
        a = ReLU().forward_inplace(relu_work)
        ReLU().backward_inplace(a, dout.copy())

    bias, bias_grad, bias_work = np.ones(SHAPE[1], dtype), np.empty(SHAPE[1], dtype), x.copy()

    def bias_passes():
        _add_bias(bias_work, bias)
        _column_sums(dout, bias_grad)

    def mask_before():
        threshold = np.uint32(round(rate * 2**32))
        keep = legacy.randint(0, 2**32, size=SHAPE, dtype=np.uint32) >= threshold
        out = np.multiply(x, keep)
        out *= scale
        dx = np.multiply(dout, keep)
        dx *= scale

    def mask_now():
        bits = draw_bits(fast, x.size)
        apply_mask(x, bits, threshold_of(rate), scale)
        apply_mask(dout, bits, threshold_of(rate), scale)

    def batch_norm():
        out, x_hat, _, _, inv_std = normalize(x, gamma, beta, 1e-3)
        normalize_backward(dout, x_hat, inv_std, gamma, np.empty_like(gamma),
                           np.empty_like(beta))

    def parametric(name):
        layer = Parametric(name).make_layer(256)
        Network([layer], dtype)  # binds the mix weights (1)
        layer.needs_input_grad = True
        z = rng.standard_normal((256, 256)).astype(dtype)
        d = rng.standard_normal((256, 256)).astype(dtype)

        def passes():
            _, cache = layer.forward(z, training=True)
            layer.backward(d, cache)
        return _modes(passes, passes)

    def embedding(n_members):
        layer = PeriodicEmbedding(30, "pbld", n_members=n_members)
        Network([layer], dtype).initialize(lambda _: None, rng)
        layer.needs_input_grad = True
        layer.reserve(256, dtype)  # as in training: the work arrays are reused
        x = rng.standard_normal((256, 30)).astype(dtype)
        shape = (256, layer.n_out) if n_members == 1 else (n_members, 256, layer.n_out)
        d = rng.standard_normal(shape).astype(dtype)

        def passes():
            _, cache = layer.forward(x, training=True)
            layer.backward(d, cache)
        return _modes(passes, passes)

    return {
        "L2 pass (value + gradient), 535k weights": _modes(l2, l2),
        "Adam step, 535k parameters": _modes(adam_step, adam_step),
        "L2 and Adam, as a training batch runs them": {
            "numpy": _modes(l2_then_adam, l2_then_adam)["numpy"],
            "compiled": _modes(l2_then_adam, l2_then_adam)["compiled"],
            "folded": _modes(l2_folded, l2_folded)["compiled"]},
        "dropout 0.2 mask, 256 x 512, forward + backward": {
            "before": mask_before, **_modes(mask_now, mask_now)},
        "batch norm, 256 x 512, forward + backward": _modes(batch_norm, batch_norm),
        "ReLU, 256 x 512, forward + backward (with a copy)": _modes(relu, relu),
        "bias addition + bias gradient, 256 x 512": _modes(bias_passes, bias_passes),
        "parametric SELU, 256 x 256, forward + backward": parametric("selu"),
        "parametric Mish, 256 x 256, forward + backward": parametric("mish"),
        "PBLD embedding, 256 x 30, forward + backward": embedding(1),
        "PBLD embedding, 8 members, 256 x 30, forward + backward": embedding(8),
    }


def time_per_call(f, min_time=0.02):
    calls, start = 0, time.perf_counter()
    while True:
        f()
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_time:
            return elapsed / calls


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    saved = os.environ.get("SKNN_ACCELERATE")
    try:
        with threadpool_limits(args.threads):
            table = cases(np.dtype(args.dtype))
            for variants in table.values():  # warm-up (and compilation)
                for f in variants.values():
                    f()
            times = {name: {v: [] for v in variants} for name, variants in table.items()}
            for _ in range(args.rounds):
                for name, variants in table.items():
                    for variant, f in variants.items():
                        times[name][variant].append(time_per_call(f))
    finally:
        if saved is None:
            os.environ.pop("SKNN_ACCELERATE", None)
        else:
            os.environ["SKNN_ACCELERATE"] = saved
    print(f"{args.dtype}, {args.threads} BLAS thread(s), medians of {args.rounds} rounds")
    for name, variants in times.items():
        cells = ", ".join(f"{v} {np.median(t) * 1e3:.3f} ms" for v, t in variants.items())
        print(f"{name}: {cells}")


if __name__ == "__main__":
    main()
