"""What the evaluator reads: the applicant data, and the score, PD and reasons of a model.

Two adapters gather the same :class:`Inputs` from two sources, and nothing else differs
between a frame and one applicant: :func:`frame_inputs` (a DataFrame: numpy arrays) and
:func:`record_inputs` (a mapping: Python scalars, no pandas).  The checks on the score, PD
and reason values, from the data or from a model, are written once against an array
namespace.  A scorecard passed as ``model=`` is called through the :class:`ScoringModel`
protocol on a frame and through :class:`RecordScoringModel` for one applicant.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple, Protocol, runtime_checkable

import numpy as np
import pandas as pd

from scorecard._core.arrays import NUMPY, SCALAR, ArrayNamespace
from scorecard._core.types import FloatArray, ObjArray
from scorecard._core.validation import check_columns, check_frame
from scorecard.exceptions import DataError, SpecificationError
from scorecard.policy._values import Col, col_from_series, col_from_value, describe_rows

__all__ = [
    "Inputs",
    "RecordScoringModel",
    "ScoredRecord",
    "ScoringModel",
    "Sources",
    "frame_inputs",
    "record_inputs",
]

_new = tuple.__new__  # a NamedTuple without its Python-level __new__ (one-applicant path)


@runtime_checkable
class ScoringModel(Protocol):
    """What :meth:`~scorecard.CreditPolicy.decide` and
    :meth:`~scorecard.CreditPolicy.decide_one` call on a scorecard passed as ``model=``.

    A :class:`~scorecard.Scorecard` satisfies it; so does any object with these two methods
    (a champion/challenger wrapper, a test double, a model served elsewhere).  Each is
    called once per call of ``decide``.  ``decide_one`` calls the model's
    ``score_record`` (:class:`RecordScoringModel`) if it has one, as a scorecard does;
    a model without it is called on a one-row frame.

    Methods
    -------
    score_and_pd(frame)
        ``(scores, pds)``: total points per row (higher = safer) and probability of bad
        per row, each a sequence of ``len(frame)`` finite numbers (PDs in [0, 1]), in the
        frame's order.
    reason_codes(frame, n)
        A DataFrame of ``len(frame)`` rows, in the frame's order, whose columns (e.g.
        ``reason_1..reason_n``) hold reason codes (strings) or None.  Not called when the
        policy's ``n_reasons`` is 0.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from scorecard import CreditPolicy, GradeScale
    >>> from scorecard.policy import ScoreCutoffs, Terms
    >>> class PointsModel:
    ...     '''The score is a column of the data; PD from 600 points at 50:1, PDO 20.'''
    ...     def score_and_pd(self, frame):
    ...         s = frame["points"].to_numpy(dtype=float)
    ...         return s, 1 / (1 + 50 * 2 ** ((s - 600) / 20))
    ...     def reason_codes(self, frame, n=4):
    ...         low = np.where(frame["points"] < 600, "LOW_POINTS", None)
    ...         return pd.DataFrame({"reason_1": low}, index=frame.index)
    >>> isinstance(PointsModel(), ScoringModel)
    True
    >>> policy = CreditPolicy(
    ...     grade_scale=GradeScale.from_cutoffs([600], ["A", "B"]),
    ...     cutoffs=ScoreCutoffs(approve=600), cap=1_000,
    ...     terms={"A": Terms("net 30"), "B": Terms("cash in advance")},
    ... )
    >>> d = policy.decide_one({"points": 580}, model=PointsModel())
    >>> d.decision, d.pd_source, d.reasons
    ('decline', 'model', ('LOW_POINTS',))
    """

    def score_and_pd(self, frame: pd.DataFrame, /) -> tuple[Any, Any]:
        """Total points and probability of bad, per row."""

    def reason_codes(self, frame: pd.DataFrame, /, n: int = 4) -> pd.DataFrame:
        """Up to ``n`` reason codes per row."""


class ScoredRecord(Protocol):
    """What :meth:`RecordScoringModel.score_record` returns (e.g. a
    :class:`~scorecard.RecordScore`): the score, its PD and the reason codes of one applicant.

    Examples
    --------
    >>> from scorecard import fit_scorecard
    >>> from scorecard.datasets import load_german_credit
    >>> df = load_german_credit()
    >>> card = fit_scorecard(df, "bad", seed=0).scorecard
    >>> scored = card.score_record(df.iloc[0].to_dict(), reasons=2)
    >>> isinstance(scored.score, int), 0.0 <= scored.pd <= 1.0, len(scored.reasons) <= 2
    (True, True, True)
    """

    @property
    def score(self) -> float:
        """Total points (higher = safer): a finite number."""

    @property
    def pd(self) -> float:
        """Probability of bad in [0, 1]: the PD the policy uses (for a scorecard, the PD of
        the printed score, as in ``score_and_pd``)."""

    @property
    def reasons(self) -> Sequence[str]:
        """Reason codes, most important first (at most the number asked for)."""


@runtime_checkable
class RecordScoringModel(ScoringModel, Protocol):
    """A :class:`ScoringModel` that also scores one applicant given as a mapping.

    :meth:`~scorecard.CreditPolicy.decide_one` calls ``score_record`` once per applicant
    (no frame is built); ``decide`` still calls ``score_and_pd`` and ``reason_codes`` on the
    frame.  A :class:`~scorecard.Scorecard` satisfies it
    (:meth:`~scorecard.Scorecard.score_record`).  A custom model implements it to be decided
    one applicant at a time without pandas; it must give the numbers of its frame methods on
    a one-row frame of the applicant.

    Methods
    -------
    score_record(record, *, reasons)
        A :class:`ScoredRecord`: an object with ``score`` (a finite number), ``pd`` (in
        [0, 1]) and ``reasons`` (a sequence of at most ``reasons`` codes, strings without
        ``;``).  The policy passes its ``n_reasons`` (0: no reasons are needed).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> import numpy as np, pandas as pd
    >>> from scorecard import CreditPolicy, GradeScale
    >>> from scorecard.policy import ScoreCutoffs, Terms
    >>> def pd_of(points):
    ...     return 1 / (1 + 50 * 2 ** ((points - 600) / 20))
    >>> class PointsModel:
    ...     '''The score is a field of the data; PD from 600 points at 50:1, PDO 20.'''
    ...     def score_and_pd(self, frame):
    ...         s = frame["points"].to_numpy(dtype=float)
    ...         return s, pd_of(s)
    ...     def reason_codes(self, frame, n=4):
    ...         low = np.where(frame["points"] < 600, "LOW_POINTS", None)
    ...         return pd.DataFrame({"reason_1": low}, index=frame.index)
    ...     def score_record(self, record, *, reasons=0):
    ...         s = float(record["points"])
    ...         low = ("LOW_POINTS",) if s < 600 and reasons else ()
    ...         return SimpleNamespace(score=s, pd=pd_of(s), reasons=low)
    >>> isinstance(PointsModel(), RecordScoringModel)
    True
    >>> policy = CreditPolicy(
    ...     grade_scale=GradeScale.from_cutoffs([600], ["A", "B"]),
    ...     cutoffs=ScoreCutoffs(approve=600), cap=1_000,
    ...     terms={"A": Terms("net 30"), "B": Terms("cash in advance")},
    ... )
    >>> d = policy.decide_one({"points": 580}, model=PointsModel())
    >>> d.decision, d.pd_source, d.reasons
    ('decline', 'model', ('LOW_POINTS',))
    >>> frame = pd.DataFrame({"points": [580]})
    >>> [d] == policy.records(policy.decide(frame, model=PointsModel()))
    True
    """

    def score_record(self, record: Mapping[str, Any], /, *, reasons: int = 0) -> ScoredRecord:
        """Score, PD and up to ``reasons`` reason codes of one applicant."""


class Sources(NamedTuple):
    """Where a policy finds its inputs: data fields, and how many reasons to ask a model for."""

    fields: tuple[str, ...]  # read by rules and limit components
    score_field: str
    pd_field: str
    reason_fields: tuple[str, ...]
    n_reasons: int
    without_model: tuple[str, ...]  # fields the data must have without a model
    with_model: tuple[str, ...]  # ... and with one

    @classmethod
    def of(
        cls,
        fields: Sequence[str],
        score_field: str,
        pd_field: str,
        reason_fields: tuple[str, ...],
        n_reasons: int,
    ) -> Sources:
        """The sources of a policy (fields read by its rules and limit components, in order)."""
        fields = tuple(dict.fromkeys(fields))
        without = tuple(dict.fromkeys([*fields, score_field, *reason_fields]))
        return cls(fields, score_field, pd_field, reason_fields, n_reasons, without, fields)

    def needed(self, with_model: bool) -> tuple[str, ...]:
        """Fields the data must have (the PD field is optional)."""
        return self.with_model if with_model else self.without_model


class Inputs(NamedTuple):
    """The evaluator's inputs, as numpy arrays (a frame) or Python scalars (one applicant)."""

    cols: Mapping[str, Col]
    score: Any  # NaN = missing
    pd: Any  # NaN = missing
    pd_label: str  # "data" or "model"
    reasons: Sequence[Any]  # reason codes of each reason source ("" = none)
    n: int
    rows: pd.Index | None  # a frame's row labels; None for one applicant


