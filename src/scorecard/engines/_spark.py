"""The Spark adapter: the only module that talks to Spark (``pyspark``).

A source is a Spark DataFrame (classic or Spark Connect).  Every query of the package is
Spark SQL over a temporary view of the DataFrame, registered for the query and dropped
right after (the query's plan keeps what it read); everything runs as native Spark
expressions, never as Python UDFs.  Small results are collected as rows, large ones (the
counts per combination of bin indices) as Arrow.  Quantiles are approximate
(``percentile_approx`` with an accuracy of ``1 / relative_error``) or, with
``relative_error=0``, exact (``percentile_disc``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import numpy.typing as npt

from scorecard.deploy._sql import number
from scorecard.engines._engine import engine_error, new_view_name
from scorecard.exceptions import DataError


def _is_spark_error(exc: BaseException) -> bool:
    return any(k.__module__.split(".")[0] in ("pyspark", "py4j") for k in type(exc).__mro__)


class SparkEngine:
    """A Spark DataFrame as an :class:`~scorecard.engines._source.Engine`."""

    name = "spark"

    def __init__(self, data: Any, relative_error: float) -> None:
        kind = type(data)
        if not (kind.__module__.startswith("pyspark.sql") and kind.__name__ == "DataFrame"):
            raise DataError(f"source: expected a Spark DataFrame, found {kind.__name__}")
        self.frame = data
        self.session = data.sparkSession
        self.label = f"Spark {self.session.version}"
        self.relative_error = relative_error
        self.view = new_view_name()
        # a sketch per feature is small; an exact quantile gathers the column's values
        self.quantiles_per_query = 1 if relative_error == 0 else 1 << 20

    def columns(self) -> list[tuple[str, str]]:
        return [(f.name, f.dataType.simpleString().upper()) for f in self.frame.schema.fields]

    @contextmanager
    def _view(self, what: str) -> Iterator[None]:
        try:
            self.frame.createOrReplaceTempView(self.view)
        except Exception as exc:
            if _is_spark_error(exc):
                raise engine_error(self.label, what, exc) from None
            raise
        try:
            yield
        finally:
            self.session.catalog.dropTempView(self.view)

    def _sql(self, sql: str, what: str) -> Any:
        with self._view(what):
            try:
                return self.session.sql(sql)
            except Exception as exc:
                if _is_spark_error(exc):
                    raise engine_error(self.label, what, exc) from None
                raise

    def rows(self, sql: str, what: str) -> list[tuple[Any, ...]]:
        frame = self._sql(sql, what)
        try:
            return [tuple(r) for r in frame.collect()]
        except Exception as exc:
            if _is_spark_error(exc):
                raise engine_error(self.label, what, exc) from None
            raise

    def arrays(
        self, sql: str, what: str, dtypes: Mapping[str, npt.DTypeLike]
    ) -> dict[str, np.ndarray]:
        frame = self._sql(sql, what)
        try:
            if hasattr(frame, "toArrow"):  # Spark 4
                table = frame.toArrow()
                batches = table.to_batches()
                names = list(table.column_names)
                del table
            else:  # pragma: no cover - Spark 3.5
                batches = frame._collect_as_arrow()
                names = list(frame.columns)
        except Exception as exc:
            if _is_spark_error(exc):
                raise engine_error(self.label, what, exc) from None
            raise
        out: dict[str, np.ndarray] = {}
        for j, nm in enumerate(names):
            parts = [
                b.column(j).to_numpy(zero_copy_only=False).astype(dtypes[nm], copy=False)
                for b in batches
            ]
            out[nm] = np.concatenate(parts) if parts else np.zeros(0, dtypes[nm])
        return out

    def quantile_sql(self, x: str, probabilities: Sequence[float]) -> str:
        ps = ", ".join(number(p) for p in probabilities)
        if self.relative_error == 0:
            return f"percentile_disc(array({ps})) WITHIN GROUP (ORDER BY {x})"
        accuracy = min(math.ceil(1.0 / self.relative_error), 2**31 - 1)
        return f"percentile_approx({x}, array({ps}), {accuracy})"

    def table(self, sql: str, what: str) -> Any:
        return self._sql(sql, what)
