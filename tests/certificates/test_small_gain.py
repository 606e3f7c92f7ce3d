"""Small-gain certificates: non-monotone games certified, dynamics contract at the certified rate."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
import sympy as sp
from hypothesis import event, given, settings
from hypothesis import strategies as st

from certificates._records import Verdict
from certificates._small_gain import (
    certify_small_gain,
    constants_from_jacobian,
    estimate_small_gain_constants,
    exact_small_gain_constants,
    margin_lower_bound,
    optimal_weights,
    small_gain_constants,
    two_player_band,
    weights_sdp,
)
from constructions import InvalidArgument, game_from_sympy

R = sp.Rational

#: CI (CI=true) fuzzes 10x harder than a local run
FUZZ_SCALE = 10 if os.environ.get("CI") else 1


def nonmonotone_quadratic_game():
    """Three players in R^2 each, quadratic costs; the symmetric part of the Jacobian is indefinite."""
    xs = sp.symbols("a1 a2 b1 b2 c1 c2")
    a, b, c = xs[:2], xs[2:4], xs[4:]
    f1 = a[0] ** 2 / 2 + a[1] ** 2 + 4 * a[0] * b[0] - 4 * a[1] * b[1] + R(1, 2) * a[0] * c[1]
    f2 = b[0] ** 2 + b[1] ** 2 / 2 + R(1, 20) * b[0] * a[0] + R(1, 10) * b[1] * a[1] + 5 * b[1] * c[0]
    f3 = c[0] ** 2 + c[1] ** 2 + R(1, 10) * c[0] * b[1] + R(1, 100) * c[1] * a[0]
    game = game_from_sympy([-f1, -f2, -f3], [a, b, c], name="non-monotone quadratic")
    F = sp.Matrix([*(sp.diff(f1, v) for v in a), *(sp.diff(f2, v) for v in b), *(sp.diff(f3, v) for v in c)])
    J = np.array(F.jacobian(xs), dtype=float)
    return game, J


def test_the_game_is_not_monotone_but_is_certified_and_dynamics_contract():
    game, J = nonmonotone_quadratic_game()
    sym_eigs = np.linalg.eigvalsh((J + J.T) / 2)
    assert sym_eigs[0] < 0  # not monotone in the Euclidean metric
    consts = exact_small_gain_constants(game, -np.ones(6), np.ones(6))
    ref = constants_from_jacobian(J, [2, 2, 2])
    assert np.allclose(consts.mu, ref.mu, atol=1e-9)
    assert np.allclose(consts.couplings, ref.couplings, atol=1e-9)
    cert = certify_small_gain(consts)
    assert cert.verdict is Verdict.VERIFIED, cert.summary()
    assert 0 < cert.alpha <= cert.tau + 1e-12 and cert.euler_factor < 1 and cert.rk4_factor < 1
    w = np.repeat(cert.weights, 2)
    # the certified margin is a true infinitesimal margin of J in the M(w) geometry
    Mh, Mih = np.diag(np.sqrt(w)), np.diag(1 / np.sqrt(w))
    symMJ = (np.diag(w) @ J + J.T @ np.diag(w)) / 2
    assert np.linalg.eigvalsh(Mih @ symMJ @ Mih)[0] >= cert.alpha - 1e-12
    assert np.linalg.norm(Mh @ J @ Mih, 2) <= cert.beta

    def mnorm(z):
        return float(np.sqrt(np.sum(w * z * z)))

    def F(z):
        return J @ z

    def euler(z, h):
        return z - h * F(z)

    def rk4(z, h):
        k1 = F(z)
        k2 = F(z - h / 2 * k1)
        k3 = F(z - h / 2 * k2)
        k4 = F(z - h * k3)
        return z - h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)

    rng = np.random.default_rng(0)
    schemes = ((euler, cert.euler_step, cert.euler_factor), (rk4, cert.rk4_step, cert.rk4_factor))
    for step, h, q in schemes:
        for _ in range(20):
            z, zp = rng.normal(size=6), rng.normal(size=6)
            d0 = mnorm(z - zp)
            for t in range(1, 60):
                z, zp = step(z, h), step(zp, h)
                assert mnorm(z - zp) <= q**t * d0 * (1 + 1e-9)
    # the flow contracts at rate alpha: d/dt ||z||_M^2 = -2 <z, M J z> <= -2 alpha ||z||_M^2
    for _ in range(50):
        z = rng.normal(size=6)
        assert z @ (np.diag(w) @ J) @ z >= cert.alpha * mnorm(z) ** 2 * (1 - 1e-12)


def test_canonical_two_player_example_matches_the_closed_forms():
    """mu = (1, 1), L12 = 10, L21 = 0.05 (certificates.md 4.3): tau = 1 - 1/sqrt(2) at w2/w1 = 200,
    band [34.3, 1165.7] for alpha = 0."""
    c = small_gain_constants([1, 1], [[0, 10], [0.05, 0]], [1, 1])
    w, tau = optimal_weights(c)
    assert w[1] / w[0] == pytest.approx(200.0) and tau == pytest.approx(1 - 1 / np.sqrt(2))
    lo, hi = two_player_band(c)
    assert (lo, hi) == pytest.approx((34.3146, 1165.685), rel=1e-5)
    # at the band's ends the margin is 0, inside positive (direct computation of alpha_*(r))
    for r, sign in ((lo, 0), (hi, 0), (200.0, 1)):
        W = np.diag([1.0, r])
        C = np.array([[2, -(10 + r * 0.05)], [-(10 + r * 0.05), 2 * r]])
        a = 0.5 * np.linalg.eigvalsh(np.sqrt(np.linalg.inv(W)) @ C @ np.sqrt(np.linalg.inv(W)))[0]
        assert (a == pytest.approx(0, abs=1e-9)) if sign == 0 else a > 0.29
    cert = certify_small_gain(c)
    assert cert.verified and cert.band == pytest.approx((lo, hi))
    assert cert.alpha == pytest.approx(tau, rel=1e-9) and cert.alpha <= tau
    assert cert.rk4_guideline == pytest.approx(2.5 / cert.beta)


def test_weight_sdp_matches_perron_and_honours_ratio_bounds():
    rng = np.random.default_rng(1)
    for _ in range(3):
        n = 3
        L = rng.uniform(0, 0.6, size=(n, n))
        np.fill_diagonal(L, 0)
        c = small_gain_constants(rng.uniform(1, 2, n), L)
        _, tau = optimal_weights(c)
        w, a = weights_sdp(c)
        assert a == pytest.approx(tau, abs=1e-5)
        assert margin_lower_bound(c, w) == pytest.approx(tau, abs=1e-4)
    c = small_gain_constants([1, 1], [[0, 10], [0.05, 0]])
    w, a = weights_sdp(c, ratio_bounds=[(0, 1, 50.0)])
    assert w[1] / w[0] <= 50 * (1 + 1e-6)
    assert a == pytest.approx(margin_lower_bound(c, [1.0, 50.0]), abs=1e-5)  # the band edge is optimal
    cert = certify_small_gain(c, ratio_bounds=[(0, 1, 50.0)])
    assert cert.verified and cert.weights[1] / cert.weights[0] <= 50 * (1 + 1e-6)


def test_refuted_when_no_weights_can_work_and_estimates_never_verify():
    bad = certify_small_gain(small_gain_constants([1, 1], [[0, 10], [0.2, 0]]))
    assert bad.verdict is Verdict.REFUTED and any(m.startswith("-") or m == "0" for m in bad.minors)
    # brute force over weight ratios: alpha_*(r) <= 0 everywhere
    for r in np.logspace(-4, 6, 400):
        C = np.array([[2, -(10 + 0.2 * r)], [-(10 + 0.2 * r), 2 * r]])
        Wi = np.diag([1.0, 1 / np.sqrt(r)])
        assert np.linalg.eigvalsh(Wi @ C @ Wi)[0] <= 1e-12
    game, _ = nonmonotone_quadratic_game()
    est = estimate_small_gain_constants(game, -np.ones(6), np.ones(6), n_samples=5)
    cert = certify_small_gain(est)
    assert est.estimate and cert.verdict is Verdict.INCONCLUSIVE
    assert "estimate" in " ".join(cert.reasons)
    doc = json.loads(cert.to_json())
    assert doc["kind"] == "small-gain" and doc["constants_estimate"] is True


def test_declared_constants_are_assumptions():
    cert = certify_small_gain(small_gain_constants([2, 3], [[0, 1], [1, 0]], [2, 3]))
    assert cert.verified and any("declared" in a for a in cert.assumptions)
    assert "verdict" in cert.summary()


@pytest.mark.parametrize(
    ("fn", "kwargs", "needle"),
    [
        (small_gain_constants, {"mu": [1, 1], "couplings": [[0, 1]]}, "couplings"),
        (small_gain_constants, {"mu": [1, 1], "couplings": [[0, -1], [1, 0]]}, "couplings"),
        (small_gain_constants, {"mu": [], "couplings": []}, "mu"),
        (small_gain_constants, {"mu": [1, 1], "couplings": [[0, 1], [1, 0]], "norms": [0.5, 1]}, "norms"),
        (certify_small_gain, {"constants": "c"}, "constants"),
        (certify_small_gain, {"constants": small_gain_constants([1], [[0]]), "weights": [-1.0]}, "weights"),
        (two_player_band, {"consts": small_gain_constants([1, 1, 1], np.zeros((3, 3)))}, "two players"),
        (exact_small_gain_constants, {"game": "g", "lo": [0], "hi": [1]}, "game"),
    ],
)
def test_bad_input_raises_invalid_argument(fn, kwargs, needle):
    with pytest.raises(InvalidArgument, match=needle):
        fn(**kwargs)


# ---------------------------------------------------------------------------------
# soundness fuzz: random quadratic games
# ---------------------------------------------------------------------------------

_EIGHTHS = st.integers(-16, 16).map(lambda k: R(k, 8))


@st.composite
def quadratic_games(draw):
    """Costs f_i = x_i^T Q_i x_i / 2 + sum_j x_i^T B_ij x_j + a_i^T x_i (n = 2 or 3 players, blocks of
    size 1 or 2): Q_i = m_i I + sym(E_i) with a random curvature m_i and a random (possibly indefinite)
    symmetric perturbation, couplings B_ij = kappa * random, all rational; F(x) = J x + a. A random
    box per player is the strategy set of the projected dynamics."""
    n = draw(st.integers(2, 3))
    dims = draw(st.lists(st.integers(1, 2), min_size=n, max_size=n))
    N = sum(dims)
    starts = np.cumsum([0, *dims])
    kappa = draw(st.sampled_from([R(0), R(1, 16), R(1, 8), R(1, 4), R(1, 2), R(1)]))
    J = sp.zeros(N, N)
    for i in range(n):
        m_i = R(draw(st.integers(1, 24)), 8)
        for a in range(dims[i]):
            for b in range(a, dims[i]):
                e = draw(_EIGHTHS) / 4
                J[starts[i] + a, starts[i] + b] += e + (m_i if a == b else 0)
                if b != a:
                    J[starts[i] + b, starts[i] + a] += e
        for j in range(n):
            if j != i:
                for a in range(dims[i]):
                    for b in range(dims[j]):
                        J[starts[i] + a, starts[j] + b] = kappa * draw(_EIGHTHS)
    a_vec = sp.Matrix([draw(_EIGHTHS) for _ in range(N)])
    lo = np.array([float(draw(_EIGHTHS)) - 2.0 for _ in range(N)])
    hi = lo + np.array([float(draw(st.integers(1, 32))) / 8 for _ in range(N)])
    return dims, J, a_vec, lo, hi


def _sympy_game(dims, J, a_vec):
    xs = sp.symbols(f"z0:{sum(dims)}")
    x = sp.Matrix(xs)
    starts = np.cumsum([0, *dims])
    blocks = [list(xs[starts[i] : starts[i + 1]]) for i in range(len(dims))]
    costs = []
    for i in range(len(dims)):
        I = range(starts[i], starts[i + 1])
        others = [q for q in range(sum(dims)) if q not in I]
        own = sum((J[p, q] * x[p] * x[q] for p in I for q in I), sp.Integer(0)) / 2
        cross = sum((J[p, q] * x[p] * x[q] for p in I for q in others), sp.Integer(0))
        costs.append(own + cross + sum((a_vec[p] * x[p] for p in I), sp.Integer(0)))
    return game_from_sympy([-c for c in costs], blocks, name="random quadratic")


@settings(max_examples=40 * FUZZ_SCALE, deadline=None)
@given(quadratic_games(), st.booleans(), st.integers(0, 2**32 - 1))
def test_fuzz_verified_small_gain_certificates_contract_at_the_certified_rate(game, via_sympy, seed):
    """Whenever certify_small_gain says VERIFIED for a random quadratic game, simulated projected
    Euler and projected RK4 with the certified steps contract every random pair of trajectories at
    least by the certified factor per step, measured in the certified weighted norm
    ||z||_M^2 = sum_i w_i ||z_i||^2 (certificates.md 4.4), and the flow margin alpha is a true margin
    of J in that norm. Otherwise the comparison matrix diag(mu) - L is not a nonsingular M-matrix
    (its smallest eigenvalue, computed independently with numpy, is <= 0 up to rounding)."""
    dims, J, a_vec, lo, hi = game
    N = sum(dims)
    Jf = np.array(J, dtype=float)
    af = np.array(a_vec, dtype=float).reshape(-1)
    if via_sympy:  # constants proved by ball arithmetic on the game's exact Jacobian (on a box)
        consts = exact_small_gain_constants(_sympy_game(dims, J, a_vec), lo, hi)
    else:
        consts = constants_from_jacobian(Jf, dims)
    cert = certify_small_gain(consts)
    event(f"verdict {cert.verdict.value}")
    A = np.diag(cert.mu) - np.array(cert.couplings)
    tau = float(np.min(np.linalg.eigvals(A).real))
    if cert.verdict is not Verdict.VERIFIED:
        assert cert.verdict in (Verdict.REFUTED, Verdict.INCONCLUSIVE)
        assert tau <= 1e-9 * (1 + np.max(np.abs(A))), (cert.verdict, tau, cert.reasons)
        return
    assert 0 < cert.alpha <= tau * (1 + 1e-9) + 1e-12  # alpha_*(w) <= tau(A) (field of values)
    assert cert.euler_factor < 1 and cert.rk4_factor < 1
    w = np.repeat(cert.weights, dims)

    def mnorm(z):
        return float(np.sqrt(np.sum(w * z * z)))

    # the flow margin: <u, M J u> >= alpha ||u||_M^2 for all u (the symmetric part, exactly in floats)
    Mh, Mih = np.diag(np.sqrt(w)), np.diag(1 / np.sqrt(w))
    sym = Mih @ ((np.diag(w) @ Jf + Jf.T @ np.diag(w)) / 2) @ Mih
    assert np.linalg.eigvalsh(sym)[0] >= cert.alpha - 1e-9 * (1 + np.max(np.abs(sym)))
    assert np.linalg.norm(Mh @ Jf @ Mih, 2) <= cert.beta * (1 + 1e-9)

    def F(z):
        return Jf @ z + af

    def proj(z):
        return np.clip(z, lo, hi)  # blockwise Euclidean projection onto the product of boxes

    def euler(z, h):
        return proj(z - h * F(z))

    def rk4(z, h):
        k1 = F(z)
        k2 = F(z - h / 2 * k1)
        k3 = F(z - h / 2 * k2)
        k4 = F(z - h * k3)
        return proj(z - h / 6 * (k1 + 2 * k2 + 2 * k3 + k4))

    rng = np.random.default_rng(seed)
    for step, h, q in ((euler, cert.euler_step, cert.euler_factor), (rk4, cert.rk4_step, cert.rk4_factor)):
        for _ in range(3):
            z = rng.normal(size=N) * rng.choice([0.1, 1.0, 10.0])
            zp = z + rng.normal(size=N) * rng.choice([1e-3, 1.0, 10.0])
            d = mnorm(z - zp)
            for _ in range(30):
                z, zp = step(z, h), step(zp, h)
                d_next = mnorm(z - zp)
                # float rounding of one step: a few ulps of the iterates' size
                tiny = 1e-13 * (1 + mnorm(z) + mnorm(zp) + h * mnorm(F(z)) + h * mnorm(F(zp)))
                assert d_next <= q * d * (1 + 1e-12) + tiny, (step.__name__, d_next, q * d)
                d = d_next
