r"""Equilibrium gaps of finite normal-form games, vectorised over the payoff tensor.

For an :math:`n`-player game with payoff tensor :math:`P` of shape
:math:`(n, a_1, \dots, a_n)` (:math:`P[i]` is player :math:`i`'s payoff, players maximise):

* :func:`nash_regret` -- for a mixed profile :math:`x = (x_1, \dots, x_n)` the regret of
  player :math:`i` is :math:`\max_r v_i(r) - \langle x_i, v_i\rangle` with
  :math:`v_i(r) = \mathbb{E}_{a_{-i} \sim x_{-i}} u_i(r, a_{-i})`; :math:`x` is a Nash
  equilibrium iff every regret is 0 (pygambit's ``max_regret`` is the maximum over players);
* :func:`correlated_gain` -- for a joint distribution :math:`D` over pure profiles the CE gain
  (swap regret) of player :math:`i` is
  :math:`\sum_j \max_r \sum_{a_{-i}} D(j, a_{-i})\,[u_i(r, a_{-i}) - u_i(j, a_{-i})]`;
  :math:`D` is a correlated equilibrium iff every gain is 0;
* :func:`coarse_correlated_gain` -- the CCE gain (external regret)
  :math:`\max_r \mathbb{E}_{a \sim D}[u_i(r, a_{-i})] - \mathbb{E}_{a \sim D}[u_i(a)]`.

Each costs one tensor contraction per player (a matrix product for :func:`correlated_gain`,
matrix-vector products otherwise). The payoff tensor and the joint distribution are not scanned
for NaN or infinities (that pass would cost as much as the gap itself); such entries propagate
to non-finite results (:func:`nash_regret` then raises ``InvalidArgument``). They are float64
evaluations, not certificates: the rigorous Φ_LIN (correlated-equilibrium) certificate of mixed extensions is
:func:`certificates.certify_linear_deviation`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from constructions import InvalidArgument

__all__ = ["nash_regret", "correlated_gain", "coarse_correlated_gain"]

_F64 = np.dtype(np.float64)
# a bimatrix strategy with at most 1/16 of the actions in its support is multiplied through its
# support only (above 256 actions): a pure or small-support profile costs O(n s), not O(n^2)
_SPARSE_FRACTION = 16


def _payoffs(payoffs: Any) -> np.ndarray:
    if type(payoffs) is np.ndarray and payoffs.dtype == np.float64:
        P = payoffs
    else:
        try:
            P = np.asarray(payoffs, dtype=float)
        except (TypeError, ValueError) as exc:
            raise InvalidArgument("payoffs must be a numeric array of shape (n, a_1, ..., a_n)") from exc
    if P.ndim < 2 or P.shape[0] != P.ndim - 1 or 0 in P.shape:
        raise InvalidArgument(
            f"payoffs must have shape (n, a_1, ..., a_n) with n players, got shape {P.shape}"
        )
    return P  # not scanned for NaN/inf (a full pass, as costly as the gap itself): they propagate


def _profile(P: np.ndarray, profile: Any) -> list[np.ndarray]:
    dims = P.shape[1:]
    if type(profile) in (list, tuple) and len(profile) == len(dims) and all(
        type(b) is np.ndarray and b.dtype == np.float64 for b in profile
    ):  # the common case, kept cheap: one float array per player
        blocks = list(profile)
    elif isinstance(profile, np.ndarray) and profile.ndim == 1 or (
        isinstance(profile, Sequence) and profile and np.ndim(profile[0]) == 0
    ):
        flat = np.asarray(profile, dtype=float)
        if flat.shape != (sum(dims),):
            raise InvalidArgument(f"a flat profile must have length {sum(dims)}, got shape {flat.shape}")
        starts = np.cumsum([0, *dims])
        blocks = [flat[starts[i]:starts[i + 1]] for i in range(len(dims))]
    else:
        blocks = [np.asarray(b, dtype=float) for b in profile]
    if len(blocks) != len(dims) or any(b.shape != (a,) for b, a in zip(blocks, dims, strict=False)):
        raise InvalidArgument(
            f"profile must give one mixed strategy per player with lengths {list(dims)}, got "
            f"{[b.shape for b in blocks]}"
        )
    return blocks  # finiteness: checked on the regrets (NaN/inf always propagates to them)


def _joint(P: np.ndarray, joint: Any) -> np.ndarray:
    D = np.asarray(joint, dtype=float)
    if D.shape != P.shape[1:]:
        raise InvalidArgument(f"joint must have shape {P.shape[1:]}, got shape {D.shape}")
    return D


def _sparse_dot(M: np.ndarray, z: np.ndarray, axis: int) -> np.ndarray:
    """``M @ z`` (axis 1) or ``z @ M`` (axis 0), reading only the support of ``z`` when it is small.

    Exactly the same sum of the same nonzero products as the dense product (zero terms only add
    signed zeros), in possibly another order: equal up to rounding. The payoffs against actions of
    probability zero are not read (so a NaN or infinity there does not reach the regret, which does
    not depend on them).
    """
    k = z.shape[0]
    if np.count_nonzero(z) * _SPARSE_FRACTION <= k:
        s = np.flatnonzero(z)
        return M[:, s].dot(z[s]) if axis == 1 else z[s].dot(M[s])
    return M.dot(z) if axis == 1 else z.dot(M)


def nash_regret(payoffs: Any, profile: Any) -> np.ndarray:
    r"""Per-player regret :math:`\max_r v_i(r) - \langle x_i, v_i\rangle` of a mixed profile.

    Parameters
    ----------
    payoffs : array_like, shape (n, a_1, ..., a_n)
        Payoff tensor; ``payoffs[i]`` is player ``i``'s payoff (maximised). A bimatrix game
        ``(A, B)`` is ``np.stack([A, B])``.
    profile : sequence of array_like, or array_like of length a_1 + ... + a_n
        One mixed strategy per player (or their concatenation). Not renormalised.

    Returns
    -------
    numpy.ndarray, shape (n,)
        The regrets (float64; ``max()`` is pygambit's ``max_regret``).

    Raises
    ------
    InvalidArgument
        On a malformed tensor or profile, or when a NaN or infinity reaches a regret.

    Notes
    -----
    With :math:`v_1 = A y` and :math:`v_2 = B^\top x` for a bimatrix game, the regrets are
    :math:`\max_r (v_1)_r - x^\top v_1` and :math:`\max_c (v_2)_c - y^\top v_2`: two
    matrix-vector products, :math:`O(mn)`. Above 256 actions a strategy with at most 1/16 of its
    actions in its support is multiplied through its support only (:math:`O(n s)`: a pure profile
    costs :math:`O(m + n)`); the payoffs against zero-probability actions are then not read, and a
    NaN or infinity there, which the regret does not depend on, is not reported. Otherwise the
    payoffs are not scanned for NaN/inf (a pass as costly as the regret itself), but every one of
    them reaches a regret, so a non-finite payoff raises.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[1.0, -1.0], [-1.0, 1.0]])
    >>> nash_regret(np.stack([A, -A]), [[0.5, 0.5], [0.5, 0.5]]).tolist()
    [0.0, 0.0]
    >>> nash_regret(np.stack([A, -A]), [1.0, 0.0, 1.0, 0.0]).tolist()   # player 2 should switch
    [0.0, 2.0]
    """
    if type(payoffs) is np.ndarray and type(profile) in (list, tuple) and len(profile) == 2:
        # the common bimatrix call, validated with as few Python-level operations as possible
        # (``is`` on the native float64 dtype; anything else takes the general path below)
        shape = payoffs.shape
        x, y = profile
        if (
            len(shape) == 3
            and shape[0] == 2
            and payoffs.dtype is _F64
            and type(x) is np.ndarray
            and type(y) is np.ndarray
            and x.dtype is _F64
            and y.dtype is _F64
            and x.ndim == 1
            and y.ndim == 1
            and x.shape[0] == shape[1] > 0
            and y.shape[0] == shape[2] > 0
        ):
            # ndarray.dot and, for short vectors, Python's max over a list skip the ufunc machinery
            # of ``@`` and ``ndarray.max`` (microseconds per call at n = 10; ndarray.max wins beyond ~40).
            # A NaN or infinity in v reaches <x, v> (0 * nan is nan), hence the regret.
            if shape[1] <= 256 and shape[2] <= 256:
                v0 = payoffs[0].dot(y)
                v1 = x.dot(payoffs[1])
            else:
                v0, v1 = _sparse_dot(payoffs[0], y, 1), _sparse_dot(payoffs[1], x, 0)
            if shape[1] <= 32 and shape[2] <= 32:  # measured crossover of the two maxima: about 40
                m0, m1 = max(v0.tolist()), max(v1.tolist())
            else:
                m0, m1 = float(v0.max()), float(v1.max())
            r0 = m0 - float(x.dot(v0))
            r1 = m1 - float(y.dot(v1))
            if math.isfinite(r0) and math.isfinite(r1):
                return np.array((r0, r1))
            raise InvalidArgument(
                "profile and payoffs must be finite (a NaN or infinity reached the regrets)"
            )
    P = _payoffs(payoffs)
    xs = _profile(P, profile)
    n = len(xs)
    if n == 2:  # bimatrix: two matrix-vector products
        x, y = xs
        v0, v1 = P[0] @ y, x @ P[1]
        out = np.array([v0.max() - x @ v0, v1.max() - y @ v1])
    else:
        out = np.empty(n)
        for i in range(n):
            v = P[i]
            # contract the other players' axes, last axis first (keeps the axis numbering valid)
            for j in range(n - 1, -1, -1):
                if j != i:
                    v = np.tensordot(v, xs[j], axes=([j], [0]))
            out[i] = float(np.max(v)) - float(xs[i] @ v)
    if not all(math.isfinite(v) for v in out.tolist()):
        raise InvalidArgument("profile and payoffs must be finite (a NaN or infinity reached the regrets)")
    return out


def correlated_gain(payoffs: Any, joint: Any) -> np.ndarray:
    r"""Per-player CE gain (swap regret) of a joint distribution over pure profiles.

    Parameters
    ----------
    payoffs : array_like, shape (n, a_1, ..., a_n)
        Payoff tensor (players maximise).
    joint : array_like, shape (a_1, ..., a_n)
        Probabilities of the pure profiles (not renormalised).

    Returns
    -------
    numpy.ndarray, shape (n,)
        :math:`\sum_j \max_r \sum_{a_{-i}} D(j, a_{-i})[u_i(r, a_{-i}) - u_i(j, a_{-i})]` per
        player (0 exactly at a correlated equilibrium, up to rounding).

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[0.0, 1.0], [1.0, 0.0]])      # anti-coordination (chicken-like)
    >>> D = np.array([[0.0, 0.5], [0.5, 0.0]])
    >>> correlated_gain(np.stack([A, A]), D).tolist()
    [0.0, 0.0]
    >>> correlated_gain(np.stack([A, A]), np.array([[1.0, 0.0], [0.0, 0.0]])).tolist()
    [1.0, 1.0]
    """
    P = _payoffs(payoffs)
    D = _joint(P, joint)
    n = P.shape[0]
    out = np.empty(n)
    for i in range(n):
        a = P.shape[1 + i]
        Pi = np.moveaxis(P[i], i, 0).reshape(a, -1)
        Di = np.moveaxis(D, i, 0).reshape(a, -1)
        dev = Di @ Pi.T  # dev[j, r] = sum_rest D(j, rest) u_i(r, rest)
        own = np.einsum("jk,jk->j", Di, Pi)  # = dev[j, j]
        out[i] = float(np.sum(np.max(dev, axis=1) - own))
    return out


def coarse_correlated_gain(payoffs: Any, joint: Any) -> np.ndarray:
    r"""Per-player CCE gain (external regret) of a joint distribution over pure profiles.

    Parameters
    ----------
    payoffs : array_like, shape (n, a_1, ..., a_n)
        Payoff tensor (players maximise).
    joint : array_like, shape (a_1, ..., a_n)
        Probabilities of the pure profiles (not renormalised).

    Returns
    -------
    numpy.ndarray, shape (n,)
        :math:`\max_r \mathbb{E}_D[u_i(r, a_{-i})] - \mathbb{E}_D[u_i(a)]` per player.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[1.0, -1.0], [-1.0, 1.0]])
    >>> coarse_correlated_gain(np.stack([A, -A]), np.full((2, 2), 0.25)).tolist()
    [0.0, 0.0]
    """
    P = _payoffs(payoffs)
    D = _joint(P, joint)
    n = P.shape[0]
    out = np.empty(n)
    for i in range(n):
        a = P.shape[1 + i]
        Pi = np.moveaxis(P[i], i, 0).reshape(a, -1)
        Di = np.moveaxis(D, i, 0).reshape(a, -1)
        v = Pi @ Di.sum(axis=0)  # v[r] = E_D u_i(r, a_-i)
        out[i] = float(np.max(v)) - float(np.einsum("jk,jk->", Di, Pi))
    return out
