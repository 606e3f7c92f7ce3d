r"""A pure-Python reader (and writer) for Gambit's strategic-game ``.nfg`` files.

Gambit stores an :math:`n`-player strategic game in one of two text layouts
(`Gambit manual, "Game representation formats"
<https://gambitproject.readthedocs.io/en/latest/formats.html>`_):

* the **payoff** version -- after the prologue, a flat list of numbers: for every pure
  profile, the payoffs of players :math:`1, \dots, n`;
* the **outcome** version -- a list of outcomes ``{ "label" p_1, ..., p_n }`` followed by one
  outcome number per pure profile (1-based; ``0`` is the null outcome, paying 0 to all).

In both, profiles are listed with **player 1's strategy changing fastest** (then player 2's,
...), i.e. in column-major (Fortran) order of the payoff tensor. The prologue is

.. code-block:: text

    NFG 1 R "title" { "Player 1" "Player 2" } { { "s1" "s2" } { "t1" "t2" "t3" } } "comment"

where the strategy block may also give counts only (``{ 2 3 }``) and the comment is optional.
Numbers may be integers, decimals (``.5``, ``1e-3``) or rationals (``3/4``); they are read
**exactly** as :class:`fractions.Fraction`. Text labels are double-quoted, ``\"`` escapes a
quote, whitespace (and the commas Gambit writes between outcome payoffs) is insignificant.

This reader needs no Gambit installation; :func:`constructions.interop.load_nfg` uses it when
pygambit is absent (and the tests check it against pygambit's own reader when present).
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from .._errors import InvalidArgument
from .._validation import short_repr

__all__ = ["NFGData", "parse_nfg", "read_nfg", "write_nfg"]

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<str>"(?:[^"\\]|\\.)*")        |
        (?P<brace>[{}])                   |
        (?P<comma>,)                      |
        (?P<word>[^\s{}",]+)
    )""",
    re.VERBOSE | re.DOTALL,
)
_SPACE = re.compile(r"\s*")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:/\d+)?")


@dataclass(frozen=True)
class NFGData:
    r"""A strategic game read from an ``.nfg`` file.

    Attributes
    ----------
    title : str
        The game's title.
    players : tuple of str
        Player names, in file order.
    strategies : tuple of tuple of str
        Strategy labels per player (``"1"``, ``"2"``, ... when the file gives counts only).
    payoffs : numpy.ndarray of object, shape (n, a_1, ..., a_n)
        Exact payoffs as :class:`fractions.Fraction`: ``payoffs[i][s_1, ..., s_n]`` is player
        ``i``'s payoff at the pure profile :math:`s` (0-based strategy indices).
    comment : str
        The optional comment string (``""`` if absent).
    layout : {"payoff", "outcome"}
        Which of the two body layouts the file used.

    Examples
    --------
    >>> data = parse_nfg('NFG 1 R "MP" { "A" "B" } { 2 2 } 1 -1 -1 1 -1 1 1 -1')
    >>> data.float_payoffs()[0].tolist()
    [[1.0, -1.0], [-1.0, 1.0]]
    """

    title: str
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    payoffs: np.ndarray
    comment: str = ""
    layout: str = "payoff"

    @property
    def shape(self) -> tuple[int, ...]:
        """Numbers of strategies :math:`(a_1, \\dots, a_n)`."""
        return tuple(len(s) for s in self.strategies)

    def float_payoffs(self) -> np.ndarray:
        """The payoff tensor as float64 (each entry correctly rounded from its exact value).

        Returns
        -------
        numpy.ndarray of float64, shape (n, a_1, ..., a_n)

        Examples
        --------
        >>> data = parse_nfg('NFG 1 R "" { "A" "B" } { 2 2 } 1/3 -1/3 0 0 0 0 2 -2')
        >>> data.payoffs[0, 0, 0], float(data.float_payoffs()[0, 0, 0])      # exact 1/3, rounded
        (Fraction(1, 3), 0.3333333333333333)
        >>> data.float_payoffs()[1].tolist()
        [[-0.3333333333333333, 0.0], [0.0, -2.0]]
        """
        return np.vectorize(float, otypes=[float])(self.payoffs).reshape(self.payoffs.shape)


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos, end = 0, len(text)
    while True:
        pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= end:
            return out
        m = _TOKEN.match(text, pos)
        if m is None:  # an unterminated string is the only way to get here
            raise InvalidArgument(f"nfg text: cannot tokenise near {short_repr(text[pos:pos + 40])}")
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()


def _unquote(tok: str) -> str:
    return re.sub(r"\\(.)", r"\1", tok[1:-1])


def _number(tok: str, where: str) -> Fraction:
    if not _NUMBER.fullmatch(tok):
        raise InvalidArgument(f"nfg text: expected a number in {where}, got {tok!r}")
    if "/" in tok:
        num, den = tok.split("/")
        if int(den) == 0:
            raise InvalidArgument(f"nfg text: zero denominator in {where}: {tok!r}")
        return Fraction(num) / int(den)
    return Fraction(tok)


