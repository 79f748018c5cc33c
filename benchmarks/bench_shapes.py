"""Speed on data shaped differently from ``make_credit_data``: ours against optbinning.

Two data sets from :mod:`shapes` (benchmarks only), each with an independent holdout:

* **ties**: :func:`shapes.make_ties_data`, 300,000 training rows (``--rows``) and 150,000
  holdout rows: 20 numeric features with heavy ties and rounded values, narrow integer
  dtypes (int8, uint8, int16, int32, float32), special codes and missing values; 5
  categoricals as ``object`` strings, one with 1,500 levels;
* **wide**: :func:`shapes.make_bureau_data`, 200,000 rows (2/3 of ``--rows``) x 300
  numeric bureau-style attributes (int16, int32, float32, float64, missing values), and
  as many holdout rows.

For each, side by side in one process (after a warm-up of every path on a small sample):

1. **full fit** (bin, WOE, one logistic fit, points): ``fit_scorecard(train, "bad",
   specs=<special codes>, holdout=0, min_iv=0, max_corr=1.0, max_vif=None,
   stepwise=None)`` against optbinning's ``Scorecard(BinningProcess(...),
   LogisticRegression(no penalty))`` fitted with ``metric_special="empirical"`` and
   ``metric_missing="empirical"`` (as in the ``scorecard`` benchmark); the ratio ours /
   optbinning (goal <= 1/3);
2. **scoring** the holdout rows, rows per second, best of 3: ``Scorecard.score`` against
   optbinning's ``Scorecard.score`` (goal: at least 6x) and against a minimal hand-written
   numpy lookup of the same card's bins and points (``numpy_lookup``: per characteristic a
   ``searchsorted`` on the cut points with NaN and special codes by ``where``, or
   ``pandas.factorize`` and a level table; no checks) (goal: faster);
3. **holdout AUC** of both cards with one function (goal: ours >= optbinning's - 0.002).

On the wide set, also **binning alone**: ``bin_features`` (and with ``n_jobs=2`` where
the library has the option) against ``BinningProcess.fit`` with ``n_jobs=1`` and
``n_jobs=2``, each in a fresh process (``python bench_shapes.py
--child ...``) that builds the data, resets its peak resident memory
(``/proc/self/clear_refs``), bins, and reports seconds and the growth of its peak
resident memory (``VmHWM``) over the memory it held before the fit.  With ``n_jobs=2``
both bin in worker processes: their largest peak (``RUSAGE_CHILDREN``) is added.
The resident peak misses what reuses memory the process already holds (the data set's
own temporaries leave freed pages behind), so two more fresh processes (``traced-ours``,
``traced-optb``: ``bin_features`` and ``BinningProcess(n_jobs=1)``) report the peak of the
bytes allocated during the fit, Python objects and numpy buffers alike (``tracemalloc``;
slower, so not timed), and what the fitted result keeps.
Goals: time <= 1/3 of ``BinningProcess``'s (the faster of its ``n_jobs``), peak memory <=
half (judged on the allocations' peak; the resident growth is shown too).

The full fits are timed ``FIT_REPEATS`` times (ties) or once (wide, where optbinning takes
over a minute), best time each.
"""

from __future__ import annotations

import inspect
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from _common import best_of as _best_of
from _common import quiet as _quiet

NAME = "shapes"
DEFAULT_ROWS = 300_000
SCORE_REPEATS = 3
FIT_REPEATS = {"ties": 3, "wide": 1}
GOALS = {"fit_ratio": 1 / 3, "auc_drop": 0.002, "score_speedup": 6.0, "bin_ratio": 1 / 3}
HERE = Path(__file__).resolve().parent

T = TypeVar("T")


