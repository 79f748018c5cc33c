"""Plots of binnings and information values (optional: needs matplotlib).

Install the extra with ``pip install scorecard[plot]``.  Importing this module does
not import matplotlib; each function imports it when called, so the caller chooses
the backend first (``matplotlib.use("Agg")`` for scripts and tests).

* :func:`plot_binning`: one feature's bins: bars of the share of rows per bin and the
  bad rate (or the WOE) per bin as a line on a second axis; the missing and special
  bins are drawn apart, after a dashed separator, in their own colors.
* :func:`plot_iv`: the information value of each feature as horizontal bars, with the
  strength thresholds 0.02, 0.1, 0.3 and 0.5 as vertical lines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from scorecard._analyze.binning import Binning
from scorecard._analyze.feature import FeatureBinning
from scorecard._core.stats import iv_label
from scorecard.exceptions import SpecificationError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

__all__ = ["plot_binning", "plot_iv"]

#: IV strength thresholds (the strength labels of :func:`scorecard.analyze`) and the label
#: above each
IV_THRESHOLDS: tuple[tuple[float, str], ...] = (
    (0.02, "weak"),
    (0.1, "medium"),
    (0.3, "strong"),
    (0.5, "suspicious"),
)

_REGULAR_COLOR = "#4c72b0"
_MISSING_COLOR = "#9e9e9e"
_SPECIAL_COLOR = "#dd8452"
_LINE_COLOR = "#c44e52"
_STRENGTH_COLORS = {
    "unpredictive": "#bdbdbd",
    "weak": "#9ecae1",
    "medium": "#4292c6",
    "strong": "#08519c",
    "suspicious": "#c44e52",
}


def _pyplot() -> Any:
    """Import ``matplotlib.pyplot`` or say how to install it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            "scorecard.plotting needs matplotlib, which is not installed: "
            "pip install scorecard[plot]"
        ) from exc
    return plt


def _new_axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    plt = _pyplot()
    if ax is not None:
        return ax
    _, new = plt.subplots(figsize=figsize)
    out: Axes = new
    return out


def _shorten(text: str, max_len: int) -> str:
    """``text`` cut to ``max_len`` characters, ending in an ellipsis when cut."""
    return text if len(text) <= max_len else text[: max_len - 1] + "\u2026"


