"""Checks on colourings: boundary rule, panchromatic cells, exhaustive search, 2d-vertex certificates.

The exhaustive searches are vectorised over the whole grid (no Python loop over cells). On a dense 2D
grid with ``N = 4096`` (16.7 million cells), measured on a shared 2-core machine
(``benchmarks/bench_sperner.py``): a planted instance (one solution) takes about 0.2-0.4 s for
:func:`panchromatic_cells` or :func:`fully_labelled_simplices`; a uniformly random colouring, whose
6-7.5 million fully labelled simplices must all be listed, takes about 1-2 s for
:func:`fully_labelled_simplices` (its sort by one int64 key per simplex included).
"""

from __future__ import annotations

import itertools
import math
from typing import Any, NamedTuple

import numpy as np

from .._errors import InvalidArgument
from .._validation import as_positive_int, short_repr
from ._colouring import (
    DEFAULT_MAX_VERTICES,
    Colouring,
    check_colouring,
    check_vertices,
    label_array,
    label_oracle,
    sperner_labels,
)

__all__ = [
    "BoundaryViolation",
    "boundary_violations",
    "is_proper",
    "is_panchromatic",
    "panchromatic_cells",
    "KuhnSimplices",
    "fully_labelled_simplices",
    "kuhn_simplex_vertices",
    "Certificate",
    "CertificateCheck",
    "certificate_from_simplex",
    "find_certificate",
    "check_certificate",
]


class BoundaryViolation(NamedTuple):
    """One vertex that breaks the boundary rule on one face.

    Attributes
    ----------
    vertex : tuple of int
        The offending vertex.
    axis : int
        The face's axis ``i`` (0-based).
    face : {'lower', 'upper'}
        ``'lower'``: the face ``v_i = 0``; ``'upper'``: the face ``v_i = N-1``.
    colour : int
        The offending label (Sperner) or the offending sign ``C^i(v)`` (BiSperner).

    Examples
    --------
    >>> from constructions.sperner import bisperner_colouring
    >>> col = bisperner_colouring(np.array([[[1, 1], [1, -1]], [[-1, 1], [-1, 1]]]), proper=False)
    >>> boundary_violations(col)                 # C^1 = +1 on the upper face v_1 = N-1
    (BoundaryViolation(vertex=(1, 1), axis=1, face='upper', colour=1),)
    """

    vertex: tuple[int, ...]
    axis: int
    face: str
    colour: int

    def __str__(self) -> str:
        where = "v_{}={}".format(self.axis, "0" if self.face == "lower" else "N-1")
        return f"vertex {self.vertex} has colour {self.colour} on the {self.face} face {where}"


def _bad_on_face(kind: str, axis: int, face: str, colours: np.ndarray) -> np.ndarray:
    """Boolean mask of violations among *colours* of vertices on one face."""
    if kind == "sperner":
        return colours == (axis + 1) if face == "lower" else colours == 0
    return colours[..., axis] == (-1 if face == "lower" else 1)


def _violations_at(col: Colouring, V: np.ndarray, colours: np.ndarray) -> list[BoundaryViolation]:
    """Violations among the given vertices *V* (m, d) with their *colours*."""
    out = []
    for axis in range(col.d):
        for face, val in (("lower", 0), ("upper", col.n - 1)):
            on = V[:, axis] == val
            bad = on & _bad_on_face(col.kind, axis, face, colours)
            for r in np.nonzero(bad)[0]:
                c = colours[r] if col.kind == "sperner" else colours[r, axis]
                out.append(BoundaryViolation(tuple(int(x) for x in V[r]), axis, face, int(c)))
    return out


