"""Linear-deviation certificates: closed forms vs the LP, exact dual checks, CE cross-check, failures."""

from __future__ import annotations

import json
import math
import os
from fractions import Fraction

import cvxpy as cp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certificates._check import check_certificate
from certificates._linear import (
    certify_linear_deviation,
    check_ball_dual,
    check_linear_dual,
    correlated_equilibrium_gain,
    linear_gain_ball,
    linear_gain_box,
    linear_gain_lp,
    linear_gain_simplex,
    linear_stats_exact,
)
from certificates._records import Verdict
from constructions import (
    Ball,
    Box,
    InvalidArgument,
    ProductSet,
    Simplex,
    game_from_callables,
    normal_form_game,
)

#: CI (CI=true) fuzzes 10x harder than a local run (thousands of examples)
FUZZ_SCALE = 10 if os.environ.get("CI") else 1


def _box_lp_data(lo, hi):
    d = len(lo)
    return (np.vstack([np.eye(d), -np.eye(d)]), np.concatenate([hi, -lo]),
            {"interior": (lo + hi) / 2, "recession": np.ones(2 * d)})


def _simplex_lp_data(d):
    return (np.vstack([-np.eye(d - 1), np.ones((1, d - 1))]), np.concatenate([np.zeros(d - 1), [1.0]]),
            {"interior": np.full(d - 1, 1 / d), "recession": np.ones(d)})


def _table_game(S, X, G):
    """A one-player callable game on S whose gradient at the support point X[k] is G[k]."""
    table = {tuple(float(v) for v in x): np.array(g, dtype=float) for x, g in zip(X, G, strict=True)}
    return game_from_callables([lambda x: 0.0], [lambda x: table[tuple(float(v) for v in x)]], dims=[S.dim],
                               domain=S, name="gradient table")


def test_box_and_simplex_closed_forms_equal_the_lp_and_its_file_passes_the_independent_checker():
    """Hundreds of random instances, each certified on the LP path (``method="lp"``): the LP optimum
    equals the exact closed form (certificates.md 3.4) to 1e-8 and the certified bound lies in
    [exact, exact + 1e-8]; the certificate file is accepted by the independent checker (which
    re-derives the bound from the recorded dual with its own exact weak-duality check); a dual
    that backs less than the record (z + y) and a claim below the exact maximum (which no dual can
    prove, by weak duality) are rejected."""
    rng = np.random.default_rng(0)
    n_box = n_simplex = 0
    for it in range(240):
        K = int(rng.integers(1, 5))
        p = rng.dirichlet(np.ones(K))
        if it % 2 == 0:
            d = int(rng.integers(1, 4))
            lo = np.round(rng.uniform(-1, 0, d), 3)
            hi = lo + np.round(rng.uniform(0.2, 2, d), 3)
            X = lo + (hi - lo) * rng.uniform(size=(K, d))
            G = rng.normal(size=(K, d))
            S = Box(lo, hi)
            exact = linear_gain_box(linear_stats_exact(p, X, G), lo, hi)[0]
            n_box += 1
        else:
            d = int(rng.integers(2, 5))
            X = rng.dirichlet(np.ones(d), size=K)
            G = rng.normal(size=(K, d))
            S = Simplex(d)
            exact = linear_gain_simplex(linear_stats_exact(p, X, G))[0]
            n_simplex += 1
        cert = certify_linear_deviation(_table_game(S, X, G), X, p, eps=100.0, method="lp")
        pl = cert.players[0]
        assert pl.method == "lp-dual" and cert.verdict is Verdict.VERIFIED
        assert pl.value == pytest.approx(float(exact), abs=1e-8)
        assert float(exact) <= pl.linear_gain_upper <= float(exact) + 1e-8
        doc = json.loads(cert.to_json())
        res = check_certificate(doc)
        assert res.ok, (it, res.message)
        # a wrong dual: z + y stays dual-feasible but proves c^T y = sum(y_j (c - C x0)_j) > 0 more
        bad = json.loads(cert.to_json())
        dual = bad["players"][0]["dual"]
        assert sum(Fraction(a) * Fraction(b) for a, b in zip(bad["players"][0]["polytope_c"], dual["y"],
                                                                 strict=True)) >= Fraction(1, 5)
        dual["z"] = [a + b for a, b in zip(dual["z"], dual["y"], strict=True)]
        res = check_certificate(bad)
        assert not res.ok and "linear_gain_upper" in res.message, (it, res.message)
        # a claim below the exact maximum, made consistent everywhere else: the dual cannot back it
        low = json.loads(cert.to_json())
        claim = float(exact) - 1e-6 * (1 + abs(float(exact)))
        low["players"][0]["linear_gain_upper"] = low["epsilon_upper"] = claim
        low["slack"] = low["eps"] - claim
        res = check_certificate(low)
        assert not res.ok and "linear_gain_upper" in res.message, (it, res.message)
    assert n_box >= 100 and n_simplex >= 100


