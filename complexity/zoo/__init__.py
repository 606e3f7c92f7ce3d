r"""The algorithm zoo: min-max / game dynamics behind one counted-oracle interface.

Every algorithm is ``run(oracle, x0, steps, *, step_size=..., **options) -> RunResult``
and touches the game only through a :class:`~complexity._oracle.GameOracle` (or the proxy of
:func:`~complexity._oracle.run_isolated`), so its query counts are the oracle's.

===================  ======================================================================
name                 update (players maximise; :math:`g` = own gradients, :math:`\Pi` projection)
===================  ======================================================================
``gda``              :math:`x \leftarrow \Pi(x + \eta g(x))`
``alt-gda``          players in turn, :math:`x_i \leftarrow \Pi_i(x_i + \eta g_i(\cdot))`
``extragradient``    :math:`x \leftarrow \Pi(x + \eta g(\Pi(x + \eta g(x))))`
``ogda``             :math:`x \leftarrow \Pi(x + 2\eta g(x^t) - \eta g(x^{t-1}))`
``negative-momentum`` alternating GDA :math:`+\ \beta(x^t - x^{t-1})`, :math:`\beta<0`
``complex-momentum`` :math:`\mu \leftarrow \beta\mu + g`, :math:`x \leftarrow \Pi(x + \Re(\alpha\mu))`
``double-ftr``       :math:`x_i \leftarrow \Pi(x_i + \eta[g_i + A_i^{-1}\sum_{j\ne i}J_{ji}^\top g_j])`
``cgd``              :math:`x \leftarrow \Pi(x + \eta(I - \eta J_{\mathrm{off}})^{-1}g)`
``lola``             :math:`x_i \leftarrow \Pi(x_i + \eta[g_i + \alpha J_{ij}g_j])` (zero-sum)
``stonr``            ridge following from a corner (second order)
``self-play``        online projected gradient ascent; returns the empirical distribution
===================  ======================================================================

See :mod:`complexity.zoo._core` for the projection policy, the residual and the stop
reasons.

Examples
--------
>>> from constructions import bilinear
>>> from complexity._oracle import GameOracle
>>> res = run_algorithm("gda", GameOracle(bilinear(bound=None)), [0.5, 0.5], 100, step_size=0.1)
>>> res.stopped_by, bool(np.linalg.norm(res.x) > np.linalg.norm([0.5, 0.5]))   # GDA spirals out
('steps', True)
"""

from __future__ import annotations

from ._core import STOP_REASONS, Algorithm, RunResult
from ._first_order import (
    alternating_gda,
    complex_momentum,
    extragradient,
    gda,
    negative_momentum,
    ogda,
    self_play,
)
from ._registry import ALGORITHMS, algorithm_names, run_algorithm
from ._second_order import cgd, double_ftr, lola
from ._stonr import stonr

__all__ = [
    "RunResult",
    "Algorithm",
    "STOP_REASONS",
    "ALGORITHMS",
    "algorithm_names",
    "run_algorithm",
    "gda",
    "alternating_gda",
    "extragradient",
    "ogda",
    "negative_momentum",
    "complex_momentum",
    "double_ftr",
    "cgd",
    "lola",
    "stonr",
    "self_play",
]
