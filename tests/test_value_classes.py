"""Every field of every value class refuses bad values with a clear error.

Each frozen value class is rebuilt (``attrs.evolve``) from a valid instance with one field
replaced by a wrongly typed or out-of-range value.  The outcome must be either a valid
object or a :class:`~scorecard.exceptions.SpecificationError` whose message names the
field: never a bare ``TypeError``, ``ValueError`` or ``AttributeError`` from a converter or
a comparison that ran before the validator.
"""

from __future__ import annotations

import math
from typing import Any

import attrs
import pytest

from scorecard import (
    BinningSpec,
    CardMetadata,
    FixedRange,
    Grade,
    GradeScale,
    ReasonCatalog,
    ReasonCode,
    Scaling,
    Scorecard,
    SelectionRecord,
    bin_features,
    calibrate_counts,
)
from scorecard.exceptions import ScorecardError, SpecificationError

BAD_VALUES: list[Any] = [
    None,
    "abc",
    True,
    1.5,
    -1,
    math.nan,
    math.inf,
    [],
    {},
    ("x",),
    object(),
]


def _samples() -> dict[str, Any]:
    from scorecard.datasets import load_german_credit

    df = load_german_credit()
    binning = bin_features(df, "bad", features=["duration_in_month", "purpose"])
    fb = binning["duration_in_month"]
    card = Scorecard.from_model(binning, {"duration_in_month": -1.0, "purpose": -1.0}, -1.0)
    scale = GradeScale.from_cutoffs([600], ["A", "B"], pds=[0.01, 0.05])
    return {
        "Scaling": Scaling(),
        "FixedRange": FixedRange(),
        "BinningSpec": BinningSpec(),
        "FineClasses": fb.fine,
        "FeatureBinning": fb,
        "Bin": fb.bins[0],
        "Binning": binning,
        "ReasonCode": ReasonCode("age", "R1"),
        "ReasonCatalog": ReasonCatalog((ReasonCode("age", "R1"),)),
        "Characteristic": card.characteristics[0],
        "CardMetadata": CardMetadata(),
        "Scorecard": card,
        "Grade": Grade("A", pd=0.01),
        "GradeScale": scale,
        "CalibrationReport": calibrate_counts(scale, [10, 10], [1, 2]),
        "SelectionRecord": SelectionRecord("age", 0.1, True, "", "kept"),
    }


SAMPLES = _samples()
CASES = [
    (name, field.alias or field.name)
    for name, obj in SAMPLES.items()
    for field in attrs.fields(type(obj))
    if field.init
]


@pytest.mark.parametrize(("cls", "field"), CASES)
def test_bad_field_values_raise_specification_errors_naming_the_field(cls: str, field: str) -> None:
    obj = SAMPLES[cls]
    for value in BAD_VALUES:
        message = None
        try:
            attrs.evolve(obj, **{field: value})
        except SpecificationError as exc:
            message = str(exc)
        except ScorecardError as exc:  # pragma: no cover - the wrong subclass
            pytest.fail(f"{cls}.{field}={value!r}: {type(exc).__name__}: {exc}")
        except Exception as exc:
            pytest.fail(f"{cls}.{field}={value!r} leaked {type(exc).__name__}: {exc}")
        if message is not None:
            # the field itself, or a field of the class it must agree with (length, order)
            assert f"{cls}." in message or field.lstrip("_") in message, (value, message)


def test_the_classes_checked_are_the_public_value_classes() -> None:
    import scorecard

    for name in SAMPLES:
        assert getattr(scorecard, name) is type(SAMPLES[name])


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Scaling(pdo="abc"), "Scaling.pdo: expected a finite number > 0, found 'abc'"),
        (lambda: Scaling(base_odds=True), "Scaling.base_odds: expected a finite number > 0"),
        (lambda: FixedRange(300, 850.5), "FixedRange.max_score: expected a whole number"),
        (lambda: FixedRange(900, 850), "FixedRange.max_score: expected more than min_score"),
        (lambda: BinningSpec(max_bins=2.5), "BinningSpec.max_bins: expected an integer >= 1"),
        (lambda: BinningSpec(optimize="yes"), "BinningSpec.optimize: expected True or False"),
        (lambda: ReasonCode("age", ""), "ReasonCode.code: expected a non-empty string"),
    ],
)
def test_messages_say_where_what_was_expected_and_what_was_found(make: Any, message: str) -> None:
    with pytest.raises(SpecificationError) as info:
        make()
    assert str(info.value).startswith(message)
