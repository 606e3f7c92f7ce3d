r"""Closed convex constraint sets: the strategy sets of smooth games.

Every set :math:`S \subseteq \mathbb{R}^n` offers the same operations, which are
all the certificates need:

* ``contains(x, tol)`` -- membership with an absolute tolerance on the constraints;
* ``violation(x)`` -- the largest constraint violation (0 inside);
* ``project(y)`` -- the Euclidean projection :math:`\Pi_S(y)`;
* ``projection_error_bound(y, p)`` -- a sound bound on :math:`\|p - \Pi_S(y)\|`
  for a feasible ``p`` (``certificates.md`` §1.1(d)):
  :math:`\|p - \Pi_S(y)\|^2 \le \nu := \sigma_S(y - p) - \langle y - p, p\rangle`;
* ``support(v, within=None)`` -- an **upper bound** on :math:`\sigma_S(v) = \max_{z\in S}
  \langle v, z\rangle` (exact up to outward rounding for closed forms, an LP dual bound
  for polytopes); ``within=(lo, hi)`` is an optional box that the caller knows may be
  intersected with S (used to keep the bound finite for unbounded polytopes);
* ``tangent_cone_projection(x, v)`` -- projection of ``v`` onto the tangent cone
  :math:`T_S(x)`;
* ``diameter()`` -- :math:`\max_{z, z' \in S}\|z - z'\|` (``inf`` when unbounded).

Coupled joint sets (shared constraints between players) additionally expose
``slice(i, x)``, the set :math:`S_i(x_{-i}) = \{x_i : (x_i, x_{-i}) \in S\}`.

Concrete sets
-------------
:class:`Box`, :class:`Simplex`, :class:`Ball` (closed-form projections),
:class:`Polytope` (QP projection through cvxpy, LP-dual support bound),
:class:`ProductSet` (Cartesian products, a trivially coupled set),
:class:`CoupledPolytope` (joint polytope with polytope slices) and :class:`DSZSet`
(the coupled set of Daskalakis–Skoulakis–Zampetakis with box slices).

Soundness conventions
---------------------
``support``, ``diameter`` and ``projection_error_bound`` return **upper bounds**
that are rigorous in floating point: closed forms are evaluated in float64 and then
pushed outward with the a-priori error bounds of :mod:`constructions._rounding`
(Higham's :math:`\gamma_n`); polytope supports are Lagrangian (weak-duality) bounds
whose multipliers come from an LP but whose value is re-evaluated here with outward
rounding, so a wrong or inaccurate LP answer can only loosen the bound, never break it.
Projections and tangent-cone projections are ordinary floating-point approximations.
"""

from __future__ import annotations

import abc
import math
import warnings
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from ._errors import InvalidArgument, SolverFailed
from ._rounding import UNIT_ROUNDOFF, dot_upper, gamma, norm_upper, up
from ._validation import _float_array, as_matrix, as_positive_int, as_real, as_vector, short_repr

__all__ = [
    "ConvexSet",
    "CoupledSet",
    "Box",
    "Simplex",
    "Ball",
    "Polytope",
    "ProductSet",
    "CoupledPolytope",
    "DSZSet",
]

_U = UNIT_ROUNDOFF
_TINY = 2.0**-1074
#: sums with more terms use numpy's float sum and an a-priori error bound instead of math.fsum
_FSUM_MAX = 65536

Within = tuple[np.ndarray, np.ndarray] | None


# ---------------------------------------------------------------------------
# rigorous floating-point helpers (private)
# ---------------------------------------------------------------------------


def _upper_sum(*term_arrays: Any, zeros_exact: bool = False) -> float:
    r"""Sound upper bound on :math:`\sum_k t_k^\star` where each float ``t_k = fl(t_k^\star)``.

    Every term must be the result of **one** correctly rounded operation on exact
    floats (a product, a difference), so :math:`|t_k^\star - t_k| \le u|t_k| + 2^{-1074}`.
    Terms that are already upper bounds (error terms) may be passed too: the extra
    slack only loosens the bound. ``+inf`` anywhere gives ``inf``. With
    ``zeros_exact=True`` the caller guarantees that zero terms are exact zeros (not
    underflowed products), so an all-zero sum returns exactly 0.
    """
    parts = [t for t in (np.asarray(t, dtype=float).ravel() for t in term_arrays) if t.size]
    terms = np.concatenate(parts) if len(parts) > 1 else (parts[0] if parts else np.zeros(0))
    if terms.size == 0:
        return 0.0
    n = terms.size
    # a finite float sum means no NaN and no infinite term (inf + finite = inf, inf - inf = nan)
    quick = float(np.sum(terms))
    if not math.isfinite(quick):
        if np.isnan(terms).any():
            return math.inf
        if np.isposinf(terms).any():
            return math.inf
        if np.isneginf(terms).any():
            return -math.inf
    mag = float(np.sum(np.abs(terms)))
    # sum_k |t_k* - t_k| <= u sum_k |t_k| <= 2u mag (the float mag underestimates by
    # at most gamma_n < 1/2); fsum adds one rounding of |total|
    n_tiny = int(np.count_nonzero(terms)) if zeros_exact else n + 1
    if n_tiny == 0:
        return 0.0
    err = 3.0 * _U * mag + 2.0 * _U * abs(quick) + n_tiny * _TINY
    if n <= _FSUM_MAX:
        total = math.fsum(terms)  # correctly rounded value of the float sum
        err = 3.0 * _U * mag + 2.0 * _U * abs(total) + n_tiny * _TINY
    else:  # long sums: numpy's float sum, |error| <= gamma_{n-1} sum|t_k| <= 2 gamma_n mag (Higham 4.2)
        total = quick
        err += 2.0 * gamma(n) * mag * (1.0 + 4.0 * _U)
    return up(total, err)


