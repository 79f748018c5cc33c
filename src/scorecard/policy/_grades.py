"""Grades and master scales: from a score to a grade, and a PD per grade.

Conventions (stated once here, tested in ``tests/test_grades.py``)
------------------------------------------------------------------
* A :class:`GradeScale` holds its grades ordered **best to worst**: the best grade
  covers the highest scores (higher score = lower risk, everywhere).
* Each grade covers ``[min_score, max_score)``: the lower bound is inclusive, the
  upper bound (the ``min_score`` of the next better grade) exclusive.  The best
  grade is open upward (``max_score = +inf``), the worst grade downward
  (``min_score = -inf``); so every number except NaN gets exactly one grade.
* Grade indices count from 0 = best.
* A PD per grade is optional, but if one grade has a PD every grade has one, and
  PDs never decrease from a better grade to a worse one.  Where a PD is *used*
  (:meth:`GradeScale.grade_pd`, calibration, policy) it is floored at
  ``pd_floor``: 0.03 % by default, the Basel II floor (original CRR Article
  160(1)).  The Basel III final reforms (CRR3) raise it to 0.05 % for most
  exposures; set ``pd_floor`` to the rule that applies to you.
* An optional ``default_grade`` (e.g. ``"D"``) is for obligors already in
  default.  It has no score range: :meth:`GradeScale.assign` never returns it;
  it is assigned only explicitly by the caller.  Its PD, when not given, is 1.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Any, cast

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard._core import artifact as _json
from scorecard._core.arrays import NUMPY, SCALAR, ArrayNamespace
from scorecard._core.artifact import enc_float
from scorecard._core.types import FloatArray, IntArray, ObjArray
from scorecard._model.scaling import Scaling
from scorecard.exceptions import DataError, SpecificationError

__all__ = ["DEFAULT_PD_FLOOR", "Grade", "GradeScale"]

SCHEMA_VERSION = 1
KIND = "grade_scale"

#: Default PD floor: 0.03 % (3 basis points).
DEFAULT_PD_FLOOR = 0.0003


# --------------------------------------------------------------------------- validators


def _check_name(instance: Any, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise SpecificationError(
            f"Grade.name: expected a non-empty string (e.g. 'A' or '1'), found {value!r}"
        )


def _check_label(instance: Any, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str):
        raise SpecificationError(
            f"Grade.label (grade {instance.name!r}): expected a string, found "
            f"{type(value).__name__} {value!r}"
        )


def _to_float(value: Any) -> Any:
    if isinstance(value, bool):
        return value  # refused by the validator with a clear message
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    return value


def _check_min_score(instance: Any, attribute: attrs.Attribute[float], value: float) -> None:
    if not isinstance(value, float) or math.isnan(value) or value == math.inf:
        raise SpecificationError(
            f"Grade.min_score (grade {instance.name!r}): expected a finite number or -inf "
            f"(for the worst grade), found {value!r}"
        )


def _to_opt_float(value: Any) -> Any:
    return None if value is None else _to_float(value)


def _check_pd(instance: Any, attribute: attrs.Attribute[float | None], value: float | None) -> None:
    if value is None:
        return
    if not isinstance(value, float) or not (0.0 < value <= 1.0):
        raise SpecificationError(
            f"Grade.pd (grade {instance.name!r}): expected None or a probability of default "
            f"in (0, 1) (1 only for a scale's default grade), found {value!r}"
        )


# --------------------------------------------------------------------------- Grade


@attrs.frozen
class Grade:
    """One grade of a :class:`GradeScale`.

    Parameters
    ----------
    name : str
        Short code, unique within a scale (e.g. ``"A"`` or ``"1"``).
    label : str, default ""
        Description, e.g. ``"Minimal risk"``.
    min_score : float, default -inf
        Inclusive lower score bound.  ``-inf`` only for the worst grade of a scale
        (and, by convention, for a default grade, which has no score range).
    pd : float or None, default None
        Assigned probability of default (bad), in (0, 1).  The value 1 is accepted
        only for a scale's ``default_grade``.

    Examples
    --------
    >>> Grade("A", "Minimal risk", 640.0, 0.001)
    Grade(name='A', label='Minimal risk', min_score=640.0, pd=0.001)
    >>> Grade("E").min_score
    -inf
    """

    name: str = attrs.field(validator=_check_name)
    label: str = attrs.field(default="", validator=_check_label)
    min_score: float = attrs.field(
        default=-math.inf, converter=_to_float, validator=_check_min_score
    )
    pd: float | None = attrs.field(default=None, converter=_to_opt_float, validator=_check_pd)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (``-inf`` written as ``"-Infinity"``)."""
        return {
            "name": self.name,
            "label": self.label,
            "min_score": enc_float(self.min_score),
            "pd": self.pd,
        }

    @classmethod
    def from_dict(cls, d: Any) -> Grade:
        """Inverse of :meth:`to_dict`; a malformed body raises SchemaError naming the field."""
        o = _json.Obj(d)
        name, label = o.string("name"), o.string("label")
        min_score, pd = o.number("min_score", nonfinite=True), o.optional_number("pd")
        with _json.within():
            return cls(name=name, label=label, min_score=min_score, pd=pd)


