"""Second-order certificates: Newton–Kantorovich, differential Nash, strict local minimax.

Every expected verdict is derived by hand in the test's docstring (or taken from the cited
source) and, where possible, cross-checked against an independent computation: a
high-precision root from mpmath, a brute-force grid, numpy eigenvalues.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from certificates import Verdict, certify_local_nash
from certificates._second_order import (
    certify_differential_nash,
    certify_kantorovich,
    certify_local_minimax,
    exact_inertia,
)
from constructions import (
    Box,
    InvalidArgument,
    ProductSet,
    Simplex,
    game_from_callables,
    game_from_sympy,
    matching_pennies,
    minmax_from_sympy,
    quadratic_saddle,
)

x, y = sp.symbols("x y")


def double_well(domain=None):
    r"""u_1 = -(x^2-1)^2 + xy/10, u_2 = -(y^2-1)^2 + xy/10 (nonconcave in own variable).

    Derived: own Hessians are -(12x^2 - 4), -(12y^2 - 4): negative near (1, 1) (a strict
    local Nash equilibrium near (1, 1)), positive near (0, 0) (the critical point 0 is a
    local *minimum* of each player's utility: wrong inertia)."""
    u1 = -((x**2 - 1) ** 2) + sp.Rational(1, 10) * x * y
    u2 = -((y**2 - 1) ** 2) + sp.Rational(1, 10) * x * y
    return game_from_sympy([u1, u2], [[x], [y]], domain=domain, name="double-well"), (u1, u2)


def true_root(exprs, start):
    mpmath.mp.dps = 50
    fs = [sp.lambdify((x, y), sp.diff(e, s), "mpmath") for e, s in zip(exprs, (x, y), strict=True)]
    root = mpmath.findroot(lambda a, b: [fs[0](a, b), fs[1](a, b)], start)
    return [root[0], root[1]]


# ---------------------------------------------------------------------------------
# Kantorovich
# ---------------------------------------------------------------------------------


def test_kantorovich_radius_contains_the_high_precision_root():
    game, exprs = double_well()
    cand = [1.0, 1.0]
    cert = certify_kantorovich(game, cand)
    assert cert.verdict is Verdict.VERIFIED and cert.evaluation == "exact-rational"
    root = true_root(exprs, cand)
    dist = mpmath.sqrt((root[0] - cand[0]) ** 2 + (root[1] - cand[1]) ** 2)
    assert 0 < dist <= cert.existence_radius
    assert cert.existence_radius <= 2 * cert.eta0  # r* <= 2 eta0 always
    assert cert.h <= 0.5
    # the radius is not absurdly loose: within a factor 2 of the true distance here
    assert cert.existence_radius <= 2 * float(dist)


def test_kantorovich_ball_arithmetic_for_transcendental_game():
    """u = -exp(x) + 2x: u' = 2 - exp(x), unique zero ln 2."""
    game = game_from_sympy([-sp.exp(x) + 2 * x], [[x]])
    cert = certify_kantorovich(game, [0.69])
    assert cert.verdict is Verdict.VERIFIED and cert.evaluation == "ball-arithmetic"
    assert abs(0.69 - math.log(2)) <= cert.existence_radius
    assert cert.existence_radius < 0.01


def test_kantorovich_exact_zero_has_radius_zero():
    cert = certify_kantorovich(quadratic_saddle(), [0.0, 0.0])
    assert cert.verdict is Verdict.VERIFIED and cert.existence_radius == 0.0 and cert.eta0 == 0.0


def test_kantorovich_fails_far_from_a_root():
    """u = -x^3/3 + x has zeros of u' at +-1; from 0.1 the Newton step is far too long."""
    game = game_from_sympy([-(x**3) / 3 + x], [[x]])
    cert = certify_kantorovich(game, [0.1])
    assert cert.verdict is Verdict.INCONCLUSIVE and "h = " in cert.reasons[0]


def test_kantorovich_callable_game_needs_declared_gamma():
    """u = -x^2/2 + x as callables: zero at 1, Jacobian constant -1 (gamma = 0)."""
    game = game_from_callables([lambda z: -z[0] ** 2 / 2 + z[0]], [lambda z: np.array([1 - z[0]])],
                               dims=[1])
    assert certify_kantorovich(game, [0.9]).verdict is Verdict.INCONCLUSIVE
    cert = certify_kantorovich(game, [0.9], jacobian_lipschitz=0.0)
    assert cert.verdict is Verdict.VERIFIED and cert.evaluation == "float-estimate"
    assert cert.existence_radius == pytest.approx(0.1, rel=1e-6)
    assert any("central-difference" in a for a in cert.assumptions)
    assert cert.trusted_jacobian is not None


# ---------------------------------------------------------------------------------
# differential Nash
# ---------------------------------------------------------------------------------


def test_dne_quadratic_saddle_at_zero():
    """quadratic_saddle: own Hessians of u_x = -f, u_y = f are -1, -1 (Wang et al. 2020)."""
    cert = certify_differential_nash(quadratic_saddle(), [0.0, 0.0])
    assert cert.verdict is Verdict.VERIFIED
    assert all(t.decision == "negative-definite" for t in cert.hessians)


def test_dne_nonconvex_game_near_a_strict_local_nash():
    game, exprs = double_well(domain=ProductSet([Box([-2.0], [2.0]), Box([-2.0], [2.0])]))
    cert = certify_differential_nash(game, [1.01, 0.99])
    assert cert.verdict is Verdict.VERIFIED
    root = true_root(exprs, [1.0, 1.0])
    # independent check: the true root is in the ball and own Hessians are negative there
    assert float(mpmath.sqrt((root[0] - 1.01) ** 2 + (root[1] - 0.99) ** 2)) <= cert.existence_radius
    assert -(12 * float(root[0]) ** 2 - 4) < 0 and -(12 * float(root[1]) ** 2 - 4) < 0
    # and the first-order certificate agrees that the root is a local Nash point
    assert certify_local_nash(game, [float(root[0]), float(root[1])], eps=1e-5, delta=1e-3).verified


def test_dne_refuted_at_a_local_minimum_of_the_utilities():
    game, _ = double_well()
    cert = certify_differential_nash(game, [0.0, 0.0])
    assert cert.verdict is Verdict.REFUTED
    assert {t.decision for t in cert.hessians} == {"wrong-sign"}
    v = cert.hessians[0].witness
    assert v is not None and abs(np.linalg.norm(v) - 1) < 1e-12


@pytest.mark.parametrize("u", [x**3, -(x**4)])
def test_degenerate_critical_points_are_undecided(u):
    """x^3 (inflection) and -x^4 (a strict max, but H = 0): both have J(0) = 0."""
    cert = certify_differential_nash(game_from_sympy([u], [[x]]), [0.0])
    assert cert.verdict is Verdict.INCONCLUSIVE
    assert "singular" in cert.reasons[0]


def test_dne_undecided_when_hessian_vanishes_but_jacobian_is_regular():
    """u_1 = x*y - x^3... simpler: u_1 = x y, u_2 = -x y - y^2/2 (own Hessians 0, -1);
    J = [[0, 1], [-1, -1]] is regular, so the zero at 0 is proved, but player 0's own
    Hessian is exactly 0: neither definite nor wrong-sign."""
    game = game_from_sympy([x * y, -x * y - y**2 / 2], [[x], [y]])
    cert = certify_differential_nash(game, [0.0, 0.0])
    assert cert.kantorovich.verified
    assert cert.verdict is Verdict.INCONCLUSIVE
    assert cert.hessians[0].decision == "undecided"


def test_dne_needs_an_interior_point():
    game, _ = double_well(domain=ProductSet([Box([-2.0], [1.0]), Box([-2.0], [2.0])]))
    cert = certify_differential_nash(game, [1.0, 1.0])  # root lies just outside x <= 1
    assert cert.verdict is Verdict.INCONCLUSIVE and "interior" in " ".join(cert.reasons)
    cert = certify_differential_nash(matching_pennies(), [0.5, 0.5, 0.5, 0.5])
    assert cert.verdict is Verdict.INCONCLUSIVE


# ---------------------------------------------------------------------------------
# local minimax
# ---------------------------------------------------------------------------------


def test_local_minimax_that_is_not_local_nash():
    r"""f = -x^2 + 4xy - y^2 (derived from the JNJ 2020 second-order conditions):
    A = -2, B = -2, C = 4, A - C B^{-1} C = -2 + 8 = 6 > 0: strict local minimax; A < 0, so
    (0, 0) is not a local Nash equilibrium (the minimiser gains by moving along x).
    Brute force: f(0, y) = -y^2 <= 0 and max_{|y'| <= 2 delta} f(x, y') >= 3x^2 >= 0."""
    f = -(x**2) + 4 * x * y - y**2
    game = minmax_from_sympy(f, [x], [y])
    cert = certify_local_minimax(game, [1e-3, 2e-3])
    assert cert.verdict is Verdict.VERIFIED and cert.also_local_nash is False
    assert cert.existence_radius >= math.hypot(1e-3, 2e-3)
    F = sp.lambdify((x, y), f)
    d = 0.05
    ys = np.linspace(-d, d, 41)
    assert np.all(F(0.0, ys) <= 0.0)
    for xv in np.linspace(-d, d, 41):
        assert np.max(F(xv, np.linspace(-2 * d, 2 * d, 801))) >= -1e-12
    assert certify_local_nash(game, [0.0, 0.0], eps=1e-4, delta=0.05).verdict is Verdict.REFUTED


def test_local_minimax_nonquadratic_with_kantorovich_step():
    f = -(x**2) + 4 * x * y - y**2 + x**3 / 3 + x * y**3
    game = minmax_from_sympy(f, [x], [y])
    cert = certify_local_minimax(game, [2e-3, -1e-3])
    assert cert.verdict is Verdict.VERIFIED
    assert cert.kantorovich.gamma > 0 and cert.existence_radius >= math.hypot(2e-3, 1e-3)


def test_saddle_is_both_local_minimax_and_local_nash():
    cert = certify_local_minimax(quadratic_saddle(), [0.0, 0.0])
    assert cert.verdict is Verdict.VERIFIED and cert.also_local_nash is True
    assert cert.inertia_upper == (1, 1, 0) and cert.inertia_lower == (1, 1, 0)


@pytest.mark.parametrize(
    "f, why",
    [(x**2 + 4 * x * y + y**2, "positive curvature"),  # B = 2 > 0
     (-3 * x**2 + 2 * x * y - y**2, "Schur")],  # B = -2, S = -6 + 2 = -4 < 0
)
def test_local_minimax_refuted_by_wrong_inertia(f, why):
    cert = certify_local_minimax(minmax_from_sympy(f, [x], [y]), [0.0, 0.0])
    assert cert.verdict is Verdict.REFUTED and why in " ".join(cert.reasons)


def test_local_minimax_degenerate_is_undecided():
    """f = x^2 y^2 - y^4: the Hessian at 0 vanishes (J singular)."""
    cert = certify_local_minimax(minmax_from_sympy(x**2 * y**2 - y**4, [x], [y]), [0.0, 0.0])
    assert cert.verdict is Verdict.INCONCLUSIVE


# ---------------------------------------------------------------------------------
# exact inertia vs numpy
# ---------------------------------------------------------------------------------


@settings(max_examples=150)
@given(st.integers(1, 5).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.integers(-4, 4), min_size=n * n, max_size=n * n),
    st.integers(0, 4))))
