"""The estimation engine of the logistic model (the model itself: :mod:`scorecard._model.logit`).

This module fits ``ln(P(bad)/P(good)) = b0 + sum_j b_j * WOE_j`` (the convention is stated
once, in :mod:`scorecard._model.logit`) and knows nothing of results or selection:

* :func:`prepare` validates ``X``, ``y`` and the weights into :class:`Data` (rows of
  positive weight, a Fortran-ordered WOE matrix);
* :class:`Designs` builds the design ``[1, X[:, cols]]`` of a feature set, on the unique
  WOE rows with summed weights when that shrinks the data (see below);
* :func:`newton` maximizes the weighted Bernoulli log-likelihood by Newton-Raphson;
  :func:`fit_statsmodels` is the reference (statsmodels ``GLM``);
* :func:`design_problem` and :func:`fit_problem` turn a constant or collinear column,
  separation and non-convergence into messages naming the features; :func:`vif`.

Estimation
----------
Maximum likelihood of the (weighted) Bernoulli log-likelihood
``llf = sum_i w_i [y_i eta_i - ln(1 + exp(eta_i))]``.  Sample weights are *frequency*
weights: a row of weight 3 counts as three identical rows, so the log-likelihood,
standard errors, AIC and BIC equal those of the data with rows replicated.

Newton-Raphson with step halving on the vectorized gradient and Hessian converges when the
largest relative change of a coefficient is below :data:`TOL` (quadratic convergence
leaves an error far below that).  On 1M rows x 25 features it is about ten times faster
than statsmodels' ``GLM`` (IRLS with a pseudo-inverse of the whole design).

Sufficient statistics: WOE features are piecewise constant, so many rows share the same
WOE vector.  With :attr:`Tuning.group_rows`, rows are grouped by their unique WOE
combination with the weighted numbers of bads and goods per group (an exact
reformulation of the same likelihood) whenever that shrinks the data at least
:attr:`Tuning.group_factor`-fold; results equal the ungrouped fit to rounding.

Problems are reported as messages naming the features: a constant column, exactly
collinear columns (found from the weighted, centered covariance matrix), perfect or
quasi-perfect separation (a coefficient that moves the log odds by more than
:data:`SEPARATION_SPAN` = 30 across its WOE range, i.e. odds ratios beyond ``e^30``, or a
Hessian that becomes singular) and non-convergence.

Speed
-----
Every speed device that is not plain Newton-Raphson on the raw rows is a switch of
:class:`Tuning`, with its reason and its measured gain (``benchmarks/bench_logit.py``)
next to it; the tests run each one on and off and compare the results.
"""

from __future__ import annotations

import contextlib
import importlib
import math
import warnings
from collections.abc import Sequence
from typing import Any, NamedTuple, cast

import attrs
import numpy as np
import pandas as pd

from scorecard._core.fields import boolean, integer, number, optional, to_integer
from scorecard._core.fields import to_optional_number as _to_optional_number
from scorecard._core.stats import vif_from_corr
from scorecard._core.types import FloatArray, IntArray
from scorecard._model.rows import (
    INTERCEPT,
    Data,
    Objective,
    expit,
    prepare,
    prepare_design,
)
from scorecard.exceptions import FitError, SpecificationError

__all__ = [
    "COLLINEARITY_TOL",
    "INTERCEPT",
    "MAX_ITER",
    "SCREEN_LL_TOL",
    "SCREEN_TOL",
    "SEPARATION_SPAN",
    "TOL",
    "TUNING",
    "WARM_TOL",
    "Data",
    "Design",
    "Designs",
    "Fit",
    "Objective",
    "Tuning",
    "chi2_1_p",
    "design_problem",
    "expit",
    "fit_checked",
    "fit_problem",
    "fit_statsmodels",
    "fmt",
    "newton",
    "norm_p",
    "prepare",
    "prepare_design",
    "signed",
    "single_thread_blas",
    "vif",
    "weighted_gram",
]

