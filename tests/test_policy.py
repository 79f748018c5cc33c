"""Credit policy: knock-outs, cut-offs, limit components, terms, EL, reasons, overrides, JSON.

Two example policies are used throughout, the same as in ``docs/policy.md``:

* ``consumer``: a personal loan, score cut-offs 620 (approve) / 580 (refer), limit = min of the
  requested amount, a share of annual income, an expected-loss budget; cap 25 000, floor 1 000,
  unit 100; below the floor declines.
* ``trade``: a supplier selling on credit to companies, decisions by grade (A-C approve, D
  refers, E declines), limit = min of months of sales (by grade), a share of net worth (by
  grade), a share of revenue, an EL budget (by grade), the credit insurer's limit; cap
  1 000 000, floor 5 000, unit 1 000; below the floor refers.

Every expected number is computed by hand in a comment next to it.
"""

from __future__ import annotations

import json
import timeit
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard._model.scaling import Scaling
from scorecard.exceptions import DataError, SchemaError, SpecificationError
from scorecard.policy import (
    OVERRIDE_DIRECTIONS,
    CapacityCap,
    CreditPolicy,
    Decision,
    ExpectedLossCap,
    ExternalLimit,
    GradeCutoffs,
    NeedLimit,
    Rule,
    ScoreCutoffs,
    ScoringModel,
    Terms,
)
from scorecard.policy._grades import GradeScale

# ---------------------------------------------------------------------------------------------
# The two example policies
# ---------------------------------------------------------------------------------------------


def consumer_policy(**changes: Any) -> CreditPolicy:
    scale = GradeScale.from_cutoffs(
        [680, 640, 600, 560], ["A", "B", "C", "D", "E"], pds=[0.005, 0.01, 0.02, 0.05, 0.15]
    )
    kw: dict[str, Any] = {
        "name": "personal loans",
        "version": "2024-06",
        "grade_scale": scale,
        "cutoffs": ScoreCutoffs(approve=620, refer=580),
        "rules": [
            Rule("age", "<", 18, code="KO01", text="Applicant under 18"),
            Rule("bankrupt", "is_true", code="KO02", text="Bankruptcy on file", missing="pass"),
            Rule(
                "residency",
                "not in",
                ["citizen", "resident"],
                code="KO03",
                text="Not resident",
                missing="refer",
                overridable=True,
            ),
        ],
        "limits": [
            NeedLimit("requested", field="requested_amount"),
            CapacityCap(
                "income", field="annual_income", share={"A": 0.30, "B": 0.30, "C": 0.25, "D": 0.20}
            ),
            ExpectedLossCap("el_budget", budget=300.0),
        ],
        "cap": 25_000,
        "floor": 1_000,
        "unit": 100,
        "below_floor": "decline",
        "lgd": 0.6,
        "terms": {
            "A": Terms("60 monthly instalments", review_months=24),
            "B": Terms("60 monthly instalments", review_months=12),
            "C": Terms("36 monthly instalments", security=["guarantor"], review_months=12),
            "D": Terms("24 monthly instalments", security=["guarantor"], review_months=6),
            "E": Terms("24 monthly instalments", security=["guarantor", "collateral"]),
        },
        "reason_fields": ["reason_1", "reason_2"],
    }
    kw.update(changes)
    return CreditPolicy(**kw)


def trade_policy(**changes: Any) -> CreditPolicy:
    scale = GradeScale.from_cutoffs(
        [660, 620, 580, 540], ["A", "B", "C", "D", "E"], pds=[0.004, 0.01, 0.025, 0.06, 0.18]
    )
    kw: dict[str, Any] = {
        "name": "trade credit",
        "grade_scale": scale,
        "cutoffs": GradeCutoffs(approve=["A", "B", "C"], refer=["D"]),
        "rules": [
            Rule("bankrupt", "is_true", code="KO01", text="Insolvency", missing="pass"),
            Rule("sanctions_hit", "is_true", code="KO02", text="Sanctions list"),
            Rule(
                "years_in_business",
                "<",
                2,
                code="KO03",
                text="Younger than 2 years",
                overridable=True,
            ),
            Rule("net_worth", "is_missing", code="KO04", text="No financial statements"),
            Rule("country", "in", ["IR", "KP", "SY"], code="KO05", text="Embargo", missing="pass"),
        ],
        "limits": [
            NeedLimit("need", field="monthly_sales", multiplier={"A": 3, "B": 2, "C": 1.5, "D": 1}),
            CapacityCap(
                "net_worth", field="net_worth", share={"A": 0.2, "B": 0.15, "C": 0.1, "D": 0.05}
            ),
            CapacityCap("revenue", field="annual_revenue", share=0.1),
            ExpectedLossCap("el_budget", budget={"A": 5000, "B": 5000, "C": 3000, "D": 2000}),
            ExternalLimit("insured", field="insured_limit"),
        ],
        "cap": 1_000_000,
        "floor": 5_000,
        "unit": 1_000,
        "below_floor": "refer",
        "lgd": {"A": 0.4, "B": 0.45, "C": 0.45, "D": 0.5, "E": 0.5},
        "terms": {
            "A": Terms("net 60", payment_days=60, review_months=12),
            "B": Terms("net 45", payment_days=45, review_months=12),
            "C": Terms("net 30", payment_days=30, security=["credit_insurance"], review_months=6),
            "D": Terms("net 15", payment_days=15, security=["letter_of_credit"], review_months=3),
            "E": Terms("cash in advance", review_months=3),
        },
    }
    kw.update(changes)
    return CreditPolicy(**kw)


CONSUMER = consumer_policy()
TRADE = trade_policy()

PERSON: dict[str, Any] = {
    "age": 35,
    "bankrupt": False,
    "residency": "citizen",
    "requested_amount": 12_000,
    "annual_income": 50_000,
    "score": 650,
    "reason_1": "R_UTIL",
    "reason_2": "R_DELINQ",
}

COMPANY: dict[str, Any] = {
    "bankrupt": False,
    "sanctions_hit": False,
    "years_in_business": 12,
    "net_worth": 2_000_000,
    "country": "DE",
    "monthly_sales": 50_000,
    "annual_revenue": 6_000_000,
    "insured_limit": None,
    "score": 680,
}


def person(**changes: Any) -> dict[str, Any]:
    return {**PERSON, **changes}


def company(**changes: Any) -> dict[str, Any]:
    return {**COMPANY, **changes}


def both(policy: CreditPolicy, applicant: dict[str, Any]) -> Decision:
    """Decide through the dict path and the frame path; assert they agree; return one."""
    one = policy.decide_one(applicant)
    table = policy.decide(pd.DataFrame([applicant]))
    assert policy.records(table) == [one]
    return one


def comps(d: Decision) -> dict[str, float | None]:
    return {c.name: c.value for c in d.breakdown.components}


# ---------------------------------------------------------------------------------------------
# Consumer lending: every component by hand
# ---------------------------------------------------------------------------------------------


