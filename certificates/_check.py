r"""Independent re-verification of portable certificate files (``localeq check FILE``).

This module (with :mod:`certificates._check_more` for the distribution, linear-deviation and
small-gain kinds) is the **small, separate code path** of issue 6 item 5. It never imports the
code that made a certificate (``_local_nash``, ``_gain``, ``_second_order``, ``_cce``, or the
certifier functions of ``_linear`` / ``_small_gain``); it rebuilds the game from the file,
recomputes every conclusion from the *primary* data and compares the recorded derived
numbers with its own recomputation. It uses only :mod:`fractions`, sympy, python-flint
``arb`` (:mod:`constructions._arb`), the sets' ``support`` / ``violation`` /
``project`` / ``slice`` / ``diameter`` and the domain loader of :mod:`constructions._gamefile`.
The weak-duality re-checks of linear-deviation LP and S-lemma SDP duals, and the exact
statistics they need, are re-implemented in :mod:`certificates._check_more` in rational
arithmetic (no solver, and no import of :mod:`certificates._linear`: a test scans the imports).

Schema ``localeq.certificate/1``
--------------------------------
Every certificate file is one JSON object with the common fields

* ``schema`` -- ``"localeq.certificate/1"``; ``kind`` -- one of ``"epsilon-delta-local-nash"``,
  ``"kantorovich"``, ``"differential-nash"``, ``"local-minimax"``, ``"local-cce"``,
  ``"linear-deviation"``, ``"small-gain"`` (:data:`SUPPORTED_KINDS`; any other kind is
  rejected as unsupported);
* ``verdict`` -- ``VERIFIED`` / ``REFUTED`` / ``INCONCLUSIVE``; ``reasons``, ``assumptions``,
  ``method`` -- free text;
* ``game`` -- the game's name (free text) and ``game_spec`` -- the **game definition**
  (``localeq.game/1``: sympy utilities as ``srepr`` strings with the players' symbol
  names, or ``payoffs`` for normal-form games, the ``domain`` dictionary, declared
  ``smoothness``; for games built from callables ``{"callable": true, "dims", "domain"}``);
* ``point`` -- the candidate (floats, exact binary values).

Per kind (see ``certificates/schema/certificate-1.json`` for the JSON Schema):

* **epsilon-delta-local-nash**: ``eps``, ``delta``, ``step``, ``feas_tol`` (inputs);
  ``players[i]`` = {``player``, ``gradient``, ``gradient_error``, ``residual``,
  ``linear_gain_lower``, ``direction`` (primal witness of the linear gain),
  ``linear_gain_upper``, ``dual`` (the vector :math:`w`), ``smoothness`` (:math:`L_i`),
  ``smoothness_note``, ``curvature_term``, ``epsilon_upper``, ``residual_epsilon``,
  ``best_true_gain``, ``best_deviation``}; ``joint_residual``, ``epsilon_upper``,
  ``slack`` (= eps - epsilon_upper), ``witness`` = {``player``, ``deviation``, ``distance``,
  ``gain``, ``gain_lower``, ``evaluation``, ``feasibility_violation``} or null.
* **kantorovich**: ``radius`` (ball of :math:`\gamma`), ``beta``, ``eta0``, ``gamma``, ``h``,
  ``existence_radius`` (:math:`r^*`), ``uniqueness_radius``, ``evaluation``,
  ``gamma_source``, ``trusted_jacobian`` / ``trusted_pseudo_gradient`` (callable games only).
* **differential-nash**: ``existence_radius``, ``kantorovich`` (a nested kantorovich
  record), ``hessians`` = [{``block``, ``want``, ``decision``, ``tau``, ``box``, ``witness``}].
* **local-minimax**: ``existence_radius``, ``kantorovich``, ``follower`` and ``leader``
  (Hessian tests of :math:`B` and :math:`A`), ``tau``, ``inertia_upper``,
  ``inertia_lower``, ``also_local_nash``.
* **local-cce**: ``eps``, ``delta``, ``family`` (``int`` / ``proj`` / ``finite``), ``points``,
  ``weights``, ``deviations`` (``finite``: per player the displacement vectors :math:`v` of
  :math:`\phi_v(x) = \Pi_{X_i}(x + v)`; null for a callable map), ``epsilon_upper``, ``slack``
  (= eps - epsilon_upper), ``witness`` = {``player``, ``family``, ``parameter`` (:math:`x^*`,
  :math:`v` or the map index), ``lam``, ``gain``, ``gain_lower``, ``evaluation``} or null;
  ``players[i]`` = {``gradients`` (:math:`g^k` at every support point), ``gbar``, ``s``,
  ``gradient_error`` (:math:`\sum_k p_k e_k`), ``diameter`` (lower bound on :math:`D_i`, int),
  ``support`` (upper bound on :math:`h_{X_i}(\bar g)`, int), ``interior`` (support points
  certified δ-interior, proj), ``duals`` / ``point_bounds`` (one per non-interior point for
  proj; ``point_bounds`` one per map for finite), ``linear_gain_lower`` with its
  ``linear_witness`` (:math:`x^*` or :math:`v`), ``linear_gain_upper``, ``smoothness``,
  ``curvature_term``, ``epsilon_upper``, ``best_evaluated_gain`` with ``search_best`` (a
  deviation record as ``witness``, or null)}.
* **linear-deviation**: ``eps``, ``points``, ``weights``, ``epsilon_upper``, ``slack``,
  ``witness_player`` / ``witness_gain`` (null / nan unless REFUTED); ``players[i]`` =
  {``set_kind``, ``method`` (``closed-form`` / ``lp-dual`` / ``sdp-dual``), ``gradients``,
  ``gradient_error`` (:math:`D_i\sum_k p_k e_k`), ``value``, ``linear_gain_upper``,
  ``linear_gain_lower``, ``witness_A``, ``witness_b`` (the map :math:`z \mapsto Az + b`; reduced
  coordinates ``z[:-1]`` for a simplex on the LP path), ``polytope_C``, ``polytope_c``, ``dual``
  (LP: ``Y, z, y, x0``; SDP: ``S11, S22, eta``; empty for closed forms), ``solver_message``}.
* **small-gain**: ``mu``, ``couplings``, ``norms`` (the constants), ``constants_rigorous``,
  ``constants_estimate``, ``constants_evidence`` (``{jacobian, dims}`` or ``{game_spec, lo, hi}``
  for rigorous constants, else null), ``region``, ``constants_source``, ``alpha_min`` (the claim
  :math:`\alpha_* > \alpha_{\min}`), ``weights``, ``tau``, ``alpha``, ``beta``, ``euler_step``,
  ``euler_step_max``, ``euler_factor``, ``rk4_step``, ``rk4_factor``, ``rk4_guideline``,
  ``band``, ``minors``, ``slack`` (= alpha - alpha_min). Callable and linear-deviation /
  local-CCE certificates carry ``game_spec`` like point certificates.

How each kind is re-checked
---------------------------
* **local Nash** -- the gradient is recomputed at the recorded point: exactly in
  :class:`~fractions.Fraction` for rational sympy games and normal-form games
  (``exact-rational``), as ``arb`` balls for other sympy games (``ball-arithmetic``);
  for callable games the recorded gradients are **trusted** (``trusted-gradients``).
  The dual bound :math:`\delta\|g-w\| + \sigma_{S\cap B_\infty(x,\delta)}(w) - \langle w, x\rangle`
  is recomputed with the recorded :math:`w`, an upward-rounded square root and the
  set's sound ``support``; :math:`L_i` is re-proved by ``arb`` on the exact own Hessian
  over the δ-box (the recorded value is used when it is at least the re-proved one;
  otherwise it is reported as a declared assumption); the verdict is recomputed
  (VERIFIED needs :math:`\max_i(\bar\Gamma_i + L_i\delta^2/2) \le \varepsilon`, REFUTED needs the
  witness's recomputed gain :math:`> \varepsilon` with distance :math:`\le\delta` and
  feasibility within ``feas_tol``).
* **kantorovich / differential-nash / local-minimax** -- :math:`J(\tilde x)`,
  :math:`\omega(\tilde x)`, :math:`J^{-1}` (sympy's exact ``Matrix.inv``), :math:`\beta`,
  :math:`\eta_0`, :math:`\gamma` (``arb`` on the third derivatives), :math:`h`, :math:`r^*`,
  the Hessian enclosures and :math:`\tau` are recomputed; these records store the
  upward roundings of exact rationals, so they must agree **bit for bit**.
  Definiteness and inertia are re-decided by a different method than the certifier's
  :math:`LDL^\top`: the characteristic polynomial (exact) and Descartes' rule of signs,
  which counts the positive roots exactly when all roots are real (symmetric matrices).
* **local-cce** -- the gradients at every support point are recomputed (exact rationals /
  ``arb`` balls; callable games: the recorded ones, trusted, plus the recorded error), and
  :math:`\bar g`, :math:`s` from them. ``int``: an exact lower bound on :math:`D_i`
  (box, simplex, ball: exact squared diameter, rounded-down square root), the set's sound
  ``support`` of the enclosure of :math:`\bar g`, bound :math:`\delta/D\,[h(\bar g) - s]_+`;
  ``proj``: every listed interior point is proved δ-interior exactly, then
  :math:`\delta\|\sum_{I} p_k g^k\| + \sum_{k\notin I} p_k[\delta\|g^k - w_k\| +
  \sigma_{X\cap B_\infty}(w_k) - \langle w_k, x^k\rangle]_+` with the recorded :math:`w_k` and an
  upward-rounded square root; ``finite``: the maps' targets (the sets' projections) are
  checked δ-local and feasible and their expected gains recomputed exactly / in balls (or, for
  callable games, the linearised route with :math:`L`). :math:`L_i` is re-proved by ``arb``
  on every support point's δ-box. ``linear_gain_lower``, ``search_best`` and the witness are
  re-evaluated (the int witness at the exact rational targets :math:`(1-\lambda)x + \lambda x^*`
  with :math:`\lambda D \le \delta`). The verdict is recomputed as for local Nash.
* **linear-deviation** -- the recorded gradients are checked against the recomputed ones; the
  statistics :math:`M, \bar g, s` are rebuilt exactly from them and the
  allowance :math:`D\sum_k p_k\|g^k_{rec} - g^k\|` for the difference is re-proved. Closed
  forms (simplex :math:`\sum_j\max_r M_{rj} - s`, box §3.4) are recomputed in
  :class:`~fractions.Fraction` and must match ``value`` bit for bit; the witness map must map the
  set into itself and attain the value. LP duals: the rows ``polytope_C, polytope_c`` must be
  the player's set (rebuilt from the game), the bound is the checker's own exact weak-duality
  bound on exact statistics (simplex: exact reduced gradients :math:`g_j - g_d`); SDP duals: its
  own exact :math:`LDL^\top` test of the S-lemma dual matrix.
  REFUTED needs an exact closed-form gain minus the allowance above ε.
* **small-gain** -- rigorous constants are re-proved from their evidence (exact
  :math:`LDL^\top` on the rational Jacobian, or ``arb`` enclosures of the sympy Jacobian blocks
  on the region box): :math:`\mathrm{sym}(J_{ii}) - (\mu_i + \|\mathrm{rad}\|_F)I \succeq 0`,
  :math:`L_{ij}^2 I - |J_{ij}|^\top|J_{ij}| \succeq 0` (and the same for ``norms``), each tight
  to 1e-9; declared constants are assumptions, estimates never VERIFY. ``tau`` is located as the
  smallest real root of :math:`\det(A - tI)` by Sturm sequences; ``alpha`` must make
  :math:`C(w) - 2\alpha W` PSD and :math:`C(w) - 2(\alpha + 10^{-9}(1+|\alpha|))W` not PSD
  (exact :math:`LDL^\top`); ``beta`` likewise for :math:`t^2I - B^\top B`,
  :math:`B_{ij} = \sqrt{w_i/w_j}N_{ij}` with rounded square roots; ``euler_step``,
  ``euler_step_max`` and ``rk4_guideline`` are the correctly rounded :math:`\alpha/\beta^2`,
  :math:`2\alpha/\beta^2`, :math:`2.5/\beta`; ``euler_factor`` / ``rk4_factor`` are proved
  upper bounds of :math:`q_E(h)` / :math:`q_{RK4}(h)` in exact rationals, tight to 1e-9 (the RK4
  step must be one of the 50 scanned multiples of the Euler step); ``band`` is recomputed with
  exact square roots; ``minors`` (exact leading principal minors of
  :math:`A - \alpha_{\min}I`) decide REFUTED.

Binding and non-binding fields
------------------------------
Free text is **not binding**: ``reasons``, ``assumptions``, ``method``, ``game``,
``game_spec.name``, ``smoothness_note``, ``gamma_source``, ``witness.evaluation``,
``hessians[].block``, and ``extra``. ``game_spec.smoothness`` (declared constants) is not
used for sympy or normal-form games (the checker re-proves :math:`L_i`). Every other number
is binding -- primary inputs enter the recomputation, derived numbers must match it --
except in these cases, where the change provably cannot change the claim:

* ``feas_tol`` *increased* when the point (and witness) are exactly feasible;
* ``step`` when every residual is at rounding level (it only enters ``residual``);
* ``players[i].direction`` when :math:`g_i = 0` (then :math:`\langle g_i, y\rangle = 0`);
* ``players[i].dual`` changed to another :math:`w` giving the same bound (e.g. in 1-D at an
  interior point, any :math:`w` between 0 and :math:`g`);
* ``delta`` when :math:`L_i = 0` and the dual bound does not depend on δ (a strict pure
  equilibrium of a normal-form game is (ε, δ)-local Nash for every δ);
* a Hessian test's ``witness`` vector, as long as it still proves the wrong sign;
* ``point`` of a callable game (the recorded oracle values are trusted, not recomputed);
* ``radius`` of an INCONCLUSIVE Kantorovich record (nothing is claimed).

For the local-CCE, linear-deviation and small-gain kinds (``constants_source``, ``region``,
``solver_message`` are free text too), likewise:

* the inputs of an INCONCLUSIVE record whose bound is ``inf`` (failed solver or oracle, no
  smoothness constant): nothing is claimed;
* ``delta`` when the bound does not depend on it (see above; for ``finite`` it only bounds the
  maps' displacements);
* a dual (``duals``, LP ``Y, z, y, x0``, SDP ``S11, S22, eta``) or a parameter
  (``linear_witness``, ``search_best.parameter`` / ``lam``) changed to another one with the same
  re-checked value (e.g. a ``y`` or ``x0`` when the repair needs no shift, or a displacement the
  projection maps back to the same points);
* for ``lp-dual`` / ``sdp-dual`` players: ``value`` (the solver's own objective estimate) and
  entries of the primal witness map whose gain coefficient is zero (the map is a float estimate
  that backs no verdict; only ``linear_gain_lower`` = its exact gain is checked);
* callable games: the recorded gradients are trusted, so evaluated gains (witness, search,
  finite family) are trusted float values, and a ``points`` / ``gradients`` change that leaves
  every recomputed statistic unchanged (a coordinate met by a zero gradient) is accepted;
* ``smoothness`` and ``gradient_error`` of a ``finite`` family of an evaluable game: they only
  enter the linearised route, which is not the minimum (``point_bounds`` must match the exactly
  evaluated gains);
* small-gain ``weights`` changed so little that ``alpha``, ``beta`` and the steps stay within
  their windows (they are re-proved for the changed weights, so the claim holds for them);
  ``constants_estimate`` set on an INCONCLUSIVE record; the evidence box of a constant Jacobian.

Callable deviation maps (``deviations`` entries null) cannot be re-checked; such files are
rejected. Support points must be feasible within the certifiers' default ``feas_tol`` 1e-9.

Derived numbers of local-Nash certificates are float computations of the certifier, so
they are compared within a **rounding window**
:math:`|\text{recorded} - \text{recomputed}| \le 10^{-9}|\text{recomputed}| + 10^{-12} S`
(:math:`S` the magnitude of the terms the number is computed from); a change smaller than
that window is not detected, and cannot change the checker's verdict, which uses its own
recomputation. Second-order records have no window (bit-for-bit). Edits of the
``game_spec`` that do not move any value used by the bound (e.g. a far-away box face when
:math:`w = 0`) do not change the claim and are accepted; the tests confirm each accepted
edit by re-certifying the edited game from scratch.

Security: expressions are parsed by a whitelist interpreter over Python's ``ast`` (sympy
constructors, arithmetic, elementary functions, the declared symbols); nothing is passed
to ``eval``.
"""

