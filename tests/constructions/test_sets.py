"""Tests of the constraint sets in ``constructions._sets``.

Every property is checked against an independent computation: brute-force face
enumeration or a cvxpy QP for projections, ``scipy.optimize.linprog`` or exact rational
arithmetic for support functions, vertex enumeration for the DSZ hexagon, and the
generic polytope code for the DSZ closed forms.
"""

from __future__ import annotations

import itertools
import os
import time
from fractions import Fraction

import cvxpy as cp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from constructions import (
    Ball,
    Box,
    ConvexSet,
    CoupledPolytope,
    CoupledSet,
    DSZSet,
    InvalidArgument,
    Polytope,
    ProductSet,
    Simplex,
)

#: CI (CI=true) runs the random-polytope projection properties 5x harder
FUZZ_SCALE = 5 if os.environ.get("CI") else 1
FAST = settings(derandomize=True, deadline=None, max_examples=40)
SLOW = settings(derandomize=True, deadline=None, max_examples=12)
#: projection properties of random polytopes (each example solves a handful of QPs)
POLY = settings(derandomize=True, deadline=None, max_examples=50 * FUZZ_SCALE)

# ---------------------------------------------------------------------------
# constructive strategies: every drawn set is valid by construction (no assume)
# ---------------------------------------------------------------------------

seeds = st.integers(0, 2**32 - 1)


@st.composite
def boxes(draw):
    n = draw(st.integers(1, 6))
    rng = np.random.default_rng(draw(seeds))
    lo = rng.uniform(-2, 1, n)
    width = rng.uniform(0, 2, n) * (rng.random(n) > 0.1)  # some degenerate coordinates
    return Box(lo, lo + width)


@st.composite
def simplices(draw):
    return Simplex(draw(st.integers(1, 8)), total=draw(st.sampled_from([1.0, 0.5, 3.0])))


@st.composite
def balls(draw):
    n = draw(st.integers(1, 5))
    rng = np.random.default_rng(draw(seeds))
    return Ball(rng.normal(size=n), draw(st.sampled_from([0.0, 0.3, 1.0, 2.5])))


@st.composite
def dsz_sets(draw):
    return DSZSet(draw(st.integers(1, 4)), draw(st.sampled_from([0.05, 0.25, 0.5, 0.9, 1.0])))


@st.composite
def polytopes(draw, *, max_dim=4):
    """Random polytope around a planted interior point z0, inside the box [-2, 2]^n."""
    n = draw(st.integers(1, max_dim))
    m = draw(st.integers(1, 5))
    rng = np.random.default_rng(draw(seeds))
    C = rng.normal(size=(m, n))
    z0 = rng.uniform(-1, 1, n)
    slack = rng.uniform(0, 1, m) * (rng.random(m) > 0.2)  # some rows tight at z0
    return Polytope(C, C @ z0 + slack, lo=-2.0, hi=2.0)


@st.composite
def bounded_polytopes(draw, *, max_dim=4):
    """Polytope with no box, bounded by its inequalities alone, optionally with equalities.

    The normals are ``k >= n`` random rows plus minus their sum: generic rows span R^n and
    the extra row makes them positively spanning, so ``{d : C d <= 0} = {0}`` (bounded).
    ``0 <= p < n`` equality rows pass through the planted point z0.
    """
    n = draw(st.integers(1, max_dim))
    k = draw(st.integers(n, n + 3))
    p = draw(st.integers(0, n - 1))
    rng = np.random.default_rng(draw(seeds))
    A = rng.normal(size=(k, n))
    C = np.vstack([A, -A.sum(axis=0)])
    z0 = rng.uniform(-1, 1, n)
    slack = rng.uniform(0.05, 1, k + 1) * (rng.random(k + 1) > 0.2)  # some rows tight at z0
    if p == 0:
        return Polytope(C, C @ z0 + slack)
    A_eq = rng.normal(size=(p, n))
    return Polytope(C, C @ z0 + slack, A_eq=A_eq, b_eq=A_eq @ z0)


@st.composite
def coupled_polytopes(draw):
    """Random CoupledPolytope around a planted point, with a joint box or bounded by rows only."""
    sizes = draw(st.lists(st.integers(1, 2), min_size=2, max_size=3))
    n = sum(sizes)
    m = draw(st.integers(1, 5))
    rng = np.random.default_rng(draw(seeds))
    C = rng.normal(size=(m, n))
    if not draw(st.booleans()):  # no box: add positively spanning rows (see bounded_polytopes)
        extra = rng.normal(size=(n, n))
        C = np.vstack([C, extra, -extra.sum(axis=0)])
        box = {}
    else:
        box = {"lo": -2.0, "hi": 2.0}
    z0 = rng.uniform(-1, 1, n)
    slack = rng.uniform(0, 1, C.shape[0]) * (rng.random(C.shape[0]) > 0.2)
    return CoupledPolytope(C, C @ z0 + slack, blocks=sizes, **box)


@st.composite
def products_with_polytope(draw):
    """A ProductSet with at least one Polytope factor among closed-form ones."""
    poly = draw(st.one_of(polytopes(max_dim=3), bounded_polytopes(max_dim=3)))
    others = draw(st.lists(st.one_of(boxes(), simplices(), balls(), dsz_sets()), max_size=2))
    at = draw(st.integers(0, len(others)))
    return ProductSet(others[:at] + [poly] + others[at:])


@st.composite
def products(draw):
    parts = draw(st.lists(st.one_of(boxes(), simplices(), balls(), dsz_sets()), min_size=1,
                          max_size=3))
    return ProductSet(parts)


