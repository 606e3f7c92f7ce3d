"""Algorithm zoo: steps-to-tolerance exponents in the condition number, and cost per step.

Part 1. On f = (mu/2)|x|^2 + L<x, B y> - (mu/2)|y|^2 with L = 1, mu = 1/kappa (scalar family, and the
"worst" family with one uncoupled direction), run each method with its theory step size until the DSZ
residual is below 1e-8 and fit the exponent p in steps ~ kappa^p (least squares on logs).

Part 2. Queries and wall time per step of every registered algorithm on a small DSZ lifted game.

Run: ``python benchmarks/bench_zoo.py``.
"""

from __future__ import annotations

import time

import numpy as np

from complexity._oracle import GameOracle
from complexity.zoo import ALGORITHMS, run_algorithm
from constructions import minmax_game
from constructions.lift import lifted_game
from constructions.sperner import planted_instance


def family(kappa: float, worst: bool):
    L, mu = 1.0, 1.0 / kappa
    if not worst:
        return minmax_game(lambda z: 0.5 * mu * z[0] ** 2 + L * z[0] * z[1] - 0.5 * mu * z[1] ** 2,
                           lambda z: np.array([mu * z[0] + L * z[1]]),
                           lambda z: np.array([L * z[0] - mu * z[1]]), dx=1, dy=1)
    return minmax_game(lambda z: 0.5 * mu * (z[0] ** 2 + z[1] ** 2) + L * z[0] * z[2]
                       - 0.5 * mu * (z[2] ** 2 + z[3] ** 2),
                       lambda z: np.array([mu * z[0] + L * z[2], mu * z[1]]),
                       lambda z: np.array([L * z[0] - mu * z[2], -mu * z[3]]), dx=2, dy=2)


STEP = {  # theory step sizes for L = 1
    "gda": lambda k: (1 / k) / ((1 / k) ** 2 + 1),
    "alt-gda": lambda k: 1.0,
    "extragradient": lambda k: 0.5,
    "ogda": lambda k: 0.25,
    "negative-momentum": lambda k: 0.5,
}


def exponents() -> None:
    print(f"{'method':18s} {'family':7s} {'kappas':18s} {'steps':34s} exponent")
    for worst in (False, True):
        for name, step in STEP.items():
            kappas = [4, 8, 16, 32] if name == "gda" else [8, 16, 32, 64, 128]
            steps = []
            for k in kappas:
                game = family(k, worst)
                res = run_algorithm(name, GameOracle(game), np.ones(game.dim), 10**6, step_size=step(k),
                                    tol=1e-8)
                steps.append(res.n_steps if res.stopped_by == "tolerance" else np.nan)
            p = np.polyfit(np.log(kappas), np.log(steps), 1)[0] if np.all(np.isfinite(steps)) else np.nan
            fam = "worst" if worst else "scalar"
            print(f"{name:18s} {fam:7s} {str(kappas):18s} {str(steps):34s} {p:.3f}")


def per_step_cost() -> None:
    game = lifted_game(planted_instance(8, 2, target=(3, 4), rng=0).colouring)
    x0 = np.array([0.5, 0.5, 0.505, 0.49])
    print(f"\n{'algorithm':18s} {'queries/step (value, gradient, hessian, hvp)':46s} us/step")
    for name in ALGORITHMS:
        orc = GameOracle(game)
        opts = {"step_size": 1e-3, "final_residual": False}
        t0 = time.perf_counter()
        res = run_algorithm(name, orc, x0, 300, **opts)
        dt = (time.perf_counter() - t0) / max(res.n_steps, 1)
        q = res.queries
        per = tuple(round(q[k] / max(res.n_steps, 1), 2) for k in ("value", "gradient", "hessian", "hvp"))
        print(f"{name:18s} {str(per):46s} {1e6 * dt:8.1f}   ({res.stopped_by}, {res.n_steps} steps)")


if __name__ == "__main__":
    exponents()
    per_step_cost()
