"""The ``scorecard score`` and ``scorecard export`` commands (wired into ``scorecard._cli``).

``scorecard score CARD.json INPUT -o OUTPUT [--policy POLICY.json] [--grades GRADES.json]
[--reasons N] [--chunk-rows N] [--id COLUMN ...] [--rejects FILE]`` scores a CSV or Parquet
file in chunks (:func:`~scorecard.deploy.score_file`), shows a progress bar on a terminal
and prints the counts.

``scorecard export CARD.json --to sql|pmml|xlsx -o FILE [--dialect ...] [--table ...]
[--view ...] [--id COLUMN ...] [--grades GRADES.json] [--policy POLICY.json] [--reasons N]
[--baseline max|neutral|mean]`` writes the card as SQL, PMML or an Excel workbook.

Exit codes: 0 done (rejected rows are counted, not an error), 1 an input, output or
argument error (the message says which), 130 interrupted (no output written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from scorecard._model.scorecard import Scorecard
from scorecard.deploy._batch import progress_bar, score_file
from scorecard.deploy._excel import to_excel
from scorecard.deploy._files import atomic_path
from scorecard.deploy._pmml import to_pmml
from scorecard.deploy._sql import DIALECTS, sql_query
from scorecard.exceptions import ScorecardError
from scorecard.policy._grades import GradeScale
from scorecard.policy._policy import CreditPolicy

__all__ = ["COMMANDS", "add_commands", "run"]

COMMANDS = ("score", "export")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, found {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, found {value}")
    return value


def add_commands(sub: Any) -> None:
    """Add ``score`` and ``export`` to the ``scorecard`` command's subparsers."""
    score = sub.add_parser(
        "score",
        help="score a CSV or Parquet file in chunks (scores, PD, grade, reasons, decisions)",
        description="Score a CSV or Parquet file in chunks. Rows that cannot be scored go "
        "to a reject file with their row numbers and reasons; the output appears only when "
        "complete.",
    )
    score.add_argument("card", type=Path, help="the scorecard (JSON artifact)")
    score.add_argument("input", type=Path, help="applicants: .csv (or .csv.gz ...) or .parquet")
    score.add_argument("-o", "--output", type=Path, required=True, help=".csv or .parquet")
    score.add_argument("--policy", type=Path, help="a credit policy (JSON) to decide each row")
    score.add_argument("--grades", type=Path, help="a grade scale (JSON), without a policy")
    score.add_argument("--reasons", type=_positive, default=0, help="reason codes per row")
    score.add_argument(
        "--chunk-rows", type=_positive, default=100_000, help="rows per chunk (memory bound)"
    )
    score.add_argument(
        "--id", dest="ids", action="append", default=[], help="id column to keep (repeatable)"
    )
    score.add_argument("--rejects", type=Path, help="reject file (default: OUTPUT.rejects.csv)")
    export = sub.add_parser(
        "export",
        help="write a card as SQL, PMML or an Excel workbook",
        description="Write a card as SQL (a SELECT or a view), PMML 4.4 or an Excel workbook.",
    )
    export.add_argument("card", type=Path, help="the scorecard (JSON artifact)")
    export.add_argument("--to", required=True, choices=("sql", "pmml", "xlsx"))
    export.add_argument("-o", "--output", type=Path, required=True, help="the file to write")
    export.add_argument("--dialect", default="ansi", choices=DIALECTS, help="SQL dialect")
    export.add_argument("--table", default="applicants", help="SQL: the table to score")
    export.add_argument("--view", help="SQL: create this view instead of a SELECT")
    export.add_argument(
        "--id", dest="ids", action="append", default=[], help="SQL: columns to keep (repeatable)"
    )
    export.add_argument("--grades", type=Path, help="a grade scale (JSON): adds the grade")
    export.add_argument("--policy", type=Path, help="xlsx: a credit policy (JSON) sheet")
    export.add_argument("--reasons", type=_positive, default=3, help="PMML: reason codes")
    export.add_argument("--baseline", default="max", choices=("max", "neutral", "mean"))


def _score(args: argparse.Namespace) -> int:
    card = Scorecard.load(args.card)
    policy = CreditPolicy.load(args.policy) if args.policy else None
    grades = GradeScale.load(args.grades) if args.grades else None
    terminal = sys.stderr.isatty()
    report = score_file(
        card,
        args.input,
        args.output,
        policy=policy,
        grades=grades,
        reasons=args.reasons,
        ids=args.ids,
        chunk_rows=max(args.chunk_rows, 1),
        rejects=args.rejects,
        progress=progress_bar(sys.stderr) if terminal else None,
    )
    if terminal:
        sys.stderr.write("\n")
    print(report)
    print(f"output: {report.output}")
    return 0


def _export(args: argparse.Namespace) -> int:
    card = Scorecard.load(args.card)
    grades = GradeScale.load(args.grades) if args.grades else None
    policy = CreditPolicy.load(args.policy) if args.policy else None
    if args.to == "xlsx":
        path = to_excel(card, args.output, grades=grades, policy=policy)
    else:
        if args.to == "sql":
            text = sql_query(
                card,
                args.table,
                args.dialect,
                grades=grades if grades is not None else (policy.grade_scale if policy else None),
                keep=args.ids or None,
                view=args.view,
            )
            text += ";\n"
        else:
            text = to_pmml(card, baseline=args.baseline, grades=grades, reasons=args.reasons)
        path = Path(args.output)
        with atomic_path(path) as tmp:
            tmp.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


def run(args: argparse.Namespace) -> int:
    """Run ``score`` or ``export``; errors are printed, not raised (see the exit codes)."""
    try:
        return _score(args) if args.command == "score" else _export(args)
    except KeyboardInterrupt:
        sys.stderr.write("\ninterrupted: no output written\n")
        return 130
    except (ScorecardError, OSError) as exc:
        sys.stderr.write(f"scorecard {args.command}: error: {exc}\n")
        return 1