def boundary_violations(
    colouring: Colouring, *, limit: int | None = None, max_vertices: int = 2**24
) -> tuple[BoundaryViolation, ...]:
    r"""Every vertex/face pair that breaks the boundary rule.

    Sperner: label :math:`i \ge 1` on the face :math:`v_{i-1} = 0`, or label 0 on a face
    :math:`v_j = N-1`. BiSperner: :math:`C^i(v) = -1` on :math:`v_i = 0`, or
    :math:`C^i(v) = +1` on :math:`v_i = N-1` (DSZ solution types 2 and 3). A corner vertex is
    listed once per face it violates.

    Parameters
    ----------
    colouring : Colouring
        Dense or implicit.
    limit : int, optional
        Stop after this many violations.
    max_vertices : int, default 2**24
        Refuse implicit colourings whose boundary has more vertices than this.

    Returns
    -------
    tuple of BoundaryViolation
        Ordered by axis, then face (lower first), then vertex; empty iff the colouring is proper.

    Examples
    --------
    >>> from constructions.sperner import sperner_colouring
    >>> bad = sperner_colouring(np.array([1, 0, 0]), proper=False)
    >>> [str(v) for v in boundary_violations(bad)]
    ['vertex (0,) has colour 1 on the lower face v_0=0', 'vertex (2,) has colour 0 on the upper face v_0=N-1']
    """
    col = check_colouring(colouring)
    if limit is not None:
        limit = as_positive_int(limit, "limit", minimum=0)
    max_vertices = as_positive_int(max_vertices, "max_vertices")
    n, d = col.n, col.d
    if col.values is None and 2 * d * n ** (d - 1) > max_vertices:
        raise InvalidArgument(
            f"the boundary of an implicit grid with N={n}, d={d} has more than "
            f"max_vertices={max_vertices} vertices; cannot check it exhaustively"
        )
    out: list[BoundaryViolation] = []
    for axis in range(d):
        for face, val in (("lower", 0), ("upper", n - 1)):
            if col.values is not None:
                sl = [slice(None)] * d
                sl[axis] = val
                colours = np.asarray(col.values[tuple(sl)])
                bad = np.asarray(_bad_on_face(col.kind, axis, face, colours))
                if not bad.any():
                    continue
                idx = np.argwhere(bad)
                verts = np.insert(idx, axis, val, axis=1)
                vals = colours[bad]
            else:
                rest = np.indices((n,) * (d - 1), dtype=np.int64).reshape(d - 1, -1).T
                verts_all = np.insert(rest, axis, val, axis=1)
                colours = col._query(verts_all)
                bad = _bad_on_face(col.kind, axis, face, colours)
                verts = verts_all[bad]
                vals = colours[bad]
            for r in range(len(verts)):
                c = vals[r] if col.kind == "sperner" else vals[r, axis]
                out.append(BoundaryViolation(tuple(int(x) for x in verts[r]), axis, face, int(c)))
                if limit is not None and len(out) >= limit:
                    return tuple(out)
    return tuple(out)


def is_proper(colouring: Colouring) -> bool:
    """True iff the colouring satisfies its boundary rule (see :func:`boundary_violations`).

    Parameters
    ----------
    colouring : Colouring
        A Sperner or BiSperner colouring (its boundary is read).

    Returns
    -------
    bool

    Examples
    --------
    >>> from constructions.sperner import random_colouring
    >>> is_proper(random_colouring(5, 2, rng=0))
    True
    """
    return not boundary_violations(colouring, limit=1)


def check_cell(cell: Any, n: int, d: int, name: str = "cell") -> np.ndarray:
    """Validate a cell's lower corner: int64 array of shape ``(d,)`` with entries in ``[0, N-2]``."""
    arr = np.asarray(cell)
    if arr.shape != (d,) or not (np.issubdtype(arr.dtype, np.integer) and arr.dtype != bool):
        raise InvalidArgument(f"{name} must be {d} integers, got {name}={short_repr(cell)}")
    arr = arr.astype(np.int64)
    if arr.min() < 0 or arr.max() > n - 2:
        raise InvalidArgument(
            f"{name} must be a cell's lower corner in {{0..{n - 2}}}^{d}, got {name}={short_repr(cell)}"
        )
    return arr


