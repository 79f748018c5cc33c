"""Step 3 of the credit cycle, *score*: the logistic model on WOE (Newton engine, results,
stepwise selection), points scaling, the :class:`~scorecard.Scorecard` artifact, performance
metrics and the one-call build."""
