"""Saved artifacts a system can trust: strict loading, meaning checks, signatures.

* **Strict JSON**: bare ``NaN``/``Infinity`` literals, numbers out of range, repeated keys,
  invalid UTF-8 and absurd nesting are a ``SchemaError``.
* **Meaning**: the checksum catches corruption, not editing (anyone can recompute it), so
  loading checks what the body says: every test below edits one thing, recomputes the
  checksum and expects a ``SchemaError`` that names the field and says what is
  inconsistent.
* **No leaks**: every path of a real body replaced by wrongly typed values either loads
  or raises ``SchemaError``, never ``KeyError``, ``TypeError``, ``OverflowError``...
* **Signatures**: with a key, only files signed with that key load.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import math
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from scorecard import (
    Binning,
    BinningSpec,
    CalibrationReport,
    CreditPolicy,
    FixedRange,
    Grade,
    GradeScale,
    LogitResult,
    ReasonCatalog,
    ReasonCode,
    Scorecard,
    SelectionPath,
    bin_features,
    calibrate_counts,
    fit_logit,
)
from scorecard._core import artifact as _json
from scorecard.datasets import load_german_credit
from scorecard.exceptions import SchemaError, ScorecardError, SpecificationError
from scorecard.policy import ExternalLimit, GradeCutoffs, NeedLimit, Terms

GOLDEN = Path(__file__).resolve().parent / "golden"
KEY = "test-signing-key-0123456789abcdef"


# ---------------------------------------------------------------------------------------------
# German-credit artifacts: the golden files, plus small ones whose bodies hold every kind of
# field (missing values, special codes kept apart and merged, a fixed range, base points, a
# reason catalog, a default grade, grade cut-offs...)
# ---------------------------------------------------------------------------------------------


def _golden(name: str) -> dict[str, Any]:
    return dict(json.loads((GOLDEN / name).read_text(encoding="utf-8"))["body"])


@cache
def _small() -> dict[str, Any]:
    df = load_german_credit()
    frame = df[["duration_in_month", "purpose", "bad"]].copy()
    frame["duration_in_month"] = frame["duration_in_month"].astype(float)
    frame.loc[frame.index[::40], "duration_in_month"] = np.nan
    binning = bin_features(
        frame,
        "bad",
        specs={
            "duration_in_month": BinningSpec(max_bins=4, special_codes=(6,)),
            "purpose": BinningSpec(max_bins=4, special_codes=("others",)),
        },
    )
    binning = binning.replace(binning["purpose"].move_special("others", 0))
    model = fit_logit(binning.transform(frame), frame["bad"])
    special = binning["duration_in_month"].labels[-1]
    catalog = ReasonCatalog(
        (
            ReasonCode("purpose", "R01", "Purpose of the credit"),
            ReasonCode("duration_in_month", "R02", "Special duration", attribute=special),
        )
    )
    card = Scorecard.from_model(
        binning,
        model.params.drop("const").to_dict(),
        model.intercept,
        scaling=FixedRange(250, 900),
        allocation="base",
        reason_catalog=catalog,
        data=frame,
    )
    scale = GradeScale.from_json((GOLDEN / "german_grade_scale.json").read_text(encoding="utf-8"))
    scale = GradeScale(scale.grades, default_grade=Grade("F", "Defaulted", pd=1.0))
    policy = CreditPolicy.from_json((GOLDEN / "german_policy.json").read_text(encoding="utf-8"))
    graded = CreditPolicy(
        grade_scale=policy.grade_scale,
        cutoffs=GradeCutoffs(approve=("A", "B"), refer=("C",)),
        limits=(
            NeedLimit("need", field="credit_amount", multiplier={"A": 1.5, "B": 1.0}),
            ExternalLimit("insured", field="insured_limit"),
        ),
        terms={g: Terms("net 30", payment_days=30, security=("guarantee",)) for g in "ABCDE"},
        cap=10_000,
        reason_fields=("reason_1", "reason_2"),
        lgd=0.4,
    )
    report = calibrate_counts(scale, [100, 200, 300, 200, 100], [2, 10, 40, 50, 45])
    return {
        "card": card,
        "binning": binning,
        "scale": scale,
        "graded_policy": graded,
        "report": report,
        "model": model,
    }


CLASSES: dict[str, type[Any]] = {
    "scorecard": Scorecard,
    "binning": Binning,
    "grade_scale": GradeScale,
    "credit_policy": CreditPolicy,
    "calibration_report": CalibrationReport,
    "logit_result": LogitResult,
    "selection_path": SelectionPath,
}


def _body(kind: str, which: str = "") -> dict[str, Any]:
    """A real body of an artifact kind (a deep copy, free to edit)."""
    small = _small()
    if kind == "scorecard":
        obj = small["card"] if which != "golden" else None
        return copy.deepcopy(obj.to_dict() if obj else _golden("german_card.json"))
    if kind == "binning":
        return copy.deepcopy(small["binning"].to_dict())
    if kind == "grade_scale":
        return copy.deepcopy(small["scale"].to_dict())
    if kind == "credit_policy":
        if which == "graded":
            return copy.deepcopy(small["graded_policy"].to_dict())
        return _golden("german_policy.json")
    if kind == "calibration_report":
        return copy.deepcopy(small["report"].to_dict())
    if kind == "logit_result":
        return _golden("german_model.json")
    return _golden("german_stepwise.json")


def _text(kind: str, body: Any) -> str:
    """The artifact text of ``body`` with a recomputed checksum (what an editor can do)."""
    return json.dumps(_json.wrap(kind, 1, body), ensure_ascii=False)


def _load(kind: str, body: Any) -> Any:
    return CLASSES[kind].from_json(_text(kind, body))


# ---------------------------------------------------------------------------------------------
# strict JSON
# ---------------------------------------------------------------------------------------------


def test_real_bodies_load_and_write_back() -> None:
    for kind in CLASSES:
        for which in ("", "golden", "graded"):
            body = _body(kind, which)
            obj = CLASSES[kind].from_json(_text(kind, body))
            assert json.loads(obj.to_json())["body"] == body, (kind, which)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": NaN}', "bare literal NaN"),
        ('{"a": Infinity}', "bare literal Infinity"),
        ('{"a": -Infinity}', "bare literal -Infinity"),
        ('{"a": 1e400}', "float range"),
        ('{"a": 1, "a": 2}', "'a' twice"),
        ("[" * 5000 + "]" * 5000, "nested"),
        ("[" * 70 + "]" * 70, "nested"),
        ('{"a": ' + "1" * 5000 + "}", "valid JSON"),
        ("\ufeff{}", "valid JSON"),
        ("{not json", "valid JSON"),
    ],
)
def test_strict_json(text: str, message: str) -> None:
    with pytest.raises(SchemaError, match=message):
        _json.loads(text)
    with pytest.raises(SchemaError, match=message):
        Scorecard.from_json(text)


def test_bare_nan_in_a_real_body_is_refused() -> None:
    """Python's json writes and reads NaN by default; the format writes the string "NaN"."""
    body = _body("scorecard")
    text = _text("scorecard", body).replace('"bad_rate": ', '"bad_rate": NaN, "x": ', 1)
    with pytest.raises(SchemaError, match="bare literal NaN"):
        Scorecard.from_json(text)


