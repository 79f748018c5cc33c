from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import settings

settings.register_profile("ci", max_examples=60, deadline=None, print_blob=True)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def german() -> pd.DataFrame:
    from scorecard.datasets import load_german_credit

    return load_german_credit()


@pytest.fixture
def toy() -> pd.DataFrame:
    """Small frame with a numeric (NaN, special -999) and a categorical feature."""
    rng = np.random.default_rng(7)
    n = 2_000
    x = rng.normal(size=n)
    p = 1 / (1 + np.exp(-(-1.5 + 1.2 * x)))
    y = (rng.random(n) < p).astype(int)
    x = x.round(3)
    x[rng.random(n) < 0.05] = np.nan
    x[rng.random(n) < 0.03] = -999.0
    cat = rng.choice(list("abcdef"), size=n, p=[0.3, 0.25, 0.2, 0.15, 0.07, 0.03])
    cat = np.where(rng.random(n) < 0.02, None, cat)
    return pd.DataFrame({"x": x, "cat": pd.Series(cat, dtype="str"), "bad": y})
