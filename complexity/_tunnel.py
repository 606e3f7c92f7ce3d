r"""A provable adaptive adversary for 2D BiSperner: a tunnel that escapes into the largest free region.

Every query is answered with one of the four DSZ types :math:`A=(+,+)`, :math:`B=(-,+)`,
:math:`C=(-,-)`, :math:`bg=(+,-)` (see :mod:`complexity._adversary`). A cell is panchromatic iff
its corners hold :math:`\{A, C\}` or :math:`\{B, bg\}`, so a colouring is solution free wherever
``A`` is never king-adjacent to ``C`` and ``B`` never king-adjacent to ``bg``.

The colouring (the *plan*)
--------------------------
* **Frame** (fixed, the same for every run): ``C`` on the top row ``y = N-1`` and the right column
  ``x = N-1`` (except ``bg`` at :math:`(0, N-1)` and ``B`` at :math:`(N-1, 0)`); below the top
  row, row ``N-2`` is ``bg`` left of the mouth column :math:`x_m = N-5`, ``C`` at it and ``B``
  right of it; column ``N-2`` is ``B`` below. Everything else that is not in a block is ``A``.
* **Blocks**: the square :math:`[x_0, N-3]^2`, :math:`x_0 = N-2-5M`, :math:`M = \lfloor (N-2)/5
  \rfloor`, is cut into :math:`M \times M` blocks of :math:`5 \times 5` vertices. A block is
  *empty* (all ``A``) or carries a piece of the **tunnel**, a rook path of blocks starting at the
  *mouth* block (top right, entered from the frame above). In a tunnel block the core ``C`` runs
  from the block centre to the midpoints of its entry and exit sides; the vertices at Chebyshev
  distance 1 from the core are ``B`` on the left of the direction of travel and ``bg`` on its
  right. The last block of the tunnel, the *end*, holds the *tip*: the core stops at the centre and
  the two layers meet just beyond it, which makes the only panchromatic cells of the plan (two
  cells, all of whose corners lie inside the end block). A block has non-``A`` vertices on its
  outer ring only beside an arm that crosses that side into the next tunnel block (where the two
  patterns glue, with the same direction of travel); elsewhere the non-``A`` vertices of
  different blocks are at Chebyshev distance :math:`\ge 2`. So ``A``/``C`` and ``B``/``bg``
  never meet outside the tip, and the frame makes the colouring proper (both are also checked by
  brute force in the tests, for every block pattern and for the plans of many runs).

The adversary (block level)
---------------------------
A block is *touched* once any of its vertices was queried; it keeps its pattern for ever after.
The adversary keeps a set :math:`G` of untouched, non-tunnel ("free") blocks, the *arena*, and the
invariants

(I1) the end block is untouched (unless :math:`G = \emptyset`), and :math:`G` is 4-connected and
     4-adjacent to the end; (I2) :math:`G` only shrinks; (I3) every block outside :math:`G` that is
     4-adjacent to :math:`G` is touched or is the end.

A query in an untouched block ``b`` is handled first (then answered from ``b``'s pattern):

* ``b`` is the end: **extend** -- the tunnel leaves ``b`` into the neighbour :math:`e' \in G` whose
  removal leaves the largest component; :math:`e'` is the new end and :math:`G` becomes the
  largest component of :math:`G \setminus \{e'\}`. If :math:`G = \emptyset` the end becomes a touched
  tip (*stuck*).
* ``b`` in :math:`G`: if a largest component of :math:`G \setminus \{b\}` is adjacent to the end, ``b``
  becomes an empty block (**wall**) and :math:`G` that component. Otherwise **escape**: the tunnel
  is routed from the end through a lost component to ``b`` and on into a neighbour :math:`e'` of
  ``b`` in the largest component :math:`G_1`; :math:`G` becomes the largest component of
  :math:`G_1 \setminus \{e'\}`.
* any other block (a lost free block, or an untouched tunnel block laid by an escape) just becomes
  touched.

(I1)--(I3) are preserved by each rule (the blocks laid by an escape lie in components that are not
adjacent to :math:`G_1`, and the old end is not adjacent to :math:`G_1` by the case distinction),
and in every step :math:`|G_{\rm new}| \ge (|G| - 5)/12` (removing a block of the grid leaves at
most 4 components, at most 3 when one of its neighbours is outside :math:`G`).

The theorem
-----------
**Lemma (grid isoperimetry).** Let :math:`S` be a set of vertices of the :math:`M \times M` grid
graph and :math:`\partial S` the vertices outside :math:`S` with a 4-neighbour in :math:`S`. Then
(a) :math:`|S| \le |\partial S|^2`, or (b) :math:`|\partial S| \ge M`, or (c)
:math:`|S| \ge M^2 - |\partial S|^2`.

*Proof.* A row that meets :math:`S` without lying in it contains two neighbours, one in
:math:`S` and one not; the latter is in :math:`\partial S`, and different rows give different
vertices (likewise for columns). If :math:`S` contains neither a full row nor a full column, it
meets at most :math:`|\partial S|` rows and columns, giving (a). If it contains a full column but
no full row, every row meets :math:`S` and is not full: (b); symmetrically for a full row. If it
contains a full row and a full column, every row and column meets :math:`S`, at most
:math:`|\partial S|` rows and columns are not full, and every vertex outside :math:`S` lies in one
of each: (c). :math:`\square`

**Theorem.** Let :math:`N \ge 12`, :math:`M = \lfloor (N-2)/5 \rfloor` and

.. math:: f(N) = \max\Bigl(0, \Bigl\lceil \sqrt{(M^2 - 5)/13}\, \Bigr\rceil - 1\Bigr).

Against :class:`TunnelAdversary` every solver (any order of queries, adaptive or not, randomised
or not) has asked at least :math:`f(N)` distinct queries before the corners it has read of some
cell show both signs of both coordinates -- in particular before it holds a panchromatic cell,
a fully labelled Kuhn triangle or a DSZ certificate. The answers always agree with
:meth:`TunnelAdversary.commit`, a proper colouring whose panchromatic cells all lie in the end
block.

*Proof.* Let :math:`t` be the number of touched blocks (at most the number of distinct queries)
and :math:`\beta = t + 1`, so :math:`|\partial G| \le \beta` by (I3). While
:math:`13\beta^2 + 5 < M^2` we show :math:`|G| \ge M^2 - \beta^2 > 0` by induction. At the start
:math:`|G| = M^2 - 1`. A step changes :math:`G` only by the rules above, so
:math:`|G_{\rm new}| \ge (M^2 - \beta^2 - 5)/12 > \beta^2 \ge |\partial G_{\rm new}|^2`: the
lemma's case (a) fails, (b) fails as :math:`\beta < M`, so (c) holds. Hence :math:`G` is not empty
and by (I1) the end block is untouched. Every panchromatic cell of the plan has all its corners in
the end block, so none of their corners was read; an answer never changes afterwards, so the
queried corners of any cell are coloured as in the plan and show no solution. So the solver is
stuck until :math:`13(t+1)^2 + 5 \ge M^2`, i.e. :math:`t \ge f(N)`. :math:`\square`

:attr:`TunnelAdversary.forced_at` records the number of distinct queries when :math:`G` became
empty (always :math:`\ge f(N)`, which is :attr:`TunnelAdversary.lower_bound`). The bound is
:math:`f(N) \approx N / 18` for large ``N``, e.g. ``f(64) = 3``, ``f(128) = 6``,
``f(1024) = 56``; the built-in solvers need far more (tests, ``benchmarks/bench_solvers.py``).
"""