def _two_diff(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Knuth's TwoSum for ``a - b``: ``s = fl(a - b)`` and ``e`` with ``a - b = s + e`` exactly.

    Non-finite ``s`` gives ``e = inf`` (the caller's bounds then become ``inf``).
    """
    a = np.asarray(a, dtype=float)
    nb = -np.asarray(b, dtype=float)
    with np.errstate(invalid="ignore", over="ignore"):
        s = a + nb
        bb = s - a
        e = (a - (s - bb)) + (nb - bb)
    e = np.where(np.isfinite(s), e, np.inf)
    return s, e


def _matvec_bounds(M: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Elementwise rigorous lower and upper bounds on the exact product ``M @ x``."""
    if M.shape[0] == 0:
        return np.zeros(0), np.zeros(0)
    n = M.shape[1]
    val = M @ x
    mag = np.abs(M) @ np.abs(x)
    g = gamma(n + 1)
    err = g * mag * (1.0 + 2.0 * g) + (n + 1) * _TINY
    with np.errstate(over="ignore"):
        hi = np.nextafter(val + err, np.inf)
        lo = np.nextafter(val - err, -np.inf)
    return lo, hi


def _two_prod(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dekker's TwoProduct: ``p = fl(a b)`` and ``e`` with ``a b = p + e`` exactly.

    Exact unless a product under- or overflows (callers guard against that range).
    """
    factor = 134217729.0  # 2^27 + 1
    with np.errstate(over="ignore", invalid="ignore"):
        ca = factor * a
        a_hi = ca - (ca - a)
        a_lo = a - a_hi
        cb = factor * b
        b_hi = cb - (cb - b)
        b_lo = b - b_hi
        p = a * b
        e = ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    return p, e


def _residual_with_error(v: np.ndarray, G: np.ndarray, mult: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""``r ~ v - G^T mult`` with an elementwise bound ``|r* - r| <= err`` on the exact value.

    Products are split exactly (TwoProduct) and each column summed with ``math.fsum``,
    so ``r`` is the correctly rounded exact residual and ``err = u |r|``: an exactly
    zero residual is recognised as such (important on unbounded coordinates). Falls
    back to Higham's a-priori bound when a product leaves the safe exponent range.
    """
    n = v.shape[0]
    if G.shape[0] == 0:
        return v.copy(), np.zeros(n)
    prods = G * mult[:, None]  # (k, n)
    mags = np.abs(prods)
    safe = (
        np.all((mags == 0) | ((mags > 1e-280) & (mags < 1e280)))
        and np.all(np.abs(G) < 1e280)
        and np.all(np.abs(mult) < 1e280)
    )
    if not safe:
        q = G.T @ mult
        qmag = np.abs(G.T) @ np.abs(mult)
        r = v - q
        g = gamma(G.shape[0] + 2)
        err = 2.0 * g * (qmag + np.abs(v)) + 2.0 * _U * np.abs(r)
        return r, np.where(qmag + np.abs(v) > 0, err + 4 * _TINY, 0.0)
    p, e = _two_prod(G, np.broadcast_to(mult[:, None], G.shape))
    terms = np.vstack([v[None, :], -p, -e])  # exact: v - G^T mult = column sums
    r = np.array([math.fsum(terms[:, j]) for j in range(n)])
    return r, _U * np.abs(r)


def _box_lagrangian_upper(
    r: np.ndarray, r_err: np.ndarray | None, lo: np.ndarray, hi: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    r"""Terms of a sound bound on :math:`\sum_j \max_{z_j \in [lo_j, hi_j]} \rho_j z_j`.

    Valid for every exact :math:`\rho` with :math:`|\rho_j - r_j| \le` ``r_err[j]``.
    Returns ``(terms, err_terms)`` to be summed with :func:`_upper_sum`; a nonzero
    :math:`r_j` (or error) on an unbounded side gives ``+inf`` (the honest answer).
    """
    with np.errstate(invalid="ignore", over="ignore"):
        # r_j hi_j where r_j > 0, r_j lo_j where r_j < 0, 0 otherwise (one float temporary)
        pos = r > 0
        terms = r * lo
        np.multiply(r, hi, out=terms, where=pos)
        terms[~(pos | (r < 0))] = 0.0
        # a nonzero product that underflowed to 0 is replaced by an upper bound
        zero = terms == 0
        if np.count_nonzero(zero) > np.count_nonzero(r == 0):
            terms[zero & (r != 0)] = _TINY
        if r_err is None:
            errs = np.zeros(0)
        else:
            mag = np.maximum(np.abs(lo), np.abs(hi))
            errs = np.where(r_err > 0, np.maximum(r_err * mag, _TINY), 0.0)
    return terms, errs


def _intersect_within(lo: np.ndarray, hi: np.ndarray, within: Within) -> tuple[np.ndarray, np.ndarray]:
    if within is None:
        return lo, hi
    return np.maximum(lo, within[0]), np.minimum(hi, within[1])


def _shifted_box(lo: np.ndarray, hi: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``[lo - p, hi - p]`` rounded outward (contains the exact shifted interval)."""
    s_lo, e_lo = _two_diff(lo, p)
    s_hi, e_hi = _two_diff(hi, p)
    with np.errstate(invalid="ignore"):
        out_lo = np.where(np.isinf(lo), lo, np.where(e_lo < 0, np.nextafter(s_lo, -np.inf), s_lo))
        out_hi = np.where(np.isinf(hi), hi, np.where(e_hi > 0, np.nextafter(s_hi, np.inf), s_hi))
    return out_lo, out_hi


def _sqrt_upper(value: float) -> float:
    """Rigorous upper bound on :math:`\\sqrt{value}` (``value`` an exact float, ``>= 0``)."""
    if value <= 0.0:
        return 0.0
    root = math.sqrt(value)
    return up(root, 2.0 * _U * root)


def _norm_upper_tight(x: np.ndarray) -> float:
    """Rigorous upper bound on ``||x||`` (squares summed with fsum: no ``gamma_n`` growth)."""
    return _sqrt_upper(_upper_sum(x * x))


# ---------------------------------------------------------------------------
# argument checking (private)
# ---------------------------------------------------------------------------


def _bound_vector(value: Any, name: str, dim: int | None) -> np.ndarray:
    """A vector of bounds: NaN rejected, infinities allowed, scalars broadcast to ``dim``."""
    if isinstance(value, (str, bytes)):
        raise InvalidArgument(f"{name} must be a vector of numbers, got {name}={short_repr(value)}")
    arr = _float_array(value, name, "vector")
    if arr.ndim == 0 and dim is not None:
        arr = np.full(dim, float(arr))
    arr = as_vector(arr, name, dim=dim, finite=False)
    if np.isnan(arr).any():
        raise InvalidArgument(f"{name} must not contain NaN, got {name}={short_repr(value)}")
    return arr


def _box_bounds(
    lo: Any, hi: Any, dim: int | None, lo_name: str = "lo", hi_name: str = "hi"
) -> tuple[np.ndarray, np.ndarray]:
    """Validate a pair of bound vectors (``None`` = unbounded); raise if the box is empty."""
    if dim is None:
        for value in (lo, hi):
            if value is not None and np.ndim(value) == 1:
                dim = len(value)
                break
        else:
            raise InvalidArgument(
                f"cannot infer the dimension from scalar bounds, got {lo_name}={short_repr(lo)}, "
                f"{hi_name}={short_repr(hi)}"
            )
    lo_arr = np.full(dim, -np.inf) if lo is None else _bound_vector(lo, lo_name, dim)
    hi_arr = np.full(dim, np.inf) if hi is None else _bound_vector(hi, hi_name, dim)
    if np.isposinf(lo_arr).any():
        raise InvalidArgument(
            f"the set is empty: {lo_name} must be < inf, got {lo_name}={short_repr(lo_arr)}"
        )
    if np.isneginf(hi_arr).any():
        raise InvalidArgument(
            f"the set is empty: {hi_name} must be > -inf, got {hi_name}={short_repr(hi_arr)}"
        )
    bad = np.flatnonzero(lo_arr > hi_arr)
    if bad.size:
        j = int(bad[0])
        raise InvalidArgument(
            f"the set is empty: {lo_name} > {hi_name} at index {j} "
            f"({lo_name}[{j}]={lo_arr[j]!r}, {hi_name}[{j}]={hi_arr[j]!r}); got "
            f"{lo_name}={short_repr(lo_arr)}, {hi_name}={short_repr(hi_arr)}"
        )
    return lo_arr, hi_arr


def _check_within(within: Any, dim: int) -> Within:
    if within is None:
        return None
    if not isinstance(within, (tuple, list)) or len(within) != 2:
        raise InvalidArgument(
            f"within must be None or a pair (lo, hi) of vectors, got within={short_repr(within)}"
        )
    lo = _bound_vector(within[0], "within[0]", dim)
    hi = _bound_vector(within[1], "within[1]", dim)
    return lo, hi


def _check_tol(tol: Any) -> float:
    return as_real(tol, "tol", nonnegative=True)


# ---------------------------------------------------------------------------
# abstract interface
# ---------------------------------------------------------------------------


class ConvexSet(abc.ABC):
    """A nonempty closed convex subset of :math:`\\mathbb{R}^{dim}`.

    Abstract base of the strategy sets: every set answers ``violation``, ``contains``,
    ``project``, ``support`` and ``diameter``.

    Examples
    --------
    >>> from constructions import Simplex
    >>> S = Simplex(3)
    >>> isinstance(S, ConvexSet), S.dim, S.project(np.array([1.0, 1.0, -1.0])).tolist()
    (True, 3, [0.5, 0.5, 0.0])
    >>> S.contains(np.array([0.5, 0.5, 0.0])), S.violation(np.array([1.0, 1.0, 0.0])) > 0
    (True, True)
    """

    #: ambient dimension
    dim: int

    @abc.abstractmethod
    def violation(self, x: np.ndarray) -> float:
        r"""Largest constraint violation of ``x`` (0.0 when ``x`` is in the set).

        Every set measures it in its own constraints, e.g. :math:`\max_j \max(lo_j - x_j,
        x_j - hi_j, 0)` for a box; it is 0 exactly on the set and positive off it.

        Parameters
        ----------
        x : array_like, shape (dim,)
            A finite point of the ambient space.

        Returns
        -------
        float
            The violation, ``>= 0``.

        Examples
        --------
        >>> S = Box([0.0, 0.0], [1.0, 1.0])
        >>> S.violation([0.5, 0.5]), S.violation([1.5, -0.25])    # inside; 1.5 - 1 = 0.5
        (0.0, 0.5)
        """

    def contains(self, x: np.ndarray, *, tol: float = 0.0) -> bool:
        r"""Whether every constraint holds up to the absolute tolerance ``tol``.

        That is, :math:`\mathrm{violation}(x) \le tol`.

        Parameters
        ----------
        x : array_like, shape (dim,)
            A finite point of the ambient space.
        tol : float, default 0.0
            Absolute tolerance on each constraint (``>= 0``).

        Returns
        -------
        bool

        Examples
        --------
        >>> S = Box([0.0, 0.0], [1.0, 1.0])
        >>> x = [1.0 + 1e-9, 0.5]
        >>> S.contains(x), S.contains(x, tol=1e-8)
        (False, True)
        """
        tol = _check_tol(tol)
        return bool(self.violation(x) <= tol)

    @abc.abstractmethod
    def project(self, y: np.ndarray) -> np.ndarray:
        r"""Euclidean projection :math:`\Pi_S(y) = \arg\min_{z \in S} \|z - y\|_2` of ``y`` onto the set.

        A floating-point approximation (closed forms for boxes, simplices, balls and DSZ sets,
        a QP for polytopes); :meth:`projection_error_bound` gives a sound error bound.

        Parameters
        ----------
        y : array_like, shape (dim,)
            The point to project (finite).

        Returns
        -------
        numpy.ndarray, shape (dim,)
            The projection.

        Examples
        --------
        >>> S = Ball([0.0, 0.0], 1.0)
        >>> S.project([3.0, 4.0])          # y / ||y|| for y outside the unit ball
        array([0.6, 0.8])
        >>> S.project([0.3, 0.4])          # points of the set are fixed
        array([0.3, 0.4])
        """

    @abc.abstractmethod
    def support(self, v: np.ndarray, *, within: tuple[np.ndarray, np.ndarray] | None = None) -> float:
        r"""Sound upper bound on :math:`\max_{z \in S \cap B} \langle v, z \rangle`.

        ``B`` is the box ``within=(lo, hi)`` when given (implementations may ignore it,
        which only loosens the bound), else the whole space. Without ``B`` the exact value is the
        support function :math:`\sigma_S(v)`; the bound is rounded outward so it is rigorous in
        floating point, and ``inf`` when the set is unbounded in the direction ``v``.

        Parameters
        ----------
        v : array_like, shape (dim,)
            The direction (finite).
        within : tuple of (array_like, array_like), optional
            A box ``(lo, hi)`` known to contain the relevant part of the set.

        Returns
        -------
        float
            An upper bound on the maximum (``inf`` when unbounded, ``-inf`` when
            :math:`S \cap B` is empty).

        Examples
        --------
        >>> S = Box([0.0, 0.0], [1.0, 1.0])
        >>> S.support([1.0, -2.0])                              # exact value 1 * 1 + (-2) * 0 = 1
        1.0000000000000007
        >>> S.support([1.0, -2.0], within=([0.0, 0.5], [1.0, 1.0])) < 1e-12    # 1 - 2 * 0.5 = 0
        True
        >>> Box.reals(2).support([1.0, 0.0])
        inf
        """

    @abc.abstractmethod
    def tangent_cone_projection(self, x: np.ndarray, v: np.ndarray, *, tol: float = 1e-12) -> np.ndarray:
        r"""Projection of ``v`` onto the tangent cone :math:`T_S(x)` of the set at ``x``.

        :math:`T_S(x)` is the closure of :math:`\{t(z - x) : z \in S, t \ge 0\}`; its projection
        keeps the part of ``v`` that can be followed from ``x`` without leaving the set (the
        projected-gradient direction). Constraints within ``tol`` of being active at ``x`` are
        treated as active.

        Parameters
        ----------
        x : array_like, shape (dim,)
            A point of the set.
        v : array_like, shape (dim,)
            The direction to project.
        tol : float, default 1e-12
            Activity tolerance (``>= 0``).

        Returns
        -------
        numpy.ndarray, shape (dim,)

        Examples
        --------
        >>> S = Box([0.0, 0.0], [1.0, 1.0])
        >>> S.tangent_cone_projection([0.0, 0.5], [-1.0, 2.0])   # x_0 = lo_0: w_0 >= 0
        array([0., 2.])
        """

    @abc.abstractmethod
    def diameter(self) -> float:
        r"""Euclidean diameter :math:`\max_{z, z' \in S} \|z - z'\|_2` (``inf`` for unbounded sets).

        An upper bound rounded outward (for polytopes: the diagonal of a bounding box).

        Returns
        -------
        float

        Examples
        --------
        >>> Box([0.0, 0.0], [3.0, 4.0]).diameter()       # ||hi - lo|| = 5, rounded up
        5.000000000000004
        >>> Box.reals(2).diameter()
        inf
        """

    # -- hooks used by projection_error_bound; concrete sets override them ----

    def _support_bound(self, v: np.ndarray, within: Within, v_err: np.ndarray | None) -> float:
        """Sound upper bound on :math:`\\sigma_{S\\cap B}(v^\\star)` for every exact ``v*``
        with ``|v* - v| <= v_err`` (elementwise). Default: only ``v_err = 0`` is handled."""
        if v_err is not None and np.any(v_err != 0):
            return math.inf
        return self.support(v, within=within)

    def _distance_upper(self, p: np.ndarray) -> float:
        """Rigorous upper bound on :math:`\\operatorname{dist}(p, S)` (``inf`` if unknown)."""
        return 0.0 if self.violation(p) <= 0.0 else math.inf

    def _check_point(self, x: Any, name: str) -> np.ndarray:
        return as_vector(x, name, dim=self.dim)

    def _nu_upper(self, w: np.ndarray, e: np.ndarray, p: np.ndarray) -> float:
        """Sound upper bound on :math:`\\max_{z \\in S}\\langle w + e, z - p\\rangle`.

        ``w + e`` is evaluated exactly (``e`` is the TwoSum error of ``y - p``).

        Default: :math:`\\sigma_S(w + e) - \\langle w + e, p\\rangle`; sets override it
        with a per-coordinate form that avoids the cancellation."""
        sigma = self._support_bound(w, None, np.abs(e))
        if not math.isfinite(sigma):
            return math.inf
        return _upper_sum([sigma], -(w * p), -(e * p))

    def projection_error_bound(self, y: np.ndarray, p: np.ndarray) -> float:
        r"""Sound upper bound on :math:`\|p - \Pi_S(y)\|`.

        For a point ``p`` of the set (``certificates.md`` §1.1(d)),
        :math:`\|p - \Pi_S(y)\|^2 \le \nu(p) := \sigma_S(y-p) - \langle y-p, p\rangle`.
        ``y - p`` is split exactly as ``w + e`` (TwoSum) and
        :math:`\sigma_S(w + e)` is bounded with the error ``|e|`` folded into the
        support bound, so the result is rigorous in floating point.

        When ``p`` is only *near* the set and the set knows a rigorous bound
        :math:`\eta \ge \operatorname{dist}(p, S)` (box, simplex, ball, DSZ set, products
        of them), a feasible :math:`p'` with :math:`\|p - p'\| \le \eta` exists and
        :math:`\nu(p') \le \nu(p) + \eta(\|y - p\| + D + 2\eta)` (``D`` the diameter),
        so :math:`\|p - \Pi_S(y)\| \le \eta + \sqrt{\nu(p')}`. Otherwise (e.g. a polytope
        point that is not rigorously feasible) the result is ``inf``.

        Parameters
        ----------
        y : array_like, shape (dim,)
            The point that was projected.
        p : array_like, shape (dim,)
            The candidate projection (typically ``project(y)``).

        Returns
        -------
        float
            A bound :math:`\ge \|p - \Pi_S(y)\|_2` (``inf`` when none can be proved).

        Examples
        --------
        >>> S = Box([0.0, 0.0], [1.0, 1.0])
        >>> S.projection_error_bound([2.0, 0.5], [1.0, 0.5]) < 1e-100  # p is the projection
        True
        >>> S.projection_error_bound([2.0, 0.5], [1.0, 0.4]) >= 0.1
        True
        """
        y = self._check_point(y, "y")
        p = self._check_point(p, "p")
        eta = self._distance_upper(p)
        if not math.isfinite(eta):
            return math.inf
        w, e = _two_diff(y, p)
        if not np.all(np.isfinite(e)):
            return math.inf
        nu = self._nu_upper(w, e, p)
        if not math.isfinite(nu):
            return math.inf
        if eta > 0.0:
            diam = self.diameter()
            if not math.isfinite(diam):
                return math.inf
            ynorm = up(norm_upper(w), norm_upper(e))
            nu = _upper_sum([nu, up(eta * up(up(ynorm, diam), 2.0 * eta))])
            return up(eta, _sqrt_upper(max(nu, 0.0)))
        return _sqrt_upper(max(nu, 0.0))


class CoupledSet(ConvexSet):
    """A joint feasible set shared by several players, with per-player slices.

    ``blocks`` lists the sizes of the players' blocks; ``slice(i, x)`` returns the
    feasible set :math:`S_i(x_{-i})` of player ``i`` with the others held at ``x``.

    Examples
    --------
    >>> from constructions import DSZSet
    >>> S = DSZSet(1, 0.1)                   # {(x, y) in [0, 1]^2 : |x - y| <= 0.1}
    >>> isinstance(S, CoupledSet), S.blocks
    (True, (1, 1))
    >>> S.slice(0, np.array([0.5, 0.9]))      # the x-player's slice when y = 0.9
    Box(lo=array([0.8]), hi=array([1.]))
    """

    blocks: tuple[int, ...]

    @abc.abstractmethod
    def slice(self, i: int, x: np.ndarray) -> ConvexSet:
        r"""The slice :math:`S_i(x_{-i}) = \{z_i : (z_i, x_{-i}) \in S\}` (a set of dimension ``blocks[i]``).

        Only the other players' blocks of ``x`` matter; player ``i``'s own block is ignored.

        Parameters
        ----------
        i : int
            The player, ``0 <= i < len(blocks)``.
        x : array_like, shape (dim,)
            A joint point fixing the other blocks.

        Returns
        -------
        ConvexSet

        Examples
        --------
        >>> from constructions import DSZSet
        >>> S = DSZSet(1, 0.25)                 # {(a, b) in [0, 1]^2 : |a - b| <= 0.25}
        >>> S.slice(1, [0.9, 0.0])              # b in [0.9 - 0.25, 1]
        Box(lo=array([0.65]), hi=array([1.]))
        """

    def block_slices(self) -> list[slice]:
        """Index slices of the players' blocks inside a joint vector.

        Returns
        -------
        list of slice
            ``out[i]`` selects player ``i``'s block ``x_i`` from ``x``.

        Examples
        --------
        >>> from constructions import DSZSet
        >>> S = DSZSet(2, 0.5)
        >>> sl = S.block_slices()
        >>> sl
        [slice(0, 2, None), slice(2, 4, None)]
        >>> np.arange(4.0)[sl[1]]
        array([2., 3.])
        """
        out, start = [], 0
        for size in self.blocks:
            out.append(slice(start, start + size))
            start += size
        return out

    def _check_player(self, i: Any) -> int:
        if (
            isinstance(i, bool)
            or not isinstance(i, (int, np.integer))
            or not (0 <= int(i) < len(self.blocks))
        ):
            raise InvalidArgument(
                f"i must be a player index in [0, {len(self.blocks) - 1}], got i={short_repr(i)}"
            )
        return int(i)


def _blocks_to_slices(blocks: Sequence[int]) -> list[slice]:
    out, start = [], 0
    for size in blocks:
        out.append(slice(start, start + size))
        start += size
    return out


# ---------------------------------------------------------------------------
# Box
# ---------------------------------------------------------------------------


class Box(ConvexSet):
    r"""The box :math:`\{z \in \mathbb{R}^n : lo \le z \le hi\}` (infinite bounds allowed).

    Parameters
    ----------
    lo, hi : array_like
        Lower and upper bounds (``-inf`` / ``inf`` leave a coordinate free). A scalar
        is broadcast to the length of the other bound.

    Notes
    -----
    * Projection: :math:`\Pi(y) = \operatorname{clip}(y, lo, hi)`.
    * Support: :math:`\sigma(v) = \sum_j \max(v_j lo_j, v_j hi_j)` (``inf`` if some
      :math:`v_j \neq 0` points to an infinite bound), rounded up.
    * Tangent cone at ``x``: :math:`w_j \ge 0` where :math:`x_j \le lo_j + tol`,
      :math:`w_j \le 0` where :math:`x_j \ge hi_j - tol`; the projection is a clip.
    * Diameter :math:`\|hi - lo\|` (rounded up; ``inf`` if unbounded).

    Examples
    --------
    >>> S = Box([0.0, -1.0], [1.0, 1.0])
    >>> S.project([2.0, 0.5])
    array([1. , 0.5])
    >>> S.support([1.0, -1.0])  # 2, rounded up
    2.0000000000000013
    >>> Box.reals(2).project([3.0, -4.0])
    array([ 3., -4.])
    """

    def __init__(self, lo: Any, hi: Any) -> None:
        self.lo, self.hi = _box_bounds(lo, hi, None)
        self.dim = self.lo.shape[0]

    @classmethod
    def reals(cls, n: int) -> Box:
        r"""The whole space :math:`\mathbb{R}^n` as a box with infinite bounds.

        Parameters
        ----------
        n : int
            Dimension (``n >= 1``).

        Returns
        -------
        Box

        Examples
        --------
        >>> Box.reals(3).diameter()
        inf
        >>> Box.reals(2).project([3.0, -4.0])
        array([ 3., -4.])
        """
        n = as_positive_int(n, "n")
        return cls(np.full(n, -np.inf), np.full(n, np.inf))

    def __repr__(self) -> str:
        return f"Box(lo={short_repr(self.lo)}, hi={short_repr(self.hi)})"

    def violation(self, x: np.ndarray) -> float:
        r"""Largest bound violation :math:`\max_j \max(lo_j - x_j,\ x_j - hi_j,\ 0)`.

        Parameters
        ----------
        x : array_like, shape (dim,)
            A finite point.

        Returns
        -------
        float

        Examples
        --------
        >>> S = Box([0.0, 0.0], [1.0, 1.0])
        >>> S.violation([1.5, -0.25]), S.violation([1.0, 0.0])
        (0.5, 0.0)
        """
        if not (type(x) is np.ndarray and x.dtype == np.float64 and x.shape == (self.dim,)):
            x = self._check_point(x, "x")
        else:  # validated without a copy: a finite sum has no NaN/inf entry
            with np.errstate(over="ignore", invalid="ignore"):
                finite = np.isfinite(x.sum())
            if not finite:
                x = self._check_point(x, "x")  # raises for NaN/inf (the usual message), passes on overflow
        with np.errstate(invalid="ignore"):
            v = np.subtract(self.lo, x)
            np.maximum(v, np.subtract(x, self.hi), out=v)
        return float(max(np.max(v, initial=0.0), 0.0))

    def project(self, y: np.ndarray) -> np.ndarray:
        r"""Projection by clipping: :math:`\Pi(y)_j = \min(\max(y_j, lo_j), hi_j)`.

        Parameters
        ----------
        y : array_like, shape (dim,)
            The point to project.

        Returns
        -------
        numpy.ndarray, shape (dim,)

        Examples
        --------
        >>> S = Box([0.0, -1.0], [1.0, 1.0])
        >>> S.project([2.0, 0.5])
        array([1. , 0.5])
        >>> Box([0.0, -np.inf], [1.0, np.inf]).project([-3.0, -7.0])     # free coordinates stay
        array([ 0., -7.])
        """
        y = self._check_point(y, "y")
        return np.clip(y, self.lo, self.hi)

    def support(self, v: np.ndarray, *, within: tuple[np.ndarray, np.ndarray] | None = None) -> float:
        r"""Upper bound on :math:`\sigma(v) = \sum_j \max(v_j lo_j, v_j hi_j)`, rounded up.

        A coordinate with :math:`v_j \neq 0` pointing to an infinite bound gives ``inf``. With
        ``within=(lo', hi')`` the box is first intersected with ``[lo', hi']``.

        Parameters
        ----------
        v : array_like, shape (dim,)
            The direction.
        within : tuple of (array_like, array_like), optional
            An extra box to intersect with.

        Returns
        -------
        float

        Examples
        --------
        >>> S = Box([0.0, -1.0], [1.0, 1.0])
        >>> S.support([1.0, -1.0])                   # 1 * 1 + (-1) * (-1) = 2, rounded up
        2.0000000000000013
        >>> S.support([1.0, -1.0], within=([0.0, 0.0], [0.5, 1.0]))   # 0.5 + 0
        0.5000000000000003
        >>> Box([0.0], [np.inf]).support([1.0])
        inf
        """
        v = self._check_point(v, "v")
        return self._support_bound(v, _check_within(within, self.dim), None)

    def _support_bound(self, v: np.ndarray, within: Within, v_err: np.ndarray | None) -> float:
        lo, hi = _intersect_within(self.lo, self.hi, within)
        return _upper_sum(*_box_lagrangian_upper(v, v_err, lo, hi), zeros_exact=True)

    def tangent_cone_projection(self, x: np.ndarray, v: np.ndarray, *, tol: float = 1e-12) -> np.ndarray:
        r"""Clip of ``v``: :math:`w_j \ge 0` at an active lower bound, :math:`w_j \le 0` at an upper one.

        A coordinate is at its lower bound when :math:`x_j \le lo_j + tol` and at its upper bound
        when :math:`x_j \ge hi_j - tol`; other coordinates of ``v`` are kept.

        Parameters
        ----------
        x : array_like, shape (dim,)
            A point of the box.
        v : array_like, shape (dim,)
            The direction.
        tol : float, default 1e-12
            Activity tolerance.

        Returns
        -------
        numpy.ndarray, shape (dim,)

        Examples
        --------
        >>> S = Box([0.0, -1.0], [1.0, 1.0])
        >>> S.tangent_cone_projection([0.0, 1.0], [-2.0, -3.0])   # x_0 at lo (w_0 >= 0), x_1 at hi (w_1 <= 0)
        array([ 0., -3.])
        >>> S.tangent_cone_projection([0.5, 0.0], [-2.0, 3.0])    # interior: v itself
        array([-2.,  3.])
        """
        x = self._check_point(x, "x")
        v = self._check_point(v, "v")
        tol = _check_tol(tol)
        w = v.copy()
        at_lo = x <= self.lo + tol
        at_hi = x >= self.hi - tol
        w[at_lo] = np.maximum(w[at_lo], 0.0)
        w[at_hi] = np.minimum(w[at_hi], 0.0)
        return w

    def diameter(self) -> float:
        r"""The diagonal :math:`\|hi - lo\|_2`, rounded up (``inf`` if some bound is infinite).

        Returns
        -------
        float

        Examples
        --------
        >>> Box([0.0, 0.0], [3.0, 4.0]).diameter()
        5.000000000000004
        >>> Box([0.0, 0.0], [1.0, np.inf]).diameter()
        inf
        """
        d = self.hi - self.lo
        if not np.all(np.isfinite(d)):
            return math.inf
        return norm_upper(d * (1.0 + 2.0 * _U))

    def _nu_upper(self, w: np.ndarray, e: np.ndarray, p: np.ndarray) -> float:
        # sum_j max over z_j in [lo_j, hi_j] of (w_j + e_j)(z_j - p_j), with the
        # interval [lo - p, hi - p] rounded outward (exact 0 when p_j sits on a bound)
        terms = _box_lagrangian_upper(w, np.abs(e), *_shifted_box(self.lo, self.hi, p))
        return _upper_sum(*terms, zeros_exact=True)

    def _distance_upper(self, p: np.ndarray) -> float:
        v = np.maximum(np.maximum(self.lo - p, p - self.hi), 0.0)
        if not np.any(v > 0):  # the sign of a rounded difference is exact
            return 0.0
        return norm_upper(v * (1.0 + 2.0 * _U))


# ---------------------------------------------------------------------------
# Simplex
# ---------------------------------------------------------------------------


class Simplex(ConvexSet):
    r"""The scaled probability simplex :math:`\{z \in \mathbb{R}^n : z \ge 0, \sum_j z_j = t\}`.

    Parameters
    ----------
    n : int
        Dimension (``n >= 1``).
    total : float, default 1.0
        The sum ``t >= 0`` (``t = 0`` gives the single point 0).

    Notes
    -----
    * Projection (sort-threshold, vectorised): sort ``y`` decreasingly,
      :math:`\rho = \max\{j : y_{(j)} - (\sum_{r \le j} y_{(r)} - t)/j > 0\}`,
      :math:`\theta = (\sum_{r\le\rho} y_{(r)} - t)/\rho`, :math:`\Pi(y) = \max(y - \theta, 0)`.
    * Support: :math:`\sigma(v) = t \max_j v_j`. With ``within=(lo, hi)`` the bound is the
      Lagrangian :math:`\mu t + \sum_j \max_{z_j \in [l_j, h_j]} (v_j - \mu) z_j`,
      :math:`l = \max(lo, 0)`, :math:`h = \min(hi, t)`, with :math:`\mu` the fractional-
      knapsack threshold (exact when the intersection is nonempty); any :math:`\mu`
      gives a valid bound, and it is evaluated with outward rounding.
    * Tangent cone at ``x``: :math:`\{w : \sum_j w_j = 0,\ w_j \ge 0 \text{ where }
      x_j \le tol\}`; the projection is :math:`w_j = v_j - \theta` on free coordinates and
      :math:`\max(v_j - \theta, 0)` on active ones, with :math:`\theta` the largest root
      candidate of the piecewise-linear equation :math:`\sum_j w_j = 0`.
    * Diameter :math:`t\sqrt 2` for ``n >= 2`` and 0 for ``n = 1`` (rounded up).

    Examples
    --------
    >>> S = Simplex(3)
    >>> S.project([0.5, 0.5, 0.5])
    array([0.33333333, 0.33333333, 0.33333333])
    >>> S.project([2.0, 0.0, -1.0])
    array([1., 0., 0.])
    >>> S.support([0.2, 0.7, -1.0]) >= 0.7
    True
    """

    def __init__(self, n: int, total: float = 1.0) -> None:
        self.dim = as_positive_int(n, "n")
        self.total = as_real(total, "total")
        if self.total < 0:
            raise InvalidArgument(f"the set is empty: total must be >= 0, got total={self.total!r}")

    def __repr__(self) -> str:
        return f"Simplex(n={self.dim}, total={self.total!r})"

    def violation(self, x: np.ndarray) -> float:
        r"""Largest violation :math:`\max(-\min_j x_j,\ |\sum_j x_j - t|,\ 0)` (the sum by ``math.fsum``).

        Parameters
        ----------
        x : array_like, shape (dim,)
            A finite point.

        Returns
        -------
        float

        Examples
        --------
        >>> S = Simplex(3)
        >>> S.violation([0.5, 0.25, 0.25]), S.violation([0.5, 0.75, -0.25]), S.violation([0.5, 0.75, 0.0])
        (0.0, 0.25, 0.25)
        """
        x = self._check_point(x, "x")
        return float(max(-np.min(x), abs(math.fsum(x) - self.total), 0.0))

    def project(self, y: np.ndarray) -> np.ndarray:
        r"""Sort-based projection :math:`\Pi(y) = \max(y - \theta, 0)` onto the simplex.

        With :math:`u = ` ``y`` sorted decreasingly,
        :math:`\rho = \max\{j : u_j - (\sum_{r \le j} u_r - t)/j > 0\}` and
        :math:`\theta = (\sum_{r \le \rho} u_r - t)/\rho`; the threshold :math:`\theta` is the
        multiplier of the sum constraint.

        Parameters
        ----------
        y : array_like, shape (dim,)
            The point to project.

        Returns
        -------
        numpy.ndarray, shape (dim,)

        Examples
        --------
        >>> S = Simplex(3)
        >>> S.project([0.6, 0.3, -0.2])    # rho = 2, theta = (0.9 - 1) / 2 = -0.05
        array([0.65, 0.35, 0.  ])
        >>> Simplex(2, total=2.0).project([3.0, 0.0])
        array([2., 0.])
        """
        y = self._check_point(y, "y")
        u = np.sort(y)[::-1]
        css = np.cumsum(u) - self.total
        ind = np.arange(1, y.size + 1, dtype=float)
        cond = u - css / ind > 0
        rho = int(np.flatnonzero(cond)[-1]) if cond.any() else 0
        theta = css[rho] / (rho + 1.0)
        return np.maximum(y - theta, 0.0)

    def support(self, v: np.ndarray, *, within: tuple[np.ndarray, np.ndarray] | None = None) -> float:
        r"""Upper bound on :math:`\sigma(v) = t \max_j v_j`, rounded up.

        With ``within=(lo, hi)`` the bound is the Lagrangian :math:`\mu t + \sum_j \max_{z_j \in
        [l_j, h_j]} (v_j - \mu) z_j`, :math:`l = \max(lo, 0)`, :math:`h = \min(hi, t)`, with the
        fractional-knapsack threshold :math:`\mu` (exact when the intersection is nonempty).

        Parameters
        ----------
        v : array_like, shape (dim,)
            The direction.
        within : tuple of (array_like, array_like), optional
            An extra box to intersect with.

        Returns
        -------
        float

        Examples
        --------
        >>> S = Simplex(3)
        >>> S.support([0.2, 0.7, -1.0])                        # t * max v = 0.7, rounded up
        0.7000000000000004
        >>> round(S.support([1.0, 2.0, 3.0], within=([0.0, 0.0, 0.0], [1.0, 1.0, 0.25])), 12)
        2.25
        """
        v = self._check_point(v, "v")
        return self._support_bound(v, _check_within(within, self.dim), None)

    def _support_bound(self, v: np.ndarray, within: Within, v_err: np.ndarray | None) -> float:
        t = self.total
        lo = np.zeros(self.dim)
        hi = np.full(self.dim, t)
        if within is None:
            mu = float(np.max(v))
        else:
            lo, hi = _intersect_within(lo, hi, within)
            mu = self._knapsack_threshold(v, lo, hi)
        r, e = _two_diff(v, np.full(self.dim, mu))
        r_err = np.abs(e) if v_err is None else np.abs(e) + v_err * (1.0 + 2.0 * _U)
        terms, errs = _box_lagrangian_upper(r, r_err, lo, hi)
        return _upper_sum([mu * t], terms, errs)

    def _nu_upper(self, w: np.ndarray, e: np.ndarray, p: np.ndarray) -> float:
        # <w*, z - p> = <w* - mu, z> + <mu - w*, p> + mu (t - sum p), mu = max w:
        # w - mu <= 0 exactly, so the first term is <= <e, z> <= t max|e|
        t = self.total
        mu = float(np.max(w))
        r, er = _two_diff(w, np.full(self.dim, mu))  # w - mu = r + er exactly
        fs = math.fsum(np.concatenate([[t], -p]))  # t - sum p, correctly rounded
        s_lo, s_hi = math.nextafter(fs, -math.inf), math.nextafter(fs, math.inf)
        return _upper_sum(
            [t * float(np.max(np.abs(e), initial=0.0)), max(mu * s_lo, mu * s_hi)],
            -(r * p),
            -(er * p),
            -(e * p),
        )

    def _knapsack_threshold(self, v: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> float:
        rem = self.total - float(np.sum(lo))
        cap = np.maximum(hi - lo, 0.0)
        order = np.argsort(-v, kind="stable")
        cum = np.cumsum(cap[order])
        k = int(np.searchsorted(cum, rem))
        return float(v[order][min(max(k, 0), self.dim - 1)])

    def tangent_cone_projection(self, x: np.ndarray, v: np.ndarray, *, tol: float = 1e-12) -> np.ndarray:
        r"""Projection onto :math:`T(x) = \{w : \sum_j w_j = 0,\ w_j \ge 0 \text{ where } x_j \le tol\}`.

        The result is :math:`w_j = v_j - \theta` on free coordinates and
        :math:`\max(v_j - \theta, 0)` on active ones, with :math:`\theta` the largest root candidate
        of the piecewise-linear equation :math:`\sum_j w_j = 0`.

        Parameters
        ----------
        x : array_like, shape (dim,)
            A point of the simplex.
        v : array_like, shape (dim,)
            The direction.
        tol : float, default 1e-12
            Activity tolerance.

        Returns
        -------
        numpy.ndarray, shape (dim,)

        Examples
        --------
        >>> S = Simplex(3)
        >>> S.tangent_cone_projection([0.0, 0.5, 0.5], [1.0, 0.0, 0.0])     # theta = 1/3
        array([ 0.66666667, -0.33333333, -0.33333333])
        >>> S.tangent_cone_projection([0.0, 0.5, 0.5], [-1.0, 0.0, 0.0])    # would leave through z_0 < 0
        array([0., 0., 0.])
        """
        x = self._check_point(x, "x")
        v = self._check_point(v, "v")
        tol = _check_tol(tol)
        active = x <= tol
        free_v = v[~active]
        n_free = free_v.size
        s_free = float(np.sum(free_v))
        a = np.sort(v[active])[::-1]
        k = np.arange(0, a.size + 1, dtype=float)
        s_k = np.concatenate([[0.0], np.cumsum(a)])
        denom = n_free + k
        with np.errstate(invalid="ignore", divide="ignore"):
            thetas = (s_free + s_k) / denom
        thetas = thetas[denom > 0]
        theta = float(np.max(thetas))
        w = v - theta
        w[active] = np.maximum(w[active], 0.0)
        return w

    def diameter(self) -> float:
        r""":math:`t\sqrt 2` for ``n >= 2`` (the distance of two vertices), 0 for ``n = 1``; rounded up.

        Returns
        -------
        float

        Examples
        --------
        >>> Simplex(3).diameter()
        1.4142135623730958
        >>> Simplex(1).diameter()
        0.0
        """
        if self.dim == 1:
            return 0.0
        val = self.total * math.sqrt(2.0)
        return up(val, 3.0 * _U * val)

    def _distance_upper(self, p: np.ndarray) -> float:
        neg = np.minimum(p, 0.0)
        pp = np.maximum(p, 0.0)
        s_float = math.fsum(pp)  # correctly rounded: exact sum within one ulp
        s_lo, s_hi = math.nextafter(s_float, -math.inf), math.nextafter(s_float, math.inf)
        if not np.any(neg < 0) and math.fsum(np.concatenate([pp, [-self.total]])) == 0.0:
            return 0.0  # exactly on the simplex
        eta = norm_upper(neg)
        t = self.total
        if s_hi <= t or s_float <= t:
            # p+ + (t - s)/n * 1 lies in the simplex
            gap = up(t - s_lo)
            eta = up(eta, up(gap / math.sqrt(self.dim)) * (1.0 + 4.0 * _U))
        if s_lo >= t or s_float >= t:
            if s_lo <= 0.0:
                return math.inf
            # p+ * t / s lies in the simplex, at distance (s - t)/s * ||p+||
            frac = up(up(s_hi - t) / s_lo)
            eta = up(eta, up(frac * norm_upper(pp)))
        return eta


# ---------------------------------------------------------------------------
# Ball
# ---------------------------------------------------------------------------


class Ball(ConvexSet):
    r"""The Euclidean ball :math:`\{z : \|z - c\| \le R\}`.

    Parameters
    ----------
    center : array_like
        The centre ``c`` (finite).
    radius : float
        The radius ``R >= 0``.

    Notes
    -----
    * Projection :math:`c + (y - c)\min(1, R/\|y - c\|)`.
    * Support :math:`\sigma(v) = \langle v, c\rangle + R\|v\|` (rounded up; ``within``
      is ignored, which only loosens the bound).
    * Tangent cone: the whole space inside, the half-space
      :math:`\{w : \langle x - c, w\rangle \le 0\}` on the boundary
      (:math:`\|x - c\| \ge R - tol`), ``{0}`` for a degenerate ball (``R <= tol`` at its centre).
    * Diameter ``2R``.

    Examples
    --------
    >>> B = Ball([0.0, 0.0], 1.0)
    >>> B.project([3.0, 4.0])
    array([0.6, 0.8])
    >>> B.tangent_cone_projection([1.0, 0.0], [1.0, 1.0])
    array([0., 1.])
    """

    def __init__(self, center: Any, radius: float) -> None:
        self.center = as_vector(center, "center")
        self.dim = self.center.shape[0]
        self.radius = as_real(radius, "radius")
        if self.radius < 0:
            raise InvalidArgument(f"the set is empty: radius must be >= 0, got radius={self.radius!r}")

    def __repr__(self) -> str:
        return f"Ball(center={short_repr(self.center)}, radius={self.radius!r})"

    def violation(self, x: np.ndarray) -> float:
        r"""Distance outside the ball: :math:`\max(\|x - c\|_2 - R,\ 0)`.

        Parameters
        ----------
        x : array_like, shape (dim,)
            A finite point.

        Returns
        -------
        float

        Examples
        --------
        >>> B = Ball([1.0, 0.0], 2.0)
        >>> B.violation([4.0, 4.0]), B.violation([2.0, 0.0])      # ||(3, 4)|| - 2 = 3
        (3.0, 0.0)
        """
        x = self._check_point(x, "x")
        return float(max(np.linalg.norm(x - self.center) - self.radius, 0.0))

    def project(self, y: np.ndarray) -> np.ndarray:
        r"""Radial projection :math:`\Pi(y) = c + (y - c)\min(1, R/\|y - c\|_2)`.

        Parameters
        ----------
        y : array_like, shape (dim,)
            The point to project.

        Returns
        -------
        numpy.ndarray, shape (dim,)

        Examples
        --------
        >>> B = Ball([1.0, 0.0], 2.0)
        >>> B.project([4.0, 4.0])          # c + 2 * (3, 4) / 5
        array([2.2, 1.6])
        >>> B.project([1.5, 0.5])          # inside: unchanged
        array([1.5, 0.5])
        """
        y = self._check_point(y, "y")
        d = y - self.center
        nd = float(np.linalg.norm(d))
        if nd <= self.radius:
            return y
        return self.center + d * (self.radius / nd)

    def support(self, v: np.ndarray, *, within: tuple[np.ndarray, np.ndarray] | None = None) -> float:
        r"""Upper bound on :math:`\sigma(v) = \langle v, c\rangle + R\|v\|_2`, rounded up.

        ``within`` is checked but ignored, which only loosens the bound.

        Parameters
        ----------
        v : array_like, shape (dim,)
            The direction.
        within : tuple of (array_like, array_like), optional
            Ignored (validated only).

        Returns
        -------
        float

        Examples
        --------
        >>> B = Ball([1.0, 0.0], 2.0)
        >>> B.support([3.0, 4.0])          # <(3, 4), (1, 0)> + 2 * ||(3, 4)|| = 3 + 10 = 13, rounded up
        13.000000000000018
        """
        v = self._check_point(v, "v")
        _check_within(within, self.dim)
        return self._support_bound(v, None, None)

    def _support_bound(self, v: np.ndarray, within: Within, v_err: np.ndarray | None) -> float:
        terms = [_upper_sum(v * self.center), self.radius * _norm_upper_tight(v)]
        if v_err is not None:
            terms += [dot_upper(v_err, np.abs(self.center)), self.radius * norm_upper(v_err)]
        return _upper_sum(terms)

    def _nu_upper(self, w: np.ndarray, e: np.ndarray, p: np.ndarray) -> float:
        # max over the ball of <w + e, z - p> = <w + e, c - p> + R ||w + e||
        s, es = _two_diff(self.center, p)
        return _upper_sum(
            w * s,
            w * es,
            e * s,
            e * es,
            [self.radius * _norm_upper_tight(w), self.radius * _norm_upper_tight(e)],
        )

    def tangent_cone_projection(self, x: np.ndarray, v: np.ndarray, *, tol: float = 1e-12) -> np.ndarray:
        r"""Projection onto the tangent cone: all of the space inside, a half-space on the boundary.

        On the boundary (:math:`\|x - c\| \ge R - tol`) the cone is the half-space
        :math:`\{w : \langle x - c, w\rangle \le 0\}` and the outward component is removed,
        :math:`w = v - \max(\langle n, v\rangle, 0)\, n` with :math:`n = (x - c)/\|x - c\|`; at the
        centre of a degenerate ball (``R <= tol``) the cone is ``{0}``.

        Parameters
        ----------
        x : array_like, shape (dim,)
            A point of the ball.
        v : array_like, shape (dim,)
            The direction.
        tol : float, default 1e-12
            Activity tolerance.

        Returns
        -------
        numpy.ndarray, shape (dim,)

        Examples
        --------
        >>> B = Ball([1.0, 0.0], 2.0)
        >>> B.tangent_cone_projection([3.0, 0.0], [1.0, 1.0])   # boundary, n = (1, 0)
        array([0., 1.])
        >>> B.tangent_cone_projection([1.0, 0.0], [1.0, 1.0])   # interior
        array([1., 1.])
        """
        x = self._check_point(x, "x")
        v = self._check_point(v, "v")
        tol = _check_tol(tol)
        d = x - self.center
        nd = float(np.linalg.norm(d))
        if nd < self.radius - tol:
            return v.copy()
        if nd == 0.0:
            return np.zeros_like(v)
        n = d / nd
        return v - max(float(n @ v), 0.0) * n

    def diameter(self) -> float:
        """The diameter :math:`2R`.

        Returns
        -------
        float

        Examples
        --------
        >>> Ball([1.0, 0.0], 2.0).diameter()
        4.0
        """
        return 2.0 * self.radius

    def _distance_upper(self, p: np.ndarray) -> float:
        s, e = _two_diff(p, self.center)
        dist = up(norm_upper(s), norm_upper(e))
        gap = up(dist - self.radius)
        return gap if gap > 0.0 else 0.0


# ---------------------------------------------------------------------------
# ProductSet
# ---------------------------------------------------------------------------


class ProductSet(CoupledSet):
    r"""The Cartesian product :math:`S_1 \times \dots \times S_k` of convex sets.

    A product is a (trivially) coupled set: ``slice(i, x)`` is the factor ``S_i``
    whatever the other blocks are.

    Parameters
    ----------
    blocks : sequence of ConvexSet
        The factors, in the order of the blocks of the joint vector.

    Attributes
    ----------
    sets : tuple of ConvexSet
        The factors.
    blocks : tuple of int
        Their dimensions (as for every :class:`CoupledSet`).

    Notes
    -----
    Everything is blockwise: projection, tangent cone, support (the sum of the block
    bounds, rounded up), violation (the maximum); the diameter is
    :math:`\sqrt{\sum_i \operatorname{diam}(S_i)^2}` (rounded up).

    Examples
    --------
    >>> P = ProductSet([Simplex(2), Box([0.0], [1.0])])
    >>> P.blocks
    (2, 1)
    >>> P.project([1.0, 0.0, 2.0])
    array([1., 0., 1.])
    >>> P.block_slices()
    [slice(0, 2, None), slice(2, 3, None)]
    """

    def __init__(self, blocks: Sequence[ConvexSet]) -> None:
        if isinstance(blocks, ConvexSet) or not isinstance(blocks, Sequence) or not blocks:
            raise InvalidArgument(
                f"blocks must be a nonempty sequence of ConvexSet, got blocks={short_repr(blocks)}"
            )
        for k, s in enumerate(blocks):
            if not isinstance(s, ConvexSet):
                raise InvalidArgument(f"blocks[{k}] must be a ConvexSet, got blocks[{k}]={short_repr(s)}")
        self.sets: tuple[ConvexSet, ...] = tuple(blocks)
        self.blocks = tuple(s.dim for s in self.sets)
        self.dim = sum(self.blocks)
        self._slices = _blocks_to_slices(self.blocks)

    def __repr__(self) -> str:
        return f"ProductSet([{', '.join(repr(s) for s in self.sets)}])"

    def slice(self, i: int, x: np.ndarray) -> ConvexSet:
        """The factor ``sets[i]``: a product does not couple the players, so :math:`S_i(x_{-i}) = S_i`.

        Parameters
        ----------
        i : int
            The player.
        x : array_like, shape (dim,)
            A joint point (validated, otherwise unused).

        Returns
        -------
        ConvexSet

        Examples
        --------
        >>> P = ProductSet([Simplex(2), Box([0.0], [1.0])])
        >>> P.slice(1, [0.5, 0.5, 0.2])
        Box(lo=array([0.]), hi=array([1.]))
        """
        i = self._check_player(i)
        self._check_point(x, "x")
        return self.sets[i]

    def violation(self, x: np.ndarray) -> float:
        r"""The largest violation over the factors, :math:`\max_i \mathrm{violation}_{S_i}(x_i)`.

        Parameters
        ----------
        x : array_like, shape (dim,)
            A finite joint point.

        Returns
        -------
        float

        Examples
        --------
        >>> P = ProductSet([Simplex(2), Box([0.0], [1.0])])
        >>> P.violation([0.5, 0.5, 1.25]), P.violation([0.5, 0.5, 1.0])
        (0.25, 0.0)
        """
        x = self._check_point(x, "x")
        return max(s.violation(x[sl]) for s, sl in zip(self.sets, self._slices, strict=True))

    def project(self, y: np.ndarray) -> np.ndarray:
        r"""Blockwise projection :math:`\Pi(y) = (\Pi_{S_1}(y_1), \dots, \Pi_{S_k}(y_k))`.

        Parameters
        ----------
        y : array_like, shape (dim,)
            The joint point to project.

        Returns
        -------
        numpy.ndarray, shape (dim,)

        Examples
        --------
        >>> P = ProductSet([Simplex(2), Box([0.0], [1.0])])
        >>> P.project([1.0, 1.0, -3.0])
        array([0.5, 0.5, 0. ])
        """
        y = self._check_point(y, "y")
        return np.concatenate([s.project(y[sl]) for s, sl in zip(self.sets, self._slices, strict=True)])

    def support(self, v: np.ndarray, *, within: tuple[np.ndarray, np.ndarray] | None = None) -> float:
        r"""Sum of the factors' bounds, :math:`\sigma(v) = \sum_i \sigma_{S_i}(v_i)`, rounded up.

        Parameters
        ----------
        v : array_like, shape (dim,)
            The joint direction.
        within : tuple of (array_like, array_like), optional
            An extra box, split into the blocks.

        Returns
        -------
        float

        Examples
        --------
        >>> P = ProductSet([Simplex(2), Box([0.0], [1.0])])
        >>> round(P.support([1.0, 0.0, 2.0]), 12)       # max(1, 0) + 2 * 1
        3.0
        """
        v = self._check_point(v, "v")
        return self._support_bound(v, _check_within(within, self.dim), None)

    def _support_bound(self, v: np.ndarray, within: Within, v_err: np.ndarray | None) -> float:
        parts = []
        for s, sl in zip(self.sets, self._slices, strict=True):
            w = None if within is None else (within[0][sl], within[1][sl])
            parts.append(s._support_bound(v[sl], w, None if v_err is None else v_err[sl]))
        return _upper_sum(parts)

    def tangent_cone_projection(self, x: np.ndarray, v: np.ndarray, *, tol: float = 1e-12) -> np.ndarray:
        r"""Blockwise projection onto :math:`T_{S_1}(x_1) \times \dots \times T_{S_k}(x_k)`.

        Parameters
        ----------
        x : array_like, shape (dim,)
            A point of the product.
        v : array_like, shape (dim,)
            The direction.
        tol : float, default 1e-12
            Activity tolerance, passed to every factor.

        Returns
        -------
        numpy.ndarray, shape (dim,)

        Examples
        --------
        >>> P = ProductSet([Simplex(2), Box([0.0], [1.0])])
        >>> P.tangent_cone_projection([1.0, 0.0, 1.0], [1.0, 0.0, 1.0])   # vertex of both factors
        array([0., 0., 0.])
        >>> P.tangent_cone_projection([1.0, 0.0, 1.0], [0.0, 1.0, -1.0])
        array([-0.5,  0.5, -1. ])
        """
        x = self._check_point(x, "x")
        v = self._check_point(v, "v")
        tol = _check_tol(tol)
        return np.concatenate(
            [
                s.tangent_cone_projection(x[sl], v[sl], tol=tol)
                for s, sl in zip(self.sets, self._slices, strict=True)
            ]
        )

    def diameter(self) -> float:
        r""":math:`\sqrt{\sum_i \operatorname{diam}(S_i)^2}`, rounded up (``inf`` if a factor is unbounded).

        Returns
        -------
        float

        Examples
        --------
        >>> P = ProductSet([Simplex(2), Box([0.0], [1.0])])
        >>> P.diameter()                                # sqrt(2 + 1)
        1.7320508075688796
        """
        diams = np.array([s.diameter() for s in self.sets])
        if not np.all(np.isfinite(diams)):
            return math.inf
        return norm_upper(diams)

    def _nu_upper(self, w: np.ndarray, e: np.ndarray, p: np.ndarray) -> float:
        return _upper_sum(
            [s._nu_upper(w[sl], e[sl], p[sl]) for s, sl in zip(self.sets, self._slices, strict=True)]
        )

    def _distance_upper(self, p: np.ndarray) -> float:
        etas = np.array([s._distance_upper(p[sl]) for s, sl in zip(self.sets, self._slices, strict=True)])
        if not np.all(np.isfinite(etas)):
            return math.inf
        return norm_upper(etas)


# ---------------------------------------------------------------------------
# DSZ coupled set
# ---------------------------------------------------------------------------

# constraints of the hexagon H = {(a, b) in [0,1]^2 : |a - b| <= Delta} as n . (a, b) <= rhs
_HEX_NORMALS = np.array([[-1.0, 0.0], [1.0, 0.0], [0.0, -1.0], [0.0, 1.0], [1.0, -1.0], [-1.0, 1.0]])


def _hexagon_vertices(delta: float) -> np.ndarray:
    """Vertices of the DSZ hexagon in counter-clockwise order, shape (6, 2)."""
    return np.array(
        [[0.0, 0.0], [delta, 0.0], [1.0, 1.0 - delta], [1.0, 1.0], [1.0 - delta, 1.0], [0.0, delta]]
    )


class DSZSet(CoupledSet):
    r"""The DSZ coupled set :math:`\{(x, y) \in [0,1]^d \times [0,1]^d : |x_j - y_j| \le \Delta\}`.

    The joint vector is ``z = (x, y)`` (blocks ``(d, d)``); player 0 owns ``x``,
    player 1 owns ``y`` (Daskalakis, Skoulakis & Zampetakis, STOC 2021).

    Parameters
    ----------
    d : int
        Dimension of each player's block.
    Delta : float
        Coupling width, ``0 < Delta <= 1``.

    Notes
    -----
    The set is a product over coordinates ``j`` of the hexagon
    :math:`H = \operatorname{conv}\{(0,0),(\Delta,0),(1,1-\Delta),(1,1),(1-\Delta,1),(0,\Delta)\}`
    in the pair :math:`(x_j, y_j)`, so every operation is a vectorised closed form:

    * slices: :math:`S_0(y) = [\max(0, y - \Delta), \min(1, y + \Delta)]` and symmetrically
      (bounds rounded outward when :math:`y \pm \Delta` is not a float, so the float box
      contains the exact slice);
    * projection: the point itself when it lies in ``H``, else the nearest of its
      projections onto the six edges;
    * support: the maximum of the linear function over the vertices of
      :math:`H \cap B_j` (the box ``B`` from ``within``, intersected with the unit
      square): box corners inside the band and the intersections of the two band lines
      with the box edges; rounded up;
    * tangent cone (per pair): :math:`\{w : n_a \cdot w \le 0\}` over the active
      constraints; in the plane its projection is ``v``, the projection onto one of
      the active lines, or 0 -- the nearest feasible candidate;
    * diameter :math:`\sqrt{2d}` (each hexagon has diameter :math:`\sqrt2`, from
      (0,0) to (1,1)); rounded up.

    Examples
    --------
    >>> S = DSZSet(2, 0.25)
    >>> S.project([1.0, 0.0, 0.0, 0.0])
    array([0.625, 0.   , 0.375, 0.   ])
    >>> S.slice(0, [0.0, 0.0, 0.5, 1.0])
    Box(lo=array([0.25, 0.75]), hi=array([0.75, 1. ]))
    >>> round(S.support([1.0, 1.0, -1.0, -1.0]), 12)
    0.5
    """

    def __init__(self, d: int, Delta: float) -> None:
        self.d = as_positive_int(d, "d")
        self.Delta = as_real(Delta, "Delta")
        if not 0.0 < self.Delta <= 1.0:
            raise InvalidArgument(f"Delta must satisfy 0 < Delta <= 1, got Delta={self.Delta!r}")
        self.blocks = (self.d, self.d)
        self.dim = 2 * self.d

    def __repr__(self) -> str:
        return f"DSZSet(d={self.d}, Delta={self.Delta!r})"

    def _split(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return z[: self.d], z[self.d :]

    def slice(self, i: int, x: np.ndarray) -> Box:
        r"""The box slice :math:`[\max(0, o - \Delta), \min(1, o + \Delta)]`, ``o`` the other block.

        The bounds :math:`o \pm \Delta` are rounded outward, so the float box contains the exact
        slice. Raises :class:`InvalidArgument` when the other block leaves the slice empty
        (some coordinate outside :math:`[-\Delta, 1 + \Delta]`).

        Parameters
        ----------
        i : int
            The player: 0 owns ``x``, 1 owns ``y``.
        x : array_like, shape (2d,)
            The joint point ``(x, y)``.

        Returns
        -------
        Box

        Examples
        --------
        >>> S = DSZSet(2, 0.25)
        >>> S.slice(0, [0.0, 0.0, 0.5, 1.0])       # y = (0.5, 1): x_j in [y_j - 0.25, y_j + 0.25] ∩ [0, 1]
        Box(lo=array([0.25, 0.75]), hi=array([0.75, 1. ]))
        """
        i = self._check_player(i)
        z = self._check_point(x, "x")
        other = z[self.d :] if i == 0 else z[: self.d]
        dl, el = _two_diff(other, np.full(self.d, self.Delta))
        lo = np.where(el < 0, np.nextafter(dl, -np.inf), dl)
        du, eu = _two_diff(other, np.full(self.d, -self.Delta))
        hi = np.where(eu > 0, np.nextafter(du, np.inf), du)
        lo, hi = np.maximum(lo, 0.0), np.minimum(hi, 1.0)
        bad = np.flatnonzero(lo > hi)
        if bad.size:
            j = int(bad[0])
            raise InvalidArgument(
                f"the slice of player {i} is empty: the other block's coordinate {j} is "
                f"{other[j]!r}, outside [-Delta, 1 + Delta] with Delta={self.Delta!r}; got "
                f"x={short_repr(z)}"
            )
        return Box(lo, hi)

    def violation(self, x: np.ndarray) -> float:
        r"""Largest violation :math:`\max_j \max(-x_j, x_j - 1, -y_j, y_j - 1, |x_j - y_j| - \Delta, 0)`.

        Parameters
        ----------
        x : array_like, shape (2d,)
            The joint point ``(x, y)``.

        Returns
        -------
        float

        Examples
        --------
        >>> S = DSZSet(1, 0.25)
        >>> S.violation([0.0, 0.5]), S.violation([0.5, 0.5])    # |0 - 0.5| - 0.25
        (0.25, 0.0)
        """
        z = self._check_point(x, "x")
        a, b = self._split(z)
        v = np.maximum.reduce([-a, a - 1.0, -b, b - 1.0, np.abs(a - b) - self.Delta])
        return float(max(np.max(v), 0.0))

    def project(self, y: np.ndarray) -> np.ndarray:
        r"""Pairwise projection onto the hexagons :math:`\{(x_j, y_j) \in [0,1]^2 : |x_j - y_j| \le \Delta\}`.

        A pair inside its hexagon is kept; otherwise it goes to the nearest of its projections
        onto the six edges.

        Parameters
        ----------
        y : array_like, shape (2d,)
            The joint point ``(x, y)`` to project.

        Returns
        -------
        numpy.ndarray, shape (2d,)

        Examples
        --------
        >>> S = DSZSet(1, 0.25)
        >>> S.project([1.0, 0.0])      # onto the band edge x - y = 0.25: (0.5 + 0.125, 0.5 - 0.125)
        array([0.625, 0.375])
        >>> S.project([1.5, 2.0])      # onto the corner (1, 1)
        array([1., 1.])
        """
        z = self._check_point(y, "y")
        a, b = self._split(z)
        delta = self.Delta
        inside = (a >= 0) & (a <= 1) & (b >= 0) & (b <= 1) & (np.abs(a - b) <= delta)
        verts = _hexagon_vertices(delta)
        best_a, best_b = a.copy(), b.copy()
        best_d = np.where(inside, 0.0, np.inf)
        for k in range(6):
            p, q = verts[k], verts[(k + 1) % 6]
            ea, eb = q[0] - p[0], q[1] - p[1]
            length2 = ea * ea + eb * eb
            if length2 == 0.0:
                t = np.zeros_like(a)
            else:
                t = np.clip(((a - p[0]) * ea + (b - p[1]) * eb) / length2, 0.0, 1.0)
            ca, cb = p[0] + t * ea, p[1] + t * eb
            dist = (ca - a) ** 2 + (cb - b) ** 2
            better = dist < best_d
            best_a = np.where(better, ca, best_a)
            best_b = np.where(better, cb, best_b)
            best_d = np.where(better, dist, best_d)
        return np.concatenate([best_a, best_b])

    def support(self, v: np.ndarray, *, within: tuple[np.ndarray, np.ndarray] | None = None) -> float:
        r"""Upper bound on :math:`\sum_j \max_{(a, b) \in H \cap B_j} (v^x_j a + v^y_j b)`, rounded up.

        Each pair's maximum is taken over the vertices of the hexagon ``H`` intersected with the
        box ``B_j`` from ``within`` (and the unit square): box corners inside the band and the
        intersections of the band lines with the box edges. ``-inf`` when the intersection is empty.

        Parameters
        ----------
        v : array_like, shape (2d,)
            The joint direction.
        within : tuple of (array_like, array_like), optional
            An extra box to intersect with.

        Returns
        -------
        float

        Examples
        --------
        >>> S = DSZSet(1, 0.25)
        >>> round(S.support([1.0, -1.0]), 12)     # max of x - y is Delta
        0.25
        >>> round(S.support([1.0, 1.0], within=([0.0, 0.0], [0.5, 1.0])), 12)    # at (0.5, 0.75)
        1.25
        """
        v = self._check_point(v, "v")
        return self._support_bound(v, _check_within(within, self.dim), None)

    def _support_bound(self, v: np.ndarray, within: Within, v_err: np.ndarray | None) -> float:
        d, delta = self.d, self.Delta
        va, vb = self._split(v)
        lo, hi = _intersect_within(np.zeros(self.dim), np.ones(self.dim), within)
        la, lb = self._split(lo)
        ha, hb = self._split(hi)
        nonempty = (la <= ha) & (lb <= hb)
        cand_a, cand_b, ok = [], [], []
        for ca in (la, ha):  # box corners inside the band
            for cb in (lb, hb):
                cand_a.append(ca)
                cand_b.append(cb)
                ok.append(np.abs(ca - cb) <= delta)
        for sign in (1.0, -1.0):  # band lines a - b = sign * Delta
            for ca in (la, ha):  # vertical box edges: b = a - sign * Delta
                cb = ca - sign * delta
                cand_a.append(ca)
                cand_b.append(cb)
                ok.append((cb >= lb) & (cb <= hb))
            for cb in (lb, hb):  # horizontal box edges: a = b + sign * Delta
                ca = cb + sign * delta
                cand_a.append(ca)
                cand_b.append(cb)
                ok.append((ca >= la) & (ca <= ha))
        A, B, OK = np.array(cand_a), np.array(cand_b), np.array(ok) & nonempty
        vals = np.where(OK, va * A + vb * B, -np.inf)
        best = np.max(vals, axis=0)
        if np.any(np.isneginf(best)):
            return -math.inf  # S intersected with the box is empty
        # coordinates lie in [0, 1]; each value carries at most ~3 roundings
        errs = 4.0 * _U * (np.abs(va) + np.abs(vb)) + 4 * _TINY
        if v_err is not None:
            errs = errs + v_err[:d] + v_err[d:]
        return _upper_sum(best, errs * (1.0 + 4.0 * _U))

    def _nu_upper(self, w: np.ndarray, e: np.ndarray, p: np.ndarray) -> float:
        wa, wb = self._split(w)
        pa, pb = self._split(p)
        verts = _hexagon_vertices(self.Delta)
        vals = np.max([wa * (va - pa) + wb * (vb - pb) for va, vb in verts], axis=0)
        # |vertex - p| <= 1 + |p|; ~4 roundings per value plus the rounded vertex 1 - Delta
        errs = 6.0 * _U * (np.abs(wa) * (1.0 + np.abs(pa)) + np.abs(wb) * (1.0 + np.abs(pb)))
        ea, eb = self._split(np.abs(e))
        errs = errs + ea * (1.0 + np.abs(pa)) + eb * (1.0 + np.abs(pb))
        return _upper_sum(vals, errs * (1.0 + 4.0 * _U) + 4 * _TINY)

    def tangent_cone_projection(self, x: np.ndarray, v: np.ndarray, *, tol: float = 1e-12) -> np.ndarray:
        r"""Pairwise projection onto :math:`\{w : n_a \cdot w \le 0 \text{ for every active constraint } a\}`.

        In each plane :math:`(x_j, y_j)` the projection is ``v``, its projection onto one of the
        active constraint lines, or 0 -- the nearest feasible candidate.

        Parameters
        ----------
        x : array_like, shape (2d,)
            A point of the set.
        v : array_like, shape (2d,)
            The direction.
        tol : float, default 1e-12
            Activity tolerance.

        Returns
        -------
        numpy.ndarray, shape (2d,)

        Examples
        --------
        >>> S = DSZSet(1, 0.25)
        >>> S.tangent_cone_projection([0.5, 0.25], [1.0, 0.0])   # on x - y = 0.25: remove (1, -1)/2
        array([0.5, 0.5])
        >>> S.tangent_cone_projection([0.5, 0.5], [1.0, 0.0])    # interior
        array([1., 0.])
        """
        z = self._check_point(x, "x")
        v = self._check_point(v, "v")
        tol = _check_tol(tol)
        a, b = self._split(z)
        va, vb = self._split(v)
        delta = self.Delta
        active = np.stack(
            [
                a <= tol,
                a >= 1.0 - tol,
                b <= tol,
                b >= 1.0 - tol,
                a - b >= delta - tol,
                b - a >= delta - tol,
            ],
            axis=1,
        )  # (d, 6)
        V = np.stack([va, vb], axis=1)  # (d, 2)
        ftol = 8.0 * _U * (np.abs(va) + np.abs(vb)) + 1e-300
        norms2 = np.sum(_HEX_NORMALS**2, axis=1)  # (6,)
        cands = [V, np.zeros_like(V)]
        valid = [np.ones(self.d, bool), np.ones(self.d, bool)]
        for k in range(6):
            coef = (V @ _HEX_NORMALS[k]) / norms2[k]
            cands.append(V - coef[:, None] * _HEX_NORMALS[k][None, :])
            valid.append(active[:, k])
        best = np.zeros_like(V)
        best_d = np.full(self.d, np.inf)
        for w, val in zip(cands, valid, strict=True):
            slack = w @ _HEX_NORMALS.T  # (d, 6)
            feas = val & np.all(~active | (slack <= ftol[:, None]), axis=1)
            dist = np.sum((w - V) ** 2, axis=1)
            better = feas & (dist < best_d)
            best = np.where(better[:, None], w, best)
            best_d = np.where(better, dist, best_d)
        return np.concatenate([best[:, 0], best[:, 1]])

    def diameter(self) -> float:
        r""":math:`\sqrt{2d}`, rounded up: each hexagon has diameter :math:`\sqrt 2`, from (0, 0) to (1, 1).

        Returns
        -------
        float

        Examples
        --------
        >>> DSZSet(2, 0.25).diameter()
        2.000000000000001
        """
        return _sqrt_upper(2.0 * self.d)

    def _distance_upper(self, p: np.ndarray) -> float:
        a, b = self._split(p)
        ca, cb = np.clip(a, 0.0, 1.0), np.clip(b, 0.0, 1.0)
        box_part = np.concatenate([a - ca, b - cb])
        s, e = _two_diff(ca, cb)
        exact_inside = not np.any(box_part != 0) and np.all(
            (np.abs(s) < self.Delta) | ((np.abs(s) == self.Delta) & (np.sign(e) * np.sign(s) <= 0))
        )
        if exact_inside:
            return 0.0
        eta_box = norm_upper(np.abs(box_part) * (1.0 + 2.0 * _U))
        # moving both clipped coordinates towards each other by excess/2 stays in the box
        excess = np.maximum((np.abs(s) + np.abs(e)) * (1.0 + 2.0 * _U) - self.Delta, 0.0)
        eta_band = norm_upper(excess * (1.0 + 2.0 * _U)) / math.sqrt(2.0) * (1.0 + 4.0 * _U)
        return up(eta_box, eta_band)


# ---------------------------------------------------------------------------
# Polytope
# ---------------------------------------------------------------------------

_LP_OPTIONS = {"presolve": True}


def _linprog(
    cost: np.ndarray,
    A_ub: np.ndarray,
    b_ub: np.ndarray,
    A_eq: np.ndarray,
    b_eq: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
) -> Any:
    from scipy.optimize import linprog

    bounds = [
        (None if not np.isfinite(a) else float(a), None if not np.isfinite(b) else float(b))
        for a, b in zip(lo, hi, strict=True)
    ]
    return linprog(
        cost,
        A_ub=A_ub if A_ub.shape[0] else None,
        b_ub=b_ub if A_ub.shape[0] else None,
        A_eq=A_eq if A_eq.shape[0] else None,
        b_eq=b_eq if A_eq.shape[0] else None,
        bounds=bounds,
        method="highs",
        options=_LP_OPTIONS,
    )


class Polytope(ConvexSet):
    r"""The polyhedron :math:`\{z : Cz \le c,\ A_{eq} z = b_{eq},\ lo \le z \le hi\}`.

    Parameters
    ----------
    C : array_like, shape (m, n)
        Inequality matrix (``m = 0`` allowed: pass an array of shape ``(0, n)``).
    c : array_like, shape (m,)
        Inequality right-hand side.
    A_eq, b_eq : array_like, optional
        Equality constraints (both or neither).
    lo, hi : array_like or float, optional
        Optional box (``None`` = unbounded; infinite entries allowed).

    Raises
    ------
    InvalidArgument
        Wrong shapes, NaN/inf data, or an empty set (an LP with HiGHS finds it
        infeasible at construction; sets that are empty only by less than HiGHS's
        feasibility tolerance, ~1e-7, are accepted).

    Notes
    -----
    * **Projection** :math:`\min \|z - y\|^2` over the set, a QP solved with cvxpy
      (CLARABEL, falling back to OSQP); a solver error or non-optimal status raises
      :class:`SolverFailed`, an inaccurate solution raises a ``RuntimeWarning``. The
      result is clipped to the box. It is a floating-point approximation: use
      :meth:`project_certified` for a sound error bound.
    * **Support** (weak duality): for any :math:`\lambda \ge 0` and :math:`\nu`,
      :math:`\max_{z \in S \cap B}\langle v, z\rangle \le c^\top\lambda + b_{eq}^\top\nu
      + \sum_j \max(r_j lo'_j, r_j hi'_j)`, :math:`r = v - C^\top\lambda - A_{eq}^\top\nu`,
      :math:`[lo', hi']` the polytope's box intersected with ``within``. The multipliers
      come from the HiGHS LP; the bound itself is evaluated here with outward rounding
      (including the rounding error of ``r``), so it is sound whatever the LP returned.
      A coordinate with an infinite bound and :math:`r_j \ne 0` makes it ``inf``. When
      the polytope's own box is not finite, a bounding box is computed once by ``2n``
      LPs, enlarged by a relative 1e-6 and *certified* (the maxima of :math:`\pm z_j`
      over :math:`S \cap B'` are soundly below the faces of :math:`B'`, which for a
      convex set implies :math:`S \subseteq B'`, given that :math:`S \cap B'` is
      nonempty, i.e. that HiGHS's LP optimum is feasible within that margin); on
      success it replaces the infinite box entries, so bounded polytopes without an
      explicit box still get finite bounds.
    * **Tangent cone** at ``x``: rows with :math:`C_k x \ge c_k - tol`, the equalities and
      the box bounds within ``tol`` are active, :math:`K = \{w : C_A w \le 0,\ A_{eq} w = 0,
      w_j \ge 0\ (lo\text{-active}),\ w_j \le 0\ (hi\text{-active})\}`. By Moreau's
      decomposition :math:`v = P_K v + P_{K^\circ} v`, and the polar cone is generated by
      the active normals :math:`G = [C_A^\top, A_{eq}^\top, -A_{eq}^\top, -e_{lo}, e_{hi}]`,
      so :math:`P_{K^\circ} v = G\mu^\star` with :math:`\mu^\star = \arg\min_{\mu \ge 0}
      \|G\mu - v\|` (``scipy.optimize.nnls``) and :math:`P_K v = v - G\mu^\star`.
    * **Diameter**: an upper bound, the diagonal of the (certified) bounding box; ``inf``
      when unbounded. Exact diameters need vertex enumeration and are not computed.

    Examples
    --------
    >>> P = Polytope([[1.0, 1.0]], [1.0], lo=[0.0, 0.0])  # the triangle x, y >= 0, x + y <= 1
    >>> np.round(P.project([1.0, 1.0]), 6)
    array([0.5, 0.5])
    >>> abs(P.support([1.0, 2.0]) - 2.0) < 1e-9
    True
    >>> bool(P.diameter() >= np.sqrt(2))
    True
    """

    def __init__(
        self, C: Any, c: Any, *, A_eq: Any = None, b_eq: Any = None, lo: Any = None, hi: Any = None
    ) -> None:
        C_arr = as_matrix(C, "C")
        m, n = C_arr.shape
        if n == 0:
            raise InvalidArgument(f"C must have at least one column, got shape {C_arr.shape}")
        c_arr = as_vector(c, "c", dim=m) if m else np.zeros(0)
        if m == 0 and c is not None and np.size(c) != 0:
            raise InvalidArgument(f"c must be empty when C has no rows, got c={short_repr(c)}")
        if (A_eq is None) != (b_eq is None):
            raise InvalidArgument(
                f"A_eq and b_eq must be given together, got A_eq={short_repr(A_eq)}, b_eq={short_repr(b_eq)}"
            )
        if A_eq is None:
            A_arr, b_arr = np.zeros((0, n)), np.zeros(0)
        else:
            A_arr = as_matrix(A_eq, "A_eq", shape=(None, n))
            b_arr = as_vector(b_eq, "b_eq", dim=A_arr.shape[0]) if A_arr.shape[0] else np.zeros(0)
        self.C, self.c, self.A_eq, self.b_eq = C_arr, c_arr, A_arr, b_arr
        self.lo, self.hi = _box_bounds(lo, hi, n)
        self.dim = n
        self._qp: Any = None
        self._eff_box: tuple[np.ndarray, np.ndarray] | None = None
        self._slater: np.ndarray | None | bool = None
        self._check_nonempty()

    def _check_nonempty(self) -> None:
        res = _linprog(np.zeros(self.dim), self.C, self.c, self.A_eq, self.b_eq, self.lo, self.hi)
        if res.status == 2:
            raise InvalidArgument(
                "the set is empty: the polytope {z : C z <= c, A_eq z = b_eq, lo <= z <= hi} "
                f"is infeasible (LP status 2), got C={short_repr(self.C)}, c={short_repr(self.c)}"
                + (
                    f", A_eq={short_repr(self.A_eq)}, b_eq={short_repr(self.b_eq)}"
                    if self.A_eq.shape[0]
                    else ""
                )
            )
        if res.status != 0:
            raise SolverFailed(
                f"feasibility LP for the polytope failed: status={res.status}, message={res.message!r}"
            )
        self.feasible_point = np.asarray(res.x, dtype=float)

    def __repr__(self) -> str:
        parts = [f"C={short_repr(self.C)}", f"c={short_repr(self.c)}"]
        if self.A_eq.shape[0]:
            parts += [f"A_eq={short_repr(self.A_eq)}", f"b_eq={short_repr(self.b_eq)}"]
        if np.isfinite(self.lo).any():
            parts.append(f"lo={short_repr(self.lo)}")
        if np.isfinite(self.hi).any():
            parts.append(f"hi={short_repr(self.hi)}")
        return f"{type(self).__name__}({', '.join(parts)})"

    # -- membership ---------------------------------------------------------

    def violation(self, x: np.ndarray) -> float:
        r"""Largest violation of the inequalities, equalities and bounds.

        That is :math:`\max(\max_k (Cx - c)_k,\ \max_k |A_{eq}x - b_{eq}|_k,\ \max_j(lo_j - x_j,
        x_j - hi_j),\ 0)`, evaluated in floating point (not rigorous; certificates use an
        outward-rounded test).

        Parameters
        ----------
        x : array_like, shape (dim,)
            A finite point.

        Returns
        -------
        float

        Examples
        --------
        >>> P = Polytope([[1.0, 1.0]], [1.0], lo=[0.0, 0.0])   # x, y >= 0, x + y <= 1
        >>> P.violation([1.0, 0.5]), P.violation([-0.25, 0.5]), P.violation([0.5, 0.5])
        (0.5, 0.25, 0.0)
        """
        x = self._check_point(x, "x")
        parts = [0.0]
        if self.C.shape[0]:
            parts.append(float(np.max(self.C @ x - self.c)))
        if self.A_eq.shape[0]:
            parts.append(float(np.max(np.abs(self.A_eq @ x - self.b_eq))))
        with np.errstate(invalid="ignore"):
            parts.append(float(np.max(np.maximum(self.lo - x, x - self.hi))))
        return max(parts)

    def _certainly_feasible(self, p: np.ndarray, *, strict_margin: float = 0.0) -> bool:
        """Rigorous membership test (outward-rounded inequalities, exact equalities)."""
        if np.any(p < self.lo) or np.any(p > self.hi):
            return False
        if self.C.shape[0]:
            _, upper = _matvec_bounds(self.C, p)
            if np.any(upper > self.c):
                return False
        for row, rhs in zip(self.A_eq, self.b_eq, strict=True):
            exact = sum(
                (Fraction(float(a)) * Fraction(float(z)) for a, z in zip(row, p, strict=True)),
                Fraction(0),
            )
            if exact != Fraction(float(rhs)):
                return False
        return True

    def _distance_upper(self, p: np.ndarray) -> float:
        return 0.0 if self._certainly_feasible(p) else math.inf

    # -- projection -----------------------------------------------------------

    def _build_qp(self) -> Any:
        import cvxpy as cp

        z = cp.Variable(self.dim)
        yp = cp.Parameter(self.dim)
        cons = []
        if self.C.shape[0]:
            cons.append(self.C @ z <= self.c)
        if self.A_eq.shape[0]:
            cons.append(self.A_eq @ z == self.b_eq)
        fin_lo = np.flatnonzero(np.isfinite(self.lo))
        fin_hi = np.flatnonzero(np.isfinite(self.hi))
        if fin_lo.size:
            cons.append(z[fin_lo] >= self.lo[fin_lo])
        if fin_hi.size:
            cons.append(z[fin_hi] <= self.hi[fin_hi])
        prob = cp.Problem(cp.Minimize(cp.sum_squares(z - yp)), cons)
        return prob, z, yp

    def project(self, y: np.ndarray) -> np.ndarray:
        r"""Projection :math:`\arg\min_{z \in S} \|z - y\|^2`, a QP solved with cvxpy.

        CLARABEL first, OSQP as fallback; the solution is clipped to the box and polished by an
        active-set step whose KKT conditions are checked. A non-optimal status raises
        :class:`SolverFailed`, an inaccurate one warns (``RuntimeWarning``). Use
        :meth:`project_certified` for a sound error bound.

        Parameters
        ----------
        y : array_like, shape (dim,)
            The point to project.

        Returns
        -------
        numpy.ndarray, shape (dim,)

        Examples
        --------
        >>> P = Polytope([[1.0, 1.0]], [1.0], lo=[0.0, 0.0])
        >>> np.round(P.project([1.0, 1.0]), 6)      # onto the face x + y = 1
        array([0.5, 0.5])
        >>> np.round(P.project([2.0, -1.0]), 6)     # onto the vertex (1, 0)
        array([1., 0.])
        """
        import cvxpy as cp

        y = self._check_point(y, "y")
        if self._qp is None:
            self._qp = self._build_qp()
        prob, z, yp = self._qp
        yp.value = y
        attempts: list[str] = []
        for solver, opts in (
            ("CLARABEL", {}),
            ("OSQP", {"eps_abs": 1e-10, "eps_rel": 1e-10, "max_iter": 200000, "polish": True}),
        ):
            try:
                prob.solve(solver=solver, **opts)
            except cp.error.SolverError as exc:
                attempts.append(f"{solver}: {exc}")
                continue
            if prob.status == cp.OPTIMAL and z.value is not None:
                p = np.clip(np.asarray(z.value, dtype=float), self.lo, self.hi)
                return self._polish(y, p)
            if prob.status == cp.OPTIMAL_INACCURATE and z.value is not None:
                warnings.warn(
                    f"projection QP solved inaccurately by solver={solver!r} "
                    f"(status={prob.status!r}); use project_certified for a sound error bound",
                    RuntimeWarning,
                    stacklevel=2,
                )
                return self._polish(y, np.clip(np.asarray(z.value, dtype=float), self.lo, self.hi))
            attempts.append(f"{solver}: status={prob.status!r}")
        raise SolverFailed(f"projection QP failed for every solver: {'; '.join(attempts)}")

    def _polish(self, y: np.ndarray, p: np.ndarray) -> np.ndarray:
        """Refine a QP solution by an active-set step whose optimality is checked by KKT.

        Interior-point solvers stop on an absolute duality gap, which for
        :math:`\\min\\|z - y\\|^2` near a zero optimum leaves an error of order
        :math:`\\sqrt{gap}`. For guesses of the active set (rows with slack below
        ``1e-9 ... 1e-3`` times the scale, box bounds included as rows), ``y`` is projected
        onto the affine hull of the active rows by least squares; the candidate is kept
        when it is feasible (to ``1e-12`` relative) and its multipliers can be chosen
        :math:`\\ge 0` (an NNLS residual below ``1e-10`` relative) -- then it satisfies the
        KKT conditions and is the projection up to rounding. Otherwise ``p`` is returned.
        """
        from scipy.optimize import nnls

        n = self.dim
        eye = np.eye(n)
        fin_lo, fin_hi = np.isfinite(self.lo), np.isfinite(self.hi)
        G = np.vstack([self.C, -eye[fin_lo], eye[fin_hi]])
        h = np.concatenate([self.c, -self.lo[fin_lo], self.hi[fin_hi]])
        scale = 1.0 + float(np.max(np.abs(y), initial=0.0)) + float(np.max(np.abs(p), initial=0.0))
        row_scale = 1.0 + np.abs(h) + np.abs(G) @ np.abs(p)
        slack = (h - G @ p) / row_scale
        tried: set[bytes] = set()
        for thr in (1e-9, 1e-7, 1e-5, 1e-3):
            act = slack <= thr
            key = act.tobytes()
            if key in tried:
                continue
            tried.add(key)
            M = np.vstack([G[act], self.A_eq])
            b = np.concatenate([h[act], self.b_eq])
            if M.shape[0] == 0:
                cand = y.copy()
            else:
                delta = np.linalg.lstsq(M, M @ y - b, rcond=None)[0]
                cand = y - delta
            if not np.all(np.isfinite(cand)):
                continue
            if np.max(G @ cand - h, initial=0.0) > 1e-12 * scale:
                continue
            if self.A_eq.shape[0] and np.max(np.abs(self.A_eq @ cand - self.b_eq)) > 1e-12 * scale:
                continue
            resid = y - cand
            gens = np.hstack([G[act].T, self.A_eq.T, -self.A_eq.T])
            if gens.shape[1]:
                _, rnorm = nnls(gens, resid, maxiter=50 * max(gens.shape))
            else:
                rnorm = float(np.linalg.norm(resid))
            if rnorm <= 1e-10 * scale:
                return np.clip(cand, self.lo, self.hi)
        return p

    def _slater_point(self) -> np.ndarray | None:
        """A point maximising the smallest normalised inequality slack (cached), or None."""
        if self._slater is None:
            self._slater = False
            m = self.C.shape[0]
            if m:
                norms = np.linalg.norm(self.C, axis=1)
                A_ub = np.hstack([self.C, norms[:, None]])
                A_eq = np.hstack([self.A_eq, np.zeros((self.A_eq.shape[0], 1))])
                cost = np.zeros(self.dim + 1)
                cost[-1] = -1.0
                res = _linprog(
                    cost,
                    A_ub,
                    self.c,
                    A_eq,
                    self.b_eq,
                    np.append(self.lo, -np.inf),
                    np.append(self.hi, 1.0),
                )
                if res.status == 0 and res.x[-1] > 0:
                    self._slater = np.clip(np.asarray(res.x[:-1], dtype=float), self.lo, self.hi)
            else:
                self._slater = self.feasible_point.copy()
        return None if self._slater is False else self._slater  # type: ignore[return-value]

    def _snap_equalities(self, p: np.ndarray) -> np.ndarray | None:
        """A float point near ``p`` satisfying ``A_eq z = b_eq`` exactly, or None.

        Best effort for equality rows that have a *pivot*: a coordinate ``j`` whose column is zero
        in every other row and whose coefficient is a power of two (rows of ones, as in a simplex).
        The other coordinates are rounded to a dyadic grid (spacing ``2^-40`` times the scale) so
        that the exact residual has few bits; then ``z_j = (b - sum_{k != j} a_k z_k) / a_j`` is
        formed in rationals and kept if it is a float inside the box. That holds when the row's
        coefficients and right-hand side are short binary fractions (rows of small integers with a
        dyadic ``b``, as a simplex's ``sum = 1``); otherwise the attempt may fail. The caller
        re-checks the result rigorously, so a failed attempt only costs the fallback.
        """
        A, b = self.A_eq, self.b_eq
        m, n = A.shape
        pivots: list[int] = []
        nz = A != 0
        for i in range(m):
            cands = [
                j for j in np.flatnonzero(nz[i]).tolist()
                if nz[:, j].sum() == 1 and math.frexp(float(A[i, j]))[0] in (0.5, -0.5)
                and self.lo[j] < p[j] < self.hi[j]
            ]
            if not cands:
                return None
            pivots.append(max(cands, key=lambda j: min(p[j] - self.lo[j], self.hi[j] - p[j])))
        scale = 1.0 + float(np.max(np.abs(p), initial=0.0))
        step = math.ldexp(1.0, math.frexp(scale)[1] - 40)
        q = np.clip(np.round(p / step) * step, self.lo, self.hi)
        for i, j in enumerate(pivots):
            rest = sum(
                (Fraction(float(a)) * Fraction(float(z)) for k, (a, z) in enumerate(zip(A[i], q, strict=True))
                 if k != j and a != 0),
                Fraction(0),
            )
            need = (Fraction(float(b[i])) - rest) / Fraction(float(A[i, j]))
            f = float(need)
            if Fraction(f) != need or not self.lo[j] <= f <= self.hi[j]:
                return None
            q[j] = f
        return q

    def _repair(self, p: np.ndarray) -> np.ndarray | None:
        """Move ``p`` towards a Slater point until it is rigorously feasible (or give up).

        With equality constraints every candidate is first snapped onto them exactly
        (:meth:`_snap_equalities`), where that is possible.
        """
        p = np.clip(p, self.lo, self.hi)
        eq = self.A_eq.shape[0] > 0

        def feasible(q: np.ndarray) -> np.ndarray | None:
            if self._certainly_feasible(q):
                return q
            if eq:
                s = self._snap_equalities(q)
                if s is not None and self._certainly_feasible(s):
                    return s
            return None

        found = feasible(p)
        if found is not None:
            return found
        zs = self._slater_point()
        if zs is None:
            return None
        for t in (1e-14, 1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-2, 0.1, 0.5, 1.0):
            found = feasible(np.clip(p + t * (zs - p), self.lo, self.hi))
            if found is not None:
                return found
        return None

    def project_certified(self, y: np.ndarray) -> tuple[np.ndarray, float]:
        r"""Projection with a sound error bound: ``(p, err)`` with :math:`err \ge \|p - \Pi(y)\|`.

        ``p`` is the QP solution, clipped to the box; when it is not *rigorously*
        feasible (inequalities checked with outward rounding, equalities exactly in
        rational arithmetic) it is snapped onto the equalities where a row has a pivot (a
        power-of-two coefficient alone in its column, as in a row of ones: the other
        coordinates rounded to a dyadic grid, the pivot solved exactly), and otherwise or
        then moved along the segment towards a strictly feasible (Slater) point until it
        is. The bound is the a-posteriori bound of ``certificates.md`` §1.1(d),
        :math:`\|p - \Pi(y)\|^2 \le \sigma_S(y - p) - \langle y - p, p\rangle`, with
        the support from the LP-dual bound. If no rigorously feasible ``p`` is found --
        possible with equality rows without a pivot or with long coefficients, which a float
        ``p`` rarely satisfies exactly -- ``err = inf``.

        Parameters
        ----------
        y : array_like, shape (dim,)
            The point to project.

        Returns
        -------
        p : numpy.ndarray, shape (dim,)
            A rigorously feasible approximation of :math:`\Pi(y)` (or the QP solution when none is found).
        err : float
            A sound bound on :math:`\|p - \Pi(y)\|_2` (``inf`` when none is proved).

        Examples
        --------
        >>> P = Polytope([[1.0, 1.0]], [1.0], lo=[0.0, 0.0])
        >>> p, err = P.project_certified([1.0, 1.0])
        >>> bool(np.linalg.norm(p - 0.5) <= 1e-6 and err < 1e-3)
        True
        >>> E = Polytope(np.zeros((0, 2)), [], A_eq=[[1.0, 1.0]], b_eq=[1.0], lo=[0.0, 0.0])
        >>> p, err = E.project_certified([0.3, 0.9])                  # onto x + y = 1: (0.2, 0.8)
        >>> bool(np.linalg.norm(p - [0.2, 0.8]) <= err < 1e-5)
        True
        """
        p = self.project(y)
        q = self._repair(p)
        if q is None:
            return p, math.inf
        return q, self.projection_error_bound(y, q)

    # -- support ---------------------------------------------------------------

    def support(self, v: np.ndarray, *, within: tuple[np.ndarray, np.ndarray] | None = None) -> float:
        r"""Weak-duality upper bound on :math:`\max_{z \in S \cap B}\langle v, z\rangle`.

        For any :math:`\lambda \ge 0` and :math:`\nu`, the maximum is at most
        :math:`c^\top\lambda + b_{eq}^\top\nu + \sum_j \max(r_j lo'_j, r_j hi'_j)` with
        :math:`r = v - C^\top\lambda - A_{eq}^\top\nu` and :math:`[lo', hi']` the polytope's
        (certified bounding) box intersected with ``within``. The multipliers come from a HiGHS LP;
        the bound is re-evaluated here with outward rounding, so it is sound whatever the LP
        returned. ``inf`` when the LP is unbounded or an unbounded coordinate keeps :math:`r_j \ne 0`.

        Parameters
        ----------
        v : array_like, shape (dim,)
            The direction.
        within : tuple of (array_like, array_like), optional
            An extra box to intersect with.

        Returns
        -------
        float

        Examples
        --------
        >>> P = Polytope([[1.0, 1.0]], [1.0], lo=[0.0, 0.0])
        >>> round(P.support([1.0, 2.0]), 12)                                   # at the vertex (0, 1)
        2.0
        >>> round(P.support([1.0, 2.0], within=([0.0, 0.0], [1.0, 0.5])), 12)   # at (0.5, 0.5)
        1.5
        >>> Polytope([[1.0, 1.0]], [1.0]).support([-1.0, 0.0])                 # unbounded direction
        inf
        """
        v = self._check_point(v, "v")
        return self._support_bound(v, _check_within(within, self.dim), None)

    def _lp_multipliers(
        self, v: np.ndarray, lo: np.ndarray, hi: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """Dual multipliers (lambda >= 0, nu) of max <v, z> over S within [lo, hi].

        ``None`` when the LP is unbounded (then the support is +inf)."""
        m, p = self.C.shape[0], self.A_eq.shape[0]
        if np.any(lo > hi):
            return np.zeros(m), np.zeros(p)
        res = _linprog(-v, self.C, self.c, self.A_eq, self.b_eq, lo, hi)
        if res.status == 3:
            return None
        if res.status != 0:
            if res.status != 2:
                warnings.warn(
                    f"support LP ended with status={res.status} ({res.message}); using the "
                    "multiplier-free bound",
                    RuntimeWarning,
                    stacklevel=3,
                )
            return np.zeros(m), np.zeros(p)
        lam = np.zeros(m) if m == 0 else np.maximum(-np.asarray(res.ineqlin.marginals), 0.0)
        nu = np.zeros(p) if p == 0 else -np.asarray(res.eqlin.marginals, dtype=float)
        return lam, nu

    def _lagrangian_bound(
        self,
        v: np.ndarray,
        v_err: np.ndarray | None,
        lam: np.ndarray,
        nu: np.ndarray,
        lo: np.ndarray,
        hi: np.ndarray,
    ) -> float:
        G = np.vstack([self.C, self.A_eq])
        mult = np.concatenate([lam, nu])
        rhs = np.concatenate([self.c, self.b_eq])
        r, r_err = _residual_with_error(v, G, mult)
        if v_err is not None:
            r_err = r_err + v_err * (1.0 + 2.0 * _U)
        terms, errs = _box_lagrangian_upper(r, r_err, lo, hi)
        head = dot_upper(rhs, mult) if np.any((rhs != 0) & (mult != 0)) else 0.0
        return _upper_sum([head], terms, errs, zeros_exact=True)

    def _support_bound(self, v: np.ndarray, within: Within, v_err: np.ndarray | None) -> float:
        if not np.any(v) and (v_err is None or not np.any(v_err)):
            return 0.0
        blo, bhi = self._effective_box()
        lo, hi = _intersect_within(blo, bhi, within)
        mult = self._lp_multipliers(v, lo, hi)
        if mult is None:
            return math.inf
        return self._lagrangian_bound(v, v_err, mult[0], mult[1], lo, hi)

    def _effective_box(self) -> tuple[np.ndarray, np.ndarray]:
        """The own box, with infinite entries replaced by a certified bounding box if possible."""
        if self._eff_box is not None:
            return self._eff_box
        lo, hi = self.lo.copy(), self.hi.copy()
        if np.all(np.isfinite(lo)) and np.all(np.isfinite(hi)):
            self._eff_box = (lo, hi)
            return self._eff_box
        n = self.dim
        cand_lo, cand_hi = lo.copy(), hi.copy()
        mults: list[tuple[int, float, tuple[np.ndarray, np.ndarray]]] = []
        for j in range(n):
            for sign in (1.0, -1.0):
                if (sign > 0 and np.isfinite(hi[j])) or (sign < 0 and np.isfinite(lo[j])):
                    continue
                e = np.zeros(n)
                e[j] = sign
                res = _linprog(-e, self.C, self.c, self.A_eq, self.b_eq, lo, hi)
                if res.status != 0:
                    continue
                val = float(sign * res.x[j])
                bound = val + 1e-6 * (1.0 + abs(val))
                if sign > 0:
                    cand_hi[j] = bound
                else:
                    cand_lo[j] = -bound  # val = max of -z_j, so z_j >= -val
                lam = np.maximum(-np.asarray(res.ineqlin.marginals), 0.0) if self.C.shape[0] else np.zeros(0)
                nu = -np.asarray(res.eqlin.marginals, dtype=float) if self.A_eq.shape[0] else np.zeros(0)
                mults.append((j, sign, (lam, nu)))
        # certify: the maxima of +-z_j over S within the candidate box stay inside it
        certified_lo, certified_hi = lo.copy(), hi.copy()
        ok = True
        for j, sign, (lam, nu) in mults:
            e = np.zeros(n)
            e[j] = sign
            bound = self._lagrangian_bound(e, None, lam, nu, cand_lo, cand_hi)
            face = cand_hi[j] if sign > 0 else -cand_lo[j]
            if not bound < face:
                ok = False
                break
            if sign > 0:
                certified_hi[j] = cand_hi[j]
            else:
                certified_lo[j] = cand_lo[j]
        self._eff_box = (certified_lo, certified_hi) if ok else (lo, hi)
        return self._eff_box

    # -- tangent cone & diameter ----------------------------------------------------

    def tangent_cone_projection(self, x: np.ndarray, v: np.ndarray, *, tol: float = 1e-12) -> np.ndarray:
        r"""Projection onto the tangent cone :math:`K` of the active constraints (NNLS on the polar cone).

        :math:`K = \{w : C_A w \le 0,\ A_{eq} w = 0,\ w_j \ge 0\ (lo\text{-active}),\ w_j \le 0\
        (hi\text{-active})\}`; rows with :math:`C_k x \ge c_k - tol` and box bounds within ``tol``
        are active. By Moreau's decomposition :math:`P_K v = v - G\mu^\star`, where ``G`` holds the
        active normals (the polar cone's generators) and :math:`\mu^\star = \arg\min_{\mu \ge 0}
        \|G\mu - v\|` (NNLS).

        Parameters
        ----------
        x : array_like, shape (dim,)
            A point of the polytope.
        v : array_like, shape (dim,)
            The direction.
        tol : float, default 1e-12
            Activity tolerance.

        Returns
        -------
        numpy.ndarray, shape (dim,)

        Examples
        --------
        >>> P = Polytope([[1.0, 1.0]], [1.0], lo=[0.0, 0.0])
        >>> P.tangent_cone_projection([0.5, 0.5], [1.0, 0.0])    # face x + y = 1: remove (1, 1)/2
        array([ 0.5, -0.5])
        >>> P.tangent_cone_projection([0.0, 0.0], [-1.0, 2.0])   # vertex 0: w_0 >= 0, w_1 >= 0
        array([0., 2.])
        """
        from scipy.optimize import nnls

        x = self._check_point(x, "x")
        v = self._check_point(v, "v")
        tol = _check_tol(tol)
        n = self.dim
        gens = []
        if self.C.shape[0]:
            act = self.C @ x >= self.c - tol
            gens.append(self.C[act].T)
        if self.A_eq.shape[0]:
            gens += [self.A_eq.T, -self.A_eq.T]
        eye = np.eye(n)
        at_lo = x <= self.lo + tol
        at_hi = x >= self.hi - tol
        gens += [-eye[:, at_lo], eye[:, at_hi]]
        G = np.hstack(gens) if gens else np.zeros((n, 0))
        if G.shape[1] == 0:
            return v.copy()
        try:
            mu, _ = nnls(G, v, maxiter=50 * max(G.shape))
        except RuntimeError as exc:
            raise SolverFailed(f"NNLS for the tangent-cone projection failed: {exc}") from exc
        w = v - G @ mu
        w[at_lo & at_hi] = 0.0
        return w

    def diameter(self) -> float:
        """An upper bound on the diameter: the diagonal of the (certified) bounding box, rounded up.

        A missing box is computed by ``2n`` LPs and enlarged by a relative ``1e-6``; ``inf`` when
        the polytope is unbounded. Exact diameters (vertex enumeration) are not computed.

        Returns
        -------
        float

        Examples
        --------
        >>> P = Polytope([[1.0, 1.0]], [1.0], lo=[0.0, 0.0])   # true diameter sqrt(2)
        >>> bool(np.sqrt(2) <= P.diameter() <= np.sqrt(2) * (1 + 1e-5))
        True
        >>> Polytope([[1.0, 1.0]], [1.0]).diameter()
        inf
        """
        lo, hi = self._effective_box()
        d = hi - lo
        if not np.all(np.isfinite(d)):
            return math.inf
        return norm_upper(d * (1.0 + 2.0 * _U))


# ---------------------------------------------------------------------------
# CoupledPolytope
# ---------------------------------------------------------------------------


class CoupledPolytope(Polytope, CoupledSet):
    r"""A joint polytope :math:`\{x : \sum_j C_j x_j \le c,\ lo \le x \le hi\}` shared by players.

    Parameters
    ----------
    C : array_like, shape (m, n)
        Joint constraint matrix; its columns are split into the players' blocks.
    c : array_like, shape (m,)
        Right-hand side.
    blocks : sequence of int
        Sizes of the players' blocks (positive, summing to ``n``).
    lo, hi : array_like or float, optional
        Optional joint box.

    Notes
    -----
    Everything joint is inherited from :class:`Polytope`. The slice of player ``i`` is the
    :class:`Polytope` :math:`\{x_i : C_i x_i \le c - \sum_{j\ne i} C_j x_j,\ lo_i \le x_i
    \le hi_i\}`; its right-hand side is rounded *up* (a rigorous upper bound on the exact
    value), so the float slice contains the exact one.

    Examples
    --------
    >>> S = CoupledPolytope([[1.0, 1.0]], [1.0], blocks=(1, 1), lo=0.0, hi=1.0)
    >>> T = S.slice(0, [0.0, 0.25])
    >>> round(float(T.project([2.0])[0]), 6)
    0.75
    """

    def __init__(self, C: Any, c: Any, blocks: Sequence[int], *, lo: Any = None, hi: Any = None) -> None:
        C_arr = as_matrix(C, "C")
        if isinstance(blocks, (str, bytes)) or not isinstance(blocks, Sequence) or not blocks:
            raise InvalidArgument(
                f"blocks must be a nonempty sequence of positive ints, got blocks={short_repr(blocks)}"
            )
        sizes = []
        for k, b in enumerate(blocks):
            if isinstance(b, bool) or not isinstance(b, (int, np.integer)) or int(b) < 1:
                raise InvalidArgument(f"blocks[{k}] must be a positive int, got blocks={short_repr(blocks)}")
            sizes.append(int(b))
        if sum(sizes) != C_arr.shape[1]:
            raise InvalidArgument(
                f"blocks must sum to the number of columns of C ({C_arr.shape[1]}), got "
                f"blocks={short_repr(blocks)}"
            )
        self.blocks = tuple(sizes)
        super().__init__(C_arr, c, lo=lo, hi=hi)

    def slice(self, i: int, x: np.ndarray) -> Polytope:
        r"""The polytope :math:`\{x_i : C_i x_i \le c - \sum_{j \ne i} C_j x_j,\ lo_i \le x_i \le hi_i\}`.

        The right-hand side is rounded *up* (a rigorous upper bound on the exact value), so the
        float slice contains the exact one. An empty slice raises :class:`InvalidArgument`.

        Parameters
        ----------
        i : int
            The player.
        x : array_like, shape (dim,)
            A joint point fixing the other blocks.

        Returns
        -------
        Polytope

        Examples
        --------
        >>> S = CoupledPolytope([[1.0, 1.0]], [1.0], blocks=(1, 1), lo=0.0, hi=1.0)
        >>> S.slice(0, [0.0, 0.25])                 # x_0 <= 1 - 0.25
        Polytope(C=array([[1.]]), c=array([0.75]), lo=array([0.]), hi=array([1.]))
        """
        i = self._check_player(i)
        z = self._check_point(x, "x")
        sl = self.block_slices()[i]
        mask = np.ones(self.dim, bool)
        mask[sl] = False
        others = np.where(mask, z, 0.0)
        if self.C.shape[0]:
            lower, _ = _matvec_bounds(self.C[:, mask], z[mask])
            with np.errstate(over="ignore"):
                rhs = np.nextafter(self.c - lower, np.inf)
        else:
            rhs = np.zeros(0)
        del others
        try:
            return Polytope(self.C[:, sl], rhs, lo=self.lo[sl], hi=self.hi[sl])
        except InvalidArgument as exc:
            raise InvalidArgument(f"the slice of player {i} is empty at x={short_repr(z)} ({exc})") from exc
