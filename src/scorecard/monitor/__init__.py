"""Step 5 of the credit cycle, *monitor*: is a deployed card still stable, discriminating
and calibrated?

:func:`monitor` compares a current sample (month by month, or by quarter or year) with a
baseline, usually the development sample, and returns a :class:`MonitoringReport`:

* population stability of the score (PSI on score bands or grades) and of every
  characteristic (CSI on the card's own bins, unseen values in a bin of their own), with
  the PSI's critical values for the two sample sizes and the number of bins;
* event-rate shift per bin (chi-square or Fisher's exact test, Holm-adjusted);
* characteristic analysis: the score shift each characteristic causes and its share of
  unseen values;
* discrimination over time: AUC, Gini (DeLong intervals) and KS (bootstrap), tested
  against the baseline;
* calibration over time: observed against predicted bad rate per period and per grade
  (binomial, Jeffreys and Hosmer-Lemeshow tests, traffic lights);
* optionally a grade migration matrix (:func:`grade_migration`) and vintage curves
  (:func:`vintage_analysis`).

Counts are the currency: :func:`count_rows` turns a sample into counts per score, bin and
period, and :func:`monitor_counts` builds the same report from such counts, so a database
can supply them for samples too large for memory.  The report is saved as versioned JSON
(``save``/``load``) and rendered as one self-contained HTML page (``save_html``).  The
formulas, thresholds and how to read the report are in the user guide (*Monitoring*).
"""

from __future__ import annotations

from scorecard.monitor._counts import SampleCounts, count_rows
from scorecard.monitor._migration import MigrationMatrix, grade_migration
from scorecard.monitor._report import MonitoringReport, monitor, monitor_counts
from scorecard.monitor._spec import MonitorSpec
from scorecard.monitor._stats import psi, psi_critical_value, psi_pvalue
from scorecard.monitor._vintage import VintageAnalysis, vintage_analysis

__all__ = [
    "MigrationMatrix",
    "MonitorSpec",
    "MonitoringReport",
    "SampleCounts",
    "VintageAnalysis",
    "count_rows",
    "grade_migration",
    "monitor",
    "monitor_counts",
    "psi",
    "psi_critical_value",
    "psi_pvalue",
    "vintage_analysis",
]
