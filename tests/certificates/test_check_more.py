"""The independent checker on local-CCE, linear-deviation and small-gain certificate files.

Untampered certificates of every kind, family, method and verdict check OK; changing any binding
number (exhaustively and under Hypothesis), flipping a verdict or planting a wrong LP / SDP dual is
rejected. The few accepted changes are the documented non-binding cases of
``certificates._check``; each acceptance is confirmed here by an independent computation. A changed
game definition is rejected or the claim is re-established for the changed game, and the checker
modules import none of the certifiers (``certificates._linear`` in particular).
"""

from __future__ import annotations

import ast
import contextlib
import copy
import json
import os
import re
from fractions import Fraction

import cvxpy as cp
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from certificates._cce import certify_local_cce, gradient_self_play
from certificates._check import SUPPORTED_KINDS, check_certificate, check_file
from certificates._linear import (
    certify_linear_deviation,
    check_ball_dual,
    check_linear_dual,
    linear_stats_exact,
)
from certificates._small_gain import (
    certify_small_gain,
    constants_from_jacobian,
    estimate_small_gain_constants,
    exact_small_gain_constants,
    small_gain_constants,
)
from constructions import (
    Ball,
    Box,
    Polytope,
    ProductSet,
    game_from_callables,
    game_from_sympy,
    matching_pennies,
    normal_form_game,
    prisoners_dilemma,
)
from constructions._gamefile import game_from_dict

#: CI (CI=true) fuzzes 5x harder than a local run (thousands of examples)
FUZZ_SCALE = 5 if os.environ.get("CI") else 1

R = sp.Rational
x1, x2, y1, y2 = sp.symbols("x1 x2 y1 y2")
BOXES = ProductSet([Box([-1, -1], [1, 1]), Box([-1, -1], [1, 1])])
NONCONCAVE = game_from_sympy(
    [
        R(3, 10) * sp.cos(3 * x1)
        - (x1 - y1 / 2) ** 2
        + R(1, 5) * sp.sin(2 * x2)
        - x2**2
        + R(3, 10) * x2 * y2,
        R(3, 10) * sp.cos(3 * y2)
        - (y2 + x2 / 2) ** 2
        + R(1, 5) * sp.sin(2 * y1)
        - y1**2
        - R(3, 10) * x1 * y1,
    ],
    [[x1, x2], [y1, y2]],
    domain=BOXES,
    name="nonconcave",
)
CUBIC = game_from_sympy(
    [x1 - x1**3 + x1 * y1 / 2 - x2**2, -((y1 - x1 / 3) ** 2) + y1**3 / 5 + y2 - y2**2],
    [[x1, x2], [y1, y2]],
    domain=BOXES,
    name="rational cubic",
)
PTS4 = [[1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 0, 1], [0, 1, 1, 0]]


def lin_grad(x):
    return np.array([1.0 - x[0], -x[1]])


#: the callable games of the pool, by name, as functions of (domain, dims): a file holds only their
#: domain, so the game-tampering test rebuilds them around a changed domain from these
CALLABLE_GAMES = {
    "ball-callable": lambda dom, dims=(2,): game_from_callables(
        [lambda x: float(x[0])],
        [lambda x: np.array([1.0, 0.0])],
        dims=list(dims),
        domain=dom,
        smoothness=0.0,
        name="ball-callable",
    ),
    "box-c": lambda dom, dims=(2,): game_from_callables(
        [lambda x: 0.0], [lin_grad], dims=list(dims), domain=dom, name="box-c"
    ),
    "ball-c": lambda dom, dims=(2,): game_from_callables(
        [lambda x: 0.0], [lin_grad], dims=list(dims), domain=dom, name="ball-c"
    ),
    "tri": lambda dom, dims=(2,): game_from_callables(
        [lambda x: 0.0], [lambda x: np.array([1.0, -0.5])], dims=list(dims), domain=dom, name="tri"
    ),
}
BALLG = CALLABLE_GAMES["ball-callable"](Ball([0.0, 0.0], 1.0))
NOL = game_from_callables(
    [lambda x: float(x[0])], [lambda x: np.array([1.0])], dims=[1], domain=Box([0], [1])
)
LBOX = CALLABLE_GAMES["box-c"](Box([-1, -1], [1, 1]))
LBALL = CALLABLE_GAMES["ball-c"](Ball([0, 0], 1.0))
LPOLY = CALLABLE_GAMES["tri"](ProductSet([Polytope([[1.0, 1.0]], [1.0], lo=[0.0, 0.0])]))
BILIN = game_from_sympy(
    [x1 * y1 - x1**2 / 4 + x2 * y2, -x1 * y1 + y2 * x1 / 2 - y2**2 / 8],
    [[x1, x2], [y1, y2]],
    domain=BOXES,
    name="rational box",
)
PD_LIKE = normal_form_game(np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], dtype=float))


@contextlib.contextmanager
def broken_solver():
    orig = cp.Problem.solve

    def boom(self, *a, **k):
        raise cp.error.SolverError("simulated backend crash")

    cp.Problem.solve = boom
    try:
        yield
    finally:
        cp.Problem.solve = orig


