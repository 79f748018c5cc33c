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
