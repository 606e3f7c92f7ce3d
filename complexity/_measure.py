r"""Experiments: parameter sweeps that measure query complexity, with resume, fits and plots.

A sweep runs one **experiment** (a registered function that turns one parameter cell into
one result row) over the Cartesian product of its parameter lists and seeds:

* cells run in parallel -- local worker processes by default, or a Dask cluster when
  ``dask_address`` is given -- and each finished row is **appended** to a JSON-lines file
  at once (one ``write`` + ``fsync`` per row);
* an interrupted sweep (Ctrl-C, SIGKILL, a crash) **resumes**: rows already in the file
  are recognised by their cell key and not recomputed; a torn last line (the process
  was killed mid-write) is dropped and truncated away, so no row is lost or duplicated;
* :func:`fit_exponent` fits :math:`y \approx C x^k` by least squares on
  :math:`(\log x, \log y)` with a Student-t confidence interval for :math:`k`;
* :func:`plot_sweep` draws log-log plots with the theoretical bound on the same axes.

Experiments are registered in :data:`EXPERIMENTS` (``register_experiment``) with their
parameter defaults, the quantity to fit and the theoretical growth to compare with.
"""

from __future__ import annotations

import concurrent.futures as cf
import itertools
import json
import math
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from constructions import InvalidArgument
from constructions._validation import as_positive_int, as_real, as_vector, short_repr

__all__ = [
    "Experiment",
    "EXPERIMENTS",
    "register_experiment",
    "cell_key",
    "expand_grid",
    "read_rows",
    "run_sweep",
    "SweepResult",
    "ExponentFit",
    "fit_exponent",
    "fit_table",
    "plot_sweep",
]


@dataclass(frozen=True)
class Experiment:
    """A registered experiment.

    Attributes
    ----------
    name : str
        Registry key (used on the command line).
    run : callable
        ``run(params: dict) -> dict``; must be importable (module level) so worker
        processes can run it; gets ``params["seed"]`` and returns a JSON-able row.
    defaults : dict
        Default parameter lists, e.g. ``{"solver": ["divide-conquer"], "n": [16, 32]}``.
    x : str
        Parameter on the horizontal axis of fits and plots (e.g. ``"n"``).
    y : str
        Row field that is fitted (e.g. ``"queries"``).
    group : tuple of str
        Parameters that split the rows into separate fits (e.g. ``("solver",)``).
    theory : dict
        ``{key: (label, callable x -> bound, exponent)}``: theoretical growth drawn on the plots
        and printed next to the fit. A key is ``"*"`` (every group) or comma-separated group
        values that must all match (``"walk,planted"``); the most specific match wins. The
        exponent is on the scale of ``fit`` (``nan``: none).
    description : str
        One line for ``--help``.
    optional : dict
        ``{name: default}``: parameters that ``run`` receives with this default unless the grid
        sets them. They are left out of the cells, their keys and the fit groups unless set,
        so adding one keeps earlier results files resumable; once set they split the fits.
    fit : {'power', 'exp2'}
        Growth model of the fits and plots: ``'power'`` fits ``y ≈ C x^k`` (log-log axes),
        ``'exp2'`` fits ``y ≈ C 2^(k x)`` (linear ``x``, logarithmic ``y``).
    """

    name: str
    run: Callable[[dict[str, Any]], dict[str, Any]]
    defaults: dict[str, list[Any]]
    x: str
    y: str
    group: tuple[str, ...] = ()
    theory: dict[str, tuple[str, Callable[[float], float], float]] = field(default_factory=dict)
    description: str = ""
    optional: dict[str, Any] = field(default_factory=dict)
    fit: str = "power"


#: registry of experiments by name
EXPERIMENTS: dict[str, Experiment] = {}


