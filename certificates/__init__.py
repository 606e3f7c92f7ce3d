"""Certificates: verify candidate (local) equilibria and emit checkable records."""

from __future__ import annotations

from constructions import InvalidArgument, LocaleqError, SolverFailed

__all__ = ["LocaleqError", "InvalidArgument", "SolverFailed"]
