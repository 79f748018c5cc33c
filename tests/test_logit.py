"""Tests of scorecard._model.logit: the logistic model on WOE features and stepwise selection."""

from __future__ import annotations

import inspect
import json
import math
import warnings
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2
from sklearn.linear_model import LogisticRegression
from statsmodels.stats.outliers_influence import variance_inflation_factor

from scorecard._core import artifact as _json
from scorecard._model.logit import INTERCEPT, LogitResult, fit_logit
from scorecard._model.newton import TUNING, Designs, Tuning, prepare
from scorecard._model.selection_path import SelectionPath
from scorecard._model.stepwise import _select_stepwise, select_stepwise
from scorecard.exceptions import DataError, FitError, FitWarning, SchemaError, SpecificationError

LEVELS = np.array([-1.1, -0.45, 0.05, 0.5, 0.95])  # WOE-like values of a 5-bin feature


def woe_frame(
    n: int, coefs: dict[str, float], noise: int = 0, seed: int = 0, b0: float = -1.5
) -> tuple[pd.DataFrame, np.ndarray]:
    """WOE-like columns (5 values each) with the given true coefficients, plus noise columns."""
    rng = np.random.default_rng(seed)
    cols = {name: rng.choice(LEVELS * rng.uniform(0.6, 1.4), n) for name in coefs}
    for i in range(noise):
        cols[f"noise{i}"] = rng.choice(LEVELS * rng.uniform(0.6, 1.4), n)
    X = pd.DataFrame(cols)
    eta = b0 + sum(b * X[name].to_numpy() for name, b in coefs.items())
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-eta))).astype(int)
    return X, y


def sm_glm(X: pd.DataFrame, y: Any, w: Any = None) -> Any:
    exog = sm.add_constant(X.to_numpy(), has_constant="add")
    return sm.GLM(
        np.asarray(y, dtype=float), exog, family=sm.families.Binomial(), freq_weights=w
    ).fit(tol=1e-13, maxiter=200)


@pytest.fixture(scope="module")
def data() -> tuple[pd.DataFrame, np.ndarray]:
    return woe_frame(6000, {"age": -1.0, "income": -0.8, "history": -0.6}, seed=1)


# -- the fit against statsmodels and scikit-learn -------------------------------------------


