"""MonitorSpec: the options of a monitoring run (bands, thresholds, test levels)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any, Literal

import attrs

from scorecard._core.artifact import dec_float, get
from scorecard._core.fields import (
    fail,
    integer,
    number,
    one_of,
    optional,
    to_integer,
    to_number,
    to_optional_number,
)
from scorecard.exceptions import SchemaError

__all__ = ["MonitorSpec"]

KIND = "monitor_spec"


def _to_bands(value: Any) -> Any:
    if isinstance(value, bool | str):
        return value
    value = to_integer(value)
    if isinstance(value, int):
        return value
    if isinstance(value, list | tuple):
        return tuple(to_number(v) for v in value)
    try:  # a 1-d array
        return tuple(to_number(v) for v in value.tolist())
    except AttributeError:
        return value


def _check_bands(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    expected = (
        "an integer >= 2 (quantile bands of the baseline scores), a non-empty sequence of "
        "strictly increasing finite score edges, or 'grades'"
    )
    if value == "grades" and isinstance(value, str):
        return
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 2:
            fail(instance, attribute, expected, value)
        return
    if not isinstance(value, tuple) or not value:
        fail(instance, attribute, expected, value)
    ok = all(isinstance(v, float) and math.isfinite(v) for v in value) and all(
        a < b for a, b in itertools.pairwise(value)
    )
    if not ok:
        fail(instance, attribute, expected, value)


def _prob(*, closed: bool = False) -> Any:
    return number(gt=0, le=1) if closed else number(gt=0, lt=1)


@attrs.frozen
class MonitorSpec:
    """How a card is monitored: score bands, status thresholds and test levels.

    Parameters
    ----------
    score_bands : int, sequence of float or "grades", default 10
        Bands of the score for its PSI, its event-rate tests and, without a grade
        scale, its calibration.  An int: that many bands of (about) equal share of the
        *baseline* scores, cut between distinct scores so ties stay together.  A
        sequence: interior edges ``e_1 < ... < e_k`` giving ``(-inf, e_1), [e_1, e_2),
        ..., [e_k, inf)``.  ``"grades"``: the grades of the scale passed to
        :func:`~scorecard.monitor.monitor` (the scale's own grading rule).
    psi_amber, psi_red : float, default 0.10 and 0.25
        The rule-of-thumb PSI thresholds: the size of a shift is *small* below
        ``psi_amber``, *moderate* up to ``psi_red`` and *large* from it on.
    psi_alpha : float or None, default 0.05
        Level of the PSI's significance test (chi-square approximation, Yurdakul 2018).
        With a level, a PSI within sampling noise is green whatever its size, a
        significant one is amber, and red from ``psi_red`` on; the characteristics'
        p-values are Holm-adjusted within each period.  ``None`` keeps the classic
        rule (green < ``psi_amber`` <= amber < ``psi_red`` <= red).
    smoothing : float, default 0.5
        The zero-count rule of the PSI (the one of WOE): a bin with rows in one sample
        only gets ``smoothing`` added to both of its counts.  Must be > 0.
    amber, red : float, default 0.05 and 0.01
        Traffic lights of every other test (event rates per bin after Holm's
        adjustment, the drop of AUC and KS, calibration, migration, vintages): red if
        ``p < red``, amber if ``p < amber``.
    min_expected : float, default 5
        Below this expected count in a bin's 2 x 2 table the event-rate test is Fisher's
        exact test instead of Pearson's chi-square.
    confidence : float, default 0.95
        Level of the confidence intervals of AUC, Gini and KS.
    n_bootstrap : int, default 200
        Bootstrap replicates of the KS (0: no KS interval).
    seed : int, default 0
        Seed of the bootstrap (the same seed gives the same report, byte for byte).
    cutoff : float or None, default None
        Score below which an applicant counts as *predicted bad* in the classification
        rates; ``None``: the score whose PD is 0.5 (what optbinning's ``predict`` uses).
    calibration_test : {"jeffreys", "binomial"}, default "jeffreys"
        The per-grade test that sets the calibration traffic lights.
    pd_source : {"score", "grade"}, default "score"
        Predicted PD of a grade: ``"score"`` = the mean PD of the scores in it (what the
        card predicts for these rows); ``"grade"`` = the scale's assigned grade PD (a
        master scale's calibration).

    Examples
    --------
    >>> MonitorSpec().psi_red
    0.25
    >>> MonitorSpec(score_bands=[500, 550, 600]).score_bands
    (500.0, 550.0, 600.0)
    >>> MonitorSpec(psi_amber=0.3)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    scorecard.exceptions.SpecificationError: MonitorSpec.psi_red: expected a number > ...
    """

    score_bands: int | tuple[float, ...] | Literal["grades"] = attrs.field(
        default=10, converter=_to_bands, validator=_check_bands
    )
    psi_amber: float = attrs.field(default=0.10, converter=to_number, validator=number(gt=0))
    psi_red: float = attrs.field(default=0.25, converter=to_number, validator=number(gt=0))
    psi_alpha: float | None = attrs.field(
        default=0.05, converter=to_optional_number, validator=optional(_prob())
    )
    smoothing: float = attrs.field(default=0.5, converter=to_number, validator=number(gt=0))
    amber: float = attrs.field(default=0.05, converter=to_number, validator=_prob())
    red: float = attrs.field(default=0.01, converter=to_number, validator=_prob())
    min_expected: float = attrs.field(default=5.0, converter=to_number, validator=number(ge=0))
    confidence: float = attrs.field(default=0.95, converter=to_number, validator=_prob())
    n_bootstrap: int = attrs.field(default=200, converter=to_integer, validator=integer(ge=0))
    seed: int = attrs.field(default=0, converter=to_integer, validator=integer(ge=0))
    cutoff: float | None = attrs.field(
        default=None, converter=to_optional_number, validator=optional(number())
    )
    calibration_test: Literal["jeffreys", "binomial"] = attrs.field(
        default="jeffreys", validator=one_of(("jeffreys", "binomial"))
    )
    pd_source: Literal["score", "grade"] = attrs.field(
        default="score", validator=one_of(("score", "grade"))
    )

    def __attrs_post_init__(self) -> None:
        if self.psi_red <= self.psi_amber:
            fail(
                self,
                attrs.fields(MonitorSpec).psi_red,
                f"a number > psi_amber ({self.psi_amber!r})",
                self.psi_red,
            )
        if self.red > self.amber:
            fail(
                self, attrs.fields(MonitorSpec).red, f"a number <= amber ({self.amber!r})", self.red
            )

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        out = attrs.asdict(self)
        if isinstance(self.score_bands, tuple):
            out["score_bands"] = list(self.score_bands)
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> MonitorSpec:
        """Inverse of :meth:`to_dict`."""
        if not isinstance(d, Mapping):
            raise SchemaError(f"{KIND}: expected an object, found {type(d).__name__}")
        fields = {f.name for f in attrs.fields(cls)}
        unknown = sorted(set(d) - fields)
        if unknown:
            raise SchemaError(f"{KIND}: unknown fields {unknown}")
        values = {name: get(d, name, KIND) for name in fields}
        bands = values["score_bands"]
        if isinstance(bands, list):
            values["score_bands"] = tuple(dec_float(v) for v in bands)
        return cls(**values)
