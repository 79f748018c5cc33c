"""The README example runs as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert blocks, "README has no python example"
    monkeypatch.chdir(tmp_path)
    for code in blocks:
        exec(compile(code, str(README), "exec"), {"__name__": "readme"})
    assert (tmp_path / "card.json").exists()


def test_import_does_not_load_heavy_dependencies() -> None:
    import subprocess
    import sys

    code = (
        "import sys, scorecard, scorecard.datasets, scorecard.exceptions; "
        "heavy = [m for m in ('optbinning', 'statsmodels', 'sklearn', 'matplotlib', 'scipy') "
        "if m in sys.modules]; print(heavy); assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_cli_demo_runs(capsys: pytest.CaptureFixture[str]) -> None:
    from scorecard._cli import main

    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    for step in ("1. Collect", "2. Analyze", "3. Score", "4. Decide"):
        assert step in out