def cell_corners(cell: np.ndarray) -> np.ndarray:
    """The ``2^d`` corners ``cell + {0,1}^d`` in lexicographic order, shape ``(2^d, d)``."""
    d = cell.shape[0]
    offs = np.array(list(itertools.product((0, 1), repeat=d)), dtype=np.int64).reshape(-1, d)
    return cell[None, :] + offs


def is_panchromatic(colouring: Colouring, cell: Any) -> bool:
    r"""Whether a cell is panchromatic (a solution of type 1).

    BiSperner: for every axis ``i`` both signs of :math:`C^i` occur among the ``2^d`` corners.
    Sperner: all ``d+1`` labels occur among the corners (necessary for a fully labelled Kuhn
    simplex in the cell, not sufficient; see :func:`fully_labelled_simplices`).

    Parameters
    ----------
    colouring : Colouring
        Any colouring with ``d <= 24``.
    cell : sequence of int
        Lower corner of the cell, in ``{0..N-2}^d``.

    Examples
    --------
    >>> from constructions.sperner import bisperner_colouring
    >>> col = bisperner_colouring(np.array([[[1, 1], [1, -1]], [[-1, 1], [-1, -1]]]))
    >>> is_panchromatic(col, (0, 0))
    True
    """
    col = check_colouring(colouring)
    if col.d > 24:
        raise InvalidArgument(
            f"is_panchromatic enumerates 2^d corners; d={col.d} is too large, use a certificate"
        )
    c = check_cell(cell, col.n, col.d)
    cols = col._query(cell_corners(c))
    if col.kind == "sperner":
        return len(np.unique(cols)) == col.d + 1
    return bool(np.all(cols.max(axis=0) == 1) and np.all(cols.min(axis=0) == -1))


def _reduce_cells(a: np.ndarray, op: Any) -> np.ndarray:
    """Combine the ``2^d`` corner values of every cell with a binary *op*, separably by axis."""
    for ax in range(a.ndim):
        lo = [slice(None)] * a.ndim
        hi = [slice(None)] * a.ndim
        lo[ax] = slice(0, -1)
        hi[ax] = slice(1, None)
        a = op(a[tuple(lo)], a[tuple(hi)])
    return a


def _mask_dtype(d: int) -> type:
    if d + 1 <= 8:
        return np.uint8
    if d + 1 <= 16:
        return np.uint16
    if d + 1 <= 32:
        return np.uint32
    if d + 1 <= 63:
        return np.uint64
    raise InvalidArgument(f"exhaustive search supports d <= 62, got d={d}")


def panchromatic_cells(colouring: Colouring, *, max_vertices: int = DEFAULT_MAX_VERTICES) -> np.ndarray:
    r"""All panchromatic cells, by a vectorised pass over the whole grid.

    BiSperner: cells where every :math:`C^i` takes both signs. Sperner: cells whose corners carry
    all ``d+1`` labels. Each per-cell "some corner has property P" is computed as ``d`` shifted
    ``|`` (or ``&``) passes, so the cost is ``O(d^2 N^d)`` array operations and no Python loop
    over cells.

    Parameters
    ----------
    colouring : Colouring
        Dense, or implicit with at most *max_vertices* vertices (it is materialised).

    Returns
    -------
    numpy.ndarray
        int64 lower corners, shape ``(k, d)``, in lexicographic order.

    Examples
    --------
    >>> from constructions.sperner import planted_instance
    >>> inst = planted_instance(16, 2, target=(5, 9), rng=0)
    >>> panchromatic_cells(inst.colouring).tolist()
    [[5, 9]]
    """
    col = check_colouring(colouring).to_dense(max_vertices=as_positive_int(max_vertices, "max_vertices"))
    vals = col.values
    d = col.d
    if col.kind == "bisperner":
        pan = None
        for i in range(d):
            neg = vals[..., i] < 0  # type: ignore[index]
            some_neg = _reduce_cells(neg, np.logical_or)
            all_neg = _reduce_cells(neg, np.logical_and)
            here = some_neg & ~all_neg
            pan = here if pan is None else (pan & here)
        return _argwhere(pan)
    dt = _mask_dtype(d)
    bits = np.left_shift(dt(1), vals.astype(dt))  # type: ignore[union-attr]
    mask = _reduce_cells(bits, np.bitwise_or)
    full = dt((1 << (d + 1)) - 1)
    return _argwhere(mask == full)


