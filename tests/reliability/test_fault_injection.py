"""Issue 8, part 2: fault injection -- a failing backend or a broken user oracle is never VERIFIED.

* cvxpy (every LP/SDP goes through ``certificates._solvers.solve_problem``, which calls
  ``cvxpy.Problem.solve``) is monkeypatched to raise ``SolverError``, to report ``optimal_inaccurate``,
  to report an unknown status, to return garbage primal/dual values, or NaN values: the
  linear-deviation LP (polytope), the S-lemma SDP (ball) and the small-gain weight SDP certificates
  are INCONCLUSIVE -- never VERIFIED, never a raw exception -- and their reasons quote the solver's
  message or status (garbage values come with an "optimal" status: there the reason is the failed
  exact re-verification of the bound). The low-level helpers whose documented contract is to raise
  ``SolverFailed`` carry the solver's message in the exception. Each instance *is* VERIFIED with
  the real solver, so the faults are what changes the verdict.
* a user's utility that returns NaN/inf or raises, and a gradient with NaN or that raises: local
  Nash, local CCE and the second-order (Kantorovich) certificates give INCONCLUSIVE with a reason;
  an algorithm of the zoo run through a :class:`~complexity.GameOracle` raises a ``LocaleqError``
  that names the failing query.

The linear-deviation certificate is about the *linearised* gain (gradients only, see its
assumptions), so a broken utility does not concern it; a broken gradient does and is tested.
"""

from __future__ import annotations

import math
import warnings

import cvxpy as cp
import numpy as np
import pytest

from certificates import (
    SolverFailed,
    Verdict,
    certify_differential_nash,
    certify_kantorovich,
    certify_linear_deviation,
    certify_local_cce,
    certify_local_nash,
    certify_small_gain,
    linear_gain_ball,
    linear_gain_lp,
    linear_stats_exact,
    small_gain_constants,
    weights_sdp,
)
from complexity import GameOracle, run_algorithm
from constructions import Ball, Box, LocaleqError, ProductSet, game_from_callables, normal_form_game

# ---------------------------------------------------------------------------------------------
# solver faults

_REAL_SOLVE = cp.Problem.solve


def _raise(self, *args, **kwargs):
    raise cp.error.SolverError("injected solver failure")


def _inaccurate(self, *args, **kwargs):
    out = _REAL_SOLVE(self, *args, **kwargs)
    self._status = cp.OPTIMAL_INACCURATE
    return out


def _unknown_status(self, *args, **kwargs):
    out = _REAL_SOLVE(self, *args, **kwargs)
    self._status = "solver_error"
    return out


def _garbage(self, *args, **kwargs):
    out = _REAL_SOLVE(self, *args, **kwargs)
    rng = np.random.default_rng(1)
    for var in self.variables():
        if var.value is not None:
            var.save_value(np.asarray(var.value) + 10.0 * rng.standard_normal(var.shape))
    for con in self.constraints:
        if con.dual_value is not None:
            shape = np.shape(con.dual_value)
            con.save_dual_value(np.asarray(con.dual_value) + 10.0 * rng.standard_normal(shape))
    return out


def _nan_values(self, *args, **kwargs):
    out = _REAL_SOLVE(self, *args, **kwargs)
    for var in self.variables():
        var.save_value(np.full(var.shape, np.nan))
    return out


FAULTS = {"raises": _raise, "inaccurate": _inaccurate, "unknown-status": _unknown_status,
          "garbage-duals": _garbage, "nan-values": _nan_values}

_A = np.array([[1.0, -1.0], [-1.0, 1.0]])


def _lp_certificate():
    """Matching pennies at equilibrium, linear deviations by the LP (dual checked exactly)."""
    return certify_linear_deviation(normal_form_game(np.stack([_A, -_A])), [[0.5, 0.5, 0.5, 0.5]], eps=1e-3,
                                    method="lp")


def _ball_certificate():
    """Two players on unit discs maximising -|x_i|^2/2 at the origin: the S-lemma SDP."""
    game = game_from_callables(
        [lambda z: -0.5 * (z[0] ** 2 + z[1] ** 2), lambda z: -0.5 * (z[2] ** 2 + z[3] ** 2)],
        [lambda z: -z[0:2], lambda z: -z[2:4]], dims=[2, 2],
        domain=ProductSet([Ball([0.0, 0.0], 1.0), Ball([0.0, 0.0], 1.0)]), smoothness=[1.0, 1.0])
    return certify_linear_deviation(game, [[0.0, 0.0, 0.0, 0.0]], eps=1e-3)


