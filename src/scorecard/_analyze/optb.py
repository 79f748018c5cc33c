"""The only module that talks to optbinning.

optbinning's solver is used for one thing: grouping *ordered fine classes*
into coarse bins.  It sees counts only: one weighted row per fine class and
class (good/bad), with the fine-class boundaries passed as fixed
``user_splits`` candidates.  Its fitted objects never leave this module: we
return plain split positions, so optbinning's private state, pickling and its
"WOE 0 for pure bins" never reach the API.

Before the solver is called, :func:`known_starts` solves the solver's own integer model
exactly when it can: the bins are the solver's, in a fraction of the time; when several
groupings reach the optimum (a tie), a fixed rule picks one of them instead of the
solver's arbitrary pick.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import numpy.typing as npt

from scorecard.exceptions import DataWarning, FitError

#: our trend names -> optbinning's ``monotonic_trend`` (bad rate as a function of the order)
TRENDS: dict[str, str | None] = {
    "auto": "auto_heuristic",  # optbinning's fast automatic choice (same IV within 0.002)
    "ascending": "ascending",
    "descending": "descending",
    "peak": "peak",
    "valley": "valley",
    "concave": "concave",
    "convex": "convex",
    "none": None,
}


def optimal_starts(
    goods: npt.NDArray[np.float64],
    bads: npt.NDArray[np.float64],
    *,
    feature: str,
    trend: str = "auto",
    max_bins: int | None = None,
    min_bins: int | None = None,
    min_bin_share: float | None = 0.05,
    min_bads: float | None = None,
    min_goods: float | None = None,
    max_pvalue: float | None = None,
    time_limit: float = 100.0,
) -> list[int]:
    """Group ordered fine classes optimally (max IV under constraints).

    Returns the indices of the fine classes that *start* a coarse bin (always
    beginning with 0).  The realized shape of the bad rate is reported by
    :func:`scorecard.analyze`.
    """
    m = goods.shape[0]
    if m <= 1:
        return [0]
    counts = goods + bads
    present = np.flatnonzero(counts > 0)
    if present.size <= 1:
        return [0]
    # the shortcut models every constraint but the p-value one: with it, the solver decides
    known = (
        None
        if max_pvalue is not None
        else known_starts(
            goods,
            bads,
            trend=trend,
            max_bins=max_bins,
            min_bins=min_bins,
            min_bin_share=min_bin_share,
            min_bads=min_bads,
            min_goods=min_goods,
        )
    )
    if known is not None:
        return known
    from optbinning import OptimalBinning  # lazy: import scorecard must not load it

    x = np.concatenate([present, present]).astype(np.float64)
    y = np.concatenate([np.zeros(present.size), np.ones(present.size)])
    w = np.concatenate([goods[present], bads[present]])
    keep = w > 0
    splits = (present[1:] - 0.5).astype(np.float64)
    params: dict[str, Any] = {
        "dtype": "numerical",
        "user_splits": splits,
        "monotonic_trend": TRENDS[trend],
        "max_n_bins": max_bins,
        "min_n_bins": min_bins,
        "min_bin_size": min_bin_share if min_bin_share else None,
        "min_bin_n_event": int(np.ceil(min_bads)) if min_bads else None,
        "min_bin_n_nonevent": int(np.ceil(min_goods)) if min_goods else None,
        "max_pvalue": max_pvalue,
        "max_pvalue_policy": "consecutive",
        "time_limit": time_limit,
    }
    ob = OptimalBinning(name=feature, **params)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ob.fit(x[keep], y[keep], sample_weight=w[keep])
    except Exception as exc:  # optbinning raises bare ValueError/RuntimeError
        raise FitError(
            f"feature {feature!r}: the optimal-binning solver failed ({type(exc).__name__}: "
            f"{exc}); relax the constraints (max_bins, min_bin_share, min_bads, trend)"
        ) from None
    status = str(ob.status)
    if status not in ("OPTIMAL", "FEASIBLE"):
        warnings.warn(
            f"feature {feature!r}: no binning satisfies the constraints (solver status "
            f"{status}); the feature is left as a single bin: relax min_bin_share, "
            "min_bads/min_goods or the trend",
            DataWarning,
            stacklevel=3,
        )
        return [0]
    cuts = np.asarray(ob.splits, dtype=np.float64)
    # a split at position p - 0.5 means fine class p starts a bin
    return sorted({0, *(int(np.ceil(c)) for c in cuts)})


def _rates(
    groups: npt.NDArray[np.int64], bads: npt.NDArray[np.float64], n: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Bad rates of the non-empty bins, in bin order."""
    rows = np.bincount(groups, weights=n)
    keep = rows > 0
    out: npt.NDArray[np.float64] = np.bincount(groups, weights=bads)[keep] / rows[keep]
    return out


