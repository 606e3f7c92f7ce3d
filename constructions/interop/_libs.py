r"""Import normal-form games from Nashpy, pygambit (``.nfg`` files) and OpenSpiel.

Every importer returns the **mixed extension** built by
:func:`~constructions.normal_form_game`: player :math:`i` picks
:math:`x_i \in \Delta_{a_i}` and maximises the multilinear expected payoff
:math:`u_i(x) = \sum_s P_i[s]\prod_k x_k[s_k]`. Such a game is exact (rigorous enclosures,
own-block smoothness :math:`L_i = 0`), so localeq's certificates are sound on it:

* a mixed profile :math:`x` is a Nash equilibrium of the finite game iff it is an
  :math:`(\varepsilon, \delta)`-local Nash point of the mixed extension for :math:`\varepsilon=0`
  and any :math:`\delta \ge \sqrt2 = \operatorname{diam}\Delta` (the first-order gain is the
  regret, since :math:`u_i` is linear in :math:`x_i`) -- use
  :func:`certificates.certify_local_nash`;
* a distribution :math:`D` over pure profiles (a correlated or coarse correlated
  equilibrium) is the finitely supported distribution on the vertices
  :math:`(e_{s_1}, \dots, e_{s_n})` with weights :math:`D(s)`, see :func:`joint_to_distribution`;
  its CE gain is the :math:`\Phi_{LIN}` gain (:func:`certificates.certify_linear_deviation`,
  ``certificates.md`` §3.4) and its CCE gain, times :math:`\delta/\sqrt2`, the
  :math:`\Phi_{int}(\delta)` gain (:func:`certificates.certify_local_cce`, §2.5).

Nashpy, pygambit and OpenSpiel are optional (extra ``localeq[interop]``) and imported only
inside the functions that need them; :func:`load_nfg` falls back to the pure-Python reader
of :mod:`constructions.interop._nfg` when pygambit is absent.
"""

from __future__ import annotations

import os
from fractions import Fraction
from typing import Any

import numpy as np

from .._classic import normal_form_game
from .._errors import InvalidArgument
from .._games import Game
from .._validation import as_real, short_repr
from ._nfg import NFGData, read_nfg

__all__ = [
    "from_nashpy",
    "from_pygambit",
    "from_openspiel",
    "from_nfg_data",
    "load_nfg",
    "pygambit_profile",
    "joint_to_distribution",
]


def _tagged(P: np.ndarray, name: str, facts: dict[str, Any]) -> Game:
    game = normal_form_game(P, name=name)
    game.facts.update(facts)
    return game


def from_nashpy(game: Any, *, name: str | None = None) -> Game:
    r"""The mixed extension of a Nashpy two-player game.

    Parameters
    ----------
    game : nashpy.Game
        A bimatrix game; ``game.payoff_matrices`` is ``(A, B)``, the row and column player's
        payoffs (a game built from ``A`` alone is zero-sum, ``B = -A``).
    name : str, optional
        Name of the localeq game (default ``"nashpy game"``).

    Returns
    -------
    Game
        :func:`~constructions.normal_form_game` of ``np.stack([A, B])``; a Nashpy equilibrium
        ``(x, y)`` is the point ``np.concatenate([x, y])``.

    Raises
    ------
    InvalidArgument
        ``game`` has no ``payoff_matrices`` pair of equal-shape finite matrices.

    Examples
    --------
    >>> try:
    ...     import nashpy
    ... except ImportError:
    ...     nashpy = None
    >>> if nashpy is not None:
    ...     g = from_nashpy(nashpy.Game([[1, -1], [-1, 1]]))      # matching pennies
    ...     print(g.dims, g.utility(1, np.array([1.0, 0.0, 1.0, 0.0])))
    ... else:
    ...     print((2, 2), -1.0)
    (2, 2) -1.0
    """
    mats = getattr(game, "payoff_matrices", None)
    if mats is None or len(mats) != 2:
        raise InvalidArgument(
            f"game must be a nashpy.Game (with payoff_matrices), got game={short_repr(game)}")
    A, B = (np.asarray(m, dtype=float) for m in mats)
    if A.ndim != 2 or A.shape != B.shape:
        raise InvalidArgument(
            f"game.payoff_matrices must be two matrices of one shape, got shapes {A.shape} and {B.shape}"
        )
    return _tagged(np.stack([A, B]), name or "nashpy game", {"source": "nashpy"})


def _pygambit() -> Any:
    try:
        import pygambit
    except ImportError as exc:
        raise ImportError(
            "this function needs pygambit; install it with  pip install 'localeq[interop]'") from exc
    return pygambit


