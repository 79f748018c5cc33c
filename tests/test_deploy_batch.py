"""Batch scoring of files (``score_file`` and ``scorecard score``): chunks, rejects with row
numbers and reasons, decisions, the output only when complete, Ctrl-C leaves nothing."""

from __future__ import annotations

import importlib.util
import os
import pty
import signal
import subprocess
import sys
import time
from pathlib import Path

import attrs
import numpy as np
import pandas as pd
import pytest

from scorecard import CreditPolicy, GradeScale
from scorecard.deploy import BatchReport, score_file
from scorecard.exceptions import DataError, SpecificationError
from scorecard.policy import NeedLimit

_spec = importlib.util.spec_from_file_location(
    "deploy_cases", Path(__file__).resolve().parent / "deploy_cases.py"
)
assert _spec is not None and _spec.loader is not None
cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cases)

SRC = Path(__file__).resolve().parents[1] / "src"
POLICY = CreditPolicy.load(cases.GOLDEN / "german_policy.json")
GRADES = GradeScale.load(cases.GOLDEN / "german_grade_scale.json")


def _read(path: Path) -> pd.DataFrame:
    return pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)


def _write(frame: pd.DataFrame, path: Path) -> None:
    if path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".partial"))


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".csv.gz"])
def test_scores_equal_python_row_for_row(tmp_path: Path, suffix: str) -> None:
    pytest.importorskip("pyarrow")
    card, frame = cases.cases()["synthetic"]
    data = frame.copy()
    data.insert(0, "app_id", [f"A{i:05d}" for i in range(len(frame))])
    _write(data, tmp_path / f"apps{suffix}")
    out = tmp_path / f"scores{'.parquet' if suffix == '.parquet' else '.csv'}"
    seen: list[int] = []
    report = score_file(
        card,
        tmp_path / f"apps{suffix}",
        out,
        grades=GRADES,
        reasons=3,
        ids=["app_id"],
        chunk_rows=700,
        progress=lambda rows, fraction: seen.append(rows),
    )
    assert (report.rows, report.scored, report.rejected) == (len(frame), len(frame), 0)
    assert seen == [*range(700, len(frame), 700), len(frame)]  # one call per chunk
    got = _read(out)
    score, pd_ = card.score_and_pd(frame)
    assert got["app_id"].tolist() == data["app_id"].tolist()
    assert got["score"].tolist() == score.tolist()
    np.testing.assert_array_equal(got["pd"].to_numpy(), pd_)
    assert got["grade"].tolist() == GRADES.assign(score).tolist()
    reasons = card.reason_codes(frame, n=3)
    for col in reasons:
        assert got[col].fillna("").tolist() == reasons[col].fillna("").tolist()
    assert _read(report.rejects).empty


def test_rejects_have_row_numbers_and_reasons(tmp_path: Path) -> None:
    card = cases.treatment_card()
    frame = cases.treatment_frame().astype(object)
    frame.loc[1, "x"] = "abc"
    frame.loc[4, "x"] = "inf"
    frame.loc[6, "cat"] = "zz"  # unseen: the card refuses it ("error")
    frame.loc[8, "x"] = "1,5"
    frame.insert(0, "id", [f"r{i}" for i in range(len(frame))])
    frame.to_csv(tmp_path / "apps.csv", index=False)
    report = score_file(card, tmp_path / "apps.csv", tmp_path / "out.csv", ids=["id"], chunk_rows=3)
    assert (report.rows, report.scored, report.rejected) == (10, 6, 4)
    rejects = pd.read_csv(tmp_path / "out.rejects.csv")
    assert rejects["row"].tolist() == [2, 5, 7, 9]  # 1 = the first data row
    assert rejects["id"].tolist() == ["r1", "r4", "r6", "r8"]
    reasons = rejects["reason"].tolist()
    assert reasons[0] == "column 'x': expected a number, found 'abc'"
    assert reasons[1] == "column 'x': expected a finite number, found inf"
    assert "column 'cat'" in reasons[2] and "'zz'" in reasons[2] and "'error'" in reasons[2]
    scored = pd.read_csv(tmp_path / "out.csv")
    keep = [0, 2, 3, 5, 7, 9]
    assert scored["id"].tolist() == [f"r{i}" for i in keep]
    expected = card.score(cases.treatment_frame().iloc[keep])
    assert scored["score"].tolist() == expected.tolist()


