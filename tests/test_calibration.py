"""Tests for calibration tests of a master scale (``scorecard.policy._calibration``)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special, stats

from scorecard._core.artifact import dumps
from scorecard._core.validation import binary_flag
from scorecard.exceptions import DataError, SchemaError, SpecificationError
from scorecard.policy._calibration import (
    CalibrationReport,
    _traffic_light,
    binomial_pvalue,
    calibrate,
    calibrate_counts,
    jeffreys_pvalue,
)
from scorecard.policy._grades import Grade, GradeScale


@pytest.fixture
def scale() -> GradeScale:
    # A: [620, inf) PD 1%, B: [580, 620) PD 5%, C: (-inf, 580) PD 20%
    return GradeScale.from_cutoffs([620, 580], ["A", "B", "C"], pds=[0.01, 0.05, 0.2])


# --------------------------------------------------------------------------- worked check


def test_worked_check_n500_d8_pd1pct() -> None:
    """The brief's worked check: N=500, D=8, PD=1%."""
    jef = float(jeffreys_pvalue(500, 8, 0.01))
    bino = float(binomial_pvalue(500, 8, 0.01))
    assert round(jef, 4) == 0.0953
    assert round(bino, 4) == 0.1323
    # independent computations: the regularized incomplete beta I_x(a, b) and scipy's
    # exact binomial test (a different code path from binom.sf)
    assert jef == pytest.approx(special.betainc(8.5, 492.5, 0.01), rel=1e-12)
    assert bino == pytest.approx(
        stats.binomtest(8, 500, 0.01, alternative="greater").pvalue, rel=1e-10
    )
    # and by summing the binomial pmf by hand: P(X >= 8) = 1 - sum_{x=0}^{7} C(500,x) .01^x .99^(500-x)
    below = sum(math.comb(500, x) * 0.01**x * 0.99 ** (500 - x) for x in range(8))
    assert bino == pytest.approx(1 - below, rel=1e-9)
    # in a report: green at the default 5% / 1% thresholds, by either test
    r = CalibrationReport(("A",), n=(500,), defaults=(8,), pd=(0.01,))
    assert r.status == ("green",)
    assert CalibrationReport(("A",), (500,), (8,), (0.01,), test="binomial").status == ("green",)
    # at a 10% amber threshold the Jeffreys p-value 0.0953 is amber, the binomial 0.1323 is not
    assert CalibrationReport(("A",), (500,), (8,), (0.01,), amber=0.10).status == ("amber",)
    assert CalibrationReport(("A",), (500,), (8,), (0.01,), test="binomial", amber=0.10).status == (
        "green",
    )


def test_pvalue_edge_cases() -> None:
    # D = 0: P(X >= 0) = 1; Jeffreys = Beta(0.5, N + 0.5) CDF at p
    assert float(binomial_pvalue(100, 0, 0.01)) == pytest.approx(1.0)
    assert float(jeffreys_pvalue(100, 0, 0.01)) == pytest.approx(stats.beta.cdf(0.01, 0.5, 100.5))
    # D = N: P(X >= N) = p^N
    assert float(binomial_pvalue(3, 3, 0.1)) == pytest.approx(0.001)
    # N = 0: no test
    assert np.isnan(binomial_pvalue(0, 0, 0.01)) and np.isnan(jeffreys_pvalue(0, 0, 0.01))
    # vectorized
    out = binomial_pvalue([500, 100], [8, 12], [0.01, 0.05])
    assert out.shape == (2,)


# --------------------------------------------------------------------------- per grade


def test_report_per_grade_hand_computed() -> None:
    r = CalibrationReport(
        ("A", "B", "C"), n=(500, 100, 0), defaults=(8, 12, 0), pd=(0.01, 0.05, 0.2)
    )
    t = r.table
    assert t.index.tolist() == ["A", "B", "C"] and t.index.name == "grade"
    assert t["n"].tolist() == [500, 100, 0]
    assert t["observed_rate"].tolist()[:2] == [8 / 500, 12 / 100]
    assert np.isnan(t.loc["C", "observed_rate"])
    assert t["expected_defaults"].tolist() == pytest.approx([5.0, 5.0, 0.0])
    assert t["share"].tolist() == pytest.approx([500 / 600, 100 / 600, 0.0])
    # B: N=100, D=12, PD=5%
    assert t.loc["B", "binomial_p"] == pytest.approx(stats.binom.sf(11, 100, 0.05))
    assert t.loc["B", "jeffreys_p"] == pytest.approx(stats.beta.cdf(0.05, 12.5, 88.5))
    assert t.loc["B", "jeffreys_p"] < 0.01
    assert t["status"].tolist() == ["green", "red", "n/a"]
    assert r.status == ("green", "red", "n/a")
    assert np.isnan(t.loc["C", "binomial_p"]) and np.isnan(t.loc["C", "jeffreys_p"])