#: A coefficient whose log-odds change across its feature's WOE range exceeds this is
#: treated as (quasi-)separation: ``exp(30)`` is an odds ratio of about 1e13.
SEPARATION_SPAN = 30.0
#: Relative residual variance below which a column is a linear combination of others.
COLLINEARITY_TOL = 1e-10
#: A Cholesky residual variance above this many times :data:`COLLINEARITY_TOL` is
#: decided without the regressions of :func:`design_problem`.
_CHOLESKY_MARGIN = 1e4
#: Largest relative coefficient change at convergence (final fits).
TOL = 1e-8
#: Same, for the many trial fits of a selection, which also stop when the next Newton
#: step would raise the log-likelihood by less than ``SCREEN_LL_TOL``.
SCREEN_TOL = 1e-6
SCREEN_LL_TOL = 1e-8
#: Accuracy of the subsample fit that starts a fit of many rows (:attr:`Tuning.warm_rows`).
WARM_TOL = 1e-4
MAX_ITER = 100
#: Group keys of at most this many combinations are renumbered with a dense table
#: (``bincount``); larger ones with a hash table (``pandas.factorize``).
_DENSE_MAX = 1 << 24


# --------------------------------------------------------------------------------------
# speed switches
# --------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Tuning:
    """The speed switches of the engine and of the stepwise search.

    None of them changes a result beyond rounding: each has a test that runs it on and
    off (``tests/test_newton.py``, ``tests/test_stepwise.py``).  The defaults
    (:data:`TUNING`) are what :func:`~scorecard.fit_logit` and
    :func:`~scorecard.select_stepwise` use; tests and the benchmark pass other values.

    The gains quoted are how much slower a task runs with the switch off, measured side
    by side by ``python benchmarks/run.py logit`` (2 shared cores, best of 3, two runs):
    *credit* is the WOE of 200,000 rows of ``make_credit_data`` (25 features), *no ties*
    100,000 rows of 40 features with 40 values each, *German* the 1,000 rows of German
    credit; *p-value* and *AIC* are ``select_stepwise(criterion=...)``.  A switch is kept
    only if it gains at least 10 % on one of these; the group-key cache (keys of recent
    feature sets reused for their supersets) gained -9 % to +7 % and was removed.

    Parameters
    ----------
    group_rows : bool
        Fit on the unique WOE rows with summed weights (an exact reformulation of the
        likelihood) when they are at least ``group_factor`` times fewer than the rows:
        the public ``group_rows``.  Gain: credit AIC +15 %, p-value +7-10 %; it costs
        5-15 % where the rows do not group (a fit of all 25 credit features, no ties),
        the price of finding out.
    group_factor : int
        The least shrinkage for which grouping is used (3).
    remember_ungroupable : bool
        Remember the feature sets whose rows did not group: a superset does not group
        either, so it goes straight to the raw rows.  Gain: credit p-value +10-13 %, AIC
        +23-29 %; no ties AIC +15-24 %; German AIC +13-24 %.
    design_buffer : bool
        Build raw designs in one buffer of ``n x (P + 1)``: a design that shares a prefix
        of columns with the previous one (a selection's trial fits) copies only the
        columns after it.  Gain: credit p-value +11-23 %, AIC +19-43 %; no ties AIC
        +9-19 %.
    gram_chunk : int or None
        Accumulate ``A' diag(v) A`` over blocks of this many rows (None: one product
        over all rows): a block fits in the CPU cache.  Gain: credit fit +24-29 %,
        p-value +29-38 %; no ties p-value +25-31 %.
    reuse_hessian : bool
        Trial fits of a selection start from the information matrix of the current
        model and recompute the Hessian only when the steps stop shrinking fast (see
        :func:`newton`).  Gain: AIC +76-79 % (credit), +72-80 % (no ties), +16-22 %
        (German); credit p-value +14-15 %.
    coarse_ll_tol : float or None
        Trial fits that only rank candidates by likelihood (AIC, BIC, LR test) stop at
        this accuracy of the log-likelihood; those that could still be the best are
        refined to :data:`SCREEN_LL_TOL` (None: every trial fit at that accuracy).
        Gain: AIC +28-31 % (credit), +29-30 % (no ties), +36-38 % (German).
    warm_rows : int or None
        A fit of all the rows (no start given) on at least five times ``m = max(warm_rows,
        1000 * coefficients)`` raw rows starts from the fit of every ``n // m``-th row (to
        a relative change of :data:`WARM_TOL`, the ridge penalty scaled to the subsample's
        weight) instead of the intercept-only model: Newton-Raphson converges
        quadratically from there, to the same solution, in fewer iterations on all the
        rows (each a Hessian).  None: off.  Gain (one fit of every feature of
        ``benchmarks/shapes.py``'s data, as ``fit_scorecard`` makes it): 300,000 rows x
        25 features, 4 Hessians on all the rows instead of 6 (the fit 25-30 % faster).
        With fewer rows per coefficient the subsample's fit starts no nearer: 100,000
        rows x 300 features from 20,000 rows took 5 iterations instead of 6, and 1.5
        times as long in all.
    lazy_hessian : int or None
        A fit of at least this many coefficients (intercept included) keeps its Hessian
        while the Newton steps contract fast and evaluates it again at the solution for
        one last Newton step (:func:`newton`'s ``lazy_hessian``): the Hessian costs
        ``n k^2``, a step ``n k``, so with many coefficients a few more steps cost less
        than the Hessians they replace.  None: off.  Gain (single-threaded BLAS):
        100,000 rows x 300 features, 4 Hessians instead of 6, the fit 25 % faster; with
        25 features a Hessian costs about two steps, so it is off there.
    single_thread_blas : bool
        Limit BLAS to one thread while fitting (when ``threadpoolctl`` is installed):
        the products are tall and thin.  With other processes competing for the 2
        cores (load about 5), two threads made the p-value search 2.1 times (credit)
        and 3.9 times (no ties) slower; on a quieter machine (load about 1.5) they were
        8-13 % faster.  Kept: a small, bounded loss against a loss of several times.
    """

    group_rows: bool = attrs.field(default=True, validator=boolean)
    group_factor: int = attrs.field(default=3, converter=to_integer, validator=integer(ge=2))
    remember_ungroupable: bool = attrs.field(default=True, validator=boolean)
    design_buffer: bool = attrs.field(default=True, validator=boolean)
    gram_chunk: int | None = attrs.field(
        default=1 << 13, converter=to_integer, validator=optional(integer(ge=1))
    )
    reuse_hessian: bool = attrs.field(default=True, validator=boolean)
    coarse_ll_tol: float | None = attrs.field(
        default=1e-3, converter=_to_optional_number, validator=optional(number(gt=0))
    )
    warm_rows: int | None = attrs.field(
        default=20_000, converter=to_integer, validator=optional(integer(ge=1))
    )
    lazy_hessian: int | None = attrs.field(
        default=64, converter=to_integer, validator=optional(integer(ge=1))
    )
    single_thread_blas: bool = attrs.field(default=True, validator=boolean)


