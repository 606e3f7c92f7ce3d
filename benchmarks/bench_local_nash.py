"""Point-certificate throughput against the one-pass numpy limit (issue 8, item 1).

Game: a box-constrained separable game with one player of dimension d,
``u(x) = -0.5 * sum(a * x**2) + b @ x`` on ``[0, 1]^d``, at its exact maximiser. The
reference is one numpy pass computing the same gradient and a clip (the projected-gradient
step). Prints absolute times and the ratios measured side by side in this process.
Targets: the projected-gradient residual within 3x of the reference, the full (eps, delta)
certificate (with its dual bound) within 30x.

Run: ``python benchmarks/bench_local_nash.py [--quick] [d]``.
"""

from __future__ import annotations

import sys
import time

import numpy as np
from _common import best_of, print_record, record, target

from certificates import Verdict, certify_local_nash, projected_gradient_residual
from constructions import Box, game_from_callables


def main(quick: bool = False, d: int | None = None) -> dict:
    t_start = time.perf_counter()
    d = d or (10**5 if quick else 10**6)
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

    def cert():
        return certify_local_nash(game, x, eps=1e-3, delta=1e-2, search=False)

    assert cert().verdict is Verdict.VERIFIED
    repeat = 5
    # interleave the measurements so that load changes hit all three alike
    t_ref, t_res, t_cert = [], [], []
    for _ in range(repeat):
        t_ref.append(best_of(reference, 1))
        t_res.append(best_of(lambda: projected_gradient_residual(game, x), 1))
        t_cert.append(best_of(cert, 1))
    r, s, c = min(t_ref), min(t_res), min(t_cert)
    rows = [["reference: gradient + clip (numpy)", r * 1e3, 1.0],
            ["projected_gradient_residual", s * 1e3, s / r],
            ["certify_local_nash (eps, delta) + dual bound", c * 1e3, c / r]]
    targets = [target(f"projected-gradient residual vs reference, d = {d:,}", f"{s / r:.2f}x", "<= 3x",
                      s / r <= 3),
               target(f"(eps, delta) certificate vs reference, d = {d:,}", f"{c / r:.2f}x", "<= 30x",
                      c / r <= 30)]
    res = record("local_nash", f"point certificate throughput, box-constrained separable game, d = {d:,}",
                 ["what", "ms (best of 5)", "ratio"], rows, targets,
                 notes=["the certificate includes the rigorous outward-rounded dual bound, the residual, "
                        "the record (game spec, frozen copies); search=False (no refutation search)"],
                 seconds=time.perf_counter() - t_start)
    return res


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--quick"]
    print_record(main(quick="--quick" in sys.argv, d=int(args[0]) if args else None))
