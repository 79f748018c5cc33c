"""Field values: one field of the applicant data as the evaluator reads it.

A field arrives as a :class:`Col` of one of three kinds, ``"number"`` (floats, NaN =
missing), ``"string"`` (``str``, ``None`` = missing) or ``"empty"`` (every value missing),
with its missing mask.  For a frame the values and the mask are numpy arrays
(:func:`col_from_series`); for one applicant they are Python scalars (:func:`col_from_value`).
Both conversions follow the same rules (booleans and decimals are numbers, ``None``, NaN,
``pd.NA`` and ``pd.NaT`` are missing), so a one-applicant decision and a whole-frame decision
see the same values.  The checks on values (:func:`amounts`) are written once against an
array namespace (:mod:`scorecard._core.arrays`).
"""

from __future__ import annotations

import decimal
import math
import numbers
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd

from scorecard._core.arrays import ArrayNamespace
from scorecard._core.types import BoolArray, ObjArray
from scorecard._core.validation import is_missing
from scorecard.exceptions import DataError

Kind = Literal["number", "string", "empty"]

__all__ = [
    "Col",
    "Kind",
    "amounts",
    "col_from_series",
    "col_from_value",
    "describe_rows",
    "is_missing_value",
    "object_values",
]


class Col(NamedTuple):
    """One field: its kind, its values and where they are missing (arrays, or scalars)."""

    kind: Kind
    values: Any  # floats for "number"/"empty" (NaN = missing), str/None for "string"
    missing: Any  # bool array, or bool


_MISSING = Col("empty", math.nan, True)


#: the missing-value rule of every path (one definition, in the shared base)
is_missing_value = is_missing


_new = tuple.__new__  # a NamedTuple without its Python-level __new__ (one-applicant path)


def col_from_value(v: Any, field: str) -> Col:
    """One dict value as a :class:`Col` of scalars (the rules of :func:`col_from_series`)."""
    t = type(v)
    if t is float:  # the common cases first, without isinstance checks on ABCs
        return _MISSING if v != v else _new(Col, ("number", v, False))
    if t is int or t is bool:
        return _new(Col, ("number", float(v), False))
    if t is str:
        return _new(Col, ("string", v, False))
    if is_missing_value(v):
        return _MISSING
    if isinstance(v, str):
        return Col("string", str(v), False)
    if isinstance(v, numbers.Real | decimal.Decimal | np.bool_):
        return Col("number", float(v), False)
    raise DataError(
        f"field {field!r}: expected a number, a string, a boolean or a missing value "
        f"(None/NaN), found {type(v).__name__} {v!r}"
    )


def col_from_series(s: pd.Series, field: str) -> Col:
    """A DataFrame column as a :class:`Col` (numbers and booleans as float64, text as object)."""
    missing = s.isna().to_numpy(dtype=np.bool_)
    dt = s.dtype
    if isinstance(dt, pd.CategoricalDtype):
        cats = dt.categories
        if pd.api.types.is_bool_dtype(cats.dtype) or pd.api.types.is_numeric_dtype(cats.dtype):
            kind: Kind = "number"
        else:
            kind = "string"
        s = s.astype(object)
    elif pd.api.types.is_bool_dtype(dt) or pd.api.types.is_numeric_dtype(dt):
        kind = "number"
    elif pd.api.types.is_string_dtype(dt) and not pd.api.types.is_object_dtype(dt):
        kind = "string"
    elif pd.api.types.is_object_dtype(dt):
        inferred = pd.api.types.infer_dtype(s, skipna=True)
        if inferred in ("string", "empty"):
            kind = "string"
        elif inferred in ("integer", "floating", "boolean", "mixed-integer-float", "decimal"):
            kind = "number"
        else:
            raise DataError(
                f"column {field!r}: expected numbers, booleans or strings, found values that "
                f"pandas infers as {inferred!r}; convert the column to one type first"
            )
    else:
        raise DataError(
            f"column {field!r}: expected numbers, booleans or strings, found dtype {dt}; "
            "derive a number or a label from it first"
        )
    if missing.all():
        return Col("empty", np.full(len(s), np.nan), missing)
    if kind == "number":
        values = s.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        values = object_values(s)
    return Col(kind, values, missing)


def object_values(s: pd.Series) -> ObjArray:
    """A Series as an object array with ``None`` for every missing value."""
    out: ObjArray = s.to_numpy(dtype=object, copy=True)
    out[s.isna().to_numpy(dtype=np.bool_)] = None
    return out


def describe_rows(mask: BoolArray | bool, index: pd.Index | None) -> str:
    """``"rows [3, 17] (2 rows)"`` for a frame, ``"the applicant"`` for one applicant."""
    if index is None:
        return "the applicant"
    hit = np.flatnonzero(mask)
    shown = [index[i] for i in hit[:5]]
    more = "" if hit.size <= 5 else " ..."
    return f"rows {shown}{more} ({hit.size} row{'s' * (hit.size != 1)})"


def amounts(
    col: Col, field: str, limit: str, index: pd.Index | None, negative: bool, xp: ArrayNamespace
) -> Any:
    """A money field read by the limit component ``limit`` as floats (NaN = missing):
    numeric, finite, and >= 0 unless ``negative`` is allowed."""
    if col.kind == "string":
        raise DataError(
            f"field {field!r} (used by limit {limit!r}): expected a number, found text; "
            "convert the field to numbers"
        )
    x = col.values
    bad = xp.isinf(x)
    if xp.any(bad):
        raise DataError(
            f"field {field!r} (used by limit {limit!r}): expected finite numbers or missing, "
            f"found infinite values at {describe_rows(bad, index)}"
        )
    if not negative:
        neg = x < 0
        if xp.any(neg):
            raise DataError(
                f"field {field!r} (used by limit {limit!r}): expected an amount >= 0 or "
                f"missing, found negative values at {describe_rows(neg, index)}"
            )
    return x
