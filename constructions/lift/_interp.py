r"""Interpolation coefficients on the grid: the DSZ SEIC chain (Defs 8.5-8.9) and the tensor smoothstep.

Grid conventions follow :mod:`constructions.sperner`: vertices ``v in {0..N-1}^d`` sit at
``v * delta`` with cell side :math:`\delta = 1/(N-1)`; the cell of ``x`` is named by its lower corner
``c`` and, when ``x`` lies on a face, the **lexicographically first** cell is used (DSZ §7.2):
``c_j = clip(ceil(x_j/delta) - 1, 0, N-2)``.

SEIC on the chain (notes §3.3)
------------------------------
Per coordinate the *source* is ``s_j = c_j`` and the *target* ``t_j = c_j + 1`` when ``c_j`` is even,
and the other way round when it is odd (Def. 8.5). The canonical coordinates are
:math:`p_j = (x_j - s_j\delta) / ((t_j - s_j)\delta) \in [0, 1]` (Def. 8.6). Sorting ``p``
ascending, :math:`q_k = S(p_{(k)})`, the only corners with :math:`Q_v \ne 0` are the ``d+1`` chain
vertices :math:`v^{(m)}` (``m = 0..d``) that take ``s`` on the ``m`` smallest ``p`` and ``t`` on the
rest, with

.. math::
    \ln Q_{v^{(0)}} = \sum_{k} \psi(q_k), \qquad
    \ln Q_{v^{(d)}} = \sum_{k} \psi(1 - q_k), \qquad
    \ln Q_{v^{(m)}} = \sum_{a < m \le b} \psi(q_b - q_a)\ (0 < m < d),

:math:`\psi = \ln S_\infty` (Def. 8.7; positions ``a, b`` are 0-based ranks). A tie
:math:`q_a = q_b` across the split gives :math:`\psi(0) = -\infty`, i.e. :math:`Q = 0`, exactly as
Def. 8.7's rule "some ``j in A``, ``l in B`` with ``p_j >= p_l``". The weights are
:math:`P_v = Q_v / \sum Q` (Def. 8.9), computed by log-sum-exp. All rectangle sums over the pair
matrix use prefix sums, so one value + gradient costs :math:`O(d^2)`; the full Hessian costs
:math:`O(d^3)` (a ``(d+1) x d`` by ``d x (d+1)`` product) and its pair part :math:`O(d^2)`.

The brute-force evaluation :func:`seic_brute_force` applies Def. 8.7 literally to all ``2^d``
corners; it exists to test the chain.
"""

from __future__ import annotations

import itertools
from typing import Any, NamedTuple

import numpy as np
from scipy.special import logsumexp

from .._errors import InvalidArgument
from .._validation import as_positive_int, as_vector, short_repr
from ._steps import log_smoothstep_inf, smoothstep1, smoothstep2

__all__ = [
    "Interpolation",
    "cell_of",
    "seic_coefficients",
    "seic_brute_force",
    "tensor_coefficients",
]


class Interpolation(NamedTuple):
    r"""Interpolation weights at one point ``x`` and their ``x``-derivatives.

    Attributes
    ----------
    cell : numpy.ndarray
        Lower corner ``c`` of the (lexicographically first) cell containing ``x``.
    vertices : numpy.ndarray
        Shape ``(m, d)``: the vertices whose weights may be nonzero (``m = d+1`` chain vertices for
        SEIC, ordered ``v^(0) = t, ..., v^(d) = s``; ``m = 2^d`` corners for the tensor scheme).
    weights : numpy.ndarray
        :math:`P_v(x)`, shape ``(m,)``; nonnegative, sum 1.
    log_weights : numpy.ndarray
        :math:`\ln P_v(x)` (``-inf`` where the weight is exactly zero), finite where the weight
        underflows.
    jacobian : numpy.ndarray
        :math:`\partial P_v / \partial x_i`, shape ``(m, d)``.
    scheme : str
        ``'seic'`` or ``'tensor'``.
    extra : Any
        Scheme-specific data used by :func:`weighted_hessian`.

    Examples
    --------
    >>> it = seic_coefficients([0.3, 0.6, 0.2], 4)       # d = 3: weights on the d + 1 = 4 chain vertices
    >>> it.scheme, it.vertices.shape, bool(abs(it.weights.sum() - 1) < 1e-12), it.jacobian.shape
    ('seic', (4, 3), True, (4, 3))
    """

    cell: np.ndarray
    vertices: np.ndarray
    weights: np.ndarray
    log_weights: np.ndarray
    jacobian: np.ndarray
    scheme: str
    extra: Any = None


