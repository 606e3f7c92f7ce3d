"""Smoke test of the benchmark runner: ``benchmarks/run_all.py --quick`` on a subset.

Checks the structure of the output (records, targets, RESULTS.md text), never the timings.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_run_all_quick_subset(tmp_path):
    out_json, out_md = tmp_path / "res.json", tmp_path / "RESULTS.md"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run_all.py"), "--quick", "--only", "oracle,local_nash",
         "--json", str(out_json), "--write-results", "--results-path", str(out_md)],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    records = json.loads(out_json.read_text())
    assert [r["name"] for r in records] == ["oracle", "local_nash"]
    for r in records:
        assert set(r) >= {"name", "title", "columns", "rows", "targets", "notes", "seconds"}
        assert all(len(row) == len(r["columns"]) for row in r["rows"])
        for t in r["targets"]:
            assert set(t) == {"target", "measured", "required", "met"}
            assert t["met"] in (True, False, None)
    ln = records[1]
    assert len(ln["targets"]) == 2 and ln["rows"][0][2] == 1.0  # the reference row has ratio 1
    assert "== local_nash:" in proc.stdout and "target:" in proc.stdout
    md = out_md.read_text()
    assert md.startswith("# Benchmark results") and "## Machine" in md and "| local_nash |" in md


def test_run_all_quick_sperner(tmp_path):
    out_json = tmp_path / "res.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run_all.py"), "--quick", "--only", "sperner",
         "--json", str(out_json)],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    (rec,) = json.loads(out_json.read_text())
    assert rec["name"] == "sperner" and rec["columns"] == ["what", "ms (best)", "ratio", "ratio to"]
    assert all(len(row) == 4 and row[1] > 0 for row in rec["rows"])
    assert rec["rows"][0][0].startswith("reference") and rec["rows"][0][2] == 1.0
    assert {row[3] for row in rec["rows"]} == {"numpy pass", "raw func"}
    assert any("fully_labelled_simplices, random Sperner" in row[0] for row in rec["rows"])
    assert "== sperner:" in proc.stdout


def test_run_all_rejects_unknown_name():
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run_all.py"), "--only", "nope"],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.returncode != 0 and "unknown benchmark" in proc.stderr
