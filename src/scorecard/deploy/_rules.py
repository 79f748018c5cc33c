"""A card's scoring rules, read once for every export (SQL, PMML, Excel).

:meth:`Scorecard.score` puts each value in a bin and adds the bin's integer points.  An
export has to write that lookup as tests an engine evaluates in order, so this module
reads it off the card's stored bins into one plain description per characteristic,
:class:`Branches`, in the order in which :meth:`FeatureBinning.bin_index
<scorecard.FeatureBinning.bin_index>` decides:

* **numeric**: a missing value (NaN) goes to the missing bin; a special code (compared on
  its float value) to its bin, wherever it lies; otherwise bin ``j`` when
  ``cuts[j - 1] <= x < cuts[j]`` (the first bin open downward, the last upward).  An
  infinite value or one that is not a number is *refused* (Python raises a
  :class:`~scorecard.exceptions.DataError`);
* **categorical**: a missing value goes to the missing bin; a level (``str(value)``) to the
  bin that lists it, special codes first (they win over a level of the same name, as in
  Python); any other level is *unseen* and takes the characteristic's unseen points.

Points are per bin, then one entry for unseen levels; ``None`` marks a bin the card
refuses to score (the ``"error"`` treatment of an empty bin or of unseen levels).  The
score is ``base_points`` plus one entry per characteristic; every export states how it
refuses what ``None`` refuses.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from scorecard._model.scorecard import Characteristic, Scorecard
from scorecard.exceptions import SpecificationError

__all__ = ["Branches", "branches", "check_text"]


@attrs.frozen
class Branches:
    """One characteristic's scoring rule as ordered tests (see the module docs).

    Attributes
    ----------
    name : str
        The characteristic (and input column).
    kind : {"numeric", "categorical"}
    missing : int
        Bin of missing values.
    specials : tuple of (float, int)
        Numeric only: each special code and its bin, tested before the intervals.
    cuts : tuple of float
        Numeric only: regular bin ``j`` is ``[cuts[j-1], cuts[j])``; ``len(cuts) + 1``
        regular bins.
    levels : tuple of (int, tuple of str)
        Categorical only: each bin that levels fall into, with its levels (special codes
        included), disjoint, in bin order.
    points : tuple of int or None
        Integer points per bin, then for unseen levels; ``None`` = refused.
    labels : tuple of str
        Bin labels, then ``"Unseen"``.
    """

    name: str
    kind: str
    missing: int
    specials: tuple[tuple[float, int], ...]
    cuts: tuple[float, ...]
    levels: tuple[tuple[int, tuple[str, ...]], ...]
    points: tuple[int | None, ...]
    labels: tuple[str, ...]

    @property
    def unseen(self) -> int | None:
        """Points of an unseen level (``None`` = refused)."""
        return self.points[-1]

    @property
    def regular(self) -> range:
        """Numeric: the regular bins, in the order of the intervals."""
        return range(len(self.cuts) + 1)


def check_text(value: str, what: str) -> str:
    """A name or level an export writes: any text but the NUL character, which no
    engine stores in text and which would end a literal early."""
    if "\x00" in value:
        raise SpecificationError(
            f"{what}: expected text without the NUL character (\\x00), found {value!r}"
        )
    return value


def _branches(c: Characteristic) -> Branches:
    fb = c.binning
    bins = fb.bins
    check_text(fb.name, "characteristic name")
    if fb.kind == "numeric":
        specials = tuple(
            (float(code), b.index) for b in bins for code in b.specials if not isinstance(code, str)
        )
        order = {float(code): k for k, code in enumerate(fb.fine.specials)}
        specials = tuple(sorted(specials, key=lambda s: order[s[0]]))
        cuts = tuple(float(v) for v in fb._cuts)
        levels: tuple[tuple[int, tuple[str, ...]], ...] = ()
    else:
        # the lookup FeatureBinning builds: levels of each fine class, then special codes
        lookup: dict[str, int] = {}
        for i, grp in enumerate(fb.fine.levels):
            for v in grp:
                lookup[v] = fb.groups[i]
        for b in bins:
            for code in b.specials:
                lookup[str(code)] = b.index
        by_bin: dict[int, list[str]] = {}
        for level, j in lookup.items():
            by_bin.setdefault(j, []).append(check_text(level, f"level of {fb.name!r}"))
        levels = tuple((j, tuple(by_bin[j])) for j in sorted(by_bin))
        specials, cuts = (), ()
    return Branches(
        name=fb.name,
        kind=fb.kind,
        missing=fb.missing_index,
        specials=specials,
        cuts=cuts,
        levels=levels,
        points=tuple(c.points),
        labels=(*fb.labels, "Unseen"),
    )


def branches(card: Scorecard) -> Sequence[Branches]:
    """The scoring rule of every characteristic of ``card``, in card order.

    Examples
    --------
    >>> import pandas as pd
    >>> from scorecard import BinningSpec, Scorecard, bin_features
    >>> df = pd.DataFrame({"x": [1.0, 2, 3, 4, -1] * 40, "bad": [1, 0, 0, 1, 0] * 40})
    >>> b = bin_features(df, "bad", spec=BinningSpec(optimize=False, n_fine=2,
    ...                                              special_codes=[-1]))
    >>> rule = branches(Scorecard.from_model(b, {"x": -1.0}, intercept=-1.0))[0]
    >>> rule.cuts, rule.specials, rule.missing, rule.labels
    ((3.0,), ((-1.0, 3),), 2, ('[-inf, 3)', '[3, inf)', 'Missing', 'Special -1', 'Unseen'))
    """
    return [_branches(c) for c in card.characteristics]
