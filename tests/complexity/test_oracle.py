"""Counting oracles: counts equal an independent count, budgets stop exactly, isolated mode."""

from __future__ import annotations

import os
import pickle

import numpy as np
import pytest

from complexity._oracle import ColourOracle, GameOracle, IsolationError, QueryBudgetExceeded, run_isolated
from complexity._solvers import solve, solve_scan
from constructions import InvalidArgument, game_from_callables, quadratic_saddle
from constructions.sperner import planted_instance


def counted_game(log):
    """The quadratic saddle with call logging done by the game itself (independent count)."""
    def u0(z):
        log.append("value")
        return -(0.5 * z[0] ** 2 + 10 * z[0] * z[1] - 0.5 * z[1] ** 2)

    def u1(z):
        log.append("value")
        return 0.5 * z[0] ** 2 + 10 * z[0] * z[1] - 0.5 * z[1] ** 2

    def g0(z):
        log.append("gradient")
        return np.array([-(z[0] + 10 * z[1])])

    def g1(z):
        log.append("gradient")
        return np.array([10 * z[0] - z[1]])

    return game_from_callables([u0, u1], [g0, g1], dims=[1, 1], smoothness=1.0)


def gda_with_values(oracle, x0, steps, eta=0.01):
    """Simultaneous GDA that also reads the values (a test algorithm)."""
    x = np.array(x0, dtype=float)
    for _ in range(steps):
        g = oracle.pseudo_gradient(x)
        oracle.value(0, x)
        x = x + eta * g
    return x


def test_counts_match_an_independent_count():
    log = []
    orc = GameOracle(counted_game(log))
    gda_with_values(orc, [0.3, 0.2], 25)
    assert orc.count_summary()["gradient"] == log.count("gradient") == 50
    assert orc.count_summary()["value"] == log.count("value") == 25
    assert orc.n_queries == len(log)


def test_repeated_queries_count_every_time():
    orc = GameOracle(quadratic_saddle())
    for _ in range(7):
        orc.gradient(0, [0.0, 0.0])
    assert orc.counts["gradient"] == 7


@pytest.mark.parametrize("budget", [1, 2, 9, 10])
def test_budget_stops_at_exactly_the_budget(budget):
    log = []
    orc = GameOracle(counted_game(log), budget=budget)
    with pytest.raises(QueryBudgetExceeded, match=f"budget={budget}"):
        gda_with_values(orc, [0.3, 0.2], 100)
    assert orc.n_queries == budget == len(log)


def test_budget_per_kind_and_success_below_budget():
    orc = GameOracle(quadratic_saddle(), budget={"gradient": 40})
    gda_with_values(orc, [0.3, 0.2], 20)  # exactly 40 gradients: allowed
    assert orc.counts["gradient"] == 40 and orc.counts["value"] == 20
    with pytest.raises(QueryBudgetExceeded):
        orc.gradient(0, [0.0, 0.0])


def test_trace_records_points():
    orc = GameOracle(quadratic_saddle(), trace=True)
    orc.gradient(1, [0.5, -0.5])
    kind, player, point = orc.trace[0]
    assert (kind, player) == ("gradient", 1) and point.tolist() == [0.5, -0.5]


def test_isolated_mode_gives_identical_counts_and_result():
    log_a, log_b = [], []
    a = GameOracle(counted_game(log_a))
    b = GameOracle(counted_game(log_b))
    xa = gda_with_values(a, [0.3, 0.2], 15)
    xb = run_isolated(gda_with_values, b, [0.3, 0.2], 15)
    np.testing.assert_array_equal(xa, xb)
    assert a.count_summary() == b.count_summary()
    assert len(log_b) == b.n_queries  # the queries were answered here, in the parent


def test_isolated_mode_budget_is_enforced_in_the_parent():
    orc = GameOracle(quadratic_saddle(), budget=5)
    with pytest.raises(QueryBudgetExceeded):
        run_isolated(gda_with_values, orc, [0.3, 0.2], 100)
    assert orc.n_queries == 5


def test_colour_oracle_counts_vertex_reads():
    inst = planted_instance(16, 2, rng=0)
    orc = ColourOracle(inst.colouring, budget=10)
    V = np.array([[0, 0], [3, 4], [15, 15]])
    np.testing.assert_array_equal(orc(V), inst.colouring(V))
    assert orc.counter.n_queries == 3
    orc.query((5, 5))
    assert orc.counter.n_queries == 4
    with pytest.raises(QueryBudgetExceeded):
        orc(np.zeros((7, 2), dtype=int))
    assert orc.counter.n_queries == 4  # the refused batch was not answered


