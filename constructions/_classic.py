r"""Classic games with their known facts, as ready-made :class:`~constructions.Game` objects.

Every constructor returns a game whose ``facts`` dictionary records what the
literature (or a short derivation, marked as such) says about it; the test-suite
checks the certificates against these facts.

========================  =============================================================
constructor               game
========================  =============================================================
:func:`bilinear`          :math:`\min_x\max_y xy` on :math:`[-b,b]^2`
:func:`quadratic_saddle`  :math:`\min_x\max_y \tfrac12x^2 + 10xy - \tfrac12y^2`
:func:`squared_difference` :math:`\min_{x_1}\max_{x_2} (x_1-x_2)^2` on :math:`[-1,1]^2`
:func:`matching_pennies`  mixed extension of matching pennies
:func:`prisoners_dilemma` mixed extension of the prisoner's dilemma
:func:`lorenz_game`       3 players whose simultaneous gradient play is the Lorenz system
:func:`normal_form_game`  mixed extension of any n-player payoff tensor
========================  =============================================================
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy as sp

from ._errors import InvalidArgument
from ._games import Game, Smoothness, game_from_sympy, minmax_from_sympy
from ._rounding import gamma, up
from ._sets import Box, ProductSet, Simplex
from ._validation import as_real, short_repr

__all__ = [
    "bilinear",
    "quadratic_saddle",
    "squared_difference",
    "matching_pennies",
    "prisoners_dilemma",
    "lorenz_game",
    "normal_form_game",
    "CLASSIC_GAMES",
    "classic_game",
]


def _box_domain(bound: float | None, dims: Sequence[int]) -> ProductSet | None:
    if bound is None:
        return None
    b = as_real(bound, "bound", positive=True)
    return ProductSet([Box(-b * np.ones(d), b * np.ones(d)) for d in dims])


def bilinear(*, bound: float | None = 1.0) -> Game:
    r"""The bilinear game :math:`\min_x \max_y\, xy` on :math:`[-b, b]^2`.

    Parameters
    ----------
    bound : float or None, default 1.0
        Half-width :math:`b` of the box; None for the unconstrained game.

    Known facts: the unique Nash equilibrium is :math:`(0, 0)`; the own-block
    Hessians vanish (:math:`L_x = L_y = 0`), so the first-order certificate is exact;
    simultaneous gradient descent-ascent spirals outwards (the Jacobian of the GDA
    vector field has eigenvalues :math:`\pm i`; the step-:math:`\eta` GDA map has
    eigenvalues :math:`1 \pm \eta i` of modulus :math:`\sqrt{1+\eta^2} > 1`).

    Examples
    --------
    >>> g = bilinear()
    >>> g.facts["nash_equilibria"]
    [(0.0, 0.0)]
    """
    x, y = sp.symbols("x y")
    return minmax_from_sympy(
        x * y,
        [x],
        [y],
        domain=_box_domain(bound, (1, 1)),
        smoothness=(0.0, 0.0),
        smoothness_source="derived analytically (own Hessians are 0)",
        name="bilinear",
        facts={
            "nash_equilibria": [(0.0, 0.0)],
            "description": "min_x max_y x*y",
            "reference": "folklore; e.g. Daskalakis et al. (2018) 'Training GANs with optimism'",
        },
    )


def quadratic_saddle(*, bound: float | None = None) -> Game:
    r"""The quadratic game :math:`\min_x\max_y\, \tfrac12 x^2 + 10xy - \tfrac12 y^2`.

    Parameters
    ----------
    bound : float or None, default None
        Half-width of a box domain :math:`[-b, b]^2`; None for the unconstrained game.

    Known facts: :math:`f` is strictly convex in :math:`x` and strictly concave in
    :math:`y`, so the interior saddle :math:`(0,0)` is the unique (global) Nash
    equilibrium; :math:`L_x = L_y = 1`. Simultaneous GDA with step :math:`\eta`,
    :math:`(x, y) \leftarrow (x - \eta\partial_x f, y + \eta\partial_y f)`, is the linear map
    with eigenvalues :math:`1 - \eta \pm 10\eta i`, so it converges iff
    :math:`(1-\eta)^2 + 100\eta^2 < 1`, i.e. iff :math:`\eta < 2/101` (derived).

    Examples
    --------
    >>> quadratic_saddle().facts["nash_equilibria"]
    [(0.0, 0.0)]
    """
    x, y = sp.symbols("x y")
    f = sp.Rational(1, 2) * x**2 + 10 * x * y - sp.Rational(1, 2) * y**2
    return minmax_from_sympy(
        f,
        [x],
        [y],
        domain=_box_domain(bound, (1, 1)),
        smoothness=(1.0, 1.0),
        smoothness_source="derived analytically (own Hessians are -1)",
        name="quadratic-saddle",
        facts={
            "nash_equilibria": [(0.0, 0.0)],
            "gda_converges_iff_step_below": 2.0 / 101.0,
            "description": "min_x max_y 0.5 x^2 + 10 x y - 0.5 y^2",
            "reference": "Wang, Zhang, Ba (2020), Follow the Ridge, example with strong coupling",
        },
    )


def squared_difference() -> Game:
    r""":math:`\min_{x_1}\max_{x_2}\,(x_1 - x_2)^2` on :math:`[-1, 1]^2`.

    Known facts (DSZ 2021, introduction): there is **no** Nash equilibrium -- the
    maximiser wants to be far from :math:`x_1` (so picks :math:`\pm1`), the minimiser
    then copies it. Every diagonal point :math:`(a, a)` is first-order stationary
    (both own gradients vanish); at such a point the only profitable deviation is
    the maximiser's, worth exactly :math:`\delta^2 = L\delta^2/2` with
    :math:`L_{x_2} = 2`, so :math:`(a,a)` is an :math:`(\varepsilon,\delta)`-local Nash
    equilibrium iff :math:`\delta^2 \le \varepsilon` (for :math:`\delta \le 1 - |a|`
    on the open side; at the boundary corners :math:`(\pm1, \pm1)` for every
    :math:`\delta\le 2`).

    Examples
    --------
    >>> squared_difference().facts["first_order_local_nash"]
    [(1.0, 1.0), (-1.0, -1.0)]
    """
    x1, x2 = sp.symbols("x1 x2")
    return minmax_from_sympy(
        (x1 - x2) ** 2,
        [x1],
        [x2],
        domain=_box_domain(1.0, (1, 1)),
        smoothness=(2.0, 2.0),
        smoothness_source="derived analytically (own Hessians are -2 and 2)",
        name="squared-difference",
        facts={
            "nash_equilibria": [],
            "first_order_local_nash": [(1.0, 1.0), (-1.0, -1.0)],
            "local_gain_at_diagonal": "delta**2 (maximiser moving away)",
            "description": "min_x1 max_x2 (x1 - x2)^2 on [-1, 1]^2",
            "reference": "Daskalakis, Skoulakis, Zampetakis (STOC 2021), Section 1",
        },
    )


def lorenz_game(sigma: float = 10.0, rho: float = 28.0, beta: float = 8.0 / 3.0) -> Game:
    r"""Three players whose simultaneous gradient play is exactly the Lorenz system.

    Parameters
    ----------
    sigma, rho, beta : float
        The Lorenz parameters (classic: 10, 28, 8/3).

    *Derived here* (not from a paper): with scalar strategies :math:`x_1, x_2, x_3`
    and utilities

    .. math::

        u_1 = \sigma x_1 x_2 - \tfrac{\sigma}{2} x_1^2,\quad
        u_2 = x_1 (\rho - x_3) x_2 - \tfrac12 x_2^2,\quad
        u_3 = x_1 x_2 x_3 - \tfrac{\beta}{2} x_3^2,

    the own gradients are :math:`\sigma(x_2 - x_1)`, :math:`x_1(\rho - x_3) - x_2`,
    :math:`x_1 x_2 - \beta x_3` -- the Lorenz vector field, so gradient ascent play
    :math:`\dot x_i = \nabla_{x_i} u_i` is chaotic for the classic parameters.
    Each :math:`u_i` is strictly concave in :math:`x_i` (own Hessians
    :math:`-\sigma, -1, -\beta`), so the stationary points -- the Lorenz fixed
    points :math:`0` and :math:`(\pm c, \pm c, \rho - 1)`, :math:`c = \sqrt{\beta(\rho-1)}`
    -- are exact (global) Nash equilibria, and nothing else is.

    Examples
    --------
    >>> g = lorenz_game()
    >>> len(g.facts["nash_equilibria"])
    3
    """
    sigma = as_real(sigma, "sigma", positive=True)
    rho = as_real(rho, "rho")
    beta = as_real(beta, "beta", positive=True)
    s, r, b = (sp.nsimplify(v, rational=True) for v in (sigma, rho, beta))
    x1, x2, x3 = sp.symbols("x1 x2 x3")
    u = [
        s * x1 * x2 - s / 2 * x1**2,
        x1 * (r - x3) * x2 - sp.Rational(1, 2) * x2**2,
        x1 * x2 * x3 - b / 2 * x3**2,
    ]
    eq: list[tuple[float, float, float]] = [(0.0, 0.0, 0.0)]
    if rho > 1:
        c = math.sqrt(beta * (rho - 1))
        eq += [(c, c, rho - 1), (-c, -c, rho - 1)]
    return game_from_sympy(
        u,
        [[x1], [x2], [x3]],
        smoothness=(sigma, 1.0, beta),
        smoothness_source="derived analytically (own Hessians are -sigma, -1, -beta)",
        name="lorenz",
        facts={
            "nash_equilibria": eq,
            "parameters": {"sigma": sigma, "rho": rho, "beta": beta},
            "description": "3-player game whose gradient play is the Lorenz system (derived)",
            "reference": "Lorenz (1963) for the dynamics; the game is localeq's construction",
        },
    )


# ---------------------------------------------------------------------------------
# normal-form games
# ---------------------------------------------------------------------------------


def _contract(tensor: np.ndarray, xs: Sequence[np.ndarray], skip: int | None) -> np.ndarray:
    """Contract ``tensor`` (axes = players) with every ``xs[k]`` except ``k == skip``."""
    out = tensor
    # contract from the last axis to keep the remaining axes' order
    for k in range(len(xs) - 1, -1, -1):
        if k == skip:
            continue
        out = np.tensordot(out, xs[k], axes=([k], [0]))
    return out


def normal_form_game(payoffs: Any, *, name: str = "normal-form game") -> Game:
    r"""The mixed extension of an n-player normal-form game.

    Player ``i`` picks a mixed strategy :math:`x_i \in \Delta_{a_i}` and receives the
    multilinear expected payoff

    .. math:: u_i(x) = \sum_{s} P_i[s_1, \dots, s_n] \prod_k x_k[s_k].

    The own-block gradient is :math:`P_i` contracted with every :math:`x_k`,
    :math:`k \ne i`; the own Hessian is **zero** (multilinearity), so :math:`L_i = 0`
    exactly and the first-order certificate is exact. Float evaluations carry a
    rigorous a-priori error bound (:math:`\gamma_m |P_i|` contracted with
    :math:`|x|`), so certificates are sound.

    Parameters
    ----------
    payoffs : array_like
        Shape ``(n, a_1, ..., a_n)``: ``payoffs[i]`` is player ``i``'s payoff tensor.
        For two players a pair ``(A, B)`` of ``a_1 × a_2`` matrices also works.
    name : str
        Name shown in reports.

    Examples
    --------
    >>> g = normal_form_game([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> g.utility(0, np.array([0.5, 0.5, 0.5, 0.5]))
    0.0
    """
    try:
        P = np.array(payoffs, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InvalidArgument(
            f"payoffs must be a numeric array of shape (n, a_1, ..., a_n), got "
            f"payoffs={short_repr(payoffs)}"
        ) from exc
    if P.ndim < 2 or P.shape[0] != P.ndim - 1:
        raise InvalidArgument(
            f"payoffs must have shape (n, a_1, ..., a_n) with n players, got shape {P.shape}"
        )
    if not np.all(np.isfinite(P)):
        raise InvalidArgument("payoffs must be finite (no NaN/inf)")
    n = P.shape[0]
    actions = P.shape[1:]
    if any(a < 1 for a in actions):
        raise InvalidArgument(f"every player needs at least one action, got shape {P.shape}")
    absP = np.abs(P)
    dims = tuple(int(a) for a in actions)
    m = int(np.prod(actions)) + n + 2
    g_m = gamma(m)

    def split(x: np.ndarray) -> list[np.ndarray]:
        out, start = [], 0
        for a in dims:
            out.append(np.asarray(x[start : start + a], dtype=float))
            start += a
        return out

    def utility_fn(i: int):
        return lambda x: float(_contract(P[i], split(x), None))

    def gradient_fn(i: int):
        return lambda x: np.asarray(_contract(P[i], split(x), i), dtype=float).reshape(dims[i])

    def hessian_fn(i: int):
        return lambda x: np.zeros((dims[i], dims[i]))

    def enclosure(i: int, x: np.ndarray) -> tuple[float, float]:
        xs = split(x)
        val = float(_contract(P[i], xs, None))
        err = g_m * float(_contract(absP[i], [np.abs(v) for v in xs], None))
        return (-up(-val, err), up(val, err))

    def grad_error(i: int, x: np.ndarray) -> float:
        xs = split(x)
        err = g_m * np.asarray(_contract(absP[i], [np.abs(v) for v in xs], i), dtype=float)
        return up(float(np.sqrt(up(float(np.sum(err * err))))), 0.0) * (1 + 4 * 2.0**-53)

    zero = tuple(
        Smoothness(0.0, "exact: utilities are multilinear", "the whole domain", rigorous=True)
        for _ in range(n)
    )
    return Game(
        name=str(name),
        dims=dims,
        domain=ProductSet([Simplex(a) for a in dims]),
        _utilities=tuple(utility_fn(i) for i in range(n)),
        _gradients=tuple(gradient_fn(i) for i in range(n)),
        _hessians=tuple(hessian_fn(i) for i in range(n)),
        declared_smoothness=zero,
        exact=True,
        _utility_enclosure=enclosure,
        _gradient_error=grad_error,
        _local_smoothness=lambda i, x, delta: zero[i],
        facts={"payoffs": P},
    )


def matching_pennies() -> Game:
    r"""Mixed extension of matching pennies (row wins on a match).

    Known facts: the unique Nash equilibrium is
    :math:`x = y = (\tfrac12, \tfrac12)`, value 0.

    Examples
    --------
    >>> matching_pennies().facts["nash_equilibria"]
    [(0.5, 0.5, 0.5, 0.5)]
    """
    A = np.array([[1.0, -1.0], [-1.0, 1.0]])
    g = normal_form_game(np.stack([A, -A]), name="matching-pennies")
    g.facts.update(
        nash_equilibria=[(0.5, 0.5, 0.5, 0.5)],
        description="matching pennies, mixed extension",
        reference="von Neumann & Morgenstern (1944)",
    )
    return g


def prisoners_dilemma(
    reward: float = 3.0, sucker: float = 0.0, temptation: float = 5.0, punishment: float = 1.0
) -> Game:
    r"""Mixed extension of the prisoner's dilemma (actions: cooperate, defect).

    Parameters
    ----------
    reward, sucker, temptation, punishment : float
        The payoffs :math:`R, S, T, P`.

    Requires :math:`T > R > P > S`. Known facts: defect strictly dominates, so
    (defect, defect) is the unique Nash equilibrium.

    Examples
    --------
    >>> prisoners_dilemma().facts["nash_equilibria"]
    [(0.0, 1.0, 0.0, 1.0)]
    """
    R = as_real(reward, "reward")
    S = as_real(sucker, "sucker")
    T = as_real(temptation, "temptation")
    P = as_real(punishment, "punishment")
    if not T > R > P > S:
        raise InvalidArgument(
            f"the prisoner's dilemma needs temptation > reward > punishment > sucker, got "
            f"temptation={T}, reward={R}, punishment={P}, sucker={S}"
        )
    A = np.array([[R, S], [T, P]])
    g = normal_form_game(np.stack([A, A.T]), name="prisoners-dilemma")
    g.facts.update(
        nash_equilibria=[(0.0, 1.0, 0.0, 1.0)],
        description="prisoner's dilemma, mixed extension (actions C, D)",
        reference="Flood & Dresher (1950); Tucker",
    )
    return g


#: registry of built-in games by name (used by the CLI)
CLASSIC_GAMES = {
    "bilinear": bilinear,
    "quadratic-saddle": quadratic_saddle,
    "squared-difference": squared_difference,
    "matching-pennies": matching_pennies,
    "prisoners-dilemma": prisoners_dilemma,
    "lorenz": lorenz_game,
}


def classic_game(name: str) -> Game:
    """Build a built-in game by name (see :data:`CLASSIC_GAMES`).

    Parameters
    ----------
    name : str
        A key of :data:`CLASSIC_GAMES` (e.g. ``"quadratic-saddle"``).

    Returns
    -------
    Game

    Examples
    --------
    >>> classic_game("bilinear").name
    'bilinear'
    """
    try:
        factory = CLASSIC_GAMES[str(name)]
    except KeyError:
        raise InvalidArgument(
            f"unknown game name={name!r}; choose one of {sorted(CLASSIC_GAMES)}"
        ) from None
    return factory()
