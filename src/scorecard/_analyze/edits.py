"""Manual edits of a feature's bins: merge, split, new cut points or groups, moving the
missing and special values.

Each edit computes the new fields of a :class:`~scorecard.FeatureBinning` (its groups,
missing and special targets, and fine classes when they must be recounted); the
``FeatureBinning`` edit methods apply them to a new object, whose statistics are
recomputed from the stored fine-class counts.  Only cut points or groups that cut through
a fine class need the data, to recount.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import pandas as pd

from scorecard._analyze.fine import FineClasses, categorical_codes, fine_categorical, fine_numeric
from scorecard._core.types import IntArray
from scorecard._core.validation import check_target, check_weights, numeric_values
from scorecard.exceptions import DataError, SpecificationError


class Bins(Protocol):
    """What an edit reads of a feature's bins (a :class:`~scorecard.FeatureBinning`)."""

    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def fine(self) -> FineClasses: ...
    @property
    def groups(self) -> tuple[int, ...]: ...
    @property
    def missing_bin(self) -> int | None: ...
    @property
    def special_bins(self) -> tuple[int | None, ...]: ...
    @property
    def n_regular(self) -> int: ...
    @property
    def labels(self) -> tuple[str, ...]: ...


#: what an edit returns: the new values of the binning's fields
Changes = dict[str, Any]


def merge(fb: Bins, *bins: int) -> Changes:
    """The body of :meth:`FeatureBinning.merge` (see its documentation)."""
    k = fb.n_regular
    sel = sorted(set(bins))
    if len(sel) < 2:
        raise SpecificationError(f"merge: expected at least two bins, found {list(bins)}")
    if any(not 0 <= b < k for b in sel):
        raise SpecificationError(
            f"feature {fb.name!r}: merge takes regular bins 0..{k - 1}, found {sel} "
            "(use move_missing / move_special for the missing and special bins)"
        )
    if fb.kind == "numeric" and sel != list(range(sel[0], sel[-1] + 1)):
        raise SpecificationError(
            f"feature {fb.name!r}: numeric bins must be adjacent to merge, found {sel}"
        )
    target = sel[0]
    remap = np.arange(k)
    for b in sel[1:]:
        remap[b] = target
    _, remap = np.unique(remap, return_inverse=True)
    return _remapped(fb, remap)


def _remapped(fb: Bins, remap: IntArray) -> Changes:
    groups = tuple(int(remap[g]) for g in fb.groups)
    mb = None if fb.missing_bin is None else int(remap[fb.missing_bin])
    sb = tuple(None if t is None else int(remap[t]) for t in fb.special_bins)
    return {"groups": groups, "missing_bin": mb, "special_bins": sb}


def split(fb: Bins, bin: int, at: float | Sequence[str]) -> Changes:
    """The body of :meth:`FeatureBinning.split` (see its documentation)."""
    k = fb.n_regular
    if not 0 <= bin < k:
        raise SpecificationError(
            f"feature {fb.name!r}: split takes a regular bin 0..{k - 1}, found {bin}"
        )
    g = np.asarray(fb.groups)
    if fb.kind == "numeric":
        if isinstance(at, str) or not isinstance(at, int | float):
            raise SpecificationError(
                f"feature {fb.name!r}: expected a number to split at, found {at!r}"
            )
        edges = fb.fine.edges
        if at not in edges:
            raise SpecificationError(
                f"feature {fb.name!r}: {at!r} is not a fine-class boundary "
                f"{list(edges)}; use with_cuts(..., data=...) for arbitrary cut points"
            )
        first = edges.index(at) + 1  # fine class starting at `at`
        if g[first] != bin or g[first - 1] != bin:
            raise SpecificationError(
                f"feature {fb.name!r}: {at!r} is not strictly inside bin {bin} {fb.labels[bin]}"
            )
        new = g + (np.arange(g.size) >= first)
        return _shift_after(fb, new, bin)
    if isinstance(at, int | float):
        raise SpecificationError(f"feature {fb.name!r}: expected levels to split off, found {at!r}")
    levels = {at} if isinstance(at, str) else {str(v) for v in at}
    in_bin = np.flatnonzero(g == bin)
    moving = [i for i in in_bin if set(fb.fine.levels[i]) & levels]
    for i in moving:
        if not set(fb.fine.levels[i]) <= levels:
            raise SpecificationError(
                f"feature {fb.name!r}: levels {sorted(fb.fine.levels[i])} form one fine "
                "class and move together; use with_groups(..., data=...) to regroup them"
            )
    found = {v for i in moving for v in fb.fine.levels[i]}
    if found != levels:
        raise SpecificationError(
            f"feature {fb.name!r}: levels {sorted(levels - found)} are not in bin {bin}"
        )
    if not moving or len(moving) == in_bin.size:
        raise SpecificationError(f"feature {fb.name!r}: a split must leave both parts non-empty")
    new = g.copy()
    new[moving] = k
    return {"groups": tuple(int(v) for v in new)}


def _shift_after(fb: Bins, new: IntArray, bin: int) -> Changes:
    def shift(t: int | None) -> int | None:
        return None if t is None else (t + 1 if t > bin else t)

    return {
        "groups": tuple(int(v) for v in new),
        "missing_bin": shift(fb.missing_bin),
        "special_bins": tuple(shift(t) for t in fb.special_bins),
    }