def register_experiment(exp: Experiment) -> Experiment:
    """Add an experiment to :data:`EXPERIMENTS` (replacing one of the same name).

    Parameters
    ----------
    exp : Experiment
        The experiment; its ``run`` must be a module-level function for worker processes.

    Returns
    -------
    Experiment
        ``exp`` itself.

    Examples
    --------
    >>> from complexity._measure import Experiment
    >>> from complexity._experiments import selftest_run
    >>> exp = register_experiment(Experiment(name="doc-square", run=selftest_run,
    ...                                      defaults={"x": [1, 2]}, x="x", y="y"))
    >>> EXPERIMENTS["doc-square"] is exp
    True
    >>> del EXPERIMENTS["doc-square"]
    """
    if not isinstance(exp, Experiment):
        raise InvalidArgument(f"exp must be an Experiment, got exp={short_repr(exp)}")
    if exp.fit not in _FIT_MODELS:
        raise InvalidArgument(f"exp.fit must be one of {tuple(_FIT_MODELS)}, got fit={exp.fit!r}")
    shared = sorted(set(exp.optional) & set(exp.defaults))
    if shared:
        raise InvalidArgument(f"exp.optional and exp.defaults must not share names, got {shared}")
    EXPERIMENTS[exp.name] = exp
    return exp


def cell_key(params: dict[str, Any]) -> str:
    """Canonical identity of a parameter cell (sorted-key JSON).

    Examples
    --------
    >>> cell_key({"n": 4, "seed": 0}) == cell_key({"seed": 0, "n": 4})
    True
    """
    return json.dumps(params, sort_keys=True, separators=(",", ":"), default=str)


def expand_grid(grid: dict[str, Sequence[Any]], seeds: Iterable[int]) -> list[dict[str, Any]]:
    """All cells of the Cartesian product of ``grid`` and ``seeds``, in a stable order."""
    names = sorted(grid)
    for k in names:
        vals = grid[k]
        if isinstance(vals, (str, bytes)) or not isinstance(vals, Sequence) or len(vals) == 0:
            raise InvalidArgument(f"grid[{k!r}] must be a non-empty list, got {short_repr(vals)}")
    seeds = list(seeds)
    if not seeds or any(not isinstance(s, (int, np.integer)) or s < 0 for s in seeds):
        raise InvalidArgument(f"seeds must be non-negative integers, got seeds={short_repr(seeds)}")
    cells = []
    for combo in itertools.product(*(grid[k] for k in names)):
        for s in seeds:
            cells.append({**dict(zip(names, combo, strict=True)), "seed": int(s)})
    return cells


def read_rows(path: Path, *, repair: bool = False) -> list[dict[str, Any]]:
    """Rows of a JSON-lines results file; a torn last line is ignored (and cut off if ``repair``).

    A line that is not valid JSON anywhere but at the end means the file is corrupted:
    :class:`~constructions.InvalidArgument`.

    Parameters
    ----------
    path : pathlib.Path
        The JSON-lines file (a missing file gives no rows).
    repair : bool, default False
        Truncate a torn last line away.

    Returns
    -------
    list of dict

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "rows.jsonl"
    ...     _ = path.write_text('{"_key": "a", "y": 3}\\n{"_key": "b", "y"')    # killed mid-write
    ...     print(read_rows(path))
    [{'_key': 'a', 'y': 3}]
    """
    if not isinstance(path, (str, os.PathLike)):
        raise InvalidArgument(f"path must be a str or os.PathLike, got path={short_repr(path)}")
    path = Path(path)
    if not path.exists():
        return []
    data = path.read_bytes()
    rows: list[dict[str, Any]] = []
    pos = 0
    lines = data.split(b"\n")
    for k, line in enumerate(lines):
        last = k == len(lines) - 1
        if line.strip():
            try:
                row = json.loads(line)
                if not isinstance(row, dict) or "_key" not in row:
                    raise ValueError("not a result row")
                if last:  # a complete JSON object without its newline: the write was cut
                    raise ValueError("no newline")
                rows.append(row)
            except ValueError:
                if not last:
                    raise InvalidArgument(
                        f"results file path={str(path)!r} is corrupted at line {k + 1}"
                    ) from None
                if repair:
                    with open(path, "r+b") as fh:
                        fh.truncate(pos)
                break
        pos += len(line) + 1
    return rows


