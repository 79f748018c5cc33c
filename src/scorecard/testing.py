"""Test support for applications that pin a scorecard artifact.

The test suite of an application that loads a saved card (and a grade scale, a policy)
asserts three things, and this module has a tool for each (the docs page "Testing your
integration" shows them at work):

* **the artifact is the one you reviewed**: :func:`assert_artifact_equal` compares two
  cards, binnings, grade scales, policies (any of the library's JSON artifacts, as objects,
  JSON text or files) and fails with a readable list of what differs, path by path;
* **its outputs did not move**: :func:`assert_golden_scores` compares the scores, PDs,
  reasons, grades and decisions of a frame of applicants with a stored CSV file
  (:func:`golden_scores` computes the table); the file is regenerated only on request
  (``update=True`` or the environment variable :data:`UPDATE_GOLDEN_ENV`);
* **every bin works through your integration**: :func:`covering_records` (a seeded list of
  applicants as dicts, in the value types a system sends) and :func:`covering_frame` (the
  same applicants as a frame) reach every bin of every characteristic, missing values,
  special codes and unseen categories included; :func:`records` is the hypothesis strategy
  for property tests.

Importing this module does not import hypothesis: only :func:`records` needs it.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

import pandas as pd

from scorecard._testing import cover, diff, golden
from scorecard.exceptions import SpecificationError

if TYPE_CHECKING:
    from scorecard._analyze.binning import Binning
    from scorecard._model.scorecard import Scorecard
    from scorecard._testing.strategies import RecordStrategy
    from scorecard.policy._grades import GradeScale
    from scorecard.policy._inputs import ScoringModel
    from scorecard.policy._policy import CreditPolicy

__all__ = [
    "UPDATE_GOLDEN_ENV",
    "assert_artifact_equal",
    "assert_golden_scores",
    "covering_frame",
    "covering_records",
    "golden_scores",
    "records",
]

UPDATE_GOLDEN_ENV = golden.UPDATE_ENV
"""``"SCORECARD_UPDATE_GOLDEN"``: set it to ``1`` to regenerate golden-scores files."""


def assert_artifact_equal(
    actual: Any,
    expected: Any,
    *,
    rtol: float = 1e-9,
    atol: float = 1e-12,
    ignore: Collection[str] = ("library_version",),
    max_lines: int = 20,
) -> None:
    """Assert that two artifacts are equal, with a readable list of what differs.

    Parameters
    ----------
    actual, expected : artifact, str, bytes or path
        A card, binning, grade scale, policy, model, stepwise path or calibration report
        (any of the library's JSON artifacts), its JSON text (``to_json()``) or the path
        of its file (a :class:`pathlib.Path`).  Text and files are loaded by their kind's
        class first, so a tampered or invalid file fails here too, and a file of an older
        schema is compared as this version reads it.
    rtol, atol : float
        Numbers are equal when ``math.isclose(a, b, rel_tol=rtol, abs_tol=atol)``
        (the defaults absorb the last-bit noise of a refit on another CPU); an ``int``
        and a ``float`` of the same value are equal; everything else (strings, booleans,
        None, the structure) compares exactly.
    ignore : collection of str
        Keys left out wherever they appear.  By default the ``library_version`` recorded
        in a card's metadata, so a card saved by an older release still compares equal.
    max_lines : int
        Differences shown; the rest are counted.

    Raises
    ------
    AssertionError
        If the artifacts are of different kinds (a card against a policy), or differ:
        the message lists one difference per line, with its path into the artifact,
        ``actual != expected``.
    SpecificationError
        If an argument is not an artifact, its JSON text or an existing file.
    SchemaError
        If a text or file is not a valid artifact.

    Examples
    --------
    >>> import attrs
    >>> from scorecard import GradeScale
    >>> scale = GradeScale.from_cutoffs([620, 580], ["A", "B", "C"], pds=[0.01, 0.03, 0.1])
    >>> assert_artifact_equal(scale, GradeScale.from_json(scale.to_json()))
    >>> moved = GradeScale.from_cutoffs([625, 580], ["A", "B", "C"], pds=[0.01, 0.03, 0.1])
    >>> assert_artifact_equal(moved, scale)
    Traceback (most recent call last):
    ...
    AssertionError: grade_scale artifacts differ in 1 place (actual != expected; ...):
      grades[0] ('A').min_score: 625.0 != 620.0 (relative difference 0.008)
    """
    __tracebackhide__ = True  # pytest shows the caller's line
    if isinstance(max_lines, bool) or not isinstance(max_lines, int) or max_lines < 1:
        raise SpecificationError(
            f"assert_artifact_equal: expected max_lines an integer >= 1, found {max_lines!r}"
        )
    if isinstance(ignore, str):
        ignore = (ignore,)
    kind_a, kind_e, lines = diff.differences(
        actual, expected, rtol=rtol, atol=atol, ignore=ignore, what="assert_artifact_equal"
    )
    message = diff.report(kind_a, kind_e, lines, rtol=rtol, atol=atol, max_lines=max_lines)
    if message:
        raise AssertionError(message)


def golden_scores(
    card: ScoringModel,
    applicants: pd.DataFrame,
    *,
    grade_scale: GradeScale | None = None,
    policy: CreditPolicy | None = None,
    n_reasons: int = 4,
) -> pd.DataFrame:
    """What a card (and a grade scale, a policy) gives each applicant: the golden table.

    Parameters
    ----------
    card : Scorecard
        The card (any :class:`~scorecard.policy.ScoringModel`).
    applicants : DataFrame
        The applicants, with a unique index (their ids).  With a policy, also the fields
        its rules and limits read.
    grade_scale : GradeScale, optional
        Adds the ``grade`` of each score.
    policy : CreditPolicy, optional
        Adds the ``grade`` (by the policy's scale), the ``decision``, the ``limit`` and the
        policy's ``decision_reasons`` (the card passed as the policy's model).
    n_reasons : int
        Reason codes of the card in the ``reasons`` column (``;``-joined); 0 leaves the
        column out.

    Returns
    -------
    DataFrame
        Index: the applicants' index (named ``id`` if it has no name).  Columns
        ``score``, ``pd`` (the PD of the score, ``card.score_and_pd``), ``reasons``, then
        ``grade``, ``decision``, ``limit``, ``decision_reasons`` as asked for.

    Examples
    --------
    >>> from scorecard import BinningSpec, GradeScale, Scorecard, bin_features
    >>> from scorecard.datasets import make_credit_data
    >>> df = make_credit_data(2_000, seed=1)
    >>> binning = bin_features(df, "bad", features=["months_employed", "residential_status"],
    ...                        spec=BinningSpec(max_bins=4))
    >>> card = Scorecard.from_model(binning, {"months_employed": -1.0,
    ...                                       "residential_status": -1.0}, intercept=-1.0)
    >>> scale = GradeScale.from_cutoffs([530, 515], ["A", "B", "C"])
    >>> golden_scores(card, df.head(3), grade_scale=scale, n_reasons=1)
        score        pd          reasons grade
    id
    0     525  0.212032  months_employed     B
    1     509  0.319036  months_employed     C
    2     525  0.212032  months_employed     B
    """
    return golden.table(
        card,
        applicants,
        grade_scale=grade_scale,
        policy=policy,
        n_reasons=n_reasons,
        what="golden_scores",
    )


def assert_golden_scores(
    path: str | os.PathLike[str],
    card: ScoringModel,
    applicants: pd.DataFrame,
    *,
    grade_scale: GradeScale | None = None,
    policy: CreditPolicy | None = None,
    n_reasons: int = 4,
    update: bool | None = None,
    rtol: float = 1e-9,
    max_rows: int = 10,
) -> pd.DataFrame:
    """Assert that a card still gives the stored golden scores; regenerate them on request.

    The table of :func:`golden_scores` is compared with the CSV file at ``path``: one row
    per applicant (the index first), columns ``score``, ``pd``, ``reasons`` and, as asked
    for, ``grade``, ``decision``, ``limit``, ``decision_reasons``.  ``pd`` and ``limit``
    are written with 12 significant digits and compare within the relative tolerance
    ``rtol``; every other column (ids, scores, reasons, grades, decisions) compares
    exactly, as text.

    The file is written only when asked: with ``update=True``, or with ``update=None``
    (the default) and the environment variable ``SCORECARD_UPDATE_GOLDEN`` set to ``1``
    (:data:`UPDATE_GOLDEN_ENV`).  Then a file that is absent or differs is rewritten and a
    :class:`~scorecard.exceptions.ScorecardWarning` names it; review its diff before you
    commit it.  A file within tolerance is left as it is.

    Parameters
    ----------
    path : str or path
        The golden-scores file (CSV).
    card, applicants, grade_scale, policy, n_reasons
        As :func:`golden_scores`.
    update : bool, optional
        Write the file instead of failing (None: ask the environment variable).
    rtol : float
        Relative tolerance of ``pd`` and ``limit``.
    max_rows : int
        Differing rows shown in the report; the rest are counted.

    Returns
    -------
    DataFrame
        The computed table (as :func:`golden_scores`).

    Raises
    ------
    AssertionError
        If the file is absent (without update), or the table differs from it: the report
        names the file, the differing columns and the first differing rows
        (``computed != stored``), and how to regenerate the file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from scorecard import BinningSpec, Scorecard, bin_features
    >>> from scorecard.datasets import make_credit_data
    >>> df = make_credit_data(2_000, seed=1)
    >>> binning = bin_features(df, "bad", features=["months_employed", "residential_status"],
    ...                        spec=BinningSpec(max_bins=4))
    >>> card = Scorecard.from_model(binning, {"months_employed": -1.0,
    ...                                       "residential_status": -1.0}, intercept=-1.0)
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "scores.csv"
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # ScorecardWarning: golden scores written to ...
    ...     _ = assert_golden_scores(path, card, df.head(50), update=True)
    >>> print(path.read_text().splitlines()[1])
    0,525,0.212031865487,months_employed
    >>> _ = assert_golden_scores(path, card, df.head(50))       # passes
    >>> shifted = Scorecard.from_model(binning, {"months_employed": -1.0,
    ...                                          "residential_status": -1.0}, intercept=-0.9)
    >>> assert_golden_scores(path, shifted, df.head(50))
    Traceback (most recent call last):
    ...
    AssertionError: golden scores differ from ...scores.csv: 50 of 50 rows (columns score, pd)
      first differing rows (computed != stored):
        id 0: score 522 != 525; pd 0.229922475614 != 0.212031865487
    ...
    """
    __tracebackhide__ = True
    what = "assert_golden_scores"
    wanted = golden.update_requested(update, what)
    computed = golden.table(
        card, applicants, grade_scale=grade_scale, policy=policy, n_reasons=n_reasons, what=what
    )
    golden.check(path, computed, update=wanted, rtol=rtol, max_rows=max_rows, what=what)
    return computed


def covering_records(
    card: Scorecard | Binning,
    *,
    seed: int = 0,
    canonical: bool = False,
    refused: bool = False,
) -> list[dict[str, Any]]:
    """Applicants (dicts) that together reach every bin of every characteristic of a card.

    Every characteristic gets a list of *targets*: for each regular numeric bin
    ``[lo, hi)`` its lower bound, a round number inside, far values for an open end and the
    largest float below ``hi``; for each regular categorical bin its first, last and one
    seeded level; every special code; every form of a missing value; for a categorical
    characteristic, levels the card does not know (unseen: ``"<unseen>"``, ``""``, a
    number, a known level with a trailing space and in swapped case).  Record ``i`` takes
    target ``i mod n`` of each characteristic, in a seeded order, so there are as many
    records as the largest list of targets and each target appears at least once.

    Values come in the forms a system sends, each keeping its value exactly: numbers as
    ``float``, ``int``, ``bool``, ``decimal.Decimal``, numpy ``float64``, ``float32``,
    ``int64``, ``int32``, ``uint8``; levels as ``str``, ``numpy.str_`` and, where
    ``str(value)`` gives the level back, ``int``, ``float``, ``bool`` and numpy scalars;
    missing values as ``None``, ``float('nan')``, numpy NaNs, ``pd.NA`` and ``pd.NaT``.

    Parameters
    ----------
    card : Scorecard or Binning
        The card (or a binning: each of its features).
    seed : int
        The order of the targets and the choice of forms.  The records depend only on the
        card and the seed: the same on every platform and Python version.
    canonical : bool
        Give every value in its canonical form instead: a ``float`` (NaN when missing) for
        a numeric characteristic, a ``str`` (``None`` when missing) for a categorical one.
    refused : bool
        Also reach the bins that refuse scoring (points ``None``: empty bins and unseen
        categories of a characteristic with the ``"error"`` treatment): one more record per
        such value, equal to the first record except for that one value.  Scoring such a
        record raises :class:`~scorecard.exceptions.DataError`.

    Returns
    -------
    list of dict
        One mapping characteristic -> value per applicant, in card order.

    Examples
    --------
    >>> from scorecard import BinningSpec, Scorecard, bin_features
    >>> from scorecard.datasets import make_credit_data
    >>> df = make_credit_data(2_000, seed=1)
    >>> specs = {"months_employed": BinningSpec(max_bins=4, special_codes=(-1,))}
    >>> binning = bin_features(df, "bad", features=["months_employed", "residential_status"],
    ...                        spec=BinningSpec(max_bins=4), specs=specs)
    >>> card = Scorecard.from_model(binning, {"months_employed": -1.0,
    ...                                       "residential_status": -1.0}, intercept=-1.0)
    >>> applicants = covering_records(card)
    >>> len(applicants), applicants[0]
    (19, {'months_employed': np.uint8(0), 'residential_status': 'MORTGAGE'})
    >>> print(*sorted({type(a["months_employed"]).__name__ for a in applicants}))
    Decimal NAType NaTType NoneType float float32 float64 int int32 int64 uint8
    >>> covering_records(card, canonical=True)[0]
    {'months_employed': 0.0, 'residential_status': 'MORTGAGE'}
    """
    records, _ = cover.covering(
        card, seed=seed, canonical=canonical, refused=refused, what="covering_records"
    )
    return records


def covering_frame(
    card: Scorecard | Binning, *, seed: int = 0, refused: bool = False
) -> pd.DataFrame:
    """The applicants of :func:`covering_records` as a frame, values in canonical form.

    Row ``i`` is ``covering_records(card, seed=seed, canonical=True)[i]``: numeric columns
    are ``float64`` (NaN when missing), categorical columns hold ``str`` (``None`` when
    missing) in an ``object`` column, so any scoring path reads the frame; together the
    rows reach every bin of every characteristic.  The index is ``0..n-1``.

    Parameters
    ----------
    card : Scorecard or Binning
        The card.
    seed, refused
        As :func:`covering_records`.

    Returns
    -------
    DataFrame
        One column per characteristic, in card order.

    Examples
    --------
    >>> from scorecard import BinningSpec, Scorecard, bin_features
    >>> from scorecard.datasets import make_credit_data
    >>> df = make_credit_data(2_000, seed=1)
    >>> specs = {"months_employed": BinningSpec(max_bins=4, special_codes=(-1,))}
    >>> binning = bin_features(df, "bad", features=["months_employed", "residential_status"],
    ...                        spec=BinningSpec(max_bins=4), specs=specs)
    >>> card = Scorecard.from_model(binning, {"months_employed": -1.0,
    ...                                       "residential_status": -1.0}, intercept=-1.0)
    >>> frame = covering_frame(card)
    >>> frame.dtypes.astype(str).tolist()
    ['float64', 'object']
    >>> for c in card.characteristics:   # every bin, and unseen for a categorical one
    ...     reached = set(c.binning.bin_index(frame[c.name]).tolist())
    ...     print(c.name, len(reached), "of", len(c.binning.labels), sorted(reached)[:2])
    months_employed 6 of 6 [0, 1]
    residential_status 6 of 5 [-1, 0]
    >>> int(card.score(frame).min()) == card.min_score   # the frame scores as a batch
    True
    """
    records, _ = cover.covering(
        card, seed=seed, canonical=True, refused=refused, what="covering_frame"
    )
    return cover.canonical_frame(card, records, "covering_frame")


def records(
    card: Scorecard | Binning, *, canonical: bool = False, refused: bool = False
) -> RecordStrategy:
    """Hypothesis strategy: applicants (dicts) whose values can reach every bin of a card.

    For each characteristic a bin is drawn first (every bin equally likely: each regular
    bin, each special code, missing and, for a categorical characteristic, unseen), then a
    value in it (numbers anywhere in ``[lo, hi)``, its edges and whole numbers favored;
    levels of the bin; any text the card does not know), then a form a system sends
    (as :func:`covering_records`).  Shrinking goes toward the first regular bin.

    Needs hypothesis (``pip install hypothesis``); the rest of this module does not.

    Parameters
    ----------
    card : Scorecard or Binning
        The card.
    canonical, refused
        As :func:`covering_records`.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of dict
        Mappings characteristic -> value.

    Raises
    ------
    ImportError
        If hypothesis is not installed.

    Examples
    --------
    >>> import pandas as pd
    >>> from hypothesis import given, settings
    >>> from scorecard import BinningSpec, Scorecard, bin_features
    >>> from scorecard.datasets import make_credit_data
    >>> df = make_credit_data(2_000, seed=1)
    >>> specs = {"months_employed": BinningSpec(max_bins=4, special_codes=(-1,)),
    ...          "bureau_score": BinningSpec(max_bins=4, special_codes=(-999, -998))}
    >>> binning = bin_features(df, "bad", features=list(specs), specs=specs)
    >>> card = Scorecard.from_model(binning, {"months_employed": -1.0, "bureau_score": -1.0},
    ...                             intercept=-1.0)
    >>> @settings(max_examples=50, deadline=None)
    ... @given(records(card, canonical=True))
    ... def test_score_in_card_range(applicant):
    ...     score = card.score(pd.DataFrame([applicant]))[0]
    ...     assert card.min_score <= score <= card.max_score
    >>> test_score_in_card_range()
    """
    try:
        strategies = importlib.import_module("scorecard._testing.strategies")
    except ImportError as exc:
        raise ImportError(
            "scorecard.testing.records needs hypothesis, which is not installed: "
            "pip install hypothesis"
        ) from exc
    strategy: RecordStrategy = strategies.records(
        card, canonical=canonical, refused=refused, what="records"
    )
    return strategy
