r"""Checks, measurements and solution extraction for lifted games (DSZ Thm 4.4 / 6.1 proofs).

* :func:`extract_solution` -- from a point with projected-GDA residual below :math:`\alpha`, the
  panchromatic cell with its ``2d``-vertex certificate, or a boundary violation (DSZ proof of
  Thm 4.4: per coordinate, Lemma 7.8 if :math:`\delta \le x_i \le 1-\delta`, property (D) otherwise).
* :func:`find_fixed_point` -- local search for an :math:`\alpha`-approximate GDA fixed point started
  inside a given cell.
* :func:`check_lift` -- the smoothness checks as code: partition of unity, support size, continuity
  of value and gradient across cell faces and between Kuhn simplices, and the key inequality.
* :func:`measure_constants` -- measured Lipschitz constant and smoothness (sampling + local
  maximisation).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from scipy.optimize import minimize

from .._errors import InvalidArgument
from .._validation import as_positive_int, as_real, as_rng, short_repr
from ..sperner import BoundaryViolation, Certificate, CertificateCheck, check_certificate
from ._lifted import LiftedGame

__all__ = [
    "Extraction",
    "extract_solution",
    "FixedPointSearch",
    "find_fixed_point",
    "LiftCheck",
    "check_lift",
    "MeasuredConstants",
    "measure_constants",
]


def _check_lifted(lifted: Any) -> LiftedGame:
    if not isinstance(lifted, LiftedGame):
        raise InvalidArgument(
            f"lifted must be a LiftedGame (see lift_colouring), got lifted={short_repr(lifted)}"
        )
    return lifted


# ----------------------------------------------------------------------------------------------
# Extraction
# ----------------------------------------------------------------------------------------------


class Extraction(NamedTuple):
    """A BiSperner solution read off an approximate GDA fixed point.

    Attributes
    ----------
    kind : {'panchromatic', 'violation', 'none'}
        ``'none'`` only if the theory fails (never observed; it would be a bug).
    cell : tuple of int
        The lexicographically first cell :math:`R(x)` containing ``x``.
    certificate : Certificate or None
        ``2d``-vertex certificate built from the positive-weight vertices (``'panchromatic'``).
    violation : BoundaryViolation or None
        A boundary vertex with the wrong sign (``'violation'``).
    check : CertificateCheck or None
        Independent check of the certificate against the colouring (``2d`` more queries).
    residual : float
        Projected-GDA residual of the point.
    n_queries : int
        Colour queries made (the relevant vertices, plus ``2d`` for the check).
    message : str
        One sentence.

    Examples
    --------
    >>> from constructions.lift import lift_colouring
    >>> from constructions.sperner import planted_instance
    >>> g = lift_colouring(planted_instance(8, 2, target=(3, 4), rng=0).colouring)
    >>> fp = find_fixed_point(g, (3, 4))
    >>> ex = extract_solution(g, fp.x, fp.y)
    >>> ex.kind, ex.cell, ex.certificate.cell, ex.check.valid
    ('panchromatic', (3, 4), (3, 4), True)
    """

    kind: str
    cell: tuple[int, ...]
    certificate: Certificate | None
    violation: BoundaryViolation | None
    check: CertificateCheck | None
    residual: float
    n_queries: int
    message: str


def extract_solution(lifted: LiftedGame, x: Any, y: Any, *, require_fixed_point: bool = True) -> Extraction:
    r"""Map a point with GDA residual below :math:`\alpha` back to a BiSperner solution.

    The relevant vertices are those with positive weight at ``x`` (at most ``d+1`` for SEIC, ``4``
    in 2D; they are corners of every cell containing ``x``). For every coordinate ``i``: if both
    signs of :math:`C^i` occur among them, fine; if only ``-1`` occurs, a relevant vertex with
    :math:`v_i = 0` is a type-2 violation; if only ``+1``, one with :math:`v_i = N-1` is a type-3
    violation (DSZ property (D), strict form). Otherwise the relevant vertices certify that the cell
    is panchromatic; the certificate is verified with
    :func:`~constructions.sperner.check_certificate`.

    Raises
    ------
    InvalidArgument
        ``(x, y)`` outside the domain, or (with ``require_fixed_point``) residual :math:`\ge \alpha`.

    Parameters
    ----------
    lifted : LiftedGame
        The lifted game.
    x, y : array_like
        The point.
    require_fixed_point : bool, default True
        Refuse points whose residual is not below :math:`\alpha`.

    Returns
    -------
    Extraction

    Examples
    --------
    >>> from constructions.lift import lift_colouring
    >>> from constructions.sperner import planted_instance
    >>> g = lift_colouring(planted_instance(8, 2, target=(3, 4), rng=0).colouring)
    >>> fp = find_fixed_point(g, (3, 4))
    >>> ex = extract_solution(g, fp.x, fp.y)
    >>> ex.kind, ex.cell, ex.check.valid
    ('panchromatic', (3, 4), True)
    """
    lifted = _check_lifted(lifted)
    x, y = lifted.check_point(x, y)
    res = lifted.residual(x, y)
    if require_fixed_point and not res < lifted.alpha:
        raise InvalidArgument(
            f"(x, y) is not an alpha-approximate GDA fixed point: residual={res:.6g} >= "
            f"alpha={lifted.alpha:.6g}; "
            f"got x={short_repr(x)}, y={short_repr(y)}"
        )
    it = lifted.interpolation(x)
    rel = it.vertices[np.isfinite(it.log_weights)]  # exact positivity (log space)
    C = np.asarray(lifted.colouring(rel))
    nq = int(rel.shape[0])
    d, n = lifted.d, lifted.n
    cell = tuple(int(c) for c in it.cell)
    vs, us = [], []
    for i in range(d):
        neg = np.nonzero(C[:, i] < 0)[0]
        pos = np.nonzero(C[:, i] > 0)[0]
        if len(neg) and len(pos):
            vs.append(rel[neg[0]])
            us.append(rel[pos[0]])
            continue
        if len(neg):
            hit = np.nonzero(rel[:, i] == 0)[0]
            face, col = "lower", -1
        else:
            hit = np.nonzero(rel[:, i] == n - 1)[0]
            face, col = "upper", 1
        if len(hit):
            v = tuple(int(a) for a in rel[hit[0]])
            viol = BoundaryViolation(v, i, face, col)
            return Extraction("violation", cell, None, viol, None, res, nq, f"boundary violation: {viol}")
        return Extraction(
            "none",
            cell,
            None,
            None,
            None,
            res,
            nq,
            f"coordinate {i}: all relevant vertices have sign {col:+d} and none lies on the {face} face",
        )
    cert = Certificate(cell, np.array(vs, dtype=np.int64), np.array(us, dtype=np.int64))
    chk = check_certificate(lifted.colouring, cert)
    return Extraction("panchromatic", cell, cert, None, chk, res, nq + chk.n_queries, chk.message)


# ----------------------------------------------------------------------------------------------
# Local search for a fixed point
# ----------------------------------------------------------------------------------------------


class FixedPointSearch(NamedTuple):
    """Outcome of :func:`find_fixed_point`.

    Attributes
    ----------
    x, y : numpy.ndarray
        Best point found.
    residual : float
        Its projected-GDA residual.
    success : bool
        ``residual < alpha``.
    n_evaluations : int
        Oracle evaluations used.

    Examples
    --------
    >>> from constructions.lift import lift_colouring
    >>> from constructions.sperner import planted_instance
    >>> g = lift_colouring(planted_instance(8, 2, target=(3, 4), rng=0).colouring)
    >>> fp = find_fixed_point(g, (3, 4))
    >>> fp.success, fp.residual < g.parameters.alpha
    (True, True)
    """

    x: np.ndarray
    y: np.ndarray
    residual: float
    success: bool
    n_evaluations: int


def find_fixed_point(lifted: LiftedGame, cell: Any, *, n_starts: int = 4, rng: Any = 0) -> FixedPointSearch:
    r"""Search the closed cell ``cell`` for an :math:`\alpha`-approximate GDA fixed point.

    Stage 1 minimises :math:`\tfrac12\|a(x)\|^2` over the cell (L-BFGS-B with the exact gradient
    :math:`J_a^\top a`) and sets ``y = x``: at a zero of ``a`` with ``y = x`` both gradients vanish,
    so the residual is 0. Stage 2 (if needed) minimises the residual over ``(x, y)`` with
    Nelder-Mead, keeping the point in the domain.

    Parameters
    ----------
    lifted : LiftedGame
        The lifted game.
    cell : sequence of int
        Lower corner of the cell to search.
    n_starts : int, default 4
        Random starts.
    rng : int, Generator or None, default 0
        Randomness of the starts.

    Returns
    -------
    FixedPointSearch

    Examples
    --------
    >>> from constructions.lift import lift_colouring
    >>> from constructions.sperner import planted_instance
    >>> g = lift_colouring(planted_instance(8, 2, target=(3, 4), rng=0).colouring)
    >>> find_fixed_point(g, (3, 4)).success
    True
    """
    lifted = _check_lifted(lifted)
    d, n = lifted.d, lifted.n
    c = np.asarray(cell, dtype=np.int64)
    if c.shape != (d,) or c.min() < 0 or c.max() > n - 2:
        raise InvalidArgument(
            f"cell must be a lower corner in {{0..{n - 2}}}^{d}, got cell={short_repr(cell)}"
        )
    n_starts = as_positive_int(n_starts, "n_starts")
    gen = as_rng(rng)
    lo, hi = c / (n - 1), (c + 1) / (n - 1)
    count = [0]

    def obj(x: np.ndarray) -> tuple[float, np.ndarray]:
        count[0] += 1
        x = np.clip(x, lo, hi)
        it = lifted.interpolation(x)
        C = np.asarray(lifted.colouring(it.vertices), dtype=float)
        a = C.T @ it.weights
        Ja = C.T @ it.jacobian
        return 0.5 * float(a @ a), Ja.T @ a

    best: tuple[float, np.ndarray, np.ndarray] | None = None
    starts = [0.5 * (lo + hi)] + [lo + (hi - lo) * gen.uniform(0.05, 0.95, d) for _ in range(n_starts - 1)]
    for x0 in starts:
        r = minimize(
            obj,
            x0,
            jac=True,
            method="L-BFGS-B",
            bounds=list(zip(lo, hi, strict=True)),
            options={"ftol": 1e-30, "gtol": 1e-14, "maxiter": 500},
        )
        x = np.clip(r.x, lo, hi)
        res = lifted.residual(x, x)
        count[0] += 1
        if best is None or res < best[0]:
            best = (res, x, x.copy())
        if res < lifted.alpha * 1e-3:
            break
    assert best is not None
    if not best[0] < lifted.alpha:
        D = lifted.Delta

        def resid(z: np.ndarray) -> float:
            count[0] += 1
            x = np.clip(z[:d], lo, hi)
            y = np.clip(z[d:], np.maximum(0.0, x - D), np.minimum(1.0, x + D))
            return lifted.residual(x, y)

        r = minimize(
            resid,
            np.concatenate([best[1], best[2]]),
            method="Nelder-Mead",
            options={"maxiter": 4000 * d, "xatol": 1e-14, "fatol": 1e-16},
        )
        x = np.clip(r.x[:d], lo, hi)
        y = np.clip(r.x[d:], np.maximum(0.0, x - D), np.minimum(1.0, x + D))
        res = lifted.residual(x, y)
        if res < best[0]:
            best = (res, x, y)
    return FixedPointSearch(best[1], best[2], float(best[0]), bool(best[0] < lifted.alpha), count[0])


# ----------------------------------------------------------------------------------------------
# Smoothness checks
# ----------------------------------------------------------------------------------------------


class LiftCheck(NamedTuple):
    r"""Outcome of :func:`check_lift` (all maxima over the sampled points).

    Attributes
    ----------
    passed : bool
        Every check within its tolerance.
    partition_error : float
        :math:`\max|\sum_v P_v - 1|`.
    max_support : int
        Largest number of positive weights (SEIC: at most ``d+1``; tensor: ``2^d``).
    face_value_jump, face_gradient_jump : float
        Largest difference of ``f`` / ``(grad_x f, grad_y f)`` (inf-norm) between the two cells that
        share a face, at points on the face.
    kuhn_value_jump, kuhn_gradient_jump : float
        The same between the two tie-breaking orders at points where two canonical coordinates tie
        (0 for the tensor scheme, which has no simplices).
    key_margin : float
        Smallest :math:`1 - \Delta\sum_{j \ne i} |\partial a_j/\partial x_i|` over sampled ``x`` and axes
        ``i`` on which all positive-weight vertices agree: the worst case over ``y`` of
        :math:`-C^i\,\partial f/\partial x_i`; DSZ need :math:`\ge 1/2`. ``inf`` if no axis agreed.
    key_min_observed : float
        Smallest :math:`-C^i\,\partial f/\partial x_i` at the sampled ``(x, y)``.
    n_points : int
        Points sampled.
    message : str
        One sentence.

    Examples
    --------
    >>> from constructions.lift import lift_colouring
    >>> from constructions.sperner import planted_instance
    >>> g = lift_colouring(planted_instance(8, 2, target=(3, 4), rng=0).colouring)
    >>> chk = check_lift(g, n_samples=10)
    >>> chk.passed, chk.max_support, chk.key_margin >= 0.75          # tensor scheme: proved 3/4
    (True, 4, True)
    """

    passed: bool
    partition_error: float
    max_support: int
    face_value_jump: float
    face_gradient_jump: float
    kuhn_value_jump: float
    kuhn_gradient_jump: float
    key_margin: float
    key_min_observed: float
    n_points: int
    message: str


def _joint_grad(ev: Any) -> np.ndarray:
    return np.concatenate([ev.grad_x, ev.grad_y])


def check_lift(lifted: LiftedGame, *, n_samples: int = 200, rng: Any = 0, tol: float = 1e-9) -> LiftCheck:
    r"""Run the smoothness and key-inequality checks of the DSZ lift on random points of the instance.

    Parameters
    ----------
    lifted : LiftedGame
        The instance.
    n_samples : int, default 200
        Points per check.
    rng : seed or Generator
        Randomness.
    tol : float, default 1e-9
        Tolerance for the continuity jumps (relative to ``1 + |grad|``) and the partition of unity.

    Examples
    --------
    >>> from constructions.lift import lift_colouring
    >>> from constructions.sperner import random_colouring
    >>> chk = check_lift(lift_colouring(random_colouring(5, 3, rng=1)), n_samples=40)
    >>> chk.passed, chk.max_support <= 4, chk.key_margin >= 0.5
    (True, True, True)
    """
    lifted = _check_lifted(lifted)
    n_samples = as_positive_int(n_samples, "n_samples")
    tol = as_real(tol, "tol", nonnegative=True)
    gen = as_rng(rng)
    d, n, D = lifted.d, lifted.n, lifted.Delta
    part = 0.0
    supp = 0
    key_margin = np.inf
    key_obs = np.inf

    def rand_y(x: np.ndarray) -> np.ndarray:
        y = x + D * gen.uniform(-1.0, 1.0, d)
        return np.clip(y, 0.0, 1.0)

    for _ in range(n_samples):
        x = gen.random(d)
        y = rand_y(x)
        ev = lifted.evaluate(x, y)
        it = ev.interpolation
        part = max(part, abs(float(it.weights.sum()) - 1.0))
        pos = np.isfinite(it.log_weights)
        supp = max(supp, int(pos.sum()))
        C = ev.colours[pos].astype(float)
        Ja = ev.colours.astype(float).T @ it.jacobian  # d a_j / d x_i
        for i in range(d):
            col = C[:, i]
            if np.all(col == col[0]):
                s = -col[0]
                others = np.delete(np.abs(Ja[:, i]), i)
                key_margin = min(key_margin, 1.0 - D * float(others.sum()))
                key_obs = min(key_obs, float(s * ev.grad_x[i]))
    # faces: x_i = k delta with 1 <= k <= N-2, compare the two cells
    fv = fg = 0.0
    if n >= 3:
        for _ in range(n_samples):
            x = gen.random(d)
            i = int(gen.integers(d))
            k = int(gen.integers(1, n - 1))
            x[i] = k / (n - 1)
            y = rand_y(x)
            c_lo = lifted.interpolation(x).cell.copy()
            c_lo[i] = k - 1
            c_hi = c_lo.copy()
            c_hi[i] = k
            e1 = lifted.evaluate(x, y, cell=c_lo)
            e2 = lifted.evaluate(x, y, cell=c_hi)
            g1, g2 = _joint_grad(e1), _joint_grad(e2)
            fv = max(fv, abs(e1.value - e2.value))
            fg = max(fg, float(np.max(np.abs(g1 - g2))) / (1.0 + float(np.max(np.abs(g1)))))
    kv = kg = 0.0
    if lifted.scheme == "seic" and d >= 2:
        for _ in range(n_samples):
            x = gen.random(d)
            it = lifted.interpolation(x)
            a, b = gen.choice(d, 2, replace=False)
            # move x_b so that p_b = p_a inside the same cell
            from ._interp import canonical_coordinates

            c, s, _, sig, p = canonical_coordinates(x, n)
            x[b] = (s[b] + sig[b] * p[a]) / (n - 1)
            c2, _, _, _, p2 = canonical_coordinates(x, n, c)
            perm = np.argsort(p2, kind="stable")
            ra, rb = int(np.nonzero(perm == a)[0][0]), int(np.nonzero(perm == b)[0][0])
            if abs(ra - rb) != 1 or p2[a] != p2[b]:
                continue
            perm2 = perm.copy()
            perm2[[ra, rb]] = perm2[[rb, ra]]
            y = rand_y(x)
            e1 = lifted.evaluate(x, y, cell=c, perm=perm)
            e2 = lifted.evaluate(x, y, cell=c, perm=perm2)
            g1, g2 = _joint_grad(e1), _joint_grad(e2)
            kv = max(kv, abs(e1.value - e2.value))
            kg = max(kg, float(np.max(np.abs(g1 - g2))) / (1.0 + float(np.max(np.abs(g1)))))
            _ = it
    limit = d + 1 if lifted.scheme == "seic" else 2**d
    problems = []
    if part > tol:
        problems.append(f"partition of unity off by {part:.3g}")
    if supp > limit:
        problems.append(f"support {supp} > {limit}")
    if max(fv, kv) > tol or max(fg, kg) > tol:
        problems.append(
            f"jumps: face value {fv:.3g} gradient {fg:.3g}, Kuhn value {kv:.3g} gradient {kg:.3g}"
        )
    if key_margin < 0.5 or key_obs < 0.5:
        problems.append(f"key inequality fails: margin {key_margin:.4g}, observed {key_obs:.4g} < 1/2")
    msg = "all checks passed" if not problems else "; ".join(problems)
    return LiftCheck(
        not problems, part, supp, fv, fg, kv, kg, float(key_margin), float(key_obs), n_samples, msg
    )


# ----------------------------------------------------------------------------------------------
# Measured constants
# ----------------------------------------------------------------------------------------------


class MeasuredConstants(NamedTuple):
    r"""Measured :math:`G = \max\|\nabla f\|_2` and :math:`L = \max\|\nabla^2 f\|_2` on the domain.

    These are *lower estimates* of the true suprema (sampling + local maximisation), not bounds.

    Attributes
    ----------
    G, L : float
        Largest gradient norm / Hessian spectral norm found.
    argmax_G, argmax_L : numpy.ndarray
        Joint points ``(x, y)`` where they were found.
    n_evaluations : int
        Oracle evaluations.
    method : str
        Description of the search.

    Examples
    --------
    >>> from constructions.lift import lift_colouring
    >>> from constructions.sperner import planted_instance
    >>> g = lift_colouring(planted_instance(8, 2, target=(3, 4), rng=0).colouring)
    >>> m = measure_constants(g, n_samples=20, n_steps=5)
    >>> m.G <= g.parameters.G_bound, m.argmax_G.shape
    (True, (4,))
    """

    G: float
    L: float
    argmax_G: np.ndarray
    argmax_L: np.ndarray
    n_evaluations: int
    method: str


def measure_constants(
    lifted: LiftedGame, *, n_samples: int = 200, n_steps: int = 60, rng: Any = 0
) -> MeasuredConstants:
    """Measure the Lipschitz constant and smoothness of a lifted game by sampling + local maximisation.

    Points: ``x`` uniform in the box, ``y = x + Delta u`` with ``u`` uniform in ``[-1, 1]^d`` or a
    sign vector (the band's corners), clipped to the box. Then adaptive random search from the best
    three points of each kind. Use :meth:`LiftedGame.with_measurements` to record the result.

    Parameters
    ----------
    lifted : LiftedGame
        The lifted game.
    n_samples, n_steps : int
        Effort of the sampling and of the local search.
    rng : int, Generator or None, default 0
        Randomness.

    Returns
    -------
    MeasuredConstants

    Examples
    --------
    >>> from constructions.lift import lift_colouring
    >>> from constructions.sperner import random_colouring
    >>> g = lift_colouring(random_colouring(5, 2, rng=0))
    >>> m = measure_constants(g, n_samples=30, n_steps=10)
    >>> 1.0 <= m.G <= g.parameters.G_bound and m.L <= g.parameters.L_bound
    True
    """
    lifted = _check_lifted(lifted)
    n_samples = as_positive_int(n_samples, "n_samples")
    n_steps = as_positive_int(n_steps, "n_steps", minimum=0)
    gen = as_rng(rng)
    d, D = lifted.d, lifted.Delta
    count = [0]

    def proj(x: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x = np.clip(x, 0.0, 1.0)
        return x, np.clip(x + D * np.clip(u, -1.0, 1.0), 0.0, 1.0)

    def gval(x: np.ndarray, u: np.ndarray) -> float:
        count[0] += 1
        ev = lifted.evaluate(*proj(x, u))
        return float(np.linalg.norm(_joint_grad(ev)))

    def lval(x: np.ndarray, u: np.ndarray) -> float:
        count[0] += 1
        return float(np.linalg.norm(lifted.hessian(*proj(x, u)), 2))

    out = []
    for fn in (gval, lval):
        pts = []
        for k in range(n_samples):
            x = gen.random(d)
            u = gen.uniform(-1, 1, d) if k % 2 else gen.choice([-1.0, 1.0], d)
            pts.append((fn(x, u), x, u))
        pts.sort(key=lambda t: -t[0])
        best = pts[0]
        for v, x, u in pts[:3]:
            step = 0.3 / (lifted.n - 1)
            for _ in range(n_steps):
                x2 = x + step * gen.standard_normal(d)
                u2 = u + 0.5 * gen.standard_normal(d)
                v2 = fn(x2, u2)
                if v2 > v:
                    v, x, u = v2, np.clip(x2, 0, 1), np.clip(u2, -1, 1)
                else:
                    step *= 0.95
            if v > best[0]:
                best = (v, x, u)
        out.append((best[0], np.concatenate(proj(best[1], best[2]))))
    method = (
        f"max over {n_samples} random points per constant, then {n_steps} adaptive random-search steps "
        "from the best 3 (lower estimate, not a bound)"
    )
    return MeasuredConstants(out[0][0], out[1][0], out[0][1], out[1][1], count[0], method)
