"""Saving and loading Sperner/BiSperner instances.

File format (version 1)
-----------------------
``.npz`` (a zip archive written by :func:`numpy.savez_compressed`) with the entries

``meta``
    uint8 array holding UTF-8 JSON: ``{"format": "localeq-sperner-instance", "version": 1,
    "sha256": <hex>, ...header}`` where the header is :meth:`SpernerInstance.header`: ``kind``,
    ``n``, ``d``, ``representation`` (``'dense'``/``'implicit'``), ``generator``, ``params``,
    ``solutions``, ``orientations``, ``entry``, ``path_length``.
``values``
    Dense colourings only: the int8 array (labels ``(N,)*d`` or signs ``(N,)*d + (d,)``).

Implicit instances (``planted`` and ``brouwer`` generators) store only ``meta``; loading rebuilds the
colouring from the parameters. They may also be written as plain ``.json`` (the same JSON object).
On load the content hash (:func:`content_hash`) is recomputed and must equal ``sha256``; any
unreadable, truncated or altered file raises :class:`InvalidArgument`.
"""

from __future__ import annotations

import json
import os
import zipfile
from typing import Any

import numpy as np

from .._errors import InvalidArgument
from .._validation import short_repr
from ._colouring import Colouring, _dense_shape_and_d
from ._doors import BoundaryDoor
from ._generators import (
    FORMAT_NAME,
    FORMAT_VERSION,
    SpernerInstance,
    canonical_json,
    content_hash,
    rebuild_instance,
)

__all__ = ["save_instance", "load_instance"]


def _path(path: Any) -> str:
    if not isinstance(path, (str, os.PathLike)):
        raise InvalidArgument(f"path must be a file name, got path={short_repr(path)}")
    return os.fspath(path)


def save_instance(instance: SpernerInstance, path: Any) -> str:
    """Write *instance* to *path* (``.npz``, or ``.json`` for implicit instances).

    Parameters
    ----------
    instance : SpernerInstance
        The instance (with its parameters and ground truth).
    path : str or path-like
        Target file.

    Returns
    -------
    str
        The content hash written into the file.

    Examples
    --------
    >>> import tempfile, os
    >>> from constructions.sperner import planted_instance
    >>> inst = planted_instance(8, 2, target=(4, 4), rng=0)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     f = os.path.join(tmp, "inst.npz")
    ...     h = save_instance(inst, f)
    ...     load_instance(f).sha256 == h
    True
    """
    if not isinstance(instance, SpernerInstance):
        raise InvalidArgument(f"instance must be a SpernerInstance, got instance={short_repr(instance)}")
    p = _path(path)
    if not os.path.isdir(os.path.dirname(os.path.abspath(p))):
        raise InvalidArgument(f"the directory of path does not exist, got path={p!r}")
    digest = content_hash(instance)
    meta = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "sha256": digest,
        "reference": instance.reference,
        **instance.header(),
    }
    text = canonical_json(meta)
    dense = instance.colouring.values is not None
    if not dense and instance.generator not in ("planted", "brouwer"):
        raise InvalidArgument(
            f"an implicit instance with generator={instance.generator!r} cannot be rebuilt from a file; "
            "materialise it with colouring.to_dense() first"
        )
    if p.endswith(".json"):
        if dense:
            raise InvalidArgument(f"dense instances must be saved as .npz, got path={p!r}")
        with open(p, "wb") as fh:
            fh.write(text)
        return digest
    if not p.endswith(".npz"):
        raise InvalidArgument(f"path must end in .npz or .json, got path={p!r}")
    arrays = {"meta": np.frombuffer(text, dtype=np.uint8)}
    if dense:
        arrays["values"] = np.ascontiguousarray(instance.colouring.values, dtype=np.int8)
    with open(p, "wb") as fh:
        np.savez_compressed(fh, **arrays)
    return digest


