"""A card's points: from WOE, coefficients, intercept, scaling and allocation to points.

One set of functions builds the points of a new card (``Scorecard.from_model``) and checks
the points of a loaded one (:func:`check_points`), so the rule cannot drift between the two:

* ``contrib_j = -b_j * WOE_j`` per bin (then unseen), NaN where a bin refuses scoring;
* unrounded points ``factor * contrib_j`` plus, by allocation, ``(offset - factor * b0) / n``
  (``"spread"``) or nothing, the intercept going to a base-points line (``"base"``), each
  characteristic then shifted to start at 0 (``"shift"``);
* printed points: the unrounded points rounded half up; for a card scaled to a fixed range
  the extreme attributes are then nudged by whole points (:func:`hit_range`) so that the
  printed card attains both ends;
* ``mean_points``: the count-weighted mean of a characteristic's unrounded points.

The conventions themselves are stated in :mod:`scorecard._model.scorecard` and
:mod:`scorecard._model.scaling`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from scorecard._core import artifact as _json
from scorecard._core.types import FloatArray, IntArray
from scorecard._model.scaling import Scaling, round_half_up
from scorecard.exceptions import SpecificationError

__all__ = [
    "check_points",
    "fixed_range_scaling",
    "hit_range",
    "mean_points",
    "printed_points",
    "raw_points",
]

#: tolerance of the points check, in points (well below the rounding to whole points)
POINTS_TOL = 1e-6


class Range(Protocol):
    """The fixed range a card is scaled to (``FixedRange``)."""

    @property
    def min_score(self) -> float: ...
    @property
    def max_score(self) -> float: ...


class Counts(Protocol):
    """What the points need of a feature's binning: counts per bin, WOE per bin and unseen."""

    @property
    def goods(self) -> FloatArray: ...
    @property
    def bads(self) -> FloatArray: ...
    @property
    def woe_table(self) -> FloatArray: ...


class Points(Protocol):
    """One characteristic as the check reads it (``Characteristic``)."""

    @property
    def name(self) -> str: ...
    @property
    def binning(self) -> Counts: ...
    @property
    def coefficient(self) -> float: ...
    @property
    def points(self) -> tuple[int | None, ...]: ...
    @property
    def raw_points(self) -> tuple[float | None, ...]: ...
    @property
    def mean_points(self) -> float: ...


class Card(Protocol):
    """A card as the check reads it (``Scorecard``)."""

    @property
    def characteristics(self) -> Sequence[Points]: ...
    @property
    def intercept(self) -> float: ...
    @property
    def scaling(self) -> Scaling: ...
    @property
    def allocation(self) -> str: ...
    @property
    def base_points(self) -> int: ...
    @property
    def raw_base_points(self) -> float: ...
    @property
    def fixed_range(self) -> Range | None: ...


def mean_points(binning: Counts, raw: FloatArray) -> float:
    """Training mean of the unrounded points (the ``"mean"`` reason baseline), from counts."""
    counts = binning.goods + binning.bads
    return float(np.nansum(counts * raw[:-1]) / counts.sum())


def fixed_range_scaling(contrib: Sequence[FloatArray], b0: float, rng: Range) -> Scaling:
    """The scaling that maps the model's attainable log odds onto ``rng`` exactly."""
    lo = -b0 + sum(float(np.nanmin(c)) for c in contrib)
    hi = -b0 + sum(float(np.nanmax(c)) for c in contrib)
    if not hi > lo:
        raise SpecificationError("FixedRange: the model's scores do not vary")
    factor = (rng.max_score - rng.min_score) / (hi - lo)
    offset = rng.min_score - factor * lo
    return Scaling(
        base_score=offset + factor * math.log(50.0),
        base_odds=50.0,
        pdo=factor * math.log(2.0),
    )


def raw_points(
    contrib: Sequence[FloatArray], b0: float, scaling: Scaling, allocation: str
) -> tuple[list[FloatArray], float]:
    """Unrounded points per characteristic (bins, then unseen) and base points.

    ``contrib[j]`` is ``-b_j * WOE_j`` per bin (NaN where a bin refuses scoring).
    """
    factor, offset = scaling.factor, scaling.offset
    n = len(contrib)
    raw = [factor * c for c in contrib]
    base = offset - factor * b0
    if allocation == "spread":
        raw = [r + base / n for r in raw]
        base = 0.0
    elif allocation == "shift":
        mins = [float(np.nanmin(r)) for r in raw]
        raw = [r - m for r, m in zip(raw, mins, strict=True)]
        base += sum(mins)
    return raw, base


def printed_points(
    raw: Sequence[FloatArray], base: float, rng: Range | None
) -> tuple[list[IntArray], int]:
    """Integer points: the raw points rounded half up, then the fixed-range nudges."""
    rounded = [
        np.where(np.isnan(r), 0, round_half_up(np.nan_to_num(r))).astype(np.int64) for r in raw
    ]
    base_pts = int(round_half_up(np.asarray([base]))[0])
    if rng is not None:
        rounded, base_pts = hit_range(rounded, raw, base_pts, rng)
    return rounded, base_pts