def _turns(rates: npt.NDArray[np.float64]) -> int:
    """Changes of direction of a sequence of bad rates (0 = monotone)."""
    d = np.diff(rates)
    s = np.sign(d[d != 0])
    return int(np.count_nonzero(np.diff(s) != 0))


def keep_distinct(
    goods: npt.NDArray[np.float64],
    bads: npt.NDArray[np.float64],
    groups: npt.NDArray[np.int64],
    *,
    ordered: bool,
    min_bin_share: float | None,
    alpha: float | None,
    max_bins: int | None = None,
    min_bads: float = 0.0,
    min_goods: float = 0.0,
) -> npt.NDArray[np.int64]:
    """Give a bin of its own to each small fine class that differs from the rest of its bin.

    The solver merges every class below ``min_bin_share`` into a neighbour, however
    different its bad rate: a yes/no attribute whose "yes" holds 2 % of the rows at a
    92 % bad rate ends as one bin.  Here each fine class below ``min_bin_share`` that
    shares a bin with others is tested against the rest of that bin
    (:func:`~scorecard._core.stats.distinct_pvalue`); while the most distinct one
    differs at ``p < alpha / k`` (``k`` such classes: a Bonferroni correction), it becomes
    a bin of its own.  Only splits that keep the bins valid are made: for an ``ordered``
    (numeric) feature, a class at either end of its bin, and only if the bad rates along
    the bins turn no more often than before (a monotone feature stays monotone); the
    other constraints (``max_bins``, ``min_bads``, ``min_goods``) hold for the new bins,
    and each has at least one good and one bad (a small pure bin would rest on smoothing
    and separate the logistic fit).
    A categorical feature's bins are then renumbered riskiest first.

    Returns the new bin of each fine class (``groups`` unchanged when nothing is split).
    """
    if alpha is None or not min_bin_share or goods.size < 2:
        return groups
    n = goods + bads
    total = float(n.sum())
    if total <= 0:
        return groups
    small = (n > 0) & (n < min_bin_share * total)
    k = int(np.count_nonzero(small & (np.bincount(groups)[groups] > 1)))
    if k == 0:
        return groups
    from scorecard._core.stats import distinct_pvalue

    # a bin of its own needs both outcomes: a pure bin's WOE rests on smoothing, and a
    # small pure bin separates the logistic fit
    min_goods, min_bads = max(min_goods, 1.0), max(min_bads, 1.0)
    out = groups.copy()
    while max_bins is None or int(out.max()) + 1 < max_bins:
        nb = int(out.max()) + 1
        bg = np.bincount(out, weights=goods, minlength=nb)
        bb = np.bincount(out, weights=bads, minlength=nb)
        members = np.bincount(out, minlength=nb)
        cand = small & (members[out] > 1) & (goods >= min_goods) & (bads >= min_bads)
        cand &= (bg[out] - goods >= min_goods) & (bb[out] - bads >= min_bads)
        if ordered:  # a class at either end of its bin
            first = np.r_[True, out[1:] != out[:-1]]
            last = np.r_[out[1:] != out[:-1], True]
            cand &= first | last
        idx = np.flatnonzero(cand)
        if idx.size == 0:
            break
        p = distinct_pvalue(
            goods[idx], bads[idx], bg[out[idx]] - goods[idx], bb[out[idx]] - bads[idx]
        )
        done = False
        for j in idx[np.argsort(p, kind="stable")]:
            if not p[np.searchsorted(idx, j)] < alpha / k:
                break
            trial = _split_out(out, int(j), ordered)
            if ordered and _turns(_rates(trial, bads, n)) > _turns(_rates(out, bads, n)):
                continue
            out, done = trial, True
            break
        if not done:
            break
    if ordered or np.array_equal(out, groups):
        return out
    # categorical: bins riskiest first, as the solver's bins are
    nb = int(out.max()) + 1
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.bincount(out, weights=bads, minlength=nb) / np.bincount(out, weights=n)
    rank = np.empty(nb, dtype=np.int64)
    rank[np.argsort(-np.nan_to_num(rate, nan=-1.0), kind="stable")] = np.arange(nb)
    result: npt.NDArray[np.int64] = rank[out]
    return result


