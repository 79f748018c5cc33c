"""The monitoring report as one self-contained HTML page (inline CSS, inline PNG plots).

Reads a report through the :class:`Report` protocol (its tables), so it does not import
the report module.  Without matplotlib the page has every table and a note that the
plots need the ``plot`` extra.  A cell that cannot be computed (a period with no rows,
no bads for an AUC...) shows ``n/c`` ("not computable"), and the row's ``note`` says why.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import pandas as pd

from scorecard._version import __version__
from scorecard.monitor import _plots

__all__ = ["plot_images", "render", "summary_html"]

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;
 margin:2em auto;max-width:1200px;color:#222;line-height:1.4;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;border-bottom:2px solid #ddd;
 padding-bottom:.2em;margin-top:2em}h3{font-size:1.05em;margin-top:1.4em}
table{border-collapse:collapse;font-size:12px;margin:.6em 0;display:block;overflow-x:auto}
th,td{border:1px solid #ddd;padding:3px 6px;text-align:right;white-space:nowrap}
th{background:#f4f4f4}td.l,th.l{text-align:left}
.s-green{background:#dff0d8;color:#2b542c}.s-amber{background:#fcf1d7;color:#8a6d3b}
.s-red{background:#f2dede;color:#a94442}.s-na{background:#f4f4f4;color:#777}
.badge{display:inline-block;padding:2px 10px;border-radius:4px;font-weight:600}
.nc{color:#999}.note{color:#555;font-size:13px}.meta{color:#555;font-size:13px}
img{max-width:100%;height:auto;display:block;margin:.5em 0}
"""


class Report(Protocol):
    """What the renderer reads of a :class:`~scorecard.monitor.MonitoringReport`."""

    @property
    def title(self) -> str: ...
    @property
    def periods(self) -> tuple[str, ...]: ...
    @property
    def by(self) -> str | None: ...
    @property
    def spec(self) -> Any: ...
    @property
    def card(self) -> Any: ...
    @property
    def migration(self) -> Any: ...
    @property
    def vintage(self) -> Any: ...

    @property
    def status(self) -> str: ...
    @property
    def summary(self) -> pd.DataFrame: ...
    @property
    def population(self) -> pd.DataFrame: ...
    @property
    def score_stability(self) -> pd.DataFrame: ...
    @property
    def characteristic_stability(self) -> pd.DataFrame: ...
    @property
    def score_event_rates(self) -> pd.DataFrame: ...
    @property
    def discrimination(self) -> pd.DataFrame: ...
    @property
    def calibration(self) -> pd.DataFrame: ...
    @property
    def classification(self) -> pd.DataFrame: ...
    def score_table(self, period: str | None = None) -> pd.DataFrame: ...
    def calibration_report(self, period: str | None = None) -> Any: ...


def _status_class(value: str) -> str:
    return {"green": "s-green", "amber": "s-amber", "red": "s-red"}.get(value, "s-na")


def _cell(value: Any, column: str) -> str:
    if column == "status" or column.endswith("_status") or column == "worst_period":
        text = html.escape(str(value))
        return f'<td class="l {_status_class(str(value))}">{text}</td>'
    if value is None or value is pd.NA:
        return '<td><span class="nc" title="not computable">n/c</span></td>'
    if isinstance(value, bool | np.bool_):
        return f"<td>{'yes' if value else 'no'}</td>"
    if isinstance(value, int | np.integer):
        return f"<td>{int(value):,}</td>"
    if isinstance(value, float | np.floating):
        v = float(value)
        if math.isnan(v):
            return '<td><span class="nc" title="not computable">n/c</span></td>'
        if math.isinf(v):
            return f"<td>{'inf' if v > 0 else '-inf'}</td>"
        text = f"{v:.4g}" if abs(v) >= 1e-3 or v == 0 else f"{v:.2e}"
        return f"<td>{text}</td>"
    return f'<td class="l">{html.escape(str(value))}</td>'


def _table(frame: pd.DataFrame, *, index: bool = True, max_rows: int = 400) -> str:
    """An HTML table with status cells colored and NaN shown as ``n/c``."""
    f = frame.head(max_rows)
    names = [str(n) if n is not None else "" for n in f.index.names] if index else []
    head = "".join(f'<th class="l">{html.escape(n)}</th>' for n in names)
    head += "".join(f"<th>{html.escape(str(c))}</th>" for c in f.columns)
    body = []
    for idx, row in zip(f.index, f.itertuples(index=False), strict=True):
        keys = idx if isinstance(idx, tuple) else (idx,)
        cells = "".join(f'<td class="l">{html.escape(str(k))}</td>' for k in keys) if index else ""
        cells += "".join(_cell(v, str(c)) for v, c in zip(row, f.columns, strict=True))
        body.append(f"<tr>{cells}</tr>")
    more = (
        f'<p class="note">({len(frame) - max_rows} more rows in the JSON report)</p>'
        if len(frame) > max_rows
        else ""
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}"


