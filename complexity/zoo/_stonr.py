r"""STON'R (STay-ON-the-Ridge): second-order path following to a min-max critical point.

Daskalakis, Golowich, Skoulakis, Zampetakis, "STay-ON-the-Ridge: guaranteed convergence to
local minimax equilibrium in nonconvex-nonconcave games", COLT 2023 (arXiv:2210.09769);
update rules as in the public Julia implementation ``marikakosohorska/StayOnTheRidge``
(``src/algorithm.jl``: ``compute_direction``, ``good_exit``, ``bad_exit``,
``middling_exit``, ``run_dynamics``), see ``dsz-construction.md`` §6.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from constructions import Box, InvalidArgument

from ._core import Run, RunResult, positive

__all__ = ["stonr"]


def _bounds(run: Run, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-coordinate bounds of the players' slices at ``x`` (each slice must be a box)."""
    lo = np.empty(run.dim)
    hi = np.empty(run.dim)
    for i, sl in enumerate(run.slices):
        S = run.player_set(i, x)
        if not isinstance(S, Box) or not (np.all(np.isfinite(S.lo)) and np.all(np.isfinite(S.hi))):
            raise InvalidArgument(
                f"stonr needs bounded box-shaped strategy sets (a product of boxes, or a coupled set with "
                f"box slices such as the DSZ set); player {i} has {S!r}"
            )
        lo[sl], hi[sl] = S.lo, S.hi
    return lo, hi


