"""Counts are the currency of monitoring: rows -> counts, and counts checked against a card.

A sample is described by two long tables of counts (:class:`SampleCounts`):

* ``scores``: one row per (``period``, ``score``) with ``rows``, ``goods``, ``bads``;
* ``bins``: one row per (``period``, ``characteristic``, ``bin``) with the same counts.

``rows`` counts every row; ``goods`` and ``bads`` count the rows whose outcome is known
(``goods + bads <= rows``: rows without an outcome yet count for stability only).  A
``bin`` is the card's bin index (``-1`` = unseen categories) or its label.  The
``period`` column is optional (one period ``"all"``); rows with the same key are summed,
so the counts of chunks of a large file, or of a database ``GROUP BY``, can simply be
concatenated.  :func:`count_rows` produces these tables from a frame; the rows path of
:func:`~scorecard.monitor.monitor` is exactly ``count_rows`` followed by the counts path.

Checks against the card (each a :class:`~scorecard.exceptions.DataError` naming the
period, characteristic, bin or score): every characteristic of the card present and no
other, every bin and score one of the card's, the same totals in every characteristic
as in the scores of the period, no row in a bin that refuses scoring, and the points
identity ``sum_bins rows * points + base_points * N == sum_scores rows * score`` per
period, which bin counts and score counts of the same rows always satisfy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard._core.artifact import get
from scorecard._core.types import BoolArray, IntArray
from scorecard._core.validation import check_columns, check_frame
from scorecard._model.scorecard import Scorecard
from scorecard.exceptions import DataError, SchemaError, SpecificationError
from scorecard.monitor._card import CardView

__all__ = [
    "BY",
    "CARD_TARGET",
    "Cells",
    "SampleCounts",
    "cells_from_counts",
    "count_rows",
    "period_codes",
    "period_labels",
    "period_ordinals",
    "to_dates",
]

#: period lengths of ``by`` and their pandas frequencies
BY: dict[str, str] = {"month": "M", "quarter": "Q", "year": "Y"}
ALL = "all"
_COUNTS = ("rows", "goods", "bads")


class SampleCounts(NamedTuple):
    """The counts of one sample: ``scores`` and ``bins`` tables (see the module docs).

    Examples
    --------
    >>> import pandas as pd
    >>> c = SampleCounts(pd.DataFrame({"score": [600], "rows": [3]}),
    ...                  pd.DataFrame({"characteristic": ["x"], "bin": [0], "rows": [3]}))
    >>> c.scores["rows"].sum()
    np.int64(3)
    """

    scores: pd.DataFrame
    bins: pd.DataFrame


@attrs.frozen
class Cells:
    """One sample's non-zero counts in canonical form (sorted, summed), as stored in a report.

    ``scores``: ``(period, score, rows, goods, bads)``; ``bins``: ``(period,
    characteristic, bin, rows, goods, bads)`` with positions into the report's periods
    and the card's characteristics, and ``bin = n_bins - 1`` for unseen values.
    """

    scores: tuple[tuple[int, int, int, int, int], ...]
    bins: tuple[tuple[int, int, int, int, int, int], ...]

    _SCORE_KEYS = ("period", "score", "rows", "goods", "bads")
    _BIN_KEYS = ("period", "characteristic", "bin", "rows", "goods", "bads")

    def to_dict(self) -> dict[str, Any]:
        """Columnar plain-JSON form."""
        s = list(zip(*self.scores, strict=True)) or [()] * 5
        b = list(zip(*self.bins, strict=True)) or [()] * 6
        return {
            "scores": {k: list(v) for k, v in zip(self._SCORE_KEYS, s, strict=True)},
            "bins": {k: list(v) for k, v in zip(self._BIN_KEYS, b, strict=True)},
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], kind: str) -> Cells:
        """Inverse of :meth:`to_dict`."""

        def columns(block: Any, keys: Sequence[str]) -> list[tuple[int, ...]]:
            if not isinstance(block, Mapping):
                raise SchemaError(f"{kind}: expected counts as an object of columns")
            cols = [get(block, k, kind) for k in keys]
            if not all(isinstance(c, list) for c in cols) or len({len(c) for c in cols}) > 1:
                raise SchemaError(f"{kind}: expected count columns as lists of equal length")
            if not all(isinstance(v, int) and not isinstance(v, bool) for c in cols for v in c):
                raise SchemaError(f"{kind}: expected integer counts")
            return list(zip(*cols, strict=True))

        return cls(
            scores=tuple(columns(get(d, "scores", kind), cls._SCORE_KEYS)),  # type: ignore[arg-type]
            bins=tuple(columns(get(d, "bins", kind), cls._BIN_KEYS)),  # type: ignore[arg-type]
        )


# --------------------------------------------------------------------------- periods


def _freq(by: str) -> str:
    if not isinstance(by, str) or by not in BY:
        raise SpecificationError(f"by: expected one of {list(BY)} or None, found {by!r}")
    return BY[by]


def to_dates(values: pd.Series, column: str, what: str) -> pd.Series:
    """A column as naive ``datetime64`` (NaT where missing); values that do not parse as
    dates are a :class:`~scorecard.exceptions.DataError` naming the column."""
    s = values
    if pd.api.types.is_bool_dtype(s.dtype) or pd.api.types.is_numeric_dtype(s.dtype):
        raise DataError(
            f"{what}: column {column!r}: expected dates, found dtype {s.dtype} (numbers do not "
            "name a day: convert them with pandas.to_datetime first)"
        )
    if not pd.api.types.is_datetime64_any_dtype(s.dtype):
        parsed = pd.to_datetime(s, errors="coerce")
        bad = parsed.isna().to_numpy() & s.notna().to_numpy()
        if bad.any():
            shown = pd.unique(s[bad].astype(str))[:5].tolist()
            raise DataError(
                f"{what}: column {column!r}: expected dates, found {int(bad.sum())} value(s) "
                f"that do not parse as dates, e.g. {shown}"
            )
        s = parsed
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_localize(None)
    return s


def period_ordinals(dates: pd.Series, by: str) -> IntArray:
    """The pandas period ordinal of every date (no missing dates)."""
    out: IntArray = pd.PeriodIndex(dates.dt.to_period(_freq(by))).asi8.astype(np.int64)
    return out


def period_labels(first: int, count: int, by: str) -> list[str]:
    """Labels of ``count`` periods from the ordinal ``first`` (``"2023-01"``, ``"2023Q1"``)."""
    freq = _freq(by)
    start = pd.Period(ordinal=first, freq=freq)
    return [str(p) for p in pd.period_range(start=start, periods=count, freq=freq)]


def period_codes(values: pd.Series, by: str, column: str, what: str) -> tuple[IntArray, list[str]]:
    """Period of every date (0 = the first period) and the labels of every period from the
    first to the last, empty ones included (``"2023-01"``, ``"2023Q1"``, ``"2023"``)."""
    _freq(by)
    s = to_dates(values, column, what)
    missing = s.isna().to_numpy()
    if missing.any():
        raise DataError(
            f"{what}: column {column!r}: expected a date on every row, found {int(missing.sum())} "
            f"missing (first at row position {int(np.flatnonzero(missing)[0])})"
        )
    ordinals = period_ordinals(s, by)
    lo, hi = int(ordinals.min()), int(ordinals.max())
    return ordinals - lo, period_labels(lo, hi - lo + 1, by)


def _period_labels(values: pd.Series, by: str | None) -> tuple[IntArray, list[str]]:
    """Codes and labels of the ``period`` column of a counts table."""
    if by is None:
        labels = sorted({str(v) for v in values})
        lookup = {lab: i for i, lab in enumerate(labels)}
        return np.asarray([lookup[str(v)] for v in values], dtype=np.int64), labels
    freq = _freq(by)
    ordinal: dict[Any, int] = {}
    for v in pd.unique(values):
        try:
            ordinal[v] = int(pd.Period(str(v), freq=freq).ordinal)
        except (ValueError, TypeError):
            raise DataError(
                f"current counts: column 'period': expected a {by} (e.g. '2023-01'), found {v!r}"
            ) from None
    ords = np.asarray([ordinal[v] for v in values], dtype=np.int64)
    lo, hi = int(ords.min()), int(ords.max())
    return ords - lo, period_labels(lo, hi - lo + 1, by)


# --------------------------------------------------------------------------- rows -> counts


def _outcome(s: pd.Series, column: str, what: str) -> tuple[BoolArray, BoolArray]:
    """(known, bad) per row: 0/1 (or booleans), missing = outcome not known yet."""
    if pd.api.types.is_bool_dtype(s.dtype) or pd.api.types.is_numeric_dtype(s.dtype):
        arr = s.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        shown = sorted(map(str, pd.unique(s.dropna())))[:10]
        raise DataError(
            f"{what}: target {column!r}: expected 0/1 with 1 = bad (missing = not known yet), "
            f"found dtype {s.dtype} with values {shown}"
        )
    known = ~np.isnan(arr)
    odd = known & (arr != 0.0) & (arr != 1.0)
    if odd.any():
        raise DataError(
            f"{what}: target {column!r}: expected 0/1 with 1 = bad (missing = not known yet), "
            f"found {int(odd.sum())} other values, e.g. {sorted(set(arr[odd].tolist()))[:5]}"
        )
    return known, known & (arr == 1.0)


def _prefixed(what: str, exc: DataError) -> DataError:
    return DataError(f"{what}: {exc}")


def _tally(
    key: IntArray, size: int, outcome: npt.NDArray[np.int8]
) -> tuple[IntArray, IntArray, IntArray]:
    """Rows, goods and bads per key in one pass (``outcome``: 0 unknown, 1 good, 2 bad)."""
    cells = np.bincount(key * 3 + outcome, minlength=3 * size).reshape(size, 3)
    return cells.sum(axis=1), cells[:, 1].copy(), cells[:, 2].copy()


class _Default:
    def __repr__(self) -> str:
        return "<the card's target>"


CARD_TARGET: Any = _Default()


def count_rows(
    card: Scorecard,
    data: pd.DataFrame,
    *,
    target: str | None = CARD_TARGET,
    date_column: str | None = None,
    by: str = "month",
    what: str = "data",
) -> SampleCounts:
    """Count a sample in the card's bins and scores (the rows path of monitoring).

    Parameters
    ----------
    card : Scorecard
        The card being monitored.
    data : DataFrame
        One row per application (or account): the card's characteristics, the target
        and, for periods, a date column.
    target : str or None
        Column of the outcome: 1 = bad, 0 = good, missing = not known yet (counted in
        ``rows`` only).  Default: the card's target (``card.metadata.target``).  ``None``:
        no outcomes at all (stability only).
    date_column : str, optional
        Column of dates; each row is counted in its period (``by``).  Without it the
        sample is one period.
    by : {"month", "quarter", "year"}
        Length of a period.
    what : str
        Name of the sample in error messages (``"baseline"``, ``"current"``).

    Returns
    -------
    SampleCounts
        The ``scores`` and ``bins`` tables (non-zero counts only).

    Examples
    --------
    >>> from scorecard import fit_scorecard
    >>> from scorecard.datasets import load_german_credit
    >>> df = load_german_credit()
    >>> card = fit_scorecard(df, "bad", seed=0).scorecard
    >>> counts = count_rows(card, df)
    >>> int(counts.scores["rows"].sum()), int(counts.scores["bads"].sum())
    (1000, 300)
    >>> counts.bins.columns.tolist()
    ['characteristic', 'bin', 'rows', 'goods', 'bads']
    """
    if not isinstance(card, Scorecard):
        raise SpecificationError(f"card: expected a Scorecard, found {type(card).__name__}")
    tgt = card.metadata.target if target is CARD_TARGET else target
    frame = check_frame(data, what)
    needed = [
        *card.names,
        *([tgt] if tgt is not None else []),
        *([date_column] if date_column else []),
    ]
    check_columns(frame, needed, what)
    n = len(frame)
    if date_column is not None:
        codes, labels = period_codes(frame[date_column], by, date_column, what)
    else:
        codes, labels = np.zeros(n, dtype=np.int64), [ALL]
    P = len(labels)
    outcome = np.zeros(n, dtype=np.int8)  # 0 = not known, 1 = good, 2 = bad
    if tgt is not None:
        known, bad = _outcome(frame[tgt], tgt, what)
        outcome[known] = 1
        outcome[bad] = 2
    indices: dict[str, IntArray] = {}
    try:
        for c in card.characteristics:
            indices[c.name] = c.binning.bin_index(frame[c.name])
        score, _ = card.score_and_pd(frame, indices)
    except DataError as exc:
        raise _prefixed(what, exc) from None
    lo = card.min_score
    R = card.max_score - lo + 1
    rows, goods, bads = _tally(codes * R + (score - lo), P * R, outcome)
    keep = np.flatnonzero(rows)
    scores = pd.DataFrame(
        {"score": keep % R + lo, "rows": rows[keep], "goods": goods[keep], "bads": bads[keep]}
    )
    parts = []
    for c in card.characteristics:
        K = len(c.binning.labels) + 1
        idx = np.where(indices[c.name] < 0, K - 1, indices[c.name])
        r, g, b = _tally(codes * K + idx, P * K, outcome)
        nz = np.flatnonzero(r)
        bins_c = np.where(nz % K == K - 1, -1, nz % K)
        parts.append(
            pd.DataFrame(
                {
                    "period": nz // K,
                    "characteristic": c.name,
                    "bin": bins_c,
                    "rows": r[nz],
                    "goods": g[nz],
                    "bads": b[nz],
                }
            )
        )
    bins = pd.concat(parts, ignore_index=True)
    label_arr = np.asarray(labels, dtype=object)
    if date_column is not None:
        scores.insert(0, "period", label_arr[keep // R])
        bins["period"] = label_arr[bins["period"].to_numpy()]
    else:
        bins = bins.drop(columns="period")
    return SampleCounts(scores, bins)


# --------------------------------------------------------------------------- counts -> cells


def _int_column(frame: pd.DataFrame, column: str, what: str, *, optional: bool) -> IntArray:
    if column not in frame.columns:
        if optional:
            return np.zeros(len(frame), dtype=np.int64)
        check_columns(frame, [column], what)
    s = frame[column]
    if not (pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype)):
        raise DataError(
            f"{what}: column {column!r}: expected integer counts, found dtype {s.dtype}"
        )
    arr = s.to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~np.isfinite(arr) | (arr != np.round(arr))
    if column != "score":
        bad |= arr < 0
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        kind = "integer scores" if column == "score" else "integer counts >= 0"
        raise DataError(
            f"{what}: column {column!r}: expected {kind}, found {int(bad.sum())} other "
            f"value(s), e.g. {arr[i]!r} at row position {i}"
        )
    return arr.astype(np.int64)


def _bin_index(view: CardView, j: int, values: pd.Series, what: str) -> IntArray:
    """Bin positions (unseen = last) of a characteristic from indices or labels."""
    K = view.n_bins(j)
    name = view.names[j]
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        arr = values.to_numpy(dtype=np.float64, na_value=np.nan)
        bad = ~np.isfinite(arr) | (arr != np.round(arr)) | (arr < -1) | (arr > K - 2)
        if bad.any():
            raise DataError(
                f"{what}: characteristic {name!r}: expected bin indices in [-1, {K - 2}] (-1 = "
                f"unseen), found {sorted(set(arr[bad].tolist()))[:5]}: the counts do not "
                "match the card's bins"
            )
        idx = arr.astype(np.int64)
        return np.where(idx < 0, K - 1, idx)
    lookup = {lab: i for i, lab in enumerate(view.labels[j])}
    pos = np.asarray([lookup.get(str(v), -1) for v in values], dtype=np.int64)
    if (pos < 0).any():
        unknown = sorted({str(v) for v, p in zip(values, pos, strict=True) if p < 0})[:5]
        raise DataError(
            f"{what}: characteristic {name!r}: expected bins of the card {list(view.labels[j])}, "
            f"found {unknown}: the counts do not match the card's bins"
        )
    return pos


def _summed(keys: list[IntArray], values: list[IntArray]) -> list[tuple[int, ...]]:
    """Rows summed by key, sorted by key, zero rows dropped."""
    frame = pd.DataFrame({f"k{i}": k for i, k in enumerate(keys)})
    for i, v in enumerate(values):
        frame[f"v{i}"] = v
    kcols = [f"k{i}" for i in range(len(keys))]
    g = frame.groupby(kcols, sort=True).sum()
    g = g[g["v0"] > 0]
    idx = g.index.to_frame(index=False).to_numpy(dtype=np.int64)
    arr = np.concatenate([idx, g.to_numpy(dtype=np.int64)], axis=1)
    return [tuple(int(x) for x in row) for row in arr]


def cells_from_counts(
    view: CardView,
    counts: SampleCounts | tuple[pd.DataFrame, pd.DataFrame],
    what: str,
    *,
    by: str | None,
    periodic: bool,
) -> tuple[list[str], Cells]:
    """Check a sample's counts against the card; return its periods and canonical cells.

    ``periodic=False`` (the baseline) sums any ``period`` column into one period.
    """
    if not isinstance(counts, tuple) or len(counts) != 2:
        raise DataError(
            f"{what}: expected counts as a pair of frames (scores, bins), found "
            f"{type(counts).__name__}"
        )
    scores = check_frame(counts[0], f"{what} score counts")
    bins = check_frame(counts[1], f"{what} bin counts")
    sw, bw = f"{what} score counts", f"{what} bin counts"
    check_columns(scores, ["score", "rows"], sw)
    check_columns(bins, ["characteristic", "bin", "rows"], bw)
    for frame, where in ((scores, sw), (bins, bw)):
        if ("goods" in frame.columns) != ("bads" in frame.columns):
            raise DataError(f"{where}: expected both columns 'goods' and 'bads' or neither")
    s_val = {c: _int_column(scores, c, sw, optional=c != "rows") for c in ("score", *_COUNTS)}
    b_val = {c: _int_column(bins, c, bw, optional=c != "rows") for c in _COUNTS}
    for val, where in ((s_val, sw), (b_val, bw)):
        over = val["goods"] + val["bads"] > val["rows"]
        if over.any():
            i = int(np.flatnonzero(over)[0])
            raise DataError(
                f"{where}: expected goods + bads <= rows, found {int(over.sum())} row(s) "
                f"with more, e.g. at row position {i}"
            )
    # periods
    has_s, has_b = "period" in scores.columns, "period" in bins.columns
    if periodic and (has_s or has_b):
        if not (has_s and has_b):
            raise DataError(
                f"{what}: expected a 'period' column in both the score and the bin counts, "
                "found it in one only"
            )
        both = pd.concat([scores["period"], bins["period"]], ignore_index=True)
        codes, periods = _period_labels(both, by)
        s_per, b_per = codes[: len(scores)], codes[len(scores) :]
    else:
        periods = [ALL]
        s_per = np.zeros(len(scores), dtype=np.int64)
        b_per = np.zeros(len(bins), dtype=np.int64)
    # scores within the card's range
    sc = s_val["score"]
    out = (sc < view.min_score) | (sc > view.max_score)
    if out.any():
        i = int(np.flatnonzero(out)[0])
        raise DataError(
            f"{sw}: expected scores the card can give, in [{view.min_score}, {view.max_score}], "
            f"found {int(out.sum())} outside, e.g. {int(sc[i])} (period "
            f"{periods[int(s_per[i])]!r}): the counts do not match the card"
        )
    # characteristics
    names = bins["characteristic"].astype(str).to_numpy()
    known = set(view.names)
    unknown = sorted(set(names) - known)
    if unknown:
        raise DataError(
            f"{bw}: expected the card's characteristics {list(view.names)}, found unknown "
            f"characteristic(s) {unknown[:10]}"
        )
    absent = [n for n in view.names if n not in set(names)]
    if absent:
        raise DataError(f"{bw}: expected counts for every characteristic, found none for {absent}")
    char = pd.Index(view.names).get_indexer(pd.Index(names)).astype(np.int64)
    pos = np.empty(len(bins), dtype=np.int64)
    for j in range(len(view.names)):
        sel = np.flatnonzero(char == j)
        pos[sel] = _bin_index(view, j, bins["bin"].iloc[sel], bw)
    s_cells = _summed([s_per, sc], [s_val[c] for c in _COUNTS])
    b_cells = _summed([b_per, char, pos], [b_val[c] for c in _COUNTS])
    _check_consistency(view, periods, s_cells, b_cells, what)
    return periods, Cells(tuple(s_cells), tuple(b_cells))  # type: ignore[arg-type]


def _check_consistency(
    view: CardView,
    periods: list[str],
    s_cells: list[tuple[int, ...]],
    b_cells: list[tuple[int, ...]],
    what: str,
) -> None:
    """Same totals in every characteristic as in the scores, and the points identity."""
    P, J = len(periods), len(view.names)
    s = np.asarray(s_cells, dtype=np.int64).reshape(-1, 5)
    b = np.asarray(b_cells, dtype=np.int64).reshape(-1, 6)
    s_tot = np.zeros((P, 3), dtype=np.int64)
    np.add.at(s_tot, s[:, 0], s[:, 2:5])
    s_points = np.bincount(s[:, 0], weights=s[:, 1] * s[:, 2], minlength=P)
    b_tot = np.zeros((P, J, 3), dtype=np.int64)
    np.add.at(b_tot, (b[:, 0], b[:, 1]), b[:, 3:6])
    b_points = np.full(P, 0.0) + view.base_points * s_tot[:, 0]
    for j in range(J):
        pts = view.points_array(j)
        bj = b[b[:, 1] == j]
        refused = np.isnan(pts[bj[:, 2]])
        if refused.any():
            k = int(np.flatnonzero(refused)[0])
            raise DataError(
                f"{what}: characteristic {view.names[j]!r}, bin {view.labels[j][bj[k, 2]]!r}: "
                f"expected no rows in a bin that refuses scoring (treatment 'error'), found "
                f"{int(bj[refused, 3].sum())}"
            )
        b_points += np.bincount(bj[:, 0], weights=bj[:, 3] * pts[bj[:, 2]], minlength=P)
        diff = np.flatnonzero(np.any(b_tot[:, j, :] != s_tot, axis=1))
        if diff.size:
            p = int(diff[0])
            raise DataError(
                f"{what}: characteristic {view.names[j]!r}, period {periods[p]!r}: expected "
                f"the rows, goods and bads of the score counts {s_tot[p].tolist()}, found "
                f"{b_tot[p, j].tolist()}: the counts do not match"
            )
    bad = np.flatnonzero(np.abs(b_points - s_points) > 0.5)
    if bad.size:
        p = int(bad[0])
        raise DataError(
            f"{what}: period {periods[p]!r}: the bin counts give {b_points[p]:.0f} points in "
            f"total with the card's points, the score counts {s_points[p]:.0f}: the counts do "
            "not match the card's bins (another card, or bins and scores counted on different "
            "rows)"
        )
