"""``localeq measure``: run (or resume) a query-complexity sweep, fit exponents, draw plots."""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

from constructions import InvalidArgument

__all__ = ["register"]


def _value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _seeds(text: str) -> list[int]:
    out: list[int] = []
    try:
        for part in text.split(","):
            if "-" in part:
                a, b = part.split("-")
                out.extend(range(int(a), int(b) + 1))
            elif part:
                out.append(int(part))
    except ValueError:
        raise InvalidArgument(f"--seeds must look like 0-4 or 0,3,7, got --seeds={text!r}") from None
    return out


def register(sub: argparse._SubParsersAction) -> None:
    from ._measure import EXPERIMENTS, _ensure_registered

    _ensure_registered()
    p = sub.add_parser(
        "measure",
        help="run a query-complexity sweep (parallel, resumable), fit exponents, plot",
        description=(
            "Run an experiment over a parameter grid and seeds, appending each finished row to a "
            "JSON-lines file (an interrupted run resumes where it stopped), then print the fitted "
            "growth exponents with 95%% confidence intervals next to the theoretical ones and "
            "optionally draw a log-log plot. Experiments: "
            + "; ".join(f"{e.name}: {e.description}" for e in EXPERIMENTS.values())
        ),
    )
    p.add_argument("experiment", choices=sorted(EXPERIMENTS), help="which experiment")
    p.add_argument("--set", action="append", default=[], metavar="NAME=V1,V2",
                   help="parameter values (repeatable), e.g. --set n=16,32,64 --set solver=walk")
    p.add_argument("--seeds", default="0-2", help="seeds, e.g. 0-4 or 0,3 (default 0-2)")
    p.add_argument("--out", type=Path, required=True, help="results file (JSON lines; resumed if present)")
    p.add_argument("--workers", type=int, default=2, help="local worker processes (default 2)")
    p.add_argument("--dask", metavar="ADDRESS", help="run on this Dask scheduler instead")
    p.add_argument("--plot", type=Path, help="write a log-log PNG with fits and theory")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from ._measure import fit_table, plot_sweep, run_sweep

    grid: dict[str, list[Any]] = {}
    for item in args.set:
        if "=" not in item:
            raise InvalidArgument(f"--set expects NAME=V1,V2, got --set={item!r}")
        name, vals = item.split("=", 1)
        grid[name.strip()] = [_value(v) for v in vals.split(",") if v != ""]
    res = run_sweep(args.experiment, grid, seeds=_seeds(args.seeds), out=args.out,
                    workers=args.workers, dask_address=args.dask, progress=not args.no_progress)
    print(f"{args.experiment}: {res.computed} cells computed, {res.skipped} resumed from "
          f"{args.out}, {res.failed} failed")
    for r in res.rows:
        if r.get("error"):
            print(f"  failed cell {r['_key']}: {r['error']}")
    table = fit_table(args.experiment, [r for r in res.rows if r.get("experiment") == args.experiment])
    if table:
        width = max(48, *(len(row["group"]) for row in table))
        print(f"fitted law: {table[0]['model']}")
        print(f"{'group':{width}s} {'points':>6s}  {'fitted exponent k [95% CI]':28s} theory")
        for row in table:
            th = row["theory_exponent"]
            th_txt = f"{th:g} ({row['theory']})" if not math.isnan(th) else "-"
            print(f"{row['group']:{width}s} {row['points']:6d}  {row['fit'].describe():28s} {th_txt}")
    if args.plot is not None:
        plot_sweep(args.experiment, res.rows, args.plot)
        print(f"plot written to {args.plot}")
    return 0 if res.failed == 0 else 1
