"""Monitoring benchmark: ``scorecard.monitor.monitor`` against optbinning's ``ScorecardMonitoring``.

Goal (issue 12): monitoring 1,000,000 current rows against a baseline with a
25-characteristic card, side by side with optbinning's ``ScorecardMonitoring`` on the
same data, **at least 5 times faster**, with nothing optbinning reports missing from
ours (the list is printed: each optbinning table and where ours has it).

Data: the card's development sample ``make_credit_data(train_rows, seed=1)`` (the
baseline of both tools) and a current sample ``make_credit_data(rows, seed=2)``
(1,000,000 rows by default, dated over three years).  Both cards are built on the
development sample with every one of the 25 features (like-for-like, as in
``bench_scorecard.py``): ours by ``fit_scorecard(..., min_iv=0, max_corr=1.0,
max_vif=None, stepwise=None)``, optbinning's by its ``Scorecard`` with a
``BinningProcess`` of the same features and special codes.

Timed (``time.perf_counter``, each after a warm-up of every path on 5,000 rows; the
fastest of ``REPEATS`` runs, the least disturbed by other processes):

* **ours, by month**: ``monitor(card, baseline, current, date_column=
  "application_date", by="month")`` and then every table of the report (``summary``
  computes them all): counting both samples in the card's bins and scores, PSI and
  CSI with critical values, event-rate tests, AUC/Gini/KS with intervals and tests,
  calibration, classification rates, for each of the 36 months and the pooled sample;
* **ours, one comparison**: the same without periods (what optbinning computes);
* **optbinning**: ``ScorecardMonitoring(scorecard=optb_card).fit(X_current, y_current,
  X_baseline, y_baseline)``, its default options (PSI on CART bins of the score).

The HTML rendering (with plots) is timed apart, for information.  The ratio is
optbinning's time over ours.
"""

from __future__ import annotations

from typing import Any, TypeVar

import numpy as np
import pandas as pd
from _common import best_of as _best_of
from _common import quiet as _quiet
from _common import timed as _timed

NAME = "monitor"
DEFAULT_ROWS = 1_000_000
TRAIN_ROWS = 200_000
TRAIN_SEED = 1
CURRENT_SEED = 2
WARMUP_ROWS = 20_000
REPEATS = 2
MIN_SPEEDUP = 5.0
LIKE_FOR_LIKE: dict[str, Any] = {"min_iv": 0.0, "max_corr": 1.0, "max_vif": None, "stepwise": None}

#: what optbinning's ScorecardMonitoring reports, and where the report of ours has it
COVERAGE: tuple[tuple[str, str], ...] = (
    (
        "psi_table(): PSI per score bin (counts and shares A/E, PSI term), total",
        "score_table(period)[baseline/current rows and shares, psi] and "
        "score_stability.psi (per period and total)",
    ),
    (
        "system_stability_report(): PSI verdict at 0.10 / 0.25",
        "score_stability.size and .status (thresholds psi_amber/psi_red, plus critical "
        "values and p-value)",
    ),
    (
        "system_stability_report(): count of bins by PSI term in [0, .1), [.1, .25), [.25, inf)",
        "score_table(period).psi (the per-bin terms those counts come from)",
    ),
    (
        "tests_table(): per score bin, event rate A/E, chi-square statistic, p-value",
        "score_table(period)[baseline/current_bad_rate, test, statistic, p_value] "
        "(+ Fisher for small counts, Holm-adjusted p, status)",
    ),
    (
        "system_stability_report(): count of bins by p-value in [0,.05), [.05,.1), [.1,.5), [.5,1]",
        "score_table(period).p_value (and score_event_rates per period)",
    ),
    (
        "target analysis: records, event and non-event records and rates A/E",
        "population (rows, with_outcome, goods, bads, bad_rate, per period)",
    ),
    (
        "performance: TPR, TNR, FPR, FNR, balanced accuracy, discriminant power A/E/diff",
        "classification (at the score of PD 0.5, like optbinning's predict; per period)",
    ),
    (
        "performance: Gini A/E/diff",
        "discrimination[gini, gini_low, gini_high, auc_change, auc_p] (+ AUC, KS)",
    ),
    (
        "psi_variable_table(style='summary'|'detailed'): PSI per variable and per bin",
        "characteristic_stability.psi and characteristic_table(name, period)[rows, shares, psi]",
    ),
    (
        "psi_plot(): records A/E per bin and event rates",
        "HTML: 'Score distribution: baseline against current'",
    ),
    ("psi_splits: the score bin edges", "bands.edges"),
)

T = TypeVar("T")


def _cards(train: pd.DataFrame) -> tuple[Any, Any]:
    """Our like-for-like card and optbinning's, on the same development sample."""
    from bench_scorecard import _fit_optb, _fit_ours, _optb_frame, _optb_params

    from scorecard import BinningSpec
    from scorecard.datasets import CATEGORICAL_FEATURES, FEATURES, SPECIAL_CODES

    specs = {n: BinningSpec(special_codes=c) for n, c in SPECIAL_CODES.items()}
    ours = _fit_ours(train, list(FEATURES), specs, **LIKE_FOR_LIKE).scorecard
    optb = _fit_optb(
        _optb_frame(train, FEATURES),
        train["bad"].to_numpy(),
        CATEGORICAL_FEATURES,
        _optb_params(dict(SPECIAL_CODES)),
    )
    return ours, optb


def _ours(card: Any, base: pd.DataFrame, cur: pd.DataFrame, periods: bool) -> Any:
    from scorecard.monitor import monitor

    kw: dict[str, Any] = {"date_column": "application_date", "by": "month"} if periods else {}
    report = monitor(card, base, cur, **kw)
    report.summary  # every table  # noqa: B018
    return report