@dataclass(frozen=True)
class SweepResult:
    """What :func:`run_sweep` did: all rows (old and new) and how many it computed now.

    Attributes
    ----------
    rows : list of dict
        Every row of the results file after the sweep.
    computed, skipped, failed : int
        Cells computed now, found already in the file, and failed (their rows carry ``error``).
    path : pathlib.Path
        The results file.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = pathlib.Path(tmp) / "sweep.jsonl"
    ...     first = run_sweep("selftest", seeds=[0], out=out, workers=1, progress=False)
    ...     again = run_sweep("selftest", seeds=[0], out=out, workers=1, progress=False)
    >>> (first.computed, first.skipped), (again.computed, again.skipped), len(again.rows)
    ((4, 0), (0, 4), 4)
    """

    rows: list[dict[str, Any]]
    computed: int
    skipped: int
    failed: int
    path: Path


def _append(path: Path, row: dict[str, Any]) -> None:
    line = (json.dumps(row, sort_keys=True, default=_json_default) + "\n").encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating):
        return float(obj)
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    return str(obj)


def _run_cell(exp_name: str, params: dict[str, Any]) -> dict[str, Any]:
    """Worker entry point: run one cell, never raise (failures become rows with an error)."""
    _ensure_registered()
    exp = EXPERIMENTS[exp_name]
    t0 = time.perf_counter()
    try:
        row = dict(exp.run({**exp.optional, **params}))
        row.setdefault("error", None)
    except Exception as exc:  # noqa: BLE001 - recorded, the sweep goes on
        row = {"error": f"{type(exc).__name__}: {exc}"}
    row["seconds"] = time.perf_counter() - t0
    return row


def run_sweep(
    experiment: str,
    grid: dict[str, Sequence[Any]] | None = None,
    *,
    seeds: Iterable[int] = (0,),
    out: str | Path,
    workers: int = 2,
    dask_address: str | None = None,
    progress: bool = True,
) -> SweepResult:
    """Run (or resume) a sweep and append every finished row to ``out``.

    Parameters
    ----------
    experiment : str
        A name in :data:`EXPERIMENTS`.
    grid : dict, optional
        Parameter lists; missing parameters take the experiment's defaults (an optional
        parameter, :attr:`Experiment.optional`, is left out of the cells unless set here).
    seeds : iterable of int
        Seeds; every cell runs once per seed (``params["seed"]``).
    out : path
        JSON-lines results file (created, or resumed when it exists).
    workers : int, default 2
        Local worker processes (1 runs in this process).
    dask_address : str, optional
        Address of a Dask scheduler (``"tcp://host:8786"``); when given, cells are
        submitted to that cluster instead of local processes.
    progress : bool, default True
        Show a progress bar on stderr.

    Returns
    -------
    SweepResult

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     res = run_sweep("selftest", {"x": [1, 2, 4]}, seeds=[0, 1], out=pathlib.Path(tmp) / "s.jsonl",
    ...                     workers=1, progress=False)
    >>> res.computed, sorted({row["y"] for row in res.rows})        # y = 3 x^2
    (6, [3.0, 12.0, 48.0])
    """
    exp = _experiment(experiment)
    workers = as_positive_int(workers, "workers")
    params = {k: list(v) for k, v in exp.defaults.items()}
    for k, v in (grid or {}).items():
        if k not in exp.defaults and k not in exp.optional:
            raise InvalidArgument(
                f"experiment {experiment!r} has no parameter {k!r}; parameters: "
                f"{sorted([*exp.defaults, *exp.optional])}"
            )
        params[k] = list(v)
    cells = expand_grid(params, seeds)
    path = Path(out)
    if path.parent and not path.parent.exists():
        raise InvalidArgument(f"out directory does not exist: out={str(out)!r}")
    existing = read_rows(path, repair=True)
    done = {r["_key"] for r in existing}
    todo = [c for c in cells if cell_key({"experiment": experiment, **c}) not in done]
    bar = _progress(len(cells), len(cells) - len(todo), progress, experiment)
    computed = failed = 0
    new_rows: list[dict[str, Any]] = []

    def finish(cell: dict[str, Any], row: dict[str, Any]) -> None:
        nonlocal computed, failed
        full = {**cell, **row, "experiment": experiment,
                "_key": cell_key({"experiment": experiment, **cell})}
        _append(path, full)
        new_rows.append(full)
        computed += 1
        failed += full.get("error") is not None
        bar.update(1)

    try:
        if dask_address is not None:
            try:
                from distributed import Client, as_completed
            except ImportError as exc:
                raise InvalidArgument(
                    "dask_address needs the optional dependency 'distributed' "
                    "(pip install 'localeq[dask]')"
                ) from exc
            with Client(dask_address) as client:
                futs = {client.submit(_run_cell, experiment, c, pure=False): c for c in todo}
                for fut in as_completed(futs):
                    finish(futs[fut], fut.result())
        elif workers == 1 or len(todo) <= 1:
            for c in todo:
                finish(c, _run_cell(experiment, c))
        else:
            with cf.ProcessPoolExecutor(max_workers=workers) as pool:
                futs = {pool.submit(_run_cell, experiment, c): c for c in todo}
                for fut in cf.as_completed(futs):
                    finish(futs[fut], fut.result())
    finally:
        bar.close()
    return SweepResult(existing + new_rows, computed, len(cells) - len(todo), failed, path)