def hit_range(
    rounded: Sequence[IntArray], raw: Sequence[FloatArray], base: int, rng: Range
) -> tuple[list[IntArray], int]:
    """Nudge extreme attributes by whole points so the rounded card spans ``rng`` exactly.

    The lowest (then the highest) attribute of one characteristic after another moves
    by one point toward the target, only while it stays that characteristic's extreme,
    so the order of every characteristic's points is kept.
    """
    out = [r.copy() for r in rounded]
    scoreable = [~np.isnan(r) for r in raw]
    for which, goal in (("min", rng.min_score), ("max", rng.max_score)):
        pick = np.min if which == "min" else np.max
        gap = int(goal) - base - sum(int(pick(p[ok])) for p, ok in zip(out, scoreable, strict=True))
        step = 1 if gap > 0 else -1
        idle = 0  # characteristics visited in a row without a move
        j = 0
        while gap != 0:
            p, ok = out[j % len(out)], scoreable[j % len(out)]
            vals = p[ok]
            ext = int(pick(vals))
            others = vals[vals != ext]
            new = ext + step
            stays_extreme = others.size > 0 and (
                new < others.min() if which == "min" else new > others.max()
            )
            if stays_extreme:
                p[(p == ext) & ok] = new
                gap -= step
                idle = 0
            else:
                idle += 1
                if idle > len(out):
                    raise SpecificationError(
                        f"FixedRange: cannot make the rounded card attain {rng.min_score:g} "
                        f"to {rng.max_score:g}"
                    )
            j += 1
    return out, base


def _close(a: float, b: float, abs_tol: float = POINTS_TOL) -> bool:
    return math.isclose(a, b, rel_tol=_json.REL_TOL, abs_tol=abs_tol)


def check_points(card: Card) -> None:
    """Refuse a card whose points are not what its model gives.

    From each characteristic's WOE table (recomputed from its counts), its coefficient,
    the intercept, the scaling and the allocation, the unrounded points are recomputed
    and must be stored (to :data:`POINTS_TOL` points), ``null`` exactly where the WOE is
    NaN (bins that refuse scoring); ``mean_points`` must be their count-weighted mean;
    the printed points must be the stored unrounded points rounded half up (and nudged,
    for a card scaled to a fixed range, whose scaling must then be the one the range
    gives); the base points likewise.

    Raises
    ------
    SchemaError
        Naming the field (``characteristics[i].raw_points[j]``, ``base_points``...), what
        the file has and what the model gives.
    """
    chars = card.characteristics
    b0 = card.intercept
    contrib = [-c.coefficient * c.binning.woe_table for c in chars]
    rng = card.fixed_range
    if rng is not None:
        expected = fixed_range_scaling(contrib, b0, rng)
        for f in ("base_score", "base_odds", "pdo"):
            a, b = getattr(card.scaling, f), getattr(expected, f)
            _json.check(
                _close(a, b, _json.ABS_TOL),
                ("scaling", f),
                f"the scaling does not follow from the fixed range and the model: the file has "
                f"{a!r}, the fixed range [{rng.min_score:g}, {rng.max_score:g}] gives {b!r}",
            )
    raw, base = raw_points(contrib, b0, card.scaling, card.allocation)
    stored = [np.asarray([np.nan if v is None else v for v in c.raw_points]) for c in chars]
    for i, (c, want, have) in enumerate(zip(chars, raw, stored, strict=True)):
        for j, (w, h) in enumerate(zip(want.tolist(), have.tolist(), strict=True)):
            where = ("characteristics", i, "raw_points", j)
            if math.isnan(w) or math.isnan(h):
                _json.check(
                    math.isnan(w) and math.isnan(h),
                    where,
                    f"the points of characteristic {c.name!r} do not follow from its WOE: "
                    + (
                        f"expected null (the bin refuses scoring: its WOE is NaN), found {h!r}"
                        if math.isnan(w)
                        else f"expected {w!r} (the bin scores), found null"
                    ),
                )
                continue
            _json.check(
                _close(h, w),
                where,
                f"the stored raw points {h!r} of characteristic {c.name!r} do not follow from "
                "its WOE, its coefficient, the intercept, the scaling and the allocation, which "
                f"give {w!r} (edited or corrupted artifact)",
            )
        mean = mean_points(c.binning, have)
        _json.check(
            _close(c.mean_points, mean),
            ("characteristics", i, "mean_points"),
            f"the stored mean points {c.mean_points!r} of characteristic {c.name!r} do not "
            f"follow from its counts and raw points, which give {mean!r}",
        )
    _json.check(
        _close(card.raw_base_points, base),
        ("raw_base_points",),
        f"the stored raw base points {card.raw_base_points!r} do not follow from the intercept, "
        f"the scaling and the allocation {card.allocation!r}, which give {base!r}",
    )
    printed, base_pts = printed_points(stored, card.raw_base_points, rng)
    how = "rounded half up" + ("" if rng is None else " and nudged to the fixed range")
    for i, (c, want_pts) in enumerate(zip(chars, printed, strict=True)):
        for j, (p, w) in enumerate(zip(c.points, want_pts.tolist(), strict=True)):
            _json.check(
                p is None or p == w,
                ("characteristics", i, "points", j),
                f"the printed points {p} of characteristic {c.name!r} do not follow from its "
                f"raw points {c.raw_points[j]!r} {how}, which give {w}",
            )
    _json.check(
        card.base_points == base_pts,
        ("base_points",),
        f"the base points {card.base_points} do not follow from the raw base points "
        f"{card.raw_base_points!r} {how}, which give {base_pts}",
    )
