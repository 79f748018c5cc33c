"""Performance metrics of scores and PDs: AUC, Gini, KS, Brier score and gains tables.

Direction: scores are "higher = safer" (``kind="score"``, the default) and PDs are
"higher = riskier" (``kind="pd"``); either way a model that ranks bads as riskier
than goods has AUC > 0.5 and a positive Gini.  Ties count half.  Every function
takes optional sample weights.
"""

from __future__ import annotations

from scorecard._model.metrics import KS, auc, brier, gains_table, gini, ks

__all__ = ["KS", "auc", "brier", "gains_table", "gini", "ks"]