class _Stream:
    def __init__(self, toks: list[tuple[str, str]]) -> None:
        self.toks = [t for t in toks if t[0] != "comma"]
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, what: str) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise InvalidArgument(f"nfg text: file ends where {what} was expected")
        self.i += 1
        return tok

    def expect(self, kind: str, value: str | None, what: str) -> str:
        k, v = self.take(what)
        if k != kind or (value is not None and v != value):
            raise InvalidArgument(f"nfg text: expected {what}, got {v!r}")
        return v


def parse_nfg(text: str) -> NFGData:
    r"""Parse the text of a Gambit ``.nfg`` file (payoff or outcome layout).

    Parameters
    ----------
    text : str
        The file contents.

    Returns
    -------
    NFGData
        Players, strategy labels and the exact payoff tensor of shape
        :math:`(n, a_1, \dots, a_n)`.

    Raises
    ------
    InvalidArgument
        Not an ``NFG 1`` file, malformed prologue, wrong number of payoffs or outcome
        entries, an outcome number out of range, or a non-numeric payoff.

    Examples
    --------
    The outcome layout, with the null outcome ``0`` paying nothing:

    >>> data = parse_nfg('''NFG 1 R "Coordination" { "Row" "Col" }
    ... { { "L" "R" } { "l" "r" } }
    ... { { "win" 1, 1 } { "lose" -1/2, 0 } }
    ... 1 0 2 1''')
    >>> data.layout, data.strategies
    ('outcome', (('L', 'R'), ('l', 'r')))
    >>> data.payoffs[0].tolist()            # player 1, rows = L/R, columns = l/r
    [[Fraction(1, 1), Fraction(-1, 2)], [Fraction(0, 1), Fraction(1, 1)]]
    """
    if not isinstance(text, str):
        raise InvalidArgument(f"text must be a str, got text={short_repr(text)}")
    s = _Stream(_tokens(text))
    if s.take("the NFG header") != ("word", "NFG"):
        raise InvalidArgument(f"nfg text: must start with 'NFG', got {short_repr(text[:20])}")
    if s.take("the version number")[1] != "1":
        raise InvalidArgument("nfg text: only version 1 ('NFG 1 R ...') is supported")
    if s.take("the letter R or D")[1] not in ("R", "D"):
        raise InvalidArgument("nfg text: expected 'R' (or 'D') after 'NFG 1'")
    title = _unquote(s.expect("str", None, "the quoted title"))
    s.expect("brace", "{", "'{' opening the player list")
    players: list[str] = []
    while True:
        kind, tok = s.take("a quoted player name or '}'")
        if (kind, tok) == ("brace", "}"):
            break
        if kind != "str":
            raise InvalidArgument(f"nfg text: expected a quoted player name, got {tok!r}")
        players.append(_unquote(tok))
    if not players:
        raise InvalidArgument("nfg text: the player list is empty")
    s.expect("brace", "{", "'{' opening the strategy list")
    strategies: list[tuple[str, ...]] = []
    if s.peek() == ("brace", "{"):
        for p in range(len(players)):
            s.expect("brace", "{", f"'{{' opening player {p + 1}'s strategies")
            labels: list[str] = []
            while (s.peek() or ("", ""))[0] == "str":
                labels.append(_unquote(s.take("a strategy label")[1]))
            s.expect("brace", "}", f"'}}' closing player {p + 1}'s strategies")
            strategies.append(tuple(labels))
    else:
        for p in range(len(players)):
            tok = s.take(f"player {p + 1}'s number of strategies")[1]
            if not tok.isdigit():
                raise InvalidArgument(f"nfg text: expected a strategy count for player {p + 1}, got {tok!r}")
            strategies.append(tuple(str(k + 1) for k in range(int(tok))))
    s.expect("brace", "}", "'}' closing the strategy list")
    if any(len(lab) == 0 for lab in strategies):
        counts = [len(x) for x in strategies]
        raise InvalidArgument(f"nfg text: every player needs a strategy, got counts {counts}")
    comment = ""
    if (s.peek() or ("", ""))[0] == "str":
        comment = _unquote(s.take("the comment")[1])
    n = len(players)
    shape = tuple(len(lab) for lab in strategies)
    n_profiles = math.prod(shape)
    if s.peek() == ("brace", "{"):
        layout = "outcome"
        s.take("'{'")
        outcomes: list[list[Fraction]] = []
        while s.peek() == ("brace", "{"):
            s.take("'{'")
            s.expect("str", None, f"the quoted label of outcome {len(outcomes) + 1}")
            vals: list[Fraction] = []
            while s.peek() is not None and s.peek() != ("brace", "}"):
                vals.append(_number(s.take("a payoff")[1], f"outcome {len(outcomes) + 1}"))
            s.expect("brace", "}", f"'}}' closing outcome {len(outcomes) + 1}")
            if len(vals) != n:
                raise InvalidArgument(
                    f"nfg text: outcome {len(outcomes) + 1} has {len(vals)} payoffs for {n} players"
                )
            outcomes.append(vals)
        s.expect("brace", "}", "'}' closing the outcome list")
        flat: list[Fraction] = []
        for k in range(n_profiles):
            tok = s.take(f"the outcome of profile {k + 1} of {n_profiles}")[1]
            if not tok.isdigit() or int(tok) > len(outcomes):
                raise InvalidArgument(
                    f"nfg text: profile {k + 1} names outcome {tok!r}, but there are {len(outcomes)} "
                    f"outcomes (0 = null outcome)"
                )
            idx = int(tok)
            flat.extend(outcomes[idx - 1] if idx else [Fraction(0)] * n)
    else:
        layout = "payoff"
        flat = []
        for k in range(n_profiles * n):
            tok = s.take(f"payoff {k + 1} of {n_profiles * n}")[1]
            flat.append(_number(tok, f"payoff {k + 1}"))
    if s.peek() is not None:
        raise InvalidArgument(f"nfg text: unexpected trailing content starting with {s.peek()[1]!r}")
    arr = np.empty(n_profiles * n, dtype=object)
    arr[:] = flat
    # flat index = (profile in player-1-fastest order) * n + player
    per_player = arr.reshape(n_profiles, n).T  # (n, profiles)
    payoffs = np.empty((n, *shape), dtype=object)
    for i in range(n):
        payoffs[i] = per_player[i].reshape(shape, order="F")
    return NFGData(title, tuple(players), tuple(strategies), payoffs, comment, layout)


