"""The compiled kernels load from numba's disk cache in a new process.

A kernel that numba cannot find in its cache again (for instance one defined
in a closure that holds other compiled functions: the closure's pickled
contents differ from process to process) compiles anew in every process,
seconds before a small fit's first batch, and adds a cache file each time.
"""

import os
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("numba")

#: fits that run every compiled kernel: Adam with the L2 gradient and AdamW's
#: decay, the L2 pass, ReLU, bias, batch norm, dropout, the parametric SELU and
#: Mish, and the PBLD and PLR embeddings in float32 and float64
SCRIPT = textwrap.dedent("""
    import warnings
    import numpy as np
    from sknn import MLPClassifier, TabularMLPClassifier, TabularMLPRegressor
    warnings.simplefilter("ignore")
    rng = np.random.default_rng(0)
    X = rng.standard_normal((600, 40))
    y = (X[:, 0] > 0).astype(int)
    MLPClassifier(hidden_layer_sizes=(256,), batch_size=256, max_iter=1, alpha=1e-3,
                  random_state=0).fit(X, y)
    MLPClassifier(hidden_layer_sizes=(256,), batch_size=256, max_iter=1, batch_norm=True,
                  dropout=0.2, random_state=0).fit(X, y)
    TabularMLPClassifier(n_members=2, max_iter=1, random_state=0).fit(X, y)
    TabularMLPRegressor(max_iter=1, random_state=0).fit(X, X[:, 0])
    TabularMLPRegressor(max_iter=1, numeric_embedding="plr", dtype=None,
                        random_state=0).fit(X, X[:, 0])
    print("done")
""")


def _run(cache_dir, debug):
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache_dir), SKNN_ACCELERATE="1",
               OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    if debug:
        env["NUMBA_DEBUG_CACHE"] = "1"
    result = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout + result.stderr


def test_a_second_process_compiles_no_kernel_again(tmp_path):
    first = _run(tmp_path, debug=True)
    assert "data saved" in first  # the first process compiled and stored the kernels
    second = _run(tmp_path, debug=True)
    recompiled = sorted({line.split("/")[-1] for line in second.splitlines()
                         if "data saved" in line})
    assert not recompiled, recompiled
    assert "data loaded" in second
