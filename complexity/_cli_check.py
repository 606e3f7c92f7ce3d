"""``localeq check FILE``: re-verify a certificate file by the independent checker."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``check`` sub-command."""
    p = sub.add_parser(
        "check",
        help="re-verify a certificate file (localeq.certificate/1) independently",
        description=(
            "Re-verify a certificate written by 'localeq verify --json' (or any certifier's "
            "to_json) with a separate, small code path: exact rational arithmetic for "
            "rational sympy and normal-form games, ball arithmetic otherwise. Prints one "
            "line, 'OK: ...' (exit 0) or 'REJECTED: <reason>' (exit 1); unreadable or "
            "non-JSON files exit with status 2."
        ),
    )
    p.add_argument("file", type=Path, help="certificate JSON file")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from certificates._check import check_file

    result = check_file(args.file)
    print(result.line())
    return 0 if result.ok else 1
