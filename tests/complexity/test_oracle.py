"""Counting oracles: counts equal an independent count, budgets stop exactly, isolated mode."""

from __future__ import annotations

import numpy as np
import pytest

from complexity._oracle import ColourOracle, GameOracle, QueryBudgetExceeded, run_isolated
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