def _to_grades(value: Any) -> Any:
    if isinstance(value, Grade):
        return (value,)
    try:
        return tuple(value)
    except TypeError:
        return value  # refused by the validator


def _check_grades(instance: Any, attribute: attrs.Attribute[tuple[Grade, ...]], value: Any) -> None:
    if not isinstance(value, tuple):
        raise SpecificationError(
            f"GradeScale.grades: expected a sequence of Grade, found {type(value).__name__}"
        )
    if len(value) == 0:
        raise SpecificationError(
            "GradeScale.grades: expected at least one grade, found an empty scale"
        )
    for i, g in enumerate(value):
        if not isinstance(g, Grade):
            raise SpecificationError(
                f"GradeScale.grades[{i}]: expected a Grade, found {type(g).__name__} {g!r}"
            )
    names = [g.name for g in value]
    dups = sorted({n for n in names if names.count(n) > 1})
    if dups:
        raise SpecificationError(
            f"GradeScale.grades: expected unique grade names, found duplicate names {dups}"
        )
    mins = [g.min_score for g in value]
    if mins[-1] != -math.inf:
        raise SpecificationError(
            f"GradeScale.grades[{len(value) - 1}].min_score (worst grade {names[-1]!r}): "
            f"expected -inf so that every low score gets a grade (no gap at the bottom), "
            f"found {mins[-1]!r}"
        )
    for i in range(len(value) - 1):
        if not mins[i] > mins[i + 1]:
            what = "overlap (equal bounds)" if mins[i] == mins[i + 1] else "the wrong order"
            raise SpecificationError(
                f"GradeScale.grades[{i + 1}].min_score (grade {names[i + 1]!r}): expected "
                f"grades ordered best to worst with strictly decreasing min_score, found "
                f"{mins[i + 1]!r} after {mins[i]!r} (grade {names[i]!r}): {what}"
            )
    pds = [g.pd for g in value]
    have = [p is not None for p in pds]
    if any(have) and not all(have):
        missing = [names[i] for i, h in enumerate(have) if not h]
        raise SpecificationError(
            f"GradeScale.grades: expected a pd for every grade or for none, found pd=None "
            f"for grades {missing}"
        )
    if all(have):
        fpds = cast(list[float], pds)
        for i, p in enumerate(fpds):
            if p >= 1.0:
                raise SpecificationError(
                    f"GradeScale.grades[{i}].pd (grade {names[i]!r}): expected a PD below 1 "
                    f"for a performing grade (use default_grade for defaulted obligors), "
                    f"found {p!r}"
                )
        for i in range(len(fpds) - 1):
            if fpds[i + 1] < fpds[i]:
                raise SpecificationError(
                    f"GradeScale.grades[{i + 1}].pd (grade {names[i + 1]!r}): expected PDs "
                    f"monotone (a worse grade has a PD >= that of a better grade), found "
                    f"{fpds[i + 1]!r} below {fpds[i]!r} (grade {names[i]!r})"
                )


