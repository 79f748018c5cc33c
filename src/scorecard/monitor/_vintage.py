"""Vintage analysis: origination cohorts by months (or quarters) on book.

A cohort is the accounts originated in one period.  An account that defaulted did so
``mob`` periods after its origination period (0 = in the same period); a cohort
originated ``age`` periods before the snapshot (``as_of``) is observed up to ``mob =
age``.  The cumulative bad rate of a cohort at ``mob = k <= age`` is its defaults at
``mob <= k`` over its accounts; beyond its age it is not known yet (NaN), never 0.

Status: each cohort at its current age is compared with the *book*, the pooled older
cohorts at the same age (``sum defaults / sum accounts`` of the cohorts with
``age > a``), by the one-sided Jeffreys test of :func:`scorecard.policy`'s calibration
(``P(true rate <= book rate | the cohort's defaults)``); the p-values of the tested
cohorts are Holm-adjusted, and the worst traffic light is the analysis' status.  A
cohort worse than the book at the same age is the early warning a vintage curve gives.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Literal

import attrs
import numpy as np
import pandas as pd

from scorecard._core import artifact as _json
from scorecard._core.artifact import dec_float, enc_float, get
from scorecard._core.fields import fail, number, one_of, to_number, to_tuple
from scorecard._core.types import FloatArray
from scorecard._core.validation import check_columns, check_frame
from scorecard.exceptions import DataError, SchemaError, SpecificationError
from scorecard.monitor._counts import period_labels, period_ordinals, to_dates
from scorecard.monitor._stats import holm, p_status, worst
from scorecard.policy._calibration import jeffreys_pvalue

__all__ = ["VintageAnalysis", "vintage_analysis"]

KIND = "vintage_analysis"
SCHEMA_VERSION = 1


def _ints(value: Any) -> Any:
    if isinstance(value, list | tuple | np.ndarray):
        out: list[Any] = []
        for v in value:
            if isinstance(v, list | tuple | np.ndarray):
                out.append(tuple(int(x) if float(x).is_integer() else x for x in v))
            elif isinstance(v, int | float | np.integer | np.floating) and float(v).is_integer():
                out.append(int(v))
            else:
                out.append(v)
        return tuple(out)
    return value


def _check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    k = len(instance.cohorts)
    name = attribute.name
    if name == "cohorts":
        ok = isinstance(value, tuple) and value and all(isinstance(c, str) and c for c in value)
        if not ok or len(set(value)) != len(value):
            fail(instance, attribute, "a non-empty sequence of distinct cohort labels", value)
        return
    if not isinstance(value, tuple) or len(value) != k:
        fail(instance, attribute, f"{k} values (one per cohort)", value)
    if name in ("sizes", "ages"):
        if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value):
            fail(instance, attribute, "integers >= 0", value)
        return
    for i, row in enumerate(value):
        age = instance.ages[i]
        ok = (
            isinstance(row, tuple)
            and len(row) == age + 1
            and all(isinstance(v, int) and v >= 0 for v in row)
        )
        if not ok:
            fail(
                instance,
                attribute,
                f"cohort {instance.cohorts[i]!r}: {age + 1} counts >= 0 (mob 0 to its age)",
                row,
            )
        if sum(row) > instance.sizes[i]:
            fail(
                instance,
                attribute,
                f"cohort {instance.cohorts[i]!r}: at most "
                f"{instance.sizes[i]} defaults (its accounts)",
                row,
            )


@attrs.frozen
class VintageAnalysis(_json.JsonArtifact):
    """Cumulative bad rate of origination cohorts by periods on book.

    Build it with :func:`vintage_analysis`, or directly from counts.

    Parameters
    ----------
    cohorts : tuple of str
        Origination periods, oldest first.
    sizes : tuple of int
        Accounts per cohort.
    ages : tuple of int
        Periods on book of each cohort at the snapshot.
    defaults : tuple of tuple of int
        Per cohort, the defaults at ``mob = 0, 1, ..., age``.
    by : {"month", "quarter"}
        The period.
    amber, red : float
        Traffic lights of the cohort tests (after Holm's adjustment).

    Examples
    --------
    >>> v = VintageAnalysis(("2023-01", "2023-02", "2023-03"), (100, 100, 100), (2, 1, 0),
    ...                     ((1, 2, 3), (2, 6), (1,)))
    >>> v.table.round(3).values.tolist()
    [[0.01, 0.03, 0.06], [0.02, 0.08, nan], [0.01, nan, nan]]
    >>> v.tests[["book_rate", "p_value", "status"]].round(4).values.tolist()
    [[nan, nan, 'n/a'], [0.03, 0.0059, 'amber'], [0.015, 0.6107, 'green']]
    """

    _KIND = KIND
    _SCHEMA_VERSION = SCHEMA_VERSION

    cohorts: tuple[str, ...] = attrs.field(converter=to_tuple, validator=_check)
    sizes: tuple[int, ...] = attrs.field(converter=_ints, validator=_check)
    ages: tuple[int, ...] = attrs.field(converter=_ints, validator=_check)
    defaults: tuple[tuple[int, ...], ...] = attrs.field(converter=_ints, validator=_check)
    by: Literal["month", "quarter"] = attrs.field(
        default="month", validator=one_of(("month", "quarter"))
    )
    amber: float = attrs.field(default=0.05, converter=to_number, validator=number(gt=0, lt=1))
    red: float = attrs.field(default=0.01, converter=to_number, validator=number(gt=0, lt=1))

    def _cumulative(self) -> tuple[FloatArray, FloatArray]:
        """Cumulative defaults ``[cohort, mob]`` (NaN beyond the age) and the sizes."""
        width = max(self.ages) + 1
        cum = np.full((len(self.cohorts), width), np.nan)
        for i, row in enumerate(self.defaults):
            cum[i, : len(row)] = np.cumsum(row)
        return cum, np.asarray(self.sizes, dtype=np.float64)

    @property
    def table(self) -> pd.DataFrame:
        """Cumulative bad rate: one row per cohort, one column per period on book."""
        cum, n = self._cumulative()
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(n[:, None] > 0, cum / np.where(n > 0, n, 1.0)[:, None], np.nan)
        return pd.DataFrame(
            rate,
            index=pd.Index(list(self.cohorts), name="cohort", dtype=object),
            columns=pd.RangeIndex(rate.shape[1], name="mob"),
        )

    @property
    def tests(self) -> pd.DataFrame:
        """Each cohort at its age against the pooled older cohorts at that age."""
        cum, n = self._cumulative()
        ages = np.asarray(self.ages)
        rows = []
        for i, a in enumerate(self.ages):
            older = (ages > a) & (n > 0)
            book_n = float(n[older].sum())
            book = float(np.nansum(cum[older, a]) / book_n) if book_n > 0 else math.nan
            d = float(cum[i, a]) if n[i] > 0 else math.nan
            p = math.nan
            if n[i] > 0 and 0.0 < book < 1.0:
                p = float(jeffreys_pvalue(n[i], d, book))
            rows.append(
                {
                    "cohort": self.cohorts[i],
                    "age": a,
                    "accounts": int(n[i]),
                    "defaults": int(d) if not math.isnan(d) else 0,
                    "bad_rate": d / n[i] if n[i] > 0 else math.nan,
                    "book_rate": book,
                    "p_value": p,
                }
            )
        frame = pd.DataFrame(rows).set_index("cohort")
        frame["p_adjusted"] = holm(frame["p_value"].to_numpy())
        frame["status"] = p_status(frame["p_adjusted"].to_numpy(), self.amber, self.red)
        return frame

    @property
    def status(self) -> str:
        """The worst cohort's traffic light (``n/a`` if no cohort could be tested)."""
        return worst(list(self.tests["status"]))

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (counts; the cohort tests as information)."""
        tests = self.tests.reset_index()
        return {
            "cohorts": list(self.cohorts),
            "sizes": list(self.sizes),
            "ages": list(self.ages),
            "defaults": [list(r) for r in self.defaults],
            "by": self.by,
            "amber": self.amber,
            "red": self.red,
            "results": {
                "status": self.status,
                "tests": [
                    {k: enc_float(v) if isinstance(v, float) else v for k, v in r.items()}
                    for r in tests.to_dict(orient="records")
                ],
            },
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> VintageAnalysis:
        """Inverse of :meth:`to_dict` (the results are recomputed)."""
        try:
            return cls(
                cohorts=tuple(get(d, "cohorts", KIND)),
                sizes=get(d, "sizes", KIND),
                ages=get(d, "ages", KIND),
                defaults=get(d, "defaults", KIND),
                by=get(d, "by", KIND),
                amber=dec_float(get(d, "amber", KIND)),
                red=dec_float(get(d, "red", KIND)),
            )
        except SchemaError:
            raise
        except (SpecificationError, TypeError, ValueError) as exc:
            raise SchemaError(f"{KIND}: invalid content: {exc}") from None


def vintage_analysis(
    data: pd.DataFrame,
    *,
    origination: str,
    default_date: str,
    as_of: Any,
    by: Literal["month", "quarter"] = "month",
    amber: float = 0.05,
    red: float = 0.01,
) -> VintageAnalysis:
    """Vintage curves from one row per account.

    Parameters
    ----------
    data : DataFrame
        One row per account.
    origination : str
        Column of origination dates.
    default_date : str
        Column of the date of default (missing = no default by ``as_of``).
    as_of : date-like
        The snapshot date.
    by : {"month", "quarter"}
        Cohort and periods-on-book unit.
    amber, red : float
        Traffic lights of the cohort tests.

    Raises
    ------
    DataError
        Dates that do not parse, missing origination dates, an origination after
        ``as_of``, a default before its origination or after ``as_of``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "opened": ["2023-01-05", "2023-01-20", "2023-02-10", "2023-03-01"],
    ...     "defaulted": ["2023-02-15", None, "2023-02-28", None]})
    >>> v = vintage_analysis(df, origination="opened", default_date="defaulted",
    ...                      as_of="2023-03-31")
    >>> v.cohorts, v.sizes, v.ages, v.defaults
    (('2023-01', '2023-02', '2023-03'), (2, 1, 1), (2, 1, 0), ((0, 1, 0), (1, 0), (0,)))
    """
    if by not in ("month", "quarter"):
        raise SpecificationError(f"by: expected 'month' or 'quarter', found {by!r}")
    frame = check_frame(data, "data")
    check_columns(frame, [origination, default_date], "data")
    opened = to_dates(frame[origination], origination, "data")
    if opened.isna().any():
        raise DataError(
            f"data: column {origination!r}: expected an origination date on every row, found "
            f"{int(opened.isna().sum())} missing"
        )
    defaulted = to_dates(frame[default_date], default_date, "data")
    try:
        snapshot = pd.Timestamp(as_of)
    except (TypeError, ValueError):
        raise DataError(f"as_of: expected a date, found {as_of!r}") from None
    if pd.isna(snapshot):
        raise DataError(f"as_of: expected a date, found {as_of!r}")
    if snapshot.tzinfo is not None:
        snapshot = snapshot.tz_localize(None)
    late = (opened > snapshot).to_numpy()
    if late.any():
        raise DataError(
            f"data: column {origination!r}: expected origination dates on or before as_of "
            f"({snapshot.date()}), found {int(late.sum())} after it"
        )
    has_default = defaulted.notna().to_numpy()
    early = has_default & (defaulted < opened).to_numpy()
    after = has_default & (defaulted > snapshot).to_numpy()
    for mask, msg in ((early, "before its origination date"), (after, "after as_of")):
        if mask.any():
            raise DataError(
                f"data: column {default_date!r}: expected defaults between origination and "
                f"as_of, found {int(mask.sum())} {msg}"
            )
    o = period_ordinals(opened, by)
    ref = int(period_ordinals(pd.Series([snapshot]), by)[0])
    lo = int(o.min())
    k = int(o.max()) - lo + 1  # every period from the first origination to the last
    cohort = o - lo
    sizes = np.bincount(cohort, minlength=k)
    ages = ref - (lo + np.arange(k))
    mob = np.zeros(len(frame), dtype=np.int64)
    if has_default.any():
        mob[has_default] = period_ordinals(defaulted[has_default], by) - o[has_default]
    defaults = []
    for c in range(k):
        sel = has_default & (cohort == c)
        defaults.append(tuple(int(v) for v in np.bincount(mob[sel], minlength=int(ages[c]) + 1)))
    return VintageAnalysis(
        cohorts=tuple(period_labels(lo, k, by)),
        sizes=tuple(int(v) for v in sizes),
        ages=tuple(int(v) for v in ages),
        defaults=tuple(defaults),
        by=by,
        amber=amber,
        red=red,
    )
