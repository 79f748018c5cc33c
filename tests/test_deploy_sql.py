"""The SQL export scores exactly as Python, row for row, in real DuckDB and SQLite engines.

PostgreSQL has its own session (``nox -s postgres``, ``tests/test_deploy_postgres.py``).
"""

from __future__ import annotations

import importlib.util
import math
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard import GradeScale, Scorecard
from scorecard.deploy import DIALECTS, sql_expression, sql_query
from scorecard.exceptions import DataError, SpecificationError

duckdb = pytest.importorskip("duckdb")

_spec = importlib.util.spec_from_file_location(
    "deploy_cases", Path(__file__).resolve().parent / "deploy_cases.py"
)
assert _spec is not None and _spec.loader is not None
cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cases)

CASES = cases.cases()
GRADES = GradeScale.load(cases.GOLDEN / "german_grade_scale.json")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table(card: Scorecard, frame: pd.DataFrame, dialect: str) -> tuple[str, list[tuple]]:
    cols = ["row_id", *frame.columns]
    create = ", ".join(f"{_quote(c)} {cases.sql_type(card, c, dialect)}" for c in cols)
    data = frame.copy()
    data.insert(0, "row_id", np.arange(len(frame)))
    return f"CREATE TABLE apps ({create})", cases.rows(data)


def run_sqlite(card: Scorecard, frame: pd.DataFrame, sql: str) -> pd.DataFrame:
    con = sqlite3.connect(":memory:")
    create, rows = _table(card, frame, "sqlite")
    con.execute(create)
    marks = ", ".join("?" * (frame.shape[1] + 1))
    con.executemany(f"INSERT INTO apps VALUES ({marks})", rows)
    cur = con.execute(sql)  # execute() refuses more than one statement
    out = pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description])
    assert con.execute("SELECT COUNT(*) FROM apps").fetchone() == (len(frame),)
    return out.sort_values("row_id", ignore_index=True)


def run_duckdb(card: Scorecard, frame: pd.DataFrame, sql: str) -> pd.DataFrame:
    con = duckdb.connect()
    create, rows = _table(card, frame, "duckdb")
    con.execute(create)
    cols = ["row_id", *frame.columns]
    source = pd.DataFrame(rows, columns=cols, dtype=object)  # None for every missing value
    con.register("source", source)
    casts = ", ".join(f"CAST({_quote(c)} AS {cases.sql_type(card, c, 'duckdb')})" for c in cols)
    con.execute(f"INSERT INTO apps SELECT {casts} FROM source")
    out = con.execute(sql).df()
    assert con.execute("SELECT COUNT(*) FROM apps").fetchone() == (len(frame),)
    return out.sort_values("row_id", ignore_index=True)


ENGINES = {"sqlite": run_sqlite, "duckdb": run_duckdb}


def check_equal(card: Scorecard, frame: pd.DataFrame, out: pd.DataFrame, grades=None) -> None:
    score, pd_ = card.score_and_pd(frame)
    assert out["score"].notna().all()
    np.testing.assert_array_equal(out["score"].to_numpy(dtype=np.int64), score)
    np.testing.assert_allclose(out["pd"].to_numpy(dtype=np.float64), pd_, rtol=1e-13, atol=0)
    if grades is not None:
        assert out["grade"].tolist() == grades.assign(score).tolist()


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize(
    ("engine", "dialect"),
    [("sqlite", "sqlite"), ("sqlite", "ansi"), ("duckdb", "duckdb"), ("duckdb", "ansi")],
)
def test_scores_equal_python_row_for_row(case: str, engine: str, dialect: str) -> None:
    card, frame = CASES[case]
    sql = sql_query(card, "apps", dialect, keep=["row_id"])
    out = ENGINES[engine](card, frame, sql)
    assert len(out) == len(frame)
    check_equal(card, frame, out)


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_grade_and_pd_equal_python(engine: str) -> None:
    card, frame = CASES["german"]
    sql = sql_query(card, "apps", engine, grades=GRADES, keep=["row_id"])
    out = ENGINES[engine](card, frame, sql)
    check_equal(card, frame, out, GRADES)
    assert set(out["grade"]) == set(GRADES.names)  # every grade reached


def test_cases_reach_every_bin() -> None:
    """The frames exercise every bin of every characteristic (so equality means something)."""
    for name, (card, frame) in CASES.items():
        for c in card.characteristics:
            idx = c.binning.bin_index(frame[c.name])
            scoreable = {j for j, p in enumerate(c.points[:-1]) if p is not None}
            counts = {j: c.binning.goods[j] + c.binning.bads[j] for j in scoreable}
            reached = set(np.unique(idx[idx >= 0]).tolist())
            assert {j for j in scoreable if counts[j] > 0} <= reached, (name, c.name)
            if c.binning.kind == "categorical" and c.points[-1] is not None:
                assert (idx == -1).any(), (name, c.name)  # unseen levels too


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_refused_rows_score_null(engine: str) -> None:
    """What Python refuses (unseen level and missing value with the "error" treatment,
    +-inf) scores NULL, with a NULL PD and grade."""
    card = cases.treatment_card()
    frame = cases.refused_frame()
    good = cases.treatment_frame().head(1)
    for i in range(len(frame)):
        with pytest.raises(DataError):  # each row on its own (beside a scoreable row)
            card.score(pd.concat([good, frame.iloc[[i]]]))
    scale = GradeScale.from_cutoffs([500], ["A", "B"])
    out = ENGINES[engine](card, frame, sql_query(card, "apps", engine, grades=scale))
    assert out[["score", "pd", "grade"]].isna().all().all(), out