def test_consumer_approve_need_binds() -> None:
    d = both(CONSUMER, person())
    # score 650 -> grade B (640 <= 650 < 680); 650 >= 620 -> approve
    assert (d.decision, d.policy_decision, d.score_decision, d.grade) == (
        "approve",
        "approve",
        "approve",
        "B",
    )
    # PD: none in the data -> grade B's PD 0.01 (above the 0.0003 floor)
    assert (d.pd, d.pd_source, d.lgd) == (0.01, "grade", 0.6)
    c = comps(d)
    assert c["requested"] == 12_000.0  # 12 000 * 1
    assert c["income"] == pytest.approx(15_000.0)  # 50 000 * 0.30
    assert c["el_budget"] == pytest.approx(50_000.0)  # 300 / (0.01 * 0.6 * 1)
    # min(12 000, 15 000, 50 000, cap 25 000) = 12 000, a multiple of 100
    assert d.breakdown.binding == "requested"
    assert d.limit == 12_000.0
    assert d.expected_loss == pytest.approx(72.0)  # 0.01 * 0.6 * 12 000
    assert d.terms == Terms("60 monthly instalments", review_months=12)
    assert d.reasons == () and d.knock_outs == () and d.override is None


def test_consumer_income_binds_and_rounds_down() -> None:
    d = both(CONSUMER, person(requested_amount=30_000, annual_income=41_234))
    # income cap 0.30 * 41 234 = 12 370.2 < requested 30 000 < EL cap 50 000
    assert d.breakdown.binding == "income"
    assert d.breakdown.before_rounding == pytest.approx(12_370.2)
    assert d.limit == 12_300.0  # rounded DOWN to the unit 100
    assert d.expected_loss == pytest.approx(0.01 * 0.6 * 12_300)  # 73.8


def test_consumer_el_budget_binds_with_data_pd() -> None:
    d = both(CONSUMER, person(requested_amount=20_000, annual_income=100_000, pd=0.035))
    assert (d.pd, d.pd_source) == (0.035, "data")
    # EL cap 300 / (0.035 * 0.6) = 300 / 0.021 = 14 285.71...; income 30 000; need 20 000
    assert comps(d)["el_budget"] == pytest.approx(14_285.714285714)
    assert d.breakdown.binding == "el_budget"
    assert d.limit == 14_200.0
    assert d.expected_loss == pytest.approx(298.2)  # 0.035 * 0.6 * 14 200 <= budget 300


def test_consumer_cap_binds() -> None:
    d = both(CONSUMER, person(score=700, requested_amount=100_000, annual_income=1_000_000))
    # grade A: need 100 000, income 300 000, EL 300 / (0.005 * 0.6) = 100 000; cap 25 000
    assert d.grade == "A"
    assert d.breakdown.binding == "cap"
    assert d.limit == 25_000.0
    assert d.terms is not None and d.terms.review_months == 24


def test_consumer_refer_band() -> None:
    d = both(CONSUMER, person(score=600))
    # 580 <= 600 < 620 -> refer; grade C (600 <= 600 < 640)
    assert (d.decision, d.grade) == ("refer", "C")
    # need 12 000, income 0.25 * 50 000 = 12 500, EL 300 / (0.02 * 0.6) = 25 000
    assert d.breakdown.limit_if_approved == 12_000.0
    assert d.limit == 0.0 and d.expected_loss == 0.0  # nothing granted until decided by hand
    assert d.terms is not None and d.terms.security == ("guarantor",)  # terms if approved
    assert d.reasons == ("R_UTIL", "R_DELINQ")  # the scorecard's reasons


def test_consumer_decline_below_refer_cutoff() -> None:
    d = both(CONSUMER, person(score=570, annual_income=40_000))
    # 570 < 580 -> decline; grade D; limit if approved: min(12 000, 0.2 * 40 000 = 8 000,
    # 300 / (0.05 * 0.6) = 10 000) = 8 000
    assert (d.decision, d.grade) == ("decline", "D")
    assert d.breakdown.limit_if_approved == 8_000.0
    assert d.limit == 0.0 and d.terms is None and d.expected_loss == 0.0
    assert d.reasons == ("R_UTIL", "R_DELINQ")


def test_consumer_grade_without_share_is_not_applicable() -> None:
    d = both(CONSUMER, person(score=500))
    # grade E has no income share -> "not applicable"; need 12 000; EL 300 / (0.15 * 0.6)
    # = 3 333.33 -> binding EL, 3 300
    assert comps(d)["income"] is None
    assert d.breakdown.binding == "el_budget"
    assert d.breakdown.limit_if_approved == 3_300.0


def test_consumer_knock_out_first_in_reasons() -> None:
    d = both(CONSUMER, person(age=17))
    assert d.decision == "decline" and d.knocked_out
    assert d.knock_outs == ("KO01",)
    assert d.reasons == ("KO01", "R_UTIL", "R_DELINQ")  # knock-out codes first
    assert d.limit == 0.0 and d.expected_loss == 0.0 and d.terms is None
    assert d.score_decision == "approve"  # the score alone would have approved


def test_consumer_below_floor_declines() -> None:
    d = both(CONSUMER, person(requested_amount=800))
    # limit 800 < floor 1 000 -> below floor; below_floor="decline"
    assert d.breakdown.below_floor and d.breakdown.limit_if_approved == 800.0
    assert (d.decision, d.score_decision) == ("decline", "approve")
    assert d.reasons == ("LIMIT_FLOOR", "R_UTIL", "R_DELINQ")
    # with below_floor="refer" the same applicant is referred
    d2 = both(consumer_policy(below_floor="refer"), person(requested_amount=800))
    assert d2.decision == "refer" and d2.reasons[0] == "LIMIT_FLOOR"


def test_consumer_missing_values_follow_each_rule() -> None:
    # age missing: missing="knock_out" (the default) -> KO01
    assert both(CONSUMER, person(age=None)).knock_outs == ("KO01",)
    assert both(CONSUMER, person(age=float("nan"))).knock_outs == ("KO01",)
    # bankrupt missing: missing="pass"
    assert both(CONSUMER, person(bankrupt=None)).decision == "approve"
    # residency missing: missing="refer" -> refer with the rule's code first
    d = both(CONSUMER, person(residency=None))
    assert d.decision == "refer" and d.knock_outs == ()
    assert d.reasons == ("KO03", "R_UTIL", "R_DELINQ")
    # residency present and not allowed -> knock-out
    assert both(CONSUMER, person(residency="visitor")).knock_outs == ("KO03",)


def test_consumer_several_knock_outs_in_rule_order() -> None:
    d = both(CONSUMER, person(age=16, bankrupt=True, residency="visitor"))
    assert d.knock_outs == ("KO01", "KO02", "KO03")
    assert d.reasons[:3] == ("KO01", "KO02", "KO03")


def test_knocked_out_applicant_may_have_no_score() -> None:
    d = both(CONSUMER, person(age=15, score=None))
    assert (d.decision, d.grade, d.score, d.pd, d.pd_source) == (
        "decline",
        None,
        None,
        None,
        "none",
    )
    assert d.score_decision is None


def test_pd_floor_applies_to_data_pd() -> None:
    d = both(CONSUMER, person(pd=0.0001))
    assert d.pd == 0.0003  # the scale's floor, 3 bp
    assert comps(d)["el_budget"] == pytest.approx(300 / (0.0003 * 0.6))


# ---------------------------------------------------------------------------------------------
# Trade credit: every component by hand
# ---------------------------------------------------------------------------------------------


