"""The Scorecard artifact: scaling, points, invariants, reasons, JSON, and optbinning parity."""

from __future__ import annotations

import functools
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard import (
    BinningSpec,
    FixedRange,
    ReasonCatalog,
    ReasonCode,
    Scaling,
    Scorecard,
    bin_features,
)
from scorecard.exceptions import DataError, SchemaError, SpecificationError
from scorecard.testing import covering_frame, records

FEATS = [
    "status_of_existing_checking_account",
    "duration_in_month",
    "credit_history",
    "savings_account_and_bonds",
    "credit_amount",
    "purpose",
    "age_in_years",
]


def _logit(X: pd.DataFrame, y: pd.Series) -> tuple[dict[str, float], float]:
    import statsmodels.api as sm

    res = sm.Logit(y.to_numpy(), sm.add_constant(X)).fit(disp=0)
    return res.params.drop("const").to_dict(), float(res.params["const"])


@pytest.fixture(scope="module")
def fitted(german: pd.DataFrame):
    b = bin_features(german, "bad", features=FEATS, spec=BinningSpec(max_bins=4))
    coefs, b0 = _logit(b.transform(german), german["bad"])
    return b, coefs, b0


@pytest.fixture(scope="module")
def card(fitted, german: pd.DataFrame) -> Scorecard:
    b, coefs, b0 = fitted
    return Scorecard.from_model(b, coefs, b0, data=german)


@pytest.fixture(scope="module")
def odd_rows(german: pd.DataFrame) -> pd.DataFrame:
    """German rows plus missing values and an unseen category."""
    extra = german.head(4).copy()
    extra["duration_in_month"] = extra["duration_in_month"].astype("float64")
    extra.iloc[0, extra.columns.get_loc("duration_in_month")] = np.nan
    extra["purpose"] = extra["purpose"].astype(str)
    extra.iloc[1, extra.columns.get_loc("purpose")] = "spaceship"
    extra.iloc[2, extra.columns.get_loc("purpose")] = None
    base = german.assign(
        duration_in_month=german["duration_in_month"].astype("float64"),
        purpose=german["purpose"].astype(str),
    )
    return pd.concat([base, extra], ignore_index=True)


@pytest.mark.parametrize(("pd_bad", "score"), [(1 / 51, 600.0), (1 / 101, 620.0), (1 / 26, 580.0)])
def test_scaling_check_values(pd_bad: float, score: float) -> None:
    s = Scaling()
    assert s.score_from_pd(pd_bad) == pytest.approx(score, abs=1e-9)
    assert s.pd_from_score(score) == pytest.approx(pd_bad, rel=1e-12)
    assert s.factor == pytest.approx(20 / math.log(2))
    assert s.offset == pytest.approx(600 - 20 / math.log(2) * math.log(50))


def test_scaling_validation() -> None:
    with pytest.raises(SpecificationError, match="pdo"):
        Scaling(pdo=0)
    with pytest.raises(SpecificationError, match="base_odds"):
        Scaling(base_odds=-1)
    with pytest.raises(SpecificationError, match="strictly between 0 and 1"):
        Scaling().score_from_pd([0.0])


def test_unrounded_points_equal_scaled_log_odds_for_every_row(card: Scorecard, odd_rows) -> None:
    p = card.predict_pd(odd_rows)
    expected = card.scaling.offset + card.scaling.factor * np.log((1 - p) / p)
    np.testing.assert_allclose(card.raw_score(odd_rows), expected, atol=1e-9, rtol=0)
    # the linear predictor is the model's: b0 + sum b_j WOE_j from the binning itself
    woe = pd.DataFrame(
        {c.name: c.binning.transform(odd_rows[c.name]) for c in card.characteristics}
    )
    lo = card.intercept + woe.to_numpy() @ np.asarray(list(card.coefficients.values()))
    np.testing.assert_allclose(card.log_odds(odd_rows), lo, atol=1e-9)


def test_rounded_score_within_bound_and_adds_up(card: Scorecard, odd_rows) -> None:
    s = card.score(odd_rows)
    assert s.dtype == np.int64
    assert np.all(np.abs(s - card.raw_score(odd_rows)) <= card.rounding_bound + 1e-9)
    assert np.array_equal(card.points(odd_rows).sum(axis=1).to_numpy(), s)
    assert card.min_score <= s.min() and s.max() <= card.max_score


