"""Timing of the vectorised exhaustive search on a dense 2D grid with N = 4096.

Run ``python benchmarks/bench_sperner.py``. For a machine-independent reading, each search time is
also given relative to a reference numpy pass over the same data in the same process (one
comparison ``values < 0`` plus a reduction), so "x 12 ref" means twelve such passes.
"""

from __future__ import annotations

import time
import timeit

import numpy as np

from constructions.sperner import (
    bisperner_to_sperner,
    boundary_index,
    fully_labelled_simplices,
    panchromatic_cells,
    planted_instance,
    random_colouring,
)


def best_of(fn, repeat: int = 3) -> float:
    return min(timeit.repeat(fn, number=1, repeat=repeat))


def main(n: int = 4096) -> None:
    t0 = time.perf_counter()
    inst = planted_instance(n, 2, target=(n // 3, n // 2), rng=0)
    t_gen = time.perf_counter() - t0
    col = inst.colouring
    vals = col.values
    ref = best_of(lambda: int(np.count_nonzero(vals < 0)))
    print(f"N={n}, d=2, {(n - 1) ** 2:,} cells; planted instance generated in {t_gen:.2f} s")
    print(f"reference numpy pass (values < 0, count):   {ref * 1e3:8.1f} ms")
    rows = [
        ("panchromatic_cells (BiSperner)", lambda: panchromatic_cells(col)),
        ("fully_labelled_simplices (via l)", lambda: fully_labelled_simplices(col)),
        ("boundary_index (whole grid)", lambda: boundary_index(col)),
    ]
    lab = bisperner_to_sperner(col)
    rows.append(("fully_labelled_simplices (Sperner labels)", lambda: fully_labelled_simplices(lab)))
    for name, fn in rows:
        t = best_of(fn)
        print(f"{name:42s} {t * 1e3:8.1f} ms   x {t / ref:5.1f} ref")
    assert panchromatic_cells(col).tolist() == inst.solutions.tolist()
    rnd = random_colouring(n, 2, rng=0)
    t = best_of(lambda: panchromatic_cells(rnd), repeat=1)
    k = len(panchromatic_cells(rnd))
    name = f"panchromatic_cells (random, {k} sols)"
    print(f"{name:42s} {t * 1e3:8.1f} ms   x {t / ref:5.1f} ref")
    imp = planted_instance(2**20, 2, representation="implicit", rng=1).colouring
    v = np.array([[123_456, 654_321]])
    tq = best_of(lambda: imp(v), repeat=2000) * 1e6
    print(f"implicit planted colouring, N=2**20: one vertex query {tq:.1f} us")


if __name__ == "__main__":
    main()
