"""One applicant, scored as a mapping: the record path of :meth:`Scorecard.score_record`.

An origination system scores one applicant at a time, from a dict.  This module scores such
a *record* in plain Python, with no pandas and almost no numpy on the way, and gives exactly
the numbers of the batch path (:meth:`Scorecard.score_and_pd`, :meth:`~Scorecard.raw_score`,
:meth:`~Scorecard.predict_pd`, :meth:`~Scorecard.reason_codes`) on a frame holding the same
values.  ``tests/test_record.py`` checks that with random records, compared with one-row
frames and with the rows of a larger batch.

The value rule (one rule for every path)
----------------------------------------
* A value is **missing** when it is ``None``, a float NaN (Python or numpy), ``pd.NA`` or
  ``pd.NaT``; it goes to the characteristic's missing bin (wherever that bin was moved).
* **Numeric characteristic**: any other value must be a real number, ``bool``, ``int``,
  ``float``, a numpy integer, floating or bool scalar, or a :class:`decimal.Decimal`; its
  ``float`` value is binned.  Special codes are compared on that float value.  An infinite
  value, a string, bytes, a complex number or any other object is a
  :class:`~scorecard.exceptions.DataError` naming the column.
* **Categorical characteristic**: any other value is a level named ``str(value)`` (as the
  binning named the levels in training: ``"1"`` for the integer 1, ``"1.0"`` for the float).
  A level the card does not know is *unseen* and scored by the characteristic's stored
  treatment.
* A bin that refuses scoring (an empty bin or an unseen level under the ``"error"``
  treatment) is a :class:`~scorecard.exceptions.DataError` naming the column and the value.

Binning itself is :class:`~scorecard.FeatureBinning`'s rules, written once for arrays and
for one value (``_number_bins``: cut points, missing, special codes; ``_level_bin``: the
level -> bin table).  Everything the card contributes (points, unrounded points, labels,
refusals, reason codes, baselines, the PD of every attainable score) is compiled once per
card (:class:`RecordScorer`, cached on the frozen card), so a record costs a few dictionary
and tuple lookups per characteristic.
"""

from __future__ import annotations

import math
import reprlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, cast

import attrs
import numpy as np

from scorecard._analyze.feature import FeatureBinning
from scorecard._core.arrays import SCALAR
from scorecard._core.validation import is_missing, level_name, real_number
from scorecard._model.reasons import BASELINES, Baseline, ReasonCatalog
from scorecard._model.scaling import Scaling
from scorecard.exceptions import DataError, SpecificationError

__all__ = ["RecordScore", "RecordScorer"]

#: value kinds of :func:`_bin`: where a value went (the result lists the characteristics)
_REGULAR, _MISSING, _SPECIAL, _UNSEEN = 0, 1, 2, 3

#: attainable score ranges wider than this get their PD computed per call, not tabled
_PD_TABLE_MAX = 1 << 16


@attrs.frozen
class RecordScore:
    """The score of one applicant (:meth:`Scorecard.score_record`): what a system stores.

    Attributes
    ----------
    score : int
        The printed score: the sum of the printed points (as :meth:`Scorecard.score`).
    pd : float
        The PD of that score on the card's scaling, ``scaling.pd_from_score(score)``: the
        PD a credit policy grades and prices with (as :meth:`Scorecard.score_and_pd`).
    model_pd : float
        The model's unrounded PD (as :meth:`Scorecard.predict_pd`); it differs from ``pd``
        by at most the card's ``rounding_bound`` in score points.
    raw_score : float
        The unrounded score, ``offset + factor * ln(odds_good)`` (as
        :meth:`Scorecard.raw_score`).
    reasons : tuple of str
        Up to ``reasons`` reason codes, the largest shortfall first (as
        :meth:`Scorecard.reason_codes`); empty when none were asked for or no
        characteristic scored below its baseline.
    reason_texts : tuple of str
        The catalog's text for each reason code.
    names : tuple of str
        The card's characteristics, in card order (:attr:`Scorecard.names`).
    attributes : tuple of str
        The bin label each characteristic's value fell in (``"Unseen"`` for an unseen
        category), in card order.
    points : tuple of int
        The printed points of each characteristic, in card order (``score`` is their sum
        plus the card's base points).
    missing, special, unseen : tuple of str
        The characteristics whose value was missing, a special code, or a category the card
        has not seen (scored by its stored treatment), in card order.

    Examples
    --------
    >>> from scorecard import fit_scorecard
    >>> from scorecard.datasets import load_german_credit
    >>> df = load_german_credit()
    >>> card = fit_scorecard(df, "bad", seed=0).scorecard
    >>> applicant = df.drop(columns="bad").iloc[0].to_dict()
    >>> r = card.score_record({**applicant, "duration_in_month": None}, reasons=2)
    >>> r.score, round(r.pd, 4), r.missing
    (553, 0.0925, ('duration_in_month',))
    >>> r.reasons[0], r.attributes[r.names.index("duration_in_month")]
    ('status_of_existing_checking_account', 'Missing')
    >>> r.score == sum(r.points) and r.pd == float(card.scaling.pd_from_score(r.score))
    True
    """

    score: int
    pd: float
    model_pd: float
    raw_score: float
    reasons: tuple[str, ...]
    reason_texts: tuple[str, ...]
    names: tuple[str, ...]
    attributes: tuple[str, ...]
    points: tuple[int, ...]
    missing: tuple[str, ...]
    special: tuple[str, ...]
    unseen: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (tuples as lists), e.g. for an audit log."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in attrs.asdict(self).items()}