@pytest.mark.parametrize(
    ("p", "expected"),
    [(0.2, "green"), (0.05, "green"), (0.0499, "amber"), (0.01, "amber"), (0.0099, "red")],
)
def test_traffic_light_thresholds(p: float, expected: str) -> None:
    # choose D and N so that the Jeffreys p-value is what we want: invert in PD instead:
    # the Jeffreys p-value is F(pd), so pd = F^{-1}(p) gives exactly p.
    pd_ = float(stats.beta.ppf(p, 5.5, 95.5))
    r = CalibrationReport(("A",), (100,), (5,), (pd_,))
    assert r.jeffreys_p[0] == pytest.approx(p, rel=1e-9)
    if abs(r.jeffreys_p[0] - 0.05) > 1e-12 and abs(r.jeffreys_p[0] - 0.01) > 1e-12:
        assert r.status == (expected,)
    # exactly on a threshold: p = amber is green, p = red is amber (the tests are "p < t")
    assert _traffic_light(np.array([p]), 0.05, 0.01) == (expected,)


def test_hosmer_lemeshow_hand_computed() -> None:
    r = CalibrationReport(("A", "B"), n=(500, 100), defaults=(8, 12), pd=(0.01, 0.05))
    # (8 - 500*.01)^2 / (500*.01*.99) + (12 - 100*.05)^2 / (100*.05*.95)
    # = 9 / 4.95 + 49 / 4.75 = 1.818181... + 10.315789... = 12.133971...
    hl = 9 / 4.95 + 49 / 4.75
    assert r.hl_statistic == pytest.approx(hl)
    assert r.hl_statistic == pytest.approx(12.133971, abs=1e-6)
    assert r.hl_df == 2
    # chi-square with 2 df has survival function exp(-x/2)
    assert r.hl_pvalue == pytest.approx(math.exp(-hl / 2))
    assert r.hl_pvalue == pytest.approx(stats.chi2.sf(hl, 2))
    assert r.table["hl_term"].tolist() == pytest.approx([9 / 4.95, 49 / 4.75])
    # in-sample version: 2 df fewer -> no df left
    r2 = CalibrationReport(("A", "B"), (500, 100), (8, 12), (0.01, 0.05), hl_ddof=2)
    assert r2.hl_df == 0 and np.isnan(r2.hl_pvalue)
    # an empty grade is left out of the statistic and of the degrees of freedom
    r3 = CalibrationReport(("A", "B", "C"), (500, 100, 0), (8, 12, 0), (0.01, 0.05, 0.2))
    assert r3.hl_statistic == pytest.approx(hl) and r3.hl_df == 2


def test_monotone_breaks() -> None:
    # observed rates: A 2%, B 1% (break A>B), C empty (skipped), D 5%, E 4% (break D>E)
    r = CalibrationReport(
        ("A", "B", "C", "D", "E"),
        n=(100, 100, 0, 100, 100),
        defaults=(2, 1, 0, 5, 4),
        pd=(0.01, 0.02, 0.03, 0.04, 0.05),
    )
    assert r.monotone_breaks == (("A", "B"), ("D", "E"))
    assert not r.is_monotone
    # ties are not breaks; B -> D across the empty grade C is compared directly
    r2 = CalibrationReport(("A", "B", "C"), (100, 0, 100), (1, 0, 1), (0.01, 0.02, 0.03))
    assert r2.is_monotone and r2.monotone_breaks == ()
    r3 = CalibrationReport(("A", "B", "C"), (100, 0, 100), (3, 0, 1), (0.01, 0.02, 0.03))
    assert r3.monotone_breaks == (("A", "C"),)


