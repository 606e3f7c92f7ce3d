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
only a proxy oracle (of a :class:`GameOracle` or a :func:`ColourOracle`): each query travels
through a pipe to this process, where the real oracle answers and counts. The algorithm
therefore cannot read the hidden instance, the counters or the budget by introspection, and
the counts equal those of an in-process run. This process answers only an allow-list of query
methods (``value``, ``gradient``, ``hessian``, ``hvp``, ``player_set``; ``colour``) and
unpickles query messages without globals, so a message cannot name another attribute or run
code here; anything else is refused with :class:`IsolationError` in the algorithm's process.
"""

from __future__ import annotations

import dataclasses
import io
import math
import multiprocessing as mp
import pickle
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np

from constructions import ConvexSet, Game, InvalidArgument, LocaleqError
from constructions._validation import as_positive_int, short_repr

__all__ = [
    "QueryBudgetExceeded",
    "IsolationError",
    "GameOracle",
    "ColourOracle",
    "run_isolated",
    "QUERY_KINDS",
]

#: the kinds of queries an oracle counts
QUERY_KINDS = ("value", "gradient", "hessian", "hvp", "colour")


class QueryBudgetExceeded(LocaleqError):
    """The oracle's query budget is exhausted; the offending query was not answered."""


class IsolationError(LocaleqError):
    """An isolated algorithm asked its proxy for something that is not an allowed query.

    Raised in the algorithm's process when it sends anything but one of the allowed query
    methods with plain arguments (see :func:`run_isolated`); re-raised by :func:`run_isolated`
    when the algorithm does not catch it. Nothing is answered and nothing is counted.
    """


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


#: the query methods the parent answers for an isolated game algorithm (exactly what
#: :class:`_ProxyGameOracle` forwards; ``pseudo_gradient`` is assembled in the proxy from
#: ``gradient``, and the public data is copied to the child once)
_GAME_QUERIES = ("value", "gradient", "hessian", "hvp", "player_set")
#: ... and for an isolated colouring algorithm (a batch of vertices)
_COLOUR_QUERIES = ("colour",)
#: dtypes of the arrays a query message may carry (float points, int64 vertices)
_WIRE_DTYPES = ("<f8", "<i8")
#: errors the parent reports back that the proxy re-raises as themselves
_WIRE_ERRORS: dict[str, type[LocaleqError]] = {
    "QueryBudgetExceeded": QueryBudgetExceeded,
    "InvalidArgument": InvalidArgument,
    "IsolationError": IsolationError,
}


def _wire(args: tuple) -> list[tuple]:
    """Encode query arguments as plain data: ``("a", dtype, shape, bytes)`` or ``("v", value)``."""
    out: list[tuple] = []
    for a in args:
        if isinstance(a, np.ndarray):
            a = np.ascontiguousarray(a)
            out.append(("a", a.dtype.str, list(a.shape), a.tobytes()))
        elif isinstance(a, np.generic):
            out.append(("v", a.item()))
        else:
            out.append(("v", a))
    return out


def _unwire(raw: Any) -> list[Any]:
    """Decode :func:`_wire` output in the parent; anything else is an :class:`IsolationError`."""
    if not isinstance(raw, list):
        raise IsolationError(f"query arguments must be a list, got {short_repr(raw)}")
    args: list[Any] = []
    for item in raw:
        if isinstance(item, tuple) and len(item) == 2 and item[0] == "v":
            args.append(item[1])
            continue
        ok = (isinstance(item, tuple) and len(item) == 4 and item[0] == "a" and item[1] in _WIRE_DTYPES
              and isinstance(item[2], list) and isinstance(item[3], bytes)
              and all(type(s) is int and s >= 0 for s in item[2]))
        if ok:
            dt = np.dtype(item[1])
            ok = len(item[3]) == math.prod(item[2]) * dt.itemsize
        if not ok:
            raise IsolationError(f"malformed query argument {short_repr(item)}")
        args.append(np.frombuffer(item[3], dtype=dt).reshape(item[2]).copy())
    return args