def test_trade_grade_a_need_binds() -> None:
    d = both(TRADE, company())
    # score 680 -> A (>= 660) -> approve (A is in the approve set)
    assert (d.decision, d.grade, d.pd, d.lgd) == ("approve", "A", 0.004, 0.4)
    c = comps(d)
    assert c["need"] == 150_000.0  # 50 000 monthly sales * 3 months (A)
    assert c["net_worth"] == pytest.approx(400_000.0)  # 2 000 000 * 0.20
    assert c["revenue"] == pytest.approx(600_000.0)  # 6 000 000 * 0.10
    assert c["el_budget"] == pytest.approx(3_125_000.0)  # 5 000 / (0.004 * 0.4)
    assert c["insured"] is None  # no insurer's limit -> not applicable
    assert d.breakdown.binding == "need" and d.limit == 150_000.0
    assert d.expected_loss == pytest.approx(240.0)  # 0.004 * 0.4 * 150 000
    assert d.terms == Terms("net 60", payment_days=60, review_months=12)


def test_trade_insurance_limit_binds() -> None:
    d = both(TRADE, company(insured_limit=120_500))
    assert d.breakdown.binding == "insured"
    assert d.limit == 120_000.0  # 120 500 rounded down to the unit 1 000


def test_trade_grade_c_terms_and_el() -> None:
    d = both(TRADE, company(score=600))
    # grade C: need 1.5 * 50 000 = 75 000; net worth 0.1 * 2e6 = 200 000; revenue 600 000;
    # EL 3 000 / (0.025 * 0.45) = 266 666.67
    assert (d.decision, d.grade) == ("approve", "C")
    assert d.limit == 75_000.0
    assert d.expected_loss == pytest.approx(843.75)  # 0.025 * 0.45 * 75 000
    assert d.terms == Terms(
        "net 30", payment_days=30, security=["credit_insurance"], review_months=6
    )


def test_trade_grade_d_refers_e_declines() -> None:
    d = both(TRADE, company(score=560))
    # D: need 50 000; net worth 100 000; EL 2 000 / (0.06 * 0.5) = 66 666.67
    assert (d.decision, d.grade) == ("refer", "D")
    assert d.breakdown.limit_if_approved == 50_000.0 and d.limit == 0.0
    assert d.terms is not None and d.terms.security == ("letter_of_credit",)
    e = both(TRADE, company(score=500))
    # E: need, net worth and EL budget list no E -> not applicable; revenue 600 000 applies
    assert e.decision == "decline" and e.grade == "E"
    assert [k for k, v in comps(e).items() if v is not None] == ["revenue"]
    assert e.breakdown.limit_if_approved == 600_000.0 and e.limit == 0.0 and e.terms is None


def test_trade_knock_outs() -> None:
    assert both(TRADE, company(sanctions_hit=None)).knock_outs == ("KO02",)  # missing -> KO
    assert both(TRADE, company(net_worth=None)).knock_outs == ("KO04",)  # no statements
    assert both(TRADE, company(years_in_business=1.5)).knock_outs == ("KO03",)
    assert both(TRADE, company(country="KP")).knock_outs == ("KO05",)
    assert both(TRADE, company(country=None)).decision == "approve"  # missing="pass"
    assert both(TRADE, company(bankrupt=True)).decision == "decline"


def test_trade_negative_net_worth_caps_at_zero_and_refers() -> None:
    d = both(TRADE, company(score=640, net_worth=-100_000))
    # grade B; net worth cap max(-100 000, 0) * 0.15 = 0 -> below floor -> refer
    assert comps(d)["net_worth"] == 0.0 and d.breakdown.binding == "net_worth"
    assert (d.decision, d.score_decision) == ("refer", "approve")
    assert d.reasons == ("LIMIT_FLOOR",)


def test_score_on_a_boundary_gets_the_better_outcome() -> None:
    assert both(CONSUMER, person(score=620)).decision == "approve"
    assert both(CONSUMER, person(score=619.999)).decision == "refer"
    assert both(CONSUMER, person(score=580)).decision == "refer"
    assert both(TRADE, company(score=660)).grade == "A"
    assert both(TRADE, company(score=659.5)).grade == "B"


def test_no_refer_band_by_default() -> None:
    c = ScoreCutoffs(approve=600)
    assert c.refer == 600.0
    assert c.score_decisions(np.array([599.0, 600.0])).tolist() == [0, 2]


# ---------------------------------------------------------------------------------------------
# Rules: every operator, frame and dict
# ---------------------------------------------------------------------------------------------


def _one_rule_policy(rule: Rule) -> CreditPolicy:
    scale = GradeScale.from_cutoffs([600], ["A", "B"], pds=[0.01, 0.05])
    return CreditPolicy(
        grade_scale=scale,
        cutoffs=ScoreCutoffs(approve=600),
        rules=[rule],
        cap=1_000,
        terms={"A": Terms("net 30"), "B": Terms("net 15")},
    )


RULE_DATA = {
    "x": [1.0, 2.0, 3.0, None],
    "flag": [0, 1, 2, None],
    "s": ["a", "b", None, "c"],
}


@pytest.mark.parametrize(
    ("field", "op", "value", "expected"),
    [
        ("x", "==", 2, [0, 1, 0, 0]),
        ("x", "!=", 2, [1, 0, 1, 0]),
        ("x", "<", 2, [1, 0, 0, 0]),
        ("x", "<=", 2, [1, 1, 0, 0]),
        ("x", ">", 2, [0, 0, 1, 0]),
        ("x", ">=", 2, [0, 1, 1, 0]),
        ("x", "in", [1, 3], [1, 0, 1, 0]),
        ("x", "not in", [1, 3], [0, 1, 0, 0]),
        ("x", "is_missing", None, [0, 0, 0, 1]),
        ("flag", "is_true", None, [0, 1, 1, 0]),
        ("flag", "is_false", None, [1, 0, 0, 0]),
        ("s", "==", "a", [1, 0, 0, 0]),
        ("s", "!=", "a", [0, 1, 0, 1]),
        ("s", "in", ["a", "c"], [1, 0, 0, 1]),
        ("s", "not in", ["a"], [0, 1, 0, 1]),
        ("s", "is_missing", None, [0, 0, 1, 0]),
    ],
)
def test_rule_operators(field: str, op: str, value: Any, expected: list[int]) -> None:
    # missing="pass" so that only the condition knocks out (is_missing: the missing value does)
    policy = _one_rule_policy(Rule(field, op, value, code="KO", missing="pass"))
    frame = pd.DataFrame({**RULE_DATA, "score": [650.0] * 4})
    table = policy.decide(frame)
    assert (table["knock_outs"] == "KO").astype(int).tolist() == expected
    for i, row in enumerate(frame.to_dict("records")):
        assert policy.decide_one(row).knocked_out == bool(expected[i])


@pytest.mark.parametrize(
    ("missing", "ko", "decision"),
    [
        ("knock_out", True, "decline"),
        ("pass", False, "approve"),
        ("refer", False, "refer"),
    ],
)
def test_rule_missing_actions(missing: str, ko: bool, decision: str) -> None:
    policy = _one_rule_policy(Rule("x", ">", 5, code="KO", missing=missing))
    d = both(policy, {"x": None, "score": 650})
    assert (d.knocked_out, d.decision) == (ko, decision)


