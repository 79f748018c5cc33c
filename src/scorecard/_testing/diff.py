"""The readable difference of two JSON artifacts (cards, binnings, grade scales, policies...).

Both sides become the plain JSON body of their artifact as *this* library version writes it
(an object through ``to_json``; a file or text loaded by its kind's class first, so it is
checked like any artifact and an older schema is read as today's).  The bodies are walked
together; every difference is one line with its path into the artifact::

    characteristics[2] ('duration_in_month').points[3]: 12 != 13

Numbers compare within ``rtol``/``atol`` (``math.isclose``; an ``int`` and a ``float`` of
the same value are equal), everything else exactly.  A list of named objects (a ``name``,
``code`` or ``label`` field, or a binning's ``name``) labels each item with its name, and is
matched by name when the two sides hold other names or another order.
"""

from __future__ import annotations

import json
import math
import os
import reprlib
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from scorecard._core.artifact import JsonArtifact
from scorecard.exceptions import SchemaError, SpecificationError

#: the keys tried, in order, to name an item of a list of objects
_NAME_KEYS = ("name", "code", "label")

_short = reprlib.Repr()
_short.maxstring = 60
_short.maxother = 60
_short.maxlist = 6
_short.maxdict = 4
_short.maxlevel = 2


def _classes() -> dict[str, type[JsonArtifact]]:
    """Every artifact class of the library, by the ``kind`` of its envelope."""
    from scorecard._analyze.binning import Binning
    from scorecard._model.logit import LogitResult
    from scorecard._model.scorecard import Scorecard
    from scorecard._model.selection_path import SelectionPath
    from scorecard.policy._calibration import CalibrationReport
    from scorecard.policy._grades import GradeScale
    from scorecard.policy._policy import CreditPolicy

    classes: list[type[JsonArtifact]] = [
        Binning,
        Scorecard,
        LogitResult,
        SelectionPath,
        GradeScale,
        CreditPolicy,
        CalibrationReport,
    ]
    return {c._KIND: c for c in classes}


def _from_text(text: str | bytes, what: str) -> tuple[str, Any]:
    try:
        payload = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError):
        shown = _short.repr(text)
        raise SpecificationError(
            f"{what}: expected an artifact, its JSON text or a path to its file, found "
            f"{type(text).__name__} {shown} that is not JSON text (for a file, pass a "
            "pathlib.Path)"
        ) from None
    kind = payload.get("kind") if isinstance(payload, Mapping) else None
    classes = _classes()
    if kind not in classes:
        raise SchemaError(
            f"{what}: expected a scorecard artifact of kind {sorted(classes)}, found "
            f"{'kind ' + repr(kind) if kind is not None else 'JSON without a kind'}"
        )
    artifact = classes[kind].from_json(text)
    return kind, json.loads(artifact.to_json())["body"]


def body_of(obj: Any, what: str) -> tuple[str, Any]:
    """The kind and the plain JSON body of an artifact, its JSON text or its file."""
    if isinstance(obj, JsonArtifact):
        return obj._KIND, json.loads(obj.to_json())["body"]
    if isinstance(obj, os.PathLike):
        path = Path(obj)
        if not path.is_file():
            raise SpecificationError(f"{what}: expected an artifact file, found no file {path}")
        return _from_text(path.read_text(encoding="utf-8"), f"{what} ({path})")
    if isinstance(obj, str | bytes):
        return _from_text(obj, what)
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict) and not isinstance(obj, type):
        body = to_dict()
        if isinstance(body, Mapping):
            return type(obj).__name__, json.loads(json.dumps(body, allow_nan=True))
    raise SpecificationError(
        f"{what}: expected a scorecard artifact (e.g. a Scorecard, Binning, GradeScale or "
        f"CreditPolicy), its JSON text or a path to its file, found {type(obj).__name__}"
    )


def _label(item: Any) -> str | None:
    if not isinstance(item, Mapping):
        return None
    for key in _NAME_KEYS:
        if isinstance(item.get(key), str):
            return str(item[key])
    inner = item.get("binning")
    if isinstance(inner, Mapping) and isinstance(inner.get("name"), str):
        return str(inner["name"])
    return None


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


