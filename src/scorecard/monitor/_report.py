"""MonitoringReport: one frozen result of monitoring a card, and the two ways to build it.

:func:`monitor` counts a baseline and a current sample (rows) in the card's bins and
scores, then calls :func:`monitor_counts`, which checks counts against the card and
builds the report.  The report stores only those counts (and the card's bins, points
and scaling, the options and the optional grade scale, migration and vintages);
every table is computed from them, so a report read back from its JSON is equal to
the one written, and counts from a database give the report the rows would.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import pandas as pd

from scorecard._core import artifact as _json
from scorecard._core.artifact import enc_float, get
from scorecard._core.fields import to_tuple
from scorecard._model.scorecard import Scorecard
from scorecard.exceptions import DataError, SchemaError, SpecificationError
from scorecard.monitor import _stats, _tables
from scorecard.monitor._card import Bands, CardView, score_bands
from scorecard.monitor._counts import (
    CARD_TARGET,
    Cells,
    SampleCounts,
    cells_from_counts,
    count_rows,
)
from scorecard.monitor._migration import MigrationMatrix
from scorecard.monitor._spec import MonitorSpec
from scorecard.monitor._vintage import VintageAnalysis
from scorecard.policy._calibration import CalibrationReport
from scorecard.policy._grades import GradeScale

__all__ = ["MonitoringReport", "monitor", "monitor_counts"]

KIND = "monitoring_report"
SCHEMA_VERSION = 1


def _check_cells(report: MonitoringReport) -> None:
    """Stored counts must fit the stored card and periods (a hand-edited file may not)."""
    view, P = report.card, len(report.periods)
    for name, cells, periods in (("baseline", report.baseline, 1), ("current", report.current, P)):
        for s in cells.scores:
            if not (0 <= s[0] < periods and view.min_score <= s[1] <= view.max_score):
                raise SpecificationError(
                    f"MonitoringReport.{name}: score cell {list(s)} does not fit the card's "
                    f"scores [{view.min_score}, {view.max_score}] or the {periods} period(s)"
                )
        for c in cells.bins:
            ok = 0 <= c[0] < periods and 0 <= c[1] < len(view.names)
            if not ok or not 0 <= c[2] < view.n_bins(c[1]):
                raise SpecificationError(
                    f"MonitoringReport.{name}: bin cell {list(c)} does not fit the card's bins"
                )
    if not report.baseline.scores:
        raise DataError("baseline: expected at least one row, found none")


@attrs.frozen
class MonitoringReport(_json.JsonArtifact):
    """Stability, discrimination and calibration of a card over time, with a status per check.

    Build it with :func:`monitor` (rows) or :func:`monitor_counts` (counts).  Every table
    is computed from the stored counts; :meth:`to_html` renders the whole report as one
    self-contained page.

    Attributes
    ----------
    card : CardView
        The monitored card's characteristics, bin labels, points and scaling, and the
        SHA-256 fingerprint of its JSON.
    spec : MonitorSpec
        Bands, thresholds and test levels.
    periods : tuple of str
        The current sample's periods in order, empty ones included (``("all",)`` without
        periods).
    by : str or None
        ``"month"``, ``"quarter"``, ``"year"`` or ``None``.
    baseline, current : Cells
        The samples' counts (see :meth:`counts`).
    scale : GradeScale or None
        Grades for calibration (and for the PSI with ``score_bands="grades"``).
    migration : MigrationMatrix or None
    vintage : VintageAnalysis or None
    title : str

    Examples
    --------
    >>> from scorecard import fit_scorecard
    >>> from scorecard.datasets import load_german_credit
    >>> df = load_german_credit()
    >>> card = fit_scorecard(df, "bad", seed=0).scorecard
    >>> report = monitor(card, df.iloc[:500], df.iloc[500:])
    >>> report.status in ("green", "amber", "red")
    True
    >>> round(float(report.score_stability.loc["total", "psi"]), 4) >= 0
    True
    >>> MonitoringReport.from_json(report.to_json()) == report
    True
    """

    _KIND = KIND
    _SCHEMA_VERSION = SCHEMA_VERSION

    card: CardView = attrs.field(validator=attrs.validators.instance_of(CardView))
    spec: MonitorSpec = attrs.field(validator=attrs.validators.instance_of(MonitorSpec))
    periods: tuple[str, ...] = attrs.field(converter=to_tuple)
    by: str | None
    baseline: Cells = attrs.field(validator=attrs.validators.instance_of(Cells))
    current: Cells = attrs.field(validator=attrs.validators.instance_of(Cells))
    scale: GradeScale | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(GradeScale))
    )
    migration: MigrationMatrix | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(attrs.validators.instance_of(MigrationMatrix)),
    )
    vintage: VintageAnalysis | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(attrs.validators.instance_of(VintageAnalysis)),
    )
    title: str = attrs.field(default="", validator=attrs.validators.instance_of(str))

    def __attrs_post_init__(self) -> None:
        if self.spec.score_bands == "grades" and self.scale is None:
            raise SpecificationError(
                "MonitorSpec.score_bands: expected a grade scale (scale=...) for "
                "score_bands='grades', found none"
            )
        if self.spec.pd_source == "grade" and (self.scale is None or not self.scale.has_pds):
            raise SpecificationError(
                "MonitorSpec.pd_source: expected a master scale (a grade scale with PDs) for "
                "pd_source='grade', found "
                + ("none" if self.scale is None else "a scale without PDs")
            )
        _check_cells(self)

    # ------------------------------------------------------------------ the arrays

    @functools.cached_property
    def _dense(self) -> _tables.Dense:
        return _tables.Dense(self.card, self.periods, self.baseline, self.current)

    @functools.cached_property
    def _bands(self) -> Bands:
        d = self._dense
        return score_bands(self.spec.score_bands, d.values, d.base_s[0], self.scale)

    @functools.cached_property
    def _calibration_reports(self) -> list[CalibrationReport]:
        return _tables.calibration_reports(self._dense, self._bands, self.scale, self.spec)

    # ------------------------------------------------------------------ tables

    @functools.cached_property
    def population(self) -> pd.DataFrame:
        """Rows, rows with an outcome, goods, bads, bad rate and mean score: baseline, each
        period and ``total`` (the current sample pooled)."""
        return _tables.population(self._dense)

    @functools.cached_property
    def score_stability(self) -> pd.DataFrame:
        """PSI of the score bands per period and pooled: bins, critical values (chi-square
        and normal approximations), p-value, size and status."""
        return _tables.score_stability(self._dense, self._bands, self.spec)

    def score_table(self, period: str | None = None) -> pd.DataFrame:
        """Per score band of ``period`` (default: pooled): baseline and current rows and
        shares, PSI term, bad rates, event-rate test, Holm-adjusted p-value and status."""
        return _tables.score_table(self._dense, self._bands, self.spec, period)

    @functools.cached_property
    def characteristic_stability(self) -> pd.DataFrame:
        """Per characteristic and period: CSI (PSI on the card's bins, unseen values in a
        bin of their own) with critical values and status, the score shift it causes
        (``sum (current share - baseline share) * points``), the share of unseen values
        and the summary of its event-rate tests."""
        return _tables.characteristic_stability(self._dense, self.spec)

    def characteristic_table(self, name: str, period: str | None = None) -> pd.DataFrame:
        """Per bin of characteristic ``name`` in ``period`` (default: pooled): points, rows,
        shares, PSI term, score shift, bad rates and the event-rate test."""
        return _tables.characteristic_table(self._dense, self.spec, name, period)

    @functools.cached_property
    def score_event_rates(self) -> pd.DataFrame:
        """Per period: the event-rate tests of the score bands (Holm within the period)."""
        return _tables.score_event_rates(self._dense, self._bands, self.spec)

    @functools.cached_property
    def discrimination(self) -> pd.DataFrame:
        """AUC, Gini and KS of the baseline and each period with intervals, the change
        from the baseline and its one-sided p-value (a drop), and a status."""
        return _tables.discrimination(self._dense, self.spec)

    @functools.cached_property
    def calibration(self) -> pd.DataFrame:
        """Observed against predicted bad rate per period.

        Columns: ``n`` (rows with an outcome), ``defaults``, ``observed_rate``,
        ``predicted_rate``, ``p_value`` (the pooled one-sided test of
        :attr:`CalibrationReport.portfolio_summary`), ``grades_min_p`` (the smallest
        Holm-adjusted p-value of the grades' one-sided tests), ``grades_amber`` and
        ``grades_red`` (the grades' own traffic lights, unadjusted), the Hosmer-Lemeshow
        statistic, degrees of freedom and p-value (two-sided: it also sees an
        over-conservative grade; shown, not in the status) and ``status``: the worse of
        the pooled test's and ``grades_min_p``'s traffic lights.  Both tests are
        one-sided against *underestimation*, like the grade calibration tests."""
        return _tables.calibration(self._dense, self._calibration_reports, self.spec)

    def calibration_report(self, period: str | None = None) -> CalibrationReport:
        """The per-grade calibration of ``period`` (default: pooled) as a
        :class:`~scorecard.CalibrationReport` (its ``table`` has a row per grade)."""
        return self._calibration_reports[self._dense.row(period)]

    @functools.cached_property
    def classification(self) -> pd.DataFrame:
        """True/false positive and negative rates, balanced accuracy and discriminant power
        at the cut-off (``MonitorSpec.cutoff``), as optbinning's monitoring reports them."""
        return _tables.classification(self._dense, self.spec)

    @functools.cached_property
    def bands(self) -> Bands:
        """The score bands (edges resolved on the baseline)."""
        return self._bands

    @functools.cached_property
    def summary(self) -> pd.DataFrame:
        """One row per check (``check``, ``subject``): the ``measure`` and its ``value``
        for the pooled current sample, its ``status``, the worst period, the number of
        amber and red periods and the first flagged period."""
        P = len(self.periods)

        def row(
            check: str,
            subject: str,
            measure: str,
            frame: pd.DataFrame,
            value: str,
            status: str = "status",
        ) -> dict[str, Any]:
            return _tables.summary_row(
                check,
                subject,
                measure,
                float(frame[value].iloc[-1]),
                frame[status].iloc[-1],
                list(frame[status].iloc[:P]),
                self.periods,
            )

        rows = [
            row("score stability", "score", "PSI", self.score_stability, "psi"),
            row(
                "event rates",
                "score",
                "smallest adjusted p",
                self.score_event_rates,
                "min_p_adjusted",
            ),
        ]
        cs = self.characteristic_stability
        rows += [
            row("characteristic stability", n, "CSI", pd.DataFrame(cs.loc[n]), "psi")
            for n in self.card.names
        ]
        rows += [
            row(
                "event rates",
                n,
                "smallest adjusted p",
                pd.DataFrame(cs.loc[n]),
                "event_rate_min_p",
                "event_rate_status",
            )
            for n in self.card.names
        ]
        rows.append(row("discrimination", "score", "AUC", self.discrimination.iloc[1:], "auc"))
        cal = self.calibration.assign(
            ratio=self.calibration["observed_rate"] / self.calibration["predicted_rate"]
        )
        rows.append(row("calibration", "score", "observed / predicted", cal, "ratio"))
        if self.migration is not None:
            rows.append(
                _tables.summary_row(
                    "migration",
                    "grades",
                    "downgrade share",
                    self.migration.downgrade_share,
                    self.migration.status,
                    [],
                    (),
                )
            )
        if self.vintage is not None:
            tests = self.vintage.tests
            p_min = (
                float(tests["p_adjusted"].min()) if tests["p_adjusted"].notna().any() else math.nan
            )
            rows.append(
                _tables.summary_row(
                    "vintage", "cohorts", "smallest adjusted p", p_min, self.vintage.status, [], ()
                )
            )
        return pd.DataFrame(rows).set_index(["check", "subject"])

    @property
    def status(self) -> str:
        """The worst status over the checks of the pooled current sample."""
        return _stats.worst(list(self.summary["status"]))

    def counts(self) -> tuple[SampleCounts, SampleCounts]:
        """The stored counts as ``(baseline, current)`` :class:`SampleCounts` tables (with
        period labels, characteristic names and bin indices, ``-1`` = unseen): what
        :func:`monitor_counts` takes to rebuild this report."""
        out = []
        for cells, periodic in ((self.baseline, False), (self.current, True)):
            s = pd.DataFrame(list(cells.scores), columns=list(Cells._SCORE_KEYS))
            b = pd.DataFrame(list(cells.bins), columns=list(Cells._BIN_KEYS))
            b["characteristic"] = [self.card.names[j] for j in b["characteristic"]]
            k = [self.card.n_bins(self.card.names.index(n)) for n in b["characteristic"]]
            b["bin"] = [-1 if v == kk - 1 else v for v, kk in zip(b["bin"], k, strict=True)]
            if periodic and self.periods != ("all",):
                s["period"] = [self.periods[i] for i in s["period"]]
                b["period"] = [self.periods[i] for i in b["period"]]
            else:
                s = s.drop(columns="period")
                b = b.drop(columns="period")
            out.append(SampleCounts(s, b))
        return out[0], out[1]

    # ------------------------------------------------------------------ rendering

    def to_html(self, *, plots: bool = True) -> str:
        """The report as one self-contained HTML page (inline CSS; plots as inline PNG when
        matplotlib, the ``plot`` extra, is installed; without it, the tables and a note)."""
        from scorecard.monitor._html import render

        return render(self, plots=plots)

    def plots(self) -> dict[str, bytes]:
        """The report's plots as PNG images, by name: ``"psi_over_time"`` and
        ``"auc_over_time"``, ``"calibration_over_time"`` (with more than one period),
        ``"score_distribution"``, ``"calibration_by_grade"`` and ``"vintage_curves"``
        (with vintages).

        Raises
        ------
        ImportError
            Without matplotlib (``pip install scorecard[plot]``).
        """
        import base64

        from scorecard.monitor import _plots
        from scorecard.monitor._html import plot_images

        if not _plots.available():
            raise ImportError(
                "MonitoringReport.plots needs matplotlib, which is not installed: "
                "pip install scorecard[plot]"
            )
        return {k: base64.b64decode(v) for k, v in plot_images(self).items()}

    def save_html(self, path: str | os.PathLike[str], *, plots: bool = True) -> Path:
        """Write :meth:`to_html` to ``path`` atomically; returns the path."""
        return _json.atomic_write_text(path, self.to_html(plots=plots))

    def _repr_html_(self) -> str:
        from scorecard.monitor._html import summary_html

        return summary_html(self)

    # ------------------------------------------------------------------ JSON

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON body: the counts and options, plus the summary as information."""
        summary = self.summary.reset_index().to_dict(orient="records")
        return {
            "title": self.title,
            "card": self.card.to_dict(),
            "spec": self.spec.to_dict(),
            "by": self.by,
            "periods": list(self.periods),
            "baseline": self.baseline.to_dict(),
            "current": self.current.to_dict(),
            "scale": None if self.scale is None else self.scale.to_dict(),
            "migration": None if self.migration is None else self.migration.to_dict(),
            "vintage": None if self.vintage is None else self.vintage.to_dict(),
            "results": {
                "status": self.status,
                "summary": [
                    {k: enc_float(v) if isinstance(v, float) else v for k, v in r.items()}
                    for r in summary
                ],
            },
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> MonitoringReport:
        """Inverse of :meth:`to_dict` (the results are recomputed, not read)."""
        try:
            scale = get(d, "scale", KIND)
            mig = get(d, "migration", KIND)
            vin = get(d, "vintage", KIND)
            return cls(
                card=CardView.from_dict(get(d, "card", KIND)),
                spec=MonitorSpec.from_dict(get(d, "spec", KIND)),
                periods=tuple(str(p) for p in get(d, "periods", KIND)),
                by=get(d, "by", KIND),
                baseline=Cells.from_dict(get(d, "baseline", KIND), KIND),
                current=Cells.from_dict(get(d, "current", KIND), KIND),
                scale=None if scale is None else GradeScale.from_dict(scale),
                migration=None if mig is None else MigrationMatrix.from_dict(mig),
                vintage=None if vin is None else VintageAnalysis.from_dict(vin),
                title=str(get(d, "title", KIND)),
            )
        except SchemaError:
            raise
        except (SpecificationError, DataError, TypeError, ValueError, KeyError) as exc:
            raise SchemaError(f"{KIND}: invalid content: {exc}") from None


def monitor_counts(
    card: Scorecard,
    baseline: SampleCounts | tuple[pd.DataFrame, pd.DataFrame],
    current: SampleCounts | tuple[pd.DataFrame, pd.DataFrame],
    *,
    by: str | None = None,
    scale: GradeScale | None = None,
    spec: MonitorSpec | None = None,
    migration: MigrationMatrix | None = None,
    vintage: VintageAnalysis | None = None,
    title: str = "",
) -> MonitoringReport:
    """Monitoring report from counts per bin, score and period (e.g. a database's).

    Parameters
    ----------
    card : Scorecard
        The monitored card; the counts are checked against its bins and scores.
    baseline, current : SampleCounts or (scores, bins) pair of DataFrames
        ``scores``: columns ``score``, ``rows`` and optionally ``goods``, ``bads``;
        ``bins``: ``characteristic``, ``bin`` (index, ``-1`` = unseen, or label),
        ``rows`` and optionally ``goods``, ``bads``.  The current tables may have a
        ``period`` column (both or neither); the baseline is one sample (a ``period``
        column there is summed over).  Rows with the same key are summed.
    by : {"month", "quarter", "year"}, optional
        Read the ``period`` labels as periods of this length (``"2023-01"``,
        ``"2023-01-31"``, ...) and include every period between the first and the last,
        empty ones too; without it the labels are kept as they are, sorted.
    scale : GradeScale, optional
        Grades for calibration (otherwise the score bands).
    spec : MonitorSpec, optional
        Options (default ``MonitorSpec()``).
    migration, vintage : optional
        A :class:`MigrationMatrix` and a :class:`VintageAnalysis` to include.
    title : str
        Title of the HTML page.

    Examples
    --------
    >>> import pandas as pd
    >>> from scorecard import fit_scorecard
    >>> from scorecard.datasets import load_german_credit
    >>> df = load_german_credit()
    >>> card = fit_scorecard(df, "bad", seed=0).scorecard
    >>> base, cur = count_rows(card, df.iloc[:500]), count_rows(card, df.iloc[500:])
    >>> monitor_counts(card, base, cur) == monitor(card, df.iloc[:500], df.iloc[500:])
    True
    """
    view = CardView.of(card)
    _, base_cells = cells_from_counts(view, baseline, "baseline", by=None, periodic=False)
    periods, cur_cells = cells_from_counts(view, current, "current", by=by, periodic=True)
    has_periods = periods != ["all"] or "period" in current[0].columns
    return MonitoringReport(
        card=view,
        spec=spec if spec is not None else MonitorSpec(),
        periods=tuple(periods),
        by=by if has_periods else None,
        baseline=base_cells,
        current=cur_cells,
        scale=scale,
        migration=migration,
        vintage=vintage,
        title=title,
    )


def monitor(
    card: Scorecard,
    baseline: pd.DataFrame,
    current: pd.DataFrame,
    *,
    target: str | None = CARD_TARGET,
    date_column: str | None = None,
    by: str = "month",
    scale: GradeScale | None = None,
    spec: MonitorSpec | None = None,
    migration: MigrationMatrix | None = None,
    vintage: VintageAnalysis | None = None,
    title: str = "",
) -> MonitoringReport:
    """Monitor a card: a current sample against a baseline (e.g. the development sample).

    Counts both samples in the card's bins and scores (:func:`count_rows`) and builds the
    report from the counts (:func:`monitor_counts`): the same report the counts would
    give.

    Parameters
    ----------
    card : Scorecard
        The monitored card.
    baseline, current : DataFrame
        One row per application: the card's characteristics and, for outcomes, the
        target.
    target : str or None
        Outcome column, 1 = bad, 0 = good, missing = not known yet (default: the card's
        target; ``None``: stability only).
    date_column : str, optional
        Dates of the current sample: the report then has one period per ``by``.
    by : {"month", "quarter", "year"}
        Period length.
    scale, spec, migration, vintage, title
        See :func:`monitor_counts`.

    Raises
    ------
    DataError
        A missing column, a date that does not parse, a target that is not 0/1, values
        the card refuses: each message names the sample and the column.

    Examples
    --------
    >>> from scorecard import fit_scorecard
    >>> from scorecard.datasets import FEATURES, make_credit_data
    >>> df = make_credit_data(4_000, seed=3)
    >>> old = df["application_date"] < "2022-01-01"
    >>> card = fit_scorecard(df.loc[old, [*FEATURES, "bad"]], "bad", seed=0).scorecard
    >>> report = monitor(card, df[old], df[~old], date_column="application_date", by="quarter")
    >>> report.periods[:3], len(report.periods)
    (('2022Q1', '2022Q2', '2022Q3'), 8)
    """
    base = count_rows(card, baseline, target=target, what="baseline")
    cur = count_rows(card, current, target=target, date_column=date_column, by=by, what="current")
    return monitor_counts(
        card,
        base,
        cur,
        by=by if date_column is not None else None,
        scale=scale,
        spec=spec,
        migration=migration,
        vintage=vintage,
        title=title,
    )
