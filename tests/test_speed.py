"""Speed paths that must not change a result: the solver's known answers, parallel binning."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard._analyze import optb


def _solver(monkeypatch: pytest.MonkeyPatch, goods: np.ndarray, bads: np.ndarray, **kw: object):
    with monkeypatch.context() as m:
        m.setattr(optb, "known_starts", lambda *a, **k: None)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return optb.optimal_starts(goods, bads, feature="x", **kw)


@st.composite
def problems(draw: st.DrawFn, most: int = 12) -> tuple[np.ndarray, np.ndarray, dict[str, object]]:
    m = draw(st.integers(2, most))
    low = draw(st.sampled_from([0, 20]))  # empty and pure classes now and then
    sizes = np.asarray(draw(st.lists(st.integers(low, 3000), min_size=m, max_size=m)), float)
    shape = draw(st.sampled_from(["up", "down", "random", "flat"]))
    edge = draw(st.sampled_from([0.0, 0.01]))
    rates = np.asarray(draw(st.lists(st.floats(edge, 1 - edge), min_size=m, max_size=m)))
    if shape == "up":
        rates = np.sort(rates)
    elif shape == "down":
        rates = -np.sort(-rates)
    elif shape == "flat":
        rates = np.full(m, rates[0])
    bads = np.round(sizes * rates)
    if draw(st.booleans()):  # weighted counts
        scale = draw(st.floats(0.1, 3.0))
        bads, sizes = bads * scale, sizes * scale
    goods = sizes - bads
    max_bins = draw(st.one_of(st.none(), st.integers(1, 8)))
    min_bins = draw(st.one_of(st.none(), st.integers(1, max_bins or 4)))
    kw: dict[str, object] = {
        "trend": draw(st.sampled_from(["auto", "ascending", "descending", "none", "peak"])),
        "max_bins": max_bins,
        "min_bins": min_bins,
        "min_bin_share": draw(st.sampled_from([None, 0.0, 0.02, 0.05, 0.1, 0.25])),
        "min_bads": draw(st.sampled_from([None, 0.0, 1.0, 5.5, 40.0])),
        "min_goods": draw(st.sampled_from([None, 0.0, 1.0, 5.5, 40.0])),
    }
    return goods, bads, kw


def _model_objective(
    goods: np.ndarray, bads: np.ndarray, starts: list[int], kw: dict[str, object]
) -> int | None:
    """The solver's objective (its integer IV) of the grouping ``starts`` in its own model,
    None when the grouping breaks one of the model's constraints."""
    present = np.flatnonzero(goods + bads > 0)
    ne, e = np.trunc(goods[present]), np.trunc(bads[present])
    trend = optb.solver_trend(ne, e, str(kw["trend"]))
    rate, value, forbidden = optb.solver_model(ne, e, trend)
    share, min_bads, min_goods = kw["min_bin_share"], kw["min_bads"], kw["min_goods"]
    min_size = math.ceil(share * float(goods[present].sum() + bads[present].sum())) if share else 0
    first = np.searchsorted(present, starts).tolist()  # bins' first classes, in the model
    ends = [s - 1 for s in first[1:]] + [present.size - 1]
    k = len(ends)
    if (kw["max_bins"] is not None and k > kw["max_bins"]) or (
        kw["min_bins"] is not None and k < kw["min_bins"]
    ):
        return None
    if forbidden.intersection(ends[:-1]):
        return None
    total, prev = 0, None
    for start, end in zip(first, ends, strict=True):
        n_e, n_ne = e[start : end + 1].sum(), ne[start : end + 1].sum()
        if (
            n_e + n_ne < min_size
            or n_e < math.ceil(min_bads or 0)
            or n_ne < math.ceil(min_goods or 0)
        ):
            return None
        r = rate[end][start]
        if prev is not None and optb.pair_sign(trend, prev[0], end) * (r - prev[1]) < 0:
            return None
        total += int(value[end][start])
        prev = (end, r)
    return total


