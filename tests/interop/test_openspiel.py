r"""OpenSpiel matrix/tensor games and the CE/CCE its JPSRO meta-solvers compute, certified by localeq.

OpenSpiel has no public "solve for a CCE of this matrix game" function; its JPSRO module
(``open_spiel.python.algorithms.jpsro``) exposes its meta-solvers in the public dictionary
``FLAG_TO_FUNC``, each taking a payoff tensor ``[n, a_1, ..., a_n]``: ``"mgcce"`` (maximum-Gini
CCE) and ``"mgce"`` (maximum-Gini CE), quadratic programs solved by cvxpy with OSQP
(``eps_abs = eps_rel = 1e-8``, polished). We feed them OpenSpiel's own payoff tensor
(``open_spiel.python.egt.utils.game_payoffs_array``) and certify the result with localeq on the
game imported by :func:`constructions.interop.from_openspiel`:

* a CCE :math:`D` as an :math:`(\varepsilon, \Phi_{int}(\delta))`-local CCE of the mixed extension
  with :math:`\delta = \operatorname{diam}\Delta = \sqrt2` (interpolation all the way to any fixed
  strategy, so the linearised gain -- exact here, :math:`L_i = 0` -- is the CCE gain);
* a CE as an :math:`\varepsilon`-approximate :math:`\Phi_{LIN}` (linear-deviation) equilibrium,
  which for the mixed extension is exactly the CE condition (``certificates.md`` §3.4).

``eps = 1e-6``: the QP's constraints ``A x <= 0`` hold to OSQP's tolerance 1e-8 per row; with
payoffs in [0, 1] and at most 12 profiles the gain can exceed 0 by ~1e-8 -- 1e-6 keeps two orders
of magnitude of margin (the test prints the actual gains). A perturbed distribution (mass 0.2
moved to the most profitable-to-leave pure profile) is REFUTED.
"""

from __future__ import annotations

import numpy as np
import pytest
from interop_reference import cce_gains, ce_gains, regrets

from certificates import certify_linear_deviation, certify_local_cce, certify_local_nash
from constructions import InvalidArgument
from constructions.interop import from_openspiel, joint_to_distribution

pyspiel = pytest.importorskip("pyspiel")
jpsro = pytest.importorskip("open_spiel.python.algorithms.jpsro")
egt_utils = pytest.importorskip("open_spiel.python.egt.utils")

EPS = 1e-6


def _games():
    rng = np.random.default_rng(7)
    A, B = rng.uniform(size=(2, 3, 3))
    yield pyspiel.create_matrix_game(A.tolist(), B.tolist())
    T = rng.uniform(size=(3, 2, 2, 3))
    yield pyspiel.create_tensor_game([T[i].tolist() for i in range(3)])
    yield pyspiel.load_game("matrix_rps")


def _returns(game, profile):
    """Payoffs by playing the game: OpenSpiel's state machinery, independent of the tensors."""
    state = game.new_initial_state()
    state.apply_actions(list(profile))
    return state.returns()


def test_payoffs_equal_openspiel_returns():
    for g in _games():
        game = from_openspiel(g)
        starts = np.cumsum([0, *game.dims])
        for prof in np.ndindex(*game.dims):
            x = np.zeros(game.dim)
            x[[starts[i] + s for i, s in enumerate(prof)]] = 1.0
            assert game.utilities(x).tolist() == _returns(g, prof)
    assert from_openspiel("matrix_rps").facts["strategies"][1] == ("Rock", "Paper", "Scissors")


def test_one_shot_simultaneous_game_is_converted():
    g = pyspiel.load_game("blotto(coins=3,fields=2)")
    game = from_openspiel(g)
    assert game.dims == (4, 4)
    starts = np.cumsum([0, *game.dims])
    for prof in np.ndindex(*game.dims):
        x = np.zeros(game.dim)
        x[[starts[i] + s for i, s in enumerate(prof)]] = 1.0
        assert game.utilities(x).tolist() == _returns(g, prof)


def _perturb(P, D, gains, t=0.2):
    """Mix mass t onto the pure profile that makes some player's gain largest."""
    best, best_gain = None, -1.0
    for prof in np.ndindex(*D.shape):
        E = (1 - t) * D
        E[prof] += t
        val = float(gains(P, E).max())
        if val > best_gain:
            best, best_gain = E, val
    return best, best_gain


