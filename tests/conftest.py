"""Shared fixtures: a CLI runner with a fixed terminal width, and the paper's text."""

from __future__ import annotations

import importlib.util
import logging
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner, Result

from wbbrief.cli import app

ROOT = Path(__file__).resolve().parents[1]


def load_script(name: str) -> ModuleType:
    """scripts/NAME.py as a module (registered, so its dataclasses and pickles find it)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


PAPER = ROOT.parent / "shared" / "paper" / "cooperative-security-western-balkans-2022.txt"
WIDTH = 100


@pytest.fixture
def run() -> Callable[..., Result]:
    """Invoke wbbrief as a user would, in a 100-column terminal with no colour."""
    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
        environment = {"COLUMNS": str(WIDTH), "NO_COLOR": "1", "TERM": "dumb"} | (env or {})
        return runner.invoke(app, list(args), env=environment, input=input, catch_exceptions=False)

    return invoke


def read_paper(path: Path = PAPER) -> str:
    """The paper's text. Without it the provenance tests skip on a developer's machine, but under
    CI (CI=true) they fail: a CI run that checks no provenance must not look green."""
    if not path.exists():
        message = f"the paper is not beside this checkout ({path})"
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(message + "; CI must check every figure against it", pytrace=False)
        pytest.skip(message)
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def paper_text() -> str:
    return read_paper()


def pytest_configure(config: pytest.Config) -> None:
    # No wbbrief.toml in the user's config folder changes the briefs under test (document.house).
    os.environ["XDG_CONFIG_HOME"] = str(ROOT / "tests" / "no-user-config")
    config.addinivalue_line("markers", "weasyprint_errors: the test makes WeasyPrint log an error on purpose")


@pytest.fixture(autouse=True)
def no_weasyprint_errors(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Fail any test in which WeasyPrint logs an error (a resource it could not load or read), as
    WeasyPrint's own tests do. A file handler, so that forked workers, which inherit it, report too."""
    if request.node.get_closest_marker("weasyprint_errors"):
        yield
        return
    log = tmp_path_factory.mktemp("weasyprint") / "errors.log"
    handler = logging.FileHandler(log, delay=True)
    handler.setLevel(logging.ERROR)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        handler.close()
    if log.exists() and log.read_text():
        pytest.fail(f"WeasyPrint logged an error:\n{log.read_text()}", pytrace=False)
