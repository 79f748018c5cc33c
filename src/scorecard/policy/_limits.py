"""Limit components of a credit policy, as data: need, capacity, expected-loss budget, external.

The policy's limit is the minimum of the components that apply, capped at the policy cap.
Each component is an ``attrs`` frozen value class that validates every field, converts to
and from plain JSON, and computes its value with one :meth:`evaluate` written against an
array namespace (:mod:`scorecard._core.arrays`): the same code for a frame and for one
applicant.  A value of NaN means *not applicable* (a missing field, a grade the component
does not list, no PD).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, NamedTuple, TypeAlias

import attrs
import pandas as pd

from scorecard._core import artifact as _json
from scorecard._core.arrays import ArrayNamespace
from scorecard.policy._spec import (
    ByGrade,
    by_grade,
    by_grade_check,
    by_grade_from_json,
    by_grade_to_json,
    grade_keys,
    name_field,
)
from scorecard.policy._values import Col, amounts

__all__ = [
    "CapacityCap",
    "ExpectedLossCap",
    "ExternalLimit",
    "LimitComponent",
    "LimitContext",
    "NeedLimit",
    "component_from_dict",
]


class LimitContext(NamedTuple):
    """What a limit component sees: the data and the applicant's grade, PD and LGD.

    Values are numpy arrays (a frame) or Python scalars (one applicant), as ``xp`` says.
    """

    cols: Mapping[str, Col]
    grade_idx: Any  # -1 = no grade
    pd: Any  # PD used by the policy (floored), NaN = none
    lgd: Any  # NaN = no grade
    ccf: float
    rows: pd.Index | None  # row labels of a frame, None for one applicant
    xp: ArrayNamespace


_component_name = name_field(identifier=True, reserved=("cap", "none"))


@attrs.frozen
class NeedLimit:
    """Need-based limit: ``need = field * multiplier[grade]``.

    Trade credit: expected monthly sales times the months of sales outstanding the policy
    allows (longer for better grades).  Consumer lending: the requested amount (multiplier 1).
    A multiplier given as a mapping applies only to the grades it lists; for other grades,
    and where the field's value is missing, the component is *not applicable*.  The field
    must be >= 0.

    Examples
    --------
    >>> NeedLimit("need", field="monthly_sales", multiplier={"A": 2.5, "B": 1.5}).to_dict()
    {'type': 'need', 'name': 'need', 'field': 'monthly_sales', 'multiplier': {'A': 2.5, 'B': 1.5}}
    """

    _LABEL: ClassVar[str] = "name"
    kind: ClassVar[str] = "need"

    name: str = attrs.field(validator=_component_name)
    field: str = attrs.field(validator=name_field())
    multiplier: ByGrade = attrs.field(
        default=1.0, converter=by_grade, validator=by_grade_check(ge=0.0)
    )

    @property
    def fields(self) -> tuple[str, ...]:
        """Fields of the data the component reads."""
        return (self.field,)

    def grades(self) -> tuple[str, ...]:
        """Grades the component's parameter lists (empty: every grade)."""
        return grade_keys(self.multiplier)

    @property
    def factor(self) -> ByGrade:
        """The by-grade parameter (the multiplier)."""
        return self.multiplier

    def evaluate(self, ctx: LimitContext, factor: Any) -> Any:
        """Values (NaN = not applicable); ``factor`` is the multiplier of each applicant's grade."""
        x = amounts(ctx.cols[self.field], self.field, self.name, ctx.rows, False, ctx.xp)
        return x * factor

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "type": self.kind,
            "name": self.name,
            "field": self.field,
            "multiplier": by_grade_to_json(self.multiplier),
        }


@attrs.frozen
class CapacityCap:
    """Capacity cap: ``cap = max(field, 0) * share[grade]``.

    A share of net worth or of annual revenue (trade credit), or of annual income (consumer
    lending, e.g. 30 %).  A negative base (negative net worth) gives a cap of 0.  Grades a
    mapping does not list, and missing values, make it not applicable.

    Examples
    --------
    >>> CapacityCap("income", field="annual_income", share=0.3).share
    0.3
    """

    _LABEL: ClassVar[str] = "name"
    kind: ClassVar[str] = "capacity"

    name: str = attrs.field(validator=_component_name)
    field: str = attrs.field(validator=name_field())
    share: ByGrade = attrs.field(converter=by_grade, validator=by_grade_check(ge=0.0))

    @property
    def fields(self) -> tuple[str, ...]:
        """Fields of the data the component reads."""
        return (self.field,)

    def grades(self) -> tuple[str, ...]:
        """Grades the component's parameter lists (empty: every grade)."""
        return grade_keys(self.share)

    @property
    def factor(self) -> ByGrade:
        """The by-grade parameter (the share)."""
        return self.share

    def evaluate(self, ctx: LimitContext, factor: Any) -> Any:
        """Values (NaN = not applicable); ``factor`` is the share of each applicant's grade."""
        x = amounts(ctx.cols[self.field], self.field, self.name, ctx.rows, True, ctx.xp)
        return ctx.xp.maximum(x, 0.0) * factor

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "type": self.kind,
            "name": self.name,
            "field": self.field,
            "share": by_grade_to_json(self.share),
        }


