"""Checks, exhaustive search, certificates, doors and the boundary index against brute force and theory.

The brute-force helpers below use only itertools and numpy determinants (geometric orientations),
independently of the vectorised code under test.
"""

from __future__ import annotations

import itertools
import os

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from constructions import InvalidArgument
from constructions.sperner import (
    Certificate,
    bisperner_colouring,
    bisperner_to_sperner,
    boundary_index,
    boundary_violations,
    certificate_from_simplex,
    check_certificate,
    door_graph,
    find_certificate,
    follow_doors,
    fully_labelled_simplices,
    is_panchromatic,
    is_proper,
    kuhn_simplex_vertices,
    panchromatic_cells,
    random_colouring,
    sperner_colouring,
)

MAX_N = {1: 9, 2: 7, 3: 5, 4: 4}
FUZZ_SCALE = 2 if os.environ.get("CI") else 1


# ------------------------------------------------------------------------------------------------
# brute force
# ------------------------------------------------------------------------------------------------


def bf_label(sign_vector) -> int:
    for i, s in enumerate(sign_vector):
        if s == -1:
            return i + 1
    return 0


def bf_labels(col) -> dict:
    n, d = col.n, col.d
    out = {}
    for v in itertools.product(range(n), repeat=d):
        if col.kind == "sperner":
            out[v] = int(col.values[v])
        else:
            out[v] = bf_label([int(s) for s in col.values[v]])
    return out


def bf_simplices(n, d, lo=None, hi=None):
    lo = lo or (0,) * d
    hi = hi or (n - 1,) * d
    for cell in itertools.product(*[range(lo[i], hi[i]) for i in range(d)]):
        for perm in itertools.permutations(range(d)):
            v = list(cell)
            verts = [tuple(v)]
            for a in perm:
                v[a] += 1
                verts.append(tuple(v))
            yield cell, perm, verts


def bf_orientation(points) -> int:
    p = np.array(points, dtype=float)
    return int(np.sign(np.linalg.det((p[1:] - p[0]).T)))


def bf_solutions(col, lo=None, hi=None):
    """{(cell, perm): orientation} of fully labelled simplices, orientation by determinant."""
    lab = bf_labels(col)
    d = col.d
    out = {}
    for cell, perm, verts in bf_simplices(col.n, d, lo, hi):
        ls = [lab[v] for v in verts]
        if sorted(ls) == list(range(d + 1)):
            w = [verts[ls.index(m)] for m in range(d + 1)]
            out[(cell, perm)] = bf_orientation(w)
    return out


def bf_index(col, lo, hi):
    """Sum over door facets on the box boundary of sign det[f1-f0, ..., x-f0] (geometric)."""
    lab = bf_labels(col)
    d = col.d
    total = 0
    for _cell, _perm, verts in bf_simplices(col.n, d, lo, hi):
        for k in range(d + 1):
            facet = verts[:k] + verts[k + 1 :]
            on_face = any(
                all(f[j] == lo[j] for f in facet) or all(f[j] == hi[j] for f in facet) for j in range(d)
            )
            ls = [lab[f] for f in facet]
            if on_face and sorted(ls) == list(range(d)):
                f = [facet[ls.index(m)] for m in range(d)]
                total += bf_orientation(f + [verts[k]])
    return total


def bf_panchromatic(col):
    n, d = col.n, col.d
    out = []
    for cell in itertools.product(range(n - 1), repeat=d):
        corners = [
            tuple(c + o for c, o in zip(cell, off, strict=True))
            for off in itertools.product((0, 1), repeat=d)
        ]
        if col.kind == "bisperner":
            vals = np.array([col.values[c] for c in corners])
            if np.all(vals.max(axis=0) == 1) and np.all(vals.min(axis=0) == -1):
                out.append(list(cell))
        else:
            if len({int(col.values[c]) for c in corners}) == d + 1:
                out.append(list(cell))
    return out


def bf_violations(col):
    n, d = col.n, col.d
    out = set()
    for v in itertools.product(range(n), repeat=d):
        for i in range(d):
            if col.kind == "sperner":
                lab = int(col.values[v])
                if v[i] == 0 and lab == i + 1:
                    out.add((v, i, "lower"))
                if v[i] == n - 1 and lab == 0:
                    out.add((v, i, "upper"))
            else:
                s = int(col.values[v][i])
                if v[i] == 0 and s == -1:
                    out.add((v, i, "lower"))
                if v[i] == n - 1 and s == 1:
                    out.add((v, i, "upper"))
    return out


