r"""Query-counting oracles: the single choke point through which algorithms see an instance.

Query complexity is measured by wrapping the hidden instance in an oracle that answers,
counts and (optionally) records every query:

* :class:`GameOracle` wraps a :class:`~constructions.Game` and answers value, own-block
  gradient, own-block Hessian and Hessian-vector-product queries per player;
* :class:`ColourOracle` wraps a Sperner/BiSperner :class:`~constructions.sperner.Colouring`
  and answers colour queries. It *is* a colouring (an implicit one), so anything built on a
  colouring -- e.g. the DSZ lift -- can be built on the oracle and its vertex reads counted.

**Counting policy** (convention C7). Every query counts, *repeats included* (the query
complexity convention of the lower bounds; scipy's ``ScalarFunction`` memoises instead).
A batched call counts one query per point (per vertex for colours). Public information --
dimensions, the feasible set and projections onto it, the grid size -- is free.

**Budget.** ``budget`` caps the total number of queries; the query that would exceed it is
*not* answered: :class:`QueryBudgetExceeded` is raised and the count stays exactly at the
budget. A ``dict`` budget caps kinds separately (``{"gradient": 100}``).

**Trace.** With ``trace=True`` every query is recorded as ``(kind, player, point)``.

**Isolated mode.** :func:`run_isolated` runs an algorithm in a separate process that holds
only a proxy oracle: each query travels through a pipe to this process, where the real
oracle answers and counts. The algorithm therefore cannot read the hidden instance, the
counters or the budget by introspection, and the counts equal those of an in-process run.
"""

from __future__ import annotations

import dataclasses
import multiprocessing as mp
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np

from constructions import ConvexSet, Game, InvalidArgument, LocaleqError
from constructions._validation import as_positive_int, short_repr

__all__ = [
    "QueryBudgetExceeded",
    "GameOracle",
    "ColourOracle",
    "run_isolated",
    "QUERY_KINDS",
]

#: the kinds of queries an oracle counts
QUERY_KINDS = ("value", "gradient", "hessian", "hvp", "colour")


class QueryBudgetExceeded(LocaleqError):
    """The oracle's query budget is exhausted; the offending query was not answered."""


def _check_budget(budget: Any) -> int | dict[str, int] | None:
    if budget is None:
        return None
    if isinstance(budget, dict):
        out = {}
        for k, v in budget.items():
            if k not in QUERY_KINDS:
                raise InvalidArgument(f"budget kind must be one of {QUERY_KINDS}, got budget key {k!r}")
            out[k] = as_positive_int(v, f"budget[{k!r}]")
        return out
    return as_positive_int(budget, "budget")


class _Counting:
    """Counters, budget and trace shared by both oracles."""

    def __init__(self, budget: Any, trace: bool) -> None:
        self.budget = _check_budget(budget)
        self.counts: Counter[str] = Counter()
        self.per_player: Counter[tuple[str, int]] = Counter()
        self.trace: list[tuple[str, int, np.ndarray]] | None = [] if trace else None

    @property
    def n_queries(self) -> int:
        """Total number of answered queries of all kinds."""
        return int(sum(self.counts.values()))

    def _charge(self, kind: str, player: int, points: np.ndarray, k: int = 1) -> None:
        b = self.budget
        if isinstance(b, int) and self.n_queries + k > b:
            raise QueryBudgetExceeded(
                f"query budget={b} exhausted: {self.n_queries} queries answered, a {kind} query "
                f"of {k} point(s) was refused"
            )
        if isinstance(b, dict) and kind in b and self.counts[kind] + k > b[kind]:
            raise QueryBudgetExceeded(
                f"{kind} budget={b[kind]} exhausted: {self.counts[kind]} answered, {k} more refused"
            )
        self.counts[kind] += k
        self.per_player[(kind, player)] += k
        if self.trace is not None:
            pts = np.array(points, dtype=float if kind != "colour" else np.int64, copy=True)
            for p in pts.reshape(k, -1):
                self.trace.append((kind, player, p))

    def reset(self) -> None:
        """Zero the counters and the trace (the budget stays).

        Examples
        --------
        >>> from constructions import quadratic_saddle
        >>> orc = GameOracle(quadratic_saddle(), budget=5, trace=True)
        >>> _ = orc.pseudo_gradient(np.zeros(2))
        >>> orc.n_queries, len(orc.trace)
        (2, 2)
        >>> orc.reset()
        >>> orc.n_queries, orc.trace, orc.budget
        (0, [], 5)
        """
        self.counts.clear()
        self.per_player.clear()
        if self.trace is not None:
            self.trace.clear()

    def count_summary(self) -> dict[str, int]:
        """Counts per kind (every kind of :data:`QUERY_KINDS` present, zeros included).

        Returns
        -------
        dict of str to int

        Examples
        --------
        >>> from constructions import quadratic_saddle
        >>> orc = GameOracle(quadratic_saddle())
        >>> _ = orc.value(0, np.zeros(2)); _ = orc.pseudo_gradient(np.zeros(2))
        >>> orc.count_summary()
        {'value': 1, 'gradient': 2, 'hessian': 0, 'hvp': 0, 'colour': 0}
        """
        return {k: int(self.counts[k]) for k in QUERY_KINDS}


