"""Binning where the data lives: :func:`bin_features` on a :class:`~scorecard.engines.Source`.

The engine returns counts only, and Python builds the same fine classes, coarse classes
and tables as :func:`scorecard.bin_features` does for a frame
(:mod:`scorecard._analyze.fine`, :func:`scorecard._analyze.feature.coarse_classes`):

1. the target: rows per value (one group-by), checked as a frame's target is;
2. one aggregate over every numeric feature: its regular values (count, smallest,
   largest), infinite values, and the rows and bads of its missing values and special
   codes;
3. per numeric feature, the quantiles of its regular values at the positions the frame
   path takes them (:func:`~scorecard._analyze.fine.quantile_positions`): exact in DuckDB
   (``quantile_disc``), approximate or exact in Spark (:meth:`Source.spark
   <scorecard.engines.Source.spark>`); then one group-by of the values into the buckets
   between those quantiles: rows, bads and the smallest value of each.  The smallest
   value above a quantile is the smallest value of the next bucket, so the boundaries are
   the frame path's (the simplest number between the two) and each bucket is a fine class;
4. per categorical feature, rows and bads per value (one group-by); Python names the
   levels (``str`` of the value) and orders them.

Where the quantiles are exact the binning equals the frame path's, count for count
(tested).  Two differences are inherent: categorical levels reach Python without the
order of their first appearance, so levels are listed by name before they are ordered by
risk (only levels with exactly equal shrunken bad rates can end up in another order), and
a source has no row weights.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from scorecard._analyze.binning import Binning
from scorecard._analyze.feature import categorical_fine, coarse_classes
from scorecard._analyze.fine import (
    FineClasses,
    edges_between,
    fine_numeric_from_counts,
    quantile_positions,
)
from scorecard._analyze.spec import BinningSpec
from scorecard._core.types import FloatArray, IntArray
from scorecard._core.validation import Kind, level_name
from scorecard.engines._engine import Engine, column_class
from scorecard.engines._queries import Queries
from scorecard.engines._source import as_source
from scorecard.exceptions import DataError, SpecificationError

_NUMBERS = ("integer", "real", "boolean")


class Target(NamedTuple):
    """The checked target of a source: its column, the SQL of its 0/1 flag, rows and bads."""

    name: str
    y: str
    rows: int
    bads: int


def _is_missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def check_target(engine: Engine, q: Queries, sql_type: str, target: str, bad_label: Any) -> Target:
    """Rows per target value; the same rules (and messages) as a frame's target."""
    counts = [(v, int(n)) for v, n in engine.rows(q.target_counts(target), f"target {target!r}")]
    if not counts:
        raise DataError("source: expected at least one row, found none")
    n_missing = sum(n for v, n in counts if _is_missing(v))
    if n_missing:
        raise DataError(
            f"target {target!r}: expected no missing values, found {n_missing}: "
            "drop or label those rows first"
        )
    rows = sum(n for _, n in counts)
    if bad_label is not None:
        bads = sum(n for v, n in counts if v == bad_label)
        others = [v for v, _ in counts if v != bad_label]
        if not bads:
            raise DataError(f"target {target!r}: bad_label {bad_label!r} does not occur")
        if len(others) != 1:
            raise DataError(
                f"target {target!r}: expected exactly one good label besides bad_label "
                f"{bad_label!r}, found {sorted(map(str, others))[:10]}"
            )
        label = q.literal(bad_label, "bad_label")
        y = f"CASE WHEN {q.ident(target)} = {label} THEN 1 ELSE 0 END"
    else:
        numeric = column_class(sql_type) in _NUMBERS
        if not numeric or not {float(v) for v, _ in counts} <= {0.0, 1.0}:
            shown = sorted(map(str, (v for v, _ in counts)))[:10]
            raise DataError(
                f"target {target!r}: expected 0/1 with 1 = bad, found values {shown}; "
                "pass bad_label=<the value that means bad> to use another coding"
            )
        bads = sum(n for v, n in counts if float(v) == 1.0)
        y = f"CAST({q.ident(target)} AS INTEGER)"
    if bads in (0, rows):
        raise DataError(
            f"target {target!r}: expected both goods (0) and bads (1), found only "
            f"{'bads' if bads else 'goods'}"
        )
    return Target(target, y, rows, bads)


