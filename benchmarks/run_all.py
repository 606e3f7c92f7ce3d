"""Run every benchmark of issues 8 and 3 in one process and report ratios, absolute times and targets.

Usage::

    python benchmarks/run_all.py                     # all benchmarks, full sizes
    python benchmarks/run_all.py --quick             # small sizes (a smoke run)
    python benchmarks/run_all.py --only normal_form  # one benchmark (repeat or comma-separate)
    python benchmarks/run_all.py --write-results     # also regenerate benchmarks/RESULTS.md
    python benchmarks/run_all.py --json out.json     # also write the records as JSON
    python benchmarks/run_all.py --from-json out.json --write-results   # RESULTS.md from saved records

Benchmarks (each also runs alone as ``python benchmarks/bench_NAME.py``):

1. ``local_nash``   point certificate vs one numpy pass (gradient + clip), d = 10^6
2. ``distribution`` Phi_int / Phi_LIN gains vs the one matrix product, K = 10^4, d = 100
3. ``normal_form``  Nash regret, CE/CCE gains vs pygambit, Nashpy, OpenSpiel
4. ``lift``         lifted-game oracle: time per value+gradient query, d = 2..256, fitted exponent
5. ``solvers``      Sperner solvers: colour queries / N (2D), / N^2 (3D), adversary's forced count
6. ``oracle``       oracle overhead: counted minus raw query time (microseconds)
7. ``sperner``      exhaustive Sperner search on a dense 2D grid (N = 4096) vs one numpy pass;
                    implicit N = 2^20 vertex queries vs the raw colouring function

BLAS threads default to 1 (``--threads`` changes it) so that the matrix products of the
references and of localeq run under the same, load-insensitive conditions.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ORDER = ["local_nash", "distribution", "normal_form", "lift", "solvers", "oracle", "sperner"]


def _parse(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (smoke run; timings not meaningful)")
    ap.add_argument("--only", action="append", default=[], metavar="NAME",
                    help=f"run only these benchmarks (repeat or comma-separate): {', '.join(ORDER)}")
    ap.add_argument("--write-results", action="store_true", help="regenerate benchmarks/RESULTS.md")
    ap.add_argument("--results-path", default=str(HERE / "RESULTS.md"), help=argparse.SUPPRESS)
    ap.add_argument("--json", metavar="PATH", help="write the result records as JSON")
    ap.add_argument("--threads", type=int, default=1, help="BLAS/OpenMP threads (default 1)")
    ap.add_argument("--from-json", metavar="PATH",
                    help="do not run: reuse the records of an earlier --json file")
    return ap.parse_args(argv)


def _solvers(quick: bool) -> dict[str, Any]:
    """bench_solvers prints its tables; its output is kept verbatim as the record's text."""
    import bench_solvers
    from _common import record

    t0 = time.perf_counter()
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        out = bench_solvers.main(quick=quick)
    if isinstance(out, dict) and "rows" in out:
        return out
    title = "Sperner solvers: colour queries / N (2D), / N^2 (3D); the adversary's forced count"
    note = "no numeric target in the issue: the ratios are reported as printed by bench_solvers.py"
    res = record("solvers", title, [], [], [], [note], time.perf_counter() - t0)
    res["text"] = buf.getvalue().rstrip("\n")
    return res


def run(names: list[str], quick: bool) -> list[dict[str, Any]]:
    """Run the named benchmarks and return their result records (printing each as it finishes)."""
    from _common import print_record

    results = []
    for name in names:
        if name == "solvers":
            res = _solvers(quick)
        else:
            mod = __import__(f"bench_{name}")
            res = mod.main(quick=quick)
        res.setdefault("text", "")
        res["measured_at"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        if res["text"]:
            print(f"== {res['name']}: {res['title']}")
            print(res["text"])
            for n in res["notes"]:
                print(f"note: {n}")
            print(f"({res['seconds']:.1f} s)\n")
        else:
            print_record(res)
        sys.stdout.flush()
        results.append(res)
    return results


def _cell(v: Any) -> str:
    from _common import fmt

    return fmt(v).replace("|", "\\|")  # a literal pipe would split the markdown cell


def _met(t: dict[str, Any]) -> str:
    return {True: "yes", False: "**no**", None: "not measured"}[t["met"]]


def results_markdown(results: list[dict[str, Any]], quick: bool, threads: int, command: str) -> str:
    """The text of RESULTS.md: machine, summary of targets, one table per benchmark."""
    from _common import machine

    when = max((r.get("measured_at", "") for r in results), default="") or "unknown time"
    lines = ["# Benchmark results", "",
             f"Generated by `{command}` (measurements finished {when}, "
             f"written {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})"
             + (" (**quick mode**: small sizes, timings not representative)" if quick else "") + ".",
             "Every ratio is measured side by side in one process; absolute times are wall-clock on the "
             "machine below, which may have been shared with other jobs.", "", "## Machine", ""]
    for k, v in machine().items():
        lines.append(f"* {k}: {v}")
    lines.append(f"* BLAS/OpenMP threads: {threads}")
    lines += ["", "## Targets", "", "| benchmark | target | measured | required | met |",
              "| --- | --- | --- | --- | --- |"]
    for res in results:
        for t in res["targets"]:
            lines.append(f"| {res['name']} | {_cell(t['target'])} | {_cell(t['measured'])} | "
                         f"{_cell(t['required'])} | {_met(t)} |")
    for res in results:
        lines += ["", f"## {res['name']}: {res['title']}", ""]
        if res.get("text"):
            lines += ["```", res["text"], "```"]
        elif res["rows"]:
            lines.append("| " + " | ".join(res["columns"]) + " |")
            lines.append("|" + " --- |" * len(res["columns"]))
            for r in res["rows"]:
                lines.append("| " + " | ".join(_cell(c) for c in r) + " |")
        if res["notes"]:
            lines.append("")
            lines += [f"* {n}" for n in res["notes"]]
        lines.append(f"\n({res['seconds']:.1f} s, finished {res.get('measured_at', 'at an unknown time')})")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    args = _parse(argv)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)  # before numpy is imported (below)
    sys.path.insert(0, str(HERE))
    names = [n for item in args.only for n in item.split(",") if n] or ORDER
    unknown = [n for n in names if n not in ORDER]
    if unknown:
        raise SystemExit(f"unknown benchmark(s) {unknown}; choose from {ORDER}")
    if "numpy" in sys.modules:
        print("warning: numpy was imported before run_all set the thread count", file=sys.stderr)
    t0 = time.perf_counter()
    if args.from_json:
        results = [r for r in json.loads(Path(args.from_json).read_text()) if r["name"] in names]
    else:
        results = run(names, args.quick)
    print(f"total {time.perf_counter() - t0:.1f} s")
    summary = [(r["name"], t) for r in results for t in r["targets"]]
    for name, t in summary:
        print(f"[{_met(t).strip('*'):>12}] {name}: {t['target']} ({t['measured']}; required {t['required']})")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str))
    if args.write_results:
        cmd = "python benchmarks/run_all.py " + " ".join(argv if argv is not None else sys.argv[1:])
        Path(args.results_path).write_text(results_markdown(results, args.quick, args.threads, cmd.strip()))
        print(f"wrote {args.results_path}")
    return results


if __name__ == "__main__":
    main()