def quadratic3():
    xs = sp.symbols("a1 a2 b1 b2 c1 c2")
    a, b, c = xs[:2], xs[2:4], xs[4:]
    f1 = a[0] ** 2 / 2 + a[1] ** 2 + 4 * a[0] * b[0] - 4 * a[1] * b[1] + R(1, 2) * a[0] * c[1]
    f2 = b[0] ** 2 + b[1] ** 2 / 2 + R(1, 20) * b[0] * a[0] + R(1, 10) * b[1] * a[1] + 5 * b[1] * c[0]
    f3 = c[0] ** 2 + c[1] ** 2 + R(1, 10) * c[0] * b[1] + R(1, 100) * c[1] * a[0]
    return game_from_sympy([-f1, -f2, -f3], [a, b, c], name="non-monotone quadratic")


def certs():
    cce, lin, sg = certify_local_cce, certify_linear_deviation, certify_small_gain
    rng = np.random.default_rng(0)
    play = gradient_self_play(NONCONCAVE, [0.9, -0.9, -0.9, 0.9], rounds=4, step=0.3)
    Xr = rng.uniform(-0.5, 0.5, size=(3, 4))
    devs = [[np.array([0.05, 0.0]), np.array([0.0, -0.05])], [np.array([0.03, 0.03])]]
    out = {
        "cce-mp-int-verified": cce(matching_pennies(), PTS4, eps=1e-9, delta=0.1),
        "cce-mp-int-refuted": cce(matching_pennies(), [[1, 0, 0, 1]], eps=1e-3, delta=0.1),
        "cce-mp-proj-inconclusive": cce(matching_pennies(), PTS4, eps=1e-9, delta=0.1, family="proj"),
        "cce-mp-proj-refuted": cce(matching_pennies(), [[1, 0, 0, 1]], eps=1e-3, delta=0.1, family="proj"),
        "cce-selfplay-int-verified": cce(NONCONCAVE, play.points, eps=0.5, delta=0.05, n_random=2),
        "cce-selfplay-int-refuted": cce(NONCONCAVE, play.points, eps=1e-3, delta=0.05, n_random=2),
        "cce-cubic-proj-verified": cce(
            CUBIC, Xr, [0.5, 0.25, 0.25], eps=0.5, delta=0.05, family="proj", n_random=2, ascent_steps=2
        ),
        "cce-cubic-proj-refuted": cce(
            CUBIC,
            np.vstack([Xr[:2], [[1.0, 0.2, -1.0, 0.3]]]),
            eps=1e-3,
            delta=0.05,
            family="proj",
            n_random=2,
            ascent_steps=2,
        ),
        "cce-cubic-finite-verified": cce(CUBIC, Xr, eps=0.5, delta=0.1, family="finite", deviations=devs),
        "cce-cubic-finite-refuted": cce(CUBIC, Xr, eps=1e-4, delta=0.1, family="finite", deviations=devs),
        "cce-ball-callable-verified": cce(
            BALLG, [[0.0, 0.0], [0.2, 0.1]], eps=0.1, delta=0.05, family="proj"
        ),
        "cce-ball-callable-refuted": cce(
            BALLG, [[0.0, 0.0], [0.2, 0.1], [1.0, 0.0]], eps=0.01, delta=0.05, family="proj"
        ),
        "cce-callable-inconclusive": cce(NOL, [[0.5]], eps=10.0, delta=0.1),
        "lin-pd-verified": lin(prisoners_dilemma(), [[0, 1, 0, 1]], eps=1e-9),
        "lin-pd-refuted": lin(prisoners_dilemma(), [[1, 0, 1, 0]], eps=1e-3),
        "lin-nf-lp-inconclusive": lin(
            PD_LIKE, [[0.3, 0.7, 0.6, 0.4], [0.9, 0.1, 0.2, 0.8]], eps=0.1, method="lp"
        ),
        "lin-pd-lp-verified": lin(prisoners_dilemma(), [[0, 1, 0, 1]], eps=1e-9, method="lp"),
        "lin-box-callable-verified": lin(LBOX, [[1.0, 0.0], [0.5, 0.5]], eps=10.0),
        "lin-box-lp-verified": lin(LBOX, [[1.0, 0.0], [0.5, 0.5]], eps=10.0, method="lp"),
        "lin-ball-sdp-verified": lin(LBALL, [[0.6, 0.0], [0.0, 0.5]], eps=10.0),
        "lin-polytope-lp-verified": lin(LPOLY, [[0.2, 0.2], [0.0, 1.0]], eps=10.0),
        "lin-sympy-box-refuted": lin(BILIN, Xr, eps=1e-3),
        "lin-sympy-box-verified": lin(BILIN, Xr, eps=10.0),
        "sg-declared-verified": sg(small_gain_constants([1, 1], [[0, 10], [0.05, 0]], [1, 10])),
        "sg-declared-refuted": sg(small_gain_constants([1, 1], [[0, 10], [0.2, 0]])),
        "sg-declared-no-norms": sg(
            small_gain_constants([2, 3, 1.5], [[0, 1, 0.5], [1, 0, 0.2], [0.3, 0.1, 0]])
        ),
        "sg-poor-weights-inconclusive": sg(
            small_gain_constants([1, 1], [[0, 10], [0.05, 0]], [1, 10]), weights=[1.0, 1.0]
        ),
        "sg-jacobian-verified": sg(constants_from_jacobian([[1.0, 10.0], [0.05, 1.0]], [1, 1])),
        "sg-exact-game-verified": sg(exact_small_gain_constants(quadratic3(), -np.ones(6), np.ones(6))),
        "sg-estimate-inconclusive": sg(
            estimate_small_gain_constants(quadratic3(), -np.ones(6), np.ones(6), n_samples=3)
        ),
    }
    with broken_solver():
        out["lin-solver-failed-inconclusive"] = lin(LPOLY, [[0.2, 0.2]], eps=10.0)
    return out


