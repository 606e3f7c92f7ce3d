"""Shared helpers of the benchmark scripts: timing, result records, tables, machine description.

Every ``bench_*.py`` exposes ``main(quick=False) -> dict`` returning a result record

``{"name", "title", "columns", "rows", "targets", "notes", "seconds"}``

where ``rows`` are lists of plain numbers/strings and every target is
``{"target": text, "measured": text, "required": text, "met": bool | None}`` (``None``: not
measured, e.g. a peer library is not installed). ``run_all.py`` collects them.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from collections.abc import Callable
from typing import Any


def best_of(fn: Callable[[], Any], repeat: int = 3) -> float:
    """Smallest wall time of ``repeat`` calls (seconds)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def paired(fns: list[Callable[[], Any]], rounds: int = 31, seconds: float = 0.02) -> list[list[float]]:
    """Per-round per-call times (seconds) of each of ``fns``, measured in paired rounds.

    Each function is calibrated to a block of about ``seconds``; every round times one block of
    each function, in an order rotated from round to round (so none always runs first). Row ``k``
    of the result holds function ``k``'s block means; ratios of two rows, round by round, compare
    the functions under the same machine conditions, and their median is robust to the drift and
    bursts of a shared machine.
    """
    reps = []
    for fn in fns:
        t1 = best_of(fn, 1)
        reps.append(int(min(1000, max(1, seconds / max(t1, 1e-7)))))
    times: list[list[float]] = [[] for _ in fns]
    for r in range(rounds):
        for j in range(len(fns)):
            k = (j + r) % len(fns)
            fn, m = fns[k], reps[k]
            t0 = time.perf_counter()
            for _ in range(m):
                fn()
            times[k].append((time.perf_counter() - t0) / m)
    return times


def target(what: str, measured: str, required: str, met: bool | None) -> dict[str, Any]:
    """One target line of a result record."""
    return {"target": what, "measured": measured, "required": required,
            "met": None if met is None else bool(met)}


def record(name: str, title: str, columns: list[str], rows: list[list[Any]], targets: list[dict[str, Any]],
           notes: list[str] | None = None, seconds: float = 0.0) -> dict[str, Any]:
    """A result record (see the module docstring)."""
    return {"name": name, "title": title, "columns": list(columns), "rows": [list(r) for r in rows],
            "targets": list(targets), "notes": list(notes or []), "seconds": float(seconds)}


def fmt(v: Any) -> str:
    """Compact text of one table cell."""
    if isinstance(v, bool) or v is None:
        return str(v)
    if isinstance(v, float):
        if v != v:
            return "n/a"
        if v == 0 or 1e-3 <= abs(v) < 1e5:
            return f"{v:.4g}"
        return f"{v:.3e}"
    return str(v)


def table(columns: list[str], rows: list[list[Any]]) -> str:
    """A plain-text table with aligned columns."""
    cells = [[fmt(c) for c in r] for r in rows]
    widths = [max([len(h)] + [len(r[k]) for r in cells]) for k, h in enumerate(columns)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(columns, widths, strict=True))]
    lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(lines)


def print_record(res: dict[str, Any]) -> None:
    """Print a result record: title, table, notes and targets."""
    print(f"== {res['name']}: {res['title']}")
    if res["rows"]:
        print(table(res["columns"], res["rows"]))
    for n in res["notes"]:
        print(f"note: {n}")
    for t in res["targets"]:
        met = {True: "MET", False: "NOT MET", None: "NOT MEASURED"}[t["met"]]
        print(f"target: {t['target']}: measured {t['measured']}, required {t['required']} -> {met}")
    print(f"({res['seconds']:.1f} s)\n")


def machine() -> dict[str, str]:
    """Machine description: platform, CPU, cores, memory, Python and numpy/BLAS build."""
    import numpy as np

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "unknown"
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        mem = f"{pages * size / 2**30:.1f} GiB"
    except (ValueError, OSError, AttributeError):
        pass
    blas = "unknown"
    try:
        cfg = np.show_config(mode="dicts")
        b = cfg.get("Build Dependencies", {}).get("blas", {})
        blas = f"{b.get('name', '?')} {b.get('version', '')}".strip()
    except Exception:  # noqa: BLE001 - older numpy: no dict mode
        pass
    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:
        affinity = os.cpu_count() or 0
    try:
        load = "/".join(f"{v:.1f}" for v in os.getloadavg())
    except (OSError, AttributeError):
        load = "unknown"
    return {
        "load average 1/5/15 min (when written)": load,
        "platform": platform.platform(),
        "cpu": cpu,
        "logical cores (usable)": f"{os.cpu_count()} ({affinity})",
        "memory": mem,
        "python": sys.version.split()[0] + f" ({platform.python_implementation()})",
        "numpy": f"{np.__version__} (BLAS: {blas})",
    }