class _NoBar:
    def update(self, k: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int, initial: int, show: bool, desc: str) -> Any:
    if not show:
        return _NoBar()
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return _NoBar()
    return tqdm(total=total, initial=initial, desc=desc, unit="cell", file=sys.stderr, leave=True)


# ---------------------------------------------------------------------------------------
# fits and plots
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExponentFit:
    r"""Least-squares fit of :math:`\log y = \log C + k \log x`.

    ``low``/``high`` bound a ``level`` confidence interval for ``k`` (Student t with
    ``n - 2`` degrees of freedom on the per-seed points); ``n`` points were used.

    Attributes
    ----------
    exponent, constant : float
        :math:`k` and :math:`C`.
    low, high : float
        Confidence interval for :math:`k`.
    n : int
        Number of points.
    level : float
        Confidence level.

    Examples
    --------
    >>> fit = fit_exponent([16, 32, 64, 128], [48, 96, 192, 384])
    >>> round(fit.exponent, 6), round(fit.constant, 6), fit.n, fit.low <= 1.0 <= fit.high
    (1.0, 3.0, 4, True)
    """

    exponent: float
    constant: float
    low: float
    high: float
    n: int
    level: float

    def describe(self) -> str:
        """``k = 1.02 [0.97, 1.07]`` style text: the exponent and its confidence interval.

        Returns
        -------
        str
            ``"<exponent> [<low>, <high>]"`` with three decimals.

        Examples
        --------
        >>> fit_exponent([16, 32, 64, 128], [50, 90, 200, 380]).describe()
        '0.993 [0.823, 1.163]'
        """
        return f"{self.exponent:.3f} [{self.low:.3f}, {self.high:.3f}]"