def test_sqlite_value_that_is_not_a_number_scores_null() -> None:
    """SQLite keeps text in a column without a type: Python refuses such a value."""
    card = cases.treatment_card()
    with pytest.raises(DataError):
        card.score(pd.DataFrame({"x": ["abc"], "cat": ["a"]}))
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE apps (x, cat)")
    con.executemany("INSERT INTO apps VALUES (?, ?)", [("abc", "a"), (b"\x01", "a"), (0.5, "a")])
    got = [r[0] for r in con.execute(f"SELECT {sql_expression(card, 'sqlite')} FROM apps")]
    assert got[:2] == [None, None]
    assert got[2] == card.score(pd.DataFrame({"x": [0.5], "cat": ["a"]}))[0]


@pytest.mark.parametrize("dialect", ["duckdb", "ansi"])
def test_duckdb_nan_and_infinity(dialect: str) -> None:
    card = cases.treatment_card()
    expr = sql_expression(card, dialect)
    got = duckdb.execute(
        f"SELECT {expr} FROM (VALUES (CAST('NaN' AS DOUBLE), 'a'), (CAST('inf' AS DOUBLE), 'a'),"
        " (CAST('-inf' AS DOUBLE), 'b')) AS t(x, cat)"
    ).fetchall()
    nan_score = int(card.score(pd.DataFrame({"x": [np.nan], "cat": ["a"]}))[0])
    expected_nan = nan_score if dialect == "duckdb" else None  # ANSI knows no NaN
    assert [r[0] for r in got] == [expected_nan, None, None]


def test_hostile_levels_stay_literals() -> None:
    """Quotes, semicolons, comments and SQL text in levels and names neither break nor
    inject: each statement is one statement, the table survives, every level scores its
    own bin (covered by the row-for-row test), and unknown hostile text scores as unseen."""
    card, frame = CASES["evil"]
    for dialect in DIALECTS:
        sql = sql_query(card, "apps", dialect)
        assert sqlite3.complete_statement(sql + ";")
    con = duckdb.connect()
    create, rows = _table(card, frame, "duckdb")
    con.execute(create)
    con.executemany("INSERT INTO apps VALUES (?, ?)", rows)
    con.execute(sql_query(card, "apps", "duckdb", view="scored_apps"))
    got = con.execute('SELECT score FROM scored_apps ORDER BY "row_id"').fetchall()
    assert [r[0] for r in got] == card.score(frame).tolist()
    assert con.execute("SELECT COUNT(*) FROM apps").fetchone() == (len(frame),)
    unseen = card.characteristics[0].points[-1]
    assert got[-3][0] == got[-2][0] == got[-1][0] == unseen  # "it''s", injection, "IT'S"


def test_view_and_column_mapping_in_sqlite() -> None:
    card, frame = CASES["treatments"]
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE apps (id INTEGER, x_value REAL, category TEXT)")
    data = frame.rename(columns={"x": "x_value", "cat": "category"})
    data.insert(0, "id", range(len(data)))
    con.executemany("INSERT INTO apps VALUES (?, ?, ?)", cases.rows(data))
    sql = sql_query(
        card,
        "main.apps",
        "sqlite",
        keep=["id"],
        view="scored",
        columns={"x": "x_value", "cat": "category"},
        names={"score": "points_total", "pd": "p_bad"},
    )
    con.execute(sql)
    got = con.execute("SELECT id, points_total, p_bad FROM scored ORDER BY id").fetchall()
    score, pd_ = card.score_and_pd(frame)
    assert [r[1] for r in got] == score.tolist()
    np.testing.assert_allclose([r[2] for r in got], pd_, rtol=1e-13)


def test_spark_and_postgres_quoting() -> None:
    """Spark SQL reads backslash escapes in literals and backticks around names; PostgreSQL
    writes a level with a backslash as an escape string (whatever standard_conforming_strings
    says).  (No Spark engine runs here: the literal forms are checked as text.)"""
    card = cases.evil_card()
    spark = sql_expression(card, "spark")
    assert '`weird "col"; name`' in spark
    assert "'it\\'s'" in spark and "'a\\\\b'" in spark and "'back\\\\\\'slash'" in spark
    postgres = sql_expression(card, "postgres")
    assert "E'a\\\\b'" in postgres and "E'back\\\\''slash'" in postgres
    assert "'it''s'" in postgres


def test_bad_requests_are_refused_with_the_field_named() -> None:
    card = cases.treatment_card()
    with pytest.raises(SpecificationError, match="dialect: expected one of"):
        sql_expression(card, "mysql")
    with pytest.raises(SpecificationError, match="columns: expected characteristics"):
        sql_expression(card, "ansi", columns={"nope": "x"})
    with pytest.raises(SpecificationError, match="names: expected keys"):
        sql_query(card, "apps", names={"scores": "s"})
    with pytest.raises(SpecificationError, match="NUL"):
        sql_query(card, "apps\x00")


@given(
    xs=st.lists(
        st.one_of(
            st.floats(allow_nan=True, allow_infinity=False, width=64),
            st.sampled_from([-9.0, -1.3, -0.03, 0.76, 1.0, 0.0, -0.0]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_property_sqlite_equals_python(xs: list[float]) -> None:
    card = cases.treatment_card()
    frame = pd.DataFrame({"x": xs, "cat": ["a"] * len(xs)})
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE apps (i INTEGER, x REAL, cat TEXT)")
    con.executemany(
        "INSERT INTO apps VALUES (?, ?, ?)",
        [(i, None if math.isnan(x) else x, "a") for i, x in enumerate(xs)],
    )
    got = con.execute(f"SELECT i, {sql_expression(card, 'sqlite')} FROM apps ORDER BY i")
    assert [r[1] for r in got] == card.score(frame).tolist()
