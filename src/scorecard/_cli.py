"""Command line: ``scorecard demo`` runs the credit cycle on the bundled German credit data;
``scorecard score`` scores a file in chunks and ``scorecard export`` writes a card as SQL,
PMML or Excel (:mod:`scorecard.deploy`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``scorecard`` command."""
    parser = argparse.ArgumentParser(prog="scorecard", description="Credit scorecards.")
    parser.add_argument("--version", action="version", version=f"scorecard {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="run the credit cycle on the bundled German credit data")
    deploy.add_commands(sub)  # score, export
    args = parser.parse_args(argv)
    if args.command in deploy.COMMANDS:
        return deploy.run(args)
    commands = {"demo": demo}
    return commands[args.command]()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
