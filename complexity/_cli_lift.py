"""``localeq generate lifted``: lift a BiSperner colouring to the DSZ min-max game and write it.

::

    localeq generate lifted --from inst.npz --out game.json [--scheme auto] [--measure]
    localeq generate lifted --n 16 --d 2 --seed 0 --out game.json          # planted colouring

The output is a ``localeq-lifted-game/1`` JSON record (format: :mod:`constructions.lift._io`) that
references the colouring file (given with ``--from``, or written next to the output as
``<out>.colouring.npz``/``.json``) by path and content hash, and carries the parameters
(Delta, alpha, the Thm 5.1 (eps, delta) conversion, G and L as paper bound / proved bound / measured
value, each labelled). The command prints a summary.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from constructions import InvalidArgument

__all__ = ["register_lifted"]


def register_lifted(gen_sub: Any) -> None:
    """Add ``generate lifted`` to the ``generate`` sub-parsers."""
    p = gen_sub.add_parser(
        "lifted",
        help="a DSZ min-max game lifted from a BiSperner colouring",
        description=(
            "Lift a BiSperner colouring (read with --from, or a planted one generated from --n/--d/--seed) "
            "to the DSZ smooth min-max game and write its record (JSON) with labelled parameters."
        ),
    )
    p.add_argument("--from", dest="source", default=None, help="colouring instance file (.npz/.json)")
    p.add_argument("--n", type=int, default=None, help="planted colouring: grid side N (>= 3)")
    p.add_argument("--d", type=int, default=2, help="planted colouring: dimension (default 2)")
    p.add_argument("--seed", type=int, default=None, help="planted colouring: seed")
    p.add_argument("--target", default=None, help="planted colouring: lower corner of the solution, e.g. 3,4")
    p.add_argument("--solutions", type=int, default=1, help="planted colouring: odd number of solutions")
    p.add_argument("--scheme", choices=("auto", "tensor", "seic"), default="auto", help="interpolation")
    p.add_argument(
        "--Delta", type=float, default=None, help="coupling width (default: the admissible maximum)"
    )
    p.add_argument("--measure", action="store_true", help="measure G and L (sampling + local maximisation)")
    p.add_argument("--samples", type=int, default=200, help="points per measured constant (default 200)")
    p.add_argument("--out", required=True, help="output file (.json)")
    p.set_defaults(func=_run_lifted)


def _parse_ints(text: str | None, name: str) -> list[int] | None:
    if text is None:
        return None
    try:
        return [int(t) for t in text.replace(" ", "").split(",") if t]
    except ValueError:
        raise InvalidArgument(f"{name} must be comma-separated integers, got {name}={text!r}") from None


def _run_lifted(args: argparse.Namespace) -> int:
    from constructions import sperner as sp
    from constructions.lift import lift_colouring, measure_constants
    from constructions.lift._io import save_lifted

    out = Path(args.out)
    if args.source is not None:
        if args.n is not None:
            raise InvalidArgument("give either --from or --n, not both")
        cpath = Path(args.source)
        inst = sp.load_instance(cpath)
    else:
        if args.n is None:
            raise InvalidArgument("give a colouring with --from FILE or a planted one with --n N")
        inst = sp.planted_instance(
            args.n,
            args.d,
            target=_parse_ints(args.target, "target"),
            n_solutions=args.solutions,
            rng=args.seed,
        )
        suffix = ".npz" if inst.colouring.is_dense else ".json"
        cpath = out.with_name(out.stem + ".colouring" + suffix)
        sp.save_instance(inst, cpath)
    if inst.colouring.kind != "bisperner":
        raise InvalidArgument(
            f"the colouring must be a BiSperner colouring, got kind={inst.colouring.kind!r}"
        )
    lifted = lift_colouring(inst.colouring, scheme=args.scheme, Delta=args.Delta)
    if args.measure:
        m = measure_constants(lifted, n_samples=args.samples, rng=0)
        lifted = lifted.with_measurements(m.G, m.L, m.method)
    digest = save_lifted(lifted, inst, out, cpath)
    p = lifted.parameters
    print(f"DSZ lift ({p.scheme}) of N={p.n} d={p.d} colouring {inst.sha256[:16]}... ({inst.generator})")
    print(f"Delta={p.Delta:.6g} alpha={p.alpha:.6g} cell side={p.cell_side:.6g}  [{p.Delta_rule}]")
    print(f"G: paper {p.G_paper:.4g}, bound {p.G_bound}, measured {p.G_measured}")
    print(f"L: paper {p.L_paper:.4g}, bound {p.L_bound}, measured {p.L_measured}")
    print(
        f"Thm 5.1: eps={p.eps_equiv:.4g}, delta={p.delta_equiv:.4g} (with L={p.L_used:.4g}: {p.L_used_note})"
    )
    print(f"written: {out} (sha256 {digest[:16]}...), colouring: {cpath}")
    return 0
