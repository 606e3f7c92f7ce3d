r"""ε-approximate local Nash equilibria of smooth games: residuals and (ε, δ) certificates.

Definitions (``certificates.md`` §1.1; DSZ Def. 3.6, Cai et al. Def. 1). A feasible
joint strategy :math:`x` is an :math:`(\varepsilon, \delta)`-**local Nash equilibrium**
when no player gains more than :math:`\varepsilon` by a feasible unilateral deviation
of length at most :math:`\delta`:

.. math::

    u_i(x_i', x_{-i}) \le u_i(x) + \varepsilon
    \quad\text{for all } x_i' \in S_i(x_{-i}),\ \|x_i' - x_i\|_2 \le \delta,\ \text{all } i.

**Certificate.** By :math:`L_i`-smoothness of :math:`u_i` in :math:`x_i`,
:math:`u_i(x_i + y, x_{-i}) - u_i(x) \le \langle g_i(x), y\rangle + L_i\|y\|^2/2`, hence

.. math::

    \text{gain}_i(\delta) \le \Gamma_i(\delta) + \delta\, e_{g,i} + L_i\delta^2/2 =: \bar\varepsilon_i,

with :math:`\Gamma_i(\delta)` the first-order gain over the δ-ball inside the slice
(bounded from above by weak duality, :mod:`certificates._gain`) and :math:`e_{g,i}`
a rigorous bound on the floating-point error of the gradient (0 when the gradient
oracle is assumed exact). VERIFIED means :math:`\max_i \bar\varepsilon_i \le
\varepsilon` with a relative safety margin; REFUTED means a feasible deviation of
length :math:`\le \delta` was **evaluated** (not linearised) and gains more than
:math:`\varepsilon`; everything else is INCONCLUSIVE with the reason.

**Residuals.** With step :math:`\eta` the projected-gradient residual of player
:math:`i` is :math:`r_i^\eta = \|x_i - \Pi_{S_i(x_{-i})}(x_i + \eta g_i(x))\|`, the DSZ
joint residual is :math:`R^\eta = (\sum_i (r_i^\eta)^2)^{1/2}` (DSZ: :math:`\eta = 1`,
strict :math:`R < \alpha`), and the residual gives the bound (DSZ Thm 5.1,
generalised in ``certificates.md`` §1.1(b))
:math:`\varepsilon_i \le r_i(r_i+\delta)/\eta + \|g_i\| r_i + L_i\delta^2/2`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from constructions import Box, ConvexSet, Game, InvalidArgument
from constructions._gamefile import game_spec
from constructions._games import Smoothness
from constructions._rounding import UNIT_ROUNDOFF, down, norm_upper, up
from constructions._validation import as_real, as_rng, short_repr

from ._gain import _local_gain
from ._guard import utility_problem
from ._records import SCHEMA_VERSION, CertificateRecord, Verdict, _best_text

__all__ = [
    "Residual",
    "projected_gradient_residual",
    "PlayerBound",
    "Witness",
    "LocalNashCertificate",
    "certify_local_nash",
]


# ---------------------------------------------------------------------------------
# residuals
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Residual:
    r"""Projected-gradient residuals of a joint strategy.

    Attributes
    ----------
    per_player : tuple of float
        :math:`r_i^\eta = \|x_i - \Pi_{S_i(x_{-i})}(x_i + \eta g_i(x))\|`.
    joint : float
        DSZ joint residual :math:`(\sum_i (r_i^\eta)^2)^{1/2}`.
    gradient_mapping : tuple of float
        :math:`r_i^\eta / \eta` (equals :math:`\|g_i\|` when unconstrained).
    step : float
        The step :math:`\eta` used (DSZ: 1).

    Examples
    --------
    >>> from constructions import quadratic_saddle
    >>> res = projected_gradient_residual(quadratic_saddle(), [0.1, 0.2])
    >>> res.per_player, round(res.joint, 6), res.step
    ((2.1, 0.8), 2.247221, 1.0)
    """

    per_player: tuple[float, ...]
    joint: float
    gradient_mapping: tuple[float, ...]
    step: float


def _player_residual(S: ConvexSet | None, xi: np.ndarray, gi: np.ndarray, step: float) -> float:
    target = xi + gi if step == 1.0 else xi + step * gi
    if isinstance(S, Box):  # validated inputs: clip in place, no copy or re-validation
        proj = np.clip(target, S.lo, S.hi, out=target)
    else:
        proj = target if S is None else S.project(target)
    np.subtract(xi, proj, out=proj)
    return float(np.linalg.norm(proj))


def projected_gradient_residual(game: Game, x: Any, *, step: float = 1.0) -> Residual:
    r"""Per-player and joint projected-gradient residuals at ``x``.

    Parameters
    ----------
    game : Game
        The game.
    x : array_like
        Joint strategy (length ``game.dim``).
    step : float, default 1.0
        Step size :math:`\eta` (DSZ use 1).

    Returns
    -------
    Residual

    Examples
    --------
    >>> from constructions import quadratic_saddle
    >>> res = projected_gradient_residual(quadratic_saddle(), [0.0, 0.0])
    >>> res.joint
    0.0
    """
    if not isinstance(game, Game):
        raise InvalidArgument(f"game must be a localeq Game, got game={game!r}")
    x = game.check_point(x, "x")
    step = as_real(step, "step", positive=True)
    blocks = game.split(x)
    per = []
    for i in range(game.n_players):
        gi = game.gradient(i, x)
        per.append(_player_residual(game.player_set(i, x), blocks[i], gi, step))
    joint = float(math.sqrt(sum(r * r for r in per)))
    return Residual(tuple(per), joint, tuple(r / step for r in per), step)


# ---------------------------------------------------------------------------------
# certificate records
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlayerBound:
    r"""What the certificate established for one player.

    ``epsilon_upper`` is the rigorous bound :math:`\bar\varepsilon_i` on the best
    feasible δ-gain (``inf`` when it could not be bounded, e.g. no :math:`L_i`).

    Attributes
    ----------
    player : int
        Index :math:`i`.
    gradient, gradient_error : numpy.ndarray, float or None
        :math:`g_i(x)` and a rigorous bound :math:`e_{g,i}` on its float error (None: assumed exact).
    residual, residual_epsilon : float
        Projected-gradient residual :math:`r_i^\eta` and the bound it implies (DSZ Thm 5.1).
    linear_gain_lower, linear_gain_upper : float
        Bounds on :math:`\Gamma_i(\delta)`; ``direction`` attains the lower, ``dual`` (the vector
        :math:`w`) proves the upper.
    dual, direction : numpy.ndarray
        Dual and primal data of :math:`\Gamma_i(\delta)`.
    smoothness, smoothness_note : float or None, str
        :math:`L_i` and where it comes from (proved or declared).
    curvature_term : float
        :math:`L_i\delta^2/2`.
    epsilon_upper : float
        :math:`\bar\varepsilon_i`.
    best_true_gain, best_deviation : float, tuple
        Best evaluated gain found by the deviation search, and the deviation.

    Examples
    --------
    >>> from constructions import squared_difference
    >>> pb = certify_local_nash(squared_difference(), [1.0, 1.0], eps=1e-3, delta=0.05).players[1]
    >>> round(pb.smoothness, 9), round(pb.curvature_term, 9), pb.best_true_gain > 1e-3
    (2.0, 0.0025, True)
    """

    player: int
    gradient: np.ndarray
    gradient_error: float | None
    residual: float
    linear_gain_lower: float
    linear_gain_upper: float
    dual: np.ndarray
    smoothness: float | None
    smoothness_note: str
    curvature_term: float
    epsilon_upper: float
    residual_epsilon: float
    best_true_gain: float
    best_deviation: tuple[float, ...] | None
    #: primal direction y (x_i + y feasible, ||y|| <= delta) with <g, y> = linear_gain_lower
    direction: np.ndarray | None = None


@dataclass(frozen=True)
class Witness:
    r"""A feasible unilateral deviation whose evaluated gain exceeds ε.

    ``gain`` is the float difference of utilities, ``gain_lower`` a lower bound on the
    true gain obtained by ``evaluation``: ``"exact-rational"`` (sympy rational
    functions), ``"ball-arithmetic"`` (other sympy games, normal-form games) or
    ``"float"`` (callables; 8-ulp allowance, not rigorous).

    Attributes
    ----------
    player : int
        The deviating player.
    deviation : tuple of float
        Its new strategy :math:`x_i'`.
    distance : float
        :math:`\|x_i' - x_i\|_2 \le \delta`.
    gain, gain_lower : float
        Evaluated gain and a lower bound on the true gain.
    evaluation : str
        How ``gain_lower`` was obtained.
    feasibility_violation : float
        Infeasibility of the deviation (at most ``feas_tol``).

    Examples
    --------
    >>> from constructions import squared_difference
    >>> w = certify_local_nash(squared_difference(), [1.0, 1.0], eps=1e-3, delta=0.05).witness
    >>> w.player, w.evaluation, w.gain_lower > 1e-3, w.distance <= 0.05
    (1, 'exact-rational', True, True)
    """

    player: int
    deviation: tuple[float, ...]
    distance: float
    gain: float
    gain_lower: float
    evaluation: str
    feasibility_violation: float

    @property
    def rigorous(self) -> bool:
        """Whether ``gain_lower`` is a proven lower bound on the true gain."""
        return self.evaluation != "float"


@dataclass(frozen=True)
class LocalNashCertificate(CertificateRecord):
    r"""Result of :func:`certify_local_nash`.

    The claim is ":math:`x` is an :math:`(\varepsilon, \delta)`-local Nash equilibrium".
    ``epsilon_upper`` is the rigorous bound :math:`\max_i \bar\varepsilon_i`;
    ``witness`` (REFUTED only) the deviation that breaks the claim; ``reasons``
    explains an INCONCLUSIVE verdict; ``assumptions`` lists everything the verdict
    rests on that localeq did not prove.

    Attributes
    ----------
    verdict : Verdict
        VERIFIED, REFUTED or INCONCLUSIVE.
    eps, delta, step, feas_tol : float
        The inputs of the claim (``step`` is the residual's :math:`\eta`).
    game : str
        Name of the game.
    point : numpy.ndarray
        The candidate :math:`x`.
    players : tuple of PlayerBound
        What was established for each player.
    joint_residual : float
        DSZ joint projected-gradient residual.
    epsilon_upper : float
        Rigorous bound :math:`\max_i \bar\varepsilon_i`.
    witness : Witness or None
        The refuting deviation (REFUTED only).
    reasons, assumptions : tuple of str
        Why the verdict is not VERIFIED; what it rests on.
    method, kind, schema, extra, slack, game_spec
        Bookkeeping of the JSON record (``slack = eps - epsilon_upper``).

    Examples
    --------
    >>> from constructions import squared_difference
    >>> cert = certify_local_nash(squared_difference(), [1.0, 1.0], eps=1e-3, delta=0.05)
    >>> cert.verdict.value, cert.epsilon_upper > 1e-3, cert.witness.player
    ('REFUTED', True, 1)
    """

    verdict: Verdict
    eps: float
    delta: float
    step: float
    game: str
    point: np.ndarray
    players: tuple[PlayerBound, ...]
    joint_residual: float
    epsilon_upper: float
    witness: Witness | None
    reasons: tuple[str, ...]
    assumptions: tuple[str, ...]
    method: str = "first-order gain (weak-duality bound) + L*delta^2/2"
    kind: str = "epsilon-delta-local-nash"
    schema: str = SCHEMA_VERSION
    extra: dict[str, Any] = field(default_factory=dict)
    #: feasibility tolerance used for x and the witness
    feas_tol: float | None = None
    #: eps - epsilon_upper (float; lets a checker detect a changed eps)
    slack: float | None = None
    #: the game definition (``constructions._gamefile.game_spec``) for portable files
    game_spec: dict[str, Any] | None = None


    def summary(self) -> str:
        r"""A readable multi-line report.

        The verdict and claim, the bound :math:`\max_i \bar\varepsilon_i`, the joint residual, one
        line per player (linear gain bounds, curvature term :math:`L\delta^2/2`, best evaluated
        gain), the witness when REFUTED, then the reasons and the assumptions.

        Returns
        -------
        str

        Examples
        --------
        >>> from constructions import squared_difference
        >>> cert = certify_local_nash(squared_difference(), [1.0, 1.0], eps=1e-3, delta=0.05)
        >>> print("\n".join(cert.summary().splitlines()[:3]))     # L delta^2 / 2 = 2 * 0.05^2 / 2
        verdict: REFUTED
        claim:   x is an (eps=0.001, delta=0.05)-local Nash equilibrium of squared-difference
        bound:   max_i gain_i(delta) <= 0.0025
        """
        lines = [
            f"verdict: {self.verdict.value}",
            f"claim:   x is an (eps={self.eps:g}, delta={self.delta:g})-local Nash equilibrium "
            f"of {self.game}",
            f"bound:   max_i gain_i(delta) <= {self.epsilon_upper:.6g}",
            f"joint projected-gradient residual (step {self.step:g}): {self.joint_residual:.6g}",
        ]
        for p in self.players:
            lines.append(
                f"  player {p.player}: linear gain in [{p.linear_gain_lower:.4g}, "
                f"{p.linear_gain_upper:.4g}], L*delta^2/2 <= {p.curvature_term:.4g}, "
                f"bound {p.epsilon_upper:.4g}, best evaluated gain {_best_text(p.best_true_gain)}"
            )
        if self.witness is not None:
            w = self.witness
            lines.append(
                f"witness: player {w.player} deviates to {list(w.deviation)} (distance "
                f"{w.distance:.4g}) and gains {w.gain:.6g} > eps"
                + f" ({w.evaluation} evaluation)"
            )
        for r in self.reasons:
            lines.append(f"reason: {r}")
        lines.append("assumptions:")
        lines.extend(f"  - {a}" for a in self.assumptions)
        return "\n".join(lines)


# ---------------------------------------------------------------------------------
# the certifier
# ---------------------------------------------------------------------------------


def _resolve_smoothness(
    game: Game, i: int, x: np.ndarray, delta: float, override: Sequence[float | None] | None
) -> Smoothness | None:
    if override is not None and override[i] is not None:
        return Smoothness(
            float(override[i]), "declared by the caller of certify_local_nash",
            f"the delta-ball around x_{i}", rigorous=False,
        )
    local = game.local_smoothness(i, x, delta)
    if local is not None:
        return local
    return game.declared_smoothness[i]


def _evaluate_gain(
    game: Game, i: int, x: np.ndarray, z: np.ndarray, base: tuple[float, float, float]
) -> tuple[float, float, str]:
    """(gain estimate, lower bound on the gain, how the bound was evaluated)."""
    xz = x.copy()
    xz[game.block_slices[i]] = z
    val = game.utility(i, xz)
    u0, lo0, hi0 = base
    if not math.isfinite(val):
        return -math.inf, -math.inf, "float"
    exact0 = game.utility_exact(i, x)
    if exact0 is not None:
        exact = game.utility_exact(i, xz)
        if exact is not None:  # exact rational gain, rounded down to a float
            gain = exact - exact0
            f = float(gain)
            return val - u0, (f if Fraction(f) <= gain else math.nextafter(f, -math.inf)), "exact-rational"
    enc = game.utility_enclosure(i, xz)
    if enc is not None and math.isfinite(enc[0]) and math.isfinite(hi0):
        return val - u0, down(enc[0] - hi0), "ball-arithmetic"
    # float evaluation: allow a few ulps of error on each value
    err = 8 * UNIT_ROUNDOFF * (abs(val) + abs(u0))
    return val - u0, (val - u0) - err, "float"


def _pull_into_ball(xi: np.ndarray, z: np.ndarray, delta: float) -> np.ndarray:
    d = z - xi
    n = norm_upper(d)
    if n <= delta:
        return z
    return xi + d * (delta * (1 - 1e-12) / n)


def _search_deviation(
    game: Game, i: int, x: np.ndarray, S: ConvexSet | None, direction: np.ndarray,
    delta: float, L: float | None, feas_tol: float, rng: np.random.Generator, n_random: int,
    ascent_steps: int,
) -> tuple[Witness | None, float, np.ndarray | None]:
    """Try feasible deviations of length <= delta and return the best one found."""
    xi = x[game.block_slices[i]]
    u0 = game.utility(i, x)
    enc0 = game.utility_enclosure(i, x)
    lo0, hi0 = enc0 if enc0 is not None else (u0, u0)
    base = (u0, lo0, hi0)
    cands: list[np.ndarray] = []
    if np.any(direction != 0):
        for t in (1.0, 0.5, 0.25, 0.1, 0.01):
            cands.append(xi + t * direction)
    dirs: list[np.ndarray] = []
    if xi.shape[0] <= 200:  # second-order directions: both signs of the own Hessian's eigvecs
        try:
            H = game.hessian(i, x)
            if np.all(np.isfinite(H)):
                _, vecs = np.linalg.eigh(0.5 * (H + H.T))
                dirs += [s * vecs[:, k] for k in range(vecs.shape[1]) for s in (1.0, -1.0)]
        except Exception:  # noqa: BLE001 - a failing Hessian only weakens the search
            pass
    for k in range(n_random):
        v = rng.standard_normal(xi.shape[0])
        v /= max(float(np.linalg.norm(v)), 1e-300)
        dirs.append(v if k % 2 == 0 else v * rng.uniform() ** (1.0 / xi.shape[0]))
    for v in dirs:  # on (or inside) the delta-sphere, projected back into the set
        z = xi + delta * v
        if S is not None:
            z = _pull_into_ball(xi, S.project(z), delta)
        cands.append(z)
    # projected gradient ascent on the true utility inside the ball
    z = xi + direction
    xz = x.copy()
    for _ in range(ascent_steps):
        xz[game.block_slices[i]] = z
        gz = game.gradient(i, xz)
        if not np.all(np.isfinite(gz)):
            break
        eta = 1.0 / L if L else delta / max(float(np.linalg.norm(gz)), 1e-300)
        z_new = z + eta * gz
        if S is not None:
            z_new = S.project(z_new)
        z = _pull_into_ball(xi, z_new, delta)
        cands.append(z.copy())
    best: Witness | None = None
    best_gain, best_z = -math.inf, None
    for z in cands:
        dist = up(norm_upper(z - xi), 0.0) * (1 + 4 * UNIT_ROUNDOFF)
        if dist > delta:  # pull back onto the segment [x_i, z] (feasible by convexity)
            z = xi + (z - xi) * (delta * (1 - 1e-12) / dist)
            dist = up(norm_upper(z - xi), 0.0) * (1 + 4 * UNIT_ROUNDOFF)
            if dist > delta:
                continue
        viol = S.violation(z) if S is not None else 0.0
        if not viol <= feas_tol:
            continue
        gain, lower, how = _evaluate_gain(game, i, x, z, base)
        if lower > best_gain:
            best_gain, best_z = lower, z
            best = Witness(i, tuple(float(v) for v in z), float(dist), float(gain), float(lower),
                           how, float(viol))
    return best, best_gain, best_z


def certify_local_nash(
    game: Game,
    x: Any,
    *,
    eps: float,
    delta: float,
    smoothness: float | Sequence[float | None] | None = None,
    step: float = 1.0,
    feas_tol: float = 1e-9,
    min_margin: float = 1e-9,
    search: bool = True,
    n_random: int = 16,
    ascent_steps: int = 30,
    rng: Any = 0,
) -> LocalNashCertificate:
    r"""Certify (or refute) that ``x`` is an :math:`(\varepsilon, \delta)`-local Nash equilibrium.

    For every player the certifier computes the first-order local gain
    :math:`\Gamma_i(\delta)` over :math:`B(x_i,\delta)\cap S_i(x_{-i})` with a primal
    direction and a weak-duality upper bound (any dual gives a valid bound; the one
    used is recorded), adds the gradient's rigorous float error :math:`\delta e_{g,i}`
    and the curvature term :math:`L_i\delta^2/2`, and compares with :math:`\varepsilon`.
    If the bound does not prove the claim it searches feasible deviations (the primal
    direction scaled, random points of the ball, projected ascent on the true utility)
    and evaluates their true gains.

    Parameters
    ----------
    game : Game
        The game (players maximise their utilities).
    x : array_like
        Candidate joint strategy; must be feasible up to ``feas_tol``.
    eps : float
        Claimed tolerance :math:`\varepsilon > 0`.
    delta : float
        Deviation radius :math:`\delta > 0`.
    smoothness : float or sequence, optional
        Own-block smoothness constants :math:`L_i` on the δ-balls (an *assumption*
        of the certificate). Default: a rigorous local bound when the game can prove
        one (sympy and normal-form games), else the game's declared constants.
    step : float, default 1.0
        Step :math:`\eta` of the reported projected-gradient residual (DSZ: 1).
    feas_tol : float, default 1e-9
        Absolute feasibility tolerance for ``x`` and for witnesses (recorded).
    min_margin : float, default 1e-9
        VERIFIED needs :math:`\bar\varepsilon \le (1 - \text{min\_margin})\,\varepsilon`;
        a bound between the two gives INCONCLUSIVE ("margin too tight").
    search : bool, default True
        Search for a refuting deviation when the bound does not verify.
    n_random, ascent_steps : int
        Effort of the deviation search.
    rng : int, Generator or None, default 0
        Randomness of the deviation search (reproducible by default).

    Returns
    -------
    LocalNashCertificate

    Raises
    ------
    InvalidArgument
        Bad shapes, non-finite input, ``eps``/``delta`` not positive, infeasible ``x``.

    Examples
    --------
    >>> from constructions import matching_pennies
    >>> cert = certify_local_nash(matching_pennies(), [0.5, 0.5, 0.5, 0.5], eps=1e-6, delta=0.1)
    >>> cert.verdict.value
    'VERIFIED'
    >>> certify_local_nash(matching_pennies(), [0.9, 0.1, 0.5, 0.5], eps=1e-3, delta=0.1).verdict.value
    'REFUTED'
    """
    if not isinstance(game, Game):
        raise InvalidArgument(f"game must be a localeq Game, got game={game!r}")
    eps = as_real(eps, "eps", positive=True)
    delta = as_real(delta, "delta", positive=True)
    step = as_real(step, "step", positive=True)
    feas_tol = as_real(feas_tol, "feas_tol", nonnegative=True)
    min_margin = as_real(min_margin, "min_margin", nonnegative=True)
    if min_margin >= 1:
        raise InvalidArgument(f"min_margin must be < 1, got min_margin={min_margin!r}")
    rng = as_rng(rng)
    override: list[float | None] | None = None
    if smoothness is not None:
        if isinstance(smoothness, (int, float, np.integer, np.floating)) and not isinstance(
            smoothness, bool
        ):
            smoothness = [smoothness] * game.n_players
        try:
            override = [None if s is None else as_real(s, "smoothness", nonnegative=True)
                        for s in smoothness]
        except TypeError as exc:
            raise InvalidArgument(
                f"smoothness must be a number or one per player, got smoothness={smoothness!r}"
            ) from exc
        if len(override) != game.n_players:
            raise InvalidArgument(
                f"smoothness must give {game.n_players} constants, got smoothness={smoothness!r}"
            )
    x = game.check_point(x, "x")
    viol = game.domain.violation(x) if game.domain is not None else 0.0
    if not viol <= feas_tol:  # as game.check_point(x, feas_tol=...), without a second pass
        raise InvalidArgument(
            f"x is not feasible: constraint violation {viol:.3g} exceeds feas_tol={feas_tol:g} for "
            f"x={short_repr(x)}"
        )

    assumptions: list[str] = []
    reasons: list[str] = []
    players: list[PlayerBound] = []
    if viol > 0:
        assumptions.append(
            f"x violates the constraints by {viol:.3g} <= feas_tol={feas_tol:g}; it is treated "
            "as feasible"
        )
    assumptions.append(
        "bounds are evaluated in float64 with a-priori outward rounding (Higham gamma_n) and "
        "one-ulp nextafter steps"
    )
    witness: Witness | None = None
    directions: list[np.ndarray] = []
    sets: list[ConvexSet | None] = []
    Ls: list[float | None] = []
    for i in range(game.n_players):
        S = game.player_set(i, x)
        sets.append(S)
        xi = x[game.block_slices[i]]
        try:
            g = game.gradient(i, x)
        except Exception as exc:  # a user's oracle failed: report, never verify
            reasons.append(f"player {i}: gradient oracle raised {type(exc).__name__}: {exc}")
            players.append(_failed_player(i, game.dims[i]))
            directions.append(np.zeros(game.dims[i]))
            Ls.append(None)
            continue
        if not np.all(np.isfinite(g)):
            reasons.append(f"player {i}: gradient is not finite at x ({g.tolist()})")
            players.append(_failed_player(i, game.dims[i]))
            directions.append(np.zeros(game.dims[i]))
            Ls.append(None)
            continue
        bad_utility = utility_problem(game, i, [x])
        if bad_utility is not None:  # the bound is computed, but never VERIFIED on a broken utility
            reasons.append(bad_utility)
        e_g = game.gradient_error(i, x)
        if e_g is None:
            e_g_val = 0.0
            assumptions.append(f"player {i}: the gradient oracle is exact at x (not enclosed)")
        else:
            e_g_val = float(e_g)
        res = _player_residual(S, xi, g, step)
        gain = _local_gain(S, xi, g, delta)  # S, xi, g, delta validated above
        sm = _resolve_smoothness(game, i, x, delta, override)
        if sm is None:
            curvature, note = math.inf, "no smoothness constant known"
            reasons.append(
                f"player {i}: no smoothness constant L_{i} is known; declare one with "
                "smoothness=..."
            )
            L = None
        else:
            L = sm.value
            curvature = 0.0 if L == 0 else up(L * delta * delta / 2.0, L * delta * delta * 2 * UNIT_ROUNDOFF)
            note = sm.describe()
            assumptions.append(f"player {i}: {note}")
        lin_up = gain.upper
        if e_g_val > 0:
            lin_up = up(gain.upper, delta * e_g_val * (1 + 4 * UNIT_ROUNDOFF) + delta * e_g_val)
        eps_i = lin_up if curvature == 0 else up(lin_up + curvature, 0.0)
        gmax = float(np.max(np.abs(g), initial=0.0))  # scaled: no underflow below 1e-154 or overflow
        gn = gmax if gmax == 0 or not math.isfinite(gmax) else gmax * float(np.linalg.norm(g / gmax))
        res_eps = (res * (res + delta) / step + gn * res + (L or 0.0) * delta * delta / 2
                   if L is not None else math.inf)
        players.append(PlayerBound(
            player=i,
            gradient=_frozen(g),
            gradient_error=e_g,
            residual=res,
            linear_gain_lower=gain.lower,
            linear_gain_upper=lin_up,
            dual=_frozen(gain.dual, owned=gain.dual is not g),  # the dual may be g itself
            smoothness=L,
            smoothness_note=note,
            curvature_term=curvature,
            epsilon_upper=eps_i,
            residual_epsilon=res_eps,
            best_true_gain=-math.inf,
            best_deviation=None,
            direction=_frozen(gain.direction, owned=True),
        ))
        directions.append(gain.direction)
        Ls.append(L)

    eps_upper = max((p.epsilon_upper for p in players), default=0.0)
    joint = math.sqrt(sum(p.residual**2 for p in players if math.isfinite(p.residual)))
    verdict = Verdict.INCONCLUSIVE
    if not reasons and eps_upper <= eps * (1 - min_margin):
        verdict = Verdict.VERIFIED
    else:
        if not reasons and eps_upper <= eps:
            reasons.append(
                f"margin too tight: bound {eps_upper:.17g} is within min_margin={min_margin:g} "
                f"of eps={eps:g}"
            )
        if search:
            updated = []
            for i, p in enumerate(players):
                if not np.all(np.isfinite(p.gradient)):
                    updated.append(p)
                    continue
                try:
                    w, best, best_z = _search_deviation(
                        game, i, x, sets[i], directions[i], delta, Ls[i], feas_tol, rng,
                        n_random, ascent_steps,
                    )
                except Exception as exc:  # utility oracle failure during the search
                    reasons.append(f"player {i}: deviation search failed: {type(exc).__name__}: {exc}")
                    updated.append(p)
                    continue
                updated.append(_replace_best(p, best, best_z))
                if w is not None and w.gain_lower > eps and (
                    witness is None or w.gain_lower - eps > witness.gain_lower - eps
                ):
                    witness = w
            players = updated
        if witness is not None:
            verdict = Verdict.REFUTED
            reasons = [r for r in reasons if not r.startswith("margin too tight")]
            if not witness.rigorous:
                assumptions.append(
                    "the witness gain is a float evaluation of the utility oracle (8-ulp "
                    "allowance), not an enclosure"
                )
            if witness.feasibility_violation > 0:
                assumptions.append(
                    f"the witness is feasible up to {witness.feasibility_violation:.3g} "
                    f"(<= feas_tol={feas_tol:g})"
                )
        elif not reasons:
            best = max((p.best_true_gain for p in players), default=-math.inf)
            reasons.append(
                f"the rigorous bound {eps_upper:.6g} exceeds eps={eps:g}, but no feasible "
                f"deviation within delta gaining more than eps was found (best evaluated gain "
                f"{best:.6g}); try a smaller delta or a tighter smoothness constant"
            )
    return LocalNashCertificate(
        verdict=verdict,
        eps=eps,
        delta=delta,
        step=step,
        game=game.name,
        point=_frozen(x),
        players=tuple(players),
        joint_residual=joint,
        epsilon_upper=eps_upper,
        witness=witness,
        reasons=tuple(reasons),
        assumptions=tuple(assumptions),
        feas_tol=feas_tol,
        slack=eps - eps_upper,
        game_spec=game_spec(game),
    )


def _frozen(v: np.ndarray, *, owned: bool = False) -> np.ndarray:
    """A read-only float array; ``owned=True``: ``v`` is a fresh float array nobody else holds
    (frozen in place, no copy)."""
    if owned and isinstance(v, np.ndarray) and v.dtype == np.float64 and v.base is None:
        v.setflags(write=False)
        return v
    out = np.array(v, dtype=float, copy=True)
    out.setflags(write=False)
    return out


def _failed_player(i: int, d: int) -> PlayerBound:
    return PlayerBound(i, _frozen(np.full(d, math.nan)), None, math.nan, math.nan, math.inf,
                       _frozen(np.zeros(d)), None, "not computed", math.inf, math.inf, math.inf,
                       -math.inf, None)


def _replace_best(p: PlayerBound, best: float, z: np.ndarray | None) -> PlayerBound:
    import dataclasses

    return dataclasses.replace(
        p, best_true_gain=float(best),
        best_deviation=None if z is None else tuple(float(v) for v in z),
    )
