"""Grade migration between two snapshots of the same accounts.

The matrix counts accounts by their grade in the earlier snapshot (rows) and the later
one (columns), best grade first and the scale's default grade last.  A move to a worse
grade (further down the scale, the default grade included) is a *downgrade*, to a
better one an *upgrade*; ``far`` moves cross two grades or more.

Status: under "no systematic drift" an account that moves is as likely to move down as
up, so the downgrades among the movers are ``Binomial(movers, 1/2)``; the one-sided
p-value ``P(X >= downgrades)`` (a sign test) sets the traffic light.  Accounts in one
snapshot only are counted apart (``entered``, ``exited``), never dropped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard._core import artifact as _json
from scorecard._core.artifact import dec_float, enc_float, get
from scorecard._core.fields import fail, number, to_number, to_tuple
from scorecard._core.types import IntArray
from scorecard.exceptions import DataError, SchemaError, SpecificationError
from scorecard.monitor._stats import p_status
from scorecard.policy._calibration import binomial_pvalue
from scorecard.policy._grades import GradeScale

__all__ = ["MigrationMatrix", "grade_migration"]

KIND = "grade_migration"
SCHEMA_VERSION = 1


def _to_counts(value: Any) -> Any:
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        return value
    if arr.dtype.kind not in "iuf" or (arr.size and not np.all(arr == np.round(arr))):
        return value
    if arr.ndim == 1:
        return tuple(int(v) for v in arr)
    if arr.ndim == 2:
        return tuple(tuple(int(v) for v in row) for row in arr)
    return value


def _check_grades(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    ok = isinstance(value, tuple) and value and all(isinstance(g, str) and g for g in value)
    if not ok or len(set(value)) != len(value):
        fail(instance, attribute, "a non-empty sequence of distinct grade names", value)


def _check_matrix(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    k = len(instance.grades)
    ok = (
        isinstance(value, tuple)
        and len(value) == k
        and all(isinstance(r, tuple) and len(r) == k and all(v >= 0 for v in r) for r in value)
    )
    if not ok:
        fail(instance, attribute, f"a {k} x {k} matrix of counts >= 0", value)


def _check_margin(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    k = len(instance.grades)
    ok = isinstance(value, tuple) and len(value) in (0, k) and all(v >= 0 for v in value)
    if not ok:
        fail(instance, attribute, f"{k} counts >= 0 (one per grade) or none", value)


@attrs.frozen
class MigrationMatrix(_json.JsonArtifact):
    """Accounts by grade in two snapshots, with upgrade, downgrade and stability shares.

    Build it with :func:`grade_migration`, or directly from counts.

    Parameters
    ----------
    grades : tuple of str
        Grade names, best first (the default grade, if any, last).
    counts : tuple of tuple of int
        ``counts[i][j]``: accounts in grade ``i`` before and ``j`` after.
    entered, exited : tuple of int
        Accounts in the later (earlier) snapshot only, by their grade there.
    amber, red : float
        Traffic lights of the sign test's p-value.

    Examples
    --------
    >>> m = MigrationMatrix(("A", "B", "C"), ((50, 8, 2), (5, 30, 5), (0, 2, 18)))
    >>> round(m.upgrade_share, 4), round(m.downgrade_share, 4), round(m.stable_share, 4)
    (0.0583, 0.125, 0.8167)
    >>> round(m.far_share, 4), round(m.p_value, 4), m.status
    (0.0167, 0.0669, 'green')
    """

    _KIND = KIND
    _SCHEMA_VERSION = SCHEMA_VERSION

    grades: tuple[str, ...] = attrs.field(converter=to_tuple, validator=_check_grades)
    counts: tuple[tuple[int, ...], ...] = attrs.field(converter=_to_counts, validator=_check_matrix)
    entered: tuple[int, ...] = attrs.field(
        default=(), converter=_to_counts, validator=_check_margin
    )
    exited: tuple[int, ...] = attrs.field(default=(), converter=_to_counts, validator=_check_margin)
    amber: float = attrs.field(default=0.05, converter=to_number, validator=number(gt=0, lt=1))
    red: float = attrs.field(default=0.01, converter=to_number, validator=number(gt=0, lt=1))

    def _array(self) -> IntArray:
        return np.asarray(self.counts, dtype=np.int64).reshape(len(self.grades), -1)

    @property
    def n(self) -> int:
        """Accounts in both snapshots."""
        return int(self._array().sum())

    def _moves(self) -> tuple[int, int, int, int]:
        m = self._array()
        i, j = np.indices(m.shape)
        return (
            int(m[j < i].sum()),
            int(m[j > i].sum()),
            int(np.trace(m)),
            int(m[np.abs(j - i) >= 2].sum()),
        )

    def _share(self, value: int) -> float:
        return value / self.n if self.n else math.nan

    @property
    def upgrade_share(self) -> float:
        """Share of accounts now in a better grade."""
        return self._share(self._moves()[0])

    @property
    def downgrade_share(self) -> float:
        """Share of accounts now in a worse grade (the default grade included)."""
        return self._share(self._moves()[1])

    @property
    def stable_share(self) -> float:
        """Share of accounts in the same grade (the diagonal)."""
        return self._share(self._moves()[2])

    @property
    def far_share(self) -> float:
        """Share of accounts that moved two grades or more, either way."""
        return self._share(self._moves()[3])

    @property
    def p_value(self) -> float:
        """Sign test: ``P(X >= downgrades)``, ``X ~ Binomial(upgrades + downgrades, 1/2)``."""
        up, down, _, _ = self._moves()
        if up + down == 0:
            return math.nan
        return float(binomial_pvalue(up + down, down, 0.5))

    @property
    def status(self) -> str:
        """Traffic light of :attr:`p_value` (``n/a`` if no account moved)."""
        return p_status(self.p_value, self.amber, self.red)[0]

    @property
    def matrix(self) -> pd.DataFrame:
        """The counts as a frame: rows = grade before, columns = grade after."""
        idx = pd.Index(list(self.grades), name="before", dtype=object)
        cols = pd.Index(list(self.grades), name="after", dtype=object)
        return pd.DataFrame(self._array(), index=idx, columns=cols)

    @property
    def shares(self) -> pd.DataFrame:
        """Row shares: where the accounts of each grade went (NaN for an empty grade)."""
        m = self.matrix.astype(np.float64)
        totals = m.sum(axis=1)
        return m.div(totals.where(totals > 0), axis=0)

    @property
    def summary(self) -> dict[str, Any]:
        """Counts and shares of the moves, the sign test and the status."""
        up, down, same, far = self._moves()
        return {
            "accounts": self.n,
            "upgrades": up,
            "downgrades": down,
            "stable": same,
            "far_moves": far,
            "upgrade_share": self.upgrade_share,
            "downgrade_share": self.downgrade_share,
            "stable_share": self.stable_share,
            "far_share": self.far_share,
            "entered": int(sum(self.entered)),
            "exited": int(sum(self.exited)),
            "p_value": self.p_value,
            "status": self.status,
        }

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (counts; the summary as information)."""
        return {
            "grades": list(self.grades),
            "counts": [list(r) for r in self.counts],
            "entered": list(self.entered),
            "exited": list(self.exited),
            "amber": self.amber,
            "red": self.red,
            "results": {
                k: enc_float(v) if isinstance(v, float) else v for k, v in self.summary.items()
            },
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> MigrationMatrix:
        """Inverse of :meth:`to_dict` (the results are recomputed)."""
        try:
            return cls(
                grades=tuple(get(d, "grades", KIND)),
                counts=get(d, "counts", KIND),
                entered=get(d, "entered", KIND),
                exited=get(d, "exited", KIND),
                amber=dec_float(get(d, "amber", KIND)),
                red=dec_float(get(d, "red", KIND)),
            )
        except (SpecificationError, TypeError, ValueError) as exc:
            if isinstance(exc, SchemaError):
                raise
            raise SchemaError(f"{KIND}: invalid content: {exc}") from None


def _grade_index(scale: GradeScale, values: Any, what: str) -> IntArray:
    s = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values).ravel())
    missing = s.isna().to_numpy()
    if missing.any():
        raise DataError(
            f"{what}: expected a score or grade per account, found {int(missing.sum())} missing"
        )
    if pd.api.types.is_bool_dtype(s.dtype):
        raise DataError(f"{what}: expected scores or grade names, found booleans")
    if pd.api.types.is_numeric_dtype(s.dtype):
        return scale.assign_index(s.to_numpy(dtype=np.float64))
    names = pd.Index(list(scale.all_names), dtype=object)
    idx = names.get_indexer(pd.Index(s.astype(str).to_numpy(), dtype=object))
    if (idx < 0).any():
        unknown = sorted({str(v) for v, i in zip(s, idx, strict=True) if i < 0})[:10]
        raise DataError(f"{what}: expected grade names in {list(scale.all_names)}, found {unknown}")
    return np.asarray(idx, dtype=np.int64)


