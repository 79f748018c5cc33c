"""Logistic regression of the bad flag on WOE features: :func:`fit_logit` and its result.

The model (stated once here, tested in ``tests/test_logit.py``)
--------------------------------------------------------------
``ln(P(bad) / P(good)) = b0 + sum_j b_j * WOE_j`` with target 1 = bad.  Because
``WOE = ln(%good / %bad)`` is positive for safer-than-average bins, a sensible
coefficient is **negative** (typically close to -1 for a feature on its own); a
positive coefficient is flagged (:class:`~scorecard.exceptions.FitWarning`,
:attr:`LogitResult.wrong_sign`) and refused by the sign gate of
:func:`~scorecard._model.stepwise.select_stepwise`.

Estimation is maximum likelihood with frequency weights (BIC uses ``n = sum of weights``),
or, with ``l2 > 0``, penalized maximum likelihood (ridge, see :func:`fit_logit`):

* ``engine="numpy"`` (default): Newton-Raphson on the rows, or on the unique WOE rows
  with summed weights when that pays (:mod:`scorecard._model.newton`);
* ``engine="statsmodels"``: statsmodels ``GLM(Binomial, freq_weights=...)``, the
  reference; the tests check that both engines agree.

Problems raise :class:`~scorecard.exceptions.FitError` naming the features: a constant
column, exactly collinear columns, perfect or quasi-perfect separation and
non-convergence.  Feature selection is in :mod:`scorecard._model.stepwise`.
"""

from __future__ import annotations

import html
import math
import statistics
import warnings
from collections.abc import Sequence
from typing import Any, Literal

import attrs
import numpy as np
import pandas as pd

from scorecard._core import artifact as _json
from scorecard._core.fields import (
    boolean,
    fail,
    integer,
    number,
    one_of,
    to_integer,
    to_number,
)
from scorecard._core.validation import check_columns, check_frame
from scorecard._model.newton import (
    INTERCEPT,
    MAX_ITER,
    TUNING,
    Data,
    Designs,
    Fit,
    Tuning,
    design_problem,
    expit,
    fit_checked,
    norm_p,
    prepare,
    signed,
    single_thread_blas,
    vif,
)
from scorecard.exceptions import DataError, FitError, FitWarning, SpecificationError

__all__ = ["INTERCEPT", "LogitResult", "LogitSummary", "fit_logit"]

SCHEMA_VERSION = 1

Engine = Literal["numpy", "statsmodels"]
ENGINES = ("numpy", "statsmodels")


# --------------------------------------------------------------------------------------
# field converters and validators
# --------------------------------------------------------------------------------------


def to_tuple(value: Any) -> Any:
    """A list, tuple or array as a tuple; anything else unchanged (for the validator)."""
    if isinstance(value, list | tuple | np.ndarray):
        return tuple(value)
    return value


def _to_numbers(value: Any) -> Any:
    if isinstance(value, np.ndarray) and value.ndim == 1 and value.dtype.kind == "f":
        return tuple(value.astype(np.float64).tolist())  # Python floats, in one C loop
    if isinstance(value, list | tuple | np.ndarray):
        return tuple(to_number(v) for v in value)
    return value


def _to_matrix(value: Any) -> Any:
    if isinstance(value, np.ndarray) and value.ndim == 2 and value.dtype.kind == "f":
        # a fit's covariance matrix (p + 1 squared numbers): rows of Python floats at once
        return tuple(tuple(row) for row in value.astype(np.float64).tolist())
    if isinstance(value, list | tuple | np.ndarray):
        return tuple(_to_numbers(row) for row in value)
    return value


def _is_finite_numbers(value: Any) -> bool:
    return isinstance(value, tuple) and all(
        isinstance(v, float) and math.isfinite(v) for v in value
    )


