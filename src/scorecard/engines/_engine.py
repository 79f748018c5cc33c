"""What the package needs of an engine (:class:`Engine`), how columns read, engine errors.

A source (:class:`~scorecard.engines.Source`) is a DuckDB relation or SQL query (over
tables, views or Parquet files) or a Spark DataFrame.  The rest of the package sees it
through :class:`Engine`, a handful of operations that return plain Python values: the
columns and their types, the rows of a small query, the arrays of a large one, and a lazy
table of the engine (the scores).  Queries name the source by :attr:`Engine.view` and are
written once, in the SQL both engines read (:mod:`scorecard.engines._queries`); only the
quantile function differs.  Every failure of the engine is a
:class:`~scorecard.exceptions.DataError` that carries the engine's own message
(:func:`engine_error`).

The column types decide how a column is read (:func:`column_class`): numbers (integers,
doubles, decimals, booleans) and text.  Two kinds of column would read differently in
the engine and in Python, so they are refused with the way out: a categorical feature
reads the text of its values, so it must be a text or integer column (Python names
``1.0`` ``"1"`` and ``True`` ``"True"``, SQL ``'1.0'`` and ``'true'``); and a 32-bit
``FLOAT`` column, whose values Python reads as the decimal they print as and SQL as their
binary value (cast it to ``DOUBLE`` in the query: fitting and scoring in the engine then
read the same numbers).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, Literal, Protocol

import numpy as np
import numpy.typing as npt

from scorecard.exceptions import DataError

ColumnClass = Literal["integer", "real", "float32", "boolean", "text", "time", "other"]

_CLASSES: tuple[tuple[str, ColumnClass], ...] = (
    (r"(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|BYTE|SHORT|LONG|INT\d+|UBIGINT|UHUGEINT)", "integer"),
    (r"(FLOAT4?|REAL)", "float32"),
    (r"(FLOAT8|DOUBLE( PRECISION)?|DECIMAL(\(.*\))?|NUMERIC(\(.*\))?)", "real"),
    (r"(BOOL(EAN)?)", "boolean"),
    (r"(VARCHAR(\(.*\))?|STRING|TEXT|CHAR(\(.*\))?|BPCHAR|ENUM\(.*\))", "text"),
    (r"(DATE|TIME.*|TIMESTAMP.*|INTERVAL.*)", "time"),
)


def column_class(sql_type: str) -> ColumnClass:
    """How a column of this SQL type is read: ``"integer"``, ``"real"``, ``"float32"``,
    ``"boolean"``, ``"text"``, ``"time"`` or ``"other"``.

    Examples
    --------
    >>> [column_class(t) for t in ("BIGINT", "DECIMAL(10,2)", "FLOAT", "string", "DATE")]
    ['integer', 'real', 'float32', 'text', 'time']
    """
    t = sql_type.strip().upper()
    for pattern, cls in _CLASSES:
        if re.fullmatch(pattern, t, flags=re.DOTALL):
            return cls
    return "other"


def engine_error(engine: str, what: str, exc: BaseException) -> DataError:
    """A :class:`DataError` saying which query of ``what`` failed, with the engine's message
    (its first lines: a Java stack trace is left out)."""
    lines = [ln for ln in str(exc).strip().splitlines() if ln.strip()]
    message = " ".join(lines[:3]) if lines else type(exc).__name__
    if len(message) > 600:
        message = message[:600] + " ..."
    return DataError(f"source: {engine} could not run the query of {what}: {message}")


class Engine(Protocol):
    """What the package needs of an engine (the adapters: ``_duckdb``, ``_spark``)."""

    #: ``"duckdb"`` or ``"spark"``: also the SQL dialect of :func:`scorecard.deploy.sql_query`
    name: str
    #: the engine's name and version, for messages and reports (``"DuckDB 2.0.1"``)
    label: str
    #: the name the queries give the source (a plain identifier, unquoted)
    view: str
    #: numeric features whose quantiles one query computes (an exact quantile holds a
    #: column's values in memory: one feature at a time)
    quantiles_per_query: int

    def columns(self) -> list[tuple[str, str]]:
        """The source's columns and their SQL types (upper case)."""
        ...

    def rows(self, sql: str, what: str) -> list[tuple[Any, ...]]:
        """The rows of a query with a small result."""
        ...

    def arrays(
        self, sql: str, what: str, dtypes: Mapping[str, npt.DTypeLike]
    ) -> dict[str, np.ndarray]:
        """The columns of a query with a large result (no ``NULL``), read in batches, each
        batch converted to the column's type in ``dtypes`` as it arrives."""
        ...

    def quantile_sql(self, x: str, probabilities: Sequence[float]) -> str:
        """The aggregate that gives the values at these probabilities, as an array."""
        ...

    def table(self, sql: str, what: str) -> Any:
        """A lazy table of the engine (a DuckDB relation, a Spark DataFrame)."""
        ...


def new_view_name() -> str:
    """A name for the source in queries that no user table has."""
    return f"scorecard_source_{uuid.uuid4().hex[:12]}"