from __future__ import annotations

import dataclasses
import math
from collections import deque
from functools import cache
from typing import Any

import numpy as np
from scipy import ndimage

from constructions._validation import as_positive_int, as_rng
from constructions.sperner import Colouring, bisperner_colouring

from ._adversary import _SIGNS

__all__ = ["TunnelAdversary", "tunnel_lower_bound"]

_A, _B, _C, _BG = 0, 1, 2, 3
#: block side (3 tunnel lanes and an empty margin on each side)
BLOCK = 5
#: directions E, N, W, S as unit vectors (block sides in this order)
_DIRS = ((1, 0), (0, 1), (-1, 0), (0, -1))
_FREE, _WALL, _TUNNEL = 0, 1, 2


def _cross(t: tuple[int, int], r: tuple[int, int]) -> int:
    return t[0] * r[1] - t[1] * r[0]


@cache
def _block_pattern(din: int | None, dout: int | None) -> np.ndarray:
    """Types of a 5x5 block, indexed ``[i, j]`` (local x, y).

    ``din``/``dout`` index :data:`_DIRS`: the sides through which the tunnel enters and leaves
    (``dout=None``: the tip; both ``None``: an empty block).
    """
    out = np.full((BLOCK, BLOCK), _A, dtype=np.int8)
    if din is None:
        return out
    c = (2, 2)
    arms: list[tuple[tuple[int, int], tuple[int, int]]] = []  # (core vertex, travel direction)
    di = _DIRS[din]
    for t in (1, 2):
        arms.append(((c[0] + t * di[0], c[1] + t * di[1]), (-di[0], -di[1])))
    travel_centre = [(-di[0], -di[1])]
    if dout is not None:
        do = _DIRS[dout]
        for t in (1, 2):
            arms.append(((c[0] + t * do[0], c[1] + t * do[1]), do))
        travel_centre.append(do)
    core = {c} | {v for v, _ in arms}
    for i in range(BLOCK):
        for j in range(BLOCK):
            u = (i, j)
            if u in core:
                out[i, j] = _C
                continue
            votes = set()
            near = False
            for v, t in arms:
                r = (u[0] - v[0], u[1] - v[1])
                if max(abs(r[0]), abs(r[1])) <= 1:
                    near = True
                    s = _cross(t, r)
                    if s:
                        votes.add(s > 0)
            r = (u[0] - c[0], u[1] - c[1])
            if max(abs(r[0]), abs(r[1])) <= 1:
                near = True
                if not votes:
                    for t in travel_centre:
                        s = _cross(t, r)
                        if s:
                            votes.add(s > 0)
            if not near:
                continue
            if len(votes) > 1:  # pragma: no cover - excluded by the geometry (tested)
                raise AssertionError(f"inconsistent tunnel side at {u} for din={din}, dout={dout}")
            left = votes.pop() if votes else True  # straight ahead of the tip: B
            out[i, j] = _B if left else _BG
    out.setflags(write=False)
    return out


