"""Sperner and BiSperner colourings of the grid ``{0, ..., N-1}^d``: one record, two representations.

Conventions used throughout :mod:`constructions.sperner`
--------------------------------------------------------
* Vertices are integer vectors ``v in {0, ..., N-1}^d``; axes are numbered ``0, ..., d-1``.
  A *cell* (cubelet) is named by its lower corner ``c in {0, ..., N-2}^d`` and has the ``2^d``
  corners ``c + {0, 1}^d``.
* **BiSperner** (DSZ): every vertex carries a sign vector ``C(v) in {-1, +1}^d``. The colouring is
  *proper* when ``C^i(v) = +1`` on the lower face ``v_i = 0`` and ``C^i(v) = -1`` on the upper face
  ``v_i = N-1``.
* **Sperner** (cubical): every vertex carries one label ``l(v) in {0, ..., d}``. Label ``i >= 1``
  belongs to axis ``i-1``. The colouring is *proper* when

  - label ``i >= 1`` never appears on the lower face ``v_{i-1} = 0``, and
  - label ``0`` never appears on any upper face ``v_j = N-1``.

  These are exactly the conditions that the reduction ``l(v) = min{i : C^i(v) = -1}`` (``0`` if
  there is no such ``i``, axes counted from 1) produces from a proper BiSperner colouring, see
  :func:`sperner_labels` and notes section 2.3.

A :class:`Colouring` is either *dense* (an integer numpy array holding every vertex) or *implicit*
(a vectorised function of vertices, for grids of any size such as ``N = 2**20`` in 2D or
``d = 50``). Both answer the same query interface, ``colouring(vertices)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from .._errors import InvalidArgument
from .._validation import as_positive_int, short_repr

__all__ = [
    "Colouring",
    "Kind",
    "sperner_colouring",
    "bisperner_colouring",
    "implicit_colouring",
    "sperner_labels",
    "bisperner_to_sperner",
]

Kind = Literal["sperner", "bisperner"]
_KINDS = ("sperner", "bisperner")

#: largest grid that :meth:`Colouring.to_dense` materialises by default
DEFAULT_MAX_VERTICES = 2**26


def _check_kind(kind: Any) -> str:
    if kind not in _KINDS:
        raise InvalidArgument(f"kind must be 'sperner' or 'bisperner', got kind={kind!r}")
    return str(kind)


def check_vertices(vertices: Any, n: int, d: int, name: str = "vertices") -> np.ndarray:
    """Return *vertices* as an int64 array of shape ``(..., d)`` with entries in ``[0, n-1]``."""
    try:
        arr = np.asarray(vertices)
    except (TypeError, ValueError) as exc:  # pragma: no cover - exotic input
        raise InvalidArgument(f"{name} must be integer vertices, got {name}={short_repr(vertices)}") from exc
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.integer) or arr.size == 0):
        if np.issubdtype(arr.dtype, np.floating) and arr.size and np.all(arr == np.round(arr)):
            arr = arr.astype(np.int64)
        else:
            raise InvalidArgument(
                f"{name} must hold integer coordinates, got dtype {arr.dtype} for "
                f"{name}={short_repr(vertices)}"
            )
    if arr.ndim == 0 or arr.shape[-1] != d:
        raise InvalidArgument(
            f"{name} must have shape (..., {d}), got shape {arr.shape} for {name}={short_repr(vertices)}"
        )
    arr = arr.astype(np.int64, copy=False)
    if arr.size and (arr.min() < 0 or arr.max() > n - 1):
        raise InvalidArgument(
            f"{name} must lie in the grid {{0..{n - 1}}}^{d}, got {name}={short_repr(vertices)}"
        )
    return arr


@dataclass(frozen=True, eq=False)
class Colouring:
    r"""A Sperner or BiSperner colouring of the grid :math:`\{0,\dots,N-1\}^d`.

    Build one with :func:`sperner_colouring`, :func:`bisperner_colouring`,
    :func:`implicit_colouring` or a generator; do not call the constructor directly.

    Attributes
    ----------
    n : int
        Grid side ``N >= 2``.
    d : int
        Dimension ``d >= 1``.
    kind : {'sperner', 'bisperner'}
        ``'sperner'``: one label in ``{0..d}`` per vertex; ``'bisperner'``: one sign vector in
        ``{-1, +1}^d`` per vertex.
    values : numpy.ndarray or None
        Dense representation (read-only): int8 labels of shape ``(N,)*d`` or int8 signs of shape
        ``(N,)*d + (d,)``. ``None`` for implicit colourings.
    func : callable or None
        Implicit representation: maps an int64 array of vertices, shape ``(m, d)``, to labels of
        shape ``(m,)`` or signs of shape ``(m, d)``. ``None`` for dense colourings. Its answers are
        checked on every query and by :meth:`to_dense` (a label outside ``{0..d}`` or a sign other
        than ``+-1`` raises :class:`InvalidArgument`).
    name : str
        Free-text description (generator name).

    Examples
    --------
    >>> import numpy as np
    >>> col = bisperner_colouring(np.array([[[1, 1], [1, -1]], [[-1, 1], [-1, -1]]]))
    >>> col.n, col.d, col.kind, col.is_dense
    (2, 2, 'bisperner', True)
    >>> col([[1, 0]]).tolist()
    [[-1, 1]]
    """

    n: int
    d: int
    kind: str
    values: np.ndarray | None = None
    func: Callable[[np.ndarray], np.ndarray] | None = None
    name: str = ""

    @property
    def is_dense(self) -> bool:
        """True when every vertex is stored in :attr:`values`."""
        return self.values is not None

    @property
    def n_vertices(self) -> int:
        """Number of grid vertices ``N**d`` (a Python int, exact for any size)."""
        return self.n**self.d

    def __call__(self, vertices: Any) -> np.ndarray:
        """Colours of *vertices* (shape ``(..., d)``): labels ``(...)`` or signs ``(..., d)``."""
        arr = check_vertices(vertices, self.n, self.d)
        return self._query(arr)

    def _query(self, arr: np.ndarray) -> np.ndarray:
        """Query without validating *arr* (internal hot path); *arr* is int64 ``(..., d)``.

        The answers of an implicit colouring's *func* are checked on every call (shape, labels in
        ``{0..d}`` or signs ``+-1``; one or two vectorised comparisons), see
        :func:`check_func_output`.
        """
        lead = arr.shape[:-1]
        if self.values is not None:
            return self.values[tuple(np.moveaxis(arr, -1, 0))]
        flat = arr.reshape(-1, self.d)
        out = check_func_output(self.func(flat), flat, self.kind, self.d)  # type: ignore[misc]
        if self.kind == "sperner":
            return out.reshape(lead)
        return out.reshape(lead + (self.d,))

    def query(self, vertex: Any) -> np.ndarray | int:
        """Colour of one vertex: an ``int`` label or a sign vector of length ``d``.

        Parameters
        ----------
        vertex : array_like of int, shape (d,)
            Grid coordinates in ``{0, ..., N-1}``. An implicit colouring's answer is checked
            (labels in ``{0..d}``, signs ``±1``) before it is returned.

        Returns
        -------
        int or numpy.ndarray of shape (d,)
            The Sperner label, or the BiSperner sign vector.

        Examples
        --------
        >>> col = sperner_colouring(np.array([0, 1, 1]))
        >>> col.query((2,))
        1
        >>> bi = implicit_colouring(lambda V: np.where(V < 2, 1, -1), n=4, d=2, kind="bisperner")
        >>> bi.query((1, 3)).tolist()          # + below the middle, - above, per coordinate
        [1, -1]
        """
        out = self(np.asarray(vertex).reshape(1, -1) if np.ndim(vertex) == 1 else vertex)
        if self.kind == "sperner":
            return int(out.reshape(-1)[0])
        return out.reshape(-1, self.d)[0]

    def to_dense(self, *, max_vertices: int = DEFAULT_MAX_VERTICES) -> Colouring:
        """Materialise an implicit colouring on the whole grid (returns *self* if dense).

        Every answer of the colouring function is checked on the way (one vectorised call over
        the ``N^d`` vertices in :func:`grid_vertices` order).

        Parameters
        ----------
        max_vertices : int, default 2**26
            Refuse grids with more vertices than this (memory guard).

        Returns
        -------
        Colouring
            A dense colouring with the same ``n``, ``d``, ``kind`` and name.

        Raises
        ------
        InvalidArgument
            If the grid has more than *max_vertices* vertices, or the function returns an
            invalid label or sign (naming ``func``, the value and the vertex).

        Examples
        --------
        >>> bi = implicit_colouring(lambda V: np.where(V < 2, 1, -1), n=4, d=2, kind="bisperner")
        >>> dense = bi.to_dense()
        >>> dense.is_dense, dense.values.shape
        (True, (4, 4, 2))
        >>> bool(np.array_equal(dense.query((1, 3)), bi.query((1, 3))))
        True
        """
        if self.values is not None:
            return self
        if self.n_vertices > max_vertices:
            raise InvalidArgument(
                f"grid N**d = {self.n}**{self.d} has more than max_vertices={max_vertices} "
                "vertices; it cannot be materialised"
            )
        grid = grid_vertices(self.n, self.d)
        vals = self._query(grid)
        vals.setflags(write=False)
        return Colouring(self.n, self.d, self.kind, values=vals, func=None, name=self.name)

    def __repr__(self) -> str:
        rep = "dense" if self.is_dense else "implicit"
        return f"Colouring(kind={self.kind!r}, n={self.n}, d={self.d}, {rep}, name={self.name!r})"


#: answers of at most this many entries are checked in Python (numpy's per-call overhead dominates)
_SMALL_OUTPUT = 32
_SIGNS = frozenset((-1, 1))


def _first_bad(bad: np.ndarray, out: np.ndarray, V: np.ndarray, kind: str) -> str:
    """Text naming the first offending value of *out* and its vertex (error path only)."""
    i = int(np.flatnonzero(bad)[0])
    val = out.reshape(-1)[i]
    val = val.item() if hasattr(val, "item") else val
    if kind == "sperner":
        return f"label {val!r} at vertex {tuple(int(x) for x in V[i])}"
    row, axis = divmod(i, V.shape[1])
    return f"sign {val!r} (axis {axis}) at vertex {tuple(int(x) for x in V[row])}"


def check_func_output(out: Any, V: np.ndarray, kind: str, d: int) -> np.ndarray:
    """Validate what an implicit colouring's *func* returned for the vertices *V* ``(m, d)``.

    Returns the answers as int8, shape ``(m,)`` (labels) or ``(m, d)`` (signs). Raises
    :class:`InvalidArgument` naming ``func``, the first bad value and its vertex when a label lies
    outside ``{0..d}`` (or is not an integer) or a sign is not ``+-1``. On int8 answers (what the
    generators return) this costs one or two vectorised comparisons, or for at most
    ``_SMALL_OUTPUT`` entries a Python ``min``/``max`` or set test (a few microseconds).
    """
    out = np.asarray(out)
    m = V.shape[0]
    want = (m,) if kind == "sperner" else (m, d)
    if out.shape != want:
        raise InvalidArgument(f"func must return shape {want} for {m} vertices, got shape {out.shape}")
    if out.dtype == np.int8 and (kind == "bisperner" or d < 128):  # the fast path
        if out.size <= _SMALL_OUTPUT:  # a few vertices: Python is cheaper than numpy's call overhead
            vals = out.ravel().tolist()
            if kind == "bisperner":
                if set(vals) <= _SIGNS:
                    return out
            elif not vals or (min(vals) >= 0 and max(vals) <= d):
                return out
        else:
            # labels: a negative int8 viewed as uint8 is >= 128 > d, so one comparison checks 0 <= l <= d
            bad = np.abs(out) != 1 if kind == "bisperner" else out.view(np.uint8) > d
            if not np.count_nonzero(bad):
                return out
    orig = out
    if out.dtype.kind not in "biuf":  # objects, strings, ...: numbers or nothing
        try:
            out = out.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise InvalidArgument(
                f"func must return numbers, got dtype {out.dtype} ({short_repr(out)})"
            ) from exc
    if kind == "sperner":
        ok = (out >= 0) & (out <= d)
        if out.dtype.kind == "f":  # also integral; NaN fails the comparisons
            ok &= out == np.floor(out)
        bad = ~ok
    else:
        bad = np.abs(out) != 1
    if np.count_nonzero(bad):
        what = f"labels must lie in {{0..{d}}}" if kind == "sperner" else "signs must be -1 or +1"
        raise InvalidArgument(f"func returned {_first_bad(bad, orig, V, kind)}; {what}")
    return out.astype(np.int8, copy=False)


def grid_vertices(n: int, d: int) -> np.ndarray:
    """All vertices of ``{0..n-1}^d`` as an int64 array of shape ``(n,)*d + (d,)`` (C order)."""
    axes = np.indices((n,) * d, dtype=np.int64)
    return np.moveaxis(axes, 0, -1)


def _dense_shape_and_d(arr: np.ndarray, kind: str, name: str) -> tuple[int, int]:
    if kind == "sperner":
        if arr.ndim < 1:
            raise InvalidArgument(f"{name} must have at least one axis, got shape {arr.shape}")
        d = arr.ndim
        shape = arr.shape
    else:
        if arr.ndim < 2:
            raise InvalidArgument(
                f"{name} must have shape (N,)*d + (d,), got shape {arr.shape} for {name}={short_repr(arr)}"
            )
        d = arr.ndim - 1
        shape = arr.shape[:-1]
        if arr.shape[-1] != d:
            raise InvalidArgument(
                f"{name} must have shape (N,)*d + (d,) with last axis d={d}, got shape {arr.shape}"
            )
    n = shape[0]
    if any(s != n for s in shape):
        raise InvalidArgument(f"{name} must be a cube grid (all sides equal), got shape {arr.shape}")
    if n < 2:
        raise InvalidArgument(f"the grid side N must be >= 2, got N={n} from {name} shape {arr.shape}")
    return n, d


def _as_int_array(values: Any, name: str) -> np.ndarray:
    if isinstance(values, Colouring):
        raise InvalidArgument(f"{name} must be an array, got a Colouring; use it directly")
    try:
        arr = np.asarray(values)
    except (TypeError, ValueError) as exc:  # pragma: no cover
        raise InvalidArgument(f"{name} must be an integer array, got {name}={short_repr(values)}") from exc
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        if (
            np.issubdtype(arr.dtype, np.floating)
            and arr.size
            and np.all(np.isfinite(arr))
            and np.all(arr == np.round(arr))
        ):
            return arr.astype(np.int64)
        raise InvalidArgument(
            f"{name} must be an integer array, got dtype {arr.dtype} for {name}={short_repr(values)}"
        )
    return arr


def _raise_if_improper(col: Colouring, name: str) -> None:
    from ._checks import boundary_violations

    bad = boundary_violations(col, limit=6)
    if bad:
        listed = "; ".join(str(b) for b in bad[:5])
        raise InvalidArgument(
            f"{name} breaks the boundary rule (pass proper=False to allow this): {listed}"
            + (" ..." if len(bad) > 5 else "")
        )


def sperner_colouring(labels: Any, *, proper: bool = True, name: str = "user") -> Colouring:
    r"""Dense cubical Sperner colouring from an integer array of labels.

    Parameters
    ----------
    labels : array_like of int, shape ``(N,)*d``
        ``labels[v]`` in ``{0, ..., d}``; ``d`` is the number of axes of the array.
    proper : bool, default True
        Require the boundary rule: label :math:`i \ge 1` is forbidden on the face
        :math:`v_{i-1} = 0` and label 0 on every face :math:`v_j = N-1`.
    name : str, optional
        Description stored on the colouring.

    Returns
    -------
    Colouring
        ``kind='sperner'``, dense, with read-only int8 values.

    Raises
    ------
    InvalidArgument
        Wrong shape, ``N < 2``, labels outside ``{0..d}``, or (with ``proper``) a boundary
        violation; the message names ``labels``.

    Examples
    --------
    >>> col = sperner_colouring(np.array([[0, 2], [1, 1]]))
    >>> col.d, col.n
    (2, 2)
    >>> sperner_colouring(np.array([1, 1]))
    Traceback (most recent call last):
    ...
    constructions._errors.InvalidArgument: labels breaks the boundary rule ...
    """
    arr = _as_int_array(labels, "labels")
    n, d = _dense_shape_and_d(arr, "sperner", "labels")
    if arr.size and (arr.min() < 0 or arr.max() > d):
        raise InvalidArgument(
            f"labels must lie in {{0..{d}}} for d={d}, got values in [{arr.min()}, {arr.max()}] "
            f"for labels={short_repr(arr)}"
        )
    vals = np.ascontiguousarray(arr, dtype=np.int8)
    vals.setflags(write=False)
    col = Colouring(n, d, "sperner", values=vals, name=name)
    if proper:
        _raise_if_improper(col, "labels")
    return col


def bisperner_colouring(signs: Any, *, proper: bool = True, name: str = "user") -> Colouring:
    r"""Dense DSZ BiSperner colouring from an array of sign vectors.

    Parameters
    ----------
    signs : array_like of int, shape ``(N,)*d + (d,)``
        ``signs[v] = C(v)`` with entries in :math:`\{-1, +1\}`.
    proper : bool, default True
        Require the boundary rule :math:`C^i(v) = +1` on :math:`v_i = 0` and :math:`C^i(v) = -1`
        on :math:`v_i = N-1`.
    name : str, optional
        Description stored on the colouring.

    Returns
    -------
    Colouring
        ``kind='bisperner'``, dense, with read-only int8 values.

    Raises
    ------
    InvalidArgument
        Wrong shape, ``N < 2``, entries other than ``+-1``, or (with ``proper``) a boundary
        violation; the message names ``signs``.

    Examples
    --------
    >>> s = np.array([[+1, -1]]).reshape(2, 1)      # d = 1, N = 2
    >>> bisperner_colouring(s).kind
    'bisperner'
    """
    arr = _as_int_array(signs, "signs")
    n, d = _dense_shape_and_d(arr, "bisperner", "signs")
    if arr.size and not np.all(np.abs(arr) == 1):
        bad = arr[np.abs(arr) != 1]
        raise InvalidArgument(
            f"signs must be -1 or +1, got value {int(bad.flat[0])} in signs={short_repr(arr)}"
        )
    vals = np.ascontiguousarray(arr, dtype=np.int8)
    vals.setflags(write=False)
    col = Colouring(n, d, "bisperner", values=vals, name=name)
    if proper:
        _raise_if_improper(col, "signs")
    return col


def _spot_check_vertices(n: int, d: int) -> np.ndarray:
    """A few hundred boundary vertices: each face, other coordinates 0, mid or N-1."""
    rows = []
    for i in range(d):
        for face in (0, n - 1):
            for fill in sorted({0, n // 2, n - 1}):
                v = np.full(d, fill, dtype=np.int64)
                v[i] = face
                rows.append(v)
    return np.array(rows, dtype=np.int64)


def implicit_colouring(
    func: Callable[[np.ndarray], np.ndarray],
    *,
    n: int,
    d: int,
    kind: Kind,
    proper: bool = True,
    name: str = "implicit",
) -> Colouring:
    r"""Colouring given by a vectorised function of the vertex, for grids of any size.

    Parameters
    ----------
    func : callable
        ``func(V)`` receives an int64 array ``V`` of shape ``(m, d)`` and returns labels of shape
        ``(m,)`` (``kind='sperner'``) or signs of shape ``(m, d)`` (``kind='bisperner'``).
    n, d : int
        Grid side ``N >= 2`` and dimension ``d >= 1``.
    kind : {'sperner', 'bisperner'}
        The flavour of colouring.
    proper : bool, default True
        Spot-check the boundary rule on ``6 d`` boundary vertices (each face, other coordinates
        ``0``, ``N//2`` or ``N-1``). A full check is :func:`boundary_violations`.
    name : str, optional
        Description.

    Returns
    -------
    Colouring
        An implicit colouring; queries call *func* and check its answers (labels in ``{0..d}``,
        signs ``+-1``), so a bad value anywhere in the grid raises :class:`InvalidArgument` when
        that vertex is queried or the colouring is materialised.

    Examples
    --------
    >>> f = lambda V: np.where(V >= 512, -1, 1)          # C^i(v) = sign(511.5 - v_i)
    >>> col = implicit_colouring(f, n=2**20, d=2, kind="bisperner")
    >>> col([[0, 2**20 - 1]]).tolist()
    [[1, -1]]
    """
    n = as_positive_int(n, "n", minimum=2)
    d = as_positive_int(d, "d", minimum=1)
    kind = _check_kind(kind)
    if not callable(func):
        raise InvalidArgument(f"func must be callable, got func={short_repr(func)}")
    col = Colouring(n, d, kind, values=None, func=func, name=name)
    sample = _spot_check_vertices(n, d)
    try:
        raw = func(sample)
    except Exception as exc:  # noqa: BLE001 - report any failure as a bad argument
        raise InvalidArgument(f"func failed on a (m, d) vertex array: {exc!r}") from exc
    out = check_func_output(raw, sample, kind, d)
    if proper:
        from ._checks import _violations_at

        bad = _violations_at(col, sample, out)
        if bad:
            raise InvalidArgument(
                "func breaks the boundary rule (pass proper=False to allow this): "
                + "; ".join(str(b) for b in bad[:5])
            )
    return col


#: sperner_labels switches to one pass per axis from this many vertices on
_LABELS_BY_AXIS = 1024


def sperner_labels(signs: Any) -> np.ndarray:
    r"""The reduction BiSperner :math:`\to` Sperner applied to sign vectors.

    .. math:: \ell(v) = \min\{\, i \in \{1..d\} : C^i(v) = -1 \,\}, \qquad
              \ell(v) = 0 \text{ if all signs are } +1,

    with axes counted from 1 (label ``i`` belongs to axis ``i-1``). A proper BiSperner colouring
    gives a proper Sperner colouring, and the cell of every fully labelled Kuhn simplex of
    :math:`\ell` is panchromatic (notes section 2.3).

    Parameters
    ----------
    signs : array_like, shape ``(..., d)``
        Sign vectors with entries ``+-1``.

    Returns
    -------
    numpy.ndarray
        int8 labels of shape ``(...)``.

    Examples
    --------
    >>> sperner_labels([[1, 1, 1], [1, -1, -1], [-1, 1, -1]]).tolist()
    [0, 2, 1]
    """
    arr = np.asarray(signs)
    if arr.ndim < 1 or arr.shape[-1] < 1:
        raise InvalidArgument(f"signs must have shape (..., d), got shape {arr.shape}")
    d = arr.shape[-1]
    if d > 126:
        raise InvalidArgument(f"signs must have d <= 126 for int8 labels, got d={d}")
    if (np.abs(arr) != 1).any():
        raise InvalidArgument(f"signs must have entries +-1, got signs={short_repr(arr)}")
    if arr.size < _LABELS_BY_AXIS * d:  # few vertices: two numpy calls
        neg = arr < 0
        first = np.argmax(neg, axis=-1) + 1
        return np.where(neg.any(axis=-1), first, 0).astype(np.int8)
    # many vertices: d passes over the axes (reductions along a short last axis are ~10x slower)
    lab = np.zeros(arr.shape[:-1], dtype=np.int8)
    free = np.ones(arr.shape[:-1], dtype=bool)
    for i in range(d):
        first = arr[..., i] < 0
        first &= free
        lab += first.astype(np.int8) * np.int8(i + 1)
        free &= ~first
    return lab


def bisperner_to_sperner(colouring: Colouring) -> Colouring:
    r"""Sperner colouring :math:`\ell = \min\{i : C^i = -1\}` of a BiSperner colouring.

    Dense stays dense (one vectorised pass) and implicit stays implicit (one query of
    :math:`C` per query of :math:`\ell`).

    Parameters
    ----------
    colouring : Colouring
        A ``kind='bisperner'`` colouring.

    Returns
    -------
    Colouring
        ``kind='sperner'`` on the same grid.

    Examples
    --------
    >>> s = np.array([[[1, 1], [1, -1]], [[-1, 1], [-1, -1]]])
    >>> bisperner_to_sperner(bisperner_colouring(s)).values.tolist()
    [[0, 2], [1, 1]]
    """
    if not isinstance(colouring, Colouring) or colouring.kind != "bisperner":
        raise InvalidArgument(
            f"colouring must be a BiSperner Colouring, got colouring={short_repr(colouring)}"
        )
    name = f"l({colouring.name})"
    if colouring.values is not None:
        vals = sperner_labels(colouring.values)
        vals.setflags(write=False)
        return Colouring(colouring.n, colouring.d, "sperner", values=vals, name=name)
    base = colouring

    def func(V: np.ndarray) -> np.ndarray:
        return sperner_labels(base._query(V))

    return Colouring(colouring.n, colouring.d, "sperner", values=None, func=func, name=name)


def check_colouring(colouring: Any, name: str = "colouring") -> Colouring:
    """Raise :class:`InvalidArgument` unless *colouring* is a :class:`Colouring`."""
    if not isinstance(colouring, Colouring):
        raise InvalidArgument(f"{name} must be a Colouring, got {name}={short_repr(colouring)}")
    return colouring


def label_array(colouring: Colouring, *, max_vertices: int = DEFAULT_MAX_VERTICES) -> np.ndarray:
    """Dense Sperner labels of any colouring (``l`` for BiSperner), shape ``(N,)*d``."""
    dense = colouring.to_dense(max_vertices=max_vertices)
    if dense.kind == "sperner":
        return dense.values  # type: ignore[return-value]
    return sperner_labels(dense.values)


def label_oracle(colouring: Colouring) -> Callable[[np.ndarray], np.ndarray]:
    """A function ``V (m, d) -> labels (m,)`` (``l`` for BiSperner), without validation."""
    if colouring.kind == "sperner":
        if colouring.values is not None:
            vals = colouring.values
            return lambda V: vals[tuple(V.T)]
        return colouring._query
    if colouring.values is not None:
        vals = colouring.values
        return lambda V: sperner_labels(vals[tuple(V.T)])
    return lambda V: sperner_labels(colouring._query(V))


def n_cells(n: int, d: int) -> int:
    """Number of cells ``(N-1)**d``."""
    return (n - 1) ** d


def n_kuhn_simplices(n: int, d: int) -> int:
    """Number of Kuhn simplices ``d! (N-1)**d``."""
    return math.factorial(d) * (n - 1) ** d
