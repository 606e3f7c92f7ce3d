"""The independent certificate checker: round trips, tampering, corrupted files.

The checker must say OK on every untampered certificate (for rational sympy and
normal-form games in exact rational arithmetic), and reject any change of a binding
number -- a perturbation of a numeric leaf of the JSON or a flipped verdict.
"""

from __future__ import annotations

import copy
import json
import os

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from certificates import certify_local_nash
from certificates._check import check_certificate, check_file
from certificates._second_order import (
    certify_differential_nash,
    certify_kantorovich,
    certify_local_minimax,
)
from constructions import (
    Box,
    InvalidArgument,
    ProductSet,
    bilinear,
    game_from_callables,
    game_from_sympy,
    lorenz_game,
    matching_pennies,
    minmax_from_sympy,
    prisoners_dilemma,
    quadratic_saddle,
    squared_difference,
)
from constructions._gamefile import game_from_dict

#: CI (CI=true) fuzzes 5x harder than a local run (thousands of examples)
FUZZ_SCALE = 5 if os.environ.get("CI") else 1

x, y = sp.symbols("x y")
BOX2 = ProductSet([Box([-3.0], [3.0]), Box([-3.0], [3.0])])
EXP_GAME = game_from_sympy([-sp.exp(x) + 2 * x + x * y / 5, -(y**2) + sp.sin(x) * y], [[x], [y]],
                           domain=BOX2, name="transcendental")
WELL = game_from_sympy([-((x**2 - 1) ** 2) + x * y / 10, -((y**2 - 1) ** 2) + x * y / 10], [[x], [y]],
                       name="double-well")
CALLABLE = game_from_callables([lambda z: -z[0] ** 2], [lambda z: np.array([-2 * z[0]])], dims=[1],
                               smoothness=2.0, name="callable")


def _certs():
    ln = certify_local_nash
    return {
        "saddle-verified": ln(quadratic_saddle(), [0.0, 0.0], eps=1e-3, delta=1e-2),
        "saddle-refuted": ln(quadratic_saddle(), [0.2, 0.0], eps=1e-3, delta=1e-2),
        "pennies-verified": ln(matching_pennies(), [0.5] * 4, eps=1e-6, delta=0.1),
        "pennies-refuted": ln(matching_pennies(), [0.9, 0.1, 0.5, 0.5], eps=1e-3, delta=0.1),
        "pd-verified": ln(prisoners_dilemma(), [0.0, 1.0, 0.0, 1.0], eps=1e-6, delta=0.1),
        "bilinear-inconclusive": ln(bilinear(), [0.3, 0.0], eps=1e-3, delta=1e-2, search=False),
        "diff-refuted": ln(squared_difference(), [0.0, 0.0], eps=1e-5, delta=1e-2),
        "lorenz-verified": ln(lorenz_game(), lorenz_game().facts["nash_equilibria"][1], eps=1e-2,
                              delta=1e-2),
        "exp-verified": ln(EXP_GAME, [0.69, 0.3], eps=1e-2, delta=1e-2),
        "callable-verified": ln(CALLABLE, [0.01], eps=1e-3, delta=1e-2),
        "kantorovich": certify_kantorovich(WELL, [1.0, 1.0]),
        "kantorovich-arb": certify_kantorovich(game_from_sympy([-sp.exp(x) + 2 * x], [[x]]), [0.69]),
        "kantorovich-callable": certify_kantorovich(CALLABLE, [0.1], jacobian_lipschitz=0.0),
        "kantorovich-inconclusive": certify_kantorovich(game_from_sympy([-(x**3) / 3 + x], [[x]]), [0.1]),
        "dne-verified": certify_differential_nash(WELL, [1.01, 0.99]),
        "dne-refuted": certify_differential_nash(WELL, [0.0, 0.0]),
        "dne-degenerate": certify_differential_nash(game_from_sympy([x**3], [[x]]), [0.0]),
        "minimax-verified": certify_local_minimax(
            minmax_from_sympy(-(x**2) + 4 * x * y - y**2 + x**3, [x], [y]), [1e-3, 2e-3]),
        "minimax-refuted": certify_local_minimax(
            minmax_from_sympy(-3 * x**2 + 2 * x * y - y**2, [x], [y]), [0.0, 0.0]),
    }


CERTS = {k: json.loads(c.to_json()) for k, c in _certs().items()}
EXPECTED_METHOD = {"exp-verified": "ball-arithmetic", "kantorovich-arb": "ball-arithmetic",
                   "callable-verified": "trusted-gradients", "kantorovich-callable": "trusted-jacobian"}

#: free-text fields and subtrees that are not binding (documented in certificates._check)
NON_BINDING = {"reasons", "assumptions", "method", "game", "smoothness_note", "gamma_source",
               "evaluation", "block", "extra", "game_spec"}


def test_every_kind_is_in_the_pool():
    kinds = {d["kind"] for d in CERTS.values()}
    verdicts = {(d["kind"], d["verdict"]) for d in CERTS.values()}
    assert kinds == {"epsilon-delta-local-nash", "kantorovich", "differential-nash", "local-minimax"}
    assert len(verdicts) >= 9