def test_invariants_hold_for_applicants_reaching_every_bin(card: Scorecard) -> None:
    """Random applicants, every bin of every characteristic reachable (missing values and
    unseen categories included): each scores alike wherever it stands in a batch, within
    the card's range and rounding bound, as the sum of its printed points, with the PD of
    its score.  The covering frame keeps company (a column of nothing but missing
    categories is an issue-8 defect, tested in tests/test_testing.py)."""
    context = covering_frame(card)

    @given(st.lists(records(card, canonical=True), min_size=1, max_size=8))
    def check(rows: list[dict[str, object]]) -> None:
        n, batch = len(rows), pd.DataFrame(rows)
        first = pd.concat([batch, context], ignore_index=True)
        last = pd.concat([context, batch.iloc[::-1]], ignore_index=True)
        s, p = card.score_and_pd(first)
        assert np.array_equal(s[:n], card.score(last)[len(context) :][::-1])
        assert ((card.min_score <= s) & (s <= card.max_score)).all()
        assert np.all(np.abs(s - card.raw_score(first)) <= card.rounding_bound + 1e-9)
        assert np.array_equal(card.points(first).sum(axis=1).to_numpy(), s)
        np.testing.assert_array_equal(p, card.scaling.pd_from_score(s))

    check()


@pytest.mark.parametrize("allocation", ["spread", "base", "shift"])
def test_allocations_give_same_unrounded_score(fitted, german, allocation) -> None:
    b, coefs, b0 = fitted
    ref = Scorecard.from_model(b, coefs, b0)
    other = Scorecard.from_model(b, coefs, b0, allocation=allocation)
    np.testing.assert_allclose(other.raw_score(german), ref.raw_score(german), atol=1e-9)
    assert np.all(
        np.abs(other.score(german) - other.raw_score(german)) <= other.rounding_bound + 1e-9
    )
    if allocation == "shift":
        assert all(c.min_points == 0 for c in other.characteristics)
        assert other.points_table()["characteristic"].iloc[-1] == "(base points)"


def test_fixed_range_card_attains_both_ends(fitted, german) -> None:
    b, coefs, b0 = fitted
    card = Scorecard.from_model(b, coefs, b0, scaling=FixedRange(300, 850))
    assert (card.min_score, card.max_score) == (300, 850)
    # build the best and the worst applicant from the card's own bins and score them
    best, worst = {}, {}
    for c in card.characteristics:
        pts = [p if p is not None else -1 for p in c.points[:-1]]
        for target, pick in ((best, int(np.argmax(pts))), (worst, int(np.argmin(pts)))):
            fb = c.binning
            if fb.kind == "numeric":
                bounds = (-np.inf, *fb.fine.edges, np.inf)
                fine_i = fb.bins[pick].fine[0] if fb.bins[pick].fine else None
                target[c.name] = (
                    np.nan
                    if fine_i is None
                    else (bounds[fine_i] if np.isfinite(bounds[fine_i]) else bounds[fine_i + 1] - 1)
                )
            else:
                target[c.name] = (
                    None if not fb.bins[pick].fine else fb.fine.levels[fb.bins[pick].fine[0]][0]
                )
    rows = pd.DataFrame([best, worst])
    for c in card.characteristics:
        if c.binning.kind == "categorical":
            rows[c.name] = rows[c.name].astype(object)
    assert card.score(rows).tolist() == [850, 300]
    assert card.rounding_bound < len(card.characteristics)


def test_reason_codes(card: Scorecard, german: pd.DataFrame) -> None:
    rc = card.reason_codes(german, n=3)
    assert list(rc.columns) == ["reason_1", "reason_2", "reason_3"]
    pts = card.points(german)
    maxp = pd.Series({c.name: c.max_points for c in card.characteristics})
    short = maxp - pts  # shortfall per characteristic
    for i in [0, 1, 2, 17, 500]:
        row = short.iloc[i]
        expected = [n for n in row.sort_values(ascending=False, kind="stable").index if row[n] > 0][
            :3
        ]
        got = [v for v in rc.iloc[i] if v is not None]
        assert [row[g] for g in got] == [row[e] for e in expected]
        assert set(got) <= set(card.names)
    # a perfect applicant has no reasons
    assert rc.isna().all(axis=1).sum() == (short.max(axis=1) <= 0).sum()