@pytest.mark.parametrize("kwargs", [{"budget": 0}, {"budget": -3}, {"budget": {"colour": 0}},
                                    {"budget": {"bogus": 3}}, {"budget": 2.5}])
def test_bad_budgets(kwargs):
    with pytest.raises(InvalidArgument, match="budget"):
        GameOracle(quadratic_saddle(), **kwargs)


def test_bad_game_and_colouring():
    with pytest.raises(InvalidArgument, match="game"):
        GameOracle("not a game")
    with pytest.raises(InvalidArgument, match="colouring"):
        ColourOracle(np.zeros((4, 4)))


# -- isolated mode: only queries cross the pipe ------------------------------------------------

_UNPICKLED_HERE = []  # set by _RunsCode when a message is unpickled in *this* process


def _mark_unpickled():
    _UNPICKLED_HERE.append(os.getpid())
    return "ran"


class _RunsCode:
    """Unpickling this object calls _mark_unpickled (code execution in the receiving process)."""

    def __reduce__(self):
        return (_mark_unpickled, ())


def probe_hidden_state(proxy, x0):
    """An isolated algorithm that tries to read what it must not, then makes one honest query."""
    from complexity._oracle import IsolationError, _send_plain

    tries = {
        "count_summary": ("count_summary",),
        "counters": ("__getattribute__", "counts"),
        "budget": ("__getattribute__", "budget"),
        "hidden game": ("__getattribute__", "_game"),
        "game as method": ("_game",),
        "dunder reduce": ("__reduce_ex__", 2),
        "dunder dict": ("__dict__",),
        "reset counters": ("reset",),
        "lower the counts": ("_charge", "gradient", 0, np.zeros(2), -100),
        "pseudo_gradient (computed in the proxy)": ("pseudo_gradient", np.zeros(2)),
    }
    out = {}
    for name, (method, *args) in tries.items():
        try:
            out[name] = ("answered", repr(proxy._ask(method, *args))[:200])
        except IsolationError as exc:
            out[name] = ("refused", str(exc))
    # a message in ordinary pickle format (numpy globals) is not unpickled by the parent
    proxy._conn.send(("value", (0, np.zeros(2))))
    out["ordinary pickle"] = proxy._conn.recv()
    # nor is one that would run code when unpickled
    proxy._conn.send_bytes(pickle.dumps(("query", "value", [("v", _RunsCode())])))
    out["code in a message"] = proxy._conn.recv()
    # a plain message that is not a query
    _send_plain(proxy._conn, ("hello",))
    out["not a query"] = proxy._conn.recv()
    # an allowed query with malformed arguments
    _send_plain(proxy._conn, ("query", "gradient", [("a", "<f8", [2], b"short")]))
    out["malformed array"] = proxy._conn.recv()
    out["proxy attributes"] = sorted(vars(proxy))
    try:
        proxy.player_set(0, x0)  # the test makes this answer unpicklable
        out["unpicklable answer"] = ("answered", "")
    except Exception as exc:  # noqa: BLE001
        out["unpicklable answer"] = (type(exc).__name__, str(exc))
    return out, proxy.gradient(0, x0)  # the proxy still works


def read_counters_uncaught(proxy):
    """An isolated algorithm that does not catch the refusal."""
    return proxy._ask("count_summary")


def test_isolated_algorithm_cannot_read_counters_budget_or_game():
    log = []
    orc = GameOracle(counted_game(log), budget=50)
    orc.player_set = lambda i, x: (lambda: "not picklable")  # a free answer that cannot be sent
    x0 = np.array([0.3, 0.2])
    out, g = run_isolated(probe_hidden_state, orc, x0)
    attributes = out.pop("proxy attributes")
    refused = [k for k, (status, _) in out.items() if status == "refused"]
    assert sorted(refused) == sorted(["count_summary", "counters", "budget", "hidden game", "game as method",
                                      "dunder reduce", "dunder dict", "reset counters", "lower the counts",
                                      "pseudo_gradient (computed in the proxy)"])
    assert "refused method='count_summary'" in out["count_summary"][1]
    assert "refused method='__getattribute__'" in out["budget"][1]
    for key in ("ordinary pickle", "code in a message", "not a query", "malformed array"):
        status, (exc_type, _msg) = out[key]
        assert (status, exc_type) == ("error", "IsolationError"), (key, out[key])
    assert "not allowed in a query message" in out["code in a message"][1][1]
    assert _UNPICKLED_HERE == []  # the parent never ran the message's code
    assert attributes == sorted(
        ["_conn", "n_players", "dims", "dim", "block_slices", "domain", "minmax", "name"])
    assert out["unpicklable answer"][0] == "LocaleqError"
    assert "could not be sent" in out["unpicklable answer"][1]
    # only the honest gradient query was answered and counted, here and by the game itself
    np.testing.assert_array_equal(g, counted_game([]).gradient(0, x0))
    assert orc.count_summary() == {"value": 0, "gradient": 1, "hessian": 0, "hvp": 0, "colour": 0}
    assert orc.n_queries == 1 == len(log) and orc.budget == 50