class GameOracle(_Counting):
    r"""Counting access to a smooth game.

    Parameters
    ----------
    game : Game
        The hidden instance.
    budget : int or dict, optional
        Total query cap, or caps per kind (``"value"``, ``"gradient"``, ``"hessian"``,
        ``"hvp"``).
    trace : bool, default False
        Record every query point.

    Notes
    -----
    Public (free) information: ``n_players``, ``dims``, ``dim``, ``block_slices``,
    ``domain``, ``player_set``, ``minmax``. Queries: :meth:`value`, :meth:`gradient`,
    :meth:`hessian`, :meth:`hvp` (one query each), :meth:`pseudo_gradient` (one gradient
    query per player).

    Examples
    --------
    >>> from constructions import quadratic_saddle
    >>> orc = GameOracle(quadratic_saddle(), budget=3)
    >>> _ = orc.gradient(0, np.zeros(2)); _ = orc.pseudo_gradient(np.zeros(2))
    >>> orc.count_summary()["gradient"], orc.n_queries
    (3, 3)
    """

    def __init__(self, game: Game, *, budget: Any = None, trace: bool = False) -> None:
        if not isinstance(game, Game):
            raise InvalidArgument(f"game must be a localeq Game, got game={short_repr(game)}")
        super().__init__(budget, trace)
        self._game = game
        self.n_players = game.n_players
        self.dims = game.dims
        self.dim = game.dim
        self.block_slices = game.block_slices
        self.domain: ConvexSet | None = game.domain
        self.minmax = game.minmax
        self.name = game.name

    def player_set(self, i: int, x: np.ndarray) -> ConvexSet | None:
        """Feasible set of player ``i`` given the others (public information: free, not counted).

        Parameters
        ----------
        i : int
            The player.
        x : numpy.ndarray, shape (dim,)
            The joint strategy fixing the other players' blocks.

        Returns
        -------
        ConvexSet or None
            As :meth:`constructions.Game.player_set` (``None``: unconstrained).

        Examples
        --------
        >>> from constructions import quadratic_saddle
        >>> orc = GameOracle(quadratic_saddle(bound=1.0))
        >>> orc.player_set(1, np.zeros(2)), orc.n_queries
        (Box(lo=array([-1.]), hi=array([1.])), 0)
        """
        return self._game.player_set(i, x)

    def _point(self, x: Any) -> np.ndarray:
        return self._game.check_point(x, "x")

    def value(self, i: int, x: Any) -> float:
        """:math:`u_i(x)` (one value query).

        Parameters
        ----------
        i : int
            The player.
        x : array_like, shape (dim,)
            The joint strategy.

        Returns
        -------
        float

        Raises
        ------
        QueryBudgetExceeded
            When the budget is exhausted (the query is then not answered and not counted).

        Examples
        --------
        >>> from constructions import quadratic_saddle
        >>> orc = GameOracle(quadratic_saddle())   # u_0 = -f, f = x^2/2 + 10xy - y^2/2
        >>> orc.value(0, [0.5, 0.25]), orc.count_summary()["value"]
        (-1.34375, 1)
        """
        i = self._game.check_player(i)
        x = self._point(x)
        self._charge("value", i, x)
        return _answer("value", i, x, self._game.utility)

    def gradient(self, i: int, x: Any) -> np.ndarray:
        r"""Own-block gradient :math:`\nabla_{x_i} u_i(x)` (one gradient query).

        Parameters
        ----------
        i : int
            The player.
        x : array_like, shape (dim,)
            The joint strategy.

        Returns
        -------
        numpy.ndarray, shape (dims[i],)

        Raises
        ------
        QueryBudgetExceeded
            When the budget is exhausted.

        Examples
        --------
        >>> from constructions import quadratic_saddle
        >>> orc = GameOracle(quadratic_saddle(), budget=1)
        >>> orc.gradient(1, [0.5, 0.25])                # df/dy = 10x - y
        array([4.75])
        >>> orc.gradient(1, [0.5, 0.25])  # doctest: +ELLIPSIS
        Traceback (most recent call last):
            ...
        complexity._oracle.QueryBudgetExceeded: query budget=1 exhausted: 1 queries answered, ...
        >>> orc.n_queries                               # the refused query is not counted
        1
        """
        i = self._game.check_player(i)
        x = self._point(x)
        self._charge("gradient", i, x)
        return _answer("gradient", i, x, self._game.gradient)

    def pseudo_gradient(self, x: Any) -> np.ndarray:
        r"""All own gradients stacked, :math:`(\nabla_{x_1} u_1(x), \dots, \nabla_{x_n} u_n(x))`.

        Costs one gradient query per player.

        Parameters
        ----------
        x : array_like, shape (dim,)
            The joint strategy.

        Returns
        -------
        numpy.ndarray, shape (dim,)

        Examples
        --------
        >>> from constructions import quadratic_saddle
        >>> orc = GameOracle(quadratic_saddle())
        >>> orc.pseudo_gradient([0.5, 0.25]), orc.count_summary()["gradient"]   # (-(x + 10y), 10x - y)
        (array([-3.  ,  4.75]), 2)
        """
        x = self._point(x)
        return np.concatenate([self.gradient(i, x) for i in range(self.n_players)])

    def hessian(self, i: int, x: Any) -> np.ndarray:
        r"""Own-block Hessian :math:`\nabla^2_{x_i x_i} u_i(x)` (one Hessian query).

        Parameters
        ----------
        i : int
            The player.
        x : array_like, shape (dim,)
            The joint strategy.

        Returns
        -------
        numpy.ndarray, shape (dims[i], dims[i])

        Raises
        ------
        QueryBudgetExceeded
            When the (total or per-kind) budget is exhausted.

        Examples
        --------
        >>> from constructions import quadratic_saddle
        >>> orc = GameOracle(quadratic_saddle(), budget={"hessian": 1})
        >>> orc.hessian(0, [0.5, 0.25])
        array([[-1.]])
        >>> orc.hessian(0, [0.5, 0.25])
        Traceback (most recent call last):
            ...
        complexity._oracle.QueryBudgetExceeded: hessian budget=1 exhausted: 1 answered, 1 more refused
        """
        i = self._game.check_player(i)
        x = self._point(x)
        self._charge("hessian", i, x)
        return _answer("hessian", i, x, self._game.hessian)

    def hvp(self, i: int, j: int, x: Any, v: Any) -> np.ndarray:
        r"""Block Hessian-vector product :math:`\nabla_{x_j}\nabla_{x_i} u_i(x)\, v` (one hvp query).

        ``v`` lives in player ``j``'s block; the result in player ``i``'s. Own blocks use the
        Hessian oracle; cross blocks (``i != j``) are differences of the gradient with step
        ``1e-6`` along ``v``: central when both ``x ± h v`` are feasible, one-sided into the
        domain otherwise (the step is halved until the probe is feasible), so a game that
        refuses points outside its domain is never asked for one.

        Parameters
        ----------
        i : int
            The player whose utility is differentiated (rows).
        j : int
            The player whose block ``v`` belongs to (columns).
        x : array_like, shape (dim,)
            The joint strategy.
        v : array_like, shape (dims[j],)
            The direction.

        Returns
        -------
        numpy.ndarray, shape (dims[i],)

        Examples
        --------
        >>> from constructions import quadratic_saddle
        >>> orc = GameOracle(quadratic_saddle())       # u_0 = -(x^2/2 + 10xy - y^2/2)
        >>> orc.hvp(0, 0, [0.5, 0.25], [2.0])           # d^2 u_0 / dx^2 = -1
        array([-2.])
        >>> np.round(orc.hvp(0, 1, [0.5, 0.25], [1.0]), 6)      # d^2 u_0 / dy dx = -10
        array([-10.])
        >>> orc.count_summary()["hvp"]
        2
        """
        i = self._game.check_player(i)
        j = self._game.check_player(j, "j")
        x = self._point(x)
        v = np.asarray(v, dtype=float).reshape(-1)
        if v.shape[0] != self.dims[j]:
            raise InvalidArgument(f"v must have length {self.dims[j]}, got v={short_repr(v)}")
        self._charge("hvp", i, x)
        if i == j:
            return self._game.hessian(i, x) @ v
        return _cross_hvp(self._game, i, self.block_slices[j], x, v)

    def __repr__(self) -> str:
        return f"GameOracle({self.name!r}, counts={self.count_summary()}, budget={self.budget})"


