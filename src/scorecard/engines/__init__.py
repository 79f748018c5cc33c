"""Fit and score where the data lives: DuckDB (embedded) and Spark (clusters).

Every statistic of a scorecard comes from good/bad counts, so the whole fit runs as
group-by queries in the engine and only counts come back to Python:

* :class:`Source`: a DuckDB relation or SQL query (over tables or Parquet files; no
  server) or a Spark DataFrame (``scorecard[spark]``);
* :func:`bin_features`: fine classes from the engine's quantiles and counts, then the
  same coarse classing and tables as :func:`scorecard.bin_features`;
* :func:`fit_scorecard`: the binning, then one group-by over every combination of bin
  indices; the pre-selection, stepwise selection, logistic fit, points and metrics run
  on those counts, as :func:`scorecard.fit_scorecard` runs them on rows;
* :func:`score`: the card's score, PD and grade as native expressions of the engine (the
  SQL export's; Spark column expressions, no Python UDF).

With exact quantiles (DuckDB; Spark with ``relative_error=0``) a source gives the card a
frame with the same rows gives (bins, points, scores); Spark's approximate quantiles put
each fine-class boundary within ``relative_error * n`` ranks of the exact one.  How to run
it on a cluster or over a folder of Parquet files: the *Scale out* page of the docs.
"""

from __future__ import annotations

from scorecard.engines._binning import bin_features
from scorecard.engines._fit import fit_scorecard
from scorecard.engines._score import score
from scorecard.engines._source import Source

__all__ = ["Source", "bin_features", "fit_scorecard", "score"]
