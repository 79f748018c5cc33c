"""Fine classing: one pass per feature from raw values to good/bad counts.

Numeric features get up to ``n_fine`` (weighted) quantile classes whose
boundaries are the *simplest* numbers between two adjacent observed values
(so labels read ``[1200, 2500)``, not ``[1187.3342, ...)``).  Categorical
features get one class per level, with rare levels (weighted count below
``min_count``) pooled into one class, except those whose bad rate differs
significantly from the rest of the pool (:func:`pool_rare`); classes are ordered by
their bad rate
shrunken toward the population rate (empirical Bayes, beta-binomial), so an
ordering never rests on a handful of rows.  Missing values and each special
code are counted apart.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard._core import artifact as _json
from scorecard._core.artifact import enc_float
from scorecard._core.fields import (
    is_count,
    is_finite_number,
    number,
    one_of,
    to_number,
    to_number_tuple,
    to_tuple,
    tuple_of,
)
from scorecard._core.stats import distinct_pvalue
from scorecard._core.types import FloatArray, IntArray
from scorecard._core.validation import Kind, _widen, level_name
from scorecard.exceptions import SpecificationError

#: fine index of rows that are missing / unseen (categorical) in :func:`fine_index`
MISSING = -1
UNSEEN = -2


def _levels(value: Any) -> Any:
    value = to_tuple(value)
    if isinstance(value, tuple) and all(isinstance(g, list | tuple) for g in value):
        return tuple(tuple(g) for g in value)
    return value


def _is_level_group(g: Any) -> bool:
    return isinstance(g, tuple) and all(isinstance(v, str) for v in g)


def _is_special(v: Any) -> bool:
    return isinstance(v, str) or is_finite_number(v)


@attrs.frozen
class FineClasses:
    """Counts per fine class of one feature: the currency of every later step.

    Attributes
    ----------
    kind : {"numeric", "categorical"}
    edges : tuple of float
        Numeric: the interior boundaries; class ``i`` is ``[edges[i-1], edges[i])``
        with ``-inf`` and ``+inf`` at the ends.  Empty for categorical features.
    levels : tuple of tuple of str
        Categorical: the levels in each class, classes ordered by shrunken bad
        rate (riskiest first).  Empty for numeric features.
    goods, bads : tuple of float
        Weighted good and bad counts per class.
    missing_goods, missing_bads : float
        Counts of missing values.
    specials : tuple
        Special codes (numbers for numeric features, strings for categorical).
    special_goods, special_bads : tuple of float
        Counts per special code.

    Examples
    --------
    >>> from scorecard import bin_features
    >>> from scorecard.datasets import load_german_credit
    >>> fine = bin_features(load_german_credit(), "bad", features=["age_in_years"])[
    ...     "age_in_years"].fine
    >>> fine.kind, fine.n == len(fine.edges) + 1, sum(fine.goods) + sum(fine.bads)
    ('numeric', True, 1000.0)
    """

    kind: Kind = attrs.field(validator=one_of(("numeric", "categorical")))
    edges: tuple[float, ...] = attrs.field(
        converter=to_number_tuple, validator=tuple_of(is_finite_number, "finite numbers")
    )
    levels: tuple[tuple[str, ...], ...] = attrs.field(
        converter=_levels, validator=tuple_of(_is_level_group, "groups of level names")
    )
    goods: tuple[float, ...] = attrs.field(
        converter=to_number_tuple, validator=tuple_of(is_count, "counts >= 0")
    )
    bads: tuple[float, ...] = attrs.field(
        converter=to_number_tuple, validator=tuple_of(is_count, "counts >= 0")
    )
    missing_goods: float = attrs.field(converter=to_number, validator=number(ge=0))
    missing_bads: float = attrs.field(converter=to_number, validator=number(ge=0))
    specials: tuple[float | str, ...] = attrs.field(
        converter=to_number_tuple, validator=tuple_of(_is_special, "numbers or strings")
    )
    special_goods: tuple[float, ...] = attrs.field(
        converter=to_number_tuple, validator=tuple_of(is_count, "counts >= 0")
    )
    special_bads: tuple[float, ...] = attrs.field(
        converter=to_number_tuple, validator=tuple_of(is_count, "counts >= 0")
    )

    def __attrs_post_init__(self) -> None:
        def bad(field: str, expected: str, found: Any) -> SpecificationError:
            return SpecificationError(f"FineClasses.{field}: expected {expected}, found {found}")

        if any(b <= a for a, b in itertools.pairwise(self.edges)):
            raise bad("edges", "strictly increasing boundaries", list(self.edges))
        n = len(self.edges) + 1 if self.kind == "numeric" else len(self.levels)
        if self.kind == "numeric" and self.levels:
            raise bad("levels", "none for a numeric feature", f"{len(self.levels)} groups")
        if self.kind == "categorical" and self.edges:
            raise bad("edges", "none for a categorical feature", f"{len(self.edges)} edges")
        for field in ("goods", "bads"):
            if len(getattr(self, field)) != n:
                raise bad(field, f"{n} counts (one per class)", len(getattr(self, field)))
        for field in ("special_goods", "special_bads"):
            if len(getattr(self, field)) != len(self.specials):
                raise bad(
                    field, f"{len(self.specials)} counts (one per code)", len(getattr(self, field))
                )
        if len(set(self.specials)) != len(self.specials):
            raise bad("specials", "distinct codes", list(self.specials))

    @property
    def n(self) -> int:
        """Number of (regular) fine classes."""
        return len(self.goods)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "edges": list(self.edges),
            "levels": [list(g) for g in self.levels],
            "goods": list(self.goods),
            "bads": list(self.bads),
            "missing": [self.missing_goods, self.missing_bads],
            "specials": [
                {"value": s if isinstance(s, str) else enc_float(s), "goods": g, "bads": b}
                for s, g, b in zip(
                    self.specials, self.special_goods, self.special_bads, strict=True
                )
            ],
        }

    @classmethod
    def from_dict(cls, d: Any) -> FineClasses:
        """Inverse of :meth:`to_dict`; a malformed or inconsistent body raises SchemaError.

        Besides the checks of the class (edges finite and strictly increasing, counts
        finite and >= 0, one count per class and per special code, distinct codes), a
        categorical level must belong to one class only, special codes must be strings
        for a categorical feature and numbers for a numeric one, and the counts must add
        up to a finite total.
        """
        o = _json.Obj(d)
        name = o.string("kind")
        kind: Kind = "numeric" if name == "numeric" else "categorical"
        _json.check(
            name == kind,
            ("kind",),
            f"expected 'numeric' or 'categorical', found {name!r}",
        )
        levels = [
            _json.items(g, _json.string, "levels", i) for i, g in enumerate(o.array("levels"))
        ]
        seen: dict[str, int] = {}
        for i, group in enumerate(levels):
            for j, level in enumerate(group):
                _json.check(
                    level not in seen,
                    ("levels", i, j),
                    f"expected each level in one class only, found {level!r} in "
                    f"classes {seen.get(level)} and {i}",
                )
                seen[level] = i
        missing = o.numbers("missing")
        _json.check(
            len(missing) == 2,
            ("missing",),
            f"expected [goods, bads] of the missing values, found {len(missing)} numbers",
        )
        values: list[float | str] = []
        special_goods, special_bads = [], []
        for i, sp in enumerate(o.objects("specials")):
            with _json.within("specials", i):
                values.append(sp.string("value") if kind == "categorical" else sp.number("value"))
                special_goods.append(sp.number("goods"))
                special_bads.append(sp.number("bads"))
        goods, bads = o.numbers("goods"), o.numbers("bads")
        with np.errstate(over="ignore", invalid="ignore"):
            total = float(np.sum([*goods, *bads, *missing, *special_goods, *special_bads]))
        _json.check(
            math.isfinite(total),
            ("goods",),
            "expected counts that add up to a finite total, found an overflow",
        )
        edges = o.numbers("edges")
        with _json.within():
            return cls(
                kind=kind,
                edges=edges,
                levels=tuple(tuple(g) for g in levels),
                goods=goods,
                bads=bads,
                missing_goods=missing[0],
                missing_bads=missing[1],
                specials=tuple(values),
                special_goods=special_goods,
                special_bads=special_bads,
            )


def _simplest_between(lo: float, hi: float) -> float:
    """The number with fewest significant digits in ``(lo, hi]`` (``hi`` itself at worst)."""
    for digits in range(1, 16):
        cand = float(f"{hi:.{digits}g}")
        if lo < cand <= hi:
            return cand
    return hi


def numeric_edges(
    x: npt.NDArray[np.floating[Any]], w: FloatArray | None, n_fine: int, *, own: bool = False
) -> tuple[float, ...]:
    """Weighted-quantile boundaries of ``x`` (no NaN, no specials), simplest numbers.

    Floats of any precision: float16/float32 values are sorted as stored (their order is
    that of the decimals they print as) and only the quantiles are widened.  ``own``: ``x``
    is a copy of the caller's that may be sorted in place (no second copy).
    """
    if w is None:
        if own:
            x.sort()
        xs = x if own else np.sort(x)
        pos = quantile_positions(xs.size, n_fine)  # the cumulative counts' search, computed
    else:
        pos_w = w > 0  # rows of weight 0 do not exist for the quantiles
        x, w = x[pos_w], w[pos_w]
        if x.size == 0:
            return ()
        order = np.argsort(x, kind="stable")
        xs = x[order]
        cw = np.cumsum(w[order])
        targets = cw[-1] * np.arange(1, n_fine) / n_fine
        pos = np.searchsorted(cw, targets, side="left")  # the weighted quantile values
    q = np.unique(xs[np.minimum(pos, xs.size - 1)])
    nxt = np.searchsorted(xs, q, side="right")  # first value above each quantile
    ok = nxt < xs.size
    lo, hi = q[ok].astype(np.float64), xs[nxt[ok]].astype(np.float64)
    if q.dtype.kind == "f" and q.dtype.itemsize < 8:  # narrow floats: as they print
        lo, hi = _widen(q[ok]), _widen(xs[nxt[ok]])
    return edges_between(lo, hi)


def quantile_positions(total: int, n_fine: int) -> IntArray:
    """Where :func:`numeric_edges` takes its quantiles among ``total`` sorted values (unit
    weights): 0-based positions, ascending, possibly repeated.

    The ``k``-th quantile is the value at rank ``ceil(total * k / n_fine)`` (1-based), the
    first value whose cumulative count reaches the target: what ``numeric_edges`` finds
    by ``searchsorted`` on the cumulative counts, computed without them, so an engine can
    be asked for exactly these values (see :mod:`scorecard.engines`).

    Examples
    --------
    >>> quantile_positions(10, 4).tolist()
    [2, 4, 7]
    >>> x = np.arange(10.0) * 1.5
    >>> [float(x[p]) for p in quantile_positions(10, 4)], numeric_edges(x, None, 4)
    ([3.0, 6.0, 10.5], (4.0, 7.5, 12.0))
    """
    targets = float(total) * np.arange(1, n_fine) / n_fine
    pos: IntArray = np.minimum(np.ceil(targets).astype(np.int64) - 1, total - 1)
    return pos


def edges_between(lo_vals: FloatArray, hi_vals: FloatArray) -> tuple[float, ...]:
    """Fine-class boundaries: for each quantile value ``lo`` and the first observed value
    ``hi`` above it, the simplest number in ``(lo, hi]``; sorted, distinct."""
    if hi_vals.size == 0:
        return ()
    return tuple(
        sorted(
            {_simplest_between(float(a), float(b)) for a, b in zip(lo_vals, hi_vals, strict=True)}
        )
    )


#: up to this many cut points, a number's bin is found by comparisons, else by a search
FEW_CUTS = 32


def _float_rule(
    cuts: tuple[float, ...], specials: tuple[tuple[float, int], ...], dtype: str
) -> tuple[npt.NDArray[Any], tuple[tuple[Any, int], ...]]:
    """The numeric bin rule's cut points and special codes in a float ``dtype``.

    A float16/float32 value reads as the decimal it prints as (``_widen``), which is
    increasing in the value: ``widen(x) >= cut`` exactly when ``x >= t``, ``t`` the
    smallest value of the dtype whose decimal is at least ``cut``; and ``widen(x) == code``
    exactly when ``x`` is the value of the dtype nearest ``code`` and prints as ``code``.
    Comparing the stored values with these gives the bins of the widened values without
    widening every row.

    Examples
    --------
    >>> t, sp = float_rule((0.35,), ((-1.0, 2),), "<f4")
    >>> t.dtype, float(t[0]) < 0.35, sp
    (dtype('float32'), True, ((np.float32(-1.0), 2),))
    """
    dt = np.dtype(dtype)
    c = np.asarray(cuts, dtype=np.float64)
    if dt.itemsize >= 8:
        return c, specials
    with np.errstate(over="ignore"):
        near = c.astype(dt)
        up = np.nextafter(near, np.asarray(np.inf, dtype=dt))
        ok = np.isfinite(near) & (_widen(near) >= c)
        t = np.where(ok, near, up)  # a cut beyond the dtype's range: +-inf, as it should
        codes = np.asarray([code for code, _ in specials], dtype=np.float64).astype(dt)
    found = tuple(
        (codes[k], b)
        for k, (code, b) in enumerate(specials)
        if np.isfinite(codes[k]) and float(_widen(codes[k : k + 1])[0]) == code
    )
    return t.astype(dt), found


#: :func:`_float_rule`, cached (a card scores batch after batch with the same rules)
float_rule = functools.lru_cache(maxsize=4096)(_float_rule)


def float_bins(
    v: npt.NDArray[np.floating[Any]],
    cuts: npt.NDArray[Any],
    specials: tuple[tuple[Any, int], ...],
    missing: int,
) -> IntArray:
    """The numeric bin rule on finite-or-NaN floats (cut points and codes from
    :func:`float_rule`), vectorized.

    Up to :data:`FEW_CUTS` cut points are counted by comparisons (``x >= cut``, one pass
    each): what ``searchsorted(cuts, x, "right")`` returns for a number, in a fraction of
    its time; more are searched.
    """
    if cuts.size <= FEW_CUTS:
        count = np.zeros(v.shape[0], dtype=np.uint8)  # a narrow count: a quarter of the memory
        above = np.empty(v.shape[0], dtype=np.bool_)
        for c in cuts:
            np.greater_equal(v, c, out=above)
            count += above.view(np.uint8)
        out = count.astype(np.int64)
    else:
        out = np.searchsorted(cuts, v, side="right").astype(np.int64)
    out[np.isnan(v)] = missing
    for code, b in specials:
        out[v == code] = b
    return out


def _counts(
    idx: IntArray, y: npt.NDArray[np.int8], w: FloatArray | None, m: int
) -> tuple[FloatArray, FloatArray]:
    if w is None:  # y is 0/1: the bad rows' classes counted
        tot = np.bincount(idx, minlength=m).astype(np.float64)
        bad = np.bincount(idx[y.view(np.bool_)], minlength=m).astype(np.float64)
    else:
        tot = np.bincount(idx, weights=w, minlength=m).astype(np.float64)
        bad = np.bincount(idx, weights=w * y, minlength=m).astype(np.float64)
    return tot - bad, bad


#: rows per block where a column is read in blocks (small temporaries, same counts)
BLOCK = 1 << 15


def _class_counts(
    classes: Callable[[int, int], IntArray],
    n: int,
    y: npt.NDArray[np.int8],
    w: FloatArray | None,
    m: int,
) -> tuple[FloatArray, FloatArray]:
    """Goods and bads of ``m`` classes, ``classes(lo, hi)`` giving the class of rows
    ``lo..hi-1``: unweighted counts block by block (integers: the same sums), weighted
    ones in one pass (the same sums in the same order)."""
    if w is not None:
        return _counts(classes(0, n), y, w, m)
    tot = np.zeros(m, dtype=np.int64)
    bad = np.zeros(m, dtype=np.int64)
    for lo in range(0, n, BLOCK):
        hi = min(lo + BLOCK, n)
        idx = classes(lo, hi)
        tot += np.bincount(idx, minlength=m)
        bad += np.bincount(idx[y[lo:hi].view(np.bool_)], minlength=m)
        del idx  # before the next block's
    goods: FloatArray = (tot - bad).astype(np.float64)
    return goods, bad.astype(np.float64)


def _integral(x: npt.NDArray[np.floating[Any]]) -> bool:
    """Whether every value of ``x`` (no NaN) is an integer, block by block."""
    return all(
        np.array_equal(b, np.round(b))
        for b in (x[lo : lo + BLOCK] for lo in range(0, x.size, BLOCK))
    )


def fine_numeric(
    x: npt.NDArray[np.floating[Any]],
    y: npt.NDArray[np.int8],
    w: FloatArray | None,
    *,
    n_fine: int,
    specials: Sequence[float],
    edges: Sequence[float] | None = None,
) -> FineClasses:
    """Fine classes of a numeric feature (``edges`` given: count only).

    ``x``: integers (up to 32 bits), or finite-or-NaN floats of any precision;
    float16/float32 values read as the
    decimals they print as (the value rule) without widening every row: their order is
    the decimals' order, the quantiles are widened, and each value's class is found with
    the boundaries in its own dtype (:func:`float_rule`).  Integer-valued data over a
    small range is first reduced to one row per distinct value (a group-by); the classes
    are the same, only faster.
    """
    if x.dtype.kind in "iu":  # integers up to 32 bits: exact as float64
        if x.size:
            lo_i, hi_i = int(x.min()), int(x.max())
            if _lookup(hi_i - lo_i, x, w):
                vals = lo_i + np.arange(hi_i - lo_i + 1, dtype=np.float64)
                g, b = _class_counts(
                    lambda a, z: np.subtract(x[a:z], lo_i, dtype=np.int64), x.size, y, w, vals.size
                )
                keep = (g + b) > 0
                return _fine_from_counts(vals[keep], g[keep], b[keep], n_fine, specials, edges)
    elif x.size and not np.isnan(x).any():
        lo, hi = float(x.min()), float(x.max())
        # a narrow float prints as itself when it is an integer its dtype holds exactly
        exact = x.dtype.itemsize >= 8 or max(-lo, hi) < 2.0 ** (np.finfo(x.dtype).nmant + 1)
        if exact and np.isfinite(lo + hi) and _lookup(hi - lo, x, w) and _integral(x):
            low = x.dtype.type(lo)
            vals = lo + np.arange(int(hi - lo) + 1, dtype=np.float64)
            g, b = _class_counts(
                lambda a, z: (x[a:z] - low).astype(np.int64), x.size, y, w, vals.size
            )
            keep = (g + b) > 0
            return _fine_from_counts(vals[keep], g[keep], b[keep], n_fine, specials, edges)
    return _fine_from_rows(x, y, w, n_fine, specials, edges)


def _lookup(span: float, x: npt.NDArray[Any], w: FloatArray | None) -> bool:
    """Whether integer data spanning ``span`` is counted per distinct value: under
    :data:`LOOKUP_RANGE`, and (unweighted) when its tables of ``span`` counts take no more
    memory than a copy of the rows (the classes and counts are the same either way)."""
    return span < LOOKUP_RANGE and (w is not None or 64 * (span + 1) <= x.size * x.dtype.itemsize)


#: integer data spanning fewer values than this is counted per distinct value
LOOKUP_RANGE = 1 << 20


def _fine_from_rows(
    x: npt.NDArray[Any],
    y: npt.NDArray[np.int8],
    w: FloatArray | None,
    n_fine: int,
    specials: Sequence[float],
    edges: Sequence[float] | None,
) -> FineClasses:
    spec_vals = np.asarray(specials, dtype=np.float64)
    # each special code as the value of x's dtype that reads as it (none: no row is it);
    # integers (up to 32 bits) compare with float64 boundaries and codes exactly
    rule_dtype = x.dtype.str if x.dtype.kind == "f" else "<f8"
    _, codes = _float_rule((), tuple((float(c), k) for k, c in enumerate(spec_vals)), rule_dtype)
    if edges is None and w is None and x.dtype.kind == "f":
        edges = _edges_low_memory(x, [c for c, _ in codes], n_fine)
    elif edges is None:
        regular = ~np.isnan(x)
        for code, _k in codes:
            regular &= x != code
        values = x[regular]
        edges = numeric_edges(values, None if w is None else w[regular], n_fine, own=True)
        del regular, values
    e = np.asarray(edges, dtype=np.float64)
    m = e.size + 1
    cuts, found = _float_rule(  # once per fit: not kept in the cache of the scoring paths
        tuple(float(v) for v in e), tuple((c, m + 1 + k) for c, k in codes), rule_dtype
    )
    g, b = _class_counts(
        lambda a, z: float_bins(x[a:z], cuts, found, m), x.size, y, w, m + 1 + spec_vals.size
    )
    return _numeric_classes(e, spec_vals, g, b)


#: rows per block where the regular values of a column are copied
_COPY_BLOCK = 1 << 13


def _regular_keys(x: npt.NDArray[Any], codes: Sequence[Any], dtype: Any) -> npt.NDArray[Any]:
    """The values of ``x`` that are neither NaN nor a special code, in ``dtype``, copied
    block by block (no row-long mask)."""

    def keep(a: int) -> npt.NDArray[np.bool_]:
        b = x[a : a + _COPY_BLOCK]
        out: npt.NDArray[np.bool_] = ~np.isnan(b)
        for code in codes:
            out &= b != code
        return out

    blocks = range(0, x.size, _COPY_BLOCK)
    out = np.empty(sum(int(np.count_nonzero(keep(a))) for a in blocks), dtype=dtype)
    at = 0
    with np.errstate(over="ignore"):  # float64 beyond float32's range: +-inf keys, in order
        for a in blocks:
            part = x[a : a + _COPY_BLOCK][keep(a)]
            out[at : at + part.size] = part
            at += part.size
            del part
    return out


def _edges_low_memory(
    x: npt.NDArray[np.floating[Any]], codes: Sequence[Any], n_fine: int
) -> tuple[float, ...]:
    """:func:`numeric_edges` of the regular values of ``x`` (unweighted) without a
    float64 copy of them: the same boundaries.

    float16/float32 values are copied and sorted as they are.  float64 values are sorted
    as float32 keys (rounding is non-decreasing, so the value at a rank has the key at that
    rank, and is found among the values with that key); the values with the keys of the
    quantiles and of the keys after them are then read in one pass, as distinct values.

    A column with zeros of both signs takes the float64 copy (widened) and its sort:
    ``-0.0`` and ``0.0`` are equal, and which of them a boundary is drawn from is the
    sort's arrangement of equal values, kept as it was.
    """
    keys = _regular_keys(x, codes, x.dtype if x.dtype.itemsize < 8 else np.float32)
    keys.sort()
    zeros = keys[np.searchsorted(keys, 0.0, "left") : np.searchsorted(keys, 0.0, "right")]
    if zeros.size and np.signbit(zeros).any() and not np.signbit(zeros).all():
        del keys, zeros
        regular = ~np.isnan(x)
        for code in codes:
            regular &= x != code
        wide = _widen(x[regular]) if x.dtype.itemsize < 8 else x[regular]
        return numeric_edges(wide, None, n_fine, own=True)
    del zeros
    if x.dtype.itemsize < 8:
        return numeric_edges(keys, None, n_fine, own=True)
    n = keys.size
    if n == 0:
        return ()
    pos = np.unique(quantile_positions(n, n_fine))
    if pos.size == 0:  # one class
        return ()
    key = keys[pos]
    first = np.searchsorted(keys, key, side="left")  # rank of each key's smallest value
    after = np.searchsorted(keys, key, side="right")
    nxt = keys[np.minimum(after, n - 1)]  # the key after (if any)
    wanted = np.unique(np.concatenate([key, nxt]))
    del keys
    # the distinct values with each wanted key and their rows, block by block
    parts: list[tuple[npt.NDArray[np.intp], FloatArray, IntArray]] = []
    for a in range(0, x.size, _COPY_BLOCK):
        b = x[a : a + _COPY_BLOCK]
        ok = ~np.isnan(b)
        for code in codes:
            ok &= b != code
        with np.errstate(over="ignore"):
            k = b.astype(np.float32)
        at = np.minimum(np.searchsorted(wanted, k), wanted.size - 1)
        ok &= wanted[at] == k
        parts.append(_distinct(at[ok], b[ok], np.ones(int(ok.sum()), dtype=np.int64)))
    g_of, v_of, counts = _distinct(*(np.concatenate(c) for c in zip(*parts, strict=True)))
    del parts
    lo_vals, hi_vals = [], []
    for i in range(pos.size):
        sel = np.flatnonzero(g_of == np.searchsorted(wanted, key[i]))  # by value
        j = int(np.searchsorted(np.cumsum(counts[sel]), pos[i] - first[i], side="right"))
        if j + 1 < sel.size:  # the next value has the same key
            hi = v_of[sel[j + 1]]
        elif after[i] < n:  # the smallest value of the next key
            hi = v_of[np.flatnonzero(g_of == np.searchsorted(wanted, nxt[i]))[0]]
        else:
            continue  # the largest value: no boundary above it
        lo_vals.append(v_of[sel[j]])
        hi_vals.append(hi)
    if not lo_vals:
        return ()
    lo_a, hi_a = np.asarray(lo_vals), np.asarray(hi_vals)
    distinct = np.r_[True, lo_a[1:] != lo_a[:-1]]  # quantiles that are the same value: once
    return edges_between(lo_a[distinct], hi_a[distinct])


def _distinct(
    group: npt.NDArray[np.intp], vals: FloatArray, counts: IntArray
) -> tuple[npt.NDArray[np.intp], FloatArray, IntArray]:
    """Distinct (group, value) pairs, sorted by group then value, with their summed counts
    (values compared as numbers)."""
    if group.size == 0:
        return group, vals, counts
    order = np.lexsort((vals, group))
    group, vals, counts = group[order], vals[order], counts[order]
    new = np.r_[True, (group[1:] != group[:-1]) | (vals[1:] != vals[:-1])]
    starts = np.flatnonzero(new)
    return group[starts], vals[starts], np.add.reduceat(counts, starts)


def _fine_from_counts(
    vals: FloatArray,
    goods: FloatArray,
    bads: FloatArray,
    n_fine: int,
    specials: Sequence[float],
    edges: Sequence[float] | None,
    missing: tuple[float, float] = (0.0, 0.0),
) -> FineClasses:
    """The same classes from one row per distinct value with its counts (no missing: their
    goods and bads are ``missing``).

    With ``edges`` given, a row may stand for several values of one class (an engine's
    counts per quantile bucket; see :func:`fine_numeric_from_counts`).
    """
    spec_vals = np.asarray(specials, dtype=np.float64)
    regular = ~np.isin(vals, spec_vals) if spec_vals.size else np.ones(vals.size, dtype=bool)
    if edges is None:
        edges = numeric_edges(vals[regular], (goods + bads)[regular], n_fine)
    e = np.asarray(edges, dtype=np.float64)
    idx, m = _class_index(vals, e, np.zeros(vals.size, dtype=bool), spec_vals)
    size = m + 1 + spec_vals.size
    g = np.bincount(idx, weights=goods, minlength=size).astype(np.float64)
    b = np.bincount(idx, weights=bads, minlength=size).astype(np.float64)
    g[m] += missing[0]
    b[m] += missing[1]
    return _numeric_classes(e, spec_vals, g, b)


def fine_numeric_from_counts(
    vals: FloatArray,
    goods: FloatArray,
    bads: FloatArray,
    *,
    specials: Sequence[float],
    edges: Sequence[float],
    missing: tuple[float, float],
) -> FineClasses:
    """Fine classes of a numeric feature from counts an engine computed: rows of a value
    (any value of its class: a quantile bucket's smallest, or a special code) with their
    good and bad counts, the boundaries, and the counts of missing values."""
    return _fine_from_counts(
        np.asarray(vals, dtype=np.float64),
        np.asarray(goods, dtype=np.float64),
        np.asarray(bads, dtype=np.float64),
        len(edges) + 1,
        specials,
        edges,
        missing,
    )


def _class_index(
    x: FloatArray, e: FloatArray, miss: npt.NDArray[np.bool_], spec_vals: FloatArray
) -> tuple[IntArray, int]:
    """Class of every value: regular classes 0..m-1, missing m, specials m+1.."""
    m = e.size + 1
    idx = np.searchsorted(e, x, side="right").astype(np.int64)
    idx[miss] = m
    for k, s in enumerate(spec_vals):
        idx[x == s] = m + 1 + k
    return idx, m


def _numeric_classes(
    e: FloatArray, spec_vals: FloatArray, g: FloatArray, b: FloatArray
) -> FineClasses:
    m = e.size + 1
    return FineClasses(
        kind="numeric",
        edges=tuple(float(v) for v in e),
        levels=(),
        goods=g[:m],
        bads=b[:m],
        missing_goods=g[m],
        missing_bads=b[m],
        specials=tuple(float(s) for s in spec_vals),
        special_goods=g[m + 1 :],
        special_bads=b[m + 1 :],
    )


def categorical_codes(s: pd.Series) -> tuple[IntArray, list[str]]:
    """Integer codes (-1 for missing) and the level names of a column (:func:`level_name`)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes = s.cat.codes.to_numpy().astype(np.int64)
        names = [level_name(c) for c in s.cat.categories]
    else:
        c, uniques = pd.factorize(s, use_na_sentinel=True)
        codes = c.astype(np.int64)
        names = [level_name(u) for u in uniques]
    # two categories may name the same level (e.g. 1 and "1", 1 and 1.0): merge them
    if len(set(names)) != len(names):
        uniq, inv = np.unique(np.asarray(names, dtype=object), return_inverse=True)
        codes = np.where(codes >= 0, inv[np.maximum(codes, 0)], -1)
        names = [str(u) for u in uniq]
    return codes, names


def shrunken_rates(goods: FloatArray, bads: FloatArray, prior: float | None) -> FloatArray:
    """Bad rates shrunk toward the population rate (empirical Bayes).

    ``rate_j = (bads_j + m * p) / (n_j + m)`` with ``p`` the population bad rate
    and ``m`` the prior strength: given, or estimated by the method of moments
    of a beta-binomial model, ``m = p (1 - p) / tau^2 - 1`` where ``tau^2`` is the
    between-level variance of the true rates (observed variance minus the mean
    binomial sampling variance).
    """
    n = goods + bads
    p = bads.sum() / n.sum()
    if prior is None:
        ok = n > 0
        r = bads[ok] / n[ok]
        wts = n[ok] / n[ok].sum()
        observed = float(np.sum(wts * (r - p) ** 2))
        sampling = float(np.sum(wts * p * (1 - p) / n[ok]))
        tau2 = observed - sampling
        prior = 1e6 if tau2 <= 1e-12 else max(p * (1 - p) / tau2 - 1.0, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out: FloatArray = (bads + prior * p) / (n + prior)
    return np.where(n + prior > 0, out, p)


def pool_rare(goods: FloatArray, bads: FloatArray, alpha: float | None) -> IntArray:
    """Positions of the rare levels that are pooled; the others keep a class of their own.

    A rare level joins the pool of rare levels unless its bad count says it differs from
    them: while the most distinct level of the pool differs from the rest of the pool at
    ``p < alpha / k`` (:func:`~scorecard._core.stats.distinct_pvalue`, ``k`` the number of
    rare levels: a Bonferroni correction), it leaves the pool.  ``alpha=None`` pools
    every rare level.

    Examples
    --------
    >>> import numpy as np
    >>> pool_rare(np.array([30.0, 28, 2, 33]), np.array([4.0, 3, 40, 5]), 0.01).tolist()
    [0, 1, 3]
    """
    pool = np.arange(goods.size)
    if alpha is None:
        return pool
    k = goods.size
    while pool.size > 1:
        pg, pb = goods[pool], bads[pool]
        p = distinct_pvalue(pg, pb, pg.sum() - pg, pb.sum() - pb)
        i = int(np.argmin(p))
        if not p[i] < alpha / k:
            break
        pool = np.delete(pool, i)
    return pool


def fine_categorical(
    codes: IntArray,
    names: Sequence[str],
    y: npt.NDArray[np.int8],
    w: FloatArray | None,
    *,
    min_count: float,
    specials: Sequence[str],
    prior: float | None,
    n_fine: int | None = None,
    groups: Sequence[Sequence[str]] | None = None,
    distinct_alpha: float | None = None,
) -> FineClasses:
    """Fine classes of a categorical feature.

    Rare levels are pooled into one class, except those that differ significantly from
    the rest of the pool (:func:`pool_rare` at ``distinct_alpha``; ``None`` pools every
    rare level); classes are sorted riskiest first by
    :func:`shrunken_rates`; with more than ``n_fine`` classes, adjacent classes (in
    that order) are joined into at most ``n_fine`` runs of about equal weight.
    With ``groups`` given, those are the classes (in that order); a level of the
    data in no group is an error.
    """
    L = len(names)
    spec_pos = {s: i for i, s in enumerate(specials)}
    idx = np.where(codes >= 0, codes, L)  # missing -> L
    g, b = _counts(idx, y, w, L + 1)
    miss_g, miss_b = float(g[L]), float(b[L])
    g, b = g[:L], b[:L]
    level_special = np.array([spec_pos.get(n, -1) for n in names], dtype=np.int64)
    sg = np.zeros(len(specials))
    sb = np.zeros(len(specials))
    is_sp = level_special >= 0
    np.add.at(sg, level_special[is_sp], g[is_sp])
    np.add.at(sb, level_special[is_sp], b[is_sp])
    regular = np.flatnonzero(~is_sp & ((g + b) > 0))
    if groups is None:
        n = g[regular] + b[regular]
        rare = regular[n < min_count]
        pooled = rare[pool_rare(g[rare], b[rare], distinct_alpha)] if rare.size else rare
        common = regular[(n >= min_count) | ~np.isin(regular, pooled)]
        rare = pooled
        classes: list[list[int]] = [[int(i)] for i in common]
        if rare.size:
            classes.append([int(i) for i in rare])
        cg = np.array([g[c].sum() for c in classes])
        cb = np.array([b[c].sum() for c in classes])
        rates = shrunken_rates(cg, cb, prior)
        order = np.argsort(-rates, kind="stable")
        classes = [classes[i] for i in order]
        cg, cb = cg[order], cb[order]
        if n_fine and len(classes) > n_fine:
            # equal-weight runs of adjacent classes (in risk order), as quantiles for numbers
            w = cg + cb
            start = np.cumsum(w) - w
            run = np.floor(start / (w.sum() / n_fine)).astype(np.int64)
            _, run = np.unique(run, return_inverse=True)
            merged: list[list[int]] = [[] for _ in range(int(run.max()) + 1)]
            for c, r in zip(classes, run, strict=True):
                merged[r].extend(c)
            classes = merged
            cg = np.bincount(run, weights=cg)
            cb = np.bincount(run, weights=cb)
        classes = [sorted(c, key=lambda j: names[j]) for c in classes]
    else:
        pos = {nm: i for i, nm in enumerate(names)}
        grouped = {v for grp in groups for v in grp}
        orphans = [names[int(i)] for i in regular if names[int(i)] not in grouped]
        if orphans:
            raise SpecificationError(
                f"levels {orphans[:10]} occur in the data but are in no group: place every "
                "level, so no rows are lost from the counts"
            )
        classes = [[pos[v] for v in grp if v in pos] for grp in groups]
        cg = np.array([g[c].sum() if c else 0.0 for c in classes])
        cb = np.array([b[c].sum() if c else 0.0 for c in classes])
    levels = (
        tuple(tuple(names[j] for j in c) for c in classes)
        if groups is None
        else tuple(tuple(str(v) for v in grp) for grp in groups)
    )
    return FineClasses(
        kind="categorical",
        edges=(),
        levels=levels,
        goods=cg,
        bads=cb,
        missing_goods=miss_g,
        missing_bads=miss_b,
        specials=tuple(specials),
        special_goods=sg,
        special_bads=sb,
    )
