"""Every field of every policy value class refuses bad values with a SpecificationError.

The message names the class (and, for a named object, its name) and the field, says what
was expected and what was found: ``NeedLimit 'need'.multiplier['A']: expected a finite
number >= 0, found -1.0``.  No bad value gets through as a bare TypeError or ValueError of
a converter (``float(None)``, ``float("x")``, ``tuple(5)``).
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable
from typing import Any

import pytest

from scorecard.exceptions import SpecificationError
from scorecard.policy import (
    CapacityCap,
    CreditPolicy,
    ExpectedLossCap,
    ExternalLimit,
    GradeCutoffs,
    NeedLimit,
    Override,
    Rule,
    ScoreCutoffs,
    Terms,
)
from scorecard.policy._grades import GradeScale

SCALE = GradeScale.from_cutoffs([600], ["A", "B"], pds=[0.01, 0.05])
TERMS = {"A": Terms("net 30"), "B": Terms("net 15")}


def policy(**changes: Any) -> CreditPolicy:
    kw: dict[str, Any] = {
        "grade_scale": SCALE,
        "cutoffs": ScoreCutoffs(approve=600),
        "terms": TERMS,
        "cap": 1_000,
        "rules": [Rule("age", "<", 18, code="KO01")],
    }
    return CreditPolicy(**{**kw, **changes})


def rule(**changes: Any) -> Rule:
    kw: dict[str, Any] = {"field": "age", "op": "<", "value": 18, "code": "KO01"}
    return Rule(**{**kw, **changes})


BAD: list[tuple[str, str, Callable[[], Any]]] = [
    # (class as named in the message, field, construction)
    ("Rule 'KO01'", "field", lambda: rule(field="")),
    ("Rule 'KO01'", "field", lambda: rule(field=5)),
    ("Rule 'KO01'", "field", lambda: rule(field="a;b")),
    ("Rule 'KO01'", "op", lambda: rule(op="=>")),
    ("Rule 'KO01'", "op", lambda: rule(op=None)),
    ("Rule 'KO01'", "value", lambda: rule(value="18")),
    ("Rule 'KO01'", "value", lambda: rule(value=math.nan)),
    ("Rule 'KO01'", "value", lambda: rule(op="in", value=[])),
    ("Rule 'KO01'", "value", lambda: rule(op="in", value=[1, "a"])),
    ("Rule 'KO01'", "value", lambda: rule(op="in", value=[None])),
    ("Rule 'KO01'", "value", lambda: rule(op="==", value={"a": 1})),
    ("Rule 'KO01'", "value", lambda: rule(op="is_missing", value=0)),
    ("Rule", "code", lambda: rule(code="")),
    ("Rule", "code", lambda: rule(code=7)),
    ("Rule 'K;1'", "code", lambda: rule(code="K;1")),
    ("Rule 'KO01'", "text", lambda: rule(text=None)),
    ("Rule 'KO01'", "missing", lambda: rule(missing="ignore")),
    ("Rule 'KO01'", "overridable", lambda: rule(overridable="yes")),
    ("Rule 'KO01'", "overridable", lambda: rule(overridable=1)),
    ("ScoreCutoffs", "approve", lambda: ScoreCutoffs(approve=None)),
    ("ScoreCutoffs", "approve", lambda: ScoreCutoffs(approve="x")),
    ("ScoreCutoffs", "approve", lambda: ScoreCutoffs(approve=True)),
    ("ScoreCutoffs", "approve", lambda: ScoreCutoffs(approve=math.inf)),
    ("ScoreCutoffs", "refer", lambda: ScoreCutoffs(approve=600, refer=None)),
    ("ScoreCutoffs", "refer", lambda: ScoreCutoffs(approve=600, refer="x")),
    ("ScoreCutoffs", "refer", lambda: ScoreCutoffs(approve=600, refer=620)),
    ("GradeCutoffs", "approve", lambda: GradeCutoffs(approve=None)),
    ("GradeCutoffs", "approve", lambda: GradeCutoffs(approve=5)),
    ("GradeCutoffs", "approve", lambda: GradeCutoffs(approve=[])),
    ("GradeCutoffs", "approve", lambda: GradeCutoffs(approve=["A", "A"])),
    ("GradeCutoffs", "approve", lambda: GradeCutoffs(approve=[""])),
    ("GradeCutoffs", "refer", lambda: GradeCutoffs(approve=["A"], refer=5)),
    ("GradeCutoffs", "refer", lambda: GradeCutoffs(approve=["A"], refer=[1])),
    ("GradeCutoffs", "refer", lambda: GradeCutoffs(approve=["A"], refer=["A"])),
    ("NeedLimit", "name", lambda: NeedLimit("", field="x")),
    ("NeedLimit '1x'", "name", lambda: NeedLimit("1x", field="x")),
    ("NeedLimit 'cap'", "name", lambda: NeedLimit("cap", field="x")),
    ("NeedLimit", "name", lambda: NeedLimit(5, field="x")),
    ("NeedLimit 'need'", "field", lambda: NeedLimit("need", field=None)),
    ("NeedLimit 'need'", "multiplier", lambda: NeedLimit("need", field="x", multiplier=-1)),
    ("NeedLimit 'need'", "multiplier", lambda: NeedLimit("need", field="x", multiplier="2")),
    ("NeedLimit 'need'", "multiplier", lambda: NeedLimit("need", field="x", multiplier=None)),
    ("NeedLimit 'need'", "multiplier", lambda: NeedLimit("need", field="x", multiplier={})),
    (
        "NeedLimit 'need'",
        r"multiplier\['A'\]",
        lambda: NeedLimit("need", field="x", multiplier={"A": math.inf}),
    ),
    ("NeedLimit 'need'", "multiplier", lambda: NeedLimit("need", field="x", multiplier={1: 2})),
    ("CapacityCap 'c'", "field", lambda: CapacityCap("c", field="", share=0.3)),
    ("CapacityCap 'c'", "share", lambda: CapacityCap("c", field="x", share=None)),
    ("CapacityCap 'c'", r"share\['B'\]", lambda: CapacityCap("c", field="x", share={"B": -0.1})),
    ("ExpectedLossCap 'el'", "budget", lambda: ExpectedLossCap("el", budget=0)),
    ("ExpectedLossCap 'el'", "budget", lambda: ExpectedLossCap("el", budget="500")),
    ("ExpectedLossCap 'my budget'", "name", lambda: ExpectedLossCap("my budget", budget=500)),
    ("ExternalLimit 'none'", "name", lambda: ExternalLimit("none", field="x")),
    ("ExternalLimit 'ins'", "field", lambda: ExternalLimit("ins", field=3)),
    ("Terms", "payment_terms", lambda: Terms(None)),
    ("Terms", "payment_terms", lambda: Terms("")),
    ("Terms", "payment_days", lambda: Terms("net 30", payment_days=-1)),
    ("Terms", "payment_days", lambda: Terms("net 30", payment_days=30.5)),
    ("Terms", "payment_days", lambda: Terms("net 30", payment_days="30")),
    ("Terms", "security", lambda: Terms("net 30", security=5)),
    ("Terms", "security", lambda: Terms("net 30", security=[""])),
    ("Terms", "security", lambda: Terms("net 30", security=["a;b"])),
    ("Terms", "review_months", lambda: Terms("net 30", review_months=0)),
    ("Terms", "review_months", lambda: Terms("net 30", review_months=None)),
    ("Terms", "review_months", lambda: Terms("net 30", review_months=True)),
    ("Override", "decision", lambda: Override("refer", "low_side", "x")),
    ("Override", "direction", lambda: Override("approve", "sideways", "x")),
    ("Override", "reason", lambda: Override("approve", "low_side", "")),
    ("Override", "reason", lambda: Override("approve", "low_side", None)),
    ("Override", "by", lambda: Override("approve", "low_side", "x", by=None)),
    ("CreditPolicy", "grade_scale", lambda: policy(grade_scale=None)),
    ("CreditPolicy", "cutoffs", lambda: policy(cutoffs={"approve": 600})),
    ("CreditPolicy", "terms", lambda: policy(terms=None)),
    ("CreditPolicy", "terms", lambda: policy(terms=5)),
    ("CreditPolicy", "terms", lambda: policy(terms=["net 30"])),
    ("CreditPolicy", r"terms\['A'\]", lambda: policy(terms={"A": "net 30", "B": TERMS["B"]})),
    ("CreditPolicy", "terms", lambda: policy(terms={"A": TERMS["A"]})),
    ("CreditPolicy", "cap", lambda: policy(cap=None)),
    ("CreditPolicy", "cap", lambda: policy(cap="1000")),
    ("CreditPolicy", "cap", lambda: policy(cap=-5)),
    ("CreditPolicy", "rules", lambda: policy(rules=5)),
    ("CreditPolicy", r"rules\[0\]", lambda: policy(rules=[None])),
    ("CreditPolicy", "limits", lambda: policy(limits=5)),
    ("CreditPolicy", r"limits\[0\]", lambda: policy(limits=["need"])),
    ("CreditPolicy", "floor", lambda: policy(floor=None)),
    ("CreditPolicy", "floor", lambda: policy(floor=2_000)),
    ("CreditPolicy", "unit", lambda: policy(unit="100")),
    ("CreditPolicy", "below_floor", lambda: policy(below_floor=None)),
    ("CreditPolicy", "floor_code", lambda: policy(floor_code="")),
    ("CreditPolicy", "floor_code", lambda: policy(floor_code=5)),
    ("CreditPolicy", "floor_code", lambda: policy(floor_code="KO01")),
    ("CreditPolicy", "lgd", lambda: policy(lgd=None)),
    ("CreditPolicy", "lgd", lambda: policy(lgd="0.45")),
    ("CreditPolicy", r"lgd\['A'\]", lambda: policy(lgd={"A": 2.0, "B": 0.5})),
    ("CreditPolicy", "ccf", lambda: policy(ccf=None)),
    ("CreditPolicy", "ccf", lambda: policy(ccf=1.5)),
    ("CreditPolicy", "score_field", lambda: policy(score_field=None)),
    ("CreditPolicy", "pd_field", lambda: policy(pd_field="")),
    ("CreditPolicy", "reason_fields", lambda: policy(reason_fields=5)),
    ("CreditPolicy", "reason_fields", lambda: policy(reason_fields=["r1", ""])),
    ("CreditPolicy", "n_reasons", lambda: policy(n_reasons=None)),
    ("CreditPolicy", "n_reasons", lambda: policy(n_reasons=2.5)),
    ("CreditPolicy", "name", lambda: policy(name=None)),
    ("CreditPolicy", "version", lambda: policy(version=2)),
]


@pytest.mark.parametrize(("owner", "field", "make"), BAD, ids=[f"{o}.{f}" for o, f, _ in BAD])
def test_bad_value_names_class_and_field(owner: str, field: str, make: Callable[[], Any]) -> None:
    with pytest.raises(SpecificationError) as info:
        make()
    message = str(info.value)
    assert re.match(rf"{re.escape(owner)}\.{field}(?![A-Za-z_])", message), message
    assert "expected" in message and "found" in message, message


def test_score_cutoffs_bad_approve_is_a_specification_error_not_a_bare_builtin() -> None:
    for bad in (None, "x"):
        with pytest.raises(SpecificationError, match="ScoreCutoffs.approve: expected a finite"):
            ScoreCutoffs(approve=bad)


def test_good_values_are_normalized() -> None:
    import numpy as np

    assert ScoreCutoffs(approve=np.int64(600)).approve == 600.0
    assert isinstance(ScoreCutoffs(approve=np.int64(600)).approve, float)
    assert Terms("x", payment_days=np.int64(30), review_months=np.int32(6)) == Terms(
        "x", payment_days=30, review_months=6
    )
    assert GradeCutoffs(approve="A").approve == ("A",)
    assert NeedLimit("n", field="x", multiplier={"B": 2, "A": np.float32(1.5)}).multiplier == (
        ("A", 1.5),
        ("B", 2.0),
    )
    p = policy(cap=np.int64(1_000), n_reasons=np.int64(2), rules=iter([]))
    assert (p.cap, p.n_reasons, p.rules) == (1_000.0, 2, ())


def test_decision_records_load_only_as_decisions_or_schema_errors() -> None:
    """Every field of a decision's JSON replaced by wrongly typed values: a Decision or a
    SchemaError naming the field, never a leaked TypeError/ValueError."""
    import copy

    from scorecard.exceptions import SchemaError
    from scorecard.policy import Decision

    base = Decision.from_dict(_a_decision().to_dict()).to_dict()
    bad_values: list[Any] = [None, "x", True, -1, 1.5, [], {}, [[]], {"a": 1}]

    def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        out = [prefix] if prefix else []
        if isinstance(value, dict):
            for k, v in value.items():
                out += paths(v, (*prefix, k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                out += paths(v, (*prefix, i))
        return out

    for path in paths(base):
        for bad in bad_values:
            body = copy.deepcopy(base)
            node = body
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = bad
            with contextlib.suppress(SchemaError):
                Decision.from_dict(body)
    with pytest.raises(SchemaError, match="decision"):
        Decision.from_dict({**base, "decision": "maybe"})


def _a_decision() -> Any:
    from scorecard import GradeScale
    from scorecard.policy import CapacityCap, CreditPolicy, NeedLimit, ScoreCutoffs, Terms

    scale = GradeScale.from_cutoffs([600], ["A", "B"], pds=[0.01, 0.05])
    policy = CreditPolicy(
        grade_scale=scale,
        cutoffs=ScoreCutoffs(approve=600),
        limits=[
            NeedLimit("need", field="amount"),
            CapacityCap("income", field="income", share=0.3),
        ],
        terms={g: Terms("net 30", payment_days=30) for g in "AB"},
        cap=10_000,
    )
    return policy.decide_one({"score": 650, "amount": 5_000, "income": 20_000})
