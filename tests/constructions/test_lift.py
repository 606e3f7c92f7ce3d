"""Tests of the DSZ lift numerics: chain vs brute force, log space, derivatives, locality, parameters."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

from constructions import InvalidArgument
from constructions.lift import (
    cell_of,
    gda_accuracy_from_local_minmax,
    lift_colouring,
    local_minmax_from_gda,
    log_smoothstep_inf,
    seic_brute_force,
    seic_coefficients,
    smoothstep1,
    smoothstep2,
    smoothstep_inf,
    tensor_coefficients,
    weighted_hessian,
)
from constructions.sperner import implicit_colouring, planted_instance


def hashed_colouring(n, d, seed=0):
    """A proper implicit BiSperner colouring with pseudo-random interior signs (any n, d)."""
    mult = np.random.default_rng(seed).integers(1, 2**31, size=(d, d))

    def func(V):
        h = (V @ mult) % 7919
        signs = np.where((h * 2654435761 >> 7) % 2 == 0, 1, -1)
        signs = np.where(V == 0, 1, signs)
        return np.where(V == n - 1, -1, signs).astype(np.int8)

    return implicit_colouring(func, n=n, d=d, kind="bisperner", name="hashed")


# ------------------------------------------------------------------------------------------------
# smooth steps
# ------------------------------------------------------------------------------------------------


def test_smooth_steps_match_their_definitions():
    t = np.linspace(-0.5, 1.5, 41)
    c = np.clip(t, 0, 1)
    assert np.allclose(smoothstep1(t), 3 * c**2 - 2 * c**3)
    assert np.allclose(smoothstep2(t), 6 * c**5 - 15 * c**4 + 10 * c**3)
    inside = (t > 0) & (t < 1)
    ref = np.where(inside, 2.0 ** (-1 / np.where(inside, t, 0.5)), 0.0)
    ref = np.where(inside, ref / (ref + 2.0 ** (-1 / (1 - np.where(inside, t, 0.5)))), (t >= 1).astype(float))
    assert np.allclose(smoothstep_inf(t), ref, atol=1e-15)
    # symmetry 1 - S(t) = S(1 - t) for all three
    for fn in (smoothstep1, smoothstep2, smoothstep_inf):
        assert np.allclose(1 - fn(t), fn(1 - t), atol=1e-15)


@pytest.mark.parametrize("nu", [1, 2])
def test_log_smoothstep_derivatives_against_mpmath(nu):
    mpmath.mp.dps = 40

    def psi(z):
        z = mpmath.mpf(z)
        return mpmath.log(2 ** (-1 / z) / (2 ** (-1 / z) + 2 ** (-1 / (1 - z))))

    for z in [1e-3, 0.01, 0.2, 0.5, 0.77, 0.999]:
        ref = float(mpmath.diff(psi, z, nu))
        assert abs(float(log_smoothstep_inf(z, nu)) - ref) <= 1e-10 * max(1.0, abs(ref))
    assert float(log_smoothstep_inf(1e-3)) == pytest.approx(float(psi(1e-3)), rel=1e-14)


# ------------------------------------------------------------------------------------------------
# the chain equals Def. 8.7 over all 2^d corners
# ------------------------------------------------------------------------------------------------


def _chain_as_dict(it):
    return {tuple(v): w for v, w in zip(it.vertices.tolist(), it.weights, strict=True)}


def _special_points(rng, d, n):
    """Random points, points on faces, points with ties, points near faces."""
    pts = [rng.random(d) for _ in range(150)]
    for _ in range(40):
        x = rng.random(d)
        x[rng.integers(d)] = rng.integers(n) / (n - 1)  # on a face (or the boundary)
        pts.append(x)
    for _ in range(40):
        x = rng.random(d)
        c = cell_of(x, n)
        a, b = rng.choice(d, 2, replace=False) if d > 1 else (0, 0)
        x[b] = (c[b] + (x[a] * (n - 1) - c[a])) / (n - 1)  # same offset in the cell: a tie of u
        pts.append(np.clip(x, 0, 1))
    for _ in range(40):
        x = rng.random(d)
        i = rng.integers(d)
        x[i] = np.clip(rng.integers(n) / (n - 1) + rng.choice([-1, 1]) * 10.0 ** rng.uniform(-9, -3), 0, 1)
        pts.append(x)
    return pts


@pytest.mark.parametrize(("d", "n"), [(2, 5), (3, 4), (4, 4), (5, 3)])
def test_chain_equals_brute_force(d, n):
    rng = np.random.default_rng(d)
    for x in _special_points(rng, d, n):
        chain = _chain_as_dict(seic_coefficients(x, n))
        brute = seic_brute_force(x, n)
        assert len(chain) == d + 1
        assert set(v for v, w in brute.items() if w > 0) <= set(chain)
        for v, w in brute.items():
            assert abs(chain.get(v, 0.0) - w) <= 1e-12, (x, v)


def test_dsz_example_8_8():
    it = seic_coefficients(np.array([1.3, 2.5, 0.3]) / 3, 4)
    assert it.extra.p.round(12).tolist() == [0.7, 0.5, 0.3]
    S, Sinf = smoothstep2, smoothstep_inf
    Q = [
        Sinf(S(0.3)) * Sinf(S(0.5)) * Sinf(S(0.7)),
        Sinf(S(0.5) - S(0.3)) * Sinf(S(0.7) - S(0.3)),
        Sinf(S(0.7) - S(0.3)) * Sinf(S(0.7) - S(0.5)),
        Sinf(1 - S(0.3)) * Sinf(1 - S(0.5)) * Sinf(1 - S(0.7)),
    ]
    assert np.allclose(it.weights, np.array(Q) / sum(Q), atol=1e-15)


@pytest.mark.parametrize("d", [1, 2, 3, 5, 8])
def test_partition_support_and_vertex_interpolation(d):
    n = 4
    rng = np.random.default_rng(10 + d)
    for x in _special_points(rng, d, n)[:120]:
        it = seic_coefficients(x, n)
        assert abs(it.weights.sum() - 1) <= 1e-14 and (it.weights >= 0).all()
        assert (it.weights > 0).sum() <= d + 1
        offs = it.vertices - it.cell
        assert ((offs == 0) | (offs == 1)).all()  # chain vertices are corners of the cell
        assert (np.abs(np.diff(it.vertices, axis=0)).sum(axis=1) == 1).all()  # a Kuhn path
    for _ in range(10):  # P_v(v) = 1 at its own vertex
        v = rng.integers(0, n, d)
        it = seic_coefficients(v / (n - 1), n)
        assert _chain_as_dict(it).get(tuple(v.tolist()), 0.0) == pytest.approx(1.0, abs=1e-15)


def test_property_D_strict_and_its_failure_at_equality():
    """(D) holds for x_i < delta; at x_i = delta exactly it can fail (documented slip)."""
    rng = np.random.default_rng(3)
    for d, n in [(2, 5), (3, 4), (5, 3)]:
        for _ in range(300):
            x = rng.random(d)
            i = rng.integers(d)
            lower = rng.random() < 0.5
            # strictly inside the boundary layer; near x_i = delta the boundary vertex's weight
            # 2^(-1/(10 p^3)) underflows in double precision, but its log weight stays finite
            margin = 1e-9 / (n - 1)
            x[i] = rng.uniform(0, 1 / (n - 1) - margin) if lower else rng.uniform(1 - 1 / (n - 1) + margin, 1)
            it = seic_coefficients(x, n)
            rel = it.vertices[np.isfinite(it.log_weights)]
            assert (rel[:, i] == (0 if lower else n - 1)).any()
    it = seic_coefficients([1 / 3], 4)  # d = 1, x = delta exactly
    assert it.vertices[np.isfinite(it.log_weights)].tolist() == [[1]]


# ------------------------------------------------------------------------------------------------
# log space: finite and accurate for d up to 128
# ------------------------------------------------------------------------------------------------


def _mp_chain_weights(x, n):
    """Chain weights of Def. 8.7/8.9 in 60-digit arithmetic (independent of the prefix sums)."""
    mpmath.mp.dps = 60
    it = seic_coefficients(x, n)
    p = it.extra.p
    d = p.size
    S = [mpmath.mpf(v) for v in smoothstep2(p)]

    def Sinf(z):
        if z <= 0:
            return mpmath.mpf(0)
        if z >= 1:
            return mpmath.mpf(1)
        return 2 ** (-1 / z) / (2 ** (-1 / z) + 2 ** (-1 / (1 - z)))

    Q = []
    for v in it.vertices:
        A = [j for j in range(d) if v[j] == (it.vertices[-1][j])]  # source coordinates
        B = [j for j in range(d) if j not in A]
        if not B:
            q = mpmath.fprod(Sinf(1 - S[j]) for j in range(d))
        elif not A:
            q = mpmath.fprod(Sinf(S[j]) for j in range(d))
        else:
            q = mpmath.fprod(Sinf(S[ell] - S[j]) for j in A for ell in B)
        Q.append(q)
    tot = mpmath.fsum(Q)
    return it, [q / tot for q in Q]


@pytest.mark.parametrize("d", [16, 64, pytest.param(128, marks=pytest.mark.slow)])
def test_log_space_is_finite_and_accurate_in_high_dimension(d):
    rng = np.random.default_rng(d)
    for k in range(3):
        x = rng.random(d) if k else np.clip(0.5 + 1e-3 * rng.standard_normal(d), 0, 1)  # near ties
        it, ref = _mp_chain_weights(x, 5)
        assert np.isfinite(it.jacobian).all() and np.isfinite(it.weights).all()
        assert abs(it.weights.sum() - 1) < 1e-13
        for w, r, lw in zip(it.weights, ref, it.log_weights, strict=True):
            assert abs(w - float(r)) <= 1e-12
            if r > mpmath.mpf(10) ** -300:
                assert abs(lw - float(mpmath.log(r))) <= 1e-9 * max(1.0, abs(float(mpmath.log(r))))
        # the raw weights really do underflow: some chain Q is far below the float range
        if k == 0 and d >= 64:
            assert min(float(mpmath.log(r)) for r in ref if r > 0) < -745


# ------------------------------------------------------------------------------------------------
# derivatives against finite differences
# ------------------------------------------------------------------------------------------------


def _fd(fun, z, h):
    """Fourth-order central differences of a vector function."""
    cols = []
    for k in range(z.size):
        e = np.zeros_like(z)
        e[k] = h
        cols.append((8 * (fun(z + e) - fun(z - e)) - (fun(z + 2 * e) - fun(z - 2 * e))) / (12 * h))
    return np.array(cols).T


def _random_point(rng, g, near_face=False):
    d, n = g.d, g.n
    x = rng.uniform(0.02, 0.98, d)
    if near_face:
        i = rng.integers(d)
        k = rng.integers(1, n - 1)
        x[i] = k / (n - 1) + rng.choice([-1, 1]) * 10.0 ** rng.uniform(-5, -4)
    y = x + g.Delta * rng.uniform(-0.9, 0.9, d)
    return x, y


@pytest.mark.parametrize(("d", "n"), [(2, 6), (3, 5), (8, 4), (16, 3)])
def test_gradient_and_hessian_match_finite_differences(d, n):
    g = lift_colouring(hashed_colouring(n, d, seed=d))
    rng = np.random.default_rng(d)
    worst_g = worst_h = 0.0
    for k in range(6):
        x, y = _random_point(rng, g, near_face=k % 2 == 1)
        z = np.concatenate([x, y])
        ev = g.evaluate(x, y, hessian=True)
        grad = np.concatenate([ev.grad_x, ev.grad_y])
        cell = ev.interpolation.cell
        perm = getattr(ev.interpolation.extra, "perm", None)
        h = 1e-6 * min(1.0, 1e3 * g.Delta)

        def val(w, cell=cell, perm=perm):
            return np.array([g.evaluate(w[:d], w[d:], cell=cell, perm=perm).value])

        def grd(w, cell=cell, perm=perm):
            e = g.evaluate(w[:d], w[d:], cell=cell, perm=perm)
            return np.concatenate([e.grad_x, e.grad_y])

        fd_g = _fd(val, z, h)[0]
        fd_h = _fd(grd, z, h)
        # relative to max(norm, 1): at d = 16 the weights are often saturated (one ~ 1, the others
        # ~ 1e-90), so the Hessian of f is far below what differences of an O(1) gradient resolve; the
        # pure relative check is test_weight_derivatives_match_finite_differences, on the weights
        worst_g = max(worst_g, np.linalg.norm(fd_g - grad) / max(np.linalg.norm(grad), 1.0))
        worst_h = max(worst_h, np.linalg.norm(fd_h - ev.hessian) / max(np.linalg.norm(ev.hessian), 1.0))
        assert np.allclose(ev.hessian, ev.hessian.T, atol=1e-9 * max(1.0, np.abs(ev.hessian).max()))
        v = rng.standard_normal(2 * d)
        assert np.allclose(g.hvp(x, y, v), ev.hessian @ v)
    assert worst_g <= 1e-6
    assert worst_h <= 1e-6


def _weight_points(rng, d, n):
    """(kind, x, distance in cell sides to the nearest interior face) for the FD test of the weights.

    Random points, points 1e-4..1e-2 cell sides from one or two interior cell faces (never on them),
    and points whose canonical coordinates nearly tie (gap 1e-3..1e-1 of the cell side) or tie exactly.
    """
    out = []
    for kind in ["random"] * 2 + ["face"] * 3 + ["tie"] * 3:
        x = rng.uniform(0.02, 0.98, d)
        if kind == "face":
            for i in rng.choice(d, min(d, 2), replace=False):
                k = rng.integers(1, n - 1)
                x[i] = (k + rng.choice([-1, 1]) * 10.0 ** rng.uniform(-4, -2)) / (n - 1)
        elif kind == "tie":
            c = cell_of(x, n)
            a, b = rng.choice(d, 2, replace=False)
            gap = 0.0 if rng.random() < 0.25 else 10.0 ** rng.uniform(-3, -1)
            u = np.clip(x[a] * (n - 1) - c[a] + gap, 0.05, 0.95)
            x[b] = (c[b] + u) / (n - 1)  # same offset in the cell: p_a, p_b (nearly) tie
        u = x * (n - 1)
        inner = (np.rint(u) > 0) & (np.rint(u) < n - 1)
        dist = float(np.min(np.abs(u - np.rint(u))[inner], initial=1.0))
        out.append((kind, x, dist))
    return out


def _by_vertex(it, rows):
    return {tuple(v): r for v, r in zip(it.vertices.tolist(), rows, strict=True)}


@pytest.mark.parametrize(
    ("scheme", "d"),
    [("tensor", 2)]
    + [("seic", d) for d in range(2, 9)]
    + [pytest.param("seic", d, marks=pytest.mark.slow) for d in (10, 12, 14, 16)],
)
def test_weight_derivatives_match_finite_differences(scheme, d):
    """dP_v/dx and sum_v w_v d2P_v/dx2 against 4th-order central differences, pure relative error.

    The weights are compared as global functions of x keyed by vertex (a vertex outside the support
    has weight 0), so the stencil may cross Kuhn-simplex boundaries, where the SEIC weights are
    C-infinity (S_inf is flat at 0). It must not cross a cell face: there the SEIC weights are only
    C^2 (the third derivative of S jumps) and the tensor weights only C^{1,1} (S1'' jumps), so the step
    is a quarter of the distance to the nearest face (the points are >= 1e-4 cell sides away from
    it), and small compared with the length on which the weights vary. Errors are measured in the
    Frobenius norm of the whole matrix, since single entries vanish.
    """
    n = 5
    coeff = tensor_coefficients if scheme == "tensor" else seic_coefficients
    rng = np.random.default_rng(100 + d)
    mult = rng.integers(1, 2**31, size=d)

    def w_of(v):  # a fixed pseudo-random real weight per vertex
        return math.sin(float(np.dot(np.asarray(v), mult) % 10007) + 0.5)

    for kind, x, dist in _weight_points(rng, d, n):
        it = coeff(x, n)
        J = _by_vertex(it, it.jacobian)
        H = weighted_hessian(it, np.array([w_of(v) for v in it.vertices.tolist()]))
        # step: a quarter of the distance to the nearest face, and 1/100 of the length on which the
        # positive weights vary (near faces and ties they vary like exp(-c/gap), on tiny lengths)
        pos = it.weights > 0
        log_rate = float(np.max(np.abs(it.jacobian[pos] / it.weights[pos, None])))
        h = min(1e-4 / (n - 1), dist / 4 / (n - 1), 1e-2 / max(log_rate, 1e-300))
        cache = {}

        def keyed(z, cache=cache):
            key = z.tobytes()
            if key not in cache:
                itz = coeff(z, n)
                cache[key] = (_by_vertex(itz, itz.weights), _by_vertex(itz, itz.jacobian))
            return cache[key]

        stencil = [x + s * k * h * e for s in (-1, 1) for k in (1, 2) for e in np.eye(d)]
        verts = sorted(set(J).union(*(keyed(z)[0] for z in stencil)))

        top = verts.index(max(J, key=lambda v: keyed(x)[0][v]))

        def weights(z, verts=verts, top=top):
            P = keyed(z)[0]
            out = np.array([P.get(v, 0.0) for v in verts])
            # the dominant weight is 1 - (tiny) and rounds to 1 near a vertex: difference the
            # complement 1 - sum of the others instead (partition of unity, tested above)
            out[top] = -np.delete(out, top).sum()
            return out

        def weighted_gradient(z):
            return sum(w_of(v) * row for v, row in keyed(z)[1].items())

        J_ref = np.array([J.get(v, np.zeros(d)) for v in verts])
        J_fd, H_fd = _fd(weights, x, h), _fd(weighted_gradient, x, h)
        if not np.any(J_ref):  # deep in a vertex's flat zone: every weight but one underflows to 0
            assert not np.any(J_fd) and not np.any(H_fd) and not np.any(H)
            continue
        err_j = np.linalg.norm(J_fd - J_ref) / np.linalg.norm(J_ref)
        err_h = np.linalg.norm(H_fd - H) / np.linalg.norm(H)
        assert err_j <= 1e-6, (kind, x.tolist(), "J", err_j)
        assert err_h <= 1e-6, (kind, x.tolist(), "H", err_h)


def test_tensor_weights_are_the_dsz_2d_formula():
    rng = np.random.default_rng(1)
    n = 7
    for _ in range(50):
        x = rng.random(2)
        it = tensor_coefficients(x, n)
        i, j = it.cell
        u, w = x[0] * (n - 1) - i, x[1] * (n - 1) - j
        S = smoothstep1
        ref = {
            (i, j): S(1 - u) * S(1 - w),
            (i, j + 1): S(1 - u) * S(w),
            (i + 1, j + 1): S(u) * S(w),
            (i + 1, j): S(u) * S(1 - w),
        }
        got = _chain_as_dict(it)
        for v, r in ref.items():
            assert got[v] == pytest.approx(float(r), abs=1e-15)


# ------------------------------------------------------------------------------------------------
# query locality
# ------------------------------------------------------------------------------------------------


def _counting(col):
    calls = []

    def func(V):
        calls.append(len(V))
        return col(V)

    return implicit_colouring(func, n=col.n, d=col.d, kind="bisperner", name="counted"), calls


@pytest.mark.parametrize(("d", "expected"), [(2, 4), (3, 4), (6, 7), (20, 21)])
def test_each_query_reads_at_most_d_plus_1_colours(d, expected):
    base = planted_instance(5, d, rng=d, representation="implicit").colouring
    col, calls = _counting(base)
    calls.clear()
    g = lift_colouring(col, check_proper=False)
    rng = np.random.default_rng(d)
    for _ in range(20):
        x, y = _random_point(rng, g)
        for fn in (g.value, g.gradient, g.hessian, g.residual):
            calls.clear()
            fn(x, y)
            assert sum(calls) == expected
            assert len(calls) == 1
        ev = g.evaluate(x, y)
        assert ev.n_queries == expected
    # and through the localeq Game oracle
    calls.clear()
    z = np.concatenate(_random_point(rng, g))
    g.game.gradient(0, z)
    assert sum(calls) == expected


# ------------------------------------------------------------------------------------------------
# parameters
# ------------------------------------------------------------------------------------------------


def test_2d_parameters_follow_dsz():
    g = lift_colouring(planted_instance(9, 2, target=(4, 3), rng=0).colouring)
    p = g.parameters
    assert p.scheme == "tensor" and p.cell_side == 1 / 8
    assert p.Delta == pytest.approx(p.cell_side / 12) and p.alpha == pytest.approx(p.Delta / 3)
    assert p.key_margin == pytest.approx(0.75)
    assert p.G_bound == pytest.approx(math.sqrt(6.5))
    eps, dl = local_minmax_from_gda(p.alpha, p.L_used)
    assert (p.eps_equiv, p.delta_equiv) == (eps, dl)
    assert dl == pytest.approx(math.sqrt(eps / p.L_used))


def test_theorem_5_1_conversions():
    alpha, L, G = 1e-2, 3.0, 2.0
    eps, dl = local_minmax_from_gda(alpha, L)
    assert eps == pytest.approx(alpha**2 * L / (5 * L + 2) ** 2) and dl == pytest.approx(alpha / (5 * L + 2))
    # part 1 inverts monotonically: smaller delta -> larger admissible alpha
    a1 = gda_accuracy_from_local_minmax(1e-3, 1e-3, G, L)
    a2 = gda_accuracy_from_local_minmax(1e-3, 1e-4, G, L)
    assert 0 < a1 < a2
    # alpha solves alpha^2 + (G + delta) alpha = eps - L delta^2 / 2
    assert a1**2 + (G + 1e-3) * a1 == pytest.approx(1e-3 - L * 1e-6 / 2)


def test_seic_delta_rule_and_conditional_margin():
    g = lift_colouring(planted_instance(5, 4, rng=0).colouring)
    p = g.parameters
    assert p.scheme == "seic"
    # |d a_j / d x_i| <= V_d / delta, and a factor 2 of safety on the measured V_d
    assert p.Delta == pytest.approx(p.cell_side / (4 * 4 * p.variation))
    assert p.key_margin == pytest.approx(1 - 3 / 16)
    assert "measured" in p.Delta_rule and "safety factor 2" in p.Delta_rule


def test_sign_colouring_attains_the_variation_bound_on_the_derivative_of_a():
    # |d a_j/d p_i| <= sum_v |dP_v/dp_i| = V, with equality for C^j(v) = sign(dP_v/dp_i): the bound
    # behind Delta is V_d / delta, not V_d / (2 delta)
    rng = np.random.default_rng(3)
    for d in (1, 2, 4):
        x = rng.random(d)
        it = seic_coefficients(x, 2)
        col = np.sign(it.jacobian[:, 0])
        assert abs(col @ it.jacobian[:, 0]) == pytest.approx(np.abs(it.jacobian[:, 0]).sum(), rel=1e-12)


def test_tiny_delta_rejects_points_outside_the_coupling_band():
    col = planted_instance(5, 3, rng=0).colouring
    g = lift_colouring(col, Delta=1e-12)
    x = np.full(3, 0.4)
    g.check_point(x, x + 1e-12)  # on the band's edge
    with pytest.raises(InvalidArgument, match=r"outside the domain.*x=.*y="):
        g.check_point(x, x + np.array([0.0, 1e-10, 0.0]))  # an absolute 1e-9 tolerance accepted this
    with pytest.raises(InvalidArgument, match=r"y must lie in \[0, 1\]\^3.*y="):
        g.check_point(np.zeros(3), np.array([0.0, -1e-10, 0.0]))
    with pytest.raises(InvalidArgument, match=r"x must lie"):
        g.evaluate(np.array([1.0 + 1e-10, 0.5, 0.5]), np.array([1.0, 0.5, 0.5]))