def test_numpy_and_decimal_values_in_a_dict() -> None:
    import decimal

    d = both(CONSUMER, person(bankrupt=np.bool_(True), age=np.int64(40)))
    assert d.knock_outs == ("KO02",)
    d = CONSUMER.decide_one(person(annual_income=decimal.Decimal("41234"), requested_amount=30_000))
    assert d.limit == 12_300.0


def test_rule_bool_and_categorical_columns() -> None:
    policy = _one_rule_policy(Rule("flag", "is_true", code="KO", missing="pass"))
    frame = pd.DataFrame({"flag": pd.array([True, False, None], dtype="boolean"), "score": 650})
    assert policy.decide(frame)["knock_outs"].tolist() == ["KO", "", ""]
    policy = _one_rule_policy(Rule("c", "in", ["x"], code="KO"))
    frame = pd.DataFrame({"c": pd.Categorical(["x", "y"]), "score": [650, 650]})
    assert policy.decide(frame)["knock_outs"].tolist() == ["KO", ""]


def test_rule_describe_and_json() -> None:
    r = Rule("country", "not in", ("DE", "FR"), code="KO9", text="Outside the EU core")
    assert r.describe() == "country not in ['DE', 'FR']"
    assert Rule.from_dict(json.loads(json.dumps(r.to_dict()))) == r
    assert Rule("x", "in", {3, 1}, code="K").value == (1, 3)  # sets are sorted
    assert Rule("x", "<", np.int64(2), code="K").value == 2


# ---------------------------------------------------------------------------------------------
# Hypothesis: invariants on random applicants
# ---------------------------------------------------------------------------------------------

money = st.floats(min_value=0, max_value=5e6, allow_nan=False)
maybe = st.one_of


@st.composite
def companies(draw: Any) -> dict[str, Any]:
    return {
        "bankrupt": draw(st.sampled_from([False, False, True, None])),
        "sanctions_hit": draw(st.sampled_from([0, 0, 0, 1, None])),
        "years_in_business": draw(maybe(st.none(), st.floats(0, 60))),
        "net_worth": draw(maybe(st.none(), st.floats(-1e6, 2e7))),
        "country": draw(st.sampled_from(["DE", "FR", "IR", None])),
        "monthly_sales": draw(maybe(st.none(), money)),
        "annual_revenue": draw(maybe(st.none(), st.floats(0, 1e8))),
        "insured_limit": draw(maybe(st.none(), money)),
        "score": draw(st.floats(400, 800)),
        "pd": draw(maybe(st.none(), st.floats(0, 1))),
    }


@st.composite
def persons(draw: Any) -> dict[str, Any]:
    return {
        "age": draw(maybe(st.none(), st.integers(14, 90))),
        "bankrupt": draw(st.sampled_from([False, False, True, None])),
        "residency": draw(st.sampled_from(["citizen", "resident", "visitor", None])),
        "requested_amount": draw(maybe(st.none(), money)),
        "annual_income": draw(maybe(st.none(), st.floats(0, 1e6))),
        "score": draw(st.floats(450, 750)),
        "pd": draw(maybe(st.none(), st.floats(0, 1))),
        "reason_1": draw(st.sampled_from(["R1", "R2", None])),
        "reason_2": draw(st.sampled_from(["R3", None])),
    }


POLICIES = {"consumer": (CONSUMER, persons()), "trade": (TRADE, companies())}


@pytest.mark.parametrize("which", ["consumer", "trade"])
def test_invariants_on_random_frames(which: str) -> None:
    policy, strategy = POLICIES[which]

    @given(st.lists(strategy, min_size=1, max_size=25))
    def check(rows: list[dict[str, Any]]) -> None:
        frame = pd.DataFrame(rows)
        table = policy.decide(frame)
        unit, cap = policy.unit, policy.cap
        limit = table["limit"].to_numpy()
        lia = table["limit_if_approved"].to_numpy()
        # never above an applying component, nor the cap
        for c in policy.limits:
            v = table[f"limit_{c.name}"].to_numpy()
            applies = ~np.isnan(v)
            assert np.all(lia[applies] <= v[applies])
            assert np.all(limit[applies] <= v[applies])
        assert np.all(lia <= cap) and np.all(limit <= lia)
        # multiples of the unit
        assert np.all(np.floor(lia / unit) * unit == lia)
        # the expected loss stays within the EL budget where the EL cap applies
        el_cap = table["limit_el_budget"].to_numpy()
        budget = el_cap * table["pd"].to_numpy() * table["lgd"].to_numpy()
        ok = ~np.isnan(el_cap)
        assert np.all(table["expected_loss"].to_numpy()[ok] <= budget[ok] * (1 + 1e-12))
        # EL = PD * LGD * limit
        el = table["pd"].to_numpy() * table["lgd"].to_numpy() * limit
        np.testing.assert_allclose(table["expected_loss"], np.where(limit > 0, el, 0.0))
        # knock-outs always decline with limit 0; only approvals have a limit
        ko = (table["knock_outs"] != "").to_numpy()
        assert (table["decision"][ko] == "decline").all() and np.all(limit[ko] == 0)
        assert np.all((limit > 0) == (table["decision"] == "approve").to_numpy())
        # reasons: knock-out codes first, none for approvals
        for k, r, d in zip(table["knock_outs"], table["reasons"], table["decision"], strict=True):
            assert r.startswith(k)
            assert d != "approve" or r == ""
        # the dict path agrees with the frame path, row for row
        assert [policy.decide_one(r) for r in rows] == policy.records(table)
        assert policy.records(policy.table(policy.records(table))) == policy.records(table)

    check()


RANK = {"decline": 0, "refer": 1, "approve": 2}


@pytest.mark.parametrize("which", ["consumer", "trade"])
def test_higher_score_never_gets_a_worse_decision(which: str) -> None:
    policy, strategy = POLICIES[which]

    @given(strategy, st.floats(400, 800), st.floats(400, 800), st.booleans())
    def check(row: dict[str, Any], s1: float, s2: float, keep_pd: bool) -> None:
        lo, hi = sorted((s1, s2))
        base = row if keep_pd else {k: v for k, v in row.items() if k != "pd"}
        d_lo = policy.decide_one({**base, "score": lo})
        d_hi = policy.decide_one({**base, "score": hi})
        assert RANK[d_hi.decision] >= RANK[d_lo.decision]
        if d_lo.decision == d_hi.decision == "approve":  # and a better grade never gets less
            assert d_hi.limit >= d_lo.limit

    check()


def test_knock_out_declines_whatever_the_score() -> None:
    @given(companies(), st.floats(-1e3, 1e4))
    def check(row: dict[str, Any], score: float) -> None:
        d = TRADE.decide_one({**row, "sanctions_hit": 1, "score": score})
        assert d.decision == "decline" and d.limit == 0 and "KO02" in d.knock_outs

    check()


# ---------------------------------------------------------------------------------------------
# A scorecard as the model
# ---------------------------------------------------------------------------------------------


