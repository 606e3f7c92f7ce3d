"""The ``localeq`` command line: help, the verify demo, single certificates, errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from complexity.cli import main


def run(*args):
    return subprocess.run([sys.executable, "-m", "complexity.cli", *args], capture_output=True,
                          text=True, timeout=300)


def test_help_lists_the_commands():
    out = run("--help")
    assert out.returncode == 0
    assert "verify" in out.stdout


def test_verify_demo_runs_and_succeeds():
    out = run("verify")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert sum("VERIFIED" in ln for ln in lines) == 6
    assert any("perturbed" in ln and "REFUTED" in ln for ln in lines)


def test_verify_single_point_writes_json(tmp_path, capsys):
    target = tmp_path / "cert.json"
    code = main(["verify", "quadratic-saddle", "--point", "0,0", "--eps", "1e-3", "--delta", "1e-2",
                 "--json", str(target)])
    assert code == 0
    doc = json.loads(target.read_text())
    assert doc["verdict"] == "VERIFIED" and doc["eps"] == 1e-3 and doc["delta"] == 1e-2
    assert "VERIFIED" in capsys.readouterr().out


def test_verify_refuted_exit_status_and_witness(capsys):
    code = main(["verify", "quadratic-saddle", "--point", "0.2,0", "--eps", "1e-3"])
    assert code == 1
    assert "witness" in capsys.readouterr().out


def test_verify_game_file(tmp_path):
    spec = {
        "format": "localeq.game/1",
        "name": "file game",
        "minmax": {"f": "(x - y)**2", "x": ["x"], "y": ["y"]},
        "domain": {"type": "product", "sets": [{"type": "box", "lo": [-1], "hi": [1]},
                                               {"type": "box", "lo": [-1], "hi": [1]}]},
    }
    path = tmp_path / "g.json"
    path.write_text(json.dumps(spec))
    assert main(["verify", "--game-file", str(path), "--point", "1,1", "--eps", "1e-3",
                 "--delta", "1e-2", "--quiet"]) == 0
    assert main(["verify", "--game-file", str(path), "--point", "1,1", "--eps", "1e-3",
                 "--delta", "0.1", "--quiet"]) == 1


@pytest.mark.parametrize(
    "args, needle",
    [
        (["verify", "chess"], "name='chess'"),
        (["verify", "bilinear", "--point", "0,0,0"], "x must have length 2"),
        (["verify", "bilinear", "--point", "a,b"], "--point"),
        (["verify", "bilinear", "--point", "0,0", "--eps", "-1"], "eps"),
        (["verify", "bilinear", "--point", "0,0", "--delta", "0"], "delta"),
        (["verify", "bilinear", "--point", "5,0"], "not feasible"),
        (["verify", "--game-file", "/nonexistent/game.json"], "path="),
        (["verify", "--point", "0,0"], "--point needs a game"),
    ],
)
def test_bad_input_gives_one_line_error_and_status_2(args, needle):
    out = run(*args)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert needle in out.stderr
