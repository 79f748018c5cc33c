"""Validated rows for the logistic engine (:mod:`scorecard._model.newton`).

* :class:`Data`: rows of positive weight, a Fortran-ordered WOE matrix, target and weights;
* :func:`prepare` validates a WOE frame, a target and weights into :class:`Data`;
* :func:`prepare_design` does the same for rows already held as the design ``[1, X]``
  (the pipeline's WOE of the training rows): no copy of them.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import Any, Protocol, cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard._core.types import FloatArray, IntArray
from scorecard._core.validation import check_columns, check_frame, check_target, check_weights
from scorecard.exceptions import DataError

__all__ = ["INTERCEPT", "Data", "Objective", "expit", "prepare", "prepare_design"]

#: Name of the intercept in :attr:`LogitResult.params` (statsmodels' convention).
INTERCEPT = "const"
#: Rows per block of the covariance matrix of the columns (computed once per data set).
_COV_CHUNK = 1 << 13


def expit(eta: FloatArray) -> FloatArray:
    """``1 / (1 + exp(-eta))``, accurate in both tails, no overflow warning."""
    with np.errstate(over="ignore"):
        out: FloatArray = 1.0 / (1.0 + np.exp(-eta))
    return out


class Objective(Protocol):
    """The log-likelihood of one design as :func:`newton` evaluates it.

    ``at(beta)`` returns the log-likelihood and a state from which ``grad`` and ``hess``
    give the gradient and the information matrix at that ``beta``.  A :class:`Design`
    (rows or groups in memory) is one (:class:`_Rows`); rows held otherwise evaluate it
    in blocks (:meth:`Data.stream`).
    """

    k1: int  # coefficients, intercept included

    def bad_share(self) -> float: ...

    def at(self, beta: FloatArray) -> tuple[float, Any]: ...

    def grad(self, state: Any) -> FloatArray: ...

    def hess(self, state: Any, chunk: int | None) -> FloatArray: ...


# --------------------------------------------------------------------------------------
# validated data
# --------------------------------------------------------------------------------------


class Data:
    """Validated rows of positive weight: WOE matrix (n x P, Fortran order), target, weights.

    The engine reads the rows through a few methods (:meth:`codes`, :meth:`cov`,
    :meth:`take`, :meth:`information`, :meth:`stream`), so rows held otherwise, as bin
    indices and their good/bad counts (:class:`scorecard._model.counts.CountData`), fit
    by the same code.
    """

    #: ``[1, X]`` in one Fortran-ordered buffer whose columns ``1..`` are :attr:`X`, when
    #: the caller built the rows so (:func:`prepare_design`): the design of every column
    #: in order, without a copy
    design: FloatArray | None = None
    #: the weighted correlation matrix of the columns when the caller already computed it
    #: on these rows (:func:`prepare_design`); else :meth:`corr` derives it from :meth:`cov`
    given_corr: FloatArray | None = None

    def __init__(
        self,
        X: FloatArray,
        names: tuple[str, ...],
        y: FloatArray,
        w: FloatArray,
        weighted: bool,
        bounds: tuple[FloatArray, FloatArray] | None = None,
    ) -> None:
        self.X = X
        self.names = names
        self.index = {c: j for j, c in enumerate(names)}
        self.y = y
        self.w = w
        self.wb = w * y
        self.wg = w - self.wb
        self.weighted = weighted
        self.n = int(X.shape[0])
        self.rows = self.n  # rows of data the n rows stand for (reported as n_rows)
        self.nobs = float(w.sum())
        self.n_bads = float(self.wb.sum())
        if bounds is not None:  # the columns' minima and maxima, computed by the caller
            self.lo, self.hi = bounds
        elif X.shape[1]:
            self.lo = X.min(axis=0)
            self.hi = X.max(axis=0)
        else:
            self.lo = np.zeros(0)
            self.hi = np.zeros(0)
        self.ranges: FloatArray = self.hi - self.lo
        self._codes: dict[int, tuple[IntArray, int]] = {}
        self._cov: FloatArray | None = None

    def codes(self, j: int) -> tuple[IntArray, int]:
        """Integer codes of the distinct values of column ``j`` and their number (or of
        finer classes of its rows, e.g. its bins: :func:`prepare_design`)."""
        if j not in self._codes:
            codes, uniques = pd.factorize(self.X[:, j])
            self._codes[j] = (np.asarray(codes, dtype=np.int64), len(uniques))
        return self._codes[j]

    def cov(self) -> FloatArray:
        """Weighted covariance matrix of the columns (centered design)."""
        if self._cov is None:
            P = self.X.shape[1]
            mean = (self.X.T @ self.w) / self.nobs
            G = np.zeros((P, P))
            for a in range(0, self.n, _COV_CHUNK):  # row blocks: little memory
                Z = self.X[a : a + _COV_CHUNK] - mean
                G += (Z * self.w[a : a + _COV_CHUNK, None]).T @ Z
            self._cov = (G + G.T) / (2.0 * self.nobs)
        return self._cov

    def corr(self) -> FloatArray:
        """Weighted correlation matrix of the columns (from :meth:`cov`, unless given)."""
        if self.given_corr is not None:
            return self.given_corr
        C = self.cov()
        d = np.sqrt(np.diag(C))
        with np.errstate(divide="ignore", invalid="ignore"):
            out: FloatArray = C / np.outer(d, d)
        return out

    def llnull(self) -> float:
        """Log-likelihood of the intercept-only model (closed form)."""
        p = self.n_bads / self.nobs
        return self.n_bads * math.log(p) + (self.nobs - self.n_bads) * math.log1p(-p)

    def take(self, rows: IntArray, cols: Sequence[int]) -> FloatArray:
        """The WOE values of ``rows`` in the columns ``cols``."""
        out: FloatArray = self.X[np.ix_(rows, np.asarray(cols, dtype=np.intp))]
        return out

    def information(
        self, b0: float, bfull: FloatArray, chunk: int | None
    ) -> tuple[FloatArray, FloatArray]:
        """Information matrix of ``[1, X]`` (all columns) and its score ``[1, X]'(y - mu)`` at
        the coefficients ``b0`` (intercept) and ``bfull`` (one per column), in row blocks."""
        X = self.X
        eta = b0 + X @ bfull
        mu = expit(eta)
        r = self.wb - self.w * mu
        s = np.sqrt(self.w * mu * (1.0 - mu))
        P = X.shape[1]
        info = np.zeros((P + 1, P + 1))  # one syrk per row block
        chunk = chunk or self.n
        for a in range(0, self.n, chunk):
            B = np.empty((min(chunk, self.n - a), P + 1), order="F")
            B[:, 0] = s[a : a + chunk]
            np.multiply(X[a : a + chunk], s[a : a + chunk, None], out=B[:, 1:])
            info += B.T @ B
        U = np.r_[r.sum(), X.T @ r]  # score of [1, X]; ~0 on the model's own columns
        return info, U

    def may_group(self, cols: Sequence[int], limit: int) -> bool:
        """Whether the rows could fall into at most ``limit`` groups by ``cols`` (True:
        finding out is the grouping itself)."""
        return True

    def stream(self, cols: Sequence[int], chunk: int | None) -> Objective | None:
        """The likelihood of ``cols`` evaluated in row blocks, for rows not held as one WOE
        matrix; None here (the rows are a matrix: designs are built from it)."""
        return None


def _check_names(names: Sequence[Any]) -> tuple[str, ...]:
    for c in names:
        if not isinstance(c, str):
            raise DataError(
                f"X: expected string column names (they name the features), found {c!r} "
                f"of type {type(c).__name__}: rename the columns"
            )
    if INTERCEPT in names:
        raise DataError(
            f"X: column name {INTERCEPT!r} is reserved for the intercept: rename that column"
        )
    return tuple(cast(Sequence[str], names))


def _is_name(sample_weight: Any, column: Hashable) -> bool:
    return isinstance(sample_weight, str) and sample_weight == column


def prepare(X: Any, y: Any, sample_weight: Any, features: Sequence[Hashable] | None) -> Data:
    """Validate inputs and keep rows of positive weight."""
    X = check_frame(X, "X")
    if features is None:
        # every column, except the weight column when the weights are given by name
        cols: list[Hashable] = [c for c in X.columns if not _is_name(sample_weight, c)]
    else:
        if isinstance(features, str):
            raise DataError(
                f"features: expected a sequence of column names, found the string {features!r}: "
                f"use [{features!r}]"
            )
        cols = list(features)
        if len(set(cols)) != len(cols):
            dups = sorted({str(c) for c in cols if cols.count(c) > 1})
            raise DataError(f"features: expected distinct names, found duplicates {dups}")
        check_columns(X, cols, "X")
    names = _check_names(cols)
    for c in names:
        dt = X[c].dtype
        if not (pd.api.types.is_numeric_dtype(dt) or pd.api.types.is_bool_dtype(dt)):
            raise DataError(
                f"column {c!r}: expected numeric WOE values, found dtype {dt}: transform the "
                "features to WOE first"
            )
    if isinstance(y, pd.Series) and not y.index.equals(X.index):
        raise DataError(
            "y: expected a Series with the same index as X, found a different index "
            "(misaligned target): pass .to_numpy() or reindex it"
        )
    yname = str(y.name) if isinstance(y, pd.Series) and y.name is not None else "y"
    yy = check_target(y, yname)
    if yy.shape[0] != len(X):
        raise DataError(
            f"target {yname!r}: expected {len(X)} values (one per row of X), found {yy.shape[0]}"
        )
    weighted = sample_weight is not None
    w = check_weights(sample_weight, X) if weighted else np.ones(len(X), dtype=np.float64)
    arr = X.loc[:, list(names)].to_numpy(dtype=np.float64, na_value=np.nan)
    _check_finite(arr, names)
    keep = w > 0
    yf = yy.astype(np.float64)
    if not keep.all():
        arr, yf, w = arr[keep], yf[keep], w[keep]
        _check_classes(yf, yname)
    return Data(np.asfortranarray(arr), names, yf, w, weighted)


def _check_finite(
    arr: FloatArray,
    names: Sequence[str],
    bounds: tuple[FloatArray, FloatArray] | None = None,
) -> tuple[FloatArray, FloatArray]:
    """The minimum and maximum of every column (``bounds`` when the caller has them), or
    DataError naming a column with NaN or infinite values (a column is finite when its
    minimum and maximum are)."""
    if arr.shape[1] == 0 or arr.shape[0] == 0:
        return np.zeros(arr.shape[1]), np.zeros(arr.shape[1])
    lo, hi = (arr.min(axis=0), arr.max(axis=0)) if bounds is None else bounds
    if not (np.all(np.isfinite(lo)) and np.all(np.isfinite(hi))):
        nbad = (~np.isfinite(arr)).sum(axis=0)
        j = int(np.flatnonzero(nbad)[0])
        others = [names[i] for i in np.flatnonzero(nbad)[1:6]]
        more = f" (also in {others})" if others else ""
        raise DataError(
            f"column {names[j]!r}: expected finite WOE values, found {int(nbad[j])} NaN or "
            f"infinite values{more}: WOE-transform with a missing-value treatment first"
        )
    return lo, hi


def _check_classes(yf: FloatArray, yname: str) -> None:
    if yf.min() == yf.max():
        raise DataError(
            f"target {yname!r}: expected both goods and bads among the rows of positive "
            f"weight, found only {'bads' if yf[0] == 1 else 'goods'}"
        )


def prepare_design(
    D: FloatArray,
    names: Sequence[str],
    y: npt.NDArray[np.integer[Any]],
    w: FloatArray | None,
    corr: FloatArray | None = None,
    bounds: tuple[FloatArray, FloatArray] | None = None,
    bins: Sequence[tuple[IntArray, int]] | None = None,
) -> Data:
    """:func:`prepare` for rows already held as the design ``[1, X]`` of every feature.

    ``D`` is Fortran-ordered float64 with the intercept column first; ``y`` the 0/1
    target, already validated (one value per row); ``w`` the checked weights or None.  The
    checks and messages are :func:`prepare`'s (string names other than ``const``, finite
    values, both classes among the rows of positive weight).  With every weight positive,
    the data keep ``D`` (:attr:`Data.design`) and ``corr``, the weighted correlation
    matrix of ``D[:, 1:]`` when the caller already has it (:attr:`Data.given_corr`): the
    fit copies no rows.  ``bounds``: the minimum and maximum of each column of
    ``D[:, 1:]``, when the caller has them; ``bins``: per column, the bin index of each
    row (``0 .. count - 1``) and the count, when its WOE is a function of them: they serve
    as the column's codes for grouping the rows (:meth:`Data.codes`; rows in the same
    bins have the same WOE), without hashing its values.
    """
    names = _check_names(list(names))
    X = D[:, 1:]
    lo, hi = _check_finite(X, names, bounds)
    yf = np.asarray(y, dtype=np.float64)
    if w is None:
        data = Data(X, names, yf, np.ones(X.shape[0], dtype=np.float64), False, (lo, hi))
    else:
        keep = w > 0
        if not keep.all():
            yf = yf[keep]
            _check_classes(yf, "y")
            return Data(np.asfortranarray(X[keep]), names, yf, w[keep], True)
        data = Data(X, names, yf, w, True, (lo, hi))
    data.design = D
    data.given_corr = corr
    for j, (index, count) in enumerate(bins or ()):
        data._codes[j] = (index, count)
    return data
