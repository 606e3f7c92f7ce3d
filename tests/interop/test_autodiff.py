"""Games defined with JAX / PyTorch utilities: autodiff derivatives and certificates.

Independent references: the same utilities as sympy expressions (exact symbolic gradients and
Hessians, :func:`constructions.game_from_sympy`), central finite differences, and a numpy game
with hand-written gradients whose certificates must equal those of the autodiff games.
JAX and PyTorch are optional: each test skips when its library is absent.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from certificates import certify_local_nash
from constructions import Box, InvalidArgument, ProductSet, game_from_callables, game_from_sympy
from constructions.interop import jax_game, torch_game

DIMS = (2, 1)
DOMAIN = ProductSet([Box([-1.0, -1.0], [1.0, 1.0]), Box([-1.0], [1.0])])
L_DECLARED = 40.0        # an assumed own-block smoothness constant, the same for every backend


def _utilities(lib):
    """u_0, u_1 of a nonconcave game (x0, x1 | x2) written against a math library."""
    sin, cos = lib.sin, lib.cos

    def u0(z):
        return sin(z[0] * z[2]) - (z[0] ** 2 + z[1] ** 2 - 1) ** 2 + z[1] * z[2]

    def u1(z):
        return -z[2] ** 2 / 2 + z[2] * (z[0] - z[1]) + cos(z[2]) * z[0]

    return [u0, u1]


def _sympy_game():
    x0, x1, x2 = sp.symbols("x0 x1 x2")
    u0, u1 = _utilities(sp)
    z = [x0, x1, x2]
    return game_from_sympy([u0(z), u1(z)], [[x0, x1], [x2]], domain=DOMAIN, smoothness=L_DECLARED)


def _numpy_game():
    u0, u1 = _utilities(np)

    def g0(z):
        c = 2 * (z[0] ** 2 + z[1] ** 2 - 1)
        return np.array([np.cos(z[0] * z[2]) * z[2] - 2 * z[0] * c, -2 * z[1] * c + z[2]])

    def g1(z):
        return np.array([-z[2] + (z[0] - z[1]) - np.sin(z[2]) * z[0]])

    return game_from_callables([u0, u1], [g0, g1], dims=DIMS, domain=DOMAIN, smoothness=L_DECLARED)


def _autodiff_games():
    out = []
    try:
        import jax.numpy as jnp
    except ImportError:
        pass
    else:
        out.append(("jax", jax_game(_utilities(jnp), dims=DIMS, domain=DOMAIN, smoothness=L_DECLARED)))
        vec = lambda z: jnp.stack([f(z) for f in _utilities(jnp)])  # noqa: E731
        out.append(("jax-vector", jax_game(vec, dims=DIMS, domain=DOMAIN, smoothness=L_DECLARED)))
    try:
        import torch
    except ImportError:
        pass
    else:
        out.append(("torch", torch_game(_utilities(torch), dims=DIMS, domain=DOMAIN, smoothness=L_DECLARED)))
        vec = lambda z: torch.stack([f(z) for f in _utilities(torch)])  # noqa: E731
        out.append(("torch-vector", torch_game(vec, dims=DIMS, domain=DOMAIN, smoothness=L_DECLARED)))
    return out


GAMES = _autodiff_games()
needs_backend = pytest.mark.skipif(not GAMES, reason="neither JAX nor PyTorch is installed")
POINTS = np.random.default_rng(3).uniform(-0.9, 0.9, size=(8, 3))


@needs_backend
@pytest.mark.parametrize(("label", "game"), GAMES, ids=[g[0] for g in GAMES])
def test_values_gradients_hessians_match_sympy(label, game):
    ref = _sympy_game()
    for x in POINTS:
        for i in range(2):
            assert game.utility(i, x) == pytest.approx(ref.utility(i, x), rel=1e-14, abs=1e-14)
            # float64 autodiff: agreement to ~1e-14 (float32 would only give ~1e-7)
            np.testing.assert_allclose(game.gradient(i, x), ref.gradient(i, x), rtol=1e-13, atol=1e-13)
            np.testing.assert_allclose(game.hessian(i, x), ref.hessian(i, x), rtol=1e-12, atol=1e-12)


@needs_backend
@pytest.mark.parametrize(("label", "game"), GAMES, ids=[g[0] for g in GAMES])
def test_gradients_match_finite_differences(label, game):
    h = 1e-6
    for x in POINTS[:3]:
        for i, sl in enumerate(game.block_slices):
            fd = []
            for k in range(sl.start, sl.stop):
                e = np.zeros(3)
                e[k] = h
                fd.append((game.utility(i, x + e) - game.utility(i, x - e)) / (2 * h))
            np.testing.assert_allclose(game.gradient(i, x), fd, rtol=1e-6, atol=1e-7)


@needs_backend
@pytest.mark.parametrize(("label", "game"), GAMES, ids=[g[0] for g in GAMES])
def test_certificates_equal_those_of_the_numpy_game(label, game):
    ref = _numpy_game()
    # a stationary point of u_1 in x2 and a generic point; generous and tight eps
    for x in (np.array([0.3, -0.2, 0.1]), POINTS[0]):
        for eps, delta in ((1.0, 0.05), (1e-4, 0.05)):
            a = certify_local_nash(game, x, eps=eps, delta=delta)
            b = certify_local_nash(ref, x, eps=eps, delta=delta)
            assert a.verdict == b.verdict
            assert a.epsilon_upper == pytest.approx(b.epsilon_upper, rel=1e-10, abs=1e-15)
            assert a.assumptions == b.assumptions
            if b.witness is not None:
                assert a.witness.player == b.witness.player
                assert a.witness.gain == pytest.approx(b.witness.gain, rel=1e-9)
    verdicts = {certify_local_nash(game, POINTS[0], eps=e, delta=0.05).verdict.value for e in (1.0, 1e-4)}
    assert verdicts == {"VERIFIED", "REFUTED"}


def test_jax_keeps_global_config_and_checks_output_shape():
    jax = pytest.importorskip("jax")
    jnp = pytest.importorskip("jax.numpy")
    before = jax.config.read("jax_enable_x64")
    g = jax_game(lambda z: jnp.stack([z[0], z[1], z[0]]), dims=[1, 1])
    with pytest.raises(InvalidArgument, match="2 values"):
        g.utility(0, np.zeros(2))
    assert jax.config.read("jax_enable_x64") == before
    assert g.facts["autodiff"] == "jax"


def test_jax_without_jit_gives_the_same_derivatives():
    jnp = pytest.importorskip("jax.numpy")
    a = jax_game(_utilities(jnp), dims=DIMS, domain=DOMAIN, jit=False)
    ref = _sympy_game()
    x = POINTS[1]
    np.testing.assert_allclose(a.gradient(0, x), ref.gradient(0, x), rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(a.hessian(1, x), ref.hessian(1, x), rtol=1e-12, atol=1e-12)


def test_torch_checks_output_shape():
    torch = pytest.importorskip("torch")
    g = torch_game(lambda z: torch.stack([z[0], z[1], z[0]]), dims=[1, 1])
    with pytest.raises(InvalidArgument, match="2 values"):
        g.gradient(1, np.zeros(2))
    assert g.facts["autodiff"] == "torch"


@pytest.mark.parametrize("factory", [jax_game, torch_game])
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"utilities": [lambda z: z[0]], "dims": [1, 1]}, "utilities"),
        ({"utilities": "u", "dims": [1]}, "utilities"),
        ({"utilities": lambda z: z, "dims": [0]}, "dims"),
        ({"utilities": lambda z: z, "dims": [1], "smoothness": -1.0}, "smoothness"),
    ],
)
def test_invalid_arguments(factory, kwargs, match):
    pytest.importorskip("jax" if factory is jax_game else "torch")
    with pytest.raises(InvalidArgument, match=match):
        factory(**kwargs)
