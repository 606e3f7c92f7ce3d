"""Local CCE certificates (Cai et al.): closed forms, soundness against brute force, self-play rates."""

from __future__ import annotations

import itertools
import json
import math
import os

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from certificates._cce import as_distribution, certify_local_cce, gradient_self_play
from certificates._records import Verdict
from constructions import (
    Ball,
    Box,
    InvalidArgument,
    ProductSet,
    game_from_callables,
    game_from_sympy,
    matching_pennies,
    normal_form_game,
)

#: CI (CI=true) fuzzes 10x harder than a local run (thousands of examples)
FUZZ_SCALE = 10 if os.environ.get("CI") else 1

R = sp.Rational
x1, x2, y1, y2 = sp.symbols("x1 x2 y1 y2")


def nonconcave_game():
    """Two players on [-1, 1]^2 with utilities that are not concave in the own strategy."""
    u1 = (R(3, 10) * sp.cos(3 * x1) - (x1 - y1 / 2) ** 2 + R(1, 5) * sp.sin(2 * x2) - x2**2
          + R(3, 10) * x2 * y2)
    u2 = (R(3, 10) * sp.cos(3 * y2) - (y2 + x2 / 2) ** 2 + R(1, 5) * sp.sin(2 * y1) - y1**2
          - R(3, 10) * x1 * y1)
    dom = ProductSet([Box([-1, -1], [1, 1]), Box([-1, -1], [1, 1])])
    return game_from_sympy([u1, u2], [[x1, x2], [y1, y2]], domain=dom, name="nonconcave")


# ---------------------------------------------------------------------------------
# acceptance: self-play reaches local CCE at the rate of Cai et al.
# ---------------------------------------------------------------------------------


def test_self_play_is_verified_and_epsilon_shrinks_at_the_proven_rate():
    """Cai et al. (arXiv 2403.08171) v1 Thm 1 / v4 Thm 13: the Phi_int(delta)-regret is delta/D times
    the external regret on the linearised rewards; Zinkevich's bound for projected online gradient
    ascent, Reg <= D^2/(2 eta) + (eta/2) sum_t ||g_t||^2, with eta = D/(G sqrt T) gives
    eps_T <= delta G / sqrt(T) (v1 Thm 2: an (eps_T + delta^2 L/2, Phi_int(delta))-local equilibrium,
    i.e. rate T^(-1/2)). We check the certificate VERIFIES that claim for every T and that the
    certified linearised epsilon decays at least like T^(-1/2)."""
    game = nonconcave_game()
    # own Hessians do not depend on the other player: a bound on the whole box is a bound everywhere
    Ls = [game.local_smoothness(i, np.zeros(4), 1.0).value for i in range(2)]
    D, G_design, delta = 2 * math.sqrt(2), 4.0, 0.05
    rows = []
    for T in (100, 400, 1600, 6400):
        eta = D / (G_design * math.sqrt(T))
        dist = gradient_self_play(game, [0.9, -0.9, -0.9, 0.9], rounds=T, step=eta)
        grads = [[game.gradient(i, x) for x in dist.points] for i in range(2)]
        # Zinkevich's bound with the realised gradients, times delta/D (the theorem, evaluated)
        theory = max(delta / D * (D**2 / (2 * eta) + eta / 2 * sum(float(g @ g) for g in grads[i])) / T
                     for i in range(2))
        G_real = max(float(np.linalg.norm(g)) for gi in grads for g in gi)
        claim = theory + delta**2 * max(Ls) / 2
        cert = certify_local_cce(game, dist.points, dist.weights, eps=claim * 1.000001, delta=delta,
                                 family="int", smoothness=Ls)
        lin = max(p.linear_gain_upper for p in cert.players)
        rows.append((T, lin, theory, delta * G_real / math.sqrt(T), cert.epsilon_upper, cert.verdict))
        assert cert.verdict is Verdict.VERIFIED, cert.summary()
        assert lin <= theory
    print("\n   T   certified lin. eps   Zinkevich*delta/D   delta*G/sqrt(T)   certified eps (+dL^2/2)")
    for T, lin, th, dg, ep, _ in rows:
        print(f"{T:5d}   {lin:.6e}       {th:.6e}        {dg:.6e}      {ep:.6e}")
    slope = np.polyfit(np.log([r[0] for r in rows]), np.log([r[1] for r in rows]), 1)[0]
    print(f"fitted rate: eps_lin ~ T^{slope:.3f}  (theory: exponent <= -1/2)")
    assert slope <= -0.45


