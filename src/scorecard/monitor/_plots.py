"""The plots of the monitoring report, as inline PNG (optional: needs matplotlib).

The only module of :mod:`scorecard.monitor` that imports matplotlib, and only inside its
functions: each draws on a :class:`matplotlib.figure.Figure` of its own (no pyplot, no
global state, no backend to choose) and returns the PNG as base64 text for an
``<img src="data:image/png;base64,...">``.  :func:`available` says whether matplotlib
can be imported; without it the HTML report has the tables and says plots need the
``plot`` extra.
"""

from __future__ import annotations

import base64
import importlib.util
import io
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "auc_over_time",
    "available",
    "calibration_by_grade",
    "calibration_over_time",
    "psi_over_time",
    "score_distribution",
    "vintage_curves",
]

BASE_COLOR = "#4c72b0"
CURRENT_COLOR = "#dd8452"
LINE_COLOR = "#c44e52"
GREY = "#9e9e9e"


def available() -> bool:
    """Whether matplotlib (the ``plot`` extra) is installed."""
    try:
        return importlib.util.find_spec("matplotlib") is not None
    except (ImportError, ValueError):
        return False


def _figure(width: float = 7.0, height: float = 3.2) -> Any:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=90, layout="constrained")
    return fig


def _png(fig: Any) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _ticks(ax: Any, labels: Sequence[str]) -> None:
    x = np.arange(len(labels))
    step = max(1, math.ceil(len(labels) / 14))
    ax.set_xticks(x[::step])
    ax.set_xticklabels([labels[i] for i in range(0, len(labels), step)], rotation=45, ha="right")


def psi_over_time(
    periods: Sequence[str],
    psi: npt.ArrayLike,
    critical: npt.ArrayLike,
    amber: float,
    red: float,
    characteristics: dict[str, Any],
) -> str:
    """The score's PSI per period with its critical value and the two thresholds, and the
    CSI of the characteristics that moved most."""
    fig = _figure()
    ax = fig.subplots()
    x = np.arange(len(periods))
    for name, values in characteristics.items():
        ax.plot(x, np.asarray(values, dtype=float), lw=1, alpha=0.7, label=f"CSI {name}")
    ax.plot(x, np.asarray(psi, dtype=float), "o-", color="black", lw=2, label="PSI score")
    ax.plot(x, np.asarray(critical, dtype=float), ":", color=GREY, label="critical value")
    ax.axhline(amber, color="#f0ad4e", ls="--", lw=1, label=f"amber threshold {amber:g}")
    ax.axhline(red, color=LINE_COLOR, ls="--", lw=1, label=f"red threshold {red:g}")
    ax.set_ylabel("PSI")
    ax.set_ylim(bottom=0)
    _ticks(ax, periods)
    ax.legend(fontsize=7, loc="upper left", ncols=2)
    ax.set_title("Population stability over time", fontsize=10)
    return _png(fig)


def score_distribution(
    labels: Sequence[str],
    base_share: npt.ArrayLike,
    cur_share: npt.ArrayLike,
    base_rate: npt.ArrayLike,
    cur_rate: npt.ArrayLike,
) -> str:
    """Shares of the score bands, baseline against current, and their bad rates."""
    fig = _figure()
    ax = fig.subplots()
    x = np.arange(len(labels))
    ax.bar(x - 0.2, np.asarray(base_share, dtype=float), 0.4, color=BASE_COLOR, label="baseline")
    ax.bar(x + 0.2, np.asarray(cur_share, dtype=float), 0.4, color=CURRENT_COLOR, label="current")
    ax.set_ylabel("share of rows")
    _ticks(ax, labels)
    ax2 = ax.twinx()
    ax2.plot(x, np.asarray(base_rate, dtype=float), "o-", color=BASE_COLOR, lw=1)
    ax2.plot(x, np.asarray(cur_rate, dtype=float), "o-", color=CURRENT_COLOR, lw=1)
    ax2.set_ylabel("bad rate (lines)")
    ax.legend(fontsize=7, loc="upper right")
    ax.set_title("Score distribution: baseline against current", fontsize=10)
    return _png(fig)


