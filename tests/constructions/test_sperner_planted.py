"""Generators: planted long-path instances, Brouwer maps, random colourings; ground truth and hashes.

Planted instances are checked against an independent brute-force door walker (facets found by a
dictionary over all Kuhn simplices, labels read vertex by vertex) and an exhaustive cell scan.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from constructions import InvalidArgument
from constructions.sperner import (
    brouwer_colouring,
    brouwer_instance,
    fully_labelled_simplices,
    is_panchromatic,
    is_proper,
    panchromatic_cells,
    planted_instance,
    random_colouring,
    random_instance,
    random_smooth_map,
    rotation_contraction_map,
)
from constructions.sperner._generators import _planted_path

# ------------------------------------------------------------------------------------------------
# independent brute force
# ------------------------------------------------------------------------------------------------


def bf_label(col, v) -> int:
    if col.kind == "sperner":
        return int(col.values[v])
    for i, s in enumerate(col.values[v]):
        if s == -1:
            return i + 1
    return 0


def bf_door_walk(col):
    """Walk every door path that starts on the grid boundary; return [(start facet, simplices)]."""
    n, d = col.n, col.d
    lab = {v: bf_label(col, v) for v in itertools.product(range(n), repeat=d)}
    facets: dict[frozenset, list[frozenset]] = {}
    for cell in itertools.product(range(n - 1), repeat=d):
        for perm in itertools.permutations(range(d)):
            v = list(cell)
            verts = [tuple(v)]
            for a in perm:
                v[a] += 1
                verts.append(tuple(v))
            simplex = frozenset(verts)
            for k in range(d + 1):
                facets.setdefault(frozenset(verts[:k] + verts[k + 1 :]), []).append(simplex)
    target = set(range(d))

    def is_door(f):
        return {lab[v] for v in f} == target and len(f) == d

    walks = []
    for f, owners in facets.items():
        if len(owners) == 1 and is_door(f):
            cur, came = owners[0], f
            path = [cur]
            while True:
                labels = {lab[v] for v in cur}
                if labels == set(range(d + 1)):
                    end = "solution"
                    break
                nxt = [g for g in (cur - {v} for v in cur) if g != came and is_door(g)]
                assert len(nxt) == 1
                came = nxt[0]
                others = [s for s in facets[came] if s != cur]
                if not others:
                    end = "boundary"
                    break
                cur = others[0]
                path.append(cur)
            walks.append((f, end, path))
    return walks


def cell_of(simplex) -> tuple[int, ...]:
    return tuple(min(v[i] for v in simplex) for i in range(len(next(iter(simplex)))))


# ------------------------------------------------------------------------------------------------
# planted instances: exactly the claimed solutions, and the claimed long path
# ------------------------------------------------------------------------------------------------

TARGETS_2D = [(n, (a, b)) for n in (8, 11) for a in range(0, n - 1, 2) for b in range(1, n - 1, 2)]


@pytest.mark.parametrize(("n", "target"), TARGETS_2D)
def test_planted_2d_has_exactly_one_solution_and_a_long_door_path(n, target):
    inst = planted_instance(n, 2, target=target, rng=0)
    col = inst.colouring
    assert is_proper(col)
    assert panchromatic_cells(col).tolist() == [list(target)] == inst.solutions.tolist()
    sols = fully_labelled_simplices(col)
    assert sols.cells.tolist() == [list(target)] and sols.orientations.tolist() == [1]
    walks = bf_door_walk(col)
    assert len(walks) == 1  # a single boundary door, the entry
    _, end, path = walks[0]
    assert end == "solution" and cell_of(path[-1]) == target
    assert len(path) == inst.path_length
    assert inst.path_length >= n * n / 4
    # the reported entry is that boundary door, seen from the first simplex of the path
    e = inst.entry
    assert e.sign == 1 and cell_of(path[0]) == e.cell


@pytest.mark.parametrize("seed", range(12))
def test_planted_with_several_solutions(seed):
    n = 13
    k = 1 + 2 * (1 + seed % 3)
    inst = planted_instance(n, 2, target=(seed % (n - 1), 1 + seed % 4), n_solutions=k, rng=seed)
    col = inst.colouring
    assert len(inst.solutions) == k
    assert panchromatic_cells(col).tolist() == inst.solutions.tolist()
    sols = fully_labelled_simplices(col)
    assert sols.cells.tolist() == inst.solutions.tolist()  # one fully labelled triangle per cell
    assert sols.orientations.tolist() == inst.orientations.tolist()
    assert int(inst.orientations.astype(int).sum()) == 1
    walks = bf_door_walk(col)
    assert len(walks) == 1
    _, end, path = walks[0]
    assert end == "solution" and cell_of(path[-1]) == tuple(inst.params["target"])
    assert len(path) == inst.path_length >= n * n / 4


@pytest.mark.parametrize(
    ("n", "d", "seed", "target", "k"),
    [
        (4, 3, 0, None, 1),
        (5, 3, 1, None, 1),
        (7, 3, 2, (2, 3, 1), 3),
        (6, 3, 3, (0, 4, 1), 3),
        (4, 4, 3, None, 1),
        (5, 4, 4, (3, 0, 1, 1), 3),
    ],
)
def test_planted_in_higher_dimension(n, d, seed, target, k):
    inst = planted_instance(n, d, target=target, rng=seed, n_solutions=k)
    col = inst.colouring
    assert is_proper(col)
    assert len(inst.solutions) == k
    assert panchromatic_cells(col).tolist() == inst.solutions.tolist()
    sols = fully_labelled_simplices(col)
    per_cell: dict[tuple, int] = {}
    for c, o in zip(sols.cells.tolist(), sols.orientations.tolist(), strict=True):
        per_cell[tuple(c)] = per_cell.get(tuple(c), 0) + o
    want = {tuple(c): o for c, o in zip(inst.solutions.tolist(), inst.orientations.tolist(), strict=True)}
    assert per_cell == want
    walks = bf_door_walk(col)
    main = [w for w in walks if w[1] == "solution" and cell_of(w[2][-1]) == tuple(inst.params["target"])]
    assert len(main) == 1 and len(main[0][2]) == inst.path_length
    assert all(w[1] == "solution" for w in walks)


def test_planted_path_in_3d_grows_quadratically():
    lengths = [planted_instance(n, 3, target=(n // 2, n - 3, n - 2), rng=0).path_length for n in (8, 16)]
    assert lengths[1] >= 3.5 * lengths[0]
    assert lengths[1] >= 16**2 / 4


def test_count_and_walk_give_the_same_path_length():
    inst = planted_instance(60, 2, target=(17, 21), n_solutions=7, rng=3)
    args = (inst.colouring, tuple(inst.params["target"]), tuple(inst.params["rungs"]))
    e1, walk = _planted_path(*args, method="walk")
    e2, count = _planted_path(*args, method="count")
    assert walk == count == inst.path_length and e1 == e2


def test_planted_path_length_is_about_n_squared_for_every_target():
    n = 24
    lengths = [
        planted_instance(n, 2, target=(a, b), rng=0).path_length
        for a in range(n - 1)
        for b in range(1, n - 1)
    ]
    assert min(lengths) >= n * n / 4
    assert max(lengths) <= 2 * (n - 1) ** 2


def test_planted_random_targets_are_valid_and_reproducible():
    seen = set()
    for seed in range(25):
        a = planted_instance(12, 2, rng=seed)
        b = planted_instance(12, 2, rng=seed)
        assert a.sha256 == b.sha256
        assert np.array_equal(a.colouring.values, b.colouring.values)
        assert panchromatic_cells(a.colouring).tolist() == a.solutions.tolist()
        seen.add(a.sha256)
    assert len(seen) >= 20  # different seeds typically give different instances


def test_dense_and_implicit_planted_agree_and_scale_to_n_2_20():
    dense = planted_instance(33, 3, target=(5, 20, 9), n_solutions=3, rng=2)
    imp = planted_instance(33, 3, target=(5, 20, 9), n_solutions=3, rng=2, representation="implicit")
    assert np.array_equal(imp.colouring.to_dense().values, dense.colouring.values)
    assert np.array_equal(dense.solutions, imp.solutions)
    # single-vertex queries (the scalar fast path) agree with the vectorised evaluation
    rng = np.random.default_rng(0)
    V = rng.integers(0, 33, size=(200, 3))
    one_by_one = np.stack([imp.colouring(V[i : i + 1])[0] for i in range(len(V))])
    assert np.array_equal(one_by_one, dense.colouring.values[tuple(V.T)])

    n = 2**20
    big = planted_instance(n, 2, target=(700_000, 300_000), representation="implicit", rng=0)
    assert not big.colouring.is_dense and big.path_length is None
    assert is_panchromatic(big.colouring, (700_000, 300_000))
    for cell in rng.integers(0, n - 1, size=(200, 2)):
        assert not is_panchromatic(big.colouring, cell)


def test_planted_sperner_kind_is_the_reduction_of_the_bisperner_instance():
    from constructions.sperner import bisperner_to_sperner

    b = planted_instance(10, 2, target=(2, 3), n_solutions=3, rng=1)
    s = planted_instance(10, 2, target=(2, 3), n_solutions=3, rng=1, kind="sperner")
    assert np.array_equal(s.colouring.values, bisperner_to_sperner(b.colouring).values)
    assert fully_labelled_simplices(s.colouring).cells.tolist() == s.solutions.tolist()
    assert s.path_length == b.path_length


# ------------------------------------------------------------------------------------------------
# Brouwer maps and random colourings
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bmap",
    [
        rotation_contraction_map(2, centre=(0.31, 0.62)),
        rotation_contraction_map(3, angle=1.0, factor=0.3),
        random_smooth_map(2, rng=0),
        random_smooth_map(3, rng=1),
    ],
    ids=["rot2", "rot3", "smooth2", "smooth3"],
)
def test_brouwer_colouring_solutions_are_approximate_fixed_points(bmap):
    n = 40 if bmap.d == 2 else 14
    col = brouwer_colouring(bmap, n)
    assert is_proper(col)
    cells = panchromatic_cells(col)
    assert len(cells) >= 1
    # every vertex of a panchromatic cell has |M_i(z) - z_i| <= (L + 1) sqrt(d) / (N - 1) for every i
    bound = (bmap.lipschitz + 1) * math.sqrt(bmap.d) / (n - 1)
    for c in cells:
        for off in itertools.product((0, 1), repeat=bmap.d):
            z = (c + np.array(off)) / (n - 1)
            assert np.max(np.abs(bmap(z) - z)) <= bound + 1e-12
    if bmap.name == "rotation_contraction":  # the unique fixed point lies in a panchromatic cell
        c = np.array(bmap.params["centre"]) * (n - 1)
        assert any(np.all((cell <= c) & (c <= cell + 1)) for cell in cells)


def test_brouwer_instances_are_reproducible_and_dense_matches_implicit():
    a = brouwer_instance(24, 2, brouwer_map="random_smooth", rng=9)
    b = brouwer_instance(24, 2, brouwer_map="random_smooth", rng=9)
    c = brouwer_instance(24, 2, brouwer_map="random_smooth", rng=10)
    assert a.sha256 == b.sha256 != c.sha256
    imp = brouwer_instance(24, 2, brouwer_map="random_smooth", rng=9, dense=False)
    assert np.array_equal(imp.colouring.to_dense().values, a.colouring.values)


@pytest.mark.parametrize("kind", ["sperner", "bisperner"])
def test_random_colourings_are_proper_reproducible_and_varied(kind):
    a = random_colouring(9, 3, kind=kind, rng=4)
    b = random_colouring(9, 3, kind=kind, rng=4)
    c = random_colouring(9, 3, kind=kind, rng=np.random.default_rng(4))
    d = random_colouring(9, 3, kind=kind, rng=5)
    assert is_proper(a)
    assert np.array_equal(a.values, b.values) and np.array_equal(a.values, c.values)
    assert not np.array_equal(a.values, d.values)
    if kind == "sperner":  # interior vertices use every label with frequency about 1/(d+1)
        inner = a.values[1:-1, 1:-1, 1:-1]
        freq = np.bincount(inner.ravel(), minlength=4) / inner.size
        assert np.all(np.abs(freq - 0.25) < 0.06)
    assert random_instance(9, 3, kind=kind, rng=4).sha256 == random_instance(9, 3, kind=kind, rng=4).sha256


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n": 2}, "n="),
        ({"n": 10, "d": 1}, "d="),
        ({"n": 10, "target": (3, 0)}, "target="),
        ({"n": 10, "target": (9, 3)}, "target="),
        ({"n": 10, "target": (3, 3, 3)}, "target="),
        ({"n": 10, "n_solutions": 2}, "n_solutions="),
        ({"n": 10, "target": (3, 7), "n_solutions": 3}, "n_solutions="),
        ({"n": 10, "representation": "sparse"}, "representation="),
        ({"n": 10, "kind": "colour"}, "kind="),
        ({"n": 10, "rng": -1}, "rng"),
    ],
)
def test_planted_rejects_invalid_arguments(kwargs, match):
    with pytest.raises(InvalidArgument, match=match):
        planted_instance(**kwargs)


@pytest.mark.parametrize(
    ("fn", "kwargs", "match"),
    [
        (random_colouring, {"n": 1, "d": 2}, "n="),
        (random_colouring, {"n": 4, "d": 0}, "d="),
        (random_colouring, {"n": 4, "d": 2, "kind": "x"}, "kind="),
        (rotation_contraction_map, {"d": 2, "factor": 1.5}, "factor="),
        (rotation_contraction_map, {"d": 2, "centre": (0.5, 2.0)}, "centre"),
        (random_smooth_map, {"d": 0}, "d="),
        (brouwer_instance, {"n": 8, "d": 2, "brouwer_map": "spiral"}, "brouwer_map="),
        (brouwer_instance, {"n": 8, "d": 3, "brouwer_map": rotation_contraction_map(2)}, "d="),
        (brouwer_colouring, {"brouwer_map": "rotation", "n": 8}, "brouwer_map="),
    ],
)
def test_generators_reject_invalid_arguments(fn, kwargs, match):
    with pytest.raises(InvalidArgument, match=match):
        fn(**kwargs)