def test_self_play_uniform_weights_and_projection():
    game = nonconcave_game()
    d = gradient_self_play(game, [1.0, 1.0, -1.0, -1.0], rounds=30, step=[0.5, 0.5])
    assert d.points.shape == (30, 4) and np.allclose(d.weights, 1 / 30)
    assert np.all(np.abs(d.points) <= 1.0)
    # first step is x + eta g, clipped
    g0 = np.concatenate([game.gradient(i, d.points[0]) for i in range(2)])
    assert np.allclose(d.points[1], np.clip(d.points[0] + 0.5 * g0, -1, 1))


# ---------------------------------------------------------------------------------
# closed forms against brute force
# ---------------------------------------------------------------------------------


def _normal_form_int_brute(P, X, p, i, delta, dims):
    """Exact Phi_int(delta) gain on a mixed extension from the payoff tensor (u is linear in x_i,
    so the true gain equals the linearised one; the maximum over x* is at a pure strategy)."""
    n = len(dims)
    starts = np.cumsum([0, *dims])
    D = math.sqrt(2)
    lam = delta / D

    def u(i, blocks):
        out = P[i]
        for b in reversed(blocks):
            out = out @ b
        return float(out)

    best = 0.0
    for a in range(dims[i]):
        e = np.zeros(dims[i])
        e[a] = 1.0
        tot = 0.0
        for k in range(len(p)):
            blocks = [X[k, starts[j]:starts[j + 1]] for j in range(n)]
            dev = list(blocks)
            dev[i] = (1 - lam) * blocks[i] + lam * e
            tot += p[k] * (u(i, dev) - u(i, blocks))
        best = max(best, tot)
    return best


def test_int_closed_form_equals_brute_force_on_normal_form_games():
    rng = np.random.default_rng(1)
    for _ in range(20):
        dims = (2, 3)
        P = rng.integers(-5, 6, size=(2, *dims)).astype(float)
        game = normal_form_game(P)
        K = 4
        X = np.hstack([rng.dirichlet(np.ones(d), size=K) for d in dims])
        p = rng.dirichlet(np.ones(K))
        cert = certify_local_cce(game, X, p, eps=1.0, delta=0.1, family="int")
        for i in range(2):
            brute = _normal_form_int_brute(P, X, p, i, 0.1, dims)
            assert cert.players[i].epsilon_upper >= brute
            assert cert.players[i].epsilon_upper == pytest.approx(brute, rel=1e-9, abs=1e-12)


def _box_game_from_gradients(Gfun, d, lo=-1.0, hi=1.0, L=0.0):
    """A one-player game on a box with utility <c, x> (gradient Gfun), used for linear checks."""
    return game_from_callables([lambda x: float(Gfun(x) @ x)], [Gfun], dims=[d],
                               domain=Box([lo] * d, [hi] * d), smoothness=L)


def test_proj_unconstrained_is_exactly_delta_times_norm_of_mean_gradient():
    rng = np.random.default_rng(2)
    A = rng.normal(size=(3, 3))
    game = game_from_callables([lambda x: -0.5 * float(x @ A @ x)], [lambda x: -(A + A.T) / 2 @ x], dims=[3],
                               smoothness=float(np.linalg.norm(A + A.T, 2) / 2))
    X = rng.normal(size=(5, 3))
    p = rng.dirichlet(np.ones(5))
    cert = certify_local_cce(game, X, p, eps=10.0, delta=0.3, family="proj")
    gbar = p @ np.array([-(A + A.T) / 2 @ x for x in X])
    exact = 0.3 * float(np.linalg.norm(gbar))
    pb = cert.players[0]
    assert pb.linear_gain_upper >= exact
    assert pb.linear_gain_upper == pytest.approx(exact, rel=1e-12)
    assert pb.linear_gain_lower == pytest.approx(exact, rel=1e-9)
    assert len(pb.interior) == 5


