"""Tests of the DSZ lift's guarantees: fixed points only in panchromatic cells, extraction, checks, Game."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest

from certificates import projected_gradient_residual
from constructions import DSZSet, Game, InvalidArgument
from constructions.lift import (
    check_lift,
    extract_solution,
    find_fixed_point,
    lift_colouring,
    lifted_game,
    measure_constants,
)
from constructions.sperner import (
    bisperner_colouring,
    check_certificate,
    is_panchromatic,
    planted_instance,
    random_colouring,
)


@pytest.fixture(scope="module")
def planted2():
    inst = planted_instance(10, 2, target=(5, 3), n_solutions=3, rng=2)
    return inst, lift_colouring(inst.colouring)


@pytest.fixture(scope="module")
def planted3():
    inst = planted_instance(6, 3, target=(2, 1, 1), n_solutions=3, rng=0)
    return inst, lift_colouring(inst.colouring)


def _non_panchromatic_cells(inst):
    sols = {tuple(s) for s in inst.solutions.tolist()}
    cells = itertools.product(range(inst.n - 1), repeat=inst.d)
    return [c for c in cells if c not in sols]


def _sample_in_cell(rng, g, cell):
    d, n, D = g.d, g.n, g.Delta
    x = (np.asarray(cell) + rng.random(d)) / (n - 1)
    # y in the coupling band, often on its edges (where DSZ's blocking arguments live)
    u = rng.uniform(-1, 1, d)
    u = np.where(rng.random(d) < 0.3, np.sign(u), u)
    return x, np.clip(x + D * u, 0.0, 1.0)


# ------------------------------------------------------------------------------------------------
# fixed points live only in panchromatic cells
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["planted2", "planted3"])
def test_no_small_residual_outside_panchromatic_cells(fixture, request):
    inst, g = request.getfixturevalue(fixture)
    rng = np.random.default_rng(0)
    cells = _non_panchromatic_cells(inst)
    assert not any(is_panchromatic(inst.colouring, c) for c in cells)
    smallest = np.inf
    for k in range(3000):
        x, y = _sample_in_cell(rng, g, cells[k % len(cells)])
        smallest = min(smallest, g.residual(x, y))
    assert smallest >= g.alpha


@pytest.mark.parametrize("fixture", ["planted2", "planted3"])
def test_every_planted_cell_holds_a_fixed_point_that_extracts_back(fixture, request):
    inst, g = request.getfixturevalue(fixture)
    assert len(inst.solutions) == 3
    for cell in inst.solutions.tolist():
        fp = find_fixed_point(g, cell, rng=1)
        assert fp.success and fp.residual < g.alpha
        ex = extract_solution(g, fp.x, fp.y)
        assert ex.kind == "panchromatic" and ex.check.valid
        # the certificate's vertices are corners of the planted cell (the point may sit on a face)
        for w in np.vstack([ex.certificate.v, ex.certificate.u]):
            assert ((w - cell >= 0) & (w - cell <= 1)).all()
        assert check_certificate(inst.colouring, ex.certificate._replace(cell=tuple(cell))).valid
        # and the residual agrees with the certificates package on the localeq Game
        z = np.concatenate([fp.x, fp.y])
        assert projected_gradient_residual(g.game, z).joint == pytest.approx(fp.residual, abs=1e-12)


def test_local_search_fails_in_a_non_panchromatic_cell(planted2):
    inst, g = planted2
    fp = find_fixed_point(g, (0, 0), n_starts=2)
    assert not fp.success and fp.residual >= g.alpha


def test_extraction_reports_a_boundary_violation():
    # all signs +1: violates every upper face; x = y = (1, 1) is an exact GDA fixed point
    signs = np.ones((4, 4, 2), dtype=int)
    col = bisperner_colouring(signs, proper=False)
    g = lift_colouring(col, check_proper=False)
    assert g.residual([1, 1], [1, 1]) == 0.0
    ex = extract_solution(g, [1.0, 1.0], [1.0, 1.0])
    assert ex.kind == "violation"
    assert ex.violation.face == "upper" and ex.violation.colour == 1
    assert ex.violation.vertex[ex.violation.axis] == 3
    # a point with a large residual is refused
    with pytest.raises(InvalidArgument, match="residual"):
        extract_solution(g, [0.5, 0.5], [0.5, 0.5])


def test_extraction_in_high_dimension_uses_d_plus_1_vertices():
    inst = planted_instance(5, 6, target=(1, 2, 0, 3, 1, 2), rng=0)
    g = lift_colouring(inst.colouring)
    fp = find_fixed_point(g, inst.solutions[0], rng=0)
    assert fp.success
    ex = extract_solution(g, fp.x, fp.y)
    assert ex.kind == "panchromatic" and ex.check.valid
    assert ex.n_queries <= (g.d + 1) + 2 * g.d


# ------------------------------------------------------------------------------------------------
# smoothness checks as code
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "d"), [(6, 2), (5, 3), (4, 4)])
def test_check_lift_passes_on_random_instances(n, d):
    g = lift_colouring(random_colouring(n, d, rng=d))
    chk = check_lift(g, n_samples=80, rng=d)
    assert chk.passed, chk.message
    assert chk.partition_error <= 1e-14
    assert chk.face_value_jump <= 1e-12 and chk.face_gradient_jump <= 1e-9
    assert chk.kuhn_value_jump <= 1e-12 and chk.kuhn_gradient_jump <= 1e-9
    assert chk.max_support <= (4 if d == 2 else d + 1)
    assert chk.key_margin >= (0.75 if d == 2 else 0.5)


def test_key_inequality_2d_is_at_least_three_quarters(planted2):
    _, g = planted2
    chk = check_lift(g, n_samples=400, rng=3)
    assert chk.key_margin >= 0.75 - 1e-12 and chk.key_min_observed >= 0.75 - 1e-12


def test_check_lift_can_fail():
    g = lift_colouring(random_colouring(6, 3, rng=1))
    wide = dataclasses.replace(g.parameters, Delta=50 * g.Delta, alpha=50 * g.alpha)
    bad = dataclasses.replace(g, parameters=wide, _cache={})
    chk = check_lift(bad, n_samples=200, rng=0)
    assert not chk.passed and "key inequality" in chk.message


# ------------------------------------------------------------------------------------------------
# parameters: measured constants and the localeq Game
# ------------------------------------------------------------------------------------------------


def test_measured_constants_respect_the_proved_2d_bounds(planted2):
    _, g = planted2
    m = measure_constants(g, n_samples=60, n_steps=20, rng=0)
    p = g.parameters
    assert 1.0 <= m.G <= p.G_bound
    assert 0.0 < m.L <= p.L_bound
    g2 = g.with_measurements(m.G, m.L, m.method)
    assert g2.parameters.G_measured == m.G and "not a bound" in g2.parameters.measured_note


def test_game_is_a_labelled_minmax_game_on_the_dsz_set(planted3):
    _, g = planted3
    game = g.game
    assert isinstance(game, Game) and game.minmax and game.dims == (3, 3)
    assert isinstance(game.domain, DSZSet) and game.domain.Delta == g.Delta
    assert game.declared_smoothness[1].value == 0.0
    assert "parameters" in game.facts
    z = np.concatenate(_sample_in_cell(np.random.default_rng(0), g, (1, 1, 1)))
    f = g.value(z[:3], z[3:])
    assert game.utility(0, z) == -f and game.utility(1, z) == f
    gx, gy = g.gradient(z[:3], z[3:])
    assert np.array_equal(game.gradient(0, z), -gx) and np.array_equal(game.gradient(1, z), gy)
    assert np.allclose(game.hessian(0, z), -g.hessian(z[:3], z[3:])[:3, :3])
    g2d = lifted_game(planted_instance(6, 2, target=(2, 2), rng=0).colouring)
    assert g2d.declared_smoothness[0] is not None and "analytically" in g2d.declared_smoothness[0].source


# ------------------------------------------------------------------------------------------------
# bad inputs
# ------------------------------------------------------------------------------------------------


def _improper():
    s = np.ones((4, 4, 2), dtype=int)
    return bisperner_colouring(s, proper=False)


G2 = lift_colouring(planted_instance(6, 2, target=(2, 2), rng=0).colouring)


@pytest.mark.parametrize(
    ("fn", "kwargs", "named"),
    [
        (G2.value, {"x": [1.2, 0.5], "y": [1.0, 0.5]}, "x"),
        (G2.value, {"x": [0.5, 0.5], "y": [0.5, -0.1]}, "y"),
        (G2.gradient, {"x": [0.5, 0.5], "y": [0.5, 0.5 + 10 * G2.Delta]}, "Delta"),
        (G2.residual, {"x": [0.5, 0.5, 0.5], "y": [0.5, 0.5]}, "x"),
        (lift_colouring, {"colouring": _improper()}, "colouring"),
        (lift_colouring, {"colouring": G2.colouring, "Delta": 1.0}, "Delta"),
        (lift_colouring, {"colouring": G2.colouring, "Delta": -1.0}, "Delta"),
        (lift_colouring, {"colouring": G2.colouring, "scheme": "bilinear"}, "scheme"),
        (lift_colouring, {"colouring": np.ones((3, 3, 2))}, "colouring"),
        (find_fixed_point, {"lifted": G2, "cell": (5, 0)}, "cell"),
        (extract_solution, {"lifted": "game", "x": [0, 0], "y": [0, 0]}, "lifted"),
        (check_lift, {"lifted": G2, "n_samples": 0}, "n_samples"),
    ],
)
def test_rejects_invalid_arguments(fn, kwargs, named):
    with pytest.raises(InvalidArgument, match=named):
        fn(**kwargs)


def test_grid_too_coarse_for_a_chosen_delta_names_n():
    col = planted_instance(9, 2, target=(3, 3), rng=0).colouring
    ok = lift_colouring(col, Delta=1 / 8 / 12)
    assert ok.Delta == pytest.approx(1 / 96)
    with pytest.raises(InvalidArgument, match=r"Delta=.*n=9"):
        lift_colouring(col, Delta=1 / 90)
