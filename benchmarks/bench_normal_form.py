"""Normal-form equilibrium checks against peer libraries on the same inputs (issue 8, item 3).

On random n x n bimatrix games (payoffs uniform in [-1, 1], seed 0):

* Nash regret of a mixed profile: ``certificates.nash_regret`` versus pygambit's
  ``MixedStrategyProfile.max_regret`` (the maximum over players of max pure payoff minus mixed
  payoff) and versus Nashpy's ``Game.is_best_response`` (a yes/no check per player, compared with
  ``regret == 0``) on a random full-support profile and on a planted pure equilibrium;
* CE / CCE gain of a joint distribution: ``certificates.correlated_gain`` /
  ``coarse_correlated_gain`` versus OpenSpiel (see ``_openspiel_gaps`` for what OpenSpiel offers).

Every peer's answer is compared with localeq's (to 1e-9) and both times are printed; the peer
time is only the call that computes the quantity (game/profile construction reported apart).
A peer that is not installed, or cannot hold the game, is reported as such.

Run: ``python benchmarks/bench_normal_form.py [--quick]``.
"""

from __future__ import annotations

import importlib
import sys
import time
from typing import Any

import numpy as np
from _common import best_of, print_record, record, target

from certificates import coarse_correlated_gain, correlated_gain, nash_regret

TOL = 1e-9


