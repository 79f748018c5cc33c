"""Small classes that differ keep their own class or bin; the report's pooling warnings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2_contingency

from scorecard import BinningSpec, analyze, bin_features
from scorecard._analyze.fine import pool_rare
from scorecard._analyze.optb import keep_distinct
from scorecard._core.stats import distinct_pvalue
from scorecard.exceptions import DataError, SpecificationError

counts = st.integers(min_value=0, max_value=400)


@settings(max_examples=60, deadline=None)
@given(counts, counts, counts, counts)
def test_distinct_pvalue_is_the_g_test(g1: int, b1: int, g2: int, b2: int) -> None:
    p = float(distinct_pvalue([g1], [b1], [g2], [b2])[0])
    table = np.array([[g1, b1], [g2, b2]], dtype=float)
    if (table.sum(axis=0) == 0).any() or (table.sum(axis=1) == 0).any():
        assert p == 1.0  # nothing tells the groups apart
        return
    expected = chi2_contingency(table, correction=False, lambda_="log-likelihood").pvalue
    assert p == pytest.approx(expected, rel=1e-7, abs=1e-12)


def test_distinct_pvalue_refuses_unequal_lengths() -> None:
    with pytest.raises(DataError, match="equal length"):
        distinct_pvalue([1, 2], [1, 2], [3], [4])


def test_pool_rare_keeps_a_distinct_level_apart() -> None:
    goods = np.array([30.0, 28, 2, 33])
    bads = np.array([4.0, 3, 40, 5])
    assert pool_rare(goods, bads, 0.01).tolist() == [0, 1, 3]
    assert pool_rare(goods, bads, None).tolist() == [0, 1, 2, 3]
    # alike levels stay pooled
    assert pool_rare(goods, goods / 8, 0.01).tolist() == [0, 1, 2, 3]


def _flag_frame(kind: str) -> pd.DataFrame:
    """2,000 rows; a yes/no flag whose 'yes' (2 %) is 90 % bad; a weak numeric feature."""
    rng = np.random.default_rng(3)
    n = 2_000
    yes = np.zeros(n, dtype=bool)
    yes[:40] = True
    bad = np.where(yes, rng.random(n) < 0.9, rng.random(n) < 0.15).astype(int)
    flag: object = np.where(yes, "yes", "no").astype(object) if kind == "categorical" else yes
    return pd.DataFrame({"flag": flag, "x": rng.normal(size=n).round(2), "bad": bad})


@pytest.mark.parametrize("kind", ["categorical", "numeric"])
def test_rare_decisive_level_gets_a_bin(kind: str) -> None:
    df = _flag_frame(kind)
    kept = bin_features(df, "bad", features=["flag"])["flag"]
    assert kept.n_regular == 2
    assert kept.iv > 0.2
    pooled = bin_features(
        df, "bad", features=["flag"], spec=BinningSpec(distinct_alpha=None, min_bin_share=0.05)
    )["flag"]
    assert pooled.n_regular == 1


def test_keep_distinct_keeps_a_monotone_feature_monotone() -> None:
    # ordered classes; the small last one (1 %) is far riskier: it leaves its bin at the end
    goods = np.array([300.0, 280, 250, 200, 2])
    bads = np.array([10.0, 20, 30, 50, 18])
    groups = np.array([0, 0, 1, 2, 2])
    out = keep_distinct(goods, bads, groups, ordered=True, min_bin_share=0.05, alpha=0.01)
    assert out.tolist() == [0, 0, 1, 2, 3]
    # a small class in the middle of its bin is never split out (the bin would break)
    mid = keep_distinct(
        np.array([300.0, 2, 280]),
        np.array([10.0, 18, 20]),
        np.array([0, 0, 0]),
        ordered=True,
        min_bin_share=0.05,
        alpha=0.01,
    )
    assert mid.tolist() == [0, 0, 0]
    # a split that would turn a monotone bad rate is not made
    turn = keep_distinct(
        np.array([300.0, 280, 20]),
        np.array([50.0, 30, 20]),
        np.array([0, 1, 1]),
        ordered=True,
        min_bin_share=0.2,
        alpha=0.5,
    )
    assert turn.tolist() == [0, 1, 1]
    # max_bins holds; alpha=None changes nothing
    assert (
        keep_distinct(
            goods, bads, groups, ordered=True, min_bin_share=0.05, alpha=0.01, max_bins=3
        ).tolist()
        == groups.tolist()
    )
    assert (
        keep_distinct(goods, bads, groups, ordered=True, min_bin_share=0.05, alpha=None).tolist()
        == groups.tolist()
    )


def test_report_warns_when_a_feature_collapses_to_one_bin() -> None:
    df = _flag_frame("numeric")
    b = bin_features(df, "bad", spec=BinningSpec(distinct_alpha=None, min_bin_share=0.05))
    rep = analyze(b).set_index("feature")
    w = rep.loc["flag", "warnings"]
    assert "collapsed to one bin: 2 fine classes (IV " in w
    fine_iv = float(w.split("(IV ")[1].split(")")[0])
    assert fine_iv > 0.2
    # the default keeps the flag's two bins: no warning
    w = analyze(bin_features(df, "bad")).set_index("feature").loc["flag", "warnings"]
    assert "one bin" not in w


def test_report_warns_about_a_pooled_level_far_from_its_pool() -> None:
    rng = np.random.default_rng(5)
    levels = np.array(["a", "b", "c", "d", "odd"], dtype=object)
    sizes = [600, 600, 600, 600, 60]
    rates = [0.1, 0.15, 0.2, 0.25, 0.95]
    x = np.repeat(levels, sizes)
    bad = np.concatenate([rng.random(s) < r for s, r in zip(sizes, rates, strict=True)])
    df = pd.DataFrame({"cat": x, "bad": bad.astype(int)})
    # by size alone, the solver pools 'odd' (2.3 % of the rows) with its riskiest neighbour
    pooled = bin_features(df, "bad", spec=BinningSpec(distinct_alpha=None))
    w = analyze(pooled)["warnings"].item()
    assert "pooled level far from its bin: {'odd'} (60 rows, bad rate 9" in w
    # the default keeps it apart: a bin of its own, no warning
    kept = bin_features(df, "bad")
    assert kept["cat"].n_regular == pooled["cat"].n_regular + 1
    assert "far from its bin" not in analyze(kept)["warnings"].item()


@pytest.mark.parametrize(
    ("field", "value"),
    [("distinct_alpha", 0.0), ("distinct_alpha", 1.0), ("max_pvalue", 0.0), ("max_pvalue", 2)],
)
def test_spec_refuses_bad_test_levels(field: str, value: float) -> None:
    with pytest.raises(SpecificationError, match=f"BinningSpec.{field}: expected"):
        BinningSpec(**{field: value})


def test_max_pvalue_merges_bins_that_do_not_differ() -> None:
    df = _flag_frame("numeric")
    free = bin_features(df, "bad", features=["x"], spec=BinningSpec(min_bin_share=0.02))["x"]
    tested = bin_features(
        df, "bad", features=["x"], spec=BinningSpec(min_bin_share=0.02, max_pvalue=0.05)
    )["x"]
    assert tested.n_regular <= free.n_regular