# ---------------------------------------------------------------------------------------------
# Checks of the score, PD and reason values (one code for frames and applicants)
# ---------------------------------------------------------------------------------------------


def score_values(col: Col, field: str, index: pd.Index | None, xp: ArrayNamespace) -> Any:
    """Scores as floats (NaN = missing); text and infinite scores are refused."""
    if col.kind == "string":
        raise DataError(f"field {field!r} (score): expected numbers, found text")
    s = col.values
    bad = xp.isinf(s)
    if xp.any(bad):
        raise DataError(
            f"field {field!r} (score): expected finite scores, found infinite values at "
            f"{describe_rows(bad, index)}"
        )
    return s


def check_pds(p: Any, what: str, index: pd.Index | None, xp: ArrayNamespace) -> Any:
    """PDs in [0, 1] or missing (NaN)."""
    bad = (p < 0.0) | (p > 1.0)
    if xp.any(bad):
        shown = p[bad][:3].tolist() if isinstance(bad, np.ndarray) else [p]
        raise DataError(
            f"{what}: expected probabilities in [0, 1] or missing, found {shown} at "
            f"{describe_rows(bad, index)}"
        )
    return p


def pd_values(col: Col, field: str, index: pd.Index | None, xp: ArrayNamespace) -> Any:
    """PDs of a data field as floats (NaN = missing), in [0, 1]."""
    if col.kind == "string":
        raise DataError(f"field {field!r} (pd): expected numbers, found text")
    p = col.values
    if xp.any((p < 0.0) | (p > 1.0)):
        check_pds(p, f"field {field!r} (pd)", index, xp)
    return p