# ----------------------------------------------------------------------------------------------
# Kuhn (Freudenthal) triangulation
# ----------------------------------------------------------------------------------------------


def kuhn_perms(d: int) -> np.ndarray:
    """All permutations of ``range(d)`` in lexicographic order, shape ``(d!, d)``."""
    return np.array(list(itertools.permutations(range(d))), dtype=np.int64).reshape(-1, d)


def perm_sign(p: np.ndarray) -> np.ndarray:
    """Sign (+1/-1) of each permutation in the rows of *p* (shape ``(m, k)``), by inversions."""
    p = np.asarray(p)
    k = p.shape[-1]
    inv = np.zeros(p.shape[:-1], dtype=np.int64)
    for i in range(k):
        for j in range(i + 1, k):
            inv += p[..., i] > p[..., j]
    return np.where(inv % 2 == 0, 1, -1).astype(np.int8)


def kuhn_simplex_vertices(cell: Any, perm: Any) -> np.ndarray:
    r"""Vertices :math:`v^0, \dots, v^d` of the Kuhn simplex ``(cell, perm)``.

    .. math:: v^0 = c, \qquad v^{j} = v^{j-1} + e_{\pi_{j-1}} \quad (j = 1..d).

    The ``d!`` simplices of a cell (one per permutation :math:`\pi`) triangulate it, and these
    triangulations fit together across the grid (Freudenthal/Kuhn). The ordered tuple
    :math:`(v^0, \dots, v^d)` has orientation :math:`\operatorname{sign}\pi`.

    Parameters
    ----------
    cell : sequence of int
        Lower corner ``c`` of the cell.
    perm : sequence of int
        The permutation :math:`\pi` of ``0..d-1``.

    Returns
    -------
    numpy.ndarray
        Shape ``(d+1, d)``.

    Examples
    --------
    >>> kuhn_simplex_vertices((0, 0), (1, 0)).tolist()
    [[0, 0], [0, 1], [1, 1]]
    """
    c = np.asarray(cell, dtype=np.int64)
    p = np.asarray(perm, dtype=np.int64)
    d = c.shape[0]
    if p.shape != (d,) or sorted(p.tolist()) != list(range(d)):
        raise InvalidArgument(f"perm must be a permutation of range({d}), got perm={short_repr(perm)}")
    out = np.repeat(c[None, :], d + 1, axis=0)
    for j in range(1, d + 1):
        out[j:, p[j - 1]] += 1
    return out


class KuhnSimplices(NamedTuple):
    """Kuhn simplices, one per row.

    Attributes
    ----------
    cells : numpy.ndarray
        int64 lower corners of the cells, shape ``(k, d)``.
    perms : numpy.ndarray
        int64 permutations, shape ``(k, d)``.
    orientations : numpy.ndarray
        int8 ``+1``/``-1``: the sign of :math:`\\det[w_1-w_0, \\dots, w_d-w_0]` where
        :math:`w_m` is the vertex labelled ``m``.

    Examples
    --------
    >>> from constructions.sperner import planted_instance
    >>> inst = planted_instance(10, 2, target=(6, 5), rng=0)
    >>> ks = fully_labelled_simplices(inst.colouring)
    >>> ks.cells.tolist(), ks.perms.tolist(), ks.orientations.tolist()
    ([[6, 5]], [[1, 0]], [1])
    """

    cells: np.ndarray
    perms: np.ndarray
    orientations: np.ndarray

    def __len__(self) -> int:  # type: ignore[override]
        return int(self.cells.shape[0])