CERTS = {k: json.loads(c.to_json()) for k, c in certs().items()}

#: free text, not binding (documented in certificates._check)
NON_BINDING = {
    "reasons",
    "assumptions",
    "method",
    "game",
    "smoothness_note",
    "evaluation",
    "extra",
    "game_spec",
    "constants_source",
    "region",
    "solver_message",
}


def test_the_pool_covers_every_kind_family_method_and_verdict():
    kinds = {(d["kind"], d["verdict"]) for d in CERTS.values()}
    assert {k for k, _ in kinds} == {"local-cce", "linear-deviation", "small-gain"}
    assert {"local-cce", "linear-deviation", "small-gain"} <= set(SUPPORTED_KINDS)
    for kind in ("local-cce", "linear-deviation", "small-gain"):
        assert {v for k, v in kinds if k == kind} == {"VERIFIED", "REFUTED", "INCONCLUSIVE"}
    assert {d["family"] for d in CERTS.values() if d["kind"] == "local-cce"} == {"int", "proj", "finite"}
    assert {p["method"] for d in CERTS.values() if d["kind"] == "linear-deviation" for p in d["players"]} == {
        "closed-form",
        "lp-dual",
        "sdp-dual",
    }
    assert {
        p["set_kind"] for d in CERTS.values() if d["kind"] == "linear-deviation" for p in d["players"]
    } == {"simplex", "box", "ball", "polytope"}


@pytest.mark.parametrize("name", sorted(CERTS))
def test_untampered_certificates_check_ok(name):
    res = check_certificate(copy.deepcopy(CERTS[name]))
    assert res.ok, res.message
    callable_game = (CERTS[name].get("game_spec") or {}).get("callable")
    assert (res.method == "trusted-gradients") == bool(callable_game)
    if callable_game:
        assert any("trusted" in a for a in res.assumptions)


# ---------------------------------------------------------------------------------
# tampering
# ---------------------------------------------------------------------------------


def _leaves(doc, path=()):
    if isinstance(doc, dict):
        for k, v in doc.items():
            if k not in NON_BINDING:
                yield from _leaves(v, (*path, k))
    elif isinstance(doc, list):
        for k, v in enumerate(doc):
            yield from _leaves(v, (*path, k))
    elif isinstance(doc, (bool, int, float)) or doc in ("inf", "-inf", "nan"):
        yield path


def _get(doc, path):
    for k in path:
        doc = doc[k]
    return doc


def _set(doc, path, value):
    _get(doc, path[:-1])[path[-1]] = value


def _perturb(v, r, sign):
    if isinstance(v, bool):
        return not v
    if isinstance(v, int):
        return v + sign
    if v in ("inf", "-inf", "nan"):
        return 1.0
    return v + sign * max(abs(v) * r, 1e-6 * max(1.0, abs(v)))


def _game(doc):
    spec = doc.get("game_spec")
    return None if spec is None or spec.get("callable") else game_from_dict(spec)


def _stats(doc, i, reduced=False):
    """Exact (M, gbar, s) of player i from the recorded points, weights and gradients."""
    spec = doc["game_spec"]
    dims = (
        spec.get("dims") or [len(b) for b in spec.get("players", [])] or list(np.shape(spec["payoffs"])[1:])
    )
    start = int(sum(dims[:i]))
    X = np.array(doc["points"])[:, start : start + dims[i]]
    G = np.array(doc["players"][i]["gradients"])
    if reduced:
        X = X[:, :-1]
        G = [[Fraction(a) - Fraction(g[-1]) for a in g[:-1]] for g in G]
    return linear_stats_exact(doc["weights"], X, G)


def _expected_gain(doc, i, targets, game=None):
    """sum_k p_k [u_i(x^k with block i at targets[k]) - u_i(x^k)] in ``game`` (default: the record's)."""
    game = _game(doc) if game is None else game
    X = np.array(doc["points"], dtype=float)
    sl = game.block_slices[i]
    out = 0.0
    for pk, x, t in zip(doc["weights"], X, targets, strict=True):
        z = x.copy()
        z[sl] = t
        out += pk * (game.utility(i, z) - game.utility(i, x))
    return out


