r"""Black-box Sperner / BiSperner solvers that see a colouring only through colour queries.

Every solver reads colours **only** by calling the colouring it is given (``colouring(V)``), so
wrapping the instance in a :func:`~complexity._oracle.ColourOracle` (or handing in the
adaptive adversary of :mod:`complexity._adversary`) counts every read.

Problem and labels
------------------
The solvers work on cubical Sperner labels :math:`\ell(v) \in \{0, \dots, d\}` in the Kuhn
triangulation of the grid :math:`\{0, \dots, N-1\}^d`. For a BiSperner colouring the labels are
:math:`\ell(v) = \min\{i : C^i(v) = -1\}` (``0`` if all signs are ``+1``; notes section 2.3),
computed from *one* BiSperner query per Sperner query. A fully labelled Kuhn simplex lies in a
panchromatic cell, and its label-0 and label-``i`` vertices form the DSZ ``2d``-vertex
certificate (:func:`~constructions.sperner.certificate_from_simplex`). Every answer is a fully
labelled simplex or a boundary violation (DSZ solution types 1 and 2/3).

Solvers (registry :data:`SOLVERS`)
----------------------------------
``"scan"``
    Exhaustive scan, one hyperplane :math:`v_{d-1} = y` at a time; stops at the first layer of
    cells that holds a fully labelled simplex. At most :math:`N^d` queries.
``"walk"``
    Door following (Lemke--Howson / End-of-Line) from the corner :math:`0`: walk the 1-D
    instance on the edge :math:`v_1 = \dots = v_{d-1} = 0` to its first fully labelled edge,
    climb into the 2-D face through it, and so on up to dimension ``d``; whenever the walk leaves
    a ``k``-face through its own bottom face :math:`v_{k-1} = 0` it continues in dimension
    ``k-1`` (the recursive proof of Sperner's lemma). On the planted snake instances it needs
    :math:`\Theta(N^2)` queries.
``"divide-conquer"``
    Index (degree) bisection, notes section 8. The index of a box ``B`` is

    .. math:: \operatorname{ind}(B) = \sum_{F \text{ door on } \partial B} \sigma(F)
              = \#\{\text{positive solutions in } B\} - \#\{\text{negative solutions in } B\},

    with doors the boundary facets labelled ``{0..d-1}`` and :math:`\sigma` the orientation of
    :mod:`constructions.sperner._doors` (the two conventions agree; tested). Halve the longest
    side, compute the index of one half from the labels on the splitting hyperplane (the parent
    index minus it gives the other half) and keep a half with non-zero index, until a single cell
    is left; one of its ``d!`` simplices is fully labelled.

    For a proper colouring the grid boundary carries doors only on the face
    :math:`v_{d-1} = 0`, and a door there is a fully labelled simplex of the ``(d-1)``-dimensional
    instance on that face *with the same orientation*. So the part of :math:`\partial B` on the
    grid boundary contributes the ``(d-1)``-dimensional index of ``B``'s bottom face, computed the
    same way, recursively (in 1-D it telescopes to the labels of two end points), and nothing
    else on the grid boundary is read. If the colouring is improper this shortcut may end in a
    cell without a fully labelled simplex; the solver then reads the grid boundary and returns a
    violation (there must be one). ``check_boundary=True`` reads the boundary first instead.

    Costs (measured; see ``benchmarks/bench_solvers.py``): in 2-D at most ``3 N`` queries (the split
    lines ``N + N/2 + N/2 + N/4 + N/4 + ... = 3N``), about ``7 N`` with ``check_boundary=True``
    (``4N`` more for the boundary); in 3-D about ``2.3 N^2`` (resp. ``8 N^2``).

Counting policy
---------------
Solvers keep a *memo* of the labels they have read and never read a vertex twice (a
legitimate saving: the oracle would count a repeat again). They store nothing they did not
query. ``n_queries`` is the number of reads the counting oracle saw during the search; reading
the answer back for the independent check costs ``n_check_queries`` more (``d + 1`` label reads,
plus the ``2d`` reads of :func:`~constructions.sperner.check_certificate` for BiSperner).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from constructions import InvalidArgument, SolverFailed
from constructions._validation import as_positive_int, short_repr
from constructions.sperner import (
    BoundaryViolation,
    Certificate,
    Colouring,
    check_certificate,
    sperner_labels,
)

from ._oracle import ColourOracle

__all__ = [
    "SolverResult",
    "SOLVERS",
    "solve",
    "solve_scan",
    "solve_walk",
    "solve_divide_conquer",
]

#: grids up to this many vertices keep their label memo in a dense int8 array (else a dict)
_DENSE_MEMO_LIMIT = 2**26


@dataclass(frozen=True, eq=False)
class SolverResult:
    r"""Outcome of a black-box Sperner solver.

    Attributes
    ----------
    solver : str
        Registry name of the solver.
    kind : {'simplex', 'violation'}
        ``'simplex'``: a fully labelled Kuhn simplex (DSZ type 1); ``'violation'``: a boundary
        violation (DSZ types 2/3).
    cell : tuple of int or None
        Lower corner of the cell holding the simplex (a panchromatic cell for BiSperner).
    perm : tuple of int or None
        Permutation of the Kuhn simplex: vertices :math:`v^0 = c`,
        :math:`v^j = v^{j-1} + e_{\pi_{j-1}}`.
    simplex : numpy.ndarray or None
        Its ``d + 1`` vertices, shape ``(d+1, d)``.
    labels : tuple of int or None
        Sperner labels :math:`\ell` of those vertices (a permutation of ``0..d``).
    certificate : Certificate or None
        For BiSperner: the ``2d``-vertex certificate (label-0 vertex as every :math:`u^{(i)}`,
        label-``i+1`` vertex as :math:`v^{(i)}`).
    violation : BoundaryViolation or None
        The violating vertex, when ``kind == 'violation'``.
    n_queries : int
        Colour queries made by the search (counted by the oracle).
    n_check_queries : int
        Colour queries made by the independent check of the answer.
    certified : bool
        The answer was re-read from the colouring and verified (labels ``{0..d}``;
        :func:`~constructions.sperner.check_certificate` accepts; the violation is real).
    message : str
        One sentence on what was found and how it was checked.

    Examples
    --------
    >>> from constructions.sperner import planted_instance
    >>> inst = planted_instance(16, 2, rng=0)
    >>> res = solve(inst.colouring, solver="walk")
    >>> res.kind, res.certified, res.cell == tuple(inst.solutions[0]), sorted(res.labels)
    ('simplex', True, True, [0, 1, 2])
    """

    solver: str
    kind: str
    cell: tuple[int, ...] | None
    perm: tuple[int, ...] | None
    simplex: np.ndarray | None
    labels: tuple[int, ...] | None
    certificate: Certificate | None
    violation: BoundaryViolation | None
    n_queries: int
    n_check_queries: int
    certified: bool
    message: str


# ----------------------------------------------------------------------------------------------
# label memo: the only place where colours are read
# ----------------------------------------------------------------------------------------------


class _LabelMemo:
    """Sperner labels of the vertices read so far; reads each vertex at most once.

    Unknown vertices of a request are de-duplicated and read in one batched call of the
    colouring (one query per vertex). Nothing is stored that was not read.
    """

    def __init__(self, colouring: Colouring) -> None:
        self.col = colouring
        self.n, self.d = colouring.n, colouring.d
        self.n_read = 0
        self.dense: np.ndarray | None = None
        self.table: dict[tuple[int, ...], int] = {}
        if self.n**self.d <= _DENSE_MEMO_LIMIT:
            self.dense = np.full((self.n,) * self.d, -1, dtype=np.int8)

    def _read(self, U: np.ndarray) -> np.ndarray:
        out = np.asarray(self.col(U))
        self.n_read += len(U)
        if self.col.kind == "bisperner":
            return sperner_labels(out.reshape(len(U), self.d))
        return out.reshape(len(U)).astype(np.int8)

    def labels(self, V: np.ndarray) -> np.ndarray:
        """Labels of the vertices *V* (int64, shape ``(m, d)``), reading only unknown ones."""
        V = np.asarray(V, dtype=np.int64).reshape(-1, self.d)
        if not len(V):
            return np.zeros(0, dtype=np.int8)
        if self.dense is not None:
            idx = tuple(V.T)
            cur = self.dense[idx]
            miss = cur < 0
            if miss.any():
                U = np.unique(V[miss], axis=0)
                self.dense[tuple(U.T)] = self._read(U)
                cur = self.dense[idx]
            return cur
        keys = [tuple(int(x) for x in v) for v in V]
        todo = sorted({k for k in keys if k not in self.table})
        if todo:
            lab = self._read(np.array(todo, dtype=np.int64))
            self.table.update(zip(todo, (int(x) for x in lab), strict=True))
        return np.array([self.table[k] for k in keys], dtype=np.int8)

    def box_labels(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Labels on the vertex box ``[lo, hi]`` (inclusive, length-``d`` corners), shaped as the box."""
        shape = tuple(int(x) for x in hi - lo + 1)
        V = np.moveaxis(np.indices(shape, dtype=np.int64), 0, -1).reshape(-1, self.d) + lo
        return self.labels(V).reshape(shape)


