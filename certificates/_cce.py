r"""Local coarse correlated equilibria of smooth games (Cai, Daskalakis, Luo, Wei, Zheng).

A finitely supported distribution :math:`\sigma = \sum_{k=1}^K p_k\,\delta_{x^k}` over joint
strategies is an :math:`(\varepsilon, \Phi(\delta))`-**local equilibrium** (Cai et al.,
arXiv 2403.08171 v1 Def. 3; "ε-approximate Φ(δ)-equilibrium" in v4 Def. 1) when for every
player :math:`i` and every δ-local modification :math:`\phi \in \Phi^{X_i}(\delta)`

.. math::

    \mathbb{E}_{x\sim\sigma}\big[u_i(\phi(x_i), x_{-i})\big]
    \le \mathbb{E}_{x\sim\sigma}\big[u_i(x)\big] + \varepsilon .

The families verified here (``certificates.md`` §2.3, §2.5):

* ``"int"`` -- :math:`\Phi_{int}(\delta) = \{x \mapsto (1-\lambda)x + \lambda x^* :
  x^* \in X_i,\ 0 \le \lambda \le \delta/D_i\}` (interpolation towards a fixed
  strategy; CCE-like). Linearised gain in **closed form**
  :math:`\frac{\delta}{D_i}\,[h_{X_i}(\bar g) - s]_+` with
  :math:`\bar g = \sum_k p_k g_i(x^k)`, :math:`s = \sum_k p_k\langle g_i(x^k), x_i^k\rangle`
  and :math:`h_X` the support function.
* ``"proj"`` -- :math:`\Phi_{proj}(\delta) = \{x \mapsto \Pi_{X_i}(x + v) : \|v\| \le \delta\}`.
  Unconstrained: exactly :math:`\delta\|\bar g\|`. Constrained: the sound upper bound
  :math:`\delta\|\sum_{k\in I} p_k g^k\| + \sum_{k\notin I} p_k \Gamma_k(\delta)`, where
  :math:`I` are support points *certified* to be δ-interior and :math:`\Gamma_k(\delta)`
  is the first-order gain of point :math:`k` over :math:`X_i \cap B(x_i^k,\delta)`,
  itself bounded by weak duality (:func:`certificates.gain_upper_bound`) with the
  better of two duals: the normal-cone part of :math:`g^k` (this is the tangent-cone
  bound :math:`\delta\|\Pi_{T_k} g^k\|` of ``certificates.md`` §2.5 item 4) and the
  optimal dual of :func:`certificates.local_gain`. Valid because
  :math:`w = \Pi(x+v) - x` satisfies :math:`\|w\| \le \|v\|` and :math:`x + w \in X_i`.
  A lower-bound witness comes from a search over :math:`v`.
* ``"finite"`` -- a finite family of maps (callables, or displacement vectors
  :math:`v` meaning :math:`\phi_v(x) = \Pi_{X_i}(x + v)`): the **exact** gain
  :math:`\max_\phi \sum_k p_k[u_i(\phi(x_i^k), x_{-i}^k) - u_i(x^k)]` evaluated directly
  (no smoothness constant needed), with the linearised bound as a second, rigorous route.

For ``int`` and ``proj`` the true gain is bounded by the linearised gain plus
:math:`\delta^2 L_i/2` (Cai et al. v1 Lemma 1 / v4 Lemma 1), with :math:`L_i` the largest
own-block smoothness constant over the δ-neighbourhoods of the support points (proved
by the game when it can, else declared; none ⇒ INCONCLUSIVE), plus
:math:`\delta\sum_k p_k e_k` for the rigorous gradient errors :math:`e_k`.

Verdicts are those of :func:`certificates.certify_local_nash`: VERIFIED only when the
rigorous bound is :math:`\le \varepsilon`; REFUTED only with an **evaluated** (not
linearised) deviation gain :math:`> \varepsilon`; INCONCLUSIVE otherwise, with reasons.

:func:`gradient_self_play` runs projected online gradient ascent for every player and
returns the empirical distribution of play, the object the theory certifies.
"""

from __future__ import annotations

import math
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, NamedTuple

import numpy as np

from constructions import Ball, Box, ConvexSet, Game, InvalidArgument, Polytope, ProductSet, Simplex
from constructions._gamefile import game_spec
from constructions._rounding import UNIT_ROUNDOFF, down, gamma, norm_upper, up
from constructions._validation import as_positive_int, as_real, as_rng

from ._gain import gain_upper_bound, local_gain
from ._guard import utility_problem
from ._local_nash import _resolve_smoothness
from ._records import SCHEMA_VERSION, CertificateRecord, Verdict, _best_text

__all__ = [
    "Distribution",
    "as_distribution",
    "gradient_self_play",
    "CCEPlayerBound",
    "CCEWitness",
    "LocalCCECertificate",
    "certify_local_cce",
    "load_distribution",
    "DISTRIBUTION_FORMAT",
]

_U = UNIT_ROUNDOFF
_TINY = 2.0**-1074
FAMILIES = ("int", "proj", "finite")


# ---------------------------------------------------------------------------------
# distributions and self-play
# ---------------------------------------------------------------------------------


class Distribution(NamedTuple):
    """A finitely supported distribution over joint strategies.

    Attributes
    ----------
    points : numpy.ndarray
        Support points, shape ``(K, dim)``.
    weights : numpy.ndarray
        Probabilities :math:`p_k \\ge 0` summing to 1, shape ``(K,)``.

    Examples
    --------
    >>> from constructions import matching_pennies
    >>> dist = gradient_self_play(matching_pennies(), np.array([0.9, 0.1, 0.2, 0.8]), rounds=50)
    >>> dist.points.shape[1], bool(abs(dist.weights.sum() - 1) < 1e-12)
    (4, True)
    """

    points: np.ndarray
    weights: np.ndarray


