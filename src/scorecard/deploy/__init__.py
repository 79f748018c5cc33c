"""Deploy a card where decisions are made: SQL, PMML, Excel, and batch scoring of files.

* :func:`sql_expression`, :func:`sql_query`: the card as SQL (:data:`DIALECTS`: ANSI,
  DuckDB, SQLite, PostgreSQL, Spark SQL), one ``CASE WHEN`` per characteristic;
* :func:`to_pmml`: a PMML 4.4 ``Scorecard`` with reason codes and their baselines;
* :func:`to_excel`: a workbook for analysts and committees, with a calculator sheet that
  scores one applicant with formulas (needs ``openpyxl``: ``scorecard[excel]``);
* :func:`score_file`: a CSV or Parquet file scored in chunks, with a reject file, written
  whole or not at all (Parquet needs ``pyarrow``: ``scorecard[parquet]``); its
  :class:`BatchReport`.

Every export is written from the card's stored bins and integer points with the library's
one value rule, and scores as :meth:`Scorecard.score <scorecard.Scorecard.score>` does,
row for row (checked in real engines: see the deployment guide).  The command line has
the same: ``scorecard score`` and ``scorecard export``.
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
