"""One feature's bins: :class:`FeatureBinning` (fine-class counts and their grouping into
bins) and :class:`Bin`; fitting one feature from its values.

A :class:`FeatureBinning` stores the fine-class counts and an *assignment* of
fine classes, missing values and special codes to bins.  Every statistic (bin
counts, WOE, IV, labels) is derived from those counts, so a manual edit
(merge, split, new cut points, moving the missing bin; see
:mod:`scorecard._analyze.edits`) is exact and needs no data, except when new cut
points fall between fine-class boundaries.

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
from collections.abc import Sequence
from typing import Any, Literal, NamedTuple

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard._analyze import edits
from scorecard._analyze.fine import (
    LOOKUP_RANGE,
    FineClasses,
    categorical_codes,
    fine_categorical,
    fine_numeric,
    float_bins,
    float_rule,
)
from scorecard._analyze.optb import TRENDS, keep_distinct, optimal_starts
from scorecard._analyze.spec import BinningSpec
from scorecard._core import artifact as _json
from scorecard._core.arrays import NUMPY, SCALAR, ArrayNamespace
from scorecard._core.fields import (
    instance_of,
    integer,
    is_finite_number,
    is_int,
    number,
    one_of,
    optional,
    string,
    to_integer,
    to_number,
    to_tuple,
    tuple_of,
)
from scorecard._core.stats import (
    DEFAULT_SMOOTHING,
    EMPTY_TREATMENTS,
    EmptyTreatment,
    bad_rate,
    gini_from_counts,
    iv_terms,
    woe_with_treatment,
)
from scorecard._core.types import FloatArray, Int8Array, IntArray
from scorecard._core.validation import (
    Kind,
    _widen,
    check_feature,
    check_target,
    check_weights,
    feature_kind,
    integer_values,
    numeric_values,
    warn_data,
)
from scorecard.exceptions import DataError, SpecificationError

#: More than this share of a batch's values unseen in training draws a DataWarning.  A new
#: level now and then (a new postcode, a new product) is normal and is scored by the
#: feature's stored treatment in silence; when most of a batch's values are unseen, the
#: column's coding differs from training (lower case, codes instead of labels, another
#: column under the name) and the treatment has quietly replaced the characteristic.
UNSEEN_WARNING_SHARE = 0.5


def share_unseen(idx: IntArray) -> float:
    """Share of bin indices that are unseen categories (``-1``): 0.0 for no rows."""
    return float(np.count_nonzero(idx < 0) / idx.size) if idx.size else 0.0


class ValueTables(NamedTuple):
    """What the bin rules of one feature look up, in one array namespace's form."""

    cuts: Any  # the bins' cut points (lower bounds of regular bins 1..k-1), ascending
    specials: tuple[tuple[float, int], ...]  # numeric: (special code, its bin)
    levels: dict[str, int]  # categorical: level name (and special code) -> bin
    missing_index: int


@attrs.frozen
class Bin:
    """One coarse bin of a feature, with its counts and statistics (:attr:`FeatureBinning.bins`).

    Attributes
    ----------
    index : int
        Bin index (what :meth:`FeatureBinning.bin_index` returns for its rows).
    label : str
        ``[lo, hi)`` interval, set of levels, ``Missing`` or ``Special <code>``; members
        merged into a regular bin are listed after ``|``.
    fine : tuple of int
        The fine classes grouped into this bin.
    missing : bool
        Whether missing values fall into this bin.
    specials : tuple
        The special codes that fall into this bin.
    goods, bads : float
        Weighted counts.
    woe, iv : float
        Weight of evidence (NaN for an empty bin with the ``"error"`` treatment) and the
        bin's IV term.

    Examples
    --------
    >>> from scorecard import bin_features
    >>> from scorecard.datasets import load_german_credit
    >>> fb = bin_features(load_german_credit(), "bad", features=["housing"])["housing"]
    >>> b = fb.bins[0]
    >>> b.label, b.count, round(b.woe, 3)
    ("{'for free'}", 108.0, -0.473)
    """

    index: int = attrs.field(converter=to_integer, validator=integer(ge=0))
    label: str = attrs.field(validator=string())
    fine: tuple[int, ...] = attrs.field(
        converter=to_tuple, validator=tuple_of(is_int, "fine-class indices")
    )
    missing: bool = attrs.field(validator=instance_of(bool, what="True or False"))
    specials: tuple[float | str, ...] = attrs.field(
        converter=to_tuple,
        validator=tuple_of(lambda v: isinstance(v, str) or is_finite_number(v), "special codes"),
    )
    goods: float = attrs.field(converter=to_number, validator=number(ge=0))
    bads: float = attrs.field(converter=to_number, validator=number(ge=0))
    woe: float = attrs.field(converter=to_number, validator=number(nan=True))
    iv: float = attrs.field(converter=to_number, validator=number(ge=0))

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
    where = f"FeatureBinning.groups (feature {name!r})"
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
    where = f"FeatureBinning.special_bins (feature {name!r})"
    if len(special_bins) != len(fine.specials):
        raise SpecificationError(
            f"{where}: expected a target for each of {len(fine.specials)} special codes, "
            f"found {len(special_bins)}"
        )
    for what, t in [("missing", missing_bin), *(("special", s) for s in special_bins)]:
        if t is not None and not 0 <= t < k:
            field = "missing_bin" if what == "missing" else "special_bins"
            raise SpecificationError(
                f"FeatureBinning.{field} (feature {name!r}): {what} values can join a "
                f"regular bin 0..{k - 1} or have their own (None), found {t}"
            )