def _check_against_solver(
    monkeypatch: pytest.MonkeyPatch, goods: np.ndarray, bads: np.ndarray, kw: dict[str, object]
) -> None:
    """Where :func:`optb.known_starts` answers, its answer is the solver's, or (a tie) another
    grouping that meets every constraint of the solver's model with the solver's objective."""
    known = optb.known_starts(goods, bads, **kw)  # type: ignore[arg-type]
    if known is None:
        return
    solver = _solver(monkeypatch, goods, bads, **kw)
    if known != solver:
        best = _model_objective(goods, bads, solver, kw)
        assert best is not None
        assert _model_objective(goods, bads, known, kw) == best


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(problems())
def test_known_starts_are_the_solvers(
    monkeypatch: pytest.MonkeyPatch, case: tuple[np.ndarray, np.ndarray, dict[str, object]]
) -> None:
    goods, bads, kw = case
    _check_against_solver(monkeypatch, goods, bads, kw)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(problems(most=30))
def test_known_starts_are_the_solvers_with_many_classes(
    monkeypatch: pytest.MonkeyPatch, case: tuple[np.ndarray, np.ndarray, dict[str, object]]
) -> None:
    goods, bads, kw = case
    _check_against_solver(monkeypatch, goods, bads, kw)


def _every_grouping(
    ne: np.ndarray, e: np.ndarray, trend: tuple[str, int], max_bins: int | None, min_size: int
) -> list[int] | None:
    """The solver's model by brute force (every grouping), its ties broken by the rule
    written out: highest integer IV, then highest exact IV (each bin's to 1e-9), then
    fewest bins, then the earliest starts compared from the last bin back; None when no
    grouping is feasible."""
    n = ne.size
    rate, value, forbidden = optb.solver_model(ne, e, trend)
    _, _, iv = optb.model_data(ne.astype(np.int64), e.astype(np.int64))
    size = np.concatenate([[0], np.cumsum(ne + e)])
    keys = []
    for mask in range(1 << (n - 1)):
        ends = [i for i in range(n - 1) if mask >> i & 1]
        if forbidden.intersection(ends) or (max_bins is not None and len(ends) >= max_bins):
            continue
        ends.append(n - 1)
        total, exact, start, prev, ok, starts = 0, 0, 0, None, True, []
        for i in ends:
            r = rate[i][start]
            sign = 0 if prev is None else optb.pair_sign(trend, prev[0], i)
            if size[i + 1] - size[start] < min_size or (
                prev is not None and sign * (r - prev[1]) < 0
            ):
                ok = False
                break
            total += int(value[i][start])
            exact += round(float(iv[i][start]) * optb.TIE_SCALE)
            starts.append(start)
            prev, start = (i, r), i + 1
        if ok:
            keys.append((-total, -exact, len(ends), starts[::-1]))
    if not keys:
        return None
    return sorted(min(keys)[3])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 400), st.integers(1, 400)), min_size=2, max_size=9),
    st.sampled_from(["ascending", "descending", "none", "peak_heuristic", "valley_heuristic"]),
    st.integers(0, 8),
    st.one_of(st.none(), st.integers(1, 6)),
    st.sampled_from([0, 50, 200]),
)
def test_best_grouping_is_the_best_of_every_grouping(
    counts: list[tuple[int, int]], direction: str, change: int, max_bins: int | None, size: int
) -> None:
    """The dynamic programme finds what trying every grouping finds, ties included."""
    ne = np.asarray([c[0] for c in counts], dtype=np.float64)
    e = np.asarray([c[1] for c in counts], dtype=np.float64)
    trend = (direction, min(change, ne.size - 1))
    got = optb._best_grouping(ne, e, np.arange(ne.size), trend, max_bins, None, size, 0, 0)
    assert got == _every_grouping(ne, e, trend, max_bins, size)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(1, 3), min_size=2, max_size=8),
    st.lists(st.tuples(st.integers(1, 60), st.integers(1, 60)), min_size=3, max_size=3),
    st.sampled_from(["ascending", "descending", "none", "peak_heuristic", "valley_heuristic"]),
    st.integers(0, 8),
)
def test_best_grouping_breaks_ties_as_every_grouping_does(
    picks: list[int], kinds: list[tuple[int, int]], direction: str, change: int
) -> None:
    """Classes drawn from three kinds (equal bad rates): many tied groupings, one pick."""
    ne = np.asarray([kinds[p - 1][0] for p in picks], dtype=np.float64)
    e = np.asarray([kinds[p - 1][1] for p in picks], dtype=np.float64)
    trend = (direction, min(change, ne.size - 1))
    got = optb._best_grouping(ne, e, np.arange(ne.size), trend, None, None, 0, 0, 0)
    assert got == _every_grouping(ne, e, trend, None, 0)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 10**7), st.integers(1, 10**7)), min_size=1, max_size=40))
