"""Fitting and scoring in DuckDB (``scorecard.engines``): the same data through pandas and
DuckDB gives the same binning and the same card (bins, points, scores), and scores in the
engine equal ``Scorecard.score`` row for row.  Bad input gets a ScorecardError naming the
column or carrying DuckDB's message.
"""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard import (
    BinningSpec,
    GradeScale,
    bin_features,
    engines,
    fit_scorecard,
)
from scorecard._model.metrics import performance
from scorecard.datasets import FEATURES, SPECIAL_CODES, make_credit_data
from scorecard.exceptions import DataError, ScorecardError, SpecificationError

duckdb = pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")

_spec = importlib.util.spec_from_file_location(
    "deploy_cases", Path(__file__).resolve().parent / "deploy_cases.py"
)
assert _spec is not None and _spec.loader is not None
cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cases)

SPECS = {k: BinningSpec(special_codes=v) for k, v in SPECIAL_CODES.items()}


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Categories as text (what a table holds)."""
    out = df.copy()
    for c in out.columns:
        if isinstance(out[c].dtype, pd.CategoricalDtype):
            out[c] = out[c].astype(object).where(out[c].notna(), None)
    return out


@pytest.fixture(scope="module")
def credit() -> pd.DataFrame:
    return _plain(make_credit_data(8_000, seed=31)[[*FEATURES, "bad"]])


@pytest.fixture(scope="module")
def credit_builds(credit):
    rel = duckdb.from_df(credit)
    return (
        engines.fit_scorecard(rel, "bad", specs=SPECS),
        fit_scorecard(credit, "bad", specs=SPECS, holdout=0),
    )


def _same_card(a, b) -> None:
    assert a.names == b.names
    for x, y in zip(a.characteristics, b.characteristics):
        assert x.binning == y.binning
        assert x.points == y.points
        np.testing.assert_allclose(x.raw_points, y.raw_points, rtol=0, atol=1e-9)
    assert a.base_points == b.base_points


# ------------------------------------------------------------------------------ binning
def test_german_binning_equals_the_frame_path(german) -> None:
    assert engines.bin_features(duckdb.from_df(german), "bad") == bin_features(german, "bad")


def test_credit_binning_equals_the_frame_path(credit) -> None:
    """Integers, floats with NaN, special codes, 1,500 postcodes: counts and bins alike."""
    got = engines.bin_features(duckdb.from_df(credit), "bad", specs=SPECS)
    want = bin_features(credit, "bad", specs=SPECS)
    for f in want.features:
        assert got[f.name].fine == f.fine, f.name
        assert got[f.name] == f, f.name
    assert got == want


def test_binning_options_pass_through(credit) -> None:
    spec = BinningSpec(n_fine=7, max_bins=4, min_bin_share=0.1, empty="worst")
    specs = {"occupation": BinningSpec(optimize=False), "channel": BinningSpec(n_fine=2)}
    feats = ["age", "revolving_utilization", "occupation", "channel", "bureau_score"]
    got = engines.bin_features(
        duckdb.from_df(credit), "bad", features=feats, spec=spec, specs=specs
    )
    assert got == bin_features(credit, "bad", features=feats, spec=spec, specs=specs)


def test_categorical_special_codes_and_integer_levels() -> None:
    rng = np.random.default_rng(3)
    n = 3_000
    df = pd.DataFrame(
        {
            "region": rng.choice(["north", "south", "east", "west", "NA"], n),
            "grade": rng.integers(1, 6, n),  # integers read as levels
            "bad": (rng.random(n) < 0.2).astype(int),
        }
    )
    specs = {"region": BinningSpec(special_codes=["NA"]), "grade": BinningSpec(kind="categorical")}
    got = engines.bin_features(duckdb.from_df(df), "bad", specs=specs)
    assert got == bin_features(df, "bad", specs=specs)
    assert got["grade"].kind == "categorical" and got["region"].fine.specials == ("NA",)


@given(
    st.integers(min_value=0, max_value=10**6),
    st.sampled_from(["float", "int", "ties", "tiny"]),
    st.integers(min_value=1, max_value=40),
)
def test_random_numeric_binning_equals_the_frame_path(seed, shape, n_fine) -> None:
    """Quantile positions, bucket boundaries and the simplest cut points: exact, whatever
    the values (ties, few distinct values, NaN, special codes, negative zero)."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(20, 400))
    x = {
        "float": rng.normal(size=n) * 10.0 ** rng.integers(-3, 4),
        "int": rng.integers(-50, 50, n).astype(float),
        "ties": rng.choice([0.0, -0.0, 1.5, 2.5, 1e9], n),
        "tiny": rng.choice([1e-300, 2e-300, 5e-324, 1.0], n),
    }[shape]
    x[rng.random(n) < 0.1] = np.nan
    x[rng.random(n) < 0.1] = -9.0
    if np.unique(x[~np.isnan(x) & (x != -9.0)]).size < 2:
        x[:2] = [3.0, 4.0]
    y = (rng.random(n) < 0.3).astype(int)
    y[:2] = [0, 1]
    df = pd.DataFrame({"x": x, "bad": y})
    spec = BinningSpec(n_fine=n_fine, special_codes=[-9.0], optimize=False)
    got = engines.bin_features(duckdb.from_df(df), "bad", spec=spec)
    assert got == bin_features(df, "bad", spec=spec)


