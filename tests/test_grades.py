"""Tests for grades and master scales (``scorecard.policy._grades``)."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard._core.artifact import dumps
from scorecard._model.scaling import Scaling
from scorecard.exceptions import DataError, SchemaError, SpecificationError
from scorecard.policy._grades import DEFAULT_PD_FLOOR, Grade, GradeScale

# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def abc() -> GradeScale:
    # A: [620, inf), B: [580, 620), C: (-inf, 580)
    return GradeScale.from_cutoffs(
        [620, 580], ["A", "B", "C"], labels=["low", "mid", "high"], pds=[0.0001, 0.02, 0.1]
    )


# --------------------------------------------------------------------------- Grade


def test_grade_defaults_and_conversion() -> None:
    g = Grade("A", min_score=600)
    assert g == Grade(name="A", label="", min_score=600.0, pd=None)
    assert isinstance(g.min_score, float)
    assert Grade("E").min_score == -math.inf
    assert Grade("A", "x", np.float32(600), np.float64(0.01)).pd == pytest.approx(0.01)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": ""}, "Grade.name"),
        ({"name": "  "}, "Grade.name"),
        ({"name": 3}, "Grade.name"),
        ({"name": "A", "label": 5}, "Grade.label"),
        ({"name": "A", "min_score": math.nan}, "Grade.min_score"),
        ({"name": "A", "min_score": math.inf}, "Grade.min_score"),
        ({"name": "A", "min_score": "600"}, "Grade.min_score"),
        ({"name": "A", "min_score": True}, "Grade.min_score"),
        ({"name": "A", "pd": 0.0}, "Grade.pd"),
        ({"name": "A", "pd": -0.1}, "Grade.pd"),
        ({"name": "A", "pd": 1.5}, "Grade.pd"),
        ({"name": "A", "pd": math.nan}, "Grade.pd"),
    ],
)
def test_grade_bad_input(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(SpecificationError, match=field.replace(".", r"\.")):
        Grade(**kwargs)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- scale validation


def test_scale_properties(abc: GradeScale) -> None:
    assert abc.names == ("A", "B", "C")
    assert abc.labels == ("low", "mid", "high")
    assert abc.pds == (0.0001, 0.02, 0.1)
    assert abc.cutoffs == (620.0, 580.0)
    assert abc.has_pds
    assert len(abc) == 3
    assert abc.all_names == ("A", "B", "C")
    assert abc.pd_floor == DEFAULT_PD_FLOOR == 0.0003
    assert abc.grade("B") == Grade("B", "mid", 580.0, 0.02)


def test_grades_accepts_list_and_stores_tuple() -> None:
    s = GradeScale([Grade("A", min_score=1.0), Grade("B")])
    assert isinstance(s.grades, tuple)


@pytest.mark.parametrize(
    ("grades", "field", "found"),
    [
        ((), r"GradeScale\.grades", "empty scale"),
        ([Grade("A", min_score=1.0), "B"], r"GradeScale\.grades\[1\]", "str"),
        (
            [Grade("A", min_score=1.0), Grade("A")],
            r"GradeScale\.grades",
            r"duplicate names \['A'\]",
        ),
        # a gap at the bottom: scores below 1 would get no grade
        ([Grade("A", min_score=2.0), Grade("B", min_score=1.0)], r"grades\[1\]\.min_score", "gap"),
        # unordered: B's bound is above A's
        (
            [Grade("A", min_score=1.0), Grade("B", min_score=2.0), Grade("C")],
            r"grades\[1\]\.min_score",
            "wrong order",
        ),
        # overlap: two grades with the same bound
        (
            [Grade("A", min_score=1.0), Grade("B", min_score=1.0), Grade("C")],
            r"grades\[1\]\.min_score",
            "overlap",
        ),
        # two -inf grades also overlap
        ([Grade("A"), Grade("B")], r"grades\[1\]\.min_score", "overlap"),
        # PDs not monotone: the worse grade B has a lower PD
        (
            [Grade("A", min_score=1.0, pd=0.05), Grade("B", pd=0.01)],
            r"grades\[1\]\.pd",
            "monotone",
        ),
        # PDs for some grades only
        ([Grade("A", min_score=1.0, pd=0.05), Grade("B")], r"GradeScale\.grades", r"\['B'\]"),
        # a performing grade with PD 1
        ([Grade("A", min_score=1.0, pd=0.05), Grade("B", pd=1.0)], r"grades\[1\]\.pd", "below 1"),
    ],
)
def test_scale_bad_grades(grades: list[Grade], field: str, found: str) -> None:
    with pytest.raises(SpecificationError, match=field) as info:
        GradeScale(grades)
    assert info.match(found)


def test_scale_bad_default_grade_and_floor() -> None:
    grades = (Grade("A", min_score=1.0, pd=0.01), Grade("B", pd=0.1))
    with pytest.raises(SpecificationError, match=r"default_grade.*'A'"):
        GradeScale(grades, default_grade=Grade("A"))
    with pytest.raises(SpecificationError, match=r"default_grade\.pd"):
        GradeScale(grades, default_grade=Grade("D", pd=0.05))
    with pytest.raises(SpecificationError, match=r"default_grade"):
        GradeScale(grades, default_grade="D")  # type: ignore[arg-type]
    for floor in (-0.1, 1.0, math.nan):
        with pytest.raises(SpecificationError, match=r"pd_floor"):
            GradeScale(grades, pd_floor=floor)


def test_from_cutoffs_bad_input() -> None:
    with pytest.raises(SpecificationError, match="cutoffs.*duplicates"):
        GradeScale.from_cutoffs([600, 600], ["A", "B", "C"])
    with pytest.raises(SpecificationError, match="cutoffs.*finite"):
        GradeScale.from_cutoffs([600, math.nan], ["A", "B", "C"])
    with pytest.raises(SpecificationError, match="cutoffs: expected 2 score boundaries"):
        GradeScale.from_cutoffs([600], ["A", "B", "C"])
    with pytest.raises(SpecificationError, match="pds: expected 3 values"):
        GradeScale.from_cutoffs([600, 500], ["A", "B", "C"], pds=[0.1, 0.2])
    with pytest.raises(SpecificationError, match="labels: expected 3 values"):
        GradeScale.from_cutoffs([600, 500], ["A", "B", "C"], labels=["x"])
    with pytest.raises(SpecificationError, match="names.*single string"):
        GradeScale.from_cutoffs([600, 500], "ABC")
    with pytest.raises(SpecificationError, match=r"grades\[1\]\.pd.*monotone"):
        GradeScale.from_cutoffs([600, 500], ["A", "B", "C"], pds=[0.01, 0.005, 0.2])
    with pytest.raises(SpecificationError, match="GradeScale.grades.*empty"):
        GradeScale.from_cutoffs([], [])


def test_from_cutoffs_any_order_and_single_grade() -> None:
    a = GradeScale.from_cutoffs([580, 620], ["A", "B", "C"])
    b = GradeScale.from_cutoffs([620, 580], ["A", "B", "C"])
    assert a == b
    one = GradeScale.from_cutoffs([], ["ALL"])
    assert one.assign([-1e300, 0, 1e300]).tolist() == ["ALL"] * 3


# --------------------------------------------------------------------------- assign


def test_assign_hand_computed(abc: GradeScale) -> None:
    scores = [700, 620, 619.999, 600, 580, 579.9, -5, math.inf, -math.inf]
    assert abc.assign(scores).tolist() == ["A", "A", "B", "B", "B", "C", "C", "A", "C"]
    assert abc.assign_index(scores).tolist() == [0, 0, 1, 1, 1, 2, 2, 0, 2]
    assert abc.assign_index(scores).dtype == np.int64
    out = abc.assign(scores)
    assert out.dtype == object and all(type(v) is str for v in out)


def test_assign_keeps_shape(abc: GradeScale) -> None:
    out = abc.assign(np.array([[700.0, 500.0], [600.0, 620.0]]))
    assert out.shape == (2, 2)
    assert out.tolist() == [["A", "C"], ["B", "A"]]
    assert abc.assign(650.0).tolist() == "A"


def test_assign_nan_names_count(abc: GradeScale) -> None:
    with pytest.raises(
        DataError, match=r"scores: expected no NaN.*found 2 NaN at positions \[1, 3\]"
    ):
        abc.assign([600, math.nan, 610, math.nan])
    with pytest.raises(DataError, match="scores: expected numbers"):
        abc.assign(["a", "b"])


def test_assign_categorical(abc: GradeScale) -> None:
    s = pd.Series([700.0, 590.0, 100.0], index=["x", "y", "z"])
    out = abc.assign_categorical(s)
    assert isinstance(out, pd.Series)
    assert out.index.tolist() == ["x", "y", "z"] and out.name == "grade"
    assert out.tolist() == ["A", "B", "C"]
    assert out.cat.ordered and list(out.cat.categories) == ["C", "B", "A"]  # worst -> best
    assert (out > "C").tolist() == [True, True, False]
    assert out.max() == "A"
    cat = abc.assign_categorical([700.0])
    assert isinstance(cat, pd.Categorical) and list(cat) == ["A"]
    with_d = GradeScale(abc.grades, default_grade=Grade("D", "Default"))
    assert list(with_d.assign_categorical([700.0]).categories) == ["D", "C", "B", "A"]


# --------------------------------------------------------------------------- PD lookup


def test_grade_pd_floor_and_index(abc: GradeScale) -> None:
    # A's PD 0.0001 is below the 0.0003 floor, so it is floored; B and C are not.
    assert abc.grade_pd(["A", "B", "C"]).tolist() == [0.0003, 0.02, 0.1]
    assert abc.grade_pd(np.array([2, 0])).tolist() == [0.1, 0.0003]
    assert abc.grade_pd("B").tolist() == 0.02
    assert abc.grade_pd(np.array([["A"], ["C"]])).shape == (2, 1)
    assert abc.grade_pd(abc.assign([700, 500])).tolist() == [0.0003, 0.1]
    no_floor = GradeScale(abc.grades, pd_floor=0.0)
    assert no_floor.grade_pd(["A"]).tolist() == [0.0001]


def test_grade_pd_default_grade(abc: GradeScale) -> None:
    s = GradeScale(abc.grades, default_grade=Grade("D", "Defaulted"))
    assert s.all_names == ("A", "B", "C", "D")
    assert s.names == ("A", "B", "C")
    assert s.grade_pd(["D", "C"]).tolist() == [1.0, 0.1]
    assert s.grade_pd([3]).tolist() == [1.0]
    s2 = GradeScale(abc.grades, default_grade=Grade("D", pd=0.9))
    assert s2.grade_pd(["D"]).tolist() == [0.9]
    assert s.assign([-1e9]).tolist() == ["C"]  # never assigned from a score


def test_grade_pd_bad_input(abc: GradeScale) -> None:
    with pytest.raises(DataError, match=r"names_or_index.*2 unknown value\(s\) \['X', 'Y'\]"):
        abc.grade_pd(["A", "X", "Y"])
    with pytest.raises(DataError, match=r"names_or_index.*\[0, 2\]"):
        abc.grade_pd([0, 3])
    with pytest.raises(DataError, match=r"names_or_index.*float"):
        abc.grade_pd([0.5])
    no_pd = GradeScale.from_cutoffs([1], ["A", "B"])
    with pytest.raises(SpecificationError, match=r"pd"):
        no_pd.grade_pd(["A"])


def test_score_range(abc: GradeScale) -> None:
    assert abc.score_range("A") == (620.0, math.inf)
    assert abc.score_range("B") == (580.0, 620.0)
    assert abc.score_range("C") == (-math.inf, 580.0)
    with pytest.raises(DataError, match="name: expected grade names"):
        abc.score_range("Z")
    s = GradeScale(abc.grades, default_grade=Grade("D"))
    with pytest.raises(DataError, match="default grade"):
        s.score_range("D")


def test_to_frame_and_html(abc: GradeScale) -> None:
    s = GradeScale(abc.grades, default_grade=Grade("D", "Defaulted", pd=1.0))
    f = s.to_frame()
    assert f.index.tolist() == ["A", "B", "C", "D"]
    assert f["max_score"].tolist()[:3] == [math.inf, 620.0, 580.0]
    assert f["pd_floored"].tolist() == [0.0003, 0.02, 0.1, 1.0]
    assert "<table" in s._repr_html_()


# --------------------------------------------------------------------------- constructors


def test_from_pd_boundaries_hand_computed() -> None:
    sc = Scaling()  # factor = 20/ln 2 = 28.8539..., offset = 600 - factor*ln 50 = 487.1229...
    s = GradeScale.from_pd_boundaries(
        [0.01, 0.04, 1.0], ["A", "B", "C"], sc, labels=["a", "b", "c"]
    )
    factor = 20 / math.log(2)
    offset = 600 - factor * math.log(50)
    # cut-off of A = score at PD 1%: offset + factor * ln(0.99/0.01) = 619.7100...
    assert s.grades[0].min_score == pytest.approx(offset + factor * math.log(99), abs=1e-9)
    assert s.grades[0].min_score == pytest.approx(619.7100, abs=1e-4)
    # cut-off of B = score at PD 4%: offset + factor * ln(24) = 578.8222...
    assert s.grades[1].min_score == pytest.approx(offset + factor * math.log(24), abs=1e-9)
    assert s.grades[2].min_score == -math.inf
    # default PDs: geometric means sqrt(0.0003*0.01), sqrt(0.01*0.04)=0.02, sqrt(0.04*1)=0.2
    assert s.pds == pytest.approx([math.sqrt(0.0003 * 0.01), 0.02, 0.2])
    assert s.labels == ("a", "b", "c")
    # a PD exactly on a bound gets the better grade (its score is the inclusive cut-off)
    assert s.assign(sc.score_from_pd([0.005, 0.01, 0.02, 0.04, 0.5])).tolist() == [
        "A",
        "A",
        "B",
        "B",
        "C",
    ]
    # explicit pds override the geometric means
    s2 = GradeScale.from_pd_boundaries([0.01, 1.0], ["A", "B"], sc, pds=[0.005, 0.05])
    assert s2.pds == (0.005, 0.05)
    # a best bound below the floor: the best grade's PD is the bound itself
    s3 = GradeScale.from_pd_boundaries([0.0002, 1.0], ["A", "B"], sc)
    assert s3.pds[0] == pytest.approx(0.0002)


def test_from_pd_boundaries_bad_input() -> None:
    sc = Scaling()
    with pytest.raises(SpecificationError, match="pd_bounds: expected strictly increasing"):
        GradeScale.from_pd_boundaries([0.04, 0.01, 1.0], ["A", "B", "C"], sc)
    with pytest.raises(
        SpecificationError, match=r"pd_bounds: expected PD upper bounds in \(0, 1\]"
    ):
        GradeScale.from_pd_boundaries([0.0, 0.5, 1.0], ["A", "B", "C"], sc)
    with pytest.raises(SpecificationError, match="pd_bounds: expected 3 values"):
        GradeScale.from_pd_boundaries([0.5, 1.0], ["A", "B", "C"], sc)
    with pytest.raises(SpecificationError, match="scaling"):
        GradeScale.from_pd_boundaries([0.5, 1.0], ["A", "B"], None)  # type: ignore[arg-type]


def test_equal_width_one_pdo_halves_odds() -> None:
    sc = Scaling(base_score=600, base_odds=50, pdo=20)
    s = GradeScale.equal_width(660, 20, 6, scaling=sc)
    assert s.names == ("1", "2", "3", "4", "5", "6")
    assert s.cutoffs == (660.0, 640.0, 620.0, 600.0, 580.0)
    # midpoints 670, 650, ..., 570; odds_good(600) = 50, so odds at 670 = 50 * 2**(70/20)
    odds = [(1 - p) / p for p in s.pds if p is not None]
    assert odds[0] == pytest.approx(50 * 2 ** (70 / 20))
    assert odds[-1] == pytest.approx(50 * 2 ** (-30 / 20))
    assert [odds[i] / odds[i + 1] for i in range(5)] == pytest.approx([2.0] * 5)
    # PD at a midpoint, from the scaling directly
    assert s.pds[3] == pytest.approx(float(sc.pd_from_score(610)))
    # without a scaling there are no PDs
    s2 = GradeScale.equal_width(660, 20, 3, names=["A", "B", "C"])
    assert s2.pds == (None, None, None) and s2.names == ("A", "B", "C")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"top": 600, "width": 20, "n": 1}, "n:"),
        ({"top": 600, "width": 20, "n": 2.0}, "n:"),
        ({"top": 600, "width": 0, "n": 3}, "width:"),
        ({"top": 600, "width": -5, "n": 3}, "width:"),
        ({"top": math.inf, "width": 5, "n": 3}, "top:"),
        ({"top": 600, "width": 20, "n": 3, "names": ["A", "B"]}, "names: expected 3"),
    ],
)
def test_equal_width_bad_input(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(SpecificationError, match=field):
        GradeScale.equal_width(**kwargs)  # type: ignore[arg-type]


def test_from_quantiles_equal_population() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(600, 50, 1000)
    s = GradeScale.from_quantiles(x, 5)
    counts = pd.Series(s.assign(x)).value_counts()
    assert counts.to_dict() == {"1": 200, "2": 200, "3": 200, "4": 200, "5": 200}
    # the cut-off of the 4 worst grades is the 800th smallest score (index 800)
    assert s.cutoffs[0] == np.sort(x)[800]
    # hand-computed: 1..10 into 4 grades: positions 10//4=2, 20//4=5, 30//4=7 -> 3, 6, 8
    s2 = GradeScale.from_quantiles(np.arange(1, 11), 4, names=["A", "B", "C", "D"])
    assert s2.cutoffs == (8.0, 6.0, 3.0)


def test_from_quantiles_bad_input() -> None:
    with pytest.raises(DataError, match="scores: expected 2 distinct quantile cut-offs.*ties"):
        GradeScale.from_quantiles([1, 1, 1, 1, 1, 2], 3)
    with pytest.raises(DataError, match="scores: expected at least n=4"):
        GradeScale.from_quantiles([1, 2, 3], 4)
    with pytest.raises(DataError, match="scores: expected no NaN.*1 NaN"):
        GradeScale.from_quantiles([1, 2, math.nan, 4], 2)
    with pytest.raises(SpecificationError, match="n:"):
        GradeScale.from_quantiles([1, 2, 3], 1)


# --------------------------------------------------------------------------- serialization


def test_json_round_trip_and_bytes(tmp_path: object, abc: GradeScale) -> None:
    s = GradeScale(abc.grades, default_grade=Grade("D", "Defaulted", pd=1.0), pd_floor=0.0005)
    text = s.to_json()
    back = GradeScale.from_json(text)
    assert back == s
    assert back.to_json() == text
    payload = json.loads(text)
    assert payload["kind"] == "grade_scale" and payload["schema_version"] == 1
    assert payload["body"]["grades"][-1]["min_score"] == "-Infinity"
    path = s.save(tmp_path / "scale.json")  # type: ignore[operator]
    assert GradeScale.load(path) == s
    assert path.read_bytes() == text.encode("utf-8")
    assert GradeScale.from_dict(s.to_dict()) == s


def test_json_refusals(abc: GradeScale) -> None:
    payload = json.loads(abc.to_json())
    other = dict(payload, kind="scaling")
    with pytest.raises(SchemaError, match="kind"):
        GradeScale.from_json(dumps(other))
    newer = dict(payload, schema_version=2)
    with pytest.raises(SchemaError, match="newer"):
        GradeScale.from_json(dumps(newer))
    tampered = json.loads(abc.to_json())
    tampered["body"]["grades"][0]["min_score"] = 1000.0
    with pytest.raises(SchemaError, match="tampered"):
        GradeScale.from_json(dumps(tampered))
    with pytest.raises(SchemaError, match="grades"):
        GradeScale.from_dict({"default_grade": None, "pd_floor": 0.0003})
    with pytest.raises(SchemaError, match="JSON"):
        GradeScale.from_json("{not json")


# --------------------------------------------------------------------------- properties


@st.composite
def scales(draw: st.DrawFn) -> GradeScale:
    cuts = draw(
        st.lists(
            st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
            min_size=0,
            max_size=8,
            unique=True,
        )
    )
    k = len(cuts) + 1
    names = [f"G{i}" for i in range(k)]
    pds = None
    if draw(st.booleans()):
        raw = draw(st.lists(st.floats(1e-6, 0.999), min_size=k, max_size=k))
        pds = sorted(raw)
    floor = draw(st.sampled_from([0.0, 0.0003, 0.001]))
    default = draw(st.sampled_from([None, Grade("D", "Default"), Grade("D", pd=1.0)]))
    return GradeScale.from_cutoffs(cuts, names, pds=pds, default_grade=default, pd_floor=floor)


score_lists = st.lists(st.floats(allow_nan=False), min_size=1, max_size=50)


@settings(max_examples=200, deadline=None)
@given(scale=scales(), scores=score_lists)
def test_property_higher_score_never_worse_grade(scale: GradeScale, scores: list[float]) -> None:
    x = np.sort(np.asarray(scores, dtype=np.float64))
    idx = scale.assign_index(x)
    assert np.all(np.diff(idx) <= 0)  # higher score -> same or better (lower) index


@settings(max_examples=200, deadline=None)
@given(scale=scales(), scores=score_lists)
def test_property_assign_covers_every_score(scale: GradeScale, scores: list[float]) -> None:
    names = scale.assign(scores)
    idx = scale.assign_index(scores)
    assert np.all((idx >= 0) & (idx < len(scale)))
    for s, name in zip(scores, names, strict=True):
        lo, hi = scale.score_range(name)
        assert lo <= s < hi or (s == math.inf and hi == math.inf)


@settings(max_examples=200, deadline=None)
@given(scale=scales())
def test_property_json_round_trip_identity(scale: GradeScale) -> None:
    text = scale.to_json()
    back = GradeScale.from_json(text)
    assert back == scale
    assert back.to_json() == text
