"""Array namespaces: the primitives an evaluator is written against, for frames and for records.

A computation that runs on a whole frame (numpy arrays, one value per row) and on one record
(plain Python scalars) is written *once*, against a namespace ``xp`` passed in, in the spirit of
the `array API standard <https://data-apis.org/array-api/>`_:

* :data:`NUMPY` works on numpy arrays (a frame, vectorized, no per-row Python);
* :data:`SCALAR` works on Python scalars (one record, no numpy: numpy costs 0.3-1 us per call
  whatever the length, which is most of the time of a one-record computation).

Python's operators (``+ - * < <= == != > >= & |``) already mean the same on float64 arrays
and on Python floats and booleans (IEEE 754 arithmetic, ``False`` for comparisons with NaN,
elementwise ``&``/``|`` on booleans), so code uses them directly.  The namespace holds only
what differs: ``~`` (bitwise on a Python bool), ``/`` (a Python ``ZeroDivisionError``),
``math.floor`` (an int, and an error on NaN or inf), NaN handling of ``min``/``max``,
reductions and string joins.  Each scalar primitive returns what the numpy one returns
for an array of one element (NaN and infinities included); ``tests/test_arrays.py`` checks
this with hypothesis.

Namespaces hold primitives only, no business rule.

Examples
--------
>>> import numpy as np
>>> def clipped_share(xp, x, share):      # written once ...
...     return xp.where(xp.isnan(x), 0.0, xp.maximum(x, 0.0) * share)
>>> clipped_share(NUMPY, np.array([-5.0, 10.0, np.nan]), 0.5).tolist()
[0.0, 5.0, 0.0]
>>> clipped_share(SCALAR, 10.0, 0.5)     # ... run on one record without numpy
5.0
>>> SCALAR.join(["KO01", "", "KO03"], 1)
'KO01;KO03'
>>> NUMPY.join([NUMPY.codes(np.array([True, False]), "KO01"),
...             NUMPY.codes(np.array([True, True]), "KO03")], 2)
array(['KO01;KO03', 'KO03'], dtype=object)
"""

from __future__ import annotations

import bisect
import math
import operator
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

__all__ = ["NUMPY", "SCALAR", "ArrayNamespace", "NumpyNamespace", "ScalarNamespace"]

_INF = math.inf
_NAN = math.nan


class ArrayNamespace(Protocol):
    """The primitives, typed loosely: values are arrays (:data:`NUMPY`) or scalars (:data:`SCALAR`).

    Booleans are bool arrays or ``bool``; numbers float64/int arrays or ``float``/``int``;
    strings object arrays of ``str`` or ``str``.
    """

    #: ``"numpy"`` or ``"scalar"``
    name: str

    def full(self, n: int, value: Any) -> Any:
        """``n`` copies of ``value`` (strings as an object array); the scalar itself for one."""

    def table(self, values: Sequence[Any]) -> Any:
        """A lookup table indexed with ``table[index]``: an array, or a tuple for scalars."""

    def asindex(self, x: Any) -> Any:
        """Integer positions (int64 array, or ``int``)."""

    def where(self, cond: Any, a: Any, b: Any) -> Any:
        """``a`` where ``cond``, else ``b`` (both are computed)."""

    def logical_not(self, x: Any) -> Any:
        """Boolean negation."""

    def any(self, x: Any) -> bool:
        """Whether any value is true (a Python ``bool``)."""

    def isnan(self, x: Any) -> Any:
        """Whether a value is NaN."""

    def isinf(self, x: Any) -> Any:
        """Whether a value is +inf or -inf."""

    def minimum(self, a: Any, b: Any) -> Any:
        """Smaller value; NaN if either is NaN."""

    def maximum(self, a: Any, b: Any) -> Any:
        """Larger value; NaN if either is NaN."""

    def fmin(self, a: Any, b: Any) -> Any:
        """Smaller value, ignoring a NaN (NaN only if both are NaN)."""

    def floor(self, x: Any) -> Any:
        """Largest integer-valued float ``<= x`` (NaN and infinities unchanged)."""

    def divide(self, a: Any, b: Any) -> Any:
        """IEEE 754 division: ``x / 0`` is +-inf, ``0 / 0`` and ``nan / 0`` are NaN."""

    def isin(self, x: Any, values: Sequence[Any]) -> Any:
        """Whether a value equals one of ``values`` (NaN never does)."""

    def searchsorted(self, edges: Any, x: Any, side: str = "left") -> Any:
        """Insertion position of ``x`` in the ascending ``edges`` (a :meth:`table`), like
        ``np.searchsorted``: ``side="right"`` counts the edges ``<= x``, ``"left"`` those
        ``< x``; NaN sorts after every number."""

    def fmin_reduce(self, values: Sequence[Any]) -> Any:
        """``fmin`` over a non-empty sequence, in order: the smallest non-NaN value."""

    def select(self, conds: Sequence[Any], choices: Sequence[Any], default: Any) -> Any:
        """The choice of the first true condition (booleans), else ``default`` (``np.select``)."""

    def codes(self, mask: Any, code: str) -> Any:
        """``code`` where ``mask``, else ``""``."""

    def join_codes(self, pairs: Sequence[tuple[Any, str]], n: int) -> Any:
        """``";".join`` of the (non-empty) codes whose mask is true, value by value."""

    def join(self, parts: Sequence[Any], n: int) -> Any:
        """``";".join`` of the non-empty strings of ``parts``, value by value (``n`` values)."""

    def contains(self, x: Any, sub: str) -> Any:
        """Whether a string contains ``sub``."""


