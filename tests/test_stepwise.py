"""Tests of scorecard._model.stepwise and selection_path: the selection and its record."""

from __future__ import annotations

import inspect
import json
import math
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.stats import chi2

from scorecard._core import artifact as _json
from scorecard._model.logit import INTERCEPT, LogitResult, fit_logit
from scorecard._model.newton import TUNING, Tuning
from scorecard._model.selection_path import FeatureOutcome, SelectionPath, SelectionStep
from scorecard._model.stepwise import _select_stepwise, select_stepwise
from scorecard.exceptions import FitError, FitWarning, SchemaError, SpecificationError

LEVELS = np.array([-1.1, -0.45, 0.05, 0.5, 0.95])  # WOE-like values of a 5-bin feature


def woe_frame(
    n: int, coefs: dict[str, float], noise: int = 0, seed: int = 0, b0: float = -1.5
) -> tuple[pd.DataFrame, np.ndarray]:
    """WOE-like columns (5 values each) with the given true coefficients, plus noise columns.

    The same generator as in tests/test_logit.py (test modules cannot import each other).
    """
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


def test_forced_wrong_sign_is_kept_and_flagged(sel_data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = sel_data
    with pytest.warns(FitWarning, match="inf3"):
        path = select_stepwise(X.assign(inf3=-X["inf3"]), y, force=["inf3"], p_enter=0.01)
    assert "inf3" in path.features and path.result.wrong_sign == ("inf3",)
    row = path.table.set_index("feature").loc["inf3"]
    assert row["status"] == "forced" and "wrong sign" in row["reason"]


# -- speed switches of the search (Tuning): the same path with each one off ------------------


def assert_same_path(a: SelectionPath, b: SelectionPath, rel: float) -> None:
    assert a.features == b.features
    assert [(s.action, s.feature) for s in a.steps] == [(s.action, s.feature) for s in b.steps]
    for sa, sb in zip(a.steps, b.steps, strict=True):
        if sa.action in ("enter", "remove"):
            assert sa.value == pytest.approx(sb.value, rel=rel, abs=1e-12)
    np.testing.assert_allclose(a.result.params, b.result.params, rtol=0, atol=1e-8)


@pytest.mark.parametrize(
    ("method", "criterion", "test"),
    [
        ("stepwise", "pvalue", "score"),
        ("backward", "pvalue", "score"),
        ("stepwise", "aic", "score"),
        ("stepwise", "pvalue", "lr"),
    ],
)
def test_hessian_reuse_gives_the_same_path(
    sel_data: tuple[pd.DataFrame, np.ndarray], method: str, criterion: str, test: str
) -> None:
    """Trial fits that start from the current model's information matrix change nothing."""
    X, y = sel_data
    X, y = X.iloc[:5000], y[:5000]
    kw: dict[str, Any] = {"method": method, "criterion": criterion, "test": test}
    assert TUNING.reuse_hessian
    fast = select_stepwise(X, y, **kw)
    plain = select_tuned(X, y, attrs.evolve(TUNING, reuse_hessian=False), **kw)
    # trial fits stop at a relative coefficient change of SCREEN_TOL = 1e-6, so the Wald
    # p-value of a small coefficient agrees to about 1e-5 relative, an AIC to 1e-9
    assert_same_path(fast, plain, rel=1e-4 if criterion == "pvalue" else 1e-8)


def test_tuning_does_not_change_a_weighted_search(
    sel_data: tuple[pd.DataFrame, np.ndarray],
) -> None:
    """Every switch off at once: the same path, with weights and forced features too."""
    X, y = sel_data
    X, y = X.iloc[:4000], y[:4000]
    w = np.random.default_rng(2).uniform(0.5, 2.0, len(X))
    kw: dict[str, Any] = {"criterion": "bic", "sample_weight": w, "force": ["inf3"]}
    slow = attrs.evolve(
        TUNING,
        group_rows=False,
        reuse_hessian=False,
        coarse_ll_tol=None,
        gram_chunk=None,
        single_thread_blas=False,
    )
    assert_same_path(select_stepwise(X, y, **kw), select_tuned(X, y, slow, **kw), rel=1e-7)


# -- the records: validated fields, malformed JSON ------------------------------------------

GOOD_STEP: dict[str, Any] = {
    "step": 1,
    "action": "enter",
    "feature": "a",
    "value": 0.01,
    "reason": "entered",
}
GOOD_OUTCOME: dict[str, Any] = {"feature": "a", "status": "selected", "step": 1, "reason": "ok"}


@pytest.mark.parametrize(
    ("cls", "good", "field", "value"),
    [
        (SelectionStep, GOOD_STEP, "step", "1"),
        (SelectionStep, GOOD_STEP, "step", -1),
        (SelectionStep, GOOD_STEP, "step", 1.5),
        (SelectionStep, GOOD_STEP, "step", True),
        (SelectionStep, GOOD_STEP, "action", "jump"),
        (SelectionStep, GOOD_STEP, "feature", 3),
        (SelectionStep, GOOD_STEP, "value", "abc"),
        (SelectionStep, GOOD_STEP, "value", None),
        (SelectionStep, GOOD_STEP, "reason", None),
        (FeatureOutcome, GOOD_OUTCOME, "feature", None),
        (FeatureOutcome, GOOD_OUTCOME, "status", "kept"),
        (FeatureOutcome, GOOD_OUTCOME, "step", "x"),
        (FeatureOutcome, GOOD_OUTCOME, "reason", ""),
    ],
)
def test_records_refuse_bad_values(cls: type, good: dict[str, Any], field: str, value: Any) -> None:
    with pytest.raises(SpecificationError, match=rf"^{cls.__name__}\.{field}: expected .*found"):
        cls(**{**good, field: value})


def test_records_normalize_numpy_values() -> None:
    step = SelectionStep(np.int64(2), "stop", "", np.float64(math.nan), "stopped")
    assert type(step.step) is int and type(step.value) is float and math.isnan(step.value)
    assert FeatureOutcome("a", "forced", np.int32(0), "forced in").step == 0


@pytest.fixture(scope="module")
def small_path(sel_data: tuple[pd.DataFrame, np.ndarray]) -> SelectionPath:
    X, y = sel_data
    return select_stepwise(X.iloc[:3000, :6], y[:3000], max_pvalue=0.5, max_features=5)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("method", "sideways"),
        ("criterion", "r2"),
        ("test", "t"),
        ("p_enter", "abc"),
        ("p_enter", 1.5),
        ("p_remove", None),
        ("max_pvalue", "x"),
        ("max_pvalue", 0.0),
        ("sign_gate", "yes"),
        ("sign_gate", 1),
        ("max_features", 0),
        ("max_features", 2.5),
        ("force", 5),
        ("force", "inf0"),
        ("candidates", [1, 2]),
        ("steps", [1]),
        ("outcomes", "x"),
        ("features", None),
        ("result", "x"),
    ],
)
def test_selection_path_refuses_bad_values(
    small_path: SelectionPath, field: str, value: Any
) -> None:
    with pytest.raises(SpecificationError, match=rf"^SelectionPath\.{field}: expected .*found"):
        attrs.evolve(small_path, **{field: value})


