"""Synthetic credit applications drawn from a known logistic model.

Every row of :func:`make_credit_data` is drawn from one fixed *population*:

* 25 candidate model features (:data:`FEATURES`), 15 numeric and 10 categorical,
  drawn **independently of each other**, so the univariate WOE curve of a
  feature has the shape of its true effect;
* a true log odds of bad that is an intercept plus one additive term per feature,
  ``true_log_odds = b0 + sum_j f_j(x_j)`` (the ``f_j`` are documented in
  ``docs/data.md`` and in the ``_NUMERIC_EFFECTS`` / ``_LEVEL_EFFECTS`` tables below);
* missing values (NaN) and special codes (:data:`SPECIAL_CODES`) carry their own
  effect, not that of any regular value;
* ``bad ~ Bernoulli(expit(true_log_odds))``.

The intercept ``b0`` is solved on each sample (safeguarded Newton on the mean of
the true PD) so that ``mean(true_pd) == bad_rate`` to 1e-10.  The per-level
effects and frequencies of ``postcode_district`` are part of the population: they
come from a fixed internal seed, so samples with different ``seed`` share the
same true model and one can serve as a holdout for another.
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Callable
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard._core.types import FloatArray, IntArray
from scorecard.exceptions import SpecificationError

__all__ = [
    "CATEGORICAL_FEATURES",
    "FEATURES",
    "NUMERIC_FEATURES",
    "SPECIAL_CODES",
    "make_credit_data",
]

Rng = np.random.Generator

# --------------------------------------------------------------------------------------
# Public constants
# --------------------------------------------------------------------------------------

NUMERIC_FEATURES: Final[tuple[str, ...]] = (
    "age",
    "months_at_address",
    "months_employed",
    "bureau_score",
    "num_inquiries_6m",
    "num_late_payments_24m",
    "revolving_utilization",
    "debt_to_income",
    "loan_term_months",
    "num_open_accounts",
    "savings_balance",
    "credit_history_months",
    "years_with_bank",
    "application_hour",
    "marketing_score",
)
"""The 15 numeric candidate features of :func:`make_credit_data`, in column order."""

CATEGORICAL_FEATURES: Final[tuple[str, ...]] = (
    "residential_status",
    "education_level",
    "loan_purpose",
    "marital_status",
    "channel",
    "region",
    "bank_account_type",
    "occupation",
    "guarantor",
    "postcode_district",
)
"""The 10 categorical candidate features of :func:`make_credit_data`, in column order."""

FEATURES: Final[tuple[str, ...]] = NUMERIC_FEATURES + CATEGORICAL_FEATURES
"""All 25 candidate model features of :func:`make_credit_data` (numeric first)."""

_CODES: Final[dict[str, tuple[float, ...]]] = {
    "months_employed": (-1.0,),
    "bureau_score": (-999.0, -998.0),
    "years_with_bank": (-1.0,),
}

SPECIAL_CODES: Final[dict[str, tuple[float, ...]]] = dict(_CODES)
"""Special codes of the numeric features of :func:`make_credit_data`.

* ``months_employed``: ``-1`` = not applicable (self-employed, retired or not in work);
* ``bureau_score``: ``-999`` = no bureau record, ``-998`` = record too thin to score;
* ``years_with_bank``: ``-1`` = not an existing customer of the bank.

