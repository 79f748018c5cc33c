"""Versioned, deterministic JSON for every artifact (no pickle, ever).

An artifact file is an *envelope*::

    {"format": "scorecard", "kind": "<kind>", "schema_version": N,
     "library_version": "x.y.z", "body": {...}, "sha256": "<hex of body>"}

and, when it was written with a key, ``"hmac_sha256": "<hex>"`` besides.

* ``dumps`` is canonical: sorted keys, two-space indent, ``\\n`` line ends and a
  trailing newline, floats in Python's shortest round-trip ``repr``.  The same
  object always gives the same bytes, and ``loads(dumps(x)) == x``.
* Non-finite floats, which strict JSON lacks, are written as the strings
  ``"NaN"``, ``"Infinity"`` and ``"-Infinity"`` by :func:`enc_float` and read
  back by :func:`dec_float`.  :func:`loads` is strict: bare ``NaN`` or
  ``Infinity`` literals, numbers out of the float range, repeated keys in an
  object, invalid UTF-8 and nesting deeper than :data:`MAX_DEPTH` are refused.
* ``sha256`` is a checksum of the canonical body: it catches corruption, not
  editing (anyone can recompute it).  An edited file with a recomputed checksum is
  caught by the *meaning* checks of the artifact's ``from_dict`` (points that do
  not follow from the model, WOEs that do not follow from the counts, grades that
  the scale lacks...) or, for those who need authenticity, by the signature.
* ``hmac_sha256`` (optional) is an HMAC-SHA256, under a secret key, of the
  canonical text of the envelope without this field: with the key, an unsigned
  file, an edited file and a file signed with another key are refused.
* A file of a newer schema version than this library knows is refused.
* Loading is faithful: the loaded object, written again, gives the body it was read
  from (numbers compared to 1e-9), so a field this version does not read, a derived
  field that disagrees with its sources and a value that loading would change are
  refused too.

Every problem is a :class:`~scorecard.exceptions.SchemaError` naming the field
(``scorecard: field 'characteristics[0].binning.fine.goods[3]': expected a number,
found str 'x'``); nothing else escapes (no ``KeyError``, ``TypeError``...).  The typed
readers (:class:`Obj`, :func:`number`, :func:`integer`...) and :func:`within` let every
``from_dict`` name the field it could not read.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self, TypeVar

import numpy as np

from scorecard._version import __version__
from scorecard.exceptions import DataError, SchemaError, SpecificationError

FORMAT = "scorecard"
#: envelope field of the optional signature
SIGNATURE = "hmac_sha256"
#: deepest nesting of arrays and objects a file may have (artifacts need about 10)
MAX_DEPTH = 64
#: largest magnitude of an integer field (integers convert to floats exactly up to here)
MAX_INT = 2**53

_NONFINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
_HEX64 = re.compile(r"[0-9a-f]{64}")

Key = bytes | str
PathPart = str | int
T = TypeVar("T")


# ------------------------------------------------------------------------------- errors


def _path_text(path: tuple[PathPart, ...]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


class FieldError(SchemaError):
    """A :class:`SchemaError` located at a field of an artifact's body.

    ``path`` is the field (``("characteristics", 0, "points", 3)``), ``problem`` what
    is wrong there.  :func:`within` prefixes the path as the error leaves a nested
    reader.
    """

    def __init__(self, path: tuple[PathPart, ...], problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"field {_path_text(path)!r}: {problem}" if path else problem)


@contextmanager
def within(*path: PathPart) -> Iterator[None]:
    """Read a nested part: errors raised inside are located under ``path``.

    A :class:`~scorecard.exceptions.SpecificationError` or
    :class:`~scorecard.exceptions.DataError` of a value class built from the part (its
    message names ``Owner.field``) becomes a :class:`FieldError` at ``path``.
    """
    try:
        yield
    except FieldError as exc:
        raise FieldError(path + exc.path, exc.problem) from None
    except SchemaError as exc:
        raise FieldError(path, str(exc)) from None
    except (SpecificationError, DataError) as exc:
        raise FieldError(path, f"invalid content: {exc}") from None


def describe(value: Any) -> str:
    """``type repr`` of a value for a message, the repr cut at 60 characters."""
    text = repr(value)
    if len(text) > 60:
        text = text[:50] + f"... ({len(text)} characters)"
    return f"{type(value).__name__} {text}"


# ----------------------------------------------------------------------- reading values


def enc_float(x: float) -> float | str:
    """Encode a float for JSON: finite floats as is, others as strings."""
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def dec_float(x: Any) -> float:
    """Decode what :func:`enc_float` wrote (a number, or one of the non-finite strings)."""
    if isinstance(x, str):
        try:
            return _NONFINITE[x]
        except KeyError:
            raise SchemaError(
                f"expected a number or one of {sorted(_NONFINITE)}, found the string {x!r}"
            ) from None
    if isinstance(x, bool) or not isinstance(x, int | float):
        raise SchemaError(f"expected a number, found {describe(x)}")
    try:
        return float(x)
    except OverflowError:
        raise SchemaError(f"expected a number in the float range, found {describe(x)}") from None


def json_number(value: Any, field: str, kind: str) -> float:
    """:func:`dec_float` of a body's field; a bad value's SchemaError names the field."""
    try:
        return dec_float(value)
    except SchemaError as exc:
        raise SchemaError(f"{kind}: field {field!r}: {exc}") from None


def number(value: Any, *path: PathPart, nonfinite: bool = False) -> float:
    """A JSON number as a float (``nonfinite``: also ``"NaN"``, ``"Infinity"``...).

    A finite float is returned as is; bounds are for the value class to check.
    """
    if isinstance(value, str) and nonfinite and value in _NONFINITE:
        return _NONFINITE[value]
    if isinstance(value, float):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:
            pass
    expected = "a number" + (' or "NaN", "Infinity", "-Infinity"' if nonfinite else "")
    raise FieldError(path, f"expected {expected}, found {describe(value)}")


def integer(value: Any, *path: PathPart) -> int:
    """A JSON integer (not a boolean, not a float) of magnitude at most :data:`MAX_INT`."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) <= MAX_INT:
        return value
    raise FieldError(path, f"expected an integer (at most 2**53 in size), found {describe(value)}")


