"""Statistics from good/bad counts: WOE, IV, bad rate, Gini.  One module, counts only.

Conventions (stated once here, tested in ``tests/test_stats.py``)
------------------------------------------------------------------
* target: 1 = bad (default, event), 0 = good.
* ``WOE_i = ln((good_i / G) / (bad_i / B))``: positive means safer than average.
* ``IV = sum_i (good_i / G - bad_i / B) * WOE_i``.
* Zero counts: a bin with no goods or no bads (but some rows) is smoothed by adding
  ``smoothing`` (default 0.5) to *both* of its counts before its WOE and IV terms
  are computed; the totals ``G`` and ``B`` are those of the data.  With smoothing 0
  such a bin raises :class:`~scorecard.exceptions.DataError` instead.  The same
  smoothed shares enter both factors of the IV term, so every term is >= 0.
* An empty bin (no rows at all, e.g. no missing values in training) has no WOE of
  its own: its value comes from the feature's stored treatment of empty bins
  (``"neutral"`` = 0, ``"worst"`` = the lowest WOE of the non-empty bins, or
  ``"error"``), resolved by :func:`woe_with_treatment`.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import numpy.typing as npt

from scorecard._core.types import FloatArray
from scorecard.exceptions import DataError

DEFAULT_SMOOTHING = 0.5

EmptyTreatment = Literal["neutral", "worst", "error"]
EMPTY_TREATMENTS: tuple[str, ...] = ("neutral", "worst", "error")


def _as_counts(goods: npt.ArrayLike, bads: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    g = np.asarray(goods, dtype=np.float64)
    b = np.asarray(bads, dtype=np.float64)
    if g.shape != b.shape or g.ndim != 1:
        raise DataError(
            f"expected two 1-d count arrays of equal length, found shapes {g.shape} and {b.shape}"
        )
    if not (np.all(np.isfinite(g)) and np.all(np.isfinite(b))):
        raise DataError("expected finite good/bad counts, found NaN or infinity")
    if np.any(g < 0) or np.any(b < 0):
        raise DataError("expected non-negative good/bad counts, found a negative count")
    return g, b


def smoothed_counts(
    goods: npt.ArrayLike, bads: npt.ArrayLike, smoothing: float = DEFAULT_SMOOTHING
) -> tuple[FloatArray, FloatArray]:
    """Counts with the zero-count rule applied.

    Bins with rows but no goods or no bads get ``smoothing`` added to both counts;
    other bins (including empty ones) are unchanged.

    Examples
    --------
    >>> g, b = smoothed_counts([10, 0, 5], [2, 3, 0])
    >>> g.tolist(), b.tolist()
    ([10.0, 0.5, 5.5], [2.0, 3.5, 0.5])
    """
    g, b = _as_counts(goods, bads)
    pure = ((g == 0) ^ (b == 0)) & ((g + b) > 0)
    if smoothing < 0 or not np.isfinite(smoothing):
        raise DataError(f"expected a finite smoothing >= 0, found {smoothing!r}")
    if np.any(pure):
        if smoothing == 0:
            raise DataError(
                f"bins {np.flatnonzero(pure).tolist()} have no goods or no bads and smoothing "
                "is 0, so their WOE is infinite: set smoothing > 0 or merge these bins"
            )
        g = g.copy()
        b = b.copy()
        g[pure] += smoothing
        b[pure] += smoothing
    return g, b


def _totals(g: FloatArray, b: FloatArray) -> tuple[float, float]:
    G = float(g.sum())
    B = float(b.sum())
    if G <= 0 or B <= 0:
        raise DataError(
            f"expected at least one good and one bad in total, found {G:g} goods and {B:g} bads"
        )
    return G, B


def woe(
    goods: npt.ArrayLike, bads: npt.ArrayLike, smoothing: float = DEFAULT_SMOOTHING
) -> FloatArray:
    """Weight of evidence per bin, ``ln((good_i/G) / (bad_i/B))``; NaN for empty bins.

    Examples
    --------
    >>> import numpy as np
    >>> w = woe([80, 20], [10, 10])
    >>> np.round(w, 4).tolist()
    [0.47, -0.9163]
    """
    g, b = _as_counts(goods, bads)
    G, B = _totals(g, b)
    gs, bs = smoothed_counts(g, b, smoothing)
    empty = (g + b) == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log((gs / G) / (bs / B))
    out[empty] = np.nan
    return out


def iv_terms(
    goods: npt.ArrayLike, bads: npt.ArrayLike, smoothing: float = DEFAULT_SMOOTHING
) -> FloatArray:
    """IV contribution per bin, ``(good_i/G - bad_i/B) * WOE_i`` (0 for empty bins).

    Examples
    --------
    >>> round(float(iv_terms([80, 20], [10, 10]).sum()), 4)
    0.4159
    """
    g, b = _as_counts(goods, bads)
    G, B = _totals(g, b)
    gs, bs = smoothed_counts(g, b, smoothing)
    empty = (g + b) == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.log((gs / G) / (bs / B))
        out = (gs / G - bs / B) * w
    out[empty] = 0.0
    return out


def iv(goods: npt.ArrayLike, bads: npt.ArrayLike, smoothing: float = DEFAULT_SMOOTHING) -> float:
    """Information value, the sum of :func:`iv_terms` (always >= 0)."""
    return float(iv_terms(goods, bads, smoothing).sum())


def woe_with_treatment(
    goods: npt.ArrayLike,
    bads: npt.ArrayLike,
    empty: EmptyTreatment = "neutral",
    smoothing: float = DEFAULT_SMOOTHING,
) -> FloatArray:
    """WOE per bin with empty bins resolved by the ``empty`` treatment.

    ``"neutral"`` gives empty bins 0, ``"worst"`` the lowest WOE among non-empty
    bins, ``"error"`` leaves them NaN (a transform then refuses rows that fall there).

    Examples
    --------
    >>> woe_with_treatment([80, 20, 0], [10, 10, 0], "worst").round(4).tolist()
    [0.47, -0.9163, -0.9163]
    """
    if empty not in EMPTY_TREATMENTS:
        raise DataError(f"expected an empty-bin treatment in {EMPTY_TREATMENTS}, found {empty!r}")
    w = woe(goods, bads, smoothing)
    isempty = np.isnan(w)
    if np.any(isempty):
        if empty == "neutral":
            w[isempty] = 0.0
        elif empty == "worst":
            w[isempty] = float(np.nanmin(w))
    return w


def bad_rate(goods: npt.ArrayLike, bads: npt.ArrayLike) -> FloatArray:
    """Share of bads per bin (NaN for empty bins)."""
    g, b = _as_counts(goods, bads)
    with np.errstate(divide="ignore", invalid="ignore"):
        return b / (g + b)


def iv_label(value: float) -> str:
    """Strength label of an IV value.

    ``< 0.02`` unpredictive, ``< 0.1`` weak, ``< 0.3`` medium, ``<= 0.5`` strong
    and ``> 0.5`` suspicious (too good to be true: check for leakage).

    Examples
    --------
    >>> [iv_label(v) for v in (0.01, 0.05, 0.2, 0.4, 0.6)]
    ['unpredictive', 'weak', 'medium', 'strong', 'suspicious']
    """
    if value > 0.5:
        return "suspicious"
    if value >= 0.3:
        return "strong"
    if value >= 0.1:
        return "medium"
    return "weak" if value >= 0.02 else "unpredictive"


def gini_from_counts(goods: npt.ArrayLike, bads: npt.ArrayLike, scores: npt.ArrayLike) -> float:
    """Gini (2*AUC - 1) of a score that is constant within each bin.

    ``scores`` orders the bins from risky (low) to safe (high); ties count half.
    The result is the AUC of "good scores above bad", so a score that ranks
    goods above bads has a positive Gini.

    Examples
    --------
    >>> round(gini_from_counts([80, 20], [10, 10], [1.0, 0.0]), 4)
    0.3
    """
    g, b = _as_counts(goods, bads)
    s = np.asarray(scores, dtype=np.float64)
    keep = (g + b) > 0
    g, b, s = g[keep], b[keep], s[keep]
    G, B = _totals(g, b)
    # aggregate equal scores so ties are handled exactly
    uniq, inv = np.unique(s, return_inverse=True)
    gg = np.bincount(inv, weights=g, minlength=uniq.size)
    bb = np.bincount(inv, weights=b, minlength=uniq.size)
    bads_below = np.cumsum(bb) - bb
    auc = float(np.sum(gg * (bads_below + 0.5 * bb))) / (G * B)
    return 2.0 * auc - 1.0


def weighted_corr(X: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> FloatArray:
    """Pearson correlation matrix of the columns of ``X`` (rows weighted).

    Constant columns get NaN correlations.
    """
    A = np.asarray(X, dtype=np.float64)
    w = np.ones(A.shape[0]) if weights is None else np.asarray(weights, dtype=np.float64)
    total = w.sum()
    mu = (w @ A) / total
    # one pass without a centered copy (WOE columns have means near 0) ...
    cov = ((A * w[:, None]).T @ A if weights is not None else A.T @ A) / total - np.outer(mu, mu)
    var = np.diag(cov)
    if np.any(mu**2 > 1e6 * np.abs(var)):  # ... unless cancellation would cost accuracy
        C = A - mu
        cov = (C * w[:, None]).T @ C / total
    return cov_to_corr(cov)


def cov_to_corr(cov: FloatArray) -> FloatArray:
    """The correlation matrix of a covariance matrix (NaN where a variance is 0).

    Examples
    --------
    >>> cov_to_corr(np.array([[4.0, 1.0], [1.0, 1.0]]))
    array([[1. , 0.5],
           [0.5, 1. ]])
    """
    sd = np.sqrt(np.diag(cov))
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = cov / np.outer(sd, sd)
    return out


def vif(X: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> FloatArray:
    """Variance inflation factors with an intercept: ``1 / (1 - R_j^2)``.

    ``R_j^2`` is from the (weighted) regression of column ``j`` on the others
    *with an intercept*, which equals the ``j``-th diagonal element of the
    inverse correlation matrix.  Perfectly collinear columns get ``inf``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> a, b, c = rng.normal(size=(3, 500))
    >>> vif(np.c_[a, b, a + 0.5 * b + c]).round(2).tolist()
    [2.06, 1.19, 2.26]
    >>> vif(np.c_[a, b, c, a + b]).tolist()  # a, b and a + b are collinear
    [inf, inf, 1.0..., inf]
    """
    return vif_from_corr(weighted_corr(X, weights))


def vif_from_corr(R: npt.ArrayLike) -> FloatArray:
    """VIF of every column from their correlation matrix: the diagonal of its inverse.

    Constant columns (NaN correlations) are collinear with the intercept and get
    ``inf``; so do the members of an exactly collinear set.
    """
    R = np.asarray(R, dtype=np.float64)
    k = R.shape[0]
    out: FloatArray = np.full(k, np.inf)
    ok = ~np.isnan(np.diag(R))
    if not ok.all():
        if ok.any():
            out[ok] = vif_from_corr(R[np.ix_(ok, ok)])
        return out
    if k <= 1:
        return np.ones(k)
    if np.linalg.cond(R) <= 1e12:
        return np.diag(np.linalg.inv(R)).copy()
    # singular: columns outside the collinear set still get finite values
    for j in range(k):
        others = np.delete(np.arange(k), j)
        coef, *_ = np.linalg.lstsq(R[np.ix_(others, others)], R[others, j], rcond=None)
        r2 = float(R[j, others] @ coef)
        out[j] = np.inf if r2 >= 1 - 1e-12 else 1.0 / (1.0 - r2)
    return out


def iv_of_bins(index: npt.ArrayLike, y: npt.ArrayLike) -> float:
    """IV of a sample in fixed bins: good/bad counts per bin index, then :func:`iv`.

    ``index`` is the bin of each row; negative indices (unseen categories) are
    pooled into one extra bin.  Pure bins get the +0.5 rule inside :func:`iv`.

    Examples
    --------
    >>> round(iv_of_bins([0, 0, 0, 1, 1, -1], [1, 0, 0, 0, 1, 0]), 4)
    0.224
    """
    idx = np.asarray(index, dtype=np.int64)
    yy = np.asarray(y, dtype=np.float64)
    idx = np.where(idx < 0, idx.max(initial=0) + 1, idx)
    m = int(idx.max(initial=0)) + 1
    bads = np.bincount(idx, weights=yy, minlength=m)
    rows = np.bincount(idx, minlength=m).astype(np.float64)
    return iv(rows - bads, bads)


def distinct_pvalue(
    goods: npt.ArrayLike,
    bads: npt.ArrayLike,
    other_goods: npt.ArrayLike,
    other_bads: npt.ArrayLike,
) -> FloatArray:
    """p-value that a group's bad rate equals another's (likelihood-ratio G-test, 1 df).

    For each pair of groups (elementwise), the 2 x 2 table ``[[goods, bads],
    [other_goods, other_bads]]`` is tested for independence: ``G = 2 sum O ln(O / E)``
    with ``E`` the counts expected under one common bad rate, and ``p = P(chi2_1 > G) =
    erfc(sqrt(G / 2))``.  A group (or other group) without rows, or a table with no
    goods or no bads at all, has ``p = 1``: nothing tells them apart.  Weighted counts
    are read as counts.  This is the one test behind the pooling of rare levels
    (:mod:`scorecard._analyze.fine`) and the report's warning about pooled classes.

    Examples
    --------
    >>> p = distinct_pvalue([4, 50], [44, 5], [2087, 500], [245, 50])
    >>> bool(p[0] < 1e-20), round(float(p[1]), 3)
    (True, 1.0)
    """
    g1, b1 = _as_counts(goods, bads)
    g2, b2 = _as_counts(other_goods, other_bads)
    if g1.shape != g2.shape:
        raise DataError(
            f"expected groups and other groups of equal length, found {g1.size} and {g2.size}"
        )
    n1, n2 = g1 + b1, g2 + b2
    tg, tb = g1 + g2, b1 + b2
    n = n1 + n2
    with np.errstate(divide="ignore", invalid="ignore"):
        cells = [(g1, n1 * tg / n), (b1, n1 * tb / n), (g2, n2 * tg / n), (b2, n2 * tb / n)]
        G = 2.0 * sum(np.where(o > 0, o * np.log(o / e), 0.0) for o, e in cells)
    G = np.where((n1 > 0) & (n2 > 0) & (tg > 0) & (tb > 0), np.maximum(G, 0.0), 0.0)
    erfc = np.frompyfunc(math.erfc, 1, 1)
    out: FloatArray = np.asarray(erfc(np.sqrt(G / 2.0)), dtype=np.float64)
    return out
