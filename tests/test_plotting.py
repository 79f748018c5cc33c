"""Plots of binnings and IV (matplotlib, Agg backend)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from scorecard import Binning, BinningSpec, analyze, bin_features  # noqa: E402
from scorecard._core.stats import iv_label  # noqa: E402
from scorecard.exceptions import SpecificationError  # noqa: E402
from scorecard.plotting import IV_THRESHOLDS, plot_binning, plot_iv  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def toy_binning() -> Binning:
    rng = np.random.default_rng(7)
    n = 2_000
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-(-1.5 + 1.2 * x)))).astype(int)
    x = x.round(3)
    x[rng.random(n) < 0.05] = np.nan
    x[rng.random(n) < 0.03] = -999.0
    x[rng.random(n) < 0.02] = -998.0
    cat = rng.choice(list("abcdef"), size=n, p=[0.3, 0.25, 0.2, 0.15, 0.07, 0.03])
    df = pd.DataFrame(
        {"x": x, "cat": pd.Series(cat, dtype="str"), "bad": y, "long": rng.normal(size=n)}
    )
    return bin_features(df, "bad", specs={"x": BinningSpec(special_codes=(-999, -998), max_bins=5)})


def _twin(ax: object) -> object:
    siblings = [a for a in ax.get_shared_x_axes().get_siblings(ax) if a is not ax]  # type: ignore[attr-defined]
    assert len(siblings) == 1
    return siblings[0]


def _metric_values(ax: object) -> np.ndarray:
    lines = [ln for ln in _twin(ax).get_lines() if ln.get_gid() == "metric"]  # type: ignore[attr-defined]
    return np.concatenate([np.asarray(ln.get_ydata(), dtype=float) for ln in lines])


def test_plot_binning_bars_line_and_labels(toy_binning: Binning) -> None:
    fb = toy_binning["x"]
    tab = fb.table().iloc[:-1]
    ax = plot_binning(fb)
    # one bar per bin (regular, Missing, Special -999, Special -998), heights = shares
    assert len(ax.patches) == len(fb.labels) == len(tab)
    heights = np.array([p.get_height() for p in ax.patches])
    np.testing.assert_allclose(heights, tab["share"].to_numpy(float))
    np.testing.assert_allclose(heights.sum(), 1.0)
    # the line is the table's bad rate, bin by bin
    np.testing.assert_allclose(_metric_values(ax), tab["bad_rate"].to_numpy(float))
    # x tick labels are the bin labels
    assert [t.get_text() for t in ax.get_xticklabels()] == list(fb.labels)
    assert fb.labels[-3:] == ("Missing", "Special -999", "Special -998")


def test_plot_binning_regular_line_and_extra_markers(toy_binning: Binning) -> None:
    fb = toy_binning["x"]
    ax = plot_binning(fb)
    regular, extra = [ln for ln in _twin(ax).get_lines() if ln.get_gid() == "metric"]
    k = fb.n_regular
    assert len(regular.get_xdata()) == k and regular.get_linestyle() == "-"
    assert list(extra.get_xdata()) == list(range(k, len(fb.labels)))
    assert extra.get_linestyle() == "None"  # markers only: not joined to the regular bins


def test_missing_and_special_bins_are_visually_distinct(toy_binning: Binning) -> None:
    fb = toy_binning["x"]
    ax = plot_binning(fb)
    k = fb.n_regular
    colors = [tuple(p.get_facecolor()) for p in ax.patches]
    hatches = [p.get_hatch() for p in ax.patches]
    assert len(set(colors[:k])) == 1 and all(not h for h in hatches[:k])
    miss, sp1, sp2 = colors[k], colors[k + 1], colors[k + 2]
    assert miss != colors[0] and sp1 != colors[0] and miss != sp1 and sp1 == sp2
    assert all(hatches[k:])
    # a dashed separator between the regular and the other bins
    seps = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    assert len(seps) == 1 and seps[0].get_xdata()[0] == pytest.approx(k - 0.5)


def test_plot_binning_woe_metric(toy_binning: Binning) -> None:
    fb = toy_binning["x"]
    ax = plot_binning(fb, metric="woe")
    np.testing.assert_allclose(_metric_values(ax), fb.woe)
    assert _twin(ax).get_ylabel() == "WOE"  # type: ignore[attr-defined]


def test_plot_binning_after_moving_missing(toy_binning: Binning) -> None:
    fb = toy_binning["x"].move_missing(0)
    ax = plot_binning(fb)
    assert len(ax.patches) == len(fb.labels)
    assert fb.labels[0].endswith("| Missing")
    np.testing.assert_allclose(_metric_values(ax), fb.table()["bad_rate"].to_numpy(float)[:-1])


def test_plot_binning_categorical_and_empty_missing_bin(german: pd.DataFrame) -> None:
    b = bin_features(german, "bad", features=["status_of_existing_checking_account"])
    fb = b["status_of_existing_checking_account"]
    ax = plot_binning(fb, max_label_length=12)
    texts = [t.get_text() for t in ax.get_xticklabels()]
    assert len(texts) == len(fb.labels)
    assert all(len(t) <= 12 for t in texts)
    # cut labels keep their start and end in an ellipsis
    for t, lab in zip(texts, fb.labels):
        assert t == lab or (t.endswith("\u2026") and lab.startswith(t[:-1]))
    assert any(t.endswith("\u2026") for t in texts)
    # the Missing bin is empty: height 0 and no bad rate
    assert ax.patches[-1].get_height() == 0
    assert np.isnan(_metric_values(ax)[-1])


def test_plot_binning_on_given_axes(toy_binning: Binning) -> None:
    _fig, (a1, a2) = plt.subplots(1, 2)
    out = plot_binning(toy_binning["cat"], ax=a2)
    assert out is a2 and not a1.patches
    assert len(a2.patches) == len(toy_binning["cat"].labels)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"metric": "odds"}, "metric"),
        ({"max_label_length": 2}, "max_label_length"),
    ],
)
def test_plot_binning_bad_arguments(toy_binning: Binning, kwargs: dict, match: str) -> None:
    with pytest.raises(SpecificationError, match=match):
        plot_binning(toy_binning["x"], **kwargs)


def test_plot_binning_refuses_a_whole_binning(toy_binning: Binning) -> None:
    with pytest.raises(SpecificationError, match="FeatureBinning"):
        plot_binning(toy_binning)  # type: ignore[arg-type]


def test_plot_iv_bars_thresholds_and_labels(german: pd.DataFrame) -> None:
    b = bin_features(german, "bad")
    report = analyze(b)
    ax = plot_iv(report, top=8)
    expected = b.iv.sort_values(ascending=False, kind="stable").iloc[:8]
    assert len(ax.patches) == 8
    widths = np.array([p.get_width() for p in ax.patches])
    np.testing.assert_allclose(widths, expected.to_numpy())
    # strongest on top: the first bar has the smallest y on an inverted axis
    ys = [p.get_y() for p in ax.patches]
    assert ys == sorted(ys) and ax.yaxis_inverted()
    assert [t.get_text() for t in ax.get_yticklabels()] == list(expected.index)
    xs = sorted(ln.get_xdata()[0] for ln in ax.get_lines())
    assert xs == [t for t, _ in IV_THRESHOLDS] == [0.02, 0.1, 0.3, 0.5]
    # colors follow the strength labels: checking account (IV 0.67) is suspicious
    assert iv_label(widths[0]) == "suspicious"
    assert tuple(ax.patches[0].get_facecolor()) != tuple(ax.patches[1].get_facecolor())


def test_plot_iv_accepts_binning_and_series(toy_binning: Binning) -> None:
    a1 = plot_iv(toy_binning, top=None)
    a2 = plot_iv(toy_binning.iv)
    w1 = [p.get_width() for p in a1.patches]
    w2 = [p.get_width() for p in a2.patches]
    assert w1 == w2 == sorted(toy_binning.iv.tolist(), reverse=True)
    assert len(w1) == len(toy_binning)


def test_plot_iv_truncates_long_names() -> None:
    s = pd.Series({"a" * 60: 0.3, "b": 0.1})
    ax = plot_iv(s, max_label_length=10)
    texts = [t.get_text() for t in ax.get_yticklabels()]
    assert texts == ["a" * 9 + "\u2026", "b"]


@pytest.mark.parametrize(
    ("arg", "kwargs", "match"),
    [
        ("frame", {}, "columns 'feature' and 'iv'"),
        (42, {}, "expected a Binning"),
        (pd.Series(dtype=float), {}, "at least one feature"),
        (pd.Series({"a": -0.1}), {}, "IV values >= 0"),
        (pd.Series({"a": 0.1}), {"top": 0}, "top"),
        (pd.Series({"a": 0.1}), {"top": True}, "top"),
    ],
)
def test_plot_iv_bad_input(arg: object, kwargs: dict, match: str) -> None:
    if isinstance(arg, str):
        arg = pd.DataFrame({"name": ["a"], "value": [0.1]})
    with pytest.raises(SpecificationError, match=match):
        plot_iv(arg, **kwargs)  # type: ignore[arg-type]


@given(
    ivs=st.lists(st.floats(0, 2, allow_nan=False), min_size=1, max_size=30),
    top=st.one_of(st.none(), st.integers(1, 40)),
)
def test_property_plot_iv_shows_the_top_features_in_order(
    ivs: list[float], top: int | None
) -> None:
    s = pd.Series(ivs, index=[f"f{i}" for i in range(len(ivs))])
    ax = plot_iv(s, top=top)
    try:
        shown = [p.get_width() for p in ax.patches]
        n = len(ivs) if top is None else min(top, len(ivs))
        assert shown == sorted(ivs, reverse=True)[:n]
    finally:
        plt.close(ax.figure)


def test_import_does_not_load_matplotlib() -> None:
    code = "import sys, scorecard, scorecard.plotting; print('matplotlib' in sys.modules)"
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "False"


def test_missing_matplotlib_says_how_to_install(
    toy_binning: Binning, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    with pytest.raises(ImportError, match=r"pip install scorecard\[plot\]"):
        plot_binning(toy_binning["x"])
    with pytest.raises(ImportError, match=r"pip install scorecard\[plot\]"):
        plot_iv(toy_binning)
