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
from constructions.sperner._colouring import check_func_output


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


def test_sperner_labels_of_many_vertices_by_definition():
    # both code paths: argmax for few vertices, one pass per axis from 1024 vertices on
    rng = np.random.default_rng(0)
    for d in (1, 2, 3, 5, 8):
        for m in (0, 1, 7, 1023 // d, 1024 // d + 1, 3000):
            signs = rng.choice(np.array([-1, 1], dtype=np.int8), size=(m, d), p=[0.3, 0.7])
            want = [next((i + 1 for i, s in enumerate(row) if s == -1), 0) for row in signs.tolist()]
            got = sperner_labels(signs)
            assert got.dtype == np.int8 and got.tolist() == want
            assert sperner_labels(signs.astype(np.int64).reshape(1, m, d)).tolist() == [want]


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


@settings(derandomize=True, deadline=None, max_examples=400)
@given(
    kind=st.sampled_from(["sperner", "bisperner"]),
    d=st.integers(1, 4),
    m=st.integers(0, 40),  # straddles _SMALL_OUTPUT = 32 entries (Python check vs numpy check)
    dtype=st.sampled_from([np.int8, np.int64, np.float64]),
    data=st.data(),
)
def test_func_output_check_matches_brute_force(kind, d, m, dtype, data):
    V = np.arange(m * d, dtype=np.int64).reshape(m, d)
    shape = (m,) if kind == "sperner" else (m, d)
    out = data.draw(arrays(dtype, shape, elements=st.integers(-3, d + 3)))
    flat = [float(x) for x in out.reshape(-1)]
    allowed = set(range(d + 1)) if kind == "sperner" else {-1, 1}
    bad = [i for i, x in enumerate(flat) if x not in allowed]
    if not bad:
        got = check_func_output(out, V, kind, d)
        assert got.dtype == np.int8 and got.shape == shape and np.array_equal(got, out)
        return
    i = bad[0]  # the first bad entry in C order is reported with its vertex
    row = i if kind == "sperner" else i // d
    with pytest.raises(InvalidArgument, match="func returned") as exc:
        check_func_output(out, V, kind, d)
    assert f"at vertex {tuple(int(x) for x in V[row])}" in str(exc.value)
    assert f" {out.reshape(-1)[i].item()!r} " in str(exc.value)


def test_implicit_answers_of_any_numeric_dtype_are_accepted_as_int8():
    for dtype in (np.int8, np.int16, np.int64, np.uint8, np.float32, np.float64):
        lab = implicit_colouring(_labels_except(1, dtype=dtype), n=10, d=2, kind="sperner")
        dense = lab.to_dense()
        want = _BASE_LABELS.copy()
        want[5, 5] = 1
        assert dense.values.dtype == np.int8 and np.array_equal(dense.values, want)
        assert lab.query((5, 5)) == 1 and np.array_equal(lab(_ALL_10), want.reshape(-1))
    for dtype in (np.int8, np.int64, np.float64):
        sig = implicit_colouring(_signs_except(-1, dtype=dtype), n=10, d=2, kind="bisperner")
        want = _BASE_SIGNS.copy()
        want[3, 4, 1] = -1
        assert np.array_equal(sig.to_dense().values, want) and sig.query((3, 4)).tolist() == [*want[3, 4]]


def test_values_are_read_only_and_repr_is_short():
    col = random_colouring(4, 2, rng=0)
    with pytest.raises(ValueError):
        col.values[1, 1, 0] = 1
    assert "dense" in repr(col) and "bisperner" in repr(col)


# implicit colourings that are proper on the boundary but answer a bad value at one interior vertex:
# the constructor's spot check cannot see it, every query and to_dense must
_BASE_LABELS = random_colouring(10, 2, kind="sperner", rng=0).values
_BASE_SIGNS = random_colouring(10, 2, rng=0).values
_ALL_10 = np.array(list(itertools.product(range(10), repeat=2)))  # 100 vertices: the vectorised path


def _labels_except(value, at=(5, 5), dtype=np.int64):
    def func(V):
        out = _BASE_LABELS[tuple(V.T)].astype(dtype)
        out[np.all(V == at, axis=1)] = value
        return out

    return func


def _signs_except(value, at=(3, 4), axis=1, dtype=np.int8):
    def func(V):
        out = _BASE_SIGNS[tuple(V.T)].astype(dtype)
        out[np.all(V == at, axis=1), axis] = value
        return out

    return func


def query_implicit(func, kind, vertices):
    return implicit_colouring(func, n=10, d=2, kind=kind)(vertices)


def query_one_implicit(func, kind, vertex):
    return implicit_colouring(func, n=10, d=2, kind=kind).query(vertex)


def materialise_implicit(func, kind):
    return implicit_colouring(func, n=10, d=2, kind=kind).to_dense()


def reduce_implicit(func, vertex):
    return bisperner_to_sperner(implicit_colouring(func, n=10, d=2, kind="bisperner")).query(vertex)


def _wrong_shape_inside(V):  # right shape on the 12 spot-check vertices only
    out = _BASE_LABELS[tuple(V.T)]
    return out if len(V) == 12 else out[:, None]


_LABEL7 = r"func returned label 7 at vertex \(5, 5\)"
_SIGN0 = r"func returned sign 0 \(axis 1\) at vertex \(3, 4\)"

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
    # bad answers of func in the interior, caught on every query (small and vectorised paths) and by to_dense
    (query_one_implicit, {"func": _labels_except(7), "kind": "sperner", "vertex": (5, 5)}, _LABEL7),
    (query_implicit, {"func": _labels_except(7), "kind": "sperner", "vertices": [[1, 1], [5, 5]]}, _LABEL7),
    (query_implicit, {"func": _labels_except(7, dtype=np.int8), "kind": "sperner", "vertices": _ALL_10},
     _LABEL7),
    (query_one_implicit, {"func": _labels_except(7, dtype=np.int8), "kind": "sperner", "vertex": (5, 5)},
     _LABEL7),
    (materialise_implicit, {"func": _labels_except(7), "kind": "sperner"}, _LABEL7),
    (materialise_implicit, {"func": _labels_except(7, dtype=np.int8), "kind": "sperner"}, _LABEL7),
    (materialise_implicit, {"func": _labels_except(-1, dtype=np.int8), "kind": "sperner"}, "label -1 at"),
    (query_one_implicit, {"func": _labels_except(-1, dtype=np.int8), "kind": "sperner", "vertex": (5, 5)},
     "label -1 at"),
    (materialise_implicit, {"func": _labels_except(3), "kind": "sperner"}, r"label 3 at .*\{0\.\.2\}"),
    (materialise_implicit, {"func": _labels_except(259), "kind": "sperner"}, "label 259 at"),  # int8: 3
    (materialise_implicit, {"func": _labels_except(0.5, dtype=float), "kind": "sperner"}, "label 0.5 at"),
    (materialise_implicit, {"func": _labels_except(np.nan, dtype=float), "kind": "sperner"}, "label nan at"),
    (query_one_implicit, {"func": _signs_except(0), "kind": "bisperner", "vertex": (3, 4)}, _SIGN0),
    (query_implicit, {"func": _signs_except(0), "kind": "bisperner", "vertices": _ALL_10}, _SIGN0),
    (materialise_implicit, {"func": _signs_except(0), "kind": "bisperner"}, _SIGN0),
    (materialise_implicit, {"func": _signs_except(0, dtype=np.int64), "kind": "bisperner"}, _SIGN0),
    (materialise_implicit, {"func": _signs_except(0, dtype=float), "kind": "bisperner"}, "sign 0.0 .axis 1"),
    (materialise_implicit, {"func": _signs_except(2, axis=0), "kind": "bisperner"}, r"sign 2 \(axis 0\)"),
    (query_one_implicit, {"func": _signs_except(-2, axis=0), "kind": "bisperner", "vertex": (3, 4)},
     r"sign -2 \(axis 0\) at vertex \(3, 4\)"),
    (reduce_implicit, {"func": _signs_except(0), "vertex": (3, 4)}, _SIGN0),
    (query_one_implicit, {"func": _wrong_shape_inside, "kind": "sperner", "vertex": (5, 5)},
     r"func must return shape \(1,\)"),
    (materialise_implicit, {"func": _wrong_shape_inside, "kind": "sperner"},
     r"func must return shape \(100,\)"),
    (query_one_implicit, {"func": _labels_except("a", dtype=object), "kind": "sperner", "vertex": (5, 5)},
     "func must return numbers"),
    (materialise_implicit, {"func": _labels_except(None, dtype=object), "kind": "sperner"},
     r"func returned label None at vertex \(5, 5\)"),
    (implicit_colouring, {"func": lambda V: np.array(["a"] * len(V)), "n": 4, "d": 2, "kind": "sperner"},
     "func must return numbers"),
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
