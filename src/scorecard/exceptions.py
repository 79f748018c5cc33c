"""Exceptions and warnings raised by :mod:`scorecard`.

Every error derives from :class:`ScorecardError` and also from the built-in
exception it specializes, so ``except ValueError`` keeps working for callers
that do not know this library.  Messages say *where* (column, feature, bin,
field), *what was expected* and *what was found*, and, where there is one,
the likely fix.

Examples
--------
>>> from scorecard.exceptions import DataError, ScorecardError
>>> issubclass(DataError, ValueError) and issubclass(DataError, ScorecardError)
True
"""

from __future__ import annotations

__all__ = [
    "DataError",
    "DataWarning",
    "FitError",
    "FitWarning",
    "NotFittedError",
    "SchemaError",
    "ScorecardError",
    "ScorecardWarning",
    "SpecificationError",
]


class ScorecardError(Exception):
    """Base class of every error raised by :mod:`scorecard`."""


class DataError(ScorecardError, ValueError):
    """The input data is not what the function needs.

    Raised for missing or duplicate columns, a target that is not binary,
    empty frames, infinities, mixed types, bad sample weights and values that
    a fitted object was told to refuse (for example an unseen category with
    the ``"error"`` treatment).
    """


class SpecificationError(ScorecardError, ValueError):
    """A specification (binning options, scaling, grade scale, policy rule) is invalid."""


class FitError(ScorecardError, RuntimeError):
    """A model or binning could not be fitted (separation, singular design, no convergence)."""


class NotFittedError(ScorecardError, AttributeError):
    """An estimator was used before ``fit``."""


class SchemaError(ScorecardError, ValueError):
    """A serialized artifact is malformed, tampered with, of another kind or of a newer version."""


class ScorecardWarning(UserWarning):
    """Base class of every warning issued by :mod:`scorecard` (filter on this one)."""


class DataWarning(ScorecardWarning):
    """Something in the data deserves attention but does not stop the computation."""


class FitWarning(ScorecardWarning):
    """A fit succeeded but has a property worth reviewing (e.g. a wrongly signed coefficient)."""
