"""Issue 8, part 5: corrupted or truncated files are rejected with a clear message, never accepted.

For each file format localeq reads -- certificate JSON (``localeq check``), Sperner instance files
(``.npz``), lifted-game files, game files (``localeq.game/1``), distribution files and sweep JSON
lines -- a good file is accepted, and truncated / non-JSON / wrong-version / tampered-hash /
wrong-dtype-or-shape variants are rejected:

* by the library with :class:`~constructions.InvalidArgument` whose message names the file or the
  offending field (the certificate checker instead returns ``ok=False`` with the reason: a
  well-formed JSON document that fails re-verification is a *rejected certificate*, not an error);
* by the CLI with a non-zero exit status and a one-line message, never a traceback.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from certificates import certify_local_nash, check_file, load_distribution
from complexity import read_rows, run_sweep
from complexity.cli import main
from constructions import InvalidArgument, lift_colouring, load_game, quadratic_saddle
from constructions.lift._io import load_lifted, save_lifted
from constructions.sperner import load_instance, planted_instance, save_instance

GAME = {"format": "localeq.game/1", "name": "g",
        "minmax": {"f": "(x - y)**2 + x*y/4", "x": ["x"], "y": ["y"]},
        "domain": {"type": "product", "sets": [{"type": "box", "lo": [-1], "hi": [1]},
                                               {"type": "box", "lo": [-1], "hi": [1]}]}}


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    """A directory with one good file of every format."""
    d = tmp_path_factory.mktemp("good")
    inst = planted_instance(8, 2, rng=0)
    save_instance(inst, d / "inst.npz")
    save_lifted(lift_colouring(inst.colouring), inst, d / "lifted.json", d / "inst.npz")
    (d / "game.json").write_text(json.dumps(GAME))
    cert = certify_local_nash(quadratic_saddle(), [0.0, 0.0], eps=1e-3, delta=1e-2)
    (d / "cert.json").write_text(cert.to_json())
    (d / "dist.json").write_text(json.dumps({"format": "localeq.distribution/1", "points": [[1, 0, 1, 0]]}))
    run_sweep("selftest", {"x": [1, 2, 3]}, seeds=[0], out=d / "rows.jsonl", workers=1, progress=False)
    return d


def _truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _npz_members(data: bytes) -> dict[str, np.ndarray]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name[:-4]: np.load(io.BytesIO(z.read(name))) for name in z.namelist()}


def _npz_bytes(members: dict[str, np.ndarray]) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **members)
    return buf.getvalue()


def _edit_meta(data: bytes, **changes) -> bytes:
    members = _npz_members(data)
    meta = json.loads(bytes(members["meta"]).decode())
    meta.update(changes)
    members["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    return _npz_bytes(members)


def _edit_values(data: bytes, fn) -> bytes:
    members = _npz_members(data)
    members["values"] = fn(members["values"].copy())
    return _npz_bytes(members)


def _flip(values: np.ndarray) -> np.ndarray:
    values.flat[10] = -values.flat[10]
    return values


def _edit_json(text: str, fn) -> str:
    doc = json.loads(text)
    fn(doc)
    return json.dumps(doc)


# ---------------------------------------------------------------------------------------------
# Sperner instance files

INSTANCE_CORRUPTIONS = {
    "truncated": (_truncate, "corrupted or truncated"),
    "empty": (lambda b: b"", "corrupted or truncated"),
    "not-a-zip": (lambda b: b"certainly not an npz file", "not a readable localeq instance"),
    "tampered-value": (lambda b: _edit_values(b, _flip), "content hash does not match"),
    "tampered-hash": (lambda b: _edit_meta(b, sha256="0" * 64), "content hash does not match"),
    "wrong-version": (lambda b: _edit_meta(b, version=99), "unsupported version"),
    "wrong-format": (lambda b: _edit_meta(b, format="something-else"), "not a localeq-sperner-instance"),
    "wrong-dtype": (lambda b: _edit_values(b, lambda v: v.astype(np.float64)), "must be int8"),
    "wrong-shape": (lambda b: _edit_values(b, lambda v: v[:-1]), "shape"),
    "values-missing": (lambda b: _npz_bytes({"meta": _npz_members(b)["meta"]}), "no 'values'"),
}


@pytest.mark.parametrize("corruption", sorted(INSTANCE_CORRUPTIONS))
def test_corrupted_instance_files_are_rejected(good, tmp_path, corruption, capsys):
    mutate, needle = INSTANCE_CORRUPTIONS[corruption]
    bad = tmp_path / "inst.npz"
    bad.write_bytes(mutate((good / "inst.npz").read_bytes()))
    with pytest.raises(InvalidArgument, match=needle):
        load_instance(bad)
    _cli_rejects(["generate", "lifted", "--from", str(bad), "--out", str(tmp_path / "g.json")], capsys)
    assert not (tmp_path / "g.json").exists()


def test_the_good_instance_file_is_accepted(good):
    assert load_instance(good / "inst.npz").colouring.n == 8


# ---------------------------------------------------------------------------------------------
# lifted-game files (they reference the instance file by relative path and hash both)

LIFTED_CORRUPTIONS = {
    "truncated": (lambda t: t[: len(t) // 2], "not a readable JSON"),
    "not-an-object": (lambda t: "[1, 2, 3]", "not a localeq-lifted-game/1"),
    "wrong-version": (lambda t: _edit_json(t, lambda d: d.update(version=2)), "not a localeq-lifted-game/1"),
    "tampered-field": (lambda t: _edit_json(t, lambda d: d.update(scheme="seic")), "hash does not match"),
    "wrong-type": (lambda t: _edit_json(t, lambda d: d["parameters"].update(Delta="big")),
                   "hash does not match"),
    "tampered-hash": (lambda t: _edit_json(t, lambda d: d.update(sha256="0" * 64)), "hash does not match"),
}


@pytest.mark.parametrize("corruption", sorted(LIFTED_CORRUPTIONS))
def test_corrupted_lifted_game_files_are_rejected(good, tmp_path, corruption):
    mutate, needle = LIFTED_CORRUPTIONS[corruption]
    (tmp_path / "inst.npz").write_bytes((good / "inst.npz").read_bytes())
    bad = tmp_path / "lifted.json"
    bad.write_text(mutate((good / "lifted.json").read_text()))
    with pytest.raises(InvalidArgument, match=needle):
        load_lifted(bad)


def test_a_lifted_game_whose_instance_was_tampered_is_rejected(good, tmp_path):
    (tmp_path / "lifted.json").write_text((good / "lifted.json").read_text())
    (tmp_path / "inst.npz").write_bytes(_edit_values((good / "inst.npz").read_bytes(), _flip))
    with pytest.raises(InvalidArgument, match="content hash does not match"):
        load_lifted(tmp_path / "lifted.json")
    assert load_lifted(good / "lifted.json").d == 2  # the untouched pair loads


# ---------------------------------------------------------------------------------------------
# game files (localeq.game/1)

GAME_CORRUPTIONS = {
    "truncated": (lambda t: t[:40], "not valid JSON"),
    "binary": (lambda t: "\x00\x01\x02", "not valid JSON"),
    "not-an-object": (lambda t: "[]", "must hold a JSON object"),
    "wrong-version": (lambda t: _edit_json(t, lambda d: d.update(format="localeq.game/2")),
                      "unsupported game format"),
    "bad-expression": (lambda t: _edit_json(t, lambda d: d["minmax"].update(f="x +* y")), "minmax.f"),
    "unknown-symbol": (lambda t: _edit_json(t, lambda d: d["minmax"].update(f="x*z")), "belong to no player"),
    "wrong-dtype": (lambda t: _edit_json(t, lambda d: d.update(domain={"type": "box", "lo": [0], "hi": "x"})),
                    "hi"),
    "wrong-shape": (lambda t: _edit_json(t, lambda d: d.update(domain={"type": "box", "lo": [0] * 3,
                                                                       "hi": [1] * 3})), "dimension 3"),
    "ragged-payoffs": (lambda t: json.dumps({"format": "localeq.game/1",
                                             "payoffs": [[[1, -1], [-1]], [[1]]]}), "payoffs"),
}


@pytest.mark.parametrize("corruption", sorted(GAME_CORRUPTIONS))
def test_corrupted_game_files_are_rejected(good, tmp_path, corruption, capsys):
    mutate, needle = GAME_CORRUPTIONS[corruption]
    bad = tmp_path / "game.json"
    bad.write_text(mutate((good / "game.json").read_text()))
    with pytest.raises(InvalidArgument, match=needle):
        load_game(bad)
    _cli_rejects(["verify", "--game-file", str(bad), "--point", "0,0"], capsys)


def test_the_good_game_file_is_accepted(good):
    assert load_game(good / "game.json").dims == (1, 1)


# ---------------------------------------------------------------------------------------------
# certificate files: unreadable -> InvalidArgument (exit 2); readable but wrong -> REJECTED (exit 1)

UNREADABLE_CERTIFICATES = {
    "truncated": lambda t: t[: len(t) // 2],
    "empty": lambda t: "",
    "binary": lambda t: "\x00\xff",
}
REJECTED_CERTIFICATES = {
    "wrong-schema-version": (lambda d: d.update(schema="localeq.certificate/99"), "schema"),
    "tampered-number": (lambda d: d.update(eps=1e-9), "eps"),
    "tampered-verdict": (lambda d: d.update(verdict="MAYBE"), "verdict"),
    "wrong-type": (lambda d: d.update(point="zero"), "point"),
    "wrong-shape": (lambda d: d.update(point=[0.0]), "point"),
    "missing-field": (lambda d: d.pop("delta"), "delta"),
    "not-an-object": (lambda d: d.clear(), "schema"),
}


@pytest.mark.parametrize("corruption", sorted(UNREADABLE_CERTIFICATES))
def test_unreadable_certificates_are_an_error(good, tmp_path, corruption, capsys):
    bad = tmp_path / "cert.json"
    bad.write_text(UNREADABLE_CERTIFICATES[corruption]((good / "cert.json").read_text()))
    with pytest.raises(InvalidArgument, match="not valid JSON"):
        check_file(bad)
    _cli_rejects(["check", str(bad)], capsys)


@pytest.mark.parametrize("corruption", sorted(REJECTED_CERTIFICATES))
def test_wrong_certificates_are_rejected_never_accepted(good, tmp_path, corruption, capsys):
    mutate, needle = REJECTED_CERTIFICATES[corruption]
    doc = json.loads((good / "cert.json").read_text())
    mutate(doc)
    bad = tmp_path / "cert.json"
    bad.write_text(json.dumps(doc))
    result = check_file(bad)
    assert result.ok is False and needle in result.message, result.message
    assert main(["check", str(bad)]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "REJECTED" in captured.out + captured.err


def test_the_good_certificate_is_accepted(good):
    assert check_file(good / "cert.json").ok
    assert main(["check", str(good / "cert.json")]) == 0


# ---------------------------------------------------------------------------------------------
# distribution files (localeq verify --distribution)

DISTRIBUTIONS = {
    "truncated.json": ('{"format": "localeq.distribution/1", "points": [[1, 0', "not valid"),
    "wrong-version.json": (json.dumps({"format": "localeq.distribution/9", "points": [[1, 0, 1, 0]]}),
                           "format"),
    "ragged.json": (json.dumps({"format": "localeq.distribution/1", "points": [[1, 0, 1], [1]]}),
                    "non-numeric"),
    "bad-weights.json": (json.dumps({"format": "localeq.distribution/1", "points": [[1, 0, 1, 0]],
                                     "weights": ["a"]}), "non-numeric"),
    "garbage.npz": ("PK\x03\x04 torn zip", "not valid"),
    "empty.npz": ("", "not valid"),
}


@pytest.mark.parametrize("name", sorted(DISTRIBUTIONS))
def test_corrupted_distribution_files_are_rejected(tmp_path, name, capsys):
    text, needle = DISTRIBUTIONS[name]
    bad = tmp_path / name
    bad.write_text(text)
    with pytest.raises(InvalidArgument, match=needle):
        load_distribution(bad)
    _cli_rejects(["verify", "matching-pennies", "--distribution", str(bad)], capsys)


def test_the_good_distribution_file_is_accepted(good):
    points, _, _ = load_distribution(good / "dist.json")
    assert points.shape == (1, 4)


# ---------------------------------------------------------------------------------------------
# sweep JSON lines: only a torn *last* line is a crash artefact (dropped); damage elsewhere is an error


def _rows_variant(good: Path, fn) -> str:
    return fn((good / "rows.jsonl").read_text().splitlines())


ROW_CORRUPTIONS = {
    "torn-middle-line": lambda lines: "\n".join([lines[0], lines[1][:20], lines[2]]) + "\n",
    "not-an-object": lambda lines: "\n".join([lines[0], "[1, 2]", lines[2]]) + "\n",
    "missing-key": lambda lines: json.dumps({"x": 1, "y": 3.0}) + "\n" + lines[1] + "\n",
    "binary": lambda lines: "\x00\x01 garbage\n" + lines[0] + "\n",
}


@pytest.mark.parametrize("corruption", sorted(ROW_CORRUPTIONS))
def test_corrupted_sweep_files_are_rejected(good, tmp_path, corruption, capsys):
    bad = tmp_path / "rows.jsonl"
    bad.write_text(_rows_variant(good, ROW_CORRUPTIONS[corruption]))
    before = bad.read_bytes()
    with pytest.raises(InvalidArgument, match="corrupted at line"):
        read_rows(bad)
    with pytest.raises(InvalidArgument, match="corrupted at line"):
        run_sweep("selftest", {"x": [1, 2, 3]}, seeds=[0], out=bad, workers=1, progress=False)
    _cli_rejects(["measure", "selftest", "--set", "x=1,2,3", "--seeds", "0", "--out", str(bad),
                  "--workers", "1", "--no-progress"], capsys)
    assert bad.read_bytes() == before, "a rejected results file must not be modified"


def test_a_torn_last_line_is_dropped_and_the_cell_recomputed(good, tmp_path):
    lines = (good / "rows.jsonl").read_text().splitlines()
    path = tmp_path / "rows.jsonl"
    path.write_text(lines[0] + "\n" + lines[1] + "\n" + lines[2][:25])
    assert len(read_rows(path)) == 2
    res = run_sweep("selftest", {"x": [1, 2, 3]}, seeds=[0], out=path, workers=1, progress=False)
    assert (res.skipped, res.computed) == (2, 1)
    assert len(read_rows(path)) == 3 and all(json.loads(line) for line in path.read_text().splitlines())


# ---------------------------------------------------------------------------------------------


def _cli_rejects(argv: list[str], capsys) -> None:
    code = main(argv)
    err = capsys.readouterr().err
    assert code != 0
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and ": error: " in lines[0], err
