"""pygambit games and equilibria, certified by localeq (acceptance test of issue 7 item 3).

Equilibria from ``enumpure_solve``, ``lcp_solve`` and ``enummixed_solve`` (exact rational
arithmetic) on 20 seeded random integer games are VERIFIED as (eps, delta)-local Nash points of
the mixed extension, perturbed profiles are REFUTED.

* ``delta = 1.5 > sqrt(2)``: local = global Nash condition on the simplex (L_i = 0).
* ``eps = 1e-9`` for the exact methods: pygambit's equilibria are exact rationals (their
  ``max_regret()`` is exactly 0); converting the probabilities to float64 moves them by
  <= 2^-53 relative, so with integer payoffs |P| <= 4 the float point's regret is <= ~1e-14 --
  the tolerance only has to absorb this rounding.
* Three-player games add ``simpdiv_solve`` (simplicial subdivision, approximate), whose
  documented stopping rule is a regret <= ``maxregret`` (1e-7) times the payoff range;
  localeq certifies exactly that claim.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from interop_reference import perturb_to_worst, regrets, split

from certificates import certify_local_nash
from constructions import InvalidArgument
from constructions.interop import from_pygambit, pygambit_profile

gbt = pytest.importorskip("pygambit")

EPS, DELTA, N_GAMES = 1e-9, 1.5, 20


def _random_game(seed: int):
    rng = np.random.default_rng(1000 + seed)
    n_players = 2 if seed % 4 else 3
    shape = tuple(int(a) for a in rng.integers(2, 4 if n_players == 2 else 3, size=n_players))
    size = int(np.prod(shape))       # distinct integer payoffs per player: no payoff ties
    arrays = [rng.permutation(size).reshape(shape) - size // 2 for _ in range(n_players)]
    return gbt.Game.from_arrays(*arrays, title=f"random {seed}"), np.stack(arrays).astype(float)


def test_payoffs_equal_pygambit_outcomes():
    for seed in range(6):
        g, P = _random_game(seed)
        game = from_pygambit(g)
        assert np.array_equal(game.facts["payoffs"], P)
        players = list(g.players)
        for prof in np.ndindex(*game.dims):           # pygambit's outcome table, entry by entry
            outcome = g[prof]
            x = np.zeros(game.dim)
            for i, s in enumerate(prof):
                x[int(np.cumsum([0, *game.dims])[i]) + s] = 1.0
            for i, p in enumerate(players):
                assert game.utility(i, x) == float(outcome[p])
        prof = g.mixed_strategy_profile(rational=True)
        point = pygambit_profile(prof)                  # the centroid, as floats
        for i, p in enumerate(players):
            assert game.utility(i, point) == pytest.approx(float(prof.payoff(p)), abs=1e-12)


def test_pygambit_equilibria_on_20_random_games_are_verified_and_perturbations_refuted():
    verified = refuted = 0
    for seed in range(N_GAMES):
        g, P = _random_game(seed)
        game = from_pygambit(g)
        solvers = {
            "enumpure": gbt.nash.enumpure_solve(g).equilibria,
            "lcp": gbt.nash.lcp_solve(g, rational=True).equilibria if P.shape[0] == 2 else [],
            "enummixed": gbt.nash.enummixed_solve(g, rational=True).equilibria if P.shape[0] == 2 else [],
        }
        if P.shape[0] == 3:   # lcp/enummixed are two-player methods; use a path-following one
            solvers["simpdiv"] = gbt.nash.simpdiv_solve(g.mixed_strategy_profile(rational=True)).equilibria
        assert sum(len(v) for v in solvers.values()) >= 1
        for solver, eqs in solvers.items():
            for prof in eqs:
                exact_regret = prof.max_regret()
                point = pygambit_profile(prof)
                reg = regrets(P, split(point, game.dims))
                if solver != "simpdiv":
                    assert exact_regret == 0 and isinstance(exact_regret, Fraction)
                    assert reg.max() <= 1e-13
                # simpdiv stops at max_regret <= maxregret * (payoff range): certify that claim
                claim = EPS if solver != "simpdiv" else 1e-7 * float(P.max() - P.min()) * (1 + 1e-6)
                cert = certify_local_nash(game, point, eps=claim, delta=DELTA)
                assert cert.verdict.value == "VERIFIED", (seed, solver, cert.reasons)
                verified += 1

                bad, gap = perturb_to_worst(P, split(point, game.dims))
                assert gap > 1e3 * EPS
                cert = certify_local_nash(game, bad, eps=EPS, delta=DELTA)
                assert cert.verdict.value == "REFUTED", (seed, solver)
                assert cert.witness.gain > EPS
                refuted += 1
    print(f"pygambit: {verified} equilibria VERIFIED, {refuted} perturbations REFUTED on {N_GAMES} games")
    assert verified >= N_GAMES


def test_rejects_non_pygambit_input():
    with pytest.raises(InvalidArgument, match="game"):
        from_pygambit(np.eye(2))
    with pytest.raises(InvalidArgument, match="profile"):
        pygambit_profile([0.5, 0.5])


def test_extensive_games_enter_through_their_strategic_form():
    import glob
    import os

    paths = sorted(glob.glob(os.path.join(os.path.dirname(gbt.__file__), "**", "*.efg"), recursive=True))
    two_player = [g for g in (gbt.read_efg(p) for p in paths[:12]) if len(g.players) == 2][:4]
    assert two_player
    for g in two_player:
        game = from_pygambit(g)
        assert game.dims == tuple(len(p.strategies) for p in g.players)
        result = gbt.nash.lcp_solve(g, rational=True, use_strategic=True)
        for prof in result.equilibria:
            cert = certify_local_nash(game, pygambit_profile(prof), eps=EPS, delta=DELTA)
            assert cert.verdict.value == "VERIFIED", cert.reasons
        behaviour = gbt.nash.lcp_solve(g, rational=True, use_strategic=False).equilibria[0]
        with pytest.raises(InvalidArgument, match="use_strategic"):
            pygambit_profile(behaviour)
        point = pygambit_profile(behaviour.as_strategy())
        assert certify_local_nash(game, point, eps=EPS, delta=DELTA).verdict.value == "VERIFIED"