class FakeCard:
    """Satisfies ScoringModel: points from a column, PD from the standard scaling."""

    def score_and_pd(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        return self.score(frame), self.predict_pd(frame)

    def score(self, frame: pd.DataFrame) -> np.ndarray:
        return frame["points"].to_numpy(dtype=np.int64)

    def predict_pd(self, frame: pd.DataFrame) -> np.ndarray:
        return Scaling().pd_from_score(self.score(frame))

    def reason_codes(self, frame: pd.DataFrame, n: int = 4) -> pd.DataFrame:
        codes = np.where(frame["points"].to_numpy() < 620, "LOW_POINTS", None)
        out = {f"reason_{i}": [None] * len(frame) for i in range(1, n + 1)}
        out["reason_1"] = list(codes)
        return pd.DataFrame(out, index=frame.index)


def test_model_computes_score_pd_and_reasons() -> None:
    assert isinstance(FakeCard(), ScoringModel)
    rows = [person(points=p) for p in (650, 600, 560)]
    for r in rows:
        del r["score"], r["reason_1"], r["reason_2"]
    frame = pd.DataFrame(rows)
    policy = consumer_policy(reason_fields=[])
    table = policy.decide(frame, model=FakeCard())
    assert table["score"].tolist() == [650.0, 600.0, 560.0]
    assert table["pd_source"].tolist() == ["model"] * 3
    # PD = 1 / (1 + 50 * 2**((score - 600) / 20)): 650 -> 1 / (1 + 50 * 2**2.5)
    assert table["pd"].iloc[0] == pytest.approx(1 / (1 + 50 * 2**2.5))
    assert table["decision"].tolist() == ["approve", "refer", "decline"]
    assert table["reasons"].tolist() == ["", "LOW_POINTS", "LOW_POINTS"]
    assert [policy.decide_one(r, model=FakeCard()) for r in rows] == policy.records(table)


def test_real_scorecard_satisfies_the_protocol(german: pd.DataFrame) -> None:
    from scorecard import BinningSpec, bin_features
    from scorecard._model.scorecard import Scorecard

    feats = ["status_of_existing_checking_account", "duration_in_month", "credit_history"]
    b = bin_features(german, "bad", features=feats, spec=BinningSpec(max_bins=4))
    import statsmodels.api as sm

    res = sm.Logit(german["bad"].to_numpy(), sm.add_constant(b.transform(german))).fit(disp=0)
    card = Scorecard.from_model(
        b, res.params.drop("const").to_dict(), float(res.params["const"]), data=german
    )
    assert isinstance(card, ScoringModel)
    sample = german.head(40).assign(
        age=40, bankrupt=False, residency="citizen", requested_amount=5_000, annual_income=40_000
    )
    policy = consumer_policy(reason_fields=[], n_reasons=2)
    table = policy.decide(sample, model=card)
    np.testing.assert_array_equal(table["score"], card.score(sample))
    # one number decides: the PD is the PD of the printed score (within the rounding bound
    # of the model's unrounded PD)
    printed_pd = card.scaling.pd_from_score(card.score(sample))
    np.testing.assert_allclose(table["pd"], np.maximum(printed_pd, 0.0003))
    rows = sample.to_dict("records")
    assert [policy.decide_one(r, model=card) for r in rows[:5]] == policy.records(table)[:5]


def test_grade_pd_is_used_without_pd_anywhere() -> None:
    d = CONSUMER.decide_one({k: v for k, v in person(score=700).items() if k != "pd"})
    assert (d.pd, d.pd_source) == (0.005, "grade")


# ---------------------------------------------------------------------------------------------
# Overrides
# ---------------------------------------------------------------------------------------------


def test_low_side_override_approves_below_cutoff() -> None:
    d = CONSUMER.decide_one(
        person(score=570, annual_income=40_000)
    )  # decline, limit if approved 8000
    o = CONSUMER.override(d, "approve", "long-standing customer", by="jdoe")
    assert o.override is not None
    assert (o.decision, o.policy_decision, o.override.direction) == (
        "approve",
        "decline",
        "low_side",
    )
    assert (o.override.reason, o.override.by) == ("long-standing customer", "jdoe")
    assert o.limit == 8_000.0
    assert o.expected_loss == pytest.approx(240.0)  # 0.05 * 0.6 * 8 000
    assert o.terms == Terms("24 monthly instalments", security=["guarantor"], review_months=6)
    o2 = CONSUMER.override(d, "approve", "secured by deposit", limit=5_000)
    assert o2.limit == 5_000.0 and o2.expected_loss == pytest.approx(150.0)


def test_high_side_override_declines_above_cutoff() -> None:
    d = CONSUMER.decide_one(person(score=700))
    o = CONSUMER.override(d, "decline", "adverse press")
    assert o.override is not None and o.override.direction == "high_side"
    assert (o.decision, o.limit, o.expected_loss, o.terms) == ("decline", 0.0, 0.0, None)


def test_refer_resolved_is_not_low_or_high_side() -> None:
    d = CONSUMER.decide_one(person(score=600))
    for to in ("approve", "decline"):
        o = CONSUMER.override(d, to, "underwriter review")
        assert o.override is not None and o.override.direction == "refer_resolved"
    assert CONSUMER.override(d, "approve", "ok").limit == 12_000.0


def test_knock_out_override_only_if_overridable() -> None:
    d = CONSUMER.decide_one(person(age=17))
    with pytest.raises(SpecificationError, match="KO01"):
        CONSUMER.override(d, "approve", "parental guarantee")
    d = CONSUMER.decide_one(person(residency="visitor"))  # KO03 is overridable
    o = CONSUMER.override(d, "approve", "work permit seen")
    assert o.override is not None and o.override.direction == "knock_out"
    assert o.limit == 12_000.0


def test_limit_floor_override_needs_a_limit() -> None:
    d = CONSUMER.decide_one(person(requested_amount=800))  # score approve, floor decline
    with pytest.raises(SpecificationError, match="limit"):
        CONSUMER.override(d, "approve", "small loan accepted", limit=0)
    o = CONSUMER.override(d, "approve", "small loan accepted")  # 800 > 0: allowed as is
    assert o.override is not None and o.override.direction == "limit_floor" and o.limit == 800
    nothing = CONSUMER.decide_one(person(requested_amount=0))
    with pytest.raises(SpecificationError, match="pass limit="):
        CONSUMER.override(nothing, "approve", "ok")


def test_override_bad_input() -> None:
    d = CONSUMER.decide_one(person())
    with pytest.raises(SpecificationError, match="not an override"):
        CONSUMER.override(d, "approve", "why not")
    with pytest.raises(SpecificationError, match="'reason'"):
        CONSUMER.override(d, "decline", "  ")
    with pytest.raises(SpecificationError, match="'decision'"):
        CONSUMER.override(d, "maybe", "x")
    with pytest.raises(SpecificationError, match="'limit'"):
        CONSUMER.override(CONSUMER.decide_one(person(score=570)), "approve", "x", limit=-5)
    with pytest.raises(SpecificationError, match="'limit'"):
        CONSUMER.override(d, "decline", "x", limit=100)
    with pytest.raises(DataError, match="Decision"):
        CONSUMER.override("approve", "decline", "x")  # type: ignore[arg-type]
    unscored = CONSUMER.decide_one(person(residency="visitor", score=None))
    with pytest.raises(SpecificationError, match="score"):
        CONSUMER.override(unscored, "approve", "x")


def _override_frame() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [
        person(score=650),  # r0 B approve
        person(score=700),  # r1 A approve
        person(score=570, annual_income=40_000),  # r2 D decline
        person(score=550),  # r3 E decline
        person(score=600),  # r4 C refer
        person(score=650, age=17),  # r5 B knocked out
    ]
    table = CONSUMER.decide(pd.DataFrame(rows, index=[f"r{i}" for i in range(6)]))
    overrides = pd.DataFrame(
        {
            "decision": ["approve", "decline", "approve"],
            "reason": ["known customer", "adverse press", "income verified"],
            "by": ["ann", "bob", None],
        },
        index=["r2", "r1", "r4"],
    )
    return table, overrides


def test_apply_overrides_matches_single_overrides() -> None:
    table, overrides = _override_frame()
    out = CONSUMER.apply_overrides(table, overrides)
    assert out["decision"].tolist() == [
        "approve",
        "decline",
        "approve",
        "decline",
        "approve",
        "decline",
    ]
    assert out["override_direction"].fillna("-").tolist() == [
        "-",
        "high_side",
        "low_side",
        "-",
        "refer_resolved",
        "-",
    ]
    assert out.loc["r2", "limit"] == 8_000.0 and out.loc["r1", "limit"] == 0.0
    assert out.loc["r2", "payment_terms"] == "24 monthly instalments"
    before = CONSUMER.records(table)
    after = CONSUMER.records(out)
    for label, o in overrides.iterrows():
        i = table.index.get_loc(label)
        by = o["by"] if isinstance(o["by"], str) else ""
        single = CONSUMER.override(before[i], o["decision"], o["reason"], by=by)
        assert single == after[i]
    # overriding again replaces the earlier override (direction from the policy decision)
    again = CONSUMER.apply_overrides(out, overrides.loc[["r1"]].assign(reason="cleared"))
    assert again.loc["r1", "override_reason"] == "cleared"
    with pytest.raises(DataError, match="unknown labels"):
        CONSUMER.apply_overrides(table, overrides.rename(index={"r2": "zz"}))
    with pytest.raises(DataError, match="reason"):
        CONSUMER.apply_overrides(table, overrides.drop(columns="reason"))
    with pytest.raises(DataError, match="duplicate"):
        CONSUMER.apply_overrides(table, pd.concat([overrides, overrides.iloc[:1]]))
    with pytest.raises(DataError, match="unique index"):
        CONSUMER.apply_overrides(table.rename(index={"r1": "r0"}), overrides.iloc[:1])


def test_override_report_by_grade() -> None:
    table, overrides = _override_frame()
    rep = CONSUMER.override_report(CONSUMER.apply_overrides(table, overrides))
    assert rep.index.tolist() == ["A", "B", "C", "D", "E", "all"]
    # below the cut-off (score decline, not knocked out): r2 (D), r3 (E); r2 approved
    assert rep.loc["D", ["n_below_cutoff", "n_low_side"]].tolist() == [1, 1]
    assert rep.loc["D", "low_side_rate"] == 1.0 and rep.loc["E", "low_side_rate"] == 0.0
    assert rep.loc["all", "n_below_cutoff"] == 2 and rep.loc["all", "low_side_rate"] == 0.5
    # above the cut-off: r0 (B), r1 (A); r1 declined; r5 (B) is knocked out, not counted
    assert rep.loc["A", "high_side_rate"] == 1.0 and rep.loc["B", "high_side_rate"] == 0.0
    assert rep.loc["all", ["n_above_cutoff", "n_high_side"]].tolist() == [2, 1]
    assert rep.loc["all", "high_side_rate"] == 0.5
    assert rep.loc["B", "n_knocked_out"] == 1 and rep.loc["C", "n_refer_resolved"] == 1
    assert rep.loc["all", "n"] == 6
    assert np.isnan(rep.loc["A", "low_side_rate"])  # nobody below the cut-off in A
    # the same from records
    recs = CONSUMER.records(CONSUMER.apply_overrides(table, overrides))
    pd.testing.assert_frame_equal(CONSUMER.override_report(recs), rep)
    assert OVERRIDE_DIRECTIONS == (
        "low_side",
        "high_side",
        "knock_out",
        "refer_resolved",
        "limit_floor",
    )


# ---------------------------------------------------------------------------------------------
# Serialization
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("policy", [CONSUMER, TRADE], ids=["consumer", "trade"])
def test_json_round_trip_is_byte_identical(policy: CreditPolicy, tmp_path: Path) -> None:
    text = policy.to_json()
    back = CreditPolicy.from_json(text)
    assert back == policy
    assert back.to_json() == text
    payload = json.loads(text)
    assert payload["kind"] == "credit_policy" and payload["schema_version"] == 1
    path = policy.save(tmp_path / "policy.json")
    assert CreditPolicy.load(path) == policy
    assert path.read_text(encoding="utf-8") == text
    # the loaded policy decides like the original
    assert back.decide_one(person() if policy is CONSUMER else company()) == policy.decide_one(
        person() if policy is CONSUMER else company()
    )


def test_json_refuses_wrong_kind_newer_version_and_tampering() -> None:
    payload = json.loads(TRADE.to_json())
    with pytest.raises(SchemaError, match="kind"):
        CreditPolicy.from_json(json.dumps({**payload, "kind": "grade_scale"}))
    with pytest.raises(SchemaError, match="newer"):
        CreditPolicy.from_json(json.dumps({**payload, "schema_version": 2}))
    payload["body"]["cap"] = 2_000_000.0
    with pytest.raises(SchemaError, match="tampered"):
        CreditPolicy.from_json(json.dumps(payload))
    with pytest.raises(SchemaError, match="valid JSON"):
        CreditPolicy.from_json("{not json")


def test_json_form_is_readable() -> None:
    body = json.loads(CONSUMER.to_json())["body"]
    assert body["rules"][0] == {
        "field": "age",
        "op": "<",
        "value": 18,
        "code": "KO01",
        "text": "Applicant under 18",
        "missing": "knock_out",
        "overridable": False,
    }
    assert body["cutoffs"] == {"type": "score_cutoffs", "approve": 620.0, "refer": 580.0}
    assert body["limits"][1]["share"] == {"A": 0.3, "B": 0.3, "C": 0.25, "D": 0.2}
    assert body["terms"]["C"]["security"] == ["guarantor"]


def test_decision_to_dict_round_trip() -> None:
    for d in (CONSUMER.decide_one(person()), CONSUMER.decide_one(person(age=10, score=None))):
        assert Decision.from_dict(json.loads(json.dumps(d.to_dict()))) == d
    o = CONSUMER.override(CONSUMER.decide_one(person(score=700)), "decline", "x", by="me")
    assert Decision.from_dict(o.to_dict()) == o


def test_evolve_returns_a_new_valid_policy() -> None:
    import attrs

    p = attrs.evolve(CONSUMER, cap=10_000)
    assert p.decide_one(person(score=700, requested_amount=50_000)).limit == 10_000
    assert CONSUMER.cap == 25_000


# ---------------------------------------------------------------------------------------------
# Performance of the one-applicant path
# ---------------------------------------------------------------------------------------------


def test_one_applicant_decision_is_well_under_a_millisecond() -> None:
    app = company(pd=0.01)
    TRADE.decide_one(app)  # warm-up
    per_call = min(timeit.repeat(lambda: TRADE.decide_one(app), number=200, repeat=5)) / 200
    assert per_call < 1e-3  # typically ~20 microseconds


# ---------------------------------------------------------------------------------------------
# Bad input: the exception type and the field named
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"field": "x", "op": "=>", "value": 2}, "KO9.*unknown op '=>'"),
        ({"field": "x", "op": "<", "value": "2"}, "KO9.*finite number"),
        ({"field": "x", "op": "<", "value": float("inf")}, "KO9.*finite number"),
        ({"field": "x", "op": "in", "value": []}, "KO9.*non-empty list"),
        ({"field": "x", "op": "in", "value": [1, "a"]}, "KO9.*one kind"),
        ({"field": "x", "op": "==", "value": None}, "KO9.*finite number, a boolean or a string"),
        ({"field": "x", "op": "is_true", "value": 1}, "KO9.*takes no value"),
        ({"field": "", "op": "is_true"}, "KO9.*field"),
    ],
)
def test_rule_validation(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(SpecificationError, match=match):
        Rule(**kwargs, code="KO9")


def test_rule_validation_other_fields() -> None:
    with pytest.raises(SpecificationError, match="missing"):
        Rule("x", "is_true", code="K", missing="ignore")
    with pytest.raises(SpecificationError, match="code"):
        Rule("x", "is_true", code="")
    with pytest.raises(SpecificationError, match="code.*';'"):
        Rule("x", "is_true", code="A;B")
    with pytest.raises(SpecificationError, match="overridable"):
        Rule("x", "is_true", code="K", overridable="yes")  # type: ignore[arg-type]


def test_component_and_terms_validation() -> None:
    with pytest.raises(SpecificationError, match=r"NeedLimit 'need'.multiplier\['A'\]"):
        NeedLimit("need", field="sales", multiplier={"A": -1})
    with pytest.raises(SpecificationError, match="CapacityCap 'nw'.share"):
        CapacityCap("nw", field="net_worth", share=float("nan"))
    with pytest.raises(SpecificationError, match="ExpectedLossCap 'el'.budget"):
        ExpectedLossCap("el", budget=0)
    with pytest.raises(SpecificationError, match="name.*identifier"):
        ExternalLimit("insured limit", field="x")
    with pytest.raises(SpecificationError, match="reserved"):
        ExternalLimit("cap", field="x")
    with pytest.raises(SpecificationError, match="ExternalLimit 'ins'.field"):
        ExternalLimit("ins", field="")
    with pytest.raises(SpecificationError, match="review_months"):
        Terms("net 30", review_months=0)
    with pytest.raises(SpecificationError, match="payment_days"):
        Terms("net 30", payment_days=-30)
    with pytest.raises(SpecificationError, match="payment_terms"):
        Terms("")
    with pytest.raises(SpecificationError, match="ScoreCutoffs.refer"):
        ScoreCutoffs(approve=600, refer=620)
    with pytest.raises(SpecificationError, match="ScoreCutoffs.approve"):
        ScoreCutoffs(approve=float("nan"))
    with pytest.raises(SpecificationError, match="disjoint"):
        GradeCutoffs(approve=["A", "B"], refer=["B"])
    with pytest.raises(SpecificationError, match="GradeCutoffs.approve"):
        GradeCutoffs(approve=[])


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"grade_scale": "A-E"}, "CreditPolicy.grade_scale"),
        ({"cutoffs": 620}, "CreditPolicy.cutoffs"),
        ({"cutoffs": GradeCutoffs(approve=["A", "Z"])}, r"GradeCutoffs.approve.*\['Z'\]"),
        ({"cutoffs": GradeCutoffs(approve=["A", "C"], refer=["B"])}, "ordered like the grades"),
        ({"terms": {"A": Terms("x")}}, r"CreditPolicy.terms.*\['B', 'C', 'D', 'E'\]"),
        ({"terms": {g: Terms("x") for g in "ABCDEZ"}}, "CreditPolicy.terms.*'Z'"),
        ({"cap": 0}, "CreditPolicy.cap"),
        ({"cap": float("inf")}, "CreditPolicy.cap"),
        ({"floor": -1}, "CreditPolicy.floor"),
        ({"floor": 30_000}, "CreditPolicy.floor.*<= cap"),
        ({"unit": 0}, "CreditPolicy.unit"),
        ({"below_floor": "approve"}, "CreditPolicy.below_floor"),
        ({"lgd": 0.0}, "CreditPolicy.lgd"),
        ({"lgd": 1.5}, "CreditPolicy.lgd"),
        ({"lgd": {"A": 0.4}}, r"CreditPolicy.lgd.*\['B', 'C', 'D', 'E'\]"),
        ({"ccf": 0}, "CreditPolicy.ccf"),
        ({"n_reasons": -1}, "CreditPolicy.n_reasons"),
        ({"score_field": "pd"}, "CreditPolicy.pd_field"),
        ({"floor_code": "KO01"}, "CreditPolicy.floor_code"),
        (
            {"rules": [Rule("a", "is_true", code="K"), Rule("b", "is_true", code="K")]},
            r"CreditPolicy.rules.*\['K'\]",
        ),
        ({"rules": ["age < 18"]}, r"CreditPolicy.rules\[0\]"),
        (
            {"limits": [ExternalLimit("x", field="a"), ExternalLimit("x", field="b")]},
            r"CreditPolicy.limits.*\['x'\]",
        ),
        (
            {"limits": [NeedLimit("n", field="a", multiplier={"Z": 1})]},
            r"CreditPolicy.limits\[0\] \('n'\).*\['Z'\]",
        ),
        ({"limits": [lambda row: 1]}, r"CreditPolicy.limits\[0\]"),
    ],
)
def test_policy_validation(changes: dict[str, Any], match: str) -> None:
    with pytest.raises(SpecificationError, match=match):
        consumer_policy(**changes)


