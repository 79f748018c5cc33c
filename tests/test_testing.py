"""scorecard.testing: artifact comparison, golden scores, records that reach every bin.

The covering records are checked against the library itself: every value is binned by
``FeatureBinning.bin_index`` (on its canonical form, by the value rule: missing -> NaN or
None, a number -> its float, a level -> ``str(value)``), and the bins reached must be all
the bins of the card, unseen categories included.
"""

from __future__ import annotations

import decimal
import json
import math
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

from scorecard import (
    BinningSpec,
    CreditPolicy,
    GradeScale,
    Scorecard,
    bin_features,
)
from scorecard._testing import cover
from scorecard.datasets import make_credit_data
from scorecard.exceptions import DataError, SchemaError, ScorecardWarning, SpecificationError
from scorecard.testing import (
    UPDATE_GOLDEN_ENV,
    assert_artifact_equal,
    assert_golden_scores,
    covering_frame,
    covering_records,
    golden_scores,
    records,
)

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"


# ---------------------------------------------------------------------------------------------
# Cards
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def german_card() -> Scorecard:
    return Scorecard.load(GOLDEN / "german_card.json")


@pytest.fixture(scope="module")
def scale() -> GradeScale:
    return GradeScale.load(GOLDEN / "german_grade_scale.json")


@pytest.fixture(scope="module")
def policy() -> CreditPolicy:
    return CreditPolicy.load(GOLDEN / "german_policy.json")


def synthetic_card(empty: str = "neutral") -> Scorecard:
    """Missing values (own bin and moved into a regular bin), special codes (own bins, one
    moved into a regular bin, one categorical), rare levels pooled, an empty Missing bin."""
    df = make_credit_data(3_000, seed=3)
    specs = {
        "months_employed": BinningSpec(max_bins=5, special_codes=(-1,)),
        "bureau_score": BinningSpec(max_bins=5, special_codes=(-999, -998)),
        "revolving_utilization": BinningSpec(max_bins=4),
        "residential_status": BinningSpec(max_bins=4, special_codes=("other",)),
        "loan_purpose": BinningSpec(max_bins=4, empty=empty),  # never missing: empty bin
    }
    b = bin_features(df, "bad", features=list(specs), specs=specs)
    feats = {f.name: f for f in b.features}
    feats["revolving_utilization"] = feats["revolving_utilization"].move_missing(0)
    feats["bureau_score"] = feats["bureau_score"].move_special(-998, 1)
    return Scorecard.from_model(list(feats.values()), dict.fromkeys(specs, -0.8), -1.0)


@pytest.fixture(scope="module")
def synthetic() -> Scorecard:
    return synthetic_card()


@pytest.fixture(scope="module")
def refusing() -> Scorecard:
    """A card whose ``loan_purpose`` refuses unseen levels and its empty Missing bin."""
    return synthetic_card(empty="error")


# ---------------------------------------------------------------------------------------------
# The value rule, written out here as the test's own oracle
# ---------------------------------------------------------------------------------------------


def is_missing(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, float | np.floating) and math.isnan(v)


def canonical(v: Any, kind: str) -> Any:
    if is_missing(v):
        return math.nan if kind == "numeric" else None
    return float(v) if kind == "numeric" else str(v)


def column(values: Sequence[Any], kind: str) -> pd.Series:
    return pd.Series(values, dtype="float64" if kind == "numeric" else object)


def reached(card: Scorecard, frame: pd.DataFrame) -> dict[str, set[int]]:
    return {c.name: set(c.binning.bin_index(frame[c.name]).tolist()) for c in card.characteristics}


def every_bin(card: Scorecard, *, refused: bool = True) -> dict[str, set[int]]:
    """Every bin a value can reach: each labelled bin, and unseen (-1) for categories."""
    out = {}
    for c in card.characteristics:
        bins = set(range(len(c.binning.labels)))
        if c.binning.kind == "categorical":
            bins.add(-1)
        out[c.name] = {i for i in bins if refused or c.points[i] is not None}
    return out


# ---------------------------------------------------------------------------------------------
# Covering records
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["german", "synthetic"])
def test_covering_frame_reaches_every_bin(which: str, request: pytest.FixtureRequest) -> None:
    card = request.getfixturevalue("german_card" if which == "german" else "synthetic")
    frame = covering_frame(card)
    assert reached(card, frame) == every_bin(card)
    assert list(frame.columns) == list(card.names)
    assert frame.index.equals(pd.RangeIndex(len(frame)))
    scores = card.score(frame)  # the canonical frame scores on the batch path
    assert scores.shape == (len(frame),)


