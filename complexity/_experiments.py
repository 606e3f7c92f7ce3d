"""Built-in experiments for ``localeq measure`` (each registers itself in ``EXPERIMENTS``).

Every run function takes one parameter cell (a dict with ``seed``) and returns one row.
They are module-level so worker processes and Dask workers can import them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._measure import Experiment, register_experiment
from .zoo import algorithm_names

__all__ = ["selftest_run"]


# ---------------------------------------------------------------------------------------
# self-test of the pipeline (known answer: y = 3 x^2 exactly, plus optional delay)
# ---------------------------------------------------------------------------------------


def selftest_run(params: dict[str, Any]) -> dict[str, Any]:
    """``y = 3 x^2 (1 + noise)`` with a known exponent; ``delay`` seconds of sleep."""
    import time

    rng = np.random.default_rng(params["seed"])
    time.sleep(float(params.get("delay", 0.0)))
    x = float(params["x"])
    noise = float(params.get("noise", 0.0))
    return {"y": 3.0 * x**2 * float(np.exp(noise * rng.standard_normal()))}


register_experiment(Experiment(
    name="selftest",
    run=selftest_run,
    defaults={"x": [1, 2, 4, 8], "noise": [0.0], "delay": [0.0]},
    x="x",
    y="y",
    theory={"*": ("3 x^2", lambda x: 3.0 * x**2, 2.0)},
    description="pipeline self-test with a known power law y = 3 x^2",
))


# ---------------------------------------------------------------------------------------
# black-box Sperner: colour queries of the solvers against planted/random/adversarial grids
# ---------------------------------------------------------------------------------------


def sperner_run(params: dict[str, Any]) -> dict[str, Any]:
    """Colour queries a Sperner solver needs on one instance.

    ``params["boundary"]`` (optional, default 0): 1 (or true) passes ``check_boundary=True`` to
    divide and conquer, which then reads the whole grid boundary too (counted); other solvers
    have no such option and refuse it.
    """
    from constructions import InvalidArgument
    from constructions.sperner import planted_instance, random_instance

    from ._oracle import ColourOracle
    from ._solvers import SOLVERS

    n, d, seed = int(params["n"]), int(params["d"]), int(params["seed"])
    boundary = params.get("boundary", 0)
    if not (isinstance(boundary, bool) or (isinstance(boundary, int) and boundary in (0, 1))):
        raise InvalidArgument(f"boundary must be 0 or 1 (or true/false), got boundary={boundary!r}")
    options = {}
    if boundary:
        if params["solver"] != "divide-conquer":
            raise InvalidArgument(
                f"boundary=1 (check_boundary) applies to solver='divide-conquer' only, got "
                f"solver={params['solver']!r} with boundary={boundary!r}"
            )
        options["check_boundary"] = True
    kind = params["instance"]
    if kind == "adversary":
        from ._adversary import AdaptiveAdversary

        col = AdaptiveAdversary(n, rng=seed).colouring
    elif kind == "planted":
        col = planted_instance(n, d, rng=seed).colouring
    elif kind == "random":
        col = random_instance(n, d, rng=seed).colouring
    else:
        raise ValueError(f"unknown instance kind {kind!r}")
    oracle = ColourOracle(col)
    res = SOLVERS[params["solver"]](oracle, **options)
    return {"queries": int(oracle.counter.n_queries), "certified": bool(res.certified),
            "queries_per_n": oracle.counter.n_queries / n ** max(d - 1, 1)}


register_experiment(Experiment(
    name="sperner",
    run=sperner_run,
    defaults={"solver": ["divide-conquer", "walk"], "n": [16, 32, 64, 128], "d": [2],
              "instance": ["planted"]},
    x="n",
    y="queries",
    group=("solver", "instance", "d"),
    theory={
        "divide-conquer": ("Theta(N^(d-1)) [Chen-Deng]", lambda n: 3.0 * n, 1.0),
        "walk,planted": ("Theta(N^d) on long paths", lambda n: 0.25 * n * n, 2.0),
        "scan": ("N^d", lambda n: float(n) ** 2, 2.0),
    },
    description="colour queries of black-box Sperner solvers (--set boundary=1: D&C reads the boundary too)",
    optional={"boundary": 0},
))


# ---------------------------------------------------------------------------------------
# DSZ black-box lower bound: d-dimensional planted BiSperner in game-query units
# ---------------------------------------------------------------------------------------


def dsz_run(params: dict[str, Any]) -> dict[str, Any]:
    r"""Divide and conquer on a planted ``d``-dimensional BiSperner grid, counted in game queries.

    One value or gradient query of the DSZ-lifted game reads the colours of the ``d + 1``
    vertices of one SEIC chain (notes section 4.1, property (C)), so ``c`` colour queries are
    ``c / (d + 1)`` game (f-)queries -- the unit of the black-box lower bound
    :math:`2^d/(d+1)` (DSZ Thm 4.5), which is reported with the row. The count is that of the
    search (``n_queries``); re-reading the answer for the check is not included.
    """
    from constructions.sperner import planted_instance

    from ._oracle import ColourOracle
    from ._solvers import solve_divide_conquer

    n, d, seed = int(params["n"]), int(params["d"]), int(params["seed"])
    inst = planted_instance(n, d, rng=seed)
    oracle = ColourOracle(inst.colouring)
    res = solve_divide_conquer(oracle)
    colour = int(res.n_queries)
    return {"colour_queries": colour, "f_queries": colour / (d + 1), "lower_bound": 2.0**d / (d + 1),
            "certified": bool(res.certified),
            "planted": res.cell in {tuple(int(x) for x in c) for c in inst.solutions}}


register_experiment(Experiment(
    name="dsz",
    run=dsz_run,
    defaults={"d": [2, 3, 4, 5, 6], "n": [4]},
    x="d",
    y="f_queries",
    group=("n",),
    theory={"*": ("lower bound 2^d/(d+1), DSZ Thm 4.5 (not a fit)", lambda d: 2.0**d / (d + 1), 1.0)},
    description="DSZ: divide and conquer on planted d-dim BiSperner, colour queries/(d+1) vs 2^d/(d+1)",
    fit="exp2",
))


# ---------------------------------------------------------------------------------------
# the quadratic game with condition number kappa: steps to tolerance of the zoo algorithms
# ---------------------------------------------------------------------------------------


#: theory step sizes on the family below (L = 1, mu = 1/kappa); see the zoo's tests for derivations
_THEORY_STEPS = {
    "gda": lambda mu, L: mu / (mu * mu + L * L),  # minimises the spectral radius |1 - eta(mu +- iL)|
    "alt-gda": lambda mu, L: 1.0 / L,
    "extragradient": lambda mu, L: 0.5 / L,
    "ogda": lambda mu, L: 0.25 / L,
}


def zoo_quadratic_run(params: dict[str, Any]) -> dict[str, Any]:
    r"""Steps until the projected-gradient residual is below ``tol``.

    The game is the worst case of the :math:`\mu`-strongly-monotone, :math:`L`-smooth class,
    :math:`f = \tfrac{\mu}{2}\|x\|^2 + L x_1 y_1 - \tfrac{\mu}{2}\|y\|^2` on
    :math:`\mathbb{R}^2 \times \mathbb{R}^2` (one uncoupled direction), with :math:`L = 1`,
    :math:`\mu = 1/\kappa` and each method's theory step size.
    """
    from constructions import minmax_game

    from ._oracle import GameOracle
    from .zoo import run_algorithm

    kappa = float(params["kappa"])
    L, mu = 1.0, 1.0 / kappa
    game = minmax_game(
        lambda z: 0.5 * mu * (z[0] ** 2 + z[1] ** 2) + L * z[0] * z[2] - 0.5 * mu * (z[2] ** 2 + z[3] ** 2),
        lambda z: np.array([mu * z[0] + L * z[2], mu * z[1]]),
        lambda z: np.array([L * z[0] - mu * z[2], -mu * z[3]]),
        dx=2, dy=2, smoothness=(mu, mu), name=f"quadratic kappa={kappa:g}",
    )
    oracle = GameOracle(game, budget=int(params["budget"]))
    rng = np.random.default_rng(params["seed"])
    x0 = rng.uniform(-1, 1, 4)
    name = params["algorithm"]
    eta = _THEORY_STEPS[name](mu, L)
    res = run_algorithm(name, oracle, x0, int(params["budget"]), step_size=eta, tol=float(params["tol"]))
    return {"steps": int(res.n_steps), "queries": int(oracle.n_queries), "step_size": eta,
            "reached": res.stopped_by == "tolerance", "stopped_by": res.stopped_by}


register_experiment(Experiment(
    name="zoo-quadratic",
    run=zoo_quadratic_run,
    defaults={"algorithm": ["gda", "alt-gda", "extragradient"], "kappa": [4, 8, 16, 32],
              "tol": [1e-8], "budget": [10**6]},
    x="kappa",
    y="steps",
    group=("algorithm",),
    theory={
        "gda": ("O(kappa^2)", lambda k: 20 * k**2, 2.0),
        "alt-gda": ("O(kappa)", lambda k: 20 * k, 1.0),
        "extragradient": ("O(kappa)", lambda k: 40 * k, 1.0),
        "ogda": ("O(kappa)", lambda k: 80 * k, 1.0),
    },
    description="steps to residual 1e-8, worst-case strongly monotone quadratic, theory steps",
))


# ---------------------------------------------------------------------------------------
# DSZ lifted planted instances: do first-order methods reach residual alpha? the Sperner route
# ---------------------------------------------------------------------------------------


def lifted_run(params: dict[str, Any]) -> dict[str, Any]:
    """One algorithm (or the Sperner route) on a lifted planted 2D instance."""
    from certificates import certify_local_nash, projected_gradient_residual
    from constructions.lift import lift_colouring
    from constructions.sperner import planted_instance

    from ._oracle import ColourOracle, GameOracle

    n, seed, budget = int(params["n"]), int(params["seed"]), int(params["budget"])
    inst = planted_instance(n, 2, rng=seed)
    colours = ColourOracle(inst.colouring)  # the lift reads colours through it: they are counted
    lifted = lift_colouring(colours)
    colours.counter.reset()  # construction-time checks of the colouring are not the algorithm's
    alpha = lifted.parameters.alpha
    game = lifted.game
    if params["algorithm"] == "sperner-route":
        from constructions.lift import extract_solution, find_fixed_point

        from ._solvers import SOLVERS

        oracle = colours
        sol = SOLVERS["divide-conquer"](oracle)
        solver_queries = int(oracle.counter.n_queries)  # the fixed-point search below reads more
        search = find_fixed_point(lifted, sol.cell)
        point = np.concatenate([search.x, search.y])
        res = projected_gradient_residual(game, point).joint
        # certify an (eps, delta)-local Nash point: delta a small fraction of a cell, eps twice
        # the curvature term L delta^2 / 2 of the proved smoothness constants
        delta = 1e-3 * lifted.parameters.cell_side
        L = max((s.value for s in game.declared_smoothness if s is not None), default=math.inf)
        eps = max(L * delta * delta, 1e-12)
        cert = certify_local_nash(game, point, eps=eps, delta=delta, search=False)
        ext = extract_solution(lifted, search.x, search.y)
        return {"queries": solver_queries, "colour_queries": solver_queries, "reached": bool(res < alpha),
                "residual": res, "alpha": alpha, "certificate": cert.verdict.value,
                "eps": eps, "delta": delta, "solver_cell": list(map(int, sol.cell)),
                "extracted_cell": list(map(int, ext.cell)),
                "planted_cells": [list(map(int, c)) for c in inst.solutions]}
    from .zoo import run_algorithm

    oracle = GameOracle(game, budget=budget)
    rng = np.random.default_rng(seed)
    x0 = game.domain.project(rng.uniform(0, 1, game.dim))
    out = run_algorithm(params["algorithm"], oracle, x0, budget, tol=alpha)
    return {"queries": int(oracle.n_queries), "colour_queries": int(colours.counter.n_queries),
            "reached": bool(out.residual < alpha),
            "residual": float(out.residual), "alpha": alpha, "stopped_by": out.stopped_by}


register_experiment(Experiment(
    name="lifted",
    run=lifted_run,
    # every algorithm of the zoo's registry, then the Sperner route
    defaults={"algorithm": [*algorithm_names(), "sperner-route"], "n": [8, 16, 32], "budget": [20000]},
    x="n",
    y="queries",
    group=("algorithm",),
    theory={"sperner-route": ("Theta(N) colour queries", lambda n: 3.0 * n, 1.0)},
    description="first-order methods vs the Sperner route on DSZ-lifted planted 2D instances",
))