Each code has its own true effect.  This dict is a copy for the caller: changing it
does not change the generator.  Missing values (NaN) occur in
``months_employed``, ``revolving_utilization``, ``debt_to_income`` and
``savings_balance``.
"""

# --------------------------------------------------------------------------------------
# The population: distributions and true effects
# --------------------------------------------------------------------------------------

_START_DATE: Final = np.datetime64("2021-01-01", "D")
_N_DAYS: Final = 3 * 365  # 2021-01-01 .. 2023-12-31 inclusive

_STRUCTURE_SEED: Final = 20_240_917  # fixed: the population is the same for every ``seed``
_N_POSTCODES: Final = 1_500
_POSTCODE_ZIPF_EXPONENT: Final = 1.0
_POSTCODE_EFFECT_SD: Final = 0.6

# Share of rows with a missing value (NaN) and with each special code.
_MISSING_SHARE: Final[dict[str, float]] = {
    "months_employed": 0.03,
    "revolving_utilization": 0.08,
    "debt_to_income": 0.04,
    "savings_balance": 0.10,
}
_SPECIAL_SHARE: Final[dict[str, tuple[float, ...]]] = {
    "months_employed": (0.08,),
    "bureau_score": (0.05, 0.02),
    "years_with_bank": (0.35,),
}

# True effect (log odds of bad; positive = riskier) of a missing value and of each code.
_MISSING_EFFECT: Final[dict[str, float]] = {
    "months_employed": 0.45,
    "revolving_utilization": 0.30,
    "debt_to_income": 0.50,
    "savings_balance": 0.25,
}
_SPECIAL_EFFECT: Final[dict[str, tuple[float, ...]]] = {
    "months_employed": (0.20,),
    "bureau_score": (0.70, 0.40),
    "years_with_bank": (0.20,),
}


def _zero(x: FloatArray) -> FloatArray:
    return np.zeros_like(x)


# True effect of the regular (non-missing, non-special) values of each numeric feature.
_NUMERIC_EFFECTS: Final[dict[str, Callable[[FloatArray], FloatArray]]] = {
    # decreasing, linear up to 70 years
    "age": lambda x: -0.025 * (np.minimum(x, 70.0) - 40.0),
    # decreasing, logarithmic
    "months_at_address": lambda x: -0.25 * (np.log1p(x / 12.0) - 1.5),
    "months_employed": lambda x: -0.35 * (np.log1p(x / 12.0) - 1.5),
    # decreasing, linear: the strongest feature
    "bureau_score": lambda x: -0.009 * (x - 660.0),
    # increasing, linear, flat from 8 inquiries on
    "num_inquiries_6m": lambda x: 0.25 * np.minimum(x, 8.0) - 0.25,
    # increasing, concave
    "num_late_payments_24m": lambda x: 0.8 * np.log1p(x),
    # U-shaped: lowest risk at 35 % utilization
    "revolving_utilization": lambda x: 3.0 * (x - 0.35) ** 2 - 0.15,
    # increasing, linear, flat from 1.5 on
    "debt_to_income": lambda x: 1.6 * (np.minimum(x, 1.5) - 0.3),
    # increasing, linear
    "loan_term_months": lambda x: 0.012 * (x - 36.0),
    # U-shaped: lowest risk at 7 open accounts, capped
    "num_open_accounts": lambda x: np.minimum(0.04 * (x - 7.0) ** 2, 1.5) - 0.2,
    # decreasing, logarithmic
    "savings_balance": lambda x: -0.1 * (np.log1p(x) - 6.0),
    "credit_history_months": lambda x: -0.3 * (np.log1p(x / 12.0) - 2.0),
    # decreasing, linear, flat from 20 years on
    "years_with_bank": lambda x: 0.15 - 0.05 * np.minimum(x, 20.0),
    # pure noise
    "application_hour": _zero,
    "marketing_score": _zero,
}

# Levels, frequencies and true effects of the categorical features (postcode apart).
_LEVELS: Final[dict[str, tuple[str, ...]]] = {
    "residential_status": ("owner_outright", "mortgage", "renter", "with_parents", "other"),
    "education_level": ("secondary", "vocational", "bachelor", "master", "doctorate"),
    "loan_purpose": (
        "car",
        "debt_consolidation",
        "home_improvement",
        "furniture",
        "holiday",
        "education",
        "medical",
        "wedding",
        "boat",
        "taxes",
    ),
    "marital_status": ("single", "married", "divorced", "widowed"),
    "channel": ("branch", "online", "broker", "phone"),
    "region": (
        "north",
        "north_east",
        "east",
        "south_east",
        "south",
        "south_west",
        "west",
        "central",
    ),
    "bank_account_type": ("none", "basic", "current", "premium"),
    "occupation": (
        "manager",
        "professional",
        "technician",
        "clerical",
        "sales",
        "service",
        "skilled_trade",
        "machine_operator",
        "labourer",
        "armed_forces",
        "student",
        "retired",
    ),
    "guarantor": ("none", "family", "business"),
}
_LEVEL_PROBS: Final[dict[str, tuple[float, ...]]] = {
    "residential_status": (0.12, 0.38, 0.33, 0.12, 0.05),
    "education_level": (0.34, 0.26, 0.25, 0.12, 0.03),
    "loan_purpose": (0.24, 0.274, 0.15, 0.10, 0.08, 0.06, 0.05, 0.04, 0.004, 0.002),
    "marital_status": (0.40, 0.45, 0.12, 0.03),
    # ``channel`` drifts: these are its shares on the first day ...
    "channel": (0.45, 0.25, 0.20, 0.10),
    "region": (0.14, 0.10, 0.12, 0.16, 0.13, 0.10, 0.10, 0.15),
    "bank_account_type": (0.05, 0.25, 0.55, 0.15),
    "occupation": (0.08, 0.14, 0.10, 0.12, 0.10, 0.12, 0.10, 0.06, 0.07, 0.02, 0.04, 0.05),
    "guarantor": (0.93, 0.05, 0.02),
}
# ... and on the last day (linear in between): online grows from 25 % to 50 %.
_CHANNEL_PROBS_END: Final = (0.25, 0.50, 0.17, 0.08)

_LEVEL_EFFECTS: Final[dict[str, tuple[float, ...]]] = {
    "residential_status": (-0.45, -0.20, 0.25, 0.10, 0.35),
    "education_level": (0.20, 0.10, -0.10, -0.25, -0.35),
    "loan_purpose": (-0.20, 0.30, -0.15, 0.0, 0.20, 0.10, 0.40, 0.0, -0.30, 0.90),
    "marital_status": (0.10, -0.15, 0.25, 0.0),
    "channel": (-0.20, 0.10, 0.35, 0.15),
    "region": (0.0,) * 8,  # pure noise
    "bank_account_type": (0.60, 0.20, 0.0, -0.35),
    "occupation": (-0.30, -0.25, -0.10, 0.0, 0.10, 0.15, 0.0, 0.10, 0.25, -0.20, 0.30, -0.15),
    "guarantor": (0.0, -0.25, -0.45),
}


@functools.cache
def _postcode_population() -> tuple[tuple[str, ...], FloatArray, FloatArray]:
    """Levels, frequencies (Zipf-like, shuffled) and true effects of ``postcode_district``."""
    rng = np.random.default_rng(_STRUCTURE_SEED)
    levels = tuple(f"PD{i:04d}" for i in range(1, _N_POSTCODES + 1))
    ranks = np.arange(1, _N_POSTCODES + 1, dtype=np.float64)
    weights = ranks**-_POSTCODE_ZIPF_EXPONENT
    probs = rng.permutation(weights / weights.sum())
    effects = rng.normal(0.0, _POSTCODE_EFFECT_SD, size=_N_POSTCODES)
    probs.setflags(write=False)
    effects.setflags(write=False)
    return levels, probs, effects


def _levels(name: str) -> tuple[str, ...]:
    return _postcode_population()[0] if name == "postcode_district" else _LEVELS[name]


def _level_effects(name: str) -> FloatArray:
    if name == "postcode_district":
        return _postcode_population()[2]
    return np.asarray(_LEVEL_EFFECTS[name], dtype=np.float64)


# --------------------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------------------


def _draw_codes(rng: Rng, probs: npt.ArrayLike, n: int) -> IntArray:
    """Category codes 0..K-1 with the given probabilities (inverse CDF, vectorized)."""
    cdf = np.cumsum(np.asarray(probs, dtype=np.float64))
    cdf /= cdf[-1]
    cdf[-1] = 1.0
    codes = np.searchsorted(cdf, rng.random(n), side="right")
    return np.minimum(codes, cdf.size - 1).astype(np.int64)


def _draw_drifting_codes(
    rng: Rng, start: npt.ArrayLike, end: npt.ArrayLike, t: FloatArray
) -> IntArray:
    """Codes whose probabilities move linearly from ``start`` (t=0) to ``end`` (t=1)."""
    cdf0 = np.cumsum(np.asarray(start, dtype=np.float64))[:-1]
    cdf1 = np.cumsum(np.asarray(end, dtype=np.float64))[:-1]
    u = rng.random(t.size)
    codes = np.zeros(t.size, dtype=np.int64)
    for c0, c1 in zip(cdf0, cdf1, strict=True):
        codes += u >= (1.0 - t) * c0 + t * c1
    return codes


def _add_missing_and_special(rng: Rng, name: str, values: FloatArray) -> FloatArray:
    """Overwrite a share of rows with NaN and with each special code of ``name``."""
    p_missing = _MISSING_SHARE.get(name, 0.0)
    codes = _CODES.get(name, ())
    shares = _SPECIAL_SHARE.get(name, ())
    if p_missing == 0.0 and not codes:
        return values
    u = rng.random(values.size)
    lower = p_missing
    for code, share in zip(codes, shares, strict=True):
        values[(u >= lower) & (u < lower + share)] = code
        lower += share
    values[u < p_missing] = np.nan
    return values


def _draw_numeric(rng: Rng, name: str, n: int) -> FloatArray:
    """Regular values of one numeric feature (before missing values and special codes)."""
    if name == "age":
        return np.minimum(18.0 + np.floor(rng.gamma(3.0, 7.0, n)), 85.0)
    if name == "months_at_address":
        return np.minimum(np.floor(rng.exponential(60.0, n)), 600.0)
    if name == "months_employed":
        return np.minimum(np.floor(rng.exponential(70.0, n)), 540.0)
    if name == "bureau_score":
        return np.clip(np.round(rng.normal(660.0, 75.0, n)), 300.0, 850.0)
    if name == "num_inquiries_6m":
        return np.minimum(rng.poisson(1.0, n), 20).astype(np.float64)
    if name == "num_late_payments_24m":
        return np.minimum(rng.poisson(rng.gamma(0.5, 0.8, n)), 24).astype(np.float64)
    if name == "revolving_utilization":
        return np.round(1.1 * rng.beta(1.4, 2.2, n), 3)
    if name == "debt_to_income":
        return np.minimum(np.round(rng.gamma(2.5, 0.12, n), 3), 3.0)
    if name == "loan_term_months":
        terms = np.array([12.0, 24.0, 36.0, 48.0, 60.0, 72.0])
        return terms[_draw_codes(rng, (0.10, 0.20, 0.30, 0.15, 0.15, 0.10), n)]
    if name == "num_open_accounts":
        return np.minimum(rng.poisson(6.0, n), 40).astype(np.float64)
    if name == "savings_balance":
        balance = np.round(rng.lognormal(8.0, 1.4, n), -1)
        return np.where(rng.random(n) < 0.2, 0.0, balance)
    if name == "credit_history_months":
        return np.minimum(np.floor(rng.gamma(2.0, 50.0, n)), 720.0)
    if name == "years_with_bank":
        return np.minimum(np.floor(rng.exponential(6.0, n)), 50.0)
    if name == "application_hour":
        weights = (1, 1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 8, 8, 8, 7, 7, 7, 6, 6, 5, 4, 3, 2)
        return _draw_codes(rng, weights, n).astype(np.float64)
    if name == "marketing_score":
        return np.round(rng.beta(2.0, 5.0, n), 4)
    raise AssertionError(f"unknown numeric feature {name!r}")  # pragma: no cover


# Numeric features stored as int64 (the others, with NaN or fractions, as float64).
_FLOAT_FEATURES: Final = frozenset(_MISSING_SHARE) | {"marketing_score"}
_INT_FEATURES: Final = frozenset(NUMERIC_FEATURES) - _FLOAT_FEATURES


def _numeric_contribution(name: str, x: FloatArray) -> FloatArray:
    """True effect of every value of numeric feature ``name`` (NaN and codes included)."""
    missing = np.isnan(x)
    regular = ~missing
    for code in _CODES.get(name, ()):
        regular &= x != code
    out = _NUMERIC_EFFECTS[name](np.where(regular, x, 0.0))
    out[missing] = _MISSING_EFFECT.get(name, 0.0)
    for code, effect in zip(_CODES.get(name, ()), _SPECIAL_EFFECT.get(name, ()), strict=True):
        out[x == code] = effect
    return out


def _true_contributions(frame: pd.DataFrame) -> pd.DataFrame:
    """The true additive effect of every feature of a :func:`make_credit_data` frame.

    ``frame["true_log_odds"] - _true_contributions(frame).sum(axis=1)`` is the
    (constant) intercept of the sample.
    """
    out: dict[str, FloatArray] = {}
    for name in NUMERIC_FEATURES:
        x = frame[name].to_numpy(dtype=np.float64, na_value=np.nan)
        out[name] = _numeric_contribution(name, x)
    for name in CATEGORICAL_FEATURES:
        cat = pd.Categorical(frame[name], categories=list(_levels(name)))
        out[name] = _level_effects(name)[np.asarray(cat.codes)]
    return pd.DataFrame(out, index=frame.index)


def _expit(x: FloatArray) -> FloatArray:
    """Numerically stable logistic function."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))