def _split_out(groups: npt.NDArray[np.int64], j: int, ordered: bool) -> npt.NDArray[np.int64]:
    """``groups`` with fine class ``j`` in a bin of its own (after its bin, for an ordered one)."""
    out = groups.copy()
    if not ordered:
        out[j] = int(groups.max()) + 1
        return out
    b = groups[j]
    left = j > 0 and groups[j - 1] == b  # j ends its bin: the new bin comes after
    out[out > b] += 1
    if left:
        out[j:][groups[j:] == b] = b + 1
        out[j] = b + 1
    else:
        out[j + 1 :][groups[j + 1 :] == b] = b + 1
    return out


#: the solver's objective is the IV scaled by this and truncated to integers (optbinning's
#: ``BinningCP``)
_SOLVER_SCALE = 1e6


def _jeffrey(
    e: npt.NDArray[np.float64], ne: npt.NDArray[np.float64], te: float, tne: float
) -> npt.NDArray[np.float64]:
    """IV terms of bins with ``e`` bads and ``ne`` goods out of ``te`` and ``tne``."""
    p = e / te
    q = ne / tne
    out: npt.NDArray[np.float64] = (p - q) * np.log(p / q)
    return out


def known_starts(
    goods: npt.NDArray[np.float64],
    bads: npt.NDArray[np.float64],
    *,
    trend: str = "auto",
    max_bins: int | None = None,
    min_bins: int | None = None,
    min_bin_share: float | None = 0.05,
    min_bads: float | None = None,
    min_goods: float | None = None,
) -> list[int] | None:
    """The solver's answer when it is known without solving, else None.

    The solver's model (:func:`solver_model`) is solved here for every trend the
    ``"auto"`` heuristic can pick (ascending, descending, its peak and valley) and for
    ``"none"``, up to :data:`SEARCH_MAX_CLASSES` fine classes each with goods and bads
    (the solver merges pure classes first): by dynamic programming
    (:func:`_best_grouping`), or at once when every class may be a bin of its own and
    their bad rates follow the trend strictly (merging two neighbours with different bad
    rates lowers the IV: when the smallest such loss exceeds the solver's rounding of its
    objective, one bin per class is its only optimum).  Anything else (an explicit peak,
    valley, concave or convex trend, a pure class, a p-value constraint, more classes, no
    feasible grouping) is left to the solver.

    The answer is the solver's when its optimum is unique (a test checks it over many
    random cases).  When several groupings reach the optimum (a tie: the solver's pick
    among them is arbitrary), the answer is one of them by a fixed rule: the highest
    exact IV, then the fewest bins, then the earliest starts from the last bin back
    (:func:`_best_grouping`).

    Examples
    --------
    >>> known_starts(np.array([90.0, 80.0, 70.0]), np.array([10.0, 20.0, 30.0]))
    [0, 1, 2]
    >>> known_starts(np.array([90.0, 70.0, 80.0]), np.array([10.0, 30.0, 20.0]), trend="peak")
    >>> known_starts(np.array([90.0, 70.0, 80.0]), np.array([10.0, 30.0, 20.0]), trend="ascending")
    [0, 1]
    """
    present = np.flatnonzero(goods + bads > 0)
    n = present.size
    if n <= 1:
        return [0]
    if trend not in ("auto", "ascending", "descending", "none"):
        return None
    # the solver's counts: one weighted row per class and outcome, summed into int64
    ne = np.trunc(goods[present])
    e = np.trunc(bads[present])
    if (ne <= 0).any() or (e <= 0).any():
        return None  # the solver first merges pure classes
    total = float(goods[present].sum() + bads[present].sum())
    min_size = math.ceil(min_bin_share * total) if min_bin_share else 0
    min_e = math.ceil(min_bads) if min_bads else 0
    min_ne = math.ceil(min_goods) if min_goods else 0

    def allowed(ne_: npt.NDArray[np.float64], e_: npt.NDArray[np.float64]) -> bool:
        k = ne_.size
        return (
            (max_bins is None or k <= max_bins)
            and (min_bins is None or k >= min_bins)
            and bool((ne_ + e_ >= min_size).all() and (e_ >= min_e).all())
            and bool((ne_ >= min_ne).all())
        )

    rate = e / (ne + e)
    direction, change = solver_trend(ne, e, trend)
    steps = np.diff(rate)
    monotone = (
        direction == "none"
        or (direction == "ascending" and bool((steps > 0).all()))
        or (direction == "descending" and bool((steps < 0).all()))
    )
    if monotone and allowed(ne, e):
        iv = _jeffrey(e, ne, e.sum(), ne.sum())
        # the IV lost by merging each pair of neighbours: every other grouping loses more
        loss = iv[:-1] + iv[1:] - _jeffrey(e[:-1] + e[1:], ne[:-1] + ne[1:], e.sum(), ne.sum())
        if _SOLVER_SCALE * float(loss.min()) > 2 * n + 2:
            return [0, *(int(i) for i in present[1:])]
    if n <= SEARCH_MAX_CLASSES and direction in SEARCHED:
        return _best_grouping(
            ne, e, present, (direction, change), max_bins, min_bins, min_size, min_e, min_ne
        )
    return None