#: The tuning of :func:`~scorecard.fit_logit` and :func:`~scorecard.select_stepwise`.
TUNING = Tuning()


# --------------------------------------------------------------------------------------
# small numeric helpers
# --------------------------------------------------------------------------------------


def _ll_mu(eta: FloatArray, wb: FloatArray, wt: FloatArray) -> tuple[float, FloatArray]:
    """Weighted Bernoulli log-likelihood ``sum wb*eta - wt*ln(1 + e^eta)`` and ``expit(eta)``.

    One exponential for both, stable in both tails.
    """
    t = np.exp(-np.abs(eta))
    softplus = np.maximum(eta, 0.0) + np.log1p(t)
    inv = 1.0 / (1.0 + t)
    mu: FloatArray = np.where(eta >= 0.0, inv, t * inv)
    return float(wb @ eta - wt @ softplus), mu


def weighted_gram(A: FloatArray, v: FloatArray, chunk: int | None) -> FloatArray:
    """``A.T @ diag(v) @ A`` for ``v >= 0``, in blocks of ``chunk`` rows (None: one block)."""
    s = np.sqrt(v)
    if chunk is None:
        B = A * s[:, None]
        out: FloatArray = B.T @ B
        return out
    k = A.shape[1]
    out = np.zeros((k, k))
    for a in range(0, A.shape[0], chunk):
        B = A[a : a + chunk] * s[a : a + chunk, None]
        out += B.T @ B
    return out


def single_thread_blas(tuning: Tuning) -> contextlib.AbstractContextManager[Any]:
    """Limit BLAS to one thread while fitting, when ``threadpoolctl`` is installed.

    The products here are tall and thin (n x 30): a second BLAS thread gains little on an
    idle machine and loses several times over when other processes compete for the
    cores (:attr:`Tuning.single_thread_blas`).
    """
    if not tuning.single_thread_blas:
        return contextlib.nullcontext()
    try:
        threadpoolctl = importlib.import_module("threadpoolctl")
    except ImportError:  # pragma: no cover - optional
        return contextlib.nullcontext()
    limits = threadpoolctl.threadpool_limits(limits=1, user_api="blas")
    return cast(contextlib.AbstractContextManager[Any], limits)