def test_the_synthetic_card_has_what_the_generator_must_reach(synthetic: Scorecard) -> None:
    labels = {c.name: c.binning.labels for c in synthetic.characteristics}
    assert "Special -1" in labels["months_employed"]
    assert "Missing" in labels["months_employed"]
    assert any("| Missing" in lab for lab in labels["revolving_utilization"])  # moved
    assert any("| Special -998" in lab for lab in labels["bureau_score"])  # moved
    assert "Special 'other'" in labels["residential_status"]
    assert any(lab.count("'") >= 4 for lab in labels["loan_purpose"])  # pooled levels
    assert synthetic["loan_purpose"].binning.bins[-1].count == 0  # an empty Missing bin


@pytest.mark.parametrize("which", ["german", "synthetic"])
@pytest.mark.parametrize("seed", [0, 1, 7])
def test_records_are_meant_for_the_bins_they_reach(
    which: str, seed: int, request: pytest.FixtureRequest
) -> None:
    """Each value lands in the bin the generator aimed at, in every form it was given."""
    card = request.getfixturevalue("german_card" if which == "german" else "synthetic")
    rows, meant = cover.covering(card, seed=seed, canonical=False, refused=False, what="t")
    assert [repr(r) for r in rows] == [repr(r) for r in covering_records(card, seed=seed)]
    for c in card.characteristics:
        kind = c.binning.kind
        values = [canonical(r[c.name], kind) for r in rows]
        got = c.binning.bin_index(column(values, kind)).tolist()
        assert got == [m[c.name] for m in meant], c.name
    # and the canonical records are those values, in the same order
    canon = covering_records(card, seed=seed, canonical=True)
    for c in card.characteristics:
        kind = c.binning.kind
        a = [canonical(r[c.name], kind) for r in rows]
        b = [r[c.name] for r in canon]
        assert column(a, kind).equals(column(b, kind)), c.name


def test_every_form_keeps_its_value_exactly(german_card: Scorecard, synthetic: Scorecard) -> None:
    for card in (german_card, synthetic):
        rows = covering_records(card)
        canon = covering_records(card, canonical=True)
        for r, k in zip(rows, canon):
            for c in card.characteristics:
                v, want = r[c.name], k[c.name]
                if c.binning.kind == "numeric":
                    assert (math.isnan(want) and is_missing(v)) or float(v) == want
                else:
                    assert (want is None and is_missing(v)) or str(v) == want


def test_values_come_in_the_types_a_system_sends(synthetic: Scorecard) -> None:
    rows = covering_records(synthetic)
    numeric = {type(r["months_employed"]).__name__ for r in rows}
    text = {type(r["residential_status"]).__name__ for r in rows}
    missing = {"NoneType", "NAType", "NaTType"}
    assert {"float", "int", "Decimal", "float64", "int64", "float32", *missing} <= numeric
    assert {"str", "str_", *missing} <= text
    assert any(isinstance(r["months_employed"], decimal.Decimal) for r in rows)
    nan_floats = [r["months_employed"] for r in rows if isinstance(r["months_employed"], float)]
    assert any(math.isnan(v) for v in nan_floats)  # a Python float NaN


def test_numeric_values_sit_on_the_edges_of_bins(german_card: Scorecard) -> None:
    """The lower bound of a bin and the largest float below it (in the bin before)."""
    assert german_card["duration_in_month"].binning.labels[:2] == ("[-inf, 7)", "[7, 11)")
    values = [canonical(r["duration_in_month"], "numeric") for r in covering_records(german_card)]
    assert {7.0, float(np.nextafter(7.0, -np.inf)), -1e9} <= set(values)


def test_unseen_levels_include_near_misses(german_card: Scorecard) -> None:
    rows = covering_records(german_card, canonical=True)
    levels = {r["purpose"] for r in rows}
    assert {"<unseen>", ""} <= levels
    assert any(isinstance(v, str) and v.endswith(" ") for v in levels)  # a trailing space


def test_covering_records_are_deterministic_and_seeded(german_card: Scorecard) -> None:
    a, b = covering_records(german_card, seed=3), covering_records(german_card, seed=3)
    assert [list(map(repr, r.values())) for r in a] == [list(map(repr, r.values())) for r in b]
    other = covering_records(german_card, seed=4)
    assert [repr(r) for r in other] != [repr(r) for r in a]
    assert reached(german_card, covering_frame(german_card, seed=4)) == every_bin(german_card)