def test_model_data_is_optbinnings(counts: list[tuple[int, int]]) -> None:
    """The solver's integers computed without its loops are its own, to the last one."""
    from optbinning.binning.model_data import model_data

    ne = np.asarray([c[0] for c in counts], dtype=np.int64)
    e = np.asarray([c[1] for c in counts], dtype=np.int64)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        D, V, _, _ = model_data("iv", ne, e, None, "consecutive", 0, int(optb._SOLVER_SCALE))
    rate, value, iv = optb.model_data(ne, e)
    for i in range(ne.size):
        assert rate[i, : i + 1].tolist() == D[i].tolist()
        assert value[i, : i + 1].tolist() == V[i].tolist()
        assert np.array_equal(iv[i, : i + 1] * optb._SOLVER_SCALE // 1, V[i].astype(float))
    assert not np.triu(rate, 1).any() and not np.triu(value, 1).any()


def test_known_starts_answer_often(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shortcut is not vacuous: one bin per class, a search, a two-class feature kept
    whole; and it leaves what it cannot know to the solver."""
    g, b = np.array([900.0, 800.0, 700.0]), np.array([100.0, 200.0, 300.0])
    assert optb.known_starts(g, b) == [0, 1, 2]
    # against the trend: one bin, found by the search, as the solver finds it
    assert optb.known_starts(g, b, trend="descending") == [0]
    assert _solver(monkeypatch, g, b, trend="descending") == [0]
    # a peak (its own constraints) and too many classes to search: the solver's
    assert optb.known_starts(g, b, trend="peak") is None
    many = np.linspace(0.05, 0.5, optb.SEARCH_MAX_CLASSES + 1)[::-1].copy()
    many[3], many[4] = many[4], many[3]  # one class against the trend: not one bin each
    assert optb.known_starts(1000 * (1 - many), 1000 * many, trend="ascending") is None
    # groupings with the same objective (a tie): the rule picks one of the solver's optima
    # (highest exact IV, then fewest bins), where the solver picks any
    flat_g, flat_b = np.array([80.0, 80.0, 80.0]), np.array([20.0, 20.0, 20.0])
    assert optb.known_starts(flat_g, flat_b) == [0]
    tied = _solver(monkeypatch, flat_g, flat_b)
    kw: dict[str, object] = {
        "trend": "auto",
        "max_bins": None,
        "min_bins": None,
        "min_bin_share": 0.05,
        "min_bads": None,
        "min_goods": None,
    }
    assert _model_objective(flat_g, flat_b, [0], kw) == _model_objective(flat_g, flat_b, tied, kw)
    g4, b4 = np.array([900.0, 800.0, 800.0, 700.0]), np.array([100.0, 200.0, 200.0, 300.0])
    assert optb.known_starts(g4, b4, trend="ascending") == [0, 1, 3]  # the two equal ones merged
    assert optb.known_starts(np.array([900.0, 0.0, 700.0]), np.array([100.0, 0.0, 300.0])) == [
        0,
        2,
    ]
    # two classes, the split against the trend: one bin
    assert optb.known_starts(g[:2], b[:2], trend="descending") == [0]
    # two classes, one too small for a bin of its own: one bin
    assert optb.known_starts(np.array([900.0, 9.0]), np.array([100.0, 1.0])) == [0]
    # a pure class: the solver merges it first, so it decides
    assert optb.known_starts(np.array([900.0, 800.0]), np.array([100.0, 0.0])) is None


@st.composite
def float_columns(draw: st.DrawFn) -> tuple[list[float], list[float], np.ndarray]:
    """Cut points, special codes, and stored floats near them (float16/32/64, NaN)."""
    cuts = sorted(set(draw(st.lists(st.decimals(-1000, 1000, places=3), max_size=20))))
    cuts_f = [float(c) for c in cuts]
    specials = [float(c) for c in draw(st.lists(st.decimals(-50, 50, places=2), max_size=3))]
    dtype = draw(st.sampled_from([np.float16, np.float32, np.float64]))
    near = np.asarray([*cuts_f, *specials, 0.0], dtype=np.float64).astype(dtype)
    around = np.concatenate(
        [near, np.nextafter(near, dtype(np.inf)), np.nextafter(near, dtype(-np.inf))]
    )
    extra = draw(st.lists(st.floats(-1e4, 1e4, width=16), max_size=30))
    values = np.concatenate([around, np.asarray(extra, dtype=dtype), [np.nan]]).astype(dtype)
    return cuts_f, specials, values[np.isfinite(values) | np.isnan(values)]


@settings(max_examples=300, deadline=None)
@given(float_columns())
def test_float_bins_are_the_value_rule(case: tuple[list[float], list[float], np.ndarray]) -> None:
    """Narrow floats binned as stored give the bins of their widened values (the rule)."""
    from scorecard._analyze.feature import float_bins, float_rule
    from scorecard._core.validation import numeric_values

    cuts, specials, values = case
    specials = list(dict.fromkeys(specials))
    table = tuple((c, 100 + k) for k, c in enumerate(specials))
    wide = numeric_values(pd.Series(values), "x")
    expected = np.searchsorted(np.asarray(cuts, dtype=np.float64), wide, side="right")
    expected = np.where(np.isnan(wide), 99, expected)
    for code, b in table:
        expected = np.where(wide == code, b, expected)
    got = float_bins(values, *float_rule(tuple(cuts), table, values.dtype.str), 99)
    assert got.tolist() == expected.tolist()


def test_bin_features_in_worker_processes_gives_the_same_binning() -> None:
    from scorecard import BinningSpec, bin_features
    from scorecard.datasets import load_german_credit
    from scorecard.exceptions import DataWarning

    df = load_german_credit()
    names = ["duration_in_month", "purpose", "age_in_years", "housing", "credit_amount"]
    # a spec no binning satisfies for one feature: its warning comes back from the worker
    specs = {"housing": BinningSpec(min_bins=5)}
    with pytest.warns(DataWarning, match="housing") as one:
        serial = bin_features(df, "bad", features=names, specs=specs)
    with pytest.warns(DataWarning, match="housing") as two:
        parallel = bin_features(df, "bad", features=names, specs=specs, n_jobs=2)
    assert parallel.to_json() == serial.to_json()
    assert [str(w.message) for w in two] == [str(w.message) for w in one]


@pytest.mark.parametrize("bad", [0, -2, 1.5, True, "2"])
def test_n_jobs_is_checked(bad: object) -> None:
    from scorecard import bin_features
    from scorecard.datasets import load_german_credit
    from scorecard.exceptions import SpecificationError

    with pytest.raises(SpecificationError, match="n_jobs: expected a positive number"):
        bin_features(load_german_credit(), "bad", features=["housing"], n_jobs=bad)  # type: ignore[arg-type]
