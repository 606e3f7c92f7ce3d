"""Normal-form equilibrium checks against peer libraries on the same inputs (issue 8, item 3).

On random n x n bimatrix games (payoffs uniform in [-1, 1], seed 0):

* Nash regret of a mixed profile: ``certificates.nash_regret`` versus pygambit's
  ``MixedStrategyProfile.max_regret`` (the maximum over players of max pure payoff minus mixed
  payoff; pygambit caches it on the profile, so the first call on a fresh profile is timed)
  and versus Nashpy's ``Game.is_best_response`` (a yes/no check per player, compared with
  ``regret == 0``) on a random full-support profile and on a planted pure equilibrium;
* CE / CCE gain of a joint distribution: ``certificates.correlated_gain`` /
  ``coarse_correlated_gain`` versus OpenSpiel (see ``_openspiel_ce`` for what OpenSpiel offers).

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
from _common import best_of, paired, print_record, record, target

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
        # pygambit caches the regret on the profile: time the first call on fresh profiles
        t_peer = float("inf")
        for _ in range(3 if n >= 300 else 10):
            fresh = g.mixed_strategy_profile(data=[x.tolist(), y.tolist()], rational=False)
            t0 = time.perf_counter()
            fresh.max_regret()
            t_peer = min(t_peer, time.perf_counter() - t0)
        diff = abs(ours - theirs)
        checks.append(("pygambit", n, diff <= TOL, t_peer / t_ours, ""))
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
            fns = [lambda P=P, x=x, y=y: nash_regret(P, [x, y]),
                   lambda game=game, x=x, y=y: game.is_best_response(x, y)]
            with_floor = label == "random profile"  # the floor: the two products both libraries do, bare
            if with_floor:
                fns.append(lambda A1=A1, B1=B1, x=x, y=y: (A1.dot(y), x.dot(B1)))
            times = paired(fns)
            t_ours, t_peer = min(times[0]), min(times[1])
            ratios = np.array(times[1]) / np.array(times[0])
            speed = float(np.median(ratios))
            q1, q3 = (float(v) for v in np.quantile(ratios, [0.25, 0.75]))
            same = ours == theirs
            where = f" (median of paired rounds, IQR {q1:.2f}-{q3:.2f}, at n = {n}, {label})"
            checks.append(("nashpy", n, same, speed, where))
            rows.append([f"best-response check vs Nashpy, n = {n} ({label})", t_ours * 1e6, t_peer * 1e6,
                         speed, f"answers {ours} vs {theirs}; speed-up IQR {q1:.2f}-{q3:.2f}"])
            if with_floor:
                floor = np.array(times[2])
                rows.append([f"  floor: the two bare matrix-vector products, n = {n}", min(times[2]) * 1e6,
                             "", "", f"localeq / floor {np.median(np.array(times[0]) / floor):.3f}, "
                             f"Nashpy / floor {np.median(np.array(times[1]) / floor):.3f} (medians)"])


def _openspiel_ce(jp, P: np.ndarray, D: np.ndarray):
    """CE gain per player from OpenSpiel's JPSRO CE constraint matrix (a callable for timing).

    OpenSpiel has no function returning the CE/CCE gain of a given joint distribution. Its closest
    machinery is in ``open_spiel.python.algorithms.jpsro``: ``_ace_constraints`` builds the sparse
    CE gain matrix (one row per player and ordered pair (j, r), j != r, value
    ``u(r, a_-i) - u(j, a_-i)`` at the profiles recommending j) and ``_cce_constraints`` the dense
    CCE gain matrix (one row per player and action r). Their product with the distribution gives
    every deviation's expected gain, aggregated here as localeq defines the gains (CE: per player
    the sum over j of the best swap j -> r, or 0; CCE: per player the best fixed deviation).
    """
    n = P.shape[1]

    def ce():
        A = jp._ace_constraints(P, [0.0, 0.0], remove_null=False, zero_tolerance=0.0)[0]
        g = A @ D.ravel()  # rows: player 0 pairs (j, r != j) in order, then player 1's
        out = []
        for i in range(2):
            block = np.asarray(g[i * n * (n - 1):(i + 1) * n * (n - 1)]).reshape(n, n - 1)
            out.append(float(np.sum(np.maximum(np.max(block, axis=1), 0.0))))
        return np.array(out)

    return ce


def _openspiel_cce(jp, P: np.ndarray, D: np.ndarray):
    """CCE gain per player from OpenSpiel's dense JPSRO CCE constraint matrix (see above)."""
    n = P.shape[1]

    def cce():
        A = jp._cce_constraints(P, [0.0, 0.0], remove_null=False, zero_tolerance=0.0)[0]
        g = A @ D.ravel()  # rows: player 0's actions r, then player 1's
        return np.array([float(np.max(g[:n])), float(np.max(g[n:]))])

    return cce