def test_data_errors_name_the_field() -> None:
    frame = pd.DataFrame([person()])
    with pytest.raises(DataError, match="annual_income"):
        CONSUMER.decide(frame.drop(columns="annual_income"))
    with pytest.raises(DataError, match="annual_income"):
        CONSUMER.decide_one({k: v for k, v in person().items() if k != "annual_income"})
    with pytest.raises(DataError, match="'score'"):
        CONSUMER.decide(frame.drop(columns="score"))
    with pytest.raises(DataError, match="'age'.*KO01.*expected numbers"):
        CONSUMER.decide_one(person(age="thirty"))
    with pytest.raises(DataError, match="'age'.*KO01.*expected numbers"):
        CONSUMER.decide(pd.DataFrame([person(age="thirty")]))
    with pytest.raises(DataError, match="'residency'.*KO03.*expected text"):
        CONSUMER.decide_one(person(residency=1))
    with pytest.raises(DataError, match="'requested_amount'.*>= 0"):
        CONSUMER.decide_one(person(requested_amount=-1))
    with pytest.raises(DataError, match=r"'requested_amount'.*>= 0.*\['x'\]"):
        CONSUMER.decide(pd.DataFrame([person(requested_amount=-1)], index=["x"]))
    with pytest.raises(DataError, match="'annual_income'.*infinite"):
        CONSUMER.decide_one(person(annual_income=float("inf")))
    with pytest.raises(DataError, match="'annual_income'.*expected a number, found text"):
        CONSUMER.decide(pd.DataFrame([person(annual_income="lots")]))
    with pytest.raises(DataError, match="'score'.*missing scores"):
        CONSUMER.decide_one(person(score=None))
    with pytest.raises(DataError, match="'score'.*missing scores"):
        CONSUMER.decide(pd.DataFrame([person(), person(score=None)]))
    with pytest.raises(DataError, match="'score'.*infinite"):
        CONSUMER.decide_one(person(score=float("inf")))
    with pytest.raises(DataError, match="'score'.*found text"):
        CONSUMER.decide_one(person(score="650"))
    with pytest.raises(DataError, match="'pd'.*probabilities"):
        CONSUMER.decide_one(person(pd=1.5))
    with pytest.raises(DataError, match="'pd'.*probabilities"):
        CONSUMER.decide(pd.DataFrame([person(pd=-0.1)]))
    with pytest.raises(DataError, match="'pd'.*found text"):
        CONSUMER.decide_one(person(pd="1%"))
    with pytest.raises(DataError, match="reason_1.*numbers"):
        CONSUMER.decide_one(person(reason_1=3))
    with pytest.raises(DataError, match="'age'.*expected a number, a string"):
        CONSUMER.decide_one(person(age=[35]))
    with pytest.raises(DataError, match="DataFrame"):
        CONSUMER.decide([person()])  # type: ignore[call-overload]
    with pytest.raises(DataError, match="at least one row"):
        CONSUMER.decide(pd.DataFrame(columns=list(PERSON)))


