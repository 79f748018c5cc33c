"""Input validation shared by every public entry point.

Each check raises :class:`~scorecard.exceptions.DataError` naming the column,
what was expected and what was found.  Nothing is modified in place.

The value rule (one rule for every path)
----------------------------------------
* A value is **missing** when it is ``None``, a float NaN (Python or numpy), ``pd.NA`` or
  ``pd.NaT`` (:func:`is_missing`).
* A **numeric** characteristic reads real numbers: ``bool``, ``int``, ``float``, numpy
  integer, floating and bool scalars and ``decimal.Decimal``, each by its float value
  (:func:`real_number` for one value, :func:`numeric_values` for a column).  Text, bytes,
  complex numbers and other objects are a :class:`~scorecard.exceptions.DataError` naming
  the column.  A narrow float (float32, float16) is read as the decimal number it prints
  as (``float32(0.7)`` is 0.7, not 0.699999988), so it falls in the bins of that number.
* A **categorical** characteristic names a level by ``str(value)``.
* So a column's dtype never changes the bin of a value: an object column of numbers, of
  Decimals or with None, a nullable ``Int64``/``Float64``/``boolean`` column with
  ``<NA>``, any integer width and float32 all read as float64 with NaN.

Column names
------------
A feature is named ``str(label)`` of its column.  A frame's column for a name is the
column of that exact label, else the one column whose ``str(label)`` is the name
(:func:`column_labels`); two columns that print the same (``0`` and ``"0"``) are a
``DataError`` naming both.
"""

from __future__ import annotations

import decimal
import math
import reprlib
import sys
import warnings
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard._core.types import FloatArray, Int8Array
from scorecard.exceptions import DataError, DataWarning

Kind = Literal["numeric", "categorical"]

#: Python and numpy types whose values are real numbers (complex ones excluded below)
_REAL_TYPES = (bool, int, float, np.bool_, np.integer, np.floating, decimal.Decimal)
#: types whose every value is missing
_MISSING_TYPES = (type(None), type(pd.NA), type(pd.NaT))
#: object-column contents pandas infers as numbers only (missing values skipped)
_NUMBER_KINDS = ("integer", "floating", "mixed-integer-float", "decimal", "boolean")


