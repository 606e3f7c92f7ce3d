"""Certificates: verify candidate (local) equilibria and emit checkable records.

Every verifier returns a frozen record with a :class:`Verdict` (VERIFIED / REFUTED /
INCONCLUSIVE), the rigorous bound it computed, the witness or dual data backing the
verdict, the assumptions it rests on, and ``to_json()``.
"""

from __future__ import annotations

from constructions import InvalidArgument, LocaleqError, SolverFailed

from ._check import SUPPORTED_KINDS, CheckResult, check_certificate, check_file
from ._gain import LocalGain, gain_upper_bound, local_gain
from ._local_nash import (
    LocalNashCertificate,
    PlayerBound,
    Residual,
    Witness,
    certify_local_nash,
    projected_gradient_residual,
)
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
]
