"""Grade migration and vintage analysis on small cases computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from scorecard import Grade, GradeScale
from scorecard.exceptions import DataError, SchemaError, SpecificationError
from scorecard.monitor import MigrationMatrix, VintageAnalysis, grade_migration, vintage_analysis


@pytest.fixture
def scale() -> GradeScale:
    return GradeScale.from_cutoffs(
        [620, 580], ["A", "B", "C"], default_grade=Grade("D", min_score=-math.inf)
    )


# --------------------------------------------------------------------------- migration


def test_migration_small_case_by_hand(scale: GradeScale) -> None:
    # account: before -> after
    # 1: A -> A, 2: A -> B, 3: B -> A, 4: B -> C, 5: C -> C, 6: C -> D (default), 7: A -> C
    before = pd.Series([650, 630, 600, 590, 500, 560, 700], index=range(1, 8))
    after = pd.Series(["A", "B", "A", "C", "C", "D", "C"], index=range(1, 8))
    m = grade_migration(scale, before, after)
    assert m.grades == ("A", "B", "C", "D")
    assert m.matrix.loc["A"].tolist() == [1, 1, 1, 0]
    assert m.matrix.loc["B"].tolist() == [1, 0, 1, 0]
    assert m.matrix.loc["C"].tolist() == [0, 0, 1, 1]
    assert m.n == 7
    assert m.upgrade_share == pytest.approx(1 / 7)
    assert m.downgrade_share == pytest.approx(4 / 7)
    assert m.stable_share == pytest.approx(2 / 7)
    assert m.far_share == pytest.approx(1 / 7)  # A -> C
    # sign test: 4 downgrades of 5 movers, P(X >= 4 | 5, 1/2) = 6/32
    assert m.p_value == pytest.approx(6 / 32)
    assert m.p_value == pytest.approx(stats.binomtest(4, 5, 0.5, alternative="greater").pvalue)
    assert m.status == "green"
    assert m.shares.loc["A"].tolist() == pytest.approx([1 / 3, 1 / 3, 1 / 3, 0])
    assert math.isnan(m.shares.loc["D", "A"])  # nobody was in default before


def test_migration_accounts_in_one_snapshot_only_are_counted(scale: GradeScale) -> None:
    before = pd.Series([650, 600, 590], index=["a", "b", "c"])
    after = pd.Series([640, 500, 610], index=["a", "c", "z"])
    m = grade_migration(scale, before, after)
    assert m.n == 2
    assert m.exited == (0, 1, 0, 0)  # "b" (grade B) left
    assert m.entered == (0, 1, 0, 0)  # "z" (grade B) came
    assert m.summary["entered"] == 1 and m.summary["exited"] == 1


def test_migration_errors(scale: GradeScale) -> None:
    with pytest.raises(DataError, match="unique account ids"):
        grade_migration(scale, pd.Series([1, 2], index=[1, 1]), pd.Series([1, 2], index=[1, 2]))
    with pytest.raises(DataError, match="one per account"):
        grade_migration(scale, [650, 600], [650])
    with pytest.raises(DataError, match=r"grade names.*\['Z'\]"):
        grade_migration(scale, ["A", "Z"], ["A", "B"])
    with pytest.raises(DataError, match="1 missing"):
        grade_migration(scale, [650.0, np.nan], [650.0, 600.0])
    with pytest.raises(SpecificationError, match="GradeScale"):
        grade_migration("scale", [1], [1])  # type: ignore[arg-type]
    with pytest.raises(SpecificationError, match="MigrationMatrix.counts"):
        MigrationMatrix(("A", "B"), ((1, 2),))


def test_migration_json_round_trip(scale: GradeScale) -> None:
    m = grade_migration(scale, [650, 600, 500], [600, 600, 640])
    assert MigrationMatrix.from_json(m.to_json()) == m
    with pytest.raises(SchemaError):
        MigrationMatrix.from_dict(
            {
                "grades": ["A"],
                "counts": [[1, 2]],
                "entered": [],
                "exited": [],
                "amber": 0.05,
                "red": 0.01,
            }
        )


def test_a_strong_drift_down_is_red() -> None:
    scale = GradeScale.from_cutoffs([620, 580], ["A", "B", "C"])
    m = MigrationMatrix(scale.names, ((80, 30, 5), (3, 60, 25), (0, 2, 40)))
    assert m.downgrade_share > m.upgrade_share
    assert m.status == "red"


# --------------------------------------------------------------------------- vintage


def test_vintage_small_case_by_hand() -> None:
    df = pd.DataFrame(
        {
            "opened": [
                "2023-01-05",
                "2023-01-20",
                "2023-01-31",
                "2023-02-10",
                "2023-02-11",
                "2023-04-01",
            ],
            "defaulted": ["2023-02-15", None, "2023-04-02", "2023-02-28", None, None],
        }
    )
    v = vintage_analysis(df, origination="opened", default_date="defaulted", as_of="2023-04-30")
    # cohorts Jan (3 accounts, age 3), Feb (2, age 2), Mar (0 accounts, age 1), Apr (1, age 0)
    assert v.cohorts == ("2023-01", "2023-02", "2023-03", "2023-04")
    assert v.sizes == (3, 2, 0, 1)
    assert v.ages == (3, 2, 1, 0)
    # Jan: a default at mob 1 (Feb) and one at mob 3 (Apr); Feb: one at mob 0
    assert v.defaults == ((0, 1, 0, 1), (1, 0, 0), (0, 0), (0,))
    t = v.table
    assert t.loc["2023-01"].tolist() == pytest.approx([0, 1 / 3, 1 / 3, 2 / 3])
    assert t.loc["2023-02", 0] == pytest.approx(1 / 2)
    assert math.isnan(t.loc["2023-02", 3])  # not observed yet: unknown, not 0
    assert t.loc["2023-03"].isna().all()  # an empty cohort
    tests = v.tests
    # Feb at age 2 against Jan at mob 2: 1/3
    assert tests.loc["2023-02", "book_rate"] == pytest.approx(1 / 3)
    assert tests.loc["2023-02", "p_value"] == pytest.approx(stats.beta.cdf(1 / 3, 1.5, 1.5))
    assert math.isnan(tests.loc["2023-01", "p_value"])  # nothing older to compare with
    assert tests.loc["2023-04", "book_rate"] == pytest.approx(1 / 5)  # Jan + Feb at mob 0


def test_vintage_worse_recent_cohort_is_flagged() -> None:
    v = VintageAnalysis(
        ("2023-01", "2023-02", "2023-03"),
        (1000, 1000, 1000),
        (2, 1, 0),
        ((5, 10, 10), (30, 40), (6,)),
    )
    assert v.tests.loc["2023-02", "status"] == "red"  # 7 % at mob 1 against 1.5 %
    assert v.status == "red"
    assert VintageAnalysis.from_json(v.to_json()) == v


def test_vintage_errors() -> None:
    df = pd.DataFrame({"o": ["2023-01-01", "2023-02-01"], "d": [None, "2022-12-01"]})
    with pytest.raises(DataError, match="before its origination"):
        vintage_analysis(df, origination="o", default_date="d", as_of="2023-03-01")
    df = pd.DataFrame({"o": ["2023-01-01"], "d": ["2023-05-01"]})
    with pytest.raises(DataError, match="after as_of"):
        vintage_analysis(df, origination="o", default_date="d", as_of="2023-03-01")
    with pytest.raises(DataError, match="on or before as_of"):
        vintage_analysis(df, origination="o", default_date="d", as_of="2022-03-01")
    with pytest.raises(DataError, match="do not parse"):
        vintage_analysis(
            pd.DataFrame({"o": ["soon"], "d": [None]}),
            origination="o",
            default_date="d",
            as_of="2023-03-01",
        )
    with pytest.raises(DataError, match="as_of"):
        vintage_analysis(df, origination="o", default_date="d", as_of="never")
    with pytest.raises(SpecificationError, match="by"):
        vintage_analysis(df, origination="o", default_date="d", as_of="2023-06-01", by="day")
    with pytest.raises(SpecificationError, match="at most 1 defaults"):
        VintageAnalysis(("2023-01",), (1,), (1,), ((1, 1),))
    with pytest.raises(SpecificationError, match="mob 0 to its age"):
        VintageAnalysis(("2023-01",), (5,), (2,), ((1, 1),))


def test_vintage_by_quarter() -> None:
    df = pd.DataFrame({"o": ["2023-01-15", "2023-05-01"], "d": ["2023-07-01", None]})
    v = vintage_analysis(df, origination="o", default_date="d", as_of="2023-09-30", by="quarter")
    assert v.cohorts == ("2023Q1", "2023Q2") and v.ages == (2, 1)
    assert v.defaults == ((0, 0, 1), (0, 0))