class _PlainUnpickler(pickle.Unpickler):
    """Unpickles built-in data only: no global is resolved, so a message cannot run code here."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"global {module}.{name} is not allowed in a query message")


def _send_plain(conn: Any, msg: tuple) -> None:
    conn.send_bytes(pickle.dumps(msg, protocol=pickle.HIGHEST_PROTOCOL))


def _ask(conn: Any, method: str, *args: Any) -> Any:
    """Send one query to the parent and return its answer (or raise the error it reports)."""
    _send_plain(conn, ("query", method, _wire(args)))
    status, payload = conn.recv()
    if status == "error":
        exc_type, msg = payload
        raise _WIRE_ERRORS.get(exc_type, LocaleqError)(msg)
    return payload


class _ProxyGameOracle:
    """What an isolated algorithm sees: public data plus queries forwarded through a pipe."""

    def __init__(self, conn: Any, public: dict[str, Any]) -> None:
        self._conn = conn
        for k, v in public.items():
            setattr(self, k, v)

    def _ask(self, method: str, *args: Any) -> Any:
        return _ask(self._conn, method, *args)

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


def _proxy_colouring(conn: Any, public: dict[str, Any]) -> Any:
    """What an isolated colouring algorithm sees: an implicit colouring whose reads go to the parent."""
    from constructions.sperner import Colouring

    def ask(V: np.ndarray) -> np.ndarray:
        return _ask(conn, "colour", np.ascontiguousarray(V, dtype=np.int64))

    # built directly: implicit_colouring would spot-check (read) vertices, which the parent counts
    return Colouring(public["n"], public["d"], public["kind"], values=None, func=ask, name=public["name"])


def _child(conn: Any, kind: str, public: dict[str, Any], algorithm: Callable, args: tuple,
           kwargs: dict) -> None:
    proxy = _ProxyGameOracle(conn, public) if kind == "game" else _proxy_colouring(conn, public)
    try:
        result = algorithm(proxy, *args, **kwargs)
        done = ("done", "ok", pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    except QueryBudgetExceeded as exc:
        done = ("done", "budget", str(exc))
    except IsolationError as exc:
        done = ("done", "isolation", str(exc))
    except Exception as exc:  # noqa: BLE001 - forwarded to the parent as a message
        done = ("done", "error", f"{type(exc).__name__}: {exc}")
    try:
        _send_plain(conn, done)
    finally:
        conn.close()


def _is_colour_oracle(oracle: Any) -> bool:
    from constructions.sperner import Colouring

    return isinstance(oracle, Colouring) and isinstance(getattr(oracle, "counter", None), _Counting)


def _reply(conn: Any, msg: tuple, method: str) -> None:
    """Send an answer; an answer that cannot be pickled becomes an error, a closed pipe is ignored."""
    try:
        conn.send(msg)
    except (BrokenPipeError, ConnectionResetError, EOFError):
        return  # the child is gone; the next receive reports it
    except Exception as exc:  # noqa: BLE001 - e.g. an unpicklable answer: tell the child, do not crash
        try:
            conn.send(("error", ("LocaleqError", f"the answer to the {method} query could not be sent to "
                                                 f"the isolated process: {type(exc).__name__}: {exc}")))
        except (BrokenPipeError, ConnectionResetError, EOFError):
            return


def _serve(conn: Any, proc: Any, handlers: dict[str, Callable[..., Any]], timeout: float) -> Any:
    """Answer the child's queries until it reports its result."""
    while True:
        if not conn.poll(timeout):
            raise LocaleqError(f"isolated algorithm gave no sign of life for timeout={timeout} s")
        try:
            data = conn.recv_bytes()
        except (EOFError, OSError):
            proc.join(timeout=5)
            raise LocaleqError(
                f"the isolated algorithm's process ended without a result (exit code {proc.exitcode})"
            ) from None
        try:
            msg = _PlainUnpickler(io.BytesIO(data)).load()
        except Exception as exc:  # noqa: BLE001 - any undecodable message is refused
            _reply(conn, ("error", ("IsolationError", f"refused a message that is not a plain query "
                                                      f"({type(exc).__name__}: {exc})")), "?")
            continue
        if isinstance(msg, tuple) and len(msg) == 3 and msg[0] == "done":
            _, status, payload = msg
            if status == "ok" and isinstance(payload, bytes):
                try:
                    return pickle.loads(payload)
                except Exception as exc:  # noqa: BLE001
                    raise LocaleqError(f"the isolated algorithm's result could not be unpickled: "
                                       f"{type(exc).__name__}: {exc}") from None
            if status == "budget":
                raise QueryBudgetExceeded(str(payload))
            if status == "isolation":
                raise IsolationError(str(payload))
            raise LocaleqError(f"isolated algorithm failed: {payload}")
        if not (isinstance(msg, tuple) and len(msg) == 3 and msg[0] == "query" and isinstance(msg[1], str)):
            _reply(conn, ("error", ("IsolationError", f"refused a malformed message {short_repr(msg)}")), "?")
            continue
        _, method, raw = msg
        if method not in handlers:
            refusal = (f"the isolated oracle answers only the queries {tuple(handlers)}; "
                       f"refused method={method!r}")
            _reply(conn, ("error", ("IsolationError", refusal)), method)
            continue
        try:
            answer = handlers[method](*_unwire(raw))
        except LocaleqError as exc:
            name = type(exc).__name__ if type(exc).__name__ in _WIRE_ERRORS else "LocaleqError"
            _reply(conn, ("error", (name, str(exc))), method)
        except Exception as exc:  # noqa: BLE001 - e.g. a wrong number of arguments: the child's error
            _reply(conn, ("error", ("LocaleqError", f"{method} query failed: {type(exc).__name__}: {exc}")),
                   method)
        else:
            _reply(conn, ("ok", answer), method)


