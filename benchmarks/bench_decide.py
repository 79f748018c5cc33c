"""Decide benchmark: the point of decision, one applicant at a time and in batches.

A loan-origination or receivables system loads a saved card and policy and decides one
applicant at a time from a dict. This benchmark times that path on the bundled German
credit data, with a card fitted by ``fit_scorecard`` and a policy with two knock-out rules,
three limit components and terms per grade:

* **one applicant, no model** (``CreditPolicy.decide_one(dict)`` with the score and PD in
  the dict): the policy alone;
* **one applicant, with the card** (``decide_one(dict, model=card)``): score, PD, reason
  codes and the policy;
* side by side, **optbinning's** ``Scorecard.score`` of the same applicant as a one-row
  frame (a card fitted by optbinning on the same data), which scores but decides nothing;
* **a batch**: ``decide(frame, model=card)`` over the 1,000 applicants repeated to
  ``rows`` rows, in rows per second.

Latencies are the median of many calls (``timeit``, best of 5 repeats of the median-sized
loop); the ratio is ours / optbinning's (below 1: ours is faster although it does more).
"""

from __future__ import annotations

import statistics
import timeit
import warnings
from typing import Any

import numpy as np
import pandas as pd

NAME = "decide"
DEFAULT_ROWS = 200_000
CALLS = 300
REPEATS = 5


def _policy(card: Any) -> Any:
    from scorecard import CreditPolicy, GradeScale
    from scorecard.policy import (
        CapacityCap,
        ExpectedLossCap,
        NeedLimit,
        Rule,
        ScoreCutoffs,
        Terms,
    )

    scale = GradeScale.from_pd_boundaries(
        [0.05, 0.10, 0.20, 0.35, 1.0], ["A", "B", "C", "D", "E"], card.scaling
    )
    return CreditPolicy(
        grade_scale=scale,
        cutoffs=ScoreCutoffs(approve=scale.score_range("C")[0], refer=scale.score_range("D")[0]),
        rules=(
            Rule("age_in_years", "<", 18, code="KO01"),
            Rule("foreign_worker", "==", "no", code="KO02", missing="refer"),
        ),
        limits=(
            NeedLimit("requested", field="credit_amount"),
            CapacityCap("capacity", field="credit_amount", share={"A": 2.0, "B": 0.9, "C": 0.8}),
            ExpectedLossCap("el_budget", budget={"A": 400, "B": 400, "C": 300}),
        ),
        terms={g: Terms("monthly instalments") for g in scale.names},
        cap=20_000,
        floor=500,
        unit=100,
    )


def _per_call(fn: Any) -> float:
    """Seconds per call: the best of REPEATS loops of CALLS calls."""
    return min(timeit.repeat(fn, number=CALLS, repeat=REPEATS)) / CALLS


def _decide_one(policy: Any) -> Any:
    """``decide_one`` where it exists, else the older ``decide(dict)``."""
    return getattr(policy, "decide_one", policy.decide)


def run(rows: int | None) -> dict[str, Any]:
    from optbinning import BinningProcess
    from optbinning import Scorecard as OptbScorecard
    from sklearn.linear_model import LogisticRegression

    from scorecard import fit_scorecard
    from scorecard.datasets import load_german_credit

    n = DEFAULT_ROWS if rows is None else rows
    df = load_german_credit()
    card = fit_scorecard(df, "bad", seed=0).scorecard
    policy = _policy(card)
    decide_one = _decide_one(policy)
    X = df.drop(columns="bad")
    scores = card.score(X)
    pds = card.predict_pd(X)
    apps = X.to_dict("records")
    with_score = [{**a, "score": float(s), "pd": float(p)} for a, s, p in zip(apps, scores, pds)]

    # one applicant: a few different applicants, the median latency over them
    picks = [0, 1, 17, 123, 999]
    no_model = statistics.median(_per_call(lambda a=with_score[i]: decide_one(a)) for i in picks)
    model = statistics.median(_per_call(lambda a=apps[i]: decide_one(a, model=card)) for i in picks)

    cats = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ob = OptbScorecard(
            binning_process=BinningProcess(list(X.columns), categorical_variables=cats),
            estimator=LogisticRegression(max_iter=1000),
            scaling_method="pdo_odds",
            scaling_method_params={"pdo": 20, "odds": 50, "scorecard_points": 600},
        ).fit(X, df["bad"])
        one_rows = [X.iloc[[i]] for i in picks]
        optb = statistics.median(_per_call(lambda r=r: ob.score(r)) for r in one_rows)

    reps = -(-n // len(X))
    big = pd.concat([X] * reps, ignore_index=True).iloc[:n]
    t_batch = min(timeit.repeat(lambda: policy.decide(big, model=card), number=1, repeat=3))
    return {
        "rows": n,
        "one_no_model_us": no_model * 1e6,
        "one_model_us": model * 1e6,
        "optbinning_score_one_us": optb * 1e6,
        "ratio_one_model_vs_optbinning": model / optb,
        "batch_rows_per_s": n / t_batch,
        "decisions": {
            k: int(v) for k, v in policy.decide(X, model=card)["decision"].value_counts().items()
        },
        "numpy": np.__version__,
    }


def report(r: dict[str, Any]) -> str:
    return "\n".join(
        [
            "German credit card + a policy (2 rules, 3 limit components), per call:",
            f"  one applicant from a dict, no model        {r['one_no_model_us']:9.1f} us",
            f"  one applicant from a dict, with the card   {r['one_model_us']:9.1f} us",
            f"  optbinning Scorecard.score, one-row frame  {r['optbinning_score_one_us']:9.1f} us",
            f"  ratio (ours with card / optbinning score)  {r['ratio_one_model_vs_optbinning']:9.3f}",
            f"batch decide(frame, model=card), {r['rows']:,} rows: "
            f"{r['batch_rows_per_s']:,.0f} rows/s",
            f"decisions on the 1,000 applicants: {r['decisions']}",
        ]
    )
