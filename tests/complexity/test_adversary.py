"""The adaptive adversary: every solver needs >= N/50 queries; the commitment is proper and consistent."""

from __future__ import annotations

import numpy as np
import pytest
from commitment_checks import assert_commitment_explains

from complexity._adversary import AdaptiveAdversary, check_commitment
from complexity._oracle import ColourOracle
from complexity._solvers import SOLVERS, solve
from constructions import InvalidArgument

# the scan reads all N^2 vertices, so it runs up to N = 64; the others up to N = 128
_CASES = [(name, n) for name in sorted(SOLVERS) for n in (16, 32, 64, 128) if not (name == "scan" and n > 64)]
# where N/50 >= 4, so the bound can fail: divide and conquer (~3N queries) at N = 512 and 1024, the
# walk (~20k queries, ~40 s) and the scan (all N^2 = 65536 vertices) at N = 256
_LARGE = [("divide-conquer", 512, 2), ("divide-conquer", 1024, 2),
          pytest.param("walk", 256, 1, marks=pytest.mark.slow),
          pytest.param("scan", 256, 1, marks=pytest.mark.slow)]


def _solve_against_the_adversary(name, n, seed):
    adv = AdaptiveAdversary(n, rng=seed)
    orc = ColourOracle(adv.colouring)
    res = solve(orc, solver=name)
    assert res.certified
    assert res.n_queries >= n / 50
    # the adversary was never forced before N/50 distinct queries
    assert adv.forced_at is None or adv.forced_at >= n / 50
    # no solver certifies without the adversary having been forced
    assert adv.forced_at is not None
    assert_commitment_explains(adv, orc, res)
    return res


@pytest.mark.parametrize(("name", "n"), _CASES)
def test_every_solver_needs_n_over_50_and_the_commitment_checks(name, n):
    for seed in range(2):
        _solve_against_the_adversary(name, n, seed)


@pytest.mark.parametrize(("name", "n", "seeds"), _LARGE)
def test_n_over_50_at_sizes_where_it_can_fail(name, n, seeds):
    assert n / 50 >= 4
    # measured (seed 0): divide and conquer 1518 queries at N = 512, 3052 at 1024 (about 3N);
    # the walk 20216 and the scan 65536 at N = 256
    for seed in range(seeds):
        _solve_against_the_adversary(name, n, seed)


def test_no_queried_solution_before_forcing():
    """Until forced, no queried cell is panchromatic and no queried Kuhn triangle fully labelled."""
    adv = AdaptiveAdversary(32, rng=5)
    rng = np.random.default_rng(0)
    V = rng.integers(0, 32, size=(300, 2))
    adv.colouring(V)
    if adv.forced_at is None:
        T = np.zeros((32, 32, 2), dtype=int)
        q = np.zeros((32, 32), dtype=bool)
        for (x, y), s in adv.transcript:
            T[x, y] = s
            q[x, y] = True
        for x in range(31):
            for y in range(31):
                if q[x:x + 2, y:y + 2].all():
                    s = T[x:x + 2, y:y + 2].reshape(4, 2)
                    assert not ((s[:, 0].min() < 0 < s[:, 0].max()) and (s[:, 1].min() < 0 < s[:, 1].max()))


def test_answers_are_final_and_repeats_consistent():
    adv = AdaptiveAdversary(20, rng=1)
    first = adv.colouring([[3, 4], [10, 10], [0, 19]])
    again = adv.colouring([[10, 10], [3, 4]])
    assert np.array_equal(again, first[[1, 0]])
    assert adv.n_queries == 5 and adv.n_distinct == 3


def test_tampered_commitment_is_rejected():
    adv = AdaptiveAdversary(12, rng=0)
    res = solve(adv.colouring, solver="divide-conquer")
    good = adv.commit()
    vals = np.array(good.values)
    (x, y), s = adv.transcript[len(adv.transcript) // 2]
    if 0 < x < 11 and 0 < y < 11:
        vals[x, y] = -np.array(s)
        from constructions.sperner import bisperner_colouring

        bad = bisperner_colouring(vals)
        assert not check_commitment(adv, bad, cells=[res.cell]).consistent


@pytest.mark.parametrize(
    ("fn", "kwargs", "word"),
    [
        (AdaptiveAdversary, {"n": 3}, "n"),
        (AdaptiveAdversary, {"n": 16, "radius": 0}, "radius"),
        (AdaptiveAdversary, {"n": 16, "rng": -1}, "rng"),
        (check_commitment, {"adversary": None, "committed": None}, "adversary"),
    ],
)
def test_invalid_arguments(fn, kwargs, word):
    with pytest.raises(InvalidArgument, match=word):
        fn(**kwargs)
