"""Sweeps: resume after SIGKILL without lost or duplicated rows, fits, Dask, plots, bad input."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import distributed
import numpy as np
import pytest

from complexity._experiments import selftest_run
from complexity._measure import (
    EXPERIMENTS,
    Experiment,
    cell_key,
    fit_exponent,
    fit_table,
    plot_sweep,
    read_rows,
    register_experiment,
    run_sweep,
)
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
    local = run_sweep("selftest", {"x": [1, 2, 4]}, seeds=range(2), out=tmp_path / "a.jsonl",
                      workers=1, progress=False)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        remote = run_sweep("selftest", {"x": [1, 2, 4]}, seeds=range(2), out=tmp_path / "b.jsonl",
                           dask_address=cluster.scheduler_address, progress=False)
    strip = lambda rows: sorted((r["_key"], r["y"]) for r in rows)  # noqa: E731
    assert strip(local.rows) == strip(remote.rows) and remote.computed == 6


@pytest.mark.slow
def test_cli_measure_on_a_multiprocess_dask_cluster_gives_the_local_rows(tmp_path):
    """``localeq measure ... --dask ADDRESS`` against a real cluster: two worker processes on 127.0.0.1."""
    local = run_sweep("selftest", {"x": [1, 2, 4, 8]}, seeds=range(2), out=tmp_path / "local.jsonl",
                      workers=1, progress=False)
    out = tmp_path / "dask.jsonl"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        run = subprocess.run(
            [sys.executable, "-m", "complexity.cli", "measure", "selftest", "--set", "x=1,2,4,8", "--seeds",
             "0-1", "--out", str(out), "--dask", cluster.scheduler_address, "--no-progress"],
            capture_output=True, text=True, timeout=600)
        with distributed.Client(cluster.scheduler_address) as client:
            pids = client.run(os.getpid)
            ran_here = client.run(lambda: "complexity._experiments" in sys.modules)
    assert run.returncode == 0, run.stderr
    assert "8 cells computed, 0 resumed" in run.stdout and "2.000" in run.stdout
    # the workers are two separate processes, and the cells ran there
    assert len(set(pids.values())) == 2 and os.getpid() not in pids.values()
    assert any(ran_here.values())
    strip = lambda rows: sorted((r["_key"], r["y"], r["error"]) for r in rows)  # noqa: E731
    assert strip(read_rows(out)) == strip(local.rows) and len(local.rows) == 8


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


@pytest.fixture
def exp2_experiment():
    """A temporary experiment with an optional parameter and the exponential fit model."""
    exp = register_experiment(Experiment(name="test-exp2", run=selftest_run, defaults={"x": [1, 2]}, x="x",
                                         y="y", optional={"delay": 0.0}, fit="exp2",
                                         theory={"*": ("2^x", lambda x: 2.0**x, 1.0)}))
    yield exp
    del EXPERIMENTS["test-exp2"]


def test_exp2_fit_recovers_a_known_exponential(exp2_experiment):
    rows = [{"x": x, "y": 3.0 * 2 ** (1.5 * x), "seed": 0} for x in (2, 3, 4, 5, 6)]
    (entry,) = fit_table("test-exp2", rows)
    assert entry["model"] == "y = C 2^(k x)"
    assert entry["fit"].exponent == pytest.approx(1.5, abs=1e-9)
    assert entry["fit"].constant == pytest.approx(3.0, rel=1e-9)
    fig = plot_sweep("test-exp2", rows)
    assert fig.axes[0].get_xscale() == "linear" and fig.axes[0].get_yscale() == "log"


def test_optional_parameter_stays_out_of_cells_until_set(tmp_path, exp2_experiment):
    plain = run_sweep("test-exp2", None, seeds=[0], out=tmp_path / "a.jsonl", workers=1, progress=False)
    assert all("delay" not in r for r in plain.rows)
    assert {r["_key"] for r in plain.rows} == {cell_key({"experiment": "test-exp2", "x": x, "seed": 0})
                                               for x in (1, 2)}
    assert [t["group"] for t in fit_table("test-exp2", plain.rows)] == ["all"]
    both = run_sweep("test-exp2", {"delay": [0.0, 0.001]}, seeds=[0], out=tmp_path / "a.jsonl", workers=1,
                     progress=False)
    assert (both.computed, both.skipped) == (4, 0)  # a set parameter is part of the cell
    groups = [t["group"] for t in fit_table("test-exp2", both.rows)]
    assert groups == ["delay=0.0", "delay=0.001"]  # the earlier rows join the default group
    assert [t["points"] for t in fit_table("test-exp2", both.rows)] == [4, 2]


@pytest.mark.parametrize(("kwargs", "needle"),
                         [({"fit": "log"}, "fit"), ({"optional": {"x": 1}}, "optional")])
def test_bad_experiment_definitions(kwargs, needle):
    base = {"name": "bad", "run": selftest_run, "defaults": {"x": [1]}, "x": "x", "y": "y"}
    with pytest.raises(InvalidArgument, match=needle):
        register_experiment(Experiment(**(base | kwargs)))
    assert "bad" not in EXPERIMENTS