def _exact(v: Any) -> Fraction:
    """A pygambit payoff (Rational, Decimal, int or float) as an exact Fraction."""
    try:
        return Fraction(v)
    except (TypeError, ValueError):
        return Fraction(str(v))


def from_pygambit(game: Any, *, name: str | None = None) -> Game:
    r"""The mixed extension of a pygambit game (its strategic form).

    Parameters
    ----------
    game : pygambit.Game
        A strategic game (``Game.from_arrays``, ``read_nfg``, ...). An extensive game is
        taken in its (reduced) strategic form, as pygambit's own strategy list gives it.
    name : str, optional
        Name of the localeq game (default: the game's title, else ``"pygambit game"``).

    Returns
    -------
    Game
        The mixed extension; ``facts`` records ``players``, ``strategies`` (labels) and
        ``exact_payoffs`` (a :class:`fractions.Fraction` object array). Blocks follow
        pygambit's player and strategy order, as :func:`pygambit_profile` does.

    Raises
    ------
    ImportError
        pygambit is not installed.
    InvalidArgument
        ``game`` is not a pygambit game.

    Examples
    --------
    >>> try:
    ...     import pygambit
    ... except ImportError:
    ...     pygambit = None
    >>> if pygambit is not None:
    ...     g = from_pygambit(pygambit.Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], title="PD"))
    ...     print(g.name, g.utility(0, np.array([0.0, 1.0, 0.0, 1.0])))
    ... else:
    ...     print("PD", 1.0)
    PD 1.0
    """
    gbt = _pygambit()
    if not isinstance(game, gbt.Game):
        raise InvalidArgument(f"game must be a pygambit.Game, got game={short_repr(game)}")
    players = list(game.players)
    strategies = [list(p.strategies) for p in players]
    shape = tuple(len(s) for s in strategies)
    arrays = game.to_arrays(dtype=gbt.Rational)  # one exact array per player, in strategy order
    exact = np.empty((len(players), *shape), dtype=object)
    for i, arr in enumerate(arrays):
        arr = np.asarray(arr, dtype=object)
        if arr.shape != shape:  # pragma: no cover - pygambit's own invariant
            raise InvalidArgument(f"pygambit returned payoffs of shape {arr.shape}, expected {shape}")
        exact[i] = np.vectorize(_exact, otypes=[object])(arr)
    P = np.vectorize(float, otypes=[float])(exact).reshape(exact.shape)
    title = str(getattr(game, "title", "") or "")
    return _tagged(P, name or title or "pygambit game", {
        "source": "pygambit",
        "title": title,
        "players": tuple(str(p.label) for p in players),
        "strategies": tuple(tuple(str(s.label) for s in ss) for ss in strategies),
        "exact_payoffs": exact,
    })


def pygambit_profile(profile: Any) -> np.ndarray:
    r"""A pygambit mixed-strategy profile as a localeq joint point (players' blocks concatenated).

    Exact (rational) probabilities are rounded to the nearest float64, so the point may miss
    the simplex by a few ulps; certificates accept that through ``feas_tol``.

    Parameters
    ----------
    profile : pygambit.MixedStrategyProfile
        E.g. an entry of ``pygambit.nash.lcp_solve(game).equilibria``.

    Returns
    -------
    numpy.ndarray
        ``[x_1[s] for s in player 1's strategies] + [x_2[s] ...] + ...``.

    Examples
    --------
    >>> try:
    ...     import pygambit
    ... except ImportError:
    ...     pygambit = None
    >>> if pygambit is not None:
    ...     g = pygambit.Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    ...     print(pygambit_profile(pygambit.nash.lcp_solve(g).equilibria[0]).tolist())
    ... else:
    ...     print([0.5, 0.5, 0.5, 0.5])
    [0.5, 0.5, 0.5, 0.5]
    """
    game = getattr(profile, "game", None)
    if game is None or not type(profile).__name__.startswith("MixedStrategyProfile"):
        raise InvalidArgument(
            "profile must be a pygambit MixedStrategyProfile (for a tree game solve with "
            f"use_strategic=True or convert with profile.as_strategy()), got profile={short_repr(profile)}")
    return np.array([float(_exact(profile[s])) for p in game.players for s in p.strategies])


