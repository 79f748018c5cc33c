"""Building blocks of a credit policy, all plain data: rules, cut-offs, limit components, terms.

Everything here is an ``attrs`` frozen value class that validates itself, compares by value
and converts to and from plain JSON (``to_dict`` / ``from_dict``).  Nothing holds a lambda: a
policy can be stored, reviewed, versioned and shipped to another system.  The
:class:`~scorecard.policy._policy.CreditPolicy` assembles them and runs the decision.

Data arrive here as :class:`Col` objects: one field of the applicant data as a numpy array of
one of three kinds, ``"number"`` (float64, NaN = missing), ``"string"`` (object, ``None`` =
missing) or ``"empty"`` (every value missing).  A single dict value goes through the same
rules as a column (:func:`scalar_from_value`, :func:`col_from_series`), so a one-applicant
decision and a whole-frame decision see the same values.
"""

from __future__ import annotations

import decimal
import math
import numbers
import operator
import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal, NamedTuple, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard._core.artifact import get
from scorecard._core.types import BoolArray, FloatArray, IntArray, ObjArray
from scorecard.exceptions import DataError, SchemaError, SpecificationError

#: Decision codes, ordered so that a larger code is a more favourable decision.
DECLINE, REFER, APPROVE = 0, 1, 2
DECISIONS: tuple[str, str, str] = ("decline", "refer", "approve")

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
_SET_OPS = frozenset({"in", "not in"})
_UNARY_OPS = frozenset({"is_missing", "is_true", "is_false"})
MISSING_ACTIONS: tuple[str, ...] = ("knock_out", "pass", "refer")
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PY_OPS: dict[str, Any] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}

Scalar: TypeAlias = int | float | str | bool
RuleValue: TypeAlias = Scalar | tuple[Scalar, ...] | None
ByGrade: TypeAlias = float | tuple[tuple[str, float], ...]
Kind = Literal["number", "string", "empty"]


# ---------------------------------------------------------------------------------------------
# Columns: one field of the data, as numpy, with one conversion for frames and dicts
# ---------------------------------------------------------------------------------------------


class Col(NamedTuple):
    """One field of the applicant data as numpy (internal)."""

    kind: Kind
    values: Any  # float64 array for "number"/"empty", object array for "string"
    missing: BoolArray


def is_missing_value(v: Any) -> bool:
    """``None``, NaN (any float type), ``pd.NA`` and ``pd.NaT`` are missing; nothing else is."""
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float | np.floating):
        return bool(v != v)
    return False


def scalar_from_value(v: Any, field: str) -> tuple[Kind, Any]:
    """One dict value as ``(kind, value)``: ``("number", float)``, ``("string", str)`` or
    ``("empty", None)``.  The same rules as :func:`col_from_series` for one column."""
    if is_missing_value(v):
        return "empty", None
    if isinstance(v, str):
        return "string", str(v)
    if isinstance(v, numbers.Real | decimal.Decimal | np.bool_):
        return "number", float(v)
    raise DataError(
        f"field {field!r}: expected a number, a string, a boolean or a missing value "
        f"(None/NaN), found {type(v).__name__} {v!r}"
    )


def col_from_series(s: pd.Series, field: str) -> Col:
    """A DataFrame column as a :class:`Col` (numbers and booleans as float64, text as object)."""
    missing = s.isna().to_numpy(dtype=np.bool_)
    dt = s.dtype
    if isinstance(dt, pd.CategoricalDtype):
        cats = dt.categories
        if pd.api.types.is_bool_dtype(cats.dtype) or pd.api.types.is_numeric_dtype(cats.dtype):
            kind: Kind = "number"
        else:
            kind = "string"
        s = s.astype(object)
    elif pd.api.types.is_bool_dtype(dt) or pd.api.types.is_numeric_dtype(dt):
        kind = "number"
    elif pd.api.types.is_string_dtype(dt) and not pd.api.types.is_object_dtype(dt):
        kind = "string"
    elif pd.api.types.is_object_dtype(dt):
        inferred = pd.api.types.infer_dtype(s, skipna=True)
        if inferred in ("string", "empty"):
            kind = "string"
        elif inferred in ("integer", "floating", "boolean", "mixed-integer-float", "decimal"):
            kind = "number"
        else:
            raise DataError(
                f"column {field!r}: expected numbers, booleans or strings, found values that "
                f"pandas infers as {inferred!r}; convert the column to one type first"
            )
    else:
        raise DataError(
            f"column {field!r}: expected numbers, booleans or strings, found dtype {dt}; "
            "derive a number or a label from it first"
        )
    if missing.all():
        return Col("empty", np.full(len(s), np.nan), missing)
    if kind == "number":
        values = s.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        values = object_values(s)
    return Col(kind, values, missing)


