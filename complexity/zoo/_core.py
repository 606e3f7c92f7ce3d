r"""Shared machinery of the algorithm zoo: the result record, the run driver, projections.

Every zoo algorithm is a module-level function
``run(oracle, x0, steps, *, step_size=..., tol=None, thin=1, final_residual=True,
budget=None, **options) -> RunResult`` that touches the game only through the oracle's
query methods (``gradient``, ``pseudo_gradient``, ``hessian``, ``hvp``) and its free public
data (``n_players``, ``dims``, ``dim``, ``block_slices``, ``domain``, ``player_set``,
``minmax``), so it runs unchanged on a :class:`~complexity._oracle.GameOracle` and on the
proxy that :func:`~complexity._oracle.run_isolated` hands to a child process.

**Projections.** Where the game has a domain, every iterate is feasible:

* *simultaneous* updates of all players are projected jointly,
  :math:`x^{+} = \Pi_{\mathcal X}(x + \Delta)`; for a product domain
  :math:`\mathcal X = \prod_i X_i` this is exactly the per-player projection
  :math:`x_i^+ = \Pi_{X_i}(x_i + \Delta_i)`, and for a coupled domain (e.g. the DSZ set)
  it is DSZ's "safe" variant (per-player projections onto the slices
  :math:`S_i(x_{-i})` taken simultaneously can leave a coupled set);
* *sequential* (alternating) updates project player ``i``'s block onto its slice
  :math:`S_i(x_{-i})` at the current (partly updated) point, which keeps coupled sets
  feasible too.

**Residual.** ``RunResult.residual`` is DSZ's projected-GDA residual with step 1 (DSZ Def.
3.7/3.8; :func:`certificates.projected_gradient_residual`),

.. math:: R(x) = \Big(\sum_i \big\|x_i - \Pi_{S_i(x_{-i})}\big(x_i + g_i(x)\big)\big\|^2\Big)^{1/2},

computed from a pseudo-gradient the run queried at that point: never a hidden query.
Methods that query :math:`g(x^t)` anyway (GDA, extragradient, OGDA, ...) check ``tol``
for free; alternating methods query the missing players' gradients at :math:`x^t` only
when ``tol`` is given (counted). With ``final_residual=True`` (default) the run spends one
counted pseudo-gradient at the final point unless it already has one there.

**Stopping.** ``stopped_by`` is ``"steps"`` (all steps done), ``"budget"`` (the oracle
refused a query: :class:`~complexity._oracle.QueryBudgetExceeded`, or the run-level
``budget`` was reached), ``"tolerance"`` (:math:`R(x^t) <` ``tol``), ``"nonfinite"`` (an
update produced NaN/inf; the last finite iterate is returned), ``"finished"`` (the method's
own termination rule fired -- STON'R has processed every coordinate -- which does not by itself
mean ``residual < tol``; compare the reported residual) or ``"breakdown"`` (the
update is undefined at the current point, e.g. STON'R's non-degeneracy assumption fails).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from constructions import ConvexSet, CoupledSet, Game, InvalidArgument, ProductSet
from constructions._validation import as_positive_int, as_real, as_vector, short_repr

from .._oracle import QUERY_KINDS, GameOracle, QueryBudgetExceeded

__all__ = ["RunResult", "Algorithm", "STOP_REASONS"]

#: the values ``RunResult.stopped_by`` can take
STOP_REASONS = ("steps", "budget", "tolerance", "finished", "nonfinite", "breakdown")

#: absolute feasibility tolerance for ``x0``
FEAS_TOL = 1e-9


@dataclass(frozen=True)
class RunResult:
    r"""What one run of a zoo algorithm reached and what it cost.

    Attributes
    ----------
    algorithm : str
        Registry name of the algorithm.
    x : numpy.ndarray
        Final iterate (feasible).
    trajectory : numpy.ndarray
        Iterates, shape ``(m, dim)``: ``x0``, every ``thin``-th iterate, and the final one.
    n_steps : int
        Number of completed updates (for STON'R: inner-loop iterations, moves and epoch
        transitions alike).
    queries : dict of str to int
        The oracle's ``count_summary()`` at the end of the run (cumulative over the
        oracle's life). Under :func:`~complexity._oracle.run_isolated` the proxy has no
        counters and the run's own tally of the queries it made is reported instead; both
        agree for a fresh oracle.
    stopped_by : str
        One of :data:`STOP_REASONS` (see the module docstring).
    residual : float
        DSZ projected-GDA residual (step 1) at ``residual_at``, from a queried gradient
        (``nan`` when no full pseudo-gradient was ever obtained).
    residual_at : numpy.ndarray or None
        The point the residual belongs to: ``x`` unless the run stopped on the budget
        before it could query the final point, or ``final_residual=False``.
    distribution : Distribution or None
        Self-play only: the empirical distribution of play (points, weights) in the
        format :func:`certificates._cce.certify_local_cce` accepts.
    message : str
        One sentence explaining how the run ended.

    Examples
    --------
    >>> from constructions import bilinear
    >>> from ._registry import run_algorithm
    >>> from .._oracle import GameOracle
    >>> res = run_algorithm("extragradient", GameOracle(bilinear()), [0.5, 0.5], 3000,
    ...                     step_size=0.3, tol=1e-8)
    >>> res.stopped_by, res.residual < 1e-8, res.queries["gradient"] == 4 * res.n_steps + 2
    ('tolerance', True, True)
    """

    algorithm: str
    x: np.ndarray
    trajectory: np.ndarray
    n_steps: int
    queries: dict[str, int]
    stopped_by: str
    residual: float
    residual_at: np.ndarray | None = None
    distribution: Any = None
    message: str = ""

    @property
    def n_queries(self) -> int:
        """Total number of queries of all kinds in :attr:`queries`."""
        return int(sum(self.queries.values()))


@dataclass(frozen=True)
class Algorithm:
    """A registry entry: the run function with what it needs and where it comes from.

    Attributes
    ----------
    name : str
        Registry key.
    run : callable
        ``run(oracle, x0, steps, **options) -> RunResult`` (module level, so
        :func:`~complexity._oracle.run_isolated` can pickle it).
    order : int
        1 for gradient-only methods, 2 when Hessian / Hessian-vector queries are made.
    summary : str
        One line describing the update.
    reference : str
        Source of the update rule.
    requires : str
        Restrictions on the game (``""`` if none).

    Examples
    --------
    >>> from ._registry import ALGORITHMS
    >>> a = ALGORITHMS["cgd"]
    >>> a.name, a.order
    ('cgd', 2)
    """

    name: str
    run: Callable[..., RunResult]
    order: int
    summary: str
    reference: str
    requires: str = ""

    def __call__(self, oracle: Any, x0: Any, steps: int, **options: Any) -> RunResult:
        return self.run(oracle, x0, steps, **options)


# ---------------------------------------------------------------------------------------
# the run driver
# ---------------------------------------------------------------------------------------


class _NonFinite(Exception):
    """An update produced NaN or inf (internal control flow)."""


class _Breakdown(Exception):
    """The update is undefined at the current point (internal control flow)."""


def as_oracle(oracle: Any) -> Any:
    """Accept a GameOracle, an isolated proxy, or a bare Game (wrapped in a fresh GameOracle)."""
    if isinstance(oracle, Game):
        return GameOracle(oracle)
    needed = ("gradient", "hessian", "hvp", "n_players", "dims", "dim", "block_slices", "domain")
    missing = [m for m in needed if not hasattr(oracle, m)]
    if missing:
        raise InvalidArgument(
            f"oracle must be a GameOracle (or its isolated proxy, or a Game), got "
            f"oracle={short_repr(oracle)} "
            f"lacking {missing}"
        )
    return oracle


def positive(value: Any, name: str) -> float:
    """A finite number > 0 (InvalidArgument naming ``name`` otherwise)."""
    return as_real(value, name, positive=True)


class Run:
    """State and bookkeeping of one run (queries, trajectory, residual, stopping).

    Use as a context manager around the iteration: budget exhaustion, non-finite
    iterates and breakdowns end the run cleanly instead of propagating.
    """

    def __init__(self, oracle: Any, x0: Any, steps: Any, name: str, *, tol: Any = None, thin: Any = 1,
                 final_residual: bool = True, budget: Any = None) -> None:
        self.oracle = as_oracle(oracle)
        self.name = name
        self.steps = as_positive_int(steps, "steps")
        self.tol = None if tol is None else positive(tol, "tol")
        self.thin = as_positive_int(thin, "thin")
        self.final_residual = bool(final_residual)
        self.budget = None if budget is None else as_positive_int(budget, "budget")
        o = self.oracle
        self.n = int(o.n_players)
        self.dim = int(o.dim)
        self.slices: tuple[slice, ...] = tuple(o.block_slices)
        self.domain: ConvexSet | None = o.domain
        x = as_vector(x0, "x0", dim=self.dim)
        if self.domain is not None:
            viol = self.domain.violation(x)
            if not viol <= FEAS_TOL:
                raise InvalidArgument(
                    f"x0 is outside the domain: constraint violation {viol:.3g} exceeds {FEAS_TOL:g}; "
                    f"got x0={short_repr(x)}"
                )
        self.x = x
        self.n_steps = 0
        self._traj = [x.copy()]
        self._last_recorded = 0
        self.tally: Counter[str] = Counter()
        self.stopped_by: str | None = None
        self.message = ""
        self.residual = math.nan
        self.residual_at: np.ndarray | None = None
        self._g_point: np.ndarray | None = None
        self._g_value: np.ndarray | None = None
        self.distribution: Any = None
        # cross-block products are linear in v: v is normalised to unit max-norm before the query
        # (GameOracle.hvp only probes feasible points, so no further scaling is needed)
        self._hvp_scale = 1.0

    # -- context manager ------------------------------------------------------------
    def __enter__(self) -> Run:
        # overflow is detected and reported (stopped_by="nonfinite"), not warned about
        self._errstate = np.errstate(over="ignore", invalid="ignore")
        self._errstate.__enter__()
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        self._errstate.__exit__(None, None, None)
        if exc_type is None:
            return False
        if issubclass(exc_type, QueryBudgetExceeded):
            self.stopped_by = "budget"
            self.message = f"query budget exhausted after {self.n_steps} steps ({exc})"
            return True
        if issubclass(exc_type, _NonFinite):
            self.stopped_by = "nonfinite"
            self.message = (f"a non-finite value appeared at step {self.n_steps + 1} ({exc}); "
                            "last finite iterate kept")
            return True
        if issubclass(exc_type, _Breakdown):
            self.stopped_by = "breakdown"
            self.message = f"update undefined after {self.n_steps} steps: {exc}"
            return True
        return False

    def iterations(self) -> Iterator[int]:
        """Step indices ``0..steps-1`` (stops early once a stop reason is set)."""
        for t in range(self.steps):
            if self.stopped_by is not None:
                return
            yield t

    # -- queries ----------------------------------------------------------------------
    def _charge(self, kind: str, k: int = 1) -> None:
        if self.budget is not None and sum(self.tally.values()) + k > self.budget:
            raise QueryBudgetExceeded(
                f"run budget={self.budget} exhausted: {sum(self.tally.values())} queries made, a {kind} "
                f"query was refused"
            )

    def _finite(self, arr: np.ndarray, what: str) -> np.ndarray:
        arr = np.asarray(arr, dtype=float)
        if not np.all(np.isfinite(arr)):
            raise _NonFinite(f"{what} is not finite")
        return arr

    def gradient(self, i: int, x: np.ndarray) -> np.ndarray:
        """Own-block gradient :math:`g_i(x)` (one gradient query)."""
        self._charge("gradient")
        g = self.oracle.gradient(i, x)
        self.tally["gradient"] += 1
        return self._finite(g, f"gradient of player {i}")

    def pseudo_gradient(self, x: np.ndarray) -> np.ndarray:
        """All own gradients stacked (``n_players`` gradient queries); cached for the residual."""
        g = np.concatenate([self.gradient(i, x) for i in range(self.n)])
        self.remember(x, g)
        return g

    def remember(self, x: np.ndarray, g: np.ndarray) -> None:
        """Record a full pseudo-gradient known at ``x`` (for the final residual)."""
        self._g_point = np.array(x, dtype=float, copy=True)
        self._g_value = np.array(g, dtype=float, copy=True)

    def hessian(self, i: int, x: np.ndarray) -> np.ndarray:
        """Own-block Hessian :math:`\\nabla^2_{x_i x_i} u_i(x)` (one Hessian query)."""
        self._charge("hessian")
        h = self.oracle.hessian(i, x)
        self.tally["hessian"] += 1
        return self._finite(np.asarray(h, dtype=float).reshape(self.block_dim(i), self.block_dim(i)),
                            f"Hessian of player {i}")

    def cross(self, i: int, j: int, x: np.ndarray, v: np.ndarray) -> np.ndarray:
        r""":math:`J_{ij} v = \nabla_{x_j} g_i(x)\, v` for ``i != j`` (one hvp query).

        The zoo uses ``hvp`` only for cross blocks; own blocks come from ``hessian``.
        """
        v = np.asarray(v, dtype=float)
        norm = float(np.max(np.abs(v))) if v.size else 0.0
        if norm == 0.0:
            return np.zeros(self.block_dim(i))
        s = self._hvp_scale / norm
        self._charge("hvp")
        out = self.oracle.hvp(i, j, x, v * s)
        self.tally["hvp"] += 1
        return self._finite(np.asarray(out, dtype=float) / s, f"cross product J[{i},{j}] v")

    def cross_transpose(self, i: int, j: int, x: np.ndarray, w: np.ndarray) -> np.ndarray:
        r""":math:`J_{ji}^\top w` (a vector in block ``i``) for ``i != j``.

        Zero-sum two-player games: :math:`J_{ji}^\top = -J_{ij}` (both are mixed second
        derivatives of :math:`\pm f`), one hvp query. Otherwise :math:`J_{ji}` is built
        column by column, :math:`d_i` hvp queries.
        """
        if self.oracle.minmax and self.n == 2:
            return -self.cross(i, j, x, w)
        di = self.block_dim(i)
        cols = np.column_stack([self.cross(j, i, x, e) for e in np.eye(di)])  # (d_j, d_i)
        return cols.T @ w

    def block_dim(self, i: int) -> int:
        sl = self.slices[i]
        return sl.stop - sl.start

    # -- projections ---------------------------------------------------------------
    def player_set(self, i: int, x: np.ndarray) -> ConvexSet | None:
        """Player ``i``'s feasible slice at ``x`` (free public information)."""
        dom = self.domain
        if dom is None:
            return None
        if isinstance(dom, ProductSet):
            return dom.sets[i]
        if isinstance(dom, CoupledSet):
            return dom.slice(i, x)
        if self.n == 1:
            return dom
        return self.oracle.player_set(i, x)

    def project(self, z: np.ndarray) -> np.ndarray:
        """Joint projection onto the domain (per block for product domains)."""
        z = self._finite(z, "the update")
        dom = self.domain
        if dom is None:
            return z
        if isinstance(dom, ProductSet):
            return np.concatenate([s.project(z[sl]) for s, sl in zip(dom.sets, self.slices, strict=True)])
        return np.asarray(dom.project(z), dtype=float)

    def project_block(self, i: int, z: np.ndarray, yi: np.ndarray) -> np.ndarray:
        """Project player ``i``'s new block ``yi`` onto its slice at ``z`` (sequential updates)."""
        yi = self._finite(yi, f"the update of player {i}")
        S = self.player_set(i, z)
        return yi if S is None else np.asarray(S.project(yi), dtype=float)

    # -- residual, tolerance, iterates ------------------------------------------------
    def residual_of(self, x: np.ndarray, g: np.ndarray) -> float:
        """DSZ projected-GDA residual (step 1) at ``x`` given the pseudo-gradient ``g``."""
        total = 0.0
        for i, sl in enumerate(self.slices):
            target = x[sl] + g[sl]
            S = self.player_set(i, x)
            p = target if S is None else S.project(target)
            total += float(np.sum((x[sl] - p) ** 2))
        return math.sqrt(total)

    def converged(self, x: np.ndarray, g: np.ndarray) -> bool:
        """Record the residual at ``x``; True (and stop) when it is below ``tol``."""
        self.remember(x, g)
        r = self.residual_of(x, g)
        self.residual, self.residual_at = r, np.array(x, copy=True)
        if self.tol is not None and r < self.tol:
            self.stopped_by = "tolerance"
            self.message = f"residual {r:.3g} < tol={self.tol:g} after {self.n_steps} steps"
            return True
        return False

    def wants_check(self) -> bool:
        """Whether the tolerance is checked at all (alternating methods pay extra queries for it)."""
        return self.tol is not None

    def advance(self, x_new: np.ndarray) -> np.ndarray:
        """Accept the next iterate (finite, already projected); returns it."""
        x_new = self._finite(x_new, "the next iterate")
        self.x = np.array(x_new, dtype=float, copy=True)
        self.n_steps += 1
        if self.n_steps % self.thin == 0:
            self._traj.append(self.x.copy())
            self._last_recorded = self.n_steps
        return self.x

    def breakdown(self, why: str) -> None:
        """Stop: the update is undefined here."""
        raise _Breakdown(why)

    # -- the record --------------------------------------------------------------------
    def queries(self) -> dict[str, int]:
        summary = getattr(self.oracle, "count_summary", None)
        if callable(summary):
            return dict(summary())
        return {k: int(self.tally[k]) for k in QUERY_KINDS}

    def result(self) -> RunResult:
        """Finish: final residual (counted query if needed) and the frozen record."""
        with np.errstate(over="ignore", invalid="ignore"):
            return self._result()

    def _result(self) -> RunResult:
        x = self.x
        have = self._g_point is not None and np.array_equal(self._g_point, x)
        if not have and self.final_residual and self.stopped_by in (None, "steps", "tolerance"):
            try:
                self.pseudo_gradient(x)
                have = True
            except QueryBudgetExceeded as exc:
                self.stopped_by = "budget"
                self.message = (f"all {self.n_steps} steps done; the final residual query was refused "
                                f"({exc})")
            except _NonFinite as exc:
                self.stopped_by = "nonfinite"
                self.message = f"the gradient at the final iterate is not finite ({exc})"
        if self._g_point is not None:
            self.residual = self.residual_of(self._g_point, self._g_value)
            self.residual_at = self._g_point.copy()
        if self.stopped_by is None:
            self.stopped_by = "steps"
            self.message = f"all {self.n_steps} steps done; residual {self.residual:.3g}"
        if self._last_recorded != self.n_steps:
            self._traj.append(x.copy())
        return RunResult(
            algorithm=self.name,
            x=x.copy(),
            trajectory=np.array(self._traj),
            n_steps=self.n_steps,
            queries=self.queries(),
            stopped_by=self.stopped_by,
            residual=float(self.residual),
            residual_at=self.residual_at,
            distribution=self.distribution,
            message=self.message,
        )
