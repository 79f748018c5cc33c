"""One applicant as a mapping: the record path gives exactly the numbers of the batch path.

``Scorecard.score_record`` and ``CreditPolicy.decide_one(mapping, model=card)`` score a dict
in plain Python.  Random records (missing values of every kind, special codes, cut points,
unseen categories, numpy scalars of every width, decimals, booleans) must give identical
score, PD, model PD, raw score, reasons, grade, decision and limit through the record path,
a one-row frame and inside a larger batch.

Known batch defects
-------------------
The batch side refuses or mis-bins some inputs today; they are being fixed on another
branch.  Each is kept out of the *frame* comparisons where it applies (the record path is
still checked against the float64 form of the same values, which the batch path handles),
and is named in :data:`KNOWN_DEFECTS`; remove a name once its fix is merged and the tests
cover the class again.

* ``"narrow_ints"``: int8 and int16 columns spanning more than their positive range overflow
  in the batch path's integer lookup (``iv - lo`` wraps around) and bin wrongly.
* ``"one_row_missing_category"``: a one-row frame whose categorical value is missing
  (``IndexError`` in ``FeatureBinning.bin_index``: no level to look up).
* ``"object_numbers"``: a numeric characteristic in an object column is refused
  ("expected numbers ... found dtype object"): None in a one-row frame, ``pd.NA`` and
  ``pd.NaT`` (object or datetime columns), ``Decimal`` values, booleans with a missing value.
* ``"nullable"``: a nullable ``Int64`` column with ``<NA>`` ("cannot convert float NaN to
  integer"; ``Float64`` and ``boolean`` columns with ``<NA>`` already work).

Two differences come from pandas, not from the library, and are kept out for that reason:
a categorical column of integers with a missing value becomes float64 in pandas (its levels
read ``"1.0"``, the dict's ``"1"``), and a float32 categorical column is factorized as float64
(``"0.10000000149011612"``, the dict's ``str(np.float32(0.1))`` is ``"0.1"``).
"""

from __future__ import annotations

import decimal
import functools
import math
import threading
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from scorecard import BinningSpec, GradeScale, bin_features
from scorecard._analyze.feature import FeatureBinning
from scorecard._core.arrays import NUMPY, SCALAR
from scorecard._core.validation import is_missing as is_missing_value
from scorecard._core.validation import level_name, real_number
from scorecard._model.reasons import ReasonCatalog, ReasonCode
from scorecard._model.record import RecordScore
from scorecard._model.scorecard import Scorecard
from scorecard.exceptions import DataError, SpecificationError
from scorecard.policy import CreditPolicy, NeedLimit, Rule, ScoreCutoffs, ScoringModel, Terms
from scorecard.policy._inputs import RecordScoringModel

#: batch defects being fixed elsewhere (see the module docstring); remove a name once fixed
#: the records here send unseen categories on purpose (the warning is tested in test_inputs)
pytestmark = pytest.mark.filterwarnings("ignore::scorecard.exceptions.DataWarning")

KNOWN_DEFECTS: frozenset[str] = frozenset()  # every defect found here is fixed (issue 8)

# ---------------------------------------------------------------------------------------------
# A card with every kind of bin: numeric with specials and cut points, missing and a special
# moved into regular bins, categorical with a special code and unseen levels, integer levels
# ---------------------------------------------------------------------------------------------


def _data(seed: int = 3, n: int = 3000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n).round(2)
    x[rng.random(n) < 0.05] = np.nan
    x[rng.random(n) < 0.04] = -999.0
    x[rng.random(n) < 0.03] = -1.0
    k = rng.integers(0, 21, size=n).astype(float)
    k[rng.random(n) < 0.04] = 99.0
    k[rng.random(n) < 0.04] = np.nan
    c = rng.choice(list("abcdef"), size=n, p=[0.3, 0.25, 0.2, 0.15, 0.07, 0.03]).astype(object)
    c[rng.random(n) < 0.03] = "X"
    c[rng.random(n) < 0.03] = None
    m = rng.choice([1, 2, 3, 4], size=n)
    z = np.where(np.abs(x) < 10, np.nan_to_num(x, nan=0.5), 0.0)
    logit = -1.2 + 0.9 * z - 0.05 * np.nan_to_num(k) + 0.6 * (c == "a") + 0.2 * m
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return pd.DataFrame({"x": x, "k": k, "c": pd.Series(c, dtype=object), "m": m, "bad": y})


