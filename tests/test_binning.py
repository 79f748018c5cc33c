"""Binning: fine and coarse classes, tables, transform, edits and JSON."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from scorecard._analyze.binning import Binning, BinningSpec, FeatureBinning, bin_features
from scorecard._core.stats import woe as woe_of
from scorecard.exceptions import DataError, DataWarning, SchemaError, SpecificationError

PER_CATEGORY = BinningSpec(optimize=False, min_level_count=0, min_level_share=0, smoothing=0)

# published values: ../shared/data/README.md (each category its own bin, no smoothing)
GERMAN_IV = {
    "status_of_existing_checking_account": 0.6660,
    "credit_history": 0.2932,
    "savings_account_and_bonds": 0.1960,
    "purpose": 0.1692,
    "property": 0.1126,
    "present_employment_since": 0.0864,
    "housing": 0.0833,
}
CHECKING_WOE = {
    "... < 0 DM": -0.8181,
    "0 <= ... < 200 DM": -0.4014,
    "... >= 200 DM / salary assignments for at least 1 year": 0.4055,
    "no checking account": 1.1763,
}


def test_german_iv_reproduces_published_values(german: pd.DataFrame) -> None:
    b = bin_features(german, "bad", features=list(GERMAN_IV), spec=PER_CATEGORY)
    for name, expected in GERMAN_IV.items():
        assert round(b[name].iv, 4) == expected, name


def test_german_checking_account_woe(german: pd.DataFrame) -> None:
    fb = bin_features(
        german, "bad", features=["status_of_existing_checking_account"], spec=PER_CATEGORY
    )["status_of_existing_checking_account"]
    for bin_ in fb.bins:
        if bin_.missing:
            continue
        (level,) = fb.fine.levels[bin_.fine[0]]
        assert round(bin_.woe, 4) == CHECKING_WOE[level]


def test_table_counts_add_up(toy: pd.DataFrame) -> None:
    b = bin_features(toy, "bad", spec=BinningSpec(special_codes=(-999,)))
    for name in b.names:
        t = b.table(name)
        body, total = t.iloc[:-1], t.iloc[-1]
        assert body["count"].sum() == len(toy) == total["count"]
        assert body["bads"].sum() == toy["bad"].sum() == total["bads"]
        assert body["share"].sum() == pytest.approx(1.0)
        assert total["iv"] == pytest.approx(body["iv"].sum())
        assert (body["iv"] >= 0).all()


def test_transform_agrees_with_table_for_every_row(toy: pd.DataFrame) -> None:
    b = bin_features(toy, "bad", spec=BinningSpec(special_codes=(-999,)))
    idx = b.transform(toy, "index")
    woe = b.transform(toy)
    for name in b.names:
        t = b.table(name).iloc[:-1]
        # recount from the row-level bin index: equals the table
        counts = np.bincount(idx[name], minlength=len(t))
        bads = np.bincount(idx[name], weights=toy["bad"], minlength=len(t))
        np.testing.assert_allclose(counts, t["count"])
        np.testing.assert_allclose(bads, t["bads"])
        np.testing.assert_allclose(woe[name], t["woe"].to_numpy()[idx[name]])
    x = b["x"]
    assert woe.loc[toy["x"].isna(), "x"].eq(x.woe[x.missing_index]).all()
    special_bin = next(bn for bn in x.bins if bn.specials == (-999.0,))
    assert woe.loc[toy["x"] == -999, "x"].eq(special_bin.woe).all()
    assert (toy["x"] == -999).sum() == special_bin.count


def test_labels_are_intervals_and_cover_the_line(toy: pd.DataFrame) -> None:
    fb = bin_features(toy, "bad", spec=BinningSpec(special_codes=(-999,)))["x"]
    regular = fb.labels[: fb.n_regular]
    assert regular[0].startswith("[-inf, ") and regular[-1].endswith(", inf)")
    for a, b in zip(regular, regular[1:]):
        assert a.split(", ")[1].rstrip(")") == b.split(", ")[0].lstrip("[")
    assert fb.labels[fb.n_regular :] == ("Missing", "Special -999")


def test_merge_recomputes_from_counts_and_woe_lies_between(toy: pd.DataFrame) -> None:
    fb = FeatureBinning.fit(
        toy["x"], toy["bad"], BinningSpec(optimize=False, n_fine=8, special_codes=(-999,))
    )
    merged = fb.merge(2, 3)
    assert merged.n_regular == fb.n_regular - 1
    assert merged.goods[2] == fb.goods[2] + fb.goods[3]
    assert min(fb.woe[2], fb.woe[3]) <= merged.woe[2] <= max(fb.woe[2], fb.woe[3])
    # an independent WOE from the merged counts
    assert merged.woe[2] == pytest.approx(woe_of(merged.goods, merged.bads)[2])
    assert merged.goods.sum() == fb.goods.sum()
    with pytest.raises(SpecificationError, match="adjacent"):
        fb.merge(1, 3)


def test_split_at_fine_boundary_undoes_merge(toy: pd.DataFrame) -> None:
    fb = FeatureBinning.fit(toy["x"], toy["bad"], BinningSpec(optimize=False, n_fine=8))
    merged = fb.merge(2, 3)
    boundary = fb.fine.edges[2]
    assert merged.split(2, boundary) == fb
    with pytest.raises(SpecificationError, match="not a fine-class boundary"):
        merged.split(2, boundary + 1e-9)


def test_with_cuts_from_fine_edges_and_from_data(toy: pd.DataFrame) -> None:
    fb = FeatureBinning.fit(toy["x"], toy["bad"], BinningSpec(n_fine=10, special_codes=(-999,)))
    cuts = [fb.fine.edges[1], fb.fine.edges[5]]
    c = fb.with_cuts(cuts)
    assert c.n_regular == 3
    with pytest.raises(SpecificationError, match="pass data= and target="):
        fb.with_cuts([0.123456])
    d = fb.with_cuts([0.123456], data=toy["x"], target=toy["bad"])
    assert d.labels[:2] == ("[-inf, 0.123456)", "[0.123456, inf)")
    x = toy["x"]
    below = (x < 0.123456) & (x != -999)
    assert d.goods[0] == ((toy["bad"] == 0) & below).sum()
    assert d.bads[1] == ((toy["bad"] == 1) & (x >= 0.123456)).sum()


def test_move_missing_and_special(toy: pd.DataFrame) -> None:
    fb = FeatureBinning.fit(toy["x"], toy["bad"], BinningSpec(special_codes=(-999,)))
    m = fb.move_missing(0)
    assert "Missing" not in m.labels and m.labels[0].endswith("| Missing")
    assert m.goods[0] == fb.goods[0] + fb.fine.missing_goods
    s = m.move_special(-999, 0)
    assert s.labels[0].endswith("| Missing | Special -999")
    w = s.transform(toy["x"])
    assert np.all(w[toy["x"].isna().to_numpy()] == s.woe[0])
    assert np.all(w[(toy["x"] == -999).to_numpy()] == s.woe[0])
    assert s.move_missing(None).move_special(-999, None) == fb
    with pytest.raises(SpecificationError, match="not one of the special codes"):
        fb.move_special(-1, 0)


def test_categorical_split_and_groups(toy: pd.DataFrame) -> None:
    fb = FeatureBinning.fit(toy["cat"], toy["bad"], BinningSpec(optimize=False))
    grouped = fb.with_groups([["a", "b"], ["c", "d"], ["e", "f"]])
    assert grouped.n_regular == 3
    assert grouped.goods[0] == ((toy["cat"].isin(["a", "b"])) & (toy["bad"] == 0)).sum()
    s = grouped.split(0, ["b"])
    assert s.n_regular == 4 and "{'b'}" in s.labels
    assert s.goods[:4].sum() == grouped.goods[:3].sum()


def test_unseen_category_treatments(toy: pd.DataFrame) -> None:
    new = pd.Series(["a", "zzz", None], dtype="str")
    for empty, expected in [("neutral", 0.0), ("worst", None)]:
        fb = FeatureBinning.fit(toy["cat"], toy["bad"], BinningSpec(empty=empty))
        w = fb.transform(new)
        assert w[1] == (expected if expected is not None else np.nanmin(fb.woe))
        assert w[2] == fb.woe[fb.missing_index]
    fb = FeatureBinning.fit(toy["cat"], toy["bad"], BinningSpec(empty="error"))
    with pytest.raises(DataError, match="'cat'.*unseen"):
        fb.transform(new)


def test_empty_missing_bin_uses_treatment() -> None:
    x = pd.Series(np.arange(400.0))
    y = (np.arange(400) % 3 == 0).astype(int)
    fb = FeatureBinning.fit(x, y, BinningSpec(empty="worst", n_fine=5, optimize=False))
    assert fb.bins[fb.missing_index].count == 0
    assert fb.woe[fb.missing_index] == np.nanmin(fb.woe[: fb.n_regular])
    assert fb.transform(pd.Series([np.nan]))[0] == fb.woe[fb.missing_index]


def test_weights_equal_replication() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=300).round(2)
    y = (rng.random(300) < 0.3).astype(int)
    w = rng.integers(0, 4, size=300)
    spec = BinningSpec(optimize=False, n_fine=6)
    weighted = FeatureBinning.fit(pd.Series(x), y, spec, sample_weight=w.astype(float))
    rep = FeatureBinning.fit(pd.Series(np.repeat(x, w)), np.repeat(y, w), spec)
    assert weighted.fine.edges == rep.fine.edges
    np.testing.assert_allclose(weighted.goods, rep.goods)
    np.testing.assert_allclose(weighted.woe, rep.woe)


def test_json_round_trip_is_byte_identical(toy: pd.DataFrame, tmp_path) -> None:
    b = bin_features(toy, "bad", spec=BinningSpec(special_codes=(-999,)))
    b = b.replace(b["x"].move_missing(1))
    text = b.to_json()
    back = Binning.from_json(text)
    assert back == b
    assert back.to_json() == text
    path = tmp_path / "binning.json"
    b.save(path)
    assert Binning.load(path) == b
    assert path.read_text() == text
    pd.testing.assert_frame_equal(back.transform(toy), b.transform(toy))


def test_json_refuses_tampered_newer_and_wrong_kind(toy: pd.DataFrame) -> None:
    text = bin_features(toy, "bad").to_json()
    payload = json.loads(text)
    payload["body"]["features"][0]["fine"]["goods"][0] += 1
    with pytest.raises(SchemaError, match="tampered"):
        Binning.from_json(json.dumps(payload))
    payload = json.loads(text)
    payload["schema_version"] = 99
    with pytest.raises(SchemaError, match="newer"):
        Binning.from_json(json.dumps(payload))
    payload = json.loads(text)
    payload["kind"] = "scorecard"
    with pytest.raises(SchemaError, match="kind 'binning'"):
        Binning.from_json(json.dumps(payload))
    with pytest.raises(SchemaError, match="valid JSON"):
        Binning.from_json("{not json")


def test_deterministic_bytes(toy: pd.DataFrame) -> None:
    assert bin_features(toy, "bad").to_json() == bin_features(toy.copy(), "bad").to_json()


def test_optimal_binning_respects_constraints(toy: pd.DataFrame) -> None:
    spec = BinningSpec(max_bins=4, min_bin_share=0.1, trend="ascending", special_codes=(-999,))
    fb = FeatureBinning.fit(toy["x"], toy["bad"], spec)
    assert 1 <= fb.n_regular <= 4
    share = (fb.goods + fb.bads)[: fb.n_regular] / len(toy)
    assert (share >= 0.1 - 1e-9).all()
    rates = fb.bads[: fb.n_regular] / (fb.goods + fb.bads)[: fb.n_regular]
    assert np.all(np.diff(rates) >= 0)


# ------------------------------------------------------------------ properties
@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(30, 300))
    x = draw(
        arrays(
            np.float64,
            n,
            elements=st.sampled_from([np.nan, -999.0, 0.0, 1.5, 2.0, 3.25, 7.0, 10.0, 100.0]),
        )
    )
    y = draw(arrays(np.int8, n, elements=st.integers(0, 1)))
    y[0], y[1] = 0, 1
    x[0], x[1] = 0.0, 1.5
    cats = draw(arrays(object, n, elements=st.sampled_from(["u", "v", "w", None])))
    cats[0], cats[1] = "u", "v"
    return pd.DataFrame({"x": x, "c": pd.Series(cats, dtype="str"), "bad": y})


@given(frames(), st.booleans())
def test_property_counts_iv_transform(df: pd.DataFrame, optimize: bool) -> None:
    spec = BinningSpec(
        optimize=optimize, special_codes=(-999,), min_level_count=0, min_bin_share=0.0, n_fine=5
    )
    b = bin_features(df, "bad", spec=spec)
    idx = b.transform(df, "index")
    for name in b.names:
        fb = b[name]
        assert fb.goods.sum() + fb.bads.sum() == len(df)
        assert fb.bads.sum() == df["bad"].sum()
        assert fb.iv >= 0
        np.testing.assert_allclose(
            np.bincount(idx[name], minlength=len(fb.labels)), fb.goods + fb.bads
        )
        assert Binning.from_json(b.to_json()) == b


@given(frames())
def test_property_merge_between_parts(df: pd.DataFrame) -> None:
    fb = FeatureBinning.fit(
        df["x"], df["bad"], BinningSpec(optimize=False, n_fine=5, special_codes=(-999,))
    )
    if fb.n_regular < 2:
        return
    g, b = fb.goods, fb.bads
    if min(g[0], b[0], g[1], b[1]) == 0:
        return  # smoothing of pure bins is a different estimator
    m = fb.merge(0, 1)
    assert min(fb.woe[0], fb.woe[1]) - 1e-12 <= m.woe[0] <= max(fb.woe[0], fb.woe[1]) + 1e-12


# ------------------------------------------------------------------ bad input
def _df(**cols: object) -> pd.DataFrame:
    base = {"x": [1.0, 2.0, 3.0, 4.0], "bad": [0, 1, 0, 1]}
    base.update(cols)  # type: ignore[arg-type]
    return pd.DataFrame(base)


@pytest.mark.parametrize(
    ("frame", "kwargs", "match"),
    [
        (_df(), {"features": ["nope"]}, r"column\(s\) \['nope'\]"),
        (_df(bad=[0, 1, 2, 1]), {}, r"target 'bad': expected 0/1"),
        (_df(bad=[0, 1, None, 1]), {}, r"target 'bad': expected no missing"),
        (_df(bad=[0, 0, 0, 0]), {}, r"expected both goods \(0\) and bads \(1\)"),
        (_df().iloc[:0], {}, "empty frame"),
        (_df(x=[np.nan] * 4), {}, r"'x'.*all missing"),
        (_df(x=[5.0] * 4), {}, r"'x'.*constant"),
        (_df(x=[1.0, np.inf, 2.0, 3.0]), {}, r"'x'.*infinite"),
        (_df(x=pd.Series([1, "a", 2.5, "b"], dtype=object)), {}, r"'x'.*mixed"),
        (_df(), {"sample_weight": [1.0, -1.0, 1.0, 1.0]}, r"sample_weight.*negative"),
        (_df(), {"sample_weight": [1.0, 1.0]}, r"sample_weight: expected 4 weights"),
        (_df(), {"sample_weight": pd.Series([1.0] * 4, index=[9, 8, 7, 6])}, "misaligned"),
        (_df(), {"sample_weight": [1.0, np.nan, 1.0, 1.0]}, "finite weights"),
        (_df(d=pd.to_datetime(["2020-01-01"] * 4)), {}, r"'d'.*dtype datetime"),
    ],
)
def test_bad_input_names_the_problem(frame: pd.DataFrame, kwargs: dict, match: str) -> None:
    with pytest.raises(DataError, match=match):
        bin_features(frame, "bad", **kwargs)


def test_duplicate_columns_refused() -> None:
    df = pd.DataFrame([[1, 2, 0], [2, 3, 1]], columns=["x", "x", "bad"])
    with pytest.raises(DataError, match=r"duplicates \['x'\]"):
        bin_features(df, "bad")


def test_missing_target_column_and_not_a_frame() -> None:
    with pytest.raises(DataError, match=r"column\(s\) \['target'\]"):
        bin_features(_df(), "target")
    with pytest.raises(DataError, match="expected a pandas DataFrame"):
        bin_features({"x": [1]}, "bad")  # type: ignore[arg-type]


def test_bad_label_recodes_target(german: pd.DataFrame) -> None:
    df = german.assign(outcome=np.where(german["bad"] == 1, "bad", "good")).drop(columns="bad")
    b1 = bin_features(df, "outcome", features=["housing"], bad_label="bad")
    b2 = bin_features(german, "bad", features=["housing"])
    assert b1["housing"].iv == b2["housing"].iv


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"max_bins": 0}, "max_bins"),
        ({"min_bin_share": 0.7}, "min_bin_share"),
        ({"empty": "zero"}, "empty"),
        ({"special_codes": "-999"}, "special_codes"),
        ({"min_bins": 5, "max_bins": 3}, "min_bins <= max_bins"),
        ({"kind": "text"}, "kind"),
    ],
)
def test_spec_validation(kwargs: dict, match: str) -> None:
    with pytest.raises(SpecificationError, match=match):
        BinningSpec(**kwargs)


def test_transform_refuses_wrong_type_and_infinity(toy: pd.DataFrame) -> None:
    fb = FeatureBinning.fit(toy["x"], toy["bad"])
    with pytest.raises(DataError, match="'x'.*expected numbers"):
        fb.transform(pd.Series(["a"]))
    with pytest.raises(DataError, match="'x'.*infinite"):
        fb.transform(pd.Series([math.inf]))


def test_with_groups_must_place_every_training_level(toy: pd.DataFrame) -> None:
    fb = FeatureBinning.fit(toy["cat"], toy["bad"], BinningSpec(optimize=False))
    with pytest.raises(SpecificationError, match=r"levels \['f'\] are in no group"):
        fb.with_groups([["a", "b"], ["c", "d", "e"]])
    with pytest.raises(SpecificationError, match="in no group"):
        fb.with_groups([["a", "b"], ["c", "d", "e"]], data=toy["cat"], target=toy["bad"])
    # a level never seen in training may be listed; it has no counts: scored as unseen
    g = fb.with_groups([["a", "b", "new"], ["c", "d", "e", "f"]])
    assert g.goods.sum() + g.bads.sum() == len(toy)
    with pytest.warns(DataWarning, match="'cat'.*unseen"):  # every value unseen
        assert g.transform(pd.Series(["new"]))[0] == g.unseen_woe()


@given(st.lists(st.integers(-1000, 1000), min_size=1, max_size=200))
def test_integer_lookup_path_equals_float_path(values: list[int]) -> None:
    x = np.linspace(-500, 500, 400).round()
    y = (np.arange(400) % 3 == 0).astype(int)
    fb = FeatureBinning.fit(
        pd.Series(x), y, BinningSpec(optimize=False, n_fine=7, special_codes=(-999, 7))
    )
    ints = pd.Series(values, dtype="int64")
    np.testing.assert_array_equal(fb.bin_index(ints), fb.bin_index(ints.astype("float64")))


@given(
    st.lists(st.integers(-20, 60), min_size=30, max_size=300),
    st.booleans(),
)
def test_integer_group_by_path_equals_row_path(values: list[int], weighted: bool) -> None:
    """Fine classes counted per distinct value equal those counted per row."""
    from scorecard._analyze.fine import _fine_from_rows, fine_numeric

    x = np.asarray(values, dtype=np.float64)
    y = (np.arange(x.size) % 4 == 0).astype(np.int8)
    w = (np.arange(x.size) % 3).astype(np.float64) if weighted else None
    fast = fine_numeric(x, y, w, n_fine=6, specials=(-20.0,))
    slow = _fine_from_rows(x, y, w, 6, (-20.0,), None)
    assert fast.edges == slow.edges
    np.testing.assert_allclose(fast.goods, slow.goods)
    np.testing.assert_allclose(fast.bads, slow.bads)
    np.testing.assert_allclose(fast.special_goods, slow.special_goods)
