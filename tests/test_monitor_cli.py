"""``scorecard monitor``: files in, HTML and JSON out, exit status for a scheduled job."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scorecard import GradeScale, fit_scorecard
from scorecard._cli import EXIT_ERROR, EXIT_FLAGGED, main
from scorecard.monitor import MonitoringReport


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, german: pd.DataFrame) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("monitor")
    card = fit_scorecard(german, "bad", seed=0).scorecard
    rng = np.random.default_rng(2)
    current = german.iloc[500:].copy()
    current["opened"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(
        np.sort(rng.integers(0, 120, size=len(current))), unit="D"
    )
    scale = GradeScale.from_pd_boundaries([0.1, 0.3, 1.0], ["A", "B", "C"], card.scaling)
    paths = {
        "card": card.save(tmp / "card.json"),
        "scale": scale.save(tmp / "scale.json"),
        "baseline": tmp / "baseline.csv",
        "current": tmp / "current.csv",
        "dir": tmp,
    }
    german.iloc[:500].to_csv(paths["baseline"], index=False)
    current.to_csv(paths["current"], index=False)
    return paths


def _args(f: dict[str, Path], *extra: str) -> list[str]:
    return ["monitor", str(f["card"]), str(f["baseline"]), str(f["current"]), *extra]


def test_monitor_command_writes_html_and_json(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out, js = files["dir"] / "r.html", files["dir"] / "r.json"
    code = main(
        _args(
            files,
            "--date-column",
            "opened",
            "--by",
            "month",
            "-o",
            str(out),
            "--json",
            str(js),
            "--scale",
            str(files["scale"]),
            "--no-plots",
        )
    )
    assert code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    report = MonitoringReport.load(js)
    assert report.periods == ("2024-01", "2024-02", "2024-03", "2024-04")
    assert report.scale is not None
    printed = capsys.readouterr().out
    assert printed.startswith(f"status: {report.status}")


def test_fail_on_sets_the_exit_status(files: dict[str, Path]) -> None:
    out, js = str(files["dir"] / "f.html"), str(files["dir"] / "f.json")
    base = _args(files, "-o", out, "--json", js, "--no-plots", "--bands", "4")
    assert main([*base, "--fail-on", "never"]) == 0
    status = MonitoringReport.load(js).status
    expected = {"amber": status in ("amber", "red"), "red": status == "red"}
    for level, flagged in expected.items():
        assert main([*base, "--fail-on", level]) == (EXIT_FLAGGED if flagged else 0)


def test_bad_input_is_a_clear_message_and_exit_status_2(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(files["dir"] / "x.html")
    assert main(_args(files, "-o", out, "--date-column", "bad")) == EXIT_ERROR
    assert "column 'bad': expected dates" in capsys.readouterr().err
    missing = ["monitor", str(files["card"]), str(files["baseline"]), "nope.csv", "-o", out]
    assert main(missing) == EXIT_ERROR
    assert "CURRENT: expected a CSV or Parquet file" in capsys.readouterr().err
    odd = files["dir"] / "data.xlsx"
    odd.write_text("x", encoding="utf-8")
    assert main(["monitor", str(files["card"]), str(odd), str(files["current"]), "-o", out]) == 2
    assert ".parquet" in capsys.readouterr().err
    assert main(_args(files, "-o", out, "--target", "nothere")) == EXIT_ERROR
    assert "'nothere'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(_args(files, "--bands", "many"))


def test_stability_only(files: dict[str, Path]) -> None:
    out = files["dir"] / "s.html"
    assert main(_args(files, "-o", str(out), "--no-target", "--no-plots")) == 0


def test_parquet_input(files: dict[str, Path]) -> None:
    pytest.importorskip("pyarrow")
    base = pd.read_csv(files["baseline"])
    cur = pd.read_csv(files["current"])
    pb, pc = files["dir"] / "b.parquet", files["dir"] / "c.parquet"
    base.to_parquet(pb)
    cur.to_parquet(pc)
    js_csv, js_pq = files["dir"] / "csv.json", files["dir"] / "pq.json"
    out = str(files["dir"] / "p.html")
    assert main(_args(files, "-o", out, "--json", str(js_csv), "--no-plots")) == 0
    args = ["monitor", str(files["card"]), str(pb), str(pc), "-o", out, "--json", str(js_pq)]
    assert main([*args, "--no-plots"]) == 0
    assert MonitoringReport.load(js_pq) == MonitoringReport.load(js_csv)
