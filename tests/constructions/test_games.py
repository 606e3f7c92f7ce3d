"""The game model and the classic games, checked against theory and brute force."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from constructions import (
    Box,
    InvalidArgument,
    ProductSet,
    bilinear,
    classic_game,
    game_from_callables,
    game_from_sympy,
    lorenz_game,
    matching_pennies,
    minmax_from_sympy,
    minmax_game,
    normal_form_game,
    prisoners_dilemma,
    quadratic_saddle,
    squared_difference,
)


def fd_grad(fun, x, idx, h=1e-6):
    out = []
    for k in idx:
        e = np.zeros_like(x)
        e[k] = h
        out.append((fun(x + e) - fun(x - e)) / (2 * h))
    return np.array(out)


@given(st.lists(st.floats(-2, 2), min_size=3, max_size=3))
def test_sympy_gradients_and_hessians_match_finite_differences(vals):
    x1, x2, y = sp.symbols("x1 x2 y")
    f = sp.sin(x1 * y) + x2**3 * y - sp.exp(x1 - y) / 3
    game = minmax_from_sympy(f, [x1, x2], [y])
    z = np.array(vals)
    for i, idx in ((0, [0, 1]), (1, [2])):
        num = fd_grad(lambda v, i=i: game.utility(i, v), z, idx)
        np.testing.assert_allclose(game.gradient(i, z), num, rtol=1e-6, atol=1e-6)
        H = game.hessian(i, z)
        numH = np.array([fd_grad(lambda v, i=i, r=r: game.gradient(i, v)[r], z, idx)
                         for r in range(len(idx))])
        np.testing.assert_allclose(H, numH, rtol=1e-5, atol=1e-5)


@given(st.lists(st.floats(-3, 3), min_size=2, max_size=2), st.floats(1e-3, 0.5))
def test_ball_arithmetic_enclosures_contain_the_truth(vals, delta):
    x, y = sp.symbols("x y")
    f = sp.cos(3 * x) * y**2 + x**4 / 7
    game = minmax_from_sympy(f, [x], [y])
    z = np.array(vals)
    lo, hi = game.utility_enclosure(1, z)
    # exact value with 50 digits, independent of the float path
    exact = sp.N(f.subs({x: sp.Float(z[0], 60), y: sp.Float(z[1], 60)}), 50)
    assert sp.Float(lo, 60) <= exact <= sp.Float(hi, 60)
    assert game.gradient_error(0, z) < 1e-12
    # local smoothness bounds the true |f_xx| everywhere in the box (dense sampling)
    L = game.local_smoothness(0, z, delta).value
    fxx = sp.lambdify((x, y), sp.diff(f, x, 2))
    grid = np.linspace(z[0] - delta, z[0] + delta, 201)
    assert np.max(np.abs(fxx(grid, z[1]))) <= L


def test_normal_form_mixed_extension_matches_brute_force():
    rng = np.random.default_rng(3)
    P = rng.normal(size=(3, 2, 3, 4))
    game = normal_form_game(P)
    xs = [rng.dirichlet(np.ones(a)) for a in (2, 3, 4)]
    x = np.concatenate(xs)
    for i in range(3):
        brute = sum(P[(i, *s)] * xs[0][s[0]] * xs[1][s[1]] * xs[2][s[2]]
                    for s in itertools.product(range(2), range(3), range(4)))
        assert game.utility(i, x) == pytest.approx(brute, abs=1e-12)
        lo, hi = game.utility_enclosure(i, x)
        assert lo <= brute + 1e-15 and brute - 1e-15 <= hi
        # gradient: expected payoff of each pure action of player i
        g = game.gradient(i, x)
        for a in range(P.shape[i + 1]):
            ys = [v.copy() for v in xs]
            ys[i] = np.eye(P.shape[i + 1])[a]
            brute_a = sum(P[(i, *s)] * ys[0][s[0]] * ys[1][s[1]] * ys[2][s[2]]
                          for s in itertools.product(range(2), range(3), range(4)))
            assert g[a] == pytest.approx(brute_a, abs=1e-12)
        assert np.all(game.hessian(i, x) == 0)


def test_bilinear_gda_spirals_out():
    game = bilinear(bound=None)
    z = np.array([0.1, 0.1])
    eta = 0.1
    r0 = np.linalg.norm(z)
    for _ in range(50):
        z = z + eta * game.pseudo_gradient(z)
    # each step multiplies the radius by sqrt(1 + eta^2) exactly
    assert np.linalg.norm(z) == pytest.approx(r0 * (1 + eta**2) ** 25, rel=1e-9)


@pytest.mark.parametrize("eta, converges", [(0.015, True), (0.019, True), (0.021, False),
                                            (0.05, False)])
def test_quadratic_saddle_gda_threshold_is_2_over_101(eta, converges):
    game = quadratic_saddle()
    assert game.facts["gda_converges_iff_step_below"] == pytest.approx(2 / 101)
    z0 = np.array([0.3, -0.2])
    z = z0.copy()
    for _ in range(3000):
        z = z + eta * game.pseudo_gradient(z)
    ratio = np.linalg.norm(z) / np.linalg.norm(z0)
    # per step the norm is multiplied by sqrt((1 - eta)^2 + 100 eta^2) exactly
    assert ratio == pytest.approx(((1 - eta) ** 2 + 100 * eta**2) ** 1500, rel=1e-6)
    assert (ratio < 1) == converges


def test_squared_difference_has_no_pure_nash_on_a_grid():
    game = squared_difference()
    grid = np.linspace(-1, 1, 41)
    f = (grid[:, None] - grid[None, :]) ** 2  # f[x1, x2]
    # Nash: x1 minimises f(., x2) and x2 maximises f(x1, .)
    nash = [(a, b) for a in range(41) for b in range(41)
            if f[a, b] <= f[:, b].min() and f[a, b] >= f[a, :].max()]
    assert nash == []
    assert game.facts["nash_equilibria"] == []
    for pt in game.facts["first_order_local_nash"]:
        assert np.all(game.pseudo_gradient(np.array(pt)) == 0)


def test_lorenz_game_gradient_play_is_the_lorenz_field():
    s, r, b = 10.0, 28.0, 8.0 / 3.0
    game = lorenz_game(s, r, b)
    rng = np.random.default_rng(0)
    for _ in range(20):
        x = rng.normal(size=3) * 10
        field = np.array([s * (x[1] - x[0]), x[0] * (r - x[2]) - x[1], x[0] * x[1] - b * x[2]])
        np.testing.assert_allclose(game.pseudo_gradient(x), field, rtol=1e-12, atol=1e-9)
    for eq in game.facts["nash_equilibria"]:
        assert np.max(np.abs(game.pseudo_gradient(np.array(eq)))) < 1e-12
    np.testing.assert_allclose([game.hessian(i, np.zeros(3))[0, 0] for i in range(3)], [-s, -1, -b])


def test_prisoners_dilemma_defect_dominates():
    game = prisoners_dilemma()
    rng = np.random.default_rng(1)
    for _ in range(50):
        y = rng.dirichlet([1, 1])
        x = rng.dirichlet([1, 1])
        g0 = game.gradient(0, np.concatenate([x, y]))
        g1 = game.gradient(1, np.concatenate([x, y]))
        assert g0[1] > g0[0] and g1[1] > g1[0]


def test_matching_pennies_equilibrium_is_indifferent():
    game = matching_pennies()
    x = np.array(game.facts["nash_equilibria"][0])
    assert np.all(game.gradient(0, x) == 0) and np.all(game.gradient(1, x) == 0)


def test_minmax_game_from_callables():
    game = minmax_game(lambda z: z[0] ** 2 * z[1], lambda z: np.array([2 * z[0] * z[1]]),
                       lambda z: np.array([z[0] ** 2]), dx=1, dy=1, smoothness=[4.0, 0.0])
    z = np.array([1.5, -2.0])
    assert game.utility(0, z) == -game.utility(1, z) == pytest.approx(4.5)
    np.testing.assert_allclose(game.gradient(0, z), [6.0])
    np.testing.assert_allclose(game.hessian(0, z), [[4.0]], rtol=1e-6)  # finite differences


@pytest.mark.parametrize(
    "call, arg",
    [
        (lambda: game_from_callables([lambda x: 0.0], [lambda x: x], dims=[0]), "dims"),
        (lambda: game_from_callables([lambda x: 0.0], [], dims=[1]), "gradients"),
        (lambda: game_from_callables([1.0], [lambda x: x], dims=[1]), "utilities"),
        (lambda: game_from_callables([lambda x: 0.0], [lambda x: x], dims=[1],
                                     smoothness=[-1.0]), "smoothness"),
        (lambda: game_from_callables([lambda x: 0.0] * 2, [lambda x: x] * 2, dims=[1, 1],
                                     domain=Box([0.0], [1.0])), "domain"),
        (lambda: game_from_sympy([sp.Symbol("z")], [[sp.Symbol("x")]]), "utilities[0]"),
        (lambda: game_from_sympy([sp.Symbol("x")], [[]]), "players"),
        (lambda: normal_form_game([[1, 2], [3, 4]]), "payoffs"),
        (lambda: normal_form_game([[[np.nan]]]), "payoffs"),
        (lambda: classic_game("chess"), "name"),
        (lambda: prisoners_dilemma(reward=9.0), "temptation"),
        (lambda: lorenz_game(sigma=-1.0), "sigma"),
        (lambda: bilinear(bound=0.0), "bound"),
        (lambda: quadratic_saddle().check_point([0.0, np.inf]), "x"),
        (lambda: quadratic_saddle().check_point([0.0, 1.0, 2.0]), "x"),
        (lambda: bilinear().check_point([2.0, 0.0], feas_tol=0.0), "x"),
        (lambda: bilinear().check_player(5), "player"),
    ],
)
def test_bad_inputs_raise_invalid_argument(call, arg):
    with pytest.raises(InvalidArgument, match=arg.replace("[", r"\[").replace("]", r"\]")):
        call()


def test_product_domain_blocks_must_match():
    with pytest.raises(InvalidArgument, match="dims"):
        game_from_callables([lambda x: 0.0] * 2, [lambda x: x[:1]] * 2, dims=[1, 1],
                            domain=ProductSet([Box([0.0, 0.0], [1.0, 1.0]), Box([0.0], [1.0])]))
    assert math.isfinite(bilinear().utility(0, np.array([0.5, 0.5])))


def test_exact_rational_evaluation_of_polynomial_games():
    from fractions import Fraction

    x, y = sp.symbols("x y")
    game = minmax_from_sympy(sp.Rational(1, 3) * x**3 * y - x * y**2 / 7, [x], [y])
    z = np.array([0.1, 0.7])
    fx, fy = Fraction(0.1), Fraction(0.7)  # the exact binary values of the floats
    exact_f = Fraction(1, 3) * fx**3 * fy - fx * fy**2 / 7
    assert game.utility_exact(1, z) == exact_f
    assert game.utility_exact(0, z) == -exact_f
    assert game.gradient_exact(1, z) == [Fraction(1, 3) * fx**3 - 2 * fx * fy / 7]
    # transcendental utilities have no exact rational value
    assert minmax_from_sympy(sp.sin(x) * y, [x], [y]).utility_exact(0, z) is None
