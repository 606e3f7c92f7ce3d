r"""Smooth step functions of DSZ (Def. 8.2 and §6) with derivatives, and :math:`\ln S_\infty` in log space.

* :math:`S_1(t) = 3t^2 - 2t^3` (order 1, used by the 2D lift, DSZ Def. 6.5);
* :math:`S(t) = 6t^5 - 15t^4 + 10t^3` (order 2: :math:`S', S''` vanish at 0 and 1);
* :math:`S_\infty(t) = 2^{-1/t} / (2^{-1/t} + 2^{-1/(1-t)})` (all derivatives vanish at 0 and 1).

All three are 0 for :math:`t \le 0` and 1 for :math:`t \ge 1`. The SEIC weights are products of up to
:math:`d^2/4` factors :math:`S_\infty(z) \approx 2^{-1/z}`, which underflow double precision, so the
lift works with

.. math:: \psi(z) = \ln S_\infty(z) = -\operatorname{softplus}(h(z)), \qquad
          h(z) = \ln 2\,\Big(\frac1z - \frac1{1-z}\Big),

which is finite for every :math:`z \in (0, 1)`, and with its derivatives
:math:`\psi' = \ln 2\, S_\infty(1-z)\,(z^{-2} + (1-z)^{-2})` (notes §3.3 item 7) and :math:`\psi''`.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from .._errors import InvalidArgument
from .._validation import short_repr

__all__ = [
    "smoothstep1",
    "smoothstep2",
    "smoothstep_inf",
    "log_smoothstep_inf",
]

LN2 = float(np.log(2.0))
#: gaps below this are clipped before taking powers of 1/z (their weights are exactly 0 in float)
_ZMIN_1 = 1e-100
_ZMIN_2 = 1e-60


def _checked(t: np.ndarray | float, name: str, nu: int = 0) -> np.ndarray:
    """*t* as a float array, and ``nu`` in {0, 1, 2}; else InvalidArgument naming the argument."""
    if nu not in (0, 1, 2):
        raise InvalidArgument(f"nu must be 0, 1 or 2, got nu={short_repr(nu)}")
    try:
        return np.asarray(t, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InvalidArgument(f"{name} must be a number or an array of numbers, got {name}={short_repr(t)}") \
            from exc


def smoothstep1(t: np.ndarray | float, nu: int = 0) -> np.ndarray:
    r"""Order-1 smooth step :math:`S_1(t) = 3t^2 - 2t^3` on [0, 1] (derivative ``nu`` = 0, 1 or 2).

    Outside [0, 1] the step is constant, so its derivatives are 0 there. Note that
    :math:`S_1''(0) = 6 \ne 0`: the 2D lift is :math:`C^{1,1}`, not :math:`C^2`.

    Examples
    --------
    Parameters
    ----------
    t : float or numpy.ndarray
        Argument(s).
    nu : {0, 1, 2}
        Derivative order.

    Examples
    --------
    >>> smoothstep1(np.array([0.0, 0.5, 1.0])).tolist()
    [0.0, 0.5, 1.0]
    >>> float(smoothstep1(0.5, nu=1))          # the maximum slope 3/2
    1.5
    """
    t = _checked(t, "t", nu)
    c = np.clip(t, 0.0, 1.0)
    inside = (t > 0.0) & (t < 1.0)
    if nu == 0:
        return c * c * (3.0 - 2.0 * c)
    if nu == 1:
        return np.where(inside, 6.0 * c * (1.0 - c), 0.0)
    return np.where(inside, 6.0 - 12.0 * c, 0.0)


def smoothstep2(t: np.ndarray | float, nu: int = 0) -> np.ndarray:
    r"""Order-2 smooth step :math:`S(t) = 6t^5 - 15t^4 + 10t^3` (derivative ``nu`` = 0, 1 or 2).

    :math:`S'(t) = 30t^2(1-t)^2 \le 15/8` and :math:`S''(t) = 60t(1-t)(1-2t)`; both vanish at 0 and 1.

    Examples
    --------
    Parameters
    ----------
    t : float or numpy.ndarray
        Argument(s).
    nu : {0, 1, 2}
        Derivative order.

    Examples
    --------
    >>> smoothstep2(np.array([0.0, 0.5, 1.0])).tolist()
    [0.0, 0.5, 1.0]
    >>> float(smoothstep2(0.5, nu=1))
    1.875
    """
    t = _checked(t, "t", nu)
    c = np.clip(t, 0.0, 1.0)
    if nu == 0:
        return c * c * c * (10.0 + c * (-15.0 + 6.0 * c))
    if nu == 1:
        return 30.0 * c * c * (1.0 - c) ** 2
    return 60.0 * c * (1.0 - c) * (1.0 - 2.0 * c)


def _h(z: np.ndarray) -> np.ndarray:
    return LN2 * (1.0 / z - 1.0 / (1.0 - z))


def log_smoothstep_inf(z: np.ndarray | float, nu: int = 0) -> np.ndarray:
    r""":math:`\psi(z) = \ln S_\infty(z)` and its derivatives (``nu`` = 0, 1, 2), stable for all z.

    ``nu=0`` gives :math:`-\infty` for :math:`z \le 0` and 0 for :math:`z \ge 1`. For ``nu >= 1`` the
    value at :math:`z \le 0` is set to 0 (the weight it would multiply is exactly 0) and tiny gaps
    are clipped to keep the powers of :math:`1/z` finite.

    Examples
    --------
    Parameters
    ----------
    z : float or numpy.ndarray
        Argument(s).
    nu : {0, 1, 2}
        Derivative order.

    Examples
    --------
    >>> float(log_smoothstep_inf(0.5)) == float(np.log(0.5))
    True
    >>> float(log_smoothstep_inf(1e-3)) < -690          # S_inf(1e-3) = 2^-1000 would underflow
    True
    """
    z = _checked(z, "z", nu)
    inside = (z > 0.0) & (z < 1.0)
    zz = np.where(inside, z, 0.5)
    if nu == 0:
        out = -np.logaddexp(0.0, _h(zz))
        out = np.where(z >= 1.0, 0.0, out)
        return np.where(z <= 0.0, -np.inf, out)
    zmin = _ZMIN_1 if nu == 1 else _ZMIN_2
    zz = np.clip(zz, zmin, 1.0)
    om = 1.0 - zz
    sig = expit(_h(zz))  # = S_inf(1 - z)
    hp = -LN2 * (1.0 / (zz * zz) + 1.0 / (om * om))
    if nu == 1:
        out = -sig * hp
    else:
        hpp = 2.0 * LN2 * (1.0 / zz**3 - 1.0 / om**3)
        out = -sig * expit(-_h(zz)) * hp * hp - sig * hpp
    return np.where(inside, out, 0.0)


def smoothstep_inf(z: np.ndarray | float) -> np.ndarray:
    r""":math:`S_\infty(z)`, computed as :math:`\exp\psi(z)` (so it underflows to 0 gracefully).

    Examples
    --------
    Parameters
    ----------
    z : float or numpy.ndarray
        Argument(s).

    Examples
    --------
    >>> smoothstep_inf(np.array([-1.0, 0.25, 0.5, 0.75, 2.0])).round(6).tolist()
    [0.0, 0.136062, 0.5, 0.863938, 1.0]
    """
    return np.exp(log_smoothstep_inf(z))
