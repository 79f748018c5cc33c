"""The binning of a frame: :class:`Binning` (one :class:`~scorecard.FeatureBinning` per
feature) and :func:`bin_features`, which fits it."""

from __future__ import annotations

import multiprocessing
import os
import warnings
from collections.abc import Hashable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Literal

import attrs
import numpy as np
import pandas as pd

from scorecard._analyze.feature import FeatureBinning, fit_feature, share_unseen
from scorecard._analyze.spec import BinningSpec
from scorecard._core import artifact as _json
from scorecard._core.fields import string, to_tuple, tuple_of
from scorecard._core.types import FloatArray, Int8Array, IntArray
from scorecard._core.validation import (
    check_columns,
    check_frame,
    check_target,
    check_weights,
    column_labels,
)
from scorecard.exceptions import DataError, SpecificationError

__all__ = ["Binning", "BinningSpec", "FeatureBinning", "bin_features"]

SCHEMA_VERSION = 1


@attrs.frozen
class Binning(_json.JsonArtifact):
    """The binning of every feature of a frame: a collection of :class:`FeatureBinning`.

    Examples
    --------
    >>> from scorecard.datasets import load_german_credit
    >>> df = load_german_credit()
    >>> b = bin_features(df, "bad", features=["duration_in_month", "purpose"])
    >>> b.names
    ('duration_in_month', 'purpose')
    >>> woe = b.transform(df)
    >>> list(woe.columns)
    ['duration_in_month', 'purpose']
    """

    _KIND = "binning"
    _SCHEMA_VERSION = SCHEMA_VERSION

    features: tuple[FeatureBinning, ...] = attrs.field(
        converter=to_tuple,
        validator=tuple_of(lambda f: isinstance(f, FeatureBinning), "FeatureBinning objects"),
    )
    target: str = attrs.field(default="bad", validator=string())

    def __attrs_post_init__(self) -> None:
        names = [f.name for f in self.features]
        if len(set(names)) != len(names):
            raise SpecificationError(f"Binning: expected distinct feature names, found {names}")

    @property
    def names(self) -> tuple[str, ...]:
        """Feature names, in order."""
        return tuple(f.name for f in self.features)

    def __getitem__(self, name: str) -> FeatureBinning:
        for f in self.features:
            if f.name == name:
                return f
        raise KeyError(f"no binning for feature {name!r}; features are {list(self.names)}")

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def __len__(self) -> int:
        return len(self.features)

    def replace(self, binning: FeatureBinning) -> Binning:
        """A new :class:`Binning` with one feature's binning replaced (by name)."""
        if binning.name not in self.names:
            raise KeyError(f"no binning for feature {binning.name!r}")
        return attrs.evolve(
            self, features=tuple(binning if f.name == binning.name else f for f in self.features)
        )

    def select(self, names: Sequence[str]) -> Binning:
        """A new :class:`Binning` with only (and in the order of) ``names``."""
        return attrs.evolve(self, features=tuple(self[n] for n in names))

    @property
    def iv(self) -> pd.Series:
        """IV per feature."""
        out = pd.Series({f.name: f.iv for f in self.features}, name="iv", dtype=np.float64)
        return out

    def table(self, name: str | None = None) -> pd.DataFrame:
        """Binning table of one feature, or of all features stacked."""
        if name is not None:
            return self[name].table()
        return pd.concat([f.table() for f in self.features], ignore_index=True)

    def transform(
        self, data: pd.DataFrame, metric: Literal["woe", "index", "label"] = "woe"
    ) -> pd.DataFrame:
        """WOE (or bin index / label) of every binned feature; same index as ``data``.

        A feature named ``"0"`` reads the column labelled ``"0"``, else the one labelled
        ``0`` (a feature is named ``str(label)``).  Values follow the value rule (see
        :meth:`FeatureBinning.bin_index`), which also warns when most of a categorical
        column's values are unseen in training.
        """
        check_frame(data)
        labels = column_labels(data, self.names)
        return pd.DataFrame(
            {
                f.name: f.transform(data[label], metric)
                for f, label in zip(self.features, labels, strict=True)
            },
            index=data.index,
        )

    def bin_indices(self, data: pd.DataFrame) -> dict[str, IntArray]:
        """Bin index of every row, per feature (``-1`` = unseen category).

        Bin the rows once and derive several things from the indices: the WOE
        (:meth:`woe_from_indices`), a scorecard's points (``Scorecard.score_and_pd(data,
        indices)``), the unseen share (:meth:`unseen_share`).
        """
        check_frame(data)
        labels = column_labels(data, self.names)
        return {
            f.name: f.bin_index(data[label]) for f, label in zip(self.features, labels, strict=True)
        }

    def unseen_share(
        self, data: pd.DataFrame, indices: Mapping[str, IntArray] | None = None
    ) -> pd.Series:
        """Share of each feature's values that are categories unseen in training.

        For monitoring: a share that grows means new levels (or a changed coding) in the
        data the card now sees; numeric features have none (0.0).  ``indices`` (from
        :meth:`bin_indices` on the same rows) saves binning them again; without it the
        rows are binned once, without the unseen-values warning.

        Examples
        --------
        >>> import pandas as pd
        >>> from scorecard.datasets import load_german_credit
        >>> b = bin_features(load_german_credit(), "bad", features=["housing", "age_in_years"])
        >>> rows = pd.DataFrame({"housing": ["own", "OWN", "Rent", None], "age_in_years": 30})
        >>> b.unseen_share(rows).to_dict()
        {'housing': 0.5, 'age_in_years': 0.0}
        """
        if indices is None:
            check_frame(data)
            labels = column_labels(data, self.names)
            shares = [
                f.unseen_share(data[label]) for f, label in zip(self.features, labels, strict=True)
            ]
        else:
            shares = [share_unseen(np.asarray(indices[f.name])) for f in self.features]
        return pd.Series(shares, index=list(self.names), name="unseen_share", dtype=np.float64)

    def woe_from_indices(
        self, indices: Mapping[str, IntArray], index: pd.Index | None = None
    ) -> pd.DataFrame:
        """The WOE frame of :meth:`transform` from bin indices (:meth:`bin_indices`)."""
        return pd.DataFrame(
            {f.name: f.woe_from_index(indices[f.name]) for f in self.features}, index=index
        )

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target, "features": [f.to_dict() for f in self.features]}

    @classmethod
    def from_dict(cls, d: Any) -> Binning:
        """Inverse of :meth:`to_dict`; each feature is checked as by
        :meth:`FeatureBinning.from_dict`, and the names must be distinct."""
        o = _json.Obj(d)
        feats = []
        for i, f in enumerate(o.array("features")):
            with _json.within("features", i):
                feats.append(FeatureBinning.from_dict(f))
        target = o.string("target")
        with _json.within():
            return cls(features=tuple(feats), target=target)