def object_values(s: pd.Series) -> ObjArray:
    """A Series as an object array with ``None`` for every missing value."""
    out: ObjArray = s.to_numpy(dtype=object, copy=True)
    out[s.isna().to_numpy(dtype=np.bool_)] = None
    return out


def describe_rows(mask: BoolArray, index: pd.Index | None) -> str:
    """``"rows [3, 17] (2 rows)"`` for a frame, ``"the applicant"`` for a single dict."""
    if index is None:
        return "the applicant"
    hit = np.flatnonzero(mask)
    shown = [index[i] for i in hit[:5]]
    more = "" if hit.size <= 5 else " ..."
    return f"rows {shown}{more} ({hit.size} row{'s' * (hit.size != 1)})"


def _amount_error(field: str, what: str, problem: str, where: str) -> DataError:
    expected = {
        "text": "a number, found text; convert the field to numbers",
        "inf": f"finite numbers or missing, found infinite values at {where}",
        "negative": f"an amount >= 0 or missing, found negative values at {where}",
    }[problem]
    return DataError(f"field {field!r} (used by {what}): expected {expected}")


def amounts(col: Col, field: str, what: str, index: pd.Index | None, negative: bool) -> FloatArray:
    """A money field as float64 (NaN = missing): numeric, finite, and >= 0 unless allowed."""
    if col.kind == "string":
        raise _amount_error(field, what, "text", "")
    x: FloatArray = col.values
    bad = np.isinf(x)
    if bad.any():
        raise _amount_error(field, what, "inf", describe_rows(bad, index))
    if not negative:
        neg = x < 0
        if neg.any():
            raise _amount_error(field, what, "negative", describe_rows(neg, index))
    return x


def amount_one(kind: Kind, x: Any, field: str, what: str, negative: bool) -> float:
    """Scalar twin of :func:`amounts` (NaN = missing)."""
    if kind == "string":
        raise _amount_error(field, what, "text", "")
    if kind == "empty":
        return math.nan
    if math.isinf(x):
        raise _amount_error(field, what, "inf", "the applicant")
    if not negative and x < 0:
        raise _amount_error(field, what, "negative", "the applicant")
    return float(x)


# ---------------------------------------------------------------------------------------------
# Validators and converters shared by the building blocks
# ---------------------------------------------------------------------------------------------


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _check_name(owner: str, attribute: str, value: Any, identifier: bool = False) -> None:
    if not isinstance(value, str) or not value.strip():
        raise SpecificationError(
            f"{owner}.{attribute}: expected a non-empty string, found {value!r}"
        )
    if identifier and not _NAME_RE.match(value):
        raise SpecificationError(
            f"{owner}.{attribute}: expected an identifier (letters, digits, underscore; not "
            f"starting with a digit), found {value!r}"
        )
    if ";" in value:
        raise SpecificationError(
            f"{owner}.{attribute}: expected no ';' (it separates codes in decision tables), "
            f"found {value!r}"
        )


def _check_finite(owner: str, attribute: str, value: Any, minimum: float | None = None) -> None:
    if not _is_number(value) or not math.isfinite(value):
        raise SpecificationError(f"{owner}.{attribute}: expected a finite number, found {value!r}")
    if minimum is not None and value < minimum:
        raise SpecificationError(f"{owner}.{attribute}: expected >= {minimum}, found {value!r}")


def _py_scalar(v: Any) -> Any:
    """numpy scalars to Python ones (so equality, hashing and JSON behave)."""
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    if isinstance(v, np.str_):
        return str(v)
    return v


