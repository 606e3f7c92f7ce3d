"""Exhaustive Sperner search on a dense 2D grid (N = 4096) and vertex queries of an implicit grid (issue 3).

Each search time is also given relative to a reference numpy pass over the same dense grid in the
same process (one comparison ``values < 0`` plus a count), so "ratio 12" means twelve such passes.
The searches are timed on a planted instance (one solution) and on uniformly random colourings
(millions of solutions, all listed). Vertex queries of an implicit planted colouring with
``N = 2**20`` are timed per call and relative to the raw vectorised function behind it (the
difference is the query path: vertex validation and the check of the answers).
Measurements are interleaved (one repetition of every row per round, best round kept) so that
load changes hit all rows alike.

Run: ``python benchmarks/bench_sperner.py [--quick] [N]`` (``--quick``: N = 512, fewer rounds).
"""

from __future__ import annotations

import sys
import time

import numpy as np
from _common import print_record, record

from constructions.sperner import (
    bisperner_to_sperner,
    boundary_index,
    fully_labelled_simplices,
    panchromatic_cells,
    planted_instance,
    random_colouring,
)


def _per_call(fn, calls: int) -> float:
    t0 = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - t0) / calls


def main(quick: bool = False, n: int | None = None) -> dict:
    t_start = time.perf_counter()
    n = n or (512 if quick else 4096)
    rounds = 2 if quick else 3
    inst = planted_instance(n, 2, target=(n // 3, n // 2), rng=0)
    t_gen = time.perf_counter() - t_start
    col = inst.colouring
    lab = bisperner_to_sperner(col)
    vals = col.values
    rnd = random_colouring(n, 2, rng=0)
    rnd_lab = random_colouring(n, 2, kind="sperner", rng=0)
    k_pan = len(panchromatic_cells(rnd))
    k_rnd = len(fully_labelled_simplices(rnd))
    k_lab = len(fully_labelled_simplices(rnd_lab))
    assert panchromatic_cells(col).tolist() == inst.solutions.tolist()
    assert fully_labelled_simplices(col).cells.tolist() == inst.solutions.tolist()
    grid_rows = [
        ("reference: numpy pass (values < 0, count)", lambda: int(np.count_nonzero(vals < 0))),
        ("panchromatic_cells, planted (BiSperner)", lambda: panchromatic_cells(col)),
        ("fully_labelled_simplices, planted (via l)", lambda: fully_labelled_simplices(col)),
        ("fully_labelled_simplices, planted (Sperner labels)", lambda: fully_labelled_simplices(lab)),
        ("boundary_index, planted (whole grid)", lambda: boundary_index(col)),
        (f"panchromatic_cells, random BiSperner ({k_pan:,} cells)", lambda: panchromatic_cells(rnd)),
        (f"fully_labelled_simplices, random BiSperner ({k_rnd:,} sols)",
         lambda: fully_labelled_simplices(rnd)),
        (f"fully_labelled_simplices, random Sperner ({k_lab:,} sols)",
         lambda: fully_labelled_simplices(rnd_lab)),
    ]
    best = [float("inf")] * len(grid_rows)
    for _ in range(rounds):
        for i, (_name, fn) in enumerate(grid_rows):
            t0 = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - t0)
    ref = best[0]
    rows = [[name, t * 1e3, t / ref, "numpy pass"] for (name, _fn), t in zip(grid_rows, best, strict=True)]

    big = 2**20
    imp = planted_instance(big, 2, representation="implicit", rng=1).colouring
    v1 = np.array([[123_456, 654_321]])
    v1k = np.random.default_rng(0).integers(0, big, size=(1000, 2))
    calls = 200 if quick else 2000
    for label, V, k in (("1 vertex", v1, calls), ("1000 vertices", v1k, max(calls // 20, 10))):
        raw, query = [], []
        for _ in range(3 if quick else 7):
            raw.append(_per_call(lambda V=V: imp.func(V), k))
            query.append(_per_call(lambda V=V: imp(V), k))
        r, q = min(raw), min(query)
        rows.append([f"implicit planted N=2**20, raw func, {label}", r * 1e3, 1.0, "raw func"])
        rows.append([f"implicit planted N=2**20, colouring(V), {label}", q * 1e3, q / r, "raw func"])
    notes = [
        f"dense grid N = {n} ({(n - 1) ** 2:,} cells), d = 2; planted instance generated in {t_gen:.2f} s; "
        f"best of {rounds} interleaved rounds",
        "no numeric target in the issue: reported only",
    ]
    title = f"exhaustive Sperner search on a dense 2D grid, N = {n}; implicit N = 2**20 queries"
    return record("sperner", title, ["what", "ms (best)", "ratio", "ratio to"], rows, [], notes,
                  time.perf_counter() - t_start)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--quick"]
    print_record(main(quick="--quick" in sys.argv, n=int(args[0]) if args else None))
