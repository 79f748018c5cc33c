"""Input validation shared by every public entry point.

Each check raises :class:`~scorecard.exceptions.DataError` naming the column,
what was expected and what was found.  Nothing is modified in place.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard._core.types import FloatArray, Int8Array
from scorecard.exceptions import DataError

Kind = Literal["numeric", "categorical"]


def check_frame(data: Any, what: str = "data") -> pd.DataFrame:
    """A non-empty DataFrame with unique, string column names."""
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
        avail = [str(c) for c in data.columns[:20]]
        more = "" if data.shape[1] <= 20 else f" (and {data.shape[1] - 20} more)"
        raise DataError(
            f"{what}: expected column(s) {missing} to be present, found columns {avail}{more}"
        )


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
    w: Any, data: pd.DataFrame, name: str = "sample_weight"
) -> npt.NDArray[np.float64]:
    """Non-negative finite weights aligned with ``data`` (same length, same index if a Series)."""
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
    """``"numeric"`` for int/float/bool columns, ``"categorical"`` for category/string ones."""
    dt = s.dtype
    if isinstance(dt, pd.CategoricalDtype):
        return "categorical"
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
