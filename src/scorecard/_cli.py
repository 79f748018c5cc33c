"""Command line: ``scorecard demo`` runs the credit cycle on the bundled German credit data."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import pandas as pd

from scorecard._version import __version__


def _section(title: str) -> None:
    print(f"\n== {title} ==")


def demo(max_rows: int = 25) -> int:
    """Run the demo and print each step; returns the exit code."""
    from scorecard import analyse, bin_features, select_features
    from scorecard.datasets import load_german_credit

    pd.set_option("display.width", 160)
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.max_colwidth", 60)

    _section("1. Collect: German credit data (UCI Statlog, CC BY 4.0)")
    df = load_german_credit()
    print(f"{len(df)} applicants, {df.shape[1] - 1} attributes, bad rate {df['bad'].mean():.1%}")

    _section("2. Analyse: binning, WOE and IV")
    binning = bin_features(df, "bad")
    report = analyse(binning)
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
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``scorecard`` command."""
    parser = argparse.ArgumentParser(prog="scorecard", description="Credit scorecards.")
    parser.add_argument("--version", action="version", version=f"scorecard {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="run the credit cycle on the bundled German credit data")
    args = parser.parse_args(argv)
    commands = {"demo": demo}
    return commands[args.command]()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