def solver_trend(
    ne: npt.NDArray[np.float64], e: npt.NDArray[np.float64], trend: str
) -> tuple[str, int]:
    """The trend the solver applies to classes with ``ne`` goods and ``e`` bads (integers,
    each class with both) and the change point of a heuristic peak or valley (else 0).

    ``"auto"`` is optbinning's own heuristic choice, with its peak and valley at the
    classes of the highest and the lowest bad rate; any other trend is itself.
    """
    if trend != "auto":
        return trend, 0
    from optbinning.binning.auto_monotonic import auto_monotonic

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # as in the solver's own call (flat rates)
        direction = auto_monotonic(ne.astype(np.int64), e.astype(np.int64), TRENDS[trend])
    if direction not in ("peak", "valley"):
        return direction, 0
    rate = e / (ne + e)
    change = int(np.argmax(rate) if direction == "peak" else np.argmin(rate))
    return direction + "_heuristic", change


#: up to this many fine classes, :func:`known_starts` solves the solver's model itself
SEARCH_MAX_CLASSES = 64


#: the trends whose model :func:`known_starts` solves itself (the heuristic peak and valley
#: are what the solver's ``"auto"`` uses: the bins ending before the change point follow
#: one direction, the others the opposite one)
SEARCHED = ("ascending", "descending", "none", "peak_heuristic", "valley_heuristic")


def pair_sign(trend: tuple[str, int], prev_end: int, end: int) -> int:
    """How the bad rate of the bin ending at ``end`` must compare with that of the bin
    before it (ending at ``prev_end``): 1 at least, -1 at most, 0 free."""
    direction, change = trend
    if direction == "ascending":
        return 1
    if direction == "descending":
        return -1
    if direction == "none":
        return 0
    first = 1 if direction == "peak_heuristic" else -1
    if end < change:
        return first
    return -first if prev_end >= change else 0


def _forbid(rate: list[list[int]], sign: int, first: range, inner: Any) -> set[int]:
    """The solver's preprocessing under a trend: classes that cannot end a bin."""
    out: set[int] = set()
    for i in first:
        if sign * (rate[i + 1][i] - rate[i + 1][i + 1]) > 0:
            out.add(i)
            for j in inner(i):
                if sign * (rate[i + 1 + j][i] - rate[i + 1 + j][i + 1 + j]) > 0:
                    out.add(i + j)
    return out


