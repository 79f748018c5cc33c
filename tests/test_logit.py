"""Tests of scorecard._model.logit: the logistic model on WOE features and stepwise selection."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression
from statsmodels.stats.outliers_influence import variance_inflation_factor

from scorecard._core import artifact as _json
from scorecard._model.logit import INTERCEPT, LogitResult, LogitSummary, fit_logit
from scorecard._model.newton import TUNING, Designs, prepare
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


def test_fit_matches_sklearn_unpenalized(data: tuple[pd.DataFrame, np.ndarray]) -> None:
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
        "import sys, scorecard._model.logit, scorecard._model.stepwise, scorecard._model.metrics; "
        "print(sorted(m for m in ('statsmodels', 'scipy', 'sklearn', 'matplotlib', "
        "'threadpoolctl') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- validated fields, malformed JSON --------------------------------------------------------

GOOD_RESULT: dict[str, Any] = {
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


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("features", 5),
        ("features", "a"),
        ("features", ("a", "a")),
        ("coef", "x"),
        ("coef", ("a", -0.5)),
        ("coef", (-1.0, math.inf)),
        ("cov", 5),
        ("cov", ((0.1, "x"), (0.0, 0.1))),
        ("vif", None),
        ("llf", "abc"),
        ("llf", None),
        ("llnull", math.nan),
        ("nobs", -1.0),
        ("n_rows", "30"),
        ("n_rows", 0),
        ("n_rows", 2.5),
        ("n_bads", True),
        ("converged", "yes"),
        ("n_iter", -1),
        ("weighted", 1),
        ("engine", "R"),
    ],
)
def test_result_fields_refuse_bad_values(field: str, value: Any) -> None:
    with pytest.raises(SpecificationError, match=rf"^LogitResult\.{field}: expected .*found"):
        LogitResult(**{**GOOD_RESULT, field: value})


def test_result_fields_normalize_numpy_values() -> None:
    res = LogitResult(
        **{
            **GOOD_RESULT,
            "features": np.array(["a"]),
            "coef": np.array([-1.0, -0.5]),
            "cov": np.eye(2) * 0.1,
            "llf": np.float64(-10.0),
            "n_rows": np.int64(30),
        }
    )
    assert res == LogitResult(**GOOD_RESULT)
    assert type(res.llf) is float and type(res.n_rows) is int


def test_summary_fields_are_validated(data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = data
    res = fit_logit(X, y)
    assert LogitSummary(res, 0.1).alpha == 0.1
    with pytest.raises(SpecificationError, match=r"^LogitSummary\.alpha: expected"):
        res.summary(alpha=2)
    with pytest.raises(SpecificationError, match=r"^LogitSummary\.result: expected a LogitResult"):
        LogitSummary("res")  # type: ignore[arg-type]


def test_malformed_result_json_raises_schema_error(
    data: tuple[pd.DataFrame, np.ndarray], tmp_path: Path
) -> None:
    """A body with any field spoiled loads (if still valid) or raises SchemaError: nothing else."""
    X, y = data
    res = fit_logit(X, y)
    assert res.save(tmp_path / "fit.json") == tmp_path / "fit.json"
    body = res.to_dict()
    refused = 0
    for key in body:
        for bad in [None, "x", "NaN", -1, 2.5, True, [], {}, [1], [[1]], ["a"], {"a": 1}]:
            text = _json.dumps(_json.wrap("logit_result", 1, {**body, key: bad}))
            try:
                LogitResult.from_json(text)
            except SchemaError:
                refused += 1
            except Exception as exc:  # pragma: no cover - the failure report
                pytest.fail(f"{key}={bad!r}: {type(exc).__name__}: {exc}")
    assert refused > 120
    spoiled = _json.dumps(_json.wrap("logit_result", 1, {**body, "llf": "abc"}))
    with pytest.raises(SchemaError, match="logit_result"):
        LogitResult.from_json(spoiled)
    spoiled = _json.dumps(_json.wrap("logit_result", 1, {**body, "n_rows": 2.5}))
    with pytest.raises(SchemaError, match=r"invalid content: LogitResult\.n_rows"):
        LogitResult.from_json(spoiled)
