"""The record of a stepwise selection: :class:`SelectionPath`, its steps and outcomes.

:func:`~scorecard._model.stepwise.select_stepwise` builds these; they are frozen,
validated at construction (a bad value raises
:class:`~scorecard.exceptions.SpecificationError` naming ``Class.field``) and a
:class:`SelectionPath` saves to versioned JSON (a malformed file raises
:class:`~scorecard.exceptions.SchemaError`).
"""

from __future__ import annotations

from collections.abc import Mapping
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
from scorecard.exceptions import SchemaError, SpecificationError

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
    def from_dict(cls, d: Mapping[str, Any]) -> SelectionStep:
        """Inverse of :meth:`to_dict`."""
        k = "selection step"
        return cls(
            step=_json.get(d, "step", k),
            action=_json.get(d, "action", k),
            feature=_json.get(d, "feature", k),
            value=_json.json_number(_json.get(d, "value", k), "value", k),
            reason=_json.get(d, "reason", k),
        )


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
    def from_dict(cls, d: Mapping[str, Any]) -> FeatureOutcome:
        """Inverse of :meth:`to_dict`."""
        k = "feature outcome"
        return cls(
            feature=_json.get(d, "feature", k),
            status=_json.get(d, "status", k),
            step=_json.get(d, "step", k),
            reason=_json.get(d, "reason", k),
        )


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
    def from_dict(cls, d: Mapping[str, Any]) -> SelectionPath:
        """Inverse of :meth:`to_dict`; a malformed body raises :class:`SchemaError`."""
        k = cls._KIND
        try:
            lists = {
                f: _json.get(d, f, k)
                for f in ("force", "candidates", "steps", "outcomes", "features")
            }
            for f, v in lists.items():
                if not isinstance(v, list):
                    raise SchemaError(f"{k}: expected {f!r} to be a list, found {v!r}")
            for f in ("steps", "outcomes"):
                if not all(isinstance(v, Mapping) for v in lists[f]):
                    raise SchemaError(f"{k}: expected {f!r} to be a list of objects")
            mp = _json.get(d, "max_pvalue", k)
            result = _json.get(d, "result", k)
            if not isinstance(result, Mapping):
                raise SchemaError(f"{k}: expected 'result' to be an object, found {result!r}")
            return cls(
                method=_json.get(d, "method", k),
                criterion=_json.get(d, "criterion", k),
                test=_json.get(d, "test", k),
                p_enter=_json.json_number(_json.get(d, "p_enter", k), "p_enter", k),
                p_remove=_json.json_number(_json.get(d, "p_remove", k), "p_remove", k),
                max_pvalue=None if mp is None else _json.json_number(mp, "max_pvalue", k),
                sign_gate=_json.get(d, "sign_gate", k),
                max_features=_json.get(d, "max_features", k),
                force=lists["force"],
                candidates=lists["candidates"],
                steps=[SelectionStep.from_dict(s) for s in lists["steps"]],
                outcomes=[FeatureOutcome.from_dict(o) for o in lists["outcomes"]],
                features=lists["features"],
                result=LogitResult.from_dict(result),
            )
        except SpecificationError as exc:
            raise SchemaError(f"{k}: invalid content: {exc}") from None