def test_concentration_hand_computed() -> None:
    r = CalibrationReport(
        ("A", "B", "C"), n=(50, 30, 20), defaults=(0, 0, 0), pd=(0.01, 0.02, 0.03)
    )
    # shares .5, .3, .2: HHI = .25 + .09 + .04 = .38; normalized (.38 - 1/3) / (1 - 1/3) = .07
    assert r.herfindahl == pytest.approx(0.38)
    assert r.herfindahl_normalized == pytest.approx(0.07)
    # default limit 20%: A (50%) and B (30%) exceed it, C (exactly 20%) does not
    assert r.concentrated == ("A", "B")
    assert CalibrationReport(
        ("A", "B", "C"), (50, 30, 20), (0, 0, 0), (0.01, 0.02, 0.03), max_share=0.4
    ).concentrated == ("A",)
    one = CalibrationReport(("A",), (10,), (1,), (0.1,))
    assert one.herfindahl == 1.0 and one.herfindahl_normalized == 1.0


def test_portfolio_summary_hand_computed() -> None:
    r = CalibrationReport(("A", "B"), n=(500, 100), defaults=(8, 12), pd=(0.01, 0.05))
    port = r.portfolio_summary
    # mean PD = (500*.01 + 100*.05) / 600 = 10/600
    assert port["pd"] == pytest.approx(10 / 600)
    assert port["n"] == 600 and port["defaults"] == 20
    assert port["observed_rate"] == pytest.approx(20 / 600)
    assert port["expected_defaults"] == pytest.approx(10.0)
    assert port["binomial_p"] == pytest.approx(stats.binom.sf(19, 600, 10 / 600))
    assert port["jeffreys_p"] == pytest.approx(stats.beta.cdf(10 / 600, 20.5, 580.5))
    assert port["status"] == "red"
    s = r.summary
    assert s["hl_df"] == 2 and s["is_monotone"] is True and s["concentrated"] == ["A"]
    html = r._repr_html_()
    assert "<table" in html and "Hosmer-Lemeshow" in html and "Jeffreys" in html


# --------------------------------------------------------------------------- builders


def test_calibrate_from_scores_and_names(scale: GradeScale) -> None:
    scores = [700, 650, 620, 600, 590, 580, 500, 400]
    flags = [0, 0, 1, 0, 1, 0, 1, 1]
    r = calibrate(scale, scores, flags)
    # A: 700, 650, 620 -> 3 with 1 default; B: 600, 590, 580 -> 3 with 1; C: 500, 400 -> 2 with 2
    assert r.grades == ("A", "B", "C")
    assert r.n == (3, 3, 2) and r.defaults == (1, 1, 2)
    assert r.pd == (0.01, 0.05, 0.2)
    names = pd.Series(scale.assign(scores))
    assert calibrate(scale, names, flags) == r
    assert calibrate(scale, names.astype("category"), np.array(flags, dtype=bool)) == r
    assert calibrate(scale, scale.assign_categorical(pd.Series(scores, dtype=float)), flags) == r
    assert calibrate_counts(scale, [3, 3, 2], [1, 1, 2]) == r


def test_calibrate_default_grade_excluded(scale: GradeScale) -> None:
    s = GradeScale(scale.grades, default_grade=Grade("D", "Defaulted"))
    r = calibrate(s, ["A", "D", "B", "D", "C"], [0, 1, 0, 1, 1])
    assert r.n == (1, 1, 1) and r.defaults == (0, 0, 1) and r.n_excluded == 2
    assert r.grades == ("A", "B", "C")


def test_calibrate_pd_override_and_floor(scale: GradeScale) -> None:
    r = calibrate_counts(scale, [10, 10, 10], [0, 1, 2], pds=[0.0001, 0.04, 0.3])
    assert r.pd == (0.0003, 0.04, 0.3)  # floored at scale.pd_floor
    floored = GradeScale.from_cutoffs([1], ["A", "B"], pds=[0.0001, 0.01])
    assert calibrate_counts(floored, [10, 10], [0, 0]).pd == (0.0003, 0.01)
    no_pd = GradeScale.from_cutoffs([1], ["A", "B"])
    with pytest.raises(SpecificationError, match="scale: expected a master scale"):
        calibrate_counts(no_pd, [1, 1], [0, 0])
    assert calibrate_counts(no_pd, [1, 1], [0, 0], pds=[0.01, 0.02]).pd == (0.01, 0.02)
    with pytest.raises(SpecificationError, match="pds: expected 2 PDs"):
        calibrate_counts(no_pd, [1, 1], [0, 0], pds=[0.01])
    with pytest.raises(SpecificationError, match=r"pds: expected PDs in \(0, 1\)"):
        calibrate_counts(no_pd, [1, 1], [0, 0], pds=[0.01, 1.0])


