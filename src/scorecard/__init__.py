"""scorecard: credit scorecards from binning to credit policy.

See https://scorecard.readthedocs.io (the ``docs/`` folder) for the user guide.
"""

from __future__ import annotations

from scorecard._version import __version__

__all__ = ["__version__"]
