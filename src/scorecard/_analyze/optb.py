"""The only module that talks to optbinning.

optbinning's solver is used for one thing: grouping *ordered fine classes*
into coarse bins.  It sees counts only: one weighted row per fine class and
class (good/bad), with the fine-class boundaries passed as fixed
``user_splits`` candidates.  Its fitted objects never leave this module: we
return plain split positions, so optbinning's private state, pickling and its
"WOE 0 for pure bins" never reach the API.
"""

from __future__ import annotations

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