class Differ:
    """Walks two JSON values and collects one line per difference."""

    def __init__(self, rtol: float, atol: float, ignore: Collection[str]) -> None:
        self.rtol = rtol
        self.atol = atol
        self.ignore = frozenset(ignore)
        self.lines: list[str] = []

    def _add(self, path: str, text: str) -> None:
        self.lines.append(f"{path or '(body)'}: {text}")

    def _numbers(self, path: str, a: float, e: float) -> None:
        if isinstance(a, int) and isinstance(e, int):
            if a != e:
                self._add(path, f"{a!r} != {e!r}")
            return
        fa, fe = float(a), float(e)
        if math.isnan(fa) and math.isnan(fe):
            return
        if math.isclose(fa, fe, rel_tol=self.rtol, abs_tol=self.atol):
            return
        scale = max(abs(fa), abs(fe))
        rel = abs(fa - fe) / scale if scale > 0 else math.inf
        self._add(path, f"{a!r} != {e!r} (relative difference {rel:.2g})")

    def walk(self, a: Any, e: Any, path: str = "") -> None:
        if isinstance(a, Mapping) and isinstance(e, Mapping):
            self._mappings(a, e, path)
        elif isinstance(a, list) and isinstance(e, list):
            self._lists(a, e, path)
        elif _is_number(a) and _is_number(e):
            self._numbers(path, a, e)
        elif type(a) is not type(e):
            self._add(
                path,
                f"{_short.repr(a)} ({type(a).__name__}) != {_short.repr(e)} ({type(e).__name__})",
            )
        elif a != e:
            self._add(path, f"{_short.repr(a)} != {_short.repr(e)}")

    def _mappings(self, a: Mapping[str, Any], e: Mapping[str, Any], path: str) -> None:
        for key in sorted(set(a) | set(e)):
            if key in self.ignore:
                continue
            sub = f"{path}.{key}" if path else str(key)
            if key not in e:
                self._add(sub, f"only in actual ({_short.repr(a[key])})")
            elif key not in a:
                self._add(sub, f"only in expected ({_short.repr(e[key])})")
            else:
                self.walk(a[key], e[key], sub)

    def _lists(self, a: list[Any], e: list[Any], path: str) -> None:
        labels_a, labels_e = [_label(x) for x in a], [_label(x) for x in e]
        names_a = [n for n in labels_a if n is not None]
        names_e = [n for n in labels_e if n is not None]
        named = (
            len(names_a) == len(a)
            and len(names_e) == len(e)
            and len(set(names_a)) == len(names_a)
            and len(set(names_e)) == len(names_e)
        )
        if named and names_a != names_e:
            self._by_name(a, e, names_a, names_e, path)
            return
        containers = any(isinstance(x, Mapping | list) for x in a + e)
        if len(a) != len(e) and not containers:
            self._add(
                path, f"{len(a)} items != {len(e)} items: {_short.repr(a)} != {_short.repr(e)}"
            )
            return
        if len(a) != len(e):
            self._add(path, f"{len(a)} items != {len(e)} items")
        for i, (x, y) in enumerate(zip(a, e, strict=False)):
            label = f" ({names_a[i]!r})" if named else ""
            self.walk(x, y, f"{path}[{i}]{label}")
        for i in range(len(e), len(a)):
            self._add(f"{path}[{i}]", f"only in actual ({_short.repr(a[i])})")
        for i in range(len(a), len(e)):
            self._add(f"{path}[{i}]", f"only in expected ({_short.repr(e[i])})")

    def _by_name(
        self, a: list[Any], e: list[Any], names_a: list[str], names_e: list[str], path: str
    ) -> None:
        only_a = [n for n in names_a if n not in names_e]
        only_e = [n for n in names_e if n not in names_a]
        if only_a:
            self._add(path, f"only in actual: {only_a}")
        if only_e:
            self._add(path, f"only in expected: {only_e}")
        common_a = [n for n in names_a if n in names_e]
        common_e = [n for n in names_e if n in names_a]
        if common_a != common_e:
            self._add(path, f"another order: {common_a} != {common_e}")
        by_e = dict(zip(names_e, e, strict=True))
        for name, x in zip(names_a, a, strict=True):
            if name in by_e:
                self.walk(x, by_e[name], f"{path}[{name!r}]")


def differences(
    actual: Any, expected: Any, *, rtol: float, atol: float, ignore: Collection[str], what: str
) -> tuple[str, str, list[str]]:
    """The kinds of both sides and one line per difference of their bodies."""
    for name, tol in (("rtol", rtol), ("atol", atol)):
        if isinstance(tol, bool) or not isinstance(tol, int | float) or not tol >= 0:
            raise SpecificationError(f"{what}: expected {name} >= 0, found {tol!r}")
    kind_a, body_a = body_of(actual, f"{what}: actual")
    kind_e, body_e = body_of(expected, f"{what}: expected")
    if kind_a != kind_e:
        return kind_a, kind_e, []
    differ = Differ(float(rtol), float(atol), ignore)
    differ.walk(body_a, body_e)
    return kind_a, kind_e, differ.lines


def report(
    kind_a: str, kind_e: str, lines: list[str], *, rtol: float, atol: float, max_lines: int
) -> str:
    """The message of a failed comparison (empty if the artifacts are equal)."""
    if kind_a != kind_e:
        return (
            f"artifacts of different kinds: actual is a {kind_a!r} artifact, expected a "
            f"{kind_e!r} artifact"
        )
    if not lines:
        return ""
    n = len(lines)
    head = (
        f"{kind_a} artifacts differ in {n} place{'s' if n != 1 else ''} (actual != expected; "
        f"numbers within rtol={rtol:g}, atol={atol:g} count as equal):"
    )
    shown = [f"  {line}" for line in lines[:max_lines]]
    if n > max_lines:
        rest = n - max_lines
        shown.append(f"  ... and {rest} more difference{'s' if rest != 1 else ''}")
    return "\n".join([head, *shown])
