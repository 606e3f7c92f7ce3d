"""ε-local Nash certificates: known equilibria, refutations, soundness fuzzing, bad inputs."""

from __future__ import annotations

import itertools
import json
import math
import os
from fractions import Fraction

import cvxpy as cp
import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from certificates import (
    Verdict,
    certify_local_nash,
    gain_upper_bound,
    local_gain,
    projected_gradient_residual,
)
from constructions import (
    Ball,
    Box,
    DSZSet,
    InvalidArgument,
    Polytope,
    ProductSet,
    Simplex,
    bilinear,
    game_from_callables,
    game_from_sympy,
    lorenz_game,
    matching_pennies,
    minmax_from_sympy,
    normal_form_game,
    prisoners_dilemma,
    quadratic_saddle,
    squared_difference,
)

#: CI (CI=true) fuzzes 20x harder than a local run (thousands of examples)
FUZZ_SCALE = 20 if os.environ.get("CI") else 1

# --------------------------------------------------------------------------------------
# independent reference implementations (numpy / cvxpy, not localeq's code)
# --------------------------------------------------------------------------------------


def gamma_cvxpy(S, x, g, delta):
    """First-order gain max <g,y> s.t. ||y|| <= delta, x + y in S, by a cvxpy SOCP."""
    y = cp.Variable(x.shape[0])
    z = x + y
    cons = [cp.norm(y, 2) <= delta]
    if isinstance(S, Box):
        cons += [z >= S.lo, z <= S.hi]
    elif isinstance(S, Simplex):
        cons += [z >= 0, cp.sum(z) == 1]
    elif isinstance(S, Ball):
        cons += [cp.norm(z - S.center, 2) <= S.radius]
    elif isinstance(S, Polytope):
        cons += [S.C @ z <= S.c]
        if S.lo is not None:
            cons += [z >= S.lo, z <= S.hi]
    prob = cp.Problem(cp.Maximize(g @ y), cons)
    prob.solve(solver=cp.CLARABEL)
    return prob.value


def random_set(kind, n, rng):
    if kind == "box":
        lo = rng.uniform(-1, 0, n)
        return Box(lo, lo + rng.uniform(0.1, 2, n))
    if kind == "simplex":
        return Simplex(n)
    if kind == "ball":
        return Ball(rng.normal(size=n), rng.uniform(0.5, 2))
    C = rng.normal(size=(n + 2, n))
    z0 = rng.normal(size=n) * 0.2
    c = C @ z0 + rng.uniform(0.05, 1, n + 2)
    return Polytope(C, c, lo=-2 * np.ones(n), hi=2 * np.ones(n))


def feasible_point(S, rng, n):
    p = S.project(rng.normal(size=n))
    if isinstance(S, Simplex):
        p = rng.dirichlet(np.ones(n))
    return p


@pytest.mark.parametrize("kind", ["box", "simplex", "ball", "polytope"])
@pytest.mark.parametrize("seed", range(6))
def test_local_gain_matches_socp_and_bounds_are_valid(kind, seed):
    rng = np.random.default_rng(seed)
    n = 2 + seed % 3
    S = random_set(kind, n, rng)
    x = feasible_point(S, rng, n)
    if S.violation(x) > 0:
        x = S.project(x)
    g = rng.normal(size=n) * 2
    delta = rng.uniform(0.05, 0.8)
    ref = gamma_cvxpy(S, x, g, delta)
    res = local_gain(S, x, g, delta)
    assert res.upper >= ref - 1e-7          # rigorous upper bound (solver tolerance only)
    assert res.lower <= ref + 1e-7
    assert res.upper - res.lower <= 1e-6 * max(1.0, abs(ref))
    assert np.linalg.norm(res.direction) <= delta * (1 + 1e-12)
    # weak duality: every w gives a valid bound
    for _ in range(5):
        w = rng.normal(size=n) * 3
        assert gain_upper_bound(S, x, g, delta, w) >= ref - 1e-7


@pytest.mark.parametrize("box", [False, True])
def test_local_gain_when_every_feasible_point_is_within_delta(box):
    """delta beyond the set: Gamma = max over S of <g, z - x>, attained at a vertex (by hand).

    The projection path saturates at that vertex and never reaches length delta (this used
    to push x + t g out to ~1e30, where the projection QP fails: SolverFailed).
    """
    extra = {"lo": [-5.0, -5.0], "hi": [5.0, 5.0]} if box else {}
    tri = Polytope([[-1.0, 0.0], [0.0, -1.0], [1.0, 1.0]], [0.0, 0.0, 1.0], **extra)  # z >= 0, sum <= 1
    x, g = np.array([0.25, 0.25]), np.array([1.0, 3.0])
    res = local_gain(tri, x, g, 10.0)
    vertices = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    best = float(np.max((vertices - x) @ g))  # 3 * 0.75 - 0.25 = 2
    assert best == 2.0
    assert best - 1e-9 <= res.lower <= best <= res.upper <= best + 1e-9
    np.testing.assert_allclose(x + res.direction, [0.0, 1.0], atol=1e-9)
    interval = Polytope([[1.0], [-1.0]], [1.0, 0.0])  # [0, 1]
    res = local_gain(interval, np.array([0.5]), np.array([1.0]), 2.0)
    assert 0.5 - 1e-9 <= res.lower <= 0.5 <= res.upper <= 0.5 + 1e-9


@pytest.mark.parametrize("S", [None, Box([-1.0, -1.0], [1.0, 1.0]), Ball([0.0, 0.0], 1.0)],
                         ids=["free", "box", "ball"])
def test_local_gain_of_a_tiny_gradient_is_not_rounded_to_zero(S):
    """|g| ~ 1e-200: g.g underflows to 0, but the gain delta |g| (exact, by hand) is positive."""
    g, delta = np.array([1e-200, -3e-200]), 0.5
    res = local_gain(S, np.zeros(2), g, delta)
    exact_sq = Fraction(delta) ** 2 * (Fraction(1e-200) ** 2 + Fraction(3e-200) ** 2)  # (delta|g|)^2
    assert Fraction(res.upper) ** 2 >= exact_sq  # the point is inside: Gamma = delta |g|
    assert 0 <= res.lower and Fraction(res.lower) ** 2 <= exact_sq
    # hence a claim with an even tinier eps is never verified (bilinear: player 0 gains delta |y|)
    cert = certify_local_nash(bilinear(), [0.0, 1e-200], eps=1e-300, delta=delta)
    assert cert.verdict is Verdict.REFUTED and Fraction(cert.witness.gain_lower) > Fraction(1e-300)


def test_local_gain_unconstrained_is_delta_norm_g():
    g = np.array([3.0, 4.0])
    res = local_gain(None, np.zeros(2), g, 0.5)
    assert res.upper >= 2.5 and res.upper - 2.5 < 1e-12
    assert res.lower == pytest.approx(2.5)


