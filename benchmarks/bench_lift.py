"""Per-query cost of the DSZ lift: one value + gradient query, d = 2 .. 256.

Run ``python benchmarks/bench_lift.py [--quick]``. Prints the median time of one ``evaluate`` (value and
gradient, SEIC chain with prefix sums, colours from an implicit planted colouring) per d and the
exponent of a least-squares fit ``time ~ d^k`` over d >= 16 (small d is dominated by fixed
overheads). The issue asks for k <= 3; the prefix-sum chain is O(d^2) arithmetic.
"""

from __future__ import annotations

import sys
import time

import numpy as np
from _common import print_record, record, target

from constructions.lift import lift_colouring
from constructions.sperner import implicit_colouring


def _colouring(n: int, d: int):
    """A proper implicit colouring with pseudo-random interior signs (O(d) per vertex)."""
    gen = np.random.default_rng(0)
    a, b = gen.integers(1, 2**20, size=d), gen.integers(1, 2**20, size=d)

    def func(V):
        h = ((V @ a)[:, None] + b[None, :] * (V + 1)) % 7919
        s = np.where((h * 2654435761 >> 7) % 2 == 0, 1, -1)
        s = np.where(V == 0, 1, s)
        return np.where(V == n - 1, -1, s).astype(np.int8)

    return implicit_colouring(func, n=n, d=d, kind="bisperner", name="hashed")


def bench(dims=(2, 4, 8, 16, 32, 64, 128, 256), n=5, reps=30) -> list[tuple[int, float, float]]:
    rows = []
    rng = np.random.default_rng(0)
    for d in dims:
        g = lift_colouring(_colouring(n, d), scheme="seic", check_proper=False, Delta=1e-9)
        pts = []
        for _ in range(reps):
            x = rng.random(d)
            pts.append((x, np.clip(x + 1e-9 * rng.uniform(-1, 1, d), 0, 1)))
        g.evaluate(*pts[0])  # warm-up
        times, core = [], []
        for x, y in pts:
            t0 = time.perf_counter()
            g.evaluate(x, y)
            t1 = time.perf_counter()
            g.interpolation(x)
            core.append(time.perf_counter() - t1)
            times.append(t1 - t0)
        rows.append((d, float(np.median(times)), float(np.median(core))))
    return rows


def main(quick: bool = False) -> dict:
    t_start = time.perf_counter()
    dims = (2, 4, 8, 16, 32) if quick else (2, 4, 8, 16, 32, 64, 128, 256)
    rows = bench(dims, reps=5 if quick else 30)
    ds = np.log([r[0] for r in rows])
    targets, notes = [], []
    for label, col in (("value+gradient query", 1), ("interpolation (SEIC chain) only", 2)):
        ts = np.log([r[col] for r in rows])
        big = ds >= np.log(16)
        k = float(np.polyfit(ds[big], ts[big], 1)[0])
        k_all = float(np.polyfit(ds, ts, 1)[0])
        notes.append(f"fitted exponent, {label}: {k:.2f} over d = 16..{dims[-1]} "
                     f"({k_all:.2f} over d = 2..{dims[-1]})")
        if col == 1:
            targets.append(target(f"fitted exponent of the value+gradient query time, d = 16..{dims[-1]}",
                                  f"{k:.2f}", "<= 3", k <= 3))
    return record("lift", "lifted-game oracle: time per value+gradient query",
                  ["d", "s/query (value+grad)", "s/interpolation only"], [list(r) for r in rows], targets,
                  notes, time.perf_counter() - t_start)


if __name__ == "__main__":
    print_record(main(quick="--quick" in sys.argv))
