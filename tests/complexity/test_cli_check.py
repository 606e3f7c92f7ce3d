"""``localeq check``: one-line verdicts and exit statuses 0 / 1 / 2."""

from __future__ import annotations

import json

import pytest

from complexity.cli import main


@pytest.fixture
def cert_file(tmp_path):
    path = tmp_path / "cert.json"
    assert main(["verify", "quadratic-saddle", "--point", "0,0", "--json", str(path), "--quiet"]) == 0
    return path


def test_check_ok_exact_rational(cert_file, capsys):
    capsys.readouterr()
    assert main(["check", str(cert_file)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out == ["OK: certificate re-verified (exact-rational)"]


@pytest.mark.parametrize("option", ["differential-nash", "local-minimax", "kantorovich"])
def test_second_order_certificates_from_the_cli_check(tmp_path, option, capsys):
    path = tmp_path / f"{option}.json"
    assert main(["verify", "quadratic-saddle", "--second-order", option, "--point", "0.001,0",
                 "--json", str(path), "--quiet"]) == 0
    assert json.loads(path.read_text())["kind"] == option
    assert main(["check", str(path)]) == 0
    assert capsys.readouterr().out.strip().endswith("OK: certificate re-verified (exact-rational)")


def test_check_rejects_tampering(cert_file, capsys):
    doc = json.loads(cert_file.read_text())
    doc["players"][1]["dual"] = [0.5]
    cert_file.write_text(json.dumps(doc))
    capsys.readouterr()
    assert main(["check", str(cert_file)]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("REJECTED: ")


def test_check_unsupported_kind_is_never_ok(cert_file, capsys):
    doc = json.loads(cert_file.read_text())
    doc["kind"] = "no-such-kind"
    cert_file.write_text(json.dumps(doc))
    assert main(["check", str(cert_file)]) == 1
    assert "unsupported kind" in capsys.readouterr().out


@pytest.mark.parametrize("content", ["", "{\"schema\": \"localeq.cert", "\x00\x01 not json"])
def test_check_corrupted_files_exit_2_with_one_line(tmp_path, content, capsys):
    path = tmp_path / "bad.json"
    path.write_text(content)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not valid JSON" in err[0]


def test_check_missing_file_exit_2(tmp_path, capsys):
    assert main(["check", str(tmp_path / "none.json")]) == 2
    assert "cannot read" in capsys.readouterr().err
