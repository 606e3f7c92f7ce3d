"""``localeq verify`` with --distribution / --family / --linear / --small-gain."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from complexity.cli import main

UNIFORM_PROFILES = [[1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 0, 1], [0, 1, 1, 0]]


def write(tmp_path, doc, name="sigma.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return str(path)


def test_distribution_int_family_verified_and_json(tmp_path, capsys):
    path = write(tmp_path, {"format": "localeq.distribution/1", "points": UNIFORM_PROFILES})
    out = tmp_path / "cert.json"
    assert main(["verify", "matching-pennies", "--distribution", path, "--eps", "1e-6", "--delta", "0.1",
                 "--json", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert doc["kind"] == "local-cce" and doc["family"] == "int" and doc["verdict"] == "VERIFIED"
    assert "VERIFIED" in capsys.readouterr().out


def test_distribution_refuted_and_npz(tmp_path):
    np.savez(tmp_path / "s.npz", points=np.array([[1.0, 0, 0, 1]]), weights=np.array([1.0]))
    assert main(["verify", "matching-pennies", "--distribution", str(tmp_path / "s.npz"), "--family", "proj",
                 "--eps", "1e-3", "--delta", "0.1", "--quiet"]) == 1


def test_finite_family_from_file(tmp_path, capsys):
    path = write(tmp_path, {"format": "localeq.distribution/1", "points": [[1, 0, 0, 1]],
                            "deviations": {"0": [[0.05, -0.05], [-0.05, 0.05]], "1": [[0.05, -0.05]]}})
    code = main(["verify", "matching-pennies", "--distribution", path, "--family", "finite", "--eps", "1e-3",
                 "--delta", "0.1"])
    assert code == 1 and "witness" in capsys.readouterr().out


def test_linear_deviations_are_correlated_equilibria(tmp_path):
    # uniform over the four profiles: a CE of matching pennies; mutual cooperation in the
    # prisoner's dilemma is not
    path = write(tmp_path, {"format": "localeq.distribution/1", "points": UNIFORM_PROFILES})
    assert main(["verify", "matching-pennies", "--distribution", path, "--linear", "--eps", "1e-9",
                 "--quiet"]) == 0
    coop = write(tmp_path, {"format": "localeq.distribution/1", "points": [[1, 0, 1, 0]]}, "c.json")
    assert main(["verify", "prisoners-dilemma", "--distribution", coop, "--linear", "--quiet"]) == 1


def test_small_gain_declared_and_refuted(tmp_path, capsys):
    out = tmp_path / "sg.json"
    assert main(["verify", "--small-gain", "--mu", "1,1", "--couplings", "0,10;0.05,0", "--norms", "1,1",
                 "--json", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert doc["kind"] == "small-gain" and doc["euler_factor"] < 1 and doc["rk4_factor"] < 1
    assert "RK4" in capsys.readouterr().out
    assert main(["verify", "--small-gain", "--mu", "1,1", "--couplings", "0,10;0.2,0", "--quiet"]) == 1


def test_small_gain_exact_on_a_region_for_a_sympy_game_file(tmp_path):
    spec = {"format": "localeq.game/1", "name": "quad",
            "players": [["x"], ["y"]], "utilities": ["-(x**2/2 + 10*x*y)", "-(y**2/2 + x*y/20)"]}
    g = write(tmp_path, spec, "g.json")
    assert main(["verify", "--game-file", g, "--small-gain", "--region-lo=-1,-1", "--region-hi=1,1",
                 "--quiet"]) == 0


def run(*args):
    return subprocess.run([sys.executable, "-m", "complexity.cli", *args], capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["verify", "--distribution", "x.json"], "--distribution needs a game"),
        (["verify", "matching-pennies", "--distribution", "/nonexistent.json"], "path="),
        (["verify", "--small-gain", "--mu", "1,1"], "--couplings"),
        (["verify", "--small-gain"], "--region-lo"),
        (["verify", "--small-gain", "--mu", "1,a", "--couplings", "0,1;1,0"], "--mu"),
        (["verify", "--small-gain", "--mu", "1,1", "--couplings", "0,1"], "couplings"),
    ],
)
def test_bad_input_one_line_error_status_2(args, needle):
    out = run(*args)
    assert out.returncode == 2, out.stdout + out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert needle in out.stderr


def test_bad_distribution_file_content(tmp_path):
    path = write(tmp_path, {"format": "localeq.distribution/1", "points": [[1, 0, 1]]})
    out = run("verify", "matching-pennies", "--distribution", path)
    assert out.returncode == 2 and "points" in out.stderr
    nofam = write(tmp_path, {"format": "localeq.distribution/1", "points": [[1, 0, 1, 0]]}, "n.json")
    out = run("verify", "matching-pennies", "--distribution", nofam, "--family", "finite")
    assert out.returncode == 2 and "deviations" in out.stderr