def test_fit_matches_statsmodels(data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = data
    res = fit_logit(X, y)
    ref = sm_glm(X, y)
    np.testing.assert_allclose(res.params.to_numpy(), ref.params, rtol=0, atol=1e-9)
    np.testing.assert_allclose(res.bse.to_numpy(), ref.bse, rtol=1e-7)
    np.testing.assert_allclose(res.zvalues.to_numpy(), ref.tvalues, rtol=1e-7)
    np.testing.assert_allclose(res.pvalues.to_numpy(), ref.pvalues, rtol=1e-6, atol=1e-300)
    np.testing.assert_allclose(res.conf_int().to_numpy(), ref.conf_int(), rtol=1e-7)
    np.testing.assert_allclose(res.cov_params().to_numpy(), ref.cov_params(), rtol=1e-6)
    assert res.llf == pytest.approx(ref.llf, rel=1e-12)
    assert res.llnull == pytest.approx(ref.llnull, rel=1e-12)
    assert res.aic == pytest.approx(ref.aic, rel=1e-12)
    assert res.bic == pytest.approx(ref.bic_llf, rel=1e-12)
    assert res.pseudo_r2 == pytest.approx(ref.pseudo_rsquared(kind="mcf"), rel=1e-10)
    assert res.converged and res.n_iter >= 1
    assert res.nobs == len(X) and res.n_rows == len(X)
    assert res.n_bads == y.sum() and res.bad_rate == pytest.approx(y.mean())
    assert list(res.params.index) == [INTERCEPT, "age", "income", "history"]
    assert res.intercept == res.params[INTERCEPT]
    assert res.wrong_sign == ()
    assert (res.params.drop(INTERCEPT) < 0).all()


def test_fit_matches_sklearn_unpenalised(data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = data
    res = fit_logit(X, y)
    # C=inf is scikit-learn's spelling of penalty=None since 1.8
    sk = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(X.to_numpy(), y)
    np.testing.assert_allclose(res.params.iloc[1:].to_numpy(), sk.coef_[0], atol=1e-6)
    assert res.intercept == pytest.approx(sk.intercept_[0], abs=1e-6)


def test_statsmodels_engine_agrees(data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = data
    a = fit_logit(X, y)
    b = fit_logit(X, y, engine="statsmodels")
    assert b.engine == "statsmodels"
    np.testing.assert_allclose(a.params, b.params, atol=1e-9)
    np.testing.assert_allclose(a.bse, b.bse, rtol=1e-7)
    assert a.llf == pytest.approx(b.llf, rel=1e-12)


def test_predictions(data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = data
    res = fit_logit(X, y)
    ref = sm_glm(X, y)
    eta = res.predict_log_odds(X)
    assert eta.index.equals(X.index) and eta.name == "log_odds"
    expected = res.intercept + X.to_numpy() @ res.params.iloc[1:].to_numpy()
    np.testing.assert_allclose(eta, expected, rtol=1e-13)
    np.testing.assert_allclose(res.predict_proba(X), ref.predict(), rtol=1e-8)
    # extra columns are ignored, order does not matter
    X2 = X[["history", "age", "income"]].assign(other=1.0)
    np.testing.assert_allclose(res.predict_proba(X2), res.predict_proba(X), rtol=1e-15)
    with pytest.raises(DataError, match="'income'"):
        res.predict_proba(X.assign(income=np.where(X.index == 3, np.nan, X["income"])))
    with pytest.raises(DataError, match="history"):
        res.predict_log_odds(X[["age", "income"]])


# -- weights and grouping -------------------------------------------------------------------


def test_weighted_fit_equals_replicated_rows(data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = data
    w = np.random.default_rng(5).integers(0, 4, len(X))  # including zero weights
    res = fit_logit(X, y, sample_weight=w)
    rep = np.repeat(np.arange(len(X)), w)
    ref = fit_logit(X.iloc[rep].reset_index(drop=True), y[rep])
    np.testing.assert_allclose(res.params, ref.params, atol=1e-9)
    np.testing.assert_allclose(res.bse, ref.bse, rtol=1e-7)
    assert res.llf == pytest.approx(ref.llf, rel=1e-11)
    assert res.llnull == pytest.approx(ref.llnull, rel=1e-11)
    assert res.aic == pytest.approx(ref.aic, rel=1e-11)
    assert res.bic == pytest.approx(ref.bic, rel=1e-11)  # n = sum of weights
    assert res.nobs == w.sum() == ref.nobs
    assert res.n_rows == (w > 0).sum()
    assert res.weighted and not ref.weighted
    np.testing.assert_allclose(res.vif, ref.vif, rtol=1e-9)


def test_non_integer_weights_match_statsmodels(data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = data
    w = np.random.default_rng(6).uniform(0.2, 3.0, len(X))
    res = fit_logit(X, y, sample_weight=pd.Series(w, index=X.index))
    ref = sm_glm(X, y, w)
    np.testing.assert_allclose(res.params, ref.params, atol=1e-9)
    np.testing.assert_allclose(res.bse, ref.bse, rtol=1e-7)
    assert res.llf == pytest.approx(ref.llf, rel=1e-12)
    assert res.bic == pytest.approx(ref.bic_llf, rel=1e-12)


def test_grouped_fit_equals_ungrouped(data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = data
    d = prepare(X, y, None, None)
    des = Designs(d, TUNING).design((0, 1, 2))
    assert des.gid is not None and des.D.shape[0] == 125  # 5 x 5 x 5 unique WOE rows
    assert des.wt.sum() == len(X) and des.wb.sum() == y.sum()
    g = fit_logit(X, y, group_rows=True)
    u = fit_logit(X, y, group_rows=False)
    np.testing.assert_allclose(g.params, u.params, atol=1e-8, rtol=0)
    np.testing.assert_allclose(g.bse, u.bse, rtol=1e-8)
    assert g.llf == pytest.approx(u.llf, rel=1e-12)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(40, 300))
def test_property_weights_and_grouping(seed: int, n: int) -> None:
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"a": rng.choice([-0.7, 0.2, 0.9], n), "b": rng.choice([-0.5, 0.6], n)})
    eta = -0.5 - 0.8 * X["a"] - 0.6 * X["b"]
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    y[:2] = [0, 1]
    w = rng.integers(1, 4, n)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FitWarning)
            res = fit_logit(X, y, sample_weight=w)
            rep = np.repeat(np.arange(n), w)
            ref = fit_logit(X.iloc[rep], y[rep], group_rows=False)
    except FitError:  # a tiny sample can be (quasi-)separated; both fits must agree on it
        with pytest.raises(FitError):
            fit_logit(X.iloc[np.repeat(np.arange(n), w)], y[np.repeat(np.arange(n), w)])
        return
    np.testing.assert_allclose(res.params, ref.params, atol=1e-7)
    assert res.llf == pytest.approx(ref.llf, rel=1e-10)


# -- VIF -----------------------------------------------------------------------------------


def test_vif_matches_statsmodels() -> None:
    rng = np.random.default_rng(2)
    n = 3000
    a = rng.choice(LEVELS, n)
    b = np.where(rng.random(n) < 0.6, a, rng.choice(LEVELS, n))  # correlated with a
    c = rng.choice(LEVELS, n)
    X = pd.DataFrame({"a": a, "b": b, "c": c})
    y = (rng.random(n) < 1 / (1 + np.exp(1.5 + a + 0.5 * c))).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FitWarning)
        res = fit_logit(X, y)
    exog = sm.add_constant(X.to_numpy())
    expected = [variance_inflation_factor(exog, i) for i in range(1, 4)]
    np.testing.assert_allclose(res.vif.to_numpy(), expected, rtol=1e-9)
    assert res.vif["b"] > 1.5 and res.vif["c"] == pytest.approx(1.0, abs=0.01)
    one = fit_logit(X, y, features=["a"])
    assert one.vif.tolist() == [1.0]


# -- errors ----------------------------------------------------------------------------------


def test_separation_raises_fit_error_naming_feature() -> None:
    rng = np.random.default_rng(3)
    n = 400
    ok = rng.choice(LEVELS, n)
    sep = rng.choice([-1.0, 1.0], n)
    y = (sep < 0).astype(int)  # every bad has WOE -1, every good +1: perfect separation
    X = pd.DataFrame({"ok": ok, "sep": sep})
    with pytest.raises(FitError, match=r"separation.*'sep'"):
        fit_logit(X, y)
    with pytest.raises(FitError, match=r"separation.*'sep'"):
        fit_logit(X, y, engine="statsmodels")


def test_quasi_separation_raises() -> None:
    rng = np.random.default_rng(4)
    n = 600
    x = rng.choice([-1.0, 0.0, 1.0], n)
    y = np.where(x < 0, 1, np.where(x > 0, 0, rng.integers(0, 2, n)))  # overlap only at 0
    X = pd.DataFrame({"quasi": x, "other": rng.choice(LEVELS, n)})
    with pytest.raises(FitError, match=r"quasi-perfect separation.*'quasi'"):
        fit_logit(X, y)


def test_collinear_and_constant_columns_raise(data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = data
    with pytest.raises(FitError, match=r"'age' and 'age_copy' are perfectly correlated"):
        fit_logit(X.assign(age_copy=X["age"]), y)
    with pytest.raises(FitError, match=r"'combo' is a linear combination of \['age', 'income'\]"):
        fit_logit(X.assign(combo=2 * X["age"] - X["income"] + 0.3), y)
    with pytest.raises(FitError, match=r"'flat' is constant"):
        fit_logit(X.assign(flat=0.25), y)


def test_bad_input_raises_data_error(data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = data
    Xn = X.copy()
    Xn.loc[7, "income"] = np.nan
    with pytest.raises(DataError, match=r"column 'income'.*NaN"):
        fit_logit(Xn, y)
    with pytest.raises(DataError, match=r"column 'age'.*NaN or infinite"):
        fit_logit(X.assign(age=np.inf), y)
    with pytest.raises(DataError, match="expected 0/1"):
        fit_logit(X, np.where(y == 1, 2, 0))
    with pytest.raises(DataError, match="misaligned"):
        fit_logit(X, pd.Series(y, index=X.index + 1))
    with pytest.raises(DataError, match="misaligned weights"):
        fit_logit(X, y, sample_weight=pd.Series(1.0, index=X.index[::-1]))
    with pytest.raises(DataError, match="sample_weight"):
        fit_logit(X, y, sample_weight=np.ones(10))
    with pytest.raises(DataError, match="'grade'.*numeric WOE"):
        fit_logit(X.assign(grade="A"), y)
    with pytest.raises(DataError, match="reserved for the intercept"):
        fit_logit(X.rename(columns={"age": INTERCEPT}), y)
    with pytest.raises(DataError, match="string column names"):
        fit_logit(X.set_axis([0, 1, 2], axis=1), y)
    with pytest.raises(DataError, match="'missing'"):
        fit_logit(X, y, features=["age", "missing"])
    with pytest.raises(SpecificationError, match="engine"):
        fit_logit(X, y, engine="R")  # type: ignore[arg-type]


def test_wrong_sign_is_flagged(data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = data
    flipped = X.assign(income=-X["income"])  # a WOE with the sign reversed
    with pytest.warns(FitWarning, match=r"'income' \(\+0\.\d+"):
        res = fit_logit(flipped, y)
    assert res.wrong_sign == ("income",)
    assert "wrong (+)" in str(res.summary())
    assert res.coef_table().loc["income", "sign"] == "wrong (+)"


def test_intercept_only(data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = data
    res = fit_logit(X, y, features=[])
    p = y.mean()
    assert res.intercept == pytest.approx(math.log(p / (1 - p)), abs=1e-10)
    assert res.llf == pytest.approx(res.llnull, rel=1e-12)
    assert res.pseudo_r2 == pytest.approx(0.0, abs=1e-12)


# -- summary and serialization -------------------------------------------------------------------


def test_summary_text_and_html(data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = data
    res = fit_logit(X, y)
    summ = res.summary()
    text = str(summ)
    for label in ("Rows:", "Bads:", "Log-likelihood:", "AIC:", "BIC:", "Pseudo R²", "Converged:"):
        assert label in text
    assert f"{res.aic:.4f}" in text and "age" in text and "VIF" in text
    html = summ._repr_html_()
    assert html.count("<table>") == 2 and "income" in html
    table = summ.table
    assert list(table.columns) == [
        "coef", "std_err", "z", "p_value", "ci_0.025", "ci_0.975", "vif", "sign",
    ]  # fmt: skip
    assert table.loc["age", "sign"] == "ok" and table.loc[INTERCEPT, "sign"] == ""


def test_serialization_round_trip(data: tuple[pd.DataFrame, np.ndarray], tmp_path: Path) -> None:
    X, y = data
    res = fit_logit(X, y, sample_weight=np.linspace(0.5, 2, len(X)))
    text = res.to_json()
    back = LogitResult.from_json(text)
    assert back == res
    assert back.to_json() == text  # byte-identical re-dump
    assert LogitResult.from_dict(res.to_dict()) == res
    path = tmp_path / "fit.json"
    res.save(path)
    assert LogitResult.load(path) == res
    assert path.read_text(encoding="utf-8") == text
    payload = json.loads(text)
    assert payload["kind"] == "logit_result"
    with pytest.raises(SchemaError, match="kind"):
        LogitResult.from_json(_json.dumps(_json.wrap("binning", 1, payload["body"])))
    with pytest.raises(SchemaError, match="newer"):
        LogitResult.from_json(_json.dumps(_json.wrap("logit_result", 99, payload["body"])))
    tampered = dict(payload)
    tampered["body"] = dict(payload["body"], llf=-1.0)
    with pytest.raises(SchemaError, match="tampered"):
        LogitResult.from_json(json.dumps(tampered))
    broken = dict(payload["body"], coef=payload["body"]["coef"][:-1])
    with pytest.raises(SchemaError, match="coef"):
        LogitResult.from_json(_json.dumps(_json.wrap("logit_result", 1, broken)))


def test_result_validation() -> None:
    good: dict[str, Any] = {
        "features": ("a",),
        "coef": (-1.0, -0.5),
        "cov": ((0.1, 0.0), (0.0, 0.1)),
        "vif": (1.0,),
        "llf": -10.0,
        "llnull": -12.0,
        "nobs": 30.0,
        "n_rows": 30,
        "n_bads": 5.0,
    }
    assert LogitResult(**good).df_model == 1
    with pytest.raises(SpecificationError, match="coef"):
        LogitResult(**{**good, "coef": (-1.0,)})
    with pytest.raises(SpecificationError, match="distinct"):
        LogitResult(**{**good, "features": (INTERCEPT,)})
    with pytest.raises(SpecificationError, match="finite"):
        LogitResult(**{**good, "llf": math.nan})


# -- selection ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sel_data() -> tuple[pd.DataFrame, np.ndarray]:
    return woe_frame(
        20_000, {"inf0": -1.0, "inf1": -0.8, "inf2": -0.6, "inf3": -0.5}, noise=6, seed=11
    )


INFORMATIVE = {"inf0", "inf1", "inf2", "inf3"}


@pytest.mark.parametrize(
    ("method", "criterion", "test"),
    [
        ("stepwise", "pvalue", "score"),
        ("forward", "pvalue", "score"),
        ("backward", "pvalue", "score"),
        ("stepwise", "pvalue", "wald"),
        ("stepwise", "pvalue", "lr"),
        ("backward", "pvalue", "lr"),
        ("stepwise", "bic", "score"),
        ("forward", "bic", "score"),
        ("backward", "bic", "score"),
    ],
)
def test_selection_finds_informative_features(
    sel_data: tuple[pd.DataFrame, np.ndarray], method: str, criterion: str, test: str
) -> None:
    X, y = sel_data
    path = select_stepwise(X, y, method=method, criterion=criterion, test=test, p_enter=0.01,
                           p_remove=0.01)  # fmt: skip
    assert set(path.features) == INFORMATIVE
    assert path.result.features == tuple(c for c in X.columns if c in INFORMATIVE)
    table = path.table.set_index("feature")
    assert table.loc[sorted(INFORMATIVE), "selected"].all()
    assert not table.drop(index=sorted(INFORMATIVE))["selected"].any()
    assert table["reason"].str.len().gt(0).all()
    # the final fit is the plain fit of the selected features
    ref = fit_logit(X, y, features=list(path.result.features))
    np.testing.assert_allclose(path.result.params, ref.params, atol=1e-9)


def test_aic_selection_keeps_informative(sel_data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = sel_data
    path = select_stepwise(X, y, criterion="aic")
    assert set(path.features) >= INFORMATIVE
    # every entry lowered the AIC, and the recorded AIC is the model's true AIC
    entered: list[str] = []
    previous = fit_logit(X, y, features=[]).aic
    for s in path.steps:
        if s.action == "enter":
            entered.append(s.feature)
            ref = sm_glm(X[entered], y)
            assert s.value == pytest.approx(ref.aic, abs=1e-5)
            assert s.value < previous
            previous = s.value
    assert path.result.aic == pytest.approx(previous, abs=1e-5)


def test_score_test_values_match_statsmodels(sel_data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = sel_data
    X = X[["inf2", "inf3", "noise0", "noise1"]]
    path = select_stepwise(X, y, method="forward")
    first = path.steps[0]
    assert first.action == "enter"
    null = sm_glm(X[[]], y)
    pvals = {}
    for c in X.columns:
        _stat, p, _ = null.model.score_test(null.params, exog_extra=X[[c]].to_numpy())
        pvals[c] = float(np.ravel(p)[0])
    best = min(pvals, key=pvals.get)  # type: ignore[arg-type]
    assert first.feature == best
    assert first.value == pytest.approx(pvals[best], rel=1e-6)


def test_wald_and_lr_values_match_statsmodels(sel_data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = sel_data
    X = X[["inf1", "inf3", "noise2"]]
    wald = select_stepwise(X, y, method="forward", test="wald")
    lr = select_stepwise(X, y, method="forward", test="lr")
    null = sm_glm(X[[]], y)
    for c in X.columns:
        one = sm_glm(X[[c]], y)
        lr_p = float(chi2.sf(2 * (one.llf - null.llf), 1))
        if wald.steps[0].feature == c:
            assert wald.steps[0].value == pytest.approx(one.pvalues[1], rel=1e-6)
        if lr.steps[0].feature == c:
            assert lr.steps[0].value == pytest.approx(lr_p, rel=1e-6)


def test_forced_features_are_kept(sel_data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = sel_data
    for method in ("stepwise", "forward", "backward"):
        path = select_stepwise(X, y, method=method, force=["noise3"], p_enter=0.01, p_remove=0.01)
        assert "noise3" in path.features
        assert set(path.features) == INFORMATIVE | {"noise3"}
        row = path.table.set_index("feature").loc["noise3"]
        assert row["status"] == "forced" and row["forced"] and row["selected"]
        assert not any(s.action == "remove" and s.feature == "noise3" for s in path.steps)
    assert path.steps[0].action == "force"


def test_sign_gate_rejects_wrong_sign(sel_data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = sel_data
    Xf = X.assign(inf1=-X["inf1"])  # now positively related to the bad rate
    path = select_stepwise(Xf, y, p_enter=0.01, p_remove=0.01)
    assert "inf1" not in path.features
    row = path.table.set_index("feature").loc["inf1"]
    assert row["status"] == "rejected"
    assert "wrong sign" in row["reason"] and "+0." in row["reason"]
    rejects = [s for s in path.steps if s.action == "reject" and s.feature == "inf1"]
    assert len(rejects) == 1 and rejects[0].reason.startswith("rejected: coefficient +")
    with pytest.warns(FitWarning, match="inf1"):
        free = select_stepwise(Xf, y, p_enter=0.01, p_remove=0.01, sign_gate=False)
    assert "inf1" in free.features and free.result.wrong_sign == ("inf1",)


def test_backward_sign_gate_removes_wrong_sign(sel_data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = sel_data
    path = select_stepwise(
        X.assign(inf2=-X["inf2"]), y, method="backward", p_enter=0.01, p_remove=0.01
    )
    removed = {s.feature: s.reason for s in path.steps if s.action == "remove"}
    assert "wrong sign" in removed["inf2"]
    assert path.result.wrong_sign == ()


def test_max_features_and_max_pvalue(sel_data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = sel_data
    full = select_stepwise(X, y)
    first_two = [s.feature for s in full.steps if s.action == "enter"][:2]
    path = select_stepwise(X, y, max_features=2)
    assert set(path.features) == set(first_two)
    assert path.steps[-1].action == "stop" and "max_features" in path.steps[-1].reason
    back = select_stepwise(X, y, method="backward", criterion="aic", max_features=3)
    assert len(back.features) == 3 and set(back.features) <= INFORMATIVE
    gated = select_stepwise(X, y, criterion="aic", max_pvalue=0.001)
    assert (gated.result.pvalues.drop(INTERCEPT) <= 0.001).all()


def test_collinear_and_constant_candidates_rejected_at_step_0(
    sel_data: tuple[pd.DataFrame, np.ndarray],
) -> None:
    X, y = sel_data
    Xc = X.assign(copy0=X["inf0"], flat=0.3)
    path = select_stepwise(Xc, y, p_enter=0.01, p_remove=0.01)
    table = path.table.set_index("feature")
    assert table.loc["copy0", "status"] == "rejected"
    assert "'inf0' and 'copy0' are perfectly correlated" in table.loc["copy0", "reason"]
    assert table.loc["flat", "status"] == "rejected" and "constant" in table.loc["flat", "reason"]
    assert set(path.features) == INFORMATIVE
    with pytest.raises(FitError, match="forced feature 'flat'"):
        select_stepwise(Xc, y, force=["flat"])


def test_selection_specification_errors(sel_data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = sel_data
    with pytest.raises(SpecificationError, match="method"):
        select_stepwise(X, y, method="sideways")  # type: ignore[arg-type]
    with pytest.raises(SpecificationError, match="p_enter <= p_remove"):
        select_stepwise(X, y, p_enter=0.2, p_remove=0.1)
    with pytest.raises(SpecificationError, match="force"):
        select_stepwise(X, y, force=["nope"])
    with pytest.raises(SpecificationError, match="max_features"):
        select_stepwise(X, y, force=["inf0", "inf1"], max_features=1)


def test_selection_is_deterministic_and_serializes(
    sel_data: tuple[pd.DataFrame, np.ndarray], tmp_path: Path
) -> None:
    X, y = sel_data
    a = select_stepwise(X, y, criterion="bic")
    b = select_stepwise(X, y, criterion="bic")
    assert a == b
    text = a.to_json()
    back = SelectionPath.from_json(text)
    assert back == a and back.to_json() == text
    a.save(tmp_path / "path.json")
    assert SelectionPath.load(tmp_path / "path.json") == a
    with pytest.raises(SchemaError, match="kind"):
        SelectionPath.from_json(a.result.to_json())
    hist = a.history
    assert list(hist.columns) == ["step", "action", "feature", "value", "reason"]
    assert hist["step"].is_monotonic_increasing


def test_weighted_selection_equals_replicated(sel_data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = sel_data
    X, y = X.iloc[:4000], y[:4000]
    w = np.random.default_rng(8).integers(1, 3, len(X))
    rep = np.repeat(np.arange(len(X)), w)
    a = select_stepwise(X, y, sample_weight=w, criterion="aic")
    b = select_stepwise(X.iloc[rep], y[rep], criterion="aic")
    assert a.features == b.features
    assert [s.feature for s in a.steps] == [s.feature for s in b.steps]
    np.testing.assert_allclose(a.result.params, b.result.params, atol=1e-8)


def select_tuned(X: pd.DataFrame, y: Any, tuning: Tuning, **kw: Any) -> SelectionPath:
    """``select_stepwise(X, y, **kw)`` with the speed switches ``tuning``."""
    params = inspect.signature(select_stepwise).parameters
    options = {n: p.default for n, p in params.items() if p.default is not p.empty}
    del options["group_rows"]  # part of the tuning
    return _select_stepwise(X, y, **{**options, **kw}, tuning=tuning)


@pytest.mark.parametrize(
    ("method", "criterion", "test"),
    [("stepwise", "aic", "score"), ("backward", "bic", "score"), ("stepwise", "pvalue", "lr")],
)
def test_coarse_trial_fits_give_the_exact_path(
    sel_data: tuple[pd.DataFrame, np.ndarray], method: str, criterion: str, test: str
) -> None:
    """Ranking candidates on coarse fits and refining the contenders changes nothing."""
    X, y = sel_data
    X, y = X.iloc[:5000], y[:5000]
    kw: dict[str, Any] = {"method": method, "criterion": criterion, "test": test}
    assert TUNING.coarse_ll_tol is not None
    fast = select_stepwise(X, y, **kw)
    exact = select_tuned(X, y, attrs.evolve(TUNING, coarse_ll_tol=None), **kw)
    assert fast.features == exact.features
    assert [(s.action, s.feature) for s in fast.steps] == [
        (s.action, s.feature) for s in exact.steps
    ]
    for a, b in zip(fast.steps, exact.steps, strict=True):
        if a.action in ("enter", "remove"):
            assert a.value == pytest.approx(b.value, rel=1e-7, abs=1e-9)


def test_backward_bic_removal_values_are_true_bic(
    sel_data: tuple[pd.DataFrame, np.ndarray],
) -> None:
    X, y = sel_data
    X, y = X.iloc[:8000], y[:8000]
    path = select_stepwise(X, y, method="backward", criterion="bic")
    kept = list(X.columns)
    for s in path.steps:
        if s.action == "remove":
            kept.remove(s.feature)
            assert s.value == pytest.approx(sm_glm(X[kept], y).bic_llf, abs=1e-5)
    assert set(path.features) == set(kept)


def test_single_binned_feature_has_coefficient_minus_one() -> None:
    """With WOE = ln(%good/%bad) of its own bins, one feature alone is the saturated model.

    Its fitted log odds of bad per bin must be ln(bad_i/good_i), which the model reaches
    with b1 = -1 and b0 = ln(B/G) exactly (hand derivation in docs/fitting.md).
    """
    from scorecard._core.stats import woe

    goods = np.array([300, 250, 120, 30])
    bads = np.array([20, 40, 50, 45])
    w = woe(goods, bads)
    x = np.concatenate([np.repeat(w[i], goods[i] + bads[i]) for i in range(4)])
    y = np.concatenate([np.r_[np.zeros(goods[i]), np.ones(bads[i])] for i in range(4)])
    res = fit_logit(pd.DataFrame({"f": x}), y.astype(int))
    assert res.params["f"] == pytest.approx(-1.0, abs=1e-10)
    assert res.intercept == pytest.approx(math.log(bads.sum() / goods.sum()), abs=1e-10)


def test_no_convergence_raises(data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = data
    with pytest.raises(FitError, match=r"did not converge in 1 iterations.*changed '"):
        fit_logit(X, y, max_iter=1)


def test_weight_column_by_name_is_not_a_feature(data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = data
    w = np.random.default_rng(9).integers(1, 3, len(X)).astype(float)
    by_name = fit_logit(X.assign(w=w), y, sample_weight="w")
    assert by_name.features == ("age", "income", "history")
    np.testing.assert_allclose(by_name.params, fit_logit(X, y, sample_weight=w).params, atol=1e-12)


def test_import_is_light() -> None:
    import subprocess
    import sys

    code = (
        "import sys, scorecard._model.logit, scorecard._model.metrics; "
        "print(sorted(m for m in ('statsmodels', 'scipy', 'sklearn', 'matplotlib', "
        "'threadpoolctl') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_forced_wrong_sign_is_kept_and_flagged(sel_data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = sel_data
    with pytest.warns(FitWarning, match="inf3"):
        path = select_stepwise(X.assign(inf3=-X["inf3"]), y, force=["inf3"], p_enter=0.01)
    assert "inf3" in path.features and path.result.wrong_sign == ("inf3",)
    row = path.table.set_index("feature").loc["inf3"]
    assert row["status"] == "forced" and "wrong sign" in row["reason"]