# --------------------------------------------------------------------------- the card
def test_fitted_card_equals_the_frame_path(credit, credit_builds) -> None:
    built, frame = credit_builds
    _same_card(built.scorecard, frame.scorecard)
    np.testing.assert_array_equal(built.scorecard.score(credit), frame.scorecard.score(credit))
    assert built.selection.selected == frame.selection.selected
    assert [(s.action, s.feature) for s in built.stepwise.steps] == [
        (s.action, s.feature) for s in frame.stepwise.steps
    ]
    np.testing.assert_allclose(built.model.params, frame.model.params, rtol=0, atol=1e-9)
    assert built.model.n_rows == frame.model.n_rows == len(credit)
    pd.testing.assert_frame_equal(built.metrics, frame.metrics, rtol=1e-12)
    pd.testing.assert_frame_equal(built.gains, frame.gains, rtol=1e-12)
    assert built.binning == frame.binning
    pd.testing.assert_frame_equal(built.analysis, frame.analysis)


def test_preselection_correlations_come_from_the_engine(credit, credit_builds) -> None:
    """The WOE correlations of the pre-selection are sums the engine computes over the rows:
    those of the WOE frame (``select_features``) to rounding."""
    built, frame = credit_builds
    got, want = built.selection.correlation_matrix(), frame.selection.correlation_matrix()
    assert list(got.index) == list(want.index)
    np.testing.assert_allclose(got.to_numpy(), want.to_numpy(), rtol=0, atol=1e-10)


def test_only_the_preselected_features_are_counted(monkeypatch, credit) -> None:
    """The combinations group-by runs after the pre-selection, on its features only."""
    from scorecard.engines import _fit

    counted: list[tuple[str, ...]] = []
    original = _fit.count_combinations

    def spy(engine, binning, target):
        counted.append(binning.names)
        data = original(engine, binning, target)
        assert data.wg.dtype == data.wb.dtype == np.uint32  # counts of rows, 8 bytes
        return data

    monkeypatch.setattr(_fit, "count_combinations", spy)
    built = engines.fit_scorecard(duckdb.from_df(credit), "bad", specs=SPECS, min_iv=0.05)
    assert counted == [built.selection.selected]
    assert len(built.selection.selected) < len(FEATURES)  # some were left out
    frame = fit_scorecard(credit, "bad", specs=SPECS, holdout=0, min_iv=0.05)
    _same_card(built.scorecard, frame.scorecard)


def test_the_moments_query_is_chunked(monkeypatch, credit, credit_builds) -> None:
    """Many candidates: the sums of products are asked in several queries."""
    from scorecard.engines import _fit

    monkeypatch.setattr(_fit, "MAX_SUMS", 7)
    built = engines.fit_scorecard(duckdb.from_df(credit), "bad", specs=SPECS)
    _same_card(built.scorecard, credit_builds[0].scorecard)
    np.testing.assert_allclose(
        built.selection.correlation_matrix().to_numpy(),
        credit_builds[0].selection.correlation_matrix().to_numpy(),
        rtol=0,
        atol=1e-12,
    )