def test_invalid_utf8_is_a_schema_error(tmp_path: Path) -> None:
    text = _text("grade_scale", _body("grade_scale")).encode("utf-8")
    bad = text.replace(b'"Low"', b'"L\xffw"')
    with pytest.raises(SchemaError, match="UTF-8"):
        GradeScale.from_json(bad)
    path = tmp_path / "scale.json"
    path.write_bytes(bad)
    with pytest.raises(SchemaError, match="UTF-8"):
        GradeScale.load(path)
    assert GradeScale.from_json(text) == GradeScale.from_json(text.decode("utf-8"))
    with pytest.raises(SchemaError, match="str or bytes"):
        GradeScale.from_json(42)  # type: ignore[arg-type]


def test_envelope_fields_are_checked() -> None:
    payload = json.loads(_text("grade_scale", _body("grade_scale")))
    with pytest.raises(SchemaError, match="library_version"):
        GradeScale.from_json(json.dumps({**payload, "library_version": 1}))
    with pytest.raises(SchemaError, match="hmac_sha256"):
        GradeScale.from_json(json.dumps({**payload, "hmac_sha256": "xyz"}))


# ---------------------------------------------------------------------------------------------
# meaning: one test per check, an edited body with a recomputed checksum
# ---------------------------------------------------------------------------------------------


