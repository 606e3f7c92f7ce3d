"""The algorithm zoo against theory and independent computations.

* convergence rates on the quadratic family f = (mu/2)|x|^2 + L<x, By> - (mu/2)|y|^2 (kappa = L/mu):
  fitted exponents of steps-to-tolerance vs kappa, and exact step counts predicted by iterating
  the closed-form linear iteration matrices in numpy;
* every algorithm on the bilinear game, the quadratic game and a small DSZ lifted game: feasible
  iterates, query counts equal to a count kept by the game's own callables, residual equal to
  ``certificates.projected_gradient_residual``; in-process and isolated modes;
* known behaviour: GDA spirals out on xy while extragradient / OGDA / negative momentum /
  complex momentum converge; double FTR avoids the non-Nash GDA-stable point of Mazumdar,
  Jordan & Sastry's example and reaches a certified differential Nash equilibrium; self-play's
  empirical distribution is a VERIFIED local CCE;
* budgets stop runs cleanly at exactly the budget; bad inputs raise InvalidArgument.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

import numpy as np
import pytest
import sympy as sp

from certificates import certify_differential_nash, projected_gradient_residual
from certificates._cce import certify_local_cce, gradient_self_play
from complexity._oracle import GameOracle, run_isolated
from complexity.zoo import (
    ALGORITHMS,
    STOP_REASONS,
    RunResult,
    alternating_gda,
    cgd,
    complex_momentum,
    double_ftr,
    extragradient,
    gda,
    lola,
    negative_momentum,
    ogda,
    run_algorithm,
    self_play,
    stonr,
)
from constructions import (
    Box,
    InvalidArgument,
    ProductSet,
    bilinear,
    game_from_sympy,
    minmax_from_sympy,
    minmax_game,
    quadratic_saddle,
)
from constructions.lift import lifted_game
from constructions.sperner import planted_instance

# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------


def counted(game, log: Counter):
    """The same game whose utility / gradient / Hessian callables count their own calls."""

    def wrap(fns, kind):
        def one(fn):
            if fn is None:
                return None

            def call(z):
                log[kind] += 1
                return fn(z)

            return call

        return tuple(one(f) for f in fns)

    return dataclasses.replace(game, _utilities=wrap(game._utilities, "value"),
                               _gradients=wrap(game._gradients, "gradient"),
                               _hessians=wrap(game._hessians, "hessian"))


def assert_counts_match(queries: dict, log: Counter) -> None:
    """Oracle counts vs the callables' own count.

    ``GameOracle.hvp`` answers a cross block (the zoo asks hvp for cross blocks only) with two
    gradient evaluations (central differences); own blocks come from ``hessian``.
    """
    assert log["value"] == queries["value"]
    assert log["hessian"] == queries["hessian"]
    assert log["gradient"] == queries["gradient"] + 2 * queries["hvp"]


def lifted():
    return lifted_game(planted_instance(6, 2, target=(1, 2), rng=0).colouring)


def quadratic_family(kappa: float, *, worst: bool):
    """f = (mu/2)|x|^2 + L x_1 y_1 - (mu/2)|y|^2 with L = 1, mu = 1/kappa.

    ``worst=False``: x, y scalars (the quadratic saddle 0.5x^2 + 10xy - 0.5y^2 up to scale has
    kappa = 20). ``worst=True``: x, y in R^2 with one uncoupled direction, where only the
    curvature mu acts (the worst case of the strongly-monotone, L-smooth class).
    Returns the game and the matrix A of the descent field F(z) = (grad_x f, -grad_y f) = A z.
    """
    L, mu = 1.0, 1.0 / kappa
    if not worst:
        A = np.array([[mu, L], [-L, mu]])
        game = minmax_game(lambda z: 0.5 * mu * z[0] ** 2 + L * z[0] * z[1] - 0.5 * mu * z[1] ** 2,
                           lambda z: np.array([mu * z[0] + L * z[1]]),
                           lambda z: np.array([L * z[0] - mu * z[1]]), dx=1, dy=1)
        return game, A
    A = np.array([[mu, 0, L, 0], [0, mu, 0, 0], [-L, 0, mu, 0], [0, 0, 0, mu]])
    game = minmax_game(lambda z: 0.5 * mu * (z[0] ** 2 + z[1] ** 2) + L * z[0] * z[2]
                       - 0.5 * mu * (z[2] ** 2 + z[3] ** 2),
                       lambda z: np.array([mu * z[0] + L * z[2], mu * z[1]]),
                       lambda z: np.array([L * z[0] - mu * z[2], -mu * z[3]]), dx=2, dy=2)
    return game, A


def iteration_matrix(method: str, A: np.ndarray, eta: float, d: int) -> np.ndarray:
    """Closed-form linear iteration z <- M z of each method on F(z) = A z (descent field)."""
    n = A.shape[0]
    I = np.eye(n)
    if method == "gda":
        return I - eta * A
    if method == "extragradient":
        return I - eta * A + eta**2 * A @ A
    if method == "alt-gda":  # x-block first, then y-block at the new x
        X = I.copy()
        X[:d] -= eta * A[:d]
        Y = I.copy()
        Y[d:] -= eta * A[d:]
        return Y @ X
    raise ValueError(method)


def predicted_steps(M: np.ndarray, A: np.ndarray, z0: np.ndarray, tol: float) -> int:
    """First t with residual |A M^t z0| < tol (unconstrained residual = |g| = |A z|)."""
    z, t = z0.copy(), 0
    while np.linalg.norm(A @ z) >= tol:
        z = M @ z
        t += 1
    return t


# step sizes per theory (L = 1, mu = 1/kappa):
#   GDA: eta* = mu / (mu^2 + L^2) minimises the spectral radius |1 - eta(mu +- iL)| of I - eta A on the
#        scalar family: rho^2 = 1 - mu^2/(mu^2 + L^2) = 1 - 1/(1 + kappa^2), i.e. ~2 kappa^2 ln(1/tol) steps;
#   alternating GDA: eta = 1/L; the map has det (1 - eta mu)^2 and complex eigenvalues, so rho = 1 - 1/kappa;
#   extragradient: eta = 1/(2L) (the classical eta < 1/L); uncoupled direction: rho = 1 - 1/(2 kappa) + ...
STEPS = {
    "gda": lambda k: (1 / k) / ((1 / k) ** 2 + 1),
    "alt-gda": lambda k: 1.0,
    "extragradient": lambda k: 0.5,
}
RUNNERS = {"gda": gda, "alt-gda": alternating_gda, "extragradient": extragradient}


def fitted_exponent(kappas, steps) -> float:
    return float(np.polyfit(np.log(kappas), np.log(steps), 1)[0])


# ---------------------------------------------------------------------------------------
# convergence rates vs condition number
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "worst", "kappas", "lo", "hi"), [
    ("gda", False, [4, 8, 16, 32], 1.85, 2.15),           # O(kappa^2)
    ("gda", True, [4, 8, 16, 32], 1.85, 2.15),
    ("alt-gda", False, [8, 16, 32, 64], 0.85, 1.15),      # O(kappa)
    ("alt-gda", True, [8, 16, 32, 64], 0.85, 1.15),
    ("extragradient", True, [8, 16, 32, 64], 0.8, 1.15),   # O(kappa): uncoupled direction
    ("extragradient", False, [8, 16, 32, 64], -0.1, 0.5),  # scalar coupling contracts EG by itself
])
def test_steps_to_tolerance_grow_as_theory_says(method, worst, kappas, lo, hi):
    tol = 1e-8
    measured, predicted = [], []
    for k in kappas:
        game, A = quadratic_family(k, worst=worst)
        z0 = np.ones(game.dim)
        eta = STEPS[method](k)
        res = RUNNERS[method](GameOracle(game), z0, 10**6, step_size=eta, tol=tol)
        assert res.stopped_by == "tolerance", res.message
        measured.append(res.n_steps)
        predicted.append(predicted_steps(iteration_matrix(method, A, eta, game.dims[0]), A, z0, tol))
    # the implementation reproduces the closed-form linear iteration step for step
    assert measured == predicted
    slope = fitted_exponent(kappas, measured)
    assert lo <= slope <= hi, (method, worst, measured, slope)


def test_ordering_on_the_quadratic_saddle():
    """0.5x^2 + 10xy - 0.5y^2 (kappa = 20): GDA needs far more steps than alternating GDA and EG."""
    game = quadratic_saddle()
    k, L = 20.0, 10.0  # mu = 1, L = 10, steps scaled by 1/L
    runs = {
        "gda": gda(game, [1.0, 1.0], 10**5, step_size=(1 / L) * STEPS["gda"](k), tol=1e-8),
        "alt-gda": alternating_gda(game, [1.0, 1.0], 10**5, step_size=1 / L, tol=1e-8),
        "extragradient": extragradient(game, [1.0, 1.0], 10**5, step_size=0.5 / L, tol=1e-8),
    }
    assert all(r.stopped_by == "tolerance" for r in runs.values())
    n = {name: r.n_steps for name, r in runs.items()}
    assert n["gda"] > 10 * n["alt-gda"] and n["gda"] > 10 * n["extragradient"]
    # simultaneous GDA is the normal map I - eta A (A = I + 10 [[0, 1], [-1, 0]]): |z| shrinks or grows by
    # exactly sqrt((1 - eta)^2 + 100 eta^2) per step, < 1 iff eta < 2/101 (quadratic_saddle facts)
    eta_max = game.facts["gda_converges_iff_step_below"]
    for factor in (0.98, 1.02):
        eta = factor * eta_max
        res = gda(game, [1.0, 1.0], 3000, step_size=eta)
        ratio = np.linalg.norm(res.x) / np.sqrt(2.0)
        assert ratio == pytest.approx(((1 - eta) ** 2 + 100 * eta**2) ** 1500, rel=1e-9)
        assert (ratio < 0.5) if factor < 1 else (ratio > 2.0)


# ---------------------------------------------------------------------------------------
# every algorithm on every test game: domain, counts, residual
# ---------------------------------------------------------------------------------------

GAMES = {
    "bilinear-box": (lambda: bilinear(), [0.5, -0.3]),
    "quadratic-box": (lambda: quadratic_saddle(bound=2.0), [1.0, 0.5]),
    "quadratic": (lambda: quadratic_saddle(), [1.0, 0.5]),
    "dsz-lift": (lifted, [0.5, 0.5, 0.505, 0.49]),
}
OPTIONS = {"stonr": {"step_size": 1e-2}, "self-play": {"step_size": 0.05}}


@pytest.mark.parametrize("game_name", list(GAMES))
@pytest.mark.parametrize("name", list(ALGORITHMS))
def test_every_algorithm_respects_the_domain_and_counts_queries_exactly(name, game_name):
    make, x0 = GAMES[game_name]
    log: Counter = Counter()
    game = counted(make(), log)
    orc = GameOracle(game)
    if name == "stonr" and game.domain is None:
        with pytest.raises(InvalidArgument, match="box"):
            run_algorithm(name, orc, x0, 50)
        return
    res = run_algorithm(name, orc, x0, 60, **OPTIONS.get(name, {"step_size": 0.005}))
    assert isinstance(res, RunResult) and res.algorithm == name
    assert res.stopped_by in STOP_REASONS and res.stopped_by != "budget"
    assert res.trajectory.shape[1] == game.dim and np.array_equal(res.trajectory[-1], res.x)
    if game.domain is not None:
        assert max(game.domain.violation(z) for z in res.trajectory) <= 1e-9
    assert res.queries == orc.count_summary()
    assert_counts_match(res.queries, log)
    # the reported residual is the DSZ residual at residual_at (independent computation)
    np.testing.assert_array_equal(res.residual_at, res.x)
    expected = projected_gradient_residual(make(), res.residual_at).joint
    assert res.residual == pytest.approx(expected, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize(("name", "options"), [
    ("gda", {"step_size": 0.01}),
    ("cgd", {"step_size": 0.05}),
    ("double-ftr", {"step_size": 0.005}),
])
def test_isolated_mode_gives_the_same_run_and_counts(name, options):
    log_a, log_b = Counter(), Counter()
    orc_a = GameOracle(counted(quadratic_saddle(bound=2.0), log_a))
    orc_b = GameOracle(counted(quadratic_saddle(bound=2.0), log_b))
    a = run_algorithm(name, orc_a, [1.0, 0.5], 40, **options)
    b = run_isolated(ALGORITHMS[name].run, orc_b, [1.0, 0.5], 40, **options)
    np.testing.assert_array_equal(a.x, b.x)
    assert a.queries == b.queries == orc_b.count_summary()
    assert_counts_match(b.queries, log_b)
    assert log_a == log_b


# ---------------------------------------------------------------------------------------
# budgets and stop reasons
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["gda", "extragradient", "alt-gda", "cgd", "stonr", "self-play"])
@pytest.mark.parametrize("budget", [1, 7, 30])
def test_budget_ends_the_run_cleanly_at_exactly_the_budget(name, budget):
    log: Counter = Counter()
    orc = GameOracle(counted(quadratic_saddle(bound=2.0), log), budget=budget)
    res = run_algorithm(name, orc, [1.0, 0.5], 10**4, **OPTIONS.get(name, {"step_size": 0.005}))
    assert res.stopped_by == "budget" and "budget" in res.message
    assert orc.n_queries == res.n_queries == budget
    assert_counts_match(res.queries, log)
    # the returned point is one that was reached, and feasible
    assert any(np.array_equal(res.x, z) for z in res.trajectory)
    assert orc.domain.violation(res.x) == 0.0


def test_run_level_budget_and_isolated_budget():
    orc = GameOracle(quadratic_saddle())
    res = run_algorithm("gda", orc, [1.0, 1.0], 1000, step_size=0.005, budget=11)
    assert res.stopped_by == "budget" and orc.n_queries == 11 and res.n_steps == 5
    orc = GameOracle(quadratic_saddle(), budget=9)
    res = run_isolated(ALGORITHMS["extragradient"].run, orc, [1.0, 1.0], 1000, step_size=0.005)
    assert res.stopped_by == "budget" and orc.n_queries == 9 and res.queries == orc.count_summary()


def test_tolerance_final_residual_and_thinning():
    game = bilinear(bound=None)
    res = extragradient(game, [0.5, 0.5], 10**4, step_size=0.3, tol=1e-6)
    assert res.stopped_by == "tolerance" and res.residual < 1e-6
    res = gda(game, [0.5, 0.5], 100, step_size=0.1, thin=7, final_residual=False)
    assert res.queries["gradient"] == 200  # no query at the final point
    assert not np.array_equal(res.residual_at, res.x)
    assert res.trajectory.shape == (1 + 100 // 7 + 1, 2)
    res = gda(game, [0.5, 0.5], 100, step_size=0.1)
    assert res.queries["gradient"] == 202 and np.array_equal(res.residual_at, res.x)


def test_nonfinite_iterates_stop_the_run():
    x = sp.symbols("x")
    y = sp.symbols("y")
    game = minmax_from_sympy(x**3 - y**3, [x], [y])  # x <- x - 3 eta x^2 escapes doubly exponentially
    res = gda(game, [1.0, -1.0], 1000, step_size=1.0)
    assert res.stopped_by == "nonfinite" and 0 < res.n_steps < 20
    assert np.all(np.isfinite(res.x)) and np.all(np.isfinite(res.trajectory))


# ---------------------------------------------------------------------------------------
# known behaviour on the bilinear game
# ---------------------------------------------------------------------------------------


def test_gda_spirals_out_on_bilinear_exactly_as_derived():
    """GDA on xy is z <- (I + eta [[0,-1],[1,0]]) z: |z| grows by sqrt(1 + eta^2) every step."""
    eta = 0.1
    res = gda(bilinear(bound=None), [0.5, 0.5], 200, step_size=eta)
    norms = np.linalg.norm(res.trajectory, axis=1)
    np.testing.assert_allclose(norms[1:] / norms[:-1], np.sqrt(1 + eta**2), rtol=1e-12)
    # on the box it reaches the boundary and keeps circulating: the residual never gets small
    box = gda(bilinear(), [0.5, 0.5], 3000, step_size=eta, tol=1e-3)
    assert box.stopped_by == "steps"
    later = np.linalg.norm(box.trajectory[1000:], axis=1)
    assert later.min() > 0.5 and np.isclose(np.abs(box.trajectory).max(), 1.0)


@pytest.mark.parametrize("bound", [None, 1.0])
@pytest.mark.parametrize(("run", "options"), [
    (extragradient, {"step_size": 0.3}),
    (ogda, {"step_size": 0.2}),
    (negative_momentum, {"step_size": 0.5}),
    (complex_momentum, {"step_size": 0.05}),
    (cgd, {"step_size": 0.5}),
    (lola, {"step_size": 0.1, "lookahead": 0.5}),
])
def test_methods_that_converge_on_bilinear(run, options, bound):
    # (double FTR is not here: the own Hessians of xy vanish, (0, 0) is not a *differential* Nash
    # equilibrium, and the damped ridge correction is zero, so double FTR is GDA on this game)
    res = run(bilinear(bound=bound), [0.5, -0.3], 20000, tol=1e-8, **options)
    assert res.stopped_by == "tolerance", res.message
    assert np.linalg.norm(res.x) < 1e-7


def test_momentum_sign_and_phase_matter_on_bilinear():
    game = bilinear(bound=None)
    # alternating GDA without momentum stays on a bounded orbit (no convergence) ...
    alt = negative_momentum(game, [0.5, -0.3], 5000, step_size=0.5, momentum=0.0, tol=1e-8)
    assert alt.stopped_by == "steps" and 0.1 < np.linalg.norm(alt.x) < 2.0
    # ... and positive momentum diverges, negative momentum converges (Gidel et al. 2019)
    pos = negative_momentum(game, [0.5, -0.3], 2000, step_size=0.5, momentum=0.5)
    assert np.abs(pos.x).max() > 1e3
    # complex momentum: the real beta = 0.9 diverges, beta = 0.9 e^{i pi/8} converges (eta = 0.05)
    real = complex_momentum(game, [0.5, -0.3], 2000, step_size=0.05, momentum=0.9)
    assert np.abs(real.x).max() > 1e3


def test_stonr_reaches_the_equilibria_of_box_games():
    for game, eq in [(bilinear(), [0.0, 0.0]), (quadratic_saddle(bound=2.0), [0.0, 0.0])]:
        res = stonr(game, [0.1, 0.1], 20000, step_size=1e-3, eps=1e-2)
        assert res.stopped_by == "finished", res.message
        np.testing.assert_allclose(res.x, eq, atol=0.02)
        assert res.trajectory[0].tolist() == [-game.domain.sets[0].hi[0]] * 2  # started at the corner
        assert res.queries["hvp"] > 0


# ---------------------------------------------------------------------------------------
# double FTR: only differential Nash equilibria are attracting
# ---------------------------------------------------------------------------------------


def mazumdar_game():
    """Mazumdar, Jordan, Sastry (2019, arXiv:1901.00838) 2-D example, as used by Bao & Zhang's
    double-FTR notebook (``toy_exps/toy/2d_toy_jax.ipynb``): x minimises
    F = -exp(-0.01(x^2 + y^2)) ((0.3x^2 + y)^2 + (0.5y^2 + x)^2), y maximises it; local Nash points
    near (-12.4766, -8.67793), (-11.4267, 8.0043), (12.395, -6.37283) and a non-Nash locally
    asymptotically stable GDA point near (-1.31653, -1.22427)."""
    x, y = sp.symbols("x y")
    F = -sp.exp(-sp.Rational(1, 100) * (x**2 + y**2)) * ((sp.Rational(3, 10) * x**2 + y) ** 2
                                                         + (sp.Rational(1, 2) * y**2 + x) ** 2)
    return minmax_from_sympy(F, [x], [y], name="Mazumdar-Jordan-Sastry")


NASH = np.array([[-12.4766, -8.67793], [-11.4267, 8.0043], [12.395, -6.37283]])
SPURIOUS = np.array([-1.31653, -1.22427])


def test_double_ftr_avoids_the_non_nash_gda_point_and_finds_a_certified_nash():
    game = mazumdar_game()
    # the spurious point: GDA-stable (Jacobian of the ascent field has eigenvalues with negative
    # real part) but player 0's own Hessian is positive, so it is not a local Nash equilibrium
    J = np.array([[game.hessian(0, SPURIOUS)[0, 0], 0.0], [0.0, game.hessian(1, SPURIOUS)[0, 0]]])
    h = 1e-6
    J[0, 1] = (game.gradient(0, SPURIOUS + [0, h])[0] - game.gradient(0, SPURIOUS - [0, h])[0]) / (2 * h)
    J[1, 0] = (game.gradient(1, SPURIOUS + [h, 0])[0] - game.gradient(1, SPURIOUS - [h, 0])[0]) / (2 * h)
    assert np.all(np.linalg.eigvals(J).real < 0) and J[0, 0] > 0
    start = SPURIOUS + np.array([0.05, -0.05])
    g = gda(game, start, 20000, step_size=0.01, tol=1e-9)
    assert g.stopped_by == "tolerance" and np.allclose(g.x, SPURIOUS, atol=1e-4)
    assert certify_differential_nash(game, g.x).verdict.value == "REFUTED"
    for x0 in (start, SPURIOUS):
        f = double_ftr(game, x0, 20000, step_size=0.01, tol=1e-9)
        assert f.stopped_by == "tolerance", f.message
        assert np.min(np.linalg.norm(NASH - f.x, axis=1)) < 1e-3
        assert certify_differential_nash(game, f.x).verdict.value == "VERIFIED"


# ---------------------------------------------------------------------------------------
# self-play: the empirical distribution is a certified local CCE
# ---------------------------------------------------------------------------------------


def quartic_game():
    """u_0 = -f, u_1 = f with f = x^4/4 - x^2/2 + xy - y^4/4 + y^2/2 on [-1, 1]^2 (both utilities
    nonconcave in the own variable)."""
    x, y = sp.symbols("x y")
    f = x**4 / 4 - x**2 / 2 + x * y - y**4 / 4 + y**2 / 2
    dom = ProductSet([Box([-1.0], [1.0]), Box([-1.0], [1.0])])
    return game_from_sympy([-f, f], [[x], [y]], domain=dom, name="nonconcave quartic")


def test_self_play_distribution_is_a_verified_local_cce():
    game = quartic_game()
    res = self_play(GameOracle(game), [0.3, -0.2], 2000)
    d = res.distribution
    assert d.points.shape == (2000, 2) and res.queries["gradient"] == 2 * 2000 + 2
    # same iteration as certificates._cce.gradient_self_play (independent implementation)
    ref = gradient_self_play(game, [0.3, -0.2], rounds=2000)
    np.testing.assert_allclose(d.points, ref.points, rtol=0, atol=1e-14)
    cert = certify_local_cce(game, d.points, d.weights, eps=1e-3, delta=0.01, search=False)
    assert cert.verdict.value == "VERIFIED", cert.summary()
    # control: the first few points of play (far from equilibrium) are not certified
    early = certify_local_cce(game, d.points[:3], eps=1e-3, delta=0.01, search=False)
    assert early.verdict.value != "VERIFIED"


# ---------------------------------------------------------------------------------------
# bad inputs
# ---------------------------------------------------------------------------------------

QUAD = quadratic_saddle()
BOX = bilinear()


@pytest.mark.parametrize(("call", "argname"), [
    (lambda: run_algorithm("newton", QUAD, [1.0, 1.0], 10), "name"),
    (lambda: run_algorithm("gda", QUAD, [1.0, 1.0], 0), "steps"),
    (lambda: run_algorithm("gda", QUAD, [1.0, 1.0], -3), "steps"),
    (lambda: run_algorithm("gda", QUAD, [1.0, 1.0], 2.5), "steps"),
    (lambda: run_algorithm("gda", QUAD, [1.0, 1.0], 10, step_size=0.0), "step_size"),
    (lambda: run_algorithm("extragradient", QUAD, [1.0, 1.0], 10, step_size=-0.1), "step_size"),
    (lambda: run_algorithm("cgd", QUAD, [1.0, 1.0], 10, step_size=float("nan")), "step_size"),
    (lambda: run_algorithm("self-play", QUAD, [1.0, 1.0], 10, step_size=0), "step_size"),
    (lambda: run_algorithm("gda", QUAD, [1.0, 1.0], 10, budget=0), "budget"),
    (lambda: run_algorithm("gda", QUAD, [1.0, 1.0], 10, budget=-5), "budget"),
    (lambda: GameOracle(QUAD, budget=0), "budget"),
    (lambda: run_algorithm("gda", BOX, [1.5, 0.0], 10), "x0"),
    (lambda: run_algorithm("stonr", BOX, [0.0, 2.0], 10), "x0"),
    (lambda: run_algorithm("gda", QUAD, [1.0, 1.0, 1.0], 10), "x0"),
    (lambda: run_algorithm("gda", QUAD, [1.0, np.nan], 10), "x0"),
    (lambda: run_algorithm("gda", QUAD, [1.0, 1.0], 10, tol=-1.0), "tol"),
    (lambda: run_algorithm("gda", QUAD, [1.0, 1.0], 10, thin=0), "thin"),
    (lambda: run_algorithm("gda", QUAD, [1.0, 1.0], 10, momentum=0.5), "momentum"),
    (lambda: run_algorithm("negative-momentum", QUAD, [1.0, 1.0], 10, momentum=-1.0), "momentum"),
    (lambda: run_algorithm("complex-momentum", QUAD, [1.0, 1.0], 10, momentum=1j), "momentum"),
    (lambda: run_algorithm("double-ftr", QUAD, [1.0, 1.0], 10, damping=0.0), "damping"),
    (lambda: run_algorithm("lola", QUAD, [1.0, 1.0], 10, lookahead=-1.0), "lookahead"),
    (lambda: run_algorithm("lola", quartic_game(), [0.0, 0.0], 10), "min-max"),
    (lambda: run_algorithm("stonr", QUAD, [1.0, 1.0], 10), "box"),
    (lambda: run_algorithm("stonr", BOX, [0.0, 0.0], 10, start="middle"), "start"),
    (lambda: run_algorithm("gda", object(), [0.0, 0.0], 10), "oracle"),
])
def test_bad_inputs_raise_invalid_argument_naming_the_argument(call, argname):
    with pytest.raises(InvalidArgument, match=argname):
        call()


def test_registry_entries_are_documented():
    for name, algo in ALGORITHMS.items():
        doc = algo.run.__doc__
        assert algo.name == name and algo.order in (1, 2) and algo.reference
        assert ".. math::" in doc and "References" in doc and "Examples" in doc
