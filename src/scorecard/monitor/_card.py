"""What a monitoring report keeps of a card (:class:`CardView`) and the score bands.

A report does not embed the whole card (its fine classes can be large): it keeps the
characteristics' bin labels and integer points (the unseen entry last), the base
points, the attainable score range, the scaling (a score's PD) and a fingerprint of
the card's JSON, so a report can always be traced back to the card it monitored.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from scorecard._core.artifact import dumps, get
from scorecard._core.types import FloatArray, IntArray
from scorecard._model.scaling import Scaling
from scorecard._model.scorecard import Scorecard
from scorecard.exceptions import DataError, SchemaError, SpecificationError
from scorecard.policy._grades import GradeScale

__all__ = ["UNSEEN", "Bands", "CardView", "score_bands"]

KIND = "monitor_card"
#: label of the extra bin of every characteristic that holds unseen categories
UNSEEN = "Unseen"


def _fingerprint(card: Scorecard) -> str:
    return hashlib.sha256(dumps(card.to_dict()).encode("utf-8")).hexdigest()


@attrs.frozen
class CardView:
    """The parts of a :class:`~scorecard.Scorecard` that monitoring reads.

    ``labels[j]`` and ``points[j]`` list the bins of characteristic ``j`` in the card's
    order, then the unseen entry (label ``"Unseen"``); ``None`` points mark a bin that
    refuses scoring.
    """

    names: tuple[str, ...]
    kinds: tuple[str, ...]
    labels: tuple[tuple[str, ...], ...]
    points: tuple[tuple[int | None, ...], ...]
    base_points: int
    min_score: int
    max_score: int
    scaling: Scaling
    target: str
    fingerprint: str

    @classmethod
    def of(cls, card: Scorecard) -> CardView:
        """The view of ``card``."""
        if not isinstance(card, Scorecard):
            raise SpecificationError(f"card: expected a Scorecard, found {type(card).__name__}")
        chars = card.characteristics
        return cls(
            names=card.names,
            kinds=tuple(c.binning.kind for c in chars),
            labels=tuple((*c.binning.labels, UNSEEN) for c in chars),
            points=tuple(tuple(c.points) for c in chars),
            base_points=card.base_points,
            min_score=card.min_score,
            max_score=card.max_score,
            scaling=card.scaling,
            target=card.metadata.target,
            fingerprint=_fingerprint(card),
        )

    def n_bins(self, j: int) -> int:
        """Bins of characteristic ``j``, the unseen bin included."""
        return len(self.labels[j])

    def points_array(self, j: int) -> FloatArray:
        """Points per bin of characteristic ``j`` (NaN where the bin refuses scoring)."""
        return np.asarray([math.nan if p is None else p for p in self.points[j]], dtype=float)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "characteristics": [
                {"name": n, "kind": k, "labels": list(lab), "points": list(pts)}
                for n, k, lab, pts in zip(
                    self.names, self.kinds, self.labels, self.points, strict=True
                )
            ],
            "base_points": self.base_points,
            "min_score": self.min_score,
            "max_score": self.max_score,
            "scaling": self.scaling.to_dict(),
            "target": self.target,
            "fingerprint": self.fingerprint,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> CardView:
        """Inverse of :meth:`to_dict`."""
        chars = get(d, "characteristics", KIND)
        if not isinstance(chars, list) or not chars:
            raise SchemaError(f"{KIND}: expected a non-empty list of characteristics")
        try:
            return cls(
                names=tuple(str(get(c, "name", KIND)) for c in chars),
                kinds=tuple(str(get(c, "kind", KIND)) for c in chars),
                labels=tuple(tuple(str(v) for v in get(c, "labels", KIND)) for c in chars),
                points=tuple(
                    tuple(None if p is None else int(p) for p in get(c, "points", KIND))
                    for c in chars
                ),
                base_points=int(get(d, "base_points", KIND)),
                min_score=int(get(d, "min_score", KIND)),
                max_score=int(get(d, "max_score", KIND)),
                scaling=Scaling.from_dict(get(d, "scaling", KIND)),
                target=str(get(d, "target", KIND)),
                fingerprint=str(get(d, "fingerprint", KIND)),
            )
        except (TypeError, ValueError, AttributeError) as exc:
            raise SchemaError(f"{KIND}: invalid content: {exc}") from None


def _fmt(x: float) -> str:
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:g}"


@attrs.frozen
class Bands:
    """Score bands in ascending score order (the riskiest band first).

    ``edges`` are the interior edges: band ``i`` is ``[edges[i-1], edges[i])`` with
    ``-inf`` and ``inf`` at the ends.  With a grade scale the bands are its grades
    (worst first here) and a score is graded by the scale's own rule.
    """

    edges: tuple[float, ...]
    labels: tuple[str, ...]
    scale: GradeScale | None = None

    def __len__(self) -> int:
        return len(self.labels)

    def index(self, scores: npt.ArrayLike) -> IntArray:
        """Band of each score (0 = riskiest)."""
        s = np.asarray(scores, dtype=np.float64)
        if self.scale is not None:
            out: IntArray = len(self.scale) - 1 - self.scale.assign_index(s)
            return out
        return np.searchsorted(np.asarray(self.edges, dtype=float), s, side="right").astype(
            np.int64
        )

    def bounds(self) -> tuple[FloatArray, FloatArray]:
        """Lower and upper edge of every band."""
        e = np.asarray(self.edges, dtype=float)
        return np.r_[-np.inf, e], np.r_[e, np.inf]


def score_bands(
    spec_bands: Any,
    values: npt.ArrayLike,
    baseline_rows: npt.ArrayLike,
    scale: GradeScale | None,
) -> Bands:
    """Resolve ``MonitorSpec.score_bands`` on the baseline's score distribution.

    ``values`` are the distinct scores (ascending) and ``baseline_rows`` the baseline's
    rows at each.  Quantile bands: a score level goes to band ``floor(k * mid)`` where
    ``mid`` is the baseline share below the level plus half its own share (the rule of
    ``gains_table``); a band starts at its lowest baseline score.
    """
    v = np.asarray(values, dtype=np.float64)
    if isinstance(spec_bands, str):
        if scale is None:
            raise SpecificationError(
                "MonitorSpec.score_bands: expected a grade scale (scale=...) for "
                "score_bands='grades', found none"
            )
        cuts = tuple(float(c) for c in scale.cutoffs[::-1])
        return Bands(cuts, tuple(scale.names[::-1]), scale)
    if isinstance(spec_bands, tuple):
        edges = spec_bands
    else:
        n = np.asarray(baseline_rows, dtype=np.float64)
        keep = n > 0
        if not keep.any():
            raise DataError("baseline: expected at least one scored row, found none")
        vk, nk = v[keep], n[keep]
        mid = (np.cumsum(nk) - nk / 2.0) / nk.sum()
        band = np.minimum((mid * spec_bands).astype(np.int64), spec_bands - 1)
        starts = np.flatnonzero(np.diff(band) > 0) + 1
        edges = tuple(float(x) for x in vk[starts])
    lo, hi = np.r_[-np.inf, edges], np.r_[edges, np.inf]
    labels = tuple(f"[{_fmt(a)}, {_fmt(b)})" for a, b in zip(lo, hi, strict=True))
    return Bands(tuple(edges), labels, None)