def test_policy_decisions_and_policy_failures(tmp_path: Path) -> None:
    """With a policy every row is decided as ``policy.decide(frame, model=card)``; a row the
    policy cannot decide (text in an amount) is rejected alone, with the policy's message."""
    card = cases.german_card()
    policy = attrs.evolve(POLICY, limits=(*POLICY.limits, NeedLimit("asked", field="asked")))
    from scorecard.datasets import load_german_credit

    df = load_german_credit().drop(columns="bad")
    df["asked"] = (df["credit_amount"] * 0.9).astype(object)
    df.loc[10, "asked"] = "lots"
    df.to_csv(tmp_path / "apps.csv", index=False)
    report = score_file(
        card,
        tmp_path / "apps.csv",
        tmp_path / "out.parquet",
        policy=policy,
        reasons=2,
        chunk_rows=256,
    )
    assert (report.scored, report.rejected) == (999, 1)
    rejects = pd.read_csv(report.rejects)
    assert rejects["row"].tolist() == [11]
    assert "'asked'" in rejects["reason"][0] and "text" in rejects["reason"][0]
    got = pd.read_parquet(tmp_path / "out.parquet")
    ok = df.drop(index=10).reset_index(drop=True)
    ok["asked"] = ok["asked"].astype(float)
    expected = policy.decide(ok, model=card)
    for col in ("decision", "grade", "limit", "expected_loss", "reasons", "knock_outs"):
        assert got[col].fillna("").tolist() == expected[col].fillna("").tolist(), col
    assert got["score"].tolist() == card.score(ok).tolist()
    assert list(got.columns[:3]) == ["score", "pd", "grade"]
    codes = card.reason_codes(ok, n=2)
    for col in codes:
        assert got[col].fillna("").tolist() == codes[col].fillna("").tolist()


def test_interrupted_run_leaves_no_output(tmp_path: Path) -> None:
    card, frame = cases.cases()["german"]
    frame.to_csv(tmp_path / "apps.csv", index=False)
    (tmp_path / "out.csv").write_text("yesterday's scores\n")

    def stop(rows: int, fraction: float | None) -> None:
        assert _leftovers(tmp_path)  # the output is being written beside the target ...
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        score_file(card, tmp_path / "apps.csv", tmp_path / "out.csv", chunk_rows=100, progress=stop)
    assert _leftovers(tmp_path) == []  # ... and removed on the interruption
    assert (tmp_path / "out.csv").read_text() == "yesterday's scores\n"  # untouched
    assert not (tmp_path / "out.rejects.csv").exists()


def _cli(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, "-m", "scorecard._cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
        **kwargs,
    )


def test_ctrl_c_on_the_command_leaves_no_partial_output(tmp_path: Path) -> None:
    card = cases.german_card()
    card.save(tmp_path / "card.json")
    from scorecard.datasets import load_german_credit

    big = pd.concat([load_german_credit().drop(columns="bad")] * 300, ignore_index=True)
    big.to_csv(tmp_path / "apps.csv", index=False)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scorecard._cli",
            "score",
            str(tmp_path / "card.json"),
            str(tmp_path / "apps.csv"),
            "-o",
            str(tmp_path / "out.csv"),
            "--chunk-rows",
            "500",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 120
    while not _leftovers(tmp_path) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    assert _leftovers(tmp_path), "the run ended before it could be interrupted"
    time.sleep(0.3)  # well inside the run (300,000 rows in chunks of 500)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, (out, err)
    assert "interrupted: no output written" in err
    assert _leftovers(tmp_path) == []
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "out.rejects.csv").exists()


def test_command_prints_the_counts_and_a_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    card = cases.treatment_card()
    card.save(tmp_path / "card.json")
    frame = cases.treatment_frame().astype(object)
    frame.loc[2, "x"] = "n/a!"
    frame.to_csv(tmp_path / "apps.csv", index=False)
    args = [
        "score",
        str(tmp_path / "card.json"),
        str(tmp_path / "apps.csv"),
        "-o",
        str(tmp_path / "out.csv"),
        "--chunk-rows",
        "4",
    ]
    done = _cli(*args)
    assert done.returncode == 0, done.stderr
    assert "scored 9 of 10 rows (1 rejected: see" in done.stdout
    assert done.stderr == ""  # not a terminal: no progress bar
    main, secondary = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.run(
        [sys.executable, "-m", "scorecard._cli", *args],
        stdout=subprocess.PIPE,
        stderr=secondary,
        env=env,
        timeout=300,
        check=False,
    )
    os.close(secondary)
    shown = b""
    while True:
        try:
            data = os.read(main, 4096)
        except OSError:
            break
        if not data:
            break
        shown += data
    os.close(main)
    assert proc.returncode == 0
    assert b"rows/s" in shown and b"100%" in shown


