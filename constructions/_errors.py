"""Exception hierarchy shared by every localeq package.

All exceptions raised on purpose by localeq derive from :class:`LocaleqError`, so
``except LocaleqError`` catches everything the library reports deliberately.
"""

from __future__ import annotations

__all__ = ["LocaleqError", "InvalidArgument", "SolverFailed"]


class LocaleqError(Exception):
    """Root of every exception raised on purpose by localeq."""


class InvalidArgument(LocaleqError, ValueError):
    """A caller passed an unusable value.

    The message always names the argument and echoes its value, e.g.
    ``delta must be > 0, got delta=-1.0``.
    """


class SolverFailed(LocaleqError, RuntimeError):
    """A numerical backend (LP/QP/SDP solver, root finder) reported failure."""