def test_closed_form_witnesses_are_feasible_and_attain_the_value():
    rng = np.random.default_rng(1)
    for _ in range(50):
        d, K = 3, 4
        lo, hi = -rng.uniform(0.1, 1, d), rng.uniform(0.1, 1, d)
        X = lo + (hi - lo) * rng.uniform(size=(K, d))
        G = rng.normal(size=(K, d))
        p = rng.dirichlet(np.ones(K))
        stats = linear_stats_exact(p, X, G)
        val, A, b = linear_gain_box(stats, lo, hi)
        # the map sends every vertex of the box into the box (exactly)
        for corner in np.array(np.meshgrid(*zip(lo, hi, strict=True))).T.reshape(-1, d):
            img = [sum(A[r][j] * Fraction(corner[j]) for j in range(d)) + b[r] for r in range(d)]
            assert all(Fraction(lo[r]) <= img[r] <= Fraction(hi[r]) for r in range(d))
        image = [[sum(A[r][j] * Fraction(X[k, j]) for j in range(d)) + b[r] for r in range(d)]
                 for k in range(K)]
        direct = sum(Fraction(p[k]) * Fraction(G[k, r]) * (image[k][r] - Fraction(X[k, r]))
                     for k in range(K) for r in range(d))
        assert direct == val


def test_wrong_duals_are_rejected():
    rng = np.random.default_rng(2)
    lo, hi = np.array([0.0, 0.0]), np.array([1.0, 2.0])
    X = rng.uniform(size=(3, 2)) * hi
    G = rng.normal(size=(3, 2))
    stats = linear_stats_exact(np.full(3, 1 / 3), X, G)
    exact, _, _ = linear_gain_box(stats, lo, hi)
    C, c, aux = _box_lp_data(lo, hi)
    res = linear_gain_lp(stats, C, c, primal=False, **aux)
    Y, z, y, x0 = res.dual["Y"], res.dual["z"], res.dual["y"], res.dual["x0"]
    assert check_linear_dual(C, c, stats.M, stats.gbar, stats.s, Y, z, y, x0, res.upper).ok
    # a dual for a smaller claim does not exist: the same dual cannot prove exact - 1e-3
    assert not check_linear_dual(C, c, stats.M, stats.gbar, stats.s, Y, z, y, x0, float(exact) - 1e-3).ok
    # tampered duals: scaled z, zeroed Y, a bad interior point, a y that is not positive
    assert not check_linear_dual(C, c, stats.M, stats.gbar, stats.s, Y, 0.5 * z, y, x0, res.upper).ok
    assert not check_linear_dual(C, c, stats.M, stats.gbar, stats.s, 0 * Y, z, y, x0, res.upper).ok
    assert not check_linear_dual(C, c, stats.M, stats.gbar, stats.s, Y, z, y, [5.0, 5.0], res.upper).ok
    assert not check_linear_dual(C, c, stats.M, stats.gbar, stats.s, Y, z, -y, x0, res.upper).ok
    # changing the data (another M) makes the certificate fail
    M2 = [[v + Fraction(1, 10) for v in row] for row in stats.M]
    assert not check_linear_dual(C, c, M2, stats.gbar, stats.s, Y, z, y, x0, res.upper).ok


