"""Every brief and every query command gives what it gave when the golden set was written
(scripts/golden.py): a change of structure changes nothing a reader sees. A change made on purpose
rewrites the set (`make golden`) and says so in its commit."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from conftest import load_script


def _golden() -> ModuleType:
    return load_script("golden")


def test_outputs_equal_the_golden_set() -> None:
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail("pdftotext is missing under CI (.ci/run should have installed poppler-utils)")
        pytest.skip("pdftotext (poppler-utils) is needed; .ci/run installs it")
    found = _golden().differences()
    shown = "\n\n".join(found[:8])
    assert not found, f"{len(found)} outputs differ from tests/golden (`make golden` rewrites it):\n\n{shown}"


def test_a_changed_output_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    golden = _golden()
    (tmp_path / "json" / "en").mkdir(parents=True)
    (tmp_path / "json" / "en" / "sources.json").write_text("[]\n", encoding="utf-8")
    (tmp_path / "stale.txt").write_text("x", encoding="utf-8")
    monkeypatch.setattr(golden, "GOLDEN", tmp_path)
    monkeypatch.setattr(golden, "outputs", lambda: iter([("json/en/sources.json", "[1]\n"), ("new.txt", "y")]))
    found = golden.differences()
    assert [f.split(":")[0] for f in found] == ["json/en/sources.json", "new.txt", "stale.txt"]