closed_form_sets = st.one_of(boxes(), simplices(), balls(), dsz_sets(), products())

# ---------------------------------------------------------------------------
# independent samplers of feasible points and extreme points
# ---------------------------------------------------------------------------


def polytope_vertices(P: Polytope) -> np.ndarray:
    """All vertices of a bounded polytope by brute force over active sets, shape (V, n).

    Every choice of ``n - p`` inequality rows (box bounds included) together with the ``p``
    equalities is solved as a square system; the solutions that satisfy every constraint
    (to 1e-9 relative) are the vertices. Whatever the conditioning, every returned point is
    feasible, which is all the property checks rely on.
    """
    n = P.dim
    eye = np.eye(n)
    fin_lo, fin_hi = np.isfinite(P.lo), np.isfinite(P.hi)
    G = np.vstack([P.C, -eye[fin_lo], eye[fin_hi]])
    h = np.concatenate([P.c, -P.lo[fin_lo], P.hi[fin_hi]])
    E, e = P.A_eq, P.b_eq
    r = n - E.shape[0]
    combos = np.array(list(itertools.combinations(range(G.shape[0]), r)), dtype=int).reshape(-1, r)
    K = combos.shape[0]
    M = np.concatenate([G[combos], np.broadcast_to(E, (K, *E.shape))], axis=1)
    rhs = np.concatenate([h[combos], np.broadcast_to(e, (K, *e.shape))], axis=1)
    ok = np.abs(np.linalg.det(M)) > 1e-9
    V = np.linalg.solve(M[ok], rhs[ok][..., None])[..., 0]
    feasible = np.all(V @ G.T <= h + 1e-9 * (1 + np.abs(h)), axis=1)
    if E.shape[0]:
        feasible &= np.all(np.abs(V @ E.T - e) <= 1e-9 * (1 + np.abs(e)), axis=1)
    V = np.unique(V[feasible], axis=0)
    assert V.shape[0] >= 1, "a nonempty bounded polytope has a vertex"
    return V


def _polytope_extreme_points(P: Polytope, rng: np.random.Generator, k: int) -> list[np.ndarray]:
    V = polytope_vertices(P)
    return [V[j] for j in rng.integers(0, V.shape[0], k)]


def extreme_points(S: ConvexSet, rng: np.random.Generator, k: int = 8) -> list[np.ndarray]:
    """Extreme points (or boundary points for the ball) found without the code under test."""
    if isinstance(S, Box):
        return [np.where(rng.random(S.dim) < 0.5, S.lo, S.hi) for _ in range(k)]
    if isinstance(S, Simplex):
        return [S.total * np.eye(S.dim)[j] for j in range(S.dim)]
    if isinstance(S, Ball):
        out = []
        for _ in range(k):
            d = rng.normal(size=S.dim)
            out.append(S.center + S.radius * d / np.linalg.norm(d))
        return out
    if isinstance(S, DSZSet):
        verts = np.array([[0, 0], [S.Delta, 0], [1, 1 - S.Delta], [1, 1], [1 - S.Delta, 1],
                          [0, S.Delta]])
        out = []
        for _ in range(k):
            pick = verts[rng.integers(0, 6, S.d)]
            out.append(np.concatenate([pick[:, 0], pick[:, 1]]))
        return out
    if isinstance(S, ProductSet):
        per = [extreme_points(s, rng, k) for s in S.sets]
        return [np.concatenate([p[rng.integers(len(p))] for p in per]) for _ in range(k)]
    if isinstance(S, Polytope):
        return _polytope_extreme_points(S, rng, k)
    raise TypeError(S)


def feasible_points(S: ConvexSet, rng: np.random.Generator, k: int = 12) -> list[np.ndarray]:
    """Feasible points: random convex combinations of extreme points (plus interior ones)."""
    ext = extreme_points(S, rng, max(k, 4))
    out = list(ext)
    for _ in range(k):
        w = rng.dirichlet(np.ones(len(ext)))
        out.append(np.sum([wi * e for wi, e in zip(w, ext, strict=True)], axis=0))
    if isinstance(S, Ball):
        out += [S.center + rng.uniform(0, 1) * (e - S.center) for e in ext]
    return out


def random_outside(S: ConvexSet, rng: np.random.Generator) -> np.ndarray:
    return rng.normal(size=S.dim) * rng.choice([0.3, 1.0, 3.0])


def tol_for(S: ConvexSet) -> float:
    if isinstance(S, Polytope) or (
        isinstance(S, ProductSet) and any(isinstance(s, Polytope) for s in S.sets)
    ):
        return 1e-6
    return 1e-10


# ---------------------------------------------------------------------------
# projection properties
# ---------------------------------------------------------------------------


def check_projection_properties(S: ConvexSet, rng: np.random.Generator) -> None:
    tol = tol_for(S)
    a, b = random_outside(S, rng), random_outside(S, rng)
    pa, pb = S.project(a), S.project(b)
    # feasibility
    assert S.violation(pa) <= tol and S.contains(pb, tol=tol)
    # idempotence
    np.testing.assert_allclose(S.project(pa), pa, atol=10 * tol)
    # non-expansiveness
    assert np.linalg.norm(pa - pb) <= np.linalg.norm(a - b) + 10 * tol
    # variational inequality against feasible and extreme points
    scale = 1.0 + np.linalg.norm(a - pa)
    pts = feasible_points(S, rng) + extreme_points(S, rng)
    for z in pts:
        assert np.dot(a - pa, z - pa) <= 10 * tol * scale * (1 + np.linalg.norm(z - pa))
    # ... and against the whole set: max_{z in S} <a - pa, z - pa> (>= ||pa - proj(a)||^2)
    spread = max(np.linalg.norm(z - pa) for z in pts)
    assert vi_gap(S, a - pa, pa) <= 10 * tol * scale * (1 + spread)


