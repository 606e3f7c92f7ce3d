"""Colour queries of the black-box Sperner solvers, and the count forced by the adaptive adversary.

Prints, for growing N:

* 2D: queries / N of divide-and-conquer (with and without reading the boundary) on planted,
  random and adversarial instances, and queries / N^2 of the door walk on planted snakes;
* 3D: queries / N^2 of divide-and-conquer on planted and random instances;
* the adversary: distinct queries answered before it was forced, divided by N, per solver;
* the tunnel adversary: the same, next to its proved lower bound f(N) / N.

Run: ``python benchmarks/bench_solvers.py [--quick]``.
"""

from __future__ import annotations

import sys
import time

from complexity._adversary import AdaptiveAdversary
from complexity._solvers import SOLVERS, solve
from complexity._tunnel import TunnelAdversary
from constructions.sperner import planted_instance, random_colouring


def main(quick: bool = False) -> None:
    sizes_2d = (64, 256, 1024) if quick else (64, 128, 256, 512, 1024, 2048)
    print("2D divide-and-conquer, colour queries / N")
    print(f"{'N':>6} {'planted':>9} {'+bdry':>7} {'random':>8} {'+bdry':>7} {'adversary':>10}")
    for n in sizes_2d:
        pl = planted_instance(n, 2, rng=1).colouring
        row = [solve(pl).n_queries / n, solve(pl, check_boundary=True).n_queries / n]
        if n <= 1024:
            rc = random_colouring(n, 2, rng=n)
            row += [solve(rc).n_queries / n, solve(rc, check_boundary=True).n_queries / n]
        else:
            row += [float("nan")] * 2
        row.append(solve(AdaptiveAdversary(n, rng=n).colouring).n_queries / n)
        print(f"{n:>6} " + " ".join(f"{x:>8.3f}" for x in row))

    print("\n2D door walk on planted snakes, colour queries / N^2 (path length / N^2)")
    for n in (16, 32, 64, 128) if quick else (16, 32, 64, 128, 256):
        inst = planted_instance(n, 2, target=(n // 2, n // 2), rng=0)
        t = time.perf_counter()
        res = solve(inst.colouring, solver="walk")
        print(f"{n:>6} {res.n_queries / n**2:>8.3f} ({inst.path_length / n**2:.3f})  "
              f"{time.perf_counter() - t:.2f} s")

    print("\n3D divide-and-conquer, colour queries / N^2")
    print(f"{'N':>6} {'planted':>9} {'+bdry':>7} {'random':>8}")
    for n in (8, 16, 32) if quick else (8, 16, 32, 64, 128):
        pl = planted_instance(n, 3, rng=n).colouring
        rc = random_colouring(n, 3, rng=n)
        row = [solve(pl).n_queries, solve(pl, check_boundary=True).n_queries, solve(rc).n_queries]
        print(f"{n:>6} " + " ".join(f"{x / n**2:>8.3f}" for x in row))

    print("\nAdaptive adversary (2D): distinct queries before it is forced / N  (solver queries / N)")
    for n in (32, 64, 128) if quick else (32, 64, 128, 256):
        cells = []
        for name in sorted(SOLVERS):
            if name == "scan" and n > 128 or name == "walk" and n > 128:
                cells.append(f"{name}: skipped")
                continue
            adv = AdaptiveAdversary(n, rng=0)
            res = solve(adv.colouring, solver=name)
            cells.append(f"{name}: {adv.forced_at / n:.2f} ({res.n_queries / n:.2f})")
        print(f"{n:>6}  " + "  ".join(cells))

    print("\nTunnel adversary (2D): distinct queries before its arena is empty / N  (solver queries / N)"
          "  [proved bound f(N) / N]")
    for n in (32, 64, 128) if quick else (32, 64, 128, 256, 512):
        cells = []
        for name in sorted(SOLVERS):
            if name == "scan" and n > 128 or name == "walk" and n > 256:
                cells.append(f"{name}: skipped")
                continue
            adv = TunnelAdversary(n, rng=0)
            res = solve(adv.colouring, solver=name)
            cells.append(f"{name}: {adv.forced_at / n:.2f} ({res.n_queries / n:.2f})")
        print(f"{n:>6}  " + "  ".join(cells) + f"  [f/N = {adv.lower_bound / n:.3f}]")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