def _raise_points(b: dict[str, Any]) -> None:
    """The issue's example: every printed point raised by 100."""
    for c in b["characteristics"]:
        c["points"] = [None if p is None else p + 100 for p in c["points"]]


def _raise_all_points(b: dict[str, Any]) -> None:
    """Printed, raw and mean points all raised by 100: still not what the model gives."""
    _raise_points(b)
    for c in b["characteristics"]:
        c["raw_points"] = [None if p is None else p + 100 for p in c["raw_points"]]
        c["mean_points"] += 100


def _char(b: dict[str, Any], i: int = 0) -> dict[str, Any]:
    return dict(b["characteristics"][i])


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(b: dict[str, Any]) -> None:
        target: Any = b
        for p in path[:-1]:
            target = target[p]
        target[path[-1]] = value(target[path[-1]]) if callable(value) else value

    return edit


def _no_bads(b: dict[str, Any]) -> None:
    fine = b["features"][0]["fine"]
    fine["bads"] = [0.0] * len(fine["bads"])
    fine["missing"][1] = 0.0
    for s in fine["specials"]:
        s["bads"] = 0.0


def _nobs_999(b: dict[str, Any]) -> None:
    """nobs 999 for 1,000 unweighted rows, llnull made to agree."""
    nobs, bads = 999.0, b["n_bads"]
    b["nobs"] = nobs
    b["llnull"] = bads * math.log(bads / nobs) + (nobs - bads) * math.log1p(-bads / nobs)


C0 = ("characteristics", 0)
F0 = ("features", 0)

