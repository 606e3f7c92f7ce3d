r"""The localeq tour: the three jobs end to end on one built-in default, written into a folder.

:func:`tour` strings existing library calls together -- nothing here is a new algorithm:

1. a planted 2D BiSperner instance (:func:`constructions.sperner.planted_instance`) and its picture
   (:func:`constructions.sperner.plot_colouring`);
2. its DSZ lift to a smooth min-max game :math:`f(x, y) = \sum_j (y_j - x_j)\, a_j(x)` on the
   coupled domain (:func:`constructions.lift.lift_colouring`), read through a counting
   :func:`~complexity._oracle.ColourOracle`;
3. zoo algorithms (:func:`complexity.zoo.run_algorithm`) through a counting
   :class:`~complexity._oracle.GameOracle`, on the bilinear game :math:`\min_x\max_y xy` (GDA
   spirals out: its step-:math:`\eta` map multiplies :math:`\|z\|` by :math:`\sqrt{1+\eta^2}`) and
   on the lifted game, with their trajectories drawn;
4. the Sperner route: the divide-and-conquer solver (:func:`complexity.solve_divide_conquer`, via
   ``SOLVERS``), the fixed point in the solver's cell (:func:`constructions.lift.find_fixed_point`)
   and the extraction of the panchromatic cell (:func:`constructions.lift.extract_solution`);
5. an :math:`(\varepsilon, \delta)`-local Nash certificate of that point
   (:func:`certificates.certify_local_nash`);
6. no-regret self-play (zoo ``self-play``) on matching pennies and a local CCE certificate of its
   empirical distribution (:func:`certificates.certify_local_cce`);
7. a small-gain certificate (:func:`certificates.certify_small_gain`) with exactly proved constants
   (:func:`certificates.exact_small_gain_constants`) for a weakly coupled quadratic game;

and every certificate file is re-checked by the independent checker
(:func:`certificates.check_file`, i.e. ``localeq check``). The folder gets the certificates as JSON,
PNG figures, the instance (``instance.npz``, for ``localeq generate lifted --from``), ``report.md``
and ``summary.json``.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from constructions import InvalidArgument
from constructions._validation import as_positive_int, as_rng, short_repr

__all__ = ["TourStep", "TourFigure", "TourResult", "tour", "TOUR_ALGORITHMS"]

#: zoo algorithms the tour runs on the bilinear and on the lifted game
TOUR_ALGORITHMS = ("gda", "alt-gda", "extragradient", "ogda")

#: step size on the bilinear game xy and its number of steps
_BILINEAR_STEP, _BILINEAR_STEPS = 0.2, 60


@dataclass(frozen=True)
class TourStep:
    """One line of the tour's summary.

    Attributes
    ----------
    name : str
        What was done.
    outcome : str
        What came out (a verdict, a cell, ...).
    queries : str
        Oracle queries it cost (``'-'`` when the step makes none).
    detail : str
        One sentence.
    ok : bool
        Whether the outcome is the one theory predicts (informational steps are ``True``).

    Examples
    --------
    >>> TourStep("7 small-gain certificate", "VERIFIED", "-", "contraction margin 0.293").ok
    True
    """

    name: str
    outcome: str
    queries: str
    detail: str
    ok: bool = True


@dataclass(frozen=True)
class TourFigure:
    """A PNG the tour wrote, with the caption that the report prints under it.

    Attributes
    ----------
    name : str
        File stem, e.g. ``'trajectories'``.
    path : pathlib.Path
        The PNG file.
    caption : str
        What the figure shows, with the numbers of this run.

    Examples
    --------
    >>> from pathlib import Path
    >>> TourFigure("instance", Path("out/instance.png"), "Planted instance").path.name
    'instance.png'
    """

    name: str
    path: Path
    caption: str


@dataclass(frozen=True)
class TourResult:
    """Everything :func:`tour` produced.

    Attributes
    ----------
    out : pathlib.Path
        The output folder.
    steps : tuple of TourStep
        The summary, in order.
    figures : tuple of TourFigure
    certificates : dict of str to pathlib.Path
        Certificate files by name (``'local-nash'``, ``'local-cce'``, ``'small-gain'``).
    checks : dict of str to str
        The checker's one-line answer (``localeq check``) for every certificate file.
    facts : dict
        The numbers behind the captions (JSON-able), also written to ``summary.json``.
    seconds : float
        Wall time of the tour.

    Examples
    --------
    >>> from pathlib import Path
    >>> res = TourResult(Path("t"), (TourStep("5 local Nash certificate", "VERIFIED", "-", "eps=1e-6"),),
    ...                  (), {}, {})
    >>> res.ok
    True
    >>> print(res.summary_table())
    step                      outcome   queries  detail
    ------------------------  --------  -------  ------
    5 local Nash certificate  VERIFIED  -        eps=1e-6
    """

    out: Path
    steps: tuple[TourStep, ...]
    figures: tuple[TourFigure, ...]
    certificates: dict[str, Path]
    checks: dict[str, str]
    facts: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when every step came out as theory predicts."""
        return all(s.ok for s in self.steps)

    def summary_table(self) -> str:
        """The summary as a fixed-width text table (what ``localeq tour`` prints).

        Steps whose outcome is not the one theory predicts are marked ``<< UNEXPECTED``.

        Returns
        -------
        str

        Examples
        --------
        >>> from pathlib import Path
        >>> steps = (TourStep("1 solve", "cell (6, 5)", "41 colour", "planted cell found"),
        ...          TourStep("2 certify", "INCONCLUSIVE", "-", "eps too small", ok=False))
        >>> print(TourResult(Path("t"), steps, (), {}, {}).summary_table())
        step       outcome       queries    detail
        ---------  ------------  ---------  ------
        1 solve    cell (6, 5)   41 colour  planted cell found
        2 certify  INCONCLUSIVE  -          eps too small  << UNEXPECTED
        """
        w0 = max(len("step"), *(len(s.name) for s in self.steps))
        w1 = max(len("outcome"), *(len(s.outcome) for s in self.steps))
        w2 = max(len("queries"), *(len(s.queries) for s in self.steps))
        lines = [f"{'step':{w0}s}  {'outcome':{w1}s}  {'queries':{w2}s}  detail"]
        lines.append(f"{'-' * w0}  {'-' * w1}  {'-' * w2}  {'-' * 6}")
        for s in self.steps:
            mark = "" if s.ok else "  << UNEXPECTED"
            lines.append(f"{s.name:{w0}s}  {s.outcome:{w1}s}  {s.queries:{w2}s}  {s.detail}{mark}")
        return "\n".join(lines)