def _read(p: str) -> tuple[dict[str, Any], np.ndarray | None]:
    try:
        if p.endswith(".json"):
            with open(p, "rb") as fh:
                return json.loads(fh.read().decode()), None
        with np.load(p, allow_pickle=False) as z:
            if "meta" not in z.files:
                raise InvalidArgument(f"path={p!r} has no 'meta' entry; not a localeq instance file")
            meta = json.loads(z["meta"].tobytes().decode())
            values = z["values"] if "values" in z.files else None
            return meta, values
    except InvalidArgument:
        raise
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise InvalidArgument(
            f"path={p!r} is not a readable localeq instance file (corrupted or truncated?): {exc}"
        ) from exc


def load_instance(path: Any) -> SpernerInstance:
    """Read an instance written by :func:`save_instance`, checking format, shapes and hash.

    Raises
    ------
    InvalidArgument
        Missing, unreadable, truncated or corrupted file, unknown format or version, values of
        the wrong shape or range, or a content hash that does not match.

    Parameters
    ----------
    path : str or path-like
        A ``.npz`` or ``.json`` file.

    Returns
    -------
    SpernerInstance

    Examples
    --------
    >>> import tempfile, os
    >>> from constructions.sperner import planted_instance
    >>> inst = planted_instance(8, 2, target=(4, 4), rng=0)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     f = os.path.join(tmp, "inst.npz")
    ...     _ = save_instance(inst, f)
    ...     back = load_instance(f)
    >>> back.solutions.tolist(), back.path_length == inst.path_length
    ([[4, 4]], True)
    """
    p = _path(path)
    meta, values = _read(p)
    if not isinstance(meta, dict) or meta.get("format") != FORMAT_NAME:
        raise InvalidArgument(f"path={p!r} is not a {FORMAT_NAME} file")
    if meta.get("version") != FORMAT_VERSION:
        raise InvalidArgument(f"path={p!r} has unsupported version={meta.get('version')!r}")
    try:
        kind, n, d = meta["kind"], int(meta["n"]), int(meta["d"])
        rep = meta["representation"]
        header = {
            k: meta[k] for k in ("generator", "params", "solutions", "orientations", "entry", "path_length")
        }
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidArgument(f"path={p!r} has incomplete metadata: {exc!r}") from exc
    if rep == "dense":
        if values is None:
            raise InvalidArgument(f"path={p!r} is marked dense but has no 'values' entry")
        if values.dtype != np.int8:
            raise InvalidArgument(f"path={p!r}: values must be int8, got dtype {values.dtype}")
        n2, d2 = _dense_shape_and_d(values, kind, "values")
        if (n2, d2) != (n, d):
            raise InvalidArgument(f"path={p!r}: values shape {values.shape} does not match n={n}, d={d}")
        if kind == "sperner" and values.size and (values.min() < 0 or values.max() > d):
            raise InvalidArgument(f"path={p!r}: labels outside 0..{d}")
        if kind == "bisperner" and not np.all(np.abs(values) == 1):
            raise InvalidArgument(f"path={p!r}: signs other than +-1")
        values.setflags(write=False)
        col = Colouring(n, d, kind, values=values, name=str(header["generator"]))
        entry = header["entry"]
        if entry is not None:
            entry = BoundaryDoor(tuple(entry[0]), tuple(entry[1]), int(entry[2]), int(entry[3]))
        sols = header["solutions"]
        oris = header["orientations"]
        inst = SpernerInstance(
            col,
            header["generator"],
            header["params"] or {},
            solutions=None if sols is None else np.array(sols, dtype=np.int64).reshape(-1, d),
            orientations=None if oris is None else np.array(oris, dtype=np.int8),
            entry=entry,
            path_length=header["path_length"],
            reference=str(meta.get("reference", "")),
        )
    elif rep == "implicit":
        inst = rebuild_instance({"generator": header["generator"], "params": header["params"]})
    else:
        raise InvalidArgument(f"path={p!r} has unknown representation={rep!r}")
    if content_hash(inst) != meta.get("sha256"):
        raise InvalidArgument(f"path={p!r} is corrupted: content hash does not match its sha256 entry")
    return inst
