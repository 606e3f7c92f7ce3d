r"""Generators of Sperner/BiSperner instances: Brouwer maps, random colourings, planted long paths.

Every generator takes ``rng`` (a seed, a :class:`numpy.random.Generator` or None) and is
reproducible bit for bit from an integer seed. Every generator returns a :class:`SpernerInstance`
that carries its JSON-able parameters (enough to rebuild it) and, where known, its planted ground
truth.

The planted construction (2D)
-----------------------------
Write a BiSperner vertex of a 2D grid as one of four *types*, ordered around the sign square::

    0 = bg (+,-)    1 = A (+,+)    2 = B (-,+)    3 = C (-,-)

A cell is panchromatic iff its corners use two types that are *not* neighbours on this 4-cycle (A
with C, or B with bg). So if every cell except one uses only two neighbouring types, that cell is
the only solution. The boundary rule says: left edge in {bg, A}, bottom in {A, B}, right in {B, C},
top in {C, bg}. With ``l`` the labels are ``A -> 0``, ``B, C -> 1``, ``bg -> 2`` and the doors are
exactly the A-B edges, so the door path is the interface between the A region and the B region.

For a target cell ``t = (a, b)`` with ``b >= 1`` the construction (drawn for ``a >= (N-2)/2``; the
other half is its mirror image ``x -> N-1-x`` with ``A <-> B``, ``bg <-> C``) is:

* rows ``0..b-1``: horizontal interlocking *teeth*, alternately an A row (``A`` for ``x <= N-2``,
  attached to the left edge) and a B row (``B`` for ``x >= 1``, attached to the right edge);
  row ``b-1`` is a B row (the *bus*);
* rows ``b..N-2``, columns ``x < a``: A, with vertical B *fingers* at the odd columns
  ``1 <= x <= a-2`` hanging from the bus up to row ``N-3``;
* the *channel* above ``t``: column ``a`` is bg and column ``a+1`` is C from row ``b+1`` to the top;
  the top row is bg left of the channel and C right of it; everything right of the channel is B;
* cell ``t`` has corners ``A (a,b)``, ``B (a+1,b)``, ``bg (a,b+1)``, ``C (a+1,b+1)``: a vortex.

A and B are each connected and attached to the boundary, so the A-B interface is a single curve
from the unique A-B switch on the bottom edge (the entry door) to ``t``; it runs along every pair
of adjacent teeth and around every finger, which makes it about ``N^2`` triangles long. Extra
solutions come in pairs: an A-B *rung* across the channel at row ``r`` creates a negatively
oriented solution in cell ``(a, r-1)`` and a positively oriented one in cell ``(a, r)``, joined by
a 3-simplex door path.

The planted construction (``d >= 3``): a fibre product of 2D snakes
------------------------------------------------------------------
Write :math:`s_j = C^j` (axes ``0..d-1``). The default ``layout='snake'`` makes every sign but the
last depend on two consecutive coordinates only,

.. math:: C^j(v) = T_j(v_j, v_{j+1}) \quad (j \le d-2), \qquad
          C^{d-1}(v) = -1 \iff v_{d-1} = N-1 \text{ or } v \in \text{column},

where each :math:`T_j` is a 2D sign pattern on the plane of axes ``(j, j+1)`` with
:math:`T_j(0, \cdot) = +1` and :math:`T_j(N-1, \cdot) = -1` (so the colouring is proper). Every
:math:`T_j` is drawn on a *coarse grid* of 2-by-2 blocks of vertices (blocks of one vertex at an
edge), so the squares where it switches sign form a clean path :math:`\Sigma_j`, one square wide,
whose parallel runs are two squares apart; the block offsets of each axis are chosen from the
parities of ``t`` so that the pieces below fit together.

* :math:`\Sigma_j` for ``j <= d-3`` is a *comb*: each coarse row of :math:`T_j` is ``+`` up to one
  switch column, alternately at the left and at the right edge, so :math:`\Sigma_j` is a
  boustrophedon that sweeps the whole width of its plane once per coarse row (about ``N^2/2``
  squares); the coarse row holding ``t_{j+1}`` switches at ``t_j`` instead.
* A cell ``c`` has all of :math:`C^0..C^{d-2}` switching iff :math:`(c_j, c_{j+1}) \in \Sigma_j` for
  every ``j <= d-2``. These cells form one path :math:`\Gamma` (the door curve). Where
  :math:`\Sigma_{j+1}` runs along axis ``j+1`` it sweeps :math:`c_{j+1}` over a range and
  :math:`\Gamma` follows the whole stretch of :math:`\Sigma_j` between those rows; where it steps
  along axis ``j+2`` the fibre is one square (vertical steps of :math:`\Sigma_{j+1}` sit only at rows
  where :math:`\Sigma_j` is a single connector square). So :math:`\Gamma` is a boustrophedon of
  2D snakes stacked in layers: it snakes through layer after layer of the grid and has
  :math:`\Theta(N^d)` cells; it is an induced path (two of its cells share a facet only if they are
  consecutive).
* :math:`T_{d-2}` (plane of the last two axes, ``u = v_{d-2}``, ``w = v_{d-1}``) ends with a straight
  *column* at ``u = t_{d-2}`` from below ``t_{d-1}`` to the top face. Below the target height its
  coarse rows are full-width comb teeth; above it horizontal teeth fill both sides of the column
  (left: ``+`` teeth on the lower face of axis ``d-2``, ``-`` teeth on a ``-`` spine; right: the
  mirror image on a ``+`` spine that reaches the bottom through the top row of the lower teeth),
  staying two squares away from the column. When ``t_{d-1} <= 2`` the spine cannot reach the bottom
  and only the larger side is filled.
* :math:`C^{d-1}` is ``+`` everywhere except the top face and the *column* of vertices
  :math:`\{t_j, t_j+1\}^{d-1} \times \{t_{d-1}+1, \dots, N-1\}` above ``t``. The cells of
  :math:`\Gamma` before ``t`` never touch those vertices and the cells after ``t`` lie inside them,
  so ``t`` is the only cell where all ``d`` signs switch: the only solution. A door (labels
  ``0..d-1``) has a vertex with all signs ``+`` and, for each ``j <= d-2``, one with
  :math:`C^j = -1`, so it lies in a cell of :math:`\Gamma` that is not inside the column: a cell
  before ``t`` (or a bubble cell, below). The unique boundary door is where :math:`\Gamma` starts on
  the face :math:`v_{d-1} = 0`, and the door path walks through every cell of :math:`\Gamma` up to
  ``t``.
* Extra solutions: a *bubble* row ``h`` (``C^{d-1} = +1`` on the column's vertices at height ``h``)
  makes the column cells at heights ``h-1`` and ``h`` panchromatic, of index ``-1`` and ``+1``,
  joined by a door path of a few simplices.

``layout='slab'`` keeps the earlier Θ(N²) construction (the 2D pattern on the last two axes, every
other axis cut once at ``t_i``), which rebuilds instances saved before the snake existed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from .._errors import InvalidArgument
from .._validation import as_positive_int, as_real, as_rng, as_vector, short_repr
from ._checks import check_cell
from ._colouring import (
    DEFAULT_MAX_VERTICES,
    Colouring,
    Kind,
    _check_kind,
    bisperner_to_sperner,
    check_colouring,
    grid_vertices,
    sperner_labels,
)

__all__ = [
    "SpernerInstance",
    "BrouwerMap",
    "rotation_contraction_map",
    "random_smooth_map",
    "brouwer_colouring",
    "brouwer_instance",
    "random_colouring",
    "random_instance",
    "planted_instance",
    "instance_from_colouring",
    "content_hash",
]

FORMAT_NAME = "localeq-sperner-instance"
FORMAT_VERSION = 1

_REFERENCE_DSZ = (
    "Daskalakis, Skoulakis, Zampetakis, The Complexity of Constrained Min-Max Optimization, "
    "STOC 2021 (arXiv:2009.09623), sections 6.1 and 7.1"
)


# ----------------------------------------------------------------------------------------------
# Instance record and content hash
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SpernerInstance:
    r"""A colouring together with how it was made and its known ground truth.

    Attributes
    ----------
    colouring : Colouring
        The instance.
    generator : str
        ``'planted'``, ``'random'``, ``'brouwer'`` or ``'user'``.
    params : dict
        JSON-able generator parameters; for ``'planted'`` and ``'brouwer'`` they rebuild the
        instance exactly (see :func:`rebuild_instance`).
    solutions : numpy.ndarray or None
        Planted ground truth: lower corners of *all* panchromatic cells, shape ``(k, d)``, sorted;
        ``None`` when unknown (random and Brouwer instances).
    orientations : numpy.ndarray or None
        Index of each planted cell (sum of the orientations of the fully labelled Kuhn simplices
        of ``l`` inside it), ``+1`` or ``-1``.
    entry : BoundaryDoor or None
        The boundary door from which the long door path starts (planted instances).
    path_length : int or None
        Number of Kuhn simplices on the door path from ``entry`` to the main solution, both ends
        included (planted instances; ``None`` if the grid is too large to count).
    reference : str
        Where the construction comes from.

    Examples
    --------
    >>> from constructions.sperner import planted_instance
    >>> inst = planted_instance(10, 2, target=(6, 5), rng=0)
    >>> inst.generator, inst.solutions.tolist(), inst.orientations.tolist(), inst.entry.sign
    ('planted', [[6, 5]], [1], 1)
    """

    colouring: Colouring
    generator: str
    params: Mapping[str, Any] = field(default_factory=dict)
    solutions: np.ndarray | None = None
    orientations: np.ndarray | None = None
    entry: Any = None
    path_length: int | None = None
    reference: str = ""

    @property
    def n(self) -> int:
        """Grid side ``N``."""
        return self.colouring.n

    @property
    def d(self) -> int:
        """Dimension ``d``."""
        return self.colouring.d

    @functools.cached_property
    def sha256(self) -> str:
        """Content hash, see :func:`content_hash`."""
        return content_hash(self)

    def header(self) -> dict[str, Any]:
        """JSON-able description of everything except the dense values.

        Returns
        -------
        dict
            ``kind``, ``n``, ``d``, ``representation`` (``'dense'`` or ``'implicit'``),
            ``generator``, ``params``, ``solutions``, ``orientations``, ``entry`` and
            ``path_length``.

        Examples
        --------
        >>> inst = planted_instance(6, 2, target=(2, 3), rng=0)
        >>> h = inst.header()
        >>> h["kind"], h["representation"], h["solutions"], h["path_length"]
        ('bisperner', 'dense', [[2, 3]], 24)
        """
        col = self.colouring
        return {
            "kind": col.kind,
            "n": col.n,
            "d": col.d,
            "representation": "dense" if col.is_dense else "implicit",
            "generator": self.generator,
            "params": _jsonable(dict(self.params)),
            "solutions": None if self.solutions is None else self.solutions.tolist(),
            "orientations": None if self.orientations is None else self.orientations.tolist(),
            "entry": None if self.entry is None else _jsonable(tuple(self.entry)),
            "path_length": self.path_length,
        }

    def summary(self) -> str:
        r"""A few human-readable lines (used by ``localeq generate sperner``).

        Returns
        -------
        str
            Size and kind, the planted solutions (at most 8 shown), the door-path length and the
            content hash.

        Examples
        --------
        >>> inst = planted_instance(6, 2, target=(2, 3), rng=0)
        >>> print("\n".join(inst.summary().splitlines()[:3]))
        N=6 d=2 kind=bisperner generator=planted representation=dense
        planted solutions: 1 (2, 3)
        path length: 24
        """
        sols = "unknown" if self.solutions is None else str(len(self.solutions))
        lines = [
            f"N={self.n} d={self.d} kind={self.colouring.kind} generator={self.generator} "
            f"representation={'dense' if self.colouring.is_dense else 'implicit'}",
            f"planted solutions: {sols}"
            + (
                ""
                if self.solutions is None
                else " " + " ".join(str(tuple(s)) for s in self.solutions[:8].tolist())
            ),
            f"path length: {self.path_length if self.path_length is not None else 'n/a'}",
            f"sha256: {self.sha256}",
        ]
        return "\n".join(lines)


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _jsonable(obj.tolist())
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating,)):
        return float(obj)
    if isinstance(obj, (bool, int, float, str)) or obj is None:
        return obj
    raise InvalidArgument(f"parameter value {short_repr(obj)} is not JSON-serialisable")


def canonical_json(obj: Any) -> bytes:
    """Canonical JSON bytes: sorted keys, no whitespace, UTF-8."""
    return json.dumps(_jsonable(obj), sort_keys=True, separators=(",", ":"), allow_nan=False).encode()


def content_hash(instance: SpernerInstance) -> str:
    r"""SHA-256 of a canonical encoding of an instance.

    The encoded bytes are ``b"localeq-sperner-instance/1\n"``, the canonical JSON of
    :meth:`SpernerInstance.header` (sorted keys, no whitespace), ``b"\n"`` and, for a dense
    colouring, the raw int8 values in C order. An implicit colouring is hashed through its recipe
    (generator and parameters), since a Python function has no canonical bytes.

    Parameters
    ----------
    instance : SpernerInstance
        The instance.

    Returns
    -------
    str
        64 hex digits.

    Examples
    --------
    >>> from constructions.sperner import planted_instance
    >>> a = planted_instance(12, 2, rng=5)
    >>> b = planted_instance(12, 2, rng=5)
    >>> content_hash(a) == content_hash(b), len(content_hash(a))
    (True, 64)
    """
    if not isinstance(instance, SpernerInstance):
        raise InvalidArgument(f"instance must be a SpernerInstance, got instance={short_repr(instance)}")
    h = hashlib.sha256()
    h.update(f"{FORMAT_NAME}/{FORMAT_VERSION}\n".encode())
    h.update(canonical_json(instance.header()))
    h.update(b"\n")
    if instance.colouring.values is not None:
        h.update(np.ascontiguousarray(instance.colouring.values, dtype=np.int8).tobytes())
    return h.hexdigest()


def instance_from_colouring(
    colouring: Colouring, *, params: Mapping[str, Any] | None = None
) -> SpernerInstance:
    """Wrap a user colouring (dense) as an instance with ``generator='user'``.

    Parameters
    ----------
    colouring : Colouring
        A dense colouring.
    params : mapping, optional
        JSON-able parameters to record.

    Returns
    -------
    SpernerInstance

    Examples
    --------
    >>> from constructions.sperner import random_colouring
    >>> instance_from_colouring(random_colouring(4, 2, rng=0)).generator
    'user'
    """
    col = check_colouring(colouring)
    if params is not None and not isinstance(params, Mapping):
        raise InvalidArgument(f"params must be a mapping, got params={short_repr(params)}")
    return SpernerInstance(col, "user", dict(params or {}))


# ----------------------------------------------------------------------------------------------
# Brouwer maps
# ----------------------------------------------------------------------------------------------


class BrouwerMap(NamedTuple):
    r"""A continuous self-map :math:`M : [0,1]^d \to [0,1]^d`.

    Attributes
    ----------
    func : callable
        ``func(Z)`` maps points ``Z`` of shape ``(m, d)`` to ``(m, d)``.
    d : int
        Dimension.
    name : str
        ``'rotation_contraction'`` or ``'random_smooth'``.
    params : dict
        JSON-able parameters that rebuild the map.
    lipschitz : float
        An upper bound on the Lipschitz constant of ``M`` (Euclidean norms).

    Examples
    --------
    >>> m = rotation_contraction_map(2)
    >>> m.name, m.d, m.lipschitz, m(np.array([0.5, 0.5])).tolist()      # fixed point at the centre
    ('rotation_contraction', 2, 0.5, [0.5, 0.5])
    """

    func: Callable[[np.ndarray], np.ndarray]
    d: int
    name: str
    params: Mapping[str, Any]
    lipschitz: float

    def __call__(self, Z: Any) -> np.ndarray:
        """Evaluate the map on points of shape ``(m, d)`` or ``(d,)``."""
        z = np.asarray(Z, dtype=float)
        out = self.func(z.reshape(-1, self.d))
        return out.reshape(z.shape)


def rotation_contraction_map(
    d: int = 2, *, angle: float = math.pi / 3, factor: float = 0.5, centre: Any = None
) -> BrouwerMap:
    r"""The map :math:`M(z) = \operatorname{clip}_{[0,1]^d}\big(c + \rho R_\theta (z - c)\big)`.

    :math:`R_\theta` rotates each coordinate pair ``(0,1), (2,3), ...`` by :math:`\theta` (an odd
    last coordinate is only contracted). For :math:`0 < \rho < 1` the map is a
    :math:`\rho`-contraction whose unique fixed point is the centre ``c``.

    Parameters
    ----------
    d : int, default 2
    angle : float, default pi/3
    factor : float, default 0.5
        Contraction factor :math:`\rho \in (0, 1)`.
    centre : sequence of float, optional
        Fixed point in :math:`[0,1]^d`; default all ``0.5``.

    Examples
    --------
    >>> m = rotation_contraction_map(2, centre=(0.3, 0.7))
    >>> np.allclose(m([0.3, 0.7]), [0.3, 0.7])
    True
    """
    d = as_positive_int(d, "d")
    angle = as_real(angle, "angle")
    factor = as_real(factor, "factor", positive=True)
    if factor >= 1:
        raise InvalidArgument(f"factor must be < 1 for a contraction, got factor={factor!r}")
    c = np.full(d, 0.5) if centre is None else as_vector(centre, "centre", dim=d)
    if np.any(c < 0) or np.any(c > 1):
        raise InvalidArgument(f"centre must lie in [0,1]^{d}, got centre={c.tolist()}")
    cs, sn = math.cos(angle), math.sin(angle)

    def func(Z: np.ndarray) -> np.ndarray:
        Y = Z - c
        out = Y.copy()
        for i in range(0, d - 1, 2):
            out[:, i] = cs * Y[:, i] - sn * Y[:, i + 1]
            out[:, i + 1] = sn * Y[:, i] + cs * Y[:, i + 1]
        return np.clip(c + factor * out, 0.0, 1.0)

    params = {"d": d, "angle": angle, "factor": factor, "centre": c.tolist()}
    return BrouwerMap(func, d, "rotation_contraction", params, factor)


def _smooth_map(
    d: int, amplitude: np.ndarray, freq: np.ndarray, phase: np.ndarray, bias: np.ndarray
) -> Callable:
    def func(Z: np.ndarray) -> np.ndarray:
        waves = np.sin(Z @ freq.T + phase)  # (m, K)
        return 0.5 + 0.45 * np.tanh(waves @ amplitude.T + bias)

    return func


def random_smooth_map(d: int = 2, *, n_terms: int = 4, scale: float = 3.0, rng: Any = None) -> BrouwerMap:
    r"""A random smooth map :math:`M_i(z) = \tfrac12 + 0.45 \tanh\big(\sum_k A_{ik} \sin(\omega_k
    \cdot z + \varphi_k) + b_i\big)`.

    ``A`` has i.i.d. :math:`N(0, 1/K)` entries, the frequencies :math:`\omega_k` have i.i.d.
    :math:`N(0, \text{scale}^2)` entries, :math:`\varphi_k \sim U[0, 2\pi)`, :math:`b_i \sim N(0, 1/4)`.
    The map sends :math:`[0,1]^d` into :math:`[0.05, 0.95]^d` and is :math:`C^\infty` with Lipschitz
    constant at most :math:`0.45\,\|A\|_2 \sqrt{\sum_k \|\omega_k\|_2^2}`.

    Parameters
    ----------
    d : int, default 2
        Dimension.
    n_terms : int, default 4
        Number :math:`K` of sine terms.
    scale : float, default 3.0
        Standard deviation of the frequencies.
    rng : int, Generator or None
        Randomness.

    Returns
    -------
    BrouwerMap

    Examples
    --------
    >>> m1, m2 = random_smooth_map(3, rng=7), random_smooth_map(3, rng=7)
    >>> z = np.full(3, 0.25)
    >>> bool(np.all(m1(z) == m2(z)))
    True
    """
    d = as_positive_int(d, "d")
    n_terms = as_positive_int(n_terms, "n_terms")
    scale = as_real(scale, "scale", positive=True)
    gen = as_rng(rng)
    amplitude = gen.normal(0.0, 1.0 / math.sqrt(n_terms), size=(d, n_terms))
    freq = gen.normal(0.0, scale, size=(n_terms, d))
    phase = gen.uniform(0.0, 2 * math.pi, size=n_terms)
    bias = gen.normal(0.0, 0.5, size=d)
    return _smooth_map_from(d, amplitude, freq, phase, bias)


def _smooth_map_from(d: int, amplitude: Any, freq: Any, phase: Any, bias: Any) -> BrouwerMap:
    A = np.asarray(amplitude, dtype=float).reshape(d, -1)
    W = np.asarray(freq, dtype=float).reshape(-1, d)
    P = np.asarray(phase, dtype=float).reshape(-1)
    B = np.asarray(bias, dtype=float).reshape(d)
    lip = 0.45 * float(np.linalg.norm(A, 2)) * float(np.sqrt(np.sum(W**2)))
    params = {"d": d, "amplitude": A.tolist(), "freq": W.tolist(), "phase": P.tolist(), "bias": B.tolist()}
    return BrouwerMap(_smooth_map(d, A, W, P, B), d, "random_smooth", params, lip)


def _map_from_params(spec: Mapping[str, Any]) -> BrouwerMap:
    name = spec.get("name")
    p = dict(spec.get("params", {}))
    if name == "rotation_contraction":
        return rotation_contraction_map(p["d"], angle=p["angle"], factor=p["factor"], centre=p["centre"])
    if name == "random_smooth":
        return _smooth_map_from(p["d"], p["amplitude"], p["freq"], p["phase"], p["bias"])
    raise InvalidArgument(f"unknown Brouwer map name={name!r}")


def brouwer_colouring(brouwer_map: BrouwerMap, n: int) -> Colouring:
    r"""Implicit BiSperner colouring of a Brouwer map (DSZ Lemma 6.2 / Thm 7.2, notes section 2.4).

    .. math:: C^i(v) = \begin{cases} +1 & v_i = 0 \\ -1 & v_i = N-1 \\
              \operatorname{sign}\big(M_i(z) - z_i\big) & \text{otherwise}, \end{cases}
              \qquad z = v / (N-1),

    with :math:`\operatorname{sign}(0) = +1`. One query of ``C`` costs one evaluation of ``M``.
    Every vertex of a panchromatic cell is an approximate fixed point
    (:math:`|M_i(z) - z_i| \le (L+1)\sqrt d/(N-1)` for every ``i``).

    Parameters
    ----------
    brouwer_map : BrouwerMap
        The map :math:`M`.
    n : int
        Grid side ``N``.

    Returns
    -------
    Colouring
        Implicit, ``kind='bisperner'``.

    Examples
    --------
    >>> col = brouwer_colouring(rotation_contraction_map(2), 2**20)
    >>> col([[0, 0], [2**19, 2**19]]).tolist()
    [[1, 1], [-1, -1]]
    """
    if not isinstance(brouwer_map, BrouwerMap):
        raise InvalidArgument(f"brouwer_map must be a BrouwerMap, got brouwer_map={short_repr(brouwer_map)}")
    n = as_positive_int(n, "n", minimum=2)
    d = brouwer_map.d
    f = brouwer_map.func
    scale = 1.0 / (n - 1)

    def func(V: np.ndarray) -> np.ndarray:
        Z = V * scale
        g = f(Z) - Z
        s = np.where(g >= 0, 1, -1).astype(np.int8)
        s[V == 0] = 1
        s[V == n - 1] = -1
        return s

    return Colouring(n, d, "bisperner", values=None, func=func, name=f"brouwer:{brouwer_map.name}")


def brouwer_instance(
    n: int,
    d: int = 2,
    *,
    brouwer_map: BrouwerMap | str = "rotation_contraction",
    kind: Kind = "bisperner",
    dense: bool | None = None,
    rng: Any = None,
) -> SpernerInstance:
    """Instance from a Brouwer map (by name: ``'rotation_contraction'`` or ``'random_smooth'``).

    ``rng`` is used only to draw a ``'random_smooth'`` map. ``dense=None`` materialises grids with at
    most ``2**22`` vertices.

    Parameters
    ----------
    n : int
        Grid side ``N``.
    d : int, default 2
        Dimension.
    brouwer_map : BrouwerMap or str
        The map, or its name.
    kind : {'bisperner', 'sperner'}
        Colouring kind (``'sperner'``: the Sperner labels).
    dense : bool or None
        Materialise the colouring.
    rng : int, Generator or None
        Draws a ``'random_smooth'`` map.

    Returns
    -------
    SpernerInstance
        No ground truth (``solutions=None``).

    Examples
    --------
    >>> inst = brouwer_instance(32, 2, brouwer_map="random_smooth", rng=3)
    >>> inst.generator, inst.colouring.is_dense
    ('brouwer', True)
    """
    n = as_positive_int(n, "n", minimum=2)
    d = as_positive_int(d, "d", minimum=1)
    kind = _check_kind(kind)
    if isinstance(brouwer_map, str):
        if brouwer_map == "rotation_contraction":
            brouwer_map = rotation_contraction_map(d)
        elif brouwer_map == "random_smooth":
            brouwer_map = random_smooth_map(d, rng=rng)
        else:
            raise InvalidArgument(
                "brouwer_map must be a BrouwerMap, 'rotation_contraction' or 'random_smooth', "
                f"got brouwer_map={brouwer_map!r}"
            )
    if not isinstance(brouwer_map, BrouwerMap):
        raise InvalidArgument(f"brouwer_map must be a BrouwerMap, got brouwer_map={short_repr(brouwer_map)}")
    if brouwer_map.d != d:
        raise InvalidArgument(f"brouwer_map has d={brouwer_map.d}, but d={d}")
    params = {
        "n": n,
        "d": d,
        "kind": kind,
        "map": {"name": brouwer_map.name, "params": dict(brouwer_map.params)},
    }
    return _brouwer_from_params(params, dense)


def _brouwer_from_params(params: Mapping[str, Any], dense: bool | None) -> SpernerInstance:
    bmap = _map_from_params(params["map"])
    col = brouwer_colouring(bmap, params["n"])
    if params["kind"] == "sperner":
        col = bisperner_to_sperner(col)
    if dense is None:
        dense = col.n_vertices <= 2**22
    if dense:
        col = col.to_dense()
    return SpernerInstance(col, "brouwer", dict(params), reference=_REFERENCE_DSZ + " (Lemma 6.2, Thm 7.2)")


# ----------------------------------------------------------------------------------------------
# Random proper colourings
# ----------------------------------------------------------------------------------------------


def random_colouring(n: int, d: int, *, kind: Kind = "bisperner", rng: Any = None) -> Colouring:
    r"""A uniformly random *proper* colouring (dense).

    BiSperner: every sign not fixed by the boundary rule is an independent fair coin. Sperner:
    every vertex gets a label uniform among those the boundary rule allows it (label
    :math:`i \ge 1` iff :math:`v_{i-1} > 0`; label 0 iff all :math:`v_j < N-1`).

    Parameters
    ----------
    n : int
        Grid side ``N``.
    d : int
        Dimension.
    kind : {'bisperner', 'sperner'}
        Colouring kind.
    rng : int, Generator or None
        Randomness (reproducible from an integer seed).

    Returns
    -------
    Colouring
        Dense.

    Examples
    --------
    >>> from constructions.sperner import boundary_violations
    >>> col = random_colouring(6, 3, kind="sperner", rng=1)
    >>> col.kind, boundary_violations(col)
    ('sperner', ())
    """
    n = as_positive_int(n, "n", minimum=2)
    d = as_positive_int(d, "d", minimum=1)
    kind = _check_kind(kind)
    if n**d > DEFAULT_MAX_VERTICES:
        raise InvalidArgument(f"random colourings are dense; N**d = {n}**{d} is too large")
    gen = as_rng(rng)
    V = grid_vertices(n, d)
    if kind == "bisperner":
        s = np.where(gen.random(V.shape) < 0.5, 1, -1).astype(np.int8)
        s[V == 0] = 1
        s[V == n - 1] = -1
        return Colouring(n, d, "bisperner", values=_ro(s), name="random")
    allowed = np.empty(V.shape[:-1] + (d + 1,), dtype=bool)
    allowed[..., 0] = np.all(V < n - 1, axis=-1)
    allowed[..., 1:] = V > 0
    score = gen.random(allowed.shape)
    score[~allowed] = -1.0
    lab = np.argmax(score, axis=-1).astype(np.int8)
    return Colouring(n, d, "sperner", values=_ro(lab), name="random")


def random_instance(n: int, d: int, *, kind: Kind = "bisperner", rng: Any = None) -> SpernerInstance:
    """:func:`random_colouring` wrapped as an instance (no ground truth; ``params`` record the seed).

    Parameters
    ----------
    n, d, kind, rng
        As in :func:`random_colouring`.

    Returns
    -------
    SpernerInstance

    Examples
    --------
    >>> random_instance(5, 2, rng=3).params
    {'n': 5, 'd': 2, 'kind': 'bisperner', 'seed': 3}
    """
    seed = rng if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool) else None
    col = random_colouring(n, d, kind=kind, rng=rng)
    return SpernerInstance(col, "random", {"n": col.n, "d": col.d, "kind": col.kind, "seed": seed})


def _ro(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


# ----------------------------------------------------------------------------------------------
# Planted long-path instances
# ----------------------------------------------------------------------------------------------

_BG, _A, _B, _C = np.int8(0), np.int8(1), np.int8(2), np.int8(3)


def _snake_types(x: np.ndarray, y: np.ndarray, n: int, a: int, b: int, rungs: tuple[int, ...]) -> np.ndarray:
    """Types (0 bg, 1 A, 2 B, 3 C) of the unmirrored 2D snake with target cell (a, b)."""
    tooth_b = np.where(x >= 1, _B, _A)
    tooth_a = np.where(x <= n - 2, _A, _B)
    low = np.where((b - 1 - y) % 2 == 0, tooth_b, tooth_a)
    finger = (x % 2 == 1) & (x <= a - 2)
    row_b = np.where(x <= a, np.where(finger & (b <= n - 3), _B, _A), _B)
    upper_left = np.where(finger & (y <= n - 3), _B, _A)
    up = np.select([x <= a - 1, x == a, x == a + 1], [upper_left, _BG, _C], _B)
    top = np.where(x <= a, _BG, _C)
    t = np.select([y <= b - 1, y == b, y <= n - 2], [low, row_b, up], top)
    if rungs:
        on = np.isin(y, np.asarray(rungs, dtype=np.int64))
        t = np.where(on & (x == a), _A, t)
        t = np.where(on & (x == a + 1), _B, t)
    return t


def _snake_type_scalar(x: int, y: int, n: int, a: int, b: int, rungs: frozenset[int]) -> int:
    """Scalar version of :func:`_snake_types` (fast single-vertex queries)."""
    if y in rungs and x in (a, a + 1):
        return _A if x == a else _B
    finger = x % 2 == 1 and x <= a - 2
    if y <= b - 1:
        if (b - 1 - y) % 2 == 0:
            return _B if x >= 1 else _A
        return _A if x <= n - 2 else _B
    if y == b:
        if x <= a:
            return _B if (finger and b <= n - 3) else _A
        return _B
    if y <= n - 2:
        if x <= a - 1:
            return _B if (finger and y <= n - 3) else _A
        if x == a:
            return _BG
        if x == a + 1:
            return _C
        return _B
    return _BG if x <= a else _C


def _types_to_signs(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    s1 = np.where(t <= _A, 1, -1)
    s2 = np.where((t == _A) | (t == _B), 1, -1)
    return s1, s2


class _PlantedSpec(NamedTuple):
    n: int
    d: int
    target: tuple[int, ...]
    rungs: tuple[int, ...]
    kind: str
    layout: str = "slab"


def _planted_func(spec: _PlantedSpec) -> Callable[[np.ndarray], np.ndarray]:
    n, d, target, rungs = spec.n, spec.d, spec.target, spec.rungs
    a, b = target[-2], target[-1]
    mirror = 2 * a < n - 2
    a_int = n - 2 - a if mirror else a
    cuts = np.asarray(target[:-2], dtype=np.int64)

    rung_set = frozenset(rungs)
    cut_list = [int(c) for c in cuts]

    def signs_small(V: np.ndarray) -> np.ndarray:
        out = []
        for row in V.tolist():
            x, y = row[d - 2], row[d - 1]
            if mirror:
                t = 3 - _snake_type_scalar(n - 1 - x, y, n, a_int, b, rung_set)
            else:
                t = _snake_type_scalar(x, y, n, a_int, b, rung_set)
            s = [1 if row[i] <= cut_list[i] else -1 for i in range(d - 2)]
            s.append(1 if t <= _A else -1)
            s.append(1 if t in (_A, _B) else -1)
            out.append(s)
        return np.array(out, dtype=np.int8).reshape(len(out), d)

    def signs(V: np.ndarray) -> np.ndarray:
        if V.shape[0] <= 8:
            return signs_small(V)
        x, y = V[:, d - 2], V[:, d - 1]
        if mirror:
            t = 3 - _snake_types(n - 1 - x, y, n, a_int, b, rungs)
        else:
            t = _snake_types(x, y, n, a_int, b, rungs)
        out = np.empty(V.shape, dtype=np.int8)
        if d > 2:
            out[:, : d - 2] = np.where(V[:, : d - 2] <= cuts, 1, -1)
        out[:, d - 2], out[:, d - 1] = _types_to_signs(t)
        return out

    if spec.kind == "bisperner":
        return signs
    return lambda V: sperner_labels(signs(V))


class _CombPlane(NamedTuple):
    """Comb pattern :math:`T_j` of a plane ``(j, j+1)``, ``j <= d-3`` (module docstring).

    ``T(u, w) = +1`` iff ``U <= m(W)`` with coarse indices ``U = (u + alpha) // 2`` and
    ``W = (w + beta) // 2``; ``m(wstar) = mstar`` and the other rows alternate between ``0`` and
    ``umax - 1``.
    """

    alpha: int
    beta: int
    umax: int
    wstar: int
    mstar: int


class _ColumnPlane(NamedTuple):
    """Pattern :math:`T_{d-2}` of the last plane, which ends with the column (module docstring).

    Coarse indices ``U = (u' + alpha) // 2`` with ``u' = u`` (or ``N-1-u`` if *mirror*, which also
    flips the sign) and ``W = (w + beta) // 2``. Coarse rows ``W < w1`` are comb teeth, rows
    ``w1 <= W < wk`` hold the teeth beside the column, rows ``W >= wk`` only the column; the
    ``+`` strip left of the column is coarse column ``ub``.
    """

    alpha: int
    beta: int
    mirror: bool
    umax: int
    ub: int
    w1: int
    wk: int
    left: bool
    spine: bool


def _comb_plane(n: int, tj: int, tj1: int) -> _CombPlane:
    alpha, beta = (1 - tj) % 2, tj1 % 2
    return _CombPlane(alpha, beta, (n - 1 + alpha) // 2, (tj1 + beta) // 2, (tj + alpha) // 2)


def _column_plane(n: int, b: int, c: int) -> _ColumnPlane:
    alpha = (1 - b) % 2  # vertical steps must sit on connector rows of the previous plane
    beta = c % 2  # so that c - 1 | c is a coarse row boundary
    w1, wk = (c + beta) // 2, (n - 2 + beta) // 2
    if w1 >= 2:  # both sides: the + spine reaches the lower teeth through coarse row w1 - 1
        umax, ub = (n - 1 + alpha) // 2, (b + alpha) // 2
        return _ColumnPlane(alpha, beta, False, umax, ub, w1, wk, ub >= 2, ub + 2 <= umax - 1)
    alpha_r = (alpha + n) % 2
    room_l, room_r = (b + alpha) // 2, (n - 2 - b + alpha_r) // 2
    if room_r > room_l:  # one side only: the larger one
        return _ColumnPlane(alpha_r, beta, True, (n - 1 + alpha_r) // 2, room_r, w1, wk, room_r >= 2, False)
    return _ColumnPlane(alpha, beta, False, (n - 1 + alpha) // 2, room_l, w1, wk, room_l >= 2, False)


def _comb_signs(u: np.ndarray, w: np.ndarray, p: _CombPlane) -> np.ndarray:
    U, W = (u + p.alpha) // 2, (w + p.beta) // 2
    m = np.where((W - p.wstar) % 2 == 1, p.umax - 1, 0)
    m = np.where(W == p.wstar, p.mstar, m)
    return np.where(U <= m, 1, -1).astype(np.int8)


def _column_signs(u: np.ndarray, w: np.ndarray, n: int, p: _ColumnPlane) -> np.ndarray:
    U = ((n - 1 - u) if p.mirror else u) + p.alpha
    U, W = U // 2, (w + p.beta) // 2
    ub, umax, S = p.ub, p.umax, p.ub + 2
    even = (W - p.w1) % 2 == 0
    if p.left:
        left = np.where(even, (U == 0) | (U >= 2), (U == 0) | (U == ub))
    else:
        left = np.ones(U.shape, dtype=bool)
    if p.spine:
        right = np.where(even, (U >= S) & (U <= umax - 1), U == S)
    else:
        right = np.zeros(U.shape, dtype=bool)
    side = np.where(U <= ub, left, right)
    lone = (U == 0) | ((U == S) & (W == p.w1 - 1)) if p.spine else U == 0
    lower = np.where((p.w1 - 1 - W) % 2 == 0, lone, U <= umax - 1)
    pos = np.where(W < p.w1, lower, np.where(W < p.wk, side, U <= ub))
    return np.where(pos != p.mirror, 1, -1).astype(np.int8)


def _comb_sign_scalar(u: int, w: int, p: _CombPlane) -> int:
    U, W = (u + p.alpha) // 2, (w + p.beta) // 2
    m = p.mstar if W == p.wstar else (p.umax - 1 if (W - p.wstar) % 2 else 0)
    return 1 if U <= m else -1


def _column_sign_scalar(u: int, w: int, n: int, p: _ColumnPlane) -> int:
    U = (((n - 1 - u) if p.mirror else u) + p.alpha) // 2
    W = (w + p.beta) // 2
    S = p.ub + 2
    if W < p.w1:
        if (p.w1 - 1 - W) % 2 == 0:
            pos = U == 0 or (p.spine and U == S and W == p.w1 - 1)
        else:
            pos = U <= p.umax - 1
    elif W >= p.wk:
        pos = U <= p.ub
    elif U <= p.ub:
        if not p.left:
            pos = True
        elif (W - p.w1) % 2 == 0:
            pos = U == 0 or U >= 2
        else:
            pos = U == 0 or U == p.ub
    elif not p.spine:
        pos = False
    elif (W - p.w1) % 2 == 0:
        pos = S <= U <= p.umax - 1
    else:
        pos = U == S
    return 1 if pos != p.mirror else -1


def _snake_nd_func(spec: _PlantedSpec) -> Callable[[np.ndarray], np.ndarray]:
    """Signs (or labels) of the ``d >= 3`` fibre-product snake (module docstring)."""
    n, d, t = spec.n, spec.d, spec.target
    combs = [_comb_plane(n, t[j], t[j + 1]) for j in range(d - 2)]
    col = _column_plane(n, t[d - 2], t[d - 1])
    lo = np.asarray(t[: d - 1], dtype=np.int64)
    c = t[d - 1]
    bubbles = np.asarray(spec.rungs, dtype=np.int64)
    bubble_set = frozenset(spec.rungs)

    def signs_small(V: np.ndarray) -> np.ndarray:
        out = []
        for row in V.tolist():
            s = [_comb_sign_scalar(row[j], row[j + 1], combs[j]) for j in range(d - 2)]
            s.append(_column_sign_scalar(row[d - 2], row[d - 1], n, col))
            z = row[d - 1]
            in_col = z > c and z not in bubble_set and all(0 <= row[j] - t[j] <= 1 for j in range(d - 1))
            s.append(-1 if (z == n - 1 or in_col) else 1)
            out.append(s)
        return np.array(out, dtype=np.int8).reshape(len(out), d)

    def signs(V: np.ndarray) -> np.ndarray:
        if V.shape[0] <= 8:
            return signs_small(V)
        out = np.empty(V.shape, dtype=np.int8)
        for j in range(d - 2):
            out[:, j] = _comb_signs(V[:, j], V[:, j + 1], combs[j])
        z = V[:, d - 1]
        out[:, d - 2] = _column_signs(V[:, d - 2], z, n, col)
        off = V[:, : d - 1] - lo
        in_col = np.all((off >= 0) & (off <= 1), axis=1) & (z > c) & ~np.isin(z, bubbles)
        out[:, d - 1] = np.where((z == n - 1) | in_col, -1, 1)
        return out

    if spec.kind == "bisperner":
        return signs
    return lambda V: sperner_labels(signs(V))


def _rung_capacity(n: int, b: int) -> list[int]:
    return list(range(b + 2, n - 1, 2))


def planted_instance(
    n: int,
    d: int = 2,
    *,
    target: Any = None,
    n_solutions: int = 1,
    kind: Kind = "bisperner",
    representation: str = "auto",
    layout: str = "snake",
    rng: Any = None,
) -> SpernerInstance:
    r"""A proper colouring with planted solutions and a door path of length :math:`\Theta(N^d)`.

    The main solution is the cell ``target``; the only door path that starts on the grid boundary
    leads to it, snaking through the whole grid (see the module docstring for the construction).
    ``n_solutions - 1`` further solutions (an even number) are planted in pairs of opposite
    orientation on short door paths of their own. The ground truth (all panchromatic cells, their
    indices, the entry door and the path length) is reported on the instance.

    Parameters
    ----------
    n : int
        Grid side, ``N >= 3``.
    d : int, default 2
        Dimension ``d >= 2``. For ``d >= 3`` the door path is a boustrophedon of 2D snakes stacked
        in layers (a fibre product of 2D combs, module docstring) of length :math:`\Theta(N^d)`.
    target : sequence of int, optional
        Lower corner of the main solution cell, ``0 <= t_i <= N-2`` and ``t_{d-1} >= 1`` (a cell in
        the bottom row would touch its own entry door). Default: uniform at random.
    n_solutions : int, default 1
        Odd number of planted solutions; at most ``1 + 2 * len(range(t_{d-1}+2, N-1, 2))``.
    kind : {'bisperner', 'sperner'}
        ``'sperner'`` returns the labels ``l`` of the BiSperner instance; the planted cells are the
        cells of its fully labelled simplices.
    representation : {'auto', 'dense', 'implicit'}
        ``'auto'`` is dense up to ``2**24`` vertices. Implicit instances answer vertex queries in
        closed form for any ``N``.
    layout : {'snake', 'slab'}, default 'snake'
        Construction for ``d >= 3`` (ignored for ``d = 2``). ``'snake'``: the long path above.
        ``'slab'``: the earlier construction whose path is only :math:`\Theta(N^2)` (the 2D snake
        on the last two axes, every other axis cut once at ``t_i``), kept to rebuild instances
        saved before the snake existed (their ``params`` have no ``'layout'`` key).
    rng : int, Generator or None
        Draws the target (if not given) and the rows of the extra pairs.

    Returns
    -------
    SpernerInstance
        With ``generator='planted'``. Guarantees on ``path_length`` (the number of Kuhn simplices
        from the entry door to ``target``, both included), for every admissible target:

        * ``d = 2``: ``path_length >= N^2/4`` for ``N >= 8``.
        * ``d = 3`` (``layout='snake'``): ``path_length >= N^3/20`` for ``N >= 13`` and
          ``>= N^3/25`` for ``9 <= N <= 12`` (measured, not proved: checked over all targets
          for ``N = 9, 12, 13, 16, 24`` and on the worst target for ``N <= 16, 19, 24``; the
          worst target, ``t_2 = 1`` with ``t_1`` near ``N/2``, gives about
          ``0.26 N^3`` at ``N = 48`` and the ratio keeps growing). Targets with ``t_2 >= 3`` get
          both sides of the column and at least about twice as much.
        * ``d >= 4`` (``layout='snake'``): :math:`\Theta(N^d)` (the door curve sweeps every comb
          once per coarse row of the next plane); no constant is promised: on the worst
          ``d = 4`` targets we found it is about ``0.01 N^4`` at ``N = 12`` and ``0.075 N^4`` at
          ``N = 24``.

    Raises
    ------
    InvalidArgument
        ``n < 3``, ``d < 2``, a target outside the allowed range, an even/too large
        ``n_solutions``, or an unknown ``layout``.

    Examples
    --------
    >>> inst = planted_instance(16, 2, target=(3, 9), rng=0)
    >>> inst.solutions.tolist(), inst.orientations.tolist(), inst.path_length >= 16**2 / 4
    ([[3, 9]], [1], True)
    >>> inst3 = planted_instance(16, 3, target=(13, 7, 1), rng=0)  # one of the worst 3D targets
    >>> inst3.solutions.tolist(), inst3.path_length, inst3.path_length >= 16**3 / 20
    ([[13, 7, 1]], 398, True)
    """
    n = as_positive_int(n, "n", minimum=3)
    d = as_positive_int(d, "d", minimum=2)
    kind = _check_kind(kind)
    n_solutions = as_positive_int(n_solutions, "n_solutions", minimum=1)
    if n_solutions % 2 == 0:
        raise InvalidArgument(
            "n_solutions must be odd (solutions are planted in +/- pairs around one), "
            f"got n_solutions={n_solutions}"
        )
    if representation not in ("auto", "dense", "implicit"):
        raise InvalidArgument(
            f"representation must be 'auto', 'dense' or 'implicit', got representation={representation!r}"
        )
    if layout not in ("snake", "slab"):
        raise InvalidArgument(f"layout must be 'snake' or 'slab', got layout={layout!r}")
    gen = as_rng(rng)
    if target is None:
        t = gen.integers(0, n - 1, size=d)
        t[-1] = gen.integers(1, n - 1)
        target_t = tuple(int(x) for x in t)
    else:
        tgt = check_cell(target, n, d, name="target")
        if tgt[-1] < 1:
            raise InvalidArgument(
                f"target must have t[{d - 1}] >= 1 (a cell in the bottom row touches its entry door), "
                f"got target={tgt.tolist()}"
            )
        target_t = tuple(int(x) for x in tgt)
    rows = _rung_capacity(n, target_t[-1])
    k = (n_solutions - 1) // 2
    if k > len(rows):
        raise InvalidArgument(
            f"n_solutions={n_solutions} is too large: at most {1 + 2 * len(rows)} fit above "
            f"target={list(target_t)}"
        )
    rungs = tuple(sorted(int(r) for r in gen.choice(rows, size=k, replace=False))) if k else ()
    params = {
        "n": n,
        "d": d,
        "target": list(target_t),
        "rungs": list(rungs),
        "kind": kind,
        "n_solutions": n_solutions,
    }
    seed = rng if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool) else None
    params["seed"] = None if seed is None else int(seed)
    if d >= 3:
        params["layout"] = layout
    return _planted_from_params(params, representation)


def _planted_from_params(params: Mapping[str, Any], representation: str = "auto") -> SpernerInstance:
    n, d = int(params["n"]), int(params["d"])
    target = tuple(int(x) for x in params["target"])
    rungs = tuple(int(r) for r in params["rungs"])
    layout = str(params.get("layout", "slab")) if d >= 3 else "slab"
    if layout not in ("snake", "slab"):
        raise InvalidArgument(f"params layout must be 'snake' or 'slab', got layout={layout!r}")
    spec = _PlantedSpec(n, d, target, rungs, params["kind"], layout)
    func = _snake_nd_func(spec) if layout == "snake" else _planted_func(spec)
    col = Colouring(n, d, spec.kind, values=None, func=func, name="planted")
    if representation == "dense" or (representation == "auto" and n**d <= 2**24):
        col = col.to_dense()
    a, b = target[-2], target[-1]
    cells = [target]
    orient = [1]
    for r in rungs:
        cells += [target[:-1] + (r - 1,), target[:-1] + (r,)]
        orient += [-1, 1]
    order = sorted(range(len(cells)), key=lambda i: cells[i])
    sol = np.array([cells[i] for i in order], dtype=np.int64).reshape(-1, d)
    ori = np.array([orient[i] for i in order], dtype=np.int8)
    entry, length = _planted_path(col, target, rungs, layout=layout)
    _ = a, b
    return SpernerInstance(
        col,
        "planted",
        dict(params),
        solutions=_ro(sol),
        orientations=_ro(ori),
        entry=entry,
        path_length=length,
        reference="planted snake (this module); problem from " + _REFERENCE_DSZ,
    )


#: grids with at most this many simplices have their door path walked explicitly
_WALK_LIMIT = 2**18


def _planted_path(
    col: Colouring,
    target: tuple[int, ...],
    rungs: tuple[int, ...],
    *,
    method: str = "auto",
    layout: str = "slab",
) -> tuple[Any, int | None]:
    """Entry door and length of the door path ending at the main solution.

    ``method='walk'`` follows the doors from the entry; ``'count'`` counts the door simplices
    (vectorised), which equals the path length for the 2D snake (minus the 3 simplices of each
    rung path) and for the ``d >= 3`` snake (counting only cells outside the column above the
    target, where the bubble paths live). ``'auto'`` walks grids of up to ``_WALK_LIMIT``
    simplices.
    """
    from ._doors import _boundary_door_arrays, follow_doors

    n, d = col.n, col.d
    if col.n_vertices > DEFAULT_MAX_VERTICES:
        return None, None
    lo = np.zeros(d, dtype=np.int64)
    hi = np.full(d, n - 1, dtype=np.int64)
    doors = sorted(_boundary_door_arrays(col, lo, hi))
    snake_nd = d > 2 and layout == "snake"
    if method == "auto":
        small = math.factorial(d) * (n - 1) ** d <= _WALK_LIMIT
        method = "walk" if (small or (d > 2 and not snake_nd)) else "count"
    if method == "count":
        if (d != 2 and not snake_nd) or len(doors) != 1:  # pragma: no cover - the snakes have one
            raise InvalidArgument("count method needs a snake layout with a single boundary door")
        if snake_nd:
            return doors[0], _count_door_simplices_nd(col, target)
        return doors[0], _count_door_simplices_2d(col) - 3 * len(rungs)
    for door in doors:
        if door.sign != 1:
            continue
        path = follow_doors(col, door.cell, door.perm, enter=door.k)
        if path.end == "solution" and path.simplices[-1][0] == target:
            return door, path.length
    raise InvalidArgument("planted construction failed: no entry path reaches the target")  # pragma: no cover


def _count_door_simplices_2d(col: Colouring) -> int:
    """Number of triangles whose labels include 0 and 1 (all door triangles), vectorised."""
    from ._checks import _simplex_label_slices
    from ._colouring import label_array

    L = label_array(col)
    shape = (col.n - 1, col.n - 1)
    total = 0
    for p in (np.array([0, 1]), np.array([1, 0])):
        labs = _simplex_label_slices(L, p, shape)
        has0 = (labs[0] == 0) | (labs[1] == 0) | (labs[2] == 0)
        has1 = (labs[0] == 1) | (labs[1] == 1) | (labs[2] == 1)
        total += int(np.count_nonzero(has0 & has1))
    return total


def _count_door_simplices_nd(col: Colouring, target: tuple[int, ...]) -> int:
    """Door simplices (labels include ``0..d-1``) outside the column above *target*, vectorised."""
    from ._checks import _mask_dtype, _simplex_label_slices, kuhn_perms
    from ._colouring import label_array

    d = col.d
    L = label_array(col)
    shape = (col.n - 1,) * d
    dt = _mask_dtype(d)
    bits = np.left_shift(dt(1), L.astype(dt))
    low = dt((1 << d) - 1)
    keep = np.ones(shape, dtype=bool)
    keep[tuple(target[:-1]) + (slice(target[-1] + 1, None),)] = False
    total = 0
    for p in kuhn_perms(d):
        vb = _simplex_label_slices(bits, p, shape)
        acc = vb[0].copy()
        for b in vb[1:]:
            acc |= b
        total += int(np.count_nonzero(((acc & low) == low) & keep))
    return total


def rebuild_instance(header: Mapping[str, Any], values: np.ndarray | None = None) -> SpernerInstance:
    """Rebuild an instance from its :meth:`SpernerInstance.header` (and dense values, if any)."""
    gen = header.get("generator")
    params = header.get("params") or {}
    if values is None:
        if gen == "planted":
            return _planted_from_params(params, "implicit")
        if gen == "brouwer":
            return _brouwer_from_params(params, False)
        raise InvalidArgument(f"an implicit instance with generator={gen!r} cannot be rebuilt")
    raise InvalidArgument("rebuild_instance with values is handled by load_instance")  # pragma: no cover
