"""The record of a stepwise selection: :class:`SelectionPath`, its steps and outcomes.

:func:`~scorecard._model.stepwise.select_stepwise` builds these; they are frozen,
validated at construction (a bad value raises
:class:`~scorecard.exceptions.SpecificationError` naming ``Class.field``) and a
:class:`SelectionPath` saves to versioned JSON (a malformed file raises
:class:`~scorecard.exceptions.SchemaError`).
"""

from __future__ import annotations

from typing import Any, Literal

import attrs
import numpy as np
import pandas as pd

from scorecard._core import artifact as _json
from scorecard._core.fields import (
    boolean,
    fail,
    integer,
    number,
    one_of,
    optional,
    string,
    to_integer,
    to_number,
    to_optional_number,
)
from scorecard._model.logit import LogitResult, strings, to_tuple
from scorecard.exceptions import SpecificationError

__all__ = [
    "ACTIONS",
    "CRITERIA",
    "METHODS",
    "STATUSES",
    "TESTS",
    "FeatureOutcome",
    "SelectionPath",
    "SelectionStep",
]

SCHEMA_VERSION = 1

Method = Literal["stepwise", "forward", "backward"]
Criterion = Literal["pvalue", "aic", "bic"]
Test = Literal["score", "wald", "lr"]

METHODS = ("stepwise", "forward", "backward")
CRITERIA = ("pvalue", "aic", "bic")
TESTS = ("score", "wald", "lr")
ACTIONS = ("force", "enter", "remove", "reject", "stop")
STATUSES = ("forced", "selected", "removed", "rejected", "not entered")


def _any_number(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A float, NaN and infinities included (after :func:`to_number`)."""
    if not isinstance(value, float):
        fail(instance, attribute, "a number (NaN allowed)", value)


def _items_of(cls: type) -> Any:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not (isinstance(value, tuple) and all(isinstance(v, cls) for v in value)):
            fail(instance, attribute, f"a sequence of {cls.__name__}", value)

    return check


def _logit_result(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, LogitResult):
        fail(instance, attribute, "a LogitResult", value)


@attrs.frozen
class SelectionStep:
    """One step of a selection path (:attr:`SelectionPath.steps`).

    Parameters
    ----------
    step : int
        Step number (0 for forced features and screening before the search).
    action : {"force", "enter", "remove", "reject", "stop"}
        What happened.
    feature : str
        The feature concerned (``""`` for ``"stop"``).
    value : float
        With ``criterion="aic"``/``"bic"``: the AIC/BIC of the model the step led to
        (for a rejected candidate: of the model it would have led to).  With
        ``criterion="pvalue"``: the p-value behind the decision (the entry test's, the
        Wald or LR p-value of a removed feature).  NaN for ``force``, ``stop`` without
        candidates and the rejections of step 0.
    reason : str
        The decision in words.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from scorecard import select_stepwise
    >>> rng = np.random.default_rng(3)
    >>> X = pd.DataFrame({"good1": rng.choice([-0.9, 0.0, 0.8], 4000),
    ...                   "noise": rng.choice([-0.3, 0.3], 4000)})
    >>> y = (rng.random(4000) < 1 / (1 + np.exp(1.8 + X["good1"]))).astype(int)
    >>> first = select_stepwise(X, y).steps[0]
    >>> first.step, first.action, first.feature
    (1, 'enter', 'good1')
    >>> first.reason
    'entered: lowest score-test p-value 6.8e-46 < p_enter 0.05'
    >>> SelectionStep(1, "jump", "good1", 0.01, "?")
    Traceback (most recent call last):
    ...
    scorecard.exceptions.SpecificationError: SelectionStep.action: expected one of ('force', 'enter', 'remove', 'reject', 'stop'), found 'jump'
    """  # noqa: E501

    step: int = attrs.field(converter=to_integer, validator=integer(ge=0))
    action: str = attrs.field(validator=one_of(ACTIONS))
    feature: str = attrs.field(validator=string(nonempty=False))
    value: float = attrs.field(converter=to_number, validator=_any_number)
    reason: str = attrs.field(validator=string())

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (a non-finite value as a string)."""
        return {
            "step": self.step,
            "action": self.action,
            "feature": self.feature,
            "value": _json.enc_float(self.value),
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, d: Any) -> SelectionStep:
        """Inverse of :meth:`to_dict`; a malformed body raises SchemaError naming the field."""
        o = _json.Obj(d)
        fields = {
            "step": o.raw("step"),
            "action": o.raw("action"),
            "feature": o.raw("feature"),
            "value": o.number("value", nonfinite=True),
            "reason": o.raw("reason"),
        }
        with _json.within():
            return cls(**fields)


@attrs.frozen
class FeatureOutcome:
    """What a selection decided for one candidate feature, and why.

    :attr:`SelectionPath.outcomes` holds one per candidate, in the order of the
    candidates; :attr:`SelectionPath.table` shows them with the final coefficients.

    Parameters
    ----------
    feature : str
        The candidate feature.
    status : {"forced", "selected", "removed", "rejected", "not entered"}
        Where it ended: forced in, selected by the search, entered and later removed,
        rejected (a gate, a failed fit, or constant/collinear at step 0), or never
        entered.
    step : int
        The step that decided it (the last step for ``"not entered"`` and the features
        a backward search kept).
    reason : str
        The decision in words.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from scorecard import select_stepwise
    >>> rng = np.random.default_rng(3)
    >>> X = pd.DataFrame({"good1": rng.choice([-0.9, 0.0, 0.8], 4000),
    ...                   "noise": rng.choice([-0.3, 0.3], 4000)})
    >>> y = (rng.random(4000) < 1 / (1 + np.exp(1.8 + X["good1"]))).astype(int)
    >>> kept, dropped = select_stepwise(X, y).outcomes
    >>> kept.feature, kept.status, kept.step
    ('good1', 'selected', 1)
    >>> dropped.feature, dropped.status, dropped.step
    ('noise', 'rejected', 2)
    >>> dropped.reason
    'rejected: coefficient +0.3001 has the wrong sign (positive)'
    """

    feature: str = attrs.field(validator=string(nonempty=False))
    status: str = attrs.field(validator=one_of(STATUSES))
    step: int = attrs.field(converter=to_integer, validator=integer(ge=0))
    reason: str = attrs.field(validator=string())

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "feature": self.feature,
            "status": self.status,
            "step": self.step,
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, d: Any) -> FeatureOutcome:
        """Inverse of :meth:`to_dict`; a malformed body raises SchemaError naming the field."""
        o = _json.Obj(d)
        fields = {f: o.raw(f) for f in ("feature", "status", "step", "reason")}
        with _json.within():
            return cls(**fields)