def vi_gap(S: ConvexSet, w: np.ndarray, p: np.ndarray) -> float:
    """max over z in S of <w, z - p>, independently: closed forms, or every polytope vertex."""
    if isinstance(S, ProductSet):
        return sum(vi_gap(T, w[sl], p[sl]) for T, sl in zip(S.sets, S.block_slices(), strict=True))
    if isinstance(S, Polytope):  # bounded: the maximum of a linear function is at a vertex
        return float(np.max(polytope_vertices(S) @ w) - w @ p)
    if isinstance(S, Simplex):
        return float(S.total * np.max(w) - w @ p)
    return _support_reference(S, w) - float(w @ p)


@FAST
@given(S=closed_form_sets, seed=seeds)
def test_projection_properties_closed_forms(S, seed):
    check_projection_properties(S, np.random.default_rng(seed))


@POLY
@given(P=polytopes(), seed=seeds)
def test_projection_properties_random_polytopes(P, seed):
    check_projection_properties(P, np.random.default_rng(seed))


@POLY
@given(P=bounded_polytopes(), seed=seeds)
def test_projection_properties_polytopes_with_equalities_and_no_box(P, seed):
    assert not np.any(np.isfinite(P.lo)) and not np.any(np.isfinite(P.hi))
    check_projection_properties(P, np.random.default_rng(seed))


@POLY
@given(P=coupled_polytopes(), seed=seeds)
def test_projection_properties_random_coupled_polytopes(P, seed):
    check_projection_properties(P, np.random.default_rng(seed))


@POLY
@given(S=products_with_polytope(), seed=seeds)
def test_projection_properties_products_containing_a_polytope(S, seed):
    assert any(isinstance(T, Polytope) for T in S.sets)
    check_projection_properties(S, np.random.default_rng(seed))


def _simplex_brute_force(y: np.ndarray, total: float) -> np.ndarray:
    """Projection onto the simplex by enumerating its faces (exact KKT on each face)."""
    n = y.size
    best, best_d = None, np.inf
    for k in range(1, n + 1):
        for supp in itertools.combinations(range(n), k):
            idx = list(supp)
            z = np.zeros(n)
            z[idx] = y[idx] - (y[idx].sum() - total) / k
            if z.min() >= -1e-15 and np.linalg.norm(z - y) < best_d:
                best, best_d = z, np.linalg.norm(z - y)
    return best


@FAST
@given(S=simplices(), seed=seeds)
def test_simplex_projection_matches_brute_force_qp(S, seed):
    rng = np.random.default_rng(seed)
    y = rng.normal(size=S.dim) * 2
    p = S.project(y)
    np.testing.assert_allclose(p, _simplex_brute_force(y, S.total), atol=1e-10)
    z = cp.Variable(S.dim)
    cp.Problem(cp.Minimize(cp.sum_squares(z - y)), [z >= 0, cp.sum(z) == S.total]).solve(
        solver="CLARABEL"
    )
    np.testing.assert_allclose(p, z.value, atol=1e-7)


def _dsz_as_polytope(S: DSZSet) -> CoupledPolytope:
    eye = np.eye(S.d)
    C = np.block([[eye, -eye], [-eye, eye]])
    return CoupledPolytope(C, np.full(2 * S.d, S.Delta), blocks=(S.d, S.d), lo=0.0, hi=1.0)


@SLOW
@given(S=dsz_sets(), seed=seeds)
def test_dsz_closed_forms_match_generic_polytope(S, seed):
    rng = np.random.default_rng(seed)
    P = _dsz_as_polytope(S)
    for _ in range(3):
        y = rng.normal(0.5, 0.8, size=S.dim)
        np.testing.assert_allclose(S.project(y), P.project(y), atol=1e-6)
        v = rng.normal(size=S.dim)
        assert S.support(v) == pytest.approx(P.support(v), abs=1e-6)
        within = (rng.uniform(-0.2, 0.6, S.dim), rng.uniform(0.4, 1.2, S.dim))
        ref = linprog(-v, A_ub=P.C, b_ub=P.c, bounds=list(zip(np.maximum(within[0], 0),
                      np.minimum(within[1], 1), strict=True)), method="highs")
        if ref.status == 0:
            assert S.support(v, within=within) >= -ref.fun - 1e-12
            assert S.support(v, within=within) == pytest.approx(-ref.fun, abs=1e-6)
            assert P.support(v, within=within) == pytest.approx(-ref.fun, abs=1e-6)
    x = S.project(rng.uniform(0, 1, S.dim))
    for i in (0, 1):
        box, poly = S.slice(i, x), P.slice(i, x)
        y = rng.normal(0.5, 0.8, size=S.d)
        np.testing.assert_allclose(box.project(y), poly.project(y), atol=1e-6)
        assert box.contains(x[S.block_slices()[i]], tol=1e-12)


# ---------------------------------------------------------------------------
# support function
# ---------------------------------------------------------------------------