@functools.cache
def _binning(empty: Any) -> tuple[FeatureBinning, ...]:
    df = _data()
    specs = {
        "x": BinningSpec(special_codes=[-999, -1], empty=empty, max_bins=5),
        "k": BinningSpec(special_codes=[99], empty=empty, max_bins=4),
        "c": BinningSpec(kind="categorical", special_codes=["X"], empty=empty, min_level_count=10),
        "m": BinningSpec(kind="categorical", empty=empty, min_level_count=10),
    }
    b = bin_features(df, "bad", specs=specs)
    k = b["k"].move_special(99, 0).move_missing(1)  # a special and missing in regular bins
    return b["x"], k, b["c"], b["m"]


def _card(allocation: Any = "spread", empty: Any = "worst") -> Scorecard:
    """A new card (its record tables not compiled yet) on a cached binning."""
    x, k, c, m = _binning(empty)
    catalog = ReasonCatalog(
        (
            ReasonCode("x", "RX", "x is low"),
            ReasonCode("c", "RC1", "c is a", attribute=c.labels[0]),
        )
    )
    return Scorecard.from_model(
        [x, k, c, m],
        {"x": -0.9, "k": -0.7, "c": -1.1, "m": -0.5},
        -1.0,
        allocation=allocation,
        reason_catalog=catalog,
    )


CARDS = {a: _card(a) for a in ("spread", "base", "shift")}
CARD = CARDS["spread"]
X_CUTS = [float(v) for v in CARD["x"].binning._cuts]
K_CUTS = [float(v) for v in CARD["k"].binning._cuts]


def _policy(card: Scorecard) -> CreditPolicy:
    scale = GradeScale.from_pd_boundaries([0.2, 0.35, 0.5, 1.0], ["A", "B", "C", "D"], card.scaling)
    return CreditPolicy(
        grade_scale=scale,
        cutoffs=ScoreCutoffs(approve=scale.score_range("B")[0], refer=scale.score_range("C")[0]),
        rules=(Rule("age", "<", 18, code="KO01"),),
        limits=(NeedLimit("need", field="amount"),),
        terms={g: Terms("monthly") for g in scale.names},
        cap=20_000,
        unit=100,
        floor=500,
        n_reasons=3,
    )


POLICIES = {a: _policy(card) for a, card in CARDS.items()}

# ---------------------------------------------------------------------------------------------
# Random values, tagged with the class they belong to
# ---------------------------------------------------------------------------------------------

INT_TYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]


def _ints_of(t: Any, values: st.SearchStrategy[int]) -> st.SearchStrategy[Any]:
    info = np.iinfo(t)
    return values.filter(lambda v: info.min <= v <= info.max).map(t)


def numbers(cuts: list[float], specials: list[float]) -> st.SearchStrategy[Any]:
    """Non-missing values of a numeric characteristic, of every accepted type."""
    floats = st.one_of(
        st.floats(-4, 25, allow_nan=False), st.sampled_from([*cuts, *specials, 0.0, -0.0])
    )
    ints = st.one_of(st.integers(-5, 25), st.sampled_from([int(s) for s in specials]))
    return st.one_of(
        floats,
        floats.map(np.float64),
        floats.map(np.float32),
        ints,
        *(_ints_of(t, ints) for t in INT_TYPES),
        st.booleans(),
        st.booleans().map(np.bool_),
        floats.map(lambda v: decimal.Decimal(repr(v))),
    )


MISSING = st.sampled_from(
    [None, math.nan, np.nan, np.float64("nan"), np.float32("nan"), pd.NA, pd.NaT]
)
LEVELS = st.one_of(
    st.sampled_from(["a", "b", "c", "d", "e", "f", "X", "zz", ""]),
    st.sampled_from(["a", "X", "zz"]).map(np.str_),
)
INT_LEVELS = st.one_of(
    st.sampled_from([1, 2, 3, 4, 7]),
    st.sampled_from([1, 4, 7]).map(np.int64),
    st.sampled_from(["1", "2", "9"]),
    st.sampled_from([2.0, 2.5]),
    st.booleans(),
)