def grade_migration(
    scale: GradeScale,
    before: npt.ArrayLike | pd.Series,
    after: npt.ArrayLike | pd.Series,
    *,
    amber: float = 0.05,
    red: float = 0.01,
) -> MigrationMatrix:
    """Grade migration of the same accounts between two snapshots.

    Parameters
    ----------
    scale : GradeScale
        The grades (scores are graded with its own rule).
    before, after : array-like or Series
        A score or a grade name per account.  Two Series are matched on their index
        (the account id): accounts in one snapshot only are counted as ``exited``
        (only before) or ``entered`` (only after).  Arrays are matched by position.
    amber, red : float
        Traffic lights of the sign test.

    Examples
    --------
    >>> import pandas as pd
    >>> from scorecard import GradeScale
    >>> scale = GradeScale.from_cutoffs([620, 580], ["A", "B", "C"])
    >>> before = pd.Series([650, 600, 590, 560], index=[1, 2, 3, 4])
    >>> after = pd.Series([630, 570, 600, 500], index=[1, 2, 3, 5])
    >>> m = grade_migration(scale, before, after)
    >>> m.matrix.values.tolist(), m.entered, m.exited
    ([[1, 0, 0], [0, 1, 1], [0, 0, 0]], (0, 0, 1), (0, 0, 1))
    """
    if not isinstance(scale, GradeScale):
        raise SpecificationError(f"scale: expected a GradeScale, found {type(scale).__name__}")
    k = len(scale.all_names)
    entered = exited = np.zeros(k, dtype=np.int64)
    if isinstance(before, pd.Series) and isinstance(after, pd.Series):
        for s, what in ((before, "before"), (after, "after")):
            if s.index.has_duplicates:
                dups = s.index[s.index.duplicated()].unique()[:5].tolist()
                raise DataError(f"{what}: expected unique account ids (index), found {dups}")
        common = before.index.intersection(after.index, sort=False)
        only_b = before.index.difference(after.index, sort=False)
        only_a = after.index.difference(before.index, sort=False)
        if len(only_b):
            exited = np.bincount(_grade_index(scale, before.loc[only_b], "before"), minlength=k)
        if len(only_a):
            entered = np.bincount(_grade_index(scale, after.loc[only_a], "after"), minlength=k)
        b_idx = _grade_index(scale, before.loc[common], "before")
        a_idx = _grade_index(scale, after.loc[common], "after")
    else:
        b_idx = _grade_index(scale, before, "before")
        a_idx = _grade_index(scale, after, "after")
        if b_idx.size != a_idx.size:
            raise DataError(
                f"after: expected {b_idx.size} values (one per account of before), found "
                f"{a_idx.size}; pass two Series indexed by account id to match them"
            )
    counts = np.bincount(b_idx * k + a_idx, minlength=k * k).reshape(k, k)
    return MigrationMatrix(
        tuple(scale.all_names), counts, tuple(entered), tuple(exited), amber=amber, red=red
    )