def test_ball_sdp_bound_is_sound_and_checked():
    rng = np.random.default_rng(3)
    for _ in range(4):
        d, K = 2, 3
        X = rng.normal(size=(K, d))
        X /= 1.2 * np.maximum(1, np.linalg.norm(X, axis=1))[:, None]
        G = rng.normal(size=(K, d))
        p = np.full(K, 1 / K)
        stats = linear_stats_exact(p, X, G)
        res = linear_gain_ball(stats, [0.0, 0.0], 1.0)
        assert res.upper >= res.value - 1e-9 and res.upper <= res.value + 1e-6
        # the nuclear-norm outer bound of certificates.md 3.5 is never beaten from below
        Mf, gf, sf = stats.floats()
        assert res.upper <= np.linalg.norm(Mf, "nuc") + np.linalg.norm(gf) - sf + 1e-9
        # random invariant maps (||A|| + ||b|| <= 1) never gain more than the bound
        for _ in range(200):
            A = rng.normal(size=(d, d))
            b = rng.normal(size=d)
            k = np.linalg.norm(A, 2) + np.linalg.norm(b)
            A, b = A / k, b / k
            assert np.sum(Mf * A) + gf @ b - sf <= res.upper
        chk = check_ball_dual(stats.M, stats.gbar, stats.s, [0, 0], 1, res.dual["S11"], res.dual["S22"],
                              res.dual["eta"], res.upper)
        assert chk.ok
        assert not check_ball_dual(stats.M, stats.gbar, stats.s, [0, 0], 1, res.dual["S11"],
                                   res.dual["S22"], res.dual["eta"], res.value - 1e-3).ok
        assert not check_ball_dual(stats.M, stats.gbar, stats.s, [0, 0], 1, 0 * res.dual["S11"],
                                   res.dual["S22"], 0.0, res.upper).ok


# ---------------------------------------------------------------------------------
# correlated equilibria of normal-form games
# ---------------------------------------------------------------------------------


@st.composite
def nf_cases(draw):
    m = draw(st.integers(2, 3))
    n = draw(st.integers(2, 3))
    P = np.array(draw(st.lists(st.integers(-4, 4), min_size=2 * m * n, max_size=2 * m * n)),
                 dtype=float).reshape(2, m, n)
    K = draw(st.integers(1, 3))
    X = []
    for _ in range(K):
        a = np.array(draw(st.lists(st.integers(0, 3), min_size=m, max_size=m)), dtype=float) + 0.5
        b = np.array(draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)), dtype=float) + 0.5
        X.append(np.concatenate([a / a.sum(), b / b.sum()]))
    eps = draw(st.sampled_from([1e-3, 1e-2, 0.1, 0.5]))
    return P, np.array(X), eps


@settings(max_examples=300 * FUZZ_SCALE, deadline=None)
@given(nf_cases())
def test_fuzz_simplex_gain_is_the_correlated_equilibrium_regret(case):
    """No non-CE is ever VERIFIED: the certificate agrees with a direct numpy computation on the
    payoff tensor (the CE regret over recommendation -> deviation swaps)."""
    P, X, eps = case
    p = np.full(len(X), 1 / len(X))
    cert = certify_linear_deviation(normal_form_game(P), X, p, eps=eps)
    direct = correlated_equilibrium_gain(P, X, p)
    for i in range(2):
        assert cert.players[i].value == pytest.approx(direct[i], abs=1e-9)
        assert cert.players[i].linear_gain_upper >= direct[i] - 1e-12
    if cert.verdict is Verdict.VERIFIED:
        assert max(direct) <= eps
    if cert.verdict is Verdict.REFUTED:
        assert max(direct) > eps


def test_lp_path_agrees_with_closed_forms_on_games():
    P = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], dtype=float)
    X = np.array([[0.3, 0.7, 0.6, 0.4], [0.9, 0.1, 0.2, 0.8]])
    a = certify_linear_deviation(normal_form_game(P), X, eps=0.1)
    b = certify_linear_deviation(normal_form_game(P), X, eps=0.1, method="lp")
    for pa, pb in zip(a.players, b.players, strict=True):
        assert pb.method == "lp-dual" and pa.method == "closed-form"
        assert pb.value == pytest.approx(pa.value, abs=1e-8)
        C, c, dual = pb.polytope_C, pb.polytope_c, pb.dual
        G = np.array(pb.gradients)
        stats = linear_stats_exact(b.weights, np.array(b.points)[:, [0] if pb.player == 0 else [2]],
                                   G[:, :-1] - G[:, -1:])
        assert check_linear_dual(C, c, stats.M, stats.gbar, stats.s, dual["Y"], dual["z"], dual["y"],
                                 dual["x0"], pb.linear_gain_upper).ok
    # the LP path has only float witnesses, so where the closed form REFUTES it stays INCONCLUSIVE
    assert a.verdict is Verdict.REFUTED and b.verdict is Verdict.INCONCLUSIVE
    assert certify_linear_deviation(normal_form_game(P), [[0, 1, 0, 1]], eps=1e-6, method="lp").verified