def _solve_intercept(eta: FloatArray, bad_rate: float) -> float:
    """``b0`` with ``mean(expit(b0 + eta)) == bad_rate`` (safeguarded Newton)."""
    logit = math.log(bad_rate) - math.log1p(-bad_rate)
    lo, hi = logit - float(eta.max()), logit - float(eta.min())  # brackets the root
    b0 = min(max(logit - float(eta.mean()), lo), hi)
    for _ in range(100):
        p = _expit(b0 + eta)
        gap = float(p.mean()) - bad_rate
        if abs(gap) <= 1e-12 * bad_rate:
            break
        if gap > 0.0:
            hi = b0
        else:
            lo = b0
        slope = float((p * (1.0 - p)).mean())
        step = b0 - gap / slope if slope > 0.0 else math.nan
        b0 = step if lo < step < hi else 0.5 * (lo + hi)
    return b0


# --------------------------------------------------------------------------------------
# Public function
# --------------------------------------------------------------------------------------


def _check_args(n: Any, seed: Any, bad_rate: Any, include_truth: Any) -> None:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise SpecificationError(
            f"make_credit_data: n: expected an integer number of rows >= 1, "
            f"found {n!r} of type {type(n).__name__}"
        )
    if n < 1:
        raise SpecificationError(
            f"make_credit_data: n: expected an integer number of rows >= 1, found {n}"
        )
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise SpecificationError(
            f"make_credit_data: seed: expected a non-negative integer, "
            f"found {seed!r} of type {type(seed).__name__}"
        )
    if seed < 0:
        raise SpecificationError(
            f"make_credit_data: seed: expected a non-negative integer, found {seed}"
        )
    if isinstance(bad_rate, bool) or not isinstance(bad_rate, numbers.Real):
        raise SpecificationError(
            f"make_credit_data: bad_rate: expected a number strictly between 0 and 1, "
            f"found {bad_rate!r} of type {type(bad_rate).__name__}"
        )
    if not 0.0 < float(bad_rate) < 1.0:
        raise SpecificationError(
            f"make_credit_data: bad_rate: expected a number strictly between 0 and 1, "
            f"found {bad_rate!r}"
        )
    if not isinstance(include_truth, bool | np.bool_):
        raise SpecificationError(
            f"make_credit_data: include_truth: expected True or False, "
            f"found {include_truth!r} of type {type(include_truth).__name__}"
        )


