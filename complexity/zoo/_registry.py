"""The registry of zoo algorithms and the validating front door :func:`run_algorithm`."""

from __future__ import annotations

from typing import Any

from constructions import InvalidArgument

from ._core import Algorithm, RunResult, as_oracle
from ._first_order import (
    alternating_gda,
    complex_momentum,
    extragradient,
    gda,
    negative_momentum,
    ogda,
    self_play,
)
from ._second_order import cgd, double_ftr, lola
from ._stonr import stonr

__all__ = ["ALGORITHMS", "run_algorithm", "algorithm_names"]

ALGORITHMS: dict[str, Algorithm] = {
    a.name: a
    for a in (
        Algorithm("gda", gda, 1, "simultaneous projected GDA: x <- P(x + eta g(x))",
                  "Arrow-Hurwicz-Uzawa (1958); DSZ (STOC 2021) F_GDA, safe variant"),
        Algorithm("alt-gda", alternating_gda, 1, "alternating GDA: players move in turn on their slices",
                  "Gidel et al. (AISTATS 2019); Zhang, Wang, Lessard, Grosse (AISTATS 2022)"),
        Algorithm("extragradient", extragradient, 1, "x_half = P(x + eta g(x)); x <- P(x + eta g(x_half))",
                  "Korpelevich (1976); Gidel et al. (ICLR 2019)"),
        Algorithm("ogda", ogda, 1, "x <- P(x + 2 eta g(x_t) - eta g(x_{t-1}))",
                  "Daskalakis, Ilyas, Syrgkanis, Zeng (ICLR 2018); Daskalakis, Panageas (ITCS 2019)"),
        Algorithm("negative-momentum", negative_momentum, 1,
                  "alternating GDA plus heavy-ball momentum beta < 0",
                  "Gidel, Askari Hemmat, Pezeshki, Le Priol, Huang, Lacoste-Julien, Mitliagkas "
                  "(AISTATS 2019)"),
        Algorithm("complex-momentum", complex_momentum, 1,
                  "mu <- beta mu + g(x); x <- P(x + Re(alpha mu)), beta complex",
                  "Lorraine, Acuna, Vicol, Duvenaud (AISTATS 2022), Algorithm 1"),
        Algorithm("double-ftr", double_ftr, 2,
                  "x_i <- P(x_i + eta [g_i + A_i^{-1} sum_j J_ji^T g_j]) (both players follow the ridge)",
                  "Bao, Zhang (ICLR 2022 workshop); code XuchanBao/double-ftr"),
        Algorithm("cgd", cgd, 2,
                  "x <- P(x + eta (I - eta J_off)^{-1} g(x)) (Nash of the local bilinear game)",
                  "Schaefer, Anandkumar (NeurIPS 2019)"),
        Algorithm("lola", lola, 2, "x_i <- P(x_i + eta [g_i + alpha J_ij g_j]) (zero-sum exact LOLA)",
                  "Foerster et al. (AAMAS 2018), Sec. 3.2; Letcher et al. (ICLR 2019)",
                  requires="two-player min-max game"),
        Algorithm("stonr", stonr, 2, "follow the ridge V_S = 0 coordinate by coordinate from a corner",
                  "Daskalakis, Golowich, Skoulakis, Zampetakis (COLT 2023); marikakosohorska/StayOnTheRidge",
                  requires="bounded box-shaped strategy sets"),
        Algorithm("self-play", self_play, 1,
                  "online projected gradient ascent per player; returns the empirical distribution",
                  "Zinkevich (ICML 2003); Cai, Daskalakis, Luo, Wei, Zheng (arXiv:2403.08171)"),
    )
}


def algorithm_names() -> tuple[str, ...]:
    """Names in the registry, in registration order.

    Examples
    --------
    >>> algorithm_names()[:3]
    ('gda', 'alt-gda', 'extragradient')
    """
    return tuple(ALGORITHMS)


def run_algorithm(name: str, oracle: Any, x0: Any, steps: int, **options: Any) -> RunResult:
    """Run the zoo algorithm ``name`` (validating the common arguments first).

    Parameters
    ----------
    name : str
        A key of :data:`ALGORITHMS`.
    oracle : GameOracle
        Query access to the game (its isolated proxy, or a bare ``Game``, which is wrapped
        in a fresh :class:`~complexity._oracle.GameOracle`).
    x0 : array_like
        Feasible starting point.
    steps : int
        Maximum number of steps (> 0).
    **options
        ``step_size``, ``tol``, ``budget``, ``thin``, ``final_residual`` and the
        algorithm's own options (see its docstring).

    Returns
    -------
    RunResult

    Raises
    ------
    InvalidArgument
        Unknown ``name``; non-positive ``steps``, ``step_size`` or ``budget``; ``x0``
        outside the domain or of the wrong length; options the algorithm does not take.

    Examples
    --------
    >>> from constructions import bilinear
    >>> res = run_algorithm("extragradient", bilinear(), [0.5, -0.5], 200, step_size=0.3)
    >>> res.algorithm, res.n_steps, res.queries["gradient"]
    ('extragradient', 200, 802)
    """
    if not isinstance(name, str) or name not in ALGORITHMS:
        raise InvalidArgument(f"name must be one of {algorithm_names()}, got name={name!r}")
    oracle = as_oracle(oracle)
    algo = ALGORITHMS[name]
    import inspect

    accepted = set(inspect.signature(algo.run).parameters) - {"oracle", "x0", "steps"}
    unknown = sorted(set(options) - accepted)
    if unknown:
        raise InvalidArgument(
            f"{name} does not take option(s) {unknown}; it takes {sorted(accepted)}"
        )
    return algo.run(oracle, x0, steps, **options)
