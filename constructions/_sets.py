r"""Closed convex constraint sets: the strategy sets of smooth games.

Every set :math:`S \subseteq \mathbb{R}^n` offers the same operations, which are
all the certificates need:

* ``contains(x, tol)`` -- membership with an absolute tolerance on the constraints;
* ``violation(x)`` -- the largest constraint violation (0 inside);
* ``project(y)`` -- the Euclidean projection :math:`\Pi_S(y)`;
* ``projection_error_bound(y, p)`` -- a sound bound on :math:`\|p - \Pi_S(y)\|`
  for a feasible ``p`` (``certificates.md`` §1.1(d)):
  :math:`\|p - \Pi_S(y)\|^2 \le \nu := \sigma_S(y - p) - \langle y - p, p\rangle`;
* ``support(v, within=None)`` -- an **upper bound** on :math:`\sigma_S(v) = \max_{z\in S}
  \langle v, z\rangle` (exact up to outward rounding for closed forms, an LP dual bound
  for polytopes); ``within=(lo, hi)`` is an optional box that the caller knows may be
  intersected with S (used to keep the bound finite for unbounded polytopes);
* ``tangent_cone_projection(x, v)`` -- projection of ``v`` onto the tangent cone
  :math:`T_S(x)`;
* ``diameter()`` -- :math:`\max_{z, z' \in S}\|z - z'\|` (``inf`` when unbounded).

Coupled joint sets (shared constraints between players) additionally expose
``slice(i, x)``, the set :math:`S_i(x_{-i}) = \{x_i : (x_i, x_{-i}) \in S\}`.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence

import numpy as np

__all__ = ["ConvexSet", "CoupledSet"]


class ConvexSet(abc.ABC):
    """A nonempty closed convex subset of :math:`\\mathbb{R}^{dim}`."""

    #: ambient dimension
    dim: int

    @abc.abstractmethod
    def violation(self, x: np.ndarray) -> float:
        """Largest constraint violation of ``x`` (0.0 when ``x`` is in the set)."""

    def contains(self, x: np.ndarray, *, tol: float = 0.0) -> bool:
        """Whether every constraint holds up to the absolute tolerance ``tol``."""
        return bool(self.violation(x) <= tol)

    @abc.abstractmethod
    def project(self, y: np.ndarray) -> np.ndarray:
        """Euclidean projection of ``y`` onto the set."""

    @abc.abstractmethod
    def support(self, v: np.ndarray, *, within: tuple[np.ndarray, np.ndarray] | None = None) -> float:
        """Sound upper bound on :math:`\\max_{z \\in S \\cap B} \\langle v, z \\rangle`.

        ``B`` is the box ``within=(lo, hi)`` when given (implementations may ignore it,
        which only loosens the bound), else the whole space.
        """

    @abc.abstractmethod
    def tangent_cone_projection(self, x: np.ndarray, v: np.ndarray, *, tol: float = 1e-12) -> np.ndarray:
        """Projection of ``v`` onto the tangent cone of the set at ``x``.

        Constraints within ``tol`` of being active at ``x`` are treated as active.
        """

    @abc.abstractmethod
    def diameter(self) -> float:
        """Euclidean diameter (``inf`` for unbounded sets)."""

    def projection_error_bound(self, y: np.ndarray, p: np.ndarray) -> float:
        """Sound upper bound on :math:`\\|p - \\Pi_S(y)\\|` for a point ``p`` of the set.

        Uses :math:`\\|p - \\Pi_S(y)\\|^2 \\le \\sigma_S(y-p) - \\langle y-p, p\\rangle`,
        valid whenever ``p`` lies in the set; returns ``inf`` when ``p`` is not in the
        set (``violation(p) > 0``).
        """
        if self.violation(p) > 0.0:
            return float("inf")
        w = np.asarray(y, dtype=float) - np.asarray(p, dtype=float)
        nu = self.support(w) - float(np.dot(w, p))
        # outward rounding of the inner product
        nu += 4.0 * np.finfo(float).eps * (float(np.abs(w) @ np.abs(p)) + 1e-300)
        return float(np.sqrt(max(nu, 0.0)))


class CoupledSet(ConvexSet):
    """A joint feasible set shared by several players, with per-player slices.

    ``blocks`` lists the sizes of the players' blocks; ``slice(i, x)`` returns the
    feasible set :math:`S_i(x_{-i})` of player ``i`` with the others held at ``x``.
    """

    blocks: tuple[int, ...]

    @abc.abstractmethod
    def slice(self, i: int, x: np.ndarray) -> ConvexSet:
        """The slice :math:`S_i(x_{-i})` (a set of dimension ``blocks[i]``)."""

    def block_slices(self) -> list[slice]:
        """Index slices of the players' blocks inside a joint vector."""
        out, start = [], 0
        for size in self.blocks:
            out.append(slice(start, start + size))
            start += size
        return out


def _blocks_to_slices(blocks: Sequence[int]) -> list[slice]:
    out, start = [], 0
    for size in blocks:
        out.append(slice(start, start + size))
        start += size
    return out
