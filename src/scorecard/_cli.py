"""Command line: ``scorecard demo`` runs the credit cycle on the bundled German credit data;
``scorecard monitor`` monitors a saved card on a baseline and a current sample;
``scorecard score`` scores a file in chunks and ``scorecard export`` writes a card as SQL,
PMML or Excel (:mod:`scorecard.deploy`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from scorecard._version import __version__
from scorecard.deploy import _commands as deploy


def _section(title: str) -> None:
    print(f"\n== {title} ==")


def demo(max_rows: int = 25) -> int:
    """Run the demo and print each step; returns the exit code."""
    from scorecard import (
        CreditPolicy,
        GradeScale,
        analyze,
        bin_features,
        calibrate,
        cutoff_table,
        fit_scorecard,
        select_features,
    )
    from scorecard.datasets import load_german_credit
    from scorecard.policy import ExpectedLossCap, NeedLimit, Rule, ScoreCutoffs, Terms

    pd.set_option("display.width", 160)
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.max_colwidth", 60)

    _section("1. Collect: German credit data (UCI Statlog, CC BY 4.0)")
    df = load_german_credit()
    print(f"{len(df)} applicants, {df.shape[1] - 1} attributes, bad rate {df['bad'].mean():.1%}")

    _section("2. Analyze: binning, WOE and IV")
    binning = bin_features(df, "bad")
    report = analyze(binning)
    print(
        report[["feature", "iv", "strength", "gini", "n_bins", "trend"]]
        .head(max_rows)
        .to_string(index=False, float_format=lambda v: f"{v:.4f}")
    )
    top = report["feature"].iloc[0]
    print(f"\nBinning table of the strongest feature, {top!r}:")
    print(
        binning.table(top)[["label", "count", "bad_rate", "woe", "iv"]].to_string(
            index=False, float_format=lambda v: f"{v:.4f}"
        )
    )
    selection = select_features(binning, df)
    print(
        f"\nSelected {len(selection.selected)} of {len(binning)} features "
        "(IV >= 0.02, |corr| <= 0.7, VIF <= 5):"
    )
    print(
        selection.table[["feature", "iv", "kept", "step", "reason"]].to_string(
            index=False, float_format=lambda v: f"{v:.4f}"
        )
    )

    _section("3. Score: logistic scorecard (70% train, 30% holdout)")
    build = fit_scorecard(df, "bad", seed=0)
    card = build.scorecard
    print(card.summary())
    print(build.model.summary())
    table = card.points_table()
    print(
        table[["characteristic", "attribute", "woe", "points"]].to_string(
            index=False, float_format=lambda v: f"{v:.3f}", max_colwidth=50
        )
    )
    print("\nPerformance:")
    print(build.metrics.to_string(float_format=lambda v: f"{v:.4f}"))
    print("\nHoldout gains table:")
    print(build.gains.to_string(index=False, float_format=lambda v: f"{v:.3f}"))

    _section("4. Decide: grades, calibration and credit policy")
    scale = GradeScale.from_pd_boundaries(
        [0.05, 0.10, 0.20, 0.35, 1.0],
        ["A", "B", "C", "D", "E"],
        card.scaling,
        labels=["Low", "Moderate", "Elevated", "High", "Very high"],
    )
    print(scale.to_frame().to_string(index=False))
    scores = card.score(df)
    calibration = calibrate(scale, scores, df["bad"].to_numpy())
    print("\nCalibration on all 1,000 applicants (in-sample, for illustration):")
    print(calibration.table.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
    policy = CreditPolicy(
        grade_scale=scale,
        cutoffs=ScoreCutoffs(
            approve=float(scale.score_range("C")[0]), refer=float(scale.score_range("D")[0])
        ),
        rules=(
            Rule(
                "foreign_worker",
                "==",
                "no",
                code="KO01",
                text="Policy: foreign workers not served (illustration)",
            ),
        ),
        limits=(
            NeedLimit("requested", field="credit_amount"),
            ExpectedLossCap("el_budget", budget={"A": 400, "B": 400, "C": 300}),
        ),
        terms={
            g: Terms(t, review_months=m)
            for g, t, m in [
                ("A", "36 monthly installments", 24),
                ("B", "36 monthly installments", 12),
                ("C", "24 monthly installments", 12),
                ("D", "12 monthly installments", 6),
                ("E", "cash in advance", 3),
            ]
        },
        cap=20_000,
        unit=100,
        lgd=0.45,
    )
    decided = policy.decide(df.drop(columns="bad"), model=card)
    print("\nDecisions:", decided["decision"].value_counts().to_dict())
    cols = [
        c
        for c in ("decision", "grade", "score", "pd", "limit", "expected_loss", "reasons")
        if c in decided.columns
    ]
    print(decided[cols].head(8).to_string(float_format=lambda v: f"{v:.4f}"))
    print("\nCut-off table (every 20 points):")
    cut = cutoff_table(
        df.assign(score=scores, pd=card.predict_pd(df)),
        "score",
        bad="bad",
        pd="pd",
        cutoffs=list(range(440, 661, 20)),
    )
    print(cut.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    return 0


#: exit status of ``scorecard monitor``: bad input or options, and a status at --fail-on
EXIT_ERROR = 2
EXIT_FLAGGED = 1


def _read_table(path: str, categorical: Sequence[str], what: str) -> pd.DataFrame:
    """A CSV or Parquet file as a frame (the card's categorical characteristics as text)."""
    from scorecard.exceptions import DataError

    p = Path(path)
    if not p.is_file():
        raise DataError(f"{what}: expected a CSV or Parquet file, found no file at {path!r}")
    name = p.name.lower()
    if name.endswith((".parquet", ".pq")):
        try:
            return pd.read_parquet(p)
        except ImportError:
            raise DataError(
                f"{what}: reading Parquet ({path!r}) needs pyarrow: pip install scorecard[parquet]"
            ) from None
    if name.endswith((".csv", ".csv.gz", ".txt", ".tsv")):
        sep = "\t" if name.endswith(".tsv") else ","
        try:
            return pd.read_csv(p, sep=sep, dtype=dict.fromkeys(categorical, str), low_memory=False)
        except (ValueError, pd.errors.ParserError) as exc:
            raise DataError(f"{what}: could not read {path!r} as CSV: {exc}") from None
    raise DataError(
        f"{what}: expected a .csv, .csv.gz, .tsv, .parquet or .pq file, found {p.name!r}"
    )


def monitor_command(args: argparse.Namespace) -> int:
    """``scorecard monitor``: write the HTML (and JSON) report; the exit status says how it
    went (0, ``EXIT_FLAGGED`` at the ``--fail-on`` status, ``EXIT_ERROR`` on bad input)."""
    from scorecard import GradeScale, Scorecard
    from scorecard.exceptions import ScorecardError
    from scorecard.monitor import MonitorSpec, monitor

    try:
        card = Scorecard.load(args.card)
        scale = GradeScale.load(args.scale) if args.scale else None
        categorical = [c.name for c in card.characteristics if c.binning.kind == "categorical"]
        baseline = _read_table(args.baseline, categorical, "BASELINE")
        current = _read_table(args.current, categorical, "CURRENT")
        spec_kw: dict[str, Any] = {}
        if args.bands is not None:
            spec_kw["score_bands"] = "grades" if args.bands == "grades" else int(args.bands)
        target: Any = None if args.no_target else (args.target or card.metadata.target)
        report = monitor(
            card,
            baseline,
            current,
            target=target,
            date_column=args.date_column,
            by=args.by,
            scale=scale,
            spec=MonitorSpec(**spec_kw),
            title=args.title or "",
        )
        out = report.save_html(args.output, plots=not args.no_plots)
        written = [str(out)]
        if args.json:
            written.append(str(report.save(args.json)))
    except (ScorecardError, OSError, ValueError) as exc:
        print(f"scorecard monitor: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    flagged = report.summary[report.summary["status"].isin(["amber", "red"])]
    print(f"status: {report.status} ({len(report.periods)} period(s)); wrote {', '.join(written)}")
    if len(flagged):
        print(flagged[["measure", "value", "status", "first_flagged"]].to_string())
    order = {"never": 99, "amber": 2, "red": 3}
    rank = {"n/a": 0, "green": 1, "amber": 2, "red": 3}
    return EXIT_FLAGGED if rank[report.status] >= order[args.fail_on] else 0


def _monitor_parser(sub: Any) -> None:
    p = sub.add_parser(
        "monitor",
        help="monitor a saved card: stability, discrimination and calibration over time",
        description=(
            "Monitor a card (CARD.json, saved with Scorecard.save) on a CURRENT sample against "
            "a BASELINE sample (CSV or Parquet files) and write a self-contained HTML report. "
            f"Exit status: 0, {EXIT_FLAGGED} if the overall status reaches --fail-on, "
            f"{EXIT_ERROR} on bad input."
        ),
    )
    p.add_argument("card", help="the card's JSON file")
    p.add_argument("baseline", help="baseline sample (e.g. the development sample): CSV or Parquet")
    p.add_argument("current", help="current sample: CSV or Parquet")
    p.add_argument("-o", "--output", default="monitoring.html", help="HTML report to write")
    p.add_argument("--json", help="also write the report as versioned JSON to this file")
    p.add_argument("--date-column", help="column of dates of the current sample (periods)")
    p.add_argument("--by", choices=("month", "quarter", "year"), default="month")
    p.add_argument("--target", help="outcome column, 1 = bad (default: the card's target)")
    p.add_argument("--no-target", action="store_true", help="no outcomes: stability checks only")
    p.add_argument("--scale", help="a grade scale's JSON file (calibration by grade)")
    p.add_argument("--bands", help="score bands for the PSI: a number or 'grades' (default 10)")
    p.add_argument("--title", help="title of the report")
    p.add_argument("--no-plots", action="store_true", help="tables only")
    p.add_argument(
        "--fail-on",
        choices=("never", "amber", "red"),
        default="never",
        help=f"exit with status {EXIT_FLAGGED} when the overall status reaches this",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``scorecard`` command."""
    parser = argparse.ArgumentParser(prog="scorecard", description="Credit scorecards.")
    parser.add_argument("--version", action="version", version=f"scorecard {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="run the credit cycle on the bundled German credit data")
    _monitor_parser(sub)
    deploy.add_commands(sub)  # score, export
    args = parser.parse_args(argv)
    if args.command == "monitor":
        if args.bands is not None and args.bands != "grades" and not args.bands.isdigit():
            parser.error(f"--bands: expected a number or 'grades', found {args.bands!r}")
        return monitor_command(args)
    if args.command in deploy.COMMANDS:
        return deploy.run(args)
    commands = {"demo": demo}
    return commands[args.command]()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