def test_proj_bound_dominates_sampled_deviations_on_a_box():
    rng = np.random.default_rng(3)
    d, K, delta = 2, 6, 0.4
    C = rng.normal(size=(d, d))
    def grad(x):
        return np.array([1.0, -0.5]) + C @ x
    game = game_from_callables([lambda x: 0.0], [grad], dims=[d], domain=Box([0, 0], [1, 1]), smoothness=0.0)
    X = np.vstack([[0.0, 0.5], [1.0, 1.0], [0.5, 0.5], rng.uniform(0, 1, size=(K - 3, d))])
    p = rng.dirichlet(np.ones(K))
    cert = certify_local_cce(game, X, p, eps=10.0, delta=delta, family="proj", search=False)
    G = np.array([grad(x) for x in X])
    best = 0.0
    for _ in range(4000):
        v = rng.normal(size=d)
        v *= delta * rng.uniform() ** 0.5 / np.linalg.norm(v)
        best = max(best, float(p @ np.sum(G * (np.clip(X + v, 0, 1) - X), axis=1)))
    pb = cert.players[0]
    assert pb.linear_gain_upper >= best
    assert pb.linear_gain_lower <= pb.linear_gain_upper
    assert pb.linear_gain_lower >= 0.9 * best  # the search finds (nearly) the sampled optimum


def test_proj_on_a_ball_uses_interior_points_jointly():
    game = game_from_callables([lambda x: float(x[0])], [lambda x: np.array([1.0, 0.0])], dims=[2],
                               domain=Ball([0.0, 0.0], 1.0), smoothness=0.0)
    X = np.array([[0.0, 0.0], [0.2, 0.1]])
    cert = certify_local_cce(game, X, eps=0.1, delta=0.05, family="proj")
    assert cert.players[0].interior == (0, 1)
    assert cert.players[0].epsilon_upper == pytest.approx(0.05, rel=1e-12)
    assert cert.verdict is Verdict.VERIFIED
    bad = certify_local_cce(game, X, eps=0.04, delta=0.05, family="proj")
    assert bad.verdict is Verdict.REFUTED and bad.witness.gain_lower > 0.04


def test_finite_family_matches_direct_evaluation():
    game = nonconcave_game()
    rng = np.random.default_rng(4)
    X = rng.uniform(-0.8, 0.8, size=(5, 4))
    p = rng.dirichlet(np.ones(5))
    shifts = [np.array([0.05, 0.0]), np.array([0.0, -0.05])]
    def halfway(z):
        return z + 0.5 * (np.array([0.1, 0.1]) - z) * min(1.0, 0.05 / max(np.linalg.norm(z - 0.1), 1e-9))
    devs = [[*shifts, halfway], [np.array([0.03, 0.03])]]
    cert = certify_local_cce(game, X, p, eps=1.0, delta=0.1, family="finite", deviations=devs)
    for i, maps in enumerate(devs):
        direct = []
        for phi in maps:
            tot = 0.0
            for k in range(5):
                z = X[k].copy()
                sl = game.block_slices[i]
                z[sl] = phi(X[k, sl]) if callable(phi) else np.clip(X[k, sl] + phi, -1, 1)
                tot += p[k] * (game.utility(i, z) - game.utility(i, X[k]))
            direct.append(tot)
        ub = cert.players[i].point_bounds
        assert all(u >= t - 1e-15 for u, t in zip(ub, direct, strict=True))
        assert cert.players[i].linear_gain_lower == pytest.approx(max(direct), abs=1e-12)
    worst = max(cert.players[i].linear_gain_lower for i in range(2))
    eps = 0.5 * worst if worst > 0 else None
    if eps:
        assert certify_local_cce(game, X, p, eps=eps, delta=0.1, family="finite",
                                 deviations=devs).verdict is Verdict.REFUTED


def test_matching_pennies_uniform_over_profiles_is_a_cce_and_a_pure_profile_is_not():
    pts = [[1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 0, 1], [0, 1, 1, 0]]
    assert certify_local_cce(matching_pennies(), pts, eps=1e-9, delta=0.1, family="int").verified
    # Phi_proj: the true gain is 0 here too, but the sound bound (a sum of per-point maxima at the
    # vertices) is loose: the certificate may stay INCONCLUSIVE, never REFUTED
    assert certify_local_cce(matching_pennies(), pts, eps=1e-9, delta=0.1,
                             family="proj").verdict is not Verdict.REFUTED
    for fam in ("int", "proj"):
        bad = certify_local_cce(matching_pennies(), [[1, 0, 0, 1]], eps=1e-3, delta=0.1, family=fam)
        assert bad.verdict is Verdict.REFUTED
        assert bad.witness.evaluation != "float"


# ---------------------------------------------------------------------------------
# fuzzing: nothing that is not an equilibrium is ever VERIFIED
# ---------------------------------------------------------------------------------