MEANING: list[tuple[str, str, Callable[[dict[str, Any]], None], str]] = [
    # -- the card: points follow from WOE, coefficients, intercept, scaling, allocation
    ("scorecard", "", _raise_points, r"characteristics\[0\]\.points\[0\].*printed points .* do not follow"),
    ("scorecard", "golden", _raise_points, r"characteristics\[0\]\.points\[0\].*do not follow from its raw points"),
    ("scorecard", "", _raise_all_points, r"characteristics\[0\]\.raw_points\[0\].*do not follow from its WOE"),
    ("scorecard", "", _set((*C0, "raw_points", 1), lambda v: v + 0.01), r"raw_points\[1\].*do not follow"),
    ("scorecard", "golden", _set((*C0, "coefficient"), lambda v: v * 1.01), r"raw_points\[0\].*coefficient"),
    ("scorecard", "golden", _set(("intercept",), lambda v: v + 0.1), r"raw_points\[0\].*intercept"),
    ("scorecard", "", _set(("intercept",), lambda v: v + 0.1), r"scaling\.base_score.*fixed range"),
    ("scorecard", "golden", _set(("scaling", "pdo"), 40.0), r"raw_points\[0\].*scaling"),
    ("scorecard", "golden", _set(("allocation",), "base"), r"raw_points\[0\].*allocation"),
    ("scorecard", "", _set(("fixed_range",), [300.0, 900.0]), r"field 'scaling\.base_score'.*fixed range \[300, 900\]"),
    ("scorecard", "", _set(("fixed_range",), None), r"points\[\d\].*do not follow from its raw points"),
    ("scorecard", "", _set(("base_points",), lambda v: v + 1), r"field 'base_points'.*raw base points"),
    ("scorecard", "", _set(("raw_base_points",), lambda v: v + 1), r"field 'raw_base_points'.*do not follow"),
    ("scorecard", "", _set((*C0, "mean_points"), lambda v: v + 1), r"mean_points.*counts and raw points"),
    ("scorecard", "", _set((*C0, "raw_points", 0), None), r"raw_points|points"),
    ("scorecard", "", _set((*C0, "binning", "fine", "goods", 0), lambda v: v + 1), r"bins\[0\]\.woe.*counts give"),
    ("scorecard", "", _set(("metadata", "schema_version"), 2), r"metadata\.schema_version.*schema version 1 or older"),
    ("scorecard", "", lambda b: b["reason_catalog"].append(b["reason_catalog"][0]), r"reason_catalog.*one entry per"),
    ("scorecard", "", _set(("allocation",), "everywhere"), r"allocation"),
    ("scorecard", "", _set(("fixed_range",), [300.5, 850.0]), r"fixed_range.*whole number"),
    # -- the binning: derived tables agree with the counts; counts, edges, enumerations
    ("binning", "", _set((*F0, "bins", 1, "label"), "[11, 15)"), r"bins\[1\]\.label.*give '\[11, 16\)'"),
    ("binning", "", _set((*F0, "bins", 0, "woe"), 0.9), r"bins\[0\]\.woe.*counts give"),
    ("binning", "", _set((*F0, "fine", "bads", 2), lambda v: v + 5), r"bins\[0\]\.woe.*counts give"),
    ("binning", "", _set((*F0, "fine", "edges", 1), 9.0), r"edges.*strictly increasing"),
    ("binning", "", _set((*F0, "fine", "edges", 1), "Infinity"), r"fine\.edges\[1\].*expected a number"),
    ("binning", "", _set((*F0, "fine", "goods", 0), -1.0), r"goods.*counts >= 0"),
    ("binning", "", _set((*F0, "fine", "missing"), [1.0]), r"fine\.missing.*\[goods, bads\]"),
    ("binning", "", _set((*F0, "kind"), "categorical"), r"features\[0\]\.kind.*fine classes, 'numeric'"),
    ("binning", "", _set((*F0, "empty"), "sometimes"), r"empty.*'neutral', 'worst', 'error'"),
    ("binning", "", _set((*F0, "trend"), "up"), r"trend"),
    ("binning", "", _set((*F0, "fine", "kind"), "ordinal"), r"fine\.kind.*'numeric' or 'categorical'"),
    ("binning", "", _set((*F0, "groups", 0), 1), r"groups.*contiguous|groups numbered"),
    ("binning", "", _set((*F0, "missing_bin"), 7), r"missing_bin.*regular bin"),
    ("binning", "", _set(("features", 1, "fine", "levels", 1, 0), "education"), r"levels\[1\]\[0\].*one class only"),
    ("binning", "", _set(("features", 1, "fine", "specials", 0, "value"), 3.0), r"specials\[0\]\.value.*string"),
    ("binning", "", _set(("features", 1, "name"), "duration_in_month"), r"distinct feature names"),
    ("binning", "", _no_bads, r"features\[0\]\.fine.*invalid counts.*one bad"),
    # -- the grade scale
    ("grade_scale", "", _set(("grades", 1, "min_score"), 700.0), r"strictly decreasing"),
    ("grade_scale", "", _set(("grades", 4, "min_score"), 100.0), r"expected -inf"),
    ("grade_scale", "", _set(("grades", 2, "pd"), 0.001), r"PDs monotone"),
    ("grade_scale", "", _set(("grades", 2, "pd"), None), r"a pd for every grade or for none"),
    ("grade_scale", "", _set(("default_grade", "name"), "A"), r"default_grade.*distinct"),
    ("grade_scale", "", _set(("default_grade", "pd"), 0.01), r"default_grade\.pd.*>="),
    ("grade_scale", "", _set(("pd_floor",), 1.0), r"pd_floor.*\[0, 1\)"),
    ("grade_scale", "", _set(("grades", 1, "name"), "A"), r"unique grade names"),
    # -- the credit policy: references between its parts
    ("credit_policy", "", _set(("terms",), lambda t: {**t, "Z": t["A"]}), r"terms: grade 'Z' is not in the grade scale"),
    ("credit_policy", "", _set(("terms",), lambda t: {k: v for k, v in t.items() if k != "E"}), r"terms for every grade"),
    ("credit_policy", "", _set(("limits", 1, "share"), {"A": 2.0, "Z": 0.5}), r"limits\[1\].*'Z'.*not in the grade scale"),
    ("credit_policy", "", _set(("limits", 1, "name"), "requested"), r"unique component names"),
    ("credit_policy", "", _set(("rules", 1, "code"), "KO01"), r"unique codes"),
    ("credit_policy", "", _set(("floor",), 50_000.0), r"floor.*<= cap"),
    ("credit_policy", "", _set(("floor_code",), "KO02"), r"floor_code.*distinct from the rules"),
    ("credit_policy", "", _set(("lgd",), {"A": 0.4, "Z": 0.5}), r"lgd.*one LGD per grade"),
    ("credit_policy", "", _set(("pd_field",), "score"), r"pd_field.*distinct from score_field"),
    ("credit_policy", "", _set(("rules", 0, "op"), "=>"), r"rules\[0\].*unknown op"),
    ("credit_policy", "", _set(("rules", 0, "value"), "eighteen"), r"rules\[0\].*finite number"),
    ("credit_policy", "", _set(("limits", 0, "type"), "wish"), r"limits\[0\]\.type.*'need'"),
    ("credit_policy", "", _set(("cutoffs", "refer"), 900.0), r"refer.*<= approve"),
    ("credit_policy", "", _set(("below_floor",), "approve"), r"below_floor"),
    ("credit_policy", "", _set(("terms", "A", "review_months"), 0), r"terms\.A.*review_months"),
    ("credit_policy", "graded", _set(("cutoffs", "approve"), ["A", "Z"]), r"GradeCutoffs\.approve.*'Z'"),
    ("credit_policy", "graded", _set(("cutoffs", "approve"), ["A"]), r"ordered like the grades"),
    ("credit_policy", "graded", _set(("limits", 0, "multiplier"), {"A": 1.0, "Q": 2.0}), r"'Q'.*not in the grade scale"),
    ("credit_policy", "graded", _set(("cutoffs", "type"), "by_mood"), r"cutoffs\.type"),
    # -- the calibration report: results follow from counts and PDs
    ("calibration_report", "", _set(("results", "per_grade", 4, "status"), "n/a"), r"results\.per_grade\[4\]\.status.*counts and PDs give"),
    ("calibration_report", "", _set(("results", "per_grade", 0, "jeffreys_p"), 0.5), r"jeffreys_p.*counts and PDs give"),
    ("calibration_report", "", _set(("results", "summary", "hl_statistic"), 1.0), r"hl_statistic"),
    ("calibration_report", "", _set(("defaults", 0), 101), r"defaults <= count"),
    ("calibration_report", "", _set(("grades", 1), "A"), r"unique grade names"),
    ("calibration_report", "", _set(("pd", 0), 1.5), r"PDs in \(0, 1\)"),
    ("calibration_report", "", _set(("red",), 0.2), r"red.*<= amber"),
    ("calibration_report", "", _set(("n",), [100, 200]), r"one per grade"),
    # -- the logistic result: figures agree
    ("logit_result", "", _set(("llnull",), lambda v: v + 1.0), r"llnull.*intercept-only log-likelihood"),
    ("logit_result", "", _set(("llf",), 1.0), r"llf.*<= 0"),
    ("logit_result", "", _set(("cov", 0, 1), lambda v: v * 2 + 1e-3), r"cov\[1\]\[0\].*symmetric"),
    ("logit_result", "", _set(("cov", 1, 1), -0.1), r"cov\[1\]\[1\].*positive variance"),
    ("logit_result", "", _set(("vif", 0), 0.5), r"vif\[0\].*>= 1"),
    ("logit_result", "", _nobs_999, r"nobs = n_rows"),
    ("logit_result", "", _set(("n_bads",), 300.5), r"llnull|whole number"),
    ("logit_result", "", _set(("n_bads",), 2000.0), r"n_bads.*fewer than nobs"),
    ("logit_result", "", _set(("n_bads",), 5e-324), r"llnull.*intercept-only"),
    ("logit_result", "", _set(("coef",), lambda v: v[:-1]), r"coef"),
    ("logit_result", "", _set(("engine",), "excel"), r"engine"),
    # -- the selection path: the record hangs together
    ("selection_path", "", _set(("outcomes", 0, "status"), "forced"), r"outcomes\[0\]\.status.*not forced"),
    ("selection_path", "", _set(("features",), lambda v: v[::-1]), r"field 'features'.*order|result"),
    ("selection_path", "", _set(("steps", 1, "step"), 0), r"steps\[1\]\.step.*never decrease"),
    ("selection_path", "", _set(("steps", -1, "feature"), "age_in_years"), r"steps\[\d+\]\.feature.*'stop'"),
    ("selection_path", "", _set(("outcomes", 0, "step"), 999), r"outcomes\[0\]\.step.*last is"),
    ("selection_path", "", _set(("max_features",), 1), r"max_features"),
    ("selection_path", "", _set(("candidates", 1), "status_of_existing_checking_account"), r"candidates"),
    ("selection_path", "", _set(("method",), "sideways"), r"method"),
    # -- any kind: a field this version does not read, a field missing
    ("grade_scale", "", _set(("grades", 0, "colour"), "green"), r"grades\[0\]\.colour.*unexpected field"),
    ("scorecard", "", _set(("notes",), "raised by hand"), r"field 'notes'.*unexpected field"),
    ("credit_policy", "", lambda b: b.pop("cap"), r"field 'cap': required field is missing"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "which", "edit", "message"), MEANING)
