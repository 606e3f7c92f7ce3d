"""Game files: a small JSON format for sympy-defined games (used by ``localeq verify``).

Format (``format: "localeq.game/1"``), one of three shapes::

    {"format": "localeq.game/1", "name": "my game",
     "players": [["x1", "x2"], ["y"]],            # symbol names, one list per player
     "utilities": ["-(x1*y - x2**2)", "x1*y"],      # sympy syntax, maximised
     "domain": {...}, "smoothness": [2.0, 0.0]}    # optional

    {"format": "localeq.game/1", "minmax": {"f": "x*y", "x": ["x"], "y": ["y"]},
     "domain": {...}}

    {"format": "localeq.game/1", "payoffs": [[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]}

``domain`` is ``null`` (unconstrained), ``{"type": "product", "sets": [SET, ...]}`` with
``SET`` one of ``{"type": "box", "lo": [...], "hi": [...]}``, ``{"type": "simplex",
"n": k}``, ``{"type": "ball", "center": [...], "radius": r}``, ``{"type": "polytope",
"C": [[...]], "c": [...], "lo": [...], "hi": [...]}``; or ``{"type": "dsz", "d": d,
"Delta": D}`` for the DSZ coupled set.

Expressions are parsed with :func:`sympy.parse_expr`, which evaluates Python code:
load game files only from sources you trust.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sympy as sp

from ._errors import InvalidArgument
from ._games import Game, game_from_sympy, minmax_from_sympy
from ._sets import Ball, Box, ConvexSet, DSZSet, Polytope, ProductSet, Simplex

__all__ = ["GAME_FORMAT", "load_game", "game_from_dict"]

GAME_FORMAT = "localeq.game/1"


def _set_from_dict(spec: Any, where: str) -> ConvexSet:
    if not isinstance(spec, dict) or "type" not in spec:
        raise InvalidArgument(f"{where} must be an object with a 'type', got {where}={spec!r}")
    kind = spec["type"]
    try:
        if kind == "box":
            return Box(spec["lo"], spec["hi"])
        if kind == "simplex":
            return Simplex(int(spec["n"]), spec.get("total", 1.0))
        if kind == "ball":
            return Ball(spec["center"], spec["radius"])
        if kind == "polytope":
            return Polytope(spec["C"], spec["c"], lo=spec.get("lo"), hi=spec.get("hi"))
        if kind == "dsz":
            return DSZSet(int(spec["d"]), spec["Delta"])
        if kind == "product":
            return ProductSet([_set_from_dict(s, f"{where}.sets[{k}]")
                               for k, s in enumerate(spec["sets"])])
    except KeyError as exc:
        raise InvalidArgument(f"{where} of type {kind!r} is missing the key {exc}") from None
    raise InvalidArgument(f"{where}.type must be box, simplex, ball, polytope, dsz or product, "
                          f"got {where}.type={kind!r}")


def _parse(text: Any, symbols: dict[str, sp.Symbol], where: str) -> sp.Expr:
    if not isinstance(text, str):
        raise InvalidArgument(f"{where} must be a string in sympy syntax, got {where}={text!r}")
    try:
        return sp.parse_expr(text, local_dict=dict(symbols))
    except Exception as exc:  # sympy raises many types on bad syntax
        raise InvalidArgument(f"{where} is not a valid expression: {where}={text!r} ({exc})") from None


def game_from_dict(spec: dict[str, Any]) -> Game:
    """Build a game from the dictionary form of a game file (see the module docstring)."""
    from ._classic import normal_form_game

    if not isinstance(spec, dict):
        raise InvalidArgument(f"a game file must hold a JSON object, got {type(spec).__name__}")
    fmt = spec.get("format", GAME_FORMAT)
    if fmt != GAME_FORMAT:
        raise InvalidArgument(f"unsupported game format={fmt!r}; expected {GAME_FORMAT!r}")
    name = str(spec.get("name", "game from file"))
    if "payoffs" in spec:
        return normal_form_game(spec["payoffs"], name=name)
    domain = _set_from_dict(spec["domain"], "domain") if spec.get("domain") is not None else None
    smooth = spec.get("smoothness")
    if "minmax" in spec:
        mm = spec["minmax"]
        xs = [sp.Symbol(str(s)) for s in mm.get("x", [])]
        ys = [sp.Symbol(str(s)) for s in mm.get("y", [])]
        syms = {s.name: s for s in xs + ys}
        f = _parse(mm.get("f"), syms, "minmax.f")
        return minmax_from_sympy(f, xs, ys, domain=domain, smoothness=smooth, name=name)
    if "players" not in spec or "utilities" not in spec:
        raise InvalidArgument("a game file needs 'payoffs', 'minmax', or 'players' + 'utilities'")
    players = [[sp.Symbol(str(s)) for s in block] for block in spec["players"]]
    syms = {s.name: s for b in players for s in b}
    utils = [_parse(u, syms, f"utilities[{k}]") for k, u in enumerate(spec["utilities"])]
    return game_from_sympy(utils, players, domain=domain, smoothness=smooth, name=name)


def load_game(path: str | Path) -> Game:
    """Load a game file written in the ``localeq.game/1`` JSON format.

    Examples
    --------
    >>> import json, tempfile, os
    >>> spec = {"format": "localeq.game/1", "minmax": {"f": "x*y", "x": ["x"], "y": ["y"]}}
    >>> with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
    ...     json.dump(spec, fh)
    >>> load_game(fh.name).minmax
    True
    >>> os.unlink(fh.name)
    """
    p = Path(path)
    try:
        text = p.read_text()
    except OSError as exc:
        raise InvalidArgument(f"cannot read game file path={str(path)!r}: {exc.strerror}") from None
    try:
        spec = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidArgument(f"game file path={str(path)!r} is not valid JSON: {exc}") from None
    return game_from_dict(spec)