def _deviation_value(doc, i, dev):
    """Float expected gain of a recorded CCE deviation (witness / search_best)."""
    game = _game(doc)
    X = np.array(doc["points"])
    Xi = X[:, game.block_slices[i]]
    S = game.player_set(i, X[0])
    if doc["family"] == "int":
        targets = (1 - dev["lam"]) * Xi + dev["lam"] * np.array(dev["parameter"])
    elif doc["family"] == "proj":
        targets = np.array([S.project(x + np.array(dev["parameter"])) for x in Xi])
    else:
        v = np.array(doc["deviations"][i][int(dev["parameter"][0])])
        targets = np.array([S.project(x + v) for x in Xi])
    return _expected_gain(doc, i, targets)


def _recertify_cce(game, doc, *, delta):
    """certify_local_cce again on the record's points, weights, eps, family and deviations (no search)."""
    devs = None if doc["deviations"] is None else [[np.array(v) for v in m] for m in doc["deviations"]]
    return certify_local_cce(game, doc["points"], doc["weights"], eps=doc["eps"], delta=delta,
                             family=doc["family"], deviations=devs, search=False)


def _provably_irrelevant(name, doc0, doc, path) -> bool:
    """The documented non-binding cases of certificates._check (new kinds); each is confirmed by
    an independent computation."""
    kind = doc0["kind"]
    keys = [k for k in path if isinstance(k, str)]
    key = keys[-1]
    callable_game = (doc0.get("game_spec") or {}).get("callable")
    # (1) an INCONCLUSIVE record without a finite bound claims nothing
    if doc0["verdict"] == "INCONCLUSIVE" and doc0.get("epsilon_upper") == "inf":
        return True
    if kind == "local-cce":
        i = path[1] if path[0] == "players" else None
        # (2) delta, when the bound does not depend on it: re-certify with the changed delta
        if key == "delta":
            again = _recertify_cce(_game(doc0), doc0, delta=doc["delta"])
            return again.verdict.value == doc0["verdict"] or doc0["verdict"] == "REFUTED"
        # (3) callable games: evaluated gains are trusted oracle values; a point / parameter change
        # that leaves every recomputed statistic unchanged is accepted
        if callable_game:
            if keys[0] in ("witness",) or "search_best" in keys:
                return True
            if key == "points":
                g = [np.array(p["gradients"]) for p in doc0["players"]]
                k, j = path[1], path[2]
                return all(gi[k][j] == 0 for gi in g)  # the coordinate meets a zero gradient
        # (4) a parameter with the same re-evaluated value (another witness of the same number)
        if key == "linear_witness" and doc0["family"] == "proj":
            game = _game(doc0)
            X = np.array(doc0["points"])
            S = game.player_set(i, X[0])
            Xi = X[:, game.block_slices[i]]
            G = np.array(doc0["players"][i]["gradients"])

            def val(v):
                return float(
                    np.sum(
                        np.array(doc0["weights"])
                        * np.sum(G * (np.array([S.project(x + np.array(v)) for x in Xi]) - Xi), axis=1)
                    )
                )

            return (
                abs(val(doc["players"][i]["linear_witness"]) - val(doc0["players"][i]["linear_witness"]))
                <= 1e-15
            )
        if "search_best" in keys:
            a = _deviation_value(doc0, i, doc0["players"][i]["search_best"])
            b = _deviation_value(doc, i, doc["players"][i]["search_best"])
            return abs(a - b) <= 1e-15
        # (5) finite family of an evaluable game: smoothness / gradient_error enter only the
        # linearised route, which is not the minimum (point_bounds match the evaluated gains)
        if doc0["family"] == "finite" and key in ("smoothness", "gradient_error") and not callable_game:
            return True
        return False
    if kind == "linear-deviation":
        i = path[1] if path[0] == "players" else None
        pl = doc0["players"][i] if i is not None else None
        # (6) LP / SDP: the solver's own objective estimate proves nothing
        if key == "value" and pl["method"] in ("lp-dual", "sdp-dual"):
            return True
        # (7) LP / SDP primal witness entries whose gain coefficient is zero (float estimates)
        if key in ("witness_A", "witness_b") and pl["method"] in ("lp-dual", "sdp-dual"):
            st_ = _stats(doc0, i, reduced=pl["set_kind"] == "simplex" and pl["method"] == "lp-dual")
            coef = st_.M[path[3]][path[4]] if key == "witness_A" else st_.gbar[path[3]]
            return coef == 0
        # (8) another dual with the same exactly checked bound
        if "dual" in keys:

            def bound(d):
                p = d["players"][i]
                if pl["method"] == "sdp-dual":
                    spec = doc0["game_spec"]["domain"]
                    ball = spec["sets"][i] if spec.get("type") == "product" else spec
                    st_ = _stats(d, i)
                    return check_ball_dual(
                        st_.M,
                        st_.gbar,
                        st_.s,
                        ball["center"],
                        ball["radius"],
                        p["dual"]["S11"],
                        p["dual"]["S22"],
                        p["dual"]["eta"],
                        None,
                    ).bound
                st_ = _stats(d, i, reduced=pl["set_kind"] == "simplex")
                return check_linear_dual(
                    p["polytope_C"],
                    p["polytope_c"],
                    st_.M,
                    st_.gbar,
                    st_.s,
                    p["dual"]["Y"],
                    p["dual"]["z"],
                    p["dual"]["y"],
                    p["dual"]["x0"],
                    None,
                ).bound

            b0, b1 = bound(doc0), bound(doc)
            return b1 is not None and abs(b1 - b0) <= Fraction(1, 10**9) * abs(b0) + Fraction(1, 10**12)
        # (3) callable games: data changes that leave the exact statistics unchanged
        if callable_game and key in ("points", "gradients"):
            return all(
                _stats(doc, j) == _stats(doc0, j) or _closed_value(doc, j) == _closed_value(doc0, j)
                for j in range(len(doc0["players"]))
            )
        return False
    # small gain
    if key == "weights":  # (9) the recorded alpha and beta hold for the changed weights too
        w = np.array(doc["weights"])
        mu, L = np.array(doc0["mu"]), np.array(doc0["couplings"])
        C = 2 * np.diag(w * mu) - (w[:, None] * L + (w[:, None] * L).T)
        Wh = np.diag(1 / np.sqrt(w))
        ok = (
            0.5 * np.linalg.eigvalsh(Wh @ C @ Wh)[0] >= float(doc0["alpha"]) - 1e-12
            if doc0["alpha"] != "-inf"
            else True
        )
        if doc0["norms"] is not None:
            N = L + np.diag(doc0["norms"])
            B = np.sqrt(w[:, None] / w[None, :]) * N
            ok = ok and np.linalg.norm(B, 2) <= doc0["beta"] * (1 + 1e-12)
        return bool(ok)
    if key == "constants_estimate":  # (10) INCONCLUSIVE either way
        return doc0["verdict"] == "INCONCLUSIVE" and doc["constants_estimate"] is True
    if keys[:1] == ["constants_evidence"] and key in ("lo", "hi"):  # (11) constant Jacobian: box-free
        game = game_from_dict(doc0["constants_evidence"]["game_spec"])
        data = game.sympy_data
        return all(
            not sp.diff(u, a, b).free_symbols
            for u in data.utilities
            for a in data.symbols
            for b in data.symbols
        )
    return False