@pytest.mark.parametrize(
    "options",
    [
        {"stepwise": None},
        {"criterion": "aic", "max_vif": None},
        {"force": ["marketing_score"], "min_iv": 0.05},
        {"stepwise": "forward", "allocation": "base"},
    ],
    ids=["one-fit", "aic", "forced", "forward-base"],
)
def test_card_options_equal_the_frame_path(credit, options) -> None:
    feats = [*FEATURES[:8], "occupation", "marketing_score", "region", "channel"]
    rel = duckdb.from_df(credit)
    specs = {k: v for k, v in SPECS.items() if k in feats}
    with warnings.catch_warnings(record=True) as engine_warnings:
        warnings.simplefilter("always")
        built = engines.fit_scorecard(rel, "bad", features=feats, specs=specs, **options)
    with warnings.catch_warnings(record=True) as frame_warnings:
        warnings.simplefilter("always")
        frame = fit_scorecard(credit, "bad", features=feats, specs=specs, holdout=0, **options)
    _same_card(built.scorecard, frame.scorecard)
    assert [str(w.message) for w in engine_warnings] == [str(w.message) for w in frame_warnings]


def test_german_card_and_bad_label(german) -> None:
    coded = german.assign(bad=german["bad"].map({1: "default", 0: "paid"}))
    built = engines.fit_scorecard(duckdb.from_df(coded), "bad", bad_label="default")
    frame = fit_scorecard(german, "bad", holdout=0)
    _same_card(built.scorecard, frame.scorecard)


def test_holdout_metrics_are_the_card_s_on_those_rows(credit, credit_builds) -> None:
    built, _ = credit_builds
    card = built.scorecard
    held = _plain(make_credit_data(3_000, seed=32)[[*FEATURES, "bad"]])
    held.loc[:20, "occupation"] = "a level never seen"
    out = engines.fit_scorecard(
        duckdb.from_df(credit), "bad", specs=SPECS, holdout=duckdb.from_df(held)
    )
    score, raw = card._totals(held)
    want = performance(held["bad"], score, card.scaling.pd_from_score(raw))
    got = out.metrics.loc["holdout"].to_dict()
    assert got == pytest.approx(want, rel=1e-12)
    assert out.gains["count"].sum() == len(held)


def test_sources_sql_query_and_parquet_folder(tmp_path, credit, credit_builds) -> None:
    """A SQL query over a folder of Parquet files (and over a table of a connection)."""
    built, _ = credit_builds
    folder = tmp_path / "loans"
    folder.mkdir()
    for i, part in enumerate(np.array_split(np.arange(len(credit)), 3)):
        credit.iloc[part].to_parquet(folder / f"part-{i}.parquet", index=False)
    query = f"SELECT * FROM read_parquet('{folder}/*.parquet')"
    from_files = engines.fit_scorecard(query, "bad", specs=SPECS)
    _same_card(from_files.scorecard, built.scorecard)
    con = duckdb.connect()
    con.execute(f"CREATE TABLE loans AS {query}")
    src = engines.Source.duckdb("SELECT * FROM loans WHERE bad IS NOT NULL", con)
    assert src.engine == "duckdb" and src.columns["age"] == "BIGINT"
    assert engines.bin_features(src, "bad", specs=SPECS) == built.binning


# -------------------------------------------------------------------------------- scoring
@pytest.mark.parametrize("case", sorted(cases.cases()))
def test_scores_in_duckdb_equal_python(case) -> None:
    card, frame = cases.cases()[case]
    data = frame.copy()
    data.insert(0, "row_id", np.arange(len(frame)))
    con = duckdb.connect()
    con.register("frame", data)
    casts = ", ".join(
        f"CAST({_q(c)} AS {cases.sql_type(card, c, 'duckdb')}) AS {_q(c)}" for c in data.columns
    )
    rel = con.sql(f"SELECT {casts} FROM frame")
    out = engines.score(card, rel, keep=["row_id"]).df().sort_values("row_id")
    score, pd_ = card.score_and_pd(frame)
    np.testing.assert_array_equal(out["score"].to_numpy(), score)
    np.testing.assert_allclose(out["pd"].to_numpy(), pd_, rtol=1e-12)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def test_nan_and_null_are_both_missing_and_grades(credit_builds) -> None:
    card = credit_builds[0].scorecard
    num = next(c.name for c in card.characteristics if c.binning.kind == "numeric")
    frame = _plain(make_credit_data(50, seed=40)[list(card.names)])
    frame[num] = frame[num].astype(float)
    frame.loc[:9, num] = np.nan
    rel = duckdb.from_df(frame)  # NaN stays NaN in a DOUBLE column
    nulls = duckdb.sql(
        f"SELECT * REPLACE (CASE WHEN isnan({_q(num)}) THEN NULL ELSE {_q(num)} END AS {_q(num)}) FROM rel"
    )
    grades = GradeScale.from_cutoffs([560, 600], ["C", "B", "A"])
    a = engines.score(card, rel, grades=grades, names={"score": "points"}).df()
    b = engines.score(card, nulls, grades=grades, names={"score": "points"}).df()
    np.testing.assert_array_equal(a["points"], card.score(frame))
    np.testing.assert_array_equal(b["points"], card.score(frame))
    assert a["grade"].tolist() == grades.assign(card.score(frame)).tolist()