def norm_p(z: float) -> float:
    """Two-sided normal p-value ``P(|Z| > |z|)``."""
    return math.erfc(abs(z) / math.sqrt(2.0))


def chi2_1_p(stat: float) -> float:
    """Upper tail of a chi-square with one degree of freedom."""
    return math.erfc(math.sqrt(max(stat, 0.0) / 2.0))


def fmt(x: float, digits: int = 4) -> str:
    """Compact number for messages: 4 significant digits, exponent when small."""
    if not math.isfinite(x):
        return str(x)
    if x != 0 and abs(x) < 1e-3:
        return f"{x:.2g}"
    return f"{x:.{digits}g}"


def signed(x: float) -> str:
    """A coefficient with its sign, for messages: ``+0.1234``."""
    return f"{x:+.4g}"


def design_problem(data: Data, cols: Sequence[int]) -> tuple[int, str] | None:
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
    R = data.corr()[np.ix_(cols, cols)]
    # The residual variance of each column regressed on the ones before it is the square
    # of the Cholesky factor's diagonal: one factorization answers "no collinear column"
    # (far from the tolerance); near it, or failing, the regressions below decide.
    try:
        chol = np.diag(np.linalg.cholesky(R)) ** 2
    except np.linalg.LinAlgError:
        chol = np.zeros(0)
    if chol.size == len(cols) and np.all(chol > _CHOLESKY_MARGIN * COLLINEARITY_TOL):
        return None
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


def vif(data: Data, cols: Sequence[int]) -> FloatArray:
    """Variance inflation factors ``1 / (1 - R_j^2)`` from the weighted correlation matrix."""
    if len(cols) == 0:
        return np.zeros(0)
    return vif_from_corr(data.corr()[np.ix_(cols, cols)])


# --------------------------------------------------------------------------------------
# designs: raw rows or grouped unique WOE rows
# --------------------------------------------------------------------------------------


class Design(NamedTuple):
    """The design of one fit: rows (or groups of identical rows) and their weights."""

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


class Designs:
    """Designs ``[1, X[:, cols]]`` of one data set, and the memory that makes them cheap.

    A selection asks for hundreds of designs that differ from the previous one by a
    column or two; what is kept between them is governed by :class:`Tuning`.
    """

    def __init__(self, data: Data, tuning: Tuning) -> None:
        self.data = data
        self.tuning = tuning
        # Tuning.remember_ungroupable: feature sets whose rows do not group
        self.ungroupable: list[frozenset[int]] = []
        # Tuning.design_buffer: [1, X[:, buffer_cols], room for the other columns]
        self.buffer: FloatArray | None = None
        self.buffer_cols: tuple[int, ...] = ()

    def design(self, cols: Sequence[int]) -> Design | Objective:
        """Design with intercept for ``cols``: grouped unique rows when that pays, else raw rows
        (for rows not held as a matrix, the likelihood evaluated in blocks: :meth:`Data.stream`).

        A raw design may be a view of a buffer that the next raw design overwrites: use
        it for one fit.
        """
        grouped = self.group_ids(cols) if self.tuning.group_rows else None
        if grouped is not None:
            return self._grouped(cols, *grouped)
        streamed = self.data.stream(cols, self.tuning.gram_chunk)
        if streamed is not None:
            return streamed
        D = self.data.design
        if D is not None and tuple(cols) == tuple(range(D.shape[1] - 1)):
            return Design(D, self.data.wb, self.data.w, self.data.wg, None)  # no copy
        if self.tuning.design_buffer:
            return self._raw_in_buffer(tuple(cols))
        D = np.empty((self.data.n, len(cols) + 1), order="F")
        D[:, 0] = 1.0
        D[:, 1:] = self.data.X[:, list(cols)]
        return Design(D, self.data.wb, self.data.w, self.data.wg, None)

    def group_ids(self, cols: Sequence[int]) -> tuple[IntArray, int] | None:
        """Group id of every row by its WOE values in ``cols``, or None if not worth it.

        The key is built column by column in mixed radix; it is renumbered whenever its
        range would grow past ``n / group_factor``, and the search gives up as soon as
        there are more distinct combinations than that.
        """
        data = self.data
        limit = data.n // self.tuning.group_factor
        fs = frozenset(cols)
        if any(f <= fs for f in self.ungroupable) or not data.may_group(cols, limit):
            return None
        key, card = np.zeros(data.n, dtype=np.int64), 1
        for j in cols:
            codes, cj = data.codes(j)
            if card > 1 and card * cj > limit:
                key, card = _compact(key, card)
                if card > limit:
                    break
            key = key * cj + codes
            card *= cj
        else:
            key, card = _compact(key, card)
        if card > limit:
            if self.tuning.remember_ungroupable:
                self.ungroupable.append(fs)
            return None
        return key, card

    def _grouped(self, cols: Sequence[int], gid: IntArray, G: int) -> Design:
        """The design of the ``G`` groups of rows ``gid``, with their summed weights."""
        data = self.data
        rep = np.empty(G, dtype=np.int64)
        rep[gid] = np.arange(data.n, dtype=np.int64)  # any row of a group represents it
        D = np.empty((G, len(cols) + 1), order="F")
        D[:, 0] = 1.0
        if len(cols):
            D[:, 1:] = data.take(rep, cols)
        wb = np.asarray(np.bincount(gid, weights=data.wb, minlength=G), dtype=np.float64)
        wg = np.asarray(np.bincount(gid, weights=data.wg, minlength=G), dtype=np.float64)
        return Design(D, wb, wb + wg, wg, gid)

    def _raw_in_buffer(self, cols: tuple[int, ...]) -> Design:
        """The raw design as a view of the buffer; only columns after the common prefix move."""
        data = self.data
        if self.buffer is None:
            self.buffer = np.empty((data.n, data.X.shape[1] + 1), order="F")
            self.buffer[:, 0] = 1.0
        same = 0  # length of the common prefix with the design already in the buffer
        for a, b in zip(self.buffer_cols, cols, strict=False):
            if a != b:
                break
            same += 1
        for pos in range(same, len(cols)):
            self.buffer[:, pos + 1] = data.X[:, cols[pos]]
        self.buffer_cols = cols
        return Design(self.buffer[:, : len(cols) + 1], data.wb, data.w, data.wg, None)