def test_calibrate_counts_mapping(scale: GradeScale) -> None:
    r = calibrate_counts(scale, {"A": 100, "C": 5}, {"C": 1})
    assert r.n == (100, 0, 5) and r.defaults == (0, 0, 1)
    with pytest.raises(DataError, match=r"counts: expected grade names.*\['Z'\]"):
        calibrate_counts(scale, {"Z": 1}, {})
    with pytest.raises(DataError, match="defaults: expected at most as many defaults"):
        calibrate_counts(scale, [1, 1, 1], [2, 0, 0])
    with pytest.raises(DataError, match="counts: expected 3 counts"):
        calibrate_counts(scale, [1, 1], [0, 0, 0])
    with pytest.raises(DataError, match="counts: expected integer counts"):
        calibrate_counts(scale, [1.5, 1, 1], [0, 0, 0])
    with pytest.raises(DataError, match="defaults: expected counts >= 0"):
        calibrate_counts(scale, [1, 1, 1], [-1, 0, 0])


def test_calibrate_bad_input(scale: GradeScale) -> None:
    with pytest.raises(DataError, match="scores: expected no NaN.*1 NaN"):
        calibrate(scale, [600.0, math.nan], [0, 1])
    with pytest.raises(DataError, match=r"ratings: expected grade names.*\['Z'\]"):
        calibrate(scale, ["A", "Z"], [0, 1])
    with pytest.raises(
        DataError, match="ratings: expected a grade name per obligor, found 1 missing"
    ):
        calibrate(scale, pd.Series(["A", None], dtype=object), [0, 1])
    with pytest.raises(DataError, match="defaults: expected 0/1.*2 other values"):
        calibrate(scale, [600, 610, 620], [0, 2, 3])
    with pytest.raises(DataError, match="defaults: expected 0/1.*1 missing"):
        calibrate(scale, [600, 610], [0, math.nan])
    with pytest.raises(DataError, match="defaults: expected 0/1"):
        calibrate(scale, [600, 610], ["y", "n"])
    with pytest.raises(DataError, match="defaults: expected 3 values"):
        calibrate(scale, [600, 610, 620], [0, 1])
    with pytest.raises(DataError, match="defaults: expected a Series with the same index"):
        calibrate(scale, pd.Series([600.0, 610.0]), pd.Series([0, 1], index=[5, 6]))
    with pytest.raises(DataError, match="ratings: expected scores or grade names"):
        calibrate(scale, [True, False], [0, 1])
    with pytest.raises(DataError, match="ratings: expected at least one"):
        calibrate(scale, np.array([], dtype=float), np.array([], dtype=int))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"grades": ()}, r"CalibrationReport\.grades"),
        ({"grades": ("A", "A")}, r"CalibrationReport\.grades.*unique"),
        ({"n": (1,)}, r"CalibrationReport\.n: expected 2 values"),
        ({"n": (1.5, 2)}, r"CalibrationReport\.n: expected a sequence of integers"),
        ({"n": (-1, 2)}, r"CalibrationReport\.n: expected counts >= 0"),
        ({"defaults": (5, 0)}, r"CalibrationReport\.defaults.*\['A'\]"),
        ({"pd": (0.0, 0.1)}, r"CalibrationReport\.pd.*\['A'\]"),
        ({"pd": (0.1,)}, r"CalibrationReport\.pd: expected 2 PDs"),
        ({"test": "chi2"}, "test: expected one of"),
        ({"amber": 0.0}, r"amber: expected a number in \(0, 1\)"),
        ({"red": 0.1}, r"red: expected a threshold <= amber"),
        ({"max_share": 1.5}, r"max_share: expected a number in \(0, 1\]"),
        ({"hl_ddof": -1}, "hl_ddof: expected an integer >= 0"),
        ({"n_excluded": 1.0}, "n_excluded: expected an integer >= 0"),
    ],
)
def test_report_bad_input(kwargs: dict[str, object], field: str) -> None:
    base: dict[str, object] = {
        "grades": ("A", "B"),
        "n": (2, 2),
        "defaults": (1, 1),
        "pd": (0.1, 0.2),
    }
    base.update(kwargs)
    with pytest.raises(SpecificationError, match=field):
        CalibrationReport(**base)  # type: ignore[arg-type]


