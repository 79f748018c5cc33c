"""A card as SQL: one ``CASE WHEN`` per characteristic, summed as integers.

Dialects: ``"ansi"``, ``"duckdb"``, ``"sqlite"``, ``"postgres"`` and ``"spark"``.  The score
is the same integer as :meth:`Scorecard.score <scorecard.Scorecard.score>`, row for row
(tested in real DuckDB, SQLite and PostgreSQL engines).  The value rule is Python's
(:mod:`scorecard.deploy._rules`):

* a numeric column is read as a double (``CAST(x AS DOUBLE)``); ``NULL`` (and NaN where the
  engine stores one) is missing; special codes are compared first, then the cut points
  (``x < cut`` moves to the next bin at the cut, as ``searchsorted(side="right")``);
* a categorical column is read as text (``CAST(x AS VARCHAR)``), ``NULL`` is missing, and a
  level no bin lists is unseen;
* what Python refuses with a ``DataError`` scores ``NULL`` here: an infinite value, a value
  that is not a number (SQLite, which stores any type in any column) and a bin the card
  refuses (the ``"error"`` treatment).  A ``NULL`` score has a ``NULL`` PD and grade.

Identifiers are quoted (``"name"``, Spark ```name```, the quote doubled inside) and levels
are string literals escaped for the dialect (``''`` for a quote; Spark also escapes the
backslash; PostgreSQL writes a level with a backslash as ``E'...'``, so the result does not
depend on ``standard_conforming_strings``).  A level can hold quotes, semicolons, comment
markers or SQL text: it stays one literal (tested against the real engines).  Numbers are
written with an exponent (``0.098E0``), which every dialect reads as a double, so a cut
point compares exactly as Python's float.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from scorecard._model.scorecard import Scorecard
from scorecard.deploy._rules import Branches, branches, check_text
from scorecard.exceptions import SpecificationError
from scorecard.policy._grades import GradeScale

__all__ = ["DIALECTS", "sql_expression", "sql_query"]

DIALECTS = ("ansi", "duckdb", "sqlite", "postgres", "spark")

#: largest finite double: a value above it (in absolute value) is infinite
_MAX_DOUBLE = "1.7976931348623157E308"


@attrs.frozen
class _Dialect:
    name: str
    quote: str  # identifier quote
    double: str  # the double type in CAST
    text: str  # the text type in CAST
    nan: str | None  # NaN test of a double expression ({x}), where the engine stores NaN
    typed: bool  # False for SQLite: a column holds values of any type

    def ident(self, name: str) -> str:
        check_text(name, "identifier")
        q = self.quote
        return q + name.replace(q, q + q) + q

    def string(self, value: str) -> str:
        check_text(value, "string literal")
        if self.name == "spark":  # backslash escapes are on by default in Spark SQL
            return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
        if self.name == "postgres" and "\\" in value:
            return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'"
        return "'" + value.replace("'", "''") + "'"


_DIALECTS = {
    "ansi": _Dialect("ansi", '"', "DOUBLE PRECISION", "VARCHAR", None, True),
    "duckdb": _Dialect("duckdb", '"', "DOUBLE", "VARCHAR", "isnan({x})", True),
    "sqlite": _Dialect("sqlite", '"', "REAL", "TEXT", None, False),
    "postgres": _Dialect(
        "postgres", '"', "DOUBLE PRECISION", "TEXT", "{x} = CAST('NaN' AS DOUBLE PRECISION)", True
    ),
    "spark": _Dialect("spark", "`", "DOUBLE", "STRING", "isnan({x})", True),
}


def _dialect(name: str) -> _Dialect:
    if name not in _DIALECTS:
        raise SpecificationError(f"dialect: expected one of {list(DIALECTS)}, found {name!r}")
    return _DIALECTS[name]


def number(v: float) -> str:
    """A float as a SQL literal every dialect reads as the same double (``0.098E0``)."""
    text = repr(float(v))
    return text if "e" in text else text + "E0"


def _points(p: int | None) -> str:
    return "NULL" if p is None else str(int(p))


def _numeric(b: Branches, col: str, d: _Dialect) -> list[str]:
    x = f"CAST({col} AS {d.double})"
    missing = f"{col} IS NULL" + ("" if d.nan is None else f" OR {d.nan.format(x=x)}")
    refuse = f"ABS({x}) > {_MAX_DOUBLE}"
    if not d.typed:
        refuse = f"typeof({col}) NOT IN ('integer', 'real') OR {refuse}"
    out = [f"WHEN {missing} THEN {_points(b.points[b.missing])}", f"WHEN {refuse} THEN NULL"]
    out += [f"WHEN {x} = {number(code)} THEN {_points(b.points[j])}" for code, j in b.specials]
    out += [
        f"WHEN {x} < {number(cut)} THEN {_points(b.points[j])}"
        for j, cut in zip(b.regular, b.cuts, strict=False)
    ]
    out.append(f"ELSE {_points(b.points[b.regular[-1]])}")
    return out


def _categorical(b: Branches, col: str, d: _Dialect) -> list[str]:
    x = f"CAST({col} AS {d.text})"
    out = [f"WHEN {col} IS NULL THEN {_points(b.points[b.missing])}"]
    for j, levels in b.levels:
        listed = ", ".join(d.string(v) for v in levels)
        out.append(f"WHEN {x} IN ({listed}) THEN {_points(b.points[j])}")
    out.append(f"ELSE {_points(b.unseen)}")
    return out


def _columns(card: Scorecard, columns: Mapping[str, str] | None) -> dict[str, str]:
    columns = dict(columns or {})
    unknown = sorted(set(columns) - set(card.names))
    if unknown:
        raise SpecificationError(
            f"columns: expected characteristics of the card {list(card.names)}, found {unknown}"
        )
    return {n: str(columns.get(n, n)) for n in card.names}


def _case(b: Branches, col: str, d: _Dialect, indent: str) -> str:
    tests = _numeric(b, col, d) if b.kind == "numeric" else _categorical(b, col, d)
    inner = "".join(f"\n{indent}  {t}" for t in tests)
    return f"CASE{inner}\n{indent}END"


def sql_expression(
    card: Scorecard, dialect: str = "ansi", *, columns: Mapping[str, str] | None = None
) -> str:
    """The card's score as one SQL expression: an integer, ``NULL`` where Python refuses.

    Parameters
    ----------
    card : Scorecard
    dialect : {"ansi", "duckdb", "sqlite", "postgres", "spark"}
    columns : mapping of str to str, optional
        The column of the table that holds a characteristic, when it has another name.

    Returns
    -------
    str
        ``base + CASE ... END + CASE ... END ...``, one ``CASE`` per characteristic, to be
        used in a ``SELECT`` (or, for Spark, in ``pyspark.sql.functions.expr``).

    Raises
    ------
    SpecificationError
        An unknown dialect or column mapping, or a name or level with a NUL character.

    Examples
    --------
    >>> import pandas as pd
    >>> from scorecard import BinningSpec, Scorecard, bin_features
    >>> df = pd.DataFrame({"x": [1.0, 2, 3, 4] * 50, "bad": [1, 1, 0, 0] * 50})
    >>> card = Scorecard.from_model(bin_features(df, "bad", spec=BinningSpec(
    ...     optimize=False, n_fine=2)), {"x": -0.5}, intercept=-1.0)
    >>> print(sql_expression(card, "duckdb"))
    CASE
      WHEN "x" IS NULL OR isnan(CAST("x" AS DOUBLE)) THEN 516
      WHEN ABS(CAST("x" AS DOUBLE)) > 1.7976931348623157E308 THEN NULL
      WHEN CAST("x" AS DOUBLE) < 3.0E0 THEN 439
      ELSE 592
    END
    """
    return _expression(card, _dialect(dialect), columns, "")


def _expression(
    card: Scorecard, d: _Dialect, columns: Mapping[str, str] | None, indent: str
) -> str:
    # indentation is written here, never added afterwards: a level may hold a line break
    cols = _columns(card, columns)
    parts = [_case(b, d.ident(cols[b.name]), d, indent) for b in branches(card)]
    if card.base_points:
        parts.insert(0, str(int(card.base_points)))
    return f"\n{indent}+ ".join(parts)


def _grade(scale: GradeScale, score: str, d: _Dialect, indent: str) -> str:
    """The grade of a score: the best grade whose lower bound the score reaches."""
    tests = [f"WHEN {score} IS NULL THEN NULL"]
    tests += [
        f"WHEN {score} >= {number(g.min_score)} THEN {d.string(g.name)}" for g in scale.grades[:-1]
    ]
    tests.append(f"ELSE {d.string(scale.grades[-1].name)}")
    inner = "".join(f"\n{indent}  {t}" for t in tests)
    return f"CASE{inner}\n{indent}END"


def sql_query(
    card: Scorecard,
    table: str,
    dialect: str = "ansi",
    *,
    grades: GradeScale | None = None,
    keep: Sequence[str] | None = None,
    view: str | None = None,
    columns: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
) -> str:
    """A ``SELECT`` (or ``CREATE VIEW``) that scores a table: score, PD and grade.

    The PD is the score's PD on the card's scaling, ``1 / (1 + exp((score - offset) /
    factor))``, as :meth:`Scorecard.score_and_pd <scorecard.Scorecard.score_and_pd>`; the
    grade is the :class:`~scorecard.GradeScale`'s (a score on a cut-off gets the better
    grade).  Both are ``NULL`` where the score is.

    Parameters
    ----------
    card : Scorecard
    table : str
        The table (or view) to score; dots separate schema and table (each part is quoted).
    dialect : {"ansi", "duckdb", "sqlite", "postgres", "spark"}
    grades : GradeScale, optional
        Adds a grade column.
    keep : sequence of str, optional
        Columns of the table to keep (e.g. the applicant id); default all (``*``).
    view : str, optional
        Wrap the query in ``CREATE VIEW <view> AS``.
    columns : mapping of str to str, optional
        The column of the table that holds a characteristic, when it has another name.
    names : mapping of str to str, optional
        Output column names for ``"score"``, ``"pd"`` and ``"grade"`` (default those).

    Returns
    -------
    str
        The statement, without a trailing semicolon.

    Examples
    --------
    >>> import sqlite3
    >>> import pandas as pd
    >>> from scorecard import BinningSpec, GradeScale, Scorecard, bin_features
    >>> df = pd.DataFrame({"x": [1.0, 2, 3, 4] * 50, "bad": [1, 1, 0, 0] * 50})
    >>> card = Scorecard.from_model(bin_features(df, "bad", spec=BinningSpec(
    ...     optimize=False, n_fine=2)), {"x": -0.5}, intercept=-1.0)
    >>> con = sqlite3.connect(":memory:")
    >>> _ = con.execute("CREATE TABLE apps (id INTEGER, x REAL)")
    >>> _ = con.executemany("INSERT INTO apps VALUES (?, ?)", [(1, 1.5), (2, 3.0), (3, None)])
    >>> scale = GradeScale.from_cutoffs([520], ["A", "B"])
    >>> sql = sql_query(card, "apps", "sqlite", grades=scale, keep=["id"])
    >>> for id_, score, pd_, grade in con.execute(sql):
    ...     print(id_, score, round(pd_, 6), grade)
    1 439 0.841284 B
    2 592 0.025712 A
    3 516 0.268783 B
    >>> card.score(pd.DataFrame({"x": [1.5, 3.0, None]})).tolist()
    [439, 592, 516]
    """
    d = _dialect(dialect)
    out = {"score": "score", "pd": "pd", "grade": "grade", **dict(names or {})}
    unknown = sorted(set(out) - {"score", "pd", "grade"})
    if unknown:
        raise SpecificationError(f"names: expected keys 'score', 'pd', 'grade', found {unknown}")
    source = ".".join(d.ident(part) for part in str(table).split("."))
    kept = "*" if keep is None else ", ".join(d.ident(str(k)) for k in keep)
    score = d.ident(out["score"])
    s = card.scaling
    pd_expr = (
        f"1.0E0 / (1.0E0 + EXP((CAST(scored.{score} AS {d.double}) - {number(s.offset)}) / "
        f"{number(s.factor)}))"
    )
    expr = _expression(card, d, columns, "    ")
    select = ["scored.*", f"{pd_expr} AS {d.ident(out['pd'])}"]
    if grades is not None:
        grade = _grade(grades, f"scored.{score}", d, "  ")
        select.append(f"{grade} AS {d.ident(out['grade'])}")
    body = (
        "SELECT\n  " + ",\n  ".join(select) + "\nFROM (\n"
        f"  SELECT {kept},\n    {expr} AS {score}\n  FROM {source}\n) AS scored"
    )
    if view is not None:
        body = f"CREATE VIEW {d.ident(view)} AS\n{body}"
    return body