def bin_features(
    data: pd.DataFrame,
    target: str,
    *,
    features: Sequence[str] | None = None,
    spec: BinningSpec | None = None,
    specs: Mapping[str, BinningSpec] | None = None,
    sample_weight: Any = None,
    bad_label: Any = None,
    n_jobs: int = 1,
) -> Binning:
    """Bin every feature of a frame: fine classing, then optimal coarse classing.

    Parameters
    ----------
    data : DataFrame
        Features and target.  A feature is named ``str(label)`` of its column (so column
        ``0`` gives feature ``"0"``).
    target : str
        Name of the target column (1 = bad, 0 = good, unless ``bad_label`` says
        which value is bad).
    features : sequence of str, optional
        Columns to bin (default: every column except the target and, if given
        by name, the weight column).
    spec : BinningSpec, optional
        Options for every feature; ``specs`` overrides them per feature.
    sample_weight : str or array-like, optional
        A column name or one non-negative weight per row.
    n_jobs : int, default 1
        Worker processes that bin features at the same time (``-1``: one per CPU core).
        The bins are the same for every ``n_jobs``.  Default 1 (in this process): a
        worker takes about a second to start and receives each column it bins, so
        workers pay off for many features on many rows (a wide bureau extract), not for
        a few dozen features.  Workers are started by ``spawn``: a script that calls this
        with ``n_jobs != 1`` needs the ``if __name__ == "__main__":`` guard.

    Returns
    -------
    Binning

    Examples
    --------
    >>> from scorecard.datasets import load_german_credit
    >>> df = load_german_credit()
    >>> b = bin_features(df, "bad", spec=BinningSpec(max_bins=5))
    >>> len(b)
    20
    >>> round(b["status_of_existing_checking_account"].iv, 2)
    0.67
    """
    df = check_frame(data)
    check_columns(df, [target])
    y = check_target(df[target], target, bad_label)
    w = None if sample_weight is None else check_weights(sample_weight, df, y=y)
    excluded: set[Hashable] = {target}
    if isinstance(sample_weight, str):
        excluded.add(sample_weight)
    if features is None:
        names = [c for c in df.columns if c not in excluded]
    else:
        names = list(features)
        check_columns(df, names)
        if target in names:
            raise DataError(f"features: the target column {target!r} cannot be a feature")
    if not names:
        raise DataError("features: expected at least one feature column, found none")
    printed: dict[str, list[Hashable]] = {}
    for n in names:
        printed.setdefault(str(n), []).append(n)
    for name, labels in printed.items():
        if len(labels) > 1:
            shown = " and ".join(repr(c) for c in labels)
            raise DataError(
                f"features: columns {shown} print the same name {name!r} (a feature is named "
                "str(label)): expected one column per feature name; rename one of them"
            )
    specs = {str(k): v for k, v in (specs or {}).items()}
    unknown = set(specs) - set(printed)
    if unknown:
        raise SpecificationError(
            f"specs: per-feature specs for columns that are not binned: {sorted(unknown)}"
        )
    base = spec or BinningSpec()
    jobs = _workers(n_jobs, len(names))
    if jobs == 1:
        fitted = [fit_feature(df[n], str(n), y, w, specs.get(str(n), base)) for n in names]
    else:
        tasks = [(df[n], str(n), y, w, specs.get(str(n), base)) for n in names]
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            fitted = []
            for fb, caught in pool.map(_fit_caught, tasks, chunksize=_chunk(len(tasks), jobs)):
                for message, category in caught:  # the worker's warnings, here and in order
                    warnings.warn(message, category, stacklevel=2)
                fitted.append(fb)
    return Binning(features=tuple(fitted), target=str(target))


def _workers(n_jobs: Any, n_features: int) -> int:
    """Processes for ``n_features`` features: ``n_jobs`` (``-1``: every core), at most one
    per feature."""
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int | np.integer) or n_jobs == 0:
        raise SpecificationError(
            f"n_jobs: expected a positive number of processes or -1 (every core), found {n_jobs!r}"
        )
    if n_jobs < 0:
        if n_jobs != -1:
            raise SpecificationError(
                f"n_jobs: expected a positive number of processes or -1 (every core), found "
                f"{n_jobs!r}"
            )
        n_jobs = os.cpu_count() or 1
    return max(1, min(int(n_jobs), n_features))


def _chunk(n_tasks: int, jobs: int) -> int:
    """Features per message to a worker: few messages, yet about even shares at the end."""
    return max(1, n_tasks // (jobs * 8))


def _fit_caught(
    task: tuple[pd.Series, str, Int8Array, FloatArray | None, BinningSpec],
) -> tuple[FeatureBinning, list[tuple[str, type[Warning]]]]:
    """:func:`fit_feature` in a worker: the binning and the warnings it gave (to replay)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fb = fit_feature(*task)
    return fb, [(str(c.message), c.category) for c in caught]
