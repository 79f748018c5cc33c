"""Golden scores: what a pinned card (and grade scale, policy) gives a frame of applicants,
stored as CSV and compared with a readable report.

The file
--------
UTF-8 CSV, ``\\n`` line ends, one row per applicant in the frame's order, columns:

* the applicants' index (named by the index, else ``id``);
* ``score``: the card's score (an integer for a :class:`~scorecard.Scorecard`);
* ``pd``: the PD of that score (``card.score_and_pd``), 12 significant digits;
* ``reasons``: the card's top reason codes, ``;``-joined (with ``n_reasons > 0``);
* ``grade``: the grade of the score (with a grade scale or a policy);
* ``decision``, ``limit`` (12 significant digits) and ``decision_reasons`` (the policy's
  ``;``-joined reasons: knock-outs, refer codes, floor code, then the card's reasons), with
  a policy.

Missing values are empty fields.

The comparison
--------------
Both the computed table and the stored file are read as text.  ``pd`` and ``limit``
compare within a relative tolerance (``rtol``, default ``1e-9``: a PD computed on another
CPU may move in its last bits, and the file holds 12 digits); every other column (the
index, ``score``, ``grade``, ``decision``, the reasons) compares exactly, as text.
"""

from __future__ import annotations

import io
import math
import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scorecard._core.artifact import atomic_write_text
from scorecard._core.validation import check_frame
from scorecard.exceptions import DataError, ScorecardWarning, SpecificationError
from scorecard.policy._grades import GradeScale
from scorecard.policy._inputs import ScoringModel
from scorecard.policy._policy import CreditPolicy

#: the environment variable that regenerates golden files when set to 1 (or true, yes, on)
UPDATE_ENV = "SCORECARD_UPDATE_GOLDEN"
_TRUE = ("1", "true", "yes", "on")

#: the columns compared within a relative tolerance; every other column compares exactly
TOLERANT = ("pd", "limit")
FLOAT_FORMAT = "%.12g"


def _joined(frame: pd.DataFrame) -> list[str]:
    """The non-missing codes of each row, ``;``-joined."""
    out = []
    for row in frame.itertuples(index=False):
        out.append(";".join(str(v) for v in row if v is not None and not pd.isna(v)))
    return out


def table(
    card: Any,
    applicants: Any,
    *,
    grade_scale: GradeScale | None,
    policy: CreditPolicy | None,
    n_reasons: int,
    what: str,
) -> pd.DataFrame:
    """The golden-scores table of a frame of applicants (index: the frame's index)."""
    if not isinstance(card, ScoringModel):
        raise SpecificationError(
            f"{what}: expected a scorecard (an object with score_and_pd and reason_codes), "
            f"found {type(card).__name__}"
        )
    if grade_scale is not None and not isinstance(grade_scale, GradeScale):
        raise SpecificationError(
            f"{what}: expected grade_scale to be a GradeScale or None, found "
            f"{type(grade_scale).__name__}"
        )
    if policy is not None and not isinstance(policy, CreditPolicy):
        raise SpecificationError(
            f"{what}: expected policy to be a CreditPolicy or None, found {type(policy).__name__}"
        )
    if isinstance(n_reasons, bool) or not isinstance(n_reasons, int) or n_reasons < 0:
        raise SpecificationError(f"{what}: expected n_reasons an integer >= 0, found {n_reasons!r}")
    if grade_scale is not None and policy is not None and grade_scale != policy.grade_scale:
        raise SpecificationError(
            f"{what}: expected the policy's own grade scale (or grade_scale=None with a "
            "policy), found another grade scale"
        )
    frame = check_frame(applicants, what)
    if frame.index.has_duplicates:
        dup = frame.index[frame.index.duplicated()].unique()[:5].tolist()
        raise DataError(f"{what}: expected a unique index (the applicants' ids), found {dup}")
    score, pd_ = card.score_and_pd(frame)
    score = np.asarray(score)
    if score.dtype.kind == "f" and np.all(np.isfinite(score)) and np.all(score == np.round(score)):
        score = score.astype(np.int64)
    out = pd.DataFrame({"score": score, "pd": np.asarray(pd_, dtype=np.float64)}, index=frame.index)
    if n_reasons:
        out["reasons"] = _joined(card.reason_codes(frame, n=n_reasons))
    scale = grade_scale if grade_scale is not None else policy.grade_scale if policy else None
    if scale is not None:
        out["grade"] = scale.assign(score)
    if policy is not None:
        decisions = policy.decide(frame, model=card)
        out["decision"] = decisions["decision"].to_numpy()
        out["limit"] = decisions["limit"].to_numpy(dtype=np.float64)
        out["decision_reasons"] = decisions["reasons"].to_numpy()
    out.index.name = frame.index.name if frame.index.name is not None else "id"
    return out


def to_csv(frame: pd.DataFrame) -> str:
    """The text of a golden-scores file."""
    text: str = frame.to_csv(lineterminator="\n", float_format=FLOAT_FORMAT)
    return text