@pytest.mark.parametrize("name", sorted(CERTS))
def test_untampered_certificates_round_trip(name):
    res = check_certificate(copy.deepcopy(CERTS[name]))
    assert res.ok, res.message
    assert res.method == EXPECTED_METHOD.get(name, "exact-rational")
    assert res.line().startswith("OK: certificate re-verified (")


def _numeric_leaves(doc, path=()):
    if isinstance(doc, dict):
        for k, v in doc.items():
            if k in NON_BINDING:
                continue
            yield from _numeric_leaves(v, (*path, k))
    elif isinstance(doc, list):
        for k, v in enumerate(doc):
            yield from _numeric_leaves(v, (*path, k))
    elif isinstance(doc, (bool, int, float)) or doc in ("inf", "-inf"):
        yield path


def _set(doc, path, value):
    for k in path[:-1]:
        doc = doc[k]
    doc[path[-1]] = value


def _get(doc, path):
    for k in path:
        doc = doc[k]
    return doc


def _perturb(v, r, sign):
    """A change of at least 1e-6 (absolute, and relative to max(1, |v|))."""
    if isinstance(v, bool):
        return not v
    if isinstance(v, int):
        return v + sign
    if v in ("inf", "-inf"):
        return 1.0
    return v + sign * max(abs(v) * r, 1e-6 * max(1.0, abs(v)))


def _provably_irrelevant(name, doc0, doc, path) -> bool:
    """The documented cases where a changed number cannot change the claim (the docstring of
    certificates._check lists them); each is confirmed here by an independent computation."""
    key = path[-1] if isinstance(path[-1], str) else path[-2]
    game = game_from_dict(doc0["game_spec"]) if not doc0["game_spec"].get("callable") else None
    if key == "feas_tol":  # only loosened, and every recorded point is exactly feasible
        feasible = game is None or game.domain is None or game.domain.violation(np.array(doc0["point"])) == 0
        return doc["feas_tol"] > doc0["feas_tol"] and feasible
    if key == "step":  # residuals at rounding level for every step (zero or outward gradients)
        scale = max(1.0, float(np.max(np.abs(doc0["point"]))))
        return all(p["residual"] <= 1e-12 * scale for p in doc0["players"])
    if key == "direction":  # <g, y> = 0 for every y when g = 0
        return not any(doc0["players"][path[1]]["gradient"])
    if key == "dual":  # a different w giving the same bound (support recomputed by the set)
        i = path[1]
        S = game.player_set(i, np.array(doc0["point"]))
        xi = np.array(doc0["point"])[game.block_slices[i]]
        d = doc0["delta"]

        def bound(w):
            w = np.array(w)
            return d * np.linalg.norm(np.array(doc0["players"][i]["gradient"]) - w) + S.support(
                w, within=(xi - d, xi + d)) - w @ xi

        return abs(bound(doc["players"][i]["dual"]) - bound(doc0["players"][i]["dual"])) <= 1e-12
    if key == "delta":  # L = 0 and a delta-independent bound: re-certify with the new delta
        again = certify_local_nash(game, doc0["point"], eps=doc0["eps"], delta=doc["delta"])
        return again.verdict.value == doc0["verdict"] and all(p["smoothness"] == 0 for p in doc0["players"])
    if key == "witness" and path[0] in ("hessians", "leader", "follower"):  # any valid witness
        return True  # (the checker re-proves v^T M v - |v|^T R |v| has the wrong sign)
    if key == "point" and doc0["game_spec"].get("callable"):  # trusted oracle values
        return True
    k0 = doc0.get("kantorovich") or doc0
    if key == "radius" and k0["verdict"] == "INCONCLUSIVE":
        return True  # nothing is claimed
    return False


@settings(max_examples=300 * FUZZ_SCALE, deadline=None)
@given(st.sampled_from(sorted(CERTS)), st.data(), st.floats(1e-6, 1.0), st.sampled_from([-1, 1]))
def test_tampering_with_any_binding_number_is_rejected(name, data, r, sign):
    doc = copy.deepcopy(CERTS[name])
    leaves = list(_numeric_leaves(doc))
    path = data.draw(st.sampled_from(leaves))
    old = _get(doc, path)
    _set(doc, path, _perturb(old, r, sign))
    res = check_certificate(doc)
    if res.ok:
        assert _provably_irrelevant(name, CERTS[name], doc, path), (
            f"{name}: changing {path} from {old!r} was accepted")
    else:
        assert res.line().startswith("REJECTED: ") and "\n" not in res.line()


def test_tampering_exhaustively_over_every_leaf():
    """Every numeric leaf of every certificate, four perturbations each (deterministic)."""
    n_rejected = n_leaves = 0
    for name, doc0 in CERTS.items():
        for path in _numeric_leaves(doc0):
            for r, sign in ((1e-6, 1), (1e-6, -1), (0.5, 1), (0.5, -1)):
                doc = copy.deepcopy(doc0)
                _set(doc, path, _perturb(_get(doc, path), r, sign))
                n_leaves += 1
                if check_certificate(doc).ok:
                    assert _provably_irrelevant(name, doc0, doc, path), (name, path, r, sign)
                else:
                    n_rejected += 1
    assert n_rejected >= 0.9 * n_leaves