class CardCharacteristic(Protocol):
    """What the record path reads from a characteristic of the card."""

    @property
    def binning(self) -> FeatureBinning: ...
    @property
    def points(self) -> tuple[int | None, ...]: ...
    @property
    def raw_points(self) -> tuple[float | None, ...]: ...


class _Slot:
    """One characteristic compiled for records: its binning and per-bin tuples.

    Every per-bin tuple is indexed by the bin index, with the unseen entry last, so the
    index ``-1`` of an unseen category picks it (as the batch path's arrays do).
    """

    __slots__ = (
        "labels",
        "level_bin",
        "missing_index",
        "name",
        "number_bins",
        "numeric",
        "points",
        "raw",
        "reasons",
        "refuse",
        "specials",
    )

    def __init__(self, c: CardCharacteristic, catalog: ReasonCatalog) -> None:
        fb = c.binning
        self.name = fb.name
        self.numeric = fb.kind == "numeric"
        self.number_bins = fb._number_bins  # the binning's rules, bound once
        self.level_bin = fb._level_bin
        self.missing_index = fb.missing_index
        self.points = tuple(0 if p is None else p for p in c.points)
        self.raw = tuple(math.nan if v is None else v for v in c.raw_points)
        self.refuse = tuple(p is None for p in c.points)
        self.labels = (*fb.labels, "Unseen")
        self.reasons = tuple(catalog.lookup(self.name, lab) for lab in self.labels)
        codes = fb.fine.specials
        self.specials = frozenset(float(s) if self.numeric else str(s) for s in codes)


def _bin(s: _Slot, v: Any) -> tuple[int, int]:
    """The bin index of one value and where it went (regular, missing, special, unseen)."""
    if s.numeric:
        t = type(v)
        if t is float or t is int:  # the common cases first, without isinstance checks
            try:
                x = float(v)
            except OverflowError:  # an int beyond the float range
                x = math.inf
            if x - x != 0.0 and x == x:  # infinite: refused
                x = real_number(v, s.name)
        else:  # missing -> NaN, other real numbers -> float, anything else refused
            x = real_number(v, s.name)
        i = s.number_bins(x, SCALAR)
        if x != x:
            return i, _MISSING
        return i, _SPECIAL if x in s.specials else _REGULAR
    if type(v) is str:
        level = v
    elif is_missing(v):
        return s.missing_index, _MISSING
    else:
        level = level_name(v)
    i = s.level_bin(level)
    if i < 0:
        return i, _UNSEEN
    return i, _SPECIAL if level in s.specials else _REGULAR


def _refused(s: _Slot, v: Any) -> DataError:
    return DataError(
        f"column {s.name!r}: 1 value(s) fall in an empty bin or are unseen categories (e.g. "
        f"{reprlib.repr([v])}) and the characteristic's treatment is 'error'"
    )


