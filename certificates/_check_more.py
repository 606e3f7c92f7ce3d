r"""Independent re-checks of ``local-cce``, ``linear-deviation`` and ``small-gain`` files.

Part of the small, separate code path of :mod:`certificates._check` (whose module docstring
documents the schema, what is recomputed and which fields are binding). Nothing here calls
the code that made the certificates: it uses the game loader and exact / ``arb`` helpers of
:mod:`certificates._check` and the sets' ``support`` / ``violation`` / ``project`` /
``diameter``. In particular it imports nothing from :mod:`certificates._linear` or
:mod:`certificates._small_gain`: the statistics :math:`M, \bar g, s` of a linear-deviation
file, the weak-duality check of the LP dual (polytopes, ``certificates.md`` §3.3) and of the
S-lemma SDP dual (balls, §3.5) are re-implemented here in exact rational arithmetic
(:class:`fractions.Fraction`), see :func:`_lp_dual_bound` and :func:`_ball_dual_bound`.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from ._check import (
    CheckResult,
    _close,
    _down,
    _enclose,
    _Game,
    _gradient,
    _load_game,
    _num,
    _Reject,
    _sqrt_down,
    _sqrt_up,
    _up,
    _utility,
    _vec,
)

__all__ = ["check_local_cce", "check_linear_deviation", "check_small_gain"]

Q = Fraction
IV = tuple[Fraction, Fraction]  # an enclosure (lo, hi)
_W = Fraction(1, 10**9)  # relative rounding window
_S = Fraction(1, 10**12)  # window relative to the magnitude of the terms
_ZERO = Fraction(0)


def _win(where: str, rec: float, chk: Fraction, scale: Fraction | float = 0) -> None:
    _close(where, rec, chk, scale)


def _finite(v: Any, where: str, *, positive: bool = False, nonneg: bool = False) -> float:
    f = _num(v, where)
    if not math.isfinite(f) or (positive and not f > 0) or (nonneg and not f >= 0):
        raise _Reject(
            f"{where} must be a finite{' positive' if positive else ''}"
            f"{' nonnegative' if nonneg else ''} number, got {v!r}"
        )
    return f


def _is_nan(v: Any) -> bool:
    return v == "nan" or (isinstance(v, float) and math.isnan(v))


def _exactly(where: str, rec: Any, chk: float) -> None:
    r = _num(rec, where, allow_inf=True) if not _is_nan(rec) else math.nan
    if not (r == chk or (math.isnan(r) and math.isnan(chk))):
        raise _Reject(f"{where}={rec!r} differs from the recomputed {chk!r}")


def _norm_up(v: list[Fraction]) -> Fraction:
    return _sqrt_up(sum((t * t for t in v), Q(0)))


def _iv_absmax(iv: IV) -> Fraction:
    return max(abs(iv[0]), abs(iv[1]))


def _distribution(doc: dict, game: _Game) -> tuple[list[list[float]], list[Fraction]]:
    dim = sum(game.dims)
    pts = doc.get("points")
    if not isinstance(pts, list) or not pts:
        raise _Reject("points must be a non-empty list of support points")
    X = [_vec(r, f"points[{k}]", dim) for k, r in enumerate(pts)]
    w = _vec(doc.get("weights"), "weights", len(X))
    if any(v < 0 for v in w) or abs(math.fsum(w) - 1.0) > 1e-9:
        raise _Reject("weights must be >= 0 and sum to 1 (within 1e-9)")
    if game.domain is not None:
        for k, x in enumerate(X):
            if not game.domain.violation(np.array(x)) <= 1e-9:
                raise _Reject(f"points[{k}] is not feasible (within the certifiers' default feas_tol 1e-9)")
    return X, [Q(v) for v in w]


def _players(doc: dict, n: int) -> list[dict]:
    pl = doc.get("players")
    if not isinstance(pl, list) or len(pl) != n:
        raise _Reject(f"players must list {n} player records")
    for i, p in enumerate(pl):
        if not isinstance(p, dict) or p.get("player") != i:
            raise _Reject(f"players[{i}].player must be {i}")
    return pl


def _grad_at(game: _Game, i: int, x: list[float]) -> list[IV]:
    if game.payoffs is not None:
        return _gradient(game, i, x)
    key = ("grad", i)
    if key not in game.cache:
        game.cache[key] = [sp.diff(game.utilities[i], s) for s in game.players[i]]
    return _enclose(game, game.cache[key], x)


def _smooth_max(game: _Game, i: int, X: list[list[float]], D: Fraction) -> Fraction | None:
    """Re-proved own-block smoothness, max over the delta-boxes of the support points (arb)."""
    if game.payoffs is not None:
        return Q(0)
    if not game.sympy:
        return None
    own = game.players[i]
    key = ("hess", i)
    if key not in game.cache:
        game.cache[key] = [sp.diff(sp.diff(game.utilities[i], a), b) for a in own for b in own]
    H = game.cache[key]
    box = [D if s in own else Q(0) for s in game.symbols]
    ball = _Game("ball-arithmetic", game.dims, None, game.symbols, game.players, game.utilities)
    d = len(own)
    out = Q(0)
    for x in X:
        try:
            enc = _enclose(ball, H, x, box)
        except _Reject:
            return None
        M = [[max(abs(enc[a * d + b][0]), abs(enc[a * d + b][1])) for b in range(d)] for a in range(d)]
        fro = sum((v * v for r in M for v in r), Q(0))
        one = max(sum(abs(r[j]) for r in M) for j in range(d))
        inf = max(sum(abs(v) for v in r) for r in M)
        out = max(out, min(_sqrt_up(fro), _sqrt_up(one * inf)))
    return out


def _gradients(
    game: _Game, i: int, X: list[list[float]], rec: Any, where: str
) -> tuple[list[list[IV]], list[list[float]], list[Fraction]]:
    """Enclosures of g_i at every support point (trusted = the recorded values), the recorded
    gradients and, per point, a lower bound on |recorded - true|."""
    d = game.dims[i]
    if not isinstance(rec, list) or len(rec) != len(X):
        raise _Reject(f"{where} must hold one gradient per support point")
    G_rec = [_vec(r, f"{where}[{k}]", d) for k, r in enumerate(rec)]
    if game.mode == "trusted-gradients":
        return [[(Q(v), Q(v)) for v in g] for g in G_rec], G_rec, [Q(0)] * len(X)
    encs, errs = [], []
    for x, g in zip(X, G_rec, strict=True):
        enc = _grad_at(game, i, x)
        encs.append(enc)
        errs.append(
            _sqrt_down(
                sum((max(Q(0), lo - Q(r), Q(r) - hi) ** 2 for r, (lo, hi) in zip(g, enc, strict=True)), Q(0))
            )
        )
    return encs, G_rec, errs


def _at(x: list[Any], sl: slice, zi: list[Any]) -> list[Any]:
    out = list(x)
    out[sl] = list(zi)
    return out


def _utility_iv(game: _Game, i: int, x: list[Any]) -> IV:
    if game.payoffs is not None:
        return _utility(game, i, x)
    return _enclose(game, [game.utilities[i]], x)[0]


def _expected_gain(
    game: _Game, i: int, X: list[list[float]], p: list[Fraction], targets: list[list[Any]]
) -> IV | None:
    """Enclosure of sum_k p_k [u_i(t_k, x_-i^k) - u_i(x^k)] (None for callable games)."""
    if game.mode == "trusted-gradients":
        return None
    sl = game.slices()[i]
    lo = hi = Q(0)
    for pk, x, t in zip(p, X, targets, strict=True):
        if pk == 0:
            continue
        a = _utility_iv(game, i, _at(x, sl, t))
        b = _utility_iv(game, i, x)
        lo += pk * (a[0] - b[1])
        hi += pk * (a[1] - b[0])
    return lo, hi


def _zmax(S: Any, j: int, d: int) -> Fraction:
    e = np.zeros(d)
    e[j] = 1.0
    return Q(max(float(S.support(e)), float(S.support(-e)), 0.0))


def _support_iv(S: Any, v: list[IV]) -> Fraction | None:
    r"""Sound upper bound on :math:`\sigma_S(v^*)` for every :math:`v^*` in the enclosure."""
    d = len(v)
    mid = [float((lo + hi) / 2) for lo, hi in v]
    base = float(S.support(np.array(mid)))
    if not math.isfinite(base):
        return None
    out = Q(base)
    for j, (lo, hi) in enumerate(v):
        err = max(abs(lo - Q(mid[j])), abs(hi - Q(mid[j])))
        if err:
            zm = _zmax(S, j, d)
            if not math.isfinite(float(zm)):
                return None
            out += err * zm
    return out


def _diameter_sq(S: Any) -> Fraction | None:
    """Exact squared diameter of a Box / Simplex / Ball (None for other sets or unbounded)."""
    from constructions import Ball, Box, Simplex

    if isinstance(S, Box):
        if not (np.all(np.isfinite(S.lo)) and np.all(np.isfinite(S.hi))):
            return None
        return sum(((Q(float(b)) - Q(float(a))) ** 2 for a, b in zip(S.lo, S.hi, strict=True)), Q(0))
    if isinstance(S, Simplex):
        return Q(0) if S.dim == 1 else 2 * Q(float(S.total)) ** 2
    if isinstance(S, Ball):
        return 4 * Q(float(S.radius)) ** 2
    return None


def _ball_inside(S: Any, x: list[float], r: float) -> bool:
    """Exact test that the Euclidean ball B(x, r) lies in S (False when unknown)."""
    from constructions import Ball, Box, Polytope

    if S is None:
        return True
    R = Q(r)
    xq = [Q(v) for v in x]
    if isinstance(S, Box):
        return all(
            (math.isinf(lo) or v - Q(float(lo)) >= R) and (math.isinf(hi) or Q(float(hi)) - v >= R)
            for v, lo, hi in zip(xq, S.lo, S.hi, strict=True)
        )
    if isinstance(S, Ball):
        room = Q(float(S.radius)) - R
        return (
            room >= 0
            and sum(((a - Q(float(c))) ** 2 for a, c in zip(xq, S.center, strict=True)), Q(0)) <= room * room
        )
    if isinstance(S, Polytope) and S.A_eq.shape[0] == 0:
        for row, rhs in zip(S.C, S.c, strict=True):
            slack = Q(float(rhs)) - sum((Q(float(a)) * b for a, b in zip(row, xq, strict=True)), Q(0))
            if slack < 0 or slack * slack < R * R * sum((Q(float(a)) ** 2 for a in row), Q(0)):
                return False
        return all(
            (math.isinf(lo) or v - Q(float(lo)) >= R) and (math.isinf(hi) or Q(float(hi)) - v >= R)
            for v, lo, hi in zip(xq, S.lo, S.hi, strict=True)
        )
    return False


# ---------------------------------------------------------------------------------
# local CCE
# ---------------------------------------------------------------------------------


class _CCEContext:
    def __init__(self, doc: dict) -> None:
        self.game = _load_game(doc.get("game_spec"))
        self.eps = _finite(doc.get("eps"), "eps", positive=True)
        self.delta = _finite(doc.get("delta"), "delta", positive=True)
        self.D = Q(self.delta)
        self.family = doc.get("family")
        if self.family not in ("int", "proj", "finite"):
            raise _Reject(f"family must be 'int', 'proj' or 'finite', got {self.family!r}")
        self.X, self.p = _distribution(doc, self.game)
        self.assumptions: list[str] = []
        self.devs: list[list[Any]] | None = None
        if self.family == "finite":
            devs = doc.get("deviations")
            if not isinstance(devs, list) or len(devs) != len(self.game.dims):
                raise _Reject(
                    "family 'finite' needs deviations (one list of displacement vectors per player)"
                )
            self.devs = []
            for i, maps in enumerate(devs):
                if not isinstance(maps, list):
                    raise _Reject(f"deviations[{i}] must be a list")
                out = []
                for j, v in enumerate(maps):
                    if v is None:
                        raise _Reject(
                            f"deviations[{i}][{j}] is a callable map, which a file cannot hold: "
                            "the certificate cannot be re-checked"
                        )
                    out.append(_vec(v, f"deviations[{i}][{j}]", self.game.dims[i]))
                self.devs.append(out)

    def sets(self, i: int) -> list[Any]:
        return [self.game.player_set(i, np.array(x)) for x in self.X]

    def finite_targets(self, i: int, v: list[float], where: str) -> list[list[float]]:
        """Targets of phi_v(x) = Pi_S(x + v) (the sets' float projections), checked delta-local."""
        if _norm_up([Q(t) for t in v]) > self.D * (1 + Q(1, 10**12)):
            raise _Reject(f"{where} is not delta-local")
        sl = self.game.slices()[i]
        out = []
        for x, S in zip(self.X, self.sets(i), strict=True):
            y = np.array(x[sl]) + np.array(v)
            t = (y if S is None else S.project(y)).tolist()
            if _norm_up([Q(a) - Q(b) for a, b in zip(t, x[sl], strict=True)]) > self.D * (1 + Q(1, 10**12)):
                raise _Reject(f"{where} moves a support point by more than delta")
            if S is not None and not S.violation(np.array(t)) <= 1e-9:
                raise _Reject(f"{where} leaves the strategy set")
            out.append(t)
        return out

    def deviation_gain(self, i: int, wit: dict, where: str) -> tuple[IV | None, Fraction]:
        """Re-evaluate a recorded deviation (witness or search_best): enclosure of its expected gain."""
        game = self.game
        if wit.get("player") != i or wit.get("family") != self.family:
            raise _Reject(f"{where} must be a deviation of player {i} in family {self.family!r}")
        d = game.dims[i]
        sl = game.slices()[i]
        lam = _finite(wit.get("lam"), f"{where}.lam", nonneg=True)
        if self.family == "int":
            z = _vec(wit.get("parameter"), f"{where}.parameter", d)
            S = self.sets(i)[0]
            D2 = _diameter_sq(S) if S is not None else None
            if D2 is None or not lam <= 1 or Q(lam) ** 2 * D2 > self.D**2:
                raise _Reject(f"{where}.lam={lam!r} exceeds delta/D")
            if not S.violation(np.array(z)) <= 1e-9:
                raise _Reject(f"{where}.parameter is not in the strategy set")
            L = Q(lam)
            targets = [[(1 - L) * Q(a) + L * Q(b) for a, b in zip(x[sl], z, strict=True)] for x in self.X]
        elif self.family == "proj":
            if lam != 1.0:
                raise _Reject(f"{where}.lam must be 1 for family 'proj'")
            v = _vec(wit.get("parameter"), f"{where}.parameter", d)
            targets = self.finite_targets(i, v, f"{where}.parameter")
        else:
            par = _vec(wit.get("parameter"), f"{where}.parameter", 1)
            j = par[0]
            if lam != 1.0 or j != int(j) or not 0 <= int(j) < len(self.devs[i]):
                raise _Reject(f"{where}.parameter must index a deviation map of player {i}")
            targets = self.finite_targets(i, self.devs[i][int(j)], f"deviations[{i}][{int(j)}]")
        g = _expected_gain(game, i, self.X, self.p, targets)
        scale = Q(1)
        if g is not None:
            scale = abs(g[0]) + abs(g[1]) + 1
        return g, scale


def _check_cce_witness(ctx: _CCEContext, i: int, wit: Any, where: str) -> IV | None:
    if not isinstance(wit, dict):
        raise _Reject(f"{where} must be a deviation record")
    g, scale = ctx.deviation_gain(i, wit, where)
    gl = _finite(wit.get("gain_lower"), f"{where}.gain_lower")
    gg = _num(wit.get("gain"), f"{where}.gain", allow_inf=True)
    if g is None:
        ctx.assumptions.append(
            f"{where}: the evaluated gain is a trusted float evaluation of the callable game"
        )
        return None
    tol = _W * abs(g[0]) + _S * scale
    if not (Q(gl) <= g[1] and Q(gl) >= g[0] - tol):
        raise _Reject(f"{where}.gain_lower={gl!r} does not match the recomputed gain {float(g[0]):.17g}")
    if not math.isfinite(gg) or abs(Q(gg) - g[0]) > tol + (g[1] - g[0]) + _W * abs(g[0]):
        raise _Reject(f"{where}.gain={gg!r} does not match the recomputed gain {float(g[0]):.17g}")
    return g


def check_local_cce(doc: dict) -> CheckResult:
    """Re-verify a ``local-cce`` certificate (see :mod:`certificates._check`)."""
    ctx = _CCEContext(doc)
    game, D, fam = ctx.game, ctx.D, ctx.family
    n = len(game.dims)
    players = _players(doc, n)
    p = ctx.p
    chk_eps: list[Fraction | None] = []
    rec_eps: list[float] = []
    for i, rec in enumerate(players):
        w_ = f"players[{i}]"
        sl = game.slices()[i]
        d = game.dims[i]
        Xi = [x[sl] for x in ctx.X]
        sets = ctx.sets(i)
        if rec.get("gradients") in ([], None):
            # a player whose oracle failed: nothing is bounded
            for key in ("linear_gain_upper", "epsilon_upper"):
                if _num(rec.get(key), f"{w_}.{key}", allow_inf=True) != math.inf:
                    raise _Reject(f"{w_}.{key} must be inf when no gradients are recorded")
            chk_eps.append(None)
            rec_eps.append(math.inf)
            continue
        G, G_rec, err_lo = _gradients(game, i, ctx.X, rec.get("gradients"), f"{w_}.gradients")
        e_rec = _finite(rec.get("gradient_error"), f"{w_}.gradient_error", nonneg=True)
        if game.mode == "trusted-gradients":
            e_use = Q(e_rec)
            if i == 0:
                ctx.assumptions.append(
                    "the recorded gradients of the callable game are exact up to the "
                    "recorded gradient_error (trusted)"
                )
        else:
            e_use = Q(0)  # the checker bounds with enclosures of the true gradients
            if sum((pk * e for pk, e in zip(p, err_lo, strict=True)), Q(0)) > Q(e_rec) * (1 + _W) + Q(
                1, 10**300
            ):
                raise _Reject(
                    f"{w_}.gradients are farther from the recomputed gradients than gradient_error={e_rec!r}"
                )
        # gbar and s as enclosures
        gbar = [
            (
                sum((pk * g[j][0] for pk, g in zip(p, G, strict=True)), Q(0)),
                sum((pk * g[j][1] for pk, g in zip(p, G, strict=True)), Q(0)),
            )
            for j in range(d)
        ]
        s_lo = sum(
            (
                pk * min(g[j][0] * Q(x[j]), g[j][1] * Q(x[j]))
                for pk, g, x in zip(p, G, Xi, strict=True)
                for j in range(d)
            ),
            Q(0),
        )
        s_hi = sum(
            (
                pk * max(g[j][0] * Q(x[j]), g[j][1] * Q(x[j]))
                for pk, g, x in zip(p, G, Xi, strict=True)
                for j in range(d)
            ),
            Q(0),
        )
        gscale = sum((pk * _iv_absmax(t) for pk, g in zip(p, G, strict=True) for t in g), Q(0)) + 1
        sscale = (
            sum(
                (
                    pk * _iv_absmax(t) * abs(Q(x[j]))
                    for pk, g, x in zip(p, G, Xi, strict=True)
                    for j, t in enumerate(g)
                ),
                Q(0),
            )
            + 1
        )
        rg = _vec(rec.get("gbar"), f"{w_}.gbar", d)
        for j in range(d):
            _win(
                f"{w_}.gbar[{j}]",
                rg[j],
                (gbar[j][0] + gbar[j][1]) / 2,
                gscale + (gbar[j][1] - gbar[j][0]) * 10**12,
            )
        _win(f"{w_}.s", _finite(rec.get("s"), f"{w_}.s"), (s_lo + s_hi) / 2, sscale + (s_hi - s_lo) * 10**12)
        # smoothness over the support points' delta-neighbourhoods
        L_rec = rec.get("smoothness")
        L_use: Fraction | None = None
        if L_rec is not None:
            L_f = _finite(L_rec, f"{w_}.smoothness", nonneg=True)
            L_c = _smooth_max(game, i, ctx.X, D)
            if L_c is not None and Q(L_f) >= L_c * (1 - _W):
                L_use = max(Q(L_f), L_c)
            else:
                L_use = Q(L_f)
                ctx.assumptions.append(
                    f"L_{i}={L_f:.17g} (recorded, not re-proved"
                    + ("" if L_c is None else f"; the checker proves {float(L_c):.6g}")
                    + ")"
                )
        curv_rec = _num(rec.get("curvature_term"), f"{w_}.curvature_term", allow_inf=True)
        if fam == "finite":
            _exactly(f"{w_}.curvature_term", curv_rec, 0.0)
        elif L_rec is None:
            _exactly(f"{w_}.curvature_term", curv_rec, math.inf)
        else:
            _win(f"{w_}.curvature_term", curv_rec, Q(L_rec) * D * D / 2, Q(L_rec) * D * D + Q(1, 10**290))
        lin_up_rec = _num(rec.get("linear_gain_upper"), f"{w_}.linear_gain_upper", allow_inf=True)
        lin_lo_rec = _num(rec.get("linear_gain_lower"), f"{w_}.linear_gain_lower", allow_inf=True)
        eps_rec = _num(rec.get("epsilon_upper"), f"{w_}.epsilon_upper", allow_inf=True)
        lin_mine: Fraction | None = None
        exact_zero = False
        for key in ("diameter", "support"):
            if fam != "int" and not _is_nan(rec.get(key)):
                raise _Reject(f"{w_}.{key} must be nan for family {fam!r}")
        if fam != "proj" and (rec.get("interior") != [] or rec.get("duals") != []):
            raise _Reject(f"{w_}.interior and duals must be empty for family {fam!r}")
        if fam == "int":
            S = sets[0]
            fixed = game.domain is None or len(game.dims) == 1 or type(game.domain).__name__ == "ProductSet"
            D2 = _diameter_sq(S) if (S is not None and fixed) else None
            rec_D = (
                _num(rec.get("diameter"), f"{w_}.diameter", allow_inf=True)
                if not _is_nan(rec.get("diameter"))
                else math.nan
            )
            if D2 == 0:
                exact_zero = True
                lin_mine = Q(0)
                _exactly(f"{w_}.linear_gain_upper", lin_up_rec, 0.0)
                _exactly(f"{w_}.linear_gain_lower", lin_lo_rec, 0.0)
            elif D2 is None:
                if not (math.isnan(rec_D) or rec_D in (0.0, math.inf)):
                    raise _Reject(f"{w_}.diameter={rec_D!r}: no lower bound on the diameter is known")
                if math.isfinite(lin_up_rec):
                    raise _Reject(f"{w_}.linear_gain_upper must be inf without a diameter bound")
            else:
                if not (rec_D > 0 and Q(rec_D) ** 2 <= D2):
                    raise _Reject(f"{w_}.diameter={rec_D!r} is not a lower bound on the diameter")
                D_lo = _sqrt_down(D2)
                _win(f"{w_}.diameter", rec_D, D_lo, 1)
                sig = _support_iv(S, gbar)
                if sig is None:
                    raise _Reject(f"{w_}: the support function of X_{i} is not finite")
                _win(
                    f"{w_}.support",
                    _finite(rec.get("support"), f"{w_}.support"),
                    sig,
                    gscale * (1 + sum((_zmax(S, j, d) for j in range(d)), Q(0))),
                )
                lin_mine = D / D_lo * max(sig - s_lo, Q(0)) + D * e_use
                scale = D / D_lo * (abs(sig) + sscale) + D * Q(e_rec)
                if not math.isfinite(lin_up_rec) or Q(lin_up_rec) < lin_mine - _S * scale:
                    raise _Reject(
                        f"{w_}.linear_gain_upper={lin_up_rec!r} is below the recomputed bound "
                        f"{float(lin_mine):.17g}"
                    )
                _win(
                    f"{w_}.linear_gain_upper",
                    lin_up_rec,
                    D / D_lo * max(sig - (s_lo + s_hi) / 2, Q(0)) + D * Q(e_rec),
                    scale,
                )
                zst = _vec(rec.get("linear_witness"), f"{w_}.linear_witness", d)
                if not S.violation(np.array(zst)) <= 1e-12 * (1 + float(np.max(np.abs(zst)))):
                    raise _Reject(f"{w_}.linear_witness is not in the strategy set")
                gz = sum(((lo + hi) / 2 * Q(z) for (lo, hi), z in zip(gbar, zst, strict=True)), Q(0))
                _win(
                    f"{w_}.linear_gain_lower", lin_lo_rec, D / D_lo * max(gz - (s_lo + s_hi) / 2, Q(0)), scale
                )
        elif fam == "proj":
            inter = rec.get("interior")
            if (
                not isinstance(inter, list)
                or any(isinstance(k, bool) or not isinstance(k, int) for k in inter)
                or inter != sorted(set(inter))
                or any(not 0 <= k < len(ctx.X) for k in inter)
            ):
                raise _Reject(f"{w_}.interior must be sorted distinct support-point indices")
            for k in inter:
                if not _ball_inside(sets[k], Xi[k], ctx.delta):
                    raise _Reject(f"{w_}.interior: support point {k} is not certified delta-interior")
            others = [k for k in range(len(ctx.X)) if k not in set(inter)]
            duals, pbs = rec.get("duals"), rec.get("point_bounds")
            if (
                not isinstance(duals, list)
                or not isinstance(pbs, list)
                or len(duals) != len(others)
                or len(pbs) != len(others)
            ):
                raise _Reject(f"{w_}.duals and point_bounds must hold one entry per non-interior point")
            sum_in = [
                (sum((p[k] * G[k][j][0] for k in inter), Q(0)), sum((p[k] * G[k][j][1] for k in inter), Q(0)))
                for j in range(d)
            ]
            term1 = D * _sqrt_up(sum((_iv_absmax(t) ** 2 for t in sum_in), Q(0)))
            term2 = Q(0)
            scale = D * gscale
            rec_sum = Q(0)
            for q, k in enumerate(others):
                w = _vec(duals[q], f"{w_}.duals[{q}]", d)
                wq = [Q(v) for v in w]
                S = sets[k]
                dist = _sqrt_up(
                    sum(
                        (max(abs(lo - a), abs(hi - a)) ** 2 for (lo, hi), a in zip(G[k], wq, strict=True)),
                        Q(0),
                    )
                )
                if S is None:
                    if any(wq):
                        raise _Reject(f"{w_}.duals[{q}] must be 0 for an unconstrained player")
                    b, bs = D * dist, D * dist
                else:
                    xk = [Q(v) for v in Xi[k]]
                    lo_b = np.array([_down(v - D) for v in xk])
                    hi_b = np.array([_up(v + D) for v in xk])
                    sig = float(S.support(np.array(w), within=(lo_b, hi_b)))
                    if not math.isfinite(sig):
                        raise _Reject(f"{w_}.duals[{q}] gives no finite bound")
                    wx = sum((a * b for a, b in zip(wq, xk, strict=True)), Q(0))
                    b = D * dist + Q(sig) - wx
                    bs = D * (dist + _norm_up(wq)) + abs(Q(sig)) + abs(wx)
                b = max(b, Q(0))
                pb = _finite(pbs[q], f"{w_}.point_bounds[{q}]")
                if Q(pb) < b - _S * (bs + 1):
                    raise _Reject(
                        f"{w_}.point_bounds[{q}]={pb!r} is below the recomputed bound {float(b):.17g}"
                    )
                _win(f"{w_}.point_bounds[{q}]", pb, b, bs + 1)
                term2 += p[k] * b
                rec_sum += p[k] * Q(pb)
                scale += p[k] * (bs + 1)
            lin_mine = term1 + term2 + D * e_use
            if not math.isfinite(lin_up_rec) or Q(lin_up_rec) < lin_mine - _S * scale:
                raise _Reject(
                    f"{w_}.linear_gain_upper={lin_up_rec!r} is below the recomputed bound "
                    f"{float(lin_mine):.17g}"
                )
            _win(f"{w_}.linear_gain_upper", lin_up_rec, term1 + rec_sum + D * Q(e_rec), scale)
            v = _vec(rec.get("linear_witness"), f"{w_}.linear_witness", d)
            if _norm_up([Q(t) for t in v]) > D:
                raise _Reject(f"{w_}.linear_witness is longer than delta")
            lin_lo = Q(0)
            for k, (x, S) in enumerate(zip(Xi, sets, strict=True)):
                y = np.array(x) + np.array(v)
                t = (y if S is None else S.project(y)).tolist()
                lin_lo += p[k] * sum(
                    ((lo + hi) / 2 * (Q(a) - Q(b)) for (lo, hi), a, b in zip(G[k], t, x, strict=True)), Q(0)
                )
            _win(f"{w_}.linear_gain_lower", lin_lo_rec, lin_lo, scale)
        else:  # finite
            maps = ctx.devs[i]
            pbs = rec.get("point_bounds")
            if not isinstance(pbs, list) or len(pbs) != len(maps):
                raise _Reject(f"{w_}.point_bounds must hold one bound per deviation map")
            ubs: list[Fraction] = []
            los: list[Fraction] = []
            for j, v in enumerate(maps):
                targets = ctx.finite_targets(i, v, f"deviations[{i}][{j}]")
                routes: list[Fraction] = []
                scale = Q(1)
                ev = _expected_gain(game, i, ctx.X, p, targets)
                if ev is not None:
                    routes.append(ev[1])
                    los.append(ev[0])
                    scale += abs(ev[0]) + abs(ev[1])
                if L_use is not None:
                    disp = [
                        [Q(a) - Q(b) for a, b in zip(t, x, strict=True)]
                        for t, x in zip(targets, Xi, strict=True)
                    ]
                    lin = sum(
                        (
                            pk * max(lo * a, hi * a)
                            for pk, g, dk in zip(p, G, disp, strict=True)
                            for (lo, hi), a in zip(g, dk, strict=True)
                        ),
                        Q(0),
                    )
                    d2 = [sum((a * a for a in dk), Q(0)) for dk in disp]
                    dmax = _sqrt_up(max(d2, default=Q(0)))
                    routes.append(
                        lin
                        + L_use / 2 * sum((pk * t for pk, t in zip(p, d2, strict=True)), Q(0))
                        + e_use * dmax
                    )
                    scale += (
                        sum(
                            (
                                pk * _iv_absmax(t) * abs(a)
                                for pk, g, dk in zip(p, G, disp, strict=True)
                                for t, a in zip(g, dk, strict=True)
                            ),
                            Q(0),
                        )
                        + L_use * D * D
                        + Q(e_rec) * D
                    )
                if not routes:
                    raise _Reject(
                        f"player {i}: the finite family of a callable game without a smoothness "
                        "constant rests on float utility evaluations, which a file cannot reproduce"
                    )
                ub = min(routes)
                pb = _finite(pbs[j], f"{w_}.point_bounds[{j}]")
                if Q(pb) < ub - _S * scale:
                    raise _Reject(
                        f"{w_}.point_bounds[{j}]={pb!r} is below the recomputed bound {float(ub):.17g}"
                    )
                if ev is not None:  # the evaluated route is (nearly) exact: the record must match it
                    _win(f"{w_}.point_bounds[{j}]", pb, ub, scale)
                ubs.append(ub)
            lin_mine = max(ubs, default=Q(0))
            _exactly(
                f"{w_}.linear_gain_upper",
                lin_up_rec,
                max((_finite(v, "point_bounds") for v in pbs), default=0.0),
            )
            _exactly(f"{w_}.epsilon_upper", eps_rec, lin_up_rec)
            if game.mode == "trusted-gradients":
                ctx.assumptions.append(
                    f"player {i}: evaluated gains of the finite family are trusted float "
                    "evaluations of the callable game"
                )
            else:
                _win(
                    f"{w_}.linear_gain_lower",
                    lin_lo_rec,
                    max(los, default=Q(0)),
                    1 + sum((abs(v) for v in los), Q(0)),
                )
        # the player's bound
        if fam == "finite":
            eb = lin_mine
        elif exact_zero:
            eb = Q(0)
            _exactly(f"{w_}.epsilon_upper", eps_rec, 0.0)
        elif lin_mine is None or L_use is None:
            eb = None
            _exactly(f"{w_}.epsilon_upper", eps_rec, math.inf)
        else:
            eb = lin_mine + L_use * D * D / 2
            if not math.isfinite(eps_rec) or Q(eps_rec) < eb - _S * (abs(eb) + 1):
                raise _Reject(
                    f"{w_}.epsilon_upper={eps_rec!r} is below the recomputed bound {float(eb):.17g}"
                )
            _win(
                f"{w_}.epsilon_upper",
                eps_rec,
                Q(lin_up_rec) + Q(curv_rec),
                abs(Q(lin_up_rec)) + abs(Q(curv_rec)),
            )
        chk_eps.append(eb)
        rec_eps.append(eps_rec)
    # joint numbers
    eu = _num(doc.get("epsilon_upper"), "epsilon_upper", allow_inf=True)
    if eu != max(rec_eps, default=0.0):
        raise _Reject(f"epsilon_upper={eu!r} is not the maximum of the players' bounds")
    _exactly("slack", doc.get("slack"), ctx.eps - eu)
    verdict = doc.get("verdict")
    witness = doc.get("witness")
    chk_bar = None if any(e is None for e in chk_eps) else max(chk_eps, default=Q(0))
    # search diagnostics
    for i, rec in enumerate(players):
        best = _num(rec.get("best_evaluated_gain"), f"players[{i}].best_evaluated_gain", allow_inf=True)
        sb = rec.get("search_best")
        if sb is None:
            if best != -math.inf:
                raise _Reject(
                    f"players[{i}].best_evaluated_gain must be -inf when no search result is recorded"
                )
            continue
        if verdict == "VERIFIED":
            raise _Reject(
                "a VERIFIED certificate records no search (the search runs only when the bound fails)"
            )
        _check_cce_witness(ctx, i, sb, f"players[{i}].search_best")
        _exactly(f"players[{i}].best_evaluated_gain", best, _finite(sb.get("gain_lower"), "gain_lower"))
        if best > ctx.eps and verdict != "REFUTED":
            raise _Reject(f"players[{i}].search_best gains more than eps but the verdict is {verdict}")
    if verdict == "VERIFIED":
        if witness is not None:
            raise _Reject("a VERIFIED certificate must not carry a refuting witness")
        if chk_bar is None or chk_bar > Q(ctx.eps):
            raise _Reject(
                "the recomputed bound does not prove the claim: max_i gain_i <= "
                f"{'inf' if chk_bar is None else f'{float(chk_bar):.17g}'} is not <= eps={ctx.eps!r}"
            )
    elif verdict == "REFUTED":
        if (
            not isinstance(witness, dict)
            or not isinstance(witness.get("player"), int)
            or not 0 <= witness["player"] < n
        ):
            raise _Reject("a REFUTED certificate needs a witness of a valid player")
        g = _check_cce_witness(ctx, witness["player"], witness, "witness")
        if g is None:
            if not _finite(witness.get("gain_lower"), "witness.gain_lower") > ctx.eps:
                raise _Reject("the recorded witness gain does not exceed eps")
        elif not g[0] > Q(ctx.eps):
            raise _Reject(f"the witness's recomputed gain {float(g[0]):.17g} does not exceed eps={ctx.eps!r}")
    else:
        if witness is not None:
            raise _Reject("an INCONCLUSIVE certificate must not carry a refuting witness")
        reasons = " ".join(str(r) for r in doc.get("reasons", []))
        if (
            chk_bar is not None
            and chk_bar <= Q(ctx.eps) * (1 - Q(1, 10**6))
            and "margin too tight" not in reasons
        ):
            raise _Reject("the verdict INCONCLUSIVE is inconsistent: the recomputed bound proves the claim")
    return CheckResult(True, doc["kind"], game.mode, "re-verified", tuple(dict.fromkeys(ctx.assumptions)))


# ---------------------------------------------------------------------------------
# linear deviations
# ---------------------------------------------------------------------------------


def _stats(
    p: list[Fraction], Xi: list[list[Fraction]], G: list[list[Fraction]]
) -> tuple[list[list[Fraction]], list[Fraction], Fraction]:
    d = len(Xi[0])
    M = [
        [sum((pk * g[r] * x[j] for pk, g, x in zip(p, G, Xi, strict=True)), Q(0)) for j in range(d)]
        for r in range(d)
    ]
    gbar = [sum((pk * g[r] for pk, g in zip(p, G, strict=True)), Q(0)) for r in range(d)]
    return M, gbar, sum((M[r][r] for r in range(d)), Q(0))


def _map_gain(
    M: list[list[Fraction]], gbar: list[Fraction], s: Fraction, A: list[list[float]], b: list[float]
) -> tuple[Fraction, Fraction]:
    d = len(gbar)
    terms = [M[r][j] * Q(A[r][j]) for r in range(d) for j in range(d)] + [gbar[r] * Q(b[r]) for r in range(d)]
    return sum(terms, Q(0)) - s, sum((abs(t) for t in terms), Q(0)) + abs(s) + 1


def _polytope_data(S: Any) -> tuple[list[list[float]], list[float]] | None:
    """The rows {C w <= c} the LP must use for S (reduced coordinates for a simplex)."""
    from constructions import Box, Polytope, Simplex

    if isinstance(S, Simplex):
        d = S.dim
        C = [[-1.0 if a == b else 0.0 for b in range(d - 1)] for a in range(d - 1)] + [[1.0] * (d - 1)]
        return C, [0.0] * (d - 1) + [float(S.total)]
    if isinstance(S, Box):
        d = S.dim
        C = [[1.0 if a == b else 0.0 for b in range(d)] for a in range(d)] + [
            [-1.0 if a == b else 0.0 for b in range(d)] for a in range(d)
        ]
        return C, [float(v) for v in S.hi] + [-float(v) for v in S.lo]
    if isinstance(S, Polytope) and S.A_eq.shape[0] == 0:
        C = [[float(v) for v in row] for row in S.C]
        c = [float(v) for v in S.c]
        for j in range(S.dim):
            e = [0.0] * S.dim
            if math.isfinite(S.hi[j]):
                e[j] = 1.0
                C.append(list(e))
                c.append(float(S.hi[j]))
            if math.isfinite(S.lo[j]):
                e[j] = -1.0
                C.append(list(e))
                c.append(-float(S.lo[j]))
        return C, c
    return None


def _mat(v: Any, where: str, rows: int, cols: int) -> list[list[float]]:
    if not isinstance(v, list) or len(v) != rows:
        raise _Reject(f"{where} must be a {rows}x{cols} matrix")
    return [_vec(r, f"{where}[{k}]", cols) for k, r in enumerate(v)]


def _closed_form(S: Any, M: list[list[Fraction]], gbar: list[Fraction], s: Fraction) -> Fraction:
    from constructions import Box

    d = len(gbar)
    if isinstance(S, Box):
        lo = [Q(float(v)) for v in S.lo]
        hi = [Q(float(v)) for v in S.hi]
        m = [(a + b) / 2 for a, b in zip(lo, hi, strict=True)]
        h = [(b - a) / 2 for a, b in zip(lo, hi, strict=True)]
        Mc = [[M[r][j] - gbar[r] * m[j] for j in range(d)] for r in range(d)]
        sc = s - sum((gbar[r] * m[r] for r in range(d)), Q(0))
        tot = Q(0)
        for r in range(d):
            if h[r]:
                tot += h[r] * max([abs(gbar[r])] + [abs(Mc[r][j]) / h[j] for j in range(d) if h[j] > 0])
        return tot - sc
    if S.dim == 1 or float(S.total) == 0:
        return Q(0)
    return sum((max(M[r][j] for r in range(d)) for j in range(d)), Q(0)) - s


def _invariant(S: Any, A: list[list[float]], b: list[float]) -> bool:
    """Whether z -> A z + b maps the box / simplex S into itself (rounding allowance 1e-12)."""
    from constructions import Box

    d = len(b)
    Aq = [[Q(v) for v in r] for r in A]
    bq = [Q(v) for v in b]
    if isinstance(S, Box):
        lo = [Q(float(v)) for v in S.lo]
        hi = [Q(float(v)) for v in S.hi]
        m = [(a + c) / 2 for a, c in zip(lo, hi, strict=True)]
        h = [(c - a) / 2 for a, c in zip(lo, hi, strict=True)]
        for r in range(d):
            ctr = sum((Aq[r][j] * m[j] for j in range(d)), Q(0)) + bq[r]
            rad = sum((abs(Aq[r][j]) * h[j] for j in range(d)), Q(0))
            tol = Q(1, 10**12) * (abs(lo[r]) + abs(hi[r]) + rad + abs(ctr) + 1)
            if ctr - rad < lo[r] - tol or ctr + rad > hi[r] + tol:
                return False
        return True
    t = Q(float(S.total))
    for j in range(d):  # the image of every vertex t e_j is in the simplex (exactly)
        col = [t * Aq[r][j] + bq[r] for r in range(d)]
        if any(v < 0 for v in col) or sum(col, Q(0)) != t:
            return False
    return True


def _gauss_solve(G: list[list[Fraction]], R: list[list[Fraction]]) -> list[list[Fraction]] | None:
    """Exact solution W of G W = R (G square) by Gauss-Jordan elimination; None if G is singular."""
    n = len(G)
    rows = [list(G[a]) + list(R[a]) for a in range(n)]
    for col in range(n):
        piv = next((r for r in range(col, n) if rows[r][col] != 0), None)
        if piv is None:
            return None
        rows[col], rows[piv] = rows[piv], rows[col]
        head = rows[col][col]
        rows[col] = [v / head for v in rows[col]]
        for r in range(n):
            f = rows[r][col]
            if r != col and f != 0:
                rows[r] = [a - f * b for a, b in zip(rows[r], rows[col], strict=True)]
    return [row[n:] for row in rows]


def _restore(
    C: list[list[Fraction]], V: list[list[Fraction]], T: list[list[Fraction]]
) -> list[list[Fraction]] | None:
    """The orthogonal correction V - C (C^T C)^{-1} (C^T V - T), which satisfies C^T V' = T exactly.

    ``C`` is m x d, ``V`` m x k and ``T`` d x k (all exact); None when C^T C is singular.
    """
    m = len(C)
    d = len(T)
    k = len(V[0]) if V else 0
    if d == 0:
        return [list(r) for r in V]
    G = [[sum((C[r][a] * C[r][b] for r in range(m)), Q(0)) for b in range(d)] for a in range(d)]
    res = [
        [sum((C[r][a] * V[r][col] for r in range(m)), Q(0)) - T[a][col] for col in range(k)] for a in range(d)
    ]
    W = _gauss_solve(G, res)
    if W is None:
        return None
    return [
        [V[r][col] - sum((C[r][a] * W[a][col] for a in range(d)), Q(0)) for col in range(k)] for r in range(m)
    ]


def _lp_dual_bound(
    C: list[list[float]],
    c: list[float],
    M: list[list[Fraction]],
    gbar: list[Fraction],
    s: Fraction,
    Y: list[list[float]],
    z: list[float],
    y: list[float],
    x0: list[float],
) -> Fraction | None:
    r"""Exact weak-duality bound of a recorded LP dual for the polytope :math:`\{w : Cw \le c\}`.

    ``certificates.md`` §3.3: any :math:`(Y, z)` with :math:`C^\top Y = -M`,
    :math:`C^\top z = \bar g`, :math:`z \ge 0` and :math:`YC^\top + zc^\top \ge 0` (entrywise)
    proves :math:`\max\mathrm{Gain} \le c^\top z - s`. Recorded float duals are made exactly
    feasible: the equalities by the orthogonal correction of :func:`_restore`; the sign
    constraints by :math:`z \leftarrow z + ty`, :math:`Y \leftarrow Y - t\,y x_0^\top` with the
    recorded :math:`y` (corrected to :math:`C^\top y = 0`; it must then be :math:`> 0`) and the
    recorded :math:`x_0` (it must be strictly interior, :math:`c - Cx_0 > 0`), which keep the
    equalities and add :math:`t\,y_i(c - Cx_0)_j > 0` to entry :math:`(i, j)` of
    :math:`YC^\top + zc^\top`; :math:`t \ge 0` is the smallest value that works, and the bound
    is :math:`c^\top z - s + t\,c^\top y`.

    Parameters
    ----------
    C, c : list
        The rows of the polytope (floats, read exactly).
    M, gbar, s : Fraction data
        Exact statistics of σ.
    Y, z : list
        The recorded dual (floats, read exactly).
    y, x0 : list
        The recorded positive vector with :math:`C^\top y \approx 0` and strictly interior point.

    Returns
    -------
    fractions.Fraction or None
        The exact bound, or None when the data cannot be used (singular :math:`C^\top C`,
        :math:`y` not positive, :math:`x_0` not strictly interior).
    """
    Cq = [[Q(v) for v in row] for row in C]
    cq = [Q(v) for v in c]
    m = len(Cq)
    d = len(gbar)
    Yr = _restore(Cq, [[Q(v) for v in row] for row in Y], [[-v for v in row] for row in M])
    zr = _restore(Cq, [[Q(v)] for v in z], [[v] for v in gbar])
    yr = _restore(Cq, [[Q(v)] for v in y], [[Q(0)] for _ in range(d)])
    if Yr is None or zr is None or yr is None:
        return None
    zc = [r[0] for r in zr]
    yc = [r[0] for r in yr]
    if any(v <= 0 for v in yc):
        return None
    room = [cq[j] - sum((Cq[j][a] * Q(x0[a]) for a in range(d)), Q(0)) for j in range(m)]
    if any(v <= 0 for v in room):
        return None
    t = Q(0)
    for i in range(m):
        if zc[i] < 0:
            t = max(t, -zc[i] / yc[i])
        for j in range(m):
            entry = sum((Yr[i][a] * Cq[j][a] for a in range(d)), Q(0)) + zc[i] * cq[j]
            if entry < 0:
                t = max(t, -entry / (yc[i] * room[j]))
    return (
        sum((a * b for a, b in zip(cq, zc, strict=True)), Q(0))
        - s
        + t * sum((a * b for a, b in zip(cq, yc, strict=True)), Q(0))
    )


def _ball_dual_bound(
    M: list[list[Fraction]],
    gbar: list[Fraction],
    s: Fraction,
    center: list[float],
    radius: float,
    S11: list[list[float]],
    S22: list[list[float]],
    eta: float,
) -> Fraction | None:
    r"""Exact weak-duality bound of a recorded S-lemma dual for the ball :math:`B(c_0, R)`.

    ``certificates.md`` §3.5: in centred coordinates (:math:`M^c = M - \bar g c_0^\top`,
    :math:`s_c = s - \langle\bar g, c_0\rangle`) every invariant map satisfies the LMI
    :math:`Z = [[I, A, \beta], [A^\top, \lambda I, 0], [\beta^\top, 0, (1 - \lambda)R^2]] \succeq 0`
    with :math:`0 \le \lambda \le 1`. For the symmetric
    :math:`S = [[S_{11}, -M^c/2, -\bar g/2], [\cdot, S_{22}, 0], [\cdot, 0, \mathrm{tr}S_{22}/R^2]]`,
    :math:`\langle S, Z\rangle = \mathrm{tr}S_{11} + \mathrm{tr}S_{22} - \langle M^c, A\rangle
    - \langle\bar g, \beta\rangle`, so :math:`S + \eta I \succeq 0` (checked by an exact
    :math:`LDL^\top`) gives :math:`\mathrm{Gain} \le \mathrm{tr}S_{11} + \mathrm{tr}S_{22} - s_c
    + \eta\,\mathrm{tr}Z` with :math:`\mathrm{tr}Z \le d + \max(d, R^2)`.

    Parameters
    ----------
    M, gbar, s : Fraction data
        Exact statistics of σ.
    center, radius : list, float
        The ball.
    S11, S22 : list
        The recorded dual blocks (symmetrised here).
    eta : float
        The recorded PSD shift.

    Returns
    -------
    fractions.Fraction or None
        The exact bound, or None when :math:`S + \eta I` is not PSD (or :math:`\eta < 0`,
        :math:`R \le 0`).
    """
    d = len(gbar)
    c0 = [Q(v) for v in center]
    R2 = Q(radius) ** 2
    e = Q(eta)
    if not radius > 0 or e < 0:
        return None
    Mc = [[M[r][j] - gbar[r] * c0[j] for j in range(d)] for r in range(d)]
    sc = s - sum((gbar[r] * c0[r] for r in range(d)), Q(0))
    A11 = [[Q(v) for v in row] for row in S11]
    A22 = [[Q(v) for v in row] for row in S22]
    tr11 = sum((A11[a][a] for a in range(d)), Q(0))
    tr22 = sum((A22[a][a] for a in range(d)), Q(0))
    n = 2 * d + 1
    S = [[Q(0)] * n for _ in range(n)]
    for a in range(d):
        for b in range(d):
            S[a][b] = (A11[a][b] + A11[b][a]) / 2
            S[d + a][d + b] = (A22[a][b] + A22[b][a]) / 2
            S[a][d + b] = -Mc[a][b] / 2
            S[d + b][a] = -Mc[a][b] / 2
        S[a][n - 1] = -gbar[a] / 2
        S[n - 1][a] = -gbar[a] / 2
    S[n - 1][n - 1] = tr22 / R2
    for a in range(n):
        S[a][a] += e
    if not _psd(S):
        return None
    return tr11 + tr22 - sc + e * (d + max(Q(d), R2))


def check_linear_deviation(doc: dict) -> CheckResult:
    """Re-verify a ``linear-deviation`` certificate (see :mod:`certificates._check`)."""
    from constructions import Ball, Box, Simplex

    game = _load_game(doc.get("game_spec"))
    n = len(game.dims)
    eps = _finite(doc.get("eps"), "eps", positive=True)
    if game.domain is None:
        raise _Reject("linear deviations need a bounded domain with one set per player")
    X, p = _distribution(doc, game)
    players = _players(doc, n)
    assumptions: list[str] = []
    bounds: list[Fraction | None] = []
    refuting: dict[int, Fraction] = {}
    rec_up: list[float] = []
    for i, rec in enumerate(players):
        w_ = f"players[{i}]"
        sl = game.slices()[i]
        d = game.dims[i]
        S = game.player_set(i, np.array(X[0]))
        kind = type(S).__name__.lower()
        if rec.get("set_kind") != kind:
            raise _Reject(f"{w_}.set_kind must be {kind!r}")
        meth = rec.get("method")
        up_rec = _num(rec.get("linear_gain_upper"), f"{w_}.linear_gain_upper", allow_inf=True)
        lo_rec = _num(rec.get("linear_gain_lower"), f"{w_}.linear_gain_lower", allow_inf=True)
        rec_up.append(up_rec)
        G, G_rec, err_lo = _gradients(game, i, X, rec.get("gradients"), f"{w_}.gradients")
        e_rec = _finite(rec.get("gradient_error"), f"{w_}.gradient_error", nonneg=True)
        Dq = Q(float(S.diameter()))
        # the bound uses the recorded gradients; the allowance D * sum_k p_k |g_rec - g| covers the
        # difference to the true gradients (re-proved here; trusted for callable games)
        if game.mode == "trusted-gradients":
            allow = Q(e_rec)
            if i == 0:
                assumptions.append(
                    "the recorded gradients of the callable game are exact up to the "
                    "recorded gradient_error (trusted)"
                )
        else:
            err_up = [
                _sqrt_up(
                    sum(
                        (
                            max(abs(Q(r) - lo), abs(Q(r) - hi)) ** 2
                            for r, (lo, hi) in zip(g, enc, strict=True)
                        ),
                        Q(0),
                    )
                )
                for g, enc in zip(G_rec, G, strict=True)
            ]
            allow = Dq * sum((pk * e for pk, e in zip(p, err_up, strict=True)), Q(0))
            if game.mode == "exact-rational" and Q(e_rec) < Dq * sum(
                (pk * e for pk, e in zip(p, err_lo, strict=True)), Q(0)
            ):
                raise _Reject(f"{w_}.gradient_error={e_rec!r} is smaller than the recorded gradients' error")
        Xi = [[Q(v) for v in x[sl]] for x in X]
        Gq = [[Q(v) for v in g] for g in G_rec]
        M, gbar, s = _stats(p, Xi, Gq)
        scale = sum((abs(v) for row in M for v in row), Q(0)) + sum((abs(v) for v in gbar), Q(0)) + abs(s) + 1
        scale = scale * (1 + abs(Dq)) + Q(e_rec)
        A_rec, b_rec = rec.get("witness_A"), rec.get("witness_b")
        bound: Fraction | None = None
        if meth == "closed-form":
            if not isinstance(S, (Simplex, Box)):
                raise _Reject(f"{w_}: closed forms exist only for simplices and boxes")
            if isinstance(S, Box) and not (np.all(np.isfinite(S.lo)) and np.all(np.isfinite(S.hi))):
                raise _Reject(f"{w_}: the box is unbounded")
            V = _closed_form(S, M, gbar, s)
            _exactly(f"{w_}.value", rec.get("value"), float(V))
            _exactly(f"{w_}.linear_gain_lower", lo_rec, float(V))
            if not (isinstance(S, Simplex) and (S.dim == 1 or float(S.total) == 0)):  # else V = 0
                A = _mat(A_rec, f"{w_}.witness_A", d, d)
                b = _vec(b_rec, f"{w_}.witness_b", d)
                if not _invariant(S, A, b):
                    raise _Reject(f"{w_}.witness_A/witness_b do not map the strategy set into itself")
                gA, gs = _map_gain(M, gbar, s, A, b)
                _win(f"{w_}: the witness map's gain", float(V), gA, gs)
            bound = V
            if V - allow > Q(eps) and Q(_down(V)) - Q(e_rec) > Q(eps):
                refuting[i] = V
            for key in ("polytope_C", "polytope_c"):
                if rec.get(key) != []:
                    raise _Reject(f"{w_}.{key} must be empty for a closed form")
            if rec.get("dual") != {}:
                raise _Reject(f"{w_}.dual must be empty for a closed form")
        elif meth == "lp-dual":
            data = _polytope_data(S)
            if data is None:
                raise _Reject(f"{w_}: the LP needs a simplex, box or inequality polytope")
            C, c = data
            dual = rec.get("dual")
            if dual == {} and rec.get("polytope_C") == [] and rec.get("polytope_c") == []:
                C, c = [], []  # the solver failed before the LP was posed: no bound
            elif rec.get("polytope_C") != C or rec.get("polytope_c") != c:
                raise _Reject(f"{w_}.polytope_C/polytope_c are not the rows of player {i}'s strategy set")
            if isinstance(S, Simplex):  # reduced coordinates: z[:-1], gradients g_j - g_d (exact)
                Ms, gs_, ss = _stats(p, [x[:-1] for x in Xi], [[v - g[-1] for v in g[:-1]] for g in Gq])
                de = d - 1
            else:
                Ms, gs_, ss = M, gbar, s
                de = d
            if isinstance(dual, dict) and set(dual) == {"Y", "z", "y", "x0"}:
                m = len(C)
                bound = _lp_dual_bound(
                    C,
                    c,
                    Ms,
                    gs_,
                    ss,
                    _mat(dual["Y"], f"{w_}.dual.Y", m, de),
                    _vec(dual["z"], f"{w_}.dual.z", m),
                    _vec(dual["y"], f"{w_}.dual.y", m),
                    _vec(dual["x0"], f"{w_}.dual.x0", de),
                )
            elif dual != {}:
                raise _Reject(f"{w_}.dual must hold Y, z, y, x0")
            if A_rec:
                A = _mat(A_rec, f"{w_}.witness_A", de, de)
                b = _vec(b_rec, f"{w_}.witness_b", de)
                gA, gs2 = _map_gain(Ms, gs_, ss, A, b)
                _win(f"{w_}.linear_gain_lower", lo_rec, gA, gs2)
            else:
                _exactly(f"{w_}.linear_gain_lower", lo_rec, -math.inf)
        elif meth == "sdp-dual":
            if not isinstance(S, Ball):
                raise _Reject(f"{w_}: the SDP is for balls")
            dual = rec.get("dual")
            if isinstance(dual, dict) and set(dual) == {"S11", "S22", "eta"}:
                bound = _ball_dual_bound(
                    M,
                    gbar,
                    s,
                    [float(v) for v in S.center],
                    float(S.radius),
                    _mat(dual["S11"], f"{w_}.dual.S11", d, d),
                    _mat(dual["S22"], f"{w_}.dual.S22", d, d),
                    _finite(dual["eta"], f"{w_}.dual.eta"),
                )
            elif dual != {}:
                raise _Reject(f"{w_}.dual must hold S11, S22, eta")
            if A_rec:
                A = _mat(A_rec, f"{w_}.witness_A", d, d)
                b = _vec(b_rec, f"{w_}.witness_b", d)
                gA, gs2 = _map_gain(M, gbar, s, A, b)
                _win(f"{w_}.linear_gain_lower", lo_rec, gA, gs2)
            else:
                _exactly(f"{w_}.linear_gain_lower", lo_rec, -math.inf)
        elif meth == "none":
            bound = None
        else:
            raise _Reject(f"{w_}.method={meth!r} is not a known method")
        if bound is None:
            _exactly(f"{w_}.linear_gain_upper", up_rec, math.inf)
            bounds.append(None)
            continue
        if not math.isfinite(up_rec) or Q(up_rec) < bound + allow - _S * scale:
            raise _Reject(
                f"{w_}.linear_gain_upper={up_rec!r} is below the recomputed bound {float(bound + allow):.17g}"
            )
        _win(f"{w_}.linear_gain_upper", up_rec, bound + Q(e_rec), scale)
        bounds.append(bound + allow)
    eu = _num(doc.get("epsilon_upper"), "epsilon_upper", allow_inf=True)
    if eu != max(rec_up, default=0.0):
        raise _Reject(f"epsilon_upper={eu!r} is not the maximum of the players' bounds")
    _exactly("slack", doc.get("slack"), eps - eu)
    verdict = doc.get("verdict")
    wp = doc.get("witness_player")
    wg = doc.get("witness_gain")
    if verdict == "REFUTED":
        if isinstance(wp, bool) or wp not in refuting:
            raise _Reject(f"witness_player={wp!r} has no closed-form gain that exceeds eps")
        # the certifier keeps the first player with the largest (float) refuting gain
        fl = {
            i: _down(v) - _finite(players[i].get("gradient_error"), "gradient_error")
            for i, v in refuting.items()
        }
        if wp != min(i for i in fl if fl[i] == max(fl.values())):
            raise _Reject(f"witness_player={wp!r} is not the first player with the largest refuting gain")
        e_w = Q(_finite(players[wp].get("gradient_error"), "gradient_error"))
        _win("witness_gain", _finite(wg, "witness_gain"), refuting[wp] - e_w, abs(refuting[wp]) + 1)
        if not _finite(wg, "witness_gain") > eps:
            raise _Reject("witness_gain does not exceed eps")
    else:
        if wp is not None or not _is_nan(wg):
            raise _Reject(
                f"a {verdict} certificate carries no witness (witness_player null, witness_gain nan)"
            )
        if refuting:
            raise _Reject(
                f"verdict={verdict!r} but player {min(refuting)}'s exact closed-form gain exceeds eps"
            )
        top = None if any(b is None for b in bounds) else max(bounds, default=Q(0))
        if verdict == "VERIFIED":
            if top is None or top > Q(eps):
                raise _Reject(
                    "the recomputed bound does not prove the claim: max_i gain_i <= "
                    f"{'inf' if top is None else f'{float(top):.17g}'} is not <= eps={eps!r}"
                )
        elif top is not None and top <= Q(eps) * (1 - Q(1, 10**6)) and not doc.get("reasons"):
            raise _Reject("the verdict INCONCLUSIVE is inconsistent: the recomputed bound proves the claim")
    method = game.mode
    return CheckResult(True, doc["kind"], method, "re-verified", tuple(dict.fromkeys(assumptions)))


# ---------------------------------------------------------------------------------
# small gain
# ---------------------------------------------------------------------------------


def _psd(S: list[list[Fraction]]) -> bool:
    """Exact positive semidefiniteness by symmetric Gaussian elimination (LDL^T)."""
    A = [list(r) for r in S]
    n = len(A)
    for k in range(n):
        if A[k][k] < 0:
            return False
        if A[k][k] == 0:
            if any(A[k][j] != 0 or A[j][k] != 0 for j in range(k + 1, n)):
                return False
            continue
        for i in range(k + 1, n):
            f = A[i][k] / A[k][k]
            if f:
                for j in range(k + 1, n):
                    A[i][j] -= f * A[k][j]
    return True


def _shift(M: list[list[Fraction]], t: Fraction) -> list[list[Fraction]]:
    return [[v - (t if a == b else 0) for b, v in enumerate(r)] for a, r in enumerate(M)]


def _gram_gap(t: Fraction, B: list[list[Fraction]]) -> list[list[Fraction]]:
    """t^2 I - B^T B."""
    n = len(B[0]) if B else 0
    return [
        [(t * t if a == b else 0) - sum((r[a] * r[b] for r in B), Q(0)) for b in range(n)] for a in range(n)
    ]


def _norm_checks(where: str, L: float, Bhi: list[list[Fraction]], Blo: list[list[Fraction]]) -> None:
    """L >= ||Bhi||_2 (proved) and L <= (1 + 1e-9) ||Blo||_2 + tiny (tight)."""
    t = Q(L)
    if not _psd(_gram_gap(t, Bhi)):
        raise _Reject(f"{where}={L!r} is not an upper bound on the norm it bounds")
    if any(v for r in Blo for v in r) and _psd(_gram_gap(t / (1 + _W) - Q(1, 10**300), Blo)):
        raise _Reject(f"{where}={L!r} is larger than the norm it bounds (beyond the rounding window)")
    if not any(v for r in Blo for v in r) and t > Q(1, 10**300) and not any(v for r in Bhi for v in r):
        raise _Reject(f"{where}={L!r} must be 0")


def _reprove_constants(ev: Any, mu: list[float], Lc: list[list[float]], norms: list[float] | None) -> str:
    """Re-prove rigorous constants from their evidence; returns the method used."""
    n = len(mu)
    if not isinstance(ev, dict):
        raise _Reject("constants_rigorous needs constants_evidence to re-prove the constants")
    if set(ev) == {"jacobian", "dims"}:
        dims = [int(v) for v in ev["dims"]] if isinstance(ev["dims"], list) else []
        N = sum(dims)
        if len(dims) != n or any(v < 1 for v in dims):
            raise _Reject("constants_evidence.dims must give one block size per player")
        J = _mat(ev["jacobian"], "constants_evidence.jacobian", N, N)
        Jq = [[Q(v) for v in r] for r in J]
        mid = Jq
        rad: list[list[Fraction]] = [[Q(0)] * N for _ in range(N)]
        method = "exact-rational"
    elif set(ev) == {"game_spec", "lo", "hi"}:
        from constructions._arb import ArbUnsupported, arb_eval, arb_lower, arb_upper, box_ball

        game = _load_game(ev["game_spec"])
        if not game.sympy:
            raise _Reject("constants_evidence.game_spec must define a sympy game")
        N = sum(game.dims)
        dims = list(game.dims)
        if len(dims) != n:
            raise _Reject("constants_evidence.game_spec has the wrong number of players")
        lo = _vec(ev["lo"], "constants_evidence.lo", N)
        hi = _vec(ev["hi"], "constants_evidence.hi", N)
        if any(a > b for a, b in zip(lo, hi, strict=True)):
            raise _Reject("constants_evidence.lo must be <= hi")
        env = {s: box_ball(a, b) for s, a, b in zip(game.symbols, lo, hi, strict=True)}
        mid = [[Q(0)] * N for _ in range(N)]
        rad = [[Q(0)] * N for _ in range(N)]
        starts = np.cumsum([0, *dims])
        for i in range(n):
            for a_ix, a in enumerate(game.players[i]):
                gi = sp.diff(game.utilities[i], a)
                for b_ix, b in enumerate(game.symbols):
                    try:
                        ball = arb_eval(-sp.diff(gi, b), env)
                    except (ArbUnsupported, ZeroDivisionError, ValueError):
                        raise _Reject("the game's Jacobian cannot be enclosed in ball arithmetic") from None
                    lo_v, hi_v = arb_lower(ball), arb_upper(ball)
                    if not (math.isfinite(lo_v) and math.isfinite(hi_v)):
                        raise _Reject("the game's Jacobian is unbounded on the region box")
                    r = int(starts[i]) + a_ix
                    mid[r][b_ix] = (Q(lo_v) + Q(hi_v)) / 2
                    rad[r][b_ix] = (Q(hi_v) - Q(lo_v)) / 2
        method = "ball-arithmetic"
    else:
        raise _Reject("constants_evidence must be {jacobian, dims} or {game_spec, lo, hi}")
    starts = np.cumsum([0, *dims])
    blk = [range(int(starts[i]), int(starts[i + 1])) for i in range(n)]
    for i in range(n):
        I = blk[i]
        sym = [[(mid[a][b] + mid[b][a]) / 2 for b in I] for a in I]
        radF = _sqrt_up(sum((rad[a][b] ** 2 for a in I for b in I), Q(0)))
        m = Q(mu[i])
        if not _psd(_shift(sym, m + radF)):
            raise _Reject(f"mu[{i}]={mu[i]!r} is not a lower bound on the own-block curvature")
        if _psd(_shift(sym, m + radF + _W * (1 + abs(m) + radF))):
            raise _Reject(f"mu[{i}]={mu[i]!r} is below the proved curvature (beyond the rounding window)")
        for j in range(n):
            hiB = [[abs(mid[a][b]) + rad[a][b] for b in blk[j]] for a in I]
            loB = [[max(abs(mid[a][b]) - rad[a][b], Q(0)) for b in blk[j]] for a in I]
            if j == i:
                if norms is not None:
                    _norm_checks(f"norms[{i}]", norms[i], hiB, hiB)
            else:
                _norm_checks(
                    f"couplings[{i}][{j}]", Lc[i][j], hiB, hiB if method == "exact-rational" else loB
                )
    return method


def _smallest_real_root(A: list[list[Fraction]], lo: Fraction, hi: Fraction) -> bool:
    """Whether det(A - tI) has a root in [lo, hi] and none below lo."""
    n = len(A)
    t = sp.Symbol("t")
    Ms = sp.Matrix(n, n, [sp.Rational(v.numerator, v.denominator) for r in A for v in r])
    P = sp.Poly((Ms - t * sp.eye(n)).det(), t)
    L, H = sp.Rational(lo.numerator, lo.denominator), sp.Rational(hi.numerator, hi.denominator)
    below = P.count_roots(-sp.oo, L) - (1 if P.eval(L) == 0 else 0)
    return below == 0 and P.count_roots(L, H) > 0


def _minors(A: list[list[Fraction]]) -> list[Fraction]:
    out = []
    n = len(A)
    for k in range(1, n + 1):
        M = [list(r[:k]) for r in A[:k]]
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


def _sqrt_tight(where: str, rec: Any, val: Fraction, add: Fraction = _ZERO) -> None:
    """rec >= sqrt(val) + add (proved) and rec <= (1 + 1e-9) sqrt(val) + add + tiny."""
    q = _finite(rec, where, nonneg=True)
    r = Q(q) - add
    if r < 0 or r * r < val:
        raise _Reject(f"{where}={rec!r} is not an upper bound on its contraction factor")
    if r > _sqrt_up(val) * (1 + _W) + Q(1, 10**15) * (1 + add):
        raise _Reject(f"{where}={rec!r} is larger than the recomputed factor (beyond the rounding window)")


def check_small_gain(doc: dict) -> CheckResult:
    """Re-verify a ``small-gain`` certificate (see :mod:`certificates._check`)."""
    mu = _vec(doc.get("mu"), "mu")
    n = len(mu)
    if n < 1:
        raise _Reject("mu must be non-empty")
    Lc = _mat(doc.get("couplings"), "couplings", n, n)
    if any(Lc[i][j] < 0 for i in range(n) for j in range(n)) or any(Lc[i][i] != 0 for i in range(n)):
        raise _Reject("couplings must be nonnegative with a zero diagonal")
    norms = None if doc.get("norms") is None else _vec(doc.get("norms"), "norms", n)
    if norms is not None and any(not v >= abs(m) for v, m in zip(norms, mu, strict=True)):
        raise _Reject("norms must satisfy norms_i >= |mu_i|")
    rig, est = doc.get("constants_rigorous"), doc.get("constants_estimate")
    if not isinstance(rig, bool) or not isinstance(est, bool) or (rig and est):
        raise _Reject("constants_rigorous / constants_estimate must be booleans, not both true")
    assumptions: list[str] = []
    method = "exact-rational"
    if rig:
        method = _reprove_constants(doc.get("constants_evidence"), mu, Lc, norms)
    else:
        if doc.get("constants_evidence") is not None:
            raise _Reject("constants_evidence is recorded but the constants are not marked rigorous")
        assumptions.append(
            "the curvatures, couplings and norms are "
            + ("sampling ESTIMATES (never verified)" if est else "declared (assumed)")
        )
    alpha_min = _finite(doc.get("alpha_min"), "alpha_min")
    w = _vec(doc.get("weights"), "weights", n)
    if any(not v > 0 for v in w):
        raise _Reject("weights must be positive")
    wq = [Q(v) for v in w]
    muq = [Q(v) for v in mu]
    Lq = [[Q(v) for v in r] for r in Lc]
    A = [[muq[i] if i == j else -Lq[i][j] for j in range(n)] for i in range(n)]
    amax = max(abs(v) for r in A for v in r) + 1
    # tau(A): the smallest real eigenvalue of the Z-matrix A (or of the certifier's 1e-12
    # perturbation of a reducible A), located exactly by Sturm sequences
    tau = _finite(doc.get("tau"), "tau")
    win = _W * amax
    ok = _smallest_real_root(A, Q(tau) - win, Q(tau) + win)
    if not ok:
        Ap = np.array([[float(v) for v in r] for r in A]) - 1e-12 * (np.ones((n, n)) - np.eye(n))
        ok = _smallest_real_root([[Q(float(v)) for v in r] for r in Ap], Q(tau) - win, Q(tau) + win)
    if not ok:
        raise _Reject(f"tau={tau!r} is not the smallest eigenvalue of diag(mu) - L")
    # the margin alpha of the weights: C(w) - 2 alpha W PSD, and not PSD for alpha + window
    C = [
        [2 * wq[i] * muq[i] if i == j else -(wq[i] * Lq[i][j] + wq[j] * Lq[j][i]) for j in range(n)]
        for i in range(n)
    ]
    alpha = _num(doc.get("alpha"), "alpha", allow_inf=True)
    if alpha != -math.inf:
        if not math.isfinite(alpha):
            raise _Reject("alpha must be finite or -inf")
        aq = Q(alpha)

        def cw(a: Fraction) -> list[list[Fraction]]:
            return [[C[i][j] - (2 * a * wq[i] if i == j else 0) for j in range(n)] for i in range(n)]

        if not _psd(cw(aq)):
            raise _Reject(f"alpha={alpha!r} is not a lower bound on the margin of the recorded weights")
        if _psd(cw(aq + _W * (1 + abs(aq)))):
            raise _Reject(f"alpha={alpha!r} is below the margin of the recorded weights (beyond the window)")
    # beta >= ||B||_2, B_ij = sqrt(w_i / w_j) N_ij
    beta = _num(doc.get("beta"), "beta", allow_inf=True)
    if norms is None:
        _exactly("beta", beta, math.inf)
    else:
        Nm = [[Q(norms[i]) if i == j else Lq[i][j] for j in range(n)] for i in range(n)]
        Bhi = [[_sqrt_up(wq[i] / wq[j]) * Nm[i][j] for j in range(n)] for i in range(n)]
        Blo = [[_sqrt_down(wq[i] / wq[j]) * Nm[i][j] for j in range(n)] for i in range(n)]
        if not math.isfinite(beta):
            raise _Reject("beta must be finite when norms are given")
        _norm_checks("beta", beta, Bhi, Blo)
    # step sizes and contraction factors
    keys = ("euler_step", "euler_step_max", "euler_factor", "rk4_step", "rk4_factor")
    if alpha != -math.inf and alpha > 0 and math.isfinite(beta) and beta > 0:
        a, b = Q(alpha), Q(beta)
        h = _finite(doc.get("euler_step"), "euler_step", positive=True)
        _exactly("euler_step", h, float(a / (b * b)))
        _exactly("euler_step_max", doc.get("euler_step_max"), float(2 * a / (b * b)))
        hq = Q(h)
        _sqrt_tight("euler_factor", doc.get("euler_factor"), max(Q(0), 1 - 2 * hq * a + hq * hq * b * b))
        hr = _finite(doc.get("rk4_step"), "rk4_step", positive=True)
        if hr not in {float(f) * h for f in np.linspace(0.02, 1.0, 50)}:
            raise _Reject(f"rk4_step={hr!r} is not one of the scanned steps k * euler_step")
        hrq = Q(hr)
        hb = hrq * b
        _sqrt_tight(
            "rk4_factor",
            doc.get("rk4_factor"),
            max(Q(0), 1 - 2 * hrq * a + hrq * hrq * b * b),
            hb**2 / 2 + hb**3 / 6 + hb**4 / 24,
        )
    else:
        for k in keys:
            _exactly(k, doc.get(k), math.nan)
    _exactly(
        "rk4_guideline",
        doc.get("rk4_guideline"),
        2.5 / beta if math.isfinite(beta) and beta > 0 else math.nan,
    )
    # two-player band
    band = doc.get("band")
    if n == 2:
        m1, m2 = muq
        L12, L21 = Lq[0][1], Lq[1][0]
        P = m1 * m2
        want: tuple[Fraction, Fraction | None] | None
        if m1 <= 0 or m2 <= 0 or P <= L12 * L21:
            want = None
        elif L21 == 0:
            want = (L12 * L12 / (4 * P) if L12 else Q(0), None)
        else:
            rt = 2 * _sqrt_up(P * (P - L12 * L21))
            want = ((2 * P - L12 * L21 - rt) / L21**2, (2 * P - L12 * L21 + rt) / L21**2)
        if want is None:
            if band is not None:
                raise _Reject("band must be null: no weight ratio gives a positive margin")
        else:
            if not isinstance(band, list) or len(band) != 2:
                raise _Reject("band must be [r_lo, r_hi]")
            bscale = (2 * P + L12 * L21) / (L21**2 if L21 else 1) + 1
            _win("band[0]", _finite(band[0], "band[0]", nonneg=True), want[0], bscale)
            if want[1] is None:
                _exactly("band[1]", band[1], math.inf)
            else:
                _win("band[1]", _finite(band[1], "band[1]"), want[1], bscale)
    elif band is not None:
        raise _Reject("band is only defined for two players")
    # the claim
    minors = _minors([[A[i][j] - (Q(alpha_min) if i == j else 0) for j in range(n)] for i in range(n)])
    refuted = any(m <= 0 for m in minors)
    if doc.get("minors") != ([str(m) for m in minors] if refuted else []):
        raise _Reject("minors differ from the exact leading principal minors of diag(mu) - L - alpha_min I")
    if alpha != -math.inf:
        _exactly("slack", doc.get("slack"), alpha - alpha_min)
    else:
        _exactly("slack", doc.get("slack"), -math.inf)
    verdict = doc.get("verdict")
    proved = alpha != -math.inf and alpha > alpha_min
    if est:
        want_v = "INCONCLUSIVE"
    elif refuted:
        want_v = "REFUTED"
    elif proved:
        want_v = "VERIFIED"
    else:
        want_v = "INCONCLUSIVE"
    sdp_failed = "weights_sdp" in " ".join(str(r) for r in doc.get("reasons", []))
    if verdict != want_v and not (want_v == "VERIFIED" and verdict == "INCONCLUSIVE" and sdp_failed):
        raise _Reject(f"verdict={verdict!r} but the recomputation gives {want_v}")
    if rig:
        assumptions.append(f"the constants were re-proved ({method}) on the recorded region")
    assumptions.append(
        "contraction holds for trajectories (and RK4 stages) that stay in the region of the constants"
    )
    return CheckResult(True, doc["kind"], method, "re-verified", tuple(assumptions))