def test_command_errors_name_the_problem(tmp_path: Path) -> None:
    card = cases.treatment_card()
    card.save(tmp_path / "card.json")
    pd.DataFrame({"x": [1.0]}).to_csv(tmp_path / "apps.csv", index=False)
    done = _cli(
        "score",
        str(tmp_path / "card.json"),
        str(tmp_path / "apps.csv"),
        "-o",
        str(tmp_path / "out.csv"),
    )
    assert done.returncode == 1
    assert "expected columns ['cat']" in done.stderr
    assert not (tmp_path / "out.csv").exists()
    done = _cli(
        "score",
        str(tmp_path / "card.json"),
        str(tmp_path / "nope.csv"),
        "-o",
        str(tmp_path / "out.csv"),
    )
    assert done.returncode == 1 and "expected an existing file" in done.stderr


def test_export_command_writes_sql_pmml_and_xlsx(tmp_path: Path) -> None:
    import sqlite3

    card, frame = cases.cases()["treatments"]
    card.save(tmp_path / "card.json")
    GradeScale.from_cutoffs([500], ["A", "B"]).save(tmp_path / "grades.json")
    done = _cli(
        "export",
        str(tmp_path / "card.json"),
        "--to",
        "sql",
        "--dialect",
        "sqlite",
        "--table",
        "apps",
        "--view",
        "scored",
        "--grades",
        str(tmp_path / "grades.json"),
        "-o",
        str(tmp_path / "card.sql"),
    )
    assert done.returncode == 0, done.stderr
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE apps (x REAL, cat TEXT)")
    con.executemany("INSERT INTO apps VALUES (?, ?)", cases.rows(frame))
    con.executescript((tmp_path / "card.sql").read_text())
    got = [r[0] for r in con.execute("SELECT score FROM scored")]
    assert got == card.score(frame).tolist()
    for to, name in (("pmml", "card.pmml"), ("xlsx", "card.xlsx")):
        done = _cli("export", str(tmp_path / "card.json"), "--to", to, "-o", str(tmp_path / name))
        assert done.returncode == 0, done.stderr
        assert (tmp_path / name).stat().st_size > 1000
    assert (tmp_path / "card.pmml").read_text().startswith("<?xml")


def test_empty_input_and_bad_arguments(tmp_path: Path) -> None:
    card = cases.treatment_card()
    pd.DataFrame({"x": [], "cat": []}).to_csv(tmp_path / "apps.csv", index=False)
    report = score_file(card, tmp_path / "apps.csv", tmp_path / "out.csv")
    assert isinstance(report, BatchReport) and report.rows == 0
    assert list(pd.read_csv(tmp_path / "out.csv").columns) == ["score", "pd"]
    with pytest.raises(SpecificationError, match="chunk_rows: expected an integer >= 1"):
        score_file(card, tmp_path / "apps.csv", tmp_path / "o.csv", chunk_rows=0)
    with pytest.raises(SpecificationError, match="output: expected a .csv"):
        score_file(card, tmp_path / "apps.csv", tmp_path / "o.json")
    with pytest.raises(SpecificationError, match="grades: expected no grade scale"):
        score_file(card, tmp_path / "apps.csv", tmp_path / "o.csv", policy=POLICY, grades=GRADES)
    with pytest.raises(SpecificationError, match="other than the input"):
        score_file(card, tmp_path / "apps.csv", tmp_path / "apps.csv")
    with pytest.raises(DataError, match="expected an existing file"):
        score_file(card, tmp_path / "missing.csv", tmp_path / "o.csv")
    assert _leftovers(tmp_path) == []


def test_results_do_not_depend_on_the_chunk_size(tmp_path: Path) -> None:
    """A value is read the same whether its chunk holds only numbers (pandas reads the
    column as numbers) or also a value that is not one (read value by value)."""
    card = cases.treatment_card()
    frame = pd.DataFrame(
        {
            "x": ["1", "True", "abc", "2.5", "-9", "", "1e-300", "0.7599999999999999", "false"],
            "cat": ["a", "b", "c", "d", "a", "b", "c", "d", "a"],
        }
    )
    frame.to_csv(tmp_path / "apps.csv", index=False)
    results = []
    for rows in (1, 2, 3, 4, 100):
        report = score_file(card, tmp_path / "apps.csv", tmp_path / "out.csv", chunk_rows=rows)
        assert (report.scored, report.rejected) == (8, 1)
        results.append((pd.read_csv(report.output), pd.read_csv(report.rejects)))
    for scored, rejected in results[1:]:
        pd.testing.assert_frame_equal(scored, results[0][0])
        pd.testing.assert_frame_equal(rejected, results[0][1])
    x = [1.0, 1.0, 2.5, -9.0, np.nan, 1e-300, 0.7599999999999999, 0.0]
    expected = card.score(pd.DataFrame({"x": x, "cat": list("abdabcda")}))
    assert results[0][0]["score"].tolist() == expected.tolist()
