"""Constructions: constraint sets, the game model, classic games and hard instances.

Public names are re-exported here from private modules; everything not listed in
``__all__`` is internal.
"""

from __future__ import annotations

from ._errors import InvalidArgument, LocaleqError, SolverFailed
from ._sets import ConvexSet, CoupledSet

__all__ = [
    "LocaleqError",
    "InvalidArgument",
    "SolverFailed",
    "ConvexSet",
    "CoupledSet",
]