def from_nfg_data(data: NFGData, *, name: str | None = None) -> Game:
    """The mixed extension of a game read by the pure-Python ``.nfg`` reader.

    Parameters
    ----------
    data : NFGData
        From :func:`~constructions.interop.parse_nfg` or :func:`~constructions.interop.read_nfg`.
    name : str, optional
        Name of the localeq game (default: the title, else ``"nfg game"``).

    Returns
    -------
    Game
        As :func:`from_pygambit` (``facts``: ``players``, ``strategies``, ``exact_payoffs``).

    Examples
    --------
    >>> from constructions.interop import parse_nfg
    >>> g = from_nfg_data(parse_nfg('NFG 1 R "MP" { "A" "B" } { 2 2 } 1 -1 -1 1 -1 1 1 -1'))
    >>> g.name, g.dims, g.facts["strategies"]
    ('MP', (2, 2), (('1', '2'), ('1', '2')))
    """
    if not isinstance(data, NFGData):
        raise InvalidArgument(f"data must be an NFGData, got data={short_repr(data)}")
    return _tagged(data.float_payoffs(), name or data.title or "nfg game", {
        "source": "nfg",
        "title": data.title,
        "players": data.players,
        "strategies": data.strategies,
        "exact_payoffs": data.payoffs,
    })


def load_nfg(path: str | os.PathLike[str], *, reader: str = "auto", name: str | None = None) -> Game:
    r"""Load a Gambit ``.nfg`` strategic game as a localeq game (its mixed extension).

    Parameters
    ----------
    path : str or path-like
        The ``.nfg`` file (payoff or outcome layout).
    reader : {"auto", "pygambit", "python"}
        ``"pygambit"`` parses with ``pygambit.read_nfg``, ``"python"`` with localeq's own
        reader (:func:`~constructions.interop.read_nfg`); ``"auto"`` uses pygambit when it is
        installed. Both give the same payoffs (checked by the test-suite).
    name : str, optional
        Name of the game (default: the file's title).

    Returns
    -------
    Game

    Raises
    ------
    InvalidArgument
        Unknown ``reader``, unreadable or malformed file.
    ImportError
        ``reader="pygambit"`` without pygambit.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "pd.nfg"
    >>> _ = p.write_text('NFG 1 R "PD" { "1" "2" } { 2 2 } 3 3 5 0 0 5 1 1')
    >>> g = load_nfg(p, reader="python")
    >>> g.utility(0, np.array([0.0, 1.0, 0.0, 1.0]))       # both defect
    1.0
    """
    if reader not in ("auto", "pygambit", "python"):
        raise InvalidArgument(f"reader must be 'auto', 'pygambit' or 'python', got reader={reader!r}")
    if reader == "auto":
        try:
            import pygambit  # noqa: F401
        except ImportError:
            reader = "python"
        else:
            reader = "pygambit"
    if reader == "python":
        return from_nfg_data(read_nfg(path), name=name)
    gbt = _pygambit()
    if not os.path.isfile(os.fspath(path)):
        raise InvalidArgument(f"cannot read an .nfg file at path={path!r}: no such file")
    try:
        game = gbt.read_nfg(os.fspath(path))
    except Exception as exc:  # noqa: BLE001 - pygambit raises ValueError/IOError/RuntimeError variously
        raise InvalidArgument(f"pygambit cannot parse the .nfg file at path={path!r}: {exc}") from exc
    return from_pygambit(game, name=name)


def _openspiel_game(game: Any) -> Any:
    try:
        import pyspiel
    except ImportError as exc:
        raise ImportError(
            "this function needs OpenSpiel; install it with  pip install 'localeq[interop]'") from exc
    if isinstance(game, str):
        try:
            return pyspiel, pyspiel.load_game(game)
        except Exception as exc:  # noqa: BLE001 - pyspiel raises its own error type
            raise InvalidArgument(f"OpenSpiel cannot load game={game!r}: {exc}") from exc
    if not isinstance(game, pyspiel.Game):
        raise InvalidArgument(f"game must be a pyspiel.Game or a game name, got game={short_repr(game)}")
    return pyspiel, game


