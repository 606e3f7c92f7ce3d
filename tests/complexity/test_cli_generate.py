"""``localeq generate sperner``: writes a loadable instance, prints a summary, reports bad input."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from complexity.cli import main
from constructions.sperner import load_instance, panchromatic_cells


def test_generate_planted_writes_instance_and_summary(tmp_path, capsys):
    out = tmp_path / "inst.npz"
    fig = tmp_path / "fig.png"
    rc = main(
        [
            "generate",
            "sperner",
            "--n",
            "64",
            "--d",
            "2",
            "--kind",
            "planted",
            "--seed",
            "0",
            "--out",
            str(out),
            "--plot",
            str(fig),
        ]
    )
    assert rc == 0
    text = capsys.readouterr().out
    inst = load_instance(out)
    assert "N=64 d=2" in text and "generator=planted" in text
    assert f"path length: {inst.path_length}" in text and inst.path_length >= 64 * 64 / 4
    assert f"sha256: {inst.sha256}" in text
    sol = tuple(inst.solutions[0].tolist())
    assert f"planted solutions: 1 {sol}" in text
    assert panchromatic_cells(inst.colouring).tolist() == inst.solutions.tolist()
    assert fig.read_bytes()[:4] == b"\x89PNG"
    # same seed, same hash; another seed, another instance
    main(["generate", "sperner", "--n", "64", "--seed", "0", "--out", str(tmp_path / "again.npz")])
    main(["generate", "sperner", "--n", "64", "--seed", "1", "--out", str(tmp_path / "other.npz")])
    assert load_instance(tmp_path / "again.npz").sha256 == inst.sha256
    assert load_instance(tmp_path / "other.npz").sha256 != inst.sha256


@pytest.mark.parametrize(
    "extra",
    [
        ["--kind", "random", "--d", "3", "--n", "6", "--colouring", "sperner"],
        ["--kind", "brouwer", "--n", "32", "--map", "random_smooth"],
        ["--kind", "planted", "--n", "12", "--d", "3", "--target", "3,4,5", "--solutions", "3"],
    ],
    ids=["random", "brouwer", "planted3d"],
)
def test_generate_other_kinds(tmp_path, capsys, extra):
    out = tmp_path / "inst.npz"
    assert main(["generate", "sperner", "--seed", "2", "--out", str(out), *extra]) == 0
    inst = load_instance(out)
    assert f"sha256: {inst.sha256}" in capsys.readouterr().out
    if "--target" in extra:
        assert inst.params["target"] == [3, 4, 5] and len(inst.solutions) == 3


def test_generate_implicit_json(tmp_path, capsys):
    out = tmp_path / "big.json"
    assert (
        main(
            [
                "generate",
                "sperner",
                "--n",
                "1048576",
                "--kind",
                "planted",
                "--implicit",
                "--seed",
                "3",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    inst = load_instance(out)
    assert not inst.colouring.is_dense and inst.n == 2**20
    assert "path length: n/a" in capsys.readouterr().out
    v = np.array([[17, 123456]])
    assert inst.colouring(v).shape == (1, 2)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--n", "1"], "n=1"),
        (["--n", "8", "--d", "0"], "d=0"),
        (["--n", "8", "--seed", "-3"], "seed=-3"),
        (["--n", "8", "--target", "3,0"], "target="),
        (["--n", "8", "--target", "a,b"], "target="),
        (["--n", "8", "--solutions", "2"], "n_solutions=2"),
        (["--n", "8", "--d", "4", "--plot", "x.png"], "d=4"),
    ],
)
def test_bad_input_is_a_one_line_error_with_status_2(tmp_path, args, needle):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "complexity.cli",
            "generate",
            "sperner",
            "--out",
            str(tmp_path / "x.npz"),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert needle in proc.stderr and proc.stderr.count("\n") == 1


def test_generate_without_subcommand_prints_help(capsys):
    assert main(["generate"]) == 0
    assert "sperner" in capsys.readouterr().out
