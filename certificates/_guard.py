"""Guards around a user's oracles: a failing or non-finite utility is a reason, never a verdict.

The first-order certificates bound gains with gradients and smoothness constants, so they never need
the utility to *verify*. A utility that raises or returns NaN/inf at the candidate point nevertheless
means the game is not the smooth real-valued game the bound assumes; the certifiers then report
INCONCLUSIVE with the reason returned here (issue 8: fault injection).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from constructions import Game

__all__ = ["utility_problem"]


def utility_problem(game: Game, i: int, points: Iterable[np.ndarray]) -> str | None:
    """``None`` when :math:`u_i` is finite at every point, else a one-sentence reason (never raises).

    Examples
    --------
    >>> from constructions import matching_pennies
    >>> utility_problem(matching_pennies(), 0, [np.full(4, 0.5)]) is None
    True
    """
    for z in points:
        try:
            val = float(game.utility(i, z))
        except Exception as exc:  # noqa: BLE001 - a user's oracle failed: report, never verify
            return f"player {i}: utility oracle raised {type(exc).__name__}: {exc}"
        if not math.isfinite(val):
            return f"player {i}: utility is not finite ({val}) at a point of the claim"
    return None
