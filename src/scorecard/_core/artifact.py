"""Versioned, deterministic JSON for every artifact (no pickle, ever).

An artifact file is an *envelope*::

    {"format": "scorecard", "kind": "<kind>", "schema_version": N,
     "library_version": "x.y.z", "body": {...}, "sha256": "<hex of body>"}

* ``dumps`` is canonical: sorted keys, two-space indent, ``\\n`` line ends and a
  trailing newline, floats in Python's shortest round-trip ``repr``.  The same
  object always gives the same bytes, and ``loads(dumps(x)) == x``.
* Non-finite floats, which strict JSON lacks, are written as the strings
  ``"NaN"``, ``"Infinity"`` and ``"-Infinity"`` by :func:`enc_float` and read
  back by :func:`dec_float`.
* ``sha256`` is a checksum of the canonical body: an edited file is refused
  with :class:`~scorecard.exceptions.SchemaError` ("tampered").
* A file of a newer schema version than this library knows is refused.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Self

from scorecard._version import __version__
from scorecard.exceptions import SchemaError

FORMAT = "scorecard"

_NONFINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def enc_float(x: float) -> float | str:
    """Encode a float for JSON: finite floats as is, others as strings."""
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def dec_float(x: Any) -> float:
    """Decode what :func:`enc_float` wrote."""
    if isinstance(x, str):
        try:
            return _NONFINITE[x]
        except KeyError:
            raise SchemaError(
                f"expected a number or one of {sorted(_NONFINITE)}, found the string {x!r}"
            ) from None
    if isinstance(x, bool) or not isinstance(x, int | float):
        raise SchemaError(f"expected a number, found {type(x).__name__} {x!r}")
    return float(x)


def json_number(value: Any, field: str, kind: str) -> float:
    """:func:`dec_float` of a body's field; a bad value's SchemaError names the field."""
    try:
        return dec_float(value)
    except SchemaError as exc:
        raise SchemaError(f"{kind}: field {field!r}: {exc}") from None


def dumps(obj: Any) -> str:
    """Canonical JSON text of ``obj`` (sorted keys, indent 2, trailing newline)."""
    return json.dumps(obj, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _digest(body: Any) -> str:
    return hashlib.sha256(dumps(body).encode("utf-8")).hexdigest()


def wrap(kind: str, schema_version: int, body: Mapping[str, Any]) -> dict[str, Any]:
    """Put ``body`` in a versioned, checksummed envelope."""
    return {
        "format": FORMAT,
        "kind": kind,
        "schema_version": schema_version,
        "library_version": __version__,
        "body": dict(body),
        "sha256": _digest(dict(body)),
    }


def unwrap(payload: Any, kind: str, schema_version: int) -> dict[str, Any]:
    """Check an envelope and return its body.

    Raises
    ------
    SchemaError
        If the payload is not an envelope, is of another kind, of a newer
        schema version, or its checksum does not match its body.
    """
    if not isinstance(payload, Mapping):
        raise SchemaError(
            f"expected a JSON object (a {FORMAT} {kind!r} artifact), found {type(payload).__name__}"
        )
    if payload.get("format") != FORMAT:
        raise SchemaError(
            f"expected field 'format' to be {FORMAT!r}, found {payload.get('format')!r}: "
            "this is not a scorecard artifact"
        )
    if payload.get("kind") != kind:
        raise SchemaError(
            f"expected an artifact of kind {kind!r}, found kind {payload.get('kind')!r}"
        )
    version = payload.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SchemaError(f"expected a positive integer 'schema_version', found {version!r}")
    if version > schema_version:
        raise SchemaError(
            f"this {kind!r} artifact has schema version {version}, newer than the "
            f"version {schema_version} that scorecard {__version__} reads: upgrade scorecard"
        )
    body = payload.get("body")
    if not isinstance(body, Mapping):
        raise SchemaError(f"expected field 'body' to be an object, found {type(body).__name__}")
    if payload.get("sha256") != _digest(dict(body)):
        raise SchemaError(
            f"the checksum of this {kind!r} artifact does not match its body: "
            "the file was edited or corrupted (tampered)"
        )
    return dict(body)


def loads(text: str | bytes) -> Any:
    """Parse JSON text, turning a parse error into :class:`SchemaError`."""
    try:
        return json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SchemaError(f"expected valid JSON text, found a parse error: {exc}") from None


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file and a rename.

    Either the whole new file is there afterwards or the old one is untouched.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return target


def read_text(path: str | os.PathLike[str]) -> str:
    """Read a UTF-8 artifact file."""
    return Path(path).read_text(encoding="utf-8")


def get(body: Mapping[str, Any], field: str, kind: str) -> Any:
    """Fetch a required field from a body, with a clear error if it is absent."""
    try:
        return body[field]
    except KeyError:
        raise SchemaError(f"{kind} artifact: required field {field!r} is missing") from None


class JsonArtifact:
    """Mixin: ``to_json``/``from_json``/``save``/``load`` on top of ``to_dict``/``from_dict``.

    A subclass sets the class attributes ``_KIND`` (the envelope's ``kind``) and
    ``_SCHEMA_VERSION`` and implements ``to_dict()`` and the classmethod
    ``from_dict(body)``.  It has no state (``__slots__ = ()``), so attrs slotted
    classes stay slotted.
    """

    __slots__ = ()
    _KIND: str
    _SCHEMA_VERSION: int

    def to_dict(self) -> dict[str, Any]:  # pragma: no cover - always overridden
        raise NotImplementedError

    @classmethod
    def from_dict(cls, d: Any) -> Self:  # pragma: no cover - always overridden
        raise NotImplementedError

    def to_json(self) -> str:
        """Versioned, checksummed, canonical JSON text (same object, same bytes)."""
        return dumps(wrap(self._KIND, self._SCHEMA_VERSION, self.to_dict()))

    @classmethod
    def from_json(cls, text: str | bytes) -> Self:
        """Load from :meth:`to_json` text; refuses other kinds, newer versions, tampering."""
        return cls.from_dict(unwrap(loads(text), cls._KIND, cls._SCHEMA_VERSION))

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write :meth:`to_json` to ``path`` atomically (temporary file, then rename)."""
        return atomic_write_text(path, self.to_json())

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Self:
        """Read a file written by :meth:`save`."""
        return cls.from_json(read_text(path))
