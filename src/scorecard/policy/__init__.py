"""Credit policy building blocks: rules, cut-offs, limit components and terms.

The policy itself, :class:`scorecard.CreditPolicy`, and its :class:`scorecard.Decision`
are also exported at the top level; this module gathers everything a policy is made of,
so a policy can be written with one import::

    from scorecard.policy import CreditPolicy, Rule, ScoreCutoffs, NeedLimit, Terms

Rules are data, not functions: a policy serializes to versioned JSON and can be
reviewed, stored and shipped to another system.
"""

from __future__ import annotations

from scorecard.policy._inputs import RecordScoringModel, ScoredRecord, ScoringModel
from scorecard.policy._limits import CapacityCap, ExpectedLossCap, ExternalLimit, NeedLimit
from scorecard.policy._policy import CreditPolicy
from scorecard.policy._records import (
    OVERRIDE_DIRECTIONS,
    ComponentValue,
    Decision,
    LimitBreakdown,
    Override,
)
from scorecard.policy._rules import GradeCutoffs, Rule, ScoreCutoffs
from scorecard.policy._terms import Terms

__all__ = [
    "OVERRIDE_DIRECTIONS",
    "CapacityCap",
    "ComponentValue",
    "CreditPolicy",
    "Decision",
    "ExpectedLossCap",
    "ExternalLimit",
    "GradeCutoffs",
    "LimitBreakdown",
    "NeedLimit",
    "Override",
    "RecordScoringModel",
    "Rule",
    "ScoreCutoffs",
    "ScoredRecord",
    "ScoringModel",
    "Terms",
]
