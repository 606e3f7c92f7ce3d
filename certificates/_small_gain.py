r"""Small-Gain Nash: certified contraction in a block-weighted metric (``certificates.md`` §4).

Players minimise costs :math:`f_i = -u_i`; :math:`F = (\nabla_{x_1}f_1, \dots, \nabla_{x_n}f_n)`
with Jacobian blocks :math:`J_{ij} = \partial F_i/\partial x_j`. On a region :math:`R` take

* own curvature :math:`\mu_i \le \inf_R \lambda_{\min}(\mathrm{sym}\,J_{ii})`,
* couplings :math:`L_{ij} \ge \sup_R \|J_{ij}\|_2` (:math:`i \ne j`),
* block norms :math:`N_{ii} \ge \sup_R\|J_{ii}\|_2` (for the Lipschitz constant :math:`\beta`).

With weights :math:`w > 0`, :math:`C(w)_{ii} = 2w_i\mu_i`, :math:`C(w)_{ij} = -(w_iL_{ij} + w_jL_{ji})`
and :math:`\alpha_*(w) = \tfrac12\lambda_{\min}(W^{-1/2}C(w)W^{-1/2})`. If :math:`\alpha_*(w) > 0`, F
is :math:`\alpha_*`-strongly monotone in :math:`\|z\|_M^2 = \sum_i w_i\|z_i\|^2` on R, the flow
contracts at rate :math:`e^{-\alpha_* t}`, projected Euler with step :math:`h` contracts by
:math:`q_E(h) = \sqrt{1 - 2h\alpha_* + h^2\beta^2}` and projected RK4 by
:math:`q_{RK4}(h) = q_E(h) + (h\beta)^2/2 + (h\beta)^3/6 + (h\beta)^4/24` (a sound bound: the one-step
Jacobian is :math:`I - h\bar J + E` with :math:`\bar J` a convex combination of Jacobians and
:math:`\|E\|_M` bounded by the tail; the code's guideline :math:`h \le 2.5/\beta` is reported
separately and proves nothing). :math:`\beta \le \|B\|_2`, :math:`B_{ij} = \sqrt{w_i/w_j}\,N_{ij}`.

The best weights are :math:`w_i = u_i/v_i` with :math:`u, v` the left/right Perron vectors of the
comparison matrix :math:`A = \mathrm{diag}(\mu) - L`, and then :math:`\alpha_* = \tau(A)`, its
smallest eigenvalue (``certificates.md`` §4.3); :func:`weights_sdp` poses the choice as a
bisection of SDP feasibility problems in cvxpy so that extra linear requirements on
:math:`w` (bounds on ratios) can be added. All certified numbers (α, β, q) are verified in
exact rational arithmetic (LDLᵀ of :math:`C(w) - 2\alpha W`, of :math:`t^2I - B^\top B`).

Reference: V. Sharma, *Small-Gain Nash*, arXiv 2512.06791 (formulas as in the authors' code
``AashVed/SmallGainNash``; ``certificates.md`` §4 marks which parts are derived).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from constructions import Game, InvalidArgument, SolverFailed
from constructions._validation import as_positive_int, as_real, as_rng, as_vector, short_repr

from ._linear import _qup, _sqrt_upper, is_psd_exact
from ._records import SCHEMA_VERSION, CertificateRecord, Verdict

__all__ = [
    "SmallGainConstants",
    "small_gain_constants",
    "constants_from_jacobian",
    "estimate_small_gain_constants",
    "exact_small_gain_constants",
    "optimal_weights",
    "margin_lower_bound",
    "two_player_band",
    "weights_sdp",
    "SmallGainCertificate",
    "certify_small_gain",
]

Q = Fraction


@dataclass(frozen=True)
class SmallGainConstants:
    r"""Curvatures ``mu``, couplings ``couplings[i][j]`` (zero diagonal), block norms ``norms``
    (``None`` if unknown), where they come from (``source``) and whether they are proved
    (``rigorous``) or sampling ``estimate``\\ s. ``evidence`` lets an independent checker re-prove
    rigorous constants: ``{"jacobian", "dims"}`` (constant Jacobian) or ``{"game_spec", "lo", "hi"}``
    (a sympy game on a box).

    Attributes
    ----------
    mu : tuple of float
        Own-curvature lower bounds :math:`\mu_i`.
    couplings : tuple of tuple of float
        Coupling bounds :math:`L_{ij}` (zero diagonal).
    norms : tuple of float or None
        Block-norm bounds :math:`N_{ii}`.
    source : str
        Where the constants come from.
    rigorous, estimate : bool
        Proved by localeq; sampling estimates.
    region : str
        Where the constants are valid.
    evidence : dict or None
        Data for an independent re-proof.

    Examples
    --------
    >>> c = small_gain_constants([1, 1], [[0, 10], [0.05, 0]])
    >>> c.couplings[0][1], c.rigorous, c.estimate
    (10.0, False, False)"""

    mu: tuple[float, ...]
    couplings: tuple[tuple[float, ...], ...]
    norms: tuple[float, ...] | None
    source: str
    rigorous: bool
    estimate: bool = False
    region: str = "as declared"
    evidence: dict[str, Any] | None = None


def small_gain_constants(mu: Any, couplings: Any, norms: Any = None, *,
                         source: str = "declared by the user") -> SmallGainConstants:
    r"""Declared constants (validated); they become assumptions of the certificate.

    Parameters
    ----------
    mu : sequence of float
        Own-curvature lower bounds :math:`\mu_i`.
    couplings : array_like, shape (n, n)
        Coupling bounds :math:`L_{ij} \ge 0` (the diagonal is ignored).
    norms : sequence of float, optional
        Block-norm bounds :math:`N_{ii}` (needed for :math:`\beta` and the step sizes).
    source : str, optional
        Provenance label.

    Returns
    -------
    SmallGainConstants

    Examples
    --------
    >>> c = small_gain_constants([1, 1], [[0, 10], [0.05, 0]])
    >>> c.mu, c.rigorous
    ((1.0, 1.0), False)
    """
    try:
        m = np.array(mu, dtype=float).reshape(-1)
        Lc = np.array(couplings, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InvalidArgument(
            f"mu and couplings must be numbers, got mu={mu!r}, couplings={couplings!r}"
        ) from exc
    n = m.shape[0]
    if n < 1 or not np.all(np.isfinite(m)):
        raise InvalidArgument(f"mu must be a non-empty finite vector, got mu={mu!r}")
    if Lc.shape != (n, n) or not np.all(np.isfinite(Lc)) or np.any(Lc < 0):
        raise InvalidArgument(
            f"couplings must be a nonnegative finite {n}x{n} matrix, got couplings={couplings!r}"
        )
    Lc = Lc.copy()
    np.fill_diagonal(Lc, 0.0)
    nv = None
    if norms is not None:
        nv = np.array(norms, dtype=float).reshape(-1)
        if nv.shape != (n,) or not np.all(np.isfinite(nv)) or np.any(nv < 0):
            raise InvalidArgument(f"norms must be {n} nonnegative numbers, got norms={norms!r}")
        if np.any(nv < np.abs(m)):
            raise InvalidArgument(
                f"norms must satisfy norms_i >= |mu_i| (||J_ii|| >= lambda_min), got norms={norms!r}"
            )
        nv = tuple(float(v) for v in nv)
    return SmallGainConstants(tuple(float(v) for v in m), tuple(tuple(float(v) for v in r) for r in Lc), nv,
                              source, rigorous=False)


# ---------------------------------------------------------------------------------
# rigorous matrix bounds (exact verification of float guesses)
# ---------------------------------------------------------------------------------


def _qm(A: np.ndarray) -> list[list[Fraction]]:
    return [[Q(float(v)) for v in r] for r in np.asarray(A, dtype=float)]


def _lambda_min_lower(S: np.ndarray, rad: float = 0.0) -> float:
    """A float t with lambda_min(sym S') >= t for every S' with ||S' - S||_2 <= rad (exact check)."""
    Ssym = 0.5 * (S + S.T)
    Sq = _qm(S)
    n = S.shape[0]
    sym = [[(Sq[i][j] + Sq[j][i]) / 2 for j in range(n)] for i in range(n)]
    lam = float(np.min(np.linalg.eigvalsh(Ssym)))
    scale = 1.0 + float(np.max(np.abs(Ssym)))
    step = 1e-12 * scale
    for _ in range(60):
        t = lam - step
        tq = Q(t)
        M = [[sym[i][j] - (tq if i == j else 0) for j in range(n)] for i in range(n)]
        if is_psd_exact(M):
            return math.nextafter(t - rad * (1 + 1e-15), -math.inf) if rad else t
        step *= 4
    return -math.inf


def _norm2_upper(B: np.ndarray) -> float:
    """A float t >= ||B||_2, verified by t^2 I - B^T B PSD in exact arithmetic."""
    B = np.asarray(B, dtype=float)
    if not np.any(B):
        return 0.0
    Bq = _qm(B)
    m, n = B.shape
    BtB = [[sum((Bq[k][i] * Bq[k][j] for k in range(m)), Q(0)) for j in range(n)] for i in range(n)]
    t = float(np.linalg.norm(B, 2)) * (1 + 1e-12)
    for _ in range(60):
        tq = Q(t)
        if is_psd_exact([[(tq * tq if i == j else 0) - BtB[i][j] for j in range(n)] for i in range(n)]):
            return t
        t *= 1 + 1e-9 * 4
    return math.inf


def constants_from_jacobian(J: Any, dims: Sequence[int], *, source: str = "exact: constant game Jacobian"
                            ) -> SmallGainConstants:
    r"""Rigorous constants of a game with constant Jacobian :math:`J` (quadratic costs).

    Parameters
    ----------
    J : array_like, shape (dim, dim)
        The constant Jacobian of :math:`F = (\nabla_{x_1}f_1, \dots)`, costs :math:`f_i = -u_i`.
    dims : sequence of int
        Block sizes of the players.
    source : str, optional
        Provenance label.

    Returns
    -------
    SmallGainConstants
        ``rigorous=True``, valid everywhere.

    Examples
    --------
    >>> c = constants_from_jacobian([[1.0, 10.0], [0.05, 1.0]], [1, 1])
    >>> c.mu[0] <= 1.0 <= c.mu[0] + 1e-9, c.couplings[0][1] >= 10.0
    (True, True)
    """
    J = np.asarray(J, dtype=float)
    dims = [int(d) for d in dims]
    if J.shape != (sum(dims), sum(dims)) or not np.all(np.isfinite(J)):
        raise InvalidArgument(f"J must be a finite {sum(dims)}x{sum(dims)} matrix, got shape {J.shape}")
    starts = np.cumsum([0, *dims])
    n = len(dims)
    mu, L, N = [], np.zeros((n, n)), []
    for i in range(n):
        si = slice(starts[i], starts[i + 1])
        mu.append(_lambda_min_lower(J[si, si]))
        N.append(_norm2_upper(np.abs(J[si, si])))
        for j in range(n):
            if j != i:
                L[i, j] = _norm2_upper(np.abs(J[si, slice(starts[j], starts[j + 1])]))
    return SmallGainConstants(tuple(mu), tuple(tuple(float(v) for v in r) for r in L), tuple(N), source,
                              rigorous=True, region="everywhere (the Jacobian is constant)",
                              evidence={"jacobian": J.tolist(), "dims": dims})


def _cost_jacobian_blocks(game: Game) -> list[list[Any]]:
    import sympy as sp

    data = game.sympy_data
    n = game.n_players
    return [[sp.Matrix([[-sp.diff(gk, s) for s in data.players[j]] for gk in data.gradients[i]])
             for j in range(n)] for i in range(n)]


def exact_small_gain_constants(game: Game, lo: Any, hi: Any) -> SmallGainConstants:
    r"""Rigorous constants on the box ``[lo, hi]`` for a sympy-defined game (ball arithmetic).

    Every entry of every Jacobian block is enclosed over the whole box by python-flint ``arb``
    (:func:`constructions._arb.arb_eval` with :func:`~constructions._arb.box_ball` inputs);
    :math:`\mu_i \ge \lambda_{\min}(\mathrm{sym\,mid}) - \|\mathrm{rad}\|_F` (Weyl, exact LDLᵀ),
    :math:`L_{ij}, N_{ii} \le \|\,|J|^{\max}\|_2` (verified exactly). Exact for quadratic costs.

    Parameters
    ----------
    game : Game
        A game built from sympy expressions.
    lo, hi : array_like
        The box (joint coordinates) on which the constants are proved.

    Returns
    -------
    SmallGainConstants
        ``rigorous=True`` on the box, with ``evidence`` for the checker.

    Examples
    --------
    >>> import sympy as sp
    >>> from constructions import game_from_sympy
    >>> x, y = sp.symbols("x y")
    >>> g = game_from_sympy([-(x**2 / 2 + 10 * x * y), -(y**2 / 2 + x * y / 20)], [[x], [y]])
    >>> c = exact_small_gain_constants(g, [-1, -1], [1, 1])
    >>> round(c.mu[0], 9), round(c.couplings[0][1], 9), c.rigorous
    (1.0, 10.0, True)
    """
    from constructions._arb import ArbUnsupported, arb_eval, arb_lower, arb_upper, box_ball
    from constructions._gamefile import game_spec

    if not isinstance(game, Game) or game.sympy_data is None:
        raise InvalidArgument(f"game must be a sympy-defined localeq Game, got game={game!r}")
    lo = np.asarray(lo, dtype=float).reshape(-1)
    hi = np.asarray(hi, dtype=float).reshape(-1)
    if lo.shape != (game.dim,) or hi.shape != (game.dim,) or np.any(hi < lo) or not (
            np.all(np.isfinite(lo)) and np.all(np.isfinite(hi))):
        raise InvalidArgument(f"lo, hi must be finite vectors of length {game.dim} with lo <= hi")
    env = {s: box_ball(a, b) for s, a, b in zip(game.sympy_data.symbols, lo, hi, strict=True)}
    blocks = _cost_jacobian_blocks(game)
    n = game.n_players
    mu, L, N = [], np.zeros((n, n)), []
    for i in range(n):
        for j in range(n):
            B = blocks[i][j]
            lo_m = np.zeros(B.shape)
            hi_m = np.zeros(B.shape)
            for a in range(B.shape[0]):
                for b in range(B.shape[1]):
                    try:
                        ball = arb_eval(B[a, b], env)
                    except ArbUnsupported as exc:
                        raise InvalidArgument(f"cannot enclose the Jacobian of {game.name!r}: {exc}") from exc
                    lo_m[a, b], hi_m[a, b] = arb_lower(ball), arb_upper(ball)
            if not (np.all(np.isfinite(lo_m)) and np.all(np.isfinite(hi_m))):
                raise InvalidArgument(f"the Jacobian of {game.name!r} is unbounded on the box")
            absmax = np.maximum(np.abs(lo_m), np.abs(hi_m))
            if i == j:
                mid = 0.5 * lo_m + 0.5 * hi_m
                rad = np.maximum(hi_m - mid, mid - lo_m) * (1 + 1e-15)
                rad_f = math.sqrt(float(np.sum(rad * rad))) * (1 + 1e-12)
                mu.append(_lambda_min_lower(mid, rad_f))
                N.append(_norm2_upper(absmax))
            else:
                L[i, j] = _norm2_upper(absmax)
    return SmallGainConstants(tuple(mu), tuple(tuple(float(v) for v in r) for r in L), tuple(N),
                              "ball arithmetic (python-flint arb) on the exact Jacobian blocks",
                              rigorous=True,
                              region=f"the box lo={lo.tolist()}, hi={hi.tolist()}",
                              evidence={"game_spec": game_spec(game), "lo": lo.tolist(), "hi": hi.tolist()})


def estimate_small_gain_constants(game: Game, lo: Any, hi: Any, *, n_samples: int = 200, rng: Any = 0
                                  ) -> SmallGainConstants:
    """Sampling **estimates** of the constants on the box ``[lo, hi]`` (not bounds).

    Own blocks from the game's Hessian oracle, cross blocks by central differences of the
    gradients (step 1e-6); minima / maxima over uniform samples and the box corners. The result
    is labelled ``estimate=True`` and a certificate built on it is never VERIFIED.

    Parameters
    ----------
    game : Game
        Any localeq game with a Hessian oracle.
    lo, hi : array_like
        The box (joint coordinates).
    n_samples : int, default 200
        Number of uniform samples.
    rng : int, Generator or None, default 0
        Sampling randomness.

    Returns
    -------
    SmallGainConstants
        With ``estimate=True``.

    Examples
    --------
    >>> import sympy as sp
    >>> from constructions import game_from_sympy
    >>> x, y = sp.symbols("x y")
    >>> g = game_from_sympy([-(x**2 / 2 + 10 * x * y), -(y**2 / 2 + x * y / 20)], [[x], [y]])
    >>> c = estimate_small_gain_constants(g, [-1, -1], [1, 1])
    >>> c.estimate, round(c.couplings[0][1], 6), certify_small_gain(c).verdict.value
    (True, 10.0, 'INCONCLUSIVE')
    """
    if not isinstance(game, Game):
        raise InvalidArgument(f"game must be a localeq Game, got game={game!r}")
    lo = np.asarray(lo, dtype=float).reshape(-1)
    hi = np.asarray(hi, dtype=float).reshape(-1)
    if lo.shape != (game.dim,) or hi.shape != (game.dim,) or np.any(hi < lo):
        raise InvalidArgument(f"lo, hi must be vectors of length {game.dim} with lo <= hi")
    n_samples = as_positive_int(n_samples, "n_samples")
    rng = as_rng(rng)
    pts = lo + (hi - lo) * rng.uniform(size=(n_samples, game.dim))
    n = game.n_players
    sl = game.block_slices
    mu = np.full(n, np.inf)
    L = np.zeros((n, n))
    N = np.zeros(n)
    for x in pts:
        for i in range(n):
            Jii = -game.hessian(i, x)
            mu[i] = min(mu[i], float(np.min(np.linalg.eigvalsh(0.5 * (Jii + Jii.T)))))
            N[i] = max(N[i], float(np.linalg.norm(Jii, 2)))
            for j in range(n):
                if j == i:
                    continue
                cols = []
                for k in range(sl[j].start, sl[j].stop):
                    e = np.zeros(game.dim)
                    e[k] = 1e-6
                    cols.append(-(game.gradient(i, x + e) - game.gradient(i, x - e)) / 2e-6)
                L[i, j] = max(L[i, j], float(np.linalg.norm(np.array(cols).T, 2)))
    return SmallGainConstants(tuple(float(v) for v in mu), tuple(tuple(float(v) for v in r) for r in L),
                              tuple(float(v) for v in N), f"sampling estimate ({int(n_samples)} points)",
                              rigorous=False, estimate=True,
                              region=f"the box lo={lo.tolist()}, hi={hi.tolist()}")


# ---------------------------------------------------------------------------------
# weights, margins, band
# ---------------------------------------------------------------------------------


def _check_consts(consts: Any) -> SmallGainConstants:
    if not isinstance(consts, SmallGainConstants):
        raise InvalidArgument(f"consts must be SmallGainConstants (see small_gain_constants), got "
                              f"consts={short_repr(consts)}")
    return consts


def _cmp(consts: SmallGainConstants) -> np.ndarray:
    return np.diag(consts.mu) - np.array(consts.couplings)


def optimal_weights(consts: SmallGainConstants) -> tuple[np.ndarray, float]:
    r"""Perron weights :math:`w = u/v` and :math:`\tau(A)` (``certificates.md`` §4.3).

    Parameters
    ----------
    consts : SmallGainConstants
        The constants; :math:`A = \mathrm{diag}(\mu) - L`.

    Returns
    -------
    tuple
        ``(w, tau)``: the weights and the smallest eigenvalue of :math:`A`.

    Examples
    --------
    >>> w, tau = optimal_weights(small_gain_constants([1, 1], [[0, 10], [0.05, 0]]))
    >>> round(float(w[1] / w[0]), 6), round(tau, 6)
    (200.0, 0.292893)
    """
    A = _cmp(_check_consts(consts))
    n = A.shape[0]
    if n == 1:
        return np.ones(1), float(A[0, 0])
    vals, R = np.linalg.eig(A)
    k = int(np.argmin(vals.real))
    v = np.abs(R[:, k].real)
    valsl, Lv = np.linalg.eig(A.T)
    u = np.abs(Lv[:, int(np.argmin(valsl.real))].real)
    if np.any(v <= 0) or np.any(u <= 0):  # reducible: fall back to a slightly perturbed matrix
        Ap = A - 1e-12 * (np.ones((n, n)) - np.eye(n))
        return optimal_weights(SmallGainConstants(tuple(np.diag(Ap)), tuple(tuple(r) for r in
                               np.diag(np.diag(Ap)) - Ap), None, "", False))
    w = u / v
    return w / np.max(w), float(vals[k].real)


def margin_lower_bound(consts: SmallGainConstants, w: Any) -> float:
    r"""Rigorous lower bound on :math:`\alpha_*(w)` (exact LDLᵀ of :math:`C(w) - 2\alpha W`).

    Parameters
    ----------
    consts : SmallGainConstants
        The constants.
    w : array_like
        Positive block weights.

    Returns
    -------
    float
        A float :math:`\alpha \le \alpha_*(w)`, proved in exact arithmetic.

    Examples
    --------
    >>> c = small_gain_constants([1, 1], [[0, 10], [0.05, 0]])
    >>> round(margin_lower_bound(c, optimal_weights(c)[0]), 6), margin_lower_bound(c, [1, 1]) < 0
    (0.292893, True)"""
    w = as_vector(w, "w", dim=len(_check_consts(consts).mu))
    if np.any(w <= 0):
        raise InvalidArgument(f"w must have positive entries, got w={short_repr(w)}")
    mu, Lc = consts.mu, consts.couplings
    n = len(mu)
    wq = [Q(float(v)) for v in w]
    muq = [Q(v) for v in mu]
    Lq = [[Q(v) for v in r] for r in Lc]
    Cq = [[2 * wq[i] * muq[i] if i == j else -(wq[i] * Lq[i][j] + wq[j] * Lq[j][i]) for j in range(n)]
          for i in range(n)]
    Wh = np.diag(1 / np.sqrt(w))
    Cf = np.array([[float(v) for v in r] for r in Cq])
    guess = 0.5 * float(np.min(np.linalg.eigvalsh(Wh @ Cf @ Wh)))
    step = 1e-12 * (1 + abs(guess))
    for _ in range(60):
        a = Q(guess - step)
        if is_psd_exact([[Cq[i][j] - (2 * a * wq[i] if i == j else 0) for j in range(n)] for i in range(n)]):
            return float(a) if Q(float(a)) <= a else math.nextafter(float(a), -math.inf)
        step *= 4
    return -math.inf


def two_player_band(consts: SmallGainConstants, alpha: float = 0.0) -> tuple[float, float] | None:
    r"""Ratios :math:`r = w_2/w_1` with :math:`\alpha_*(r) \ge \alpha` (two players; §4.3):
    :math:`r_\pm = (2P - L_{12}L_{21} \pm 2\sqrt{P(P - L_{12}L_{21})})/L_{21}^2`,
    :math:`P = (\mu_1-\alpha)(\mu_2-\alpha)`; None if empty.

    Parameters
    ----------
    consts : SmallGainConstants
        Two-player constants.
    alpha : float, default 0
        Required margin.

    Returns
    -------
    tuple of float or None
        ``(r_minus, r_plus)``.

    Examples
    --------
    >>> lo, hi = two_player_band(small_gain_constants([1, 1], [[0, 10], [0.05, 0]]))
    >>> round(lo, 1), round(hi, 1)
    (34.3, 1165.7)
    """
    if len(_check_consts(consts).mu) != 2:
        raise InvalidArgument(f"two_player_band needs two players, got {len(consts.mu)}")
    alpha = as_real(alpha, "alpha")
    m1, m2 = consts.mu
    L12, L21 = consts.couplings[0][1], consts.couplings[1][0]
    if m1 <= alpha or m2 <= alpha:
        return None
    P = (m1 - alpha) * (m2 - alpha)
    if P <= L12 * L21:
        return None
    if L21 == 0:
        return (max(0.0, (L12 ** 2) / (4 * P)) if L12 else 0.0, math.inf)
    root = 2 * math.sqrt(P * (P - L12 * L21))
    return ((2 * P - L12 * L21 - root) / L21**2, (2 * P - L12 * L21 + root) / L21**2)


def weights_sdp(consts: SmallGainConstants, *, ratio_bounds: Sequence[tuple[int, int, float]] = (),
                solver: str | None = None, tol: float = 1e-7) -> tuple[np.ndarray, float]:
    r"""Choose weights by SDP: maximise α with :math:`W(A - \alpha I) + (A - \alpha I)^\top W \succeq 0`.

    For fixed α the condition is an LMI in :math:`w` (:math:`C(w) - 2\alpha W` is linear in
    :math:`w`), so α is found by bisection over cvxpy feasibility problems with
    :math:`\sum_i w_i = 1`, :math:`w \ge 0` and the extra constraints ``ratio_bounds``: triples
    ``(i, j, r)`` meaning :math:`w_j \le r\,w_i`. Returns ``(w, alpha)``; the returned α is
    re-verified by :func:`margin_lower_bound` in the certificate.

    Parameters
    ----------
    consts : SmallGainConstants
        The constants.
    ratio_bounds : sequence of (int, int, float)
        Extra constraints :math:`w_j \le r\,w_i`.
    solver : str, optional
        cvxpy backend.
    tol : float, default 1e-7
        Bisection tolerance on α.

    Returns
    -------
    tuple
        ``(w, alpha)``.

    Examples
    --------
    >>> c = small_gain_constants([1, 1], [[0, 10], [0.05, 0]])
    >>> w, a = weights_sdp(c)
    >>> abs(a - 0.2929) < 1e-3
    True
    >>> w, a = weights_sdp(c, ratio_bounds=[(0, 1, 50.0)])   # force w_2/w_1 <= 50
    >>> w[1] / w[0] <= 50 * (1 + 1e-6) and a < 0.29
    True
    """
    import cvxpy as cp

    from ._solvers import SolveStatus, solve_problem

    _check_consts(consts)
    tol = as_real(tol, "tol", positive=True)

    A = _cmp(consts)
    n = A.shape[0]
    w = cp.Variable(n)
    alpha = cp.Parameter()
    Wm = cp.diag(w)
    Mexp = Wm @ A + A.T @ Wm - 2 * alpha * Wm
    cons = [(Mexp + Mexp.T) / 2 >> 0, cp.sum(w) == 1, w >= 0]
    for i, j, r in ratio_bounds:
        cons.append(w[j] <= float(r) * w[i])
    prob = cp.Problem(cp.Minimize(0), cons)
    _, tau = optimal_weights(consts)
    lo, hi = min(0.0, tau) - 1.0 - float(np.max(np.abs(A))), tau + 1e-9
    best_w = None
    # why each rejected solve was not a witness: the solver's own message, in order, without repeats
    why: dict[str, int] = {}
    for _ in range(60):
        if hi - lo <= tol * (1 + abs(hi)):
            break
        mid = 0.5 * (lo + hi)
        alpha.value = mid
        res = solve_problem(prob, solver=solver, sdp=True)
        # an INACCURATE solve is not a witness (C6): that alpha counts as infeasible
        if res.status is not SolveStatus.OPTIMAL:
            note = res.message
        elif w.value is None:
            note = f"{res.message}, with no weights"
        elif not np.all(np.isfinite(w.value)):
            note = f"{res.message}, with non-finite weights (NaN/inf)"
        elif not np.all(np.asarray(w.value) > 0):
            note = f"{res.message}, with a weight that is not positive"
        else:
            lo, best_w = mid, np.asarray(w.value, dtype=float).copy()
            continue
        why[note] = why.get(note, 0) + 1
        hi = mid
    if best_w is None:
        said = "; ".join(f"{k} ({v} of {sum(why.values())} solves)" for k, v in why.items())
        raise SolverFailed(f"weights_sdp: no feasible weights found: {said or 'no solve was attempted'}")
    return best_w / np.max(best_w), lo


# ---------------------------------------------------------------------------------
# step sizes
# ---------------------------------------------------------------------------------


def _beta_upper(consts: SmallGainConstants, w: np.ndarray) -> float:
    if consts.norms is None:
        return math.inf
    n = len(w)
    B = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            nij = consts.norms[i] if i == j else consts.couplings[i][j]
            if nij:
                B[i, j] = _qup(_sqrt_upper(Q(float(w[i])) / Q(float(w[j])))) * nij * (1 + 4 * 2.0**-53)
    return _norm2_upper(B)


def _q_euler(h: Fraction, a: Fraction, b: Fraction) -> Fraction:
    return _sqrt_upper(max(Q(0), 1 - 2 * h * a + h * h * b * b))


def _q_rk4(h: Fraction, a: Fraction, b: Fraction) -> Fraction:
    hb = h * b
    return _q_euler(h, a, b) + hb**2 / 2 + hb**3 / 6 + hb**4 / 24


# ---------------------------------------------------------------------------------
# the certificate
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SmallGainCertificate(CertificateRecord):
    r"""Result of :func:`certify_small_gain`; ``kind = "small-gain"``.

    Fields: the constants (``mu``, ``couplings``, ``norms``, ``constants_source``,
    ``constants_rigorous``, ``constants_estimate``, ``region``), the weights ``weights``, the
    comparison-matrix eigenvalue ``tau`` (float), the certified margin ``alpha`` (rigorous lower
    bound on :math:`\alpha_*(w)`, also the flow contraction rate), ``beta`` (rigorous upper bound),
    ``euler_step``/``euler_factor`` (:math:`h = \alpha/\beta^2`, :math:`q_E(h)` rounded up),
    ``euler_step_max`` (:math:`2\alpha/\beta^2`), ``rk4_step``/``rk4_factor`` (:math:`q_{RK4}(h) < 1`,
    rounded up), ``rk4_guideline`` (:math:`2.5/\beta`, not a proof), ``band`` (two players:
    :math:`[r_-, r_+]` for :math:`\alpha \ge 0`), ``alpha_min`` (the claim: :math:`\alpha_* > `
    ``alpha_min``), ``minors`` (exact leading principal minors of :math:`A - \alpha_{\min} I`, as
    strings, when they refute the claim).

    Attributes
    ----------
    verdict : Verdict
        VERIFIED, REFUTED or INCONCLUSIVE (see :func:`certify_small_gain`).
    mu, couplings, norms, constants_source, constants_rigorous, constants_estimate, region
        The constants the certificate rests on and their provenance.
    alpha_min, weights, tau, alpha, beta : float or tuple
        The claim, the block weights and the certified numbers described above.
    euler_step, euler_step_max, euler_factor, rk4_step, rk4_factor, rk4_guideline : float
        Safe steps and their certified contraction factors.
    band, minors : tuple
        Two-player weight band; refuting minors.
    reasons, assumptions : tuple of str
        Why the verdict is not VERIFIED; what the certificate rests on.
    kind, schema, extra, constants_evidence, slack
        Bookkeeping of the JSON record (``slack = alpha - alpha_min``).

    Examples
    --------
    >>> cert = certify_small_gain(small_gain_constants([1, 1], [[0, 10], [0.05, 0]], [1, 10]))
    >>> cert.verdict.value, round(cert.alpha, 4), round(cert.weights[1] / cert.weights[0], 3)
    ('VERIFIED', 0.2929, 200.0)
    """

    verdict: Verdict
    mu: tuple[float, ...]
    couplings: tuple[tuple[float, ...], ...]
    norms: tuple[float, ...] | None
    constants_source: str
    constants_rigorous: bool
    constants_estimate: bool
    region: str
    alpha_min: float
    weights: tuple[float, ...]
    tau: float
    alpha: float
    beta: float
    euler_step: float
    euler_step_max: float
    euler_factor: float
    rk4_step: float
    rk4_factor: float
    rk4_guideline: float
    band: tuple[float, float] | None
    minors: tuple[str, ...]
    reasons: tuple[str, ...]
    assumptions: tuple[str, ...]
    kind: str = "small-gain"
    schema: str = SCHEMA_VERSION
    extra: dict[str, Any] = field(default_factory=dict)
    #: what re-proves rigorous constants (:attr:`SmallGainConstants.evidence`), else None
    constants_evidence: dict[str, Any] | None = None
    #: ``alpha - alpha_min`` (binds ``alpha_min`` in certificate files)
    slack: float = math.nan


    def summary(self) -> str:
        """A readable multi-line report: verdict, claim, weights, margin and safe step sizes.

        Returns
        -------
        str

        Examples
        --------
        >>> cert = certify_small_gain(small_gain_constants([1, 1], [[0, 10], [0.05, 0]], [1, 10]))
        >>> print(cert.summary().splitlines()[0])
        verdict: VERIFIED
        """
        lines = [
            f"verdict: {self.verdict.value}",
            f"claim:   the block small-gain condition holds with margin > {self.alpha_min:g} "
            f"(constants: {self.constants_source})",
            f"weights: {[round(v, 6) for v in self.weights]}   tau(A) = {self.tau:.6g}",
            f"margin alpha >= {self.alpha:.6g} (flow contracts like exp(-alpha t)); beta <= {self.beta:.6g}",
            f"projected Euler: h = {self.euler_step:.6g} (any h < {self.euler_step_max:.6g}), "
            f"factor <= {self.euler_factor:.6g}",
            f"projected RK4:   h = {self.rk4_step:.6g}, factor <= {self.rk4_factor:.6g} "
            f"(guideline 2.5/beta = {self.rk4_guideline:.6g}, not a proof)",
        ]
        if self.band is not None:
            lines.append(f"two-player weight band w2/w1 in [{self.band[0]:.6g}, {self.band[1]:.6g}]")
        lines.extend(f"reason: {r}" for r in self.reasons)
        lines.append("assumptions:")
        lines.extend(f"  - {a}" for a in self.assumptions)
        return "\n".join(lines)


def _leading_minors(consts: SmallGainConstants, alpha: float) -> list[Fraction]:
    n = len(consts.mu)
    A = [[Q(consts.mu[i]) - Q(alpha) if i == j else -Q(consts.couplings[i][j]) for j in range(n)]
         for i in range(n)]
    out = []
    for k in range(1, n + 1):
        M = [row[:k] for row in A[:k]]
        det = Q(1)
        for c in range(k):
            piv = next((r for r in range(c, k) if M[r][c] != 0), None)
            if piv is None:
                det = Q(0)
                break
            if piv != c:
                M[c], M[piv] = M[piv], M[c]
                det = -det
            det *= M[c][c]
            for r in range(c + 1, k):
                f = M[r][c] / M[c][c]
                M[r] = [a - f * b for a, b in zip(M[r], M[c], strict=True)]
        out.append(det)
    return out


def certify_small_gain(
    constants: SmallGainConstants,
    *,
    weights: Any = None,
    alpha_min: float = 0.0,
    ratio_bounds: Sequence[tuple[int, int, float]] = (),
    solver: str | None = None,
) -> SmallGainCertificate:
    r"""Certify the block small-gain condition and derive contraction rates and safe steps.

    Parameters
    ----------
    constants : SmallGainConstants
        From :func:`small_gain_constants` (declared: an assumption),
        :func:`constants_from_jacobian` / :func:`exact_small_gain_constants` (proved), or
        :func:`estimate_small_gain_constants` (estimates: never VERIFIED).
    weights : array_like, optional
        Block weights; default the optimal Perron weights, or :func:`weights_sdp` when
        ``ratio_bounds`` are given.
    alpha_min : float, default 0
        The claim is :math:`\alpha_*(w) > \alpha_{\min}`.
    ratio_bounds, solver
        Passed to :func:`weights_sdp`.

    Returns
    -------
    SmallGainCertificate
        VERIFIED: rigorous :math:`\alpha > \alpha_{\min}` for rigorous or declared constants.
        REFUTED: :math:`A - \alpha_{\min}I` is not a nonsingular M-matrix (an exact leading
        principal minor is :math:`\le 0`), so *no* weights give margin :math:`> \alpha_{\min}`
        for these constants. INCONCLUSIVE otherwise (estimates, chosen weights too poor,
        solver failure).

    Examples
    --------
    >>> cert = certify_small_gain(small_gain_constants([1, 1], [[0, 10], [0.05, 0]], [1, 10]))
    >>> cert.verdict.value, round(cert.alpha, 4), cert.euler_factor < 1, cert.rk4_factor < 1
    ('VERIFIED', 0.2929, True, True)
    >>> certify_small_gain(small_gain_constants([1, 1], [[0, 10], [0.2, 0]])).verdict.value
    'REFUTED'
    """
    if not isinstance(constants, SmallGainConstants):
        raise InvalidArgument(f"constants must be SmallGainConstants, got constants={constants!r}")
    alpha_min = as_real(alpha_min, "alpha_min")
    n = len(constants.mu)
    reasons: list[str] = []
    assumptions: list[str] = []
    if constants.estimate:
        assumptions.append(
            f"the constants are {constants.source} on {constants.region}: ESTIMATES, not bounds"
        )
        reasons.append("the constants are sampling estimates; the margin and step sizes are estimates too")
    elif constants.rigorous:
        assumptions.append(f"the constants are proved ({constants.source}) on {constants.region}")
    else:
        assumptions.append(f"mu, couplings and norms are {constants.source} (assumed valid on the region "
                           "where the dynamics run, including RK4 stage points)")
    assumptions.append("contraction statements hold for trajectories (and RK4 stages) that stay in that "
                       "region; "
                       "projections are blockwise Euclidean onto a product set")
    w_opt, tau = optimal_weights(constants)
    if weights is not None:
        w = np.asarray(weights, dtype=float).reshape(-1)
        if w.shape != (n,) or not np.all(np.isfinite(w)) or np.any(w <= 0):
            raise InvalidArgument(f"weights must be {n} positive numbers, got weights={weights!r}")
    elif ratio_bounds:
        try:
            w, _ = weights_sdp(constants, ratio_bounds=ratio_bounds, solver=solver)
        except SolverFailed as exc:
            # the Perron fallback ignores ratio_bounds: never VERIFIED on it ("weights_sdp" marks it)
            reasons.append(str(exc) if str(exc).startswith("weights_sdp") else f"weights_sdp: {exc}")
            w = w_opt
    else:
        w = w_opt
    alpha = margin_lower_bound(constants, w)
    minors = _leading_minors(constants, alpha_min)
    refuted = any(m <= 0 for m in minors)
    beta = _beta_upper(constants, w)
    eh = eq = emax = rh = rq = math.nan
    if alpha > 0 and math.isfinite(beta) and beta > 0:
        aq, bq = Q(alpha), Q(beta)
        hq = aq / (bq * bq)
        eh = float(hq)
        hq = Q(eh)
        eq = _qup(_q_euler(hq, aq, bq))
        emax = float(2 * aq / (bq * bq))
        # RK4: scan h in (0, 2 alpha / beta^2) for the smallest certified factor
        best = (math.inf, 0.0)
        for frac in np.linspace(0.02, 1.0, 50):
            hf = float(frac) * eh
            qv = _q_rk4(Q(hf), aq, bq)
            if qv < best[0]:
                best = (qv, hf)
        rq, rh = _qup(best[0]), best[1]
    elif constants.norms is None:
        reasons.append("no bounds on ||J_ii|| (norms=...) were given: beta and the step sizes are unknown")
    band = two_player_band(constants) if n == 2 else None
    if constants.estimate:
        verdict = Verdict.INCONCLUSIVE
    elif refuted:
        verdict = Verdict.REFUTED
        reasons.append("an exact leading principal minor of diag(mu) - L - alpha_min I is <= 0: no block "
                       "weights give margin > alpha_min for these constants")
    elif not alpha > alpha_min or any("weights_sdp" in r for r in reasons):
        verdict = Verdict.INCONCLUSIVE
        if not alpha > alpha_min:
            reasons.append(f"the certified margin {alpha:.6g} for the chosen weights is not > {alpha_min:g}")
    else:
        verdict = Verdict.VERIFIED
    return SmallGainCertificate(
        verdict=verdict, mu=constants.mu, couplings=constants.couplings, norms=constants.norms,
        constants_source=constants.source, constants_rigorous=constants.rigorous,
        constants_estimate=constants.estimate, region=constants.region, alpha_min=alpha_min,
        weights=tuple(float(v) for v in w), tau=float(tau), alpha=float(alpha), beta=float(beta),
        euler_step=float(eh), euler_step_max=float(emax), euler_factor=float(eq), rk4_step=float(rh),
        rk4_factor=float(rq),
        rk4_guideline=float(2.5 / beta) if math.isfinite(beta) and beta > 0 else math.nan,
        band=band, minors=tuple(str(m) for m in minors) if refuted else (), reasons=tuple(reasons),
        assumptions=tuple(assumptions),
        constants_evidence=constants.evidence if constants.rigorous else None,
        slack=float(alpha) - alpha_min,
    )