@pytest.mark.parametrize("name", sorted(CERTS))
@pytest.mark.parametrize("verdict", ["VERIFIED", "REFUTED", "INCONCLUSIVE"])
def test_flipped_verdicts_are_rejected(name, verdict):
    doc = copy.deepcopy(CERTS[name])
    if doc["verdict"] == verdict:
        return
    doc["verdict"] = verdict
    assert not check_certificate(doc).ok


@settings(max_examples=60 * FUZZ_SCALE, deadline=None)
@given(st.sampled_from(["saddle-verified", "pennies-verified", "exp-verified", "dne-verified",
                        "minimax-verified"]), st.data(), st.floats(1e-6, 1.0), st.sampled_from([-1, 1]))
def test_tampering_with_the_game_changes_the_claim_or_is_rejected(name, data, r, sign):
    """A changed game definition is either rejected, or the claim provably holds for the
    changed game too (re-certified from scratch with the producing code)."""
    doc = copy.deepcopy(CERTS[name])
    leaves = [p for p in _numeric_leaves(doc["game_spec"]) if p and p[-1] != "smoothness"
              and "smoothness" not in p]
    if not leaves:
        return
    path = data.draw(st.sampled_from(leaves))
    _set(doc["game_spec"], path, _perturb(_get(doc["game_spec"], path), r, sign))
    res = check_certificate(doc)
    if res.ok:
        game = game_from_dict(doc["game_spec"])
        if doc["kind"] == "epsilon-delta-local-nash":
            again = certify_local_nash(game, doc["point"], eps=doc["eps"], delta=doc["delta"])
        elif doc["kind"] == "differential-nash":
            again = certify_differential_nash(game, doc["point"])
        else:
            again = certify_local_minimax(game, doc["point"])
        assert again.verdict.value == doc["verdict"]


def test_expression_whitelist_blocks_code():
    doc = copy.deepcopy(CERTS["saddle-verified"])
    doc["game_spec"]["minmax"]["f"] = "__import__('os').system('echo pwned')"
    res = check_certificate(doc)
    assert not res.ok and "not allowed" in res.message


def test_human_written_expressions_parse():
    doc = copy.deepcopy(CERTS["saddle-verified"])
    doc["game_spec"]["minmax"]["f"] = "x**2/2 + 10*x*y - y**2/2"
    assert check_certificate(doc).ok


@pytest.mark.parametrize(
    "mutate, needle",
    [
        (lambda d: d.pop("game_spec"), "game definition"),
        (lambda d: d.update(schema="localeq.certificate/0"), "schema"),
        (lambda d: d.update(kind="no-such-kind"), "unsupported kind"),
        (lambda d: d.update(players="x"), "players"),
        (lambda d: d.update(point=[0.0]), "point"),
        (lambda d: d["players"][0].update(dual=["a"]), "dual"),
        (lambda d: d.update(witness={"player": 0}), "witness"),
    ],
)
def test_malformed_documents_are_rejected_with_a_reason(mutate, needle):
    doc = copy.deepcopy(CERTS["saddle-verified"])
    mutate(doc)
    res = check_certificate(doc)
    assert not res.ok and needle in res.message


def test_non_object_json_is_rejected():
    assert not check_certificate([1, 2]).ok
    assert "JSON object" in check_certificate("x").message


def test_truncated_and_unreadable_files(tmp_path):
    p = tmp_path / "c.json"
    text = json.dumps(CERTS["saddle-verified"])
    p.write_text(text[: len(text) // 2])
    with pytest.raises(InvalidArgument, match="not valid JSON"):
        check_file(p)
    with pytest.raises(InvalidArgument, match="cannot read"):
        check_file(tmp_path / "missing.json")
    p.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(InvalidArgument):
        check_file(p)


def test_every_certificate_matches_the_json_schema():
    jsonschema = pytest.importorskip("jsonschema")
    from pathlib import Path

    import certificates

    schema = json.loads((Path(certificates.__file__).parent / "schema" / "certificate-1.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    for name, doc in CERTS.items():
        jsonschema.validate(doc, schema), name
    bad = copy.deepcopy(CERTS["saddle-verified"])
    bad["verdict"] = "PROBABLY"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


@pytest.mark.parametrize("exp", [-700, -640, -320, -300, 0, 300, 400, 616, 700])
def test_checker_square_roots_outside_the_float_range(exp):
    """The checker's rounded square roots bracket sqrt(q) exactly (compared by squaring in
    rationals) even where float(q) overflows or underflows (sums of squares of |g| ~ 1e200);
    inside the float range they are adjacent floats."""
    from fractions import Fraction

    from certificates._check import _sqrt_down, _sqrt_up

    for mant in (Fraction(1), Fraction(2), Fraction(7, 3)):
        q = mant * Fraction(10) ** exp
        up, down = _sqrt_up(q), _sqrt_down(q)
        assert down * down <= q <= up * up
        if -600 < exp < 600:
            assert up - down <= down * Fraction(1, 2**51)
