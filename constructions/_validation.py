"""Argument checking helpers: every public entry point validates through these.

They turn unusable input into :class:`~constructions.InvalidArgument` with a message
that names the argument and its value (convention C3), instead of letting numpy
raise from deep inside a computation.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ._errors import InvalidArgument

__all__ = [
    "as_vector",
    "as_matrix",
    "as_real",
    "as_positive_int",
    "as_rng",
    "short_repr",
]


def short_repr(value: Any, limit: int = 80) -> str:
    """``repr`` of *value*, shortened to at most *limit* characters."""
    if isinstance(value, np.ndarray):
        with np.printoptions(threshold=8, edgeitems=3, precision=6):
            text = repr(value)
    else:
        text = repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _float_array(value: Any, name: str, what: str) -> np.ndarray:
    """``np.array(value, dtype=float64)``, or InvalidArgument naming ``name`` (a ``what`` of numbers)."""
    try:
        return np.array(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidArgument(f"{name} must be a {what} of numbers, got {name}={short_repr(value)}") from exc


def as_vector(value: Any, name: str, *, dim: int | None = None, finite: bool = True) -> np.ndarray:
    """Convert *value* to a 1-D float64 array, checking its length and finiteness.

    Parameters
    ----------
    value : array_like
        The candidate vector (a scalar is accepted when ``dim`` is 1 or None).
    name : str
        Argument name used in error messages.
    dim : int, optional
        Required length.
    finite : bool, default True
        Reject NaN and infinities.

    Returns
    -------
    numpy.ndarray
        A fresh float64 array of shape ``(dim,)``.

    Examples
    --------
    >>> as_vector([1, 2], "x", dim=2)
    array([1., 2.])
    """
    if type(value) is np.ndarray and value.dtype == np.float64:
        arr = value.copy()  # the common case (every oracle query), without np.array's dispatch
    else:
        if isinstance(value, (str, bytes)) or value is None:
            raise InvalidArgument(f"{name} must be a vector of numbers, got {name}={short_repr(value)}")
        arr = _float_array(value, name, "vector")
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise InvalidArgument(
            f"{name} must be one-dimensional, got shape {arr.shape} for {name}={short_repr(value)}"
        )
    if dim is not None and arr.shape[0] != dim:
        raise InvalidArgument(
            f"{name} must have length {dim}, got length {arr.shape[0]} for "
            f"{name}={short_repr(value)}"
        )
    if finite and not np.isfinite(arr).all():  # the method: no fromnumeric wrapper (hot path)
        raise InvalidArgument(f"{name} must be finite (no NaN/inf), got {name}={short_repr(value)}")
    return arr


def as_matrix(
    value: Any, name: str, *, shape: tuple[int | None, int | None] = (None, None)
) -> np.ndarray:
    """Convert *value* to a finite 2-D float64 array with the given (partial) shape."""
    arr = _float_array(value, name, "matrix")
    if arr.ndim == 1 and shape[1] is not None:
        arr = arr.reshape(-1, shape[1]) if arr.size % max(shape[1], 1) == 0 else arr
    if arr.ndim != 2:
        raise InvalidArgument(f"{name} must be two-dimensional, got shape {arr.shape}")
    for axis, want in enumerate(shape):
        if want is not None and arr.shape[axis] != want:
            raise InvalidArgument(
                f"{name} must have {want} {'rows' if axis == 0 else 'columns'}, got shape "
                f"{arr.shape}"
            )
    if not np.isfinite(arr).all():
        raise InvalidArgument(f"{name} must be finite (no NaN/inf), got {name}={short_repr(value)}")
    return arr


def as_real(
    value: Any,
    name: str,
    *,
    positive: bool = False,
    nonnegative: bool = False,
    finite: bool = True,
) -> float:
    """Convert *value* to a float, checking sign and finiteness.

    Examples
    --------
    >>> as_real(0.5, "eps", positive=True)
    0.5
    """
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise InvalidArgument(f"{name} must be a real number, got {name}={short_repr(value)}")
    val = float(value)
    if np.isnan(val) or (finite and not np.isfinite(val)):
        raise InvalidArgument(f"{name} must be a finite number, got {name}={val!r}")
    if positive and not val > 0:
        raise InvalidArgument(f"{name} must be > 0, got {name}={val!r}")
    if nonnegative and not val >= 0:
        raise InvalidArgument(f"{name} must be >= 0, got {name}={val!r}")
    return val


def as_positive_int(value: Any, name: str, *, minimum: int = 1) -> int:
    """Convert *value* to an ``int`` that is at least *minimum*.

    Examples
    --------
    >>> as_positive_int(3, "n")
    3
    """
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, np.integer)):
        raise InvalidArgument(f"{name} must be an integer, got {name}={short_repr(value)}")
    val = int(value)
    if val < minimum:
        raise InvalidArgument(f"{name} must be >= {minimum}, got {name}={val!r}")
    return val


def as_rng(rng: Any, name: str = "rng") -> np.random.Generator:
    """Return a :class:`numpy.random.Generator` from a seed, a Generator or None.

    Every random choice in localeq goes through this helper (convention C15): the
    same integer seed always gives the same stream.
    """
    if rng is None or isinstance(rng, (numbers.Integral, np.integer)) and not isinstance(rng, bool):
        if rng is not None and int(rng) < 0:
            raise InvalidArgument(f"{name} seed must be >= 0, got {name}={rng!r}")
        return np.random.default_rng(rng)
    if isinstance(rng, np.random.Generator):
        return rng
    raise InvalidArgument(
        f"{name} must be None, a non-negative int seed or a numpy Generator, got "
        f"{name}={short_repr(rng)}"
    )