def _simplex_label_slices(L: np.ndarray, perm: np.ndarray, shape: tuple[int, ...]) -> list[np.ndarray]:
    """Labels of vertex ``j`` of simplex ``(c, perm)`` for all cells ``c`` with ``c < shape``."""
    d = L.ndim
    off = [0] * d
    out = []
    for j in range(d + 1):
        out.append(L[tuple(slice(o, o + s) for o, s in zip(off, shape, strict=True))])
        if j < d:
            off[int(perm[j])] += 1
    return out


def check_box(lo: Any, hi: Any, n: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    """Validate a vertex box ``[lo, hi]`` (inclusive) with ``0 <= lo < hi <= N-1``."""
    lo_a = np.zeros(d, dtype=np.int64) if lo is None else np.asarray(lo)
    hi_a = np.full(d, n - 1, dtype=np.int64) if hi is None else np.asarray(hi)
    for name, arr, val in (("lo", lo_a, lo), ("hi", hi_a, hi)):
        if arr.shape != (d,) or not np.issubdtype(arr.dtype, np.integer) or arr.dtype == bool:
            raise InvalidArgument(f"{name} must be {d} integers, got {name}={short_repr(val)}")
    lo_a, hi_a = lo_a.astype(np.int64), hi_a.astype(np.int64)
    if lo_a.min() < 0 or hi_a.max() > n - 1 or np.any(lo_a >= hi_a):
        raise InvalidArgument(
            f"need 0 <= lo < hi <= N-1={n - 1} on every axis, got lo={lo_a.tolist()}, hi={hi_a.tolist()}"
        )
    return lo_a, hi_a


def fully_labelled_simplices(
    colouring: Colouring,
    *,
    lo: Any = None,
    hi: Any = None,
    max_vertices: int = DEFAULT_MAX_VERTICES,
) -> KuhnSimplices:
    r"""All fully labelled Kuhn simplices (Sperner solutions), optionally inside a sub-box.

    For a BiSperner colouring the labels are :math:`\ell(v) = \min\{i : C^i(v) = -1\}`. A simplex
    is fully labelled when its ``d+1`` vertices carry the labels ``0..d``. Its orientation is
    :math:`\operatorname{sign}\det[w_1 - w_0, \dots, w_d - w_0]` with :math:`w_m` the vertex
    labelled ``m``, computed as :math:`\operatorname{sign}(\pi)\operatorname{sign}(\lambda)` where
    :math:`\lambda_j` is the label of :math:`v^j`. The search is one vectorised pass per
    permutation (``d!`` passes).

    Parameters
    ----------
    colouring : Colouring
        Dense, or implicit with at most *max_vertices* vertices.
    lo, hi : sequence of int, optional
        Vertex box ``[lo, hi]`` (inclusive, ``lo < hi``); only simplices in its cells are
        returned. Default: the whole grid.

    Returns
    -------
    KuhnSimplices
        Sorted by cell, then permutation.

    Examples
    --------
    >>> from constructions.sperner import sperner_colouring
    >>> col = sperner_colouring(np.array([[0, 2], [1, 1]]))
    >>> s = fully_labelled_simplices(col)
    >>> s.cells.tolist(), s.perms.tolist(), s.orientations.tolist()
    ([[0, 0]], [[1, 0]], [1])
    """
    col = check_colouring(colouring)
    d = col.d
    lo_a, hi_a = check_box(lo, hi, col.n, d)
    L = label_array(col, max_vertices=max_vertices)
    # the box, C-contiguous: every vertex v^j of simplex (c, perm) is at flat index f(c) + offs[j]
    L = np.ascontiguousarray(L[tuple(slice(a, b + 1) for a, b in zip(lo_a, hi_a, strict=True))])
    box = L.shape
    shape = tuple(s - 1 for s in box)  # cells of the box
    Lf = L.reshape(-1)
    strides = [math.prod(box[i + 1 :]) for i in range(d)]
    n_lower = Lf.size - sum(strides)  # lower corners have flat index < n_lower
    is_cell = np.zeros(box, dtype=bool)
    is_cell[tuple(slice(0, s) for s in shape)] = True
    is_cell = is_cell.reshape(-1)[:n_lower]
    perms = kuhn_perms(d)
    n_perms = len(perms)
    if 2 * n_perms * Lf.size >= 2**63:
        raise InvalidArgument(f"too many Kuhn simplices to enumerate for d={d} in a box of {box} vertices")
    psign = perm_sign(perms)
    dt = _mask_dtype(d)
    bits = np.left_shift(dt(1), Lf.astype(dt))
    full = dt((1 << (d + 1)) - 1)
    keys, labs, found = [], [], []  # per permutation with hits: keys, vertex labels, its index
    for k, p in enumerate(perms):
        offs = np.cumsum([0] + [strides[a] for a in p]).tolist()
        mask = bits[:n_lower].copy()
        for o in offs[1:]:
            mask |= bits[o : o + n_lower]
        hit = mask == full
        hit &= is_cell
        flat = np.flatnonzero(hit)  # lexicographic order of the cells
        if not flat.size:
            continue
        labs.append([np.take(Lf[o : o + n_lower], flat) for o in offs])  # labels of v^0..v^d
        # one int64 key per simplex: (cell, perm) in lexicographic order (kuhn_perms is sorted),
        # the orientation goes in the lowest bit below
        flat *= 2 * n_perms
        flat += 2 * k
        keys.append(flat)
        found.append(k)
    if not keys:
        e = np.zeros((0, d), dtype=np.int64)
        return KuhnSimplices(e, e.copy(), np.zeros(0, dtype=np.int8))
    key = np.concatenate(keys)
    # orientation sign(pi) * sign(labels of v^0..v^d): parity of pi and of the label inversions
    odd = np.repeat(psign[found] < 0, [len(x) for x in keys])
    lab = [np.concatenate([x[j] for x in labs]) for j in range(d + 1)]
    for i in range(d + 1):
        for j in range(i + 1, d + 1):
            odd ^= lab[i] > lab[j]
    key += ~odd  # positive orientation: even parity
    # d! runs, each already sorted: the stable sort (timsort) merges them
    key = np.sort(key, kind="stable")
    orient = (key & 1).astype(np.int8)
    orient *= 2
    orient -= 1
    key >>= 1
    rest = key // n_perms
    k_idx = key - rest * n_perms
    cells = _unravel_rows(rest, box)
    cells += lo_a
    return KuhnSimplices(cells, np.take(perms, k_idx, axis=0), orient)


def _unravel_rows(flat: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """C-order flat indices to int64 index rows ``(k, len(shape))`` (``np.unravel_index``, stacked).

    Integer division by a scalar is much faster than ``np.nonzero``/``np.argwhere`` on an
    n-dimensional mask, so masks are searched with ``np.flatnonzero`` and decoded here.
    """
    out = np.empty((len(flat), len(shape)), dtype=np.int64)
    rest = flat
    for i in range(len(shape) - 1, 0, -1):  # mixed radix: the last axis varies fastest
        q = rest // shape[i]
        out[:, i] = rest - q * shape[i]
        rest = q
    out[:, 0] = rest
    return out


def _argwhere(mask: np.ndarray) -> np.ndarray:
    """``np.argwhere(mask)`` as int64 (same rows, same order), faster on large n-dimensional masks."""
    return _unravel_rows(np.flatnonzero(mask), mask.shape)


# ----------------------------------------------------------------------------------------------
# 2d-vertex certificates of high-dimensional solutions (DSZ HighD-BiSperner, type 1)
# ----------------------------------------------------------------------------------------------


class Certificate(NamedTuple):
    r"""The DSZ ``2d``-vertex certificate of a panchromatic cell.

    Attributes
    ----------
    cell : tuple of int
        Lower corner of the common cell.
    v : numpy.ndarray
        Shape ``(d, d)``; row ``i`` is :math:`v^{(i)}`, a corner with :math:`C^i(v^{(i)}) = -1`.
    u : numpy.ndarray
        Shape ``(d, d)``; row ``i`` is :math:`u^{(i)}`, a corner with :math:`C^i(u^{(i)}) = +1`.

    Examples
    --------
    >>> from constructions.sperner import planted_instance
    >>> inst = planted_instance(10, 2, target=(6, 5), rng=0)
    >>> cert = find_certificate(inst.colouring, (6, 5))
    >>> cert.cell, cert.v.shape, check_certificate(inst.colouring, cert).valid
    ((6, 5), (2, 2), True)
    """

    cell: tuple[int, ...]
    v: np.ndarray
    u: np.ndarray


class CertificateCheck(NamedTuple):
    """Outcome of :func:`check_certificate`.

    Attributes
    ----------
    valid : bool
        All ``2d`` conditions hold.
    message : str
        One sentence: what holds, or the first condition that fails.
    n_queries : int
        Colour queries made (always ``2d``; repeated vertices are counted again).

    Examples
    --------
    >>> from constructions.sperner import planted_instance
    >>> inst = planted_instance(10, 2, target=(6, 5), rng=0)
    >>> chk = check_certificate(inst.colouring, find_certificate(inst.colouring, (6, 5)))
    >>> chk.valid, chk.n_queries
    (True, 4)
    """

    valid: bool
    message: str
    n_queries: int


def _require_bisperner(col: Colouring) -> None:
    if col.kind != "bisperner":
        raise InvalidArgument(
            f"certificates are for BiSperner colourings, got a colouring of kind={col.kind!r}"
        )


def certificate_from_simplex(colouring: Colouring, cell: Any, perm: Any) -> Certificate:
    r"""Certificate from a fully labelled Kuhn simplex of :math:`\ell` (notes section 2.3).

    :math:`u^{(i)}` is the vertex labelled 0 (all signs ``+1``) for every ``i``, and
    :math:`v^{(i)}` is the vertex labelled ``i+1`` (whose sign ``i`` is ``-1``). Needs ``d+1``
    queries, so it works for ``d = 50``.

    Parameters
    ----------
    colouring : Colouring
        A BiSperner colouring.
    cell, perm : sequence of int
        The Kuhn simplex (fully labelled for :math:`\ell`).

    Returns
    -------
    Certificate

    Examples
    --------
    >>> from constructions.sperner import bisperner_colouring
    >>> col = bisperner_colouring(np.array([[[1, 1], [1, -1]], [[-1, 1], [-1, -1]]]))
    >>> cert = certificate_from_simplex(col, (0, 0), (1, 0))
    >>> check_certificate(col, cert).valid
    True
    """
    col = check_colouring(colouring)
    _require_bisperner(col)
    c = check_cell(cell, col.n, col.d)
    verts = kuhn_simplex_vertices(c, perm)
    lab = sperner_labels(col._query(verts))
    if sorted(lab.tolist()) != list(range(col.d + 1)):
        raise InvalidArgument(
            f"simplex (cell={c.tolist()}, perm={list(perm)}) is not fully labelled: labels {lab.tolist()}"
        )
    where = {int(lab[j]): j for j in range(col.d + 1)}
    u = np.repeat(verts[where[0]][None, :], col.d, axis=0)
    v = np.stack([verts[where[i + 1]] for i in range(col.d)])
    return Certificate(tuple(int(x) for x in c), v, u)


def find_certificate(colouring: Colouring, cell: Any) -> Certificate | None:
    """Certificate for a cell by scanning its ``2^d`` corners (``d <= 24``); None if not panchromatic.

    Parameters
    ----------
    colouring : Colouring
        A BiSperner colouring.
    cell : sequence of int
        Lower corner of the cell.

    Returns
    -------
    Certificate or None

    Examples
    --------
    >>> from constructions.sperner import planted_instance
    >>> inst = planted_instance(12, 3, target=(2, 7, 4), rng=1)
    >>> cert = find_certificate(inst.colouring, (2, 7, 4))
    >>> check_certificate(inst.colouring, cert).valid
    True
    """
    col = check_colouring(colouring)
    _require_bisperner(col)
    if col.d > 24:
        raise InvalidArgument(f"find_certificate enumerates 2^d corners; d={col.d} is too large")
    c = check_cell(cell, col.n, col.d)
    corners = cell_corners(c)
    signs = col._query(corners)
    v, u = [], []
    for i in range(col.d):
        neg = np.nonzero(signs[:, i] < 0)[0]
        pos = np.nonzero(signs[:, i] > 0)[0]
        if not len(neg) or not len(pos):
            return None
        v.append(corners[neg[0]])
        u.append(corners[pos[0]])
    return Certificate(tuple(int(x) for x in c), np.stack(v), np.stack(u))


def check_certificate(colouring: Colouring, certificate: Certificate) -> CertificateCheck:
    r"""Verify a ``2d``-vertex certificate independently, with exactly ``2d`` queries.

    Conditions: every :math:`v^{(i)}, u^{(i)}` is a corner of the cell (``c <= w <= c + 1``
    componentwise, ``c`` in ``{0..N-2}^d``), :math:`C^i(v^{(i)}) = -1` and
    :math:`C^i(u^{(i)}) = +1`.

    Parameters
    ----------
    colouring : Colouring
        A BiSperner colouring.
    certificate : Certificate
        The certificate to check.

    Returns
    -------
    CertificateCheck
        ``valid`` and a one-sentence ``message``; a malformed certificate (wrong shapes, vertices
        outside the grid) raises :class:`InvalidArgument` instead.

    Examples
    --------
    >>> from constructions.sperner import bisperner_colouring
    >>> col = bisperner_colouring(np.array([[[1, 1], [1, -1]], [[-1, 1], [-1, -1]]]))
    >>> bad = Certificate((0, 0), np.array([[0, 0], [0, 1]]), np.array([[0, 0], [0, 0]]))
    >>> check_certificate(col, bad).message
    'C^0(v^(0)) = +1, expected -1 at v^(0)=(0, 0)'
    """
    col = check_colouring(colouring)
    _require_bisperner(col)
    if not isinstance(certificate, Certificate):
        raise InvalidArgument(f"certificate must be a Certificate, got certificate={short_repr(certificate)}")
    d = col.d
    c = check_cell(certificate.cell, col.n, d, name="certificate.cell")
    v = check_vertices(certificate.v, col.n, d, name="certificate.v")
    u = check_vertices(certificate.u, col.n, d, name="certificate.u")
    if v.shape != (d, d) or u.shape != (d, d):
        raise InvalidArgument(f"certificate.v and certificate.u must have shape ({d}, {d})")
    for name, w in (("v", v), ("u", u)):
        off = w - c[None, :]
        bad = np.nonzero(np.any((off < 0) | (off > 1), axis=1))[0]
        if len(bad):
            i = int(bad[0])
            return CertificateCheck(
                False,
                f"{name}^({i})={tuple(int(x) for x in w[i])} is not a corner of cell {tuple(c.tolist())}",
                0,
            )
    sv = col._query(v)
    su = col._query(u)
    for i in range(d):
        if sv[i, i] != -1:
            return CertificateCheck(
                False, f"C^{i}(v^({i})) = +1, expected -1 at v^({i})={tuple(int(x) for x in v[i])}", 2 * d
            )
        if su[i, i] != 1:
            return CertificateCheck(
                False, f"C^{i}(u^({i})) = -1, expected +1 at u^({i})={tuple(int(x) for x in u[i])}", 2 * d
            )
    return CertificateCheck(True, f"valid certificate of the panchromatic cell {tuple(c.tolist())}", 2 * d)


def n_simplices_per_cell(d: int) -> int:
    """``d!``, the number of Kuhn simplices in a cell."""
    return math.factorial(d)


def label_of_vertices(colouring: Colouring, V: np.ndarray) -> np.ndarray:
    """Sperner labels (``l`` for BiSperner) of vertices *V*, shape ``(m, d)`` (no validation)."""
    return label_oracle(colouring)(V)
