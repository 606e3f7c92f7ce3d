"""Black-box Sperner solvers: answers agree with brute force, counts match the oracle, query bounds."""

from __future__ import annotations

import numpy as np
import pytest

from complexity._adversary import AdaptiveAdversary
from complexity._oracle import ColourOracle, QueryBudgetExceeded
from complexity._solvers import SOLVERS, box_index, solve
from complexity._tunnel import TunnelAdversary
from constructions import InvalidArgument
from constructions.sperner import (
    bisperner_colouring,
    boundary_index,
    check_certificate,
    fully_labelled_simplices,
    panchromatic_cells,
    planted_instance,
    random_colouring,
    sperner_colouring,
)

NAMES = sorted(SOLVERS)


def _brute_force_cells(col):
    """Cells of all fully labelled Kuhn simplices (exhaustive, independent of the solvers)."""
    return {tuple(int(x) for x in c) for c in fully_labelled_simplices(col).cells}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(("n", "d"), [(2, 2), (5, 2), (12, 2), (4, 3), (7, 3)])
@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("kind", ["bisperner", "sperner"])
def test_answers_are_solutions_found_by_brute_force(name, n, d, seed, kind):
    col = random_colouring(n, d, kind=kind, rng=seed)
    res = solve(col, solver=name)
    assert res.kind == "simplex" and res.certified
    assert res.cell in _brute_force_cells(col)
    assert sorted(res.labels) == list(range(d + 1))
    if kind == "bisperner":
        assert check_certificate(col, res.certificate).valid
        assert res.cell in {tuple(c) for c in panchromatic_cells(col).tolist()}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(("n", "d"), [(9, 2), (20, 2), (6, 3), (9, 3)])
def test_planted_instances_give_the_planted_cell(name, n, d):
    for seed in range(3):
        inst = planted_instance(n, d, rng=seed)
        res = solve(inst.colouring, solver=name)
        assert res.certified and res.cell == tuple(int(x) for x in inst.solutions[0])


@pytest.mark.parametrize("name", NAMES)
def test_counts_equal_the_oracle_and_an_independent_count(name):
    inst = planted_instance(24, 2, rng=3)
    reads = []
    base = inst.colouring

    def logged(V):
        reads.extend(map(tuple, np.asarray(V).tolist()))
        return base._query(V)

    import dataclasses

    spy = dataclasses.replace(base, values=None, func=logged)
    orc = ColourOracle(spy)
    res = solve(orc, solver=name)
    assert res.n_queries + res.n_check_queries == orc.counter.n_queries == len(reads)
    # the memo means the search never reads a vertex twice
    search_reads = reads[: res.n_queries]
    assert len(set(search_reads)) == len(search_reads)
    # without an oracle the solver counts by itself, identically
    assert solve(inst.colouring, solver=name).n_queries == res.n_queries


def test_budget_stops_the_search():
    inst = planted_instance(64, 2, rng=0)
    with pytest.raises(QueryBudgetExceeded):
        solve(inst.colouring, solver="divide-conquer", budget=50)
    assert solve(inst.colouring, solver="divide-conquer", budget=4 * 64).certified


def test_box_index_agrees_with_the_door_index():
    for seed in range(10):
        rng = np.random.default_rng(seed)
        d = 2 + seed % 2
        n = 8 if d == 2 else 5
        col = random_colouring(n, d, rng=seed)
        lo = rng.integers(0, n - 2, d)
        hi = np.minimum(lo + rng.integers(1, n, d), n - 1)
        assert box_index(col, lo, hi) == boundary_index(col, lo=lo, hi=hi)


def test_improper_colourings_give_a_real_violation():
    signs = np.ones((6, 6, 2), dtype=int)
    signs[5, :, 0] = -1
    signs[:, 5, 1] = -1
    signs[2, 0, 1] = -1  # C^1 = -1 on the bottom face: a violation
    signs[1:5, 1:5] = 1  # no panchromatic cell in the interior
    col = bisperner_colouring(signs, proper=False)
    for name in NAMES:
        res = solve(col, solver=name, **({"check_boundary": True} if name == "divide-conquer" else {}))
        assert res.certified
        if res.kind == "violation":
            assert res.violation.vertex == (2, 0) and res.violation.face == "lower"
        else:
            assert res.cell in _brute_force_cells(col)


