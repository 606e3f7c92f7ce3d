"""Query complexity of equilibrium computation, experiments and the ``localeq`` CLI."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
