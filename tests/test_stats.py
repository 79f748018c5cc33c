"""Conventions of _stats, each checked against an independent computation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard._core.stats import (
    bad_rate,
    gini_from_counts,
    iv,
    iv_label,
    iv_terms,
    smoothed_counts,
    woe,
    woe_with_treatment,
)
from scorecard.exceptions import DataError

counts = st.lists(
    st.tuples(st.integers(0, 500), st.integers(0, 500)), min_size=2, max_size=12
).filter(lambda c: sum(g for g, _ in c) > 0 and sum(b for _, b in c) > 0)


def test_woe_sign_positive_is_safer() -> None:
    # bin 0: 90 goods / 10 bads (bad rate 10%) vs population 50%: safer -> positive
    w = woe([90, 10], [10, 90])
    assert w[0] == pytest.approx(math.log((90 / 100) / (10 / 100)))
    assert w[0] > 0 > w[1]


def test_iv_formula_by_hand() -> None:
    g, b = [30, 50, 20], [20, 10, 10]
    G, B = 100, 40
    expected = sum((gi / G - bi / B) * math.log((gi / G) / (bi / B)) for gi, bi in zip(g, b))
    assert iv(g, b) == pytest.approx(expected, rel=1e-12)


def test_smoothing_rule_adds_half_to_both_counts_of_pure_bins_only() -> None:
    g, b = smoothed_counts([10, 0, 5, 0], [2, 3, 0, 0])
    assert g.tolist() == [10, 0.5, 5.5, 0]
    assert b.tolist() == [2, 3.5, 0.5, 0]
    w = woe([10, 0, 5], [2, 3, 0])
    G, B = 15, 5
    assert w[1] == pytest.approx(math.log((0.5 / G) / (3.5 / B)))
    assert w[2] == pytest.approx(math.log((5.5 / G) / (0.5 / B)))


def test_zero_smoothing_refuses_pure_bins() -> None:
    with pytest.raises(DataError, match="no goods or no bads"):
        woe([10, 0], [2, 3], smoothing=0)


def test_empty_bin_treatments() -> None:
    g, b = [80, 20, 0], [10, 10, 0]
    assert math.isnan(woe(g, b)[2])
    assert woe_with_treatment(g, b, "neutral")[2] == 0.0
    assert woe_with_treatment(g, b, "worst")[2] == pytest.approx(woe(g, b)[1])
    assert math.isnan(woe_with_treatment(g, b, "error")[2])
    assert iv_terms(g, b)[2] == 0.0


def test_totals_need_goods_and_bads() -> None:
    with pytest.raises(DataError, match="at least one good and one bad"):
        woe([1, 2], [0, 0])


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (0.0, "unpredictive"),
        (0.019, "unpredictive"),
        (0.02, "weak"),
        (0.1, "medium"),
        (0.3, "strong"),
        (0.5, "strong"),
        (0.51, "suspicious"),
    ],
)
def test_iv_labels(value: float, label: str) -> None:
    assert iv_label(value) == label


@given(counts)
def test_iv_nonnegative_and_terms_nonnegative(c: list[tuple[int, int]]) -> None:
    g, b = zip(*c)
    assert np.all(iv_terms(g, b) >= -1e-15)
    assert iv(g, b) >= 0


@given(counts)
def test_gini_from_counts_matches_pairwise_definition(c: list[tuple[int, int]]) -> None:
    g, b = (np.asarray(v, dtype=float) for v in zip(*c))
    s = woe_with_treatment(g, b, "neutral")
    # independent: explicit pairwise comparison over bins
    conc = sum(
        g[i] * b[j] * ((s[i] > s[j]) + 0.5 * (s[i] == s[j]))
        for i in range(len(g))
        for j in range(len(g))
    )
    expected = 2 * conc / (g.sum() * b.sum()) - 1
    assert gini_from_counts(g, b, s) == pytest.approx(expected, abs=1e-12)


@given(counts)
def test_merged_woe_between_parts(c: list[tuple[int, int]]) -> None:
    g, b = (np.asarray(v, dtype=float) for v in zip(*c))
    if (g[0] + b[0]) == 0 or (g[1] + b[1]) == 0 or min(g[0], b[0], g[1], b[1]) == 0:
        return  # smoothing makes pure bins a different estimator
    w = woe(g, b)
    mg = np.r_[g[0] + g[1], g[2:]]
    mb = np.r_[b[0] + b[1], b[2:]]
    merged = woe(mg, mb)[0]
    assert min(w[0], w[1]) - 1e-12 <= merged <= max(w[0], w[1]) + 1e-12


def test_bad_rate() -> None:
    r = bad_rate([3, 0], [1, 0])
    assert r[0] == 0.25 and math.isnan(r[1])
