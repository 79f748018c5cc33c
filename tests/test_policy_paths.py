"""One evaluator, two paths: a frame (numpy) and one applicant (Python scalars) agree.

Random policies (every rule op on numbers, booleans and text, every missing action, every
limit component, score or grade cut-offs, a floor that refers or declines) decide random
applicants (missing values, numpy scalars, booleans, ints and floats mixed), once as a
frame and once applicant by applicant: the decisions are equal, row for row.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard.exceptions import DataError
from scorecard.policy import (
    CapacityCap,
    CreditPolicy,
    Decision,
    ExpectedLossCap,
    ExternalLimit,
    GradeCutoffs,
    NeedLimit,
    Rule,
    ScoreCutoffs,
    Terms,
)
from scorecard.policy._grades import GradeScale

GRADES = ["A", "B", "C", "D"]
SCALE = GradeScale.from_cutoffs([700, 650, 600], GRADES, pds=[0.01, 0.02, 0.05, 0.2])

# ---------------------------------------------------------------------------------------------
# Random policies
# ---------------------------------------------------------------------------------------------

NUMBER_OPS = ["==", "!=", "<", "<=", ">", ">=", "in", "not in", "is_missing", "is_true", "is_false"]
TEXT_OPS = ["==", "!=", "in", "not in", "is_missing"]
BOOL_OPS = ["is_true", "is_false", "is_missing", "==", "!="]
WORDS = ["a", "b", "c"]


@st.composite
def rules(draw: Any, code: str) -> Rule:
    field = draw(st.sampled_from(["n1", "n2", "s", "b"]))
    if field == "s":
        op = draw(st.sampled_from(TEXT_OPS))
        one = st.sampled_from(WORDS)
    elif field == "b":
        op = draw(st.sampled_from(BOOL_OPS))
        one = st.booleans()
    else:
        op = draw(st.sampled_from(NUMBER_OPS))
        one = st.sampled_from([-1, 0, 1, 2.5, 10])
    if op in ("is_missing", "is_true", "is_false"):
        value = None
    elif op in ("in", "not in"):
        value = draw(st.lists(one, min_size=1, max_size=3, unique=True))
    else:
        value = draw(one)
    return Rule(
        field,
        op,
        value,
        code=code,
        missing=draw(st.sampled_from(["knock_out", "pass", "refer"])),
        overridable=draw(st.booleans()),
    )


def by_grade() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from([0.0, 0.5, 1.0, 2.0]),
        st.dictionaries(st.sampled_from(GRADES), st.sampled_from([0.1, 0.5, 1.5]), min_size=1),
    )


@st.composite
def limits(draw: Any) -> list[Any]:
    out: list[Any] = []
    if draw(st.booleans()):
        out.append(NeedLimit("need", field="amount", multiplier=draw(by_grade())))
    if draw(st.booleans()):
        out.append(CapacityCap("capacity", field="worth", share=draw(by_grade())))
    if draw(st.booleans()):
        budget = draw(st.one_of(st.just(300.0), st.just({"A": 500.0, "C": 100.0})))
        out.append(ExpectedLossCap("el", budget=budget))
    if draw(st.booleans()):
        out.append(ExternalLimit("insured", field="insured"))
    return draw(st.permutations(out))


@st.composite
def policies(draw: Any) -> CreditPolicy:
    n_rules = draw(st.integers(0, 4))
    cutoffs = draw(
        st.sampled_from(
            [
                ScoreCutoffs(approve=660, refer=620),
                ScoreCutoffs(approve=640),
                GradeCutoffs(approve=["A", "B"], refer=["C"]),
                GradeCutoffs(approve=["A"]),
            ]
        )
    )
    cap = draw(st.sampled_from([1_000.0, 50_000.0]))
    return CreditPolicy(
        grade_scale=SCALE,
        cutoffs=cutoffs,
        rules=[draw(rules(f"KO{i}")) for i in range(n_rules)],
        limits=draw(limits()),
        cap=cap,
        floor=draw(st.sampled_from([0.0, 500.0])),
        unit=draw(st.sampled_from([1.0, 100.0, 0.01])),
        below_floor=draw(st.sampled_from(["refer", "decline"])),
        lgd=draw(st.sampled_from([0.45, {"A": 0.3, "B": 0.4, "C": 0.5, "D": 1.0}])),
        ccf=draw(st.sampled_from([1.0, 0.75])),
        terms={g: Terms(f"terms {g}") for g in GRADES},
        reason_fields=draw(st.sampled_from([(), ("r1",), ("r1", "r2")])),
    )


# ---------------------------------------------------------------------------------------------
# Random applicants (each field keeps one kind, as a frame column would)
# ---------------------------------------------------------------------------------------------

missing = st.sampled_from([None, math.nan, np.nan])
number = st.one_of(
    st.integers(-3, 12),
    st.floats(-3, 12, allow_nan=False),
    st.integers(-3, 12).map(np.int64),
    st.floats(-3, 12, allow_nan=False).map(np.float64),
)
amount = st.one_of(
    st.floats(0, 1e6, allow_nan=False),
    st.integers(0, 10**6),
    st.sampled_from([0.0, -0.0, 123.45, 1e-9]),
)


@st.composite
def applicants(draw: Any) -> dict[str, Any]:
    def maybe(strategy: st.SearchStrategy[Any]) -> Any:
        return draw(st.one_of(missing, strategy) if draw(st.integers(0, 3)) == 0 else strategy)

    return {
        "n1": maybe(number),
        "n2": maybe(number),
        "s": maybe(st.sampled_from([*WORDS, "z"])),
        "b": draw(st.one_of(st.none(), st.booleans(), st.booleans().map(np.bool_))),
        "amount": maybe(amount),
        "worth": maybe(st.floats(-1e6, 1e6, allow_nan=False)),
        "insured": maybe(amount),
        "score": draw(st.floats(550, 750, allow_nan=False)),
        "pd": maybe(st.floats(0, 1)),
        "r1": maybe(st.sampled_from(["R1", "R2", ""])),
        "r2": maybe(st.sampled_from(["R3"])),
    }


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    # a column of booleans and None is what pandas gives for such a dict column
    frame["b"] = frame["b"].astype(object)
    return frame


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(policies(), st.lists(applicants(), min_size=1, max_size=12))
def test_frame_and_applicant_paths_agree(policy: CreditPolicy, rows: list[dict[str, Any]]) -> None:
    table = policy.decide(_frame(rows))
    ones = [policy.decide_one(r) for r in rows]
    assert ones == policy.records(table)
    # and the records of the table round-trip
    assert policy.records(policy.table(ones)) == ones


@settings(max_examples=100)
@given(policies(), applicants())
def test_a_missing_score_is_refused_on_both_paths_unless_knocked_out(
    policy: CreditPolicy, row: dict[str, Any]
) -> None:
    row = {**row, "score": None}
    try:
        one: Decision | DataError = policy.decide_one(row)
    except DataError as exc:
        one = exc
    try:
        table: pd.DataFrame | DataError = policy.decide(_frame([row]))
    except DataError as exc:
        table = exc
    if isinstance(one, DataError):
        assert isinstance(table, DataError)
        assert "missing scores" in str(one) and "missing scores" in str(table)
    else:
        assert isinstance(table, pd.DataFrame)
        assert one.knocked_out and [one] == policy.records(table)


def test_decide_with_a_mapping_is_deprecated() -> None:
    policy = CreditPolicy(
        grade_scale=SCALE,
        cutoffs=ScoreCutoffs(approve=650),
        cap=1_000,
        terms={g: Terms("net 30") for g in GRADES},
    )
    with pytest.warns(DeprecationWarning, match="decide_one"):
        d = policy.decide({"score": 700.0})
    assert d == policy.decide_one({"score": 700.0})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # not a ScorecardWarning: only DeprecationWarning
        with pytest.raises(DeprecationWarning):
            policy.decide({"score": 700.0})
    with pytest.raises(DataError, match="decide_one"):
        policy.decide([{"score": 700.0}])  # type: ignore[call-overload]