def _support_reference(S: ConvexSet, v: np.ndarray) -> float:
    """Independent value of the support function (closed forms in plain numpy, or an LP)."""
    if isinstance(S, Box):
        return float(np.sum(np.maximum(v * S.lo, v * S.hi)))
    if isinstance(S, Simplex):
        res = linprog(-v, A_eq=np.ones((1, S.dim)), b_eq=[S.total], bounds=(0, None),
                      method="highs")
        return -res.fun
    if isinstance(S, Ball):
        return float(v @ S.center + S.radius * np.linalg.norm(v))
    if isinstance(S, DSZSet):
        verts = extreme_points(S, np.random.default_rng(0), 1)  # noqa: F841 (shape check)
        d = S.d
        hexagon = [(0, 0), (S.Delta, 0), (1, 1 - S.Delta), (1, 1), (1 - S.Delta, 1), (0, S.Delta)]
        return float(sum(max(v[j] * a + v[d + j] * b for a, b in hexagon) for j in range(d)))
    if isinstance(S, ProductSet):
        return sum(_support_reference(s, v[sl])
                   for s, sl in zip(S.sets, S.block_slices(), strict=True))
    if isinstance(S, Polytope):
        res = linprog(-v, A_ub=S.C, b_ub=S.c, bounds=list(zip(S.lo, S.hi, strict=True)),
                      method="highs")
        return -res.fun
    raise TypeError(S)


def check_support(S: ConvexSet, rng: np.random.Generator) -> None:
    for _ in range(3):
        v = rng.normal(size=S.dim) * rng.choice([1e-3, 1.0, 1e3])
        bound = S.support(v)
        pts = feasible_points(S, rng) + extreme_points(S, rng)
        assert bound >= max(float(v @ z) for z in pts) - 1e-9 * np.abs(v).sum()
        ref = _support_reference(S, v)
        assert bound >= ref - 1e-9 * (1 + abs(ref))
        assert bound <= ref + 1e-6 * (1 + np.abs(v).sum())


@FAST
@given(S=closed_form_sets, seed=seeds)
def test_support_closed_forms(S, seed):
    check_support(S, np.random.default_rng(seed))


@SLOW
@given(P=polytopes(), seed=seeds)
def test_support_random_polytopes(P, seed):
    check_support(P, np.random.default_rng(seed))


@POLY
@given(P=bounded_polytopes(), seed=seeds)
def test_support_and_diameter_of_polytopes_without_box(P, seed):
    """Bounded by the rows alone (a certified bounding box must be found): exact vertex maxima."""
    rng = np.random.default_rng(seed)
    V = polytope_vertices(P)
    for _ in range(3):
        v = rng.normal(size=P.dim) * rng.choice([1e-3, 1.0, 1e3])
        ref = float(np.max(V @ v))
        bound = P.support(v)
        # sound; loose by at most the bounding box's documented enlargement, a relative 1e-6 per
        # coordinate (the LP may end on that box when a row is nearly parallel to an equality)
        slack = 2e-6 * (1 + np.abs(v) @ (1 + np.max(np.abs(V), axis=0)))
        assert ref - 1e-9 * (1 + abs(ref)) <= bound <= ref + slack
    far = max(np.linalg.norm(a - b) for a in V for b in V)
    # the diagonal of a bounding box (the certified box is enlarged by a relative 1e-6)
    radius = float(np.max(np.abs(V)))
    assert far - 1e-12 <= P.diameter() <= np.sqrt(P.dim) * (far + 4e-6 * (1 + radius))


def _fraction_box_support(lo, hi, v) -> Fraction:
    return sum((max(Fraction(a) * Fraction(lb), Fraction(a) * Fraction(ub))
                for a, lb, ub in zip(v, lo, hi, strict=True)), Fraction(0))


@FAST
@given(seed=seeds, n=st.integers(1, 30))
def test_support_is_rigorous_against_exact_rationals(seed, n):
    """The float results are never below the exact rational support value."""
    rng = np.random.default_rng(seed)
    v = rng.normal(size=n) * 10.0 ** rng.integers(-3, 4, n)
    lo = rng.uniform(-1, 0, n)
    hi = lo + rng.uniform(0, 3, n)
    assert Fraction(Box(lo, hi).support(v)) >= _fraction_box_support(lo, hi, v)
    total = float(rng.choice([1.0, 0.1, 7.3]))
    assert Fraction(Simplex(n, total).support(v)) >= Fraction(total) * Fraction(float(v.max()))
    Delta = float(rng.choice([0.1, 0.3, 1.0]))
    S = DSZSet(n, Delta)
    w = rng.normal(size=2 * n)
    D = Fraction(Delta)
    hexagon = [(0, 0), (D, 0), (1, 1 - D), (1, 1), (1 - D, 1), (0, D)]
    exact = sum(max(Fraction(w[j]) * a + Fraction(w[n + j]) * b for a, b in hexagon)
                for j in range(n))
    assert Fraction(S.support(w)) >= exact


@FAST
@given(S=st.one_of(boxes(), simplices(), dsz_sets()), seed=seeds)
def test_support_within_box(S, seed):
    rng = np.random.default_rng(seed)
    z = feasible_points(S, rng, 2)[-1]
    r = rng.uniform(0.01, 0.5)
    within = (z - r, z + r)  # contains a feasible point, so the intersection is nonempty
    v = rng.normal(size=S.dim)
    bound = S.support(v, within=within)
    if isinstance(S, Box):
        A_eq = b_eq = None
        lo, hi = np.maximum(S.lo, within[0]), np.minimum(S.hi, within[1])
        A_ub = b_ub = None
    elif isinstance(S, Simplex):
        A_eq, b_eq = np.ones((1, S.dim)), [S.total]
        lo, hi = np.maximum(0, within[0]), within[1]
        A_ub = b_ub = None
    else:
        P = _dsz_as_polytope(S)
        A_eq = b_eq = None
        A_ub, b_ub = P.C, P.c
        lo, hi = np.maximum(0, within[0]), np.minimum(1, within[1])
    res = linprog(-v, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq,
                  bounds=list(zip(lo, hi, strict=True)), method="highs")
    assert res.status == 0
    assert -res.fun - 1e-9 <= bound <= -res.fun + 1e-6
    assert bound <= S.support(v) + 1e-12  # intersecting can only help


