"""The layout's rules, checked on the source (see ``docs/architecture.md``).

* Imports run one way, down the credit cycle: ``_core`` (shared base) <- ``datasets``
  (collect) and ``_analyze`` (analyze) <- ``_model`` (score) <- ``policy`` (decide) <-
  ``monitor`` (monitor) and the exports (``deploy``) <- the engines (``engines``: fit and
  score where the data lives, reusing the SQL export) <- the integrations (``sklearn``,
  ``plotting``, ``_cli``, ``testing`` and its ``_testing``) and the package's ``__init__``.
* Third-party engines stay behind their adapters: optbinning in ``_analyze/optb.py`` only,
  statsmodels in the logistic engine only, scikit-learn in ``sklearn.py`` only, matplotlib in
  ``plotting.py`` and ``monitor/_plots.py`` only, hypothesis in ``_testing/strategies.py`` only,
  DuckDB in ``engines/_duckdb.py`` and Spark in ``engines/_spark.py`` only.
* No import cycle between modules (imports for type checking included).
* One seam per module: no source file over 1,000 lines, no class over 600.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "scorecard"

#: package (first component under ``scorecard``) -> the packages it may import from
ALLOWED: dict[str, set[str]] = {
    "exceptions": set(),
    "_version": set(),
    "_core": {"exceptions", "_version"},
    "datasets": {"_core", "exceptions"},
    "_analyze": {"_core", "exceptions"},
    "_model": {"_core", "_analyze", "exceptions", "_version"},
    "policy": {"_core", "_model", "exceptions"},
    "monitor": {"_core", "_analyze", "_model", "policy", "exceptions", "_version"},
    "metrics": {"_model"},
    "plotting": {"_core", "_analyze", "exceptions"},
    "sklearn": {"_core", "_analyze", "_model", "exceptions"},
    "deploy": {"_core", "_analyze", "_model", "policy", "exceptions", "_version"},
    "engines": {"_core", "_analyze", "_model", "policy", "deploy", "exceptions"},
    "_cli": {
        "_core",
        "_analyze",
        "_model",
        "policy",
        "monitor",
        "deploy",
        "datasets",
        "_version",
        "exceptions",
        "",
    },
    "_testing": {"_core", "_analyze", "_model", "policy", "exceptions"},
    "testing": {"_analyze", "_model", "policy", "_testing", "exceptions"},
    "": {"_core", "_analyze", "_model", "policy", "datasets", "_version", "exceptions"},
}
#: third-party module -> the only source files that may import it
ENGINES = {
    "optbinning": {"_analyze/optb.py"},
    "sklearn": {"sklearn.py"},
    "matplotlib": {"plotting.py", "monitor/_plots.py"},
    "hypothesis": {"_testing/strategies.py"},
    "duckdb": {"engines/_duckdb.py"},
    "pyspark": {"engines/_spark.py"},
    "py4j": set(),
}
MAX_FILE_LINES = 1000
MAX_CLASS_LINES = 600


def _sources() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py"))


def _package(path: Path) -> str:
    rel = path.relative_to(SRC)
    if rel.parts == ("__init__.py",):
        return ""
    return rel.parts[0].removesuffix(".py")


def _imports(path: Path) -> list[tuple[str, int]]:
    """Every module an import statement names (module level, in functions, under
    TYPE_CHECKING), with its line number."""
    out: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, node.lineno))
            if node.module == "scorecard":  # from scorecard import _x / name
                out += [(f"scorecard.{a.name}", node.lineno) for a in node.names]
    return out


def test_imports_run_down_the_cycle() -> None:
    wrong = []
    for path in _sources():
        pkg = _package(path)
        for mod, line in _imports(path):
            parts = mod.split(".")
            if parts[0] != "scorecard" or len(parts) == 1:
                continue
            target = parts[1]
            if target not in ALLOWED:  # a public name imported from the package itself
                target = ""
            if target != pkg and target not in ALLOWED[pkg]:
                wrong.append(f"{path.relative_to(SRC)}:{line} imports {mod}")
    assert not wrong, "imports that run back up (or sideways) the cycle:\n" + "\n".join(wrong)


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_third_party_engines_stay_behind_their_adapter(engine: str) -> None:
    users = {
        str(path.relative_to(SRC))
        for path in _sources()
        for mod, _ in _imports(path)
        if mod.split(".")[0] == engine
    }
    assert users <= ENGINES[engine], users


def test_statsmodels_only_in_the_logistic_engine() -> None:
    users = {
        str(path.relative_to(SRC))
        for path in _sources()
        for mod, _ in _imports(path)
        if mod.split(".")[0] == "statsmodels"
    }
    assert len(users) == 1 and next(iter(users)).startswith("_model/"), users


def test_one_seam_per_module_sizes() -> None:
    big_files, big_classes = [], []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        n = text.count("\n")
        if n > MAX_FILE_LINES:
            big_files.append(f"{path.relative_to(SRC)}: {n} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef):
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                if size > MAX_CLASS_LINES:
                    big_classes.append(f"{path.relative_to(SRC)}::{node.name}: {size} lines")
    assert not big_files, big_files
    assert not big_classes, big_classes


def _module_file(name: str) -> Path | None:
    """The source file of ``scorecard.x.y`` (a module or a package's ``__init__``)."""
    parts = name.split(".")[1:]
    base = SRC.joinpath(*parts) if parts else SRC
    for cand in (base.with_suffix(".py"), base / "__init__.py"):
        if cand.is_file():
            return cand
    return None


def _edges(path: Path) -> set[Path]:
    out: set[Path] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        for name in names:
            if name.split(".")[0] == "scorecard":
                target = _module_file(name)
                if target is not None and target != path:
                    out.add(target)
    return out


def test_no_import_cycles() -> None:
    graph = {path: _edges(path) for path in _sources()}
    # a package's __init__ re-exports its modules: leave its outgoing edges out
    for path in graph:
        if path.name == "__init__.py":
            graph[path] = set()
    state: dict[Path, int] = {}
    cycle: list[Path] = []

    def visit(node: Path, stack: list[Path]) -> bool:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycle.extend([*stack[stack.index(nxt) :], nxt])
                return True
            if state.get(nxt) is None and visit(nxt, [*stack, nxt]):
                return True
        state[node] = 2
        return False

    for start in sorted(graph):
        if state.get(start) is None and visit(start, [start]):
            break
    assert not cycle, " -> ".join(str(p.relative_to(SRC)) for p in cycle)


def test_rules_catch_a_violation(tmp_path: Path) -> None:
    """The checks above can fail: an upward import is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text("from scorecard.policy import CreditPolicy\n", encoding="utf-8")
    mods = [m for m, _ in _imports(bad)]
    assert mods == ["scorecard.policy"]
    assert "policy" not in ALLOWED["_analyze"]
