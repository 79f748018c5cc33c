"""Logistic regression of the bad flag on WOE features, and stepwise selection.

The model (stated once here, tested in ``tests/test_logit.py``)
--------------------------------------------------------------
``ln(P(bad) / P(good)) = b0 + sum_j b_j * WOE_j`` with target 1 = bad.  Because
``WOE = ln(%good / %bad)`` is positive for safer-than-average bins, a sensible
coefficient is **negative** (typically close to -1 for a feature on its own); a
positive coefficient is flagged (:class:`~scorecard.exceptions.FitWarning`,
:attr:`LogitResult.wrong_sign`) and refused by the sign gate of
:func:`select_stepwise`.

Estimation
----------
Maximum likelihood of the (weighted) Bernoulli log-likelihood
``llf = sum_i w_i [y_i eta_i - ln(1 + exp(eta_i))]``.  Sample weights are
*frequency* weights: a row of weight 3 counts as three identical rows, so the
log-likelihood, standard errors, AIC and BIC equal those of the data with rows
replicated.  BIC uses ``n = sum of weights`` (the number of rows when there are
no weights).

* ``engine="numpy"`` (default): Newton-Raphson with step halving on the
  vectorised gradient and Hessian; converged when the largest relative change
  of a coefficient is below ``1e-8`` (quadratic convergence leaves an error
  far below that).  On 1M rows x 25 features it is about ten times faster than
  statsmodels' ``GLM`` (IRLS with a pseudo-inverse of the whole design).
* ``engine="statsmodels"``: statsmodels ``GLM(Binomial, freq_weights=...)``,
  the reference; the tests check that both engines agree.

Sufficient statistics: WOE features are piecewise constant, so many rows share
the same WOE vector.  Unless ``group_rows=False``, rows are grouped by their
unique WOE combination with the weighted numbers of bads and goods per group
(an exact reformulation of the same likelihood) whenever that shrinks the data
at least three-fold; results equal the ungrouped fit to rounding.

Problems raise :class:`~scorecard.exceptions.FitError` naming the features: a
constant column, exactly collinear columns (found from the weighted, centred
covariance matrix), perfect or quasi-perfect separation (a coefficient that moves
the log odds by more than ``SEPARATION_SPAN`` = 30 across its WOE range, i.e.
odds ratios beyond ``e^30``, or a Hessian that becomes singular) and
non-convergence.

Selection
---------
:func:`select_stepwise` runs forward, backward or stepwise searches by p-value (Rao
score test to enter and Wald test to remove by default, as SAS PROC LOGISTIC; or Wald
or likelihood-ratio tests) or by AIC/BIC from the true weighted likelihood, with
forced features and gates on the coefficient sign and significance.  Per step, one
information matrix of all columns at the current fit gives the model's covariance and
every candidate's score test and one-step Newton start; trial fits reuse it as their
Hessian while they converge fast.  BLAS runs single-threaded during fits (when
``threadpoolctl`` is installed): the products are tall and thin, and a second thread
under contention made searches several times slower.
"""

from __future__ import annotations

import contextlib
import html
import importlib
import math
import statistics
import warnings
from collections import OrderedDict
from collections.abc import Hashable, Mapping, Sequence
from typing import Any, Literal, NamedTuple, cast

import attrs
import numpy as np
import pandas as pd

from scorecard._core import artifact as _json
from scorecard._core.fields import one_of
from scorecard._core.stats import vif_from_corr
from scorecard._core.types import FloatArray, IntArray
from scorecard._core.validation import check_columns, check_frame, check_target, check_weights
from scorecard.exceptions import (
    DataError,
    FitError,
    FitWarning,
    SchemaError,
    SpecificationError,
)

__all__ = [
    "INTERCEPT",
    "FeatureOutcome",
    "LogitResult",
    "LogitSummary",
    "SelectionPath",
    "SelectionStep",
    "fit_logit",
    "select_stepwise",
]


SCHEMA_VERSION = 1
#: Name of the intercept in :attr:`LogitResult.params` (statsmodels' convention).
INTERCEPT = "const"
#: A coefficient whose log-odds change across its feature's WOE range exceeds this is
#: treated as (quasi-)separation: ``exp(30)`` is an odds ratio of about 1e13.
SEPARATION_SPAN = 30.0
#: Relative residual variance below which a column is a linear combination of others.
COLLINEARITY_TOL = 1e-10
#: Largest relative coefficient change at convergence (final fits).
TOL = 1e-8
#: Same, for the many trial fits of a selection, which also stop when the next Newton
#: step would raise the log-likelihood by less than ``SCREEN_LL_TOL``.
SCREEN_TOL = 1e-6
SCREEN_LL_TOL = 1e-8
#: Trial fits that only rank candidates stop at this log-likelihood accuracy; those that
#: could be the best (within ``_SAFETY`` times their accuracy) are refined to SCREEN_LL_TOL.
COARSE_LL_TOL = 1e-3
_SAFETY = 10.0
MAX_ITER = 100
#: Grouping into unique WOE rows is used only if it shrinks the data this many times.
_GROUP_FACTOR = 3
_CHUNK = 1 << 13
_DENSE_MAX = 1 << 24
_KEY_CACHE = 3

Engine = Literal["numpy", "statsmodels"]
Method = Literal["stepwise", "forward", "backward"]
Criterion = Literal["pvalue", "aic", "bic"]
Test = Literal["score", "wald", "lr"]

_ENGINES = ("numpy", "statsmodels")
_METHODS = ("stepwise", "forward", "backward")
_CRITERIA = ("pvalue", "aic", "bic")
_TESTS = ("score", "wald", "lr")
_ACTIONS = ("force", "enter", "remove", "reject", "stop")
_STATUSES = ("forced", "selected", "removed", "rejected", "not entered")


# --------------------------------------------------------------------------------------
# small numeric helpers
# --------------------------------------------------------------------------------------


def _expit(eta: FloatArray) -> FloatArray:
    """``1 / (1 + exp(-eta))``, accurate in both tails, no overflow warning."""
    with np.errstate(over="ignore"):
        out: FloatArray = 1.0 / (1.0 + np.exp(-eta))
    return out


def _ll_mu(eta: FloatArray, wb: FloatArray, wt: FloatArray) -> tuple[float, FloatArray]:
    """Weighted Bernoulli log-likelihood ``sum wb*eta - wt*ln(1 + e^eta)`` and ``expit(eta)``.

    One exponential for both, stable in both tails.
    """
    t = np.exp(-np.abs(eta))
    softplus = np.maximum(eta, 0.0) + np.log1p(t)
    inv = 1.0 / (1.0 + t)
    mu: FloatArray = np.where(eta >= 0.0, inv, t * inv)
    return float(wb @ eta - wt @ softplus), mu


def _gram(A: FloatArray, v: FloatArray) -> FloatArray:
    """``A.T @ diag(v) @ A`` for ``v >= 0``, in row chunks (cache friendly, little memory)."""
    k = A.shape[1]
    out = np.zeros((k, k))
    s = np.sqrt(v)
    for a in range(0, A.shape[0], _CHUNK):
        B = A[a : a + _CHUNK] * s[a : a + _CHUNK, None]
        out += B.T @ B
    return out


def _blas_single_thread() -> contextlib.AbstractContextManager[Any]:
    """Limit BLAS to one thread while fitting, when ``threadpoolctl`` is installed.

    The products here are tall and thin (n x 30): a second BLAS thread gains little on an
    idle machine and loses several times over when other processes compete for the
    cores (measured: a stepwise search 8 s with one thread, 18 s to 110 s with two).
    """
    try:
        threadpoolctl = importlib.import_module("threadpoolctl")
    except ImportError:  # pragma: no cover - optional
        return contextlib.nullcontext()
    limits = threadpoolctl.threadpool_limits(limits=1, user_api="blas")
    return cast(contextlib.AbstractContextManager[Any], limits)


def _norm_p(z: float) -> float:
    """Two-sided normal p-value ``P(|Z| > |z|)``."""
    return math.erfc(abs(z) / math.sqrt(2.0))


def _chi2_1_p(stat: float) -> float:
    """Upper tail of a chi-square with one degree of freedom."""
    return math.erfc(math.sqrt(max(stat, 0.0) / 2.0))


def _fmt(x: float, digits: int = 4) -> str:
    """Compact number for messages: 4 significant digits, exponent when small."""
    if not math.isfinite(x):
        return str(x)
    if x != 0 and abs(x) < 1e-3:
        return f"{x:.2g}"
    return f"{x:.{digits}g}"


def _signed(x: float) -> str:
    return f"{x:+.4g}"


# --------------------------------------------------------------------------------------
# validated data
# --------------------------------------------------------------------------------------