def _rule_value(v: Any) -> RuleValue:
    if isinstance(v, list | tuple | np.ndarray | pd.Index | pd.Series):
        return tuple(_py_scalar(x) for x in list(v))
    if isinstance(v, set | frozenset):
        items = [_py_scalar(x) for x in v]
        try:
            return tuple(sorted(items))
        except TypeError:
            return tuple(sorted(items, key=repr))
    return _py_scalar(v)  # type: ignore[no-any-return]


def _as_float(v: Any) -> Any:
    v = _py_scalar(v)
    return float(v) if _is_number(v) else v


def by_grade(value: Any) -> ByGrade:
    """A number (all grades) or a mapping grade -> number (stored as sorted pairs).

    Numbers are stored as floats, so ``{"A": 3}`` and ``{"A": 3.0}`` are the same policy.
    """
    if isinstance(value, Mapping):
        value = tuple(value.items())
    if isinstance(value, tuple) and all(isinstance(p, tuple) and len(p) == 2 for p in value):
        try:
            return tuple(sorted((k, _as_float(v)) for k, v in value))
        except TypeError:  # unsortable keys: refused by the validator
            return tuple((k, _as_float(v)) for k, v in value)
    return _as_float(value)  # type: ignore[no-any-return]


def _check_by_grade(
    owner: str, attribute: str, value: ByGrade, minimum: float, strict: bool = False
) -> None:
    """Validate a number or grade mapping: finite values >= minimum (> minimum if strict)."""
    items = value if isinstance(value, tuple) else (("*", value),)
    if isinstance(value, tuple) and not value:
        raise SpecificationError(
            f"{owner}.{attribute}: expected a number or a non-empty mapping grade -> number, "
            "found an empty mapping"
        )
    for grade, v in items:
        where = attribute if grade == "*" else f"{attribute}[{grade!r}]"
        if not isinstance(grade, str) or not grade:
            raise SpecificationError(
                f"{owner}.{attribute}: expected grade names (strings) as keys, found {grade!r}"
            )
        if not _is_number(v) or not math.isfinite(v):
            raise SpecificationError(f"{owner}.{where}: expected a finite number, found {v!r}")
        if v < minimum or (strict and v == minimum):
            op = ">" if strict else ">="
            raise SpecificationError(f"{owner}.{where}: expected {op} {minimum}, found {v!r}")


def grade_keys(value: ByGrade) -> tuple[str, ...]:
    """Grade names a by-grade value mentions (empty for a number)."""
    return tuple(k for k, _ in value) if isinstance(value, tuple) else ()


def per_grade(value: ByGrade, names: Sequence[str]) -> FloatArray:
    """Values per grade index, plus a trailing NaN slot: ``out[grade_idx]`` with -1 = no grade.

    A grade absent from a mapping gets NaN, which makes the component "not applicable".
    """
    out = np.full(len(names) + 1, np.nan)
    if isinstance(value, tuple):
        d = dict(value)
        for i, g in enumerate(names):
            if g in d:
                out[i] = d[g]
    else:
        out[: len(names)] = value
    return out


def by_grade_to_json(value: ByGrade) -> Any:
    return dict(value) if isinstance(value, tuple) else value


def by_grade_from_json(value: Any, what: str) -> ByGrade:
    if isinstance(value, Mapping):
        return by_grade(value)
    if _is_number(value):
        return float(value)
    raise SchemaError(f"{what}: expected a number or an object grade -> number, found {value!r}")


# ---------------------------------------------------------------------------------------------
# Knock-out rules
# ---------------------------------------------------------------------------------------------