def _check_x(x: Any, n: int, name: str = "x") -> np.ndarray:
    arr = as_vector(x, name)
    if arr.size and (arr.min() < 0.0 or arr.max() > 1.0):
        raise InvalidArgument(f"{name} must lie in [0, 1]^{arr.size}, got {name}={short_repr(arr)}")
    return arr


def cell_of(x: Any, n: int) -> np.ndarray:
    r"""Lower corner of the lexicographically first cell that contains ``x`` (DSZ :math:`R(x)`).

    Examples
    --------
    Parameters
    ----------
    x : array_like
        A point of :math:`[0, 1]^d`.
    n : int
        Grid side ``N`` (cell side :math:`1/(N-1)`).

    Returns
    -------
    numpy.ndarray
        ``c_j = clip(ceil(x_j/delta) - 1, 0, N-2)``.

    Examples
    --------
    >>> cell_of([0.5, 0.0, 1.0], 3).tolist()        # 0.5 lies on the face between cells 0 and 1
    [0, 0, 1]
    """
    n = as_positive_int(n, "n", minimum=2)
    arr = _check_x(x, n)
    return _cell(arr, n)


def _cell(x: np.ndarray, n: int) -> np.ndarray:
    u = x * (n - 1)
    return np.clip(np.ceil(u).astype(np.int64) - 1, 0, n - 2)


