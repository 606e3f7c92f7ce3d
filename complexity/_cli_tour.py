"""``localeq tour``: the three jobs end to end on a built-in default, written into a folder."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``tour`` sub-command."""
    p = sub.add_parser(
        "tour",
        help="run the whole toolkit on a built-in default and write a report folder",
        description=(
            "Generate a planted 2D Sperner instance and draw it; lift it to the smooth DSZ min-max "
            "game; run GDA, alternating GDA, extragradient and optimistic GDA through the counting "
            "oracle (and on min max xy, where GDA spirals out) and draw their trajectories; find the "
            "solution with the divide-and-conquer Sperner solver and extract it from the game's fixed "
            "point; certify the (eps, delta)-local Nash point; certify gradient self-play as a local "
            "CCE and a weakly coupled game by small-gain; re-check every certificate file. Writes "
            "certificates (JSON), figures (PNG), report.md and summary.json into --out and prints a "
            "summary table. Exit status 0 when every step comes out as theory predicts, 1 otherwise."
        ),
    )
    p.add_argument("--out", type=Path, default=Path("localeq-tour"),
                   help="output folder (default localeq-tour/)")
    p.add_argument("--n", type=int, default=16, help="grid side N of the planted instance (default 16)")
    p.add_argument("--seed", type=int, default=0, help="seed of every random choice (default 0)")
    p.add_argument("--budget", type=int, default=2000,
                   help="query budget of each zoo run on the lifted game (default 2000)")
    p.add_argument("--quiet", action="store_true", help="print only the output folder and the verdict line")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from ._tour import tour

    res = tour(args.out, n=args.n, rng=args.seed, budget=args.budget)
    if not args.quiet:
        print(f"localeq tour: planted {args.n}x{args.n} instance, seed {args.seed}")
        print(res.summary_table())
        print()
        for fig in res.figures:
            print(f"figure {fig.path}")
        for path in res.certificates.values():
            print(f"certificate {path}")
        print(f"report {res.out / 'report.md'}")
    verdict = "all steps as theory predicts" if res.ok else "SOME STEPS UNEXPECTED (marked above)"
    print(f"localeq tour: {verdict}; wrote {res.out}/ in {res.seconds:.1f} s")
    return 0 if res.ok else 1