@attrs.frozen
class ExpectedLossCap:
    """Expected-loss budget cap: ``cap = budget[grade] / (PD * LGD)``.

    The largest limit whose expected loss ``PD * LGD * EAD`` stays within the budget, with
    ``EAD = CCF * limit`` (CCF = 1 by default, so the formula reads ``budget / (PD * LGD *
    CCF)``).  PD and LGD are the policy's (PD floored, LGD possibly by grade).  A mapping
    budget applies to the grades it lists.  Not applicable without a PD.  A PD of 0 (with a
    PD floor of 0) has no expected loss: the cap is infinite.

    Examples
    --------
    >>> ExpectedLossCap("el_budget", budget=500.0).budget
    500.0
    """

    _LABEL: ClassVar[str] = "name"
    kind: ClassVar[str] = "expected_loss"

    name: str = attrs.field(validator=_component_name)
    budget: ByGrade = attrs.field(converter=by_grade, validator=by_grade_check(gt=0.0))

    @property
    def fields(self) -> tuple[str, ...]:
        """Fields of the data the component reads (none)."""
        return ()

    def grades(self) -> tuple[str, ...]:
        """Grades the component's parameter lists (empty: every grade)."""
        return grade_keys(self.budget)

    @property
    def factor(self) -> ByGrade:
        """The by-grade parameter (the budget)."""
        return self.budget

    def evaluate(self, ctx: LimitContext, factor: Any) -> Any:
        """Values (NaN = not applicable); ``factor`` is the budget of each applicant's grade."""
        return ctx.xp.divide(factor, ctx.pd * ctx.lgd * ctx.ccf)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"type": self.kind, "name": self.name, "budget": by_grade_to_json(self.budget)}


@attrs.frozen
class ExternalLimit:
    """External limit taken from a field: a credit insurer's cover, a bureau recommendation,
    a parent-company guarantee amount.  A missing value makes it not applicable; a value of
    0 (e.g. cover refused) caps the limit at 0.

    Examples
    --------
    >>> ExternalLimit("insured", field="insured_limit").to_dict()
    {'type': 'external', 'name': 'insured', 'field': 'insured_limit'}
    """

    _LABEL: ClassVar[str] = "name"
    kind: ClassVar[str] = "external"

    name: str = attrs.field(validator=_component_name)
    field: str = attrs.field(validator=name_field())

    @property
    def fields(self) -> tuple[str, ...]:
        """Fields of the data the component reads."""
        return (self.field,)

    def grades(self) -> tuple[str, ...]:
        """Grades the component's parameter lists (none: every grade)."""
        return ()

    @property
    def factor(self) -> ByGrade:
        """1 for every grade (the field is the limit)."""
        return 1.0

    def evaluate(self, ctx: LimitContext, factor: Any) -> Any:
        """Values (NaN = not applicable), whatever the grade."""
        return amounts(ctx.cols[self.field], self.field, self.name, ctx.rows, False, ctx.xp)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"type": self.kind, "name": self.name, "field": self.field}


LimitComponent: TypeAlias = NeedLimit | CapacityCap | ExpectedLossCap | ExternalLimit
COMPONENT_TYPES = (NeedLimit, CapacityCap, ExpectedLossCap, ExternalLimit)


def component_from_dict(d: Any) -> LimitComponent:
    """Inverse of the components' ``to_dict``; a malformed body raises SchemaError."""
    o = _json.Obj(d)
    t = o.string("type")
    name = o.string("name")

    def factor(field: str) -> ByGrade:
        with _json.within(field):
            return by_grade_from_json(o.raw(field))

    component: LimitComponent
    with _json.within():
        if t == "need":
            component = NeedLimit(name, field=o.string("field"), multiplier=factor("multiplier"))
        elif t == "capacity":
            component = CapacityCap(name, field=o.string("field"), share=factor("share"))
        elif t == "expected_loss":
            component = ExpectedLossCap(name, budget=factor("budget"))
        elif t == "external":
            component = ExternalLimit(name, field=o.string("field"))
        else:
            raise _json.FieldError(
                ("type",),
                f"expected 'need', 'capacity', 'expected_loss' or 'external', found {t!r}",
            )
    return component