def test_exact_inertia_matches_numpy(data):
    n, entries, rank_cut = data
    B = np.array(entries, dtype=float).reshape(n, n)
    k = max(1, n - rank_cut)
    M = B[:k].T @ np.diag(np.arange(-1, k - 1) + 0.5)[:k, :k] @ B[:k] * 2  # integer, maybe singular
    M = np.rint(M).astype(int)
    M = (M + M.T)
    ev = np.linalg.eigvalsh(M.astype(float))
    tol = 1e-7 * max(1.0, float(np.max(np.abs(ev))))
    pos, neg, zero = exact_inertia(M.tolist())
    assert (pos, neg, zero) == (int(np.sum(ev > tol)), int(np.sum(ev < -tol)), int(np.sum(np.abs(ev) <= tol)))


# ---------------------------------------------------------------------------------
# invalid arguments
# ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fn", "kwargs", "needle"),
    [
        (certify_kantorovich, {"game": "g", "x": [0.0]}, "game"),
        (certify_kantorovich, {"game": quadratic_saddle(), "x": [0.0]}, "x"),
        (certify_kantorovich, {"game": quadratic_saddle(), "x": [0.0, 0.0], "radius": -1.0}, "radius"),
        (certify_differential_nash, {"game": quadratic_saddle(), "x": [0.0, math.nan]}, "x"),
        (certify_differential_nash, {"game": quadratic_saddle(), "x": [0.0, 0.0],
                                     "jacobian_lipschitz": -2.0}, "jacobian_lipschitz"),
        (certify_local_minimax, {"game": game_from_sympy([x], [[x]]), "x": [0.0]}, "game"),
        (certify_local_minimax, {"game": matching_pennies(), "x": [0.5] * 4}, "game"),
    ],
)
def test_rejects_invalid_arguments(fn, kwargs, needle):
    with pytest.raises(InvalidArgument, match=needle):
        fn(**kwargs)


def test_exact_inertia_rejects_nonsymmetric():
    with pytest.raises(InvalidArgument, match="symmetric"):
        exact_inertia([[0, 1], [2, 0]])
    assert Simplex  # imported for the interior test family
