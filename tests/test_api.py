"""The public API is deliberate: this test pins it."""

from __future__ import annotations

import scorecard

PUBLIC = {
    "RecordScore",
    "FeatureOutcome",
    "LogitSummary",
    "SelectionStep",
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


PUBLIC_MODULES = (
    "scorecard",
    "scorecard.policy",
    "scorecard.metrics",
    "scorecard.datasets",
    "scorecard.sklearn",
    "scorecard.plotting",
    "scorecard.testing",
    "scorecard.monitor",
    "scorecard.deploy",
)


def _public_objects() -> list[tuple[str, str, object]]:
    import importlib

    out = []
    for modname in PUBLIC_MODULES:
        mod = importlib.import_module(modname)
        for name in mod.__all__:
            out.append((modname, name, getattr(mod, name)))
    return out


def test_public_names_are_defined_in_the_package_and_documented() -> None:
    """Every public name is the library's own and appears in the API reference."""
    from pathlib import Path

    docs = Path(__file__).resolve().parents[1] / "docs"
    reference = (docs / "api.md").read_text(encoding="utf-8") + (docs / "sklearn.md").read_text(
        encoding="utf-8"
    )
    missing = []
    for modname, name, obj in _public_objects():
        if name == "__version__":
            continue
        if callable(obj):
            assert getattr(obj, "__module__", "").startswith("scorecard"), (modname, name)
        if f"{modname}.{name}" not in reference and not (
            modname == "scorecard.policy" and f"scorecard.{name}" in reference
        ):
            missing.append(f"{modname}.{name}")
    assert not missing, f"not in docs/api.md: {missing}"


def test_public_classes_and_functions_have_runnable_examples() -> None:
    """A numpydoc Examples section with at least one doctest line (run by the suite)."""
    lacking = []
    for modname, name, obj in _public_objects():
        if not callable(obj) or (isinstance(obj, type) and issubclass(obj, BaseException)):
            continue
        doc = obj.__doc__ or ""
        if "Examples\n" not in doc or ">>>" not in doc:
            lacking.append(f"{modname}.{name}")
    assert not lacking, f"no Examples section with doctests: {lacking}"


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
