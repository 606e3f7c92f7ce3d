"""Issue 8, part 1: every public callable rejects unusable input with ``InvalidArgument``.

The table :data:`CASES` maps every public callable of ``constructions``, ``constructions.sperner``,
``constructions.lift``, ``constructions.interop``, ``certificates``, ``complexity`` and
``complexity.zoo`` to at least one invalid call (wrong type, NaN, negative size, wrong shape, unknown
name...). Each call must raise
:class:`~constructions.InvalidArgument` (never a numpy/scipy traceback, ``TypeError`` or
``KeyError``) whose message names the offending argument. :func:`test_every_public_callable_is_in_the_table`
fails when a new public callable is added without an entry here (or in the small, justified
:data:`EXEMPT` list).

The CLI part runs every ``localeq`` sub-command with bad arguments, in process and as
``python -m complexity.cli``: the exit status is non-zero, there is no traceback and stderr is one
line -- or, for errors argparse itself detects (an unknown choice, a non-number), argparse's usual two
lines ``usage: ...`` + ``localeq ...: error: ...``.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import inspect
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import sympy

import certificates as C
import complexity as X
import complexity.zoo as Z
import constructions as K
import constructions.interop as INTEROP
import constructions.lift as L
import constructions.sperner as S
from constructions import InvalidArgument

NAN = float("nan")
ROOT = Path(__file__).resolve().parents[2]

PUBLIC_MODULES = ("constructions", "constructions.sperner", "constructions.lift", "constructions.interop",
                  "certificates", "complexity", "complexity.zoo")

# ---------------------------------------------------------------------------------------------
# small valid inputs (cheap: built once at import)

MP = K.matching_pennies()
QS = K.quadratic_saddle()
INST = S.planted_instance(6, 2, rng=0)
COL = INST.colouring
LIFTED = L.lift_colouring(COL)
STATS = C.linear_stats_exact([1.0], [[0.2, 0.3]], [[1.0, -1.0]])
CONSTS = C.small_gain_constants([1.0, 1.0], [[0.0, 0.1], [0.1, 0.0]])
ORACLE = X.GameOracle(K.bilinear())
INTERP = L.tensor_coefficients([0.3, 0.4], 6)
XS, YS = sympy.symbols("x y")


def _utility(x):
    return float(x[0])


def _grad(x):
    return np.array([1.0])


# ---------------------------------------------------------------------------------------------
# the table: (public name, invalid call, argument name that the message must contain)

CASES: list[tuple[str, Callable[[], object], str]] = [
    # ---- constructions: sets
    ("constructions.Box", lambda: K.Box([0.0, 0.0], [1.0]), "hi"),
    ("constructions.Box", lambda: K.Box([0.0], [NAN]), "hi"),
    ("constructions.Simplex", lambda: K.Simplex(0), "n"),
    ("constructions.Simplex", lambda: K.Simplex("3"), "n"),
    ("constructions.Ball", lambda: K.Ball([0.0, 0.0], -1.0), "radius"),
    ("constructions.Polytope", lambda: K.Polytope([[1.0, 0.0]], [1.0, 2.0]), "c"),
    ("constructions.ProductSet", lambda: K.ProductSet([K.Box([0], [1]), "box"]), "blocks"),
    ("constructions.CoupledPolytope", lambda: K.CoupledPolytope([[1.0, 1.0]], [1.0], [1, -1]), "blocks"),
    ("constructions.DSZSet", lambda: K.DSZSet(2, -0.1), "Delta"),
    ("constructions.DSZSet", lambda: K.DSZSet(0, 0.1), "d"),
    # ---- constructions: games
    ("constructions.game_from_callables",
     lambda: K.game_from_callables([_utility], [_grad], dims=[-1]), "dims"),
    ("constructions.game_from_callables",
     lambda: K.game_from_callables([_utility], [_grad, _grad], dims=[1]), "gradients"),
    ("constructions.game_from_sympy", lambda: K.game_from_sympy(["x"], [[]]), "players"),
    ("constructions.minmax_game",
     lambda: K.minmax_game(_utility, _grad, _grad, dx=0, dy=1), "dx"),
    ("constructions.minmax_from_sympy",
     lambda: K.minmax_from_sympy(XS * YS, [XS], [YS], smoothness=-1.0), "smoothness"),
    ("constructions.classic_game", lambda: K.classic_game("no-such-game"), "name"),
    ("constructions.bilinear", lambda: K.bilinear(bound=-1.0), "bound"),
    ("constructions.quadratic_saddle", lambda: K.quadratic_saddle(bound=NAN), "bound"),
    ("constructions.prisoners_dilemma", lambda: K.prisoners_dilemma(reward=NAN), "reward"),
    ("constructions.lorenz_game", lambda: K.lorenz_game(sigma="ten"), "sigma"),
    ("constructions.normal_form_game", lambda: K.normal_form_game([[1.0, 2.0], [3.0, 4.0]]), "payoffs"),
    ("constructions.normal_form_game", lambda: K.normal_form_game([[[1.0, NAN]], [[0.0, 1.0]]]), "payoffs"),
    ("constructions.lift_colouring", lambda: K.lift_colouring(COL, scheme="bogus"), "scheme"),
    ("constructions.lift_colouring", lambda: K.lift_colouring("not a colouring"), "colouring"),
    ("constructions.lifted_game", lambda: K.lifted_game(COL, Delta=-1.0), "Delta"),
    ("constructions.load_game", lambda: K.load_game(ROOT / "no" / "such" / "game.json"), "path"),
    ("constructions.game_to_dict", lambda: K.game_to_dict("game"), "game"),
    # ---- constructions.sperner
    ("constructions.sperner.sperner_colouring", lambda: S.sperner_colouring([[0, 1], [2, 7]]), "labels"),
    ("constructions.sperner.sperner_colouring", lambda: S.sperner_colouring([0, 1, 2]), "labels"),
    ("constructions.sperner.bisperner_colouring", lambda: S.bisperner_colouring(np.zeros((3, 3, 2))),
     "signs"),
    ("constructions.sperner.implicit_colouring",
     lambda: S.implicit_colouring(lambda V: V, n=-2, d=2, kind="sperner"), "n"),
    ("constructions.sperner.implicit_colouring",
     lambda: S.implicit_colouring(lambda V: V, n=4, d=2, kind="bogus"), "kind"),
    ("constructions.sperner.sperner_labels", lambda: S.sperner_labels(np.full((3, 3, 2), 5)), "signs"),
    ("constructions.sperner.bisperner_to_sperner", lambda: S.bisperner_to_sperner("c"), "colouring"),
    ("constructions.sperner.boundary_violations", lambda: S.boundary_violations(COL, limit=-1), "limit"),
    ("constructions.sperner.is_proper", lambda: S.is_proper([[0, 1], [1, 2]]), "colouring"),
    ("constructions.sperner.is_panchromatic", lambda: S.is_panchromatic(COL, [99, 0]), "cell"),
    ("constructions.sperner.panchromatic_cells", lambda: S.panchromatic_cells(COL, max_vertices=0),
     "max_vertices"),
    ("constructions.sperner.fully_labelled_simplices", lambda: S.fully_labelled_simplices(COL, lo=[0, 0, 0]),
     "lo"),
    ("constructions.sperner.kuhn_simplex_vertices", lambda: S.kuhn_simplex_vertices([0, 0], [0, 0]), "perm"),
    ("constructions.sperner.certificate_from_simplex",
     lambda: S.certificate_from_simplex(COL, [0, 0], [1, 1]), "perm"),
    ("constructions.sperner.find_certificate", lambda: S.find_certificate(COL, [0, -1]), "cell"),
    ("constructions.sperner.check_certificate", lambda: S.check_certificate(COL, "cert"), "certificate"),
    ("constructions.sperner.boundary_doors", lambda: S.boundary_doors(COL, hi=[NAN, 2]), "hi"),
    ("constructions.sperner.boundary_index", lambda: S.boundary_index(COL, lo=[4, 4], hi=[1, 1]), "lo"),
    ("constructions.sperner.door_graph", lambda: S.door_graph(COL, lo="0"), "lo"),
    ("constructions.sperner.follow_doors", lambda: S.follow_doors(COL, [0, 0], [0, 1], max_steps=-3),
     "max_steps"),
    ("constructions.sperner.rotation_contraction_map", lambda: S.rotation_contraction_map(2, factor=NAN),
     "factor"),
    ("constructions.sperner.random_smooth_map", lambda: S.random_smooth_map(2, n_terms=0), "n_terms"),
    ("constructions.sperner.brouwer_colouring",
     lambda: S.brouwer_colouring(S.rotation_contraction_map(2), -5), "n"),
    ("constructions.sperner.brouwer_instance", lambda: S.brouwer_instance(8, brouwer_map="bogus"),
     "brouwer_map"),
    ("constructions.sperner.random_colouring", lambda: S.random_colouring(4, 2, kind="bogus"), "kind"),
    ("constructions.sperner.random_instance", lambda: S.random_instance(4, 2, rng=-1), "rng"),
    ("constructions.sperner.planted_instance", lambda: S.planted_instance(1, 2), "n"),
    ("constructions.sperner.planted_instance", lambda: S.planted_instance(8, 2, n_solutions=0),
     "n_solutions"),
    ("constructions.sperner.instance_from_colouring",
     lambda: S.instance_from_colouring(COL, params=[1, 2]), "params"),
    ("constructions.sperner.content_hash", lambda: S.content_hash(COL), "instance"),
    ("constructions.sperner.save_instance", lambda: S.save_instance(COL, "x.npz"), "instance"),
    ("constructions.sperner.load_instance", lambda: S.load_instance(ROOT / "no_such_instance.npz"), "path"),
    ("constructions.sperner.plot_colouring", lambda: S.plot_colouring("c"), "colouring"),
    ("constructions.sperner.plot_projection", lambda: S.plot_projection(42), "colouring"),
    ("constructions.sperner.save_figure", lambda: S.save_figure("fig", "x.png"), "fig"),
    # ---- constructions.lift
    ("constructions.lift.smoothstep1", lambda: L.smoothstep1(0.5, nu=7), "nu"),
    ("constructions.lift.smoothstep2", lambda: L.smoothstep2(0.5, nu=-1), "nu"),
    ("constructions.lift.smoothstep_inf", lambda: L.smoothstep_inf("z"), "z"),
    ("constructions.lift.log_smoothstep_inf", lambda: L.log_smoothstep_inf(0.5, nu=9), "nu"),
    ("constructions.lift.cell_of", lambda: L.cell_of([0.5, 0.5], 1), "n"),
    ("constructions.lift.cell_of", lambda: L.cell_of([0.5, NAN], 4), "x"),
    ("constructions.lift.seic_coefficients", lambda: L.seic_coefficients([0.5, 1.5], 4), "x"),
    ("constructions.lift.seic_brute_force", lambda: L.seic_brute_force([0.5, 0.5], 0), "n"),
    ("constructions.lift.tensor_coefficients", lambda: L.tensor_coefficients([[0.5, 0.5]], 4), "x"),
    ("constructions.lift.weighted_hessian", lambda: L.weighted_hessian(INTERP, [1.0, 2.0, 3.0]), "w"),
    ("constructions.lift.seic_variation", lambda: L.seic_variation(0), "d"),
    ("constructions.lift.local_minmax_from_gda", lambda: L.local_minmax_from_gda(-1.0, 1.0), "alpha"),
    ("constructions.lift.gda_accuracy_from_local_minmax",
     lambda: L.gda_accuracy_from_local_minmax(0.1, 0.1, 1.0, NAN), "L"),
    ("constructions.lift.extract_solution", lambda: L.extract_solution(LIFTED, [0.5], [0.5, 0.5]), "x"),
    ("constructions.lift.find_fixed_point", lambda: L.find_fixed_point(LIFTED, [0, 0], n_starts=0),
     "n_starts"),
    ("constructions.lift.check_lift", lambda: L.check_lift(LIFTED, tol=-1.0), "tol"),
    ("constructions.lift.measure_constants", lambda: L.measure_constants(LIFTED, n_samples=0), "n_samples"),
    # ---- constructions.interop
    ("constructions.interop.from_nashpy", lambda: INTEROP.from_nashpy("not a game"), "game"),
    ("constructions.interop.from_pygambit", lambda: INTEROP.from_pygambit(42), "game"),
    ("constructions.interop.from_openspiel", lambda: INTEROP.from_openspiel([1, 2]), "game"),
    ("constructions.interop.from_nfg_data", lambda: INTEROP.from_nfg_data("data"), "data"),
    ("constructions.interop.load_nfg", lambda: INTEROP.load_nfg(ROOT / "no_such_file.nfg"), "path"),
    ("constructions.interop.load_nfg", lambda: INTEROP.load_nfg(ROOT / "x.nfg", reader="bogus"), "reader"),
    ("constructions.interop.parse_nfg", lambda: INTEROP.parse_nfg("NFG 1 R garbage"), "text"),
    ("constructions.interop.parse_nfg", lambda: INTEROP.parse_nfg(123), "text"),
    ("constructions.interop.read_nfg", lambda: INTEROP.read_nfg(ROOT / "no_such_file.nfg"), "path"),
    ("constructions.interop.write_nfg", lambda: INTEROP.write_nfg([[1, 2], [3, 4]]), "payoffs"),
    ("constructions.interop.pygambit_profile", lambda: INTEROP.pygambit_profile("p"), "profile"),
    ("constructions.interop.joint_to_distribution",
     lambda: INTEROP.joint_to_distribution(MP, [[0.5, 0.5], [0.5, -0.5]]), "joint"),
    ("constructions.interop.jax_game", lambda: INTEROP.jax_game(lambda z: z[0], dims=[-1]), "dims"),
    ("constructions.interop.torch_game", lambda: INTEROP.torch_game(lambda z: z[0], dims=[0]), "dims"),
    # ---- certificates
    ("certificates.local_gain", lambda: C.local_gain(None, [0.0], [1.0], -0.1), "delta"),
    ("certificates.gain_upper_bound", lambda: C.gain_upper_bound(None, [0.0], [1.0, 2.0], 0.1, [0.0]), "g"),
    ("certificates.projected_gradient_residual",
     lambda: C.projected_gradient_residual(MP, [0.5, 0.5], step=-1.0), "x"),
    ("certificates.certify_local_nash", lambda: C.certify_local_nash(MP, [0.5] * 4, eps=NAN, delta=0.1),
     "eps"),
    ("certificates.certify_local_nash", lambda: C.certify_local_nash(MP, [0.5] * 3, eps=0.1, delta=0.1), "x"),
    ("certificates.certify_local_nash", lambda: C.certify_local_nash("mp", [0.5] * 4, eps=0.1, delta=0.1),
     "game"),
    ("certificates.certify_kantorovich", lambda: C.certify_kantorovich(QS, [0.0], radius=0.1), "x"),
    ("certificates.certify_differential_nash",
     lambda: C.certify_differential_nash(QS, [0.0, 0.0], radius=-1.0), "radius"),
    ("certificates.certify_local_minimax",
     lambda: C.certify_local_minimax(QS, [0.0, 0.0], jacobian_lipschitz=NAN), "jacobian_lipschitz"),
    ("certificates.exact_inertia", lambda: C.exact_inertia([[1, 2, 3], [4, 5, 6]]), "M"),
    ("certificates.check_file", lambda: C.check_file(ROOT / "no_such_certificate.json"), "path"),
    ("certificates.as_distribution", lambda: C.as_distribution(MP, [[0.5] * 4], [-1.0]), "weights"),
    ("certificates.gradient_self_play", lambda: C.gradient_self_play(MP, [0.5] * 4, rounds=0), "rounds"),
    ("certificates.certify_local_cce",
     lambda: C.certify_local_cce(MP, [[0.5] * 4], eps=0.1, delta=0.1, family="bogus"), "family"),
    ("certificates.load_distribution", lambda: C.load_distribution(ROOT / "no_such_distribution.json"),
     "path"),
    ("certificates.linear_stats_exact", lambda: C.linear_stats_exact([0.5, 0.5], [[0.0]], [[1.0]]),
     "weights"),
    ("certificates.linear_gain_simplex", lambda: C.linear_gain_simplex("stats"), "stats"),
    ("certificates.linear_gain_box", lambda: C.linear_gain_box(STATS, [0.0, 0.0], [1.0]), "hi"),
    ("certificates.linear_gain_lp", lambda: C.linear_gain_lp(STATS, [[1.0, 0.0]], [1.0, 2.0]), "c"),
    ("certificates.linear_gain_ball", lambda: C.linear_gain_ball(STATS, [0.0, 0.0], -1.0), "radius"),
    ("certificates.certify_linear_deviation",
     lambda: C.certify_linear_deviation(MP, [[0.5] * 4], eps=0.1, method="bogus"), "method"),
    ("certificates.correlated_equilibrium_gain",
     lambda: C.correlated_equilibrium_gain(np.zeros((3, 2, 2)), [[0.5] * 4], [1.0]), "payoffs"),
    ("certificates.correlated_equilibrium_gain",
     lambda: C.correlated_equilibrium_gain(np.zeros((2, 2, 2)), [[0.5] * 4], [0.5, 0.5]), "weights"),
    ("certificates.small_gain_constants", lambda: C.small_gain_constants([1.0, NAN], [[0, 1], [1, 0]]), "mu"),
    ("certificates.constants_from_jacobian", lambda: C.constants_from_jacobian(np.eye(3), [1, 1]), "J"),
    ("certificates.estimate_small_gain_constants",
     lambda: C.estimate_small_gain_constants(MP, [0.0] * 4, [1.0] * 4, n_samples=0), "n_samples"),
    ("certificates.exact_small_gain_constants",
     lambda: C.exact_small_gain_constants(MP, [0.0] * 3, [1.0] * 4), "lo"),
    ("certificates.optimal_weights", lambda: C.optimal_weights("consts"), "consts"),
    ("certificates.margin_lower_bound", lambda: C.margin_lower_bound(CONSTS, [1.0, -1.0]), "w"),
    ("certificates.two_player_band", lambda: C.two_player_band(CONSTS, alpha=NAN), "alpha"),
    ("certificates.weights_sdp", lambda: C.weights_sdp(CONSTS, tol=-1.0), "tol"),
    ("certificates.certify_small_gain", lambda: C.certify_small_gain(CONSTS, weights=[1.0]), "weights"),
    ("certificates.nash_regret", lambda: C.nash_regret(np.zeros((2, 2, 2)), [0.5, 0.5, 0.5]), "profile"),
    ("certificates.correlated_gain", lambda: C.correlated_gain(np.zeros((2, 2, 2)), [[0.5, 0.5]]), "joint"),
    ("certificates.coarse_correlated_gain",
     lambda: C.coarse_correlated_gain(np.zeros((3, 2, 2)), np.full((2, 2), 0.25)), "payoffs"),
    ("certificates.deviation_moments",
     lambda: C.deviation_moments([0.5, 0.5], [[0.0, 0.0]], [[1.0, 0.0]]), "weights"),
    ("certificates.int_gain",
     lambda: C.int_gain([1.0], [[0.5, 0.5]], [[1.0, 0.0]], K.Box([0, 0], [1, 1]), -0.1), "delta"),
    ("certificates.linear_deviation_gain",
     lambda: C.linear_deviation_gain([1.0], [[0.5, 0.5]], [[1.0, 0.0]], "box"), "S"),
    # ---- complexity
    ("complexity.TunnelAdversary", lambda: X.TunnelAdversary(-4), "n"),
    ("complexity.tunnel_lower_bound", lambda: X.tunnel_lower_bound("16"), "n"),
    ("complexity.tour", lambda: X.tour("tour-out", n=-1), "n"),
    ("complexity.tour", lambda: X.tour("tour-out", budget=0), "budget"),
    ("complexity.GameOracle", lambda: X.GameOracle(MP, budget=-1), "budget"),
    ("complexity.GameOracle", lambda: X.GameOracle("game"), "game"),
    ("complexity.ColourOracle", lambda: X.ColourOracle(COL, budget={"bogus": 3}), "budget"),
    ("complexity.run_isolated", lambda: X.run_isolated(Z.gda, ORACLE, [0.5, 0.5], 3, timeout=-1.0),
     "timeout"),
    ("complexity.solve", lambda: X.solve(COL, solver="bogus"), "solver"),
    ("complexity.solve_scan", lambda: X.solve_scan(COL, budget=0), "budget"),
    ("complexity.solve_walk", lambda: X.solve_walk(COL, max_steps=-1), "max_steps"),
    ("complexity.solve_divide_conquer", lambda: X.solve_divide_conquer("colouring"), "colouring"),
    ("complexity.AdaptiveAdversary", lambda: X.AdaptiveAdversary(1), "n"),
    ("complexity.AdaptiveAdversary", lambda: X.AdaptiveAdversary(16, radius=-2), "radius"),
    ("complexity.check_commitment",
     lambda: X.check_commitment(X.AdaptiveAdversary(8), COL), "committed"),
    ("complexity.register_experiment", lambda: X.register_experiment("exp"), "exp"),
    ("complexity.run_sweep", lambda: X.run_sweep("no-such-experiment", out="never.jsonl"), "experiment"),
    ("complexity.run_sweep", lambda: X.run_sweep("selftest", seeds=[0], out="never.jsonl", workers=0),
     "workers"),
    ("complexity.read_rows", lambda: X.read_rows(12), "path"),
    ("complexity.fit_exponent", lambda: X.fit_exponent([1.0, 2.0, 4.0], [1.0, 3.0]), "y"),
    ("complexity.fit_exponent", lambda: X.fit_exponent([1.0, 2.0, 4.0], [1.0, 2.0, 3.0], level=1.5), "level"),
    ("complexity.fit_table", lambda: X.fit_table("no-such-experiment", []), "experiment"),
    ("complexity.plot_sweep", lambda: X.plot_sweep("no-such-experiment", []), "experiment"),
    ("complexity.run_algorithm", lambda: X.run_algorithm("no-such-algorithm", ORACLE, [0.5, 0.5], 3),
     "name"),
    # ---- complexity.zoo (every algorithm: a negative step count, a NaN start, a wrong-length start)
    *[
        (f"complexity.zoo.{fn}", call, arg)
        for fn in ("gda", "alternating_gda", "extragradient", "ogda", "negative_momentum", "complex_momentum",
                   "double_ftr", "cgd", "lola", "stonr", "self_play")
        for call, arg in (
            ((lambda fn=fn: getattr(Z, fn)(ORACLE, [0.5, 0.5], -1)), "steps"),
            ((lambda fn=fn: getattr(Z, fn)(ORACLE, [0.5, NAN], 3)), "x0"),
            ((lambda fn=fn: getattr(Z, fn)(ORACLE, [0.5, 0.5, 0.5], 3)), "x0"),
            ((lambda fn=fn: getattr(Z, fn)(ORACLE, [0.5, 0.5], 3, step_size=-1.0)), "step_size"),
            ((lambda fn=fn: getattr(Z, fn)("oracle", [0.5, 0.5], 3)), "oracle"),
        )
    ],
]

#: checkers judge *untrusted data* (a certificate file, a dual read from one): malformed data is not a
#: programming error but a document to reject, so they return a record with ``ok=False`` and a message
#: (``localeq check`` prints it and exits 1) instead of raising. (name, call, text the message must contain)
REJECTS: list[tuple[str, Callable[[], object], str]] = [
    ("certificates.check_certificate", lambda: C.check_certificate([1, 2, 3]), "JSON object"),
    ("certificates.check_certificate", lambda: C.check_certificate({"schema": "localeq.cert/0"}), "schema"),
    ("certificates.check_linear_dual",
     lambda: C.check_linear_dual([[1.0]], [1.0], [[1.0]], [1.0], 1.0, "Y", [1.0], [1.0], [0.0], 1.0),
     "unreadable"),
    ("certificates.check_linear_dual",
     lambda: C.check_linear_dual([[1.0]], [1.0, 2.0], [[1.0]], [1.0], 1.0, [[1.0]], [1.0], [1.0], [0.0], 1.0),
     "inconsistent dimensions"),
    ("certificates.check_ball_dual",
     lambda: C.check_ball_dual([[1.0]], [1.0], 1.0, [0.0], -1.0, [[1.0]], [[1.0]], 1.0, 1.0), "R <= 0"),
]

#: public callables that are *not* argument-checking entry points, with the reason
EXEMPT: dict[str, str] = {
    # no parameters at all: there is no argument to get wrong (extra arguments are Python's TypeError)
    "constructions.squared_difference": "takes no arguments",
    "constructions.matching_pennies": "takes no arguments",
    "complexity.algorithm_names": "takes no arguments",
    # exception classes: raising them with any message is legitimate
    "constructions.LocaleqError": "exception class",
    "constructions.InvalidArgument": "exception class",
    "constructions.SolverFailed": "exception class",
    "complexity.QueryBudgetExceeded": "exception class",
    "complexity.IsolationError": "exception class",
    # abstract bases / enums: not instantiated with user data
    "constructions.ConvexSet": "abstract base class",
    "constructions.CoupledSet": "abstract base class",
    "certificates.Verdict": "enum (Verdict('bogus') is Python's own ValueError)",
}

#: frozen result records: built by the library (or by the named validating factory), never parsed from
#: user input; their constructors are plain dataclass/NamedTuple constructors without checks
RECORDS: dict[str, str] = {
    "constructions.Game": "built by game_from_callables / game_from_sympy / minmax_game / normal_form_game",
    "constructions.Smoothness": "built by the game factories",
    "constructions.sperner.Colouring": "built by sperner_colouring / bisperner_colouring / "
                                       "implicit_colouring (checked by check_colouring in every consumer)",
    "constructions.sperner.SpernerInstance": "built by the instance generators / instance_from_colouring",
    "constructions.lift.LiftedGame": "built by lift_colouring",
    "complexity.Algorithm": "registry entry of complexity.zoo",
}
for _mod, _names in {
    "constructions.sperner": ("BoundaryViolation", "KuhnSimplices", "Certificate", "CertificateCheck",
                              "BoundaryDoor", "DoorPath", "BrouwerMap"),
    "constructions.interop": ("NFGData",),
    "constructions.lift": ("Interpolation", "LiftParameters", "LiftEvaluation", "Extraction",
                           "FixedPointSearch", "LiftCheck", "MeasuredConstants"),
    "certificates": ("LocalGain", "Residual", "PlayerBound", "Witness", "LocalNashCertificate",
                     "KantorovichCertificate", "HessianTest", "DifferentialNashCertificate",
                     "LocalMinimaxCertificate", "CheckResult", "Distribution", "CCEPlayerBound", "CCEWitness",
                     "LocalCCECertificate", "LinearStats", "LinearLPResult", "DualCheck", "LinearPlayerBound",
                     "LinearDeviationCertificate", "SmallGainConstants", "SmallGainCertificate"),
    "complexity": ("SolverResult", "CommitmentCheck", "SweepResult", "ExponentFit", "RunResult",
                   "TourResult"),
}.items():
    for _n in _names:
        RECORDS[f"{_mod}.{_n}"] = "result record returned by the library"


def _resolve(qualname: str) -> object:
    module, _, name = qualname.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _public_callables() -> dict[int, list[str]]:
    """id(object) -> every public name of that callable (one object may be re-exported twice)."""
    found: dict[int, list[str]] = {}
    for module in PUBLIC_MODULES:
        mod = importlib.import_module(module)
        for name in mod.__all__:
            obj = getattr(mod, name)
            if inspect.ismodule(obj) or not callable(obj):
                continue  # subpackages and constants (dicts, strings, tuples)
            found.setdefault(id(obj), []).append(f"{module}.{name}")
    return found


@pytest.mark.parametrize(("qualname", "call", "argument"), CASES,
                         ids=[f"{q.rpartition('.')[2]}-{a}-{i}" for i, (q, _, a) in enumerate(CASES)])
def test_invalid_call_raises_invalid_argument_naming_the_argument(qualname, call, argument, tmp_path,
                                                                   monkeypatch):
    monkeypatch.chdir(tmp_path)  # calls that would write a file write it here (and must not)
    _resolve(qualname)  # the table names a real public object
    with pytest.raises(InvalidArgument) as info:
        call()
    message = str(info.value)
    assert argument in message, f"message does not name {argument!r}: {message}"
    assert "\n" not in message.strip(), f"message is not one line: {message!r}"
    assert not list(tmp_path.iterdir()), "a rejected call left a file behind"


@pytest.mark.parametrize(("qualname", "call", "needle"), REJECTS,
                         ids=[f"{q.rpartition('.')[2]}-{i}" for i, (q, _, _) in enumerate(REJECTS)])
def test_checkers_reject_malformed_data_with_a_message(qualname, call, needle):
    _resolve(qualname)
    result = call()
    assert result.ok is False
    assert needle in result.message, result.message


def test_every_public_callable_is_in_the_table():
    covered = {id(_resolve(q)) for q, _, _ in (*CASES, *REJECTS)}
    exempt = {id(_resolve(q)) for q in (*EXEMPT, *RECORDS)}
    missing = sorted(names[0] for key, names in _public_callables().items()
                     if key not in covered and key not in exempt)
    assert not missing, f"public callables without an invalid-argument case: {missing}"


def test_exemptions_are_what_they_claim():
    for q in EXEMPT:
        obj = _resolve(q)
        if inspect.isclass(obj):
            assert issubclass(obj, Exception | enum.Enum) or inspect.isabstract(obj), q
        else:
            assert not inspect.signature(obj).parameters, f"{q} is exempt as argument-free but has parameters"
    for q in RECORDS:
        obj = _resolve(q)
        frozen = dataclasses.is_dataclass(obj) and obj.__dataclass_params__.frozen
        namedtuple = issubclass(obj, tuple) and hasattr(obj, "_fields")
        assert frozen or namedtuple, f"{q} is exempt as a record but is not a frozen dataclass/NamedTuple"
    # exception classes are exempt by nature; everything else exempt must stay a short list
    others = [q for q in EXEMPT if not (inspect.isclass(_resolve(q)) and issubclass(_resolve(q), Exception))]
    assert len(others) <= 6, others
    assert not set(EXEMPT) & {q for q, _, _ in CASES}


# ---------------------------------------------------------------------------------------------
# the CLI

#: bad arguments for every ``localeq`` sub-command; ``{tmp}`` is replaced by a fresh directory. Most get
#: past argparse and are rejected by the library's validation (one line on stderr); the ones marked
#: ``argparse`` are rejected by argparse itself (usage block + one ``error:`` line).
CLI_CASES: dict[str, list[tuple[list[str], str]]] = {
    "verify": [
        (["verify", "no-such-game"], "library"),
        (["verify", "quadratic-saddle", "--point", "0,nan"], "library"),
        (["verify", "quadratic-saddle", "--point", "0,0,0"], "library"),
        (["verify", "quadratic-saddle", "--point", "a,b"], "library"),
        (["verify", "quadratic-saddle", "--eps", "-1"], "library"),
        (["verify", "quadratic-saddle", "--delta", "nan"], "library"),
        (["verify", "--game-file", "{tmp}/missing.json"], "library"),
        (["verify", "matching-pennies", "--distribution", "{tmp}/missing.json"], "library"),
        (["verify", "quadratic-saddle", "--eps", "tiny"], "argparse"),
        (["verify", "quadratic-saddle", "--second-order", "bogus"], "argparse"),
    ],
    "check": [
        (["check", "{tmp}/missing.json"], "library"),
        (["check", "{tmp}/garbage.json"], "library"),
    ],
    "generate": [
        (["generate", "sperner", "--n", "-3", "--out", "{tmp}/i.npz"], "library"),
        (["generate", "sperner", "--n", "8", "--kind", "planted", "--target", "99,99",
          "--out", "{tmp}/i.npz"], "library"),
        (["generate", "sperner", "--n", "8", "--seed", "-1", "--out", "{tmp}/i.npz"], "library"),
        (["generate", "sperner", "--n", "8", "--out", "{tmp}/no/such/dir/i.npz"], "library"),
        (["generate", "lifted", "--from", "{tmp}/missing.npz", "--out", "{tmp}/g.json"], "library"),
        (["generate", "lifted", "--from", "{tmp}/garbage.json", "--out", "{tmp}/g.json"], "library"),
        (["generate", "sperner", "--n", "eight", "--out", "{tmp}/i.npz"], "argparse"),
    ],
    "measure": [
        (["measure", "selftest", "--set", "bogus=1", "--out", "{tmp}/r.jsonl"], "library"),
        (["measure", "selftest", "--seeds", "x-y", "--out", "{tmp}/r.jsonl"], "library"),
        (["measure", "selftest", "--workers", "0", "--out", "{tmp}/r.jsonl"], "library"),
        (["measure", "selftest", "--out", "{tmp}/no/such/dir/r.jsonl"], "library"),
        (["measure", "no-such-experiment", "--out", "{tmp}/r.jsonl"], "argparse"),
    ],
    "tour": [
        (["tour", "--n", "-1", "--out", "{tmp}/t"], "library"),
        (["tour", "--budget", "0", "--out", "{tmp}/t"], "library"),
        (["tour", "--seed", "-5", "--out", "{tmp}/t"], "library"),
    ],
}


def _registered_commands() -> set[str]:
    from complexity.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return set(sub.choices)


def _prepare(argv: list[str], tmp: Path) -> list[str]:
    (tmp / "garbage.json").write_text('{"schema": "localeq.cert/1", "verdict": "VERIF')
    return [a.replace("{tmp}", str(tmp)) for a in argv]


def _assert_clean_failure(code: int, stderr: str, kind: str) -> None:
    assert code != 0
    assert "Traceback" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert lines, "no error message"
    if kind == "library":
        assert len(lines) == 1, f"expected a one-line error, got {stderr!r}"
        assert lines[0].startswith("localeq ") and ": error: " in lines[0], lines[0]
    else:  # argparse: the usage block (possibly wrapped over several lines) and one error line
        assert lines[0].startswith("usage: localeq"), stderr
        assert lines[-1].startswith("localeq ") and ": error: " in lines[-1], stderr
        assert sum(": error: " in line for line in lines) == 1


def test_every_cli_command_has_bad_argument_cases():
    assert _registered_commands() <= set(CLI_CASES), sorted(_registered_commands() - set(CLI_CASES))


CLI_PARAMS = [(cmd, argv, kind) for cmd, cases in CLI_CASES.items() for argv, kind in cases]


@pytest.mark.parametrize(("command", "argv", "kind"), CLI_PARAMS,
                         ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(CLI_PARAMS)])
def test_cli_bad_arguments_in_process(command, argv, kind, tmp_path, capsys, monkeypatch):
    from complexity.cli import main

    if command not in _registered_commands():
        pytest.fail(f"localeq {command} is in the table but not registered")  # table is stale
    monkeypatch.chdir(tmp_path)
    try:
        code = main(_prepare(argv, tmp_path))
    except SystemExit as exc:  # argparse errors
        code = exc.code
    _assert_clean_failure(code, capsys.readouterr().err, kind)


def test_cli_bad_arguments_as_a_subprocess(tmp_path):
    """One bad call per sub-command through ``python -m complexity.cli`` (run concurrently)."""
    procs = {}
    for command in sorted(_registered_commands()):
        argv, kind = CLI_CASES[command][0]
        procs[command] = (kind, subprocess.Popen(
            [sys.executable, "-m", "complexity.cli", *_prepare(argv, tmp_path)], cwd=tmp_path,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for command, (kind, proc) in procs.items():
        _, err = proc.communicate(timeout=120)
        assert command and proc.returncode != 0
        _assert_clean_failure(proc.returncode, err, kind)
