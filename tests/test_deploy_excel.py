"""The Excel workbook, read back with openpyxl; the calculator's formulas evaluated by an
independent formula engine (``formulas``, from PyPI) give Python's score for sample rows."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scorecard import CreditPolicy, GradeScale, Scorecard
from scorecard.deploy import to_excel
from scorecard.exceptions import SpecificationError

openpyxl = pytest.importorskip("openpyxl")

_spec = importlib.util.spec_from_file_location(
    "deploy_cases", Path(__file__).resolve().parent / "deploy_cases.py"
)
assert _spec is not None and _spec.loader is not None
cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cases)

GRADES = GradeScale.load(cases.GOLDEN / "german_grade_scale.json")
POLICY = CreditPolicy.load(cases.GOLDEN / "german_policy.json")


@pytest.fixture(scope="module")
def german_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    card = cases.german_card()
    path = tmp_path_factory.mktemp("xlsx") / "german.xlsx"
    return to_excel(card, path, policy=POLICY)


def test_sheets_tables_and_formatting(german_book: Path) -> None:
    card = cases.german_card()
    wb = openpyxl.load_workbook(german_book)
    assert wb.sheetnames == [
        "Summary",
        "Points",
        "Binning",
        "Grades",
        "Policy",
        "Calculator",
        "Levels",
    ]
    points = pd.read_excel(german_book, sheet_name="Points")
    expected = card.points_table()
    assert list(points.columns) == list(expected.columns)
    assert points["points"].tolist() == expected["points"].astype(int).tolist()
    np.testing.assert_allclose(points["woe"], expected["woe"])
    ws = wb["Points"]
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.bold and ws["A1"].fill.fgColor.rgb.endswith("1F4E78")
    woe_col = list(expected.columns).index("woe") + 1
    assert ws.cell(row=2, column=woe_col).number_format == "0.0000"
    assert ws.column_dimensions["A"].width > 10
    binning = pd.read_excel(german_book, sheet_name="Binning")
    tables = pd.concat([c.binning.table() for c in card.characteristics], ignore_index=True)
    assert len(binning) == len(tables)
    np.testing.assert_allclose(binning["iv"], tables["iv"])
    totals = binning[binning["label"] == "Totals"]
    assert totals["feature"].tolist() == list(card.names)
    grades = pd.read_excel(german_book, sheet_name="Grades")
    assert grades["grade"].tolist() == list(GRADES.names)
    np.testing.assert_allclose(grades["pd"], [g.pd for g in GRADES.grades])
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(min_row=3, max_col=2, values_only=True)}
    assert summary["Lowest score"] == card.min_score
    assert summary["Highest score"] == card.max_score
    assert summary["Factor"] == pytest.approx(card.scaling.factor)
    policy = [c for row in wb["Policy"].iter_rows(values_only=True) for c in row if c is not None]
    assert {"KO01", "KO02", "requested", "capacity", "el_budget", "cash in advance"} <= set(policy)


def _evaluate(path: Path, card: Scorecard, frame: pd.DataFrame) -> list[tuple[object, ...]]:
    """Score each row of ``frame`` with the calculator's formulas (the formulas engine)."""
    formulas = pytest.importorskip("formulas")
    wb = openpyxl.load_workbook(path)  # the engine needs only the calculator and its levels
    for name in wb.sheetnames:
        if name not in ("Calculator", "Levels"):
            del wb[name]
    path = path.with_name("calc-" + path.name)
    wb.save(path)
    model = formulas.ExcelModel().loads(str(path)).finish()
    sheet = f"'[{path.name}]CALCULATOR'"
    end = 3 + len(card.names)
    out = []
    for _, row in frame.iterrows():
        inputs = {  # a missing value is an empty cell
            f"{sheet}!B{4 + k}": row[name]
            for k, name in enumerate(card.names)
            if not pd.isna(row[name])
        }
        sol = model.calculate(inputs=inputs)
        cells = [f"{sheet}!C{end + r}" for r in (3, 6, 7)]
        got = [sol[c].value[0, 0] if c in sol else None for c in cells]
        out.append(tuple(got))
    return out


@pytest.mark.parametrize("case", ["german", "synthetic", "treatments", "evil"])
def test_calculator_formulas_score_as_python(tmp_path: Path, case: str) -> None:
    card, frame = cases.cases()[case]
    if len(frame) > 12:  # sample rows: the first ones, then missing, unseen and edge rows
        # (the engine takes about a second per row over the 1,300 postcode levels)
        frame = pd.concat([frame.head(4), frame.tail(4 if case == "synthetic" else 8)])
    scale = GradeScale.from_cutoffs([560, 500], ["A", "B", "C"])
    path = to_excel(card, tmp_path / f"{case}.xlsx", grades=scale)
    got = _evaluate(path, card, frame)
    score, pd_ = card.score_and_pd(frame)
    assert [int(g[0]) for g in got] == score.tolist()
    np.testing.assert_allclose([float(g[1]) for g in got], pd_, rtol=1e-12)
    assert [g[2] for g in got] == scale.assign(score).tolist()


def test_calculator_refuses_what_python_refuses(tmp_path: Path) -> None:
    card = cases.treatment_card()
    path = to_excel(card, tmp_path / "t.xlsx")
    frame = pd.DataFrame({"x": [0.5, 0.5, "abc"], "cat": ["zz", None, "a"]})
    got = _evaluate(path, card, frame)
    assert all(str(g[0]) == "#N/A" for g in got), got


def test_applicant_prefills_the_calculator(tmp_path: Path) -> None:
    card = cases.treatment_card()
    path = to_excel(card, tmp_path / "t.xlsx", applicant={"x": 0.25, "cat": "b"})
    ws = openpyxl.load_workbook(path)["Calculator"]
    assert (ws["B4"].value, ws["B5"].value) == (0.25, "b")
    with pytest.raises(SpecificationError, match="applicant: expected characteristics"):
        to_excel(card, tmp_path / "u.xlsx", applicant={"y": 1})
    assert not (tmp_path / "u.xlsx").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]  # no temporary file left


def test_without_calculator(tmp_path: Path) -> None:
    path = to_excel(cases.treatment_card(), tmp_path / "t.xlsx", calculator=False)
    assert openpyxl.load_workbook(path).sheetnames == ["Summary", "Points", "Binning"]