# --------------------------------------------------------------------------------------
# Newton-Raphson
# --------------------------------------------------------------------------------------


class _Rows:
    """The :class:`Objective` of a design in memory: one product over its rows."""

    def __init__(self, des: Design) -> None:
        self.D, self.wb, self.wt = des.D, des.wb, des.wt
        self.k1 = int(des.D.shape[1])

    def bad_share(self) -> float:
        return float(self.wb.sum() / self.wt.sum())

    def at(self, beta: FloatArray) -> tuple[float, FloatArray]:
        return _ll_mu(self.D @ beta, self.wb, self.wt)

    def grad(self, mu: FloatArray) -> FloatArray:
        out: FloatArray = self.D.T @ (self.wb - self.wt * mu)
        return out

    def hess(self, mu: FloatArray, chunk: int | None) -> FloatArray:
        return weighted_gram(self.D, self.wt * mu * (1.0 - mu), chunk)


class _Penalized:
    """An :class:`Objective` minus the ridge penalty ``l2 / 2 * ||b_1..b_k||^2``.

    It wraps any other objective (rows, grouped rows, blocks of counts), so every design
    the engine builds is penalized the same way: the gradient loses ``l2 * b`` and the
    information matrix gains ``l2`` on its diagonal, both without the intercept.  Its
    state is the inner state with ``beta`` and the inner (unpenalized) log-likelihood.
    """

    def __init__(self, inner: Objective, l2: float) -> None:
        self.inner = inner
        self.l2 = l2
        self.k1 = inner.k1
        self.mask = np.ones(inner.k1)
        self.mask[0] = 0.0  # never the intercept

    def bad_share(self) -> float:
        return self.inner.bad_share()

    def at(self, beta: FloatArray) -> tuple[float, tuple[Any, FloatArray, float]]:
        ll, state = self.inner.at(beta)
        b = beta * self.mask
        return ll - 0.5 * self.l2 * float(b @ b), (state, np.array(b), ll)

    def grad(self, state: tuple[Any, FloatArray, float]) -> FloatArray:
        out: FloatArray = self.inner.grad(state[0]) - self.l2 * state[1]
        return out

    def hess(self, state: tuple[Any, FloatArray, float], chunk: int | None) -> FloatArray:
        out = self.inner.hess(state[0], chunk)
        out[np.diag_indices_from(out)] += self.l2 * self.mask
        return out


