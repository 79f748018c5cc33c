"""The bins of a card, the values that reach each of them, and the seeded covering records.

A value reaches a bin by the library's value rule (the same rule for every scoring path):

* a value is **missing** when it is ``None``, a float NaN (Python or numpy), ``pd.NA`` or
  ``pd.NaT``; it goes to the characteristic's Missing bin (wherever that bin was moved);
* a **numeric** characteristic reads a non-missing value as a real number (``bool``,
  ``int``, ``float``, numpy scalars, ``Decimal``: their float value); special codes are
  compared on that float value; a regular bin ``[lo, hi)`` holds ``lo <= x < hi``;
* a **categorical** characteristic reads a non-missing value as the level ``str(value)``; a
  level the card does not know is *unseen* (bin index ``-1``, the last entry of
  ``points``).

Each value is first chosen in its *canonical form* (a float, NaN for missing, for a numeric
characteristic; a ``str``, ``None`` for missing, for a categorical one), then presented in
one of the *forms* a system sends (:data:`NUMBER_FORMS`, :data:`TEXT_FORMS`,
:data:`MISSING_FORMS`). Every form keeps the canonical value exactly: ``float(form(x)) ==
x`` for numbers, ``str(form(s)) == s`` for levels.

Randomness comes from :class:`random.Random` and only its ``random()`` method, whose
sequence for a given seed Python keeps stable across versions, so the covering records
of a card and a seed are the same on every platform and Python version.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, Literal

import attrs
import numpy as np
import pandas as pd

from scorecard._analyze.binning import Binning
from scorecard._analyze.feature import FeatureBinning
from scorecard._model.scorecard import Scorecard
from scorecard.exceptions import SpecificationError

Canonical = float | str | None


@attrs.frozen
class Form:
    """One way a system sends a value: a name, when it applies, and how it is made."""

    name: str
    applies: Callable[[Any], bool]
    make: Callable[[Any], Any]


def _always(_: Any) -> bool:
    return True


def _integral(lo: float, hi: float) -> Callable[[Any], bool]:
    def applies(x: Any) -> bool:
        return bool(float(x).is_integer() and lo <= x <= hi)

    return applies


def _exact_float32(x: Any) -> bool:
    return bool(abs(x) < 3e38 and float(np.float32(x)) == x)


#: the forms of a number (every one keeps its float value exactly)
NUMBER_FORMS: tuple[Form, ...] = (
    Form("float", _always, float),
    Form("int", _integral(-(2.0**53), 2.0**53), lambda x: int(x)),
    Form("numpy.float64", _always, np.float64),
    Form("Decimal", _always, lambda x: Decimal(repr(float(x)))),
    Form("numpy.int64", _integral(-(2.0**53), 2.0**53), lambda x: np.int64(int(x))),
    Form("numpy.float32", _exact_float32, np.float32),
    Form("numpy.int32", _integral(-(2.0**31), 2.0**31 - 1), lambda x: np.int32(int(x))),
    Form("numpy.uint8", _integral(0, 255), lambda x: np.uint8(int(x))),
    Form("bool", lambda x: x in (0.0, 1.0), lambda x: bool(x)),
)


def _int_text(s: Any) -> bool:
    try:
        return bool(str(int(s)) == s)
    except ValueError:
        return False


def _int64_text(s: Any) -> bool:
    return _int_text(s) and -(2**63) <= int(s) < 2**63


def _float_text(s: Any) -> bool:
    try:
        x = float(s)
    except ValueError:
        return False
    return math.isfinite(x) and str(x) == s


#: the forms of a categorical level (every one gives back the level as ``str(value)``)
TEXT_FORMS: tuple[Form, ...] = (
    Form("str", _always, str),
    Form("numpy.str_", _always, np.str_),
    Form("int", _int_text, int),
    Form("numpy.int64", _int64_text, lambda s: np.int64(int(s))),
    Form("float", _float_text, float),
    Form("bool", lambda s: s in ("True", "False"), lambda s: s == "True"),
    Form("numpy.bool_", lambda s: s in ("True", "False"), lambda s: np.bool_(s == "True")),
)

#: the forms of a missing value
MISSING_FORMS: tuple[tuple[str, Any], ...] = (
    ("None", None),
    ("float nan", math.nan),
    ("numpy.float64 nan", np.float64("nan")),
    ("numpy.float32 nan", np.float32("nan")),
    ("pandas.NA", pd.NA),
    ("pandas.NaT", pd.NaT),
)


@attrs.frozen
class Plan:
    """The bins of one characteristic, described by the values that reach them.

    Attributes
    ----------
    name, kind
        The characteristic.
    refuses : tuple of bool
        Per bin index, then one entry for unseen categories (index ``-1``): whether the
        bin refuses scoring (its points are ``None``: the ``"error"`` treatment).
    ranges : tuple of (bin, lo, hi)
        Numeric: the regular bins ``[lo, hi)``.
    levels : tuple of (bin, levels)
        Categorical: the levels of each regular bin.
    specials : tuple of (bin, code)
        Each special code and the bin it falls into.
    missing_bin : int
        The bin of missing values.
    unseen : tuple of str
        Categorical: levels the card does not know (empty for numeric characteristics).
    """

    name: str
    kind: Literal["numeric", "categorical"]
    refuses: tuple[bool, ...]
    ranges: tuple[tuple[int, float, float], ...]
    levels: tuple[tuple[int, tuple[str, ...]], ...]
    specials: tuple[tuple[int, float | str], ...]
    missing_bin: int
    unseen: tuple[str, ...]

    def refused(self, index: int) -> bool:
        """Whether the bin of ``index`` (``-1``: unseen) refuses scoring."""
        return self.refuses[index]

    @property
    def special_values(self) -> frozenset[float | str]:
        return frozenset(code for _, code in self.specials)


def _unseen_levels(known: frozenset[str]) -> tuple[str, ...]:
    """Levels a card does not know: a marker, the empty string, a number, near misses."""
    out = ["<unseen>", "", "987654321"]
    if known:
        first = min(known)
        out += [first + " ", first.swapcase()]
    return tuple(dict.fromkeys(s for s in out if s not in known))


def plan_of(fb: FeatureBinning, refuses: Sequence[bool]) -> Plan:
    """The :class:`Plan` of one feature binning (from its public bins and fine classes)."""
    bounds = (-math.inf, *fb.fine.edges, math.inf)
    ranges: list[tuple[int, float, float]] = []
    levels: list[tuple[int, tuple[str, ...]]] = []
    specials: list[tuple[int, float | str]] = []
    for b in fb.bins:
        if b.fine:
            if fb.kind == "numeric":
                ranges.append((b.index, float(bounds[b.fine[0]]), float(bounds[b.fine[-1] + 1])))
            else:
                levels.append((b.index, tuple(v for i in b.fine for v in fb.fine.levels[i])))
        specials += [(b.index, code) for code in b.specials]
    known = frozenset([*(v for _, lv in levels for v in lv), *(str(code) for _, code in specials)])
    return Plan(
        name=fb.name,
        kind=fb.kind,
        refuses=tuple(bool(r) for r in refuses),
        ranges=tuple(ranges),
        levels=tuple(levels),
        specials=tuple(specials),
        missing_bin=fb.missing_index,
        unseen=_unseen_levels(known) if fb.kind == "categorical" else (),
    )


def plans_of(model: Any, what: str) -> list[Plan]:
    """The plan of every characteristic of a :class:`Scorecard` (or feature of a
    :class:`Binning`), in the model's order."""
    if isinstance(model, Scorecard):
        return [plan_of(c.binning, [p is None for p in c.points]) for c in model.characteristics]
    if isinstance(model, Binning):
        return [plan_of(f, np.isnan(f.woe_table).tolist()) for f in model.features]
    raise SpecificationError(
        f"{what}: expected a Scorecard or a Binning, found {type(model).__name__}"
    )


