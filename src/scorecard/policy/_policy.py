"""Credit policy: from an applicant to a decision, a limit, terms, an expected loss and reasons.

The decision flow (every step is data in the policy, nothing is a lambda):

1. **knock-outs**: :class:`~scorecard.policy.Rule` objects, evaluated before the score; any
   rule that fires declines the applicant with its code.
2. **score and grade**: the score comes from the data (field ``score_field``) or from a
   model (:class:`~scorecard.policy.ScoringModel`); the grade from the
   :class:`~scorecard.GradeScale`.  The PD comes from the data (``pd_field``), the model,
   or else the grade's assigned PD; every PD used is floored at the scale's ``pd_floor``.
3. **approve / refer / decline** by score cut-offs or by grade sets (the *score decision*).
4. **limit**: the minimum of the limit components that apply, then the policy cap, then
   rounded **down** to the unit; a limit below the floor (or zero) turns an approval into a
   refer (or a decline, as the policy says).  Only approvals get a limit; refers show the
   proposal in ``limit_if_approved``.
5. **terms** by grade (payment terms, security, review frequency).
6. **expected loss** ``EL = PD * LGD * EAD`` with ``EAD = CCF * limit`` (CCF 1 by default).
7. **reasons**, for declines and refers: knock-out codes, then (if not knocked out) the
   codes of rules that referred for a missing value, then the floor code (if not knocked
   out and the score alone did not decline), then the scorecard's reason codes.
8. **overrides**: an underwriter's decision, recorded with its direction
   (``"low_side"`` = approved below the cut-off, ``"high_side"`` = declined above it,
   ``"knock_out"``, ``"refer_resolved"``, ``"limit_floor"``) and reported as rates by grade.

The flow is written once (:mod:`scorecard.policy._engine`) against an array namespace: a
whole DataFrame is decided vectorized (:meth:`CreditPolicy.decide`, numpy, no per-row
Python), one applicant in plain Python (:meth:`CreditPolicy.decide_one`: no pandas on the
way, with or without a scorecard, which scores the mapping itself with
:meth:`~scorecard.Scorecard.score_record`).  This module holds the policy's fields, their
validation, its JSON form, and the public methods, which delegate.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any, overload

import attrs
import pandas as pd

from scorecard._core import artifact as _json
from scorecard._core.arrays import NUMPY, SCALAR
from scorecard._core.fields import integer, number, one_of, string, to_integer, to_number
from scorecard.exceptions import DataError, SpecificationError
from scorecard.policy import _overrides
from scorecard.policy._engine import Engine
from scorecard.policy._grades import GradeScale
from scorecard.policy._inputs import ScoringModel, frame_inputs, record_inputs
from scorecard.policy._limits import COMPONENT_TYPES, LimitComponent, component_from_dict
from scorecard.policy._records import (
    OVERRIDE_DIRECTIONS,
    ComponentValue,
    Decision,
    LimitBreakdown,
    Override,
    decision_of,
    from_records,
    from_table,
    row,
    to_table,
)
from scorecard.policy._rules import Cutoffs, GradeCutoffs, Rule, ScoreCutoffs, cutoffs_from_dict
from scorecard.policy._spec import (
    ByGrade,
    by_grade,
    by_grade_check,
    by_grade_from_json,
    by_grade_to_json,
    fail,
    grade_keys,
    labeled,
    name_field,
    to_names,
    to_tuple,
)
from scorecard.policy._terms import Terms

__all__ = [
    "OVERRIDE_DIRECTIONS",
    "ComponentValue",
    "CreditPolicy",
    "Decision",
    "LimitBreakdown",
    "Override",
    "ScoringModel",
]

SCHEMA_VERSION = 1
KIND = "credit_policy"


# ---------------------------------------------------------------------------------------------
# Converters and validators of the policy's fields (cross-field checks read earlier fields:
# attrs runs validators in field order, after every field is set)
# ---------------------------------------------------------------------------------------------


def _to_terms(value: Any) -> Any:
    """A mapping (or pairs) grade -> Terms (or its dict form) as sorted pairs; else unchanged."""
    items = list(value.items()) if isinstance(value, Mapping) else to_tuple(value)
    if not isinstance(items, list | tuple):
        return value
    out = []
    for pair in items:
        if isinstance(pair, tuple | list) and len(pair) == 2:
            g, t = pair
            out.append((g, Terms.from_dict(t) if isinstance(t, Mapping) else t))
        else:
            out.append(pair)
    try:
        return tuple(sorted(out, key=lambda p: p[0]))
    except (TypeError, IndexError, KeyError):
        return tuple(out)


def _grade_names(policy: CreditPolicy) -> tuple[str, ...]:
    return policy.grade_scale.names


def _check_scale(policy: CreditPolicy, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, GradeScale):
        fail(policy, attribute.name, "a GradeScale", type(value).__name__)


def _check_cutoffs(policy: CreditPolicy, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, ScoreCutoffs | GradeCutoffs):
        fail(policy, attribute.name, "ScoreCutoffs or GradeCutoffs", type(value).__name__)
    if isinstance(value, GradeCutoffs):
        value.check_scale(_grade_names(policy))


def _check_terms(policy: CreditPolicy, attribute: attrs.Attribute[Any], value: Any) -> None:
    names = _grade_names(policy)
    if not isinstance(value, tuple):
        fail(policy, "terms", "a mapping grade -> Terms", value)
    for pair in value:
        if not (isinstance(pair, tuple) and len(pair) == 2):
            fail(policy, "terms", "a mapping grade -> Terms", pair)
        g, t = pair
        if g not in names:
            raise SpecificationError(
                f"CreditPolicy.terms: grade {g!r} is not in the grade scale {list(names)}"
            )
        if not isinstance(t, Terms):
            fail(policy, f"terms[{g!r}]", "Terms", type(t).__name__)
    absent = [g for g in names if g not in dict(value)]
    if absent:
        fail(policy, "terms", "terms for every grade of the scale", f"none for grade(s) {absent}")


def _check_floor(policy: CreditPolicy, attribute: attrs.Attribute[Any], value: Any) -> None:
    labeled(number(ge=0.0))(policy, attribute, value)
    if value > policy.cap:
        fail(policy, "floor", f"<= cap ({policy.cap!r})", value)


def _check_rules(policy: CreditPolicy, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, tuple):
        fail(policy, "rules", "a sequence of Rule", value)
    for i, r in enumerate(value):
        if not isinstance(r, Rule):
            fail(policy, f"rules[{i}]", "a Rule", r)
    codes = [r.code for r in value]
    dups = sorted({c for c in codes if codes.count(c) > 1})
    if dups:
        fail(policy, "rules", "unique codes", f"duplicates {dups}")


def _check_limits(policy: CreditPolicy, attribute: attrs.Attribute[Any], value: Any) -> None:
    names = _grade_names(policy)
    if not isinstance(value, tuple):
        fail(policy, "limits", "a sequence of limit components", value)
    for i, c in enumerate(value):
        if not isinstance(c, COMPONENT_TYPES):
            fail(
                policy,
                f"limits[{i}]",
                "NeedLimit, CapacityCap, ExpectedLossCap or ExternalLimit",
                type(c).__name__,
            )
        unknown = [g for g in c.grades() if g not in names]
        if unknown:
            raise SpecificationError(
                f"CreditPolicy.limits[{i}] ({c.name!r}): grade(s) {unknown} are not in the "
                f"grade scale {list(names)}"
            )
    cnames = [c.name for c in value]
    dups = sorted({c for c in cnames if cnames.count(c) > 1})
    if dups:
        fail(policy, "limits", "unique component names", f"duplicates {dups}")


def _check_floor_code(policy: CreditPolicy, attribute: attrs.Attribute[Any], value: Any) -> None:
    name_field()(policy, attribute, value)
    if value in [r.code for r in policy.rules]:
        fail(policy, "floor_code", "a code distinct from the rules' codes", value)


def _check_lgd(policy: CreditPolicy, attribute: attrs.Attribute[Any], value: Any) -> None:
    by_grade_check(gt=0.0, le=1.0)(policy, attribute, value)
    if isinstance(value, tuple):
        names = _grade_names(policy)
        keys = grade_keys(value)
        unknown = [g for g in keys if g not in names]
        absent = [g for g in names if g not in keys]
        if unknown or absent:
            fail(
                policy,
                "lgd",
                f"one LGD per grade of the scale {list(names)}",
                f"unknown grade(s) {unknown} and no LGD for {absent}",
            )


def _check_pd_field(policy: CreditPolicy, attribute: attrs.Attribute[Any], value: Any) -> None:
    labeled(string())(policy, attribute, value)
    if value == policy.score_field:
        fail(policy, "pd_field", "a field distinct from score_field", value)


def _check_reason_fields(policy: CreditPolicy, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, tuple):
        fail(policy, "reason_fields", "a sequence of field names", value)
    for f in value:
        if not isinstance(f, str) or not f:
            fail(policy, "reason_fields", "non-empty strings", f)


# ---------------------------------------------------------------------------------------------
# The policy
# ---------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CreditPolicy(_json.JsonArtifact):
    """A credit policy as data: knock-outs, cut-offs, limit components, terms, grade scale.

    Parameters
    ----------
    grade_scale : GradeScale
        Grades (best to worst); their PDs are the fallback PD.
    cutoffs : ScoreCutoffs or GradeCutoffs
        Approve / refer / decline by score or by grade.
    terms : mapping grade -> Terms
        Terms for every grade of the scale.
    cap : float
        Largest limit the policy grants (> 0, finite).
    rules : sequence of Rule
        Knock-out rules (codes unique).
    limits : sequence of limit components
        :class:`~scorecard.policy.NeedLimit`, :class:`~scorecard.policy.CapacityCap`,
        :class:`~scorecard.policy.ExpectedLossCap`, :class:`~scorecard.policy.ExternalLimit`
        (names unique identifiers).  The limit is the minimum of those that apply, capped
        at ``cap``.
    floor : float
        Smallest limit worth granting (>= 0, <= cap).  A rounded limit below it, or equal
        to 0, is *below floor*.
    unit : float
        Limits are rounded **down** to a multiple of ``unit`` (> 0).
    below_floor : {"refer", "decline"}
        What a below-floor limit does to an approval (and, for ``"decline"``, to a refer).
    floor_code : str
        Reason code reported for a below-floor limit.
    lgd : float or mapping grade -> float
        Loss given default in (0, 1]; a mapping must cover every grade.  0.45 by default
        (the Basel foundation-IRB LGD of senior unsecured claims).
    ccf : float
        Credit conversion factor in (0, 1]: ``EAD = ccf * limit``; 1 by default (the limit
        is assumed fully drawn).
    score_field, pd_field : str
        Fields of the data that carry the score and the PD (when no model is passed).  The
        PD field is optional in the data.
    reason_fields : sequence of str
        Fields that carry the scorecard's reason codes (when no model is passed).
    n_reasons : int
        How many reason codes to ask the model for.
    name, version : str
        Identification of the policy (free text, serialized).

    Examples
    --------
    >>> from scorecard import GradeScale
    >>> from scorecard.policy import CapacityCap, NeedLimit, Rule, ScoreCutoffs, Terms
    >>> scale = GradeScale.from_cutoffs([620, 580], ["A", "B", "C"], pds=[0.01, 0.03, 0.10])
    >>> policy = CreditPolicy(
    ...     grade_scale=scale,
    ...     cutoffs=ScoreCutoffs(approve=620, refer=580),
    ...     rules=[Rule("bankrupt", "is_true", code="KO01", missing="pass")],
    ...     limits=[
    ...         NeedLimit("requested", field="requested"),
    ...         CapacityCap("income", field="income", share={"A": 0.3, "B": 0.2}),
    ...     ],
    ...     cap=50_000, unit=100, floor=500,
    ...     terms={g: Terms("monthly", review_months=12) for g in "ABC"},
    ... )
    >>> d = policy.decide_one({"bankrupt": False, "requested": 20_000, "income": 60_000,
    ...                        "score": 640})
    >>> d.decision, d.grade, d.limit, d.breakdown.binding
    ('approve', 'A', 18000.0, 'income')
    >>> round(d.expected_loss, 2)   # 0.01 * 0.45 * 18000
    81.0
    >>> policy.decide_one({"bankrupt": True, "requested": 1, "income": 1, "score": 700}).reasons
    ('KO01',)
    >>> CreditPolicy.from_json(policy.to_json()) == policy
    True
    >>> CreditPolicy(grade_scale=scale, cutoffs=ScoreCutoffs(620), cap="50k",
    ...              terms={g: Terms("monthly") for g in "ABC"})
    Traceback (most recent call last):
    ...
    scorecard.exceptions.SpecificationError: CreditPolicy.cap: expected ... > 0, found '50k'
    """

    _KIND = KIND
    _SCHEMA_VERSION = SCHEMA_VERSION

    grade_scale: GradeScale = attrs.field(validator=_check_scale)
    cutoffs: Cutoffs = attrs.field(validator=_check_cutoffs)
    terms: tuple[tuple[str, Terms], ...] = attrs.field(converter=_to_terms, validator=_check_terms)
    cap: float = attrs.field(converter=to_number, validator=labeled(number(gt=0.0)))
    rules: tuple[Rule, ...] = attrs.field(default=(), converter=to_tuple, validator=_check_rules)
    limits: tuple[LimitComponent, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_check_limits
    )
    floor: float = attrs.field(default=0.0, converter=to_number, validator=_check_floor)
    unit: float = attrs.field(default=1.0, converter=to_number, validator=labeled(number(gt=0.0)))
    below_floor: str = attrs.field(default="refer", validator=labeled(one_of(("refer", "decline"))))
    floor_code: str = attrs.field(default="LIMIT_FLOOR", validator=_check_floor_code)
    lgd: ByGrade = attrs.field(default=0.45, converter=by_grade, validator=_check_lgd)
    ccf: float = attrs.field(
        default=1.0, converter=to_number, validator=labeled(number(gt=0.0, le=1.0))
    )
    score_field: str = attrs.field(default="score", validator=labeled(string()))
    pd_field: str = attrs.field(default="pd", validator=_check_pd_field)
    reason_fields: tuple[str, ...] = attrs.field(
        default=(), converter=to_names, validator=_check_reason_fields
    )
    n_reasons: int = attrs.field(default=4, converter=to_integer, validator=labeled(integer(ge=0)))
    name: str = attrs.field(default="credit policy", validator=labeled(string()))
    version: str = attrs.field(default="1", validator=labeled(string()))
    _c: Engine = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_c", Engine(self))

    # ------------------------------------------------------------------ inputs

    @property
    def required_fields(self) -> tuple[str, ...]:
        """Fields the data must have without a model: rule and limit fields, the score
        field and the reason fields (the PD field is optional)."""
        return self._c.sources.needed(with_model=False)

    # ------------------------------------------------------------------ decide

    @overload
    def decide(self, data: pd.DataFrame, *, model: ScoringModel | None = None) -> pd.DataFrame: ...

    @overload
    def decide(self, data: Mapping[str, Any], *, model: ScoringModel | None = None) -> Decision: ...

    def decide(
        self, data: pd.DataFrame | Mapping[str, Any], *, model: ScoringModel | None = None
    ) -> pd.DataFrame | Decision:
        """Decide a frame of applicants: a decision table, one row per applicant.

        Parameters
        ----------
        data : DataFrame
            The applicants.  Must hold every field in :attr:`required_fields` (with a
            model, the score and reason fields are not needed); the PD field is optional.
            A mapping (one applicant) is deprecated here: use :meth:`decide_one`.
        model : ScoringModel, optional
            A scorecard: if given, it computes score, PD and reason codes (overriding any
            score/PD fields in the data).

        Returns
        -------
        DataFrame
            One row per applicant, same index; columns ``decision``, ``policy_decision``,
            ``score_decision``, ``grade``, ``score``, ``pd``, ``pd_source``, ``lgd``,
            ``limit``, ``limit_if_approved``, ``limit_before_rounding``, ``limit_binding``,
            ``below_floor``, one ``limit_<component>`` per component (NaN = not
            applicable), ``payment_terms``, ``payment_days``, ``security`` (``;``-joined),
            ``review_months``, ``expected_loss``, ``knock_outs`` and ``reasons``
            (``;``-joined codes), ``override_direction``, ``override_reason``,
            ``override_by``.

        Raises
        ------
        DataError
            A required field is absent (named), a value has the wrong type, a score is
            missing for an applicant that was not knocked out, a PD is outside [0, 1].

        Examples
        --------
        >>> import pandas as pd
        >>> from scorecard import GradeScale
        >>> from scorecard.policy import NeedLimit, ScoreCutoffs, Terms
        >>> policy = CreditPolicy(
        ...     grade_scale=GradeScale.from_cutoffs([600], ["A", "B"], pds=[0.01, 0.05]),
        ...     cutoffs=ScoreCutoffs(approve=600), limits=[NeedLimit("need", field="amount")],
        ...     cap=5_000, unit=100, terms={"A": Terms("net 30"), "B": Terms("net 15")},
        ... )
        >>> frame = pd.DataFrame({"amount": [1_234, 9_000], "score": [640, 590]})
        >>> policy.decide(frame)[["decision", "grade", "limit", "limit_if_approved"]]
          decision grade   limit  limit_if_approved
        0  approve     A  1200.0             1200.0
        1  decline     B     0.0             5000.0
        """
        if isinstance(data, pd.DataFrame):
            engine = self._c
            outcome = engine.evaluate(NUMPY, frame_inputs(engine.sources, data, model))
            return to_table(outcome, engine.layout)
        if isinstance(data, Mapping):
            warnings.warn(
                "CreditPolicy.decide(mapping) is deprecated and will be removed in the next "
                "release: decide one applicant with CreditPolicy.decide_one(mapping)",
                DeprecationWarning,
                stacklevel=2,
            )
            return self.decide_one(data, model=model)
        raise DataError(
            f"decide: expected a DataFrame (use decide_one for one applicant as a dict), "
            f"found {type(data).__name__}"
        )

    def decide_one(
        self, applicant: Mapping[str, Any], *, model: ScoringModel | None = None
    ) -> Decision:
        """Decide one applicant: the online path, in plain Python (no pandas on the way).

        Parameters
        ----------
        applicant : mapping field -> value
            Must hold every field in :attr:`required_fields` (with a model, the score and
            reason fields are not needed); the PD field is optional.  Values are numbers,
            booleans, strings or missing (None, NaN); numpy scalars and decimals are fine.
        model : ScoringModel, optional
            A scorecard: if given, it computes score, PD and reason codes, overriding any
            score/PD fields in the applicant.  A scorecard (or any
            :class:`~scorecard.policy.RecordScoringModel`) scores the mapping itself
            (``model.score_record``), without pandas; a model with only the frame methods
            is called on a one-row frame.

        Returns
        -------
        Decision
            The same decision as the row of :meth:`decide` on a frame of this applicant.

        Raises
        ------
        DataError
            As :meth:`decide`.

        Examples
        --------
        >>> from scorecard import GradeScale
        >>> from scorecard.policy import NeedLimit, ScoreCutoffs, Terms
        >>> policy = CreditPolicy(
        ...     grade_scale=GradeScale.from_cutoffs([600], ["A", "B"], pds=[0.01, 0.05]),
        ...     cutoffs=ScoreCutoffs(approve=600), limits=[NeedLimit("need", field="amount")],
        ...     cap=5_000, unit=100, terms={"A": Terms("net 30"), "B": Terms("net 15")},
        ... )
        >>> d = policy.decide_one({"amount": 1_234, "score": 640})
        >>> d.decision, d.grade, d.limit, d.terms.payment_terms
        ('approve', 'A', 1200.0, 'net 30')
        """
        if type(applicant) is not dict and not isinstance(applicant, Mapping):
            raise DataError(
                f"decide_one: expected a mapping field -> value (one applicant), found "
                f"{type(applicant).__name__}"
            )
        engine = self._c
        outcome = engine.evaluate(SCALAR, record_inputs(engine.sources, applicant, model))
        return decision_of(outcome, engine.layout)

    # ------------------------------------------------------------------ records <-> table

    def records(self, table: pd.DataFrame) -> list[Decision]:
        """The rows of a decision table (from :meth:`decide`) as :class:`Decision` records."""
        layout = self._c.layout
        o = from_table(table, layout)
        return [decision_of(row(o, i), layout) for i in range(o.n)]

    def table(self, decisions: Sequence[Decision]) -> pd.DataFrame:
        """A decision table from :class:`Decision` records (inverse of :meth:`records`)."""
        layout = self._c.layout
        return to_table(from_records(decisions, layout), layout)

    # ------------------------------------------------------------------ overrides

    def override(
        self,
        decision: Decision,
        to: str,
        reason: str,
        *,
        limit: float | None = None,
        by: str = "",
    ) -> Decision:
        """Record an underwriter's decision on one applicant; returns a new :class:`Decision`.

        Parameters
        ----------
        decision : Decision
            The policy's decision (from :meth:`decide_one`).  A decision already overridden
            is overridden again from the policy's decision (the new override replaces the
            old).
        to : {"approve", "decline"}
            The underwriter's decision; it must differ from the policy's decision.
        reason : str
            Why (required, non-empty).
        limit : float, optional
            Limit granted on an approval (>= 0); defaults to ``limit_if_approved``, and is
            required when that is 0.  Not rounded, capped or floored: it is the underwriter's.
        by : str
            Who decided.

        The direction is named from the policy decision: a policy refer decided either way is
        ``"refer_resolved"``; an approval of a policy decline is ``"knock_out"`` (if a
        knock-out fired: every rule that fired must be ``overridable``), ``"low_side"`` (if
        the score decision was decline: approved below the cut-off) or ``"limit_floor"``; a
        decline of a policy approval is ``"high_side"`` (declined above the cut-off).
        """
        return _overrides.override(self._c, decision, to, reason, limit, by)

    def apply_overrides(self, table: pd.DataFrame, overrides: pd.DataFrame) -> pd.DataFrame:
        """Record underwriters' decisions on a decision table (vectorized).

        Parameters
        ----------
        table : DataFrame
            A decision table from :meth:`decide`.
        overrides : DataFrame
            Indexed by labels of ``table``; columns ``decision`` (``"approve"`` or
            ``"decline"``) and ``reason`` (required), ``limit`` and ``by`` (optional).  Same
            rules as :meth:`override`.

        Returns
        -------
        DataFrame
            A new decision table with ``decision``, ``limit``, ``expected_loss``, terms and
            the ``override_*`` columns updated on the overridden rows.
        """
        return _overrides.apply_overrides(self._c, table, overrides)

    def override_report(self, decisions: pd.DataFrame | Sequence[Decision]) -> pd.DataFrame:
        """Override counts and rates by grade (one row per grade, then ``"all"``).

        Columns: ``n``; ``n_below_cutoff`` (not knocked out, score decision decline),
        ``n_low_side``, ``low_side_rate = n_low_side / n_below_cutoff``; ``n_above_cutoff``
        (not knocked out, score decision approve), ``n_high_side``, ``high_side_rate =
        n_high_side / n_above_cutoff``; ``n_knocked_out``, ``n_knock_out_overrides``;
        ``n_referred`` (policy refers), ``n_refer_resolved``; ``n_limit_floor_overrides``.
        Rates are NaN when their denominator is 0.  Applicants without a grade (knocked out
        and unscored) count only in ``"all"``.
        """
        return _overrides.override_report(self._c, decisions)

    # ------------------------------------------------------------------ serialization

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (the body of the ``"credit_policy"`` artifact)."""
        return {
            "name": self.name,
            "version": self.version,
            "grade_scale": self.grade_scale.to_dict(),
            "cutoffs": self.cutoffs.to_dict(),
            "rules": [r.to_dict() for r in self.rules],
            "limits": [c.to_dict() for c in self.limits],
            "cap": float(self.cap),
            "floor": float(self.floor),
            "unit": float(self.unit),
            "below_floor": self.below_floor,
            "floor_code": self.floor_code,
            "lgd": by_grade_to_json(self.lgd),
            "ccf": float(self.ccf),
            "terms": {g: t.to_dict() for g, t in self.terms},
            "score_field": self.score_field,
            "pd_field": self.pd_field,
            "reason_fields": list(self.reason_fields),
            "n_reasons": self.n_reasons,
        }

    @classmethod
    def from_dict(cls, d: Any) -> CreditPolicy:
        """Inverse of :meth:`to_dict`; a malformed or inconsistent body raises SchemaError.

        Each part is read as its class reads it (the grade scale, the cut-offs, each rule,
        limit component and terms); then the policy's own checks hold the parts together:
        the grades named by grade cut-offs, by the limit components, by the terms and by
        the LGD exist in the grade scale (the cut-offs ordered like the scale, terms for
        every grade, one LGD per grade if by grade), rule codes and component names are
        unique, ``floor <= cap``, the floor code differs from the rule codes and the PD
        field from the score field.
        """
        o = _json.Obj(d)

        def part(field: str, read: Any) -> Any:
            with _json.within(field):
                return read(o.raw(field))

        def each(field: str, read: Any) -> tuple[Any, ...]:
            out = []
            for i, v in enumerate(o.array(field)):
                with _json.within(field, i):
                    out.append(read(v))
            return tuple(out)

        terms = {}
        for g, t in o.obj("terms").raw_mapping().items():
            with _json.within("terms", g):
                terms[g] = Terms.from_dict(t)
        fields: dict[str, Any] = {
            "name": o.string("name"),
            "version": o.string("version"),
            "grade_scale": part("grade_scale", GradeScale.from_dict),
            "cutoffs": part("cutoffs", cutoffs_from_dict),
            "rules": each("rules", Rule.from_dict),
            "limits": each("limits", component_from_dict),
            "cap": o.number("cap"),
            "floor": o.number("floor"),
            "unit": o.number("unit"),
            "below_floor": o.string("below_floor"),
            "floor_code": o.string("floor_code"),
            "lgd": part("lgd", by_grade_from_json),
            "ccf": o.number("ccf"),
            "terms": terms,
            "score_field": o.string("score_field"),
            "pd_field": o.string("pd_field"),
            "reason_fields": tuple(o.strings("reason_fields")),
            "n_reasons": o.integer("n_reasons"),
        }
        with _json.within():
            return cls(**fields)
