"""One pipeline from training rows to a card: bin, analyze, pre-select, select, scale.

Both ways of building a scorecard run it:

* :func:`scorecard.fit_scorecard` = split + this pipeline + metrics;
* :class:`scorecard.sklearn.ScorecardClassifier` = this pipeline (its constructor
  parameters are the steps' options).

The steps, each optional where a scikit-learn user may want it off:

1. **bin** every candidate feature on the training rows (:func:`scorecard.bin_features`),
   then bin the rows once: their bin indices give the WOE for the later steps (and the
   caller's scores of the training rows, without binning them again);
2. **analyze** the binning (:func:`scorecard.analyze`): a report that no later step reads,
   so :attr:`Fitted.analysis` makes it when asked (``fit_scorecard`` asks, the classifier
   does not);
3. **pre-select** by IV, WOE correlation and VIF (:func:`scorecard.select_features`),
   when ``preselect``; otherwise every binned feature is a candidate, in column order;
4. **model**: the stepwise selection (:func:`scorecard.select_stepwise`, with the sign
   gate) when ``stepwise`` names a method, otherwise one logistic fit on every candidate
   (:func:`scorecard.fit_logit`); with a ridge penalty (``l2 > 0``) the selection runs
   unpenalized and the selected features are refit with the penalty (the path keeps its
   unpenalized fit, :attr:`Fitted.model` is the penalized one);
5. **scale** into points (:meth:`scorecard.Scorecard.from_model`).

Single-bin features (one rule for both callers)
-----------------------------------------------
A feature whose WOE is the same for every training row (one bin holds them all) has no
estimable coefficient: its coefficient is 0 by definition, as it only moves the
intercept.  Therefore:

* pre-selection drops a feature with a single regular bin (its reason says so);
* the stepwise selection never admits a constant candidate (it adds nothing);
* one fit leaves a constant candidate out of the logistic regression and keeps it in the
  card with coefficient 0 (the same points for every value), with a
  :class:`~scorecard.exceptions.FitWarning` naming it; if every candidate is constant the
  model is the intercept alone;
* a constant feature in ``force`` is a :class:`~scorecard.exceptions.FitError` either
  way: forcing asks for an estimated coefficient, and there is none.

With ``fit_scorecard``'s defaults no constant feature reaches the model step (the
pre-selection drops it first); with the classifier's defaults (no pre-selection, one
fit) every column reaches it.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import attrs
import numpy as np
import pandas as pd

from scorecard._analyze.binning import Binning, bin_features
from scorecard._analyze.report import analyze
from scorecard._analyze.selection import Correlation, Selection, select_by_correlation
from scorecard._analyze.spec import BinningSpec
from scorecard._core.stats import weighted_corr
from scorecard._core.types import BoolArray, FloatArray, Int8Array, IntArray
from scorecard._core.validation import check_weights, column_labels
from scorecard._model.counts import CountData
from scorecard._model.logit import LogitResult, check_l2, fit_logit, fit_logit_data
from scorecard._model.newton import TUNING, Data, prepare_design, single_thread_blas
from scorecard._model.reasons import ReasonCatalog
from scorecard._model.scaling import Scaling
from scorecard._model.scorecard import Allocation, FixedRange, Scorecard
from scorecard._model.selection_path import SelectionPath
from scorecard._model.stepwise import select_stepwise, select_stepwise_data
from scorecard.exceptions import DataError, FitWarning, SpecificationError

Method = Literal["stepwise", "forward", "backward"]
Criterion = Literal["pvalue", "aic", "bic"]
METHODS: tuple[str, ...] = ("stepwise", "forward", "backward")
CRITERIA: tuple[str, ...] = ("pvalue", "aic", "bic")


def _names(value: Any) -> Any:
    """A sequence of names as a tuple; a string or a non-sequence passes through.

    (The steps refuse what passes through, as they did before this pipeline.)
    """
    if isinstance(value, Sequence | pd.Index | np.ndarray) and not isinstance(value, str):
        return tuple(value)
    return value


def _optional_names(value: Any) -> Any:
    return None if value is None else _names(value)


@attrs.frozen(kw_only=True)
class Steps:
    """The options of every step (those :func:`scorecard.fit_scorecard` takes).

    No defaults: each caller states all of them, so the defaults live in one place per
    caller (``fit_scorecard``'s signature, ``ScorecardClassifier.__init__``).  The steps
    validate their own options; ``preselect`` switches step 3 off, ``stepwise=None``
    replaces the stepwise selection by one fit, and ``fingerprint`` records the training
    rows' fingerprint, row count and unweighted bad rate in the card's metadata (without
    it, the metadata has the binning's weighted counts).
    """

    features: tuple[str, ...] | None = attrs.field(converter=_optional_names)
    spec: BinningSpec | None
    specs: Mapping[str, BinningSpec] | None
    preselect: bool
    min_iv: float
    max_iv: float | None
    max_corr: float
    max_vif: float | None
    force: tuple[str, ...] = attrs.field(converter=_names)
    stepwise: Method | None
    criterion: Criterion
    p_enter: float
    p_remove: float
    l2: float
    scaling: Scaling | FixedRange | None
    allocation: Allocation
    reason_catalog: ReasonCatalog | None
    description: str
    fingerprint: bool


@attrs.frozen(eq=False)
class Fitted:
    """What the pipeline produced, in step order.

    Attributes
    ----------
    binning : Binning
        Every candidate feature binned on the training rows.
    selection : Selection or None
        The pre-selection (None when ``preselect`` is off).
    stepwise : SelectionPath or None
        The stepwise path (None with one fit).
    model : LogitResult
        The final logistic fit (without the constant features of one fit).
    card : Scorecard
        The points card.
    indices : dict of str to ndarray
        Bin index of every training row, per binned feature (for ``Scorecard.score_and_pd``).
    """

    binning: Binning
    selection: Selection | None
    stepwise: SelectionPath | None
    model: LogitResult
    card: Scorecard
    indices: Mapping[str, IntArray]

    @property
    def analysis(self) -> pd.DataFrame:
        """The feature analysis report of the binning (:func:`scorecard.analyze`)."""
        return analyze(self.binning)


def fit_pipeline(
    train: pd.DataFrame,
    target: str,
    y: Int8Array,
    steps: Steps,
    *,
    sample_weight: str | FloatArray | None = None,
    owner: str,
    n_jobs: int = 1,
) -> Fitted:
    """Bin, analyze, pre-select, select (or fit) and scale on the training rows.

    Parameters
    ----------
    train : DataFrame
        The training rows: the features and the target column (1 = bad, 0 = good).
    target : str
        The target column.
    y : ndarray of int8
        ``train[target]`` as 0/1, already validated.
    steps : Steps
        The options of the steps.
    sample_weight : str or ndarray, optional
        Frequency weights: the name of a column of ``train`` (then not a feature) or one
        weight per row.
    owner : str
        The caller's name, for error messages.
    n_jobs : int
        Worker processes for the binning (:func:`scorecard.bin_features`).
    """
    binning = bin_features(
        train,
        target,
        features=steps.features,
        spec=steps.spec,
        specs=steps.specs,
        sample_weight=sample_weight,
        n_jobs=n_jobs,
    )
    w = None if sample_weight is None else check_weights(sample_weight, train, y=y)
    # bin the training rows once: WOE for the selection and the model, and the caller's scores
    indices = binning.bin_indices(train)
    woe = WoeRows(binning, indices, train.index, w)
    selection: Selection | None = None
    if steps.preselect:
        # select_features on the WOE of these rows, without a WOE frame
        selection = select_by_correlation(
            binning,
            woe.correlation,
            woe.rows,
            min_iv=steps.min_iv,
            max_iv=steps.max_iv,
            max_corr=steps.max_corr,
            max_vif=steps.max_vif,
            force=steps.force,
        )
    candidates = _candidates(selection, binning, steps, owner)
    path, model, coefficients = _model_step(woe.subset(candidates), y, w, steps, owner)
    card = Scorecard.from_model(
        binning,
        coefficients,
        model.intercept,
        scaling=steps.scaling,
        allocation=steps.allocation,
        reason_catalog=steps.reason_catalog,
        data=_named_columns(train, [*coefficients], target) if steps.fingerprint else None,
        description=steps.description,
    )
    return Fitted(
        binning=binning,
        selection=selection,
        stepwise=path,
        model=model,
        card=card,
        indices=indices,
    )


class WoeRows:
    """The WOE of the training rows, built from their bin indices when a step asks for it.

    What :meth:`Binning.woe_from_indices` gives as a frame, held as the design ``[1, WOE]``
    (Fortran order, float64) of the features a step names: the pre-selection's
    correlations and the model's fit read the same matrix when they name the same
    features (with ``fit_scorecard``'s pre-selection and one fit, they usually do), so the
    rows are neither copied per step nor converted from a frame.

    Parameters
    ----------
    binning : Binning
        The binned features.
    indices : mapping of str to int arrays
        Bin index of every row per feature (:meth:`Binning.bin_indices`).
    index : pandas.Index
        The rows' index (for the WOE frame of a stepwise selection).
    w : ndarray or None
        The checked weights (None: every row weighs 1).
    """

    def __init__(
        self,
        binning: Binning,
        indices: Mapping[str, IntArray],
        index: pd.Index,
        w: FloatArray | None,
        names: Sequence[str] | None = None,
    ) -> None:
        self.binning = binning
        self.fbs = {f.name: f for f in binning.features}
        self.indices = indices
        self.index = index
        self.w = w
        self.positive: BoolArray | None = None if w is None else w > 0  # weight 0: absent
        self.rows = len(index) if self.positive is None else int(np.count_nonzero(self.positive))
        self.names: tuple[str, ...] = tuple(binning.names if names is None else names)
        self._built: _Built | None = None
        if names is None:
            # the refusals of Binning.woe_from_indices, before any step, in feature order
            for f in binning.features:
                if f.empty == "error":
                    f.woe_from_index(indices[f.name])

    def subset(self, names: Sequence[str]) -> WoeRows:
        """The same rows with the features ``names`` (in this order); shares what is built."""
        out = WoeRows(self.binning, self.indices, self.index, self.w, names)
        out._built = self._built
        return out

    def design(self, names: Sequence[str]) -> FloatArray:
        """``[1, WOE of names]``, one row per training row (Fortran order)."""
        return self._build(names).D

    def _build(self, names: Sequence[str]) -> _Built:
        key = tuple(names)
        if self._built is None or self._built.names != key:
            D = np.empty((len(self.index), len(key) + 1), order="F")
            D[:, 0] = 1.0
            for j, name in enumerate(key, start=1):
                fb = self.fbs[name]
                if fb.empty == "error":  # its refusal (checked in __init__) stays in force
                    D[:, j] = fb.woe_from_index(self.indices[name])
                else:  # woe_from_index's lookup, written into the column (index -1 wraps)
                    np.take(fb.woe_table, self.indices[name], out=D[:, j], mode="wrap")
            self._built = _Built(key, D)
        return self._built

    def correlation(self, candidates: list[str]) -> tuple[FloatArray, set[str]]:
        """The WOE correlations of ``candidates`` and those with a constant WOE on the rows
        of positive weight (what :func:`select_features` computes from a WOE frame)."""
        if not candidates:
            return np.zeros((0, 0)), set()
        built = self._build(candidates)
        with single_thread_blas(TUNING):  # one product n x k by k, as the fit's (see Tuning)
            built.corr = weighted_corr(built.D[:, 1:], self.w)
        flat = self.constant(candidates)
        return built.corr, {n for n, f in zip(candidates, flat, strict=True) if f}

    def constant(self, names: Sequence[str]) -> BoolArray:
        """Whether each feature's WOE takes one value on the rows of positive weight."""
        built = self._build(names)
        if self.positive is not None and not self.positive.all():
            X = built.D[self.positive, 1:]
            if X.shape[0] == 0:
                return np.zeros(len(names), dtype=bool)
            lo, hi = X.min(axis=0), X.max(axis=0)
        else:
            lo, hi = built.bounds()
        out: BoolArray = (hi - lo) == 0
        return out

    def frame(self) -> pd.DataFrame:
        """The WOE frame of the features (columns) of these rows."""
        X = self.design(self.names)[:, 1:]
        return pd.DataFrame(X, columns=list(self.names), index=self.index, copy=False)

    def prepared(self, names: Sequence[str], y: Int8Array) -> Data:
        """The rows of ``names`` and the target ``y``, prepared for :func:`fit_logit_data`:
        the design itself, with the correlations when the pre-selection computed them for
        the same features (:func:`~scorecard._model.newton.prepare_design`)."""
        built = self._build(names)
        bins = []
        for name in names:
            index = self.indices[name]
            count = len(self.fbs[name].woe_table)
            if index.size and not 0 <= int(index.min()) <= int(index.max()) < count:
                break  # an unseen category (-1): the engine codes the WOE values instead
            bins.append((index, count))
        return prepare_design(
            built.D,
            names,
            y,
            self.w,
            corr=built.corr,
            bounds=built.bounds(),
            bins=bins,
        )


class _Built:
    """A design of :class:`WoeRows` (its features' names, ``[1, WOE]``), with what steps
    computed on it: the correlations of its columns and their minima and maxima."""

    def __init__(self, names: tuple[str, ...], D: FloatArray) -> None:
        self.names = names
        self.D = D
        self.corr: FloatArray | None = None
        self._bounds: tuple[FloatArray, FloatArray] | None = None

    def bounds(self) -> tuple[FloatArray, FloatArray]:
        """Minimum and maximum of each WOE column over every row."""
        if self._bounds is None:
            X = self.D[:, 1:]
            self._bounds = (X.min(axis=0), X.max(axis=0))
        return self._bounds


def _candidates(
    selection: Selection | None, binning: Binning, steps: Steps, owner: str
) -> list[str]:
    """The features the model step starts from: the pre-selected ones (at least one), or
    every binned feature when there was no pre-selection."""
    if selection is None:
        _check_force(steps, binning, owner)
        return list(binning.names)
    if not selection.selected:
        raise DataError(
            f"{owner}: no feature passed the pre-selection (min_iv {steps.min_iv}, "
            f"max_corr {steps.max_corr}, max_vif {steps.max_vif}); see analyze(binning)"
        )
    return list(selection.selected)


def fit_counts(
    binning: Binning,
    correlation: Correlation,
    rows: int,
    count: Callable[[list[str]], CountData],
    steps: Steps,
    *,
    owner: str,
) -> tuple[Selection | None, SelectionPath | None, LogitResult, Scorecard, CountData]:
    """Steps 3 to 5 (pre-select, select or fit, scale) on counts instead of rows.

    ``correlation`` gives the WOE correlations of the features that pass the IV step, on
    the ``rows`` rows (the pre-selection's); ``count(names)`` then returns the good and bad
    counts per combination of the bin indices of the pre-selected features (an engine's
    group-by: :mod:`scorecard.engines`), which every fit uses, so the card is the one
    :func:`fit_pipeline` makes from the rows (up to rounding).  Only the pre-selected
    features are counted: the fewer features, the fewer and narrower the combinations.
    The card's metadata has the binning's counts (there are no rows to fingerprint).
    Returns the counts too (the card's training metrics come from them).
    """
    selection: Selection | None = None
    if steps.preselect:
        selection = select_by_correlation(
            binning,
            correlation,
            rows,
            min_iv=steps.min_iv,
            max_iv=steps.max_iv,
            max_corr=steps.max_corr,
            max_vif=steps.max_vif,
            force=steps.force,
        )
    candidates = _candidates(selection, binning, steps, owner)
    data = count(candidates)
    path, model, coefficients = _model_step(data, None, None, steps, owner)
    card = Scorecard.from_model(
        binning,
        coefficients,
        model.intercept,
        scaling=steps.scaling,
        allocation=steps.allocation,
        reason_catalog=steps.reason_catalog,
        description=steps.description,
    )
    return selection, path, model, card, data


def _check_force(steps: Steps, binning: Binning, owner: str) -> None:
    unknown = [f for f in steps.force if f not in binning.names]
    if unknown:
        raise SpecificationError(
            f"{owner}: expected force to name binned features {list(binning.names)}, "
            f"found {unknown}"
        )


def _named_columns(train: pd.DataFrame, names: Sequence[str], target: str) -> pd.DataFrame:
    """A frame with the characteristics' columns and the target, labelled by the features'
    names: ``train`` itself when its labels are the names (the card's metadata reads these
    columns; no copy of them), else those columns relabelled.

    A feature is named ``str(label)``: a frame with column ``0`` has feature ``"0"``.
    """
    labels = [*column_labels(train, names), target]
    if labels == [*names, target]:
        return train
    return train[labels].set_axis([*names, target], axis=1)


def _model_step(
    woe: WoeRows | CountData,
    y: Int8Array | None,
    w: FloatArray | None,
    steps: Steps,
    owner: str,
) -> tuple[SelectionPath | None, LogitResult, dict[str, float]]:
    """The stepwise path (or None), the model and the card's coefficients, in card order.

    ``woe`` is the WOE of the candidates' rows (with ``y`` and ``w``) or their counts.
    """
    candidates = list(woe.names)
    forced = [f for f in steps.force if f in candidates]
    l2 = check_l2(steps.l2, owner)
    if steps.stepwise is not None:
        # a constant candidate never enters (select_stepwise refuses a forced one)
        options: dict[str, Any] = {
            "method": steps.stepwise,
            "criterion": steps.criterion,
            "p_enter": steps.p_enter,
            "p_remove": steps.p_remove,
            "force": forced,
        }
        frame = pd.DataFrame() if isinstance(woe, CountData) else woe.frame()
        if isinstance(woe, CountData):
            path = select_stepwise_data(woe, **options)
        else:
            path = select_stepwise(frame, y, sample_weight=w, **options)
        model = path.result
        if not model.features:
            raise DataError(f"{owner}: the stepwise selection kept no feature")
        if l2 > 0.0:  # the selection is unpenalized; its features are refit with the penalty
            if isinstance(woe, CountData):
                model = fit_logit_data(woe.subset(list(model.features)), l2=l2)
            else:
                model = fit_logit(frame, y, sample_weight=w, features=model.features, l2=l2)
        return path, model, {f: float(model.params[f]) for f in model.features}
    flat = woe.ranges == 0 if isinstance(woe, CountData) else woe.constant(candidates)
    constant = [c for j, c in enumerate(candidates) if c not in forced and flat[j]]
    if constant:
        warnings.warn(
            f"features {constant} have a single bin on the training rows (constant WOE): "
            "coefficient 0, the same points for every value",
            FitWarning,
            stacklevel=4,  # the caller of fit_scorecard or of ScorecardClassifier.fit
        )
    informative = [c for c in candidates if c not in constant]
    # fit_logit refuses a forced constant feature (FitError): its coefficient has no estimate
    if isinstance(woe, CountData):
        model = fit_logit_data(woe.subset(informative), l2=l2)
    else:
        assert y is not None
        model = fit_logit_data(woe.prepared(informative, y), l2=l2)
    coefficients = {c: 0.0 if c in constant else float(model.params[c]) for c in candidates}
    return None, model, coefficients


def _is_number(value: Any) -> bool:
    """A finite real number, not a boolean."""
    if isinstance(value, bool | np.bool_):
        return False
    return isinstance(value, numbers.Real) and math.isfinite(float(value))


def check_steps(steps: Steps) -> None:
    """Refuse options of the wrong kind or range before any work (scikit-learn's ``fit``).

    The rules are the steps' own (``select_features``, ``select_stepwise``,
    ``Scorecard.from_model``); checking them here too refuses an option of a step that is
    switched off, and names the parameter: ``min_iv: expected ..., found ...``.
    """
    bounds: list[tuple[str, Any, str, bool]] = [
        ("min_iv", steps.min_iv, ">= 0", _is_number(steps.min_iv) and steps.min_iv >= 0),
        (
            "max_corr",
            steps.max_corr,
            "in [0, 1]",
            _is_number(steps.max_corr) and 0 <= steps.max_corr <= 1,
        ),
        (
            "p_enter",
            steps.p_enter,
            "in (0, 1)",
            _is_number(steps.p_enter) and 0 < steps.p_enter < 1,
        ),
        (
            "p_remove",
            steps.p_remove,
            "in (0, 1)",
            _is_number(steps.p_remove) and 0 < steps.p_remove < 1,
        ),
    ]
    if steps.max_iv is not None:
        bounds.append(
            ("max_iv", steps.max_iv, ">= 0 or None", _is_number(steps.max_iv) and steps.max_iv >= 0)
        )
    if steps.max_vif is not None:
        bounds.append(
            (
                "max_vif",
                steps.max_vif,
                ">= 1 or None",
                _is_number(steps.max_vif) and steps.max_vif >= 1,
            )
        )
    for name, value, expected, ok in bounds:
        if not ok:
            raise SpecificationError(f"{name}: expected a number {expected}, found {value!r}")
    check_l2(steps.l2, "l2")
    if steps.p_enter > steps.p_remove:
        raise SpecificationError(
            f"p_enter: expected p_enter <= p_remove ({steps.p_remove!r}), found {steps.p_enter!r}"
        )
    if not isinstance(steps.preselect, bool | np.bool_):
        raise SpecificationError(f"preselect: expected True or False, found {steps.preselect!r}")
    if not isinstance(steps.force, tuple) or not all(isinstance(f, str) for f in steps.force):
        raise SpecificationError(
            f"force: expected a sequence of feature names, found {steps.force!r}"
        )
    if steps.stepwise is not None and steps.stepwise not in METHODS:
        raise SpecificationError(
            f"stepwise: expected one of {METHODS} or None, found {steps.stepwise!r}"
        )
    if steps.criterion not in CRITERIA:
        raise SpecificationError(
            f"criterion: expected one of {CRITERIA}, found {steps.criterion!r}"
        )
    if steps.reason_catalog is not None and not isinstance(steps.reason_catalog, ReasonCatalog):
        raise SpecificationError(
            f"reason_catalog: expected a ReasonCatalog or None, found "
            f"{type(steps.reason_catalog).__name__}"
        )