from __future__ import annotations

import ast
import json
import math
import sys
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import sympy as sp

from constructions import InvalidArgument

__all__ = ["CheckResult", "check_certificate", "check_file", "SUPPORTED_KINDS"]

SCHEMA = "localeq.certificate/1"
SUPPORTED_KINDS = ("epsilon-delta-local-nash", "kantorovich", "differential-nash", "local-minimax",
                   "local-cce", "linear-deviation", "small-gain")
_VERDICTS = ("VERIFIED", "REFUTED", "INCONCLUSIVE")


@dataclass(frozen=True)
class CheckResult:
    """Outcome of :func:`check_certificate`.

    ``ok`` -- the file's conclusions were recomputed and agree; ``method`` -- how
    (``exact-rational``, ``ball-arithmetic``, ``trusted-gradients``, ...); ``message``
    -- one line; ``assumptions`` -- what the re-check rests on beyond the game definition.

    Attributes
    ----------
    ok : bool
        The conclusions were recomputed and agree.
    kind : str
        The certificate kind.
    method : str
        How it was re-checked.
    message : str
        One line.
    assumptions : tuple of str
        What the re-check rests on.

    Examples
    --------
    >>> import json
    >>> from certificates import certify_local_nash
    >>> from constructions import quadratic_saddle
    >>> doc = json.loads(certify_local_nash(quadratic_saddle(), [0.0, 0.0], eps=1e-3, delta=1e-2).to_json())
    >>> res = check_certificate(doc)
    >>> res.ok, res.kind, res.method
    (True, 'epsilon-delta-local-nash', 'exact-rational')
    """

    ok: bool
    kind: str
    method: str
    message: str
    assumptions: tuple[str, ...] = ()

    def line(self) -> str:
        """The one-line verdict printed by ``localeq check``.

        Returns
        -------
        str
            ``"OK: certificate re-verified (<method>)"`` plus the assumptions, or
            ``"REJECTED: <message>"``.

        Examples
        --------
        >>> CheckResult(True, "local-cce", "exact-rational", "agrees").line()
        'OK: certificate re-verified (exact-rational)'
        >>> CheckResult(True, "local-nash", "trusted-gradients", "agrees", ("gradients exact",)).line()
        'OK: certificate re-verified (trusted-gradients); assumes: gradients exact'
        >>> CheckResult(False, "local-nash", "exact-rational", "slack does not match").line()
        'REJECTED: slack does not match'
        """
        if self.ok:
            extra = f"; assumes: {'; '.join(self.assumptions)}" if self.assumptions else ""
            return f"OK: certificate re-verified ({self.method}){extra}"
        return f"REJECTED: {self.message}"