@st.composite
def normal_form_cases(draw):
    m = draw(st.integers(2, 3))
    n = draw(st.integers(2, 3))
    P = np.array(draw(st.lists(st.integers(-4, 4), min_size=2 * m * n, max_size=2 * m * n)),
                 dtype=float).reshape(2, m, n)
    K = draw(st.integers(1, 4))
    X = []
    for _ in range(K):
        a = np.array(draw(st.lists(st.integers(0, 4), min_size=m, max_size=m)), dtype=float) + 1e-3
        b = np.array(draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)), dtype=float) + 1e-3
        X.append(np.concatenate([a / a.sum(), b / b.sum()]))
    w = np.array(draw(st.lists(st.integers(1, 5), min_size=K, max_size=K)), dtype=float)
    eps = draw(st.sampled_from([1e-4, 1e-3, 1e-2, 5e-2, 0.2]))
    return P, np.array(X), w / w.sum(), eps


@settings(max_examples=300 * FUZZ_SCALE, deadline=None)
@given(normal_form_cases())
def test_fuzz_int_never_verifies_a_non_equilibrium(case):
    P, X, p, eps = case
    game = normal_form_game(P)
    delta = 0.1
    cert = certify_local_cce(game, X, p, eps=eps, delta=delta, family="int", n_random=2)
    brute = max(_normal_form_int_brute(P, X, p, i, delta, P.shape[1:]) for i in range(2))
    if cert.verdict is Verdict.VERIFIED:
        assert brute <= eps
    if cert.verdict is Verdict.REFUTED:
        assert brute > eps
    if brute <= 0.5 * eps:
        assert cert.verdict is Verdict.VERIFIED  # the closed form is exact here (L = 0)


@st.composite
def quadratic_cases(draw):
    d = 2
    vals = draw(st.lists(st.integers(-3, 3), min_size=d * d + d, max_size=d * d + d))
    A = np.array(vals[: d * d], dtype=float).reshape(d, d) / 2
    b = np.array(vals[d * d:], dtype=float) / 2
    K = draw(st.integers(1, 3))
    X = np.array(draw(st.lists(st.lists(st.integers(0, 4), min_size=d, max_size=d), min_size=K, max_size=K)),
                 dtype=float) / 4
    eps = draw(st.sampled_from([1e-3, 1e-2, 5e-2, 0.2]))
    return A, b, X, eps


@settings(max_examples=150 * FUZZ_SCALE, deadline=None)
@given(quadratic_cases())
def test_fuzz_proj_never_verifies_a_non_equilibrium(case):
    """u(x) = <b, x> + x^T A x / 2 on the unit box (nonconcave for indefinite A); brute force: the
    true expected gain of Pi(x + v) over a grid of v in the delta-ball."""
    A, b, X, eps = case
    S = (A + A.T) / 2
    L = float(np.linalg.norm(S, 2))
    game = game_from_callables([lambda x: float(b @ x + 0.5 * x @ S @ x)], [lambda x: b + S @ x], dims=[2],
                               domain=Box([0, 0], [1, 1]), smoothness=L)
    delta = 0.25
    cert = certify_local_cce(game, X, eps=eps, delta=delta, family="proj", n_random=4, ascent_steps=5)
    p = np.full(len(X), 1 / len(X))
    best = -math.inf
    for r, t in itertools.product(np.linspace(0, delta, 9), np.linspace(0, 2 * np.pi, 48, endpoint=False)):
        v = r * np.array([math.cos(t), math.sin(t)])
        Z = np.clip(X + v, 0, 1)
        gain = sum(p[k] * (game.utility(0, Z[k]) - game.utility(0, X[k])) for k in range(len(X)))
        best = max(best, float(gain))
    if cert.verdict is Verdict.VERIFIED:
        assert best <= eps
    if cert.verdict is Verdict.REFUTED:
        assert cert.witness.gain_lower > eps
        v = np.array(cert.witness.parameter)
        assert np.linalg.norm(v) <= delta
        Z = np.clip(X + v, 0, 1)
        assert sum(p[k] * (game.utility(0, Z[k]) - game.utility(0, X[k])) for k in range(len(X))) > eps


# ---------------------------------------------------------------------------------
# INCONCLUSIVE paths, records, bad input
# ---------------------------------------------------------------------------------


