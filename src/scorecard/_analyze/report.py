"""Feature analysis: one row per feature with its strength and its warnings."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scorecard._analyze.binning import Binning
from scorecard._analyze.feature import FeatureBinning
from scorecard._core.stats import distinct_pvalue, iv, iv_label
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


#: a pooled class is "far" from the rest of its bin when its odds differ by at least this
#: factor and the difference is significant at FAR_ALPHA after a Bonferroni correction
FAR_ODDS_RATIO = 2.0
FAR_ALPHA = 0.01


def _single_bin(fb: FeatureBinning) -> str:
    """The single-bin warning: a constant feature, or fine classes collapsed into one bin."""
    fg, fbad = np.asarray(fb.fine.goods), np.asarray(fb.fine.bads)
    present = (fg + fbad) > 0
    if np.count_nonzero(present) <= 1:
        return "single bin: no discrimination"
    fine_iv = iv(fg[present], fbad[present], fb.smoothing)
    return (
        f"collapsed to one bin: {int(np.count_nonzero(present))} fine classes (IV "
        f"{fine_iv:.3f}) merged into one, no discrimination; relax the binning constraints "
        "(min_bin_share, min_bads/min_goods, trend) or edit the bins"
    )


def _far_from_pool(fb: FeatureBinning) -> list[str]:
    """Categorical classes whose bad rate is far from the rest of the bin they were pooled in.

    Each fine class in a regular bin with other classes is tested against the rest of its
    bin (:func:`~scorecard._core.stats.distinct_pvalue`); it is "far" when ``p < FAR_ALPHA /
    (classes tested)`` and its odds of bad differ from its bin's by a factor of at least
    ``FAR_ODDS_RATIO``.
    """
    if fb.kind != "categorical":
        return []
    groups = np.asarray(fb.groups, dtype=np.int64)
    fg, fbad = np.asarray(fb.fine.goods), np.asarray(fb.fine.bads)
    k = int(groups.max()) + 1 if groups.size else 0
    bg = np.bincount(groups, weights=fg, minlength=k)
    bb = np.bincount(groups, weights=fbad, minlength=k)
    members = np.bincount(groups, minlength=k)
    tested = np.flatnonzero((members[groups] > 1) & ((fg + fbad) > 0))
    if tested.size == 0:
        return []
    rest_g = bg[groups[tested]] - fg[tested]
    rest_b = bb[groups[tested]] - fbad[tested]
    p = distinct_pvalue(fg[tested], fbad[tested], rest_g, rest_b)
    # the size of the gap: the class's odds of bad against its whole bin's (+0.5 on every
    # count, so a pure class has finite odds); the dominant class of a bin is never far
    cls_odds = (fbad[tested] + 0.5) / (fg[tested] + 0.5)
    bin_odds = (bb[groups[tested]] + 0.5) / (bg[groups[tested]] + 0.5)
    ratio = np.abs(np.log(cls_odds / bin_odds))
    far = tested[(p < FAR_ALPHA / tested.size) & (ratio >= np.log(FAR_ODDS_RATIO))]
    out = []
    for j in far:
        n = fg[j] + fbad[j]
        b = groups[j]
        shown = _short_levels(fb.fine.levels[j])
        out.append(
            f"{shown} ({n:g} rows, bad rate {fbad[j] / n:.1%}) in bin {b} (bad rate "
            f"{bb[b] / (bg[b] + bb[b]):.1%})"
        )
    return out


def _short_levels(levels: tuple[str, ...], limit: int = 3) -> str:
    shown = ", ".join(repr(v) for v in levels[:limit])
    more = f", ... (+{len(levels) - limit} more)" if len(levels) > limit else ""
    return "{" + shown + more + "}"


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
        warnings.append(_single_bin(fb))
    far = _far_from_pool(fb)
    if far:
        warnings.append(f"pooled level far from its bin: {'; '.join(far)}")
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
    non-monotonic bad rate, a single bin (a constant feature, or fine classes that the
    coarse classing collapsed into one bin: the fine classes' IV is given), a categorical
    class pooled into a bin whose bad rate is far from its own (odds at least twice or
    half the bin's, significant at 1 % after a Bonferroni correction),
    suspicious IV.

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