def tiny_card() -> Scorecard:
    n = np.tile([1.0, 2.0, 3.0, 4.0, np.nan, -9.0], 50)
    c = np.tile(["a", "b", "a", "c", "b", "a"], 50)
    bad = np.tile([1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0], 25)
    df = pd.DataFrame({"n": n, "c": c, "bad": bad})
    spec = BinningSpec(optimize=False, n_fine=2, min_level_count=0)
    specs = {"n": BinningSpec(optimize=False, n_fine=2, special_codes=(-9,))}
    b = bin_features(df, "bad", spec=spec, specs=specs)
    return Scorecard.from_model(b, {"n": -1.0, "c": -1.0}, -1.0)


def test_covering_records_are_pinned_for_a_tiny_card() -> None:
    """The records depend on the card and the seed only: a change here is a change for
    every application that pinned golden scores on them (note it in the changelog)."""
    card = tiny_card()
    assert card["n"].binning.labels == ("[-inf, 3)", "[3, inf)", "Missing", "Special -9")
    assert card["c"].binning.labels == ("{'a'}", "{'b', 'c'}", "Missing")
    got = [
        {k: (type(v).__name__, repr(canonical(v, card[k].binning.kind))) for k, v in r.items()}
        for r in covering_records(card, seed=0)
    ]
    assert got == [
        {"n": ("Decimal", "6.0"), "c": ("NoneType", "None")},
        {"n": ("uint8", "0.0"), "c": ("int", "'987654321'")},
        {"n": ("float", "-1000000000.0"), "c": ("float64", "None")},
        {"n": ("float", "nan"), "c": ("str", "'b'")},
        {"n": ("NaTType", "nan"), "c": ("str_", "'a'")},
        {"n": ("NoneType", "nan"), "c": ("str_", "'c'")},
        {"n": ("float32", "nan"), "c": ("str_", "''")},
        {"n": ("float32", "-9.0"), "c": ("str_", "'A'")},
        {"n": ("int", "3.0"), "c": ("str", "'a '")},
        {"n": ("NAType", "nan"), "c": ("str", "'<unseen>'")},
        {"n": ("float64", "2.9999999999999996"), "c": ("float32", "None")},
        {"n": ("int64", "1000000000.0"), "c": ("float", "None")},
        {"n": ("float64", "nan"), "c": ("NaTType", "None")},
        {"n": ("Decimal", "6.0"), "c": ("NAType", "None")},
    ]


@pytest.mark.filterwarnings("ignore::scorecard.exceptions.DataWarning")  # unseen on purpose
def test_refused_bins_are_reached_only_on_request(refusing: Scorecard) -> None:
    frame = covering_frame(refusing)
    assert reached(refusing, frame) == every_bin(refusing, refused=False)
    assert -1 not in reached(refusing, frame)["loan_purpose"]
    refusing.score(frame)  # nothing refused
    everything = covering_frame(refusing, refused=True)
    assert reached(refusing, everything) == every_bin(refusing)
    extra = everything.iloc[len(frame) :]
    assert len(extra) > 0
    for i in range(len(extra)):  # each extra record is refused for exactly one value
        row = extra.iloc[[i]]
        differs = [c for c in frame.columns if not _same(row[c].iloc[0], everything[c].iloc[0])]
        assert differs == ["loan_purpose"]
        with pytest.raises(DataError, match="loan_purpose"):
            refusing.score(pd.concat([frame, row]))
    recs = covering_records(refusing, refused=True)
    assert len(recs) == len(everything)


def _same(a: Any, b: Any) -> bool:
    return (is_missing(a) and is_missing(b)) or a == b


def test_binning_is_covered_too(german_card: Scorecard) -> None:
    from scorecard import Binning

    binning = Binning(features=[c.binning for c in german_card.characteristics], target="bad")
    frame = covering_frame(binning)
    assert reached(german_card, frame) == every_bin(german_card)


def test_covering_refuses_bad_arguments(german_card: Scorecard) -> None:
    with pytest.raises(SpecificationError, match="covering_records: expected a Scorecard"):
        covering_records(german_card.to_json())  # type: ignore[arg-type]
    with pytest.raises(SpecificationError, match="integer seed"):
        covering_records(german_card, seed=True)
    with pytest.raises(SpecificationError, match="covering_frame: expected a Scorecard"):
        covering_frame(None)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Hypothesis strategies
# ---------------------------------------------------------------------------------------------


def _bins_of(card: Scorecard, record: dict[str, Any], context: pd.DataFrame) -> dict[str, int]:
    """The bin of each value, binned with the covering frame as company (a column of
    nothing but missing categories is a defect of its own, see below)."""
    out = {}
    for c in card.characteristics:
        kind = c.binning.kind
        values = [canonical(record[c.name], kind), *context[c.name].tolist()]
        out[c.name] = int(c.binning.bin_index(column(values, kind))[0])
    return out