def test_binary_flag() -> None:
    assert binary_flag([0, 1, 1.0, True], "bad").tolist() == [0, 1, 1, 1]
    assert binary_flag(np.zeros(3), "bad").tolist() == [0, 0, 0]  # one class is fine


# --------------------------------------------------------------------------- serialization


def test_json_round_trip_and_refusals(tmp_path: Path) -> None:
    r = CalibrationReport(
        ("A", "B", "C"), (500, 100, 0), (8, 12, 0), (0.01, 0.05, 0.2), n_excluded=3, hl_ddof=1
    )
    text = r.to_json()
    back = CalibrationReport.from_json(text)
    assert back == r and back.to_json() == text
    body = json.loads(text)["body"]
    assert body["results"]["per_grade"][2]["jeffreys_p"] == "NaN"
    assert body["results"]["per_grade"][1]["status"] == "red"
    assert body["results"]["summary"]["portfolio"]["n"] == 600
    path = r.save(tmp_path / "cal.json")
    assert CalibrationReport.load(path) == r
    payload = json.loads(text)
    with pytest.raises(SchemaError, match="kind"):
        CalibrationReport.from_json(dumps(dict(payload, kind="grade_scale")))
    with pytest.raises(SchemaError, match="newer"):
        CalibrationReport.from_json(dumps(dict(payload, schema_version=99)))
    payload["body"]["n"][0] = 499
    with pytest.raises(SchemaError, match="tampered"):
        CalibrationReport.from_json(dumps(payload))
    with pytest.raises(SchemaError, match="'n'"):
        CalibrationReport.from_dict({"grades": ["A"]})


# --------------------------------------------------------------------------- properties


@st.composite
def count_tables(draw: st.DrawFn) -> tuple[list[int], list[int], list[float]]:
    k = draw(st.integers(1, 6))
    n = draw(st.lists(st.integers(0, 2000), min_size=k, max_size=k))
    d = [draw(st.integers(0, v)) for v in n]
    pds = sorted(draw(st.lists(st.floats(1e-4, 0.9), min_size=k, max_size=k)))
    return n, d, pds


@settings(max_examples=100, deadline=None)
@given(tab=count_tables())
def test_property_pvalues_match_scipy(tab: tuple[list[int], list[int], list[float]]) -> None:
    n, d, pds = tab
    names = tuple(f"G{i}" for i in range(len(n)))
    r = CalibrationReport(names, n, d, pds)
    for i in range(len(n)):
        if n[i] == 0:
            assert math.isnan(r.binomial_p[i]) and r.status[i] == "n/a"
            continue
        exact = stats.binomtest(d[i], n[i], pds[i], alternative="greater").pvalue
        assert r.binomial_p[i] == pytest.approx(exact, rel=1e-6, abs=1e-12)
        jef = special.betainc(d[i] + 0.5, n[i] - d[i] + 0.5, pds[i])
        assert r.jeffreys_p[i] == pytest.approx(jef, rel=1e-9, abs=1e-15)
        assert 0.0 <= r.jeffreys_p[i] <= 1.0
    assert r.hl_df == sum(1 for v in n if v > 0)
    assert r.hl_statistic >= 0
    assert CalibrationReport.from_json(r.to_json()) == r


@settings(max_examples=50, deadline=None)
@given(
    scores=st.lists(st.floats(300, 900), min_size=1, max_size=60),
    data=st.data(),
)
def test_property_calibrate_equals_counts(scores: list[float], data: st.DataObject) -> None:
    scale = GradeScale.from_cutoffs([620, 580], ["A", "B", "C"], pds=[0.01, 0.05, 0.2])
    flags = data.draw(st.lists(st.integers(0, 1), min_size=len(scores), max_size=len(scores)))
    r = calibrate(scale, scores, flags)
    idx = scale.assign_index(scores)
    n = [int((idx == i).sum()) for i in range(3)]
    d = [int(np.asarray(flags)[idx == i].sum()) for i in range(3)]
    assert r == calibrate_counts(scale, n, d)
    assert r.total_n == len(scores) and r.total_defaults == sum(flags)


def test_deprecated_spelling_of_normalized_herfindahl(scale: GradeScale) -> None:
    r = calibrate_counts(scale, [10, 20, 30], [0, 1, 2])
    with pytest.warns(DeprecationWarning, match="herfindahl_normalized"):
        assert r.herfindahl_normalised == r.herfindahl_normalized