def test_isolated_refusal_that_is_not_caught_is_raised_here():
    orc = GameOracle(quadratic_saddle())
    with pytest.raises(IsolationError, match="refused method='count_summary'"):
        run_isolated(read_counters_uncaught, orc)
    assert orc.n_queries == 0


def all_solvers_isolated(colouring):
    """Run the three Sperner solvers one after the other on the (proxy) colouring."""
    from complexity._oracle import IsolationError, _ask

    conn = next(c.cell_contents for c in colouring.func.__closure__ if hasattr(c.cell_contents, "send_bytes"))
    try:
        _ask(conn, "counter")
        refused = False
    except IsolationError:
        refused = True
    seen = {"refused counter": refused, "has counter": hasattr(colouring, "counter"),
            "values": colouring.values}
    return seen, [solve(colouring, solver=name) for name in ("scan", "walk", "divide-conquer")]


def _same_result(a, b):
    assert (a.solver, a.kind, a.cell, a.perm, a.labels, a.certified) == (b.solver, b.kind, b.cell, b.perm,
                                                                          b.labels, b.certified)
    assert (a.n_queries, a.n_check_queries, a.message) == (b.n_queries, b.n_check_queries, b.message)
    np.testing.assert_array_equal(a.simplex, b.simplex)
    np.testing.assert_array_equal(a.certificate.v, b.certificate.v)
    np.testing.assert_array_equal(a.certificate.u, b.certificate.u)


def test_isolated_colour_oracle_gives_identical_counts_and_results_for_every_solver():
    inst = planted_instance(16, 2, target=(9, 5), rng=3)
    local, traces = [], []
    for name in ("scan", "walk", "divide-conquer"):
        orc = ColourOracle(inst.colouring, trace=True)
        local.append(solve(orc, solver=name))
        traces.append([tuple(v.tolist()) for _, _, v in orc.counter.trace])
        assert orc.counter.n_queries == local[-1].n_queries + local[-1].n_check_queries
    iso_orc = ColourOracle(inst.colouring, trace=True)
    seen, isolated = run_isolated(all_solvers_isolated, iso_orc)
    assert seen == {"refused counter": True, "has counter": False, "values": None}
    for a, b in zip(local, isolated, strict=True):
        _same_result(a, b)
        assert b.certified and b.cell == (9, 5)
    # the parent answered exactly the same vertex reads, in the same order
    iso_trace = [tuple(v.tolist()) for _, _, v in iso_orc.counter.trace]
    assert iso_trace == [v for t in traces for v in t]
    assert iso_orc.counter.n_queries == sum(r.n_queries + r.n_check_queries for r in local)


def test_isolated_colour_budget_is_enforced_in_the_parent():
    col = planted_instance(16, 2, rng=0).colouring
    local = ColourOracle(col, budget=40)
    with pytest.raises(QueryBudgetExceeded):
        solve_scan(local)
    orc = ColourOracle(col, budget=40)
    with pytest.raises(QueryBudgetExceeded, match="budget=40"):
        run_isolated(solve_scan, orc)
    assert orc.counter.n_queries == local.counter.n_queries <= 40  # the refused batch is not counted


def test_run_isolated_rejects_other_oracles():
    with pytest.raises(InvalidArgument, match="oracle"):
        run_isolated(solve_scan, planted_instance(8, 2, rng=0).colouring)  # not counting: refused
    with pytest.raises(InvalidArgument, match="timeout"):
        run_isolated(gda_with_values, GameOracle(quadratic_saddle()), timeout=0)