def auc_over_time(
    periods: Sequence[str],
    auc: npt.ArrayLike,
    low: npt.ArrayLike,
    high: npt.ArrayLike,
    base: tuple[float, float, float],
) -> str:
    """AUC per period with its confidence band, and the baseline's AUC and band."""
    fig = _figure()
    ax = fig.subplots()
    x = np.arange(len(periods))
    ax.axhspan(base[1], base[2], color=BASE_COLOR, alpha=0.12, label="baseline interval")
    ax.axhline(base[0], color=BASE_COLOR, lw=1, label=f"baseline AUC {base[0]:.3f}")
    ax.fill_between(
        x,
        np.asarray(low, dtype=float),
        np.asarray(high, dtype=float),
        color=CURRENT_COLOR,
        alpha=0.25,
        label="interval",
    )
    ax.plot(x, np.asarray(auc, dtype=float), "o-", color=CURRENT_COLOR, label="AUC")
    ax.set_ylabel("AUC")
    _ticks(ax, periods)
    ax.legend(fontsize=7, loc="lower left")
    ax.set_title("Discrimination over time", fontsize=10)
    return _png(fig)


def calibration_over_time(
    periods: Sequence[str], observed: npt.ArrayLike, predicted: npt.ArrayLike
) -> str:
    """Observed against predicted bad rate per period."""
    fig = _figure()
    ax = fig.subplots()
    x = np.arange(len(periods))
    ax.plot(x, np.asarray(predicted, dtype=float), "s--", color=BASE_COLOR, label="predicted")
    ax.plot(x, np.asarray(observed, dtype=float), "o-", color=CURRENT_COLOR, label="observed")
    ax.set_ylabel("bad rate")
    ax.set_ylim(bottom=0)
    _ticks(ax, periods)
    ax.legend(fontsize=7)
    ax.set_title("Calibration over time", fontsize=10)
    return _png(fig)


def calibration_by_grade(
    grades: Sequence[str], observed: npt.ArrayLike, predicted: npt.ArrayLike
) -> str:
    """Observed against predicted bad rate per grade (log scale)."""
    fig = _figure()
    ax = fig.subplots()
    x = np.arange(len(grades))
    obs = np.asarray(observed, dtype=float)
    ax.plot(x, np.asarray(predicted, dtype=float), "s--", color=BASE_COLOR, label="predicted")
    ax.plot(x, np.where(obs > 0, obs, np.nan), "o-", color=CURRENT_COLOR, label="observed")
    ax.set_yscale("log")
    ax.set_ylabel("bad rate (log scale)")
    _ticks(ax, grades)
    ax.legend(fontsize=7)
    ax.set_title("Calibration by grade (current sample, pooled)", fontsize=10)
    return _png(fig)


def vintage_curves(cohorts: Sequence[str], table: npt.ArrayLike, unit: str) -> str:
    """Cumulative bad rate of each cohort by periods on book."""
    fig = _figure()
    ax = fig.subplots()
    rates = np.asarray(table, dtype=float)
    colors = _cmap(len(cohorts))
    for i, name in enumerate(cohorts):
        ax.plot(np.arange(rates.shape[1]), rates[i], color=colors[i], lw=1.2, label=name)
    ax.set_xlabel(f"{unit}s on book")
    ax.set_ylabel("cumulative bad rate")
    if len(cohorts) <= 12:
        ax.legend(fontsize=6, ncols=2)
    ax.set_title("Vintage curves (darker = more recent cohort)", fontsize=10)
    return _png(fig)


def _cmap(n: int) -> list[Any]:
    from matplotlib import colormaps

    cmap = colormaps["viridis_r"]
    return [cmap(0.15 + 0.8 * i / max(n - 1, 1)) for i in range(n)]