def feature_kind(name: str, sql_type: str, requested: str) -> Kind:
    """The kind of a feature read from a column of this type (``requested``: the spec's)."""
    cls = column_class(sql_type)
    if cls == "float32":
        raise DataError(
            f"column {name!r}: expected DOUBLE, DECIMAL or integer numbers, found type "
            f"{sql_type} (32-bit floats: Python reads them as the decimal they print as, SQL "
            "as their binary value): cast it to DOUBLE in the query"
        )
    if requested == "auto":
        if cls in _NUMBERS:
            return "numeric"
        if cls == "text":
            return "categorical"
        how = ": derive a number from it (e.g. age in days) first" if cls == "time" else ""
        raise DataError(
            f"column {name!r}: expected a numeric or categorical feature, found type "
            f"{sql_type}{how}"
        )
    if requested == "numeric" and cls not in _NUMBERS:
        raise DataError(f"column {name!r}: expected numbers, found type {sql_type}")
    if requested == "categorical" and cls not in ("text", "integer"):
        raise DataError(
            f"column {name!r}: expected a text or integer column for a categorical feature "
            f"(its levels are the text of its values, which SQL writes otherwise than Python "
            f"for type {sql_type}): cast it to VARCHAR in the query"
        )
    return "numeric" if requested == "numeric" else "categorical"


def columns_present(engine: Engine, names: Sequence[str]) -> dict[str, str]:
    """The source's columns and types; every name in ``names`` must be one of them."""
    cols = dict(engine.columns())
    absent = [n for n in names if n not in cols]
    if absent:
        avail = list(cols)[:20]
        more = "" if len(cols) <= 20 else f" (and {len(cols) - 20} more)"
        raise DataError(
            f"source: expected column(s) {absent} to be present, found columns {avail}{more}"
        )
    return cols


def bin_features(
    source: Any,
    target: str,
    *,
    features: Sequence[str] | None = None,
    spec: BinningSpec | None = None,
    specs: Mapping[str, BinningSpec] | None = None,
    bad_label: Any = None,
) -> Binning:
    """Bin every feature of a source where it lives: :func:`scorecard.bin_features` from
    counts the engine computes (a few group-bys; no row leaves the engine).

    Parameters
    ----------
    source : Source, DuckDB relation, SQL query or Spark DataFrame
        The training rows (see :class:`Source`).
    target : str
        The target column: 0/1 with 1 = bad, unless ``bad_label`` names the bad value.
    features, spec, specs, bad_label
        As in :func:`scorecard.bin_features` (no sample weights: a row counts once).

    Returns
    -------
    Binning
        Equal to ``scorecard.bin_features`` on the same rows where the quantiles are exact
        (DuckDB; Spark with ``relative_error=0``).

    Examples
    --------
    >>> import duckdb
    >>> from scorecard.datasets import load_german_credit
    >>> german = load_german_credit()
    >>> rel = duckdb.from_df(german)
    >>> b = bin_features(rel, "bad", features=["duration_in_month", "purpose"])
    >>> from scorecard import bin_features as bin_frame
    >>> b == bin_frame(german, "bad", features=["duration_in_month", "purpose"])
    True
    """
    _, engine = as_source(source)
    return bin_source(
        engine, target, features=features, spec=spec, specs=specs, bad_label=bad_label
    )[0]


