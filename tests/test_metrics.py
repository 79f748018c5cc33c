"""Tests of scorecard._model.metrics: AUC, Gini, KS, Brier, the gains table, performance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import ks_2samp
from sklearn.metrics import brier_score_loss, roc_auc_score

from scorecard._model.metrics import KS, auc, brier, gains_table, gini, ks, performance
from scorecard.exceptions import DataError, SpecificationError


@st.composite
def samples(draw: st.DrawFn, weighted: bool = False) -> tuple[np.ndarray, ...]:
    """Binary targets with both classes and integer scores in a small range (many ties)."""
    n = draw(st.integers(2, 60))
    y = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    y[0], y[1] = 0, 1
    high = draw(st.integers(0, 12))
    score = np.array(draw(st.lists(st.integers(0, high), min_size=n, max_size=n)), dtype=float)
    w = np.array(draw(st.lists(st.integers(1, 4), min_size=n, max_size=n)), dtype=float)
    return (y, score, w) if weighted else (y, score)


# -- hand-computed values -------------------------------------------------------------------


def test_hand_computed_auc_gini_ks() -> None:
    # goods score {2, 3, 4}, bads {1, 2}: 5 pairs right, 1 tie of 6 -> AUC = 5.5 / 6
    y = [1, 1, 0, 0, 0]
    s = [1, 2, 2, 3, 4]
    assert auc(y, s) == pytest.approx(5.5 / 6, abs=1e-15)
    assert gini(y, s) == pytest.approx(2 * 5.5 / 6 - 1, abs=1e-15)
    # cumulative from the risky end: at 1: bads 1/2, goods 0; at 2: 1 and 1/3 -> 2/3
    res = ks(y, s)
    assert isinstance(res, KS)
    assert res.statistic == pytest.approx(2 / 3, abs=1e-15)
    assert res.threshold == 2.0


def test_hand_computed_brier() -> None:
    assert brier([1, 0, 0, 1], [0.8, 0.1, 0.3, 0.4]) == pytest.approx(0.5 / 4, abs=1e-15)
    # weighted: (2 * 0.04 + 0.01) / 3
    assert brier([1, 0], [0.8, 0.1], sample_weight=[2, 1]) == pytest.approx(0.09 / 3, abs=1e-15)


def test_direction_score_and_pd_agree() -> None:
    rng = np.random.default_rng(0)
    n = 3000
    pd_bad = rng.uniform(0.01, 0.6, n)
    y = (rng.random(n) < pd_bad).astype(int)
    score = 600 + 28.85 * np.log((1 - pd_bad) / pd_bad)  # higher = safer
    a_score = auc(y, score)
    a_pd = auc(y, pd_bad, kind="pd")
    assert a_score > 0.6
    assert a_score == pytest.approx(a_pd, abs=1e-12)
    assert ks(y, score).statistic == pytest.approx(ks(y, pd_bad, kind="pd").statistic, abs=1e-12)
    # a reversed score is worse than random
    assert auc(y, -score) == pytest.approx(1 - a_score, abs=1e-12)
    assert gini(y, -score) == pytest.approx(-gini(y, score), abs=1e-12)


# -- cross-checks against scikit-learn and scipy ----------------------------------------------


@settings(max_examples=150, deadline=None)
@given(samples())
def test_auc_matches_sklearn_with_ties(sample: tuple[np.ndarray, ...]) -> None:
    y, s = sample
    # kind="score": P(good above bad) = ROC AUC with goods as the positive class
    assert auc(y, s) == pytest.approx(roc_auc_score(1 - y, s), abs=1e-12)
    # kind="pd": P(bad above good) = ROC AUC with bads positive
    assert auc(y, s, kind="pd") == pytest.approx(roc_auc_score(y, s), abs=1e-12)
    assert gini(y, s) == pytest.approx(2 * roc_auc_score(1 - y, s) - 1, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(samples(weighted=True))
def test_weighted_auc_matches_sklearn_and_replication(sample: tuple[np.ndarray, ...]) -> None:
    y, s, w = sample
    assert auc(y, s, sample_weight=w) == pytest.approx(
        roc_auc_score(1 - y, s, sample_weight=w), abs=1e-12
    )
    reps = w.astype(int)
    yr, sr = np.repeat(y, reps), np.repeat(s, reps)
    assert auc(y, s, sample_weight=w) == pytest.approx(auc(yr, sr), abs=1e-12)
    assert ks(y, s, sample_weight=w).statistic == pytest.approx(ks(yr, sr).statistic, abs=1e-12)
    pdv = s / (s.max() + 1)
    assert brier(y, pdv, sample_weight=w) == pytest.approx(
        brier_score_loss(y, pdv, sample_weight=w), abs=1e-12
    )


@settings(max_examples=150, deadline=None)
@given(samples())
def test_ks_matches_scipy_with_ties(sample: tuple[np.ndarray, ...]) -> None:
    y, s = sample
    with np.errstate(divide="ignore", invalid="ignore"):  # scipy's p-value, not the statistic
        expected = ks_2samp(s[y == 0], s[y == 1], method="asymp").statistic
    res = ks(y, s)
    assert res.statistic == pytest.approx(expected, abs=1e-12)
    assert ks(y, s, kind="pd").statistic == pytest.approx(expected, abs=1e-12)
    # the threshold is where the gap is reached: shares at or below it (risky side)
    gap = abs(np.mean(s[y == 1] <= res.threshold) - np.mean(s[y == 0] <= res.threshold))
    assert gap == pytest.approx(res.statistic, abs=1e-12)
    res_pd = ks(y, s, kind="pd")
    gap_pd = abs(np.mean(s[y == 1] >= res_pd.threshold) - np.mean(s[y == 0] >= res_pd.threshold))
    assert gap_pd == pytest.approx(res_pd.statistic, abs=1e-12)


def test_auc_large_sample_vectorized() -> None:
    rng = np.random.default_rng(1)
    n = 200_000
    s = rng.integers(300, 800, n).astype(float)
    y = (rng.random(n) < 1 / (1 + np.exp((s - 450) / 60))).astype(int)
    assert auc(y, s) == pytest.approx(roc_auc_score(1 - y, s), abs=1e-12)


def test_performance_hand_computed() -> None:
    # bads score 480 and 520, goods 600 and 620: every pair right; bads' PD 0.6 and 0.5
    m = performance([1, 0, 0, 1], [480, 620, 600, 520], [0.6, 0.1, 0.2, 0.5])
    assert list(m) == ["rows", "bad_rate", "auc", "gini", "ks", "brier"]
    assert m["rows"] == 4.0 and m["bad_rate"] == 0.5
    assert m["auc"] == 1.0 and m["gini"] == 1.0 and m["ks"] == 1.0
    assert m["brier"] == pytest.approx((0.16 + 0.01 + 0.04 + 0.25) / 4, abs=1e-15)


@settings(max_examples=40, deadline=None)
@given(samples(weighted=True))
def test_performance_is_the_metrics_of_one_sample(sample: tuple[np.ndarray, ...]) -> None:
    """Each entry is the metric function's value; weights count as replicated rows."""
    y, score, w = sample
    pd_bad = 1.0 / (1.0 + np.exp((score - score.mean()) / 3.0))  # higher score, lower PD
    m = performance(y, score, pd_bad, sample_weight=w)
    assert m["rows"] == len(y)  # rows are rows, not weights
    assert m["bad_rate"] == pytest.approx(np.sum(w * y) / np.sum(w), rel=1e-12)
    assert m["auc"] == auc(y, score, sample_weight=w)
    assert m["gini"] == gini(y, score, sample_weight=w)
    assert m["ks"] == ks(y, score, sample_weight=w).statistic
    assert m["brier"] == brier(y, pd_bad, sample_weight=w)
    rep = np.repeat(np.arange(len(y)), w.astype(int))
    again = performance(y[rep], score[rep], pd_bad[rep])
    for key in ("bad_rate", "auc", "gini", "ks", "brier"):
        assert again[key] == pytest.approx(m[key], rel=1e-9, abs=1e-12), key


