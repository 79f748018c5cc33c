"""Input handling (issue 8): the value rule on every path.

One rule for every path: a value is missing when it is None, a float NaN, ``pd.NA`` or
``pd.NaT``; a numeric characteristic reads real numbers (bool, int, float, numpy scalars,
Decimal) by their float value and refuses anything else; a categorical one names a level by
``str(value)``.  A column's dtype never changes the bin of a value, and whether a value
scores never depends on the rest of the batch.
"""

from __future__ import annotations

import decimal
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard import (
    BinningSpec,
    CreditPolicy,
    FeatureBinning,
    GradeScale,
    Scorecard,
    bin_features,
    fit_scorecard,
    select_features,
)
from scorecard._core.validation import _widen, feature_kind
from scorecard.exceptions import DataError, DataWarning, ScorecardWarning
from scorecard.policy import ScoreCutoffs, Terms

N = 3_000
LEVELS = ["own", "rent", "for free", "other"]


def _frame(n: int = N, seed: int = 0) -> pd.DataFrame:
    """An int64 feature spanning -120..119, a categorical one and a 0/1 target."""
    rng = np.random.default_rng(seed)
    x = rng.integers(-120, 120, n)
    cat = rng.choice(LEVELS, n, p=[0.4, 0.3, 0.2, 0.1])
    logit = 2.0 + x / 60 + (cat == "own") - (cat == "rent") * 0.5
    bad = (rng.random(n) < 1 / (1 + np.exp(logit))).astype(np.int64)
    return pd.DataFrame({"x": x.astype(np.int64), "home": cat, "bad": bad})


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return _frame()


@pytest.fixture(scope="module")
def binning(data: pd.DataFrame):
    return bin_features(data, "bad", spec=BinningSpec(max_bins=5))


@pytest.fixture(scope="module")
def card(binning) -> Scorecard:
    return Scorecard.from_model(binning, {"x": -1.0, "home": -1.0}, intercept=-2.0)


def _policy() -> CreditPolicy:
    return CreditPolicy(
        grade_scale=GradeScale.from_cutoffs([560], ["A", "B"]),
        cutoffs=ScoreCutoffs(approve=560),
        cap=1_000,
        terms={"A": Terms("net 30"), "B": Terms("cash in advance")},
    )


def _outputs(card: Scorecard, rows: pd.DataFrame) -> dict[str, list[Any]]:
    """Everything a card gives for some rows: one list entry per row."""
    score, pd_ = card.score_and_pd(rows)
    return {
        "score": card.score(rows).tolist(),
        "score_and_pd": list(zip(score.tolist(), pd_.tolist(), strict=True)),
        "predict_pd": card.predict_pd(rows).tolist(),
        "points": card.points(rows).to_numpy().tolist(),
        "reasons": card.reason_codes(rows, n=2).to_numpy().tolist(),
        "decision": _policy()
        .decide(rows, model=card)[["decision", "grade", "score", "reasons"]]
        .to_numpy()
        .tolist(),
    }


# ---------------------------------------------------------------- 1. narrow integer dtypes
def test_int8_column_scores_like_float64(card: Scorecard) -> None:
    """Defect 1: ``values - lo`` overflowed in the narrow dtype of the lookup fast path."""
    values = [-100, 28, 100]
    as_float = pd.DataFrame({"x": np.asarray(values, dtype=np.float64), "home": "own"})
    as_int8 = as_float.assign(x=np.asarray(values, dtype=np.int8))
    np.testing.assert_array_equal(card.score(as_int8), card.score(as_float))


INT_DTYPES = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]


