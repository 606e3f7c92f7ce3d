"""Distribution certificates: time against the number of support points K.

Game: two players on [-1, 1]^2 with nonconcave smooth utilities (the self-play game of
``tests/certificates/test_cce.py``); sigma = the empirical distribution of projected online
gradient ascent for K rounds. Times the Phi_int closed form, the Phi_proj bound (with its
witness search) and the exact Phi_LIN (box closed form) certificate, plus a one-pass numpy
reference (all K gradients and the closed form on arrays).

Run: ``python benchmarks/bench_distribution.py [K ...]``.
"""

from __future__ import annotations

import math
import sys
import time

import numpy as np
import sympy as sp

from certificates._cce import certify_local_cce, gradient_self_play
from certificates._linear import certify_linear_deviation
from constructions import Box, ProductSet, game_from_sympy


def best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def make_game():
    R = sp.Rational
    x1, x2, y1, y2 = sp.symbols("x1 x2 y1 y2")
    u1 = (R(3, 10) * sp.cos(3 * x1) - (x1 - y1 / 2) ** 2 + R(1, 5) * sp.sin(2 * x2) - x2**2
          + R(3, 10) * x2 * y2)
    u2 = (R(3, 10) * sp.cos(3 * y2) - (y2 + x2 / 2) ** 2 + R(1, 5) * sp.sin(2 * y1) - y1**2
          - R(3, 10) * x1 * y1)
    dom = ProductSet([Box([-1, -1], [1, 1]), Box([-1, -1], [1, 1])])
    return game_from_sympy([u1, u2], [[x1, x2], [y1, y2]], domain=dom)


def main(Ks):
    game = make_game()
    Ls = [game.local_smoothness(i, np.zeros(4), 1.0).value for i in range(2)]
    print(f"{'K':>6} {'numpy ref':>10} {'int':>9} {'proj':>9} {'linear':>9}   (seconds, best of 3)")
    for K in Ks:
        eta = 2 * math.sqrt(2) / (4 * math.sqrt(K))
        d = gradient_self_play(game, [0.9, -0.9, -0.9, 0.9], rounds=K, step=eta)

        def ref(d=d):
            G = np.array([game.gradient(0, x) for x in d.points])
            gbar = d.weights @ G
            return float(np.abs(gbar).sum() - np.sum(d.weights[:, None] * G * d.points[:, :2]))

        t_ref = best_of(ref)
        t_int = best_of(lambda d=d: certify_local_cce(game, d.points, d.weights, eps=1.0, delta=0.05,
                                                      smoothness=Ls))
        t_proj = best_of(lambda d=d: certify_local_cce(game, d.points, d.weights, eps=1e-6, delta=0.05,
                                                       family="proj", smoothness=Ls), repeat=1)
        t_lin = best_of(lambda d=d: certify_linear_deviation(game, d.points, d.weights, eps=1.0), repeat=1)
        print(f"{K:6d} {t_ref:10.4f} {t_int:9.4f} {t_proj:9.4f} {t_lin:9.4f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 400, 1600])
