"""Pictures of colourings: 2D grids with solutions and door paths, and projections for d = 3.

Figures are built with :class:`matplotlib.figure.Figure` and the Agg canvas; pyplot and the global
backend are never touched, and nothing is shown.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from .._errors import InvalidArgument
from .._validation import short_repr
from ._checks import fully_labelled_simplices, panchromatic_cells
from ._colouring import Colouring
from ._doors import DoorPath, boundary_doors, follow_doors
from ._generators import SpernerInstance

__all__ = ["plot_colouring", "plot_projection", "save_figure"]

#: BiSperner sign types (+,-), (+,+), (-,+), (-,-) in the order of the sign 4-cycle
_TYPE_COLOURS = ["#9ecae1", "#a1d99b", "#fdae6b", "#bcbddc"]
_TYPE_NAMES = ["(+,-)", "(+,+)", "(-,+)", "(-,-)"]
_LABEL_COLOURS = ["#a1d99b", "#fdae6b", "#9ecae1", "#fcbba1", "#dadaeb", "#c7e9c0"]


def _unpack(obj: Any) -> tuple[Colouring, SpernerInstance | None]:
    if isinstance(obj, SpernerInstance):
        return obj.colouring, obj
    if isinstance(obj, Colouring):
        return obj, None
    raise InvalidArgument(
        f"colouring must be a Colouring or SpernerInstance, got colouring={short_repr(obj)}"
    )


def _door_paths(col: Colouring, max_paths: int = 64) -> list[DoorPath]:
    """Door paths from every boundary entry and from every negatively oriented solution."""
    paths = [follow_doors(col, b.cell, b.perm, enter=b.k) for b in boundary_doors(col) if b.sign == 1]
    sols = fully_labelled_simplices(col)
    for c, p, o in zip(sols.cells, sols.perms, sols.orientations, strict=True):
        if o < 0 and len(paths) < max_paths:
            paths.append(follow_doors(col, c, p))
    return paths


def _centroids(path: DoorPath, d: int) -> np.ndarray:
    pts = []
    for cell, perm in path.simplices:
        v = np.array(cell, dtype=float)
        acc = v.copy()
        for a in perm:
            v[a] += 1
            acc += v
        pts.append(acc / (d + 1))
    return np.array(pts).reshape(-1, d)


def plot_colouring(
    colouring: Colouring | SpernerInstance,
    *,
    show_solutions: bool = True,
    show_path: bool | None = None,
    title: str | None = None,
    figsize: tuple[float, float] = (6.0, 6.0),
) -> Figure:
    """Figure of a 2D colouring with its panchromatic cells and door paths.

    Vertex ``(x, y)`` is drawn as the unit square centred at ``(x, y)``, coloured by its sign
    vector (BiSperner) or label (Sperner). Panchromatic cells are outlined in red, and the door
    paths (from every boundary entry and every negatively oriented solution) are drawn through the
    centroids of their Kuhn triangles.

    Parameters
    ----------
    colouring : Colouring or SpernerInstance
        A 2D colouring with at most ``2**22`` vertices.
    show_solutions : bool, default True
    show_path : bool, optional
        Default: draw paths when ``N <= 512``.
    title : str, optional
    figsize : (float, float)

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from constructions.sperner import planted_instance
    >>> fig = plot_colouring(planted_instance(12, 2, target=(7, 6), rng=0))
    >>> len(fig.axes)
    1
    """
    col, inst = _unpack(colouring)
    if col.d != 2:
        raise InvalidArgument(f"plot_colouring draws 2D colourings, got d={col.d}; use plot_projection")
    col = col.to_dense(max_vertices=2**22)
    n = col.n
    if show_path is None:
        show_path = n <= 512
    fig = Figure(figsize=figsize)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    if col.kind == "bisperner":
        s = col.values
        img = np.where(s[..., 0] > 0, np.where(s[..., 1] > 0, 1, 0), np.where(s[..., 1] > 0, 2, 3))
        cmap = ListedColormap(_TYPE_COLOURS)
        handles = [Patch(color=c, label=f"C={nm}") for c, nm in zip(_TYPE_COLOURS, _TYPE_NAMES, strict=True)]
        vmax = 3
    else:
        img = col.values.astype(int)
        cmap = ListedColormap(_LABEL_COLOURS[: col.d + 1])
        handles = [Patch(color=_LABEL_COLOURS[i], label=f"label {i}") for i in range(col.d + 1)]
        vmax = col.d
    ax.imshow(
        img.T,
        origin="lower",
        cmap=cmap,
        vmin=0,
        vmax=vmax,
        interpolation="nearest",
        extent=(-0.5, n - 0.5, -0.5, n - 0.5),
    )
    if show_solutions:
        for c in panchromatic_cells(col).tolist():
            ax.add_patch(Rectangle((c[0], c[1]), 1, 1, fill=False, edgecolor="red", linewidth=2, zorder=3))
        handles.append(Patch(facecolor="none", edgecolor="red", label="panchromatic cell"))
    if show_path:
        for k, path in enumerate(_door_paths(col)):
            pts = _centroids(path, 2)
            ax.plot(
                pts[:, 0],
                pts[:, 1],
                color="black",
                linewidth=1.0,
                zorder=4,
                label="door path" if k == 0 else None,
            )
            ax.plot(pts[:1, 0], pts[:1, 1], "o", color="black", markersize=3, zorder=5)
    ax.set_xlim(-0.5, n - 0.5)
    ax.set_ylim(-0.5, n - 0.5)
    ax.set_xlabel("$v_0$")
    ax.set_ylabel("$v_1$")
    ax.set_aspect("equal")
    if title is None:
        title = f"{col.kind} colouring, N={n}"
        if inst is not None and inst.path_length is not None:
            title += f", door path {inst.path_length} triangles"
    ax.set_title(title)
    ax.legend(
        handles=handles + ax.get_legend_handles_labels()[0],
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize="small",
    )
    fig.tight_layout()
    return fig


def plot_projection(
    colouring: Colouring | SpernerInstance,
    *,
    title: str | None = None,
    figsize: tuple[float, float] = (12.0, 4.2),
) -> Figure:
    """Projections of a 3D colouring's solutions and door paths onto the three coordinate planes.

    Each panel shows, for one pair of axes, the fraction of ``-1`` signs (BiSperner) or the mean
    label (Sperner) along the third axis as a background, the panchromatic cells projected as red
    squares and the door paths projected as black polylines through simplex centroids.

    Parameters
    ----------
    colouring : Colouring or SpernerInstance
        A 3D colouring (an instance also marks its planted ground truth).
    title : str, optional
        Figure title.
    figsize : (float, float)
        Figure size in inches.

    Returns
    -------
    matplotlib.figure.Figure
        Three axes.

    Examples
    --------
    >>> from constructions.sperner import planted_instance
    >>> fig = plot_projection(planted_instance(8, 3, target=(2, 3, 4), rng=0))
    >>> len(fig.axes)
    3
    """
    col, inst = _unpack(colouring)
    if col.d != 3:
        raise InvalidArgument(f"plot_projection draws 3D colourings, got d={col.d}")
    col = col.to_dense(max_vertices=2**21)
    n = col.n
    fig = Figure(figsize=figsize)
    FigureCanvasAgg(fig)
    cells = panchromatic_cells(col)
    paths = _door_paths(col) if n <= 48 else []
    if col.kind == "bisperner":
        density = (col.values < 0).mean(axis=-1)
    else:
        density = col.values / 3.0
    for k, (i, j) in enumerate(((0, 1), (0, 2), (1, 2))):
        ax = fig.add_subplot(1, 3, k + 1)
        other = 3 - i - j
        img = density.mean(axis=other)
        if i > j:  # pragma: no cover - pairs are ordered
            img = img.T
        ax.imshow(
            img.T,
            origin="lower",
            cmap="Greys",
            vmin=0,
            vmax=1,
            alpha=0.5,
            extent=(-0.5, n - 0.5, -0.5, n - 0.5),
        )
        for c in cells.tolist():
            ax.add_patch(Rectangle((c[i], c[j]), 1, 1, fill=False, edgecolor="red", linewidth=2, zorder=3))
        for path in paths:
            pts = _centroids(path, 3)
            ax.plot(pts[:, i], pts[:, j], color="black", linewidth=0.8, zorder=4)
        ax.set_xlim(-0.5, n - 0.5)
        ax.set_ylim(-0.5, n - 0.5)
        ax.set_aspect("equal")
        ax.set_xlabel(f"$v_{i}$")
        ax.set_ylabel(f"$v_{j}$")
        ax.set_title(f"projection on $(v_{i}, v_{j})$")
    if title is None:
        title = f"{col.kind} colouring, N={n}, d=3"
        if inst is not None and inst.path_length is not None:
            title += f", door path {inst.path_length} simplices"
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def save_figure(fig: Figure, path: Any, *, dpi: int = 120) -> str:
    """Write *fig* as a PNG file and return the path.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    path : str or path-like
        Target file.
    dpi : int, default 120
        Resolution.

    Examples
    --------
    >>> import tempfile, os
    >>> from constructions.sperner import planted_instance
    >>> fig = plot_colouring(planted_instance(8, 2, target=(4, 4), rng=0))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = save_figure(fig, os.path.join(tmp, "snake.png"))
    ...     os.path.getsize(out) > 0
    True
    """
    if not isinstance(fig, Figure):
        raise InvalidArgument(f"fig must be a matplotlib Figure, got fig={short_repr(fig)}")
    if not isinstance(path, (str, os.PathLike)) or not os.fspath(path).endswith(".png"):
        raise InvalidArgument(f"path must be a .png file name, got path={short_repr(path)}")
    if fig.canvas is None or not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    fig.savefig(os.fspath(path), dpi=dpi, format="png")
    return os.fspath(path)