def test_performance_refuses_bad_input() -> None:
    with pytest.raises(DataError, match="y"):
        performance(["a", "b"], [1.0, 2.0], [0.5, 0.5])
    with pytest.raises(DataError, match="pd_bad"):
        performance([0, 1], [1.0, 2.0], [0.5, 1.5])
    with pytest.raises(DataError, match="score"):
        performance([0, 1], [1.0], [0.5, 0.5])


def test_brier_matches_sklearn() -> None:
    rng = np.random.default_rng(2)
    p = rng.random(500)
    y = (rng.random(500) < p).astype(int)
    assert brier(y, p) == pytest.approx(brier_score_loss(y, p), abs=1e-15)


# -- gains table ------------------------------------------------------------------------


def test_gains_table_explicit_edges_hand_computed() -> None:
    y = [1, 1, 0, 1, 0, 0, 0, 0]
    s = [500, 510, 520, 530, 600, 610, 620, 630]
    t = gains_table(y, s, bands=[550, 615])
    assert t["band"].tolist() == [1, 2, 3]
    assert t["lower"].tolist() == [-np.inf, 550.0, 615.0]
    assert t["upper"].tolist() == [550.0, 615.0, np.inf]
    assert t["count"].tolist() == [4, 2, 2]
    assert t["goods"].tolist() == [1, 2, 2]
    assert t["bads"].tolist() == [3, 0, 0]
    np.testing.assert_allclose(t["bad_rate"], [0.75, 0, 0])
    np.testing.assert_allclose(t["share"], [0.5, 0.25, 0.25])
    np.testing.assert_allclose(t["cum_goods_share"], [0.2, 0.6, 1.0])
    np.testing.assert_allclose(t["cum_bads_share"], [1.0, 1.0, 1.0])
    np.testing.assert_allclose(t["lift"], [0.75 / 0.375, 0, 0])
    np.testing.assert_allclose(t["cum_lift"], [2.0, (3 / 6) / 0.375, 1.0])  # 3 bads in 6 rows
    np.testing.assert_allclose(t["ks"], [0.8, 0.4, 0.0], atol=1e-15)