# --------------------------------------------------------------------------------------
# known equilibria are VERIFIED
# --------------------------------------------------------------------------------------

KNOWN = [
    (quadratic_saddle, [0.0, 0.0]),
    (bilinear, [0.0, 0.0]),
    (matching_pennies, [0.5, 0.5, 0.5, 0.5]),
    (prisoners_dilemma, [0.0, 1.0, 0.0, 1.0]),
    (squared_difference, [1.0, 1.0]),
    (squared_difference, [-1.0, -1.0]),
    (lorenz_game, [0.0, 0.0, 0.0]),
]


@pytest.mark.parametrize("factory, point", KNOWN, ids=lambda v: getattr(v, "__name__", str(v)))
def test_known_equilibria_are_verified(factory, point):
    cert = certify_local_nash(factory(), point, eps=1e-3, delta=1e-2)
    assert cert.verdict is Verdict.VERIFIED, cert.summary()
    assert cert.epsilon_upper <= 1e-3
    assert cert.witness is None


def test_lorenz_nontrivial_equilibrium_verified_with_rigorous_gradient_error():
    game = lorenz_game()
    eq = game.facts["nash_equilibria"][1]
    cert = certify_local_nash(game, eq, eps=1e-3, delta=1e-2)
    assert cert.verdict is Verdict.VERIFIED
    # c = sqrt(72) is irrational: the float point is not an exact equilibrium, and the
    # certificate must account for the gradient's rounding (enclosed by ball arithmetic)
    assert all(p.gradient_error is not None for p in cert.players)


def test_squared_difference_bound_is_tight_delta_squared():
    """At (1, 1) the maximiser's true gain is exactly delta^2 = L delta^2 / 2 (L = 2)."""
    game = squared_difference()
    delta = 0.05
    ok = certify_local_nash(game, [1.0, 1.0], eps=1.01 * delta**2, delta=delta)
    assert ok.verdict is Verdict.VERIFIED
    assert ok.epsilon_upper == pytest.approx(delta**2, rel=1e-9)
    bad = certify_local_nash(game, [1.0, 1.0], eps=0.99 * delta**2, delta=delta)
    assert bad.verdict is Verdict.REFUTED
    w = bad.witness
    assert w.player == 1
    # independent check of the witness: (1 - x2')^2 - 0 > eps
    assert (1.0 - w.deviation[0]) ** 2 > 0.99 * delta**2
    assert -1 <= w.deviation[0] <= 1 and abs(w.deviation[0] - 1.0) <= delta


# --------------------------------------------------------------------------------------
# perturbed points are REFUTED with witnesses that check out independently
# --------------------------------------------------------------------------------------


def mp_utility(i, x):
    A = np.array([[1.0, -1.0], [-1.0, 1.0]])
    val = x[:2] @ A @ x[2:]
    return val if i == 0 else -val


@pytest.mark.parametrize("shift", [0.05, 0.1, 0.2, -0.15])
def test_perturbed_matching_pennies_is_refuted(shift):
    x = np.array([0.5 + shift, 0.5 - shift, 0.5, 0.5])
    y = np.array([0.5, 0.5, 0.5 + shift, 0.5 - shift])
    for point in (x, y):
        cert = certify_local_nash(matching_pennies(), point, eps=1e-4, delta=0.05)
        assert cert.verdict is Verdict.REFUTED, cert.summary()
        w = cert.witness
        dev = np.array(w.deviation)
        sl = slice(0, 2) if w.player == 0 else slice(2, 4)
        assert np.all(dev >= -1e-12) and abs(dev.sum() - 1) <= 1e-9
        assert np.linalg.norm(dev - point[sl]) <= 0.05
        moved = point.copy()
        moved[sl] = dev
        assert mp_utility(w.player, moved) - mp_utility(w.player, point) > 1e-4


@pytest.mark.parametrize("point", [[0.1, 0.0], [0.0, -0.2], [0.05, 0.05]])
def test_perturbed_quadratic_saddle_is_refuted(point):
    cert = certify_local_nash(quadratic_saddle(), point, eps=1e-3, delta=0.05)
    assert cert.verdict is Verdict.REFUTED
    w = cert.witness
    assert w.rigorous  # sympy game: the gain is an interval enclosure
    x, y = point
    f = lambda a, b: 0.5 * a * a + 10 * a * b - 0.5 * b * b  # noqa: E731
    if w.player == 0:
        gain = f(x, y) - f(w.deviation[0], y)
    else:
        gain = f(x, w.deviation[0]) - f(x, y)
    assert gain > 1e-3 and abs(w.deviation[0] - point[w.player]) <= 0.05


@pytest.mark.parametrize(
    "point, refuter",
    [
        ((0.8, 1.0), 0),  # minimiser pulled away: only it gains, by moving back towards x2
        ((-0.9, -1.0), 0),
        ((1.0, 0.98), 1),  # maximiser slightly off the corner: it gains by moving away
        ((1.0, 0.9), None),  # further off: both players gain more than eps
        ((-1.0, -0.93), None),
    ],
)
def test_perturbed_squared_difference_boundary_point_is_refuted(point, refuter):
    """(x1 - x2)^2 on [-1, 1]^2: (1, 1) and (-1, -1) are (eps, delta)-local Nash iff delta^2 <= eps.

    With eps = 1e-3 and delta = 0.03 the corners are local Nash (delta^2 = 9e-4 <= eps); the
    points off the diagonal near them are not, and the witness is re-checked by hand.
    """
    eps, delta = 1e-3, 0.03
    cert = certify_local_nash(squared_difference(), list(point), eps=eps, delta=delta)
    assert cert.verdict is Verdict.REFUTED, cert.summary()
    w = cert.witness
    if refuter is not None:
        assert w.player == refuter
    # the witness, checked by hand in exact rational arithmetic
    x1, x2 = (Fraction(v) for v in point)
    (dev,) = (Fraction(v) for v in w.deviation)
    own = (x1, x2)[w.player]
    assert -1 <= dev <= 1  # feasible for the box, exactly
    assert (dev - own) ** 2 <= Fraction(delta) ** 2  # within delta, exactly
    f = lambda a, b: (a - b) ** 2  # noqa: E731  (u_0 = -f, u_1 = f)
    gain = f(x1, x2) - f(dev, x2) if w.player == 0 else f(x1, dev) - f(x1, x2)
    assert gain > Fraction(eps)
    assert Fraction(w.gain_lower) <= gain  # the reported lower bound is one
    assert w.evaluation == "exact-rational" and Fraction(w.gain) == pytest.approx(gain, rel=1e-12)
    # and nothing gains more than the exact best deviation of that player
    assert gain <= best_own_gain(*scalar_game_own_quadratics(2, point)[w.player], delta)
    # the unperturbed boundary point itself is verified with the same eps and delta
    base = (1.0, 1.0) if point[0] > 0 else (-1.0, -1.0)
    assert certify_local_nash(squared_difference(), list(base), eps=eps,
                              delta=delta).verdict is Verdict.VERIFIED