def _openspiel_rows(jp, ce_sizes, cce_sizes, rows, checks) -> None:
    for label, sizes, ours_fn, peer_of in (("CE gain", ce_sizes, correlated_gain, _openspiel_ce),
                                           ("CCE gain", cce_sizes, coarse_correlated_gain, _openspiel_cce)):
        for n in sizes:
            A, B = _game(n)
            D = np.random.default_rng(n).dirichlet(np.ones(n * n)).reshape(n, n)
            P = np.stack([A, B])
            peer = peer_of(jp, P, D)
            t0 = time.perf_counter()
            try:
                theirs = peer()
            except MemoryError:
                rows.append([f"{label} vs OpenSpiel jpsro, n = {n}", "", "out of memory", "", ""])
                continue
            t_peer = time.perf_counter() - t0
            if t_peer < 1.0:
                t_peer = min(t_peer, _time(peer))
            ours = ours_fn(P, D)
            diff = float(np.max(np.abs(ours - theirs)))
            t_ours = _time(lambda fn=ours_fn, P=P, D=D: fn(P, D))
            checks.append(("openspiel " + label, n, diff <= TOL, t_peer / t_ours, ""))
            rows.append([f"{label} vs OpenSpiel jpsro constraint matrix, n = {n}", t_ours * 1e6, t_peer * 1e6,
                         t_peer / t_ours, f"|diff| = {diff:.1e}"])


def main(quick: bool = False) -> dict:
    t_start = time.perf_counter()
    sizes = (10, 100, 300) if quick else (10, 100, 300, 1000)
    rows: list[list[Any]] = []
    checks: list[tuple[str, int, bool, float, str]] = []
    notes: list[str] = []
    peers = {"pygambit": _peer("pygambit"), "nashpy": _peer("nashpy"),
             "openspiel": _peer("open_spiel.python.algorithms.jpsro")}
    if peers["pygambit"] is not None:
        _gambit_rows(peers["pygambit"], sizes, rows, checks)
    if peers["nashpy"] is not None:
        _nashpy_rows(peers["nashpy"], sizes, rows, checks)
        notes.append("Nashpy rows: 31 paired rounds (localeq, Nashpy and, for the random profile, the bare "
                     "products, each timed over a block of about 20 ms, in an order rotated per round); the "
                     "times are the smallest block means, the speed-up is the median of the per-round ratios "
                     "(with its interquartile range). On a full-support profile both libraries do the same "
                     "two matrix-vector products, the floor row: the speed-up is only the per-call overhead "
                     "localeq avoids (Nashpy's np.isclose and wrappers), large at n = 10 and a few percent "
                     "at n = 1000, where the products read 16 MB and both libraries run at the floor; there "
                     "the ratio is at parity, within the noise of a shared machine. On the planted pure "
                     "profile nash_regret reads only the payoffs against the support (above 256 actions, "
                     "support <= 1/16): O(n), not O(n^2)")
    if peers["openspiel"] is not None:
        _openspiel_rows(peers["openspiel"], (5, 10, 20) if quick else (5, 10, 30, 60, 100),
                        (10, 30, 100) if quick else (10, 30, 100, 300, 600), rows, checks)
        notes.append("OpenSpiel has no function computing the CE/CCE gain of a given joint distribution; "
                     "compared against its closest machinery, the JPSRO gain constraint matrices "
                     "(jpsro._ace_constraints, sparse, built entry by entry in Python; "
                     "jpsro._cce_constraints, dense 2n x n^2) times the distribution, aggregated as "
                     "localeq defines the gains; the "
                     "peer time includes building the matrix. Sizes are limited by that construction: CE up "
                     "to n = 100 (2n^2(n-1) = 2 million Python-level entries, about 20 s; n = 1000 would "
                     "take hours), CCE up to n = 600 (the dense matrix is 3.5 GB there and 16 GB at "
                     "n = 1000, two thirds of this machine's memory)")
    targets = []
    for name in ("pygambit", "nashpy", "openspiel"):
        mine = [c for c in checks if c[0].startswith(name)]
        if peers[name] is None:
            notes.append(f"{name} is not installed (pip install '.[bench]'): not measured")
            targets.append(target(f"faster than {name} with identical answers", "not installed",
                                  "faster, |diff| <= 1e-9", None))
            continue
        same = all(c[2] for c in mine)
        worst = min(mine, key=lambda c: c[3])
        slowest = worst[3]
        nmax = max(c[1] for c in mine)
        targets.append(target(f"faster than {name} with identical answers (n up to {nmax})",
                              f"min speed-up {slowest:.2f}x{worst[4]}, answers identical: {same}",
                              "speed-up > 1 everywhere, |diff| <= 1e-9", same and slowest > 1))
    return record("normal_form", "normal-form equilibrium checks vs peers (same inputs)",
                  ["check", "localeq us", "peer us", "speed-up", "answers"], rows, targets, notes,
                  time.perf_counter() - t_start)


if __name__ == "__main__":
    print_record(main(quick="--quick" in sys.argv))
