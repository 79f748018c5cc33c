"""fit_scorecard: the one call for the common case."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scorecard import ReasonCatalog, ReasonCode, Scorecard, fit_scorecard
from scorecard._model.build import _split
from scorecard._model.metrics import performance
from scorecard.exceptions import DataError, FitError, SpecificationError


@pytest.fixture(scope="module")
def build(german: pd.DataFrame):
    return fit_scorecard(german, "bad", seed=3)


@pytest.mark.filterwarnings("ignore::scorecard.exceptions.FitWarning")  # all 20 features
def test_german_holdout_auc_in_published_band(german: pd.DataFrame) -> None:
    """Repeated stratified 5-fold CV lands in the 0.76-0.80 band of the data README."""
    from scorecard._model import metrics as _metrics

    y = german["bad"].to_numpy()
    aucs = []
    for rep in range(3):
        rng = np.random.default_rng(rep)
        folds = np.empty(len(y), dtype=int)
        for cls in (0, 1):
            pos = np.flatnonzero(y == cls)
            folds[rng.permutation(pos)] = np.arange(pos.size) % 5
        for k in range(5):
            tr, te = german[folds != k], german[folds == k]
            card = fit_scorecard(
                tr, "bad", holdout=0, min_iv=0.0, max_vif=None, stepwise=None
            ).scorecard
            aucs.append(_metrics.auc(te["bad"].to_numpy(), card.score(te)))
    assert 0.76 <= float(np.mean(aucs)) <= 0.80


def test_build_contents(build, german: pd.DataFrame) -> None:
    card = build.scorecard
    assert isinstance(card, Scorecard)
    assert set(card.names) <= set(build.selection.selected)
    assert set(build.model.features) == set(card.names)
    assert all(build.model.params[f] < 0 for f in card.names)  # sign gate
    assert list(build.metrics.index) == ["train", "holdout"]
    assert build.metrics.loc["train", "rows"] + build.metrics.loc["holdout", "rows"] == len(german)
    assert 0.65 < build.metrics.loc["holdout", "auc"] < 0.9
    assert build.metrics.loc["holdout", "gini"] == pytest.approx(
        2 * build.metrics.loc["holdout", "auc"] - 1
    )
    assert build.gains["count"].sum() == build.metrics.loc["holdout", "rows"]
    assert card.metadata.n_train == build.metrics.loc["train", "rows"]
    assert "holdout" in build.summary() and "<table" in build._repr_html_()


def test_deterministic(german: pd.DataFrame, build) -> None:
    again = fit_scorecard(german, "bad", seed=3)
    assert again.scorecard.to_json() == build.scorecard.to_json()


def test_training_metrics_from_the_pipelines_bin_indices(build, german: pd.DataFrame) -> None:
    """The training rows are scored from the pipeline's bin indices: the same numbers as
    scoring them again from scratch."""
    tr, _ = _split(german["bad"].to_numpy(np.int8), 0.3, 3)
    train = german.iloc[tr]
    card = build.scorecard
    expected = performance(train["bad"].to_numpy(), card.score(train), card.predict_pd(train))
    assert build.metrics.loc["train"].to_dict() == expected


def test_single_bin_features(german: pd.DataFrame) -> None:
    """The pipeline's rule: pre-selection drops a single-bin feature; forced, it is a
    FitError (its coefficient has no estimate), with stepwise or one fit."""
    df = german.assign(flat=1.0)
    df.loc[:5, "flat"] = 2.0  # two values, too few rows for a second bin
    b = fit_scorecard(df, "bad", holdout=0, min_iv=0.0)  # not dropped for its IV of 0
    step = {s.feature: s for s in b.selection.steps}["flat"]
    assert not step.kept and "single bin" in step.reason
    assert "flat" not in b.scorecard.names
    for stepwise in ("stepwise", None):
        with pytest.raises(FitError, match="'flat' is constant"):
            fit_scorecard(df, "bad", holdout=0, force=["flat"], stepwise=stepwise)


def test_split_is_stratified_and_deterministic() -> None:
    y = np.r_[np.zeros(700), np.ones(300)].astype(np.int8)
    tr, ho = _split(y, 0.3, 0)
    assert len(ho) == 300 and y[ho].sum() == 90
    assert np.intersect1d(tr, ho).size == 0 and len(tr) + len(ho) == 1000
    _, ho2 = _split(y, 0.3, 0)
    assert np.array_equal(ho, ho2)


def test_options(german: pd.DataFrame) -> None:
    cat = ReasonCatalog((ReasonCode("duration_in_month", "D1", "Duration"),))
    b = fit_scorecard(
        german,
        "bad",
        holdout=0,
        stepwise="forward",
        criterion="aic",
        allocation="shift",
        reason_catalog=cat,
        force=["duration_in_month"],
    )
    assert list(b.metrics.index) == ["train"]
    assert "duration_in_month" in b.scorecard.names
    assert b.scorecard.allocation == "shift"
    assert b.stepwise is not None and b.stepwise.method == "forward"


def test_weights_equal_replication_and_bad_label(german: pd.DataFrame) -> None:
    """Frequency weights of 2 give the card of the data stacked twice."""
    df = german.assign(w=2.0, outcome=np.where(german["bad"] == 1, "B", "G")).drop(columns="bad")
    weighted = fit_scorecard(df, "outcome", bad_label="B", sample_weight="w", holdout=0)
    twice = fit_scorecard(pd.concat([german, german], ignore_index=True), "bad", holdout=0)
    assert weighted.scorecard.names == twice.scorecard.names
    np.testing.assert_allclose(
        weighted.scorecard.raw_score(german), twice.scorecard.raw_score(german), atol=1e-6
    )


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"holdout": 1.0}, SpecificationError, "holdout"),
        ({"sample_weight": [1.0]}, SpecificationError, "column name"),
        ({"min_iv": 5.0}, DataError, "no feature passed"),
    ],
)
def test_bad_arguments(german: pd.DataFrame, kwargs: dict, exc: type, match: str) -> None:
    with pytest.raises(exc, match=match):
        fit_scorecard(german, "bad", **kwargs)


@pytest.mark.filterwarnings("ignore::scorecard.exceptions.FitWarning")  # a wrong sign
@pytest.mark.parametrize("weights", [False, True])
def test_one_fit_equals_its_steps_on_a_woe_frame(german: pd.DataFrame, weights: bool) -> None:
    """The pipeline's WOE design gives the selection and fit of the WOE frame's steps."""
    from scorecard import bin_features, fit_logit, select_features

    df = german.copy()
    df["w"] = np.random.default_rng(3).integers(0, 3, len(df)).astype(float) if weights else 1.0
    options = {"min_iv": 0.02, "max_corr": 0.6, "max_vif": 3.0}
    build = fit_scorecard(df, "bad", holdout=0, stepwise=None, l2=1.0, sample_weight="w", **options)
    binning = bin_features(df, "bad", sample_weight="w")
    woe = binning.transform(df)
    selection = select_features(binning, df, sample_weight=df["w"].to_numpy(), **options)
    assert build.selection.table.drop(columns="vif").equals(selection.table.drop(columns="vif"))
    np.testing.assert_allclose(build.selection.table["vif"], selection.table["vif"], rtol=1e-12)
    model = fit_logit(woe, df["bad"], sample_weight=df["w"], features=selection.selected, l2=1.0)
    assert build.model.features == model.features
    np.testing.assert_allclose(build.model.params, model.params, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(build.model.bse, model.bse, rtol=1e-12)
    np.testing.assert_allclose(build.model.vif, model.vif, rtol=1e-9)
    assert build.model.llf == pytest.approx(model.llf, rel=1e-14)