class NumpyNamespace:
    """The primitives on numpy arrays (one value per row)."""

    name = "numpy"

    def full(self, n: int, value: Any) -> Any:
        return np.full(n, value, dtype=object if isinstance(value, str) else None)

    def table(self, values: Sequence[Any]) -> Any:
        numeric = all(isinstance(v, int | float | np.number) for v in values)
        return np.asarray(values, dtype=None if numeric else object)

    def asindex(self, x: Any) -> Any:
        return np.asarray(x, dtype=np.int64)

    def where(self, cond: Any, a: Any, b: Any) -> Any:
        return np.where(cond, a, b)

    def logical_not(self, x: Any) -> Any:
        return np.logical_not(x)

    def any(self, x: Any) -> bool:
        return bool(np.any(x))

    def isnan(self, x: Any) -> Any:
        return np.isnan(x)

    def isinf(self, x: Any) -> Any:
        return np.isinf(x)

    def minimum(self, a: Any, b: Any) -> Any:
        return np.minimum(a, b)

    def maximum(self, a: Any, b: Any) -> Any:
        return np.maximum(a, b)

    def fmin(self, a: Any, b: Any) -> Any:
        return np.fmin(a, b)

    def floor(self, x: Any) -> Any:
        return np.floor(x)

    def divide(self, a: Any, b: Any) -> Any:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return np.divide(a, b)

    def isin(self, x: Any, values: Sequence[Any]) -> Any:
        x = np.asarray(x)
        if x.dtype == object:  # strings (and None): elementwise ==, no sorting
            out = np.zeros(x.shape, dtype=np.bool_)
            for v in values:
                out |= np.asarray(x == v, dtype=np.bool_)
            return out
        return np.isin(x, np.asarray(values, dtype=np.float64))

    def searchsorted(self, edges: Any, x: Any, side: str = "left") -> Any:
        return np.searchsorted(edges, x, side=side)  # type: ignore[call-overload]

    def fmin_reduce(self, values: Sequence[Any]) -> Any:
        out = values[0]
        for v in values[1:]:
            out = np.fmin(out, v)
        return out

    def select(self, conds: Sequence[Any], choices: Sequence[Any], default: Any) -> Any:
        if not conds:  # np.select refuses an empty list
            return np.broadcast_to(default, np.shape(default)).copy()
        return np.select(list(conds), list(choices), default)

    def codes(self, mask: Any, code: str) -> Any:
        return np.where(mask, code, "").astype(object)

    def join_codes(self, pairs: Sequence[tuple[Any, str]], n: int) -> Any:
        return self.join([self.codes(mask, code) for mask, code in pairs], n)

    def join(self, parts: Sequence[Any], n: int) -> Any:
        acc: Any = None
        for p in parts:
            p = np.asarray(p, dtype=object)
            has = np.asarray(p != "", dtype=np.bool_)
            if not has.any():
                continue
            if acc is None:
                acc = p.copy()
            else:
                acc = acc + np.where((acc != "") & has, ";", "").astype(object) + p
        return np.full(n, "", dtype=object) if acc is None else acc

    def contains(self, x: Any, sub: str) -> Any:
        return np.char.find(np.asarray(x, dtype=str), sub) >= 0


