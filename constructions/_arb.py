r"""Rigorous enclosures of sympy expressions with ball arithmetic (python-flint ``arb``).

:func:`arb_eval` walks a sympy expression tree and evaluates it on ``arb`` balls, so
the result is a ball that is **guaranteed** to contain the exact value of the
expression for every input in the input balls (interval semantics). Rationals are
converted exactly (``arb(p)/arb(q)``), never through a float. This gives localeq its
rigorous gradients, utility values and local smoothness constants for games defined
by sympy expressions.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import sympy as sp
from flint import arb, ctx

__all__ = ["arb_eval", "arb_upper", "arb_lower", "box_ball", "ArbUnsupported", "PRECISION"]

#: working precision (bits) of ball evaluations
PRECISION = 128


class ArbUnsupported(Exception):
    """The expression contains an operation the ball evaluator does not know."""


_UNARY = {
    sp.sin: "sin",
    sp.cos: "cos",
    sp.tan: "tan",
    sp.exp: "exp",
    sp.log: "log",
    sp.sinh: "sinh",
    sp.cosh: "cosh",
    sp.tanh: "tanh",
    sp.atan: "atan",
    sp.asin: "asin",
    sp.acos: "acos",
    sp.erf: "erf",
}


def _mulpow(b: arb, k: int) -> arb:
    out, base = arb(1), b
    while k:
        if k & 1:
            out = out * base
        k >>= 1
        if k:
            base = base * base
    return out


def _ipow(b: arb, k: int) -> arb:
    """Tight enclosure of ``b**k`` from the ball's endpoints (t -> t^k is monotone on each side
    of 0); flint's own ``**`` returns NaN on balls that contain 0."""
    if k == 0:
        return arb(1)
    if not b.is_finite():
        return _mulpow(b, k)
    lo, hi = b.lower(), b.upper()
    plo, phi = _mulpow(lo, k), _mulpow(hi, k)
    hull = plo.union(phi)
    if k % 2 == 1 or lo >= 0 or hi <= 0:
        return hull
    return hull.union(arb(0))


def _ev(expr: sp.Expr, env: Mapping[sp.Symbol, arb]) -> arb:
    if expr.is_Symbol:
        try:
            return env[expr]
        except KeyError as exc:
            raise ArbUnsupported(f"free symbol {expr} has no value") from exc
    if expr.is_Integer:
        return arb(int(expr))
    if expr.is_Rational:
        return arb(int(expr.p)) / arb(int(expr.q))
    if expr.is_Float:
        return arb(float(expr))
    if expr is sp.pi:
        return arb.pi()
    if expr is sp.E:
        return arb(1).exp()
    if expr.is_Add:
        out = arb(0)
        for a in expr.args:
            out = out + _ev(a, env)
        return out
    if expr.is_Mul:
        out = arb(1)
        for a in expr.args:
            out = out * _ev(a, env)
        return out
    if expr.is_Pow:
        base, ex = expr.args
        b = _ev(base, env)
        if ex.is_Integer:
            k = int(ex)
            p = _ipow(b, abs(k))
            return p if k >= 0 else arb(1) / p
        if ex == sp.Rational(1, 2):
            return b.sqrt()
        return b ** _ev(ex, env)
    if isinstance(expr, sp.Abs):
        return abs(_ev(expr.args[0], env))
    for fn, meth in _UNARY.items():
        if isinstance(expr, fn):
            return getattr(_ev(expr.args[0], env), meth)()
    raise ArbUnsupported(f"cannot evaluate {type(expr).__name__} in ball arithmetic: {expr}")


def arb_eval(expr: sp.Expr, env: Mapping[sp.Symbol, arb]) -> arb:
    """Enclosure of ``expr`` for all symbol values in the balls of ``env``.

    Examples
    --------
    >>> import sympy as sp
    >>> from flint import arb
    >>> x = sp.Symbol("x")
    >>> ball = arb_eval(x**2 / 3, {x: arb(1)})
    >>> arb_lower(ball) <= 1 / 3 <= arb_upper(ball)
    True
    """
    old = ctx.prec
    ctx.prec = PRECISION
    try:
        return _ev(sp.sympify(expr), env)
    finally:
        ctx.prec = old


def arb_upper(a: arb) -> float:
    """Smallest-ish float that is **certainly** ≥ every point of the ball (``inf`` if unbounded)."""
    if not a.is_finite():
        return math.inf
    u = a.upper()
    f = float(u.mid())
    for _ in range(8):
        if arb(f) >= u:
            return f
        f = math.nextafter(f, math.inf)
    return math.inf


def arb_lower(a: arb) -> float:
    """Largest-ish float that is **certainly** ≤ every point of the ball (``-inf`` if unbounded)."""
    if not a.is_finite():
        return -math.inf
    lo = a.lower()
    f = float(lo.mid())
    for _ in range(8):
        if arb(f) <= lo:
            return f
        f = math.nextafter(f, -math.inf)
    return -math.inf


def box_ball(lo: float, hi: float) -> arb:
    """A ball containing the interval ``[lo, hi]`` of two floats (the union of the endpoints)."""
    old = ctx.prec
    ctx.prec = PRECISION
    try:
        return arb(float(lo)).union(arb(float(hi)))
    finally:
        ctx.prec = old