def test_support_unbounded_and_bounded_without_box():
    half_plane = Polytope([[1.0, 0.0]], [1.0])
    assert half_plane.support([1.0, 0.0]) == pytest.approx(1.0, abs=1e-6)
    assert half_plane.support([0.0, 1.0]) == np.inf
    assert half_plane.support([0.0, 1.0], within=([-1, -1], [1, 3])) == pytest.approx(3, abs=1e-6)
    assert half_plane.diameter() == np.inf
    assert Box.reals(2).support([1.0, 0.0]) == np.inf and Box.reals(2).support([0, 0]) == 0.0
    # a triangle given by inequalities only still gets finite, tight bounds
    tri = Polytope([[1.0, 1.0], [-1.0, 0.0], [0.0, -1.0]], [1.0, 0.0, 0.0])
    assert tri.support([1.0, 2.0]) == pytest.approx(2.0, abs=1e-6)
    assert np.sqrt(2) <= tri.diameter() <= np.sqrt(2) + 1e-4


# ---------------------------------------------------------------------------
# a-posteriori projection error bound
# ---------------------------------------------------------------------------


@FAST
@given(S=closed_form_sets, seed=seeds)
def test_projection_error_bound_is_sound(S, seed):
    rng = np.random.default_rng(seed)
    y = random_outside(S, rng)
    p = S.project(y)
    assert S.projection_error_bound(y, p) <= 1e-6  # tight at the projection itself
    for size in (1e-8, 1e-4, 1e-1):
        q = S.project(p + size * rng.normal(size=S.dim))  # feasible perturbation
        assert S.projection_error_bound(y, q) >= np.linalg.norm(q - p) - 1e-12
        r = p + size * rng.normal(size=S.dim)  # possibly infeasible perturbation
        bound = S.projection_error_bound(y, r)
        assert bound >= np.linalg.norm(r - p) - 1e-12


@SLOW
@given(P=polytopes(max_dim=3), seed=seeds)
def test_project_certified_polytope(P, seed):
    rng = np.random.default_rng(seed)
    y = random_outside(P, rng)
    p, err = P.project_certified(y)
    assert P._certainly_feasible(p)
    z = cp.Variable(P.dim)
    cp.Problem(cp.Minimize(cp.sum_squares(z - y)),
               [P.C @ z <= P.c, z >= P.lo, z <= P.hi]).solve(solver="CLARABEL")
    ref = z.value
    assert np.isfinite(err) and err <= 1e-3
    assert err >= np.linalg.norm(p - ref) - 1e-7
    for t in (1e-3, 0.3):  # feasible, deliberately wrong answers
        q = P._repair((1 - t) * p + t * feasible_points(P, rng, 2)[-1])
        if q is not None:
            assert P.projection_error_bound(y, q) >= np.linalg.norm(q - ref) - 1e-7


def test_projection_error_bound_infeasible_polytope_point_is_inf():
    P = Polytope([[1.0, 1.0]], [1.0], lo=0.0, hi=1.0)
    assert P.projection_error_bound([1.0, 1.0], [0.6, 0.6]) == np.inf
    with_eq = Polytope(np.zeros((0, 3)), [], A_eq=[[1.0, 1.0, 1.0]], b_eq=[1.0], lo=0.0)
    p, err = with_eq.project_certified([0.3, 0.2, 0.1])
    truth = Simplex(3).project([0.3, 0.2, 0.1])  # (13/30, 10/30, 7/30)
    assert with_eq._certainly_feasible(p)
    assert np.linalg.norm(p - truth) <= err <= 1e-5  # snapped onto the equality, not walked to a vertex


def _polytope_with_equalities(rng, n, rows):
    """A polytope with two random rows, box [-1, 2], and the given equality rows through a random
    point x0 (so it is nonempty); returns it with its data for an independent cvxpy projection."""
    C = rng.normal(size=(2, n))
    x0 = np.round(rng.uniform(0.2, 0.8, size=n) * 2.0**20) / 2.0**20  # dyadic: b_eq has few bits
    c = C @ x0 + rng.uniform(0.05, 0.5, size=2)
    A_eq = np.array(rows)
    b_eq = A_eq @ x0
    P = Polytope(C, c, A_eq=A_eq, b_eq=b_eq, lo=-1.0, hi=2.0)
    return P, C, c, A_eq, b_eq, x0


def _projection_reference(C, c, A_eq, b_eq, y):
    z = cp.Variable(y.size)
    cp.Problem(cp.Minimize(cp.sum_squares(z - y)),
               [C @ z <= c, A_eq @ z == b_eq, z >= -1.0, z <= 2.0]).solve(solver="CLARABEL")
    return z.value


