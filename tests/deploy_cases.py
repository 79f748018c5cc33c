"""Cards and frames the export tests score in real engines (loaded by the test_deploy_* files).

Each case is a card and a frame of applicants that reaches every branch of the card:
German credit (the golden card) with missing values and unseen levels added; a synthetic
card with special codes, missing values, unseen levels and values exactly on every cut
point; a card with the other treatments (``"worst"``, ``"error"``, base points); and a card
whose levels and column name are hostile SQL/XML text.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from scorecard import BinningSpec, Scorecard, bin_features, fit_scorecard
from scorecard.datasets import FEATURES, SPECIAL_CODES, load_german_credit, make_credit_data

GOLDEN = Path(__file__).resolve().parent / "golden"

#: levels that must stay one literal in every engine (quotes, semicolons, SQL, markup)
EVIL_LEVELS = (
    "it's",
    "'; DROP TABLE apps; --",
    'say "hi"',
    "a\\b",
    "back\\'slash",
    "x' OR '1'='1",
    "/* comment */",
    "-- dash",
    "semi;colon",
    "`tick`",
    '<tag attr="v">&amp;</tag>',
    "line\nbreak",
    "ünïcödé €",
    "",
    " padded ",
    "NULL",
)
EVIL_COLUMN = 'weird "col"; name'


def german_card() -> Scorecard:
    return Scorecard.load(GOLDEN / "german_card.json")


def german_frame(card: Scorecard) -> pd.DataFrame:
    """All 1,000 German applicants, then rows with missing values and unseen levels."""
    df = load_german_credit()[list(card.names)].copy()
    for c in card.characteristics:
        if c.binning.kind == "categorical":
            df[c.name] = df[c.name].astype(object)
    extra = df.head(40).copy()
    for i, c in enumerate(card.characteristics):
        rows = extra.index[i::4]
        if c.binning.kind == "categorical":
            extra.loc[rows[:2], c.name] = "never seen in training"
            extra.loc[rows[2:], c.name] = None
        else:
            extra[c.name] = extra[c.name].astype(np.float64)
            extra.loc[rows, c.name] = np.nan
    out = pd.concat([df, extra], ignore_index=True)
    for c in card.characteristics:
        if c.binning.kind == "numeric":
            out[c.name] = out[c.name].astype(np.float64)
    return out


@functools.cache
def synthetic_card() -> Scorecard:
    data = make_credit_data(6_000, seed=3)[[*FEATURES, "bad"]]
    specs = {n: BinningSpec(special_codes=codes) for n, codes in SPECIAL_CODES.items()}
    return fit_scorecard(data, "bad", seed=0, specs=specs).scorecard


def synthetic_frame(card: Scorecard, rows: int = 3_000) -> pd.DataFrame:
    """Fresh applicants with missing values, special codes, unseen levels and values on
    every cut point (and just below it)."""
    df = make_credit_data(rows, seed=4)[list(card.names)].copy()
    rng = np.random.default_rng(5)
    for c in card.characteristics:
        if c.binning.kind == "categorical":
            col = df[c.name].astype(object).to_numpy(copy=True)
            col[rng.random(len(col)) < 0.02] = "unseen level"
            col[rng.random(len(col)) < 0.02] = None
            df[c.name] = col
        else:
            df[c.name] = df[c.name].astype(np.float64)
    edges = []
    for c in card.characteristics:
        if c.binning.kind != "numeric":
            continue
        cuts = c.binning._cuts
        for v in [*cuts, *np.nextafter(cuts, -np.inf)]:
            row = df.iloc[len(edges) % len(df)].copy()
            row[c.name] = float(v)
            edges.append(row)
    return pd.concat([df, pd.DataFrame(edges)], ignore_index=True)


@functools.cache
def treatment_card() -> Scorecard:
    """Base points; a numeric feature whose Missing bin is empty (``"worst"``) with a special
    code; a categorical one that refuses unseen levels (``"error"``)."""
    rng = np.random.default_rng(11)
    n = 3_000
    x = rng.normal(size=n).round(2)
    x[rng.random(n) < 0.05] = -9.0
    cat = rng.choice(["a", "b", "c", "d"], size=n)
    eta = -1.0 + 0.8 * x + (cat == "a") * 0.9
    bad = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    df = pd.DataFrame({"x": x, "cat": cat, "bad": bad})
    b = bin_features(
        df,
        "bad",
        specs={
            "x": BinningSpec(special_codes=[-9.0], empty="worst", max_bins=5),
            "cat": BinningSpec(empty="error"),
        },
    )
    return Scorecard.from_model(b, {"x": -0.9, "cat": -1.1}, intercept=-1.2, allocation="base")


def treatment_frame() -> pd.DataFrame:
    """Rows every branch of :func:`treatment_card` scores (missing and unseen levels of
    ``cat`` are refused)."""
    return pd.DataFrame(
        {
            "x": [np.nan, -9.0, -3.0, 0.0, 0.8, 2.5, 10.0, -0.25, 1e-300, -1e300],
            "cat": ["a", "b", "c", "d", "a", "a", "b", "c", "d", "b"],
        }
    )


@functools.cache
def evil_card() -> Scorecard:
    """A categorical characteristic whose levels are hostile text, in an oddly named column."""
    rng = np.random.default_rng(13)
    n = 60 * len(EVIL_LEVELS)
    levels = np.asarray(EVIL_LEVELS, dtype=object)
    col = levels[np.arange(n) % len(levels)]
    bad = (rng.random(n) < 0.2 + 0.4 * (np.arange(n) % len(levels) < 5)).astype(int)
    df = pd.DataFrame({EVIL_COLUMN: col, "bad": bad})
    b = bin_features(df, "bad", spec=BinningSpec(min_level_count=1, optimize=False))
    return Scorecard.from_model(b, {EVIL_COLUMN: -1.0}, intercept=-1.0)


def evil_frame() -> pd.DataFrame:
    values = [*EVIL_LEVELS, None, "it''s", "unseen'); DELETE FROM apps; --", "IT'S"]
    return pd.DataFrame({EVIL_COLUMN: pd.Series(values, dtype=object)})


@functools.cache
def cases() -> dict[str, tuple[Scorecard, pd.DataFrame]]:
    """Every card with a frame that every engine scores without a refusal (shared: do not
    change the frames)."""
    g = german_card()
    s = synthetic_card()
    t = treatment_card()
    tf = treatment_frame()
    return {
        "german": (g, german_frame(g)),
        "synthetic": (s, synthetic_frame(s)),
        "treatments": (t, tf),
        "evil": (evil_card(), evil_frame()),
    }


def refused_frame() -> pd.DataFrame:
    """Rows of :func:`treatment_card` that Python refuses one by one (unseen level, missing
    level in an empty bin with the "error" treatment, +-inf)."""
    return pd.DataFrame({"x": [0.0, 1.0, np.inf, -np.inf], "cat": ["zz", None, "a", "b"]})


def sql_type(card: Scorecard, column: str, dialect: str) -> str:
    """The column type a table gets for a characteristic."""
    kinds = {c.name: c.binning.kind for c in card.characteristics}
    if kinds.get(column) == "numeric":
        return {"sqlite": "REAL", "duckdb": "DOUBLE"}.get(dialect, "DOUBLE PRECISION")
    if kinds.get(column) == "categorical":
        return "TEXT"
    return "BIGINT"


def rows(frame: pd.DataFrame) -> list[tuple[object, ...]]:
    """Plain Python rows (None for every missing value) to insert with a DB-API driver."""
    out = frame.astype(object).where(frame.notna(), None)
    return [tuple(r) for r in out.itertuples(index=False, name=None)]
