r"""One choke point for cvxpy solves: status mapping, messages and failures (convention C6).

Every LP/SDP that a certificate needs goes through :func:`solve_problem`. The backend's
status is mapped onto :class:`SolveStatus`; a solver *error* (an exception from
cvxpy or a status outside the known table) raises :class:`~constructions.SolverFailed`
with the solver's own message, an *inaccurate* status is returned as
``SolveStatus.INACCURATE`` with the message. Certificates turn both into an
INCONCLUSIVE verdict that quotes the message; they never read a verdict off a
solver flag -- the bounds they report are re-evaluated from the returned dual data
with outward rounding (or in exact rationals).

Examples
--------
>>> import cvxpy as cp
>>> x = cp.Variable()
>>> res = solve_problem(cp.Problem(cp.Minimize(x), [x >= 1]))
>>> res.status.value, round(res.value, 6)
('OPTIMAL', 1.0)
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import Any

import cvxpy as cp

from constructions import InvalidArgument, SolverFailed

__all__ = ["SolveStatus", "SolveResult", "solve_problem", "default_solver"]


class SolveStatus(enum.StrEnum):
    """What a backend reported, reduced to the cases a certificate distinguishes."""

    OPTIMAL = "OPTIMAL"
    INACCURATE = "INACCURATE"
    INFEASIBLE = "INFEASIBLE"
    UNBOUNDED = "UNBOUNDED"


_FROM_CVXPY = {
    cp.OPTIMAL: SolveStatus.OPTIMAL,
    cp.OPTIMAL_INACCURATE: SolveStatus.INACCURATE,
    cp.INFEASIBLE_INACCURATE: SolveStatus.INACCURATE,
    cp.UNBOUNDED_INACCURATE: SolveStatus.INACCURATE,
    cp.INFEASIBLE: SolveStatus.INFEASIBLE,
    cp.UNBOUNDED: SolveStatus.UNBOUNDED,
}


@dataclass(frozen=True)
class SolveResult:
    """Outcome of :func:`solve_problem`.

    Attributes
    ----------
    status : SolveStatus
        Mapped status.
    raw_status : str
        cvxpy's status string.
    value : float
        Objective value (NaN when the solver gave none).
    solver : str
        The backend used.
    message : str
        One sentence naming the solver and its status.
    """

    status: SolveStatus
    raw_status: str
    value: float
    solver: str
    message: str

    @property
    def ok(self) -> bool:
        """Whether the status is OPTIMAL (accurate)."""
        return self.status is SolveStatus.OPTIMAL


def default_solver(sdp: bool = False) -> str:
    """CLARABEL when installed (LPs and SDPs), else SCS for SDPs / HIGHS for LPs."""
    installed = cp.installed_solvers()
    if "CLARABEL" in installed:
        return "CLARABEL"
    if sdp:
        return "SCS"
    return "HIGHS" if "HIGHS" in installed else installed[0]


def solve_problem(problem: cp.Problem, *, solver: str | None = None, sdp: bool = False,
                  **options: Any) -> SolveResult:
    """Solve ``problem`` and map the status (C6).

    Parameters
    ----------
    problem : cvxpy.Problem
        The problem.
    solver : str, optional
        Backend name (default :func:`default_solver`).
    sdp : bool, default False
        Whether the problem has semidefinite constraints (only affects the default).
    **options
        Passed to ``problem.solve``.

    Returns
    -------
    SolveResult

    Raises
    ------
    SolverFailed
        The backend raised, or returned a status outside the known table (an error).
    InvalidArgument
        ``solver`` is not installed.
    """
    name = solver if solver is not None else default_solver(sdp)
    if name not in cp.installed_solvers():
        raise InvalidArgument(
            f"solver must be one of the installed cvxpy solvers {cp.installed_solvers()}, "
            f"got solver={solver!r}"
        )
    try:
        problem.solve(solver=name, **options)
    except (cp.error.SolverError, ArithmeticError, ValueError) as exc:
        raise SolverFailed(f"solver={name!r} failed: {exc}") from exc
    raw = str(problem.status)
    status = _FROM_CVXPY.get(raw)
    if status is None:
        raise SolverFailed(f"solver={name!r} returned status={raw!r}")
    val = problem.value
    try:
        value = float(val) if val is not None else math.nan
    except (TypeError, ValueError):
        value = math.nan
    msg = f"solver={name!r} returned status={raw!r}"
    return SolveResult(status, raw, value, name, msg)