# --------------------------------------------------------------------------------------
# soundness fuzzing: a point whose true delta-gain exceeds eps is never VERIFIED
# --------------------------------------------------------------------------------------


def true_gain_scalar_players(game, x, delta, lo, hi, n=2001):
    """Max over players of the true utility gain, by a dense 1-D grid (scalar players)."""
    best = -math.inf
    for i in range(game.n_players):
        a, b = max(lo[i], x[i] - delta), min(hi[i], x[i] + delta)
        base = game.utility(i, x)
        for t in np.linspace(a, b, n):
            z = x.copy()
            z[i] = t
            best = max(best, game.utility(i, z) - base)
    return best


def witness_checks_out(game, x, cert):
    """Re-evaluate a REFUTED certificate's witness: feasible, within delta, gain > eps."""
    w = cert.witness
    i = w.player
    sl = game.block_slices[i]
    dev = np.array(w.deviation)
    moved = np.array(x, dtype=float).copy()
    moved[sl] = dev
    S = game.player_set(i, np.array(x, dtype=float))
    feasible = S is None or S.violation(dev) <= 1e-9
    close = np.linalg.norm(dev - np.array(x, dtype=float)[sl]) <= cert.delta
    gain = game.utility(i, moved) - game.utility(i, np.array(x, dtype=float))
    return feasible and close and gain > cert.eps


#: (factory, sampling box lo, hi): the points x are drawn from [lo, hi]
SCALAR_GAMES = [
    (quadratic_saddle, [-1, -1], [1, 1]),  # unconstrained: deviations may leave [-1, 1]^2
    (bilinear, [-1, -1], [1, 1]),  # domain [-1, 1]^2
    (squared_difference, [-1, -1], [1, 1]),  # domain [-1, 1]^2
]


def scalar_game_own_quadratics(which, x):
    """By hand, exactly: player i moving x_i -> x_i + t gains c_i t + h_i t^2 / 2, on [a_i, b_i].

    The three games are min_x max_y f with u_0 = -f and u_1 = f, so the gain is quadratic in
    t with c_i = du_i/dx_i at x and h_i = d^2u_i/dx_i^2; [a_i, b_i] is the feasible range of
    t (the domain box minus x_i; the whole line for the unconstrained quadratic saddle).
    """
    a, b = Fraction(float(x[0])), Fraction(float(x[1]))
    inf = None
    if which == 0:  # f = a^2/2 + 10ab - b^2/2, no constraints
        coef = [(-(a + 10 * b), Fraction(-1)), (10 * a - b, Fraction(-1))]
        return [(c, h, inf, inf) for c, h in coef]
    if which == 1:  # f = ab on [-1, 1]^2
        coef = [(-b, Fraction(0)), (a, Fraction(0))]
    else:  # f = (a - b)^2 on [-1, 1]^2
        coef = [(-2 * (a - b), Fraction(-2)), (-2 * (a - b), Fraction(2))]
    return [(c, h, -1 - xi, 1 - xi) for (c, h), xi in zip(coef, (a, b), strict=True)]


def best_own_gain(c, h, lo, hi, delta):
    """Exact max of c t + h t^2/2 over t in [lo, hi] (None: unbounded) intersected with |t| <= delta.

    A 1-D quadratic on an interval attains its maximum at an end point or, when h < 0, at the
    stationary point -c/h if that lies inside.
    """
    d = Fraction(float(delta))
    lo = -d if lo is None else max(lo, -d)
    hi = d if hi is None else min(hi, d)
    cands = [lo, hi, Fraction(0)]
    if h < 0 and lo <= -c / h <= hi:
        cands.append(-c / h)
    return max(c * t + h * t * t / 2 for t in cands)


def exact_true_gain_scalar(which, x, delta):
    """The exact max over players of the best feasible delta-gain (a rational number)."""
    return max(best_own_gain(*q, delta) for q in scalar_game_own_quadratics(which, x))


def test_exact_scalar_gain_reference_matches_hand_utilities():
    """The reference's coefficients against the utilities written out, on a grid of t."""
    fs = [lambda a, b: a * a / 2 + 10 * a * b - b * b / 2, lambda a, b: a * b,
          lambda a, b: (a - b) ** 2]
    for which, f in enumerate(fs):
        x = (Fraction(3, 8), Fraction(-5, 16))
        quads = scalar_game_own_quadratics(which, x)
        for i, (c, h, _, _) in enumerate(quads):
            for t in (Fraction(-1, 2), Fraction(1, 7), Fraction(2)):
                moved = (x[0] + t, x[1]) if i == 0 else (x[0], x[1] + t)
                sign = -1 if i == 0 else 1
                assert sign * (f(*moved) - f(*x)) == c * t + h * t * t / 2
    # the unconstrained saddle at (1, -0.2), delta = 0.3: player 0 (c = 1, h = -1) gains
    # c delta - delta^2/2 = 0.255 by moving to 1.3; a search restricted to [-1, 1] sees 0
    c, h, lo, hi = scalar_game_own_quadratics(0, [1.0, -0.2])[0]
    assert (c, h, lo, hi) == (-(1 + 10 * Fraction(-0.2)), -1, None, None)
    assert best_own_gain(c, h, lo, hi, 0.3) == c * Fraction(0.3) - Fraction(0.3) ** 2 / 2
    assert best_own_gain(c, h, -1, 0, 0.3) == 0


@settings(max_examples=60 * FUZZ_SCALE)
@given(
    which=st.integers(0, len(SCALAR_GAMES) - 1),
    u=st.lists(st.floats(0, 1), min_size=2, max_size=2),
    eps=st.floats(1e-5, 0.05),
    delta=st.floats(1e-3, 0.3),
)
def test_fuzz_never_verifies_a_point_with_large_true_gain(which, u, eps, delta):
    factory, lo, hi = SCALAR_GAMES[which]
    game = factory()
    x = np.array([lo[k] + u[k] * (hi[k] - lo[k]) for k in range(2)])
    cert = certify_local_nash(game, x, eps=eps, delta=delta, n_random=4, ascent_steps=10)
    true = exact_true_gain_scalar(which, x, delta)  # exact rational, no grid
    if cert.verdict is Verdict.VERIFIED:
        assert true <= Fraction(eps)
        assert true <= Fraction(cert.epsilon_upper)
    if cert.verdict is Verdict.REFUTED:
        assert true > Fraction(eps)
        assert witness_checks_out(game, x, cert)
    assert Fraction(cert.epsilon_upper) >= true  # the bound is rigorous whatever the verdict


