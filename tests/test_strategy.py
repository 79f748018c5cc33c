"""Tests for strategy tables (``scorecard.policy._strategy``)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.exceptions import DataError, SpecificationError
from scorecard.policy._grades import GradeScale
from scorecard.policy._strategy import cutoff_table, score_band_table


@pytest.fixture
def apps() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "score": [700, 650, 600, 600, 550],
            "bad": [0, 0, 1, 0, 1],
            "pd": [0.01, 0.02, 0.10, 0.05, 0.30],
            "ead": [1000.0, 2000.0, 1000.0, 500.0, 1000.0],
            "lgd": [0.5, 0.5, 0.4, 0.5, 0.6],
            "rev": [30.0, 50.0, 40.0, 20.0, 60.0],
        }
    )


# --------------------------------------------------------------------------- cut-off table


def test_cutoff_table_hand_computed(apps: pd.DataFrame) -> None:
    t = cutoff_table(apps, "score", bad="bad", pd="pd", ead="ead", lgd=0.5, margin=0.1)
    # distinct scores 550, 600, 650, 700; approved = score >= cut-off (ties at 600 both in)
    assert t["cutoff"].tolist() == [550.0, 600.0, 650.0, 700.0]
    assert t["n_approved"].tolist() == [5, 4, 2, 1]
    assert t["approval_rate"].tolist() == [1.0, 0.8, 0.4, 0.2]
    # bads by row (score order 700, 650, 600, 600, 550): 0, 0, 1, 0, 1
    assert t["bads_approved"].tolist() == [2, 1, 0, 0]
    assert t["bad_rate_approved"].tolist() == pytest.approx([2 / 5, 1 / 4, 0.0, 0.0])
    assert t["bads_declined"].tolist() == [0, 1, 2, 2]
    assert t["bads_declined_share"].tolist() == [0.0, 0.5, 1.0, 1.0]
    # PDs: .01, .02, (.10 + .05), .30
    assert t["expected_bads_approved"].tolist() == pytest.approx([0.48, 0.18, 0.03, 0.01])
    assert t["expected_bad_rate_approved"].tolist() == pytest.approx(
        [0.48 / 5, 0.18 / 4, 0.03 / 2, 0.01]
    )
    assert t["ead_approved"].tolist() == [5500.0, 4500.0, 3000.0, 1000.0]
    # EL_i = PD * 0.5 * EAD: 700: 5, 650: 20, 600: 50 and 12.5, 550: 150
    assert t["expected_loss"].tolist() == pytest.approx([237.5, 87.5, 25.0, 5.0])
    # realized loss = bad * 0.5 * EAD: the 600 bad (500) and the 550 bad (500)
    assert t["realized_loss"].tolist() == pytest.approx([1000.0, 500.0, 0.0, 0.0])
    # revenue = 0.1 * EAD: 100, 200, 100, 50, 100
    assert t["revenue_approved"].tolist() == pytest.approx([550.0, 450.0, 300.0, 100.0])
    # expected profit_i = rev * (1 - PD) - EL:
    #   700: 100*.99 - 5 = 94; 650: 200*.98 - 20 = 176; 600: 100*.9 - 50 = 40 and
    #   50*.95 - 12.5 = 35; 550: 100*.7 - 150 = -80
    assert t["expected_profit"].tolist() == pytest.approx(
        [94 + 176 + 40 + 35 - 80, 94 + 176 + 40 + 35, 94 + 176, 94]
    )
    # realized profit_i = rev * (1 - bad) - bad * 0.5 * EAD:
    #   700: 100; 650: 200; 600 bad: -500; 600 good: 50; 550 bad: -500
    assert t["realized_profit"].tolist() == pytest.approx([-650.0, -150.0, 300.0, 100.0])
    assert t["n_approved"].dtype == np.int64 and t["bads_approved"].dtype == np.int64


def test_cutoff_table_per_row_lgd_and_revenue(apps: pd.DataFrame) -> None:
    t = cutoff_table(apps, "score", bad="bad", pd="pd", ead="ead", lgd="lgd", revenue="rev")
    # EL_i = PD * LGD_i * EAD_i: 700: .01*.5*1000 = 5; 650: .02*.5*2000 = 20;
    #   600: .1*.4*1000 = 40 and .05*.5*500 = 12.5; 550: .3*.6*1000 = 180
    assert t["expected_loss"].tolist() == pytest.approx([257.5, 77.5, 25.0, 5.0])
    # profit_i = rev*(1-PD) - EL: 29.7-5 = 24.7; 49-20 = 29; 36-40 = -4; 19-12.5 = 6.5; 42-180 = -138
    assert t["expected_profit"].tolist() == pytest.approx(
        [24.7 + 29 - 4 + 6.5 - 138, 24.7 + 29 - 4 + 6.5, 24.7 + 29, 24.7]
    )
    # realized: 30, 50, -400 (bad: .4*1000), 20, -600 (bad: .6*1000)
    assert t["realized_profit"].tolist() == pytest.approx([-900.0, -300.0, 80.0, 30.0])
    # per-row margin: the same as revenue when margin = rev / ead
    apps = apps.assign(m=apps["rev"] / apps["ead"])
    t2 = cutoff_table(apps, "score", bad="bad", pd="pd", ead="ead", lgd="lgd", margin="m")
    pd.testing.assert_series_equal(t2["expected_profit"], t["expected_profit"])


def test_cutoff_table_only_required_columns(apps: pd.DataFrame) -> None:
    t = cutoff_table(apps, "score")
    assert list(t.columns) == ["cutoff", "n_approved", "approval_rate"]
    t = cutoff_table(apps, "score", pd="pd")
    assert "expected_bads_approved" in t and "bads_approved" not in t
    t = cutoff_table(apps, "score", bad="bad", ead=1.0, lgd=1.0)
    assert t["realized_loss"].tolist() == t["bads_approved"].astype(float).tolist()
    assert "expected_loss" not in t and "expected_profit" not in t


def test_cutoff_table_grid(apps: pd.DataFrame) -> None:
    t = cutoff_table(apps, "score", bad="bad", cutoffs=[800, 0, 600.5, 600, 600])
    # sorted and de-duplicated; 800 approves nobody, 0 everybody; 600.5 excludes both 600s
    assert t["cutoff"].tolist() == [0.0, 600.0, 600.5, 800.0]
    assert t["n_approved"].tolist() == [5, 4, 2, 0]
    assert t["bads_approved"].tolist() == [2, 1, 0, 0]
    assert math.isnan(t["bad_rate_approved"].iloc[-1])
    assert t["bads_declined_share"].iloc[-1] == 1.0


def test_cutoff_table_no_bads(apps: pd.DataFrame) -> None:
    t = cutoff_table(apps.assign(bad=0), "score", bad="bad")
    assert t["bads_approved"].tolist() == [0, 0, 0, 0]
    assert np.isnan(t["bads_declined_share"]).all()


@pytest.mark.parametrize(
    ("kwargs", "exc", "field"),
    [
        ({"score": "nope"}, DataError, r"score: expected column\(s\) \['nope'\]"),
        ({"bad": "nope"}, DataError, r"bad: expected column\(s\) \['nope'\]"),
        ({"bad": "pd"}, DataError, r"bad \(column 'pd'\): expected 0/1"),
        ({"pd": "ead"}, DataError, r"pd \(column 'ead'\): expected values <= 1"),
        ({"ead": "ead"}, SpecificationError, "lgd: expected with ead"),
        ({"lgd": 0.5}, SpecificationError, "ead: expected with lgd"),
        ({"ead": "ead", "lgd": 1.5}, SpecificationError, r"lgd: expected a number in \[0.0, 1.0\]"),
        ({"ead": "ead", "lgd": "ead"}, DataError, r"lgd \(column 'ead'\): expected values <= 1"),
        ({"ead": -1.0, "lgd": 0.5}, SpecificationError, "ead: expected a number in"),
        ({"margin": 0.1, "pd": "pd"}, SpecificationError, "ead: expected with margin"),
        ({"revenue": "rev", "pd": "pd"}, SpecificationError, "ead, lgd: expected with revenue"),
        (
            {"margin": 0.1, "revenue": "rev", "ead": "ead", "lgd": 0.5, "pd": "pd"},
            SpecificationError,
            "margin, revenue",
        ),
        ({"margin": 0.1, "ead": "ead", "lgd": 0.5}, SpecificationError, "bad, pd: expected"),
        ({"cutoffs": [600, math.nan]}, SpecificationError, "cutoffs: expected"),
        ({"cutoffs": []}, SpecificationError, "cutoffs: expected at least one"),
        ({"ead": "bad_str", "lgd": 0.5}, DataError, r"ead: expected a numeric column 'bad_str'"),
    ],
)
def test_cutoff_table_bad_input(
    apps: pd.DataFrame, kwargs: dict[str, object], exc: type[Exception], field: str
) -> None:
    data = apps.assign(bad_str=["x"] * len(apps))
    args: dict[str, object] = {"score": "score"}
    args.update(kwargs)
    score = args.pop("score")
    with pytest.raises(exc, match=field):
        cutoff_table(data, score, **args)  # type: ignore[arg-type]


def test_cutoff_table_bad_data(apps: pd.DataFrame) -> None:
    with pytest.raises(DataError, match="score: expected no missing values in column 'score'"):
        cutoff_table(apps.assign(score=[1.0, math.nan, 2.0, 3.0, math.nan]), "score")
    with pytest.raises(DataError, match="data: expected at least one row"):
        cutoff_table(apps.iloc[:0], "score")
    with pytest.raises(DataError, match="data: expected a pandas DataFrame"):
        cutoff_table([1, 2], "score")  # type: ignore[arg-type]
    with pytest.raises(DataError, match="pd: expected no missing values"):
        cutoff_table(apps.assign(pd=[0.1, math.nan, 0.1, 0.1, 0.1]), "score", pd="pd")


# --------------------------------------------------------------------------- properties


def _brute_force(s: np.ndarray, bad: np.ndarray, p: np.ndarray, c: float) -> tuple[int, int, float]:
    keep = s >= c
    return int(keep.sum()), int(bad[keep].sum()), float(p[keep].sum())


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.integers(300, 900), st.integers(0, 1), st.floats(0, 1)),
        min_size=1,
        max_size=80,
    ),
    grid=st.one_of(st.none(), st.lists(st.floats(250, 950), min_size=1, max_size=10)),
)
def test_property_cutoff_table(
    rows: list[tuple[int, int, float]], grid: list[float] | None
) -> None:
    df = pd.DataFrame(rows, columns=["score", "bad", "pd"])
    t = cutoff_table(df, "score", bad="bad", pd="pd", cutoffs=grid)
    # approval rate never increases with the cut-off
    assert np.all(np.diff(t["approval_rate"].to_numpy()) <= 0)
    assert np.all(np.diff(t["cutoff"].to_numpy()) > 0)
    s, b, p = (df[c].to_numpy() for c in ("score", "bad", "pd"))
    for row in t.itertuples():
        n, nb, sp = _brute_force(s, b, p, row.cutoff)
        assert row.n_approved == n and row.bads_approved == nb
        assert row.expected_bads_approved == pytest.approx(sp, abs=1e-9)
        assert row.bads_approved + row.bads_declined == b.sum()
    if grid is None:  # the lowest distinct score approves everybody
        assert t["approval_rate"].iloc[0] == 1.0


# --------------------------------------------------------------------------- score band x grade


def test_score_band_table_hand_computed() -> None:
    df = pd.DataFrame(
        {
            "score": [700, 650, 640, 560, 550, 500],
            "bad": [0, 0, 1, 1, 0, 1],
            "ext": ["A", "B", "A", "B", "B", "A"],
        }
    )
    t = score_band_table(df, "score", "ext", bad="bad", bands=[500, 600, 800])
    assert t.index.tolist() == [
        pd.Interval(600.0, 800.0, "left"),
        pd.Interval(500.0, 600.0, "left"),
    ]
    assert t.columns.names == ["statistic", "grade"]
    # [600, 800): A = 700 (good), 640 (bad); B = 650 (good)
    # [500, 600): A = 500 (bad); B = 560 (bad), 550 (good)
    assert t["n"].to_numpy().tolist() == [[2, 1, 3], [1, 2, 3]]
    assert t["bads"].to_numpy().tolist() == [[1, 0, 1], [1, 1, 2]]
    np.testing.assert_allclose(
        t["bad_rate"].to_numpy(), [[0.5, 0.0, 1 / 3], [1.0, 0.5, 2 / 3]], rtol=1e-12
    )


def test_score_band_table_with_scale_and_int_bands() -> None:
    scale = GradeScale.from_cutoffs([620, 580], ["A", "B", "C"])
    df = pd.DataFrame({"score": [500.0, 560.0, 590.0, 610.0, 630.0, 700.0]})
    t = score_band_table(df, "score", scale, bands=2)
    # equal width from 500 to 700: [500, 600), [600, inf); grades in scale order A, B, C
    assert list(t["n"].columns) == ["A", "B", "C", "All"]
    assert t.index.tolist() == [
        pd.Interval(600.0, math.inf, "left"),
        pd.Interval(500.0, 600.0, "left"),
    ]
    # [600, inf): 610 (B), 630 (A), 700 (A); [500, 600): 500 (C), 560 (C), 590 (B)
    assert t["n"].to_numpy().tolist() == [[2, 1, 0, 3], [0, 1, 2, 3]]
    assert "bad_rate" not in t.columns.get_level_values(0)
    one = score_band_table(pd.DataFrame({"score": [5.0, 5.0]}), "score", scale, bands=3)
    assert one["n"]["All"].tolist() == [2]


def test_score_band_table_categorical_order() -> None:
    df = pd.DataFrame(
        {
            "score": [1.0, 2.0, 3.0],
            "g": pd.Categorical(["low", "high", "low"], categories=["high", "mid", "low"]),
        }
    )
    t = score_band_table(df, "score", "g", bands=[0, 10])
    assert list(t["n"].columns) == ["high", "mid", "low", "All"]
    assert t["n"].to_numpy().tolist() == [[1, 0, 2, 3]]


def test_score_band_table_bad_input() -> None:
    df = pd.DataFrame({"score": [500.0, 600.0], "g": ["A", None], "b": [0, 2]})
    with pytest.raises(DataError, match="grade: expected a grade in every row of column 'g'"):
        score_band_table(df, "score", "g")
    df = df.assign(g=["A", "B"])
    with pytest.raises(DataError, match=r"bands: expected edges covering.*1 scores outside"):
        score_band_table(df, "score", "g", bands=[500, 600])
    with pytest.raises(SpecificationError, match="bands: expected at least two strictly"):
        score_band_table(df, "score", "g", bands=[600, 500])
    with pytest.raises(SpecificationError, match="bands: expected a number of bands >= 1"):
        score_band_table(df, "score", "g", bands=0)
    with pytest.raises(DataError, match=r"bad \(column 'b'\): expected 0/1"):
        score_band_table(df, "score", "g", bad="b", bands=[0, 1000])
    with pytest.raises(DataError, match=r"grade: expected column\(s\) \['zz'\]"):
        score_band_table(df, "score", "zz")


@settings(max_examples=50, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.floats(300, 900), st.sampled_from(["A", "B", "C"]), st.integers(0, 1)),
        min_size=1,
        max_size=60,
    ),
    bands=st.integers(1, 6),
)
def test_property_score_band_counts_add_up(rows: list[tuple[float, str, int]], bands: int) -> None:
    df = pd.DataFrame(rows, columns=["score", "g", "bad"])
    t = score_band_table(df, "score", "g", bad="bad", bands=bands)
    assert int(t["n"]["All"].sum()) == len(df)
    assert int(t["bads"]["All"].sum()) == int(df["bad"].sum())
    by_grade = df.groupby("g")["score"].size()
    for g, n in by_grade.items():
        assert int(t["n"][g].sum()) == n


def test_large_input_matches_direct_sums_at_every_cutoff() -> None:
    """200,000 rows, 400 distinct scores: every row of the table equals a direct masked sum.

    (Speed is measured in benchmarks, never asserted in tests.)
    """
    rng = np.random.default_rng(1)
    n = 200_000
    df = pd.DataFrame(
        {
            "score": rng.integers(400, 800, n),
            "bad": rng.integers(0, 2, n),
            "pd": rng.uniform(0, 0.5, n),
            "ead": rng.uniform(0, 1e4, n),
        }
    )
    t = cutoff_table(df, "score", bad="bad", pd="pd", ead="ead", lgd=0.45, margin=0.05)
    assert t["cutoff"].tolist() == sorted(df["score"].unique().tolist())
    score, bad, pd_, ead = (df[c].to_numpy(dtype=float) for c in ("score", "bad", "pd", "ead"))
    for c in rng.choice(t["cutoff"].to_numpy(), 25, replace=False):
        row = t.loc[t["cutoff"] == c].iloc[0]
        ok = score >= c
        assert row["n_approved"] == ok.sum()
        assert row["bads_approved"] == bad[ok].sum()
        assert row["expected_loss"] == pytest.approx((pd_ * 0.45 * ead)[ok].sum(), rel=1e-9)
        assert row["realized_loss"] == pytest.approx((bad * 0.45 * ead)[ok].sum(), rel=1e-9)
        revenue = 0.05 * ead
        expected = (revenue * (1 - pd_) - pd_ * 0.45 * ead)[ok].sum()
        assert row["expected_profit"] == pytest.approx(expected, rel=1e-9)
