"""Independent numpy computations the interop tests compare localeq's certificates against."""

from __future__ import annotations

import numpy as np


def regrets(P: np.ndarray, blocks: list[np.ndarray]) -> np.ndarray:
    """Per-player Nash regret of a mixed profile, by explicit sums over pure profiles."""
    n = P.shape[0]
    out = np.empty(n)
    for i in range(n):
        v = np.zeros(P.shape[1 + i])
        for prof in np.ndindex(*P.shape[1:]):
            w = np.prod([blocks[k][prof[k]] for k in range(n) if k != i])
            v[prof[i]] += w * P[(i, *prof)]
        out[i] = v.max() - blocks[i] @ v
    return out


def cce_gains(P: np.ndarray, D: np.ndarray) -> np.ndarray:
    """max_r E_D[u_i(r, a_-i)] - E_D[u_i(a)] per player, by explicit loops."""
    n = P.shape[0]
    out = np.empty(n)
    for i in range(n):
        base = sum(D[prof] * P[(i, *prof)] for prof in np.ndindex(*D.shape))
        best = -np.inf
        for r in range(P.shape[1 + i]):
            val = 0.0
            for prof in np.ndindex(*D.shape):
                dev = list(prof)
                dev[i] = r
                val += D[prof] * P[(i, *dev)]
            best = max(best, val)
        out[i] = best - base
    return out


def ce_gains(P: np.ndarray, D: np.ndarray) -> np.ndarray:
    """sum_j max_r sum_{a_-i} D(j, a_-i)[u_i(r, a_-i) - u_i(j, a_-i)] per player, by loops."""
    n = P.shape[0]
    out = np.empty(n)
    for i in range(n):
        total = 0.0
        for j in range(P.shape[1 + i]):
            best = 0.0
            for r in range(P.shape[1 + i]):
                val = 0.0
                for prof in np.ndindex(*D.shape):
                    if prof[i] != j:
                        continue
                    dev = list(prof)
                    dev[i] = r
                    val += D[prof] * (P[(i, *dev)] - P[(i, *prof)])
                best = max(best, val)
            total += best
        out[i] = total
    return out


def split(point: np.ndarray, dims: tuple[int, ...]) -> list[np.ndarray]:
    starts = np.cumsum([0, *dims])
    return [np.asarray(point[starts[i]:starts[i + 1]]) for i in range(len(dims))]


def perturb_to_worst(P: np.ndarray, blocks: list[np.ndarray], *, t: float = 0.2) -> tuple[np.ndarray, float]:
    """Move mass ``t`` of one player to one pure strategy, choosing the move that hurts most.

    Tries every player ``j`` and pure strategy ``r`` (``x_j <- (1 - t) x_j + t e_r``) and keeps
    the profile with the largest Nash regret (computed by :func:`regrets`). At an equilibrium
    where a player is indifferent among all its strategies (fully mixed), moving its *own* mass
    creates no regret, but moving an opponent's mass does -- so a search over both is needed.

    Returns the perturbed joint point and its largest regret.
    """
    best_point, best_regret = None, -1.0
    for j, b in enumerate(blocks):
        for r in range(b.shape[0]):
            new = [c.copy() for c in blocks]
            new[j] = (1 - t) * new[j]
            new[j][r] += t
            reg = float(regrets(P, new).max())
            if reg > best_regret:
                best_point, best_regret = np.concatenate(new), reg
    return best_point, best_regret