def test_scale_without_pds_needs_pds_in_the_data() -> None:
    scale = GradeScale.from_cutoffs([600], ["A", "B"])
    policy = CreditPolicy(
        grade_scale=scale,
        cutoffs=ScoreCutoffs(600),
        cap=100,
        terms={"A": Terms("x"), "B": Terms("y")},
    )
    assert policy.decide_one({"score": 650, "pd": 0.02}).pd == 0.02
    with pytest.raises(DataError, match="'pd'.*no PDs"):
        policy.decide_one({"score": 650})
    with pytest.raises(DataError, match="'pd'.*no PDs"):
        policy.decide(pd.DataFrame({"score": [650.0]}))


def test_model_errors() -> None:
    frame = pd.DataFrame([person(points=650)])
    with pytest.raises(SpecificationError, match="model"):
        CONSUMER.decide(frame, model=object())  # type: ignore[arg-type]

    class Short(FakeCard):
        def score(self, frame: pd.DataFrame) -> np.ndarray:
            return np.array([600, 610])

    with pytest.raises(DataError, match=r"model.score.*1 values"):
        CONSUMER.decide(frame, model=Short())

    class BadPd(FakeCard):
        def predict_pd(self, frame: pd.DataFrame) -> np.ndarray:
            return np.array([1.2])

    with pytest.raises(DataError, match="model.predict_pd"):
        CONSUMER.decide(frame, model=BadPd())