@given(st.sampled_from(INT_DTYPES), st.data())
def test_every_integer_width_bins_as_float64(dtype: str, draw: st.DataObject) -> None:
    """Both paths (the lookup table over a small range, the cut search over a wide one), every
    width, numpy and nullable: the bins of float64 with NaN."""
    info = np.iinfo(dtype)
    wide = draw.draw(st.booleans())
    lo = int(info.min) if wide else max(int(info.min), -150)
    hi = int(info.max) if wide else min(int(info.max), 300)
    values = draw.draw(st.lists(st.integers(lo, hi), min_size=1, max_size=40))
    fb = _INT_BINNING
    as_float = pd.Series(values, dtype="float64")
    expected = fb.bin_index(as_float)
    np.testing.assert_array_equal(fb.bin_index(pd.Series(values, dtype=dtype)), expected)
    np.testing.assert_array_equal(fb.bin_index(np.asarray(values, dtype=dtype)), expected)
    nullable = pd.array([*values, None], dtype=dtype.capitalize().replace("Ui", "UI"))
    np.testing.assert_array_equal(
        fb.bin_index(pd.Series(nullable)), fb.bin_index(pd.Series([*values, np.nan]))
    )


def _int_binning() -> FeatureBinning:
    x = np.r_[np.arange(-130, 290, dtype=np.float64), 0.0, 255.0, 2.0**40]
    y = (np.arange(x.size) % 3 == 0).astype(int)
    return FeatureBinning.fit(
        pd.Series(x, name="x"), y, BinningSpec(optimize=False, n_fine=9, special_codes=(-99, 7))
    )


_INT_BINNING = _int_binning()


@given(st.lists(st.decimals(-1000, 1000, places=2, allow_nan=False), min_size=1, max_size=40))
def test_float32_reads_the_number_it_prints(values: list[decimal.Decimal]) -> None:
    """A float32 value is the decimal it prints as (0.7, not 0.699999988): the bins of
    float64."""
    cuts = [-12.5, 0.7, 0.1, 99.99, 3.3]
    x = np.r_[np.linspace(-1000, 1000, 200), cuts].round(2)
    y = (np.arange(x.size) % 2 == 0).astype(int)
    fb = FeatureBinning.fit(pd.Series(x, name="x"), y, BinningSpec(optimize=False, n_fine=20))
    fb = fb.with_cuts(sorted(set(cuts) | set(fb.fine.edges[::3])), data=pd.Series(x), target=y)
    as_float = pd.Series([*cuts, *(float(v) for v in values)])
    for dtype in ("float32", "Float32"):
        np.testing.assert_array_equal(fb.bin_index(as_float.astype(dtype)), fb.bin_index(as_float))


# ----------------------------------------------------- 2. one applicant, missing category
def test_one_applicant_with_a_missing_category_scores_as_in_a_batch(
    card: Scorecard, binning
) -> None:
    """Defect 2: no level of the column present -> an empty level table -> IndexError."""
    one = pd.DataFrame({"x": [5], "home": pd.Series([None], dtype=object)})
    two = pd.DataFrame({"x": [5, 5], "home": [None, "own"]})
    assert _outputs(card, one) == {k: v[:1] for k, v in _outputs(card, two).items()}
    np.testing.assert_array_equal(binning.transform(one), binning.transform(two).head(1))
    assert binning.transform(one, "label")["home"].tolist() == ["Missing"]
    for dtype in ("str", "category", "string"):
        np.testing.assert_array_equal(
            card.score(one.astype({"home": dtype})), card.score(two.head(1))
        )


# ------------------------------------------------------ 3. None in a numeric field
def test_none_in_a_numeric_field_is_missing(card: Scorecard) -> None:
    """Defect 3: a one-row frame with None gives an object column; a batch gives NaN."""
    one = pd.DataFrame({"x": [None], "home": ["own"]})
    batch = pd.DataFrame({"x": [None, 3], "home": ["own", "own"]})
    assert one["x"].dtype == object and batch["x"].dtype == np.float64
    assert _outputs(card, one)["score"] == card.score(batch).tolist()[:1]
    missing = card["x"].binning.missing_index
    assert card["x"].binning.bin_index(one["x"]).tolist() == [missing]