class _Data:
    """Validated rows of positive weight: WOE matrix (n x P, Fortran order), target, weights."""

    def __init__(
        self, X: FloatArray, names: tuple[str, ...], y: FloatArray, w: FloatArray, weighted: bool
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
        self.nobs = float(w.sum())
        self.n_bads = float(self.wb.sum())
        if X.shape[1]:
            self.lo: FloatArray = X.min(axis=0)
            self.hi: FloatArray = X.max(axis=0)
        else:
            self.lo = np.zeros(0)
            self.hi = np.zeros(0)
        self.ranges: FloatArray = self.hi - self.lo
        self._codes: dict[int, tuple[IntArray, int]] = {}
        self._cov: FloatArray | None = None
        # grouping memory: recent group keys by feature set (LRU) and sets known not to
        # compress (every superset of one of them does not compress either)
        self.keys: OrderedDict[frozenset[int], tuple[IntArray, int]] = OrderedDict()
        self.ungroupable: list[frozenset[int]] = []
        # raw design buffer [1, X[:, buffer_cols]] with room for every column: a trial
        # fit that extends or varies the last column of the previous design copies one
        # column, not the whole design
        self.buffer_cols: tuple[int, ...] = ()
        self.buffer: FloatArray | None = None

    def codes(self, j: int) -> tuple[IntArray, int]:
        """Integer codes of the distinct values of column ``j`` and their number."""
        if j not in self._codes:
            codes, uniques = pd.factorize(self.X[:, j])
            self._codes[j] = (np.asarray(codes, dtype=np.int64), len(uniques))
        return self._codes[j]

    def cov(self) -> FloatArray:
        """Weighted covariance matrix of the columns (centred design)."""
        if self._cov is None:
            P = self.X.shape[1]
            mean = (self.X.T @ self.w) / self.nobs
            G = np.zeros((P, P))
            for a in range(0, self.n, _CHUNK):
                Z = self.X[a : a + _CHUNK] - mean
                G += (Z * self.w[a : a + _CHUNK, None]).T @ Z
            self._cov = (G + G.T) / (2.0 * self.nobs)
        return self._cov

    def llnull(self) -> float:
        """Log-likelihood of the intercept-only model (closed form)."""
        p = self.n_bads / self.nobs
        return self.n_bads * math.log(p) + (self.nobs - self.n_bads) * math.log1p(-p)


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


def _prepare(X: Any, y: Any, sample_weight: Any, features: Sequence[Hashable] | None) -> _Data:
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
    finite = np.isfinite(arr)
    if not finite.all():
        nbad = (~finite).sum(axis=0)
        j = int(np.flatnonzero(nbad)[0])
        others = [names[i] for i in np.flatnonzero(nbad)[1:6]]
        more = f" (also in {others})" if others else ""
        raise DataError(
            f"column {names[j]!r}: expected finite WOE values, found {int(nbad[j])} NaN or "
            f"infinite values{more}: WOE-transform with a missing-value treatment first"
        )
    keep = w > 0
    yf = yy.astype(np.float64)
    if not keep.all():
        arr, yf, w = arr[keep], yf[keep], w[keep]
        if yf.min() == yf.max():
            raise DataError(
                f"target {yname!r}: expected both goods and bads among the rows of positive "
                f"weight, found only {'bads' if yf[0] == 1 else 'goods'}"
            )
    return _Data(np.asfortranarray(arr), names, yf, w, weighted)


def _design_problem(data: _Data, cols: Sequence[int]) -> tuple[int, str] | None:
    """First column (position in ``cols``) that is constant or collinear, with a message."""
    names = data.names
    for pos, j in enumerate(cols):
        if data.ranges[j] == 0.0:
            return pos, (
                f"feature {names[j]!r} is constant (every row has WOE {float(data.lo[j])!r}), "
                "so its coefficient cannot be estimated: drop it"
            )
    if len(cols) < 2:
        return None
    C = data.cov()[np.ix_(cols, cols)]
    d = np.sqrt(np.diag(C))
    R = C / np.outer(d, d)
    accepted: list[int] = []
    for pos in range(len(cols)):
        if accepted:
            Rss = R[np.ix_(accepted, accepted)]
            r = R[accepted, pos]
            coef = np.linalg.solve(Rss, r)
            resid = float(1.0 - r @ coef)
        else:
            coef = np.zeros(0)
            resid = 1.0
        if resid < COLLINEARITY_TOL:
            deps = [
                names[cols[a]]
                for a, c in zip(accepted, coef, strict=True)
                if abs(c) > 1e-6 * max(1.0, float(np.abs(coef).max()))
            ]
            me = names[cols[pos]]
            if len(deps) == 1:
                what = (
                    f"features {deps[0]!r} and {me!r} are perfectly correlated "
                    "(duplicated or collinear WOE columns)"
                )
            else:
                what = (
                    f"feature {me!r} is a linear combination of {deps} "
                    f"(R-squared = 1 - {max(resid, 0.0):.1e})"
                )
            return pos, f"singular design: {what}: drop {me!r} or merge the features"
        accepted.append(pos)
    return None


def _vif(data: _Data, cols: Sequence[int]) -> FloatArray:
    """Variance inflation factors ``1 / (1 - R_j^2)`` from the weighted correlation matrix."""
    if len(cols) == 0:
        return np.zeros(0)
    C = data.cov()[np.ix_(cols, cols)]
    d = np.sqrt(np.diag(C))
    with np.errstate(divide="ignore", invalid="ignore"):
        return vif_from_corr(C / np.outer(d, d))


# --------------------------------------------------------------------------------------
# designs: raw rows or grouped unique WOE rows
# --------------------------------------------------------------------------------------


class _Design(NamedTuple):
    D: FloatArray  # (m, k + 1) with the intercept column first
    wb: FloatArray  # weighted bads per row/group
    wt: FloatArray  # weighted total per row/group
    wg: FloatArray  # weighted goods per row/group
    gid: IntArray | None  # raw row -> group, or None when not grouped


def _compact(key: IntArray, card: int) -> tuple[IntArray, int]:
    """Renumber the occupied values of ``key`` (in ``[0, card)``) as ``0..m-1``."""
    if card <= _DENSE_MAX:
        occupied = np.bincount(key, minlength=card) > 0
        remap = np.cumsum(occupied) - 1
        return remap[key].astype(np.int64), int(occupied.sum())
    codes, uniques = pd.factorize(key)
    return np.asarray(codes, dtype=np.int64), len(uniques)


def _group_ids(data: _Data, cols: Sequence[int]) -> tuple[IntArray, int] | None:
    """Group id of every row by its WOE values in ``cols``, or None if not worth it.

    The key is built column by column in mixed radix; it is renumbered whenever its
    range would grow past ``n / 3``, and the search gives up as soon as there are more
    than ``n / 3`` distinct combinations.
    """
    n = data.n
    limit = n // _GROUP_FACTOR
    fs = frozenset(cols)
    if any(f <= fs for f in data.ungroupable):
        return None
    if fs in data.keys:
        data.keys.move_to_end(fs)
        return data.keys[fs]
    base = max((f for f in data.keys if f <= fs), key=len, default=frozenset())
    if base:
        data.keys.move_to_end(base)
        key, card = data.keys[base]
    else:
        key, card = np.zeros(n, dtype=np.int64), 1
    for j in cols:
        if j in base:
            continue
        codes, cj = data.codes(j)
        if card > 1 and card * cj > limit:
            key, card = _compact(key, card)
            if card > limit:
                data.ungroupable.append(fs)
                return None
        key = key * cj + codes
        card *= cj
    key, card = _compact(key, card)
    if card > limit:
        data.ungroupable.append(fs)
        return None
    data.keys[fs] = (key, card)
    while len(data.keys) > _KEY_CACHE:
        data.keys.popitem(last=False)
    return key, card


def _design(data: _Data, cols: Sequence[int], group_rows: bool) -> _Design:
    """Design with intercept for ``cols``: grouped unique rows when that pays, else raw rows."""
    k = len(cols)
    grouped = _group_ids(data, cols) if group_rows else None
    if grouped is not None:
        gid, G = grouped
        rep = np.empty(G, dtype=np.int64)
        rep[gid] = np.arange(data.n, dtype=np.int64)  # any row of a group represents it
        D = np.empty((G, k + 1), order="F")
        D[:, 0] = 1.0
        if k:
            D[:, 1:] = data.X[np.ix_(rep, np.asarray(cols, dtype=np.intp))]
        wb = np.asarray(np.bincount(gid, weights=data.wb, minlength=G), dtype=np.float64)
        wg = np.asarray(np.bincount(gid, weights=data.wg, minlength=G), dtype=np.float64)
        return _Design(D, wb, wb + wg, wg, gid)
    cols = tuple(cols)
    if data.buffer is None:
        data.buffer = np.empty((data.n, data.X.shape[1] + 1), order="F")
        data.buffer[:, 0] = 1.0
        data.buffer_cols = ()
    same = 0  # length of the common prefix with the design already in the buffer
    for a, b in zip(data.buffer_cols, cols, strict=False):
        if a != b:
            break
        same += 1
    for pos in range(same, k):
        data.buffer[:, pos + 1] = data.X[:, cols[pos]]
    data.buffer_cols = cols
    # a view of the buffer: valid until the next raw design of these data (one fit)
    return _Design(data.buffer[:, : k + 1], data.wb, data.w, data.wg, None)


# --------------------------------------------------------------------------------------
# Newton-Raphson
# --------------------------------------------------------------------------------------


class _Fit(NamedTuple):
    cols: tuple[int, ...]
    beta: FloatArray
    hess: FloatArray  # information matrix at (almost) the solution; stale if not exact
    cov: FloatArray
    llf: float
    n_iter: int
    status: str  # "converged", "maxiter", "singular", "diverged", "stalled"
    last_step: FloatArray
    exact: bool  # hess/cov evaluated at the solution (False: from a reused Hessian)
    gap: float  # last predicted log-likelihood gain of a Newton step (accuracy of llf)


def _newton(
    des: _Design,
    cols: tuple[int, ...],
    ranges: FloatArray,
    beta0: FloatArray | None = None,
    *,
    tol: float = TOL,
    max_iter: int = MAX_ITER,
    hess0: FloatArray | None = None,
    need_cov: bool = True,
    ll_tol: float | None = None,
) -> _Fit:
    """Maximise the weighted Bernoulli log-likelihood by Newton-Raphson with step halving.

    With ``hess0`` (an information matrix near the solution, e.g. from the current model
    of a selection) the Hessian is reused across iterations and recomputed only when the
    steps stop shrinking fast (to a tenth of the previous one or less); convergence
    is then linear with a small rate instead of quadratic, for much cheaper iterations.
    With ``need_cov`` the information matrix is evaluated at the solution at the end.
    With ``ll_tol`` the search also stops when the predicted gain of the next step (half
    the Newton decrement ``grad' H^-1 grad``) is below it.
    """
    D, wb, wt = des.D, des.wb, des.wt
    k1 = D.shape[1]
    beta: FloatArray
    if beta0 is None:
        beta = np.zeros(k1)
        p0 = float(wb.sum() / wt.sum())
        beta[0] = math.log(p0 / (1.0 - p0))
    else:
        beta = np.array(beta0, dtype=np.float64)
    reuse = hess0 is not None
    eta = D @ beta
    ll, mu = _ll_mu(eta, wb, wt)
    hess: FloatArray | None = None if hess0 is None else np.array(hess0, dtype=np.float64)
    fresh = False  # hess evaluated at the current beta
    last: FloatArray = np.zeros(k1)
    prev_size = math.inf
    gap = math.inf
    status = "maxiter"
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 (it is used after the loop)
        grad = D.T @ (wb - wt * mu)
        if hess is None:
            hess = _gram(D, wt * mu * (1.0 - mu))
            fresh = True
        try:
            step = np.asarray(np.linalg.solve(hess, grad), dtype=np.float64)
        except np.linalg.LinAlgError:
            status = "singular"
            break
        if not np.all(np.isfinite(step)):
            status = "singular"
            break
        gap = max(0.5 * float(grad @ step), 0.0)
        if ll_tol is not None and gap <= ll_tol:
            status = "converged"
            break
        t = 1.0
        slack = 1e-12 * max(1.0, abs(ll))
        while True:
            nb = beta + t * step
            neta = D @ nb
            nll, nmu = _ll_mu(neta, wb, wt)
            if nll >= ll - slack or t < 1e-10:
                break
            t *= 0.5
        if nll < ll - slack:  # no ascent at all: the numerical optimum (or a bad stale hess)
            if not fresh:
                hess = None
                continue
            size = float(np.max(np.abs(step) / (1 + np.abs(beta))))
            status = "converged" if size < 1e-5 else "stalled"
            break
        last = t * step
        beta, eta, ll, mu = nb, neta, nll, nmu
        size = float(np.max(np.abs(last) / (1.0 + np.abs(beta))))
        contracting = t == 1.0 and size <= 0.1 * prev_size
        if size <= tol and (fresh or contracting or not reuse):
            status = "converged"
            break
        if k1 > 1 and float(np.max(np.abs(beta[1:]) * ranges)) > 3 * SEPARATION_SPAN:
            status = "diverged"
            break
        if not reuse or not contracting:
            hess = None  # Newton: a new Hessian every iteration; reuse: when convergence slows
        fresh = False
        prev_size = size
    exact = fresh
    if need_cov and status == "converged" and not fresh:
        hess = _gram(D, wt * mu * (1.0 - mu))
        exact = True
    if hess is None:
        hess = _gram(D, wt * mu * (1.0 - mu))
    cov: FloatArray
    try:
        cov = np.asarray(np.linalg.inv(hess), dtype=np.float64)
        cov = (cov + cov.T) / 2.0
    except np.linalg.LinAlgError:
        cov = np.full((k1, k1), np.inf)
        status = "singular"
    return _Fit(cols, beta, hess, cov, ll, it, status, last, exact, gap)


def _fit_problem(data: _Data, fit: _Fit) -> str | None:
    """A message if the fit shows separation or did not converge, else None."""
    cols = fit.cols
    names = [data.names[j] for j in cols]
    coef = fit.beta[1:]
    spans = np.abs(coef) * data.ranges[list(cols)] if cols else np.zeros(0)
    if not np.all(np.isfinite(fit.beta)):
        spans = np.where(np.isfinite(spans), spans, np.inf)
    big = [int(i) for i in np.argsort(-spans, kind="stable") if spans[i] > SEPARATION_SPAN]
    if fit.status in ("singular", "diverged") or big:
        culprits = big or ([int(np.argmax(spans))] if cols else [])
        if culprits:
            vif = _vif(data, cols) if len(cols) > 1 else np.ones(len(cols))
            parts = [
                f"{names[i]!r} (coefficient {_fmt(float(coef[i]))}, a log-odds change of "
                f"{_fmt(float(spans[i]))} across its WOE range "
                f"[{_fmt(float(data.lo[cols[i]]))}, {_fmt(float(data.hi[cols[i]]))}], "
                f"VIF {_fmt(float(vif[i]))})"
                for i in culprits[:5]
            ]
            who = ", ".join(parts)
        else:
            who = "the intercept"
        return (
            f"perfect or quasi-perfect separation: the fit diverges through {who}; goods and "
            "bads are (almost) completely separated by these features, or they are nearly "
            "collinear with others (high VIF): merge their extreme bins, drop a feature or "
            "add data"
        )
    if fit.status != "converged":
        i = int(np.argmax(np.abs(fit.last_step)))
        who = INTERCEPT if i == 0 else names[i - 1]
        return (
            f"the logistic regression did not converge in {fit.n_iter} iterations "
            f"(status {fit.status!r}); the last Newton step changed {who!r} by "
            f"{_fmt(float(fit.last_step[i]))}: check the features for near-separation"
        )
    return None


def _fit_statsmodels(data: _Data, des: _Design, cols: tuple[int, ...], max_iter: int) -> _Fit:
    """Reference fit with statsmodels GLM Binomial and frequency weights."""
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import PerfectSeparationError, PerfectSeparationWarning

    D = des.D
    isbad = des.wb > 0
    isgood = des.wg > 0
    exog = np.vstack([D[isbad], D[isgood]])
    endog = np.r_[np.ones(int(isbad.sum())), np.zeros(int(isgood.sum()))]
    fw = np.r_[des.wb[isbad], des.wg[isgood]]
    k1 = D.shape[1]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            res = sm.GLM(endog, exog, family=sm.families.Binomial(), freq_weights=fw).fit(
                maxiter=max_iter, tol=1e-12
            )
        except PerfectSeparationError:
            nan = np.full(k1, np.nan)
            return _Fit(
                cols, nan, np.eye(k1), np.eye(k1), -np.inf, 0, "singular", nan, False, math.inf
            )
    separated = any(issubclass(c.category, PerfectSeparationWarning) for c in caught)
    beta = np.asarray(res.params, dtype=np.float64)
    cov = np.asarray(res.cov_params(), dtype=np.float64)
    status = "diverged" if separated else ("converged" if res.converged else "maxiter")
    hess: FloatArray
    try:
        hess = np.asarray(np.linalg.inv(cov), dtype=np.float64)
    except np.linalg.LinAlgError:
        hess = np.full((k1, k1), np.nan)
        status = "singular"
    n_iter = int(res.fit_history.get("iteration", 0))
    return _Fit(cols, beta, hess, cov, float(res.llf), n_iter, status, np.zeros(k1), True, 0.0)


# --------------------------------------------------------------------------------------
# LogitResult
# --------------------------------------------------------------------------------------


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(value)


def _floats(value: Any) -> tuple[float, ...]:
    return tuple(float(v) for v in value)


def _matrix(value: Any) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(float(v) for v in row) for row in value)


