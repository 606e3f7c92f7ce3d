r"""Outward rounding for sound floating-point bounds without changing the FPU mode.

IEEE-754 basic operations are correctly rounded, so a float result ``fl(a ∘ b)``
differs from the exact ``a ∘ b`` by at most ``u·|fl(a ∘ b)|`` (``u = 2^-53``) in the
normal range, plus ``2^-1074`` near underflow. The helpers below compute a sum of
products in float64 and then push the result outward by an a-priori bound on the
accumulated error (Higham, *Accuracy and Stability of Numerical Algorithms*, §3.1,
:math:`|fl(x^\top y) - x^\top y| \le \gamma_n |x|^\top |y|`, :math:`\gamma_n = nu/(1-nu)`),
followed by one ``nextafter`` step. They are used wherever a certificate needs a
*rigorous* upper (or lower) bound.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["UNIT_ROUNDOFF", "gamma", "up", "down", "dot_upper", "dot_lower", "sum_upper",
           "sum_lower", "norm_upper", "norm_lower"]

#: unit roundoff of float64
UNIT_ROUNDOFF = 2.0**-53
_TINY = 2.0**-1074


def gamma(n: int) -> float:
    """Higham's :math:`\\gamma_n = nu/(1-nu)`, rounded up (valid for ``n·u < 1``)."""
    nu = (n + 2) * UNIT_ROUNDOFF  # +2 covers the final product and the conversion
    return math.nextafter(nu / (1.0 - nu), math.inf)


def up(value: float, error: float = 0.0) -> float:
    """``value + error`` rounded up by one extra ulp (``inf``/``nan`` pass through)."""
    return math.nextafter(float(value) + float(error) + _TINY, math.inf)


def down(value: float, error: float = 0.0) -> float:
    """``value - error`` rounded down by one extra ulp."""
    return math.nextafter(float(value) - float(error) - _TINY, -math.inf)


def _dot_with_error(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    same = y is x
    x = np.asarray(x, dtype=float).ravel()
    y = x if same else np.asarray(y, dtype=float).ravel()
    n = x.size
    if n == 0:
        return 0.0, 0.0
    value = float(x @ y)
    ax = np.abs(x)
    magnitude = float(ax @ (ax if same else np.abs(y)))
    err = gamma(n) * magnitude * (1.0 + 4.0 * UNIT_ROUNDOFF) + n * _TINY
    return value, err


def dot_upper(x: np.ndarray, y: np.ndarray) -> float:
    """Rigorous upper bound on the exact :math:`x^\\top y` of two float vectors.

    Examples
    --------
    >>> dot_upper([0.1, 0.2], [1.0, 1.0]) >= 0.30000000000000004
    True
    """
    value, err = _dot_with_error(x, y)
    return up(value, err)


def dot_lower(x: np.ndarray, y: np.ndarray) -> float:
    """Rigorous lower bound on the exact :math:`x^\\top y` of two float vectors."""
    value, err = _dot_with_error(x, y)
    return down(value, err)


def sum_upper(terms: np.ndarray) -> float:
    """Rigorous upper bound on the exact sum of float ``terms`` (via ``math.fsum``)."""
    t = np.asarray(terms, dtype=float).ravel()
    return up(math.fsum(t))  # fsum is correctly rounded: one more ulp suffices


def sum_lower(terms: np.ndarray) -> float:
    """Rigorous lower bound on the exact sum of float ``terms``."""
    t = np.asarray(terms, dtype=float).ravel()
    return down(math.fsum(t))


def norm_upper(x: np.ndarray) -> float:
    """Rigorous upper bound on the Euclidean norm of a float vector."""
    x = np.asarray(x, dtype=float).ravel()
    sq = dot_upper(x, x)
    return up(math.sqrt(sq), 2.0 * UNIT_ROUNDOFF * math.sqrt(sq))


def norm_lower(x: np.ndarray) -> float:
    """Rigorous lower bound on the Euclidean norm of a float vector."""
    x = np.asarray(x, dtype=float).ravel()
    sq = max(dot_lower(x, x), 0.0)
    return max(down(math.sqrt(sq), 2.0 * UNIT_ROUNDOFF * math.sqrt(sq)), 0.0)