def _game(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.uniform(-1, 1, (n, n)), rng.uniform(-1, 1, (n, n))


def _planted(A: np.ndarray, B: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A copy of (A, B) with a strict pure equilibrium at (0, 0), and that profile."""
    A, B = A.copy(), B.copy()
    A[0, 0], B[0, 0] = 2.0, 2.0
    x, y = np.zeros(A.shape[0]), np.zeros(A.shape[1])
    x[0] = y[0] = 1.0
    return A, B, x, y


def _repeat(t_one: float) -> int:
    return int(min(200, max(3, 0.2 / max(t_one, 1e-7))))


def _time(fn) -> float:
    t1 = best_of(fn, 1)
    k = _repeat(t1)
    if k <= 3:
        return min(t1, best_of(fn, 2))
    t0 = time.perf_counter()
    for _ in range(k):
        fn()
    return min(t1, (time.perf_counter() - t0) / k)


def _peer(name: str) -> Any | None:
    try:
        return importlib.import_module(name)
    except Exception:  # noqa: BLE001 - not installed or broken: reported as not measured
        return None


def _gambit_rows(gbt, sizes, rows, checks) -> None:
    for n in sizes:
        A, B = _game(n)
        rng = np.random.default_rng(n)
        x, y = rng.dirichlet(np.ones(n)), rng.dirichlet(np.ones(n))
        P = np.stack([A, B])
        try:
            t0 = time.perf_counter()
            g = gbt.Game.from_arrays(A, B)
            prof = g.mixed_strategy_profile(data=[x.tolist(), y.tolist()], rational=False)
            t_build = time.perf_counter() - t0
        except MemoryError:
            rows.append([f"pygambit max_regret, n = {n}", "out of memory", "", "", ""])
            continue
        ours = float(np.max(nash_regret(P, [x, y])))
        theirs = float(prof.max_regret())
        t_ours = _time(lambda P=P, x=x, y=y: nash_regret(P, [x, y]))
        t_peer = _time(lambda prof=prof: prof.max_regret())
        diff = abs(ours - theirs)
        checks.append(("pygambit", n, diff <= TOL, t_peer / t_ours))
        rows.append([f"Nash regret vs pygambit max_regret, n = {n}", t_ours * 1e6, t_peer * 1e6,
                     t_peer / t_ours, f"|diff| = {diff:.1e} (build {t_build:.2f} s)"])


def _nashpy_rows(nash, sizes, rows, checks) -> None:
    for n in sizes:
        A, B = _game(n)
        rng = np.random.default_rng(n)
        cases = [("random profile", A, B, rng.dirichlet(np.ones(n)), rng.dirichlet(np.ones(n))),
                 ("planted pure NE", *_planted(A, B))]
        for label, A1, B1, x, y in cases:
            P = np.stack([A1, B1])
            game = nash.Game(A1, B1)
            ours = tuple(bool(r == 0.0) for r in nash_regret(P, [x, y]))
            theirs = tuple(bool(b) for b in game.is_best_response(x, y))
            t_ours = _time(lambda P=P, x=x, y=y: nash_regret(P, [x, y]))
            t_peer = _time(lambda game=game, x=x, y=y: game.is_best_response(x, y))
            same = ours == theirs
            checks.append(("nashpy", n, same, t_peer / t_ours))
            rows.append([f"best-response check vs Nashpy, n = {n} ({label})", t_ours * 1e6, t_peer * 1e6,
                         t_peer / t_ours, f"answers {ours} vs {theirs}"])


def _openspiel_gaps(jp, A: np.ndarray, B: np.ndarray, D: np.ndarray) -> tuple[Any, Any, Any, Any]:
    """CE and CCE gains per player from OpenSpiel's JPSRO constraint matrices.

    OpenSpiel has no function returning the CE/CCE gain of a given joint distribution. Its closest
    machinery is ``open_spiel.python.algorithms.jpsro._ce_constraints`` / ``_cce_constraints``:
    the deviation-gain matrices ``C`` (one row per player and deviation) whose product ``C @ D``
    gives every deviation's expected gain; the gains are then aggregated as localeq defines them
    (CE: per player, sum over recommendations j of the best swap j -> r; CCE: per player, the best
    fixed deviation). Returns the two gains and the two (timed) callables.
    """
    payoff = np.stack([A, B])
    reps = [[1] * A.shape[0], [1] * A.shape[1]]
    n = A.shape[0]

    def ce():
        C = jp._ce_constraints(payoff, reps)  # rows (player, j, r != j), columns = joint profiles
        g = C @ D.ravel()
        out = []
        for i in range(2):
            block = g[i * n * (n - 1):(i + 1) * n * (n - 1)].reshape(n, n - 1)
            out.append(float(np.sum(np.maximum(np.max(block, axis=1), 0.0))))
        return np.array(out)

    def cce():
        C = jp._cce_constraints(payoff, reps)  # rows (player, r), columns = joint profiles
        g = C @ D.ravel()
        return np.array([float(np.max(g[:n])), float(np.max(g[n:]))])

    return ce(), cce(), ce, cce


def _openspiel_rows(jp, sizes, rows, checks) -> None:
    for n in sizes:
        A, B = _game(n)
        D = np.random.default_rng(n).dirichlet(np.ones(n * n)).reshape(n, n)
        P = np.stack([A, B])
        try:
            ce_peer, cce_peer, ce_fn, cce_fn = _openspiel_gaps(jp, A, B, D)
        except MemoryError:
            rows.append([f"CE/CCE gain vs OpenSpiel, n = {n}", "", "out of memory", "", ""])
            continue
        for label, fn, peer_val, peer_fn in (("CE gain", correlated_gain, ce_peer, ce_fn),
                                             ("CCE gain", coarse_correlated_gain, cce_peer, cce_fn)):
            ours = fn(P, D)
            diff = float(np.max(np.abs(ours - peer_val)))
            t_ours = _time(lambda fn=fn, P=P, D=D: fn(P, D))
            t_peer = _time(peer_fn)
            checks.append(("openspiel " + label, n, diff <= TOL, t_peer / t_ours))
            rows.append([f"{label} vs OpenSpiel jpsro constraints, n = {n}", t_ours * 1e6, t_peer * 1e6,
                         t_peer / t_ours, f"|diff| = {diff:.1e}"])


def main(quick: bool = False) -> dict:
    t_start = time.perf_counter()
    sizes = (10, 100, 300) if quick else (10, 100, 300, 1000)
    rows: list[list[Any]] = []
    checks: list[tuple[str, int, bool, float]] = []
    notes: list[str] = []
    peers = {"pygambit": _peer("pygambit"), "nashpy": _peer("nashpy"),
             "openspiel": _peer("open_spiel.python.algorithms.jpsro")}
    if peers["pygambit"] is not None:
        _gambit_rows(peers["pygambit"], sizes, rows, checks)
    if peers["nashpy"] is not None:
        _nashpy_rows(peers["nashpy"], sizes, rows, checks)
    if peers["openspiel"] is not None:
        # the CE constraint matrix has 2 n (n - 1) x n^2 entries: n = 100 is 1.6 GB already
        _openspiel_rows(peers["openspiel"], (5, 10, 30) if quick else (5, 10, 30, 60), rows, checks)
        notes.append("OpenSpiel has no function computing the CE/CCE gain of a given joint distribution; "
                     "compared against its closest machinery, the JPSRO deviation-gain constraint "
                     "matrices (_ce_constraints/_cce_constraints) times the distribution, aggregated as "
                     "localeq defines the gains. Those matrices are dense (2n(n-1) x n^2 for CE), so "
                     "OpenSpiel is run only up to n = 60")
    targets = []
    for name in ("pygambit", "nashpy", "openspiel"):
        mine = [c for c in checks if c[0].startswith(name)]
        if peers[name] is None:
            notes.append(f"{name} is not installed (pip install '.[bench]'): not measured")
            targets.append(target(f"faster than {name} with identical answers", "not installed",
                                  "faster, |diff| <= 1e-9", None))
            continue
        same = all(c[2] for c in mine)
        slowest = min(c[3] for c in mine)
        nmax = max(c[1] for c in mine)
        targets.append(target(f"faster than {name} with identical answers (n up to {nmax})",
                              f"min speed-up {slowest:.2f}x, answers identical: {same}",
                              "speed-up > 1 everywhere, |diff| <= 1e-9", same and slowest > 1))
    return record("normal_form", "normal-form equilibrium checks vs peers (same inputs)",
                  ["check", "localeq us", "peer us", "speed-up", "answers"], rows, targets, notes,
                  time.perf_counter() - t_start)


if __name__ == "__main__":
    print_record(main(quick="--quick" in sys.argv))