def _kind_of(v: Any) -> str:
    return "string" if isinstance(v, str) else "number"


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
    scorecard.exceptions.SpecificationError: Rule 'KO09' (field 'x'): unknown op '=>'; ...
    """

    field: str
    op: str
    value: RuleValue = attrs.field(default=None, converter=_rule_value)
    code: str = attrs.field(kw_only=True)
    text: str = attrs.field(default="", kw_only=True)
    missing: str = attrs.field(default="knock_out", kw_only=True)
    overridable: bool = attrs.field(default=False, kw_only=True)

    def __attrs_post_init__(self) -> None:
        who = f"Rule {self.code!r}" if isinstance(self.code, str) and self.code else "Rule"
        _check_name(who, "code", self.code)
        _check_name(who, "field", self.field)
        who = f"Rule {self.code!r} (field {self.field!r})"
        if not isinstance(self.text, str):
            raise SpecificationError(f"{who}: text: expected a string, found {self.text!r}")
        if self.op not in OPS:
            raise SpecificationError(f"{who}: unknown op {self.op!r}; expected one of {list(OPS)}")
        if self.missing not in MISSING_ACTIONS:
            raise SpecificationError(
                f"{who}: missing: expected one of {list(MISSING_ACTIONS)}, found {self.missing!r}"
            )
        if not isinstance(self.overridable, bool):
            raise SpecificationError(
                f"{who}: overridable: expected True or False, found {self.overridable!r}"
            )
        v = self.value
        if self.op in _UNARY_OPS:
            if v is not None:
                raise SpecificationError(f"{who}: op {self.op!r} takes no value, found {v!r}")
        elif self.op in _ORDER_OPS:
            if not _is_number(v) or not math.isfinite(v):  # type: ignore[arg-type]
                raise SpecificationError(
                    f"{who}: op {self.op!r} needs a finite number as value, found {v!r}"
                )
        elif self.op in _EQ_OPS:
            self._check_scalar(who, v)
        else:
            if not isinstance(v, tuple) or not v:
                raise SpecificationError(
                    f"{who}: op {self.op!r} needs a non-empty list of values, found {v!r}"
                )
            for x in v:
                self._check_scalar(who, x)
            kinds = {_kind_of(x) for x in v}
            if len(kinds) > 1:
                raise SpecificationError(
                    f"{who}: op {self.op!r} needs values of one kind (all numbers or all "
                    f"strings), found {v!r}"
                )

    def _check_scalar(self, who: str, v: Any) -> None:
        if isinstance(v, str):
            return
        if isinstance(v, bool) or (_is_number(v) and math.isfinite(v)):
            return
        raise SpecificationError(
            f"{who}: op {self.op!r} needs a finite number, a boolean or a string, found {v!r}"
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

    def evaluate(self, col: Col, index: pd.Index | None) -> tuple[BoolArray, BoolArray]:
        """Knock-out and refer masks of this rule on one field (vectorised)."""
        miss = col.missing
        if self.op == "is_missing":
            return miss.copy(), np.zeros_like(miss)
        self._check_kind(col.kind)
        if col.kind == "empty":
            hit = np.zeros_like(miss)
        else:
            hit = self._condition(col) & ~miss
        ko = hit | (miss if self.missing == "knock_out" else np.zeros_like(miss))
        refer = miss & (self.missing == "refer")
        return ko, refer

    def _check_kind(self, found: str) -> None:
        kind = self.value_kind
        if found != "empty" and found != kind:
            what = "text" if found == "string" else "numbers"
            raise DataError(
                f"field {self.field!r} (rule {self.code!r}: {self.describe()}): expected "
                f"{'numbers or booleans' if kind == 'number' else 'text'}, found {what}"
            )

    def evaluate_one(self, kind: Kind, x: Any) -> tuple[bool, bool]:
        """Scalar twin of :meth:`evaluate`: ``(knocked_out, referred)`` for one value."""
        if self.op == "is_missing":
            return kind == "empty", False
        self._check_kind(kind)
        if kind == "empty":
            return self.missing == "knock_out", self.missing == "refer"
        op, v = self.op, self.value
        if op == "is_true":
            return bool(x != 0), False
        if op == "is_false":
            return bool(x == 0), False
        if kind == "number" and op not in _SET_OPS:
            return bool(_PY_OPS[op](x, float(v))), False  # type: ignore[arg-type]
        values = v if isinstance(v, tuple) else (v,)
        if kind == "number":
            values = tuple(float(e) for e in values)  # type: ignore[arg-type]
        hit = any(x == e for e in values)
        return (not hit if op in ("!=", "not in") else hit), False

    def _condition(self, col: Col) -> BoolArray:
        x = col.values
        op, v = self.op, self.value
        out: BoolArray
        if op == "is_true":
            out = x != 0
        elif op == "is_false":
            out = x == 0
        elif col.kind == "number":
            if op in _SET_OPS:
                assert isinstance(v, tuple)
                out = np.isin(x, np.asarray([float(e) for e in v], dtype=np.float64))
                if op == "not in":
                    out = ~out
            else:
                fv = float(v)  # type: ignore[arg-type]
                out = {
                    "==": np.equal,
                    "!=": np.not_equal,
                    "<": np.less,
                    "<=": np.less_equal,
                    ">": np.greater,
                    ">=": np.greater_equal,
                }[op](x, fv)
        else:
            values = v if isinstance(v, tuple) else (v,)
            out = np.zeros(x.shape, dtype=np.bool_)
            for e in values:
                out |= np.asarray(x == e, dtype=np.bool_)
            if op in ("!=", "not in"):
                out = ~out
        return np.asarray(out, dtype=np.bool_)

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
    def from_dict(cls, d: Mapping[str, Any]) -> Rule:
        """Inverse of :meth:`to_dict`."""
        return cls(
            get(d, "field", "rule"),
            get(d, "op", "rule"),
            get(d, "value", "rule"),
            code=get(d, "code", "rule"),
            text=get(d, "text", "rule"),
            missing=get(d, "missing", "rule"),
            overridable=get(d, "overridable", "rule"),
        )


# ---------------------------------------------------------------------------------------------
# Approve / refer / decline
# ---------------------------------------------------------------------------------------------


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
    """

    approve: float = attrs.field(converter=float)
    refer: float = attrs.field(
        converter=float, default=attrs.Factory(lambda self: self.approve, takes_self=True)
    )

    def __attrs_post_init__(self) -> None:
        _check_finite("ScoreCutoffs", "approve", self.approve)
        _check_finite("ScoreCutoffs", "refer", self.refer)
        if self.refer > self.approve:
            raise SpecificationError(
                f"ScoreCutoffs.refer: expected <= approve ({self.approve!r}), found {self.refer!r}"
            )

    def score_decisions(self, score: FloatArray) -> npt.NDArray[np.int8]:
        """Decision code per score (NaN scores give -1)."""
        out = np.where(
            score >= self.approve, APPROVE, np.where(score >= self.refer, REFER, DECLINE)
        )
        return np.where(np.isnan(score), -1, out).astype(np.int8)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"type": "score_cutoffs", "approve": self.approve, "refer": self.refer}


