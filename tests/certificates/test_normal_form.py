"""nash_regret, correlated_gain, coarse_correlated_gain against brute-force loops over pure profiles."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from certificates import (
    InvalidArgument,
    coarse_correlated_gain,
    correlated_equilibrium_gain,
    correlated_gain,
    nash_regret,
)


def _random_game(rng, dims):
    return rng.standard_normal((len(dims), *dims))


def _brute_regret(P, xs):
    n, dims = P.shape[0], P.shape[1:]
    out = []
    for i in range(n):
        v = np.zeros(dims[i])
        for a in itertools.product(*(range(k) for k in dims)):
            w = np.prod([xs[j][a[j]] for j in range(n) if j != i])
            v[a[i]] += w * P[(i, *a)]
        out.append(v.max() - xs[i] @ v)
    return np.array(out)


def _brute_ce(P, D):
    n, dims = P.shape[0], P.shape[1:]
    out = []
    for i in range(n):
        total = 0.0
        for j in range(dims[i]):
            best = 0.0
            for r in range(dims[i]):
                s = 0.0
                for a in itertools.product(*(range(k) for k in dims)):
                    if a[i] != j:
                        continue
                    b = list(a)
                    b[i] = r
                    s += D[a] * (P[(i, *b)] - P[(i, *a)])
                best = max(best, s)
            total += best
        out.append(total)
    return np.array(out)


def _brute_cce(P, D):
    n, dims = P.shape[0], P.shape[1:]
    out = []
    for i in range(n):
        base = sum(D[a] * P[(i, *a)] for a in itertools.product(*(range(k) for k in dims)))
        best = -np.inf
        for r in range(dims[i]):
            s = 0.0
            for a in itertools.product(*(range(k) for k in dims)):
                b = list(a)
                b[i] = r
                s += D[a] * P[(i, *b)]
            best = max(best, s)
        out.append(best - base)
    return np.array(out)


@pytest.mark.parametrize("dims", [(3, 4), (2, 3, 2), (5,), (2, 2, 2, 3)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_against_brute_force(dims, seed):
    rng = np.random.default_rng(seed)
    P = _random_game(rng, dims)
    xs = [rng.dirichlet(np.ones(k)) for k in dims]
    D = rng.dirichlet(np.ones(int(np.prod(dims)))).reshape(dims)
    np.testing.assert_allclose(nash_regret(P, xs), _brute_regret(P, xs), atol=1e-12)
    np.testing.assert_allclose(nash_regret(P, np.concatenate(xs)), _brute_regret(P, xs), atol=1e-12)
    np.testing.assert_allclose(correlated_gain(P, D), _brute_ce(P, D), atol=1e-12)
    np.testing.assert_allclose(coarse_correlated_gain(P, D), _brute_cce(P, D), atol=1e-12)


@pytest.mark.parametrize("dims", [(300, 4), (4, 300), (1, 1), (32, 32), (40, 33)])
def test_bimatrix_fast_path_against_brute_force(dims):
    """Every branch of the bimatrix path (Python max up to 32 actions, ndarray.max beyond; the
    support-only product considered beyond 256)."""
    rng = np.random.default_rng(sum(dims))
    P = _random_game(rng, dims)
    xs = [rng.dirichlet(np.ones(k)) for k in dims]
    np.testing.assert_allclose(nash_regret(P, xs), _brute_regret(P, xs), atol=1e-12)
    np.testing.assert_allclose(nash_regret(P, tuple(xs)), _brute_regret(P, xs), atol=1e-12)
    for k, bad in ((0, np.nan), (1, np.inf)):
        Q = P.copy()
        Q[k, dims[0] - 1, dims[1] - 1] = bad
        with pytest.raises(InvalidArgument, match="finite"):
            nash_regret(Q, xs)


def _sparse_strategy(rng, k, support):
    z = np.zeros(k)
    z[rng.choice(k, size=support, replace=False)] = rng.dirichlet(np.ones(support))
    return z


@pytest.mark.parametrize("supports", [(1, 1), (20, 17), (21, 18), (3, 272), (320, 2)])
def test_bimatrix_sparse_support_path_against_brute_force(supports):
    """Above 256 actions a strategy with <= 1/16 of its actions in support is multiplied through
    its support only (320/16 = 20 and 272/16 = 17 are the largest such supports): the regrets
    agree with the brute-force sum over all pure profiles on both sides of that threshold."""
    dims = (320, 272)
    rng = np.random.default_rng(sum(supports))
    P = _random_game(rng, dims)
    xs = [_sparse_strategy(rng, k, s) for k, s in zip(dims, supports, strict=True)]
    np.testing.assert_allclose(nash_regret(P, xs), _brute_regret(P, xs), atol=1e-12)


def test_bimatrix_sparse_support_path_nonfinite_payoffs():
    """A NaN against an action played with positive probability raises; one against a
    zero-probability action is not read, and the regret is that of any finite value there."""
    dims = (320, 272)
    rng = np.random.default_rng(7)
    P = _random_game(rng, dims)
    x, y = _sparse_strategy(rng, dims[0], 2), _sparse_strategy(rng, dims[1], 1)
    j_on, j_off = int(np.flatnonzero(y)[0]), int(np.flatnonzero(y == 0)[0])
    i_on, i_off = int(np.flatnonzero(x)[0]), int(np.flatnonzero(x == 0)[0])
    Q = P.copy()
    Q[0, 5, j_on] = np.nan  # row player's payoff against the column actually played
    with pytest.raises(InvalidArgument, match="finite"):
        nash_regret(Q, [x, y])
    Q = P.copy()
    Q[1, i_on, 5] = np.inf  # column player's payoff against a row actually played
    with np.errstate(invalid="ignore"), pytest.raises(InvalidArgument, match="finite"):
        nash_regret(Q, [x, y])  # (0 * inf on the way: numpy may warn; the call must raise)
    Q = P.copy()
    Q[0, 5, j_off], Q[1, i_off, 5] = np.nan, np.inf
    R = P.copy()
    R[0, 5, j_off], R[1, i_off, 5] = 1e6, -1e6  # any finite values: same regrets
    np.testing.assert_allclose(nash_regret(Q, [x, y]), _brute_regret(R, [x, y]), atol=1e-12)


def test_product_distribution_matches_existing_ce_gain():
    rng = np.random.default_rng(3)
    P = _random_game(rng, (3, 4))
    x, y = rng.dirichlet(np.ones(3)), rng.dirichlet(np.ones(4))
    ref = correlated_equilibrium_gain(P, [np.concatenate([x, y])], [1.0])
    np.testing.assert_allclose(correlated_gain(P, np.outer(x, y)), ref, atol=1e-12)


def test_equilibria_have_zero_gap_and_ordering():
    A = np.array([[1.0, -1.0], [-1.0, 1.0]])
    P = np.stack([A, -A])
    assert nash_regret(P, [[0.5, 0.5], [0.5, 0.5]]).tolist() == [0.0, 0.0]
    rng = np.random.default_rng(4)
    P = _random_game(rng, (4, 4))
    D = rng.dirichlet(np.ones(16)).reshape(4, 4)
    # CCE gain <= CE gain (swap regret dominates external regret), both >= 0
    ce, cce = correlated_gain(P, D), coarse_correlated_gain(P, D)
    assert np.all(cce <= ce + 1e-12) and np.all(cce >= -1e-12)


def test_bad_input():
    P = np.zeros((2, 2, 3))
    with pytest.raises(InvalidArgument):
        nash_regret(P, [[0.5, 0.5], [1.0, 0.0]])
    with pytest.raises(InvalidArgument):
        correlated_gain(P, np.zeros((3, 2)))
    with pytest.raises(InvalidArgument):
        coarse_correlated_gain(np.zeros((3, 2, 2)), np.zeros((2, 2)))
    with pytest.raises(InvalidArgument):
        nash_regret(P, [np.nan, 1.0, 0.0, 0.0, 1.0])
    bad = np.zeros((2, 2, 3))
    bad[0, 0, 0] = np.nan  # not scanned, but propagates to the regrets
    with np.errstate(invalid="ignore"):  # numpy may warn on the way; the call must raise
        with pytest.raises(InvalidArgument):
            nash_regret(P, [np.array([0.5, 0.5]), np.array([np.inf, 0.0, 0.0])])
        with pytest.raises(InvalidArgument):
            nash_regret(bad, [[0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]])
    assert np.isnan(correlated_gain(bad, np.full((2, 3), 1 / 6))[0])
