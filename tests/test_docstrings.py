"""Docstring audit (issue 7): every public name carries a numpydoc docstring with an example.

For every name in ``__all__`` of the public packages and sub-packages:

* a function that takes parameters has a ``Parameters`` section;
* a class whose constructor takes parameters has a ``Parameters`` or ``Attributes`` section;
* every function and class has an ``Examples`` section containing at least one ``>>>`` line
  (the examples themselves run under ``--doctest-modules``).

The same rule covers the public methods of those classes (names without a leading
underscore; classmethods and staticmethods included, properties not): ``Parameters`` when
the method takes parameters other than ``self``/``cls``, and ``Examples`` with ``>>>``.
Each method is audited once, on the class that defines it: an override is audited on its
own, a method inherited unchanged only on the base that defines it (named by its public
name, or by its module path when that base is private, e.g. a mixin). Methods defined
outside the package (``tuple.count``, ``Enum`` machinery) are skipped.

Exception classes and plain constants are skipped. Names that do not pass yet are listed in
``PENDING`` explicitly, with the checks they still fail; they may not fail anything else, and
the list must not grow.
"""

from __future__ import annotations

import importlib
import inspect

import pytest

PACKAGES = (
    "constructions",
    "constructions.sperner",
    "constructions.lift",
    "constructions.interop",
    "certificates",
    "complexity",
    "complexity.zoo",
)

#: top-level packages whose classes' methods are audited
_ROOTS = frozenset(p.split(".")[0] for p in PACKAGES)

# "package.name" or "package.Class.method": the checks it still fails. Keep this list small
# and shrinking.
PENDING: dict[str, set[str]] = {}


def _sections(doc: str) -> dict[str, str]:
    """Numpydoc section titles (a line underlined by dashes) mapped to their bodies."""
    lines = inspect.cleandoc(doc).splitlines()
    out: dict[str, str] = {}
    title = None
    for k, line in enumerate(lines):
        nxt = lines[k + 1].strip() if k + 1 < len(lines) else ""
        if line.strip() and len(nxt) >= 3 and set(nxt) == {"-"}:
            title = line.strip()
            out[title] = ""
        elif title is not None and not (line.strip() and set(line.strip()) == {"-"}):
            out[title] += line + "\n"
    return out


def _takes_parameters(obj) -> bool:
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return False
    return any(p.name not in ("self", "cls") for p in sig.parameters.values())


def _public_callables():
    seen: set[int] = set()
    for package in PACKAGES:
        module = importlib.import_module(package)
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.ismodule(obj) or not callable(obj):
                continue
            if inspect.isclass(obj) and issubclass(obj, BaseException):
                continue
            if id(obj) in seen:          # re-exported under several packages: audit once
                continue
            seen.add(id(obj))
            yield f"{package}.{name}", obj


def _problems(obj) -> set[str]:
    doc = obj.__doc__ or ""
    secs = _sections(doc)
    problems = set()
    if _takes_parameters(obj):
        wanted = ("Parameters", "Attributes") if inspect.isclass(obj) else ("Parameters",)
        if not any(w in secs for w in wanted):
            problems.add("Parameters")
    if ">>>" not in secs.get("Examples", ""):
        problems.add("Examples")
    return problems


PUBLIC = dict(_public_callables())


def _public_methods():
    """``("prefix.method", function)`` for the public methods of the public classes.

    Every method is yielded once, for the class in whose ``__dict__`` it is defined; the prefix
    is that class's public name, or ``module.Class`` for a private base.
    """
    public_names = {id(obj): name for name, obj in PUBLIC.items() if inspect.isclass(obj)}
    seen: set[int] = set()
    for cls in PUBLIC.values():
        if not inspect.isclass(cls):
            continue
        for owner in cls.__mro__:
            if owner.__module__.split(".")[0] not in _ROOTS:
                continue
            prefix = public_names.get(id(owner), f"{owner.__module__}.{owner.__qualname__}")
            for name, member in vars(owner).items():
                if name.startswith("_"):
                    continue
                func = member.__func__ if isinstance(member, (classmethod, staticmethod)) else member
                if not inspect.isfunction(func) or id(func) in seen:
                    continue
                seen.add(id(func))
                yield f"{prefix}.{name}", func


PUBLIC_METHODS = dict(_public_methods())


def test_sections_parser():
    doc = """Summary.

    Parameters
    ----------
    x : int
        A value.

    Examples
    --------
    >>> 1 + 1
    2
    """
    secs = _sections(doc)
    assert set(secs) == {"Parameters", "Examples"}
    assert ">>>" in secs["Examples"] and ">>>" not in secs["Parameters"]


def test_audit_covers_the_public_api():
    assert len(PUBLIC) > 150
    assert "certificates.certify_local_nash" in PUBLIC
    assert "constructions.sperner.planted_instance" in PUBLIC


def test_audit_covers_the_public_methods():
    assert len(PUBLIC_METHODS) > 90
    assert not set(PUBLIC_METHODS) & set(PUBLIC)
    # overrides are audited on their own class, inherited methods once on the defining class
    assert {"constructions.ConvexSet.project", "constructions.Box.project"} <= set(PUBLIC_METHODS)
    assert "constructions.ConvexSet.contains" in PUBLIC_METHODS
    assert "constructions.Box.contains" not in PUBLIC_METHODS
    # classmethods are methods; properties and private or dunder names are not
    assert "constructions.Box.reals" in PUBLIC_METHODS
    assert "constructions.Game.dim" not in PUBLIC_METHODS
    assert not any(q.rsplit(".", 1)[1].startswith("_") for q in PUBLIC_METHODS)
    # methods of a private base are audited under its module path
    assert "complexity._oracle._Counting.reset" in PUBLIC_METHODS


@pytest.mark.parametrize("qualname", sorted(PUBLIC))
def test_public_docstring(qualname):
    problems = _problems(PUBLIC[qualname]) - PENDING.get(qualname, set())
    assert not problems, f"{qualname}: missing numpydoc sections {sorted(problems)}"


@pytest.mark.parametrize("qualname", sorted(PUBLIC_METHODS))
def test_public_method_docstring(qualname):
    problems = _problems(PUBLIC_METHODS[qualname]) - PENDING.get(qualname, set())
    assert not problems, f"{qualname}: missing numpydoc sections {sorted(problems)}"


def test_pending_list_is_small_and_current():
    assert set(PENDING) <= set(PUBLIC) | set(PUBLIC_METHODS)
    assert all(checks <= {"Parameters", "Examples"} for checks in PENDING.values())
    assert len(PENDING) <= 5