def _check_max_len(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 4:
        raise SpecificationError(f"max_label_length: expected an integer >= 4, found {value!r}")
    return value


def plot_binning(
    fb: FeatureBinning,
    ax: Axes | None = None,
    *,
    metric: Literal["bad_rate", "woe"] = "bad_rate",
    max_label_length: int = 24,
    rotation: float = 45.0,
) -> Axes:
    """Plot one feature's bins: share of rows as bars, bad rate or WOE as a line.

    The bars (left axis) are the share of the (weighted) rows in each bin, in the
    order of :attr:`FeatureBinning.labels`: the regular bins first, then the own
    ``Missing`` bin and one bin per special code.  Those last bins are drawn after
    a dashed separator, in gray (missing) and orange (special), hatched.  The line
    (right axis) is the bad rate per bin (``metric="bad_rate"``, as in the
    ``bad_rate`` column of :meth:`FeatureBinning.table`) or its WOE
    (``metric="woe"``); it joins the regular bins only, and the missing and special
    bins get markers of their own.  An empty bin has a bar of height 0 and no bad
    rate (its WOE is the feature's empty-bin treatment).

    Parameters
    ----------
    fb : FeatureBinning
        The binning of one feature, e.g. ``binning["age"]``.
    ax : matplotlib Axes, optional
        Axes to draw the bars on; a new figure is created when omitted.
    metric : {"bad_rate", "woe"}
        What the line shows.
    max_label_length : int
        Bin labels longer than this are cut and end in an ellipsis.
    rotation : float
        Rotation of the bin labels in degrees.

    Returns
    -------
    matplotlib Axes
        The axes with the bars.  The line is drawn on its twin (right) axes, which
        shares the x axis: ``ax.get_shared_x_axes().get_siblings(ax)``.  Of the
        twin's lines, the first holds the regular bins and the second (if there are
        missing or special bins) the others, both with ``gid="metric"``.

    Raises
    ------
    SpecificationError
        If ``fb`` is not a :class:`FeatureBinning` or ``metric`` is unknown.
    ImportError
        If matplotlib is not installed.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from scorecard import bin_features
    >>> from scorecard.datasets import load_german_credit
    >>> from scorecard.plotting import plot_binning
    >>> df = load_german_credit()
    >>> binning = bin_features(df, "bad", features=["duration_in_month"])
    >>> ax = plot_binning(binning["duration_in_month"])
    >>> len(ax.patches) == len(binning["duration_in_month"].labels)
    True
    >>> ax.figure.savefig("duration.png")  # doctest: +SKIP
    """
    if not isinstance(fb, FeatureBinning):
        raise SpecificationError(
            "plot_binning: expected a FeatureBinning (e.g. binning['age']), "
            f"found {type(fb).__name__}"
        )
    if metric not in ("bad_rate", "woe"):
        raise SpecificationError(
            f"plot_binning: expected metric 'bad_rate' or 'woe', found {metric!r}"
        )
    max_len = _check_max_len(max_label_length)
    tab = fb.table().iloc[:-1]  # without the Totals row
    n_bins = len(tab)
    k = fb.n_regular
    ax = _new_axes(ax, (max(6.0, 0.7 * n_bins + 2.0), 4.5))
    from matplotlib.patches import Patch
    from matplotlib.ticker import PercentFormatter

    x = np.arange(n_bins, dtype=np.float64)
    share = tab["share"].to_numpy(dtype=np.float64)
    colors = [_REGULAR_COLOR] * k
    hatches = [""] * k
    for j in range(k, n_bins):
        is_missing = j == fb.missing_index
        colors.append(_MISSING_COLOR if is_missing else _SPECIAL_COLOR)
        hatches.append("//" if is_missing else "..")
    bars = ax.bar(x, share, width=0.8, color=colors, edgecolor="white", zorder=2)
    for bar, hatch in zip(bars, hatches, strict=True):
        if hatch:
            bar.set_hatch(hatch)
            bar.set_edgecolor("#4d4d4d")
    ax.set_ylabel("share of rows")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xticks(x)
    ax.set_xticklabels(
        [_shorten(str(lab), max_len) for lab in tab["label"]],
        rotation=rotation,
        ha="right" if rotation else "center",
        rotation_mode="anchor",
    )
    ax.set_xlim(-0.6, n_bins - 0.4)
    if k < n_bins:
        ax.axvline(k - 0.5, color="#4d4d4d", linestyle="--", linewidth=0.8, zorder=1)

    if metric == "bad_rate":
        values = tab["bad_rate"].to_numpy(dtype=np.float64)
        line_label = "bad rate"
    else:
        values = tab["woe"].to_numpy(dtype=np.float64)
        line_label = "WOE"
    twin = ax.twinx()
    twin.plot(x[:k], values[:k], color=_LINE_COLOR, marker="o", linewidth=2, gid="metric", zorder=3)
    if k < n_bins:
        twin.plot(
            x[k:],
            values[k:],
            color=_LINE_COLOR,
            marker="D",
            linestyle="none",
            gid="metric",
            zorder=3,
        )
    twin.set_ylabel(line_label, color=_LINE_COLOR)
    twin.tick_params(axis="y", colors=_LINE_COLOR)
    finite = values[np.isfinite(values)]
    if metric == "bad_rate":
        twin.yaxis.set_major_formatter(PercentFormatter(1.0))
        top = float(finite.max()) if finite.size else 1.0
        twin.set_ylim(0.0, min(1.0, 1.15 * top) if top > 0 else 1.0)
    else:
        twin.axhline(0.0, color=_LINE_COLOR, linewidth=0.6, linestyle=":", zorder=1)

    handles: list[Artist] = [Patch(facecolor=_REGULAR_COLOR, label="share (regular bins)")]
    if fb.missing_bin is None:
        handles.append(Patch(facecolor=_MISSING_COLOR, hatch="//", label="missing"))
    if any(t is None for t in fb.special_bins):
        handles.append(Patch(facecolor=_SPECIAL_COLOR, hatch="..", label="special"))
    from matplotlib.lines import Line2D

    handles.append(Line2D([], [], color=_LINE_COLOR, marker="o", label=line_label))
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncol=len(handles),
        fontsize="small",
        frameon=False,
    )
    ax.set_title(f"{fb.name}: IV {fb.iv:.3f} ({iv_label(fb.iv)}), Gini {fb.gini:.3f}", pad=24.0)
    ax.set_xlabel("bin")
    return ax