def string(value: Any, *path: PathPart) -> str:
    """A JSON string."""
    if isinstance(value, str):
        return value
    raise FieldError(path, f"expected a string, found {describe(value)}")


def boolean(value: Any, *path: PathPart) -> bool:
    """A JSON ``true`` or ``false``."""
    if isinstance(value, bool):
        return value
    raise FieldError(path, f"expected true or false, found {describe(value)}")


def array(value: Any, *path: PathPart) -> list[Any]:
    """A JSON array."""
    if isinstance(value, list):
        return value
    raise FieldError(path, f"expected an array, found {describe(value)}")


def items(value: Any, read: Callable[..., T], *path: PathPart) -> list[T]:
    """A JSON array whose every item is read by ``read(item, *path, index)``."""
    return [read(v, *path, i) for i, v in enumerate(array(value, *path))]


def optional(value: Any, read: Callable[..., T], *path: PathPart) -> T | None:
    """``null`` as None, anything else read by ``read(value, *path)``."""
    return None if value is None else read(value, *path)


class Obj:
    """A JSON object being read: typed fields, each error naming the field.

    Examples
    --------
    >>> o = Obj({"pdo": 20, "name": 3})
    >>> o.number("pdo")
    20.0
    >>> o.string("name")
    Traceback (most recent call last):
    ...
    scorecard._core.artifact.FieldError: field 'name': expected a string, found int 3
    >>> o.number("base_odds")
    Traceback (most recent call last):
    ...
    scorecard._core.artifact.FieldError: field 'base_odds': required field is missing
    """

    __slots__ = ("_d",)

    def __init__(self, value: Any, *path: PathPart) -> None:
        if not isinstance(value, Mapping):
            raise FieldError(path, f"expected an object, found {describe(value)}")
        self._d: Mapping[str, Any] = value

    def raw(self, field: str) -> Any:
        """The field's value as parsed."""
        try:
            return self._d[field]
        except KeyError:
            raise FieldError((field,), "required field is missing") from None

    def obj(self, field: str) -> Obj:
        """A nested object."""
        return Obj(self.raw(field), field)

    def number(self, field: str, *, nonfinite: bool = False) -> float:
        """A number (see :func:`number`)."""
        return number(self.raw(field), field, nonfinite=nonfinite)

    def optional_number(self, field: str, *, nonfinite: bool = False) -> float | None:
        """A number or ``null``."""
        value = self.raw(field)
        return None if value is None else number(value, field, nonfinite=nonfinite)

    def integer(self, field: str) -> int:
        """An integer (see :func:`integer`)."""
        return integer(self.raw(field), field)

    def optional_integer(self, field: str) -> int | None:
        """An integer or ``null``."""
        return optional(self.raw(field), integer, field)

    def string(self, field: str) -> str:
        """A string."""
        return string(self.raw(field), field)

    def optional_string(self, field: str) -> str | None:
        """A string or ``null``."""
        return optional(self.raw(field), string, field)

    def boolean(self, field: str) -> bool:
        """``true`` or ``false``."""
        return boolean(self.raw(field), field)

    def array(self, field: str) -> list[Any]:
        """An array (items unread)."""
        return array(self.raw(field), field)

    def numbers(self, field: str, *, nonfinite: bool = False) -> list[float]:
        """An array of numbers."""
        return [number(v, field, i, nonfinite=nonfinite) for i, v in enumerate(self.array(field))]

    def integers(self, field: str) -> list[int]:
        """An array of integers."""
        return items(self.raw(field), integer, field)

    def strings(self, field: str) -> list[str]:
        """An array of strings."""
        return items(self.raw(field), string, field)

    def objects(self, field: str) -> list[Obj]:
        """An array of objects."""
        return items(self.raw(field), Obj, field)

    def raw_mapping(self) -> dict[str, Any]:
        """This object as a plain dict (values unread)."""
        return dict(self._d)


