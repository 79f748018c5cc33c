"""Deploy benchmark: batch scoring of files, and the SQL export in DuckDB.

**Data.** A card fitted by ``fit_scorecard`` (default selection) on ``make_credit_data
(20_000, seed=1)`` with the synthetic special codes; optbinning's ``Scorecard``
(``BinningProcess`` + unpenalized ``LogisticRegression``, the same special codes,
``"empirical"`` WOE for missing and special values) fitted on the same rows and the card's
characteristics.  The applicants are ``rows`` fresh rows of ``make_credit_data`` (seeds
100, 101, ... in blocks of 500,000), an ``app_id`` and the card's characteristics, written
once as CSV and as Parquet (outside the timings).

**Batch** (each run in its own Python process, so its peak memory is its own: ``VmHWM`` of
the process, which includes the interpreter, numpy, pandas and the card):

* ours: ``score_file(card, apps.csv|apps.parquet, scores.csv|scores.parquet,
  ids=["app_id"], chunk_rows=100_000)`` (score, PD; rejects counted);
* optbinning, the same rows in chunks as a user would write it: ``pandas.read_csv(...,
  chunksize=100_000)`` (or ``pyarrow`` ``iter_batches``), ``Scorecard.score(chunk)``, append
  the id and the score to the output file.

**SQL.** The applicants loaded into a DuckDB table (not timed); the exported expression
``sql_expression(card, "duckdb")`` timed as ``SELECT SUM(<expression>) FROM apps`` (best of
3), against ``Scorecard.score`` on the same rows already in a pandas frame (best of 3).  The
two score arrays are compared row for row (they must be equal).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import peak_mb as _peak_mb

NAME = "deploy"
DEFAULT_ROWS = 1_000_000
TRAIN_ROWS = 20_000
CHUNK_ROWS = 100_000
BLOCK = 500_000
HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"


def _fit(workdir: Path) -> list[str]:
    """Fit both cards; save ours as JSON and optbinning's with pickle (benchmark only)."""
    import pickle

    from bench_scorecard import _fit_optb, _optb_frame, _optb_params

    from scorecard import BinningSpec, fit_scorecard
    from scorecard.datasets import CATEGORICAL_FEATURES, FEATURES, SPECIAL_CODES, make_credit_data

    train = make_credit_data(TRAIN_ROWS, seed=1)[[*FEATURES, "bad"]]
    specs = {n: BinningSpec(special_codes=c) for n, c in SPECIAL_CODES.items()}
    card = fit_scorecard(train, "bad", seed=0, specs=specs).scorecard
    card.save(workdir / "card.json")
    names = list(card.names)
    categorical = [n for n in names if n in CATEGORICAL_FEATURES]
    params = _optb_params({n: c for n, c in SPECIAL_CODES.items() if n in names})
    osc = _fit_optb(_optb_frame(train, names), train["bad"].to_numpy(), categorical, params)
    (workdir / "optb.pkl").write_bytes(pickle.dumps(osc))
    return names


def _write_data(workdir: Path, names: list[str], rows: int) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from scorecard.datasets import make_credit_data

    writer = None
    done = 0
    block = 0
    with open(workdir / "apps.csv", "w", newline="") as csv:
        while done < rows:
            n = min(BLOCK, rows - done)
            frame = make_credit_data(n, seed=100 + block)[names]
            frame.insert(0, "app_id", [f"A{i:09d}" for i in range(done, done + n)])
            frame.to_csv(csv, index=False, header=done == 0)
            table = pa.Table.from_pandas(
                frame.astype(dict.fromkeys(frame.select_dtypes("category").columns, object)),
                preserve_index=False,
            )
            if writer is None:
                writer = pq.ParquetWriter(workdir / "apps.parquet", table.schema)
            writer.write_table(table)
            done += n
            block += 1
    assert writer is not None
    writer.close()


# ------------------------------------------------------------------ child processes


