"""A scorecard fitted where the data lives: :func:`fit_scorecard` on a source.

1. bin every candidate feature from the engine's counts (:mod:`scorecard.engines._binning`);
2. one group-by: rows and bads per combination of the features' bin indices.  WOE
   features are piecewise constant, so these counts are all the logistic likelihood
   needs; they come back as small integers per feature and two counts per combination
   (:class:`~scorecard._model.counts.CountData`);
3. the pre-selection (WOE correlations and VIF), the stepwise selection, the logistic fit
   and the points run in Python on those counts, by the code that runs them for a frame
   (:func:`scorecard._model.pipeline.fit_counts`);
4. the metrics (AUC, Gini, KS, Brier) and the gains table from the counts per
   combination scored by the card: of the training rows, and of a holdout source if one
   is given (another group-by there).

With the same rows in a frame, :func:`scorecard.fit_scorecard` with ``holdout=0`` gives
the same card (bins, points, scores) where the quantiles are exact; only the card's
metadata differs (the engine's card records its binning's counts, not a fingerprint of
rows it never saw).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard._analyze.binning import Binning
from scorecard._analyze.report import analyze
from scorecard._analyze.selection import Correlation
from scorecard._analyze.spec import BinningSpec
from scorecard._core.stats import cov_to_corr
from scorecard._core.types import FloatArray, IntArray
from scorecard._model.build import ScorecardBuild
from scorecard._model.counts import BLOCK, CountData, code_dtype, count_dtype
from scorecard._model.logit import check_l2
from scorecard._model.metrics import auc, gains_table, gini, ks
from scorecard._model.pipeline import Steps, fit_counts
from scorecard._model.reasons import ReasonCatalog
from scorecard._model.scaling import Scaling
from scorecard._model.scorecard import Allocation, FixedRange, Scorecard
from scorecard.engines._binning import Target, bin_source, check_target, columns_present
from scorecard.engines._engine import Engine
from scorecard.engines._queries import REFUSED, Queries
from scorecard.engines._source import as_source
from scorecard.exceptions import DataError


def fit_scorecard(
    source: Any,
    target: str,
    *,
    features: Sequence[str] | None = None,
    spec: BinningSpec | None = None,
    specs: Mapping[str, BinningSpec] | None = None,
    bad_label: Any = None,
    min_iv: float = 0.01,
    max_iv: float | None = None,
    max_corr: float = 0.7,
    max_vif: float | None = 5.0,
    stepwise: Literal["stepwise", "forward", "backward"] | None = "stepwise",
    criterion: Literal["pvalue", "aic", "bic"] = "pvalue",
    p_enter: float = 0.5,
    p_remove: float = 0.5,
    l2: float = 1.0,
    force: Sequence[str] = (),
    scaling: Scaling | FixedRange | None = None,
    allocation: Allocation = "spread",
    reason_catalog: ReasonCatalog | None = None,
    holdout: Any = None,
    description: str = "",
) -> ScorecardBuild:
    """Build a scorecard where the data lives: bin, select, fit, scale and measure from
    counts the engine computes.

    The steps and options are those of :func:`scorecard.fit_scorecard`; the engine runs a
    few group-bys (the binning's, then one over every combination of bin indices) and
    only counts come back.

    Parameters
    ----------
    source : Source, DuckDB relation, SQL query or Spark DataFrame
        The training rows (all of them: split the data in the query, e.g. ``WHERE
        sample = 'train'``).
    target : str
        The target column: 0/1 with 1 = bad, unless ``bad_label`` names the bad value.
    holdout : Source, DuckDB relation, SQL query or Spark DataFrame, optional
        Held-out rows (the same columns): the metrics get a ``holdout`` row and the gains
        table is theirs (else the training rows').
    **options
        ``features``, ``spec``, ``specs``, ``bad_label``, ``min_iv``, ``max_iv``,
        ``max_corr``, ``max_vif``, ``stepwise``, ``criterion``, ``p_enter``, ``p_remove``,
        ``l2``, ``force``, ``scaling``, ``allocation``, ``reason_catalog`` and
        ``description``, as in :func:`scorecard.fit_scorecard` (no sample weights: a row
        counts once).

    Returns
    -------
    ScorecardBuild
        As :func:`scorecard.fit_scorecard`'s; ``metrics`` has a ``train`` row (and a
        ``holdout`` row).

    Examples
    --------
    >>> import duckdb
    >>> from scorecard.datasets import load_german_credit
    >>> german = load_german_credit()
    >>> build = fit_scorecard(duckdb.from_df(german), "bad")
    >>> from scorecard import fit_scorecard as fit_frame
    >>> frame = fit_frame(german, "bad", holdout=0)
    >>> build.scorecard.names == frame.scorecard.names
    True
    >>> bool((build.scorecard.score(german) == frame.scorecard.score(german)).all())
    True
    """
    check_l2(l2, "engines.fit_scorecard")  # before any query
    _, engine = as_source(source)
    held = None if holdout is None else as_source(holdout, "holdout")[1]
    steps = Steps(
        features=features,
        spec=spec,
        specs=specs,
        preselect=True,
        min_iv=min_iv,
        max_iv=max_iv,
        max_corr=max_corr,
        max_vif=max_vif,
        force=force,
        stepwise=stepwise,
        criterion=criterion,
        p_enter=p_enter,
        p_remove=p_remove,
        l2=l2,
        scaling=scaling,
        allocation=allocation,
        reason_catalog=reason_catalog,
        description=description,
        fingerprint=False,
    )
    binning, tgt = bin_source(
        engine, target, features=features, spec=spec, specs=specs, bad_label=bad_label
    )
    owner = "engines.fit_scorecard"
    selection, path, model, card, data = fit_counts(
        binning,
        woe_correlation(engine, binning, tgt.rows),
        tgt.rows,
        lambda names: count_combinations(engine, binning.select(names), tgt),
        steps,
        owner=owner,
    )
    assert selection is not None  # preselect=True
    train = score_counts(
        card, [data.bin_codes[data.index[n]] for n in card.names], data.wg, data.wb
    )
    rows = {"train": train.performance()}
    gains_on = train
    if held is not None:
        cols = columns_present(held, [target, *card.names])
        q = Queries(held)
        hold_target = check_target(held, q, cols[target], target, bad_label)
        codes, goods, bads = _combinations(
            held, [c.binning for c in card.characteristics], hold_target, "holdout"
        )
        gains_on = score_counts(card, codes, goods, bads, "holdout")
        rows["holdout"] = gains_on.performance()
    metrics = pd.DataFrame(rows).T
    return ScorecardBuild(
        scorecard=card,
        binning=binning,
        analysis=analyze(binning),
        selection=selection,
        stepwise=path,
        model=model,
        metrics=metrics,
        gains=gains_on.gains(),
    )


#: the most sums of products one query of :func:`woe_correlation` asks for
MAX_SUMS = 2000


def woe_correlation(engine: Engine, binning: Binning, rows: int) -> Correlation:
    """The pre-selection's WOE correlations, from sums the engine computes.

    A feature's mean WOE over the rows comes from its binning's counts; the engine sums the
    products of the centered WOE of each pair of candidates over the rows (one pass, up to
    :data:`MAX_SUMS` sums a query), so the pre-selection runs before any combination is
    counted.  A feature is constant when the bins with rows share one WOE.
    """
    q = Queries(engine)

    def correlation(names: list[str]) -> tuple[FloatArray, set[str]]:
        fbs = [binning[n] for n in names]
        means, flat = [], set()
        for fb in fbs:
            count = fb.goods + fb.bads
            woe = np.asarray(fb.woe_table[:-1], dtype=np.float64)
            present = woe[count > 0]
            means.append(float(count @ np.where(count > 0, woe, 0.0)) / rows)
            if present.size == 0 or np.ptp(present) == 0:
                flat.add(fb.name)
        P = len(fbs)
        pairs = [(i, j) for i in range(P) for j in range(i, P)]
        C = np.zeros((P, P))
        for a in range(0, len(pairs), MAX_SUMS):
            part = pairs[a : a + MAX_SUMS]
            (sums,) = engine.rows(
                q.woe_moments(fbs, means, part), "the WOE correlations of the features"
            )
            for (i, j), v in zip(part, sums, strict=True):
                C[i, j] = C[j, i] = float(v) / rows
        return cov_to_corr(C), flat

    return correlation


def count_combinations(engine: Engine, binning: Binning, target: Target) -> CountData:
    """Rows and bads per combination of the bin indices of every feature of ``binning``."""
    codes, goods, bads = _combinations(engine, binning.features, target, "source")
    tables = [np.asarray(fb.woe_table[:-1]) for fb in binning.features]
    return CountData(binning.names, codes, tables, goods=goods, bads=bads)


def _combinations(
    engine: Engine, binnings: Sequence[Any], target: Target, what: str
) -> tuple[list[IntArray], FloatArray, FloatArray]:
    q = Queries(engine)
    counts = count_dtype(target.rows)
    dtypes: dict[str, npt.DTypeLike] = {"n": counts, "b": counts}
    dtypes.update({f"c{j}": code_dtype(len(fb.labels)) for j, fb in enumerate(binnings)})
    arrays = engine.arrays(
        q.combinations(binnings, target.y), "the counts per combination of bin indices", dtypes
    )
    n = arrays.pop("n")
    bads = arrays.pop("b")
    codes: list[IntArray] = []
    for j, fb in enumerate(binnings):
        c = arrays.pop(f"c{j}")
        refused = c == REFUSED
        if refused.any():  # a value Python refuses (an infinite number)
            raise DataError(
                f"{what}: column {fb.name!r}: expected finite numbers or NaN, found values the "
                f"card refuses (infinite) in {int(refused.sum())} combination(s) of bins"
            )
        codes.append(c)
    n -= bads  # the goods, in place: this array can hold one entry per row
    return codes, n, bads


class ScoredCounts:
    """Good and bad counts per score of a card, and the Brier score, from combinations."""

    def __init__(self, goods: FloatArray, bads: FloatArray, lowest: int, brier_sum: float) -> None:
        self.goods, self.bads, self.lowest, self.brier_sum = goods, bads, lowest, brier_sum

    def _rows(self) -> tuple[FloatArray, FloatArray, FloatArray]:
        """The counts as weighted rows: (target, score, weight), rows of weight 0 left out."""
        scores = self.lowest + np.arange(self.goods.size, dtype=np.float64)
        y = np.r_[np.zeros(scores.size), np.ones(scores.size)]
        s = np.r_[scores, scores]
        w = np.r_[self.goods, self.bads]
        keep = w > 0
        return y[keep], s[keep], w[keep]

    def performance(self) -> dict[str, float]:
        """The row of :func:`scorecard.fit_scorecard`'s metrics: rows, bad rate, AUC, Gini,
        KS and Brier score (of the model's unrounded PD)."""
        y, s, w = self._rows()
        rows = float(w.sum())
        return {
            "rows": rows,
            "bad_rate": float(self.bads.sum()) / rows,
            "auc": auc(y, s, sample_weight=w),
            "gini": gini(y, s, sample_weight=w),
            "ks": ks(y, s, sample_weight=w).statistic,
            "brier": self.brier_sum / rows,
        }

    def gains(self) -> pd.DataFrame:
        y, s, w = self._rows()
        table = gains_table(y, s, sample_weight=w)
        for col in ("count", "goods", "bads"):  # counts of rows
            table[col] = np.rint(table[col]).astype(np.int64)
        return table


def score_counts(
    card: Scorecard,
    codes: Sequence[IntArray],
    goods: FloatArray,
    bads: FloatArray,
    what: str = "source",
) -> ScoredCounts:
    """Score each combination of bin indices (one array per characteristic, in card order;
    ``-1`` = unseen) and add up its goods and bads per score, in blocks."""
    lowest, highest = card.min_score, card.max_score
    g = np.zeros(highest - lowest + 1)
    b = np.zeros(highest - lowest + 1)
    brier = 0.0
    arrays = [c._arrays for c in card.characteristics]
    for a in range(0, goods.size, BLOCK):
        z = slice(a, a + BLOCK)
        pts = np.full(goods[z].size, card.base_points, dtype=np.int64)
        raw = np.full(goods[z].size, card.raw_base_points)
        for c, (r, p, refuse), ix in zip(card.characteristics, arrays, codes, strict=True):
            i = ix[z].astype(np.intp)
            if refuse[i].any():
                raise DataError(
                    f"{what}: column {c.name!r}: {int(refuse[i].sum())} combination(s) of bins "
                    f"fall in an empty bin or are unseen categories and the feature's "
                    "treatment is 'error'"
                )
            pts += p[i]
            raw += r[i]
        pd_bad = card.scaling.pd_from_score(raw)
        g += np.bincount(pts - lowest, weights=goods[z], minlength=g.size)
        b += np.bincount(pts - lowest, weights=bads[z], minlength=b.size)
        # Brier score: the mean of (y - pd)^2 over the rows, bads with y = 1, goods with y = 0
        brier += float(bads[z] @ (1.0 - pd_bad) ** 2 + goods[z] @ pd_bad**2)
    return ScoredCounts(g, b, lowest, brier)
