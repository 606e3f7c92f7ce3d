"""Built-in experiments for ``localeq measure`` (each registers itself in ``EXPERIMENTS``).

Every run function takes one parameter cell (a dict with ``seed``) and returns one row.
They are module-level so worker processes and Dask workers can import them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._measure import Experiment, register_experiment

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
    """Colour queries a Sperner solver needs on one instance."""
    from constructions.sperner import planted_instance, random_instance

    from ._oracle import ColourOracle
    from ._solvers import SOLVERS

    n, d, seed = int(params["n"]), int(params["d"]), int(params["seed"])
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
    res = SOLVERS[params["solver"]](oracle)
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
    description="colour queries of black-box Sperner solvers",
))


# ---------------------------------------------------------------------------------------
# the quadratic game with condition number kappa: steps to tolerance of the zoo algorithms
# ---------------------------------------------------------------------------------------


def zoo_quadratic_run(params: dict[str, Any]) -> dict[str, Any]:
    """Steps and gradient queries until the iterate is within ``tol`` of the saddle."""
    import sympy as sp

    from constructions import minmax_from_sympy

    from ._oracle import GameOracle
    from ._zoo import run_algorithm

    kappa = float(params["kappa"])
    x, y = sp.symbols("x y")
    k = sp.nsimplify(kappa, rational=True)
    game = minmax_from_sympy(sp.Rational(1, 2) * x**2 + k * x * y - sp.Rational(1, 2) * y**2,
                             [x], [y], smoothness=(1.0, 1.0), name=f"quadratic kappa={kappa}")
    oracle = GameOracle(game, budget=int(params["budget"]))
    rng = np.random.default_rng(params["seed"])
    x0 = rng.uniform(-1, 1, 2)
    res = run_algorithm(params["algorithm"], oracle, x0, int(params["budget"]), tol=float(params["tol"]))
    dist = float(np.linalg.norm(res.x))
    return {"steps": int(res.n_steps), "queries": int(oracle.n_queries),
            "reached": bool(dist <= float(params["tol"]) * 10 or res.stopped_by == "tolerance"),
            "stopped_by": res.stopped_by}


register_experiment(Experiment(
    name="zoo-quadratic",
    run=zoo_quadratic_run,
    defaults={"algorithm": ["gda", "alt-gda", "extragradient"], "kappa": [2, 4, 8, 16],
              "tol": [1e-6], "budget": [200000]},
    x="kappa",
    y="steps",
    group=("algorithm",),
    theory={
        "gda": ("O(kappa^2)", lambda k: 10 * k**2, 2.0),
        "alt-gda": ("O(kappa)", lambda k: 10 * k, 1.0),
        "extragradient": ("O(kappa)", lambda k: 10 * k, 1.0),
    },
    description="steps to 1e-6 on 0.5x^2 + kappa xy - 0.5y^2",
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
    lifted = lift_colouring(inst.colouring)
    alpha = lifted.parameters.alpha
    game = lifted.game
    if params["algorithm"] == "sperner-route":
        from constructions.lift import extract_solution, find_fixed_point

        from ._solvers import SOLVERS

        oracle = ColourOracle(inst.colouring)
        sol = SOLVERS["divide-conquer"](oracle)
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
        return {"queries": int(oracle.counter.n_queries), "reached": bool(res < alpha),
                "residual": res, "alpha": alpha, "certificate": cert.verdict.value,
                "eps": eps, "delta": delta, "solver_cell": list(map(int, sol.cell)),
                "extracted_cell": list(map(int, ext.cell)),
                "planted_cells": [list(map(int, c)) for c in inst.solutions]}
    from ._zoo import run_algorithm

    oracle = GameOracle(game, budget=budget)
    rng = np.random.default_rng(seed)
    x0 = game.domain.project(rng.uniform(0, 1, game.dim))
    out = run_algorithm(params["algorithm"], oracle, x0, budget, tol=alpha)
    return {"queries": int(oracle.n_queries), "reached": bool(out.residual < alpha),
            "residual": float(out.residual), "alpha": alpha, "stopped_by": out.stopped_by}


register_experiment(Experiment(
    name="lifted",
    run=lifted_run,
    defaults={"algorithm": ["gda", "extragradient", "ogda", "sperner-route"], "n": [8, 16, 32],
              "budget": [20000]},
    x="n",
    y="queries",
    group=("algorithm",),
    theory={"sperner-route": ("Theta(N) colour queries", lambda n: 3.0 * n, 1.0)},
    description="first-order methods vs the Sperner route on DSZ-lifted planted 2D instances",
))