def _child(job: dict[str, Any]) -> dict[str, Any]:
    """One measurement in this (fresh) process; returns rows/s and peak memory."""
    import warnings

    import numpy as np
    import pandas as pd

    warnings.simplefilter("ignore")
    workdir = Path(job["workdir"])
    kind, fmt = job["kind"], job["format"]
    src = workdir / f"apps.{fmt}"
    start = time.perf_counter()
    if kind == "ours":
        from scorecard import Scorecard
        from scorecard.deploy import score_file

        card = Scorecard.load(workdir / "card.json")
        t0 = time.perf_counter()
        report = score_file(
            card, src, workdir / f"ours.{fmt}", ids=["app_id"], chunk_rows=CHUNK_ROWS
        )
        seconds = time.perf_counter() - t0
        rows, extra = report.rows, {"rejected": report.rejected}
    elif kind == "optb":
        import pickle

        osc = pickle.loads((workdir / "optb.pkl").read_bytes())
        names = list(json.loads(job["names"]))
        t0 = time.perf_counter()
        rows = 0
        out = workdir / "optb.csv"
        if fmt == "csv":
            chunks = pd.read_csv(src, chunksize=CHUNK_ROWS)
        else:
            import pyarrow.parquet as pq

            chunks = (
                b.to_pandas() for b in pq.ParquetFile(src).iter_batches(batch_size=CHUNK_ROWS)
            )
        with open(out, "w", newline="") as handle:
            for i, chunk in enumerate(chunks):
                score = osc.score(chunk[names])
                pd.DataFrame({"app_id": chunk["app_id"], "score": score}).to_csv(
                    handle, index=False, header=i == 0
                )
                rows += len(chunk)
        seconds = time.perf_counter() - t0
        extra = {}
    else:  # sql: DuckDB against our Python scoring, same rows in memory
        import duckdb

        from scorecard import Scorecard
        from scorecard.deploy import sql_expression

        card = Scorecard.load(workdir / "card.json")
        con = duckdb.connect()
        con.execute(
            f"CREATE TABLE apps AS SELECT * FROM read_parquet('{workdir / 'apps.parquet'}')"
        )
        expr = sql_expression(card, "duckdb")
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            con.execute(f"SELECT SUM({expr}) FROM apps").fetchall()
            times.append(time.perf_counter() - t0)
        sql_scores = con.execute(f"SELECT {expr} AS s FROM apps").fetchnumpy()["s"]
        frame = pd.read_parquet(workdir / "apps.parquet", columns=list(card.names))
        py_times = []
        for _ in range(3):
            t0 = time.perf_counter()
            py_scores = card.score(frame)
            py_times.append(time.perf_counter() - t0)
        rows = len(frame)
        seconds = min(times)
        extra = {
            "python_seconds": min(py_times),
            "equal": bool(np.array_equal(np.asarray(sql_scores, dtype=np.int64), py_scores)),
            "threads": con.execute("SELECT current_setting('threads')").fetchone()[0],
        }
    return {
        "rows": rows,
        "seconds": seconds,
        "wall": time.perf_counter() - start,
        "peak_mb": _peak_mb(),
        **extra,
    }


def _spawn(job: dict[str, Any]) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), str(HERE)])}
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(job)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"benchmark child {job['kind']}/{job['format']} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(rows: int | None = None) -> dict[str, Any]:
    rows = rows or DEFAULT_ROWS
    workdir = Path(tempfile.mkdtemp(prefix="bench-deploy-"))
    try:
        names = _fit(workdir)
        t0 = time.perf_counter()
        _write_data(workdir, names, rows)
        written = time.perf_counter() - t0
        sizes = {f: (workdir / f"apps.{f}").stat().st_size for f in ("csv", "parquet")}
        batch = {}
        for fmt in ("csv", "parquet"):
            for kind in ("ours", "optb"):
                job = {"workdir": str(workdir), "kind": kind, "format": fmt}
                job["names"] = json.dumps(names)
                batch[f"{kind}-{fmt}"] = _spawn(job)
        sql = _spawn({"workdir": str(workdir), "kind": "sql", "format": "parquet"})
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return {
        "name": NAME,
        "rows": rows,
        "train_rows": TRAIN_ROWS,
        "chunk_rows": CHUNK_ROWS,
        "characteristics": len(names),
        "input_mb": {f: s / 1e6 for f, s in sizes.items()},
        "write_seconds": written,
        "batch": batch,
        "sql": sql,
    }


def report(result: dict[str, Any]) -> str:
    rows = result["rows"]
    lines = [
        f"{rows:,} applicants, {result['characteristics']} characteristics, chunks of "
        f"{result['chunk_rows']:,} rows; input CSV {result['input_mb']['csv']:,.0f} MB, "
        f"Parquet {result['input_mb']['parquet']:,.0f} MB",
        "",
        "| batch | ours rows/s | ours peak MB | optbinning rows/s | optbinning peak MB | ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    b = result["batch"]
    for fmt in ("csv", "parquet"):
        ours, optb = b[f"ours-{fmt}"], b[f"optb-{fmt}"]
        r_ours = ours["rows"] / ours["seconds"]
        r_optb = optb["rows"] / optb["seconds"]
        lines.append(
            f"| {fmt} | {r_ours:,.0f} | {ours['peak_mb']:,.0f} | {r_optb:,.0f} | "
            f"{optb['peak_mb']:,.0f} | {r_ours / r_optb:.2f} |"
        )
    s = result["sql"]
    r_sql = s["rows"] / s["seconds"]
    r_py = s["rows"] / s["python_seconds"]
    lines += [
        "",
        f"DuckDB ({s['threads']} threads), exported expression: {r_sql:,.0f} rows/s; "
        f"Scorecard.score on the same rows in memory: {r_py:,.0f} rows/s; ratio "
        f"{r_sql / r_py:.2f}; scores equal row for row: {s['equal']}",
        f"peak memory under 1 GB in every batch run: "
        f"{all(v['peak_mb'] < 1024 for k, v in b.items() if k.startswith('ours'))}",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(_child(json.loads(sys.argv[2]))))
    else:
        if str(SRC) not in sys.path:
            sys.path.insert(0, str(SRC))
        result = run(int(sys.argv[1]) if len(sys.argv) > 1 else None)
        print(report(result))
