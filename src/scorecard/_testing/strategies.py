"""Hypothesis strategies for applicants that reach every bin of a card.

The only module of the library that imports hypothesis; :mod:`scorecard.testing` imports
it when a strategy is asked for, so hypothesis stays optional.
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import strategies as st

from scorecard._testing.cover import (
    MISSING_FORMS,
    NUMBER_FORMS,
    TEXT_FORMS,
    Form,
    Plan,
    plans_of,
    range_values,
)
from scorecard.exceptions import SpecificationError

#: what :func:`records` returns (a name for the type hints of :mod:`scorecard.testing`)
RecordStrategy = st.SearchStrategy[dict[str, Any]]

#: integers drawn for a bin without a bound stay where floats are exact
_EXACT = 2**53


def _numbers_in(lo: float, hi: float, specials: frozenset[float | str]) -> st.SearchStrategy[float]:
    """Floats of ``[lo, hi)``, not special codes: its edge values, whole numbers and any
    float in between."""
    finite_lo, finite_hi = math.isfinite(lo), math.isfinite(hi)
    floats = st.floats(
        min_value=lo if finite_lo else None,
        max_value=hi if finite_hi else None,
        exclude_max=finite_hi,
        allow_nan=False,
        allow_infinity=False,
    )
    lo_int = max(math.ceil(lo), -_EXACT) if finite_lo else -_EXACT
    hi_int = min(math.ceil(hi) - 1, _EXACT) if finite_hi else _EXACT
    parts: list[st.SearchStrategy[float]] = []
    edges = range_values(lo, hi, specials)
    if edges:
        parts.append(st.sampled_from(edges))
    if lo_int <= hi_int:
        parts.append(st.integers(lo_int, hi_int).map(float))
    parts.append(floats)
    return st.one_of(parts).filter(lambda v: lo <= v < hi and v not in specials)


def _in_forms(values: st.SearchStrategy[Any], forms: tuple[Form, ...]) -> st.SearchStrategy[Any]:
    """Each canonical value in one of the forms that keep it."""

    def forms_of(x: Any) -> st.SearchStrategy[Any]:
        return st.sampled_from([f for f in forms if f.applies(x)]).map(lambda f: f.make(x))

    return values.flatmap(forms_of)


def values(plan: Plan, *, canonical: bool, refused: bool) -> st.SearchStrategy[Any]:
    """Values of one characteristic: a bin first (each equally likely), then a value in it."""

    def ok(index: int) -> bool:
        return refused or not plan.refused(index)

    specials = plan.special_values
    branches: list[st.SearchStrategy[Any]] = []
    if plan.kind == "numeric":
        branches += [_numbers_in(lo, hi, specials) for i, lo, hi in plan.ranges if ok(i)]
        branches += [st.just(float(code)) for i, code in plan.specials if ok(i)]
        forms = NUMBER_FORMS
        missing: Any = math.nan
    else:
        branches += [st.sampled_from(lv) for i, lv in plan.levels if ok(i)]
        branches += [st.just(str(code)) for i, code in plan.specials if ok(i)]
        if ok(-1):
            known = frozenset(
                [*(v for _, lv in plan.levels for v in lv), *(str(c) for c in specials)]
            )
            branches.append(
                st.one_of(st.sampled_from(plan.unseen), st.text().filter(lambda s: s not in known))
            )
        forms = TEXT_FORMS
        missing = None
    if ok(plan.missing_bin):
        if canonical:
            branches.append(st.just(missing))
        else:
            branches.append(st.sampled_from([v for _, v in MISSING_FORMS]))
    if not branches:  # pragma: no cover - a card has a scoreable bin per characteristic
        raise SpecificationError(f"records: characteristic {plan.name!r} has no scoreable bin")
    if canonical:
        return st.one_of(branches)
    # missing values are already in their forms; the others get one
    n_missing = 1 if ok(plan.missing_bin) else 0
    regular = branches[: len(branches) - n_missing]
    out = [_in_forms(b, forms) for b in regular] + branches[len(branches) - n_missing :]
    return st.one_of(out)


def records(model: Any, *, canonical: bool, refused: bool, what: str) -> RecordStrategy:
    """Applicants as mappings characteristic -> value, every bin reachable."""
    plans = plans_of(model, what)
    names = [p.name for p in plans]
    drawn = st.fixed_dictionaries(
        {p.name: values(p, canonical=canonical, refused=refused) for p in plans}
    )
    return drawn.map(lambda d: {n: d[n] for n in names})  # in card order
