"""Binning options: :class:`BinningSpec`, validated at construction."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, Literal

import attrs
import numpy as np

from scorecard._analyze.optb import TRENDS
from scorecard._core.fields import (
    boolean,
    integer,
    number,
    one_of,
    optional,
    to_integer,
    to_number,
    to_optional_number,
)
from scorecard._core.stats import DEFAULT_SMOOTHING, EMPTY_TREATMENTS, EmptyTreatment
from scorecard.exceptions import SpecificationError

Trend = Literal["auto", "ascending", "descending", "peak", "valley", "concave", "convex", "none"]


def _special_codes(value: Any) -> tuple[float | str, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise SpecificationError(
            f"BinningSpec.special_codes: expected a sequence of codes, found {value!r}"
        )
    out: list[float | str] = []
    for v in value:
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool):
            if not math.isfinite(float(v)):
                raise SpecificationError(
                    f"BinningSpec.special_codes: expected finite codes, found {v!r}"
                )
            out.append(float(v))
        else:
            raise SpecificationError(
                f"BinningSpec.special_codes: expected numbers or strings, found {v!r}"
            )
    if len(set(out)) != len(out):
        raise SpecificationError(
            f"BinningSpec.special_codes: expected distinct codes, found {tuple(value)!r}"
        )
    return tuple(out)


@attrs.frozen
class BinningSpec:
    """Options for binning one feature (or every feature, as the default).

    Parameters
    ----------
    kind : {"auto", "numeric", "categorical"}
        ``"auto"`` takes numeric for int/float/bool columns, categorical otherwise.
    optimize : bool
        Group the fine classes with the optimal-binning solver (default).  With
        ``False`` every fine class is its own bin (e.g. each category its own bin).
    trend : str
        Shape of the bad rate along the feature's order: ``"auto"`` (the solver
        chooses), ``"ascending"``, ``"descending"``, ``"peak"``, ``"valley"``,
        ``"concave"``, ``"convex"`` or ``"none"``.  Categorical levels are ordered
        riskiest first, so their natural trend is ``"descending"``.
    max_bins, min_bins : int or None
        Bounds on the number of regular bins.
    min_bin_share : float
        Minimum share of the (weighted) rows in each regular bin (default 0.03: more
        bins than 0.05 gave, at a higher held-out AUC on every data set of
        ``benchmarks/bench_realdata.py``; see :doc:`/binning`).
    min_bads, min_goods : float
        Minimum (weighted) bads and goods per regular bin.
    max_pvalue : float or None
        Adjacent regular bins must differ: the p-value of the test of equal bad rates
        of two neighbouring bins (optbinning's z-test) is at most this.  ``None`` (the
        default) sets no such constraint.
    n_fine : int
        Most fine classes per feature: weighted quantile classes of a numeric
        feature, equal-weight runs of risk-ordered levels of a categorical one
        (fewer levels: one class each).  The
        default 30 keeps the holdout IV within 2 % of optbinning's CART
        pre-binning (20 pre-bins) on 1,000,000 rows, where 20 quantile classes
        fell 3-4 % short (``benchmarks/README.md``).
    special_codes : tuple
        Values counted apart, each in its own bin (e.g. ``-999`` "no bureau record").
    min_level_count, min_level_share : float
        A category is rare (pooled with the other rare ones) when its weighted
        count is below ``max(min_level_count, min_level_share * rows)`` (by
        default 50 rows: enough for a bad rate to order by, and still a fixed
        number as the data grows).
    distinct_alpha : float or None
        Significance level at which a small class is kept apart from what it would be
        pooled with (default 0.01, Bonferroni-corrected for the number of classes
        tested; ``None``: pool by size alone).  A rare category whose bad count differs
        from the other rare ones keeps a class of its own, and a fine class below
        ``min_bin_share`` whose bad count differs from the rest of its bin gets a bin of
        its own (at either end of its bin for a numeric feature, without breaking the
        shape of the bad rate); see :doc:`/binning`.
    prior : float or None
        Strength (in rows) of the empirical-Bayes prior that shrinks each
        category's bad rate toward the population rate before levels are
        ordered; ``None`` estimates it from the data (method of moments).
    empty : {"neutral", "worst", "error"}
        WOE of empty bins and unseen categories: 0, the lowest WOE of the
        feature, or a :class:`~scorecard.exceptions.DataError` at transform time.
    smoothing : float
        Added to both counts of a bin with no goods or no bads (default 0.5).

    Examples
    --------
    >>> BinningSpec(max_bins=5, special_codes=(-999,)).special_codes
    (-999.0,)
    >>> BinningSpec(trend="up")
    Traceback (most recent call last):
    ...
    scorecard.exceptions.SpecificationError: BinningSpec.trend: expected one of ...
    """

    kind: Literal["auto", "numeric", "categorical"] = attrs.field(
        default="auto", validator=one_of(("auto", "numeric", "categorical"))
    )
    optimize: bool = attrs.field(default=True, validator=boolean)
    trend: Trend = attrs.field(default="auto", validator=one_of(TRENDS))
    max_bins: int | None = attrs.field(
        default=None, converter=to_integer, validator=optional(integer(ge=1))
    )
    min_bins: int | None = attrs.field(
        default=None, converter=to_integer, validator=optional(integer(ge=1))
    )
    min_bin_share: float | None = attrs.field(
        default=0.03, converter=to_optional_number, validator=optional(number(ge=0, lt=0.5))
    )
    min_bads: float = attrs.field(default=0.0, converter=to_number, validator=number(ge=0))
    min_goods: float = attrs.field(default=0.0, converter=to_number, validator=number(ge=0))
    max_pvalue: float | None = attrs.field(
        default=None, converter=to_optional_number, validator=optional(number(gt=0, le=1))
    )
    n_fine: int = attrs.field(default=30, converter=to_integer, validator=integer(ge=1))
    special_codes: tuple[float | str, ...] = attrs.field(default=(), converter=_special_codes)
    min_level_count: float = attrs.field(default=50.0, converter=to_number, validator=number(ge=0))
    min_level_share: float = attrs.field(
        default=0.0, converter=to_number, validator=number(ge=0, lt=0.5)
    )
    prior: float | None = attrs.field(
        default=None, converter=to_optional_number, validator=optional(number(ge=0))
    )
    distinct_alpha: float | None = attrs.field(
        default=0.01, converter=to_optional_number, validator=optional(number(gt=0, lt=1))
    )
    empty: EmptyTreatment = attrs.field(default="neutral", validator=one_of(EMPTY_TREATMENTS))
    smoothing: float = attrs.field(
        default=DEFAULT_SMOOTHING, converter=to_number, validator=number(ge=0)
    )
    time_limit: float = attrs.field(default=100.0, converter=to_number, validator=number(gt=0))

    def __attrs_post_init__(self) -> None:
        if (
            self.max_bins is not None
            and self.min_bins is not None
            and self.min_bins > self.max_bins
        ):
            raise SpecificationError(
                f"BinningSpec: expected min_bins <= max_bins, found {self.min_bins} > "
                f"{self.max_bins}"
            )