# ------------------------------------------------------------------------------------------------
# strategies that build colourings directly (no filtering)
# ------------------------------------------------------------------------------------------------


@st.composite
def colourings(draw, proper: bool = True, dims=(2, 3, 4), kinds=("sperner", "bisperner"), max_n=None):
    d = draw(st.sampled_from(dims))
    n = draw(st.integers(2, (max_n or MAX_N)[d]))
    kind = draw(st.sampled_from(kinds))
    grid = np.moveaxis(np.indices((n,) * d), 0, -1)
    if kind == "bisperner":
        # one byte string for the whole grid, not one draw per vertex: generation is twice as fast
        size = n**d * d
        nbytes = (size + 7) // 8
        raw_bits = np.frombuffer(draw(st.binary(min_size=nbytes, max_size=nbytes)), np.uint8)
        bits = np.unpackbits(raw_bits)[:size].reshape((n,) * d + (d,)).astype(bool)
        s = np.where(bits, 1, -1).astype(np.int8)
        if proper:
            s[grid == 0] = 1
            s[grid == n - 1] = -1
        return bisperner_colouring(s, proper=proper)
    raw_bytes = np.frombuffer(draw(st.binary(min_size=n**d, max_size=n**d)), np.uint8)
    raw = (raw_bytes % (d + 1)).astype(np.int8).reshape((n,) * d)
    if proper:
        allowed = np.concatenate([np.all(grid < n - 1, axis=-1)[..., None], grid > 0], axis=-1)
        # label = the (raw mod #allowed)-th allowed label: a surjective, constructive repair
        order = np.cumsum(allowed, axis=-1) - 1
        count = allowed.sum(axis=-1)
        pick = raw % count
        raw = np.argmax(allowed & (order == pick[..., None]), axis=-1).astype(np.int8)
    return sperner_colouring(raw, proper=proper)


@st.composite
def colourings_with_box(draw, proper: bool = False):
    col = draw(colourings(proper=proper))
    lo, hi = [], []
    for _ in range(col.d):
        a = draw(st.integers(0, col.n - 2))
        b = draw(st.integers(a + 1, col.n - 1))
        lo.append(a)
        hi.append(b)
    return col, tuple(lo), tuple(hi)


# ------------------------------------------------------------------------------------------------
# acceptance: Sperner's lemma on thousands of random proper colourings
# ------------------------------------------------------------------------------------------------


# thousands of examples: 1500 locally, 3000 with CI=true. Measured on the shared 2-core machine at load ~6:
# 1500 take ~25 s, 3000 ~41 s (the same machine ran the earlier 1500-example version in ~30 s)
@settings(derandomize=True, deadline=None, max_examples=1500 * FUZZ_SCALE)
@given(col=colourings(proper=True))
def test_sperner_lemma_and_index_on_random_proper_colourings(col):
    assert is_proper(col)
    sols = fully_labelled_simplices(col)
    assert len(sols) >= 1  # Sperner's lemma
    pos = int(np.sum(sols.orientations == 1))
    neg = int(np.sum(sols.orientations == -1))
    assert pos - neg == 1  # degree theory: the boundary of the whole grid has index +1
    assert boundary_index(col) == pos - neg
    if col.kind == "bisperner":  # reduction: every l-solution lies in a panchromatic cell
        pan = {tuple(c) for c in panchromatic_cells(col).tolist()}
        assert {tuple(c) for c in sols.cells.tolist()} <= pan


@settings(derandomize=True, deadline=None, max_examples=300)
@given(col=colourings(proper=True, max_n={2: 5, 3: 4, 4: 3}))
def test_exhaustive_search_matches_brute_force(col):
    bf = bf_solutions(col)
    sols = fully_labelled_simplices(col)
    got = {
        (tuple(c), tuple(p)): int(o)
        for c, p, o in zip(sols.cells.tolist(), sols.perms.tolist(), sols.orientations.tolist(), strict=True)
    }
    assert got == bf
    assert list(got) == list(bf)  # same order: cells, then permutations, lexicographically
    assert panchromatic_cells(col).tolist() == bf_panchromatic(col)


@pytest.mark.parametrize(("n", "d"), [(50, 2), (12, 3), (6, 4)])
@pytest.mark.parametrize("kind", ["bisperner", "sperner"])
def test_exhaustive_search_order_and_orientation_on_larger_random_grids(n, d, kind):
    col = random_colouring(n, d, kind=kind, rng=n + d)
    lo, hi = (1,) * d, (n - 2,) * d
    for box in ({}, {"lo": lo, "hi": hi}):
        sols = fully_labelled_simplices(col, **box)
        got = [((tuple(c), tuple(p)), o) for c, p, o in
               zip(sols.cells.tolist(), sols.perms.tolist(), sols.orientations.tolist(), strict=True)]
        want = list(bf_solutions(col, *((lo, hi) if box else ())).items())
        assert len(got) > 10 and got == want
        assert sols.cells.dtype == sols.perms.dtype == np.int64 and sols.orientations.dtype == np.int8


