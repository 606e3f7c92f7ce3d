"""Tests of the DSZ lift's guarantees: fixed points only in panchromatic cells, extraction, checks, Game."""

from __future__ import annotations

import dataclasses
import itertools
import json
from importlib import resources

import numpy as np
import pytest
from scipy.optimize import minimize

from certificates import projected_gradient_residual
from constructions import DSZSet, Game, InvalidArgument
from constructions.lift import (
    check_lift,
    extract_solution,
    find_fixed_point,
    lift_colouring,
    lifted_game,
    measure_constants,
    seic_coefficients,
    seic_variation,
    smoothstep2,
    smoothstep_inf,
)
from constructions.lift._lifted import _seic_variation
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


def test_extraction_reports_a_boundary_violation_in_3d_seic():
    # all signs +1 on a 4x4x4 grid breaks the rule C^i = -1 on every upper face; the SEIC lift
    # (d + 1 chain vertices) has an exact GDA fixed point at the top corner x = y = (1, 1, 1)
    n, d = 4, 3
    col = bisperner_colouring(np.ones((n,) * d + (d,), dtype=int), proper=False)
    g = lift_colouring(col, check_proper=False)
    assert g.scheme == "seic"
    rng = np.random.default_rng(0)
    for x in [np.ones(d), 1.0 - g.Delta * 1e-4 * rng.random(d)]:
        y = np.ones(d)
        assert g.residual(x, y) < g.alpha
        ex = extract_solution(g, x, y)
        assert ex.kind == "violation" and ex.certificate is None
        v, i = ex.violation.vertex, ex.violation.axis
        # independently: the vertex is on the upper face of axis i and its colour there is +1
        assert v[i] == n - 1 and ex.violation.face == "upper" and ex.violation.colour == 1
        assert int(col(np.array([v]))[0, i]) == 1
        assert ex.n_queries <= d + 1


@pytest.mark.parametrize(("n", "d"), [(4, 5), (3, 6), (3, 8)])
def test_check_lift_key_margin_in_higher_dimension(n, d):
    g = lift_colouring(random_colouring(n, d, rng=d))
    chk = check_lift(g, n_samples=60, rng=d)
    assert chk.passed, chk.message
    assert chk.key_margin >= 0.5 and chk.key_min_observed >= 0.5
    # the measured margin respects the one implied by V_d: 1 - (d-1) V / (4 d V_hat) >= 3/4 when the
    # estimate is exact; the sampled x rarely reach the sup, so it is higher still
    assert chk.key_margin >= 0.75 - 1e-12


# ------------------------------------------------------------------------------------------------
# V_d: the precomputed table and an independent, stronger search
# ------------------------------------------------------------------------------------------------


def _variation(p):
    it = seic_coefficients(np.clip(p, 0.0, 1.0), 2)  # N = 2: one cell, x = p
    return float(np.abs(it.jacobian).sum(axis=0).max())


def strong_variation(d, n_starts=15, seed=2024):
    """Multi-start Nelder-Mead + Powell maximisation of sup_{p,i} sum_v |dP_v/dp_i| (independent of
    seic_variation's search): random starts, near-tie clusters, near-face points and increasing
    progressions, each run to convergence in all d coordinates."""
    rng = np.random.default_rng(seed)
    best = 0.0
    for k in range(n_starts):
        kind = k % 5
        if kind == 0:
            s = rng.random(d)
        elif kind == 1:
            s = np.clip(rng.random() + 10 ** rng.uniform(-3, -1) * rng.standard_normal(d), 0, 1)
        elif kind == 2:
            s = np.abs(rng.choice([0.0, 1.0], d) - 0.15 * rng.random(d))
        else:
            a, b = rng.uniform(0.05, 0.45), rng.uniform(0.55, 0.95)
            s = np.clip(np.linspace(a, b, d) + 0.01 * rng.standard_normal(d), 0, 1)
        r = minimize(lambda z: -_variation(z), s, method="Nelder-Mead",
                     options={"maxfev": 300 * d + 200, "xatol": 1e-9, "fatol": 1e-12, "adaptive": d > 4})
        r = minimize(lambda z: -_variation(z), np.clip(r.x, 0, 1), method="Powell",
                     options={"maxfev": 100 * d + 100, "xtol": 1e-9, "ftol": 1e-13})
        best = max(best, -float(r.fun))
    return best


#: strong_variation(d, 15, 2024) / seic_variation(d), measured on 2026-12-04 (documentation, not asserted);
#: the previous estimator (random search only) gave 1.046, 1.127, 1.040, 1.834, 1.371 at d = 3, 6, 8, 9, 10
STRONG_OVER_ESTIMATE = {1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0, 5: 1.0, 6: 1.0117, 7: 1.0211, 8: 1.0129, 9: 1.0320,
                        10: 1.0386, 11: 1.0214, 12: 1.0878}


@pytest.mark.slow
@pytest.mark.parametrize("d", [2, 4, 6, 8])
def test_stronger_search_stays_within_the_safety_factor(d):
    # Delta = delta / (4 d V_hat) keeps the key margin >= 1/2 while the true V_d <= 2 V_hat
    strong = strong_variation(d, n_starts=5 if d > 4 else 10)
    assert strong <= 2.0 * seic_variation(d)
    # and the measured key margin of the worst colouring at the strongest point found is >= 1/2:
    # 1 - (d - 1) Delta strong / delta
    assert 1.0 - (d - 1) * strong / (4 * d * seic_variation(d)) >= 0.5


def _table():
    return json.loads(resources.files("constructions.lift").joinpath("seic_variation_table.json").read_text())


@pytest.mark.slow
@pytest.mark.parametrize("d", [1, 2, 3])
def test_variation_table_matches_a_recomputation(d):
    table = _table()
    eff = table["effort"]
    assert (eff["n_samples"], eff["n_steps"], eff["rng"]) == (300, 150, 0)
    fresh = _seic_variation(d, eff["n_samples"], eff["n_steps"], eff["rng"])
    assert fresh == pytest.approx(table["values"][str(d)], rel=1e-9)
    assert seic_variation(d) >= table["values"][str(d)]


def test_variation_table_is_used_and_envelope_is_monotone():
    table = _table()
    vals = {int(k): v for k, v in table["values"].items()}
    assert set(vals) == set(range(1, max(vals) + 1)) and max(vals) >= 32
    used = [seic_variation(d) for d in range(1, max(vals) + 1)]
    assert used == sorted(used)  # running maximum of the raw values
    assert all(u >= vals[d] for d, u in zip(range(1, max(vals) + 1), used, strict=True))
    # d = 1: P_t = S_inf(S(p)) exactly (the two weights sum to 1), so V_1 = 2 max_p |d/dp S_inf(S(p))|
    p = np.linspace(0.0, 1.0, 2_000_001)
    v1 = 2.0 * np.max(np.abs(np.gradient(smoothstep_inf(smoothstep2(p)), p)))
    assert seic_variation(1) == pytest.approx(v1, rel=1e-6)
