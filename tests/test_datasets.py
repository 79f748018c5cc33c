"""Tests of :mod:`scorecard.datasets`: the German credit data and the synthetic generator."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scorecard.datasets as ds
from scorecard.datasets import (
    CATEGORICAL_FEATURES,
    FEATURES,
    GERMAN_CREDIT_CITATION,
    NUMERIC_FEATURES,
    SPECIAL_CODES,
    load_german_credit,
    make_credit_data,
)
from scorecard.datasets._synthetic import _true_contributions
from scorecard.exceptions import SpecificationError

DOCS = Path(__file__).resolve().parents[1] / "docs" / "data.md"

POLICY_COLUMNS = (
    "requested_amount",
    "annual_income",
    "annual_revenue",
    "net_worth",
    "years_in_business",
    "expected_monthly_sales",
    "bankruptcy_flag",
    "sanctions_hit",
)
MISSING_FEATURES = ("months_employed", "revolving_utilization", "debt_to_income", "savings_balance")
NOISE_FEATURES = ("application_hour", "marketing_score", "region")


def auc(y: Any, score: Any) -> float:
    """Mann-Whitney AUC of ``score`` for ``y`` (1 = bad), ties counted half."""
    y = np.asarray(y)
    ranks = pd.Series(np.asarray(score, dtype=np.float64)).rank().to_numpy()
    n1 = int(y.sum())
    n0 = y.size - n1
    return float((ranks[y == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


@pytest.fixture(scope="module")
def german() -> pd.DataFrame:
    return load_german_credit()


@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    return make_credit_data(10_000, seed=0, include_truth=True)


@pytest.fixture(scope="module")
def big() -> pd.DataFrame:
    return make_credit_data(200_000, seed=7, include_truth=True)


# --------------------------------------------------------------------------------------
# Public surface
# --------------------------------------------------------------------------------------


def test_public_names() -> None:
    assert sorted(ds.__all__) == sorted(
        [
            "CATEGORICAL_FEATURES",
            "FEATURES",
            "GERMAN_CREDIT_CITATION",
            "NUMERIC_FEATURES",
            "SPECIAL_CODES",
            "load_german_credit",
            "make_credit_data",
        ]
    )
    for name in ds.__all__:
        assert hasattr(ds, name)


def test_import_does_not_load_heavy_dependencies() -> None:
    code = (
        "import sys, scorecard.datasets\n"
        "heavy = [m for m in ('optbinning', 'statsmodels', 'sklearn', 'matplotlib')"
        " if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    src = str(Path(ds.__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


# --------------------------------------------------------------------------------------
# German credit
# --------------------------------------------------------------------------------------


def test_german_shape_and_dtypes(german: pd.DataFrame) -> None:
    assert german.shape == (1000, 21)
    assert "creditability" not in german.columns
    assert german.columns[-1] == "bad"
    assert german["bad"].dtype == np.int8
    categorical = [c for c in german.columns if isinstance(german[c].dtype, pd.CategoricalDtype)]
    numeric = [c for c in german.columns if german[c].dtype == np.int64]
    assert len(categorical) == 13
    assert len(numeric) == 7
    assert not any(german[c].cat.ordered for c in categorical)
    assert german.notna().all().all()
    assert isinstance(german.index, pd.RangeIndex)


def test_german_target_counts(german: pd.DataFrame) -> None:
    assert german["bad"].value_counts().to_dict() == {0: 700, 1: 300}


def test_german_categories_in_uci_code_order(german: pd.DataFrame) -> None:
    assert list(german["status_of_existing_checking_account"].cat.categories) == [
        "... < 0 DM",
        "0 <= ... < 200 DM",
        "... >= 200 DM / salary assignments for at least 1 year",
        "no checking account",
    ]
    assert german["present_employment_since"].cat.categories[0] == "unemployed"
    # every listed level occurs (levels absent from the data are not listed)
    for c in german.select_dtypes("category"):
        assert (german[c].value_counts() > 0).all(), c


def test_german_known_iv_values(german: pd.DataFrame) -> None:
    """The IVs quoted in the data README, with each category as its own bin."""
    expected = {
        "status_of_existing_checking_account": 0.6660,
        "credit_history": 0.2932,
        "savings_account_and_bonds": 0.1960,
        "purpose": 0.1692,
        "property": 0.1126,
        "present_employment_since": 0.0864,
        "housing": 0.0833,
    }
    for name, iv in expected.items():
        counts = pd.crosstab(german[name], german["bad"])
        good = counts[0] / counts[0].sum()
        bad = counts[1] / counts[1].sum()
        assert float(((good - bad) * np.log(good / bad)).sum()) == pytest.approx(iv, abs=5e-5)


def test_german_returns_a_fresh_frame() -> None:
    first = load_german_credit()
    first.loc[0, "duration_in_month"] = -1
    assert load_german_credit().loc[0, "duration_in_month"] == 6


def test_german_citation() -> None:
    for part in ("Hofmann", "1994", "Statlog (German Credit Data)", "10.24432/C5NC77", "CC BY 4.0"):
        assert part in GERMAN_CREDIT_CITATION
        assert part in (load_german_credit.__doc__ or "")
    if DOCS.exists():
        text = DOCS.read_text(encoding="utf-8")
        for part in ("Hofmann", "10.24432/C5NC77", "CC BY 4.0"):
            assert part in text


# --------------------------------------------------------------------------------------
# Synthetic data: structure
# --------------------------------------------------------------------------------------


def test_feature_constants() -> None:
    assert len(FEATURES) == 25
    assert len(NUMERIC_FEATURES) == 15
    assert len(CATEGORICAL_FEATURES) == 10
    assert FEATURES == NUMERIC_FEATURES + CATEGORICAL_FEATURES
    assert len(set(FEATURES)) == 25
    assert set(SPECIAL_CODES) <= set(NUMERIC_FEATURES)
    for codes in SPECIAL_CODES.values():
        assert isinstance(codes, tuple)
        assert all(isinstance(c, float) for c in codes)


def test_synthetic_columns_and_dtypes(small: pd.DataFrame) -> None:
    expected = ["application_date", *FEATURES, *POLICY_COLUMNS, "bad", "true_log_odds", "true_pd"]
    assert list(small.columns) == expected
    assert isinstance(small.index, pd.RangeIndex)
    assert small.shape == (10_000, 37)
    assert small["bad"].dtype == np.int8
    assert set(np.unique(small["bad"])) == {0, 1}
    for name in NUMERIC_FEATURES:
        kind = "float64" if name in (*MISSING_FEATURES, "marketing_score") else "int64"
        assert small[name].dtype == kind, name
    for name in CATEGORICAL_FEATURES:
        dtype = small[name].dtype
        assert isinstance(dtype, pd.CategoricalDtype), name
        assert not dtype.ordered
    assert small["bankruptcy_flag"].dtype == bool
    assert small["sanctions_hit"].dtype == bool
    assert small["years_in_business"].dtype == np.int64
    for name in ("requested_amount", "annual_income", "annual_revenue", "net_worth"):
        assert small[name].dtype == np.float64
        assert small[name].notna().all()
    assert small["true_log_odds"].dtype == np.float64
    assert small["true_pd"].dtype == np.float64
    assert (small["requested_amount"] >= 500).all()
    assert (small["annual_income"] > 0).all()
    assert (small["net_worth"] < 0).any()


def test_truth_columns_only_on_request() -> None:
    df = make_credit_data(50)
    assert "true_log_odds" not in df.columns
    assert "true_pd" not in df.columns
    assert df.shape == (50, 35)


def test_application_dates(small: pd.DataFrame) -> None:
    dates = small["application_date"]
    assert pd.api.types.is_datetime64_dtype(dates)
    assert dates.is_monotonic_increasing
    assert dates.min() >= pd.Timestamp("2021-01-01")
    assert dates.max() <= pd.Timestamp("2023-12-31")
    assert (dates.max() - dates.min()).days > 3 * 365 - 10
    assert dates.dt.year.value_counts().min() > 3000


def test_channel_drifts_toward_online(big: pd.DataFrame) -> None:
    online = (big["channel"] == "online").groupby(big["application_date"].dt.year).mean()
    assert online[2021] < online[2022] < online[2023]
    assert online[2023] - online[2021] > 0.15


def test_missing_values_where_documented(small: pd.DataFrame) -> None:
    for name in FEATURES:
        assert small[name].isna().any() == (name in MISSING_FEATURES), name


def test_special_codes_where_documented(small: pd.DataFrame) -> None:
    all_codes = {c for codes in SPECIAL_CODES.values() for c in codes}
    for name in NUMERIC_FEATURES:
        x = small[name]
        codes = SPECIAL_CODES.get(name, ())
        for code in codes:
            assert (x == code).sum() > 50, (name, code)
        regular = x[~x.isin(codes) & x.notna()]
        assert (regular >= 0).all(), name
        if not codes:
            assert not x.isin(all_codes).any(), name


def test_postcode_high_cardinality(small: pd.DataFrame) -> None:
    pc = small["postcode_district"]
    assert len(pc.cat.categories) == 1500
    assert pc.cat.categories[0] == "PD0001"
    counts = pc.value_counts()
    assert (counts < 5).sum() > 1000  # most levels are rare at 10k rows
    assert (counts == 0).sum() > 100  # some never occur
    assert counts.iloc[0] > 500  # a few are frequent (Zipf-like)


def test_postcode_naive_target_encoding_overfits(small: pd.DataFrame) -> None:
    holdout = make_credit_data(10_000, seed=1)
    rates = small.groupby("postcode_district", observed=False)["bad"].mean()
    train_enc = small["postcode_district"].map(rates).astype(float)
    holdout_enc = holdout["postcode_district"].map(rates).astype(float)
    holdout_enc = holdout_enc.fillna(small["bad"].mean())
    assert auc(small["bad"], train_enc) > 0.74
    assert auc(holdout["bad"], holdout_enc) < 0.62


def test_rare_levels_of_loan_purpose(small: pd.DataFrame) -> None:
    shares = small["loan_purpose"].value_counts(normalize=True)
    assert len(shares) == 10
    assert (shares < 0.01).sum() >= 2
    assert (shares > 0).all()


# --------------------------------------------------------------------------------------
# Synthetic data: determinism
# --------------------------------------------------------------------------------------


def test_same_seed_same_frame() -> None:
    a = make_credit_data(2_000, seed=3, include_truth=True)
    b = make_credit_data(2_000, seed=3, include_truth=True)
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_different_seed_different_frame() -> None:
    a = make_credit_data(2_000, seed=3)
    b = make_credit_data(2_000, seed=4)
    assert not a.equals(b)
    assert not a["bureau_score"].equals(b["bureau_score"])


def test_pinned_values() -> None:
    """Exact values of one sample: a change of the generator (or of NumPy's streams) shows here.

    If this fails after an intended change, update these values and say so in the changelog.
    """
    df = make_credit_data(1_000, seed=0, include_truth=True)
    assert int(df["bad"].sum()) == 86
    assert df["bureau_score"].head(5).tolist() == [624, 733, -999, 608, 600]
    assert df["postcode_district"].head(3).astype(str).tolist() == ["PD0941", "PD0487", "PD0576"]
    assert df["savings_balance"].head(4).tolist() == [12830.0, 0.0, 7950.0, 550.0]
    assert df["true_log_odds"].iloc[0] == pytest.approx(-2.1295081676, abs=1e-9)
    assert df["true_pd"].mean() == pytest.approx(0.1, abs=1e-10)


def test_changing_public_special_codes_does_not_change_the_generator() -> None:
    before = make_credit_data(500, seed=9)
    saved = dict(SPECIAL_CODES)
    try:
        SPECIAL_CODES["bureau_score"] = (-1.0,)
        after = make_credit_data(500, seed=9)
    finally:
        SPECIAL_CODES.clear()
        SPECIAL_CODES.update(saved)
    pd.testing.assert_frame_equal(before, after)


def test_numpy_integer_arguments() -> None:
    a = make_credit_data(np.int64(20), seed=np.uint32(5), bad_rate=np.float64(0.2))
    b = make_credit_data(20, seed=5, bad_rate=0.2)
    pd.testing.assert_frame_equal(a, b)


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(1, 300),
    seed=st.integers(0, 2**63),
    bad_rate=st.floats(1e-6, 1 - 1e-6),
)
def test_any_arguments_give_a_consistent_frame(n: int, seed: int, bad_rate: float) -> None:
    a = make_credit_data(n, seed=seed, bad_rate=bad_rate, include_truth=True)
    b = make_credit_data(n, seed=seed, bad_rate=bad_rate, include_truth=True)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert len(a) == n
    assert a["true_pd"].between(0, 1).all()
    assert a["true_pd"].mean() == pytest.approx(bad_rate, rel=1e-9)
    np.testing.assert_allclose(a["true_pd"], 1 / (1 + np.exp(-a["true_log_odds"])), rtol=1e-12)
    assert set(np.unique(a["bad"])) <= {0, 1}


# --------------------------------------------------------------------------------------
# Synthetic data: the true model
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad_rate", [0.02, 0.1, 0.3])
def test_bad_rate_close_to_requested(bad_rate: float) -> None:
    n = 50_000
    df = make_credit_data(n, seed=11, bad_rate=bad_rate)
    sd = math.sqrt(bad_rate * (1 - bad_rate) / n)
    assert abs(df["bad"].mean() - bad_rate) < 5 * sd


def test_truth_agrees_with_realized_target(big: pd.DataFrame) -> None:
    sm = pytest.importorskip("statsmodels.api")
    assert big["true_pd"].mean() == pytest.approx(0.1, abs=1e-10)
    assert abs(big["bad"].mean() - 0.1) < 0.003
    x = sm.add_constant(big["true_log_odds"].to_numpy())
    fit = sm.Logit(big["bad"].to_numpy(), x).fit(disp=0)
    intercept, slope = fit.params
    assert slope == pytest.approx(1.0, abs=0.04)
    assert intercept == pytest.approx(0.0, abs=0.1)


def test_true_model_auc(big: pd.DataFrame) -> None:
    assert 0.75 < auc(big["bad"], big["true_log_odds"]) < 0.85


def test_true_log_odds_is_intercept_plus_documented_effects(small: pd.DataFrame) -> None:
    contributions = _true_contributions(small)
    assert list(contributions.columns) == list(FEATURES)
    intercept = small["true_log_odds"] - contributions.sum(axis=1)
    assert np.ptp(intercept.to_numpy()) < 1e-9
    for name in NOISE_FEATURES:
        assert (contributions[name] == 0).all(), name
    for name in set(FEATURES) - set(NOISE_FEATURES):
        assert contributions[name].std() > 0.05, name


def _bad_rate_by(df: pd.DataFrame, name: str, bins: list[float]) -> pd.Series:
    x = df[name]
    regular = x.notna() & ~x.isin(SPECIAL_CODES.get(name, ()))
    groups = pd.cut(x[regular], bins, include_lowest=True)
    return df.loc[regular, "bad"].groupby(groups, observed=True).mean()


def test_effect_shapes_visible_in_data(big: pd.DataFrame) -> None:
    score = _bad_rate_by(big, "bureau_score", [300, 560, 620, 660, 700, 760, 850])
    assert score.is_monotonic_decreasing
    late = _bad_rate_by(big, "num_late_payments_24m", [-0.5, 0.5, 1.5, 3.5, 24])
    assert late.is_monotonic_increasing
    util = _bad_rate_by(big, "revolving_utilization", [0, 0.1, 0.3, 0.45, 0.8, 1.1])
    assert util.iloc[0] > util.iloc[2] < util.iloc[-1]
    accounts = _bad_rate_by(big, "num_open_accounts", [-0.5, 3.5, 5.5, 8.5, 10.5, 40])
    assert accounts.iloc[0] > accounts.iloc[2] < accounts.iloc[-1]
    # missing and special rows carry their own (here: higher) risk
    overall = big["bad"].mean()
    assert big.loc[big["bureau_score"] == -999, "bad"].mean() > overall
    assert big.loc[big["debt_to_income"].isna(), "bad"].mean() > overall


def test_noise_features_have_no_signal(big: pd.DataFrame) -> None:
    for name in NOISE_FEATURES:
        x = big[name]
        key = x if name == "region" else pd.qcut(x, 5, duplicates="drop")
        rates = big["bad"].groupby(key, observed=True).mean()
        assert rates.max() - rates.min() < 0.01, name


def test_bankruptcy_flag_is_rare_and_riskier(big: pd.DataFrame) -> None:
    flag = big["bankruptcy_flag"]
    assert 0.005 < flag.mean() < 0.02
    assert big.loc[flag, "true_pd"].mean() > 1.5 * big["true_pd"].mean()
    assert 0 < big["sanctions_hit"].sum() < 0.002 * len(big)


# --------------------------------------------------------------------------------------
# Argument validation
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"n": 0}, "n"),
        ({"n": -5}, "n"),
        ({"n": 1.5}, "n"),
        ({"n": "100"}, "n"),
        ({"n": True}, "n"),
        ({"seed": -1}, "seed"),
        ({"seed": 1.5}, "seed"),
        ({"seed": "0"}, "seed"),
        ({"seed": None}, "seed"),
        ({"seed": True}, "seed"),
        ({"bad_rate": 0.0}, "bad_rate"),
        ({"bad_rate": 1.0}, "bad_rate"),
        ({"bad_rate": -0.1}, "bad_rate"),
        ({"bad_rate": 1.5}, "bad_rate"),
        ({"bad_rate": float("nan")}, "bad_rate"),
        ({"bad_rate": "0.1"}, "bad_rate"),
        ({"include_truth": "yes"}, "include_truth"),
    ],
)
def test_invalid_arguments(kwargs: dict[str, Any], argument: str) -> None:
    with pytest.raises(SpecificationError) as info:
        make_credit_data(**kwargs)
    message = str(info.value)
    assert f"{argument}:" in message
    assert "expected" in message
    assert "found" in message
    assert isinstance(info.value, ValueError)
