"""The queries: SQL text that DuckDB and Spark both read, and what each one returns.

Every statistic comes from good/bad counts, so every query is a group-by or an aggregate
over the source; the value rule is Python's (see :mod:`scorecard.deploy._sql`):

* a numeric column is read as a double: ``NULL`` or NaN is missing, each special code is
  compared on its value, an infinite value is refused (counted, then reported), and the
  rest are the *regular* values whose quantiles give the fine classes;
* a categorical column is grouped by its values; Python names the levels
  (:func:`scorecard._core.validation.level_name`), as it does for a frame;
* the bin index of a value is the CASE expression of the SQL export, with the bin
  indices as its "points" (:func:`bin_index_sql`): fitting and scoring in the engine
  read values by the same text.

Identifiers and literals are quoted by the export's dialects (``"x"`` in DuckDB,
```x``` in Spark).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from scorecard._analyze.feature import FeatureBinning
from scorecard._model.counts import code_dtype
from scorecard._model.scorecard import Characteristic
from scorecard.deploy._rules import _branches
from scorecard.deploy._sql import _MAX_DOUBLE, _case, _dialect, number
from scorecard.engines._engine import Engine
from scorecard.exceptions import DataError

#: the bin index of a value Python refuses (an infinite number) in :meth:`Queries.combinations`
REFUSED = -2

#: the SQL integer type (both dialects) of a bin index held as each numpy type
_INDEX_TYPES = {np.dtype(np.int8): "TINYINT", np.dtype(np.int16): "SMALLINT"}
_INDEX_TYPES[np.dtype(np.int32)] = "INTEGER"


def index_type(n_bins: int) -> str:
    """The SQL type of the bin indices of a feature with ``n_bins`` bins (that of
    :func:`~scorecard._model.counts.code_dtype`).

    Examples
    --------
    >>> index_type(6), index_type(127), index_type(128), index_type(40_000)
    ('TINYINT', 'TINYINT', 'SMALLINT', 'INTEGER')
    """
    return _INDEX_TYPES[np.dtype(code_dtype(n_bins))]


#: two features by their positions
Pair = tuple[int, int]


class Queries:
    """The SQL of one source (its engine's dialect and view)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.d = _dialect(engine.name)
        self.view = self.d.ident(engine.view)

    # -- pieces ----------------------------------------------------------------------------
    def ident(self, name: str) -> str:
        return self.d.ident(name)

    def x(self, name: str) -> str:
        """A numeric column as a double."""
        return f"CAST({self.ident(name)} AS {self.d.double})"

    def missing(self, name: str) -> str:
        return f"({self.ident(name)} IS NULL OR isnan({self.x(name)}))"

    def present(self, name: str) -> str:
        return f"({self.ident(name)} IS NOT NULL AND NOT isnan({self.x(name)}))"

    def regular(self, name: str, specials: Sequence[float]) -> str:
        """Neither missing nor a special code (an infinite value is refused beforehand)."""
        out = self.present(name)
        if specials:
            codes = ", ".join(number(c) for c in specials)
            out = f"({out} AND {self.x(name)} NOT IN ({codes}))"
        return out

    def literal(self, value: Any, what: str) -> str:
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, int | float) and not isinstance(value, bool):
            return number(float(value))
        if isinstance(value, str):
            return self.d.string(value)
        raise DataError(f"{what}: expected a string, number or boolean, found {value!r}")

    # -- queries ---------------------------------------------------------------------------
    def target_counts(self, target: str) -> str:
        t = self.ident(target)
        return f"SELECT {t}, COUNT(*) FROM {self.view} GROUP BY {t}"

    def profile(self, numeric: Sequence[tuple[str, Sequence[float]]], y: str) -> str:
        """One row: per numeric feature, its regular and infinite values (count, min, max),
        then the rows and bads of its missing values and of each special code."""
        parts: list[str] = []
        for name, specials in numeric:
            x, reg = self.x(name), self.regular(name, specials)
            inf = f"({self.present(name)} AND ABS({x}) > {_MAX_DOUBLE})"
            miss = self.missing(name)
            parts += [
                f"SUM(CASE WHEN {reg} THEN 1 ELSE 0 END)",
                f"SUM(CASE WHEN {inf} THEN 1 ELSE 0 END)",
                f"MIN(CASE WHEN {reg} THEN {x} END)",
                f"MAX(CASE WHEN {reg} THEN {x} END)",
                f"SUM(CASE WHEN {miss} THEN 1 ELSE 0 END)",
                f"SUM(CASE WHEN {miss} THEN {y} ELSE 0 END)",
            ]
            for code in specials:
                hit = f"{x} = {number(code)}"
                parts += [
                    f"SUM(CASE WHEN {hit} THEN 1 ELSE 0 END)",
                    f"SUM(CASE WHEN {hit} THEN {y} ELSE 0 END)",
                ]
        return f"SELECT {', '.join(parts)} FROM {self.view}"

    def quantiles(self, features: Sequence[tuple[str, Sequence[float], Sequence[float]]]) -> str:
        """Per feature ``(name, specials, probabilities)``, the quantiles of its regular
        values at those probabilities (one array each; both engines leave NULLs out)."""
        aggs = [
            self.engine.quantile_sql(f"CASE WHEN {self.regular(n, sp)} THEN {self.x(n)} END", ps)
            for n, sp, ps in features
        ]
        return f"SELECT {', '.join(aggs)} FROM {self.view}"

    def buckets(
        self, features: Sequence[tuple[str, Sequence[float], Sequence[float]]], y: str
    ) -> str:
        """Per feature ``(name, specials, quantiles)`` (its position first), the rows, bads
        and smallest value of its regular values per bucket ``(q[i-1], q[i]]``."""
        parts = []
        for k, (name, specials, q) in enumerate(features):
            x = self.x(name)
            tests = " ".join(f"WHEN {x} <= {number(v)} THEN {i}" for i, v in enumerate(q))
            bucket = f"CASE {tests} ELSE {len(q)} END" if q else "0"
            parts.append(
                f"SELECT {k}, {bucket}, MIN({x}), COUNT(*), SUM({y}) FROM {self.view} "
                f"WHERE {self.regular(name, specials)} GROUP BY 1, 2"
            )
        return " UNION ALL ".join(parts)

    def levels(self, names: Sequence[str], y: str) -> str:
        """Per categorical column (its position first), the rows and bads per value as text
        (``NULL`` included): the text of a text or integer value is the level's name."""
        parts = [
            f"SELECT {k}, CAST({self.ident(n)} AS {self.d.text}), COUNT(*), SUM({y}) "
            f"FROM {self.view} GROUP BY 1, 2"
            for k, n in enumerate(names)
        ]
        return " UNION ALL ".join(parts)

    def combinations(self, binnings: Sequence[FeatureBinning], y: str) -> str:
        """Rows (``n``) and bads (``b``) per combination of the features' bin indices
        (``c0``, ``c1``, ...; ``-1`` = an unseen category, :data:`REFUSED` = a value Python
        refuses), every column a plain integer (no ``NULL``, no 128-bit sum); an index is
        grouped as the narrowest integer that holds it (``TINYINT`` up to 127 bins): the
        engine's hash table holds one key per combination."""
        cols = [
            f"COALESCE(CAST({bin_index_sql(fb, self.d.name, self.ident(fb.name))} AS "
            f"{index_type(len(fb.labels))}), {REFUSED}) AS c{j}"
            for j, fb in enumerate(binnings)
        ]
        keys = ", ".join(str(j + 1) for j in range(len(binnings)))
        group = f" GROUP BY {keys}" if binnings else ""
        select = ", ".join([*cols, "COUNT(*) AS n", f"CAST(SUM({y}) AS BIGINT) AS b"])
        return f"SELECT {select} FROM {self.view}{group}"

    def woe_moments(
        self, binnings: Sequence[FeatureBinning], means: Sequence[float], pairs: Sequence[Pair]
    ) -> str:
        """One row: for each pair ``(i, j)``, the sum over the rows of
        ``(woe_i - means[i]) * (woe_j - means[j])`` (a feature's WOE by its bin index; the
        rows are those the binning counted, so every index is a bin)."""
        used = sorted({k for pair in pairs for k in pair})
        cols = []
        for k in used:
            fb = binnings[k]
            table = np.asarray(fb.woe_table[:-1], dtype=np.float64) - means[k]
            whens = " ".join(
                f"WHEN {i} THEN {number(float(v)) if np.isfinite(v) else 'NULL'}"
                for i, v in enumerate(table)  # NULL: an empty bin the card refuses
            )
            index = bin_index_sql(fb, self.d.name, self.ident(fb.name))
            cols.append(f"CASE {index} {whens} END AS w{k}")
        sums = ", ".join(f"SUM(w{i} * w{j})" for i, j in pairs)
        return f"SELECT {sums} FROM (SELECT {', '.join(cols)} FROM {self.view}) AS woe"


def bin_index_sql(fb: FeatureBinning, dialect: str, column: str) -> str:
    """The bin index of a column's values (``-1`` for an unseen category, ``NULL`` for what
    Python refuses): the SQL export's CASE with each bin's index as its points."""
    k = len(fb.labels)
    rule = Characteristic(
        binning=fb,
        coefficient=0.0,
        points=(*range(k), -1),
        raw_points=(*map(float, range(k)), -1.0),
        mean_points=0.0,
    )
    return _case(_branches(rule), column, _dialect(dialect), "")