def _closed_value(doc, i):
    from certificates._linear import linear_gain_box, linear_gain_simplex

    st_ = _stats(doc, i)
    spec = doc["game_spec"]["domain"]
    S = spec["sets"][i] if spec.get("type") == "product" else spec
    if S.get("type") == "box":
        return linear_gain_box(st_, S["lo"], S["hi"])[0]
    if S.get("type") == "simplex":
        return linear_gain_simplex(st_)[0]
    return None


def _check_tampered(name, path, r, sign):
    doc = copy.deepcopy(CERTS[name])
    old = _get(doc, path)
    _set(doc, path, _perturb(old, r, sign))
    res = check_certificate(doc)
    if res.ok:
        assert _provably_irrelevant(name, CERTS[name], doc, path), (
            f"{name}: changing {path} from {old!r} was accepted"
        )
        return False
    assert res.line().startswith("REJECTED: ") and "\n" not in res.line()
    return True


def test_tampering_exhaustively_over_every_leaf():
    """Every numeric leaf of every certificate, a tiny and a large change (signs alternate)."""
    n_rejected = n = 0
    for name in sorted(CERTS):
        for k, path in enumerate(_leaves(CERTS[name])):
            sign = 1 if k % 2 else -1
            for r, s in ((1e-6, sign), (0.5, -sign)):
                n += 1
                n_rejected += _check_tampered(name, path, r, s)
    assert n_rejected >= 0.9 * n


@settings(max_examples=200 * FUZZ_SCALE, deadline=None)
@given(st.sampled_from(sorted(CERTS)), st.data(), st.floats(1e-6, 1.0), st.sampled_from([-1, 1]))
def test_tampering_with_any_binding_number_is_rejected(name, data, r, sign):
    path = data.draw(st.sampled_from(list(_leaves(CERTS[name]))))
    _check_tampered(name, path, r, sign)


@pytest.mark.parametrize("name", sorted(CERTS))
@pytest.mark.parametrize("verdict", ["VERIFIED", "REFUTED", "INCONCLUSIVE"])
def test_flipped_verdicts_are_rejected(name, verdict):
    doc = copy.deepcopy(CERTS[name])
    if doc["verdict"] == verdict:
        return
    doc["verdict"] = verdict
    assert not check_certificate(doc).ok


# ---------------------------------------------------------------------------------
# tampering with the game definition
# ---------------------------------------------------------------------------------

#: every certificate of the three kinds that claims something (VERIFIED / REFUTED) about a game
#: the file defines (game_spec, or constants_evidence.game_spec for small gain)
GAME_NAMES = sorted(
    name
    for name, doc in CERTS.items()
    if doc["verdict"] in ("VERIFIED", "REFUTED")
    and (doc.get("game_spec") is not None or (doc.get("constants_evidence") or {}).get("game_spec"))
)
_LITERAL = re.compile(r"Integer\((-?\d+)\)|Rational\((-?\d+), (\d+)\)")


def _spec_path(doc):
    return ("game_spec",) if doc.get("game_spec") is not None else ("constants_evidence", "game_spec")


