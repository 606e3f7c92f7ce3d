"""Distribution certificates against the one matrix product they need (issue 8, item 2).

sigma: K support points in d dimensions (one player, strategy set the box [0, 1]^d or the
simplex), random weights, gradients of the concave quadratic u(x) = <c, x> - |x|^2 / 2. The
reference is the moment matrix M = G^T diag(p) X (one matrix product, K d^2 flops). Timed
side by side:

* the float64 kernels ``int_gain`` (Phi_int), ``linear_deviation_gain`` (Phi_LIN, box and
  simplex) -- target: within 2x of the reference at K = 10^4, d = 100;
* for information, the rigorous certificates: ``certify_local_cce(family="int")`` (outward
  rounding, per-support-point oracle calls) at the same K, d, and ``certify_linear_deviation``
  (exact rational moments, K d^2 Fraction operations) at a small size.

Run: ``python benchmarks/bench_distribution.py [--quick]``.
"""

from __future__ import annotations

import sys
import time

import numpy as np
from _common import best_of, print_record, record, target

from certificates import certify_linear_deviation, certify_local_cce, int_gain, linear_deviation_gain
from constructions import Box, Simplex, game_from_callables


def _game(d: int, c: np.ndarray, S):
    return game_from_callables([lambda x: float(c @ x - 0.5 * x @ x)], [lambda x: c - x], dims=[d],
                               domain=S, smoothness=1.0)


def main(quick: bool = False, K: int | None = None, d: int = 100) -> dict:
    t_start = time.perf_counter()
    K = K or (2000 if quick else 10**4)
    rng = np.random.default_rng(0)
    c = rng.standard_normal(d)
    p = rng.dirichlet(np.ones(K))
    Xb = rng.uniform(0.0, 1.0, size=(K, d))
    Xs = rng.dirichlet(np.ones(d), size=K)
    Gb, Gs = c - Xb, c - Xs
    box, simplex = Box(np.zeros(d), np.ones(d)), Simplex(d)
    delta = 0.05

    def reference():
        return Gb.T @ (p[:, None] * Xb)

    kernels = [
        ("int_gain (Phi_int, box)", lambda: int_gain(p, Xb, Gb, box, delta)),
        ("linear_deviation_gain (Phi_LIN, box)", lambda: linear_deviation_gain(p, Xb, Gb, box)),
        ("linear_deviation_gain (Phi_LIN, simplex)", lambda: linear_deviation_gain(p, Xs, Gs, simplex)),
    ]
    for _, fn in kernels:
        fn()  # warm-up
    ref_times = []
    times: list[list[float]] = [[] for _ in kernels]
    for _ in range(7):  # interleaved, best of 7
        ref_times.append(best_of(reference, 1))
        for k, (_, fn) in enumerate(kernels):
            times[k].append(best_of(fn, 1))
    r = min(ref_times)
    rows = [[f"reference: G^T diag(p) X, K = {K:,}, d = {d}", r * 1e3, 1.0]]
    targets = []
    for (name, _), ts in zip(kernels, times, strict=True):
        t = min(ts)
        rows.append([name, t * 1e3, t / r])
        targets.append(target(f"{name} vs the matrix product, K = {K:,}, d = {d}", f"{t / r:.2f}x", "<= 2x",
                              t / r <= 2))

    # the rigorous certificates, for information (not part of the 2x target)
    game = _game(d, c, box)
    t_cce = best_of(lambda: certify_local_cce(game, Xb, p, eps=10.0, delta=delta, search=False), 1)
    rows.append([f"certify_local_cce(family='int'), rigorous, K = {K:,}", t_cce * 1e3, t_cce / r])
    k_small, d_small = (50, 10) if quick else (200, 20)
    gs = _game(d_small, c[:d_small], Box(np.zeros(d_small), np.ones(d_small)))
    Xsm, psm = Xb[:k_small, :d_small], p[:k_small] / p[:k_small].sum()
    r_small = best_of(lambda: (c[:d_small] - Xsm).T @ (psm[:, None] * Xsm), 5)
    t_lin = best_of(lambda: certify_linear_deviation(gs, Xsm, psm, eps=10.0), 1)
    rows.append([f"certify_linear_deviation (exact rationals), K = {k_small}, d = {d_small}", t_lin * 1e3,
                 t_lin / r_small])
    notes = [
        "kernels are float64 evaluations of the closed forms; the rigorous certificates (last two rows, ratio"
        " against the matrix product of their own size) are not within 2x and are not claimed to be: "
        "certify_local_cce calls the gradient oracle, the strategy set and the smoothness once per support "
        "point; certify_linear_deviation forms M in exact rational arithmetic",
    ]
    return record("distribution", f"distribution certificates vs one matrix product, K = {K:,}, d = {d}",
                  ["what", "ms (best)", "ratio"], rows, targets, notes, time.perf_counter() - t_start)


if __name__ == "__main__":
    print_record(main(quick="--quick" in sys.argv))