class _Reject(Exception):
    pass


# ---------------------------------------------------------------------------------
# exact helpers (independent implementations)
# ---------------------------------------------------------------------------------


def _up(q: Fraction) -> float:
    """Smallest float >= q."""
    try:
        f = float(q)
    except OverflowError:
        return math.inf if q > 0 else -math.inf
    while Fraction(f) < q:
        f = math.nextafter(f, math.inf)
    while math.isfinite(f) and Fraction(math.nextafter(f, -math.inf)) >= q:
        f = math.nextafter(f, -math.inf)
    return f


def _down(q: Fraction) -> float:
    return -_up(-q)


def _sqrt_guess(q: Fraction) -> float:
    """A float within a few ulps of sqrt(q) > 0, by exponent scaling (float(q) itself may
    overflow or underflow); ``inf`` when sqrt(q) exceeds the largest float."""
    h = (q.numerator.bit_length() - q.denominator.bit_length()) // 2
    try:
        return math.ldexp(math.sqrt(float(q / Fraction(2) ** (2 * h))), h)
    except OverflowError:
        return math.inf


def _sqrt_up(q: Fraction) -> Fraction:
    """Smallest float s with s*s >= q, as a Fraction (beyond the float range: an exact rational
    upper bound)."""
    if q <= 0:
        return Fraction(0)
    s = _sqrt_guess(q)
    while math.isfinite(s) and Fraction(s) * Fraction(s) < q:
        s = math.nextafter(s, math.inf)
    if not math.isfinite(s):
        return Fraction(math.isqrt(q.numerator * q.denominator) + 1, q.denominator)
    while s > 0 and Fraction(math.nextafter(s, -math.inf)) ** 2 >= q:
        s = math.nextafter(s, -math.inf)
    return Fraction(s)


def _sqrt_down(q: Fraction) -> Fraction:
    """Largest float s with s*s <= q, as a Fraction (capped at the largest float)."""
    if q <= 0:
        return Fraction(0)
    s = min(_sqrt_guess(q), sys.float_info.max)
    while s > 0 and Fraction(s) ** 2 > q:
        s = math.nextafter(s, -math.inf)
    while s < sys.float_info.max and Fraction(math.nextafter(s, math.inf)) ** 2 <= q:
        s = math.nextafter(s, math.inf)
    return Fraction(s)


def _nrm(M: list[list[Fraction]]) -> Fraction:
    """min(Frobenius, sqrt(||M||_1 ||M||_inf)) rounded up (an upper bound on ||M||_2)."""
    if not M or not M[0]:
        return Fraction(0)
    fro = sum(v * v for row in M for v in row)
    one = max(sum(abs(row[j]) for row in M) for j in range(len(M[0])))
    inf = max(sum(abs(v) for v in row) for row in M)
    return min(_sqrt_up(Fraction(fro)), _sqrt_up(Fraction(one * inf)))


def _F(v: Any, where: str) -> Fraction:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise _Reject(f"{where} must be a number, got {v!r}")
    if isinstance(v, float) and not math.isfinite(v):
        raise _Reject(f"{where} must be finite, got {v!r}")
    return Fraction(v)


def _num(v: Any, where: str, *, allow_inf: bool = False) -> float:
    if isinstance(v, str) and allow_inf and v in ("inf", "-inf"):
        return float(v)
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise _Reject(f"{where} must be a number, got {v!r}")
    return float(v)


def _vec(v: Any, where: str, n: int | None = None) -> list[float]:
    if not isinstance(v, list):
        raise _Reject(f"{where} must be a list of numbers")
    out = [_num(t, f"{where}[{k}]") for k, t in enumerate(v)]
    if any(not math.isfinite(t) for t in out):
        raise _Reject(f"{where} must be finite")
    if n is not None and len(out) != n:
        raise _Reject(f"{where} must have length {n}, got {len(out)}")
    return out


def _close(where: str, rec: float, chk: Fraction | float, scale: Fraction | float = 0) -> None:
    """Recorded derived float must match the recomputation within the rounding window."""
    if isinstance(chk, float) and not math.isfinite(chk):
        if rec != chk:
            raise _Reject(f"{where}={rec!r} does not match the recomputed value {chk!r}")
        return
    if not math.isfinite(rec):
        raise _Reject(f"{where}={rec!r} does not match the recomputed value {float(chk):.17g}")
    c = Fraction(chk)
    tol = Fraction(1, 10**9) * abs(c) + Fraction(1, 10**12) * abs(Fraction(scale))
    if abs(Fraction(rec) - c) > tol:
        raise _Reject(f"{where}={rec!r} does not match the recomputed value {float(c):.17g}")


def _same(where: str, rec: Any, chk: float) -> None:
    """Bit-for-bit agreement (second-order records)."""
    r = _num(rec, where, allow_inf=True)
    if not (r == chk or (math.isnan(r) and math.isnan(chk))):
        raise _Reject(f"{where}={rec!r} differs from the recomputed {chk!r}")


# ---------------------------------------------------------------------------------
# games from their file form
# ---------------------------------------------------------------------------------

_FUNCS = {
    "Add": sp.Add, "Mul": sp.Mul, "Pow": sp.Pow, "Integer": sp.Integer, "Rational": sp.Rational,
    "Float": sp.Float, "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "exp": sp.exp, "log": sp.log,
    "sqrt": sp.sqrt, "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh, "atan": sp.atan,
    "asin": sp.asin, "acos": sp.acos, "erf": sp.erf, "Abs": sp.Abs,
}
_CONSTS = {"pi": sp.pi, "E": sp.E}


def _parse_expr(text: Any, symbols: dict[str, sp.Symbol], where: str) -> sp.Expr:
    if not isinstance(text, str) or len(text) > 200_000:
        raise _Reject(f"{where} must be an expression string")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise _Reject(f"{where} is not a valid expression ({exc.msg})") from None

    def ev(node: ast.AST) -> Any:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool) or v is None:
                return v
            if isinstance(v, int):
                return sp.Integer(v)
            if isinstance(v, float):
                return sp.Float(v)
            if isinstance(v, str):
                return v
            raise _Reject(f"{where}: constant {v!r} not allowed")
        if isinstance(node, ast.Name):
            if node.id in symbols:
                return symbols[node.id]
            if node.id in _CONSTS:
                return _CONSTS[node.id]
            raise _Reject(f"{where}: unknown name {node.id!r}")
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = ev(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp):
            a, b = ev(node.left), ev(node.right)
            ops = {ast.Add: lambda: a + b, ast.Sub: lambda: a - b, ast.Mult: lambda: a * b,
                   ast.Div: lambda: a / b, ast.Pow: lambda: a**b}
            for k, f in ops.items():
                if isinstance(node.op, k):
                    return f()
            raise _Reject(f"{where}: operator {type(node.op).__name__} not allowed")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name = node.func.id
            args = [ev(a) for a in node.args]
            kw = {k.arg: ev(k.value) for k in node.keywords}
            if name == "Symbol":
                if len(args) != 1 or not isinstance(args[0], str) or args[0] not in symbols:
                    raise _Reject(f"{where}: Symbol must name a declared player variable")
                return symbols[args[0]]
            if name not in _FUNCS:
                raise _Reject(f"{where}: function {name!r} not allowed")
            if name == "Float":
                if len(args) != 1 or set(kw) - {"precision"}:
                    raise _Reject(f"{where}: bad Float(...)")
                return sp.Float(args[0], precision=int(kw.get("precision", 53)))
            if kw:
                raise _Reject(f"{where}: keywords not allowed in {name}(...)")
            if name in ("Integer", "Rational"):
                return _FUNCS[name](*[int(a) for a in args])
            return _FUNCS[name](*args)
        raise _Reject(f"{where}: syntax {type(node).__name__} not allowed")

    out = ev(tree)
    if not isinstance(out, sp.Basic):
        raise _Reject(f"{where} is not an expression")
    return sp.sympify(out)