def _game_sites(spec, path=()):
    """Numeric leaves of a game definition (declared smoothness excepted, as in test_check) and the
    integer / rational literals inside its sympy utilities, as (path, literal index or None)."""
    if isinstance(spec, dict):
        for k, v in spec.items():
            if k not in ("smoothness", "name", "format"):
                yield from _game_sites(v, (*path, k))
    elif isinstance(spec, list):
        for k, v in enumerate(spec):
            yield from _game_sites(v, (*path, k))
    elif isinstance(spec, (bool, int, float)) or spec in ("inf", "-inf"):
        yield path, None
    elif isinstance(spec, str):
        for j, _ in enumerate(_LITERAL.finditer(spec)):
            yield path, j


def _change_literal(text, j, sign):
    m = list(_LITERAL.finditer(text))[j]
    if m.group(1) is not None:
        new = f"Integer({int(m.group(1)) + sign})"
    else:
        new = f"Rational({int(m.group(2)) + sign}, {m.group(3)})"
    return text[: m.start()] + new + text[m.end() :]


def _rebuild(spec):
    """The game of a (tampered) definition; callable games are rebuilt around the file's domain."""
    if spec.get("callable"):
        from constructions._gamefile import _set_from_dict

        return CALLABLE_GAMES[spec["name"]](_set_from_dict(spec["domain"], "domain"), spec["dims"])
    return game_from_dict(spec)


def _cce_witness_gain(game, doc):
    """Float expected gain of the recorded refuting deviation in ``game``, after checking that the
    deviation is admissible there (in the set, delta-local)."""
    wit = doc["witness"]
    i, delta = wit["player"], doc["delta"]
    X = np.array(doc["points"], dtype=float)
    sl = game.block_slices[i]
    S = game.player_set(i, X[0])
    if doc["family"] == "int":
        z, lam = np.array(wit["parameter"], dtype=float), wit["lam"]
        assert S.violation(z) <= 1e-9 and lam * S.diameter() <= delta * (1 + 1e-12)
        targets = (1 - lam) * X[:, sl] + lam * z
    else:
        if doc["family"] == "proj":
            v = np.array(wit["parameter"], dtype=float)
        else:
            v = np.array(doc["deviations"][i][int(wit["parameter"][0])], dtype=float)
        assert np.linalg.norm(v) <= delta * (1 + 1e-12)
        targets = np.array([S.project(x[sl] + v) for x in X])
    return _expected_gain(doc, i, targets, game=game)


def _claim_holds_for(doc):
    """Re-establish the file's claim from scratch for the (tampered) game it now defines: small gain
    and linear deviations by re-certifying with the producing code, VERIFIED local CCEs likewise,
    REFUTED local CCEs by evaluating the recorded witness in the changed game."""
    kind, verdict = doc["kind"], doc["verdict"]
    if kind == "small-gain":
        ev = doc["constants_evidence"]
        consts = exact_small_gain_constants(game_from_dict(ev["game_spec"]), ev["lo"], ev["hi"])
        return certify_small_gain(consts, alpha_min=doc["alpha_min"]).verdict.value == verdict
    game = _rebuild(doc["game_spec"])
    if kind == "linear-deviation":
        lp = any(p["method"] == "lp-dual" and p["set_kind"] in ("simplex", "box") for p in doc["players"])
        again = certify_linear_deviation(
            game, doc["points"], doc["weights"], eps=doc["eps"], method="lp" if lp else "auto"
        )
        return again.verdict.value == verdict
    if verdict == "REFUTED":
        return _cce_witness_gain(game, doc) > doc["eps"]
    return _recertify_cce(game, doc, delta=doc["delta"]).verdict.value == verdict


def _tamper_game(name, site, r, sign):
    doc = copy.deepcopy(CERTS[name])
    spec = _get(doc, _spec_path(doc))
    path, j = site
    old = _get(spec, path)
    _set(spec, path, _perturb(old, r, sign) if j is None else _change_literal(old, j, sign))
    return doc


def _check_game_tampering(name, site, r, sign):
    doc = _tamper_game(name, site, r, sign)
    res = check_certificate(doc)
    if res.ok:
        assert _claim_holds_for(doc), f"{name}: changing the game at {site} was accepted"
    else:
        assert res.line().startswith("REJECTED: ") and "\n" not in res.line()
    return res.ok


def test_the_game_tampering_pool_covers_every_kind_and_both_claims():
    kinds = {(CERTS[n]["kind"], CERTS[n]["verdict"]) for n in GAME_NAMES}
    assert {k for k, _ in kinds} == {"local-cce", "linear-deviation", "small-gain"}
    assert {("local-cce", "REFUTED"), ("linear-deviation", "REFUTED")} <= kinds
    assert all(list(_game_sites(_get(CERTS[n], _spec_path(CERTS[n])))) for n in GAME_NAMES)
    # the literal sites reach the sympy utilities (the small-gain game has no numeric leaf at all)
    sg = [n for n in GAME_NAMES if CERTS[n]["kind"] == "small-gain"]
    assert sg and all(j is not None for n in sg for _, j in _game_sites(_get(CERTS[n], _spec_path(CERTS[n]))))


