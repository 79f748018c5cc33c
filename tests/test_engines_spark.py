"""Fitting and scoring in Spark (``scorecard.engines``), local mode.

Runs in its own session, ``nox -s spark`` (which sets ``SCORECARD_SPARK=1``; needs Java and
``scorecard[spark]``).  Checked:

* with exact quantiles (``relative_error=0``) Spark gives the card pandas and DuckDB give
  (bins, points, scores, metrics);
* with approximate quantiles each fine-class boundary lies within ``relative_error * n``
  ranks of a quantile the exact path takes, and the counts per fine class are exact;
* the SQL export's Spark dialect scores every deploy case (missing values, NaN, special
  codes, unseen and hostile levels, values on every cut point) as ``Scorecard.score``,
  row for row, as native Spark expressions;
* bad input: a missing column, a non-binary target, a query that fails in Spark.
"""

from __future__ import annotations

import importlib.util
import math
import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from scorecard import BinningSpec, GradeScale, bin_features, deploy, engines, fit_scorecard
from scorecard._analyze.fine import fine_numeric, quantile_positions
from scorecard.datasets import FEATURES, SPECIAL_CODES, make_credit_data
from scorecard.exceptions import DataError

pytest.importorskip("pyspark")
pa = pytest.importorskip("pyarrow")
duckdb = pytest.importorskip("duckdb")

pytestmark = pytest.mark.skipif(
    not os.environ.get("SCORECARD_SPARK"),
    reason="needs Java and pyspark: run `nox -s spark` (sets SCORECARD_SPARK=1)",
)

_spec = importlib.util.spec_from_file_location(
    "deploy_cases", Path(__file__).resolve().parent / "deploy_cases.py"
)
assert _spec is not None and _spec.loader is not None
cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cases)

SPECS = {k: BinningSpec(special_codes=v) for k, v in SPECIAL_CODES.items()}


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("scorecard-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def frame_to_spark(spark: Any, frame: pd.DataFrame) -> Any:
    """A Spark DataFrame of a pandas frame through Arrow: float64 -> DOUBLE (NaN stays NaN,
    None is NULL), int64 -> BIGINT, text -> STRING."""
    columns = {}
    for c in frame.columns:
        s = frame[c]
        if isinstance(s.dtype, pd.CategoricalDtype) or s.dtype == object or s.dtype == "str":
            values = [
                None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v) for v in s
            ]
            columns[c] = pa.array(values, type=pa.string())
        else:
            columns[c] = pa.array(s.to_numpy(), from_pandas=False)
    return spark.createDataFrame(pa.table(columns))


@pytest.fixture(scope="module")
def credit() -> pd.DataFrame:
    df = make_credit_data(6_000, seed=51)[[*FEATURES, "bad"]]
    for c in df.columns:
        if isinstance(df[c].dtype, pd.CategoricalDtype):
            df[c] = df[c].astype(object).where(df[c].notna(), None)
    return df


def test_exact_quantiles_give_the_card_of_pandas_and_duckdb(spark, credit) -> None:
    sdf = frame_to_spark(spark, credit)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # PySpark and pandas 3
        built = engines.fit_scorecard(
            engines.Source.spark(sdf, relative_error=0), "bad", specs=SPECS
        )
    frame = fit_scorecard(credit, "bad", specs=SPECS, holdout=0)
    in_duckdb = engines.fit_scorecard(duckdb.from_df(credit), "bad", specs=SPECS)
    assert built.binning == frame.binning == in_duckdb.binning
    for card in (frame.scorecard, in_duckdb.scorecard):
        assert built.scorecard.names == card.names
        assert [c.points for c in built.scorecard.characteristics] == [
            c.points for c in card.characteristics
        ]
    np.testing.assert_array_equal(built.scorecard.score(credit), frame.scorecard.score(credit))
    pd.testing.assert_frame_equal(built.metrics, frame.metrics, rtol=1e-12)


