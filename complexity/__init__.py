"""Query complexity of equilibrium computation: oracles, solvers, algorithms, experiments, CLI.

Algorithms see an instance only through a counting oracle (:class:`GameOracle`,
:func:`ColourOracle`); the algorithm zoo is :mod:`complexity.zoo` (:func:`run_algorithm`); black-box Sperner
solvers and the adaptive adversary live in
:mod:`complexity._solvers` / :mod:`complexity._adversary`; ``localeq measure`` runs sweeps
(:func:`run_sweep`), fits exponents (:func:`fit_exponent`) and plots (:func:`plot_sweep`).
"""

from __future__ import annotations

from ._adversary import TYPES, AdaptiveAdversary, CommitmentCheck, check_commitment
from ._measure import (
    EXPERIMENTS,
    ExponentFit,
    SweepResult,
    fit_exponent,
    fit_table,
    plot_sweep,
    read_rows,
    register_experiment,
    run_sweep,
)
from ._oracle import ColourOracle, GameOracle, IsolationError, QueryBudgetExceeded, run_isolated
from ._solvers import SOLVERS, SolverResult, solve, solve_divide_conquer, solve_scan, solve_walk
from ._tour import TourResult, tour
from ._tunnel import TunnelAdversary, tunnel_lower_bound
from .zoo import ALGORITHMS, Algorithm, RunResult, algorithm_names, run_algorithm

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "GameOracle",
    "ColourOracle",
    "QueryBudgetExceeded",
    "IsolationError",
    "run_isolated",
    "SOLVERS",
    "SolverResult",
    "solve",
    "solve_scan",
    "solve_walk",
    "solve_divide_conquer",
    "AdaptiveAdversary",
    "TunnelAdversary",
    "tunnel_lower_bound",
    "check_commitment",
    "CommitmentCheck",
    "TYPES",
    "EXPERIMENTS",
    "register_experiment",
    "run_sweep",
    "read_rows",
    "SweepResult",
    "ExponentFit",
    "fit_exponent",
    "fit_table",
    "plot_sweep",
    "ALGORITHMS",
    "Algorithm",
    "RunResult",
    "algorithm_names",
    "run_algorithm",
    "tour",
    "TourResult",
]
