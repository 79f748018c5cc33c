"""The monitoring report: counts path = rows path, hand-checked tables, bad input, JSON, HTML."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard import GradeScale, Scorecard, calibrate, fit_scorecard
from scorecard.exceptions import DataError, SchemaError, SpecificationError
from scorecard.metrics import auc
from scorecard.monitor import (
    MonitoringReport,
    MonitorSpec,
    count_rows,
    monitor,
    monitor_counts,
    psi,
)

MONTHS = ["2023-01", "2023-02", "2023-03", "2023-04", "2023-05", "2023-06"]


@pytest.fixture(scope="module")
def card(german: pd.DataFrame) -> Scorecard:
    return fit_scorecard(german, "bad", seed=0).scorecard


@pytest.fixture(scope="module")
def samples(german: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Baseline: the first 600 applicants; current: the other 400, dated over six months."""
    rng = np.random.default_rng(11)
    current = german.iloc[600:].copy()
    days = rng.integers(0, 181, size=len(current))
    current["date"] = pd.Timestamp("2023-01-01") + pd.to_timedelta(np.sort(days), unit="D")
    return german.iloc[:600].copy(), current


@pytest.fixture(scope="module")
def report(card: Scorecard, samples: tuple[pd.DataFrame, pd.DataFrame]) -> MonitoringReport:
    base, cur = samples
    return monitor(card, base, cur, date_column="date", by="month")


def _independent_counts(
    card: Scorecard, data: pd.DataFrame, period: pd.Series | None, target: str | None = "bad"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counts per score and per bin by pandas group-bys, not by the library's counting."""
    frame = pd.DataFrame({"score": card.score(data)}, index=data.index)
    y = data[target] if target else pd.Series(np.nan, index=data.index)
    frame["rows"] = 1
    frame["goods"] = (y == 0).astype(int)
    frame["bads"] = (y == 1).astype(int)
    keys = ["score"]
    if period is not None:
        frame["period"] = period.to_numpy()
        keys = ["period", "score"]
    scores = frame.groupby(keys, as_index=False)[["rows", "goods", "bads"]].sum()
    parts = []
    for c in card.characteristics:
        f = frame[[*(["period"] if period is not None else []), "rows", "goods", "bads"]].copy()
        f["characteristic"] = c.name
        f["bin"] = c.binning.transform(data[c.name], metric="index")
        parts.append(
            f.groupby(
                ["characteristic", "bin", *(["period"] if period is not None else [])],
                as_index=False,
            )[["rows", "goods", "bads"]].sum()
        )
    return scores, pd.concat(parts, ignore_index=True)


# --------------------------------------------------------------------------- counts = rows


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 2**31 - 1), st.booleans())
def test_counts_path_gives_exactly_the_rows_path_report(
    card: Scorecard, german: pd.DataFrame, seed: int, unknown: bool
) -> None:
    rng = np.random.default_rng(seed)
    base = german.sample(n=int(rng.integers(200, 500)), random_state=seed)
    cur = german.sample(n=int(rng.integers(50, 400)), random_state=seed + 1).copy()
    months = rng.choice(MONTHS[:4], size=len(cur))
    cur["date"] = pd.to_datetime([f"{m}-15" for m in months])
    if unknown:  # outcomes not known yet for some rows
        cur["bad"] = cur["bad"].astype(float).where(rng.random(len(cur)) > 0.3)
    spec = MonitorSpec(score_bands=int(rng.integers(2, 12)), n_bootstrap=20, seed=seed % 1000)
    rows_report = monitor(card, base, cur, date_column="date", spec=spec)
    period = cur["date"].dt.to_period("M").astype(str)
    counts_report = monitor_counts(
        card,
        _independent_counts(card, base, None),
        _independent_counts(card, cur, period),
        by="month",
        spec=spec,
    )
    assert counts_report == rows_report
    assert counts_report.to_json() == rows_report.to_json()
    pd.testing.assert_frame_equal(counts_report.summary, rows_report.summary)


