"""Certificate records: verdicts, witnesses and JSON serialisation.

Every certificate is a frozen dataclass with a :class:`Verdict`, the rigorous bound it
computed, the witness or dual data that back the verdict, and the list of assumptions
it rests on (declared constants, tolerances, rounding model). ``to_json()`` writes a
versioned document that an independent checker can re-verify.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import math
from typing import Any

import numpy as np

__all__ = ["Verdict", "SCHEMA_VERSION", "to_jsonable", "CertificateRecord"]

#: version of the JSON schema written by ``to_json``
SCHEMA_VERSION = "localeq.certificate/1"


class Verdict(enum.StrEnum):
    """Outcome of a verification.

    * ``VERIFIED`` -- the computed rigorous bound proves the claim (given the stated
      assumptions);
    * ``REFUTED`` -- a witness shows the claim is false;
    * ``INCONCLUSIVE`` -- neither; the certificate says why.

    Attributes
    ----------
    VERIFIED, REFUTED, INCONCLUSIVE : Verdict
        The three outcomes; ``.value`` is the name as a string (used in JSON).

    Examples
    --------
    >>> Verdict("REFUTED") is Verdict.REFUTED, Verdict.VERIFIED.value
    (True, 'VERIFIED')
    """

    VERIFIED = "VERIFIED"
    REFUTED = "REFUTED"
    INCONCLUSIVE = "INCONCLUSIVE"


def _best_text(gain: float) -> str:
    """A summary's "best evaluated gain": the number, or why there is none (no search ran)."""
    return "none (no deviation evaluated)" if gain == -math.inf else f"{gain:.4g}"


def _float(v: float) -> Any:
    """JSON encoding of a float that survives the round trip exactly (hex for non-finite)."""
    f = float(v)
    if math.isfinite(f):
        return f  # json writes repr(), which round-trips float64 exactly
    return "inf" if f > 0 else ("-inf" if f < 0 else "nan")


def to_jsonable(obj: Any) -> Any:
    """Convert dataclasses, enums, numpy arrays and floats into JSON-ready values."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, np.ndarray):
        return [to_jsonable(v) for v in obj.tolist()]
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return _float(obj)
    return obj


def dumps(obj: Any) -> str:
    """Deterministic JSON text of a record (sorted keys, 2-space indent)."""
    return json.dumps(to_jsonable(obj), indent=2, sort_keys=True, allow_nan=False)


class CertificateRecord:
    """Mixin for the frozen certificate dataclasses: verdict helpers and JSON output.

    Subclasses are dataclasses with at least ``verdict``, ``kind`` and ``schema`` fields.
    """

    verdict: Verdict

    @property
    def verified(self) -> bool:
        """Whether the verdict is VERIFIED."""
        return self.verdict is Verdict.VERIFIED

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary of every field (floats round-trip exactly).

        Non-finite floats become the strings ``"inf"``, ``"-inf"`` and ``"nan"``, arrays become
        lists and the verdict its name, so ``json.dumps`` never needs ``allow_nan``.

        Returns
        -------
        dict
            One key per dataclass field, including ``schema``, ``kind`` and ``verdict``.

        Examples
        --------
        >>> from constructions import matching_pennies
        >>> from certificates import certify_local_nash
        >>> d = certify_local_nash(matching_pennies(), [0.5, 0.5, 0.5, 0.5], eps=1e-6, delta=0.1).to_dict()
        >>> d["schema"], d["kind"], d["verdict"]
        ('localeq.certificate/1', 'epsilon-delta-local-nash', 'VERIFIED')
        """
        return to_jsonable(self)

    def to_json(self) -> str:
        """Versioned JSON document (``localeq.certificate/1``) of the whole certificate.

        The text is deterministic (sorted keys, 2-space indent) and is what ``localeq check FILE``
        re-verifies.

        Returns
        -------
        str
            ``json.dumps`` of :meth:`to_dict`.

        Examples
        --------
        >>> import json
        >>> from constructions import matching_pennies
        >>> from certificates import certify_local_nash
        >>> cert = certify_local_nash(matching_pennies(), [0.5, 0.5, 0.5, 0.5], eps=1e-6, delta=0.1)
        >>> json.loads(cert.to_json()) == cert.to_dict()
        True
        """
        return dumps(self)