def _names_tuple(v: Any) -> tuple[str, ...]:
    if isinstance(v, str):
        return (v,)
    return tuple(v)


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

    approve: tuple[str, ...] = attrs.field(converter=_names_tuple)
    refer: tuple[str, ...] = attrs.field(default=(), converter=_names_tuple)

    def __attrs_post_init__(self) -> None:
        if not self.approve:
            raise SpecificationError(
                "GradeCutoffs.approve: expected at least one grade, found none"
            )
        for attr in ("approve", "refer"):
            for g in getattr(self, attr):
                _check_name("GradeCutoffs", attr, g)
        both = sorted(set(self.approve) & set(self.refer))
        if both:
            raise SpecificationError(
                f"GradeCutoffs: expected approve and refer to be disjoint, found {both} in both"
            )
        for attr in ("approve", "refer"):
            names = getattr(self, attr)
            if len(set(names)) != len(names):
                raise SpecificationError(
                    f"GradeCutoffs.{attr}: expected each grade once, found {list(names)}"
                )

    def check_scale(self, names: Sequence[str]) -> None:
        """Every grade known, and the sets ordered best -> worst like the scale."""
        pos = {g: i for i, g in enumerate(names)}
        for attr in ("approve", "refer"):
            unknown = [g for g in getattr(self, attr) if g not in pos]
            if unknown:
                raise SpecificationError(
                    f"GradeCutoffs.{attr}: grade(s) {unknown} are not in the grade scale "
                    f"{list(names)}"
                )
        codes = self.per_grade(names)
        if np.any(np.diff(codes) > 0):
            raise SpecificationError(
                "GradeCutoffs: expected decisions ordered like the grades (approved grades "
                "better than referred grades, better than declined grades), found "
                f"{dict(zip(names, (DECISIONS[int(c)] for c in codes), strict=True))}"
            )

    def per_grade(self, names: Sequence[str]) -> npt.NDArray[np.int8]:
        """Decision code per grade index."""
        return np.array(
            [
                APPROVE if g in self.approve else REFER if g in self.refer else DECLINE
                for g in names
            ],
            dtype=np.int8,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"type": "grade_cutoffs", "approve": list(self.approve), "refer": list(self.refer)}


