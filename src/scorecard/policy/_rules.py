"""Rules of a credit policy, as data: knock-out rules and approve/refer/decline cut-offs.

Each is an ``attrs`` frozen value class that validates every field (a
:class:`~scorecard.exceptions.SpecificationError` names the class, the field, what was
expected and what was found), compares by value and converts to and from plain JSON.  Each
rule is evaluated by one method written against an array namespace
(:mod:`scorecard._core.arrays`): the same code decides a frame and one applicant.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from typing import Any, ClassVar, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard._core import artifact as _json
from scorecard._core.arrays import NUMPY, ArrayNamespace
from scorecard._core.fields import boolean, number, one_of, string, to_number
from scorecard.exceptions import DataError, SpecificationError
from scorecard.policy._spec import (
    APPROVE,
    DECISIONS,
    DECLINE,
    REFER,
    Scalar,
    fail,
    is_number,
    labeled,
    name_field,
    names_field,
    owner,
    py_scalar,
    to_names,
)
from scorecard.policy._values import Col

__all__ = [
    "MISSING_ACTIONS",
    "OPS",
    "Cutoffs",
    "GradeCutoffs",
    "Rule",
    "ScoreCutoffs",
    "cutoffs_from_dict",
]

OPS: tuple[str, ...] = (
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "in",
    "not in",
    "is_missing",
    "is_true",
    "is_false",
)
_ORDER_OPS = frozenset({"<", "<=", ">", ">="})
_EQ_OPS = frozenset({"==", "!="})
_UNARY_OPS = frozenset({"is_missing", "is_true", "is_false"})
MISSING_ACTIONS: tuple[str, ...] = ("knock_out", "pass", "refer")
_COMPARE: dict[str, Any] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}

RuleValue: TypeAlias = Scalar | tuple[Scalar, ...] | None


# ---------------------------------------------------------------------------------------------
# Knock-out rules
# ---------------------------------------------------------------------------------------------


def _rule_value(v: Any) -> Any:
    if isinstance(v, list | tuple | np.ndarray | pd.Index | pd.Series):
        return tuple(py_scalar(x) for x in list(v))
    if isinstance(v, set | frozenset):
        items = [py_scalar(x) for x in v]
        try:
            return tuple(sorted(items))
        except TypeError:
            return tuple(sorted(items, key=repr))
    return py_scalar(v)


def _kind_of(v: Any) -> str:
    return "string" if isinstance(v, str) else "number"


def _check_op(instance: Rule, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or value not in OPS:
        raise SpecificationError(
            f"{owner(instance)}.{attribute.name}: expected one of {list(OPS)}, found the "
            f"unknown op {value!r}"
        )


def _is_comparable(v: Any) -> bool:
    return isinstance(v, str | bool) or (is_number(v) and math.isfinite(v))


def _check_value(instance: Rule, attribute: attrs.Attribute[Any], v: Any) -> None:
    op, field = instance.op, attribute.name
    if op in _UNARY_OPS:
        if v is not None:
            fail(instance, field, f"no value (op {op!r} takes no value)", v)
    elif op in _ORDER_OPS:
        if not is_number(v) or not math.isfinite(v):
            fail(instance, field, f"a finite number for op {op!r}", v)
    elif op in _EQ_OPS:
        if not _is_comparable(v):
            fail(instance, field, f"a finite number, a boolean or a string for op {op!r}", v)
    else:
        if not isinstance(v, tuple) or not v:
            fail(instance, field, f"a non-empty list of values for op {op!r}", v)
        for x in v:
            if not _is_comparable(x):
                fail(instance, field, f"a finite number, a boolean or a string for op {op!r}", x)
        if len({_kind_of(x) for x in v}) > 1:
            fail(
                instance,
                field,
                f"values of one kind (all numbers or all strings) for op {op!r}",
                v,
            )


@attrs.frozen
class Rule:
    """A knock-out rule, as data: ``field op value`` true means the applicant is knocked out.

    Parameters
    ----------
    field : str
        Name of the field (column or dict key) the rule reads.  It must be present in the
        data (a :class:`~scorecard.exceptions.DataError` names it otherwise); its *value* may
        be missing, see ``missing``.
    op : str
        One of ``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=`` (``value`` a number, or a string
        for ``==``/``!=``), ``in``, ``not in`` (``value`` a non-empty sequence of numbers or of
        strings), ``is_missing``, ``is_true``, ``is_false`` (no ``value``).  ``is_true`` means
        a number or boolean that is non-zero, ``is_false`` one that is zero.
    value : number, str, bool, tuple or None
        Right-hand side of the comparison.
    code : str
        Reason code reported when the rule fires (unique within a policy), e.g. ``"KO03"``.
    text : str
        Human description, e.g. ``"Business younger than 2 years"``.
    missing : {"knock_out", "pass", "refer"}
        What a *missing value* in ``field`` means for this rule: knock the applicant out
        (the default: a rule that cannot be checked is not passed), let it pass, or send the
        application to manual review (the decision is at best ``refer`` and ``code`` is
        reported).  Ignored by ``is_missing``, for which a missing value is the knock-out.
    overridable : bool
        Whether an underwriter may approve an applicant this rule knocked out (a recorded
        ``"knock_out"`` override).  False by default: a knock-out is a hard rule (a sanctions
        hit must never be overridden).

    Examples
    --------
    >>> r = Rule("years_in_business", "<", 2, code="KO03", text="Business younger than 2 years")
    >>> r.describe()
    'years_in_business < 2'
    >>> Rule.from_dict(r.to_dict()) == r
    True
    >>> Rule("x", "=>", 2, code="KO09")
    Traceback (most recent call last):
    ...
    scorecard.exceptions.SpecificationError: Rule 'KO09'.op: ... found the unknown op '=>'
    """

    _LABEL: ClassVar[str] = "code"

    field: str = attrs.field(validator=name_field())
    op: str = attrs.field(validator=_check_op)
    value: RuleValue = attrs.field(default=None, converter=_rule_value, validator=_check_value)
    code: str = attrs.field(kw_only=True, validator=name_field())
    text: str = attrs.field(default="", kw_only=True, validator=labeled(string(nonempty=False)))
    missing: str = attrs.field(
        default="knock_out", kw_only=True, validator=labeled(one_of(MISSING_ACTIONS))
    )
    overridable: bool = attrs.field(default=False, kw_only=True, validator=labeled(boolean))
    _plan: tuple[str | None, Any, Any, bool] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )

    @property
    def value_kind(self) -> str | None:
        """``"number"`` or ``"string"`` (what the field must hold), None for ``is_missing``."""
        if self.op == "is_missing":
            return None
        if self.op in _UNARY_OPS or self.op in _ORDER_OPS:
            return "number"
        v = self.value
        return _kind_of(v[0] if isinstance(v, tuple) else v)

    def describe(self) -> str:
        """The rule as text, e.g. ``"years_in_business < 2"``."""
        if self.op in _UNARY_OPS:
            return f"{self.field} {self.op}"
        v = list(self.value) if isinstance(self.value, tuple) else self.value
        return f"{self.field} {self.op} {v!r}"

    def __attrs_post_init__(self) -> None:
        # how to test a value, resolved once: (kind, comparison or None, operand, negate)
        op, v = self.op, self.value
        kind = self.value_kind
        plan: tuple[str | None, Any, Any, bool]
        if op in ("is_true", "is_false"):
            plan = (kind, operator.ne if op == "is_true" else operator.eq, 0.0, False)
        elif op in _COMPARE:
            plan = (kind, _COMPARE[op], float(v) if kind == "number" else v, False)  # type: ignore[arg-type]
        elif op in ("in", "not in"):
            values = tuple(float(e) for e in v) if kind == "number" else v  # type: ignore[union-attr]
            plan = (kind, None, values, op == "not in")
        else:
            plan = (kind, None, None, False)
        object.__setattr__(self, "_plan", plan)

    def evaluate(self, col: Col, xp: ArrayNamespace = NUMPY) -> tuple[Any, Any]:
        """Knock-out and refer flags of this rule on one field (a frame's or an applicant's).

        Examples
        --------
        >>> from scorecard._core.arrays import SCALAR
        >>> from scorecard.policy._values import col_from_value
        >>> rule = Rule("age", "<", 18, code="KO01", missing="refer")
        >>> rule.evaluate(col_from_value(17, "age"), SCALAR)
        (True, False)
        >>> rule.evaluate(col_from_value(None, "age"), SCALAR)
        (False, True)
        """
        miss = col.missing
        none = miss & False  # all False, shaped like the data
        if self.op == "is_missing":
            return miss, none
        kind, compare, operand, negate = self._plan
        if col.kind != kind:
            if col.kind != "empty":
                what = "text" if col.kind == "string" else "numbers"
                raise DataError(
                    f"field {self.field!r} (rule {self.code!r}: {self.describe()}): expected "
                    f"{'numbers or booleans' if kind == 'number' else 'text'}, found {what}"
                )
            hit = none
        else:
            if compare is not None:
                test = compare(col.values, operand)
            else:
                test = xp.isin(col.values, operand)
                if negate:
                    test = xp.logical_not(test)
            hit = test & xp.logical_not(miss)
        missing = self.missing
        ko = hit | miss if missing == "knock_out" else hit
        return ko, miss if missing == "refer" else none

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        v = list(self.value) if isinstance(self.value, tuple) else self.value
        return {
            "field": self.field,
            "op": self.op,
            "value": v,
            "code": self.code,
            "text": self.text,
            "missing": self.missing,
            "overridable": self.overridable,
        }

    @classmethod
    def from_dict(cls, d: Any) -> Rule:
        """Inverse of :meth:`to_dict`; a malformed body raises SchemaError naming the field."""
        o = _json.Obj(d)
        value = o.raw("value")
        fields: dict[str, Any] = {
            "field": o.string("field"),
            "op": o.string("op"),
            "value": _json.items(value, _scalar, "value")
            if isinstance(value, list)
            else _scalar(value, "value"),
            "code": o.string("code"),
            "text": o.string("text"),
            "missing": o.string("missing"),
            "overridable": o.boolean("overridable"),
        }
        with _json.within():
            return cls(**fields)


def _scalar(value: Any, *path: _json.PathPart) -> Any:
    """A rule's value: null, true/false, a string, or a number (integers stay integers)."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return _json.integer(value, *path)
    return _json.number(value, *path)


