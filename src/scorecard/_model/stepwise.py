"""Stepwise selection of WOE features for the logistic model: :func:`select_stepwise`.

The model and its sign convention are stated in :mod:`scorecard._model.logit`; the fits
are those of :mod:`scorecard._model.newton`; the record of a search is a
:class:`~scorecard._model.selection_path.SelectionPath`.

:func:`select_stepwise` runs forward, backward or stepwise searches by p-value (Rao
score test to enter and Wald test to remove by default, as SAS PROC LOGISTIC; or Wald
or likelihood-ratio tests) or by AIC/BIC from the true weighted likelihood, with
forced features and gates on the coefficient sign and significance.

Per step, one information matrix of all columns at the current fit gives the model's
covariance and every candidate's score test and one-step Newton start.  BLAS runs
single-threaded during fits (when ``threadpoolctl`` is installed): the products are tall
and thin, and a second thread under contention made searches several times slower.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import pandas as pd

from scorecard._core.types import FloatArray
from scorecard._model.logit import LogitResult, build_result, warn_wrong_sign
from scorecard._model.newton import (
    SCREEN_LL_TOL,
    SCREEN_TOL,
    TUNING,
    Data,
    Designs,
    Fit,
    Tuning,
    chi2_1_p,
    design_problem,
    fit_checked,
    fit_problem,
    fmt,
    newton,
    norm_p,
    prepare,
    signed,
    single_thread_blas,
)
from scorecard._model.selection_path import (
    CRITERIA,
    METHODS,
    TESTS,
    Criterion,
    FeatureOutcome,
    Method,
    SelectionPath,
    SelectionStep,
    Test,
)
from scorecard.exceptions import FitError, SpecificationError

__all__ = ["select_stepwise"]

#: A coarse trial fit is refined when its log-likelihood, plus this many times its
#: accuracy, could still reach the leader's.
_SAFETY = 10.0


class _RejectedError(Exception):
    """A trial fit failed (separation, no convergence): the candidate is rejected."""


class _Selector:
    """The search state of :func:`select_stepwise` (internal, mutable while it runs)."""

    def __init__(
        self,
        data: Data,
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
        tuning: Tuning,
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
        self.tuning = tuning
        self.designs = Designs(data, tuning)
        # Tuning.coarse_ll_tol: trial fits that only rank candidates by likelihood stop at
        # this accuracy and best_of refines those that could still win (without it, AIC
        # searches ran 28-38 % longer)
        self.rank_ll_tol = SCREEN_LL_TOL if tuning.coarse_ll_tol is None else tuning.coarse_ll_tol
        self.penalty = 2.0 if criterion == "aic" else math.log(data.nobs)
        self.steps: list[SelectionStep] = []
        self.step = 0
        self.visited: set[frozenset[int]] = set()
        self.excluded: set[int] = set()
        self.last_value: dict[int, float] = {}
        self.cache: dict[frozenset[int], Fit] = {}
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

    def crit(self, fit: Fit) -> float:
        return -2.0 * fit.llf + self.penalty * len(fit.beta)

    def fit(
        self,
        cols: tuple[int, ...],
        start: FloatArray | None,
        *,
        strict: bool,
        reused_hessian: FloatArray | None = None,
        need_cov: bool = True,
        ll_tol: float = SCREEN_LL_TOL,
    ) -> Fit:
        """Fit ``cols`` (cached by feature set).

        A failure raises FitError if ``strict``, else _RejectedError.  With
        ``need_cov=False`` the information matrix may be a reused one (``exact=False``):
        enough for the log-likelihood, not for standard errors.
        """
        key = frozenset(cols)
        cached = self.cache.get(key)
        if cached is not None and cached.cols != cols:
            cached = cached.reordered(cols)
        if cached is not None and (cached.exact or not need_cov) and cached.gap <= ll_tol:
            return cached
        if cached is not None:  # refine: more accuracy or the exact information
            start, reused_hessian = cached.beta, cached.hess
        fit = newton(
            self.designs.design(cols),
            cols,
            self.data.ranges[list(cols)],
            start,
            tol=SCREEN_TOL,
            # Tuning.reuse_hessian: iterate on the current model's information (without it,
            # a plain Newton fit from the same start, AIC searches ran 16-80 % longer)
            reused_hessian=reused_hessian if self.tuning.reuse_hessian else None,
            need_cov=need_cov,
            ll_tol=ll_tol,
            chunk=self.tuning.gram_chunk,
        )
        problem = fit_problem(self.data, fit)
        if problem:
            if strict:
                raise FitError(problem)
            raise _RejectedError(problem)
        self.cache[key] = fit
        return fit

    def wald(self, fit: Fit) -> tuple[FloatArray, FloatArray]:
        """Coefficients and Wald p-values of the features of ``fit``."""
        se = np.sqrt(np.diag(fit.cov))[1:]
        b = fit.beta[1:]
        p = np.array([norm_p(float(z)) for z in b / se])
        return b, p

    def gate(self, fit: Fit, candidate: int | None) -> str | None:
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
                    return f"coefficient {signed(float(b[i]))} has the wrong sign (positive)"
                return (
                    f"entering it turns the coefficient of {self.name(j)!r} to "
                    f"{signed(float(b[i]))} (wrong sign)"
                )
        if self.max_pvalue is not None:
            high = [i for i in free if p[i] > self.max_pvalue]
            if high:
                i = max(high, key=lambda i: p[i])
                j = fit.cols[i]
                if candidate is None or j == candidate:
                    return f"p-value {fmt(float(p[i]))} > max_pvalue {fmt(self.max_pvalue)}"
                return (
                    f"entering it raises the p-value of {self.name(j)!r} to "
                    f"{fmt(float(p[i]))} > max_pvalue {fmt(self.max_pvalue)}"
                )
        return None

    def exactify(self, fit: Fit) -> Fit:
        """Evaluate the information of all columns at ``fit``; its block is the exact Hessian.

        Keeps the matrix (and the score vector) for the score tests of the next entry.
        """
        data = self.data
        cols = list(fit.cols)
        bfull = np.zeros(len(data.names))
        bfull[cols] = fit.beta[1:]
        info, U = data.information(float(fit.beta[0]), bfull, self.tuning.gram_chunk)
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
        self, fit: Fit, cands: list[int]
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
        pval = np.array([chi2_1_p(float(x)) if o else 1.0 for x, o in zip(stat, ok, strict=True)])
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

    def drop_start(self, fit: Fit, pos: int) -> tuple[FloatArray, FloatArray]:
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
        self, fit: Fit, pos: int, *, need_cov: bool, ll_tol: float = SCREEN_LL_TOL
    ) -> Fit:
        sub = tuple(j for q, j in enumerate(fit.cols) if q != pos)
        start, reused_hessian = self.drop_start(fit, pos)
        return self.fit(
            sub,
            start,
            strict=False,
            reused_hessian=reused_hessian,
            need_cov=need_cov,
            ll_tol=ll_tol,
        )

    def best_of(self, fits: dict[int, Fit], keys: set[int]) -> tuple[int | None, dict[int, str]]:
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
                    fits[i] = self.fit(
                        f.cols, f.beta, strict=False, reused_hessian=f.hess, need_cov=False
                    )
                except _RejectedError as exc:
                    failed[i] = str(exc)
                    left.discard(i)
        return None, failed

    # -- phases --------------------------------------------------------------------------

    def entry(self, fit: Fit) -> Fit | None:
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
        trial: dict[int, Fit] = {}
        values: dict[int, float] = {}
        wald = self.criterion == "pvalue" and self.test == "wald"
        likelihood = self.criterion != "pvalue" or self.test == "lr"

        def value(f: Fit) -> float:
            if wald:
                return float(self.wald(f)[1][-1])
            if self.criterion == "pvalue":
                return chi2_1_p(2.0 * (f.llf - fit.llf))
            return self.crit(f)

        def reject(j: int, value: float, why: str) -> None:
            self.step += 1
            self.excluded.add(j)
            self.record("reject", j, value, f"rejected: {why}")

        if self.criterion == "pvalue" and self.test == "score":
            values = {j: float(p) for j, p in zip(cands, pscore, strict=True)}
        else:
            tol = self.rank_ll_tol if likelihood else SCREEN_LL_TOL
            for j in cands:
                try:
                    trial[j] = self.fit(
                        (*cols, j),
                        start_of[j],
                        strict=False,
                        reused_hessian=hess_of[j],
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
                    reused_hessian=trial[j].hess if j in trial else hess_of[j],
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
                reason = f"entered: lowest {what} {fmt(values[j])} < p_enter {fmt(self.p_enter)}"
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
                    f"{fmt(self.p_enter)} (best {self.name(best)!r}: {fmt(values[best])})"
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

    def removal(self, fit: Fit) -> tuple[int, float, str] | None:
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
                why = f"removed: coefficient {signed(float(b[i]))} has the wrong sign (positive)"
                return i, float(p[i]), why
        if self.max_pvalue is not None:
            high = [i for i in free if p[i] > self.max_pvalue]
            if high:
                i = max(high, key=lambda i: (p[i], -i))
                mp = fmt(self.max_pvalue)
                return i, float(p[i]), f"removed: p-value {fmt(float(p[i]))} > max_pvalue {mp}"
        too_many = self.max_features is not None and len(cols) > self.max_features
        if self.criterion == "pvalue" and self.test != "lr":
            i = max(free, key=lambda i: (p[i], -i))
            pv = float(p[i])
            if pv > self.p_remove:
                why = f"removed: highest Wald p-value {fmt(pv)} > p_remove {fmt(self.p_remove)}"
                return i, pv, why
            if too_many:
                reason = (
                    f"removed: {len(cols)} features > max_features {self.max_features}; "
                    f"highest Wald p-value {fmt(pv)}"
                )
                return i, pv, reason
            return None
        # likelihood criteria: refit without each feature; the best removal, exactly
        refits: dict[int, Fit] = {}
        for i in free:
            try:
                refits[i] = self.refit_without(fit, i, need_cov=False, ll_tol=self.rank_ll_tol)
            except _RejectedError:
                continue
        best, _ = self.best_of(refits, set(refits))
        if best is None:
            return None
        i, f = best, refits[best]
        if self.criterion == "pvalue":
            pv = chi2_1_p(2.0 * (fit.llf - f.llf))
            if pv > self.p_remove:
                why = f"removed: highest LR-test p-value {fmt(pv)} > p_remove {fmt(self.p_remove)}"
                return i, pv, why
            if too_many:
                reason = (
                    f"removed: {len(cols)} features > max_features {self.max_features}; "
                    f"highest LR-test p-value {fmt(pv)}"
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

    def remove_phase(self, fit: Fit) -> Fit:
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
    tuning = TUNING if group_rows else attrs.evolve(TUNING, group_rows=False)
    return _select_stepwise(
        X,
        y,
        method=method,
        criterion=criterion,
        test=test,
        sample_weight=sample_weight,
        features=features,
        p_enter=p_enter,
        p_remove=p_remove,
        force=force,
        max_features=max_features,
        sign_gate=sign_gate,
        max_pvalue=max_pvalue,
        tuning=tuning,
    )


def _select_stepwise(
    X: pd.DataFrame,
    y: Any,
    *,
    method: Method,
    criterion: Criterion,
    test: Test,
    sample_weight: Any,
    features: Sequence[str] | None,
    p_enter: float,
    p_remove: float,
    force: Sequence[str],
    max_features: int | None,
    sign_gate: bool,
    max_pvalue: float | None,
    tuning: Tuning,
) -> SelectionPath:
    """:func:`select_stepwise` with the speed switches given explicitly (tests, benchmarks)."""
    _check_options(method, criterion, test, p_enter, p_remove, max_pvalue, force, sign_gate)
    with single_thread_blas(tuning):
        data = prepare(X, y, sample_weight, features)
        return _search(
            data,
            method=method,
            criterion=criterion,
            test=test,
            p_enter=p_enter,
            p_remove=p_remove,
            force=tuple(force),
            max_features=max_features,
            sign_gate=sign_gate,
            max_pvalue=max_pvalue,
            tuning=tuning,
            stacklevel=5,  # the caller of select_stepwise
        )


def select_stepwise_data(
    data: Data,
    *,
    method: Method,
    criterion: Criterion,
    test: Test = "score",
    p_enter: float,
    p_remove: float,
    force: Sequence[str],
    max_features: int | None = None,
    sign_gate: bool = True,
    max_pvalue: float | None = None,
    tuning: Tuning = TUNING,
) -> SelectionPath:
    """:func:`select_stepwise` on prepared rows, e.g. bin indices and their good/bad counts
    (:class:`scorecard._model.counts.CountData`): every candidate of ``data``."""
    _check_options(method, criterion, test, p_enter, p_remove, max_pvalue, force, sign_gate)
    with single_thread_blas(tuning):
        return _search(
            data,
            method=method,
            criterion=criterion,
            test=test,
            p_enter=p_enter,
            p_remove=p_remove,
            force=tuple(force),
            max_features=max_features,
            sign_gate=sign_gate,
            max_pvalue=max_pvalue,
            tuning=tuning,
            stacklevel=4,  # the caller of select_stepwise_data
        )


def _check_options(
    method: str,
    criterion: str,
    test: str,
    p_enter: float,
    p_remove: float,
    max_pvalue: float | None,
    force: Sequence[str],
    sign_gate: bool,
) -> None:
    if method not in METHODS:
        raise SpecificationError(f"select_stepwise: expected method in {METHODS}, found {method!r}")
    if criterion not in CRITERIA:
        raise SpecificationError(
            f"select_stepwise: expected criterion in {CRITERIA}, found {criterion!r}"
        )
    if test not in TESTS:
        raise SpecificationError(f"select_stepwise: expected test in {TESTS}, found {test!r}")
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
    if not isinstance(sign_gate, bool | np.bool_):
        raise SpecificationError(
            f"select_stepwise: expected sign_gate to be True or False, found {sign_gate!r}"
        )


def _search(
    data: Data,
    *,
    method: str,
    criterion: str,
    test: str,
    p_enter: float,
    p_remove: float,
    force: tuple[str, ...],
    max_features: int | None,
    sign_gate: bool,
    max_pvalue: float | None,
    tuning: Tuning,
    stacklevel: int,
) -> SelectionPath:
    """The search of :func:`select_stepwise` on validated rows and options (a wrong sign
    warns ``stacklevel`` frames up from here)."""
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
        sign_gate=bool(sign_gate),
        max_features=max_features,
        forced=forced_idx,
        tuning=tuning,
    )
    # screening (step 0): forced first, then the others in column order
    order = [*forced_idx, *[j for j in range(len(data.names)) if j not in forced_idx]]
    pool: list[int] = []
    for j in order:
        problem = design_problem(data, (*pool, j))
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
    final = fit_checked(sel.designs, final_cols, start=fit.reordered(final_cols).beta)
    result = build_result(data, final, "numpy")
    warn_wrong_sign(result, stacklevel=stacklevel)
    outcomes = _outcomes(sel, set(final_cols), result)
    return SelectionPath(
        method=method,
        criterion=criterion,
        test=test,
        p_enter=p_enter,
        p_remove=p_remove,
        max_pvalue=max_pvalue,
        sign_gate=bool(sign_gate),
        max_features=max_features,
        force=tuple(data.names[j] for j in forced_idx),
        candidates=data.names,
        steps=tuple(sel.steps),
        outcomes=outcomes,
        features=result.features,
        result=result,
    )


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
                why += f" (its coefficient {signed(b)} has the wrong sign: review it)"
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
                    f"not entered: {sel.test}-test p-value {fmt(v)} at the last step "
                    f"(p_enter {fmt(sel.p_enter)})"
                )
            else:
                why = f"not entered: {sel.criterion.upper()} {v:.4f} at the last step"
            out.append(FeatureOutcome(name, "not entered", stop_step, why))
    return tuple(out)