def test_meaning_check_refuses_an_edited_body_with_a_recomputed_checksum(
    kind: str, which: str, edit: Callable[[dict[str, Any]], None], message: str
) -> None:
    body = _body(kind, which)
    _load(kind, body)  # the unedited body loads
    edit(body)
    with pytest.raises(SchemaError, match=message) as info:
        _load(kind, body)
    assert str(info.value).startswith(f"{kind}: "), str(info.value)


def test_fixed_range_nudges_are_recomputed() -> None:
    """The printed points of a fixed-range card are its raw points rounded, then nudged."""
    card = _small()["card"]
    assert (card.min_score, card.max_score) == (250, 900)
    body = _body("scorecard")
    rounded = [
        [None if r is None else math.floor(r + 0.5) for r in c["raw_points"]]
        for c in body["characteristics"]
    ]
    nudged = [
        (i, j)
        for i, c in enumerate(body["characteristics"])
        for j, p in enumerate(c["points"])
        if p != rounded[i][j]
    ]
    assert nudged, "the small card has nudged attributes"
    i, j = nudged[0]
    body["characteristics"][i]["points"][j] = rounded[i][j]  # plain rounding: not the card
    with pytest.raises(SchemaError, match=rf"points\[{j}\].*nudged to the fixed range"):
        _load("scorecard", body)