@settings(max_examples=100 * FUZZ_SCALE, deadline=None)
@given(st.sampled_from(GAME_NAMES), st.data(), st.floats(1e-6, 1.0), st.sampled_from([-1, 1]))
def test_tampering_with_the_game_changes_the_claim_or_is_rejected(name, data, r, sign):
    """Mirror of test_check.py's test for the local-CCE, linear-deviation and small-gain kinds: a
    changed game definition (a number of the domain / payoffs / dims, or a coefficient or exponent
    of a sympy utility) is either rejected, or the claim provably holds for the changed game too."""
    sites = list(_game_sites(_get(CERTS[name], _spec_path(CERTS[name]))))
    _check_game_tampering(name, data.draw(st.sampled_from(sites)), r, sign)


def test_every_literal_of_the_small_gain_game_is_bound_by_the_file():
    """A deterministic instance per literal of the small-gain game: most changes alter the proved
    constants and are rejected; the accepted ones leave the claim intact for the changed game."""
    name = next(n for n in GAME_NAMES if CERTS[n]["kind"] == "small-gain")
    sites = list(_game_sites(_get(CERTS[name], _spec_path(CERTS[name]))))
    accepted = [_check_game_tampering(name, site, 0.5, sign) for site in sites for sign in (-1, 1)]
    assert accepted.count(False) >= len(accepted) // 2


# ---------------------------------------------------------------------------------
# wrong duals, files, schema
# ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["lin-polytope-lp-verified", "lin-box-lp-verified", "lin-pd-lp-verified"])
def test_a_deliberately_wrong_lp_dual_in_a_file_is_rejected(tmp_path, name):
    doc = copy.deepcopy(CERTS[name])
    dual = doc["players"][0]["dual"]
    dual["z"] = [0.5 * v for v in dual["z"]]  # claims a smaller bound than the dual proves
    dual["Y"] = [[0.0 for _ in row] for row in dual["Y"]]
    path = tmp_path / "wrong-dual.json"
    path.write_text(json.dumps(doc))
    res = check_file(path)
    assert not res.ok and "linear_gain_upper" in res.message
    # a valid dual for a different (smaller) claim does not exist: lowering the claim is rejected too
    doc = copy.deepcopy(CERTS[name])
    doc["players"][0]["linear_gain_upper"] = 0.5 * doc["players"][0]["linear_gain_upper"] - 1e-6
    assert not check_certificate(doc).ok


LP_NAMES = ["lin-polytope-lp-verified", "lin-box-lp-verified", "lin-pd-lp-verified", "lin-nf-lp-inconclusive"]


@pytest.mark.parametrize("name", LP_NAMES)
def test_an_lp_dual_that_proves_less_than_the_record_is_rejected(name):
    """z + y is still exactly dual-feasible (C^T y = 0, y > 0) but proves only the recorded bound
    plus c^T y = sum_j y_j (c - C x0)_j > 0: the recorded linear_gain_upper is no longer backed."""
    doc = copy.deepcopy(CERTS[name])
    pl = doc["players"][0]
    dual = pl["dual"]
    cy = sum(Fraction(a) * Fraction(b) for a, b in zip(pl["polytope_c"], dual["y"], strict=True))
    assert cy > Fraction(1, 10**3)  # c^T y = y^T (c - C x0) > 0 for the recorded interior point
    dual["z"] = [a + b for a, b in zip(dual["z"], dual["y"], strict=True)]
    res = check_certificate(doc)
    assert not res.ok and "linear_gain_upper" in res.message and "below the recomputed bound" in res.message


@pytest.mark.parametrize("name", LP_NAMES)
@pytest.mark.parametrize("what", ["y-not-positive", "x0-outside", "x0-on-the-boundary"])
def test_lp_duals_with_unusable_auxiliary_data_are_rejected(name, what):
    """Weak duality needs y > 0 with C^T y = 0 and a strictly interior x0; without them the dual
    proves nothing, so a finite recorded bound is rejected."""
    doc = copy.deepcopy(CERTS[name])
    pl = doc["players"][0]
    dual = pl["dual"]
    C, c = np.array(pl["polytope_C"]), np.array(pl["polytope_c"])
    if what == "y-not-positive":
        dual["y"] = [-v for v in dual["y"]]
    elif what == "x0-outside":
        dual["x0"] = [v + 100.0 for v in dual["x0"]]
        assert np.any(C @ np.array(dual["x0"]) > c)
    else:  # move x0 onto an axis-aligned facet (entries +-1): c_r - C_r x0 = 0 exactly
        r = next(r for r in range(len(C)) if np.count_nonzero(C[r]) == 1)
        j = int(np.flatnonzero(C[r])[0])
        x0 = list(dual["x0"])
        x0[j] = c[r] / C[r, j]
        assert Fraction(c[r]) == sum(Fraction(a) * Fraction(b) for a, b in zip(C[r], x0, strict=True))
        dual["x0"] = x0
    assert pl["linear_gain_upper"] != "inf"  # a finite bound that the dual must back
    res = check_certificate(doc)
    assert not res.ok and "linear_gain_upper" in res.message