def run_isolated(algorithm: Callable[..., Any], oracle: Any, *args: Any, timeout: float = 600.0,
                 **kwargs: Any) -> Any:
    """Run ``algorithm(proxy_oracle, *args, **kwargs)`` in a separate process.

    The child process holds only a proxy with the oracle's public data; each query is sent
    to this process, answered and counted by ``oracle`` -- so the counts equal an in-process
    run and the algorithm cannot inspect the hidden instance, the counters or the budget.

    * For a :class:`GameOracle` the proxy has ``n_players``, ``dims``, ``dim``,
      ``block_slices``, ``domain``, ``minmax``, ``name`` and the queries ``value``,
      ``gradient``, ``pseudo_gradient``, ``hessian``, ``hvp`` and ``player_set``.
    * For a :func:`ColourOracle` the proxy is an implicit
      :class:`~constructions.sperner.Colouring` (``n``, ``d``, ``kind``, ``name``) whose reads are
      colour queries, so a black-box Sperner solver runs on it unchanged.

    Only these queries are answered (an allow-list); their arguments travel as plain data
    (numbers, strings, float64/int64 arrays) and are unpickled here without resolving any
    global. Any other request -- another attribute or method of the oracle, a dunder, a
    message that is not plain data -- is refused: the proxy raises :class:`IsolationError` in
    the child, nothing is counted, and this process goes on serving. An answer that cannot be
    sent (not picklable) reaches the child as a :class:`~constructions.LocaleqError`.
    ``algorithm`` must be importable (a module-level function). The returned object is
    unpickled normally here: return plain data.

    Parameters
    ----------
    algorithm : callable
        A module-level function ``algorithm(oracle, *args, **kwargs)``.
    oracle : GameOracle or ColourOracle
        The counting oracle that answers (and counts) the child's queries.
    *args, **kwargs
        Passed to ``algorithm``.
    timeout : float, default 600
        Seconds without a message from the child before it is stopped.

    Returns
    -------
    object
        Whatever the algorithm returned (it must be picklable).

    Raises
    ------
    QueryBudgetExceeded
        The child stopped at the oracle's budget (the count is exactly the budget).
    IsolationError
        The child made a refused request and did not catch the error.
    LocaleqError
        The algorithm raised anything else, its process died, or it was silent for ``timeout``.

    Examples
    --------
    >>> from constructions import bilinear
    >>> from complexity.zoo import gda
    >>> orc = GameOracle(bilinear())
    >>> res = run_isolated(gda, orc, [0.5, 0.5], 10, step_size=0.1)
    >>> res.n_steps, orc.count_summary()["gradient"] == res.queries["gradient"]
    (10, True)

    A Sperner solver in its own process, seeing only colour answers:

    >>> from constructions.sperner import planted_instance
    >>> from complexity._solvers import solve_divide_conquer
    >>> colours = ColourOracle(planted_instance(16, 2, target=(9, 4), rng=0).colouring)
    >>> res = run_isolated(solve_divide_conquer, colours)
    >>> res.cell, res.certified, res.n_queries + res.n_check_queries == colours.counter.n_queries
    ((9, 4), True, True)
    """
    if isinstance(oracle, GameOracle):
        kind = "game"
        public = {"n_players": oracle.n_players, "dims": oracle.dims, "dim": oracle.dim,
                  "block_slices": oracle.block_slices, "domain": oracle.domain, "minmax": oracle.minmax,
                  "name": oracle.name}
        handlers: dict[str, Callable[..., Any]] = {m: getattr(oracle, m) for m in _GAME_QUERIES}
    elif _is_colour_oracle(oracle):
        kind = "colour"
        public = {"n": oracle.n, "d": oracle.d, "kind": oracle.kind, "name": oracle.name}
        handlers = {_COLOUR_QUERIES[0]: oracle}
    else:
        raise InvalidArgument(
            f"oracle must be a GameOracle or a ColourOracle, got oracle={short_repr(oracle)}")
    if not callable(algorithm):
        raise InvalidArgument(f"algorithm must be callable, got algorithm={short_repr(algorithm)}")
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
        raise InvalidArgument(
            f"timeout must be a positive number of seconds, got timeout={short_repr(timeout)}")
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_child, args=(child, kind, public, algorithm, args, kwargs), daemon=True)
    proc.start()
    child.close()
    try:
        return _serve(parent, proc, handlers, float(timeout))
    finally:
        proc.join(timeout=5)
        if proc.is_alive():
            proc.kill()
        parent.close()
