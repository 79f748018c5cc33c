"""Run the benchmarks: ``python benchmarks/run.py [binning|scorecard|...|all] [--rows N] [--save]``.

Each benchmark is a module ``benchmarks/bench_<name>.py`` that defines

* ``run(rows: int | None) -> dict``: runs the benchmark (``rows=None`` = its own
  default size) and returns JSON-serializable results;
* ``report(result: dict) -> str``: the human-readable summary.

A benchmark listed in :data:`BENCHMARKS` whose module does not exist yet is
skipped by ``all`` (with a note) and refused when asked for by name.  Nothing is
written unless ``--save`` is given, and then only ``benchmarks/results/*.json``
(git-ignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.util
import json
import os
import platform
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
#: benchmark names, in the order ``all`` runs them
BENCHMARKS = (
    "binning",
    "scorecard",
    "shapes",
    "realdata",
    "decide",
    "logit",
    "monitor",
    "deploy",
    "engines",
)

if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
if importlib.util.find_spec("scorecard") is None:  # a checkout without an install
    sys.path.insert(0, str(HERE.parent / "src"))


def _module(name: str) -> ModuleType | None:
    if importlib.util.find_spec(f"bench_{name}") is None:
        return None
    return importlib.import_module(f"bench_{name}")


def _version(dist: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> dict[str, Any]:
    """Where and with what the benchmarks ran."""
    import scorecard

    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "python": platform.python_version(),
        "scorecard": getattr(scorecard, "__version__", "unknown"),
        "numpy": _version("numpy"),
        "pandas": _version("pandas"),
        "optbinning": _version("optbinning"),
        "ortools": _version("ortools"),
    }


def header(m: dict[str, Any]) -> str:
    return "\n".join(
        [
            f"scorecard benchmarks, {m['date']}",
            f"machine: {m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable), "
            f"{m['platform']}",
            f"python {m['python']}, scorecard {m['scorecard']}, numpy {m['numpy']}, "
            f"pandas {m['pandas']}, optbinning {m['optbinning']} (ortools {m['ortools']})",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", nargs="?", default="all", choices=[*BENCHMARKS, "all"])
    parser.add_argument(
        "--rows", type=int, default=None, help="training rows (default: each benchmark's own)"
    )
    parser.add_argument(
        "--save", action="store_true", help="also write benchmarks/results/<name>-<time>.json"
    )
    args = parser.parse_args(argv)
    if args.rows is not None and args.rows < 1_000:
        parser.error(f"--rows: expected at least 1000 rows, found {args.rows}")

    names = BENCHMARKS if args.which == "all" else (args.which,)
    m = machine()
    print(header(m), flush=True)
    status = 0
    for name in names:
        mod = _module(name)
        print(f"\n== {name} ==", flush=True)
        if mod is None:
            print(f"(no benchmarks/bench_{name}.py yet: skipped)")
            if args.which != "all":
                status = 2
            continue
        result = mod.run(args.rows)
        print(mod.report(result), flush=True)
        if args.save:
            RESULTS.mkdir(exist_ok=True)
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
            path = RESULTS / f"{name}-{stamp}.json"
            path.write_text(json.dumps({"machine": m, **result}, indent=2, allow_nan=True) + "\n")
            print(f"saved {path.relative_to(HERE.parent)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