def _features_validator(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not all(isinstance(v, str) for v in value):
        raise SpecificationError(
            f"LogitResult.features: expected strings, found {[type(v).__name__ for v in value]}"
        )
    if len(set(value)) != len(value) or INTERCEPT in value:
        raise SpecificationError(
            f"LogitResult.features: expected distinct names other than {INTERCEPT!r}, "
            f"found {list(value)}"
        )


def _finite_float(instance: Any, attribute: attrs.Attribute[Any], value: float) -> None:
    if not math.isfinite(value):
        raise SpecificationError(
            f"{type(instance).__name__}.{attribute.name}: expected a finite number, found {value!r}"
        )


@attrs.frozen
class LogitResult:
    """A fitted logistic regression of the bad flag on WOE features (statsmodels style).

    Built by :func:`fit_logit` and :func:`select_stepwise`; immutable and serializable
    (no statsmodels objects inside).  Pandas views (:attr:`params`, :attr:`bse`, ...)
    are built on demand from the stored tuples.

    Parameters
    ----------
    features : tuple of str
        Feature names, in the order of the coefficients after the intercept.
    coef : tuple of float
        Intercept then one coefficient per feature.
    cov : tuple of tuple of float
        Covariance matrix of ``coef`` (inverse of the information matrix).
    vif : tuple of float
        Variance inflation factor per feature (weighted, centred design).
    llf, llnull : float
        Log-likelihood of the model and of the intercept-only model.
    nobs : float
        Sum of the weights (the number of rows when unweighted).
    n_rows : int
        Number of rows of positive weight.
    n_bads : float
        Weighted number of bads.
    converged : bool
        Whether the optimiser converged.
    n_iter : int
        Iterations used.
    weighted : bool
        Whether sample weights were given.
    engine : {"numpy", "statsmodels"}
        Which optimiser produced the fit.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"age": rng.choice([-0.6, 0.1, 0.7], 2000),
    ...                   "income": rng.choice([-0.4, 0.5], 2000)})
    >>> eta = -1.5 - 1.0 * X["age"] - 0.8 * X["income"]
    >>> y = (rng.random(2000) < 1 / (1 + np.exp(-eta))).astype(int)
    >>> res = fit_logit(X, y)
    >>> res.features
    ('age', 'income')
    >>> list(res.params.index)
    ['const', 'age', 'income']
    >>> bool((res.params[["age", "income"]] < 0).all()), res.wrong_sign
    (True, ())
    >>> LogitResult.from_json(res.to_json()) == res
    True
    """

    features: tuple[str, ...] = attrs.field(converter=_strs, validator=_features_validator)
    _coef: tuple[float, ...] = attrs.field(converter=_floats, alias="coef")
    _cov: tuple[tuple[float, ...], ...] = attrs.field(converter=_matrix, alias="cov")
    _vif: tuple[float, ...] = attrs.field(converter=_floats, alias="vif")
    llf: float = attrs.field(converter=float, validator=_finite_float)
    llnull: float = attrs.field(converter=float, validator=_finite_float)
    nobs: float = attrs.field(converter=float, validator=_finite_float)
    n_rows: int = attrs.field(converter=int)
    n_bads: float = attrs.field(converter=float, validator=_finite_float)
    converged: bool = attrs.field(converter=bool, default=True)
    n_iter: int = attrs.field(converter=int, default=0)
    weighted: bool = attrs.field(converter=bool, default=False)
    engine: str = attrs.field(default="numpy")

    def __attrs_post_init__(self) -> None:
        k = len(self.features)
        if len(self._coef) != k + 1:
            raise SpecificationError(
                f"LogitResult.coef: expected {k + 1} values (intercept + {k} features), "
                f"found {len(self._coef)}"
            )
        if len(self._cov) != k + 1 or any(len(r) != k + 1 for r in self._cov):
            raise SpecificationError(
                f"LogitResult.cov: expected a {k + 1} x {k + 1} matrix, found "
                f"{[len(r) for r in self._cov]} row lengths"
            )
        if len(self._vif) != k:
            raise SpecificationError(
                f"LogitResult.vif: expected {k} values (one per feature), found {len(self._vif)}"
            )
        for name, values in (("coef", self._coef), ("vif", self._vif)):
            if not all(math.isfinite(v) for v in values):
                raise SpecificationError(
                    f"LogitResult.{name}: expected finite numbers, found {values}"
                )
        if not all(math.isfinite(v) for r in self._cov for v in r):
            raise SpecificationError("LogitResult.cov: expected finite numbers")
        if self.nobs <= 0 or not 0 < self.n_bads < self.nobs:
            raise SpecificationError(
                f"LogitResult: expected nobs > 0 and 0 < n_bads < nobs, found nobs={self.nobs!r}"
                f", n_bads={self.n_bads!r}"
            )
        if self.n_rows < 1 or self.n_iter < 0:
            raise SpecificationError(
                f"LogitResult: expected n_rows >= 1 and n_iter >= 0, found {self.n_rows}, "
                f"{self.n_iter}"
            )
        if self.engine not in _ENGINES:
            raise SpecificationError(
                f"LogitResult.engine: expected one of {_ENGINES}, found {self.engine!r}"
            )

    # -- pandas views ------------------------------------------------------------------

    @property
    def _index(self) -> pd.Index:
        return pd.Index([INTERCEPT, *self.features], dtype=object)

    @property
    def params(self) -> pd.Series:
        """Coefficients: ``const`` (the intercept ``b0``) then one per feature."""
        return pd.Series(self._coef, index=self._index, name="coef", dtype=np.float64)

    @property
    def intercept(self) -> float:
        """The intercept ``b0``."""
        return self._coef[0]

    def cov_params(self) -> pd.DataFrame:
        """Covariance matrix of the coefficients."""
        return pd.DataFrame(
            np.array(self._cov, dtype=np.float64), index=self._index, columns=self._index
        )

    @property
    def bse(self) -> pd.Series:
        """Standard errors of the coefficients."""
        se = np.sqrt(np.diag(np.array(self._cov, dtype=np.float64)))
        return pd.Series(se, index=self._index, name="std_err", dtype=np.float64)

    @property
    def zvalues(self) -> pd.Series:
        """Wald z statistics, ``coef / std_err``."""
        return (self.params / self.bse).rename("z")

    @property
    def pvalues(self) -> pd.Series:
        """Two-sided Wald p-values ``P(|Z| > |z|)``."""
        z = self.zvalues
        return pd.Series([_norm_p(v) for v in z], index=z.index, name="p_value", dtype=np.float64)

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Wald confidence intervals ``coef -/+ z_(1 - alpha/2) * std_err``.

        Returns a frame with columns ``lower`` and ``upper``.
        """
        if not 0 < alpha < 1:
            raise SpecificationError(f"conf_int: expected 0 < alpha < 1, found {alpha!r}")
        q = statistics.NormalDist().inv_cdf(1.0 - alpha / 2.0)
        b, se = self.params, self.bse
        return pd.DataFrame({"lower": b - q * se, "upper": b + q * se})

    @property
    def vif(self) -> pd.Series:
        """Variance inflation factor per feature, ``1 / (1 - R_j^2)`` (with an intercept)."""
        return pd.Series(
            self._vif, index=pd.Index(self.features, dtype=object), name="vif", dtype=np.float64
        )

    # -- scalar statistics ---------------------------------------------------------------

    @property
    def df_model(self) -> int:
        """Number of features (parameters besides the intercept)."""
        return len(self.features)

    @property
    def aic(self) -> float:
        """``-2 llf + 2 (k + 1)``."""
        return -2.0 * self.llf + 2.0 * (self.df_model + 1)

    @property
    def bic(self) -> float:
        """``-2 llf + ln(n) (k + 1)`` with ``n`` the sum of the weights (:attr:`nobs`)."""
        return -2.0 * self.llf + math.log(self.nobs) * (self.df_model + 1)

    @property
    def pseudo_r2(self) -> float:
        """McFadden's pseudo R-squared, ``1 - llf / llnull``."""
        return 1.0 - self.llf / self.llnull

    @property
    def bad_rate(self) -> float:
        """Weighted share of bads in the fitting data."""
        return self.n_bads / self.nobs

    @property
    def wrong_sign(self) -> tuple[str, ...]:
        """Features whose coefficient is positive (the wrong sign for WOE = ln(%good/%bad))."""
        return tuple(f for f, b in zip(self.features, self._coef[1:], strict=True) if b > 0)

    # -- prediction ----------------------------------------------------------------------

    def predict_log_odds(self, X: pd.DataFrame) -> pd.Series:
        """Linear predictor ``ln(P(bad)/P(good)) = b0 + sum_j b_j * WOE_j`` per row of ``X``."""
        X = check_frame(X, "X")
        check_columns(X, self.features, "X")
        arr = X.loc[:, list(self.features)].to_numpy(dtype=np.float64, na_value=np.nan)
        finite = np.isfinite(arr)
        if not finite.all():
            j = int(np.flatnonzero((~finite).sum(axis=0))[0])
            raise DataError(
                f"column {self.features[j]!r}: expected finite WOE values, found "
                f"{int((~finite[:, j]).sum())} NaN or infinite values"
            )
        eta = self._coef[0] + arr @ np.asarray(self._coef[1:], dtype=np.float64)
        return pd.Series(eta, index=X.index, name="log_odds", dtype=np.float64)

    def predict_proba(self, X: pd.DataFrame) -> pd.Series:
        """Probability of bad, ``1 / (1 + exp(-log_odds))``, per row of ``X``."""
        eta = self.predict_log_odds(X)
        return pd.Series(_expit(eta.to_numpy()), index=eta.index, name="pd", dtype=np.float64)

    # -- reporting -----------------------------------------------------------------------

    def coef_table(self, alpha: float = 0.05) -> pd.DataFrame:
        """Coefficient table: coef, std err, z, p-value, confidence interval, VIF, sign flag."""
        ci = self.conf_int(alpha)
        lo = f"ci_{alpha / 2:g}"
        hi = f"ci_{1 - alpha / 2:g}"
        vif = pd.concat([pd.Series([np.nan], index=[INTERCEPT]), self.vif])
        sign = [""] + ["wrong (+)" if b > 0 else "ok" for b in self._coef[1:]]
        return pd.DataFrame(
            {
                "coef": self.params,
                "std_err": self.bse,
                "z": self.zvalues,
                "p_value": self.pvalues,
                lo: ci["lower"],
                hi: ci["upper"],
                "vif": vif.to_numpy(dtype=np.float64),
                "sign": sign,
            },
            index=self._index,
        )

    def summary(self, alpha: float = 0.05) -> LogitSummary:
        """A report: header (n, bad rate, llf, AIC, BIC, pseudo R², convergence) and table.

        It prints as text (``print(res.summary())``) and renders as HTML in a notebook.
        """
        return LogitSummary(self, alpha)

    # -- serialization -------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (floats exactly, non-finite ones as strings)."""
        return {
            "features": list(self.features),
            "coef": [_json.enc_float(v) for v in self._coef],
            "cov": [[_json.enc_float(v) for v in row] for row in self._cov],
            "vif": [_json.enc_float(v) for v in self._vif],
            "llf": _json.enc_float(self.llf),
            "llnull": _json.enc_float(self.llnull),
            "nobs": _json.enc_float(self.nobs),
            "n_rows": self.n_rows,
            "n_bads": _json.enc_float(self.n_bads),
            "converged": self.converged,
            "n_iter": self.n_iter,
            "weighted": self.weighted,
            "engine": self.engine,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> LogitResult:
        """Inverse of :meth:`to_dict`; a malformed body raises :class:`SchemaError`."""
        kind = "logit_result"
        try:
            feats = _json.get(d, "features", kind)
            coef = _json.get(d, "coef", kind)
            cov = _json.get(d, "cov", kind)
            vif = _json.get(d, "vif", kind)
            if not all(isinstance(v, list) for v in (feats, coef, cov, vif)) or not all(
                isinstance(r, list) for r in cov
            ):
                raise SchemaError(
                    "logit_result: expected 'features', 'coef', 'cov' and 'vif' to be lists"
                )
            for field in ("n_rows", "n_iter"):
                v = _json.get(d, field, kind)
                if isinstance(v, bool) or not isinstance(v, int):
                    raise SchemaError(f"logit_result: expected integer {field!r}, found {v!r}")
            for field in ("converged", "weighted"):
                if not isinstance(_json.get(d, field, kind), bool):
                    raise SchemaError(f"logit_result: expected boolean {field!r}")
            return cls(
                features=tuple(feats),
                coef=[_json.dec_float(v) for v in coef],
                cov=[[_json.dec_float(v) for v in row] for row in cov],
                vif=[_json.dec_float(v) for v in vif],
                llf=_json.dec_float(_json.get(d, "llf", kind)),
                llnull=_json.dec_float(_json.get(d, "llnull", kind)),
                nobs=_json.dec_float(_json.get(d, "nobs", kind)),
                n_rows=_json.get(d, "n_rows", kind),
                n_bads=_json.dec_float(_json.get(d, "n_bads", kind)),
                converged=_json.get(d, "converged", kind),
                n_iter=_json.get(d, "n_iter", kind),
                weighted=_json.get(d, "weighted", kind),
                engine=str(_json.get(d, "engine", kind)),
            )
        except SpecificationError as exc:
            raise SchemaError(f"logit_result: invalid content: {exc}") from None

    def to_json(self) -> str:
        """Versioned, canonical JSON text (same result, same bytes)."""
        return _json.dumps(_json.wrap("logit_result", SCHEMA_VERSION, self.to_dict()))

    @classmethod
    def from_json(cls, text: str | bytes) -> LogitResult:
        """Inverse of :meth:`to_json`; refuses other kinds, newer versions, tampered text."""
        return cls.from_dict(_json.unwrap(_json.loads(text), "logit_result", SCHEMA_VERSION))

    def save(self, path: Any) -> None:
        """Write :meth:`to_json` to ``path`` atomically."""
        _json.atomic_write_text(path, self.to_json())

    @classmethod
    def load(cls, path: Any) -> LogitResult:
        """Read a file written by :meth:`save`."""
        return cls.from_json(_json.read_text(path))


# --------------------------------------------------------------------------------------
# summary
# --------------------------------------------------------------------------------------


def _cell(v: Any, kind: str) -> str:
    if isinstance(v, str):
        return v
    x = float(v)
    if math.isnan(x):
        return ""
    if kind == "p":
        return "<1e-16" if x < 1e-16 else (f"{x:.2e}" if x < 1e-4 else f"{x:.4f}")
    if kind == "vif":
        return f"{x:.2f}"
    return f"{x:.4f}"


@attrs.frozen
class LogitSummary:
    """Printable report of a :class:`LogitResult` (text via ``str``, HTML in notebooks)."""

    result: LogitResult
    alpha: float = 0.05

    @property
    def header(self) -> dict[str, str]:
        """Header fields as formatted strings."""
        r = self.result
        bads = f"{r.n_bads:.6g}" if r.weighted else f"{round(r.n_bads)}"
        out = {
            "Model": "ln(P(bad)/P(good)) = b0 + sum_j b_j * WOE_j",
            "Rows": f"{r.n_rows}",
            "Bads": f"{bads} ({100 * r.bad_rate:.2f}%)",
        }
        if r.weighted:
            out["Weighted n"] = f"{r.nobs:.6g}"
        out.update(
            {
                "Log-likelihood": f"{r.llf:.4f}",
                "LL-null": f"{r.llnull:.4f}",
                "Pseudo R² (McFadden)": f"{r.pseudo_r2:.4f}",
                "AIC": f"{r.aic:.4f}",
                "BIC": f"{r.bic:.4f}",
                "Converged": f"{'yes' if r.converged else 'no'} ({r.n_iter} iterations, "
                f"{r.engine})",
            }
        )
        if r.wrong_sign:
            out["Wrong sign (+)"] = ", ".join(r.wrong_sign)
        return out

    @property
    def table(self) -> pd.DataFrame:
        """The coefficient table (see :meth:`LogitResult.coef_table`)."""
        return self.result.coef_table(self.alpha)

    def _rows(self) -> tuple[list[str], list[list[str]]]:
        t = self.table
        kinds = ["f", "f", "f", "p", "f", "f", "vif", "s"]
        cols = ["feature", "coef", "std err", "z", "P>|z|", *t.columns[4:6], "VIF", "sign"]
        rows = [
            [str(name)] + [_cell(v, k) for v, k in zip(row, kinds, strict=True)]
            for name, row in zip(t.index, t.itertuples(index=False), strict=True)
        ]
        return [str(c) for c in cols], rows

    def __str__(self) -> str:
        cols, rows = self._rows()
        widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(cols)]

        def line(cells: list[str]) -> str:
            return "  ".join(
                c.ljust(w) if i in (0, len(cols) - 1) else c.rjust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            ).rstrip()

        total = max(sum(widths) + 2 * (len(widths) - 1), 60)
        title = "Logistic regression of the bad flag on WOE"
        head = self.header
        kw = max(len(k) for k in head)
        out = [title, "=" * total]
        out += [f"{k + ':':<{kw + 1}} {v}" for k, v in head.items()]
        out += ["-" * total, line(cols), "-" * total]
        out += [line(r) for r in rows]
        out.append("=" * total)
        return "\n".join(out)

    def __repr__(self) -> str:
        return self.__str__()

    def _repr_html_(self) -> str:
        cols, rows = self._rows()
        e = html.escape
        head = "".join(
            f"<tr><th style='text-align:left'>{e(k)}</th><td style='text-align:left'>{e(v)}"
            "</td></tr>"
            for k, v in self.header.items()
        )
        th = "".join(f"<th>{e(c)}</th>" for c in cols)
        body = "".join(
            "<tr"
            + (" style='color:#b00020;font-weight:bold'" if r[-1].startswith("wrong") else "")
            + ">"
            + "".join(f"<td>{e(c)}</td>" for c in r)
            + "</tr>"
            for r in rows
        )
        return (
            "<div class='scorecard-logit-summary'>"
            "<p><b>Logistic regression of the bad flag on WOE</b></p>"
            f"<table>{head}</table>"
            f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table></div>"
        )


# --------------------------------------------------------------------------------------
# fit_logit
# --------------------------------------------------------------------------------------


def _result(data: _Data, fit: _Fit, engine: str) -> LogitResult:
    cols = fit.cols
    return LogitResult(
        features=tuple(data.names[j] for j in cols),
        coef=fit.beta,
        cov=fit.cov,
        vif=_vif(data, cols),
        llf=fit.llf,
        llnull=data.llnull(),
        nobs=data.nobs,
        n_rows=data.n,
        n_bads=data.n_bads,
        converged=fit.status == "converged",
        n_iter=fit.n_iter,
        weighted=data.weighted,
        engine=engine,
    )


def _fit_checked(
    data: _Data,
    cols: tuple[int, ...],
    *,
    engine: str = "numpy",
    start: FloatArray | None = None,
    tol: float = TOL,
    max_iter: int = MAX_ITER,
    group_rows: bool = True,
) -> _Fit:
    """Fit ``cols`` or raise FitError naming the features (design checked beforehand)."""
    des = _design(data, cols, group_rows)
    if engine == "statsmodels":
        fit = _fit_statsmodels(data, des, cols, max_iter)
    else:
        fit = _newton(des, cols, data.ranges[list(cols)], start, tol=tol, max_iter=max_iter)
    problem = _fit_problem(data, fit)
    if problem:
        raise FitError(problem)
    return fit


def _warn_wrong_sign(result: LogitResult, stacklevel: int) -> None:
    if result.wrong_sign:
        p = result.params
        items = ", ".join(f"{f!r} ({_signed(float(p[f]))})" for f in result.wrong_sign)
        warnings.warn(
            FitWarning(
                f"positive coefficient(s) for {items}: with WOE = ln(%good/%bad) a sensible "
                "coefficient is negative; check the binning (trend) or collinearity with other "
                "features (see LogitResult.vif), or drop the feature"
            ),
            stacklevel=stacklevel,
        )


def fit_logit(
    X: pd.DataFrame,
    y: Any,
    *,
    sample_weight: Any = None,
    features: Sequence[str] | None = None,
    engine: Engine = "numpy",
    group_rows: bool = True,
    max_iter: int = MAX_ITER,
) -> LogitResult:
    """Fit ``ln(P(bad)/P(good)) = b0 + sum_j b_j * WOE_j`` by maximum likelihood.

    Parameters
    ----------
    X : pandas.DataFrame
        WOE values, one float column per feature (string names), no NaN.
    y : array-like or pandas.Series
        Target, 1 = bad, 0 = good (a Series must share ``X``'s index).
    sample_weight : array-like, pandas.Series or str, optional
        Non-negative frequency weights, or the name of a column of ``X`` that holds them
        (then not a feature).  The log-likelihood is ``sum_i w_i * l_i``; BIC uses
        ``n = sum of weights``.  Rows of weight 0 are ignored.
    features : sequence of str, optional
        Columns of ``X`` to use, in this order (default: all columns).  An empty
        sequence fits the intercept-only model.
    engine : {"numpy", "statsmodels"}
        ``"numpy"`` (default): Newton-Raphson, fast; ``"statsmodels"``: ``GLM``
        Binomial with ``freq_weights`` (the reference).  Both give the same MLE.
    group_rows : bool
        Fit on the unique WOE rows with summed weights when that shrinks the data at
        least three-fold (exact; default True).
    max_iter : int
        Iteration limit.

    Returns
    -------
    LogitResult

    Raises
    ------
    DataError
        NaN/inf in ``X`` (the column is named), a non-binary target, misaligned or
        invalid weights, non-numeric or non-string-named columns.
    FitError
        A constant column, duplicated or collinear columns, perfect or quasi-perfect
        separation, or no convergence; the message names the feature(s).

    Warns
    -----
    FitWarning
        If a coefficient is positive (the wrong sign); see :attr:`LogitResult.wrong_sign`.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> X = pd.DataFrame({"a": rng.choice([-0.8, 0.0, 0.9], 5000),
    ...                   "b": rng.choice([-0.5, 0.4], 5000)})
    >>> eta = -2.0 - 1.0 * X["a"] - 1.0 * X["b"]
    >>> y = (rng.random(5000) < 1 / (1 + np.exp(-eta))).astype(int)
    >>> res = fit_logit(X, y)
    >>> res.params.round(1).tolist()
    [-2.0, -1.0, -0.8]
    >>> round(res.aic - (-2 * res.llf + 2 * 3), 9)
    0.0
    >>> res.predict_proba(X.head(2)).round(3).tolist()
    [0.09, 0.17]
    """
    if engine not in _ENGINES:
        raise SpecificationError(f"fit_logit: expected engine in {_ENGINES}, found {engine!r}")
    if isinstance(max_iter, bool) or not isinstance(max_iter, int) or max_iter < 1:
        raise SpecificationError(f"fit_logit: expected max_iter >= 1, found {max_iter!r}")
    with _blas_single_thread():
        data = _prepare(X, y, sample_weight, features)
        cols = tuple(range(len(data.names)))
        problem = _design_problem(data, cols)
        if problem:
            raise FitError(problem[1])
        fit = _fit_checked(data, cols, engine=engine, max_iter=max_iter, group_rows=group_rows)
        result = _result(data, fit, engine)
        _warn_wrong_sign(result, stacklevel=3)
        return result


# --------------------------------------------------------------------------------------
# selection
# --------------------------------------------------------------------------------------


@attrs.frozen
class SelectionStep:
    """One step of a selection path.

    Parameters
    ----------
    step : int
        Step number (0 for forced features and screening before the search).
    action : {"force", "enter", "remove", "reject", "stop"}
        What happened.
    feature : str
        The feature concerned (``""`` for ``"stop"``).
    value : float
        With ``criterion="aic"``/``"bic"``: the AIC/BIC of the model the step led to
        (for a rejected candidate: of the model it would have led to).  With
        ``criterion="pvalue"``: the p-value behind the decision (the entry test's, the
        Wald or LR p-value of a removed feature).  NaN for ``force``, ``stop`` without
        candidates and the rejections of step 0.
    reason : str
        The decision in words.
    """

    step: int = attrs.field(converter=int)
    action: str = attrs.field(validator=one_of(_ACTIONS))
    feature: str = attrs.field(converter=str)
    value: float = attrs.field(converter=float)
    reason: str = attrs.field(converter=str)

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "action": self.action,
            "feature": self.feature,
            "value": _json.enc_float(self.value),
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SelectionStep:
        k = "selection step"
        return cls(
            step=_json.get(d, "step", k),
            action=_json.get(d, "action", k),
            feature=_json.get(d, "feature", k),
            value=_json.dec_float(_json.get(d, "value", k)),
            reason=_json.get(d, "reason", k),
        )


@attrs.frozen
class FeatureOutcome:
    """What a selection decided for one candidate feature, and why."""

    feature: str = attrs.field(converter=str)
    status: str = attrs.field(validator=one_of(_STATUSES))
    step: int = attrs.field(converter=int)
    reason: str = attrs.field(converter=str)

    def to_dict(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "status": self.status,
            "step": self.step,
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> FeatureOutcome:
        k = "feature outcome"
        return cls(
            feature=_json.get(d, "feature", k),
            status=_json.get(d, "status", k),
            step=_json.get(d, "step", k),
            reason=_json.get(d, "reason", k),
        )


def _steps(value: Any) -> tuple[SelectionStep, ...]:
    return tuple(value)


def _outcome_tuple(value: Any) -> tuple[FeatureOutcome, ...]:
    return tuple(value)


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


@attrs.frozen
class SelectionPath:
    """The record of a feature selection: settings, steps, outcomes and the final fit.

    Built by :func:`select_stepwise`.  :attr:`table` says per feature whether it was
    selected and why; :attr:`history` lists the steps; :attr:`result` is the final
    :class:`LogitResult` (features in the column order of the input).
    """

    method: str = attrs.field(validator=one_of(_METHODS))
    criterion: str = attrs.field(validator=one_of(_CRITERIA))
    test: str = attrs.field(validator=one_of(_TESTS))
    p_enter: float = attrs.field(converter=float)
    p_remove: float = attrs.field(converter=float)
    max_pvalue: float | None = attrs.field(converter=_opt_float)
    sign_gate: bool = attrs.field(converter=bool)
    max_features: int | None = attrs.field(converter=_opt_int)
    force: tuple[str, ...] = attrs.field(converter=_strs)
    candidates: tuple[str, ...] = attrs.field(converter=_strs)
    steps: tuple[SelectionStep, ...] = attrs.field(converter=_steps)
    outcomes: tuple[FeatureOutcome, ...] = attrs.field(converter=_outcome_tuple)
    features: tuple[str, ...] = attrs.field(converter=_strs)
    result: LogitResult

    def __attrs_post_init__(self) -> None:
        if [o.feature for o in self.outcomes] != list(self.candidates):
            raise SpecificationError(
                "SelectionPath.outcomes: expected one outcome per candidate, in order"
            )
        if self.result.features != self.features:
            raise SpecificationError(
                f"SelectionPath.result: expected the fit of {self.features}, found "
                f"{self.result.features}"
            )

    @property
    def table(self) -> pd.DataFrame:
        """Per candidate: selected or not, status, step, final coef and p-value, and why."""
        params = self.result.params
        pvals = self.result.pvalues
        rows = []
        for o in self.outcomes:
            sel = o.feature in self.features
            rows.append(
                {
                    "feature": o.feature,
                    "selected": sel,
                    "forced": o.feature in self.force,
                    "status": o.status,
                    "step": o.step,
                    "coef": float(params[o.feature]) if sel else np.nan,
                    "p_value": float(pvals[o.feature]) if sel else np.nan,
                    "reason": o.reason,
                }
            )
        columns = ["feature", "selected", "forced", "status", "step", "coef", "p_value", "reason"]
        return pd.DataFrame(rows, columns=columns)

    @property
    def history(self) -> pd.DataFrame:
        """One row per step: step, action, feature, value, reason."""
        return pd.DataFrame(
            [attrs.asdict(s) for s in self.steps],
            columns=["step", "action", "feature", "value", "reason"],
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "criterion": self.criterion,
            "test": self.test,
            "p_enter": self.p_enter,
            "p_remove": self.p_remove,
            "max_pvalue": self.max_pvalue,
            "sign_gate": self.sign_gate,
            "max_features": self.max_features,
            "force": list(self.force),
            "candidates": list(self.candidates),
            "steps": [s.to_dict() for s in self.steps],
            "outcomes": [o.to_dict() for o in self.outcomes],
            "features": list(self.features),
            "result": self.result.to_dict(),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SelectionPath:
        k = "selection_path"
        try:
            lists = {f: _json.get(d, f, k) for f in ("force", "candidates", "steps", "outcomes")}
            lists["features"] = _json.get(d, "features", k)
            for f, v in lists.items():
                if not isinstance(v, list):
                    raise SchemaError(f"{k}: expected {f!r} to be a list, found {v!r}")
            mp = _json.get(d, "max_pvalue", k)
            return cls(
                method=_json.get(d, "method", k),
                criterion=_json.get(d, "criterion", k),
                test=_json.get(d, "test", k),
                p_enter=_json.dec_float(_json.get(d, "p_enter", k)),
                p_remove=_json.dec_float(_json.get(d, "p_remove", k)),
                max_pvalue=None if mp is None else _json.dec_float(mp),
                sign_gate=_json.get(d, "sign_gate", k),
                max_features=_json.get(d, "max_features", k),
                force=lists["force"],
                candidates=lists["candidates"],
                steps=[SelectionStep.from_dict(s) for s in lists["steps"]],
                outcomes=[FeatureOutcome.from_dict(o) for o in lists["outcomes"]],
                features=lists["features"],
                result=LogitResult.from_dict(_json.get(d, "result", k)),
            )
        except (SpecificationError, TypeError, AttributeError) as exc:
            raise SchemaError(f"{k}: invalid content: {exc}") from None

    def to_json(self) -> str:
        """Versioned, canonical JSON text."""
        return _json.dumps(_json.wrap("selection_path", SCHEMA_VERSION, self.to_dict()))

    @classmethod
    def from_json(cls, text: str | bytes) -> SelectionPath:
        """Inverse of :meth:`to_json`."""
        return cls.from_dict(_json.unwrap(_json.loads(text), "selection_path", SCHEMA_VERSION))

    def save(self, path: Any) -> None:
        """Write :meth:`to_json` to ``path`` atomically."""
        _json.atomic_write_text(path, self.to_json())

    @classmethod
    def load(cls, path: Any) -> SelectionPath:
        """Read a file written by :meth:`save`."""
        return cls.from_json(_json.read_text(path))


class _RejectedError(Exception):
    """A trial fit failed (separation, no convergence): the candidate is rejected."""


class _Selector:
    """The search state of :func:`select_stepwise` (internal, mutable while it runs)."""

    def __init__(
        self,
        data: _Data,
        *,
        method: str,
        criterion: str,
        test: str,
        p_enter: float,
        p_remove: float,
        max_pvalue: float | None,
        sign_gate: bool,
        max_features: int | None,
        forced: tuple[int, ...],
        group_rows: bool,
    ) -> None:
        self.data = data
        self.method = method
        self.criterion = criterion
        self.test = test
        self.p_enter = p_enter
        self.p_remove = p_remove
        self.max_pvalue = max_pvalue
        self.sign_gate = sign_gate
        self.max_features = max_features
        self.forced = forced
        self.group_rows = group_rows
        self.penalty = 2.0 if criterion == "aic" else math.log(data.nobs)
        self.steps: list[SelectionStep] = []
        self.step = 0
        self.visited: set[frozenset[int]] = set()
        self.excluded: set[int] = set()
        self.last_value: dict[int, float] = {}
        self.cache: dict[frozenset[int], _Fit] = {}
        # information matrix of [1, X] (all columns) and score X'(y - mu) at the current
        # model of a forward/stepwise search: the model's exact covariance and the score
        # tests of every candidate come from the same O(n P^2) pass
        self.state: tuple[tuple[int, ...], FloatArray, FloatArray] | None = None

    # -- helpers -------------------------------------------------------------------------

    def name(self, j: int) -> str:
        return self.data.names[j]

    def record(self, action: str, j: int | None, value: float, reason: str) -> None:
        self.steps.append(
            SelectionStep(self.step, action, "" if j is None else self.name(j), value, reason)
        )

    def crit(self, fit: _Fit) -> float:
        return -2.0 * fit.llf + self.penalty * len(fit.beta)

    def fit(
        self,
        cols: tuple[int, ...],
        start: FloatArray | None,
        *,
        strict: bool,
        hess0: FloatArray | None = None,
        need_cov: bool = True,
        ll_tol: float = SCREEN_LL_TOL,
    ) -> _Fit:
        """Fit ``cols`` (cached by feature set).

        A failure raises FitError if ``strict``, else _RejectedError.  With
        ``need_cov=False`` the information matrix may be a reused one (``exact=False``):
        enough for the log-likelihood, not for standard errors.
        """
        key = frozenset(cols)
        cached = self.cache.get(key)
        if cached is not None and cached.cols != cols:
            cached = _reorder_fit(cached, cols)
        if cached is not None and (cached.exact or not need_cov) and cached.gap <= ll_tol:
            return cached
        if cached is not None:  # refine: more accuracy or the exact information
            start, hess0 = cached.beta, cached.hess
        des = _design(self.data, cols, self.group_rows)
        fit = _newton(
            des,
            cols,
            self.data.ranges[list(cols)],
            start,
            tol=SCREEN_TOL,
            hess0=hess0,
            need_cov=need_cov,
            ll_tol=ll_tol,
        )
        problem = _fit_problem(self.data, fit)
        if problem:
            if strict:
                raise FitError(problem)
            raise _RejectedError(problem)
        self.cache[key] = fit
        return fit

    def wald(self, fit: _Fit) -> tuple[FloatArray, FloatArray]:
        """Coefficients and Wald p-values of the features of ``fit``."""
        se = np.sqrt(np.diag(fit.cov))[1:]
        b = fit.beta[1:]
        p = np.array([_norm_p(float(z)) for z in b / se])
        return b, p

    def gate(self, fit: _Fit, candidate: int | None) -> str | None:
        """Why ``fit`` breaks a gate (sign, max p-value) for a non-forced feature, or None."""
        b, p = self.wald(fit)
        se = np.sqrt(np.diag(fit.cov))[1:]
        free = [i for i, j in enumerate(fit.cols) if j not in self.forced]
        if self.sign_gate:
            wrong = [i for i in free if b[i] > 0]
            if wrong:
                i = max(wrong, key=lambda i: b[i] / se[i])
                j = fit.cols[i]
                if candidate is None or j == candidate:
                    return f"coefficient {_signed(float(b[i]))} has the wrong sign (positive)"
                return (
                    f"entering it turns the coefficient of {self.name(j)!r} to "
                    f"{_signed(float(b[i]))} (wrong sign)"
                )
        if self.max_pvalue is not None:
            high = [i for i in free if p[i] > self.max_pvalue]
            if high:
                i = max(high, key=lambda i: p[i])
                j = fit.cols[i]
                if candidate is None or j == candidate:
                    return f"p-value {_fmt(float(p[i]))} > max_pvalue {_fmt(self.max_pvalue)}"
                return (
                    f"entering it raises the p-value of {self.name(j)!r} to "
                    f"{_fmt(float(p[i]))} > max_pvalue {_fmt(self.max_pvalue)}"
                )
        return None

    def exactify(self, fit: _Fit) -> _Fit:
        """Evaluate the information of all columns at ``fit``; its block is the exact Hessian.

        Keeps the matrix (and the score vector) for the score tests of the next entry.
        """
        data = self.data
        X = data.X
        cols = list(fit.cols)
        bfull = np.zeros(X.shape[1])
        bfull[cols] = fit.beta[1:]
        eta = fit.beta[0] + X @ bfull
        mu = _expit(eta)
        r = data.wb - data.w * mu
        s = np.sqrt(data.w * mu * (1.0 - mu))
        P = X.shape[1]
        info = np.zeros((P + 1, P + 1))  # one syrk per row chunk
        for a in range(0, data.n, _CHUNK):
            B = np.empty((min(_CHUNK, data.n - a), P + 1), order="F")
            B[:, 0] = s[a : a + _CHUNK]
            np.multiply(X[a : a + _CHUNK], s[a : a + _CHUNK, None], out=B[:, 1:])
            info += B.T @ B
        U = np.r_[r.sum(), X.T @ r]  # score of [1, X]; ~0 on the model's own columns
        self.state = (fit.cols, info, U)
        m = [0] + [j + 1 for j in cols]
        hess = info[np.ix_(m, m)]
        try:
            cov = np.asarray(np.linalg.inv(hess), dtype=np.float64)
        except np.linalg.LinAlgError:
            raise FitError(
                "singular information matrix for the features "
                f"{[data.names[j] for j in cols]}: they are (nearly) collinear"
            ) from None
        exact = fit._replace(hess=hess, cov=(cov + cov.T) / 2.0, exact=True)
        self.cache[frozenset(fit.cols)] = exact
        return exact

    def score_tests(
        self, fit: _Fit, cands: list[int]
    ) -> tuple[FloatArray, list[FloatArray], list[FloatArray]]:
        """Rao score test of adding each candidate to the model of ``fit``.

        Returns the p-values, one-step Newton starts and the information matrices of
        the extended models at the current fit (Hessians to reuse in trial fits), all
        from the information matrix kept by :meth:`exactify`.
        """
        if self.state is None or self.state[0] != fit.cols:
            fit = self.exactify(fit)
        assert self.state is not None
        _, info, U = self.state
        cols = list(fit.cols)
        k1, C = len(cols) + 1, len(cands)
        m = [0] + [j + 1 for j in cols]
        c = [j + 1 for j in cands]
        I_mm = info[np.ix_(m, m)]
        I_cm = info[np.ix_(c, m)]
        I_cc = info[c, c]
        A = np.linalg.solve(I_mm, I_cm.T)  # (k+1) x C
        eff = I_cc - np.einsum("ij,ji->i", I_cm, A)
        # efficient score (the model's own score is ~0 at its MLE, up to the tolerance)
        Um = U[m]
        Uc = U[c] - A.T @ Um
        dm = np.linalg.solve(I_mm, Um)
        ok = eff > 1e-10 * I_cc
        stat = np.where(ok, Uc**2 / np.where(ok, eff, 1.0), 0.0)
        pval = np.array([_chi2_1_p(float(x)) if o else 1.0 for x, o in zip(stat, ok, strict=True)])
        starts: list[FloatArray] = []
        hessians: list[FloatArray] = []
        for i in range(C):
            dc = Uc[i] / eff[i] if ok[i] else 0.0  # one Newton step of the extended model
            starts.append(np.r_[fit.beta + dm - A[:, i] * dc, dc])
            H = np.empty((k1 + 1, k1 + 1))
            H[:k1, :k1] = I_mm
            H[k1, :k1] = H[:k1, k1] = I_cm[i]
            H[k1, k1] = I_cc[i]
            hessians.append(H)
        return pval, starts, hessians

    def drop_start(self, fit: _Fit, pos: int) -> tuple[FloatArray, FloatArray]:
        """One-step start and Hessian to reuse for the model without feature ``pos``.

        With information ``H`` at the current MLE, the constrained maximum with that
        coefficient at 0 is about ``beta_rest + H_rr^-1 H_r,pos * beta_pos``.
        """
        i = pos + 1
        keep = [q for q in range(len(fit.beta)) if q != i]
        H = fit.hess
        Hrr = H[np.ix_(keep, keep)]
        delta = np.linalg.solve(Hrr, H[keep, i]) * fit.beta[i]
        out: FloatArray = fit.beta[keep] + delta
        return out, Hrr

    def refit_without(
        self, fit: _Fit, pos: int, *, need_cov: bool, ll_tol: float = SCREEN_LL_TOL
    ) -> _Fit:
        sub = tuple(j for q, j in enumerate(fit.cols) if q != pos)
        start, hess0 = self.drop_start(fit, pos)
        return self.fit(sub, start, strict=False, hess0=hess0, need_cov=need_cov, ll_tol=ll_tol)

    def best_of(self, fits: dict[int, _Fit], keys: set[int]) -> tuple[int | None, dict[int, str]]:
        """Key (among ``keys``) of the fit with the highest log-likelihood, exactly.

        Coarse fits (accuracy ``gap``) that could still beat the leader are refined
        first, so the answer is the one full-accuracy fits would give.  Returns the key
        (None if every fit failed) and the refinements that failed, with their reason.
        ``fits`` is updated in place with the refined fits.
        """
        failed: dict[int, str] = {}
        left = set(keys)
        while left:
            j = max(left, key=lambda i: (fits[i].llf, -i))
            lead = fits[j].llf
            todo = [
                i
                for i in sorted(left)
                if fits[i].gap > SCREEN_LL_TOL
                and (i == j or fits[i].llf + _SAFETY * fits[i].gap >= lead)
            ]
            if not todo:
                return j, failed
            for i in todo:
                f = fits[i]
                try:
                    fits[i] = self.fit(f.cols, f.beta, strict=False, hess0=f.hess, need_cov=False)
                except _RejectedError as exc:
                    failed[i] = str(exc)
                    left.discard(i)
        return None, failed

    # -- phases --------------------------------------------------------------------------

    def entry(self, fit: _Fit) -> _Fit | None:
        """Try to enter one feature; returns the new fit, or None (a stop was recorded)."""
        cols = fit.cols
        if self.max_features is not None and len(cols) >= self.max_features:
            self.step += 1
            self.record(
                "stop", None, math.nan, f"stopped: max_features {self.max_features} reached"
            )
            return None
        cands = [j for j in range(len(self.data.names)) if j not in cols and j not in self.excluded]
        if not cands:
            self.step += 1
            self.record("stop", None, math.nan, "stopped: no candidates left")
            return None
        pscore, starts, hessians = self.score_tests(fit, cands)
        start_of = dict(zip(cands, starts, strict=True))
        hess_of = dict(zip(cands, hessians, strict=True))
        trial: dict[int, _Fit] = {}
        values: dict[int, float] = {}
        wald = self.criterion == "pvalue" and self.test == "wald"
        likelihood = self.criterion != "pvalue" or self.test == "lr"

        def value(f: _Fit) -> float:
            if wald:
                return float(self.wald(f)[1][-1])
            if self.criterion == "pvalue":
                return _chi2_1_p(2.0 * (f.llf - fit.llf))
            return self.crit(f)

        def reject(j: int, value: float, why: str) -> None:
            self.step += 1
            self.excluded.add(j)
            self.record("reject", j, value, f"rejected: {why}")

        if self.criterion == "pvalue" and self.test == "score":
            values = {j: float(p) for j, p in zip(cands, pscore, strict=True)}
        else:
            tol = COARSE_LL_TOL if likelihood else SCREEN_LL_TOL
            for j in cands:
                try:
                    trial[j] = self.fit(
                        (*cols, j),
                        start_of[j],
                        strict=False,
                        hess0=hess_of[j],
                        need_cov=wald,
                        ll_tol=tol,
                    )
                except _RejectedError as exc:
                    reject(j, math.nan, str(exc))
                    continue
                values[j] = value(trial[j])
        if self.criterion == "pvalue":
            threshold = self.p_enter
            what = f"{self.test}-test p-value"
        else:
            threshold = self.crit(fit)
            what = self.criterion.upper()
        # candidates best first; with likelihood criteria the ranking is made exact lazily
        left = set(values)
        best: int | None = None
        while left:
            if likelihood:
                j_or_none, failed = self.best_of(trial, left)
                for i, why in failed.items():
                    left.discard(i)
                    values.pop(i, None)
                    reject(i, math.nan, why)
                if j_or_none is None:
                    break
                j = j_or_none
                values[j] = value(trial[j])
            else:
                j = min(left, key=lambda i: (values[i], i))
            left.discard(j)
            if best is None:
                best = j
            if not values[j] < threshold:
                break  # the best remaining candidate does not qualify: none does
            new_cols = (*cols, j)
            if frozenset(new_cols) in self.visited:
                continue
            try:
                f = self.fit(
                    new_cols,
                    trial[j].beta if j in trial else start_of[j],
                    strict=False,
                    hess0=trial[j].hess if j in trial else hess_of[j],
                    need_cov=self.max_pvalue is not None,
                )
            except _RejectedError as exc:
                reject(j, values[j], str(exc))
                continue
            refused = self.gate(f, j)
            if refused is not None:
                reject(j, values[j], refused)
                continue
            self.last_value.update(values)
            self.step += 1
            if self.criterion == "pvalue":
                reason = f"entered: lowest {what} {_fmt(values[j])} < p_enter {_fmt(self.p_enter)}"
            else:
                reason = (
                    f"entered: lowest {what} {values[j]:.4f} (down "
                    f"{threshold - values[j]:.4f} from {threshold:.4f})"
                )
            self.record("enter", j, values[j], reason)
            self.visited.add(frozenset(new_cols))
            return self.exactify(f)
        self.last_value.update(values)
        self.step += 1
        if best is not None and best in values:
            if self.criterion == "pvalue":
                reason = (
                    f"stopped: no admissible candidate with a {what} below p_enter "
                    f"{_fmt(self.p_enter)} (best {self.name(best)!r}: {_fmt(values[best])})"
                )
            else:
                reason = (
                    f"stopped: no admissible candidate lowers the {what} below "
                    f"{threshold:.4f} (best {self.name(best)!r}: {values[best]:.4f})"
                )
            self.record("stop", None, values[best], reason)
        else:
            self.record("stop", None, math.nan, "stopped: no admissible candidates left")
        return None

    def removal(self, fit: _Fit) -> tuple[int, float, str] | None:
        """The feature to remove from ``fit`` (position in cols), its value and reason."""
        cols = fit.cols
        free = [i for i, j in enumerate(cols) if j not in self.forced]
        if not free:
            return None
        b, p = self.wald(fit)
        se = np.sqrt(np.diag(fit.cov))[1:]
        if self.sign_gate:
            wrong = [i for i in free if b[i] > 0]
            if wrong:
                i = max(wrong, key=lambda i: b[i] / se[i])
                why = f"removed: coefficient {_signed(float(b[i]))} has the wrong sign (positive)"
                return i, float(p[i]), why
        if self.max_pvalue is not None:
            high = [i for i in free if p[i] > self.max_pvalue]
            if high:
                i = max(high, key=lambda i: (p[i], -i))
                mp = _fmt(self.max_pvalue)
                return i, float(p[i]), f"removed: p-value {_fmt(float(p[i]))} > max_pvalue {mp}"
        too_many = self.max_features is not None and len(cols) > self.max_features
        if self.criterion == "pvalue" and self.test != "lr":
            i = max(free, key=lambda i: (p[i], -i))
            pv = float(p[i])
            if pv > self.p_remove:
                why = f"removed: highest Wald p-value {_fmt(pv)} > p_remove {_fmt(self.p_remove)}"
                return i, pv, why
            if too_many:
                reason = (
                    f"removed: {len(cols)} features > max_features {self.max_features}; "
                    f"highest Wald p-value {_fmt(pv)}"
                )
                return i, pv, reason
            return None
        # likelihood criteria: refit without each feature; the best removal, exactly
        refits: dict[int, _Fit] = {}
        for i in free:
            try:
                refits[i] = self.refit_without(fit, i, need_cov=False, ll_tol=COARSE_LL_TOL)
            except _RejectedError:
                continue
        best, _ = self.best_of(refits, set(refits))
        if best is None:
            return None
        i, f = best, refits[best]
        if self.criterion == "pvalue":
            pv = _chi2_1_p(2.0 * (fit.llf - f.llf))
            if pv > self.p_remove:
                why = (
                    f"removed: highest LR-test p-value {_fmt(pv)} > p_remove {_fmt(self.p_remove)}"
                )
                return i, pv, why
            if too_many:
                reason = (
                    f"removed: {len(cols)} features > max_features {self.max_features}; "
                    f"highest LR-test p-value {_fmt(pv)}"
                )
                return i, pv, reason
            return None
        current = self.crit(fit)
        c = self.crit(f)
        name = self.criterion.upper()
        if c < current:
            return i, c, f"removed: {name} falls from {current:.4f} to {c:.4f}"
        if too_many:
            reason = (
                f"removed: {len(cols)} features > max_features {self.max_features}; "
                f"smallest {name} increase ({current:.4f} to {c:.4f})"
            )
            return i, c, reason
        return None

    def remove_phase(self, fit: _Fit) -> _Fit:
        while True:
            choice = self.removal(fit)
            if choice is None:
                return fit
            i, value, reason = choice
            sub = tuple(j for q, j in enumerate(fit.cols) if q != i)
            if self.method == "stepwise" and frozenset(sub) in self.visited:
                return fit  # would revisit a model: stop removing (no cycles)
            try:
                refit = self.refit_without(fit, i, need_cov=self.method == "backward")
            except _RejectedError as exc:
                raise FitError(
                    f"removing {self.name(fit.cols[i])!r} leaves a model that cannot be "
                    f"fitted: {exc}"
                ) from None
            if self.criterion != "pvalue":
                value = self.crit(refit)  # the AIC/BIC of the model after the step
            self.step += 1
            self.record("remove", fit.cols[i], value, reason)
            self.visited.add(frozenset(sub))
            fit = refit if self.method == "backward" else self.exactify(refit)


def _reorder_fit(fit: _Fit, cols: tuple[int, ...]) -> _Fit:
    """The same fit with its features in the order ``cols``."""
    idx = [0] + [fit.cols.index(j) + 1 for j in cols]
    ix = np.ix_(idx, idx)
    beta = fit.beta[idx]
    return fit._replace(
        cols=cols, beta=beta, hess=fit.hess[ix], cov=fit.cov[ix], last_step=fit.last_step[idx]
    )


def select_stepwise(
    X: pd.DataFrame,
    y: Any,
    *,
    method: Method = "stepwise",
    criterion: Criterion = "pvalue",
    test: Test = "score",
    sample_weight: Any = None,
    features: Sequence[str] | None = None,
    p_enter: float = 0.05,
    p_remove: float = 0.10,
    force: Sequence[str] = (),
    max_features: int | None = None,
    sign_gate: bool = True,
    max_pvalue: float | None = None,
    group_rows: bool = True,
) -> SelectionPath:
    """Select WOE features for the logistic model: forward, backward or stepwise.

    Parameters
    ----------
    X, y, sample_weight, features
        As in :func:`fit_logit`; ``features`` are the candidates (default: all columns).
    method : {"stepwise", "forward", "backward"}
        ``"forward"`` adds one feature per step; ``"stepwise"`` adds one, then removes
        any that no longer qualify (never revisiting a model it has seen);
        ``"backward"`` starts from all candidates and removes one per step.
    criterion : {"pvalue", "aic", "bic"}
        ``"pvalue"``: enter the candidate with the lowest p-value if ``< p_enter``,
        remove the feature with the highest p-value if ``> p_remove``.  ``"aic"`` /
        ``"bic"``: take the entry (removal) that lowers the criterion most, while it
        lowers it; computed from the true (weighted) binomial log-likelihood of every
        trial model.
    test : {"score", "wald", "lr"}
        The p-value of ``criterion="pvalue"``.  ``"score"`` (default, as SAS PROC
        LOGISTIC): entry by the Rao score test, which needs no fit per candidate, and
        removal by the Wald test.  ``"wald"``: Wald tests, entry from a fit per
        candidate.  ``"lr"``: likelihood-ratio tests (a fit per candidate and per
        removal).
    p_enter, p_remove : float
        Significance levels to enter and to stay (``p_enter <= p_remove``).
    force : sequence of str
        Features always in the model (never removed, exempt from the gates).
    max_features : int, optional
        Largest number of features in the model (forced ones included).
    sign_gate : bool
        Refuse an entry that makes a coefficient positive (the candidate's or another
        feature's), and remove positive ones (default True).
    max_pvalue : float, optional
        Significance gate: refuse an entry that leaves a Wald p-value above it,
        and remove such features (useful with AIC/BIC).
    group_rows : bool
        Fit on unique WOE rows when that pays (exact).

    Returns
    -------
    SelectionPath
        Steps, per-feature outcomes (:attr:`SelectionPath.table`), final features and
        the final :class:`LogitResult`.

    Notes
    -----
    Constant columns and columns that are exact linear combinations of earlier ones
    are rejected at step 0.  A rejected candidate (a gate, or a trial fit that
    separates or does not converge) is not considered again.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(3)
    >>> n = 4000
    >>> X = pd.DataFrame({"good1": rng.choice([-0.9, 0.0, 0.8], n),
    ...                   "good2": rng.choice([-0.6, 0.5], n),
    ...                   "noise": rng.choice([-0.3, 0.3], n)})
    >>> eta = -1.8 - 1.0 * X["good1"] - 1.0 * X["good2"]
    >>> y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    >>> path = select_stepwise(X, y)
    >>> path.features
    ('good1', 'good2')
    >>> print(path.table[["feature", "selected", "status"]].to_string(index=False))
    feature  selected      status
      good1      True    selected
      good2      True    selected
      noise     False not entered
    """
    if method not in _METHODS:
        raise SpecificationError(
            f"select_stepwise: expected method in {_METHODS}, found {method!r}"
        )
    if criterion not in _CRITERIA:
        raise SpecificationError(
            f"select_stepwise: expected criterion in {_CRITERIA}, found {criterion!r}"
        )
    if test not in _TESTS:
        raise SpecificationError(f"select_stepwise: expected test in {_TESTS}, found {test!r}")
    for nm, val in (("p_enter", p_enter), ("p_remove", p_remove)):
        if isinstance(val, bool) or not isinstance(val, int | float) or not 0 < val < 1:
            raise SpecificationError(f"select_stepwise: expected 0 < {nm} < 1, found {val!r}")
    if p_enter > p_remove:
        raise SpecificationError(
            f"select_stepwise: expected p_enter <= p_remove (else stepwise can cycle), found "
            f"p_enter={p_enter!r} > p_remove={p_remove!r}"
        )
    if max_pvalue is not None and (
        isinstance(max_pvalue, bool)
        or not isinstance(max_pvalue, int | float)
        or not 0 < max_pvalue <= 1
    ):
        raise SpecificationError(
            f"select_stepwise: expected 0 < max_pvalue <= 1 or None, found {max_pvalue!r}"
        )
    if isinstance(force, str):
        raise SpecificationError(
            f"select_stepwise: expected force to be a sequence of names, found the string "
            f"{force!r}: use [{force!r}]"
        )
    force = tuple(force)
    with _blas_single_thread():
        data = _prepare(X, y, sample_weight, features)
        unknown = [f for f in force if f not in data.index]
        if unknown or len(set(force)) != len(force):
            raise SpecificationError(
                f"select_stepwise: expected force to list distinct candidate features, found "
                f"{list(force)} (unknown: {unknown}; candidates: {list(data.names)[:20]})"
            )
        if max_features is not None and (
            isinstance(max_features, bool)
            or not isinstance(max_features, int)
            or max_features < max(1, len(force))
        ):
            raise SpecificationError(
                f"select_stepwise: expected max_features >= max(1, number of forced features "
                f"{len(force)}) or None, found {max_features!r}"
            )
        forced_idx = tuple(sorted(data.index[f] for f in force))
        sel = _Selector(
            data,
            method=method,
            criterion=criterion,
            test=test,
            p_enter=float(p_enter),
            p_remove=float(p_remove),
            max_pvalue=None if max_pvalue is None else float(max_pvalue),
            sign_gate=sign_gate,
            max_features=max_features,
            forced=forced_idx,
            group_rows=group_rows,
        )
        # screening (step 0): forced first, then the others in column order
        order = [*forced_idx, *[j for j in range(len(data.names)) if j not in forced_idx]]
        pool: list[int] = []
        for j in order:
            problem = _design_problem(data, (*pool, j))
            if problem is not None:
                msg = problem[1]
                if j in forced_idx:
                    raise FitError(f"forced feature {data.names[j]!r}: {msg}")
                sel.excluded.add(j)
                sel.record("reject", j, math.nan, f"rejected: {msg}")
                continue
            pool.append(j)
        for j in forced_idx:
            sel.record("force", j, math.nan, "forced in")
        if method == "backward":
            cols = tuple(j for j in range(len(data.names)) if j in pool)
        else:
            cols = forced_idx
        fit = sel.fit(cols, None, strict=True)
        sel.visited.add(frozenset(cols))
        if method == "backward":
            fit = sel.remove_phase(fit)
            sel.step += 1
            sel.record("stop", None, math.nan, "stopped: no feature qualifies for removal")
        else:
            while True:
                new = sel.entry(fit)
                if new is None:
                    break
                fit = new
                if method == "stepwise":
                    fit = sel.remove_phase(fit)
        final_cols = tuple(sorted(fit.cols))
        final = _fit_checked(
            data, final_cols, start=_reorder(fit, final_cols), group_rows=group_rows
        )
        result = _result(data, final, "numpy")
        _warn_wrong_sign(result, stacklevel=3)
        outcomes = _outcomes(sel, set(final_cols), result)
        return SelectionPath(
            method=method,
            criterion=criterion,
            test=test,
            p_enter=p_enter,
            p_remove=p_remove,
            max_pvalue=max_pvalue,
            sign_gate=sign_gate,
            max_features=max_features,
            force=tuple(data.names[j] for j in forced_idx),
            candidates=data.names,
            steps=tuple(sel.steps),
            outcomes=outcomes,
            features=result.features,
            result=result,
        )


def _reorder(fit: _Fit, cols: tuple[int, ...]) -> FloatArray:
    return _reorder_fit(fit, cols).beta


def _outcomes(sel: _Selector, final: set[int], result: LogitResult) -> tuple[FeatureOutcome, ...]:
    last: dict[str, SelectionStep] = {}
    for st in sel.steps:
        if st.feature:
            last[st.feature] = st
    stop_step = sel.steps[-1].step if sel.steps else 0
    out = []
    for j, name in enumerate(sel.data.names):
        s = last.get(name)
        if j in sel.forced:
            why = "forced in"
            if name in result.wrong_sign:
                b = float(result.params[name])
                why += f" (its coefficient {_signed(b)} has the wrong sign: review it)"
            out.append(FeatureOutcome(name, "forced", 0, why))
        elif j in final:
            if sel.method == "backward":
                out.append(FeatureOutcome(name, "selected", stop_step, "kept: no reason to remove"))
            else:
                assert s is not None
                out.append(FeatureOutcome(name, "selected", s.step, s.reason))
        elif s is not None and s.action == "remove":
            out.append(FeatureOutcome(name, "removed", s.step, s.reason))
        elif s is not None and s.action == "reject":
            out.append(FeatureOutcome(name, "rejected", s.step, s.reason))
        else:
            v = sel.last_value.get(j)
            if v is None:
                why = "not entered: the search stopped before considering it"
            elif sel.criterion == "pvalue":
                why = (
                    f"not entered: {sel.test}-test p-value {_fmt(v)} at the last step "
                    f"(p_enter {_fmt(sel.p_enter)})"
                )
            else:
                why = f"not entered: {sel.criterion.upper()} {v:.4f} at the last step"
            out.append(FeatureOutcome(name, "not entered", stop_step, why))
    return tuple(out)