@pytest.mark.parametrize("seed", range(12))
def test_project_certified_with_equalities_is_sound_and_tight(seed):
    """Random polytopes with one equality row (even seeds) or two (odd seeds), each with a
    power-of-two pivot alone in its column, integer coefficients and a right-hand side of few bits
    (the case the snap is made for, like a simplex row): p is rigorously feasible, err bounds the
    distance to an independent cvxpy projection, and err is small."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 6))
    rows = [rng.integers(-3, 4, size=n).astype(float)]
    rows[0][0] = 2.0 ** int(rng.integers(-2, 3))  # pivot of row 0: column 0
    if seed % 2:
        rows[0][1] = 0.0
        extra = rng.integers(-3, 4, size=n).astype(float)  # short coefficients: an exact residual of few bits
        extra[0], extra[1] = 0.0, 2.0 ** int(rng.integers(-2, 3))  # pivot of row 1: column 1
        rows.append(extra)
    P, C, c, A_eq, b_eq, x0 = _polytope_with_equalities(rng, n, rows)
    y = x0 + rng.normal(size=n)
    p, err = P.project_certified(y)
    assert P._certainly_feasible(p)
    assert np.linalg.norm(p - _projection_reference(C, c, A_eq, b_eq, y)) - 1e-7 <= err <= 1e-4


def test_project_certified_with_an_equality_row_without_pivot_is_inf():
    """The documented limit: a row whose coefficients are no power of two alone in a column
    (here 0.1 x_0 + 0.3 x_1 + 0.7 x_2 = b) is not snapped, the float QP point does not satisfy it
    exactly, and no rigorously feasible point is found on the Slater walk: err = inf, not a guess."""
    rng = np.random.default_rng(0)
    P, *_ = _polytope_with_equalities(rng, 3, [[0.1, 0.3, 0.7]])
    y = rng.normal(size=3)
    p, err = P.project_certified(y)
    assert err == np.inf


# ---------------------------------------------------------------------------
# tangent cone
# ---------------------------------------------------------------------------


def boundary_points(S: ConvexSet, rng: np.random.Generator) -> list[np.ndarray]:
    return extreme_points(S, rng, 3) + [S.project(random_outside(S, rng) * 3) for _ in range(3)]


def step_room(S: ConvexSet, x: np.ndarray, w: np.ndarray) -> float:
    """How far ``x + t w`` may go before a constraint that is *inactive* at ``x`` binds.

    The tangent cone is a local object: a constraint with slack ``s > 0`` at ``x`` is not in
    it, so ``x + t w`` may cross it once ``t > s / (C_i w)``. Only polytopes have such flat
    faces at a finite distance that the check below must respect; curved sets get 1.
    """
    if not isinstance(S, Polytope):
        return 1.0
    G = np.vstack([S.C, -np.eye(S.dim), np.eye(S.dim)])
    h = np.concatenate([S.c, -S.lo, S.hi])
    slack, rate = h - G @ x, G @ w
    grow = np.isfinite(slack) & (rate > 0) & (slack > 0)
    return float(np.min(slack[grow] / rate[grow], initial=1.0))


def check_tangent_cone(S: ConvexSet, rng: np.random.Generator, tol: float) -> None:
    for x in boundary_points(S, rng) + feasible_points(S, rng, 2)[-2:]:
        v = rng.normal(size=S.dim)
        w = S.tangent_cone_projection(x, v, tol=tol)
        # w in the cone: small steps stay feasible up to O(t^2) (before an inactive face binds)
        room = step_room(S, x, w)
        for t in (min(1e-3, room / 2), min(1e-5, room / 2)):
            assert S.violation(x + t * w) <= S.violation(x) + 10 * t * t * (1 + w @ w) + 1e-9
        # v - w in the normal cone: <v - w, z - x> <= tol for feasible z
        for z in feasible_points(S, rng, 6) + extreme_points(S, rng, 4):
            assert np.dot(v - w, z - x) <= 1e-6 * (1 + np.linalg.norm(v))
        # Moreau: w orthogonal to v - w, and ||w|| <= ||v||
        assert abs(np.dot(w, v - w)) <= 1e-7 * (1 + v @ v)
        assert np.linalg.norm(w) <= np.linalg.norm(v) + 1e-9


@FAST
@given(S=closed_form_sets, seed=seeds)
def test_tangent_cone_closed_forms(S, seed):
    check_tangent_cone(S, np.random.default_rng(seed), tol=1e-9)


def cone_projection_brute_force(A: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Projection of ``v`` onto ``{z : A z <= 0}`` by enumerating active sets.

    KKT: the projection ``w`` has an active set ``J`` with ``A_J w = 0`` and
    ``v - w = A_J^T mu``, so ``w`` is the orthogonal projection of ``v`` onto ``null(A_J)``.
    Every subset ``J`` is tried; the closest feasible candidate is the projection.
    """
    best, best_d = None, np.inf
    for k in range(A.shape[0] + 1):
        for J in itertools.combinations(range(A.shape[0]), k):
            AJ = A[list(J)]
            w = v - AJ.T @ np.linalg.lstsq(AJ.T, v, rcond=None)[0] if J else v.copy()
            if A.shape[0] and np.max(A @ w) > 1e-11 * (1 + np.linalg.norm(v)):
                continue
            d = float(np.sum((w - v) ** 2))
            if d < best_d:
                best, best_d = w, d
    assert best is not None  # J = all rows is always feasible: A w = 0 on null(A)
    return best


