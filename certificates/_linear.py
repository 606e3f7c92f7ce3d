r"""Linear (affine) deviations: Φ_LIN-equilibria / expected VIs, with LP and SDP dual certificates.

For a finitely supported :math:`\sigma = \sum_k p_k\delta_{x^k}` and player :math:`i` with
gradients :math:`g^k = \nabla_{x_i}u_i(x^k)`, an affine deviation :math:`\phi(z) = Az + b` that
maps :math:`X_i` into itself gains (``certificates.md`` §3.2)

.. math::

    \mathrm{Gain}(A, b) = \sum_k p_k\langle g^k, Ax_i^k + b - x_i^k\rangle
    = \langle M, A\rangle + \langle \bar g, b\rangle - s,\qquad
    M = \sum_k p_k g^k (x_i^k)^\top .

σ is an ε-approximate local :math:`\Phi_{LIN}`-equilibrium (EVI paper, Def. G.1; for mixed
extensions of normal-form games: an ε-correlated equilibrium, summed over recommendations)
when :math:`\max \mathrm{Gain} \le \varepsilon` for every player. The maximum is computed by

* **simplex** :math:`\Delta_t`: :math:`\sum_j \max_r M_{rj} - s` (closed form, §3.4);
* **box** :math:`[l, u]`: :math:`\sum_r h_r\max(|\bar g_r|, \max_j |M^c_{rj}|/h_j) - s_c` (§3.4);
* **polytope** :math:`\{Cz \le c\}` (bounded, full-dimensional): the LP of §3.3, solved with
  cvxpy, and its **dual certificate** :math:`(Y, z)`: any :math:`Y, z` with
  :math:`C^\top Y = -M`, :math:`C^\top z = \bar g`, :math:`z \ge 0`, :math:`YC^\top + zc^\top \ge 0`
  gives :math:`\max\mathrm{Gain} \le c^\top z - s`;
* **ball** :math:`B(c_0, R)`: the S-lemma SDP of §3.5 and its dual.

**Soundness.** Closed forms are evaluated in exact rational arithmetic
(:class:`fractions.Fraction`; floats are dyadic rationals) from the float gradients and
points. Solver duals are *repaired* exactly: the equalities are restored by the exact
orthogonal correction :math:`Y \leftarrow Y - C(C^\top C)^{-1}(C^\top Y + M)` (and likewise
for :math:`z`); the remaining sign violations are absorbed by adding :math:`t\,y` to
:math:`z` and :math:`-t\,y x_0^\top` to :math:`Y`, where :math:`y > 0` with
:math:`C^\top y = 0` (exists for bounded polytopes) and :math:`x_0` is a strictly interior
point: then :math:`YC^\top + zc^\top` grows by :math:`t\,y(c - Cx_0)^\top > 0`, so a finite
:math:`t` makes the pair exactly dual-feasible, at the price :math:`t\,c^\top y` in the
bound. This is the Neumaier--Shcherbina idea (a-priori information absorbs the residuals),
done exactly. For the ball, the dual slack matrix is made PSD by a shift :math:`\eta I`
verified by an exact :math:`LDL^\top`, and :math:`\eta\,\mathrm{tr}(Z) \le \eta(d + \max(d, R^2))`
is added (VSDP style). :func:`check_linear_dual` and :func:`check_ball_dual` perform these
checks with numpy-free rational arithmetic and are what an independent checker calls.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from constructions import (
    Ball,
    Box,
    ConvexSet,
    Game,
    InvalidArgument,
    Polytope,
    ProductSet,
    Simplex,
    SolverFailed,
)
from constructions._validation import as_matrix, as_real, as_vector, short_repr

from ._records import SCHEMA_VERSION, CertificateRecord, Verdict

__all__ = [
    "LinearStats",
    "linear_stats_exact",
    "linear_gain_simplex",
    "linear_gain_box",
    "LinearLPResult",
    "linear_gain_lp",
    "linear_gain_ball",
    "DualCheck",
    "check_linear_dual",
    "check_ball_dual",
    "LinearPlayerBound",
    "LinearDeviationCertificate",
    "certify_linear_deviation",
    "correlated_equilibrium_gain",
]

Q = Fraction
Matrix = list[list[Fraction]]


# ---------------------------------------------------------------------------------
# exact helpers (pure Python fractions; no numpy, no cvxpy)
# ---------------------------------------------------------------------------------


def _q(v: Any) -> Fraction:
    if isinstance(v, Fraction):
        return v
    if isinstance(v, str):
        return Fraction(v)
    f = float(v)
    if not math.isfinite(f):
        raise InvalidArgument(f"expected a finite number, got {v!r}")
    return Fraction(f)


def _qvec(v: Any) -> list[Fraction]:
    return [_q(t) for t in v]


def _qmat(A: Any) -> Matrix:
    return [[_q(t) for t in row] for row in A]


def _matmul(A: Matrix, B: Matrix) -> Matrix:
    Bt = list(zip(*B, strict=True)) if B else []
    return [[sum((a * b for a, b in zip(row, col, strict=True)), Q(0)) for col in Bt] for row in A]


def _transpose(A: Matrix) -> Matrix:
    return [list(r) for r in zip(*A, strict=True)]


def _solve(A: Matrix, B: Matrix) -> Matrix | None:
    """Exact solution X of A X = B (A square); None if singular."""
    n = len(A)
    aug = [list(A[i]) + list(B[i]) for i in range(n)]
    for col in range(n):
        piv = next((r for r in range(col, n) if aug[r][col] != 0), None)
        if piv is None:
            return None
        aug[col], aug[piv] = aug[piv], aug[col]
        inv = 1 / aug[col][col]
        aug[col] = [v * inv for v in aug[col]]
        for r in range(n):
            if r != col and aug[r][col] != 0:
                f = aug[r][col]
                aug[r] = [a - f * b for a, b in zip(aug[r], aug[col], strict=True)]
    return [row[n:] for row in aug]


def is_psd_exact(S: Matrix) -> bool:
    """Whether a symmetric rational matrix is positive semidefinite (exact LDL^T with pivoting on
    the diagonal; a zero pivot requires its whole column to vanish).

    Examples
    --------
    >>> is_psd_exact([[Fraction(1), Fraction(1)], [Fraction(1), Fraction(1)]])
    True
    >>> is_psd_exact([[Fraction(1), Fraction(2)], [Fraction(2), Fraction(1)]])
    False
    """
    A = [list(r) for r in S]
    n = len(A)
    for k in range(n):
        if A[k][k] < 0:
            return False
        if A[k][k] == 0:
            if any(A[k][j] != 0 for j in range(k + 1, n)):
                return False
            continue
        piv = A[k][k]
        for i in range(k + 1, n):
            if A[i][k] == 0:
                continue
            f = A[i][k] / piv
            for j in range(k + 1, n):
                A[i][j] -= f * A[k][j]
    return True


def _sqrt_upper(q: Fraction) -> Fraction:
    """A rational upper bound on sqrt(q)."""
    if q <= 0:
        return Q(0)
    r = Fraction(math.sqrt(float(q)) * (1 + 1e-12) + 1e-300)
    while r * r < q:
        r *= Fraction(1000001, 1000000)
    return r


def _qup(q: Fraction) -> float:
    """Smallest float >= q (rounded up)."""
    f = float(q)
    return f if Fraction(f) >= q else math.nextafter(f, math.inf)


def _qdown(q: Fraction) -> float:
    f = float(q)
    return f if Fraction(f) <= q else math.nextafter(f, -math.inf)


# ---------------------------------------------------------------------------------
# statistics of sigma
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinearStats:
    r"""Exact :math:`M = \sum_k p_k g^k (x^k)^\top`, :math:`\bar g`, :math:`s` (fractions).

    Attributes
    ----------
    M : tuple of tuple of Fraction
        :math:`M = \sum_k p_k g^k (x^k)^\top`.
    gbar : tuple of Fraction
        :math:`\bar g = \sum_k p_k g^k`.
    s : Fraction
        :math:`s = \sum_k p_k \langle g^k, x^k\rangle`.

    Examples
    --------
    >>> st = linear_stats_exact([1.0], [[0.5, 0.5]], [[1.0, -1.0]])
    >>> [str(v) for v in st.gbar], str(st.s)
    (['1', '-1'], '0')"""

    M: tuple[tuple[Fraction, ...], ...]
    gbar: tuple[Fraction, ...]
    s: Fraction

    def floats(self) -> tuple[np.ndarray, np.ndarray, float]:
        """Float approximations (for solvers) of the exact statistics ``M``, ``gbar`` and ``s``.

        Each exact rational is rounded to the nearest float64; the rigorous bounds are always
        re-evaluated on the exact values, so this rounding never enters a certificate.

        Returns
        -------
        M : numpy.ndarray, shape (d, d)
        gbar : numpy.ndarray, shape (d,)
        s : float

        Examples
        --------
        >>> st = linear_stats_exact([0.5, 0.5], [[1.0, 0.0], [0.0, 1.0]], [[1.0, 2.0], [3.0, 4.0]])
        >>> M, gbar, s = st.floats()
        >>> M.tolist(), gbar.tolist(), s
        ([[0.5, 1.5], [1.0, 2.0]], [2.0, 3.0], 2.5)
        """
        return (np.array([[float(v) for v in r] for r in self.M]), np.array([float(v) for v in self.gbar]),
                float(self.s))


def linear_stats_exact(weights: Any, points: Any, gradients: Any) -> LinearStats:
    r"""Exact statistics of σ for one player from float weights, points and gradients.

    Parameters
    ----------
    weights : sequence of float, length K
    points : K × d array (the player's blocks :math:`x_i^k`)
    gradients : K × d array (:math:`g^k`)

    Examples
    --------
    >>> st = linear_stats_exact([0.5, 0.5], [[1.0, 0.0], [0.0, 1.0]], [[1.0, 2.0], [3.0, 4.0]])
    >>> [[str(v) for v in r] for r in st.M], str(st.s)
    ([['1/2', '3/2'], ['1', '2']], '5/2')
    """
    p = _qvec(weights)
    X = _qmat(points)
    G = _qmat(gradients)
    if not (len(p) == len(X) == len(G)) or not X:
        raise InvalidArgument("weights, points and gradients must have the same (nonzero) length K")
    d = len(X[0])
    if any(len(r) != d for r in X) or any(len(r) != d for r in G):
        raise InvalidArgument("points and gradients must be K x d with the same d")
    M = [[Q(0)] * d for _ in range(d)]
    gbar = [Q(0)] * d
    for pk, xk, gk in zip(p, X, G, strict=True):
        if pk == 0:
            continue
        for r in range(d):
            pg = pk * gk[r]
            if pg == 0:
                continue
            gbar[r] += pg
            row = M[r]
            for j in range(d):
                if xk[j] != 0:
                    row[j] += pg * xk[j]
    s = sum((M[r][r] for r in range(d)), Q(0))
    return LinearStats(tuple(tuple(r) for r in M), tuple(gbar), s)


# ---------------------------------------------------------------------------------
# closed forms
# ---------------------------------------------------------------------------------


def _check_stats(stats: Any) -> LinearStats:
    if not isinstance(stats, LinearStats):
        raise InvalidArgument(
            f"stats must be a LinearStats (see linear_stats_exact), got stats={short_repr(stats)}")
    return stats


def linear_gain_simplex(stats: LinearStats) -> tuple[Fraction, Matrix]:
    r"""Exact :math:`\max\mathrm{Gain}` over the simplex: :math:`\sum_j\max_r M_{rj} - s`.

    Returns the value and an optimal column-stochastic :math:`B` (the map :math:`z\mapsto Bz`).

    Parameters
    ----------
    stats : LinearStats
        Exact statistics of σ (:func:`linear_stats_exact`).

    Returns
    -------
    tuple
        ``(value, B)``: exact optimum (Fraction) and an optimal map.

    Examples
    --------
    >>> st = linear_stats_exact([1.0], [[0.5, 0.5]], [[1.0, -1.0]])
    >>> value, B = linear_gain_simplex(st)           # move all mass to the first vertex
    >>> value, [[int(v) for v in row] for row in B]
    (Fraction(1, 1), [[1, 1], [0, 0]])
    """
    d = len(_check_stats(stats).gbar)
    B = [[Q(0)] * d for _ in range(d)]
    total = Q(0)
    for j in range(d):
        r = max(range(d), key=lambda r: stats.M[r][j])
        B[r][j] = Q(1)
        total += stats.M[r][j]
    return total - stats.s, B


def linear_gain_box(stats: LinearStats, lo: Sequence[float], hi: Sequence[float]) -> tuple[Fraction, Matrix,
                                                                                            list[Fraction]]:
    r"""Exact :math:`\max\mathrm{Gain}` over the box :math:`[lo, hi]` (§3.4), with an optimal map.

    Returns ``(value, A, b)`` with :math:`\phi(z) = Az + b` mapping the box into itself.

    Parameters
    ----------
    stats : LinearStats
        Exact statistics of σ (:func:`linear_stats_exact`).
    lo, hi : sequence of float
        The (bounded) box.

    Returns
    -------
    tuple
        ``(value, A, b)``: exact optimum (Fraction) and an optimal map.

    Examples
    --------
    >>> st = linear_stats_exact([1.0], [[0.5, 0.5]], [[1.0, -1.0]])
    >>> value, A, b = linear_gain_box(st, [0, 0], [1, 1])
    >>> value, [float(v) for v in b]          # move to the corner (1, 0): gain 0.5 + 0.5
    (Fraction(1, 1), [1.0, 0.0])
    """
    d = len(_check_stats(stats).gbar)
    lo_f, hi_f = as_vector(lo, "lo", dim=d), as_vector(hi, "hi", dim=d)
    if np.any(lo_f > hi_f):
        raise InvalidArgument(f"need lo <= hi, got lo={short_repr(lo)}, hi={short_repr(hi)}")
    lo_q, hi_q = _qvec(lo), _qvec(hi)
    m = [(a + b) / 2 for a, b in zip(lo_q, hi_q, strict=True)]
    h = [(b - a) / 2 for a, b in zip(lo_q, hi_q, strict=True)]
    g = stats.gbar
    Mc = [[stats.M[r][j] - g[r] * m[j] for j in range(d)] for r in range(d)]
    sc = stats.s - sum((g[r] * m[r] for r in range(d)), Q(0))
    total = Q(0)
    A = [[Q(0)] * d for _ in range(d)]
    beta = [Q(0)] * d
    for r in range(d):
        if h[r] == 0:
            continue
        best, arg = abs(g[r]), None
        for j in range(d):
            if h[j] > 0 and abs(Mc[r][j]) / h[j] > best:
                best, arg = abs(Mc[r][j]) / h[j], j
        total += h[r] * best
        if arg is None:
            beta[r] = h[r] if g[r] >= 0 else -h[r]
        else:
            A[r][arg] = (h[r] / h[arg]) * (1 if Mc[r][arg] >= 0 else -1)
    # back to original coordinates: phi(z) = A (z - m) + beta + m
    b = [beta[r] + m[r] - sum((A[r][j] * m[j] for j in range(d)), Q(0)) for r in range(d)]
    return total - sc, A, b


def _gain_of_map(stats: LinearStats, A: Matrix, b: Sequence[Fraction]) -> Fraction:
    d = len(b)
    return (sum((stats.M[r][j] * A[r][j] for r in range(d) for j in range(d)), Q(0))
            + sum((stats.gbar[r] * b[r] for r in range(d)), Q(0)) - stats.s)


# ---------------------------------------------------------------------------------
# the polytope LP and its exact dual check
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DualCheck:
    """Outcome of :func:`check_linear_dual` / :func:`check_ball_dual`.

    ``bound`` is the exact rational upper bound on the maximal gain implied by the dual data
    (None when the data are unusable), ``ok`` whether it is ``<= claimed``.

    Attributes
    ----------
    ok : bool
        The dual data prove the claimed bound.
    bound : fractions.Fraction or None
        Exact upper bound implied by the dual data.
    message : str
        One sentence on what was checked (or why the data are unusable).

    Examples
    --------
    >>> C = [[1, 0], [0, 1], [-1, 0], [0, -1]]                      # the unit square
    >>> chk = check_linear_dual(C, [1, 1, 0, 0], [[0, 0], [0, 0]], [1, 0], 0, [[0, 0]] * 4,
    ...                         [1, 0, 0, 0], [1, 1, 1, 1], [0.5, 0.5], 1)
    >>> chk.ok, chk.bound
    (True, Fraction(1, 1))
    """

    ok: bool
    bound: Fraction | None
    message: str


def check_linear_dual(C: Any, c: Any, M: Any, gbar: Any, s: Any, Y: Any, z: Any, y: Any, x0: Any,
                      claimed: Any) -> DualCheck:
    r"""Exactly verify that a dual :math:`(Y, z)` proves :math:`\max\mathrm{Gain} \le` ``claimed``.

    Pure rational arithmetic (no numpy, no solver). Steps: restore the equalities
    :math:`C^\top Y = -M`, :math:`C^\top z = \bar g` by the exact correction
    :math:`-C(C^\top C)^{-1}(\cdot)`; check that ``x0`` is strictly interior
    (:math:`c - Cx_0 > 0`) and that ``y`` (after the same correction, so that
    :math:`C^\top y = 0`) is :math:`> 0`; take the smallest :math:`t \ge 0` with
    :math:`z + ty \ge 0` and :math:`YC^\top + zc^\top + t\,y(c - Cx_0)^\top \ge 0`; the bound
    is :math:`c^\top z - s + t\,c^\top y`.

    Parameters
    ----------
    C, c : m × d matrix, m-vector
        The polytope :math:`\{w : Cw \le c\}` (bounded, full-dimensional).
    M, gbar, s : d × d matrix, d-vector, number
        Statistics of σ (floats, fractions or ``"p/q"`` strings; see :func:`linear_stats_exact`).
    Y, z : m × d matrix, m-vector
        The dual certificate (floats from a solver are fine).
    y : m-vector
        Positive vector with :math:`C^\top y \approx 0`.
    x0 : d-vector
        Strictly interior point.
    claimed : number or None
        The bound to prove (None: just compute the bound).

    Returns
    -------
    DualCheck

    Examples
    --------
    >>> C = [[1, 0], [0, 1], [-1, 0], [0, -1]]; c = [1, 1, 0, 0]        # the unit square
    >>> Y = [[0, 0]] * 4; z = [1, 0, 0, 0]                                # certifies gain <= 1 for
    >>> check_linear_dual(C, c, [[0, 0], [0, 0]], [1, 0], 0, Y, z,       # M = 0, gbar = e_1, s = 0
    ...                   [1, 1, 1, 1], [0.5, 0.5], 1).ok
    True
    >>> check_linear_dual(C, c, [[0, 0], [0, 0]], [1, 0], 0, Y, [0.5, 0, 0, 0],
    ...                   [1, 1, 1, 1], [0.5, 0.5], 0.5).ok          # wrong dual: repaired, bound 1
    False
    """
    try:
        Cq, cq, Mq, gq, sq = _qmat(C), _qvec(c), _qmat(M), _qvec(gbar), _q(s)
        Yq, zq, yq, xq = _qmat(Y), _qvec(z), _qvec(y), _qvec(x0)
        claim = None if claimed is None else _q(claimed)
    except (TypeError, ValueError, ZeroDivisionError) as exc:
        return DualCheck(False, None, f"unreadable data: {exc}")
    m = len(Cq)
    d = len(Cq[0]) if m else 0
    if not (len(cq) == len(zq) == len(yq) == len(Yq) == m and len(xq) == d and len(Mq) == d and len(gq) == d):
        return DualCheck(False, None, "inconsistent dimensions")
    Ct = _transpose(Cq)
    CtC = _matmul(Ct, Cq)

    def correct(V: Matrix, target: Matrix) -> Matrix | None:
        # V <- V - C (C^T C)^{-1} (C^T V - target)
        CtV = _matmul(Ct, V)
        R = [[a - b for a, b in zip(r1, r2, strict=True)] for r1, r2 in zip(CtV, target, strict=True)]
        Z = _solve(CtC, R)
        if Z is None:
            return None
        CZ = _matmul(Cq, Z)
        return [[a - b for a, b in zip(r1, r2, strict=True)] for r1, r2 in zip(V, CZ, strict=True)]

    Yr = correct(Yq, [[-v for v in row] for row in Mq])
    zr = correct([[v] for v in zq], [[v] for v in gq])
    yr = correct([[v] for v in yq], [[Q(0)] for _ in range(d)])
    if Yr is None or zr is None or yr is None:
        return DualCheck(False, None, "C^T C is singular: the polytope is unbounded or C is rank deficient")
    zr1 = [r[0] for r in zr]
    yr1 = [r[0] for r in yr]
    if any(v <= 0 for v in yr1):
        return DualCheck(False, None, "y is not strictly positive after restoring C^T y = 0")
    slack = [cq[i] - sum((Cq[i][j] * xq[j] for j in range(d)), Q(0)) for i in range(m)]
    if any(v <= 0 for v in slack):
        return DualCheck(False, None, "x0 is not strictly interior (c - C x0 must be > 0)")
    t = Q(0)
    for i in range(m):
        if zr1[i] < 0:
            t = max(t, -zr1[i] / yr1[i])
        YCi = [sum((Yr[i][k] * Cq[j][k] for k in range(d)), Q(0)) for j in range(m)]
        for j in range(m):
            r3 = YCi[j] + zr1[i] * cq[j]
            if r3 < 0:
                t = max(t, -r3 / (yr1[i] * slack[j]))
    bound = (sum((a * b for a, b in zip(cq, zr1, strict=True)), Q(0)) - sq
             + t * sum((a * b for a, b in zip(cq, yr1, strict=True)), Q(0)))
    if claim is None:
        return DualCheck(True, bound, "bound computed (no claim given)")
    ok = bound <= claim
    return DualCheck(ok, bound, "dual certificate proves the claim" if ok else
                     f"the dual proves only gain <= {float(bound):.17g} > claimed {float(claim):.17g}")


def check_ball_dual(M: Any, gbar: Any, s: Any, center: Any, radius: Any, S11: Any, S22: Any, eta: Any,
                    claimed: Any) -> DualCheck:
    r"""Exactly verify an S-lemma dual for the ball :math:`B(c_0, R)` (``certificates.md`` §3.5).

    With :math:`M^c = M - \bar g c_0^\top`, :math:`s_c = s - \langle\bar g, c_0\rangle`, the
    dual matrix is :math:`S = [[S_{11}, -M^c/2, -\bar g/2], [\cdot, S_{22}, 0], [\cdot, 0,
    \mathrm{tr}(S_{22})/R^2]]` (exact equalities); the check verifies
    :math:`S + \eta I \succeq 0` by exact :math:`LDL^\top` and returns the bound
    :math:`\mathrm{tr}(S_{11}) + \mathrm{tr}(S_{22}) - s_c + \eta(d + \max(d, R^2))`.

    Parameters
    ----------
    M, gbar, s : d × d matrix, d-vector, number
        Statistics of σ (see :func:`linear_stats_exact`).
    center, radius : d-vector, number
        The ball :math:`B(c_0, R)`.
    S11, S22 : d × d matrices
        Blocks of the dual matrix (floats from a solver are fine).
    eta : number
        PSD shift :math:`\eta \ge 0`.
    claimed : number or None
        The bound to prove (None: just compute the bound).

    Returns
    -------
    DualCheck

    Examples
    --------
    >>> # M = 0, gbar = e_1, s = 0 on the unit disc: the best deviation is b = e_1, gain 1
    >>> chk = check_ball_dual([[0, 0], [0, 0]], [1, 0], 0, [0, 0], 1, [[0.5, 0], [0, 0]],
    ...                       [[0.25, 0], [0, 0.25]], 0, 1)
    >>> chk.ok, chk.bound
    (True, Fraction(1, 1))
    """
    try:
        Mq, gq, sq, c0, R = _qmat(M), _qvec(gbar), _q(s), _qvec(center), _q(radius)
        A11, A22, eq = _qmat(S11), _qmat(S22), _q(eta)
        claim = None if claimed is None else _q(claimed)
    except (TypeError, ValueError, ZeroDivisionError) as exc:
        return DualCheck(False, None, f"unreadable data: {exc}")
    d = len(gq)
    if R <= 0 or eq < 0 or len(A11) != d or len(A22) != d or len(Mq) != d or len(c0) != d:
        return DualCheck(False, None, "inconsistent dimensions, R <= 0 or eta < 0")
    Mc = [[Mq[r][j] - gq[r] * c0[j] for j in range(d)] for r in range(d)]
    sc = sq - sum((gq[r] * c0[r] for r in range(d)), Q(0))
    tr22 = sum((A22[i][i] for i in range(d)), Q(0))
    n = 2 * d + 1
    S = [[Q(0)] * n for _ in range(n)]
    for a in range(d):
        for b in range(d):
            S[a][b] = (A11[a][b] + A11[b][a]) / 2
            S[d + a][d + b] = (A22[a][b] + A22[b][a]) / 2
            S[a][d + b] = S[d + b][a] = -Mc[a][b] / 2
        S[a][2 * d] = S[2 * d][a] = -gq[a] / 2
    S[2 * d][2 * d] = tr22 / (R * R)
    for i in range(n):
        S[i][i] += eq
    if not is_psd_exact(S):
        return DualCheck(False, None, "S + eta I is not positive semidefinite")
    trace11 = sum((A11[i][i] for i in range(d)), Q(0))
    bound = trace11 + tr22 - sc + eq * (d + max(Q(d), R * R))
    if claim is None:
        return DualCheck(True, bound, "bound computed (no claim given)")
    ok = bound <= claim
    return DualCheck(ok, bound, "dual certificate proves the claim" if ok else
                     f"the dual proves only gain <= {float(bound):.17g} > claimed {float(claim):.17g}")


@dataclass(frozen=True)
class LinearLPResult:
    """Result of :func:`linear_gain_lp` / :func:`linear_gain_ball`.

    ``value`` is the solver's optimum (an estimate), ``upper`` the exact bound from the
    repaired dual rounded up to a float (``inf`` if the dual could not be used), ``lower``
    a float estimate of the primal witness's gain, ``dual`` the dual data (LP: ``Y, z, y, x0``;
    SDP: ``S11, S22, eta``), ``primal`` the witness map ``(A, b)``, ``status``/``message`` the
    solver's.

    Attributes
    ----------
    value, upper, lower : float
        Solver optimum (estimate), rigorous upper bound, witness gain (estimate).
    dual, primal : dict
        Dual certificate and primal witness map.
    status, message : str
        Solver status and message.

    Examples
    --------
    >>> st = linear_stats_exact([1.0], [[0.5, 0.5]], [[1.0, 0.0]])
    >>> res = linear_gain_lp(st, [[1, 0], [0, 1], [-1, 0], [0, -1]], [1, 1, 0, 0])
    >>> res.status, sorted(res.dual), res.upper >= 0.5
    ('OPTIMAL', ['Y', 'x0', 'y', 'z'], True)
    """

    value: float
    upper: float
    lower: float
    dual: dict[str, Any]
    primal: dict[str, Any]
    status: str
    message: str


def _tight(solver: str | None) -> dict[str, float]:
    """Tighter tolerances for CLARABEL (the default): LP optima to ~1e-10."""
    from ._solvers import default_solver

    if (solver or default_solver()) == "CLARABEL":
        return {"tol_gap_abs": 1e-11, "tol_gap_rel": 1e-11, "tol_feas": 1e-11}
    return {}


_AUX_CACHE: dict[bytes, tuple[np.ndarray, np.ndarray]] = {}


def _polytope_aux(C: np.ndarray, c: np.ndarray, solver: str | None) -> tuple[np.ndarray, np.ndarray]:
    """(x0 strictly interior, y > 0 with C^T y = 0) for a bounded full-dimensional polytope."""
    import cvxpy as cp

    from ._solvers import solve_problem

    key = C.tobytes() + c.tobytes()
    if key in _AUX_CACHE:
        return _AUX_CACHE[key]
    m, d = C.shape
    x = cp.Variable(d)
    r = cp.Variable()
    norms = np.linalg.norm(C, axis=1)
    res = solve_problem(cp.Problem(cp.Maximize(r), [C @ x + r * norms <= c, r <= 1e6]), solver=solver)
    if res.ok and x.value is not None and r.value is not None and not (
            np.all(np.isfinite(x.value)) and np.isfinite(r.value)):
        raise SolverFailed(f"no strictly interior point of the polytope: {res.message}, but the solver "
                           "returned non-finite values (NaN/inf)")
    if not res.ok or x.value is None or r.value is None or not float(r.value) > 0:
        raise SolverFailed(f"no strictly interior point of the polytope: {res.message}")
    yv = cp.Variable(m)
    res2 = solve_problem(cp.Problem(cp.Minimize(cp.sum(yv)), [C.T @ yv == 0, yv >= 1]), solver=solver)
    if res2.ok and yv.value is not None and not np.all(np.isfinite(yv.value)):
        raise SolverFailed(f"no positive y with C^T y = 0: {res2.message}, but the solver returned "
                           "non-finite values (NaN/inf)")
    if not res2.ok or yv.value is None:
        raise SolverFailed(f"no positive y with C^T y = 0 (is the polytope bounded?): {res2.message}")
    out = (np.asarray(x.value, dtype=float), np.asarray(yv.value, dtype=float))
    _AUX_CACHE[key] = out
    return out


def linear_gain_lp(stats: LinearStats, C: Any, c: Any, *, solver: str | None = None,
                   primal: bool = True, interior: Any = None, recession: Any = None) -> LinearLPResult:
    r"""Max linear-deviation gain over :math:`\{w : Cw \le c\}` by LP (cvxpy), with a checked dual.

    Solves the dual LP of ``certificates.md`` §3.3 for :math:`(Y, z)` (and, with
    ``primal=True``, the primal LP for a witness :math:`(A, b, V)`), then re-derives a rigorous
    bound with :func:`check_linear_dual`. ``interior`` (a strictly interior point) and
    ``recession`` (:math:`y > 0` with :math:`C^\top y = 0`) are computed by two small LPs unless
    given.

    Parameters
    ----------
    stats : LinearStats
        Exact statistics of σ (:func:`linear_stats_exact`).
    C, c : array_like
        The polytope :math:`\{w : Cw \le c\}` (bounded, full-dimensional).
    solver : str, optional
        cvxpy backend.
    primal : bool, default True
        Also solve the primal LP for a witness map.
    interior, recession : array_like, optional
        A strictly interior point and a positive :math:`y` with :math:`C^\top y = 0`.

    Returns
    -------
    LinearLPResult

    Raises
    ------
    SolverFailed
        The backend failed (callers turn this into INCONCLUSIVE with the message).

    Examples
    --------
    >>> st = linear_stats_exact([1.0], [[0.5, 0.5]], [[1.0, 0.0]])
    >>> res = linear_gain_lp(st, [[1, 0], [0, 1], [-1, 0], [0, -1]], [1, 1, 0, 0])
    >>> round(res.value, 6), res.upper >= 0.5
    (0.5, True)
    """
    import cvxpy as cp

    from ._solvers import solve_problem

    Mf, gf, sf = _check_stats(stats).floats()
    Cf = as_matrix(C, "C", shape=(None, gf.shape[0]))
    cf = as_vector(c, "c", dim=Cf.shape[0])
    m, d = Cf.shape
    if interior is not None and recession is not None:
        x0, yaux = np.asarray(interior, dtype=float), np.asarray(recession, dtype=float)
    else:
        x0, yaux = _polytope_aux(Cf, cf, solver)
    Y = cp.Variable((m, d))
    z = cp.Variable(m)
    dual_prob = cp.Problem(cp.Minimize(cf @ z - sf),
                           [Cf.T @ Y == -Mf, Cf.T @ z == gf, z >= 0, Y @ Cf.T + cp.outer(z, cf) >= 0])
    res = solve_problem(dual_prob, solver=solver, **_tight(solver))
    if Y.value is None or z.value is None:
        raise SolverFailed(f"{res.message}; no dual point returned")
    if not (np.all(np.isfinite(Y.value)) and np.all(np.isfinite(z.value))):
        raise SolverFailed(f"{res.message}, but the solver returned non-finite values (NaN/inf) for the dual "
                           "point: no rigorous bound")
    Yv, zv = np.asarray(Y.value, dtype=float), np.asarray(z.value, dtype=float)
    chk = check_linear_dual(Cf, cf, stats.M, stats.gbar, stats.s, Yv, zv, yaux, x0, None)
    upper = _qup(chk.bound) if chk.bound is not None else math.inf
    lower, prim = -math.inf, {}
    if primal:
        A = cp.Variable((d, d))
        b = cp.Variable(d)
        V = cp.Variable((m, m), nonneg=True)
        pprob = cp.Problem(cp.Maximize(cp.sum(cp.multiply(Mf, A)) + gf @ b - sf),
                           [V @ Cf - Cf @ A == 0, V @ cf + Cf @ b <= cf])
        pres = solve_problem(pprob, solver=solver, **_tight(solver))
        if A.value is not None and b.value is not None and np.all(np.isfinite(A.value)) and \
                np.all(np.isfinite(b.value)):
            Av, bv = np.asarray(A.value, dtype=float), np.asarray(b.value, dtype=float)
            prim = {"A": Av, "b": bv, "V": np.asarray(V.value, dtype=float)}
            lower = float(np.sum(Mf * Av) + gf @ bv - sf)
        if not pres.ok:
            res = pres
    return LinearLPResult(res.value, upper, lower,
                          {"Y": Yv, "z": zv, "y": yaux, "x0": x0}, prim, res.status.value, res.message)


def linear_gain_ball(stats: LinearStats, center: Any, radius: float, *, solver: str | None = None
                     ) -> LinearLPResult:
    r"""Max linear-deviation gain over the ball :math:`B(c_0, R)` by the S-lemma SDP (cvxpy).

    Solves the dual SDP (min :math:`\mathrm{tr}S_{11} + R^2 s_{33} - s_c` over PSD :math:`S` with
    :math:`S_{12} = -M^c/2`, :math:`s_{13} = -\bar g/2`, :math:`\mathrm{tr}S_{22} = R^2 s_{33}`)
    and the primal (the LMI of §3.5) for a witness, then certifies the bound with
    :func:`check_ball_dual` after choosing the smallest verified shift :math:`\eta`.

    Parameters
    ----------
    stats : LinearStats
        Exact statistics of σ (:func:`linear_stats_exact`).
    center : array_like
        Centre :math:`c_0` of the ball.
    radius : float
        Radius :math:`R > 0`.
    solver : str, optional
        cvxpy backend.

    Returns
    -------
    LinearLPResult

    Examples
    --------
    >>> st = linear_stats_exact([1.0], [[0.0, 0.0]], [[1.0, 0.0]])
    >>> res = linear_gain_ball(st, [0.0, 0.0], 1.0)
    >>> abs(res.value - 1.0) < 1e-6 and res.upper >= 1.0
    True
    """
    import cvxpy as cp

    from ._solvers import solve_problem

    Mf, gf, sf = _check_stats(stats).floats()
    d = gf.shape[0]
    c0 = as_vector(center, "center", dim=d)
    R = as_real(radius, "radius", positive=True)
    Mc = Mf - np.outer(gf, c0)
    sc = sf - float(gf @ c0)
    n = 2 * d + 1
    S = cp.Variable((n, n), symmetric=True)
    cons = [S >> 0, S[:d, d:2 * d] == -Mc / 2, S[:d, 2 * d] == -gf / 2, S[d:2 * d, 2 * d] == 0,
            cp.trace(S[d:2 * d, d:2 * d]) == R * R * S[2 * d, 2 * d]]
    res = solve_problem(cp.Problem(cp.Minimize(cp.trace(S[:d, :d]) + R * R * S[2 * d, 2 * d] - sc), cons),
                        solver=solver, sdp=True)
    if S.value is None:
        raise SolverFailed(f"{res.message}; no dual point returned")
    if not np.all(np.isfinite(S.value)):
        raise SolverFailed(f"{res.message}, but the solver returned non-finite values (NaN/inf) for the dual "
                           "point: no rigorous bound")
    Sv = np.asarray(S.value, dtype=float)
    S11, S22 = Sv[:d, :d], Sv[d:2 * d, d:2 * d]
    # smallest eta that an exact LDL^T accepts
    full = Sv.copy()
    full[:d, d:2 * d] = -Mc / 2
    full[d:2 * d, :d] = -Mc.T / 2
    full[:d, 2 * d] = full[2 * d, :d] = -gf / 2
    full[d:2 * d, 2 * d] = full[2 * d, d:2 * d] = 0
    full[2 * d, 2 * d] = np.trace(S22) / (R * R)
    lam = float(np.min(np.linalg.eigvalsh((full + full.T) / 2)))
    eta = max(0.0, -lam) + 1e-12 * (1 + float(np.max(np.abs(full))))
    chk = DualCheck(False, None, "")
    for _ in range(30):
        chk = check_ball_dual(stats.M, stats.gbar, stats.s, c0, R, S11, S22, eta, None)
        if chk.bound is not None:
            break
        eta *= 4
    upper = _qup(chk.bound) if chk.bound is not None else math.inf
    # primal witness
    A = cp.Variable((d, d))
    beta = cp.Variable(d)
    lmb = cp.Variable()
    corner = cp.reshape((1 - lmb) * R * R, (1, 1), order="C")
    Zm = cp.bmat([[np.eye(d), A, cp.reshape(beta, (d, 1), order="C")],
                  [A.T, lmb * np.eye(d), np.zeros((d, 1))],
                  [cp.reshape(beta, (1, d), order="C"), np.zeros((1, d)), corner]])
    pres = solve_problem(cp.Problem(cp.Maximize(cp.sum(cp.multiply(Mc, A)) + gf @ beta - sc),
                                    [(Zm + Zm.T) / 2 >> 0]), solver=solver, sdp=True)
    lower, prim = -math.inf, {}
    if A.value is not None and beta.value is not None and np.all(np.isfinite(A.value)) and \
            np.all(np.isfinite(beta.value)):
        Av, bv = np.asarray(A.value, dtype=float), np.asarray(beta.value, dtype=float)
        # scale into the invariant set: ||A||_2 + ||beta||/R <= 1 suffices
        k = float(np.linalg.norm(Av, 2)) * (1 + 1e-12) + float(np.linalg.norm(bv)) / R * (1 + 1e-12)
        if k > 1:
            Av, bv = Av / k, bv / k
        prim = {"A": Av, "b": bv + c0 - Av @ c0}
        lower = float(np.sum(Mc * Av) + gf @ bv - sc)
    if not pres.ok:
        res = pres
    return LinearLPResult(res.value, upper, lower, {"S11": S11, "S22": S22, "eta": eta}, prim,
                          res.status.value, res.message)


# ---------------------------------------------------------------------------------
# normal-form games: the correlated-equilibrium gain from the payoff tensor
# ---------------------------------------------------------------------------------


def correlated_equilibrium_gain(payoffs: Any, points: Any, weights: Any) -> list[float]:
    r"""Per-player CE regret :math:`\sum_j\max_r \sum_{a_{-i}} P(j, a_{-i})[u_i(r, a_{-i}) - u_i(j, a_{-i})]`.

    ``P`` is the joint distribution over pure profiles induced by σ (each support point a
    product of mixed strategies). An independent numpy computation on the payoff tensor, for
    cross-checking :func:`certify_linear_deviation` on mixed extensions.

    Parameters
    ----------
    payoffs : array_like, shape (n, m_1, ..., m_n)
        Payoff tensor: ``payoffs[i]`` is player ``i``'s payoff over pure profiles.
    points : array_like, shape (K, m_1 + ... + m_n)
        Support points: mixed strategies of all players, concatenated.
    weights : array_like, shape (K,)
        Probabilities of the support points.

    Returns
    -------
    list of float
        One CE regret per player.

    Examples
    --------
    >>> A = np.array([[1.0, -1.0], [-1.0, 1.0]])
    >>> correlated_equilibrium_gain(np.stack([A, -A]), [[0.5, 0.5, 0.5, 0.5]], [1.0])
    [0.0, 0.0]
    """
    try:
        P = np.asarray(payoffs, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InvalidArgument(
            f"payoffs must be an array of numbers, got payoffs={short_repr(payoffs)}") from exc
    if P.ndim < 2 or P.shape[0] != P.ndim - 1 or not np.all(np.isfinite(P)):
        raise InvalidArgument(f"payoffs must be a finite (n, a_1, ..., a_n) tensor, got shape {P.shape} for "
                              f"payoffs={short_repr(payoffs)}")
    n = P.shape[0]
    dims = P.shape[1:]
    X = as_matrix(points, "points", shape=(None, sum(dims)))
    p = as_vector(weights, "weights", dim=X.shape[0])
    joint = np.zeros(dims)
    starts = np.cumsum([0, *dims])
    for pk, x in zip(p, X, strict=True):
        t = np.array(pk)
        for i in range(n):
            t = np.multiply.outer(t, x[starts[i]:starts[i + 1]])
        joint += t
    out = []
    for i in range(n):
        Pi = np.moveaxis(P[i], i, 0)  # (a_i, rest)
        Ji = np.moveaxis(joint, i, 0)
        a = dims[i]
        # gain[j, r] = sum_rest J[j, rest] (P[r, rest] - P[j, rest])
        flatP = Pi.reshape(a, -1)
        flatJ = Ji.reshape(a, -1)
        dev = flatJ @ flatP.T - np.sum(flatJ * flatP, axis=1)[:, None]
        out.append(float(np.sum(np.max(dev, axis=1))))
    return out


# ---------------------------------------------------------------------------------
# the certificate
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinearPlayerBound:
    r"""Per-player result of :func:`certify_linear_deviation`.

    Attributes
    ----------
    set_kind : str
        ``"simplex"``, ``"box"``, ``"polytope"`` or ``"ball"``.
    method : str
        ``"closed-form"`` (exact rationals), ``"lp-dual"`` or ``"sdp-dual"``.
    gradients : tuple of tuple of float
        :math:`g^k` at the support points (inputs of the check).
    gradient_error : float
        :math:`D_i\sum_k p_k e_k` added to the bound (0 if the oracle is assumed exact).
    value : float
        Optimum of the gain (exact closed form, or the solver's estimate).
    linear_gain_upper : float
        Rigorous upper bound on the maximal gain.
    linear_gain_lower : float
        Gain of the witness map (float).
    witness_A, witness_b : tuple
        The best map found, :math:`\phi(z) = Az + b` (in the set's own coordinates; for the
        simplex in the reduced coordinates ``z[:-1]`` when ``method='lp-dual'``).
    polytope_C, polytope_c : tuple
        The polytope the LP used (LP only).
    dual : dict
        Dual certificate: ``Y, z, y, x0`` (LP) or ``S11, S22, eta`` (SDP); empty for closed forms.
    solver_message : str
        The solver's message (empty for closed forms).

    Examples
    --------
    >>> from constructions import prisoners_dilemma
    >>> pl = certify_linear_deviation(prisoners_dilemma(), [[0, 1, 0, 1]], eps=1e-9).players[0]
    >>> pl.set_kind, pl.method, pl.linear_gain_upper < 1e-12    # 0 up to the gradient's float error
    ('simplex', 'closed-form', True)
    """

    player: int
    set_kind: str
    method: str
    gradients: tuple[tuple[float, ...], ...]
    gradient_error: float
    value: float
    linear_gain_upper: float
    linear_gain_lower: float
    witness_A: tuple[tuple[float, ...], ...]
    witness_b: tuple[float, ...]
    polytope_C: tuple[tuple[float, ...], ...]
    polytope_c: tuple[float, ...]
    dual: dict[str, Any]
    solver_message: str


@dataclass(frozen=True)
class LinearDeviationCertificate(CertificateRecord):
    r"""Result of :func:`certify_linear_deviation`; ``kind = "linear-deviation"``.

    Claim: :math:`\max_{\phi\in\Phi_{LIN}(X_i)} \mathbb{E}_\sigma\langle g_i(x), \phi(x_i) - x_i\rangle
    \le \varepsilon` for every player (EVI paper Def. G.1; CE for normal-form games).

    Attributes
    ----------
    verdict : Verdict
        VERIFIED, REFUTED (an exact closed-form gain above ``eps``) or INCONCLUSIVE.
    eps : float
        The claimed tolerance.
    game : str
        Name of the game.
    points, weights : tuple
        The distribution σ.
    players : tuple of LinearPlayerBound
        Per-player bounds, witnesses and dual data.
    epsilon_upper : float
        Rigorous upper bound on the largest gain over all players.
    witness_player, witness_gain : int or None, float
        The player refuting the claim and its exact gain (None / nan unless REFUTED).
    reasons, assumptions : tuple of str
        Why the verdict is not VERIFIED; what the certificate rests on.
    method, kind, schema, extra, game_spec, slack
        Bookkeeping of the JSON record (``slack = eps - epsilon_upper``).

    Examples
    --------
    >>> from constructions import prisoners_dilemma
    >>> cert = certify_linear_deviation(prisoners_dilemma(), [[0, 1, 0, 1]], eps=1e-9)
    >>> cert.verdict.value, [pl.method for pl in cert.players], cert.epsilon_upper < 1e-12
    ('VERIFIED', ['closed-form', 'closed-form'], True)
    """

    verdict: Verdict
    eps: float
    game: str
    points: tuple[tuple[float, ...], ...]
    weights: tuple[float, ...]
    players: tuple[LinearPlayerBound, ...]
    epsilon_upper: float
    witness_player: int | None
    witness_gain: float
    reasons: tuple[str, ...]
    assumptions: tuple[str, ...]
    method: str = "exact closed forms / exactly repaired LP and SDP duals"
    kind: str = "linear-deviation"
    schema: str = SCHEMA_VERSION
    extra: dict[str, Any] = field(default_factory=dict)
    #: the game definition (``constructions._gamefile.game_spec``) for portable files
    game_spec: dict[str, Any] | None = None
    #: ``eps - epsilon_upper`` (binds ``eps`` in certificate files)
    slack: float = math.nan


    def summary(self) -> str:
        """A readable multi-line report: verdict, claim, bound and each player's gain interval.

        Returns
        -------
        str

        Examples
        --------
        >>> from constructions import prisoners_dilemma
        >>> cert = certify_linear_deviation(prisoners_dilemma(), [[0, 1, 0, 1]], eps=1e-9)
        >>> print(cert.summary().splitlines()[0])
        verdict: VERIFIED
        """
        lines = [
            f"verdict: {self.verdict.value}",
            f"claim:   sigma ({len(self.weights)} support points) is an eps={self.eps:g} local "
            f"linear-deviation (Phi_LIN) equilibrium of {self.game}",
            f"bound:   max_i max_phi E<g_i, phi(x_i) - x_i> <= {self.epsilon_upper:.6g}",
        ]
        for p in self.players:
            lines.append(f"  player {p.player} ({p.set_kind}, {p.method}): gain in "
                         f"[{p.linear_gain_lower:.6g}, "
                         f"{p.linear_gain_upper:.6g}]")
        if self.witness_player is not None:
            lines.append(f"witness: player {self.witness_player} has an affine deviation gaining "
                         f"{self.witness_gain:.6g} > eps (exact rational evaluation)")
        lines.extend(f"reason: {r}" for r in self.reasons)
        lines.append("assumptions:")
        lines.extend(f"  - {a}" for a in self.assumptions)
        return "\n".join(lines)


def _polytope_rows(S: Polytope) -> tuple[np.ndarray, np.ndarray] | None:
    if S.A_eq.shape[0]:
        return None
    rows, rhs = [S.C], [S.c]
    d = S.dim
    for j in range(d):
        e = np.zeros((1, d))
        if np.isfinite(S.hi[j]):
            e[0, j] = 1.0
            rows.append(e.copy())
            rhs.append(np.array([S.hi[j]]))
        if np.isfinite(S.lo[j]):
            e[0, j] = -1.0
            rows.append(e.copy())
            rhs.append(np.array([-S.lo[j]]))
    return np.vstack(rows), np.concatenate(rhs)


def _map_tuple(A: Any) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(float(v) for v in r) for r in A)


def certify_linear_deviation(
    game: Game,
    points: Any,
    weights: Any = None,
    *,
    eps: float,
    method: str = "auto",
    solver: str | None = None,
    feas_tol: float = 1e-9,
    min_margin: float = 1e-9,
) -> LinearDeviationCertificate:
    r"""Certify (or refute) that σ is an ε-approximate local linear-deviation equilibrium.

    Parameters
    ----------
    game : Game
        A game whose players' sets are :class:`~constructions.Simplex`,
        :class:`~constructions.Box`, :class:`~constructions.Polytope` (inequalities only,
        bounded, full-dimensional) or :class:`~constructions.Ball`, in a ProductSet domain.
    points, weights
        The distribution σ (as in :func:`certificates.certify_local_cce`).
    eps : float
        Claimed tolerance.
    method : {"auto", "lp"}
        ``"auto"``: closed forms for simplex and box, LP for polytopes, SDP for balls;
        ``"lp"``: the LP also for simplex and box (cross-check; the simplex in reduced coordinates).
    solver : str, optional
        cvxpy backend (default CLARABEL).
    feas_tol, min_margin : float
        As in :func:`certificates.certify_local_nash`.

    Returns
    -------
    LinearDeviationCertificate

    Examples
    --------
    >>> from constructions import prisoners_dilemma
    >>> cert = certify_linear_deviation(prisoners_dilemma(), [[0, 1, 0, 1]], eps=1e-9)
    >>> cert.verdict.value      # mutual defection is a (correlated) equilibrium
    'VERIFIED'
    >>> certify_linear_deviation(prisoners_dilemma(), [[1, 0, 1, 0]], eps=1e-3).verdict.value
    'REFUTED'
    """
    from constructions._gamefile import game_spec

    from ._cce import as_distribution

    if not isinstance(game, Game):
        raise InvalidArgument(f"game must be a localeq Game, got game={game!r}")
    eps = as_real(eps, "eps", positive=True)
    min_margin = as_real(min_margin, "min_margin", nonnegative=True)
    if method not in ("auto", "lp"):
        raise InvalidArgument(f"method must be 'auto' or 'lp', got method={method!r}")
    if game.domain is None or not (isinstance(game.domain, ProductSet) or game.n_players == 1):
        raise InvalidArgument(
            "linear deviations need a bounded ProductSet domain (one set per player), got "
            f"domain={game.domain!r}"
        )
    X, p = as_distribution(game, points, weights, feas_tol=feas_tol)
    K = X.shape[0]
    reasons: list[str] = []
    assumptions: list[str] = [
        "closed forms and dual checks are exact rational computations from the float gradients, points "
        "and weights as given",
        "the claim is about the linearised gain E<g_i, phi(x_i) - x_i> (EVI Def. G.1); add "
        "delta*eps/D_i + delta^2 L_i/2 for the interpolated non-linearised gain (EVI Prop. G.4)",
    ]
    players: list[LinearPlayerBound] = []
    witness_player, witness_gain = None, -math.inf
    for i in range(game.n_players):
        S: ConvexSet = game.player_set(i, X[0])
        Xi = X[:, game.block_slices[i]]
        try:
            G = np.array([game.gradient(i, X[k]) for k in range(K)])
        except Exception as exc:  # noqa: BLE001 - a user's oracle failed: report, never verify
            reasons.append(f"player {i}: gradient oracle raised {type(exc).__name__}: {exc}")
            G = np.full((K, game.dims[i]), math.nan)
        empty = LinearPlayerBound(i, type(S).__name__.lower(), "none", _map_tuple(G) if G.size else (), 0.0,
                                  math.nan, math.inf, -math.inf, (), (), (), (), {}, "")
        if not np.all(np.isfinite(G)):
            if not any(r.startswith(f"player {i}: gradient oracle raised") for r in reasons):
                reasons.append(f"player {i}: a gradient at a support point is not finite")
            players.append(empty)
            continue
        errs = [game.gradient_error(i, X[k]) for k in range(K)]
        D = S.diameter()
        if any(e is None for e in errs):
            err_term = 0.0
            assumptions.append(f"player {i}: the gradient oracle is exact at the support points")
        else:
            err_term = _qup(Fraction(math.fsum(p * np.array(errs, dtype=float)) * (1 + 1e-12)) * _q(D)) \
                if math.isfinite(D) else math.inf
        stats = linear_stats_exact(p, Xi, G)
        kind, meth, val, upper, lower = type(S).__name__.lower(), "closed-form", math.nan, math.inf, -math.inf
        wA: Any = ()
        wb: Any = ()
        Cc: tuple[Any, Any] = ((), ())
        dual: dict[str, Any] = {}
        msg = ""
        exact_witness: Fraction | None = None
        try:
            if isinstance(S, Simplex) and method == "auto":
                if S.total == 0 or S.dim == 1:
                    val_q, B = Q(0), [[Q(1)]]
                else:
                    val_q, B = linear_gain_simplex(stats)
                val, upper, lower = float(val_q), _qup(val_q), float(val_q)
                exact_witness = val_q
                wA, wb = _map_tuple(B), tuple([0.0] * S.dim)
            elif isinstance(S, Box) and method == "auto":
                if not (np.all(np.isfinite(S.lo)) and np.all(np.isfinite(S.hi))):
                    raise InvalidArgument(
                        f"player {i}'s box must be bounded for linear deviations, got {S!r}"
                    )
                val_q, A, b = linear_gain_box(stats, S.lo, S.hi)
                val, upper, lower = float(val_q), _qup(val_q), float(val_q)
                exact_witness = _gain_of_map(stats, A, b)
                wA, wb = _map_tuple(A), tuple(float(v) for v in b)
            elif isinstance(S, Ball):
                meth = "sdp-dual"
                res = linear_gain_ball(stats, S.center, S.radius, solver=solver)
                val, upper, lower, dual, msg = res.value, res.upper, res.lower, res.dual, res.message
                if res.primal:
                    wA, wb = _map_tuple(res.primal["A"]), tuple(float(v) for v in res.primal["b"])
                if res.status != "OPTIMAL":
                    reasons.append(f"player {i}: {res.message}")
            elif isinstance(S, (Box, Simplex, Polytope)):
                meth = "lp-dual"
                if isinstance(S, Simplex):
                    d = S.dim
                    Cm = np.vstack([-np.eye(d - 1), np.ones((1, d - 1))])
                    cm = np.concatenate([np.zeros(d - 1), [S.total]])
                    Gr = G[:, :-1] - G[:, -1:]
                    st_lp = linear_stats_exact(p, Xi[:, :-1], Gr)
                    aux = {"interior": np.full(d - 1, S.total / d), "recession": np.ones(d)}
                elif isinstance(S, Box):
                    d = S.dim
                    Cm = np.vstack([np.eye(d), -np.eye(d)])
                    cm = np.concatenate([S.hi, -S.lo])
                    st_lp = stats
                    aux = {"interior": (S.lo + S.hi) / 2, "recession": np.ones(2 * d)}
                else:
                    rows = _polytope_rows(S)
                    if rows is None:
                        raise InvalidArgument(f"player {i}: polytopes with equality constraints are not "
                                              "supported for linear deviations (use a Simplex)")
                    Cm, cm = rows
                    st_lp = stats
                    aux = {}
                res = linear_gain_lp(st_lp, Cm, cm, solver=solver, **aux)
                val, upper, lower, dual, msg = res.value, res.upper, res.lower, res.dual, res.message
                Cc = (_map_tuple(Cm), tuple(float(v) for v in cm))
                if res.primal:
                    wA, wb = _map_tuple(res.primal["A"]), tuple(float(v) for v in res.primal["b"])
                if res.status != "OPTIMAL":
                    reasons.append(f"player {i}: {res.message}")
            else:
                raise InvalidArgument(
                    f"player {i}'s strategy set {S!r} is not supported for linear deviations"
                )
        except SolverFailed as exc:
            reasons.append(f"player {i}: {exc}")
            upper = math.inf
        if err_term:
            upper = upper + err_term if math.isfinite(upper) else upper
            upper = math.nextafter(upper, math.inf)
        if exact_witness is not None and _qdown(exact_witness) - err_term > eps and \
                _qdown(exact_witness) - err_term > witness_gain:
            witness_player, witness_gain = i, _qdown(exact_witness) - err_term
        players.append(LinearPlayerBound(i, kind, meth, _map_tuple(G), float(err_term), float(val),
                                         float(upper),
                                         float(lower), wA, wb, Cc[0], Cc[1],
                                         {k: (v.tolist() if isinstance(v, np.ndarray) else v)
                                          for k, v in dual.items()}, msg))
    eps_upper = max((pl.linear_gain_upper for pl in players), default=0.0)
    if witness_player is not None:
        verdict = Verdict.REFUTED
    elif not reasons and eps_upper <= eps * (1 - min_margin):
        verdict = Verdict.VERIFIED
    else:
        verdict = Verdict.INCONCLUSIVE
        if not reasons:
            reasons.append(f"the rigorous bound {eps_upper:.6g} exceeds eps={eps:g} and no exact witness "
                           "was found (LP/SDP witnesses are float estimates)")
    return LinearDeviationCertificate(
        verdict=verdict, eps=eps, game=game.name,
        points=tuple(tuple(float(v) for v in r) for r in X), weights=tuple(float(v) for v in p),
        players=tuple(players), epsilon_upper=float(eps_upper), witness_player=witness_player,
        witness_gain=float(witness_gain) if witness_player is not None else math.nan,
        reasons=tuple(reasons), assumptions=tuple(assumptions),
        game_spec=game_spec(game), slack=eps - float(eps_upper),
    )
