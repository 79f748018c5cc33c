"""Fine classes of numbers as stored (float16/32, narrow integers) equal those of the
float64 values the value rule reads them as."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard._analyze.feature import _check_numbers, _numbers
from scorecard._analyze.fine import FineClasses, fine_numeric
from scorecard._core.validation import check_feature, numeric_values
from scorecard.exceptions import DataError


@st.composite
def columns(draw: st.DrawFn) -> tuple[pd.Series, list[float], np.ndarray, np.ndarray | None]:
    """A column of floats or integers (ties, NaN, special codes), a target, weights."""
    dtype = draw(
        st.sampled_from(
            [np.float16, np.float32, np.float64, np.int8, np.int16, np.uint16, np.int32]
        )
    )
    n = draw(st.integers(2, 120))
    style = draw(st.sampled_from(["few", "close", "decimals", "wide", "big"]))
    if style == "few":
        base = draw(st.lists(st.integers(-5, 40), min_size=1, max_size=8))
    elif style == "close":  # neighbours one cent apart: boundaries at the stored values
        base = draw(st.lists(st.integers(0, 300).map(lambda k: k / 100), min_size=1, max_size=60))
    elif style == "decimals":
        base = draw(st.lists(st.decimals(-100, 100, places=3).map(float), min_size=1, max_size=60))
    elif style == "wide":
        base = draw(st.lists(st.integers(-(10**6), 10**6), min_size=1, max_size=60))
    else:  # integers beyond float32's exact range, and spanning more than the lookup range
        base = draw(st.lists(st.integers(-(2**26), 2**26), min_size=1, max_size=60))
    pick = draw(st.lists(st.integers(0, len(base) - 1), min_size=n, max_size=n))
    values = np.asarray([base[i] for i in pick], dtype=np.float64)
    kind = np.dtype(dtype).kind
    if kind in "iu":
        info = np.iinfo(dtype)
        values = np.clip(np.round(values), info.min, info.max)
    else:
        with np.errstate(over="ignore"):
            values = values.astype(dtype).astype(np.float64)
        values[~np.isfinite(values)] = 0.0
        if draw(st.booleans()):
            values[draw(st.lists(st.integers(0, n - 1), max_size=n // 3))] = np.nan
    col = pd.Series(values.astype(dtype))
    specials = draw(
        st.lists(st.sampled_from([*base[:3], -1.0, 0.1, 999.0]), max_size=2, unique=True)
    )
    y = np.asarray(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)), dtype=np.int8)
    w = None
    if draw(st.booleans()):
        w = np.asarray(
            draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.5]), min_size=n, max_size=n))
        )
    return col, [float(s) for s in specials], y, w


def _same(a: FineClasses, b: FineClasses) -> None:
    assert a.edges == b.edges
    assert a.specials == b.specials
    for field in ("goods", "bads", "special_goods", "special_bads"):
        assert getattr(a, field) == getattr(b, field), field
    assert (a.missing_goods, a.missing_bads) == (b.missing_goods, b.missing_bads)


@settings(max_examples=400, deadline=None)
@given(columns(), st.sampled_from([3, 10, 30]))
def test_fine_classes_of_stored_numbers_are_those_of_their_values(
    case: tuple[pd.Series, list[float], np.ndarray, np.ndarray | None], n_fine: int
) -> None:
    col, specials, y, w = case
    stored = _numbers(col, "x")
    wide = numeric_values(col, "x")  # float64 by the value rule (narrow floats widened)
    assert stored.dtype == col.dtype
    # the feature checks: the same error, or none, as on the widened column
    expected = _error(lambda: check_feature(pd.Series(wide), "x", "numeric", specials))
    assert _error(lambda: _check_numbers(stored, "x", specials)) == expected
    if expected is None:
        _same(
            fine_numeric(stored, y, w, n_fine=n_fine, specials=specials),
            fine_numeric(wide, y, w, n_fine=n_fine, specials=specials),
        )


def _error(run: Callable[[], None]) -> str | None:
    try:
        run()
    except DataError as exc:
        return str(exc)
    return None


@pytest.mark.parametrize("dtype", ["float16", "float32", "int16"])
def test_stored_numbers_are_checked_as_their_values(dtype: str) -> None:
    """Constant, all missing or special, and infinite columns: the value rule's errors."""
    with pytest.raises(
        DataError, match=r"found the constant np.float64\(0.1\)|constant np.float64\(0.0\)"
    ):
        _check_numbers(
            np.full(5, 0.1, dtype=dtype) if dtype != "int16" else np.zeros(5, dtype), "x", []
        )
    with pytest.raises(DataError, match="non-special values, found none"):
        _check_numbers(np.asarray([7, 7, 7], dtype=dtype), "x", [7.0])
    if dtype != "int16":
        with pytest.raises(DataError, match="found 2 infinite values"):
            _check_numbers(np.asarray([1.0, np.inf, -np.inf], dtype=dtype), "x", [])
        with pytest.raises(DataError, match="all missing"):
            _check_numbers(np.asarray([np.nan, 0.1], dtype=dtype), "x", [0.1])


@st.composite
def float64_columns(draw: st.DrawFn) -> tuple[np.ndarray, list[float]]:
    """float64 values with ties, neighbours closer than float32 tells apart, values beyond
    float32's range, zeros of both signs, NaN and special codes."""
    base = draw(
        st.lists(
            st.one_of(
                st.floats(-1e6, 1e6, allow_nan=False),
                st.sampled_from([0.0, -0.0, 1.0, 1e39, -1e39, 3e300]),
                st.integers(0, 50).map(lambda k: 1.0 + k * 2.0**-40),  # one float32 key
            ),
            min_size=1,
            max_size=40,
        )
    )
    n = draw(st.integers(1, 300))
    pick = draw(st.lists(st.integers(0, len(base) - 1), min_size=n, max_size=n))
    values = np.asarray([base[i] for i in pick], dtype=np.float64)
    if draw(st.booleans()):
        values[draw(st.lists(st.integers(0, n - 1), max_size=n // 3))] = np.nan
    specials = draw(st.lists(st.sampled_from([*base[:2], -1.0]), max_size=2, unique=True))
    return values, specials


@settings(max_examples=500, deadline=None)
@given(float64_columns(), st.sampled_from([1, 2, 5, 30]))
def test_low_memory_edges_are_the_sorted_ones(
    case: tuple[np.ndarray, list[float]], n_fine: int
) -> None:
    """The quantile boundaries found from float32 keys are those of the sorted values."""
    from scorecard._analyze import fine
    from scorecard._analyze.fine import _edges_low_memory, numeric_edges

    x, specials = case
    regular = ~np.isnan(x) & ~np.isin(x, np.asarray(specials, dtype=np.float64))
    expected = numeric_edges(x[regular], None, n_fine) if regular.any() else ()
    assert _edges_low_memory(x, specials, n_fine) == expected
    block = fine._COPY_BLOCK
    try:  # many blocks
        fine._COPY_BLOCK = 7
        assert _edges_low_memory(x, specials, n_fine) == expected
    finally:
        fine._COPY_BLOCK = block
