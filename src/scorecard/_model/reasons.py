"""Reason codes: why a score is low.

A characteristic is a *reason* for a row when its points fall below its *baseline*: the
characteristic's maximum points (``"max"``, the default: what the applicant could have
scored), the points of WOE 0 (``"neutral"``: the average applicant), or the training
population's mean of the printed points (``"mean"``, from the bin counts).  Points and
baselines are the printed (integer) points, so the reasons agree with the printed card.
Reasons are ranked by the shortfall (ties in card order) and mapped to codes and texts by
the card's :class:`ReasonCatalog`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import attrs
import numpy as np
import pandas as pd

from scorecard._core import artifact as _json
from scorecard._core.fields import optional, string, to_tuple, tuple_of
from scorecard._core.types import FloatArray, IntArray, ObjArray
from scorecard.exceptions import SpecificationError

Baseline = Literal["max", "neutral", "mean"]
BASELINES = ("max", "neutral", "mean")


@attrs.frozen
class ReasonCode:
    """A reason code: for a characteristic, or for one of its attributes (bin label).

    Examples
    --------
    >>> ReasonCode("age", "R01", "Applicant is young", attribute="[-inf, 25)").code
    'R01'
    >>> ReasonCode("age", "")
    Traceback (most recent call last):
    ...
    scorecard.exceptions.SpecificationError: ReasonCode.code: expected a non-empty string, found ''
    """

    characteristic: str = attrs.field(validator=string())
    code: str = attrs.field(validator=string())
    text: str = attrs.field(default="", validator=string(nonempty=False))
    attribute: str | None = attrs.field(default=None, validator=optional(string()))


@attrs.frozen
class ReasonCatalog:
    """Maps characteristics (and optionally attributes) to reason codes and texts.

    An attribute-level entry wins over the characteristic-level one. A
    characteristic without an entry reports its own name as the code.

    Examples
    --------
    >>> cat = ReasonCatalog((ReasonCode("age", "R01", "Applicant is young"),))
    >>> cat.lookup("age", "[-inf, 25)")
    ('R01', 'Applicant is young')
    >>> cat.lookup("income", "[0, 1000)")
    ('income', 'income')
    """

    codes: tuple[ReasonCode, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=tuple_of(lambda c: isinstance(c, ReasonCode), "ReasonCode objects"),
    )

    def __attrs_post_init__(self) -> None:
        keys = [(c.characteristic, c.attribute) for c in self.codes]
        if len(set(keys)) != len(keys):
            raise SpecificationError(
                "ReasonCatalog.codes: expected one entry per (characteristic, attribute), "
                f"found duplicates {sorted({k for k in keys if keys.count(k) > 1}, key=str)}"
            )

    def lookup(self, characteristic: str, attribute: str | None = None) -> tuple[str, str]:
        """Code and text for a characteristic (and attribute)."""
        best: ReasonCode | None = None
        for c in self.codes:
            if c.characteristic == characteristic:
                if c.attribute == attribute and attribute is not None:
                    return c.code, c.text or c.code
                if c.attribute is None:
                    best = c
        if best is not None:
            return best.code, best.text or best.code
        return characteristic, characteristic

    def to_dict(self) -> list[dict[str, Any]]:
        """Plain-JSON form (a list of entries)."""
        return [attrs.asdict(c) for c in self.codes]

    @classmethod
    def from_dict(cls, d: Any) -> ReasonCatalog:
        """Inverse of :meth:`to_dict`; a malformed list raises SchemaError naming the entry."""
        codes = []
        for i, c in enumerate(_json.items(d, _json.Obj)):
            with _json.within(i):
                codes.append(
                    ReasonCode(
                        characteristic=c.string("characteristic"),
                        code=c.string("code"),
                        text=c.string("text"),
                        attribute=c.optional_string("attribute"),
                    )
                )
        with _json.within():
            return cls(tuple(codes))


def check_request(n: Any, baseline: Any) -> None:
    """``n >= 1`` reasons and a known baseline, or a SpecificationError."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise SpecificationError(f"reason_codes: expected n >= 1, found {n!r}")
    if baseline not in BASELINES:
        raise SpecificationError(
            f"reason_codes: expected baseline in {BASELINES}, found {baseline!r}"
        )


def reason_table(
    names: Sequence[str],
    labels: Sequence[ObjArray],
    indices: Sequence[IntArray],
    points: IntArray,
    baselines: FloatArray,
    catalog: ReasonCatalog,
    n: int,
) -> pd.DataFrame:
    """Long table of the top ``n`` reasons per row (see ``Scorecard.reason_table``).

    ``points`` holds each row's points per characteristic (rows x characteristics),
    ``indices`` each characteristic's bin index per row and ``labels`` its bin labels
    (``"Unseen"`` last, for index -1); ``baselines`` one value per characteristic.
    """
    gap = baselines[None, :] - points
    k = points.shape[1]
    order = np.argsort(-gap, axis=1, kind="stable")[:, : min(n, k)]
    rows = np.repeat(np.arange(points.shape[0]), order.shape[1])
    cols = order.ravel()
    g = gap[rows, cols]
    keep = g > 0
    rows, cols, g = rows[keep], cols[keep], g[keep]
    rank = np.zeros(rows.size, dtype=np.int64)
    if rows.size:  # rank within a row: position among its kept entries
        starts = np.r_[0, np.flatnonzero(np.diff(rows)) + 1]
        first = np.repeat(starts, np.diff(np.r_[starts, rows.size]))
        rank = np.arange(rows.size) - first + 1
    attribute = np.empty(rows.size, dtype=object)
    codes = np.empty(rows.size, dtype=object)
    texts = np.empty(rows.size, dtype=object)
    for j, name in enumerate(names):
        m = cols == j
        if not m.any():
            continue
        labs = labels[j][indices[j][rows[m]]]
        attribute[m] = labs
        look = {lab: catalog.lookup(name, str(lab)) for lab in pd.unique(labs)}
        codes[m] = [look[lab][0] for lab in labs]
        texts[m] = [look[lab][1] for lab in labs]
    return pd.DataFrame(
        {
            "row": rows,
            "rank": rank,
            "characteristic": np.asarray(names, dtype=object)[cols],
            "attribute": attribute,
            "points": points[rows, cols],
            "baseline": baselines[cols],
            "shortfall": g,
            "code": codes,
            "text": texts,
        }
    )


def wide_codes(table: pd.DataFrame, n: int, index: pd.Index) -> pd.DataFrame:
    """The codes of a :func:`reason_table` as columns ``reason_1..reason_n``.

    Every column has dtype object and a cell without a reason is ``None``, whatever the
    codes (pandas would otherwise make a column of strings a string column, whose empty
    cells are NaN, while a column with no code at all stays object with None).
    """
    rank = table["rank"].to_numpy()
    rows = table["row"].to_numpy()
    codes = table["code"].to_numpy()
    columns = {}
    for i in range(1, n + 1):
        col = np.full(len(index), None, dtype=object)
        sel = rank == i
        col[rows[sel]] = codes[sel]
        columns[f"reason_{i}"] = pd.Series(col, index=index, dtype=object, copy=False)
    return pd.DataFrame(columns, index=index, dtype=object)