@SLOW
@given(P=polytopes(max_dim=3), seed=seeds)
def test_tangent_cone_polytopes_against_brute_force(P, seed):
    rng = np.random.default_rng(seed)
    tol = 1e-7
    check_tangent_cone(P, rng, tol=tol)
    for x in boundary_points(P, rng):
        v = rng.normal(size=P.dim)
        w = P.tangent_cone_projection(x, v, tol=tol)
        eye = np.eye(P.dim)
        A = np.vstack([P.C[P.C @ x >= P.c - tol], -eye[x <= P.lo + tol], eye[x >= P.hi - tol]])
        np.testing.assert_allclose(w, cone_projection_brute_force(A, v), atol=1e-9)


def test_tangent_cone_examples():
    np.testing.assert_allclose(Box([0, 0], [1, 1]).tangent_cone_projection([0, 0.5], [-1, 2]),
                               [0, 2])
    np.testing.assert_allclose(Simplex(3).tangent_cone_projection([1, 0, 0], [1, 2, 3]),
                               [-1, 0, 1])
    np.testing.assert_allclose(Ball([0, 0], 1).tangent_cone_projection([0, 1], [1, 1]), [1, 0])
    S = DSZSet(1, 0.25)
    np.testing.assert_allclose(S.tangent_cone_projection([0.25, 0.0], [1.0, -1.0]), [0, 0])
    np.testing.assert_allclose(S.tangent_cone_projection([0.5, 0.5], [1.0, -1.0]), [1, -1])


# ---------------------------------------------------------------------------
# diameter, slices, products
# ---------------------------------------------------------------------------


@FAST
@given(S=st.one_of(closed_form_sets, polytopes(max_dim=3)), seed=seeds)
def test_diameter_upper_bounds_point_distances(S, seed):
    rng = np.random.default_rng(seed)
    pts = extreme_points(S, rng, 8)
    far = max(np.linalg.norm(a - b) for a in pts for b in pts)
    assert S.diameter() >= far - 1e-12


def test_diameter_closed_forms():
    assert Box([0, 0], [3, 4]).diameter() == pytest.approx(5.0, rel=1e-15)
    assert Box([0, 0], [3, 4]).diameter() >= 5.0
    assert Simplex(1).diameter() == 0.0
    assert Simplex(4, 2.0).diameter() == pytest.approx(2 * np.sqrt(2), rel=1e-15)
    assert Ball([1, 2, 3], 1.5).diameter() == 3.0
    assert DSZSet(3, 0.2).diameter() == pytest.approx(np.sqrt(6), rel=1e-15)
    assert ProductSet([Box([0], [3]), Box([0], [4])]).diameter() == pytest.approx(5, rel=1e-15)


@SLOW
@given(seed=seeds, sizes=st.lists(st.integers(1, 2), min_size=2, max_size=3))
def test_coupled_polytope_slices(seed, sizes):
    rng = np.random.default_rng(seed)
    n = sum(sizes)
    C = rng.normal(size=(4, n))
    z0 = rng.uniform(-1, 1, n)
    S = CoupledPolytope(C, C @ z0 + rng.uniform(0, 1, 4), blocks=sizes, lo=-2, hi=2)
    x = feasible_points(S, rng, 3)[-1]
    for i, sl in enumerate(S.block_slices()):
        T = S.slice(i, x)
        assert T.dim == sizes[i] and T.contains(x[sl], tol=1e-9)
        for _ in range(5):  # slice membership == joint membership with the others fixed
            xi = rng.uniform(-2, 2, sizes[i])
            joint = x.copy()
            joint[sl] = xi
            if abs(S.violation(joint)) > 1e-9 or T.violation(xi) > 1e-9:
                assert (S.violation(joint) > 0) == (T.violation(xi) > 0)


def test_dsz_slices_and_product_slices():
    S = DSZSet(2, 0.25)
    assert isinstance(S, CoupledSet) and S.blocks == (2, 2)
    B = S.slice(1, [0.1, 0.9, 0.0, 0.0])
    np.testing.assert_allclose(B.lo, [0.0, 0.65])
    np.testing.assert_allclose(B.hi, [0.35, 1.0])
    assert B.lo[1] <= 0.9 - 0.25 and B.hi[0] >= 0.1 + 0.25  # outward rounding
    P = ProductSet([Simplex(2), Ball([0.0], 1.0)])
    assert isinstance(P, CoupledSet) and P.blocks == (2, 1)
    assert P.slice(1, [0.5, 0.5, 0.0]) is P.sets[1]


def test_repr_is_readable():
    for S in (Box([0], [1]), Simplex(3), Ball([0, 0], 1), DSZSet(2, 0.5),
              ProductSet([Simplex(2)]), Polytope([[1.0]], [1.0], lo=0.0)):
        text = repr(S)
        assert text.startswith(type(S).__name__ + "(") and len(text) < 300


def test_large_closed_form_projections_are_vectorised():
    n = 10**6
    y = np.random.default_rng(0).normal(size=2 * n)
    start = time.perf_counter()
    for S in (Box(np.zeros(2 * n), np.ones(2 * n)), Simplex(2 * n), Ball(np.zeros(2 * n), 1.0),
              DSZSet(n, 0.1)):
        p = S.project(y)
        assert S.violation(p) <= 1e-9
    assert time.perf_counter() - start < 10.0


def test_solver_warning_free_for_easy_polytope(recwarn):
    P = Polytope([[1.0, 1.0]], [1.0], lo=0.0, hi=1.0)
    np.testing.assert_allclose(P.project([1.0, 1.0]), [0.5, 0.5], atol=1e-12)
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


# ---------------------------------------------------------------------------
# bad inputs
# ---------------------------------------------------------------------------

