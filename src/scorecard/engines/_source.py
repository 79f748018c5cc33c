"""Where the data lives: :class:`Source`, a table of DuckDB or Spark, behind the adapter
protocol of :mod:`scorecard.engines._engine`."""

from __future__ import annotations

from typing import Any

from scorecard.engines._engine import Engine
from scorecard.exceptions import DataError, SpecificationError


class Source:
    """A table of an engine: what :func:`bin_features`, :func:`fit_scorecard` and
    :func:`score` read where the data lives.

    Build one with :meth:`duckdb` or :meth:`spark`; the functions of
    :mod:`scorecard.engines` also take a DuckDB relation or a Spark DataFrame as it is.

    Examples
    --------
    >>> import duckdb
    >>> src = Source.duckdb("SELECT 1.5 AS x, 'a' AS grade, 0 AS bad")
    >>> src.engine, src.columns
    ('duckdb', {'x': 'DECIMAL(2,1)', 'grade': 'VARCHAR', 'bad': 'INTEGER'})
    """

    __slots__ = ("_engine", "relative_error")

    def __init__(self, engine: Engine, relative_error: float = 0.0) -> None:
        self._engine = engine
        self.relative_error = relative_error

    @classmethod
    def duckdb(cls, data: Any, connection: Any = None) -> Source:
        """A DuckDB relation, or a SQL query run on ``connection`` (default: a new in-memory
        database), e.g. ``"SELECT * FROM read_parquet('loans/*.parquet')"``.

        Quantiles are exact (``quantile_disc``).  Large results are read through Arrow in
        batches with ``pyarrow`` (``scorecard[sql,parquet]``), else as numpy arrays at once
        (``scorecard[sql]``).
        """
        from scorecard.engines._duckdb import DuckDBEngine

        return cls(DuckDBEngine(data, connection))

    @classmethod
    def spark(cls, data: Any, relative_error: float = 1e-4) -> Source:
        """A Spark DataFrame.

        Quantiles are approximate: ``percentile_approx`` with an accuracy of
        ``1 / relative_error``, so each fine-class boundary lies within
        ``relative_error * n`` ranks of the exact quantile of ``n`` values (the counts per
        class are exact); ``relative_error=0`` takes exact quantiles (``percentile_disc``,
        which gathers a column's values in one task: for data that fits an executor).
        """
        if (
            isinstance(relative_error, bool)
            or not isinstance(relative_error, int | float)
            or not 0 <= relative_error < 0.5
        ):
            raise SpecificationError(
                f"Source.spark: expected relative_error in [0, 0.5), found {relative_error!r}"
            )
        from scorecard.engines._spark import SparkEngine

        return cls(SparkEngine(data, float(relative_error)), float(relative_error))

    @property
    def engine(self) -> str:
        """``"duckdb"`` or ``"spark"``."""
        return self._engine.name

    @property
    def columns(self) -> dict[str, str]:
        """The columns and their SQL types."""
        return dict(self._engine.columns())

    def __repr__(self) -> str:
        cols = list(self.columns)
        shown = ", ".join(cols[:8]) + (", ..." if len(cols) > 8 else "")
        return f"Source({self._engine.label}: {shown})"


def as_source(data: Any, what: str = "source") -> tuple[Source, Engine]:
    """A :class:`Source` (and its engine) from a Source, a DuckDB relation, a SQL query
    (DuckDB) or a Spark DataFrame."""
    if isinstance(data, Source):
        return data, data._engine
    kind = type(data)
    module, name = kind.__module__, kind.__name__
    if isinstance(data, str) or (module.startswith("duckdb") and "Relation" in name):
        src = Source.duckdb(data)
    elif module.startswith("pyspark.sql") and name == "DataFrame":
        src = Source.spark(data)
    else:
        hint = (
            ": a pandas frame fits in memory, use scorecard.fit_scorecard"
            if module.startswith("pandas")
            else ""
        )
        raise DataError(
            f"{what}: expected a Source, a DuckDB relation, a SQL query or a Spark DataFrame, "
            f"found {name}{hint}"
        )
    return src, src._engine
