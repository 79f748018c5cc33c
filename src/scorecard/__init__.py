"""scorecard: credit scorecards from binning to credit policy.

The public API is this flat namespace plus the submodules
:mod:`scorecard.datasets` and :mod:`scorecard.exceptions`.  Everything else
lives in private modules and may change without notice.

Importing :mod:`scorecard` does not import optbinning, statsmodels,
scikit-learn or matplotlib: they load when first needed.
"""

from __future__ import annotations

from scorecard._analysis import analyse
from scorecard._binning import Binning, BinningSpec, FeatureBinning, bin_features
from scorecard._scaling import Scaling
from scorecard._selection import Selection, select_features
from scorecard._version import __version__

__all__ = [
    "Binning",
    "BinningSpec",
    "FeatureBinning",
    "Scaling",
    "Selection",
    "__version__",
    "analyse",
    "bin_features",
    "select_features",
]