def model_data(
    ne: npt.NDArray[np.int64], e: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """optbinning's ``model_data("iv", ...)`` for ordered classes, without its loops.

    For the bin of classes ``j..i`` (``j <= i``): ``rate[i, j]`` and ``value[i, j]``, its
    bad rate and its IV scaled by the solver's ``1e6`` and truncated to integers, and
    ``iv[i, j]``, its IV before scaling.  The arithmetic is optbinning's, operation by
    operation (integer sums of the counts, the same divisions, scipy's ``xlogy``), so the
    integers are the same (a test compares them on random counts); the entries ``j > i``
    are 0.  ``ne`` and ``e``: the classes' integer goods and bads, each class with both.
    """
    from scipy.special import xlogy

    n = ne.size
    ce = np.concatenate([[0], np.cumsum(e)])
    cne = np.concatenate([[0], np.cumsum(ne)])
    lower = np.tri(n, dtype=bool)  # [i, j]: j <= i
    s_event = np.where(lower, ce[1:, None] - ce[None, :-1], 1)
    s_nonevent = np.where(lower, cne[1:, None] - cne[None, :-1], 1)
    with np.errstate(all="ignore"):
        rate = s_event / (s_nonevent + s_event)
        p = s_event / e.sum()
        q = s_nonevent / ne.sum()
        iv: npt.NDArray[np.float64] = np.where(lower, xlogy(p - q, p / q), 0.0)
        scale = int(_SOLVER_SCALE)
        out_rate = np.where(lower, rate * scale, 0.0).astype(np.int64)
        out_value = (iv * scale).astype(np.int64)
    return out_rate, out_value, iv


def solver_model(
    ne: npt.NDArray[np.float64], e: npt.NDArray[np.float64], trend: tuple[str, int]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], set[int]]:
    """optbinning's ``BinningCP`` model of ordered classes, as plain integers.

    ``rate[i, j]`` and ``value[i, j]``: the bad rate and the IV of the bin of classes
    ``j..i``, scaled and truncated to integers as optbinning's own ``model_data`` does
    (:func:`model_data`); and the classes that cannot end a bin under the trend (the
    solver's preprocessing rules, with their ranges as they are).
    """
    rate, value, _ = model_data(ne.astype(np.int64), e.astype(np.int64))
    return rate, value, _forbidden(rate, trend)


def _forbidden(rate: npt.NDArray[np.int64], trend: tuple[str, int]) -> set[int]:
    """The classes that cannot end a bin under ``trend`` (:func:`solver_model`)."""
    n = rate.shape[0]
    direction, tc = trend
    table = rate.tolist()
    forbidden: set[int] = set()
    if direction in ("ascending", "descending"):
        sign = 1 if direction == "ascending" else -1
        forbidden = _forbid(table, sign, range(n - 1), lambda i: range(n - i - 1))
    elif direction in ("peak_heuristic", "valley_heuristic"):
        sign = 1 if direction == "peak_heuristic" else -1
        forbidden = _forbid(table, sign, range(tc - 1), lambda i: range(tc - i - 1))
        forbidden |= _forbid(table, -sign, range(tc, n - 1), lambda i: range(tc, n - i - 1))
    return forbidden


def _pair_signs(
    trend: tuple[str, int], prev_ends: npt.NDArray[np.int64], end: int
) -> npt.NDArray[np.int64]:
    """:func:`pair_sign` of the bins ending at ``end`` after bins ending at ``prev_ends``."""
    direction, change = trend
    if direction in ("ascending", "descending", "none"):
        return np.full(prev_ends.size, pair_sign(trend, 0, end), dtype=np.int64)
    first = 1 if direction == "peak_heuristic" else -1
    if end < change:
        return np.full(prev_ends.size, first, dtype=np.int64)
    return np.where(prev_ends >= change, -first, 0).astype(np.int64)


#: the tie-break's exact IV: a bin's IV (before the solver's truncation) scaled by this
#: and rounded to an integer, so that sums do not depend on the order of the bins
TIE_SCALE = 1e9


