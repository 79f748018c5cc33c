"""What the policy's value classes share: decision codes, by-grade parameters, field checks.

Every check here is an attrs validator that raises a
:class:`~scorecard.exceptions.SpecificationError` naming the class (and, for a named
object, its name), the field, what was expected and what was found, e.g.
``NeedLimit 'need'.multiplier['A']: expected a finite number >= 0, found -1.0``.
Converters only normalize values of the right kind and pass anything else through to the
validators (see :mod:`scorecard._core.fields`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

import attrs
import numpy as np

from scorecard._core import artifact as _json
from scorecard._core.fields import Validator
from scorecard.exceptions import SpecificationError

#: Decision codes, ordered so that a larger code is a more favorable decision.
DECLINE, REFER, APPROVE = 0, 1, 2
DECISIONS: tuple[str, str, str] = ("decline", "refer", "approve")
DECISION_CODES: dict[str, int] = {"decline": DECLINE, "refer": REFER, "approve": APPROVE}

Scalar: TypeAlias = int | float | str | bool
ByGrade: TypeAlias = float | tuple[tuple[str, float], ...]

_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


# ---------------------------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------------------------


def owner(instance: Any) -> str:
    """``"NeedLimit 'need'"`` for an object with a valid name (or rule code), else the class."""
    cls = type(instance).__name__
    label = getattr(instance, "_LABEL", None)
    key = getattr(instance, label, None) if label else None
    return f"{cls} {key!r}" if isinstance(key, str) and key.strip() else cls


def fail(instance: Any, field: str, expected: str, value: Any) -> None:
    """Raise ``Owner.field: expected ..., found ...``."""
    raise SpecificationError(f"{owner(instance)}.{field}: expected {expected}, found {value!r}")


def labeled(validator: Validator) -> Validator:
    """A :mod:`scorecard._core.fields` validator whose message names the object (:func:`owner`)."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        try:
            validator(instance, attribute, value)
        except SpecificationError as exc:
            msg, cls = str(exc), type(instance).__name__
            if msg.startswith(cls + "."):
                msg = owner(instance) + msg[len(cls) :]
            raise SpecificationError(msg) from None

    return check


def py_scalar(v: Any) -> Any:
    """numpy scalars to Python ones (so equality, hashing and JSON behave)."""
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    if isinstance(v, np.str_):
        return str(v)
    return v


def is_number(v: Any) -> bool:
    """A Python int or float, not a bool."""
    return isinstance(v, int | float) and not isinstance(v, bool)


# ---------------------------------------------------------------------------------------------
# Names and codes
# ---------------------------------------------------------------------------------------------


def _name_problem(value: Any, identifier: bool) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "a non-empty string"
    if identifier and not _NAME_RE.match(value):
        return "an identifier (letters, digits, underscore; not starting with a digit)"
    if ";" in value:
        return "no ';' (it separates codes in decision tables)"
    return None


def name_field(*, identifier: bool = False, reserved: Sequence[str] = ()) -> Validator:
    """A non-empty string without ``;`` (an identifier if asked, not a reserved word)."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        problem = _name_problem(value, identifier)
        if problem is not None:
            fail(instance, attribute.name, problem, value)
        if value in reserved:
            words = " and ".join(repr(r) for r in reserved)
            fail(
                instance,
                attribute.name,
                f"a name other than {words} (reserved: they name the policy cap in breakdowns)",
                value,
            )

    return check


def names_field(*, nonempty: bool = False, unique: bool = False) -> Validator:
    """A tuple of names (see :func:`name`), non-empty and without repeats if asked."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, tuple):
            fail(instance, attribute.name, "a sequence of strings", value)
        if nonempty and not value:
            fail(instance, attribute.name, "at least one name", "none")
        for v in value:
            problem = _name_problem(v, False)
            if problem is not None:
                fail(instance, attribute.name, f"names that are {problem}", v)
        if unique and len(set(value)) != len(value):
            fail(instance, attribute.name, "each name once", list(value))

    return check