def test_counts_round_trip_through_the_report(report: MonitoringReport, card: Scorecard) -> None:
    base, cur = report.counts()
    again = monitor_counts(card, base, cur, by=report.by, spec=report.spec)
    assert again == report


def test_chunked_counts_add_up(card: Scorecard, samples: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    """Counts of chunks concatenated give the counts of the whole (rows with one key summed)."""
    base, cur = samples
    chunks = [count_rows(card, cur.iloc[i : i + 90], date_column="date") for i in range(0, 400, 90)]
    scores = pd.concat([c.scores for c in chunks], ignore_index=True)
    bins = pd.concat([c.bins for c in chunks], ignore_index=True)
    whole = monitor(card, base, cur, date_column="date")
    assert monitor_counts(card, count_rows(card, base), (scores, bins), by="month") == whole


def test_report_json_round_trip_is_identity_and_bytes_are_stable(
    report: MonitoringReport, tmp_path
) -> None:
    text = report.to_json()
    assert MonitoringReport.from_json(text) == report
    assert MonitoringReport.from_json(text).to_json() == text
    path = report.save(tmp_path / "r.json")
    assert MonitoringReport.load(path) == report
    edited = text.replace('"rows": [', '"rows": [1, ', 1)
    with pytest.raises(SchemaError):
        MonitoringReport.from_json(edited)


# --------------------------------------------------------------------------- the tables


def test_periods_are_the_months_with_a_total(report: MonitoringReport) -> None:
    assert report.periods == tuple(MONTHS)
    assert list(report.score_stability.index) == [*MONTHS, "total"]
    pop = report.population
    assert pop.loc["total", "rows"] == 400 == pop.loc[list(MONTHS), "rows"].sum()
    assert pop.loc["baseline", "rows"] == 600


def test_score_psi_equals_psi_of_the_band_counts(
    report: MonitoringReport, card: Scorecard, samples: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    base, cur = samples
    edges = report.bands.edges
    b = np.bincount(
        np.searchsorted(edges, card.score(base), side="right"), minlength=len(edges) + 1
    )
    c = np.bincount(np.searchsorted(edges, card.score(cur), side="right"), minlength=len(edges) + 1)
    assert report.score_stability.loc["total", "psi"] == pytest.approx(psi(b, c))
    table = report.score_table()
    assert table["baseline_rows"].tolist() == b.tolist()
    assert table["current_rows"].tolist() == c.tolist()
    assert report.score_stability.loc["total", "bins"] == int(np.count_nonzero(b + c))
    # about ten equal baseline shares
    assert len(edges) == 9 and b.max() / b.sum() < 0.2


def test_score_shifts_add_up_to_the_change_of_the_mean_score(report: MonitoringReport) -> None:
    pop = report.population
    shifts = report.characteristic_stability.xs("total", level="period")["score_shift"]
    change = pop.loc["total", "mean_score"] - pop.loc["baseline", "mean_score"]
    assert shifts.sum() == pytest.approx(change, abs=1e-9)


def test_characteristic_table_by_hand(
    report: MonitoringReport, card: Scorecard, samples: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    base, cur = samples
    c = card["duration_in_month"]
    k = len(c.binning.labels) + 1
    b = np.bincount(c.binning.transform(base[c.name], metric="index"), minlength=k)
    a = np.bincount(c.binning.transform(cur[c.name], metric="index"), minlength=k)
    t = report.characteristic_table(c.name)
    assert t["baseline_rows"].tolist() == b.tolist()
    assert t["current_rows"].tolist() == a.tolist()
    pts = np.asarray(c.points, dtype=float)
    shift = float(((a / a.sum()) - (b / b.sum())) @ pts)
    assert t["score_shift"].sum() == pytest.approx(shift)
    row = report.characteristic_stability.loc[(c.name, "total")]
    assert row["psi"] == pytest.approx(psi(b, a))
    assert row["score_shift"] == pytest.approx(shift)


def test_unseen_values_have_their_own_bin(
    card: Scorecard, samples: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    base, cur = samples
    cur = cur.copy()
    cur["purpose"] = cur["purpose"].astype(str)
    cur.iloc[:7, cur.columns.get_loc("purpose")] = "spaceship"
    r = monitor(card, base, cur)
    row = r.characteristic_stability.loc[("purpose", "total")]
    assert row["unseen_share"] == pytest.approx(7 / 400)
    assert row["baseline_unseen_share"] == 0.0
    t = r.characteristic_table("purpose")
    assert t.loc[-1, "label"] == "Unseen"
    assert t.loc[-1, "current_rows"] == 7 and t.loc[-1, "baseline_rows"] == 0
    k = len(card["purpose"].binning.labels) + 1
    idx_b = card["purpose"].binning.transform(base["purpose"], metric="index")
    idx_c = card["purpose"].binning.transform(cur["purpose"], metric="index")
    b = np.bincount(np.where(idx_b < 0, k - 1, idx_b), minlength=k)
    a = np.bincount(np.where(idx_c < 0, k - 1, idx_c), minlength=k)
    assert row["psi"] == pytest.approx(psi(b, a))
    # the unseen bin is in the PSI with the zero-count rule: its term is positive
    assert t.loc[-1, "psi"] > 0


def test_discrimination_per_period_equals_the_metrics_module(
    report: MonitoringReport, card: Scorecard, samples: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    base, cur = samples
    disc = report.discrimination
    assert disc.loc["baseline", "auc"] == pytest.approx(auc(base["bad"], card.score(base)))
    month = cur["date"].dt.to_period("M").astype(str)
    for m in MONTHS:
        part = cur[month == m]
        assert disc.loc[m, "auc"] == pytest.approx(auc(part["bad"], card.score(part)))
        assert disc.loc[m, "gini"] == pytest.approx(2 * disc.loc[m, "auc"] - 1)
        assert disc.loc[m, "auc_low"] <= disc.loc[m, "auc"] <= disc.loc[m, "auc_high"]
    # the drop test: a z test of two independent DeLong variances
    t = disc.loc["total"]
    z = (t["auc"] - disc.loc["baseline", "auc"]) / math.hypot(
        t["auc_se"], disc.loc["baseline", "auc_se"]
    )
    from scipy import stats

    assert t["auc_p"] == pytest.approx(stats.norm.cdf(z))


def test_calibration_per_grade_equals_calibrate(
    card: Scorecard, samples: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    base, cur = samples
    scale = GradeScale.from_pd_boundaries(
        [0.05, 0.10, 0.20, 0.35, 1.0], ["A", "B", "C", "D", "E"], card.scaling
    )
    r = monitor(
        card,
        base,
        cur,
        date_column="date",
        scale=scale,
        spec=MonitorSpec(pd_source="grade", score_bands="grades"),
    )
    month = cur["date"].dt.to_period("M").astype(str)
    for m in MONTHS[:3]:
        part = cur[month == m]
        ref = calibrate(scale, card.score(part), part["bad"].to_numpy())
        assert r.calibration_report(m) == ref
    total = calibrate(scale, card.score(cur), cur["bad"].to_numpy())
    assert r.calibration_report() == total
    assert r.calibration.loc["total", "n"] == 400
    # grades as PSI bands: the scale's own grading rule
    assert r.score_table()["label"].tolist() == ["E", "D", "C", "B", "A"]


def test_calibration_with_the_model_pd(
    report: MonitoringReport, card: Scorecard, samples: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    """Without a scale the grades are the score bands, predicted = mean PD of the scores."""
    _, cur = samples
    _, pd_ = card.score_and_pd(cur)
    cal = report.calibration.loc["total"]
    assert cal["predicted_rate"] == pytest.approx(pd_.mean())
    assert cal["observed_rate"] == pytest.approx(cur["bad"].mean())


def test_classification_at_the_default_cutoff(
    report: MonitoringReport, card: Scorecard, samples: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    _, cur = samples
    _score, pd_ = card.score_and_pd(cur)
    predicted_bad = pd_ > 0.5
    y = cur["bad"].to_numpy() == 1
    row = report.classification.loc["total"]
    assert row["tpr"] == pytest.approx((predicted_bad & y).sum() / y.sum())
    assert row["tnr"] == pytest.approx((~predicted_bad & ~y).sum() / (~y).sum())


def test_summary_and_status(report: MonitoringReport) -> None:
    s = report.summary
    assert ("score stability", "score") in s.index
    assert ("discrimination", "score") in s.index
    assert set(s["status"]) <= {"green", "amber", "red", "n/a"}
    assert report.status in ("green", "amber", "red")


# --------------------------------------------------------------------------- statuses


def test_psi_status_rule() -> None:
    from scorecard.monitor._tables import psi_status

    spec = MonitorSpec()
    assert psi_status(0.30, 0.20, spec) == "green"  # large but within noise
    assert psi_status(0.02, 0.001, spec) == "amber"  # small but significant
    assert psi_status(0.30, 0.001, spec) == "red"
    assert psi_status(math.nan, math.nan, spec) == "n/a"
    classic = MonitorSpec(psi_alpha=None)
    assert [psi_status(v, 1.0, classic) for v in (0.05, 0.15, 0.3)] == ["green", "amber", "red"]


def test_drift_is_caught(card: Scorecard, german: pd.DataFrame) -> None:
    """Shift one characteristic and raise the bad rate: CSI and calibration flag it."""
    rng = np.random.default_rng(4)
    cur = german.sample(n=3000, replace=True, random_state=5).copy()
    cur["duration_in_month"] = cur["duration_in_month"] + 24
    cur["bad"] = np.where(rng.random(len(cur)) < 0.25, 1, cur["bad"])
    r = monitor(card, german, cur)
    assert r.characteristic_stability.loc[("duration_in_month", "total"), "status"] == "red"
    assert r.summary.loc[("calibration", "score"), "status"] == "red"
    assert r.status == "red"


# --------------------------------------------------------------------------- bad input


def test_missing_column_names_the_sample_and_column(
    card: Scorecard, samples: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    base, cur = samples
    with pytest.raises(DataError, match=r"current.*'purpose'"):
        monitor(card, base, cur.drop(columns="purpose"))
    with pytest.raises(DataError, match=r"current.*'nodate'"):
        monitor(card, base, cur, date_column="nodate")


def test_date_column_that_does_not_parse(card: Scorecard, samples) -> None:
    base, cur = samples
    cur = cur.assign(date=cur["date"].astype(str))
    cur.iloc[3, cur.columns.get_loc("date")] = "not a date"
    with pytest.raises(DataError, match=r"column 'date'.*do not parse.*'not a date'"):
        monitor(card, base, cur, date_column="date")
    with pytest.raises(DataError, match="expected dates, found dtype int64"):
        monitor(card, base, cur.assign(date=1), date_column="date")
    dated = samples[1].copy()
    dated.loc[dated.index[0], "date"] = pd.NaT
    with pytest.raises(DataError, match=r"column 'date'.*1 missing"):
        monitor(card, base, dated, date_column="date")


def test_bad_target(card: Scorecard, samples) -> None:
    base, cur = samples
    with pytest.raises(DataError, match=r"current: target 'bad'.*other values"):
        monitor(card, base, cur.assign(bad=2))
    with pytest.raises(DataError, match=r"baseline: target 'bad'.*dtype"):
        monitor(card, base.assign(bad="x"), cur)


def test_period_with_no_rows_and_period_with_no_bads(card: Scorecard, samples) -> None:
    base, cur = samples
    cur = cur.copy()
    month = cur["date"].dt.to_period("M").astype(str)
    cur = cur[month != "2023-03"]  # an empty month in the middle
    feb = (cur["date"].dt.to_period("M").astype(str) == "2023-02").to_numpy()
    cur.loc[feb, "bad"] = 0  # a month without bads
    r = monitor(card, base, cur, date_column="date")
    assert "2023-03" in r.periods
    row = r.score_stability.loc["2023-03"]
    assert row["rows"] == 0 and math.isnan(row["psi"]) and row["status"] == "n/a"
    assert "no rows" in row["note"]
    d = r.discrimination.loc["2023-02"]
    assert math.isnan(d["auc"]) and d["status"] == "n/a" and "no bads" in d["note"]
    assert r.discrimination.loc["2023-03", "note"].startswith("not computable")
    assert r.calibration.loc["2023-03", "status"] == "n/a"
    html = r.to_html(plots=False)
    assert "n/c" in html and "not computable" in html


def test_stability_only_without_outcomes(card: Scorecard, samples) -> None:
    base, cur = samples
    r = monitor(card, base, cur.drop(columns="bad"), target=None)
    assert r.population.loc["total", "with_outcome"] == 0
    assert r.summary.loc[("discrimination", "score"), "status"] == "n/a"
    assert r.score_stability.loc["total", "status"] in ("green", "amber", "red")


def test_counts_that_do_not_match_the_card(card: Scorecard, samples) -> None:
    base, cur = samples
    b, c = count_rows(card, base), count_rows(card, cur)
    bins = c.bins.copy()
    bins.loc[0, "characteristic"] = "height"
    with pytest.raises(DataError, match=r"unknown characteristic\(s\) \['height'\]"):
        monitor_counts(card, b, (c.scores, bins))
    with pytest.raises(DataError, match=r"none for \['purpose'\]"):
        monitor_counts(card, b, (c.scores, c.bins[c.bins["characteristic"] != "purpose"]))
    bins = c.bins.copy()
    bins.loc[bins["characteristic"] == "purpose", "bin"] = 42
    with pytest.raises(DataError, match=r"'purpose'.*bin indices in \[-1, 6\].*42"):
        monitor_counts(card, b, (c.scores, bins))
    bins = c.bins.astype({"bin": object})
    bins.loc[bins.index[0], "bin"] = "no such bin"
    with pytest.raises(DataError, match="no such bin"):
        monitor_counts(card, b, (c.scores, bins))
    bins = c.bins.copy()
    bins.loc[bins.index[0], "rows"] += 1
    bins.loc[bins.index[0], "goods"] += 1
    with pytest.raises(DataError, match="expected the rows, goods and bads of the score counts"):
        monitor_counts(card, b, (c.scores, bins))
    scores = c.scores.copy()
    scores.loc[0, "score"] = 10_000
    with pytest.raises(DataError, match=r"\[323, 720\].*10000"):
        monitor_counts(card, b, (scores, c.bins))
    # same totals, a row moved to another score: only the points identity sees it
    scores = c.scores.copy()
    scores.loc[0, "score"] = scores.loc[0, "score"] + 1
    with pytest.raises(DataError, match="points in total"):
        monitor_counts(card, b, (scores, c.bins))
    bad = c.scores.assign(goods=c.scores["rows"] + 1)
    with pytest.raises(DataError, match="goods \\+ bads <= rows"):
        monitor_counts(card, b, (bad, c.bins))
    with pytest.raises(DataError, match="integer counts"):
        monitor_counts(card, b, (c.scores.assign(rows=0.5), c.bins))
    with pytest.raises(DataError, match="'period' column in both"):
        monitor_counts(card, b, (c.scores.assign(period="2023-01"), c.bins))


def test_counts_period_labels_and_gaps(card: Scorecard, samples) -> None:
    base, cur = samples
    b = count_rows(card, base)
    c = count_rows(card, cur, date_column="date")
    keep = ~c.scores["period"].isin(["2023-02"])
    keep_b = ~c.bins["period"].isin(["2023-02"])
    r = monitor_counts(card, b, (c.scores[keep], c.bins[keep_b]), by="month")
    assert r.periods == tuple(MONTHS)  # the gap is kept as an empty period
    assert r.population.loc["2023-02", "rows"] == 0
    r2 = monitor_counts(card, b, (c.scores[keep], c.bins[keep_b]))
    assert "2023-02" not in r2.periods  # without by, labels are taken as they are
    with pytest.raises(DataError, match="expected a month"):
        monitor_counts(
            card, b, (c.scores.assign(period="soon"), c.bins.assign(period="soon")), by="month"
        )


def test_spec_validation_and_grades_without_scale(card: Scorecard, samples) -> None:
    base, cur = samples
    with pytest.raises(SpecificationError, match="MonitorSpec.score_bands"):
        MonitorSpec(score_bands=1)
    with pytest.raises(SpecificationError, match="MonitorSpec.score_bands"):
        MonitorSpec(score_bands=[3, 2])
    with pytest.raises(SpecificationError, match="MonitorSpec.red"):
        MonitorSpec(amber=0.01, red=0.05)
    with pytest.raises(SpecificationError, match="grade scale"):
        monitor(card, base, cur, spec=MonitorSpec(score_bands="grades"))
    with pytest.raises(SpecificationError, match="master scale"):
        monitor(card, base, cur, spec=MonitorSpec(pd_source="grade"))
    spec = MonitorSpec(score_bands=[500, 550, 600])
    assert MonitorSpec.from_dict(spec.to_dict()) == spec
    with pytest.raises(SpecificationError, match="period"):
        monitor(card, base, cur).score_table("2023-13")


# --------------------------------------------------------------------------- HTML


def test_html_is_self_contained(report: MonitoringReport) -> None:
    pytest.importorskip("matplotlib")
    page = report.to_html()
    assert page.startswith("<!DOCTYPE html>")
    for section in (
        "Checks",
        "Score stability",
        "Characteristics",
        "Discrimination",
        "Calibration",
        "Event rates",
    ):
        assert f"<h2>{section}" in page
    assert page.count("data:image/png;base64,") >= 5
    assert "<script" not in page and 'src="http' not in page and "href=" not in page
    assert "<style>" in page


def test_html_without_matplotlib_says_plots_need_the_extra(
    report: MonitoringReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scorecard.monitor import _plots

    monkeypatch.setattr(_plots, "available", lambda: False)
    page = report.to_html()
    assert "data:image/png" not in page
    assert "Plots need the optional plot extra" in page and "scorecard[plot]" in page
    assert "<h2>Discrimination" in page


def test_html_escapes_labels(card: Scorecard, samples) -> None:
    base, cur = samples
    r = monitor(card, base, cur, title="<b>Q2</b> & co")
    page = r.to_html(plots=False)
    assert "&lt;b&gt;Q2&lt;/b&gt; &amp; co" in page and "<b>Q2</b>" not in page


def test_save_html(report: MonitoringReport, tmp_path) -> None:
    path = report.save_html(tmp_path / "r.html", plots=False)
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "MonitoringReport" in report._repr_html_()


def test_plots_are_png_images(report: MonitoringReport, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("matplotlib")
    images = report.plots()
    assert set(images) == {
        "psi_over_time",
        "score_distribution",
        "auc_over_time",
        "calibration_over_time",
        "calibration_by_grade",
    }
    assert all(png.startswith(b"\x89PNG") for png in images.values())
    from scorecard.monitor import _plots

    monkeypatch.setattr(_plots, "available", lambda: False)
    with pytest.raises(ImportError, match=r"scorecard\[plot\]"):
        report.plots()


def test_report_body_that_does_not_fit_its_card_is_refused(report: MonitoringReport) -> None:
    body = report.to_dict()
    body["current"]["scores"]["period"][0] = 99
    with pytest.raises(SchemaError, match="does not fit"):
        MonitoringReport.from_dict(body)
    body = report.to_dict()
    body["spec"]["psi_red"] = -1
    with pytest.raises(SchemaError, match="psi_red"):
        MonitoringReport.from_dict(body)
    body = report.to_dict()
    del body["periods"]
    with pytest.raises(SchemaError, match="periods"):
        MonitoringReport.from_dict(body)
