"""The manual (docs/ and mkdocs.yml): its examples are the tool's real output, its command reference
is the CLI's own help as it is now, and it builds, offline, with no page left out of the nav."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import load_script

ROOT = Path(__file__).resolve().parents[1]


examples = load_script("doc_examples")
reference = load_script("cli_reference")
PAGES = [page for page in examples.pages() if examples.BLOCK.search(page.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("page", PAGES, ids=[str(page.relative_to(ROOT)) for page in PAGES])
def test_the_examples_are_the_tools_output_now(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert examples.refreshed(text) == text, f"{page.relative_to(ROOT)}: stale examples, run `make docs-examples`"


def test_the_pages_of_the_manual_are_checked_and_their_queries_rerun() -> None:
    rerun = [
        (page.relative_to(ROOT).as_posix(), match.group(1))
        for page in examples.pages()
        for match in examples.BLOCK.finditer(page.read_text(encoding="utf-8"))
        if match.group(1).split()[1] in examples.RERUN
    ]
    pages = {page for page, _ in rerun}
    assert {"README.md", "docs/querying.md", "docs/quickstart.md", "docs/uncertainty.md", "docs/tabulate.md"} <= pages
    assert "docs/examples/memo/brief.md" not in {p.relative_to(ROOT).as_posix() for p in examples.pages()}
    assert len(rerun) >= 10


def test_the_command_reference_is_the_clis_help_now() -> None:
    stored = reference.PAGE.read_text(encoding="utf-8")
    assert reference.page() == stored, "docs/reference/cli.md differs from the CLI's help: run `make docs-reference`"
    paths = reference.command_paths()
    assert ("data", "validate") in paths and ("findings",) in paths and () in paths
    for path in paths:
        command = " ".join(("wbbrief", *path))
        assert f"## {command}\n\n```text\n$ {command} -h\nUsage: {command} " in stored, command


def build(config_dir: Path, site: Path) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("material") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("mkdocs and mkdocs-material are not installed (the test extra installs them)")
        pytest.skip("mkdocs and mkdocs-material are not installed (`make docs` installs them)")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        capture_output=True,
        text=True,
        check=False,
        cwd=config_dir,
        env=os.environ | {"NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"},
    )


# What a browser would load by itself (not a hyperlink a reader may follow): from another host, it
# would be a request leaving the machine.
LOADS = re.compile(
    r"<(?:script|link|img|iframe|source|embed|object)\b[^>]*?\b(?:src|href|data)=\"((?:https?:)?//[^\"]+)"
)
CSS_LOADS = re.compile(r"(?:url\(\s*['\"]?|@import\s+['\"])((?:https?:)?//[^'\")]+)")


def test_the_manual_builds_with_every_page_and_loads_nothing_from_the_network(tmp_path: Path) -> None:
    result = build(ROOT, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "site"
    built = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    pages = {p.relative_to(ROOT / "docs").with_suffix(".html").as_posix() for p in examples.pages()[1:]}
    assert pages <= built
    assert "Usage: wbbrief data validate" in (site / "reference" / "cli.html").read_text(encoding="utf-8")
    assert "What a native reviewer should look at first" in (site / "developer" / "languages.html").read_text("utf-8")
    for path in [*site.rglob("*.html"), *site.rglob("*.css")]:
        text = path.read_text(encoding="utf-8")
        found = LOADS.findall(text) if path.suffix == ".html" else CSS_LOADS.findall(text)
        assert not found, f"{path.relative_to(site)} loads {found}"


@pytest.fixture
def manual(tmp_path: Path) -> Path:
    """A copy of the manual's sources that builds (checked), to break in one place."""
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path)
    (tmp_path / "locales").mkdir()
    shutil.copy(ROOT / "locales" / "README.md", tmp_path / "locales")
    assert build(tmp_path, tmp_path / "site").returncode == 0
    return tmp_path


def test_a_page_left_out_of_the_nav_fails_the_build(manual: Path) -> None:
    (manual / "docs" / "guide" / "orphan.md").write_text("# Orphan\n\nIn no nav.\n", encoding="utf-8")
    result = build(manual, manual / "site")
    assert result.returncode == 1 and "guide/orphan.md" in result.stderr


def test_a_link_to_a_missing_anchor_fails_the_build(manual: Path) -> None:
    index = manual / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n[Nowhere](install.md#no-such-anchor)\n", encoding="utf-8")
    result = build(manual, manual / "site")
    assert result.returncode == 1 and "#no-such-anchor" in result.stderr


def test_a_missing_image_fails_the_build(manual: Path) -> None:
    (manual / "docs" / "brief-page-7.png").unlink()
    result = build(manual, manual / "site")
    assert result.returncode == 1 and "brief-page-7.png" in result.stderr
