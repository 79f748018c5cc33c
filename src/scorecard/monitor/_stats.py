"""Monitoring statistics from counts: PSI and its critical values, tests, DeLong, KS.

Every function here takes counts (rows, goods, bads per bin or per distinct score)
and nothing else, so the rows path and the counts path of :mod:`scorecard.monitor`
cannot disagree.

PSI (population stability index)
---------------------------------
``PSI = sum_i (a_i/A - e_i/E) * ln((a_i/A) / (e_i/E))`` for current counts ``a_i``
(total ``A``) and baseline counts ``e_i`` (total ``E``).  It is the information value
of the pair of count vectors, so it is computed by the *same function* as the IV,
:func:`scorecard._core.stats.iv_terms`, with the same zero-count rule: a bin with rows in
one sample and none in the other gets ``smoothing`` (0.5) added to *both* counts, the
totals staying the samples' own; a bin empty in both contributes 0.  Every term is
``>= 0`` and the PSI of a sample with itself is 0.

Worked check (tested): expected 10 % in each of 10 bins against actual
(8, 9, 10, 10, 11, 11, 10, 11, 10, 10) % gives 0.00838.

Critical values (Yurdakul 2018, *Statistical Properties of Population Stability
Index*, PhD dissertation, Western Michigan University, Dissertations 3208, sections
3.1.1-3.1.2): when both samples (sizes ``n`` baseline, ``m`` current) are drawn from
the same multinomial distribution over ``B`` bins,

* ``PSI / (1/n + 1/m)`` is approximately ``chi2(B - 1)``, so the critical value at
  level ``alpha`` is ``(1/n + 1/m) * chi2.ppf(1 - alpha, B - 1)`` and the p-value is
  ``chi2.sf(PSI / (1/n + 1/m), B - 1)``;
* its normal approximation (mean ``B - 1``, variance ``2 (B - 1)``) gives
  ``(1/n + 1/m) * (B - 1 + z_{1-alpha} * sqrt(2 (B - 1)))``.

``B`` counts the bins with a row in either sample (a bin empty in both has
probability 0 under the null and adds nothing).  The share of null PSIs above the
chi-square critical value is checked by simulation in ``tests/test_monitor_stats.py``.

Event-rate shift per bin
------------------------
For one bin, the 2 x 2 table of goods and bads in the baseline and the current sample:
Pearson's chi-square without continuity correction (as optbinning's monitoring) when
every expected count is at least ``min_expected`` (5), otherwise Fisher's exact test
(two-sided).  The p-values of one family (the bins of one characteristic, or of the
score, in one period) are adjusted with Holm's step-down method, which controls the
family-wise error rate under any dependence.

AUC and its variance (DeLong, DeLong and Clarke-Pearson 1988)
--------------------------------------------------------------
From goods ``g_k`` and bads ``b_k`` at each distinct score ``s_k`` (higher = safer):
each good's placement ``V10 = (bads below + half the bads tied) / B``, each bad's
``V01 = (goods above + half the goods tied) / G``; ``AUC = mean V10 = mean V01`` and
``Var(AUC) = S10 / G + S01 / B`` with ``S10``, ``S01`` the sample variances (divisor
``G - 1``, ``B - 1``) of the placements.  Exact from counts, since every good (bad) at
one score has the same placement.  Two independent samples are compared with
``z = (AUC_1 - AUC_0) / sqrt(Var_1 + Var_0)``.

KS
--
``max_t |B(t) - G(t)|`` of the cumulative shares from the risky end.  It has no
closed-form variance: a stratified bootstrap (goods and bads resampled apart from
their own score distributions, multinomially, from counts) gives its standard error
and percentile interval.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from scorecard._core.stats import DEFAULT_SMOOTHING, iv_terms
from scorecard._core.types import BoolArray, FloatArray
from scorecard.exceptions import DataError, SpecificationError

__all__ = [
    "STATUSES",
    "auc_delong",
    "classification_at",
    "event_rate_tests",
    "fisher_exact",
    "holm",
    "ks_bootstrap",
    "ks_from_counts",
    "p_status",
    "psi",
    "psi_critical_value",
    "psi_pvalue",
    "psi_terms",
    "worst",
]

#: statuses from best to worst; "n/a" = not computable
STATUSES: tuple[str, ...] = ("n/a", "green", "amber", "red")

CriticalMethod = Literal["chi2", "normal"]


def _counts(values: npt.ArrayLike, name: str) -> FloatArray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 1:
        raise DataError(f"{name}: expected a 1-d array of counts, found shape {arr.shape}")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise DataError(f"{name}: expected finite counts >= 0, found {arr.tolist()[:10]}")
    return arr


def psi_terms(
    expected: npt.ArrayLike, actual: npt.ArrayLike, smoothing: float = DEFAULT_SMOOTHING
) -> FloatArray:
    """PSI contribution of every bin (each ``>= 0``).

    ``expected`` are the baseline counts, ``actual`` the current counts of the same
    bins.  The zero-count rule of WOE applies (see the module docstring).

    Examples
    --------
    >>> psi_terms([50, 50, 0], [40, 50, 10]).round(4).tolist()
    [0.0223, 0.0, 0.3045]
    """
    e = _counts(expected, "expected")
    a = _counts(actual, "actual")
    if e.shape != a.shape:
        raise DataError(f"actual: expected {e.size} counts (one per baseline bin), found {a.size}")
    if e.sum() <= 0 or a.sum() <= 0:
        raise DataError(
            f"expected rows in both samples, found {e.sum():g} baseline and {a.sum():g} "
            "current rows"
        )
    if not (smoothing > 0 and math.isfinite(smoothing)):
        raise SpecificationError(f"smoothing: expected a finite number > 0, found {smoothing!r}")
    # the IV of (actual, expected) *is* the PSI: one function, one zero-count rule
    return iv_terms(a, e, smoothing)


def psi(
    expected: npt.ArrayLike, actual: npt.ArrayLike, smoothing: float = DEFAULT_SMOOTHING
) -> float:
    """Population stability index of ``actual`` counts against ``expected`` counts.

    ``PSI = sum_i (a_i/A - e_i/E) ln((a_i/A)/(e_i/E))``; a bin with rows in one sample
    only gets ``smoothing`` added to both of its counts (the zero-count rule of WOE).

    Parameters
    ----------
    expected : array-like
        Baseline counts per bin.
    actual : array-like
        Current counts of the same bins.
    smoothing : float, default 0.5
        Added to both counts of a bin that is empty in one sample only (> 0).

    Examples
    --------
    The worked check: 10 % in each of 10 bins against
    (8, 9, 10, 10, 11, 11, 10, 11, 10, 10) %:

    >>> round(psi([10] * 10, [8, 9, 10, 10, 11, 11, 10, 11, 10, 10]), 5)
    0.00838
    >>> psi([3, 5, 2], [3, 5, 2])
    0.0
    """
    return float(psi_terms(expected, actual, smoothing).sum())


def _check_test_inputs(n: float, m: float, bins: int, alpha: float) -> None:
    if not (n > 0 and m > 0):
        raise DataError(f"expected both sample sizes > 0, found n={n!r} and m={m!r}")
    if isinstance(bins, bool) or not isinstance(bins, int | np.integer) or bins < 1:
        raise SpecificationError(f"bins: expected an integer >= 1, found {bins!r}")
    if not 0 < alpha < 1:
        raise SpecificationError(f"alpha: expected a number in (0, 1), found {alpha!r}")


def psi_critical_value(
    n: float, m: float, bins: int, alpha: float = 0.05, method: CriticalMethod = "chi2"
) -> float:
    """Critical value of the PSI of two samples of sizes ``n`` and ``m`` over ``bins`` bins.

    Under the null hypothesis (both samples from one distribution) the PSI exceeds it
    with probability about ``alpha``.  ``method="chi2"``:
    ``(1/n + 1/m) * chi2.ppf(1 - alpha, bins - 1)``; ``method="normal"``:
    ``(1/n + 1/m) * (bins - 1 + z_{1-alpha} sqrt(2 (bins - 1)))`` (Yurdakul 2018).
    NaN for one bin (the PSI is then always 0).

    Examples
    --------
    >>> round(psi_critical_value(1000, 1000, 10), 5)   # 0.002 * 16.919
    0.03384
    >>> round(psi_critical_value(1000, 1000, 10, method="normal"), 5)
    0.03196
    >>> round(psi_critical_value(10**6, 10**6, 10), 7)   # a huge sample: a tiny bar
    3.38e-05
    """
    from scipy import special

    _check_test_inputs(n, m, bins, alpha)
    if method not in ("chi2", "normal"):
        raise SpecificationError(f"method: expected 'chi2' or 'normal', found {method!r}")
    if bins < 2:
        return math.nan
    scale = 1.0 / n + 1.0 / m
    df = int(bins) - 1
    if method == "chi2":
        return float(scale * special.chdtri(df, alpha))  # the (1 - alpha) quantile
    return float(scale * (df + special.ndtri(1.0 - alpha) * math.sqrt(2.0 * df)))


def psi_pvalue(value: float, n: float, m: float, bins: int) -> float:
    """P-value of a PSI under the chi-square approximation, ``chi2.sf(PSI/(1/n+1/m), B-1)``.

    NaN for one bin.

    Examples
    --------
    >>> round(psi_pvalue(0.03384, 1000, 1000, 10), 3)
    0.05
    """
    from scipy import special

    _check_test_inputs(n, m, bins, 0.5)
    if bins < 2:
        return math.nan
    return float(special.chdtrc(int(bins) - 1, value / (1.0 / n + 1.0 / m)))


def holm(pvalues: npt.ArrayLike) -> FloatArray:
    """Holm's step-down adjusted p-values (NaN entries are left out of the family).

    Examples
    --------
    >>> holm([0.01, 0.04, float("nan"), 0.03]).round(3).tolist()
    [0.03, 0.06, nan, 0.06]
    """
    p = np.asarray(pvalues, dtype=np.float64)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    m = ok.size
    if m == 0:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    scaled = (m - np.arange(m)) * p[order]
    out[order] = np.minimum(np.maximum.accumulate(scaled), 1.0)
    return out


def p_status(p: npt.ArrayLike, amber: float, red: float) -> list[str]:
    """Traffic light of p-values: red below ``red``, amber below ``amber``, n/a for NaN."""
    arr = np.atleast_1d(np.asarray(p, dtype=np.float64))
    return [
        "n/a" if math.isnan(v) else "red" if v < red else "amber" if v < amber else "green"
        for v in arr.tolist()
    ]


def worst(statuses: Sequence[str]) -> str:
    """The worst of several statuses (``n/a`` only if all are ``n/a``).

    Examples
    --------
    >>> worst(["green", "n/a", "amber"]), worst([]), worst(["n/a"])
    ('amber', 'n/a', 'n/a')
    """
    rank = {s: i for i, s in enumerate(STATUSES)}
    return max(statuses, key=lambda s: rank[s], default="n/a")


def event_rate_tests(
    base_goods: npt.ArrayLike,
    base_bads: npt.ArrayLike,
    cur_goods: npt.ArrayLike,
    cur_bads: npt.ArrayLike,
    min_expected: float = 5.0,
) -> tuple[FloatArray, FloatArray, list[str]]:
    """Per bin: Pearson chi-square statistic, p-value and the test that gave it.

    The test is ``"chi2"`` (Pearson, no continuity correction) when every expected
    count of the bin's 2 x 2 table is at least ``min_expected``, ``"fisher"`` (exact,
    two-sided) otherwise, and ``"n/a"`` (p-value NaN) when one sample has no row with
    a known outcome in the bin.  The statistic is Pearson's chi-square whenever it is
    defined (NaN if the bin holds only goods or only bads).

    Examples
    --------
    >>> stat, p, test = event_rate_tests([90, 5, 0], [10, 1, 0], [80, 3, 7], [20, 2, 1])
    >>> stat.round(3).tolist(), p.round(4).tolist(), test
    ([3.922, 0.749, nan], [0.0477, 0.5455, nan], ['chi2', 'fisher', 'n/a'])
    """
    from scipy import special

    gb, bb, gc, bc = (
        np.asarray(v, dtype=np.float64) for v in (base_goods, base_bads, cur_goods, cur_bads)
    )
    n1, n2 = gb + bb, gc + bc
    N = n1 + n2
    B, G = bb + bc, gb + gc
    computable = (n1 > 0) & (n2 > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = N * (bb * gc - gb * bc) ** 2 / (n1 * n2 * B * G)
        expected = np.minimum.reduce([n1 * B / N, n1 * G / N, n2 * B / N, n2 * G / N])
    stat = np.where(computable & (B > 0) & (G > 0), stat, np.nan)
    chi2 = computable & (expected >= min_expected)
    fisher = computable & ~chi2
    p = np.full(N.shape, np.nan)
    if chi2.any():
        p[chi2] = special.chdtrc(1, stat[chi2])
    for i in np.flatnonzero(fisher):
        p[i] = fisher_exact(bb[i], gb[i], bc[i], gc[i])
    tests = np.where(chi2, "chi2", np.where(fisher, "fisher", "n/a")).tolist()
    return stat, p, tests


def fisher_exact(a: float, b: float, c: float, d: float) -> float:
    """Two-sided p-value of Fisher's exact test of the 2 x 2 table ``[[a, b], [c, d]]``.

    The sum of the hypergeometric probabilities of every table with the same margins that
    is at most as probable as the observed one (relative tolerance 1e-7, as SciPy).

    Examples
    --------
    >>> round(fisher_exact(1, 5, 2, 3), 4)
    0.5455
    """
    from scipy import special

    a, b, c, d = (round(float(v)) for v in (a, b, c, d))
    r1, c1, n = a + b, a + c, a + b + c + d
    lo, hi = max(0, r1 + c1 - n), min(r1, c1)
    x = np.arange(lo, hi + 1, dtype=np.float64)

    def log_choose(k: Any, j: Any) -> Any:
        return special.gammaln(k + 1) - special.gammaln(j + 1) - special.gammaln(k - j + 1)

    logp = log_choose(c1, x) + log_choose(n - c1, r1 - x) - log_choose(n, r1)
    observed = logp[a - lo]
    pmf = np.exp(logp)
    return float(min(1.0, pmf[logp <= observed + math.log1p(1e-7)].sum()))


def _levels(goods: npt.ArrayLike, bads: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    g = _counts(goods, "goods")
    b = _counts(bads, "bads")
    if g.shape != b.shape:
        raise DataError(f"bads: expected {g.size} counts (one per score), found {b.size}")
    return g, b


def auc_delong(goods: npt.ArrayLike, bads: npt.ArrayLike) -> tuple[float, float]:
    """AUC and its DeLong variance from goods and bads per distinct score, ascending.

    The scores are ordered from risky (low) to safe (high); the AUC is the probability
    that a random good scores above a random bad, ties counting half.  NaN (both) if
    there are no goods or no bads; the variance is NaN with fewer than two of either.

    Examples
    --------
    >>> a, v = auc_delong([0, 1, 1, 1], [1, 1, 0, 0])   # goods at 2, 3, 4; bads at 1, 2
    >>> round(a, 4), round(v, 5)
    (0.9167, 0.01389)
    """
    g, b = _levels(goods, bads)
    G, B = float(g.sum()), float(b.sum())
    if G <= 0 or B <= 0:
        return math.nan, math.nan
    bads_below = np.cumsum(b) - b
    goods_above = G - np.cumsum(g)
    v10 = (bads_below + 0.5 * b) / B  # placement of each good
    v01 = (goods_above + 0.5 * g) / G  # placement of each bad
    area = float(np.sum(g * v10) / G)
    if G < 2 or B < 2:
        return area, math.nan
    s10 = float(np.sum(g * (v10 - area) ** 2) / (G - 1))
    s01 = float(np.sum(b * (v01 - area) ** 2) / (B - 1))
    return area, s10 / G + s01 / B


def ks_from_counts(goods: npt.ArrayLike, bads: npt.ArrayLike) -> float:
    """KS statistic from goods and bads per distinct score (ascending); NaN if one is 0.

    Examples
    --------
    >>> ks_from_counts([0, 1, 1, 1], [1, 1, 0, 0])
    0.6666666666666667
    """
    g, b = _levels(goods, bads)
    G, B = float(g.sum()), float(b.sum())
    if G <= 0 or B <= 0:
        return math.nan
    return float(np.max(np.abs(np.cumsum(b) / B - np.cumsum(g) / G)))


def ks_bootstrap(
    goods: npt.ArrayLike,
    bads: npt.ArrayLike,
    n_boot: int,
    rng: np.random.Generator,
) -> FloatArray:
    """``n_boot`` bootstrap replicates of the KS statistic (stratified, from counts).

    Goods are redrawn as ``Multinomial(G, g / G)`` and bads as ``Multinomial(B, b / B)``,
    so every replicate keeps the sample's numbers of goods and bads.  Empty if there are
    no goods or no bads.
    """
    g, b = _levels(goods, bads)
    G, B = round(float(g.sum())), round(float(b.sum()))
    if G <= 0 or B <= 0 or n_boot <= 0:
        return np.empty(0)
    gg = rng.multinomial(G, g / g.sum(), size=n_boot).astype(np.float64)
    bb = rng.multinomial(B, b / b.sum(), size=n_boot).astype(np.float64)
    gap = np.abs(np.cumsum(bb, axis=1) / B - np.cumsum(gg, axis=1) / G)
    out: FloatArray = gap.max(axis=1)
    return out


def classification_at(
    scores: npt.ArrayLike, goods: npt.ArrayLike, bads: npt.ArrayLike, cutoff: float
) -> dict[str, float]:
    """Confusion-matrix rates when every score below ``cutoff`` is predicted bad.

    ``tpr`` (bads predicted bad / bads), ``tnr`` (goods predicted good / goods), ``fpr``,
    ``fnr``, ``balanced_accuracy`` = (tpr + tnr) / 2 and the discriminant power
    ``sqrt(3)/pi * (ln(tpr/(1 - tnr)) + ln(tnr/(1 - tpr)))`` (the measures of
    optbinning's monitoring).  NaN where undefined.

    Examples
    --------
    >>> r = classification_at([500, 600, 700], [1, 4, 5], [3, 1, 0], cutoff=550)
    >>> round(r["tpr"], 3), round(r["tnr"], 3), round(r["balanced_accuracy"], 3)
    (0.75, 0.9, 0.825)
    """
    s = np.asarray(scores, dtype=np.float64)
    g, b = _levels(goods, bads)
    G, B = float(g.sum()), float(b.sum())
    low: BoolArray = s < cutoff
    nan = math.nan
    tpr = float(b[low].sum() / B) if B > 0 else nan
    tnr = float(g[~low].sum() / G) if G > 0 else nan
    with np.errstate(divide="ignore", invalid="ignore"):
        dp = (math.sqrt(3.0) / math.pi) * (
            np.log(np.float64(tpr) / (1.0 - tnr)) + np.log(np.float64(tnr) / (1.0 - tpr))
        )
    return {
        "tpr": tpr,
        "tnr": tnr,
        "fpr": 1.0 - tnr,
        "fnr": 1.0 - tpr,
        "balanced_accuracy": 0.5 * (tpr + tnr),
        "discriminant_power": float(dp) if np.isfinite(dp) else nan,
    }