def tunnel_lower_bound(n: int) -> int:
    r"""The proved lower bound :math:`f(N)` of :class:`TunnelAdversary` (module docstring).

    .. math:: f(N) = \max\bigl(0, \lceil \sqrt{(M^2 - 5)/13}\,\rceil - 1\bigr), \quad
              M = \lfloor (N-2)/5 \rfloor.

    Parameters
    ----------
    n : int
        Grid side ``N >= 12``.

    Returns
    -------
    int

    Examples
    --------
    >>> [tunnel_lower_bound(n) for n in (12, 64, 128, 1024)]
    [0, 3, 6, 56]
    """
    n = as_positive_int(n, "n", minimum=12)
    m = (n - 2) // BLOCK
    if m * m <= 5:
        return 0
    return max(0, math.ceil(math.sqrt((m * m - 5) / 13)) - 1)


class TunnelAdversary:
    r"""A 2D BiSperner colouring decided query by query, with a proved lower bound (module docstring).

    Parameters
    ----------
    n : int
        Grid side ``N >= 12``.
    rng : int, Generator or None
        Breaks ties between equally large components and between neighbours.

    Attributes
    ----------
    colouring : Colouring
        What solvers see: an implicit ``kind='bisperner'`` :class:`Colouring` whose queries are
        answered (and logged) by the adversary; wrap it in a ``ColourOracle`` to count.
    transcript : list of (tuple, tuple)
        Every distinct query in order, with its answer (sign vector).
    n_queries : int
        All vertex reads, repeats included.
    forced_at : int or None
        Number of distinct queries answered when the arena :math:`G` became empty (``None``: it
        never did). Always ``>= lower_bound``.
    lower_bound : int
        The proved bound :math:`f(N)` (:func:`tunnel_lower_bound`).
    m : int
        Blocks per side :math:`M`.
    end : tuple of int
        The block holding the tip.
    tunnel : list of tuple
        The blocks of the tunnel from the mouth to the end.
    stuck : bool
        The end block was queried while :math:`G` was empty (its tip is now readable).

    Examples
    --------
    >>> from complexity._solvers import solve
    >>> adv = TunnelAdversary(64, rng=0)
    >>> res = solve(adv.colouring, solver="divide-conquer")
    >>> res.certified, adv.forced_at >= adv.lower_bound == 3
    (True, True)
    >>> from complexity._adversary import check_commitment
    >>> check_commitment(adv, adv.commit(), cells=[res.cell]).valid
    True
    """

    def __init__(self, n: int, *, rng: Any = None) -> None:
        self.n = as_positive_int(n, "n", minimum=12)
        self._rng = as_rng(rng)
        self.m = (self.n - 2) // BLOCK
        self.origin = self.n - 2 - BLOCK * self.m  # first vertex coordinate of the block grid
        self.mouth_x = self.n - 5
        self.lower_bound = tunnel_lower_bound(self.n)
        m = self.m
        self._kind = np.full((m, m), _FREE, dtype=np.int8)
        self._touched = np.zeros((m, m), dtype=bool)
        self._din = np.full((m, m), -1, dtype=np.int8)
        self._dout = np.full((m, m), -1, dtype=np.int8)
        self.end: tuple[int, int] = (m - 1, m - 1)
        self._kind[self.end] = _TUNNEL
        self._din[self.end] = 1  # entered through its top side (N)
        self.tunnel: list[tuple[int, int]] = [self.end]
        self._arena = self._kind == _FREE  # G
        self.stuck = False
        self.transcript: list[tuple[tuple[int, int], tuple[int, int]]] = []
        self._answered: dict[tuple[int, int], int] = {}
        self.n_queries = 0
        self.forced_at: int | None = None
        self.n_escapes = 0
        base = Colouring(self.n, 2, "bisperner", values=None, func=self._answer_many,
                         name=f"tunnel adversary N={self.n}")
        self.colouring: Colouring = dataclasses.replace(base)
        object.__setattr__(self.colouring, "adversary", self)

    # -- geometry -------------------------------------------------------------------------------

    def block_of(self, x: int, y: int) -> tuple[int, int] | None:
        r"""The block containing vertex ``(x, y)``, or ``None`` for frame/bulk vertices.

        Blocks are :math:`5 \times 5` vertices from the origin :math:`x_0 = N - 2 - 5M`:
        vertex ``(x, y)`` with :math:`x_0 \le x, y \le N - 3` lies in block
        :math:`(\lfloor (x - x_0)/5 \rfloor, \lfloor (y - x_0)/5 \rfloor)`.

        Parameters
        ----------
        x, y : int
            Vertex coordinates.

        Returns
        -------
        tuple of int or None

        Examples
        --------
        >>> adv = TunnelAdversary(20, rng=0)              # M = 3 blocks per side, x_0 = 3
        >>> adv.m, adv.origin
        (3, 3)
        >>> adv.block_of(3, 3), adv.block_of(17, 9), adv.block_of(0, 0)
        ((0, 0), (2, 1), None)
        """
        o = self.origin
        if o <= x <= self.n - 3 and o <= y <= self.n - 3:
            return ((x - o) // BLOCK, (y - o) // BLOCK)
        return None

    def _fixed_type(self, x: int, y: int) -> int:
        n = self.n
        if x == n - 1:
            return _B if y == 0 else _C
        if y == n - 1:
            return _BG if x == 0 else _C
        if y == n - 2:
            return _BG if x < self.mouth_x else (_C if x == self.mouth_x else _B)
        if x == n - 2:
            return _B
        return _A

    def _pattern(self, b: tuple[int, int]) -> np.ndarray:
        if self._kind[b] != _TUNNEL:
            return _block_pattern(None, None)
        dout = int(self._dout[b])
        return _block_pattern(int(self._din[b]), None if dout < 0 else dout)

    def _plan_type(self, x: int, y: int) -> int:
        b = self.block_of(x, y)
        if b is None:
            return self._fixed_type(x, y)
        o = self.origin
        return int(self._pattern(b)[(x - o) % BLOCK, (y - o) % BLOCK])

    def _neighbours(self, b: tuple[int, int]) -> list[tuple[int, tuple[int, int]]]:
        out = []
        for k, (dx, dy) in enumerate(_DIRS):
            c = (b[0] + dx, b[1] + dy)
            if 0 <= c[0] < self.m and 0 <= c[1] < self.m:
                out.append((k, c))
        return out

    def _components(self, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lab, k = ndimage.label(mask)  # 4-connectivity
        sizes = np.bincount(lab.ravel(), minlength=k + 1)
        sizes[0] = 0
        return lab, sizes

    def _largest_after_removing(self, region: np.ndarray, b: tuple[int, int]) -> int:
        mask = region.copy()
        mask[b] = False
        _, sizes = self._components(mask)
        return int(sizes.max()) if sizes.size else 0

    def _shrink_to(self, region: np.ndarray, b: tuple[int, int]) -> np.ndarray:
        """Largest component of ``region - {b}`` (ties broken by rng)."""
        mask = region.copy()
        mask[b] = False
        lab, sizes = self._components(mask)
        if sizes.max(initial=0) == 0:
            return np.zeros_like(mask)
        best = np.flatnonzero(sizes == sizes.max())
        return lab == int(best[self._rng.integers(len(best))])

    def _pick_next(self, b: tuple[int, int], region: np.ndarray) -> tuple[int, tuple[int, int]]:
        """Neighbour of *b* in *region* whose removal leaves the largest component."""
        cands = [(k, c) for k, c in self._neighbours(b) if region[c]]
        scores = [self._largest_after_removing(region, c) for _, c in cands]
        best = [i for i, s in enumerate(scores) if s == max(scores)]
        return cands[best[self._rng.integers(len(best))]]

    def _lay(self, path: list[tuple[int, int]]) -> None:
        """Append *path* (starting at the current end) to the tunnel, fixing the directions."""
        for p, q in zip(path[:-1], path[1:], strict=True):
            k = _DIRS.index((q[0] - p[0], q[1] - p[1]))
            self._dout[p] = k
            self._din[q] = (k + 2) % 4
            self._kind[q] = _TUNNEL
            self.tunnel.append(q)
        self.end = path[-1]

    def _note_empty_arena(self) -> None:
        if self.forced_at is None and not self._arena.any():
            self.forced_at = len(self.transcript) + 1  # counting the query being answered

    # -- the rules ------------------------------------------------------------------------------

    def _touch(self, b: tuple[int, int]) -> None:
        G = self._arena
        if b == self.end:
            if G.any():
                _, nxt = self._pick_next(b, G)
                self._lay([b, nxt])
                self._arena = self._shrink_to(G, nxt)
            else:
                self.stuck = True
        elif G[b]:
            mask = G.copy()
            mask[b] = False
            lab, sizes = self._components(mask)
            if sizes.max(initial=0) == 0:
                self._kind[b] = _WALL
                self._arena = mask
            else:
                best = [int(i) for i in np.flatnonzero(sizes == sizes.max())]
                near_end = {int(lab[c]) for _, c in self._neighbours(self.end) if lab[c] > 0}
                stay = [i for i in best if i in near_end]
                if stay:
                    self._kind[b] = _WALL
                    self._arena = lab == stay[self._rng.integers(len(stay))]
                else:
                    g1 = lab == best[self._rng.integers(len(best))]
                    route = self._route(b, mask & ~g1)
                    _, nxt = self._pick_next(b, g1)
                    self._lay(route + [b, nxt])
                    self._arena = self._shrink_to(g1, nxt)
                    self.n_escapes += 1
        elif self._kind[b] == _FREE:
            self._kind[b] = _WALL
        self._touched[b] = True
        self._note_empty_arena()

    def _route(self, b: tuple[int, int], lost: np.ndarray) -> list[tuple[int, int]]:
        """Shortest path from the end through the *lost* blocks to a neighbour of *b* (end first)."""
        start = self.end
        if any(c == b for _, c in self._neighbours(start)):
            return [start]
        prev: dict[tuple[int, int], tuple[int, int] | None] = {start: None}
        queue = deque([start])
        while queue:
            p = queue.popleft()
            if p != start and any(c == b for _, c in self._neighbours(p)):
                path = [p]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])  # type: ignore[arg-type]
                return path[::-1]
            for _, c in self._neighbours(p):
                if c not in prev and lost[c]:
                    prev[c] = p
                    queue.append(c)
        raise AssertionError("no escape route: invariant (I1) broken")  # pragma: no cover

    def _answer(self, x: int, y: int) -> int:
        key = (x, y)
        if key in self._answered:
            return self._answered[key]
        b = self.block_of(x, y)
        if b is not None and not self._touched[b]:
            self._touch(b)
        t = self._plan_type(x, y)
        self._answered[key] = t
        self.transcript.append((key, (int(_SIGNS[t, 0]), int(_SIGNS[t, 1]))))
        return t

    def _answer_many(self, V: np.ndarray) -> np.ndarray:
        V = np.asarray(V, dtype=np.int64).reshape(-1, 2)
        self.n_queries += len(V)
        out = np.empty((len(V), 2), dtype=np.int8)
        for r, (x, y) in enumerate(V.tolist()):
            out[r] = _SIGNS[self._answer(x, y)]
        return out

    # -- inspection -----------------------------------------------------------------------------

    @property
    def n_distinct(self) -> int:
        """Number of distinct vertices queried so far."""
        return len(self.transcript)

    @property
    def n_touched(self) -> int:
        """Number of touched blocks (at most :attr:`n_distinct`)."""
        return int(self._touched.sum())

    @property
    def arena(self) -> np.ndarray:
        """Boolean ``(M, M)`` mask of the arena :math:`G` (a copy)."""
        return self._arena.copy()

    @property
    def touched(self) -> np.ndarray:
        """Boolean ``(M, M)`` mask of the touched blocks (a copy)."""
        return self._touched.copy()

    def end_box(self) -> tuple[int, int, int, int]:
        """Vertex box ``(x_lo, x_hi, y_lo, y_hi)`` (inclusive) of the end block.

        Returns
        -------
        tuple of int

        Examples
        --------
        >>> from constructions.sperner import panchromatic_cells
        >>> adv = TunnelAdversary(20, rng=0)
        >>> adv.end, adv.end_box()
        ((2, 2), (13, 17, 13, 17))
        >>> [13 <= x <= 17 and 13 <= y <= 17 for x, y in panchromatic_cells(adv.commit()).tolist()]
        [True, True]
        """
        o = self.origin
        x, y = o + BLOCK * self.end[0], o + BLOCK * self.end[1]
        return (x, x + BLOCK - 1, y, y + BLOCK - 1)

    def commit(self) -> Colouring:
        r"""The current plan: a proper colouring consistent with every answer given so far.

        Touched blocks keep their patterns, untouched tunnel blocks theirs, every other block is
        empty, and the end block holds the tip. Its panchromatic cells all lie in the end block.

        Returns
        -------
        Colouring
            Dense ``kind='bisperner'``.

        Examples
        --------
        >>> from constructions.sperner import boundary_violations, panchromatic_cells
        >>> adv = TunnelAdversary(20, rng=0)
        >>> col = adv.commit()
        >>> boundary_violations(col), panchromatic_cells(col).tolist()
        ((), [[14, 13], [14, 14]])
        """
        n, o = self.n, self.origin
        types = np.empty((n, n), dtype=np.int8)
        for x in range(n):
            for y in range(n):
                if self.block_of(x, y) is None:
                    types[x, y] = self._fixed_type(x, y)
        for i in range(self.m):
            for j in range(self.m):
                xs, ys = o + BLOCK * i, o + BLOCK * j
                types[xs:xs + BLOCK, ys:ys + BLOCK] = self._pattern((i, j))
        return bisperner_colouring(_SIGNS[types], name=f"committed tunnel adversary N={self.n}")

    def __repr__(self) -> str:
        return (f"TunnelAdversary(n={self.n}, m={self.m}, queried={self.n_distinct}, "
                f"touched={self.n_touched}, arena={int(self._arena.sum())}, end={self.end}, "
                f"tunnel={len(self.tunnel)}, forced_at={self.forced_at}, lower_bound={self.lower_bound})")