def to_tuple(value: Any) -> Any:
    """Any iterable (not a string or a mapping) as a tuple; anything else unchanged."""
    if isinstance(value, str | bytes | Mapping) or not hasattr(value, "__iter__"):
        return value
    return tuple(value)


def to_names(value: Any) -> Any:
    """A string as a 1-tuple, else :func:`to_tuple`."""
    return (value,) if isinstance(value, str) else to_tuple(value)


# ---------------------------------------------------------------------------------------------
# A number, or a number per grade
# ---------------------------------------------------------------------------------------------


def _as_float(v: Any) -> Any:
    v = py_scalar(v)
    return float(v) if is_number(v) else v


def by_grade(value: Any) -> Any:
    """A number (all grades) or a mapping grade -> number (stored as sorted pairs).

    Numbers are stored as floats, so ``{"A": 3}`` and ``{"A": 3.0}`` are the same policy.
    Anything else is passed through unchanged to the validator.
    """
    if isinstance(value, Mapping):
        value = tuple(value.items())
    if isinstance(value, tuple) and all(isinstance(p, tuple) and len(p) == 2 for p in value):
        pairs = [(k, _as_float(v)) for k, v in value]
        try:
            return tuple(sorted(pairs))
        except TypeError:  # unsortable keys: refused by the validator
            return tuple(pairs)
    return _as_float(value)


def by_grade_check(
    *, gt: float | None = None, ge: float | None = None, le: float | None = None
) -> Validator:
    """A finite number or a non-empty mapping grade name -> finite number, within bounds."""
    parts = [
        f"{op} {bound:g}" for op, bound in ((">", gt), (">=", ge), ("<=", le)) if bound is not None
    ]
    expected = "a finite number" + (" " + " and ".join(parts) if parts else "")

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        field = attribute.name
        if isinstance(value, tuple):
            if not value:
                fail(instance, field, "a number or a non-empty mapping grade -> number", "{}")
            items: Sequence[tuple[Any, Any]] = value
        elif is_number(value):
            items = (("*", value),)
        else:
            fail(instance, field, "a number or a mapping grade -> number", value)
            return
        for grade, v in items:
            where = field if grade == "*" else f"{field}[{grade!r}]"
            if grade != "*" and (not isinstance(grade, str) or not grade):
                fail(instance, field, "grade names (strings) as keys", grade)
            ok = is_number(v) and math.isfinite(v)
            ok = ok and (gt is None or v > gt) and (ge is None or v >= ge)
            ok = ok and (le is None or v <= le)
            if not ok:
                fail(instance, where, expected, v)

    return check


def grade_keys(value: ByGrade) -> tuple[str, ...]:
    """Grade names a by-grade value mentions (empty for a number)."""
    return tuple(k for k, _ in value) if isinstance(value, tuple) else ()


def per_grade(value: ByGrade, grade_names: Sequence[str]) -> list[float]:
    """Values per grade index, plus a trailing NaN slot: ``out[grade_idx]`` with -1 = no grade.

    A grade absent from a mapping gets NaN, which makes a limit component "not applicable".
    """
    if isinstance(value, tuple):
        d = dict(value)
        return [d.get(g, math.nan) for g in grade_names] + [math.nan]
    return [float(value)] * len(grade_names) + [math.nan]


def by_grade_to_json(value: ByGrade) -> Any:
    """A number, or an object grade -> number."""
    return dict(value) if isinstance(value, tuple) else value


def by_grade_from_json(value: Any) -> ByGrade:
    """Inverse of :func:`by_grade_to_json`: a number, or an object grade -> number."""
    if isinstance(value, Mapping):
        return by_grade({g: _json.number(v, g) for g, v in value.items()})  # type: ignore[no-any-return]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _json.number(value)
    raise _json.FieldError(
        (), f"expected a number or an object grade -> number, found {_json.describe(value)}"
    )
