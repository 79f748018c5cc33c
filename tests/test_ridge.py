"""The optional ridge (L2) penalty of the logistic fit (``l2``; default 0: unchanged).

``l2`` is scikit-learn's scale: ``fit_logit(l2=a)`` maximizes
``llf - a / 2 * sum_j b_j^2`` (never the intercept), as ``LogisticRegression(C=1 / a)``
does with the same ``sample_weight``.
"""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest

from scorecard import LogitResult, bin_features, fit_logit, fit_scorecard
from scorecard._model.logit import _fit_logit
from scorecard._model.newton import TUNING
from scorecard.datasets import load_german_credit
from scorecard.exceptions import FitError, SpecificationError
from scorecard.sklearn import ScorecardClassifier

sklearn_lm = pytest.importorskip("sklearn.linear_model")


def sklearn_fit(
    X: pd.DataFrame, y: np.ndarray, l2: float, w: np.ndarray | None, solver: str
) -> np.ndarray:
    """Intercept then coefficients of scikit-learn's L2 logistic regression, C = 1 / l2."""
    model = sklearn_lm.LogisticRegression(C=1.0 / l2, solver=solver, tol=1e-10, max_iter=10000)
    model.fit(X.to_numpy(), y, sample_weight=w)
    return np.r_[model.intercept_, model.coef_[0]]


def objective(
    X: pd.DataFrame, y: np.ndarray, w: np.ndarray | None, l2: float, b: np.ndarray
) -> float:
    """The penalized log-likelihood ``sum w_i l_i - l2 / 2 * sum_j b_j^2``."""
    eta = b[0] + X.to_numpy() @ b[1:]
    ww = np.ones(len(y)) if w is None else w
    return float(ww @ (y * eta - np.logaddexp(0.0, eta)) - l2 / 2 * np.sum(b[1:] ** 2))


ONE_BIN = ["number_of_existing_credits_at_this_bank"]
WRONG_SIGN = ["job", "number_of_people_being_liable_to_provide_maintenance_for"]


@pytest.fixture(scope="module")
def german_woe() -> tuple[pd.DataFrame, np.ndarray]:
    """The WOE of the German-credit features with more than one bin and a negative
    coefficient in the fit of them all (no FitWarning)."""
    df = load_german_credit()
    woe = bin_features(df, "bad").transform(df).drop(columns=[*ONE_BIN, *WRONG_SIGN])
    return woe, df["bad"].to_numpy()


