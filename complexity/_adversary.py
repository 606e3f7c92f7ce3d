r"""An adaptive adversary for 2D BiSperner: colours are decided only when a vertex is queried.

The adversary answers every colour query of a solver with a sign vector
:math:`C(v) \in \{-1,+1\}^2`, written as one of the four DSZ *types*

.. math:: A = (+,+), \quad B = (-,+), \quad C = (-,-), \quad bg = (+,-),

(around the sign square; a cell is panchromatic iff it holds ``A`` and ``C`` or ``B`` and
``bg``; Sperner labels :math:`\ell`: ``A -> 0``, ``B, C -> 1``, ``bg -> 2``).

Strategy
--------
It keeps a *plan*: the "cross" colouring :math:`P_z` with its only solution (a vortex) in the
cell :math:`z`,

.. math:: P_z(x, y) = A \ (x \le z_x, y \le z_y), \quad B \ (x > z_x, y \le z_y), \quad
          C \ (x > z_x, y > z_y), \quad bg \ (x \le z_x, y > z_y),

which is proper for every cell :math:`z`. A query ``v`` is answered

1. after *moving the vortex away* if ``v`` comes within ``radius`` (Chebyshev) of :math:`z`: the
   new :math:`z` is a cell farthest from every queried vertex (a chessboard distance transform of
   the queried set, ties broken by ``rng``);
2. by :math:`P_z(v)` unless that type would complete a solution among queried vertices (a fully
   queried panchromatic cell, or a fully labelled Kuhn triangle with all three vertices
   queried); then by the first boundary-allowed type that does not. Only if every allowed type
   completes a solution is the adversary *forced*; :attr:`AdaptiveAdversary.forced_at` records the
   number of distinct queries answered by then.

Consistency and the committed colouring
---------------------------------------
Every answer is final (a repeated query gets the same answer) and obeys the boundary rule, so
:meth:`AdaptiveAdversary.commit` -- queried vertices keep their answers, all others take
:math:`P_z` for the final :math:`z` -- is a proper colouring consistent with the whole transcript.
Any proper extension of the answers is a valid instance, and as long as the adversary was not
forced **every** solution of it has a vertex the solver never queried, so no solver can have
certified one. A solver therefore needs at least ``forced_at`` distinct queries.

Why the count is large (argument, not a proof for every conceivable solver)
-----------------------------------------------------------------------
A solver certifies a solution only when the adversary is forced, which needs three queried
neighbours of the queried vertex carrying mutually incompatible types. Under one plan
:math:`P_z` this happens only at the vortex, which is kept at distance ``> radius`` from every
queried vertex while there is room. Each move puts the vortex in the largest empty square of the
queried set, so an algorithm must (i) approach the vortex through ``radius = N/16`` vertices of
fresh territory, or (ii) cover the grid densely enough that no large empty square is left.
This is the isoperimetric intuition behind the tunnel adversaries (notes section 8, bound
``N/48``), realised with a moving vortex instead of tunnels. The guarantee is measured, not
proved: against every solver of :data:`~complexity._solvers.SOLVERS` the forced count is at least
``N/2`` (tests and ``benchmarks/bench_solvers.py``), far above the ``N/50`` required.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from constructions import InvalidArgument
from constructions._validation import as_positive_int, as_rng, short_repr
from constructions.sperner import Colouring, bisperner_colouring, boundary_violations, panchromatic_cells

__all__ = ["AdaptiveAdversary", "CommitmentCheck", "check_commitment", "TYPES"]

#: the four BiSperner types of a 2D vertex, as sign vectors
TYPES: dict[str, tuple[int, int]] = {"A": (1, 1), "B": (-1, 1), "C": (-1, -1), "bg": (1, -1)}
_SIGNS = np.array([TYPES[t] for t in ("A", "B", "C", "bg")], dtype=np.int8)  # type index -> signs
_A, _B, _C, _BG = 0, 1, 2, 3
_LABEL = np.array([0, 1, 1, 2], dtype=np.int8)  # Sperner label of each type


class AdaptiveAdversary:
    r"""A 2D BiSperner colouring that is decided query by query (see the module docstring).

    Parameters
    ----------
    n : int
        Grid side ``N >= 4``.
    radius : int, optional
        The vortex moves when a query comes within this Chebyshev distance of it; default
        ``max(2, N // 16)``.
    rng : int, Generator or None
        Initial vortex (near the centre) and tie breaks when it moves.

    Attributes
    ----------
    colouring : Colouring
        What solvers see: an implicit ``kind='bisperner'`` :class:`Colouring` whose queries are
        answered (and logged) by the adversary. Wrap it in a ``ColourOracle`` to count, or pass it
        to any solver directly.
    transcript : list of (tuple, tuple)
        Every distinct query in order, with its answer (sign vector).
    n_queries : int
        All vertex reads, repeats included.
    forced_at : int or None
        Number of distinct queries answered when the adversary was first forced to complete a
        solution (``None``: never forced).
    vortex : tuple of int
        The current planned solution cell :math:`z`.
    n_moves : int
        How many times the vortex moved.

    Examples
    --------
    >>> from complexity._solvers import solve
    >>> adv = AdaptiveAdversary(64, rng=0)
    >>> res = solve(adv.colouring, solver="divide-conquer")
    >>> res.certified, res.n_queries >= 64 / 50
    (True, True)
    >>> check_commitment(adv, adv.commit(), cells=[res.cell]).valid
    True
    """

    def __init__(self, n: int, *, radius: int | None = None, rng: Any = None) -> None:
        self.n = as_positive_int(n, "n", minimum=4)
        self.radius = max(2, self.n // 16) if radius is None else as_positive_int(radius, "radius")
        self._rng = as_rng(rng)
        c = (self.n - 2) // 2
        jitter = self._rng.integers(-(self.n // 8), self.n // 8 + 1, size=2)
        z = np.clip(c + jitter, 0, self.n - 2)
        self.vortex: tuple[int, int] = (int(z[0]), int(z[1]))
        self._type = np.full((self.n, self.n), -1, dtype=np.int8)  # -1: not queried yet
        self.transcript: list[tuple[tuple[int, int], tuple[int, int]]] = []
        self.n_queries = 0
        self.forced_at: int | None = None
        self.n_moves = 0
        base = Colouring(self.n, 2, "bisperner", values=None, func=self._answer_many,
                         name=f"adaptive adversary N={self.n}")
        self.colouring: Colouring = dataclasses.replace(base)
        object.__setattr__(self.colouring, "adversary", self)

    # -- the plan -----------------------------------------------------------------------------

    def _plan(self, x: int, y: int) -> int:
        zx, zy = self.vortex
        if y <= zy:
            return _A if x <= zx else _B
        return _BG if x <= zx else _C

    def _allowed(self, x: int, y: int) -> list[int]:
        n = self.n
        out = []
        for t in (_A, _B, _C, _BG):
            s0, s1 = _SIGNS[t]
            if (x == 0 and s0 < 0) or (x == n - 1 and s0 > 0):
                continue
            if (y == 0 and s1 < 0) or (y == n - 1 and s1 > 0):
                continue
            out.append(t)
        return out

    def _completes(self, x: int, y: int, t: int) -> bool:
        """Would type *t* at ``(x, y)`` complete a solution among queried vertices?"""
        n, T = self.n, self._type
        for cx in (x - 1, x):
            for cy in (y - 1, y):
                if not (0 <= cx <= n - 2 and 0 <= cy <= n - 2):
                    continue
                corners = [(cx, cy), (cx + 1, cy), (cx, cy + 1), (cx + 1, cy + 1)]
                types = {}
                for u in corners:
                    types[u] = t if u == (x, y) else int(T[u])
                present = set(types.values())
                if -1 not in present and ({_A, _C} <= present or {_B, _BG} <= present):
                    return True
                for tri in (
                    [(cx, cy), (cx + 1, cy), (cx + 1, cy + 1)],
                    [(cx, cy), (cx, cy + 1), (cx + 1, cy + 1)],
                ):
                    if (x, y) not in tri:
                        continue
                    ts = [types[u] for u in tri]
                    if -1 in ts:
                        continue
                    if {0, 1, 2} == {int(_LABEL[s]) for s in ts}:
                        return True
        return False

    def _move_vortex(self) -> None:
        from scipy.ndimage import distance_transform_cdt

        free = self._type < 0
        if free.all():
            return
        dist = distance_transform_cdt(free, metric="chessboard")[: self.n - 1, : self.n - 1]
        best = np.argwhere(dist == dist.max())
        pick = best[self._rng.integers(len(best))]
        self.vortex = (int(pick[0]), int(pick[1]))
        self.n_moves += 1

    def _answer(self, x: int, y: int) -> int:
        t = int(self._type[x, y])
        if t >= 0:
            return t
        zx, zy = self.vortex
        gap = max(zx - x, x - zx - 1, zy - y, y - zy - 1, 0)  # Chebyshev distance to the cell z
        if gap <= self.radius:
            self._move_vortex()
        allowed = self._allowed(x, y)
        plan = self._plan(x, y)
        order = [plan] + [s for s in allowed if s != plan]
        choice = None
        for s in order:
            if s in allowed and not self._completes(x, y, s):
                choice = s
                break
        if choice is None:
            if self.forced_at is None:
                self.forced_at = len(self.transcript)
            choice = plan if plan in allowed else allowed[0]
        self._type[x, y] = choice
        self.transcript.append(((x, y), (int(_SIGNS[choice, 0]), int(_SIGNS[choice, 1]))))
        return choice

    def _answer_many(self, V: np.ndarray) -> np.ndarray:
        V = np.asarray(V, dtype=np.int64).reshape(-1, 2)
        self.n_queries += len(V)
        out = np.empty((len(V), 2), dtype=np.int8)
        for r, (x, y) in enumerate(V.tolist()):
            out[r] = _SIGNS[self._answer(x, y)]
        return out

    # -- end of the game ----------------------------------------------------------------------

    @property
    def n_distinct(self) -> int:
        """Number of distinct vertices queried so far."""
        return len(self.transcript)

    def commit(self) -> Colouring:
        """A full proper colouring consistent with every answer given so far.

        Queried vertices keep their answers; every other vertex takes the plan :math:`P_z` of the
        current vortex. The adversary stays usable afterwards (later answers may differ from this
        commitment on vertices that were not queried yet).

        Returns
        -------
        Colouring
            Dense ``kind='bisperner'``.

        Examples
        --------
        >>> from constructions.sperner import boundary_violations, panchromatic_cells
        >>> adv = AdaptiveAdversary(8, rng=0)
        >>> answers = adv.colouring([[0, 0], [3, 3]])           # two queries
        >>> col = adv.commit()
        >>> col([[0, 0], [3, 3]]).tolist() == answers.tolist()  # consistent with the answers
        True
        >>> boundary_violations(col), panchromatic_cells(col).tolist() == [list(adv.vortex)]
        ((), True)
        """
        x, y = np.indices((self.n, self.n))
        zx, zy = self.vortex
        plan = np.where(y <= zy, np.where(x <= zx, _A, _B), np.where(x <= zx, _BG, _C))
        types = np.where(self._type >= 0, self._type, plan)
        return bisperner_colouring(_SIGNS[types], name=f"committed adversary N={self.n}")

    def __repr__(self) -> str:
        return (f"AdaptiveAdversary(n={self.n}, queried={self.n_distinct}, vortex={self.vortex}, "
                f"moves={self.n_moves}, forced_at={self.forced_at})")


@dataclasses.dataclass(frozen=True)
class CommitmentCheck:
    """Outcome of :func:`check_commitment`.

    Attributes
    ----------
    valid : bool
        Proper, consistent with the transcript, and every named cell is panchromatic.
    proper : bool
    consistent : bool
    named_cells_ok : bool
    n_solutions : int
        Number of panchromatic cells of the committed colouring.
    message : str

    Examples
    --------
    >>> from complexity import AdaptiveAdversary, check_commitment, solve
    >>> adv = AdaptiveAdversary(32, rng=0)
    >>> res = solve(adv.colouring, solver="divide-conquer")
    >>> chk = check_commitment(adv, adv.commit(), cells=[res.cell])
    >>> chk.valid, chk.proper, chk.consistent, chk.named_cells_ok, chk.n_solutions >= 1
    (True, True, True, True, True)
    """

    valid: bool
    proper: bool
    consistent: bool
    named_cells_ok: bool
    n_solutions: int
    message: str


def check_commitment(
    adversary: Any, committed: Colouring, *, cells: Any = ()
) -> CommitmentCheck:
    """Check a committed colouring independently: proper, consistent with the transcript, solutions.

    Parameters
    ----------
    adversary : AdaptiveAdversary or TunnelAdversary
        Supplies the transcript.
    committed : Colouring
        Typically ``adversary.commit()``.
    cells : sequence of cells, optional
        Cells a solver returned; each must be panchromatic in *committed*.

    Returns
    -------
    CommitmentCheck

    Examples
    --------
    >>> adv = AdaptiveAdversary(8, rng=0)
    >>> _ = adv.colouring([[0, 0], [3, 4]])
    >>> check_commitment(adv, adv.commit()).valid
    True
    """
    if not (isinstance(adversary, AdaptiveAdversary) or type(adversary).__name__ == "TunnelAdversary"):
        raise InvalidArgument(
            "adversary must be an AdaptiveAdversary or a TunnelAdversary, got "
            f"adversary={short_repr(adversary)}"
        )
    if not isinstance(committed, Colouring) or committed.kind != "bisperner" or committed.d != 2 \
            or committed.n != adversary.n:
        raise InvalidArgument(f"committed must be a 2D BiSperner Colouring with N={adversary.n}, "
                              f"got committed={short_repr(committed)}")
    proper = not boundary_violations(committed, limit=1)
    if adversary.transcript:
        V = np.array([v for v, _ in adversary.transcript], dtype=np.int64)
        S = np.array([s for _, s in adversary.transcript], dtype=np.int8)
        consistent = bool(np.array_equal(committed(V), S))
    else:
        consistent = True
    pan = {tuple(int(x) for x in c) for c in panchromatic_cells(committed)}
    named = [tuple(int(x) for x in c) for c in cells]
    named_ok = all(c in pan for c in named)
    valid = proper and consistent and named_ok and len(pan) > 0
    msg = (f"proper={proper}, consistent with {adversary.n_distinct} answers={consistent}, "
           f"{len(pan)} panchromatic cell(s), named cells panchromatic={named_ok}")
    return CommitmentCheck(valid, proper, consistent, named_ok, len(pan), msg)