BAD_JSON_VALUES = [None, "x", "NaN", -1, 2.5, True, [], {}, [1], [{}], {"a": 1}]


def _bodies(body: Any) -> Any:
    """Every body with one field (top level, a step, an outcome, the result) spoiled."""
    for key in body:
        for bad in BAD_JSON_VALUES:
            yield key, {**body, key: bad}
    for part in ("steps", "outcomes"):
        for key in body[part][0]:
            for bad in BAD_JSON_VALUES:
                spoiled = [{**body[part][0], key: bad}, *body[part][1:]]
                yield f"{part}.{key}", {**body, part: spoiled}
    for key in body["result"]:
        for bad in BAD_JSON_VALUES:
            yield f"result.{key}", {**body, "result": {**body["result"], key: bad}}
    for key in ("method", "steps", "result"):
        yield f"no {key}", {k: v for k, v in body.items() if k != key}


def test_malformed_json_raises_schema_error(small_path: SelectionPath) -> None:
    """A body with any field spoiled loads (if still valid) or raises SchemaError: nothing else."""
    body = json.loads(small_path.to_json())["body"]
    refused = 0
    for where, spoiled in _bodies(body):
        text = _json.dumps(_json.wrap("selection_path", 1, spoiled))
        try:
            SelectionPath.from_json(text)
        except SchemaError:
            refused += 1
        except Exception as exc:  # pragma: no cover - the failure report
            pytest.fail(f"{where}: {type(exc).__name__}: {exc}")
    assert refused > 300
    for where, value in [("p_enter", "abc"), ("sign_gate", 1), ("max_features", 2.5)]:
        spoiled = {**body, where: value}
        with pytest.raises(SchemaError, match=rf"^selection_path: .*{where}"):
            SelectionPath.from_json(_json.dumps(_json.wrap("selection_path", 1, spoiled)))


def test_save_returns_the_path(small_path: SelectionPath, tmp_path: Path) -> None:
    out = small_path.save(tmp_path / "path.json")
    assert out == tmp_path / "path.json"
    assert SelectionPath.load(out) == small_path
    assert isinstance(small_path.result, LogitResult) and small_path.result.features
    assert INTERCEPT in small_path.result.params.index


def test_sign_gate_must_be_a_boolean(sel_data: tuple[pd.DataFrame, np.ndarray]) -> None:
    X, y = sel_data
    with pytest.raises(SpecificationError, match="sign_gate to be True or False, found 1"):
        select_stepwise(X.iloc[:500], y[:500], sign_gate=1)  # type: ignore[arg-type]
    path = select_stepwise(X.iloc[:3000, :4], y[:3000], sign_gate=np.bool_(False))
    assert path.sign_gate is False
