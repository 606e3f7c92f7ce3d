"""Certificates: verify candidate (local) equilibria and emit checkable records.

Every verifier returns a frozen record with a :class:`Verdict` (VERIFIED / REFUTED /
INCONCLUSIVE), the rigorous bound it computed, the witness or dual data backing the
verdict, the assumptions it rests on, and ``to_json()``.
"""

from __future__ import annotations

from constructions import InvalidArgument, LocaleqError, SolverFailed

from ._cce import (
    DISTRIBUTION_FORMAT,
    CCEPlayerBound,
    CCEWitness,
    Distribution,
    LocalCCECertificate,
    as_distribution,
    certify_local_cce,
    gradient_self_play,
    load_distribution,
)
from ._check import SUPPORTED_KINDS, CheckResult, check_certificate, check_file
from ._gain import LocalGain, gain_upper_bound, local_gain
from ._linear import (
    DualCheck,
    LinearDeviationCertificate,
    LinearLPResult,
    LinearPlayerBound,
    LinearStats,
    certify_linear_deviation,
    check_ball_dual,
    check_linear_dual,
    correlated_equilibrium_gain,
    linear_gain_ball,
    linear_gain_box,
    linear_gain_lp,
    linear_gain_simplex,
    linear_stats_exact,
)
from ._local_nash import (
    LocalNashCertificate,
    PlayerBound,
    Residual,
    Witness,
    certify_local_nash,
    projected_gradient_residual,
)
from ._moments import deviation_moments, int_gain, linear_deviation_gain
from ._normal_form import coarse_correlated_gain, correlated_gain, nash_regret
from ._records import SCHEMA_VERSION, Verdict
from ._second_order import (
    DifferentialNashCertificate,
    HessianTest,
    KantorovichCertificate,
    LocalMinimaxCertificate,
    certify_differential_nash,
    certify_kantorovich,
    certify_local_minimax,
    exact_inertia,
)
from ._small_gain import (
    SmallGainCertificate,
    SmallGainConstants,
    certify_small_gain,
    constants_from_jacobian,
    estimate_small_gain_constants,
    exact_small_gain_constants,
    margin_lower_bound,
    optimal_weights,
    small_gain_constants,
    two_player_band,
    weights_sdp,
)

__all__ = [
    "LocaleqError",
    "InvalidArgument",
    "SolverFailed",
    "Verdict",
    "SCHEMA_VERSION",
    "LocalGain",
    "local_gain",
    "gain_upper_bound",
    "Residual",
    "projected_gradient_residual",
    "PlayerBound",
    "Witness",
    "LocalNashCertificate",
    "certify_local_nash",
    "KantorovichCertificate",
    "HessianTest",
    "DifferentialNashCertificate",
    "LocalMinimaxCertificate",
    "certify_kantorovich",
    "certify_differential_nash",
    "certify_local_minimax",
    "exact_inertia",
    "CheckResult",
    "check_certificate",
    "check_file",
    "SUPPORTED_KINDS",
    "Distribution", "as_distribution", "gradient_self_play", "CCEPlayerBound", "CCEWitness",
    "LocalCCECertificate", "certify_local_cce", "load_distribution", "DISTRIBUTION_FORMAT",
    "LinearStats", "linear_stats_exact", "linear_gain_simplex", "linear_gain_box", "LinearLPResult",
    "linear_gain_lp", "linear_gain_ball", "DualCheck", "check_linear_dual", "check_ball_dual",
    "LinearPlayerBound", "LinearDeviationCertificate", "certify_linear_deviation",
    "correlated_equilibrium_gain",
    "nash_regret", "correlated_gain", "coarse_correlated_gain",
    "deviation_moments", "int_gain", "linear_deviation_gain",
    "SmallGainConstants", "small_gain_constants", "constants_from_jacobian",
    "estimate_small_gain_constants", "exact_small_gain_constants", "optimal_weights",
    "margin_lower_bound", "two_player_band", "weights_sdp", "SmallGainCertificate", "certify_small_gain",
]
