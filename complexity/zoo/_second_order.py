r"""Second-order members of the zoo: double Follow-the-Ridge, competitive gradient descent, LOLA.

Notation as in :mod:`complexity.zoo._first_order`, plus the game Jacobian
:math:`J = \partial g/\partial x` with blocks :math:`J_{ij} = \nabla_{x_j} g_i` (so
:math:`A_i := J_{ii} = \nabla^2_{x_ix_i}u_i` is the own Hessian, one ``hessian`` query, and
:math:`J_{ij}v`, :math:`i\ne j`, is one ``hvp`` query). For :math:`\min_x\max_y f`:
:math:`J_{10} = \nabla^2_{yx} f = -J_{01}^\top`, so transposed cross products cost one hvp
(general-sum games need :math:`d_i` hvps per :math:`J_{ji}^\top w`). Updates are simultaneous
and projected jointly (:math:`\Pi`), which on constrained games is a projected heuristic: the
sources analyse the unconstrained updates.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from constructions import InvalidArgument
from constructions._validation import as_positive_int, as_real

from ._core import Run, RunResult, positive

__all__ = ["double_ftr", "cgd", "lola"]


def _damped_solve(A: np.ndarray, b: np.ndarray, damping: float) -> np.ndarray:
    r""":math:`(A^\top A + \lambda I)^{-1} A^\top b`: damped :math:`A^{-1}b`, same inertia for symmetric A."""
    d = A.shape[0]
    return np.linalg.solve(A.T @ A + damping * np.eye(d), A.T @ b)


def double_ftr(oracle: Any, x0: Any, steps: int, *, step_size: float = 0.01, damping: float = 1e-4,
               tol: float | None = None, thin: int = 1, final_residual: bool = True,
               budget: int | None = None) -> RunResult:
    r"""Double Follow-the-Ridge: every player also acts as the follower of the others.

    .. math::

        x_i^{t+1} = \Pi\Big(x_i^t + \eta\big[g_i + \tilde A_i^{-1} c_i\big](x^t)\Big), \qquad
        c_i = \sum_{j\ne i} J_{ji}^\top g_j, \qquad \tilde A_i^{-1} := (A_i^2 + \lambda I)^{-1}A_i .

    For :math:`\min_x\max_y f` this is Bao & Zhang's update
    :math:`x \leftarrow x - \eta\nabla_x f - \eta H_{xx}^{-1}H_{xy}\nabla_y f`,
    :math:`y \leftarrow y + \eta\nabla_y f + \eta H_{yy}^{-1}H_{yx}\nabla_x f`
    (``certificates.md`` §5); in general it is the preconditioned Hamiltonian step
    :math:`\eta\,\mathrm{diag}(A_i)^{-1}J^\top g` (the n-player form is derived there). At a
    non-degenerate critical point the linearisation :math:`\mathrm{diag}(A_i)^{-1}J^\top J`
    has real eigenvalues whose signs follow the inertia of :math:`\mathrm{diag}(A_i)`, so
    the stable fixed points are exactly the **differential Nash equilibria**
    (:math:`A_i \prec 0`): the method neither cycles nor stops at non-Nash points that
    GDA finds. The damping :math:`\lambda` (default :math:`10^{-4}`, as in the authors'
    code) keeps the signs of :math:`A_i`'s eigenvalues.

    Queries per step: one pseudo-gradient, ``n_players`` Hessians and, for two-player
    zero-sum games, 2 hvps (general games: :math:`\sum_i\sum_{j\ne i} d_i` hvps).

    Parameters
    ----------
    oracle, x0, steps, step_size, tol, thin, final_residual, budget
        As in :func:`~complexity.zoo.gda`.
    damping : float, default 1e-4
        :math:`\lambda > 0`.

    Returns
    -------
    RunResult

    References
    ----------
    Bao, Zhang, "Finding and only finding local Nash equilibria by both pretending to be a
    follower", ICLR 2022 workshop on Gamification and Multiagent Solutions (code:
    ``XuchanBao/double-ftr``, ``get_ftr_step`` in ``toy_exps/toy/2d_toy_jax.ipynb``);
    Wang, Zhang, Ba, "On solving minimax optimization locally: a follow-the-ridge
    approach", ICLR 2020 (single FTR).

    Examples
    --------
    >>> from constructions import quadratic_saddle
    >>> res = double_ftr(quadratic_saddle(), [1.0, 1.0], 2000, step_size=0.009, tol=1e-8)
    >>> res.stopped_by, bool(np.allclose(res.x, 0, atol=1e-6))
    ('tolerance', True)
    """
    eta = positive(step_size, "step_size")
    lam = positive(damping, "damping")
    run = Run(oracle, x0, steps, "double-ftr", tol=tol, thin=thin, final_residual=final_residual,
              budget=budget)
    with run:
        x = run.x
        for _ in run.iterations():
            g = run.pseudo_gradient(x)
            if run.converged(x, g):
                break
            direction = g.copy()
            blocks = [g[sl] for sl in run.slices]
            for i, sl in enumerate(run.slices):
                A = run.hessian(i, x)
                corr = np.zeros(run.block_dim(i))
                for j in range(run.n):
                    if j != i:
                        corr += run.cross_transpose(i, j, x, blocks[j])
                direction[sl] += _damped_solve(A, corr, lam)
            x = run.advance(run.project(x + eta * direction))
    return run.result()


def _cg(matvec: Any, b: np.ndarray, *, tol: float, maxiter: int) -> tuple[np.ndarray, int]:
    """Conjugate gradients for an SPD operator; returns (solution, iterations)."""
    x = np.zeros_like(b)
    r = b.copy()
    p = r.copy()
    rs = float(r @ r)
    stop = (tol * float(np.linalg.norm(b))) ** 2
    k = 0
    while k < maxiter and rs > stop:
        Ap = matvec(p)
        alpha = rs / float(p @ Ap)
        x += alpha * p
        r -= alpha * Ap
        rs_new = float(r @ r)
        p = r + (rs_new / rs) * p
        rs = rs_new
        k += 1
    return x, k


def cgd(oracle: Any, x0: Any, steps: int, *, step_size: float = 0.01, inner_tol: float = 1e-10,
        max_inner: int | None = None, tol: float | None = None, thin: int = 1, final_residual: bool = True,
        budget: int | None = None) -> RunResult:
    r"""Competitive gradient descent: each step is the Nash equilibrium of a bilinear local game.

    .. math::

        \Delta = \eta\,(I - \eta J_{\mathrm{off}})^{-1} g(x^t), \qquad x^{t+1} = \Pi(x^t + \Delta),

    with :math:`J_{\mathrm{off}}` the off-diagonal blocks of :math:`J`. For two players
    (:math:`B = J_{01}`, :math:`C = J_{10}`) the first block solves
    :math:`(I - \eta^2 BC)\,a = g_0 + \eta B g_1` and then :math:`b = g_1 + \eta C a`,
    :math:`\Delta = \eta(a, b)`. For :math:`\min_x\max_y f` (:math:`C = -B^\top`) this is
    Schäfer & Anandkumar's
    :math:`\Delta x = -\eta(I + \eta^2 D_{xy}fD_{yx}f)^{-1}(\nabla_x f + \eta D_{xy}f\nabla_y f)`,
    whose matrix is symmetric positive definite: we solve it matrix-free by conjugate
    gradients (2 hvps per CG iteration, 2 more for the right-hand side and :math:`b`, as
    in the authors' count :math:`2\cdot\#CG + 4` with gradients). Other games: GMRES
    (scipy) on the full system, :math:`\sum_i\sum_{j\ne i}1` hvps per product.

    Parameters
    ----------
    oracle, x0, steps, step_size, tol, thin, final_residual, budget
        As in :func:`~complexity.zoo.gda`.
    inner_tol : float, default 1e-10
        Relative residual of the inner linear solve.
    max_inner : int, optional
        Inner iteration cap (default: the dimension of the system, exact for CG).

    Returns
    -------
    RunResult

    References
    ----------
    Schäfer, Anandkumar, "Competitive gradient descent", NeurIPS 2019 (Eq. (4) and
    Algorithm 1; code ``f-t-s/CGD``).

    Examples
    --------
    >>> from constructions import bilinear
    >>> res = cgd(bilinear(bound=None), [0.5, 0.5], 500, step_size=0.5, tol=1e-8)
    >>> res.stopped_by, res.queries["hvp"] > 0
    ('tolerance', True)
    """
    eta = positive(step_size, "step_size")
    itol = positive(inner_tol, "inner_tol")
    run = Run(oracle, x0, steps, "cgd", tol=tol, thin=thin, final_residual=final_residual, budget=budget)
    cap = None if max_inner is None else as_positive_int(max_inner, "max_inner")
    zero_sum = bool(run.oracle.minmax) and run.n == 2
    with run:
        x = run.x
        for _ in run.iterations():
            g = run.pseudo_gradient(x)
            if run.converged(x, g):
                break
            if zero_sum:
                s0, s1 = run.slices
                g0, g1 = g[s0], g[s1]

                def schur(v: np.ndarray, x: np.ndarray = x) -> np.ndarray:
                    # (I - eta^2 B C) v with C = -B^T (SPD)
                    return v - eta**2 * run.cross(0, 1, x, run.cross(1, 0, x, v))

                rhs = g0 + eta * run.cross(0, 1, x, g1)
                a, _ = _cg(schur, rhs, tol=itol, maxiter=cap or 2 * run.block_dim(0))
                b = g1 + eta * run.cross(1, 0, x, a)
                delta = eta * np.concatenate([a, b])
            else:
                delta = eta * _gmres_step(run, x, g, eta, itol, cap)
            x = run.advance(run.project(x + delta))
    return run.result()


def _gmres_step(run: Run, x: np.ndarray, g: np.ndarray, eta: float, itol: float,
                cap: int | None) -> np.ndarray:
    from scipy.sparse.linalg import LinearOperator, gmres

    def matvec(v: np.ndarray) -> np.ndarray:
        v = np.asarray(v, dtype=float).reshape(-1)
        out = v.copy()
        for i, si in enumerate(run.slices):
            for j, sj in enumerate(run.slices):
                if i != j:
                    out[si] -= eta * run.cross(i, j, x, v[sj])
        return out

    op = LinearOperator((run.dim, run.dim), matvec=matvec, dtype=float)
    sol, info = gmres(op, g, rtol=itol, atol=0.0, maxiter=cap or run.dim, restart=run.dim)
    if info < 0:
        run.breakdown(f"GMRES failed (info={info}) in the CGD inner solve")
    return np.asarray(sol, dtype=float)


def lola(oracle: Any, x0: Any, steps: int, *, step_size: float = 0.01, lookahead: float = 0.1,
         tol: float | None = None, thin: int = 1, final_residual: bool = True,
         budget: int | None = None) -> RunResult:
    r"""Learning with Opponent-Learning Awareness (exact-gradient LOLA) for two-player zero-sum games.

    Each player differentiates its utility after the opponent's anticipated naive step
    :math:`\alpha g_j` through that step (the *shaping* term; LOLA drops the dependence of
    :math:`\nabla_{x_j}u_i` on :math:`x_i`):

    .. math:: x_i^{t+1} = \Pi\Big(x_i^t + \eta\big[g_i + \alpha\,J_{ji}^\top\nabla_{x_j}u_i\big](x^t)\Big),
              \qquad j \ne i .

    For :math:`\min_x\max_y f`, :math:`\nabla_{x_j}u_i = -g_j` and :math:`J_{ji}^\top = -J_{ij}`,
    so the step is :math:`x_i \leftarrow x_i + \eta(g_i + \alpha J_{ij} g_j)` — one hvp per
    player per step (on :math:`\min_x\max_y xy` it adds the damping :math:`-\alpha(x, y)`).
    Only zero-sum two-player games are supported: for general-sum games the shaping term
    needs the cross gradients :math:`\nabla_{x_j}u_i`, which the oracle does not answer.

    Parameters
    ----------
    oracle, x0, steps, step_size, tol, thin, final_residual, budget
        As in :func:`~complexity.zoo.gda`.
    lookahead : float, default 0.1
        The opponent's anticipated step size :math:`\alpha \ge 0` (:math:`\alpha = 0` is GDA).

    Returns
    -------
    RunResult

    Raises
    ------
    InvalidArgument
        The game is not a two-player min-max game.

    References
    ----------
    Foerster, Chen, Al-Shedivat, Whiteson, Abbeel, Mordatch, "Learning with
    opponent-learning awareness", AAMAS 2018 (arXiv:1709.04326, Sec. 3.2, exact LOLA);
    Letcher, Foerster, Balduzzi, Rocktäschel, Whiteson, "Stable opponent shaping in
    differentiable games", ICLR 2019 (the :math:`\mathrm{diag}(H_o^\top\nabla L)` shaping term).

    Examples
    --------
    >>> from constructions import bilinear
    >>> res = lola(bilinear(bound=None), [0.5, 0.5], 3000, step_size=0.1, lookahead=0.5, tol=1e-8)
    >>> res.stopped_by
    'tolerance'
    """
    eta = positive(step_size, "step_size")
    alpha = as_real(lookahead, "lookahead", nonnegative=True)
    run = Run(oracle, x0, steps, "lola", tol=tol, thin=thin, final_residual=final_residual, budget=budget)
    if not (run.oracle.minmax and run.n == 2):
        raise InvalidArgument(
            "lola needs a two-player min-max game (the shaping term uses cross gradients that the oracle "
            f"only provides through zero-sum structure); got a game with n_players={run.n}, "
            f"minmax={run.oracle.minmax}"
        )
    with run:
        x = run.x
        s0, s1 = run.slices
        for _ in run.iterations():
            g = run.pseudo_gradient(x)
            if run.converged(x, g):
                break
            d = g.copy()
            if alpha > 0:
                d[s0] += alpha * run.cross(0, 1, x, g[s1])
                d[s1] += alpha * run.cross(1, 0, x, g[s0])
            x = run.advance(run.project(x + eta * d))
    return run.result()