def _answer(kind: str, i: int, x: np.ndarray, oracle: Callable[[int, np.ndarray], Any]) -> Any:
    """Ask the game; a user's oracle that raises becomes a LocaleqError naming the query."""
    try:
        return oracle(i, x)
    except LocaleqError:
        raise
    except Exception as exc:  # noqa: BLE001 - report the user's failure as one clear error
        raise LocaleqError(
            f"the game's {kind} oracle of player {i} raised {type(exc).__name__}: {exc} "
            f"(at x={short_repr(x)})"
        ) from exc


def _cross_hvp(game: Game, i: int, block: slice, x: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Finite-difference cross Hessian-vector product that only probes feasible points."""
    dom = game.domain
    nv = float(np.linalg.norm(v))
    if nv == 0.0:
        return np.zeros(game.dims[i])

    def feasible(z: np.ndarray) -> bool:
        return dom is None or dom.violation(z) <= 1e-12

    h = 1e-6 / max(nv, 1e-300) * max(nv, 1.0)
    for _ in range(40):
        e = np.zeros_like(x)
        e[block] = h * v
        up_ok, dn_ok = feasible(x + e), feasible(x - e)
        if up_ok and dn_ok:
            return (game.gradient(i, x + e) - game.gradient(i, x - e)) / (2 * h)
        if up_ok:
            return (game.gradient(i, x + e) - game.gradient(i, x)) / h
        if dn_ok:
            return (game.gradient(i, x) - game.gradient(i, x - e)) / h
        h /= 2
    raise InvalidArgument("hvp: no feasible finite-difference probe along v at x (v leaves the domain)")


def ColourOracle(colouring: Any, *, budget: Any = None, trace: bool = False):  # noqa: N802
    """Counting access to a colouring: an implicit :class:`Colouring` whose reads are counted.

    Every vertex read (``oracle(V)``, ``oracle.query(v)`` or reads by code built on the
    oracle, such as the DSZ lift) is one colour query. The counters live on
    ``oracle.counter`` (a counting object with ``counts``, ``n_queries``, ``trace``, ``reset``).

    Parameters
    ----------
    colouring : Colouring
        The hidden instance.
    budget : int or dict, optional
        Query cap; a batch that would exceed it is refused as a whole
        (:class:`QueryBudgetExceeded`) and not counted.
    trace : bool, default False
        Record every queried vertex.

    Examples
    --------
    >>> from constructions.sperner import bisperner_colouring
    >>> col = bisperner_colouring(np.array([[[1, 1], [1, -1]], [[-1, 1], [-1, -1]]]))
    >>> orc = ColourOracle(col)
    >>> orc([[0, 0], [1, 1]]).tolist(), orc.counter.n_queries
    ([[1, 1], [-1, -1]], 2)
    """
    from constructions.sperner import Colouring

    if not isinstance(colouring, Colouring):
        raise InvalidArgument(f"colouring must be a Colouring, got colouring={short_repr(colouring)}")
    counter = _Counting(budget, trace)
    base = colouring

    def counted(V: np.ndarray) -> np.ndarray:
        V = np.asarray(V, dtype=np.int64).reshape(-1, base.d)
        counter._charge("colour", 0, V, k=V.shape[0])
        return base._query(V)

    oracle = dataclasses.replace(base, values=None, func=counted, name=f"counted {base.name}")
    object.__setattr__(oracle, "counter", counter)  # Colouring is a frozen dataclass
    return oracle


# ---------------------------------------------------------------------------------------
# isolated mode
# ---------------------------------------------------------------------------------------


class _ProxyGameOracle:
    """What an isolated algorithm sees: public data plus queries forwarded through a pipe."""

    def __init__(self, conn: Any, public: dict[str, Any]) -> None:
        self._conn = conn
        for k, v in public.items():
            setattr(self, k, v)

    def _ask(self, method: str, *args: Any) -> Any:
        self._conn.send((method, args))
        status, payload = self._conn.recv()
        if status == "error":
            exc_type, msg = payload
            if exc_type == "QueryBudgetExceeded":
                raise QueryBudgetExceeded(msg)
            raise InvalidArgument(msg) if exc_type == "InvalidArgument" else RuntimeError(msg)
        return payload

    def value(self, i: int, x: Any) -> float:
        return self._ask("value", i, np.asarray(x, dtype=float))

    def gradient(self, i: int, x: Any) -> np.ndarray:
        return self._ask("gradient", i, np.asarray(x, dtype=float))

    def pseudo_gradient(self, x: Any) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        return np.concatenate([self.gradient(i, x) for i in range(self.n_players)])

    def hessian(self, i: int, x: Any) -> np.ndarray:
        return self._ask("hessian", i, np.asarray(x, dtype=float))

    def hvp(self, i: int, j: int, x: Any, v: Any) -> np.ndarray:
        return self._ask("hvp", i, j, np.asarray(x, dtype=float), np.asarray(v, dtype=float))

    def player_set(self, i: int, x: Any) -> ConvexSet | None:
        return self._ask("player_set", i, np.asarray(x, dtype=float))


def _child(conn: Any, public: dict[str, Any], algorithm: Callable, args: tuple, kwargs: dict) -> None:
    proxy = _ProxyGameOracle(conn, public)
    try:
        result = algorithm(proxy, *args, **kwargs)
        conn.send(("done", ("ok", result)))
    except QueryBudgetExceeded as exc:
        conn.send(("done", ("budget", str(exc))))
    except Exception as exc:  # noqa: BLE001 - forwarded to the parent as a message
        conn.send(("done", ("error", f"{type(exc).__name__}: {exc}")))
    finally:
        conn.close()


def run_isolated(algorithm: Callable[..., Any], oracle: GameOracle, *args: Any, timeout: float = 600.0,
                 **kwargs: Any) -> Any:
    """Run ``algorithm(proxy_oracle, *args, **kwargs)`` in a separate process.

    The child process holds only a proxy with the oracle's public data (dimensions,
    feasible set, ``minmax``); each query is sent to this process, answered and counted by
    ``oracle`` -- so the counts equal an in-process run and the algorithm cannot inspect
    the hidden game or the counters. ``algorithm`` must be importable (a module-level
    function). A :class:`QueryBudgetExceeded` inside the child is re-raised here.

    Parameters
    ----------
    algorithm : callable
        A module-level function ``algorithm(oracle, *args, **kwargs)``.
    oracle : GameOracle
        The counting oracle that answers (and counts) the child's queries.
    *args, **kwargs
        Passed to ``algorithm``.
    timeout : float, default 600
        Seconds before the child is stopped.

    Returns
    -------
    object
        Whatever the algorithm returned (it must be picklable).

    Examples
    --------
    >>> from constructions import bilinear
    >>> from complexity.zoo import gda
    >>> orc = GameOracle(bilinear())
    >>> res = run_isolated(gda, orc, [0.5, 0.5], 10, step_size=0.1)
    >>> res.n_steps, orc.count_summary()["gradient"] == res.queries["gradient"]
    (10, True)
    """
    if not isinstance(oracle, GameOracle):
        raise InvalidArgument(f"oracle must be a GameOracle, got oracle={short_repr(oracle)}")
    if not callable(algorithm):
        raise InvalidArgument(f"algorithm must be callable, got algorithm={short_repr(algorithm)}")
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
        raise InvalidArgument(
            f"timeout must be a positive number of seconds, got timeout={short_repr(timeout)}")
    public = {"n_players": oracle.n_players, "dims": oracle.dims, "dim": oracle.dim,
              "block_slices": oracle.block_slices, "domain": oracle.domain, "minmax": oracle.minmax,
              "name": oracle.name}
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_child, args=(child, public, algorithm, args, kwargs), daemon=True)
    proc.start()
    child.close()
    try:
        while True:
            if not parent.poll(timeout):
                raise LocaleqError(f"isolated algorithm gave no sign of life for timeout={timeout} s")
            method, payload = parent.recv()
            if method == "done":
                status, value = payload
                if status == "ok":
                    return value
                if status == "budget":
                    raise QueryBudgetExceeded(value)
                raise LocaleqError(f"isolated algorithm failed: {value}")
            try:
                answer = getattr(oracle, method)(*payload)
                parent.send(("ok", answer))
            except QueryBudgetExceeded as exc:
                parent.send(("error", ("QueryBudgetExceeded", str(exc))))
            except InvalidArgument as exc:
                parent.send(("error", ("InvalidArgument", str(exc))))
    finally:
        proc.join(timeout=5)
        if proc.is_alive():
            proc.kill()
        parent.close()
