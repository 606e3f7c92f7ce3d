"""``localeq tour``: the report folder, its figures and the facts their captions state.

The tour runs once (the README's command with its defaults, into a temporary folder); every test
reads what it wrote and checks it against theory or an independent recomputation.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pytest

from certificates import projected_gradient_residual
from complexity import tour
from complexity.cli import main
from constructions import InvalidArgument
from constructions.lift import extract_solution, lift_colouring
from constructions.sperner import load_instance, panchromatic_cells

FIGURES = ("instance", "trajectories", "sperner_solver", "self_play")
CERTIFICATES = ("local_nash.json", "local_cce.json", "small_gain.json")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("tour") / "localeq-tour"
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["tour", "--out", str(out)])
    summary = json.loads((out / "summary.json").read_text())
    return {"out": out, "code": code, "stdout": buf.getvalue(), "summary": summary,
            "facts": summary["facts"]}


def test_exit_status_and_printed_summary(run):
    assert run["code"] == 0
    text = run["stdout"]
    for step in run["summary"]["steps"]:
        assert step["name"] in text and step["ok"] is True
    assert "all steps as theory predicts" in text and "UNEXPECTED" not in text
    assert run["summary"]["ok"] is True
    assert run["facts"]["n"] == 16  # the README's default


def test_every_figure_is_a_non_blank_png(run):
    for name in FIGURES:
        path = run["out"] / f"{name}.png"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        img = mpimg.imread(path)
        assert img.ndim == 3 and img.shape[0] > 300 and img.shape[1] > 300
        rgb = np.round(img[..., :3].reshape(-1, 3) * 255).astype(np.int64)
        assert rgb.std() > 10                                          # not a blank canvas
        codes = (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]
        assert len(np.unique(codes)) > 20                              # drawn content in several colours


def test_report_lists_steps_figures_captions_and_certificates(run):
    report = (run["out"] / "report.md").read_text()
    for fig in run["summary"]["figures"]:
        assert f"]({fig['file']})" in report and fig["caption"] in report
    assert sorted(f["file"] for f in run["summary"]["figures"]) == sorted(f"{n}.png" for n in FIGURES)
    for cert in CERTIFICATES:
        assert f"]({cert})" in report
    for step in run["summary"]["steps"]:
        assert step["name"] in report
    # a '|' inside a cell would break the markdown table: every table row has exactly 5 separators
    rows = [line for line in report.splitlines() if line.startswith("| ")]
    assert len(rows) == len(run["summary"]["steps"]) + 2   # header and separator rows
    assert all(line.replace("\\|", "").count("|") == 5 for line in rows)


def test_instance_has_exactly_the_planted_cell_and_the_route_finds_it(run):
    f = run["facts"]
    inst = load_instance(run["out"] / "instance.npz")
    cells = panchromatic_cells(inst.colouring).tolist()     # independent brute-force scan
    assert cells == [f["planted_cell"]]
    assert f["solver_cell"] == f["planted_cell"] == f["extracted_cell"]
    assert f["extraction_kind"] == "panchromatic"
    assert f["distinct_vertices_read"] <= f["solver_queries"] < f["n"] ** 2
    assert inst.path_length == f["path_length"] >= f["n"] ** 2 // 4


def test_certified_point_is_an_approximate_fixed_point_in_the_planted_cell(run):
    f = run["facts"]
    doc = json.loads((run["out"] / "local_nash.json").read_text())
    assert doc["verdict"] == "VERIFIED" and doc["eps"] == f["local_nash"]["eps"]
    point = np.array(doc["point"])
    lifted = lift_colouring(load_instance(run["out"] / "instance.npz").colouring)
    res = projected_gradient_residual(lifted.game, point).joint   # recomputed on a fresh lift
    assert res < lifted.parameters.alpha == pytest.approx(f["alpha"])
    ext = extract_solution(lifted, point[:2], point[2:])
    assert list(ext.cell) == f["planted_cell"]
    # delta is 1e-3 of a cell, eps = L delta^2 as the docstring says
    assert doc["delta"] == pytest.approx(1e-3 * f["cell_side"])
    assert doc["eps"] == pytest.approx(f["smoothness"] * doc["delta"] ** 2)


def test_every_certificate_is_verified_and_rechecks_with_localeq_check(run):
    for name in CERTIFICATES:
        path = run["out"] / name
        assert json.loads(path.read_text())["verdict"] == "VERIFIED"
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            assert main(["check", str(path)]) == 0
        assert buf.getvalue().startswith("OK")


def test_a_changed_number_is_rejected_by_the_checker(run, tmp_path):
    doc = json.loads((run["out"] / "local_cce.json").read_text())
    doc["eps"] = doc["eps"] / 100                     # claim a 100x better equilibrium
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["check", str(bad)]) == 1


def test_gda_spirals_out_on_xy_and_the_others_behave_as_the_caption_says(run):
    bil = run["facts"]["bilinear"]
    eta, T = bil["gda"]["step"], bil["gda"]["steps"]
    r = np.array(bil["gda"]["radii"])
    # the GDA map on xy is z -> (I + eta J) z with J^2 = -I: |z| grows by sqrt(1 + eta^2) per step
    assert np.all(np.diff(r) > 0)
    np.testing.assert_allclose(r[1:] / r[:-1], math.sqrt(1 + eta**2), rtol=1e-12)
    # extragradient: z -> (I + eta J - eta^2 I) z, modulus sqrt(1 - eta^2 + eta^4) < 1
    eg = np.array(bil["extragradient"]["radii"])
    np.testing.assert_allclose(eg[-1] / eg[0], (1 - eta**2 + eta**4) ** (T / 2), rtol=1e-12)
    # alternating GDA: a linear map with determinant 1 and |trace| < 2, so a bounded cycle
    alt = np.array(bil["alt-gda"]["radii"])
    assert 0.6 * alt[0] < alt.min() and alt.max() < 1.6 * alt[0] and alt[-1] > 0.6 * alt[0]
    og = np.array(bil["ogda"]["radii"])
    assert og[-1] < 0.5 * og[0]
    caption = next(f["caption"] for f in run["summary"]["figures"] if f["file"] == "trajectories.png")
    assert f"x{r[-1] / r[0]:.2f}" in caption and "spirals out" in caption


def test_lifted_runs_are_counted_and_end_where_the_legend_says(run):
    f = run["facts"]
    for name, rec in f["lifted_runs"].items():
        assert 0 < rec["game_queries"] <= f["budget"]
        assert rec["colour_queries"] > 0            # the lifted game reads colours through the oracle
        assert rec["reached"] == (rec["residual"] < f["alpha"])
        if rec["reached"]:                           # DSZ: residual < alpha only in a panchromatic cell
            assert rec["cell"] == f["planted_cell"], name
        else:
            assert rec["stopped_by"] == "budget" and rec["cell"] is None


def test_self_play_cycles_yet_its_distribution_is_a_local_cce(run):
    f = run["facts"]["self_play"]
    doc = json.loads((run["out"] / "local_cce.json").read_text())
    assert doc["verdict"] == "VERIFIED" and doc["eps"] == 0.01 and doc["delta"] == 0.05
    pts = np.array(doc["points"])
    assert pts.shape == (f["rounds"], 4)
    heads = pts[:, [0, 2]]
    late = np.abs(heads[-f["rounds"] // 4:] - 0.5).max(axis=1)
    assert late.min() == pytest.approx(f["min_late_distance"]) and late.min() > 0.05
    np.testing.assert_allclose(heads.mean(axis=0), f["mean_heads"])
    caption = next(c["caption"] for c in run["summary"]["figures"] if c["file"] == "self_play.png")
    assert "do not converge" in caption and "VERIFIED" in caption


def test_small_gain_numbers_match_the_two_block_theory(run):
    doc = json.loads((run["out"] / "small_gain.json").read_text())
    assert doc["verdict"] == "VERIFIED"
    # mu = (1, 1), couplings L12 = 10, L21 = 1/20: the optimal margin is 1 - sqrt(L12 L21) = 1 - sqrt(1/2)
    assert run["facts"]["small_gain"]["alpha"] == pytest.approx(1 - math.sqrt(0.5), abs=1e-6)


def test_quiet_and_bad_input(tmp_path, capsys):
    assert main(["tour", "--n", "3", "--out", str(tmp_path / "t")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "n must be >= 4" in err
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["tour", "--out", str(blocker)]) == 2
    assert "is a file" in capsys.readouterr().err
    assert main(["tour", "--seed", "-1", "--out", str(tmp_path / "t")]) == 2
    with pytest.raises(InvalidArgument):
        tour(tmp_path / "t", n=True)
    with pytest.raises(InvalidArgument):
        tour(tmp_path / "t", budget=0)
    assert not any(Path(tmp_path / "t").glob("*.png"))  # nothing was run


def test_quiet_prints_one_line_and_other_options_are_used(tmp_path, capsys):
    out = tmp_path / "small"
    assert main(["tour", "--quiet", "--n", "6", "--seed", "5", "--budget", "300", "--out", str(out)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("localeq tour: all steps as theory predicts")
    facts = json.loads((out / "summary.json").read_text())["facts"]
    assert facts["n"] == 6 and facts["budget"] == 300
    assert load_instance(out / "instance.npz").colouring.n == 6
