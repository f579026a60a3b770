"""cProfile of one epoch of the performance workload (``benchmarks/workload.py``).

Usage (from the repository root)::

    PYTHONPATH=. python benchmarks/profile_epoch.py                    # float32, 2 threads
    PYTHONPATH=. python benchmarks/profile_epoch.py --dtype float64 --threads 1
    PYTHONPATH=. python benchmarks/profile_epoch.py --batch-norm-dropout --top 20

Prints the unprofiled time of three epochs after a warm-up, then the top
functions by own time of one profiled epoch (one ``partial_fit`` call).
"""

import argparse
import cProfile
import os
import pstats
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from threadpoolctl import threadpool_limits  # noqa: E402

from workload import _Learner, workload_data  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--batch-norm-dropout", action="store_true",
                        help="batch_norm=True, dropout=0.2")
    parser.add_argument("--top", type=int, default=14)
    args = parser.parse_args(argv)
    X, y = workload_data(args.rows, args.dtype)
    extra = dict(batch_norm=True, dropout=0.2) if args.batch_norm_dropout else {}
    with threadpool_limits(args.threads):
        learner = _Learner("sknn", X, y, **extra)
        learner.epoch()
        times = []
        for _ in range(3):
            start = time.perf_counter()
            learner.epoch()
            times.append(time.perf_counter() - start)
        print("epoch seconds:", ", ".join(f"{t:.3f}" for t in sorted(times)))
        profile = cProfile.Profile()
        profile.enable()
        learner.epoch()
        profile.disable()
    pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