def _best_grouping(
    ne: npt.NDArray[np.float64],
    e: npt.NDArray[np.float64],
    present: npt.NDArray[np.intp],
    trend: tuple[str, int],
    max_bins: int | None,
    min_bins: int | None,
    min_size: int,
    min_e: int,
    min_ne: int,
) -> list[int] | None:
    """The solver's model solved exactly by dynamic programming, its ties broken by rule.

    The model is optbinning's ``BinningCP`` (:func:`solver_model`): maximize the sum of the
    bins' integer IVs subject to the number of bins, their sizes and counts, the trend on
    their integer bad rates (between neighbouring bins, which for a monotone trend is
    between every pair) and the classes that cannot end a bin.  The state is the last bin
    ``s..i`` (and the number of bins so far, when it is bounded); each keeps its best total
    and where it came from.

    When several groupings reach the solver's optimum (a tie: the solver's pick among them
    is arbitrary), the rule is, in this order: the highest exact IV (each bin's IV before
    the solver's truncation to ``1e-6``, to ``1e-9``: :data:`TIE_SCALE`); then the
    fewest bins; then the grouping whose last bin starts first, then whose bin before
    it starts first, and so on back to the first bin.  None when no grouping is feasible.
    """
    n = ne.size
    rate, value, iv = model_data(ne.astype(np.int64), e.astype(np.int64))
    exact = np.rint(iv * TIE_SCALE).astype(np.int64)
    forbidden = np.zeros(n, dtype=bool)
    forbidden[sorted(_forbidden(rate, trend))] = True
    size = np.concatenate([[0], np.cumsum(ne + e)])
    bads = np.concatenate([[0], np.cumsum(e)])
    goods = size - bads
    # fits[i, s]: the bin of classes s..i meets the size and count minimums
    fits = (
        (size[1:, None] - size[None, :-1] >= min_size)
        & (bads[1:, None] - bads[None, :-1] >= min_e)
        & (goods[1:, None] - goods[None, :-1] >= min_ne)
        & np.tri(n, dtype=bool)
    )
    model = (rate, value, exact, forbidden, fits, trend)
    if max_bins is None and (min_bins or 1) <= 1:
        ends = _ends_any_count(*model)
    else:
        ends = _ends_counted(*model, min(max_bins or n, n), min_bins or 1)
    if ends is None:
        return None  # infeasible: the solver says so, with its warning
    return [0, *(int(present[j + 1]) for j in sorted(ends))]


#: an empty state of the dynamic programme
_NONE = np.iinfo(np.int64).min


def _links(
    i: int,
    rate: npt.NDArray[np.int64],
    forbidden: npt.NDArray[np.bool_],
    fits: npt.NDArray[np.bool_],
    trend: tuple[str, int],
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.bool_]]:
    """The starts ``s >= 1`` of a last bin ``s..i`` that may be a bin, and
    ``allowed[s, t]``: whether it may follow the bin ``t..s-1``."""
    n = rate.shape[0]
    starts = np.flatnonzero(fits[i, 1 : i + 1] & ~forbidden[:i]) + 1
    sign = _pair_signs(trend, starts - 1, i)
    allowed = (np.arange(n)[None, :] < starts[:, None]) & (
        sign[:, None] * (rate[i, starts][:, None] - rate[starts - 1]) >= 0
    )
    return starts, allowed