def test_error_treatment_bins_must_refuse() -> None:
    """A bin that refuses scoring (WOE NaN under "error") is null in the points, and only it."""
    df = load_german_credit()
    binning = bin_features(df, "bad", features=["housing"], spec=BinningSpec(empty="error"))
    card = Scorecard.from_model(binning, {"housing": -1.0}, -0.8)
    body = card.to_dict()
    c = body["characteristics"][0]
    assert c["points"][-1] is None and c["raw_points"][-1] is None  # unseen refuses
    assert Scorecard.from_json(_text("scorecard", body)) == card
    c["points"][-1], c["raw_points"][-1] = 0, 0.0
    with pytest.raises(SchemaError, match=r"raw_points\[4\].*expected null"):
        _load("scorecard", body)


# ---------------------------------------------------------------------------------------------
# no leaks: every path of a real body, each replaced by wrongly typed values
# ---------------------------------------------------------------------------------------------

ABSENT = object()
WRONG: list[Any] = [
    ABSENT,
    None,
    "x",
    True,
    -1,
    1.5,
    10**400,
    [],
    {},
    [[]],
    [[[{"x": ["NaN", 10**30, None]}]]],
    "-Infinity",
]
EXTRA = "zz_not_a_field"


#: parts of a body read by the reader of another kind, which its own fuzz walks: here
#: only the part as a whole is replaced
SHARED = {"binning", "grade_scale", "result"}


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path of a body; of a list, the first and the last item (of a list of plain
    values, the last: the items differ only in their values)."""
    if path:
        yield path
        if path[-1] in SHARED:
            return
    if isinstance(value, dict):
        for k in value:
            yield from _paths(value[k], (*path, k))
    elif isinstance(value, list) and value:
        plain = not any(isinstance(v, dict | list) for v in value)
        for i in [len(value) - 1] if plain else sorted({0, len(value) - 1}):
            yield from _paths(value[i], (*path, i))


def _replaced(body: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    out = json.loads(json.dumps(body))
    target = out
    for p in path[:-1]:
        target = target[p]
    if value is ABSENT:
        del target[path[-1]]
    elif isinstance(value, str) and value == EXTRA:
        target[path[-1]] = {**target[path[-1]], EXTRA: 1}
    else:
        target[path[-1]] = value
    return out


FUZZ = [
    ("scorecard", ""),
    ("binning", ""),
    ("grade_scale", ""),
    ("credit_policy", ""),
    ("credit_policy", "graded"),
    ("calibration_report", ""),
    ("logit_result", ""),
    ("selection_path", ""),
]


@pytest.mark.parametrize(("kind", "which"), FUZZ)
def test_wrongly_typed_values_load_or_raise_schema_error(kind: str, which: str) -> None:
    """A malformed body is a SchemaError, never a leaked KeyError, TypeError, OverflowError..."""
    cls = CLASSES[kind]
    body = _body(kind, which)
    tried = refused = 0
    leaks: list[str] = []
    for path in _paths(body):
        current: Any = body
        for p in path:
            current = current[p]
        values = [*WRONG, EXTRA] if isinstance(current, dict) else WRONG
        for value in values:
            tried += 1
            text = _text(kind, _replaced(body, path, value))
            try:
                obj = cls.from_json(text)
            except SchemaError:
                refused += 1
                continue
            except Exception as exc:  # the failure report
                leaks.append(f"{path} = {value!r:.40}: {type(exc).__name__}: {exc}")
                continue
            # what loads is usable: it writes and loads again, to the same text
            again = obj.to_json()
            assert cls.from_json(again).to_json() == again
    assert not leaks, f"{len(leaks)} leaks in {tried} bodies:\n" + "\n".join(leaks[:20])
    assert refused > 0.8 * tried, (refused, tried)


def test_no_leaks_for_a_body_that_is_not_an_object() -> None:
    for kind, cls in CLASSES.items():
        for value in (None, [], "x", 1, [{}]):
            payload = {**json.loads(_text(kind, _body(kind))), "body": value}
            payload["sha256"] = hashlib.sha256(_json.dumps(value).encode()).hexdigest()
            with pytest.raises(SchemaError, match="body"):
                cls.from_json(json.dumps(payload))


def test_from_dict_alone_raises_schema_error() -> None:
    """from_dict (without the envelope) refuses with SchemaError too, naming the field."""
    body = _body("binning")
    body["features"][0]["groups"] = "0,1"
    with pytest.raises(SchemaError, match=r"features\[0\]\.groups.*expected an array"):
        Binning.from_dict(body)
    scale = _body("grade_scale")
    scale["grades"][1]["min_score"] = 1e6
    with pytest.raises(SchemaError, match="strictly decreasing"):
        GradeScale.from_dict(scale)


# ---------------------------------------------------------------------------------------------
# signatures
# ---------------------------------------------------------------------------------------------


def _objects() -> Iterator[Any]:
    small = _small()
    yield from (small[k] for k in ("card", "binning", "scale", "graded_policy", "report"))
    yield LogitResult.from_json((GOLDEN / "german_model.json").read_text(encoding="utf-8"))
    yield SelectionPath.from_json((GOLDEN / "german_stepwise.json").read_text(encoding="utf-8"))


def test_signed_artifacts_round_trip_with_the_key(tmp_path: Path) -> None:
    for obj in _objects():
        cls = type(obj)
        signed = obj.to_json(key=KEY)
        payload = json.loads(signed)
        assert set(payload) - set(json.loads(obj.to_json())) == {"hmac_sha256"}
        assert cls.from_json(signed, key=KEY).to_json(key=KEY) == signed
        assert cls.from_json(signed).to_json() == obj.to_json()  # no key: not checked
        path = obj.save(tmp_path / f"{cls.__name__}.json", key=KEY.encode())
        assert cls.load(path, key=KEY).to_json() == obj.to_json()
        assert cls.load(path).to_json() == obj.to_json()


def test_the_signature_is_an_hmac_of_the_canonical_envelope() -> None:
    """Known answer: HMAC-SHA256 of the canonical envelope text without the signature."""
    obj = _small()["scale"]
    payload = json.loads(obj.to_json(key=KEY))
    sig = payload.pop("hmac_sha256")
    expected = hmac.new(KEY.encode(), _json.dumps(payload).encode(), hashlib.sha256).hexdigest()
    assert sig == expected
    assert obj.to_json(key=KEY) == obj.to_json(key=KEY.encode("utf-8"))  # str = its UTF-8


def test_with_a_key_unsigned_and_wrongly_signed_files_are_refused() -> None:
    for obj in _objects():
        cls, kind = type(obj), obj._KIND
        with pytest.raises(SchemaError, match=rf"this '{kind}' artifact is not signed"):
            cls.from_json(obj.to_json(), key=KEY)
        with pytest.raises(SchemaError, match="signature .* does not match"):
            cls.from_json(obj.to_json(key="another key"), key=KEY)


def test_with_a_key_an_edit_that_keeps_the_meaning_is_refused() -> None:
    """A consistent edit passes the meaning checks; only the signature catches it."""
    card = _small()["card"]
    payload = json.loads(card.to_json(key=KEY))
    payload["body"]["metadata"]["description"] = "approved by the board"
    payload["body"]["reason_catalog"][0]["text"] = "Something else"
    payload["sha256"] = hashlib.sha256(_json.dumps(payload["body"]).encode()).hexdigest()
    edited = _json.dumps(payload)
    assert Scorecard.from_json(edited).metadata.description == "approved by the board"
    with pytest.raises(SchemaError, match="edited after it was signed"):
        Scorecard.from_json(edited, key=KEY)


@pytest.mark.parametrize(
    ("field", "value"),
    [("kind", "binning"), ("schema_version", 0), ("library_version", "9.9.9"), ("format", "x")],
)
def test_the_signature_covers_the_envelope(field: str, value: Any) -> None:
    payload = json.loads(_small()["scale"].to_json(key=KEY))
    payload[field] = value
    with pytest.raises(SchemaError, match="signature .* does not match"):
        GradeScale.from_json(_json.dumps(payload), key=KEY)


def test_signature_comparison_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []
    compare = hmac.compare_digest

    def spy(a: str, b: str) -> bool:
        calls.append((a, b))
        return compare(a, b)

    monkeypatch.setattr(_json.hmac, "compare_digest", spy)
    text = _small()["scale"].to_json(key=KEY)
    GradeScale.from_json(text, key=KEY)
    assert len(calls) == 1 and calls[0][0] == json.loads(text)["hmac_sha256"]


@pytest.mark.parametrize("key", ["", b"", 42, ["secret"]])
def test_bad_keys_are_refused(key: Any) -> None:
    scale = _small()["scale"]
    with pytest.raises(SpecificationError, match="key: expected"):
        scale.to_json(key=key)
    with pytest.raises(SpecificationError, match="key: expected"):
        GradeScale.from_json(scale.to_json(key=KEY), key=key)


def test_unsigned_output_is_unchanged_by_the_signing_feature() -> None:
    """Without a key the bytes are exactly the golden bytes (no signature field)."""
    for name, cls in [
        ("german_grade_scale.json", GradeScale),
        ("german_policy.json", CreditPolicy),
    ]:
        text = (GOLDEN / name).read_text(encoding="utf-8")
        assert cls.from_json(text).to_json() == text
        assert "hmac_sha256" not in text


def test_errors_are_schema_errors_and_scorecard_errors() -> None:
    assert issubclass(SchemaError, ScorecardError) and issubclass(SchemaError, ValueError)
    assert issubclass(_json.FieldError, SchemaError)