# ---------------------------------------------------------------------------------------------
# Values inside a numeric bin
# ---------------------------------------------------------------------------------------------


def simple_inside(lo: float, hi: float) -> float | None:
    """The number with fewest significant digits strictly inside ``(lo, hi)``, if any."""
    mid = lo + (hi - lo) / 2
    for digits in range(1, 18):
        cand = float(f"{mid:.{digits}g}")
        if lo < cand < hi:
            return cand
    return None


def range_values(lo: float, hi: float, specials: frozenset[float | str]) -> list[float]:
    """Values of a regular bin ``[lo, hi)``: its lower bound, a round value inside, far
    values for an open end, and the largest float below its upper bound."""
    vals: list[float | None] = []
    finite_lo, finite_hi = math.isfinite(lo), math.isfinite(hi)
    if finite_lo:
        vals.append(lo)
    if finite_lo and finite_hi:
        vals.append(simple_inside(lo, hi))
    elif finite_hi:
        vals += [hi - max(1.0, abs(hi)), -1e9]
    elif finite_lo:
        vals += [lo + max(1.0, abs(lo)), 1e9]
    else:
        vals += [0.0, -1e9, 1e9]
    if finite_hi:
        vals.append(float(np.nextafter(hi, -math.inf)))
    ok = [v for v in vals if v is not None and math.isfinite(v) and lo <= v < hi]
    return list(dict.fromkeys(v for v in ok if v not in specials))


# ---------------------------------------------------------------------------------------------
# Covering records
# ---------------------------------------------------------------------------------------------


@attrs.frozen
class Target:
    """A canonical value meant for a bin, and the missing form it must take (if any)."""

    bin: int
    value: Canonical
    missing_form: str | None = None


