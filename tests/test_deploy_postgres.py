"""The SQL export in a real PostgreSQL server: scores equal Python's, row for row.

Runs in its own session, ``nox -s postgres`` (which sets ``SCORECARD_POSTGRES=1``): the
fixture initializes a database cluster in a temporary directory (as the ``postgres`` user
when run as root, since the server refuses to run as root), starts the server on a free
port of 127.0.0.1, and stops it and removes the directory afterwards.  The server comes
from the Debian packages (``apt-get install -y postgresql``).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scorecard import GradeScale, Scorecard
from scorecard.deploy import sql_expression, sql_query

pytestmark = pytest.mark.skipif(
    not os.environ.get("SCORECARD_POSTGRES"),
    reason="needs a PostgreSQL server: run `nox -s postgres` (sets SCORECARD_POSTGRES=1)",
)
psycopg = pytest.importorskip("psycopg")

_spec = importlib.util.spec_from_file_location(
    "deploy_cases", Path(__file__).resolve().parent / "deploy_cases.py"
)
assert _spec is not None and _spec.loader is not None
cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cases)


def _bin_dir() -> Path:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not versions:
        pytest.fail("PostgreSQL is not installed: apt-get install -y postgresql")
    return versions[-1].parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A throwaway PostgreSQL server; yields its connection string."""
    bindir = _bin_dir()
    root = Path(tempfile.mkdtemp(prefix="scorecard-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # the server refuses root: run it as the postgres user
        shutil.chown(root, user="postgres")
        root.chmod(0o700)
        as_user = ["runuser", "-u", "postgres", "--"]
    data, log = root / "data", root / "server.log"
    port = _free_port()

    def run(*args: str) -> None:
        subprocess.run([*as_user, *args], check=True, capture_output=True, timeout=120)

    run(
        str(bindir / "initdb"),
        "-D",
        str(data),
        "-U",
        "scorecard",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--locale=C",
    )
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -F"
    run(str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start")
    try:
        yield f"host=127.0.0.1 port={port} user=scorecard dbname=postgres"
    finally:
        with contextlib.suppress(subprocess.SubprocessError):
            run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def con(server: str) -> Iterator[object]:
    with psycopg.connect(server, autocommit=True) as c:
        c.execute("DROP TABLE IF EXISTS apps CASCADE")
        yield c


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def load(con: object, card: Scorecard, frame: pd.DataFrame) -> None:
    cols = ["row_id", *frame.columns]
    create = ", ".join(f"{_quote(c)} {cases.sql_type(card, c, 'postgres')}" for c in cols)
    con.execute(f"CREATE TABLE apps ({create})")
    data = frame.copy()
    data.insert(0, "row_id", np.arange(len(frame)))
    marks = ", ".join(["%s"] * len(cols))
    with con.cursor() as cur:
        cur.executemany(f"INSERT INTO apps VALUES ({marks})", cases.rows(data))


def fetch(con: object, sql: str) -> pd.DataFrame:
    with con.cursor() as cur:
        cur.execute(sql)
        out = pd.DataFrame(cur.fetchall(), columns=[d.name for d in cur.description])
    return out.sort_values("row_id", ignore_index=True) if "row_id" in out else out


CASES = cases.cases()


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("dialect", ["postgres", "ansi"])
def test_scores_equal_python_row_for_row(con: object, case: str, dialect: str) -> None:
    card, frame = CASES[case]
    load(con, card, frame)
    out = fetch(con, sql_query(card, "apps", dialect, keep=["row_id"]))
    score, pd_ = card.score_and_pd(frame)
    assert len(out) == len(frame)
    np.testing.assert_array_equal(out["score"].to_numpy(dtype=np.int64), score)
    np.testing.assert_allclose(out["pd"].to_numpy(dtype=np.float64), pd_, rtol=1e-13)
    assert fetch(con, "SELECT COUNT(*) AS n FROM apps")["n"].tolist() == [len(frame)]


def test_grades_equal_python(con: object) -> None:
    card, frame = CASES["german"]
    grades = GradeScale.load(cases.GOLDEN / "german_grade_scale.json")
    load(con, card, frame)
    con.execute(sql_query(card, "apps", "postgres", grades=grades, view="scored"))
    out = fetch(con, "SELECT * FROM scored")
    assert out["grade"].tolist() == grades.assign(card.score(frame)).tolist()


def test_refused_values_score_null(con: object) -> None:
    card = cases.treatment_card()
    frame = cases.refused_frame()
    load(con, card, frame)
    out = fetch(con, sql_query(card, "apps", "postgres"))
    assert out[["score", "pd"]].isna().all().all()


def test_nan_is_missing_and_infinity_refused(con: object) -> None:
    card = cases.treatment_card()
    got = con.execute(
        f"SELECT {sql_expression(card, 'postgres')} FROM (VALUES "
        "(CAST('NaN' AS DOUBLE PRECISION), 'a'), (CAST('Infinity' AS DOUBLE PRECISION), 'a'), "
        "(CAST('NaN' AS NUMERIC), 'b')) AS t(x, cat)"
    ).fetchall()
    nan_score = card.score(pd.DataFrame({"x": [np.nan, np.nan], "cat": ["a", "b"]})).tolist()
    assert [r[0] for r in got] == [nan_score[0], None, nan_score[1]]


@pytest.mark.parametrize("conforming", ["on", "off"])
def test_hostile_levels_with_either_string_setting(con: object, conforming: str) -> None:
    """Quotes, backslashes, semicolons and SQL text stay literals whatever
    ``standard_conforming_strings`` says (the postgres dialect writes E'' strings)."""
    card, frame = CASES["evil"]
    load(con, card, frame)
    con.execute(f"SET standard_conforming_strings = {conforming}")
    con.execute("SET escape_string_warning = off")
    try:
        out = fetch(con, sql_query(card, "apps", "postgres", keep=["row_id"]))
    finally:
        con.execute("RESET standard_conforming_strings")
    assert out["score"].tolist() == card.score(frame).tolist()
    assert fetch(con, "SELECT COUNT(*) AS n FROM apps")["n"].tolist() == [len(frame)]