def _check_default_grade(
    instance: Any, attribute: attrs.Attribute[Grade | None], value: Any
) -> None:
    if value is None:
        return
    if not isinstance(value, Grade):
        raise SpecificationError(
            f"GradeScale.default_grade: expected a Grade or None, found {type(value).__name__}"
        )
    if value.name in {g.name for g in instance.grades}:
        raise SpecificationError(
            f"GradeScale.default_grade: expected a name distinct from the performing grades, "
            f"found {value.name!r}, which is also a grade of the scale"
        )
    worst = instance.grades[-1].pd
    if value.pd is not None and worst is not None and value.pd < worst:
        raise SpecificationError(
            f"GradeScale.default_grade.pd: expected a PD >= that of the worst grade "
            f"({worst!r}), found {value.pd!r}"
        )


def _check_floor(instance: Any, attribute: attrs.Attribute[float], value: Any) -> None:
    if not isinstance(value, float) or not (0.0 <= value < 1.0):
        raise SpecificationError(
            f"GradeScale.pd_floor: expected a number in [0, 1), found {value!r}"
        )


def _str_tuple(values: Sequence[str] | None, n: int, field: str) -> tuple[str, ...] | None:
    if values is None:
        return None
    if isinstance(values, str):
        raise SpecificationError(
            f"{field}: expected a sequence of {n} strings, found the single string {values!r}"
        )
    out = tuple(values)
    if len(out) != n:
        raise SpecificationError(f"{field}: expected {n} values (one per grade), found {len(out)}")
    return out


def _float_tuple(values: Sequence[float] | None, n: int, field: str) -> tuple[float, ...] | None:
    if values is None:
        return None
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise SpecificationError(f"{field}: expected numbers, found {values!r}") from None
    if arr.ndim != 1 or arr.shape[0] != n:
        raise SpecificationError(
            f"{field}: expected {n} values (one per grade), found shape {arr.shape}"
        )
    return tuple(float(v) for v in arr)


def _names_tuple(names: Sequence[str]) -> tuple[str, ...]:
    if isinstance(names, str):
        raise SpecificationError(
            f"names: expected a sequence of grade names, found the single string {names!r}"
        )
    try:
        return tuple(names)
    except TypeError:
        raise SpecificationError(
            f"names: expected a sequence of grade names, found {type(names).__name__}"
        ) from None


def _default_names(n: int) -> tuple[str, ...]:
    return tuple(str(i + 1) for i in range(n))


def _as_scores(scores: npt.ArrayLike, field: str = "scores") -> FloatArray:
    try:
        arr = np.asarray(scores, dtype=np.float64)
    except (TypeError, ValueError):
        raise DataError(f"{field}: expected numbers, found values that are not numeric") from None
    nan = np.isnan(arr)
    if nan.any():
        pos = np.flatnonzero(nan.ravel())
        shown = pos[:10].tolist()
        more = "" if pos.size <= 10 else ", ..."
        raise DataError(
            f"{field}: expected no NaN scores, found {pos.size} NaN at positions "
            f"{shown}{more}: score or drop those rows first"
        )
    return arr


# --------------------------------------------------------------------------- GradeScale