def _pick(rng: random.Random, n: int) -> int:
    """A position in ``range(n)`` from ``rng.random()`` alone (stable across Pythons)."""
    return min(int(rng.random() * n), n - 1)


def _shuffle(items: list[Any], rng: random.Random) -> None:
    for i in range(len(items) - 1, 0, -1):
        j = _pick(rng, i + 1)
        items[i], items[j] = items[j], items[i]


def targets(plan: Plan, rng: random.Random) -> list[Target]:
    """Every target of one characteristic: several values per regular bin, each special
    code, each form of a missing value and (categorical) several unseen levels."""
    out: list[Target] = []
    specials = plan.special_values
    if plan.kind == "numeric":
        for index, lo, hi in plan.ranges:
            out += [Target(index, v) for v in range_values(lo, hi, specials)]
        out += [Target(index, float(code)) for index, code in plan.specials]
        missing: Canonical = math.nan
    else:
        for index, lv in plan.levels:
            picks = [lv[0], lv[_pick(rng, len(lv))], lv[-1]]
            out += [Target(index, v) for v in dict.fromkeys(picks)]
        out += [Target(index, str(code)) for index, code in plan.specials]
        out += [Target(-1, s) for s in plan.unseen]
        missing = None
    out += [Target(plan.missing_bin, missing, name) for name, _ in MISSING_FORMS]
    return out


def present(targets_: Sequence[Target], kind: str, rng: random.Random) -> list[Any]:
    """The values of the targets in the forms a system sends: each target takes the
    applicable form used least so far (ties in a seeded rotation), so every form shows up."""
    forms = NUMBER_FORMS if kind == "numeric" else TEXT_FORMS
    missing = dict(MISSING_FORMS)
    start = _pick(rng, len(forms))
    used = dict.fromkeys((f.name for f in forms), 0)
    out = []
    for t in targets_:
        if t.missing_form is not None:
            out.append(missing[t.missing_form])
            continue
        ok = [(i, f) for i, f in enumerate(forms) if f.applies(t.value)]
        _, form = min(ok, key=lambda p: (used[p[1].name], (p[0] - start) % len(forms)))
        used[form.name] += 1
        out.append(form.make(t.value))
    return out


def covering(
    model: Any, *, seed: int, canonical: bool, refused: bool, what: str
) -> tuple[list[dict[str, Any]], list[dict[str, int]]]:
    """The covering records of a model and, for each, the bin each value was meant for.

    Record ``i`` takes target ``i mod n`` of every characteristic (``n`` its number of
    targets, the targets in a seeded order), so every target of every characteristic
    appears; there are as many records as the largest number of targets.  With
    ``refused``, one more record per target in a bin that refuses scoring follows: record 0
    with that one value changed.
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise SpecificationError(f"{what}: expected an integer seed, found {seed!r}")
    plans = plans_of(model, what)
    rng = random.Random(int(seed))
    columns: list[tuple[str, list[Target], list[Any], list[Target], list[Any]]] = []
    for plan in plans:
        all_targets = targets(plan, rng)
        forms = present(all_targets, plan.kind, rng)  # drawn either way: the same order
        values = [t.value for t in all_targets] if canonical else forms
        pairs = list(zip(all_targets, values, strict=True))
        _shuffle(pairs, rng)
        keep = [p for p in pairs if not plan.refused(p[0].bin)]
        away = [p for p in pairs if plan.refused(p[0].bin)]
        if not keep:  # pragma: no cover - a card has a scoreable bin per characteristic
            raise SpecificationError(f"{what}: characteristic {plan.name!r} has no scoreable bin")
        columns.append(
            (
                plan.name,
                [t for t, _ in keep],
                [v for _, v in keep],
                [t for t, _ in away],
                [v for _, v in away],
            )
        )
    n = max(len(c[1]) for c in columns)
    records: list[dict[str, Any]] = []
    bins: list[dict[str, int]] = []
    for i in range(n):
        records.append({name: vals[i % len(vals)] for name, _, vals, _, _ in columns})
        bins.append({name: ts[i % len(ts)].bin for name, ts, _, _, _ in columns})
    if refused:
        for name, _, _, away_t, away_v in columns:
            for t, v in zip(away_t, away_v, strict=True):
                records.append({**records[0], name: v})
                bins.append({**bins[0], name: t.bin})
    return records, bins


def canonical_frame(model: Any, records: Sequence[dict[str, Any]], what: str) -> pd.DataFrame:
    """Canonical records as a frame: numeric columns float64 (NaN missing), categorical
    columns object (``str``, ``None`` missing)."""
    cols: dict[str, Any] = {}
    for plan in plans_of(model, what):
        vals = [r[plan.name] for r in records]
        if plan.kind == "numeric":
            cols[plan.name] = pd.Series(vals, dtype="float64")
        else:
            cols[plan.name] = pd.Series(vals, dtype=object)
    return pd.DataFrame(cols)