@dataclass
class _Game:
    mode: str  # exact-rational | ball-arithmetic | trusted-gradients
    dims: tuple[int, ...]
    domain: Any
    symbols: tuple[sp.Symbol, ...] = ()
    players: tuple[tuple[sp.Symbol, ...], ...] = ()
    utilities: tuple[sp.Expr, ...] = ()
    payoffs: Any = None  # nested Fractions array (numpy object array)
    minmax: bool = False
    cache: dict = field(default_factory=dict)  # derivative expressions, computed once

    @property
    def sympy(self) -> bool:
        return bool(self.utilities)

    def slices(self) -> list[slice]:
        out, s = [], 0
        for d in self.dims:
            out.append(slice(s, s + d))
            s += d
        return out

    def player_set(self, i: int, x: np.ndarray) -> Any:
        from constructions import CoupledSet, ProductSet

        dom = self.domain
        if dom is None:
            return None
        if isinstance(dom, ProductSet):
            return dom.sets[i]
        if isinstance(dom, CoupledSet):
            return dom.slice(i, x)
        return dom


def _load_game(spec: Any) -> _Game:
    from constructions._gamefile import _set_from_dict

    if not isinstance(spec, dict):
        raise _Reject("the certificate holds no game definition (game_spec); it cannot be re-checked")
    if spec.get("format") != "localeq.game/1":
        raise _Reject(f"game_spec.format must be 'localeq.game/1', got {spec.get('format')!r}")
    try:
        domain = None if spec.get("domain") is None else _set_from_dict(spec["domain"], "domain")
    except (InvalidArgument, TypeError, ValueError) as exc:
        raise _Reject(f"game_spec.domain is unusable: {exc}") from None
    if spec.get("callable"):
        dims = tuple(int(d) for d in spec.get("dims", []))
        if not dims or any(d < 1 for d in dims):
            raise _Reject("game_spec.dims must list positive block sizes")
        return _Game("trusted-gradients", dims, domain)
    if "payoffs" in spec:
        from constructions import ProductSet, Simplex

        try:
            P = np.array(spec["payoffs"], dtype=float)
        except (TypeError, ValueError):
            raise _Reject("game_spec.payoffs must be a numeric tensor") from None
        if P.ndim < 2 or P.shape[0] != P.ndim - 1 or not np.all(np.isfinite(P)):
            raise _Reject(f"game_spec.payoffs has the wrong shape {P.shape}")
        dims = tuple(int(a) for a in P.shape[1:])
        Pf = np.vectorize(Fraction, otypes=[object])(P)
        return _Game("exact-rational", dims, ProductSet([Simplex(a) for a in dims]), payoffs=Pf)
    if "minmax" in spec:
        mm = spec["minmax"]
        if not isinstance(mm, dict):
            raise _Reject("game_spec.minmax must be an object")
        names = [[str(s) for s in mm.get("x", [])], [str(s) for s in mm.get("y", [])]]
    else:
        if not isinstance(spec.get("players"), list):
            raise _Reject("game_spec needs players + utilities, minmax or payoffs")
        names = [[str(s) for s in block] for block in spec["players"]]
    flat = [n for b in names for n in b]
    if not flat or any(not b for b in names) or len(set(flat)) != len(flat):
        raise _Reject("game_spec players must be non-empty lists of distinct names")
    syms = {n: sp.Symbol(n) for n in flat}
    if "minmax" in spec:
        f = _parse_expr(spec["minmax"].get("f"), syms, "game_spec.minmax.f")
        utils: tuple[sp.Expr, ...] = (-f, f)
    else:
        us = spec.get("utilities")
        if not isinstance(us, list) or len(us) != len(names):
            raise _Reject("game_spec.utilities must give one expression per player")
        utils = tuple(_parse_expr(u, syms, f"game_spec.utilities[{k}]") for k, u in enumerate(us))
    symbols = tuple(syms[n] for n in flat)
    rational = all(u.is_rational_function(*symbols) for u in utils)
    if domain is not None and domain.dim != len(flat):
        raise _Reject("game_spec.domain dimension does not match the players' variables")
    return _Game("exact-rational" if rational else "ball-arithmetic", tuple(len(b) for b in names),
                 domain, symbols, tuple(tuple(syms[n] for n in b) for b in names), utils,
                 minmax="minmax" in spec)


def _enclose(game: _Game, exprs: list[sp.Expr], x: list[float], box: list[Fraction] | None = None
             ) -> list[tuple[Fraction, Fraction]]:
    """(lo, hi) rational bounds of each expression for all points in x ± box (box per coordinate).

    Exact (lo == hi) for rational games at a point."""
    if game.mode == "exact-rational" and (box is None or all(b == 0 for b in box)):
        subs = {s: sp.Rational(Fraction(v)) for s, v in zip(game.symbols, x, strict=True)}
        out = []
        for e in exprs:
            try:
                val = e.xreplace(subs)
            except ZeroDivisionError:
                raise _Reject("the game has a pole at the recorded point") from None
            if not val.is_Rational:
                raise _Reject("an exact rational evaluation failed")
            q = Fraction(int(val.p), int(val.q))
            out.append((q, q))
        return out
    from flint import arb

    from constructions._arb import ArbUnsupported, arb_eval, arb_lower, arb_upper

    env = {}
    for k, (s, v) in enumerate(zip(game.symbols, x, strict=True)):
        b = Fraction(0) if box is None else box[k]
        q = Fraction(v)
        c = arb(v) if isinstance(v, (int, float)) else arb(q.numerator) / arb(q.denominator)
        env[s] = c if b == 0 else c + arb(0, _up(b))
    out = []
    for e in exprs:
        try:
            ball = arb_eval(e, env)
        except (ArbUnsupported, ZeroDivisionError, ValueError):
            raise _Reject("a game expression cannot be enclosed in ball arithmetic") from None
        lo, hi = arb_lower(ball), arb_upper(ball)
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise _Reject("a game expression is unbounded near the recorded point")
        out.append((Fraction(lo), Fraction(hi)))
    return out


def _payoff_contract(P: Any, xs: list[list[Fraction]], skip: int | None) -> Any:
    out = P
    for k in range(len(xs) - 1, -1, -1):
        if k == skip:
            continue
        out = np.tensordot(out, np.array(xs[k], dtype=object), axes=([k], [0]))
    return out


def _gradient(game: _Game, i: int, x: list[float]) -> list[tuple[Fraction, Fraction]]:
    if game.payoffs is not None:
        xs = [[Fraction(v) for v in x[s]] for s in game.slices()]
        g = _payoff_contract(game.payoffs[i], xs, i)
        return [(Fraction(v), Fraction(v)) for v in np.asarray(g, dtype=object).ravel()]
    exprs = [sp.diff(game.utilities[i], s) for s in game.players[i]]
    return _enclose(game, exprs, x)


def _utility(game: _Game, i: int, x: list[float]) -> tuple[Fraction, Fraction]:
    if game.payoffs is not None:
        xs = [[Fraction(v) for v in x[s]] for s in game.slices()]
        raw = _payoff_contract(game.payoffs[i], xs, None)
        v = Fraction(raw.item() if isinstance(raw, np.ndarray) else raw)
        return v, v
    return _enclose(game, [game.utilities[i]], x)[0]