# ----------------------------------------------------------------------------------------------
# small combinatorial helpers (Kuhn simplices, permutation signs)
# ----------------------------------------------------------------------------------------------


def _perm_sign_rows(P: np.ndarray) -> np.ndarray:
    """Sign of each row of *P* (a permutation of ``0..k-1``), by counting inversions."""
    k = P.shape[-1]
    inv = np.zeros(P.shape[:-1], dtype=np.int64)
    for i in range(k):
        for j in range(i + 1, k):
            inv += P[..., i] > P[..., j]
    return 1 - 2 * (inv % 2)


def _perm_sign(p: tuple[int, ...] | list[int]) -> int:
    return int(_perm_sign_rows(np.asarray(p, dtype=np.int64)[None, :])[0])


def _simplex_vertices(cell: list[int], perm: list[int]) -> np.ndarray:
    """Vertices of the Kuhn simplex ``(cell, perm)``, shape ``(k+1, k)``."""
    v = np.array(cell, dtype=np.int64)
    out = [v.copy()]
    for a in perm:
        v[a] += 1
        out.append(v.copy())
    return np.array(out, dtype=np.int64)


def _pivot(cell: list[int], perm: list[int], m: int, k: int) -> tuple[list[int], list[int], int]:
    """The Kuhn simplex across the facet opposite vertex *m*, and that facet's index in it."""
    if m == 0:
        c = list(cell)
        c[perm[0]] += 1
        return c, perm[1:] + perm[:1], k
    if m == k:
        c = list(cell)
        c[perm[k - 1]] -= 1
        return c, perm[-1:] + perm[:-1], 0
    p = list(perm)
    p[m - 1], p[m] = p[m], p[m - 1]
    return list(cell), p, m


