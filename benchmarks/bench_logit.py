"""Logit benchmark: ``fit_logit`` and ``select_stepwise``, each speed switch on and off.

The engine's speed devices are the switches of ``scorecard._model.newton.Tuning``. This
benchmark times three tasks with the default tuning and with one switch turned off at a
time, side by side in one run:

* ``fit``: ``fit_logit`` on every (non-constant) feature;
* ``pvalue``: ``select_stepwise(method="stepwise", criterion="pvalue")`` (score test to
  enter, Wald test to remove);
* ``aic``: ``select_stepwise(method="stepwise", criterion="aic")`` (a trial fit per
  candidate and per removal).

on three data sets:

* ``credit``: the WOE of ``make_credit_data(rows, seed=1)`` binned by ``bin_features``
  (the 25 ``FEATURES``, special codes in their own bins): 3 to 13 distinct values per
  feature; a few features group the rows well, all 25 do not;
* ``german``: the WOE of the bundled German credit data (1,000 rows, 20 features);
* ``no_ties``: ``rows // 2`` rows of 40 WOE-like features with 40 distinct values each
  (15 with a true effect): beyond two or three features every row is distinct, so
  grouping never pays.

Each configuration of a task is timed ``REPEATS`` times in turn (round robin, so a burst
of load from other processes hits every configuration alike) and the fastest run is
kept. A switch's *gain* is ``time off / time on - 1``: how much slower the task is
without it. Every configuration must give the same selected features and the same
log-likelihood to 1e-6 (checked). Only switches that can act on a task are timed on it.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from typing import Any

import attrs
import numpy as np
import pandas as pd

NAME = "logit"
DEFAULT_ROWS = 200_000
REPEATS = 3
#: switch name -> the value that turns it off
SWITCHES: dict[str, Any] = {
    "group_rows": False,
    "remember_ungroupable": False,
    "design_buffer": False,
    "gram_chunk": None,
    "reuse_hessian": False,
    "coarse_ll_tol": None,
    "single_thread_blas": False,
}
#: switches that can act on each task (the others leave it unchanged)
ACTS_ON = {
    "fit": ("group_rows", "gram_chunk", "single_thread_blas"),
    "pvalue": (
        "group_rows",
        "remember_ungroupable",
        "design_buffer",
        "gram_chunk",
        "reuse_hessian",
        "single_thread_blas",
    ),
    # two BLAS threads under contention: 10x slower (about 45 s here), so not timed
    "aic": (
        "group_rows",
        "remember_ungroupable",
        "design_buffer",
        "gram_chunk",
        "reuse_hessian",
        "coarse_ll_tol",
    ),
}


def _credit(rows: int) -> tuple[pd.DataFrame, np.ndarray]:
    from scorecard import BinningSpec, bin_features
    from scorecard.datasets import FEATURES, SPECIAL_CODES, make_credit_data

    df = make_credit_data(rows, seed=1)
    specs = {name: BinningSpec(special_codes=codes) for name, codes in SPECIAL_CODES.items()}
    binning = bin_features(df, "bad", features=list(FEATURES), specs=specs)
    return binning.transform(df), df["bad"].to_numpy()


def _german() -> tuple[pd.DataFrame, np.ndarray]:
    from scorecard import bin_features
    from scorecard.datasets import load_german_credit

    df = load_german_credit()
    return bin_features(df, "bad").transform(df), df["bad"].to_numpy()


def _no_ties(rows: int, n_features: int = 40, levels: int = 40) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(7)
    cols = {}
    eta = np.full(rows, -2.0)
    for j in range(n_features):
        values = np.sort(rng.normal(0.0, 0.6, levels))
        x = values[rng.integers(0, levels, rows)]
        cols[f"f{j:02d}"] = x
        if j < 15:
            eta -= rng.uniform(0.3, 1.0) * x
    y = (rng.random(rows) < 1.0 / (1.0 + np.exp(-eta))).astype(int)
    return pd.DataFrame(cols), y


def _task(
    name: str, X: pd.DataFrame, y: np.ndarray
) -> Callable[[Any], tuple[tuple[str, ...], float]]:
    """The task as a function of the tuning, returning (features, llf)."""
    from scorecard._model.logit import _fit_logit
    from scorecard._model.stepwise import _select_stepwise

    features = [str(c) for c in X.columns if X[c].nunique() > 1]

    def run(tuning: Any) -> tuple[tuple[str, ...], float]:
        if name == "fit":
            res = _fit_logit(
                X,
                y,
                sample_weight=None,
                features=features,
                engine="numpy",
                max_iter=100,
                tuning=tuning,
            )
            return res.features, res.llf
        path = _select_stepwise(
            X,
            y,
            method="stepwise",
            criterion=name,  # type: ignore[arg-type]
            test="score",
            sample_weight=None,
            features=None,
            p_enter=0.05,
            p_remove=0.10,
            force=(),
            max_features=None,
            sign_gate=True,
            max_pvalue=None,
            tuning=tuning,
        )
        return path.features, path.result.llf

    return run


def _time_task(run: Callable[[Any], tuple[tuple[str, ...], float]], task: str) -> dict[str, Any]:
    from scorecard._model.newton import TUNING

    configs = {"default": TUNING} | {
        f"{s} off": attrs.evolve(TUNING, **{s: SWITCHES[s]}) for s in ACTS_ON[task]
    }
    best = dict.fromkeys(configs, float("inf"))
    outputs: dict[str, tuple[tuple[str, ...], float]] = {}
    for _ in range(REPEATS):
        for label, tuning in configs.items():
            t0 = time.perf_counter()
            outputs[label] = run(tuning)
            best[label] = min(best[label], time.perf_counter() - t0)
    ref_features, ref_llf = outputs["default"]
    same = all(
        f == ref_features and abs(llf - ref_llf) <= 1e-6 * max(1.0, abs(ref_llf))
        for f, llf in outputs.values()
    )
    return {
        "seconds": best,
        "gain": {label: best[label] / best["default"] - 1.0 for label in configs},
        "n_features": len(ref_features),
        "same_result": same,
    }


def run(rows: int | None = None) -> dict[str, Any]:
    """Time every task on every data set (``rows`` credit rows, default 200,000)."""
    from scorecard._model.newton import TUNING
    from scorecard.exceptions import ScorecardWarning

    n = DEFAULT_ROWS if rows is None else int(rows)
    data = {"credit": _credit(n), "german": _german(), "no_ties": _no_ties(n // 2)}
    small = _credit(5_000)
    results: dict[str, Any] = {"rows": n, "repeats": REPEATS, "data": {}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScorecardWarning)  # wrong signs of noise features
        for task in ACTS_ON:  # warm-up: imports and first calls
            _task(task, *small)(TUNING)
        for name, (X, y) in data.items():
            results["data"][name] = {
                "shape": list(X.shape),
                "tasks": {task: _time_task(_task(task, X, y), task) for task in ACTS_ON},
            }
    return results


def report(result: dict[str, Any]) -> str:
    lines = [
        f"Each switch of Tuning off in turn; best of {result['repeats']} round-robin runs; "
        "gain = time off / time on - 1 (how much slower without it)."
    ]
    for name, d in result["data"].items():
        rows, cols = d["shape"]
        lines.append(f"\n{name}: {rows:,} rows x {cols} features")
        tasks = d["tasks"]
        labels = list(dict.fromkeys(lab for t in tasks.values() for lab in t["seconds"]))
        head = f"  {'':24s}" + "".join(f"{t:>18s}" for t in tasks)
        lines.append(head)
        for label in labels:
            cells = []
            for t in tasks.values():
                if label not in t["seconds"]:
                    cells.append(f"{'-':>18s}")
                    continue
                s = t["seconds"][label]
                gain = "" if label == "default" else f" ({t['gain'][label]:+.0%})"
                cells.append(f"{s:9.3f}s{gain:>8s}")
            lines.append(f"  {label:24s}" + "".join(cells))
        lines.append(
            f"  {'features selected':24s}"
            + "".join(f"{t['n_features']:>18d}" for t in tasks.values())
        )
        lines.append(
            f"  {'same result':24s}"
            + "".join(f"{'yes' if t['same_result'] else 'NO':>18s}" for t in tasks.values())
        )
    return "\n".join(lines)
