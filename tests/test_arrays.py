"""Array namespaces: every scalar primitive gives what the numpy one gives, value by value.

Each test draws values (NaN, infinities and signed zeros included), runs the numpy primitive
on arrays and the scalar primitive on each element, and compares: the same value (NaN equal
to NaN; the sign of a zero too where numpy itself is consistent about it) and the same kind
(bool, integer, float, string).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard._core.arrays import NUMPY, SCALAR

floats = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [0.0, -0.0, math.nan, math.inf, -math.inf, 1.0, -1.0]
)
float_lists = st.lists(floats, min_size=1, max_size=20)
bools = st.lists(st.booleans(), min_size=1, max_size=20)
codes = st.sampled_from(["", "KO01", "KO02", "R_UTIL", "X"])


def _kind(v: Any) -> str:
    if isinstance(v, bool | np.bool_):
        return "bool"
    if isinstance(v, int | np.integer):
        return "int"
    if isinstance(v, float | np.floating):
        return "float"
    if isinstance(v, str):
        return "str"
    return type(v).__name__


def same(array_value: Any, scalar: Any, signed_zero: bool = False) -> bool:
    """The scalar primitive's result equals the numpy one's element (NaN = NaN)."""
    if _kind(array_value) != _kind(scalar):
        return False
    if _kind(scalar) == "float":
        a, b = float(array_value), float(scalar)
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        if signed_zero and a == 0.0 and math.copysign(1, a) != math.copysign(1, b):
            return False
        return a == b
    return bool(array_value == scalar)


def check_unary(name: str, xs: list[float], signed_zero: bool = False) -> None:
    out = getattr(NUMPY, name)(np.array(xs, dtype=np.float64))
    for x, o in zip(xs, out, strict=True):
        assert same(o, getattr(SCALAR, name)(x), signed_zero), (name, x, o)


def check_binary(name: str, pairs: list[tuple[float, float]], signed_zero: bool = False) -> None:
    a = np.array([p[0] for p in pairs], dtype=np.float64)
    b = np.array([p[1] for p in pairs], dtype=np.float64)
    out = getattr(NUMPY, name)(a, b)
    for (x, y), o in zip(pairs, out, strict=True):
        assert same(o, getattr(SCALAR, name)(x, y), signed_zero), (name, x, y, o)


@given(float_lists)
def test_isnan_isinf_logical_not(xs: list[float]) -> None:
    check_unary("isnan", xs)
    check_unary("isinf", xs)
    flags = [x > 0 for x in xs]
    out = NUMPY.logical_not(np.array(flags))
    assert [bool(o) for o in out] == [SCALAR.logical_not(f) for f in flags]


@given(float_lists)
def test_floor_keeps_nan_inf_and_the_sign_of_zero(xs: list[float]) -> None:
    check_unary("floor", xs, signed_zero=True)


@given(st.lists(st.tuples(floats, floats), min_size=1, max_size=20))
def test_minimum_maximum_fmin_divide(pairs: list[tuple[float, float]]) -> None:
    check_binary("minimum", pairs)
    check_binary("maximum", pairs)
    check_binary("fmin", pairs)
    check_binary("divide", pairs, signed_zero=True)


@given(st.lists(st.tuples(st.integers(-2, 2), st.integers(-2, 2)), min_size=1, max_size=20))
def test_minimum_of_codes_stays_an_integer(pairs: list[tuple[int, int]]) -> None:
    out = NUMPY.minimum(np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs]))
    for (x, y), o in zip(pairs, out, strict=True):
        assert same(o, SCALAR.minimum(x, y))


@given(
    st.lists(float_lists, min_size=1, max_size=5).filter(lambda ls: len({len(x) for x in ls}) == 1)
)
def test_fmin_reduce(lists: list[list[float]]) -> None:
    out = NUMPY.fmin_reduce([np.array(x, dtype=np.float64) for x in lists])
    for i, o in enumerate(out):
        assert same(o, SCALAR.fmin_reduce([x[i] for x in lists]))


@given(bools, floats, floats)
def test_where(conds: list[bool], a: float, b: float) -> None:
    out = NUMPY.where(np.array(conds), a, b)
    for c, o in zip(conds, out, strict=True):
        assert same(o, SCALAR.where(c, a, b), signed_zero=True)
    labels = NUMPY.where(np.array(conds), "approve", "refer")
    assert [str(x) for x in labels] == [SCALAR.where(c, "approve", "refer") for c in conds]


@given(bools)
def test_any(flags: list[bool]) -> None:
    assert NUMPY.any(np.array(flags)) == any(SCALAR.any(f) for f in flags)
    assert isinstance(NUMPY.any(np.array(flags)), bool)
    assert isinstance(SCALAR.any(flags[0]), bool)


@given(float_lists, st.lists(st.sampled_from([1.0, 2.0, -0.0, math.inf, math.nan]), max_size=4))
def test_isin_numbers(xs: list[float], values: list[float]) -> None:
    out = NUMPY.isin(np.array(xs, dtype=np.float64), tuple(values))
    for x, o in zip(xs, out, strict=True):
        assert same(o, SCALAR.isin(x, tuple(values))), (x, values)


@given(
    st.lists(st.sampled_from(["a", "b", "c", None]), min_size=1, max_size=10),
    st.lists(st.sampled_from(["a", "c", "z"]), min_size=1, max_size=3),
)
def test_isin_strings_with_missing(xs: list[str | None], values: list[str]) -> None:
    out = NUMPY.isin(np.array(xs, dtype=object), tuple(values))
    for x, o in zip(xs, out, strict=True):
        assert same(o, SCALAR.isin(x, tuple(values)))


@given(
    st.lists(st.sampled_from([-math.inf, -1.0, 0.0, 2.5, 2.5, 7.0, math.inf]), max_size=6).map(
        sorted
    ),
    float_lists,
    st.sampled_from(["left", "right"]),
)
def test_searchsorted(edges: list[float], xs: list[float], side: str) -> None:
    out = NUMPY.searchsorted(NUMPY.table(edges), np.array(xs, dtype=np.float64), side)
    for x, o in zip(xs, out, strict=True):
        assert int(o) == SCALAR.searchsorted(SCALAR.table(edges), x, side), (edges, x, side)


@given(st.lists(st.tuples(bools, codes), min_size=0, max_size=4))
def test_codes_join_codes_join_select(parts: list[tuple[list[bool], str]]) -> None:
    n = 3
    masks = [(flags * n)[:n] for flags, _ in parts]
    pairs_np = [(np.array(m), c) for m, (_, c) in zip(masks, parts, strict=True)]
    joined = NUMPY.join_codes(pairs_np, n)
    assert joined.shape == (n,) and joined.dtype == object
    for i in range(n):
        pairs = [(m[i], c) for m, (_, c) in zip(masks, parts, strict=True)]
        assert joined[i] == SCALAR.join_codes(pairs, 1)
        assert joined[i] == SCALAR.join([SCALAR.codes(m, c) for m, c in pairs], 1)
        names = [c or "-" for _, c in pairs]
        chosen = NUMPY.select([m for m, _ in pairs_np], names, NUMPY.full(n, "cap"))
        assert str(chosen[i]) == SCALAR.select([m for m, _ in pairs], names, "cap")
    strings = [NUMPY.codes(m, c) for m, c in pairs_np]
    for i, value in enumerate(NUMPY.join(strings, n)):
        assert value == SCALAR.join([s[i] for s in strings], 1)


@given(st.lists(st.sampled_from(["", "R1", "R;2", "a;"]), min_size=1, max_size=6))
def test_contains(xs: list[str]) -> None:
    out = NUMPY.contains(np.array(xs, dtype=object), ";")
    assert [bool(o) for o in out] == [SCALAR.contains(x, ";") for x in xs]


def test_full_table_asindex() -> None:
    assert NUMPY.full(3, "").dtype == object and SCALAR.full(3, "") == ""
    assert NUMPY.full(2, math.nan).dtype == np.float64
    assert SCALAR.full(1, False) is False
    assert NUMPY.table([1.0, math.nan]).dtype == np.float64
    assert NUMPY.table(["A", None]).dtype == object
    assert SCALAR.table([0.5, 0.25])[-1] == 0.25  # index -1: the "no grade" slot
    assert NUMPY.asindex(np.int64(2)) == SCALAR.asindex(np.int64(2)) == 2
    assert type(SCALAR.asindex(np.int64(2))) is int


@pytest.mark.parametrize("xp", [NUMPY, SCALAR], ids=["numpy", "scalar"])
def test_namespaces_are_named(xp: Any) -> None:
    assert xp.name in ("numpy", "scalar")
