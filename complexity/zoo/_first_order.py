r"""First-order members of the zoo: the GDA family, extragradient, optimism, momentum, self-play.

Notation (every docstring): players maximise :math:`u_i`; :math:`g_i(x) = \nabla_{x_i} u_i(x)`
is player ``i``'s own gradient (an ascent direction), :math:`g = (g_1, \dots, g_n)` the
pseudo-gradient; for :math:`\min_x\max_y f` this is :math:`g = (-\nabla_x f, \nabla_y f)`.
:math:`\Pi` is the joint projection onto the domain (per block on product domains, DSZ's
"safe" joint projection on coupled ones) and :math:`\Pi_i` the projection of player ``i``'s
block onto its slice :math:`S_i(x_{-i})` at the current point; :math:`\eta` is ``step_size``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from constructions import InvalidArgument, ProductSet
from constructions._validation import as_real

from ._core import Run, RunResult, positive

__all__ = [
    "gda",
    "alternating_gda",
    "extragradient",
    "ogda",
    "negative_momentum",
    "complex_momentum",
    "self_play",
]


def gda(oracle: Any, x0: Any, steps: int, *, step_size: float = 0.01, tol: float | None = None,
        thin: int = 1, final_residual: bool = True, budget: int | None = None) -> RunResult:
    r"""Simultaneous projected gradient descent-ascent.

    .. math:: x^{t+1} = \Pi\big(x^t + \eta\, g(x^t)\big)

    One pseudo-gradient (``n_players`` gradient queries) per step. Projection: joint
    (per player on product domains; DSZ's "safe" variant on coupled domains).

    Parameters
    ----------
    oracle : GameOracle
        Query access to the game (or its isolated proxy, or a bare ``Game``).
    x0 : array_like
        Feasible starting point.
    steps : int
        Maximum number of updates.
    step_size : float, default 0.01
        :math:`\eta > 0`.
    tol : float, optional
        Stop once the DSZ residual of the current iterate is below ``tol``.
    thin : int, default 1
        Keep every ``thin``-th iterate in the trajectory.
    final_residual : bool, default True
        Spend one counted pseudo-gradient at the final point for its residual.
    budget : int, optional
        Run-level cap on the number of queries (in addition to the oracle's budget).

    Returns
    -------
    RunResult

    References
    ----------
    Arrow, Hurwicz, Uzawa (1958), *Studies in linear and non-linear programming*; the
    fixed-point map with :math:`\eta = 1` is DSZ's :math:`F_{GDA}` (Daskalakis,
    Skoulakis, Zampetakis, STOC 2021, Def. 3.7/3.8, safe variant).

    Examples
    --------
    >>> from constructions import quadratic_saddle
    >>> res = gda(quadratic_saddle(), [1.0, 1.0], 5000, step_size=0.009, tol=1e-8)
    >>> res.stopped_by, bool(np.allclose(res.x, 0, atol=1e-8))
    ('tolerance', True)
    """
    eta = positive(step_size, "step_size")
    run = Run(oracle, x0, steps, "gda", tol=tol, thin=thin, final_residual=final_residual, budget=budget)
    with run:
        x = run.x
        for _ in run.iterations():
            g = run.pseudo_gradient(x)
            if run.converged(x, g):
                break
            x = run.advance(run.project(x + eta * g))
    return run.result()


def _complete_gradient(run: Run, x: np.ndarray, known: dict[int, np.ndarray]) -> np.ndarray:
    """Pseudo-gradient at ``x`` from the blocks already known there plus queries for the rest."""
    return np.concatenate([known[i] if i in known else run.gradient(i, x) for i in range(run.n)])


def alternating_gda(oracle: Any, x0: Any, steps: int, *, step_size: float = 0.01, tol: float | None = None,
                    thin: int = 1, final_residual: bool = True, budget: int | None = None) -> RunResult:
    r"""Alternating (Gauss-Seidel) projected gradient descent-ascent.

    Players move in turn, each seeing the others' latest blocks:

    .. math:: x_i^{t+1} = \Pi_i\big(x_i^t + \eta\, g_i(x_1^{t+1}, \dots, x_{i-1}^{t+1},
              x_i^t, \dots, x_n^t)\big), \quad i = 1, \dots, n.

    For :math:`\min_x\max_y f`: :math:`x^{t+1} = x^t - \eta\nabla_x f(x^t, y^t)`, then
    :math:`y^{t+1} = y^t + \eta\nabla_y f(x^{t+1}, y^t)`. One gradient query per player
    per step (plus ``n_players - 1`` at :math:`x^t` when ``tol`` is checked). Projection:
    each block onto its slice at the current point (feasible on coupled domains too).

    Parameters
    ----------
    oracle, x0, steps, step_size, tol, thin, final_residual, budget
        As in :func:`gda`.

    Returns
    -------
    RunResult

    References
    ----------
    Gidel, Askari Hemmat, Pezeshki, Le Priol, Huang, Lacoste-Julien, Mitliagkas,
    "Negative momentum for improved game dynamics", AISTATS 2019 (alternating updates,
    their Sec. 3); Zhang, Wang, Lessard, Grosse, "Near-optimal local convergence of
    alternating gradient descent-ascent for minimax optimization", AISTATS 2022
    (:math:`O(\kappa)` vs :math:`O(\kappa^2)` for simultaneous GDA).

    Examples
    --------
    >>> from constructions import bilinear
    >>> res = alternating_gda(bilinear(bound=None), [0.5, 0.5], 1000, step_size=0.1)
    >>> bool(0.2 < np.linalg.norm(res.x) < 2.0)   # bounded orbit, no blow-up, no convergence
    True
    """
    eta = positive(step_size, "step_size")
    run = Run(oracle, x0, steps, "alt-gda", tol=tol, thin=thin, final_residual=final_residual, budget=budget)
    with run:
        x = run.x
        for _ in run.iterations():
            z = x.copy()
            for i, sl in enumerate(run.slices):
                gi = run.gradient(i, z)
                if i == 0 and run.wants_check() and run.converged(x, _complete_gradient(run, x, {0: gi})):
                    break
                z[sl] = run.project_block(i, z, z[sl] + eta * gi)
            if run.stopped_by is not None:
                break
            x = run.advance(z)
    return run.result()


def extragradient(oracle: Any, x0: Any, steps: int, *, step_size: float = 0.01, tol: float | None = None,
                  thin: int = 1, final_residual: bool = True, budget: int | None = None) -> RunResult:
    r"""Projected extragradient (Korpelevich's method).

    .. math::

        x^{t+1/2} = \Pi\big(x^t + \eta\, g(x^t)\big), \qquad
        x^{t+1} = \Pi\big(x^t + \eta\, g(x^{t+1/2})\big).

    Two pseudo-gradients per step; the first also gives the residual at :math:`x^t`.
    Converges on monotone problems (e.g. bilinear) for :math:`\eta < 1/L`.

    Parameters
    ----------
    oracle, x0, steps, step_size, tol, thin, final_residual, budget
        As in :func:`gda`.

    Returns
    -------
    RunResult

    References
    ----------
    Korpelevich, "The extragradient method for finding saddle points and other
    problems", Ekonomika i Matematicheskie Metody 12 (1976); Gidel, Berard, Vignoud,
    Vincent, Lacoste-Julien, "A variational inequality perspective on generative
    adversarial networks", ICLR 2019.

    Examples
    --------
    >>> from constructions import bilinear
    >>> res = extragradient(bilinear(), [0.5, 0.5], 3000, step_size=0.3, tol=1e-8)
    >>> res.stopped_by
    'tolerance'
    """
    eta = positive(step_size, "step_size")
    run = Run(oracle, x0, steps, "extragradient", tol=tol, thin=thin, final_residual=final_residual,
              budget=budget)
    with run:
        x = run.x
        for _ in run.iterations():
            g = run.pseudo_gradient(x)
            if run.converged(x, g):
                break
            half = run.project(x + eta * g)
            g_half = np.concatenate([run.gradient(i, half) for i in range(run.n)])
            x = run.advance(run.project(x + eta * g_half))
    return run.result()


def ogda(oracle: Any, x0: Any, steps: int, *, step_size: float = 0.01, tol: float | None = None,
         thin: int = 1, final_residual: bool = True, budget: int | None = None) -> RunResult:
    r"""Projected optimistic gradient descent-ascent.

    .. math:: x^{t+1} = \Pi\big(x^t + 2\eta\, g(x^t) - \eta\, g(x^{t-1})\big),
              \qquad g(x^{-1}) := g(x^0).

    One pseudo-gradient per step (the past one is reused). Unconstrained, this is the
    optimistic update of Daskalakis et al. and coincides with Popov's "past
    extragradient"; on a domain we project the optimistic step (the projected variant
    of Daskalakis & Panageas; Popov's form projects twice).

    Parameters
    ----------
    oracle, x0, steps, step_size, tol, thin, final_residual, budget
        As in :func:`gda`.

    Returns
    -------
    RunResult

    References
    ----------
    Daskalakis, Ilyas, Syrgkanis, Zeng, "Training GANs with optimism", ICLR 2018;
    Daskalakis, Panageas, "Last-iterate convergence: zero-sum games and constrained
    min-max optimization", ITCS 2019; Popov, Mathematical Notes 28 (1980).

    Examples
    --------
    >>> from constructions import bilinear
    >>> res = ogda(bilinear(bound=None), [0.5, 0.5], 5000, step_size=0.2, tol=1e-8)
    >>> res.stopped_by
    'tolerance'
    """
    eta = positive(step_size, "step_size")
    run = Run(oracle, x0, steps, "ogda", tol=tol, thin=thin, final_residual=final_residual, budget=budget)
    with run:
        x = run.x
        g_prev = None
        for _ in run.iterations():
            g = run.pseudo_gradient(x)
            if run.converged(x, g):
                break
            if g_prev is None:
                g_prev = g
            x = run.advance(run.project(x + 2.0 * eta * g - eta * g_prev))
            g_prev = g
    return run.result()


def _momentum(value: Any) -> float:
    beta = as_real(value, "momentum")
    if not -1.0 < beta < 1.0:
        raise InvalidArgument(f"momentum must lie in (-1, 1), got momentum={beta!r}")
    return beta


def negative_momentum(oracle: Any, x0: Any, steps: int, *, step_size: float = 0.01, momentum: float = -0.5,
                      alternating: bool = True, tol: float | None = None, thin: int = 1,
                      final_residual: bool = True, budget: int | None = None) -> RunResult:
    r"""Gradient descent-ascent with (negative) heavy-ball momentum.

    Alternating form (default, the one analysed by Gidel et al.), players in turn:

    .. math:: x_i^{t+1} = \Pi_i\big(x_i^t + \eta\, g_i(x_{<i}^{t+1}, x_{\ge i}^t)
              + \beta\,(x_i^t - x_i^{t-1})\big), \qquad x^{-1} := x^0,

    with :math:`\beta<0`. ``alternating=False`` gives the simultaneous form
    :math:`x^{t+1} = \Pi(x^t + \eta g(x^t) + \beta(x^t - x^{t-1}))`. Gidel et al. prove
    that alternating updates with negative momentum converge linearly on bilinear games,
    where simultaneous GDA diverges and alternating GDA cycles.

    Parameters
    ----------
    oracle, x0, steps, step_size, tol, thin, final_residual, budget
        As in :func:`gda`.
    momentum : float, default -0.5
        :math:`\beta \in (-1, 1)` (negative for the method's namesake).
    alternating : bool, default True
        Alternating (Gauss-Seidel) or simultaneous (Jacobi) updates.

    Returns
    -------
    RunResult

    References
    ----------
    Gidel, Askari Hemmat, Pezeshki, Le Priol, Huang, Lacoste-Julien, Mitliagkas,
    "Negative momentum for improved game dynamics", AISTATS 2019.

    Examples
    --------
    >>> from constructions import bilinear
    >>> res = negative_momentum(bilinear(bound=None), [0.5, 0.5], 5000, step_size=0.5, tol=1e-8)
    >>> res.stopped_by
    'tolerance'
    """
    eta = positive(step_size, "step_size")
    beta = _momentum(momentum)
    name = "negative-momentum"
    run = Run(oracle, x0, steps, name, tol=tol, thin=thin, final_residual=final_residual, budget=budget)
    with run:
        x = run.x
        x_prev = x.copy()
        for _ in run.iterations():
            if alternating:
                z = x.copy()
                for i, sl in enumerate(run.slices):
                    gi = run.gradient(i, z)
                    if i == 0 and run.wants_check() and run.converged(x, _complete_gradient(run, x, {0: gi})):
                        break
                    z[sl] = run.project_block(i, z, z[sl] + eta * gi + beta * (x[sl] - x_prev[sl]))
                if run.stopped_by is not None:
                    break
                new = z
            else:
                g = run.pseudo_gradient(x)
                if run.converged(x, g):
                    break
                new = run.project(x + eta * g + beta * (x - x_prev))
            x_prev = x
            x = run.advance(new)
    return run.result()


def complex_momentum(oracle: Any, x0: Any, steps: int, *, step_size: float = 0.01,
                     momentum: complex = 0.9 * np.exp(1j * np.pi / 8), tol: float | None = None,
                     thin: int = 1, final_residual: bool = True, budget: int | None = None) -> RunResult:
    r"""Simultaneous gradient play with complex-valued momentum.

    .. math::

        \mu^{t+1} = \beta\,\mu^t + g(x^t), \qquad
        x^{t+1} = \Pi\big(x^t + \Re(\alpha\,\mu^{t+1})\big), \qquad \mu^0 = 0,

    with :math:`\beta\in\mathbb C`, :math:`|\beta| < 1`, and real :math:`\alpha = \eta`
    (``step_size``). Written for ascent directions; with losses :math:`\ell_i = -u_i` it is
    Lorraine et al.'s :math:`\mu^{j+1} = \beta\mu^j - \hat g^j`,
    :math:`\omega^{j+1} = \omega^j + \Re(\alpha\mu^{j+1})`. A real :math:`\beta` gives
    heavy-ball momentum. With the default :math:`\beta = 0.9\,e^{i\pi/8}` the iteration
    converges linearly on :math:`\min_x\max_y xy` for :math:`0 < \eta \lesssim 0.07` (spectral
    radius 0.986 at :math:`\eta = 0.05`, derived from the linear map and checked in the tests),
    whereas :math:`\beta = 0` (GDA) and the real :math:`\beta = 0.9` diverge -- the paper's
    point that suitable complex :math:`\beta` make simultaneous updates converge on bilinear
    zero-sum games.

    Parameters
    ----------
    oracle, x0, steps, step_size, tol, thin, final_residual, budget
        As in :func:`gda`.
    momentum : complex, default ``0.9 * exp(i pi / 8)``
        :math:`\beta`, with :math:`|\beta| < 1`.

    Returns
    -------
    RunResult

    References
    ----------
    Lorraine, Acuna, Vicol, Duvenaud, "Complex momentum for optimization in games",
    AISTATS 2022 (arXiv:2102.08431), Algorithm 1.

    Examples
    --------
    >>> from constructions import bilinear
    >>> res = complex_momentum(bilinear(bound=None), [0.5, 0.5], 5000, step_size=0.05, tol=1e-8)
    >>> res.stopped_by
    'tolerance'
    """
    eta = positive(step_size, "step_size")
    if isinstance(momentum, bool) or not isinstance(momentum, (int, float, complex, np.number)):
        raise InvalidArgument(f"momentum must be a complex number, got momentum={momentum!r}")
    beta = complex(momentum)
    if not (math.isfinite(beta.real) and math.isfinite(beta.imag)) or abs(beta) >= 1.0:
        raise InvalidArgument(f"momentum must satisfy |momentum| < 1, got momentum={momentum!r}")
    run = Run(oracle, x0, steps, "complex-momentum", tol=tol, thin=thin, final_residual=final_residual,
              budget=budget)
    with run:
        x = run.x
        mu = np.zeros(run.dim, dtype=complex)
        for _ in run.iterations():
            g = run.pseudo_gradient(x)
            if run.converged(x, g):
                break
            mu = beta * mu + g
            x = run.advance(run.project(x + (eta * mu).real))
    return run.result()


def self_play(oracle: Any, x0: Any, steps: int, *, step_size: float | None = None, tol: float | None = None,
              thin: int = 1, final_residual: bool = True, budget: int | None = None) -> RunResult:
    r"""No-regret self-play: online projected gradient ascent per player.

    Every player runs Zinkevich's online gradient ascent on its own utility against the
    others' current strategies, simultaneously:

    .. math:: x_i^{t+1} = \Pi_{X_i}\big(x_i^t + \eta_i\, g_i(x^t)\big), \qquad t = 0, \dots, T-1,

    and the result carries the **empirical distribution of play**
    :math:`\sigma_T = \frac1T\sum_{t=0}^{T-1}\delta_{x^t}` (``RunResult.distribution``, a
    :class:`certificates._cce.Distribution` accepted by
    :func:`certificates._cce.certify_local_cce`). Per-player regret against linearised
    utilities is at most :math:`D_i^2/(2\eta_i) + (\eta_i/2)\sum_t\|g_i(x^t)\|^2`; by Cai et
    al. (v1 Thm 1/2) :math:`\sigma_T` is then an :math:`(O(\delta G/\sqrt T) + \delta^2L/2,
    \Phi_{int}(\delta))`-local CCE for :math:`\eta_i = D_i/(G\sqrt T)`. The same iteration
    as :func:`certificates._cce.gradient_self_play`, but through the counting oracle.

    Projection: per player onto :math:`X_i` on product domains (true per-player online
    learning); on coupled domains the joint ("safe") projection, which no longer is a
    per-player no-regret algorithm (stated in the result's message).

    Parameters
    ----------
    oracle, x0, steps, tol, thin, final_residual, budget
        As in :func:`gda` (``steps`` is the horizon :math:`T`).
    step_size : float, optional
        :math:`\eta_i` for every player; default :math:`D_i/\sqrt T` (:math:`1/\sqrt T`
        for unbounded sets), i.e. :math:`G = 1`, as in ``gradient_self_play``.

    Returns
    -------
    RunResult

    References
    ----------
    Zinkevich, "Online convex programming and generalized infinitesimal gradient ascent",
    ICML 2003; Cai, Daskalakis, Luo, Wei, Zheng, "On tractable Φ-equilibria in non-concave
    games", arXiv:2403.08171 (v1 Thm 1-2).

    Examples
    --------
    >>> from constructions import matching_pennies
    >>> res = self_play(matching_pennies(), [1.0, 0.0, 1.0, 0.0], 50, step_size=0.1)
    >>> res.distribution.points.shape, float(res.distribution.weights.sum())
    ((50, 4), 1.0)
    """
    from certificates._cce import Distribution

    run = Run(oracle, x0, steps, "self-play", tol=tol, thin=thin, final_residual=final_residual,
              budget=budget)
    T = run.steps
    product = run.domain is None or isinstance(run.domain, ProductSet) or run.n == 1
    if step_size is None:
        etas = []
        for i in range(run.n):
            S = run.player_set(i, run.x)
            D = S.diameter() if S is not None else math.inf
            etas.append((D if math.isfinite(D) and D > 0 else 1.0) / math.sqrt(T))
    else:
        etas = [positive(step_size, "step_size")] * run.n
    eta_vec = np.concatenate([np.full(run.block_dim(i), etas[i]) for i in range(run.n)])
    played: list[np.ndarray] = []
    with run:
        x = run.x
        for _ in run.iterations():
            g = run.pseudo_gradient(x)
            played.append(x.copy())
            if run.converged(x, g):
                break
            x = run.advance(run.project(x + eta_vec * g))
    if played:
        pts = np.array(played)
        run.distribution = Distribution(pts, np.full(len(played), 1.0 / len(played)))
    out = run.result()
    if not product:
        import dataclasses

        out = dataclasses.replace(out, message=out.message + "; coupled domain: joint projection, so the "
                                  "per-player no-regret guarantee does not apply")
    return out
