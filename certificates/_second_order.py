r"""Second-order point certificates: Newton–Kantorovich, differential Nash, strict local minimax.

Conventions (``certificates.md`` §1.2–1.3). Players maximise :math:`u_i`; the
**pseudo-gradient** is :math:`\omega(x) = (\nabla_{x_1}u_1(x), \dots, \nabla_{x_n}u_n(x))`
(the notes' :math:`\omega` for costs :math:`f_i = -u_i` is :math:`-\omega`; both have the
same zeros and Jacobians of opposite sign, which changes nothing below) and
:math:`J(x) = D\omega(x)` is the **game Jacobian**.

**Newton–Kantorovich** [M, Kantorovich; ``certificates.md`` §1.2(c)]. If
:math:`\beta \ge \|J(\tilde x)^{-1}\|_2`, :math:`\eta_0 \ge \|J(\tilde x)^{-1}\omega(\tilde x)\|_2`
and :math:`\gamma` is a Lipschitz constant of :math:`J` on the ball :math:`B(\tilde x, r)`
with :math:`r \ge r^*`, and

.. math::

    h = \beta\gamma\eta_0 \le \tfrac12, \qquad
    r^* = \frac{1 - \sqrt{1 - 2h}}{\beta\gamma} = \frac{2\eta_0}{1 + \sqrt{1 - 2h}},

then :math:`\omega` has a zero :math:`x^*` in the closed ball :math:`\bar B(\tilde x, r^*)`,
unique in the open ball of radius :math:`\min(r, r^{**})`,
:math:`r^{**} = (1 + \sqrt{1-2h})/(\beta\gamma)` (:math:`\infty` when :math:`\gamma = 0`).
Since :math:`r^* \le 2\eta_0`, localeq takes :math:`r = \max(2\eta_0, \text{radius})`.

How the three constants are made rigorous:

* **sympy games with rational-function utilities** (``"exact-rational"``): :math:`J(\tilde x)`
  and :math:`\omega(\tilde x)` are evaluated exactly in :class:`fractions.Fraction` (floats
  are dyadic rationals), :math:`J(\tilde x)^{-1}` and :math:`J^{-1}\omega` are computed
  exactly, and norms use :math:`\|M\|_2 \le \min(\|M\|_F, \sqrt{\|M\|_1\|M\|_\infty})` with
  upward-rounded square roots.
* **other sympy games** (``"ball-arithmetic"``): entries are enclosed by python-flint
  ``arb`` balls, :math:`J = M + E`, :math:`|E| \le R`; with :math:`q \ge \||M^{-1}|R\|_2 < 1`,
  :math:`\|J^{-1}\| \le \|M^{-1}\|/(1-q)` and
  :math:`\|J^{-1}\omega\| \le (\|M^{-1}\omega_m\| + \||M^{-1}|\omega_r\|)/(1-q)` (Neumann series).
* :math:`\gamma` for sympy games: every third derivative :math:`\partial_c J_{ab}` is enclosed
  on the box :math:`B_\infty(\tilde x, r) \supseteq B(\tilde x, r)` and
  :math:`\gamma = (\sum_{abc} \sup|\partial_c J_{ab}|^2)^{1/2}` (mean-value theorem entrywise,
  then :math:`\|\cdot\|_2 \le \|\cdot\|_F`).
* **callable games**: :math:`J(\tilde x)` is a central-difference estimate and
  :math:`\omega(\tilde x)` the float oracle (both recorded, and listed as *assumptions*),
  :math:`\gamma` must be declared (``jacobian_lipschitz=``; an assumption).

**Definiteness with a margin** (``certificates.md`` §1.2(c), §7.6). A symmetric block
:math:`H(x)` is enclosed entrywise on the box :math:`B_\infty(\tilde x, r^*)` (which
contains :math:`x^*`): :math:`H \in [M - R, M + R]`. By Weyl,
:math:`|\lambda_k(H) - \lambda_k(M)| \le \|H - M\|_2 \le \tau`, :math:`\tau \ge \|R\|_2`, so
:math:`M + \tau I \prec 0` proves :math:`H \prec 0` for the whole box; it is decided by an
**exact** :math:`LDL^\top` of :math:`-(M + \tau I)` in Fractions. A wrong sign is proved by a
vector :math:`v` with :math:`v^\top M v - |v|^\top R |v| > 0` (exact). Anything else --
zero or near-zero eigenvalues -- is *undecided* and gives INCONCLUSIVE, never VERIFIED.

**Differential Nash** (Ratliff–Burden–Sastry): :math:`\omega(x^*) = 0` and every own Hessian
:math:`\nabla^2_{x_ix_i}u_i(x^*) \prec 0`; such a point (interior) is a strict local Nash
equilibrium [M]. **Strict local minimax** (Jin–Netrapalli–Jordan 2020) of
:math:`\min_x\max_y f`: :math:`\nabla f = 0`, :math:`B = \nabla^2_{yy}f \prec 0` and
:math:`A - CB^{-1}C^\top \succ 0`; by Haynsworth inertia additivity, given :math:`B \prec 0`
the Schur condition is equivalent to :math:`\mathrm{In}(\nabla^2 f) = (d_x, d_y, 0)`. With the
enclosure radius :math:`\tau`, "every :math:`H` in the box has inertia :math:`(d_x, d_y, 0)`"
follows from :math:`M - \tau I` having :math:`d_x` positive and :math:`M + \tau I` having
:math:`d_y` negative eigenvalues (exact inertia by symmetric :math:`LDL^\top` with 1×1/2×2
pivots, Sylvester's law).

All derived numbers in the records are **upward (or downward) roundings of exact
rationals** -- the smallest float above (largest below) -- so an independent checker can
recompute them bit for bit (:mod:`certificates._check`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from constructions import Ball, Box, ConvexSet, Game, InvalidArgument, ProductSet
from constructions._validation import as_real

from ._guard import utility_problem
from ._records import SCHEMA_VERSION, CertificateRecord, Verdict

__all__ = [
    "KantorovichCertificate",
    "HessianTest",
    "DifferentialNashCertificate",
    "LocalMinimaxCertificate",
    "certify_kantorovich",
    "certify_differential_nash",
    "certify_local_minimax",
    "exact_inertia",
]

Interval = tuple[Fraction, Fraction]  # (mid, rad) with rad >= 0


# ---------------------------------------------------------------------------------
# exact helpers
# ---------------------------------------------------------------------------------


def _float_up(q: Fraction) -> float:
    """Smallest float ``>= q`` (``inf`` on overflow)."""
    try:
        f = float(q)
    except OverflowError:
        return math.inf if q > 0 else -math.inf
    while Fraction(f) < q:
        f = math.nextafter(f, math.inf)
    while math.isfinite(f) and Fraction(math.nextafter(f, -math.inf)) >= q:
        f = math.nextafter(f, -math.inf)
    return f


def _float_down(q: Fraction) -> float:
    """Largest float ``<= q``."""
    return -_float_up(-q)


def _sqrt_up(q: Fraction) -> Fraction:
    """A rational (a float) ``>= sqrt(q)``: the smallest float whose square is ``>= q``."""
    if q <= 0:
        return Fraction(0)
    s = math.sqrt(float(q)) if q < Fraction(10) ** 300 else math.inf
    if not math.isfinite(s):
        raise OverflowError("square root out of float range")
    while Fraction(s) ** 2 < q:
        s = math.nextafter(s, math.inf)
    while s > 0 and Fraction(math.nextafter(s, -math.inf)) ** 2 >= q:
        s = math.nextafter(s, -math.inf)
    return Fraction(s)


def _sqrt_down(q: Fraction) -> Fraction:
    """A rational (a float) ``<= sqrt(q)``: the largest float whose square is ``<= q``."""
    if q <= 0:
        return Fraction(0)
    s = math.sqrt(float(q))
    while s > 0 and Fraction(s) ** 2 > q:
        s = math.nextafter(s, -math.inf)
    while Fraction(math.nextafter(s, math.inf)) ** 2 <= q:
        s = math.nextafter(s, math.inf)
    return Fraction(s)


def _norm2_upper(M: Sequence[Sequence[Fraction]]) -> Fraction:
    r"""Upper bound on :math:`\|M\|_2`: :math:`\min(\|M\|_F, \sqrt{\|M\|_1\|M\|_\infty})`."""
    if not M or not M[0]:
        return Fraction(0)
    fro = sum((v * v for row in M for v in row), Fraction(0))
    one = max(sum((abs(M[i][j]) for i in range(len(M))), Fraction(0)) for j in range(len(M[0])))
    inf = max(sum((abs(v) for v in row), Fraction(0)) for row in M)
    return min(_sqrt_up(fro), _sqrt_up(one * inf))


def _vec_norm_upper(v: Sequence[Fraction]) -> Fraction:
    return _sqrt_up(sum((a * a for a in v), Fraction(0)))


def _inverse(M: Sequence[Sequence[Fraction]]) -> list[list[Fraction]] | None:
    """Exact inverse by Gauss–Jordan elimination (None when singular)."""
    n = len(M)
    A = [list(row) + [Fraction(int(i == j)) for j in range(n)] for i, row in enumerate(M)]
    for col in range(n):
        piv = next((r for r in range(col, n) if A[r][col] != 0), None)
        if piv is None:
            return None
        A[col], A[piv] = A[piv], A[col]
        p = A[col][col]
        A[col] = [v / p for v in A[col]]
        for r in range(n):
            if r != col and A[r][col] != 0:
                f = A[r][col]
                A[r] = [a - f * b for a, b in zip(A[r], A[col], strict=True)]
    return [row[n:] for row in A]


def _matvec(M: Sequence[Sequence[Fraction]], v: Sequence[Fraction]) -> list[Fraction]:
    return [sum((a * b for a, b in zip(row, v, strict=True)), Fraction(0)) for row in M]


def _matmul(A: Sequence[Sequence[Fraction]], B: Sequence[Sequence[Fraction]]) -> list[list[Fraction]]:
    cols = list(zip(*B, strict=True))
    return [[sum((a * b for a, b in zip(row, col, strict=True)), Fraction(0)) for col in cols]
            for row in A]


def exact_inertia(M: Sequence[Sequence[Any]]) -> tuple[int, int, int]:
    r"""Inertia ``(n_+, n_-, n_0)`` of a symmetric rational matrix, exactly.

    Symmetric :math:`LDL^\top` with 1×1 pivots on nonzero diagonal entries and 2×2
    pivots :math:`\begin{pmatrix}0&a\\a&0\end{pmatrix}` (inertia (1, 1, 0)) when the
    diagonal vanishes; each step is a congruence, so Sylvester's law of inertia gives
    the count. Entries are converted to :class:`~fractions.Fraction` exactly.

    Parameters
    ----------
    M : sequence of sequences
        A symmetric matrix (ints, floats, Fractions).

    Returns
    -------
    tuple of int
        ``(n_+, n_-, n_0)``.

    Examples
    --------
    >>> exact_inertia([[0, 1], [1, 0]])
    (1, 1, 0)
    >>> exact_inertia([[2, 0, 0], [0, -1, 0], [0, 0, 0]])
    (1, 1, 1)
    """
    A = [[Fraction(v) for v in row] for row in M]
    n = len(A)
    if any(len(row) != n for row in A):
        raise InvalidArgument(f"M must be square, got shape ({n}, {[len(r) for r in A]})")
    if any(A[i][j] != A[j][i] for i in range(n) for j in range(i)):
        raise InvalidArgument("M must be symmetric")
    pos = neg = 0
    while A:
        n = len(A)
        k = next((i for i in range(n) if A[i][i] != 0), None)
        if k is not None:
            p = A[k][k]
            pos, neg = (pos + 1, neg) if p > 0 else (pos, neg + 1)
            rest = [i for i in range(n) if i != k]
            A = [[A[i][j] - A[i][k] * A[k][j] / p for j in rest] for i in rest]
            continue
        pair = next(((i, j) for i in range(n) for j in range(i + 1, n) if A[i][j] != 0), None)
        if pair is None:
            return pos, neg, n
        i, j = pair
        a = A[i][j]
        pos, neg = pos + 1, neg + 1
        rest = [t for t in range(n) if t not in (i, j)]
        # Schur complement of the block [[0, a], [a, 0]] (inverse [[0, 1/a], [1/a, 0]])
        A = [[A[s][t] - (A[s][i] * A[j][t] + A[s][j] * A[i][t]) / a for t in rest] for s in rest]
    return pos, neg, 0


def _positive_definite(M: Sequence[Sequence[Fraction]]) -> bool:
    """Exact LDLᵀ test (all pivots > 0)."""
    A = [list(row) for row in M]
    n = len(A)
    for k in range(n):
        p = A[k][k]
        if p <= 0:
            return False
        for i in range(k + 1, n):
            f = A[i][k] / p
            if f:
                for j in range(k + 1, n):
                    A[i][j] -= f * A[k][j]
    return True


def _shift(M: Sequence[Sequence[Fraction]], t: Fraction) -> list[list[Fraction]]:
    return [[v + (t if i == j else 0) for j, v in enumerate(row)] for i, row in enumerate(M)]


def _sub(Z: Sequence[Sequence[Fraction]], rows: Sequence[int], cols: Sequence[int]) -> list[list[Fraction]]:
    return [[Z[a][b] for b in cols] for a in rows]


def _neg(M: Sequence[Sequence[Fraction]]) -> list[list[Fraction]]:
    return [[-v for v in row] for row in M]


# ---------------------------------------------------------------------------------
# enclosures of sympy expressions
# ---------------------------------------------------------------------------------


def _rational_point(x: np.ndarray) -> list[Fraction]:
    return [Fraction(float(v)) for v in x]


def _is_rational_game(game: Game) -> bool:
    data = game.sympy_data
    return data is not None and all(u.is_rational_function(*data.symbols) for u in data.utilities)


def _exact_value(expr: sp.Expr, subs: dict) -> Fraction | None:
    try:
        val = expr.xreplace(subs)
    except ZeroDivisionError:
        return None
    if not val.is_Rational:
        return None
    return Fraction(int(val.p), int(val.q))


def _enclose(exprs: Sequence[sp.Expr], symbols: Sequence[sp.Symbol], x: np.ndarray, box: Fraction,
             exact: bool) -> list[Interval] | None:
    """(mid, rad) enclosures of every expression for all points of ``B_inf(x, box)``.

    ``exact`` with ``box == 0`` evaluates rational functions exactly (rad 0)."""
    if exact and box == 0:
        subs = {s: sp.Rational(Fraction(float(v))) for s, v in zip(symbols, x, strict=True)}
        out = []
        for e in exprs:
            q = _exact_value(e, subs)
            if q is None:
                return None
            out.append((q, Fraction(0)))
        return out
    from flint import arb

    from constructions._arb import ArbUnsupported, arb_eval, arb_lower, arb_upper

    env = {}
    for s, v in zip(symbols, x, strict=True):
        env[s] = arb(float(v)) if box == 0 else arb(float(v)) + arb(0, _float_up(box))
    out = []
    for e in exprs:
        try:
            ball = arb_eval(e, env)
        except (ArbUnsupported, ZeroDivisionError, ValueError):
            return None
        lo, hi = arb_lower(ball), arb_upper(ball)
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return None
        flo, fhi = Fraction(lo), Fraction(hi)
        out.append(((flo + fhi) / 2, (fhi - flo) / 2))
    return out


def _jacobian_exprs(game: Game) -> list[list[sp.Expr]]:
    data = game.sympy_data
    grads = [gk for g in data.gradients for gk in g]
    return [[sp.diff(gk, s) for s in data.symbols] for gk in grads]


def _interior_margin(domain: ConvexSet | None, x: np.ndarray, dims: Sequence[int]) -> Fraction | None:
    """Lower bound on the Euclidean distance from ``x`` to the boundary (None = unknown).

    Unconstrained: infinite (returned as -1 sentinel). Boxes: min distance to a face.
    Balls: radius - ||x - c||."""
    if domain is None:
        return Fraction(-1)
    sets: list[tuple[ConvexSet, slice]] = []
    if isinstance(domain, ProductSet):
        start = 0
        for S in domain.sets:
            sets.append((S, slice(start, start + S.dim)))
            start += S.dim
    else:
        sets.append((domain, slice(0, domain.dim)))
    best: Fraction | None = None
    for S, sl in sets:
        xi = _rational_point(x[sl])
        if isinstance(S, Box):
            m = None
            for v, lo, hi in zip(xi, S.lo, S.hi, strict=True):
                for gap in ((v - Fraction(float(lo))) if math.isfinite(lo) else None,
                            (Fraction(float(hi)) - v) if math.isfinite(hi) else None):
                    if gap is not None:
                        m = gap if m is None else min(m, gap)
            if m is None:
                continue
        elif isinstance(S, Ball):
            c = _rational_point(S.center)
            d2 = sum(((a - b) ** 2 for a, b in zip(xi, c, strict=True)), Fraction(0))
            m = Fraction(float(S.radius)) - _sqrt_up(d2)
        else:
            return None
        best = m if best is None else min(best, m)
    return Fraction(-1) if best is None else best


# ---------------------------------------------------------------------------------
# Newton–Kantorovich
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class KantorovichCertificate(CertificateRecord):
    r"""Result of :func:`certify_kantorovich`: an exact zero of :math:`\omega` near ``point``.

    The claim is ":math:`\omega` has a zero :math:`x^*` with :math:`\|x^* - \tilde x\|_2 \le`
    ``existence_radius``, unique in the open ball of radius ``uniqueness_radius``".
    ``beta``, ``eta0``, ``gamma`` are rigorous upper bounds (for callable games: under
    the listed assumptions), ``h`` the upward-rounded :math:`\beta\gamma\eta_0` of those
    floats, ``radius`` the ball on which ``gamma`` is valid. ``evaluation`` is
    ``"exact-rational"``, ``"ball-arithmetic"`` or ``"float-estimate"``.

    Attributes
    ----------
    verdict : Verdict
        VERIFIED (:math:`h \le 1/2` proved), INCONCLUSIVE otherwise.
    game : str
        Name of the game.
    point : tuple of float
        The approximate zero :math:`\tilde x`.
    radius, beta, eta0, gamma, h : float
        The Kantorovich constants described above.
    existence_radius, uniqueness_radius : float
        :math:`r^*` and :math:`\min(r, r^{**})`.
    evaluation, gamma_source : str
        How the constants were made rigorous.
    reasons, assumptions : tuple of str
        Why the verdict is not VERIFIED; what it rests on.
    trusted_jacobian, trusted_pseudo_gradient
        Callable games only: the recorded (trusted) oracle values.
    game_spec, method, kind, schema
        Bookkeeping of the JSON record.

    Examples
    --------
    >>> from constructions import quadratic_saddle
    >>> k = certify_kantorovich(quadratic_saddle(), [0.01, -0.02])
    >>> k.verdict.value, k.evaluation, k.gamma, round(k.existence_radius, 6)   # zero at the origin
    ('VERIFIED', 'exact-rational', 0.0, 0.022361)
    """

    verdict: Verdict
    game: str
    point: tuple[float, ...]
    radius: float
    beta: float
    eta0: float
    gamma: float
    h: float
    existence_radius: float
    uniqueness_radius: float
    evaluation: str
    gamma_source: str
    reasons: tuple[str, ...]
    assumptions: tuple[str, ...]
    trusted_jacobian: tuple[tuple[float, ...], ...] | None = None
    trusted_pseudo_gradient: tuple[float, ...] | None = None
    game_spec: dict[str, Any] | None = None
    method: str = "Newton-Kantorovich (h = beta*gamma*eta0 <= 1/2)"
    kind: str = "kantorovich"
    schema: str = SCHEMA_VERSION


    def summary(self) -> str:
        r"""A readable multi-line report.

        The verdict and claim, the constants :math:`\beta, \eta_0, \gamma` and
        :math:`h = \beta\gamma\eta_0` (VERIFIED needs :math:`h \le 1/2`), the uniqueness radius,
        then the reasons and the assumptions.

        Returns
        -------
        str

        Examples
        --------
        >>> from constructions import quadratic_saddle
        >>> k = certify_kantorovich(quadratic_saddle(), [0.01, -0.02])
        >>> print("\n".join(k.summary().splitlines()[:4]))
        verdict: VERIFIED
        claim:   the pseudo-gradient of quadratic-saddle has a zero within 0.0223607 of [0.01, -0.02]
        beta=0.108911 eta0=0.0223607 gamma=0 h=0 (need h <= 1/2; exact-rational)
        unique in the open ball of radius 0.0447214
        """
        lines = [
            f"verdict: {self.verdict.value}",
            f"claim:   the pseudo-gradient of {self.game} has a zero within "
            f"{self.existence_radius:.6g} of {list(self.point)}",
            f"beta={self.beta:.6g} eta0={self.eta0:.6g} gamma={self.gamma:.6g} h={self.h:.6g} "
            f"(need h <= 1/2; {self.evaluation})",
            f"unique in the open ball of radius {self.uniqueness_radius:.6g}",
        ]
        lines += [f"reason: {r}" for r in self.reasons]
        lines.append("assumptions:")
        lines += [f"  - {a}" for a in self.assumptions]
        return "\n".join(lines)


@dataclass
class _KState:
    """Internal: everything the Kantorovich step computed (used by DNE/minimax)."""

    cert: KantorovichCertificate
    evaluation: str


def _game_spec(game: Game) -> dict[str, Any]:
    from constructions._gamefile import game_spec

    return game_spec(game)


def _central_difference_jacobian(game: Game, x: np.ndarray, step: float = 1e-6) -> np.ndarray:
    n = game.dim
    J = np.empty((n, n))
    for k in range(n):
        e = np.zeros(n)
        e[k] = step
        J[:, k] = (game.pseudo_gradient(x + e) - game.pseudo_gradient(x - e)) / (2 * step)
    return J


def _gamma_bound(game: Game, x: np.ndarray, r: Fraction) -> Fraction | None:
    data = game.sympy_data
    J = _jacobian_exprs(game)
    third = [sp.diff(Jab, s) for row in J for Jab in row for s in data.symbols]
    enc = _enclose(third, data.symbols, x, r, exact=False)
    if enc is None:
        return None
    return _sqrt_up(sum(((abs(m) + rad) ** 2 for m, rad in enc), Fraction(0)))


def _kantorovich(game: Game, x: np.ndarray, radius: float, jacobian_lipschitz: float | None) -> _KState:
    reasons: list[str] = []
    assumptions: list[str] = []
    n = game.dim
    trusted_J: tuple[tuple[float, ...], ...] | None = None
    trusted_w: tuple[float, ...] | None = None
    if game.sympy_data is not None:
        data = game.sympy_data
        exact = _is_rational_game(game)
        evaluation = "exact-rational" if exact else "ball-arithmetic"
        Jexpr = [e for row in _jacobian_exprs(game) for e in row]
        omega_expr = [gk for g in data.gradients for gk in g]
        encJ = _enclose(Jexpr, data.symbols, x, Fraction(0), exact)
        encw = _enclose(omega_expr, data.symbols, x, Fraction(0), exact)
        if encJ is None or encw is None:
            return _kfail(game, x, radius, evaluation, ["the Jacobian or the pseudo-gradient "
                          "could not be enclosed at x (unsupported function or a pole)"], [])
        Jm = [[encJ[a * n + b][0] for b in range(n)] for a in range(n)]
        Jr = [[encJ[a * n + b][1] for b in range(n)] for a in range(n)]
        wm = [m for m, _ in encw]
        wr = [r for _, r in encw]
        gamma_source = ("ball arithmetic (python-flint arb) on the exact third derivatives over "
                        "the box B_inf(x, radius)")
        assumptions.append(
            "none beyond the game definition: J(x) and omega(x) are "
            + ("exact rationals" if exact else "arb enclosures (128 bits)")
            + ", gamma and the Hessian enclosures come from arb on the exact derivatives"
        )
    else:
        evaluation = "float-estimate"
        if jacobian_lipschitz is None:
            return _kfail(game, x, radius, evaluation, [
                "the game is not sympy-defined: declare a Lipschitz constant of its Jacobian "
                "with jacobian_lipschitz=..."], [])
        try:
            Jf = _central_difference_jacobian(game, x)
            wf = game.pseudo_gradient(x)
        except Exception as exc:  # noqa: BLE001 - a user's oracle failed: report, never verify
            return _kfail(game, x, radius, evaluation, [
                f"the gradient oracle raised {type(exc).__name__}: {exc}"], [])
        if not (np.all(np.isfinite(Jf)) and np.all(np.isfinite(wf))):
            return _kfail(game, x, radius, evaluation, ["the Jacobian or pseudo-gradient is not "
                                                        "finite at x"], [])
        bad_utility = [r for i in range(game.n_players) if (r := utility_problem(game, i, [x])) is not None]
        if bad_utility:  # not the smooth real-valued game the claim is about
            return _kfail(game, x, radius, evaluation, bad_utility, [])
        trusted_J = tuple(tuple(float(v) for v in row) for row in Jf)
        trusted_w = tuple(float(v) for v in wf)
        Jm = [[Fraction(v) for v in row] for row in trusted_J]
        Jr = [[Fraction(0)] * n for _ in range(n)]
        wm = [Fraction(v) for v in trusted_w]
        wr = [Fraction(0)] * n
        assumptions += [
            "the game Jacobian at x is the recorded central-difference estimate (step 1e-6), "
            "assumed exact",
            "the pseudo-gradient at x is the recorded float oracle value, assumed exact",
            f"gamma={jacobian_lipschitz:.17g} is a Lipschitz constant of the game Jacobian on "
            "the ball (declared by the caller)",
        ]
        gamma_source = "declared by the caller of certify_kantorovich"
    Minv = _inverse(Jm)
    if Minv is None:
        return _kfail(game, x, radius, evaluation, [
            "the game Jacobian at x is singular (degenerate critical point): undecided"],
            assumptions, trusted_J, trusted_w)
    absMinv = [[abs(v) for v in row] for row in Minv]
    q = _norm2_upper(_matmul(absMinv, Jr))
    if q >= 1:
        return _kfail(game, x, radius, evaluation, [
            "the Jacobian enclosure is too wide to prove it invertible (||M^-1|| ||R|| >= 1): "
            "undecided"], assumptions, trusted_J, trusted_w)
    beta = _float_up(_norm2_upper(Minv) / (1 - q))
    eta0 = _float_up((_vec_norm_upper(_matvec(Minv, wm)) + _vec_norm_upper(_matvec(absMinv, wr)))
                     / (1 - q))
    r = max(_float_up(2 * Fraction(eta0)), float(radius))
    if game.sympy_data is not None:
        g = _gamma_bound(game, x, Fraction(r))
        if g is None:
            return _kfail(game, x, radius, evaluation, [
                "the third derivatives could not be enclosed on the ball (unsupported function "
                "or a pole)"], assumptions, trusted_J, trusted_w, beta=beta, eta0=eta0, r=r)
        gamma = _float_up(g)
    else:
        gamma = float(jacobian_lipschitz)  # type: ignore[arg-type]
    k = _kantorovich_numbers(beta, eta0, gamma, r)
    verdict = Verdict.VERIFIED if k["ok"] else Verdict.INCONCLUSIVE
    if not k["ok"]:
        reasons.append(f"h = beta*gamma*eta0 = {k['h']:.6g} > 1/2: the Newton-Kantorovich test "
                       "fails (the candidate is not close enough, or the Jacobian is nearly singular)")
    cert = KantorovichCertificate(
        verdict=verdict, game=game.name, point=tuple(float(v) for v in x), radius=r, beta=beta,
        eta0=eta0, gamma=gamma, h=k["h"], existence_radius=k["r_star"],
        uniqueness_radius=k["r_unique"], evaluation=evaluation, gamma_source=gamma_source,
        reasons=tuple(reasons), assumptions=tuple(assumptions), trusted_jacobian=trusted_J,
        trusted_pseudo_gradient=trusted_w, game_spec=_game_spec(game),
    )
    return _KState(cert, evaluation)


def _kantorovich_numbers(beta: float, eta0: float, gamma: float, r: float) -> dict[str, Any]:
    """h, r* (upper), min(r, r**) (lower) from the recorded floats, in exact arithmetic."""
    b, e, g = Fraction(beta), Fraction(eta0), Fraction(gamma)
    h = b * g * e
    if 2 * h > 1:
        return {"ok": False, "h": _float_up(h), "r_star": math.inf, "r_unique": 0.0}
    s = _sqrt_down(1 - 2 * h)
    r_star = _float_up(2 * e / (1 + s))
    if g == 0:
        r_unique = float(r)
    else:
        r_unique = min(float(r), _float_down((1 + s) / (b * g)))
    return {"ok": True, "h": _float_up(h), "r_star": r_star, "r_unique": r_unique}


def _kfail(game: Game, x: np.ndarray, radius: float, evaluation: str, reasons: list[str],
           assumptions: list[str], trusted_J: Any = None, trusted_w: Any = None, *,
           beta: float = math.inf, eta0: float = math.inf, r: float | None = None) -> _KState:
    cert = KantorovichCertificate(
        verdict=Verdict.INCONCLUSIVE, game=game.name, point=tuple(float(v) for v in x),
        radius=float(radius) if r is None else r, beta=beta, eta0=eta0, gamma=math.inf,
        h=math.inf, existence_radius=math.inf, uniqueness_radius=0.0, evaluation=evaluation,
        gamma_source="not computed", reasons=tuple(reasons), assumptions=tuple(assumptions),
        trusted_jacobian=trusted_J, trusted_pseudo_gradient=trusted_w, game_spec=_game_spec(game),
    )
    return _KState(cert, evaluation)


def _check_args(game: Any, x: Any, radius: Any, jacobian_lipschitz: Any) -> tuple[np.ndarray, float,
                                                                                 float | None]:
    if not isinstance(game, Game):
        raise InvalidArgument(f"game must be a localeq Game, got game={game!r}")
    xa = game.check_point(x, "x")
    radius = as_real(radius, "radius", nonnegative=True)
    jl = None if jacobian_lipschitz is None else as_real(jacobian_lipschitz, "jacobian_lipschitz",
                                                         nonnegative=True)
    return xa, radius, jl


def certify_kantorovich(game: Game, x: Any, *, radius: float = 0.0,
                        jacobian_lipschitz: float | None = None) -> KantorovichCertificate:
    r"""Prove that the pseudo-gradient has an exact zero near ``x`` (Newton–Kantorovich).

    Parameters
    ----------
    game : Game
        The game. Sympy games are handled rigorously (exact rationals or ball
        arithmetic); other games need ``jacobian_lipschitz`` and their float oracles
        are trusted (recorded as assumptions).
    x : array_like
        Candidate :math:`\tilde x` (length ``game.dim``). Constraints are ignored: this is
        a statement about zeros of :math:`\omega` on :math:`\mathbb{R}^d`.
    radius : float, default 0
        Minimum radius :math:`r` of the ball on which :math:`\gamma` is bounded (localeq
        uses :math:`\max(2\eta_0, r)`; a larger ball gives a larger uniqueness radius
        but a larger :math:`\gamma`).
    jacobian_lipschitz : float, optional
        Declared Lipschitz constant :math:`\gamma` of the game Jacobian (required for
        non-sympy games, ignored for sympy games).

    Returns
    -------
    KantorovichCertificate
        VERIFIED when :math:`h \le 1/2`; INCONCLUSIVE otherwise (singular Jacobian,
        :math:`h > 1/2`, unsupported functions) with the reason.

    Examples
    --------
    >>> import sympy as sp
    >>> from constructions import game_from_sympy
    >>> x = sp.Symbol("x")
    >>> g = game_from_sympy([-(x**3) / 3 + x], [[x]])   # u' = 1 - x^2: zeros at +-1
    >>> cert = certify_kantorovich(g, [1.01])
    >>> cert.verdict.value, cert.existence_radius >= 0.01
    ('VERIFIED', True)
    """
    xa, radius, jl = _check_args(game, x, radius, jacobian_lipschitz)
    return _kantorovich(game, xa, radius, jl).cert


# ---------------------------------------------------------------------------------
# Hessian tests
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HessianTest:
    r"""Definiteness decision for one symmetric block on the box :math:`B_\infty(\tilde x, r^*)`.

    ``decision`` is ``"negative-definite"`` / ``"positive-definite"`` (proved for every
    matrix of the enclosure), ``"wrong-sign"`` (a vector ``witness`` with curvature of
    the wrong sign for every matrix of the enclosure) or ``"undecided"``. ``tau`` is the
    upward-rounded enclosure radius :math:`\tau \ge \|R\|_2`, ``box`` the half-width.

    Attributes
    ----------
    block : str
        Which block (free text).
    want : str
        The definiteness required.
    decision : str
        What was proved (see above).
    tau, box : float
        Enclosure radius and box half-width.
    witness : tuple of float or None
        Wrong-sign vector (``decision == "wrong-sign"`` only).

    Examples
    --------
    >>> from constructions import quadratic_saddle
    >>> t = certify_local_minimax(quadratic_saddle(), [0.01, -0.02]).follower
    >>> t.block, t.want, t.decision
    ('B = f_yy', 'negative-definite', 'negative-definite')
    """

    block: str
    want: str
    decision: str
    tau: float
    box: float
    witness: tuple[float, ...] | None


def _block_enclosure(game: Game, exprs: list[list[sp.Expr]], x: np.ndarray, box: Fraction,
                     exact: bool) -> tuple[list[list[Fraction]], list[list[Fraction]]] | None:
    data = game.sympy_data
    d = len(exprs)
    enc = _enclose([e for row in exprs for e in row], data.symbols, x, box, exact)
    if enc is None:
        return None
    M = [[enc[a * d + b][0] for b in range(d)] for a in range(d)]
    R = [[enc[a * d + b][1] for b in range(d)] for a in range(d)]
    Ms = [[(M[a][b] + M[b][a]) / 2 for b in range(d)] for a in range(d)]
    Rs = [[(R[a][b] + R[b][a]) / 2 for b in range(d)] for a in range(d)]
    return Ms, Rs


def _definiteness(name: str, M: list[list[Fraction]], R: list[list[Fraction]], want: str,
                  box: float) -> HessianTest:
    """Decide ``want`` ('negative-definite' or 'positive-definite') for every H in [M±R]."""
    tau = _norm2_upper(R)
    sign = -1 if want == "negative-definite" else 1
    S = M if sign > 0 else _neg(M)  # want S ≻ 0 for all S in [S ± R]
    if _positive_definite(_shift(S, -tau)):
        return HessianTest(name, want, want, _float_up(tau), box, None)
    # wrong-sign witness: eigenvector of the float midpoint for the extreme eigenvalue
    Sf = np.array([[float(v) for v in row] for row in S])
    vals, vecs = np.linalg.eigh(0.5 * (Sf + Sf.T))
    v = [Fraction(float(t)) for t in vecs[:, 0]]
    if vals[0] < 0:
        quad = sum((v[a] * S[a][b] * v[b] for a in range(len(v)) for b in range(len(v))), Fraction(0))
        slack = sum((abs(v[a]) * R[a][b] * abs(v[b]) for a in range(len(v)) for b in range(len(v))),
                    Fraction(0))
        if quad + slack < 0:
            return HessianTest(name, want, "wrong-sign", _float_up(tau), box,
                               tuple(float(t) for t in v))
    return HessianTest(name, want, "undecided", _float_up(tau), box, None)


def _second_order_prelude(game: Game, x: np.ndarray, radius: float, jacobian_lipschitz: float | None,
                          what: str) -> tuple[_KState, list[str], list[str], bool]:
    k = _kantorovich(game, x, radius, jacobian_lipschitz)
    reasons = list(k.cert.reasons)
    assumptions = list(k.cert.assumptions)
    usable = k.cert.verified
    if game.sympy_data is None:
        reasons.append(f"{what} certificates need a sympy game (exact Hessian enclosures)")
        usable = False
    if usable:
        margin = _interior_margin(game.domain, x, game.dims)
        if margin is None:
            reasons.append("cannot prove that the Kantorovich ball lies in the interior of this "
                           "domain (only unconstrained, box and ball strategy sets are supported)")
            usable = False
        elif margin != -1 and not margin > Fraction(k.cert.existence_radius):
            reasons.append(f"the ball of radius r*={k.cert.existence_radius:.6g} around x is not "
                           "inside the interior of the domain: boundary points need KKT conditions")
            usable = False
    return k, reasons, assumptions, usable


# ---------------------------------------------------------------------------------
# differential Nash
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DifferentialNashCertificate(CertificateRecord):
    r"""Result of :func:`certify_differential_nash`.

    Claim: "there is a (non-degenerate) differential Nash equilibrium :math:`x^*`, hence a
    strict local Nash equilibrium, with :math:`\|x^* - \tilde x\| \le` ``existence_radius``".
    ``kantorovich`` proves the zero of :math:`\omega`; ``hessians`` hold one
    :class:`HessianTest` per player (own Hessian of :math:`u_i` negative definite on the
    box). REFUTED: some player's own Hessian has a direction of positive curvature on
    the whole box, so no point of the box is a local Nash equilibrium (second-order
    necessary condition).

    Attributes
    ----------
    verdict : Verdict
        VERIFIED, REFUTED or INCONCLUSIVE.
    game : str
        Name of the game.
    point : tuple of float
        The approximate equilibrium :math:`\tilde x`.
    existence_radius : float
        :math:`r^*`.
    kantorovich : KantorovichCertificate
        The proof of the zero of :math:`\omega`.
    hessians : tuple of HessianTest
        One test per player.
    reasons, assumptions : tuple of str
        Why the verdict is not VERIFIED; what it rests on.
    game_spec, method, kind, schema
        Bookkeeping of the JSON record.

    Examples
    --------
    >>> from constructions import quadratic_saddle
    >>> dn = certify_differential_nash(quadratic_saddle(), [0.01, -0.02])
    >>> dn.verdict.value, [t.decision for t in dn.hessians]
    ('VERIFIED', ['negative-definite', 'negative-definite'])
    """

    verdict: Verdict
    game: str
    point: tuple[float, ...]
    existence_radius: float
    kantorovich: KantorovichCertificate
    hessians: tuple[HessianTest, ...]
    reasons: tuple[str, ...]
    assumptions: tuple[str, ...]
    game_spec: dict[str, Any] | None = None
    method: str = ("Newton-Kantorovich + own Hessians negative definite (Weyl margin, exact LDL^T)")
    kind: str = "differential-nash"
    schema: str = SCHEMA_VERSION


    def summary(self) -> str:
        r"""A readable multi-line report.

        The verdict and claim, the Kantorovich verdict and :math:`h`, one line per player's own
        Hessian test (decision and margin :math:`\tau`), then the reasons and the assumptions.

        Returns
        -------
        str

        Examples
        --------
        >>> from constructions import quadratic_saddle
        >>> lines = certify_differential_nash(quadratic_saddle(), [0.01, -0.02]).summary().splitlines()
        >>> print("\n".join([lines[0]] + lines[2:5]))
        verdict: VERIFIED
        Kantorovich: VERIFIED, h=0
          player 0: negative-definite (tau=0)
          player 1: negative-definite (tau=0)
        """
        lines = [f"verdict: {self.verdict.value}",
                 f"claim:   a differential (strict local) Nash equilibrium of {self.game} lies within "
                 f"{self.existence_radius:.6g} of {list(self.point)}",
                 f"Kantorovich: {self.kantorovich.verdict.value}, h={self.kantorovich.h:.4g}"]
        lines += [f"  {t.block}: {t.decision} (tau={t.tau:.3g})" for t in self.hessians]
        lines += [f"reason: {r}" for r in self.reasons]
        lines.append("assumptions:")
        lines += [f"  - {a}" for a in self.assumptions]
        return "\n".join(lines)


def certify_differential_nash(game: Game, x: Any, *, radius: float = 0.0,
                              jacobian_lipschitz: float | None = None) -> DifferentialNashCertificate:
    r"""Certify a strict local Nash equilibrium near ``x`` by second-order conditions.

    Steps: (1) Newton–Kantorovich proves a zero :math:`x^*` of the pseudo-gradient with
    :math:`\|x^* - \tilde x\| \le r^*`; (2) the ball :math:`\bar B(\tilde x, r^*)` must lie in
    the interior of the domain; (3) each own Hessian :math:`\nabla^2_{x_ix_i}u_i` is enclosed
    on the box :math:`B_\infty(\tilde x, r^*)` and proved negative definite with the Weyl
    margin by an exact :math:`LDL^\top`.

    Parameters
    ----------
    game : Game
        A sympy game (required for the Hessian enclosures).
    x : array_like
        The candidate.
    radius, jacobian_lipschitz
        As in :func:`certify_kantorovich`.

    Returns
    -------
    DifferentialNashCertificate

    Examples
    --------
    >>> from constructions import quadratic_saddle
    >>> certify_differential_nash(quadratic_saddle(), [0.0, 0.0]).verdict.value
    'VERIFIED'
    """
    xa, radius, jl = _check_args(game, x, radius, jacobian_lipschitz)
    k, reasons, assumptions, usable = _second_order_prelude(game, xa, radius, jl, "differential Nash")
    tests: list[HessianTest] = []
    verdict = Verdict.INCONCLUSIVE
    if usable:
        data = game.sympy_data
        exact = _is_rational_game(game)
        box = Fraction(k.cert.existence_radius)
        for i in range(game.n_players):
            H = [list(row) for row in data.hessians[i]]
            enc = _block_enclosure(game, H, xa, box, exact)
            if enc is None:
                tests.append(HessianTest(f"player {i}", "negative-definite", "undecided", math.inf,
                                         float(box), None))
                reasons.append(f"player {i}: the own Hessian could not be enclosed")
                continue
            tests.append(_definiteness(f"player {i}", enc[0], enc[1], "negative-definite", float(box)))
        decisions = [t.decision for t in tests]
        if any(d == "wrong-sign" for d in decisions):
            verdict = Verdict.REFUTED
            bad = [t.block for t in tests if t.decision == "wrong-sign"]
            reasons.append(f"{', '.join(bad)}: the own Hessian has a direction of positive curvature "
                           "on the whole box, so no point of it is a local Nash equilibrium")
        elif all(d == "negative-definite" for d in decisions):
            verdict = Verdict.VERIFIED
        else:
            und = [t.block for t in tests if t.decision == "undecided"]
            reasons.append(f"{', '.join(und)}: own Hessian neither proved negative definite nor "
                           "proved to have positive curvature (zero or near-zero eigenvalue): undecided")
    return DifferentialNashCertificate(
        verdict=verdict, game=game.name, point=tuple(float(v) for v in xa),
        existence_radius=k.cert.existence_radius, kantorovich=k.cert, hessians=tuple(tests),
        reasons=tuple(reasons), assumptions=tuple(assumptions), game_spec=k.cert.game_spec,
    )


# ---------------------------------------------------------------------------------
# strict local minimax
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LocalMinimaxCertificate(CertificateRecord):
    r"""Result of :func:`certify_local_minimax` for :math:`\min_x\max_y f`.

    Claim: "there is a strict local minimax point :math:`x^*` (Jin–Netrapalli–Jordan) with
    :math:`\|x^* - \tilde x\| \le` ``existence_radius``". ``follower`` tests
    :math:`B = \nabla^2_{yy}f \prec 0`; ``inertia_upper``/``inertia_lower`` are the exact
    inertias of :math:`M - \tau I` and :math:`M + \tau I` for the enclosed full Hessian
    :math:`\nabla^2 f \in [M \pm R]`, :math:`\tau \ge \|R\|_2`; ``leader`` tests
    :math:`A = \nabla^2_{xx}f \succ 0` (``also_local_nash`` is True when proved, False
    when :math:`A` provably has negative curvature, None when undecided).
    REFUTED: :math:`B` has positive curvature on the box, or every enclosed Hessian has
    more than :math:`d_y` negative eigenvalues (the Schur complement is not
    :math:`\succeq 0`).

    Attributes
    ----------
    verdict : Verdict
        VERIFIED, REFUTED or INCONCLUSIVE.
    game : str
        Name of the game.
    point : tuple of float
        The approximate point :math:`\tilde x`.
    existence_radius : float
        :math:`r^*`.
    kantorovich : KantorovichCertificate
        The proof of :math:`\nabla f(x^*) = 0`.
    follower, leader : HessianTest or None
        Tests of :math:`B` and :math:`A`.
    tau : float
        Enclosure radius.
    inertia_upper, inertia_lower : tuple of int
        Exact inertias of :math:`M - \tau I` and :math:`M + \tau I`.
    also_local_nash : bool or None
        See above.
    reasons, assumptions : tuple of str
        Why the verdict is not VERIFIED; what it rests on.
    game_spec, method, kind, schema
        Bookkeeping of the JSON record.

    Examples
    --------
    >>> from constructions import quadratic_saddle
    >>> lm = certify_local_minimax(quadratic_saddle(), [0.01, -0.02])
    >>> lm.verdict.value, lm.inertia_upper, lm.also_local_nash
    ('VERIFIED', (1, 1, 0), True)
    """

    verdict: Verdict
    game: str
    point: tuple[float, ...]
    existence_radius: float
    kantorovich: KantorovichCertificate
    follower: HessianTest | None
    leader: HessianTest | None
    tau: float
    inertia_upper: tuple[int, int, int] | None
    inertia_lower: tuple[int, int, int] | None
    also_local_nash: bool | None
    reasons: tuple[str, ...]
    assumptions: tuple[str, ...]
    game_spec: dict[str, Any] | None = None
    method: str = ("Newton-Kantorovich + B < 0 and In(Hessian of f) = (d_x, d_y, 0) "
                   "(Haynsworth; Weyl margin, exact LDL^T)")
    kind: str = "local-minimax"
    schema: str = SCHEMA_VERSION


    def summary(self) -> str:
        r"""A readable multi-line report.

        The verdict and claim, the Kantorovich verdict and :math:`h`, the exact inertias of
        :math:`M \mp \tau I`, whether the point is also a local Nash equilibrium, then the reasons
        and the assumptions.

        Returns
        -------
        str

        Examples
        --------
        >>> from constructions import quadratic_saddle
        >>> lm = certify_local_minimax(quadratic_saddle(), [0.01, -0.02])
        >>> print("\n".join(lm.summary().splitlines()[:5]))
        verdict: VERIFIED
        claim:   a strict local minimax point of quadratic-saddle lies within 0.0223607 of [0.01, -0.02]
        Kantorovich: VERIFIED, h=0
        inertia of M - tau I: (1, 1, 0), of M + tau I: (1, 1, 0) (tau=0)
        also a local Nash equilibrium: True
        """
        lines = [f"verdict: {self.verdict.value}",
                 f"claim:   a strict local minimax point of {self.game} lies within "
                 f"{self.existence_radius:.6g} of {list(self.point)}",
                 f"Kantorovich: {self.kantorovich.verdict.value}, h={self.kantorovich.h:.4g}",
                 f"inertia of M - tau I: {self.inertia_upper}, of M + tau I: {self.inertia_lower} "
                 f"(tau={self.tau:.3g})",
                 f"also a local Nash equilibrium: {self.also_local_nash}"]
        lines += [f"reason: {r}" for r in self.reasons]
        lines.append("assumptions:")
        lines += [f"  - {a}" for a in self.assumptions]
        return "\n".join(lines)


def certify_local_minimax(game: Game, x: Any, *, radius: float = 0.0,
                          jacobian_lipschitz: float | None = None) -> LocalMinimaxCertificate:
    r"""Certify a strict local minimax point of :math:`\min_x\max_y f` near ``x``.

    ``game`` must be a two-player min-max sympy game (:func:`~constructions.minmax_from_sympy`,
    :math:`u_0 = -f`, :math:`u_1 = f`). Steps: Newton–Kantorovich for :math:`\nabla f = 0`;
    interior check; enclosure of :math:`\nabla^2 f` on the box :math:`B_\infty(\tilde x, r^*)`;
    :math:`B \prec 0` with margin; inertia of :math:`M \mp \tau I` exactly (Haynsworth:
    given :math:`B \prec 0`, :math:`A - CB^{-1}C^\top \succ 0 \iff \mathrm{In}(H) = (d_x, d_y, 0)`).

    Parameters
    ----------
    game : Game
        Two-player min-max sympy game.
    x : array_like
        The candidate :math:`(\tilde x, \tilde y)`.
    radius, jacobian_lipschitz
        As in :func:`certify_kantorovich`.

    Returns
    -------
    LocalMinimaxCertificate

    Examples
    --------
    >>> import sympy as sp
    >>> from constructions import minmax_from_sympy
    >>> x, y = sp.symbols("x y")
    >>> g = minmax_from_sympy(-x**2 + 4*x*y - y**2, [x], [y])  # local minimax, not local Nash
    >>> cert = certify_local_minimax(g, [0.0, 0.0])
    >>> cert.verdict.value, cert.also_local_nash
    ('VERIFIED', False)
    """
    xa, radius, jl = _check_args(game, x, radius, jacobian_lipschitz)
    if game.n_players != 2 or not game.minmax:
        raise InvalidArgument(f"game must be a two-player min-max game (minmax_from_sympy), got "
                              f"game={game!r}")
    k, reasons, assumptions, usable = _second_order_prelude(game, xa, radius, jl, "local minimax")
    verdict = Verdict.INCONCLUSIVE
    follower = leader = None
    tau_f = math.inf
    in_up = in_lo = None
    also_nash: bool | None = None
    if usable:
        data = game.sympy_data
        f = data.utilities[1]
        dx, dy = game.dims
        syms = data.symbols
        Hexpr = [[sp.diff(f, a, b) for b in syms] for a in syms]
        box = Fraction(k.cert.existence_radius)
        enc = _block_enclosure(game, Hexpr, xa, box, _is_rational_game(game))
        if enc is None:
            reasons.append("the Hessian of f could not be enclosed")
        else:
            M, R = enc
            xs, ys = list(range(dx)), list(range(dx, dx + dy))
            follower = _definiteness("B = f_yy", _sub(M, ys, ys), _sub(R, ys, ys), "negative-definite",
                                     float(box))
            leader = _definiteness("A = f_xx", _sub(M, xs, xs), _sub(R, xs, xs), "positive-definite",
                                   float(box))
            if "wrong-sign" in (leader.decision, follower.decision):
                also_nash = False
            elif leader.decision == "positive-definite" and follower.decision == "negative-definite":
                also_nash = True
            tau = _norm2_upper(R)
            tau_f = _float_up(tau)
            in_up = exact_inertia(_shift(M, -tau))
            in_lo = exact_inertia(_shift(M, tau))
            if follower.decision == "wrong-sign":
                verdict = Verdict.REFUTED
                reasons.append("B = f_yy has a direction of positive curvature on the whole box "
                               "(necessary condition B <= 0 fails)")
            elif follower.decision == "negative-definite" and in_lo[1] > dy:
                verdict = Verdict.REFUTED
                reasons.append(f"every enclosed Hessian has more than d_y={dy} negative eigenvalues, "
                               "so the Schur complement A - C B^-1 C^T has a negative eigenvalue")
            elif follower.decision == "negative-definite" and in_up[0] == dx and in_lo[1] == dy:
                verdict = Verdict.VERIFIED
            else:
                reasons.append("B < 0 or In(H) = (d_x, d_y, 0) could not be decided with the "
                               "enclosure margin (zero or near-zero eigenvalue): undecided")
    return LocalMinimaxCertificate(
        verdict=verdict, game=game.name, point=tuple(float(v) for v in xa),
        existence_radius=k.cert.existence_radius, kantorovich=k.cert, follower=follower,
        leader=leader, tau=tau_f, inertia_upper=in_up, inertia_lower=in_lo,
        also_local_nash=also_nash, reasons=tuple(reasons), assumptions=tuple(assumptions),
        game_spec=k.cert.game_spec,
    )
