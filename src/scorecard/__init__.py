"""scorecard: credit scorecards from binning to credit policy.

The public API is this flat namespace plus the submodules :mod:`scorecard.datasets`,
:mod:`scorecard.exceptions`, :mod:`scorecard.metrics`, :mod:`scorecard.policy`, and the
optional integrations :mod:`scorecard.sklearn` and :mod:`scorecard.plotting`.
Everything else lives in private modules and may change without notice.

Importing :mod:`scorecard` does not import optbinning, statsmodels, scikit-learn,
scipy or matplotlib: they load when first needed.
"""

from __future__ import annotations

from scorecard._analysis import analyse
from scorecard._binning import Binning, BinningSpec, FeatureBinning, bin_features
from scorecard._build import ScorecardBuild, fit_scorecard
from scorecard._calibration import CalibrationReport, calibrate, calibrate_counts
from scorecard._grades import Grade, GradeScale
from scorecard._logit import LogitResult, SelectionPath, fit_logit, select_stepwise
from scorecard._policy import CreditPolicy, Decision
from scorecard._scaling import Scaling
from scorecard._scorecard import FixedRange, ReasonCatalog, ReasonCode, Scorecard
from scorecard._selection import Selection, select_features
from scorecard._strategy import cutoff_table, score_band_table
from scorecard._version import __version__

__all__ = [
    "Binning",
    "BinningSpec",
    "CalibrationReport",
    "CreditPolicy",
    "Decision",
    "FeatureBinning",
    "FixedRange",
    "Grade",
    "GradeScale",
    "LogitResult",
    "ReasonCatalog",
    "ReasonCode",
    "Scaling",
    "Scorecard",
    "ScorecardBuild",
    "Selection",
    "SelectionPath",
    "__version__",
    "analyse",
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
