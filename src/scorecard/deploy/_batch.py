"""Batch scoring of files larger than memory: :func:`score_file`.

A CSV or Parquet file is read ``chunk_rows`` rows at a time; each chunk is scored by the
card's own :meth:`Scorecard.score_and_pd <scorecard.Scorecard.score_and_pd>` (and decided
by :meth:`CreditPolicy.decide <scorecard.CreditPolicy.decide>` when a policy is given), and
written out; memory holds one chunk, whatever the file's size.

**Nothing is dropped silently.**  A row that cannot be scored goes to the reject file, with
its row number (1 = the first data row), its id columns and the reason:

* a value of a numeric characteristic that is not a number, or is infinite;
* a value the card refuses (a missing value or an unseen level with the ``"error"``
  treatment);
* any other :class:`~scorecard.exceptions.DataError` of the scoring or the policy for that
  row (e.g. a text in an amount field): a chunk that fails is split in halves until the
  failing rows are alone, so every other row of the chunk is still scored.

Every input row is either in the output or in the reject file, and the counts are
returned.  The output and the reject file appear only when complete (temporary files beside
them, renamed at the end); an error or ``KeyboardInterrupt`` removes the temporary files
and leaves no partial output.

Values follow the library's value rule: in a CSV, an empty field and the spellings
``pandas.read_csv`` reads as missing are missing; a numeric characteristic's text must parse
as a number; a categorical characteristic's text is its level.  A Parquet column keeps its
type; a categorical value that is not text is named by ``str(value)``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd

from scorecard._analyze.feature import FeatureBinning
from scorecard._model.scorecard import Scorecard
from scorecard.deploy._files import ChunkReader, ChunkWriter, atomic_path, file_format
from scorecard.exceptions import DataError, SpecificationError
from scorecard.policy._grades import GradeScale
from scorecard.policy._policy import CreditPolicy

__all__ = ["BatchReport", "score_file"]

Progress = Callable[[int, "float | None"], None]
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
#: decision-table columns that a batch has no use for (overrides come later, by hand)
_OVERRIDE_COLUMNS = ("override_direction", "override_reason", "override_by")


@attrs.frozen
class BatchReport:
    """What :func:`score_file` did: rows read, scored and rejected, and where they went.

    Attributes
    ----------
    rows : int
        Data rows read from the input.
    scored : int
        Rows written to the output.
    rejected : int
        Rows written to the reject file (``rows == scored + rejected``).
    output, rejects : Path
        The files written.
    seconds : float
        Wall time.

    Examples
    --------
    >>> from pathlib import Path
    >>> r = BatchReport(10, 9, 1, Path("scores.csv"), Path("scores.rejects.csv"), 0.5)
    >>> print(r)
    scored 9 of 10 rows (1 rejected: see scores.rejects.csv) in 0.5 s
    """

    rows: int
    scored: int
    rejected: int
    output: Path
    rejects: Path
    seconds: float

    def __str__(self) -> str:
        rejected = (
            f"{self.rejected:,} rejected: see {self.rejects}" if self.rejected else "0 rejected"
        )
        return f"scored {self.scored:,} of {self.rows:,} rows ({rejected}) in {self.seconds:.1f} s"


def default_rejects(output: Path) -> Path:
    """``scores.csv`` -> ``scores.rejects.csv`` (beside the output)."""
    name = output.name
    for suffix in reversed(output.suffixes):
        name = name.removesuffix(suffix)
    return output.with_name(name + ".rejects.csv")


def _text_column(s: pd.Series) -> pd.Series:
    """A categorical characteristic as levels: ``str(value)``, ``None`` where missing."""
    missing = s.isna().to_numpy()
    values = s.to_numpy(dtype=object, copy=True)
    if pd.api.types.infer_dtype(s, skipna=True) not in ("string", "empty"):
        values = np.asarray([str(v) for v in values], dtype=object)
    values[missing] = None
    return pd.Series(values, index=s.index, dtype=object)


def _float(v: Any) -> float:
    """Python's ``float`` of a value, NaN where it reads none (the slow path's parser);
    ``true``/``false`` text is 1/0, as pandas reads a column of them."""
    if v in _TRUE or v in _FALSE:
        return 1.0 if v in _TRUE else 0.0
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


def _numbers(s: pd.Series) -> np.ndarray:
    """Each value as a float, NaN where missing or not a number: the whole column at once,
    or value by value (:func:`_float`) when one value is not a number; both read every
    value the same way (Python's ``float``, as numpy and pandas read text)."""
    if pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
        return s.to_numpy(dtype=np.float64, na_value=np.nan)
    obj = s.to_numpy(dtype=object)
    try:
        return np.asarray(obj, dtype=np.float64)  # None and NaN become NaN
    except (TypeError, ValueError):
        pass
    present = s.notna().to_numpy()
    values = np.full(len(s), np.nan)
    values[present] = [_float(v) for v in obj[present]]
    return values


def _number_column(s: pd.Series, name: str) -> tuple[pd.Series, np.ndarray, list[str]]:
    """A numeric characteristic as float64; the rows that are not numbers, and why."""
    values = _numbers(s)
    infinite = np.isinf(values)
    bad = (np.isnan(values) & s.notna().to_numpy()) | infinite
    why = [
        f"column {name!r}: expected a finite number, found {float(x)!r}"
        if math.isinf(x)
        else f"column {name!r}: expected a number, found {v!r}"
        for v, x in zip(s.to_numpy(object)[bad], values[bad], strict=True)
    ]
    values = np.where(bad, np.nan, values)
    return pd.Series(values, index=s.index), bad, why


def _policy_column(s: pd.Series) -> pd.Series:
    """A policy field read from text: numbers (and true/false, as 1/0) as numbers, other
    text kept as text."""
    if not (pd.api.types.is_object_dtype(s.dtype) or pd.api.types.is_string_dtype(s.dtype)):
        return s
    num = _numbers(s)
    present = s.notna().to_numpy()
    is_num = ~np.isnan(num)
    if bool((is_num | ~present).all()):
        return pd.Series(num, index=s.index)
    text = s.to_numpy(dtype=object, copy=True)
    text[~present] = None
    if not is_num.any():
        return pd.Series(text, index=s.index, dtype=object)
    mixed = np.where(is_num, num.astype(object), text)
    return pd.Series(mixed, index=s.index, dtype=object)


def _padded(
    card: Scorecard, frame: pd.DataFrame, fn: Callable[[pd.DataFrame], pd.DataFrame]
) -> pd.DataFrame:
    """``fn(frame)``; a categorical column with no value at all gets one extra row with a
    known level, dropped afterwards (``FeatureBinning.bin_index`` fails on such a column)."""
    empty = [
        c
        for c in card.characteristics
        if c.binning.kind == "categorical"
        and c.name in frame
        and len(frame)
        and frame[c.name].isna().all()
    ]
    if not empty:
        return fn(frame)
    extra = frame.iloc[[0]].copy()
    extra.index = pd.Index(["__pad__"])
    for c in empty:
        extra[c.name] = next(v for grp in c.binning.fine.levels for v in grp)
    out = fn(pd.concat([frame, extra]))
    return out.drop(index="__pad__")


def _isolate(
    fn: Callable[[pd.DataFrame], pd.DataFrame], frame: pd.DataFrame
) -> tuple[list[pd.DataFrame], list[tuple[Any, str]]]:
    """``fn`` on the frame; on a DataError, on each half, until the failing rows are alone."""
    try:
        return [fn(frame)], []
    except DataError as exc:
        if len(frame) == 1:
            return [], [(frame.index[0], str(exc))]
    half = len(frame) // 2
    done_a, bad_a = _isolate(fn, frame.iloc[:half])
    done_b, bad_b = _isolate(fn, frame.iloc[half:])
    return done_a + done_b, bad_a + bad_b


class _Scorer:
    """Scores one chunk: the rules above, the card and the policy."""

    def __init__(
        self,
        card: Scorecard,
        policy: CreditPolicy | None,
        grades: GradeScale | None,
        reasons: int,
        ids: Sequence[str],
    ) -> None:
        self.card = card
        self.policy = policy
        self.grades = grades
        self.reasons = reasons
        self.ids = list(ids)
        fields = [] if policy is None else list(policy.required_fields)
        if policy is not None:  # with the card as the model, the data needs no score fields
            skip = {policy.score_field, *policy.reason_fields}
            fields = [f for f in fields if f not in skip]
        self.fields = [f for f in fields if f not in card.names]
        self.columns = list(dict.fromkeys([*self.ids, *card.names, *self.fields]))

    def _clean(self, chunk: pd.DataFrame) -> tuple[pd.DataFrame, dict[Any, str]]:
        """The characteristics and policy fields as the card reads them; rejected rows."""
        out: dict[str, pd.Series] = {}
        rejects: dict[Any, str] = {}
        for c in self.card.characteristics:
            s = chunk[c.name]
            if c.binning.kind == "numeric":
                values, bad, why = _number_column(s, c.name)
                for i, reason in zip(chunk.index[bad], why, strict=True):
                    rejects.setdefault(i, reason)
                out[c.name] = values
            else:
                out[c.name] = _text_column(s)
        for f in self.fields:
            out[f] = _policy_column(chunk[f])
        clean = pd.DataFrame(out, index=chunk.index)
        for c in self.card.characteristics:  # values the card refuses ("error" treatment)
            if all(p is not None for p in c.points):
                continue
            col = clean[c.name]

            def index(f: pd.DataFrame, fb: FeatureBinning = c.binning) -> pd.DataFrame:
                return pd.DataFrame({"i": fb.bin_index(f[fb.name])}, index=f.index)

            idx = _padded(self.card, clean[[c.name]], index)["i"].to_numpy()
            refused = np.asarray([p is None for p in c.points], dtype=bool)[idx]
            for i, v in zip(chunk.index[refused], col.to_numpy()[refused], strict=True):
                rejects.setdefault(
                    i,
                    f"column {c.name!r}: the card refuses {v!r} (a missing value or an unseen "
                    "level where the characteristic's treatment is 'error')",
                )
        return clean, rejects

    def _score(self, frame: pd.DataFrame) -> pd.DataFrame:
        card = self.card
        if self.policy is not None:
            decided = self.policy.decide(frame, model=card)
            out = decided.drop(columns=[c for c in _OVERRIDE_COLUMNS if c in decided])
            first = ["score", "pd", "grade"]
            out = out[[*first, *[c for c in out.columns if c not in first]]]
            out["score"] = out["score"].astype(np.int64)
        else:
            score, pd_ = card.score_and_pd(frame)
            out = pd.DataFrame({"score": score, "pd": pd_}, index=frame.index)
            if self.grades is not None:
                out["grade"] = self.grades.assign(score)
        if self.reasons:
            codes = card.reason_codes(frame, n=self.reasons)
            out = pd.concat([out, codes.set_axis(frame.index)], axis=1)
        return out

    def chunk(self, chunk: pd.DataFrame, first_row: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(scored rows, rejected rows) of one chunk whose first row has number ``first_row``."""
        chunk = chunk.set_axis(pd.RangeIndex(first_row, first_row + len(chunk)))
        clean, rejects = self._clean(chunk)
        ok = clean.drop(index=list(rejects))
        parts: list[pd.DataFrame] = []
        if len(ok):
            parts, failed = _isolate(lambda f: _padded(self.card, f, self._score), ok)
            for i, reason in failed:
                rejects.setdefault(i, reason)
        scored = pd.concat(parts) if parts else self._score_empty()
        scored = scored.sort_index()
        ids = chunk.loc[scored.index, self.ids]
        scored = pd.concat([ids, scored], axis=1)
        rows = sorted(rejects)
        rejected = pd.concat(
            [
                pd.DataFrame({"row": rows}, index=rows),
                chunk.loc[rows, self.ids],
                pd.DataFrame({"reason": [rejects[i] for i in rows]}, index=rows),
            ],
            axis=1,
        )
        return _typed(scored), rejected

    def _score_empty(self) -> pd.DataFrame:
        graded = self.grades is not None or self.policy is not None
        cols = ["score", "pd"] + (["grade"] if graded else [])
        cols += [f"reason_{i}" for i in range(1, self.reasons + 1)]
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Column types that do not change from one chunk to the next (a chunk with a missing
    value in an integer column would otherwise turn it into floats)."""
    out = frame.copy()
    for col in out.columns:
        kind = out[col].dtype.kind
        if col == "score" or kind in "iu":
            out[col] = out[col].astype("Int64")
        elif kind == "b":
            out[col] = out[col].astype("boolean")
    return out


def score_file(
    card: Scorecard,
    input: str | PathLike[str],
    output: str | PathLike[str],
    *,
    policy: CreditPolicy | None = None,
    grades: GradeScale | None = None,
    reasons: int = 0,
    ids: Sequence[str] = (),
    chunk_rows: int = 100_000,
    rejects: str | PathLike[str] | None = None,
    progress: Progress | None = None,
) -> BatchReport:
    """Score a CSV or Parquet file in chunks, writing scores (and decisions) to a file.

    Parameters
    ----------
    card : Scorecard
    input : str or path-like
        ``.csv`` (optionally ``.gz``, ``.bz2``, ``.zip``, ``.xz``, ``.zst``) or ``.parquet``;
        it must hold the card's characteristics (and the policy's fields and the ids).
    output : str or path-like
        ``.csv`` or ``.parquet``.  Columns: the ids, ``score``, ``pd``, ``grade`` (with a
        policy or grades), ``reason_1`` ... (with ``reasons``) and, with a policy, its
        decision columns (``decision``, ``limit``, ``expected_loss``, ``reasons`` ...).
    policy : CreditPolicy, optional
        Decide every row (the card is the policy's model).
    grades : GradeScale, optional
        A grade per row, without a policy (a policy grades with its own scale).
    reasons : int
        Number of reason codes per row (:meth:`Scorecard.reason_codes
        <scorecard.Scorecard.reason_codes>`), 0 for none.
    ids : sequence of str
        Input columns copied to the output and the reject file (e.g. the application id).
    chunk_rows : int
        Rows per chunk: the memory bound.
    rejects : str or path-like, optional
        The reject file (CSV): ``row``, the ids, ``reason``.  Default: beside the output,
        ``<output name>.rejects.csv``.
    progress : callable, optional
        Called after each chunk with the rows done and the share of the input read (or
        ``None`` when unknown).

    Returns
    -------
    BatchReport

    Raises
    ------
    DataError
        The input is missing or lacks a column.
    SpecificationError
        A bad argument (suffix, ``chunk_rows``, ``reasons``, ``grades`` with a policy).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from scorecard import fit_scorecard
    >>> from scorecard.datasets import load_german_credit
    >>> df = load_german_credit()
    >>> card = fit_scorecard(df, "bad", seed=0).scorecard
    >>> tmp = Path(tempfile.mkdtemp())
    >>> apps = df.drop(columns="bad").rename_axis("app_id").reset_index()
    >>> apps["duration_in_month"] = apps["duration_in_month"].astype(object)
    >>> apps.loc[3, "duration_in_month"] = "twelve"  # cannot be scored
    >>> apps.to_csv(tmp / "apps.csv", index=False)
    >>> report = score_file(card, tmp / "apps.csv", tmp / "scores.csv", ids=["app_id"],
    ...                     reasons=2, chunk_rows=300)
    >>> print(report)  # doctest: +ELLIPSIS
    scored 999 of 1,000 rows (1 rejected: see .../scores.rejects.csv) in ... s
    >>> for rejected in pd.read_csv(tmp / "scores.rejects.csv").itertuples(index=False):
    ...     print(rejected.row, rejected.app_id, rejected.reason)
    4 3 column 'duration_in_month': expected a number, found 'twelve'
    >>> scores = pd.read_csv(tmp / "scores.csv")
    >>> list(scores.columns)
    ['app_id', 'score', 'pd', 'reason_1', 'reason_2']
    >>> bool((scores["score"] == card.score(df.drop(index=3))).all())
    True
    """
    start = time.perf_counter()
    if isinstance(chunk_rows, bool) or not isinstance(chunk_rows, int) or chunk_rows < 1:
        raise SpecificationError(f"chunk_rows: expected an integer >= 1, found {chunk_rows!r}")
    if isinstance(reasons, bool) or not isinstance(reasons, int) or reasons < 0:
        raise SpecificationError(f"reasons: expected an integer >= 0, found {reasons!r}")
    if policy is not None and grades is not None:
        raise SpecificationError(
            "grades: expected no grade scale with a policy (the policy grades with its own), "
            "found both"
        )
    out_path = Path(output)
    fmt = file_format(out_path, "output")
    reject_path = Path(rejects) if rejects is not None else default_rejects(out_path)
    if Path(input).resolve() in (out_path.resolve(), reject_path.resolve()):
        raise SpecificationError(f"output: expected a file other than the input, found {output!r}")
    scorer = _Scorer(card, policy, grades, reasons, [str(i) for i in ids])
    numbers = [c.name for c in card.characteristics if c.binning.kind == "numeric"]
    reader = ChunkReader(Path(input), scorer.columns, chunk_rows, numbers=numbers)
    rows = scored = rejected = 0
    with atomic_path(out_path) as tmp_out, atomic_path(reject_path) as tmp_rej:
        writer = ChunkWriter(tmp_out, fmt)
        reject_writer = ChunkWriter(tmp_rej, "csv")
        empty = pd.DataFrame(columns=[*scorer.ids, *scorer._score_empty().columns])
        for chunk in reader:
            good, bad = scorer.chunk(chunk, rows + 1)
            rows += len(chunk)
            if len(good):
                writer.write(good)
                scored += len(good)
            if len(bad):
                reject_writer.write(bad)
                rejected += len(bad)
            if progress is not None:
                progress(rows, reader.fraction(rows))
        writer.close(empty)
        reject_writer.close(pd.DataFrame(columns=["row", *scorer.ids, "reason"]))
    if rows != scored + rejected:  # pragma: no cover - the invariant the module promises
        raise DataError(f"score_file: {rows} rows read but {scored} + {rejected} written")
    seconds = time.perf_counter() - start
    return BatchReport(rows, scored, rejected, out_path, reject_path, seconds)


def progress_bar(stream: Any, width: int = 30) -> Progress:
    """A one-line progress bar on a terminal ``stream`` (rows, percent, rows per second)."""
    start = time.perf_counter()
    last = [0.0]

    def show(rows: int, fraction: float | None) -> None:
        now = time.perf_counter()
        if now - last[0] < 0.2 and fraction != 1.0:
            return
        last[0] = now
        rate = rows / max(now - start, 1e-9)
        if fraction is None or math.isnan(fraction):
            bar = f"{rows:,} rows"
        else:
            filled = round(width * fraction)
            bar = f"[{'#' * filled}{'.' * (width - filled)}] {fraction:4.0%} {rows:,} rows"
        stream.write(f"\r{bar}, {rate:,.0f} rows/s ")
        stream.flush()

    return show