@pytest.mark.parametrize("relative_error", [0.01, 0.002])
def test_approximate_boundaries_lie_within_the_stated_ranks(spark, relative_error) -> None:
    """Each boundary of a Spark fine class splits the regular values where some quantile of
    the exact path does, give or take ``relative_error * n`` ranks; the counts per class
    are exact counts at those boundaries."""
    rng = np.random.default_rng(9)
    n = 20_000
    df = pd.DataFrame(
        {
            "smooth": rng.normal(size=n),  # distinct values
            "ties": rng.poisson(6, n).astype(np.float64),  # many ties
            "bad": (rng.random(n) < 0.2).astype(np.int64),
        }
    )
    df.loc[rng.random(n) < 0.05, "smooth"] = np.nan
    df.loc[rng.random(n) < 0.05, "ties"] = -1.0
    spec = BinningSpec(optimize=False, n_fine=30)
    specs = {"ties": BinningSpec(optimize=False, n_fine=30, special_codes=[-1.0])}
    src = engines.Source.spark(frame_to_spark(spark, df), relative_error=relative_error)
    got = engines.bin_features(src, "bad", spec=spec, specs=specs)
    y = df["bad"].to_numpy().astype(np.int8)
    for name in ("smooth", "ties"):
        x = df[name].to_numpy()
        specials = [-1.0] if name == "ties" else []
        regular = np.sort(x[~np.isnan(x) & ~np.isin(x, specials)])
        m = regular.size
        targets = quantile_positions(m, 30) + 1  # 1-based ranks the exact path takes
        slack = math.ceil(relative_error * m)
        fine = got[name].fine
        for e in fine.edges:
            q = regular[regular < e][-1]  # the quantile the engine returned
            low = np.searchsorted(regular, q, side="left") + 1  # ranks q holds
            high = np.searchsorted(regular, q, side="right")
            gap = np.maximum(0, np.maximum(low - targets, targets - high))
            assert gap.min() <= slack, (name, e, low, high)
        assert len(fine.edges) >= 0.8 * len(
            bin_features(df, "bad", spec=spec, specs=specs)[name].fine.edges
        )
        exact_counts = fine_numeric(x, y, None, n_fine=30, specials=specials, edges=fine.edges)
        assert fine == exact_counts


def test_default_relative_error_on_a_large_sample_keeps_the_card_close(spark, credit) -> None:
    """``relative_error=1e-4`` (the default): boundaries within 0.01 % of the rows of the
    exact ones; the card's scores stay within a few points of the exact card's."""
    sdf = frame_to_spark(spark, credit)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        approx = engines.fit_scorecard(sdf, "bad", specs=SPECS)
    exact = fit_scorecard(credit, "bad", specs=SPECS, holdout=0)
    auc_gap = abs(approx.metrics.loc["train", "auc"] - exact.metrics.loc["train", "auc"])
    assert auc_gap < 0.005


# -------------------------------------------------------------------------------- scoring
@pytest.mark.parametrize("case", sorted(cases.cases()))
def test_spark_scores_equal_python_row_for_row(spark, case) -> None:
    card, frame = cases.cases()[case]
    data = frame.copy()
    for c in card.characteristics:
        if c.binning.kind == "numeric":
            data[c.name] = data[c.name].astype(np.float64)
    data.insert(0, "row_id", np.arange(len(frame), dtype=np.int64))
    out = engines.score(card, frame_to_spark(spark, data), keep=["row_id"])
    got = out.toArrow().to_pandas().sort_values("row_id")
    score, pd_ = card.score_and_pd(frame)
    np.testing.assert_array_equal(got["score"].to_numpy(), score)
    np.testing.assert_allclose(got["pd"].to_numpy(), pd_, rtol=1e-12)


def test_nan_and_null_are_missing_and_infinite_values_score_null(spark) -> None:
    card = cases.treatment_card()
    frame = pd.DataFrame(
        {
            "x": [np.nan, None, -9.0, 0.5, np.inf, -np.inf, 1e300],
            "cat": ["a", "b", "c", "d", "a", "b", "c"],
        }
    )
    sdf = frame_to_spark(spark, frame.astype({"x": np.float64}))
    grades = GradeScale.from_cutoffs([500], ["B", "A"])
    got = engines.score(card, sdf, grades=grades).toArrow().to_pandas()
    want = card.score(frame.iloc[[0, 1, 2, 3, 6]])
    np.testing.assert_array_equal(got["score"].iloc[[0, 1, 2, 3, 6]].to_numpy(), want)
    assert got["score"].iloc[[4, 5]].isna().all() and got["grade"].iloc[[4, 5]].isna().all()
    assert got["grade"].iloc[[0, 1, 2, 3, 6]].tolist() == grades.assign(want).tolist()


# ---------------------------------------------------------------------------- bad input
def test_bad_input_names_the_column_or_carries_spark_s_message(spark, credit) -> None:
    sdf = frame_to_spark(spark, credit.head(500))
    with pytest.raises(DataError, match=r"expected column\(s\) \['default'\] to be present"):
        engines.bin_features(sdf, "default")
    three = sdf.selectExpr("*", "CASE WHEN age > 60 THEN 2 ELSE bad END AS flag").drop("bad")
    with pytest.raises(DataError, match=r"target 'flag': expected 0/1 with 1 = bad"):
        engines.bin_features(three, "flag", features=["age"])
    failing = sdf.selectExpr("bad", "CAST(concat('x', age) AS INT) AS broken")
    with pytest.raises(DataError, match=r"Spark .* could not run the query of .*"):
        engines.bin_features(failing, "bad")
    with pytest.raises(DataError, match="expected a Spark DataFrame, found int"):
        engines.Source.spark(3)


