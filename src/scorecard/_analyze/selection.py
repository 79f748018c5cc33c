"""Feature selection on binned features: IV bounds, WOE correlation, VIF.

Each step only removes features; the result says for every feature whether it
was kept and, if not, which step removed it and why.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import numpy as np
import pandas as pd

from scorecard._analyze.binning import Binning
from scorecard._core.fields import boolean, number, one_of, string, to_number
from scorecard._core.stats import iv_label, vif_from_corr, weighted_corr
from scorecard._core.types import FloatArray
from scorecard._core.validation import check_columns, check_frame, check_weights
from scorecard.exceptions import DataError, SpecificationError

#: which step of :func:`select_features` decided a feature ("" = kept by every step)
STEPS = ("", "forced", "excluded", "iv", "correlation", "vif")


@attrs.frozen
class SelectionRecord:
    """What :func:`select_features` decided for one feature, and why.

    Attributes
    ----------
    feature : str
    iv : float
        The feature's information value.
    kept : bool
        Whether the feature passed (or was forced in).
    step : {"", "forced", "excluded", "iv", "correlation", "vif"}
        The step that removed it, ``"forced"`` for a feature forced in, ``""`` for a
        feature every step kept.
    reason : str
        The decision in words.

    Examples
    --------
    >>> from scorecard import bin_features, select_features
    >>> from scorecard.datasets import load_german_credit
    >>> df = load_german_credit()
    >>> sel = select_features(bin_features(df, "bad"), df, min_iv=0.1)
    >>> rec = sel.steps[-1]
    >>> rec.kept, rec.step
    (False, 'iv')
    """

    feature: str = attrs.field(validator=string())
    iv: float = attrs.field(converter=to_number, validator=number(ge=0))
    kept: bool = attrs.field(validator=boolean)
    step: str = attrs.field(validator=one_of(STEPS))
    reason: str = attrs.field(validator=string(nonempty=False))


@attrs.frozen
class Selection:
    """Result of :func:`select_features`.

    Attributes
    ----------
    steps : tuple of SelectionRecord
        One entry per feature, strongest IV first.
    correlation : tuple of tuple of float
        WOE correlation matrix of the features that passed the IV step
        (in the order of ``correlated_features``).
    correlated_features : tuple of str
    vif : tuple of tuple
        ``(feature, vif)`` of the selected features at the end.

    Examples
    --------
    >>> from scorecard import bin_features, select_features
    >>> from scorecard.datasets import load_german_credit
    >>> df = load_german_credit()
    >>> sel = select_features(bin_features(df, "bad"), df)
    >>> len(sel.selected), len(sel.steps)
    (14, 20)
    >>> sel.table.columns.tolist()
    ['feature', 'iv', 'strength', 'kept', 'step', 'reason', 'vif']
    """

    steps: tuple[SelectionRecord, ...]
    correlation: tuple[tuple[float, ...], ...]
    correlated_features: tuple[str, ...]
    vif: tuple[tuple[str, float], ...]

    @property
    def selected(self) -> tuple[str, ...]:
        """Kept features, strongest first."""
        return tuple(s.feature for s in self.steps if s.kept)

    @property
    def table(self) -> pd.DataFrame:
        """One row per feature: iv, strength, kept, step, reason, vif."""
        vifs = dict(self.vif)
        return pd.DataFrame(
            {
                "feature": [s.feature for s in self.steps],
                "iv": [s.iv for s in self.steps],
                "strength": [iv_label(s.iv) for s in self.steps],
                "kept": [s.kept for s in self.steps],
                "step": [s.step for s in self.steps],
                "reason": [s.reason for s in self.steps],
                "vif": [vifs.get(s.feature, math.nan) for s in self.steps],
            }
        )

    def correlation_matrix(self) -> pd.DataFrame:
        """WOE correlations of the features that passed the IV step."""
        f = list(self.correlated_features)
        R = np.asarray(self.correlation, dtype=float).reshape(len(f), len(f))
        return pd.DataFrame(R, index=f, columns=f)

    def _repr_html_(self) -> str:
        return str(self.table.to_html(index=False))


def select_features(
    binning: Binning,
    data: pd.DataFrame,
    *,
    min_iv: float = 0.02,
    max_iv: float | None = None,
    max_corr: float = 0.7,
    max_vif: float | None = 5.0,
    force: Sequence[str] = (),
    exclude: Sequence[str] = (),
    sample_weight: Any = None,
    woe: pd.DataFrame | None = None,
) -> Selection:
    """Select binned features by IV bounds, pairwise WOE correlation and VIF.

    1. **IV**: drop features with IV below ``min_iv`` (or above ``max_iv``).
    2. **Correlation**: walk the features from the strongest IV down; drop one
       whose absolute WOE correlation with an already kept (stronger) feature
       exceeds ``max_corr``.
    3. **VIF**: while the largest VIF (computed with an intercept, i.e. from
       the centered design) exceeds ``max_vif``, drop that feature.

    Correlation and VIF need variation: ``data`` must have at least two rows (of positive
    weight), else a ``DataError``; a feature whose WOE takes one value on these rows has
    no correlation and no VIF, so it is dropped at the correlation step with that reason
    (or, forced in, kept with VIF NaN).

    Features in ``force`` are kept whatever the steps say (and still count
    when others are compared with them); features in ``exclude`` are dropped
    first.  WOE values come from ``binning.transform(data)``, or from ``woe`` when
    the caller already has that frame (it must have the binned features' columns).

    Examples
    --------
    >>> from scorecard.datasets import load_german_credit
    >>> from scorecard import bin_features
    >>> df = load_german_credit()
    >>> sel = select_features(bin_features(df, "bad"), df, min_iv=0.1)
    >>> sel.selected[:3]
    ('status_of_existing_checking_account', 'credit_history', 'duration_in_month')
    """
    _check_options(binning, min_iv, max_iv, max_corr, max_vif, force, exclude)
    df = check_frame(data)
    w = None if sample_weight is None else check_weights(sample_weight, df)
    rows = np.ones(len(df), dtype=bool) if w is None else w > 0  # weight 0: absent
    _check_rows(int(rows.sum()))

    def correlation(candidates: list[str]) -> tuple[FloatArray, set[str]]:
        if woe is None:
            X = binning.select(candidates).transform(df).to_numpy(dtype=np.float64)
        else:
            check_columns(woe, candidates, "woe")
            if len(woe) != len(df):
                raise DataError(
                    f"woe: expected {len(df)} rows (one per data row), found {len(woe)}"
                )
            X = woe[candidates].to_numpy(dtype=np.float64)
        R = weighted_corr(X, w) if candidates else np.zeros((0, 0))
        # a WOE with one value on these rows has no correlation and no VIF (not "VIF inf")
        flat = {n for i, n in enumerate(candidates) if np.ptp(X[rows, i]) == 0}
        return R, flat

    return _select(
        binning,
        correlation,
        int(rows.sum()),
        min_iv=min_iv,
        max_iv=max_iv,
        max_corr=max_corr,
        max_vif=max_vif,
        force=force,
        exclude=exclude,
    )


#: the WOE correlation matrix of the candidates (in their order) and those with a constant WOE
Correlation = Callable[[list[str]], tuple[FloatArray, set[str]]]


def _check_options(
    binning: Binning,
    min_iv: float,
    max_iv: float | None,
    max_corr: float,
    max_vif: float | None,
    force: Sequence[str],
    exclude: Sequence[str],
) -> None:
    if not isinstance(binning, Binning):
        raise SpecificationError(
            f"select_features: expected a Binning, found {type(binning).__name__}"
        )
    for nm, v in (("min_iv", min_iv), ("max_corr", max_corr)):
        if not isinstance(v, int | float) or v < 0:
            raise SpecificationError(f"select_features: expected {nm} >= 0, found {v!r}")
    if max_corr > 1:
        raise SpecificationError(f"select_features: expected max_corr <= 1, found {max_corr!r}")
    if max_vif is not None and max_vif < 1:
        raise SpecificationError(f"select_features: expected max_vif >= 1, found {max_vif!r}")
    unknown = sorted(set(force) | set(exclude) - set(binning.names))
    unknown = [u for u in unknown if u not in binning.names]
    if unknown:
        raise SpecificationError(
            f"select_features: force/exclude name features that are not binned: {unknown}"
        )
    both = sorted(set(force) & set(exclude))
    if both:
        raise SpecificationError(f"select_features: features both forced and excluded: {both}")


def _check_rows(n: int) -> None:
    if n < 2:
        raise DataError(
            "select_features: expected at least 2 rows (of positive weight) to compute WOE "
            f"correlations and VIF, found {n}: correlation and VIF are undefined on fewer"
        )


def select_by_correlation(
    binning: Binning,
    correlation: Correlation,
    rows: int,
    *,
    min_iv: float = 0.02,
    max_iv: float | None = None,
    max_corr: float = 0.7,
    max_vif: float | None = 5.0,
    force: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> Selection:
    """:func:`select_features` given the WOE correlations instead of the rows.

    ``correlation(candidates)`` returns the WOE correlation matrix of the features that
    pass the IV step (in that order) and the set of those whose WOE is constant on the
    ``rows`` rows; an engine computes them from counts (:mod:`scorecard.engines`).
    """
    _check_options(binning, min_iv, max_iv, max_corr, max_vif, force, exclude)
    _check_rows(rows)
    return _select(
        binning,
        correlation,
        rows,
        min_iv=min_iv,
        max_iv=max_iv,
        max_corr=max_corr,
        max_vif=max_vif,
        force=force,
        exclude=exclude,
    )


def _select(
    binning: Binning,
    correlation: Correlation,
    n_rows: int,
    *,
    min_iv: float,
    max_iv: float | None,
    max_corr: float,
    max_vif: float | None,
    force: Sequence[str],
    exclude: Sequence[str],
) -> Selection:
    ivs = binning.iv.sort_values(ascending=False, kind="stable")
    decided: dict[str, SelectionRecord] = {}
    forced = set(force)
    for name, value in ivs.items():
        nm = str(name)
        iv = float(value)
        if nm in exclude:
            decided[nm] = SelectionRecord(nm, iv, False, "excluded", "excluded by the caller")
        elif nm in forced:
            continue
        elif binning[nm].n_regular <= 1 and nm not in forced:
            decided[nm] = SelectionRecord(nm, iv, False, "iv", "single bin: its WOE is constant")
        elif iv < min_iv:
            decided[nm] = SelectionRecord(nm, iv, False, "iv", f"IV {iv:.4f} < min_iv {min_iv}")
        elif max_iv is not None and iv > max_iv:
            decided[nm] = SelectionRecord(
                nm, iv, False, "iv", f"IV {iv:.4f} > max_iv {max_iv} (suspicious)"
            )
    candidates = [str(n) for n in ivs.index if str(n) not in decided]
    R, flat = correlation(candidates)
    pos = {n: i for i, n in enumerate(candidates)}
    for n in flat:
        R[pos[n], :] = R[:, pos[n]] = np.nan

    kept: list[str] = [n for n in candidates if n in forced]
    for nm in candidates:
        if nm in forced:
            continue
        if nm in flat:
            decided[nm] = SelectionRecord(
                nm,
                float(ivs[nm]),
                False,
                "correlation",
                f"WOE constant on these {n_rows} rows (one bin): its correlation and "
                "VIF are undefined",
            )
            continue
        worst = None
        for other in kept:
            r = R[pos[nm], pos[other]]
            if not np.isnan(r) and abs(r) > max_corr and (worst is None or abs(r) > abs(worst[1])):
                worst = (other, float(r))
        if worst is not None:
            decided[nm] = SelectionRecord(
                nm,
                float(ivs[nm]),
                False,
                "correlation",
                f"|corr| {abs(worst[1]):.3f} > max_corr {max_corr} with stronger "
                f"{worst[0]!r} (IV {float(ivs[worst[0]]):.4f})",
            )
        else:
            kept.append(nm)

    varied = [n for n in kept if n not in flat]  # forced features with a constant WOE stay out
    vif_of: dict[str, float] = {}
    while varied:
        cols = [pos[n] for n in varied]
        current = vif_from_corr(R[np.ix_(cols, cols)])
        vif_of = {n: float(x) for n, x in zip(varied, current, strict=True)}
        if max_vif is None:
            break
        order = [i for i in np.argsort(-current, kind="stable") if varied[i] not in forced]
        if not order or current[order[0]] <= max_vif:
            break
        drop = varied[order[0]]
        decided[drop] = SelectionRecord(
            drop,
            float(ivs[drop]),
            False,
            "vif",
            f"VIF {current[order[0]]:.2f} > max_vif {max_vif}",
        )
        varied.remove(drop)
        kept.remove(drop)
    final_vif = [(n, vif_of.get(n, math.nan)) for n in kept]

    vifs = dict(final_vif)
    steps = []
    for name in ivs.index:
        nm = str(name)
        if nm in decided:
            steps.append(decided[nm])
        else:
            why = (
                "forced in by the caller"
                if nm in forced
                else (f"IV {float(ivs[nm]):.4f} ({iv_label(float(ivs[nm]))}), VIF {vifs[nm]:.2f}")
            )
            steps.append(
                SelectionRecord(nm, float(ivs[nm]), True, "forced" if nm in forced else "", why)
            )
    return Selection(
        steps=tuple(steps),
        correlation=tuple(tuple(float(x) for x in row) for row in R),
        correlated_features=tuple(candidates),
        vif=tuple(final_vif),
    )