def test_box_and_ball_games():
    def grad(x):
        return np.array([1.0 - x[0], -x[1]])
    box_game = game_from_callables([lambda x: 0.0], [grad], dims=[2], domain=Box([-1, -1], [1, 1]))
    X = np.array([[1.0, 0.0], [0.5, 0.5]])
    cert = certify_linear_deviation(box_game, X, eps=10.0)
    G = np.array([grad(x) for x in X])
    stats = linear_stats_exact([0.5, 0.5], X, G)
    val, _, _ = linear_gain_box(stats, [-1, -1], [1, 1])
    assert cert.players[0].value == pytest.approx(float(val)) and cert.verified
    ball_game = game_from_callables([lambda x: 0.0], [grad], dims=[2], domain=Ball([0, 0], 1.0))
    Xb = np.array([[0.6, 0.0], [0.0, 0.5]])
    cb = certify_linear_deviation(ball_game, Xb, eps=10.0)
    assert cb.players[0].method == "sdp-dual" and cb.verified
    doc = json.loads(cb.to_json())
    assert doc["kind"] == "linear-deviation" and set(doc["players"][0]["dual"]) == {"S11", "S22", "eta"}


# ---------------------------------------------------------------------------------
# solver failures and bad input
# ---------------------------------------------------------------------------------


def _poly_game():
    from constructions import Polytope

    P = Polytope([[1.0, 1.0]], [1.0], lo=[0.0, 0.0])
    return game_from_callables([lambda x: 0.0], [lambda x: np.array([1.0, -0.5])], dims=[2],
                               domain=ProductSet([P]))


def test_solver_error_gives_inconclusive_with_the_message(monkeypatch):
    def boom(self, *args, **kwargs):
        raise cp.error.SolverError("simulated backend crash")
    monkeypatch.setattr(cp.Problem, "solve", boom)
    cert = certify_linear_deviation(_poly_game(), [[0.2, 0.2]], eps=10.0)
    assert cert.verdict is Verdict.INCONCLUSIVE
    assert "simulated backend crash" in " ".join(cert.reasons)


def test_inaccurate_status_gives_inconclusive_with_the_message(monkeypatch):
    original = cp.Problem.solve

    def inaccurate(self, *args, **kwargs):
        val = original(self, *args, **kwargs)
        self._status = cp.OPTIMAL_INACCURATE
        return val
    monkeypatch.setattr(cp.Problem, "solve", inaccurate)
    cert = certify_linear_deviation(_poly_game(), [[0.2, 0.2]], eps=10.0)
    assert cert.verdict is Verdict.INCONCLUSIVE
    assert "optimal_inaccurate" in " ".join(cert.reasons)


def test_polytope_lp_verifies_and_matches_vertex_enumeration():
    cert = certify_linear_deviation(_poly_game(), [[0.2, 0.2], [0.0, 1.0]], eps=10.0)
    assert cert.verified and cert.players[0].method == "lp-dual"
    # triangle: affine self-maps = column-stochastic maps of the vertices; brute force over vertex images
    V = np.array([[0, 0], [1, 0], [0, 1]], dtype=float).T
    X = np.array([[0.2, 0.2], [0.0, 1.0]])
    g = np.array([1.0, -0.5])
    best = -math.inf
    import itertools

    for imgs in itertools.product(range(3), repeat=3):  # vertices are the extreme maps
        W = V[:, imgs]
        # affine map sending vertex k to W[:, k]: solve [V; 1] T = W
        T = W @ np.linalg.inv(np.vstack([V, np.ones(3)]))
        gain = np.mean([g @ (T[:, :2] @ x + T[:, 2] - x) for x in X])
        best = max(best, gain)
    assert cert.players[0].value == pytest.approx(best, abs=1e-7)
    assert cert.players[0].linear_gain_upper >= best


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"game": "g", "points": [[0.2, 0.2]], "eps": 1.0}, "game"),
        ({"game": _poly_game(), "points": [[0.2, 0.2]], "eps": 0.0}, "eps"),
        ({"game": _poly_game(), "points": [[0.2, 0.2]], "eps": 1.0, "method": "simplex"}, "method"),
        ({"game": _poly_game(), "points": [[0.9, 0.9]], "eps": 1.0}, "points"),
        ({"game": game_from_callables([lambda x: 0.0], [lambda x: np.zeros(1)], dims=[1]),
          "points": [[0.0]], "eps": 1.0}, "domain"),
    ],
)
def test_bad_input_raises_invalid_argument(kwargs, needle):
    with pytest.raises(InvalidArgument, match=needle):
        certify_linear_deviation(**kwargs)


def test_check_linear_dual_rejects_unreadable_data():
    assert not check_linear_dual([[1.0]], [1.0], [[0.0]], [0.0], 0.0, [[0.0]], ["x"], [1.0], [0.0], 1.0).ok