class RecordScorer:
    """A card compiled for records (built once per card, on first use; read-only after).

    Parameters
    ----------
    characteristics : sequence
        The card's characteristics, in card order.
    base_points, raw_base_points : int, float
        The card's base points (printed and unrounded).
    scaling : Scaling
        The card's scaling (PD of a score).
    catalog : ReasonCatalog
        The card's reason codes.
    baselines : callable
        ``baselines(kind)``: each characteristic's baseline points for reasons, as
        :meth:`Scorecard.reason_codes` compares them.
    score_range : (int, int)
        The card's attainable minimum and maximum score.
    """

    def __init__(
        self,
        characteristics: Sequence[CardCharacteristic],
        base_points: int,
        raw_base_points: float,
        scaling: Scaling,
        catalog: ReasonCatalog,
        baselines: Callable[[Baseline], Any],
        score_range: tuple[int, int],
    ) -> None:
        self.slots = tuple(_Slot(c, catalog) for c in characteristics)
        self.names = tuple(s.name for s in self.slots)
        self.base_points = int(base_points)
        self.raw_base_points = float(raw_base_points)
        self.scaling = scaling
        # per baseline kind, each characteristic's shortfall for each bin: baseline - points,
        # as the batch path computes it (float64 baseline minus integer points)
        self.shortfalls: dict[str, tuple[tuple[float, ...], ...]] = {}
        for k in BASELINES:
            base = baselines(cast(Baseline, k))
            self.shortfalls[k] = tuple(
                tuple(float(b) - p for p in s.points) for b, s in zip(base, self.slots, strict=True)
            )
        # the PD of every attainable score, computed by the batch path's own function
        lo, hi = score_range
        self.pd_low = lo
        self.pd_table: tuple[float, ...] = ()
        if hi - lo < _PD_TABLE_MAX:
            scores = np.arange(lo, hi + 1, dtype=np.int64)
            self.pd_table = tuple(scaling.pd_from_score(scores).tolist())

    def _absent(self, record: Mapping[str, Any]) -> DataError:
        absent = [n for n in self.names if n not in record]
        shown = [str(k) for k in list(record)[:20]]
        more = "" if len(record) <= 20 else f" (and {len(record) - 20} more)"
        return DataError(
            f"score_record: expected field(s) {absent} to be present, found fields {shown}{more}"
        )

    def score(self, record: Mapping[str, Any], reasons: int, baseline: str) -> RecordScore:
        """Score one record (see :meth:`Scorecard.score_record`)."""
        if type(reasons) is not int or reasons < 0:
            raise SpecificationError(
                f"score_record: expected reasons >= 0 (an integer), found {reasons!r}"
            )
        if reasons and baseline not in self.shortfalls:
            raise SpecificationError(
                f"score_record: expected baseline in {BASELINES}, found {baseline!r}"
            )
        if type(record) is not dict and not isinstance(record, Mapping):
            raise DataError(
                f"score_record: expected a mapping field -> value (one applicant), found "
                f"{type(record).__name__}"
            )
        try:
            values = [record[n] for n in self.names]
        except KeyError:
            raise self._absent(record) from None
        score = self.base_points
        raw = self.raw_base_points
        index: list[int] = []
        points: list[int] = []
        flagged: tuple[list[str], list[str], list[str]] = ([], [], [])
        for s, v in zip(self.slots, values, strict=True):
            i, kind = _bin(s, v)
            if s.refuse[i]:
                raise _refused(s, v)
            p = s.points[i]
            score += p
            raw += s.raw[i]  # in card order, as the batch path sums its columns
            points.append(p)
            index.append(i)
            if kind:
                flagged[kind - 1].append(s.name)
        codes: tuple[str, ...] = ()
        texts: tuple[str, ...] = ()
        if reasons:
            gaps = [g[i] for g, i in zip(self.shortfalls[baseline], index, strict=True)]
            # largest shortfall first, ties in card order (a stable sort), only shortfalls > 0
            order = sorted(range(len(gaps)), key=gaps.__getitem__, reverse=True)[:reasons]
            hits = [self.slots[j].reasons[index[j]] for j in order if gaps[j] > 0]
            if hits:
                codes, texts = (tuple(v) for v in zip(*hits, strict=True))
        k = score - self.pd_low
        table = self.pd_table
        pd_ = table[k] if 0 <= k < len(table) else float(self.scaling.pd_from_score(score))
        return RecordScore(
            score,
            pd_,
            float(self.scaling.pd_from_score(raw)),
            raw,
            codes,
            texts,
            self.names,
            tuple([s.labels[i] for s, i in zip(self.slots, index, strict=True)]),
            tuple(points),
            tuple(flagged[0]),
            tuple(flagged[1]),
            tuple(flagged[2]),
        )
