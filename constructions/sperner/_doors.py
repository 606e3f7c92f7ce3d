r"""The PPAD view of a colouring: doors, the door graph, path following and the boundary index.

Doors
-----
Work in the Kuhn triangulation with the Sperner labels ``l`` (for a BiSperner colouring,
``l = min{i : C^i = -1}``). A *door* is a facet of a Kuhn simplex whose ``d`` vertices carry exactly
the labels ``0, ..., d-1`` (the label ``d`` is missing). A simplex has

* one door if it is fully labelled (a solution),
* two doors if its labels are ``{0..d-1}`` with one label repeated,
* no door otherwise.

For a proper colouring doors on the grid boundary can only lie on the face ``v_{d-1} = 0`` (label
``d`` is forbidden there, every other face forbids one of the labels ``0..d-1``), and that face is
itself a proper ``(d-1)``-dimensional instance.

Orientation
-----------
For a door ``F`` of a simplex ``S`` let :math:`\sigma(F, S) = \operatorname{sign}\det[f_1 - f_0,
\dots, f_{d-1} - f_0, x - f_0]` where :math:`f_m` is the vertex of ``F`` labelled ``m`` and ``x`` is
the vertex of ``S`` opposite ``F``. The two doors of a two-door simplex have opposite signs, the two
simplices sharing a door see it with opposite signs, and the door of a fully labelled simplex has
the sign of the simplex's orientation. The door graph directs every door *into* the simplex that
sees it with :math:`\sigma = +1`. Consequently

* positively oriented solutions are sinks, negatively oriented ones are sources;
* a boundary door with :math:`\sigma = +1` is an *entry* (the path enters the grid through it);
* the index of a box, :math:`\sum \sigma` over the doors on its boundary, equals
  ``#positive - #negative`` solutions inside (every interior door cancels), and it is ``+1`` for the
  whole grid of a proper colouring (by induction over the face ``v_{d-1} = 0``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import networkx as nx
import numpy as np

from .._errors import InvalidArgument
from .._validation import short_repr
from ._checks import _mask_dtype, _simplex_label_slices, check_box, check_cell, kuhn_perms, perm_sign
from ._colouring import Colouring, check_colouring, label_array, label_oracle

__all__ = [
    "BoundaryDoor",
    "DoorPath",
    "boundary_doors",
    "boundary_index",
    "door_graph",
    "follow_doors",
]


class BoundaryDoor(NamedTuple):
    """A door on the boundary of a box, seen from the simplex inside.

    Attributes
    ----------
    cell, perm : tuple of int
        The Kuhn simplex inside the box.
    k : int
        Index of the simplex vertex opposite the door (``0`` or ``d``).
    sign : int
        :math:`\\sigma = +1`: an entry (the door path enters the box here); ``-1``: an exit.

    Examples
    --------
    >>> from constructions.sperner import planted_instance
    >>> inst = planted_instance(10, 2, target=(6, 5), rng=0)
    >>> door = boundary_doors(inst.colouring)[0]
    >>> door.sign, door == inst.entry                  # the entry of the planted door path
    (1, True)
    """

    cell: tuple[int, ...]
    perm: tuple[int, ...]
    k: int
    sign: int


class DoorPath(NamedTuple):
    """A path of simplices obtained by following doors.

    Attributes
    ----------
    simplices : tuple of (cell, perm)
        The simplices visited, in order, the first and last included.
    end : {'solution', 'boundary', 'cycle'}
        Why the walk stopped: a fully labelled simplex was reached, the walk left the grid
        through a boundary door, or it came back to its start.

    Examples
    --------
    >>> from constructions.sperner import planted_instance
    >>> inst = planted_instance(10, 2, target=(6, 5), rng=0)
    >>> path = follow_doors(inst.colouring, inst.entry.cell, inst.entry.perm)
    >>> path.end, len(path.simplices) == inst.path_length, path.simplices[-1][0]
    ('solution', True, (6, 5))
    """

    simplices: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]
    end: str

    @property
    def length(self) -> int:
        """Number of simplices on the path."""
        return len(self.simplices)


def _box_slab_labels(col: Colouring, lo: np.ndarray, hi: np.ndarray, oracle: Any) -> np.ndarray:
    """Labels of all vertices of the vertex box ``[lo, hi]``, shape ``hi - lo + 1``."""
    shape = tuple(int(x) for x in hi - lo + 1)
    if col.values is not None and col.kind == "sperner":
        return col.values[tuple(slice(a, b + 1) for a, b in zip(lo, hi, strict=True))]
    V = np.moveaxis(np.indices(shape, dtype=np.int64), 0, -1) + lo
    return oracle(V.reshape(-1, col.d)).reshape(shape)


def _facet_hits(labs: list[np.ndarray], k: int, d: int) -> np.ndarray:
    """Mask of simplices whose facet opposite vertex *k* carries exactly the labels ``0..d-1``."""
    dt = _mask_dtype(d)
    low = dt((1 << d) - 1)
    acc = np.zeros(labs[0].shape, dtype=dt)
    for j, lab in enumerate(labs):
        if j != k:
            acc |= np.left_shift(dt(1), lab.astype(dt))
    return acc == low


def _door_signs(perm: np.ndarray, lab_rows: np.ndarray, k: int | np.ndarray, d: int) -> np.ndarray:
    """:math:`\\sigma` for the facet opposite vertex *k*: sign(perm) * sign(labels with l_k := d)."""
    w = lab_rows.astype(np.int64).copy()
    rows = np.arange(len(w))
    w[rows, k] = d
    return perm_sign(perm) * perm_sign(w)


def _boundary_door_arrays(col: Colouring, lo: np.ndarray, hi: np.ndarray) -> list[BoundaryDoor]:
    d = col.d
    oracle = label_oracle(col)
    perms = kuhn_perms(d)
    out: list[BoundaryDoor] = []
    for j in range(d):
        for face in ("lower", "upper"):
            cj = lo[j] if face == "lower" else hi[j] - 1
            slo, shi = lo.copy(), hi.copy()
            slo[j], shi[j] = cj, cj + 1
            L = _box_slab_labels(col, slo, shi, oracle)
            cshape = tuple(int(x) for x in shi - slo)
            k = d if face == "lower" else 0
            for p in perms:
                if (face == "lower" and p[d - 1] != j) or (face == "upper" and p[0] != j):
                    continue
                labs = _simplex_label_slices(L, p, cshape)
                hit = _facet_hits(labs, k, d)
                idx = np.argwhere(hit)
                if not len(idx):
                    continue
                rows = np.stack([lab[hit] for lab in labs], axis=1)
                sig = _door_signs(p, rows, k, d)
                for r in range(len(idx)):
                    cell = tuple(int(x) for x in idx[r] + slo)
                    out.append(BoundaryDoor(cell, tuple(int(x) for x in p), k, int(sig[r])))
    return out


def boundary_doors(colouring: Colouring, *, lo: Any = None, hi: Any = None) -> tuple[BoundaryDoor, ...]:
    r"""Doors on the boundary of the vertex box ``[lo, hi]`` (default: the whole grid).

    Only the ``2d`` faces of the box are queried (a slab two vertices thick on each face), so this
    also works on a small box of a huge implicit colouring.

    Parameters
    ----------
    colouring : Colouring
        The colouring.
    lo, hi : sequence of int, optional
        Corners of the vertex box (default: the whole grid).

    Returns
    -------
    tuple of BoundaryDoor
        Sorted by (cell, perm, k); ``sign=+1`` marks entries.

    Examples
    --------
    >>> from constructions.sperner import planted_instance
    >>> inst = planted_instance(10, 2, target=(6, 5), rng=0)
    >>> boundary_doors(inst.colouring)
    (BoundaryDoor(cell=(0, 0), perm=(0, 1), k=2, sign=1),)
    """
    col = check_colouring(colouring)
    lo_a, hi_a = check_box(lo, hi, col.n, col.d)
    return tuple(sorted(_boundary_door_arrays(col, lo_a, hi_a)))


def boundary_index(colouring: Colouring, *, lo: Any = None, hi: Any = None) -> int:
    r"""Index (degree) of the boundary of the vertex box ``[lo, hi]``.

    .. math:: \operatorname{ind}(B) = \sum_{F \text{ door on } \partial B} \sigma(F, S_F)
              = \#\{\text{positive solutions in } B\} - \#\{\text{negative solutions in } B\},

    where :math:`S_F` is the simplex inside ``B`` containing ``F``. A non-zero index proves that
    ``B`` contains a solution, which is the basis of divide-and-conquer solvers; the whole grid of
    a proper colouring has index ``+1``. Costs ``O(d * boundary)`` label queries.

    Parameters
    ----------
    colouring : Colouring
        Sperner or BiSperner (via ``l``), dense or implicit.
    lo, hi : sequence of int, optional
        Box corners, ``0 <= lo < hi <= N-1``; default the whole grid.

    Returns
    -------
    int

    Examples
    --------
    >>> from constructions.sperner import random_colouring
    >>> boundary_index(random_colouring(9, 3, rng=4))
    1
    """
    return int(sum(b.sign for b in boundary_doors(colouring, lo=lo, hi=hi)))


def _pivot(cell: list[int], perm: list[int], k: int, d: int) -> tuple[list[int], list[int], int]:
    """The Kuhn simplex across the facet opposite vertex *k*, and that facet's index in it."""
    if k == 0:
        c = list(cell)
        c[perm[0]] += 1
        return c, perm[1:] + perm[:1], d
    if k == d:
        c = list(cell)
        c[perm[d - 1]] -= 1
        return c, perm[-1:] + perm[:-1], 0
    p = list(perm)
    p[k - 1], p[k] = p[k], p[k - 1]
    return list(cell), p, k


