"""Docstring audit (issue 7): every public name carries a numpydoc docstring with an example.

For every name in ``__all__`` of the public packages and sub-packages:

* a function that takes parameters has a ``Parameters`` section;
* a class whose constructor takes parameters has a ``Parameters`` or ``Attributes`` section;
* every function and class has an ``Examples`` section containing at least one ``>>>`` line
  (the examples themselves run under ``--doctest-modules``).

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

# "package.name": the checks it still fails. Keep this list small and shrinking.
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


@pytest.mark.parametrize("qualname", sorted(PUBLIC))
def test_public_docstring(qualname):
    problems = _problems(PUBLIC[qualname]) - PENDING.get(qualname, set())
    assert not problems, f"{qualname}: missing numpydoc sections {sorted(problems)}"


def test_pending_list_is_small_and_current():
    assert set(PENDING) <= set(PUBLIC)
    assert len(PENDING) <= 5