def test_gains_table_pd_is_riskiest_first() -> None:
    y = [1, 1, 0, 1, 0, 0, 0, 0]
    pdv = [0.5, 0.4, 0.35, 0.3, 0.1, 0.08, 0.05, 0.02]
    t = gains_table(y, pdv, bands=[0.09, 0.2], kind="pd")
    assert t["lower"].tolist() == [0.2, 0.09, -np.inf]
    assert t["upper"].tolist() == [np.inf, 0.2, 0.09]
    assert t["bads"].tolist() == [3, 0, 0]
    assert t["count"].tolist() == [4, 1, 3]


def test_gains_table_keeps_empty_bands() -> None:
    t = gains_table([1, 0, 0], [1.0, 2.0, 3.0], bands=[10, 20])
    assert t["count"].tolist() == [3, 0, 0]
    assert np.isnan(t["bad_rate"].iloc[1])


@settings(max_examples=100, deadline=None)
@given(samples(weighted=True), st.integers(1, 12))
def test_gains_table_invariants(sample: tuple[np.ndarray, ...], nbands: int) -> None:
    y, s, w = sample
    t = gains_table(y, s, nbands, sample_weight=w)
    assert len(t) <= nbands
    assert t["count"].sum() == pytest.approx(w.sum())
    assert t["bads"].sum() == pytest.approx(w[y == 1].sum())
    assert t["cum_goods_share"].iloc[-1] == pytest.approx(1.0)
    assert t["cum_bads_share"].iloc[-1] == pytest.approx(1.0)
    assert t["ks"].iloc[-1] == pytest.approx(0.0, abs=1e-12)
    # bands are ordered riskiest (lowest score) first and do not overlap; ties stay together
    assert (t["upper"].to_numpy()[:-1] < t["lower"].to_numpy()[1:]).all()
    assert (t["count"] > 0).all()
    # KS of the table is at most the exact KS (the table sees fewer thresholds)
    assert t["ks"].abs().max() <= ks(y, s, sample_weight=w).statistic + 1e-12


@settings(max_examples=60, deadline=None)
@given(samples())
def test_gains_table_at_every_value_reaches_ks(sample: tuple[np.ndarray, ...]) -> None:
    y, s = sample
    edges = np.unique(s)
    t = gains_table(y, s, bands=edges + 0.5)  # one band per distinct value
    assert t["ks"].abs().max() == pytest.approx(ks(y, s).statistic, abs=1e-12)


def test_gains_table_deciles_have_equal_size() -> None:
    rng = np.random.default_rng(3)
    s = rng.permutation(1000).astype(float)
    y = (rng.random(1000) < 0.2).astype(int)
    y[:2] = [0, 1]
    t = gains_table(y, s, 10)
    assert t["count"].tolist() == [100] * 10
    assert t["lower"].iloc[0] == 0.0 and t["upper"].iloc[-1] == 999.0


# -- errors -------------------------------------------------------------------------------


def test_errors() -> None:
    with pytest.raises(DataError, match="NaN or infinite"):
        auc([0, 1], [1.0, np.nan])
    with pytest.raises(DataError, match="expected 0/1"):
        auc([0, 2], [1.0, 2.0])
    with pytest.raises(DataError, match="both goods"):
        ks([1, 1], [1.0, 2.0])
    with pytest.raises(DataError, match="expected 3 values"):
        gini([0, 1, 1], [1.0, 2.0])
    with pytest.raises(DataError, match=r"probabilities in \[0, 1\]"):
        brier([0, 1], [0.5, 1.5])
    with pytest.raises(DataError, match="misaligned"):
        auc(pd.Series([0, 1], index=[0, 1]), pd.Series([1.0, 2.0], index=[5, 6]))
    with pytest.raises(DataError, match="sample_weight"):
        auc([0, 1], [1.0, 2.0], sample_weight=[1.0])
    with pytest.raises(DataError, match="non-negative"):
        auc([0, 1], [1.0, 2.0], sample_weight=[1.0, -1.0])
    with pytest.raises(SpecificationError, match="kind"):
        auc([0, 1], [1.0, 2.0], kind="probability")  # type: ignore[arg-type]
    with pytest.raises(SpecificationError, match="increasing"):
        gains_table([0, 1], [1.0, 2.0], bands=[2.0, 1.0])
    with pytest.raises(SpecificationError, match="at least 1"):
        gains_table([0, 1], [1.0, 2.0], bands=0)


def test_series_inputs_aligned() -> None:
    idx = pd.Index([10, 11, 12, 13])
    y = pd.Series([1, 0, 0, 1], index=idx)
    s = pd.Series([1.0, 3.0, 4.0, 2.0], index=idx)
    w = pd.Series([1.0, 2.0, 1.0, 1.0], index=idx)
    assert auc(y, s, sample_weight=w) == pytest.approx(1.0)
