"""scorecard: credit scorecards from binning to credit policy.

The public API is this flat namespace plus the submodules :mod:`scorecard.datasets`,
:mod:`scorecard.exceptions`, :mod:`scorecard.metrics`, :mod:`scorecard.policy`,
:mod:`scorecard.monitor` (step 5), :mod:`scorecard.deploy` (step 6: SQL, PMML, Excel, batch
files), :mod:`scorecard.testing` (for the test suites of applications that use a card), and
the optional integrations :mod:`scorecard.sklearn` and :mod:`scorecard.plotting`.
Everything else lives in private modules and may change without notice.

Importing :mod:`scorecard` does not import optbinning, statsmodels, scikit-learn,
scipy or matplotlib: they load when first needed.
"""

from __future__ import annotations

from scorecard._analyze.binning import Binning, bin_features
from scorecard._analyze.feature import Bin, FeatureBinning
from scorecard._analyze.fine import FineClasses
from scorecard._analyze.report import analyze
from scorecard._analyze.selection import Selection, SelectionRecord, select_features
from scorecard._analyze.spec import BinningSpec
from scorecard._model.build import ScorecardBuild, fit_scorecard
from scorecard._model.logit import LogitResult, LogitSummary, fit_logit
from scorecard._model.reasons import ReasonCatalog, ReasonCode
from scorecard._model.record import RecordScore
from scorecard._model.scaling import Scaling
from scorecard._model.scorecard import CardMetadata, Characteristic, FixedRange, Scorecard
from scorecard._model.selection_path import FeatureOutcome, SelectionPath, SelectionStep
from scorecard._model.stepwise import select_stepwise
from scorecard._version import __version__
from scorecard.policy._calibration import CalibrationReport, calibrate, calibrate_counts
from scorecard.policy._grades import Grade, GradeScale
from scorecard.policy._policy import CreditPolicy, Decision
from scorecard.policy._strategy import cutoff_table, score_band_table

__all__ = [
    "Bin",
    "Binning",
    "BinningSpec",
    "CalibrationReport",
    "CardMetadata",
    "Characteristic",
    "CreditPolicy",
    "Decision",
    "FeatureBinning",
    "FeatureOutcome",
    "FineClasses",
    "FixedRange",
    "Grade",
    "GradeScale",
    "LogitResult",
    "LogitSummary",
    "ReasonCatalog",
    "ReasonCode",
    "RecordScore",
    "Scaling",
    "Scorecard",
    "ScorecardBuild",
    "Selection",
    "SelectionPath",
    "SelectionRecord",
    "SelectionStep",
    "__version__",
    "analyze",
    "bin_features",
    "calibrate",
    "calibrate_counts",
    "cutoff_table",
    "fit_logit",
    "fit_scorecard",
    "score_band_table",
    "select_features",
    "select_stepwise",
]


def __getattr__(name: str) -> object:
    """Deprecated aliases, kept for one release: ``analyse`` is now :func:`analyze`."""
    if name == "analyse":
        import warnings

        warnings.warn(
            "scorecard.analyse is deprecated: use scorecard.analyze (one spelling throughout)",
            DeprecationWarning,
            stacklevel=2,
        )
        return analyze
    raise AttributeError(f"module 'scorecard' has no attribute {name!r}")
