r"""The game model: n players, each maximising a smooth utility over its own block.

A game has players :math:`i = 1..n`; player ``i`` controls the block :math:`x_i \in
\mathbb{R}^{d_i}` of the joint strategy :math:`x = (x_1, \dots, x_n)` and **maximises**
:math:`u_i(x)`. The oracles are the value :math:`u_i(x)`, the own-block gradient
:math:`g_i(x) = \nabla_{x_i} u_i(x)` and the own-block Hessian
:math:`\nabla^2_{x_i x_i} u_i(x)`. Feasible strategies come from ``domain``:

* ``None`` -- unconstrained (:math:`\mathbb{R}^{d}`);
* a :class:`~constructions.ProductSet` -- independent strategy sets, one per player;
* a :class:`~constructions.CoupledSet` -- shared constraints, player ``i`` moves in
  the slice :math:`S_i(x_{-i})`;
* any other :class:`~constructions.ConvexSet` of the joint dimension with a single
  player.

Min-max problems :math:`\min_x \max_y f(x, y)` are the two-player zero-sum special
case with :math:`u_1 = -f`, :math:`u_2 = f` (:func:`minmax_game`,
:func:`minmax_from_sympy`).

Games built from **sympy** expressions (:func:`game_from_sympy`) get exact symbolic
gradients and Hessians (lambdified to numpy for speed) and, through ball arithmetic
(python-flint ``arb``), rigorous enclosures of utilities and gradients and rigorous
local smoothness constants -- the inputs a sound certificate needs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from ._errors import InvalidArgument
from ._rounding import up
from ._sets import ConvexSet, CoupledSet
from ._validation import as_positive_int, as_real, as_vector, short_repr

__all__ = [
    "Game",
    "Smoothness",
    "game_from_callables",
    "game_from_sympy",
    "minmax_game",
    "minmax_from_sympy",
]

UtilityFn = Callable[[np.ndarray], float]
GradientFn = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Smoothness:
    """A bound :math:`L_i` on the own-block smoothness of a player's utility.

    ``value`` bounds :math:`\\|\\nabla^2_{x_i x_i} u_i\\|_2` (equivalently the Lipschitz
    constant of :math:`g_i` in :math:`x_i`) on ``region``; ``source`` says where it
    comes from (``"declared by user"``, ``"derived analytically"``, ``"ball
    arithmetic"``) and ``rigorous`` whether localeq proved it.

    Attributes
    ----------
    value : float
        The bound :math:`L_i`.
    source : str
        Where it comes from.
    region : str
        Where it is valid.
    rigorous : bool
        Whether localeq proved it.

    Examples
    --------
    >>> from constructions import quadratic_saddle
    >>> g = quadratic_saddle()
    >>> g.declared_smoothness[0].value, g.declared_smoothness[0].rigorous
    (1.0, False)
    >>> s = g.local_smoothness(0, np.zeros(2), 0.1)          # proved by ball arithmetic
    >>> s.rigorous, abs(s.value - 1.0) < 1e-12
    (True, True)
    """

    value: float
    source: str
    region: str
    rigorous: bool

    def describe(self) -> str:
        """One sentence for a certificate's assumption list.

        Returns
        -------
        str
            ``"L=<value> (<proved|assumed>; <source>) valid on <region>"``.

        Examples
        --------
        >>> Smoothness(2.0, "declared by user", "the whole domain", rigorous=False).describe()
        'L=2 (assumed; declared by user) valid on the whole domain'
        """
        kind = "proved" if self.rigorous else "assumed"
        return f"L={self.value:.6g} ({kind}; {self.source}) valid on {self.region}"


def _block_slices(dims: Sequence[int]) -> tuple[slice, ...]:
    out, start = [], 0
    for d in dims:
        out.append(slice(start, start + d))
        start += d
    return tuple(out)


@dataclass(frozen=True, eq=False)
class Game:
    r"""A smooth n-player game (players maximise their utilities).

    Build games with :func:`game_from_callables`, :func:`game_from_sympy`,
    :func:`minmax_game`, :func:`minmax_from_sympy` or the classic games in
    :mod:`constructions`; the constructor itself does no validation.

    Attributes
    ----------
    name : str
        Human-readable name.
    dims : tuple of int
        Block sizes :math:`d_i`.
    domain : ConvexSet or None
        Joint feasible set (see the module docstring); ``None`` = unconstrained.
    declared_smoothness : tuple of (Smoothness or None)
        Per-player constants :math:`L_i` valid on the whole domain.
    minmax : bool
        Whether this is :math:`\min_x\max_y f` with :math:`u_1=-f`, :math:`u_2=f`.
    exact : bool
        Whether rigorous enclosures (values, gradients, local smoothness) exist.
    facts : dict
        Known facts about the game (equilibria, references), for tests and docs.

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> g = game_from_sympy([-(x * y), x * y], [[x], [y]], name="xy")
    >>> g.n_players, g.dims, g.exact, g.minmax
    (2, (1, 1), True, False)
    >>> g.utility(1, np.array([2.0, 3.0])), g.pseudo_gradient(np.array([2.0, 3.0])).tolist()
    (6.0, [-3.0, 2.0])
    """

    name: str
    dims: tuple[int, ...]
    domain: ConvexSet | None
    _utilities: tuple[UtilityFn, ...]
    _gradients: tuple[GradientFn, ...]
    _hessians: tuple[Callable[[np.ndarray], np.ndarray] | None, ...]
    declared_smoothness: tuple[Smoothness | None, ...]
    minmax: bool = False
    exact: bool = False
    # optional rigorous hooks (see methods below)
    _utility_enclosure: Callable[[int, np.ndarray], tuple[float, float]] | None = None
    _gradient_error: Callable[[int, np.ndarray], float] | None = None
    _local_smoothness: Callable[[int, np.ndarray, float], float | Smoothness] | None = None
    _utility_exact: Callable[[int, np.ndarray], Fraction | None] | None = None
    _gradient_exact: Callable[[int, np.ndarray], list[Fraction] | None] | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    sympy_data: Any = None

    # -- structure -------------------------------------------------------------
    @property
    def n_players(self) -> int:
        """Number of players."""
        return len(self.dims)

    @property
    def dim(self) -> int:
        """Dimension of the joint strategy."""
        return int(sum(self.dims))

    @property
    def block_slices(self) -> tuple[slice, ...]:
        """Index slices of the players' blocks in the joint vector."""
        return _block_slices(self.dims)

    def split(self, x: np.ndarray) -> list[np.ndarray]:
        r"""The blocks :math:`x_1, \dots, x_n` of a joint vector :math:`x = (x_1, \dots, x_n)`.

        Parameters
        ----------
        x : numpy.ndarray, shape (dim,)
            A joint strategy (not validated).

        Returns
        -------
        list of numpy.ndarray
            ``out[i]`` is player ``i``'s block (a view of ``x``), of length ``dims[i]``.

        Examples
        --------
        >>> g = game_from_callables([lambda z: 0.0] * 2, [lambda z: np.zeros(2), lambda z: np.zeros(1)],
        ...                         dims=[2, 1])
        >>> g.split(np.array([1.0, 2.0, 3.0]))
        [array([1., 2.]), array([3.])]
        """
        return [x[s] for s in self.block_slices]

    def check_player(self, i: Any, name: str = "player") -> int:
        """Validate a player index: an integer ``i`` with ``0 <= i < n_players`` (bools rejected).

        Parameters
        ----------
        i : int
            The candidate index.
        name : str, default "player"
            Argument name used in the error message.

        Returns
        -------
        int
            ``i`` as a Python int.

        Raises
        ------
        InvalidArgument
            When ``i`` is not a valid player index.

        Examples
        --------
        >>> from constructions import quadratic_saddle
        >>> g = quadratic_saddle()
        >>> g.check_player(np.int64(1))
        1
        >>> g.check_player(2)
        Traceback (most recent call last):
            ...
        constructions._errors.InvalidArgument: player must be an integer in [0, 1], got player=2
        """
        if isinstance(i, bool) or not isinstance(i, (int, np.integer)) or not (
            0 <= int(i) < self.n_players
        ):
            raise InvalidArgument(
                f"{name} must be an integer in [0, {self.n_players - 1}], got {name}={i!r}"
            )
        return int(i)

    def check_point(self, x: Any, name: str = "x", *, feas_tol: float | None = None) -> np.ndarray:
        r"""Validate a joint strategy: a finite vector of length :attr:`dim`.

        With ``feas_tol`` given, also require the point to be feasible up to that
        absolute tolerance: :math:`\mathrm{domain.violation}(x) \le` ``feas_tol``.

        Parameters
        ----------
        x : array_like
            The candidate joint strategy.
        name : str, default "x"
            Argument name used in error messages.
        feas_tol : float, optional
            Feasibility tolerance; ``None`` skips the feasibility check (as does an
            unconstrained game).

        Returns
        -------
        numpy.ndarray, shape (dim,)
            ``x`` as a float64 vector.

        Raises
        ------
        InvalidArgument
            Wrong length, non-finite entries, or (with ``feas_tol``) an infeasible point.

        Examples
        --------
        >>> from constructions import quadratic_saddle
        >>> g = quadratic_saddle(bound=1.0)                     # domain [-1, 1]^2
        >>> g.check_point([0.5, 1.0], feas_tol=0.0)
        array([0.5, 1. ])
        >>> g.check_point([2.0, 0.0], feas_tol=1e-9)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
            ...
        constructions._errors.InvalidArgument: x is not feasible: constraint violation 1 exceeds ...
        """
        arr = as_vector(x, name, dim=self.dim)
        if feas_tol is not None and self.domain is not None:
            viol = self.domain.violation(arr)
            if not viol <= feas_tol:
                raise InvalidArgument(
                    f"{name} is not feasible: constraint violation {viol:.3g} exceeds "
                    f"feas_tol={feas_tol:g} for {name}={short_repr(arr)}"
                )
        return arr

    def player_set(self, i: int, x: np.ndarray) -> ConvexSet | None:
        r"""Feasible set of player ``i`` with the others at ``x`` (``None``: all of :math:`\mathbb{R}^{d_i}`).

        A :class:`~constructions.ProductSet` domain gives its factor ``i``, a
        :class:`~constructions.CoupledSet` its slice :math:`S_i(x_{-i})`, a one-player game its
        domain.

        Parameters
        ----------
        i : int
            The player.
        x : numpy.ndarray, shape (dim,)
            The joint strategy fixing the other players' blocks.

        Returns
        -------
        ConvexSet or None

        Examples
        --------
        >>> from constructions import DSZSet, quadratic_saddle
        >>> quadratic_saddle().player_set(0, np.zeros(2)) is None
        True
        >>> quadratic_saddle(bound=1.0).player_set(0, np.zeros(2))
        Box(lo=array([-1.]), hi=array([1.]))
        >>> g = game_from_callables([lambda z: 0.0] * 2, [lambda z: np.zeros(1)] * 2, dims=[1, 1],
        ...                         domain=DSZSet(1, 0.25))
        >>> g.player_set(0, np.array([0.0, 0.9]))              # |x - 0.9| <= 0.25 within [0, 1]
        Box(lo=array([0.65]), hi=array([1.]))
        """
        from ._sets import ProductSet  # local import: sets module is independent of games

        dom = self.domain
        if dom is None:
            return None
        if isinstance(dom, CoupledSet):
            return dom.slice(i, x)
        if isinstance(dom, ProductSet):
            return dom.sets[i]
        if self.n_players == 1:
            return dom
        raise InvalidArgument(
            f"domain must be a ProductSet or CoupledSet for a {self.n_players}-player game, "
            f"got domain={dom!r}"
        )

    # -- oracles ---------------------------------------------------------------
    def utility(self, i: int, x: np.ndarray) -> float:
        """:math:`u_i(x)`, the utility player ``i`` maximises.

        Parameters
        ----------
        i : int
            The player.
        x : numpy.ndarray, shape (dim,)
            The joint strategy.

        Returns
        -------
        float

        Examples
        --------
        >>> from constructions import quadratic_saddle
        >>> g = quadratic_saddle()                # f = x^2/2 + 10xy - y^2/2, u_0 = -f, u_1 = f
        >>> g.utility(0, np.array([1.0, 2.0])), g.utility(1, np.array([1.0, 2.0]))
        (-18.5, 18.5)
        """
        return float(self._utilities[i](x))

    def utilities(self, x: np.ndarray) -> np.ndarray:
        r"""All utilities :math:`(u_1(x), \dots, u_n(x))`.

        Parameters
        ----------
        x : numpy.ndarray, shape (dim,)
            The joint strategy.

        Returns
        -------
        numpy.ndarray, shape (n_players,)

        Examples
        --------
        >>> from constructions import quadratic_saddle
        >>> quadratic_saddle().utilities(np.array([1.0, 2.0]))          # zero-sum: u_0 = -u_1
        array([-18.5,  18.5])
        """
        return np.array([self.utility(i, x) for i in range(self.n_players)])

    def gradient(self, i: int, x: np.ndarray) -> np.ndarray:
        r"""Own-block gradient :math:`g_i(x) = \nabla_{x_i} u_i(x)` (shape ``(d_i,)``).

        Parameters
        ----------
        i : int
            The player.
        x : numpy.ndarray, shape (dim,)
            The joint strategy.

        Returns
        -------
        numpy.ndarray, shape (dims[i],)
            An ascent direction of :math:`u_i` in player ``i``'s own block.

        Raises
        ------
        InvalidArgument
            When the game's gradient oracle returns the wrong shape.

        Examples
        --------
        >>> from constructions import quadratic_saddle
        >>> g = quadratic_saddle()                # f = x^2/2 + 10xy - y^2/2
        >>> g.gradient(0, np.array([1.0, 2.0]))   # -df/dx = -(x + 10y)
        array([-21.])
        >>> g.gradient(1, np.array([1.0, 2.0]))   # df/dy = 10x - y
        array([8.])
        """
        g = np.asarray(self._gradients[i](x), dtype=float).reshape(-1)
        if g.shape[0] != self.dims[i]:
            raise InvalidArgument(
                f"gradient oracle of player {i} returned shape {g.shape}, expected "
                f"({self.dims[i]},)"
            )
        return g

    def pseudo_gradient(self, x: np.ndarray) -> np.ndarray:
        r"""Stacked own gradients :math:`\omega(x) = (g_1(x), \dots, g_n(x))` (ascent directions).

        A joint point is a first-order (unconstrained) equilibrium iff :math:`\omega(x) = 0`.

        Parameters
        ----------
        x : numpy.ndarray, shape (dim,)
            The joint strategy.

        Returns
        -------
        numpy.ndarray, shape (dim,)

        Examples
        --------
        >>> from constructions import quadratic_saddle
        >>> g = quadratic_saddle()
        >>> g.pseudo_gradient(np.array([1.0, 2.0]))
        array([-21.,   8.])
        >>> g.pseudo_gradient(np.zeros(2)).tolist()          # the saddle (0, 0) is a zero
        [-0.0, 0.0]
        """
        return np.concatenate([self.gradient(i, x) for i in range(self.n_players)])

    def hessian(self, i: int, x: np.ndarray) -> np.ndarray:
        r"""Own-block Hessian :math:`\nabla^2_{x_i x_i} u_i(x)` (shape ``(d_i, d_i)``).

        Falls back to central differences of the gradient when the game has no Hessian
        oracle (an estimate, step ``1e-6``, symmetrised).

        Parameters
        ----------
        i : int
            The player.
        x : numpy.ndarray, shape (dim,)
            The joint strategy.

        Returns
        -------
        numpy.ndarray, shape (dims[i], dims[i])

        Examples
        --------
        >>> from constructions import quadratic_saddle
        >>> quadratic_saddle().hessian(0, np.array([1.0, 2.0]))      # -d^2 f/dx^2
        array([[-1.]])
        >>> g = game_from_callables([lambda z: -z[0] ** 2], [lambda z: -2 * z], dims=[1])
        >>> np.round(g.hessian(0, np.array([0.3])), 6)              # finite differences
        array([[-2.]])
        """
        h = self._hessians[i]
        if h is not None:
            return np.asarray(h(x), dtype=float).reshape(self.dims[i], self.dims[i])
        sl = self.block_slices[i]
        d = self.dims[i]
        out = np.empty((d, d))
        step = 1e-6
        for k in range(d):
            e = np.zeros_like(x)
            e[sl.start + k] = step
            out[:, k] = (self.gradient(i, x + e) - self.gradient(i, x - e)) / (2 * step)
        return 0.5 * (out + out.T)

    # -- rigorous hooks ----------------------------------------------------------
    def utility_enclosure(self, i: int, x: np.ndarray) -> tuple[float, float] | None:
        """Rigorous ``(lo, hi)`` with ``lo ≤ u_i(x) ≤ hi``, or None if unavailable.

        Sympy games enclose the exact utility at the float point ``x`` by ball arithmetic
        (python-flint ``arb``); callable games have no enclosure.

        Parameters
        ----------
        i : int
            The player.
        x : numpy.ndarray, shape (dim,)
            The joint strategy.

        Returns
        -------
        tuple of float or None

        Examples
        --------
        >>> from constructions import quadratic_saddle
        >>> x = np.array([0.1, 0.2])
        >>> lo, hi = quadratic_saddle().utility_enclosure(1, x)      # f(0.1, 0.2) = 0.185
        >>> bool(lo <= 0.185 <= hi and hi - lo < 1e-15)
        True
        >>> g = game_from_callables([lambda z: 0.0], [lambda z: np.zeros(1)], dims=[1])
        >>> g.utility_enclosure(0, x[:1]) is None                     # no enclosure for callables
        True
        """
        if self._utility_enclosure is None:
            return None
        return self._utility_enclosure(i, x)

    def utility_exact(self, i: int, x: np.ndarray) -> Fraction | None:
        """:math:`u_i(x)` in exact rational arithmetic at the float point ``x``.

        Available for sympy games whose utilities are rational functions (polynomials
        included); ``None`` otherwise. Floats convert to rationals exactly.

        Parameters
        ----------
        i : int
            The player.
        x : numpy.ndarray, shape (dim,)
            The joint strategy.

        Returns
        -------
        fractions.Fraction or None

        Examples
        --------
        >>> from constructions import quadratic_saddle
        >>> quadratic_saddle().utility_exact(1, np.array([0.5, 0.25]))    # 1/8 + 5/4 - 1/32
        Fraction(43, 32)
        """
        if self._utility_exact is None:
            return None
        return self._utility_exact(i, x)

    def gradient_exact(self, i: int, x: np.ndarray) -> list[Fraction] | None:
        """Own-block gradient in exact rational arithmetic (see :meth:`utility_exact`).

        Parameters
        ----------
        i : int
            The player.
        x : numpy.ndarray, shape (dim,)
            The joint strategy.

        Returns
        -------
        list of fractions.Fraction or None
            The ``dims[i]`` exact components, or ``None`` when the utilities are not rational
            functions.

        Examples
        --------
        >>> from constructions import quadratic_saddle
        >>> quadratic_saddle().gradient_exact(1, np.array([0.5, 0.25]))   # 10x - y = 5 - 1/4
        [Fraction(19, 4)]
        """
        if self._gradient_exact is None:
            return None
        return self._gradient_exact(i, x)

    def gradient_error(self, i: int, x: np.ndarray) -> float | None:
        r"""Rigorous bound on :math:`\|g_i(x) - \mathrm{gradient}(i, x)\|_2`, or None.

        :math:`g_i(x)` is the exact own gradient at the float point ``x``; the bound covers the
        rounding errors of the float oracle (ball arithmetic, sympy games only). It is 0 when every
        float component is exact.

        Parameters
        ----------
        i : int
            The player.
        x : numpy.ndarray, shape (dim,)
            The joint strategy.

        Returns
        -------
        float or None

        Examples
        --------
        >>> from constructions import quadratic_saddle
        >>> g = quadratic_saddle()
        >>> g.gradient_error(1, np.array([0.5, 0.25])), g.gradient_error(1, np.array([0.1, 0.2])) < 1e-15
        (0.0, True)
        """
        if self._gradient_error is None:
            return None
        return self._gradient_error(i, x)

    def local_smoothness(self, i: int, x: np.ndarray, delta: float) -> Smoothness | None:
        r"""A rigorous :math:`L_i` on the box :math:`\{x_i' : \|x_i'-x_i\|_\infty\le\delta\}` (others fixed).

        :math:`L_i` bounds :math:`\|\nabla^2_{x_i x_i} u_i\|_2` on the box, proved by ball
        arithmetic on the exact own-block Hessian (sympy games). Returns None when the game
        cannot prove one (then the certificate falls back to :attr:`declared_smoothness`).

        Parameters
        ----------
        i : int
            The player.
        x : numpy.ndarray, shape (dim,)
            The centre of the box.
        delta : float
            Half-width of the box in player ``i``'s block.

        Returns
        -------
        Smoothness or None

        Examples
        --------
        >>> from constructions import quadratic_saddle
        >>> s = quadratic_saddle().local_smoothness(0, np.zeros(2), 0.1)     # own Hessian is -1
        >>> s.rigorous, abs(s.value - 1.0) < 1e-12
        (True, True)
        """
        if self._local_smoothness is None:
            return None
        val = self._local_smoothness(i, x, delta)
        if isinstance(val, Smoothness):
            return val
        if not math.isfinite(val):
            return None
        return Smoothness(
            value=val,
            source="ball arithmetic (python-flint arb) on the exact own-block Hessian",
            region=f"the box |x_{i}' - x_{i}|_inf <= {delta:g} (others fixed)",
            rigorous=True,
        )

    def __repr__(self) -> str:
        return (
            f"Game(name={self.name!r}, players={self.n_players}, dims={self.dims}, "
            f"domain={self.domain!r}, minmax={self.minmax}, exact={self.exact})"
        )


# ---------------------------------------------------------------------------------
# factories
# ---------------------------------------------------------------------------------


def _check_dims(dims: Any) -> tuple[int, ...]:
    try:
        out = tuple(int(d) for d in dims)
    except TypeError as exc:
        raise InvalidArgument(f"dims must be a sequence of positive ints, got dims={dims!r}") from exc
    if not out or any(d < 1 for d in out) or any(
        isinstance(d, bool) or float(d) != int(d) for d in dims
    ):
        raise InvalidArgument(f"dims must be a non-empty sequence of positive ints, got dims={dims!r}")
    return out


def _check_domain(domain: Any, dims: tuple[int, ...]) -> ConvexSet | None:
    if domain is None:
        return None
    if not isinstance(domain, ConvexSet):
        raise InvalidArgument(f"domain must be a ConvexSet or None, got domain={short_repr(domain)}")
    total = sum(dims)
    if domain.dim != total:
        raise InvalidArgument(
            f"domain has dimension {domain.dim} but the players' blocks dims={dims} add up to "
            f"{total}; got domain={domain!r}"
        )
    blocks = getattr(domain, "blocks", None)
    if len(dims) > 1 and blocks is not None and tuple(blocks) != dims:
        raise InvalidArgument(
            f"domain blocks {tuple(blocks)} do not match dims={dims}; got domain={domain!r}"
        )
    if len(dims) > 1 and blocks is None:
        raise InvalidArgument(
            f"a {len(dims)}-player game needs a ProductSet or CoupledSet domain, got domain={domain!r}"
        )
    return domain


def _check_smoothness(smoothness: Any, n: int, source: str) -> tuple[Smoothness | None, ...]:
    if smoothness is None:
        return (None,) * n
    if isinstance(smoothness, (int, float, np.integer, np.floating)) and not isinstance(
        smoothness, bool
    ):
        smoothness = [smoothness] * n
    items = list(smoothness)
    if len(items) != n:
        raise InvalidArgument(
            f"smoothness must give one constant per player ({n}), got smoothness={smoothness!r}"
        )
    out: list[Smoothness | None] = []
    for k, s in enumerate(items):
        if s is None or isinstance(s, Smoothness):
            out.append(s)
            continue
        val = as_real(s, f"smoothness[{k}]", nonnegative=True)
        out.append(Smoothness(val, source, "the whole domain", rigorous=False))
    return tuple(out)


def game_from_callables(
    utilities: Sequence[UtilityFn],
    gradients: Sequence[GradientFn],
    *,
    dims: Sequence[int],
    domain: ConvexSet | None = None,
    hessians: Sequence[Callable[[np.ndarray], np.ndarray] | None] | None = None,
    smoothness: float | Sequence[float | None] | None = None,
    name: str = "custom game",
    facts: dict[str, Any] | None = None,
) -> Game:
    r"""A game from numpy callables.

    Parameters
    ----------
    utilities : sequence of callables
        ``utilities[i](x)`` returns :math:`u_i(x)` for the joint vector ``x``.
    gradients : sequence of callables
        ``gradients[i](x)`` returns the own-block gradient :math:`\nabla_{x_i} u_i(x)`
        (shape ``(dims[i],)``).
    dims : sequence of int
        Block sizes.
    domain : ConvexSet, optional
        Joint feasible set (ProductSet or CoupledSet for several players).
    hessians : sequence of callables, optional
        Own-block Hessians; missing ones are estimated by finite differences.
    smoothness : float or sequence, optional
        Declared :math:`L_i` (own-block Lipschitz constants of the gradients) valid on
        the whole domain. They are recorded as *assumptions* in certificates.
    name : str
        Name shown in reports.
    facts : dict, optional
        Known facts (e.g. ``{"equilibria": [...]}``).

    Returns
    -------
    Game

    Examples
    --------
    >>> import numpy as np
    >>> g = game_from_callables([lambda x: -x[0] ** 2], [lambda x: np.array([-2 * x[0]])],
    ...                         dims=[1], smoothness=2.0)
    >>> g.gradient(0, np.array([1.0]))
    array([-2.])
    """
    dims_t = _check_dims(dims)
    n = len(dims_t)
    for nm, seq in (("utilities", utilities), ("gradients", gradients)):
        if len(seq) != n or not all(callable(f) for f in seq):
            raise InvalidArgument(
                f"{nm} must be a sequence of {n} callables (one per player), got "
                f"{nm}={short_repr(seq)}"
            )
    hess = tuple(hessians) if hessians is not None else (None,) * n
    if len(hess) != n or not all(h is None or callable(h) for h in hess):
        raise InvalidArgument(f"hessians must be {n} callables or None, got hessians={hess!r}")
    return Game(
        name=str(name),
        dims=dims_t,
        domain=_check_domain(domain, dims_t),
        _utilities=tuple(utilities),
        _gradients=tuple(gradients),
        _hessians=hess,
        declared_smoothness=_check_smoothness(smoothness, n, "declared by user"),
        facts=dict(facts or {}),
    )


def minmax_game(
    f: UtilityFn,
    grad_x: GradientFn,
    grad_y: GradientFn,
    *,
    dx: int,
    dy: int,
    domain: ConvexSet | None = None,
    smoothness: float | Sequence[float | None] | None = None,
    name: str = "min-max game",
) -> Game:
    r"""The two-player zero-sum game :math:`\min_x \max_y f(x, y)` from callables.

    ``f``, ``grad_x`` and ``grad_y`` take the joint vector ``z = (x, y)``; player 0 has
    utility :math:`-f`, player 1 has utility :math:`f`.

    Parameters
    ----------
    f : callable
        ``f(z) -> float``.
    grad_x, grad_y : callable
        ``grad_x(z)`` = :math:`\nabla_x f` (length ``dx``), ``grad_y(z)`` = :math:`\nabla_y f`
        (length ``dy``); assumed exact by the certificates.
    dx, dy : int
        Block sizes.
    domain, smoothness, name
        As in :func:`game_from_callables`.

    Returns
    -------
    Game
        With ``minmax=True``.

    Examples
    --------
    >>> import numpy as np
    >>> g = minmax_game(lambda z: z[0] * z[1], lambda z: z[1:2], lambda z: z[0:1], dx=1, dy=1)
    >>> g.gradient(0, np.array([1.0, 2.0]))  # -df/dx
    array([-2.])
    """
    for nm, fn in (("f", f), ("grad_x", grad_x), ("grad_y", grad_y)):
        if not callable(fn):
            raise InvalidArgument(f"{nm} must be callable, got {nm}={short_repr(fn)}")
    dx, dy = as_positive_int(dx, "dx"), as_positive_int(dy, "dy")
    game = game_from_callables(
        [lambda z: -float(f(z)), lambda z: float(f(z))],
        [lambda z: -np.asarray(grad_x(z), dtype=float), lambda z: np.asarray(grad_y(z), dtype=float)],
        dims=[dx, dy],
        domain=domain,
        smoothness=smoothness,
        name=name,
    )
    return _replace(game, minmax=True)


def _replace(game: Game, **changes: Any) -> Game:
    import dataclasses

    return dataclasses.replace(game, **changes)


# ---------------------------------------------------------------------------------
# sympy games
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _SympyData:
    symbols: tuple[sp.Symbol, ...]
    players: tuple[tuple[sp.Symbol, ...], ...]
    utilities: tuple[sp.Expr, ...]
    gradients: tuple[tuple[sp.Expr, ...], ...]
    hessians: tuple[tuple[tuple[sp.Expr, ...], ...], ...]


def _lambdify_scalar(symbols: Sequence[sp.Symbol], expr: sp.Expr) -> Callable[[np.ndarray], float]:
    fn = sp.lambdify([list(symbols)], expr, modules="numpy")
    return lambda x: float(fn(np.asarray(x, dtype=float)))


def _lambdify_array(
    symbols: Sequence[sp.Symbol], exprs: Any, shape: tuple[int, ...]
) -> Callable[[np.ndarray], np.ndarray]:
    fn = sp.lambdify([list(symbols)], sp.Array(exprs).tolist(), modules="numpy")

    def call(x: np.ndarray) -> np.ndarray:
        out = np.empty(shape)
        out[...] = np.array(fn(np.asarray(x, dtype=float)), dtype=float).reshape(shape)
        return out

    return call


def game_from_sympy(
    utilities: Sequence[Any],
    players: Sequence[Sequence[sp.Symbol]],
    *,
    domain: ConvexSet | None = None,
    smoothness: float | Sequence[float | None] | None = None,
    smoothness_source: str = "declared by user",
    name: str = "sympy game",
    facts: dict[str, Any] | None = None,
) -> Game:
    r"""A game whose utilities are sympy expressions.

    Gradients and Hessians are differentiated symbolically and lambdified to numpy.
    The game is *exact*: certificates obtain rigorous enclosures of utilities and
    gradients, and rigorous local smoothness constants :math:`L_i` from the exact
    own-block Hessian, by ball arithmetic (python-flint ``arb``; see
    :mod:`constructions._arb`). Supported functions: ``+ - * /``, powers, ``sqrt``,
    ``exp``, ``log``, trigonometric and hyperbolic functions, ``Abs``, ``erf``.

    Parameters
    ----------
    utilities : sequence of sympy expressions
        ``utilities[i]`` is :math:`u_i`, maximised by player ``i``.
    players : sequence of sequences of sympy Symbols
        ``players[i]`` lists player ``i``'s variables; their concatenation is the joint
        vector's order. Every free symbol of the utilities must belong to a player.
    domain, smoothness, name, facts
        As in :func:`game_from_callables`.
    smoothness_source : str
        How the declared constants were obtained (recorded in certificates).

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> g = game_from_sympy([-(x * y), x * y], [[x], [y]])
    >>> g.gradient(1, np.array([2.0, 0.0]))
    array([2.])
    """
    if isinstance(players, (str, bytes)) or not isinstance(players, Sequence):
        raise InvalidArgument(f"players must be a sequence of symbol lists, got players={players!r}")
    try:
        blocks = tuple(tuple(p) for p in players)
    except TypeError as exc:
        raise InvalidArgument(
            f"players must be a sequence of symbol lists, got players={players!r}"
        ) from exc
    if not blocks or any(len(b) == 0 for b in blocks):
        raise InvalidArgument(f"every player needs at least one symbol, got players={players!r}")
    flat = tuple(s for b in blocks for s in b)
    if not all(isinstance(s, sp.Symbol) for s in flat) or len(set(flat)) != len(flat):
        raise InvalidArgument(f"players must hold distinct sympy Symbols, got players={players!r}")
    try:
        exprs = tuple(sp.sympify(u) for u in utilities)
    except (sp.SympifyError, TypeError) as exc:
        raise InvalidArgument(f"utilities must be sympy expressions, got utilities={utilities!r}") from exc
    if len(exprs) != len(blocks):
        raise InvalidArgument(
            f"need one utility per player ({len(blocks)}), got {len(exprs)}: utilities={utilities!r}"
        )
    for k, e in enumerate(exprs):
        extra = e.free_symbols - set(flat)
        if extra:
            raise InvalidArgument(
                f"utilities[{k}] has symbols {sorted(map(str, extra))} that belong to no player"
            )
    grads = tuple(tuple(sp.diff(e, s) for s in b) for e, b in zip(exprs, blocks, strict=True))
    hess = tuple(
        tuple(tuple(sp.diff(gk, s) for s in b) for gk in g) for g, b in zip(grads, blocks, strict=True)
    )
    dims = tuple(len(b) for b in blocks)
    data = _SympyData(flat, blocks, exprs, grads, hess)

    u_fns = tuple(_lambdify_scalar(flat, e) for e in exprs)
    g_fns = tuple(_lambdify_array(flat, list(g), (len(g),)) for g in grads)
    h_fns = tuple(
        _lambdify_array(flat, [list(r) for r in h], (len(h), len(h))) for h in hess
    )
    decl = _check_smoothness(smoothness, len(blocks), smoothness_source)
    rational = all(e.is_rational_function(*flat) for e in exprs)
    return Game(
        name=str(name),
        dims=dims,
        domain=_check_domain(domain, dims),
        _utilities=u_fns,
        _gradients=g_fns,
        _hessians=h_fns,
        declared_smoothness=decl,
        exact=True,
        _utility_enclosure=lambda i, x: _arb_utility(data, i, x),
        _gradient_error=lambda i, x: _arb_gradient_error(data, g_fns, i, x),
        _local_smoothness=lambda i, x, delta: _arb_local_smoothness(data, i, x, delta),
        _utility_exact=(lambda i, x: _exact(data.utilities[i], data.symbols, x)) if rational else None,
        _gradient_exact=(
            (lambda i, x: [_exact(e, data.symbols, x) for e in data.gradients[i]]) if rational else None
        ),
        facts=dict(facts or {}),
        sympy_data=data,
    )


def minmax_from_sympy(
    f: Any,
    xs: Sequence[sp.Symbol],
    ys: Sequence[sp.Symbol],
    *,
    domain: ConvexSet | None = None,
    smoothness: float | Sequence[float | None] | None = None,
    smoothness_source: str = "declared by user",
    name: str = "min-max game",
    facts: dict[str, Any] | None = None,
) -> Game:
    r""":math:`\min_x \max_y f(x, y)` from a sympy expression (``u_x = -f``, ``u_y = f``).

    Parameters
    ----------
    f : sympy expression
        The objective, minimised by the x-player and maximised by the y-player.
    xs, ys : sequence of sympy Symbols
        The two players' variables (joint order: ``xs`` then ``ys``).
    domain, smoothness, smoothness_source, name, facts
        As in :func:`game_from_sympy`.

    Returns
    -------
    Game
        With ``minmax=True``.

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> g = minmax_from_sympy(x * y, [x], [y])
    >>> g.minmax, g.utility(0, np.array([1.0, 3.0]))
    (True, -3.0)
    """
    f = sp.sympify(f)
    game = game_from_sympy(
        [-f, f],
        [xs, ys],
        domain=domain,
        smoothness=smoothness,
        smoothness_source=smoothness_source,
        name=name,
        facts=facts,
    )
    return _replace(game, minmax=True)


def _env(data: _SympyData, x: np.ndarray, i: int | None = None, delta: float = 0.0) -> dict:
    from flint import arb

    from ._arb import box_ball

    env = {}
    own = set(data.players[i]) if i is not None else set()
    for s, v in zip(data.symbols, np.asarray(x, dtype=float), strict=True):
        if s in own and delta > 0:  # outward-rounded box: contains the exact [v - delta, v + delta]
            env[s] = box_ball(math.nextafter(v - delta, -math.inf), math.nextafter(v + delta, math.inf))
        else:
            env[s] = arb(float(v))
    return env


def _arb_utility(data: _SympyData, i: int, x: np.ndarray) -> tuple[float, float]:
    from ._arb import ArbUnsupported, arb_eval, arb_lower, arb_upper

    try:
        ball = arb_eval(data.utilities[i], _env(data, x))
    except ArbUnsupported:
        return (-math.inf, math.inf)
    return arb_lower(ball), arb_upper(ball)


def _arb_gradient_error(data: _SympyData, g_fns: Sequence[GradientFn], i: int, x: np.ndarray) -> float:
    """Rigorous bound on the distance between the float gradient and the exact one."""
    from flint import arb

    from ._arb import ArbUnsupported, arb_eval, arb_upper

    g_float = np.asarray(g_fns[i](x), dtype=float)
    env = _env(data, x)
    sq = 0.0
    for gk, gf in zip(data.gradients[i], g_float, strict=True):
        if not math.isfinite(gf):
            return math.inf
        try:
            ball = arb_eval(gk, env)
        except ArbUnsupported:
            return math.inf
        err = arb_upper(abs(ball - arb(float(gf))))
        if err > 0:
            sq = up(sq + err * err)
    if sq == 0.0:  # every component is exactly representable: no rounding error at all
        return 0.0
    return up(math.sqrt(sq), 4 * 2.0**-53 * math.sqrt(sq))


def _arb_local_smoothness(data: _SympyData, i: int, x: np.ndarray, delta: float) -> float:
    """Rigorous bound on the spectral norm of the own Hessian over a box around x_i."""
    from ._arb import ArbUnsupported, arb_eval, arb_upper

    env = _env(data, x, i, delta)
    h = data.hessians[i]
    d = len(h)
    m = np.zeros((d, d))
    for a in range(d):
        for b in range(d):
            try:
                ball = arb_eval(h[a][b], env)
            except ArbUnsupported:
                return math.inf
            m[a, b] = arb_upper(abs(ball))
    if not np.all(np.isfinite(m)):
        return math.inf
    if not np.any(m):  # the own Hessian vanishes identically on the box
        return 0.0
    # ||H||_2 <= || |H| ||_2 <= ||M||_2 <= min(||M||_F, sqrt(||M||_1 ||M||_inf)), rounded up
    fro = math.sqrt(up(math.fsum((m * m).ravel())))
    one = up(float(np.max(np.sum(m, axis=0))), d * 2.0**-52 * float(np.max(m)) * d)
    inf = up(float(np.max(np.sum(m, axis=1))), d * 2.0**-52 * float(np.max(m)) * d)
    return up(min(fro, math.sqrt(up(one * inf))), 4 * 2.0**-53 * fro)


def _exact(expr: sp.Expr, symbols: Sequence[sp.Symbol], x: np.ndarray) -> Fraction | None:
    """Exact rational value of a rational-function expression at a float point."""
    subs = {s: sp.Rational(Fraction(float(v))) for s, v in zip(symbols, x, strict=True)}
    try:
        val = expr.xreplace(subs)
    except ZeroDivisionError:
        return None
    if not val.is_Rational:
        return None
    return Fraction(int(val.p), int(val.q))
