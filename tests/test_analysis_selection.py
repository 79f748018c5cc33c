"""Feature analysis report and feature selection."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scorecard import BinningSpec, analyze, bin_features, select_features
from scorecard._core.stats import iv_label, vif
from scorecard.exceptions import SpecificationError


@pytest.fixture(scope="module")
def corr_frame() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    n = 5_000
    a = rng.normal(size=n)
    b = rng.normal(size=n)
    lo = -2.0 - 0.9 * a - 0.5 * b
    y = (rng.random(n) < 1 / (1 + np.exp(-lo))).astype(int)
    return pd.DataFrame(
        {
            "a": a.round(3),
            "a_twin": (a + 0.05 * rng.normal(size=n)).round(3),  # |corr| ~ 1 with a, weaker
            "b": b.round(3),
            "noise": rng.normal(size=n).round(3),
            "bad": y,
        }
    )


def test_analysis_report(corr_frame: pd.DataFrame) -> None:
    b = bin_features(corr_frame, "bad")
    rep = analyze(b)
    assert list(rep["feature"]) == list(b.iv.sort_values(ascending=False).index)
    assert all(rep["strength"] == [iv_label(v) for v in rep["iv"]])
    assert rep.loc[rep.feature == "a", "gini"].item() == pytest.approx(b["a"].gini)
    assert (rep["missing_share"] == 0).all()
    assert rep.loc[rep.feature == "a", "trend"].item() == "descending"


def test_analysis_warnings() -> None:
    x = np.r_[np.zeros(10), np.arange(1.0, 491.0)]
    y = np.r_[np.zeros(10), (np.arange(490) % 4 == 0)].astype(int)
    x[:3] = np.nan
    df = pd.DataFrame({"x": x, "bad": y})
    b = bin_features(df, "bad", spec=BinningSpec(optimize=False, n_fine=50))
    w = analyze(b)["warnings"].item()
    assert "pure bins" in w
    assert "tiny bins" in w
    assert "non-monotonic" in w


def test_selection_drops_weaker_correlated_twin_and_weak_noise(corr_frame: pd.DataFrame) -> None:
    b = bin_features(corr_frame, "bad")
    sel = select_features(b, corr_frame, min_iv=0.02, max_corr=0.7)
    t = sel.table.set_index("feature")
    stronger, weaker = sorted(["a", "a_twin"], key=lambda f: -b[f].iv)
    assert set(sel.selected) == {stronger, "b"}
    assert t.loc[weaker, "step"] == "correlation"
    assert repr(stronger) in t.loc[weaker, "reason"]
    assert t.loc["noise", "step"] == "iv"
    # forcing the twin keeps it and removes the other one instead
    forced = select_features(b, corr_frame, force=[weaker])
    assert weaker in forced.selected and stronger not in forced.selected


def test_vif_step_and_values_match_statsmodels(corr_frame: pd.DataFrame) -> None:
    import statsmodels.api as sm
    from statsmodels.stats.outliers_influence import variance_inflation_factor

    b = bin_features(corr_frame, "bad")
    sel = select_features(b, corr_frame, max_corr=1.0, max_vif=5.0)
    t = sel.table.set_index("feature")
    assert "vif" in set(t["step"])  # one of the twins goes at the VIF step
    kept = list(sel.selected)
    X = sm.add_constant(b.select(kept).transform(corr_frame).to_numpy())
    expected = [variance_inflation_factor(X, i + 1) for i in range(len(kept))]
    np.testing.assert_allclose([dict(sel.vif)[k] for k in kept], expected, rtol=1e-8)


def test_vif_function_against_statsmodels() -> None:
    import statsmodels.api as sm
    from statsmodels.stats.outliers_influence import variance_inflation_factor

    rng = np.random.default_rng(1)
    X = rng.normal(size=(400, 4))
    X[:, 3] += 0.8 * X[:, 0]
    Xc = sm.add_constant(X)
    expected = [variance_inflation_factor(Xc, i) for i in range(1, 5)]
    np.testing.assert_allclose(vif(X), expected, rtol=1e-10)
    w = rng.integers(1, 4, size=400)
    np.testing.assert_allclose(vif(X, w), vif(np.repeat(X, w, axis=0)), rtol=1e-10)


def test_exclude_and_bounds(corr_frame: pd.DataFrame) -> None:
    b = bin_features(corr_frame, "bad")
    sel = select_features(b, corr_frame, exclude=["b"], max_iv=0.0001, min_iv=0)
    t = sel.table.set_index("feature")
    assert t.loc["b", "step"] == "excluded"
    assert t.loc["a", "reason"].startswith("IV ") and "max_iv" in t.loc["a", "reason"]
    assert isinstance(sel._repr_html_(), str)
    assert sel.correlation_matrix().shape == (len(sel.correlated_features),) * 2


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"force": ["zzz"]}, "not binned"),
        ({"max_corr": 1.5}, "max_corr <= 1"),
        ({"max_vif": 0.5}, "max_vif >= 1"),
        ({"force": ["a"], "exclude": ["a"]}, "both forced"),
    ],
)
def test_selection_bad_arguments(corr_frame: pd.DataFrame, kwargs: dict, match: str) -> None:
    b = bin_features(corr_frame, "bad", features=["a", "b"])
    with pytest.raises(SpecificationError, match=match):
        select_features(b, corr_frame, **kwargs)
