"""The Scorecard artifact: bins, points, scaling and metadata, frozen and JSON-serializable.

Conventions (see also :mod:`scorecard._model.scaling`)
-----------------------------------------------
* model: ``ln(P(bad)/P(good)) = b0 + sum_j b_j * WOE_j``;
* points: ``points_ij = -factor * b_j * WOE_ij + (offset - factor * b0) / n`` with the
  intercept spread evenly over the ``n`` characteristics (``allocation="spread"``);
  ``"base"`` puts ``offset - factor * b0`` on a separate base-points line, and
  ``"shift"`` also moves each characteristic's minimum there so every
  characteristic starts at 0;
* integer points per attribute; the score is the sum of the printed points (plus
  base points), so a printed card adds up; the probability of bad comes from the
  unrounded linear predictor; the card reports its worst-case rounding error
  (:attr:`Scorecard.rounding_bound`) and its attainable minimum and maximum score;
* higher score = lower risk.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard._analyze.binning import Binning
from scorecard._analyze.feature import FeatureBinning, share_unseen
from scorecard._core import artifact as _json
from scorecard._core.fields import (
    instance_of,
    integer,
    is_finite_number,
    is_int,
    number,
    one_of,
    optional,
    string,
    to_integer,
    to_number,
    to_optional_number,
    to_tuple,
    tuple_of,
)
from scorecard._core.types import FloatArray, IntArray
from scorecard._core.validation import check_columns, check_frame, column_labels
from scorecard._model import points as _points
from scorecard._model import reasons
from scorecard._model.reasons import Baseline, ReasonCatalog
from scorecard._model.record import RecordScore, RecordScorer
from scorecard._model.scaling import Scaling, round_half_up
from scorecard._version import __version__
from scorecard.exceptions import DataError, SpecificationError

SCHEMA_VERSION = 1
Allocation = Literal["spread", "base", "shift"]
ALLOCATIONS = ("spread", "base", "shift")


@attrs.frozen
class FixedRange:
    """Scale the card so its attainable scores run exactly from ``min_score`` to ``max_score``.

    The factor and offset are solved from the model's attainable log odds; after
    rounding, the extreme attributes are nudged by whole points so that the
    *rounded* card attains both ends (the nudges count in the rounding bound).

    Examples
    --------
    >>> FixedRange(300, 850).max_score
    850.0
    """

    min_score: float = attrs.field(default=300.0, converter=to_number, validator=number())
    max_score: float = attrs.field(default=850.0, converter=to_number, validator=number())

    def __attrs_post_init__(self) -> None:
        for name in ("min_score", "max_score"):
            v = getattr(self, name)
            if not v.is_integer():
                raise SpecificationError(
                    f"FixedRange.{name}: expected a whole number of points, found {v!r}"
                )
        if not self.min_score < self.max_score:
            raise SpecificationError(
                f"FixedRange.max_score: expected more than min_score ({self.min_score!r}), "
                f"found {self.max_score!r}"
            )


def _optional_ints(value: Any) -> Any:
    value = to_tuple(value)
    return tuple(to_integer(v) for v in value) if isinstance(value, tuple) else value


def _optional_numbers(value: Any) -> Any:
    value = to_tuple(value)
    return tuple(to_optional_number(v) for v in value) if isinstance(value, tuple) else value


def _is_opt_int(v: Any) -> bool:
    return v is None or is_int(v)


def _is_opt_number(v: Any) -> bool:
    return v is None or is_finite_number(v)


@attrs.frozen
class Characteristic:
    """One characteristic of the card: its binning, coefficient and points per bin.

    ``points`` and ``raw_points`` are per bin (as in ``binning.labels``), then one
    entry for unseen categories.  ``None`` marks a bin that refuses scoring (the
    ``"error"`` treatment of an empty bin).  ``mean_points`` is the training
    population's mean of the unrounded points.

    Examples
    --------
    >>> from scorecard import fit_scorecard
    >>> from scorecard.datasets import load_german_credit
    >>> card = fit_scorecard(load_german_credit(), "bad", seed=0).scorecard
    >>> c = card["duration_in_month"]
    >>> c.name, len(c.points) == len(c.binning.labels) + 1, c.min_points <= c.max_points
    ('duration_in_month', True, True)
    """

    binning: FeatureBinning = attrs.field(validator=instance_of(FeatureBinning))
    coefficient: float = attrs.field(converter=to_number, validator=number())
    points: tuple[int | None, ...] = attrs.field(
        converter=_optional_ints, validator=tuple_of(_is_opt_int, "integers or None")
    )
    raw_points: tuple[float | None, ...] = attrs.field(
        converter=_optional_numbers,
        validator=tuple_of(_is_opt_number, "finite numbers or None"),
    )
    mean_points: float = attrs.field(converter=to_number, validator=number())

    def __attrs_post_init__(self) -> None:
        n = len(self.binning.labels) + 1
        for field in ("points", "raw_points"):
            found = len(getattr(self, field))
            if found != n:
                raise SpecificationError(
                    f"Characteristic.{field} ({self.name!r}): expected {n} values (one per bin "
                    f"and one for unseen categories), found {found}"
                )
        if [p is None for p in self.points] != [v is None for v in self.raw_points]:
            raise SpecificationError(
                f"Characteristic.points ({self.name!r}): expected None exactly where "
                "raw_points is None (bins that refuse scoring)"
            )
        if all(p is None for p in self.points):
            raise SpecificationError(
                f"Characteristic.points ({self.name!r}): expected at least one scoreable bin"
            )

    @property
    def name(self) -> str:
        return self.binning.name

    @functools.cached_property
    def _arrays(self) -> tuple[FloatArray, IntArray, npt.NDArray[np.bool_]]:
        raw = np.asarray([np.nan if v is None else v for v in self.raw_points])
        refuse = np.asarray([p is None for p in self.points])
        pts = np.asarray([0 if p is None else p for p in self.points], dtype=np.int64)
        return raw, pts, refuse

    @property
    def max_points(self) -> int:
        """Largest points over the scoreable bins."""
        return max(p for p in self.points if p is not None)

    @property
    def min_points(self) -> int:
        """Smallest points over the scoreable bins."""
        return min(p for p in self.points if p is not None)


def _fingerprint(data: pd.DataFrame, columns: Sequence[str]) -> str:
    """SHA-256 of ``pandas.util.hash_pandas_object(data[columns], index=False)``.

    Hashed column by column and combined as pandas combines a frame's columns (CPython's
    tuple hash, ``pandas.core.util.hashing.combine_hash_arrays``), without the copy of the
    columns that ``data[columns]`` makes.
    """
    out = np.zeros(len(data), dtype=np.uint64) + np.uint64(0x345678)
    mult = np.uint64(1000003)
    for i, c in enumerate(columns):
        out ^= pd.util.hash_pandas_object(data[c], index=False).to_numpy(dtype=np.uint64)
        out *= mult
        inverse_i = len(columns) - i
        mult += np.uint64(82520 + inverse_i + inverse_i)
    out += np.uint64(97531)
    return hashlib.sha256(out.tobytes()).hexdigest()


@attrs.frozen
class CardMetadata:
    """Provenance stored in a :class:`Scorecard` (no timestamps, so bytes are deterministic).

    Attributes
    ----------
    library_version : str
        The scorecard version that built the card.
    schema_version : int
        The card's artifact schema version.
    target : str
        Name of the target column (1 = bad).
    n_train : float
        Training rows (weighted).
    bad_rate : float
        Training bad rate (NaN if unknown).
    fingerprint : str
        SHA-256 of the training frame's features and target (empty if unknown).
    description : str
        Free text.

    Examples
    --------
    >>> CardMetadata(target="default_flag", n_train=1000.0, bad_rate=0.3).bad_rate
    0.3
    """

    library_version: str = attrs.field(default=__version__, validator=string())
    schema_version: int = attrs.field(
        default=SCHEMA_VERSION, converter=to_integer, validator=integer(ge=1)
    )
    target: str = attrs.field(default="bad", validator=string())
    n_train: float = attrs.field(default=0.0, converter=to_number, validator=number(ge=0))
    bad_rate: float = attrs.field(
        default=math.nan, converter=to_number, validator=number(ge=0, le=1, nan=True)
    )
    fingerprint: str = attrs.field(default="", validator=string(nonempty=False))
    description: str = attrs.field(default="", validator=string(nonempty=False))


@attrs.frozen
class Scorecard(_json.JsonArtifact):
    """A fitted scorecard: frozen, comparable by value, saved as versioned JSON.

    Build it with :meth:`from_model` (or the one-call :func:`~scorecard.fit_scorecard`).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from scorecard import bin_features, BinningSpec
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=2000)
    >>> df = pd.DataFrame({"x": x.round(2),
    ...                    "bad": (rng.random(2000) < 1 / (1 + np.exp(2 + x))).astype(int)})
    >>> b = bin_features(df, "bad", spec=BinningSpec(max_bins=4))
    >>> card = Scorecard.from_model(b, {"x": -1.0}, intercept=-2.0)
    >>> card.score(df.head(3)).tolist()
    [565, 565, 565]
    >>> card.rounding_bound <= 0.5
    True
    """

    _KIND = "scorecard"
    _SCHEMA_VERSION = SCHEMA_VERSION

    characteristics: tuple[Characteristic, ...] = attrs.field(
        converter=to_tuple,
        validator=tuple_of(
            lambda c: isinstance(c, Characteristic), "Characteristic objects", nonempty=True
        ),
    )
    intercept: float = attrs.field(converter=to_number, validator=number())
    scaling: Scaling = attrs.field(validator=instance_of(Scaling))
    allocation: Allocation = attrs.field(default="spread", validator=one_of(ALLOCATIONS))
    base_points: int = attrs.field(default=0, converter=to_integer, validator=integer())
    raw_base_points: float = attrs.field(default=0.0, converter=to_number, validator=number())
    fixed_range: FixedRange | None = attrs.field(
        default=None, validator=optional(instance_of(FixedRange))
    )
    reason_catalog: ReasonCatalog = attrs.field(
        factory=ReasonCatalog, validator=instance_of(ReasonCatalog)
    )
    metadata: CardMetadata = attrs.field(factory=CardMetadata, validator=instance_of(CardMetadata))

    def __attrs_post_init__(self) -> None:
        names = [c.name for c in self.characteristics]
        if len(set(names)) != len(names):
            raise SpecificationError(
                f"Scorecard.characteristics: expected distinct characteristics, found {names}"
            )

    # ------------------------------------------------------------ construction
    @classmethod
    def from_model(
        cls,
        binning: Binning | Sequence[FeatureBinning],
        coefficients: Mapping[str, float],
        intercept: float,
        *,
        scaling: Scaling | FixedRange | None = None,
        allocation: Allocation = "spread",
        reason_catalog: ReasonCatalog | None = None,
        data: pd.DataFrame | None = None,
        description: str = "",
    ) -> Scorecard:
        """Turn a binning and logistic coefficients (on WOE) into a points card.

        Parameters
        ----------
        binning : Binning or sequence of FeatureBinning
            The bins; only the features named in ``coefficients`` are used, in
            the order of ``coefficients``.
        coefficients : mapping of str to float
            ``b_j`` of ``ln(P(bad)/P(good)) = b0 + sum_j b_j * WOE_j``.
        intercept : float
            ``b0``.
        scaling : Scaling or FixedRange, optional
            Default ``Scaling()`` (600 points at 50:1, PDO 20).
        allocation : {"spread", "base", "shift"}
            How the intercept becomes points (see the module docs).
        data : DataFrame, optional
            The training frame (features and target), for the metadata
            fingerprint.
        """
        if allocation not in ALLOCATIONS:
            raise SpecificationError(
                f"Scorecard: expected allocation in {ALLOCATIONS}, found {allocation!r}"
            )
        fbs = {f.name: f for f in (binning.features if isinstance(binning, Binning) else binning)}
        names = list(coefficients)
        missing = [n for n in names if n not in fbs]
        if missing:
            raise SpecificationError(f"Scorecard: no binning for characteristics {missing}")
        if not names:
            raise SpecificationError("Scorecard: expected at least one coefficient")
        b = np.asarray([float(coefficients[n]) for n in names])
        if not np.all(np.isfinite(b)) or not math.isfinite(float(intercept)):
            raise SpecificationError("Scorecard: expected finite coefficients and intercept")
        b0 = float(intercept)
        # WOE per bin, then unseen
        woes = [fbs[n].woe_table for n in names]
        contrib = [-bj * w for bj, w in zip(b, woes, strict=True)]  # ln(odds_good) pieces
        if isinstance(scaling, FixedRange):
            resolved = _points.fixed_range_scaling(contrib, b0, scaling)
        else:
            resolved = scaling or Scaling()
        raw, base = _points.raw_points(contrib, b0, resolved, allocation)
        rounded, base_pts = _points.printed_points(
            raw, base, scaling if isinstance(scaling, FixedRange) else None
        )
        chars = []
        for name, bj, r, p in zip(names, b, raw, rounded, strict=True):
            fb = fbs[name]
            mean = _points.mean_points(fb, r)
            pts = tuple(None if np.isnan(rv) else int(pv) for rv, pv in zip(r, p, strict=True))
            chars.append(
                Characteristic(
                    binning=fb,
                    coefficient=float(bj),
                    points=pts,
                    raw_points=tuple(None if np.isnan(v) else float(v) for v in r),
                    mean_points=mean,
                )
            )
        meta = _training_metadata(binning, names, data, description)
        return cls(
            characteristics=tuple(chars),
            intercept=b0,
            scaling=resolved,
            allocation=allocation,
            base_points=base_pts,
            raw_base_points=float(base),
            fixed_range=scaling if isinstance(scaling, FixedRange) else None,
            reason_catalog=reason_catalog or ReasonCatalog(),
            metadata=meta,
        )

    # --------------------------------------------------------------- accessors
    @property
    def names(self) -> tuple[str, ...]:
        """Characteristic names, in card order."""
        return tuple(c.name for c in self.characteristics)

    @property
    def coefficients(self) -> dict[str, float]:
        """``b_j`` per characteristic."""
        return {c.name: c.coefficient for c in self.characteristics}

    def __getitem__(self, name: str) -> Characteristic:
        for c in self.characteristics:
            if c.name == name:
                return c
        raise KeyError(f"no characteristic {name!r}; the card has {list(self.names)}")

    @property
    def min_score(self) -> int:
        """Lowest attainable (rounded) score."""
        return self.base_points + sum(c.min_points for c in self.characteristics)

    @property
    def max_score(self) -> int:
        """Highest attainable (rounded) score."""
        return self.base_points + sum(c.max_points for c in self.characteristics)

    @property
    def rounding_bound(self) -> float:
        """Worst-case ``abs(rounded score - unrounded score)`` over all attribute combinations."""
        total = abs(self.base_points - self.raw_base_points)
        for c in self.characteristics:
            raw, pts, refuse = c._arrays
            ok = ~refuse
            total += float(np.max(np.abs(pts[ok] - raw[ok])))
        return total

    # ------------------------------------------------------------------ scoring
    def _indices(self, data: pd.DataFrame) -> list[IntArray]:
        """Bin index of every row per characteristic: the one binning of the rows.

        A characteristic named ``"0"`` reads column ``"0"``, else the one column labelled
        ``0``; values follow the value rule, and a characteristic whose values are mostly
        unseen categories draws a DataWarning (from these same indices).
        """
        check_frame(data)
        labels = column_labels(data, self.names)
        return [
            c.binning.bin_index(data[label])
            for c, label in zip(self.characteristics, labels, strict=True)
        ]

    def _lookups(
        self, data: pd.DataFrame, indices: Mapping[str, IntArray] | None = None
    ) -> Iterator[tuple[Characteristic, IntArray]]:
        """Each characteristic with the bin index of every row (refusals checked).

        ``indices`` (bin index per characteristic, e.g. from ``Binning.transform(data,
        "index")``) saves binning the same rows twice.
        """
        idx = self._indices(data) if indices is None else [indices[n] for n in self.names]
        for c, ix in zip(self.characteristics, idx, strict=True):
            refuse = c._arrays[2]
            if refuse.any():
                hit = refuse[ix]
                if hit.any():
                    column = data[column_labels(data, [c.name])[0]]
                    vals = column.to_numpy(dtype=object)[hit][:5].tolist()
                    raise DataError(
                        f"column {c.name!r}: {int(hit.sum())} value(s) fall in an empty bin or "
                        f"are unseen categories (e.g. {vals}) and the characteristic's "
                        "treatment is 'error'"
                    )
            yield c, ix

    def _gather(self, data: pd.DataFrame) -> tuple[IntArray, FloatArray]:
        """Integer points and unrounded points, one column per characteristic."""
        n = len(data)
        k = len(self.characteristics)
        pts = np.empty((n, k), dtype=np.int64)
        raw = np.empty((n, k), dtype=np.float64)
        for j, (c, ix) in enumerate(self._lookups(data)):
            r, p, _ = c._arrays
            pts[:, j] = p[ix]
            raw[:, j] = r[ix]
        return pts, raw

    def _totals(
        self, data: pd.DataFrame, indices: Mapping[str, IntArray] | None = None
    ) -> tuple[IntArray, FloatArray]:
        """Score and unrounded score in one pass, summed as vectors (no n x k matrix)."""
        pts = np.full(len(data), self.base_points, dtype=np.int64)
        raw = np.full(len(data), self.raw_base_points, dtype=np.float64)
        for c, ix in self._lookups(data, indices):
            r, p, _ = c._arrays
            pts += p[ix]
            raw += r[ix]
        return pts, raw

    def score_and_pd(
        self, data: pd.DataFrame, indices: Mapping[str, IntArray] | None = None
    ) -> tuple[IntArray, FloatArray]:
        """The score and the PD it stands for: what a decision uses (one pass over the data).

        The score is :meth:`score` (the sum of the printed points); the PD is that score's
        PD on the card's scaling, ``scaling.pd_from_score(score)``.  **One number decides:**
        a credit policy grades on the score, so the PD it reports and uses for expected
        loss must be the PD of that same score; then an applicant's PD always lies in the PD
        band of its grade, and score, grade and PD tell one story.  It differs from the
        model's unrounded PD (:meth:`predict_pd`) by at most the card's
        :attr:`rounding_bound` in score points.

        ``indices`` (bin index per characteristic, e.g. from
        ``Binning.bin_indices(data)``) saves binning the same rows twice.

        Examples
        --------
        >>> from scorecard import fit_scorecard
        >>> from scorecard.datasets import load_german_credit
        >>> df = load_german_credit()
        >>> card = fit_scorecard(df, "bad", seed=0).scorecard
        >>> score, pd_ = card.score_and_pd(df.head(3))
        >>> bool((pd_ == card.scaling.pd_from_score(score)).all())
        True
        >>> gap = abs(card.scaling.score_from_pd(card.predict_pd(df.head(3))) - score)
        >>> bool((gap <= card.rounding_bound + 1e-9).all())
        True
        """
        pts, _ = self._totals(data, indices)
        return pts, self.scaling.pd_from_score(pts)

    def points(self, data: pd.DataFrame) -> pd.DataFrame:
        """Integer points per characteristic (and ``base`` if any), same index as ``data``."""
        pts, _ = self._gather(data)
        out = pd.DataFrame(pts, columns=list(self.names), index=data.index)
        if self.allocation != "spread":
            out["base"] = self.base_points
        return out

    def score(self, data: pd.DataFrame) -> IntArray:
        """Total score: the sum of the printed points (higher = lower risk)."""
        pts = np.full(len(data), self.base_points, dtype=np.int64)
        for c, ix in self._lookups(data):
            pts += c._arrays[1][ix]
        return pts

    def unseen_share(
        self, data: pd.DataFrame, indices: Mapping[str, IntArray] | None = None
    ) -> pd.Series:
        """Share of each characteristic's values that are categories unseen in training.

        For monitoring the data a card scores: an unseen category gets the
        characteristic's stored treatment (neutral or worst points), so a share that grows
        means points given by the treatment rather than by the data.  Scoring warns
        (:class:`~scorecard.exceptions.DataWarning`) when the share of a batch exceeds one
        half; this method reports every share.  ``indices`` (bin index per characteristic,
        e.g. from ``Binning.bin_indices(data)``, as for :meth:`score_and_pd`) saves
        binning the rows again.  Numeric characteristics have no unseen values (0.0).

        Examples
        --------
        >>> import pandas as pd
        >>> from scorecard import fit_scorecard
        >>> from scorecard.datasets import load_german_credit
        >>> card = fit_scorecard(load_german_credit(), "bad", seed=0).scorecard
        >>> rows = load_german_credit().head(4).assign(purpose=["car (new)", "boat", "?", None])
        >>> float(card.unseen_share(rows)["purpose"])
        0.5
        """
        if indices is None:
            check_frame(data)
            labels = column_labels(data, self.names)
            shares = [
                c.binning.unseen_share(data[label])
                for c, label in zip(self.characteristics, labels, strict=True)
            ]
        else:
            shares = [share_unseen(np.asarray(indices[n])) for n in self.names]
        return pd.Series(shares, index=list(self.names), name="unseen_share", dtype=np.float64)

    def raw_score(self, data: pd.DataFrame) -> FloatArray:
        """Unrounded score, ``offset + factor * ln(odds_good)``."""
        return self._totals(data)[1]

    def log_odds(self, data: pd.DataFrame) -> FloatArray:
        """``ln(P(bad)/P(good)) = b0 + sum_j b_j WOE_j`` (from the unrounded points)."""
        return -self.scaling.log_odds_good_from_score(self.raw_score(data))

    def predict_pd(self, data: pd.DataFrame) -> FloatArray:
        """Probability of bad, from the unrounded linear predictor."""
        return self.scaling.pd_from_score(self.raw_score(data))

    # ------------------------------------------------------------- one applicant
    @functools.cached_property
    def _record(self) -> RecordScorer:
        """The card compiled for :meth:`score_record` (once per card: it is frozen)."""
        return RecordScorer(
            self.characteristics,
            self.base_points,
            self.raw_base_points,
            self.scaling,
            self.reason_catalog,
            self._baselines,
            (self.min_score, self.max_score),
        )

    def score_record(
        self, record: Mapping[str, Any], *, reasons: int = 0, baseline: Baseline = "max"
    ) -> RecordScore:
        """Score one applicant given as a mapping: the online path, in plain Python.

        Exactly the numbers of the batch methods on a frame of the same values
        (:meth:`score_and_pd`, :meth:`raw_score`, :meth:`predict_pd`, :meth:`reason_codes`),
        without pandas: a few lookups per characteristic in tables compiled on the first
        call and kept (the card is frozen: one card serves every thread).  Values follow
        the batch path's rule: ``None``, NaN, ``pd.NA`` and ``pd.NaT`` are missing; numeric
        characteristics take real numbers (``bool``, ``int``, ``float``, numpy scalars,
        ``Decimal``); categorical ones read ``str(value)`` as the level.

        Parameters
        ----------
        record : mapping field -> value
            Must hold every characteristic (:attr:`names`); other fields are ignored.
        reasons : int
            How many reason codes to rank (default 0: none).
        baseline : {"max", "neutral", "mean"}
            What points are compared with for reasons (see :meth:`reason_codes`).

        Returns
        -------
        RecordScore
            Score, its PD, model PD, raw score, reasons, each characteristic's attribute
            and points, and which characteristics were missing, special or unseen.

        Raises
        ------
        DataError
            A characteristic is absent (all are named), a numeric value is not a finite
            number, or a value falls in a bin whose treatment is ``"error"``.
        SpecificationError
            ``reasons`` is not an integer >= 0, or ``baseline`` is unknown.

        Examples
        --------
        >>> from scorecard import fit_scorecard
        >>> from scorecard.datasets import load_german_credit
        >>> df = load_german_credit()
        >>> card = fit_scorecard(df, "bad", seed=0).scorecard
        >>> r = card.score_record(df.drop(columns="bad").iloc[3].to_dict(), reasons=3)
        >>> r.score, r.reasons
        (481, ('status_of_existing_checking_account', 'credit_amount', 'duration_in_month'))
        >>> score, pd_ = card.score_and_pd(df.iloc[[3]])
        >>> (r.score, r.pd) == (score[0], pd_[0])
        True
        """
        return self._record.score(record, reasons, baseline)

    # ------------------------------------------------------------------ reasons
    def _neutral_raw(self, c: Characteristic) -> float:
        """Unrounded points of WOE = 0 for a characteristic."""
        n = len(self.characteristics)
        base = self.scaling.offset - self.scaling.factor * self.intercept
        if self.allocation == "spread":
            return base / n
        if self.allocation == "base":
            return 0.0
        woes = c.binning.woe_table
        return -float(np.nanmin(-self.scaling.factor * c.coefficient * woes))

    def reason_table(
        self, data: pd.DataFrame, n: int = 4, baseline: Baseline = "max"
    ) -> pd.DataFrame:
        """Long table of the top ``n`` reasons per row.

        Columns: row (position), rank, characteristic, attribute (bin label),
        points, baseline, shortfall, code, text.  A characteristic is a reason
        when its points fall below its baseline; reasons are ranked by the
        shortfall (ties: card order).
        """
        reasons.check_request(n, baseline)
        indices = [ix for _, ix in self._lookups(data)]  # bin once: points and labels
        points = np.column_stack(
            [c._arrays[1][ix] for c, ix in zip(self.characteristics, indices, strict=True)]
        )
        labels = [
            np.asarray([*c.binning.labels, "Unseen"], dtype=object) for c in self.characteristics
        ]
        return reasons.reason_table(
            self.names, labels, indices, points, self._baselines(baseline), self.reason_catalog, n
        )

    def reason_codes(
        self, data: pd.DataFrame, n: int = 4, baseline: Baseline = "max"
    ) -> pd.DataFrame:
        """Top ``n`` reason codes per row, as columns ``reason_1..reason_n`` (None if fewer).

        Baselines: ``"max"`` (the characteristic's maximum points), ``"neutral"``
        (points of WOE 0) or ``"mean"`` (the training rows' mean of the printed points,
        from the bin counts).  A cell without a reason is ``None`` (the columns have dtype
        object).
        """
        return reasons.wide_codes(self.reason_table(data, n, baseline), n, data.index)

    def _baselines(self, baseline: Baseline) -> FloatArray:
        """Points each characteristic is compared with: its max, its neutral (WOE 0) or the
        training mean of its printed points (``mean_points`` is that of the unrounded
        points, kept in the artifact for reference)."""
        out = []
        for c in self.characteristics:
            if baseline == "max":
                out.append(float(c.max_points))
            elif baseline == "neutral":
                out.append(float(round_half_up(np.asarray([self._neutral_raw(c)]))[0]))
            else:  # the training rows' mean of the printed points (from the bin counts)
                counts = c.binning.goods + c.binning.bads
                printed = c._arrays[1][:-1]  # a bin that refuses scoring is empty: weight 0
                out.append(float(counts @ printed / counts.sum()))
        return np.asarray(out)

    # ------------------------------------------------------------------- tables
    def points_table(self) -> pd.DataFrame:
        """The printable card: characteristic, attribute, WOE, points, neutral and max points."""
        rows = []
        for c in self.characteristics:
            neutral = self._neutral_raw(c)
            labels = [*c.binning.labels, "Unseen"]
            woes = c.binning.woe_table
            for j, lab in enumerate(labels):
                if lab == "Unseen" and c.binning.kind == "numeric":
                    continue
                rows.append(
                    {
                        "characteristic": c.name,
                        "attribute": lab,
                        "woe": float(woes[j]),
                        "coefficient": c.coefficient,
                        "raw_points": c.raw_points[j],
                        "points": c.points[j],
                        "neutral_points": neutral,
                        "max_points": c.max_points,
                    }
                )
        if self.allocation != "spread":
            rows.append(
                {
                    "characteristic": "(base points)",
                    "attribute": "",
                    "woe": math.nan,
                    "coefficient": math.nan,
                    "raw_points": self.raw_base_points,
                    "points": self.base_points,
                    "neutral_points": math.nan,
                    "max_points": self.base_points,
                }
            )
        df = pd.DataFrame(rows)
        df["points"] = df["points"].astype("Int64")
        return df

    def summary(self) -> str:
        """A short text description of the card."""
        s = self.scaling
        return (
            f"Scorecard with {len(self.characteristics)} characteristics; "
            f"{s.base_score:g} points at {s.base_odds:g}:1 odds, PDO {s.pdo:g} "
            f"(factor {s.factor:.4f}, offset {s.offset:.4f}); scores {self.min_score} to "
            f"{self.max_score}; rounding bound {self.rounding_bound:.3f} points; "
            f"intercept allocation {self.allocation!r}"
        )

    def _repr_html_(self) -> str:
        return f"<p>{self.summary()}</p>" + str(self.points_table().to_html(index=False))

    # ------------------------------------------------------------ serialization
    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON body of the artifact."""
        return {
            "characteristics": [
                {
                    "binning": c.binning.to_dict(),
                    "coefficient": c.coefficient,
                    "points": list(c.points),
                    "raw_points": list(c.raw_points),
                    "mean_points": c.mean_points,
                }
                for c in self.characteristics
            ],
            "intercept": self.intercept,
            "scaling": self.scaling.to_dict(),
            "allocation": self.allocation,
            "base_points": self.base_points,
            "raw_base_points": self.raw_base_points,
            "fixed_range": None
            if self.fixed_range is None
            else [self.fixed_range.min_score, self.fixed_range.max_score],
            "reason_catalog": self.reason_catalog.to_dict(),
            "metadata": {
                **attrs.asdict(self.metadata),
                "bad_rate": _json.enc_float(self.metadata.bad_rate),
            },
        }

    @classmethod
    def from_dict(cls, d: Any) -> Scorecard:
        """Inverse of :meth:`to_dict`; checks the stored points against the model.

        A malformed body, or one whose meaning does not hold (see
        :meth:`_check_consistency`), raises :class:`~scorecard.exceptions.SchemaError`
        naming the field.
        """
        fields = _fields_from_body(d)
        with _json.within():
            card = cls(**fields)
        card._check_consistency()
        return card

    def _check_consistency(self) -> None:
        """The stored points must be what the model gives (loading checks this).

        See :func:`scorecard._model.points.check_points`; a failure is a
        :class:`~scorecard.exceptions.SchemaError` naming the field.
        """
        _points.check_points(self)


def _fields_from_body(d: Any) -> dict[str, Any]:
    """The fields of a :class:`Scorecard` read from a JSON body (typed, each error naming
    its field); :meth:`Scorecard.from_dict` then builds and checks the card."""
    o = _json.Obj(d)
    chars = []
    for i, c in enumerate(o.objects("characteristics")):
        with _json.within("characteristics", i):
            with _json.within("binning"):
                fb = FeatureBinning.from_dict(c.raw("binning"))
            chars.append(
                Characteristic(
                    binning=fb,
                    coefficient=c.number("coefficient"),
                    points=tuple(
                        _json.optional(v, _json.integer, "points", j)
                        for j, v in enumerate(c.array("points"))
                    ),
                    raw_points=tuple(
                        _json.optional(v, _json.number, "raw_points", j)
                        for j, v in enumerate(c.array("raw_points"))
                    ),
                    mean_points=c.number("mean_points"),
                )
            )
    fr = o.raw("fixed_range")
    with _json.within("fixed_range"):
        bounds = None if fr is None else _json.items(fr, _json.number)
        _json.check(
            bounds is None or len(bounds) == 2,
            (),
            f"expected null or [min_score, max_score], found {_json.describe(fr)}",
        )
        fixed_range = None if bounds is None else FixedRange(*bounds)
    with _json.within("scaling"):
        scaling = Scaling.from_dict(o.raw("scaling"))
    with _json.within("reason_catalog"):
        catalog = ReasonCatalog.from_dict(o.raw("reason_catalog"))
    m = o.obj("metadata")
    with _json.within("metadata"):
        meta = CardMetadata(
            library_version=m.string("library_version"),
            schema_version=m.integer("schema_version"),
            target=m.string("target"),
            n_train=m.number("n_train"),
            bad_rate=m.number("bad_rate", nonfinite=True),
            fingerprint=m.string("fingerprint"),
            description=m.string("description"),
        )
        _json.check(
            meta.schema_version <= SCHEMA_VERSION,
            ("schema_version",),
            f"expected a card of schema version {SCHEMA_VERSION} or older, found "
            f"{meta.schema_version}",
        )
    fields: dict[str, Any] = {
        "characteristics": tuple(chars),
        "intercept": o.number("intercept"),
        "scaling": scaling,
        "allocation": o.string("allocation"),
        "base_points": o.integer("base_points"),
        "raw_base_points": o.number("raw_base_points"),
        "fixed_range": fixed_range,
        "reason_catalog": catalog,
        "metadata": meta,
    }
    return fields


def _training_metadata(
    binning: Binning | Sequence[FeatureBinning],
    names: Sequence[str],
    data: pd.DataFrame | None,
    description: str,
) -> CardMetadata:
    """Provenance of a new card: its training data's size, bad rate and fingerprint."""
    meta = CardMetadata(description=description)
    if data is not None:
        df = check_frame(data, "data")
        target = binning.target if isinstance(binning, Binning) else "bad"
        check_columns(df, [*names, target], "data")
        meta = attrs.evolve(
            meta,
            target=target,
            n_train=float(len(df)),
            bad_rate=float(df[target].mean()),
            fingerprint=_fingerprint(df, [*names, target]),
        )
    elif isinstance(binning, Binning):
        first = binning.features[0]
        total = first.goods.sum() + first.bads.sum()
        meta = attrs.evolve(
            meta,
            target=binning.target,
            n_train=float(total),
            bad_rate=float(first.bads.sum() / total),
        )
    return meta