def _embed(V: np.ndarray, d: int) -> np.ndarray:
    """Pad ``k``-dimensional vertices with zeros to ``d`` coordinates (the face ``v_k = .. = 0``)."""
    V = np.asarray(V, dtype=np.int64)
    k = V.shape[-1]
    if k == d:
        return V
    pad = np.zeros(V.shape[:-1] + (d - k,), dtype=np.int64)
    return np.concatenate([V, pad], axis=-1)


def _fully_labelled_in_cell(
    memo: _LabelMemo, cell: np.ndarray
) -> tuple[list[int], np.ndarray, np.ndarray] | None:
    """A fully labelled Kuhn simplex of the cell (reads its ``2^d`` corners), or None."""
    d = memo.d
    offs = np.array(list(itertools.product((0, 1), repeat=d)), dtype=np.int64).reshape(-1, d)
    memo.labels(cell[None, :] + offs)
    for p in itertools.permutations(range(d)):
        verts = _simplex_vertices(cell.tolist(), list(p))
        lab = memo.labels(verts)
        if sorted(lab.tolist()) == list(range(d + 1)):
            return list(p), verts, lab
    return None


# ----------------------------------------------------------------------------------------------
# box index (degree) from face labels
# ----------------------------------------------------------------------------------------------


def _face_contribution(memo: _LabelMemo, k: int, lo: np.ndarray, hi: np.ndarray, j: int, upper: bool) -> int:
    r"""Signed number of doors on one face of the ``k``-dimensional box ``[lo, hi]``.

    The box lives in the face :math:`v_k = \dots = v_{d-1} = 0` (axes ``0..k-1``). Doors are
    boundary facets labelled exactly ``{0..k-1}``; the sign is
    :math:`\operatorname{sign}(\pi)\operatorname{sign}(w)` with ``w`` the simplex labels where the
    vertex opposite the face is relabelled ``k`` (the convention of
    :mod:`constructions.sperner._doors`).
    """
    flo, fhi = lo.copy(), hi.copy()
    flo[j] = fhi[j] = hi[j] if upper else lo[j]
    L = memo.box_labels(_embed(flo, memo.d), _embed(fhi, memo.d))
    if memo.d > k:
        L = L[(Ellipsis,) + (0,) * (memo.d - k)]
    cshape = [int(x) for x in hi - lo]
    cshape[j] = 1
    mask_all = (1 << k) - 1
    total = 0
    for p in itertools.permutations(range(k)):
        if (upper and p[0] != j) or (not upper and p[k - 1] != j):
            continue
        steps = p[1:] if upper else p[: k - 1]
        off = [0] * k
        labs = []
        for m in range(k):
            labs.append(L[tuple(slice(o, o + s) for o, s in zip(off, cshape, strict=True))])
            if m < k - 1:
                off[steps[m]] += 1
        stack = np.stack([lab.reshape(-1) for lab in labs], axis=1).astype(np.int64)
        bits = np.zeros(len(stack), dtype=np.int64)
        for m in range(k):
            bits |= np.left_shift(1, np.minimum(stack[:, m], 62))
        door = bits == mask_all
        if not door.any():
            continue
        sig = _perm_sign_rows(stack[door])
        if upper and k % 2 == 1:
            sig = -sig
        total += _perm_sign(p) * int(sig.sum())
    return total


