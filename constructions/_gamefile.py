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

import numpy as np
import sympy as sp

from ._errors import InvalidArgument
from ._games import Game, game_from_sympy, minmax_from_sympy
from ._sets import Ball, Box, ConvexSet, CoupledSet, DSZSet, Polytope, ProductSet, Simplex

__all__ = ["GAME_FORMAT", "load_game", "game_from_dict", "game_to_dict", "set_to_dict", "game_spec"]

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


def _floats(v: Any) -> list[Any]:
    """Floats as JSON-ready values (non-finite ones as the strings numpy parses back)."""
    arr = np.asarray(v, dtype=float).ravel()
    finite = np.isfinite(arr)
    if finite.all():  # the common case: one vectorised check, one conversion
        return arr.tolist()
    out = arr.astype(object)
    out[~finite] = np.where(arr[~finite] > 0, "inf", "-inf")
    return out.tolist()


def set_to_dict(S: ConvexSet) -> dict[str, Any]:
    """The ``localeq.game/1`` domain dictionary of a set (inverse of the loader).

    Supported: :class:`Box`, :class:`Simplex`, :class:`Ball`, :class:`Polytope` (without
    equality constraints), :class:`DSZSet`, :class:`ProductSet` of those; anything else
    raises :class:`InvalidArgument`. Floats are written exactly (``repr`` round-trips).

    Examples
    --------
    >>> set_to_dict(ProductSet([Box([0.0], [1.0]), Simplex(2)]))["sets"][1]
    {'type': 'simplex', 'n': 2, 'total': 1.0}
    """
    if isinstance(S, ProductSet):
        return {"type": "product", "sets": [set_to_dict(T) for T in S.sets]}
    if isinstance(S, DSZSet):
        return {"type": "dsz", "d": int(S.d), "Delta": float(S.Delta)}
    if isinstance(S, Box):
        return {"type": "box", "lo": _floats(S.lo), "hi": _floats(S.hi)}
    if isinstance(S, Simplex):
        return {"type": "simplex", "n": int(S.dim), "total": float(S.total)}
    if isinstance(S, Ball):
        return {"type": "ball", "center": _floats(S.center), "radius": float(S.radius)}
    if isinstance(S, Polytope) and not isinstance(S, CoupledSet):
        if S.A_eq.shape[0]:
            raise InvalidArgument(f"polytopes with equality constraints have no game-file form, got S={S!r}")
        return {"type": "polytope", "C": [_floats(row) for row in S.C], "c": _floats(S.c),
                "lo": _floats(S.lo), "hi": _floats(S.hi)}
    raise InvalidArgument(f"the set S={S!r} has no localeq.game/1 form")


def _plain(expr: sp.Expr) -> sp.Expr:
    """The expression with every symbol replaced by an assumption-free one of the same name."""
    return expr.xreplace({s: sp.Symbol(s.name) for s in expr.free_symbols})


def game_to_dict(game: Game) -> dict[str, Any]:
    """The ``localeq.game/1`` dictionary of a sympy-defined or normal-form game.

    Sympy utilities are written with :func:`sympy.srepr`, which :func:`game_from_dict`
    parses back to the *same* expression (rationals and floats exactly); min-max games
    keep the ``minmax`` form. Normal-form games write their payoff tensor. Declared
    smoothness constants are kept (their provenance text is not). Games built from
    callables have no file form: :class:`InvalidArgument` (see :func:`game_spec`).

    Parameters
    ----------
    game : Game
        A game built from sympy expressions or a normal-form game.

    Returns
    -------
    dict
        JSON-able; ``json.dump`` it to write a game file.

    Examples
    --------
    >>> from constructions import quadratic_saddle
    >>> spec = game_to_dict(quadratic_saddle())
    >>> game_from_dict(spec).sympy_data.utilities == quadratic_saddle().sympy_data.utilities
    True
    """
    if not isinstance(game, Game):
        raise InvalidArgument(f"game must be a localeq Game, got game={game!r}")
    spec: dict[str, Any] = {"format": GAME_FORMAT, "name": game.name}
    data = game.sympy_data
    if data is None:
        P = game.facts.get("payoffs")
        dom = game.domain
        if P is None or not isinstance(dom, ProductSet) or not all(
            isinstance(S, Simplex) and S.total == 1.0 for S in dom.sets
        ) or tuple(np.shape(P)[1:]) != tuple(game.dims):
            raise InvalidArgument(
                f"only sympy-defined and normal-form games can be written to a file, got game={game!r}"
            )
        spec["payoffs"] = np.asarray(P, dtype=float).tolist()
        return spec
    names = [s.name for s in data.symbols]
    if len(set(names)) != len(names):
        raise InvalidArgument(f"the game's symbols have repeated names {names}; cannot write it")
    spec["domain"] = None if game.domain is None else set_to_dict(game.domain)
    decl = [None if s is None else float(s.value) for s in game.declared_smoothness]
    if any(v is not None for v in decl):
        spec["smoothness"] = decl
    if game.minmax and game.n_players == 2 and (data.utilities[0] + data.utilities[1]) == 0:
        spec["minmax"] = {"f": sp.srepr(_plain(data.utilities[1])),
                          "x": [s.name for s in data.players[0]],
                          "y": [s.name for s in data.players[1]]}
        return spec
    spec["players"] = [[s.name for s in block] for block in data.players]
    spec["utilities"] = [sp.srepr(_plain(u)) for u in data.utilities]
    return spec


def game_spec(game: Game) -> dict[str, Any]:
    """:func:`game_to_dict`, or for callable games a descriptor of what is known.

    The descriptor ``{"format": ..., "name": ..., "callable": true, "dims": [...],
    "domain": ...}`` cannot be rebuilt into a game: a checker can only trust the
    recorded oracle values.
    """
    try:
        return game_to_dict(game)
    except InvalidArgument:
        try:
            dom = None if game.domain is None else set_to_dict(game.domain)
        except InvalidArgument:
            dom = {"type": "unsupported", "repr": repr(game.domain)}
        return {"format": GAME_FORMAT, "name": game.name, "callable": True,
                "dims": [int(d) for d in game.dims], "domain": dom}


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
    if spec.get("callable"):
        raise InvalidArgument(f"game {name!r} was defined by Python callables and cannot be rebuilt "
                              "from its file form")
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

    Parameters
    ----------
    path : str or pathlib.Path
        The JSON file (expressions are parsed by a whitelist interpreter; see the module
        docstring).

    Returns
    -------
    Game

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
