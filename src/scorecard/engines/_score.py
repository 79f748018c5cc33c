"""Scores computed where the data lives: :func:`score` adds the card's score, PD (and
grade) to a source as native expressions of its engine.

The expression is the SQL export's (:func:`scorecard.deploy.sql_query`, the ``duckdb`` or
``spark`` dialect): one ``CASE`` per characteristic, integer points summed, the PD of the
score, the grade of a :class:`~scorecard.GradeScale`.  In Spark it runs as Catalyst
expressions (no Python UDF, no row leaves the JVM).  The treatment of missing values,
special codes and unseen levels is Python's, row for row (tested against
:meth:`Scorecard.score <scorecard.Scorecard.score>`); what Python refuses with a
``DataError`` (an infinite number, a bin with the ``"error"`` treatment) scores ``NULL``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from scorecard._model.scorecard import Scorecard
from scorecard.deploy._sql import sql_query
from scorecard.engines._binning import columns_present, feature_kind
from scorecard.engines._source import as_source
from scorecard.exceptions import SpecificationError
from scorecard.policy._grades import GradeScale


def score(
    card: Scorecard,
    source: Any,
    *,
    grades: GradeScale | None = None,
    keep: Sequence[str] | None = None,
    names: Mapping[str, str] | None = None,
) -> Any:
    """The source with the card's score and PD (and grade) added, computed by its engine.

    Parameters
    ----------
    card : Scorecard
    source : Source, DuckDB relation, SQL query or Spark DataFrame
        Rows with a column per characteristic of the card.
    grades : GradeScale, optional
        Adds a ``grade`` column.
    keep : sequence of str, optional
        The columns of the source to keep (e.g. an id); default all.
    names : mapping, optional
        Output column names for ``"score"``, ``"pd"`` and ``"grade"``.

    Returns
    -------
    DuckDB relation or Spark DataFrame
        Lazy, in the source's engine: nothing runs until it is read or written (e.g.
        ``.write_parquet(...)``, ``df.write.parquet(...)``).

    Examples
    --------
    >>> import duckdb
    >>> from scorecard import fit_scorecard
    >>> from scorecard.datasets import load_german_credit
    >>> german = load_german_credit()
    >>> card = fit_scorecard(german, "bad", seed=0).scorecard
    >>> scored = score(card, duckdb.from_df(german), keep=["bad"])
    >>> scored.columns
    ['bad', 'score', 'pd']
    >>> sql_scores = [s for s, in scored.project("score").fetchall()]
    >>> sql_scores == card.score(german).tolist()
    True
    """
    if not isinstance(card, Scorecard):
        raise SpecificationError(f"card: expected a Scorecard, found {type(card).__name__}")
    _, engine = as_source(source)
    cols = columns_present(engine, [*card.names, *(keep or ())])
    for c in card.characteristics:  # the card's columns must read as they did in training
        feature_kind(c.name, cols[c.name], c.binning.kind)
    sql = sql_query(card, engine.view, engine.name, grades=grades, keep=keep, names=names)
    return engine.table(sql, "the scores")