# ---------------------------------------------------------------------------------------------
# Approve / refer / decline
# ---------------------------------------------------------------------------------------------


def _check_refer(instance: ScoreCutoffs, attribute: attrs.Attribute[Any], value: Any) -> None:
    labeled(number())(instance, attribute, value)
    if value > instance.approve:
        fail(instance, attribute.name, f"<= approve ({instance.approve!r})", value)


@attrs.frozen
class ScoreCutoffs:
    """Approve / refer / decline by score: ``score >= approve`` approves, ``refer <= score <
    approve`` refers, anything lower declines.

    Parameters
    ----------
    approve : float
        Lowest score that is approved (the cut-off).
    refer : float, optional
        Lowest score that is referred to manual review; defaults to ``approve`` (no refer
        band).  Must not exceed ``approve``.

    Examples
    --------
    >>> c = ScoreCutoffs(approve=620, refer=580)
    >>> [DECISIONS[k] for k in c.score_decisions(np.array([619.0, 620.0, 580.0, 579.0]))]
    ['refer', 'approve', 'refer', 'decline']
    >>> ScoreCutoffs(approve=None)
    Traceback (most recent call last):
    ...
    scorecard.exceptions.SpecificationError: ScoreCutoffs.approve: expected ..., found None
    """

    approve: float = attrs.field(converter=to_number, validator=labeled(number()))
    refer: float = attrs.field(
        converter=to_number,
        validator=_check_refer,
        default=attrs.Factory(lambda self: self.approve, takes_self=True),
    )

    def decide(self, score: Any, xp: ArrayNamespace) -> Any:
        """Decision code per score (-1 for a missing score), on a frame's or one score."""
        return xp.select(
            [score >= self.approve, score >= self.refer, score == score],
            [APPROVE, REFER, DECLINE],
            -1,
        )

    def score_decisions(self, score: npt.ArrayLike) -> npt.NDArray[np.int8]:
        """Decision code per score (NaN scores give -1)."""
        return np.asarray(self.decide(np.asarray(score, dtype=np.float64), NUMPY), dtype=np.int8)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"type": "score_cutoffs", "approve": self.approve, "refer": self.refer}