def _smoothness(game: _Game, i: int, x: list[float], delta: Fraction) -> Fraction | None:
    """Re-proved own-block smoothness on the delta-box (None = cannot prove)."""
    if game.payoffs is not None:
        return Fraction(0)
    if not game.sympy:
        return None
    own = game.players[i]
    H = [sp.diff(sp.diff(game.utilities[i], a), b) for a in own for b in own]
    box = [delta if s in own else Fraction(0) for s in game.symbols]
    try:
        enc = _enclose(_Game("ball-arithmetic", game.dims, None, game.symbols, game.players,
                             game.utilities), H, x, box)
    except _Reject:
        return None
    d = len(own)
    M = [[max(abs(enc[a * d + b][0]), abs(enc[a * d + b][1])) for b in range(d)] for a in range(d)]
    return _nrm(M)


# ---------------------------------------------------------------------------------
# local Nash
# ---------------------------------------------------------------------------------


def _check_local_nash(doc: dict) -> CheckResult:
    game = _load_game(doc.get("game_spec"))
    n = len(game.dims)
    dim = sum(game.dims)
    eps = _num(doc.get("eps"), "eps")
    delta = _num(doc.get("delta"), "delta")
    step = _num(doc.get("step"), "step")
    feas_tol = _num(doc.get("feas_tol"), "feas_tol")
    if not (eps > 0 and delta > 0 and step > 0 and feas_tol >= 0) or not all(
            math.isfinite(v) for v in (eps, delta, step, feas_tol)):
        raise _Reject("eps, delta, step must be positive and feas_tol >= 0 (finite)")
    x = _vec(doc.get("point"), "point", dim)
    xa = np.array(x)
    if game.domain is not None and not game.domain.violation(xa) <= feas_tol:
        raise _Reject(f"point violates the domain by more than feas_tol={feas_tol!r}")
    players = doc.get("players")
    if not isinstance(players, list) or len(players) != n:
        raise _Reject(f"players must list {n} player records")
    D = Fraction(delta)
    assumptions: list[str] = []
    eps_bar: list[Fraction | None] = []
    rec_eps_i: list[float] = []
    residuals: list[float] = []
    for i, p in enumerate(players):
        w_ = f"players[{i}]"
        if not isinstance(p, dict) or p.get("player") != i:
            raise _Reject(f"{w_}.player must be {i}")
        sl = game.slices()[i]
        d = game.dims[i]
        xi = x[sl]
        g_rec = _vec(p.get("gradient"), f"{w_}.gradient", d)
        if game.mode == "trusted-gradients":
            g_iv = [(Fraction(v), Fraction(v)) for v in g_rec]
            if i == 0:
                assumptions.append("the recorded gradients of the callable game are exact (trusted)")
        else:
            g_iv = _gradient(game, i, x)
            # the recorded float gradient is within the recorded error of the true one
            err2 = sum(max(abs(Fraction(r) - lo), abs(Fraction(r) - hi)) ** 2
                       for r, (lo, hi) in zip(g_rec, g_iv, strict=True))
            err_lo2 = sum(max(Fraction(0), max(lo - Fraction(r), Fraction(r) - hi)) ** 2
                          for r, (lo, hi) in zip(g_rec, g_iv, strict=True))
            e = p.get("gradient_error")
            gscale = 1 + sum(max(abs(lo), abs(hi)) for lo, hi in g_iv)
            if e is None:
                if err2 != 0:
                    raise _Reject(f"{w_}.gradient differs from the exact gradient and no "
                                  "gradient_error is recorded")
            else:
                ef = Fraction(_num(e, f"{w_}.gradient_error"))
                if ef < 0 or ef * ef < err_lo2:
                    raise _Reject(f"{w_}.gradient is farther from the recomputed gradient than "
                                  f"gradient_error={e!r}")
                if ef > _sqrt_up(err2) * (1 + Fraction(1, 10**9)) + Fraction(1, 10**12) * gscale:
                    raise _Reject(f"{w_}.gradient_error={e!r} is inconsistent with the recomputed "
                                  f"error {float(_sqrt_up(err2)):.3g}")
        S = game.player_set(i, xa)
        # --- the dual bound with the recorded w: once with the recomputed gradient (this
        # decides the verdict), once with the recorded float gradient plus the certifier's
        # 2*delta*gradient_error allowance (consistency of the recorded number)
        w = _vec(p.get("dual"), f"{w_}.dual", d)
        wF = [Fraction(v) for v in w]
        xiF = [Fraction(v) for v in xi]
        if S is None:
            sigma_part: tuple[Fraction, Fraction] | None = (
                (Fraction(0), Fraction(0)) if all(v == 0 for v in wF) else None)
        else:
            lo_b = np.array([_down(v - D) for v in xiF])
            hi_b = np.array([_up(v + D) for v in xiF])
            sigma = float(S.support(np.array(w), within=(lo_b, hi_b)))
            wx = sum((a * b for a, b in zip(wF, xiF, strict=True)), Fraction(0))
            sigma_part = (Fraction(sigma) - wx, abs(Fraction(sigma)) + abs(wx)) if math.isfinite(
                sigma) else None

        def dual_bound(giv: list[tuple[Fraction, Fraction]], sp_: Any = sigma_part,
                       wv: list[Fraction] = wF) -> Fraction | None:
            if sp_ is None:
                return None
            dist2 = sum(max(abs(lo - wk), abs(hi - wk)) ** 2 for (lo, hi), wk in zip(giv, wv, strict=True))
            return D * _sqrt_up(dist2) + sp_[0]

        gamma_bar = dual_bound(g_iv)
        lin_up = _num(p.get("linear_gain_upper"), f"{w_}.linear_gain_upper", allow_inf=True)
        if gamma_bar is None:
            scale = Fraction(0)
            if math.isfinite(lin_up):
                raise _Reject(f"{w_}.linear_gain_upper is finite but the recorded dual gives no "
                              "finite bound")
        else:
            e_rec = p.get("gradient_error")
            e_allow = 2 * D * Fraction(_num(e_rec, "gradient_error")) if e_rec is not None else 0
            rec_bound = dual_bound([(Fraction(v), Fraction(v)) for v in g_rec])
            scale = sigma_part[1] + D * (_sqrt_up(sum(Fraction(v) ** 2 for v in g_rec))
                                         + _sqrt_up(sum(v * v for v in wF)))
            if not math.isfinite(lin_up) or Fraction(lin_up) < gamma_bar - Fraction(1, 10**12) * scale:
                raise _Reject(f"{w_}.linear_gain_upper={lin_up!r} is below the recomputed bound "
                              f"{float(gamma_bar):.17g}")
            _close(f"{w_}.linear_gain_upper", lin_up, rec_bound + e_allow, scale)
        # --- primal direction and the lower value
        lower = _num(p.get("linear_gain_lower"), f"{w_}.linear_gain_lower", allow_inf=True)
        ydir = p.get("direction")
        if ydir is not None:
            y = _vec(ydir, f"{w_}.direction", d)
            yF = [Fraction(v) for v in y]
            if sum(v * v for v in yF) > D * D * (1 + Fraction(1, 10**9)):
                raise _Reject(f"{w_}.direction is longer than delta")
            if S is not None and not S.violation(np.array(xi) + np.array(y)) <= max(feas_tol, 1e-9):
                raise _Reject(f"{w_}.direction leaves the feasible set")
            gy = sum((Fraction(a) * b for a, b in zip(g_rec, yF, strict=True)), Fraction(0))
            _close(f"{w_}.linear_gain_lower", lower, gy,
                   sum(abs(Fraction(a) * b) for a, b in zip(g_rec, yF, strict=True)))
        if gamma_bar is not None and math.isfinite(lower) and math.isfinite(lin_up) and lower > lin_up:
            raise _Reject(f"{w_}.linear_gain_lower exceeds linear_gain_upper (weak duality)")
        # --- smoothness
        L_rec = p.get("smoothness")
        curv = _num(p.get("curvature_term"), f"{w_}.curvature_term", allow_inf=True)
        if L_rec is None:
            L_use = None
            if math.isfinite(curv):
                raise _Reject(f"{w_}.curvature_term must be inf without a smoothness constant")
        else:
            L_f = _num(L_rec, f"{w_}.smoothness")
            if not (L_f >= 0 and math.isfinite(L_f)):
                raise _Reject(f"{w_}.smoothness must be finite and >= 0")
            L_c = _smoothness(game, i, x, D)
            if L_c is not None and Fraction(L_f) >= L_c:
                L_use = Fraction(L_f)
            elif L_c is not None and Fraction(L_f) >= L_c * (1 - Fraction(1, 10**9)):
                L_use = L_c
            else:
                L_use = Fraction(L_f)
                assumptions.append(f"L_{i}={L_f:.17g} (recorded, not re-proved"
                                   + ("" if L_c is None else f"; the checker proves {float(L_c):.6g}")
                                   + ")")
            _close(f"{w_}.curvature_term", curv, Fraction(L_f) * D * D / 2)
        eb = None if (gamma_bar is None or L_use is None) else gamma_bar + L_use * D * D / 2
        eps_bar.append(eb)
        eu = _num(p.get("epsilon_upper"), f"{w_}.epsilon_upper", allow_inf=True)
        if eb is None:
            if math.isfinite(eu):
                raise _Reject(f"{w_}.epsilon_upper is finite but cannot be recomputed")
        else:
            if not math.isfinite(eu) or Fraction(eu) < eb - Fraction(1, 10**12) * (scale + 1):
                raise _Reject(f"{w_}.epsilon_upper={eu!r} is below the recomputed bound {float(eb):.17g}")
            _close(f"{w_}.epsilon_upper", eu, Fraction(lin_up) + Fraction(curv),
                   Fraction(abs(lin_up)) + Fraction(abs(curv)))
        rec_eps_i.append(eu)
        # --- residual (projection with the set's own projector) and its epsilon
        r_rec = _num(p.get("residual"), f"{w_}.residual", allow_inf=True)
        tgt = np.array(xi) + step * np.array(g_rec)
        proj = tgt if S is None else S.project(tgt)
        r_chk = float(np.linalg.norm(np.array(xi) - proj))
        _close(f"{w_}.residual", r_rec, Fraction(r_chk), Fraction(1) + abs(Fraction(r_chk)) * 1000)
        residuals.append(r_rec)
        re = _num(p.get("residual_epsilon"), f"{w_}.residual_epsilon", allow_inf=True)
        if L_rec is None:
            if math.isfinite(re):
                raise _Reject(f"{w_}.residual_epsilon must be inf without a smoothness constant")
        else:
            gn = _sqrt_up(sum(Fraction(v) ** 2 for v in g_rec))  # exact: no overflow for |g| ~ 1e200
            rF = Fraction(r_rec)
            val = rF * (rF + D) / Fraction(step) + gn * rF + Fraction(L_rec) * D * D / 2
            _close(f"{w_}.residual_epsilon", re, val, val + 1)
        # --- best evaluated deviation
        bt = _num(p.get("best_true_gain"), f"{w_}.best_true_gain", allow_inf=True)
        bd = p.get("best_deviation")
        if bd is None:
            if bt != -math.inf:
                raise _Reject(f"{w_}.best_true_gain must be -inf when no deviation is recorded")
        else:
            z = _vec(bd, f"{w_}.best_deviation", d)
            if _sqrt_up(sum((Fraction(a) - Fraction(b)) ** 2 for a, b in zip(z, xi, strict=True))) > D:
                raise _Reject(f"{w_}.best_deviation is farther than delta from x")
            if S is not None and not S.violation(np.array(z)) <= feas_tol:
                raise _Reject(f"{w_}.best_deviation is not feasible within feas_tol")
            g_lo, g_hi, uscale = _gain(game, i, x, z)
            if g_lo is None:
                assumptions.append(f"player {i}: best_true_gain is a trusted float evaluation")
            elif not (Fraction(bt) <= g_hi and Fraction(bt) >= g_lo - Fraction(1, 10**9) * abs(g_lo)
                      - Fraction(1, 10**12) * uscale):
                raise _Reject(f"{w_}.best_true_gain={bt!r} does not match the recomputed gain "
                              f"{float(g_lo):.17g}")
    # --- joint numbers
    joint = _num(doc.get("joint_residual"), "joint_residual", allow_inf=True)
    jr = math.sqrt(sum(r * r for r in residuals if math.isfinite(r)))
    _close("joint_residual", joint, Fraction(jr), Fraction(1) + Fraction(jr) * 1000)
    eu_all = _num(doc.get("epsilon_upper"), "epsilon_upper", allow_inf=True)
    if eu_all != max(rec_eps_i, default=0.0):
        raise _Reject(f"epsilon_upper={eu_all!r} is not the maximum of the players' bounds")
    slack = doc.get("slack")
    if slack is not None and _num(slack, "slack", allow_inf=True) != eps - eu_all:
        raise _Reject(f"slack={slack!r} is not eps - epsilon_upper")
    # --- the verdict
    verdict = doc.get("verdict")
    witness = doc.get("witness")
    chk_bar = None if any(e is None for e in eps_bar) else max(eps_bar, default=Fraction(0))
    if verdict == "VERIFIED":
        if witness is not None:
            raise _Reject("a VERIFIED certificate must not carry a refuting witness")
        if chk_bar is None or chk_bar > Fraction(eps):
            raise _Reject("the recomputed bound does not prove the claim: max_i gain_i(delta) <= "
                          f"{'inf' if chk_bar is None else f'{float(chk_bar):.17g}'} is not <= eps={eps!r}")
    elif verdict == "REFUTED":
        _check_witness(game, witness, x, eps, D, feas_tol, assumptions)
    else:
        if witness is not None:
            raise _Reject("an INCONCLUSIVE certificate must not carry a refuting witness")
        reasons = " ".join(str(r) for r in doc.get("reasons", []))
        if chk_bar is not None and math.isfinite(eu_all) and eu_all <= eps * (1 - 1e-6) \
                and "margin too tight" not in reasons:
            raise _Reject("the verdict INCONCLUSIVE is inconsistent: the recorded bound proves the claim")
    return CheckResult(True, doc["kind"], game.mode, "re-verified", tuple(assumptions))