# ----------------------------------------------------------------------------- data
def _ties(rows: int) -> dict[str, Any]:
    from shapes import TIES_SPECIAL_CODES, make_ties_data

    train = make_ties_data(rows, seed=1)
    holdout = make_ties_data(rows // 2, seed=2)
    features = [c for c in train.columns if c != "bad"]
    return {
        "train": train,
        "holdout": holdout,
        "features": features,
        "categorical": [c for c in features if train[c].dtype == object],
        "special_codes": dict(TIES_SPECIAL_CODES),
    }


def _wide(rows: int) -> dict[str, Any]:
    from shapes import make_bureau_data

    train = make_bureau_data(rows, seed=1)
    holdout = make_bureau_data(rows, seed=2)
    return {
        "train": train,
        "holdout": holdout,
        "features": [c for c in train.columns if c != "bad"],
        "categorical": [],
        "special_codes": {},
    }


# ---------------------------------------------------------------------------- tools
def _specs(codes: dict[str, tuple[float, ...]]) -> dict[str, Any]:
    from scorecard import BinningSpec

    return {name: BinningSpec(special_codes=c) for name, c in codes.items()}


def fit_ours(d: dict[str, Any], train: pd.DataFrame | None = None) -> Any:
    from scorecard import fit_scorecard

    with _quiet():
        return fit_scorecard(
            d["train"] if train is None else train,
            "bad",
            features=d["features"],
            specs=_specs(d["special_codes"]),
            holdout=0,
            min_iv=0,
            max_corr=1.0,
            max_vif=None,
            stepwise=None,
        ).scorecard


def _optb_params(codes: dict[str, tuple[float, ...]]) -> dict[str, Any]:
    from bench_scorecard import _optb_params as params

    return params(codes)


def fit_optb(d: dict[str, Any], train: pd.DataFrame | None = None) -> Any:
    from bench_scorecard import _fit_optb

    frame = d["train"] if train is None else train
    X = frame[d["features"]]
    return _fit_optb(X, frame["bad"].to_numpy(), d["categorical"], _optb_params(d["special_codes"]))


def numpy_lookup(card: Any) -> Callable[[pd.DataFrame], np.ndarray]:
    """A minimal hand-written scorer of ``card``'s bins and points (no checks)."""
    from scorecard.deploy._rules import branches

    rules = []
    for r in branches(card):
        pts = np.asarray([0 if p is None else p for p in r.points], dtype=np.int64)
        if r.kind == "numeric":
            rules.append(("n", r.name, np.asarray(r.cuts), r.specials, r.missing, pts))
        else:
            table = {lv: b for b, lvs in r.levels for lv in lvs}
            rules.append(("c", r.name, table, (), r.missing, pts))
    base = int(card.base_points)

    def score(frame: pd.DataFrame) -> np.ndarray:
        total = np.full(len(frame), base, dtype=np.int64)
        for kind, name, lookup, specials, missing, pts in rules:
            col = frame[name]
            if kind == "n":
                x = col.to_numpy(dtype=np.float64, na_value=np.nan)
                idx = np.searchsorted(lookup, x, side="right")
                idx = np.where(np.isnan(x), missing, idx)
                for code, b in specials:
                    idx = np.where(x == code, b, idx)
            else:
                codes, uniques = pd.factorize(col)
                level_bin = np.asarray([lookup.get(str(u), -1) for u in uniques], dtype=np.int64)
                idx = np.where(codes < 0, missing, level_bin[codes] if codes.size else codes)
            total += pts[idx]
        return total

    return score


def _auc(y: np.ndarray, score: Any) -> float:
    from scorecard.metrics import auc

    return float(auc(y, np.asarray(score, dtype=np.float64), kind="score"))


def _score_optb(osc: Any, X: pd.DataFrame) -> np.ndarray:
    with _quiet():
        return np.asarray(osc.score(X), dtype=np.float64)


def compare(name: str, d: dict[str, Any]) -> dict[str, Any]:
    """Full fit, scoring and holdout AUC of both tools on one data set."""
    small = d["train"].iloc[:5_000]
    fit_ours(d, small).score(small)  # warm-up
    _score_optb(fit_optb(d, small), small[d["features"]])
    card, t_ours = _best_of(lambda: fit_ours(d), FIT_REPEATS[name])[:2]
    optb, t_optb = _best_of(lambda: fit_optb(d), FIT_REPEATS[name])[:2]
    hold = d["holdout"]
    X_hold = hold[d["features"]].copy()
    lookup = numpy_lookup(card)
    s_ours, ts_ours = _best_of(lambda: card.score(hold), SCORE_REPEATS)[:2]
    s_np, ts_np = _best_of(lambda: lookup(hold), SCORE_REPEATS)[:2]
    s_optb, ts_optb = _best_of(lambda: _score_optb(optb, X_hold), SCORE_REPEATS)[:2]
    if not np.array_equal(np.asarray(s_ours), s_np):
        raise RuntimeError(f"{name}: the numpy lookup does not reproduce Scorecard.score")
    y = hold["bad"].to_numpy()
    n = len(hold)
    return {
        "rows": len(d["train"]),
        "holdout_rows": n,
        "features": len(d["features"]),
        "fit_seconds": {"ours": t_ours, "optbinning": t_optb},
        "fit_ratio": t_ours / t_optb,
        "score_rows_per_second": {
            "ours": n / ts_ours,
            "numpy": n / ts_np,
            "optbinning": n / ts_optb,
        },
        "score_speedup": ts_optb / ts_ours,
        "score_vs_numpy": ts_np / ts_ours,
        "auc": {"ours": _auc(y, s_ours), "optbinning": _auc(y, s_optb)},
        "optbinning_stages": {
            "binning_process": float(optb._time_binning_process),
            "estimator": float(optb._time_estimator),
        },
    }


# ------------------------------------------------------------ binning alone, in a child
def _rss_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def traced(task: str, rows: int) -> dict[str, Any]:
    """Bin the wide set in this process under ``tracemalloc``: the peak of the bytes
    allocated during the fit and the bytes the result keeps (MB)."""
    import tracemalloc

    d = _wide(rows)
    train = d["train"]
    del d
    features = [c for c in train.columns if c != "bad"]
    if task == "traced-optb":
        from optbinning import BinningProcess

        X, y = train[features], train["bad"].to_numpy()
        BinningProcess(features[:5]).fit(X[features[:5]].iloc[:2000], y[:2000])

        def fit() -> Any:
            return BinningProcess(features, n_jobs=1).fit(X, y)
    else:
        from scorecard import bin_features

        bin_features(train.iloc[:2000], "bad", features=features[:5])

        def fit() -> Any:
            return bin_features(train, "bad", features=features)

    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    with _quiet():
        result = fit()
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result
    return {"traced_peak_mb": (peak - base) / 2**20, "kept_mb": (kept - base) / 2**20}


def child(task: str, rows: int) -> dict[str, Any]:
    """Bin the wide set in this process: seconds and peak memory growth (MB)."""
    if task.startswith("traced-"):
        return traced(task, rows)
    d = _wide(rows)
    train = d["train"]
    del d["holdout"]
    if task.startswith("optb"):
        from optbinning import BinningProcess

        BinningProcess(d["features"][:5]).fit(
            train[d["features"][:5]].iloc[:2000], train["bad"].iloc[:2000].to_numpy()
        )
    else:
        from scorecard import bin_features

        bin_features(train.iloc[:2000], "bad", features=d["features"][:5])
    before = _rss_kb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
    t0 = time.perf_counter()
    with _quiet():
        if task.startswith("optb"):
            from optbinning import BinningProcess

            jobs = int(task.rsplit("-", 1)[1])
            X = train[d["features"]]
            BinningProcess(d["features"], n_jobs=jobs).fit(X, train["bad"].to_numpy())
        else:
            from scorecard import bin_features

            jobs = int(task.rsplit("-", 1)[1]) if "-" in task else 1
            kw = {"n_jobs": jobs} if jobs != 1 else {}
            bin_features(train, "bad", features=d["features"], **kw)
    seconds = time.perf_counter() - t0
    peak = _rss_kb("VmHWM")
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "seconds": seconds,
        "peak_growth_mb": (peak - before) / 1024,
        "children_peak_mb": kids / 1024,
        "rss_before_mb": before / 1024,
    }