def test_reason_catalog_and_baselines(fitted, german: pd.DataFrame) -> None:
    b, coefs, b0 = fitted
    cat = ReasonCatalog(
        (
            ReasonCode("duration_in_month", "D01", "Long loan duration"),
            ReasonCode("purpose", "P00", "Purpose of the loan"),
        )
    )
    card = Scorecard.from_model(b, coefs, b0, reason_catalog=cat)
    t = card.reason_table(german, n=4, baseline="mean")
    assert set(t.loc[t.characteristic == "duration_in_month", "code"]) <= {"D01"}
    assert (t["shortfall"] > 0).all()
    assert (t.groupby("row")["shortfall"].apply(lambda s: s.is_monotonic_decreasing)).all()
    neutral = card.reason_codes(german, baseline="neutral")
    assert neutral.shape == (len(german), 4)
    with pytest.raises(SpecificationError, match="baseline"):
        card.reason_codes(german, baseline="median")  # type: ignore[arg-type]


def test_points_table(card: Scorecard) -> None:
    t = card.points_table()
    assert {"characteristic", "attribute", "points", "neutral_points", "max_points"} <= set(
        t.columns
    )
    for c in card.characteristics:
        sub = t[t.characteristic == c.name]
        assert sub["max_points"].iloc[0] == sub["points"].max()
    assert "points" in card._repr_html_()
    assert "characteristics" in card.summary()


def test_json_round_trip_byte_identical(card: Scorecard, odd_rows, tmp_path) -> None:
    text = card.to_json()
    back = Scorecard.from_json(text)
    assert back == card
    assert back.to_json() == text
    np.testing.assert_array_equal(back.score(odd_rows), card.score(odd_rows))
    card.save(tmp_path / "card.json")
    assert Scorecard.load(tmp_path / "card.json") == card
    assert card.metadata.n_train == 1000 and card.metadata.bad_rate == pytest.approx(0.3)
    assert len(card.metadata.fingerprint) == 64


def test_json_refuses_bad_files(card: Scorecard) -> None:
    from scorecard._core import artifact as _json

    payload = json.loads(card.to_json())
    payload["body"]["characteristics"][0]["coefficient"] *= 2
    with pytest.raises(SchemaError, match="tampered"):
        Scorecard.from_json(json.dumps(payload))
    # consistent checksum but points that do not follow from the model
    body = payload["body"]
    with pytest.raises(SchemaError, match="do not follow"):
        Scorecard.from_json(_json.dumps(_json.wrap("scorecard", 1, body)))
    payload = json.loads(card.to_json())
    payload["schema_version"] = 2
    with pytest.raises(SchemaError, match="newer"):
        Scorecard.from_json(json.dumps(payload))
    with pytest.raises(SchemaError, match="kind 'scorecard'"):
        Scorecard.from_json(
            card.characteristics[0].binning
            and _json.dumps(_json.wrap("binning", 1, {"features": []}))
        )


def test_scoring_bad_input(card: Scorecard, german: pd.DataFrame) -> None:
    with pytest.raises(DataError, match="duration_in_month"):
        card.score(german.drop(columns="duration_in_month"))
    with pytest.raises(DataError, match="'duration_in_month'.*infinite"):
        card.score(german.assign(duration_in_month=np.inf))


def test_error_treatment_refuses_unseen(german: pd.DataFrame) -> None:
    b = bin_features(
        german, "bad", features=["purpose", "duration_in_month"], spec=BinningSpec(empty="error")
    )
    coefs, b0 = _logit(b.transform(german), german["bad"])
    card = Scorecard.from_model(b, coefs, b0)
    rows = german.head(2).assign(purpose=["car (new)", "spaceship"])
    with pytest.raises(DataError, match="'purpose'.*treatment is 'error'"):
        card.score(rows)
    assert Scorecard.from_json(card.to_json()) == card


