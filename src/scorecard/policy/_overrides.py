"""Overrides: an underwriter's decision recorded on a decision, and reported by grade.

:func:`apply_overrides` records decisions on a decision table (vectorized);
:func:`override` records one on a :class:`~scorecard.policy._records.Decision` through the
same code (a one-row table); :func:`override_report` counts overrides and their rates by
grade.  The direction of an override is named from the policy's decision, see
:data:`~scorecard.policy._records.OVERRIDE_DIRECTIONS`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from scorecard._core.arrays import NUMPY
from scorecard._core.types import BoolArray
from scorecard._core.validation import check_columns
from scorecard.exceptions import DataError, SpecificationError
from scorecard.policy._engine import Engine, expected_loss
from scorecard.policy._records import (
    Decision,
    Outcome,
    decision_of,
    from_records,
    from_table,
    row,
    to_table,
)
from scorecard.policy._spec import APPROVE, DECLINE, REFER
from scorecard.policy._values import describe_rows

__all__ = ["apply_overrides", "override", "override_report"]


def override(
    engine: Engine, decision: Decision, to: str, reason: str, limit: float | None, by: str
) -> Decision:
    """One decision overridden (see :meth:`~scorecard.CreditPolicy.override`)."""
    if not isinstance(decision, Decision):
        raise DataError(f"decision: expected a Decision, found {type(decision).__name__}")
    if not isinstance(by, str):
        raise SpecificationError(f"by: expected a string (who decided), found {by!r}")
    layout = engine.layout
    table = to_table(from_records([decision], layout), layout)
    ov = pd.DataFrame(
        {
            "decision": [to],
            "reason": [reason],
            "limit": [math.nan if limit is None else limit],
            "by": [by],
        },
        index=table.index,
    )
    out = _override(engine, from_table(table, layout), ov, single=True)
    return decision_of(row(out, 0), layout)


def apply_overrides(engine: Engine, table: pd.DataFrame, overrides: pd.DataFrame) -> pd.DataFrame:
    """Overrides recorded on a decision table (:meth:`~scorecard.CreditPolicy.apply_overrides`)."""
    layout = engine.layout
    return to_table(_override(engine, from_table(table, layout), overrides, single=False), layout)


def _override(engine: Engine, b: Outcome, ov: pd.DataFrame, single: bool) -> Outcome:
    if not isinstance(ov, pd.DataFrame):
        raise DataError(f"overrides: expected a DataFrame, found {type(ov).__name__}")
    check_columns(ov, ["decision", "reason"], "overrides")
    if ov.index.has_duplicates:
        raise DataError("overrides: expected one row per applicant, found duplicate index labels")
    assert b.rows is not None
    if b.rows.has_duplicates:
        raise DataError(
            "decision table: expected unique index labels to apply overrides by label, found "
            "duplicates; reset the index first"
        )
    pos = b.rows.get_indexer(ov.index)
    if (pos < 0).any():
        unknown = [ov.index[i] for i in np.flatnonzero(pos < 0)[:5]]
        raise DataError(
            f"overrides: expected index labels of the decision table, found unknown labels "
            f"{unknown}"
        )

    def where(m: BoolArray) -> str:
        return "the decision" if single else describe_rows(m, ov.index)

    to = ov["decision"].map({"approve": APPROVE, "decline": DECLINE})
    bad = to.isna().to_numpy()
    if bad.any():
        raise SpecificationError(
            f"overrides 'decision' (to): expected 'approve' or 'decline', found "
            f"{sorted(map(str, ov['decision'][bad].unique()))[:5]}"
        )
    to_c = to.to_numpy(dtype=np.int8)
    reason = ov["reason"]
    bad = (reason.isna() | (reason.astype(str).str.strip() == "")).to_numpy()
    if bad.any():
        raise SpecificationError(
            f"overrides 'reason': expected a non-empty reason for every override, found "
            f"none at {where(bad)}"
        )
    lim = (
        ov["limit"].to_numpy(dtype=np.float64, na_value=np.nan)
        if "limit" in ov.columns
        else np.full(len(ov), np.nan)
    )
    bad = ~np.isnan(lim) & ~(np.isfinite(lim) & (lim >= 0))
    if bad.any():
        raise SpecificationError(
            f"overrides 'limit': expected a finite limit >= 0 or none, found "
            f"{lim[bad][:3].tolist()} at {where(bad)}"
        )
    by = (
        ov["by"].astype(object).where(ov["by"].notna(), "").astype(str).to_numpy(dtype=object)
        if "by" in ov.columns
        else np.full(len(ov), "", dtype=object)
    )
    pol = b.policy_decision[pos]
    sd = b.score_decision[pos]
    ko = b.knock_outs[pos] != ""
    same = to_c == pol
    if same.any():
        raise SpecificationError(
            f"overrides 'decision' (to): expected a decision different from the policy's, "
            f"found the policy's own decision at {where(same)}: that is not an override"
        )
    direction = np.where(
        pol == REFER,
        "refer_resolved",
        np.where(
            pol == APPROVE,
            "high_side",
            np.where(ko, "knock_out", np.where(sd == DECLINE, "low_side", "limit_floor")),
        ),
    ).astype(object)
    locked = (direction == "knock_out") & b.ko_locked[pos]
    if locked.any():
        raise SpecificationError(
            f"overrides: a knock-out rule that is not overridable fired at {where(locked)} "
            f"(codes {sorted(set(b.knock_outs[pos][locked]))[:5]}); such knock-outs cannot "
            "be overridden (set Rule(overridable=True) in the policy to allow it)"
        )
    approve = to_c == APPROVE
    nograde = approve & (b.grade_idx[pos] < 0)
    if nograde.any():
        raise SpecificationError(
            f"overrides: cannot approve an applicant without a score/grade at "
            f"{where(nograde)}: score it first"
        )
    new_limit = np.where(np.isnan(lim), b.limit_if_approved[pos], lim)
    nolimit = approve & ~(new_limit > 0)
    if nolimit.any():
        raise SpecificationError(
            f"overrides 'limit': expected a limit > 0 for an approval whose policy limit "
            f"is 0, found none at {where(nolimit)}: pass limit="
        )
    decl_lim = ~approve & ~np.isnan(lim) & (lim != 0)
    if decl_lim.any():
        raise SpecificationError(
            f"overrides 'limit': expected no limit (or 0) for a decline, found "
            f"{lim[decl_lim][:3].tolist()} at {where(decl_lim)}"
        )
    out = b._replace(
        decision=b.decision.copy(),
        limit=b.limit.copy(),
        expected_loss=b.expected_loss.copy(),
        ov_direction=b.ov_direction.copy(),
        ov_reason=b.ov_reason.copy(),
        ov_by=b.ov_by.copy(),
    )
    out.decision[pos] = to_c
    out.limit[pos] = np.where(approve, new_limit, 0.0)
    out.expected_loss[pos] = expected_loss(NUMPY, b.pd[pos], b.lgd[pos], engine.ccf, out.limit[pos])
    out.ov_direction[pos] = direction
    out.ov_reason[pos] = reason.astype(str).to_numpy(dtype=object)
    out.ov_by[pos] = by
    return out


def override_report(engine: Engine, decisions: pd.DataFrame | Sequence[Decision]) -> pd.DataFrame:
    """Override counts and rates by grade (see :meth:`~scorecard.CreditPolicy.override_report`)."""
    layout = engine.layout
    if isinstance(decisions, pd.DataFrame):
        table = decisions
    else:
        table = to_table(from_records(decisions, layout), layout)
    b = from_table(table, layout)
    ko = b.knock_outs != ""
    d = b.ov_direction
    flags = {
        "n": np.ones(b.n, dtype=np.bool_),
        "n_below_cutoff": ~ko & (b.score_decision == DECLINE),
        "n_low_side": d == "low_side",
        "n_above_cutoff": ~ko & (b.score_decision == APPROVE),
        "n_high_side": d == "high_side",
        "n_knocked_out": ko,
        "n_knock_out_overrides": d == "knock_out",
        "n_referred": b.policy_decision == REFER,
        "n_refer_resolved": d == "refer_resolved",
        "n_limit_floor_overrides": d == "limit_floor",
    }
    names = layout.grade_names
    k = len(names)
    gi = np.where(b.grade_idx >= 0, b.grade_idx, k)
    counts = {
        name: np.bincount(gi, weights=f.astype(np.float64), minlength=k + 1)[:k]
        for name, f in flags.items()
    }
    all_counts = {name: float(f.sum()) for name, f in flags.items()}
    data = {name: [*counts[name].tolist(), all_counts[name]] for name in flags}
    rep = pd.DataFrame(data, index=pd.Index([*names, "all"], name="grade")).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(rep["n_below_cutoff"] > 0, rep["n_low_side"] / rep["n_below_cutoff"], np.nan)
        high = np.where(
            rep["n_above_cutoff"] > 0, rep["n_high_side"] / rep["n_above_cutoff"], np.nan
        )
    rep.insert(3, "low_side_rate", low)
    rep.insert(6, "high_side_rate", high)
    return rep