def reason_values(col: Col, name: str, xp: ArrayNamespace) -> Any:
    """Reason codes as strings (``""`` = none); numbers and codes with ``;`` are refused."""
    if col.kind == "number":
        raise DataError(f"{name}: expected reason codes (text) or missing, found numbers")
    v = xp.where(col.missing, "", "" if col.kind == "empty" else col.values)
    if xp.any(xp.contains(v, ";")):
        raise DataError(f"{name}: expected reason codes without ';', found one with ';'")
    return v


def finite_values(x: Any, what: str, index: pd.Index | None, xp: ArrayNamespace) -> Any:
    """A model's scores or PDs: finite numbers (no NaN, no infinity)."""
    bad = xp.isnan(x) | xp.isinf(x)
    if xp.any(bad):
        raise DataError(
            f"{what}: expected finite numbers, found NaN/inf at {describe_rows(bad, index)}"
        )
    return x


def model_outputs(
    model: Any, frame: pd.DataFrame, index: pd.Index | None, n_reasons: int
) -> tuple[FloatArray, FloatArray, list[ObjArray]]:
    """Score, PD and reason codes of a :class:`ScoringModel` on a frame, checked."""
    if not isinstance(model, ScoringModel):
        raise SpecificationError(
            f"model: expected an object with score_and_pd(frame) and reason_codes(frame, n) "
            f"(a ScoringModel, e.g. a Scorecard), found {type(model).__name__}"
        )
    n = len(frame)
    both = model.score_and_pd(frame)
    if not isinstance(both, tuple) or len(both) != 2:
        raise DataError(
            f"model.score_and_pd: expected a pair (scores, pds), found {type(both).__name__}"
        )
    out = []
    for what, raw in zip(
        (
            "model.score_and_pd: the scores (model.score)",
            "model.score_and_pd: the PDs (model.predict_pd)",
        ),
        both,
        strict=True,
    ):
        try:
            arr = np.asarray(raw, dtype=np.float64)
        except (TypeError, ValueError):
            raise DataError(f"{what}: expected numbers, found {type(raw).__name__}") from None
        if arr.shape != (n,):
            raise DataError(f"{what}: expected {n} values (one per row), found {arr.shape}")
        out.append(finite_values(arr, what, index, NUMPY))
    check_pds(out[1], "model.score_and_pd: the PDs (model.predict_pd)", index, NUMPY)
    parts: list[ObjArray] = []
    if n_reasons > 0:
        rc = model.reason_codes(frame, n=n_reasons)
        if not isinstance(rc, pd.DataFrame) or len(rc) != n:
            raise DataError(
                f"model.reason_codes: expected a DataFrame with {n} rows, found "
                f"{type(rc).__name__} of length {len(rc) if hasattr(rc, '__len__') else '?'}"
            )
        for j, c in enumerate(rc.columns):
            name = f"model.reason_codes column {c!r}"
            col = col_from_series(rc.iloc[:, j], name)
            parts.append(np.asarray(reason_values(col, name, NUMPY), dtype=object))
    return out[0], out[1], parts