def as_distribution(game: Game, points: Any, weights: Any = None, *, feas_tol: float = 1e-9) -> Distribution:
    """Validate support points and weights (uniform when ``weights`` is None).

    Raises :class:`~constructions.InvalidArgument` naming ``points`` or ``weights`` for
    bad shapes, non-finite values, negative weights, weights not summing to 1 (within
    ``1e-9``) or infeasible support points.

    Parameters
    ----------
    game : Game
        The game (its domain decides feasibility).
    points : array_like, shape (K, dim)
        Support points.
    weights : array_like, shape (K,), optional
        Probabilities (default uniform).
    feas_tol : float, default 1e-9
        Feasibility tolerance for the support points.

    Returns
    -------
    Distribution

    Examples
    --------
    >>> from constructions import matching_pennies
    >>> d = as_distribution(matching_pennies(), [[1, 0, 1, 0], [0, 1, 0, 1]])
    >>> d.weights
    array([0.5, 0.5])
    """
    if not isinstance(game, Game):
        raise InvalidArgument(f"game must be a localeq Game, got game={game!r}")
    try:
        X = np.array(points, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InvalidArgument(f"points must be a (K, {game.dim}) array of numbers, got points={points!r}") \
            from exc
    if X.ndim == 1 and game.dim == X.shape[0]:
        X = X.reshape(1, -1)
    if X.ndim != 2 or X.shape[1] != game.dim or X.shape[0] < 1:
        raise InvalidArgument(
            f"points must have shape (K, {game.dim}) with K >= 1, got shape {X.shape}"
        )
    if not np.all(np.isfinite(X)):
        raise InvalidArgument("points must be finite (no NaN/inf)")
    K = X.shape[0]
    if weights is None:
        p = np.full(K, 1.0 / K)
    else:
        try:
            p = np.array(weights, dtype=float).reshape(-1)
        except (TypeError, ValueError) as exc:
            raise InvalidArgument(f"weights must be {K} numbers, got weights={weights!r}") from exc
        if p.shape[0] != K:
            raise InvalidArgument(f"weights must have length {K} (one per point), got length {p.shape[0]}")
        if not np.all(np.isfinite(p)) or np.any(p < 0):
            raise InvalidArgument(f"weights must be finite and >= 0, got weights={weights!r}")
        if abs(math.fsum(p) - 1.0) > 1e-9:
            raise InvalidArgument(f"weights must sum to 1, got sum {math.fsum(p)!r}")
    for k in range(K):
        game.check_point(X[k], f"points[{k}]", feas_tol=feas_tol)
    return Distribution(X, p)


def gradient_self_play(
    game: Game,
    x0: Any,
    *,
    rounds: int,
    step: float | Sequence[float] | None = None,
) -> Distribution:
    r"""Projected online gradient ascent in self-play; the empirical distribution of play.

    Every player runs :math:`x_i^{t+1} = \Pi_{X_i}\big(x_i^t + \eta_i\, g_i(x^t)\big)`
    simultaneously for ``rounds`` rounds starting from ``x0``; the result is the uniform
    distribution over :math:`x^1, \dots, x^T`. For linear rewards
    :math:`\langle g_i(x^t), \cdot\rangle` this is Zinkevich's online gradient method, with
    external regret :math:`\le D_i^2/(2\eta_i) + (\eta_i/2)\sum_t\|g_i(x^t)\|^2`; by
    Cai et al. (v1 Thm 1/2) the :math:`\Phi_{int}(\delta)` regret is :math:`\delta/D_i`
    times that, so the empirical distribution is an
    :math:`(\varepsilon_T + \delta^2L/2, \Phi_{int}(\delta))`-local equilibrium with
    :math:`\varepsilon_T \le \delta G/\sqrt T` for :math:`\eta_i = D_i/(G\sqrt T)`.

    Parameters
    ----------
    game : Game
        Unconstrained or with a :class:`~constructions.ProductSet` domain.
    x0 : array_like
        Feasible starting point.
    rounds : int
        Number of rounds :math:`T \ge 1`.
    step : float or sequence of float, optional
        Step sizes :math:`\eta_i` (one for all or one per player). Default
        :math:`D_i/\sqrt T` (:math:`1/\sqrt T` when unbounded), i.e. :math:`G = 1`.

    Returns
    -------
    Distribution

    Examples
    --------
    >>> from constructions import matching_pennies
    >>> d = gradient_self_play(matching_pennies(), [1, 0, 1, 0], rounds=50, step=0.1)
    >>> d.points.shape, float(d.weights.sum())
    ((50, 4), 1.0)
    """
    if not isinstance(game, Game):
        raise InvalidArgument(f"game must be a localeq Game, got game={game!r}")
    dom = game.domain
    if dom is not None and not isinstance(dom, ProductSet) and game.n_players > 1:
        raise InvalidArgument(
            f"gradient_self_play needs an unconstrained game or a ProductSet domain, got domain={dom!r}"
        )
    T = as_positive_int(rounds, "rounds")
    x = game.check_point(x0, "x0", feas_tol=1e-9)
    n = game.n_players
    sets = [game.player_set(i, x) for i in range(n)]
    if step is None:
        etas = []
        for S in sets:
            D = S.diameter() if S is not None else math.inf
            etas.append((D if math.isfinite(D) and D > 0 else 1.0) / math.sqrt(T))
    elif isinstance(step, (int, float, np.integer, np.floating)) and not isinstance(step, bool):
        etas = [as_real(step, "step", positive=True)] * n
    else:
        try:
            etas = [as_real(s, "step", positive=True) for s in step]
        except TypeError as exc:
            raise InvalidArgument(f"step must be a number or one per player, got step={step!r}") from exc
        if len(etas) != n:
            raise InvalidArgument(f"step must give {n} step sizes, got step={step!r}")
    out = np.empty((T, game.dim))
    for t in range(T):
        out[t] = x
        new = x.copy()
        for i, sl in enumerate(game.block_slices):
            y = x[sl] + etas[i] * game.gradient(i, x)
            new[sl] = sets[i].project(y) if sets[i] is not None else y
        x = new
    return Distribution(out, np.full(T, 1.0 / T))


# ---------------------------------------------------------------------------------
# records
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CCEWitness:
    """A deviation whose **evaluated** expected gain exceeds ε.

    ``parameter`` is the deviation: ``x*`` (family ``int``, with ``lam`` the
    interpolation weight), the displacement ``v`` (``proj``), or the index of the map
    (``finite``, as a one-element tuple). ``gain_lower`` is a lower bound on the true
    expected gain obtained by ``evaluation`` (``exact-rational``, ``ball-arithmetic``
    or ``float``).

    Attributes
    ----------
    player : int
        The deviating player.
    family : str
        ``"int"``, ``"proj"`` or ``"finite"``.
    parameter : tuple of float
        The deviation (see above).
    lam : float
        Interpolation weight (``int``; nan otherwise).
    gain, gain_lower : float
        Evaluated expected gain and a lower bound on the true one.
    evaluation : str
        How ``gain_lower`` was obtained.

    Examples
    --------
    >>> from constructions import matching_pennies
    >>> w = certify_local_cce(matching_pennies(), [[1, 0, 0, 1]], eps=1e-3, delta=0.1).witness
    >>> w.player, w.family, w.parameter, w.gain_lower > 1e-3
    (0, 'int', (0.0, 1.0), True)
    """

    player: int
    family: str
    parameter: tuple[float, ...]
    lam: float
    gain: float
    gain_lower: float
    evaluation: str

    @property
    def rigorous(self) -> bool:
        """Whether ``gain_lower`` is a proven lower bound."""
        return self.evaluation != "float"


@dataclass(frozen=True)
class CCEPlayerBound:
    r"""What the certificate established for one player.

    Attributes
    ----------
    gbar, s : tuple of float / float
        :math:`\bar g = \sum_k p_k g^k` and :math:`s = \sum_k p_k \langle g^k, x_i^k\rangle`
        (float values; the bounds account for their rounding).
    gradient_error : float
        :math:`\sum_k p_k e_k` (0 when the oracle is assumed exact).
    diameter : float
        Lower bound on :math:`D_i` used in :math:`\delta/D_i` (family ``int``).
    support : float
        Upper bound on :math:`h_{X_i}(\bar g)` (family ``int``).
    interior : tuple of int
        Support points certified δ-interior (family ``proj``).
    duals : tuple of tuple of float
        Dual vector :math:`w_k` of every non-interior point (family ``proj``): the bound
        is :math:`\delta\|g^k - w_k\| + \sigma_{X\cap B_\infty}(w_k) - \langle w_k, x^k_i\rangle`.
    point_bounds : tuple of float
        The resulting per-point bounds (``proj``), or per-map upper bounds (``finite``).
    linear_gain_lower, linear_gain_upper : float
        Best linearised gain found / rigorous bound on the linearised gain.
    curvature_term : float
        :math:`\delta^2 L_i/2` (rounded up; ``inf`` without :math:`L_i`).
    epsilon_upper : float
        Rigorous bound on the player's expected gain over the family.
    best_evaluated_gain : float
        Best lower bound on an evaluated (true) gain found by the search.
    gradients : tuple of tuple of float
        :math:`g^k` at the support points (so that an independent checker can recompute
        :math:`\bar g`, :math:`s` and the per-point bounds; trusted for callable games).
    linear_witness : tuple of float
        The point :math:`x^*` (``int``) or displacement :math:`v` (``proj``) attaining
        ``linear_gain_lower``; empty for ``finite``.
    search_best : CCEWitness or None
        The deviation attaining ``best_evaluated_gain`` (None when no search ran).

    Examples
    --------
    >>> from constructions import matching_pennies
    >>> pts = [[1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 0, 1], [0, 1, 1, 0]]
    >>> pb = certify_local_cce(matching_pennies(), pts, eps=1e-9, delta=0.1).players[0]
    >>> pb.gbar, pb.s, pb.smoothness                # normal-form games: L_i = 0
    ((0.0, 0.0), 0.0, 0.0)
    """

    player: int
    gbar: tuple[float, ...]
    s: float
    gradient_error: float
    diameter: float
    support: float
    interior: tuple[int, ...]
    duals: tuple[tuple[float, ...], ...]
    point_bounds: tuple[float, ...]
    linear_gain_lower: float
    linear_gain_upper: float
    smoothness: float | None
    smoothness_note: str
    curvature_term: float
    epsilon_upper: float
    best_evaluated_gain: float
    gradients: tuple[tuple[float, ...], ...] = ()
    linear_witness: tuple[float, ...] = ()
    search_best: CCEWitness | None = None


@dataclass(frozen=True)
class LocalCCECertificate(CertificateRecord):
    r"""Result of :func:`certify_local_cce`.

    The claim is ":math:`\sigma` is an :math:`(\varepsilon, \Phi(\delta))`-local
    equilibrium" for the family ``family``. ``epsilon_upper`` is the rigorous bound
    :math:`\max_i \bar\varepsilon_i`. JSON fields: everything below plus ``kind``
    (``"local-cce"``) and ``schema``.

    Attributes
    ----------
    verdict : Verdict
        VERIFIED, REFUTED or INCONCLUSIVE.
    eps, delta : float
        The claimed tolerance and the locality radius.
    family : str
        ``"int"``, ``"proj"`` or ``"finite"``.
    game : str
        Name of the game.
    points, weights : tuple
        The distribution σ.
    players : tuple of CCEPlayerBound
        What was established for each player.
    epsilon_upper : float
        Rigorous bound :math:`\max_i \bar\varepsilon_i`.
    witness : CCEWitness or None
        The refuting deviation (REFUTED only).
    reasons, assumptions : tuple of str
        Why the verdict is not VERIFIED; what it rests on.
    method, kind, schema, extra, game_spec, slack, deviations
        Bookkeeping of the JSON record (``slack = eps - epsilon_upper``).

    Examples
    --------
    >>> from constructions import matching_pennies
    >>> pts = [[1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 0, 1], [0, 1, 1, 0]]
    >>> cert = certify_local_cce(matching_pennies(), pts, eps=1e-9, delta=0.1)
    >>> cert.verdict.value, cert.family, cert.epsilon_upper < 1e-9
    ('VERIFIED', 'int', True)
    """

    verdict: Verdict
    eps: float
    delta: float
    family: str
    game: str
    points: tuple[tuple[float, ...], ...]
    weights: tuple[float, ...]
    players: tuple[CCEPlayerBound, ...]
    epsilon_upper: float
    witness: CCEWitness | None
    reasons: tuple[str, ...]
    assumptions: tuple[str, ...]
    method: str = "linearised gain (closed form / weak duality) + L*delta^2/2"
    kind: str = "local-cce"
    schema: str = SCHEMA_VERSION
    extra: dict[str, Any] = field(default_factory=dict)
    #: the game definition (``constructions._gamefile.game_spec``) for portable files
    game_spec: dict[str, Any] | None = None
    #: ``eps - epsilon_upper`` (binds ``eps`` in certificate files)
    slack: float = math.nan
    #: family ``finite``: per player, the displacement vectors ``v`` of the maps (None for a
    #: callable map, which a file cannot hold)
    deviations: tuple[tuple[tuple[float, ...] | None, ...], ...] | None = None


    def summary(self) -> str:
        r"""A readable multi-line report.

        The verdict and claim, the bound :math:`\max_i \bar\varepsilon_i` on the expected gains,
        one line per player (linearised gain bounds, curvature term :math:`L\delta^2/2`, best
        evaluated gain), the witness when REFUTED, then the reasons and the assumptions.

        Returns
        -------
        str

        Examples
        --------
        >>> from constructions import matching_pennies
        >>> pts = [[1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 0, 1], [0, 1, 1, 0]]
        >>> lines = certify_local_cce(matching_pennies(), pts, eps=1e-9, delta=0.1).summary().splitlines()
        >>> print(lines[0]); print(lines[2])
        verdict: VERIFIED
        bound:   max_i expected gain_i <= 2.90467e-16
        """
        lines = [
            f"verdict: {self.verdict.value}",
            f"claim:   sigma ({len(self.weights)} support points) is an (eps={self.eps:g}, "
            f"Phi_{self.family}(delta={self.delta:g}))-local equilibrium of {self.game}",
            f"bound:   max_i expected gain_i <= {self.epsilon_upper:.6g}",
        ]
        for p in self.players:
            lines.append(
                f"  player {p.player}: linearised gain in [{p.linear_gain_lower:.4g}, "
                f"{p.linear_gain_upper:.4g}], L*delta^2/2 <= {p.curvature_term:.4g}, bound "
                f"{p.epsilon_upper:.4g}, best evaluated gain {_best_text(p.best_evaluated_gain)}"
            )
        if self.witness is not None:
            w = self.witness
            lines.append(
                f"witness: player {w.player} deviates ({w.family}, parameter "
                f"{[round(v, 6) for v in w.parameter]}, lam={w.lam:g}) and gains {w.gain:.6g} > eps "
                f"({w.evaluation} evaluation)"
            )
        lines.extend(f"reason: {r}" for r in self.reasons)
        lines.append("assumptions:")
        lines.extend(f"  - {a}" for a in self.assumptions)
        return "\n".join(lines)


# ---------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------


def _wsum(p: np.ndarray, G: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``p @ G`` with an elementwise rigorous error bound (Higham gamma_K)."""
    val = p @ G
    err = gamma(p.shape[0] + 1) * (p @ np.abs(G)) * (1 + 4 * _U) + p.shape[0] * _TINY
    return val, err


def _s_bounds(p: np.ndarray, G: np.ndarray, Xi: np.ndarray) -> tuple[float, float, float]:
    """(value, lower, upper) of :math:`s = \\sum_k p_k \\langle g^k, x^k\\rangle`."""
    t = (p[:, None] * G) * Xi  # two roundings per term
    val = math.fsum(t.ravel())
    err = 3 * _U * float(np.sum(np.abs(t))) * (1 + 4 * _U) + t.size * _TINY
    return val, down(val, err), up(val, err)


def _inner_radius(S: ConvexSet | None, x: np.ndarray) -> float:
    """Rigorous lower bound on the largest r with B(x, r) inside S (0 when unknown)."""
    if S is None:
        return math.inf
    if isinstance(S, Box):
        r = np.minimum(x - S.lo, S.hi - x)  # float subtraction: rel. error <= u
        return max(down(float(np.min(r)) * (1 - 2 * _U)), 0.0) if r.size else math.inf
    if isinstance(S, Ball):
        return max(down(S.radius - norm_upper(x - S.center) * (1 + 2 * _U)), 0.0)
    if isinstance(S, ProductSet):
        return 0.0  # a player's set is one block; products are not slices here
    if isinstance(S, Polytope) and S.A_eq.shape[0] == 0:
        rad = math.inf
        if S.C.shape[0]:
            slack = S.c - S.C @ x
            slack_lo = slack - gamma(S.dim + 1) * (np.abs(S.c) + np.abs(S.C) @ np.abs(x)) * 2
            norms = np.sqrt(np.sum(S.C * S.C, axis=1)) * (1 + 4 * _U)
            rad = float(np.min(slack_lo / norms)) * (1 - 4 * _U)
        box = np.minimum(x - S.lo, S.hi - x)
        if box.size:
            rad = min(rad, float(np.min(box)) * (1 - 2 * _U))
        return max(down(rad), 0.0)
    return 0.0


def _diameter_bounds(S: ConvexSet) -> tuple[float, float]:
    """(lower, upper) bounds on the diameter; lower = 0 when unknown."""
    D = S.diameter()
    if isinstance(S, (Box, Simplex, Ball)):
        return D * (1 - (S.dim + 16) * 4 * _U), D
    if isinstance(S, Polytope):
        return 0.0, D  # Polytope.diameter() is only an upper bound
    return 0.0, D


def _support_upper(S: ConvexSet, v: np.ndarray, err: np.ndarray) -> float:
    """Sound bound on :math:`\\sigma_S(v^*)` for every :math:`|v^* - v| \\le err`."""
    try:
        val = S._support_bound(v, None, err)
    except Exception:  # noqa: BLE001 - fall back to the generic bound below
        val = math.inf
    if math.isfinite(val):
        return val
    base = S.support(v)
    if not math.isfinite(base) or not np.any(err > 0):
        return base
    # sigma(v + e) <= sigma(v) + sum_j err_j * max_{z in S} |z_j|
    extra = 0.0
    for j in np.flatnonzero(err > 0):
        e = np.zeros_like(v)
        e[j] = 1.0
        zmax = max(S.support(e), S.support(-e))
        extra = up(extra + up(err[j] * zmax * (1 + 2 * _U)))
    return up(base + extra)


def _support_argmax(S: ConvexSet, v: np.ndarray) -> np.ndarray:
    """A (near) maximiser of <v, z> over S."""
    if isinstance(S, Box):
        return np.where(v >= 0, S.hi, S.lo)
    if isinstance(S, Simplex):
        z = np.zeros(S.dim)
        z[int(np.argmax(v))] = S.total
        return z
    if isinstance(S, Ball):
        nv = float(np.linalg.norm(v))
        return S.center.copy() if nv == 0 else S.center + S.radius * v / nv
    scale = max(1.0, S.diameter() if math.isfinite(S.diameter()) else 1.0)
    nv = max(float(np.linalg.norm(v)), 1e-300)
    return S.project(S.project(np.zeros(S.dim)) + 1e6 * scale * v / nv)


def _gain_bounds(game: Game, i: int, x: np.ndarray, zi: np.ndarray) -> tuple[float, float, float, str]:
    """(float gain, lower, upper, evaluation) of :math:`u_i(z_i, x_{-i}) - u_i(x)`."""
    xz = x.copy()
    xz[game.block_slices[i]] = zi
    u0, u1 = game.utility(i, x), game.utility(i, xz)
    if not (math.isfinite(u0) and math.isfinite(u1)):
        return math.nan, -math.inf, math.inf, "float"
    e0 = game.utility_exact(i, x)
    if e0 is not None:
        e1 = game.utility_exact(i, xz)
        if e1 is not None:
            g = e1 - e0
            f = float(g)
            lo = f if Fraction(f) <= g else math.nextafter(f, -math.inf)
            hi = f if Fraction(f) >= g else math.nextafter(f, math.inf)
            return u1 - u0, lo, hi, "exact-rational"
    enc0, enc1 = game.utility_enclosure(i, x), game.utility_enclosure(i, xz)
    if enc0 is not None and enc1 is not None and all(map(math.isfinite, (*enc0, *enc1))):
        return u1 - u0, down(enc1[0] - enc0[1]), up(enc1[1] - enc0[0]), "ball-arithmetic"
    err = 8 * _U * (abs(u0) + abs(u1))
    return u1 - u0, (u1 - u0) - err, (u1 - u0) + err, "float"


_RANK = {"exact-rational": 0, "ball-arithmetic": 1, "float": 2}


def _expected_gain(game: Game, i: int, X: np.ndarray, p: np.ndarray,
                   targets: np.ndarray) -> tuple[float, float, float, str]:
    """Expected evaluated gain of moving every support point's block i to ``targets[k]``."""
    vals, los, his, how = [], [], [], "exact-rational"
    for k in range(X.shape[0]):
        if p[k] == 0:
            continue
        g, lo, hi, h = _gain_bounds(game, i, X[k], targets[k])
        vals.append(p[k] * g)
        los.append((p[k], lo))
        his.append((p[k], hi))
        if _RANK[h] > _RANK[how]:
            how = h
    if not los or any(not math.isfinite(lo) for _, lo in los):
        return math.nan, -math.inf, math.inf, how
    n = len(los)
    lo_terms = np.array([q * lo for q, lo in los])
    hi_terms = np.array([q * hi for q, hi in his])
    lo_sum = down(math.fsum(lo_terms), 2 * _U * float(np.sum(np.abs(lo_terms))) + n * _TINY)
    hi_sum = up(math.fsum(hi_terms), 2 * _U * float(np.sum(np.abs(hi_terms))) + n * _TINY)
    return math.fsum(vals), lo_sum, hi_sum, how


def _same_box(sets: Sequence[ConvexSet | None]) -> Box | None:
    first = sets[0] if sets else None
    if isinstance(first, Box) and all(S is first for S in sets):
        return first
    return None


def _project_all(sets: Sequence[ConvexSet | None], pts: np.ndarray) -> np.ndarray:
    """Row-wise projection (vectorised when every row shares one box)."""
    box = _same_box(sets)
    if box is not None:
        return np.clip(pts, box.lo, box.hi)
    out = pts.copy()
    for k, S in enumerate(sets):
        if S is not None:
            out[k] = S.project(pts[k])
    return out


def _tangent_all(sets: Sequence[ConvexSet | None], pts: np.ndarray, G: np.ndarray) -> np.ndarray:
    """Row-wise tangent-cone projections of the gradients (vectorised for a shared box)."""
    box = _same_box(sets)
    if box is not None:
        W = G.copy()
        at_lo = pts <= box.lo
        at_hi = pts >= box.hi
        W[at_lo] = np.maximum(W[at_lo], 0.0)
        W[at_hi] = np.minimum(W[at_hi], 0.0)
        return W
    return np.array([S.tangent_cone_projection(pts[k], G[k], tol=0.0) if S is not None else G[k]
                     for k, S in enumerate(sets)])


# ---------------------------------------------------------------------------------
# the certifier
# ---------------------------------------------------------------------------------


def _check_deviations(deviations: Any, game: Game) -> list[list[Any]]:
    n = game.n_players
    if deviations is None:
        raise InvalidArgument("family='finite' needs deviations=[...] (one list of maps per player)")
    if isinstance(deviations, dict):
        bad = [k for k in deviations if not (isinstance(k, (int, np.integer)) and 0 <= int(k) < n)]
        if bad:
            raise InvalidArgument(f"deviations keys must be player indices, got deviations keys {bad!r}")
        deviations = [deviations.get(i, []) for i in range(n)]
    try:
        out = [list(d) for d in deviations]
    except TypeError as exc:
        raise InvalidArgument(
            f"deviations must be one sequence of maps per player, got deviations={deviations!r}"
        ) from exc
    if len(out) != n:
        raise InvalidArgument(f"deviations must give {n} lists (one per player), got {len(out)}")
    for i, lst in enumerate(out):
        for j, phi in enumerate(lst):
            if callable(phi):
                continue
            try:
                v = np.array(phi, dtype=float).reshape(-1)
            except (TypeError, ValueError) as exc:
                raise InvalidArgument(
                    f"deviations[{i}][{j}] must be a callable or a displacement vector, got {phi!r}"
                ) from exc
            if v.shape[0] != game.dims[i] or not np.all(np.isfinite(v)):
                raise InvalidArgument(
                    f"deviations[{i}][{j}] must be a finite vector of length {game.dims[i]}, got {phi!r}"
                )
            lst[j] = v
    return out


def certify_local_cce(
    game: Game,
    points: Any,
    weights: Any = None,
    *,
    eps: float,
    delta: float,
    family: str = "int",
    deviations: Any = None,
    smoothness: float | Sequence[float | None] | None = None,
    feas_tol: float = 1e-9,
    min_margin: float = 1e-9,
    search: bool = True,
    n_random: int = 16,
    ascent_steps: int = 20,
    rng: Any = 0,
) -> LocalCCECertificate:
    r"""Certify (or refute) that a finitely supported σ is an :math:`(\varepsilon, \Phi(\delta))`-local CCE.

    Parameters
    ----------
    game : Game
        The game (players maximise).
    points : array_like, shape (K, dim)
        Support points :math:`x^k` (feasible up to ``feas_tol``).
    weights : array_like, shape (K,), optional
        Probabilities :math:`p_k` (default uniform).
    eps : float
        Claimed tolerance :math:`\varepsilon > 0`.
    delta : float
        Locality radius :math:`\delta > 0`.
    family : {"int", "proj", "finite"}
        Deviation family (module docstring).
    deviations : sequence, optional
        For ``family="finite"``: one list per player (or a dict player → list) of maps,
        each a callable ``phi(x_i) -> x_i'`` or a displacement vector ``v`` meaning
        :math:`\Pi_{X_i}(x_i + v)`. Every map must move every support point by at most δ
        and stay feasible.
    smoothness : float or sequence, optional
        Own-block constants :math:`L_i` (assumed). Default: proved by the game at each
        support point (sympy, normal-form games), else declared.
    feas_tol, min_margin, search, n_random, ascent_steps, rng
        As in :func:`certificates.certify_local_nash`.

    Returns
    -------
    LocalCCECertificate

    Raises
    ------
    InvalidArgument
        Bad game, points, weights, family, deviations or tolerances.

    Examples
    --------
    >>> from constructions import matching_pennies
    >>> pts = [[1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 0, 1], [0, 1, 1, 0]]  # uniform over pure profiles
    >>> certify_local_cce(matching_pennies(), pts, eps=1e-9, delta=0.1).verdict.value
    'VERIFIED'
    >>> certify_local_cce(matching_pennies(), [[1, 0, 0, 1]], eps=1e-3, delta=0.1).verdict.value
    'REFUTED'
    """
    if not isinstance(game, Game):
        raise InvalidArgument(f"game must be a localeq Game, got game={game!r}")
    eps = as_real(eps, "eps", positive=True)
    delta = as_real(delta, "delta", positive=True)
    feas_tol = as_real(feas_tol, "feas_tol", nonnegative=True)
    min_margin = as_real(min_margin, "min_margin", nonnegative=True)
    if min_margin >= 1:
        raise InvalidArgument(f"min_margin must be < 1, got min_margin={min_margin!r}")
    if family not in FAMILIES:
        raise InvalidArgument(f"family must be one of {FAMILIES}, got family={family!r}")
    n_random = as_positive_int(n_random, "n_random", minimum=0)
    ascent_steps = as_positive_int(ascent_steps, "ascent_steps", minimum=0)
    rng = as_rng(rng)
    override: list[float | None] | None = None
    if smoothness is not None:
        if isinstance(smoothness, (int, float, np.integer, np.floating)) and not isinstance(smoothness, bool):
            smoothness = [smoothness] * game.n_players
        try:
            override = [None if s is None else as_real(s, "smoothness", nonnegative=True) for s in smoothness]
        except TypeError as exc:
            raise InvalidArgument(
                f"smoothness must be a number or one per player, got smoothness={smoothness!r}"
            ) from exc
        if len(override) != game.n_players:
            raise InvalidArgument(
                f"smoothness must give {game.n_players} constants, got smoothness={smoothness!r}"
            )
    devs = _check_deviations(deviations, game) if family == "finite" else None
    X, p = as_distribution(game, points, weights, feas_tol=feas_tol)
    K = X.shape[0]

    reasons: list[str] = []
    assumptions: list[str] = [
        "bounds are evaluated in float64 with a-priori outward rounding (Higham gamma_n) and "
        "one-ulp nextafter steps",
        f"sigma is the given distribution on {K} support points with the float weights as given "
        f"(sum {math.fsum(p)!r})",
    ]
    if family == "proj" and game.domain is not None and not isinstance(game.domain, ProductSet) \
            and game.n_players > 1:
        assumptions.append(
            "coupled constraints: phi_v projects onto the slice S_i(x_-i) of each support point"
        )
    players: list[CCEPlayerBound] = []
    witness: CCEWitness | None = None
    search_jobs: list[tuple[int, Callable[[], tuple[CCEWitness | None, float, float]]]] = []

    for i in range(game.n_players):
        sl = game.block_slices[i]
        Xi = X[:, sl]
        sets = [game.player_set(i, X[k]) for k in range(K)]
        try:
            G = np.array([game.gradient(i, X[k]) for k in range(K)])
        except Exception as exc:  # noqa: BLE001 - a user's oracle failed: report, never verify
            reasons.append(f"player {i}: gradient oracle raised {type(exc).__name__}: {exc}")
            players.append(_failed_player(i))
            continue
        if not np.all(np.isfinite(G)):
            reasons.append(f"player {i}: a gradient at a support point is not finite")
            players.append(_failed_player(i))
            continue
        bad_utility = utility_problem(game, i, X)
        if bad_utility is not None:  # the bound is computed, but never VERIFIED on a broken utility
            reasons.append(bad_utility)
        errs = [game.gradient_error(i, X[k]) for k in range(K)]
        if any(e is None for e in errs):
            e_sum = 0.0
            assumptions.append(
                f"player {i}: the gradient oracle is exact at the support points (not enclosed)"
            )
        else:
            e_arr = np.array(errs, dtype=float)
            e_sum = up(float(p @ e_arr), gamma(K + 1) * float(p @ e_arr) * 2) if np.all(np.isfinite(e_arr)) \
                else math.inf
        gbar, gbar_err = _wsum(p, G)
        s_val, s_lo, s_hi = _s_bounds(p, G, Xi)

        # smoothness: the largest constant over the support points' delta-neighbourhoods
        L: float | None = None
        note = "not needed (exact evaluation)"
        Ls, notes, missing = [], set(), False
        for k in range(K):
            sm = _resolve_smoothness(game, i, X[k], delta, override)
            if sm is None:
                missing = True
                break
            Ls.append(sm.value)
            notes.add(f"{'proved' if sm.rigorous else 'assumed'}; {sm.source}")
        if not missing:
            L = max(Ls)
            note = f"L={L:.6g} (max over the support points; " + " / ".join(sorted(notes)) + \
                "), valid on the delta-neighbourhoods of the support points"
        elif family != "finite":
            note = "no smoothness constant known"
        curvature = up(L * delta * delta / 2.0, L * delta * delta * 2 * _U) if L is not None else math.inf

        D_lo, D_hi, support_val = math.nan, math.nan, math.nan
        lin_witness: tuple[float, ...] = ()
        interior: tuple[int, ...] = ()
        duals: tuple[tuple[float, ...], ...] = ()
        point_bounds: tuple[float, ...] = ()
        lin_lower, lin_upper = -math.inf, math.inf
        eps_i = math.inf

        if family == "int":
            S = sets[0]
            if S is None or not (game.domain is None or isinstance(game.domain, ProductSet)
                                 or game.n_players == 1):
                reasons.append(f"player {i}: Phi_int(delta) needs a fixed bounded strategy set X_{i}")
            else:
                D_lo, D_hi = _diameter_bounds(S)
                if not math.isfinite(D_hi):
                    reasons.append(f"player {i}: Phi_int(delta) needs a bounded strategy set (diameter inf)")
                elif D_hi == 0:
                    lin_lower, lin_upper = 0.0, 0.0
                elif D_lo <= 0:
                    reasons.append(
                        f"player {i}: no lower bound on the diameter of X_{i} is known, so delta/D_{i} "
                        "cannot be bounded above"
                    )
                else:
                    support_val = _support_upper(S, gbar, gbar_err)
                    inner = up(support_val - s_lo) if math.isfinite(support_val) else math.inf
                    lin_upper = up(up(delta / D_lo) * max(inner, 0.0)) if math.isfinite(inner) else math.inf
                    lin_upper = up(lin_upper + up(delta * e_sum)) if e_sum else lin_upper
                    zstar = _support_argmax(S, gbar)
                    lam = delta / D_hi
                    lin_lower = max(lam * (float(gbar @ zstar) - s_val), 0.0)
                    lin_witness = tuple(float(v) for v in zstar)
                    if search:
                        search_jobs.append((i, _int_search(game, i, X, p, S, gbar, G, lam, rng, n_random)))
            if L is None and math.isfinite(lin_upper):
                reasons.append(f"player {i}: no smoothness constant L_{i} is known; declare one with "
                               "smoothness=...")
            eps_i = up(lin_upper + curvature) if math.isfinite(lin_upper) and L is not None else math.inf
            if lin_upper == 0.0 and D_hi == 0:
                eps_i = 0.0

        elif family == "proj":
            radii = np.array([_inner_radius(sets[k], Xi[k]) for k in range(K)])
            inside = radii >= delta
            interior = tuple(int(k) for k in np.flatnonzero(inside))
            term1 = 0.0
            if interior:
                gi, ge = _wsum(p[inside], G[inside])
                term1 = up(delta * norm_upper(np.abs(gi) + ge) * (1 + 2 * _U))
            per, dl = [], []
            memo: dict[tuple[int, bytes, bytes], tuple[float, tuple[float, ...]]] = {}
            for k in np.flatnonzero(~inside):
                S = sets[k]
                xk, gk = Xi[k], G[k]
                key = (id(S), xk.tobytes(), gk.tobytes())
                if key not in memo:
                    w0 = gk - S.tangent_cone_projection(xk, gk, tol=0.0)
                    best_w, best_b = w0, gain_upper_bound(S, xk, gk, delta, w0)
                    if best_b > 0:
                        try:
                            w1 = local_gain(S, xk, gk, delta).dual
                            b1 = gain_upper_bound(S, xk, gk, delta, w1)
                            if b1 < best_b:
                                best_w, best_b = w1, b1
                        except Exception:  # noqa: BLE001 - the tangent-cone dual alone is valid
                            pass
                    memo[key] = (max(best_b, 0.0), tuple(float(v) for v in best_w))
                per.append(memo[key][0])
                dl.append(memo[key][1])
            point_bounds = tuple(per)
            duals = tuple(dl)
            if per:
                pk = p[~inside]
                terms = pk * np.array(per)
                term2 = up(math.fsum(terms), 2 * _U * float(np.sum(np.abs(terms))) + len(per) * _TINY)
            else:
                term2 = 0.0
            lin_upper = up(term1 + term2)
            if e_sum:
                lin_upper = up(lin_upper + up(delta * e_sum))
            if L is None:
                reasons.append(f"player {i}: no smoothness constant L_{i} is known; declare one with "
                               "smoothness=...")
            eps_i = up(lin_upper + curvature) if L is not None and math.isfinite(lin_upper) else math.inf
            v_best, lin_lower = _proj_linear_search(Xi, p, G, sets, delta, rng, n_random, ascent_steps)
            lin_witness = tuple(float(v) for v in v_best)
            if search:
                search_jobs.append((i, _proj_search(game, i, X, p, sets, v_best, G, delta, rng)))

        else:  # finite
            maps = devs[i] if devs is not None else []
            ubs, lbs = [], []
            best_eval = -math.inf
            best_w: CCEWitness | None = None
            for j, phi in enumerate(maps):
                if not callable(phi) and norm_upper(phi) > delta * (1 + 1e-12):
                    raise InvalidArgument(
                        f"deviations[{i}][{j}] is not delta-local: the displacement has norm "
                        f"{float(np.linalg.norm(phi)):.6g} > delta={delta:g}"
                    )
                try:
                    targets = np.array([
                        (phi(Xi[k].copy()) if callable(phi)
                         else (sets[k].project(Xi[k] + phi) if sets[k] is not None else Xi[k] + phi))
                        for k in range(K)
                    ], dtype=float).reshape(K, -1)
                except Exception as exc:  # noqa: BLE001
                    reasons.append(f"player {i}: deviation {j} raised {type(exc).__name__}: {exc}")
                    ubs.append(math.inf)
                    continue
                if targets.shape[1] != game.dims[i] or not np.all(np.isfinite(targets)):
                    raise InvalidArgument(
                        f"deviations[{i}][{j}] must map x_{i} to a finite vector of length {game.dims[i]}"
                    )
                disp = targets - Xi
                dist = np.array([norm_upper(d) for d in disp])
                if np.any(dist > delta * (1 + 1e-12)):
                    k = int(np.argmax(dist))
                    raise InvalidArgument(
                        f"deviations[{i}][{j}] is not delta-local: it moves support point {k} by "
                        f"{dist[k]:.6g} > delta={delta:g}"
                    )
                viol = max((sets[k].violation(targets[k]) if sets[k] is not None else 0.0) for k in range(K))
                if viol > feas_tol:
                    raise InvalidArgument(
                        f"deviations[{i}][{j}] leaves the strategy set (violation {viol:.3g} > "
                        f"feas_tol={feas_tol:g})"
                    )
                gval, glo, ghi, how = _expected_gain(game, i, X, p, targets)
                routes = []
                if how != "float":
                    routes.append(ghi)
                if L is not None:
                    lin = (p[:, None] * G * disp).ravel()
                    lin_up = up(math.fsum(lin), 3 * _U * float(np.sum(np.abs(lin))) + lin.size * _TINY)
                    curv = up(L / 2 * float(p @ (dist * dist)) * (1 + 8 * _U))
                    err_term = up(e_sum * float(np.max(dist))) if e_sum else 0.0
                    routes.append(up(lin_up + curv + err_term))
                if not routes:
                    routes.append(ghi)  # float evaluation only
                    if not any("float evaluation" in a for a in assumptions):
                        assumptions.append(
                            "finite family: expected gains are float evaluations of the utility oracle "
                            "(8-ulp allowance per value), not enclosures"
                        )
                ubs.append(min(routes))
                lbs.append(glo)
                if glo > best_eval:
                    best_eval = glo
                    best_w = CCEWitness(i, "finite", (float(j),), 1.0, float(gval), float(glo), how)
            point_bounds = tuple(ubs)
            eps_i = max(ubs) if ubs else 0.0
            lin_upper = eps_i
            lin_lower = max(lbs) if lbs else 0.0
            curvature = 0.0 if L is None else curvature
            search_jobs.append((i, lambda best_w=best_w, best_eval=best_eval: (best_w, best_eval, best_eval)))

        players.append(CCEPlayerBound(
            player=i,
            gbar=tuple(float(v) for v in gbar),
            s=float(s_val),
            gradient_error=float(e_sum),
            diameter=float(D_lo) if family == "int" else math.nan,
            support=float(support_val),
            interior=interior,
            duals=duals,
            point_bounds=point_bounds,
            linear_gain_lower=float(lin_lower),
            linear_gain_upper=float(lin_upper),
            smoothness=L,
            smoothness_note=note,
            curvature_term=float(curvature) if family != "finite" else 0.0,
            epsilon_upper=float(eps_i),
            best_evaluated_gain=-math.inf,
            gradients=tuple(tuple(float(v) for v in row) for row in G),
            linear_witness=lin_witness,
        ))
        if family != "finite" and L is not None:
            assumptions.append(f"player {i}: {note}")
        if family == "int" and math.isfinite(D_lo):
            assumptions.append(f"player {i}: Phi_int uses lambda <= delta/D_{i} with D_{i} >= {D_lo!r}")

    eps_upper = max((pl.epsilon_upper for pl in players), default=0.0)
    verdict = Verdict.INCONCLUSIVE
    if not reasons and eps_upper <= eps * (1 - min_margin):
        verdict = Verdict.VERIFIED
    else:
        if not reasons and eps_upper <= eps:
            reasons.append(f"margin too tight: bound {eps_upper:.17g} is within min_margin={min_margin:g} "
                           f"of eps={eps:g}")
        import dataclasses

        for i, job in search_jobs:
            try:
                w, best, _ = job()
            except Exception as exc:  # noqa: BLE001 - oracle failure during the search
                reasons.append(f"player {i}: deviation search failed: {type(exc).__name__}: {exc}")
                continue
            players[i] = dataclasses.replace(players[i], best_evaluated_gain=float(best), search_best=w)
            better = witness is None or (w is not None and w.gain_lower > witness.gain_lower)
            if w is not None and w.gain_lower > eps and better:
                witness = w
        if witness is not None:
            verdict = Verdict.REFUTED
            reasons = [r for r in reasons if not r.startswith("margin too tight")]
            if not witness.rigorous:
                assumptions.append("the witness gain is a float evaluation of the utility oracle (8-ulp "
                                   "allowance), not an enclosure")
        elif not reasons:
            best = max((pl.best_evaluated_gain for pl in players), default=-math.inf)
            reasons.append(
                f"the rigorous bound {eps_upper:.6g} exceeds eps={eps:g}, but no deviation gaining more "
                f"than eps was found (best evaluated gain {best:.6g}); try a smaller delta or a tighter "
                "smoothness constant"
            )
    return LocalCCECertificate(
        verdict=verdict,
        eps=eps,
        delta=delta,
        family=family,
        game=game.name,
        points=tuple(tuple(float(v) for v in row) for row in X),
        weights=tuple(float(v) for v in p),
        players=tuple(players),
        epsilon_upper=float(eps_upper),
        witness=witness,
        reasons=tuple(reasons),
        assumptions=tuple(assumptions),
        game_spec=game_spec(game),
        slack=eps - float(eps_upper),
        deviations=None if devs is None else tuple(
            tuple(None if callable(phi) else tuple(float(v) for v in phi) for phi in maps) for maps in devs),
    )


def _failed_player(i: int) -> CCEPlayerBound:
    return CCEPlayerBound(i, (), math.nan, math.nan, math.nan, math.nan, (), (), (), math.nan, math.inf,
                          None, "not computed", math.inf, math.inf, -math.inf)


# ---------------------------------------------------------------------------------
# witness searches
# ---------------------------------------------------------------------------------


def _int_search(game: Game, i: int, X: np.ndarray, p: np.ndarray, S: ConvexSet, gbar: np.ndarray,
                G: np.ndarray, lam: float, rng: np.random.Generator, n_random: int):
    def run() -> tuple[CCEWitness | None, float, float]:
        sl = game.block_slices[i]
        Xi = X[:, sl]
        cands = [_support_argmax(S, gbar)]
        for k in np.argsort(-p)[: min(4, len(p))]:  # best responses to heavy support points
            cands.append(_support_argmax(S, G[k]))
        for _ in range(min(n_random, 8)):
            cands.append(S.project(Xi[rng.integers(len(p))] + rng.standard_normal(Xi.shape[1])))
        best, best_lo = None, -math.inf
        for z in cands:
            for t in (1.0, 0.5, 0.25, 0.1):
                lt = lam * t
                targets = (1 - lt) * Xi + lt * z
                gval, glo, _, how = _expected_gain(game, i, X, p, targets)
                if glo > best_lo:
                    best_lo = glo
                    best = CCEWitness(i, "int", tuple(float(v) for v in z), float(lt), float(gval),
                                      float(glo), how)
        return best, best_lo, best_lo

    return run


def _proj_objective(Xi: np.ndarray, p: np.ndarray, G: np.ndarray, sets: Sequence[ConvexSet | None],
                    v: np.ndarray) -> float:
    moved = _project_all(sets, Xi + v)
    return float(p @ np.sum(G * (moved - Xi), axis=1))


def _proj_linear_search(Xi: np.ndarray, p: np.ndarray, G: np.ndarray, sets: Sequence[ConvexSet | None],
                        delta: float, rng: np.random.Generator, n_random: int,
                        ascent_steps: int) -> tuple[np.ndarray, float]:
    """Search v in the delta-ball for a large linearised Phi_proj gain (a lower bound)."""
    d = Xi.shape[1]

    def onto(v: np.ndarray) -> np.ndarray:
        nv = float(np.linalg.norm(v))
        return v * (delta * (1 - 1e-12) / nv) if nv > 0 else v

    gbar = p @ G
    starts = [onto(gbar)] if np.any(gbar != 0) else []
    for _ in range(n_random):
        starts.append(onto(rng.standard_normal(d)))
    best_v, best = np.zeros(d), 0.0
    for v in starts:
        val = _proj_objective(Xi, p, G, sets, v)
        for _ in range(ascent_steps):
            moved = _project_all(sets, Xi + v)
            direc = p @ _tangent_all(sets, moved, G)
            if not np.any(direc != 0):
                break
            v_new = onto(v + delta * direc / float(np.linalg.norm(direc)))
            val_new = _proj_objective(Xi, p, G, sets, v_new)
            if val_new <= val:
                break
            v, val = v_new, val_new
        if val > best:
            best_v, best = v, val
    return best_v, best


def _proj_search(game: Game, i: int, X: np.ndarray, p: np.ndarray, sets: Sequence[ConvexSet | None],
                 v_best: np.ndarray, G: np.ndarray, delta: float, rng: np.random.Generator):
    def run() -> tuple[CCEWitness | None, float, float]:
        sl = game.block_slices[i]
        Xi = X[:, sl]
        cands = [v_best] + [v_best * t for t in (0.5, 0.25)]
        gbar = p @ G
        if np.any(gbar != 0):
            cands.append(gbar * (delta * (1 - 1e-12) / float(np.linalg.norm(gbar))))
        best, best_lo = None, -math.inf
        for v in cands:
            if not np.any(v != 0):
                continue
            targets = _project_all(sets, Xi + v)
            gval, glo, _, how = _expected_gain(game, i, X, p, targets)
            if glo > best_lo:
                best_lo = glo
                best = CCEWitness(i, "proj", tuple(float(t) for t in v), 1.0, float(gval), float(glo), how)
        return best, best_lo, best_lo

    return run


# ---------------------------------------------------------------------------------
# distribution files (used by ``localeq verify --distribution``)
# ---------------------------------------------------------------------------------

DISTRIBUTION_FORMAT = "localeq.distribution/1"


def load_distribution(path: Any) -> tuple[np.ndarray, np.ndarray | None, dict[int, list[np.ndarray]]]:
    r"""Read support points, weights and optional displacement deviations from a file.

    Formats:

    * JSON ``{"format": "localeq.distribution/1", "points": [[...], ...], "weights": [...],
      "deviations": {"0": [[v...], ...], "1": [...]}}`` -- ``weights`` (default uniform) and
      ``deviations`` (displacement vectors per player, for ``--family finite``) are optional;
    * ``.npz`` with arrays ``points`` (K × dim), optional ``weights`` (K,) and optional
      ``deviations_<i>`` (m × d_i) per player.

    Returns ``(points, weights or None, {player: [v, ...]})``.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.json`` (``localeq.distribution/1``) or ``.npz`` file.

    Examples
    --------
    >>> import json, tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
    ...     json.dump({"format": DISTRIBUTION_FORMAT, "points": [[1, 0, 1, 0]]}, f)
    >>> pts, w, devs = load_distribution(f.name); os.unlink(f.name)
    >>> pts.shape, w, devs
    ((1, 4), None, {})
    """
    import json
    from pathlib import Path

    p = Path(path)
    try:
        if p.suffix == ".npz":
            with np.load(p) as data:
                if "points" not in data:
                    raise InvalidArgument(f"distribution file {str(p)!r} has no 'points' array")
                pts = np.asarray(data["points"], dtype=float)
                w = np.asarray(data["weights"], dtype=float) if "weights" in data else None
                devs = {int(k.split("_", 1)[1]): [np.asarray(v, dtype=float) for v in data[k]]
                        for k in data.files if k.startswith("deviations_")}
            return pts, w, devs
        doc = json.loads(p.read_text())
    except OSError as exc:
        raise InvalidArgument(f"cannot read distribution file path={str(p)!r}: {exc.strerror}") from None
    except (ValueError, KeyError, EOFError, zipfile.BadZipFile, zlib.error) as exc:  # torn or not an npz
        raise InvalidArgument(f"distribution file path={str(p)!r} is not valid: {exc}") from None
    if not isinstance(doc, dict) or doc.get("format", DISTRIBUTION_FORMAT) != DISTRIBUTION_FORMAT \
            or "points" not in doc:
        raise InvalidArgument(
            f"distribution file path={str(p)!r} must be an object with format {DISTRIBUTION_FORMAT!r} "
            "and 'points'"
        )
    try:
        pts = np.asarray(doc["points"], dtype=float)
        w = None if doc.get("weights") is None else np.asarray(doc["weights"], dtype=float)
        raw = doc.get("deviations") or {}
        devs = {int(k): [np.asarray(v, dtype=float) for v in vs] for k, vs in raw.items()}
    except (TypeError, ValueError) as exc:
        raise InvalidArgument(f"distribution file path={str(p)!r} has non-numeric data: {exc}") from None
    return pts, w, devs
