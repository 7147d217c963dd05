"""The README shows real commands with their real output."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_examples_match_the_tool() -> None:
    spec = importlib.util.spec_from_file_location("readme_examples", ROOT / "scripts" / "readme_examples.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert module.BLOCK.search(text), "the README shows no examples"
    assert module.refreshed(text) == text, "README examples are stale: run `python scripts/readme_examples.py`"


def test_readme_has_the_quick_start_and_the_cover_image() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make brief" in text and "make test" in text
    assert (ROOT / "docs" / "brief-cover.png").exists() and "docs/brief-cover.png" in text
