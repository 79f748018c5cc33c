"""Deploy a card where decisions are made: SQL, PMML, Excel, and batch scoring of files.

* :func:`sql_expression`, :func:`sql_query`: the card as SQL (ANSI, DuckDB, SQLite,
  PostgreSQL, Spark SQL) that scores exactly as :meth:`Scorecard.score
  <scorecard.Scorecard.score>`, row for row;
"""

from __future__ import annotations

from scorecard.deploy._batch import BatchReport, score_file
from scorecard.deploy._excel import to_excel
from scorecard.deploy._pmml import to_pmml
from scorecard.deploy._sql import DIALECTS, sql_expression, sql_query

__all__ = [
    "DIALECTS",
    "BatchReport",
    "score_file",
    "sql_expression",
    "sql_query",
    "to_excel",
    "to_pmml",
]
