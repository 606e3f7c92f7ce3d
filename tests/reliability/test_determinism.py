"""Issue 8, part 4: two runs with the same seed, in separate processes, give identical outputs.

Each run is one fresh Python process (``PYTHONHASHSEED`` differs between the two, so set/dict
ordering that depends on string hashing would show up) that runs ``localeq`` commands in its own
directory through ``complexity.cli.main``:

* ``generate sperner`` (planted and random) and ``generate lifted``: the instance and game files
  must be **bit-identical** (the ``.npz`` zip members carry numpy's fixed 1980 timestamp; the lifted
  game file records the source *file name*, which is the same relative name in both runs);
* ``measure sperner`` with two worker processes: the same rows, compared by cell key, excluding the
  wall-clock field ``seconds`` -- the only field that varies (row *order* follows completion order
  with several workers, so rows are compared as a keyed set);
* ``verify`` writing certificate JSON (local Nash VERIFIED, local Nash REFUTED with the seeded
  deviation search, local CCE from a distribution file, linear deviations, small gain, differential
  Nash): bit-identical -- certificates carry no timestamps or host data.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

DISTRIBUTION = {"format": "localeq.distribution/1",
                "points": [[1, 0, 1, 0], [1, 0, 0, 1], [0, 1, 1, 0], [0, 1, 0, 1]]}

COMMANDS = [
    ["generate", "sperner", "--n", "16", "--d", "2", "--kind", "planted", "--seed", "3",
     "--out", "planted.npz"],
    ["generate", "sperner", "--n", "6", "--d", "3", "--kind", "random", "--seed", "5", "--out", "random.npz"],
    ["generate", "lifted", "--from", "planted.npz", "--out", "lifted.json"],
    ["measure", "sperner", "--set", "n=8,16", "--set", "instance=planted,random", "--seeds", "0-1",
     "--out", "rows.jsonl", "--workers", "2", "--no-progress"],
    ["verify", "quadratic-saddle", "--point", "0,0", "--quiet", "--json", "nash-verified.json"],
    ["verify", "matching-pennies", "--point", "0.9,0.1,0.5,0.5", "--quiet", "--json", "nash-refuted.json"],
    ["verify", "matching-pennies", "--distribution", "dist.json", "--eps", "1e-6", "--delta", "0.1",
     "--quiet", "--json", "cce.json"],
    ["verify", "matching-pennies", "--distribution", "dist.json", "--linear", "--eps", "1e-9", "--quiet",
     "--json", "linear.json"],
    ["verify", "--small-gain", "--mu", "1,1", "--couplings", "0,10;0.05,0", "--norms", "1,1", "--quiet",
     "--json", "small-gain.json"],
    ["verify", "quadratic-saddle", "--point", "0,0", "--second-order", "differential-nash", "--quiet",
     "--json", "dne.json"],
]

RUNNER = """
import json, sys
from complexity.cli import main
codes = [main(argv) for argv in json.loads(sys.argv[1])]
print(json.dumps(codes))
"""

BIT_IDENTICAL = ["planted.npz", "random.npz", "lifted.json", "nash-verified.json", "nash-refuted.json",
                 "cce.json", "linear.json", "small-gain.json", "dne.json"]


def _start(directory: Path, hashseed: str) -> subprocess.Popen:
    directory.mkdir()
    (directory / "dist.json").write_text(json.dumps(DISTRIBUTION))
    env = {**os.environ, "PYTHONHASHSEED": hashseed}
    return subprocess.Popen([sys.executable, "-c", RUNNER, json.dumps(COMMANDS)], cwd=directory, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _rows(path: Path) -> dict[str, dict]:
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    keyed = {r["_key"]: {k: v for k, v in r.items() if k != "seconds"} for r in rows}
    assert len(keyed) == len(rows)
    return keyed


def test_two_runs_with_the_same_seeds_give_identical_files(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    procs = [_start(a, "1"), _start(b, "2")]
    outs = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        outs.append(json.loads(out.strip().splitlines()[-1]))
    assert outs[0] == outs[1]
    assert outs[0] == [0, 0, 0, 0, 0, 1, 0, 0, 0, 0]  # the second verify is REFUTED (exit status 1)

    for name in BIT_IDENTICAL:
        assert (a / name).read_bytes() == (b / name).read_bytes(), f"{name} differs between two seeded runs"

    rows_a, rows_b = _rows(a / "rows.jsonl"), _rows(b / "rows.jsonl")
    assert len(rows_a) == 2 * 2 * 2 * 2  # n x instance x solver (defaults: two) x seeds
    assert rows_a == rows_b
    # the one field left out really is a timing, and it is the only one allowed to vary
    raw = [json.loads(line) for line in (a / "rows.jsonl").read_text().splitlines()]
    assert all(isinstance(r["seconds"], float) for r in raw)


def test_a_different_seed_gives_a_different_instance(tmp_path, monkeypatch):
    """Guards the test above against commands that ignore --seed."""
    from complexity.cli import main

    monkeypatch.chdir(tmp_path)
    for seed in ("3", "4"):
        assert main(["generate", "sperner", "--n", "16", "--d", "2", "--kind", "planted", "--seed", seed,
                     "--out", f"p{seed}.npz"]) == 0
    assert (tmp_path / "p3.npz").read_bytes() != (tmp_path / "p4.npz").read_bytes()
