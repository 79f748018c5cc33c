"""The statistics of monitoring, each against a hand computation or an independent one."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from scorecard._core.stats import iv_terms
from scorecard.exceptions import DataError, SpecificationError
from scorecard.metrics import auc, ks
from scorecard.monitor import psi, psi_critical_value, psi_pvalue
from scorecard.monitor._stats import (
    auc_delong,
    classification_at,
    event_rate_tests,
    fisher_exact,
    holm,
    ks_bootstrap,
    ks_from_counts,
    psi_terms,
    worst,
)

# --------------------------------------------------------------------------- PSI


def test_psi_worked_check_of_the_issue() -> None:
    """Expected 10 % in each of 10 bins against (8, 9, 10, 10, 11, 11, 10, 11, 10, 10) %."""
    actual = [8, 9, 10, 10, 11, 11, 10, 11, 10, 10]
    by_hand = (
        (0.08 - 0.10) * math.log(0.8)
        + (0.09 - 0.10) * math.log(0.9)
        + 3 * (0.11 - 0.10) * math.log(1.1)
    )
    assert round(by_hand, 5) == 0.00838
    assert psi([10] * 10, actual) == pytest.approx(by_hand, abs=1e-15)
    assert round(psi([1_000] * 10, [a * 100 for a in actual]), 5) == 0.00838


def test_empty_bin_in_baseline_uses_the_zero_count_rule_of_woe() -> None:
    """A bin with rows in the current sample only: +0.5 on both of its counts, totals kept."""
    terms = psi_terms([50, 50, 0], [40, 50, 10])
    assert terms[0] == pytest.approx((0.40 - 0.50) * math.log(0.40 / 0.50))
    assert terms[1] == 0.0
    # smoothed: current 10.5 / 100, baseline 0.5 / 100
    assert terms[2] == pytest.approx((0.105 - 0.005) * math.log(0.105 / 0.005))
    assert psi([50, 50, 0], [40, 50, 10]) == pytest.approx(terms.sum())


def test_pure_bin_absent_from_the_current_sample_is_kept() -> None:
    """A bin with baseline rows only is never dropped: it contributes a positive term."""
    terms = psi_terms([30, 70], [100, 0])
    a, e = np.array([100.0, 0.5]) / 100, np.array([30.0, 70.5]) / 100
    assert terms == pytest.approx((a - e) * np.log(a / e))
    assert terms[1] > 0


def test_bin_empty_in_both_samples_adds_nothing() -> None:
    assert psi([10, 0, 20], [15, 0, 15]) == pytest.approx(psi([10, 20], [15, 15]))


def test_psi_is_the_iv_function_of_current_and_baseline_counts() -> None:
    """One function, one zero-count rule: the PSI terms are the IV terms."""
    e, a = [12, 0, 30, 5], [10, 4, 0, 9]
    assert psi_terms(e, a) == pytest.approx(iv_terms(a, e, 0.5))
    assert psi_terms(e, a, 0.25) == pytest.approx(iv_terms(a, e, 0.25))


def test_psi_refuses_bad_counts() -> None:
    with pytest.raises(DataError, match="both samples"):
        psi([0, 0], [1, 2])
    with pytest.raises(DataError, match="one per baseline bin"):
        psi([1, 2], [1, 2, 3])
    with pytest.raises(DataError, match="counts >= 0"):
        psi([1, -2], [1, 2])
    with pytest.raises(SpecificationError, match="smoothing"):
        psi([1, 0], [1, 2], smoothing=0)


counts = st.lists(st.integers(0, 500), min_size=2, max_size=12)


@given(counts, counts)
def test_psi_is_nonnegative_term_by_term(e: list[int], a: list[int]) -> None:
    k = min(len(e), len(a))
    e, a = e[:k], a[:k]
    if sum(e) == 0 or sum(a) == 0:
        return
    terms = psi_terms(e, a)
    assert np.all(terms >= 0)
    assert psi(e, a) >= 0


@given(counts, st.integers(1, 50))
def test_psi_of_a_sample_with_itself_is_zero(e: list[int], factor: int) -> None:
    if sum(e) == 0:
        return
    assert psi(e, e) == 0.0
    assert psi(e, [v * factor for v in e]) == pytest.approx(0.0, abs=1e-15)


# --------------------------------------------------------------------------- critical values


def test_critical_values_by_hand() -> None:
    scale = 1 / 1000 + 1 / 1000
    assert psi_critical_value(1000, 1000, 10) == pytest.approx(scale * 16.918977604620448)
    assert psi_critical_value(1000, 1000, 10) == pytest.approx(scale * stats.chi2.ppf(0.95, 9))
    normal = scale * (9 + stats.norm.ppf(0.95) * math.sqrt(18))
    assert psi_critical_value(1000, 1000, 10, method="normal") == pytest.approx(normal)
    assert psi_critical_value(500, 2000, 6, alpha=0.01) == pytest.approx(
        (1 / 500 + 1 / 2000) * stats.chi2.ppf(0.99, 5)
    )
    # p-value at the critical value is alpha
    c = psi_critical_value(800, 1200, 7, alpha=0.05)
    assert psi_pvalue(c, 800, 1200, 7) == pytest.approx(0.05)
    assert math.isnan(psi_critical_value(10, 10, 1))


def test_small_samples_get_a_high_bar_and_huge_ones_a_low_one() -> None:
    small = psi_critical_value(300, 300, 10)
    huge = psi_critical_value(10**6, 10**6, 10)
    assert small > 0.10  # a 0.10 PSI of two samples of 300 is within noise
    assert huge < 1e-4  # a 0.01 PSI of two samples of a million is not


def test_critical_value_refuses_bad_arguments() -> None:
    with pytest.raises(DataError):
        psi_critical_value(0, 10, 5)
    with pytest.raises(SpecificationError, match="alpha"):
        psi_critical_value(10, 10, 5, alpha=1.5)
    with pytest.raises(SpecificationError, match="method"):
        psi_critical_value(10, 10, 5, method="exact")  # type: ignore[arg-type]
    with pytest.raises(SpecificationError, match="bins"):
        psi_critical_value(10, 10, 0)


@pytest.mark.parametrize(
    ("n", "m", "probs"),
    [
        (2_000, 2_000, [0.10, 0.20, 0.30, 0.25, 0.15]),
        (5_000, 800, [0.05, 0.08, 0.12, 0.15, 0.2, 0.15, 0.1, 0.08, 0.04, 0.03]),
    ],
)
def test_critical_value_holds_its_level_by_simulation(n: int, m: int, probs: list[float]) -> None:
    """Both samples drawn from one multinomial: about 5 % of the PSIs exceed the 95 %
    chi-square critical value (Yurdakul's approximation); the normal approximation's
    critical value is lower for few bins, so it is exceeded more often."""
    rng = np.random.default_rng(20_240_517)
    reps = 4_000
    p = np.asarray(probs)
    E = rng.multinomial(n, p, size=reps)
    A = rng.multinomial(m, p, size=reps)
    values = np.asarray([psi(e, a) for e, a in zip(E, A)])
    B = len(probs)
    share_chi2 = float(np.mean(values > psi_critical_value(n, m, B)))
    share_normal = float(np.mean(values > psi_critical_value(n, m, B, method="normal")))
    assert 0.04 <= share_chi2 <= 0.065, share_chi2
    assert share_chi2 <= share_normal <= 0.10, share_normal
    # the mean of the null PSI is about (1/n + 1/m)(B - 1)
    assert values.mean() == pytest.approx((1 / n + 1 / m) * (B - 1), rel=0.05)


# --------------------------------------------------------------------------- event-rate tests


def test_event_rate_tests_against_scipy() -> None:
    rng = np.random.default_rng(3)
    for _ in range(200):
        gb, bb, gc, bc = (int(v) for v in rng.integers(0, 40, size=4))
        stat, p, test = event_rate_tests([gb], [bb], [gc], [bc])
        if gb + bb == 0 or gc + bc == 0:
            assert test == ["n/a"] and math.isnan(p[0])
            continue
        table = np.array([[bb, gb], [bc, gc]])
        if (bb + bc) > 0 and (gb + gc) > 0:
            chi2 = stats.chi2_contingency(table, correction=False)
            assert stat[0] == pytest.approx(chi2.statistic)
            if test == ["chi2"]:
                assert p[0] == pytest.approx(chi2.pvalue)
                assert chi2.expected_freq.min() >= 5
        if test == ["fisher"]:
            assert p[0] == pytest.approx(stats.fisher_exact(table).pvalue, rel=1e-9)


@given(st.lists(st.integers(0, 30), min_size=4, max_size=4))
def test_fisher_exact_agrees_with_scipy(cells: list[int]) -> None:
    a, b, c, d = cells
    expected = stats.fisher_exact([[a, b], [c, d]]).pvalue
    assert fisher_exact(a, b, c, d) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_holm_against_statsmodels() -> None:
    from statsmodels.stats.multitest import multipletests

    rng = np.random.default_rng(1)
    p = rng.random(12) ** 3
    assert holm(p) == pytest.approx(multipletests(p, method="holm")[1])
    with_nan = np.r_[p[:5], np.nan, p[5:]]
    adj = holm(with_nan)
    assert math.isnan(adj[5])
    assert np.r_[adj[:5], adj[6:]] == pytest.approx(multipletests(p, method="holm")[1])


def test_worst_status() -> None:
    assert worst(["green", "red", "amber"]) == "red"
    assert worst(["n/a", "green"]) == "green"
    assert worst(["n/a"]) == "n/a"


# --------------------------------------------------------------------------- DeLong, KS


def _delong_quadratic(scores_good: np.ndarray, scores_bad: np.ndarray) -> tuple[float, float]:
    """DeLong et al. (1988) by the O(n^2) Mann-Whitney kernel: psi = 1 if good > bad,
    1/2 if tied, 0 otherwise; V10, V01 the row and column means; sample variances."""
    kernel = (scores_good[:, None] > scores_bad[None, :]).astype(float)
    kernel += 0.5 * (scores_good[:, None] == scores_bad[None, :])
    v10 = kernel.mean(axis=1)
    v01 = kernel.mean(axis=0)
    area = kernel.mean()
    var = v10.var(ddof=1) / len(scores_good) + v01.var(ddof=1) / len(scores_bad)
    return float(area), float(var)


def _counts_of(good: np.ndarray, bad: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    values = np.unique(np.r_[good, bad])
    g = np.asarray([(good == v).sum() for v in values], dtype=float)
    b = np.asarray([(bad == v).sum() for v in values], dtype=float)
    return values, g, b


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_delong_from_counts_equals_the_quadratic_computation(seed: int) -> None:
    rng = np.random.default_rng(seed)
    good = rng.integers(500, 640, size=300)  # integer scores: many ties
    bad = rng.integers(470, 600, size=60)
    _values, g, b = _counts_of(good, bad)
    area, var = auc_delong(g, b)
    ref_area, ref_var = _delong_quadratic(good, bad)
    assert area == pytest.approx(ref_area, abs=1e-12)
    assert var == pytest.approx(ref_var, rel=1e-10)
    y = np.r_[np.zeros(good.size), np.ones(bad.size)]
    assert area == pytest.approx(auc(y, np.r_[good, bad]))


def test_delong_small_case_by_hand() -> None:
    """Goods at 2, 3, 4 and bads at 1, 2: placements V10 = (3/4, 1, 1), V01 = (1, 5/6)."""
    area, var = auc_delong([0, 1, 1, 1], [1, 1, 0, 0])
    assert area == pytest.approx(11 / 12)
    s10 = np.var([0.75, 1, 1], ddof=1)
    s01 = np.var([1, 5 / 6], ddof=1)
    assert var == pytest.approx(s10 / 3 + s01 / 2)


def test_delong_not_computable_cases() -> None:
    assert all(math.isnan(v) for v in auc_delong([3, 4], [0, 0]))
    area, var = auc_delong([0, 1], [1, 0])  # one bad below one good
    assert area == 1.0 and math.isnan(var)


def test_ks_from_counts_against_the_metrics_module_and_scipy() -> None:
    rng = np.random.default_rng(5)
    good = rng.integers(500, 640, size=400)
    bad = rng.integers(470, 600, size=80)
    _values, g, b = _counts_of(good, bad)
    y = np.r_[np.zeros(good.size), np.ones(bad.size)]
    value = ks_from_counts(g, b)
    assert value == pytest.approx(ks(y, np.r_[good, bad]).statistic)
    assert value == pytest.approx(stats.ks_2samp(good, bad).statistic)
    assert math.isnan(ks_from_counts([1, 2], [0, 0]))


def test_ks_bootstrap_is_seeded_and_keeps_the_class_totals() -> None:
    g, b = np.array([5.0, 10, 20, 30]), np.array([8.0, 4, 2, 1])
    one = ks_bootstrap(g, b, 300, np.random.default_rng(1))
    two = ks_bootstrap(g, b, 300, np.random.default_rng(1))
    assert one.shape == (300,) and np.array_equal(one, two)
    assert np.all((one >= 0) & (one <= 1))
    assert abs(one.mean() - ks_from_counts(g, b)) < 0.1
    assert ks_bootstrap(g, np.zeros(4), 10, np.random.default_rng(0)).size == 0


def test_classification_rates_by_hand() -> None:
    # scores 500, 600, 700; goods 1, 4, 5; bads 3, 1, 0; below 550 predicted bad
    r = classification_at([500, 600, 700], [1, 4, 5], [3, 1, 0], cutoff=550)
    assert r["tpr"] == pytest.approx(3 / 4)
    assert r["tnr"] == pytest.approx(9 / 10)
    assert r["fpr"] == pytest.approx(1 / 10)
    assert r["fnr"] == pytest.approx(1 / 4)
    assert r["balanced_accuracy"] == pytest.approx((0.75 + 0.9) / 2)
    dp = math.sqrt(3) / math.pi * (math.log(0.75 / 0.1) + math.log(0.9 / 0.25))
    assert r["discriminant_power"] == pytest.approx(dp)