def with_cuts(
    fb: Bins,
    cuts: Sequence[float],
    *,
    data: pd.Series | None = None,
    target: Any = None,
    sample_weight: Any = None,
) -> Changes:
    """The body of :meth:`FeatureBinning.with_cuts` (see its documentation)."""
    if fb.kind != "numeric":
        raise SpecificationError(
            f"feature {fb.name!r}: with_cuts is for numeric features; use with_groups"
        )
    c = sorted({float(v) for v in cuts})
    if any(not math.isfinite(v) for v in c):
        raise SpecificationError(f"feature {fb.name!r}: cut points must be finite, found {c}")
    fine = fb.fine
    if not set(c) <= set(fine.edges):
        if data is None or target is None:
            extra = sorted(set(c) - set(fine.edges))
            raise SpecificationError(
                f"feature {fb.name!r}: cut points {extra} are not fine-class boundaries; "
                "pass data= and target= so the counts can be recomputed"
            )
        fine = _recount_numeric(fb, data, target, sample_weight, sorted({*fine.edges, *c}))
    edges = np.asarray(fine.edges)
    groups = np.searchsorted(np.asarray(c), np.append(-np.inf, edges), side="right")
    _, groups = np.unique(groups, return_inverse=True)
    k = int(groups.max()) + 1
    return {
        "fine": fine,
        "groups": tuple(int(v) for v in groups),
        "missing_bin": None if fb.missing_bin is None else min(fb.missing_bin, k - 1),
        "special_bins": tuple(None if t is None else min(t, k - 1) for t in fb.special_bins),
    }


def with_groups(
    fb: Bins,
    groups: Sequence[Sequence[str]],
    *,
    data: pd.Series | None = None,
    target: Any = None,
    sample_weight: Any = None,
) -> Changes:
    """The body of :meth:`FeatureBinning.with_groups` (see its documentation)."""
    if fb.kind != "categorical":
        raise SpecificationError(
            f"feature {fb.name!r}: with_groups is for categorical features; use with_cuts"
        )
    grp = [tuple(str(v) for v in g) for g in groups]
    flat = [v for g in grp for v in g]
    if not grp or any(not g for g in grp) or len(set(flat)) != len(flat):
        raise SpecificationError(
            f"feature {fb.name!r}: expected non-empty groups with no level in two groups, "
            f"found {grp}"
        )
    owner = {v: i for i, g in enumerate(grp) for v in g}
    left_out = [v for lv in fb.fine.levels for v in lv if v not in owner]
    if left_out:
        more = f" (+{len(left_out) - 10} more)" if len(left_out) > 10 else ""
        raise SpecificationError(
            f"feature {fb.name!r}: levels {left_out[:10]}{more} are in no group: every "
            "level seen in training must be placed, so no rows are lost from the counts"
        )
    new_groups: list[int] = []
    keep: list[int] = []
    whole = True
    for i, lv in enumerate(fb.fine.levels):
        owners = {owner.get(v) for v in lv}
        if len(owners) > 1:
            whole = False
            break
        o = owners.pop()
        if o is not None:
            keep.append(i)
            new_groups.append(o)
    if whole and set(new_groups) == set(range(len(grp))):
        f = fb.fine
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
                f"feature {fb.name!r}: these groups split pooled fine classes or name "
                "levels without counts; pass data= and target= to recount"
            )
        yy = check_target(target, "target")
        w = (
            None
            if sample_weight is None
            else check_weights(sample_weight, pd.DataFrame({"x": data}), y=yy)
        )
        codes, names = categorical_codes(data)
        fine = fine_categorical(
            codes,
            names,
            yy,
            w,
            min_count=0.0,
            specials=[str(s) for s in fb.fine.specials],
            prior=None,
            groups=grp,
        )
        gr = list(range(len(grp)))
    k = len(grp)
    return {
        "fine": fine,
        "groups": tuple(gr),
        "missing_bin": None if fb.missing_bin is None else min(fb.missing_bin, k - 1),
        "special_bins": tuple(None if t is None else min(t, k - 1) for t in fb.special_bins),
    }


def move_missing(fb: Bins, to: int | None) -> Changes:
    """The body of :meth:`FeatureBinning.move_missing` (see its documentation)."""
    return {"missing_bin": to}


def move_special(fb: Bins, code: float | str, to: int | None) -> Changes:
    """The body of :meth:`FeatureBinning.move_special` (see its documentation)."""
    key = code if isinstance(code, str) else float(code)
    if key not in fb.fine.specials:
        raise SpecificationError(
            f"feature {fb.name!r}: {code!r} is not one of the special codes "
            f"{list(fb.fine.specials)}"
        )
    sb = list(fb.special_bins)
    sb[fb.fine.specials.index(key)] = to
    return {"special_bins": tuple(sb)}


def _recount_numeric(
    fb: Bins, data: pd.Series, target: Any, sample_weight: Any, edges: Sequence[float]
) -> FineClasses:
    yy = check_target(target, "target")
    x = numeric_values(data if isinstance(data, pd.Series) else pd.Series(data), fb.name)
    if yy.shape[0] != x.shape[0]:
        raise DataError(f"target: expected {x.shape[0]} values, found {yy.shape[0]}")
    w = (
        None
        if sample_weight is None
        else check_weights(sample_weight, pd.DataFrame({"x": data}), y=yy)
    )
    return fine_numeric(
        x, yy, w, n_fine=0, specials=[float(s) for s in fb.fine.specials], edges=edges
    )
