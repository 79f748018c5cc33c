"""The logistic engine on counts (``_model/counts.py``): bin-index combinations with their
good and bad counts fit, select and pre-select as the rows they stand for.

The fits are summed in blocks; a small ``BLOCK`` makes every pass cross many blocks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scorecard import BinningSpec, bin_features, fit_logit, select_features, select_stepwise
from scorecard._analyze.fine import numeric_edges, quantile_positions
from scorecard._analyze.selection import select_by_correlation
from scorecard._model import counts as counts_module
from scorecard._model.counts import CountData, code_dtype, count_dtype
from scorecard._model.logit import fit_logit_data
from scorecard._model.stepwise import select_stepwise_data
from scorecard.datasets import FEATURES, SPECIAL_CODES, make_credit_data
from scorecard.exceptions import DataError


@pytest.fixture(scope="module")
def credit() -> tuple[pd.DataFrame, object, dict]:
    df = make_credit_data(12_000, seed=21)[[*FEATURES, "bad"]]
    specs = {k: BinningSpec(special_codes=v) for k, v in SPECIAL_CODES.items()}
    b = bin_features(df, "bad", specs=specs)
    return df, b, b.bin_indices(df)


def _counts(b, idx, y: np.ndarray, names) -> CountData:
    M = np.stack([idx[n] for n in names], axis=1)
    keys, inv = np.unique(M, axis=0, return_inverse=True)
    inv = inv.ravel()
    bads = np.bincount(inv, weights=y)
    rows = np.bincount(inv).astype(np.float64)
    codes = [keys[:, j].astype(code_dtype(len(b[n].labels))) for j, n in enumerate(names)]
    tables = [b[n].woe_table[:-1] for n in names]
    return CountData(names, codes, tables, goods=rows - bads, bads=bads)


@pytest.fixture(params=[1 << 16, 1000], ids=["one-block", "many-blocks"])
def block(request, monkeypatch) -> int:
    monkeypatch.setattr(counts_module, "BLOCK", request.param)
    return request.param


FEW = ["num_inquiries_6m", "num_late_payments_24m", "loan_term_months", "guarantor"]


@pytest.mark.parametrize("names", [FEW, list(FEATURES)], ids=["grouped", "streamed"])
def test_fit_from_counts_equals_fit_from_rows(credit, block, names) -> None:
    """Features with few bins: the rows fall into few combinations (the designs are built
    from the indices); all 25: nearly every row is its own combination and the likelihood
    is summed in blocks."""
    df, b, idx = credit
    y = df["bad"].to_numpy()
    data = _counts(b, idx, y, names)
    assert data.rows == len(df)
    assert (data.n < len(df) / 10) == (names == FEW)
    rows = fit_logit(b.woe_from_indices(idx)[names], y)
    fit = fit_logit_data(data)
    np.testing.assert_allclose(fit.params, rows.params, rtol=0, atol=1e-9)
    np.testing.assert_allclose(fit.bse, rows.bse, rtol=1e-7)
    assert fit.llf == pytest.approx(rows.llf, rel=1e-12)
    assert (fit.n_rows, fit.nobs, fit.n_bads, fit.weighted) == (
        rows.n_rows,
        rows.nobs,
        rows.n_bads,
        rows.weighted,
    )
    np.testing.assert_allclose(fit.vif, rows.vif, rtol=1e-8)


@pytest.mark.parametrize("criterion", ["pvalue", "aic"])
def test_stepwise_from_counts_takes_the_same_path(credit, block, criterion) -> None:
    df, b, idx = credit
    y = df["bad"].to_numpy()
    names = list(FEATURES)
    data = _counts(b, idx, y, names)
    rows = select_stepwise(b.woe_from_indices(idx), y, criterion=criterion)
    path = select_stepwise_data(
        data, method="stepwise", criterion=criterion, p_enter=0.05, p_remove=0.10, force=()
    )
    assert [(s.action, s.feature) for s in path.steps] == [
        (s.action, s.feature) for s in rows.steps
    ]
    assert path.features == rows.features
    np.testing.assert_allclose(path.result.params, rows.result.params, rtol=0, atol=1e-8)


def test_integer_counts_fit_as_float_counts(credit) -> None:
    """An engine's counts stay unsigned integers (8 bytes a combination for both): the fit,
    the stepwise path and the design checks are those of the same counts as floats."""
    df, b, idx = credit
    floats = _counts(b, idx, df["bad"].to_numpy(), list(FEATURES))
    ints = CountData(
        floats.names,
        floats.bin_codes,
        floats.tables,
        goods=floats.wg.astype(count_dtype(floats.rows)),
        bads=floats.wb.astype(count_dtype(floats.rows)),
    )
    assert ints.wg.dtype == ints.wb.dtype == np.uint32
    assert (ints.n, ints.rows, ints.nobs, ints.n_bads) == (
        floats.n,
        floats.rows,
        floats.nobs,
        floats.n_bads,
    )
    a, c = fit_logit_data(ints), fit_logit_data(floats)
    np.testing.assert_allclose(a.params, c.params, rtol=0, atol=1e-12)
    np.testing.assert_allclose(a.bse, c.bse, rtol=1e-12)
    pi = select_stepwise_data(
        ints, method="stepwise", criterion="pvalue", p_enter=0.05, p_remove=0.1, force=()
    )
    pf = select_stepwise_data(
        floats, method="stepwise", criterion="pvalue", p_enter=0.05, p_remove=0.1, force=()
    )
    assert pi.features == pf.features
    np.testing.assert_allclose(ints.cov(), floats.cov(), rtol=1e-12, atol=1e-15)
    assert count_dtype(2**32 - 1) == np.uint32 and count_dtype(2**32) == np.uint64


def test_preselection_from_counts_equals_rows(credit) -> None:
    df, b, idx = credit
    data = _counts(b, idx, df["bad"].to_numpy(), list(b.names))
    rows = select_features(b, df)
    counts = select_by_correlation(b, data.correlation, data.rows)
    assert counts.selected == rows.selected
    assert [(s.feature, s.step) for s in counts.steps] == [(s.feature, s.step) for s in rows.steps]
    np.testing.assert_allclose(
        np.asarray(counts.correlation), np.asarray(rows.correlation), rtol=0, atol=1e-10
    )


def test_a_constant_feature_is_reported_by_name(credit) -> None:
    df, b, idx = credit
    y = df["bad"].to_numpy()
    data = _counts(b, idx, y, ["age", "bureau_score"])
    flat = CountData(
        ["age", "flat"],
        [data.bin_codes[0], np.zeros(data.n, dtype=np.int8)],
        [data.tables[0], np.array([0.3])],
        goods=data.wg,
        bads=data.wb,
    )
    assert flat.ranges[1] == 0
    with pytest.raises(Exception, match="'flat' is constant"):
        fit_logit_data(flat)


def test_counts_are_checked() -> None:
    codes = [np.array([0, 1], dtype=np.int8)]
    tables = [np.array([0.2, -0.4])]
    with pytest.raises(DataError, match="in 0..1, found 0..2"):
        CountData(["x"], [np.array([0, 2])], tables, goods=np.ones(2), bads=np.ones(2))
    with pytest.raises(DataError, match="counts >= 0"):
        CountData(["x"], codes, tables, goods=np.array([1.0, -1.0]), bads=np.ones(2))
    with pytest.raises(DataError, match="found only goods"):
        CountData(["x"], codes, tables, goods=np.ones(2), bads=np.zeros(2))
    with pytest.raises(DataError, match="one index column and one WOE table per feature"):
        CountData(["x", "z"], codes, tables, goods=np.ones(2), bads=np.ones(2))


def test_quantile_positions_are_those_of_numeric_edges() -> None:
    """The engine asks for the values at quantile_positions: the values numeric_edges takes."""
    rng = np.random.default_rng(5)
    for n in [1, 2, 3, 29, 30, 31, 100, 997, 5000]:
        for n_fine in [1, 2, 7, 30]:
            x = np.sort(rng.integers(0, 50, size=n).astype(np.float64) + rng.random(n))
            cw = np.arange(1, n + 1, dtype=np.float64)
            targets = cw[-1] * np.arange(1, n_fine) / n_fine
            expected = np.minimum(np.searchsorted(cw, targets, side="left"), n - 1)
            np.testing.assert_array_equal(quantile_positions(n, n_fine), expected)
            assert numeric_edges(x, None, n_fine) == numeric_edges(
                x, np.ones(n), n_fine
            )  # weighted counts: the same edges


def test_import_loads_no_engine() -> None:
    """``import scorecard.engines`` loads neither DuckDB nor Spark: a source does."""
    import subprocess
    import sys
    from pathlib import Path

    import scorecard

    code = (
        "import sys, scorecard.engines\n"
        "loaded = [m for m in ('duckdb', 'pyspark', 'py4j') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    src = str(Path(scorecard.__file__).resolve().parents[1])
    subprocess.run([sys.executable, "-c", code], check=True, env={"PYTHONPATH": src})