@attrs.frozen
class SelectionPath(_json.JsonArtifact):
    """The record of a feature selection: settings, steps, outcomes and the final fit.

    Built by :func:`~scorecard.select_stepwise`.  :attr:`table` says per feature whether
    it was selected and why; :attr:`history` lists the steps; :attr:`result` is the
    final :class:`~scorecard.LogitResult` (features in the column order of the input).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from scorecard import select_stepwise
    >>> rng = np.random.default_rng(3)
    >>> X = pd.DataFrame({"good1": rng.choice([-0.9, 0.0, 0.8], 4000),
    ...                   "noise": rng.choice([-0.3, 0.3], 4000)})
    >>> y = (rng.random(4000) < 1 / (1 + np.exp(1.8 + X["good1"]))).astype(int)
    >>> path = select_stepwise(X, y, criterion="bic")
    >>> path.features, path.result.features
    (('good1',), ('good1',))
    >>> path.history[["step", "action", "feature"]].to_dict("list")
    {'step': [1, 2], 'action': ['enter', 'stop'], 'feature': ['good1', '']}
    >>> SelectionPath.from_json(path.to_json()) == path
    True
    """

    _KIND = "selection_path"
    _SCHEMA_VERSION = SCHEMA_VERSION

    method: str = attrs.field(validator=one_of(METHODS))
    criterion: str = attrs.field(validator=one_of(CRITERIA))
    test: str = attrs.field(validator=one_of(TESTS))
    p_enter: float = attrs.field(converter=to_number, validator=number(gt=0, lt=1))
    p_remove: float = attrs.field(converter=to_number, validator=number(gt=0, lt=1))
    max_pvalue: float | None = attrs.field(
        converter=to_optional_number, validator=optional(number(gt=0, le=1))
    )
    sign_gate: bool = attrs.field(validator=boolean)
    max_features: int | None = attrs.field(converter=to_integer, validator=optional(integer(ge=1)))
    force: tuple[str, ...] = attrs.field(converter=to_tuple, validator=strings)
    candidates: tuple[str, ...] = attrs.field(converter=to_tuple, validator=strings)
    steps: tuple[SelectionStep, ...] = attrs.field(
        converter=to_tuple, validator=_items_of(SelectionStep)
    )
    outcomes: tuple[FeatureOutcome, ...] = attrs.field(
        converter=to_tuple, validator=_items_of(FeatureOutcome)
    )
    features: tuple[str, ...] = attrs.field(converter=to_tuple, validator=strings)
    result: LogitResult = attrs.field(validator=_logit_result)

    def __attrs_post_init__(self) -> None:
        if [o.feature for o in self.outcomes] != list(self.candidates):
            raise SpecificationError(
                "SelectionPath.outcomes: expected one outcome per candidate, in order"
            )
        if self.result.features != self.features:
            raise SpecificationError(
                f"SelectionPath.result: expected the fit of {self.features}, found "
                f"{self.result.features}"
            )

    @property
    def table(self) -> pd.DataFrame:
        """Per candidate: selected or not, status, step, final coef and p-value, and why."""
        params = self.result.params
        pvals = self.result.pvalues
        rows = []
        for o in self.outcomes:
            sel = o.feature in self.features
            rows.append(
                {
                    "feature": o.feature,
                    "selected": sel,
                    "forced": o.feature in self.force,
                    "status": o.status,
                    "step": o.step,
                    "coef": float(params[o.feature]) if sel else np.nan,
                    "p_value": float(pvals[o.feature]) if sel else np.nan,
                    "reason": o.reason,
                }
            )
        columns = ["feature", "selected", "forced", "status", "step", "coef", "p_value", "reason"]
        return pd.DataFrame(rows, columns=columns)

    @property
    def history(self) -> pd.DataFrame:
        """One row per step: step, action, feature, value, reason."""
        return pd.DataFrame(
            [attrs.asdict(s) for s in self.steps],
            columns=["step", "action", "feature", "value", "reason"],
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "method": self.method,
            "criterion": self.criterion,
            "test": self.test,
            "p_enter": self.p_enter,
            "p_remove": self.p_remove,
            "max_pvalue": self.max_pvalue,
            "sign_gate": self.sign_gate,
            "max_features": self.max_features,
            "force": list(self.force),
            "candidates": list(self.candidates),
            "steps": [s.to_dict() for s in self.steps],
            "outcomes": [o.to_dict() for o in self.outcomes],
            "features": list(self.features),
            "result": self.result.to_dict(),
        }

    @classmethod
    def from_dict(cls, d: Any) -> SelectionPath:
        """Inverse of :meth:`to_dict`; a malformed or inconsistent body raises SchemaError.

        Besides the checks of the classes (known method, criterion, test, actions and
        statuses; p-values in (0, 1); one outcome per candidate, in order; the final fit
        of the selected features), the record must hang together: candidates distinct,
        forced and selected features among the candidates and in their order; the
        outcome ``"forced"`` exactly for the forced features, ``"forced"`` or
        ``"selected"`` exactly for the selected ones; step numbers that never decrease,
        no outcome decided after the last step; a ``"stop"`` step and only it without a
        feature, the other steps naming a candidate; at most ``max_features`` features.
        """
        o = _json.Obj(d)

        def each(field: str, read: Any) -> list[Any]:
            out = []
            for i, v in enumerate(o.array(field)):
                with _json.within(field, i):
                    out.append(read(v))
            return out

        max_pvalue = o.raw("max_pvalue")
        fields = {
            "method": o.raw("method"),
            "criterion": o.raw("criterion"),
            "test": o.raw("test"),
            "p_enter": o.number("p_enter"),
            "p_remove": o.number("p_remove"),
            "max_pvalue": _json.optional(max_pvalue, _json.number, "max_pvalue"),
            "sign_gate": o.raw("sign_gate"),
            "max_features": o.raw("max_features"),
            "force": o.strings("force"),
            "candidates": o.strings("candidates"),
            "steps": each("steps", SelectionStep.from_dict),
            "outcomes": each("outcomes", FeatureOutcome.from_dict),
            "features": o.strings("features"),
        }
        with _json.within("result"):
            fields["result"] = LogitResult.from_dict(o.raw("result"))
        with _json.within():
            path = cls(**fields)
        _check_record(path)
        return path