@settings(derandomize=True, deadline=None, max_examples=300)
@given(case=colourings_with_box(proper=False))
def test_index_of_random_sub_boxes_counts_solutions_with_sign(case):
    col, lo, hi = case
    inside = fully_labelled_simplices(col, lo=lo, hi=hi)
    signed = int(inside.orientations.astype(int).sum())
    assert boundary_index(col, lo=lo, hi=hi) == signed
    if col.n <= 4 or col.d == 2:
        assert bf_index(col, lo, hi) == signed
        assert sum(bf_solutions(col, lo, hi).values()) == signed


def test_index_on_sub_boxes_of_a_large_random_colouring():
    rng = np.random.default_rng(11)
    col = random_colouring(40, 2, rng=1)
    all_sols = fully_labelled_simplices(col)
    for _ in range(50):
        lo = rng.integers(0, 30, size=2)
        hi = lo + rng.integers(1, 10, size=2)
        inside = np.all((all_sols.cells >= lo) & (all_sols.cells < hi), axis=1)
        assert boundary_index(col, lo=lo, hi=hi) == int(all_sols.orientations[inside].astype(int).sum())


# ------------------------------------------------------------------------------------------------
# boundary checks
# ------------------------------------------------------------------------------------------------


@settings(derandomize=True, deadline=None, max_examples=150)
@given(col=colourings(proper=False, dims=(1, 2, 3)))
def test_boundary_violations_lists_every_violation(col):
    got = {(v.vertex, v.axis, v.face) for v in boundary_violations(col)}
    assert got == bf_violations(col)
    assert is_proper(col) == (not got)