def bin_source(
    engine: Engine,
    target: str,
    *,
    features: Sequence[str] | None,
    spec: BinningSpec | None,
    specs: Mapping[str, BinningSpec] | None,
    bad_label: Any,
) -> tuple[Binning, Target]:
    """:func:`bin_features` on an engine, with the checked target (for the fit)."""
    if not isinstance(target, str):
        raise DataError(f"target: expected a column name, found {target!r}")
    if isinstance(features, str):
        raise DataError(
            f"features: expected a sequence of column names, found the string {features!r}: "
            f"use [{features!r}]"
        )
    cols = columns_present(engine, [target, *(features or ())])
    names = [c for c in cols if c != target] if features is None else [str(f) for f in features]
    if target in names and features is not None:
        raise DataError(f"features: the target column {target!r} cannot be a feature")
    if not names:
        raise DataError("features: expected at least one feature column, found none")
    dups = sorted({n for n in names if names.count(n) > 1})
    if dups:
        raise DataError(f"features: expected distinct names, found duplicates {dups}")
    per = {str(k): v for k, v in (specs or {}).items()}
    unknown = set(per) - set(names)
    if unknown:
        raise SpecificationError(
            f"specs: per-feature specs for columns that are not binned: {sorted(unknown)}"
        )
    base = spec or BinningSpec()
    spec_of = {n: per.get(n, base) for n in names}
    kinds = {n: feature_kind(n, cols[n], spec_of[n].kind) for n in names}
    for n in names:
        codes = spec_of[n].special_codes
        if kinds[n] == "numeric" and any(isinstance(s, str) for s in codes):
            raise SpecificationError(
                f"feature {n!r}: numeric feature with string special codes {codes}"
            )
    q = Queries(engine)
    tgt = check_target(engine, q, cols[target], target, bad_label)
    numeric = [n for n in names if kinds[n] == "numeric"]
    fine = _numeric(engine, q, {n: spec_of[n] for n in numeric}, tgt.y)
    fine |= _categorical(engine, q, {n: spec_of[n] for n in names if n not in fine}, tgt)
    fitted = [coarse_classes(n, kinds[n], fine[n], spec_of[n]) for n in names]
    return Binning(features=tuple(fitted), target=target), tgt


class _Profile(NamedTuple):
    specials: list[float]
    regular: int
    infinite: int
    lo: float | None
    hi: float | None
    missing: tuple[int, int]  # rows, bads
    special: list[tuple[int, int]]  # rows, bads per code


def _profile(
    engine: Engine, q: Queries, numeric: list[tuple[str, list[float]]], y: str
) -> dict[str, _Profile]:
    if not numeric:
        return {}
    (row,) = engine.rows(q.profile(numeric, y), "the numeric features' counts")
    it = iter(row)

    def count() -> int:
        v = next(it)
        return 0 if v is None else int(v)

    def value() -> float | None:
        v = next(it)
        return None if v is None else float(v)

    out: dict[str, _Profile] = {}
    for name, specials in numeric:
        regular, infinite, lo, hi = count(), count(), value(), value()
        missing = (count(), count())
        special = [(count(), count()) for _ in specials]
        out[name] = _Profile(specials, regular, infinite, lo, hi, missing, special)
    return out


def _numeric(
    engine: Engine, q: Queries, specs: Mapping[str, BinningSpec], y: str
) -> dict[str, FineClasses]:
    """The fine classes of the numeric features: one aggregate, the quantiles, one
    group-by into the buckets between them."""
    if not specs:
        return {}
    profile = _profile(
        engine, q, [(n, [float(c) for c in sp.special_codes]) for n, sp in specs.items()], y
    )
    positions: dict[str, IntArray] = {}
    for name, p in profile.items():
        if p.infinite:
            raise DataError(
                f"column {name!r}: expected finite numbers or NaN, found {p.infinite} infinite "
                "values: replace them (e.g. by NaN or a special code)"
            )
        if p.regular == 0 or p.lo is None or p.hi is None:
            raise DataError(
                f"column {name!r}: expected some non-missing, non-special values, found none "
                "(all missing): drop the column"
            )
        if p.lo == p.hi:
            raise DataError(
                f"column {name!r}: expected at least two distinct values, found the constant "
                f"{p.lo!r}: drop the column"
            )
        positions[name] = np.unique(quantile_positions(p.regular, specs[name].n_fine))
    quantiles = {name: np.zeros(0) for name in specs}
    asked = [n for n in specs if positions[n].size]
    step = max(engine.quantiles_per_query, 1)
    for a in range(0, len(asked), step):
        batch = asked[a : a + step]
        # mid-rank probabilities: the position whichever way the engine rounds
        sql = q.quantiles(
            [
                (n, profile[n].specials, ((positions[n] + 0.5) / profile[n].regular).tolist())
                for n in batch
            ]
        )
        (row,) = engine.rows(sql, f"the quantiles of {batch}")
        for n, values in zip(batch, row, strict=True):
            quantiles[n] = np.unique(np.asarray(values, dtype=np.float64))
    features = [(n, profile[n].specials, quantiles[n].tolist()) for n in specs]
    rows = engine.rows(q.buckets(features, y), "the fine classes of the numeric features")
    out: dict[str, FineClasses] = {}
    for k, name in enumerate(specs):
        mine = sorted((int(r[1]), float(r[2]), int(r[3]), int(r[4])) for r in rows if r[0] == k)
        out[name] = _fine_numeric(profile[name], quantiles[name], mine)
    return out