def test_object_column_of_numbers_follows_the_value_rule(card: Scorecard) -> None:
    values: list[Any] = [
        None,
        np.nan,
        pd.NA,
        pd.NaT,
        decimal.Decimal("-87"),
        decimal.Decimal("35.5"),
        np.int8(-100),
        np.uint16(36),
        np.float32(-11.0),
        True,
        7,
        99.25,
    ]
    expected = [np.nan, np.nan, np.nan, np.nan, -87, 35.5, -100, 36, -11, 1, 7, 99.25]
    obj = pd.DataFrame({"x": pd.Series(values, dtype=object), "home": "own"})
    flt = pd.DataFrame({"x": np.asarray(expected, dtype=np.float64), "home": "own"})
    np.testing.assert_array_equal(card.score(obj), card.score(flt))
    # one value at a time (a one-row frame) as in the batch
    for v, e in zip(values, expected, strict=True):
        one = pd.DataFrame({"x": pd.Series([v], dtype=object), "home": ["own"]})
        assert card.score(one)[0] == card.score(pd.DataFrame({"x": [e], "home": ["own"]}))[0]


@pytest.mark.parametrize(
    "bad",
    ["12", b"12", 1 + 2j, np.complex64(1), object(), [1], np.datetime64("2024-01-01")],
    ids=["str", "bytes", "complex", "np.complex", "object", "list", "datetime"],
)
def test_text_or_other_objects_in_a_numeric_characteristic_are_refused(
    card: Scorecard, bad: Any
) -> None:
    rows = pd.DataFrame({"x": pd.Series([3, bad], dtype=object), "home": ["own", "own"]})
    with pytest.raises(DataError, match=r"column 'x'.*expected numbers"):
        card.score(rows)
    with pytest.raises(DataError, match=r"column 'x'.*expected numbers"):
        card.score(rows.tail(1))


def test_infinity_is_refused_whatever_the_dtype(card: Scorecard) -> None:
    for col in (
        pd.Series([np.inf], dtype=object),
        pd.Series([decimal.Decimal("-Infinity")], dtype=object),
        pd.Series([np.inf], dtype="Float64"),
        pd.Series([np.inf], dtype="float32"),
    ):
        with pytest.raises(DataError, match="'x'.*infinite"):
            card.score(pd.DataFrame({"x": col, "home": ["own"]}))


# ------------------------------------------------------------ 4. nullable dtypes
NULLABLE = [
    ("Int64", [5, None, -100]),
    ("Int8", [5, None, -100]),
    ("Float64", [5.5, None, -100.0]),
    ("boolean", [True, None, False]),
]


@pytest.mark.parametrize(("dtype", "values"), NULLABLE, ids=[d for d, _ in NULLABLE])
def test_nullable_columns_with_na_score_as_float64_with_nan(
    card: Scorecard, binning, dtype: str, values: list[Any]
) -> None:
    """Defect 4: ``<NA>`` made ``cannot convert float NaN to integer``."""
    nullable = pd.DataFrame({"x": pd.array(values, dtype=dtype), "home": ["own", "rent", None]})
    floats = nullable.assign(x=[np.nan if v is None else float(v) for v in values])
    assert _outputs(card, nullable) == _outputs(card, floats)
    pd.testing.assert_frame_equal(binning.transform(nullable), binning.transform(floats))
    for i in range(3):  # one applicant at a time
        assert card.score(nullable.iloc[[i]])[0] == card.score(floats.iloc[[i]])[0]


def test_nullable_column_recounts_a_manual_cut(binning, data: pd.DataFrame) -> None:
    fb = binning["x"]
    holes = pd.Series(pd.array(data["x"], dtype="Int64"))
    holes[::17] = pd.NA
    floats = holes.astype("float64")
    assert fb.with_cuts([-50.5, 20], data=holes, target=data["bad"]) == fb.with_cuts(
        [-50.5, 20], data=floats, target=data["bad"]
    )


def test_nullable_columns_fit_and_predict(data: pd.DataFrame) -> None:
    from scorecard.sklearn import ScorecardClassifier

    holes = data.assign(x=pd.array(data["x"], dtype="Int64"))
    holes.loc[::17, "x"] = pd.NA
    floats = holes.assign(x=holes["x"].astype("float64"))
    a = fit_scorecard(holes, "bad", seed=0).scorecard
    b = fit_scorecard(floats, "bad", seed=0).scorecard
    # the same card (the metadata's fingerprint hashes the training frame as given)
    assert a.to_dict()["characteristics"] == b.to_dict()["characteristics"]
    assert a.intercept == b.intercept
    np.testing.assert_array_equal(a.score(holes), b.score(floats))
    X, y = holes.drop(columns="bad"), holes["bad"]
    clf = ScorecardClassifier().fit(X, y)
    np.testing.assert_allclose(
        clf.predict_proba(X), clf.predict_proba(X.assign(x=X["x"].astype("float64")))
    )
    decided = _policy().decide(holes.head(40), model=a)
    np.testing.assert_array_equal(decided["score"], a.score(floats.head(40)))


