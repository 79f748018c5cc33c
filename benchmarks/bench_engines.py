"""Engines benchmark: fitting where the data lives (DuckDB over Parquet, Spark local mode).

**Data.** ``make_credit_data`` in blocks of 500,000 rows (seeds 200, 201, ...), the 25
model features (``FEATURES``: 15 numeric, 10 categorical, among them ``postcode_district``
with 1,500 levels) and ``bad``, categorical columns as text, written block by block with
``pyarrow.parquet.ParquetWriter`` (one row group per block; never more than one block in
memory): one file of ``rows`` rows (default 20,000,000), and the first ``pandas_rows``
(default 2,000,000) and ``spark_rows`` (default 5,000,000) rows as files of their own.
Every fit uses the synthetic special codes (``SPECIAL_CODES``) and otherwise the defaults.

**DuckDB** (each fit in its own Python process, so its peak memory is its own: ``VmHWM``,
which counts DuckDB's memory too, since DuckDB runs inside the process):
``engines.fit_scorecard(Source.duckdb("SELECT * FROM read_parquet('...')"), "bad",
specs=...)`` on the large file, and on the ``pandas_rows`` file.

**pandas** (own process): ``pandas.read_parquet`` of the ``pandas_rows`` file, then
``fit_scorecard(frame, "bad", specs=..., holdout=0)``: the in-memory path on the same rows.
Reported: both times, the ratio, and whether the two cards are the same (names and points).

**Spark** (own process; needs ``pyspark`` and Java): ``local[2]``, the ``spark_rows`` file
read with ``spark.read.parquet``; ``engines.fit_scorecard(df, "bad", specs=...)`` with the
default ``relative_error=1e-4``; scoring ``engines.score(card, df, keep=["bad"])`` (score
and PD as native column expressions) written to Spark's ``noop`` sink, against the same
with Python UDFs computing score and PD: a vectorized ``pandas_udf`` (Arrow batches,
``Scorecard.score_and_pd``) and a row-at-a-time ``udf`` (``Scorecard.score_record``), the
latter on ``udf_rows`` rows (default: all).  The UDFs' scores are checked equal to the
native ones on the first 100,000 rows.

Run ``python benchmarks/bench_engines.py --help`` for the size flags; through ``run.py``,
``--rows`` sets the large file's rows (the others are capped by it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd  # at module level: pandas_udf resolves its type hints here
from _common import peak_mb as _peak_mb

NAME = "engines"
DEFAULT_ROWS = 20_000_000
PANDAS_ROWS = 2_000_000
SPARK_ROWS = 5_000_000
BLOCK = 500_000
CHECK_ROWS = 100_000
HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"


def _write_data(workdir: Path, sizes: dict[str, int]) -> dict[str, Any]:
    """The Parquet files, block by block: ``data-<key>.parquet`` holds the first
    ``sizes[key]`` rows of one stream of blocks."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from scorecard.datasets import FEATURES, make_credit_data

    total = max(sizes.values())
    writers: dict[str, Any] = {}
    done = 0
    block = 0
    try:
        while done < total:
            n = min(BLOCK, total - done)
            frame = make_credit_data(n, seed=200 + block)[[*FEATURES, "bad"]]
            cats = frame.select_dtypes("category").columns
            frame = frame.astype(dict.fromkeys(cats, object))
            table = pa.Table.from_pandas(frame, preserve_index=False)
            for key, rows in sizes.items():
                if done >= rows:
                    continue
                part = table.slice(0, min(n, rows - done))
                if key not in writers:
                    writers[key] = pq.ParquetWriter(workdir / f"data-{key}.parquet", table.schema)
                writers[key].write_table(part)
            done += n
            block += 1
    finally:
        for w in writers.values():
            w.close()
    return {k: (workdir / f"data-{k}.parquet").stat().st_size / 1e6 for k in sizes}


# ------------------------------------------------------------------ child processes


def _specs() -> dict[str, Any]:
    from scorecard import BinningSpec
    from scorecard.datasets import SPECIAL_CODES

    return {n: BinningSpec(special_codes=c) for n, c in SPECIAL_CODES.items()}


def _card_summary(card: Any) -> dict[str, Any]:
    return {
        "names": list(card.names),
        "points": [list(map(int, c.points)) for c in card.characteristics],
        "base_points": int(card.base_points),
    }