def read_nfg(path: str | os.PathLike[str]) -> NFGData:
    """Read a Gambit ``.nfg`` file with the pure-Python parser :func:`parse_nfg`.

    Parameters
    ----------
    path : str or path-like
        The file (UTF-8, Latin-1 accepted as a fallback).

    Returns
    -------
    NFGData

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "pd.nfg"
    >>> _ = p.write_text('NFG 1 R "PD" { "1" "2" } { 2 2 } 3 3 5 0 0 5 1 1')
    >>> read_nfg(p).float_payoffs()[1].tolist()
    [[3.0, 5.0], [0.0, 1.0]]
    """
    try:
        raw = open(path, "rb").read()  # noqa: SIM115 - short read, closed by refcount
    except (OSError, TypeError) as exc:
        raise InvalidArgument(f"cannot read an .nfg file at path={path!r}: {exc}") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return parse_nfg(text)


def _fmt(v: Any) -> str:
    if isinstance(v, Fraction):
        return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return str(int(v))
    f = float(v)
    if not math.isfinite(f):
        raise InvalidArgument(f"payoffs must be finite, got {v!r}")
    return _fmt(Fraction(f)) if f == int(f) and abs(f) < 2**53 else repr(f)


def _quote(s: str) -> str:
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_nfg(payoffs: Any, *, title: str = "", players: Any = None, strategies: Any = None) -> str:
    r"""The payoff-layout ``.nfg`` text of a payoff tensor (inverse of :func:`parse_nfg`).

    Parameters
    ----------
    payoffs : array_like, shape (n, a_1, ..., a_n)
        Payoff tensor (numbers or :class:`fractions.Fraction`; floats are written with
        ``repr``, which round-trips exactly).
    title : str
        The game's title.
    players : sequence of str, optional
        Player names (default ``"1"``, ``"2"``, ...).
    strategies : sequence of sequence of str, optional
        Strategy labels (default ``"1"``, ``"2"``, ... per player).

    Returns
    -------
    str

    Examples
    --------
    >>> text = write_nfg([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], title="MP")
    >>> text.splitlines()[0]
    'NFG 1 R "MP" { "1" "2" } { { "1" "2" } { "1" "2" } }'
    >>> parse_nfg(text).float_payoffs().tolist() == [[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]
    True
    """
    try:
        P = np.array(payoffs, dtype=object)
    except (TypeError, ValueError) as exc:  # pragma: no cover - numpy object arrays rarely fail
        raise InvalidArgument(f"payoffs must be an array, got payoffs={short_repr(payoffs)}") from exc
    if P.ndim < 2 or P.shape[0] != P.ndim - 1 or 0 in P.shape:
        raise InvalidArgument(f"payoffs must have shape (n, a_1, ..., a_n), got shape {P.shape}")
    n, shape = P.shape[0], P.shape[1:]
    names = [str(k + 1) for k in range(n)] if players is None else [str(p) for p in players]
    if len(names) != n:
        raise InvalidArgument(f"players must name {n} players, got players={players!r}")
    labels = [[str(k + 1) for k in range(a)] for a in shape] if strategies is None else \
        [[str(x) for x in s] for s in strategies]
    if [len(lab) for lab in labels] != list(shape):
        raise InvalidArgument(f"strategies must have lengths {list(shape)}, got strategies={strategies!r}")
    head = f"NFG 1 R {_quote(title)} {{ {' '.join(map(_quote, names))} }} {{ " + " ".join(
        "{ " + " ".join(map(_quote, lab)) + " }" for lab in labels) + " }"
    body = []
    for idx in np.ndindex(*shape[::-1]):  # player 1 fastest
        prof = idx[::-1]
        body.append(" ".join(_fmt(P[(i, *prof)]) for i in range(n)))
    return head + "\n\n" + "\n".join(body) + "\n"