Cutoffs: TypeAlias = ScoreCutoffs | GradeCutoffs


def cutoffs_from_dict(d: Mapping[str, Any]) -> Cutoffs:
    """Inverse of ``ScoreCutoffs.to_dict`` / ``GradeCutoffs.to_dict``."""
    t = get(d, "type", "cutoffs")
    if t == "score_cutoffs":
        return ScoreCutoffs(approve=get(d, "approve", "cutoffs"), refer=get(d, "refer", "cutoffs"))
    if t == "grade_cutoffs":
        return GradeCutoffs(approve=get(d, "approve", "cutoffs"), refer=get(d, "refer", "cutoffs"))
    raise SchemaError(f"cutoffs: expected type 'score_cutoffs' or 'grade_cutoffs', found {t!r}")


# ---------------------------------------------------------------------------------------------
# Limit components
# ---------------------------------------------------------------------------------------------


class LimitContext(NamedTuple):
    """What a limit component sees (internal)."""

    cols: Mapping[str, Col]
    grade_idx: IntArray  # -1 = no grade
    grade_names: tuple[str, ...]
    pd: FloatArray  # PD used by the policy (floored), NaN = none
    lgd: FloatArray  # NaN = no grade
    ccf: float
    rows: pd.Index | None


class ScalarContext(NamedTuple):
    """What a limit component sees for one applicant (internal)."""

    values: Mapping[str, tuple[Kind, Any]]
    grade_idx: int  # -1 = no grade
    pd: float  # NaN = none
    lgd: float
    ccf: float