def fit_exponent(x: Sequence[float], y: Sequence[float], *, level: float = 0.95) -> ExponentFit:
    """Fit a power law ``y ≈ C x^k`` with a confidence interval for ``k``.

    Parameters
    ----------
    x, y : sequence of float
        Positive data (at least two distinct ``x``).
    level : float, default 0.95
        Confidence level of the interval for ``k``.

    Returns
    -------
    ExponentFit

    Examples
    --------
    >>> fit = fit_exponent([2, 4, 8, 16], [3 * 2**2, 3 * 4**2, 3 * 8**2, 3 * 16**2])
    >>> round(fit.exponent, 6), round(fit.constant, 6)
    (2.0, 3.0)
    """
    from scipy import stats

    xs = as_vector(x, "x", finite=False)
    ys = as_vector(y, "y", dim=xs.shape[0], finite=False)
    if not 0 < as_real(level, "level") < 1:
        raise InvalidArgument(f"level must lie in (0, 1), got level={level!r}")
    keep = (xs > 0) & (ys > 0) & np.isfinite(xs) & np.isfinite(ys)
    xs, ys = np.log(xs[keep]), np.log(ys[keep])
    n = xs.size
    if n < 2 or np.ptp(xs) == 0:
        raise InvalidArgument(f"need at least two distinct positive x values to fit, got {n} points")
    A = np.vstack([xs, np.ones_like(xs)]).T
    coef, *_ = np.linalg.lstsq(A, ys, rcond=None)
    k, c = float(coef[0]), float(coef[1])
    if n > 2:
        resid = ys - A @ coef
        s2 = float(resid @ resid) / (n - 2)
        se = math.sqrt(s2 / float(((xs - xs.mean()) ** 2).sum()))
        t = float(stats.t.ppf(0.5 + level / 2, n - 2))
        lo, hi = k - t * se, k + t * se
    else:
        lo, hi = -math.inf, math.inf
    return ExponentFit(k, math.exp(c), lo, hi, n, level)


#: growth models of the fits: name -> the fitted law, in the experiment's x
_FIT_MODELS = {"power": "C {x}^k", "exp2": "C 2^(k {x})"}


def _fit_xs(exp: Experiment, xs: Any) -> np.ndarray:
    """The abscissae :func:`fit_exponent` sees: ``x`` (power law) or ``2**x`` (``y = C 2^(k x)``)."""
    xs = np.asarray(xs, dtype=float)
    return np.exp2(xs) if exp.fit == "exp2" else xs


def _groups(rows: list[dict[str, Any]], exp: Experiment) -> dict[str, list[dict[str, Any]]]:
    """Rows by group; an optional parameter joins the group once some row sets it."""
    names = list(exp.group) + [k for k in exp.optional if any(k in r for r in rows)]
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        key = ", ".join(f"{g}={r.get(g, exp.optional.get(g))}" for g in names) or "all"
        out.setdefault(key, []).append(r)
    return out


def _theory_for(exp: Experiment, rows: list[dict[str, Any]]) -> tuple[str, Callable, float] | None:
    """The most specific theory entry whose comma-separated values all occur in the group."""
    values = {str(rows[0].get(g)) for g in exp.group}
    best, best_len = exp.theory.get("*"), 0
    for key, th in exp.theory.items():
        parts = key.split(",")
        if key != "*" and all(p in values for p in parts) and len(parts) > best_len:
            best, best_len = th, len(parts)
    return best