def _fine_numeric(
    p: _Profile, quantiles: FloatArray, buckets: list[tuple[int, float, int, int]]
) -> FineClasses:
    """Fine classes from the buckets ``(index, smallest value, rows, bads)``, ascending."""
    smallest = np.asarray([b[1] for b in buckets], dtype=np.float64)
    n = np.asarray([b[2] for b in buckets], dtype=np.float64)
    bads = np.asarray([b[3] for b in buckets], dtype=np.float64)
    # the first value above quantile i is the smallest value of the first bucket after i
    above = np.full(quantiles.size, np.nan)
    for b, v, *_ in reversed(buckets):
        above[: min(b, quantiles.size)] = v
    ok = ~np.isnan(above)
    codes = np.asarray(p.specials, dtype=np.float64)
    sp_n = np.asarray([c[0] for c in p.special], dtype=np.float64)
    sp_b = np.asarray([c[1] for c in p.special], dtype=np.float64)
    return fine_numeric_from_counts(
        np.r_[smallest, codes],
        np.r_[n - bads, sp_n - sp_b],
        np.r_[bads, sp_b],
        specials=p.specials,
        edges=edges_between(quantiles[ok], above[ok]),
        missing=(float(p.missing[0] - p.missing[1]), float(p.missing[1])),
    )


def _categorical(
    engine: Engine, q: Queries, specs: Mapping[str, BinningSpec], tgt: Target
) -> dict[str, FineClasses]:
    """The fine classes of the categorical features: one group-by per column (one query)."""
    if not specs:
        return {}
    names = list(specs)
    rows = engine.rows(q.levels(names, tgt.y), "the levels of the categorical features")
    out: dict[str, FineClasses] = {}
    for k, name in enumerate(names):
        out[name] = _fine_categorical(name, [r[1:] for r in rows if r[0] == k], specs[name], tgt)
    return out


def _fine_categorical(
    name: str, rows: list[tuple[Any, ...]], spec: BinningSpec, tgt: Target
) -> FineClasses:
    counts: dict[str, list[int]] = {}
    missing = [0, 0]
    for value, n, b in rows:
        if _is_missing(value):
            missing[0] += int(n)
            missing[1] += int(b)
            continue
        c = counts.setdefault(level_name(value), [0, 0])
        c[0] += int(n)
        c[1] += int(b)
    levels = sorted(counts)
    if not levels:
        raise DataError(
            f"column {name!r}: expected some non-missing values, found none (all missing): "
            "drop the column"
        )
    if len(levels) == 1 and not missing[0]:
        raise DataError(
            f"column {name!r}: expected at least two distinct values, found the constant "
            f"{levels[0]!r}: drop the column"
        )
    L = len(levels)
    n = np.asarray([counts[k][0] for k in levels], dtype=np.float64)
    b = np.asarray([counts[k][1] for k in levels], dtype=np.float64)
    codes = np.r_[np.arange(L), np.arange(L), -1, -1].astype(np.int64)
    y = np.r_[np.zeros(L), np.ones(L), 0, 1].astype(np.int8)
    w = np.r_[n - b, b, missing[0] - missing[1], missing[1]].astype(np.float64)
    return categorical_fine(codes, levels, y, w, spec, float(tgt.rows))