def _component_name(owner: str, value: Any) -> None:
    _check_name(owner, "name", value, identifier=True)
    if value in ("cap", "none"):
        raise SpecificationError(
            f"{owner}.name: {value!r} is reserved (it names the policy cap in breakdowns)"
        )


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

    name: str
    field: str
    multiplier: ByGrade = attrs.field(default=1.0, converter=by_grade)
    kind: ClassVar[str] = "need"

    def __attrs_post_init__(self) -> None:
        _component_name("NeedLimit", self.name)
        who = f"NeedLimit {self.name!r}"
        _check_name(who, "field", self.field)
        _check_by_grade(who, "multiplier", self.multiplier, 0.0)

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field,)

    def grades(self) -> tuple[str, ...]:
        return grade_keys(self.multiplier)

    @property
    def factor(self) -> ByGrade:
        """The by-grade parameter (the multiplier)."""
        return self.multiplier

    def evaluate(self, ctx: LimitContext, factor: FloatArray) -> FloatArray:
        """Values per row (NaN = not applicable); ``factor`` is ``per_grade(self.factor)``."""
        x = amounts(ctx.cols[self.field], self.field, f"limit {self.name!r}", ctx.rows, False)
        out: FloatArray = x * factor[ctx.grade_idx]
        return out

    def evaluate_one(self, ctx: ScalarContext, factor: Sequence[float]) -> float:
        """Scalar twin of :meth:`evaluate`."""
        kind, v = ctx.values[self.field]
        x = amount_one(kind, v, self.field, f"limit {self.name!r}", False)
        return x * factor[ctx.grade_idx]

    def to_dict(self) -> dict[str, Any]:
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

    name: str
    field: str
    share: ByGrade = attrs.field(converter=by_grade)
    kind: ClassVar[str] = "capacity"

    def __attrs_post_init__(self) -> None:
        _component_name("CapacityCap", self.name)
        who = f"CapacityCap {self.name!r}"
        _check_name(who, "field", self.field)
        _check_by_grade(who, "share", self.share, 0.0)

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field,)

    def grades(self) -> tuple[str, ...]:
        return grade_keys(self.share)

    @property
    def factor(self) -> ByGrade:
        """The by-grade parameter (the share)."""
        return self.share

    def evaluate(self, ctx: LimitContext, factor: FloatArray) -> FloatArray:
        """Values per row (NaN = not applicable); ``factor`` is ``per_grade(self.factor)``."""
        x = amounts(ctx.cols[self.field], self.field, f"limit {self.name!r}", ctx.rows, True)
        out: FloatArray = np.maximum(x, 0.0) * factor[ctx.grade_idx]
        return out

    def evaluate_one(self, ctx: ScalarContext, factor: Sequence[float]) -> float:
        """Scalar twin of :meth:`evaluate`."""
        kind, v = ctx.values[self.field]
        x = amount_one(kind, v, self.field, f"limit {self.name!r}", True)
        return (x if x != x else max(x, 0.0)) * factor[ctx.grade_idx]

    def to_dict(self) -> dict[str, Any]:
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
    budget applies to the grades it lists.  Not applicable without a PD.

    Examples
    --------
    >>> ExpectedLossCap("el_budget", budget=500.0).budget
    500.0
    """

    name: str
    budget: ByGrade = attrs.field(converter=by_grade)
    kind: ClassVar[str] = "expected_loss"

    def __attrs_post_init__(self) -> None:
        _component_name("ExpectedLossCap", self.name)
        _check_by_grade(f"ExpectedLossCap {self.name!r}", "budget", self.budget, 0.0, strict=True)

    @property
    def fields(self) -> tuple[str, ...]:
        return ()

    def grades(self) -> tuple[str, ...]:
        return grade_keys(self.budget)

    @property
    def factor(self) -> ByGrade:
        """The by-grade parameter (the budget)."""
        return self.budget

    def evaluate(self, ctx: LimitContext, factor: FloatArray) -> FloatArray:
        """Values per row (NaN = not applicable); ``factor`` is ``per_grade(self.factor)``."""
        with np.errstate(divide="ignore"):
            out: FloatArray = factor[ctx.grade_idx] / (ctx.pd * ctx.lgd * ctx.ccf)
        return out

    def evaluate_one(self, ctx: ScalarContext, factor: Sequence[float]) -> float:
        """Scalar twin of :meth:`evaluate`."""
        den = ctx.pd * ctx.lgd * ctx.ccf
        b = factor[ctx.grade_idx]
        if den == 0.0:  # a PD floor of 0 and a PD of 0: no expected loss, no cap
            return math.inf if b == b else math.nan
        return b / den

    def to_dict(self) -> dict[str, Any]:
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

    name: str
    field: str
    kind: ClassVar[str] = "external"

    def __attrs_post_init__(self) -> None:
        _component_name("ExternalLimit", self.name)
        _check_name(f"ExternalLimit {self.name!r}", "field", self.field)

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field,)

    def grades(self) -> tuple[str, ...]:
        return ()

    @property
    def factor(self) -> ByGrade:
        """1 for every grade (the field is the limit)."""
        return 1.0

    def evaluate(self, ctx: LimitContext, factor: FloatArray) -> FloatArray:
        """Values per row (NaN = not applicable)."""
        x = amounts(ctx.cols[self.field], self.field, f"limit {self.name!r}", ctx.rows, False)
        return x.copy()

    def evaluate_one(self, ctx: ScalarContext, factor: Sequence[float]) -> float:
        """Scalar twin of :meth:`evaluate`."""
        kind, v = ctx.values[self.field]
        return amount_one(kind, v, self.field, f"limit {self.name!r}", False)

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.kind, "name": self.name, "field": self.field}


LimitComponent: TypeAlias = NeedLimit | CapacityCap | ExpectedLossCap | ExternalLimit


def component_from_dict(d: Mapping[str, Any]) -> LimitComponent:
    """Inverse of the components' ``to_dict``."""
    t = get(d, "type", "limit component")
    what = f"limit component {d.get('name')!r}"
    if t == "need":
        return NeedLimit(
            get(d, "name", what),
            field=get(d, "field", what),
            multiplier=by_grade_from_json(get(d, "multiplier", what), what),
        )
    if t == "capacity":
        return CapacityCap(
            get(d, "name", what),
            field=get(d, "field", what),
            share=by_grade_from_json(get(d, "share", what), what),
        )
    if t == "expected_loss":
        return ExpectedLossCap(
            get(d, "name", what), budget=by_grade_from_json(get(d, "budget", what), what)
        )
    if t == "external":
        return ExternalLimit(get(d, "name", what), field=get(d, "field", what))
    raise SchemaError(
        f"{what}: expected type 'need', 'capacity', 'expected_loss' or 'external', found {t!r}"
    )