class Fit(NamedTuple):
    """A fit of the feature set ``cols`` (column indices of :attr:`Data.X`)."""

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

    def reordered(self, cols: tuple[int, ...]) -> Fit:
        """The same fit with its features in the order ``cols``."""
        idx = [0] + [self.cols.index(j) + 1 for j in cols]
        ix = np.ix_(idx, idx)
        return self._replace(
            cols=cols,
            beta=self.beta[idx],
            hess=self.hess[ix],
            cov=self.cov[ix],
            last_step=self.last_step[idx],
        )


def newton(
    des: Design | Objective,
    cols: tuple[int, ...],
    ranges: FloatArray,
    beta0: FloatArray | None = None,
    *,
    tol: float = TOL,
    max_iter: int = MAX_ITER,
    reused_hessian: FloatArray | None = None,
    need_cov: bool = True,
    ll_tol: float | None = None,
    chunk: int | None = TUNING.gram_chunk,
    l2: float = 0.0,
    lazy_hessian: bool = False,
) -> Fit:
    """Maximize the weighted Bernoulli log-likelihood by Newton-Raphson with step halving.

    Parameters
    ----------
    des, cols, ranges
        The design (or its :class:`Objective`), its feature columns and their WOE ranges
        (for the separation check).
    beta0
        Start (default: the intercept-only model).
    tol, max_iter
        Converged when no coefficient moves by more than ``tol`` relative to
        ``1 + |b|``; at most ``max_iter`` iterations.
    reused_hessian
        An information matrix near the solution (a selection's current model:
        :attr:`Tuning.reuse_hessian`).  It is kept across iterations and recomputed only
        when the steps stop shrinking fast (to a tenth of the previous one or less):
        linear convergence at a small rate instead of quadratic, with iterations that
        cost a gradient instead of a Hessian.
    need_cov
        Evaluate the information matrix at the solution at the end (else a reused one
        may be returned, ``exact=False``: enough for the log-likelihood).
    ll_tol
        Also stop when the predicted gain of the next step (half the Newton decrement
        ``grad' H^-1 grad``) is below it (:attr:`Tuning.coarse_ll_tol`).
    chunk
        Row block of the Hessian (:func:`weighted_gram`, :attr:`Tuning.gram_chunk`).
    l2
        Ridge penalty: maximize ``llf - l2 / 2 * ||b_1..b_k||^2`` (never the intercept),
        with the penalized gradient and information matrix (:class:`_Penalized`); the
        returned ``hess`` and ``cov`` are the penalized ones, ``llf`` the unpenalized
        log-likelihood at the solution.  A ``reused_hessian`` must then be a penalized
        one (no caller passes both: selections fit unpenalized).
    lazy_hessian
        Keep the Hessian while the steps contract fast, as with a ``reused_hessian``
        (:attr:`Tuning.lazy_hessian`), starting from a fresh one; at convergence the
        Hessian is evaluated at the solution and one more Newton step taken with it, so
        the solution is as accurate as with a new Hessian every iteration.
    """
    obj: Objective = _Rows(des) if isinstance(des, Design) else des
    if l2 > 0.0:
        obj = _Penalized(obj, l2)
    k1 = obj.k1
    beta: FloatArray
    if beta0 is None:
        beta = np.zeros(k1)
        p0 = obj.bad_share()
        beta[0] = math.log(p0 / (1.0 - p0))
    else:
        beta = np.array(beta0, dtype=np.float64)
    reuse = reused_hessian is not None or lazy_hessian
    ll, state = obj.at(beta)
    hess: FloatArray | None = (
        None if reused_hessian is None else np.array(reused_hessian, dtype=np.float64)
    )
    fresh = False  # hess evaluated at the current beta
    last: FloatArray = np.zeros(k1)
    prev_size = math.inf
    gap = math.inf
    status = "maxiter"
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 (it is used after the loop)
        grad = obj.grad(state)
        if hess is None:
            hess = obj.hess(state, chunk)
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
            nll, nstate = obj.at(nb)
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
        beta, ll, state = nb, nll, nstate
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
        hess = obj.hess(state, chunk)
        exact = True
        if lazy_hessian:  # the reused Hessians converge linearly: one Newton step more
            grad = obj.grad(state)
            try:
                step = np.asarray(np.linalg.solve(hess, grad), dtype=np.float64)
            except np.linalg.LinAlgError:
                step = np.full(k1, np.nan)
            if np.all(np.isfinite(step)):
                nb = beta + step
                nll, nstate = obj.at(nb)
                if nll >= ll - 1e-12 * max(1.0, abs(ll)):
                    beta, ll, state, last = nb, nll, nstate, step
                    gap = max(0.5 * float(grad @ step), 0.0)
                    it += 1
    if hess is None:
        hess = obj.hess(state, chunk)
    cov: FloatArray
    try:
        cov = np.asarray(np.linalg.inv(hess), dtype=np.float64)
        cov = (cov + cov.T) / 2.0
    except np.linalg.LinAlgError:
        cov = np.full((k1, k1), np.inf)
        status = "singular"
    if isinstance(obj, _Penalized):
        ll = float(state[2])  # the log-likelihood itself, not the penalized objective
    return Fit(cols, beta, hess, cov, ll, it, status, last, exact, gap)