def test_boundary_violations_on_an_implicit_colouring_with_a_planted_defect():
    from constructions.sperner import implicit_colouring

    n = 2**11

    def f(V):
        s = np.where(V >= n // 2, -1, 1).astype(np.int8)
        bad = (V[:, 0] == 0) & (V[:, 1] == 777)
        s[bad, 0] = -1
        return s

    col = implicit_colouring(f, n=n, d=2, kind="bisperner")  # spot check misses the defect
    viol = boundary_violations(col)
    assert [(v.vertex, v.axis, v.face, v.colour) for v in viol] == [((0, 777), 0, "lower", -1)]


def test_small_examples_by_hand():
    # 1D: labels 0 0 1 1 have exactly one positively oriented door edge, index +1
    col = sperner_colouring(np.array([0, 0, 1, 1]))
    s = fully_labelled_simplices(col)
    assert s.cells.tolist() == [[1]] and s.orientations.tolist() == [1]
    assert boundary_index(col) == 1
    # reversed orientation inside a sub-box [1, 2] of labels 0 1 0 1
    col = sperner_colouring(np.array([0, 1, 0, 1]))
    assert boundary_index(col, lo=[1], hi=[2]) == -1
    assert fully_labelled_simplices(col).orientations.tolist() == [1, -1, 1]


# ------------------------------------------------------------------------------------------------
# panchromatic test of one cell, certificates
# ------------------------------------------------------------------------------------------------


@settings(derandomize=True, deadline=None, max_examples=100)
@given(col=colourings(proper=True, kinds=("bisperner",)))
def test_is_panchromatic_agrees_with_the_exhaustive_search(col):
    pan = {tuple(c) for c in panchromatic_cells(col).tolist()}
    for cell in itertools.product(range(col.n - 1), repeat=col.d):
        assert is_panchromatic(col, cell) == (cell in pan)
        cert = find_certificate(col, cell)
        assert (cert is not None) == (cell in pan)
        if cert is not None:
            assert check_certificate(col, cert).valid


@settings(derandomize=True, deadline=None, max_examples=100)
@given(col=colourings(proper=True, kinds=("bisperner",)))
def test_certificate_from_each_fully_labelled_simplex_is_valid(col):
    sols = fully_labelled_simplices(col)
    for c, p in zip(sols.cells.tolist(), sols.perms.tolist(), strict=True):
        cert = certificate_from_simplex(col, c, p)
        res = check_certificate(col, cert)
        assert res.valid and res.n_queries == 2 * col.d
        # the witnesses are corners of the cell with the promised signs (direct check)
        for i in range(col.d):
            assert col.values[tuple(cert.v[i])][i] == -1
            assert col.values[tuple(cert.u[i])][i] == 1
            assert np.all((cert.v[i] - c >= 0) & (cert.v[i] - c <= 1))


def test_check_certificate_rejects_wrong_signs_and_far_vertices():
    col = random_colouring(6, 3, rng=2)
    sols = fully_labelled_simplices(col)
    c, p = sols.cells[0], sols.perms[0]
    cert = certificate_from_simplex(col, c, p)
    swapped = Certificate(cert.cell, cert.u, cert.v)  # u and v exchanged: every sign is wrong
    assert not check_certificate(col, swapped).valid
    far_v = cert.v.copy()
    far_v[0] = np.minimum(np.array(cert.cell) + 2, col.n - 1)
    res = check_certificate(col, Certificate(cert.cell, far_v, cert.u))
    assert not res.valid and "not a corner" in res.message
    with pytest.raises(InvalidArgument, match="certificate.v"):
        check_certificate(col, Certificate(cert.cell, cert.v[:, :2], cert.u))


def test_certificate_in_dimension_50_on_an_implicit_colouring():
    from constructions.sperner import brouwer_colouring, rotation_contraction_map

    d, n = 50, 8
    col = brouwer_colouring(rotation_contraction_map(d, factor=0.5, centre=np.full(d, 0.5)), n)
    # the cell around the fixed point 0.5 * (n-1) = 3.5 has corners 3 and 4 on every axis
    cell = np.full(d, 3)
    # a fully labelled Kuhn simplex there: follow the identity permutation
    lab = [bf_label(s) for s in col(kuhn_simplex_vertices(cell, range(d)))]
    assert lab[0] == 0  # the lower corner is below the fixed point on every axis: all signs +
    bad = Certificate(tuple(cell), np.tile(cell, (d, 1)), np.tile(cell, (d, 1)))
    assert not check_certificate(col, bad).valid
    v = np.tile(cell + 1, (d, 1))  # v^(i) = c + 1 lies above the fixed point: every sign is -1
    good = Certificate(tuple(cell), v, np.tile(cell, (d, 1)))
    assert check_certificate(col, good).valid


# ------------------------------------------------------------------------------------------------
# door graph and path following
# ------------------------------------------------------------------------------------------------


@settings(derandomize=True, deadline=None, max_examples=120)
@given(col=colourings(proper=True, max_n={2: 6, 3: 4, 4: 3}))
def test_door_graph_is_a_union_of_paths_ending_at_solutions_and_boundary(col):
    g = door_graph(col)
    bf = bf_solutions(col)
    sols = {n: a["orientation"] for n, a in g.nodes(data=True) if a.get("solution")}
    assert sols == bf
    for node, attrs in g.nodes(data=True):
        if attrs["kind"] == "boundary":
            assert g.degree(node) == 1
        elif attrs["solution"]:
            want = (1, 0) if attrs["orientation"] == 1 else (0, 1)
            assert (g.in_degree(node), g.out_degree(node)) == want
        else:
            assert (g.in_degree(node), g.out_degree(node)) == (1, 1)
    ends = [v for v in g if g.degree(v) == 1]
    n_boundary = sum(1 for v in ends if v[0] == "boundary")
    assert len(ends) == len(bf) + n_boundary
    entries = [v for v in ends if v[0] == "boundary" and g.out_degree(v) == 1]
    assert len(entries) - (n_boundary - len(entries)) == 1
    # every entry's walk ends at a sink (a positive solution) or leaves through an exit
    for e in entries:
        _, cell, perm, k = e
        path = follow_doors(col, cell, perm, enter=k)
        last = path.simplices[-1]
        if path.end == "solution":
            assert bf[last] == 1
        reach = nx.descendants(g, e)
        assert last in reach


def test_door_graph_matches_between_bisperner_and_its_sperner_reduction():
    col = random_colouring(7, 3, rng=5)
    g1 = door_graph(col)
    g2 = door_graph(bisperner_to_sperner(col))
    assert set(g1.edges) == set(g2.edges)


@pytest.mark.slow
def test_exhaustive_search_on_a_dense_grid_with_n_4096():
    from constructions.sperner import planted_instance

    inst = planted_instance(4096, 2, target=(1234, 2345), rng=0)
    assert panchromatic_cells(inst.colouring).tolist() == [[1234, 2345]]
    sols = fully_labelled_simplices(inst.colouring)
    assert sols.cells.tolist() == [[1234, 2345]] and sols.orientations.tolist() == [1]