def _read(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def _floats(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    out = np.full(values.shape, np.nan)
    for i, v in enumerate(values):
        try:
            out[i] = float(v) if v != "" else math.nan
        except ValueError:
            out[i] = math.inf  # not a number: differs from any number (compared as text too)
    return out


def _show(column: str, value: str) -> str:
    return value if column in ("score", *TOLERANT) and value != "" else repr(value)


class Comparison:
    """The differences between a computed golden-scores text and a stored one."""

    def __init__(self, computed: str, stored: str, rtol: float) -> None:
        new = _read(computed)
        self.notes: list[str] = []
        self.rows: list[str] = []
        self.columns: list[str] = []
        self.n_rows = len(new)
        try:
            old = _read(stored)
        except (ValueError, pd.errors.ParserError) as exc:  # EmptyDataError is a ValueError
            self.notes.append(f"the stored file is not a golden-scores CSV file ({exc})")
            return
        if list(new.columns) != list(old.columns):
            self.notes.append(
                f"the columns differ: computed {list(new.columns)} != stored {list(old.columns)}"
            )
        if len(old.columns) == 0:
            self.notes.append("the stored file has no header")
            return
        id_new, id_old = str(new.columns[0]), str(old.columns[0])
        new, old = new.set_index(id_new), old.set_index(id_old)
        if old.index.has_duplicates:
            dup = old.index[old.index.duplicated()].unique()[:5].tolist()
            self.notes.append(f"the stored file repeats ids {dup}")
            old = old[~old.index.duplicated()]
        stored_ids, computed_ids = set(old.index), set(new.index)
        only_new = [i for i in new.index if i not in stored_ids]
        only_old = [i for i in old.index if i not in computed_ids]
        for ids, where in ((only_new, "computed but not stored"), (only_old, "stored only")):
            if ids:
                self.notes.append(f"{len(ids)} row(s) {where}: {id_new} {ids[:5]}")
        common = [i for i in new.index if i in stored_ids]
        cols = [c for c in new.columns if c in old.columns]
        a = new.loc[common, cols].to_numpy(dtype=object)
        b = old.loc[common, cols].to_numpy(dtype=object)
        differs = np.zeros((len(common), len(cols)), dtype=bool)
        for j, c in enumerate(cols):
            x, y = a[:, j], b[:, j]
            if c in TOLERANT:
                fx, fy = _floats(x), _floats(y)
                with np.errstate(invalid="ignore"):
                    close = np.abs(fx - fy) <= rtol * np.maximum(np.abs(fx), np.abs(fy))
                same = close | (np.isnan(fx) & np.isnan(fy)) | (x == y)
                differs[:, j] = ~same
            else:
                differs[:, j] = x != y
        self.columns = [c for j, c in enumerate(cols) if differs[:, j].any()]
        for r in np.flatnonzero(differs.any(axis=1)):
            parts = [
                f"{c} {_show(c, str(a[r, j]))} != {_show(c, str(b[r, j]))}"
                for j, c in enumerate(cols)
                if differs[r, j]
            ]
            self.rows.append(f"{id_new} {common[r]}: " + "; ".join(parts))

    @property
    def equal(self) -> bool:
        return not self.notes and not self.rows

    def report(self, path: Path, rtol: float, max_rows: int) -> str:
        k = len(self.rows)
        head = f"golden scores differ from {path}"
        if k:
            head += f": {k} of {self.n_rows} rows (columns {', '.join(self.columns)})"
        lines = [head]
        lines += [f"  {n}" for n in self.notes]
        if k:
            lines.append("  first differing rows (computed != stored):")
            lines += [f"    {r}" for r in self.rows[:max_rows]]
            if k > max_rows:
                rest = k - max_rows
                lines.append(f"    ... and {rest} more differing row{'s' if rest != 1 else ''}")
        lines.append(
            f"  (pd and limit compare within relative tolerance {rtol:g}; every other column "
            "exactly)"
        )
        lines.append(_HOW_TO_UPDATE)
        return "\n".join(lines)


_HOW_TO_UPDATE = (
    f"After an intended change, regenerate the file (update=True, or the environment variable "
    f"{UPDATE_ENV}=1) and review its diff before committing it."
)


def update_requested(update: bool | None, what: str) -> bool:
    """``update`` if given, else whether the environment variable asks for an update."""
    if update is None:
        return os.environ.get(UPDATE_ENV, "").strip().lower() in _TRUE
    if not isinstance(update, bool | np.bool_):
        raise SpecificationError(f"{what}: expected update True, False or None, found {update!r}")
    return bool(update)


def check(
    path: str | os.PathLike[str],
    computed: pd.DataFrame,
    *,
    update: bool,
    rtol: float,
    max_rows: int,
    what: str,
) -> None:
    """Compare ``computed`` with the file, or (``update``) write the file where it differs."""
    if isinstance(rtol, bool) or not isinstance(rtol, int | float) or not rtol >= 0:
        raise SpecificationError(f"{what}: expected rtol >= 0, found {rtol!r}")
    if isinstance(max_rows, bool) or not isinstance(max_rows, int) or max_rows < 1:
        raise SpecificationError(f"{what}: expected max_rows an integer >= 1, found {max_rows!r}")
    target = Path(path)
    text = to_csv(computed)
    if target.is_file():
        comparison = Comparison(text, target.read_text(encoding="utf-8"), float(rtol))
        if comparison.equal:
            return
        if not update:
            raise AssertionError(comparison.report(target, float(rtol), max_rows))
        reason = f"{len(comparison.rows)} row(s) changed" if comparison.rows else "it changed"
    elif not update:
        raise AssertionError(
            f"no golden scores file {target}: create it with update=True or the environment "
            f"variable {UPDATE_ENV}=1, then review and commit it"
        )
    else:
        reason = "a new file"
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(target, text)
    warnings.warn(
        f"golden scores written to {target} ({reason}; {len(computed)} rows): review the diff",
        ScorecardWarning,
        stacklevel=3,
    )