def test_scores_refused_by_python_are_null() -> None:
    card = cases.treatment_card()
    frame = cases.refused_frame()
    out = engines.score(card, duckdb.from_df(frame)).df()
    assert out["score"].isna().all()


# ---------------------------------------------------------------------------- bad input
def test_missing_columns_are_named(credit) -> None:
    rel = duckdb.from_df(credit)
    with pytest.raises(DataError, match=r"expected column\(s\) \['default'\] to be present"):
        engines.fit_scorecard(rel, "default")
    with pytest.raises(DataError, match=r"\['income'\] to be present"):
        engines.bin_features(rel, "bad", features=["age", "income"])
    two = ["age", "channel"]
    card = fit_scorecard(credit, "bad", holdout=0, features=two, min_iv=0).scorecard
    with pytest.raises(DataError, match=r"\['channel'\] to be present"):
        engines.score(card, duckdb.sql("SELECT 30 AS age"))
    with pytest.raises(DataError, match="holdout|to be present"):
        engines.fit_scorecard(
            rel, "bad", features=["age", "channel"], holdout=duckdb.sql("SELECT 1 AS bad")
        )


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            "CASE WHEN age > 40 THEN 2 ELSE bad END",
            r"expected 0/1 with 1 = bad, found values \['0', '1', '2'\]",
        ),
        ("CASE WHEN age > 40 THEN NULL ELSE bad END", "expected no missing values, found"),
        ("0", r"expected both goods \(0\) and bads \(1\), found only goods"),
        (
            "CASE WHEN bad = 1 THEN 'yes' ELSE 'no' END",
            r"expected 0/1 with 1 = bad, found values \['no', 'yes'\]",
        ),
    ],
)
def test_bad_targets_are_refused(credit, target, message) -> None:
    rel = duckdb.from_df(credit)  # noqa: F841 (DuckDB reads the Python variable by name)
    src = duckdb.sql(f"SELECT * REPLACE ({target} AS bad) FROM rel")
    with pytest.raises(DataError, match=f"target 'bad': {message}"):
        engines.fit_scorecard(src, "bad")


def test_bad_label_must_occur_with_one_other_label(credit) -> None:
    rel = duckdb.from_df(credit)
    with pytest.raises(DataError, match="bad_label 'x' does not occur"):
        engines.bin_features(rel, "bad", bad_label="x")
    three = duckdb.sql("SELECT * REPLACE (CASE WHEN age > 60 THEN 2 ELSE bad END AS bad) FROM rel")
    with pytest.raises(DataError, match="exactly one good label besides bad_label 1"):
        engines.bin_features(three, "bad", bad_label=1)


def test_engine_failures_carry_duckdb_s_message(credit) -> None:
    with pytest.raises(
        DataError, match=r"DuckDB .* could not run the query of the source: .*Parser Error"
    ):
        engines.Source.duckdb("SELEC * FROM nowhere")
    with pytest.raises(DataError, match=r"could not run the query of the source: .*no_such_table"):
        engines.fit_scorecard("SELECT * FROM no_such_table", "bad")
    failing = duckdb.sql(
        "SELECT range % 2 AS bad, CAST('x' || range AS INTEGER) AS x FROM range(10)"
    )
    with pytest.raises(DataError, match=r"could not run the query of .*Conversion Error"):
        engines.bin_features(failing, "bad")