def _gain(game: _Game, i: int, x: list[float], z: list[float]
          ) -> tuple[Fraction | None, Fraction | None, Fraction]:
    """(lower, upper) bounds on u_i(z, x_-i) - u_i(x) and the magnitude of the two utilities."""
    if game.mode == "trusted-gradients":
        return None, None, Fraction(0)
    xz = list(x)
    xz[game.slices()[i]] = z
    a_lo, a_hi = _utility(game, i, xz)
    b_lo, b_hi = _utility(game, i, x)
    return a_lo - b_hi, a_hi - b_lo, abs(a_lo) + abs(b_lo) + 1


def _check_witness(game: _Game, witness: Any, x: list[float], eps: float, D: Fraction,
                   feas_tol: float, assumptions: list[str]) -> None:
    if not isinstance(witness, dict):
        raise _Reject("a REFUTED certificate needs a witness")
    i = witness.get("player")
    if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < len(game.dims):
        raise _Reject(f"witness.player={i!r} is not a player index")
    sl = game.slices()[i]
    z = _vec(witness.get("deviation"), "witness.deviation", game.dims[i])
    xi = x[sl]
    dist = _sqrt_up(sum((Fraction(a) - Fraction(b)) ** 2 for a, b in zip(z, xi, strict=True)))
    if dist > D:
        raise _Reject(f"the witness is {float(dist):.17g} > delta away from x")
    _close("witness.distance", _num(witness.get("distance"), "witness.distance"), dist, 1)
    S = game.player_set(i, np.array(x))
    viol = 0.0 if S is None else float(S.violation(np.array(z)))
    if not viol <= feas_tol:
        raise _Reject(f"the witness violates the constraints by {viol:.3g} > feas_tol")
    _close("witness.feasibility_violation", _num(witness.get("feasibility_violation"),
                                                 "witness.feasibility_violation"), Fraction(viol), 1)
    g_lo, g_hi, uscale = _gain(game, i, x, z)
    gl = _num(witness.get("gain_lower"), "witness.gain_lower")
    gg = _num(witness.get("gain"), "witness.gain")
    if g_lo is None:
        if not gl > eps:
            raise _Reject("the recorded witness gain does not exceed eps")
        assumptions.append("the witness gain is a trusted float evaluation of the callable game")
        return
    if not g_lo > Fraction(eps):
        raise _Reject(f"the witness's recomputed gain {float(g_lo):.17g} does not exceed eps={eps!r}")
    tol = Fraction(1, 10**9) * abs(g_lo) + Fraction(1, 10**12) * uscale
    if not (Fraction(gl) <= g_hi and Fraction(gl) >= g_lo - tol):
        raise _Reject(f"witness.gain_lower={gl!r} does not match the recomputed gain {float(g_lo):.17g}")
    if abs(Fraction(gg) - g_lo) > tol + (g_hi - g_lo):
        raise _Reject(f"witness.gain={gg!r} does not match the recomputed gain {float(g_lo):.17g}")


# ---------------------------------------------------------------------------------
# second order
# ---------------------------------------------------------------------------------


def _jac_exprs(game: _Game) -> list[list[sp.Expr]]:
    grads = [sp.diff(u, s) for u, block in zip(game.utilities, game.players, strict=True) for s in block]
    return [[sp.diff(g, s) for s in game.symbols] for g in grads]