# -------------------------------------------------------- 5. integer column names
def test_integer_column_names(data: pd.DataFrame) -> None:
    """Defect 5: a feature is named ``str(label)``; scoring finds the column by that name."""
    named = data.rename(columns={"x": 0, "home": 1})
    build = fit_scorecard(named, "bad", seed=0)
    card = build.scorecard
    assert set(card.names) <= {"0", "1"}
    ref = fit_scorecard(data.rename(columns={"x": "0", "home": "1"}), "bad", seed=0).scorecard
    assert card.to_dict()["characteristics"] == ref.to_dict()["characteristics"]
    np.testing.assert_array_equal(card.score(named), ref.score(named.rename(columns=str)))
    b = bin_features(named, "bad", specs={"0": BinningSpec(max_bins=3)})
    assert b.names == ("0", "1") and b["0"].n_regular <= 3
    assert list(b.transform(named).columns) == ["0", "1"]
    assert select_features(b, named).selected
    assert set(card.unseen_share(named).index) == set(card.names)


def test_two_columns_that_print_the_same_are_refused(data: pd.DataFrame) -> None:
    b = bin_features(data.rename(columns={"x": "0"}), "bad", features=["0"])
    both = pd.DataFrame({0: [1, 2], "0": [3, 4]})
    with pytest.raises(DataError, match=r"0.*'0'|'0'.*0"):
        b.transform(both)
    with pytest.raises(DataError, match="print the same"):
        bin_features(pd.DataFrame({0: [1, 2, 3, 4], "0": [1, 2, 3, 4], "bad": [0, 1, 0, 1]}), "bad")


def test_missing_column_message_shows_the_labels(binning) -> None:
    with pytest.raises(DataError, match=r"found columns \[0, 'home'\]"):
        binning.transform(pd.DataFrame({0: [1], "home": ["own"]}))


# --------------------------------------------------- 6. systematic unseen categories
def test_every_value_unseen_warns_and_names_the_characteristic(card: Scorecard) -> None:
    """Defect 6: lower-cased labels moved every score to the neutral points in silence."""
    upper = pd.DataFrame({"x": [5, 6, 7], "home": ["OWN", "RENT", "OWN"]})
    with pytest.warns(DataWarning, match=r"'home'.*100(\.0)?% .*unseen.*'OWN'"):
        card.score(upper)
    codes = pd.DataFrame({"x": [5, 6], "home": [1, 2]})  # codes where strings were trained
    with pytest.warns(DataWarning, match="'home'"):
        card.reason_codes(codes)
    assert issubclass(DataWarning, ScorecardWarning)