@settings(max_examples=40 * FUZZ_SCALE)
@given(
    x=st.lists(st.floats(0, 1), min_size=2, max_size=2),
    eps=st.floats(1e-5, 0.05),
    delta=st.floats(1e-3, 0.3),
)
def test_fuzz_matching_pennies(x, eps, delta):
    game = matching_pennies()
    p = np.array([x[0], 1 - x[0], x[1], 1 - x[1]])
    cert = certify_local_nash(game, p, eps=eps, delta=delta, n_random=4, ascent_steps=5)
    # exact best delta-gain (utilities are linear in the own mixed strategy): moving mass
    # t along (1, -1)/sqrt(2) gains |g_0 - g_1| * t / sqrt(2), as far as the simplex allows
    a, b = x
    best = 0.0
    for diff, own in ((2 * (2 * b - 1), a), (-2 * (2 * a - 1), b)):  # g_0 - g_1 of each player
        room = (1 - own) if diff > 0 else own
        best = max(best, abs(diff) * min(delta / math.sqrt(2), room))
    if cert.verdict is Verdict.VERIFIED:
        assert best <= eps + 1e-12
    if cert.verdict is Verdict.REFUTED:
        assert best > eps


def own_payoff_vectors_exact(P, xs):
    """v_i[a] = sum over the others' actions s of P_i[a, s] prod_k x_k[s_k], in exact rationals.

    The utility of player i is linear in its own mixed strategy: u_i(y, x_-i) = <v_i, y>.
    Plain enumeration of pure profiles (independent of localeq's tensor contraction).
    """
    n = len(xs)
    out = []
    for i in range(n):
        v = [Fraction(0)] * len(xs[i])
        for prof in itertools.product(*(range(len(x)) for x in xs)):
            w = Fraction(float(P[i][prof]))
            for k in range(n):
                if k != i:
                    w *= xs[k][prof[k]]
            v[prof[i]] += w
        out.append(v)
    return out


def simplex_gain_lower(v, x, delta):
    """A rigorous lower bound on max {<v, y - x> : y in the simplex, ||y - x|| <= delta} (exact).

    The SOCP is solved by cvxpy (CLARABEL); its solution is then made exactly feasible in
    rational arithmetic (clip to >= 0, the largest entry set to 1 - the others, shrunk
    towards x until ||y - x||^2 <= delta^2 holds exactly) and the gain evaluated exactly.
    The solver's error therefore only loosens the bound (by ~1e-8), never invalidates it.
    """
    vf = np.array([float(t) for t in v])
    xf = np.array([float(t) for t in x])
    y = cp.Variable(len(x))
    prob = cp.Problem(cp.Maximize(vf @ (y - xf)), [y >= 0, cp.sum(y) == 1, cp.norm(y - xf, 2) <= delta])
    prob.solve(solver=cp.CLARABEL)
    assert prob.status == cp.OPTIMAL, prob.status
    yf = np.maximum(np.asarray(y.value, dtype=float), 0.0)
    k = int(np.argmax(yf))
    ys = [Fraction(float(t)) for t in yf]
    ys[k] = 1 - (sum(ys) - ys[k])
    if ys[k] < 0:
        return Fraction(0)
    d = [a - b for a, b in zip(ys, x, strict=True)]
    n2, dl2 = sum(t * t for t in d), Fraction(float(delta)) ** 2
    if n2 > dl2:  # x + s d = (1 - s) x + s y stays in the simplex for s in [0, 1]
        s = Fraction(float(delta) / math.sqrt(float(n2)) * (1 - 1e-9))
        while s * s * n2 > dl2:
            s *= Fraction(1) - Fraction(1, 10**9)
        d = [s * t for t in d]
    return max(Fraction(0), sum(a * b for a, b in zip(v, d, strict=True)))