def make_credit_data(
    n: int = 10_000,
    *,
    seed: int = 0,
    bad_rate: float = 0.1,
    include_truth: bool = False,
) -> pd.DataFrame:
    """Synthetic credit applications whose target comes from a known logistic model.

    Step 1 of the credit cycle (*collect*) for tests, demos and benchmarks: the
    rows look like a loan book with application data, bureau data, missing
    values, special codes, rare and high-cardinality categories and a mild drift
    over time, but the true probability of default of every row is known.

    Parameters
    ----------
    n : int, default 10_000
        Number of rows (applications), at least 1.
    seed : int, default 0
        Non-negative seed of :func:`numpy.random.default_rng`.  The same ``n``
        and ``seed`` give an identical frame.  Different seeds give independent
        samples from the *same* population (same true model), so one sample can
        be a holdout for another.
    bad_rate : float, default 0.1
        Target share of bad rows, strictly between 0 and 1.  The intercept of
        the true model is solved on the sample so that the mean true PD equals
        ``bad_rate``; the realized share of ``bad`` differs from it only by
        sampling noise.
    include_truth : bool, default False
        Add the columns ``true_log_odds`` (log odds of bad under the true model)
        and ``true_pd`` (the true probability of bad).

    Returns
    -------
    pandas.DataFrame
        One row per application, in date order, with a ``RangeIndex`` and columns:

        * ``application_date`` (``datetime64[ns]``): uniform over 2021-01-01 to
          2023-12-31, sorted;
        * the 25 candidate features :data:`FEATURES` (``int64`` or ``float64``
          for :data:`NUMERIC_FEATURES`, unordered ``category`` for
          :data:`CATEGORICAL_FEATURES`);
        * policy and exposure fields that are *not* model features and do not
          enter the true model: ``requested_amount``, ``annual_income``,
          ``annual_revenue``, ``net_worth`` (may be negative),
          ``years_in_business``, ``expected_monthly_sales`` (``float64``
          except ``years_in_business``, ``int64``), ``bankruptcy_flag`` (bool,
          about 1 %, more likely for riskier rows) and ``sanctions_hit``
          (bool, about 0.05 %);
        * ``bad`` (``int8``): 1 = bad, 0 = good;
        * with ``include_truth``: ``true_log_odds`` and ``true_pd`` (``float64``).

    Raises
    ------
    scorecard.exceptions.SpecificationError
        If ``n`` is not an integer >= 1, ``seed`` not a non-negative integer,
        ``bad_rate`` not strictly between 0 and 1 or ``include_truth`` not a bool.

    See Also
    --------
    load_german_credit : a small real data set.

    Notes
    -----
    The true model is ``log(P(bad) / P(good)) = b0 + sum_j f_j(x_j)`` over the
    25 features, with features drawn independently of each other.  The risk
    falls with ``age``, ``months_at_address``, ``months_employed``,
    ``bureau_score`` (the strongest), ``savings_balance``,
    ``credit_history_months`` and ``years_with_bank``; it rises with
    ``num_inquiries_6m``, ``num_late_payments_24m``, ``debt_to_income`` and
    ``loan_term_months``; it is U-shaped in ``revolving_utilization`` and
    ``num_open_accounts``; and it does not depend at all on ``application_hour``,
    ``marketing_score`` or ``region``.  Missing values and every special code
    (:data:`SPECIAL_CODES`) have an effect of their own.  The 1,500 levels of
    ``postcode_district`` have Zipf-like frequencies (most are rare) and
    effects drawn from a normal distribution with mean 0 and standard
    deviation 0.6: a modest true signal that naive
    target encoding overfits.  ``channel`` drifts: the share of ``online``
    grows linearly from 25 % to 50 % over the three years.  The true model's
    AUC is about 0.82.  The full table is in the user guide (*Data*).

    Only :func:`numpy.random.default_rng` is used, whose streams are the same
    on every platform; NumPy may change them between feature releases, so pin
    NumPy if a test asserts on exact values.  Feature values are rounded, so
    platform differences in the last bit of ``exp`` or ``log`` do not reach
    them; ``true_log_odds`` and ``true_pd`` may differ in their last bits.

    Examples
    --------
    >>> from scorecard.datasets import FEATURES, SPECIAL_CODES, make_credit_data
    >>> df = make_credit_data(5_000, seed=1)
    >>> df.shape
    (5000, 35)
    >>> len(FEATURES), df["bad"].dtype.name, df["postcode_district"].dtype.name
    (25, 'int8', 'category')
    >>> bool(abs(df["bad"].mean() - 0.1) < 0.02)
    True
    >>> bool(df["bureau_score"].isin(SPECIAL_CODES["bureau_score"]).any())
    True
    >>> df.equals(make_credit_data(5_000, seed=1))
    True

    With the truth, the mean true PD is the requested bad rate:

    >>> truth = make_credit_data(2_000, seed=2, bad_rate=0.05, include_truth=True)
    >>> round(float(truth["true_pd"].mean()), 6)
    0.05
    """
    _check_args(n, seed, bad_rate, include_truth)
    n = int(n)
    rng = np.random.default_rng(int(seed))

    days = np.sort(rng.integers(0, _N_DAYS, size=n))
    t = days / (_N_DAYS - 1.0)
    dates = (_START_DATE + days).astype("datetime64[ns]")

    columns: dict[str, Any] = {"application_date": dates}
    eta = np.zeros(n, dtype=np.float64)

    for name in NUMERIC_FEATURES:
        x = _add_missing_and_special(rng, name, _draw_numeric(rng, name, n))
        eta += _numeric_contribution(name, x)
        columns[name] = x.astype(np.int64) if name in _INT_FEATURES else x

    for name in CATEGORICAL_FEATURES:
        if name == "channel":
            codes = _draw_drifting_codes(rng, _LEVEL_PROBS[name], _CHANNEL_PROBS_END, t)
        elif name == "postcode_district":
            codes = _draw_codes(rng, _postcode_population()[1], n)
        else:
            codes = _draw_codes(rng, _LEVEL_PROBS[name], n)
        eta += _level_effects(name)[codes]
        columns[name] = pd.Categorical.from_codes(codes, categories=pd.Index(_levels(name)))

    b0 = _solve_intercept(eta, float(bad_rate))
    log_odds = b0 + eta
    true_pd = _expit(log_odds)
    bad = (rng.random(n) < true_pd).astype(np.int8)

    # Policy and exposure fields: outside the model, drawn after the target.
    income = np.maximum(np.round(rng.lognormal(math.log(38_000.0), 0.5, n), -2), 6_000.0)
    columns["requested_amount"] = np.maximum(
        np.round(0.25 * income * rng.lognormal(0.0, 0.6, n), -2), 500.0
    )
    columns["annual_income"] = income
    revenue = np.maximum(np.round(rng.lognormal(math.log(1_200_000.0), 1.2, n), -3), 10_000.0)
    columns["annual_revenue"] = revenue
    columns["net_worth"] = np.round(revenue * (0.35 * rng.lognormal(0.0, 0.8, n) - 0.05), -3)
    columns["years_in_business"] = np.minimum(np.floor(rng.exponential(9.0, n)), 80.0).astype(
        np.int64
    )
    columns["expected_monthly_sales"] = np.round(revenue / 12.0 * rng.lognormal(0.0, 0.2, n), -2)
    p_bankrupt = np.minimum(0.01 * true_pd / bad_rate, 0.5)
    columns["bankruptcy_flag"] = rng.random(n) < p_bankrupt
    columns["sanctions_hit"] = rng.random(n) < 0.0005

    columns["bad"] = bad
    if include_truth:
        columns["true_log_odds"] = log_odds
        columns["true_pd"] = true_pd
    return pd.DataFrame(columns)