def maybe_missing(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(values, MISSING)


@st.composite
def records(draw: Any) -> dict[str, Any]:
    """One applicant: the card's characteristics and the policy's fields (and an extra)."""
    return {
        "x": draw(maybe_missing(numbers(X_CUTS, [-999.0, -1.0]))),
        "k": draw(maybe_missing(numbers(K_CUTS, [99.0]))),
        "c": draw(maybe_missing(LEVELS)),
        "m": draw(maybe_missing(INT_LEVELS)),
        "age": draw(st.sampled_from([17, 30, 45.5])),
        "amount": draw(st.sampled_from([300, 2_500.0, 50_000])),
        "unused": draw(st.sampled_from(["anything", None, object()])),
    }


def canonical(rec: dict[str, Any]) -> dict[str, Any]:
    """The same applicant with float64/NaN numbers and str/None levels (the value rule)."""
    out = dict(rec)
    for name in ("x", "k"):
        v = rec[name]
        out[name] = real_number(v, name)
    for name in ("c", "m"):
        v = rec[name]
        out[name] = None if is_missing_value(v) else level_name(v)
    return out


# ---------------------------------------------------------------------------------------------
# Comparing the paths
# ---------------------------------------------------------------------------------------------


def _batch(card: Scorecard, frame: pd.DataFrame, n: int, baseline: str) -> list[tuple[Any, ...]]:
    score, pd_ = card.score_and_pd(frame)
    raw = card.raw_score(frame)
    model_pd = card.predict_pd(frame)
    codes = card.reason_codes(frame, n=n, baseline=baseline)  # type: ignore[arg-type]
    out = []
    for i in range(len(frame)):
        reasons = tuple(c for c in codes.iloc[i] if isinstance(c, str))  # None (or NaN)
        out.append((int(score[i]), float(pd_[i]), float(model_pd[i]), float(raw[i]), reasons))
    return out


def _record(card: Scorecard, rec: dict[str, Any], n: int, baseline: str) -> tuple[Any, ...]:
    r = card.score_record(rec, reasons=n, baseline=baseline)  # type: ignore[arg-type]
    assert isinstance(r.score, int) and type(r.pd) is float and type(r.model_pd) is float
    return (r.score, r.pd, r.model_pd, r.raw_score, r.reasons)


def _one_row_defect(rec: dict[str, Any]) -> str | None:
    """The known defect a one-row frame of ``rec`` runs into, if any."""
    if "object_numbers" in KNOWN_DEFECTS:
        for name in ("x", "k"):  # an object (or datetime) column of one value
            v = rec[name]
            if v is None or v is pd.NA or v is pd.NaT or isinstance(v, decimal.Decimal):
                return "object_numbers"
    if "one_row_missing_category" in KNOWN_DEFECTS and (
        is_missing_value(rec["c"]) or is_missing_value(rec["m"])
    ):
        return "one_row_missing_category"
    return None


BASELINE = st.sampled_from(["max", "neutral", "mean"])
ALLOCATION = st.sampled_from(list(CARDS))


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(records(), st.integers(0, 5), BASELINE, ALLOCATION)
def test_record_equals_its_float64_form_and_a_one_row_frame(
    rec: dict[str, Any], n: int, baseline: str, allocation: str
) -> None:
    card, policy = CARDS[allocation], POLICIES[allocation]
    got = _record(card, rec, n, baseline)
    # the value's type never changes the numbers: the float64 / str form scores the same
    assert got == _record(card, canonical(rec), n, baseline)
    decision = policy.decide_one(rec, model=card)
    assert decision == policy.decide_one(canonical(rec), model=card)
    assert decision.score == got[0] and decision.pd == max(got[1], policy.grade_scale.pd_floor)
    if _one_row_defect(rec) is None:
        frame = pd.DataFrame([rec])
        if n:
            assert got == _batch(card, frame, n, baseline)[0]
        else:
            assert got[:4] == _batch(card, frame, 1, baseline)[0][:4]
        assert [decision] == policy.records(policy.decide(frame, model=card))


# A batch: each column holds one type of value (and, for some, missing values), as a column
# of a real frame does.  The forms a known defect breaks are listed apart.


def _column(draw: Any, values: st.SearchStrategy[Any], n: int, missing: list[Any]) -> list[Any]:
    out = draw(st.lists(values, min_size=n, max_size=n))
    if missing:
        for i in draw(st.lists(st.integers(0, n - 1), max_size=n // 2)):
            out[i] = draw(st.sampled_from(missing))
    return out


#: a column form: its values, the missing values it may hold, the known defect it runs into
Form = tuple[st.SearchStrategy[Any], list[Any], str | None]


def _number_forms(cuts: list[float], specials: list[float]) -> list[Form]:
    floats = st.one_of(st.floats(-4, 25, allow_nan=False), st.sampled_from([*cuts, *specials]))
    ints = st.one_of(st.integers(-5, 25), st.sampled_from([int(s) for s in specials]))
    # int8 values spanning more than 127 (the narrow-dtype overflow): codes that fit an int8
    wide = st.one_of(
        st.integers(-5, 25),
        st.sampled_from([int(s) for s in specials if -128 <= s < 128]),
        st.sampled_from([-100, 100]),
    )
    return [
        (floats, [], None),
        (floats, [None, math.nan, np.nan], None),  # float64 with NaN
        (floats.map(np.float64), [np.float64("nan")], None),
        (floats.map(np.float32), [], None),  # float32
        (floats.map(np.float32), [np.float32("nan")], None),
        (ints, [], None),  # int64
        (ints, [None], None),  # float64 with NaN
        (ints.map(np.int64), [math.nan], None),
        (_ints_of(np.uint64, ints), [], None),
        (_ints_of(np.int8, ints), [], None),  # int8 over a range that cannot overflow
        (st.booleans(), [], None),  # bool
        (ints.map(np.int16), [], None),
        (_ints_of(np.uint16, ints), [], None),
        (wide.map(np.int8), [], "narrow_ints"),  # may span more than 127: overflows
        (floats, [pd.NA], "object_numbers"),
        (floats, [pd.NaT], "object_numbers"),
        (floats.map(lambda v: decimal.Decimal(repr(v))), [], "object_numbers"),
        (st.booleans(), [None], "object_numbers"),
        (st.one_of(ints, st.booleans()), [], "object_numbers"),  # numbers and booleans
    ]


def _level_forms() -> list[Form]:
    return [
        (LEVELS, [], None),
        (LEVELS, [None, math.nan, pd.NA, pd.NaT], None),
    ]


def _int_level_forms() -> list[Form]:
    # not here (pandas, not the library): integers with a missing value (a float64 column
    # whose levels read "1.0") and float32 levels (factorized as float64)
    return [
        (st.sampled_from([1, 2, 3, 4, 7]), [], None),
        (st.sampled_from([1, 4, 7]).map(np.int64), [], None),
        (st.booleans(), [], None),
        (st.sampled_from(["1", "2", "9"]), [None, math.nan], None),
        (st.sampled_from([2.0, 2.5, 3.0]), [math.nan], None),
    ]


@st.composite
def batches(draw: Any) -> list[dict[str, Any]]:
    n = draw(st.integers(2, 40))
    cols: dict[str, list[Any]] = {}
    for name, forms in (
        ("x", _number_forms(X_CUTS, [-999.0, -1.0])),
        ("k", _number_forms(K_CUTS, [99.0])),
        ("c", _level_forms()),
        ("m", _int_level_forms()),
    ):
        usable = [f for f in forms if f[2] is None or f[2] not in KNOWN_DEFECTS]
        values, missing, _ = draw(st.sampled_from(usable))
        cols[name] = _column(draw, values, n, missing)
    # a column of missing categories only is the one-row defect, in a batch
    for name in ("c", "m"):
        if "one_row_missing_category" in KNOWN_DEFECTS and all(
            is_missing_value(v) for v in cols[name]
        ):
            cols[name][0] = "a" if name == "c" else "1"
    cols["age"] = draw(st.lists(st.sampled_from([17, 30, 45]), min_size=n, max_size=n))
    cols["amount"] = draw(st.lists(st.sampled_from([300.0, 2_500.0]), min_size=n, max_size=n))
    return [{k: v[i] for k, v in cols.items()} for i in range(n)]


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(batches(), st.integers(1, 5), BASELINE, ALLOCATION)
def test_records_equal_the_rows_of_a_batch(
    rows: list[dict[str, Any]], n: int, baseline: str, allocation: str
) -> None:
    card, policy = CARDS[allocation], POLICIES[allocation]
    frame = pd.DataFrame(rows)
    assert [_record(card, r, n, baseline) for r in rows] == _batch(card, frame, n, baseline)
    table = policy.decide(frame, model=card)
    assert [policy.decide_one(r, model=card) for r in rows] == policy.records(table)


# ---------------------------------------------------------------------------------------------
# A column's dtype never changes the bin (frames built with explicit dtypes)
# ---------------------------------------------------------------------------------------------

NUMERIC_DTYPES = [
    # (dtype, values (None = missing), the known defect or None)
    ("float64", [0.3, -999.0, None, 2.0, -1.0, X_CUTS[0], 24.0], None),
    ("float32", [0.3, -999.0, None, 2.0, -1.0, X_CUTS[0], 24.0], None),
    ("object", [0.3, -999.0, None, 2.0, -1.0, X_CUTS[0], 24.0], "object_numbers"),
    ("object", [decimal.Decimal("0.3"), decimal.Decimal("-999"), None], "object_numbers"),
    ("Float64", [0.3, -999.0, None, 2.0, -1.0], None),
    ("Int64", [3, -999, None, 2, -1, 24], "nullable"),
    ("boolean", [True, False, None], None),
    ("bool", [True, False], None),
    ("int64", [3, -999, 2, -1, 24, 5000], None),
    ("uint64", [3, 2, 24, 5000], None),
    ("int32", [3, -999, 2, -1, 24, 5000], None),
    ("uint8", [3, 2, 24, 255], None),
    ("uint16", [3, 2, 24, 5000], None),
    ("uint32", [3, 2, 24, 5000], None),
    ("int8", [3, -1, 2, 24], None),  # a narrow range: no overflow
    # int8 and int16 columns spanning more than their positive range overflow in the
    # batch path's integer lookup (iv - lo): 28 - (-100) wraps to -128 and 28 is binned as -27
    ("int8", [3, -100, 28, 100, -1], "narrow_ints"),
    ("int16", [3, -20_000, 28, 20_000, -999], "narrow_ints"),
]


@pytest.mark.parametrize(
    ("dtype", "values"),
    [
        pytest.param(d, v, id=f"{d}-{i}")
        for i, (d, v, defect) in enumerate(NUMERIC_DTYPES)
        if defect is None or defect not in KNOWN_DEFECTS
    ],
)
def test_numeric_dtype_never_changes_the_bin(dtype: str, values: list[Any]) -> None:
    n = len(values)
    base = {"k": [5.0] * n, "c": ["a"] * n, "m": [1] * n}
    if dtype in ("Float64", "Int64", "boolean"):
        col: Any = pd.array(values, dtype=dtype)
    elif dtype == "object":
        col = np.asarray(values, dtype=object)
    else:
        col = np.asarray([np.nan if v is None else v for v in values]).astype(dtype)
    frame = pd.DataFrame({"x": col, **base})
    # the float64 form of the values (a float32 reads as the decimal it prints: -0.93, not
    # -0.9300000072; the value rule)
    held = [np.nan if v is None else float(v) for v in values]
    floats = pd.DataFrame({"x": held, **base})
    expected = _batch(CARD, floats, 4, "max")
    assert _batch(CARD, frame, 4, "max") == expected
    # the record path: with the values as given, and with the column's own scalars
    given_ = [
        {"x": v if dtype != "float32" else h, "k": 5.0, "c": "a", "m": 1}
        for v, h in zip(values, held, strict=True)
    ]
    assert [_record(CARD, r, 4, "max") for r in given_] == expected
    cells = [{c: frame[c].iloc[i] for c in frame.columns} for i in range(n)]
    assert [_record(CARD, r, 4, "max") for r in cells] == expected


# ---------------------------------------------------------------------------------------------
# The value rule, one value at a time
# ---------------------------------------------------------------------------------------------

BASE = {"x": 0.3, "k": 5, "c": "a", "m": 2}


@pytest.mark.parametrize(
    "value", [None, math.nan, np.nan, np.float32("nan"), np.float64("nan"), pd.NA, pd.NaT]
)
def test_missing_values_go_to_the_missing_bin(value: Any) -> None:
    for name in ("x", "k", "c", "m"):
        r = CARD.score_record({**BASE, name: value})
        j = CARD.names.index(name)
        fb = CARD[name].binning
        assert r.missing == (name,) and r.special == () and r.unseen == ()
        assert r.points[j] == CARD[name].points[fb.missing_index]
        assert r.attributes[j] == fb.labels[fb.missing_index]  # "Missing", or where it moved
    assert CARD.score_record({**BASE, "k": None}).attributes[1] == "[2, 10) | Missing"


@pytest.mark.parametrize(
    "value",
    [
        3,
        3.0,
        True,
        np.int8(3),
        np.uint16(3),
        np.int64(3),
        np.uint64(3),
        np.float32(3.0),
        np.float64(3.0),
        np.bool_(True),
        decimal.Decimal("3"),
    ],
)
def test_every_real_number_type_bins_by_its_float_value(value: Any) -> None:
    got = CARD.score_record({**BASE, "x": value}, reasons=4)
    assert got == CARD.score_record({**BASE, "x": float(value)}, reasons=4)


def test_special_codes_are_compared_on_the_float_value() -> None:
    for v in (-999, -999.0, np.int16(-999), np.float32(-999), decimal.Decimal("-999.000")):
        r = CARD.score_record({**BASE, "x": v})
        assert r.special == ("x",) and r.attributes[0] == "Special -999"
    r = CARD.score_record({**BASE, "k": np.uint8(99)})  # a special moved into bin 0
    assert r.special == ("k",) and r.attributes[1] == "[-inf, 2) | Special 99"
    r = CARD.score_record({**BASE, "c": "X"})
    assert r.special == ("c",) and r.attributes[2] == "Special 'X'"


def test_a_value_on_a_cut_point_goes_to_the_upper_bin() -> None:
    fb = CARD["x"].binning
    for j, cut in enumerate(X_CUTS):
        r = CARD.score_record({**BASE, "x": cut})
        assert r.attributes[0] == fb.labels[j + 1]
        r = CARD.score_record({**BASE, "x": math.nextafter(cut, -math.inf)})
        assert r.attributes[0] == fb.labels[j]


@pytest.mark.parametrize(
    ("value", "found"),
    [
        ("0.3", "found str '0.3'"),
        (b"1", "found bytes b'1'"),
        (1 + 2j, "found complex"),
        (np.complex128(1), "found complex128"),
        ([1], "found list"),
        (object(), "found object"),
        (np.datetime64("2020-01-01"), "found datetime64"),
        (np.timedelta64(5, "D"), "found timedelta64"),
        (decimal.Decimal("sNaN"), "found Decimal"),
    ],
)
def test_a_numeric_characteristic_refuses_what_is_not_a_real_number(value: Any, found: str) -> None:
    with pytest.raises(DataError, match=rf"column 'x': expected numbers .*{found}"):
        CARD.score_record({**BASE, "x": value})


@pytest.mark.parametrize(
    "value", [math.inf, -math.inf, np.float32("inf"), decimal.Decimal("-Infinity"), 10**400]
)
def test_infinite_numbers_are_refused(value: Any) -> None:
    with pytest.raises(DataError, match="column 'k': expected finite numbers or NaN"):
        CARD.score_record({**BASE, "k": value})
    frame = pd.DataFrame([{**BASE, "k": math.inf}])
    with pytest.raises(DataError, match="column 'k': expected finite numbers"):
        CARD.score(frame)


def test_categorical_levels_are_named_by_the_level_rule() -> None:
    m = CARD.names.index("m")
    assert CARD.score_record({**BASE, "m": 2}) == CARD.score_record({**BASE, "m": "2"})
    assert CARD.score_record({**BASE, "m": np.int64(2)}).unseen == ()
    # a number equal to an integer names that integer, whatever its type
    assert CARD.score_record({**BASE, "m": 2.0}) == CARD.score_record({**BASE, "m": 2})
    for unseen in ("2.0", 7, True, "x"):
        r = CARD.score_record({**BASE, "m": unseen})
        assert r.unseen == ("m",) and r.attributes[m] == "Unseen"
        # the stored treatment: "worst" gives the characteristic's lowest points
        assert r.points[m] == CARD["m"].min_points
    assert CARD.score_record({**BASE, "c": np.str_("a")}) == CARD.score_record(BASE)


@pytest.mark.filterwarnings("ignore::scorecard.exceptions.DataWarning")  # unseen on purpose
def test_neutral_unseen_treatment() -> None:
    card = _card(empty="neutral")
    r = card.score_record({**BASE, "c": "never seen"})
    assert r.unseen == ("c",) and r.points[2] == card["c"].points[-1]
    frame = pd.DataFrame([{**BASE, "c": "never seen"}])
    assert (r.score, r.pd) == tuple(v[0] for v in card.score_and_pd(frame))


def test_error_treatment_refuses_like_the_batch_path() -> None:
    card = _card(empty="error")
    rec = {**BASE, "c": "never seen"}
    with pytest.raises(DataError, match=r"column 'c': 1 value\(s\) .* treatment is 'error'") as one:
        card.score_record(rec)
    with pytest.raises(
        DataError, match=r"column 'c': 1 value\(s\) .* treatment is 'error'"
    ) as frame:
        card.score(pd.DataFrame([rec]))
    assert str(one.value) == str(frame.value)
    policy = _policy(card)
    with pytest.raises(DataError, match="treatment is 'error'"):
        policy.decide_one({**rec, "age": 30, "amount": 1_000}, model=card)
    assert card.score_record(BASE).unseen == ()  # known values still score


def test_absent_characteristics_are_named() -> None:
    with pytest.raises(DataError, match=r"expected field\(s\) \['k', 'm'\] to be present"):
        CARD.score_record({"x": 1.0, "c": "a"})
    policy = POLICIES["spread"]
    with pytest.raises(DataError, match=r"\['k', 'm'\]"):
        policy.decide_one({"x": 1.0, "c": "a", "age": 30, "amount": 1_000}, model=CARD)
    with pytest.raises(DataError, match=r"\['age'\]"):
        policy.decide_one({**BASE, "amount": 1_000}, model=CARD)


def test_bad_arguments() -> None:
    with pytest.raises(DataError, match="expected a mapping .* found list"):
        CARD.score_record([("x", 1.0)])  # type: ignore[arg-type]
    for n in (-1, 1.5, True, "2"):
        with pytest.raises(SpecificationError, match="expected reasons >= 0"):
            CARD.score_record(BASE, reasons=n)  # type: ignore[arg-type]
    with pytest.raises(SpecificationError, match="expected baseline in"):
        CARD.score_record(BASE, reasons=1, baseline="min")  # type: ignore[arg-type]


def test_is_missing_value_and_real_number() -> None:
    assert all(map(is_missing_value, [None, math.nan, np.float16("nan"), pd.NA, pd.NaT]))
    assert not any(
        map(is_missing_value, [0, "", "nan", decimal.Decimal("1"), np.datetime64(1, "D")])
    )
    assert type(is_missing_value(np.float32("nan"))) is bool
    assert real_number(np.uint64(2**64 - 1), "x") == float(2**64 - 1)
    assert math.isnan(real_number(decimal.Decimal("NaN"), "x"))  # a NaN: the missing bin


# ---------------------------------------------------------------------------------------------
# The bin rules are written once for arrays and one value
# ---------------------------------------------------------------------------------------------


@given(
    arrays(
        np.float64,
        st.integers(1, 50),
        elements=st.one_of(
            st.floats(-5, 30, allow_nan=False),
            st.sampled_from([math.nan, -999.0, -1.0, 99.0, *X_CUTS, *K_CUTS]),
        ),
    )
)
def test_number_rule_equals_the_batch_index_for_arrays_and_for_one_value(v: np.ndarray) -> None:
    for name in ("x", "k"):
        fb: FeatureBinning = CARD[name].binning
        expected = fb._numeric_index(v)
        np.testing.assert_array_equal(fb._number_bins(v, NUMPY), expected)
        assert [fb._number_bins(float(e), SCALAR) for e in v] == expected.tolist()


def test_level_rule_equals_the_batch_index() -> None:
    for name in ("c", "m"):
        fb = CARD[name].binning
        levels = [*(lv for grp in fb.fine.levels for lv in grp), "X", "zz", "1", "2.0"]
        expected = fb.bin_index(pd.Series(levels, dtype=object)).tolist()
        assert [fb._level_bin(lv) for lv in levels] == expected


# ---------------------------------------------------------------------------------------------
# The result, the card's cache, threads
# ---------------------------------------------------------------------------------------------


def test_result_holds_what_a_system_stores() -> None:
    rec = {**BASE, "x": None, "k": 99, "m": 9}
    r = CARD.score_record(rec, reasons=4)
    assert isinstance(r, RecordScore)
    assert r.names == CARD.names and len(r.points) == len(r.attributes) == 4
    assert r.score == CARD.base_points + sum(r.points)
    assert (r.missing, r.special, r.unseen) == (("x",), ("k",), ("m",))
    assert r.pd == float(CARD.scaling.pd_from_score(r.score))
    assert abs(r.raw_score - r.score) <= CARD.rounding_bound + 1e-9
    table = CARD.reason_table(pd.DataFrame([canonical(rec)]), n=4)
    assert list(r.reason_texts) == table["text"].tolist()
    assert list(r.reasons) == table["code"].tolist()
    d = r.to_dict()
    assert d["reasons"] == list(r.reasons) and d["score"] == r.score
    import json

    assert json.loads(json.dumps(d)) == d


def test_the_card_compiles_once_and_a_loaded_card_scores_the_same(tmp_path: Any) -> None:
    card = _card()
    assert card._record is card._record
    loaded = Scorecard.load(card.save(tmp_path / "card.json"))
    for rec in ({**BASE}, {**BASE, "x": None, "c": "zz"}, {**BASE, "k": 99}):
        assert loaded.score_record(rec, reasons=3) == card.score_record(rec, reasons=3)


def test_threads_share_one_card() -> None:
    card = _card()  # compiled by whichever thread comes first
    recs = [{**BASE, "x": float(v), "k": v % 25} for v in range(-3, 27)]
    expected = [CARD.score_record(r, reasons=2) for r in recs]
    results: list[list[RecordScore]] = [[] for _ in range(4)]

    def work(i: int) -> None:
        results[i] = [card.score_record(r, reasons=2) for r in recs for _ in range(20)][::20]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results)


# ---------------------------------------------------------------------------------------------
# The policy with a model, one applicant: no frame
# ---------------------------------------------------------------------------------------------


def test_decide_one_with_a_card_builds_no_frame(monkeypatch: pytest.MonkeyPatch) -> None:
    policy = POLICIES["spread"]
    rec = {**BASE, "x": -999, "c": "zz", "age": 30, "amount": 2_000}
    expected = policy.decide_one(rec, model=CARD)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the record path built a frame or called a frame method")

    monkeypatch.setattr(pd.DataFrame, "__init__", refuse)
    monkeypatch.setattr(Scorecard, "score_and_pd", refuse)
    monkeypatch.setattr(Scorecard, "reason_codes", refuse)
    assert policy.decide_one(rec, model=CARD) == expected
    assert expected.pd_source == "model" and expected.score == CARD.score_record(rec).score


def test_a_scorecard_is_a_record_scoring_model() -> None:
    assert isinstance(CARD, RecordScoringModel) and isinstance(CARD, ScoringModel)


class _Record:
    def __init__(self, score: Any, pd_: Any, reasons: Any) -> None:
        self.score, self.pd, self.reasons = score, pd_, reasons


class _Custom:
    """A record-scoring model whose result is set by the test."""

    def __init__(self, result: Any) -> None:
        self.result = result
        self.calls: list[int] = []

    def score_and_pd(self, frame: pd.DataFrame) -> tuple[Any, Any]:
        raise AssertionError("decide_one must call score_record")

    def reason_codes(self, frame: pd.DataFrame, n: int = 4) -> pd.DataFrame:
        raise AssertionError("decide_one must call score_record")

    def score_record(self, record: Any, *, reasons: int = 0) -> Any:
        self.calls.append(reasons)
        return self.result


def test_a_custom_record_model_is_called_once_and_checked() -> None:
    policy = POLICIES["spread"]
    rec = {"age": 30, "amount": 2_000}
    model = _Custom(_Record(np.int64(400), np.float32(0.5), ["LOW", None]))
    d = policy.decide_one(rec, model=model)
    assert model.calls == [3]  # the policy's n_reasons
    assert (d.score, d.pd, d.pd_source, d.reasons) == (400.0, 0.5, "model", ("LOW",))
    bad = [
        (_Record(math.nan, 0.1, ()), r"the score: expected finite numbers"),
        (_Record(math.inf, 0.1, ()), r"the score: expected finite numbers"),
        (_Record("high", 0.1, ()), r"the score: expected a number, found str"),
        (_Record(500, 1.5, ()), r"the PD: expected probabilities in \[0, 1\]"),
        (_Record(500, None, ()), r"the PD: expected a number, found NoneType"),
        (_Record(500, 0.1, ["A;B"]), r"a reason code: expected reason codes without ';'"),
        (_Record(500, 0.1, [3]), r"a reason code: expected reason codes \(text\)"),
        (object(), r"expected a result with score, pd and reasons, found object"),
    ]
    for result, match in bad:
        with pytest.raises(DataError, match=match):
            policy.decide_one(rec, model=_Custom(result))


def test_german_applicants_one_by_one_equal_the_batch(german: pd.DataFrame) -> None:
    """The default German card (categorical columns of dtype ``category``, int64 numbers)."""
    from scorecard import fit_scorecard

    card = fit_scorecard(german, "bad", seed=0).scorecard
    policy = _policy(card)
    frame = german.assign(age=30, amount=german["credit_amount"])
    rows = frame.to_dict("records")
    score, pd_ = card.score_and_pd(frame)
    records = [card.score_record(r, reasons=4) for r in rows]
    assert [r.score for r in records] == score.tolist()
    assert [r.pd for r in records] == pd_.tolist()
    assert [r.model_pd for r in records] == card.predict_pd(frame).tolist()
    assert [r.reasons for r in records] == [b[4] for b in _batch(card, frame, 4, "max")]
    assert [policy.decide_one(r, model=card) for r in rows] == policy.records(
        policy.decide(frame, model=card)
    )
