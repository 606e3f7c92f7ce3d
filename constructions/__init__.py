"""Constructions: constraint sets, the game model, classic games and hard instances.

Public names are re-exported here from private modules; everything not listed in
``__all__`` is internal.
"""

from __future__ import annotations

# sub-packages: hard instances (Sperner/BiSperner grids), their smooth DSZ lift, and interop
# with Nashpy/pygambit/OpenSpiel/.nfg/JAX/PyTorch (optional libraries imported lazily)
from . import interop, lift, sperner  # noqa: E402
from ._classic import (
    CLASSIC_GAMES,
    bilinear,
    classic_game,
    lorenz_game,
    matching_pennies,
    normal_form_game,
    prisoners_dilemma,
    quadratic_saddle,
    squared_difference,
)
from ._errors import InvalidArgument, LocaleqError, SolverFailed
from ._gamefile import game_to_dict, load_game  # noqa: E402
from ._games import (
    Game,
    Smoothness,
    game_from_callables,
    game_from_sympy,
    minmax_from_sympy,
    minmax_game,
)
from ._sets import (
    Ball,
    Box,
    ConvexSet,
    CoupledPolytope,
    CoupledSet,
    DSZSet,
    Polytope,
    ProductSet,
    Simplex,
)
from .lift import lift_colouring, lifted_game  # noqa: E402

__all__ = [
    "LocaleqError",
    "InvalidArgument",
    "SolverFailed",
    "ConvexSet",
    "CoupledSet",
    "Box",
    "Simplex",
    "Ball",
    "Polytope",
    "ProductSet",
    "CoupledPolytope",
    "DSZSet",
    "Game",
    "Smoothness",
    "game_from_callables",
    "game_from_sympy",
    "minmax_game",
    "minmax_from_sympy",
    "CLASSIC_GAMES",
    "classic_game",
    "bilinear",
    "quadratic_saddle",
    "squared_difference",
    "matching_pennies",
    "prisoners_dilemma",
    "lorenz_game",
    "normal_form_game",
    "sperner",
    "lift",
    "interop",
    "lift_colouring",
    "lifted_game",
    "load_game",
    "game_to_dict",
]