def is_missing(value: Any) -> bool:
    """Whether one value is missing: None, a float NaN, ``pd.NA`` or ``pd.NaT``.

    Examples
    --------
    >>> [is_missing(v) for v in (None, float("nan"), pd.NA, pd.NaT, 0, "", "NaN")]
    [True, True, True, True, False, False, False]
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and math.isnan(value)


def _is_real_type(t: type) -> bool:
    # a numpy timedelta64 is a numpy integer type, but a duration, not a number
    return issubclass(t, _REAL_TYPES) and not issubclass(t, np.complexfloating | np.timedelta64)


def _describe(values: Sequence[Any]) -> str:
    shown = list(values[:3])
    kinds = sorted({type(v).__name__ for v in values})
    return f"{shown!r} ({', '.join(kinds)})"


def level_name(value: Any) -> str:
    """The level a (non-missing) categorical value names: its ``str``, except that a number
    equal to an integer names that integer.

    So ``1``, ``1.0``, ``np.int8(1)`` and ``Decimal("1.0")`` all name the level ``"1"``: a
    column's dtype never changes the level (pandas turns integers with a missing value into
    floats).  Booleans name ``"True"``/``"False"``.

    Examples
    --------
    >>> [level_name(v) for v in (1, 1.0, np.int8(1), "1", 2.5, np.float32(0.7), True, "a")]
    ['1', '1', '1', '1', '2.5', '0.7', 'True', 'a']
    """
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating | decimal.Decimal):
        f = float(value)
        if math.isfinite(f) and f.is_integer():
            return str(int(f))
    return str(value)


def real_number(value: Any, name: str) -> float:
    """One value of a numeric characteristic as a float (NaN when missing), or a DataError.

    Examples
    --------
    >>> import decimal
    >>> real_number(decimal.Decimal("2.5"), "x"), real_number(None, "x")
    (2.5, nan)
    >>> real_number(np.float32(0.7), "x")  # the number it prints as
    0.7
    >>> real_number("12", "x")
    Traceback (most recent call last):
    ...
    scorecard.exceptions.DataError: column 'x': expected numbers or missing values, found ...
    """
    if is_missing(value):
        return math.nan
    if not _is_real_type(type(value)):
        raise _not_a_number(name, value)
    try:
        if isinstance(value, np.floating) and value.itemsize < 8:
            x = float(_widen(np.asarray([value]))[0])  # the decimal it prints as
        else:
            x = float(value)
    except OverflowError:
        raise DataError(
            f"column {name!r}: expected finite numbers or NaN, found a number beyond the float "
            f"range ({reprlib.repr(value)})"
        ) from None
    except (TypeError, ValueError):  # e.g. a signaling-NaN Decimal
        raise _not_a_number(name, value) from None
    if math.isinf(x):
        raise DataError(
            f"column {name!r}: expected finite numbers or NaN, found an infinite value {value!r}"
        )
    return x


def _not_a_number(name: str, value: Any) -> DataError:
    return DataError(
        f"column {name!r}: expected numbers or missing values, found "
        f"{type(value).__name__} {reprlib.repr(value)}"
    )


def _widen(a: npt.NDArray[np.floating[Any]]) -> FloatArray:
    """Narrow floats (float32, float16) as float64 of the decimal they print as.

    Each value becomes the decimal with the fewest significant digits that rounds back to
    it (what numpy prints), found by rounding to 1, 2, ... significant digits.
    """
    out = a.astype(np.float64)
    todo = np.flatnonzero(np.isfinite(out) & (out != 0))
    if not todo.size:
        return out
    v = out[todo]
    narrow = a[todo]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        exp = np.floor(np.log10(np.abs(v)))
        for digits in range(1, 18):
            # round to 10 ** -scale; |scale| <= 62 for float16/float32 (|exp| <= 45)
            scale = (digits - 1 - exp).astype(np.intp)
            up = _POW10[np.maximum(scale, 0)]
            down = _POW10[np.maximum(-scale, 0)]
            r = np.round(v * up / down) / up * down
            ok = r.astype(a.dtype) == narrow
            out[todo[ok]] = r[ok]
            left = ~ok
            todo, v, exp, narrow = todo[left], v[left], exp[left], narrow[left]
            if not todo.size:
                break
    return out


#: ``10.0 ** k`` for k = 0 .. 308, the powers :func:`_widen` scales by (looked up rather
#: than raised per value: the same numbers, computed once)
_POW10: FloatArray = np.power(10.0, np.arange(309), dtype=np.float64)


def _complex_error(name: str, found: str) -> DataError:
    return DataError(
        f"column {name!r}: expected numbers, found complex values ({found}): a numeric "
        "characteristic reads real numbers only"
    )


def _object_numbers(arr: npt.NDArray[np.object_], name: str) -> FloatArray:
    """An object array of numbers and missing values as float64 (the value rule)."""
    types = set(map(type, arr))
    bad_types = {t for t in types if not _is_real_type(t) and not issubclass(t, _MISSING_TYPES)}
    if bad_types:
        bad = [v for v in arr if type(v) in bad_types]
        raise DataError(
            f"column {name!r}: expected numbers or missing values, found {len(bad)} value(s) "
            f"of another type, e.g. {_describe(bad)}"
        )
    miss = pd.isna(arr)
    out = np.full(arr.shape[0], np.nan)
    present = arr[~miss]
    try:
        if any(issubclass(t, np.floating) and t(0).itemsize < 8 for t in types):
            out[~miss] = [real_number(v, name) for v in present]
        else:
            out[~miss] = present.astype(np.float64)
    except OverflowError:
        raise DataError(
            f"column {name!r}: expected finite numbers, found a number beyond the float range"
        ) from None
    return out


def numeric_values(s: pd.Series, name: str) -> FloatArray:
    """A column of a numeric characteristic as float64, NaN where missing (the value rule).

    Examples
    --------
    >>> import decimal
    >>> numeric_values(pd.Series([None, decimal.Decimal("1.5"), 2]), "x").tolist()
    [nan, 1.5, 2.0]
    >>> numeric_values(pd.Series([4, None], dtype="Int8"), "x").tolist()
    [4.0, nan]
    >>> numeric_values(pd.Series([pd.NaT]), "x").tolist()  # a one-row frame of NaT
    [nan]
    >>> numeric_values(pd.Series(["a"], dtype=object), "x")
    Traceback (most recent call last):
    ...
    scorecard.exceptions.DataError: column 'x': expected numbers or missing values, found 1 ...
    """
    dt = s.dtype
    if isinstance(dt, pd.CategoricalDtype):  # the categories' values
        s = s.astype(object)
        dt = s.dtype
    if isinstance(dt, np.dtype):
        if dt.kind == "f":
            arr = s.to_numpy()
            return arr.astype(np.float64) if dt.itemsize >= 8 else _widen(arr)
        if dt.kind in "iub":
            return s.to_numpy(dtype=np.float64)
        if dt.kind == "O":
            return _object_numbers(s.to_numpy(), name)
        if dt.kind == "c":
            raise _complex_error(name, f"dtype {dt}")
    elif pd.api.types.is_bool_dtype(dt) or pd.api.types.is_numeric_dtype(dt):
        np_dt = getattr(dt, "numpy_dtype", None)
        if isinstance(np_dt, np.dtype) and np_dt.kind == "c":
            raise _complex_error(name, f"dtype {dt}")
        if isinstance(np_dt, np.dtype) and np_dt.kind == "f" and np_dt.itemsize < 8:
            narrow: Any = s.to_numpy(dtype=np_dt, na_value=np.nan)
            return _widen(narrow)
        return s.to_numpy(dtype=np.float64, na_value=np.nan)
    if s.isna().all():  # only missing values: pandas may have given it any dtype (NaT, <NA>)
        return np.full(len(s), np.nan)
    if pd.api.types.is_string_dtype(dt):
        raise DataError(f"column {name!r}: expected numbers, found text (dtype {dt})")
    raise DataError(f"column {name!r}: expected numbers, found dtype {dt}")


def integer_values(s: pd.Series) -> npt.NDArray[np.int64] | npt.NDArray[np.uint64] | None:
    """A column of integers without missing values as int64 (uint64 if unsigned), else None.

    Only the dtype is looked at (numpy integers, or a nullable integer column with no
    ``<NA>``): the caller's fast path for integer data.  Signed values widen to int64 and
    unsigned ones to uint64, so differences of two values cannot overflow a narrow dtype.
    """
    dt = s.dtype
    if isinstance(dt, np.dtype):
        if dt.kind == "i":
            return s.to_numpy().astype(np.int64, copy=False)
        if dt.kind == "u":
            return s.to_numpy().astype(np.uint64, copy=False)
        return None
    np_dt = getattr(dt, "numpy_dtype", None)
    if (
        isinstance(np_dt, np.dtype)
        and np_dt.kind in "iu"
        and pd.api.types.is_integer_dtype(dt)
        and not s.isna().any()
    ):
        wide = np.int64 if np_dt.kind == "i" else np.uint64
        return s.to_numpy(dtype=wide)
    return None


_PACKAGE = str(Path(__file__).resolve().parent.parent)


def warn_data(message: str) -> None:
    """Issue a :class:`~scorecard.exceptions.DataWarning` pointing at the caller's code.

    The warning's location is the first frame outside the ``scorecard`` package, so a user
    sees the line that called the library whatever the depth of the call inside it.
    """
    level = 1
    frame = sys._getframe(0)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    warnings.warn(message, DataWarning, stacklevel=level)


def check_frame(data: Any, what: str = "data") -> pd.DataFrame:
    """A non-empty DataFrame with unique column labels."""
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"{what}: expected a pandas DataFrame, found {type(data).__name__}")
    if len(data) == 0:
        raise DataError(f"{what}: expected at least one row, found an empty frame")
    cols = pd.Index(data.columns)
    if cols.has_duplicates:
        dups = sorted({str(c) for c in cols[cols.duplicated()]})
        raise DataError(f"{what}: expected unique column names, found duplicates {dups}")
    return data


def check_columns(data: pd.DataFrame, columns: Sequence[Hashable], what: str = "data") -> None:
    """Every name in ``columns`` is a column of ``data``."""
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise _absent(data, missing, what)


def _absent(data: pd.DataFrame, missing: Sequence[Hashable], what: str) -> DataError:
    avail = data.columns[:20].tolist()  # labels as they are: 0 and '0' differ
    more = "" if data.shape[1] <= 20 else f" (and {data.shape[1] - 20} more)"
    return DataError(
        f"{what}: expected column(s) {list(missing)} to be present, found columns {avail}{more}"
    )


def column_labels(data: pd.DataFrame, names: Sequence[str], what: str = "data") -> list[Hashable]:
    """The column label of each feature name (a feature is named ``str(label)``).

    The column of a name is the column of that exact label, else the one column whose
    ``str(label)`` equals the name.  Two columns that print the same (``0`` and ``"0"``)
    are refused, naming both; absent names are refused as by :func:`check_columns`.

    Examples
    --------
    >>> column_labels(pd.DataFrame({0: [1], "b": [2]}), ["0", "b"])
    [0, 'b']
    >>> column_labels(pd.DataFrame({0: [1], "0": [2]}), ["0"])
    Traceback (most recent call last):
    ...
    scorecard.exceptions.DataError: data: columns 0 and '0' print the same name '0': ...
    """
    cols = data.columns
    if cols.inferred_type == "string":  # unique strings: the exact label or nothing
        missing = [n for n in names if n not in cols]
        if missing:
            raise _absent(data, missing, what)
        return list(names)
    printed: dict[str, list[Hashable]] = {}
    for c in cols.tolist():
        printed.setdefault(str(c), []).append(c)
    out: list[Hashable] = []
    absent = []
    for n in names:
        found = printed.get(str(n), [])
        if len(found) > 1:
            shown = " and ".join(repr(c) for c in found)
            raise DataError(
                f"{what}: columns {shown} print the same name {str(n)!r}: expected one column "
                "per feature name; rename one of them"
            )
        if found:
            out.append(found[0])
        else:
            absent.append(n)
    if absent:
        raise _absent(data, absent, what)
    return out


def check_target(y: Any, name: str = "target", bad_label: Any = None) -> npt.NDArray[np.int8]:
    """Coerce a target to int8 with 1 = bad, 0 = good.

    Accepts 0/1 (int, float or bool).  Any other coding is refused unless
    ``bad_label`` names the value that means bad (then every other value must be
    the single good label).
    """
    s = pd.Series(y) if not isinstance(y, pd.Series) else y
    if len(s) == 0:
        raise DataError(f"target {name!r}: expected at least one value, found none")
    n_missing = int(s.isna().sum())
    if n_missing:
        raise DataError(
            f"target {name!r}: expected no missing values, found {n_missing}: "
            "drop or label those rows first"
        )
    if bad_label is not None:
        is_bad = (s == bad_label).to_numpy()
        others = pd.unique(s[~is_bad])
        if not is_bad.any():
            raise DataError(f"target {name!r}: bad_label {bad_label!r} does not occur")
        if len(others) != 1:
            raise DataError(
                f"target {name!r}: expected exactly one good label besides bad_label "
                f"{bad_label!r}, found {sorted(map(str, others))[:10]}"
            )
        out: npt.NDArray[np.int8] = is_bad.astype(np.int8)
    else:
        values = pd.unique(s)
        numeric = pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype)
        if not numeric or not set(np.asarray(values, dtype=np.float64).tolist()) <= {0.0, 1.0}:
            shown = sorted(map(str, values))[:10]
            raise DataError(
                f"target {name!r}: expected 0/1 with 1 = bad, found values {shown}; "
                "pass bad_label=<the value that means bad> to use another coding"
            )
        out = np.asarray(s, dtype=np.float64).astype(np.int8)
    if out.min() == out.max():
        raise DataError(
            f"target {name!r}: expected both goods (0) and bads (1), found only "
            f"{'bads' if out[0] == 1 else 'goods'}"
        )
    return out


def check_weights(
    w: Any, data: pd.DataFrame, name: str = "sample_weight", y: Int8Array | None = None
) -> npt.NDArray[np.float64]:
    """Non-negative finite weights aligned with ``data`` (same length, same index if a Series).

    With ``y`` (the 0/1 target, 1 = bad), the bads and the goods must each have a positive
    total weight: weights that are zero on every bad (or every good) leave one class out
    of the data as surely as a target without bads.
    """
    if isinstance(w, str):
        check_columns(data, [w], "sample_weight")
        w = data[w]
    if isinstance(w, pd.Series) and not w.index.equals(data.index):
        raise DataError(
            f"{name}: expected a Series with the same index as the data, found a different "
            "index (misaligned weights): pass .to_numpy() or reindex it"
        )
    arr = float_vector(w, name, len(data), "weights (one per row)")
    if not np.all(np.isfinite(arr)):
        raise DataError(
            f"{name}: expected finite weights, found {int((~np.isfinite(arr)).sum())} NaN/inf"
        )
    if np.any(arr < 0):
        raise DataError(
            f"{name}: expected non-negative weights, found {int((arr < 0).sum())} negative "
            f"(smallest {arr.min()!r})"
        )
    if arr.sum() <= 0:
        raise DataError(f"{name}: expected a positive total weight, found {arr.sum()!r}")
    if y is not None:
        if len(y) != arr.shape[0]:
            raise DataError(f"target: expected {arr.shape[0]} values, found {len(y)}")
        for label, what in ((1, "bads"), (0, "goods")):
            rows = np.asarray(y) == label
            if not arr[rows].sum() > 0:
                raise DataError(
                    f"{name}: expected a positive total weight on the {what} (target "
                    f"{label}) and on the {'goods' if label else 'bads'}, found weight 0 on "
                    f"every one of the {int(rows.sum())} {what}: the weights leave no {what}"
                )
    return arr


def float_vector(
    values: Any,
    name: str,
    length: int | None = None,
    what: str = "values",
    error: type[Exception] = DataError,
) -> FloatArray:
    """``values`` as a 1-d float64 array (of ``length`` values when given), or ``error``.

    Examples
    --------
    >>> float_vector([1, 2.5], "x").tolist()
    [1.0, 2.5]
    >>> float_vector([[1, 2]], "x", 2, "scores")
    Traceback (most recent call last):
    ...
    scorecard.exceptions.DataError: x: expected 2 scores, found shape (1, 2)
    """
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise error(f"{name}: expected numbers, found values that are not numeric") from None
    if arr.ndim != 1 or (length is not None and arr.shape[0] != length):
        expected = f"{length} {what}" if length is not None else f"a 1-d array of {what}"
        raise error(f"{name}: expected {expected}, found shape {arr.shape}")
    return arr


def feature_kind(s: pd.Series, name: str) -> Kind:
    """``"numeric"`` for columns of numbers, ``"categorical"`` for category/string ones.

    Numbers are int, uint, float and bool columns, nullable or not, and object columns
    holding only real numbers (floats, Decimals, numpy scalars; see the value rule) and
    missing values.  Complex numbers are refused.
    """
    dt = s.dtype
    if isinstance(dt, pd.CategoricalDtype):
        return "categorical"
    if pd.api.types.is_complex_dtype(dt):
        raise _complex_error(name, f"dtype {dt}")
    if pd.api.types.is_bool_dtype(dt) or pd.api.types.is_numeric_dtype(dt):
        return "numeric"
    if pd.api.types.is_datetime64_any_dtype(dt) or pd.api.types.is_timedelta64_dtype(dt):
        raise DataError(
            f"column {name!r}: expected a numeric or categorical feature, found dtype {dt}: "
            "derive a number from it (e.g. age in days) first"
        )
    if pd.api.types.is_string_dtype(dt) or pd.api.types.is_object_dtype(dt):
        inferred = pd.api.types.infer_dtype(s, skipna=True)
        if inferred in ("string", "empty", "categorical"):
            return "categorical"
        if inferred == "complex":
            raise _complex_error(name, "dtype object")
        if inferred in _NUMBER_KINDS or all(
            _is_real_type(t) or issubclass(t, _MISSING_TYPES) for t in set(map(type, s))
        ):
            return "numeric"
        raise DataError(
            f"column {name!r}: expected one type per column, found mixed values "
            f"(pandas infers {inferred!r}); convert it to str or to numbers first"
        )
    raise DataError(f"column {name!r}: expected a numeric or categorical feature, found dtype {dt}")


def check_feature(s: pd.Series, name: str, kind: Kind, special_codes: Sequence[Any] = ()) -> None:
    """Refuse all-missing, constant and (numeric) infinite features."""
    if kind == "numeric":
        arr = np.asarray(s, dtype=np.float64)
        inf = np.isinf(arr)
        if inf.any():
            raise DataError(
                f"column {name!r}: expected finite numbers or NaN, found {int(inf.sum())} "
                "infinite values: replace them (e.g. by NaN or a special code)"
            )
        present = arr[~np.isnan(arr)]
        if special_codes:
            present = present[~np.isin(present, np.asarray(special_codes, dtype=np.float64))]
        if present.size == 0:
            raise DataError(
                f"column {name!r}: expected some non-missing, non-special values, found none "
                "(all missing): drop the column"
            )
        if present.min() == present.max():
            raise DataError(
                f"column {name!r}: expected at least two distinct values, found the constant "
                f"{present[0]!r}: drop the column"
            )
    else:
        nun = s.nunique(dropna=True)
        if nun == 0:
            raise DataError(
                f"column {name!r}: expected some non-missing values, found none (all missing): "
                "drop the column"
            )
        if nun == 1 and not s.isna().any():
            raise DataError(
                f"column {name!r}: expected at least two distinct values, found the constant "
                f"{s.dropna().iloc[0]!r}: drop the column"
            )


def binary_flag(values: Any, name: str) -> Int8Array:
    """A 0/1 flag (1 = bad/default) with no missing values; one class only is allowed.

    Unlike :func:`check_target`, a sample with no defaults
    (or only defaults) is accepted: calibration and strategy tables need it.
    """
    s = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values).ravel())
    n_missing = int(s.isna().sum())
    if n_missing:
        raise DataError(f"{name}: expected 0/1 with 1 = bad, found {n_missing} missing values")
    numeric = pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype)
    if not numeric:
        shown = sorted(map(str, pd.unique(s)))[:10]
        raise DataError(f"{name}: expected 0/1 with 1 = bad, found values {shown}")
    arr = np.asarray(s, dtype=np.float64)
    odd = ~np.isin(arr, (0.0, 1.0))
    if odd.any():
        odd_values = sorted({float(v) for v in arr[odd]})[:10]
        raise DataError(
            f"{name}: expected 0/1 with 1 = bad, found {int(odd.sum())} other values, "
            f"e.g. {odd_values}"
        )
    return arr.astype(np.int8)
