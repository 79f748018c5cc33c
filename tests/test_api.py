"""The public API is deliberate: this test pins it."""

from __future__ import annotations

import scorecard

PUBLIC = {
    "Bin",
    "CardMetadata",
    "Characteristic",
    "FineClasses",
    "SelectionRecord",
    "Binning",
    "BinningSpec",
    "CalibrationReport",
    "CreditPolicy",
    "Decision",
    "FeatureBinning",
    "FixedRange",
    "Grade",
    "GradeScale",
    "LogitResult",
    "ReasonCatalog",
    "ReasonCode",
    "Scaling",
    "Scorecard",
    "ScorecardBuild",
    "Selection",
    "SelectionPath",
    "__version__",
    "analyze",
    "bin_features",
    "calibrate",
    "calibrate_counts",
    "cutoff_table",
    "fit_logit",
    "fit_scorecard",
    "score_band_table",
    "select_features",
    "select_stepwise",
}


def test_all_is_pinned() -> None:
    assert set(scorecard.__all__) == PUBLIC
    assert len(scorecard.__all__) == len(PUBLIC)
    for name in scorecard.__all__:
        assert getattr(scorecard, name) is not None


def test_public_objects_have_docstrings_with_examples_or_are_value_classes() -> None:
    for name in scorecard.__all__:
        if name.startswith("_"):
            continue
        doc = getattr(scorecard, name).__doc__ or ""
        assert doc.strip(), f"{name} has no docstring"


def test_submodules() -> None:
    import scorecard.datasets
    import scorecard.exceptions
    import scorecard.metrics
    import scorecard.policy

    assert set(scorecard.exceptions.__all__) >= {"ScorecardError", "DataError", "SchemaError"}
    for mod in (scorecard.datasets, scorecard.exceptions, scorecard.metrics, scorecard.policy):
        for name in mod.__all__:
            assert hasattr(mod, name), (mod.__name__, name)


def test_errors_inherit_builtins() -> None:
    from scorecard import exceptions as e

    assert issubclass(e.DataError, ValueError)
    assert issubclass(e.SpecificationError, ValueError)
    assert issubclass(e.FitError, RuntimeError)
    assert issubclass(e.NotFittedError, AttributeError)
    assert issubclass(e.SchemaError, ValueError)
    assert issubclass(e.DataWarning, e.ScorecardWarning)
    for cls in (e.DataError, e.SpecificationError, e.FitError, e.NotFittedError, e.SchemaError):
        assert issubclass(cls, e.ScorecardError)


def test_deprecated_alias_analyse_warns_and_works() -> None:
    import pytest

    with pytest.warns(DeprecationWarning, match="use scorecard.analyze"):
        from scorecard import analyse
    assert analyse is scorecard.analyze
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        scorecard.nope  # type: ignore[attr-defined]  # noqa: B018