def test_occasional_unseen_levels_do_not_warn(card: Scorecard, binning) -> None:
    rows = pd.DataFrame({"x": range(10), "home": ["own"] * 6 + ["new one", None, None, "rent"]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        card.score(rows)
        binning.transform(rows)
    assert card.unseen_share(rows).to_dict() == {"x": 0.0, "home": 0.1}


def test_unseen_share_per_characteristic(card: Scorecard, binning) -> None:
    rows = pd.DataFrame({"x": [1, None, 3, 4], "home": ["own", "OWN", "Rent", None]})
    share = card.unseen_share(rows)
    assert isinstance(share, pd.Series)
    assert share.to_dict() == {"x": 0.0, "home": 0.5}
    pd.testing.assert_series_equal(binning.unseen_share(rows), share)
    # from bin indices already computed: no second pass over the data
    indices = binning.bin_indices(rows)
    pd.testing.assert_series_equal(card.unseen_share(rows, indices), share)


def test_scoring_bins_each_column_once(card: Scorecard, monkeypatch) -> None:
    """The unseen share comes from the bin indices of the scoring pass."""
    from scorecard._analyze import feature

    calls: list[int] = []
    real = feature.categorical_codes

    def counting(s: pd.Series) -> Any:
        calls.append(len(s))
        return real(s)

    monkeypatch.setattr(feature, "categorical_codes", counting)
    with pytest.warns(DataWarning):
        card.score(pd.DataFrame({"x": [5, 6, 7], "home": ["OWN", "RENT", "OWN"]}))
    assert calls == [3]


def test_error_treatment_raises_instead_of_warning(data: pd.DataFrame) -> None:
    b = bin_features(data, "bad", spec=BinningSpec(max_bins=5, empty="error"))
    card = Scorecard.from_model(b, {"x": -1.0, "home": -1.0}, intercept=-2.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DataError, match="'home'.*'error'"):
            card.score(pd.DataFrame({"x": [5], "home": ["OWN"]}))


# -------------------------------------------------------------------- 7. smaller ones
@pytest.mark.parametrize(
    "values",
    [
        [1.5, 2.0, None, 3.25],
        [decimal.Decimal("1.5"), decimal.Decimal(2), None, decimal.Decimal("3.25")],
        [decimal.Decimal("1.5"), 2, None, 3.25],
        [np.float32(1.5), np.int16(2), None, True],
    ],
    ids=["floats", "decimals", "decimals and numbers", "numpy scalars"],
)
def test_object_column_of_numbers_is_numeric(values: list[Any]) -> None:
    assert feature_kind(pd.Series(values, dtype=object), "x") == "numeric"


def test_object_numbers_bin_as_floats(data: pd.DataFrame) -> None:
    as_dec = data.assign(x=[decimal.Decimal(int(v)) for v in data["x"]])
    assert as_dec["x"].dtype == object
    b_dec = bin_features(as_dec, "bad", features=["x"])
    b_flt = bin_features(data, "bad", features=["x"])
    assert b_dec == b_flt


def test_complex_column_is_refused(data: pd.DataFrame, binning) -> None:
    with pytest.raises(DataError, match="'x'.*complex"):
        bin_features(data.assign(x=data["x"].astype(complex)), "bad")
    with pytest.raises(DataError, match="'x'.*expected numbers.*complex"):
        binning.transform(data.head(3).assign(x=data["x"].head(3).astype(complex)))


@pytest.mark.parametrize("zero_on", [1, 0])
def test_weights_zero_on_every_bad_or_good_are_refused_at_once(
    data: pd.DataFrame, zero_on: int
) -> None:
    w = np.where(data["bad"] == zero_on, 0.0, 1.0)
    what = "bads" if zero_on == 1 else "goods"
    with pytest.raises(DataError, match=f"sample_weight.*{what}"):
        bin_features(data, "bad", sample_weight=w)
    with pytest.raises(DataError, match=f"sample_weight.*{what}"):
        fit_scorecard(data.assign(w=w), "bad", sample_weight="w")


def test_select_features_needs_two_rows(binning, data: pd.DataFrame) -> None:
    """One row: correlation and VIF are undefined; say so instead of 'VIF inf'."""
    with pytest.raises(DataError, match="at least 2 rows"):
        select_features(binning, data.head(1))
    with pytest.raises(DataError, match="at least 2 rows"):
        select_features(binning, data.head(2), sample_weight=np.array([1.0, 0.0]))


def test_select_features_reports_a_constant_woe_as_undefined(binning, data: pd.DataFrame) -> None:
    rows = data[data["home"] == "own"]  # one bin of 'home' on these rows
    sel = select_features(binning, rows)
    rec = {s.feature: s for s in sel.steps}
    assert rec["x"].kept
    assert not rec["home"].kept
    assert "constant" in rec["home"].reason and "undefined" in rec["home"].reason
    assert "VIF inf" not in rec["home"].reason


def test_no_reason_is_always_none(card: Scorecard) -> None:
    best_x = card["x"].binning.fine.edges[-1] + 1
    rows = pd.DataFrame({"x": [best_x, -120.0], "home": ["own", "rent"]})
    rc = card.reason_codes(rows, n=3)
    assert all(dt == np.dtype(object) for dt in rc.dtypes)
    for v in rc.to_numpy().ravel():
        assert v is None or isinstance(v, str)
    assert rc.iloc[0].tolist()[1:] == [None, None]


def test_mean_baseline_is_the_mean_of_the_printed_points(card: Scorecard, data) -> None:
    t = card.reason_table(data.head(200), n=2, baseline="mean")
    for c in card.characteristics:
        counts = c.binning.goods + c.binning.bads
        printed = np.asarray([0 if p is None else p for p in c.points[:-1]], dtype=float)
        expected = float((counts * printed).sum() / counts.sum())
        got = t.loc[t.characteristic == c.name, "baseline"]
        assert not got.empty and np.allclose(got, expected)
        assert c.mean_points == pytest.approx(
            float((counts * np.asarray(c.raw_points[:-1])).sum() / counts.sum())
        )


def test_integer_codes_name_one_level_whatever_the_dtype() -> None:
    """A categorical trained on integer codes: 1 and 1.0 (pandas' int-with-None) are one level."""
    rng = np.random.default_rng(3)
    code = rng.integers(1, 4, 600)
    bad = (rng.random(600) < np.where(code == 1, 0.5, 0.15)).astype(int)
    df = pd.DataFrame({"code": code, "bad": bad})
    card = fit_scorecard(
        df, "bad", spec=BinningSpec(kind="categorical"), holdout=0, min_iv=0.0
    ).scorecard
    alone = card.score(pd.DataFrame({"code": [1, 2, 3]}))
    with_missing = card.score(pd.DataFrame({"code": [1, 2, 3, None]}))  # pandas makes floats
    assert with_missing[:3].tolist() == alone.tolist()
    assert card.unseen_share(pd.DataFrame({"code": [1.0, 2.0, 3.0]})).iloc[0] == 0.0


def test_a_one_row_frame_of_nat_is_missing() -> None:
    """pandas gives a column of nothing but NaT a datetime dtype: still missing values."""
    rng = np.random.default_rng(4)
    x = rng.normal(size=800).round(2)
    df = pd.DataFrame({"x": x, "bad": (rng.random(800) < 1 / (1 + np.exp(1.5 + x))).astype(int)})
    card = fit_scorecard(df, "bad", holdout=0).scorecard
    one = pd.DataFrame({"x": [pd.NaT]})
    assert card.score(one).tolist() == card.score(pd.DataFrame({"x": [np.nan]})).tolist()


def _widen_by_powers(a: np.ndarray) -> np.ndarray:
    """_widen as first written (powers of ten raised per value): the reference."""
    out = a.astype(np.float64)
    todo = np.flatnonzero(np.isfinite(out) & (out != 0))
    v = out[todo]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        exp = np.floor(np.log10(np.abs(v)))
        for digits in range(1, 18):
            if not todo.size:
                break
            scale = digits - 1 - exp
            up = 10.0 ** np.maximum(scale, 0)
            down = 10.0 ** np.maximum(-scale, 0)
            r = np.round(v * up / down) / up * down
            ok = r.astype(a.dtype) == a[todo]
            out[todo[ok]] = r[ok]
            todo, v, exp = todo[~ok], v[~ok], exp[~ok]
    return out


@pytest.mark.parametrize("dtype", ["float16", "float32"])
def test_widen_equals_its_reference_bit_for_bit(dtype: str) -> None:
    """Every float16, and float32 from random bit patterns (every exponent, subnormals)."""
    if dtype == "float16":
        a = np.arange(2**16, dtype=np.uint16).view(np.float16)
    else:
        bits = np.random.default_rng(0).integers(0, 2**32, 200_000, dtype=np.uint64)
        a = bits.astype(np.uint32).view(np.float32)
    with np.errstate(invalid="ignore"):
        got, ref = _widen(a), _widen_by_powers(a)
    np.testing.assert_array_equal(got, ref)
    assert np.array_equal(np.signbit(got), np.signbit(ref))
