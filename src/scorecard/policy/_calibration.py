"""Calibration tests of a master scale: are the assigned PDs borne out by defaults?

Per grade ``i`` with ``N_i`` obligors, ``D_i`` defaults and assigned (floored) PD ``p_i``:

* exact binomial test, upper tail: ``P(X >= D_i)`` for ``X ~ Binomial(N_i, p_i)``;
* Jeffreys test (as in the ECB's instructions for reporting the validation results
  of internal models): ``F(p_i)`` where ``F`` is the CDF of the Jeffreys posterior
  ``Beta(D_i + 1/2, N_i - D_i + 1/2)``, i.e. ``P(true PD <= p_i | data)``.

Both are one-sided against *underestimation*: the null hypothesis is that the
true PD is at most the assigned PD, and a small p-value says there are more
defaults than the assigned PD explains.  An over-conservative PD is not flagged.

Traffic light (defaults; configurable): ``red`` if ``p < 0.01``, ``amber`` if
``0.01 <= p < 0.05``, ``green`` if ``p >= 0.05``, computed from the Jeffreys p-value
(or the binomial one with ``test="binomial"``); ``n/a`` for an empty grade.

Across grades: the Hosmer-Lemeshow statistic
``HL = sum_i (D_i - N_i p_i)^2 / (N_i p_i (1 - p_i))`` over non-empty grades, with
``k - hl_ddof`` degrees of freedom (``k`` non-empty grades; ``hl_ddof = 0`` because
the PDs of a master scale are fixed in advance, not fitted to this sample); a check
that observed default rates never fall from a better grade to a worse one; and
concentration: the Herfindahl index ``sum_i s_i^2`` of the grade shares ``s_i`` and
the grades whose share exceeds ``max_share`` (default 20 %).

Worked check (tested): ``N = 500, D = 8, p = 1 %`` gives a Jeffreys p-value of
0.0953 and a binomial ``P(X >= 8)`` of 0.1323: green at the 5 % level.
"""

from __future__ import annotations

import html
import itertools
import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd
from pandas import DataFrame

from scorecard._core import artifact as _json
from scorecard._core.artifact import enc_float
from scorecard._core.types import FloatArray
from scorecard._core.validation import binary_flag, float_vector
from scorecard.exceptions import DataError, SpecificationError
from scorecard.policy._grades import GradeScale

__all__ = [
    "CalibrationReport",
    "binomial_pvalue",
    "calibrate",
    "calibrate_counts",
    "jeffreys_pvalue",
]

SCHEMA_VERSION = 1
KIND = "calibration_report"

CalibrationTest = Literal["jeffreys", "binomial"]
TESTS: tuple[str, ...] = ("jeffreys", "binomial")
#: Traffic-light defaults: red below 1 %, amber below 5 %, green otherwise.
DEFAULT_AMBER = 0.05
DEFAULT_RED = 0.01
#: Default concentration limit: a grade holding more than 20 % of the obligors is flagged.
DEFAULT_MAX_SHARE = 0.20


# --------------------------------------------------------------------------- the tests


def binomial_pvalue(n: npt.ArrayLike, d: npt.ArrayLike, pd_: npt.ArrayLike) -> FloatArray:
    """Exact one-sided binomial p-value ``P(X >= d)``, ``X ~ Binomial(n, pd_)``.

    NaN where ``n == 0``.

    Examples
    --------
    >>> round(float(binomial_pvalue(500, 8, 0.01)), 4)
    0.1323
    """
    from scipy import stats

    n_a, d_a, p_a = np.broadcast_arrays(
        np.asarray(n, dtype=np.float64),
        np.asarray(d, dtype=np.float64),
        np.asarray(pd_, dtype=np.float64),
    )
    out = np.asarray(stats.binom.sf(d_a - 1, n_a, p_a), dtype=np.float64)
    return np.where(n_a > 0, out, np.nan)