@attrs.frozen
class GradeScale(_json.JsonArtifact):
    """Grades by score band, ordered best to worst, with an optional PD per grade.

    A *master scale* is a grade scale whose grades carry PDs (and are often
    defined by PD bounds, see :meth:`from_pd_boundaries`).

    Parameters
    ----------
    grades : sequence of Grade
        Ordered best (highest scores) to worst; ``min_score`` strictly decreasing;
        the last one ``-inf``.  Either every grade has a ``pd`` or none has; PDs
        never decrease from a better to a worse grade.
    default_grade : Grade or None
        Grade for obligors already in default (outside the score ranges, assigned
        only explicitly).  Its ``min_score`` is not used.
    pd_floor : float, default 0.0003
        PDs are floored at this value where a PD is used (:meth:`grade_pd`).

    Examples
    --------
    >>> scale = GradeScale.from_cutoffs([620, 580], ["A", "B", "C"], pds=[0.01, 0.03, 0.1])
    >>> scale.names
    ('A', 'B', 'C')
    >>> scale.assign([650, 620, 619.5, 580, 100]).tolist()
    ['A', 'A', 'B', 'B', 'C']
    >>> scale.assign_index([650, 100]).tolist()
    [0, 2]
    >>> scale.grade_pd(["A", "C"]).tolist()
    [0.01, 0.1]
    >>> scale.score_range("B")
    (580.0, 620.0)
    """

    _KIND = KIND
    _SCHEMA_VERSION = SCHEMA_VERSION

    grades: tuple[Grade, ...] = attrs.field(converter=_to_grades, validator=_check_grades)
    default_grade: Grade | None = attrs.field(default=None, validator=_check_default_grade)
    pd_floor: float = attrs.field(
        default=DEFAULT_PD_FLOOR, converter=_to_float, validator=_check_floor
    )

    # ------------------------------------------------------------------ properties

    @property
    def names(self) -> tuple[str, ...]:
        """Names of the performing grades, best to worst (the default grade excluded)."""
        return tuple(g.name for g in self.grades)

    @property
    def all_names(self) -> tuple[str, ...]:
        """:attr:`names` followed by the default grade's name, if there is one."""
        extra = () if self.default_grade is None else (self.default_grade.name,)
        return self.names + extra

    @property
    def labels(self) -> tuple[str, ...]:
        """Labels of the performing grades, best to worst."""
        return tuple(g.label for g in self.grades)

    @property
    def pds(self) -> tuple[float | None, ...]:
        """Assigned PDs of the performing grades as stored (not floored), best to worst."""
        return tuple(g.pd for g in self.grades)

    @property
    def has_pds(self) -> bool:
        """Whether the grades carry PDs (a master scale)."""
        return self.grades[0].pd is not None

    @property
    def cutoffs(self) -> tuple[float, ...]:
        """The ``k - 1`` score boundaries between ``k`` grades, in decreasing order."""
        return tuple(g.min_score for g in self.grades[:-1])

    def __len__(self) -> int:
        return len(self.grades)

    # ------------------------------------------------------------------ lookup

    def grade(self, name: str) -> Grade:
        """The :class:`Grade` called ``name`` (the default grade included)."""
        idx = self._index_of([name], "name")[0]
        if idx == len(self.grades):
            return cast(Grade, self.default_grade)
        return self.grades[int(idx)]

    def _index_of(self, names: Any, field: str) -> IntArray:
        arr = np.asarray(names, dtype=object)
        flat = arr.ravel()
        idx = pd.Index(self.all_names, dtype=object).get_indexer(pd.Index(flat, dtype=object))
        bad = idx < 0
        if bad.any():
            unknown = sorted({str(v) for v in flat[bad]})[:10]
            raise DataError(
                f"{field}: expected grade names in {list(self.all_names)}, found "
                f"{int(bad.sum())} unknown value(s) {unknown}"
            )
        return np.asarray(idx, dtype=np.int64).reshape(arr.shape)

    def assign_index(self, scores: npt.ArrayLike) -> IntArray:
        """Grade index per score, 0 = best (vectorized ``searchsorted``).

        Raises
        ------
        DataError
            If a score is NaN (the message gives how many and where).
        """
        out: IntArray = np.asarray(self._score_index(_as_scores(scores), NUMPY), dtype=np.int64)
        return out

    @functools.cached_property
    def _ascending(self) -> dict[str, Any]:
        """The cut-offs in increasing order, as a table of each array namespace."""
        cuts = [float(c) for c in self.cutoffs[::-1]]
        return {xp.name: xp.table(cuts) for xp in (NUMPY, SCALAR)}

    def _score_index(self, scores: Any, xp: ArrayNamespace) -> Any:
        """Grade index of scores with no NaN, 0 = best, in the array namespace ``xp``.

        The one grading rule: the number of cut-offs at or below the score, counted from
        the worst grade (a score on a cut-off gets the better grade).  Used by
        :meth:`assign_index` and by the credit policy's evaluator, which grades one
        applicant in plain Python with the same rule.
        """
        return len(self.grades) - 1 - xp.searchsorted(self._ascending[xp.name], scores, "right")

    def assign(self, scores: npt.ArrayLike) -> ObjArray:
        """Grade name per score (object array of ``str``), same shape as ``scores``.

        A score equal to a cut-off gets the better grade (lower bounds are
        inclusive).  ``+inf`` gets the best grade and ``-inf`` the worst.  The
        default grade is never assigned here.

        Raises
        ------
        DataError
            If a score is NaN.
        """
        names = np.asarray(self.names, dtype=object)
        idx = self.assign_index(scores)
        out: ObjArray = names[idx.ravel()].reshape(idx.shape)
        return out

    def assign_categorical(self, scores: npt.ArrayLike | pd.Series) -> pd.Series | pd.Categorical:
        """Grades as an *ordered* pandas Categorical, categories ordered **worst to best**.

        Worst-to-best makes comparisons follow the score direction: ``grade > "C"``
        means *better than* C, and ``max()`` is the best grade.  The default grade
        (if any) is the lowest category, so it can be set explicitly afterwards.
        A :class:`pandas.Series` input gives a Series named ``"grade"`` with the same
        index; anything else a :class:`pandas.Categorical`.

        Examples
        --------
        >>> import pandas as pd
        >>> scale = GradeScale.from_cutoffs([620, 580], ["A", "B", "C"])
        >>> g = scale.assign_categorical(pd.Series([650.0, 600.0], index=[7, 9]))
        >>> g.tolist(), list(g.cat.categories), (g > "B").tolist()
        (['A', 'B'], ['C', 'B', 'A'], [True, False])
        """
        idx = self.assign_index(np.asarray(scores, dtype=np.float64).ravel())
        categories = list(self.names[::-1])
        if self.default_grade is not None:
            categories.insert(0, self.default_grade.name)
        # code of grade i (0 = best) in the worst-to-best category list
        codes = len(categories) - 1 - idx
        dtype = pd.CategoricalDtype(pd.Index(categories, dtype=object), ordered=True)
        cat = pd.Categorical.from_codes(codes, dtype=dtype)
        if isinstance(scores, pd.Series):
            return pd.Series(cat, index=scores.index, name="grade")
        return cat

    def grade_pd(self, names_or_index: Any) -> FloatArray:
        """Assigned PD per grade, floored at :attr:`pd_floor`; same shape as the input.

        Accepts grade names (``str``) or integer indices (0 = best; the index
        ``len(scale)`` is the default grade, if the scale has one).  The default
        grade's PD is its ``pd``, or 1 if it has none.

        Raises
        ------
        SpecificationError
            If the scale has no PDs.
        DataError
            If a name or an index is unknown.
        """
        if not self.has_pds:
            raise SpecificationError(
                "GradeScale.grades[*].pd: expected PDs on the grades to look up a PD, found "
                "pd=None: build a master scale (pds=..., from_pd_boundaries or equal_width "
                "with a scaling)"
            )
        arr = np.asarray(names_or_index)
        n_all = len(self.all_names)
        if arr.dtype.kind in "iu":
            idx = arr.astype(np.int64)
            bad = (idx < 0) | (idx >= n_all)
            if bad.any():
                raise DataError(
                    f"names_or_index: expected grade indices in [0, {n_all - 1}], found "
                    f"{int(bad.sum())} out of range, e.g. {int(idx[bad].ravel()[0])}"
                )
        elif arr.dtype.kind in "fcb":
            raise DataError(
                f"names_or_index: expected grade names or integer indices, found dtype "
                f"{arr.dtype} (to grade scores use assign first)"
            )
        else:
            idx = self._index_of(arr, "names_or_index")
        table = [cast(float, g.pd) for g in self.grades]
        if self.default_grade is not None:
            table.append(1.0 if self.default_grade.pd is None else self.default_grade.pd)
        pds = np.maximum(np.asarray(table, dtype=np.float64), self.pd_floor)
        out: FloatArray = pds[idx]
        return out

    def score_range(self, name: str) -> tuple[float, float]:
        """``(min, max)`` of a grade's half-open score interval ``[min, max)``.

        Raises
        ------
        DataError
            If ``name`` is not a performing grade (the default grade has no range).
        """
        if self.default_grade is not None and name == self.default_grade.name:
            raise DataError(
                f"name: grade {name!r} is the default grade, which has no score range "
                "(it is assigned only explicitly)"
            )
        i = int(self._index_of([name], "name")[0])
        upper = math.inf if i == 0 else self.grades[i - 1].min_score
        return (self.grades[i].min_score, upper)

    def to_frame(self) -> pd.DataFrame:
        """One row per grade (default grade last): label, score range, PD and floored PD."""
        rows = []
        for i, g in enumerate(self.grades):
            lo, hi = self.score_range(g.name)
            rows.append((g.name, g.label, lo, hi, g.pd, i))
        if self.default_grade is not None:
            d = self.default_grade
            rows.append((d.name, d.label, math.nan, math.nan, d.pd, len(self.grades)))
        frame = pd.DataFrame(
            rows, columns=["grade", "label", "min_score", "max_score", "pd", "index"]
        ).set_index("grade")
        frame["pd"] = frame["pd"].astype(np.float64)
        if self.has_pds:
            frame["pd_floored"] = self.grade_pd(frame["index"].to_numpy())
        return frame.drop(columns="index")

    def _repr_html_(self) -> str:
        head = f"<p><b>GradeScale</b>: {len(self.grades)} grades, pd_floor={self.pd_floor:g}</p>"
        return head + str(self.to_frame().to_html())

    # ------------------------------------------------------------------ constructors

    @classmethod
    def from_cutoffs(
        cls,
        cutoffs: Sequence[float],
        names: Sequence[str],
        labels: Sequence[str] | None = None,
        pds: Sequence[float] | None = None,
        *,
        default_grade: Grade | None = None,
        pd_floor: float = DEFAULT_PD_FLOOR,
    ) -> GradeScale:
        """A scale from the ``k - 1`` score boundaries between ``k`` grades.

        ``cutoffs`` may come in any order but must be distinct and finite; they are
        sorted decreasingly, so ``names`` (and ``labels``, ``pds``) are best to worst.

        Examples
        --------
        >>> s = GradeScale.from_cutoffs([580, 620], ["A", "B", "C"])
        >>> [g.min_score for g in s.grades]
        [620.0, 580.0, -inf]
        """
        names_t = _names_tuple(names)
        k = len(names_t)
        if k == 0:
            raise SpecificationError(
                "GradeScale.grades: expected at least one grade, found an empty scale (no names)"
            )
        try:
            arr = np.asarray(cutoffs, dtype=np.float64)
        except (TypeError, ValueError):
            raise SpecificationError(f"cutoffs: expected numbers, found {cutoffs!r}") from None
        if arr.ndim != 1 or arr.shape[0] != k - 1:
            raise SpecificationError(
                f"cutoffs: expected {k - 1} score boundaries (one fewer than the {k} names), "
                f"found shape {arr.shape}"
            )
        cuts = tuple(float(v) for v in arr)
        if not np.all(np.isfinite(arr)):
            raise SpecificationError(
                f"cutoffs: expected finite score boundaries, found {list(cuts)}"
            )
        if np.unique(arr).size != arr.size:
            dups = sorted({c for c in cuts if cuts.count(c) > 1})
            raise SpecificationError(
                f"cutoffs: expected distinct score boundaries, found duplicates {dups} "
                "(two grades would overlap)"
            )
        mins = [*sorted(cuts, reverse=True), -math.inf]
        labels_t = _str_tuple(labels, k, "labels") or ("",) * k
        pds_t = _float_tuple(pds, k, "pds")
        grades = tuple(
            Grade(
                name=names_t[i],
                label=labels_t[i],
                min_score=mins[i],
                pd=None if pds_t is None else pds_t[i],
            )
            for i in range(k)
        )
        return cls(grades, default_grade=default_grade, pd_floor=pd_floor)

    @classmethod
    def from_pd_boundaries(
        cls,
        pd_bounds: Sequence[float],
        names: Sequence[str],
        scaling: Scaling,
        labels: Sequence[str] | None = None,
        pds: Sequence[float] | None = None,
        *,
        default_grade: Grade | None = None,
        pd_floor: float = DEFAULT_PD_FLOOR,
    ) -> GradeScale:
        """A master scale from the PD upper bound of each grade.

        ``pd_bounds[i]`` is the upper PD bound of grade ``i`` (best to worst, strictly
        increasing, in (0, 1]; the worst grade's bound is typically 1).  Grade ``i``
        holds PDs in ``(pd_bounds[i-1], pd_bounds[i]]``, which is the score interval
        ``[score_from_pd(pd_bounds[i]), score_from_pd(pd_bounds[i-1]))``: a PD on a
        bound, hence a score on a cut-off, gets the better grade.

        The default PD of a grade is the geometric mean of its PD bounds,
        ``sqrt(lo * hi)`` (the midpoint in log-odds terms, roughly, for small PDs).
        The best grade has no lower PD bound; its ``lo`` is ``min(pd_floor,
        pd_bounds[0])``, since no PD is used below the floor.  Pass ``pds`` to
        override.

        Examples
        --------
        >>> from scorecard import Scaling
        >>> s = GradeScale.from_pd_boundaries([0.01, 0.04, 1.0], ["A", "B", "C"], Scaling())
        >>> [round(g.min_score, 3) for g in s.grades]
        [619.71, 578.822, -inf]
        >>> [round(p, 5) for p in s.pds]
        [0.00173, 0.02, 0.2]
        """
        names_t = _names_tuple(names)
        k = len(names_t)
        if not isinstance(scaling, Scaling):
            raise SpecificationError(f"scaling: expected a Scaling, found {type(scaling).__name__}")
        bounds_t = _float_tuple(pd_bounds, k, "pd_bounds")
        assert bounds_t is not None
        b = np.asarray(bounds_t, dtype=np.float64)
        if not np.all((b > 0) & (b <= 1)):
            raise SpecificationError(
                f"pd_bounds: expected PD upper bounds in (0, 1], found {list(bounds_t)}"
            )
        if k > 1 and not np.all(np.diff(b) > 0):
            raise SpecificationError(
                f"pd_bounds: expected strictly increasing PD upper bounds (best grade first), "
                f"found {list(bounds_t)}"
            )
        floor = float(pd_floor)
        cuts = scaling.score_from_pd(b[:-1]) if k > 1 else np.empty(0)
        if pds is None:
            lower = np.concatenate([[min(floor, float(b[0]))], b[:-1]])
            pds_t: Sequence[float] = tuple(float(v) for v in np.sqrt(lower * b))
        else:
            pds_t = pds
        return cls.from_cutoffs(
            [float(c) for c in cuts],
            names_t,
            labels=labels,
            pds=pds_t,
            default_grade=default_grade,
            pd_floor=floor,
        )

    @classmethod
    def equal_width(
        cls,
        top: float,
        width: float,
        n: int,
        names: Sequence[str] | None = None,
        scaling: Scaling | None = None,
        *,
        labels: Sequence[str] | None = None,
        default_grade: Grade | None = None,
        pd_floor: float = DEFAULT_PD_FLOOR,
    ) -> GradeScale:
        """``n`` grades of equal score width ``width``, the best one starting at ``top``.

        Cut-offs are ``top, top - width, ..., top - (n - 2) * width``.  With
        ``width = scaling.pdo`` the odds halve from one grade to the next.  With a
        ``scaling``, each grade's PD is the PD at its score midpoint; the two
        open-ended grades are given the nominal width, so their midpoints are
        ``top + width / 2`` and ``top - (n - 1.5) * width``.  Default names are
        ``"1"`` (best) to ``str(n)``.

        Examples
        --------
        >>> from scorecard import Scaling
        >>> s = GradeScale.equal_width(640, 20, 4, scaling=Scaling())
        >>> s.cutoffs
        (640.0, 620.0, 600.0)
        >>> [round((1 - p) / p, 2) for p in s.pds]  # good:bad odds at midpoints 650, 630, ...
        [282.84, 141.42, 70.71, 35.36]
        """
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 2:
            raise SpecificationError(f"n: expected an integer number of grades >= 2, found {n!r}")
        n = int(n)
        top_f, width_f = float(top), float(width)
        if not math.isfinite(top_f):
            raise SpecificationError(f"top: expected a finite score, found {top!r}")
        if not (math.isfinite(width_f) and width_f > 0):
            raise SpecificationError(f"width: expected a finite number > 0, found {width!r}")
        if names is not None:
            _str_tuple(_names_tuple(names), n, "names")
        cuts = top_f - width_f * np.arange(n - 1, dtype=np.float64)
        pds: tuple[float, ...] | None = None
        if scaling is not None:
            if not isinstance(scaling, Scaling):
                raise SpecificationError(
                    f"scaling: expected a Scaling or None, found {type(scaling).__name__}"
                )
            mids = top_f + width_f / 2 - width_f * np.arange(n, dtype=np.float64)
            pds = tuple(float(p) for p in scaling.pd_from_score(mids))
        return cls.from_cutoffs(
            [float(c) for c in cuts],
            names if names is not None else _default_names(n),
            labels=labels,
            pds=pds,
            default_grade=default_grade,
            pd_floor=pd_floor,
        )

    @classmethod
    def from_quantiles(
        cls,
        scores: npt.ArrayLike,
        n: int,
        names: Sequence[str] | None = None,
        *,
        labels: Sequence[str] | None = None,
        pds: Sequence[float] | None = None,
        default_grade: Grade | None = None,
        pd_floor: float = DEFAULT_PD_FLOOR,
    ) -> GradeScale:
        """``n`` grades of (about) equal population on ``scores``.

        With the scores sorted increasingly as ``x[0] <= ... <= x[N-1]``, the
        ``j``-th cut-off from the bottom is ``x[floor(j * N / n)]`` for
        ``j = 1, ..., n-1``; without ties the ``j`` worst grades then hold exactly
        ``floor(j * N / n)`` scores.  Ties that make two cut-offs equal raise
        :class:`~scorecard.exceptions.DataError` (use fewer grades).

        Examples
        --------
        >>> s = GradeScale.from_quantiles([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4)
        >>> s.cutoffs
        (8.0, 6.0, 3.0)
        >>> import numpy as np
        >>> np.unique(s.assign(range(1, 11)), return_counts=True)[1].tolist()
        [3, 2, 3, 2]
        """
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 2:
            raise SpecificationError(f"n: expected an integer number of grades >= 2, found {n!r}")
        n = int(n)
        x = np.sort(_as_scores(scores).ravel())
        if not np.all(np.isfinite(x)):
            raise DataError("scores: expected finite scores, found infinity")
        N = x.size
        if n > N:
            raise DataError(f"scores: expected at least n={n} scores, found {N}")
        positions = (np.arange(1, n, dtype=np.int64) * N) // n
        cuts = x[positions]
        if names is not None:
            _str_tuple(_names_tuple(names), n, "names")
        if np.unique(cuts).size != cuts.size:
            tied = sorted({float(c) for c in cuts[:-1][np.diff(cuts) == 0]})
            raise DataError(
                f"scores: expected {n - 1} distinct quantile cut-offs, found ties at {tied}: "
                f"too many tied scores for {n} equal-population grades; use fewer grades"
            )
        return cls.from_cutoffs(
            [float(c) for c in cuts],
            names if names is not None else _default_names(n),
            labels=labels,
            pds=pds,
            default_grade=default_grade,
            pd_floor=pd_floor,
        )

    # ------------------------------------------------------------------ serialization

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form of the scale (the body of its artifact)."""
        return {
            "grades": [g.to_dict() for g in self.grades],
            "default_grade": None if self.default_grade is None else self.default_grade.to_dict(),
            "pd_floor": self.pd_floor,
        }

    @classmethod
    def from_dict(cls, d: Any) -> GradeScale:
        """Inverse of :meth:`to_dict`; a malformed or inconsistent body raises SchemaError.

        The checks are those of the class: names unique, ``min_score`` strictly
        decreasing from best to worst and ``-inf`` for the worst grade, a PD on every
        grade or on none, PDs in (0, 1) and never decreasing toward worse grades, a
        default grade named apart with a PD >= the worst grade's, ``pd_floor`` in [0, 1).
        """
        o = _json.Obj(d)
        grades = []
        for i, g in enumerate(o.array("grades")):
            with _json.within("grades", i):
                grades.append(Grade.from_dict(g))
        dg = o.raw("default_grade")
        with _json.within("default_grade"):
            default = None if dg is None else Grade.from_dict(dg)
        pd_floor = o.number("pd_floor")
        with _json.within():
            return cls(grades=tuple(grades), default_grade=default, pd_floor=pd_floor)
