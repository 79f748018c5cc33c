"""Synthetic data shaped differently from ``make_credit_data``, for the benchmarks.

Two generators, each drawing a known logistic model:

* :func:`make_ties_data`: 20 numeric features with heavy ties and rounded values
  (amounts rounded to 100, ratios to 0.05, counts as narrow integers ``int8``/``int16``/
  ``uint8``/``int32``), special codes (``-1``, ``-99``, ``9999``) and missing values; 5
  categoricals as plain ``object`` strings, one with 1,500 levels (most of them rare), and
  rare but decisive levels: a yes/no flag whose ``"yes"`` (2 % of rows) carries a bad rate
  near 60 %, a product code whose two rare levels (about 1 % each) are far riskier than
  the rest.
* :func:`make_bureau_data`: a wide bureau-style set, ``n_features`` numeric attributes
  (default 300: counts, balances, ratios, months since an event, each a few signal
  groups plus noise and copies with small perturbations, as bureau attributes are),
  float32 and int16/int32 columns, missing values where a bureau has no record.

Neither is part of the library: they live with the benchmarks that use them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

TIES_SPECIAL_CODES: dict[str, tuple[float, ...]] = {
    "months_since_delinquency": (-1.0,),
    "utilization": (-99.0,),
    "income": (9999.0,),
    "months_at_job": (-1.0,),
}
TIES_CATEGORICAL = ("region_code", "product", "employment", "channel", "insured")


def _expit(x: Any) -> Any:
    return 1.0 / (1.0 + np.exp(-x))


def _intercept(eta: np.ndarray, rate: float) -> float:
    lo, hi = -20.0, 20.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if _expit(eta + mid).mean() > rate:
            hi = mid
        else:
            lo = mid
    return (lo + hi) / 2


def make_ties_data(rows: int, seed: int = 0, bad_rate: float = 0.12) -> pd.DataFrame:
    """Heavily tied, rounded numeric features, special codes, missing values, object strings.

    Returns a frame with a ``bad`` column (int8) and 25 features.
    """
    rng = np.random.default_rng(seed)
    n = int(rows)
    cols: dict[str, Any] = {}
    eta = np.zeros(n)

    # -- numeric, rounded and tied -------------------------------------------------------
    income = np.round(rng.lognormal(10.3, 0.5, n) / 1000) * 1000  # thousands
    eta += -0.6 * (np.log(income + 1000) - 10.3)
    amount = np.round(rng.lognormal(8.5, 0.7, n) / 100) * 100
    eta += 0.3 * (np.log(amount) - 8.5)
    util = np.round(np.clip(rng.beta(2, 3, n), 0, 1) / 0.05) * 0.05  # 21 values
    eta += 1.8 * (util - 0.4)
    dti = np.round(rng.gamma(4, 6, n))  # integer percent
    eta += 0.025 * (dti - 24)
    age = rng.integers(18, 80, n)
    eta += -0.02 * (age - 45) + 0.0008 * (age - 45) ** 2
    inquiries = np.minimum(rng.poisson(1.2, n), 15)
    eta += 0.25 * inquiries
    late = np.minimum(rng.poisson(0.3, n), 9)
    eta += 0.6 * late
    open_acc = np.minimum(rng.poisson(6, n), 40)
    eta += -0.03 * (open_acc - 6)
    since_delinq = rng.integers(0, 120, n).astype(np.float64)
    eta += np.where(since_delinq < 12, 0.7, np.where(since_delinq < 36, 0.3, 0.0))
    months_job = np.round(rng.exponential(60, n))
    eta += -0.004 * np.minimum(months_job, 240)
    term = rng.choice(np.array([12, 24, 36, 48, 60, 72], dtype=np.int64), n)
    eta += 0.01 * (term - 36)
    cards = np.minimum(rng.poisson(2.5, n), 20)
    eta += 0.05 * (cards == 0)
    score = np.round(rng.normal(680, 60, n) / 10) * 10  # rounded to 10
    eta += -0.012 * (score - 680)
    balance = np.round(rng.exponential(3000, n) / 500) * 500
    eta += 0.00005 * balance
    dependents = np.minimum(rng.poisson(0.9, n), 8)
    eta += 0.08 * dependents
    rate = np.round(rng.uniform(5, 25, n) * 4) / 4  # quarter points
    eta += 0.05 * (rate - 15)
    years_addr = np.minimum(rng.poisson(5, n), 40)
    eta += -0.03 * years_addr
    mortgage = np.minimum(rng.poisson(0.6, n), 6)
    eta += -0.15 * mortgage
    hour = rng.integers(0, 24, n)  # no effect
    noise = np.round(rng.normal(0, 1, n), 1)  # no effect

    # special codes and missing values (after the effects: codes carry their own risk)
    code_delinq = rng.random(n) < 0.45  # never delinquent
    since_delinq[code_delinq] = -1
    eta[code_delinq] -= 0.35
    util_code = rng.random(n) < 0.03
    util[util_code] = -99
    eta[util_code] += 0.8
    inc_code = rng.random(n) < 0.02
    income[inc_code] = 9999
    eta[inc_code] += 0.5
    job_code = rng.random(n) < 0.05
    months_job[job_code] = -1
    eta[job_code] += 0.4
    score_missing = rng.random(n) < 0.04
    eta[score_missing] += 0.6
    score[score_missing] = np.nan
    dti_missing = rng.random(n) < 0.08
    dti[dti_missing] = np.nan

    cols.update(
        {
            "income": income,
            "loan_amount": amount,
            "utilization": util,
            "debt_to_income": dti,
            "age": age.astype(np.int8),
            "inquiries_12m": inquiries.astype(np.int8),
            "late_payments_24m": late.astype(np.uint8),
            "open_accounts": open_acc.astype(np.int16),
            "months_since_delinquency": since_delinq.astype(np.int16),
            "months_at_job": months_job.astype(np.int32),
            "term_months": term.astype(np.int16),
            "credit_cards": cards.astype(np.uint8),
            "bureau_score": score.astype(np.float32),
            "revolving_balance": balance,
            "dependents": dependents.astype(np.int8),
            "interest_rate": rate.astype(np.float32),
            "years_at_address": years_addr.astype(np.int8),
            "mortgages": mortgage.astype(np.int8),
            "application_hour": hour.astype(np.int8),
            "marketing_noise": noise,
        }
    )

    # -- categoricals as object strings --------------------------------------------------
    n_regions = 1500
    # the regions' sizes and effects are part of the model, the same for every sample
    fixed = np.random.default_rng(20261201)
    pop = 1.0 / np.arange(1, n_regions + 1) ** 1.05  # a power law: a few big, most rare
    pop = fixed.permutation(pop / pop.sum())
    region_effect = fixed.normal(0, 0.35, n_regions)
    region = rng.choice(n_regions, n, p=pop)
    eta += region_effect[region]
    cols["region_code"] = np.asarray([f"R{i:04d}" for i in range(n_regions)], dtype=object)[region]
    products = np.asarray(["card", "personal", "auto", "student", "payday", "pawn"], dtype=object)
    p_prod = np.array([0.40, 0.30, 0.18, 0.10, 0.012, 0.008])
    prod = rng.choice(products.size, n, p=p_prod / p_prod.sum())
    eta += np.array([0.0, 0.1, -0.3, 0.2, 2.2, 2.6])[prod]
    cols["product"] = products[prod]
    emp = np.asarray(
        ["employed", "self-employed", "retired", "student", "unemployed"], dtype=object
    )
    e = rng.choice(emp.size, n, p=[0.62, 0.14, 0.12, 0.07, 0.05])
    eta += np.array([0.0, 0.25, -0.2, 0.15, 0.9])[e]
    cols["employment"] = emp[e]
    ch = np.asarray(["branch", "web", "app", "broker"], dtype=object)
    c = rng.choice(ch.size, n, p=[0.3, 0.35, 0.25, 0.1])
    eta += np.array([-0.1, 0.05, 0.0, 0.3])[c]
    channel = ch[c]
    channel[rng.random(n) < 0.02] = None
    cols["channel"] = channel
    insured = rng.random(n) < 0.02
    eta += np.where(insured, 2.6, 0.0)  # rare and decisive: about 60 % bad in "yes"
    cols["insured"] = np.where(insured, "yes", "no").astype(object)

    b = _intercept(eta, bad_rate)
    y = (rng.random(n) < _expit(eta + b)).astype(np.int8)
    frame = pd.DataFrame(
        {k: pd.Series(v, dtype=object) if v.dtype == object else v for k, v in cols.items()}
    )
    frame["bad"] = y
    return frame


def make_bureau_data(rows: int, n_features: int = 300, seed: int = 0) -> pd.DataFrame:
    """A wide bureau-style frame: ``n_features`` numeric attributes and ``bad`` (int8).

    Attributes come in families driven by 12 latent factors (delinquency, utilization,
    depth of file, recent search, ...): each attribute is a noisy transform of one factor
    (a count, a balance, a ratio or months since an event), so neighbours are correlated
    as bureau attributes are; a quarter of them carry no signal.  Types mix float32,
    float64, int16 and int32; attributes of thin files are missing (about 10 %).
    """
    rng = np.random.default_rng(seed)
    n = int(rows)
    k = 12
    factors = rng.standard_normal((n, k)).astype(np.float32)
    weights = np.array([0.9, 0.7, -0.5, 0.45, 0.4, -0.35, 0.3, 0.25, 0.2, -0.2, 0.15, 0.1])
    eta = factors @ weights.astype(np.float32)
    thin = rng.random(n) < 0.10
    eta = eta + 0.4 * thin
    cols: dict[str, Any] = {}
    for j in range(n_features):
        f = j % k
        signal = j % 4 != 3  # every fourth attribute is pure noise
        z = factors[:, f] if signal else rng.standard_normal(n).astype(np.float32)
        z = z + rng.standard_normal(n).astype(np.float32) * np.float32(0.6 + 0.1 * (j % 5))
        kind = (j // 3) % 4
        if kind == 0:  # a count: narrow integers, heavy ties
            v = np.clip(np.round(np.exp(0.5 * z)), 0, 30_000).astype(np.int16)
            col: Any = v
        elif kind == 1:  # a balance, rounded to 10
            col = (np.round(np.exp(7 + 0.8 * z) / 10) * 10).astype(np.float64)
        elif kind == 2:  # a ratio
            col = (1 / (1 + np.exp(-z))).astype(np.float32)
        else:  # months since an event
            col = np.clip(np.round(24 + 12 * z), 0, 240).astype(np.int32)
        if j % 3 == 0:  # no record for a thin file
            col = col.astype(np.float32 if col.dtype != np.float64 else np.float64)
            col[thin] = np.nan
        cols[f"attr_{j:03d}"] = col
    b = _intercept(eta.astype(np.float64), 0.08)
    y = (rng.random(n) < _expit(eta + b)).astype(np.int8)
    frame = pd.DataFrame(cols)
    frame["bad"] = y
    return frame
