"""Discrimination and calibration metrics: AUC, Gini, KS, Brier score, gains table.

Direction (stated once here, tested in ``tests/test_metrics.py``)
-----------------------------------------------------------------
Every function takes ``kind``:

* ``kind="score"`` (default): higher = safer, the library's score convention;
* ``kind="pd"``: higher = riskier (a probability of bad, a log odds of bad).

With either, a model that ranks goods as safer than bads has ``AUC > 0.5`` and a
positive Gini, so a PD column and the score column of the same card give the same AUC.

* ``AUC = P(a random good is ranked safer than a random bad) + 0.5 * P(tie)``,
  computed exactly from the (weighted) good and bad totals per distinct value, in
  ``O(n log n)``;
* ``Gini = 2 * AUC - 1``;
* ``KS = max_t |B(t) - G(t)|`` with ``B(t)``, ``G(t)`` the (weighted) shares of bads
  and goods at least as risky as ``t`` (score <= t, or pd >= t); the two-sample
  Kolmogorov-Smirnov statistic of the goods' and bads' scores;
* ``Brier = sum_i w_i (pd_i - y_i)^2 / sum_i w_i``;
* :func:`performance`: all of them (and the row count and bad rate) for one sample, the
  rows of ``fit_scorecard``'s metrics table.

Sample weights are frequency weights: integer weights give the results of the data
with rows replicated.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd

from scorecard._core.stats import gini_from_counts
from scorecard._core.types import FloatArray
from scorecard._core.validation import check_target, check_weights, float_vector
from scorecard.exceptions import DataError, SpecificationError

__all__ = ["KS", "auc", "brier", "gains_table", "gini", "ks", "performance"]

Kind = Literal["score", "pd"]
_KINDS = ("score", "pd")


class KS(NamedTuple):
    """Kolmogorov-Smirnov statistic and where it is reached.

    ``threshold`` is the score (or PD) value ``t`` at which the gap between the
    cumulative shares of bads and goods is largest, counting the rows at least as
    risky as ``t`` (``score <= t`` for ``kind="score"``, ``pd >= t`` for ``kind="pd"``).

    Examples
    --------
    >>> from scorecard.metrics import ks
    >>> result = ks([1, 1, 0, 0, 0], [1, 2, 2, 3, 4])
    >>> statistic, threshold = result  # a named tuple
    >>> round(statistic, 4), threshold
    (0.6667, 2.0)
    """

    statistic: float
    threshold: float


def _inputs(
    y: Any, score: Any, sample_weight: Any, kind: str, what: str
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Validated target (0/1 floats), values and weights of equal length."""
    if kind not in _KINDS:
        raise SpecificationError(f"expected kind in {_KINDS}, found {kind!r}")
    series = [v for v in (y, score, sample_weight) if isinstance(v, pd.Series)]
    for other in series[1:]:
        if not other.index.equals(series[0].index):
            raise DataError(
                f"y, {what} and sample_weight: expected Series with the same index, found "
                "different indexes (misaligned): pass .to_numpy() or reindex"
            )
    s = float_vector(score, what)
    yy = check_target(y, "y").astype(np.float64)
    if yy.shape[0] != s.shape[0]:
        raise DataError(
            f"{what}: expected {yy.shape[0]} values (one per target value), found {s.shape[0]}"
        )
    bad = ~np.isfinite(s)
    if bad.any():
        raise DataError(
            f"{what}: expected finite values, found {int(bad.sum())} NaN or infinite "
            f"(first at position {int(np.flatnonzero(bad)[0])})"
        )
    if sample_weight is None:
        w = np.ones(s.shape[0])
    else:
        index = series[0].index if series else pd.RangeIndex(s.shape[0])
        if isinstance(sample_weight, str):
            raise DataError("sample_weight: expected an array of weights, found a string")
        w = check_weights(sample_weight, pd.DataFrame(index=index))
    return yy, s, w


def _safe(s: FloatArray, kind: str) -> FloatArray:
    """Values oriented so that higher = safer."""
    out: FloatArray = s if kind == "score" else -s
    return out


