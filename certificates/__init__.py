"""Certificates: verify candidate (local) equilibria and emit checkable records.

Every verifier returns a frozen record with a :class:`Verdict` (VERIFIED / REFUTED /
INCONCLUSIVE), the rigorous bound it computed, the witness or dual data backing the
verdict, the assumptions it rests on, and ``to_json()``.
"""

from __future__ import annotations

from constructions import InvalidArgument, LocaleqError, SolverFailed

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
]
