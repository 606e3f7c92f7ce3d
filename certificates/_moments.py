r"""Float64 deviation gains of a finitely supported distribution from its moment matrix.

For one player with support points :math:`x^k \in S`, gradients :math:`g^k` and weights
:math:`p_k` everything the Φ_int and Φ_LIN (box, simplex) gains need is in

.. math::

    M = \sum_k p_k\, g^k (x^k)^\top = G^\top \operatorname{diag}(p) X,\qquad
    \bar g = \sum_k p_k g^k,\qquad s = \operatorname{tr} M = \sum_k p_k \langle g^k, x^k\rangle,

so the cost is one matrix product (:math:`K d^2`) plus :math:`O(Kd + d^2)`:

* Φ_int(δ) (deviations :math:`x \mapsto (1-\lambda)x + \lambda z`, :math:`\lambda \le \delta/D`):
  linearised gain :math:`\frac{\delta}{D}\max(\sigma_S(\bar g) - s, 0)` (needs only
  :math:`\bar g` and :math:`s`);
* Φ_LIN on a box :math:`[l, u]` (midpoint :math:`m`, half-widths :math:`h`, :math:`M_c = M -
  \bar g m^\top`, :math:`s_c = s - \langle \bar g, m\rangle`):
  :math:`\sum_r h_r \max(|\bar g_r|, \max_j |M_{c,rj}|/h_j) - s_c`;
* Φ_LIN on the simplex: :math:`\sum_j \max_r M_{rj} - s`.

These are float64 evaluations of the closed forms of :mod:`certificates._linear` and
:mod:`certificates._cce` (same formulas), for speed and cross-checks; the rigorous
certificates with outward rounding or exact rationals are
:func:`certificates.certify_local_cce` and :func:`certificates.certify_linear_deviation`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from constructions import Box, ConvexSet, InvalidArgument, Simplex

__all__ = ["deviation_moments", "int_gain", "linear_deviation_gain"]


def _arrays(weights: Any, points: Any, gradients: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    p = np.asarray(weights, dtype=float)
    X = np.asarray(points, dtype=float)
    G = np.asarray(gradients, dtype=float)
    if X.ndim != 2 or G.shape != X.shape or p.shape != (X.shape[0],) or X.shape[0] == 0:
        raise InvalidArgument(
            "weights, points and gradients must have shapes (K,), (K, d), (K, d) with K >= 1, got "
            f"{p.shape}, {X.shape}, {G.shape}"
        )
    return p, X, G


def _finite(*values: Any) -> None:
    # a NaN or infinite input entry always reaches the moments (x * inf is never finite), so
    # checking the d x d results replaces an O(Kd) scan of the inputs
    if not all(np.all(np.isfinite(v)) for v in values):
        raise InvalidArgument("weights, points and gradients must be finite (or the moments overflowed)")


def deviation_moments(weights: Any, points: Any, gradients: Any) -> tuple[np.ndarray, np.ndarray, float]:
    r"""Float64 :math:`(M, \bar g, s)` with :math:`M = G^\top\operatorname{diag}(p)X` (one matrix product).

    Parameters
    ----------
    weights : array_like, shape (K,)
        Probabilities :math:`p_k`.
    points : array_like, shape (K, d)
        The player's blocks :math:`x^k`.
    gradients : array_like, shape (K, d)
        The player's gradients :math:`g^k` at the support points.

    Returns
    -------
    M : numpy.ndarray, shape (d, d)
    gbar : numpy.ndarray, shape (d,)
    s : float

    Examples
    --------
    >>> M, gbar, s = deviation_moments([0.5, 0.5], [[1.0, 0.0], [0.0, 1.0]], [[1.0, 2.0], [3.0, 4.0]])
    >>> M.tolist(), gbar.tolist(), s
    ([[0.5, 1.5], [1.0, 2.0]], [2.0, 3.0], 2.5)
    """
    p, X, G = _arrays(weights, points, gradients)
    return _moments(p, X, G)


def _moments(p: np.ndarray, X: np.ndarray, G: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    with np.errstate(invalid="ignore", over="ignore"):
        M = G.T @ (p[:, None] * X)
        gbar = p @ G
    _finite(M, gbar)
    return M, gbar, float(np.trace(M))


def int_gain(weights: Any, points: Any, gradients: Any, S: ConvexSet, delta: float) -> float:
    r"""Float64 linearised Φ_int(δ) gain :math:`\frac{\delta}{D}\max(\sigma_S(\bar g) - s, 0)`.

    Parameters
    ----------
    weights, points, gradients
        As in :func:`deviation_moments`.
    S : ConvexSet
        The player's (bounded) strategy set; :math:`D` is its diameter.
    delta : float
        Locality radius.

    Returns
    -------
    float
        The gain (``0.0`` for a single-point set). Needs only :math:`\bar g` and :math:`s`,
        :math:`O(Kd)`. :math:`D` is the set's ``diameter()`` (an upper bound, rounded outward).

    Examples
    --------
    >>> from constructions import Box
    >>> round(int_gain([1.0], [[0.0, 0.0]], [[1.0, 0.0]], Box([0.0, 0.0], [1.0, 1.0]), 0.1), 12)  # delta/D
    0.070710678119
    """
    p, X, G = _arrays(weights, points, gradients)
    if not (isinstance(delta, (int, float, np.floating)) and delta > 0 and math.isfinite(delta)):
        raise InvalidArgument(f"delta must be a positive finite number, got delta={delta!r}")
    D = S.diameter()
    if not math.isfinite(D):
        raise InvalidArgument(f"Phi_int needs a bounded strategy set, got S={S!r}")
    if D == 0:
        return 0.0
    with np.errstate(invalid="ignore", over="ignore"):
        gbar = p @ G
        s = float(np.einsum("k,kj,kj->", p, G, X))
    _finite(gbar, s)
    return float(delta / D * max(S.support(gbar) - s, 0.0))


def linear_deviation_gain(weights: Any, points: Any, gradients: Any, S: ConvexSet) -> float:
    r"""Float64 maximal linearised gain over affine deviations (Φ_LIN) on a box or simplex.

    Parameters
    ----------
    weights, points, gradients
        As in :func:`deviation_moments`.
    S : Box or Simplex
        The player's strategy set (a bounded box, or a simplex).

    Returns
    -------
    float
        :math:`\max_\phi \sum_k p_k\langle g^k, \phi(x^k) - x^k\rangle` over affine
        :math:`\phi: S \to S` (the closed forms in the module docstring).

    Examples
    --------
    >>> from constructions import Simplex
    >>> pts, grads = [[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]   # always the wrong vertex
    >>> linear_deviation_gain([0.5, 0.5], pts, grads, Simplex(2))        # the swap gains 1
    1.0
    """
    p, X, G = _arrays(weights, points, gradients)
    M, gbar, s = _moments(p, X, G)
    if isinstance(S, Simplex):
        if S.dim != X.shape[1]:
            raise InvalidArgument(f"S has dimension {S.dim}, points have {X.shape[1]}")
        if S.total == 0 or S.dim == 1:
            return 0.0
        return float(np.sum(np.max(M, axis=0)) - s)
    if isinstance(S, Box):
        if S.dim != X.shape[1]:
            raise InvalidArgument(f"S has dimension {S.dim}, points have {X.shape[1]}")
        if not (np.all(np.isfinite(S.lo)) and np.all(np.isfinite(S.hi))):
            raise InvalidArgument(f"the box must be bounded for linear deviations, got S={S!r}")
        m, h = (S.lo + S.hi) / 2, (S.hi - S.lo) / 2
        Mc = M - np.outer(gbar, m)
        sc = s - float(gbar @ m)
        pos = h > 0
        if not np.any(pos):
            return float(-sc)
        best = np.abs(gbar[pos])
        best = np.maximum(best, np.max(np.abs(Mc[np.ix_(pos, pos)]) / h[pos], axis=1))
        return float(h[pos] @ best - sc)
    raise InvalidArgument(f"linear_deviation_gain supports Box and Simplex sets, got S={S!r}")
