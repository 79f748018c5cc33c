"""scikit-learn adapters: a WOE encoder and a scorecard classifier for pipelines.

Thin, hand-written estimators (not attrs classes) that follow scikit-learn's
conventions: no logic in ``__init__``, ``fit`` returns ``self``, fitted
attributes end in ``_``, ``n_features_in_`` and ``feature_names_in_`` are set by
:func:`sklearn.utils.validation.validate_data`.  The encoder wraps
:func:`scorecard.bin_features`; the classifier runs the pipeline of
:func:`scorecard.fit_scorecard` (bin, pre-select, stepwise or one fit, scale: the steps
are its parameters).  The fitted artifacts are available as ``binning_`` and
``scorecard_`` (JSON-serializable) for everything the adapters do not expose.

Requires scikit-learn (``pip install scorecard[sklearn]``).

Conventions (scikit-learn's, where they differ from the rest of the library):

* **Target**: binary, any two labels, sorted into ``classes_``.  By default the
  label sorted *second* (``classes_[1]``: 1 of 0/1, ``True`` of booleans, ``"yes"``
  of ``"no"``/``"yes"``) is bad, as scikit-learn's positive class; ``bad_label``
  names it otherwise (e.g. ``bad_label="bad"`` for ``"bad"``/``"good"``, which
  sort the other way).  ``predict_proba`` columns follow ``classes_`` and
  ``decision_function`` is the log odds of ``classes_[1]``, as scikit-learn
  expects; with the default that is P(good), P(bad) and the log odds of bad.
* **Alignment**: ``y`` and ``sample_weight`` are matched to the rows of ``X`` by
  position (a pandas index is ignored), as everywhere in scikit-learn.
* **Column names**: a DataFrame with string column names keeps them (they name the
  bins and the card's characteristics); other inputs get ``x0``, ``x1``, ...
* **Weights**: frequency weights; a row of weight 0 is treated as absent.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

try:
    from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
    from sklearn.exceptions import NotFittedError as _SkNotFittedError
    from sklearn.utils import ClassifierTags
    from sklearn.utils.multiclass import type_of_target
    from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data
except ImportError as exc:  # pragma: no cover - exercised only without scikit-learn
    raise ImportError(
        "scorecard.sklearn needs scikit-learn: pip install 'scorecard[sklearn]'"
    ) from exc

from scorecard._analyze.binning import Binning, bin_features
from scorecard._analyze.selection import Selection
from scorecard._analyze.spec import BinningSpec
from scorecard._core.types import FloatArray
from scorecard._model.logit import LogitResult
from scorecard._model.pipeline import Criterion, Method, Steps, check_steps, fit_pipeline
from scorecard._model.reasons import ReasonCatalog
from scorecard._model.scaling import Scaling
from scorecard._model.scorecard import ALLOCATIONS, Allocation, FixedRange, Scorecard
from scorecard._model.selection_path import SelectionPath
from scorecard.exceptions import DataError, SpecificationError
from scorecard.exceptions import NotFittedError as _ScNotFittedError

__all__ = ["ScorecardClassifier", "WOEEncoder"]


class _NotFittedError(_ScNotFittedError, _SkNotFittedError):  # type: ignore[misc]
    """The library's :class:`scorecard.exceptions.NotFittedError`, raised by the adapters
    as scikit-learn's ``NotFittedError`` too, so code written for either catches it.

    Not a public name: catch :class:`scorecard.exceptions.NotFittedError` (or
    :class:`sklearn.exceptions.NotFittedError`).
    """


def __getattr__(name: str) -> object:
    """``scorecard.sklearn.NotFittedError`` is deprecated (one NotFittedError class)."""
    if name == "NotFittedError":
        warnings.warn(
            "scorecard.sklearn.NotFittedError is deprecated: catch "
            "scorecard.exceptions.NotFittedError (the adapters' error is also scikit-learn's "
            "NotFittedError)",
            DeprecationWarning,
            stacklevel=2,
        )
        return _NotFittedError
    raise AttributeError(f"module 'scorecard.sklearn' has no attribute {name!r}")


def _check_fitted(est: BaseEstimator, attribute: str) -> None:
    try:
        check_is_fitted(est, attribute)
    except _SkNotFittedError as exc:
        raise _NotFittedError(str(exc)) from None


# ------------------------------------------------------------------------- inputs
def _frame(est: BaseEstimator, X: Any, *, reset: bool) -> pd.DataFrame:
    """Validate ``X`` the scikit-learn way; a DataFrame named like the binning.

    A pandas DataFrame keeps its dtypes (strings and categoricals stay
    categorical features); anything else goes through ``check_array`` (no
    sparse, 2-d, at least one row and column, NaN allowed, inf refused), and an
    object array has its columns' types inferred (numbers numeric, strings
    categorical).  On ``reset=False`` the columns are renamed, by position, to
    the names seen in ``fit`` (``validate_data`` has checked their number and,
    for DataFrames, their names and order).
    """
    if isinstance(X, pd.DataFrame):
        validate_data(est, X, reset=reset, skip_check_array=True)
        if X.shape[0] == 0:
            raise DataError(
                f"X: expected at least one row (n_samples >= 1), found 0 sample(s) of shape "
                f"{X.shape}"
            )
        if X.shape[1] == 0:
            raise DataError(
                f"X: expected at least one feature, found 0 feature(s) of shape {X.shape}"
            )
        df = X.copy(deep=False)
    else:
        arr = validate_data(est, X, reset=reset, ensure_all_finite="allow-nan", dtype=None)
        df = pd.DataFrame(arr)
        if arr.dtype == object:
            df = df.infer_objects()
    names = (
        [str(c) for c in est.feature_names_in_]
        if hasattr(est, "feature_names_in_")
        else [f"x{i}" for i in range(df.shape[1])]
    )
    df.columns = pd.Index(names)
    df.index = pd.RangeIndex(len(df))
    return df


def _binary_target(
    y: Any, n: int, bad_label: Any
) -> tuple[npt.NDArray[np.int8], npt.NDArray[Any], Any]:
    """1 = bad as int8, ``classes_`` and the bad label; refuses non-binary targets."""
    if y is None:
        raise DataError(
            "y: this estimator requires y to be passed, but the target y is None: a "
            "scorecard is fitted against a good/bad target"
        )
    arr = column_or_1d(y, warn=True)
    if arr.shape[0] != n:
        raise DataError(f"y: expected {n} values (one per row of X), found {arr.shape[0]}")
    kind = type_of_target(arr, input_name="y", raise_unknown=True)
    if kind not in ("binary", "multiclass"):
        raise DataError(
            f"y: Unknown label type: {kind}: expected a binary good/bad target, found "
            f"{kind} values; a scorecard is a binary classifier"
        )
    classes = np.unique(arr)
    if classes.size > 2:
        shown = [str(c) for c in classes[:10]]
        raise DataError(
            f"y: expected exactly two classes (good, bad), found {classes.size} classes "
            f"{shown}. Only binary classification is supported. The type of the target is "
            f"{kind}."
        )
    if classes.size < 2:
        raise DataError(
            f"y: expected two classes (good and bad), found one class ({classes[0]!r}): a "
            "scorecard needs both goods and bads"
        )
    if bad_label is None:
        bad = classes[1]
    else:
        hit = np.flatnonzero(classes == bad_label)
        if hit.size != 1:
            raise DataError(
                f"bad_label: expected one of the target's labels {classes.tolist()}, found "
                f"{bad_label!r}"
            )
        bad = classes[hit[0]]
    out: npt.NDArray[np.int8] = (arr == bad).astype(np.int8)
    return out, classes, bad


def _weights(sample_weight: Any, n: int) -> FloatArray | None:
    """Non-negative finite frequency weights, one per row (a scalar is broadcast)."""
    if sample_weight is None:
        return None
    try:
        w = np.asarray(sample_weight, dtype=np.float64)
    except (TypeError, ValueError):
        raise DataError(
            "sample_weight: expected numbers, found values that are not numeric"
        ) from None
    if w.ndim == 0:
        w = np.full(n, float(w))
    elif w.ndim == 2 and w.shape[1] == 1:
        w = w[:, 0]
    if w.shape != (n,):
        raise DataError(
            f"sample_weight: expected shape ({n},) (one weight per row of X), found shape {w.shape}"
        )
    bad = ~np.isfinite(w)
    if bad.any():
        raise DataError(f"sample_weight: expected finite weights, found {int(bad.sum())} NaN/inf")
    if (w < 0).any():
        raise DataError(
            f"sample_weight: expected non-negative weights, found {int((w < 0).sum())} "
            f"negative (smallest {float(w.min())!r})"
        )
    if not (w > 0).any():
        raise DataError("sample_weight: expected a positive total weight, found every weight zero")
    return w


def _check_params(spec: Any, specs: Any) -> None:
    if spec is not None and not isinstance(spec, BinningSpec):
        raise SpecificationError(
            f"spec: expected a BinningSpec or None, found {type(spec).__name__}"
        )
    if specs is not None:
        if not isinstance(specs, Mapping):
            raise SpecificationError(
                f"specs: expected a dict of column name to BinningSpec, found "
                f"{type(specs).__name__}"
            )
        wrong = [str(k) for k, v in specs.items() if not isinstance(v, BinningSpec)]
        if wrong:
            raise SpecificationError(
                f"specs: expected BinningSpec values, found others for {wrong}"
            )


class _Fitted:
    """What both adapters start from: validated rows, 1 = bad target, weights, labels.

    ``train`` is the rows with the target added as the column ``target`` (``"y"``, or
    ``"y_"``... if ``X`` has a column ``y``): the binning's (and the card's) name for it.
    """

    def __init__(self, est: BaseEstimator, X: Any, y: Any, sample_weight: Any) -> None:
        _check_params(est.spec, est.specs)
        df = _frame(est, X, reset=True)
        yy, self.classes, self.bad = _binary_target(y, len(df), est.bad_label)
        w = _weights(sample_weight, len(df))
        if w is not None and not (w > 0).all():
            # a frequency weight of 0 is an absent row: fitting without it is the definition
            keep = w > 0
            df = df.loc[keep].reset_index(drop=True)
            yy, w = yy[keep], w[keep]
            if yy.min() == yy.max():
                raise DataError(
                    "y: expected two classes (good and bad) among the rows of positive "
                    f"weight, found one class ({'bad' if yy[0] else 'good'} only)"
                )
        target = "y"
        while target in df.columns:
            target += "_"
        self.features = [str(c) for c in df.columns]
        self.train, self.target, self.y, self.w = df.assign(**{target: yy}), target, yy, w

    def binning(self, spec: BinningSpec | None, specs: Mapping[str, BinningSpec] | None) -> Binning:
        """Every column binned (what the encoder learns)."""
        return bin_features(
            self.train,
            self.target,
            features=self.features,
            spec=spec,
            specs=specs,
            sample_weight=self.w,
        )


def _tags(tags: Any) -> Any:
    tags.input_tags.allow_nan = True
    tags.input_tags.categorical = True
    tags.input_tags.string = True
    tags.target_tags.required = True
    return tags


# ------------------------------------------------------------------------ encoder
class WOEEncoder(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Replace each feature by the WOE of its bin (optimal binning on the training data).

    ``WOE = ln(%good / %bad)`` per bin (positive = safer than average), with the
    library's smoothing, missing, special and unseen-value treatments; the same
    numbers as ``scorecard.bin_features(...).transform(...)``.

    Parameters
    ----------
    spec : BinningSpec, optional
        Binning options for every feature (default ``BinningSpec()``).
    specs : dict of str to BinningSpec, optional
        Per-feature options, by column name (``"x0"``, ``"x1"``... for arrays).
    bad_label : optional
        The label of ``y`` that means bad (default: ``classes_[1]``, the second sorted).

    Attributes
    ----------
    binning_ : Binning
        The fitted bins (tables, IV, edits, JSON).
    classes_ : ndarray of shape (2,)
        The target labels, sorted.
    bad_label_ : object
        The label modeled as bad (``classes_[1]`` unless ``bad_label`` says otherwise).
    n_features_in_ : int
        Number of columns seen in ``fit``.
    feature_names_in_ : ndarray of str
        Column names seen in ``fit`` (only when ``X`` was a DataFrame with string names).

    Examples
    --------
    >>> from scorecard.datasets import load_german_credit
    >>> df = load_german_credit()
    >>> X = df[["duration_in_month", "purpose"]]
    >>> enc = WOEEncoder().fit(X, df["bad"])
    >>> enc.transform(X).shape
    (1000, 2)
    >>> enc.binning_["duration_in_month"].labels[:3]
    ('[-inf, 7)', '[7, 11)', '[11, 16)')
    >>> enc.transform(X[:2]).round(3).tolist()
    [[1.246, 0.41], [-1.064, 0.41]]
    """

    def __init__(
        self,
        spec: BinningSpec | None = None,
        specs: dict[str, BinningSpec] | None = None,
        bad_label: Any = None,
    ) -> None:
        self.spec = spec
        self.specs = specs
        self.bad_label = bad_label

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> WOEEncoder:
        """Bin every column of ``X`` against the binary target ``y``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Numbers or strings; NaN/None is the missing value.
        y : array-like of shape (n_samples,)
            Two labels; ``bad_label`` (default ``classes_[1]``, the second sorted) is bad.
        sample_weight : array-like of shape (n_samples,), optional
            Non-negative frequency weights.

        Returns
        -------
        WOEEncoder
            ``self``, fitted.
        """
        fitted = _Fitted(self, X, y, sample_weight)
        binning = fitted.binning(self.spec, self.specs)
        self.classes_ = fitted.classes
        self.bad_label_ = fitted.bad
        self.binning_: Binning = binning
        return self

    def transform(self, X: Any) -> FloatArray:
        """WOE of every value (missing, special and unseen by the stored treatments).

        Returns
        -------
        ndarray of shape (n_samples, n_features)
        """
        _check_fitted(self, "binning_")
        df = _frame(self, X, reset=False)
        return self.binning_.transform(df).to_numpy(dtype=np.float64)

    def get_feature_names_out(self, input_features: Any = None) -> npt.NDArray[np.object_]:
        """Output names: the input names (one WOE column per input column)."""
        _check_fitted(self, "binning_")
        names = np.asarray(self.binning_.names, dtype=object)
        if input_features is not None:
            given = np.asarray(input_features, dtype=object)
            if given.shape != names.shape or (
                hasattr(self, "feature_names_in_") and not np.array_equal(given, names)
            ):
                raise DataError(
                    f"input_features: expected {list(names)} (the columns seen in fit), "
                    f"found {list(given)}"
                )
            names = given
        return names

    def __sklearn_tags__(self) -> Any:
        tags = _tags(super().__sklearn_tags__())
        # WOE is defined for a binary target only: the same target constraint as a
        # binary-only classifier.  scikit-learn reads this tag to know the estimator needs
        # binary targets; it does not make the encoder a classifier (estimator_type is
        # untouched, is_classifier is False).
        tags.classifier_tags = ClassifierTags(multi_class=False)
        return tags