def _small_gain_certificate():
    """Weights by the SDP under a ratio bound (the Perron weights violate it)."""
    return certify_small_gain(small_gain_constants([1, 1], [[0, 10], [0.05, 0]]), ratio_bounds=[(0, 1, 50.0)])


CERTIFIERS = {"linear-lp": _lp_certificate, "linear-ball-sdp": _ball_certificate,
              "small-gain-sdp": _small_gain_certificate}


@pytest.mark.parametrize("name", sorted(CERTIFIERS))
def test_each_instance_is_verified_with_the_real_solver(name):
    assert CERTIFIERS[name]().verdict is Verdict.VERIFIED


#: what the reasons must quote for each fault: the solver's message or status (``solve_problem``
#: words it "solver='...' failed: <message>" / "solver='...' returned status='<status>'")
SOLVER_SAYS = {
    "raises": ["injected solver failure"],
    "inaccurate": ["status='optimal_inaccurate'"],
    "unknown-status": ["status='solver_error'"],
    "nan-values": ["status='optimal'", "non-finite"],
}
#: garbage values come with status 'optimal': the reason is the failed exact re-verification
REVERIFICATION_SAYS = {"linear-lp": "rigorous bound", "linear-ball-sdp": "rigorous bound",
                       "small-gain-sdp": "certified margin"}


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("name", sorted(CERTIFIERS))
def test_a_failing_solver_never_gives_verified(name, fault, monkeypatch):
    monkeypatch.setattr(cp.Problem, "solve", FAULTS[fault])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cert = CERTIFIERS[name]()  # a certifier reports a solver failure, it does not raise it
    assert cert.verdict is Verdict.INCONCLUSIVE, (name, fault, cert.verdict)
    assert cert.reasons, "an INCONCLUSIVE certificate must say why"
    text = " ".join(cert.reasons)
    if fault == "garbage-duals":
        assert REVERIFICATION_SAYS[name] in text, text
    else:
        for needle in SOLVER_SAYS[fault]:
            assert needle in text, (needle, text)
        assert "solver='" in text, text  # names the backend


def _lp_helper():
    stats = linear_stats_exact([1.0], [[0.5, 0.5]], [[1.0, 0.0]])
    return linear_gain_lp(stats, [[1, 0], [0, 1], [-1, 0], [0, -1]], [1, 1, 0, 0], interior=[0.5, 0.5],
                          recession=[1, 1, 1, 1])


LOW_LEVEL = {
    "linear_gain_lp": _lp_helper,
    "linear_gain_ball": lambda: linear_gain_ball(linear_stats_exact([1.0], [[0.0, 0.0]], [[1.0, 0.0]]),
                                                 [0.0, 0.0], 1.0),
    "weights_sdp": lambda: weights_sdp(small_gain_constants([1, 1], [[0, 10], [0.05, 0]])),
}


@pytest.mark.parametrize("helper", sorted(LOW_LEVEL))
@pytest.mark.parametrize("fault", ["raises", "unknown-status", "nan-values"])
def test_the_low_level_helpers_raise_solver_failed_with_the_solvers_message(helper, fault, monkeypatch):
    """Their documented contract is to raise SolverFailed; the exception quotes the solver."""
    LOW_LEVEL[helper]()  # the real solver succeeds
    monkeypatch.setattr(cp.Problem, "solve", FAULTS[fault])
    with pytest.raises(SolverFailed) as info:
        LOW_LEVEL[helper]()
    for needle in SOLVER_SAYS[fault]:
        assert needle in str(info.value), (needle, str(info.value))


def test_an_inaccurate_weight_sdp_is_not_a_witness(monkeypatch):
    monkeypatch.setattr(cp.Problem, "solve", _inaccurate)
    with pytest.raises(SolverFailed, match="weights_sdp: no feasible weights found") as info:
        weights_sdp(small_gain_constants([1, 1], [[0, 10], [0.05, 0]]))
    assert "status='optimal_inaccurate'" in str(info.value)