def _levels(
    y: FloatArray, s: FloatArray, w: FloatArray, kind: str
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Distinct values ordered riskiest first, with weighted goods and bads at each."""
    uniq, inv = np.unique(_safe(s, kind), return_inverse=True)  # safest last
    goods = np.bincount(inv, weights=w * (1.0 - y), minlength=uniq.size)
    bads = np.bincount(inv, weights=w * y, minlength=uniq.size)
    values = _safe(uniq, kind)  # back to the caller's units
    if goods.sum() <= 0 or bads.sum() <= 0:
        raise DataError(
            "y: expected goods and bads with positive total weight, found "
            f"{goods.sum():g} goods and {bads.sum():g} bads"
        )
    return values, goods.astype(np.float64), bads.astype(np.float64)


def auc(y: Any, score: Any, *, kind: Kind = "score", sample_weight: Any = None) -> float:
    """Area under the ROC curve: P(random good ranked safer than random bad), ties half.

    Parameters
    ----------
    y : array-like
        Target, 1 = bad, 0 = good.
    score : array-like
        Scores (``kind="score"``, higher = safer) or PDs (``kind="pd"``, higher = riskier).
    kind : {"score", "pd"}
        Direction of ``score``.
    sample_weight : array-like, optional
        Non-negative frequency weights.

    Examples
    --------
    >>> y = [1, 1, 0, 0, 0]
    >>> round(auc(y, [1, 2, 2, 3, 4]), 6)   # 5 of 6 pairs right, one tie: 5.5 / 6
    0.916667
    >>> round(auc(y, [0.9, 0.5, 0.5, 0.2, 0.1], kind="pd"), 6)
    0.916667
    """
    yy, s, w = _inputs(y, score, sample_weight, kind, "score")
    return (1.0 + gini_from_counts(w * (1.0 - yy), w * yy, _safe(s, kind))) / 2.0


def gini(y: Any, score: Any, *, kind: Kind = "score", sample_weight: Any = None) -> float:
    """Gini coefficient (accuracy ratio), ``2 * AUC - 1``.

    Examples
    --------
    >>> round(gini([1, 1, 0, 0, 0], [1, 2, 2, 3, 4]), 6)
    0.833333
    """
    yy, s, w = _inputs(y, score, sample_weight, kind, "score")
    return gini_from_counts(w * (1.0 - yy), w * yy, _safe(s, kind))


def ks(y: Any, score: Any, *, kind: Kind = "score", sample_weight: Any = None) -> KS:
    """Kolmogorov-Smirnov statistic between the goods' and the bads' distributions.

    ``KS = max_t |B(t) - G(t)|`` where ``B(t)`` and ``G(t)`` are the shares of bads and
    goods at least as risky as ``t``.  Unweighted, it equals the two-sample statistic
    of ``scipy.stats.ks_2samp`` (goods' scores vs bads' scores).

    Returns
    -------
    KS
        ``statistic`` in [0, 1] and the ``threshold`` where it is reached (the first
        such value from the risky end).

    Examples
    --------
    >>> res = ks([1, 1, 0, 0, 0], [1, 2, 2, 3, 4])
    >>> round(res.statistic, 6), res.threshold
    (0.666667, 2.0)
    """
    yy, s, w = _inputs(y, score, sample_weight, kind, "score")
    return _ks(yy, s, w, kind)


def _ks(yy: FloatArray, s: FloatArray, w: FloatArray, kind: str) -> KS:
    """:func:`ks` of validated inputs (:func:`_inputs`)."""
    values, goods, bads = _levels(yy, s, w, kind)
    gap = np.abs(np.cumsum(bads) / bads.sum() - np.cumsum(goods) / goods.sum())
    i = int(np.argmax(gap))
    return KS(float(gap[i]), float(values[i]))


def brier(y: Any, pd_bad: Any, *, sample_weight: Any = None) -> float:
    """Brier score of probabilities of bad: ``sum w (pd - y)^2 / sum w`` (lower is better).

    Examples
    --------
    >>> round(brier([1, 0, 0, 1], [0.8, 0.1, 0.3, 0.4]), 6)   # (.04+.01+.09+.36)/4
    0.125
    """
    yy, p, w = _inputs(y, pd_bad, sample_weight, "pd", "pd_bad")
    if np.any((p < 0) | (p > 1)):
        raise DataError(
            "pd_bad: expected probabilities in [0, 1], found values in "
            f"[{float(p.min())!r}, {float(p.max())!r}]"
        )
    return float(np.sum(w * (p - yy) ** 2) / np.sum(w))


def performance(y: Any, score: Any, pd_bad: Any, *, sample_weight: Any = None) -> dict[str, float]:
    """AUC, Gini, KS (of the score) and Brier score (of the PD) of one sample.

    One row of :func:`scorecard.fit_scorecard`'s ``metrics`` table.

    Parameters
    ----------
    y : array-like
        Target, 1 = bad, 0 = good.
    score : array-like
        Scores, higher = safer.
    pd_bad : array-like
        Probabilities of bad of the same rows.
    sample_weight : array-like, optional
        Non-negative frequency weights.

    Returns
    -------
    dict of str to float
        ``rows`` (the number of rows, unweighted), ``bad_rate`` (weighted), ``auc``,
        ``gini``, ``ks`` (the statistic) and ``brier``.

    Examples
    --------
    >>> m = performance([1, 0, 0, 1], [480, 620, 600, 520], [0.6, 0.1, 0.2, 0.5])
    >>> {k: round(v, 4) for k, v in m.items()}
    {'rows': 4.0, 'bad_rate': 0.5, 'auc': 1.0, 'gini': 1.0, 'ks': 1.0, 'brier': 0.115}
    """
    # validated once: the Gini is auc()'s and gini()'s number, ks() reads the same inputs
    yv, s, w = _inputs(y, score, sample_weight, "score", "score")
    g = gini_from_counts(w * (1.0 - yv), w * yv, s)
    yy = np.asarray(y)
    return {
        "rows": float(yy.size),
        "bad_rate": float(np.average(yy, weights=sample_weight)),
        "auc": (1.0 + g) / 2.0,
        "gini": g,
        "ks": _ks(yv, s, w, "score").statistic,
        "brier": brier(y, pd_bad, sample_weight=sample_weight),
    }


def _check_bands(bands: int | Sequence[float]) -> int | FloatArray:
    if isinstance(bands, bool):
        raise SpecificationError(f"bands: expected an int or a sequence of edges, found {bands!r}")
    if isinstance(bands, int | np.integer):
        if bands < 1:
            raise SpecificationError(f"bands: expected at least 1 band, found {bands!r}")
        return int(bands)
    try:
        edges = np.asarray(bands, dtype=np.float64)
    except (TypeError, ValueError):
        raise SpecificationError(
            f"bands: expected an int or a sequence of numeric edges, found {bands!r}"
        ) from None
    if edges.ndim != 1 or edges.size == 0:
        raise SpecificationError(
            f"bands: expected a non-empty 1-d sequence of edges, found {bands!r}"
        )
    if not np.all(np.isfinite(edges)) or np.any(np.diff(edges) <= 0):
        raise SpecificationError(
            f"bands: expected finite, strictly increasing edges, found {edges.tolist()}"
        )
    return edges


def gains_table(
    y: Any,
    score: Any,
    bands: int | Sequence[float] = 10,
    *,
    kind: Kind = "score",
    sample_weight: Any = None,
) -> pd.DataFrame:
    """Gains (lift) table by score band, riskiest band first.

    Parameters
    ----------
    y : array-like
        Target, 1 = bad.
    score : array-like
        Scores (``kind="score"``) or PDs (``kind="pd"``).
    bands : int or sequence of float
        An int: that many bands of about equal (weighted) size, cut between distinct
        values so that ties stay together (fewer bands when ties make some empty).  A
        sequence: interior edges ``e_1 < ... < e_k`` giving the ``k + 1`` bands
        ``(-inf, e_1), [e_1, e_2), ..., [e_k, inf)``; empty bands are kept.
    kind : {"score", "pd"}
        Direction of ``score``.
    sample_weight : array-like, optional
        Non-negative frequency weights.

    Returns
    -------
    pandas.DataFrame
        One row per band: ``band`` (1 = riskiest), ``lower``, ``upper`` (the edges of an
        explicit band; the smallest and largest value observed in a quantile band),
        ``count``, ``goods``, ``bads``, ``bad_rate``, ``share`` (of all rows),
        ``cum_share``, ``cum_goods_share`` and ``cum_bads_share`` (from the riskiest band
        down to this one), ``cum_bad_rate``, ``lift`` (band bad rate / overall bad rate),
        ``cum_lift`` and ``ks`` (``cum_bads_share - cum_goods_share``).

    Examples
    --------
    >>> y = [1, 1, 0, 1, 0, 0, 0, 0]
    >>> score = [500, 510, 520, 530, 600, 610, 620, 630]
    >>> t = gains_table(y, score, bands=[550, 615])
    >>> t[["band", "lower", "upper", "count", "bads", "cum_bads_share", "ks"]]
       band  lower  upper  count  bads  cum_bads_share   ks
    0     1   -inf  550.0      4     3             1.0  0.8
    1     2  550.0  615.0      2     0             1.0  0.4
    2     3  615.0    inf      2     0             1.0  0.0
    """
    yy, s, w = _inputs(y, score, sample_weight, kind, "score")
    spec = _check_bands(bands)
    values, goods, bads = _levels(yy, s, w, kind)  # riskiest first
    tot = goods + bads
    if isinstance(spec, int):
        cum = np.cumsum(tot)
        mid = (cum - tot / 2.0) / cum[-1]
        band_of_level = np.minimum((mid * spec).astype(np.int64), spec - 1)
        _, band_of_level = np.unique(band_of_level, return_inverse=True)  # drop empty bands
        nb = int(band_of_level.max()) + 1
        lower = np.full(nb, np.inf)
        upper = np.full(nb, -np.inf)
        np.minimum.at(lower, band_of_level, values)
        np.maximum.at(upper, band_of_level, values)
    else:
        idx = np.searchsorted(spec, values, side="right")  # 0..k, ascending in value
        nb = spec.size + 1
        lo_edges = np.r_[-np.inf, spec]
        hi_edges = np.r_[spec, np.inf]
        if kind == "score":  # riskiest = lowest scores = interval 0
            band_of_level = idx
            lower, upper = lo_edges, hi_edges
        else:  # riskiest = highest pd = last interval
            band_of_level = spec.size - idx
            lower, upper = lo_edges[::-1], hi_edges[::-1]
    g = np.bincount(band_of_level, weights=goods, minlength=nb)
    b = np.bincount(band_of_level, weights=bads, minlength=nb)
    n = g + b
    G, B = g.sum(), b.sum()
    overall = B / (G + B)
    cg, cb, cn = np.cumsum(g), np.cumsum(b), np.cumsum(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = b / n
        cum_rate = cb / cn
    weighted = sample_weight is not None
    counts: dict[str, Any] = {
        "count": n if weighted else np.rint(n).astype(np.int64),
        "goods": g if weighted else np.rint(g).astype(np.int64),
        "bads": b if weighted else np.rint(b).astype(np.int64),
    }
    return pd.DataFrame(
        {
            "band": np.arange(1, nb + 1),
            "lower": lower,
            "upper": upper,
            **counts,
            "bad_rate": rate,
            "share": n / (G + B),
            "cum_share": cn / (G + B),
            "cum_goods_share": cg / G,
            "cum_bads_share": cb / B,
            "cum_bad_rate": cum_rate,
            "lift": rate / overall,
            "cum_lift": cum_rate / overall,
            "ks": cb / B - cg / G,
        }
    )
