"""The only module that talks to optbinning.

optbinning's solver is used for one thing: grouping *ordered fine classes*
into coarse bins.  It sees counts only: one weighted row per fine class and
class (good/bad), with the fine-class boundaries passed as fixed
``user_splits`` candidates.  Its fitted objects never leave this module: we
return plain split positions, so optbinning's private state, pickling and its
"WOE 0 for pure bins" never reach the API.
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
    known = known_starts(
        goods,
        bads,
        trend=trend,
        max_bins=max_bins,
        min_bins=min_bins,
        min_bin_share=min_bin_share,
        min_bads=min_bads,
        min_goods=min_goods,
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

    The answer is known when every (non-empty) fine class may be a bin of its own: the
    fine classes are at most ``max_bins`` and at least ``min_bins``, each has bads and
    goods (the solver merges pure classes first), each meets ``min_bin_share``,
    ``min_bads`` and ``min_goods`` (in the solver's integer counts), and their bad rates
    follow the trend strictly (``"auto"``: the trend the solver's own heuristic picks,
    when it picks ``"ascending"`` or ``"descending"``).  Merging classes never raises the
    IV, and merging two with different bad rates lowers it: when the smallest loss of one
    merge of neighbours exceeds the solver's rounding of its objective, every other
    grouping scores strictly lower there, so the solver's optimum is one bin per class.
    A feature with two classes whose split is not allowed but whose single bin is, is one
    bin.  Anything else (a peak, a near tie, a pure class) is left to the solver.

    Returns the same starts as :func:`optimal_starts` would (a test checks it over many
    random cases).

    Examples
    --------
    >>> known_starts(np.array([90.0, 80.0, 70.0]), np.array([10.0, 20.0, 30.0]))
    [0, 1, 2]
    >>> known_starts(np.array([90.0, 70.0, 80.0]), np.array([10.0, 30.0, 20.0])) is None
    True
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
    direction = trend
    if trend == "auto":
        from optbinning.binning.auto_monotonic import auto_monotonic

        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")  # as in the solver's own call (flat rates)
            direction = auto_monotonic(ne.astype(np.int64), e.astype(np.int64), TRENDS[trend])
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
        return None  # a near tie: the solver's rounding decides
    if n <= SEARCH_MAX_CLASSES and direction in ("ascending", "descending", "none"):
        return _searched_starts(
            ne, e, present, direction, max_bins, min_bins, min_size, min_e, min_ne
        )
    if n == 2 and direction in ("ascending", "descending", "none"):
        # the split is not allowed: by the constraints, or by the trend in the solver's
        # terms (bad rates scaled and truncated to integers, compared with ties allowed)
        d = (rate * _SOLVER_SCALE).astype(np.int64)
        against = (direction == "ascending" and d[0] > d[1]) or (
            direction == "descending" and d[0] < d[1]
        )
        one_ne, one_e = np.array([ne.sum()]), np.array([e.sum()])
        if (against or not allowed(ne, e)) and allowed(one_ne, one_e):
            return [0]
    return None


#: up to this many fine classes, :func:`known_starts` searches every grouping itself
SEARCH_MAX_CLASSES = 10


def _searched_starts(
    ne: npt.NDArray[np.float64],
    e: npt.NDArray[np.float64],
    present: npt.NDArray[np.intp],
    direction: str,
    max_bins: int | None,
    min_bins: int | None,
    min_size: int,
    min_e: int,
    min_ne: int,
) -> list[int] | None:
    """The solver's model, solved by trying every grouping of a few classes.

    The model is optbinning's ``BinningCP``: its integer objective (each bin's IV scaled
    and truncated, from optbinning's own ``model_data``), its constraints (bins, sizes,
    counts, the trend on the truncated bad rates, and its rule that forbids some ends of
    bins under a trend).  The grouping with the highest objective is the solver's answer
    when it is the only one with that objective; a tie, or no feasible grouping, is left
    to the solver.
    """
    from optbinning.binning.model_data import model_data

    n = ne.size
    ine, ie = ne.astype(np.int64), e.astype(np.int64)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        D, V, _, _ = model_data("iv", ine, ie, None, "consecutive", 0, int(_SOLVER_SCALE))
    # rate[i][j], value[i][j]: the bin of classes j..i
    rate = [[int(v) for v in row] for row in D]
    value = [[int(v) for v in row] for row in V]
    forbidden = set()  # classes that cannot end a bin under the trend (the solver's rule)
    if direction != "none":
        sign = 1 if direction == "ascending" else -1
        for i in range(n - 1):
            if sign * (rate[i + 1][i] - rate[i + 1][i + 1]) > 0:
                forbidden.add(i)
                for j in range(n - i - 1):
                    if sign * (rate[i + 1 + j][i] - rate[i + 1 + j][i + 1 + j]) > 0:
                        forbidden.add(i + j)
    size = np.concatenate([[0], np.cumsum(ine + ie)])
    bads = np.concatenate([[0], np.cumsum(ie)])
    goods = np.concatenate([[0], np.cumsum(ine)])
    best, best_ends, tied = -1, None, False
    for mask in range(1 << (n - 1)):
        ends = [i for i in range(n - 1) if mask >> i & 1]
        if forbidden.intersection(ends):
            continue
        ends.append(n - 1)
        k = len(ends)
        if (max_bins is not None and k > max_bins) or (min_bins is not None and k < min_bins):
            continue
        total, last, start, ok = 0, None, 0, True
        for i in ends:
            if (
                size[i + 1] - size[start] < min_size
                or bads[i + 1] - bads[start] < min_e
                or goods[i + 1] - goods[start] < min_ne
            ):
                ok = False
                break
            r = rate[i][start]
            if last is not None and (
                (direction == "ascending" and r < last) or (direction == "descending" and r > last)
            ):
                ok = False
                break
            last = r
            total += value[i][start]
            start = i + 1
        if not ok:
            continue
        if total > best:
            best, best_ends, tied = total, ends, False
        elif total == best:
            tied = True
    if best_ends is None or tied:
        return None
    return [0, *(int(present[i + 1]) for i in best_ends[:-1])]
