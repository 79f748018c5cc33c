"""The PMML export in an independent engine (pypmml: PMML4S on the installed Java): same
scores and same reason codes as Python, row for row.

Runs in its own session, ``nox -s pmml`` (which sets ``SCORECARD_PMML=1``).  Rows go to the
engine as JSON written with Python's ``repr`` of each float: pypmml's own DataFrame path
writes 10 significant digits, which moves a value just below a cut point onto it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import xml.etree.ElementTree as ET
from io import StringIO
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest

from scorecard import GradeScale, ReasonCatalog, ReasonCode
from scorecard.deploy import to_pmml
from scorecard.exceptions import SpecificationError

_spec = importlib.util.spec_from_file_location(
    "deploy_cases", Path(__file__).resolve().parent / "deploy_cases.py"
)
assert _spec is not None and _spec.loader is not None
cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cases)

engine = pytest.mark.skipif(
    not os.environ.get("SCORECARD_PMML"),
    reason="needs Java and pypmml: run `nox -s pmml` (sets SCORECARD_PMML=1)",
)
CASES = cases.cases()
NS = {"p": "http://www.dmg.org/PMML-4_4"}


def predict(doc: str, frame: pd.DataFrame) -> pd.DataFrame:
    from pypmml import Model

    model = Model.fromString(doc)
    data = frame.astype(object).where(frame.notna(), None)
    payload = {"columns": list(frame.columns), "data": data.to_numpy().tolist()}
    result = model.predict(json.dumps(payload, allow_nan=False))
    return pd.read_json(StringIO(result), orient="split", dtype=False)


@engine
@pytest.mark.parametrize("baseline", ["max", "neutral", "mean"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_scores_and_reasons_equal_python(case: str, baseline: Any) -> None:
    card, frame = CASES[case]
    out = predict(to_pmml(card, baseline=baseline, reasons=3), frame)
    score, pd_ = card.score_and_pd(frame)
    np.testing.assert_array_equal(out["score"].to_numpy(), score)
    # the engine writes its JSON answer with 15 decimals
    np.testing.assert_allclose(out["pd"].to_numpy(dtype=np.float64), pd_, rtol=1e-12, atol=1e-15)
    reasons = card.reason_codes(frame, n=3, baseline=baseline)
    for col in reasons.columns:  # the first reason, and the others where Python has them
        expected = reasons[col].to_numpy(dtype=object)
        got = out[col].to_numpy(dtype=object)
        has = pd.notna(expected)
        assert (got[has] == expected[has]).all(), col
    # no first reason where Python has none (PMML4S repeats a code in the ranks past the
    # last reason of a row, so only the first rank is compared there)
    assert pd.isna(out["reason_1"][reasons["reason_1"].isna()]).all()


@engine
def test_grade_output_equals_the_scale() -> None:
    card, frame = CASES["german"]
    grades = GradeScale.load(cases.GOLDEN / "german_grade_scale.json")
    out = predict(to_pmml(card, grades=grades, reasons=0), frame)
    assert out["grade"].tolist() == grades.assign(card.score(frame)).tolist()


@engine
def test_attribute_reason_codes_of_the_catalog() -> None:
    card, frame = CASES["german"]
    first = card.characteristics[0]
    catalog = ReasonCatalog(
        (
            ReasonCode(first.name, "R01", "checking account"),
            ReasonCode(first.name, "R02", "overdrawn", attribute=first.binning.labels[0]),
        )
    )
    card = attrs.evolve(card, reason_catalog=catalog)
    out = predict(to_pmml(card, reasons=2), frame)
    expected = card.reason_codes(frame, n=2)
    assert {"R01", "R02"} <= set(expected["reason_1"])
    assert out["reason_1"].tolist() == expected["reason_1"].tolist()


@engine
def test_refused_rows_get_no_score() -> None:
    """Unseen levels and missing values the card refuses ("error") match no attribute:
    the engine gives no score, as Python raises."""
    from pypmml import Model

    card = cases.treatment_card()
    model = Model.fromString(to_pmml(card))
    ok = model.predict({"x": 0.5, "cat": "a"})
    assert ok["score"] == card.score(pd.DataFrame({"x": [0.5], "cat": ["a"]}))[0]
    for row in ({"x": 0.0, "cat": "zz"}, {"x": 1.0, "cat": None}, {"x": float("inf"), "cat": "a"}):
        try:
            result = model.predict(row)
        except Exception:  # the engine refuses the row (PMML4S raises)
            continue
        assert result.get("score") is None, (row, result)


def test_document_structure() -> None:
    """A PMML 4.4 Scorecard: fields, one attribute per scoreable bin, reason baselines."""
    card = cases.treatment_card()
    root = ET.fromstring(
        to_pmml(card, reasons=2, grades=GradeScale.from_cutoffs([500], ["A", "B"]))
    )
    assert root.get("version") == "4.4"
    model = root.find("p:Scorecard", NS)
    assert model is not None
    assert model.get("initialScore") == str(card.base_points)
    assert model.get("reasonCodeAlgorithm") == "pointsBelow"
    fields = {f.get("name"): f.get("optype") for f in root.iter(f"{{{NS['p']}}}DataField")}
    assert fields == {"x": "continuous", "cat": "categorical"}
    chars = model.findall("p:Characteristics/p:Characteristic", NS)
    for c, char in zip(card.characteristics, chars, strict=True):
        attrs = char.findall("p:Attribute", NS)
        assert len(attrs) == sum(p is not None for p in c.points) - (c.binning.kind == "numeric")
    outputs = [o.get("name") for o in model.iter(f"{{{NS['p']}}}OutputField")]
    assert outputs == ["score", "pd", "grade", "reason_1", "reason_2"]


def test_hostile_levels_are_escaped_xml() -> None:
    card = cases.evil_card()
    root = ET.fromstring(to_pmml(card))  # parses: every level is escaped
    predicates = root.iter(f"{{{NS['p']}}}SimplePredicate")
    values = {p.get("value") for p in predicates if p.get("value") is not None}
    arrays = " ".join(a.text or "" for a in root.iter(f"{{{NS['p']}}}Array"))
    for level in cases.EVIL_LEVELS:
        assert level in values or f'"{level}"' in arrays, level


def test_bad_requests_are_refused() -> None:
    card = cases.treatment_card()
    with pytest.raises(SpecificationError, match="baseline: expected one of"):
        to_pmml(card, baseline="min")
    with pytest.raises(SpecificationError, match="reasons: expected an integer >= 0"):
        to_pmml(card, reasons=-1)
