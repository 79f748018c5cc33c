"""Tests of scorecard._model.newton: the engine's speed switches change no result."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest

from scorecard._model.logit import _fit_logit, fit_logit
from scorecard._model.newton import (
    TUNING,
    Design,
    Designs,
    Tuning,
    design_problem,
    fit_checked,
    prepare,
    prepare_design,
    weighted_gram,
)
from scorecard.exceptions import DataError, SpecificationError


def frame(n: int, levels: int, n_features: int, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """WOE-like features of ``levels`` distinct values with a true logistic effect."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {f"f{j}": rng.choice(np.linspace(-1.0, 1.0, levels), n) for j in range(n_features)}
    )
    eta = -1.5 - 0.7 * X.to_numpy().sum(axis=1) / np.sqrt(n_features)
    return X, (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)


# a selection's sequence of designs: grow, drop one, grow again, repeat a set
SEQUENCE = [(), (0,), (0, 1), (0, 1, 2), (0, 2), (0, 2, 3), (0, 2, 3, 4), (2, 3), (0, 1), (0, 1)]


def canonical(des: Design) -> np.ndarray:
    """The design's rows with their bads and goods, in a fixed order (groups are unordered)."""
    rows = np.column_stack([des.D, des.wb, des.wg])
    return rows[np.lexsort(rows.T[::-1])]


def designs_of(X: pd.DataFrame, y: np.ndarray, tuning: Tuning) -> list[np.ndarray]:
    designs = Designs(prepare(X, y, None, None), tuning)
    return [canonical(designs.design(cols)) for cols in SEQUENCE]


def test_tuning_is_validated() -> None:
    assert Tuning() == TUNING
    for field, value in [
        ("group_rows", 1),
        ("group_factor", 1),
        ("gram_chunk", 0),
        ("gram_chunk", 2.5),
        ("reuse_hessian", "no"),
        ("coarse_ll_tol", -1e-3),
        ("coarse_ll_tol", "fine"),
        ("single_thread_blas", None),
        ("warm_rows", 0),
        ("warm_rows", 2.5),
        ("lazy_hessian", 0),
        ("lazy_hessian", "yes"),
    ]:
        with pytest.raises(SpecificationError, match=rf"^Tuning\.{field}: expected .*found"):
            Tuning(**{field: value})


def test_grouped_designs_hold_the_same_rows() -> None:
    """Grouping (group_rows) sums identical rows: the same bads and goods per WOE vector."""
    X, y = frame(3000, 6, 5, seed=1)  # up to two features group (36 < 1000 combinations)
    grouped = designs_of(X, y, TUNING)
    raw = designs_of(X, y, attrs.evolve(TUNING, group_rows=False))
    for g, r in zip(grouped, raw, strict=True):
        if g.shape[0] == r.shape[0]:  # not grouped: the same raw rows
            np.testing.assert_array_equal(g, r)
            continue
        keys, inverse = np.unique(r[:, :-2], axis=0, return_inverse=True)
        sums = np.zeros((len(keys), 2))
        np.add.at(sums, inverse.ravel(), r[:, -2:])
        np.testing.assert_array_equal(g, np.column_stack([keys, sums]))
    assert grouped[2].shape[0] == 36 and raw[2].shape[0] == 3000  # (0, 1) grouped


@pytest.mark.parametrize(
    "switch",
    [{"remember_ungroupable": False}, {"design_buffer": False}],
)
def test_design_memory_changes_no_design(switch: dict[str, Any]) -> None:
    """Remembering the sets that do not group, or building raw designs in one buffer."""
    X, y = frame(3000, 12, 5, seed=2)  # 1 feature: 12 groups, 2: 144, 3: 1728 > 1000: raw
    on = designs_of(X, y, TUNING)
    off = designs_of(X, y, attrs.evolve(TUNING, **switch))
    for a, b in zip(on, off, strict=True):
        np.testing.assert_array_equal(a, b)
    assert [d.shape[0] for d in on] == [1, 12, 144, 3000, 144, 3000, 3000, 144, 144, 144]