def _is_target(v: Any) -> bool:
    return v is None or is_int(v)


def _int_tuple(values: Any) -> Any:
    values = to_tuple(values)
    return tuple(to_integer(v) for v in values) if isinstance(values, tuple) else values


@attrs.frozen(eq=True)
class FeatureBinning:
    """The binning of one feature: fine-class counts and their grouping into bins.

    Build it with :func:`~scorecard.bin_features` (or :meth:`fit`); change it with the edit
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

    name: str = attrs.field(validator=string())
    kind: Kind = attrs.field(validator=one_of(("numeric", "categorical")))
    fine: FineClasses = attrs.field(validator=instance_of(FineClasses))
    groups: tuple[int, ...] = attrs.field(
        converter=_int_tuple, validator=tuple_of(is_int, "bin numbers (integers)")
    )
    missing_bin: int | None = attrs.field(
        default=None, converter=to_integer, validator=optional(integer(ge=0))
    )
    special_bins: tuple[int | None, ...] = attrs.field(
        default=(), converter=_int_tuple, validator=tuple_of(_is_target, "bin numbers or None")
    )
    empty: EmptyTreatment = attrs.field(default="neutral", validator=one_of(EMPTY_TREATMENTS))
    smoothing: float = attrs.field(
        default=DEFAULT_SMOOTHING, converter=to_number, validator=number(ge=0)
    )
    trend: str = attrs.field(default="auto", validator=one_of(TRENDS))

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
        w = None if sample_weight is None else check_weights(sample_weight, frame, y=yy)
        return fit_feature(x, nm, yy, w, spec)

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
        """Bin index of every value (``-1`` for unseen categories), vectorized.

        Values are read by the value rule (:mod:`scorecard._core.validation`): missing values
        (None, NaN, ``pd.NA``, ``pd.NaT``) go to the Missing bin's index; a numeric feature
        reads real numbers of any dtype as float64; a categorical one names a level by
        ``str(value)``.  When more than :data:`UNSEEN_WARNING_SHARE` of the values are
        categories the binning never saw (and the ``empty`` treatment is not ``"error"``),
        a :class:`~scorecard.exceptions.DataWarning` names the feature and the share.

        Examples
        --------
        >>> import pandas as pd
        >>> from scorecard import bin_features
        >>> from scorecard.datasets import load_german_credit
        >>> fb = bin_features(load_german_credit(), "bad", features=["housing"])["housing"]
        >>> fb.bin_index(pd.Series(["own", None, "castle", "rent"])).tolist()
        [2, 3, -1, 1]
        """
        s = x if isinstance(x, pd.Series) else pd.Series(x)
        idx = self._bin_index(s)
        self._warn_unseen(idx, s)
        return idx

    def _bin_index(self, s: pd.Series) -> IntArray:
        """:meth:`bin_index` without the warning."""
        if self.kind == "numeric":
            ints = integer_values(s)
            if ints is not None and ints.size:
                # integers over a small range: bin each distinct value once, then look up
                # (in int64/uint64: a difference of two values cannot overflow there)
                lo = ints.min()
                span = int(ints.max()) - int(lo)
                if span < LOOKUP_RANGE:
                    values = (np.arange(span + 1, dtype=ints.dtype) + lo).astype(np.float64)
                    looked_up: IntArray = self._numeric_index(values)[ints - lo]
                    return looked_up
            # numpy floats as stored (float16/32 unwidened: :func:`float_rule`)
            f = isinstance(s.dtype, np.dtype) and s.dtype.kind == "f"
            v = s.to_numpy() if f else numeric_values(s, self.name)
            if np.isinf(v).any():
                raise DataError(
                    f"column {self.name!r}: expected finite numbers or NaN, found "
                    f"{int(np.isinf(v).sum())} infinite values"
                )
            return self._float_index(v)
        codes, names = categorical_codes(s)
        # the bin of each level, then the Missing bin at the end: code -1 (missing) picks it
        level_bin = np.append(self._level_bins(names, self._layout[4]), self.missing_index)
        out: IntArray = level_bin[codes]
        return out

    def _warn_unseen(self, idx: IntArray, values: pd.Series) -> None:
        """A DataWarning when more than UNSEEN_WARNING_SHARE of ``idx`` is unseen (-1)."""
        if self.kind != "categorical" or self.empty == "error" or not idx.size:
            return
        unseen = idx < 0
        n = int(np.count_nonzero(unseen))
        if n <= UNSEEN_WARNING_SHARE * idx.size:
            return
        shown = pd.unique(values.to_numpy(dtype=object)[unseen])[:5].tolist()
        known = sorted(lv for grp in self.fine.levels for lv in grp)[:5]
        warn_data(
            f"column {self.name!r}: {n / idx.size:.1%} of the values ({n} of {idx.size} rows) "
            f"are categories unseen in training, e.g. {shown}; they are scored by the "
            f"{self.empty!r} treatment. Expected the training levels, e.g. {known}: check "
            "the column's coding (case, codes instead of labels)"
        )

    def unseen_share(self, x: Any) -> float:
        """Share of the values that are categories unseen in training (0 for numbers)."""
        s = x if isinstance(x, pd.Series) else pd.Series(x)
        return share_unseen(self._bin_index(s))

    def _numeric_index(self, v: FloatArray) -> IntArray:
        """Bin index of finite-or-NaN floats (the numeric bin rule, :meth:`_number_bins`)."""
        out: IntArray = np.asarray(self._number_bins(v, NUMPY), dtype=np.int64)
        return out

    def _float_index(self, v: npt.NDArray[np.floating[Any]]) -> IntArray:
        """:meth:`_number_bins` of finite-or-NaN floats of any precision (:func:`float_bins`)."""
        t = self._rule_tables["scalar"]
        rule = float_rule(tuple(t.cuts), t.specials, v.dtype.str)
        return float_bins(v, *rule, t.missing_index)

    def _level_bins(self, names: Sequence[str], smap: IntArray) -> IntArray:
        """Bin of each level name (the categorical bin rule's table; -1 = unseen)."""
        levels = self._rule_tables["scalar"].levels
        return np.asarray([levels.get(nm, -1) for nm in names], dtype=np.int64)

    # ------------------------------------------------- the bin rules, once for every path
    @functools.cached_property
    def _rule_tables(self) -> dict[str, ValueTables]:
        """The lookup tables of the bin rules, per array namespace (built once: frozen)."""
        smap = self._layout[4]
        specials = tuple(
            (float(code), int(b))
            for code, b in zip(self.fine.specials, smap, strict=True)
            if self.kind == "numeric"
        )
        levels: dict[str, int] = {}
        if self.kind == "categorical":
            for i, grp in enumerate(self.fine.levels):
                for v in grp:
                    levels[v] = self.groups[i]
            for k, sp in enumerate(self.fine.specials):
                levels[str(sp)] = int(smap[k])
        cuts = [float(c) for c in self._cuts] if self.kind == "numeric" else []
        return {
            xp.name: ValueTables(xp.table(cuts), specials, levels, self.missing_index)
            for xp in (NUMPY, SCALAR)
        }

    def _number_bins(self, v: Any, xp: ArrayNamespace) -> Any:
        """The numeric bin rule on finite-or-NaN floats: a float64 array (``NUMPY``) or one
        ``float`` (``SCALAR``).

        A number goes to the regular bin whose interval ``[lo, hi)`` holds it (a value on a
        cut point goes up: the bins' cut points are searched from the right); NaN goes to
        the missing bin; a special code (compared as a float) to its own bin or the bin it
        was moved into.  The batch path (:meth:`_numeric_index`) and the one-record path both
        run it.
        """
        t = self._rule_tables[xp.name]
        out = xp.searchsorted(t.cuts, v, "right")
        out = xp.where(xp.isnan(v), t.missing_index, out)
        for code, b in t.specials:
            out = xp.where(v == code, b, out)
        return out

    def _level_bin(self, level: str) -> int:
        """The categorical bin rule on one level name: its bin, or ``-1`` if unseen.

        The table holds every level seen in training (by the name it had there, ``str`` of
        the value) and each special code (which wins over a level of the same name), as in
        :meth:`_level_bins`.
        """
        return self._rule_tables["scalar"].levels.get(level, -1)

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
        """Map values to WOE (default), bin index or bin label, vectorized.

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
    # The edits live in scorecard._analyze.edits; these methods are their public face.

    def merge(self, *bins: int) -> FeatureBinning:
        """Merge regular bins (adjacent ones for numeric features) into one.

        Missing and special bins are moved with :meth:`move_missing` and
        :meth:`move_special` instead.
        """
        return attrs.evolve(self, **edits.merge(self, *bins))

    def split(self, bin: int, at: float | Sequence[str]) -> FeatureBinning:
        """Split a regular bin: at a fine boundary (numeric) or moving levels out (categorical)."""
        return attrs.evolve(self, **edits.split(self, bin, at))

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
        return attrs.evolve(
            self,
            **edits.with_cuts(self, cuts, data=data, target=target, sample_weight=sample_weight),
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
        return attrs.evolve(
            self,
            **edits.with_groups(
                self, groups, data=data, target=target, sample_weight=sample_weight
            ),
        )

    def move_missing(self, to: int | None) -> FeatureBinning:
        """Put missing values into regular bin ``to``, or back into their own bin (``None``)."""
        return attrs.evolve(self, **edits.move_missing(self, to))

    def move_special(self, code: float | str, to: int | None) -> FeatureBinning:
        """Put a special code into regular bin ``to``, or into its own bin (``None``)."""
        return attrs.evolve(self, **edits.move_special(self, code, to))

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
    def from_dict(cls, d: Any) -> FeatureBinning:
        """Inverse of :meth:`to_dict`; a malformed or inconsistent body raises SchemaError.

        Besides the checks of :class:`FineClasses` and of the class (groups numbered
        ``0..k-1``, contiguous for a numeric feature, missing and special targets among
        the regular bins, known ``empty`` treatment and trend, smoothing >= 0), the
        feature's kind must be that of its fine classes and the ``bins`` written for
        readers must be what the counts and the grouping give: the same labels and WOEs
        (to 1e-9).
        """
        o = _json.Obj(d)
        with _json.within("fine"):
            fine = FineClasses.from_dict(o.raw("fine"))
        kind = o.string("kind")
        _json.check(
            kind == fine.kind,
            ("kind",),
            f"expected the kind of its fine classes, {fine.kind!r}, found {kind!r}",
        )
        fields: dict[str, Any] = {
            "name": o.string("name"),
            "kind": kind,
            "fine": fine,
            "groups": tuple(o.integers("groups")),
            "missing_bin": o.optional_integer("missing_bin"),
            "special_bins": tuple(
                _json.optional(v, _json.integer, "special_bins", i)
                for i, v in enumerate(o.array("special_bins"))
            ),
            "empty": o.string("empty"),
            "smoothing": o.number("smoothing"),
            "trend": o.string("trend"),
        }
        with _json.within():
            fb = cls(**fields)
        try:
            labels, woes = fb.labels, fb._woe
        except DataError as exc:  # e.g. no goods at all, or a pure bin with smoothing 0
            raise _json.FieldError(("fine",), f"invalid counts: {exc}") from None
        bins = o.objects("bins")
        _json.check(
            len(bins) == len(labels),
            ("bins",),
            f"expected {len(labels)} bins (what the groups, missing and special bins give), "
            f"found {len(bins)}",
        )
        for i, (b, label, w) in enumerate(zip(bins, labels, woes, strict=True)):
            with _json.within("bins", i):
                stored_label, stored_woe = b.string("label"), b.number("woe", nonfinite=True)
            _json.check(
                stored_label == label,
                ("bins", i, "label"),
                f"the file has {stored_label!r}, but the fine classes and groups give {label!r}",
            )
            same = (math.isnan(w) and math.isnan(stored_woe)) or math.isclose(
                stored_woe, w, rel_tol=_json.REL_TOL, abs_tol=_json.ABS_TOL
            )
            _json.check(
                same,
                ("bins", i, "woe"),
                f"the file has WOE {stored_woe!r}, but the counts give {float(w)!r}",
            )
        return fb


def fit_feature(
    x: pd.Series, name: str, y: Int8Array, w: FloatArray | None, spec: BinningSpec
) -> FeatureBinning:
    """Bin one validated column: fine classes, then optimal coarse classes (``spec``)."""
    kind = feature_kind(x, name) if spec.kind == "auto" else spec.kind
    specials = spec.special_codes
    if kind == "numeric":
        if any(isinstance(s, str) for s in specials):
            raise SpecificationError(
                f"feature {name!r}: numeric feature with string special codes {specials}"
            )
        v = _numbers(x, name)
        _check_numbers(v, name, [float(s) for s in specials])
        fine = fine_numeric(v, y, w, n_fine=spec.n_fine, specials=[float(s) for s in specials])
    else:
        check_feature(x, name, "categorical")
        codes, names = categorical_codes(x)
        total = float(len(x) if w is None else w.sum())
        fine = categorical_fine(codes, names, y, w, spec, total)
    return coarse_classes(name, kind, fine, spec)


def _numbers(x: pd.Series, name: str) -> npt.NDArray[Any]:
    """A numeric column as :func:`fine_numeric` reads it: numpy floats (up to float64) and
    integers (up to 32 bits, exact as float64) as stored, anything else as float64 by the
    value rule (:func:`~scorecard._core.validation.numeric_values`)."""
    dt = x.dtype
    if isinstance(dt, np.dtype) and (
        (dt.kind == "f" and dt.itemsize <= 8) or (dt.kind in "iu" and dt.itemsize <= 4)
    ):
        out: npt.NDArray[Any] = x.to_numpy()
        return out
    return numeric_values(x, name)


def _check_numbers(v: npt.NDArray[Any], name: str, specials: Sequence[float]) -> None:
    """:func:`check_feature` of a numeric column (:func:`_numbers`), run on a few of its
    values: every infinite one, else the first regular one (neither missing nor a special
    code) and the smallest and largest regular ones, as the decimals they print as."""
    if v.dtype.kind == "f" and np.isinf(v).any():
        sample = v[np.isinf(v)]
    else:
        keep = ~np.isnan(v) if v.dtype.kind == "f" else np.ones(v.shape[0], dtype=np.bool_)
        if v.dtype.kind == "f":
            table = tuple((float(c), k) for k, c in enumerate(specials))
            codes = [c for c, _ in float_rule((), table, v.dtype.str)[1]]
        else:
            codes = [np.float64(c) for c in specials]
        coded = False  # special codes among the values
        for code in codes:
            hit = v == code
            if hit.any():
                keep &= ~hit
                coded = True
        first = int(np.argmax(keep))
        if keep[first]:
            if coded:
                info = np.finfo(v.dtype) if v.dtype.kind == "f" else np.iinfo(v.dtype)
                lo = np.min(v, where=keep, initial=info.max)
                hi = np.max(v, where=keep, initial=info.min)
            else:  # fmin and fmax pass over NaN
                lo, hi = np.fmin.reduce(v), np.fmax.reduce(v)
            sample = np.asarray([v[first], lo, hi], dtype=v.dtype)
        else:
            sample = v[:0]
    if sample.dtype.kind == "f" and sample.dtype.itemsize < 8:
        sample = _widen(sample)
    check_feature(pd.Series(sample.astype(np.float64)), name, "numeric", specials)


def categorical_fine(
    codes: IntArray,
    names: Sequence[str],
    y: Int8Array,
    w: FloatArray | None,
    spec: BinningSpec,
    total: float,
) -> FineClasses:
    """The fine classes of a categorical feature under ``spec`` (``total``: weighted rows).

    The one place the spec's level options reach :func:`fine_categorical`: a column in
    memory and an engine's level counts (:mod:`scorecard.engines`) both come here.
    """
    return fine_categorical(
        codes,
        names,
        y,
        w,
        min_count=level_min_count(spec, total),
        specials=[str(s) for s in spec.special_codes],
        prior=spec.prior,
        n_fine=spec.n_fine,
        distinct_alpha=spec.distinct_alpha,
    )


def level_min_count(spec: BinningSpec, total: float) -> float:
    """The (weighted) count below which a level is rare, for ``total`` rows (weighted)."""
    return max(spec.min_level_count, spec.min_level_share * total)


def coarse_classes(name: str, kind: Kind, fine: FineClasses, spec: BinningSpec) -> FeatureBinning:
    """The binning of one feature from its fine classes: optimal coarse classes (``spec``),
    missing values and each special code in their own bin.

    Counts are all it needs: :func:`fit_feature` gives it the fine classes of a column, an
    engine those of a table (:mod:`scorecard.engines`).
    """
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
            max_pvalue=spec.max_pvalue,
            time_limit=spec.time_limit,
        )
        groups = np.cumsum(np.isin(np.arange(fine.n), starts)) - 1
        groups = keep_distinct(
            np.asarray(fine.goods),
            np.asarray(fine.bads),
            groups,
            ordered=kind == "numeric",
            min_bin_share=spec.min_bin_share,
            alpha=spec.distinct_alpha,
            max_bins=spec.max_bins,
            min_bads=spec.min_bads,
            min_goods=spec.min_goods,
        )
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