def _iv_series(source: Any) -> pd.Series:
    """IV per feature from a Binning, an :func:`~scorecard.analyze` report or a Series."""
    if isinstance(source, Binning):
        s = source.iv
    elif isinstance(source, pd.DataFrame):
        missing = [c for c in ("feature", "iv") if c not in source.columns]
        if missing:
            raise SpecificationError(
                f"plot_iv: expected a report with columns 'feature' and 'iv' (from analyze), "
                f"found columns {list(source.columns)}"
            )
        s = pd.Series(
            source["iv"].to_numpy(dtype=np.float64),
            index=[str(f) for f in source["feature"]],
            name="iv",
        )
    elif isinstance(source, pd.Series):
        s = source.astype(np.float64)
    else:
        raise SpecificationError(
            "plot_iv: expected a Binning, an analyze() report or a Series of IV by feature, "
            f"found {type(source).__name__}"
        )
    if s.empty:
        raise SpecificationError("plot_iv: expected at least one feature, found none")
    vals = s.to_numpy(dtype=np.float64)
    if not np.all(np.isfinite(vals)) or np.any(vals < 0):
        raise SpecificationError(
            f"plot_iv: expected finite IV values >= 0, found {vals[~(vals >= 0)].tolist()[:5]}"
        )
    return s


def plot_iv(
    binning_or_report: Binning | pd.DataFrame | pd.Series,
    top: int | None = 20,
    ax: Axes | None = None,
    *,
    max_label_length: int = 40,
) -> Axes:
    """Horizontal bars of the information value per feature, strongest on top.

    Bars are colored by strength (unpredictive < 0.02 <= weak < 0.1 <= medium
    < 0.3 <= strong <= 0.5 < suspicious) and the four thresholds are drawn as
    dotted vertical lines.

    Parameters
    ----------
    binning_or_report : Binning, DataFrame or Series
        A :class:`~scorecard.Binning`, the report of :func:`~scorecard.analyze`
        (columns ``feature`` and ``iv``) or a Series of IV indexed by feature.
    top : int or None
        Show only the ``top`` strongest features (``None``: all).
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure is created when omitted.
    max_label_length : int
        Feature names longer than this are cut and end in an ellipsis.

    Returns
    -------
    matplotlib Axes
        One bar per feature shown (``ax.patches``), from the top down in order of
        decreasing IV; the threshold lines are ``ax.lines``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from scorecard import analyze, bin_features
    >>> from scorecard.datasets import load_german_credit
    >>> from scorecard.plotting import plot_iv
    >>> df = load_german_credit()
    >>> binning = bin_features(df, "bad", features=["duration_in_month", "housing", "job"])
    >>> ax = plot_iv(analyze(binning))
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['duration_in_month', 'housing', 'job']
    >>> ax.figure.savefig("iv.png")  # doctest: +SKIP
    """
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise SpecificationError(
            f"plot_iv: expected top to be a positive integer or None, found {top!r}"
        )
    max_len = _check_max_len(max_label_length)
    s = _iv_series(binning_or_report).sort_values(ascending=False, kind="stable")
    if top is not None:
        s = s.iloc[:top]
    n = len(s)
    ax = _new_axes(ax, (8.0, max(2.5, 0.35 * n + 1.2)))
    vals: npt.NDArray[np.float64] = s.to_numpy(dtype=np.float64)
    y = np.arange(n, dtype=np.float64)
    labels = [iv_label(float(v)) for v in vals]
    bars = ax.barh(y, vals, height=0.7, color=[_STRENGTH_COLORS[lab] for lab in labels], zorder=2)
    ax.bar_label(bars, fmt="%.3f", padding=2, fontsize="x-small")
    ax.set_yticks(y)
    ax.set_yticklabels([_shorten(str(nm), max_len) for nm in s.index])
    ax.set_ylim(n - 0.5, -0.5)  # strongest on top
    right = max(float(vals.max()) * 1.15, 0.55)
    ax.set_xlim(0.0, right)
    for threshold, name in IV_THRESHOLDS:
        ax.axvline(threshold, color="#4d4d4d", linestyle=":", linewidth=1.0, zorder=1)
        ax.text(
            threshold,
            1.0,
            f" {name}",
            transform=ax.get_xaxis_transform(),
            ha="left",
            va="bottom",
            fontsize="small",
            color="#4d4d4d",
        )
    ax.set_xlabel("information value (IV)")
    ax.set_title("Information value by feature", pad=16)
    return ax
