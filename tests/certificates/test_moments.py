"""deviation_moments, int_gain, linear_deviation_gain against the exact closed forms and brute force."""

from __future__ import annotations

import math

import numpy as np
import pytest

from certificates import (
    InvalidArgument,
    deviation_moments,
    int_gain,
    linear_deviation_gain,
    linear_gain_box,
    linear_gain_simplex,
    linear_stats_exact,
)
from constructions import Ball, Box, Simplex


def _instance(rng, K, d, kind):
    if kind == "simplex":
        X = rng.dirichlet(np.ones(d), size=K)
    else:
        X = rng.uniform(-1.0, 2.0, size=(K, d))
    return rng.dirichlet(np.ones(K)), X, rng.standard_normal((K, d))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("K,d", [(1, 2), (5, 3), (20, 6)])
def test_linear_gain_matches_exact_closed_forms(seed, K, d):
    rng = np.random.default_rng(seed)
    p, X, G = _instance(rng, K, d, "box")
    lo, hi = np.full(d, -1.0), np.full(d, 2.0)
    hi[0] = lo[0] if seed % 3 == 0 else hi[0]  # a degenerate coordinate sometimes
    X[:, 0] = np.clip(X[:, 0], lo[0], hi[0])
    st = linear_stats_exact(p, X, G)
    exact, _, _ = linear_gain_box(st, lo, hi)
    assert linear_deviation_gain(p, X, G, Box(lo, hi)) == pytest.approx(float(exact), abs=1e-12)
    p, X, G = _instance(rng, K, d, "simplex")
    exact, _ = linear_gain_simplex(linear_stats_exact(p, X, G))
    assert linear_deviation_gain(p, X, G, Simplex(d)) == pytest.approx(float(exact), abs=1e-12)


def test_moments_brute_force():
    rng = np.random.default_rng(7)
    p, X, G = _instance(rng, 9, 4, "box")
    M, gbar, s = deviation_moments(p, X, G)
    ref = sum(p[k] * np.outer(G[k], X[k]) for k in range(9))
    np.testing.assert_allclose(M, ref, atol=1e-13)
    np.testing.assert_allclose(gbar, p @ G, atol=1e-13)
    assert s == pytest.approx(sum(p[k] * G[k] @ X[k] for k in range(9)), abs=1e-13)


@pytest.mark.parametrize("seed", range(4))
def test_int_gain_brute_force(seed):
    rng = np.random.default_rng(seed)
    p, X, G = _instance(rng, 8, 3, "box")
    X = np.clip(X, 0.0, 1.0)
    S, delta = Box(np.zeros(3), np.ones(3)), 0.05
    gbar = p @ G
    # best vertex z of the box for <gbar, z>, deviation x -> (1 - lam) x + lam z with lam = delta / D
    lam = delta / math.sqrt(3)
    best = max(sum(p[k] * G[k] @ (lam * (np.array(z) - X[k])) for k in range(8))
               for z in np.ndindex(2, 2, 2))
    assert int_gain(p, X, G, S, delta) == pytest.approx(max(best, 0.0), rel=1e-9, abs=1e-14)
    assert gbar.shape == (3,)


def test_bad_input():
    with pytest.raises(InvalidArgument):
        deviation_moments([1.0], [[0.0, 1.0]], [[1.0]])
    with pytest.raises(InvalidArgument):
        linear_deviation_gain([1.0], [[0.0, 0.0]], [[1.0, 1.0]], Ball(np.zeros(2), 1.0))
    with pytest.raises(InvalidArgument):
        int_gain([1.0], [[0.0, 0.0]], [[1.0, 1.0]], Box([0.0, 0.0], [1.0, 1.0]), -1.0)
    with pytest.raises(InvalidArgument):
        linear_deviation_gain([1.0], [[0.0, 0.0]], [[1.0, 1.0]], Box.reals(2))
    box = Box([0.0, 0.0], [1.0, 1.0])
    for p, X, G in (([np.nan, 1.0], np.zeros((2, 2)), np.ones((2, 2))),
                    ([0.5, 0.5], [[np.inf, 0.0], [0.0, 0.0]], np.ones((2, 2))),
                    ([0.5, 0.5], np.zeros((2, 2)), [[1.0, 1.0], [np.nan, 1.0]])):
        with pytest.raises(InvalidArgument):
            linear_deviation_gain(p, X, G, box)
        with pytest.raises(InvalidArgument):
            int_gain(p, X, G, box, 0.1)