_BOX = Box([0.0, 0.0], [1.0, 1.0])
_DSZ = DSZSet(1, 0.1)
_POLY = Polytope([[1.0, 1.0]], [1.0], lo=0.0, hi=1.0)
NAN = float("nan")

BAD = [
    (Box, {"lo": [0.0, 1.0], "hi": [1.0]}, "hi"),
    (Box, {"lo": [NAN], "hi": [1.0]}, "lo"),
    (Box, {"lo": [[0.0]], "hi": [[1.0]]}, "lo"),
    (Box, {"lo": [2.0], "hi": [1.0]}, "empty"),
    (Box, {"lo": [np.inf], "hi": [np.inf]}, "lo"),
    (Box, {"lo": "abc", "hi": [1.0]}, "lo"),
    (Box.reals, {"n": 0}, "n"),
    (Simplex, {"n": 0}, "n"),
    (Simplex, {"n": 2.5}, "n"),
    (Simplex, {"n": 3, "total": -1.0}, "empty"),
    (Simplex, {"n": 3, "total": NAN}, "total"),
    (Ball, {"center": [0.0, NAN], "radius": 1.0}, "center"),
    (Ball, {"center": [0.0], "radius": -1.0}, "empty"),
    (Ball, {"center": [0.0], "radius": np.inf}, "radius"),
    (Polytope, {"C": [[1.0, 1.0]], "c": [1.0, 2.0]}, "c"),
    (Polytope, {"C": [[NAN]], "c": [1.0]}, "C"),
    (Polytope, {"C": [1.0, 2.0], "c": [1.0]}, "C"),
    (Polytope, {"C": [[1.0], [-1.0]], "c": [-1.0, 0.0]}, "empty"),
    (Polytope, {"C": [[1.0]], "c": [1.0], "A_eq": [[1.0]]}, "b_eq"),
    (Polytope, {"C": [[1.0]], "c": [1.0], "A_eq": [[1.0, 2.0]], "b_eq": [1.0]}, "A_eq"),
    (Polytope, {"C": [[1.0]], "c": [1.0], "lo": [2.0]}, "empty"),
    (Polytope, {"C": [[1.0]], "c": [1.0], "A_eq": [[1.0]], "b_eq": [5.0], "hi": 2.0}, "empty"),
    (ProductSet, {"blocks": []}, "blocks"),
    (ProductSet, {"blocks": [1, 2]}, "blocks"),
    (CoupledPolytope, {"C": [[1.0, 1.0]], "c": [1.0], "blocks": [1]}, "blocks"),
    (CoupledPolytope, {"C": [[1.0, 1.0]], "c": [1.0], "blocks": [1, 0, 1]}, "blocks"),
    (CoupledPolytope, {"C": [[1.0, 1.0]], "c": [-5.0], "blocks": [1, 1], "lo": 0.0}, "empty"),
    (DSZSet, {"d": 0, "Delta": 0.5}, "d"),
    (DSZSet, {"d": 2, "Delta": 0.0}, "Delta"),
    (DSZSet, {"d": 2, "Delta": 1.5}, "Delta"),
    (DSZSet, {"d": 2, "Delta": NAN}, "Delta"),
    (_BOX.project, {"y": [1.0, 2.0, 3.0]}, "y"),
    (_BOX.project, {"y": [NAN, 0.0]}, "y"),
    (_BOX.violation, {"x": [[1.0, 2.0]]}, "x"),
    (_BOX.contains, {"x": [0.5, 0.5], "tol": -1.0}, "tol"),
    (_BOX.support, {"v": [1.0, 2.0], "within": ([0.0], [1.0])}, "within"),
    (_BOX.support, {"v": [1.0, 2.0], "within": [0.0, 1.0, 2.0]}, "within"),
    (_BOX.support, {"v": [1.0, np.inf]}, "v"),
    (_BOX.tangent_cone_projection, {"x": [0.0, 0.0], "v": [1.0]}, "v"),
    (_BOX.tangent_cone_projection, {"x": [0.0, 0.0], "v": [1.0, 1.0], "tol": -1.0}, "tol"),
    (_BOX.projection_error_bound, {"y": [0.0, 0.0], "p": [NAN, 0.0]}, "p"),
    (Simplex(2).project, {"y": [1.0]}, "y"),
    (Ball([0.0], 1.0).support, {"v": [NAN]}, "v"),
    (_POLY.project, {"y": [1.0]}, "y"),
    (_POLY.project_certified, {"y": [NAN, 1.0]}, "y"),
    (_POLY.tangent_cone_projection, {"x": [0.0, 0.0], "v": [1.0, 2.0, 3.0]}, "v"),
    (_DSZ.slice, {"i": 2, "x": [0.0, 0.0]}, "i"),
    (_DSZ.slice, {"i": 0, "x": [0.0]}, "x"),
    (_DSZ.slice, {"i": 0, "x": [0.0, 5.0]}, "x="),
    (_DSZ.project, {"y": [0.0, NAN]}, "y"),
    (ProductSet([_BOX]).slice, {"i": -1, "x": [0.0, 0.0]}, "i"),
    (CoupledPolytope([[1.0, 1.0]], [1.0], blocks=[1, 1], lo=0.0).slice,
     {"i": 0, "x": [0.0, 5.0]}, "x="),
]


@pytest.mark.parametrize(("fn", "kwargs", "name"), BAD,
                         ids=[f"{getattr(f, '__qualname__', f)}-{k}" for f, k, _ in BAD])
def test_rejects_invalid_arguments(fn, kwargs, name):
    with pytest.raises(InvalidArgument, match=name):
        fn(**kwargs)
