"""The README is short: what wbbrief is, the two commands, one real example and a map of the manual.
(Its examples are rerun with the manual's, in tests/test_docs.py.)"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_has_the_quick_start_and_the_cover_image() -> None:
    assert "make brief" in README and "make test" in README
    assert (ROOT / "docs" / "brief-cover.png").exists() and "docs/brief-cover.png" in README


def test_readme_is_under_200_lines_with_one_real_example() -> None:
    assert len(README.splitlines()) < 200
    assert re.search(r"```console\n\$ wbbrief findings ", README)


def test_readme_links_to_every_page_of_the_manual_it_maps() -> None:
    linked = set(re.findall(r"\]\((docs/[^)#]+\.md)", README))
    assert {"docs/index.md", "docs/install.md", "docs/reference/cli.md", "docs/developer/index.md"} <= linked
    for page in linked:
        assert (ROOT / page).is_file(), page