def _vertices(cell: list[int], perm: list[int]) -> list[tuple[int, ...]]:
    v = list(cell)
    out = [tuple(v)]
    for a in perm:
        v[a] += 1
        out.append(tuple(v))
    return out


def follow_doors(
    colouring: Colouring,
    cell: Any,
    perm: Any,
    *,
    enter: int | None = None,
    max_steps: int | None = None,
) -> DoorPath:
    r"""Follow doors from a simplex until a solution, the grid boundary, or back to the start.

    The walk is the Lemke–Howson/End-of-Line path of the colouring: from the current simplex it
    leaves through the door other than the one it entered by. It ignores door directions, so it
    walks backwards as well as forwards.

    Parameters
    ----------
    colouring : Colouring
        Sperner or BiSperner (via ``l``).
    cell, perm : sequence of int
        The starting Kuhn simplex; it must have a door.
    enter : int, optional
        Index of the vertex opposite the door the walk entered by (e.g. ``k`` of a
        :class:`BoundaryDoor`); that door is not used to leave. If omitted the start must be a
        solution or the walk leaves by its first door.
    max_steps : int, optional
        Safety bound; default ``2 * d! * (N-1)^d + 2``.

    Returns
    -------
    DoorPath

    Examples
    --------
    >>> from constructions.sperner import planted_instance
    >>> inst = planted_instance(10, 2, target=(6, 5), rng=0)
    >>> e = inst.entry
    >>> path = follow_doors(inst.colouring, e.cell, e.perm, enter=e.k)
    >>> path.end, path.length == inst.path_length
    ('solution', True)
    """
    col = check_colouring(colouring)
    d, n = col.d, col.n
    c0 = check_cell(cell, n, d).tolist()
    p0 = np.asarray(perm)
    if p0.shape != (d,) or sorted(p0.tolist()) != list(range(d)):
        raise InvalidArgument(f"perm must be a permutation of range({d}), got perm={short_repr(perm)}")
    p0 = [int(x) for x in p0]
    if enter is not None and not (0 <= int(enter) <= d):
        raise InvalidArgument(f"enter must be in 0..{d}, got enter={enter!r}")
    if max_steps is None:
        import math

        max_steps = 2 * math.factorial(d) * (n - 1) ** d + 2
    dense = None
    if col.n_vertices <= 2**26:
        dense = label_array(col)
    oracle = label_oracle(col)

    def labels_of(verts: list[tuple[int, ...]]) -> list[int]:
        if dense is not None:
            return [int(dense[v]) for v in verts]
        return [int(x) for x in oracle(np.array(verts, dtype=np.int64))]

    target = set(range(d))
    full = set(range(d + 1))
    cur_c, cur_p, k_in = c0, p0, (None if enter is None else int(enter))
    start = (tuple(c0), tuple(p0))
    path: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    while True:
        labs = labels_of(_vertices(cur_c, cur_p))
        path.append((tuple(cur_c), tuple(cur_p)))
        if set(labs) == full and (len(path) > 1 or k_in is not None):
            return DoorPath(tuple(path), "solution")
        outs = [k for k in range(d + 1) if k != k_in and set(labs[:k] + labs[k + 1 :]) == target]
        if not outs:
            if len(path) == 1:
                raise InvalidArgument(
                    f"simplex (cell={c0}, perm={p0}) has no door to leave by (labels {labs})"
                )
            raise InvalidArgument("inconsistent door structure")  # pragma: no cover
        cur_c, cur_p, k_in = _pivot(cur_c, cur_p, outs[0], d)
        if min(cur_c) < 0 or max(cur_c) > n - 2:
            return DoorPath(tuple(path), "boundary")
        if (tuple(cur_c), tuple(cur_p)) == start:
            return DoorPath(tuple(path), "cycle")
        if len(path) >= max_steps:
            raise InvalidArgument(f"door walk exceeded max_steps={max_steps}")


