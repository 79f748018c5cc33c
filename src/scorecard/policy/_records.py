"""Decisions as records and as a table, and the conversions between them.

The evaluator (:mod:`scorecard.policy._engine`) returns an :class:`Outcome`: the decision
fields of a frame (numpy arrays, one value per row) or of one applicant (Python scalars).
This module renders it, and nothing else:

* one applicant's outcome becomes a :class:`Decision` (:func:`decision_of`);
* a frame's outcome becomes a *decision table*, a DataFrame with one row per applicant
  (:func:`to_table`);
* a decision table, or a sequence of :class:`Decision` records, becomes an outcome again
  (:func:`from_table`, :func:`from_records`), for records, overrides and reports.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple, cast

import attrs
import numpy as np
import pandas as pd

from scorecard._core import artifact as _json
from scorecard._core.fields import one_of, string
from scorecard._core.types import FloatArray, ObjArray
from scorecard._core.validation import check_columns
from scorecard.exceptions import DataError
from scorecard.policy._spec import DECISION_CODES, DECISIONS, DECLINE, labeled
from scorecard.policy._terms import Terms
from scorecard.policy._values import object_values

__all__ = [
    "OVERRIDE_DIRECTIONS",
    "ComponentValue",
    "Decision",
    "Layout",
    "LimitBreakdown",
    "Outcome",
    "Override",
    "decision_of",
    "from_records",
    "from_table",
    "row",
    "to_table",
]

#: Override directions, named by what the underwriter overrode.
OVERRIDE_DIRECTIONS: tuple[str, ...] = (
    "low_side",  # approved below the cut-off (score decision decline)
    "high_side",  # declined above the cut-off (policy decision approve)
    "knock_out",  # approved although an (overridable) knock-out rule fired
    "refer_resolved",  # a referred application decided by hand (not counted as an override)
    "limit_floor",  # approved although the policy declined for a limit below the floor
)

_DEC_LOOKUP = np.array([*DECISIONS, None], dtype=object)  # code -1 -> None


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------


@attrs.frozen
class ComponentValue:
    """One limit component of one applicant: ``value`` None means *not applicable*.

    Parameters
    ----------
    name : str
        The component's name in the policy.
    kind : str
        ``"need"``, ``"capacity"``, ``"expected_loss"`` or ``"external"``.
    value : float or None
        The component's value for the applicant; None if it does not apply (a missing
        field, a grade the component does not list, no PD).

    Examples
    --------
    >>> c = ComponentValue("income", "capacity", 15_000.0)
    >>> c.applies, c.to_dict()
    (True, {'name': 'income', 'kind': 'capacity', 'value': 15000.0})
    >>> ComponentValue("insured", "external", None).applies
    False
    """

    name: str
    kind: str
    value: float | None

    @property
    def applies(self) -> bool:
        """Whether the component applies (has a value)."""
        return self.value is not None

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"name": self.name, "kind": self.kind, "value": self.value}


@attrs.frozen
class LimitBreakdown:
    """How an applicant's limit was composed.

    Parameters
    ----------
    components : tuple of ComponentValue
        Every limit component of the policy, in policy order.
    cap : float
        The policy cap.
    before_rounding : float
        ``min(applicable components, cap)``.
    unit : float
        The rounding unit.
    limit_if_approved : float
        ``before_rounding`` rounded down to a multiple of ``unit``.
    floor : float
        The policy floor.
    below_floor : bool
        ``limit_if_approved < floor`` or ``limit_if_approved == 0``.
    binding : str
        The component that set the limit (the first in policy order on ties), or ``"cap"``.

    Examples
    --------
    >>> b = LimitBreakdown(
    ...     components=(ComponentValue("requested", "need", 12_345.0),),
    ...     cap=25_000.0, before_rounding=12_345.0, unit=100.0, limit_if_approved=12_300.0,
    ...     floor=1_000.0, below_floor=False, binding="requested",
    ... )
    >>> LimitBreakdown.from_dict(b.to_dict()) == b
    True
    """

    components: tuple[ComponentValue, ...]
    cap: float
    before_rounding: float
    unit: float
    limit_if_approved: float
    floor: float
    below_floor: bool
    binding: str

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "components": [c.to_dict() for c in self.components],
            "cap": self.cap,
            "before_rounding": self.before_rounding,
            "unit": self.unit,
            "limit_if_approved": self.limit_if_approved,
            "floor": self.floor,
            "below_floor": self.below_floor,
            "binding": self.binding,
        }

    @classmethod
    def from_dict(cls, d: Any) -> LimitBreakdown:
        """Inverse of :meth:`to_dict`; a malformed body raises SchemaError naming the field."""
        o = _json.Obj(d)
        comps = []
        for i, c in enumerate(o.objects("components")):
            with _json.within("components", i):
                comps.append(
                    ComponentValue(c.string("name"), c.string("kind"), c.optional_number("value"))
                )
        fields = {
            name: o.number(name, nonfinite=name == "before_rounding")
            for name in ("cap", "before_rounding", "unit", "limit_if_approved", "floor")
        }
        below, binding = o.boolean("below_floor"), o.string("binding")
        return cls(components=tuple(comps), below_floor=below, binding=binding, **fields)


@attrs.frozen
class Override:
    """An underwriter's decision that replaced the policy's.

    Record one with :meth:`~scorecard.CreditPolicy.override` (it names the direction).

    Parameters
    ----------
    decision : {"approve", "decline"}
        The underwriter's decision.
    direction : str
        One of :data:`OVERRIDE_DIRECTIONS`: ``"low_side"`` (approved below the cut-off),
        ``"high_side"`` (declined above the cut-off), ``"knock_out"`` (approved despite an
        overridable knock-out), ``"refer_resolved"`` (a refer decided by hand) or
        ``"limit_floor"`` (approved although the limit fell below the floor).
    reason : str
        Why (non-empty).
    by : str
        Who decided.

    Examples
    --------
    >>> Override("approve", "low_side", "long-standing customer", by="jdoe").to_dict()
    {'decision': 'approve', 'direction': 'low_side', 'reason': 'long-standing customer',
     'by': 'jdoe'}
    >>> Override("approve", "sideways", "x")
    Traceback (most recent call last):
    ...
    scorecard.exceptions.SpecificationError: Override.direction: ... found 'sideways'
    """

    decision: str = attrs.field(validator=labeled(one_of(("approve", "decline"))))
    direction: str = attrs.field(validator=labeled(one_of(OVERRIDE_DIRECTIONS)))
    reason: str = attrs.field(validator=labeled(string()))
    by: str = attrs.field(default="", validator=labeled(string(nonempty=False)))

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "decision": self.decision,
            "direction": self.direction,
            "reason": self.reason,
            "by": self.by,
        }


@attrs.frozen
class Decision:
    """The policy's decision on one applicant (after an override, if any).

    Made by :meth:`~scorecard.CreditPolicy.decide_one`; the rows of a decision table
    convert to and from decisions with :meth:`~scorecard.CreditPolicy.records` and
    :meth:`~scorecard.CreditPolicy.table`.

    Attributes
    ----------
    decision : {"approve", "refer", "decline"}
        Final decision (the override's, if there is one).
    policy_decision : str
        What the policy decided: the score decision, lowered by knock-outs, rule refers and
        the limit floor.
    score_decision : str or None
        What the score or grade alone gives (None for a knocked-out applicant with no score).
        Low- and high-side overrides are defined against it.
    grade, score, pd, pd_source, lgd
        Grade name; score; PD used (floored); where it came from (``"data"``, ``"model"``,
        ``"grade"`` or ``"none"``); LGD used.
    limit : float
        Granted limit: ``breakdown.limit_if_approved`` for approvals, 0 otherwise (or the
        override's limit).
    breakdown : LimitBreakdown
    terms : Terms or None
        The grade's terms, for approvals and refers; None for declines.
    expected_loss : float
        ``pd * lgd * ccf * limit`` (0 when the limit is 0).
    knock_outs : tuple of str
        Codes of the knock-out rules that fired, in policy order.
    reasons : tuple of str
        For declines and refers: knock-out codes, rule refer codes, the floor code, then the
        scorecard's reason codes.  Empty for approvals.
    override : Override or None

    Examples
    --------
    >>> from scorecard import CreditPolicy, GradeScale
    >>> from scorecard.policy import Rule, ScoreCutoffs, Terms
    >>> policy = CreditPolicy(
    ...     grade_scale=GradeScale.from_cutoffs([600], ["A", "B"], pds=[0.01, 0.05]),
    ...     cutoffs=ScoreCutoffs(approve=600), rules=[Rule("age", "<", 18, code="KO01")],
    ...     cap=5_000, terms={"A": Terms("net 30"), "B": Terms("cash in advance")},
    ... )
    >>> d = policy.decide_one({"age": 17, "score": 640})
    >>> d.decision, d.knocked_out, d.reasons, d.grade
    ('decline', True, ('KO01',), 'A')
    >>> Decision.from_dict(d.to_dict()) == d
    True
    """

    decision: str
    policy_decision: str
    score_decision: str | None
    grade: str | None
    score: float | None
    pd: float | None
    pd_source: str
    lgd: float | None
    limit: float
    breakdown: LimitBreakdown
    terms: Terms | None
    expected_loss: float
    knock_outs: tuple[str, ...]
    reasons: tuple[str, ...]
    override: Override | None = None

    @property
    def knocked_out(self) -> bool:
        """Whether a knock-out rule fired."""
        return bool(self.knock_outs)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (for logs and messages)."""
        return {
            "decision": self.decision,
            "policy_decision": self.policy_decision,
            "score_decision": self.score_decision,
            "grade": self.grade,
            "score": self.score,
            "pd": self.pd,
            "pd_source": self.pd_source,
            "lgd": self.lgd,
            "limit": self.limit,
            "breakdown": self.breakdown.to_dict(),
            "terms": None if self.terms is None else self.terms.to_dict(),
            "expected_loss": self.expected_loss,
            "knock_outs": list(self.knock_outs),
            "reasons": list(self.reasons),
            "override": None if self.override is None else self.override.to_dict(),
        }

    @classmethod
    def from_dict(cls, d: Any) -> Decision:
        """Inverse of :meth:`to_dict`; a malformed body raises SchemaError naming the field."""
        o = _json.Obj(d, "decision")
        with _json.within("breakdown"):
            breakdown = LimitBreakdown.from_dict(o.raw("breakdown"))
        terms_body = o.raw("terms")
        terms = None
        if terms_body is not None:
            with _json.within("terms"):
                terms = Terms.from_dict(terms_body)
        override = None
        if o.raw("override") is not None:
            ov = o.obj("override")
            with _json.within("override"):
                override = Override(
                    ov.string("decision"),
                    ov.string("direction"),
                    ov.string("reason"),
                    ov.string("by"),
                )
        for name, allowed in (
            ("decision", DECISIONS),
            ("policy_decision", DECISIONS),
            ("pd_source", ("data", "model", "grade", "none")),
        ):
            value = o.string(name)
            _json.check(value in allowed, (name,), f"expected one of {allowed}, found {value!r}")
        sd = o.optional_string("score_decision")
        _json.check(sd is None or sd in DECISIONS, ("score_decision",), f"found {sd!r}")
        with _json.within():
            return cls(
                decision=o.string("decision"),
                policy_decision=o.string("policy_decision"),
                score_decision=o.optional_string("score_decision"),
                grade=o.optional_string("grade"),
                score=o.optional_number("score"),
                pd=o.optional_number("pd"),
                pd_source=o.string("pd_source"),
                lgd=o.optional_number("lgd"),
                limit=o.number("limit"),
                breakdown=breakdown,
                terms=terms,
                expected_loss=o.number("expected_loss"),
                knock_outs=tuple(o.strings("knock_outs")),
                reasons=tuple(o.strings("reasons")),
                override=override,
            )


# ---------------------------------------------------------------------------------------------
# The evaluator's result, and what the renderers need to know about the policy
# ---------------------------------------------------------------------------------------------


class Outcome(NamedTuple):
    """Decision fields of a frame (numpy arrays) or of one applicant (Python scalars).

    Codes: decisions 0 = decline, 1 = refer, 2 = approve, -1 = none; grade index -1 = none;
    NaN = none for numbers; ``;``-joined code strings; ``ov_*`` None = no override.
    """

    decision: Any
    policy_decision: Any
    score_decision: Any
    grade_idx: Any
    score: Any
    pd: Any
    pd_source: Any
    lgd: Any
    comps: tuple[Any, ...]  # one per limit component, NaN = not applicable
    before_rounding: Any
    limit_if_approved: Any
    binding: Any
    below_floor: Any
    limit: Any
    expected_loss: Any
    knock_outs: Any
    reasons: Any
    ko_locked: Any  # a knock-out rule that is not overridable fired
    ov_direction: Any = None
    ov_reason: Any = None
    ov_by: Any = None
    rows: pd.Index | None = None  # a frame's row labels

    @property
    def n(self) -> int:
        """Number of rows (of an outcome of arrays)."""
        return int(np.shape(self.decision)[0])


class Layout:
    """What rendering needs to know about a policy: grades, components, terms, limit settings."""

    def __init__(
        self,
        grade_names: tuple[str, ...],
        components: tuple[tuple[str, str], ...],
        terms: tuple[Terms, ...],
        cap: float,
        unit: float,
        floor: float,
        locked_codes: tuple[str, ...],
    ) -> None:
        self.grade_names = grade_names
        self.components = components  # (name, kind) per limit component
        self.terms = terms  # per grade
        self.cap, self.unit, self.floor = cap, unit, floor
        self.locked_codes = locked_codes
        # per grade, plus a trailing slot for "no grade" (index -1)
        self.grade_lookup = np.array([*grade_names, None], dtype=object)
        self.pay_terms = np.array([*(t.payment_terms for t in terms), None], dtype=object)
        self.pay_days = np.array(
            [*(np.nan if t.payment_days is None else t.payment_days for t in terms), np.nan]
        )
        self.security = np.array([*(";".join(t.security) for t in terms), None], dtype=object)
        self.review = np.array([*(t.review_months for t in terms), np.nan], dtype=np.float64)

    def columns(self) -> list[str]:
        """Columns of a decision table, in order."""
        return [
            "decision",
            "policy_decision",
            "score_decision",
            "grade",
            "score",
            "pd",
            "pd_source",
            "lgd",
            "limit",
            "limit_if_approved",
            "limit_before_rounding",
            "limit_binding",
            "below_floor",
            *(f"limit_{name}" for name, _ in self.components),
            "payment_terms",
            "payment_days",
            "security",
            "review_months",
            "expected_loss",
            "knock_outs",
            "reasons",
            "override_direction",
            "override_reason",
            "override_by",
        ]


# ---------------------------------------------------------------------------------------------
# Outcome -> Decision, Outcome <-> table, records -> Outcome
# ---------------------------------------------------------------------------------------------


def decision_of(o: Outcome, layout: Layout) -> Decision:
    """One applicant's outcome (Python scalars) as a :class:`Decision`."""
    # positional arguments, in field order: this is on the one-applicant path
    dec, pol, sd, gi, score, pd_, pd_source, lgd, comps, before, lia, binding, below, limit = o[:14]
    components = []
    for (name, kind), v in zip(layout.components, comps, strict=True):
        components.append(ComponentValue(name, kind, None if v != v else v))
    breakdown = LimitBreakdown(
        tuple(components), layout.cap, before, layout.unit, lia, layout.floor, below, binding
    )
    override = None
    if o.ov_direction is not None:
        by = "" if o.ov_by is None else o.ov_by
        override = Override(DECISIONS[dec], o.ov_direction, o.ov_reason, by)
    kos, reasons = o.knock_outs, o.reasons
    return Decision(
        DECISIONS[dec],
        DECISIONS[pol],
        None if sd < 0 else DECISIONS[sd],
        None if gi < 0 else layout.grade_names[gi],
        None if score != score else score,
        None if pd_ != pd_ else pd_,
        pd_source,
        None if lgd != lgd else lgd,
        limit,
        breakdown,
        layout.terms[gi] if dec != DECLINE and gi >= 0 else None,
        o.expected_loss,
        tuple(kos.split(";")) if kos else (),
        tuple(reasons.split(";")) if reasons else (),
        override,
    )


def _str_or_none(v: Any) -> str | None:
    return None if v is None else str(v)


def row(o: Outcome, i: int) -> Outcome:
    """Row ``i`` of a frame's outcome, as an outcome of Python scalars."""
    ov = o.ov_direction
    return Outcome(
        decision=int(o.decision[i]),
        policy_decision=int(o.policy_decision[i]),
        score_decision=int(o.score_decision[i]),
        grade_idx=int(o.grade_idx[i]),
        score=float(o.score[i]),
        pd=float(o.pd[i]),
        pd_source=str(o.pd_source[i]),
        lgd=float(o.lgd[i]),
        comps=tuple(float(c[i]) for c in o.comps),
        before_rounding=float(o.before_rounding[i]),
        limit_if_approved=float(o.limit_if_approved[i]),
        binding=str(o.binding[i]),
        below_floor=bool(o.below_floor[i]),
        limit=float(o.limit[i]),
        expected_loss=float(o.expected_loss[i]),
        knock_outs=str(o.knock_outs[i]),
        reasons=str(o.reasons[i]),
        ko_locked=bool(o.ko_locked[i]),
        ov_direction=None if ov is None else _str_or_none(ov[i]),
        ov_reason=None if o.ov_reason is None else _str_or_none(o.ov_reason[i]),
        ov_by=None if o.ov_by is None else _str_or_none(o.ov_by[i]),
    )


def _int64(x: FloatArray) -> Any:
    """Float array with NaN as a nullable ``Int64`` array."""
    return pd.array(cast(Any, x), dtype="Int64")


def _objects(x: Any, n: int) -> ObjArray:
    if x is None:
        return np.full(n, None, dtype=object)
    return np.asarray(x, dtype=object)


def to_table(o: Outcome, layout: Layout) -> pd.DataFrame:
    """A frame's outcome as a decision table (one row per applicant, the frame's index)."""
    n = o.n
    show = (o.decision != DECLINE) & (o.grade_idx >= 0)
    gi = np.where(show, o.grade_idx, -1)
    cols: dict[str, Any] = {
        "decision": _DEC_LOOKUP[o.decision],
        "policy_decision": _DEC_LOOKUP[o.policy_decision],
        "score_decision": _DEC_LOOKUP[o.score_decision],
        "grade": layout.grade_lookup[o.grade_idx],
        "score": np.asarray(o.score, dtype=np.float64),
        "pd": o.pd,
        "pd_source": _objects(o.pd_source, n),
        "lgd": o.lgd,
        "limit": o.limit,
        "limit_if_approved": o.limit_if_approved,
        "limit_before_rounding": o.before_rounding,
        "limit_binding": _objects(o.binding, n),
        "below_floor": np.asarray(o.below_floor, dtype=np.bool_),
    }
    for (name, _), values in zip(layout.components, o.comps, strict=True):
        cols[f"limit_{name}"] = values
    cols.update(
        {
            "payment_terms": layout.pay_terms[gi],
            "payment_days": _int64(layout.pay_days[gi]),
            "security": layout.security[gi],
            "review_months": _int64(layout.review[gi]),
            "expected_loss": o.expected_loss,
            "knock_outs": _objects(o.knock_outs, n),
            "reasons": _objects(o.reasons, n),
            "override_direction": _objects(o.ov_direction, n),
            "override_reason": _objects(o.ov_reason, n),
            "override_by": _objects(o.ov_by, n),
        }
    )
    return pd.DataFrame(cols, index=o.rows if o.rows is not None else pd.RangeIndex(n))


def from_table(table: pd.DataFrame, layout: Layout) -> Outcome:
    """A decision table (from :func:`to_table`) as an outcome of arrays."""
    if not isinstance(table, pd.DataFrame):
        raise DataError(
            f"table: expected a decision table (DataFrame), found {type(table).__name__}"
        )
    check_columns(table, layout.columns(), "decision table")
    n = len(table)

    def f8(name: str) -> FloatArray:
        return table[name].to_numpy(dtype=np.float64, na_value=np.nan)

    def codes(name: str, allow_none: bool) -> Any:
        mapped = table[name].map(DECISION_CODES)
        bad = mapped.isna() & (table[name].notna() | (not allow_none))
        if bad.any():
            raise DataError(
                f"decision table column {name!r}: expected 'approve', 'refer' or 'decline', "
                f"found {sorted(map(str, table[name][bad].unique()))[:5]}"
            )
        return np.asarray(mapped.fillna(-1).to_numpy(), dtype=np.int8)

    grade = table["grade"]
    gidx = pd.Index(layout.grade_names).get_indexer(pd.Index(object_values(grade)))
    bad = (gidx < 0) & grade.notna().to_numpy()
    if bad.any():
        raise DataError(
            f"decision table column 'grade': expected grades of the policy's scale "
            f"{list(layout.grade_names)}, found {sorted(map(str, grade[bad].unique()))[:5]}"
        )
    kos = table["knock_outs"].fillna("").astype(str)
    locked = np.zeros(n, dtype=np.bool_)
    if layout.locked_codes:
        wrapped = ";" + kos + ";"
        for code in layout.locked_codes:
            locked |= wrapped.str.contains(f";{code};", regex=False).to_numpy(dtype=np.bool_)
    return Outcome(
        decision=codes("decision", False),
        policy_decision=codes("policy_decision", False),
        score_decision=codes("score_decision", True),
        grade_idx=np.asarray(gidx, dtype=np.int64),
        score=f8("score"),
        pd=f8("pd"),
        pd_source=object_values(table["pd_source"]),
        lgd=f8("lgd"),
        comps=tuple(f8(f"limit_{name}") for name, _ in layout.components),
        before_rounding=f8("limit_before_rounding"),
        limit_if_approved=f8("limit_if_approved"),
        binding=object_values(table["limit_binding"]),
        below_floor=table["below_floor"].to_numpy(dtype=np.bool_),
        limit=f8("limit"),
        expected_loss=f8("expected_loss"),
        knock_outs=kos.to_numpy(dtype=object),
        reasons=table["reasons"].fillna("").astype(str).to_numpy(dtype=object),
        ko_locked=locked,
        ov_direction=object_values(table["override_direction"]),
        ov_reason=object_values(table["override_reason"]),
        ov_by=object_values(table["override_by"]),
        rows=table.index,
    )


def from_records(decisions: Sequence[Decision], layout: Layout) -> Outcome:
    """:class:`Decision` records of a policy as an outcome of arrays (index 0..n-1)."""
    ds = list(decisions)
    if not ds:
        raise DataError("decisions: expected at least one Decision, found none")
    names = layout.grade_names
    comp_names = [name for name, _ in layout.components]
    for i, d in enumerate(ds):
        if not isinstance(d, Decision):
            raise DataError(f"decisions[{i}]: expected a Decision, found {type(d).__name__}")
        if d.grade is not None and d.grade not in names:
            raise DataError(
                f"decisions[{i}]: grade {d.grade!r} is not in the policy's grade scale "
                f"{list(names)}"
            )
        found = [cv.name for cv in d.breakdown.components]
        if found != comp_names:
            raise DataError(
                f"decisions[{i}]: its limit components {found} are not this policy's {comp_names}"
            )
    nan = math.nan

    def f8(values: Sequence[float | None]) -> FloatArray:
        return np.array([nan if v is None else v for v in values], dtype=np.float64)

    def objects(values: Sequence[Any]) -> ObjArray:
        return np.array(values, dtype=object)

    ovs = [d.override for d in ds]
    return Outcome(
        decision=np.array([DECISION_CODES[d.decision] for d in ds], dtype=np.int8),
        policy_decision=np.array([DECISION_CODES[d.policy_decision] for d in ds], dtype=np.int8),
        score_decision=np.array(
            [-1 if d.score_decision is None else DECISION_CODES[d.score_decision] for d in ds],
            dtype=np.int8,
        ),
        grade_idx=np.array(
            [-1 if d.grade is None else names.index(d.grade) for d in ds], dtype=np.int64
        ),
        score=f8([d.score for d in ds]),
        pd=f8([d.pd for d in ds]),
        pd_source=objects([d.pd_source for d in ds]),
        lgd=f8([d.lgd for d in ds]),
        comps=tuple(
            f8([d.breakdown.components[j].value for d in ds]) for j in range(len(comp_names))
        ),
        before_rounding=f8([d.breakdown.before_rounding for d in ds]),
        limit_if_approved=f8([d.breakdown.limit_if_approved for d in ds]),
        binding=objects([d.breakdown.binding for d in ds]),
        below_floor=np.array([d.breakdown.below_floor for d in ds], dtype=np.bool_),
        limit=f8([d.limit for d in ds]),
        expected_loss=f8([d.expected_loss for d in ds]),
        knock_outs=objects([";".join(d.knock_outs) for d in ds]),
        reasons=objects([";".join(d.reasons) for d in ds]),
        ko_locked=np.zeros(len(ds), dtype=np.bool_),
        ov_direction=objects([None if o is None else o.direction for o in ovs]),
        ov_reason=objects([None if o is None else o.reason for o in ovs]),
        ov_by=objects([None if o is None else o.by for o in ovs]),
    )
