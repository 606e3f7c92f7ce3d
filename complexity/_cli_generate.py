"""``localeq generate``: write hard instances to files.

Sub-commands (nested, so later issues can add ``generate lifted``)::

    localeq generate sperner --n 64 --d 2 --kind planted --seed 0 --out inst.npz [--plot fig.png]

``--kind`` chooses the generator: ``planted`` (long door path, planted solutions), ``random``
(uniform proper colouring) or ``brouwer`` (sign of a Brouwer map's displacement). The command
writes the instance (format: :mod:`constructions.sperner._io`) and prints a short summary: N, d,
kind, planted solutions, path length and the content hash.
"""

from __future__ import annotations

import argparse
from typing import Any

from constructions import InvalidArgument

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``generate`` command (with its ``sperner`` sub-command) to *subparsers*."""
    gen = subparsers.add_parser(
        "generate",
        help="generate hard instances and write them to files",
        description="Generate hard instances (Sperner/BiSperner colourings, ...) and write them to files.",
    )
    gen_sub = gen.add_subparsers(dest="generate_command", metavar="WHAT")
    gen.set_defaults(func=_missing_what(gen))
    register_sperner(gen_sub)
    from ._cli_lift import register_lifted  # issue 4: ``generate lifted``

    register_lifted(gen_sub)


def _missing_what(parser: argparse.ArgumentParser) -> Any:
    def run(args: argparse.Namespace) -> int:
        parser.print_help()
        return 0

    return run


def _parse_ints(text: str | None, name: str) -> tuple[int, ...] | None:
    if text is None:
        return None
    try:
        return tuple(int(x) for x in text.replace(" ", "").split(",") if x != "")
    except ValueError as exc:
        raise InvalidArgument(f"{name} must be comma-separated integers, got {name}={text!r}") from exc


def register_sperner(gen_sub: Any) -> None:
    """Add ``generate sperner`` to the ``generate`` sub-parsers."""
    p = gen_sub.add_parser(
        "sperner",
        help="a Sperner/BiSperner colouring instance",
        description=(
            "Write a Sperner or DSZ BiSperner colouring instance (.npz, or .json for implicit "
            "instances) and print a summary."
        ),
    )
    p.add_argument("--n", type=int, required=True, help="grid side N (>= 2; >= 3 for planted)")
    p.add_argument("--d", type=int, default=2, help="dimension d (default 2)")
    p.add_argument(
        "--kind",
        choices=("planted", "random", "brouwer"),
        default="planted",
        help="generator (default planted)",
    )
    p.add_argument("--seed", type=int, default=None, help="random seed (non-negative integer)")
    p.add_argument("--out", required=True, help="output file (.npz; .json for implicit instances)")
    p.add_argument("--plot", default=None, help="also write a PNG picture (d = 2 or 3)")
    p.add_argument(
        "--colouring",
        choices=("bisperner", "sperner"),
        default="bisperner",
        help="BiSperner sign vectors (default) or Sperner labels l = min{i : C^i = -1}",
    )
    p.add_argument("--target", default=None, help="planted: lower corner of the main solution, e.g. 5,9")
    p.add_argument("--solutions", type=int, default=1, help="planted: odd number of solutions (default 1)")
    p.add_argument(
        "--map",
        choices=("rotation_contraction", "random_smooth"),
        default="rotation_contraction",
        help="brouwer: the map (default rotation_contraction)",
    )
    p.add_argument("--implicit", action="store_true", help="planted/brouwer: do not materialise the grid")
    p.set_defaults(func=_run_sperner)


def _run_sperner(args: argparse.Namespace) -> int:
    from constructions import sperner as sp

    if args.seed is not None and args.seed < 0:
        raise InvalidArgument(f"seed must be >= 0, got seed={args.seed}")
    if args.n < 2:
        raise InvalidArgument(f"n must be >= 2, got n={args.n}")
    if args.d < 1:
        raise InvalidArgument(f"d must be >= 1, got d={args.d}")
    target = _parse_ints(args.target, "target")
    if args.plot is not None and args.d not in (2, 3):
        raise InvalidArgument(f"--plot supports d = 2 or 3, got d={args.d}")
    if args.kind == "planted":
        inst = sp.planted_instance(
            args.n,
            args.d,
            target=target,
            n_solutions=args.solutions,
            kind=args.colouring,
            representation="implicit" if args.implicit else "auto",
            rng=args.seed,
        )
    elif args.kind == "random":
        inst = sp.random_instance(args.n, args.d, kind=args.colouring, rng=args.seed)
    else:
        inst = sp.brouwer_instance(
            args.n,
            args.d,
            brouwer_map=args.map,
            kind=args.colouring,
            dense=False if args.implicit else None,
            rng=args.seed,
        )
    sp.save_instance(inst, args.out)
    if args.plot is not None:
        fig = sp.plot_colouring(inst) if inst.d == 2 else sp.plot_projection(inst)
        sp.save_figure(fig, args.plot)
    print(inst.summary())
    print(f"written: {args.out}" + (f", picture: {args.plot}" if args.plot else ""))
    return 0