def _img(png: str, alt: str) -> str:
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{png}">'


def _matrix(cs: pd.DataFrame, labels: Sequence[str]) -> str:
    """Characteristic x period grid of CSI values colored by status."""
    names = list(dict.fromkeys(cs.index.get_level_values(0)))
    head = '<th class="l">characteristic</th>' + "".join(
        f"<th>{html.escape(p)}</th>" for p in labels
    )
    rows = []
    for name in names:
        block = cs.loc[name]
        cells = []
        for p in labels:
            psi, status = block.loc[p, "psi"], str(block.loc[p, "status"])
            text = "n/c" if math.isnan(float(psi)) else f"{float(psi):.3f}"
            cells.append(f'<td class="{_status_class(status)}" title="{status}">{text}</td>')
        rows.append(f'<tr><td class="l">{html.escape(str(name))}</td>{"".join(cells)}</tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _badge(status: str) -> str:
    return f'<span class="badge {_status_class(status)}">{html.escape(status)}</span>'


def summary_html(report: Report) -> str:
    """The overall status and the summary of checks (the notebook representation)."""
    return (
        f"<p><b>MonitoringReport</b>: {len(report.periods)} period(s), status "
        f"{_badge(report.status)}</p>" + _table(report.summary)
    )


def plot_images(report: Report) -> dict[str, str]:
    """Every plot of the report as base64 PNG text, by name (needs matplotlib)."""
    P = len(report.periods)
    stab = report.score_stability
    cs = report.characteristic_stability
    spec = report.spec
    out: dict[str, str] = {}
    periods = list(report.periods)
    if P > 1:
        top = cs.xs("total", level="period")["psi"].sort_values(ascending=False).head(3)
        chars: dict[str, Any] = {
            str(n): [cs.loc[(n, p), "psi"] for p in periods] for n in top.index
        }
        out["psi_over_time"] = _plots.psi_over_time(
            periods,
            stab["psi"].iloc[:P],
            stab["critical_chi2"].iloc[:P],
            spec.psi_amber,
            spec.psi_red,
            chars,
        )
    t = report.score_table()
    out["score_distribution"] = _plots.score_distribution(
        list(t["label"]),
        t["baseline_share"],
        t["current_share"],
        t["baseline_bad_rate"],
        t["current_bad_rate"],
    )
    disc = report.discrimination
    base = disc.iloc[0]
    if P > 1:
        cur = disc.iloc[1 : P + 1]
        out["auc_over_time"] = _plots.auc_over_time(
            periods,
            cur["auc"],
            cur["auc_low"],
            cur["auc_high"],
            (float(base["auc"]), float(base["auc_low"]), float(base["auc_high"])),
        )
        cal = report.calibration.iloc[:P]
        out["calibration_over_time"] = _plots.calibration_over_time(
            periods, cal["observed_rate"], cal["predicted_rate"]
        )
    grades = report.calibration_report().table
    out["calibration_by_grade"] = _plots.calibration_by_grade(
        list(grades.index), grades["observed_rate"], grades["pd"]
    )
    if report.vintage is not None:
        v = report.vintage
        out["vintage_curves"] = _plots.vintage_curves(list(v.cohorts), v.table.to_numpy(), v.by)
    return out


def render(report: Report, *, plots: bool = True) -> str:
    """The whole report as one HTML page."""
    spec = report.spec
    png = plot_images(report) if plots and _plots.available() else {}
    note = ""
    if plots and not _plots.available():
        note = (
            '<p class="note"><b>Plots need the optional plot extra</b> (matplotlib): '
            "<code>pip install scorecard[plot]</code>. The tables below are complete.</p>"
        )
    pop = report.population
    title = report.title or "Scorecard monitoring report"
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    periods = report.periods
    span = f"{periods[0]} to {periods[-1]}" if len(periods) > 1 else periods[0]
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="meta">Overall status {_badge(report.status)} &middot; '
        f"{len(report.card.names)} characteristics &middot; baseline "
        f"{int(pop['rows'].to_numpy()[0]):,} rows &middot; current "
        f"{int(pop['rows'].to_numpy()[-1]):,} rows in {len(periods)} period(s) ({html.escape(span)}"
        f"{', by ' + report.by if report.by else ''}) &middot; card "
        f"<code>{report.card.fingerprint[:12]}</code> &middot; scorecard {__version__} &middot; "
        f"{when}</p>",
        '<p class="note">Status: <span class="badge s-green">green</span> nothing to act on, '
        '<span class="badge s-amber">amber</span> look into it, '
        '<span class="badge s-red">red</span> act. A check\'s status is that of the current '
        "sample pooled over all periods; the period columns show when a flag began. "
        "<span class='nc'>n/c</span> = not computable (the row's note says why).</p>",
        note,
        "<h2>Checks</h2>",
        _table(report.summary),
        "<h2>Population</h2>",
        _table(pop),
        "<h2>Score stability</h2>",
        f'<p class="note">PSI of the score bands against the baseline. Thresholds '
        f"{spec.psi_amber:g} and {spec.psi_red:g}; critical values at the "
        f"{(spec.psi_alpha or 0.05):g} level for the two sample sizes and the number of bins "
        "(chi-square and normal approximations, Yurdakul 2018). "
        + (
            "A PSI within its sampling noise is green whatever its size; a significant one "
            f"is amber, red from {spec.psi_red:g}.</p>"
            if spec.psi_alpha is not None
            else "Status by the thresholds alone.</p>"
        ),
        _img(png["psi_over_time"], "PSI over time") if "psi_over_time" in png else "",
        _table(report.score_stability),
        "<h3>Score bands, current sample pooled</h3>",
        _img(png["score_distribution"], "score distribution")
        if "score_distribution" in png
        else "",
        _table(report.score_table()),
        "<h2>Characteristics</h2>",
        '<p class="note">CSI on the card\'s own bins (unseen values in a bin of their own); '
        "p-values Holm-adjusted over the characteristics of each period.</p>",
        _matrix(report.characteristic_stability, [*periods, "total"]),
        "<h3>Characteristic analysis, current sample pooled</h3>",
        '<p class="note">score_shift = sum over bins of (current share - baseline share) x '
        "points: the change of the mean score this characteristic causes (they add up to "
        "the change of the mean score).</p>",
        _table(
            pd.DataFrame(report.characteristic_stability.xs("total", level="period"))[
                [
                    "psi",
                    "p_adjusted",
                    "status",
                    "score_shift",
                    "unseen_share",
                    "baseline_unseen_share",
                    "event_rate_min_p",
                    "event_rate_status",
                ]
            ]
        ),
        "<h2>Event rates per score band</h2>",
        '<p class="note">Current bad rate against the baseline\'s in each band: chi-square, '
        f"or Fisher's exact test below an expected count of {spec.min_expected:g}; "
        "Holm-adjusted within each period.</p>",
        _table(report.score_event_rates),
        "<h2>Discrimination</h2>",
        '<p class="note">AUC and Gini with DeLong intervals, KS with a bootstrap interval; '
        "the p-values test a drop from the baseline (one-sided).</p>",
        _img(png["auc_over_time"], "AUC over time") if "auc_over_time" in png else "",
        _table(report.discrimination),
        "<h3>Classification at the cut-off</h3>",
        _table(report.classification),
        "<h2>Calibration</h2>",
        '<p class="note">Observed against predicted bad rate; the pooled test '
        f"({spec.calibration_test}) and Hosmer-Lemeshow set the status.</p>",
        _img(png["calibration_over_time"], "calibration over time")
        if "calibration_over_time" in png
        else "",
        _table(report.calibration),
        "<h3>By grade, current sample pooled</h3>",
        _img(png["calibration_by_grade"], "calibration by grade")
        if "calibration_by_grade" in png
        else "",
        _table(report.calibration_report().table),
    ]
    if report.migration is not None:
        m = report.migration
        parts += [
            "<h2>Grade migration</h2>",
            _table(pd.DataFrame([m.summary])),
            "<h3>Accounts (rows: grade before; columns: grade after)</h3>",
            _table(m.matrix),
        ]
    if report.vintage is not None:
        v = report.vintage
        parts += [
            "<h2>Vintages</h2>",
            _img(png["vintage_curves"], "vintage curves") if "vintage_curves" in png else "",
            _table(v.tests),
            f"<h3>Cumulative bad rate by {v.by}s on book</h3>",
            _table(v.table),
        ]
    parts += [
        "<h2>Options</h2>",
        _table(pd.DataFrame([{k: str(v) for k, v in spec.to_dict().items()}]), index=False),
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p)
