"""Data for step 1 of the credit cycle (*collect*): a real set and a synthetic generator.

* :func:`load_german_credit`: the Statlog (German Credit Data) set, 1,000 applicants,
  bundled with the package (credit: :data:`GERMAN_CREDIT_CITATION`, CC BY 4.0).
* :func:`make_credit_data`: any number of synthetic applications drawn from a known
  logistic model, with :data:`FEATURES` (25 candidate model features:
  :data:`NUMERIC_FEATURES` and :data:`CATEGORICAL_FEATURES`) and their
  :data:`SPECIAL_CODES`.

Both return a pandas DataFrame whose target column is ``bad`` (``int8``, 1 = bad,
0 = good) and whose categorical columns have the unordered ``category`` dtype.
Importing this module loads neither optbinning, statsmodels, scikit-learn nor
matplotlib.

Examples
--------
>>> from scorecard.datasets import load_german_credit, make_credit_data
>>> load_german_credit().shape
(1000, 21)
>>> make_credit_data(100)["bad"].dtype.name
'int8'
"""

from __future__ import annotations

from scorecard.datasets._german import GERMAN_CREDIT_CITATION, load_german_credit
from scorecard.datasets._synthetic import (
    CATEGORICAL_FEATURES,
    FEATURES,
    NUMERIC_FEATURES,
    SPECIAL_CODES,
    make_credit_data,
)

__all__ = [
    "CATEGORICAL_FEATURES",
    "FEATURES",
    "GERMAN_CREDIT_CITATION",
    "NUMERIC_FEATURES",
    "SPECIAL_CODES",
    "load_german_credit",
    "make_credit_data",
]
