"""The DuckDB adapter: the only module that talks to DuckDB.

A source is a relation (``duckdb.sql(...)``, ``con.read_parquet(...)``, ``con.table(...)``)
or a SQL query run on a connection.  Every query of the package runs as
``relation.query(view, sql)``: the relation is a common table expression named ``view``
for that query only, so nothing is created in the user's database.  Small results are
fetched as Python rows, large ones (the counts per combination of bin indices) as Arrow
batches (or, without ``pyarrow``, as numpy arrays at once); quantiles are exact
(``quantile_disc``).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from scorecard.deploy._sql import number
from scorecard.engines._engine import engine_error, new_view_name
from scorecard.exceptions import DataError

#: rows per Arrow batch of a large result
BATCH_ROWS = 1 << 20


def has_pyarrow() -> bool:
    """Whether large results can be read as Arrow batches (else as numpy, at once)."""
    return importlib.util.find_spec("pyarrow") is not None


def _duckdb() -> Any:
    try:
        import duckdb
    except ImportError:  # pragma: no cover - the extra is installed where this runs
        raise DataError(
            "source: a DuckDB source needs the duckdb package: pip install 'scorecard[sql]'"
        ) from None
    return duckdb


class DuckDBEngine:
    """A DuckDB relation as an :class:`~scorecard.engines._source.Engine`."""

    name = "duckdb"
    quantiles_per_query = 1  # quantile_disc holds the column's values in memory

    def __init__(self, data: Any, connection: Any = None) -> None:
        duckdb = _duckdb()
        self.label = f"DuckDB {duckdb.__version__}"
        self._error = duckdb.Error
        if isinstance(data, str):
            con = connection if connection is not None else duckdb.connect()
            try:
                data = con.sql(data)
            except duckdb.Error as exc:
                raise engine_error(self.label, "the source", exc) from None
            if data is None:
                raise DataError(
                    "source: expected a query that returns rows (a SELECT), found a statement "
                    "without a result"
                )
        elif connection is not None:
            raise DataError("source: a connection goes with a SQL query, not with a relation")
        if not isinstance(data, duckdb.DuckDBPyRelation):
            raise DataError(
                f"source: expected a DuckDB relation or a SQL query, found {type(data).__name__}"
            )
        self.relation = data
        self.view = new_view_name()

    def columns(self) -> list[tuple[str, str]]:
        return [
            (str(c), str(t).upper())
            for c, t in zip(self.relation.columns, self.relation.types, strict=True)
        ]

    def _query(self, sql: str, what: str) -> Any:
        try:
            return self.relation.query(self.view, sql)
        except self._error as exc:
            raise engine_error(self.label, what, exc) from None

    def rows(self, sql: str, what: str) -> list[tuple[Any, ...]]:
        try:
            out: list[tuple[Any, ...]] = self._query(sql, what).fetchall()
        except self._error as exc:
            raise engine_error(self.label, what, exc) from None
        return out

    def arrays(
        self, sql: str, what: str, dtypes: Mapping[str, npt.DTypeLike]
    ) -> dict[str, np.ndarray]:
        rel = self._query(sql, what)
        if not has_pyarrow():
            return self._numpy(rel, what, dtypes)
        names = [str(c) for c in rel.columns]
        parts: list[list[np.ndarray]] = [[] for _ in names]
        try:
            reader = (
                rel.to_arrow_reader(BATCH_ROWS)
                if hasattr(rel, "to_arrow_reader")
                else rel.fetch_record_batch(BATCH_ROWS)
            )
            for batch in reader:
                for j, nm in enumerate(names):
                    values = batch.column(j).to_numpy(zero_copy_only=False)
                    parts[j].append(values.astype(dtypes[nm], copy=False))
        except self._error as exc:
            raise engine_error(self.label, what, exc) from None
        out: dict[str, np.ndarray] = {}
        for j, nm in enumerate(names):  # one column at a time: its parts are freed after
            out[nm] = np.concatenate(parts[j]) if parts[j] else np.zeros(0, dtypes[nm])
            parts[j] = []
        return out

    def _numpy(
        self, rel: Any, what: str, dtypes: Mapping[str, npt.DTypeLike]
    ) -> dict[str, np.ndarray]:
        """Without pyarrow: the whole result at once as numpy arrays."""
        try:
            fetched = rel.fetchnumpy()
        except self._error as exc:
            raise engine_error(self.label, what, exc) from None
        return {
            str(nm): np.asarray(values).astype(dtypes[str(nm)], copy=False)
            for nm, values in fetched.items()
        }

    def quantile_sql(self, x: str, probabilities: Sequence[float]) -> str:
        return f"quantile_disc({x}, [{', '.join(number(p) for p in probabilities)}])"

    def table(self, sql: str, what: str) -> Any:
        return self._query(sql, what)
