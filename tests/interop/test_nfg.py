"""The pure-Python .nfg reader/writer: both layouts, exact numbers, errors, and pygambit's reader."""

from __future__ import annotations

import glob
import os
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from constructions import InvalidArgument, normal_form_game
from constructions.interop import from_nfg_data, load_nfg, parse_nfg, read_nfg, write_nfg

# Selten (IJGT 1975), Figure 2 -- the Gambit manual's example, in both layouts
PAYOFF_LAYOUT = """NFG 1 R "Selten (IJGT, 75), Figure 2, normal form"
{ "Player 1" "Player 2" } { 3 2 }

1 1 0 2 0 2 1 1 0 3 2 0
"""
OUTCOME_LAYOUT = """NFG 1 R "Selten (IJGT, 75), Figure 2, normal form" { "Player 1" "Player 2" }

{
{ "1" "2" "3" }
{ "1" "2" }
}
""

{
{ "" 1, 1 }
{ "" 0, 2 }
{ "" 0, 2 }
{ "" 1, 1 }
{ "" 0, 3 }
{ "" 2, 0 }
}
1 2 3 4 5 6
"""
# by hand: profile k (player 1 fastest) -> (s1, s2) = (k % 3, k // 3)
SELTEN_A = [[1, 1], [0, 0], [0, 2]]
SELTEN_B = [[1, 1], [2, 3], [2, 0]]


def test_both_layouts_give_the_hand_computed_tensor():
    for text, layout in ((PAYOFF_LAYOUT, "payoff"), (OUTCOME_LAYOUT, "outcome")):
        data = parse_nfg(text)
        assert data.layout == layout
        assert data.players == ("Player 1", "Player 2")
        assert data.shape == (3, 2)
        assert data.float_payoffs()[0].tolist() == SELTEN_A
        assert data.float_payoffs()[1].tolist() == SELTEN_B


def test_three_players_order_player_one_fastest():
    # payoff of player i at profile (a, b, c) is 100*i + 9*a + 3*b + c
    shape = (3, 2, 2)
    nums = []
    for c in range(2):
        for b in range(2):
            for a in range(3):
                nums += [100 * i + 9 * a + 3 * b + c for i in range(3)]
    data = parse_nfg('NFG 1 R "t" { "a" "b" "c" } { 3 2 2 } ' + " ".join(map(str, nums)))
    for a, b, c in np.ndindex(*shape):
        for i in range(3):
            assert data.payoffs[i, a, b, c] == 100 * i + 9 * a + 3 * b + c


def test_exact_numbers_labels_and_null_outcome():
    text = r'''NFG 1 R "quote \" inside" { "P \"1\"" "P2" }
    { { "a b" "c" } { "x" } } "a comment"
    { { "o1" 1/3, -.5 } { "o2" 2.5e-1 7 } }
    0 2'''
    data = parse_nfg(text)
    assert data.title == 'quote " inside' and data.players == ('P "1"', "P2")
    assert data.strategies == (("a b", "c"), ("x",)) and data.comment == "a comment"
    assert data.payoffs[:, 0, 0].tolist() == [0, 0]                      # null outcome
    assert data.payoffs[:, 1, 0].tolist() == [Fraction(1, 4), Fraction(7)]
    assert all(isinstance(v, Fraction) for v in data.payoffs.flat)
    assert parse_nfg('NFG 1 R "" { "1" } { 2 } 1/3 -2').payoffs[0].tolist() == [Fraction(1, 3), -2]


@pytest.mark.parametrize(
    "text",
    [
        "EFG 2 R \"x\" { \"1\" }",                                  # not a strategic game
        'NFG 2 R "x" { "1" "2" } { 1 1 } 0 0',                      # version 2
        'NFG 1 R "x" { "1" "2" } { 2 1 } 0 0 0',                    # too few payoffs
        'NFG 1 R "x" { "1" "2" } { 1 1 } 0 0 9',                    # trailing payoff
        'NFG 1 R "x" { "1" "2" } { 1 1 } 0 abc',                    # not a number
        'NFG 1 R "x" { "1" "2" } { 1 1 } 1/0 0',                    # zero denominator
        'NFG 1 R "x" { "1" "2" } { 1 1 } { { "" 1 2 } } 2',         # outcome out of range
        'NFG 1 R "x" { "1" "2" } { 1 1 } { { "" 1 } } 1',           # outcome with 1 payoff
        'NFG 1 R "x" { "1" "2" } { 0 1 }',                           # a player without strategies
        'NFG 1 R "x" { } { }',                                       # no players
        'NFG 1 R "unterminated { "1" } { 1 } 0',
        "",
    ],
)
def test_malformed_files_raise_invalid_argument(text):
    with pytest.raises(InvalidArgument):
        parse_nfg(text)


