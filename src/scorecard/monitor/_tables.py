"""The monitoring tables, computed from the stored counts of a report.

:class:`Dense` lays a report's canonical cells out as arrays (a row per period and a
last row ``"total"``, the current sample pooled); each function below computes one
table from them.  Nothing here sees a data row.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from scorecard._core.types import FloatArray, IntArray
from scorecard.exceptions import SpecificationError
from scorecard.monitor import _stats
from scorecard.monitor._card import Bands, CardView
from scorecard.monitor._counts import Cells
from scorecard.monitor._spec import MonitorSpec
from scorecard.policy._calibration import CalibrationReport, calibrate_counts
from scorecard.policy._grades import GradeScale

__all__ = ["TOTAL", "Dense"]

#: label of the row that pools every current period
TOTAL = "total"
BASELINE = "baseline"


class Dense:
    """A report's counts as arrays: ``[rows, goods, bads]`` per score and per bin."""

    def __init__(
        self, view: CardView, periods: tuple[str, ...], baseline: Cells, current: Cells
    ) -> None:
        self.view = view
        self.periods = periods
        self.labels = (*periods, TOTAL)
        P = len(periods)
        scores = {c[1] for c in baseline.scores} | {c[1] for c in current.scores}
        self.values: IntArray = np.asarray(sorted(scores), dtype=np.int64)
        V = self.values.size
        pos = {v: i for i, v in enumerate(self.values.tolist())}
        self.base_s = np.zeros((3, V), dtype=np.float64)
        for s in baseline.scores:
            self.base_s[:, pos[s[1]]] += s[2:5]
        self.cur_s = np.zeros((3, P + 1, V), dtype=np.float64)
        for s in current.scores:
            self.cur_s[:, s[0], pos[s[1]]] += s[2:5]
        self.cur_s[:, P, :] = self.cur_s[:, :P, :].sum(axis=1)
        J = len(view.names)
        self.base_b = [np.zeros((3, view.n_bins(j))) for j in range(J)]
        self.cur_b = [np.zeros((3, P + 1, view.n_bins(j))) for j in range(J)]
        for c in baseline.bins:
            self.base_b[c[1]][:, c[2]] += c[3:6]
        for c in current.bins:
            self.cur_b[c[1]][:, c[0], c[2]] += c[3:6]
        for arr in self.cur_b:
            arr[:, P, :] = arr[:, :P, :].sum(axis=1)

    def row(self, period: str | None) -> int:
        """Row of a period label (``None`` or ``"total"``: the pooled row)."""
        if period is None or period == TOTAL:
            return len(self.periods)
        try:
            return self.periods.index(period)
        except ValueError:
            raise SpecificationError(
                f"period: expected one of {list(self.labels)}, found {period!r}"
            ) from None

    def band_counts(self, bands: Bands) -> tuple[FloatArray, FloatArray]:
        """Baseline ``[3, k]`` and current ``[3, P + 1, k]`` counts per score band."""
        idx = bands.index(self.values)
        k = len(bands)
        base: FloatArray = np.stack(
            [np.bincount(idx, weights=w, minlength=k).astype(np.float64) for w in self.base_s]
        )
        cur: FloatArray = np.stack(
            [
                np.stack(
                    [np.bincount(idx, weights=w, minlength=k).astype(np.float64) for w in block]
                )
                for block in self.cur_s
            ]
        )
        return base, cur


# --------------------------------------------------------------------------- helpers


def _size(value: float, spec: MonitorSpec) -> str:
    if math.isnan(value):
        return "n/a"
    if value >= spec.psi_red:
        return "large"
    return "moderate" if value >= spec.psi_amber else "small"


def psi_status(value: float, p_adjusted: float, spec: MonitorSpec) -> str:
    """Traffic light of a PSI (see :class:`~scorecard.monitor.MonitorSpec`)."""
    if math.isnan(value):
        return "n/a"
    if spec.psi_alpha is None:
        return "red" if value >= spec.psi_red else "amber" if value >= spec.psi_amber else "green"
    significant = not math.isnan(p_adjusted) and p_adjusted < spec.psi_alpha
    if not significant:
        return "green"
    return "red" if value >= spec.psi_red else "amber"


