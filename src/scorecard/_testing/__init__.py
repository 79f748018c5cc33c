"""The machinery behind :mod:`scorecard.testing` (private: the public face is that module).

* :mod:`~scorecard._testing.cover`: the bins of a card and the values that reach them;
  the seeded covering records.
* :mod:`~scorecard._testing.strategies`: the hypothesis strategies (the only module that
  imports hypothesis).
* :mod:`~scorecard._testing.diff`: the readable difference of two JSON artifacts.
* :mod:`~scorecard._testing.golden`: golden scores (the table, its CSV file, the report).
"""