def _in_order(names: tuple[str, ...], order: tuple[str, ...]) -> bool:
    pos = {n: i for i, n in enumerate(order)}
    return all(n in pos for n in names) and [pos[n] for n in names] == sorted(pos[n] for n in names)


def _check_record(p: SelectionPath) -> None:
    """The meaning checks of a loaded :class:`SelectionPath` (see its ``from_dict``)."""
    check = _json.check
    for field in ("force", "features"):
        names = getattr(p, field)
        check(
            _in_order(names, p.candidates),
            (field,),
            f"expected candidates in the order of 'candidates', found {list(names)}",
        )
    for i, o in enumerate(p.outcomes):
        forced, selected = o.feature in p.force, o.feature in p.features
        ok = (o.status == "forced") == forced and (o.status in ("forced", "selected")) == (
            selected or forced
        )
        check(
            ok,
            ("outcomes", i, "status"),
            f"the outcome {o.status!r} of {o.feature!r} does not fit the record: it is "
            f"{'' if forced else 'not '}forced and {'' if selected else 'not '}among the "
            "selected features",
        )
    last = p.steps[-1].step if p.steps else 0
    for i, s in enumerate(p.steps):
        if i:
            check(
                s.step >= p.steps[i - 1].step,
                ("steps", i, "step"),
                f"expected step numbers that never decrease, found {s.step} after "
                f"{p.steps[i - 1].step}",
            )
        named = s.feature != ""
        check(
            named != (s.action == "stop") and (not named or s.feature in p.candidates),
            ("steps", i, "feature"),
            f"expected a candidate for a {s.action!r} step and none for 'stop', found "
            f"{s.feature!r}",
        )
    for i, o in enumerate(p.outcomes):
        check(
            o.step <= last,
            ("outcomes", i, "step"),
            f"expected a step of the record (the last is {last}), found {o.step}",
        )
    if p.max_features is not None:
        check(
            len(p.features) <= max(p.max_features, len(p.force)),
            ("features",),
            f"expected at most max_features = {p.max_features} features, found {len(p.features)}",
        )