# --------------------------------------------------------------------- classifier
class ScorecardClassifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """A points scorecard as a scikit-learn classifier.

    Runs the pipeline of :func:`scorecard.fit_scorecard` on the rows it is given (no
    holdout split, no metrics): bins every feature (:func:`scorecard.bin_features`),
    pre-selects them by IV, WOE correlation and VIF if ``preselect``
    (:func:`scorecard.select_features`), selects them stepwise if ``stepwise`` names a
    method (:func:`scorecard.select_stepwise`) or else fits one unpenalized logistic
    regression ``ln(P(bad)/P(good)) = b0 + sum_j b_j WOE_j`` on all of them
    (:func:`scorecard.fit_logit`), and scales it into points
    (:meth:`scorecard.Scorecard.from_model`).

    By default it does **neither** pre-selection nor stepwise selection: it fits every
    column it is given, like scikit-learn's own classifiers (feature selection is then the
    pipeline's business, and the classifier equals ``WOEEncoder`` followed by an
    unpenalized ``LogisticRegression``).  ``preselect=True, stepwise="stepwise"`` gives
    the card of :func:`scorecard.fit_scorecard` trained on the same rows; the thresholds'
    defaults are ``fit_scorecard``'s.

    A feature binned into a single bin has a constant WOE and no estimable coefficient:
    pre-selection drops it, the stepwise selection never admits it, and one fit gives it
    coefficient 0 (the same points for every value) with a
    :class:`~scorecard.exceptions.FitWarning`; with every feature so, the model is the
    intercept alone (P(bad) = the training bad rate for everyone).  Forcing it in
    (``force``) is a :class:`~scorecard.exceptions.FitError`.

    ``predict_proba`` and ``decision_function`` come from the unrounded model;
    :meth:`predict_score` gives the integer points of the printed card (higher =
    lower risk).  With the default ``bad_label``, ``predict_proba`` is P(good),
    P(bad) and ``decision_function`` the log odds of bad.

    Parameters
    ----------
    spec : BinningSpec, optional
        Binning options for every feature.
    specs : dict of str to BinningSpec, optional
        Per-feature binning options (see :class:`WOEEncoder`).
    scaling : Scaling or FixedRange, optional
        Points scaling (default 600 points at 50:1 good:bad, PDO 20).
    allocation : {"spread", "base", "shift"}
        How the intercept becomes points.
    bad_label : optional
        The label of ``y`` that means bad (default: ``classes_[1]``, the second sorted).
    preselect : bool
        Pre-select the features by ``min_iv``, ``max_iv``, ``max_corr`` and ``max_vif``
        (default False: every feature is a candidate, in column order; with it, the
        candidates are in IV order, strongest first, as in ``fit_scorecard``).
    min_iv, max_iv, max_corr, max_vif : float
        The pre-selection's thresholds (``fit_scorecard``'s defaults: 0.01, None, 0.7,
        5.0); used only with ``preselect=True``.
    force : tuple of str
        Features kept by the pre-selection and always in the stepwise model (names of
        ``X``'s columns, ``"x0"``... for arrays).
    stepwise : {"stepwise", "forward", "backward"}, optional
        Select the model's features with this method (default None: one fit on every
        candidate).
    criterion : {"pvalue", "aic", "bic"}
        The stepwise selection's criterion.
    p_enter, p_remove : float
        Its significance levels (``criterion="pvalue"``; ``fit_scorecard``'s defaults:
        0.5 and 0.5).
    l2 : float
        Ridge (L2) penalty on the WOE coefficients of the final logistic fit, on
        scikit-learn's scale (``l2 = 1 / C``; default 0.0: maximum likelihood); see
        :func:`scorecard.fit_scorecard`.
    reason_catalog : ReasonCatalog, optional
        Reason codes stored in the card.

    Attributes
    ----------
    scorecard_ : Scorecard
        The points card (JSON, SQL, reasons...).
    binning_ : Binning
        The bins of every feature.
    selection_ : Selection or None
        The pre-selection (None unless ``preselect``).
    stepwise_ : SelectionPath or None
        The stepwise path (None unless ``stepwise``).
    model_ : LogitResult
        The final logistic fit (standard errors, p-values, VIF...; without the features
        given coefficient 0 for a single bin).
    classes_ : ndarray of shape (2,)
        The labels, sorted (the columns of ``predict_proba``).
    bad_label_ : object
        The label modeled as bad (``classes_[1]`` unless ``bad_label`` says otherwise).
    n_features_in_ : int
        Number of columns seen in ``fit``.
    feature_names_in_ : ndarray of str
        Column names seen in ``fit`` (only when ``X`` was a DataFrame with string names).

    Examples
    --------
    >>> from scorecard.datasets import load_german_credit
    >>> df = load_german_credit()
    >>> X = df[["status_of_existing_checking_account", "duration_in_month"]]
    >>> clf = ScorecardClassifier().fit(X, df["bad"])
    >>> clf.predict_proba(X[:2]).round(3).tolist()
    [[0.775, 0.225], [0.361, 0.639]]
    >>> clf.decision_function(X[:2]).round(3).tolist()
    [-1.239, 0.573]
    >>> clf.predict_score(X[:3]).tolist()
    [523, 470, 553]
    >>> clf.scorecard_.names
    ('status_of_existing_checking_account', 'duration_in_month')

    With ``fit_scorecard``'s selection steps, on every column:

    >>> full = ScorecardClassifier(preselect=True, stepwise="stepwise")
    >>> full = full.fit(df.drop(columns="bad"), df["bad"])
    >>> full.scorecard_.names[:3]
    ('status_of_existing_checking_account', 'credit_history', 'duration_in_month')
    >>> len(full.selection_.selected), len(full.scorecard_.names)  # pre-selected, then stepwise
    (14, 14)
    """

    def __init__(
        self,
        spec: BinningSpec | None = None,
        specs: dict[str, BinningSpec] | None = None,
        scaling: Scaling | FixedRange | None = None,
        allocation: Allocation = "spread",
        bad_label: Any = None,
        *,
        preselect: bool = False,
        min_iv: float = 0.01,
        max_iv: float | None = None,
        max_corr: float = 0.7,
        max_vif: float | None = 5.0,
        force: tuple[str, ...] = (),
        stepwise: Method | None = None,
        criterion: Criterion = "pvalue",
        p_enter: float = 0.5,
        p_remove: float = 0.5,
        l2: float = 1.0,
        reason_catalog: ReasonCatalog | None = None,
    ) -> None:
        self.spec = spec
        self.specs = specs
        self.scaling = scaling
        self.allocation = allocation
        self.bad_label = bad_label
        self.preselect = preselect
        self.min_iv = min_iv
        self.max_iv = max_iv
        self.max_corr = max_corr
        self.max_vif = max_vif
        self.force = force
        self.stepwise = stepwise
        self.criterion = criterion
        self.p_enter = p_enter
        self.p_remove = p_remove
        self.l2 = l2
        self.reason_catalog = reason_catalog

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> ScorecardClassifier:
        """Bin, select (if asked), fit the logistic model on WOE and build the points card.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Numbers or strings; NaN/None is the missing value.
        y : array-like of shape (n_samples,)
            Two labels; ``bad_label`` (default ``classes_[1]``, the second sorted) is bad.
        sample_weight : array-like of shape (n_samples,), optional
            Non-negative frequency weights.

        Returns
        -------
        ScorecardClassifier
            ``self``, fitted.

        Raises
        ------
        SpecificationError
            A parameter of the wrong kind or out of range (the message names it).
        DataError
            No feature passed the pre-selection, or the stepwise selection kept none.
        FitError
            Collinear WOE columns, (quasi-)perfect separation or no convergence (from
            :func:`scorecard.fit_logit`; the message names the features).
        """
        if self.scaling is not None and not isinstance(self.scaling, Scaling | FixedRange):
            raise SpecificationError(
                f"scaling: expected a Scaling, a FixedRange or None, found "
                f"{type(self.scaling).__name__}"
            )
        if self.allocation not in ALLOCATIONS:
            raise SpecificationError(
                f"allocation: expected one of {ALLOCATIONS}, found {self.allocation!r}"
            )
        steps = Steps(
            features=None,
            spec=self.spec,
            specs=self.specs,
            preselect=self.preselect,
            min_iv=self.min_iv,
            max_iv=self.max_iv,
            max_corr=self.max_corr,
            max_vif=self.max_vif,
            force=self.force,
            stepwise=self.stepwise,
            criterion=self.criterion,
            p_enter=self.p_enter,
            p_remove=self.p_remove,
            l2=self.l2,
            scaling=self.scaling,
            allocation=self.allocation,
            reason_catalog=self.reason_catalog,
            description="",
            fingerprint=False,
        )
        check_steps(steps)
        fitted = _Fitted(self, X, y, sample_weight)
        result = fit_pipeline(
            fitted.train,
            fitted.target,
            fitted.y,
            attrs.evolve(steps, features=fitted.features),
            sample_weight=fitted.w,
            owner="ScorecardClassifier",
        )
        self.classes_ = fitted.classes
        self.bad_label_ = fitted.bad
        self.binning_: Binning = result.binning
        self.selection_: Selection | None = result.selection
        self.stepwise_: SelectionPath | None = result.stepwise
        self.model_: LogitResult = result.model
        self.scorecard_: Scorecard = result.card
        return self

    def _df(self, X: Any) -> pd.DataFrame:
        _check_fitted(self, "scorecard_")
        return _frame(self, X, reset=False)

    def _bad_is_second(self) -> bool:
        return bool(self.classes_[1] == self.bad_label_)

    def decision_function(self, X: Any) -> FloatArray:
        """Log odds of ``classes_[1]``, unrounded: of bad, ``b0 + sum_j b_j WOE_j``, by default.

        (Of good, its negative, if ``bad_label`` is ``classes_[0]``.)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        df = self._df(X)  # first: NotFittedError before any fitted attribute is read
        lo = self.scorecard_.log_odds(df)
        out: FloatArray = lo if self._bad_is_second() else -lo
        return out

    def predict_proba(self, X: Any) -> FloatArray:
        """Probabilities of ``classes_[0]`` and ``classes_[1]``: P(good), P(bad) by default.

        Returns
        -------
        ndarray of shape (n_samples, 2)
        """
        df = self._df(X)
        p = self.scorecard_.predict_pd(df)
        cols = [1.0 - p, p] if self._bad_is_second() else [p, 1.0 - p]
        out: FloatArray = np.column_stack(cols)
        return out

    def predict(self, X: Any) -> npt.NDArray[Any]:
        """The more likely class (``classes_[1]`` where its probability exceeds 0.5).

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        lo = self.decision_function(X)
        out: npt.NDArray[Any] = self.classes_[(lo > 0).astype(np.intp)]
        return out

    def predict_score(self, X: Any) -> npt.NDArray[np.int64]:
        """Integer scorecard points: the sum of the printed points (higher = lower risk).

        Returns
        -------
        ndarray of int64, shape (n_samples,)
        """
        df = self._df(X)
        return self.scorecard_.score(df)

    def __sklearn_tags__(self) -> Any:
        tags = _tags(super().__sklearn_tags__())
        tags.classifier_tags.multi_class = False
        return tags