@pytest.mark.parametrize("canon", [False, True])
def test_records_strategy_reaches_every_bin(synthetic: Scorecard, canon: bool) -> None:
    context = covering_frame(synthetic)
    seen: dict[str, set[int]] = {c: set() for c in synthetic.names}

    @settings(max_examples=250, derandomize=True, database=None)
    @given(records(synthetic, canonical=canon))
    def collect(record: dict[str, Any]) -> None:
        assert list(record) == list(synthetic.names)
        for c in synthetic.characteristics:
            v = record[c.name]
            if canon and c.binning.kind == "numeric":
                assert type(v) is float
            elif canon:
                assert v is None or type(v) is str
        for name, b in _bins_of(synthetic, record, context).items():
            seen[name].add(b)

    collect()
    assert seen == every_bin(synthetic)


def test_records_strategy_leaves_refused_bins_out_unless_asked(refusing: Scorecard) -> None:
    context = covering_frame(refusing)
    allowed = every_bin(refusing, refused=False)["loan_purpose"]

    @settings(max_examples=100, database=None)
    @given(records(refusing))
    def never_refused(record: dict[str, Any]) -> None:
        assert _bins_of(refusing, record, context)["loan_purpose"] in allowed

    never_refused()
    seen: set[int] = set()

    @settings(max_examples=200, derandomize=True, database=None)
    @given(records(refusing, refused=True))
    def some_refused(record: dict[str, Any]) -> None:
        seen.add(_bins_of(refusing, record, context)["loan_purpose"])

    some_refused()
    assert seen == every_bin(refusing)["loan_purpose"]


def test_importing_testing_does_not_import_hypothesis() -> None:
    code = "import sys, scorecard.testing; print('hypothesis' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "False"