@pytest.mark.filterwarnings("ignore")  # pandas deprecations inside optbinning
def test_matches_optbinning_scorecard_points(fitted, german: pd.DataFrame) -> None:
    """Same bins, unpenalized logistic regression: optbinning's unrounded points agree within 0.01."""
    from optbinning import BinningProcess
    from optbinning import Scorecard as OScorecard
    from sklearn.linear_model import LogisticRegression

    b, coefs, b0 = fitted
    card = Scorecard.from_model(b, coefs, b0)
    params = {}
    for f in FEATS:
        fb = b[f]
        assert np.all(np.minimum(fb.goods, fb.bads)[: fb.n_regular] > 0), "no pure bins"
        if fb.kind == "numeric":
            starts = [i for i in range(1, fb.fine.n) if fb.groups[i] != fb.groups[i - 1]]
            splits = [fb.fine.edges[i - 1] for i in starts]
        else:
            splits = [
                np.array(
                    [v for i in range(fb.fine.n) if fb.groups[i] == g for v in fb.fine.levels[i]],
                    dtype=object,
                )
                for g in range(fb.n_regular)
            ]
        params[f] = {
            "user_splits": splits,
            "user_splits_fixed": [True] * len(splits),
            "monotonic_trend": None,
            "min_prebin_size": 1e-6,
        }
    cats = [f for f in FEATS if b[f].kind == "categorical"]
    X = german[FEATS].copy()
    for c in cats:
        X[c] = X[c].astype(str)
    osc = OScorecard(
        binning_process=BinningProcess(
            FEATS, categorical_variables=cats, binning_fit_params=params
        ),
        estimator=LogisticRegression(C=np.inf, max_iter=5000, tol=1e-12),
        scaling_method="pdo_odds",
        scaling_method_params={"pdo": 20, "odds": 50, "scorecard_points": 600},
    )
    osc.fit(X, german["bad"])
    np.testing.assert_allclose(osc.score(X), card.raw_score(german), atol=0.01)
    # attribute by attribute: the points of every regular bin
    t = osc.table(style="detailed")
    for f in FEATS:
        theirs = t.loc[t["Variable"] == f, "Points"].to_numpy()[: b[f].n_regular]
        ours = np.asarray(card[f].raw_points[: b[f].n_regular])
        if b[f].kind == "categorical":  # optbinning lists category groups in its own order
            ours, theirs = np.sort(ours), np.sort(theirs)
        np.testing.assert_allclose(ours, theirs, atol=0.01)


@given(st.floats(0.001, 0.999), st.floats(1.0, 100.0), st.floats(1.0, 200.0), st.floats(100, 900))
def test_scaling_round_trip_property(p: float, pdo: float, odds: float, base: float) -> None:
    s = Scaling(base_score=base, base_odds=odds, pdo=pdo)
    assert s.pd_from_score(s.score_from_pd(p)) == pytest.approx(p, rel=1e-9)
    # doubling the odds adds exactly one PDO
    odds_p = (1 - p) / p
    p2 = 1 / (1 + 2 * odds_p)
    assert s.score_from_pd(p2) - s.score_from_pd(p) == pytest.approx(pdo, rel=1e-9)


@functools.cache
def _four_feature_binning():
    rng = np.random.default_rng(4)
    n = 3_000
    X = rng.normal(size=(n, 4)).round(2)
    y = (rng.random(n) < 1 / (1 + np.exp(1.5 - X.sum(axis=1)))).astype(int)
    df = pd.DataFrame(X, columns=[f"x{i}" for i in range(4)]).assign(bad=y)
    return df, bin_features(df, "bad", spec=BinningSpec(max_bins=5))


@given(
    st.lists(st.floats(-2.0, -0.1), min_size=1, max_size=4),
    st.floats(-3.0, 1.0),
    st.integers(0, 700),
    st.integers(50, 600),
    st.sampled_from(["spread", "base", "shift"]),
)
def test_fixed_range_property(coefs, b0, low, width, allocation) -> None:
    """Any card scaled to a fixed range attains both ends exactly after rounding."""
    df, b = _four_feature_binning()
    card = Scorecard.from_model(
        b,
        {f"x{i}": c for i, c in enumerate(coefs)},
        b0,
        scaling=FixedRange(low, low + width),
        allocation=allocation,
    )
    assert (card.min_score, card.max_score) == (low, low + width)
    s = card.score(df)
    assert np.all(np.abs(s - card.raw_score(df)) <= card.rounding_bound + 1e-9)
