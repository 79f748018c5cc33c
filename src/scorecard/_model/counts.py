"""The logistic engine on counts: rows as bin indices with their good and bad counts.

WOE features are piecewise constant: a row's WOE vector is fixed by its bin indices, so the
log-likelihood ``sum_i [y_i eta_i - ln(1 + e^eta_i)]`` depends on the data only through the
numbers of bads and goods per combination of bin indices.  An engine computes that table
with one group-by where the data lives (:mod:`scorecard.engines`); :class:`CountData` holds
it for the logistic engine, which then fits, selects stepwise and checks the design by the
same code as for a frame (:mod:`scorecard._model.newton`, :mod:`scorecard._model.stepwise`):

* one row per combination: per feature its bin index (``int8`` or ``int16``) and the
  feature's WOE table; the good and bad counts are frequency weights (a combination seen
  five times is five rows), so the fit is the fit of the rows, and its
  :class:`~scorecard.LogitResult` reports the rows the combinations stand for
  (``n_rows``, unweighted);
* the rows are never held as one WOE matrix: a design whose rows group well (few distinct
  combinations of the model's features) is built from the indices, as the engine does for
  a frame; otherwise the likelihood, its gradient and its information matrix are summed
  over blocks of :data:`BLOCK` rows.  A fit holds the indices and counts (``P + 8`` bytes
  per combination for ``P`` features, with counts as ``uint32``) plus one block, however
  many combinations there are: with many features nearly every row of a large sample is
  its own combination.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import cast

import numpy as np
import numpy.typing as npt

from scorecard._core.stats import cov_to_corr
from scorecard._core.types import FloatArray, IntArray
from scorecard._model.newton import Data, _ll_mu, expit, weighted_gram
from scorecard.exceptions import DataError

__all__ = ["BLOCK", "CountData", "code_dtype", "count_dtype"]

#: Rows per block when a pass over the combinations builds their WOE values
BLOCK = 1 << 16


def count_dtype(rows: int) -> npt.DTypeLike:
    """The narrowest unsigned integer type for counts of rows up to ``rows``: ``uint32``
    up to 4,294,967,295 rows (8 bytes per combination for goods and bads, not 16)."""
    return np.uint32 if rows <= np.iinfo(np.uint32).max else np.uint64


def _counts(values: npt.ArrayLike) -> FloatArray:
    """Counts as given when they are unsigned integers (an engine's), else as floats.

    Typed as floats: every use reads them as numbers (sums, products with floats,
    ``bincount`` weights), where unsigned integers give the same results."""
    a = np.asarray(values)
    return cast(FloatArray, a if a.dtype.kind == "u" else a.astype(np.float64, copy=False))


def code_dtype(n_codes: int) -> npt.DTypeLike:
    """The smallest signed integer type for bin indices ``-1 .. n_codes - 1``."""
    return np.int8 if n_codes <= 127 else np.int16 if n_codes <= 32767 else np.int32


class CountData(Data):
    """Combinations of bin indices with their good and bad counts, as rows for the engine.

    Parameters
    ----------
    names : sequence of str
        The features (columns), in order.
    codes : sequence of int arrays
        Per feature, the bin index of each combination (``0 .. len(table) - 1``).
    tables : sequence of float arrays
        Per feature, the WOE of each bin index (a feature's ``woe_table`` without its
        entry for unseen categories).
    goods, bads : arrays
        Good and bad counts per combination: unsigned integers (kept as they are: an
        engine's counts, :func:`count_dtype`) or numbers (held as floats).

    Examples
    --------
    >>> import numpy as np
    >>> data = CountData(["x"], [np.array([0, 1], dtype=np.int8)], [np.array([0.5, -0.7])],
    ...                  goods=np.array([80.0, 40.0]), bads=np.array([5.0, 15.0]))
    >>> data.n, data.rows, data.nobs, data.n_bads
    (2, 140, 140.0, 20.0)
    """

    def __init__(
        self,
        names: Sequence[str],
        codes: Sequence[IntArray],
        tables: Sequence[FloatArray],
        *,
        goods: npt.ArrayLike,
        bads: npt.ArrayLike,
    ) -> None:
        # no WOE matrix (Data.X is not set): every access to the rows goes through the
        # methods below
        self.names = tuple(names)
        self.index = {c: j for j, c in enumerate(self.names)}
        goods, bads = _counts(goods), _counts(bads)
        if len(codes) != len(self.names) or len(tables) != len(self.names):
            raise DataError(
                f"counts: expected one index column and one WOE table per feature "
                f"({len(self.names)}), found {len(codes)} and {len(tables)}"
            )
        self.tables = [np.asarray(t, dtype=np.float64) for t in tables]
        self.bin_codes: list[IntArray] = []
        for name, c, t in zip(self.names, codes, self.tables, strict=True):
            c = np.asarray(c)
            if c.shape != goods.shape:
                raise DataError(
                    f"counts: expected {goods.size} bin indices of {name!r} (one per "
                    f"combination), found {c.size}"
                )
            if c.size and (int(c.min()) < 0 or int(c.max()) >= t.size):
                raise DataError(
                    f"counts: expected bin indices of {name!r} in 0..{t.size - 1}, found "
                    f"{int(c.min())}..{int(c.max())}"
                )
            self.bin_codes.append(c)
        if bads.shape != goods.shape or not (
            np.all(np.isfinite(goods)) and np.all(goods >= 0) and np.all(np.isfinite(bads))
        ):
            raise DataError("counts: expected finite good and bad counts >= 0 per combination")
        if np.any(bads < 0):
            raise DataError("counts: expected finite good and bad counts >= 0 per combination")
        self.wb = bads
        self.wg = goods
        self.weighted = False  # the counts are rows
        self.n = int(goods.size)
        self.n_bads = float(bads.sum())
        self.nobs = float(goods.sum()) + self.n_bads
        self.rows = round(self.nobs)
        if self.n_bads <= 0 or self.n_bads >= self.nobs:
            found = "bads" if self.n_bads > 0 else "goods"
            raise DataError(f"counts: expected both goods and bads, found only {found}")
        lo, hi = [], []
        for c, t in zip(self.bin_codes, self.tables, strict=True):
            present = np.zeros(t.size, dtype=bool)
            for a in range(0, c.size, 16 * BLOCK):  # in blocks: no copy of the indices
                present |= np.bincount(c[a : a + 16 * BLOCK], minlength=t.size) > 0
            values = t[present]
            if not np.all(np.isfinite(values)):
                raise DataError("counts: expected finite WOE values for every bin with rows")
            lo.append(float(values.min()))
            hi.append(float(values.max()))
        self.lo = np.asarray(lo, dtype=np.float64)
        self.hi = np.asarray(hi, dtype=np.float64)
        self.ranges = self.hi - self.lo
        self._codes = {}
        self._cov = None

    def subset(self, names: Sequence[str]) -> CountData:
        """The same combinations with only the features ``names`` (arrays shared)."""
        pos = [self.index[n] for n in names]
        out = CountData.__new__(CountData)
        out.__dict__.update(self.__dict__)
        out.names = tuple(names)
        out.index = {c: j for j, c in enumerate(out.names)}
        out.bin_codes = [self.bin_codes[j] for j in pos]
        out.tables = [self.tables[j] for j in pos]
        out.lo, out.hi, out.ranges = self.lo[pos], self.hi[pos], self.ranges[pos]
        out._codes = {}
        out._cov = None if self._cov is None else self._cov[np.ix_(pos, pos)]
        return out

    # ------------------------------------------------------------ the rows, read in blocks
    def block(
        self, a: int, b: int, cols: Sequence[int], out: FloatArray | None = None
    ) -> FloatArray:
        """The WOE values of combinations ``a:b`` in the columns ``cols`` (into ``out``)."""
        if out is None:
            out = np.empty((b - a, len(cols)), order="F")
        for k, j in enumerate(cols):
            np.take(self.tables[j], self.bin_codes[j][a:b], out=out[:, k])
        return out

    def blocks(self) -> range:
        """The first combination of each block."""
        return range(0, self.n, BLOCK)

    def codes(self, j: int) -> tuple[IntArray, int]:
        """The bin indices of column ``j`` and their number: a row's group is its bins."""
        return self.bin_codes[j], int(self.tables[j].size)

    def may_group(self, cols: Sequence[int], limit: int) -> bool:
        """The combinations are distinct in all the features: they group by ``cols`` into at
        most ``limit`` groups when the bins of ``cols`` have at most ``limit`` combinations
        (a test that costs nothing; beyond it, the likelihood is summed in blocks)."""
        return math.prod(int(self.tables[j].size) for j in cols) <= limit

    def take(self, rows: IntArray, cols: Sequence[int]) -> FloatArray:
        out = np.empty((rows.size, len(cols)))
        for k, j in enumerate(cols):
            out[:, k] = self.tables[j][self.bin_codes[j][rows]]
        return out

    def cov(self) -> FloatArray:
        """Weighted covariance matrix of the WOE columns (centered, in blocks)."""
        if self._cov is None:
            P = len(self.names)
            mean = np.empty(P)
            for j, (c, t) in enumerate(zip(self.bin_codes, self.tables, strict=True)):
                idx = c.astype(np.intp)
                w = np.bincount(idx, weights=self.wb, minlength=t.size)
                w += np.bincount(idx, weights=self.wg, minlength=t.size)
                mean[j] = float(w @ t) / self.nobs
            G = np.zeros((P, P))
            cols = range(P)
            for a in self.blocks():
                b = min(a + BLOCK, self.n)
                Z = self.block(a, b, cols) - mean
                G += (Z * (self.wb[a:b] + self.wg[a:b])[:, None]).T @ Z
            self._cov = (G + G.T) / (2.0 * self.nobs)
        return self._cov

    def correlation(self, names: Sequence[str]) -> tuple[FloatArray, set[str]]:
        """The WOE correlation matrix of ``names`` and those whose WOE is constant (for the
        pre-selection: :func:`scorecard._analyze.selection.select_by_correlation`)."""
        pos = [self.index[n] for n in names]
        R = cov_to_corr(self.cov()[np.ix_(pos, pos)])
        return R, {n for n, j in zip(names, pos, strict=True) if self.ranges[j] == 0}

    def information(
        self, b0: float, bfull: FloatArray, chunk: int | None
    ) -> tuple[FloatArray, FloatArray]:
        P = len(self.names)
        cols = range(P)
        info = np.zeros((P + 1, P + 1))
        U = np.zeros(P + 1)
        B = np.empty((min(BLOCK, max(self.n, 1)), P + 1), order="F")
        for a in self.blocks():
            b = min(a + BLOCK, self.n)
            D = B[: b - a]
            D[:, 0] = 1.0
            self.block(a, b, cols, out=D[:, 1:])
            mu = expit(D @ np.r_[b0, bfull])
            wb, wt = self.wb[a:b], self.wb[a:b] + self.wg[a:b]
            U += D.T @ (wb - wt * mu)
            info += weighted_gram(D, wt * mu * (1.0 - mu), chunk)
        return info, U

    def stream(self, cols: Sequence[int], chunk: int | None) -> _Blocks:
        return _Blocks(self, tuple(cols))


class _Blocks:
    """The likelihood of the columns ``cols`` of :class:`CountData`, summed over blocks
    (a :class:`~scorecard._model.newton.Objective`).

    ``at`` computes the log-likelihood and the gradient in one pass; ``hess`` makes one
    more pass.
    """

    def __init__(self, data: CountData, cols: tuple[int, ...]) -> None:
        self.data = data
        self.cols = cols
        self.k1 = len(cols) + 1
        self.buffer = np.empty((min(BLOCK, max(data.n, 1)), self.k1), order="F")

    def bad_share(self) -> float:
        return self.data.n_bads / self.data.nobs

    def _design(self, a: int, b: int) -> FloatArray:
        D = self.buffer[: b - a]
        D[:, 0] = 1.0
        self.data.block(a, b, self.cols, out=D[:, 1:])
        return D

    def at(self, beta: FloatArray) -> tuple[float, tuple[FloatArray, FloatArray]]:
        data = self.data
        ll = 0.0
        grad = np.zeros(self.k1)
        for a in data.blocks():
            b = min(a + BLOCK, data.n)
            D = self._design(a, b)
            wb, wt = data.wb[a:b], data.wb[a:b] + data.wg[a:b]
            part, mu = _ll_mu(D @ beta, wb, wt)
            ll += part
            grad += D.T @ (wb - wt * mu)
        return ll, (np.array(beta, dtype=np.float64), grad)

    def grad(self, state: tuple[FloatArray, FloatArray]) -> FloatArray:
        return state[1]

    def hess(self, state: tuple[FloatArray, FloatArray], chunk: int | None) -> FloatArray:
        data = self.data
        beta = state[0]
        out = np.zeros((self.k1, self.k1))
        for a in data.blocks():
            b = min(a + BLOCK, data.n)
            D = self._design(a, b)
            wt = data.wb[a:b] + data.wg[a:b]
            _, mu = _ll_mu(D @ beta, data.wb[a:b], wt)
            out += weighted_gram(D, wt * mu * (1.0 - mu), chunk)
        return out