def ties(n: int, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Five WOE-like features of few values (rows group) with a logistic effect."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({f"f{j}": rng.choice(np.linspace(-1.0, 1.0, 4 + j), n) for j in range(5)})
    eta = -1.2 - 0.6 * X.to_numpy().sum(axis=1)
    return X, (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)


@pytest.mark.parametrize("l2", [0.1, 1.0, 10.0])
@pytest.mark.parametrize("weighted", [False, True])
def test_matches_scikit_learn(
    german_woe: tuple[pd.DataFrame, np.ndarray], l2: float, weighted: bool
) -> None:
    """Coefficients and intercept equal LogisticRegression(C=1/l2) on the same WOE design.

    With ``solver="newton-cholesky"`` (Newton's method, as ours) to 1e-8.  ``"lbfgs"``
    (``tol=1e-10``) stops within 1e-5 of the optimum on this ill-conditioned design (17
    correlated WOE columns), at a lower objective than ours: to 2e-5, and ours higher.
    """
    X, y = german_woe
    w = np.random.default_rng(3).integers(1, 4, len(y)).astype(float) if weighted else None
    ours = fit_logit(X, y, sample_weight=w, l2=l2)
    b = ours.params.to_numpy()
    newton = sklearn_fit(X, y, l2, w, "newton-cholesky")
    np.testing.assert_allclose(b, newton, rtol=0, atol=1e-8)
    lbfgs = sklearn_fit(X, y, l2, w, "lbfgs")
    np.testing.assert_allclose(b, lbfgs, rtol=0, atol=2e-5)
    assert objective(X, y, w, l2, b) >= objective(X, y, w, l2, lbfgs) - 1e-9
    assert ours.l2 == l2 and ours.converged


def test_frequency_weights_are_replicated_rows() -> None:
    """A penalized fit with integer weights is the fit of the replicated rows."""
    X, y = ties(3000, seed=1)
    w = np.random.default_rng(2).integers(1, 4, len(y))
    rep = np.repeat(np.arange(len(y)), w)
    a = fit_logit(X, y, sample_weight=w, l2=2.0)
    b = fit_logit(X.iloc[rep], y[rep], l2=2.0)
    np.testing.assert_allclose(a.params, b.params, atol=1e-10)
    np.testing.assert_allclose(a.bse, b.bse, rtol=1e-8)


@pytest.mark.parametrize(
    "switch",
    [{"gram_chunk": None}, {"group_rows": False}, {"design_buffer": False}],
)
def test_every_speed_path_is_penalized_alike(switch: dict[str, Any]) -> None:
    """Grouped or raw rows, chunked or one-block Hessian: the same penalized fit."""
    X, y = ties(20_000, seed=4)
    ref = fit_logit(X, y, l2=5.0)
    other = _fit_logit(
        X,
        y,
        sample_weight=None,
        features=None,
        engine="numpy",
        max_iter=100,
        tuning=attrs.evolve(TUNING, **switch),
        l2=5.0,
    )
    np.testing.assert_allclose(other.params, ref.params, rtol=0, atol=1e-9)
    np.testing.assert_allclose(other.bse, ref.bse, rtol=1e-8)
    assert other.llf == pytest.approx(ref.llf, rel=1e-12)


def test_reported_figures_of_a_penalized_fit(german_woe: tuple[pd.DataFrame, np.ndarray]) -> None:
    """llf is the likelihood at the penalized coefficients; cov is the inverse of the
    penalized information matrix (intercept unpenalized); the penalty shrinks."""
    X, y = german_woe
    l2 = 3.0
    res = fit_logit(X, y, l2=l2)
    plain = fit_logit(X, y)
    b = res.params.to_numpy()
    D = np.column_stack([np.ones(len(y)), X.to_numpy()])
    eta = D @ b
    mu = 1 / (1 + np.exp(-eta))
    assert res.llf == pytest.approx(float(y @ eta - np.logaddexp(0, eta).sum()), rel=1e-12)
    assert res.llf < plain.llf  # the MLE has the highest likelihood
    H = (D * (mu * (1 - mu))[:, None]).T @ D + l2 * np.diag([0.0] + [1.0] * X.shape[1])
    np.testing.assert_allclose(res.cov_params().to_numpy(), np.linalg.inv(H), rtol=1e-6)
    assert np.sum(b[1:] ** 2) < np.sum(plain.params.to_numpy()[1:] ** 2)


def test_zero_is_exactly_the_unpenalized_fit(german_woe: tuple[pd.DataFrame, np.ndarray]) -> None:
    """l2=0 gives the previous results bit for bit (same JSON, no l2 field)."""
    X, y = german_woe
    ref = fit_logit(X, y)
    assert fit_logit(X, y, l2=0.0).to_json() == ref.to_json()
    assert fit_logit(X, y, l2=0).to_json() == ref.to_json()
    assert "l2" not in ref.to_dict() and ref.l2 == 0.0
    assert fit_logit(X, y, engine="statsmodels", l2=0.0).engine == "statsmodels"
    german = load_german_credit()
    # fit_scorecard's default is l2=1: the selection is the same unpenalized search, only
    # the refit of the selected features differs
    a = fit_scorecard(german, "bad", seed=0, l2=0.0)
    b = fit_scorecard(german, "bad", seed=0)
    assert a.model.l2 == 0.0 and "l2" not in a.model.to_dict() and b.model.l2 == 1.0
    assert a.model.features == b.model.features
    assert a.scorecard.to_json() != b.scorecard.to_json()


def test_json_and_summary_of_a_penalized_fit(german_woe: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = german_woe
    res = fit_logit(X, y, l2=1.0)
    assert res.to_dict()["l2"] == 1.0
    assert LogitResult.from_json(res.to_json()) == res
    assert res.summary().header["L2 penalty"].startswith("1 (approximate")
    assert "L2 penalty" not in fit_logit(X, y).summary().header
    with pytest.raises(SpecificationError, match=r"LogitResult\.l2: expected a finite number >= 0"):
        attrs.evolve(res, l2=-1.0)


def test_penalty_fits_separated_data() -> None:
    """A feature that separates the classes has no MLE (FitError); penalized, it fits."""
    rng = np.random.default_rng(5)
    x = rng.choice([-1.0, 1.0], 400)
    y = (x < 0).astype(int)
    y[:40] = rng.integers(0, 2, 40)
    X = pd.DataFrame({"a": x, "sep": np.where(np.arange(400) < 40, 0.0, -2.0 * y + 1.0)})
    with pytest.raises(FitError, match="separation"):
        fit_logit(X, y)
    res = fit_logit(X, y, l2=1.0)
    assert res.converged and bool(np.isfinite(res.bse).all())


def test_stepwise_selects_unpenalized_then_refits_with_the_penalty() -> None:
    german = load_german_credit()
    plain = fit_scorecard(german, "bad", seed=0)
    build = fit_scorecard(german, "bad", seed=0, l2=1.0)
    assert build.stepwise is not None and plain.stepwise is not None
    assert build.stepwise.to_json() == plain.stepwise.to_json()  # the selection is unpenalized
    assert build.model.features == plain.model.features
    assert build.model.l2 == 1.0 and build.stepwise.result.l2 == 0.0
    assert build.scorecard.coefficients == {
        f: float(build.model.params[f]) for f in build.model.features
    }


def test_one_fit_and_the_classifier_are_penalized(
    german_woe: tuple[pd.DataFrame, np.ndarray],
) -> None:
    german = load_german_credit()
    X = german.drop(columns=["bad", *ONE_BIN, *WRONG_SIGN])
    y = german["bad"]
    clf = ScorecardClassifier(l2=1.0).fit(X, y)
    woe = clf.binning_.transform(X)
    ref = fit_logit(woe, y.to_numpy(), features=list(clf.model_.features), l2=1.0)
    np.testing.assert_allclose(clf.model_.params, ref.params, atol=1e-9)
    assert clf.get_params()["l2"] == 1.0 and clf.model_.l2 == 1.0
    build = fit_scorecard(german, "bad", holdout=0, stepwise=None, l2=1.0)
    assert build.model.l2 == 1.0 and build.stepwise is None


BAD_L2 = [-0.1, math.nan, math.inf, "1", True, None]


@pytest.mark.parametrize("value", BAD_L2)
def test_invalid_l2_is_refused(german_woe: tuple[pd.DataFrame, np.ndarray], value: Any) -> None:
    X, y = german_woe
    expected = r"expected l2 \(the ridge penalty\) to be a finite number >= 0, found"
    with pytest.raises(SpecificationError, match=f"fit_logit: {expected}"):
        fit_logit(X, y, l2=value)
    german = load_german_credit().head(200)
    with pytest.raises(SpecificationError, match=f"fit_scorecard: {expected}"):
        fit_scorecard(german, "bad", l2=value)
    with pytest.raises(SpecificationError, match=f"l2: {expected}"):
        ScorecardClassifier(l2=value).fit(german.drop(columns="bad"), german["bad"])


def test_statsmodels_engine_refuses_a_penalty(german_woe: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = german_woe
    with pytest.raises(SpecificationError, match="expected engine 'numpy' for a penalized fit"):
        fit_logit(X, y, engine="statsmodels", l2=1.0)


def test_engine_fit_is_penalized_alike() -> None:
    """From counts in DuckDB, the same penalized card as from the rows."""
    duckdb = pytest.importorskip("duckdb")
    from scorecard import engines

    german = load_german_credit()
    frame = fit_scorecard(german, "bad", holdout=0, l2=1.0)
    built = engines.fit_scorecard(duckdb.from_df(german), "bad", l2=1.0)
    assert built.model.features == frame.model.features and built.model.l2 == 1.0
    np.testing.assert_allclose(built.model.params, frame.model.params, atol=1e-8)
    with pytest.raises(SpecificationError, match="engines.fit_scorecard: expected l2"):
        engines.fit_scorecard(duckdb.from_df(german), "bad", l2=-1.0)
