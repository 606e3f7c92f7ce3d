r"""The DSZ lift: BiSperner colourings to smooth, Lipschitz, nonconcave zero-sum min-max games.

Daskalakis, Skoulakis and Zampetakis (STOC 2021) turn a BiSperner colouring into
:math:`f(x, y) = \sum_j (y_j - x_j) a_j(x)` on a coupled domain whose approximate GDA fixed points
lie only in panchromatic cells. See :mod:`constructions.lift._lifted` for the construction and the
decisions taken where the paper has slips or gaps, and :mod:`constructions.lift._interp` for the
interpolation coefficients (tensor smoothstep in 2D, SEIC on the ``d+1`` chain vertices in log space).

Public names are re-exported here from private modules.
"""

from __future__ import annotations

from ._analysis import (
    Extraction,
    FixedPointSearch,
    LiftCheck,
    MeasuredConstants,
    check_lift,
    extract_solution,
    find_fixed_point,
    measure_constants,
)
from ._interp import (
    Interpolation,
    cell_of,
    seic_brute_force,
    seic_coefficients,
    tensor_coefficients,
    weighted_hessian,
)
from ._lifted import (
    LiftedGame,
    LiftEvaluation,
    LiftParameters,
    gda_accuracy_from_local_minmax,
    lift_colouring,
    lifted_game,
    local_minmax_from_gda,
    seic_variation,
)
from ._steps import log_smoothstep_inf, smoothstep1, smoothstep2, smoothstep_inf

__all__ = [
    # interpolation
    "smoothstep1",
    "smoothstep2",
    "smoothstep_inf",
    "log_smoothstep_inf",
    "Interpolation",
    "cell_of",
    "seic_coefficients",
    "seic_brute_force",
    "tensor_coefficients",
    "weighted_hessian",
    # the lift
    "LiftParameters",
    "LiftEvaluation",
    "LiftedGame",
    "lift_colouring",
    "lifted_game",
    "seic_variation",
    "local_minmax_from_gda",
    "gda_accuracy_from_local_minmax",
    # analysis
    "Extraction",
    "extract_solution",
    "FixedPointSearch",
    "find_fixed_point",
    "LiftCheck",
    "check_lift",
    "MeasuredConstants",
    "measure_constants",
]
