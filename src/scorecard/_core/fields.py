"""Converters and validators for the fields of attrs value classes.

attrs runs a field's converter *before* its validator, so a converter such as ``float``
turns bad input into a bare ``ValueError`` (``float("abc")``) or ``TypeError``
(``float(None)``) before any validator can name the field, and silently turns ``True``
into ``1.0``.  The converters here only *normalize* values that are already of the right
kind (a numpy float to a Python float, a numpy integer to an int) and pass anything else
through unchanged; the validators then refuse it with a
:class:`~scorecard.exceptions.SpecificationError` that names the class and the field,
says what was expected and what was found::

    Scaling.pdo: expected a finite number > 0, found 'abc'

Usage::

    pdo: float = attrs.field(default=20.0, converter=to_number, validator=number(gt=0))
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable
from typing import Any

import attrs
import numpy as np

from scorecard.exceptions import SpecificationError

__all__ = [
    "Validator",
    "boolean",
    "fail",
    "instance_of",
    "integer",
    "is_count",
    "is_finite_number",
    "is_int",
    "number",
    "one_of",
    "optional",
    "string",
    "to_integer",
    "to_number",
    "to_number_tuple",
    "to_optional_number",
    "to_tuple",
    "tuple_of",
]

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def fail(instance: Any, attribute: attrs.Attribute[Any], expected: str, value: Any) -> None:
    """Raise the library's message for a field: ``Owner.field: expected ..., found ...``."""
    name = getattr(attribute, "alias", None) or attribute.name  # "coef" for a field "_coef"
    raise SpecificationError(
        f"{type(instance).__name__}.{name}: expected {expected}, found {value!r}"
    )


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool | np.bool_)


def to_number(value: Any) -> Any:
    """A real number (Python or numpy, not a boolean) as ``float``; anything else unchanged."""
    if not _is_bool(value) and isinstance(value, numbers.Real):
        return float(value)
    return value


def to_optional_number(value: Any) -> Any:
    """``None`` stays ``None``; otherwise :func:`to_number`."""
    return None if value is None else to_number(value)


def to_integer(value: Any) -> Any:
    """An integer (Python or numpy, not a boolean) as ``int``; anything else unchanged."""
    if not _is_bool(value) and isinstance(value, numbers.Integral):
        return int(value)
    return value


def to_tuple(value: Any) -> Any:
    """A list, tuple or 1-d array as a tuple; anything else (a string, a number) unchanged."""
    if isinstance(value, list | tuple) or (isinstance(value, np.ndarray) and value.ndim == 1):
        return tuple(value)
    return value


def to_number_tuple(value: Any) -> Any:
    """:func:`to_tuple`, then every real number in it as ``float`` (others unchanged)."""
    value = to_tuple(value)
    return tuple(to_number(v) for v in value) if isinstance(value, tuple) else value


def number(
    *,
    gt: float | None = None,
    ge: float | None = None,
    lt: float | None = None,
    le: float | None = None,
    finite: bool = True,
    nan: bool = False,
) -> Validator:
    """A float (after :func:`to_number`) within bounds: finite unless ``finite=False``, not
    NaN unless ``nan=True`` (NaN then stands for "unknown" and skips the bounds)."""
    parts = []
    if gt is not None:
        parts.append(f"> {gt:g}")
    if ge is not None:
        parts.append(f">= {ge:g}")
    if lt is not None:
        parts.append(f"< {lt:g}")
    if le is not None:
        parts.append(f"<= {le:g}")
    expected = ("a finite number" if finite else "a number") + (
        " " + " and ".join(parts) if parts else ""
    )
    if nan:
        expected += " or NaN"

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if nan and isinstance(value, float) and math.isnan(value):
            return
        ok = isinstance(value, float) and not math.isnan(value)
        if ok and finite:
            ok = math.isfinite(value)
        if ok:
            ok = (
                (gt is None or value > gt)
                and (ge is None or value >= ge)
                and (lt is None or value < lt)
                and (le is None or value <= le)
            )
        if not ok:
            fail(instance, attribute, expected, value)

    return check


def integer(*, ge: int | None = None, le: int | None = None) -> Validator:
    """An int (after :func:`to_integer`; not a boolean) within bounds."""
    bounds = [f">= {ge}" if ge is not None else "", f"<= {le}" if le is not None else ""]
    expected = "an integer" + "".join(f" {b}" for b in bounds if b)

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if (
            not isinstance(value, int)
            or isinstance(value, bool)
            or (ge is not None and value < ge)
            or (le is not None and value > le)
        ):
            fail(instance, attribute, expected, value)

    return check


def optional(validator: Validator) -> Validator:
    """``None`` or what ``validator`` accepts (its message gains "or None")."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            return
        try:
            validator(instance, attribute, value)
        except SpecificationError as exc:
            msg = str(exc).replace(", found", " or None, found", 1)
            raise SpecificationError(msg) from None

    return check


def _same_kind(value: Any, option: Any) -> bool:
    if isinstance(option, str):
        return isinstance(value, str)
    return type(value) is type(option)


def one_of(options: Iterable[Any]) -> Validator:
    """One of the given options (compared with ``==``)."""
    opts = tuple(options)

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        ok = any(_same_kind(value, o) and value == o for o in opts)
        if not ok:
            fail(instance, attribute, f"one of {opts}", value)

    return check


def boolean(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """``True`` or ``False`` (a Python ``bool``)."""
    if not isinstance(value, bool):
        fail(instance, attribute, "True or False", value)


def string(*, nonempty: bool = True) -> Validator:
    """A ``str`` (non-empty, not only spaces, by default)."""
    expected = "a non-empty string" if nonempty else "a string"

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, str) or (nonempty and not value.strip()):
            fail(instance, attribute, expected, value)

    return check


def instance_of(*types: type, what: str | None = None) -> Validator:
    """An instance of one of ``types`` (``what`` names them in the message)."""
    expected = what or "a " + " or ".join(t.__name__ for t in types)

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, types):
            fail(instance, attribute, expected, value)

    return check


def tuple_of(item: Callable[[Any], bool], what: str, *, nonempty: bool = False) -> Validator:
    """A tuple (after :func:`to_tuple`) whose every item satisfies ``item``.

    ``what`` describes the items for the message, e.g. ``"finite numbers"``.
    """
    expected = ("a non-empty sequence of " if nonempty else "a sequence of ") + what

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if (
            not isinstance(value, tuple)
            or (nonempty and not value)
            or not all(item(v) for v in value)
        ):
            fail(instance, attribute, expected, value)

    return check


def is_finite_number(v: Any) -> bool:
    """A float or int (not a boolean) that is finite."""
    return isinstance(v, float | int) and not isinstance(v, bool) and math.isfinite(v)


def is_count(v: Any) -> bool:
    """A finite number >= 0 (a weighted count)."""
    return is_finite_number(v) and v >= 0


def is_int(v: Any) -> bool:
    """An int that is not a boolean."""
    return isinstance(v, int) and not isinstance(v, bool)
