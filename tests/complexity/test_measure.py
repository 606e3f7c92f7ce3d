"""Sweeps: resume after SIGKILL without lost or duplicated rows, fits, Dask, plots, bad input."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from complexity._measure import cell_key, fit_exponent, read_rows, run_sweep
from constructions import InvalidArgument


def test_fit_exponent_recovers_a_known_power_law_with_ci():
    rng = np.random.default_rng(0)
    x = np.repeat([4, 8, 16, 32, 64], 5)
    y = 2.5 * x**1.5 * np.exp(0.05 * rng.standard_normal(x.size))
    fit = fit_exponent(x, y)
    assert fit.low < 1.5 < fit.high
    assert fit.high - fit.low < 0.2
    assert fit.constant == pytest.approx(2.5, rel=0.1)


def test_sweep_computes_then_resumes_without_recomputing(tmp_path):
    out = tmp_path / "r.jsonl"
    a = run_sweep("selftest", {"x": [1, 2, 4, 8, 16]}, seeds=range(3), out=out, workers=2,
                  progress=False)
    assert (a.computed, a.skipped, a.failed) == (15, 0, 0)
    b = run_sweep("selftest", {"x": [1, 2, 4, 8, 16, 32]}, seeds=range(3), out=out, workers=1,
                  progress=False)
    assert (b.computed, b.skipped) == (3, 15)  # only the new x=32 cells ran
    rows = read_rows(out)
    assert len(rows) == 18 == len({r["_key"] for r in rows})
    ys = {(r["x"], r["seed"]): r["y"] for r in rows}
    assert ys[(32, 2)] == 3 * 32**2


def test_sigkill_mid_sweep_then_resume_loses_and_duplicates_nothing(tmp_path):
    out = tmp_path / "killed.jsonl"
    cmd = [sys.executable, "-m", "complexity.cli", "measure", "selftest", "--set",
           "x=1,2,3,4,5,6,7,8,9,10,11,12", "--set", "delay=0.15", "--seeds", "0-1", "--out",
           str(out), "--workers", "1", "--no-progress"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:  # wait until some, but not all, rows are written
        if out.exists() and 3 <= len(read_rows(out)) < 24:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    before = read_rows(out)
    assert 3 <= len(before) < 24
    with open(out, "ab") as fh:  # and a torn, half-written last line on top
        fh.write(b'{"x": 99, "_key": "torn')
    res = run_sweep("selftest", {"x": list(range(1, 13)), "delay": [0.0]}, seeds=range(2), out=out,
                    workers=2, progress=False)
    rows = read_rows(out)
    keys = [r["_key"] for r in rows]
    assert len(keys) == len(set(keys))  # no duplicates
    # every cell of the killed sweep that was written is kept; the new grid (delay 0) is complete
    assert {r["_key"] for r in before} <= set(keys)
    assert res.failed == 0 and res.skipped == 0 and res.computed == 24
    assert out.read_bytes().endswith(b"\n")


def test_resume_of_the_same_grid_after_kill(tmp_path):
    out = tmp_path / "same.jsonl"
    grid = {"x": [1, 2, 3, 4, 5, 6], "delay": [0.1]}
    cmd = [sys.executable, "-m", "complexity.cli", "measure", "selftest", "--set", "x=1,2,3,4,5,6",
           "--set", "delay=0.1", "--seeds", "0-2", "--out", str(out), "--workers", "1", "--no-progress"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline and not (out.exists() and len(read_rows(out)) >= 2):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    n_before = len(read_rows(out))
    assert 2 <= n_before < 18
    res = run_sweep("selftest", grid, seeds=range(3), out=out, workers=2, progress=False)
    assert res.skipped == n_before and res.computed == 18 - n_before
    rows = read_rows(out)
    assert len(rows) == 18 == len({r["_key"] for r in rows})


def test_corrupted_results_file_is_rejected(tmp_path):
    out = tmp_path / "bad.jsonl"
    row = {"_key": cell_key({"x": 1}), "y": 1}
    out.write_text("garbage line\n" + json.dumps(row) + "\n")
    with pytest.raises(InvalidArgument, match="corrupted at line 1"):
        run_sweep("selftest", None, seeds=[0], out=out, progress=False)


def test_dask_cluster_gives_the_same_rows(tmp_path):
    distributed = pytest.importorskip("distributed")
    local = run_sweep("selftest", {"x": [1, 2, 4]}, seeds=range(2), out=tmp_path / "a.jsonl",
                      workers=1, progress=False)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        remote = run_sweep("selftest", {"x": [1, 2, 4]}, seeds=range(2), out=tmp_path / "b.jsonl",
                           dask_address=cluster.scheduler_address, progress=False)
    strip = lambda rows: sorted((r["_key"], r["y"]) for r in rows)  # noqa: E731
    assert strip(local.rows) == strip(remote.rows) and remote.computed == 6


def test_cli_measure_prints_fits_and_plots(tmp_path):
    out = subprocess.run([sys.executable, "-m", "complexity.cli", "measure", "selftest", "--seeds",
                          "0-1", "--out", str(tmp_path / "c.jsonl"), "--plot", str(tmp_path / "p.png"),
                          "--no-progress"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "2.000" in out.stdout and "(3 x^2)" in out.stdout
    assert (tmp_path / "p.png").stat().st_size > 1000


@pytest.mark.parametrize(
    "kwargs, needle",
    [
        ({"experiment": "nope"}, "experiment"),
        ({"experiment": "selftest", "grid": {"bogus": [1]}}, "bogus"),
        ({"experiment": "selftest", "grid": {"x": []}}, "grid"),
        ({"experiment": "selftest", "seeds": [-1]}, "seeds"),
        ({"experiment": "selftest", "workers": 0}, "workers"),
        ({"experiment": "selftest", "out": "/nonexistent-dir/r.jsonl"}, "out"),
    ],
)
def test_bad_inputs(tmp_path, kwargs, needle):
    full = {"out": tmp_path / "r.jsonl", "progress": False} | kwargs
    exp = full.pop("experiment")
    grid = full.pop("grid", None)
    with pytest.raises(InvalidArgument, match=needle):
        run_sweep(exp, grid, **full)


def test_cli_bad_set_is_one_line_error(tmp_path):
    out = subprocess.run([sys.executable, "-m", "complexity.cli", "measure", "selftest", "--set",
                          "x", "--out", str(tmp_path / "r.jsonl")], capture_output=True, text=True)
    assert out.returncode == 2 and "--set" in out.stderr and "Traceback" not in out.stderr