def _child_duckdb(job: dict[str, Any]) -> dict[str, Any]:
    import duckdb

    from scorecard import engines

    config = {k: job[k] for k in ("memory_limit", "threads") if job.get(k)}
    con = duckdb.connect(config=config)
    threads, limit = con.sql(
        "SELECT current_setting('threads'), current_setting('memory_limit')"
    ).fetchall()[0]
    source = engines.Source.duckdb(f"SELECT * FROM read_parquet('{job['path']}')", con)
    t0 = time.perf_counter()
    build = engines.fit_scorecard(source, "bad", specs=_specs())
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "threads": threads,
        "memory_limit": limit,
        "card": _card_summary(build.scorecard),
        "auc": float(build.metrics.loc["train", "auc"]),
    }


def _child_pandas(job: dict[str, Any]) -> dict[str, Any]:
    from scorecard import fit_scorecard

    t0 = time.perf_counter()
    frame = pd.read_parquet(job["path"])
    read = time.perf_counter() - t0
    t0 = time.perf_counter()
    build = fit_scorecard(frame, "bad", specs=_specs(), holdout=0)
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "read_seconds": read,
        "peak_mb": _peak_mb(),
        "card": _card_summary(build.scorecard),
        "auc": float(build.metrics.loc["train", "auc"]),
    }


def _noop(frame: Any) -> float:
    """Seconds to compute every row of ``frame`` (Spark's ``noop`` sink: nothing written)."""
    t0 = time.perf_counter()
    frame.write.format("noop").mode("overwrite").save()
    return time.perf_counter() - t0


def _child_spark(job: dict[str, Any]) -> dict[str, Any]:
    import warnings

    import numpy as np
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as sf
    from pyspark.sql import types as st

    from scorecard import engines

    warnings.simplefilter("ignore", FutureWarning)  # PySpark and pandas 3
    os.environ["PYSPARK_PYTHON"] = sys.executable  # the UDFs' workers: this interpreter
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("scorecard-bench")
        .config("spark.driver.memory", job["driver_memory"])
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        df = spark.read.parquet(job["path"])
        rows = df.count()
        t0 = time.perf_counter()
        build = engines.fit_scorecard(df, "bad", specs=_specs())
        fit_seconds = time.perf_counter() - t0
        card = build.scorecard
        names = list(card.names)

        native = engines.score(card, df, keep=["bad"])
        native_seconds = min(_noop(native) for _ in range(2))

        schema = st.StructType(
            [st.StructField("score", st.LongType()), st.StructField("pd", st.DoubleType())]
        )

        @sf.pandas_udf(schema)  # type: ignore[call-overload]
        def vectorized(frame: pd.DataFrame) -> pd.DataFrame:  # the struct of the columns
            score, pd_ = card.score_and_pd(frame)
            return pd.DataFrame({"score": score.astype(np.int64), "pd": pd_})

        def one(*values: Any) -> tuple[int, float]:
            r = card.score_record(dict(zip(names, values, strict=True)))
            return int(r.score), float(r.pd)

        row_udf = sf.udf(one, schema)
        cols = [sf.col(n) for n in names]
        with_vec = df.select("bad", vectorized(sf.struct(*cols)).alias("s")).select(
            "bad", "s.score", "s.pd"
        )
        udf_rows = min(job["udf_rows"] or rows, rows)
        subset = df if udf_rows == rows else df.limit(udf_rows)
        with_row = subset.select("bad", row_udf(*cols).alias("s")).select("bad", "s.score", "s.pd")
        vec_seconds = min(_noop(with_vec) for _ in range(2))
        row_seconds = _noop(with_row)

        check = df.limit(CHECK_ROWS).cache()
        got = {
            k: f.toPandas()["score"].to_numpy()
            for k, f in (
                ("native", engines.score(card, check, keep=["bad"])),
                (
                    "vectorized",
                    check.select(vectorized(sf.struct(*cols)).alias("s")).select("s.score"),
                ),
                ("row", check.select(row_udf(*cols).alias("s")).select("s.score")),
            )
        }
        equal = bool(
            np.array_equal(got["native"], got["vectorized"])
            and np.array_equal(got["native"], got["row"])
        )
        version = spark.version
    finally:
        spark.stop()
    return {
        "rows": rows,
        "spark": version,
        "fit_seconds": fit_seconds,
        "score_native_seconds": native_seconds,
        "score_pandas_udf_seconds": vec_seconds,
        "score_row_udf_seconds": row_seconds,
        "row_udf_rows": udf_rows,
        "scores_equal": equal,
        "driver_peak_mb": _peak_mb(),
        "card": _card_summary(card),
        "auc": float(build.metrics.loc["train", "auc"]),
    }


