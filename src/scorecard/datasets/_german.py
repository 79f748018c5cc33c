"""The bundled Statlog (German Credit Data) set."""

from __future__ import annotations

from importlib import resources
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard.exceptions import DataError

__all__ = ["GERMAN_CREDIT_CITATION", "load_german_credit"]

GERMAN_CREDIT_CITATION: Final[str] = (
    "Hofmann, H. (1994). Statlog (German Credit Data) [Dataset]. "
    "UCI Machine Learning Repository. https://doi.org/10.24432/C5NC77. "
    "Licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). "
    "Changes: attribute codes (A11, A12, ...) replaced by their descriptions from the "
    "UCI documentation, descriptive column names, target recoded as bad = 1, good = 0."
)
"""How to credit the Statlog German credit data (required by its CC BY 4.0 license)."""

_RESOURCE: Final = "data/german_credit.csv"  # for messages

# Categories of each categorical attribute in the order of the UCI attribute codes
# (A11, A12, ... ; levels that never occur in the data are left out), so ordinal
# attributes such as the checking account balance are listed from low to high.
_CATEGORIES: Final[dict[str, tuple[str, ...]]] = {
    "status_of_existing_checking_account": (
        "... < 0 DM",
        "0 <= ... < 200 DM",
        "... >= 200 DM / salary assignments for at least 1 year",
        "no checking account",
    ),
    "credit_history": (
        "no credits taken/ all credits paid back duly",
        "all credits at this bank paid back duly",
        "existing credits paid back duly till now",
        "delay in paying off in the past",
        "critical account/ other credits existing (not at this bank)",
    ),
    "purpose": (
        "car (new)",
        "car (used)",
        "furniture/equipment",
        "radio/television",
        "domestic appliances",
        "repairs",
        "education",
        "retraining",
        "business",
        "others",
    ),
    "savings_account_and_bonds": (
        "... < 100 DM",
        "100 <= ... < 500 DM",
        "500 <= ... < 1000 DM",
        "... >= 1000 DM",
        "unknown/ no savings account",
    ),
    "present_employment_since": (
        "unemployed",
        "... < 1 year",
        "1 <= ... < 4 years",
        "4 <= ... < 7 years",
        "... >= 7 years",
    ),
    "personal_status_and_sex": (
        "male : divorced/separated",
        "female : divorced/separated/married",
        "male : single",
        "male : married/widowed",
    ),
    "other_debtors_or_guarantors": ("none", "co-applicant", "guarantor"),
    "property": (
        "real estate",
        "building society savings agreement/ life insurance",
        "car or other, not in attribute Savings account/bonds",
        "unknown / no property",
    ),
    "other_installment_plans": ("bank", "stores", "none"),
    "housing": ("rent", "own", "for free"),
    "job": (
        "unemployed/ unskilled - non-resident",
        "unskilled - resident",
        "skilled employee / official",
        "management/ self-employed/ highly qualified employee/ officer",
    ),
    "telephone": ("none", "yes, registered under the customers name"),
    "foreign_worker": ("yes", "no"),
}

_NUMERIC: Final[tuple[str, ...]] = (
    "duration_in_month",
    "credit_amount",
    "installment_rate_in_percentage_of_disposable_income",
    "present_residence_since",
    "age_in_years",
    "number_of_existing_credits_at_this_bank",
    "number_of_people_being_liable_to_provide_maintenance_for",
)

# Column order of the file (and of the returned frame, with ``bad`` last).
_COLUMNS: Final[tuple[str, ...]] = (
    "status_of_existing_checking_account",
    "duration_in_month",
    "credit_history",
    "purpose",
    "credit_amount",
    "savings_account_and_bonds",
    "present_employment_since",
    "installment_rate_in_percentage_of_disposable_income",
    "personal_status_and_sex",
    "other_debtors_or_guarantors",
    "present_residence_since",
    "property",
    "age_in_years",
    "other_installment_plans",
    "housing",
    "number_of_existing_credits_at_this_bank",
    "job",
    "number_of_people_being_liable_to_provide_maintenance_for",
    "telephone",
    "foreign_worker",
    "creditability",
)


def load_german_credit() -> pd.DataFrame:
    """Load the Statlog (German Credit Data) set: 1,000 applicants, 20 attributes.

    Step 1 of the credit cycle (*collect*) on real data.  The data are bundled
    with the package and read with :mod:`importlib.resources`; no network access.

    Returns
    -------
    pandas.DataFrame
        1,000 rows and 21 columns, in the column order of the file:

        * 13 categorical attributes as unordered ``category`` dtype whose
          categories are the level descriptions in the order of the UCI
          attribute codes (A11, A12, ...; levels absent from the data are
          not listed), so ordinal attributes run from low to high;
        * 7 numeric attributes as ``int64``;
        * ``bad`` (``int8``, last column): 1 = bad (300 rows), 0 = good
          (700 rows), recoded from the original ``creditability`` column,
          which is dropped.

    Raises
    ------
    scorecard.exceptions.DataError
        If the bundled file has been altered (unexpected columns or values).

    See Also
    --------
    make_credit_data : synthetic data of any size from a known model.

    Notes
    -----
    Source and license (credit required, see :data:`GERMAN_CREDIT_CITATION`):
    Hofmann, H. (1994). *Statlog (German Credit Data)*. UCI Machine Learning
    Repository. https://doi.org/10.24432/C5NC77. Licensed under CC BY 4.0.
    The attribute codes (A11, A12, ...) are replaced by their descriptions
    from the UCI documentation, the columns carry descriptive names and the
    target is recoded as ``bad`` (1 = bad, 0 = good).

    Examples
    --------
    >>> from scorecard.datasets import load_german_credit
    >>> df = load_german_credit()
    >>> df.shape
    (1000, 21)
    >>> df["bad"].value_counts().sort_index().to_dict()
    {0: 700, 1: 300}
    >>> list(df["housing"].cat.categories)
    ['rent', 'own', 'for free']
    >>> df["duration_in_month"].dtype.name
    'int64'
    """
    path = resources.files("scorecard.datasets").joinpath("data").joinpath("german_credit.csv")
    with path.open("rb") as handle:
        raw = pd.read_csv(handle, dtype=str, keep_default_na=False)
    if tuple(raw.columns) != _COLUMNS:
        raise DataError(
            f"{_RESOURCE}: expected the columns {list(_COLUMNS)}, found {list(raw.columns)}; "
            "the bundled file has been altered, reinstall the package"
        )
    out: dict[str, pd.Series | pd.Categorical | npt.NDArray[np.int8]] = {}
    for name in _COLUMNS[:-1]:
        column = raw[name]
        if name in _NUMERIC:
            out[name] = pd.to_numeric(column, errors="raise").astype(np.int64)
            continue
        categories = _CATEGORIES[name]
        unknown = sorted(set(column) - set(categories))
        if unknown:
            raise DataError(
                f"{_RESOURCE}: column {name!r}: expected levels {list(categories)}, "
                f"found also {unknown}; the bundled file has been altered, reinstall the package"
            )
        out[name] = pd.Categorical(column, categories=list(categories), ordered=False)
    target = raw["creditability"]
    labels = set(target)
    if labels != {"good", "bad"}:
        raise DataError(
            f"{_RESOURCE}: column 'creditability': expected the labels ['bad', 'good'], "
            f"found {sorted(labels)}; the bundled file has been altered, reinstall the package"
        )
    out["bad"] = (target == "bad").to_numpy().astype(np.int8)
    return pd.DataFrame(out)