def test_missing_smoothness_and_nan_gradients_are_inconclusive():
    g = game_from_callables([lambda x: float(x[0])], [lambda x: np.array([1.0])], dims=[1],
                            domain=Box([0], [1]))
    cert = certify_local_cce(g, [[0.5]], eps=10.0, delta=0.1)
    assert cert.verdict is Verdict.INCONCLUSIVE and "smoothness" in " ".join(cert.reasons)
    nan = game_from_callables([lambda x: float(x[0])], [lambda x: np.array([math.nan])], dims=[1],
                              domain=Box([0], [1]), smoothness=1.0)
    cert = certify_local_cce(nan, [[0.5]], eps=10.0, delta=0.1, family="proj")
    assert cert.verdict is Verdict.INCONCLUSIVE and "not finite" in " ".join(cert.reasons)
    unbounded = game_from_callables([lambda x: float(x[0])], [lambda x: np.array([1.0])], dims=[1],
                                    smoothness=0.0)
    assert certify_local_cce(unbounded, [[0.5]], eps=10.0, delta=0.1).verdict is Verdict.INCONCLUSIVE


def test_certificate_serialises_with_its_kind_and_data():
    pts = [[1, 0, 1, 0], [0, 1, 0, 1]]
    cert = certify_local_cce(matching_pennies(), pts, eps=1e-3, delta=0.1, family="proj")
    doc = json.loads(cert.to_json())
    assert doc["kind"] == "local-cce" and doc["family"] == "proj"
    assert doc["schema"].startswith("localeq.certificate/")
    assert len(doc["points"]) == 2 and len(doc["players"]) == 2
    assert "verdict" in cert.summary()


G0 = matching_pennies()


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"game": "mp", "points": [[1, 0, 1, 0]], "eps": 1.0, "delta": 0.1}, "game"),
        ({"game": G0, "points": [[1, 0, 1]], "eps": 1.0, "delta": 0.1}, "points"),
        ({"game": G0, "points": [[1, 0, 1, 0]], "weights": [0.5], "eps": 1.0, "delta": 0.1}, "weights"),
        ({"game": G0, "points": [[1, 0, 1, 0], [0, 1, 0, 1]], "weights": [0.5, 0.6], "eps": 1.0,
          "delta": 0.1}, "weights"),
        ({"game": G0, "points": [[1, 0, 1, 0], [0, 1, 0, 1]], "weights": [1.5, -0.5], "eps": 1.0,
          "delta": 0.1}, "weights"),
        ({"game": G0, "points": [[2, 0, 1, 0]], "eps": 1.0, "delta": 0.1}, "points[0]"),
        ({"game": G0, "points": [[math.nan, 0, 1, 0]], "eps": 1.0, "delta": 0.1}, "points"),
        ({"game": G0, "points": [[1, 0, 1, 0]], "eps": -1.0, "delta": 0.1}, "eps"),
        ({"game": G0, "points": [[1, 0, 1, 0]], "eps": 1.0, "delta": 0.0}, "delta"),
        ({"game": G0, "points": [[1, 0, 1, 0]], "eps": 1.0, "delta": 0.1, "family": "beam"}, "family"),
        ({"game": G0, "points": [[1, 0, 1, 0]], "eps": 1.0, "delta": 0.1, "family": "finite"}, "deviations"),
        ({"game": G0, "points": [[1, 0, 1, 0]], "eps": 1.0, "delta": 0.1, "family": "finite",
          "deviations": [[[0.5, -0.5]], []]}, "delta-local"),
        ({"game": G0, "points": [[1, 0, 1, 0]], "eps": 1.0, "delta": 0.1, "family": "finite",
          "deviations": [[[0.1, 0.1, 0.1]], []]}, "deviations[0][0]"),
        ({"game": G0, "points": [[1, 0, 1, 0]], "eps": 1.0, "delta": 0.1, "smoothness": [1.0]}, "smoothness"),
        ({"game": G0, "points": [[1, 0, 1, 0]], "eps": 1.0, "delta": 0.1, "rng": -1}, "rng"),
    ],
)
def test_bad_input_raises_invalid_argument(kwargs, needle):
    with pytest.raises(InvalidArgument, match=needle.replace("[", r"\[").replace("]", r"\]")):
        certify_local_cce(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"game": G0, "x0": [1, 0, 1, 0], "rounds": 0}, "rounds"),
        ({"game": G0, "x0": [1, 0, 1], "rounds": 3}, "x0"),
        ({"game": G0, "x0": [1, 0, 1, 0], "rounds": 3, "step": -1.0}, "step"),
        ({"game": G0, "x0": [1, 0, 1, 0], "rounds": 3, "step": [0.1]}, "step"),
    ],
)
def test_self_play_bad_input(kwargs, needle):
    with pytest.raises(InvalidArgument, match=needle):
        gradient_self_play(**kwargs)


def test_as_distribution_defaults_to_uniform():
    d = as_distribution(G0, [[1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 0, 1]])
    assert np.allclose(d.weights, 1 / 3)