def jeffreys_pvalue(n: npt.ArrayLike, d: npt.ArrayLike, pd_: npt.ArrayLike) -> FloatArray:
    """Jeffreys test p-value: the ``Beta(d + 1/2, n - d + 1/2)`` CDF at ``pd_``.

    That is the posterior probability, under the Jeffreys prior ``Beta(1/2, 1/2)``,
    that the true PD is at most ``pd_``.  NaN where ``n == 0``.

    Examples
    --------
    >>> round(float(jeffreys_pvalue(500, 8, 0.01)), 4)
    0.0953
    """
    from scipy import stats

    n_a, d_a, p_a = np.broadcast_arrays(
        np.asarray(n, dtype=np.float64),
        np.asarray(d, dtype=np.float64),
        np.asarray(pd_, dtype=np.float64),
    )
    safe_b = np.where(n_a > 0, n_a - d_a + 0.5, 1.0)
    out = np.asarray(stats.beta.cdf(p_a, d_a + 0.5, safe_b), dtype=np.float64)
    return np.where(n_a > 0, out, np.nan)


def _traffic_light(p: FloatArray, amber: float, red: float) -> tuple[str, ...]:
    status = np.where(p < red, "red", np.where(p < amber, "amber", "green"))
    status = np.where(np.isnan(p), "n/a", status)
    return tuple(str(s) for s in status)


# --------------------------------------------------------------------------- validators


def _to_tuple(value: Any) -> Any:
    if isinstance(value, str):
        return value  # refused by the validator
    try:
        return tuple(value)
    except TypeError:
        return value


def _to_int_tuple(value: Any) -> Any:
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        return value
    if arr.ndim != 1 or arr.dtype.kind not in "iuf":
        return value
    if arr.dtype.kind == "f" and not np.all(np.isfinite(arr) & (arr == np.round(arr))):
        return value
    return tuple(int(v) for v in arr)


def _to_float_tuple(value: Any) -> Any:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return value
    if arr.ndim != 1:
        return value
    return tuple(float(v) for v in arr)


def _check_names(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, tuple) or not all(isinstance(v, str) and v for v in value):
        raise SpecificationError(
            f"CalibrationReport.grades: expected a sequence of non-empty grade names, found "
            f"{value!r}"
        )
    if len(value) == 0:
        raise SpecificationError("CalibrationReport.grades: expected at least one grade, found 0")
    if len(set(value)) != len(value):
        raise SpecificationError(
            f"CalibrationReport.grades: expected unique grade names, found {list(value)}"
        )