def get(body: Any, field: str, kind: str) -> Any:
    """Fetch a required field from a body, with a clear error if it is absent."""
    if not isinstance(body, Mapping):
        raise SchemaError(f"{kind} artifact: expected an object, found {describe(body)}")
    try:
        return body[field]
    except KeyError:
        raise SchemaError(f"{kind} artifact: required field {field!r} is missing") from None


def check(ok: bool, path: tuple[PathPart, ...], problem: str) -> None:
    """Raise a :class:`FieldError` at ``path`` unless ``ok`` (a meaning check)."""
    if not ok:
        raise FieldError(path, problem)


# ----------------------------------------------------------------------------- JSON text


def dumps(obj: Any) -> str:
    """Canonical JSON text of ``obj`` (sorted keys, indent 2, trailing newline)."""
    return json.dumps(obj, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _refuse_constant(name: str) -> Any:
    raise SchemaError(
        f"expected strict JSON, found the bare literal {name}: non-finite numbers are written "
        'as the strings "NaN", "Infinity" and "-Infinity"'
    )


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise SchemaError(f"expected numbers in the float range, found {text[:40]}")
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise SchemaError(
                f"expected each key once in an object, found {k!r} twice (a reader could see "
                "either value)"
            )
        out[k] = v
    return out


def _depth(value: Any) -> int:
    """Nesting depth of parsed JSON (iterative: no recursion limit)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, dict | list):
            deepest = max(deepest, d)
            stack.extend((c, d + 1) for c in (v.values() if isinstance(v, dict) else v))
    return deepest


def loads(text: str | bytes) -> Any:
    """Parse strict JSON text (UTF-8 if bytes); any problem is a :class:`SchemaError`."""
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SchemaError(f"expected UTF-8 text, found invalid bytes: {exc}") from None
    if not isinstance(text, str):
        raise SchemaError(f"expected JSON text (str or bytes), found {type(text).__name__}")
    try:
        value = json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_float=_finite_float,
            object_pairs_hook=_unique_keys,
        )
    except SchemaError:
        raise
    except json.JSONDecodeError as exc:
        raise SchemaError(f"expected valid JSON text, found a parse error: {exc}") from None
    except RecursionError:
        raise SchemaError(
            f"expected JSON nested at most {MAX_DEPTH} levels deep, found deeper nesting"
        ) from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise SchemaError(f"expected valid JSON text, found: {exc}") from None
    if _depth(value) > MAX_DEPTH:
        raise SchemaError(
            f"expected JSON nested at most {MAX_DEPTH} levels deep, found deeper nesting"
        )
    return value


# ------------------------------------------------------------------------------ envelope


def _digest(body: Any) -> str:
    return hashlib.sha256(dumps(body).encode("utf-8")).hexdigest()


def key_bytes(key: Any) -> bytes:
    """A signing key as bytes: ``bytes`` as is, ``str`` as UTF-8; never empty."""
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, bytes | bytearray):
        raise SpecificationError(
            f"key: expected bytes or str (a secret signing key), found {type(key).__name__}"
        )
    if not key:
        raise SpecificationError(
            "key: expected a non-empty secret (e.g. secrets.token_hex(32)), found an empty key"
        )
    return bytes(key)


def signature(envelope: Mapping[str, Any], key: Key) -> str:
    """HMAC-SHA256 (hex) of the canonical text of ``envelope`` without its signature."""
    unsigned = {k: v for k, v in envelope.items() if k != SIGNATURE}
    mac = hmac.new(key_bytes(key), dumps(unsigned).encode("utf-8"), hashlib.sha256)
    return mac.hexdigest()


def wrap(
    kind: str, schema_version: int, body: Mapping[str, Any], key: Key | None = None
) -> dict[str, Any]:
    """Put ``body`` in a versioned, checksummed envelope, signed if a ``key`` is given."""
    envelope = {
        "format": FORMAT,
        "kind": kind,
        "schema_version": schema_version,
        "library_version": __version__,
        "body": dict(body),
        "sha256": _digest(dict(body)),
    }
    if key is not None:
        envelope[SIGNATURE] = signature(envelope, key)
    return envelope


def _verify(payload: Mapping[str, Any], kind: str, key: Key) -> None:
    expected = signature(payload, key)  # checks the key first
    found = payload.get(SIGNATURE)
    if found is None:
        raise SchemaError(
            f"this {kind!r} artifact is not signed, but a key was given: with a key only "
            "signed artifacts load (sign it with to_json(key=...) or save(path, key=...))"
        )
    if not isinstance(found, str) or not hmac.compare_digest(found, expected):
        raise SchemaError(
            f"the signature of this {kind!r} artifact does not match: the file was edited "
            "after it was signed, or it was signed with another key"
        )


def unwrap(payload: Any, kind: str, schema_version: int, key: Key | None = None) -> dict[str, Any]:
    """Check an envelope (and its signature, given a ``key``) and return its body.

    Raises
    ------
    SchemaError
        If the payload is not an envelope, is of another kind, of a newer schema
        version, its checksum does not match its body or, with a key, it is unsigned
        or its signature does not match.
    """
    if not isinstance(payload, Mapping):
        raise SchemaError(
            f"expected a JSON object (a {FORMAT} {kind!r} artifact), found {type(payload).__name__}"
        )
    if key is not None:
        _verify(payload, kind, key)
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
    written_by = payload.get("library_version")
    if not isinstance(written_by, str):
        raise SchemaError(
            f"expected field 'library_version' to be a string, found {describe(written_by)}"
        )
    sig = payload.get(SIGNATURE)
    if sig is not None and not (isinstance(sig, str) and _HEX64.fullmatch(sig)):
        raise SchemaError(
            f"expected field {SIGNATURE!r} to be 64 lowercase hex digits, found {describe(sig)}"
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


# ------------------------------------------------------------------------- faithfulness

#: tolerance of the faithfulness check for numbers (derived floats may differ in their
#: last bits between CPUs and libraries)
REL_TOL = 1e-9
ABS_TOL = 1e-12


def _same_number(a: Any, b: Any) -> bool:
    def real(v: Any) -> bool:
        return isinstance(v, int | float) and not isinstance(v, bool)

    if not (real(a) and real(b)):
        return False
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    try:
        return math.isclose(float(a), float(b), rel_tol=REL_TOL, abs_tol=ABS_TOL)
    except OverflowError:  # an integer beyond the float range equals no float
        return False


def difference(
    stored: Any, loaded: Any, path: tuple[PathPart, ...] = (), source: str = "its content gives"
) -> FieldError | None:
    """The first place where ``loaded`` (an object's plain JSON) differs from ``stored``.

    Numbers are compared to :data:`REL_TOL` (relative) and :data:`ABS_TOL` (absolute),
    everything else exactly (``true`` is not ``1``); ``source`` names what ``loaded``
    comes from in the message.
    """
    if isinstance(stored, dict) and isinstance(loaded, dict):
        for k in sorted(set(stored) - set(loaded)):
            return FieldError(
                (*path, k), "unexpected field: this version of scorecard does not read it"
            )
        for k in sorted(set(loaded) - set(stored)):
            return FieldError((*path, k), "required field is missing")
        for k in sorted(stored):
            found = difference(stored[k], loaded[k], (*path, k), source)
            if found is not None:
                return found
        return None
    if isinstance(stored, list) and isinstance(loaded, list):
        if len(stored) != len(loaded):
            return FieldError(path, f"the file has {len(stored)} items, but {source} {len(loaded)}")
        for i, (s, v) in enumerate(zip(stored, loaded, strict=True)):
            found = difference(s, v, (*path, i), source)
            if found is not None:
                return found
        return None
    same = (
        _same_number(stored, loaded)
        if isinstance(stored, int | float) and not isinstance(stored, bool)
        else type(stored) is type(loaded) and stored == loaded
    )
    if same:
        return None
    return FieldError(path, f"the file has {describe(stored)}, but {source} {describe(loaded)}")


def plain(value: Any) -> Any:
    """What ``json.loads(dumps(value))`` gives, without the text (tuples as lists...)."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def check_faithful(body: Mapping[str, Any], loaded: Mapping[str, Any]) -> None:
    """Refuse a body that the object loaded from it does not write back (numbers to 1e-9).

    What is refused: a field this version does not read, a derived field that disagrees
    with what it derives from, and a value that loading would change.
    """
    found = difference(dict(body), plain(loaded), (), "the loaded artifact writes")
    if found is not None and not found.problem.startswith("the file has"):
        raise found
    if found is not None:
        raise FieldError(
            found.path,
            f"{found.problem}: a derived field that disagrees with what it derives from, or "
            "a value this version reads differently",
        )


# ----------------------------------------------------------------------------- files


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
    """Read a UTF-8 artifact file (invalid UTF-8 is a :class:`SchemaError`)."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SchemaError(
            f"{os.fspath(path)}: expected UTF-8 text, found invalid bytes: {exc}"
        ) from None


# ------------------------------------------------------------------------------ mixin


class JsonArtifact:
    """Mixin: ``to_json``/``from_json``/``save``/``load`` on top of ``to_dict``/``from_dict``.

    A subclass sets the class attributes ``_KIND`` (the envelope's ``kind``) and
    ``_SCHEMA_VERSION`` and implements ``to_dict()`` and the classmethod
    ``from_dict(body)``, which reads the body with the typed readers of this module
    and checks its meaning.  It has no state (``__slots__ = ()``), so attrs slotted
    classes stay slotted.

    Loading (:meth:`from_json`, :meth:`load`) parses strict JSON, checks the envelope,
    the checksum and (given a ``key``) the signature, builds the object with
    ``from_dict`` and checks that it writes back the body it was read from.  Every
    problem is a :class:`~scorecard.exceptions.SchemaError`.

    Examples
    --------
    >>> from scorecard import GradeScale
    >>> scale = GradeScale.from_cutoffs([620, 580], ["A", "B", "C"])
    >>> GradeScale.from_json(scale.to_json()) == scale
    True
    >>> key = b"a secret of at least 32 random bytes, kept apart"
    >>> signed = scale.to_json(key=key)
    >>> GradeScale.from_json(signed, key=key) == scale
    True
    >>> GradeScale.from_json(scale.to_json(), key=key)
    Traceback (most recent call last):
    ...
    scorecard.exceptions.SchemaError: this 'grade_scale' artifact is not signed, but a key ...
    >>> GradeScale.from_json(signed, key=b"another key")
    Traceback (most recent call last):
    ...
    scorecard.exceptions.SchemaError: the signature of this 'grade_scale' artifact does not ...
    """

    __slots__ = ()
    _KIND: str
    _SCHEMA_VERSION: int

    def to_dict(self) -> dict[str, Any]:  # pragma: no cover - always overridden
        raise NotImplementedError

    @classmethod
    def from_dict(cls, d: Any) -> Self:  # pragma: no cover - always overridden
        raise NotImplementedError

    def to_json(self, *, key: Key | None = None) -> str:
        """Versioned, checksummed, canonical JSON text (same object, same bytes).

        With a ``key`` (bytes or str, kept secret) the envelope also holds an
        HMAC-SHA256 signature, which :meth:`from_json` checks when given the key.
        """
        return dumps(wrap(self._KIND, self._SCHEMA_VERSION, self.to_dict(), key))

    @classmethod
    def from_json(cls, text: str | bytes, *, key: Key | None = None) -> Self:
        """Load from :meth:`to_json` text.

        Refuses (:class:`~scorecard.exceptions.SchemaError`) malformed JSON, other
        kinds, newer versions, a checksum that does not match, and a body whose meaning
        does not hold.  With a ``key``, also an unsigned file and a signature that does
        not match; without one, a signature is not checked.
        """
        return cls._from_body(unwrap(loads(text), cls._KIND, cls._SCHEMA_VERSION, key))

    @classmethod
    def _from_body(cls, body: Mapping[str, Any]) -> Self:
        """``from_dict`` and the faithfulness check; every error a SchemaError ``kind: ...``."""
        try:
            obj = cls.from_dict(body)
            check_faithful(body, obj.to_dict())
        except SchemaError as exc:
            raise SchemaError(f"{cls._KIND}: {exc}") from None
        except (SpecificationError, DataError) as exc:
            raise SchemaError(f"{cls._KIND}: invalid content: {exc}") from None
        return obj

    def save(self, path: str | os.PathLike[str], *, key: Key | None = None) -> Path:
        """Write :meth:`to_json` (signed if given a ``key``) to ``path`` atomically."""
        return atomic_write_text(path, self.to_json(key=key))

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, key: Key | None = None) -> Self:
        """Read a file written by :meth:`save` (with a ``key``: only a signed one)."""
        return cls.from_json(read_text(path), key=key)
