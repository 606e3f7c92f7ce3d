"""The ``localeq`` command line.

Each command lives in its own module ``complexity/_cli_<name>.py`` that defines
``register(subparsers)``; the module adds its parser and sets ``func`` (a callable
taking the parsed namespace and returning an exit code). Errors that localeq raises on
purpose (:class:`~constructions.LocaleqError`) are printed as a one-line message with
exit status 2, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from constructions import LocaleqError

__all__ = ["main", "build_parser"]

#: modules that contribute sub-commands, in the order ``--help`` lists them
_COMMAND_MODULES = (
    "complexity._cli_tour",
    "complexity._cli_verify",
    "complexity._cli_check",
    "complexity._cli_generate",
    "complexity._cli_measure",
)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every registered sub-command."""
    parser = argparse.ArgumentParser(
        prog="localeq",
        description=(
            "Certify local equilibria of smooth nonconcave games, generate hard "
            "(Sperner/DSZ) instances and measure query complexity."
        ),
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"localeq {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a command module not written yet
            if exc.name == name:
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``localeq`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except LocaleqError as exc:
        print(f"localeq {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"localeq {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into e.g. `head`: stop quietly
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