# ------------------------------------------------------ the SQL export's Spark dialect
def _spark_frame(spark: Any, card: Any, frame: pd.DataFrame) -> Any:
    data = frame.copy()
    for c in card.characteristics:
        if c.binning.kind == "numeric":
            data[c.name] = data[c.name].astype(np.float64)
    data.insert(0, "row_id", np.arange(len(frame), dtype=np.int64))
    return frame_to_spark(spark, data)


@pytest.mark.parametrize("case", sorted(cases.cases()))
def test_exported_spark_sql_runs_in_spark_as_python_scores(spark, case) -> None:
    """``deploy.sql_query(..., "spark")`` as a user runs it (``spark.sql`` over a table) and
    ``deploy.sql_expression(..., "spark")`` in ``functions.expr``: score, PD and grade of
    every row equal Python's (missing, NaN, special codes, unseen and hostile levels)."""
    from pyspark.sql import functions as sf

    card, frame = cases.cases()[case]
    sdf = _spark_frame(spark, card, frame)
    grades = GradeScale.from_cutoffs([520, 560, 600], ["D", "C", "B", "A"])
    sdf.createOrReplaceTempView("applicants")
    try:
        query = deploy.sql_query(card, "applicants", "spark", grades=grades, keep=["row_id"])
        got = spark.sql(query).toArrow().to_pandas().sort_values("row_id")
    finally:
        spark.catalog.dropTempView("applicants")
    score, pd_ = card.score_and_pd(frame)
    np.testing.assert_array_equal(got["score"].to_numpy(), score)
    np.testing.assert_allclose(got["pd"].to_numpy(), pd_, rtol=1e-12)
    assert got["grade"].tolist() == grades.assign(score).tolist()
    expr = sf.expr(deploy.sql_expression(card, "spark"))
    alone = sdf.select("row_id", expr.alias("score")).toArrow().to_pandas().sort_values("row_id")
    np.testing.assert_array_equal(alone["score"].to_numpy(), score)


def test_rows_python_refuses_score_null_in_exported_spark_sql(spark) -> None:
    """Python raises on these rows one by one (unseen level and missing value in bins with
    the ``"error"`` treatment, infinities); the export gives ``NULL`` (and a NULL grade)."""
    card = cases.treatment_card()
    refused = cases.refused_frame()
    sdf = _spark_frame(spark, card, refused)
    grades = GradeScale.from_cutoffs([500], ["B", "A"])
    native = engines.score(card, sdf, grades=grades, keep=["row_id"])
    got = native.toArrow().to_pandas()
    assert len(got) == len(refused)
    assert got["score"].isna().all() and got["pd"].isna().all() and got["grade"].isna().all()
    for i in range(len(refused)):
        with pytest.raises(DataError):
            card.score(refused.iloc[[i]])


def test_scoring_plan_has_no_python_udf(spark) -> None:
    """The scores are Catalyst expressions: the executed plan has no Python evaluation node
    (``BatchEvalPython``, ``ArrowEvalPython``), so executors need no Python package."""
    card = cases.german_card()
    # a shuffle first: a projection of local rows would be folded into the rows
    sdf = _spark_frame(spark, card, cases.german_frame(card)).repartition(2)
    scored = engines.score(card, sdf, grades=GradeScale.from_cutoffs([500], ["B", "A"]))
    plan = scored._jdf.queryExecution().executedPlan().toString()
    assert "Project" in plan and "CASE WHEN" in plan, plan
    for node in ("EvalPython", "PythonUDF", "ArrowEvalPython", "BatchEvalPython"):
        assert node not in plan, plan
    # and the control: a Python UDF does show up in a plan
    from pyspark.sql import functions as sf

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # PySpark and pandas 3
        udf = sf.udf(lambda v: v, "double")
    with_udf = sdf.select(udf(sf.lit(1.0)).alias("v"))
    assert "EvalPython" in with_udf._jdf.queryExecution().executedPlan().toString()


def test_missing_feature_or_column_to_score_is_named(spark, credit) -> None:
    sdf = frame_to_spark(spark, credit.head(300)).drop("debt_to_income")
    with pytest.raises(DataError, match=r"\['debt_to_income'\] to be present"):
        engines.bin_features(sdf, "bad", features=["age", "debt_to_income"])
    with pytest.raises(DataError, match=r"\['debt_to_income'\] to be present"):
        engines.fit_scorecard(sdf, "bad", features=["age", "debt_to_income"])
    card = cases.german_card()
    german = _spark_frame(spark, card, cases.german_frame(card)).drop(card.names[0])
    with pytest.raises(DataError, match=rf"\['{card.names[0]}'\] to be present"):
        engines.score(card, german)