def from_openspiel(game: Any, *, name: str | None = None) -> Game:
    r"""The mixed extension of an OpenSpiel normal-form (matrix or tensor) game.

    Parameters
    ----------
    game : pyspiel.Game or str
        A ``pyspiel.MatrixGame`` (``pyspiel.create_matrix_game(A, B)``,
        ``pyspiel.load_game("matrix_rps")``), a ``pyspiel.TensorGame``, or another one-shot
        simultaneous-move game that ``pyspiel.extensive_to_tensor_game`` converts; a string is
        loaded with ``pyspiel.load_game``.
    name : str, optional
        Name of the localeq game (default: OpenSpiel's short name).

    Returns
    -------
    Game
        The mixed extension of the payoff tensor
        ``[game.player_utilities(i) for i in players]`` (rows/columns for matrix games);
        ``facts["strategies"]`` holds OpenSpiel's action names.

    Raises
    ------
    ImportError
        OpenSpiel is not installed.
    InvalidArgument
        Not a pyspiel game, or a game OpenSpiel cannot convert to a tensor game.

    Examples
    --------
    >>> try:
    ...     import pyspiel
    ... except ImportError:
    ...     pyspiel = None
    >>> if pyspiel is not None:
    ...     g = from_openspiel("matrix_rps")
    ...     print(g.dims, g.facts["strategies"][0])
    ... else:
    ...     print((3, 3), ('Rock', 'Paper', 'Scissors'))
    (3, 3) ('Rock', 'Paper', 'Scissors')
    """
    pyspiel, g = _openspiel_game(game)
    short = g.get_type().short_name
    if isinstance(g, pyspiel.MatrixGame):
        P = np.stack([np.asarray(g.row_utilities(), dtype=float), np.asarray(g.col_utilities(), dtype=float)])
        labels = (tuple(g.row_action_name(k) for k in range(g.num_rows())),
                  tuple(g.col_action_name(k) for k in range(g.num_cols())))
    else:
        if not isinstance(g, pyspiel.TensorGame):
            try:
                g = pyspiel.extensive_to_tensor_game(g)
            except Exception as exc:  # noqa: BLE001
                raise InvalidArgument(
                    f"OpenSpiel cannot convert game={short!r} to a normal-form (tensor) game: {exc}"
                ) from exc
        P = np.stack([np.asarray(g.player_utilities(i), dtype=float) for i in range(g.num_players())])
        labels = tuple(tuple(g.action_name(i, k) for k in range(P.shape[1 + i])) for i in range(P.shape[0]))
    return _tagged(P, name or short, {"source": "openspiel", "strategies": labels})


def joint_to_distribution(game: Game, joint: Any, *, tol: float = 1e-7) -> tuple[np.ndarray, np.ndarray]:
    r"""A joint distribution over pure profiles as support points and weights of the mixed extension.

    A correlated (or coarse correlated) equilibrium :math:`D` of a normal-form game, e.g. from
    an LP solver, becomes the distribution
    :math:`\sigma = \sum_{s : D(s) > 0} D(s)\,\delta_{(e_{s_1}, \dots, e_{s_n})}` on the vertices
    of the product of simplices -- the input of :func:`certificates.certify_linear_deviation`
    and :func:`certificates.certify_local_cce`.

    Solver output is repaired **visibly**: entries in :math:`[-\mathrm{tol}, 0)` are set to 0
    and the weights are divided by their sum (which must be within ``tol`` of 1); what is then
    certified is this repaired distribution.

    Parameters
    ----------
    game : Game
        A normal-form game (its ``dims`` give the expected shape of ``joint``).
    joint : array_like, shape (a_1, ..., a_n)
        Probabilities of the pure profiles.
    tol : float, default 1e-7
        Largest negative entry and largest deviation of the total from 1 that are repaired.

    Returns
    -------
    points : numpy.ndarray, shape (K, a_1 + ... + a_n)
        One-hot joint strategies of the profiles with positive weight.
    weights : numpy.ndarray, shape (K,)
        Their probabilities (summing to 1 up to rounding).

    Raises
    ------
    InvalidArgument
        Wrong shape, non-finite entries, an entry below ``-tol`` or a total off by more than
        ``tol``.

    Examples
    --------
    >>> from constructions import matching_pennies
    >>> pts, w = joint_to_distribution(matching_pennies(), [[0.5, 0.0], [0.0, 0.5]])
    >>> pts.tolist(), w.tolist()
    ([[1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 1.0]], [0.5, 0.5])
    """
    if not isinstance(game, Game):
        raise InvalidArgument(f"game must be a localeq Game, got game={game!r}")
    tol = as_real(tol, "tol", nonnegative=True)
    try:
        D = np.asarray(joint, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InvalidArgument(
            f"joint must be an array of probabilities, got joint={short_repr(joint)}") from exc
    if D.shape != tuple(game.dims):
        raise InvalidArgument(f"joint must have shape {tuple(game.dims)}, got shape {D.shape}")
    if not np.all(np.isfinite(D)):
        raise InvalidArgument(f"joint must be finite, got joint={short_repr(D)}")
    if D.min() < -tol:
        raise InvalidArgument(f"joint has an entry {D.min():.3g} below -tol={tol:g}")
    D = np.where(D < 0, 0.0, D)
    total = float(D.sum())
    if abs(total - 1.0) > tol:
        raise InvalidArgument(f"joint must sum to 1 within tol={tol:g}, got sum {total!r}")
    D = D / total
    starts = np.cumsum([0, *game.dims])
    points, weights = [], []
    for prof in zip(*np.nonzero(D), strict=True):
        x = np.zeros(game.dim)
        for i, s in enumerate(prof):
            x[starts[i] + int(s)] = 1.0
        points.append(x)
        weights.append(float(D[prof]))
    return np.array(points), np.array(weights)
