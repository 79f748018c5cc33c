"""Points scaling: from log odds to scores.  Conventions stated once here.

* ``score = offset + factor * ln(odds_good)`` with ``odds_good = P(good) / P(bad)``;
* ``factor = pdo / ln 2`` and ``offset = base_score - factor * ln(base_odds)``;
* defaults: 600 points at 50:1 good:bad odds, 20 points to double the odds (PDO);
* higher score = lower risk, everywhere.

Checks (tested): P(bad) = 1/51 scores 600, 1/101 scores 620, 1/26 scores 580.
"""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from scorecard._core import artifact as _json
from scorecard._core.fields import number, to_number
from scorecard._core.types import FloatArray, IntArray
from scorecard.exceptions import SpecificationError


@attrs.frozen
class Scaling:
    """How log odds become points: base score at base odds, points to double the odds.

    Parameters
    ----------
    base_score : float
        Score given to an applicant whose good:bad odds equal ``base_odds``.
    base_odds : float
        Good:bad odds (``P(good)/P(bad)``) that score ``base_score``.
    pdo : float
        Points to double the odds: ``base_score + pdo`` has odds ``2 * base_odds``.

    Examples
    --------
    >>> s = Scaling()
    >>> round(s.factor, 6), round(s.offset, 4)
    (28.853901, 487.1229)
    >>> [round(float(v), 6) for v in s.score_from_pd([1 / 51, 1 / 101, 1 / 26])]
    [600.0, 620.0, 580.0]
    >>> round(float(s.pd_from_score(600)), 6)
    0.019608
    """

    base_score: float = attrs.field(default=600.0, converter=to_number, validator=number())
    base_odds: float = attrs.field(default=50.0, converter=to_number, validator=number(gt=0))
    pdo: float = attrs.field(default=20.0, converter=to_number, validator=number(gt=0))

    @property
    def factor(self) -> float:
        """Points per unit of ``ln(odds_good)``: ``pdo / ln 2``."""
        return self.pdo / math.log(2.0)

    @property
    def offset(self) -> float:
        """Score at odds 1:1: ``base_score - factor * ln(base_odds)``."""
        return self.base_score - self.factor * math.log(self.base_odds)

    def score_from_log_odds_good(self, log_odds_good: npt.ArrayLike) -> FloatArray:
        """``offset + factor * ln(odds_good)`` (unrounded)."""
        return self.offset + self.factor * np.asarray(log_odds_good, dtype=np.float64)

    def score_from_pd(self, pd: npt.ArrayLike) -> FloatArray:
        """Unrounded score of a probability of bad (0 < pd < 1)."""
        p = np.asarray(pd, dtype=np.float64)
        if np.any(~((p > 0) & (p < 1))):
            raise SpecificationError(
                "score_from_pd: expected probabilities strictly between 0 and 1, "
                f"found values in [{np.nanmin(p)!r}, {np.nanmax(p)!r}] or NaN"
            )
        return self.score_from_log_odds_good(np.log1p(-p) - np.log(p))

    def log_odds_good_from_score(self, score: npt.ArrayLike) -> FloatArray:
        """Inverse of :meth:`score_from_log_odds_good`."""
        return (np.asarray(score, dtype=np.float64) - self.offset) / self.factor

    def pd_from_score(self, score: npt.ArrayLike) -> FloatArray:
        """Probability of bad implied by a score: ``1 / (1 + exp((score - offset)/factor))``."""
        z = self.log_odds_good_from_score(score)
        out: FloatArray = 1.0 / (1.0 + np.exp(z))
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"base_score": self.base_score, "base_odds": self.base_odds, "pdo": self.pdo}

    @classmethod
    def from_dict(cls, d: Any) -> Scaling:
        """Inverse of :meth:`to_dict`; a malformed body raises SchemaError naming the field."""
        o = _json.Obj(d)
        base_score, base_odds, pdo = o.number("base_score"), o.number("base_odds"), o.number("pdo")
        with _json.within():
            return cls(base_score=base_score, base_odds=base_odds, pdo=pdo)


def round_half_up(x: FloatArray) -> IntArray:
    """Points rounding: to the nearest integer, halves up (``floor(x + 0.5)``).

    The same rule for every attribute's points, the base points and the neutral points of
    reason codes; Python's ``round`` (halves to even) is not used.

    Examples
    --------
    >>> import numpy as np
    >>> round_half_up(np.array([0.5, 1.5, -0.5, 2.49])).tolist()
    [1, 2, 0, 2]
    """
    out: IntArray = np.floor(np.asarray(x, dtype=np.float64) + 0.5).astype(np.int64)
    return out