def _check_counts(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    field = f"CalibrationReport.{attribute.name}"
    if not isinstance(value, tuple) or not all(isinstance(v, int) for v in value):
        raise SpecificationError(f"{field}: expected a sequence of integers, found {value!r}")
    if len(value) != len(instance.grades):
        raise SpecificationError(
            f"{field}: expected {len(instance.grades)} values (one per grade), found {len(value)}"
        )
    if any(v < 0 for v in value):
        raise SpecificationError(f"{field}: expected counts >= 0, found {list(value)}")
    if attribute.name == "defaults":
        over = [g for g, n, d in zip(instance.grades, instance.n, value, strict=True) if d > n]
        if over:
            raise SpecificationError(
                f"{field}: expected defaults <= count per grade, found more defaults than "
                f"obligors in grades {over}"
            )


def _check_pds(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, tuple) or len(value) != len(instance.grades):
        raise SpecificationError(
            f"CalibrationReport.pd: expected {len(instance.grades)} PDs (one per grade), "
            f"found {value!r}"
        )
    bad = [g for g, p in zip(instance.grades, value, strict=True) if not (0.0 < p < 1.0)]
    if bad:
        raise SpecificationError(
            f"CalibrationReport.pd: expected PDs in (0, 1), found {list(value)} "
            f"(out of range for grades {bad})"
        )


def _check_test(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or value not in TESTS:
        raise SpecificationError(
            f"CalibrationReport.test: expected one of {list(TESTS)}, found {value!r}"
        )


def _check_prob(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    closed = attribute.name == "max_share"
    ok = isinstance(value, float) and value > 0.0 and (value <= 1.0 if closed else value < 1.0)
    if not ok:
        interval = "(0, 1]" if closed else "(0, 1)"
        raise SpecificationError(
            f"CalibrationReport.{attribute.name}: expected a number in {interval}, found {value!r}"
        )
    if attribute.name == "red" and isinstance(instance.amber, float) and value > instance.amber:
        raise SpecificationError(
            f"CalibrationReport.red: expected a threshold <= amber ({instance.amber!r}), "
            f"found {value!r}"
        )


def _check_nonneg_int(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SpecificationError(
            f"CalibrationReport.{attribute.name}: expected an integer >= 0, found {value!r}"
        )


def _float_or_keep(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    return value


# --------------------------------------------------------------------------- report


@attrs.frozen
class CalibrationReport(_json.JsonArtifact):
    """Calibration of assigned PDs against observed defaults, per grade and overall.

    Built by :func:`calibrate` (from ratings and a default flag per obligor) or
    :func:`calibrate_counts` (from counts per grade).  Stores the counts and PDs;
    every statistic is computed from them, so a report rebuilt from its JSON is
    identical.

    Parameters
    ----------
    grades : tuple of str
        Grade names, best to worst.
    n, defaults : tuple of int
        Obligors and defaults per grade.
    pd : tuple of float
        Assigned PD per grade, already floored.
    test : {"jeffreys", "binomial"}
        Which p-value sets the traffic light.
    amber, red : float
        Traffic-light thresholds: red if ``p < red``, amber if ``p < amber``.
    max_share : float
        Concentration limit: grades with a larger share of obligors are flagged.
    hl_ddof : int
        Degrees of freedom removed from the Hosmer-Lemeshow test (0 for PDs fixed
        in advance; 2 for PDs fitted on the same sample).
    n_excluded : int
        Obligors left out because they were rated in the scale's default grade.

    Examples
    --------
    >>> r = CalibrationReport(("A", "B"), n=(500, 100), defaults=(8, 12), pd=(0.01, 0.05))
    >>> r.table[["n", "defaults", "observed_rate", "jeffreys_p", "status"]].round(4)
             n  defaults  observed_rate  jeffreys_p status
    grade
    A      500         8          0.016      0.0953  green
    B      100        12          0.120      0.0025    red
    >>> round(r.hl_statistic, 3), r.hl_df, r.is_monotone
    (12.134, 2, True)
    """

    _KIND = KIND
    _SCHEMA_VERSION = SCHEMA_VERSION

    grades: tuple[str, ...] = attrs.field(converter=_to_tuple, validator=_check_names)
    n: tuple[int, ...] = attrs.field(converter=_to_int_tuple, validator=_check_counts)
    defaults: tuple[int, ...] = attrs.field(converter=_to_int_tuple, validator=_check_counts)
    pd: tuple[float, ...] = attrs.field(converter=_to_float_tuple, validator=_check_pds)
    test: CalibrationTest = attrs.field(default="jeffreys", validator=_check_test)
    amber: float = attrs.field(
        default=DEFAULT_AMBER, converter=_float_or_keep, validator=_check_prob
    )
    red: float = attrs.field(default=DEFAULT_RED, converter=_float_or_keep, validator=_check_prob)
    max_share: float = attrs.field(
        default=DEFAULT_MAX_SHARE, converter=_float_or_keep, validator=_check_prob
    )
    hl_ddof: int = attrs.field(default=0, validator=_check_nonneg_int)
    n_excluded: int = attrs.field(default=0, validator=_check_nonneg_int)

    # ------------------------------------------------------------------ per grade

    def _arrays(self) -> tuple[FloatArray, FloatArray, FloatArray]:
        return (
            np.asarray(self.n, dtype=np.float64),
            np.asarray(self.defaults, dtype=np.float64),
            np.asarray(self.pd, dtype=np.float64),
        )

    @property
    def observed_rate(self) -> tuple[float, ...]:
        """``D_i / N_i`` per grade (NaN for an empty grade)."""
        n, d, _ = self._arrays()
        with np.errstate(invalid="ignore", divide="ignore"):
            return tuple(float(v) for v in np.where(n > 0, d / np.where(n > 0, n, 1), np.nan))

    @property
    def binomial_p(self) -> tuple[float, ...]:
        """Exact binomial ``P(X >= D_i | N_i, p_i)`` per grade (NaN if empty)."""
        return tuple(float(v) for v in binomial_pvalue(*self._arrays()))

    @property
    def jeffreys_p(self) -> tuple[float, ...]:
        """Jeffreys ``Beta(D_i + 1/2, N_i - D_i + 1/2)`` CDF at ``p_i`` per grade."""
        return tuple(float(v) for v in jeffreys_pvalue(*self._arrays()))

    @property
    def status(self) -> tuple[str, ...]:
        """Traffic light per grade: ``"green"``, ``"amber"``, ``"red"`` or ``"n/a"``."""
        p = self.jeffreys_p if self.test == "jeffreys" else self.binomial_p
        return _traffic_light(np.asarray(p, dtype=np.float64), self.amber, self.red)

    @property
    def shares(self) -> tuple[float, ...]:
        """Share of obligors per grade (NaN if there are no obligors at all)."""
        n = np.asarray(self.n, dtype=np.float64)
        total = n.sum()
        return tuple(float(v) for v in (n / total if total > 0 else n * np.nan))

    # ------------------------------------------------------------------ across grades

    def _hl_terms(self) -> FloatArray:
        n, d, p = self._arrays()
        terms = (d - n * p) ** 2 / np.where(n > 0, n * p * (1 - p), 1.0)
        return np.where(n > 0, terms, np.nan)

    @property
    def hl_statistic(self) -> float:
        """Hosmer-Lemeshow ``sum_i (D_i - N_i p_i)^2 / (N_i p_i (1 - p_i))`` (non-empty grades)."""
        return float(np.nansum(self._hl_terms()))

    @property
    def hl_df(self) -> int:
        """Degrees of freedom: non-empty grades minus :attr:`hl_ddof`."""
        return int(sum(1 for v in self.n if v > 0)) - self.hl_ddof

    @property
    def hl_pvalue(self) -> float:
        """``P(chi2(hl_df) >= HL)``; NaN if ``hl_df < 1``."""
        from scipy import stats

        if self.hl_df < 1:
            return math.nan
        return float(stats.chi2.sf(self.hl_statistic, self.hl_df))

    @property
    def monotone_breaks(self) -> tuple[tuple[str, str], ...]:
        """Pairs ``(better, worse)`` of adjacent non-empty grades where the better grade
        has a strictly higher observed default rate than the worse one."""
        rates = self.observed_rate
        kept = [(g, r) for g, r, n in zip(self.grades, rates, self.n, strict=True) if n > 0]
        return tuple((a[0], b[0]) for a, b in itertools.pairwise(kept) if a[1] > b[1])

    @property
    def is_monotone(self) -> bool:
        """Whether observed default rates never fall from a better grade to a worse one."""
        return not self.monotone_breaks

    @property
    def herfindahl(self) -> float:
        """Herfindahl index of the grade distribution, ``sum_i s_i^2`` (1/k to 1)."""
        return float(np.sum(np.square(np.asarray(self.shares, dtype=np.float64))))

    @property
    def herfindahl_normalized(self) -> float:
        """``(HHI - 1/k) / (1 - 1/k)`` for ``k`` grades: 0 = even spread, 1 = one grade."""
        k = len(self.grades)
        if k == 1:
            return 1.0
        return (self.herfindahl - 1.0 / k) / (1.0 - 1.0 / k)

    @property
    def herfindahl_normalised(self) -> float:
        """Deprecated spelling of :attr:`herfindahl_normalized` (kept for one release)."""
        warnings.warn(
            "CalibrationReport.herfindahl_normalised is deprecated: use herfindahl_normalized",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.herfindahl_normalized

    @property
    def concentrated(self) -> tuple[str, ...]:
        """Grades whose share of obligors exceeds :attr:`max_share`."""
        return tuple(g for g, s in zip(self.grades, self.shares, strict=True) if s > self.max_share)

    # ------------------------------------------------------------------ portfolio

    @property
    def total_n(self) -> int:
        """Obligors over all grades (excluding the default grade)."""
        return int(sum(self.n))

    @property
    def total_defaults(self) -> int:
        """Defaults over all grades."""
        return int(sum(self.defaults))

    @property
    def portfolio_pd(self) -> float:
        """Count-weighted mean assigned PD, ``sum_i N_i p_i / N``."""
        n, _, p = self._arrays()
        return float((n * p).sum() / n.sum()) if n.sum() > 0 else math.nan

    @property
    def portfolio_summary(self) -> dict[str, Any]:
        """Portfolio-level figures: the tests applied to all grades pooled at the mean PD."""
        n, d, p = float(self.total_n), float(self.total_defaults), self.portfolio_pd
        if n == 0:
            bin_p = jef_p = math.nan
        else:
            bin_p = float(binomial_pvalue(n, d, p))
            jef_p = float(jeffreys_pvalue(n, d, p))
        chosen = jef_p if self.test == "jeffreys" else bin_p
        return {
            "n": int(n),
            "defaults": int(d),
            "observed_rate": d / n if n > 0 else math.nan,
            "pd": p,
            "expected_defaults": n * p if n > 0 else 0.0,
            "binomial_p": bin_p,
            "jeffreys_p": jef_p,
            "status": _traffic_light(np.asarray([chosen]), self.amber, self.red)[0],
        }

    @property
    def summary(self) -> dict[str, Any]:
        """Every across-grade figure in one dict (portfolio, HL, monotonicity, concentration)."""
        return {
            "portfolio": self.portfolio_summary,
            "hl_statistic": self.hl_statistic,
            "hl_df": self.hl_df,
            "hl_pvalue": self.hl_pvalue,
            "is_monotone": self.is_monotone,
            "monotone_breaks": [list(pair) for pair in self.monotone_breaks],
            "herfindahl": self.herfindahl,
            "herfindahl_normalized": self.herfindahl_normalized,
            "concentrated": list(self.concentrated),
            "n_excluded": self.n_excluded,
            "test": self.test,
            "amber": self.amber,
            "red": self.red,
            "max_share": self.max_share,
        }

    @property
    def table(self) -> DataFrame:
        """One row per grade (best first), indexed by grade.

        Columns: ``n``, ``defaults``, ``share``, ``observed_rate``, ``pd`` (floored),
        ``expected_defaults`` (``N p``), ``binomial_p``, ``jeffreys_p``, ``hl_term``,
        ``status``.
        """
        n, _, p = self._arrays()
        frame = pd.DataFrame(
            {
                "n": np.asarray(self.n, dtype=np.int64),
                "defaults": np.asarray(self.defaults, dtype=np.int64),
                "share": self.shares,
                "observed_rate": self.observed_rate,
                "pd": p,
                "expected_defaults": n * p,
                "binomial_p": self.binomial_p,
                "jeffreys_p": self.jeffreys_p,
                "hl_term": self._hl_terms(),
                "status": np.asarray(self.status, dtype=object),
            },
            index=pd.Index(list(self.grades), name="grade", dtype=object),
        )
        return frame

    def _repr_html_(self) -> str:
        s = self.summary
        port = s["portfolio"]
        pname = "Jeffreys" if self.test == "jeffreys" else "binomial"
        breaks = ", ".join(f"{a} &gt; {b}" for a, b in self.monotone_breaks) or "none"
        conc = ", ".join(html.escape(g) for g in self.concentrated) or "none"
        lines = [
            "<p><b>CalibrationReport</b> "
            f"({pname} test; red p &lt; {self.red:g}, amber p &lt; {self.amber:g})</p>",
            "<ul>",
            f"<li>portfolio: N={port['n']}, D={port['defaults']}, observed "
            f"{port['observed_rate']:.4%} vs PD {port['pd']:.4%}: {port['status']}</li>",
            f"<li>Hosmer-Lemeshow: {s['hl_statistic']:.3f} on {s['hl_df']} df, "
            f"p = {s['hl_pvalue']:.4f}</li>",
            f"<li>monotone default rates: {'yes' if self.is_monotone else 'no'} "
            f"(breaks: {breaks})</li>",
            f"<li>Herfindahl: {s['herfindahl']:.4f} (normalized {s['herfindahl_normalized']:.4f})"
            f"; grades above {self.max_share:.0%}: {conc}</li>",
            "</ul>",
        ]
        return "\n".join(lines) + str(self.table.to_html(float_format=lambda v: f"{v:.4g}"))

    # ------------------------------------------------------------------ serialization

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form: the inputs, plus the computed results for other readers.

        :meth:`from_dict` rebuilds the report from the inputs alone; the ``results``
        block (per-grade table and :attr:`summary`) is informational.
        """
        columns = {
            "share": self.shares,
            "observed_rate": self.observed_rate,
            "binomial_p": self.binomial_p,
            "jeffreys_p": self.jeffreys_p,
        }
        status = self.status
        results_rows: list[dict[str, Any]] = []
        for i, g in enumerate(self.grades):
            row: dict[str, Any] = {"grade": g, "status": status[i]}
            row.update({k: enc_float(v[i]) for k, v in columns.items()})
            results_rows.append(row)
        summary = self.summary
        port = {
            k: enc_float(v) if isinstance(v, float) else v for k, v in summary["portfolio"].items()
        }
        summary_enc = {
            k: enc_float(v) if isinstance(v, float) else v
            for k, v in summary.items()
            if k != "portfolio"
        }
        summary_enc["portfolio"] = port
        return {
            "grades": list(self.grades),
            "n": list(self.n),
            "defaults": list(self.defaults),
            "pd": list(self.pd),
            "test": self.test,
            "amber": self.amber,
            "red": self.red,
            "max_share": self.max_share,
            "hl_ddof": self.hl_ddof,
            "n_excluded": self.n_excluded,
            "results": {"per_grade": results_rows, "summary": summary_enc},
        }

    @classmethod
    def from_dict(cls, d: Any) -> CalibrationReport:
        """Inverse of :meth:`to_dict`; a malformed or inconsistent body raises SchemaError.

        Besides the checks of the class (grade names unique, one count, default count
        and PD per grade, counts >= 0, defaults <= count, PDs in (0, 1), a known test,
        thresholds in (0, 1) with red <= amber), the ``results`` block written for other
        readers must be what the counts and PDs give: the same traffic lights and
        figures (to 1e-9).
        """
        o = _json.Obj(d)
        fields = {
            "grades": tuple(o.strings("grades")),
            "n": tuple(o.integers("n")),
            "defaults": tuple(o.integers("defaults")),
            "pd": tuple(o.numbers("pd")),
            "test": o.string("test"),
            "amber": o.number("amber"),
            "red": o.number("red"),
            "max_share": o.number("max_share"),
            "hl_ddof": o.integer("hl_ddof"),
            "n_excluded": o.integer("n_excluded"),
        }
        with _json.within():
            report = cls(**fields)  # type: ignore[arg-type]
        found = _json.difference(
            o.obj("results").raw_mapping(),
            _json.plain(report.to_dict()["results"]),
            ("results",),
            "the counts and PDs give",
        )
        if found is not None:
            raise found
        return report


# --------------------------------------------------------------------------- builders


def _scale_pds(scale: GradeScale, pds: Sequence[float] | None) -> tuple[float, ...]:
    if pds is None:
        if not scale.has_pds:
            raise SpecificationError(
                "scale: expected a master scale with a pd on every grade (or pds=...), found "
                "grades without PDs"
            )
        return tuple(float(v) for v in scale.grade_pd(np.arange(len(scale))))
    arr = float_vector(pds, "pds", len(scale), "PDs (one per grade)", SpecificationError)
    if not np.all((arr > 0) & (arr < 1)):
        raise SpecificationError(f"pds: expected PDs in (0, 1), found {arr.tolist()}")
    return tuple(float(v) for v in np.maximum(arr, scale.pd_floor))


def calibrate_counts(
    scale: GradeScale,
    counts: Sequence[int] | Mapping[str, int],
    defaults: Sequence[int] | Mapping[str, int],
    *,
    pds: Sequence[float] | None = None,
    test: CalibrationTest = "jeffreys",
    amber: float = DEFAULT_AMBER,
    red: float = DEFAULT_RED,
    max_share: float = DEFAULT_MAX_SHARE,
    hl_ddof: int = 0,
) -> CalibrationReport:
    """Calibration report from obligor and default counts per grade.

    Parameters
    ----------
    scale : GradeScale
        A master scale (PDs on its grades), or any scale with ``pds`` given.
    counts, defaults : sequence of int or mapping of grade name to int
        Per grade, in the scale's order (best first); a mapping may omit grades
        (count 0).
    pds : sequence of float, optional
        PDs to test instead of the scale's own (one per grade); floored at
        ``scale.pd_floor`` like the scale's PDs.
    test, amber, red, max_share, hl_ddof
        See :class:`CalibrationReport`.

    Examples
    --------
    >>> scale = GradeScale.from_cutoffs([600], ["A", "B"], pds=[0.01, 0.05])
    >>> r = calibrate_counts(scale, {"A": 500, "B": 100}, {"A": 8, "B": 12})
    >>> r.status
    ('green', 'red')
    """

    def _per_grade(values: Sequence[int] | Mapping[str, int], field: str) -> tuple[int, ...]:
        if isinstance(values, Mapping):
            unknown = sorted(str(k) for k in values if k not in scale.names)
            if unknown:
                raise DataError(
                    f"{field}: expected grade names in {list(scale.names)}, found {unknown}"
                )
            raw: list[Any] = [values.get(g, 0) for g in scale.names]
        else:
            raw = list(values)
        if len(raw) != len(scale):
            raise DataError(
                f"{field}: expected {len(scale)} counts (one per grade), found {len(raw)}"
            )
        arr = np.asarray(raw)
        if (
            arr.dtype.kind not in "iuf"
            or not np.all(np.isfinite(arr))
            or np.any(arr != np.round(arr))
        ):
            raise DataError(f"{field}: expected integer counts, found {raw}")
        if np.any(arr < 0):
            raise DataError(f"{field}: expected counts >= 0, found {raw}")
        return tuple(int(v) for v in arr)

    n_t = _per_grade(counts, "counts")
    d_t = _per_grade(defaults, "defaults")
    over = [g for g, n, d in zip(scale.names, n_t, d_t, strict=True) if d > n]
    if over:
        raise DataError(
            f"defaults: expected at most as many defaults as obligors per grade, found more "
            f"in grades {over}"
        )
    return CalibrationReport(
        grades=scale.names,
        n=n_t,
        defaults=d_t,
        pd=_scale_pds(scale, pds),
        test=test,
        amber=amber,
        red=red,
        max_share=max_share,
        hl_ddof=hl_ddof,
    )


def calibrate(
    scale: GradeScale,
    ratings: npt.ArrayLike | pd.Series,
    defaults: npt.ArrayLike | pd.Series,
    *,
    pds: Sequence[float] | None = None,
    test: CalibrationTest = "jeffreys",
    amber: float = DEFAULT_AMBER,
    red: float = DEFAULT_RED,
    max_share: float = DEFAULT_MAX_SHARE,
    hl_ddof: int = 0,
) -> CalibrationReport:
    """Calibration report from one rating and one default flag per obligor.

    Parameters
    ----------
    scale : GradeScale
        A master scale (PDs on its grades), or any scale with ``pds`` given.
    ratings : array-like or Series
        Either **scores** (a numeric array: graded with ``scale.assign``) or **grade
        names** (strings or a Categorical).  Obligors rated in the scale's default
        grade are left out and counted in ``n_excluded``.
    defaults : array-like or Series
        0/1 per obligor, 1 = defaulted over the observation window.
    pds, test, amber, red, max_share, hl_ddof
        See :func:`calibrate_counts` and :class:`CalibrationReport`.

    Raises
    ------
    DataError
        NaN scores, missing or unknown grade names, a flag that is not 0/1, or
        ratings and defaults of different lengths (or misaligned Series).

    Examples
    --------
    >>> scale = GradeScale.from_cutoffs([600], ["A", "B"], pds=[0.01, 0.05])
    >>> r = calibrate(scale, [650, 640, 590, 580], [0, 0, 1, 0])
    >>> r.n, r.defaults
    ((2, 2), (0, 1))
    """
    if (
        isinstance(ratings, pd.Series)
        and isinstance(defaults, pd.Series)
        and not ratings.index.equals(defaults.index)
    ):
        raise DataError(
            "defaults: expected a Series with the same index as ratings, found a different "
            "index (misaligned): pass .to_numpy() or reindex it"
        )
    flag = binary_flag(defaults, "defaults")
    r = ratings if isinstance(ratings, pd.Series) else pd.Series(np.asarray(ratings).ravel())
    if len(r) != flag.shape[0]:
        raise DataError(
            f"defaults: expected {len(r)} values (one per rating), found {flag.shape[0]}"
        )
    if len(r) == 0:
        raise DataError("ratings: expected at least one rating, found none")
    k = len(scale)
    if pd.api.types.is_bool_dtype(r.dtype):
        raise DataError("ratings: expected scores or grade names, found booleans")
    if pd.api.types.is_numeric_dtype(r.dtype):
        idx = scale.assign_index(np.asarray(r, dtype=np.float64))
    else:
        n_missing = int(r.isna().sum())
        if n_missing:
            raise DataError(
                f"ratings: expected a grade name per obligor, found {n_missing} missing"
            )
        idx = scale._index_of(np.asarray(r.astype(object), dtype=object), "ratings")
    performing = idx < k
    n_excl = int((~performing).sum())
    counts = np.bincount(idx[performing], minlength=k)
    defs = np.bincount(idx[performing], weights=flag[performing], minlength=k)
    report = calibrate_counts(
        scale,
        counts.tolist(),
        np.rint(defs).astype(np.int64).tolist(),
        pds=pds,
        test=test,
        amber=amber,
        red=red,
        max_share=max_share,
        hl_ddof=hl_ddof,
    )
    return attrs.evolve(report, n_excluded=n_excl)