def _midrad(enc: list[tuple[Fraction, Fraction]]) -> tuple[list[Fraction], list[Fraction]]:
    return [(lo + hi) / 2 for lo, hi in enc], [(hi - lo) / 2 for lo, hi in enc]


def _kantorovich_recompute(game: _Game, doc: dict, where: str) -> dict[str, Any]:
    """Recompute beta, eta0, gamma, h, r*, uniqueness radius; compare bit for bit."""
    x = _vec(doc.get("point"), f"{where}.point", sum(game.dims))
    n = len(x)
    assumptions: list[str] = []
    if game.sympy:
        Jenc = _enclose(game, [e for row in _jac_exprs(game) for e in row], x)
        wenc = _enclose(game, [sp.diff(u, s) for u, b in zip(game.utilities, game.players, strict=True)
                               for s in b], x)
        Jm, Jr = _midrad(Jenc)
        wm, wr = _midrad(wenc)
        method = game.mode
    else:
        TJ, Tw = doc.get("trusted_jacobian"), doc.get("trusted_pseudo_gradient")
        if not isinstance(TJ, list) or len(TJ) != n:
            raise _Reject(f"{where}.trusted_jacobian is required for a callable game")
        Jm = [Fraction(v) for k, row in enumerate(TJ) for v in _vec(row, f"{where}.trusted_jacobian[{k}]", n)]
        Jr = [Fraction(0)] * (n * n)
        wm = [Fraction(v) for v in _vec(Tw, f"{where}.trusted_pseudo_gradient", n)]
        wr = [Fraction(0)] * n
        method = "trusted-jacobian"
        assumptions.append("the recorded Jacobian and pseudo-gradient of the callable game are exact")
    M = sp.Matrix(n, n, [sp.Rational(v.numerator, v.denominator) for v in Jm])
    out: dict[str, Any] = {"method": method, "assumptions": assumptions, "ok": False}
    if M.det() == 0:
        out["why"] = "singular"
        return out
    Minv_s = M.inv()
    Minv = [[Fraction(int(Minv_s[a, b].p), int(Minv_s[a, b].q)) for b in range(n)] for a in range(n)]
    absM = [[abs(v) for v in row] for row in Minv]
    R = [[Jr[a * n + b] for b in range(n)] for a in range(n)]
    q = _nrm([[sum(absM[a][k] * R[k][b] for k in range(n)) for b in range(n)] for a in range(n)])
    if q >= 1:
        out["why"] = "enclosure"
        return out
    beta = _up(_nrm(Minv) / (1 - q))
    v1 = [sum(Minv[a][k] * wm[k] for k in range(n)) for a in range(n)]
    v2 = [sum(absM[a][k] * wr[k] for k in range(n)) for a in range(n)]
    eta0 = _up((_sqrt_up(sum(v * v for v in v1)) + _sqrt_up(sum(v * v for v in v2))) / (1 - q))
    out.update(beta=beta, eta0=eta0)
    r = _num(doc.get("radius"), f"{where}.radius", allow_inf=True)
    if not (math.isfinite(r) and r >= _up(2 * Fraction(eta0))):
        raise _Reject(f"{where}.radius={r!r} must be >= 2*eta0")
    if game.sympy:
        third = [sp.diff(e, s) for row in _jac_exprs(game) for e in row for s in game.symbols]
        enc = _enclose(game, third, x, [Fraction(r)] * n)
        gamma = _up(_sqrt_up(sum(max(abs(lo), abs(hi)) ** 2 for lo, hi in enc)))
    else:
        gamma = _num(doc.get("gamma"), f"{where}.gamma")
        if not (gamma >= 0 and math.isfinite(gamma)):
            raise _Reject(f"{where}.gamma must be finite and >= 0")
        assumptions.append(f"gamma={gamma:.17g} is a Lipschitz constant of the Jacobian (declared)")
    b, e, g = Fraction(beta), Fraction(eta0), Fraction(gamma)
    h = b * g * e
    out.update(gamma=gamma, h=_up(h), radius=r)
    if 2 * h > 1:
        out["why"] = "h"
        return out
    s = _sqrt_down(1 - 2 * h)
    out["r_star"] = _up(2 * e / (1 + s))
    out["r_unique"] = r if g == 0 else min(r, _down((1 + s) / (b * g)))
    out["ok"] = True
    return out


def _check_kantorovich_record(game: _Game, doc: dict, where: str) -> dict[str, Any]:
    k = _kantorovich_recompute(game, doc, where)
    verdict = doc.get("verdict")
    if k["ok"]:
        if verdict != "VERIFIED":
            raise _Reject(f"{where}.verdict={verdict!r} but the recomputed h <= 1/2 proves the claim")
        for name, key in (("beta", "beta"), ("eta0", "eta0"), ("gamma", "gamma"), ("h", "h"),
                          ("existence_radius", "r_star"), ("uniqueness_radius", "r_unique")):
            _same(f"{where}.{name}", doc.get(name), k[key])
    else:
        if verdict != "INCONCLUSIVE":
            raise _Reject(f"{where}.verdict={verdict!r} but the Newton-Kantorovich test fails "
                          f"({k.get('why')})")
        for name in ("beta", "eta0", "gamma", "h"):
            _same(f"{where}.{name}", doc.get(name), k.get(name, math.inf))
        _same(f"{where}.existence_radius", doc.get("existence_radius"), math.inf)
        _same(f"{where}.uniqueness_radius", doc.get("uniqueness_radius"), 0.0)
    return k


def _shifted(M: list[list[Fraction]], t: Fraction) -> list[list[Fraction]]:
    return [[v + (t if a == b else 0) for b, v in enumerate(row)] for a, row in enumerate(M)]


def _descartes(coeffs: list[Fraction]) -> int:
    signs = [c > 0 for c in coeffs if c != 0]
    return sum(1 for a, b in zip(signs, signs[1:], strict=False) if a != b)


def _inertia(M: list[list[Fraction]]) -> tuple[int, int, int]:
    """Exact inertia via the characteristic polynomial and Descartes' rule (all roots real)."""
    n = len(M)
    A = sp.Matrix(n, n, [sp.Rational(v.numerator, v.denominator) for row in M for v in row])
    t = sp.Symbol("t")
    coeffs = [Fraction(int(c.p), int(c.q)) for c in sp.Poly(A.charpoly(t).as_expr(), t).all_coeffs()]
    zero = 0
    while coeffs and coeffs[-1] == 0:
        coeffs.pop()
        zero += 1
    pos = _descartes(coeffs)
    deg = len(coeffs) - 1
    neg = _descartes([c * (-1) ** (deg - k) for k, c in enumerate(coeffs)])
    return pos, neg, zero


def _sym_enclosure(game: _Game, exprs: list[list[sp.Expr]], x: list[float], box: Fraction
                   ) -> tuple[list[list[Fraction]], list[list[Fraction]]]:
    d = len(exprs)
    flat = [e for row in exprs for e in row]
    enc = _enclose(game, flat, x, [box] * len(x) if box > 0 else None)
    mid, rad = _midrad(enc)
    M = [[(mid[a * d + b] + mid[b * d + a]) / 2 for b in range(d)] for a in range(d)]
    R = [[(rad[a * d + b] + rad[b * d + a]) / 2 for b in range(d)] for a in range(d)]
    return M, R


def _hessian_decision(where: str, rec: Any, M: list[list[Fraction]], R: list[list[Fraction]],
                      want: str, box: float) -> str:
    if not isinstance(rec, dict):
        raise _Reject(f"{where} is missing")
    if rec.get("want") != want:
        raise _Reject(f"{where}.want must be {want!r}")
    tau = _nrm(R)
    _same(f"{where}.tau", rec.get("tau"), _up(tau))
    _same(f"{where}.box", rec.get("box"), box)
    d = len(M)
    S = M if want == "positive-definite" else [[-v for v in row] for row in M]
    shifted = [[v - (tau if a == b else 0) for b, v in enumerate(row)] for a, row in enumerate(S)]
    definite = _inertia(shifted)[0] == d
    decision = rec.get("decision")
    wit = rec.get("witness")
    if definite:
        if decision != want:
            raise _Reject(f"{where}.decision={decision!r} but the block is provably {want}")
        return decision
    if decision == want:
        raise _Reject(f"{where}: the block is not provably {want}")
    if decision == "wrong-sign":
        v = [Fraction(t) for t in _vec(wit, f"{where}.witness", d)]
        quad = sum(v[a] * S[a][b] * v[b] for a in range(d) for b in range(d))
        slack = sum(abs(v[a]) * R[a][b] * abs(v[b]) for a in range(d) for b in range(d))
        if not quad + slack < 0:
            raise _Reject(f"{where}.witness does not prove curvature of the wrong sign")
        return decision
    if decision != "undecided" or wit is not None:
        raise _Reject(f"{where}.decision={decision!r} is not a valid decision")
    return decision


