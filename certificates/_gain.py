r"""The first-order local gain :math:`\Gamma(\delta)` of one player, with a dual certificate.

For a player at :math:`x` with (own) gradient :math:`g` and feasible set :math:`S`,

.. math::

    \Gamma(\delta) = \max\{\langle g, y\rangle : \|y\|_2 \le \delta,\ x + y \in S\}.

**Weak duality** (``certificates.md`` §1.1(c), in Fenchel form, derived): for *any*
vector :math:`w`,

.. math::

    \Gamma(\delta) \le \delta\,\|g - w\|_2 + \sigma_{S \cap B_\infty(x,\delta)}(w)
                       - \langle w, x\rangle,

because :math:`\langle g, y\rangle = \langle g - w, y\rangle + \langle w, x + y\rangle -
\langle w, x\rangle` and the ball lies in the box :math:`B_\infty(x, \delta)`. The
vector :math:`w` is the certificate: whatever it is, the bound is valid. For polytopes
:math:`w = C^\top z` recovers the SOCP dual :math:`\delta\|g - C^\top z\| + s^\top z`.

The optimal :math:`w` comes from the projection path :math:`y(t) = \Pi_S(x + t g) - x`,
whose norm is nondecreasing in :math:`t`: at :math:`t^*` with
:math:`\|y(t^*)\| = \delta`, :math:`y(t^*)` is the maximiser and
:math:`w^* = g - y(t^*)/t^*` closes the duality gap. localeq finds :math:`t^*` by
bisection (any set with a projection works) and evaluates the bound with outward
rounding (:mod:`constructions._rounding`), so the returned ``upper`` is rigorous for
the float vector ``g``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from constructions import Box, ConvexSet, InvalidArgument, SolverFailed
from constructions._rounding import UNIT_ROUNDOFF, dot_lower, norm_upper, up
from constructions._validation import as_real, as_vector, short_repr

__all__ = ["LocalGain", "local_gain", "gain_upper_bound"]


@dataclass(frozen=True)
class LocalGain:
    r"""Result of :func:`local_gain`.

    Attributes
    ----------
    lower : float
        :math:`\langle g, y\rangle` at the primal direction ``direction`` (an estimate of
        :math:`\Gamma(\delta)` from below; exact up to the projection's accuracy).
    upper : float
        Rigorous upper bound on :math:`\Gamma(\delta)` for the given float ``g``.
    direction : numpy.ndarray
        Primal maximiser :math:`y` with :math:`\|y\| \le \delta`, :math:`x + y \in S`.
    dual : numpy.ndarray
        The vector :math:`w` certifying ``upper``.

    Examples
    --------
    >>> lg = local_gain(None, np.zeros(2), np.array([3.0, 4.0]), 1.0)   # unconstrained: delta * |g|
    >>> round(lg.lower, 12), np.round(lg.direction, 12).tolist(), 5.0 <= lg.upper <= 5.0 + 1e-12
    (5.0, [0.6, 0.8], True)
    """

    lower: float
    upper: float
    direction: np.ndarray
    dual: np.ndarray


def _checked(S: ConvexSet | None, x: np.ndarray, g: np.ndarray, delta: float, *, positive: bool
             ) -> tuple[np.ndarray, np.ndarray, float]:
    """Validate the common arguments of :func:`gain_upper_bound` and :func:`local_gain`."""
    if S is not None and not isinstance(S, ConvexSet):
        raise InvalidArgument(f"S must be a ConvexSet or None, got S={short_repr(S)}")
    x = as_vector(x, "x")
    g = as_vector(g, "g", dim=x.shape[0])
    delta = as_real(delta, "delta", positive=positive, nonnegative=True)
    return x, g, delta


def _box_within(x: np.ndarray, delta: float) -> tuple[np.ndarray, np.ndarray]:
    lo = np.nextafter(x - delta, -np.inf)
    hi = np.nextafter(x + delta, np.inf)
    return lo, hi


def gain_upper_bound(S: ConvexSet | None, x: np.ndarray, g: np.ndarray, delta: float,
                     w: np.ndarray, *, within: bool = True) -> float:
    r"""Rigorous upper bound :math:`\delta\|g-w\| + \sigma_{S\cap B_\infty}(w) - \langle w,x\rangle`.

    Valid for every ``w`` (weak duality); ``S=None`` means :math:`S=\mathbb{R}^n`, where
    only :math:`w=0` gives a finite bound (:math:`\delta\|g\|`). With ``within=False`` the
    support is taken over all of ``S`` (still valid, possibly looser; cheaper for boxes).

    Parameters
    ----------
    S : ConvexSet or None
        The player's feasible set (slice); None for :math:`\mathbb{R}^n`.
    x : numpy.ndarray
        The player's current strategy.
    g : numpy.ndarray
        Its gradient.
    delta : float
        Radius :math:`\delta`.
    w : numpy.ndarray
        Any dual vector.
    within : bool, default True
        Take the support function over :math:`S \cap B_\infty(x, \delta)` (else over :math:`S`).

    Returns
    -------
    float
        An outward-rounded upper bound on :math:`\Gamma(\delta)`.

    Examples
    --------
    >>> import numpy as np
    >>> gain_upper_bound(None, np.zeros(2), np.array([3.0, 4.0]), 1.0, np.zeros(2)) >= 5.0
    True
    """
    x, g, delta = _checked(S, x, g, delta, positive=False)
    w = as_vector(w, "w", dim=x.shape[0])
    return _upper_bound(S, x, g, delta, w, within)


def _upper_bound(S: ConvexSet | None, x: np.ndarray, g: np.ndarray, delta: float, w: np.ndarray,
                 within: bool) -> float:
    """:func:`gain_upper_bound` on validated float arrays (no copies, no re-validation)."""
    diff = g - w
    # exact g - w differs from the float difference by at most u |diff| per entry
    nd = norm_upper(diff)
    first = up(delta * nd, delta * nd * 4 * UNIT_ROUNDOFF)
    if S is None:
        if np.any(w != 0):
            return math.inf
        return first
    if isinstance(S, Box) and not within:
        sigma = S._support_bound(w, None, None)  # = S.support(w), w already validated
    else:
        sigma = S.support(w, within=_box_within(x, delta) if within else None)
    if not math.isfinite(sigma):
        return math.inf
    return up(first + sigma - dot_lower(w, x), 0.0)


def local_gain(S: ConvexSet | None, x: np.ndarray, g: np.ndarray, delta: float, *,
               max_iter: int = 200, rtol: float = 1e-13) -> LocalGain:
    r"""Compute :math:`\Gamma(\delta)` with a primal direction and a dual certificate.

    Parameters
    ----------
    S : ConvexSet or None
        Feasible set of the player (``None`` = unconstrained).
    x : numpy.ndarray
        The player's current strategy (in ``S``).
    g : numpy.ndarray
        The player's gradient (ascent direction of the utility).
    delta : float
        Radius of the deviation ball.
    max_iter : int
        Iteration cap of the bisection on the projection path.
    rtol : float
        Relative width at which the bisection stops.

    Returns
    -------
    LocalGain

    Examples
    --------
    >>> import numpy as np
    >>> from constructions import Box
    >>> res = local_gain(Box([0.0, 0.0], [1.0, 1.0]), np.array([1.0, 0.5]), np.array([1.0, 0.0]), 0.25)
    >>> abs(res.upper) < 1e-12      # pushing x_0 past its upper bound gains nothing
    True
    """
    x, g, delta = _checked(S, x, g, delta, positive=True)
    return _local_gain(S, x, g, delta, max_iter=max_iter, rtol=rtol)


def _local_gain(S: ConvexSet | None, x: np.ndarray, g: np.ndarray, delta: float, *,
                max_iter: int = 200, rtol: float = 1e-13) -> LocalGain:
    """:func:`local_gain` on validated float arrays (no copies, no re-validation)."""
    n = x.shape[0]
    gnorm = float(np.linalg.norm(g))
    zero = np.zeros(n)
    if gnorm < _TINY_GRADIENT:
        if not np.any(g):  # <0, y> = 0 for every y: the gain is exactly 0
            return LocalGain(0.0, 0.0, zero, zero)
        # g.g may underflow (even to 0) and the path's steps delta/|g| overflow: no search,
        # y = 0 for the lower bound and w = 0 for the upper (delta |g|, rounded outwards)
        return LocalGain(0.0, _upper_bound(S, x, g, delta, zero, True), zero, zero)
    if S is None:
        y = g * (delta / gnorm)
        y *= min(1.0, delta / max(float(np.linalg.norm(y)), 1e-300))
        return LocalGain(float(g @ y), _upper_bound(None, x, g, delta, zero, True), y, zero)

    def path(t: float) -> np.ndarray:
        if isinstance(S, Box):  # = S.project(x + t g) - x, without re-validating the point
            z = x + t * g
            return np.subtract(np.clip(z, S.lo, S.hi, out=z), x, out=z)
        return S.project(x + t * g) - x

    if isinstance(S, Box):  # exact breakpoint solution: one sort instead of a bisection
        t_star = _box_path_parameter(S, x, g, delta)
        y = path(t_star) if math.isfinite(t_star) else np.clip(np.where(g > 0, S.hi - x, S.lo - x)
                                                                  * (g != 0), S.lo - x, S.hi - x)
        ny = float(np.linalg.norm(y))
        if ny > delta:
            y *= delta / ny
        # the optimal dual is g - y/t* (g itself when the whole box is within reach); on a
        # box its support is attained within delta of x, so the within-box is not needed
        w = g - y / t_star if math.isfinite(t_star) and t_star > 0 else g
        upper = _upper_bound(S, x, g, delta, w, False)
        ng = norm_upper(g)
        plain = up(delta * ng, delta * ng * 4 * UNIT_ROUNDOFF)  # w = 0
        if plain < upper:
            w, upper = zero, plain
        return LocalGain(float(g @ y), upper, y, w)

    t_lo = delta / gnorm
    y_lo = path(t_lo)  # ||y(t_lo)|| <= ||t_lo g|| = delta by non-expansiveness
    if float(np.linalg.norm(y_lo)) > delta:  # projection inaccuracy: shrink
        y_lo *= delta / float(np.linalg.norm(y_lo))
    t_hi, y_hi = None, None
    t = t_lo
    top = None
    for _ in range(80):
        t *= 4.0
        try:
            y = path(t)
        except SolverFailed:  # x + t g too far out for a QP projection: keep the last point
            break
        if float(np.linalg.norm(y)) > delta:
            t_hi, y_hi = t, y
            break
        t_lo, y_lo = t, y
        if top is None:  # no feasible y gains more than sigma_S(g) - <g, x>
            top = S.support(g) - float(g @ x)
        if float(g @ y) >= top - 1e-9 * (abs(top) + gnorm * delta):
            break  # x + y maximises <g, .> over S (to 1e-9): a larger t cannot gain more
    if t_hi is not None:
        for _ in range(max_iter):
            if t_hi - t_lo <= rtol * t_hi:
                break
            mid = math.sqrt(t_lo * t_hi) if t_hi / t_lo > 4 else 0.5 * (t_lo + t_hi)
            try:
                y = path(mid)
            except SolverFailed:  # every bracket is a valid (looser) certificate: stop here
                break
            if float(np.linalg.norm(y)) > delta:
                t_hi, y_hi = mid, y
            else:
                t_lo, y_lo = mid, y
    candidates = [zero, g, g - y_lo / t_lo]
    if t_hi is not None:
        candidates.append(g - y_hi / t_hi)
    best_w, best_u = zero, math.inf
    for w in candidates:
        u = _upper_bound(S, x, g, delta, w, True)
        if u < best_u:
            best_w, best_u = w, u
    return LocalGain(float(g @ y_lo), best_u, y_lo, best_w)


def _box_path_parameter(S: Box, x: np.ndarray, g: np.ndarray, delta: float) -> float:
    r"""The :math:`t^*` with :math:`\|\mathrm{clip}(t^* g, a, b)\| = \delta` on a box (``inf`` if none).

    With :math:`a = l - x \le 0 \le b = u - x`, :math:`\|y(t)\|^2 = t^2\sum_{j \text{ free}} g_j^2 +
    \sum_{j \text{ clipped}} \mathrm{bound}_j^2` is piecewise quadratic between the breakpoints
    :math:`\tau_j = b_j/g_j` (:math:`g_j>0`) or :math:`a_j/g_j` (:math:`g_j<0`) (certificates.md §1.1(c)):
    sort the breakpoints, find the segment where it crosses :math:`\delta^2`, solve one quadratic.
    """
    bound = np.where(g > 0, S.hi - x, S.lo - x)
    # a coordinate with g_j = 0 never moves, one with bound_j = 0 is clipped from t = 0 on:
    # neither contributes to ||y(t)||
    nz = (g != 0) & (bound != 0)
    gz, bound = g[nz], bound[nz]
    with np.errstate(divide="ignore", invalid="ignore"):
        tau = np.where(np.isfinite(bound), bound / gz, np.inf)
    d2 = delta * delta
    n = tau.shape[0]
    m = min(n, _FIRST_BREAKPOINTS)
    while True:
        # the m smallest breakpoints in order (all of them once m = n); the rest only enter
        # through the sum of their g_j^2 (they are still free before the m-th breakpoint)
        if m < n:
            part = np.argpartition(tau, m - 1)[:m]
            order = part[np.argsort(tau[part], kind="stable")]
            free = np.ones(n, dtype=bool)
            free[order] = False
            rest_g2 = float(np.sum(gz[free] ** 2))
        else:
            order = np.argsort(tau, kind="stable")
            rest_g2 = 0.0
        ts, g2, b2 = tau[order], gz[order] ** 2, bound[order] ** 2
        # before breakpoint k (0-based) the first k coordinates are clipped
        suffix_g2 = np.concatenate([np.cumsum(g2[::-1])[::-1], [0.0]]) + rest_g2  # sum_{j>=k} g_j^2
        prefix_b2 = np.concatenate([[0.0], np.cumsum(np.where(np.isfinite(b2), b2, 0.0))])  # sum_{j<k}
        with np.errstate(invalid="ignore", over="ignore"):
            phi2 = ts**2 * suffix_g2[:-1] + prefix_b2[:-1]  # ||y(tau_k)||^2
        hit = np.nonzero(phi2 >= d2)[0]
        if hit.size:
            break
        if m >= n:
            return math.inf
        m = min(n, 16 * m)
    k = int(hit[0])  # crossing inside [tau_{k-1}, tau_k]: coordinates 0..k-1 are clipped
    G, B = float(suffix_g2[k]), float(prefix_b2[k])
    if G <= 0:
        return float(ts[k])
    return math.sqrt(max(d2 - B, 0.0) / G)


#: below this gradient norm :func:`local_gain` bounds the gain by delta |g| without a search
_TINY_GRADIENT = 1e-150

#: breakpoints sorted in the first round of :func:`_box_path_parameter` (more only if needed)
_FIRST_BREAKPOINTS = 4096