def _box_index(memo: _LabelMemo, k: int, lo: np.ndarray, hi: np.ndarray, shortcut: bool) -> int:
    """Index of the ``k``-dimensional box ``[lo, hi]`` (axes ``0..k-1`` of the face ``v_{>=k} = 0``).

    With *shortcut*, faces on the grid boundary are not read: they carry no doors except the
    bottom face ``v_{k-1} = 0``, whose contribution is the ``(k-1)``-dimensional index
    (valid for proper colourings; see the module docstring).
    """
    if k == 0:
        return 1
    n = memo.n
    total = 0
    for j in range(k):
        if shortcut and lo[j] == 0:
            if j == k - 1:
                total += _box_index(memo, k - 1, lo[: k - 1], hi[: k - 1], shortcut)
        else:
            total += _face_contribution(memo, k, lo, hi, j, upper=False)
        if not (shortcut and hi[j] == n - 1):
            total += _face_contribution(memo, k, lo, hi, j, upper=True)
    return total


def box_index(colouring: Colouring, lo: Any = None, hi: Any = None) -> int:
    r"""Index of the vertex box ``[lo, hi]`` computed from the labels on its boundary only.

    The same quantity as :func:`constructions.sperner.boundary_index`, but read through a memo
    from the ``2d`` faces of the box (no slab): the divide-and-conquer solver's primitive.

    Examples
    --------
    >>> from constructions.sperner import random_colouring
    >>> box_index(random_colouring(9, 2, rng=4))
    1
    """
    col = _check_colouring(colouring)
    lo_a = np.zeros(col.d, dtype=np.int64) if lo is None else np.asarray(lo, dtype=np.int64)
    hi_a = np.full(col.d, col.n - 1, dtype=np.int64) if hi is None else np.asarray(hi, dtype=np.int64)
    bad_shape = lo_a.shape != (col.d,) or hi_a.shape != (col.d,)
    if bad_shape or np.any(lo_a < 0) or np.any(hi_a > col.n - 1) or np.any(lo_a >= hi_a):
        raise InvalidArgument(
            f"need 0 <= lo < hi <= N-1 per axis, got lo={short_repr(lo)}, hi={short_repr(hi)}"
        )
    return _box_index(_LabelMemo(col), col.d, lo_a, hi_a, shortcut=False)


def _scan_boundary(memo: _LabelMemo) -> tuple[int, ...] | None:
    """Read the grid boundary face by face; the first vertex whose label breaks the rule, or None."""
    n, d = memo.n, memo.d
    for axis in range(d):
        for val in (0, n - 1):
            lo = np.zeros(d, dtype=np.int64)
            hi = np.full(d, n - 1, dtype=np.int64)
            lo[axis] = hi[axis] = val
            L = memo.box_labels(lo, hi)
            bad = (L == axis + 1) if val == 0 else (L == 0)
            if bad.any():
                return tuple(int(x) for x in np.argwhere(bad)[0] + lo)
    return None


# ----------------------------------------------------------------------------------------------
# the three searches (return a raw answer; _finish checks it)
# ----------------------------------------------------------------------------------------------


class _Found:
    def __init__(self, kind: str, cell=None, perm=None, vertex=None, note: str = "") -> None:
        self.kind, self.cell, self.perm, self.vertex, self.note = kind, cell, perm, vertex, note


