"""Credit policy: from an applicant to a decision, a limit, terms, an expected loss and reasons.

The decision flow (every step is data in the policy, nothing is a lambda):

1. **knock-outs**: :class:`~scorecard.policy._rules.Rule` objects, evaluated before the
   score; any rule that fires declines the applicant with its code.
2. **score and grade**: the score comes from the data (field ``score_field``) or from a
   model (:class:`ScoringModel`); the grade from the :class:`~scorecard.policy._grades.GradeScale`.
   The PD comes from the data (``pd_field``), the model, or else the grade's assigned PD;
   every PD used is floored at the scale's ``pd_floor``.
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

One applicant (a dict, the online path) is decided in plain Python, with no pandas and no
numpy on the way (about 20 microseconds); a whole DataFrame is decided vectorised (numpy, no
per-row Python).  The two are twins, written to the same arithmetic in the same order, and a
property test checks that they agree on every row.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol, cast, overload, runtime_checkable

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard._core import artifact as _json
from scorecard._core.artifact import get
from scorecard._core.types import BoolArray, FloatArray, IntArray, ObjArray
from scorecard._core.validation import check_columns, check_frame
from scorecard.exceptions import DataError, SchemaError, SpecificationError
from scorecard.policy._grades import GradeScale
from scorecard.policy._rules import (
    APPROVE,
    DECISIONS,
    DECLINE,
    REFER,
    ByGrade,
    CapacityCap,
    Col,
    Cutoffs,
    ExpectedLossCap,
    ExternalLimit,
    GradeCutoffs,
    LimitComponent,
    LimitContext,
    NeedLimit,
    Rule,
    ScalarContext,
    ScoreCutoffs,
    Terms,
    by_grade,
    by_grade_from_json,
    by_grade_to_json,
    code_array,
    col_from_series,
    component_from_dict,
    cutoffs_from_dict,
    describe_rows,
    grade_keys,
    join_codes,
    object_values,
    per_grade,
    scalar_from_value,
)

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

#: Override directions, named by what the underwriter overrode.
OVERRIDE_DIRECTIONS: tuple[str, ...] = (
    "low_side",  # approved below the cut-off (score decision decline)
    "high_side",  # declined above the cut-off (policy decision approve)
    "knock_out",  # approved although an (overridable) knock-out rule fired
    "refer_resolved",  # a referred application decided by hand (not counted as an override)
    "limit_floor",  # approved although the policy declined for a limit below the floor
)

_DEC_LOOKUP = np.array([*DECISIONS, None], dtype=object)  # code -1 -> None
_DEC_CODE = {"decline": DECLINE, "refer": REFER, "approve": APPROVE}


# ---------------------------------------------------------------------------------------------
# The scorecard a policy can call
# ---------------------------------------------------------------------------------------------


@runtime_checkable
class ScoringModel(Protocol):
    """What :meth:`CreditPolicy.decide` needs from a scorecard passed as ``model=``.

    ``score`` returns total points per row (higher = safer), ``predict_pd`` the probability
    of bad per row, ``reason_codes`` a frame with columns ``reason_1..reason_n`` holding
    reason codes (strings) or None, one row per input row, in the input's order.
    """

    def score(self, frame: pd.DataFrame) -> Any:
        """Total points per row."""

    def predict_pd(self, frame: pd.DataFrame) -> Any:
        """Probability of bad per row."""

    def reason_codes(self, frame: pd.DataFrame, n: int = 4) -> pd.DataFrame:
        """Up to ``n`` reason codes per row."""


# ---------------------------------------------------------------------------------------------
# Decision records
# ---------------------------------------------------------------------------------------------


def _opt_float(v: Any) -> float | None:
    return None if v is None else float(v)


@attrs.frozen
class ComponentValue:
    """One limit component of one applicant: ``value`` None means *not applicable*."""

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

    ``before_rounding = min(applicable components, cap)``; ``limit_if_approved`` is that
    rounded down to a multiple of ``unit``; ``below_floor`` is ``limit_if_approved < floor``
    or ``limit_if_approved == 0``; ``binding`` names the component that set the limit (the
    first in policy order on ties) or ``"cap"``.
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
    def from_dict(cls, d: Mapping[str, Any]) -> LimitBreakdown:
        """Inverse of :meth:`to_dict`."""
        w = "limit breakdown"
        return cls(
            components=tuple(
                ComponentValue(get(c, "name", w), get(c, "kind", w), _opt_float(get(c, "value", w)))
                for c in get(d, "components", w)
            ),
            cap=float(get(d, "cap", w)),
            before_rounding=float(get(d, "before_rounding", w)),
            unit=float(get(d, "unit", w)),
            limit_if_approved=float(get(d, "limit_if_approved", w)),
            floor=float(get(d, "floor", w)),
            below_floor=bool(get(d, "below_floor", w)),
            binding=get(d, "binding", w),
        )


@attrs.frozen
class Override:
    """An underwriter's decision that replaced the policy's.

    ``direction`` is one of :data:`OVERRIDE_DIRECTIONS`: ``"low_side"`` (approved below the
    cut-off), ``"high_side"`` (declined above the cut-off), ``"knock_out"`` (approved despite
    an overridable knock-out), ``"refer_resolved"`` (a refer decided by hand) or
    ``"limit_floor"`` (approved although the limit fell below the floor).
    """

    decision: str
    direction: str
    reason: str
    by: str = ""

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
    def from_dict(cls, d: Mapping[str, Any]) -> Decision:
        """Inverse of :meth:`to_dict`."""
        w = "decision"
        terms = get(d, "terms", w)
        ov = get(d, "override", w)
        return cls(
            decision=get(d, "decision", w),
            policy_decision=get(d, "policy_decision", w),
            score_decision=get(d, "score_decision", w),
            grade=get(d, "grade", w),
            score=_opt_float(get(d, "score", w)),
            pd=_opt_float(get(d, "pd", w)),
            pd_source=get(d, "pd_source", w),
            lgd=_opt_float(get(d, "lgd", w)),
            limit=float(get(d, "limit", w)),
            breakdown=LimitBreakdown.from_dict(get(d, "breakdown", w)),
            terms=None if terms is None else Terms.from_dict(terms),
            expected_loss=float(get(d, "expected_loss", w)),
            knock_outs=tuple(get(d, "knock_outs", w)),
            reasons=tuple(get(d, "reasons", w)),
            override=None
            if ov is None
            else Override(
                get(ov, "decision", w),
                get(ov, "direction", w),
                get(ov, "reason", w),
                get(ov, "by", w),
            ),
        )


# ---------------------------------------------------------------------------------------------
# Internal: a batch of decisions as numpy arrays (the one representation both paths share)
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class _Batch:
    index: pd.Index | None
    decision: npt.NDArray[np.int8]
    policy_decision: npt.NDArray[np.int8]
    score_decision: npt.NDArray[np.int8]  # -1 = none
    grade_idx: IntArray  # -1 = none
    score: FloatArray
    pd: FloatArray
    pd_source: ObjArray
    lgd: FloatArray
    comps: FloatArray  # (k, n), NaN = not applicable
    before_rounding: FloatArray
    limit_if_approved: FloatArray
    binding: ObjArray
    below_floor: BoolArray
    limit: FloatArray
    expected_loss: FloatArray
    knock_outs: ObjArray  # ";"-joined codes
    reasons: ObjArray
    ko_locked: BoolArray  # a non-overridable knock-out fired
    ov_direction: ObjArray  # None = no override
    ov_reason: ObjArray
    ov_by: ObjArray

    @property
    def n(self) -> int:
        return int(self.decision.shape[0])


@dataclasses.dataclass(frozen=True)
class _Compiled:
    names: tuple[str, ...]
    grade_codes: npt.NDArray[np.int8] | None  # per grade (+ -1 slot) for GradeCutoffs
    grade_pd: FloatArray | None  # per grade (+ NaN slot), floored; None if no PDs
    lgd: FloatArray  # per grade (+ NaN slot)
    pay_terms: ObjArray
    pay_days: FloatArray
    security: ObjArray
    review: FloatArray
    fields: tuple[str, ...]
    locked_codes: tuple[str, ...]
    floor_level: int
    grade_lookup: ObjArray  # names + None slot
    terms: tuple[Terms, ...]  # per grade
    factors: tuple[FloatArray, ...]  # per limit component, per grade (+ NaN slot)
    # the same as Python lists, for the one-applicant path
    k: int
    asc_cutoffs: list[float]
    grade_codes_list: list[int] | None
    grade_pd_list: list[float] | None
    lgd_list: list[float]
    factor_lists: tuple[list[float], ...]


def _reason_error(name: str, problem: str) -> DataError:
    if problem == "numbers":
        return DataError(f"{name}: expected reason codes (text) or missing, found numbers")
    return DataError(f"{name}: expected reason codes without ';', found one with ';'")


def _round_down(x: FloatArray, unit: float) -> FloatArray:
    """Largest multiple ``q * unit`` that is ``<= x`` in floating point (q integer)."""
    q = np.floor(x / unit)
    q = q + ((q + 1.0) * unit <= x)
    q = q - (q * unit > x)
    out: FloatArray = q * unit
    return out


def _int64(x: FloatArray) -> Any:
    """Float array with NaN as a nullable ``Int64`` array."""
    return pd.array(cast(Any, x), dtype="Int64")


def _terms_converter(v: Any) -> tuple[tuple[str, Terms], ...]:
    if isinstance(v, Mapping):
        items = list(v.items())
    else:
        items = list(v)
    out = []
    for g, t in items:
        out.append((g, Terms.from_dict(t) if isinstance(t, Mapping) else t))
    try:
        return tuple(sorted(out, key=lambda p: p[0]))
    except TypeError:
        return tuple(out)


def _num(v: Any) -> Any:
    """Numbers (Python or numpy, not bool) to float; anything else is left to validation."""
    if isinstance(v, bool | np.bool_):
        return v
    if isinstance(v, numbers.Real):
        return float(v)
    return v


def _rules_tuple(v: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(v)


def _limits_tuple(v: Iterable[LimitComponent]) -> tuple[LimitComponent, ...]:
    return tuple(v)


def _tuple_of_str(v: Any) -> tuple[str, ...]:
    if isinstance(v, str):
        return (v,)
    return tuple(v)


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
        :class:`NeedLimit`, :class:`CapacityCap`, :class:`ExpectedLossCap`,
        :class:`ExternalLimit` (names unique identifiers).  The limit is the minimum of those
        that apply, capped at ``cap``.
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
    >>> from scorecard.policy._grades import GradeScale
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
    >>> d = policy.decide({"bankrupt": False, "requested": 20_000, "income": 60_000,
    ...                    "score": 640})
    >>> d.decision, d.grade, d.limit, d.breakdown.binding
    ('approve', 'A', 18000.0, 'income')
    >>> round(d.expected_loss, 2)   # 0.01 * 0.45 * 18000
    81.0
    >>> policy.decide({"bankrupt": True, "requested": 1, "income": 1, "score": 700}).reasons
    ('KO01',)
    >>> CreditPolicy.from_json(policy.to_json()) == policy
    True
    """

    _KIND = KIND
    _SCHEMA_VERSION = SCHEMA_VERSION

    grade_scale: GradeScale
    cutoffs: Cutoffs
    terms: tuple[tuple[str, Terms], ...] = attrs.field(converter=_terms_converter)
    cap: float = attrs.field(converter=_num)
    rules: tuple[Rule, ...] = attrs.field(default=(), converter=_rules_tuple)
    limits: tuple[LimitComponent, ...] = attrs.field(default=(), converter=_limits_tuple)
    floor: float = attrs.field(default=0.0, converter=_num)
    unit: float = attrs.field(default=1.0, converter=_num)
    below_floor: str = "refer"
    floor_code: str = "LIMIT_FLOOR"
    lgd: ByGrade = attrs.field(default=0.45, converter=by_grade)
    ccf: float = attrs.field(default=1.0, converter=_num)
    score_field: str = "score"
    pd_field: str = "pd"
    reason_fields: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    n_reasons: int = 4
    name: str = "credit policy"
    version: str = "1"
    _c: _Compiled = attrs.field(init=False, eq=False, repr=False, hash=False)

    # ------------------------------------------------------------------ validation

    def __attrs_post_init__(self) -> None:
        self._validate()
        object.__setattr__(self, "_c", self._compile())

    def _validate(self) -> None:
        P = "CreditPolicy"
        if not isinstance(self.grade_scale, GradeScale):
            raise SpecificationError(
                f"{P}.grade_scale: expected a GradeScale, found {type(self.grade_scale).__name__}"
            )
        names = self.grade_scale.names
        if not isinstance(self.cutoffs, ScoreCutoffs | GradeCutoffs):
            raise SpecificationError(
                f"{P}.cutoffs: expected ScoreCutoffs or GradeCutoffs, found "
                f"{type(self.cutoffs).__name__}"
            )
        if isinstance(self.cutoffs, GradeCutoffs):
            self.cutoffs.check_scale(names)
        for g, t in self.terms:
            if g not in names:
                raise SpecificationError(
                    f"{P}.terms: grade {g!r} is not in the grade scale {list(names)}"
                )
            if not isinstance(t, Terms):
                raise SpecificationError(
                    f"{P}.terms[{g!r}]: expected Terms, found {type(t).__name__}"
                )
        missing = [g for g in names if g not in dict(self.terms)]
        if missing:
            raise SpecificationError(
                f"{P}.terms: expected terms for every grade of the scale, found none for "
                f"grade(s) {missing}"
            )
        for name, lo, strict in (("cap", 0.0, True), ("floor", 0.0, False), ("unit", 0.0, True)):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v):
                raise SpecificationError(f"{P}.{name}: expected a finite number, found {v!r}")
            if v < lo or (strict and v == lo):
                raise SpecificationError(
                    f"{P}.{name}: expected {'>' if strict else '>='} {lo}, found {v!r}"
                )
        if self.floor > self.cap:
            raise SpecificationError(
                f"{P}.floor: expected <= cap ({self.cap!r}), found {self.floor!r}"
            )
        if self.below_floor not in ("refer", "decline"):
            raise SpecificationError(
                f"{P}.below_floor: expected 'refer' or 'decline', found {self.below_floor!r}"
            )
        for i, r in enumerate(self.rules):
            if not isinstance(r, Rule):
                raise SpecificationError(
                    f"{P}.rules[{i}]: expected a Rule, found {type(r).__name__} {r!r}"
                )
        codes = [r.code for r in self.rules]
        dups = sorted({c for c in codes if codes.count(c) > 1})
        if dups:
            raise SpecificationError(f"{P}.rules: expected unique codes, found duplicates {dups}")
        if not isinstance(self.floor_code, str) or not self.floor_code or ";" in self.floor_code:
            raise SpecificationError(
                f"{P}.floor_code: expected a non-empty string without ';', found "
                f"{self.floor_code!r}"
            )
        if self.floor_code in codes:
            raise SpecificationError(
                f"{P}.floor_code: {self.floor_code!r} is also the code of a rule; expected "
                "distinct codes"
            )
        kinds = (NeedLimit, CapacityCap, ExpectedLossCap, ExternalLimit)
        for i, c in enumerate(self.limits):
            if not isinstance(c, kinds):
                raise SpecificationError(
                    f"{P}.limits[{i}]: expected NeedLimit, CapacityCap, ExpectedLossCap or "
                    f"ExternalLimit, found {type(c).__name__}"
                )
            unknown = [g for g in c.grades() if g not in names]
            if unknown:
                raise SpecificationError(
                    f"{P}.limits[{i}] ({c.name!r}): grade(s) {unknown} are not in the grade "
                    f"scale {list(names)}"
                )
        cnames = [c.name for c in self.limits]
        dups = sorted({c for c in cnames if cnames.count(c) > 1})
        if dups:
            raise SpecificationError(
                f"{P}.limits: expected unique component names, found duplicates {dups}"
            )
        items = self.lgd if isinstance(self.lgd, tuple) else (("*", self.lgd),)
        for g, v in items:
            where = "lgd" if g == "*" else f"lgd[{g!r}]"
            if isinstance(v, bool) or not isinstance(v, int | float) or not (0.0 < v <= 1.0):
                raise SpecificationError(f"{P}.{where}: expected a number in (0, 1], found {v!r}")
        if isinstance(self.lgd, tuple):
            keys = grade_keys(self.lgd)
            unknown = [g for g in keys if g not in names]
            absent = [g for g in names if g not in keys]
            if unknown or absent:
                raise SpecificationError(
                    f"{P}.lgd: expected one LGD per grade of the scale {list(names)}, found "
                    f"unknown grade(s) {unknown} and no LGD for {absent}"
                )
        ccf: Any = self.ccf
        if not isinstance(ccf, float) or not (0.0 < ccf <= 1.0):
            raise SpecificationError(f"{P}.ccf: expected a number in (0, 1], found {ccf!r}")
        for name in ("score_field", "pd_field", "name", "version"):
            v = getattr(self, name)
            if not isinstance(v, str) or not v:
                raise SpecificationError(f"{P}.{name}: expected a non-empty string, found {v!r}")
        if self.score_field == self.pd_field:
            raise SpecificationError(
                f"{P}.pd_field: expected a field distinct from score_field, found "
                f"{self.pd_field!r} for both"
            )
        for f in self.reason_fields:
            if not isinstance(f, str) or not f:
                raise SpecificationError(
                    f"{P}.reason_fields: expected non-empty strings, found {f!r}"
                )
        n = self.n_reasons
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise SpecificationError(f"{P}.n_reasons: expected an integer >= 0, found {n!r}")

    def _compile(self) -> _Compiled:
        names = self.grade_scale.names
        k = len(names)
        codes = None
        if isinstance(self.cutoffs, GradeCutoffs):
            codes = np.append(self.cutoffs.per_grade(names), np.int8(-1)).astype(np.int8)
        gpd = None
        if self.grade_scale.has_pds:
            gpd = np.append(self.grade_scale.grade_pd(np.arange(k, dtype=np.int64)), np.nan)
        terms = dict(self.terms)
        tl = [terms[g] for g in names]
        lgd = per_grade(self.lgd, names)
        factors = tuple(per_grade(comp.factor, names) for comp in self.limits)
        fields = [r.field for r in self.rules]
        for comp in self.limits:
            fields.extend(comp.fields)
        return _Compiled(
            names=names,
            grade_codes=codes,
            grade_pd=gpd,
            lgd=lgd,
            pay_terms=np.array([*(t.payment_terms for t in tl), None], dtype=object),
            pay_days=np.array(
                [*(np.nan if t.payment_days is None else t.payment_days for t in tl), np.nan]
            ),
            security=np.array([*(";".join(t.security) for t in tl), None], dtype=object),
            review=np.array([*(t.review_months for t in tl), np.nan], dtype=np.float64),
            fields=tuple(dict.fromkeys(fields)),
            locked_codes=tuple(r.code for r in self.rules if not r.overridable),
            floor_level=REFER if self.below_floor == "refer" else DECLINE,
            grade_lookup=np.array([*names, None], dtype=object),
            terms=tuple(tl),
            factors=factors,
            k=k,
            asc_cutoffs=list(self.grade_scale.cutoffs[::-1]),
            grade_codes_list=None if codes is None else [int(x) for x in codes],
            grade_pd_list=None if gpd is None else [float(x) for x in gpd],
            lgd_list=[float(x) for x in lgd],
            factor_lists=tuple([float(x) for x in f] for f in factors),
        )

    # ------------------------------------------------------------------ inputs

    @property
    def required_fields(self) -> tuple[str, ...]:
        """Fields the data must have without a model: rule and limit fields, the score
        field and the reason fields (the PD field is optional)."""
        return tuple(dict.fromkeys([*self._c.fields, self.score_field, *self.reason_fields]))

    def _score_col(self, col: Col, index: pd.Index | None) -> FloatArray:
        if col.kind == "string":
            raise self._score_error("text", "")
        s: FloatArray = col.values
        bad = np.isinf(s)
        if bad.any():
            raise self._score_error("inf", describe_rows(bad, index))
        return s

    def _pd_values(self, p: FloatArray, what: str, index: pd.Index | None) -> FloatArray:
        bad = ~np.isnan(p) & ~((p >= 0.0) & (p <= 1.0))
        if bad.any():
            raise self._pd_range_error(what, p[bad][:3].tolist(), describe_rows(bad, index))
        return p

    def _reason_parts(self, cols: Sequence[Col], names: Sequence[str]) -> list[ObjArray]:
        parts = []
        for col, name in zip(cols, names, strict=True):
            if col.kind == "number":
                raise _reason_error(name, "numbers")
            if col.kind == "empty":
                parts.append(np.full(col.missing.shape[0], "", dtype=object))
                continue
            v = np.where(col.missing, "", col.values).astype(object)
            if np.any(np.char.find(v.astype(str), ";") >= 0):
                raise _reason_error(name, ";")
            parts.append(v)
        return parts

    def _model_outputs(
        self, model: Any, frame: pd.DataFrame, index: pd.Index | None
    ) -> tuple[FloatArray, FloatArray, list[ObjArray]]:
        if not isinstance(model, ScoringModel):
            raise SpecificationError(
                f"model: expected an object with score(frame), predict_pd(frame) and "
                f"reason_codes(frame, n), found {type(model).__name__}"
            )
        n = len(frame)
        out = []
        both = getattr(model, "score_and_pd", None)  # one pass over the data when offered
        scores, pds = (
            both(frame) if callable(both) else (model.score(frame), model.predict_pd(frame))
        )
        for what, raw in (("model.score", scores), ("model.predict_pd", pds)):
            try:
                arr = np.asarray(raw, dtype=np.float64)
            except (TypeError, ValueError):
                raise DataError(f"{what}: expected numbers, found {type(raw).__name__}") from None
            if arr.shape != (n,):
                raise DataError(f"{what}: expected {n} values (one per row), found {arr.shape}")
            bad = ~np.isfinite(arr)
            if bad.any():
                raise DataError(
                    f"{what}: expected finite numbers, found NaN/inf at {describe_rows(bad, index)}"
                )
            out.append(arr)
        self._pd_values(out[1], "model.predict_pd", index)
        parts: list[ObjArray] = []
        if self.n_reasons > 0:
            rc = model.reason_codes(frame, n=self.n_reasons)
            if not isinstance(rc, pd.DataFrame) or len(rc) != n:
                raise DataError(
                    f"model.reason_codes: expected a DataFrame with {n} rows, found "
                    f"{type(rc).__name__} of length {len(rc) if hasattr(rc, '__len__') else '?'}"
                )
            names = [f"model.reason_codes column {c!r}" for c in rc.columns]
            cols = [col_from_series(rc.iloc[:, j], names[j]) for j in range(rc.shape[1])]
            parts = self._reason_parts(cols, names)
        return out[0], out[1], parts

    # ------------------------------------------------------------------ decide

    @overload
    def decide(self, data: pd.DataFrame, *, model: ScoringModel | None = None) -> pd.DataFrame: ...

    @overload
    def decide(self, data: Mapping[str, Any], *, model: ScoringModel | None = None) -> Decision: ...

    def decide(
        self, data: pd.DataFrame | Mapping[str, Any], *, model: ScoringModel | None = None
    ) -> pd.DataFrame | Decision:
        """Decide one applicant (a dict -> :class:`Decision`) or a frame (-> decision table).

        Parameters
        ----------
        data : dict or DataFrame
            The applicant(s).  Must hold every field in :attr:`required_fields` (with a
            model, the score and reason fields are not needed); the PD field is optional.
        model : ScoringModel, optional
            A scorecard: if given, it computes score, PD and reason codes (overriding any
            score/PD fields in the data).

        Returns
        -------
        Decision or DataFrame
            For a frame, one row per applicant, same index; columns ``decision``,
            ``policy_decision``, ``score_decision``, ``grade``, ``score``, ``pd``,
            ``pd_source``, ``lgd``, ``limit``, ``limit_if_approved``,
            ``limit_before_rounding``, ``limit_binding``, ``below_floor``, one
            ``limit_<component>`` per component (NaN = not applicable), ``payment_terms``,
            ``payment_days``, ``security`` (``;``-joined), ``review_months``,
            ``expected_loss``, ``knock_outs`` and ``reasons`` (``;``-joined codes),
            ``override_direction``, ``override_reason``, ``override_by``.

        Raises
        ------
        DataError
            A required field is absent (named), a value has the wrong type, a score is
            missing for an applicant that was not knocked out, a PD is outside [0, 1].
        """
        if isinstance(data, pd.DataFrame):
            return self._table_from_batch(self._decide_frame(data, model))
        if isinstance(data, Mapping):
            return self._decide_one(data, model)
        raise DataError(
            f"decide: expected a dict (one applicant) or a DataFrame, found {type(data).__name__}"
        )

    def _decide_frame(self, data: pd.DataFrame, model: ScoringModel | None) -> _Batch:
        data = check_frame(data, "decide")
        index = data.index
        needed = list(self._c.fields)
        if model is None:
            needed += [self.score_field, *self.reason_fields]
        check_columns(data, list(dict.fromkeys(needed)), "decide")
        cols = {f: col_from_series(data[f], f) for f in self._c.fields}
        if model is not None:
            score, pd_in, parts = self._model_outputs(model, data, index)
            src = "model"
        else:
            score = self._score_col(
                col_from_series(data[self.score_field], self.score_field), index
            )
            if self.pd_field in data.columns:
                pcol = col_from_series(data[self.pd_field], self.pd_field)
                pd_in = self._pd_col(pcol)
            else:
                pd_in = np.full(len(data), np.nan)
            src = "data"
            parts = self._reason_parts(
                [col_from_series(data[f], f) for f in self.reason_fields], self.reason_fields
            )
        return self._evaluate(cols, len(data), index, score, pd_in, src, parts)

    def _pd_col(self, col: Col) -> FloatArray:
        if col.kind == "string":
            raise self._pd_text_error()
        return np.asarray(col.values, dtype=np.float64)

    def _decide_one(self, applicant: Mapping[str, Any], model: ScoringModel | None) -> Decision:
        """The online path: plain Python on one applicant (no pandas unless a model is used)."""
        c = self._c
        needed = list(c.fields)
        if model is None:
            needed += [self.score_field, *self.reason_fields]
        absent = [f for f in dict.fromkeys(needed) if f not in applicant]
        if absent:
            shown = [str(k) for k in list(applicant)[:20]]
            raise DataError(
                f"applicant: expected field(s) {absent} to be present, found fields {shown}"
            )
        vals = {f: scalar_from_value(applicant[f], f) for f in c.fields}
        codes: list[str] = []
        if model is not None:
            frame = pd.DataFrame([dict(applicant)])
            s_arr, p_arr, parts = self._model_outputs(model, frame, None)
            score, pd_in, src = float(s_arr[0]), float(p_arr[0]), "model"
            codes = [str(p[0]) for p in parts]
        else:
            kind, x = scalar_from_value(applicant[self.score_field], self.score_field)
            if kind == "string":
                raise self._score_error("text", "")
            score = math.nan if kind == "empty" else x
            if math.isinf(score):
                raise self._score_error("inf", "the applicant")
            pd_in = math.nan
            if self.pd_field in applicant:
                kind, x = scalar_from_value(applicant[self.pd_field], self.pd_field)
                if kind == "string":
                    raise self._pd_text_error()
                pd_in = math.nan if kind == "empty" else x
            src = "data"
            for f in self.reason_fields:
                kind, x = scalar_from_value(applicant[f], f)
                if kind == "number":
                    raise _reason_error(f, "numbers")
                if kind == "string" and ";" in x:
                    raise _reason_error(f, ";")
                codes.append("" if kind == "empty" else x)
        return self._evaluate_one(vals, score, pd_in, src, codes)

    def _score_error(self, problem: str, where: str) -> DataError:
        if problem == "text":
            return DataError(f"field {self.score_field!r} (score): expected numbers, found text")
        if problem == "inf":
            return DataError(
                f"field {self.score_field!r} (score): expected finite scores, found infinite "
                f"values at {where}"
            )
        return DataError(
            f"field {self.score_field!r} (score): expected a score for every applicant that is "
            f"not knocked out, found missing scores at {where}"
        )

    def _pd_text_error(self) -> DataError:
        return DataError(f"field {self.pd_field!r} (pd): expected numbers, found text")

    def _pd_range_error(self, what: str, values: list[float], where: str) -> DataError:
        return DataError(
            f"{what}: expected probabilities in [0, 1] or missing, found {values} at {where}"
        )

    def _no_pd_error(self, where: str) -> DataError:
        return DataError(
            f"field {self.pd_field!r} (pd): expected a PD for {where} since the grade scale has "
            "no PDs to fall back on; pass PDs or use a master scale"
        )

    def _evaluate_one(
        self,
        vals: Mapping[str, tuple[Any, Any]],
        score: float,
        pd_in: float,
        pd_label: str,
        scorecard_codes: Sequence[str],
    ) -> Decision:
        """Scalar twin of :meth:`_evaluate` (same arithmetic, same order of operations)."""
        c = self._c
        # 1. knock-outs
        ko = refer = False
        ko_codes: list[str] = []
        refer_codes: list[str] = []
        for rule in self.rules:
            kind, x = vals[rule.field]
            k, r = rule.evaluate_one(kind, x)
            if k:
                ko = True
                ko_codes.append(rule.code)
            if r:
                refer = True
                refer_codes.append(rule.code)
        # 2. score and grade
        has_score = score == score
        if not has_score and not ko:
            raise self._score_error("missing", "the applicant")
        gi = c.k - 1 - bisect.bisect_right(c.asc_cutoffs, score) if has_score else -1
        # 3. score decision
        if c.grade_codes_list is not None:
            sd = c.grade_codes_list[gi]
        elif not has_score:
            sd = -1
        else:
            co = self.cutoffs
            assert isinstance(co, ScoreCutoffs)
            sd = APPROVE if score >= co.approve else REFER if score >= co.refer else DECLINE
        # 4. PD and LGD
        has_pd = pd_in == pd_in
        if has_pd and not (0.0 <= pd_in <= 1.0):
            what = "model.predict_pd" if pd_label == "model" else f"field {self.pd_field!r} (pd)"
            raise self._pd_range_error(what, [pd_in], "the applicant")
        if c.grade_pd_list is None:
            if not has_pd and has_score:
                raise self._no_pd_error("the applicant")
            gpd = math.nan
        else:
            gpd = c.grade_pd_list[gi]
        pd_used = max(pd_in, self.grade_scale.pd_floor) if has_pd else gpd
        pd_source = pd_label if has_pd else "grade" if has_score else "none"
        lgd = c.lgd_list[gi]
        # 5. limit
        ctx = ScalarContext(vals, gi, pd_used, lgd, self.ccf)
        comps = [
            comp.evaluate_one(ctx, f) for comp, f in zip(self.limits, c.factor_lists, strict=True)
        ]
        before = self.cap
        for v in comps:
            if v < before:  # False for NaN (not applicable)
                before = v
        binding = "cap"
        for comp, v in zip(self.limits, comps, strict=True):
            if v == before:
                binding = comp.name
                break
        unit = self.unit
        q = math.floor(before / unit)
        if (q + 1.0) * unit <= before:
            q += 1
        if q * unit > before:
            q -= 1
        rounded = q * unit
        below = rounded < self.floor or rounded <= 0.0
        # 6. policy decision
        level = c.floor_level if below else APPROVE
        if refer:
            level = min(level, REFER)
        policy = DECLINE if ko or sd < 0 else min(sd, level)
        # 7. limit and expected loss
        limit = rounded if policy == APPROVE else 0.0
        el = pd_used * lgd * (self.ccf * limit) if limit > 0 else 0.0
        # 8. reasons
        reasons: list[str] = []
        if policy != APPROVE:
            reasons = list(ko_codes)
            if not ko:
                reasons += refer_codes
                if below and sd != DECLINE:
                    reasons.append(self.floor_code)
            reasons += [code for code in scorecard_codes if code]
        components = tuple(
            ComponentValue(comp.name, comp.kind, None if v != v else v)
            for comp, v in zip(self.limits, comps, strict=True)
        )
        breakdown = LimitBreakdown(
            components=components,
            cap=self.cap,
            before_rounding=before,
            unit=unit,
            limit_if_approved=rounded,
            floor=self.floor,
            below_floor=below,
            binding=binding,
        )
        return Decision(
            decision=DECISIONS[policy],
            policy_decision=DECISIONS[policy],
            score_decision=None if sd < 0 else DECISIONS[sd],
            grade=None if gi < 0 else c.names[gi],
            score=score if has_score else None,
            pd=None if pd_used != pd_used else pd_used,
            pd_source=pd_source,
            lgd=None if lgd != lgd else lgd,
            limit=limit,
            breakdown=breakdown,
            terms=c.terms[gi] if policy != DECLINE and gi >= 0 else None,
            expected_loss=el,
            knock_outs=tuple(ko_codes),
            reasons=tuple(reasons),
        )

    def _evaluate(
        self,
        cols: Mapping[str, Col],
        n: int,
        index: pd.Index | None,
        score: FloatArray,
        pd_in: FloatArray,
        pd_label: str,
        reason_parts: Sequence[ObjArray],
    ) -> _Batch:
        c = self._c
        # 1. knock-outs (and rule refers for missing values)
        ko = np.zeros(n, dtype=np.bool_)
        rule_refer = np.zeros(n, dtype=np.bool_)
        locked = np.zeros(n, dtype=np.bool_)
        ko_parts: list[ObjArray | None] = []
        refer_parts: list[ObjArray | None] = []
        for rule in self.rules:
            k, r = rule.evaluate(cols[rule.field], index)
            ko |= k
            rule_refer |= r
            if not rule.overridable:
                locked |= k
            ko_parts.append(code_array(k, rule.code))
            refer_parts.append(code_array(r, rule.code))
        knock_outs = join_codes(ko_parts, n)
        # 2. score and grade
        has_score = ~np.isnan(score)
        unscored = ~has_score & ~ko
        if unscored.any():
            raise self._score_error("missing", describe_rows(unscored, index))
        grade_idx = np.full(n, -1, dtype=np.int64)
        if has_score.all():
            grade_idx = self.grade_scale.assign_index(score)
        elif has_score.any():
            grade_idx[has_score] = self.grade_scale.assign_index(score[has_score])
        # 3. score decision
        if c.grade_codes is not None:
            score_dec = c.grade_codes[grade_idx]
        else:
            assert isinstance(self.cutoffs, ScoreCutoffs)
            score_dec = self.cutoffs.score_decisions(score)
        # 4. PD and LGD
        self._pd_values(pd_in, f"field {self.pd_field!r} (pd)", index)
        has_pd = ~np.isnan(pd_in)
        need_grade_pd = ~has_pd & has_score
        if c.grade_pd is None:
            if need_grade_pd.any():
                raise self._no_pd_error(describe_rows(need_grade_pd, index))
            gpd = np.full(n, np.nan)
        else:
            gpd = c.grade_pd[grade_idx]
        floor_pd = self.grade_scale.pd_floor
        pd_used = np.where(has_pd, np.maximum(pd_in, floor_pd), gpd)
        pd_source = np.where(has_pd, pd_label, np.where(has_score, "grade", "none")).astype(object)
        lgd = c.lgd[grade_idx]
        # 5. limit
        ctx = LimitContext(cols, grade_idx, c.names, pd_used, lgd, float(self.ccf), index)
        if self.limits:
            comps = np.vstack(
                [comp.evaluate(ctx, f) for comp, f in zip(self.limits, c.factors, strict=True)]
            )
            minimum = np.fmin.reduce(comps, axis=0)
        else:
            comps = np.empty((0, n))
            minimum = np.full(n, np.nan)
        before = np.fmin(minimum, float(self.cap))
        binding = np.full(n, "cap", dtype=object)
        for j in range(len(self.limits) - 1, -1, -1):
            binding = np.where(comps[j] == before, self.limits[j].name, binding)
        binding = binding.astype(object)
        rounded = _round_down(before, float(self.unit))
        below = (rounded < self.floor) | (rounded <= 0.0)
        # 6. policy decision
        level = np.where(below, c.floor_level, APPROVE)
        level = np.where(rule_refer, np.minimum(level, REFER), level)
        policy = np.minimum(score_dec, level)
        policy = np.where(ko | (score_dec < 0), DECLINE, policy).astype(np.int8)
        # 7. limit and expected loss
        limit = np.where(policy == APPROVE, rounded, 0.0)
        el = self._el(limit, pd_used, lgd)
        # 8. reasons
        live = ~ko
        reasons = join_codes(
            [
                knock_outs,
                np.where(live, join_codes(refer_parts, n), "").astype(object)
                if rule_refer.any()
                else None,
                code_array(below & live & (score_dec != DECLINE), self.floor_code),
                *reason_parts,
            ],
            n,
        )
        reasons = np.where(policy == APPROVE, "", reasons).astype(object)
        none = np.full(n, None, dtype=object)
        return _Batch(
            index=index,
            decision=policy.copy(),
            policy_decision=policy,
            score_decision=score_dec.astype(np.int8),
            grade_idx=grade_idx,
            score=score.astype(np.float64),
            pd=pd_used,
            pd_source=pd_source,
            lgd=lgd,
            comps=comps,
            before_rounding=before,
            limit_if_approved=rounded,
            binding=binding,
            below_floor=below,
            limit=limit,
            expected_loss=el,
            knock_outs=knock_outs,
            reasons=reasons,
            ko_locked=locked,
            ov_direction=none,
            ov_reason=none.copy(),
            ov_by=none.copy(),
        )

    def _el(self, limit: FloatArray, pd_used: FloatArray, lgd: FloatArray) -> FloatArray:
        with np.errstate(invalid="ignore"):
            el = pd_used * lgd * (self.ccf * limit)
        out: FloatArray = np.where(limit > 0, el, 0.0)
        return out

    # ------------------------------------------------------------------ batch <-> table

    def _table_from_batch(self, b: _Batch) -> pd.DataFrame:
        c = self._c
        show = (b.decision != DECLINE) & (b.grade_idx >= 0)
        gi = np.where(show, b.grade_idx, -1)
        cols: dict[str, Any] = {
            "decision": _DEC_LOOKUP[b.decision],
            "policy_decision": _DEC_LOOKUP[b.policy_decision],
            "score_decision": _DEC_LOOKUP[b.score_decision],
            "grade": c.grade_lookup[b.grade_idx],
            "score": b.score,
            "pd": b.pd,
            "pd_source": b.pd_source,
            "lgd": b.lgd,
            "limit": b.limit,
            "limit_if_approved": b.limit_if_approved,
            "limit_before_rounding": b.before_rounding,
            "limit_binding": b.binding,
            "below_floor": b.below_floor,
        }
        for j, comp in enumerate(self.limits):
            cols[f"limit_{comp.name}"] = b.comps[j]
        cols.update(
            {
                "payment_terms": c.pay_terms[gi],
                "payment_days": _int64(c.pay_days[gi]),
                "security": c.security[gi],
                "review_months": _int64(c.review[gi]),
                "expected_loss": b.expected_loss,
                "knock_outs": b.knock_outs,
                "reasons": b.reasons,
                "override_direction": b.ov_direction,
                "override_reason": b.ov_reason,
                "override_by": b.ov_by,
            }
        )
        index = b.index if b.index is not None else pd.RangeIndex(b.n)
        out = pd.DataFrame(cols, index=index)
        return out

    def _table_columns(self) -> list[str]:
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
            *(f"limit_{c.name}" for c in self.limits),
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

    def _batch_from_table(self, table: pd.DataFrame) -> _Batch:
        if not isinstance(table, pd.DataFrame):
            raise DataError(
                f"table: expected a decision table (DataFrame), found {type(table).__name__}"
            )
        check_columns(table, self._table_columns(), "decision table")
        n = len(table)

        def obj(name: str) -> ObjArray:
            return object_values(table[name])

        def f8(name: str) -> FloatArray:
            return table[name].to_numpy(dtype=np.float64, na_value=np.nan)

        def codes(name: str, allow_none: bool) -> npt.NDArray[np.int8]:
            mapped = table[name].map(_DEC_CODE)
            bad = mapped.isna() & (table[name].notna() | (not allow_none))
            if bad.any():
                raise DataError(
                    f"decision table column {name!r}: expected 'approve', 'refer' or 'decline', "
                    f"found {sorted(map(str, table[name][bad].unique()))[:5]}"
                )
            return np.asarray(mapped.fillna(-1).to_numpy(), dtype=np.int8)

        grade = table["grade"]
        gidx = pd.Index(self._c.names).get_indexer(pd.Index(object_values(grade)))
        bad = (gidx < 0) & grade.notna().to_numpy()
        if bad.any():
            raise DataError(
                f"decision table column 'grade': expected grades of the policy's scale "
                f"{list(self._c.names)}, found {sorted(map(str, grade[bad].unique()))[:5]}"
            )
        kos = table["knock_outs"].fillna("").astype(str)
        locked = np.zeros(n, dtype=np.bool_)
        if self._c.locked_codes:
            wrapped = ";" + kos + ";"
            for code in self._c.locked_codes:
                locked |= wrapped.str.contains(f";{code};", regex=False).to_numpy(dtype=np.bool_)
        comps = (
            np.vstack([f8(f"limit_{c.name}") for c in self.limits])
            if self.limits
            else np.empty((0, n))
        )
        return _Batch(
            index=table.index,
            decision=codes("decision", False),
            policy_decision=codes("policy_decision", False),
            score_decision=codes("score_decision", True),
            grade_idx=np.asarray(gidx, dtype=np.int64),
            score=f8("score"),
            pd=f8("pd"),
            pd_source=obj("pd_source"),
            lgd=f8("lgd"),
            comps=comps,
            before_rounding=f8("limit_before_rounding"),
            limit_if_approved=f8("limit_if_approved"),
            binding=obj("limit_binding"),
            below_floor=table["below_floor"].to_numpy(dtype=np.bool_),
            limit=f8("limit"),
            expected_loss=f8("expected_loss"),
            knock_outs=kos.to_numpy(dtype=object),
            reasons=table["reasons"].fillna("").astype(str).to_numpy(dtype=object),
            ko_locked=locked,
            ov_direction=obj("override_direction"),
            ov_reason=obj("override_reason"),
            ov_by=obj("override_by"),
        )

    def _decision_at(self, b: _Batch, i: int) -> Decision:
        c = self._c
        gi = int(b.grade_idx[i])
        dec = int(b.decision[i])
        comps = tuple(
            ComponentValue(
                comp.name, comp.kind, None if math.isnan(b.comps[j, i]) else float(b.comps[j, i])
            )
            for j, comp in enumerate(self.limits)
        )
        breakdown = LimitBreakdown(
            components=comps,
            cap=float(self.cap),
            before_rounding=float(b.before_rounding[i]),
            unit=float(self.unit),
            limit_if_approved=float(b.limit_if_approved[i]),
            floor=float(self.floor),
            below_floor=bool(b.below_floor[i]),
            binding=str(b.binding[i]),
        )
        terms = c.terms[gi] if dec != DECLINE and gi >= 0 else None
        ov = None
        if b.ov_direction[i] is not None:
            ov = Override(
                decision=DECISIONS[dec],
                direction=str(b.ov_direction[i]),
                reason=str(b.ov_reason[i]),
                by="" if b.ov_by[i] is None else str(b.ov_by[i]),
            )
        sd = int(b.score_decision[i])
        kos = str(b.knock_outs[i])
        rs = str(b.reasons[i])
        return Decision(
            decision=DECISIONS[dec],
            policy_decision=DECISIONS[int(b.policy_decision[i])],
            score_decision=None if sd < 0 else DECISIONS[sd],
            grade=None if gi < 0 else c.names[gi],
            score=None if math.isnan(b.score[i]) else float(b.score[i]),
            pd=None if math.isnan(b.pd[i]) else float(b.pd[i]),
            pd_source=str(b.pd_source[i]),
            lgd=None if math.isnan(b.lgd[i]) else float(b.lgd[i]),
            limit=float(b.limit[i]),
            breakdown=breakdown,
            terms=terms,
            expected_loss=float(b.expected_loss[i]),
            knock_outs=tuple(kos.split(";")) if kos else (),
            reasons=tuple(rs.split(";")) if rs else (),
            override=ov,
        )

    def records(self, table: pd.DataFrame) -> list[Decision]:
        """The rows of a decision table (from :meth:`decide`) as :class:`Decision` records."""
        b = self._batch_from_table(table)
        return [self._decision_at(b, i) for i in range(b.n)]

    def table(self, decisions: Sequence[Decision]) -> pd.DataFrame:
        """A decision table from :class:`Decision` records (inverse of :meth:`records`)."""
        ds = list(decisions)
        if not ds:
            raise DataError("decisions: expected at least one Decision, found none")
        for i, d in enumerate(ds):
            if not isinstance(d, Decision):
                raise DataError(f"decisions[{i}]: expected a Decision, found {type(d).__name__}")
            if d.grade is not None and d.grade not in self._c.names:
                raise DataError(
                    f"decisions[{i}]: grade {d.grade!r} is not in the policy's grade scale "
                    f"{list(self._c.names)}"
                )
            if [cv.name for cv in d.breakdown.components] != [c.name for c in self.limits]:
                raise DataError(
                    f"decisions[{i}]: its limit components "
                    f"{[cv.name for cv in d.breakdown.components]} are not this policy's "
                    f"{[c.name for c in self.limits]}"
                )
        names = self._c.names
        nan = math.nan
        gidx = np.array([-1 if d.grade is None else names.index(d.grade) for d in ds])
        b = _Batch(
            index=None,
            decision=np.array([_DEC_CODE[d.decision] for d in ds], dtype=np.int8),
            policy_decision=np.array([_DEC_CODE[d.policy_decision] for d in ds], dtype=np.int8),
            score_decision=np.array(
                [-1 if d.score_decision is None else _DEC_CODE[d.score_decision] for d in ds],
                dtype=np.int8,
            ),
            grade_idx=gidx.astype(np.int64),
            score=np.array([nan if d.score is None else d.score for d in ds]),
            pd=np.array([nan if d.pd is None else d.pd for d in ds]),
            pd_source=np.array([d.pd_source for d in ds], dtype=object),
            lgd=np.array([nan if d.lgd is None else d.lgd for d in ds]),
            comps=np.array(
                [
                    [nan if cv.value is None else cv.value for cv in d.breakdown.components]
                    for d in ds
                ],
                dtype=np.float64,
            )
            .reshape(len(ds), len(self.limits))
            .T,
            before_rounding=np.array([d.breakdown.before_rounding for d in ds]),
            limit_if_approved=np.array([d.breakdown.limit_if_approved for d in ds]),
            binding=np.array([d.breakdown.binding for d in ds], dtype=object),
            below_floor=np.array([d.breakdown.below_floor for d in ds], dtype=np.bool_),
            limit=np.array([d.limit for d in ds], dtype=np.float64),
            expected_loss=np.array([d.expected_loss for d in ds], dtype=np.float64),
            knock_outs=np.array([";".join(d.knock_outs) for d in ds], dtype=object),
            reasons=np.array([";".join(d.reasons) for d in ds], dtype=object),
            ko_locked=np.zeros(len(ds), dtype=np.bool_),
            ov_direction=np.array(
                [None if d.override is None else d.override.direction for d in ds], dtype=object
            ),
            ov_reason=np.array(
                [None if d.override is None else d.override.reason for d in ds], dtype=object
            ),
            ov_by=np.array(
                [None if d.override is None else d.override.by for d in ds], dtype=object
            ),
        )
        return self._table_from_batch(b)

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
            The policy's decision (from :meth:`decide`).  A decision already overridden is
            overridden again from the policy's decision (the new override replaces the old).
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
        if not isinstance(decision, Decision):
            raise DataError(f"decision: expected a Decision, found {type(decision).__name__}")
        if not isinstance(by, str):
            raise SpecificationError(f"by: expected a string (who decided), found {by!r}")
        table = self.table([decision])
        ov = pd.DataFrame(
            {
                "decision": [to],
                "reason": [reason],
                "limit": [math.nan if limit is None else limit],
                "by": [by],
            },
            index=table.index,
        )
        b = self._batch_from_table(table)
        return self._decision_at(self._override(b, ov, single=True), 0)

    def apply_overrides(self, table: pd.DataFrame, overrides: pd.DataFrame) -> pd.DataFrame:
        """Record underwriters' decisions on a decision table (vectorised).

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
        b = self._batch_from_table(table)
        return self._table_from_batch(self._override(b, overrides, single=False))

    def _override(self, b: _Batch, ov: pd.DataFrame, single: bool) -> _Batch:
        if not isinstance(ov, pd.DataFrame):
            raise DataError(f"overrides: expected a DataFrame, found {type(ov).__name__}")
        check_columns(ov, ["decision", "reason"], "overrides")
        if ov.index.has_duplicates:
            raise DataError(
                "overrides: expected one row per applicant, found duplicate index labels"
            )
        assert b.index is not None
        if b.index.has_duplicates:
            raise DataError(
                "decision table: expected unique index labels to apply overrides by label, found "
                "duplicates; reset the index first"
            )
        pos = b.index.get_indexer(ov.index)
        if (pos < 0).any():
            unknown = [ov.index[i] for i in np.flatnonzero(pos < 0)[:5]]
            raise DataError(
                f"overrides: expected index labels of the decision table, found unknown labels "
                f"{unknown}"
            )

        def where(m: BoolArray) -> str:
            return "the decision" if single else describe_rows(m, ov.index)

        to = ov["decision"].map({"approve": APPROVE, "decline": DECLINE})
        bad = to.isna().to_numpy()
        if bad.any():
            raise SpecificationError(
                f"overrides 'decision' (to): expected 'approve' or 'decline', found "
                f"{sorted(map(str, ov['decision'][bad].unique()))[:5]}"
            )
        to_c = to.to_numpy(dtype=np.int8)
        reason = ov["reason"]
        bad = (reason.isna() | (reason.astype(str).str.strip() == "")).to_numpy()
        if bad.any():
            raise SpecificationError(
                f"overrides 'reason': expected a non-empty reason for every override, found "
                f"none at {where(bad)}"
            )
        lim = (
            ov["limit"].to_numpy(dtype=np.float64, na_value=np.nan)
            if "limit" in ov.columns
            else np.full(len(ov), np.nan)
        )
        bad = ~np.isnan(lim) & ~(np.isfinite(lim) & (lim >= 0))
        if bad.any():
            raise SpecificationError(
                f"overrides 'limit': expected a finite limit >= 0 or none, found "
                f"{lim[bad][:3].tolist()} at {where(bad)}"
            )
        by = (
            ov["by"].astype(object).where(ov["by"].notna(), "").astype(str).to_numpy(dtype=object)
            if "by" in ov.columns
            else np.full(len(ov), "", dtype=object)
        )
        pol = b.policy_decision[pos]
        sd = b.score_decision[pos]
        ko = b.knock_outs[pos] != ""
        same = to_c == pol
        if same.any():
            raise SpecificationError(
                f"overrides 'decision' (to): expected a decision different from the policy's, "
                f"found the policy's own decision at {where(same)}: that is not an override"
            )
        direction = np.where(
            pol == REFER,
            "refer_resolved",
            np.where(
                pol == APPROVE,
                "high_side",
                np.where(ko, "knock_out", np.where(sd == DECLINE, "low_side", "limit_floor")),
            ),
        ).astype(object)
        locked = (direction == "knock_out") & b.ko_locked[pos]
        if locked.any():
            raise SpecificationError(
                f"overrides: a knock-out rule that is not overridable fired at {where(locked)} "
                f"(codes {sorted(set(b.knock_outs[pos][locked]))[:5]}); such knock-outs cannot "
                "be overridden (set Rule(overridable=True) in the policy to allow it)"
            )
        approve = to_c == APPROVE
        nograde = approve & (b.grade_idx[pos] < 0)
        if nograde.any():
            raise SpecificationError(
                f"overrides: cannot approve an applicant without a score/grade at "
                f"{where(nograde)}: score it first"
            )
        new_limit = np.where(np.isnan(lim), b.limit_if_approved[pos], lim)
        nolimit = approve & ~(new_limit > 0)
        if nolimit.any():
            raise SpecificationError(
                f"overrides 'limit': expected a limit > 0 for an approval whose policy limit "
                f"is 0, found none at {where(nolimit)}: pass limit="
            )
        decl_lim = ~approve & ~np.isnan(lim) & (lim != 0)
        if decl_lim.any():
            raise SpecificationError(
                f"overrides 'limit': expected no limit (or 0) for a decline, found "
                f"{lim[decl_lim][:3].tolist()} at {where(decl_lim)}"
            )
        out = dataclasses.replace(
            b,
            decision=b.decision.copy(),
            limit=b.limit.copy(),
            expected_loss=b.expected_loss.copy(),
            ov_direction=b.ov_direction.copy(),
            ov_reason=b.ov_reason.copy(),
            ov_by=b.ov_by.copy(),
        )
        out.decision[pos] = to_c
        out.limit[pos] = np.where(approve, new_limit, 0.0)
        out.expected_loss[pos] = self._el(out.limit[pos], b.pd[pos], b.lgd[pos])
        out.ov_direction[pos] = direction
        out.ov_reason[pos] = reason.astype(str).to_numpy(dtype=object)
        out.ov_by[pos] = by
        return out

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
        table = decisions if isinstance(decisions, pd.DataFrame) else self.table(decisions)
        b = self._batch_from_table(table)
        ko = b.knock_outs != ""
        d = b.ov_direction
        flags = {
            "n": np.ones(b.n, dtype=np.bool_),
            "n_below_cutoff": ~ko & (b.score_decision == DECLINE),
            "n_low_side": d == "low_side",
            "n_above_cutoff": ~ko & (b.score_decision == APPROVE),
            "n_high_side": d == "high_side",
            "n_knocked_out": ko,
            "n_knock_out_overrides": d == "knock_out",
            "n_referred": b.policy_decision == REFER,
            "n_refer_resolved": d == "refer_resolved",
            "n_limit_floor_overrides": d == "limit_floor",
        }
        k = len(self._c.names)
        gi = np.where(b.grade_idx >= 0, b.grade_idx, k)
        counts = {
            name: np.bincount(gi, weights=f.astype(np.float64), minlength=k + 1)[:k]
            for name, f in flags.items()
        }
        all_counts = {name: float(f.sum()) for name, f in flags.items()}
        data = {name: [*counts[name].tolist(), all_counts[name]] for name in flags}
        idx = pd.Index([*self._c.names, "all"], name="grade")
        rep = pd.DataFrame(data, index=idx).astype(np.int64)
        with np.errstate(invalid="ignore", divide="ignore"):
            low = np.where(
                rep["n_below_cutoff"] > 0, rep["n_low_side"] / rep["n_below_cutoff"], np.nan
            )
            high = np.where(
                rep["n_above_cutoff"] > 0, rep["n_high_side"] / rep["n_above_cutoff"], np.nan
            )
        rep.insert(3, "low_side_rate", low)
        rep.insert(6, "high_side_rate", high)
        return rep

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
    def from_dict(cls, d: Mapping[str, Any]) -> CreditPolicy:
        """Inverse of :meth:`to_dict`."""
        terms = get(d, "terms", KIND)
        if not isinstance(terms, Mapping):
            raise SchemaError(f"{KIND} artifact: expected 'terms' to be an object")
        return cls(
            name=get(d, "name", KIND),
            version=get(d, "version", KIND),
            grade_scale=GradeScale.from_dict(get(d, "grade_scale", KIND)),
            cutoffs=cutoffs_from_dict(get(d, "cutoffs", KIND)),
            rules=tuple(Rule.from_dict(r) for r in get(d, "rules", KIND)),
            limits=tuple(component_from_dict(c) for c in get(d, "limits", KIND)),
            cap=float(get(d, "cap", KIND)),
            floor=float(get(d, "floor", KIND)),
            unit=float(get(d, "unit", KIND)),
            below_floor=get(d, "below_floor", KIND),
            floor_code=get(d, "floor_code", KIND),
            lgd=by_grade_from_json(get(d, "lgd", KIND), f"{KIND} lgd"),
            ccf=float(get(d, "ccf", KIND)),
            terms={g: Terms.from_dict(t) for g, t in terms.items()},
            score_field=get(d, "score_field", KIND),
            pd_field=get(d, "pd_field", KIND),
            reason_fields=tuple(get(d, "reason_fields", KIND)),
            n_reasons=get(d, "n_reasons", KIND),
        )