def _psi_row(expected: FloatArray, actual: FloatArray, spec: MonitorSpec) -> dict[str, Any]:
    """PSI of one comparison with its critical values and p-value (unadjusted)."""
    n, m = float(expected.sum()), float(actual.sum())
    nan = math.nan
    if n <= 0 or m <= 0:
        note = "no rows in this period" if m <= 0 else "no rows in the baseline"
        return {
            "rows": m,
            "psi": nan,
            "bins": 0,
            "critical_chi2": nan,
            "critical_normal": nan,
            "p_value": nan,
            "size": "n/a",
            "note": note,
        }
    B = int(np.count_nonzero(expected + actual))
    alpha = 0.05 if spec.psi_alpha is None else spec.psi_alpha
    value = _stats.psi(expected, actual, spec.smoothing)
    return {
        "rows": m,
        "psi": value,
        "bins": B,
        "critical_chi2": _stats.psi_critical_value(n, m, B, alpha, "chi2"),
        "critical_normal": _stats.psi_critical_value(n, m, B, alpha, "normal"),
        "p_value": _stats.psi_pvalue(value, n, m, B),
        "size": _size(value, spec),
        "note": "",
    }


def _rate(bads: FloatArray, known: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = np.where(known > 0, bads / np.where(known > 0, known, 1.0), np.nan)
    return out


def _share(rows: FloatArray) -> FloatArray:
    total = rows.sum()
    return rows / total if total > 0 else np.full(rows.shape, np.nan)


# --------------------------------------------------------------------------- population


def population(d: Dense) -> pd.DataFrame:
    """Rows, outcomes, bad rate and mean score of the baseline, every period and the total."""
    stack = np.concatenate([d.base_s[:, None, :], d.cur_s], axis=1)  # [3, P + 2, V]
    rows, goods, bads = stack.sum(axis=2)
    known = goods + bads
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(rows > 0, (stack[0] * d.values).sum(axis=1) / rows, np.nan)
    frame = pd.DataFrame(
        {
            "rows": rows.astype(np.int64),
            "with_outcome": known.astype(np.int64),
            "goods": goods.astype(np.int64),
            "bads": bads.astype(np.int64),
            "bad_rate": _rate(bads, known),
            "no_outcome": (rows - known).astype(np.int64),
            "mean_score": mean,
        },
        index=pd.Index([BASELINE, *d.labels], name="period"),
    )
    return frame


# --------------------------------------------------------------------------- stability


def score_stability(d: Dense, bands: Bands, spec: MonitorSpec) -> pd.DataFrame:
    """PSI of the score bands per period (and pooled), with critical values and status."""
    base, cur = d.band_counts(bands)
    rows = []
    for i, label in enumerate(d.labels):
        r = _psi_row(base[0], cur[0, i], spec)
        r["p_adjusted"] = r["p_value"]
        r["status"] = psi_status(r["psi"], r["p_value"], spec)
        rows.append({"period": label, **r})
    return _ordered(pd.DataFrame(rows).set_index("period"), _PSI_COLUMNS)


_PSI_COLUMNS = [
    "rows",
    "psi",
    "bins",
    "critical_chi2",
    "critical_normal",
    "p_value",
    "p_adjusted",
    "size",
    "status",
    "note",
]


def _ordered(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    frame = frame[[c for c in columns if c in frame.columns]]
    if "rows" in frame.columns:
        frame = frame.astype({"rows": np.int64})
    return frame


def _bin_table(
    base: FloatArray, cur: FloatArray, labels: tuple[str, ...], spec: MonitorSpec
) -> pd.DataFrame:
    """Per bin: shares, PSI term, bad rates and the event-rate test (Holm within the table)."""
    b_rows, b_goods, b_bads = base
    c_rows, c_goods, c_bads = cur
    terms = (
        _stats.psi_terms(b_rows, c_rows, spec.smoothing)
        if b_rows.sum() > 0 and c_rows.sum() > 0
        else np.full(b_rows.shape, np.nan)
    )
    stat, p, tests = _stats.event_rate_tests(b_goods, b_bads, c_goods, c_bads, spec.min_expected)
    adj = _stats.holm(p)
    return pd.DataFrame(
        {
            "label": list(labels),
            "baseline_rows": b_rows.astype(np.int64),
            "current_rows": c_rows.astype(np.int64),
            "baseline_share": _share(b_rows),
            "current_share": _share(c_rows),
            "psi": terms,
            "baseline_bad_rate": _rate(b_bads, b_goods + b_bads),
            "current_bad_rate": _rate(c_bads, c_goods + c_bads),
            "test": tests,
            "statistic": stat,
            "p_value": p,
            "p_adjusted": adj,
            "status": _stats.p_status(adj, spec.amber, spec.red),
        }
    )


def score_table(d: Dense, bands: Bands, spec: MonitorSpec, period: str | None) -> pd.DataFrame:
    """Per score band of one period: PSI terms and event-rate tests."""
    base, cur = d.band_counts(bands)
    frame = _bin_table(base, cur[:, d.row(period)], bands.labels, spec)
    lower, upper = bands.bounds()
    if bands.scale is not None:
        lower = np.asarray([bands.scale.score_range(g)[0] for g in bands.labels])
        upper = np.asarray([bands.scale.score_range(g)[1] for g in bands.labels])
    frame.insert(1, "lower", lower)
    frame.insert(2, "upper", upper)
    frame.index = pd.RangeIndex(len(frame), name="band")
    return frame


def characteristic_table(
    d: Dense, spec: MonitorSpec, name: str, period: str | None
) -> pd.DataFrame:
    """Per bin of one characteristic in one period: points, shift, PSI and event-rate tests."""
    j = _char(d.view, name)
    frame = _bin_table(d.base_b[j], d.cur_b[j][:, d.row(period)], d.view.labels[j], spec)
    points = d.view.points_array(j)
    frame.insert(
        1,
        "points",
        pd.Series([None if math.isnan(x) else int(x) for x in points], dtype="Int64"),
    )
    diff = np.nan_to_num(frame["current_share"].to_numpy() - frame["baseline_share"].to_numpy())
    frame.insert(7, "score_shift", diff * np.nan_to_num(points))
    frame.index = pd.Index([*range(len(frame) - 1), -1], name="bin")
    return frame


def _char(view: CardView, name: str) -> int:
    try:
        return view.names.index(name)
    except ValueError:
        raise SpecificationError(
            f"name: expected a characteristic of the card {list(view.names)}, found {name!r}"
        ) from None


def _period_tests(base: FloatArray, cur: FloatArray, spec: MonitorSpec) -> FloatArray:
    """Event-rate p-values of every bin in every period, ``[period, bin]`` (one call)."""
    b = np.broadcast_to(base[:, None, :], cur.shape)
    _, p, _ = _stats.event_rate_tests(
        b[1].ravel(), b[2].ravel(), cur[1].ravel(), cur[2].ravel(), spec.min_expected
    )
    return p.reshape(cur.shape[1:])


def _family(p: FloatArray, spec: MonitorSpec) -> tuple[int, float, str]:
    """Tests, smallest Holm-adjusted p-value and its status of one family of bins."""
    adj = _stats.holm(p)
    tested = int(np.count_nonzero(~np.isnan(adj)))
    min_adj = float(np.nanmin(adj)) if tested else math.nan
    return tested, min_adj, _stats.p_status(min_adj, spec.amber, spec.red)[0]


def characteristic_stability(d: Dense, spec: MonitorSpec) -> pd.DataFrame:
    """Per characteristic and period: CSI, its critical values and status, the score shift
    it causes, the share of unseen values and the event-rate tests' summary."""
    J = len(d.view.names)
    blocks: list[list[dict[str, Any]]] = [[] for _ in d.labels]
    for j in range(J):
        base, cur = d.base_b[j], d.cur_b[j]
        pvalues = _period_tests(base, cur, spec)
        pts = np.nan_to_num(d.view.points_array(j))
        es = _share(base[0])
        for i, label in enumerate(d.labels):
            r = _psi_row(base[0], cur[0, i], spec)
            cs = _share(cur[0, i])
            shift = float(np.nansum((cs - es) * pts)) if cur[0, i].sum() > 0 else math.nan
            tested, min_adj, status = _family(pvalues[i], spec)
            blocks[i].append(
                {
                    "characteristic": d.view.names[j],
                    "period": label,
                    **r,
                    "score_shift": shift,
                    "unseen_share": float(cs[-1]),
                    "baseline_unseen_share": float(es[-1]),
                    "event_rate_tests": tested,
                    "event_rate_min_p": min_adj,
                    "event_rate_status": status,
                }
            )
    for block in blocks:  # Holm over the characteristics of one period
        adj_psi = _stats.holm([b["p_value"] for b in block])
        for b, a in zip(block, adj_psi, strict=True):
            b["p_adjusted"] = float(a)
            b["status"] = psi_status(b["psi"], float(a), spec)
    rows = [b for j in range(J) for b in (block[j] for block in blocks)]
    frame = pd.DataFrame(rows).set_index(["characteristic", "period"])
    cols = [
        *_PSI_COLUMNS[:-1],
        "score_shift",
        "unseen_share",
        "baseline_unseen_share",
        "event_rate_tests",
        "event_rate_min_p",
        "event_rate_status",
        "note",
    ]
    return _ordered(frame, cols)


def score_event_rates(d: Dense, bands: Bands, spec: MonitorSpec) -> pd.DataFrame:
    """Per period: the event-rate tests of the score bands, summarized."""
    base, cur = d.band_counts(bands)
    pvalues = _period_tests(base, cur, spec)
    rows = []
    for i, label in enumerate(d.labels):
        tested, min_adj, status = _family(pvalues[i], spec)
        adj = _stats.holm(pvalues[i])
        rows.append(
            {
                "period": label,
                "tests": tested,
                "significant": int(np.count_nonzero(adj < spec.amber)),
                "min_p_adjusted": min_adj,
                "status": status,
            }
        )
    return pd.DataFrame(rows).set_index("period")


# --------------------------------------------------------------------------- discrimination


def _norm_ppf(q: float) -> float:
    from scipy import stats

    return float(stats.norm.ppf(q))


def _norm_cdf(x: float) -> float:
    from scipy import stats

    return float(stats.norm.cdf(x))


def _discrimination_row(
    goods: FloatArray, bads: FloatArray, spec: MonitorSpec, slot: int
) -> dict[str, Any]:
    G, B = float(goods.sum()), float(bads.sum())
    nan = math.nan
    area, var = _stats.auc_delong(goods, bads)
    ks = _stats.ks_from_counts(goods, bads)
    z = _norm_ppf(0.5 + spec.confidence / 2.0)
    se = math.sqrt(var) if not math.isnan(var) else nan
    lo, hi = max(area - z * se, 0.0), min(area + z * se, 1.0)
    rng = np.random.default_rng([spec.seed, slot])
    boot = _stats.ks_bootstrap(goods, bads, spec.n_bootstrap, rng)
    q = (1.0 - spec.confidence) / 2.0
    if boot.size >= 2:
        ks_lo, ks_hi = (float(v) for v in np.quantile(boot, [q, 1.0 - q]))
        ks_se = float(np.std(boot, ddof=1))
    else:
        ks_lo = ks_hi = ks_se = nan
    note = ""
    if G + B == 0:
        note = "not computable: no rows with a known outcome"
    elif B == 0:
        note = "not computable: no bads"
    elif G == 0:
        note = "not computable: no goods"
    elif math.isnan(var):
        note = "no interval: fewer than two goods or bads"
    return {
        "goods": int(G),
        "bads": int(B),
        "auc": area,
        "auc_low": lo if not math.isnan(se) else nan,
        "auc_high": hi if not math.isnan(se) else nan,
        "auc_se": se,
        "gini": 2.0 * area - 1.0,
        "gini_low": 2.0 * lo - 1.0 if not math.isnan(se) else nan,
        "gini_high": 2.0 * hi - 1.0 if not math.isnan(se) else nan,
        "ks": ks,
        "ks_low": ks_lo,
        "ks_high": ks_hi,
        "ks_se": ks_se,
        "note": note,
        "_var": var,
    }


def _drop_p(value: float, se: float, ref: float, ref_se: float) -> float:
    """One-sided p-value of a drop from ``ref`` (independent samples, normal)."""
    scale = math.sqrt(se**2 + ref_se**2) if not (math.isnan(se) or math.isnan(ref_se)) else math.nan
    if math.isnan(value) or math.isnan(ref) or math.isnan(scale) or scale <= 0:
        return math.nan
    return _norm_cdf((value - ref) / scale)


def discrimination(d: Dense, spec: MonitorSpec) -> pd.DataFrame:
    """AUC, Gini and KS of the baseline and every period, their intervals, and tests of the
    change against the baseline (DeLong for AUC and Gini, bootstrap SEs for KS)."""
    base = _discrimination_row(d.base_s[1], d.base_s[2], spec, 0)
    rows = [{"period": BASELINE, **base}]
    for i, label in enumerate(d.labels):
        r = _discrimination_row(d.cur_s[1, i], d.cur_s[2, i], spec, i + 1)
        r["auc_change"] = r["auc"] - base["auc"]
        r["auc_p"] = _drop_p(r["auc"], r["auc_se"], base["auc"], base["auc_se"])
        r["ks_change"] = r["ks"] - base["ks"]
        r["ks_p"] = _drop_p(r["ks"], r["ks_se"], base["ks"], base["ks_se"])
        r["status"] = _stats.p_status(r["auc_p"], spec.amber, spec.red)[0]
        rows.append({"period": label, **r})
    rows[0].update(auc_change=0.0, auc_p=math.nan, ks_change=0.0, ks_p=math.nan, status="n/a")
    frame = pd.DataFrame(rows).set_index("period").drop(columns="_var")
    cols = [
        "goods",
        "bads",
        "auc",
        "auc_low",
        "auc_high",
        "auc_se",
        "gini",
        "gini_low",
        "gini_high",
        "ks",
        "ks_low",
        "ks_high",
        "ks_se",
        "auc_change",
        "auc_p",
        "ks_change",
        "ks_p",
        "status",
        "note",
    ]
    return frame[cols]


def classification(d: Dense, spec: MonitorSpec) -> pd.DataFrame:
    """Confusion-matrix rates at the cut-off for the baseline, every period and the total."""
    cut = spec.cutoff
    if cut is None:
        cut = float(d.view.scaling.score_from_pd(0.5))
    out = []
    stacks = [(BASELINE, d.base_s)] + [(lab, d.cur_s[:, i]) for i, lab in enumerate(d.labels)]
    for label, s in stacks:
        out.append(
            {"period": label, "cutoff": cut, **_stats.classification_at(d.values, s[1], s[2], cut)}
        )
    return pd.DataFrame(out).set_index("period")


# --------------------------------------------------------------------------- calibration


def _grades(
    d: Dense, bands: Bands, scale: GradeScale | None
) -> tuple[tuple[str, ...], IntArray, FloatArray]:
    """Grade names best first, the grade of every score value, a PD for empty grades."""
    pdf = d.view.scaling.pd_from_score
    if scale is not None:
        names = scale.names
        idx = scale.assign_index(d.values)
        ranges = [scale.score_range(g) for g in names]
    else:
        k = len(bands)
        names = bands.labels[::-1]
        idx = k - 1 - bands.index(d.values)
        lo, hi = bands.bounds()
        ranges = list(zip(lo[::-1].tolist(), hi[::-1].tolist(), strict=True))
    middle = []
    for lo_, hi_ in ranges:
        if math.isinf(lo_) and math.isinf(hi_):
            middle.append(float(d.view.min_score + d.view.max_score) / 2.0)
        elif math.isinf(lo_):
            middle.append(hi_ - 1.0)
        elif math.isinf(hi_):
            middle.append(lo_)
        else:
            middle.append((lo_ + hi_) / 2.0)
    return names, idx, np.asarray(pdf(np.asarray(middle)), dtype=np.float64)


def calibration_reports(
    d: Dense, bands: Bands, scale: GradeScale | None, spec: MonitorSpec
) -> list[CalibrationReport]:
    """One calibration report per period and one for the total (the last)."""
    names, idx, empty_pd = _grades(d, bands, scale)
    k = len(names)
    pd_of_value = d.view.scaling.pd_from_score(d.values)
    out = []
    for i in range(len(d.labels)):
        goods, bads = d.cur_s[1, i], d.cur_s[2, i]
        known = goods + bads
        n = np.bincount(idx, weights=known, minlength=k)
        dflt = np.bincount(idx, weights=bads, minlength=k)
        exp = np.bincount(idx, weights=known * pd_of_value, minlength=k)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean_pd = np.where(n > 0, exp / np.where(n > 0, n, 1.0), empty_pd)
        n_i = np.rint(n).astype(np.int64).tolist()
        d_i = np.rint(dflt).astype(np.int64).tolist()
        kw: dict[str, Any] = {"test": spec.calibration_test, "amber": spec.amber, "red": spec.red}
        if scale is not None:
            pds = None if spec.pd_source == "grade" else mean_pd.tolist()
            out.append(calibrate_counts(scale, n_i, d_i, pds=pds, **kw))
        else:
            out.append(CalibrationReport(names, n_i, d_i, mean_pd.tolist(), **kw))
    return out


def calibration(d: Dense, reports: list[CalibrationReport], spec: MonitorSpec) -> pd.DataFrame:
    """Observed against predicted bad rate per period: the pooled one-sided test, the grades'
    one-sided tests (Holm-adjusted), Hosmer-Lemeshow (information) and the status."""
    rows = []
    for label, r in zip(d.labels, reports, strict=True):
        port = r.portfolio_summary
        per_grade = np.asarray(r.jeffreys_p if r.test == "jeffreys" else r.binomial_p)
        _, grades_p, grades_status = _family(per_grade, spec)
        lights = r.status
        rows.append(
            {
                "period": label,
                "n": port["n"],
                "defaults": port["defaults"],
                "observed_rate": port["observed_rate"],
                "predicted_rate": port["pd"] if port["n"] > 0 else math.nan,
                "p_value": port["jeffreys_p" if r.test == "jeffreys" else "binomial_p"],
                "grades_min_p": grades_p,
                "grades_amber": sum(s == "amber" for s in lights),
                "grades_red": sum(s == "red" for s in lights),
                "hl_statistic": r.hl_statistic if port["n"] > 0 else math.nan,
                "hl_df": r.hl_df,
                "hl_pvalue": r.hl_pvalue,
                "status": _stats.worst([port["status"], grades_status]),
            }
        )
    return pd.DataFrame(rows).set_index("period")


# --------------------------------------------------------------------------- summary


def summary_row(
    check: str,
    subject: str,
    measure: str,
    value: float,
    total: str,
    per_period: list[str],
    periods: tuple[str, ...],
) -> dict[str, Any]:
    """One row of the summary: the pooled status and how the periods fared."""
    flagged = [p for p, s in zip(periods, per_period, strict=True) if s in ("amber", "red")]
    return {
        "check": check,
        "subject": subject,
        "measure": measure,
        "value": value,
        "status": total,
        "worst_period": _stats.worst(per_period),
        "periods_amber": sum(s == "amber" for s in per_period),
        "periods_red": sum(s == "red" for s in per_period),
        "first_flagged": flagged[0] if flagged else "",
    }