def _run_child(task: str, rows: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", task, str(rows)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def run(rows: int | None = None) -> dict[str, Any]:
    from scorecard import bin_features

    n = DEFAULT_ROWS if rows is None else int(rows)
    wide_rows = n * 2 // 3
    results: dict[str, Any] = {"benchmark": NAME, "rows": n, "wide_rows": wide_rows}
    results["ties"] = compare("ties", _ties(n))
    results["wide"] = compare("wide", _wide(wide_rows))
    tasks = ["ours", "optb-1", "optb-2"]
    if "n_jobs" in inspect.signature(bin_features).parameters:
        tasks.insert(1, "ours-2")
    results["wide_binning"] = {task: _run_child(task, wide_rows) for task in tasks}
    results["wide_binning_traced"] = {
        task: _run_child(task, wide_rows) for task in ("traced-ours", "traced-optb")
    }
    return results


def report(result: dict[str, Any]) -> str:
    lines = []
    for name in ("ties", "wide"):
        r = result[name]
        f, s, a = r["fit_seconds"], r["score_rows_per_second"], r["auc"]
        ok_fit = r["fit_ratio"] <= GOALS["fit_ratio"]
        ok_auc = a["ours"] - a["optbinning"] >= -GOALS["auc_drop"]
        ok_s = r["score_speedup"] >= GOALS["score_speedup"] and r["score_vs_numpy"] > 1
        lines += [
            f"{name}: {r['rows']:,} training rows, {r['holdout_rows']:,} holdout rows, "
            f"{r['features']} features",
            f"  {'':<32}{'ours':>12}{'optbinning':>12}{'numpy':>12}{'ratio':>10}",
            f"  {'full fit (s)':<32}{f['ours']:>12.2f}{f['optbinning']:>12.2f}{'':>12}"
            f"{r['fit_ratio']:>10.3f}  {'PASS' if ok_fit else 'FAIL'} (<= 0.333)",
            f"  {'scoring rows/s (best of 3)':<32}{s['ours']:>12,.0f}{s['optbinning']:>12,.0f}"
            f"{s['numpy']:>12,.0f}{r['score_speedup']:>9.1f}x  "
            f"{'PASS' if ok_s else 'FAIL'} (>= 6x, {r['score_vs_numpy']:.2f}x numpy)",
            f"  {'holdout AUC':<32}{a['ours']:>12.4f}{a['optbinning']:>12.4f}{'':>12}"
            f"{a['ours'] - a['optbinning']:>+10.4f}  {'PASS' if ok_auc else 'FAIL'} (>= -0.002)",
            f"  optbinning stages: binning {r['optbinning_stages']['binning_process']:.2f} s, "
            f"logistic regression {r['optbinning_stages']['estimator']:.2f} s",
            "",
        ]
    b = result["wide_binning"]
    best = min(b["optb-1"]["seconds"], b["optb-2"]["seconds"])
    peak_optb = min(
        b["optb-1"]["peak_growth_mb"],
        b["optb-2"]["peak_growth_mb"] + b["optb-2"]["children_peak_mb"],
    )
    names = {
        "ours": "bin_features",
        "ours-2": "bin_features n_jobs=2",
        "optb-1": "BinningProcess n_jobs=1",
        "optb-2": "BinningProcess n_jobs=2",
    }
    lines += [
        f"wide, binning alone ({result['wide_rows']:,} rows x 300 features; fresh process each)",
        f"  {'':<28}{'seconds':>10}{'peak growth MB':>16}",
    ]
    for task, r in b.items():
        kids = (
            f" (+ {r['children_peak_mb']:.0f} in its largest worker)" if task.endswith("-2") else ""
        )
        lines.append(f"  {names[task]:<28}{r['seconds']:>10.2f}{r['peak_growth_mb']:>16.0f}{kids}")
    for task in [t for t in b if t.startswith("ours")]:
        r = b[task]
        peak = r["peak_growth_mb"] + (r["children_peak_mb"] if task.endswith("-2") else 0.0)
        lines.append(
            f"  {names[task]}: time / best optbinning {r['seconds'] / best:.3f} "
            f"({'PASS' if r['seconds'] / best <= GOALS['bin_ratio'] else 'FAIL'}, <= 0.333); "
            f"resident peak growth / optbinning's smaller {peak / peak_optb:.2f}"
        )
    t = result.get("wide_binning_traced")
    if t:
        ours, optb = t["traced-ours"], t["traced-optb"]
        ratio = ours["traced_peak_mb"] / optb["traced_peak_mb"]
        lines += [
            "  allocations during the fit (tracemalloc, fresh process each): peak MB, kept MB",
            f"  {'bin_features':<28}{ours['traced_peak_mb']:>10.2f}{ours['kept_mb']:>16.2f}",
            f"  {'BinningProcess n_jobs=1':<28}{optb['traced_peak_mb']:>10.2f}"
            f"{optb['kept_mb']:>16.2f}",
            f"  bin_features: allocation peak / BinningProcess's {ratio:.3f} "
            f"({'PASS' if ratio <= 0.5 else 'FAIL'}, <= 0.5)",
        ]
    return "\n".join(lines)


if __name__ == "__main__" and len(sys.argv) == 4 and sys.argv[1] == "--child":
    sys.path.insert(0, str(HERE))
    print(json.dumps(child(sys.argv[2], int(sys.argv[3]))))
