"""Shared fixtures: a CLI runner with a fixed terminal width, and the paper's text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from wbbrief.cli import app

ROOT = Path(__file__).resolve().parents[1]
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


@pytest.fixture(scope="session")
def paper_text() -> str:
    if not PAPER.exists():
        pytest.skip(f"the paper is not beside this checkout ({PAPER})")
    return PAPER.read_text(encoding="utf-8")