def test_decision_table_errors() -> None:
    table = CONSUMER.decide(pd.DataFrame([person()]))
    with pytest.raises(DataError, match="limit_income"):
        CONSUMER.records(table.drop(columns="limit_income"))
    with pytest.raises(DataError, match="'decision'"):
        CONSUMER.records(table.assign(decision="yes"))
    with pytest.raises(DataError, match="'grade'"):
        CONSUMER.records(table.assign(grade="Z"))
    with pytest.raises(DataError, match="limit components"):
        TRADE.table(CONSUMER.records(table))
    import attrs

    alien = attrs.evolve(CONSUMER.records(table)[0], grade="Z")
    with pytest.raises(DataError, match="'Z'"):
        CONSUMER.table([alien])
    with pytest.raises(DataError, match="at least one"):
        CONSUMER.table([])


def test_model_is_called_through_score_and_pd_only() -> None:
    class ScoreAndPdOnly:
        calls = 0

        def score_and_pd(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
            ScoreAndPdOnly.calls += 1
            return FakeCard().score(frame), FakeCard().predict_pd(frame)

        def reason_codes(self, frame: pd.DataFrame, n: int = 4) -> pd.DataFrame:
            return FakeCard().reason_codes(frame, n)

    frame = pd.DataFrame([person(points=650), person(points=560)])
    policy = consumer_policy(reason_fields=[])
    assert isinstance(ScoreAndPdOnly(), ScoringModel)
    table = policy.decide(frame, model=ScoreAndPdOnly())
    assert ScoreAndPdOnly.calls == 1  # one pass over the data for score and PD
    pd.testing.assert_frame_equal(table, policy.decide(frame, model=FakeCard()))

    class ScoreAndPredictPd:  # the methods of the protocol before score_and_pd
        score = FakeCard.score
        predict_pd = FakeCard.predict_pd
        reason_codes = FakeCard.reason_codes

    assert not isinstance(ScoreAndPredictPd(), ScoringModel)
    with pytest.raises(SpecificationError, match="score_and_pd"):
        policy.decide(frame, model=ScoreAndPredictPd())  # type: ignore[arg-type]
    with pytest.raises(SpecificationError, match="score_and_pd"):
        policy.decide_one(person(points=650), model=ScoreAndPredictPd())  # type: ignore[arg-type]


def test_public_policy_classes_have_runnable_examples() -> None:
    import inspect

    import scorecard.policy

    for name in scorecard.policy.__all__:
        obj = getattr(scorecard.policy, name)
        if inspect.isclass(obj):
            doc = obj.__doc__ or ""
            assert "Examples\n" in doc and ">>> " in doc, name


def test_grade_and_pd_agree_for_every_applicant(german: pd.DataFrame) -> None:
    """One number decides the grade: the score; the PD reported is that score's PD, so it
    lies in the PD band of the applicant's grade (before: 14 of 1,000 German applicants sat
    in a grade whose band excluded their own PD)."""
    from scorecard import GradeScale, fit_scorecard

    card = fit_scorecard(german, "bad", seed=0).scorecard
    scale = GradeScale.from_pd_boundaries(
        [0.05, 0.10, 0.20, 0.35, 1.0], list("ABCDE"), card.scaling
    )
    policy = CreditPolicy(
        grade_scale=scale,
        cutoffs=ScoreCutoffs(approve=scale.score_range("C")[0]),
        terms={g: Terms("monthly") for g in scale.names},
        cap=10_000,
    )
    table = policy.decide(german.drop(columns="bad"), model=card)
    bounds = dict(zip(scale.names, [0.05, 0.10, 0.20, 0.35, 1.0], strict=True))
    lower = dict(zip(scale.names, [0.0, 0.05, 0.10, 0.20, 0.35], strict=True))
    upper_pd = table["grade"].map(bounds).to_numpy()
    lower_pd = table["grade"].map(lower).to_numpy()
    pd_ = table["pd"].to_numpy()
    assert np.all(pd_ <= upper_pd + 1e-12) and np.all(pd_ > lower_pd - 1e-12)
    # and the grade is the grade of the printed score
    assert (table["grade"].to_numpy() == scale.assign(table["score"].to_numpy())).all()
