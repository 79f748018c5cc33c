"""Strategy tables: what a score cut-off does to approvals, bad rates, losses and profit.

Conventions (stated once here, tested in ``tests/test_strategy.py``)
--------------------------------------------------------------------
* Higher score = lower risk: an applicant is **approved** at cut-off ``c`` when
  ``score >= c`` (the cut-off itself is approved, as grade lower bounds are inclusive).
* Expected figures use a PD per row; realized figures use the 0/1 bad flag (1 = bad)
  in place of the PD.  With ``EAD_i``, ``LGD_i`` and revenue ``R_i = margin_i * EAD_i``
  (or a given revenue per row), summed over the approved rows:

  - expected loss ``EL = sum PD_i * LGD_i * EAD_i``;
  - realized loss ``L = sum bad_i * LGD_i * EAD_i``;
  - expected profit ``sum R_i * (1 - PD_i) - EL`` (a good pays its margin, a bad pays
    none and loses ``LGD * EAD``);
  - realized profit ``sum R_i * (1 - bad_i) - L``.

  Funding and operating costs are not modeled: net them into ``margin`` or
  ``revenue``.
* Everything is vectorized, with no loop over cut-offs or rows: each row is put in
  the band of the highest cut-off at or below its score (``np.unique`` for the
  default grid of distinct scores, ``searchsorted`` for a given grid), each
  quantity is summed per band (``bincount``), and a reversed cumulative sum gives
  the total over the approved bands at every cut-off.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard._core.types import FloatArray
from scorecard._core.validation import binary_flag, check_columns, check_frame
from scorecard.exceptions import DataError, SpecificationError
from scorecard.policy._grades import GradeScale

__all__ = ["cutoff_table", "score_band_table"]


def _numeric_column(
    data: pd.DataFrame,
    column: Hashable,
    field: str,
    *,
    lo: float | None = None,
    hi: float | None = None,
    allow_inf: bool = False,
) -> FloatArray:
    check_columns(data, [column], field)
    s = data[column]
    if pd.api.types.is_bool_dtype(s.dtype) or not pd.api.types.is_numeric_dtype(s.dtype):
        raise DataError(f"{field}: expected a numeric column {column!r}, found dtype {s.dtype}")
    arr = np.asarray(s, dtype=np.float64)
    nan = np.isnan(arr)
    if nan.any():
        raise DataError(
            f"{field}: expected no missing values in column {column!r}, found {int(nan.sum())}"
        )
    if not allow_inf and np.isinf(arr).any():
        raise DataError(
            f"{field}: expected finite values in column {column!r}, found "
            f"{int(np.isinf(arr).sum())} infinite"
        )
    _check_range(arr, f"{field} (column {column!r})", lo, hi)
    return arr


def _check_range(arr: FloatArray, what: str, lo: float | None, hi: float | None) -> None:
    if lo is not None and np.any(arr < lo):
        raise DataError(f"{what}: expected values >= {lo:g}, found minimum {float(arr.min())!r}")
    if hi is not None and np.any(arr > hi):
        raise DataError(f"{what}: expected values <= {hi:g}, found maximum {float(arr.max())!r}")


def _column_or_scalar(
    data: pd.DataFrame,
    value: Any,
    field: str,
    *,
    lo: float | None = None,
    hi: float | None = None,
) -> FloatArray:
    if isinstance(value, bool):
        raise SpecificationError(f"{field}: expected a number or a column name, found {value!r}")
    if isinstance(value, int | float | np.integer | np.floating):
        x = float(value)
        if not np.isfinite(x):
            raise SpecificationError(f"{field}: expected a finite number, found {value!r}")
        if (lo is not None and x < lo) or (hi is not None and x > hi):
            bounds = f"[{lo if lo is not None else '-inf'}, {hi if hi is not None else 'inf'}]"
            raise SpecificationError(f"{field}: expected a number in {bounds}, found {value!r}")
        return np.full(len(data), x, dtype=np.float64)
    return _numeric_column(data, value, field, lo=lo, hi=hi)


def cutoff_table(
    data: pd.DataFrame,
    score: Hashable,
    *,
    bad: Hashable | None = None,
    pd: Hashable | None = None,
    ead: Hashable | float | None = None,
    lgd: Hashable | float | None = None,
    margin: Hashable | float | None = None,
    revenue: Hashable | None = None,
    cutoffs: Sequence[float] | npt.ArrayLike | None = None,
) -> pd.DataFrame:
    """Approval rate, bad rate, losses and profit for each candidate score cut-off.

    Parameters
    ----------
    data : DataFrame
        One row per applicant.
    score : column name
        Score column (higher = lower risk); approved means ``score >= cutoff``.
    bad : column name, optional
        Realized outcome, 0/1 with 1 = bad: gives the realized columns.
    pd : column name, optional
        Probability of bad per row, in [0, 1]: gives the expected columns.
    ead : column name or number, optional
        Exposure at default per row (>= 0).  Needed, with ``lgd``, for losses.  A
        number (here and for ``lgd`` and ``margin``) is a value for every row, never
        a column name.
    lgd : column name or number, optional
        Loss given default, in [0, 1].
    margin : column name or number, optional
        Revenue as a rate of EAD (``revenue = margin * EAD``); needs ``ead``.
    revenue : column name, optional
        Revenue per row in currency, instead of ``margin``.
    cutoffs : sequence of float, optional
        Candidate cut-offs; default every distinct score.  Sorted increasingly and
        de-duplicated in the output.

    Returns
    -------
    DataFrame
        One row per cut-off, increasing.  Always ``cutoff``, ``n_approved``,
        ``approval_rate``.  With ``bad``: ``bads_approved``, ``bad_rate_approved``
        (NaN when nothing is approved), ``bads_declined`` and ``bads_declined_share``
        (the share of all bads that the cut-off turns away).  With ``pd``:
        ``expected_bads_approved`` (sum of PD), ``expected_bad_rate_approved``.  With
        ``ead``: ``ead_approved``; with ``lgd`` too: ``expected_loss`` (``pd``) and
        ``realized_loss`` (``bad``).  With ``margin`` or ``revenue`` too:
        ``revenue_approved``, ``expected_profit`` and ``realized_profit``.  See the
        module docstring for the formulas.

    Raises
    ------
    DataError
        Missing columns, NaN or out-of-range values, a bad flag that is not 0/1.
    SpecificationError
        Inconsistent options (e.g. ``margin`` without ``ead``, ``lgd`` out of range).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"score": [700, 650, 600, 550], "bad": [0, 0, 1, 1],
    ...                    "pd": [0.01, 0.02, 0.1, 0.3], "ead": [1000, 1000, 1000, 1000]})
    >>> t = cutoff_table(df, "score", bad="bad", pd="pd", ead="ead", lgd=0.5, margin=0.1)
    >>> t[["cutoff", "n_approved", "approval_rate", "bad_rate_approved"]]
       cutoff  n_approved  approval_rate  bad_rate_approved
    0   550.0           4           1.00           0.500000
    1   600.0           3           0.75           0.333333
    2   650.0           2           0.50           0.000000
    3   700.0           1           0.25           0.000000
    >>> t[["expected_loss", "realized_loss", "expected_profit", "realized_profit"]]
       expected_loss  realized_loss  expected_profit  realized_profit
    0          215.0         1000.0            142.0           -800.0
    1           65.0          500.0            222.0           -300.0
    2           15.0            0.0            182.0            200.0
    3            5.0            0.0             94.0            100.0
    """
    frame = check_frame(data)
    s = _numeric_column(frame, score, "score", allow_inf=True)
    N = s.size

    if margin is not None and revenue is not None:
        raise SpecificationError(
            "margin, revenue: expected at most one way to give revenue, found both"
        )
    if (ead is None) != (lgd is None):
        given, missing = ("ead", "lgd") if lgd is None else ("lgd", "ead")
        raise SpecificationError(
            f"{missing}: expected with {given} (losses need both EAD and LGD), found None"
        )
    if margin is not None and ead is None:
        raise SpecificationError("ead: expected with margin (revenue = margin * EAD), found None")
    if revenue is not None and ead is None:
        raise SpecificationError(
            "ead, lgd: expected with revenue (profit = revenue - loss needs losses), found None"
        )
    if (margin is not None or revenue is not None) and bad is None and pd is None:
        raise SpecificationError(
            "bad, pd: expected at least one with margin or revenue (profit needs outcomes "
            "or PDs), found neither"
        )

    # per-row quantities to sum over the approved rows
    cols: dict[str, FloatArray] = {}
    if bad is not None:
        check_columns(frame, [bad], "bad")
        cols["bad"] = binary_flag(frame[bad], f"bad (column {bad!r})").astype(np.float64)
    if pd is not None:
        cols["pd"] = _numeric_column(frame, pd, "pd", lo=0.0, hi=1.0)
    if ead is not None and lgd is not None:
        e = _column_or_scalar(frame, ead, "ead", lo=0.0)
        loss_at_default = e * _column_or_scalar(frame, lgd, "lgd", lo=0.0, hi=1.0)
        cols["ead"] = e
        if pd is not None:
            cols["el"] = cols["pd"] * loss_at_default
        if bad is not None:
            cols["loss"] = cols["bad"] * loss_at_default
        rev: FloatArray | None = None
        if margin is not None:
            rev = _column_or_scalar(frame, margin, "margin") * e
        elif revenue is not None:
            rev = _numeric_column(frame, revenue, "revenue")
        if rev is not None:
            cols["revenue"] = rev
            if pd is not None:
                cols["profit_exp"] = rev * (1.0 - cols["pd"]) - cols["el"]
            if bad is not None:
                cols["profit_real"] = rev * (1.0 - cols["bad"]) - cols["loss"]

    # candidate cut-offs, and the band of each row: the highest cut-off <= its score
    band: npt.NDArray[np.intp]
    if cutoffs is None:
        grid, band = np.unique(s, return_inverse=True)
    else:
        try:
            raw = np.asarray(cutoffs, dtype=np.float64).ravel()
        except (TypeError, ValueError):
            raise SpecificationError(f"cutoffs: expected numbers, found {cutoffs!r}") from None
        if raw.size == 0 or np.isnan(raw).any():
            raise SpecificationError(
                f"cutoffs: expected at least one cut-off and no NaN, found {raw.tolist()[:10]}"
            )
        grid = np.unique(raw)
        band = np.searchsorted(grid, s, side="right").astype(np.intp) - 1  # -1: below all
    keep = band >= 0
    band_k = band[keep]

    # per band totals (one pass per quantity), then sums over the bands at or above each
    # cut-off: a reversed cumulative sum.  Approved at grid[k] = rows in bands >= k.
    def approved(values: FloatArray) -> FloatArray:
        per_band = np.bincount(band_k, weights=values[keep], minlength=grid.size)
        out_: FloatArray = np.cumsum(per_band[::-1], dtype=np.float64)[::-1]
        return out_

    n_app = np.cumsum(np.bincount(band_k, minlength=grid.size)[::-1])[::-1]
    sums = {k: approved(v) for k, v in cols.items()}

    out: dict[str, Any] = {
        "cutoff": grid,
        "n_approved": n_app.astype(np.int64),
        "approval_rate": n_app / N,
    }
    with np.errstate(invalid="ignore", divide="ignore"):
        if "bad" in sums:
            total_bads = float(cols["bad"].sum())
            out["bads_approved"] = np.rint(sums["bad"]).astype(np.int64)
            out["bad_rate_approved"] = np.where(n_app > 0, sums["bad"] / n_app, np.nan)
            out["bads_declined"] = np.rint(total_bads - sums["bad"]).astype(np.int64)
            out["bads_declined_share"] = (
                (total_bads - sums["bad"]) / total_bads
                if total_bads > 0
                else np.full(grid.size, np.nan)
            )
        if "pd" in sums:
            out["expected_bads_approved"] = sums["pd"]
            out["expected_bad_rate_approved"] = np.where(n_app > 0, sums["pd"] / n_app, np.nan)
    for key, name in (
        ("ead", "ead_approved"),
        ("el", "expected_loss"),
        ("loss", "realized_loss"),
        ("revenue", "revenue_approved"),
        ("profit_exp", "expected_profit"),
        ("profit_real", "realized_profit"),
    ):
        if key in sums:
            out[name] = sums[key]
    return _frame(out)


def _frame(columns: dict[str, Any]) -> pd.DataFrame:
    """A DataFrame from columns (kept apart so ``cutoff_table`` may call a parameter ``pd``)."""
    return pd.DataFrame(columns)


def score_band_table(
    data: pd.DataFrame,
    score: Hashable,
    grade: Hashable | GradeScale,
    *,
    bad: Hashable | None = None,
    bands: int | Sequence[float] = 10,
) -> pd.DataFrame:
    """Counts (and bads, bad rate) per score band x grade.

    Parameters
    ----------
    data : DataFrame
        One row per applicant.
    score : column name
        Score column.
    grade : column name or GradeScale
        A grade column (any rating, e.g. an external or a policy grade), or a scale
        that grades ``score``.  Grades are ordered as the scale (best first), as the
        categories of a Categorical column, or else sorted.
    bad : column name, optional
        0/1 outcome (1 = bad): adds ``bads`` and ``bad_rate`` blocks.
    bands : int or sequence of float, default 10
        A number of equal-width bands from the lowest score up (the top band is open
        upward), or increasing band edges that cover every score.  Bands are
        ``[lower, upper)``.

    Returns
    -------
    DataFrame
        Index: the score bands (an ``IntervalIndex`` closed on the left), highest
        band first.  Columns: a two-level index ``(statistic, grade)`` with
        statistics ``n`` (then ``bads``, ``bad_rate`` with ``bad``) and the grades
        plus ``"All"``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"score": [700, 650, 640, 560, 550], "bad": [0, 0, 1, 1, 0],
    ...                    "ext": ["A", "B", "A", "B", "B"]})
    >>> t = score_band_table(df, "score", "ext", bad="bad", bands=[500, 600, 800])
    >>> t["n"]
    grade           A  B  All
    score_band
    [600.0, 800.0)  2  1    3
    [500.0, 600.0)  0  2    2
    >>> t["bad_rate"]
    grade             A    B       All
    score_band
    [600.0, 800.0)  0.5  0.0  0.333333
    [500.0, 600.0)  NaN  0.5  0.500000
    """
    frame = check_frame(data)
    s = _numeric_column(frame, score, "score", allow_inf=True)

    # grades
    if isinstance(grade, GradeScale):
        g_idx = grade.assign_index(s)
        g_names: list[Any] = list(grade.names)
    else:
        check_columns(frame, [grade], "grade")
        col = frame[grade]
        n_missing = int(col.isna().sum())
        if n_missing:
            raise DataError(
                f"grade: expected a grade in every row of column {grade!r}, found {n_missing} "
                "missing"
            )
        if isinstance(col.dtype, pd.CategoricalDtype):
            g_names = list(col.cat.categories)
            g_idx = np.asarray(col.cat.codes, dtype=np.int64)
        else:
            codes, uniques = pd.factorize(col, sort=True)
            g_names = list(uniques)
            g_idx = np.asarray(codes, dtype=np.int64)

    # bands
    if isinstance(bands, bool):
        raise SpecificationError(f"bands: expected an int or band edges, found {bands!r}")
    if isinstance(bands, int | np.integer):
        if bands < 1:
            raise SpecificationError(f"bands: expected a number of bands >= 1, found {bands!r}")
        lo, hi = float(s.min()), float(s.max())
        if not (np.isfinite(lo) and np.isfinite(hi)):
            raise DataError("score: expected finite scores to build equal-width bands")
        edges = np.linspace(lo, hi, int(bands) + 1)
        edges[-1] = np.inf
        if hi == lo:
            edges = np.array([lo, np.inf])
    else:
        try:
            edges = np.asarray(bands, dtype=np.float64).ravel()
        except (TypeError, ValueError):
            raise SpecificationError(f"bands: expected band edges, found {bands!r}") from None
        if edges.size < 2 or np.isnan(edges).any() or not np.all(np.diff(edges) > 0):
            raise SpecificationError(
                f"bands: expected at least two strictly increasing edges, found {edges.tolist()}"
            )
        outside = (s < edges[0]) | (s >= edges[-1])
        if outside.any():
            raise DataError(
                f"bands: expected edges covering every score in [{edges[0]:g}, {edges[-1]:g}), "
                f"found {int(outside.sum())} scores outside: extend the edges (e.g. with "
                "-inf / inf)"
            )
    n_bands = edges.size - 1
    b_idx = np.searchsorted(edges, s, side="right") - 1

    G = len(g_names)
    cell = b_idx * G + g_idx
    counts = np.bincount(cell, minlength=n_bands * G).reshape(n_bands, G)[::-1]
    intervals = pd.IntervalIndex.from_breaks(edges, closed="left", name="score_band")[::-1]
    grade_cols = pd.Index([*g_names, "All"], name="grade")
    blocks = {"n": np.column_stack([counts, counts.sum(axis=1)])}
    if bad is not None:
        check_columns(frame, [bad], "bad")
        flag = binary_flag(frame[bad], f"bad (column {bad!r})").astype(np.float64)
        bads = np.bincount(cell, weights=flag, minlength=n_bands * G).reshape(n_bands, G)[::-1]
        bads_all = np.column_stack([bads, bads.sum(axis=1)])
        blocks["bads"] = np.rint(bads_all).astype(np.int64)
        with np.errstate(invalid="ignore", divide="ignore"):
            n_all = blocks["n"]
            blocks["bad_rate"] = np.where(n_all > 0, bads_all / n_all, np.nan)
    parts = [pd.DataFrame(v, index=intervals, columns=grade_cols) for v in blocks.values()]
    return pd.concat(parts, axis=1, keys=list(blocks), names=["statistic", "grade"])
