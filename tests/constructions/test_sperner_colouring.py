"""Colourings: constructors, the two representations, the reduction l = min{i : C^i = -1}, bad input."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from constructions import InvalidArgument
from constructions.sperner import (
    Colouring,
    bisperner_colouring,
    bisperner_to_sperner,
    boundary_violations,
    fully_labelled_simplices,
    implicit_colouring,
    is_proper,
    kuhn_simplex_vertices,
    panchromatic_cells,
    random_colouring,
    sperner_colouring,
    sperner_labels,
)


@st.composite
def proper_sign_arrays(draw):
    d = draw(st.integers(1, 4))
    n = draw(st.integers(2, {1: 9, 2: 7, 3: 5, 4: 4}[d]))
    bits = draw(arrays(np.bool_, (n,) * d + (d,)))
    s = np.where(bits, 1, -1).astype(np.int8)
    grid = np.moveaxis(np.indices((n,) * d), 0, -1)
    s[grid == 0] = 1
    s[grid == n - 1] = -1
    return s


def test_sperner_labels_by_definition():
    for d in (1, 2, 3, 4):
        for signs in itertools.product((-1, 1), repeat=d):
            want = next((i + 1 for i, s in enumerate(signs) if s == -1), 0)
            assert sperner_labels(np.array(signs)).item() == want


@settings(derandomize=True, deadline=None, max_examples=300)
@given(signs=proper_sign_arrays())
def test_reduction_maps_proper_bisperner_to_proper_sperner(signs):
    col = bisperner_colouring(signs)
    lab = bisperner_to_sperner(col)
    assert lab.kind == "sperner" and lab.n == col.n and lab.d == col.d
    assert boundary_violations(lab) == ()
    # every fully labelled Kuhn simplex of l lies in a panchromatic BiSperner cell, and its label-0
    # vertex has all signs +, its label-i vertex has sign i equal to -1 (notes section 2.3)
    pan = {tuple(c) for c in panchromatic_cells(col).tolist()}
    sols = fully_labelled_simplices(lab)
    assert len(sols) >= 1
    for c, p in zip(sols.cells.tolist(), sols.perms.tolist(), strict=True):
        assert tuple(c) in pan
        verts = kuhn_simplex_vertices(c, p)
        ls = lab.values[tuple(verts.T)]
        assert np.all(signs[tuple(verts[ls == 0][0])] == 1)
        for i in range(col.d):
            assert signs[tuple(verts[ls == i + 1][0])][i] == -1


def test_implicit_reduction_matches_dense_reduction():
    col = random_colouring(6, 3, rng=3)
    imp = implicit_colouring(lambda V: col.values[tuple(V.T)], n=6, d=3, kind="bisperner")
    assert np.array_equal(bisperner_to_sperner(imp).to_dense().values, bisperner_to_sperner(col).values)


def test_dense_and_implicit_answer_the_same_queries():
    col = random_colouring(7, 2, kind="sperner", rng=0)
    imp = implicit_colouring(lambda V: col.values[tuple(V.T)], n=7, d=2, kind="sperner")
    V = np.array(list(itertools.product(range(7), repeat=2)))
    assert np.array_equal(col(V), imp(V))
    assert np.array_equal(col(V.reshape(7, 7, 2)), col.values)
    assert col.query((3, 4)) == imp.query((3, 4)) == int(col.values[3, 4])
    assert np.array_equal(imp.to_dense().values, col.values)


def test_implicit_colouring_on_huge_grids():
    n = 2**20
    col = implicit_colouring(lambda V: np.where(V > n // 3, -1, 1), n=n, d=2, kind="bisperner")
    assert col([[0, n - 1], [n // 3, n // 3 + 1]]).tolist() == [[1, -1], [1, -1]]
    assert is_proper(col)  # 4 * 2**20 boundary vertices, checked in chunks by face
    d = 50
    col50 = implicit_colouring(lambda V: np.where(V >= 2, -1, 1), n=4, d=d, kind="bisperner")
    v = np.zeros(d, dtype=int)
    v[7] = 3
    assert col50.query(v).tolist() == [1] * 7 + [-1] + [1] * 42
    lab50 = bisperner_to_sperner(col50)
    assert lab50.query(v) == 8
    with pytest.raises(InvalidArgument, match="max_vertices"):
        col50.to_dense()
    with pytest.raises(InvalidArgument, match="max_vertices"):
        boundary_violations(col50)


def test_values_are_read_only_and_repr_is_short():
    col = random_colouring(4, 2, rng=0)
    with pytest.raises(ValueError):
        col.values[1, 1, 0] = 1
    assert "dense" in repr(col) and "bisperner" in repr(col)


BAD = [
    (sperner_colouring, {"labels": np.array([0])}, "N"),  # N < 2
    (sperner_colouring, {"labels": np.zeros((3, 4), dtype=int)}, "labels"),  # not a cube
    (sperner_colouring, {"labels": np.array([[0, 3], [1, 1]])}, "labels"),  # label out of range
    (sperner_colouring, {"labels": np.array([[0, -1], [1, 1]])}, "labels"),
    (sperner_colouring, {"labels": np.array([[0.5, 1], [1, 1]])}, "labels"),  # not integers
    (sperner_colouring, {"labels": np.array([[1, 2], [1, 1]])}, "labels"),  # boundary rule
    (sperner_colouring, {"labels": np.array([[0, 0], [1, 1]])}, "labels"),  # label 0 on upper face
    (sperner_colouring, {"labels": "abc"}, "labels"),
    (bisperner_colouring, {"signs": np.ones((3, 3, 3), dtype=int)}, "signs"),  # last axis != d
    (bisperner_colouring, {"signs": np.ones((3, 3), dtype=int)}, "signs"),  # d=1 needs (N, 1)
    (bisperner_colouring, {"signs": np.zeros((2, 2, 2), dtype=int)}, "signs"),  # not +-1
    (bisperner_colouring, {"signs": np.ones((2, 2, 2), dtype=int)}, "signs"),  # boundary rule
    (bisperner_colouring, {"signs": np.array([1])}, "signs"),  # wrong shape
    (implicit_colouring, {"func": lambda V: V[:, 0] * 0, "n": 1, "d": 2, "kind": "sperner"}, "n="),
    (implicit_colouring, {"func": lambda V: V[:, 0] * 0, "n": 4, "d": 0, "kind": "sperner"}, "d="),
    (implicit_colouring, {"func": lambda V: V[:, 0] * 0, "n": 4, "d": 2, "kind": "labels"}, "kind="),
    (implicit_colouring, {"func": 3, "n": 4, "d": 2, "kind": "sperner"}, "func"),
    (implicit_colouring, {"func": lambda V: V, "n": 4, "d": 2, "kind": "sperner"}, "shape"),
    (implicit_colouring, {"func": lambda V: V[:, 0] * 0 + 7, "n": 4, "d": 2, "kind": "sperner"}, "labels"),
    (implicit_colouring, {"func": lambda V: V * 0, "n": 4, "d": 2, "kind": "bisperner"}, "signs"),
    (implicit_colouring, {"func": lambda V: V[:, 0] * 0, "n": 4, "d": 2, "kind": "sperner"}, "boundary"),
    (bisperner_to_sperner, {"colouring": "x"}, "colouring="),
]


@pytest.mark.parametrize(
    ("fn", "kwargs", "match"), BAD, ids=[f"{f.__name__}-{i}" for i, (f, _, _) in enumerate(BAD)]
)
def test_rejects_invalid_arguments(fn, kwargs, match):
    with pytest.raises(InvalidArgument, match=match):
        fn(**kwargs)


def test_improper_colourings_are_allowed_when_asked():
    col = sperner_colouring(np.array([[1, 2], [1, 1]]), proper=False)
    assert not is_proper(col)
    assert bisperner_colouring(np.ones((2, 2, 2), dtype=int), proper=False).kind == "bisperner"


@pytest.mark.parametrize(
    "vertices",
    [[[0, 5]], [[-1, 0]], [[0.5, 1]], [[0, 0, 0]], [0, 1, 2], "a"],
)
def test_queries_reject_bad_vertices(vertices):
    col = random_colouring(5, 2, rng=0)
    with pytest.raises(InvalidArgument, match="vertices"):
        col(vertices)


def test_colouring_record_is_frozen():
    col = random_colouring(3, 2, rng=0)
    assert isinstance(col, Colouring)
    with pytest.raises(AttributeError):
        col.n = 4