def _fallback_violation(memo: _LabelMemo, why: str) -> _Found:
    v = _scan_boundary(memo)
    if v is None:
        raise SolverFailed(f"{why}, yet the grid boundary is proper: inconsistent colouring answers")
    return _Found("violation", vertex=v, note=why)


def _search_divide_conquer(memo: _LabelMemo, check_boundary: bool) -> _Found:
    n, d = memo.n, memo.d
    if check_boundary:
        v = _scan_boundary(memo)
        if v is not None:
            return _Found("violation", vertex=v, note="boundary read first")
    lo = np.zeros(d, dtype=np.int64)
    hi = np.full(d, n - 1, dtype=np.int64)
    ind = 1  # the whole grid of a proper colouring (assumed; checked at the end)
    while np.any(hi - lo > 1):
        a = int(np.argmax(hi - lo))
        mid = int((lo[a] + hi[a]) // 2)
        left_hi = hi.copy()
        left_hi[a] = mid
        il = _box_index(memo, d, lo, left_hi, shortcut=True)
        if il != 0:
            hi, ind = left_hi, il
        else:
            lo = lo.copy()
            lo[a] = mid
    found = _fully_labelled_in_cell(memo, lo)
    if found is None:
        why = f"cell {tuple(lo.tolist())} has index {ind} but no fully labelled simplex"
        return _fallback_violation(memo, why)
    return _Found("simplex", cell=lo, perm=found[0], note=f"index bisection ended in a cell of index {ind}")


def _search_scan(memo: _LabelMemo) -> _Found:
    n, d = memo.n, memo.d
    lo = np.zeros(d, dtype=np.int64)
    hi = np.full(d, n - 1, dtype=np.int64)
    prev = None
    perms = list(itertools.permutations(range(d)))
    for y in range(n):
        lo[d - 1] = hi[d - 1] = y
        cur = memo.box_labels(lo, hi)
        if prev is not None:
            L = np.concatenate([prev, cur], axis=d - 1)
            shape = (n - 1,) * (d - 1) + (1,)
            for p in perms:
                off = [0] * d
                acc = np.zeros(shape, dtype=np.int64)
                for m in range(d + 1):
                    acc |= np.left_shift(1, L[tuple(slice(o, o + s) for o, s in zip(off, shape, strict=True))]
                                         .astype(np.int64))
                    if m < d:
                        off[p[m]] += 1
                hit = np.argwhere(acc == (1 << (d + 1)) - 1)
                if len(hit):
                    cell = hit[0].astype(np.int64)
                    cell[d - 1] = y - 1
                    return _Found("simplex", cell=cell, perm=list(p), note=f"scanned {y + 1} layers")
        prev = cur
    return _fallback_violation(memo, "no fully labelled simplex in the whole grid")


def _search_walk(memo: _LabelMemo, max_steps: int | None) -> _Found:
    n, d = memo.n, memo.d
    if max_steps is None:
        max_steps = 4 * math.factorial(d) * (n - 1) ** d + 4 * d * n
    k, cell, perm, k_in = 1, [0], [0], 1
    descended = False
    steps = 0
    while True:
        steps += 1
        if steps > max_steps:
            return _fallback_violation(memo, f"the door walk exceeded max_steps={max_steps}")
        verts = _simplex_vertices(cell, perm)
        labs = [int(x) for x in memo.labels(_embed(verts, d))]
        if not descended and sorted(labs) == list(range(k + 1)):
            if k == d:
                return _Found("simplex", cell=np.array(cell, dtype=np.int64), perm=perm,
                              note=f"door walk of {steps} simplices")
            cell, perm, k_in, k = cell + [0], perm + [k], k + 1, k + 1
            continue
        descended = False
        target = list(range(k))
        outs = [m for m in range(k + 1) if m != k_in and sorted(labs[:m] + labs[m + 1:]) == target]
        if not outs:
            return _fallback_violation(memo, f"the door walk reached a {k}-simplex without an exit door")
        m = outs[0]
        nc, np_, nk = _pivot(cell, perm, m, k)
        if min(nc) >= 0 and max(nc) <= n - 2:
            cell, perm, k_in = nc, np_, nk
            continue
        if m == k and perm[k - 1] == k - 1 and cell[k - 1] == 0 and k > 1:
            k -= 1
            cell, perm, k_in, descended = cell[:k], perm[:k], None, True
            continue
        return _fallback_violation(memo, f"the door walk left the {k}-face through a wrong side")


# ----------------------------------------------------------------------------------------------
# front door
# ----------------------------------------------------------------------------------------------


def _check_colouring(colouring: Any) -> Colouring:
    if not isinstance(colouring, Colouring):
        raise InvalidArgument(
            f"colouring must be a Colouring (or a ColourOracle / adversary colouring), got "
            f"colouring={short_repr(colouring)}"
        )
    if colouring.d > 8:
        raise InvalidArgument(
            f"the solvers enumerate d! simplices per cell; d={colouring.d} is too large (max 8)"
        )
    return colouring


def _counted(colouring: Colouring, budget: Any) -> Colouring:
    """The colouring itself if it already counts (a ColourOracle), else a counting wrapper."""
    if budget is None and hasattr(colouring, "counter"):
        return colouring
    return ColourOracle(colouring, budget=budget)


def _finish(name: str, col: Colouring, found: _Found, n_queries: int) -> SolverResult:
    """Re-read the answer from the colouring and verify it (the queries are counted)."""
    counter = col.counter  # type: ignore[attr-defined]
    start = counter.n_queries
    d = col.d
    if found.kind == "violation":
        v = np.array(found.vertex, dtype=np.int64)
        colour = np.asarray(col(v[None, :]))
        if col.kind == "bisperner":
            lab = int(sperner_labels(colour.reshape(1, d))[0])
        else:
            lab = int(colour.reshape(-1)[0])
        viol = None
        for axis in range(d):
            if v[axis] == 0 and lab == axis + 1:
                c = int(colour.reshape(-1, d)[0, axis]) if col.kind == "bisperner" else lab
                viol = BoundaryViolation(tuple(int(x) for x in v), axis, "lower", c)
                break
            if v[axis] == col.n - 1 and lab == 0:
                c = int(colour.reshape(-1, d)[0, axis]) if col.kind == "bisperner" else lab
                viol = BoundaryViolation(tuple(int(x) for x in v), axis, "upper", c)
                break
        ok = viol is not None
        msg = (f"boundary violation: {viol} ({found.note})" if ok
               else f"claimed violation at {tuple(v.tolist())} did not re-check")
        return SolverResult(name, "violation", None, None, None, None, None, viol, n_queries,
                            counter.n_queries - start, ok, msg)
    cell = np.asarray(found.cell, dtype=np.int64)
    perm = tuple(int(x) for x in found.perm)
    verts = _simplex_vertices(cell.tolist(), list(perm))
    colour = np.asarray(col(verts))
    lab = sperner_labels(colour.reshape(-1, d)) if col.kind == "bisperner" else colour.reshape(-1)
    labs = tuple(int(x) for x in lab)
    ok = sorted(labs) == list(range(d + 1))
    cert = None
    msg = f"fully labelled simplex in cell {tuple(cell.tolist())}, labels {labs} ({found.note})"
    if ok and col.kind == "bisperner":
        where = {lab_: j for j, lab_ in enumerate(labs)}
        u = np.repeat(verts[where[0]][None, :], d, axis=0)
        v = np.stack([verts[where[i + 1]] for i in range(d)])
        cert = Certificate(tuple(int(x) for x in cell), v, u)
        chk = check_certificate(col, cert)
        ok = chk.valid
        msg += f"; certificate: {chk.message}"
    elif not ok:
        msg = f"simplex in cell {tuple(cell.tolist())} re-read with labels {labs}: not fully labelled"
    return SolverResult(name, "simplex", tuple(int(x) for x in cell), perm, verts, labs, cert, None,
                        n_queries, counter.n_queries - start, ok, msg)


def _run(name: str, colouring: Any, budget: Any, search: Callable[[_LabelMemo], _Found]) -> SolverResult:
    col = _counted(_check_colouring(colouring), budget)
    counter = col.counter  # type: ignore[attr-defined]
    start = counter.n_queries
    memo = _LabelMemo(col)
    found = search(memo)
    return _finish(name, col, found, counter.n_queries - start)


def solve_scan(colouring: Colouring, *, budget: Any = None) -> SolverResult:
    r"""Exhaustive scan, layer :math:`v_{d-1} = 0, 1, \dots` until a fully labelled simplex appears.

    Parameters
    ----------
    colouring : Colouring
        Sperner or BiSperner; a :func:`~complexity._oracle.ColourOracle` is used as is.
    budget : int, optional
        Query cap (:class:`~complexity._oracle.QueryBudgetExceeded` when reached).

    Returns
    -------
    SolverResult

    Examples
    --------
    >>> from constructions.sperner import planted_instance
    >>> inst = planted_instance(8, 2, target=(3, 2), rng=0)
    >>> res = solve_scan(inst.colouring)
    >>> res.cell, res.certified, res.n_queries
    ((3, 2), True, 32)
    """
    return _run("scan", colouring, budget, _search_scan)


def solve_walk(colouring: Colouring, *, budget: Any = None, max_steps: int | None = None) -> SolverResult:
    r"""Door following from the grid corner, through the faces :math:`v_{k} = \dots = v_{d-1} = 0`.

    Parameters
    ----------
    colouring : Colouring
        Sperner or BiSperner.
    budget : int, optional
        Query cap.
    max_steps : int, optional
        Safety bound on the number of simplices visited (default ``4 d! (N-1)^d + 4 d N``).

    Returns
    -------
    SolverResult

    Examples
    --------
    >>> from constructions.sperner import planted_instance
    >>> inst = planted_instance(12, 2, target=(7, 4), rng=0)
    >>> res = solve_walk(inst.colouring)
    >>> res.cell, res.certified
    ((7, 4), True)
    """
    if max_steps is not None:
        max_steps = as_positive_int(max_steps, "max_steps")
    return _run("walk", colouring, budget, lambda memo: _search_walk(memo, max_steps))


def solve_divide_conquer(
    colouring: Colouring, *, budget: Any = None, check_boundary: bool = False
) -> SolverResult:
    r"""Index bisection (notes section 8): :math:`O(N^{d-1})` queries.

    Parameters
    ----------
    colouring : Colouring
        Sperner or BiSperner.
    budget : int, optional
        Query cap.
    check_boundary : bool, default False
        Read the whole grid boundary first (and return a violation if there is one). Without
        it only the cut hyperplanes (and the lower-dimensional cuts on the face
        :math:`v_{d-1} = 0`) are read; a violation is still found if the bisection fails.

    Returns
    -------
    SolverResult

    Examples
    --------
    >>> from constructions.sperner import planted_instance
    >>> inst = planted_instance(64, 2, target=(40, 21), rng=0)
    >>> res = solve_divide_conquer(inst.colouring)
    >>> res.cell, res.certified, res.n_queries <= 3 * 64
    ((40, 21), True, True)
    """
    if not isinstance(check_boundary, bool):
        raise InvalidArgument(
            f"check_boundary must be a bool, got check_boundary={short_repr(check_boundary)}"
        )
    return _run(
        "divide-conquer", colouring, budget, lambda memo: _search_divide_conquer(memo, check_boundary)
    )


#: registry of the black-box Sperner solvers: name -> ``f(colouring, *, budget=None, ...)``
SOLVERS: dict[str, Callable[..., SolverResult]] = {
    "scan": solve_scan,
    "walk": solve_walk,
    "divide-conquer": solve_divide_conquer,
}


def solve(
    colouring: Colouring, *, solver: str = "divide-conquer", budget: Any = None, **options: Any
) -> SolverResult:
    r"""Find a Sperner/BiSperner solution by colour queries only, with the named solver.

    Parameters
    ----------
    colouring : Colouring
        The instance; wrap it in a :func:`~complexity._oracle.ColourOracle` to keep the counts,
        or pass an adversary's colouring.
    solver : {'scan', 'walk', 'divide-conquer'}
        Key of :data:`SOLVERS`.
    budget : int, optional
        Query cap.
    **options
        Passed to the solver (``check_boundary`` for divide-and-conquer, ``max_steps`` for the walk).

    Returns
    -------
    SolverResult

    Raises
    ------
    InvalidArgument
        Unknown ``solver``, a non-colouring, a bad ``budget`` or option.

    Examples
    --------
    >>> from complexity._oracle import ColourOracle
    >>> from constructions.sperner import random_colouring
    >>> orc = ColourOracle(random_colouring(33, 2, rng=1))
    >>> res = solve(orc, solver="divide-conquer")
    >>> res.certified, res.n_queries + res.n_check_queries == orc.counter.n_queries
    (True, True)
    """
    if solver not in SOLVERS:
        raise InvalidArgument(f"solver must be one of {sorted(SOLVERS)}, got solver={solver!r}")
    return SOLVERS[solver](colouring, budget=budget, **options)