# ---------------------------------------------------------------------------------------------
# user-oracle faults


def _boom(z):
    raise ValueError("user code exploded")


def _game(fault: str):
    """A strictly concave 2-player game on [-1, 1]^2 with its Nash equilibrium at (0, -0.2)."""
    us = [lambda z: float(-(z[0] - 0.1) ** 2 + z[0] * z[1]),
          lambda z: float(-(z[1] + 0.2) ** 2 - z[0] * z[1])]
    gs = [lambda z: np.array([-2 * (z[0] - 0.1) + z[1]]), lambda z: np.array([-2 * (z[1] + 0.2) - z[0]])]
    bad = {"utility-nan": ("u", lambda z: math.nan), "utility-inf": ("u", lambda z: math.inf),
           "utility-raises": ("u", _boom), "utility-not-a-number": ("u", lambda z: "abc"),
           "gradient-nan": ("g", lambda z: np.array([math.nan])), "gradient-raises": ("g", _boom)}
    if fault != "none":
        which, fn = bad[fault]
        (us if which == "u" else gs)[0] = fn
    square = ProductSet([Box([-1.0], [1.0]), Box([-1.0], [1.0])])
    return game_from_callables(us, gs, dims=[1, 1], domain=square, smoothness=[2.0, 2.0])


X_STAR = np.array([0.0, -0.2])
USER_CERTIFIERS = {
    "local-nash": lambda g: certify_local_nash(g, X_STAR, eps=1e-3, delta=1e-2),
    "local-cce": lambda g: certify_local_cce(g, [X_STAR], eps=1e-3, delta=1e-2),
    "kantorovich": lambda g: certify_kantorovich(g, X_STAR, radius=0.1, jacobian_lipschitz=1.0),
    "differential-nash": lambda g: certify_differential_nash(g, X_STAR, radius=0.1, jacobian_lipschitz=1.0),
}
USER_FAULTS = ["utility-nan", "utility-inf", "utility-raises", "utility-not-a-number", "gradient-nan",
               "gradient-raises"]


@pytest.mark.parametrize("name", ["local-nash", "local-cce", "kantorovich"])
def test_the_healthy_game_is_verified(name):
    assert USER_CERTIFIERS[name](_game("none")).verdict is Verdict.VERIFIED


@pytest.mark.parametrize("fault", USER_FAULTS)
@pytest.mark.parametrize("name", sorted(USER_CERTIFIERS))
def test_a_broken_user_oracle_is_inconclusive_with_a_reason(name, fault):
    cert = USER_CERTIFIERS[name](_game(fault))
    assert cert.verdict is Verdict.INCONCLUSIVE, (name, fault, cert.verdict)
    text = " ".join(cert.reasons)
    kind = fault.split("-")[0]
    assert kind in text and ("not finite" in text or "raised" in text), text


@pytest.mark.parametrize("fault", ["gradient-nan", "gradient-raises"])
def test_linear_deviation_with_a_broken_gradient_is_inconclusive(fault):
    cert = certify_linear_deviation(_game(fault), [X_STAR], eps=1e-3)
    assert cert.verdict is Verdict.INCONCLUSIVE
    assert any("gradient" in r for r in cert.reasons)


@pytest.mark.parametrize("algorithm", ["gda", "extragradient", "ogda"])
def test_a_zoo_run_with_a_raising_oracle_is_a_clear_error(algorithm):
    with pytest.raises(LocaleqError, match=r"gradient oracle of player 0 raised ValueError: user code explo"):
        run_algorithm(algorithm, GameOracle(_game("gradient-raises")), X_STAR, 5, step_size=0.1)


def test_a_zoo_run_with_a_raising_value_oracle_is_a_clear_error():
    oracle = GameOracle(_game("utility-raises"))
    with pytest.raises(LocaleqError, match=r"value oracle of player 0 raised ValueError"):
        oracle.value(0, X_STAR)
    assert oracle.count_summary()["value"] == 1  # the query was charged, then failed


def test_a_zoo_run_with_nan_gradients_stops_and_says_so():
    res = run_algorithm("gda", GameOracle(_game("gradient-nan")), X_STAR, 5, step_size=0.1)
    assert res.stopped_by == "nonfinite"