def test_openspiel_cce_is_verified_as_local_cce_and_perturbation_refuted():
    for g in _games():
        game = from_openspiel(g)
        P = egt_utils.game_payoffs_array(g)
        assert np.array_equal(P, game.facts["payoffs"])
        D, _ = jpsro.FLAG_TO_FUNC["mgcce"](P, [np.ones(a) for a in P.shape[1:]])
        gains = cce_gains(P, D)
        print(f"{g}: OpenSpiel mgcce gains {gains}")
        assert gains.max() <= 1e-7
        points, weights = joint_to_distribution(game, D)
        delta = min(S.diameter() for S in game.domain.sets)
        cert = certify_local_cce(game, points, weights, eps=EPS, delta=delta, family="int")
        assert cert.verdict.value == "VERIFIED", cert.reasons
        assert cert.epsilon_upper >= cce_gains(P, _joint(game, points, weights)).max() - 1e-12

        bad, bad_gain = _perturb(P, D, cce_gains)
        assert bad_gain > 1e3 * EPS
        points, weights = joint_to_distribution(game, bad)
        cert = certify_local_cce(game, points, weights, eps=EPS, delta=delta, family="int")
        assert cert.verdict.value == "REFUTED"
        assert EPS < cert.witness.gain <= bad_gain + 1e-12


def test_openspiel_ce_is_verified_as_linear_deviation_equilibrium_and_perturbation_refuted():
    for g in _games():
        game = from_openspiel(g)
        P = game.facts["payoffs"]
        D, _ = jpsro.FLAG_TO_FUNC["mgce"](P, [np.ones(a) for a in P.shape[1:]])
        gains = ce_gains(P, D)
        print(f"{g}: OpenSpiel mgce gains {gains}")
        assert gains.max() <= 1e-7
        points, weights = joint_to_distribution(game, D)
        cert = certify_linear_deviation(game, points, weights, eps=EPS)
        assert cert.verdict.value == "VERIFIED", cert.reasons
        assert cert.epsilon_upper >= ce_gains(P, _joint(game, points, weights)).max() - 1e-12

        bad, bad_gain = _perturb(P, D, ce_gains)
        assert bad_gain > 1e3 * EPS
        points, weights = joint_to_distribution(game, bad)
        cert = certify_linear_deviation(game, points, weights, eps=EPS)
        assert cert.verdict.value == "REFUTED"
        assert cert.witness_gain == pytest.approx(ce_gains(P, bad).max(), abs=1e-9)


def test_openspiel_nash_equilibria_are_verified():
    """OpenSpiel's bimatrix Nash routine (``matrix_nash.lemke_howson_solve``, which enumerates
    Lemke-Howson paths with Nashpy underneath). Its zero-sum LP ``lp_solver.solve_zero_sum_matrix_game``
    is not used: it hard-codes the ECOS solver, which cvxpy no longer ships."""
    pytest.importorskip("nashpy")
    from open_spiel.python.algorithms import matrix_nash

    for g in list(_games())[::2]:                     # the random 3x3 game and rock-paper-scissors
        game = from_openspiel(g)
        P = game.facts["payoffs"]
        found = list(matrix_nash.lemke_howson_solve(P[0], P[1]))
        assert found
        for x, y in found:
            cert = certify_local_nash(game, np.concatenate([x, y]), eps=1e-9, delta=1.5)
            assert cert.verdict.value == "VERIFIED", cert.reasons
            assert regrets(P, [x, y]).max() <= cert.epsilon_upper + 1e-15


def _joint(game, points, weights):
    """Back from support points to the joint table (inverse of joint_to_distribution)."""
    D = np.zeros(game.dims)
    starts = np.cumsum([0, *game.dims])
    for x, w in zip(points, weights, strict=True):
        prof = tuple(int(np.argmax(x[starts[i]:starts[i + 1]])) for i in range(game.n_players))
        D[prof] += w
    return D


def test_rejects_bad_input():
    with pytest.raises(InvalidArgument, match="game"):
        from_openspiel(np.eye(2))
    with pytest.raises(InvalidArgument, match="game"):
        from_openspiel("no_such_game_xyz")
    game = from_openspiel("matrix_rps")
    with pytest.raises(InvalidArgument, match="shape"):
        joint_to_distribution(game, np.ones((2, 2)) / 4)
    with pytest.raises(InvalidArgument, match="tol"):
        joint_to_distribution(game, np.full((3, 3), 0.2))
    with pytest.raises(InvalidArgument, match="below"):
        joint_to_distribution(game, np.diag([1.1, -0.1, 0.0]))