def door_graph(colouring: Colouring, *, lo: Any = None, hi: Any = None) -> nx.DiGraph:
    r"""The door graph of the colouring inside the vertex box ``[lo, hi]`` as a networkx DiGraph.

    Nodes are Kuhn simplices ``(cell, perm)`` that have a door, plus one node
    ``('boundary', cell, perm, k)`` per door on the box boundary. Edges cross doors, directed into
    the simplex that sees the door with :math:`\sigma = +1` (see the module docstring). Every
    simplex node has in- and out-degree 1 except the solutions: positively oriented solutions
    have in-degree 1 and out-degree 0, negatively oriented ones the reverse. Boundary nodes have
    degree 1: out-degree 1 for entries, in-degree 1 for exits.

    Node attributes: ``kind`` (``'simplex'`` or ``'boundary'``), ``labels`` (simplex vertex labels),
    ``solution`` (bool) and ``orientation`` (``+1``/``-1``, solutions only).

    Parameters
    ----------
    colouring : Colouring
        The colouring (every vertex of the box is read).
    lo, hi : sequence of int, optional
        Corners of the vertex box (default: the whole grid).

    Returns
    -------
    networkx.DiGraph

    Examples
    --------
    >>> from constructions.sperner import planted_instance
    >>> g = door_graph(planted_instance(8, 2, target=(4, 4), rng=0).colouring)
    >>> sorted((v for v in g if g.degree(v) == 1), key=str)
    [('boundary', (6, 0), (0, 1), 2), ((4, 4), (1, 0))]
    """
    col = check_colouring(colouring)
    d = col.d
    lo_a, hi_a = check_box(lo, hi, col.n, d)
    L = _box_slab_labels(col, lo_a, hi_a, label_oracle(col))
    cshape = tuple(int(x) for x in hi_a - lo_a)
    dt = _mask_dtype(d)
    low = dt((1 << d) - 1)
    g = nx.DiGraph()
    lo_l, hi_l = lo_a.tolist(), hi_a.tolist()
    for p in kuhn_perms(d):
        labs = _simplex_label_slices(L, p, cshape)
        acc = np.zeros(cshape, dtype=dt)
        for lab in labs:
            acc |= np.left_shift(dt(1), lab.astype(dt))
        door = (acc & low) == low
        idx = np.argwhere(door)
        if not len(idx):
            continue
        rows = np.stack([lab[door] for lab in labs], axis=1)
        full = acc[door] == dt((1 << (d + 1)) - 1)
        orient = perm_sign(p) * perm_sign(rows)
        pl = [int(x) for x in p]
        sig_by_k = {}
        ok_by_k = {}
        for k in range(d + 1):
            ok = _facet_hits([lab[door] for lab in labs], k, d)
            ok_by_k[k] = ok
            sig_by_k[k] = _door_signs(p, rows, k, d)
        for r in range(len(idx)):
            cell = [int(x) + o for x, o in zip(idx[r], lo_l, strict=True)]
            node = (tuple(cell), tuple(pl))
            attrs: dict[str, Any] = {"kind": "simplex", "labels": tuple(int(x) for x in rows[r])}
            attrs["solution"] = bool(full[r])
            if full[r]:
                attrs["orientation"] = int(orient[r])
            g.add_node(node, **attrs)
            for k in range(d + 1):
                if not ok_by_k[k][r]:
                    continue
                nc, np_, _ = _pivot(cell, pl, k, d)
                inside = all(lo_l[a] <= nc[a] <= hi_l[a] - 1 for a in range(d))
                other = (tuple(nc), tuple(np_)) if inside else ("boundary", tuple(cell), tuple(pl), k)
                if not inside:
                    g.add_node(other, kind="boundary", solution=False)
                if sig_by_k[k][r] > 0:
                    g.add_edge(other, node)
                else:
                    g.add_edge(node, other)
    return g