def _model_number(v: Any, what: str) -> float:
    """One number returned by a model, as a float (then checked like a frame's)."""
    if type(v) is float:
        return v
    try:
        return float(v)
    except (TypeError, ValueError):
        raise DataError(f"{what}: expected a number, found {type(v).__name__} {v!r}") from None


def record_outputs(
    model: Any, applicant: Mapping[str, Any], n_reasons: int
) -> tuple[float, float, list[str]]:
    """Score, PD and reason codes of a :class:`RecordScoringModel` for one applicant, checked
    as :func:`model_outputs` checks a frame's."""
    r = model.score_record(applicant, reasons=n_reasons)
    try:
        score, p, codes = r.score, r.pd, r.reasons
    except AttributeError:
        raise DataError(
            f"model.score_record: expected a result with score, pd and reasons, found "
            f"{type(r).__name__}"
        ) from None
    what = "model.score_record: the score"
    s = finite_values(_model_number(score, what), what, None, SCALAR)
    what = "model.score_record: the PD"
    p = check_pds(finite_values(_model_number(p, what), what, None, SCALAR), what, None, SCALAR)
    reasons = []
    for code in codes:
        name = "model.score_record: a reason code"
        reasons.append(reason_values(col_from_value(code, name), name, SCALAR))
    return s, p, reasons


# ---------------------------------------------------------------------------------------------
# The two adapters
# ---------------------------------------------------------------------------------------------


def _data_inputs(
    src: Sources,
    cols: Mapping[str, Col],
    score: Col,
    pds: Col | None,
    reasons: Sequence[Col],
    n: int,
    rows: pd.Index | None,
    xp: ArrayNamespace,
) -> Inputs:
    """Score, PD and reasons from the data itself (no model)."""
    return _new(
        Inputs,
        (
            cols,
            score_values(score, src.score_field, rows, xp),
            xp.full(n, math.nan) if pds is None else pd_values(pds, src.pd_field, rows, xp),
            "data",
            [reason_values(c, f, xp) for c, f in zip(reasons, src.reason_fields, strict=True)],
            n,
            rows,
        ),
    )


def frame_inputs(src: Sources, data: pd.DataFrame, model: ScoringModel | None) -> Inputs:
    """The inputs of a frame of applicants (numpy arrays, one value per row)."""
    data = check_frame(data, "decide")
    check_columns(data, list(src.needed(model is not None)), "decide")
    rows, n = data.index, len(data)
    cols = {f: col_from_series(data[f], f) for f in src.fields}
    if model is not None:
        score, pds, reasons = model_outputs(model, data, rows, src.n_reasons)
        return Inputs(cols, score, pds, "model", reasons, n, rows)
    return _data_inputs(
        src,
        cols,
        col_from_series(data[src.score_field], src.score_field),
        col_from_series(data[src.pd_field], src.pd_field) if src.pd_field in data else None,
        [col_from_series(data[f], f) for f in src.reason_fields],
        n,
        rows,
        NUMPY,
    )


def record_inputs(src: Sources, applicant: Mapping[str, Any], model: ScoringModel | None) -> Inputs:
    """The inputs of one applicant (Python scalars; pandas only to call a model that cannot
    score a record)."""
    absent = [f for f in src.needed(model is not None) if f not in applicant]
    if absent:
        shown = [str(k) for k in list(applicant)[:20]]
        raise DataError(
            f"applicant: expected field(s) {absent} to be present, found fields {shown}"
        )
    cols = {f: col_from_value(applicant[f], f) for f in src.fields}
    if model is not None:
        if callable(getattr(model, "score_record", None)):  # a RecordScoringModel: no frame
            s, p, codes = record_outputs(model, applicant, src.n_reasons)
            return _new(Inputs, (cols, s, p, "model", codes, 1, None))
        frame = pd.DataFrame([dict(applicant)])  # a ScoringModel only: a one-row frame
        s1, p1, parts = model_outputs(model, frame, None, src.n_reasons)
        return Inputs(
            cols, float(s1[0]), float(p1[0]), "model", [str(r[0]) for r in parts], 1, None
        )
    pd_field = src.pd_field
    return _data_inputs(
        src,
        cols,
        col_from_value(applicant[src.score_field], src.score_field),
        col_from_value(applicant[pd_field], pd_field) if pd_field in applicant else None,
        [col_from_value(applicant[f], f) for f in src.reason_fields],
        1,
        None,
        SCALAR,
    )