def test_columns_an_engine_reads_otherwise_are_refused() -> None:
    base = "SELECT range % 2 AS bad, range AS i, CAST(range AS {t}) AS x FROM range(100)"
    with pytest.raises(
        DataError, match="'x': expected DOUBLE, DECIMAL or integer numbers, found type FLOAT"
    ):
        engines.bin_features(duckdb.sql(base.format(t="FLOAT")), "bad")
    with pytest.raises(DataError, match="'x': expected a text or integer column for a categorical"):
        engines.bin_features(
            duckdb.sql(base.format(t="DOUBLE")), "bad", spec=BinningSpec(kind="categorical")
        )
    with pytest.raises(
        DataError, match="'x': expected a numeric or categorical feature, found type DATE"
    ):
        engines.bin_features(
            duckdb.sql(
                "SELECT range % 2 AS bad, DATE '2024-01-01' + CAST(range AS INTEGER) AS x FROM range(9)"
            ),
            "bad",
        )
    with pytest.raises(DataError, match="'x': expected numbers, found type VARCHAR"):
        engines.bin_features(
            duckdb.sql(base.format(t="VARCHAR")), "bad", spec=BinningSpec(kind="numeric")
        )


@pytest.mark.parametrize(
    ("column", "message"),
    [
        ("CASE WHEN range < 3 THEN 'inf'::DOUBLE ELSE range END", "found 3 infinite values"),
        ("CAST(NULL AS DOUBLE)", r"found none \(all missing\)"),
        ("CAST(7 AS DOUBLE)", "found the constant 7.0"),
        ("CAST(NULL AS VARCHAR)", r"found none \(all missing\)"),
        ("'same'", "found the constant 'same'"),
    ],
)
def test_unusable_features_are_named(column, message) -> None:
    src = duckdb.sql(f"SELECT range % 2 AS bad, {column} AS x FROM range(50)")
    with pytest.raises(DataError, match=f"column 'x': .*{message}"):
        engines.bin_features(src, "bad")


def test_other_sources_are_refused(credit) -> None:
    with pytest.raises(DataError, match="found DataFrame: a pandas frame fits in memory"):
        engines.fit_scorecard(credit, "bad")
    card = cases.treatment_card()
    with pytest.raises(ScorecardError, match="found list"):
        engines.score(card, [1, 2])
    with pytest.raises(SpecificationError, match="card: expected a Scorecard, found NoneType"):
        engines.score(None, duckdb.sql("SELECT 1 AS x"))  # type: ignore[arg-type]
    with pytest.raises(SpecificationError, match="relative_error in"):
        engines.Source.spark(object(), relative_error=0.7)
    with pytest.raises(DataError, match="the string 'age'"):
        engines.bin_features(duckdb.from_df(credit), "bad", features="age")  # type: ignore[arg-type]
    with pytest.raises(SpecificationError, match="numeric feature with string special codes"):
        engines.bin_features(
            duckdb.from_df(credit), "bad", features=["age"], spec=BinningSpec(special_codes=["x"])
        )


def test_without_pyarrow_large_results_are_read_as_numpy(monkeypatch, credit, credit_builds):
    """``scorecard[sql]`` alone: the counts per combination come back through
    ``fetchnumpy``: the same card and errors."""
    from scorecard.engines import _duckdb

    monkeypatch.setattr(_duckdb, "has_pyarrow", lambda: False)
    built = engines.fit_scorecard(duckdb.from_df(credit), "bad", specs=SPECS)
    _same_card(built.scorecard, credit_builds[0].scorecard)
    pd.testing.assert_frame_equal(built.metrics, credit_builds[0].metrics)
    held = credit.head(50).copy()
    numeric = [c for c in FEATURES if pd.api.types.is_float_dtype(held[c])]
    held.loc[held.index[0], numeric] = np.inf  # in whichever numeric feature the card takes
    with pytest.raises(DataError, match="holdout: column '.*': expected finite numbers"):
        engines.fit_scorecard(
            duckdb.from_df(credit.head(3_000)), "bad", specs=SPECS, holdout=duckdb.from_df(held)
        )


def test_engine_fit_has_the_frame_paths_defaults() -> None:
    """``engines.fit_scorecard`` keeps every default of ``fit_scorecard`` it shares."""
    import inspect

    from scorecard import engines

    ours = inspect.signature(engines.fit_scorecard).parameters
    theirs = inspect.signature(fit_scorecard).parameters
    # holdout differs on purpose: a frame is split at random (0.3), an engine's holdout is a
    # second source the user gives (None: none)
    skip = ("data", "source", "target", "holdout")
    shared = [n for n in ours if n in theirs and n not in skip]
    assert len(shared) >= 15
    for name in shared:
        assert ours[name].default == theirs[name].default, name
