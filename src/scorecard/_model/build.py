"""One call for the common case: split, run the pipeline (bin, select, fit, scale), measure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard._analyze.binning import Binning
from scorecard._analyze.selection import Selection
from scorecard._analyze.spec import BinningSpec
from scorecard._core.validation import check_columns, check_frame, check_target, check_weights
from scorecard._model.logit import LogitResult, check_l2  # statsmodels loads lazily in it
from scorecard._model.metrics import gains_table, performance
from scorecard._model.pipeline import Steps, fit_pipeline
from scorecard._model.reasons import ReasonCatalog
from scorecard._model.scaling import Scaling
from scorecard._model.scorecard import Allocation, FixedRange, Scorecard
from scorecard._model.selection_path import SelectionPath
from scorecard.exceptions import DataError, SpecificationError


def _split(
    y: npt.NDArray[np.int8], holdout: float, seed: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Stratified, deterministic train/holdout positions."""
    rng = np.random.default_rng(seed)
    train: list[npt.NDArray[np.int64]] = []
    test: list[npt.NDArray[np.int64]] = []
    for cls in (0, 1):
        pos = np.flatnonzero(y == cls)
        pos = pos[rng.permutation(pos.size)]
        k = round(holdout * pos.size)
        test.append(pos[:k])
        train.append(pos[k:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(test))


@attrs.frozen(eq=False)
class ScorecardBuild:
    """Everything :func:`fit_scorecard` produced, with the scorecard first.

    Attributes
    ----------
    scorecard : Scorecard
        The fitted card (the deployable artifact).
    binning : Binning
        Every candidate feature binned on the training rows.
    analysis : DataFrame
        The feature analysis report (:func:`scorecard.analyze`).
    selection : Selection
        The IV / correlation / VIF pre-selection.
    stepwise : SelectionPath or None
        The stepwise path of the logistic model (None when disabled).
    model : LogitResult
        The final logistic fit (coefficients, standard errors, p-values, VIF...).
    metrics : DataFrame
        AUC, Gini, KS and Brier score on the training and holdout rows.
    gains : DataFrame
        The holdout (or training, without a holdout) gains table by score band.

    Examples
    --------
    >>> from scorecard import fit_scorecard
    >>> from scorecard.datasets import load_german_credit
    >>> build = fit_scorecard(load_german_credit(), "bad", seed=0)
    >>> build.metrics.index.tolist()
    ['train', 'holdout']
    >>> build.model.features == build.scorecard.names
    True
    """

    scorecard: Scorecard
    binning: Binning
    analysis: pd.DataFrame
    selection: Selection
    stepwise: SelectionPath | None
    model: LogitResult
    metrics: pd.DataFrame
    gains: pd.DataFrame

    def summary(self) -> str:
        """A few lines: the card, the features and the metrics."""
        m = self.metrics.round(4).to_string()
        return f"{self.scorecard.summary()}\nfeatures: {', '.join(self.scorecard.names)}\n{m}"

    def _repr_html_(self) -> str:
        return (
            f"<p>{self.scorecard.summary()}</p>"
            + str(self.metrics.to_html(float_format=lambda v: f"{v:.4f}"))
            + str(self.scorecard.points_table().to_html(index=False))
        )


def fit_scorecard(
    data: pd.DataFrame,
    target: str,
    *,
    features: Sequence[str] | None = None,
    spec: BinningSpec | None = None,
    specs: Mapping[str, BinningSpec] | None = None,
    sample_weight: str | None = None,
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
    holdout: float = 0.3,
    seed: int = 0,
    description: str = "",
    n_jobs: int = 1,
) -> ScorecardBuild:
    """Build a scorecard in one call: bin, select, fit, scale, measure.

    1. split the rows into training and holdout (stratified by target, ``seed``);
    2. bin every candidate feature on the training rows (:func:`scorecard.bin_features`);
    3. pre-select by IV, WOE correlation and VIF (:func:`scorecard.select_features`);
    4. select and fit the logistic model on WOE (stepwise by default, with the sign gate:
       a feature whose coefficient points the wrong way is not admitted);
    5. scale into points (:meth:`Scorecard.from_model`);
    6. measure AUC, Gini, KS and Brier on both samples, and a holdout gains table.

    Parameters
    ----------
    sample_weight : str, optional
        Name of a weight column (it is then not a candidate feature).
    l2 : float, default 0.0
        Ridge (L2) penalty on the WOE coefficients of the final logistic fit (never the
        intercept), on scikit-learn's scale (``l2 = 1 / C``): see
        :func:`scorecard.fit_logit`.  The stepwise selection runs unpenalized; the
        features it selects are then refit with the penalty (``build.model``; the path
        keeps its unpenalized fit).  0 (default): maximum likelihood.
    holdout : float
        Share of rows held out (0 for none: the metrics are then in-sample only).
    n_jobs : int, default 1
        Worker processes for the binning (step 2; ``-1``: one per CPU core); the card is
        the same for every ``n_jobs``.  See :func:`scorecard.bin_features`.

    Examples
    --------
    >>> from scorecard.datasets import load_german_credit
    >>> build = fit_scorecard(load_german_credit(), "bad", seed=1)
    >>> build.scorecard.names[:2]
    ('status_of_existing_checking_account', 'credit_amount')
    >>> bool(0.7 < build.metrics.loc["holdout", "auc"] < 0.85)
    True
    """
    df = check_frame(data)
    check_columns(df, [target])
    if not 0 <= holdout < 1:
        raise SpecificationError(f"fit_scorecard: expected holdout in [0, 1), found {holdout!r}")
    check_l2(l2, "fit_scorecard")  # before any work
    if sample_weight is not None and not isinstance(sample_weight, str):
        raise SpecificationError(
            "fit_scorecard: expected sample_weight to be a column name (so the split keeps "
            f"weights aligned), found {type(sample_weight).__name__}"
        )
    y_all = check_target(df[target], target, bad_label)
    w_all = None if sample_weight is None else check_weights(sample_weight, df, y=y_all)
    if bad_label is not None:
        df = df.assign(**{target: y_all})
    tr, ho = _split(y_all, holdout, seed)
    train = df if ho.size == 0 else df.iloc[tr]  # no copy without a holdout
    test = df.iloc[ho]
    if holdout > 0 and (y_all[ho].min() == y_all[ho].max()):
        raise DataError("fit_scorecard: the holdout has only one class; use a larger holdout")
    w_tr = None if w_all is None else w_all[tr]
    w_ho = None if w_all is None else w_all[ho]

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
        fingerprint=True,
    )
    fitted = fit_pipeline(
        train,
        target,
        y_all[tr],
        steps,
        sample_weight=sample_weight,
        owner="fit_scorecard",
        n_jobs=n_jobs,
    )
    card = fitted.card
    assert fitted.selection is not None  # preselect=True
    # the training rows' scores from the bin indices the pipeline computed: no second binning
    # the model's own PDs (unrounded), with the printed scores
    score_tr, raw_tr = card._totals(train, fitted.indices)
    pd_tr = card.scaling.pd_from_score(raw_tr)
    rows = {"train": performance(y_all[tr], score_tr, pd_tr, sample_weight=w_tr)}
    gains_on = score_tr, y_all[tr], w_tr
    if holdout > 0:
        score_ho, raw_ho = card._totals(test)
        pd_ho = card.scaling.pd_from_score(raw_ho)
        rows["holdout"] = performance(y_all[ho], score_ho, pd_ho, sample_weight=w_ho)
        gains_on = score_ho, y_all[ho], w_ho
    metrics = pd.DataFrame(rows).T
    gains = gains_table(gains_on[1], gains_on[0], sample_weight=gains_on[2])
    return ScorecardBuild(
        scorecard=card,
        binning=fitted.binning,
        analysis=fitted.analysis,
        selection=fitted.selection,
        stepwise=fitted.stepwise,
        model=fitted.model,
        metrics=metrics,
        gains=gains,
    )