def _finite_numbers(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not _is_finite_numbers(value):
        fail(instance, attribute, "a sequence of finite numbers", value)


def _finite_matrix(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not (isinstance(value, tuple) and all(_is_finite_numbers(row) for row in value)):
        fail(instance, attribute, "a matrix of finite numbers", value)


def strings(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A tuple of distinct non-empty strings (after :func:`to_tuple`)."""
    if not (
        isinstance(value, tuple)
        and all(isinstance(v, str) and v for v in value)
        and len(set(value)) == len(value)
    ):
        fail(instance, attribute, "a sequence of distinct non-empty strings", value)


def _feature_names(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    strings(instance, attribute, value)
    if INTERCEPT in value:
        fail(instance, attribute, f"distinct names other than {INTERCEPT!r}", value)


# --------------------------------------------------------------------------------------
# LogitResult
# --------------------------------------------------------------------------------------


@attrs.frozen
class LogitResult(_json.JsonArtifact):
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
        Variance inflation factor per feature (weighted, centered design).
    llf, llnull : float
        Log-likelihood of the model and of the intercept-only model.
    nobs : float
        Sum of the weights (the number of rows when unweighted).
    n_rows : int
        Number of rows of positive weight.
    n_bads : float
        Weighted number of bads.
    converged : bool
        Whether the optimizer converged.
    n_iter : int
        Iterations used.
    weighted : bool
        Whether sample weights were given.
    engine : {"numpy", "statsmodels"}
        Which optimizer produced the fit.
    l2 : float
        The ridge penalty of the fit (0: maximum likelihood).  With ``l2 > 0``,
        ``coef`` maximizes ``llf - l2 / 2 * ||b_1..b_k||^2`` and ``cov`` is the inverse
        of the penalized information matrix, so standard errors, z, p-values and
        intervals are approximate (they ignore the shrinkage bias); ``llf``, AIC and BIC
        are those of the likelihood at ``coef``, with ``k + 1`` nominal parameters.

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

    _KIND = "logit_result"
    _SCHEMA_VERSION = SCHEMA_VERSION

    features: tuple[str, ...] = attrs.field(converter=to_tuple, validator=_feature_names)
    _coef: tuple[float, ...] = attrs.field(
        converter=_to_numbers, validator=_finite_numbers, alias="coef"
    )
    _cov: tuple[tuple[float, ...], ...] = attrs.field(
        converter=_to_matrix, validator=_finite_matrix, alias="cov"
    )
    _vif: tuple[float, ...] = attrs.field(
        converter=_to_numbers, validator=_finite_numbers, alias="vif"
    )
    llf: float = attrs.field(converter=to_number, validator=number())
    llnull: float = attrs.field(converter=to_number, validator=number())
    nobs: float = attrs.field(converter=to_number, validator=number(gt=0))
    n_rows: int = attrs.field(converter=to_integer, validator=integer(ge=1))
    n_bads: float = attrs.field(converter=to_number, validator=number(gt=0))
    converged: bool = attrs.field(default=True, validator=boolean)
    n_iter: int = attrs.field(default=0, converter=to_integer, validator=integer(ge=0))
    weighted: bool = attrs.field(default=False, validator=boolean)
    engine: str = attrs.field(default="numpy", validator=one_of(ENGINES))
    l2: float = attrs.field(default=0.0, converter=to_number, validator=number(ge=0))

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
        if not self.n_bads < self.nobs:
            raise SpecificationError(
                f"LogitResult.n_bads: expected fewer than nobs = {self.nobs!r} (weighted) bads, "
                f"found {self.n_bads!r}"
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
        """Standard errors of the coefficients (approximate for a penalized fit: from the
        inverse of the penalized information matrix, see :attr:`l2`)."""
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
        return pd.Series([norm_p(v) for v in z], index=z.index, name="p_value", dtype=np.float64)

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
        return pd.Series(expit(eta.to_numpy()), index=eta.index, name="pd", dtype=np.float64)

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
        """Plain-JSON form (floats exactly, non-finite ones as strings).

        ``l2`` is written only for a penalized fit: an unpenalized fit writes what it
        always wrote, and a version that does not know the penalty refuses a penalized
        fit ("unexpected field") instead of reading its standard errors as exact.
        """
        out = {
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
        if self.l2 != 0.0:
            out["l2"] = _json.enc_float(self.l2)
        return out

    @classmethod
    def from_dict(cls, d: Any) -> LogitResult:
        """Inverse of :meth:`to_dict`; a malformed or inconsistent body raises SchemaError.

        Besides the checks of the class (distinct feature names, one coefficient per
        feature plus the intercept, a square covariance matrix of that size, one VIF per
        feature, finite numbers, ``0 < n_bads < nobs``), the figures must agree:
        ``llnull`` is the intercept-only log-likelihood of ``nobs`` and ``n_bads`` (to
        1e-9), ``llf <= 0``, the covariance matrix is symmetric with a positive diagonal,
        every VIF is >= 1, and without weights ``nobs`` equals ``n_rows`` and ``n_bads``
        is a whole number.
        """
        o = _json.Obj(d)
        fields = {
            "features": tuple(o.strings("features")),
            "coef": o.numbers("coef", nonfinite=True),
            "cov": [
                _json.items(row, lambda v, *p: _json.number(v, *p, nonfinite=True), "cov", i)
                for i, row in enumerate(o.array("cov"))
            ],
            "vif": o.numbers("vif", nonfinite=True),
            "llf": o.number("llf", nonfinite=True),
            "llnull": o.number("llnull", nonfinite=True),
            "nobs": o.number("nobs", nonfinite=True),
            "n_rows": o.raw("n_rows"),
            "n_bads": o.number("n_bads", nonfinite=True),
            "converged": o.raw("converged"),
            "n_iter": o.raw("n_iter"),
            "weighted": o.raw("weighted"),
            "engine": o.raw("engine"),
            "l2": o.number("l2") if "l2" in o.raw_mapping() else 0.0,
        }
        with _json.within():
            result = cls(**fields)
        _check_figures(result)
        return result


def _check_figures(r: LogitResult) -> None:
    """The meaning checks of a loaded :class:`LogitResult` (see its ``from_dict``)."""
    for field in ("n_rows", "n_iter"):
        value = getattr(r, field)
        _json.check(value <= _json.MAX_INT, (field,), f"expected at most 2**53, found {value}")
    p = r.n_bads / r.nobs
    try:
        llnull = r.n_bads * math.log(p) + (r.nobs - r.n_bads) * math.log1p(-p)
    except ValueError:  # the bad rate rounds to 0 or 1: no intercept-only model
        llnull = math.nan
    _json.check(
        math.isclose(r.llnull, llnull, rel_tol=_json.REL_TOL, abs_tol=_json.ABS_TOL),
        ("llnull",),
        f"the file has {r.llnull!r}, but the intercept-only log-likelihood of nobs "
        f"{r.nobs!r} with n_bads {r.n_bads!r} is {llnull!r}",
    )
    _json.check(r.llf <= 0.0, ("llf",), f"expected a log-likelihood <= 0, found {r.llf!r}")
    if not r.weighted:
        _json.check(
            r.nobs == r.n_rows,
            ("nobs",),
            f"expected nobs = n_rows = {r.n_rows} without weights, found {r.nobs!r}",
        )
        _json.check(
            r.n_bads.is_integer(),
            ("n_bads",),
            f"expected a whole number of bads without weights, found {r.n_bads!r}",
        )
    cov = r._cov
    for i, row in enumerate(cov):
        _json.check(row[i] > 0.0, ("cov", i, i), f"expected a positive variance, found {row[i]!r}")
        for j in range(i):
            scale = math.sqrt(cov[i][i] * cov[j][j])
            _json.check(
                abs(row[j] - cov[j][i]) <= 1e-6 * scale,
                ("cov", i, j),
                f"expected a symmetric covariance matrix, found {row[j]!r} here and "
                f"{cov[j][i]!r} at cov[{j}][{i}]",
            )
    for i, v in enumerate(r._vif):
        _json.check(v >= 1.0 - 1e-6, ("vif", i), f"expected a VIF >= 1, found {v!r}")


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


def _logit_result(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, LogitResult):
        fail(instance, attribute, "a LogitResult", value)


@attrs.frozen
class LogitSummary:
    """Printable report of a :class:`LogitResult` (text via ``str``, HTML in notebooks).

    Returned by :meth:`LogitResult.summary`.  ``print(summary)`` gives the text form, a
    notebook renders the HTML form; :attr:`header` and :attr:`table` are its parts.

    Parameters
    ----------
    result : LogitResult
        The fit to report.
    alpha : float
        Significance level of the confidence intervals (default 0.05: 95 % intervals).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"age": rng.choice([-0.6, 0.1, 0.7], 2000),
    ...                   "income": rng.choice([-0.4, 0.5], 2000)})
    >>> eta = -1.5 - 1.0 * X["age"] - 0.8 * X["income"]
    >>> y = (rng.random(2000) < 1 / (1 + np.exp(-eta))).astype(int)
    >>> summary = fit_logit(X, y).summary(alpha=0.10)
    >>> summary.header["Rows"], summary.header["Converged"]
    ('2000', 'yes (5 iterations, numpy)')
    >>> list(summary.table.columns)
    ['coef', 'std_err', 'z', 'p_value', 'ci_0.05', 'ci_0.95', 'vif', 'sign']
    >>> print(str(summary).splitlines()[0])
    Logistic regression of the bad flag on WOE
    """

    result: LogitResult = attrs.field(validator=_logit_result)
    alpha: float = attrs.field(default=0.05, converter=to_number, validator=number(gt=0, lt=1))

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
        if r.l2 > 0.0:
            out["L2 penalty"] = f"{r.l2:g} (approximate std err and p-values)"
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


def build_result(data: Data, fit: Fit, engine: str, l2: float = 0.0) -> LogitResult:
    """The :class:`LogitResult` of a fit of ``data`` (penalized by ``l2``)."""
    cols = fit.cols
    return LogitResult(
        features=tuple(data.names[j] for j in cols),
        coef=fit.beta,
        cov=fit.cov,
        vif=vif(data, cols),
        llf=fit.llf,
        llnull=data.llnull(),
        nobs=data.nobs,
        n_rows=data.rows,
        n_bads=data.n_bads,
        converged=fit.status == "converged",
        n_iter=fit.n_iter,
        weighted=data.weighted,
        engine=engine,
        l2=l2,
    )


def warn_wrong_sign(result: LogitResult, stacklevel: int) -> None:
    """Issue a :class:`FitWarning` naming the features with a positive coefficient."""
    if result.wrong_sign:
        p = result.params
        items = ", ".join(f"{f!r} ({signed(float(p[f]))})" for f in result.wrong_sign)
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
    l2: float = 0.0,
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
    l2 : float, default 0.0
        Ridge (L2) penalty on the WOE coefficients, never on the intercept: maximize
        ``llf - l2 / 2 * sum_j b_j^2``.  It is scikit-learn's scale: ``l2 = 1 / C`` of
        ``LogisticRegression(C=C)`` with the same ``sample_weight`` (so the penalty
        weighs less against more rows, or larger weights).  0 (default) is maximum
        likelihood.  A penalized fit needs ``engine="numpy"``; its standard errors and
        p-values come from the inverse of the penalized information matrix and are
        approximate (:attr:`LogitResult.l2`).

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
    SpecificationError
        An unknown engine, ``max_iter < 1``, ``l2`` not a finite number >= 0, or
        ``l2 > 0`` with ``engine="statsmodels"``.

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

    A ridge penalty shrinks the coefficients towards 0 (here a strong one, to show it):

    >>> fit_logit(X, y, l2=500.0).params.round(2).tolist()
    [-1.8, -0.34, -0.15]
    """
    tuning = TUNING if group_rows else attrs.evolve(TUNING, group_rows=False)
    return _fit_logit(
        X,
        y,
        sample_weight=sample_weight,
        features=features,
        engine=engine,
        max_iter=max_iter,
        tuning=tuning,
        l2=l2,
    )


def _fit_logit(
    X: pd.DataFrame,
    y: Any,
    *,
    sample_weight: Any,
    features: Sequence[str] | None,
    engine: Engine,
    max_iter: int,
    tuning: Tuning,
    l2: float = 0.0,
) -> LogitResult:
    """:func:`fit_logit` with the speed switches given explicitly (tests, benchmarks)."""
    if engine not in ENGINES:
        raise SpecificationError(f"fit_logit: expected engine in {ENGINES}, found {engine!r}")
    if isinstance(max_iter, bool) or not isinstance(max_iter, int) or max_iter < 1:
        raise SpecificationError(f"fit_logit: expected max_iter >= 1, found {max_iter!r}")
    l2 = check_l2(l2, "fit_logit")
    if l2 > 0.0 and engine == "statsmodels":
        raise SpecificationError(
            f"fit_logit: expected engine 'numpy' for a penalized fit (l2={l2!r}), found "
            "'statsmodels' (it fits without a penalty)"
        )
    with single_thread_blas(tuning):
        data = prepare(X, y, sample_weight, features)
        result = _fit_data(data, engine, max_iter, tuning, l2)
        warn_wrong_sign(result, stacklevel=4)
        return result


def fit_logit_data(
    data: Data, *, max_iter: int = MAX_ITER, tuning: Tuning = TUNING, l2: float = 0.0
) -> LogitResult:
    """:func:`fit_logit` on prepared rows, e.g. bin indices and their good/bad counts
    (:class:`scorecard._model.counts.CountData`): every column of ``data``."""
    l2 = check_l2(l2, "fit_logit")
    with single_thread_blas(tuning):
        result = _fit_data(data, "numpy", max_iter, tuning, l2)
        warn_wrong_sign(result, stacklevel=3)  # the caller of fit_logit_data
        return result


def check_l2(l2: Any, owner: str) -> float:
    """``l2`` as a float, or SpecificationError ``owner: expected ... l2 ...``."""
    ok = (
        isinstance(l2, int | float | np.integer | np.floating)
        and not isinstance(l2, bool | np.bool_)
        and math.isfinite(float(l2))
        and float(l2) >= 0.0
    )
    if not ok:
        raise SpecificationError(
            f"{owner}: expected l2 (the ridge penalty) to be a finite number >= 0, found {l2!r}"
        )
    return float(l2)


def _fit_data(
    data: Data, engine: Engine, max_iter: int, tuning: Tuning, l2: float = 0.0
) -> LogitResult:
    cols = tuple(range(len(data.names)))
    problem = design_problem(data, cols)
    if problem:
        raise FitError(problem[1])
    fit = fit_checked(Designs(data, tuning), cols, engine=engine, max_iter=max_iter, l2=l2)
    return build_result(data, fit, engine, l2)