def test_missing_hypothesis_says_how_to_install(
    german_card: Scorecard, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(sys.modules, "scorecard._testing.strategies", raising=False)
    monkeypatch.setitem(sys.modules, "hypothesis", None)  # import hypothesis -> ImportError
    with pytest.raises(ImportError, match=r"needs hypothesis.*pip install hypothesis"):
        records(german_card)


# ---------------------------------------------------------------------------------------------
# assert_artifact_equal
# ---------------------------------------------------------------------------------------------


def _with_points(card: Scorecard, j: int, i: int, delta: int) -> Scorecard:
    c = card.characteristics[j]
    pts = list(c.points)
    pts[i] = pts[i] + delta  # type: ignore[operator]
    chars = list(card.characteristics)
    chars[j] = attrs.evolve(c, points=tuple(pts))
    return attrs.evolve(card, characteristics=tuple(chars))


def test_equal_artifacts_pass_as_objects_text_and_files(german_card: Scorecard) -> None:
    path = GOLDEN / "german_card.json"
    assert_artifact_equal(german_card, path)
    assert_artifact_equal(german_card.to_json(), german_card)
    assert_artifact_equal(path, path.read_text(encoding="utf-8").encode("utf-8"))
    assert_artifact_equal(str(path.read_text(encoding="utf-8")), path)


def test_a_changed_point_is_named_by_its_path(german_card: Scorecard) -> None:
    name = german_card.characteristics[2].name
    changed = _with_points(german_card, 2, 3, +1)
    old = german_card.characteristics[2].points[3]
    with pytest.raises(AssertionError) as info:
        assert_artifact_equal(changed, german_card)
    msg = str(info.value)
    assert msg.splitlines() == [
        "scorecard artifacts differ in 1 place (actual != expected; numbers within "
        "rtol=1e-09, atol=1e-12 count as equal):",
        f"  characteristics[2] ({name!r}).points[3]: {old + 1} != {old}",  # type: ignore[operator]
    ]
    assert name == "duration_in_month"


def test_numbers_compare_within_tolerance(german_card: Scorecard) -> None:
    c = german_card.characteristics[0]
    near = attrs.evolve(german_card, intercept=german_card.intercept * (1 + 1e-12))
    assert_artifact_equal(near, german_card)
    far = attrs.evolve(german_card, intercept=german_card.intercept * (1 + 1e-6))
    with pytest.raises(AssertionError, match=r"intercept: .* \(relative difference 1e-06\)"):
        assert_artifact_equal(far, german_card)
    assert_artifact_equal(far, german_card, rtol=1e-5)
    with pytest.raises(AssertionError, match="intercept"):
        assert_artifact_equal(near, german_card, rtol=0, atol=0)
    moved = attrs.evolve(
        german_card,
        characteristics=(
            attrs.evolve(c, mean_points=c.mean_points + 1e-13),
            *german_card.characteristics[1:],
        ),
    )
    assert_artifact_equal(moved, german_card)  # within atol


def test_many_differences_are_cut_and_counted(german_card: Scorecard) -> None:
    changed = german_card
    for j in range(len(german_card.characteristics)):
        changed = _with_points(changed, j, 0, -1)
    with pytest.raises(AssertionError) as info:
        assert_artifact_equal(changed, german_card, max_lines=4)
    lines = str(info.value).splitlines()
    n = len(german_card.characteristics)
    assert lines[0].startswith(f"scorecard artifacts differ in {n} places")
    assert len(lines) == 1 + 4 + 1
    assert lines[-1] == f"  ... and {n - 4} more differences"


def test_kinds_differ(german_card: Scorecard, scale: GradeScale) -> None:
    with pytest.raises(AssertionError) as info:
        assert_artifact_equal(german_card, scale)
    assert str(info.value) == (
        "artifacts of different kinds: actual is a 'scorecard' artifact, expected a "
        "'grade_scale' artifact"
    )


def test_named_lists_are_matched_by_name(german_card: Scorecard) -> None:
    fewer = attrs.evolve(german_card, characteristics=german_card.characteristics[:-1])
    last = german_card.characteristics[-1].name
    with pytest.raises(AssertionError, match=rf"characteristics: only in expected: \['{last}'\]"):
        assert_artifact_equal(fewer, german_card)
    swapped = attrs.evolve(
        german_card,
        characteristics=(
            german_card.characteristics[1],
            german_card.characteristics[0],
            *german_card.characteristics[2:],
        ),
    )
    with pytest.raises(AssertionError) as info:
        assert_artifact_equal(swapped, german_card)
    first, second = german_card.names[:2]
    assert f"characteristics: another order: ['{second}', '{first}'" in str(info.value)
    assert "points" not in str(info.value)  # matched by name: no spurious point differences


def test_lists_of_numbers_of_another_length(german_card: Scorecard) -> None:
    body = json.loads(german_card.to_json())
    fine = body["body"]["characteristics"][2]["binning"]["fine"]
    assert fine["edges"]
    text = german_card.to_json()
    changed = json.loads(text)
    changed["body"]["characteristics"][2]["binning"]["fine"]["edges"] = fine["edges"][:-1]
    from scorecard._testing import diff

    d = diff.Differ(1e-9, 0.0, ())
    d.walk(changed["body"], body["body"])
    assert any(
        line.startswith(
            "characteristics[2] ('duration_in_month').binning.fine.edges: "
            f"{len(fine['edges']) - 1} items != {len(fine['edges'])} items: ["
        )
        for line in d.lines
    )


def test_library_version_is_ignored_unless_asked(german_card: Scorecard) -> None:
    old = attrs.evolve(
        german_card, metadata=attrs.evolve(german_card.metadata, library_version="0.0.1")
    )
    assert_artifact_equal(old, german_card)
    with pytest.raises(AssertionError, match=r"metadata.library_version: '0.0.1' != '"):
        assert_artifact_equal(old, german_card, ignore=())


def test_policy_differences_read_well(policy: CreditPolicy) -> None:
    stricter = attrs.evolve(policy, cap=10_000, rules=policy.rules[:1])
    with pytest.raises(AssertionError) as info:
        assert_artifact_equal(stricter, policy)
    msg = str(info.value)
    assert "  cap: 10000.0 != 20000.0 (relative difference 0.5)" in msg
    assert "rules: only in expected: ['KO02']" in msg


def test_bad_arguments_are_named(german_card: Scorecard, tmp_path: Path) -> None:
    with pytest.raises(SpecificationError, match="not JSON text.*pathlib.Path"):
        assert_artifact_equal(german_card, "tests/golden/german_card.json")
    with pytest.raises(SpecificationError, match="found no file"):
        assert_artifact_equal(german_card, tmp_path / "absent.json")
    with pytest.raises(SpecificationError, match="expected a scorecard artifact"):
        assert_artifact_equal(german_card, 42)
    with pytest.raises(SpecificationError, match="rtol >= 0"):
        assert_artifact_equal(german_card, german_card, rtol=-1)
    with pytest.raises(SpecificationError, match="max_lines"):
        assert_artifact_equal(german_card, german_card, max_lines=0)
    tampered = json.loads(german_card.to_json())
    tampered["body"]["intercept"] += 1
    path = tmp_path / "card.json"
    path.write_text(json.dumps(tampered), encoding="utf-8")
    with pytest.raises(SchemaError, match="tampered"):
        assert_artifact_equal(german_card, path)
    with pytest.raises(SchemaError, match="kind"):
        assert_artifact_equal(german_card, json.dumps({"kind": "nothing"}))


def test_pytest_shows_the_difference(tmp_path: Path) -> None:
    (tmp_path / "test_pin.py").write_text(
        "from pathlib import Path\n"
        "import attrs\n"
        "from scorecard import GradeScale\n"
        "from scorecard.testing import assert_artifact_equal\n"
        "\n"
        "def test_pinned():\n"
        f"    scale = GradeScale.load(Path({str(GOLDEN / 'german_grade_scale.json')!r}))\n"
        "    assert_artifact_equal(attrs.evolve(scale, pd_floor=0.01), scale)\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-o", "addopts=", "test_pin.py"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert out.returncode == 1, out.stdout
    assert "AssertionError: grade_scale artifacts differ in 1 place" in out.stdout
    assert re.search(r"pd_floor: 0\.01 != \S+", out.stdout)
    assert "_testing" not in out.stdout  # the helper's own frames are hidden


# ---------------------------------------------------------------------------------------------
# Golden scores
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def applicants(german_card: Scorecard) -> pd.DataFrame:
    frame = covering_frame(german_card)
    frame["credit_amount"] = frame["credit_amount"].clip(lower=0)  # an amount for the policy
    frame["foreign_worker"] = (["yes", "no", None] * len(frame))[: len(frame)]
    return frame


def test_golden_scores_table(
    german_card: Scorecard, scale: GradeScale, policy: CreditPolicy, applicants: pd.DataFrame
) -> None:
    t = golden_scores(german_card, applicants)
    assert list(t.columns) == ["score", "pd", "reasons"]
    assert t.index.name == "id" and t.index.equals(applicants.index)
    score, pd_ = german_card.score_and_pd(applicants)
    assert t["score"].dtype == np.int64 and (t["score"].to_numpy() == score).all()
    assert (t["pd"].to_numpy() == pd_).all()
    codes = german_card.reason_codes(applicants, n=4)
    assert t["reasons"].iloc[0] == ";".join(c for c in codes.iloc[0] if c is not None)
    t = golden_scores(german_card, applicants, grade_scale=scale, n_reasons=0)
    assert list(t.columns) == ["score", "pd", "grade"]
    assert (t["grade"].to_numpy() == scale.assign(score)).all()
    t = golden_scores(german_card, applicants, policy=policy)
    assert list(t.columns) == [
        "score",
        "pd",
        "reasons",
        "grade",
        "decision",
        "limit",
        "decision_reasons",
    ]
    d = policy.decide(applicants, model=german_card)
    assert (t["decision"] == d["decision"]).all() and (t["grade"] == d["grade"]).all()
    named = applicants.rename_axis("application")
    assert golden_scores(german_card, named).index.name == "application"


def test_golden_scores_refuse_bad_arguments(
    german_card: Scorecard, scale: GradeScale, policy: CreditPolicy, applicants: pd.DataFrame
) -> None:
    with pytest.raises(DataError, match="unique index"):
        golden_scores(german_card, pd.concat([applicants, applicants]))
    other = GradeScale.from_cutoffs([600], ["A", "B"])
    with pytest.raises(SpecificationError, match="grade scale"):
        golden_scores(german_card, applicants, grade_scale=other, policy=policy)
    golden_scores(german_card, applicants, grade_scale=scale, policy=policy)  # the same scale
    with pytest.raises(SpecificationError, match="expected a scorecard"):
        golden_scores("card", applicants)  # type: ignore[arg-type]
    with pytest.raises(SpecificationError, match="n_reasons"):
        golden_scores(german_card, applicants, n_reasons=-1)
    with pytest.raises(DataError):
        golden_scores(german_card, [{"x": 1}])  # type: ignore[arg-type]


def _write(path: Path, *args: Any, **kwargs: Any) -> pd.DataFrame:
    with pytest.warns(ScorecardWarning, match=r"golden scores written to .*review the diff"):
        return assert_golden_scores(path, *args, update=True, **kwargs)


def test_golden_file_round_trip(
    german_card: Scorecard, policy: CreditPolicy, applicants: pd.DataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "sub" / "scores.csv"
    table = _write(path, german_card, applicants, policy=policy)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "id,score,pd,reasons,grade,decision,limit,decision_reasons"
    assert len(lines) == 1 + len(applicants) and text.endswith("\n") and "\r" not in text
    first = lines[1].split(",")
    assert first[0] == "0" and first[1] == str(table["score"].iloc[0])
    assert first[2] == f"{table['pd'].iloc[0]:.12g}"
    out = assert_golden_scores(path, german_card, applicants, policy=policy)
    pd.testing.assert_frame_equal(out, table)
    # within tolerance: an update leaves the file alone and says nothing
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_golden_scores(path, german_card, applicants, policy=policy, update=True)
    assert path.read_text(encoding="utf-8") == text


def test_absent_file_is_not_created_silently(
    german_card: Scorecard, applicants: pd.DataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "scores.csv"
    with pytest.raises(AssertionError, match=rf"no golden scores file .*{UPDATE_GOLDEN_ENV}=1"):
        assert_golden_scores(path, german_card, applicants)
    assert not path.exists()


@pytest.mark.parametrize(
    ("value", "writes"), [("1", True), ("true", True), ("0", False), ("", False)]
)
def test_environment_variable_regenerates(
    german_card: Scorecard,
    applicants: pd.DataFrame,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    value: str,
    writes: bool,
) -> None:
    assert UPDATE_GOLDEN_ENV == "SCORECARD_UPDATE_GOLDEN"
    monkeypatch.setenv(UPDATE_GOLDEN_ENV, value)
    path = tmp_path / "scores.csv"
    if writes:
        with pytest.warns(ScorecardWarning, match="a new file"):
            assert_golden_scores(path, german_card, applicants)
        assert path.exists()
        assert_golden_scores(path, german_card, applicants, update=False)
    else:
        with pytest.raises(AssertionError, match="no golden scores file"):
            assert_golden_scores(path, german_card, applicants)


def _edit(path: Path, row: int, column: str, value: str) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row, column] = value
    path.write_text(frame.to_csv(index=False, lineterminator="\n"), encoding="utf-8")


def test_mismatch_report_names_rows_and_columns(
    german_card: Scorecard, scale: GradeScale, applicants: pd.DataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "scores.csv"
    table = _write(path, german_card, applicants, grade_scale=scale)
    score, grade = int(table["score"].iloc[3]), str(table["grade"].iloc[3])
    _edit(path, 3, "score", str(score + 1))
    _edit(path, 3, "grade", "Z")
    _edit(path, 5, "grade", "Z")
    with pytest.raises(AssertionError) as info:
        assert_golden_scores(path, german_card, applicants, grade_scale=scale)
    lines = str(info.value).splitlines()
    assert lines[0] == (
        f"golden scores differ from {path}: 2 of {len(applicants)} rows (columns score, grade)"
    )
    assert lines[1] == "  first differing rows (computed != stored):"
    assert lines[2] == f"    id 3: score {score} != {score + 1}; grade {grade!r} != 'Z'"
    assert lines[3].startswith("    id 5: grade ")
    assert "relative tolerance 1e-09" in lines[4]
    assert UPDATE_GOLDEN_ENV in lines[5] and "update=True" in lines[5]
    with pytest.raises(AssertionError, match=r"id 3: .*\n    \.\.\. and 1 more differing row\n"):
        assert_golden_scores(path, german_card, applicants, grade_scale=scale, max_rows=1)
    # an update rewrites the file, then it passes
    with pytest.warns(ScorecardWarning, match=r"2 row\(s\) changed"):
        assert_golden_scores(path, german_card, applicants, grade_scale=scale, update=True)
    assert_golden_scores(path, german_card, applicants, grade_scale=scale)


def test_pds_compare_within_relative_tolerance(
    german_card: Scorecard, applicants: pd.DataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "scores.csv"
    table = _write(path, german_card, applicants, n_reasons=0)
    p = float(table["pd"].iloc[0])
    _edit(path, 0, "pd", repr(p * (1 + 1e-11)))
    assert_golden_scores(path, german_card, applicants, n_reasons=0)
    _edit(path, 0, "pd", repr(p * (1 + 1e-6)))
    with pytest.raises(AssertionError, match=r"1 of \d+ rows \(columns pd\)"):
        assert_golden_scores(path, german_card, applicants, n_reasons=0)
    assert_golden_scores(path, german_card, applicants, n_reasons=0, rtol=1e-5)
    _edit(path, 0, "pd", "")
    with pytest.raises(AssertionError, match=r"pd \S+ != ''"):
        assert_golden_scores(path, german_card, applicants, n_reasons=0)


def test_other_rows_and_columns_are_reported(
    german_card: Scorecard, scale: GradeScale, applicants: pd.DataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "scores.csv"
    _write(path, german_card, applicants, grade_scale=scale)
    with pytest.raises(AssertionError) as info:
        assert_golden_scores(path, german_card, applicants.iloc[:-2])
    msg = str(info.value)
    assert "the columns differ: computed ['id', 'score', 'pd', 'reasons'] != stored" in msg
    n = len(applicants)
    assert f"2 row(s) stored only: id ['{n - 2}', '{n - 1}']" in msg
    more = pd.concat([applicants, applicants.iloc[[0]].set_axis([99])])
    with pytest.raises(AssertionError, match=r"1 row\(s\) computed but not stored: id \['99'\]"):
        assert_golden_scores(path, german_card, more, grade_scale=scale)


def test_a_stored_file_that_is_not_csv_is_reported(
    german_card: Scorecard, applicants: pd.DataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "scores.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(AssertionError, match="the stored file is not a golden-scores CSV"):
        assert_golden_scores(path, german_card, applicants)


def test_golden_arguments_are_checked(
    german_card: Scorecard, applicants: pd.DataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "scores.csv"
    with pytest.raises(SpecificationError, match="update True, False or None"):
        assert_golden_scores(path, german_card, applicants, update="yes")  # type: ignore[arg-type]
    with pytest.raises(SpecificationError, match="rtol"):
        assert_golden_scores(path, german_card, applicants, rtol=-1.0)
    with pytest.raises(SpecificationError, match="max_rows"):
        assert_golden_scores(path, german_card, applicants, max_rows=0)


def test_public_names_are_pinned_and_have_runnable_examples() -> None:
    import scorecard.testing as t

    assert t.__all__ == [
        "UPDATE_GOLDEN_ENV",
        "assert_artifact_equal",
        "assert_golden_scores",
        "covering_frame",
        "covering_records",
        "golden_scores",
        "records",
    ]
    for name in t.__all__:
        obj = getattr(t, name)
        if callable(obj):
            doc = obj.__doc__ or ""
            assert "Parameters\n" in doc and "Examples\n    --------\n    >>> " in doc, name


# ---------------------------------------------------------------------------------------------
# The docs page runs as written
# ---------------------------------------------------------------------------------------------


def test_docs_page_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = ROOT / "docs" / "testing.md"
    blocks = re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 4
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(UPDATE_GOLDEN_ENV, raising=False)
    (tmp_path / "artifacts").mkdir()
    for name in ("german_card.json", "german_grade_scale.json", "german_policy.json"):
        (tmp_path / "artifacts" / name.removeprefix("german_")).write_text(
            (GOLDEN / name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    namespace: dict[str, Any] = {"__name__": "docs_testing"}
    for code in blocks:
        exec(compile(code, str(page), "exec"), namespace)
    tests = [f for name, f in namespace.items() if name.startswith("test_") and callable(f)]
    assert len(tests) >= 4
    monkeypatch.setenv(UPDATE_GOLDEN_ENV, "1")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScorecardWarning)  # the golden file is written
        for t in tests:
            t()
    monkeypatch.delenv(UPDATE_GOLDEN_ENV)
    for t in tests:  # and then they pass as they are
        t()


# ---------------------------------------------------------------------------------------------
# Every path gives the same numbers (issue 8); covering records send unseen levels on purpose
# ---------------------------------------------------------------------------------------------

UNSEEN_ON_PURPOSE = pytest.mark.filterwarnings("ignore::scorecard.exceptions.DataWarning")


@UNSEEN_ON_PURPOSE
def test_every_covering_record_decides_one_at_a_time_as_in_the_frame(
    german_card: Scorecard, policy: CreditPolicy
) -> None:
    rows = covering_records(german_card)
    frame = covering_frame(german_card)
    extra = {"credit_amount": 1000, "foreign_worker": "yes"}
    table = policy.decide(frame.assign(**extra), model=german_card)
    ones = [policy.decide_one({**r, **extra}, model=german_card) for r in rows]
    assert ones == policy.records(table)


@UNSEEN_ON_PURPOSE
def test_a_one_row_frame_scores_like_the_same_row_in_a_batch() -> None:
    card = tiny_card()
    context = covering_frame(card)

    @settings(max_examples=50, database=None)
    @given(records(card, canonical=True))
    def alone_and_in_company(record: dict[str, Any]) -> None:
        frame = pd.DataFrame([record])
        assert card.score(frame)[0] == card.score(pd.concat([context, frame]))[-1]

    alone_and_in_company()
