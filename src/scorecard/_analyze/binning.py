"""Binning: fine classes -> coarse bins -> WOE, for one feature and for a frame.

A :class:`FeatureBinning` stores the fine-class counts and an *assignment* of
fine classes, missing values and special codes to bins.  Every statistic (bin
counts, WOE, IV, labels) is derived from those counts, so a manual edit
(merge, split, new cut points, moving the missing bin) is exact and needs no
data, except when new cut points fall between fine-class boundaries.

Bins are numbered: regular bins ``0..k-1`` (in the order of the feature for
numeric features, riskiest first for categorical ones), then the own
``Missing`` bin (if missing values are not merged into a regular bin), then
one bin per special code not merged elsewhere.  A bin with no rows at all
takes its WOE from the feature's ``empty`` treatment (see :mod:`scorecard._core.stats`);
unseen categories are scored by that same treatment.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard._analyze.fine import (
    LOOKUP_RANGE,
    FineClasses,
    categorical_codes,
    fine_categorical,
    fine_numeric,
)
from scorecard._analyze.optb import TRENDS, optimal_starts
from scorecard._core import artifact as _json
from scorecard._core.fields import one_of
from scorecard._core.stats import (
    DEFAULT_SMOOTHING,
    EMPTY_TREATMENTS,
    EmptyTreatment,
    bad_rate,
    gini_from_counts,
    iv_terms,
    woe_with_treatment,
)
from scorecard._core.types import FloatArray, IntArray
from scorecard._core.validation import (
    Kind,
    check_columns,
    check_feature,
    check_frame,
    check_target,
    check_weights,
    feature_kind,
)
from scorecard.exceptions import DataError, SchemaError, SpecificationError

SCHEMA_VERSION = 1
Trend = Literal["auto", "ascending", "descending", "peak", "valley", "concave", "convex", "none"]


def _optional_positive_int(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SpecificationError(
            f"{type(instance).__name__}.{attribute.name}: expected a positive integer or None, "
            f"found {value!r}"
        )


def _share(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, int | float) or not 0 <= value < 0.5:
        raise SpecificationError(
            f"{type(instance).__name__}.{attribute.name}: expected a share in [0, 0.5), "
            f"found {value!r}"
        )


def _nonneg(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise SpecificationError(
            f"{type(instance).__name__}.{attribute.name}: expected a number >= 0, found {value!r}"
        )


def _special_codes(value: Iterable[Any]) -> tuple[float | str, ...]:
    if isinstance(value, str | bytes):
        raise SpecificationError(
            f"BinningSpec.special_codes: expected a sequence of codes, found the string {value!r}"
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
        Minimum share of the (weighted) rows in each regular bin.
    min_bads, min_goods : float
        Minimum (weighted) bads and goods per regular bin.
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
    prior : float or None
        Strength (in rows) of the empirical-Bayes prior that shrinks each
        category's bad rate towards the population rate before levels are
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
    optimize: bool = attrs.field(default=True, validator=attrs.validators.instance_of(bool))
    trend: Trend = attrs.field(default="auto", validator=one_of(TRENDS))
    max_bins: int | None = attrs.field(default=None, validator=_optional_positive_int)
    min_bins: int | None = attrs.field(default=None, validator=_optional_positive_int)
    min_bin_share: float = attrs.field(default=0.05, validator=_share)
    min_bads: float = attrs.field(default=0.0, validator=_nonneg)
    min_goods: float = attrs.field(default=0.0, validator=_nonneg)
    n_fine: int = attrs.field(default=30, validator=_optional_positive_int)
    special_codes: tuple[float | str, ...] = attrs.field(default=(), converter=_special_codes)
    min_level_count: float = attrs.field(default=50.0, validator=_nonneg)
    min_level_share: float = attrs.field(default=0.0, validator=_share)
    prior: float | None = attrs.field(default=None, validator=_nonneg)
    empty: EmptyTreatment = attrs.field(default="neutral", validator=one_of(EMPTY_TREATMENTS))
    smoothing: float = attrs.field(default=DEFAULT_SMOOTHING, validator=_nonneg)
    time_limit: float = attrs.field(default=100.0, validator=_nonneg)

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


@attrs.frozen
class Bin:
    """One coarse bin of a feature, with its counts and statistics."""

    index: int
    label: str
    fine: tuple[int, ...]
    missing: bool
    specials: tuple[float | str, ...]
    goods: float
    bads: float
    woe: float
    iv: float

    @property
    def count(self) -> float:
        """Rows (weighted) in the bin."""
        return self.goods + self.bads


def _fmt(x: float) -> str:
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return repr(float(x)).removesuffix(".0") if float(x).is_integer() else repr(float(x))


def _fmt_special(v: float | str) -> str:
    return repr(v) if isinstance(v, str) else _fmt(v)


def _levels_label(levels: Sequence[str], limit: int = 6) -> str:
    shown = ", ".join(repr(v) for v in levels[:limit])
    if len(levels) > limit:
        shown += f", ... (+{len(levels) - limit} more)"
    return "{" + shown + "}"


def _valid_assignment(
    name: str,
    kind: Kind,
    fine: FineClasses,
    groups: tuple[int, ...],
    missing_bin: int | None,
    special_bins: tuple[int | None, ...],
) -> None:
    where = f"feature {name!r}"
    if len(groups) != fine.n:
        raise SpecificationError(
            f"{where}: expected one group per fine class ({fine.n}), found {len(groups)}"
        )
    k = max(groups) + 1 if groups else 0
    if sorted(set(groups)) != list(range(k)):
        raise SpecificationError(
            f"{where}: expected groups numbered 0..k-1 with none empty, found {sorted(set(groups))}"
        )
    if kind == "numeric" and any(b < a for a, b in itertools.pairwise(groups)):
        raise SpecificationError(
            f"{where}: expected numeric bins to be contiguous intervals (groups non-decreasing "
            f"along the fine classes), found {list(groups)}"
        )
    if len(special_bins) != len(fine.specials):
        raise SpecificationError(
            f"{where}: expected a target for each of {len(fine.specials)} special codes, "
            f"found {len(special_bins)}"
        )
    for what, t in [("missing", missing_bin), *(("special", s) for s in special_bins)]:
        if t is not None and not 0 <= t < k:
            raise SpecificationError(
                f"{where}: {what} values can join a regular bin 0..{k - 1} or have their own "
                f"(None), found {t}"
            )


def _int_tuple(values: Iterable[Any]) -> tuple[int, ...]:
    return tuple(int(v) for v in values)


def _target_tuple(values: Iterable[Any]) -> tuple[int | None, ...]:
    return tuple(None if v is None else int(v) for v in values)


def _feature_tuple(values: Iterable[FeatureBinning]) -> tuple[FeatureBinning, ...]:
    return tuple(values)


@attrs.frozen(eq=True)
class FeatureBinning:
    """The binning of one feature: fine-class counts and their grouping into bins.

    Build it with :func:`bin_features` (or :meth:`fit`); change it with the edit
    methods (:meth:`merge`, :meth:`split`, :meth:`with_cuts`, :meth:`with_groups`,
    :meth:`move_missing`, :meth:`move_special`), each returning a new object whose
    statistics are recomputed from counts.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"x": [1, 2, 3, 4, 5, 6, 7, 8] * 25,
    ...                    "bad": [1, 1, 0, 1, 0, 0, 0, 0] * 25})
    >>> fb = FeatureBinning.fit(df["x"], df["bad"], BinningSpec(optimize=False, n_fine=4))
    >>> fb.labels
    ('[-inf, 3)', '[3, 5)', '[5, 7)', '[7, inf)', 'Missing')
    >>> fb.merge(0, 1).labels
    ('[-inf, 5)', '[5, 7)', '[7, inf)', 'Missing')
    """

    name: str
    kind: Kind
    fine: FineClasses
    groups: tuple[int, ...] = attrs.field(converter=_int_tuple)
    missing_bin: int | None = None
    special_bins: tuple[int | None, ...] = attrs.field(default=(), converter=_target_tuple)
    empty: EmptyTreatment = attrs.field(default="neutral", validator=one_of(EMPTY_TREATMENTS))
    smoothing: float = attrs.field(default=DEFAULT_SMOOTHING, validator=_nonneg)
    trend: str = "auto"

    def __attrs_post_init__(self) -> None:
        _valid_assignment(
            self.name, self.kind, self.fine, self.groups, self.missing_bin, self.special_bins
        )

    # ----------------------------------------------------------------- fitting
    @classmethod
    def fit(
        cls,
        x: pd.Series,
        y: Any,
        spec: BinningSpec | None = None,
        *,
        sample_weight: Any = None,
        name: str | None = None,
    ) -> FeatureBinning:
        """Bin one feature (a Series) against a 0/1 target (1 = bad)."""
        spec = spec or BinningSpec()
        nm = str(name if name is not None else x.name)
        frame = pd.DataFrame({"__x__": x})
        yy = check_target(y, "target")
        if yy.shape[0] != len(x):
            raise DataError(f"target: expected {len(x)} values, found {yy.shape[0]}")
        w = None if sample_weight is None else check_weights(sample_weight, frame)
        return _fit_one(x, nm, yy, w, spec)

    # ------------------------------------------------------------- derivations
    @functools.cached_property
    def _layout(self) -> tuple[FloatArray, FloatArray, tuple[str, ...], IntArray, IntArray]:
        """Bin goods, bads, labels, fine->bin map and special->bin map."""
        f = self.fine
        k = max(self.groups) + 1 if self.groups else 0
        fg = np.asarray(f.goods)
        fb = np.asarray(f.bads)
        gmap = np.asarray(self.groups, dtype=np.int64)
        goods = np.bincount(gmap, weights=fg, minlength=k).astype(np.float64)
        bads = np.bincount(gmap, weights=fb, minlength=k).astype(np.float64)
        members: list[list[str]] = [[] for _ in range(k)]
        labels: list[str] = []
        if self.kind == "numeric":
            bounds = (-math.inf, *f.edges, math.inf)
            for j in range(k):
                idx = np.flatnonzero(gmap == j)
                lo, hi = bounds[idx[0]], bounds[idx[-1] + 1]
                labels.append(f"[{_fmt(lo)}, {_fmt(hi)})")
        else:
            for j in range(k):
                lv = [v for i in np.flatnonzero(gmap == j) for v in f.levels[i]]
                labels.append(_levels_label(lv))
        extra_g: list[float] = []
        extra_b: list[float] = []
        missing_label = "Missing"
        if self.missing_bin is None:
            extra_g.append(f.missing_goods)
            extra_b.append(f.missing_bads)
            labels_missing = [missing_label]
        else:
            goods[self.missing_bin] += f.missing_goods
            bads[self.missing_bin] += f.missing_bads
            members[self.missing_bin].append(missing_label)
            labels_missing = []
        smap = np.empty(len(f.specials), dtype=np.int64)
        own_special_labels: list[str] = []
        nxt = k + len(labels_missing)
        for s, t in enumerate(self.special_bins):
            lab = f"Special {_fmt_special(f.specials[s])}"
            if t is None:
                extra_g.append(f.special_goods[s])
                extra_b.append(f.special_bads[s])
                own_special_labels.append(lab)
                smap[s] = nxt
                nxt += 1
            else:
                goods[t] += f.special_goods[s]
                bads[t] += f.special_bads[s]
                members[t].append(lab)
                smap[s] = t
        labels = [
            lab + "".join(f" | {m}" for m in mem) for lab, mem in zip(labels, members, strict=True)
        ]
        labels += labels_missing + own_special_labels
        all_g = np.concatenate([goods, np.asarray(extra_g, dtype=np.float64)])
        all_b = np.concatenate([bads, np.asarray(extra_b, dtype=np.float64)])
        return all_g, all_b, tuple(labels), gmap, smap

    @functools.cached_property
    def _cuts(self) -> FloatArray:
        """Numeric: the lower bounds of regular bins 1..k-1 (a subset of the fine edges)."""
        g = self.groups
        return np.asarray(
            [self.fine.edges[i - 1] for i in range(1, len(g)) if g[i] != g[i - 1]],
            dtype=np.float64,
        )

    @property
    def n_regular(self) -> int:
        """Number of regular (non-missing, non-special) bins."""
        return max(self.groups) + 1 if self.groups else 0

    @property
    def missing_index(self) -> int:
        """Bin index that missing values fall into."""
        return self.n_regular if self.missing_bin is None else self.missing_bin

    @property
    def labels(self) -> tuple[str, ...]:
        """Bin labels: intervals ``[lo, hi)`` or category sets, then Missing and specials."""
        return self._layout[2]

    @property
    def goods(self) -> FloatArray:
        """Good counts per bin (a copy)."""
        return self._layout[0].copy()

    @property
    def bads(self) -> FloatArray:
        """Bad counts per bin (a copy)."""
        return self._layout[1].copy()

    @functools.cached_property
    def _woe(self) -> FloatArray:
        g, b, *_ = self._layout
        w = woe_with_treatment(g, b, self.empty, self.smoothing)
        w.setflags(write=False)
        return w

    @property
    def woe(self) -> FloatArray:
        """WOE per bin (empty bins resolved by the ``empty`` treatment; NaN for ``"error"``)."""
        return self._woe.copy()

    @property
    def iv_terms(self) -> FloatArray:
        """IV contribution per bin."""
        g, b, *_ = self._layout
        return iv_terms(g, b, self.smoothing)

    @property
    def iv(self) -> float:
        """Information value of the feature."""
        return float(self.iv_terms.sum())

    @property
    def gini(self) -> float:
        """Univariate Gini of the WOE (goods above bads), from counts."""
        g, b, *_ = self._layout
        return gini_from_counts(g, b, np.nan_to_num(self._woe, nan=-np.inf))

    @property
    def bins(self) -> tuple[Bin, ...]:
        """The bins as value objects."""
        g, b, labels, gmap, smap = self._layout
        iv = self.iv_terms
        out = []
        for j, lab in enumerate(labels):
            fine = tuple(int(i) for i in np.flatnonzero(gmap == j))
            missing = j == self.missing_index
            specials = tuple(self.fine.specials[s] for s in np.flatnonzero(smap == j))
            out.append(
                Bin(
                    j,
                    lab,
                    fine,
                    missing,
                    specials,
                    float(g[j]),
                    float(b[j]),
                    float(self._woe[j]),
                    float(iv[j]),
                )
            )
        return tuple(out)

    def table(self) -> pd.DataFrame:
        """The binning table: one row per bin and a ``Totals`` row.

        Columns: bin, label, count, share, goods, bads, bad_rate, woe, iv.
        """
        g, b, labels, *_ = self._layout
        n = g + b
        N = float(n.sum())
        df = pd.DataFrame(
            {
                "bin": np.arange(len(labels)),
                "label": list(labels),
                "count": n,
                "share": n / N,
                "goods": g,
                "bads": b,
                "bad_rate": bad_rate(g, b),
                "woe": self._woe,
                "iv": self.iv_terms,
            }
        )
        total = pd.DataFrame(
            {
                "bin": [pd.NA],
                "label": ["Totals"],
                "count": [N],
                "share": [1.0],
                "goods": [g.sum()],
                "bads": [b.sum()],
                "bad_rate": [b.sum() / N],
                "woe": [np.nan],
                "iv": [self.iv],
            }
        )
        out = pd.concat([df, total], ignore_index=True)
        out["bin"] = out["bin"].astype("Int64")
        out.insert(0, "feature", self.name)
        return out

    # --------------------------------------------------------------- transform
    def bin_index(self, x: Any) -> IntArray:
        """Bin index of every value (``-1`` for unseen categories), vectorised."""
        smap = self._layout[4]
        s = x if isinstance(x, pd.Series) else pd.Series(x)
        if self.kind == "numeric":
            if not (pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype)):
                raise DataError(
                    f"column {self.name!r}: expected numbers (the feature was binned as "
                    f"numeric), found dtype {s.dtype}"
                )
            if s.dtype.kind in "iu" and len(s):
                # integers over a small range: bin each distinct value once, then look up
                iv = s.to_numpy()
                lo, hi = int(iv.min()), int(iv.max())
                if hi - lo < LOOKUP_RANGE:
                    table = self._numeric_index(np.arange(lo, hi + 1, dtype=np.float64))
                    looked_up: IntArray = table[iv - lo]
                    return looked_up
            v = np.asarray(s, dtype=np.float64)
            if np.isinf(v).any():
                raise DataError(
                    f"column {self.name!r}: expected finite numbers or NaN, found "
                    f"{int(np.isinf(v).sum())} infinite values"
                )
            return self._numeric_index(v)
        codes, names = categorical_codes(s)
        level_bin = self._level_bins(names, smap)
        out = np.where(codes >= 0, level_bin[np.maximum(codes, 0)], self.missing_index)
        return out.astype(np.int64)

    def _numeric_index(self, v: FloatArray) -> IntArray:
        """Bin index of finite-or-NaN floats: fine class, then group; missing, specials."""
        smap = self._layout[4]
        # regular bins are contiguous runs of fine classes: search the bins' own cut points
        out = np.searchsorted(self._cuts, v, side="right").astype(np.int64)
        out[np.isnan(v)] = self.missing_index
        for k, sp in enumerate(self.fine.specials):
            out[v == sp] = smap[k]
        return out

    def _level_bins(self, names: Sequence[str], smap: IntArray) -> IntArray:
        lookup: dict[str, int] = {}
        for i, grp in enumerate(self.fine.levels):
            for v in grp:
                lookup[v] = self.groups[i]
        for k, sp in enumerate(self.fine.specials):
            lookup[str(sp)] = int(smap[k])
        return np.asarray([lookup.get(nm, -1) for nm in names], dtype=np.int64)

    def unseen_woe(self) -> float:
        """WOE given to unseen categories (the ``empty`` treatment)."""
        if self.empty == "neutral":
            return 0.0
        if self.empty == "worst":
            return float(np.nanmin(self._woe))
        return math.nan

    @functools.cached_property
    def woe_table(self) -> FloatArray:
        """WOE by bin index, then the WOE of unseen categories (read-only).

        ``woe_table[bin_index(x)]`` is the WOE of every value: an unseen category has
        index ``-1``, which picks the last entry.  NaN marks what the ``"error"``
        treatment refuses.
        """
        table = np.append(self._woe, self.unseen_woe())
        table.setflags(write=False)
        return table

    def woe_from_index(self, idx: IntArray, values: Any = None) -> FloatArray:
        """WOE of bin indices (from :meth:`bin_index`); refuses what ``"error"`` refuses.

        ``values`` (the raw values behind ``idx``) only serve the error message.
        """
        out: FloatArray = self.woe_table[idx]
        if self.empty == "error":
            bad = np.isnan(out)
            if bad.any():
                shown = (
                    pd.Series(np.asarray(values, dtype=object)[bad]).unique()[:5].tolist()
                    if values is not None
                    else sorted(set(np.asarray(idx)[bad].tolist()))[:5]
                )
                raise DataError(
                    f"column {self.name!r}: {int(bad.sum())} value(s) fall in an empty bin or "
                    f"are unseen categories (e.g. {shown}) and the feature's treatment is "
                    "'error'"
                )
        return out

    def transform(self, x: Any, metric: Literal["woe", "index", "label"] = "woe") -> Any:
        """Map values to WOE (default), bin index or bin label, vectorised.

        Raises
        ------
        DataError
            With the ``"error"`` treatment, for values in an empty bin or unseen
            categories.
        """
        if metric not in ("woe", "index", "label"):
            raise SpecificationError(
                f"transform: expected metric 'woe', 'index' or 'label', found {metric!r}"
            )
        idx = self.bin_index(x)
        if metric == "index":
            return idx
        if metric == "label":
            labs = np.asarray([*self.labels, "Unseen"], dtype=object)
            return labs[idx]
        return self.woe_from_index(idx, x)

    # ------------------------------------------------------------------- edits
    def _with(self, **changes: Any) -> FeatureBinning:
        return attrs.evolve(self, **changes)

    def merge(self, *bins: int) -> FeatureBinning:
        """Merge regular bins (adjacent ones for numeric features) into one.

        Missing and special bins are moved with :meth:`move_missing` and
        :meth:`move_special` instead.
        """
        k = self.n_regular
        sel = sorted(set(bins))
        if len(sel) < 2:
            raise SpecificationError(f"merge: expected at least two bins, found {list(bins)}")
        if any(not 0 <= b < k for b in sel):
            raise SpecificationError(
                f"feature {self.name!r}: merge takes regular bins 0..{k - 1}, found {sel} "
                "(use move_missing / move_special for the missing and special bins)"
            )
        if self.kind == "numeric" and sel != list(range(sel[0], sel[-1] + 1)):
            raise SpecificationError(
                f"feature {self.name!r}: numeric bins must be adjacent to merge, found {sel}"
            )
        target = sel[0]
        remap = np.arange(k)
        for b in sel[1:]:
            remap[b] = target
        _, remap = np.unique(remap, return_inverse=True)
        return self._remapped(remap)

    def _remapped(self, remap: IntArray) -> FeatureBinning:
        groups = tuple(int(remap[g]) for g in self.groups)
        mb = None if self.missing_bin is None else int(remap[self.missing_bin])
        sb = tuple(None if t is None else int(remap[t]) for t in self.special_bins)
        return self._with(groups=groups, missing_bin=mb, special_bins=sb)

    def split(self, bin: int, at: float | Sequence[str]) -> FeatureBinning:
        """Split a regular bin: at a fine boundary (numeric) or moving levels out (categorical)."""
        k = self.n_regular
        if not 0 <= bin < k:
            raise SpecificationError(
                f"feature {self.name!r}: split takes a regular bin 0..{k - 1}, found {bin}"
            )
        g = np.asarray(self.groups)
        if self.kind == "numeric":
            if isinstance(at, str) or not isinstance(at, int | float):
                raise SpecificationError(
                    f"feature {self.name!r}: expected a number to split at, found {at!r}"
                )
            edges = self.fine.edges
            if at not in edges:
                raise SpecificationError(
                    f"feature {self.name!r}: {at!r} is not a fine-class boundary "
                    f"{list(edges)}; use with_cuts(..., data=...) for arbitrary cut points"
                )
            first = edges.index(at) + 1  # fine class starting at `at`
            if g[first] != bin or g[first - 1] != bin:
                raise SpecificationError(
                    f"feature {self.name!r}: {at!r} is not strictly inside bin {bin} "
                    f"{self.labels[bin]}"
                )
            new = g + (np.arange(g.size) >= first)
            return self._shift_after(new, bin)
        if isinstance(at, int | float):
            raise SpecificationError(
                f"feature {self.name!r}: expected levels to split off, found {at!r}"
            )
        levels = {at} if isinstance(at, str) else {str(v) for v in at}
        in_bin = np.flatnonzero(g == bin)
        moving = [i for i in in_bin if set(self.fine.levels[i]) & levels]
        for i in moving:
            if not set(self.fine.levels[i]) <= levels:
                raise SpecificationError(
                    f"feature {self.name!r}: levels {sorted(self.fine.levels[i])} form one fine "
                    "class and move together; use with_groups(..., data=...) to regroup them"
                )
        found = {v for i in moving for v in self.fine.levels[i]}
        if found != levels:
            raise SpecificationError(
                f"feature {self.name!r}: levels {sorted(levels - found)} are not in bin {bin}"
            )
        if not moving or len(moving) == in_bin.size:
            raise SpecificationError(
                f"feature {self.name!r}: a split must leave both parts non-empty"
            )
        new = g.copy()
        new[moving] = k
        return self._with(groups=tuple(int(v) for v in new))

    def _shift_after(self, new: IntArray, bin: int) -> FeatureBinning:
        def shift(t: int | None) -> int | None:
            return None if t is None else (t + 1 if t > bin else t)

        return self._with(
            groups=tuple(int(v) for v in new),
            missing_bin=shift(self.missing_bin),
            special_bins=tuple(shift(t) for t in self.special_bins),
        )

    def with_cuts(
        self,
        cuts: Sequence[float],
        *,
        data: pd.Series | None = None,
        target: Any = None,
        sample_weight: Any = None,
    ) -> FeatureBinning:
        """Numeric: bins given by explicit cut points (``[c_i, c_{i+1})``).

        Cut points that are fine-class boundaries need no data.  Others need the
        data (``data`` and ``target``): the fine classes are recounted with the
        cut points added as boundaries.
        """
        if self.kind != "numeric":
            raise SpecificationError(
                f"feature {self.name!r}: with_cuts is for numeric features; use with_groups"
            )
        c = sorted({float(v) for v in cuts})
        if any(not math.isfinite(v) for v in c):
            raise SpecificationError(f"feature {self.name!r}: cut points must be finite, found {c}")
        fine = self.fine
        if not set(c) <= set(fine.edges):
            if data is None or target is None:
                extra = sorted(set(c) - set(fine.edges))
                raise SpecificationError(
                    f"feature {self.name!r}: cut points {extra} are not fine-class boundaries; "
                    "pass data= and target= so the counts can be recomputed"
                )
            fine = _recount_numeric(self, data, target, sample_weight, sorted({*fine.edges, *c}))
        edges = np.asarray(fine.edges)
        groups = np.searchsorted(np.asarray(c), np.append(-np.inf, edges), side="right")
        _, groups = np.unique(groups, return_inverse=True)
        k = int(groups.max()) + 1
        return self._with(
            fine=fine,
            groups=tuple(int(v) for v in groups),
            missing_bin=None if self.missing_bin is None else min(self.missing_bin, k - 1),
            special_bins=tuple(None if t is None else min(t, k - 1) for t in self.special_bins),
        )

    def with_groups(
        self,
        groups: Sequence[Sequence[str]],
        *,
        data: pd.Series | None = None,
        target: Any = None,
        sample_weight: Any = None,
    ) -> FeatureBinning:
        """Categorical: bins given as explicit lists of levels (in that order).

        Every level seen in training must be in a group (a level never seen in
        training may be listed, but without counts it is scored as unseen).
        Groups that keep fine classes whole need no data; splitting a fine class
        needs ``data``.
        """
        if self.kind != "categorical":
            raise SpecificationError(
                f"feature {self.name!r}: with_groups is for categorical features; use with_cuts"
            )
        grp = [tuple(str(v) for v in g) for g in groups]
        flat = [v for g in grp for v in g]
        if not grp or any(not g for g in grp) or len(set(flat)) != len(flat):
            raise SpecificationError(
                f"feature {self.name!r}: expected non-empty groups with no level in two groups, "
                f"found {grp}"
            )
        owner = {v: i for i, g in enumerate(grp) for v in g}
        left_out = [v for lv in self.fine.levels for v in lv if v not in owner]
        if left_out:
            more = f" (+{len(left_out) - 10} more)" if len(left_out) > 10 else ""
            raise SpecificationError(
                f"feature {self.name!r}: levels {left_out[:10]}{more} are in no group: every "
                "level seen in training must be placed, so no rows are lost from the counts"
            )
        new_groups: list[int] = []
        keep: list[int] = []
        whole = True
        for i, lv in enumerate(self.fine.levels):
            owners = {owner.get(v) for v in lv}
            if len(owners) > 1:
                whole = False
                break
            o = owners.pop()
            if o is not None:
                keep.append(i)
                new_groups.append(o)
        if whole and set(new_groups) == set(range(len(grp))):
            f = self.fine
            fine = FineClasses(
                kind="categorical",
                edges=(),
                levels=tuple(tuple(v for v in f.levels[i] if v in owner) for i in keep),
                goods=[f.goods[i] for i in keep],
                bads=[f.bads[i] for i in keep],
                missing_goods=f.missing_goods,
                missing_bads=f.missing_bads,
                specials=f.specials,
                special_goods=f.special_goods,
                special_bads=f.special_bads,
            )
            gr = new_groups
        else:
            if data is None or target is None:
                raise SpecificationError(
                    f"feature {self.name!r}: these groups split pooled fine classes or name "
                    "levels without counts; pass data= and target= to recount"
                )
            yy = check_target(target, "target")
            w = (
                None
                if sample_weight is None
                else check_weights(sample_weight, pd.DataFrame({"x": data}))
            )
            codes, names = categorical_codes(data)
            fine = fine_categorical(
                codes,
                names,
                yy,
                w,
                min_count=0.0,
                specials=[str(s) for s in self.fine.specials],
                prior=None,
                groups=grp,
            )
            gr = list(range(len(grp)))
        k = len(grp)
        return self._with(
            fine=fine,
            groups=tuple(gr),
            missing_bin=None if self.missing_bin is None else min(self.missing_bin, k - 1),
            special_bins=tuple(None if t is None else min(t, k - 1) for t in self.special_bins),
        )

    def move_missing(self, to: int | None) -> FeatureBinning:
        """Put missing values into regular bin ``to``, or back into their own bin (``None``)."""
        return self._with(missing_bin=to)

    def move_special(self, code: float | str, to: int | None) -> FeatureBinning:
        """Put a special code into regular bin ``to``, or into its own bin (``None``)."""
        key = code if isinstance(code, str) else float(code)
        if key not in self.fine.specials:
            raise SpecificationError(
                f"feature {self.name!r}: {code!r} is not one of the special codes "
                f"{list(self.fine.specials)}"
            )
        sb = list(self.special_bins)
        sb[self.fine.specials.index(key)] = to
        return self._with(special_bins=tuple(sb))

    # ----------------------------------------------------------- serialization
    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (counts, assignment and, for readers, the table)."""
        return {
            "name": self.name,
            "kind": self.kind,
            "fine": self.fine.to_dict(),
            "groups": list(self.groups),
            "missing_bin": self.missing_bin,
            "special_bins": list(self.special_bins),
            "empty": self.empty,
            "smoothing": self.smoothing,
            "trend": self.trend,
            "bins": [
                {"label": lab, "woe": _json.enc_float(w)}
                for lab, w in zip(self.labels, self._woe, strict=True)
            ],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> FeatureBinning:
        """Inverse of :meth:`to_dict` (the derived ``bins`` entry is ignored and recomputed)."""
        get = functools.partial(_json.get, kind="feature binning")
        try:
            fb = cls(
                name=str(get(d, "name")),
                kind=get(d, "kind"),
                fine=FineClasses.from_dict(get(d, "fine")),
                groups=tuple(int(v) for v in get(d, "groups")),
                missing_bin=get(d, "missing_bin"),
                special_bins=tuple(get(d, "special_bins")),
                empty=get(d, "empty"),
                smoothing=_json.dec_float(get(d, "smoothing")),
                trend=str(get(d, "trend")),
            )
        except (SpecificationError, TypeError, ValueError) as exc:
            if isinstance(exc, SchemaError):
                raise
            raise SchemaError(
                f"feature binning {d.get('name')!r}: invalid content: {exc}"
            ) from None
        return fb


def _recount_numeric(
    fb: FeatureBinning, data: pd.Series, target: Any, sample_weight: Any, edges: Sequence[float]
) -> FineClasses:
    yy = check_target(target, "target")
    x = np.asarray(data, dtype=np.float64)
    if yy.shape[0] != x.shape[0]:
        raise DataError(f"target: expected {x.shape[0]} values, found {yy.shape[0]}")
    w = None if sample_weight is None else check_weights(sample_weight, pd.DataFrame({"x": data}))
    return fine_numeric(
        x, yy, w, n_fine=0, specials=[float(s) for s in fb.fine.specials], edges=edges
    )


def _fit_one(
    x: pd.Series, name: str, y: npt.NDArray[np.int8], w: FloatArray | None, spec: BinningSpec
) -> FeatureBinning:
    kind = feature_kind(x, name) if spec.kind == "auto" else spec.kind
    specials = spec.special_codes
    if kind == "numeric":
        if any(isinstance(s, str) for s in specials):
            raise SpecificationError(
                f"feature {name!r}: numeric feature with string special codes {specials}"
            )
        try:
            v = np.asarray(x, dtype=np.float64)
        except (TypeError, ValueError):
            raise DataError(
                f"column {name!r}: expected numbers (kind='numeric'), found values that are not"
            ) from None
        check_feature(pd.Series(v), name, "numeric", specials)
        fine = fine_numeric(v, y, w, n_fine=spec.n_fine, specials=[float(s) for s in specials])
    else:
        check_feature(x, name, "categorical")
        codes, names = categorical_codes(x)
        total = float(len(x) if w is None else w.sum())
        min_count = max(spec.min_level_count, spec.min_level_share * total)
        fine = fine_categorical(
            codes,
            names,
            y,
            w,
            min_count=min_count,
            specials=[str(s) for s in specials],
            prior=spec.prior,
            n_fine=spec.n_fine,
        )
    trend: str = spec.trend
    if kind == "categorical" and trend == "auto":
        trend = "descending"  # classes are ordered riskiest first: keep the groups monotone
    if spec.optimize:
        starts = optimal_starts(
            np.asarray(fine.goods),
            np.asarray(fine.bads),
            feature=name,
            trend=trend,
            max_bins=spec.max_bins,
            min_bins=spec.min_bins,
            min_bin_share=spec.min_bin_share,
            min_bads=spec.min_bads,
            min_goods=spec.min_goods,
            time_limit=spec.time_limit,
        )
        groups = np.cumsum(np.isin(np.arange(fine.n), starts)) - 1
    else:
        groups = np.arange(fine.n)
    return FeatureBinning(
        name=name,
        kind=kind,
        fine=fine,
        groups=tuple(int(g) for g in groups),
        missing_bin=None,
        special_bins=(None,) * len(fine.specials),
        empty=spec.empty,
        smoothing=spec.smoothing,
        trend=trend,
    )


@attrs.frozen
class Binning(_json.JsonArtifact):
    """The binning of every feature of a frame: a collection of :class:`FeatureBinning`.

    Examples
    --------
    >>> from scorecard.datasets import load_german_credit
    >>> df = load_german_credit()
    >>> b = bin_features(df, "bad", features=["duration_in_month", "purpose"])
    >>> b.names
    ('duration_in_month', 'purpose')
    >>> woe = b.transform(df)
    >>> list(woe.columns)
    ['duration_in_month', 'purpose']
    """

    _KIND = "binning"
    _SCHEMA_VERSION = SCHEMA_VERSION

    features: tuple[FeatureBinning, ...] = attrs.field(converter=_feature_tuple)
    target: str = "bad"

    def __attrs_post_init__(self) -> None:
        names = [f.name for f in self.features]
        if len(set(names)) != len(names):
            raise SpecificationError(f"Binning: expected distinct feature names, found {names}")

    @property
    def names(self) -> tuple[str, ...]:
        """Feature names, in order."""
        return tuple(f.name for f in self.features)

    def __getitem__(self, name: str) -> FeatureBinning:
        for f in self.features:
            if f.name == name:
                return f
        raise KeyError(f"no binning for feature {name!r}; features are {list(self.names)}")

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def __len__(self) -> int:
        return len(self.features)

    def replace(self, binning: FeatureBinning) -> Binning:
        """A new :class:`Binning` with one feature's binning replaced (by name)."""
        if binning.name not in self.names:
            raise KeyError(f"no binning for feature {binning.name!r}")
        return attrs.evolve(
            self, features=tuple(binning if f.name == binning.name else f for f in self.features)
        )

    def select(self, names: Sequence[str]) -> Binning:
        """A new :class:`Binning` with only (and in the order of) ``names``."""
        return attrs.evolve(self, features=tuple(self[n] for n in names))

    @property
    def iv(self) -> pd.Series:
        """IV per feature."""
        return pd.Series({f.name: f.iv for f in self.features}, name="iv", dtype=np.float64)

    def table(self, name: str | None = None) -> pd.DataFrame:
        """Binning table of one feature, or of all features stacked."""
        if name is not None:
            return self[name].table()
        return pd.concat([f.table() for f in self.features], ignore_index=True)

    def transform(
        self, data: pd.DataFrame, metric: Literal["woe", "index", "label"] = "woe"
    ) -> pd.DataFrame:
        """WOE (or bin index / label) of every binned feature; same index as ``data``."""
        check_frame(data)
        check_columns(data, self.names)
        return pd.DataFrame(
            {f.name: f.transform(data[f.name], metric) for f in self.features}, index=data.index
        )

    def bin_indices(self, data: pd.DataFrame) -> dict[str, IntArray]:
        """Bin index of every row, per feature (``-1`` = unseen category).

        Bin the rows once and derive several things from the indices: the WOE
        (:meth:`woe_from_indices`), a scorecard's points (``Scorecard.score_and_pd(data,
        indices)``).
        """
        check_frame(data)
        check_columns(data, self.names)
        return {f.name: f.bin_index(data[f.name]) for f in self.features}

    def woe_from_indices(
        self, indices: Mapping[str, IntArray], index: pd.Index | None = None
    ) -> pd.DataFrame:
        """The WOE frame of :meth:`transform` from bin indices (:meth:`bin_indices`)."""
        return pd.DataFrame(
            {f.name: f.woe_from_index(indices[f.name]) for f in self.features}, index=index
        )

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target, "features": [f.to_dict() for f in self.features]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Binning:
        feats = _json.get(d, "features", "binning")
        if not isinstance(feats, list):
            raise SchemaError("binning: expected 'features' to be a list")
        return cls(
            features=tuple(FeatureBinning.from_dict(f) for f in feats),
            target=str(_json.get(d, "target", "binning")),
        )


def bin_features(
    data: pd.DataFrame,
    target: str,
    *,
    features: Sequence[str] | None = None,
    spec: BinningSpec | None = None,
    specs: Mapping[str, BinningSpec] | None = None,
    sample_weight: Any = None,
    bad_label: Any = None,
) -> Binning:
    """Bin every feature of a frame: fine classing, then optimal coarse classing.

    Parameters
    ----------
    data : DataFrame
        Features and target.
    target : str
        Name of the target column (1 = bad, 0 = good, unless ``bad_label`` says
        which value is bad).
    features : sequence of str, optional
        Columns to bin (default: every column except the target and, if given
        by name, the weight column).
    spec : BinningSpec, optional
        Options for every feature; ``specs`` overrides them per feature.
    sample_weight : str or array-like, optional
        A column name or one non-negative weight per row.

    Returns
    -------
    Binning

    Examples
    --------
    >>> from scorecard.datasets import load_german_credit
    >>> df = load_german_credit()
    >>> b = bin_features(df, "bad", spec=BinningSpec(max_bins=5))
    >>> len(b)
    20
    >>> round(b["status_of_existing_checking_account"].iv, 2)
    0.67
    """
    df = check_frame(data)
    check_columns(df, [target])
    y = check_target(df[target], target, bad_label)
    w = None if sample_weight is None else check_weights(sample_weight, df)
    excluded: set[Hashable] = {target}
    if isinstance(sample_weight, str):
        excluded.add(sample_weight)
    if features is None:
        names = [c for c in df.columns if c not in excluded]
    else:
        names = list(features)
        check_columns(df, names)
        if target in names:
            raise DataError(f"features: the target column {target!r} cannot be a feature")
    if not names:
        raise DataError("features: expected at least one feature column, found none")
    specs = dict(specs or {})
    unknown = set(specs) - set(names)
    if unknown:
        raise SpecificationError(
            f"specs: per-feature specs for columns that are not binned: {sorted(unknown)}"
        )
    base = spec or BinningSpec()
    fitted = [_fit_one(df[n], str(n), y, w, specs.get(str(n), base)) for n in names]
    return Binning(features=tuple(fitted), target=str(target))
