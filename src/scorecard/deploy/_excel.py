"""A card as an Excel workbook for credit analysts and committees (needs ``openpyxl``).

Sheets: **Summary** (scaling, score range, training data, one row per characteristic with
its coefficient and IV), **Points** (the printable card), **Binning** (every
characteristic's bins with counts, bad rate, WOE and IV), **Grades** and **Policy** (when
given), and **Calculator**: one applicant scored with Excel formulas, its points, score, PD
and grade, beside **Levels**, the level -> points table of the categorical characteristics
the calculator looks up.  Headers are formatted, numbers have formats, columns fitted
widths, and the header rows are frozen.

The calculator follows Python's value rule (:mod:`scorecard.deploy._rules`): an empty
cell is missing; a numeric cell compares special codes first, then the cut points
(``x < cut``); text in a numeric cell gives ``#N/A`` (Python refuses it), as does a bin the
card refuses; a categorical cell matches a level exactly (``EXACT``: case and spaces
count, as in Python), and any other text is unseen.  The score is the sum of the points
(``#N/A`` if one is), the PD ``1 / (1 + EXP((score - offset) / factor))``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from scorecard._model.scorecard import Scorecard
from scorecard.deploy._files import atomic_path
from scorecard.deploy._rules import Branches, branches
from scorecard.exceptions import SpecificationError
from scorecard.policy._grades import GradeScale
from scorecard.policy._policy import CreditPolicy

__all__ = ["to_excel"]

#: Excel nests at most 64 functions; one IF per bin
_MAX_BRANCHES = 60
_FORMATS = {
    "woe": "0.0000",
    "iv": "0.0000",
    "coefficient": "0.0000",
    "raw_points": "0.00",
    "neutral_points": "0.00",
    "share": "0.00%",
    "bad_rate": "0.00%",
    "pd": "0.000%",
    "pd_floored": "0.000%",
    "count": "#,##0",
    "goods": "#,##0",
    "bads": "#,##0",
    "min_score": "0.00",
    "max_score": "0.00",
}


def _number(v: float) -> str:
    """A float as an Excel formula constant (``1E+20`` style, exact repr digits)."""
    text = repr(float(v))
    return text.replace("e+", "E+").replace("e-", "E-")


def _points(p: int | None) -> str:
    return "NA()" if p is None else str(int(p))


def _text(v: str) -> str:
    return '"' + v.replace('"', '""') + '"'


class _Book:
    """The workbook being written, with the house style."""

    def __init__(self) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font, PatternFill

        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        self.header_font = Font(bold=True, color="FFFFFF")
        self.header_fill = PatternFill("solid", fgColor="1F4E78")
        self.title_font = Font(bold=True, size=14)
        self.bold = Font(bold=True)
        self.input_fill = PatternFill("solid", fgColor="FFF2CC")
        self.wrap = Alignment(vertical="top")

    def sheet(self, title: str) -> Any:
        return self.wb.create_sheet(title)

    def header(self, ws: Any, row: int, names: Sequence[str]) -> None:
        for j, name in enumerate(names, start=1):
            cell = ws.cell(row=row, column=j, value=name)
            cell.font = self.header_font
            cell.fill = self.header_fill

    def table(self, ws: Any, frame: pd.DataFrame, row: int = 1, freeze: bool = True) -> int:
        """Write a frame with a header at ``row``; returns the row after it."""
        self.header(ws, row, [str(c) for c in frame.columns])
        for i, record in enumerate(frame.itertuples(index=False, name=None), start=row + 1):
            for j, (col, v) in enumerate(zip(frame.columns, record, strict=True), start=1):
                cell = ws.cell(row=i, column=j, value=_cell(v))
                fmt = _FORMATS.get(str(col))
                if fmt:
                    cell.number_format = fmt
        if freeze and row == 1:
            ws.freeze_panes = ws.cell(row=2, column=1)
        return row + len(frame) + 1

    def fit(self, ws: Any, widest: int = 60) -> None:
        from openpyxl.utils import get_column_letter

        widths: dict[int, int] = {}
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                text = str(cell.value)
                if text.startswith("="):
                    text = "0000000000"
                widths[cell.column] = max(widths.get(cell.column, 0), len(text))
        for col, w in widths.items():
            ws.column_dimensions[get_column_letter(col)].width = min(max(w + 2, 8), widest)


def _cell(v: Any) -> Any:
    if v is None or v is pd.NA:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, float) and math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if hasattr(v, "item"):
        return v.item()
    return v


def _summary(book: _Book, card: Scorecard) -> None:
    ws = book.sheet("Summary")
    ws["A1"] = "Scorecard"
    ws["A1"].font = book.title_font
    s, m = card.scaling, card.metadata
    facts: list[tuple[str, Any]] = [
        ("Description", m.description or card.summary()),
        ("Characteristics", len(card.characteristics)),
        ("Base score", s.base_score),
        ("Base odds (good:bad)", s.base_odds),
        ("Points to double the odds", s.pdo),
        ("Factor", s.factor),
        ("Offset", s.offset),
        ("Intercept", card.intercept),
        ("Intercept allocation", card.allocation),
        ("Base points", card.base_points),
        ("Lowest score", card.min_score),
        ("Highest score", card.max_score),
        ("Rounding bound (points)", card.rounding_bound),
        ("Target", m.target),
        ("Training rows", m.n_train),
        ("Training bad rate", m.bad_rate),
        ("Built with scorecard", m.library_version),
        ("Training data fingerprint", m.fingerprint),
    ]
    for i, (label, value) in enumerate(facts, start=3):
        ws.cell(row=i, column=1, value=label).font = book.bold
        cell = ws.cell(row=i, column=2, value=_cell(value))
        if label == "Training bad rate":
            cell.number_format = "0.00%"
        elif isinstance(value, float):
            cell.number_format = "0.0000"
    start = len(facts) + 5
    rows = [
        {
            "characteristic": c.name,
            "kind": c.binning.kind,
            "coefficient": c.coefficient,
            "iv": c.binning.iv,
            "bins": len(c.binning.labels),
            "min_points": c.min_points,
            "max_points": c.max_points,
            "unseen_or_empty": c.binning.empty,
        }
        for c in card.characteristics
    ]
    book.table(ws, pd.DataFrame(rows), row=start, freeze=False)
    ws.freeze_panes = ws.cell(row=start + 1, column=1)
    book.fit(ws)


def _binning(book: _Book, card: Scorecard) -> None:
    ws = book.sheet("Binning")
    frames = [c.binning.table() for c in card.characteristics]
    table = pd.concat(frames, ignore_index=True)
    book.table(ws, table)
    for i, label in enumerate(table["label"], start=2):
        if label == "Totals":
            for cell in ws[i]:
                cell.font = book.bold
    book.fit(ws)


def _grades(book: _Book, scale: GradeScale) -> None:
    ws = book.sheet("Grades")
    book.table(ws, scale.to_frame().reset_index())
    book.fit(ws)


def _flat(v: Any) -> Any:
    if isinstance(v, list | tuple):
        return ", ".join(str(x) for x in v)
    if isinstance(v, Mapping):
        return "; ".join(f"{k}: {x}" for k, x in v.items())
    return v


def _policy(book: _Book, policy: CreditPolicy) -> None:
    ws = book.sheet("Policy")
    d = policy.to_dict()
    ws["A1"] = f"Credit policy: {d['name']} (version {d['version']})"
    ws["A1"].font = book.title_font
    cut = d["cutoffs"]
    settings = [
        ("Cut-offs", cut.get("type", "")),
        *((k, _flat(v)) for k, v in cut.items() if k != "type"),
        *((k, _flat(d[k])) for k in ("cap", "floor", "unit", "below_floor", "floor_code", "ccf")),
        ("n_reasons", d["n_reasons"]),
    ]
    row = 3
    for label, value in settings:
        ws.cell(row=row, column=1, value=label).font = book.bold
        ws.cell(row=row, column=2, value=_cell(value))
        row += 1
    row += 1
    ws.cell(row=row, column=1, value="Knock-out rules").font = book.bold
    rules = pd.DataFrame([{k: _flat(v) for k, v in r.items()} for r in d["rules"]])
    row = book.table(ws, rules, row=row + 1, freeze=False) + 1 if len(rules) else row + 2
    ws.cell(row=row, column=1, value="Limit components").font = book.bold
    limits = pd.DataFrame([{k: _flat(v) for k, v in lim.items()} for lim in d["limits"]])
    row = book.table(ws, limits, row=row + 1, freeze=False) + 1 if len(limits) else row + 2
    ws.cell(row=row, column=1, value="By grade").font = book.bold
    lgd = d["lgd"]
    grades = []
    for g in policy.grade_scale.names:
        terms = d["terms"][g]
        grades.append(
            {
                "grade": g,
                "lgd": lgd[g] if isinstance(lgd, Mapping) else lgd,
                **{k: _flat(v) for k, v in terms.items()},
            }
        )
    book.table(ws, pd.DataFrame(grades), row=row + 1, freeze=False)
    book.fit(ws)


def _numeric_formula(b: Branches, x: str) -> str:
    tests = [(f"{x}={_number(code)}", b.points[j]) for code, j in b.specials]
    tests += [
        (f"{x}<{_number(cut)}", b.points[j]) for j, cut in zip(b.regular, b.cuts, strict=False)
    ]
    if len(tests) > _MAX_BRANCHES:
        raise SpecificationError(
            f"calculator: characteristic {b.name!r} has {len(tests)} bins and special codes; "
            f"an Excel formula nests at most {_MAX_BRANCHES} (use calculator=False)"
        )
    formula = _points(b.points[b.regular[-1]])
    for test, p in reversed(tests):
        formula = f"IF({test},{_points(p)},{formula})"
    return f"=IF(ISBLANK({x}),{_points(b.points[b.missing])},IF(NOT(ISNUMBER({x})),NA(),{formula}))"


def _categorical_formula(b: Branches, x: str, first: int, last: int) -> str:
    levels = f"Levels!$B${first}:$B${last}"
    points = f"Levels!$C${first}:$C${last}"
    refused = f"Levels!$D${first}:$D${last}"
    hit = f'1*EXACT({levels},""&{x})'  # 1 for the matching level: case and spaces count
    return (
        f"=IF(ISBLANK({x}),{_points(b.points[b.missing])},"
        f"IF(SUMPRODUCT({hit})=0,{_points(b.unseen)},"
        f"IF(SUMPRODUCT({hit},{refused})>0,NA(),"
        f"SUMPRODUCT({hit},{points}))))"
    )


def _calculator(
    book: _Book,
    card: Scorecard,
    grades: GradeScale | None,
    applicant: Mapping[str, Any] | None,
) -> None:
    ws = book.sheet("Calculator")
    levels_ws = book.sheet("Levels")
    book.header(levels_ws, 1, ["characteristic", "level", "points", "refused"])
    levels_ws.freeze_panes = "A2"
    ws["A1"] = "Score one applicant: type the values in column B (an empty cell is missing)"
    ws["A1"].font = book.bold
    book.header(ws, 3, ["characteristic", "value", "points", "max_points", "kind"])
    ws.freeze_panes = "A4"
    applicant = dict(applicant or {})
    unknown = sorted(set(applicant) - set(card.names))
    if unknown:
        raise SpecificationError(
            f"applicant: expected characteristics of the card {list(card.names)}, found {unknown}"
        )
    level_row = 2
    rules = branches(card)
    for i, (b, c) in enumerate(zip(rules, card.characteristics, strict=True), start=4):
        x = f"B{i}"
        ws.cell(row=i, column=1, value=b.name)
        value = ws.cell(row=i, column=2, value=_cell(applicant.get(b.name)))
        value.fill = book.input_fill
        if b.kind == "numeric":
            formula = _numeric_formula(b, x)
        else:
            first = level_row
            for j, names in b.levels:
                for level in names:
                    levels_ws.cell(row=level_row, column=1, value=b.name)
                    levels_ws.cell(row=level_row, column=2, value=level).number_format = "@"
                    levels_ws.cell(row=level_row, column=3, value=b.points[j] or 0)
                    levels_ws.cell(row=level_row, column=4, value=int(b.points[j] is None))
                    level_row += 1
            formula = _categorical_formula(b, x, first, level_row - 1)
        ws.cell(row=i, column=3, value=formula)
        ws.cell(row=i, column=4, value=c.max_points)
        ws.cell(row=i, column=5, value=b.kind)
    end = 3 + len(rules)
    s = card.scaling
    rows = [
        ("base points", card.base_points, None),
        ("score", f"=SUM(C4:C{end})+C{end + 2}", "0"),
        ("offset", s.offset, None),
        ("factor", s.factor, None),
        ("pd", f"=1/(1+EXP((C{end + 3}-C{end + 4})/C{end + 5}))", "0.000%"),
    ]
    for k, (label, value, fmt) in enumerate(rows, start=end + 2):
        ws.cell(row=k, column=1, value=label).font = book.bold
        cell = ws.cell(row=k, column=3, value=value)
        if fmt:
            cell.number_format = fmt
    if grades is not None:
        score = f"C{end + 3}"
        formula = _text(grades.grades[-1].name)
        for g in reversed(grades.grades[:-1]):
            formula = f"IF({score}>={_number(g.min_score)},{_text(g.name)},{formula})"
        ws.cell(row=end + 7, column=1, value="grade").font = book.bold
        ws.cell(row=end + 7, column=3, value="=" + formula)
    book.fit(ws)
    book.fit(levels_ws)


def to_excel(
    card: Scorecard,
    path: str | PathLike[str],
    *,
    grades: GradeScale | None = None,
    policy: CreditPolicy | None = None,
    calculator: bool = True,
    applicant: Mapping[str, Any] | None = None,
) -> Path:
    """Write the card (and its grades and policy) as an ``.xlsx`` workbook.

    Parameters
    ----------
    card : Scorecard
    path : str or path-like
        The workbook to write; written to a temporary file first, then renamed, so a
        failure leaves no partial file.
    grades : GradeScale, optional
        A grade table, and a grade in the calculator.  Default: the policy's scale.
    policy : CreditPolicy, optional
        A Policy sheet: cut-offs, knock-out rules, limit components, terms per grade.
    calculator : bool
        Add the Calculator sheet (formulas that score one applicant) and its Levels sheet.
    applicant : mapping, optional
        Values to prefill the calculator with (characteristic -> value).

    Returns
    -------
    Path
        The path written.

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> from scorecard import fit_scorecard
    >>> from scorecard.datasets import load_german_credit
    >>> card = fit_scorecard(load_german_credit(), "bad", seed=0).scorecard
    >>> path = to_excel(card, tempfile.mkdtemp() + "/card.xlsx")
    >>> openpyxl.load_workbook(path).sheetnames
    ['Summary', 'Points', 'Binning', 'Calculator', 'Levels']
    """
    try:
        import openpyxl  # noqa: F401
    except ImportError:  # pragma: no cover - the message is the point
        raise SpecificationError(
            "to_excel: expected openpyxl to be installed (pip install 'scorecard[excel]'), "
            "found it missing"
        ) from None
    grades = grades if grades is not None else (policy.grade_scale if policy else None)
    book = _Book()
    _summary(book, card)
    ws = book.sheet("Points")
    book.table(ws, card.points_table())
    book.fit(ws)
    _binning(book, card)
    if grades is not None:
        _grades(book, grades)
    if policy is not None:
        _policy(book, policy)
    if calculator:
        _calculator(book, card, grades, applicant)
    target = Path(path)
    with atomic_path(target) as tmp:
        book.wb.save(tmp)
    return target