def _optb(card: Any, Xb: pd.DataFrame, yb: Any, Xc: pd.DataFrame, yc: Any) -> Any:
    from optbinning.scorecard import ScorecardMonitoring

    with _quiet():
        return ScorecardMonitoring(scorecard=card).fit(Xc, yc, Xb, yb)


def run(rows: int | None = None) -> dict[str, Any]:
    """Run the benchmark on ``rows`` current rows (default 1,000,000)."""
    from scorecard.datasets import FEATURES, make_credit_data

    n = DEFAULT_ROWS if rows is None else int(rows)
    n_train = min(TRAIN_ROWS, n)
    features = list(FEATURES)

    # warm-up (optbinning's chi-square raises on a bin without events in both samples,
    # which small samples can have: the warm-up samples are large enough not to)
    small = make_credit_data(WARMUP_ROWS, seed=12_345)
    other = make_credit_data(WARMUP_ROWS, seed=12_346)
    w_ours, w_optb = _cards(small)
    _ours(w_ours, small, other, True)
    _optb(
        w_optb, small[features], small["bad"].to_numpy(), other[features], other["bad"].to_numpy()
    )
    del small, other, w_ours, w_optb

    train = make_credit_data(n_train, seed=TRAIN_SEED)
    current = make_credit_data(n, seed=CURRENT_SEED)
    (ours_card, optb_card), t_fit = _timed(lambda: _cards(train))
    Xb, yb = train[features].copy(), train["bad"].to_numpy()
    Xc, yc = current[features].copy(), current["bad"].to_numpy()

    r = REPEATS
    report, t_month, all_month = _best_of(lambda: _ours(ours_card, train, current, True), r)
    single, t_single, all_single = _best_of(lambda: _ours(ours_card, train, current, False), r)
    mon, t_optb, all_optb = _best_of(lambda: _optb(optb_card, Xb, yb, Xc, yc), r)
    html, t_html = _timed(report.to_html)

    optb_psi = float(mon.psi_table()["PSI"].iloc[-1])
    optb_gini = mon._df_performance.set_index("Metric").loc["Gini"]
    return {
        "benchmark": NAME,
        "rows": n,
        "train_rows": n_train,
        "characteristics": {
            "ours": len(ours_card.names),
            "optbinning": int(np.count_nonzero(optb_card.binning_process_._support)),
        },
        "periods": len(report.periods),
        "seconds": {
            "fit_cards": t_fit,
            "ours_by_month": t_month,
            "ours_one_comparison": t_single,
            "optbinning": t_optb,
            "html": t_html,
        },
        "repeats": {
            "ours_by_month": all_month,
            "ours_one_comparison": all_single,
            "optbinning": all_optb,
        },
        "speedup_by_month": t_optb / t_month,
        "speedup_one_comparison": t_optb / t_single,
        "html_bytes": len(html),
        "json_bytes": len(report.to_json()),
        "status": report.status,
        "figures": {
            "psi_score_ours": float(single.score_stability.loc["total", "psi"]),
            "psi_score_optbinning": optb_psi,
            "gini_current_ours": float(single.discrimination.loc["total", "gini"]),
            "gini_current_optbinning": float(optb_gini["Actual"]),
            "gini_baseline_ours": float(single.discrimination.loc["baseline", "gini"]),
            "gini_baseline_optbinning": float(optb_gini["Expected"]),
            "score_bins_ours": len(single.bands),
            "score_bins_optbinning": len(mon.psi_splits) + 1,
        },
        "coverage": [list(c) for c in COVERAGE],
        "pass": t_optb / t_month >= MIN_SPEEDUP,
    }


def report(result: dict[str, Any]) -> str:
    """Human-readable summary of :func:`run`'s result."""
    s = result["seconds"]
    f = result["figures"]
    c = result["characteristics"]
    lines = [
        f"monitor: {result['rows']:,} current rows against a baseline of "
        f"{result['train_rows']:,} (the development sample); cards of {c['ours']} "
        f"(ours) and {c['optbinning']} (optbinning) characteristics; cards fitted in "
        f"{s['fit_cards']:.1f} s",
        "",
        f"{'':44}{'seconds':>10}",
        f"{'ours, by month (' + str(result['periods']) + ' periods + pooled)':44}"
        f"{s['ours_by_month']:10.2f}",
        f"{'ours, one comparison':44}{s['ours_one_comparison']:10.2f}",
        f"{'optbinning ScorecardMonitoring.fit':44}{s['optbinning']:10.2f}",
        f"{'ours, HTML page with plots (information)':44}{s['html']:10.2f}",
        "",
        f"speed-up, optbinning / ours by month:      {result['speedup_by_month']:6.1f}x "
        f"(goal >= {MIN_SPEEDUP:g}x)  {'PASS' if result['pass'] else 'FAIL'}",
        f"speed-up, optbinning / ours one comparison: {result['speedup_one_comparison']:6.1f}x",
        "",
        f"score PSI, pooled: ours {f['psi_score_ours']:.5f} on {f['score_bins_ours']} "
        f"baseline-decile bands; optbinning {f['psi_score_optbinning']:.5f} on "
        f"{f['score_bins_optbinning']} CART bins",
        f"Gini: baseline ours {f['gini_baseline_ours']:.4f} / optbinning "
        f"{f['gini_baseline_optbinning']:.4f}; current ours {f['gini_current_ours']:.4f} / "
        f"optbinning {f['gini_current_optbinning']:.4f}",
        f"our report: status {result['status']}, JSON {result['json_bytes']:,} bytes, HTML "
        f"{result['html_bytes']:,} bytes",
        "",
        "what optbinning reports -> where ours has it:",
    ]
    lines += [f"  - {a}\n      -> {b}" for a, b in result["coverage"]]
    return "\n".join(lines)