CHILDREN = {"duckdb": _child_duckdb, "pandas": _child_pandas, "spark": _child_spark}


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
        raise RuntimeError(f"benchmark child {job['kind']} failed:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    shown = {k: v for k, v in result.items() if k != "card"}
    print(f"{job['kind']}: {json.dumps(shown)}", file=sys.stderr, flush=True)  # progress
    return result


def run(
    rows: int | None = None,
    *,
    pandas_rows: int | None = None,
    spark_rows: int | None = None,
    udf_rows: int | None = None,
    spark: bool = True,
    driver_memory: str = "4g",
    memory_limit: str = "512MB",
    data: str | None = None,
) -> dict[str, Any]:
    rows = rows or DEFAULT_ROWS
    pandas_rows = min(pandas_rows or PANDAS_ROWS, rows)
    spark_rows = min(spark_rows or SPARK_ROWS, rows)
    has_spark = spark and importlib.util.find_spec("pyspark") is not None
    sizes = {"large": rows, "pandas": pandas_rows}
    if has_spark:
        sizes["spark"] = spark_rows
    workdir = Path(data) if data else Path(tempfile.mkdtemp(prefix="bench-engines-"))
    try:
        t0 = time.perf_counter()
        written: float | None = None
        if all((workdir / f"data-{k}.parquet").exists() for k in sizes):  # --data, reused
            file_mb = {k: (workdir / f"data-{k}.parquet").stat().st_size / 1e6 for k in sizes}
        else:
            workdir.mkdir(parents=True, exist_ok=True)
            file_mb = _write_data(workdir, sizes)
            written = time.perf_counter() - t0
        path = {k: str(workdir / f"data-{k}.parquet") for k in sizes}
        print(f"data ({written} s): {file_mb}", file=sys.stderr, flush=True)
        large = _spawn({"kind": "duckdb", "path": path["large"], "memory_limit": memory_limit})
        duck_small = _spawn({"kind": "duckdb", "path": path["pandas"]})  # DuckDB's defaults
        frame = _spawn({"kind": "pandas", "path": path["pandas"]})
        spark_result = None
        if has_spark:
            spark_result = _spawn(
                {
                    "kind": "spark",
                    "path": path["spark"],
                    "udf_rows": udf_rows,
                    "driver_memory": driver_memory,
                }
            )
    finally:
        if not data:
            shutil.rmtree(workdir, ignore_errors=True)
    return {
        "name": NAME,
        "rows": rows,
        "pandas_rows": pandas_rows,
        "spark_rows": spark_rows if has_spark else None,
        "features": 25,
        "file_mb": file_mb,
        "write_seconds": written,
        "duckdb_memory_limit": memory_limit,
        "duckdb_large": large,
        "duckdb_small": duck_small,
        "pandas": frame,
        "same_card_duckdb_pandas": duck_small["card"] == frame["card"],
        "spark": spark_result,
        "spark_note": None if has_spark else "pyspark not installed (or --no-spark): skipped",
    }


def report(result: dict[str, Any]) -> str:
    big, small, frame = result["duckdb_large"], result["duckdb_small"], result["pandas"]
    n, m = result["rows"], result["pandas_rows"]
    lines = [
        f"data: {n:,} rows x {result['features']} features, Parquet "
        f"{result['file_mb']['large']:,.0f} MB"
        + (
            f", written in {result['write_seconds']:,.0f} s"
            if result["write_seconds"] is not None
            else " (reused with --data)"
        ),
        "",
        "| fit | rows | seconds | peak MB of the process | card |",
        "|---|---:|---:|---:|---|",
        f"| DuckDB ({big['threads']} threads) | {n:,} | {big['seconds']:,.1f} | "
        f"{big['peak_mb']:,.0f} | {len(big['card']['names'])} characteristics |",
        f"| DuckDB | {m:,} | {small['seconds']:,.1f} | {small['peak_mb']:,.0f} | "
        f"{len(small['card']['names'])} characteristics |",
        f"| pandas (in memory) | {m:,} | {frame['seconds']:,.1f} | {frame['peak_mb']:,.0f} | "
        f"same card as DuckDB: {result['same_card_duckdb_pandas']} |",
        "",
        f"pandas / DuckDB fit time at {m:,} rows: {frame['seconds'] / small['seconds']:.2f} "
        f"(pandas also read the file in {frame['read_seconds']:.1f} s); "
        f"DuckDB peak under 2 GB at {n:,} rows: {big['peak_mb'] < 2048}",
    ]
    s = result["spark"]
    if s is None:
        lines += ["", f"Spark: {result['spark_note']}"]
        return "\n".join(lines)
    rows = s["rows"]
    native = rows / s["score_native_seconds"]
    vec = rows / s["score_pandas_udf_seconds"]
    row = s["row_udf_rows"] / s["score_row_udf_seconds"]
    lines += [
        "",
        f"Spark {s['spark']} local[2], {rows:,} rows: fit {s['fit_seconds']:,.1f} s "
        f"(relative_error 1e-4), {len(s['card']['names'])} characteristics, train AUC "
        f"{s['auc']:.4f} (DuckDB at {m:,} rows: {small['auc']:.4f})",
        "",
        "| scoring in Spark | rows | seconds | rows/s | native / this |",
        "|---|---:|---:|---:|---:|",
        f"| native column expressions | {rows:,} | {s['score_native_seconds']:,.1f} | "
        f"{native:,.0f} | 1.00 |",
        f"| pandas_udf (Arrow batches, Scorecard.score_and_pd) | {rows:,} | "
        f"{s['score_pandas_udf_seconds']:,.1f} | {vec:,.0f} | {native / vec:.1f} |",
        f"| udf (row at a time, Scorecard.score_record) | {s['row_udf_rows']:,} | "
        f"{s['score_row_udf_seconds']:,.1f} | {row:,.0f} | {native / row:.1f} |",
        "",
        f"scores equal on the first {CHECK_ROWS:,} rows (native, pandas_udf, udf): "
        f"{s['scores_equal']}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Engines benchmark (DuckDB, pandas, Spark).")
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="rows of the large file")
    parser.add_argument("--pandas-rows", type=int, default=PANDAS_ROWS)
    parser.add_argument("--spark-rows", type=int, default=SPARK_ROWS)
    parser.add_argument("--udf-rows", type=int, default=None, help="rows the row UDF scores")
    parser.add_argument("--no-spark", action="store_true")
    parser.add_argument("--driver-memory", default="4g", help="Spark's (local mode: all of it)")
    parser.add_argument(
        "--memory-limit", default="512MB", help="DuckDB's memory_limit for the large fit"
    )
    parser.add_argument(
        "--data", default=None, help="a folder for the Parquet files: reused if there, kept"
    )
    parser.add_argument("--save", action="store_true", help="write benchmarks/results/*.json")
    args = parser.parse_args(argv)
    for flag in ("rows", "pandas_rows", "spark_rows"):
        if getattr(args, flag) < 10_000:
            parser.error(f"--{flag.replace('_', '-')}: expected at least 10000")
    result = run(
        args.rows,
        pandas_rows=args.pandas_rows,
        spark_rows=args.spark_rows,
        udf_rows=args.udf_rows,
        spark=not args.no_spark,
        driver_memory=args.driver_memory,
        memory_limit=args.memory_limit,
        data=args.data,
    )
    print(report(result), flush=True)
    if args.save:
        from run import RESULTS, machine

        RESULTS.mkdir(exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        out = RESULTS / f"{NAME}-{stamp}.json"
        out.write_text(json.dumps({"machine": machine(), **result}, indent=2) + "\n")
        print(f"saved {out.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        job = json.loads(sys.argv[2])
        print(json.dumps(CHILDREN[job["kind"]](job)))
    else:
        for p in (SRC, HERE):
            if str(p) not in sys.path:
                sys.path.insert(0, str(p))
        sys.exit(main())