def _source_target(c: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    even = c % 2 == 0
    s = np.where(even, c, c + 1)
    t = np.where(even, c + 1, c)
    return s, t, (t - s).astype(float)


def canonical_coordinates(x: np.ndarray, n: int, c: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
    """``(c, s, t, sigma, p)`` of Defs 8.5/8.6 (``sigma = t - s``); ``c`` may be forced (faces)."""
    if c is None:
        c = _cell(x, n)
    s, t, sig = _source_target(c)
    p = np.clip((x * (n - 1) - s) * sig, 0.0, 1.0)
    return c, s, t, sig, p


# ----------------------------------------------------------------------------------------------
# SEIC chain
# ----------------------------------------------------------------------------------------------


class _SeicExtra(NamedTuple):
    perm: np.ndarray  # perm[k] = coordinate with the k-th smallest p
    q: np.ndarray  # S(p) sorted
    G: np.ndarray  # d log Q_m / d q_k, rows with P_m = 0 zeroed, shape (d+1, d)
    Dx: np.ndarray  # dq_k/dx_{perm[k]} = S'(p) sigma (N-1)
    D2x: np.ndarray  # d2 q_k / dx^2 = S''(p) (N-1)^2
    p: np.ndarray


def seic_coefficients(x: Any, n: int, *, cell: Any = None, perm: Any = None) -> Interpolation:
    r"""DSZ SEIC weights on the ``d+1`` chain vertices of ``x`` and their gradients, in log space.

    Parameters
    ----------
    x : array_like, shape (d,)
        A point of :math:`[0, 1]^d`.
    n : int
        Grid side ``N >= 2``; the cell side is :math:`\delta = 1/(N-1)`.
    cell : sequence of int, optional
        Evaluate with this cell's source/target (it must contain ``x``); default: the
        lexicographically first cell. Used to test continuity across faces.
    perm : sequence of int, optional
        Tie-breaking order of the sort of ``p`` (it must sort ``p``); used to test continuity between
        Kuhn simplices.

    Returns
    -------
    Interpolation
        ``vertices`` are the chain :math:`v^{(0)} = t, \dots, v^{(d)} = s`.

    Examples
    --------
    DSZ Example 8.8 (``d = 3``; the paper's "N = 3" must read N = 4, since x is given in thirds):

    >>> it = seic_coefficients(np.array([1.3, 2.5, 0.3]) / 3, 4)
    >>> it.cell.tolist(), it.vertices.tolist()
    ([1, 2, 0], [[1, 3, 1], [1, 3, 0], [1, 2, 0], [2, 2, 0]])
    >>> round(float(it.weights.sum()), 12)
    1.0
    """
    n = as_positive_int(n, "n", minimum=2)
    arr = _check_x(x, n)
    c = None
    if cell is not None:
        c = np.asarray(cell, dtype=np.int64)
        if (
            c.shape != arr.shape
            or c.min() < 0
            or c.max() > n - 2
            or np.any((arr * (n - 1) < c - 1e-12) | (arr * (n - 1) > c + 1 + 1e-12))
        ):
            raise InvalidArgument(f"cell must be a cell containing x, got cell={short_repr(cell)}")
    if perm is not None:
        perm = np.asarray(perm, dtype=np.int64)
    return _seic(arr, n, c, perm)


def _seic(
    x: np.ndarray, n: int, c: np.ndarray | None = None, perm: np.ndarray | None = None
) -> Interpolation:
    d = x.size
    c, s, t, sig, p = canonical_coordinates(x, n, c)
    if perm is None:
        perm = np.argsort(p, kind="stable")
    elif sorted(perm.tolist()) != list(range(d)) or np.any(np.diff(p[perm]) < 0):
        raise InvalidArgument(f"perm must be a permutation that sorts p={short_repr(p)}, got perm={perm}")
    ps = p[perm]
    q = smoothstep2(ps)
    rank = np.empty(d, dtype=np.int64)
    rank[perm] = np.arange(d)
    mm = np.arange(d + 1)
    V = np.where(rank[None, :] < mm[:, None], s[None, :], t[None, :])

    Z = q[None, :] - q[:, None]  # Z[a, b] = q_b - q_a
    upper = np.triu(np.ones((d, d), dtype=bool), 1)
    Zu = np.where(upper, Z, 0.5)
    Psi = np.where(upper, log_smoothstep_inf(Zu), 0.0)
    Phi = np.where(upper, log_smoothstep_inf(Zu, 1), 0.0)

    logQ = np.empty(d + 1)
    logQ[0] = log_smoothstep_inf(q).sum()
    logQ[d] = log_smoothstep_inf(1.0 - q).sum()
    if d > 1:
        # T[a, b] = sum_{a' <= a, b' >= b} Psi[a', b'];  log Q_m = T[m-1, m]
        rs = np.cumsum(Psi[:, ::-1], axis=1)[:, ::-1]
        with np.errstate(invalid="ignore"):
            T = np.cumsum(rs, axis=0)
        logQ[1:d] = T[np.arange(d - 1), np.arange(1, d)]
    lse = logsumexp(logQ)
    logP = logQ - lse
    P = np.exp(logP)

    G = np.empty((d + 1, d))
    G[0] = log_smoothstep_inf(q, 1)
    G[d] = -log_smoothstep_inf(1.0 - q, 1)
    if d > 1:
        RS = np.cumsum(Phi[:, ::-1], axis=1)[:, ::-1]  # RS[k, m] = sum_{b >= m} Phi[k, b]
        CP = np.cumsum(Phi, axis=0)  # CP[m, k] = sum_{a <= m} Phi[a, k]
        mid = np.arange(1, d)[:, None]
        kk = np.arange(d)[None, :]
        G[1:d] = np.where(kk < mid, -RS.T[1:d, :], CP[0 : d - 1, :])
    G[P == 0.0] = 0.0
    Gbar = P @ G
    dPq = P[:, None] * (G - Gbar[None, :])
    # the row of the dominant weight cancels catastrophically (G_top - Gbar with P_top ~ 1); since
    # sum_m dP_m = 0, take it from the other rows, which are accurate
    top = int(np.argmax(P))
    dPq[top] = 0.0
    dPq[top] = -dPq.sum(axis=0)
    Dx = smoothstep2(ps, 1) * sig[perm] * (n - 1)
    D2x = smoothstep2(ps, 2) * (n - 1) ** 2
    jac = np.empty((d + 1, d))
    jac[:, perm] = dPq * Dx[None, :]
    extra = _SeicExtra(perm, q, G, Dx, D2x, p)
    return Interpolation(c, V, P, logP, jac, "seic", extra)


def _seic_weighted_hessian(it: Interpolation, w: np.ndarray) -> np.ndarray:
    r""":math:`\sum_m w_m \nabla^2_x P_m` for SEIC weights (softmax calculus, pair sums in O(d^2))."""
    ex: _SeicExtra = it.extra
    P, G, q = it.weights, ex.G, ex.q
    d = q.size
    wbar = float(P @ w)
    om = P * (w - wbar)  # omega_m
    top = int(np.argmax(P))  # sum_m omega_m = 0; the dominant term cancels, take it from the others
    om[top] = 0.0
    om[top] = -om.sum()
    Gc = G - (P @ G)[None, :]
    # sum_m om_m (G_m - Gbar)(G_m - Gbar)^T, scaled to avoid overflow
    root = np.sqrt(np.abs(om))
    B = root[:, None] * Gc
    Hq = B.T @ (np.sign(om)[:, None] * B)
    # sum_m om_m H_m with H_m = sum_{pairs in m} psi''(gap) (e_b - e_a)(e_b - e_a)^T
    diag = om[0] * log_smoothstep_inf(q, 2) + om[d] * log_smoothstep_inf(1.0 - q, 2)
    if d > 1:
        upper = np.triu(np.ones((d, d), dtype=bool), 1)
        Z = q[None, :] - q[:, None]
        Psi2 = np.where(upper, log_smoothstep_inf(np.where(upper, Z, 0.5), 2), 0.0)
        # Omega[a, b] = sum_{m = a+1}^{b} om_m (the chain vertices that split the pair a < b),
        # summed from m = a+1 upward so that runs of zero weights give exact zeros
        jj = np.arange(d - 1)
        Om = np.where(jj[None, :] >= np.arange(d)[:, None], om[None, 1:d], 0.0)  # Om[a, j] = om_{j+1}
        Omega = np.zeros((d, d))
        Omega[:, 1:] = np.cumsum(Om, axis=1)  # Omega[a, b] = sum_{j=a}^{b-1} om_{j+1}
        W = np.where(upper, Psi2 * Omega, 0.0)
        Hq -= W + W.T
        diag = diag + W.sum(axis=0) + W.sum(axis=1)
    Hq[np.diag_indices(d)] += diag
    Hx_sorted = ex.Dx[:, None] * Hq * ex.Dx[None, :]
    Hx_sorted[np.diag_indices(d)] += (om @ G) * ex.D2x
    out = np.empty((d, d))
    out[np.ix_(ex.perm, ex.perm)] = Hx_sorted
    return out


def seic_brute_force(x: Any, n: int, *, cell: Any = None) -> dict[tuple[int, ...], float]:
    r"""Def. 8.7/8.9 applied literally to all ``2^d`` corners of the cell of ``x`` (``d <= 16``).

    Returns a dict ``vertex -> P_v(x)`` over every corner (zeros included). Plain float products, so
    it underflows for large ``d``; it is a reference for tests, not for use.

    Parameters
    ----------
    x : array_like
        A point of :math:`[0, 1]^d`.
    n : int
        Grid side ``N``.
    cell : array_like, optional
        Force the cell (default :func:`cell_of`).

    Examples
    --------
    >>> P = seic_brute_force(np.array([1.3, 2.5, 0.3]) / 3, 4)
    >>> sorted(v for v, w in P.items() if w > 0)
    [(1, 2, 0), (1, 3, 0), (1, 3, 1), (2, 2, 0)]
    """
    n = as_positive_int(n, "n", minimum=2)
    arr = _check_x(x, n)
    d = arr.size
    if d > 16:
        raise InvalidArgument(f"seic_brute_force enumerates 2^d corners; d={d} is too large")
    c = None if cell is None else np.asarray(cell, dtype=np.int64)
    c, s, t, _, p = canonical_coordinates(arr, n, c)
    Sp = smoothstep2(p)
    sinf = np.exp  # S_inf = exp(psi)
    Q: dict[tuple[int, ...], float] = {}
    for bits in itertools.product((0, 1), repeat=d):
        v = c + np.array(bits, dtype=np.int64)
        A = [j for j in range(d) if v[j] == s[j]]
        B = [j for j in range(d) if v[j] == t[j]]
        if any(p[j] >= p[ell] for j in A for ell in B):
            val = 0.0
        elif not B:
            val = float(np.prod([sinf(log_smoothstep_inf(1.0 - Sp[ell])) for ell in range(d)]))
        elif not A:
            val = float(np.prod([sinf(log_smoothstep_inf(Sp[j])) for j in range(d)]))
        else:
            val = float(np.prod([sinf(log_smoothstep_inf(Sp[ell] - Sp[j])) for j in A for ell in B]))
        Q[tuple(int(a) for a in v)] = val
    total = sum(Q.values())
    return {v: q / total for v, q in Q.items()}


# ----------------------------------------------------------------------------------------------
# Tensor-product smoothstep (DSZ Def. 6.5, any small d)
# ----------------------------------------------------------------------------------------------


class _TensorExtra(NamedTuple):
    F: np.ndarray  # (2^d, d) factors
    dF: np.ndarray
    d2F: np.ndarray


def tensor_coefficients(x: Any, n: int, *, cell: Any = None) -> Interpolation:
    r"""Tensor-product order-1 smoothstep weights on all ``2^d`` corners (DSZ Def. 6.5 for ``d = 2``).

    With :math:`u_i = x_i/\delta - c_i`, corner ``c + b`` (``b in {0,1}^d``) gets
    :math:`\prod_i S_1(u_i)^{b_i} (1 - S_1(u_i))^{1-b_i}`. Since :math:`S_1(1-u) = 1 - S_1(u)` the
    weights sum to 1; they are :math:`C^1` across faces but their second derivatives jump there.

    Parameters
    ----------
    x : array_like
        A point of :math:`[0, 1]^d`.
    n : int
        Grid side ``N``.
    cell : array_like, optional
        Force the cell (default :func:`cell_of`).

    Returns
    -------
    Interpolation
        With ``scheme='tensor'``.

    Examples
    --------
    >>> it = tensor_coefficients([0.25, 0.5], 3)      # u = (0.5, 1.0) in cell (0, 0)
    >>> it.vertices.tolist(), it.weights.round(3).tolist()
    ([[0, 0], [0, 1], [1, 0], [1, 1]], [0.0, 0.5, 0.0, 0.5])
    """
    n = as_positive_int(n, "n", minimum=2)
    arr = _check_x(x, n)
    if arr.size > 16:
        raise InvalidArgument(f"tensor_coefficients uses 2^d corners; d={arr.size} is too large")
    c = _cell(arr, n) if cell is None else np.asarray(cell, dtype=np.int64)
    return _tensor(arr, n, c)


def _tensor(x: np.ndarray, n: int, c: np.ndarray | None = None) -> Interpolation:
    d = x.size
    if c is None:
        c = _cell(x, n)
    u = np.clip(x * (n - 1) - c, 0.0, 1.0)
    bits = np.array(list(itertools.product((0, 1), repeat=d)), dtype=np.int64).reshape(-1, d)
    S, S1, S2 = smoothstep1(u), smoothstep1(u, 1) * (n - 1), smoothstep1(u, 2) * (n - 1) ** 2
    F = np.where(bits == 1, S[None, :], 1.0 - S[None, :])
    sgn = np.where(bits == 1, 1.0, -1.0)
    dF = sgn * S1[None, :]
    d2F = sgn * S2[None, :]
    P = F.prod(axis=1)
    jac = np.empty((bits.shape[0], d))
    for i in range(d):
        others = np.delete(F, i, axis=1).prod(axis=1)
        jac[:, i] = dF[:, i] * others
    with np.errstate(divide="ignore"):
        logP = np.log(P)
    return Interpolation(c, c[None, :] + bits, P, logP, jac, "tensor", _TensorExtra(F, dF, d2F))


def _tensor_weighted_hessian(it: Interpolation, w: np.ndarray) -> np.ndarray:
    ex: _TensorExtra = it.extra
    F, dF, d2F = ex.F, ex.dF, ex.d2F
    d = F.shape[1]
    H = np.empty((d, d))
    for i in range(d):
        for ell in range(i, d):
            if i == ell:
                rest = np.delete(F, i, axis=1).prod(axis=1)
                val = float(w @ (d2F[:, i] * rest))
            else:
                rest = np.delete(F, [i, ell], axis=1).prod(axis=1)
                val = float(w @ (dF[:, i] * dF[:, ell] * rest))
            H[i, ell] = H[ell, i] = val
    return H


def weighted_hessian(it: Interpolation, w: Any) -> np.ndarray:
    r""":math:`\sum_v w_v \nabla_x^2 P_v(x)` (shape ``(d, d)``) for weights ``w`` on ``it.vertices``.

    Examples
    --------
    Parameters
    ----------
    it : Interpolation
        From :func:`seic_coefficients` or :func:`tensor_coefficients`.
    w : array_like
        One weight per vertex of ``it.vertices`` (e.g. one sign component of the colours).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> it = tensor_coefficients([0.3, 0.6], 2)
    >>> float(np.abs(weighted_hessian(it, np.ones(4))).max()) < 1e-12   # sum_v P_v = 1
    True
    """
    w = as_vector(w, "w", dim=len(it.vertices))
    if it.scheme == "seic":
        return _seic_weighted_hessian(it, w)
    return _tensor_weighted_hessian(it, w)