def test_chunked_gram_equals_one_product() -> None:
    rng = np.random.default_rng(3)
    A = np.asfortranarray(rng.normal(size=(20_001, 7)))
    v = rng.uniform(0, 1, 20_001)
    full = weighted_gram(A, v, None)
    np.testing.assert_allclose(full, (A * v[:, None]).T @ A, rtol=1e-12)
    np.testing.assert_allclose(weighted_gram(A, v, 1 << 13), full, rtol=1e-12)
    np.testing.assert_allclose(weighted_gram(A, v, 7), full, rtol=1e-12)


@pytest.mark.parametrize(
    "switch",
    [{"gram_chunk": None}, {"single_thread_blas": False}, {"group_rows": False}],
)
def test_fit_is_the_same_with_each_switch_off(switch: dict[str, Any]) -> None:
    X, y = frame(30_000, 8, 6, seed=4)
    ref = fit_logit(X, y)
    other = _fit_logit(
        X,
        y,
        sample_weight=None,
        features=None,
        engine="numpy",
        max_iter=100,
        tuning=attrs.evolve(TUNING, **switch),
    )
    np.testing.assert_allclose(other.params, ref.params, rtol=0, atol=1e-9)
    np.testing.assert_allclose(other.bse, ref.bse, rtol=1e-8)
    assert other.llf == pytest.approx(ref.llf, rel=1e-12)