def fit_table(experiment: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One fit per group of rows: exponent, CI and the theoretical exponent.

    Parameters
    ----------
    experiment : str
        A name in :data:`EXPERIMENTS` (decides ``x``, ``y``, the groups and the theory).
    rows : list of dict
        Result rows (e.g. :attr:`SweepResult.rows` or :func:`read_rows`).

    Returns
    -------
    list of dict
        One entry per group: ``group``, ``fit`` (:class:`ExponentFit`), ``theory``,
        ``theory_exponent``, ``points``, ``model`` (the fitted law, e.g. ``"queries = C n^k"``;
        the exponent is ``k`` of ``C x^k`` or, for ``Experiment.fit == 'exp2'``, of ``C 2^(k x)``).

    Examples
    --------
    >>> rows = [{"x": x, "y": 3.0 * x**2, "seed": 0} for x in (1, 2, 4, 8)]
    >>> [(t["group"], round(t["fit"].exponent, 6), t["theory_exponent"]) for t in fit_table("selftest", rows)]
    [('all', 2.0, 2.0)]
    """
    exp = _experiment(experiment)
    table = []
    model = f"{exp.y} = " + _FIT_MODELS[exp.fit].format(x=exp.x)
    for key, grp in sorted(_groups([r for r in rows if r.get("error") is None and
                                     r.get(exp.y) is not None], exp).items()):
        xs = [float(r[exp.x]) for r in grp]
        ys = [float(r[exp.y]) for r in grp]
        try:
            fit = fit_exponent(_fit_xs(exp, xs), ys)
        except InvalidArgument:
            continue
        th = _theory_for(exp, grp)
        table.append({"group": key, "fit": fit, "theory": th[0] if th else "",
                      "theory_exponent": th[2] if th else math.nan, "points": len(grp), "model": model})
    return table


def plot_sweep(experiment: str, rows: list[dict[str, Any]], path: str | Path | None = None):
    """Log-log plot of ``y`` against ``x`` per group, with fits and theoretical bounds.

    For an experiment with ``fit='exp2'`` the ``x`` axis is linear (``y = C 2^(k x)`` is a line).

    Returns the matplotlib Figure (Agg backend; written to ``path`` as PNG when given).

    Parameters
    ----------
    experiment : str
        A name in :data:`EXPERIMENTS`.
    rows : list of dict
        Result rows.
    path : str or pathlib.Path, optional
        Where to write the PNG.

    Examples
    --------
    >>> rows = [{"x": x, "y": 3.0 * x**2, "seed": 0} for x in (1, 2, 4, 8)]
    >>> fig = plot_sweep("selftest", rows)
    >>> type(fig).__name__, len(fig.axes) >= 1
    ('Figure', True)
    """
    from matplotlib.figure import Figure

    exp = _experiment(experiment)
    fig = Figure(figsize=(7, 4.5))
    ax = fig.add_subplot(1, 1, 1)
    good = [r for r in rows if r.get("error") is None and r.get(exp.y) is not None]
    colours = iter(["C0", "C1", "C2", "C3", "C4", "C5", "C6", "C7"] * 4)
    exp2 = exp.fit == "exp2"
    draw = ax.semilogy if exp2 else ax.loglog
    for key, grp in sorted(_groups(good, exp).items()):
        col = next(colours)
        xs = np.array([float(r[exp.x]) for r in grp])
        ys = np.array([float(r[exp.y]) for r in grp])
        draw(xs, ys, "o", color=col, alpha=0.5, ms=4)
        grid = np.linspace(xs.min(), xs.max(), 50) if exp2 else np.geomspace(xs.min(), xs.max(), 50)
        try:
            fit = fit_exponent(_fit_xs(exp, xs), ys)
            what = f"k in C 2^(k {exp.x})" if exp2 else "slope"
            draw(grid, fit.constant * _fit_xs(exp, grid)**fit.exponent, "-", color=col,
                 label=f"{key}: {what} {fit.describe()}")
        except InvalidArgument:
            ax.plot([], [], "o", color=col, label=key)
        th = _theory_for(exp, grp)
        if th is not None:
            draw(grid, [th[1](g) for g in grid], ":", color=col, label=f"theory {th[0]}")
    ax.set_xlabel(exp.x)
    ax.set_ylabel(exp.y)
    ax.set_title(f"{experiment}: {exp.description}", fontsize=9)
    ax.legend(fontsize=7)
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=120)
    return fig


def _experiment(experiment: Any) -> Experiment:
    """The registered experiment called *experiment*, or InvalidArgument."""
    _ensure_registered()
    if not isinstance(experiment, str) or experiment not in EXPERIMENTS:
        raise InvalidArgument(
            f"unknown experiment={experiment!r}; choose one of {sorted(EXPERIMENTS)}"
        )
    return EXPERIMENTS[experiment]


def _ensure_registered() -> None:
    """Import the built-in experiments (they register themselves)."""
    from . import _experiments  # noqa: F401
