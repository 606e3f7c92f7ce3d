"""Point-certificate throughput against the one-pass numpy limit.

Game: a box-constrained separable game with one player of dimension d,
``u(x) = -0.5 * sum(a * x**2) + b @ x`` on ``[0, 1]^d``. The reference is one numpy pass
computing the same gradient and a clip (the projected-gradient step). Prints absolute
times and the ratios measured side by side in this process.

Run: ``python benchmarks/bench_local_nash.py [d]``.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from certificates import certify_local_nash, projected_gradient_residual
from constructions import Box, game_from_callables


def best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(d: int = 10**6) -> None:
    rng = np.random.default_rng(0)
    a = rng.uniform(0.5, 1.0, d)
    b = rng.uniform(-1, 1, d)
    lo, hi = np.zeros(d), np.ones(d)
    game = game_from_callables(
        [lambda x: float(-0.5 * a @ (x * x) + b @ x)],
        [lambda x: b - a * x],
        dims=[d],
        domain=Box(lo, hi),
        smoothness=1.0,
    )
    x = np.clip(b / a, 0, 1)  # the exact maximiser

    def reference():
        g = b - a * x
        return np.clip(x + g, lo, hi)

    t_ref = best_of(reference)
    t_res = best_of(lambda: projected_gradient_residual(game, x))
    t_cert = best_of(lambda: certify_local_nash(game, x, eps=1e-3, delta=1e-2, search=False),
                     repeat=1)
    print(f"d = {d}")
    print(f"reference (gradient + clip):   {t_ref * 1e3:9.2f} ms")
    print(f"projected-gradient residual:   {t_res * 1e3:9.2f} ms   ratio {t_res / t_ref:6.1f}x")
    print(f"(eps, delta) certificate:      {t_cert * 1e3:9.2f} ms   ratio {t_cert / t_ref:6.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10**6)