def _queries(counts: dict[str, int]) -> str:
    return " + ".join(f"{v} {k}" for k, v in counts.items() if v) or "0"


def _radius(traj: np.ndarray) -> np.ndarray:
    return np.linalg.norm(traj, axis=1)


def tour(out: str | Path = "localeq-tour", *, n: int = 16, rng: Any = 0, budget: int = 2000) -> TourResult:
    r"""Run the localeq tour and write certificates, figures and a report into ``out``.

    The default instance is a planted :math:`N \times N` BiSperner colouring with one panchromatic
    cell at the end of a door path of length :math:`\ge N^2/4` (:math:`N` = ``n``). Steps and the
    theory each one is checked against (``TourStep.ok``):

    * the Sperner solver's cell, the cell extracted from the fixed point and the planted cell
      coincide;
    * GDA with step :math:`\eta` on :math:`xy` multiplies the distance to the equilibrium by
      exactly :math:`\sqrt{1+\eta^2}` per step (it spirals out);
    * the extracted point is a VERIFIED :math:`(\varepsilon,\delta)`-local Nash point with
      :math:`\delta = 10^{-3}\,h` (:math:`h` the cell side) and :math:`\varepsilon = L\delta^2`
      (twice the curvature term :math:`L\delta^2/2` of the proved smoothness constant :math:`L`);
    * self-play on matching pennies gives a VERIFIED :math:`(0.01, \Phi_{int}(0.05))`-local CCE;
    * the small-gain game :math:`u_1 = -(x^2/2 + 10xy)`, :math:`u_2 = -(y^2/2 + xy/20)` on
      :math:`[-1,1]^2` (coupling product :math:`10 \cdot 0.05 = 0.5 < 1 = \mu_1\mu_2`) is VERIFIED;
    * every certificate file re-checks with the independent checker (``localeq check``).

    The zoo runs on the lifted game are informational (how many gradient and colour queries each
    method spent, and whether it reached the residual :math:`\alpha` of DSZ's Theorem).

    Parameters
    ----------
    out : str or path-like, default ``'localeq-tour'``
        Output folder (created; files in it with the tour's names are overwritten).
    n : int, default 16
        Grid side :math:`N \ge 4` of the planted instance.
    rng : int, Generator or None, default 0
        Seed of every random choice (the instance, the zoo's starting point, the self-play start).
    budget : int, default 2000
        Query budget of each zoo run on the lifted game.

    Returns
    -------
    TourResult

    Raises
    ------
    InvalidArgument
        ``n < 4``, a bad seed or budget, or ``out`` is an existing file.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     res = tour(tmp, n=8, rng=0)
    ...     res.ok, sorted(res.certificates), all(c.startswith("OK") for c in res.checks.values())
    (True, ['local-cce', 'local-nash', 'small-gain'], True)
    >>> res.facts["planted_cell"] == res.facts["solver_cell"] == res.facts["extracted_cell"]
    True
    """
    t_start = time.perf_counter()
    n = as_positive_int(n, "n", minimum=4)
    budget = as_positive_int(budget, "budget")
    gen = as_rng(rng)
    if not isinstance(out, (str, Path)):
        raise InvalidArgument(f"out must be a folder path, got out={short_repr(out)}")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InvalidArgument(f"out must be a folder, but out={str(out)!r} is a file")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidArgument(f"cannot create out={str(out)!r}: {exc.strerror}") from None

    from certificates import (
        certify_local_cce,
        certify_local_nash,
        certify_small_gain,
        check_file,
        exact_small_gain_constants,
        projected_gradient_residual,
    )
    from constructions import bilinear, game_from_sympy, matching_pennies
    from constructions.lift import extract_solution, find_fixed_point, lift_colouring
    from constructions.sperner import planted_instance, save_instance

    from ._oracle import ColourOracle, GameOracle
    from ._solvers import SOLVERS
    from .zoo import run_algorithm

    steps: list[TourStep] = []
    figures: list[TourFigure] = []
    certs: dict[str, Path] = {}
    facts: dict[str, Any] = {"n": n, "budget": budget}

    # 1. the planted instance ---------------------------------------------------------------
    inst = planted_instance(n, 2, rng=int(gen.integers(2**31)))
    planted = [list(map(int, c)) for c in inst.solutions]
    facts["planted_cell"] = planted[0]
    facts["path_length"] = inst.path_length
    save_instance(inst, out / "instance.npz")
    fig = _instance_figure(inst)
    figures.append(_save(fig, out, "instance", (
        f"Planted {n}x{n} BiSperner instance: vertices coloured by sign type, the door path (black) "
        f"runs {inst.path_length} Kuhn triangles from the boundary to the only panchromatic cell "
        f"{tuple(planted[0])} (red).")))
    steps.append(TourStep("1 planted instance", f"cell {tuple(planted[0])}", "-",
                          f"N={n}, one panchromatic cell, door path {inst.path_length} triangles"))

    # 2. the DSZ lift --------------------------------------------------------------------------
    colours = ColourOracle(inst.colouring, trace=True)
    lifted = lift_colouring(colours)
    game = lifted.game
    alpha = float(lifted.parameters.alpha)
    side = float(lifted.parameters.cell_side)
    L = max((s.value for s in game.declared_smoothness if s is not None), default=math.inf)
    facts.update(alpha=alpha, cell_side=side, smoothness=float(L))
    steps.append(TourStep("2 DSZ lift", f"f(x,y) on dim {game.dim}", f"{colours.counter.n_queries} colour",
                          f"residual threshold alpha={alpha:.3g}, cell side {side:.3g}, L={L:.3g}"))

    # 3. zoo algorithms: the bilinear game and the lifted game ------------------------------------
    bil = bilinear(bound=None)
    z0 = np.array([0.5, 0.5])
    bil_runs = {}
    for name in TOUR_ALGORITHMS:
        oracle = GameOracle(bil)
        bil_runs[name] = run_algorithm(name, oracle, z0, _BILINEAR_STEPS, step_size=_BILINEAR_STEP,
                                       final_residual=False)
    r_gda = _radius(bil_runs["gda"].trajectory)
    facts["bilinear"] = {name: {"step": _BILINEAR_STEP, "steps": _BILINEAR_STEPS,
                                "radii": _radius(r.trajectory).tolist(),
                                "queries": int(sum(r.queries.values()))} for name, r in bil_runs.items()}
    growth = float(r_gda[-1] / r_gda[0])
    exact = math.sqrt(1 + _BILINEAR_STEP**2) ** _BILINEAR_STEPS
    spiral_ok = bool(np.all(np.diff(r_gda) > 0) and abs(growth / exact - 1) < 1e-9)
    steps.append(TourStep("3 GDA on xy", "spirals out" if spiral_ok else "does not spiral out",
                          _queries(bil_runs["gda"].queries),
                          f"|z| grew x{growth:.3f} in {_BILINEAR_STEPS} steps = sqrt(1+eta^2)^T, eta="
                          f"{_BILINEAR_STEP}", ok=spiral_ok))

    x0 = game.domain.project(gen.uniform(0, 1, game.dim))
    lift_runs = {}
    for name in TOUR_ALGORITHMS:
        colours.counter.reset()
        oracle = GameOracle(game, budget=budget)
        res = run_algorithm(name, oracle, x0, budget, tol=alpha)
        reached = bool(res.residual < alpha)
        cell = None
        if reached:
            ext = extract_solution(lifted, res.x[: game.dims[0]], res.x[game.dims[0]:])
            cell = list(map(int, ext.cell))
        lift_runs[name] = (res, int(colours.counter.n_queries), cell)
        facts.setdefault("lifted_runs", {})[name] = {
            "reached": reached, "residual": float(res.residual), "stopped_by": res.stopped_by,
            "game_queries": int(oracle.n_queries), "colour_queries": int(colours.counter.n_queries),
            "cell": cell}
        outcome = f"cell {tuple(cell)}" if cell is not None else f"stopped: {res.stopped_by}"
        steps.append(TourStep(f"3 {name} on lifted game", outcome,
                              f"{_queries(res.queries)} + {colours.counter.n_queries} colour",
                              f"residual {res.residual:.2e} {'<' if reached else '>='} alpha"))
    fig = _trajectory_figure(bil_runs, lift_runs, lifted, planted[0])
    figures.append(_save(fig, out, "trajectories", (
        f"Left: on min_x max_y xy from (0.5, 0.5) with step {_BILINEAR_STEP}, GDA spirals out (|z| grows "
        f"x{growth:.2f} in {_BILINEAR_STEPS} steps), alternating GDA cycles on a bounded orbit, "
        f"extragradient and optimistic GDA spiral in to the equilibrium (0, 0). Right: the same algorithms "
        f"on the lifted game, projected onto the minimiser's (x_0, x_1); grid lines are the cells, the "
        f"planted panchromatic cell {tuple(planted[0])} is red; a dot marks where each run stopped.")))

    # 4. the Sperner route: solver, fixed point, extraction ----------------------------------------
    colours.counter.reset()
    sol = SOLVERS["divide-conquer"](colours)
    solver_queries = int(colours.counter.n_queries)
    read = np.array([p for kind, _, p in colours.counter.trace if kind == "colour"], dtype=int).reshape(-1, 2)
    colours.counter.reset()
    search = find_fixed_point(lifted, sol.cell)
    ext = extract_solution(lifted, search.x, search.y)
    extract_queries = int(colours.counter.n_queries)
    point = np.concatenate([search.x, search.y])
    residual = float(projected_gradient_residual(game, point).joint)
    solver_cell, extracted_cell = list(map(int, sol.cell)), list(map(int, ext.cell))
    facts.update(solver_cell=solver_cell, extracted_cell=extracted_cell, solver_queries=solver_queries,
                 distinct_vertices_read=int(len(np.unique(read, axis=0))), extraction_queries=extract_queries,
                 fixed_point=point.tolist(), fixed_point_residual=residual, extraction_kind=ext.kind)
    same = solver_cell == planted[0] == extracted_cell and ext.kind == "panchromatic"
    steps.append(TourStep("4 Sperner solver", f"cell {tuple(solver_cell)}", f"{solver_queries} colour",
                          f"divide-and-conquer read {facts['distinct_vertices_read']} of {n * n} colours; "
                          f"certified={sol.certified}", ok=bool(sol.certified and solver_cell == planted[0])))
    steps.append(TourStep("4 fixed point + extraction", f"cell {tuple(extracted_cell)}",
                          f"{extract_queries} colour",
                          f"residual {residual:.1e} < alpha; {ext.kind} cell "
                          f"{'= planted' if same else '!= planted'}", ok=bool(same and residual < alpha)))
    fig = _solver_figure(inst, read, solver_cell)
    figures.append(_save(fig, out, "sperner_solver", (
        f"The divide-and-conquer Sperner solver read {facts['distinct_vertices_read']} distinct vertices "
        f"of the {n}x{n} grid (black dots; {solver_queries} colour queries with repeats) and returned the "
        f"cell {tuple(solver_cell)} (blue), "
        + ("which is the planted panchromatic cell." if solver_cell == planted[0]
           else f"which is NOT the planted cell {tuple(planted[0])}."))))

    # 5. certify the extracted point ------------------------------------------------------------
    delta = 1e-3 * side
    eps = max(L * delta * delta, 1e-12)
    cert = certify_local_nash(game, point, eps=eps, delta=delta, search=False)
    certs["local-nash"] = _write(out / "local_nash.json", cert.to_json())
    facts["local_nash"] = {"verdict": cert.verdict.value, "eps": eps, "delta": delta,
                           "bound": float(cert.epsilon_upper)}
    steps.append(TourStep("5 local Nash certificate", cert.verdict.value, "-",
                          f"({eps:.2e}, {delta:.2e})-local Nash, bound {cert.epsilon_upper:.2e}; "
                          "local_nash.json",
                          ok=cert.verdict.value == "VERIFIED"))

    # 6. self-play and a local CCE -----------------------------------------------------------------
    mp = matching_pennies()
    p, q = gen.uniform(0.1, 0.9, 2)
    start = np.array([p, 1 - p, q, 1 - q])
    oracle = GameOracle(mp)
    rounds = 400
    play = run_algorithm("self-play", oracle, start, rounds, final_residual=False)
    dist = play.distribution
    cce = certify_local_cce(mp, dist.points, dist.weights, eps=0.01, delta=0.05)
    certs["local-cce"] = _write(out / "local_cce.json", cce.to_json())
    heads = dist.points[:, [0, 2]]
    last = float(np.abs(heads[-rounds // 4:] - 0.5).max(axis=1).min())
    mean = heads.mean(axis=0)
    facts["self_play"] = {"verdict": cce.verdict.value, "rounds": rounds, "start": start.tolist(),
                          "queries": int(oracle.n_queries), "min_late_distance": last,
                          "mean_heads": mean.tolist()}
    steps.append(TourStep("6 self-play local CCE", cce.verdict.value, _queries(play.queries),
                          f"matching pennies, {rounds} rounds: (0.01, Phi_int(0.05))-local CCE; "
                          "local_cce.json",
                          ok=cce.verdict.value == "VERIFIED"))
    fig = _self_play_figure(heads, cce.verdict.value)
    figures.append(_save(fig, out, "self_play", (
        f"Projected gradient self-play on matching pennies ({rounds} rounds): "
        + (f"the iterates keep cycling and do not converge (in the last quarter every iterate is at "
           f"sup-distance >= {last:.2f} from the mixed equilibrium (1/2, 1/2)), yet the empirical"
           if last > 0.05 else f"the iterates come within sup-distance {last:.3f} of the mixed equilibrium "
           f"(1/2, 1/2), and the empirical")
        + " distribution of play (mean marked) is certified "
        f"{cce.verdict.value} as a (0.01, Phi_int(0.05))-local coarse correlated equilibrium.")))

    # 7. small-gain -----------------------------------------------------------------------------
    import sympy as sp

    x, y = sp.symbols("x y")
    sg_game = game_from_sympy([-(x**2 / 2 + 10 * x * y), -(y**2 / 2 + x * y / 20)], [[x], [y]],
                              name="weakly coupled quadratic")
    sg = certify_small_gain(exact_small_gain_constants(sg_game, [-1, -1], [1, 1]))
    certs["small-gain"] = _write(out / "small_gain.json", sg.to_json())
    facts["small_gain"] = {"verdict": sg.verdict.value, "alpha": float(sg.alpha),
                           "euler_factor": float(sg.euler_factor), "rk4_factor": float(sg.rk4_factor)}
    steps.append(TourStep("7 small-gain certificate", sg.verdict.value, "-",
                          f"contraction margin {sg.alpha:.3f}, Euler factor {sg.euler_factor:.3f}; "
                          "small_gain.json", ok=sg.verdict.value == "VERIFIED"))

    # 8. re-check every certificate file ----------------------------------------------------------
    checks = {}
    for key, path in certs.items():
        result = check_file(path)
        checks[key] = result.line()
        steps.append(TourStep(f"8 localeq check {path.name}", "OK" if result.ok else "REJECTED", "-",
                              result.message, ok=bool(result.ok)))

    seconds = time.perf_counter() - t_start
    facts["seconds"] = seconds
    result = TourResult(out=out, steps=tuple(steps), figures=tuple(figures), certificates=certs,
                        checks=checks, facts=facts, seconds=seconds)
    _write(out / "summary.json", json.dumps({
        "ok": result.ok, "steps": [s.__dict__ for s in steps],
        "figures": [{"file": f.path.name, "caption": f.caption} for f in figures],
        "certificates": {k: v.name for k, v in certs.items()}, "checks": checks, "facts": facts,
    }, indent=1, default=str))
    _write(out / "report.md", _report(result))
    return result


# ---------------------------------------------------------------------------------------------
# files
# ---------------------------------------------------------------------------------------------


def _write(path: Path, text: str) -> Path:
    try:
        path.write_text(text if text.endswith("\n") else text + "\n")
    except OSError as exc:
        raise InvalidArgument(f"cannot write {str(path)!r}: {exc.strerror}") from None
    return path


def _save(fig: Any, out: Path, name: str, caption: str) -> TourFigure:
    from constructions.sperner import save_figure

    path = out / f"{name}.png"
    try:
        save_figure(fig, path)
    except OSError as exc:
        raise InvalidArgument(f"cannot write {str(path)!r}: {exc.strerror}") from None
    return TourFigure(name, path, caption)


def _report(res: TourResult) -> str:
    f = res.facts
    lines = [
        "# localeq tour",
        "",
        f"Planted {f['n']}x{f['n']} instance, seed-determined; wall time {res.seconds:.1f} s; "
        f"all steps as theory predicts: **{'yes' if res.ok else 'NO'}**.",
        "",
        "| step | outcome | queries | detail |",
        "| --- | --- | --- | --- |",
    ]
    for s in res.steps:
        mark = "" if s.ok else " (unexpected)"
        cells = (s.name, s.outcome + mark, s.queries, s.detail)
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    lines += ["", "## Certificates", "",
              "Re-check any of them with `localeq check FILE`:", ""]
    for key, path in res.certificates.items():
        lines.append(f"* [`{path.name}`]({path.name}) ({key}): `{res.checks[key]}`")
    lines += ["", "## Figures", ""]
    for fig in res.figures:
        lines += [f"![{fig.name}]({fig.path.name})", "", f"*{fig.caption}*", ""]
    lines += ["Numbers behind every caption: [`summary.json`](summary.json).", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# figures (matplotlib Figure + Agg canvas; pyplot is never touched)
# ---------------------------------------------------------------------------------------------

_COLOURS = {"gda": "#d62728", "alt-gda": "#ff7f0e", "extragradient": "#2ca02c", "ogda": "#1f77b4"}


def _instance_figure(inst: Any) -> Any:
    from constructions.sperner import plot_colouring

    return plot_colouring(inst, figsize=(7.0, 5.5))


def _solver_figure(inst: Any, read: np.ndarray, cell: list[int]) -> Any:
    from matplotlib.patches import Rectangle

    from constructions.sperner import plot_colouring

    fig = plot_colouring(inst, show_path=False, figsize=(7.0, 5.5),
                         title=f"divide-and-conquer: {len(np.unique(read, axis=0))} vertices read")
    ax = fig.axes[0]
    ax.plot(read[:, 0], read[:, 1], "o", color="black", markersize=3, zorder=6, label="vertex read")
    ax.add_patch(Rectangle((cell[0], cell[1]), 1, 1, fill=False, edgecolor="blue", linewidth=2.5,
                           linestyle="--", zorder=7, label="solver's cell"))
    handles, _ = ax.get_legend_handles_labels()
    old = ax.get_legend()
    ax.legend(handles=list(old.legend_handles) + handles, loc="upper left", bbox_to_anchor=(1.01, 1.0),
              fontsize="small")
    return fig


def _trajectory_figure(bil_runs: dict, lift_runs: dict, lifted: Any, planted: list[int]) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    fig = Figure(figsize=(12.5, 6.5))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 2, 1)
    for name, res in bil_runs.items():
        tr = res.trajectory
        ax.plot(tr[:, 0], tr[:, 1], "-", color=_COLOURS[name], linewidth=1.2,
                label=f"{name}: |z| {np.linalg.norm(tr[0]):.2f} -> {np.linalg.norm(tr[-1]):.2f}")
        ax.plot(tr[-1, 0], tr[-1, 1], "o", color=_COLOURS[name], markersize=4)
    ax.plot([0], [0], "*", color="black", markersize=10, label="equilibrium (0, 0)")
    ax.plot([0.5], [0.5], "s", color="grey", markersize=5, label="start (0.5, 0.5)")
    ax.set_aspect("equal")
    ax.set_xlabel("x (minimiser)")
    ax.set_ylabel("y (maximiser)")
    ax.set_title(r"$\min_x \max_y\, xy$: GDA spirals out")
    ax.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2)

    ax = fig.add_subplot(1, 2, 2)
    h = float(lifted.parameters.cell_side)
    cells = int(round(1.0 / h))
    for k in range(cells + 1):
        ax.axvline(k * h, color="#dddddd", linewidth=0.5, zorder=0)
        ax.axhline(k * h, color="#dddddd", linewidth=0.5, zorder=0)
    ax.add_patch(Rectangle((planted[0] * h, planted[1] * h), h, h, facecolor="#fcbba1", edgecolor="red",
                           linewidth=2, zorder=1, label=f"planted cell {tuple(planted)}"))
    for name, (res, _, cell) in lift_runs.items():
        tr = res.trajectory
        status = f"cell {tuple(cell)}" if cell is not None else res.stopped_by
        ax.plot(tr[:, 0], tr[:, 1], "-", color=_COLOURS[name], linewidth=1.0, alpha=0.9,
                label=f"{name}: {_queries(res.queries)}, {status}")
        ax.plot(tr[-1, 0], tr[-1, 1], "o", color=_COLOURS[name], markersize=5, zorder=5)
    ax.plot(tr[0, 0], tr[0, 1], "s", color="grey", markersize=5, label="start")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_xlabel("$x_0$")
    ax.set_ylabel("$x_1$")
    ax.set_title(f"lifted game, projection on the minimiser's $x$ ({cells}x{cells} cells)")
    ax.legend(fontsize="x-small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    return fig


def _self_play_figure(heads: np.ndarray, verdict: str) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.0, 5.5))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    t = np.arange(len(heads))
    ax.plot(heads[:, 0], heads[:, 1], "-", color="#bbbbbb", linewidth=0.7, zorder=1)
    sc = ax.scatter(heads[:, 0], heads[:, 1], c=t, cmap="viridis", s=8, zorder=2)
    fig.colorbar(sc, ax=ax, label="round")
    mean = heads.mean(axis=0)
    ax.plot([0.5], [0.5], "*", color="black", markersize=12, label="mixed equilibrium (1/2, 1/2)")
    ax.plot([mean[0]], [mean[1]], "D", color="red", markersize=7,
            label=f"mean of play ({mean[0]:.2f}, {mean[1]:.2f}): local CCE {verdict}")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_aspect("equal")
    ax.set_xlabel("P(player 0 plays heads)")
    ax.set_ylabel("P(player 1 plays heads)")
    ax.set_title("gradient self-play on matching pennies")
    ax.legend(fontsize="small", loc="lower left")
    fig.tight_layout()
    return fig