def test_bad_arguments():
    with pytest.raises(InvalidArgument, match="text"):
        parse_nfg(b"NFG 1 R")
    with pytest.raises(InvalidArgument, match="path"):
        read_nfg("/nonexistent/file.nfg")
    with pytest.raises(InvalidArgument, match="reader"):
        load_nfg("x.nfg", reader="gambit")
    with pytest.raises(InvalidArgument, match="data"):
        from_nfg_data("NFG 1 R")
    with pytest.raises(InvalidArgument, match="players"):
        write_nfg(np.zeros((2, 2, 2)), players=["a"])
    with pytest.raises(InvalidArgument, match="strategies"):
        write_nfg(np.zeros((2, 2, 2)), strategies=[["a"], ["b", "c"]])
    with pytest.raises(InvalidArgument, match="shape"):
        write_nfg(np.zeros((3, 2, 2)))


@given(
    shape=st.lists(st.integers(1, 3), min_size=1, max_size=3),
    seed=st.integers(0, 2**32 - 1),
)
def test_write_then_parse_round_trips_exactly(shape, seed):
    rng = np.random.default_rng(seed)
    P = np.round(rng.integers(-50, 50, size=(len(shape), *shape)) / rng.integers(1, 9), 3)
    data = parse_nfg(write_nfg(P, title="rt"))
    assert np.array_equal(data.float_payoffs(), P)        # repr() round-trips every float exactly
    game = from_nfg_data(data)
    ref = normal_form_game(P)
    x = np.concatenate([rng.dirichlet(np.ones(a)) for a in shape])
    assert all(game.utility(i, x) == ref.utility(i, x) for i in range(len(shape)))


# ------------------------------------------------------------------ against pygambit's own reader


def _catalog_files() -> list[str]:
    try:
        import pygambit
    except ImportError:
        return []
    root = os.path.dirname(pygambit.__file__)
    return sorted(glob.glob(os.path.join(root, "**", "*.nfg"), recursive=True))


CATALOG = _catalog_files() or [pytest.param(None, marks=pytest.mark.skip("pygambit is not installed"))]


@pytest.mark.parametrize("path", CATALOG)
def test_reader_agrees_with_pygambit_on_its_catalog(path):
    pytest.importorskip("pygambit")
    ours, theirs = load_nfg(path, reader="python"), load_nfg(path, reader="pygambit")
    assert np.array_equal(ours.facts["exact_payoffs"], theirs.facts["exact_payoffs"])
    assert ours.facts["players"] == theirs.facts["players"]
    assert ours.facts["strategies"] == theirs.facts["strategies"]
    assert ours.name == theirs.name


def test_reader_agrees_with_pygambit_on_random_games(tmp_path):
    gbt = pytest.importorskip("pygambit")
    rng = np.random.default_rng(11)
    for k in range(12):
        shape = tuple(int(a) for a in rng.integers(1, 4, size=int(rng.integers(2, 4))))
        arrays = [rng.integers(-9, 10, size=shape) for _ in shape]
        g = gbt.Game.from_arrays(*arrays, title=f"random {k}")
        # pygambit writes the outcome layout; localeq writes the payoff layout: read both with both
        (tmp_path / "theirs.nfg").write_text(g.to_nfg())
        (tmp_path / "ours.nfg").write_text(write_nfg(np.stack(arrays), title=f"random {k}"))
        for name in ("theirs.nfg", "ours.nfg"):
            a = load_nfg(tmp_path / name, reader="python")
            b = load_nfg(tmp_path / name, reader="pygambit")
            assert np.array_equal(a.facts["payoffs"], np.stack(arrays).astype(float))
            assert np.array_equal(b.facts["payoffs"], np.stack(arrays).astype(float))
        assert read_nfg(tmp_path / "theirs.nfg").layout == "outcome"


def test_load_nfg_default_reader(tmp_path):
    path = tmp_path / "selten.nfg"
    path.write_text(OUTCOME_LAYOUT)
    game = load_nfg(path)
    assert game.name.startswith("Selten") and game.dims == (3, 2)
    assert game.facts["source"] in ("nfg", "pygambit")
    assert game.facts["payoffs"].tolist() == [SELTEN_A, SELTEN_B]