def _interior_ok(game: _Game, x: list[float], r: float) -> bool | None:
    from constructions import Ball, Box, ProductSet

    dom = game.domain
    if dom is None:
        return True
    sets = list(dom.sets) if isinstance(dom, ProductSet) else [dom]
    start, R = 0, Fraction(r)
    for S in sets:
        xi = [Fraction(v) for v in x[start:start + S.dim]]
        start += S.dim
        if isinstance(S, Box):
            for v, lo, hi in zip(xi, S.lo, S.hi, strict=True):
                if math.isfinite(lo) and not v - Fraction(float(lo)) > R:
                    return False
                if math.isfinite(hi) and not Fraction(float(hi)) - v > R:
                    return False
        elif isinstance(S, Ball):
            c = [Fraction(float(t)) for t in S.center]
            dist = _sqrt_up(sum((a - b) ** 2 for a, b in zip(xi, c, strict=True)))
            if not Fraction(float(S.radius)) - dist > R:
                return False
        else:
            return None
    return True


def _check_second_order(doc: dict) -> CheckResult:
    kind = doc["kind"]
    game = _load_game(doc.get("game_spec"))
    if kind == "kantorovich":
        k = _check_kantorovich_record(game, doc, "certificate")
        return CheckResult(True, kind, k["method"], "re-verified", tuple(k["assumptions"]))
    kd = doc.get("kantorovich")
    if not isinstance(kd, dict) or kd.get("kind") != "kantorovich":
        raise _Reject("the nested kantorovich record is missing")
    if kd.get("point") != doc.get("point"):
        raise _Reject("the nested kantorovich record is about a different point")
    k = _check_kantorovich_record(game, kd, "kantorovich")
    verdict = doc.get("verdict")
    x = _vec(doc.get("point"), "point", sum(game.dims))
    _same("existence_radius", doc.get("existence_radius"), k.get("r_star", math.inf))
    usable = k["ok"] and game.sympy and bool(_interior_ok(game, x, k["r_star"]))
    if not usable:
        if verdict != "INCONCLUSIVE":
            raise _Reject(f"verdict={verdict!r} but the existence of an interior critical point is "
                          "not proved")
        return CheckResult(True, kind, k["method"], "re-verified (undecided)", tuple(k["assumptions"]))
    box = Fraction(k["r_star"])
    if kind == "differential-nash":
        tests = doc.get("hessians")
        if not isinstance(tests, list) or len(tests) != len(game.dims):
            raise _Reject("hessians must hold one test per player")
        decisions = []
        for i, block in enumerate(game.players):
            # differentiate in the certifier's order (gradient first) so the ball
            # enclosures of the same expression tree coincide bit for bit
            H = [[sp.diff(sp.diff(game.utilities[i], a), b) for b in block] for a in block]
            M, R = _sym_enclosure(game, H, x, box)
            decisions.append(_hessian_decision(f"hessians[{i}]", tests[i], M, R, "negative-definite",
                                               float(box)))
        want = ("REFUTED" if "wrong-sign" in decisions else
                "VERIFIED" if all(d == "negative-definite" for d in decisions) else "INCONCLUSIVE")
    else:
        if not game.minmax:
            raise _Reject("a local-minimax certificate needs a min-max game (game_spec.minmax)")
        f = game.utilities[1]
        dx, dy = game.dims
        H = [[sp.diff(f, a, b) for b in game.symbols] for a in game.symbols]
        M, R = _sym_enclosure(game, H, x, box)
        xs, ys = range(dx), range(dx, dx + dy)
        sub = [[[Z[a][b] for b in idx] for a in idx] for Z in (M, R) for idx in (ys, xs)]
        fol = _hessian_decision("follower", doc.get("follower"), sub[0], sub[2], "negative-definite",
                                float(box))
        lead = _hessian_decision("leader", doc.get("leader"), sub[1], sub[3], "positive-definite",
                                 float(box))
        tau = _nrm(R)
        _same("tau", doc.get("tau"), _up(tau))
        in_up, in_lo = _inertia(_shifted(M, -tau)), _inertia(_shifted(M, tau))
        if list(in_up) != doc.get("inertia_upper") or list(in_lo) != doc.get("inertia_lower"):
            raise _Reject(f"inertia_upper/inertia_lower differ from the recomputed {in_up}, {in_lo}")
        also = (False if "wrong-sign" in (lead, fol) else
                True if (lead, fol) == ("positive-definite", "negative-definite") else None)
        if doc.get("also_local_nash") is not also:
            raise _Reject(f"also_local_nash={doc.get('also_local_nash')!r} differs from the "
                          f"recomputed {also}")
        if fol == "wrong-sign" or (fol == "negative-definite" and in_lo[1] > dy):
            want = "REFUTED"
        elif fol == "negative-definite" and in_up[0] == dx and in_lo[1] == dy:
            want = "VERIFIED"
        else:
            want = "INCONCLUSIVE"
    if verdict != want:
        raise _Reject(f"verdict={verdict!r} but the recomputation gives {want}")
    return CheckResult(True, kind, k["method"], "re-verified", tuple(k["assumptions"]))


# ---------------------------------------------------------------------------------
# entry points
# ---------------------------------------------------------------------------------


def _other_kind(doc: dict) -> CheckResult:
    """Kinds of the distribution / linear / small-gain certifiers (:mod:`certificates._check_more`)."""
    from ._check_more import check_linear_deviation, check_local_cce, check_small_gain

    kind = doc["kind"]
    checks = {"local-cce": check_local_cce, "linear-deviation": check_linear_deviation,
              "small-gain": check_small_gain}
    if kind not in checks:
        raise _Reject(f"unsupported kind={kind!r}")
    return checks[kind](doc)


def check_certificate(doc: Any) -> CheckResult:
    """Re-verify a certificate given as the parsed JSON object of a file.

    Parameters
    ----------
    doc : dict
        The certificate (``localeq.certificate/1``).

    Returns
    -------
    CheckResult
        ``ok`` False with the reason when anything is inconsistent, unsupported or unproved.

    Examples
    --------
    >>> import json
    >>> from certificates import certify_local_nash
    >>> from constructions import quadratic_saddle
    >>> doc = json.loads(certify_local_nash(quadratic_saddle(), [0.0, 0.0], eps=1e-3, delta=1e-2).to_json())
    >>> check_certificate(doc).line()
    'OK: certificate re-verified (exact-rational)'
    >>> doc["eps"] = 1e-9
    >>> check_certificate(doc).line()[:9]
    'REJECTED:'
    """
    kind = doc.get("kind") if isinstance(doc, dict) else None
    try:
        if not isinstance(doc, dict):
            raise _Reject("a certificate file must hold a JSON object")
        if doc.get("schema") != SCHEMA:
            raise _Reject(f"schema must be {SCHEMA!r}, got {doc.get('schema')!r}")
        if doc.get("verdict") not in _VERDICTS:
            raise _Reject(f"verdict must be one of {_VERDICTS}, got {doc.get('verdict')!r}")
        if not isinstance(kind, str):
            raise _Reject("kind is missing")
        if kind == "epsilon-delta-local-nash":
            return _check_local_nash(doc)
        if kind in ("kantorovich", "differential-nash", "local-minimax"):
            return _check_second_order(doc)
        return _other_kind(doc)
    except _Reject as exc:
        return CheckResult(False, str(kind), "", str(exc))
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, ZeroDivisionError,
            OverflowError, RecursionError) as exc:
        return CheckResult(False, str(kind), "", f"malformed certificate ({type(exc).__name__}: {exc})")


def check_file(path: str | Path) -> CheckResult:
    """Read and re-verify a certificate file.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``localeq.certificate/1`` JSON file (e.g. written by ``localeq verify --json``).

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from certificates import certify_local_nash
    >>> from constructions import quadratic_saddle
    >>> cert = certify_local_nash(quadratic_saddle(), [0.0, 0.0], eps=1e-3, delta=1e-2)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "cert.json"
    ...     _ = path.write_text(cert.to_json())
    ...     print(check_file(path).line())
    OK: certificate re-verified (exact-rational)

    Raises
    ------
    InvalidArgument
        The file cannot be read or is not JSON (``localeq check`` exits with status 2).
    """
    p = Path(path)
    try:
        text = p.read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidArgument(f"cannot read certificate path={str(path)!r}: "
                              f"{getattr(exc, 'strerror', None) or exc}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidArgument(f"certificate path={str(path)!r} is not valid JSON (truncated or "
                              f"corrupted?): {exc.msg} at line {exc.lineno}") from None
    return check_certificate(doc)
