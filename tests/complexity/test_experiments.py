"""The built-in experiments reproduce the theory they are compared with."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from complexity import fit_table, run_sweep
from complexity._measure import cell_key, read_rows
from complexity._oracle import ColourOracle
from complexity._solvers import solve
from complexity.zoo import ALGORITHMS
from constructions.lift import lift_colouring
from constructions.sperner import planted_instance


def test_measure_prints_exponents_for_divide_conquer_and_walk(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "complexity.cli", "measure", "sperner", "--set",
         "solver=divide-conquer,walk", "--set", "n=16,32,64,128", "--seeds", "0-1",
         "--out", str(tmp_path / "s.jsonl"), "--no-progress"],
        capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    lines = {ln.split()[0]: ln for ln in out.stdout.splitlines() if ln.startswith("solver=")}
    dc = float(lines["solver=divide-conquer,"].split()[4])
    walk = float(lines["solver=walk,"].split()[4])
    assert 0.85 <= dc <= 1.15   # Theta(N) colour queries in 2D
    assert 1.85 <= walk <= 2.15  # Theta(N^2) along the planted snake


def test_quadratic_family_reproduces_the_kappa_ordering(tmp_path):
    res = run_sweep("zoo-quadratic", {"kappa": [4, 8, 16, 32]}, seeds=[0], out=tmp_path / "q.jsonl",
                    workers=2, progress=False)
    fits = {row["group"]: row["fit"].exponent for row in fit_table("zoo-quadratic", res.rows)}
    assert 1.85 <= fits["algorithm=gda"] <= 2.15
    assert 0.8 <= fits["algorithm=alt-gda"] <= 1.2
    assert 0.8 <= fits["algorithm=extragradient"] <= 1.2
    assert all(r["reached"] for r in res.rows)


@pytest.mark.slow
def test_lifted_table_and_the_sperner_route_certifies_every_instance(tmp_path):
    res = run_sweep("lifted", {"n": [6, 10, 18], "budget": [3000]}, seeds=range(3),
                    out=tmp_path / "l.jsonl", workers=2, progress=False)
    assert res.failed == 0
    # every algorithm of the zoo's registry and the Sperner route ran on every instance
    expected = {*ALGORITHMS, "sperner-route"}
    assert len(expected) == len(ALGORITHMS) + 1 >= 12
    per_instance = {}
    for r in res.rows:
        per_instance.setdefault((r["n"], r["seed"]), []).append(r["algorithm"])
    assert sorted(per_instance) == [(n, s) for n in (6, 10, 18) for s in range(3)]
    for algos in per_instance.values():
        assert sorted(algos) == sorted(expected)
    for r in res.rows:
        assert isinstance(r["reached"], bool)
        assert isinstance(r["queries"], int) and r["queries"] > 0
        if r["algorithm"] == "sperner-route":
            assert r["certificate"] == "VERIFIED"
            assert r["reached"]  # GDA residual below alpha
            assert r["extracted_cell"] == r["solver_cell"] and [r["solver_cell"]] == r["planted_cells"]


def test_measure_dsz_rows_are_above_the_black_box_lower_bound(tmp_path):
    out = tmp_path / "dsz.jsonl"
    run = subprocess.run(
        [sys.executable, "-m", "complexity.cli", "measure", "dsz", "--seeds", "0-1", "--out", str(out),
         "--plot", str(tmp_path / "dsz.png"), "--no-progress"],
        capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert "fitted law: f_queries = C 2^(k d)" in run.stdout
    line = next(ln for ln in run.stdout.splitlines() if ln.startswith("n=4 "))
    k = float(line.split()[2])
    assert 1.0 <= k <= 2.0  # measured 1.65: D&C reads ~N^(d-1) = 4^(d-1) colours, so k < log2(4)
    assert "lower bound 2^d/(d+1)" in line
    assert (tmp_path / "dsz.png").stat().st_size > 1000
    rows = read_rows(out)
    assert sorted((r["d"], r["seed"]) for r in rows) == [(d, s) for d in range(2, 7) for s in range(2)]
    for r in rows:
        d = r["d"]
        assert r["error"] is None and r["n"] == 4
        assert r["certified"] and r["planted"]  # the solver found the planted cell, re-checked
        assert r["lower_bound"] == 2**d / (d + 1)
        assert r["f_queries"] == r["colour_queries"] / (d + 1)
        assert r["f_queries"] >= r["lower_bound"]


@pytest.mark.parametrize("d", [2, 3, 4, 5, 6])
def test_one_game_query_reads_d_plus_1_colours(d):
    """The dsz experiment's unit: one value or gradient query of the SEIC lift reads d+1 colours."""
    colours = ColourOracle(planted_instance(4, d, rng=0).colouring)
    game = lift_colouring(colours, scheme="seic").game
    rng = np.random.default_rng(d)
    for k in range(4):
        x = game.domain.project(rng.uniform(0, 1, game.dim))  # a fresh point every time
        colours.counter.reset()
        if k % 2:
            game.gradient(k % 2, x)
        else:
            game.utility(k % 2, x)
        assert colours.counter.n_queries == d + 1


def test_measure_sperner_boundary_option(tmp_path):
    out = tmp_path / "b.jsonl"
    run = subprocess.run(
        [sys.executable, "-m", "complexity.cli", "measure", "sperner", "--set", "solver=divide-conquer",
         "--set", "n=16,32,64", "--set", "boundary=0,1", "--seeds", "0", "--out", str(out), "--no-progress"],
        capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    groups = [ln.split()[0:4] for ln in run.stdout.splitlines() if ln.startswith("solver=")]
    assert [g[-1] for g in groups] == ["boundary=0", "boundary=1"]
    rows = read_rows(out)
    assert len(rows) == 6
    for r in rows:  # the same count as an independent run of the solver with check_boundary
        orc = ColourOracle(planted_instance(r["n"], 2, rng=0).colouring)
        solve(orc, solver="divide-conquer", check_boundary=bool(r["boundary"]))
        assert r["queries"] == orc.counter.n_queries and r["certified"]
    q = {(r["n"], r["boundary"]): r["queries"] for r in rows}
    for n in (16, 32, 64):
        assert q[(n, 1)] > q[(n, 0)] and q[(n, 1)] >= 4 * (n - 1)  # every boundary vertex was read


def test_sperner_boundary_default_unchanged_and_bad_values(tmp_path):
    res = run_sweep("sperner", {"solver": ["divide-conquer"], "n": [16]}, seeds=[0], out=tmp_path / "d.jsonl",
                    workers=1, progress=False)
    (row,) = res.rows
    assert "boundary" not in row  # default cells (and their keys) are those of earlier results files
    old_cell = {"experiment": "sperner", "d": 2, "instance": "planted", "n": 16, "seed": 0,
                "solver": "divide-conquer"}
    assert row["_key"] == cell_key(old_cell)
    orc = ColourOracle(planted_instance(16, 2, rng=0).colouring)
    solve(orc, solver="divide-conquer")
    assert row["queries"] == orc.counter.n_queries
    bad = run_sweep("sperner", {"solver": ["divide-conquer", "walk"], "n": [16], "boundary": [2, 1]},
                    seeds=[0], out=tmp_path / "bad.jsonl", workers=1, progress=False)
    errors = {(r["solver"], r["boundary"]): r["error"] for r in bad.rows}
    assert errors[("divide-conquer", 1)] is None
    assert errors[("divide-conquer", 2)].startswith("InvalidArgument: boundary must be 0 or 1")
    assert "boundary=2" in errors[("walk", 2)]
    assert "solver='walk'" in errors[("walk", 1)] and "boundary=1" in errors[("walk", 1)]
