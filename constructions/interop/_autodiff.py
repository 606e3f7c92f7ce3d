r"""Games whose utilities are JAX or PyTorch functions, with gradients by automatic differentiation.

Write the utilities once in JAX (``jax.numpy``) or PyTorch, and get a localeq
:class:`~constructions.Game` whose oracles are

* :math:`u_i(x)` -- the function itself, evaluated in **float64**;
* :math:`g_i(x) = \nabla_{x_i} u_i(x)` -- reverse-mode autodiff of :math:`u_i` with respect to
  player :math:`i`'s own block only (the other blocks are held fixed);
* :math:`\nabla^2_{x_i x_i} u_i(x)` -- the exact own-block Hessian by autodiff (forward-over-
  reverse in JAX, ``torch.func.hessian`` in PyTorch), instead of the finite differences
  :func:`~constructions.game_from_callables` falls back to.

Autodiff derivatives are exact up to float64 rounding but carry no rigorous error bound, and
the own-block smoothness constants :math:`L_i` cannot be derived automatically: pass
``smoothness=`` (recorded as an *assumption* in every certificate), as for
:func:`~constructions.game_from_callables`.

JAX and PyTorch are optional (extras ``localeq[jax]`` and ``localeq[torch]``); they are
imported only when :func:`jax_game` or :func:`torch_game` is called. Neither function changes
global state: JAX evaluations run inside a scoped float64 context, PyTorch tensors are built
with ``dtype=torch.float64``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .._errors import InvalidArgument
from .._games import Game, _check_dims, game_from_callables
from .._sets import ConvexSet
from .._validation import short_repr

__all__ = ["jax_game", "torch_game"]


def _require(module: str, extra: str) -> Any:
    import importlib
    import warnings

    try:
        with warnings.catch_warnings():  # the libraries' own import-time deprecation notices
            warnings.simplefilter("ignore", DeprecationWarning)
            return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(
            f"this function needs {module!r}; install it with  pip install 'localeq[{extra}]'"
        ) from exc


def _utility_list(utilities: Any, n: int, kind: str) -> tuple[list[Callable[[Any], Any]], bool]:
    """``(fns, vector)``: one callable per player, or one callable returning all n utilities."""
    if callable(utilities):
        return [utilities], True
    try:
        fns = list(utilities)
    except TypeError:
        fns = []
    if len(fns) != n or not all(callable(f) for f in fns):
        raise InvalidArgument(
            f"utilities must be one {kind} callable returning the {n} utilities, or a sequence of {n} "
            f"{kind} callables (one per player), got utilities={short_repr(utilities)}"
        )
    return fns, False


def _as_point(x: Any, dim: int) -> np.ndarray:
    arr = np.asarray(x, dtype=np.float64).reshape(-1)
    if arr.shape[0] != dim:
        raise InvalidArgument(f"x must have length {dim}, got shape {np.shape(x)}")
    return arr


def _x64(jax: Any) -> Any:
    """A context manager enabling float64 in JAX for the duration of a call (no global change)."""
    if bool(jax.config.read("jax_enable_x64")):
        return contextlib.nullcontext()
    for owner, attr in ((jax, "enable_x64"), (getattr(jax, "experimental", None), "enable_x64")):
        fn = getattr(owner, attr, None) if owner is not None else None
        if fn is not None:
            try:
                return fn(True)
            except TypeError:
                return fn()
    raise InvalidArgument(
        "this JAX version has no scoped float64 switch; enable it yourself with "
        "jax.config.update('jax_enable_x64', True) before calling jax_game"
    )


def jax_game(
    utilities: Callable[[Any], Any] | Sequence[Callable[[Any], Any]],
    *,
    dims: Sequence[int],
    domain: ConvexSet | None = None,
    smoothness: float | Sequence[float | None] | None = None,
    jit: bool = True,
    name: str = "JAX game",
    facts: dict[str, Any] | None = None,
) -> Game:
    r"""A localeq game from utilities written with ``jax.numpy``; derivatives by ``jax.grad``.

    Player :math:`i` controls block :math:`x_i` of the joint vector :math:`x` and maximises
    :math:`u_i(x)`. The own-block gradient is :math:`\nabla_{x_i} u_i`, computed by reverse-mode
    autodiff of :math:`z \mapsto u_i(x_1, \dots, z, \dots, x_n)`; the own-block Hessian is
    ``jax.hessian`` of the same map. Everything is evaluated in float64 (a scoped
    ``enable_x64`` context; the global JAX configuration is not changed).

    Parameters
    ----------
    utilities : callable or sequence of callables
        Either one function ``u(x) -> array of shape (n,)`` returning all utilities, or ``n``
        functions ``u_i(x) -> scalar``; ``x`` is the joint strategy as a 1-D JAX array.
        They must be traceable by JAX (use ``jax.numpy``, not numpy, inside).
    dims : sequence of int
        Block sizes :math:`d_i`.
    domain : ConvexSet, optional
        Joint feasible set (a ProductSet or CoupledSet for several players).
    smoothness : float or sequence, optional
        Declared own-block smoothness constants :math:`L_i` (assumptions of certificates).
    jit : bool, default True
        Compile the value, gradient and Hessian functions with ``jax.jit``.
    name : str
        Name shown in reports.
    facts : dict, optional
        Known facts about the game.

    Returns
    -------
    Game
        ``facts["autodiff"] == "jax"``.

    Raises
    ------
    ImportError
        JAX is not installed (``pip install 'localeq[jax]'``).
    InvalidArgument
        Bad ``utilities``, ``dims``, ``domain`` or ``smoothness``; a utility returning the wrong
        number of values.

    Examples
    --------
    >>> import numpy as np
    >>> try:
    ...     import jax.numpy as jnp
    ... except ImportError:
    ...     jnp = None
    >>> if jnp is not None:      # min_x max_y x*y - x**2/2 as two utilities
    ...     g = jax_game([lambda z: -(z[0] * z[1] - z[0] ** 2 / 2), lambda z: z[0] * z[1] - z[0] ** 2 / 2],
    ...                  dims=[1, 1], smoothness=1.0)
    ...     print(g.gradient(0, np.array([1.0, 3.0])).tolist(), g.hessian(0, np.array([1.0, 3.0])).tolist())
    ... else:
    ...     print([-2.0], [[1.0]])
    [-2.0] [[1.0]]
    """
    dims_t = _check_dims(dims)  # arguments first: bad input is InvalidArgument with or without jax
    n = len(dims_t)
    fns, vector = _utility_list(utilities, n, "JAX")
    jax = _require("jax", "jax")
    jnp = _require("jax.numpy", "jax")
    starts = np.cumsum([0, *dims_t])
    dim = int(starts[-1])

    def player_fn(i: int) -> Callable[[Any], Any]:
        if vector:
            f = fns[0]

            def u(x: Any) -> Any:
                out = jnp.reshape(jnp.asarray(f(x)), (-1,))
                if out.shape[0] != n:
                    raise InvalidArgument(
                        f"utilities(x) must return {n} values (one per player), got shape {out.shape}"
                    )
                return out[i]

            return u
        f = fns[i]
        return lambda x: jnp.reshape(jnp.asarray(f(x)), ())

    wrap = jax.jit if jit else (lambda fn: fn)
    _x64(jax)  # fail early when float64 cannot be enabled
    values, grads, hessians = [], [], []
    for i in range(n):
        u = player_fn(i)
        lo, hi = int(starts[i]), int(starts[i + 1])

        def own(z: Any, x: Any, u: Any = u, lo: int = lo, hi: int = hi) -> Any:
            return u(jnp.concatenate([x[:lo], z, x[hi:]]))

        values.append(wrap(u))
        grads.append(wrap(jax.grad(own)))
        hessians.append(wrap(jax.hessian(own)))

    def value_fn(i: int) -> Callable[[np.ndarray], float]:
        def call(x: np.ndarray) -> float:
            xa = _as_point(x, dim)
            with _x64(jax):
                return float(values[i](jnp.asarray(xa, dtype=jnp.float64)))

        return call

    def grad_fn(i: int) -> Callable[[np.ndarray], np.ndarray]:
        lo, hi = int(starts[i]), int(starts[i + 1])

        def call(x: np.ndarray) -> np.ndarray:
            xa = _as_point(x, dim)
            with _x64(jax):
                xj = jnp.asarray(xa, dtype=jnp.float64)
                return np.asarray(grads[i](xj[lo:hi], xj), dtype=np.float64)

        return call

    def hess_fn(i: int) -> Callable[[np.ndarray], np.ndarray]:
        lo, hi = int(starts[i]), int(starts[i + 1])

        def call(x: np.ndarray) -> np.ndarray:
            xa = _as_point(x, dim)
            with _x64(jax):
                xj = jnp.asarray(xa, dtype=jnp.float64)
                return np.asarray(hessians[i](xj[lo:hi], xj), dtype=np.float64).reshape(hi - lo, hi - lo)

        return call

    return game_from_callables(
        [value_fn(i) for i in range(n)],
        [grad_fn(i) for i in range(n)],
        dims=dims_t,
        domain=domain,
        hessians=[hess_fn(i) for i in range(n)],
        smoothness=smoothness,
        name=name,
        facts={"autodiff": "jax", **(facts or {})},
    )


def torch_game(
    utilities: Callable[[Any], Any] | Sequence[Callable[[Any], Any]],
    *,
    dims: Sequence[int],
    domain: ConvexSet | None = None,
    smoothness: float | Sequence[float | None] | None = None,
    name: str = "PyTorch game",
    facts: dict[str, Any] | None = None,
) -> Game:
    r"""A localeq game from utilities written with PyTorch; derivatives by ``torch.autograd``.

    As :func:`jax_game`: player :math:`i` maximises :math:`u_i(x)` over its block :math:`x_i`;
    the own-block gradient :math:`\nabla_{x_i} u_i` and Hessian :math:`\nabla^2_{x_i x_i} u_i`
    are computed by ``torch.func.grad`` / ``torch.func.hessian`` of
    :math:`z \mapsto u_i(x_1, \dots, z, \dots, x_n)`, with float64 tensors.

    Parameters
    ----------
    utilities : callable or sequence of callables
        One function ``u(x) -> tensor of shape (n,)`` or ``n`` functions ``u_i(x) -> scalar``;
        ``x`` is the joint strategy as a 1-D float64 tensor. Use ``torch`` operations inside.
    dims : sequence of int
        Block sizes :math:`d_i`.
    domain : ConvexSet, optional
        Joint feasible set.
    smoothness : float or sequence, optional
        Declared own-block smoothness constants :math:`L_i` (assumptions of certificates).
    name : str
        Name shown in reports.
    facts : dict, optional
        Known facts about the game.

    Returns
    -------
    Game
        ``facts["autodiff"] == "torch"``.

    Raises
    ------
    ImportError
        PyTorch is not installed (``pip install 'localeq[torch]'``).
    InvalidArgument
        Bad ``utilities``, ``dims``, ``domain`` or ``smoothness``; a utility returning the wrong
        number of values.

    Examples
    --------
    >>> import numpy as np
    >>> try:
    ...     import torch
    ... except ImportError:
    ...     torch = None
    >>> if torch is not None:    # the same game as in jax_game, one function for both utilities
    ...     f = lambda z: z[0] * z[1] - z[0] ** 2 / 2
    ...     g = torch_game(lambda z: torch.stack([-f(z), f(z)]), dims=[1, 1], smoothness=1.0)
    ...     print(g.gradient(0, np.array([1.0, 3.0])).tolist(), g.hessian(0, np.array([1.0, 3.0])).tolist())
    ... else:
    ...     print([-2.0], [[1.0]])
    [-2.0] [[1.0]]
    """
    dims_t = _check_dims(dims)  # arguments first: bad input is InvalidArgument with or without torch
    n = len(dims_t)
    fns, vector = _utility_list(utilities, n, "PyTorch")
    torch = _require("torch", "torch")
    tfunc = _require("torch.func", "torch")
    starts = np.cumsum([0, *dims_t])
    dim = int(starts[-1])

    def player_fn(i: int) -> Callable[[Any], Any]:
        if vector:
            f = fns[0]

            def u(x: Any) -> Any:
                out = torch.as_tensor(f(x)).reshape(-1)
                if out.shape[0] != n:
                    raise InvalidArgument(
                        f"utilities(x) must return {n} values (one per player), got shape {tuple(out.shape)}"
                    )
                return out[i]

            return u
        f = fns[i]
        return lambda x: torch.as_tensor(f(x)).reshape(())

    def tensor(x: np.ndarray) -> Any:
        return torch.as_tensor(_as_point(x, dim), dtype=torch.float64)

    def make(i: int) -> tuple[Callable, Callable, Callable]:
        u = player_fn(i)
        lo, hi = int(starts[i]), int(starts[i + 1])

        def own(z: Any, x: Any) -> Any:
            return u(torch.cat([x[:lo], z, x[hi:]]))

        g_own = tfunc.grad(own)
        h_own = tfunc.hessian(own)

        def value(x: np.ndarray) -> float:
            with torch.no_grad():
                return float(u(tensor(x)))

        def gradient(x: np.ndarray) -> np.ndarray:
            xt = tensor(x)
            return g_own(xt[lo:hi], xt).detach().numpy().astype(np.float64)

        def hessian(x: np.ndarray) -> np.ndarray:
            xt = tensor(x)
            return h_own(xt[lo:hi], xt).detach().numpy().astype(np.float64).reshape(hi - lo, hi - lo)

        return value, gradient, hessian

    parts = [make(i) for i in range(n)]
    return game_from_callables(
        [p[0] for p in parts],
        [p[1] for p in parts],
        dims=dims_t,
        domain=domain,
        hessians=[p[2] for p in parts],
        smoothness=smoothness,
        name=name,
        facts={"autodiff": "torch", **(facts or {})},
    )