# ---------------------------------------------------------------------------------------------
# Terms
# ---------------------------------------------------------------------------------------------


def _opt_int(v: Any) -> Any:
    return int(v) if isinstance(v, np.integer) else v


@attrs.frozen
class Terms:
    """Terms of an approved (or referred) applicant of one grade.

    Parameters
    ----------
    payment_terms : str
        Label, e.g. ``"net 60"``, ``"net 30"``, ``"cash in advance"``, ``"36 monthly
        instalments"``.
    payment_days : int or None
        Days to pay (``60`` for net 60), for systems that need a number; None when it does not
        apply (instalment loans, cash in advance).
    security : tuple of str
        Required security or risk transfer, e.g. ``("guarantee",)``, ``("letter_of_credit",)``,
        ``("credit_insurance",)``; empty for unsecured.
    review_months : int
        Months until the next credit review (>= 1).

    Examples
    --------
    >>> Terms("net 30", payment_days=30, security=["credit_insurance"], review_months=6)
    Terms(payment_terms='net 30', payment_days=30, security=('credit_insurance',), review_months=6)
    """

    payment_terms: str
    payment_days: int | None = attrs.field(default=None, converter=_opt_int)
    security: tuple[str, ...] = attrs.field(default=(), converter=_names_tuple)
    review_months: int = attrs.field(default=12, converter=_opt_int)

    def __attrs_post_init__(self) -> None:
        _check_name("Terms", "payment_terms", self.payment_terms)
        d = self.payment_days
        if d is not None and (not isinstance(d, int) or isinstance(d, bool) or d < 0):
            raise SpecificationError(
                f"Terms.payment_days: expected None or an integer >= 0, found {d!r}"
            )
        for s in self.security:
            _check_name("Terms", "security", s)
        r = self.review_months
        if not isinstance(r, int) or isinstance(r, bool) or r < 1:
            raise SpecificationError(f"Terms.review_months: expected an integer >= 1, found {r!r}")

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "payment_terms": self.payment_terms,
            "payment_days": self.payment_days,
            "security": list(self.security),
            "review_months": self.review_months,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Terms:
        """Inverse of :meth:`to_dict`."""
        return cls(
            get(d, "payment_terms", "terms"),
            payment_days=get(d, "payment_days", "terms"),
            security=get(d, "security", "terms"),
            review_months=get(d, "review_months", "terms"),
        )


def join_codes(parts: Sequence[ObjArray | None], n: int) -> ObjArray:
    """Row-wise ``";".join`` of the non-empty strings of several object arrays (vectorised).

    ``None`` parts (nothing to add) are skipped.
    """
    acc: ObjArray = np.full(n, "", dtype=object)
    started = False
    for p in parts:
        if p is None:
            continue
        has = np.asarray(p != "", dtype=np.bool_)
        if not has.any():
            continue
        if started:
            sep = np.where((acc != "") & has, ";", "").astype(object)
            acc = acc + sep + p
        else:
            acc = p.astype(object, copy=True)
            started = True
    return acc


def code_array(mask: BoolArray, code: str) -> ObjArray | None:
    """``code`` where ``mask``, ``""`` elsewhere, as an object array; None if no row."""
    if not mask.any():
        return None
    return np.where(mask, code, "").astype(object)