def _check_disjoint(instance: GradeCutoffs, attribute: attrs.Attribute[Any], value: Any) -> None:
    names_field(unique=True)(instance, attribute, value)
    both = sorted(set(instance.approve) & set(value))
    if both:
        fail(instance, "refer", "approve and refer to be disjoint", f"{both} in both")


@attrs.frozen
class GradeCutoffs:
    """Approve / refer / decline by grade: grades in ``approve`` approve, grades in ``refer``
    refer, every other grade declines.

    The sets must be ordered like the grade scale (every approved grade better than every
    referred grade, which is better than every declined grade); the policy checks this, so
    a better grade never gets a worse decision.

    Examples
    --------
    >>> GradeCutoffs(approve=("A", "B"), refer=("C",)).to_dict()
    {'type': 'grade_cutoffs', 'approve': ['A', 'B'], 'refer': ['C']}
    """

    approve: tuple[str, ...] = attrs.field(
        converter=to_names, validator=names_field(nonempty=True, unique=True)
    )
    refer: tuple[str, ...] = attrs.field(default=(), converter=to_names, validator=_check_disjoint)

    def check_scale(self, grade_names: Sequence[str]) -> None:
        """Every grade known, and the sets ordered best -> worst like the scale."""
        pos = {g: i for i, g in enumerate(grade_names)}
        for attr in ("approve", "refer"):
            unknown = [g for g in getattr(self, attr) if g not in pos]
            if unknown:
                raise SpecificationError(
                    f"GradeCutoffs.{attr}: grade(s) {unknown} are not in the grade scale "
                    f"{list(grade_names)}"
                )
        codes = self.per_grade(grade_names)
        if np.any(np.diff(codes) > 0):
            raise SpecificationError(
                "GradeCutoffs: expected decisions ordered like the grades (approved grades "
                "better than referred grades, better than declined grades), found "
                f"{dict(zip(grade_names, (DECISIONS[int(c)] for c in codes), strict=True))}"
            )

    def per_grade(self, grade_names: Sequence[str]) -> npt.NDArray[np.int8]:
        """Decision code per grade index."""
        return np.array(
            [
                APPROVE if g in self.approve else REFER if g in self.refer else DECLINE
                for g in grade_names
            ],
            dtype=np.int8,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"type": "grade_cutoffs", "approve": list(self.approve), "refer": list(self.refer)}


Cutoffs: TypeAlias = ScoreCutoffs | GradeCutoffs


def cutoffs_from_dict(d: Any) -> Cutoffs:
    """Inverse of ``ScoreCutoffs.to_dict`` / ``GradeCutoffs.to_dict``."""
    o = _json.Obj(d)
    t = o.string("type")
    if t == "score_cutoffs":
        approve, refer = o.number("approve"), o.number("refer")
        with _json.within():
            return ScoreCutoffs(approve=approve, refer=refer)
    if t == "grade_cutoffs":
        approve_g, refer_g = o.strings("approve"), o.strings("refer")
        with _json.within():
            return GradeCutoffs(approve=approve_g, refer=refer_g)
    raise _json.FieldError(("type",), f"expected 'score_cutoffs' or 'grade_cutoffs', found {t!r}")