def test_a_wrong_sdp_dual_is_rejected():
    doc = copy.deepcopy(CERTS["lin-ball-sdp-verified"])
    doc["players"][0]["dual"]["eta"] = 0.0
    doc["players"][0]["dual"]["S11"] = [[0.0, 0.0], [0.0, 0.0]]
    assert not check_certificate(doc).ok


@pytest.mark.parametrize("what", ["eta-negative", "S22-zero", "S11-halved", "eta-larger"])
def test_more_wrong_sdp_duals_are_rejected(what):
    """A negative shift, or blocks for which S + eta I is not PSD, prove nothing; a larger shift
    proves a weaker bound than the record (eta * (d + max(d, R^2)) more)."""
    doc = copy.deepcopy(CERTS["lin-ball-sdp-verified"])
    dual = doc["players"][0]["dual"]
    if what == "eta-negative":
        dual["eta"] = -abs(dual["eta"]) - 1e-3
    elif what == "S22-zero":
        dual["S22"] = [[0.0, 0.0], [0.0, 0.0]]
    elif what == "S11-halved":
        dual["S11"] = [[0.5 * v for v in row] for row in dual["S11"]]
    else:
        dual["eta"] = dual["eta"] + 1e-3
    res = check_certificate(doc)
    assert not res.ok and "linear_gain_upper" in res.message


def _imports(source: str) -> set[str]:
    """Absolute names of the modules a source file imports (relative ones inside ``certificates``);
    ``<dynamic>`` marks an ``__import__`` / ``importlib.import_module`` call."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = "certificates" + (f".{node.module}" if node.module else "")
                out.add(base)
                if node.module is None:
                    out.update(f"certificates.{a.name}" for a in node.names)
            else:
                out.add(node.module)
                out.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.Call):
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            if name in ("__import__", "import_module"):
                out.add("<dynamic>")
    return out


def test_the_import_scanner_sees_every_form_of_import():
    src = (
        "from ._linear import check_linear_dual\n"
        "def f():\n    import certificates._small_gain as sg\n    from . import _cce\n"
        "    from certificates import _local_nash\n"
        "    return __import__('x')\n"
    )
    got = _imports(src)
    assert {"certificates._linear", "certificates._small_gain", "certificates._cce"} <= got
    assert {"certificates._local_nash", "<dynamic>"} <= got


def test_the_checker_does_not_import_the_certifiers():
    """Issue 6: ``localeq check`` must not call the code that made a certificate. The checker
    modules import, inside the package, only each other (no ``certificates._linear`` in particular,
    whose dual checks the certifier uses for its own bounds), and nothing dynamically."""
    from pathlib import Path

    import certificates

    pkg = Path(certificates.__file__).parent
    more = _imports((pkg / "_check_more.py").read_text())
    base = _imports((pkg / "_check.py").read_text())
    assert "certificates._linear" not in more and "certificates._linear" not in base
    assert not any("_linear" in m for m in more | base)
    inside = {m for m in more | base if m.startswith("certificates")}
    assert inside <= {"certificates._check", "certificates._check_more"}, inside
    assert "<dynamic>" not in more | base


def test_polytope_rows_must_be_the_strategy_set():
    doc = copy.deepcopy(CERTS["lin-polytope-lp-verified"])
    doc["players"][0]["polytope_c"][0] = 0.5  # a smaller triangle with the same dual
    res = check_certificate(doc)
    assert not res.ok and "polytope" in res.message


def test_callable_deviation_maps_cannot_be_rechecked():
    doc = copy.deepcopy(CERTS["cce-cubic-finite-verified"])
    doc["deviations"][0][0] = None
    res = check_certificate(doc)
    assert not res.ok and "callable" in res.message


def test_rigorous_constants_need_their_evidence():
    doc = copy.deepcopy(CERTS["sg-declared-verified"])
    doc["constants_rigorous"] = True
    assert not check_certificate(doc).ok
    doc = copy.deepcopy(CERTS["sg-jacobian-verified"])
    doc["constants_evidence"]["jacobian"][0][1] = 20.0  # the coupling is no longer a bound
    assert not check_certificate(doc).ok


@pytest.mark.parametrize("name", ["cce-mp-int-verified", "lin-pd-verified", "sg-declared-verified"])
def test_the_cli_checks_the_new_kinds(tmp_path, name, capsys):
    from complexity.cli import main

    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(CERTS[name]))
    assert main(["check", str(path)]) == 0
    assert capsys.readouterr().out.strip().startswith("OK: certificate re-verified")


def test_every_new_certificate_matches_the_json_schema():
    jsonschema = pytest.importorskip("jsonschema")
    from pathlib import Path

    import certificates

    schema = json.loads((Path(certificates.__file__).parent / "schema" / "certificate-1.json").read_text())
    for name, doc in CERTS.items():
        try:
            jsonschema.validate(doc, schema)
        except jsonschema.ValidationError as exc:  # pragma: no cover - diagnostic
            raise AssertionError(f"{name}: {exc.message}") from None
    bad = copy.deepcopy(CERTS["lin-pd-verified"])
    bad["players"][0]["method"] = "guess"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