def fit_problem(data: Data, fit: Fit) -> str | None:
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
            v = vif(data, cols) if len(cols) > 1 else np.ones(len(cols))
            parts = [
                f"{names[i]!r} (coefficient {fmt(float(coef[i]))}, a log-odds change of "
                f"{fmt(float(spans[i]))} across its WOE range "
                f"[{fmt(float(data.lo[cols[i]]))}, {fmt(float(data.hi[cols[i]]))}], "
                f"VIF {fmt(float(v[i]))})"
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
            f"{fmt(float(fit.last_step[i]))}: check the features for near-separation"
        )
    return None


def fit_statsmodels(des: Design, cols: tuple[int, ...], max_iter: int) -> Fit:
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
            return Fit(
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
    return Fit(cols, beta, hess, cov, float(res.llf), n_iter, status, np.zeros(k1), True, 0.0)


def fit_checked(
    designs: Designs,
    cols: tuple[int, ...],
    *,
    engine: str = "numpy",
    start: FloatArray | None = None,
    tol: float = TOL,
    max_iter: int = MAX_ITER,
    l2: float = 0.0,
) -> Fit:
    """Fit ``cols`` or raise FitError naming the features (design checked beforehand);
    ``l2 > 0`` penalizes the coefficients (:func:`newton`; numpy engine only)."""
    data = designs.data
    des = designs.design(cols)
    if engine == "statsmodels" and l2 > 0.0:
        raise SpecificationError(
            f"engine: 'statsmodels' fits without a penalty, found l2={l2!r}: use 'numpy'"
        )
    if engine == "statsmodels":
        if not isinstance(des, Design):
            raise SpecificationError(
                "engine: 'statsmodels' fits rows held as a WOE matrix; use 'numpy' for counts"
            )
        fit = fit_statsmodels(des, cols, max_iter)
    else:
        warm = designs.tuning.warm_rows
        lazy = designs.tuning.lazy_hessian
        if start is None and warm is not None and isinstance(des, Design) and des.gid is None:
            start = _warm_start(des, cols, data.ranges[list(cols)], warm, designs.tuning, l2)
        fit = newton(
            des,
            cols,
            data.ranges[list(cols)],
            start,
            tol=tol,
            max_iter=max_iter,
            chunk=designs.tuning.gram_chunk,
            l2=l2,
            lazy_hessian=lazy is not None and len(cols) + 1 >= lazy,
        )
    problem = fit_problem(data, fit)
    if problem:
        raise FitError(problem)
    return fit


def _warm_start(
    des: Design,
    cols: tuple[int, ...],
    ranges: FloatArray,
    warm_rows: int,
    tuning: Tuning,
    l2: float,
) -> FloatArray | None:
    """The coefficients fitted on every ``s``-th row of a raw design of many rows, or None
    when it has too few rows for that, or that fit fails (:attr:`Tuning.warm_rows`)."""
    n, k1 = des.D.shape
    rows = max(warm_rows, 1000 * k1)
    if k1 < 2 or n < 5 * rows:
        return None
    every = slice(None, None, n // rows)
    small = Design(
        np.asfortranarray(des.D[every]), des.wb[every], des.wt[every], des.wg[every], None
    )
    total = float(small.wt.sum())
    if not 0.0 < float(small.wb.sum()) < total:
        return None  # one class only among these rows
    fit = newton(
        small,
        cols,
        ranges,
        tol=WARM_TOL,
        max_iter=20,
        need_cov=False,
        chunk=tuning.gram_chunk,
        l2=l2 * total / float(des.wt.sum()),  # the same penalty per unit of weight
    )
    if fit.status != "converged" or not np.all(np.isfinite(fit.beta)):
        return None
    return fit.beta
