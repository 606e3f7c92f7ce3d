"""Oracle overhead: time per counted query minus time per raw call, in microseconds (issue 8, item 6).

Raw calls go straight to the game (``game.gradient``, ``game.utility``) or the colouring
(``colouring(V)``); counted calls go through ``complexity._oracle.GameOracle`` /
``ColourOracle`` (validation of the point, counting, budget check, optional trace). Each is the
median over blocks of many calls, measured side by side in one process.

Run: ``python benchmarks/bench_oracle.py [--quick]``.
"""

from __future__ import annotations

import sys
import time

import numpy as np
from _common import print_record, record

from complexity._oracle import ColourOracle, GameOracle
from constructions import Box, game_from_callables
from constructions.sperner import planted_instance


def _per_call(fn, calls: int, blocks: int = 7) -> float:
    fn()
    per = []
    for _ in range(blocks):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        per.append((time.perf_counter() - t0) / calls)
    return float(np.median(per))


def main(quick: bool = False) -> dict:
    t_start = time.perf_counter()
    calls = 200 if quick else 5000
    rows = []
    for d in (2, 1000):
        c = np.linspace(-1, 1, d)
        game = game_from_callables([lambda x, c=c: float(c @ x - 0.5 * x @ x)], [lambda x, c=c: c - x],
                                   dims=[d], domain=Box(-np.ones(d), np.ones(d)), smoothness=1.0)
        x = np.full(d, 0.25)
        variants = [("GameOracle", GameOracle(game)), ("GameOracle, budget", GameOracle(game, budget=10**9)),
                    ("GameOracle, trace", GameOracle(game, trace=True))]
        for kind, raw, counted_of in (
            ("gradient", lambda g=game, x=x: g.gradient(0, x), lambda o, x=x: (lambda: o.gradient(0, x))),
            ("value", lambda g=game, x=x: g.utility(0, x), lambda o, x=x: (lambda: o.value(0, x))),
        ):
            t_raw = _per_call(raw, calls)
            for label, orc in variants:
                if label.endswith("trace"):
                    orc.reset()
                t_c = _per_call(counted_of(orc), calls)
                rows.append([f"{label}.{kind}, d = {d}", t_raw * 1e6, t_c * 1e6, (t_c - t_raw) * 1e6])
    col = planted_instance(64, 2, rng=0).colouring
    V1 = np.array([[10, 20]])
    V100 = np.random.default_rng(0).integers(0, 64, size=(100, 2))
    orc = ColourOracle(col)
    for label, V in (("1 vertex", V1), ("batch of 100 vertices", V100)):
        t_raw = _per_call(lambda V=V: col(V), calls)
        t_c = _per_call(lambda V=V: orc(V), calls)
        rows.append([f"ColourOracle, {label}", t_raw * 1e6, t_c * 1e6, (t_c - t_raw) * 1e6])
    notes = ["overhead = counted - raw per call (a batch counts one query per vertex); no numeric target in "
             "the issue: reported only"]
    return record("oracle", "oracle overhead per counted query (microseconds)",
                  ["query", "raw us", "counted us", "overhead us"], rows, [], notes,
                  time.perf_counter() - t_start)


if __name__ == "__main__":
    print_record(main(quick="--quick" in sys.argv))
