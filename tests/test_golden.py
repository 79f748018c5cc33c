"""Golden files: the German-credit artifacts and decisions must not change silently.

``tests/golden/`` holds what the library produced for the bundled German credit data: the
binning, the fitted card, the logistic model and stepwise path, a master scale, a credit
policy (all as saved JSON artifacts), the policy's decision table, and the golden scores of
applicants that reach every bin of the card. Each test rebuilds one and compares it with its
file, with the tools of :mod:`scorecard.testing` (the ones the docs page "Testing your
integration" recommends to applications).

Pure data (the grade scale, the policy) must be byte-identical. Fitted artifacts are
compared with ``assert_artifact_equal`` within a relative tolerance of 1e-11 (about the 12
significant digits they used to be rounded to): a change of BLAS kernel on another CPU
moves the last bits of a coefficient, which is not a change of behavior, while any real
change (a bin, a point, a coefficient, a label, a field) still fails, named by its path.

To regenerate after an *intended* change: ``python tests/test_golden.py`` (every file), or
``SCORECARD_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` (the golden scores); then review
the diff of ``tests/golden/`` like code.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from scorecard import Scorecard
from scorecard.testing import assert_artifact_equal, assert_golden_scores, covering_frame

GOLDEN = Path(__file__).resolve().parent / "golden"
RTOL = 1e-11


@cache
def artifacts() -> dict[str, str]:
    """Every golden artifact as the text its file holds."""
    from scorecard import (
        BinningSpec,
        CreditPolicy,
        GradeScale,
        bin_features,
        fit_scorecard,
    )
    from scorecard.datasets import load_german_credit
    from scorecard.policy import (
        CapacityCap,
        ExpectedLossCap,
        NeedLimit,
        Rule,
        ScoreCutoffs,
        Terms,
    )

    df = load_german_credit()
    binning = bin_features(df, "bad", spec=BinningSpec(max_bins=6))
    build = fit_scorecard(df, "bad", seed=0)
    card = build.scorecard
    assert build.stepwise is not None
    scale = GradeScale.from_pd_boundaries(
        [0.05, 0.10, 0.20, 0.35, 1.0],
        ["A", "B", "C", "D", "E"],
        card.scaling,
        labels=["Low", "Moderate", "Elevated", "High", "Very high"],
    )
    policy = CreditPolicy(
        grade_scale=scale,
        cutoffs=ScoreCutoffs(approve=scale.score_range("C")[0], refer=scale.score_range("D")[0]),
        rules=(
            Rule("age_in_years", "<", 18, code="KO01", text="Applicant under 18"),
            Rule("foreign_worker", "==", "no", code="KO02", missing="refer", overridable=True),
        ),
        limits=(
            NeedLimit("requested", field="credit_amount"),
            CapacityCap("capacity", field="credit_amount", share={"A": 2.0, "B": 0.9, "C": 0.8}),
            ExpectedLossCap("el_budget", budget={"A": 400, "B": 400, "C": 300}),
        ),
        terms={
            g: Terms(t, payment_days=d, review_months=m)
            for g, t, d, m in [
                ("A", "36 monthly instalments", None, 24),
                ("B", "36 monthly instalments", None, 12),
                ("C", "24 monthly instalments", None, 12),
                ("D", "net 30", 30, 6),
                ("E", "cash in advance", 0, 3),
            ]
        },
        cap=20_000,
        floor=500,
        unit=100,
        lgd={"A": 0.4, "B": 0.45, "C": 0.45, "D": 0.5, "E": 0.6},
    )
    decisions = policy.decide(df.drop(columns="bad"), model=card)
    return {
        "german_binning.json": binning.to_json(),
        "german_card.json": card.to_json(),
        "german_model.json": build.model.to_json(),
        "german_stepwise.json": build.stepwise.to_json(),
        "german_grade_scale.json": scale.to_json(),
        "german_policy.json": policy.to_json(),
        "german_decisions.csv": decisions.to_csv(lineterminator="\n", float_format="%.12g"),
    }


EXACT = ("german_grade_scale.json", "german_policy.json")
FITTED = ("german_binning.json", "german_card.json", "german_model.json", "german_stepwise.json")


@pytest.mark.parametrize("name", EXACT)
def test_pure_data_artifacts_are_byte_identical(name: str) -> None:
    assert_artifact_equal(artifacts()[name], GOLDEN / name, rtol=0, atol=0)  # what differs
    assert artifacts()[name] == (GOLDEN / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", FITTED)
def test_fitted_artifacts_match(name: str) -> None:
    assert_artifact_equal(artifacts()[name], GOLDEN / name, rtol=RTOL, atol=0)


def test_decisions_match() -> None:
    import io

    new = pd.read_csv(io.StringIO(artifacts()["german_decisions.csv"]), index_col=0)
    old = pd.read_csv(GOLDEN / "german_decisions.csv", index_col=0)
    pd.testing.assert_frame_equal(new, old, check_exact=False, rtol=1e-10)


def every_bin_applicants(card: Scorecard) -> pd.DataFrame:
    """Applicants that reach every bin of the card (missing values and unseen categories
    included, which the German data lacks), with the other fields the policy reads."""
    frame = covering_frame(card)
    frame["credit_amount"] = frame["credit_amount"].clip(lower=0)  # an amount for the policy
    frame["foreign_worker"] = (["yes", "no", None] * len(frame))[: len(frame)]
    return frame


def assert_scores_match(*, update: bool | None = None) -> None:
    from scorecard import CreditPolicy

    card = Scorecard.from_json(artifacts()["german_card.json"])
    policy = CreditPolicy.from_json(artifacts()["german_policy.json"])
    assert_golden_scores(
        GOLDEN / "german_scores.csv",
        card,
        every_bin_applicants(card),
        policy=policy,
        update=update,
    )


def test_scores_of_every_bin_match() -> None:
    assert_scores_match()


def test_golden_files_load_as_artifacts() -> None:
    """The stored files are valid artifacts of this library version (checksums, meaning)."""
    from scorecard import Binning, CreditPolicy, GradeScale, LogitResult, Scorecard, SelectionPath

    for name, cls in [
        ("german_binning.json", Binning),
        ("german_card.json", Scorecard),
        ("german_model.json", LogitResult),
        ("german_stepwise.json", SelectionPath),
        ("german_grade_scale.json", GradeScale),
        ("german_policy.json", CreditPolicy),
    ]:
        obj = cls.load(GOLDEN / name)
        assert obj.to_json() == (GOLDEN / name).read_text(encoding="utf-8"), name


if __name__ == "__main__":  # regenerate after an intended change
    GOLDEN.mkdir(exist_ok=True)
    for fname, text in artifacts().items():
        (GOLDEN / fname).write_text(text, encoding="utf-8", newline="\n")
        print("wrote", GOLDEN / fname)
    assert_scores_match(update=True)
    print("checked", GOLDEN / "german_scores.csv")
