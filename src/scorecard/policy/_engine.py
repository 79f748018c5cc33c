"""The policy compiled for evaluation, and its one evaluator.

:class:`Engine` holds what evaluation needs from a :class:`~scorecard.CreditPolicy`:
its rules and limit components, lookup tables per grade (decision, PD, LGD, limit
factors) for each array namespace, and the :class:`~scorecard.policy._records.Layout`
the renderers need.  :meth:`Engine.evaluate` is the decision flow, written once against an
array namespace ``xp`` (:mod:`scorecard._core.arrays`): with :data:`~scorecard._core.arrays.NUMPY`
it decides a whole frame, vectorized; with :data:`~scorecard._core.arrays.SCALAR` one
applicant, in plain Python (numpy's per-call overhead would dominate a one-applicant
decision).  Every business rule is written once, here or in the rule and limit classes.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple, Protocol

from scorecard._core.arrays import NUMPY, SCALAR, ArrayNamespace
from scorecard.exceptions import DataError
from scorecard.policy._grades import GradeScale
from scorecard.policy._inputs import Inputs, Sources
from scorecard.policy._limits import LimitComponent, LimitContext
from scorecard.policy._records import Layout, Outcome
from scorecard.policy._rules import GradeCutoffs, Rule, ScoreCutoffs
from scorecard.policy._spec import APPROVE, DECLINE, REFER, ByGrade, per_grade
from scorecard.policy._terms import Terms
from scorecard.policy._values import describe_rows

__all__ = ["Engine", "expected_loss"]

_new = tuple.__new__


def expected_loss(xp: ArrayNamespace, pd: Any, lgd: Any, ccf: float, limit: Any) -> Any:
    """``EL = PD * LGD * EAD`` with ``EAD = CCF * limit``; 0 where the limit is 0."""
    return xp.where(limit > 0, pd * lgd * (ccf * limit), 0.0)


class PolicyFields(Protocol):
    """What the engine reads from a policy (a :class:`~scorecard.CreditPolicy` has it all)."""

    @property
    def grade_scale(self) -> GradeScale: ...
    @property
    def cutoffs(self) -> ScoreCutoffs | GradeCutoffs: ...
    @property
    def rules(self) -> tuple[Rule, ...]: ...
    @property
    def limits(self) -> tuple[LimitComponent, ...]: ...
    @property
    def terms(self) -> tuple[tuple[str, Terms], ...]: ...
    @property
    def cap(self) -> float: ...
    @property
    def floor(self) -> float: ...
    @property
    def unit(self) -> float: ...
    @property
    def below_floor(self) -> str: ...
    @property
    def floor_code(self) -> str: ...
    @property
    def lgd(self) -> ByGrade: ...
    @property
    def ccf(self) -> float: ...
    @property
    def score_field(self) -> str: ...
    @property
    def pd_field(self) -> str: ...
    @property
    def reason_fields(self) -> tuple[str, ...]: ...
    @property
    def n_reasons(self) -> int: ...


class _Tables(NamedTuple):
    """Lookup tables per grade index, plus a trailing slot for "no grade" (index -1)."""

    grade_codes: Any  # decision per grade (GradeCutoffs), else None
    grade_pd: Any  # floored PD per grade, None if the scale has no PDs
    lgd: Any
    factors: tuple[Any, ...]  # per limit component


class Engine:
    """A :class:`~scorecard.CreditPolicy` compiled for evaluation (internal)."""

    def __init__(self, policy: PolicyFields) -> None:
        scale = policy.grade_scale
        names = scale.names
        self.scale: GradeScale = scale
        self.rules: tuple[Rule, ...] = policy.rules
        self.limits: tuple[LimitComponent, ...] = policy.limits
        self.score_cutoffs = policy.cutoffs if isinstance(policy.cutoffs, ScoreCutoffs) else None
        self.cap, self.unit, self.floor = float(policy.cap), float(policy.unit), policy.floor
        self.floor_level = REFER if policy.below_floor == "refer" else DECLINE
        self.floor_code = policy.floor_code
        self.ccf = policy.ccf
        self.pd_floor = scale.pd_floor
        self.score_field, self.pd_field = policy.score_field, policy.pd_field
        self.component_names = tuple(c.name for c in self.limits)
        self._rules = tuple(
            (r, r.field, r.code, not r.overridable, r.missing == "refer") for r in self.rules
        )
        fields = [r.field for r in self.rules]
        for comp in self.limits:
            fields.extend(comp.fields)
        self.sources = Sources.of(
            fields, policy.score_field, policy.pd_field, policy.reason_fields, policy.n_reasons
        )
        terms = dict(policy.terms)
        self.layout = Layout(
            grade_names=names,
            components=tuple((c.name, c.kind) for c in self.limits),
            terms=tuple(terms[g] for g in names),
            cap=self.cap,
            unit=self.unit,
            floor=self.floor,
            locked_codes=tuple(r.code for r in self.rules if not r.overridable),
        )
        codes: list[int] | None = None
        if isinstance(policy.cutoffs, GradeCutoffs):
            codes = [*(int(c) for c in policy.cutoffs.per_grade(names)), -1]
        gpd: list[float] | None = None
        if scale.has_pds:
            gpd = [*(float(p) for p in scale.grade_pd(list(range(len(names))))), math.nan]
        lgd = per_grade(policy.lgd, names)
        factors = [per_grade(c.factor, names) for c in self.limits]
        self._tables = {
            xp.name: _Tables(
                grade_codes=None if codes is None else xp.table(codes),
                grade_pd=None if gpd is None else xp.table(gpd),
                lgd=xp.table(lgd),
                factors=tuple(xp.table(f) for f in factors),
            )
            for xp in (NUMPY, SCALAR)
        }

    # ------------------------------------------------------------------ errors

    def _missing_score(self, where: str) -> DataError:
        return DataError(
            f"field {self.score_field!r} (score): expected a score for every applicant that is "
            f"not knocked out, found missing scores at {where}"
        )

    def _no_pd(self, where: str) -> DataError:
        return DataError(
            f"field {self.pd_field!r} (pd): expected a PD for {where} since the grade scale has "
            "no PDs to fall back on; pass PDs or use a master scale"
        )

    # ------------------------------------------------------------------ the evaluator

    def evaluate(self, xp: ArrayNamespace, x: Inputs) -> Outcome:
        """The decision flow on a frame's inputs (``NUMPY``) or one applicant's (``SCALAR``)."""
        t = self._tables[xp.name]
        n, rows, cols = x.n, x.rows, x.cols
        # 1. knock-outs, and rule refers for missing values
        ko = refer = locked = xp.full(n, False)
        ko_codes: list[tuple[Any, str]] = []
        refer_codes: list[tuple[Any, str]] = []
        for rule, field, code, hard, refers in self._rules:
            k, r = rule.evaluate(cols[field], xp)
            ko = ko | k
            ko_codes.append((k, code))
            if hard:  # not overridable
                locked = locked | k
            if refers:  # missing="refer"
                refer = refer | r
                refer_codes.append((r, code))
        knock_outs = xp.join_codes(ko_codes, n)
        # 2. score and grade (from the grade scale)
        score = x.score
        has_score = score == score  # not NaN
        unscored = xp.logical_not(has_score | ko)
        if xp.any(unscored):
            raise self._missing_score(describe_rows(unscored, rows))
        graded = self.scale._score_index(xp.where(has_score, score, 0.0), xp)
        gi = xp.where(has_score, graded, -1)
        # 3. score decision (-1 = none)
        if self.score_cutoffs is not None:
            sd = self.score_cutoffs.decide(score, xp)
        else:
            sd = t.grade_codes[gi]
        # 4. PD (data or model, floored; else the grade's) and LGD
        has_pd = x.pd == x.pd  # not NaN
        if t.grade_pd is None:
            need = xp.logical_not(has_pd) & has_score
            if xp.any(need):
                raise self._no_pd(describe_rows(need, rows))
            gpd = xp.full(n, math.nan)
        else:
            gpd = t.grade_pd[gi]
        pd_used = xp.where(has_pd, xp.maximum(x.pd, self.pd_floor), gpd)
        pd_source = xp.select([has_pd, has_score], [x.pd_label, "grade"], "none")
        lgd = t.lgd[gi]
        # 5. limit: the minimum of the components that apply and the cap, rounded down;
        #    binding: the first component (in policy order) equal to it, else the cap
        ctx = _new(LimitContext, (cols, gi, pd_used, lgd, self.ccf, rows, xp))
        comps = []
        for comp, factor in zip(self.limits, t.factors, strict=True):
            comps.append(comp.evaluate(ctx, factor[gi]))
        before = xp.fmin_reduce([*comps, xp.full(n, self.cap)])
        binding = xp.select([v == before for v in comps], self.component_names, xp.full(n, "cap"))
        unit = self.unit
        q = xp.floor(before / unit)  # then corrected, so that q * unit <= before exactly
        q = q + ((q + 1.0) * unit <= before)
        q = q - (q * unit > before)
        rounded = q * unit
        below = (rounded < self.floor) | (rounded <= 0.0)
        # 6. policy decision: the score decision, at most refer for a rule refer, lowered by a
        #    below-floor limit; decline for a knock-out or without a score decision
        level = xp.minimum(
            xp.where(below, self.floor_level, APPROVE), xp.where(refer, REFER, APPROVE)
        )
        policy = xp.where(ko | (sd < 0), DECLINE, xp.minimum(sd, level))
        # 7. granted limit and expected loss
        limit = xp.where(policy == APPROVE, rounded, 0.0)
        el = expected_loss(xp, pd_used, lgd, self.ccf, limit)
        # 8. reasons: knock-outs; if not knocked out, rule refers and the floor code (unless
        #    the score alone declines); then the scorecard's; none for approvals
        refer_codes.append((below & (sd != DECLINE), self.floor_code))
        live_codes = xp.where(ko, "", xp.join_codes(refer_codes, n))
        reasons = xp.join([knock_outs, live_codes, *x.reasons], n)
        reasons = xp.where(policy == APPROVE, "", reasons)
        return (
            _new(  # Outcome(...), in field order, without NamedTuple.__new__ (one-applicant path)
                Outcome,
                (
                    policy,  # decision (before any override)
                    policy,  # policy_decision
                    sd,
                    gi,
                    score,
                    pd_used,
                    pd_source,
                    lgd,
                    tuple(comps),
                    before,
                    rounded,  # limit_if_approved
                    binding,
                    below,
                    limit,
                    el,
                    knock_outs,
                    reasons,
                    locked,
                    None,  # no override
                    None,
                    None,
                    rows,
                ),
            )
        )