@pytest.mark.parametrize("l2", [0.0, 5.0])
@pytest.mark.parametrize("weighted", [False, True])
def test_warm_start_reaches_the_same_fit(l2: float, weighted: bool) -> None:
    """warm_rows: a fit of many raw rows started from the fit of a subsample of them."""
    X, y = frame(50_000, 40, 6, seed=6)  # 40 levels each: the rows do not group
    w = np.random.default_rng(1).integers(0, 4, len(y)).astype(float) if weighted else None
    ref_tuning = attrs.evolve(TUNING, warm_rows=None)
    fits = {}
    for name, tuning in [("cold", ref_tuning), ("warm", attrs.evolve(TUNING, warm_rows=3000))]:
        data = prepare(X, y, w, None)
        designs = Designs(data, tuning)
        fits[name] = fit_checked(designs, tuple(range(6)), l2=l2)
        assert designs.design(tuple(range(6))).gid is None  # raw rows: the warm start applies
    cold, warm = fits["cold"], fits["warm"]
    assert warm.status == cold.status == "converged"
    assert warm.n_iter < cold.n_iter  # it started near the solution
    np.testing.assert_allclose(warm.beta, cold.beta, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(warm.cov, cold.cov, rtol=1e-6)
    assert warm.llf == pytest.approx(cold.llf, rel=1e-13)
    # the default tuning: 50,000 rows are too few for a subsample of 20,000
    default = fit_checked(Designs(prepare(X, y, w, None), TUNING), tuple(range(6)), l2=l2)
    assert default.n_iter == cold.n_iter
    np.testing.assert_array_equal(default.beta, cold.beta)


def test_design_problem_decides_collinearity_as_the_regressions_do() -> None:
    """A Cholesky factor clears a design far from collinear; near it, regressions decide."""
    X, y = frame(2000, 30, 4, seed=7)
    assert design_problem(prepare(X, y, None, None), (0, 1, 2, 3)) is None
    X["twin"] = X["f1"] * 2.0 - 0.5
    X["near"] = X["f0"] + X["f2"] + 1e-7 * np.random.default_rng(2).normal(size=len(X))
    data = prepare(X, y, None, None)
    found = design_problem(data, (0, 1, 2, 3, 4))
    assert found is not None and found[0] == 4 and "'f1' and 'twin' are perfectly" in found[1]
    found = design_problem(data, (0, 1, 2, 3, 5))
    assert found is not None and found[0] == 4 and "'near' is a linear combination" in found[1]


def test_prepare_design_equals_prepare() -> None:
    """The pipeline's design [1, WOE] prepares the same rows as the WOE frame, unless copied."""
    X, y = frame(500, 5, 3, seed=8)
    D = np.asfortranarray(np.column_stack([np.ones(len(X)), X.to_numpy()]))
    for w in [None, np.linspace(0.5, 2.0, len(X)), np.r_[np.zeros(10), np.ones(len(X) - 10)]]:
        ref = prepare(X, y, w, None)
        data = prepare_design(D, list(X.columns), y.astype(np.int8), w)
        assert data.names == ref.names and data.weighted == ref.weighted
        for field in ("X", "y", "w", "wb", "lo", "hi"):
            np.testing.assert_array_equal(getattr(data, field), getattr(ref, field))
        assert data.nobs == ref.nobs and data.n_bads == ref.n_bads
        np.testing.assert_array_equal(data.corr(), ref.corr())
        copied = w is not None and not (w > 0).all()
        assert (data.design is None) is copied  # rows of weight 0 leave: no shared design
        if not copied:
            assert np.shares_memory(data.X, D)
    with pytest.raises(DataError, match="column name 'const' is reserved"):
        prepare_design(D, ["f0", "const", "f2"], y.astype(np.int8), None)
    E = D.copy(order="F")
    E[3, 2] = np.nan
    with pytest.raises(DataError, match="column 'f1': expected finite WOE values, found 1 NaN"):
        prepare_design(E, list(X.columns), y.astype(np.int8), None)
    only_goods = np.where(y == 1, 0.0, 1.0)
    with pytest.raises(DataError, match="target 'y': expected both goods and bads"):
        prepare_design(D, list(X.columns), y.astype(np.int8), only_goods)


def test_bins_as_grouping_codes_give_the_same_fit() -> None:
    """prepare_design(bins=...): rows grouped by their bins (a finer key) fit the same."""
    X, y = frame(6000, 4, 3, seed=9)  # 64 WOE combinations: the rows group
    D = np.asfortranarray(np.column_stack([np.ones(len(X)), X.to_numpy()]))
    bins = []
    for j, c in enumerate(X.columns):
        _, index = np.unique(X[c].to_numpy(), return_inverse=True)
        # one level split into two bins of the same WOE: still exact
        index = np.where((index == 0) & (np.arange(len(X)) % 2 == 0), 4, index).astype(np.int8)
        bins.append((index, 5 if j else 6))  # the count may exceed the bins present
    fits = []
    for b in (None, bins):
        data = prepare_design(D, list(X.columns), y.astype(np.int8), None, bins=b)
        designs = Designs(data, TUNING)
        des = designs.design((0, 1, 2))
        assert isinstance(des, Design) and des.gid is not None
        assert des.D.shape[0] == (64 if b is None else 2 * 4**3 - 3**3)  # level 0 split by parity
        fits.append(fit_checked(designs, (0, 1, 2), l2=1.0))
    np.testing.assert_allclose(fits[1].beta, fits[0].beta, rtol=1e-12)
    np.testing.assert_allclose(fits[1].cov, fits[0].cov, rtol=1e-10)


@pytest.mark.parametrize("l2", [0.0, 5.0])
def test_lazy_hessian_reaches_the_same_fit(l2: float, monkeypatch: pytest.MonkeyPatch) -> None:
    """lazy_hessian: fewer Hessians, more steps, the same solution (one last Newton step)."""
    import scorecard._model.newton as engine

    X, y = frame(20_000, 40, 8, seed=10)
    grams = []

    def counted(A: np.ndarray, v: np.ndarray, chunk: int | None) -> np.ndarray:
        grams.append(A.shape)
        return weighted_gram(A, v, chunk)

    monkeypatch.setattr(engine, "weighted_gram", counted)
    fits, hessians = {}, {}
    for name, lazy in [("each", None), ("lazy", 2), ("default", TUNING.lazy_hessian)]:
        grams.clear()
        designs = Designs(prepare(X, y, None, None), attrs.evolve(TUNING, lazy_hessian=lazy))
        fits[name] = fit_checked(designs, tuple(range(8)), l2=l2)
        hessians[name] = len(grams)
    each, lazy_fit = fits["each"], fits["lazy"]
    assert hessians["lazy"] < hessians["each"] and lazy_fit.n_iter > each.n_iter
    assert lazy_fit.status == "converged" and lazy_fit.exact
    np.testing.assert_allclose(lazy_fit.beta, each.beta, rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(lazy_fit.cov, each.cov, rtol=1e-7)
    assert lazy_fit.llf == pytest.approx(each.llf, rel=1e-14)
    # 9 coefficients are far fewer than the default's 64: every iteration a Hessian
    assert hessians["default"] == hessians["each"]
    np.testing.assert_array_equal(fits["default"].beta, each.beta)
