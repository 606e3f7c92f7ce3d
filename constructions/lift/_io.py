r"""Lifted-game files (``localeq-lifted-game``, version 1).

A lifted game is fully determined by its colouring, the scheme and :math:`\Delta`, so the file
stores a *reference* to the colouring, not the function:

.. code-block:: text

    {
      "format": "localeq-lifted-game", "version": 1,
      "function": "f(x,y) = sum_j (y_j - x_j) a_j(x), a_j(x) = sum_v P_v(x) C^j(v); min_x max_y",
      "colouring": {"path": "<file relative to this one>", "sha256": "<content hash of the instance>",
                    "n": N, "d": d, "generator": "...", "solutions": [...]},
      "scheme": "tensor" | "seic",
      "domain": {"type": "DSZSet", "d": d, "Delta": Delta},
      "parameters": {... LiftParameters, NaN written as null ...},
      "reference": "DSZ STOC'21 ...",
      "sha256": "<SHA-256 of the canonical JSON of every other field>"
    }

The colouring file is a ``localeq-sperner-instance`` (:func:`constructions.sperner.save_instance`:
``.npz`` for dense, ``.json`` for implicit instances). :func:`load_lifted` checks both hashes, rebuilds
the game with the stored scheme and :math:`\Delta` and checks that the parameters agree.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Any

from .._errors import InvalidArgument
from .._validation import short_repr
from ..sperner import SpernerInstance, load_instance
from ._lifted import LiftedGame, lift_colouring

__all__ = ["LIFTED_FORMAT", "lifted_record", "save_lifted", "load_lifted"]

LIFTED_FORMAT = "localeq-lifted-game"
LIFTED_VERSION = 1
FUNCTION = "f(x,y) = sum_j (y_j - x_j) a_j(x), a_j(x) = sum_v P_v(x) C^j(v); min over x, max over y"


def _clean(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if hasattr(obj, "tolist"):
        return _clean(obj.tolist())
    return obj


def _digest(record: dict[str, Any]) -> str:
    body = {k: v for k, v in record.items() if k != "sha256"}
    text = json.dumps(_clean(body), sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()


def lifted_record(lifted: LiftedGame, instance: SpernerInstance, colouring_path: str) -> dict[str, Any]:
    """The JSON record of a lifted game whose colouring is ``instance`` stored at ``colouring_path``."""
    if not isinstance(lifted, LiftedGame):
        raise InvalidArgument(f"lifted must be a LiftedGame, got lifted={short_repr(lifted)}")
    p = lifted.parameters
    rec = {
        "format": LIFTED_FORMAT,
        "version": LIFTED_VERSION,
        "function": FUNCTION,
        "colouring": {
            "path": colouring_path,
            "sha256": instance.sha256,
            "n": instance.n,
            "d": instance.d,
            "generator": instance.generator,
            "solutions": None if instance.solutions is None else instance.solutions.tolist(),
        },
        "scheme": lifted.scheme,
        "domain": {"type": "DSZSet", "d": lifted.d, "Delta": p.Delta},
        "parameters": _clean(p.as_dict()),
        "reference": p.reference,
    }
    rec["sha256"] = _digest(rec)
    return rec


def save_lifted(lifted: LiftedGame, instance: SpernerInstance, path: Any, colouring_path: Any) -> str:
    """Write the lifted-game record to ``path`` (the colouring must already be at ``colouring_path``).

    Returns the record's hash.
    """
    out = Path(path)
    cpath = Path(colouring_path)
    try:
        rel = str(cpath.resolve().relative_to(out.resolve().parent))
    except ValueError:
        rel = str(cpath.resolve())
    rec = lifted_record(lifted, instance, rel)
    out.write_text(json.dumps(rec, indent=1, sort_keys=True, allow_nan=False) + "\n")
    return rec["sha256"]


def load_lifted(path: Any) -> LiftedGame:
    """Read a lifted-game file, check both content hashes and rebuild the game.

    Raises
    ------
    InvalidArgument
        Unreadable file, wrong format/version, hash mismatch, or parameters that no longer agree.
    """
    p = Path(path)
    try:
        rec = json.loads(p.read_text())
    except (OSError, ValueError) as exc:
        raise InvalidArgument(f"path={str(p)!r} is not a readable JSON file: {exc}") from exc
    if (
        not isinstance(rec, dict)
        or rec.get("format") != LIFTED_FORMAT
        or rec.get("version") != LIFTED_VERSION
    ):
        raise InvalidArgument(f"path={str(p)!r} is not a {LIFTED_FORMAT}/{LIFTED_VERSION} file")
    if rec.get("sha256") != _digest(rec):
        raise InvalidArgument(f"path={str(p)!r}: content hash does not match (file modified or corrupted)")
    cref = rec["colouring"]
    cpath = Path(cref["path"])
    if not cpath.is_absolute():
        cpath = p.parent / cpath
    inst = load_instance(cpath)
    if inst.sha256 != cref["sha256"]:
        raise InvalidArgument(
            f"colouring file {str(cpath)!r} has hash {inst.sha256}, expected {cref['sha256']}"
        )
    lifted = lift_colouring(inst.colouring, scheme=rec["scheme"], Delta=rec["domain"]["Delta"])
    want = rec["parameters"]
    if abs(lifted.parameters.alpha - want["alpha"]) > 1e-15 * max(1.0, want["alpha"]):
        raise InvalidArgument(f"path={str(p)!r}: rebuilt alpha differs from the stored one")
    if want.get("G_measured") is not None:
        lifted = lifted.with_measurements(want["G_measured"], want["L_measured"], want["measured_note"])
    return lifted
