"""``localeq generate lifted`` and the lifted-game file format."""

from __future__ import annotations

import json

import pytest

from complexity.cli import main
from constructions import InvalidArgument
from constructions.lift import lift_colouring
from constructions.lift._io import load_lifted, save_lifted
from constructions.sperner import planted_instance, save_instance


def test_generate_lifted_from_a_planted_colouring(tmp_path, capsys):
    out = tmp_path / "g.json"
    assert main(["generate", "lifted", "--n", "8", "--d", "2", "--seed", "0", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "alpha=" in text and "Thm 5.1" in text
    rec = json.loads(out.read_text())
    assert rec["format"] == "localeq-lifted-game" and rec["scheme"] == "tensor"
    assert rec["parameters"]["Delta"] == pytest.approx(1 / 7 / 12)
    g = load_lifted(out)
    assert g.Delta == rec["domain"]["Delta"] and g.d == 2


def test_generate_lifted_from_a_file_with_measurement(tmp_path, capsys):
    inst = planted_instance(5, 3, target=(1, 2, 1), rng=0)
    src = tmp_path / "c.npz"
    save_instance(inst, src)
    out = tmp_path / "g.json"
    args = ["generate", "lifted", "--from", str(src), "--measure", "--samples", "10", "--out", str(out)]
    assert main(args) == 0
    g = load_lifted(out)
    p = g.parameters
    assert g.scheme == "seic" and p.G_measured is not None and p.L_measured is not None
    # G and L are printed with their three provenances: the paper's scaling, the bound (none is
    # proved for L in high dimension) and the measured value (a lower estimate, from sampling)
    lines = {ln.split(":", 1)[0]: ln for ln in capsys.readouterr().out.splitlines() if ln[:2] in ("G:", "L:")}
    assert set(lines) == {"G", "L"}
    for name, paper, bound, measured in (
        ("G", p.G_paper, p.G_bound, p.G_measured),
        ("L", p.L_paper, p.L_bound, p.L_measured),
    ):
        toks = [tok.split() for tok in lines[name].split(":", 1)[1].split(",")]
        parts = {t[0]: t[-1] for t in toks}  # label first, value last
        assert list(parts) == ["paper", "bound", "measured"], lines[name]
        assert float(parts["paper"]) == pytest.approx(paper, rel=1e-3)
        assert parts["bound"] == str(bound) and float(parts["measured"]) == measured
    assert p.L_bound is None and p.G_measured <= p.G_bound


def test_tampered_lifted_file_is_rejected(tmp_path):
    inst = planted_instance(6, 2, target=(2, 2), rng=0)
    src = tmp_path / "c.npz"
    save_instance(inst, src)
    out = tmp_path / "g.json"
    save_lifted(lift_colouring(inst.colouring), inst, out, src)
    rec = json.loads(out.read_text())
    rec["domain"]["Delta"] *= 0.5
    out.write_text(json.dumps(rec))
    with pytest.raises(InvalidArgument, match="hash"):
        load_lifted(out)


def test_cli_errors_are_one_line(tmp_path, capsys):
    assert main(["generate", "lifted", "--out", str(tmp_path / "x.json")]) == 2
    assert "error" in capsys.readouterr().err
