"""A citation of the bibliography's works in the tree (``document.tree`` re-exports both; issue 18)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Citation:
    """A work cited, as pandoc's Citation; mode NormalCitation, AuthorInText ('@key') or SuppressAuthor ('[-@key]')."""

    key: str
    mode: str = "NormalCitation"
    prefix: str = ""
    locator: str = ""  # 'p. 12'
    suffix: str = ""


@dataclass(frozen=True)
class Cite:
    """Citations as written ('[see @a, p. 3; @b]'); ``note``: its note in a notes style (0: none)."""

    citations: tuple[Citation, ...]
    text: str
    note: int = 0
