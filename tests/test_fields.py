"""The shared attrs converters and validators (``scorecard._core.fields``)."""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard._core import fields as f
from scorecard.exceptions import SpecificationError


@attrs.frozen
class Example:
    rate: float = attrs.field(default=0.5, converter=f.to_number, validator=f.number(gt=0, lt=1))
    count: int = attrs.field(default=1, converter=f.to_integer, validator=f.integer(ge=1))
    limit: float | None = attrs.field(
        default=None, converter=f.to_optional_number, validator=f.optional(f.number(ge=0))
    )
    kind: str = attrs.field(default="a", validator=f.one_of(("a", "b")))
    flag: bool = attrs.field(default=True, validator=f.boolean)
    name: str = attrs.field(default="x", validator=f.string())


def test_values_of_the_right_kind_are_normalized() -> None:
    e = Example(rate=np.float32(0.25), count=np.int16(3), limit=np.int64(7))
    assert (e.rate, e.count, e.limit) == (0.25, 3, 7.0)
    assert (type(e.rate), type(e.count), type(e.limit)) == (float, int, float)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rate": "abc"}, "Example.rate: expected a finite number > 0 and < 1, found 'abc'"),
        ({"rate": None}, "Example.rate: expected a finite number > 0 and < 1, found None"),
        ({"rate": True}, "Example.rate: expected a finite number > 0 and < 1, found True"),
        ({"rate": math.nan}, "Example.rate: expected a finite number > 0 and < 1, found nan"),
        ({"rate": 1}, "Example.rate: expected a finite number > 0 and < 1, found 1.0"),
        ({"count": 2.0}, "Example.count: expected an integer >= 1, found 2.0"),
        ({"count": False}, "Example.count: expected an integer >= 1, found False"),
        ({"count": 0}, "Example.count: expected an integer >= 1, found 0"),
        ({"limit": -1}, "Example.limit: expected a finite number >= 0 or None, found -1.0"),
        ({"limit": "1"}, "Example.limit: expected a finite number >= 0 or None, found '1'"),
        ({"kind": "c"}, "Example.kind: expected one of ('a', 'b'), found 'c'"),
        ({"kind": ["a"]}, "Example.kind: expected one of ('a', 'b'), found ['a']"),
        ({"flag": 1}, "Example.flag: expected True or False, found 1"),
        ({"name": " "}, "Example.name: expected a non-empty string, found ' '"),
    ],
)
def test_bad_values_name_the_field(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecificationError) as info:
        Example(**kwargs)
    assert str(info.value) == message


@given(st.one_of(st.floats(allow_nan=True), st.integers(), st.booleans(), st.text(), st.none()))
def test_number_validator_accepts_exactly_finite_in_range_numbers(value: Any) -> None:
    ok = (
        not isinstance(value, bool)
        and isinstance(value, int | float)
        and math.isfinite(value)
        and 0 < value < 1
    )
    if ok:
        assert Example(rate=value).rate == float(value)
    else:
        with pytest.raises(SpecificationError, match=r"^Example\.rate: "):
            Example(rate=value)