@st.composite
def dyadic_mixed_strategy(draw, a):
    """A mixed strategy over a actions with entries k / 2^20 summing to exactly 1 (some zeros)."""
    support = draw(st.lists(st.booleans(), min_size=a, max_size=a))
    if not any(support):
        support[draw(st.integers(0, a - 1))] = True
    w = [draw(st.integers(1, 2**10)) if on else 0 for on in support]
    counts = [(2**20 * t) // sum(w) for t in w]
    counts[max(range(a), key=lambda j: counts[j])] += 2**20 - sum(counts)
    return [Fraction(c, 2**20) for c in counts]


@st.composite
def normal_form_instances(draw):
    actions = draw(st.lists(st.integers(1, 4), min_size=2, max_size=3))
    seed = draw(st.integers(0, 2**32 - 1))
    P = np.random.default_rng(seed).normal(size=(len(actions), *actions)) * draw(
        st.sampled_from([0.01, 1.0, 100.0]))
    xs = [draw(dyadic_mixed_strategy(a)) for a in actions]
    return P, xs


@settings(max_examples=40 * FUZZ_SCALE, deadline=None)
@given(
    inst=normal_form_instances(),
    delta=st.floats(1e-3, 1.0),
    ratio=st.one_of(st.floats(0.5, 2.0), st.floats(0.999, 1.001)),
)
def test_fuzz_random_normal_form_games_never_verify_a_large_true_gain(inst, delta, ratio):
    """n-player mixed extensions: the true delta-gain is a linear maximisation (exact reference)."""
    P, xs = inst
    game = normal_form_game(P)
    x = np.array([float(t) for xi in xs for t in xi])
    vs = own_payoff_vectors_exact(P, xs)
    lower = [simplex_gain_lower(v, xi, delta) for v, xi in zip(vs, xs, strict=True)]
    true = max(lower)  # a lower bound on the true max gain, within ~1e-8 of it
    eps = float(ratio * true) if true > 0 else ratio * 1e-6
    cert = certify_local_nash(game, x, eps=eps, delta=delta, n_random=4, ascent_steps=5)
    event(f"verdict {cert.verdict.value}, true gain {'>' if true > Fraction(eps) else '<='} eps")
    # the rigorous per-player bounds are above the (exact) lower bounds, whatever the verdict
    for pb, lo in zip(cert.players, lower, strict=True):
        assert Fraction(pb.epsilon_upper) >= lo
    if cert.verdict is Verdict.VERIFIED:
        assert true <= Fraction(eps)
    if cert.verdict is Verdict.REFUTED:  # the witness, re-evaluated exactly
        w = cert.witness
        i, dev = w.player, [Fraction(t) for t in w.deviation]
        assert all(t >= -1e-9 for t in dev) and abs(sum(dev) - 1) <= 1e-9
        assert sum((a - b) ** 2 for a, b in zip(dev, xs[i], strict=True)) <= Fraction(delta) ** 2
        gain = sum(a * (b - c) for a, b, c in zip(vs[i], dev, xs[i], strict=True))
        assert gain > Fraction(eps) and Fraction(w.gain_lower) <= gain


def test_simplex_gain_reference_on_matching_pennies():
    """The reference reproduces the hand formula |g_0 - g_1| min(delta / sqrt 2, room)."""
    v = [Fraction(1, 2), Fraction(-1, 2)]  # matching pennies, column mixes (3/4, 1/4)
    x = [Fraction(1, 4), Fraction(3, 4)]
    for delta, expect in ((0.1, 0.1 / math.sqrt(2)), (2.0, 0.75)):
        assert abs(float(simplex_gain_lower(v, x, delta)) - expect) <= 1e-7


# quadratic games on balls and polytopes: u_i = <a_i, x_i> + x_i' H_i x_i / 2 + x_i' B_i x_-i
# (two players). The gain of player i moving by d is exactly <c_i, d> + d' H_i d / 2 with
# c_i = a_i + H_i x_i + B_i x_-i, maximised over ||d|| <= delta, x_i + d in S_i: a
# (possibly nonconcave) QCQP, solved from below by SLSQP from several starts.

#: absolute slack of the numerical reference (float evaluation of the quadratic, ~1e-15, and
#: the 1e-12 feasibility tolerance of its maximiser times the gradient norm, < 1e-10)
QCQP_TOL = 1e-9


def _set_constraints(S, xi):
    """(fun, jac) pairs g(d) >= 0 describing x_i + d in S_i, written out by hand."""
    if isinstance(S, Ball):
        return [(lambda d: S.radius**2 - np.sum((xi + d - S.center) ** 2),
                 lambda d: -2 * (xi + d - S.center))]
    cons = [(lambda d: S.c - S.C @ (xi + d), lambda d: -S.C)]
    if S.lo is not None and np.all(np.isfinite(S.lo)):
        cons += [(lambda d: xi + d - S.lo, lambda d: np.eye(len(xi))),
                 (lambda d: S.hi - xi - d, lambda d: -np.eye(len(xi)))]
    return cons


def _feasible_fraction(S, xi, d, delta):
    """Largest t in [0, 1] with x_i + t d in S_i and ||t d|| <= delta (by hand), shrunk by 1e-9."""
    t = 1.0
    nd = float(np.linalg.norm(d))
    if nd > 0:
        t = min(t, delta / nd)
    if isinstance(S, Ball):
        q = xi - S.center
        a, b, c = d @ d, 2 * d @ q, q @ q - S.radius**2
        if a > 0:
            t = min(t, (-b + math.sqrt(max(b * b - 4 * a * c, 0.0))) / (2 * a))
    else:
        rows = [(S.C, S.c)]
        if S.lo is not None and np.all(np.isfinite(S.lo)):
            eye = np.eye(len(xi))
            rows += [(-eye, -S.lo), (eye, S.hi)]
        for G, h in rows:
            rate, slack = G @ d, h - G @ xi
            grow = rate > 0
            if np.any(grow):
                t = min(t, float(np.min(np.maximum(slack[grow], 0.0) / rate[grow])))
    return max(t, 0.0) * (1 - 1e-9)


def _violation(S, z):
    """Constraint violation of z (or of each row of a 2-D array z), by hand."""
    if isinstance(S, Ball):
        return np.linalg.norm(z - S.center, axis=-1) - S.radius
    v = np.max(z @ S.C.T - S.c, axis=-1)
    if S.lo is not None and np.all(np.isfinite(S.lo)):
        v = np.maximum(v, np.max(np.maximum(S.lo - z, z - S.hi), axis=-1))
    return v


def qcqp_gain_lower(S, xi, c, H, delta, rng, n_starts=8):
    """max <c, d> + d'Hd/2 over ||d|| <= delta, x_i + d in S, from below: (value, best d).

    SLSQP (scipy) from d = 0, +-delta * (eigenvectors of H), delta * c/|c| and random
    points of the ball; every local solution is pulled back along its segment into the
    feasible set (checked by hand to 1e-12) before its gain is counted, so the value is the
    gain of a feasible deviation (up to QCQP_TOL). For concave H the maximum is also found
    by cvxpy (exact up to the solver's tolerance) and used as one more start.
    """
    from scipy.optimize import minimize

    def gain(d):
        return float(c @ d + 0.5 * d @ H @ d)

    cons = [{"type": "ineq", "fun": f, "jac": j} for f, j in _set_constraints(S, xi)]
    cons.append({"type": "ineq", "fun": lambda d: delta**2 - d @ d, "jac": lambda d: -2 * d})
    starts = [np.zeros(len(xi))]
    if np.linalg.norm(c) > 0:
        starts.append(delta * c / np.linalg.norm(c))
    _, vecs = np.linalg.eigh(H)
    starts += [s * delta * vecs[:, k] for k in range(len(xi)) for s in (1.0, -1.0)]
    while len(starts) < n_starts + 2 * len(xi):
        r = rng.normal(size=len(xi))
        starts.append(delta * rng.uniform() * r / np.linalg.norm(r))
    if np.all(np.linalg.eigvalsh(H) <= 0):
        dv = cp.Variable(len(xi))
        z = xi + dv
        set_cons = ([cp.norm(z - S.center, 2) <= S.radius] if isinstance(S, Ball)
                    else [S.C @ z <= S.c] + ([z >= S.lo, z <= S.hi]
                                             if S.lo is not None and np.all(np.isfinite(S.lo)) else []))
        prob = cp.Problem(cp.Maximize(c @ dv - 0.5 * cp.quad_form(dv, cp.psd_wrap(-H))),
                          [cp.norm(dv, 2) <= delta] + set_cons)
        prob.solve(solver=cp.CLARABEL)
        if dv.value is not None:
            starts.append(np.asarray(dv.value, dtype=float))
    best, best_d = 0.0, np.zeros(len(xi))
    for d0 in starts:
        res = minimize(lambda d: -gain(d), d0, jac=lambda d: -(c + H @ d), constraints=cons,
                       method="SLSQP", options={"maxiter": 200, "ftol": 1e-14})
        for d in (res.x, d0):
            d = d * _feasible_fraction(S, xi, d, delta)
            if _violation(S, xi + d) <= 1e-12 and np.linalg.norm(d) <= delta and gain(d) > best:
                best, best_d = gain(d), d
    return best, best_d


def _rational_matrix(rng, shape, scale=16):
    return rng.integers(-scale, scale + 1, size=shape) / 8.0  # k/8: exact floats and rationals


def _random_player_set(kind, dim, rng):
    if kind == "ball":
        return Ball(rng.uniform(-1, 1, dim), float(rng.uniform(0.2, 1.5)))
    m = dim + 2
    C = rng.normal(size=(m, dim))
    z0 = rng.uniform(-0.5, 0.5, dim)
    c = C @ z0 + rng.uniform(0.05, 1.0, m) * (rng.random(m) > 0.25)  # some rows tight at z0
    if kind == "box-polytope":
        return Polytope(C, c, lo=-1.5 * np.ones(dim), hi=1.5 * np.ones(dim))
    C = np.vstack([C, -C.sum(axis=0)])  # positively spanning rows: bounded without a box
    return Polytope(C, np.append(c, C[-1] @ z0 + rng.uniform(0.05, 1.0)))


def _feasible_start(S, rng, where):
    """A feasible point: inside, on the boundary or (polytopes) at a vertex (scipy LP / by hand)."""
    from scipy.optimize import linprog

    dim = S.dim
    if isinstance(S, Ball):
        r = rng.normal(size=dim)
        scale = {"inside": rng.uniform(0, 0.9), "boundary": 1.0, "vertex": 1.0}[where]
        p = S.center + S.radius * scale * r / np.linalg.norm(r)
        return p
    bounds = [(-1.5, 1.5)] * dim if np.all(np.isfinite(S.lo)) else [(None, None)] * dim
    res = linprog(rng.normal(size=dim), A_ub=S.C, b_ub=S.c, bounds=bounds, method="highs")
    assert res.status == 0
    vertex = res.x
    center = res.x.copy()
    for _ in range(3):  # average of a few vertices: an inner point
        center += linprog(rng.normal(size=dim), A_ub=S.C, b_ub=S.c, bounds=bounds,
                          method="highs").x
    center /= 4
    t = {"inside": rng.uniform(0, 0.9), "boundary": 0.999999, "vertex": 1.0}[where]
    return center + t * (vertex - center)


@pytest.mark.parametrize("seed", range(12))
def test_qcqp_reference_is_not_beaten_by_a_grid(seed):
    """The numerical true gain (2-D) against a dense polar grid of the feasible delta-disc."""
    rng = np.random.default_rng(seed)
    kind = ["ball", "box-polytope", "polytope"][seed % 3]
    S = _random_player_set(kind, 2, rng)
    xi = _feasible_start(S, rng, ["inside", "boundary", "vertex"][(seed // 3) % 3])
    M = _rational_matrix(rng, (2, 2), 8)
    H = M + M.T if seed % 2 else -(M.T @ M)
    c = rng.normal(size=2) * 2
    delta = rng.uniform(0.01, 0.6)
    val, d = qcqp_gain_lower(S, xi, c, H, delta, rng)
    assert np.linalg.norm(d) <= delta and _violation(S, xi + d) <= 1e-12
    assert val == pytest.approx(c @ d + 0.5 * d @ H @ d, abs=1e-15)
    r = np.linspace(0, delta, 200)[:, None]
    th = np.linspace(0, 2 * np.pi, 721)[None, :]
    D = np.stack([r * np.cos(th), r * np.sin(th)], -1).reshape(-1, 2)
    ok = _violation(S, xi + D) <= 0
    grid = float(np.max(D[ok] @ c + 0.5 * np.einsum("ij,jk,ik->i", D[ok], H, D[ok])))
    assert grid <= val + 1e-12


@settings(max_examples=25 * FUZZ_SCALE, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    dims=st.lists(st.integers(1, 3), min_size=2, max_size=2),
    kinds=st.lists(st.sampled_from(["ball", "box-polytope", "polytope"]), min_size=2, max_size=2),
    concave=st.lists(st.booleans(), min_size=2, max_size=2),
    where=st.lists(st.sampled_from(["inside", "boundary", "vertex"]), min_size=2, max_size=2),
    use_sympy=st.booleans(),
    delta=st.floats(1e-3, 0.5),
    mix=st.floats(0.0, 1.5),
)
def test_fuzz_quadratic_games_on_balls_and_polytopes(seed, dims, kinds, concave, where, use_sympy,
                                                     delta, mix):
    """Nonconcave quadratic games on products of balls / polytopes vs a numerical true gain."""
    import sympy as sp

    rng = np.random.default_rng(seed)
    sets = [_random_player_set(k, d, rng) for k, d in zip(kinds, dims, strict=True)]
    a = [_rational_matrix(rng, (d,)) for d in dims]
    H = []
    for d, cv in zip(dims, concave, strict=True):
        M = _rational_matrix(rng, (d, d), 8)
        H.append(-(M.T @ M) if cv else M + M.T)  # negative semidefinite, or indefinite
    B = [_rational_matrix(rng, (dims[0], dims[1])), _rational_matrix(rng, (dims[1], dims[0]))]
    x = np.concatenate([_feasible_start(S, rng, w) for S, w in zip(sets, where, strict=True)])
    sl = [slice(0, dims[0]), slice(dims[0], dims[0] + dims[1])]

    def util(i, z):
        zi, zo = z[sl[i]], z[sl[1 - i]]
        return float(a[i] @ zi + 0.5 * zi @ H[i] @ zi + zi @ B[i] @ zo)

    def grad(i, z):
        return a[i] + H[i] @ z[sl[i]] + B[i] @ z[sl[1 - i]]

    domain = ProductSet(sets)
    if use_sympy:
        syms = [sp.symbols(f"p{i}_0:{d}") for i, d in enumerate(dims)]
        R = lambda v: sp.Rational(*Fraction(float(v)).as_integer_ratio())  # noqa: E731  (exact)
        us = []
        for i in range(2):
            xi, xo = syms[i], syms[1 - i]
            e = sum(R(a[i][j]) * xi[j] for j in range(dims[i]))
            e += sum(R(H[i][j, k]) * xi[j] * xi[k] for j in range(dims[i]) for k in range(dims[i])) / 2
            e += sum(R(B[i][j, k]) * xi[j] * xo[k] for j in range(dims[i]) for k in range(dims[1 - i]))
            us.append(e)
        game = game_from_sympy(us, syms, domain=domain)
    else:
        L = [float(np.linalg.norm(h, "fro")) * (1 + 1e-9) for h in H]  # >= ||H_i||_2
        game = game_from_callables([lambda z, i=i: util(i, z) for i in range(2)],
                                   [lambda z, i=i: grad(i, z) for i in range(2)],
                                   dims=dims, domain=domain, smoothness=L,
                                   hessians=[lambda z, i=i: H[i] for i in range(2)])
    lower, upper_est = [], []
    for i in range(2):
        c = grad(i, x)
        val, d = qcqp_gain_lower(sets[i], x[sl[i]], c, H[i], delta, rng)
        lower.append(val)
        # the reference against its own theory: gain <= Gamma + ||H||_2 delta^2 / 2
        gam = gamma_cvxpy(sets[i], x[sl[i]], c, delta)
        upper_est.append(gam + np.linalg.norm(H[i], 2) * delta**2 / 2)
        assert val <= upper_est[i] + 1e-6
    true = max(lower)
    eps = max(true / 2 + mix * (max(upper_est) * 1.5 - true / 2), 1e-6)
    cert = certify_local_nash(game, x, eps=eps, delta=delta, n_random=4, ascent_steps=10)
    event(f"verdict {cert.verdict.value}, true gain {'>' if true > eps else '<='} eps")
    for pb, lo in zip(cert.players, lower, strict=True):  # rigorous bounds, whatever the verdict
        assert pb.epsilon_upper >= lo - QCQP_TOL
    if cert.verdict is Verdict.VERIFIED:
        assert true <= eps + QCQP_TOL
    if cert.verdict is Verdict.REFUTED:  # the witness, by the hand-written formulas
        w = cert.witness
        i = w.player
        dev = np.array(w.deviation)
        assert _violation(sets[i], dev) <= 1e-9
        assert np.linalg.norm(dev - x[sl[i]]) <= delta
        d = dev - x[sl[i]]
        assert float(grad(i, x) @ d + 0.5 * d @ H[i] @ d) > eps


# --------------------------------------------------------------------------------------
# residuals
# --------------------------------------------------------------------------------------


def test_residual_matches_hand_computation_on_a_box():
    game = bilinear()  # f = xy on [-1,1]^2: g_x = -y, g_y = x
    res = projected_gradient_residual(game, [0.9, 0.5], step=1.0)
    # x-player: clip(0.9 - 0.5) = 0.4 -> r = 0.5; y-player: clip(0.5 + 0.9) = 1 -> r = 0.5
    assert res.per_player == pytest.approx((0.5, 0.5))
    assert res.joint == pytest.approx(math.sqrt(0.5))


@given(st.lists(st.floats(-1, 1), min_size=2, max_size=2), st.floats(0.01, 1), st.floats(1, 10))
def test_residual_step_monotonicity(pt, eta1, ratio):
    """eta -> r^eta is nondecreasing and eta -> r^eta/eta nonincreasing (Gafni-Bertsekas)."""
    game = quadratic_saddle(bound=1.0)
    eta2 = eta1 * ratio
    r1 = projected_gradient_residual(game, pt, step=eta1).per_player
    r2 = projected_gradient_residual(game, pt, step=eta2).per_player
    for a, b in zip(r1, r2, strict=True):
        assert a <= b + 1e-12
        assert b <= ratio * a + 1e-12


def test_dsz_coupled_domain_uses_box_slices():
    import sympy as sp

    x, y = sp.symbols("x y")
    game = minmax_from_sympy((x - y) ** 2, [x], [y], domain=DSZSet(1, 0.1),
                             smoothness=(2.0, 2.0))
    cert = certify_local_nash(game, [0.5, 0.6], eps=2e-2, delta=0.05)  # x: 0.2*0.05 + 0.0025
    # y is already at the edge of its slice [0.4, 0.6]: only moving towards x is allowed
    assert cert.players[1].linear_gain_upper <= 1e-12
    assert cert.verdict is Verdict.VERIFIED
    res = projected_gradient_residual(game, [0.5, 0.6])
    assert res.per_player[1] == pytest.approx(0.0)
    assert res.per_player[0] == pytest.approx(0.2)  # x -> 0.5 + 0.2 = 0.7, inside [0.5, 0.7]


# --------------------------------------------------------------------------------------
# inconclusive cases and records
# --------------------------------------------------------------------------------------


def test_unknown_smoothness_gives_inconclusive_not_verified():
    game = game_from_callables([lambda z: -z[0] ** 2], [lambda z: np.array([-2 * z[0]])], dims=[1])
    cert = certify_local_nash(game, [0.0], eps=1e-3, delta=1e-2)
    assert cert.verdict is Verdict.INCONCLUSIVE
    assert any("smoothness" in r for r in cert.reasons)
    cert2 = certify_local_nash(game, [0.0], eps=1e-3, delta=1e-2, smoothness=2.0)
    assert cert2.verdict is Verdict.VERIFIED
    assert any("declared" in a for a in cert2.assumptions)


def test_nan_gradient_and_raising_oracle_are_inconclusive():
    nan_game = game_from_callables([lambda z: 0.0], [lambda z: np.array([np.nan])], dims=[1],
                                   smoothness=1.0)
    c1 = certify_local_nash(nan_game, [0.0], eps=1e-3, delta=1e-2)
    assert c1.verdict is Verdict.INCONCLUSIVE and "not finite" in c1.reasons[0]

    def boom(z):
        raise RuntimeError("model crashed")

    bad_game = game_from_callables([lambda z: 0.0], [boom], dims=[1], smoothness=1.0)
    c2 = certify_local_nash(bad_game, [0.0], eps=1e-3, delta=1e-2)
    assert c2.verdict is Verdict.INCONCLUSIVE and "raised RuntimeError" in c2.reasons[0]


def test_tight_margin_is_inconclusive():
    game = squared_difference()
    cert = certify_local_nash(game, [1.0, 1.0], eps=0.05**2, delta=0.05)
    assert cert.verdict is not Verdict.VERIFIED


def test_json_round_trip_is_exact():
    cert = certify_local_nash(lorenz_game(), lorenz_game().facts["nash_equilibria"][1],
                              eps=1e-3, delta=1e-2)
    doc = json.loads(cert.to_json())
    assert doc["schema"] == "localeq.certificate/1"
    assert doc["verdict"] == "VERIFIED"
    assert doc["epsilon_upper"] == cert.epsilon_upper
    assert np.array_equal(doc["point"], cert.point)
    assert doc["players"][0]["dual"] == list(cert.players[0].dual)
    assert len(doc["assumptions"]) >= 3


# --------------------------------------------------------------------------------------
# bad inputs
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, arg",
    [
        ({"x": [0.0]}, "x"),
        ({"x": [[0.0, 0.0]]}, "x"),
        ({"x": [np.nan, 0.0]}, "x"),
        ({"x": [np.inf, 0.0]}, "x"),
        ({"x": [5.0, 0.0]}, "x"),  # infeasible for the [-1,1]^2 box
        ({"x": [0.0, 0.0], "eps": -1.0}, "eps"),
        ({"x": [0.0, 0.0], "eps": 0.0}, "eps"),
        ({"x": [0.0, 0.0], "delta": -0.1}, "delta"),
        ({"x": [0.0, 0.0], "delta": np.nan}, "delta"),
        ({"x": [0.0, 0.0], "step": 0.0}, "step"),
        ({"x": [0.0, 0.0], "smoothness": [1.0]}, "smoothness"),
        ({"x": [0.0, 0.0], "smoothness": -1.0}, "smoothness"),
        ({"x": [0.0, 0.0], "rng": "seed"}, "rng"),
        ({"x": "origin"}, "x"),
    ],
)
def test_bad_inputs_raise_invalid_argument(kwargs, arg):
    full = {"eps": 1e-3, "delta": 1e-2} | kwargs
    with pytest.raises(InvalidArgument, match=arg):
        certify_local_nash(bilinear(), **full)


def test_bad_game_and_empty_set():
    with pytest.raises(InvalidArgument, match="game"):
        certify_local_nash("bilinear", [0.0, 0.0], eps=1e-3, delta=1e-2)
    with pytest.raises(InvalidArgument, match="empty"):
        Box([1.0], [0.0])


@settings(max_examples=30 * FUZZ_SCALE)
@given(
    x=st.lists(st.floats(-15, 15), min_size=3, max_size=3),
    eps=st.floats(1e-4, 1.0),
    delta=st.floats(1e-3, 0.5),
)
def test_fuzz_lorenz_game(x, eps, delta):
    game = lorenz_game()
    p = np.array(x)
    cert = certify_local_nash(game, p, eps=eps, delta=delta, n_random=4, ascent_steps=5)
    inf = [-np.inf] * 3
    true = true_gain_scalar_players(game, p, delta, inf, [np.inf] * 3, n=801)
    if cert.verdict is Verdict.VERIFIED:
        assert true <= eps
    if cert.verdict is Verdict.REFUTED:
        assert witness_checks_out(game, p, cert)


@settings(max_examples=30 * FUZZ_SCALE)
@given(x=st.lists(st.floats(0, 1), min_size=2, max_size=2), eps=st.floats(1e-5, 0.5),
       delta=st.floats(1e-3, 0.5))
def test_fuzz_prisoners_dilemma(x, eps, delta):
    game = prisoners_dilemma()  # R, S, T, P = 3, 0, 5, 1
    p = np.array([x[0], 1 - x[0], x[1], 1 - x[1]])
    cert = certify_local_nash(game, p, eps=eps, delta=delta, n_random=4, ascent_steps=5)
    A = np.array([[3.0, 0.0], [5.0, 1.0]])
    best = 0.0
    for own, opp in ((p[:2], p[2:]), (p[2:], p[:2])):
        g = A @ opp  # payoff of C and D against the opponent's mix (symmetric game)
        diff = g[0] - g[1]
        room = own[1] if diff > 0 else own[0]
        best = max(best, abs(diff) * min(delta / math.sqrt(2), room))
    if cert.verdict is Verdict.VERIFIED:
        assert best <= eps + 1e-12
    if cert.verdict is Verdict.REFUTED:
        assert best > eps


@settings(max_examples=30 * FUZZ_SCALE)
@given(
    u=st.lists(st.floats(0, 1), min_size=2, max_size=2),
    eps=st.floats(1e-5, 0.05),
    delta=st.floats(1e-3, 0.2),
)
def test_fuzz_coupled_dsz_game(u, eps, delta):
    """A nonconcave min-max game on the DSZ coupled set: slices are boxes around the other."""
    import sympy as sp

    Delta = 0.3
    a, b = sp.symbols("a b")
    game = minmax_from_sympy(sp.sin(4 * a) * b + (a - b) ** 2, [a], [b], domain=DSZSet(1, Delta))
    x0 = u[0]
    y0 = min(1.0, max(0.0, x0 + (2 * u[1] - 1) * Delta))
    p = np.array([x0, y0])
    cert = certify_local_nash(game, p, eps=eps, delta=delta, n_random=4, ascent_steps=5)
    true = -math.inf
    for i in range(2):
        other = p[1 - i]
        lo = max(0.0, other - Delta, p[i] - delta)
        hi = min(1.0, other + Delta, p[i] + delta)
        base = game.utility(i, p)
        for t in np.linspace(lo, hi, 2001):
            z = p.copy()
            z[i] = t
            true = max(true, game.utility(i, z) - base)
    if cert.verdict is Verdict.VERIFIED:
        assert true <= eps
    if cert.verdict is Verdict.REFUTED:
        assert witness_checks_out(game, p, cert)


@settings(max_examples=60 * FUZZ_SCALE)
@given(
    which=st.integers(0, len(SCALAR_GAMES) - 1),
    dx=st.lists(st.floats(-3e-3, 3e-3), min_size=2, max_size=2),
    eps=st.floats(1e-5, 1e-2),
    delta=st.floats(1e-3, 0.1),
)
def test_fuzz_near_equilibria_where_verdicts_flip(which, dx, eps, delta):
    """Small perturbations of a known equilibrium: the VERIFIED/REFUTED boundary region."""
    factory, lo, hi = SCALAR_GAMES[which]
    game = factory()
    base = np.array([1.0, 1.0]) if which == 2 else np.zeros(2)
    x = np.clip(base + np.array(dx), lo, hi)
    cert = certify_local_nash(game, x, eps=eps, delta=delta, n_random=4, ascent_steps=10)
    true = exact_true_gain_scalar(which, x, delta)
    if cert.verdict is Verdict.VERIFIED:
        assert true <= Fraction(eps)
    if cert.verdict is Verdict.REFUTED:
        assert true > Fraction(eps)
        assert witness_checks_out(game, x, cert)
    # the bound is never below the (exact) truth
    assert Fraction(cert.epsilon_upper) >= true


def test_residual_epsilon_with_a_huge_gradient_and_zero_residual():
    """DSZ Thm 5.1's bound r(r + delta)/eta + |g| r + L delta^2/2 with r = 0 is L delta^2/2, also
    when |g| = 1e200 (whose unscaled norm overflows: inf * 0 was NaN); the checker agrees."""
    from certificates import check_certificate

    g = game_from_callables(
        [lambda z: 1e200 * z[0], lambda z: -z[1] ** 2],
        gradients=[lambda z: np.array([1e200]), lambda z: np.array([-2 * z[1]])],
        dims=[1, 1], domain=ProductSet([Box([0], [1]), Box([-1], [1])]), smoothness=[0.0, 2.0],
    )
    with np.errstate(over="ignore"):
        cert = certify_local_nash(g, [1.0, 0.0], eps=1e-3, delta=0.1)
        assert [p.residual for p in cert.players] == [0.0, 0.0]
        assert cert.players[0].residual_epsilon == 0.0  # L = 0
        assert cert.players[1].residual_epsilon == pytest.approx(2.0 * 0.1**2 / 2, rel=1e-12)
        assert cert.verdict is not Verdict.VERIFIED or cert.epsilon_upper <= 1e-3
        assert check_certificate(json.loads(cert.to_json())).ok