def stonr(oracle: Any, x0: Any, steps: int, *, step_size: float = 1e-3, eps: float | None = None,
          start: str = "corner", tol: float | None = None, thin: int = 1, final_residual: bool = True,
          budget: int | None = None) -> RunResult:
    r"""STON'R: follow the ridge :math:`\{V_S = 0\}` coordinate by coordinate from a corner.

    Let :math:`V = g` be the pseudo-gradient (each coordinate's improvement direction:
    :math:`-\nabla_x f` for minimising, :math:`\nabla_y f` for maximising coordinates) and
    :math:`J = \partial V/\partial x`. Coordinates :math:`0..n-1` (all players' blocks
    concatenated) are processed in epochs :math:`(i, S)`, starting at the lower corner with
    :math:`i = 0`, :math:`S = \emptyset`; coordinates in :math:`S \subseteq \{0..i-1\}` are
    kept on the ridge :math:`V_S = 0`, the others below :math:`i` sit satisfied on the
    boundary. Each iteration:

    1. **good exit** if :math:`|V_i| \le \varepsilon` (then :math:`S \leftarrow S\cup\{i\}`),
       or :math:`x_i` is at its lower bound with :math:`V_i < \varepsilon`, or at its upper
       bound with :math:`V_i > -\varepsilon`: :math:`i \leftarrow i + 1`;
    2. **direction**: :math:`d = e_i` if :math:`S = \emptyset`, else the unit vector
       supported on :math:`S\cup\{i\}` with

       .. math:: J[S, S\cup\{i\}]\, d = 0, \qquad
                 \operatorname{sign}\det\big[J[S,S\cup\{i\}]^\top \mid d\big] = (-1)^{|S|}

       (Assumption 1: the kernel is one-dimensional, else the run stops with
       ``"breakdown"``); moving along :math:`d` keeps :math:`V_S = 0` to first order;
    3. **bad exit** if some :math:`j \in S\cup\{i\}` is at a bound and :math:`d` points
       out: :math:`j = i` gives :math:`S \leftarrow S\setminus\{i-1\}`, :math:`i\leftarrow i-1`;
       otherwise :math:`S \leftarrow S\setminus\{j\}`;
    4. **middling exit** if at :math:`x' = \Pi(x + \gamma d)` some boundary coordinate
       :math:`j < i`, :math:`j\notin S`, becomes unsatisfied (at its lower bound with
       :math:`V_j(x') > 0`, or upper bound with :math:`V_j(x') < 0`): :math:`S \leftarrow S\cup\{j\}`;
    5. otherwise move: :math:`x \leftarrow x'`.

    It stops when :math:`i = n` (reported as ``"tolerance"``: the method's own
    ε-criterion holds), when the DSZ residual is below ``tol``, or after ``steps``
    iterations (moves and exits both count). Queries per iteration: the pseudo-gradient at
    each new point (reused), plus, when :math:`S \ne \emptyset`, the entries
    :math:`J[S, S\cup\{i\}]`: own blocks from one Hessian query per player and point
    (cached), cross blocks by one hvp per needed column and player.

    Domains: the method is defined on a box (the Julia code maps boxes to
    :math:`[0,1]^n`; we work in the original coordinates, which changes neither kernels
    nor orientations). On coupled domains whose slices are boxes (the DSZ set) the
    bounds are those of the slices at the current point and :math:`\Pi` is the joint
    projection -- an extension without the paper's guarantee.

    Parameters
    ----------
    oracle, x0, steps, tol, thin, final_residual, budget
        As in :func:`~complexity.zoo.gda` (``x0`` is validated, and used as the start only
        with ``start="x0"``).
    step_size : float, default 1e-3
        :math:`\gamma`, the length of a move (``d`` is a unit vector).
    eps : float, optional
        :math:`\varepsilon` of the exits; default ``tol`` if given, else ``1e-2``.
    start : {"corner", "x0"}, default "corner"
        Start at the lower corner of the box (the method's start) or at ``x0``.

    Returns
    -------
    RunResult

    References
    ----------
    Daskalakis, Golowich, Skoulakis, Zampetakis, COLT 2023 (arXiv:2210.09769);
    ``marikakosohorska/StayOnTheRidge`` ``src/algorithm.jl``.

    Examples
    --------
    >>> from constructions import bilinear
    >>> res = stonr(bilinear(), [0.0, 0.0], 10000, step_size=1e-3, eps=1e-2)
    >>> res.stopped_by, bool(np.allclose(res.x, 0, atol=0.02))
    ('finished', True)
    """
    gamma = positive(step_size, "step_size")
    if start not in ("corner", "x0"):
        raise InvalidArgument(f"start must be 'corner' or 'x0', got start={start!r}")
    run = Run(oracle, x0, steps, "stonr", tol=tol, thin=thin, final_residual=final_residual, budget=budget)
    epsilon = positive(eps, "eps") if eps is not None else (run.tol if run.tol is not None else 1e-2)
    if run.domain is None:
        raise InvalidArgument("stonr needs a bounded box domain; the game is unconstrained (domain=None)")
    lo, hi = _bounds(run, run.x)
    if start == "corner":
        x = run.x
        for _ in range(10_000):  # coupled domains: slide down until the slices' lower corner is reached
            new = run.project(lo.copy())
            if np.array_equal(new, x):
                break
            x = new
            lo, hi = _bounds(run, x)
        run.x = x
        run._traj = [x.copy()]
    owner = np.concatenate([np.full(run.block_dim(p), p) for p in range(run.n)])
    local = np.concatenate([np.arange(run.block_dim(p)) for p in range(run.n)])

    def at_lo(x: np.ndarray, lo: np.ndarray, k: int) -> bool:
        return bool(x[k] <= lo[k] + 1e-12 * max(1.0, abs(lo[k])))

    def at_hi(x: np.ndarray, hi: np.ndarray, k: int) -> bool:
        return bool(x[k] >= hi[k] - 1e-12 * max(1.0, abs(hi[k])))

    with run:
        x = run.x
        V = run.pseudo_gradient(x)
        hess_cache: dict[int, np.ndarray] = {}
        i, S = 0, []
        for _ in run.iterations():
            if run.converged(x, V):
                break
            lo, hi = _bounds(run, x)
            vi = V[i]
            # 1. good exit
            satisfied = (at_lo(x, lo, i) and vi < epsilon) or (at_hi(x, hi, i) and vi > -epsilon)
            if abs(vi) <= epsilon or satisfied:
                if abs(vi) <= epsilon:
                    S.append(i)
                i += 1
                run.n_steps += 1
                if i >= run.dim:
                    run.stopped_by = "finished"
                    run.message = (f"STON'R finished all {run.dim} coordinates (eps={epsilon:g}) after "
                                   f"{run.n_steps} iterations; residual {run.residual:.3g}")
                    break
                continue
            # 2. direction
            d = np.zeros(run.dim)
            if not S:
                d[i] = 1.0
            else:
                cols = [*S, i]
                Jsub = np.empty((len(S), len(cols)))
                for c_pos, c in enumerate(cols):
                    b, kb = int(owner[c]), int(local[c])
                    for p in sorted({int(owner[r]) for r in S}):
                        if p == b:
                            if p not in hess_cache:
                                hess_cache[p] = run.hessian(p, x)
                            column = hess_cache[p][:, kb]
                        else:
                            e = np.zeros(run.block_dim(b))
                            e[kb] = 1.0
                            column = run.cross(p, b, x, e)
                        for r_pos, r in enumerate(S):
                            if owner[r] == p:
                                Jsub[r_pos, c_pos] = column[local[r]]
                _, sv, vt = np.linalg.svd(Jsub)
                if sv[-1] <= 1e-10 * max(1.0, sv[0]):
                    run.breakdown(f"Assumption 1 fails: J[S, S+i] is rank deficient at i={i}, S={S}")
                dn = vt[-1]
                det = np.linalg.det(np.column_stack([Jsub.T, dn]))
                if det == 0.0:
                    run.breakdown(f"orientation undefined (zero determinant) at i={i}, S={S}")
                if np.sign(det) != (-1) ** len(S):
                    dn = -dn
                d[cols] = dn
            # 3. bad exit
            bad = None
            for j in [*S, i]:
                if (at_lo(x, lo, j) and d[j] < 0) or (at_hi(x, hi, j) and d[j] > 0):
                    bad = j
                    break
            if bad is not None:
                if bad == i:
                    if i - 1 in S:
                        S.remove(i - 1)
                    i -= 1
                    if i < 0:
                        run.breakdown("bad exit below the first coordinate")
                else:
                    S.remove(bad)
                run.n_steps += 1
                continue
            # 4. middling exit
            x_new = run.project(x + gamma * d)
            V_new = run.pseudo_gradient(x_new)
            mid = None
            for j in range(i):
                if j in S:
                    continue
                if (at_lo(x, lo, j) and V_new[j] > 0) or (at_hi(x, hi, j) and V_new[j] < 0):
                    mid = j
                    break
            if mid is not None:
                S.append(mid)
                run.remember(x, V)  # the residual still refers to x
                run.n_steps += 1
                continue
            # 5. move
            x = run.advance(x_new)
            V = V_new
            hess_cache = {}
    return run.result()