def _where(cond: Any, a: Any, b: Any) -> Any:
    return a if cond else b


def _minimum(a: Any, b: Any) -> Any:
    return a if a < b or a != a else b


def _maximum(a: Any, b: Any) -> Any:
    return a if a > b or a != a else b


def _fmin(a: Any, b: Any) -> Any:
    if a != a:
        return b
    return a if a <= b or b != b else b


def _floor(x: Any) -> Any:
    if x != x or x == _INF or x == -_INF:
        return x
    r = float(math.floor(x))
    return math.copysign(r, x) if r == 0.0 else r  # -0.0 stays -0.0, like numpy


def _divide(a: Any, b: Any) -> Any:
    try:
        return a / b
    except ZeroDivisionError:
        if a != a or a == 0:
            return _NAN
        return math.copysign(_INF, a) * math.copysign(1.0, b)


class ScalarNamespace:
    """The primitives on Python scalars (one record), with numpy's results.

    Each primitive is a plain function or a builtin (no bound-method overhead): a
    one-record computation makes a few dozen calls, each of which counts.
    """

    name = "scalar"

    @staticmethod
    def full(n: int, value: Any) -> Any:
        return value

    table = staticmethod(tuple)
    asindex = staticmethod(int)
    where = staticmethod(_where)
    logical_not = staticmethod(operator.not_)
    any = staticmethod(bool)
    isnan = staticmethod(math.isnan)
    isinf = staticmethod(math.isinf)
    minimum = staticmethod(_minimum)
    maximum = staticmethod(_maximum)
    fmin = staticmethod(_fmin)
    floor = staticmethod(_floor)
    divide = staticmethod(_divide)

    @staticmethod
    def isin(x: Any, values: Sequence[Any]) -> Any:
        return x == x and x in values

    @staticmethod
    def searchsorted(edges: Any, x: Any, side: str = "left") -> Any:
        if x != x:  # NaN sorts last, as in numpy
            return len(edges)
        return bisect.bisect_right(edges, x) if side == "right" else bisect.bisect_left(edges, x)

    @staticmethod
    def fmin_reduce(values: Sequence[Any]) -> Any:
        out = values[0]
        for v in values[1:]:
            if out != out or (v < out and v == v):  # _fmin, inlined
                out = v
        return out

    @staticmethod
    def select(conds: Sequence[Any], choices: Sequence[Any], default: Any) -> Any:
        conds = list(conds)  # of bool: list.index and `in` compare in C
        return choices[conds.index(True)] if True in conds else default

    @staticmethod
    def codes(mask: Any, code: str) -> Any:
        return code if mask else ""

    @staticmethod
    def join_codes(pairs: Sequence[tuple[Any, str]], n: int) -> Any:
        return ";".join([code for mask, code in pairs if mask and code])

    @staticmethod
    def join(parts: Sequence[Any], n: int) -> Any:
        return ";".join([p for p in parts if p])

    @staticmethod
    def contains(x: Any, sub: str) -> Any:
        return sub in x


#: The primitives on numpy arrays.
NUMPY: ArrayNamespace = NumpyNamespace()
#: The primitives on Python scalars.
SCALAR: ArrayNamespace = ScalarNamespace()
