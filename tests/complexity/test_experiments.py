"""The built-in experiments reproduce the theory they are compared with."""

from __future__ import annotations

import subprocess
import sys

import pytest

from complexity import fit_table, run_sweep


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
    algos = {r["algorithm"] for r in res.rows}
    assert {"gda", "extragradient", "ogda", "stonr", "sperner-route"} <= algos
    for r in res.rows:
        assert isinstance(r["reached"], bool) and r["queries"] > 0
        if r["algorithm"] == "sperner-route":
            assert r["certificate"] == "VERIFIED"
            assert r["reached"]  # GDA residual below alpha
            assert r["extracted_cell"] == r["solver_cell"] and [r["solver_cell"]] == r["planted_cells"]
