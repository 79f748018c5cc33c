"""Feature analysis: one row per feature with its strength and its warnings."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scorecard._analyze.binning import Binning
from scorecard._analyze.feature import FeatureBinning
from scorecard._core.stats import iv_label
from scorecard.exceptions import SpecificationError

COLUMNS = (
    "feature",
    "kind",
    "iv",
    "strength",
    "gini",
    "n_bins",
    "missing_share",
    "special_share",
    "trend",
    "monotonic",
    "warnings",
)


def _monotonic(rates: np.ndarray) -> str:
    r = rates[~np.isnan(rates)]
    if r.size <= 1:
        return "single bin"
    d = np.diff(r)
    if np.all(d >= 0):
        return "ascending"
    if np.all(d <= 0):
        return "descending"
    sign_changes = int(np.sum(np.diff(np.sign(d[d != 0])) != 0))
    if sign_changes == 1:
        return "peak" if d[d != 0][0] > 0 else "valley"
    return "none"


def _row(fb: FeatureBinning, tiny_share: float) -> dict[str, object]:
    g, b = fb.goods, fb.bads
    n = g + b
    N = float(n.sum())
    k = fb.n_regular
    with np.errstate(invalid="ignore", divide="ignore"):
        rates = b[:k] / n[:k]
    shape = _monotonic(rates)
    iv = fb.iv
    warnings: list[str] = []
    pure = [fb.labels[j] for j in range(len(n)) if n[j] > 0 and (g[j] == 0 or b[j] == 0)]
    if pure:
        warnings.append(f"pure bins (smoothed): {', '.join(pure)}")
    tiny = [fb.labels[j] for j in range(k) if 0 < n[j] < tiny_share * N]
    if tiny:
        warnings.append(f"tiny bins (< {tiny_share:.0%}): {', '.join(tiny)}")
    if shape in ("none",) or (
        fb.kind == "numeric"
        and shape in ("peak", "valley")
        and fb.trend not in ("peak", "valley", "concave", "convex")
    ):
        warnings.append(f"non-monotonic bad rate ({shape})")
    if k <= 1:
        warnings.append("single bin: no discrimination")
    if iv > 0.5:
        warnings.append("IV > 0.5: suspiciously strong, check for leakage")
    missing = float(fb.fine.missing_goods + fb.fine.missing_bads) / N
    special = float(sum(fb.fine.special_goods) + sum(fb.fine.special_bads)) / N
    return {
        "feature": fb.name,
        "kind": fb.kind,
        "iv": iv,
        "strength": iv_label(iv),
        "gini": fb.gini,
        "n_bins": k,
        "missing_share": missing,
        "special_share": special,
        "trend": shape,
        "monotonic": shape in ("ascending", "descending"),
        "warnings": "; ".join(warnings),
    }


def analyze(binning: Binning, *, tiny_share: float = 0.02) -> pd.DataFrame:
    """Feature analysis report, strongest feature first.

    One row per feature: ``iv`` and its ``strength`` label (unpredictive < 0.02,
    weak < 0.1, medium < 0.3, strong <= 0.5, suspicious > 0.5), univariate
    ``gini`` of the WOE, number of regular bins, shares of missing and special
    values, the shape of the bad rate across the regular bins (``trend``) and
    ``warnings``: pure bins, tiny bins (share below ``tiny_share``),
    non-monotonic bad rate, a single bin, suspicious IV.

    Examples
    --------
    >>> from scorecard.datasets import load_german_credit
    >>> from scorecard import bin_features
    >>> df = load_german_credit()
    >>> report = analyze(bin_features(df, "bad", features=["duration_in_month", "housing"]))
    >>> report["feature"].tolist(), report["strength"].tolist(), report["n_bins"].tolist()
    (['duration_in_month', 'housing'], ['medium', 'weak'], [7, 3])
    """
    if not isinstance(binning, Binning):
        raise SpecificationError(
            f"analyze: expected a Binning (from bin_features), found {type(binning).__name__}"
        )
    if not 0 <= tiny_share < 1:
        raise SpecificationError(f"analyze: expected tiny_share in [0, 1), found {tiny_share!r}")
    rows = [_row(fb, tiny_share) for fb in binning.features]
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    return df.sort_values("iv", ascending=False, kind="stable").reset_index(drop=True)