def _ends_any_count(
    rate: npt.NDArray[np.int64],
    value: npt.NDArray[np.int64],
    exact: npt.NDArray[np.int64],
    forbidden: npt.NDArray[np.bool_],
    fits: npt.NDArray[np.bool_],
    trend: tuple[str, int],
) -> list[int] | None:
    """:func:`_best_grouping` with any number of bins: the last classes of its bins but
    the last one, None if infeasible.

    The state is the last bin ``s..i``; its key is (integer IV, exact IV, minus the number
    of bins), compared in that order, so the fewest bins come out of the same search.
    """
    n = rate.shape[0]
    best = np.full((n, n), _NONE)  # best[i, s]: last bin s..i: integer IV
    tie = np.full((n, n), _NONE)  # the exact IV of that grouping
    fewer = np.full((n, n), _NONE)  # minus its number of bins
    back = np.full((n, n), -1, dtype=np.int64)  # start of the bin before
    for i in range(n):
        if fits[i, 0]:
            best[i, 0], tie[i, 0], fewer[i, 0] = value[i, 0], exact[i, 0], -1
        starts, allowed = _links(i, rate, forbidden, fits, trend)
        if starts.size == 0:
            continue
        cand = np.where(allowed, best[starts - 1], _NONE)
        top = cand.max(axis=1)
        cand = np.where(cand == top[:, None], tie[starts - 1], _NONE)
        top_tie = cand.max(axis=1)
        cand = np.where(cand == top_tie[:, None], fewer[starts - 1], _NONE)
        top_fewer = cand.max(axis=1)
        first = np.argmax(cand == top_fewer[:, None], axis=1)  # the earliest start
        ok = top > _NONE
        best[i, starts] = np.where(ok, top + value[i, starts], _NONE)
        tie[i, starts] = np.where(ok, top_tie + exact[i, starts], _NONE)
        fewer[i, starts] = np.where(ok, top_fewer - 1, _NONE)
        back[i, starts] = np.where(ok, first, -1)
    last = best[n - 1]
    top = last.max()
    if top == _NONE:
        return None
    hit = np.where(last == top, tie[n - 1], _NONE)
    hit = np.where(hit == hit.max(), fewer[n - 1], _NONE)
    s = int(np.argmax(hit == hit.max()))  # the last bin starting first
    ends, i = [], n - 1
    while s > 0:
        ends.append(s - 1)
        s, i = int(back[i, s]), s - 1
    return ends


def _ends_counted(
    rate: npt.NDArray[np.int64],
    value: npt.NDArray[np.int64],
    exact: npt.NDArray[np.int64],
    forbidden: npt.NDArray[np.bool_],
    fits: npt.NDArray[np.bool_],
    trend: tuple[str, int],
    hi: int,
    lo: int,
) -> list[int] | None:
    """:func:`_ends_any_count` with ``lo`` to ``hi`` bins: the number of bins is part of
    the state."""
    n = rate.shape[0]
    K = hi + 1  # bins so far: 1..hi
    best = np.full((n, n, K), _NONE)  # best[i, s, k]: last bin s..i, k bins: integer IV
    tie = np.full((n, n, K), _NONE)  # and the exact IV of that grouping
    back = np.full((n, n, K), -1, dtype=np.int64)  # start of the bin before
    for i in range(n):
        if fits[i, 0]:
            best[i, 0, 1], tie[i, 0, 1] = value[i, 0], exact[i, 0]
        starts, allowed = _links(i, rate, forbidden, fits, trend)
        if starts.size == 0:
            continue
        cand = np.where(allowed[:, :, None], best[starts - 1, :, :-1], _NONE)
        top = cand.max(axis=1)  # (starts, k - 1 bins)
        cand_tie = np.where(cand == top[:, None, :], tie[starts - 1, :, :-1], _NONE)
        top_tie = cand_tie.max(axis=1)
        first = np.argmax(cand_tie == top_tie[:, None, :], axis=1)  # the earliest start
        ok = top > _NONE
        best[i, starts, 1:] = np.where(ok, top + value[i, starts][:, None], _NONE)
        tie[i, starts, 1:] = np.where(ok, top_tie + exact[i, starts][:, None], _NONE)
        back[i, starts, 1:] = np.where(ok, first, -1)
    last = best[n - 1].copy()  # (start of the last bin, bins)
    last[:, :lo] = _NONE
    top = last.max()
    if top == _NONE:
        return None
    last_tie = np.where(last == top, tie[n - 1], _NONE)
    hit = last_tie == last_tie.max()
    k = int(np.flatnonzero(hit.any(axis=0))[0])  # the fewest bins
    s = int(np.flatnonzero(hit[:, k])[0])  # the last bin starting first
    ends, i = [], n - 1
    while s > 0:
        ends.append(s - 1)
        s, i, k = int(back[i, s, k]), s - 1, k - 1
    return ends