def test_divide_conquer_at_most_8n_in_2d():
    """Acceptance: <= 8N colour queries (boundary included) on random, planted and adversarial 2D grids."""
    worst = 0.0
    for n in (16, 64, 256, 1024):
        cols = [planted_instance(n, 2, rng=1).colouring,
                planted_instance(n, 2, n_solutions=3, rng=2).colouring,
                random_colouring(n, 2, rng=n)]
        for col in cols:
            for cb in (False, True):
                orc = ColourOracle(col)
                res = solve(orc, solver="divide-conquer", check_boundary=cb)
                assert res.certified
                assert res.n_queries <= 8 * n
                assert orc.counter.n_queries == res.n_queries + res.n_check_queries  # every read counted
                worst = max(worst, res.n_queries / n)
        for adv in (AdaptiveAdversary(n, rng=n), TunnelAdversary(n, rng=n)):
            res = solve(adv.colouring, solver="divide-conquer", check_boundary=True)
            assert res.certified and res.n_queries <= 8 * n
            assert adv.n_queries == res.n_queries + res.n_check_queries
            worst = max(worst, res.n_queries / n)
    assert worst <= 7.0  # reached: ~3.0 N without and ~7.0 N with the boundary read (random N = 1024: 6.97 N)


def test_walk_needs_theta_n_squared_on_planted_paths():
    """Acceptance: door following reads Theta(N^2) vertices on the planted snake."""
    ratios = []
    for n in (16, 32, 64, 96):
        inst = planted_instance(n, 2, target=(n // 2, n // 2), rng=0)
        res = solve(inst.colouring, solver="walk")
        assert res.certified
        ratios.append(res.n_queries / n**2)
    assert 0.3 <= min(ratios) and max(ratios) <= 1.5  # measured 0.70 .. 0.85
    dc = solve(planted_instance(96, 2, target=(48, 48), rng=0).colouring, solver="divide-conquer")
    assert dc.n_queries < ratios[-1] * 96**2 / 10


def test_divide_conquer_3d_is_order_n_squared():
    """Acceptance: d = 3, O(N^{d-1}) queries with a certified answer on random and planted instances."""
    for n in (8, 16, 32):
        for col in (planted_instance(n, 3, rng=n).colouring, random_colouring(n, 3, rng=n)):
            res = solve(col, solver="divide-conquer")
            assert res.certified and check_certificate(col, res.certificate).valid
            assert res.n_queries <= 3 * n**2  # measured ~2.3 N^2
            res = solve(col, solver="divide-conquer", check_boundary=True)
            assert res.certified and res.n_queries <= 9 * n**2  # measured ~8 N^2


def test_sperner_kind_on_labels():
    col = sperner_colouring(np.array([[0, 2], [1, 1]]))
    for name in NAMES:
        res = solve(col, solver=name)
        assert res.cell == (0, 0) and res.certificate is None and res.certified


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"colouring": np.zeros((3, 3)), "solver": "scan"}, "colouring"),
        ({"colouring": random_colouring(4, 2, rng=0), "solver": "bogus"}, "solver"),
        ({"colouring": random_colouring(4, 2, rng=0), "budget": 0}, "budget"),
        ({"colouring": random_colouring(4, 2, rng=0), "budget": -3}, "budget"),
        ({"colouring": random_colouring(4, 2, rng=0), "check_boundary": "yes"}, "check_boundary"),
        ({"colouring": random_colouring(4, 2, rng=0), "solver": "walk", "max_steps": 0}, "max_steps"),
    ],
)
def test_invalid_arguments(kwargs, word):
    with pytest.raises(InvalidArgument, match=word):
        solve(**kwargs)


def test_box_index_rejects_bad_boxes():
    with pytest.raises(InvalidArgument, match="lo"):
        box_index(random_colouring(5, 2, rng=0), [3, 0], [2, 4])
