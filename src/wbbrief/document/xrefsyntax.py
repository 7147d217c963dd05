"""The syntax of labels and cross-references (see ``document.xref``), without the document tree:
``check`` reads them from the source; ``xref`` resolves them on the composed tree."""

from __future__ import annotations

import re

# A heading's own id and classes, written after its text: '## Summary {#summary .break}'.
HEADING_ATTRS = re.compile(r"\s*\{#([a-z][a-z0-9-]*)((?:\s+\.[a-z][a-z0-9-]*)*)\s*\}\s*$")
LABEL = re.compile(r"[a-z][a-z0-9-]*\Z")  # as a heading's {#id}
# The kinds of target, and each one's term: English name (labels.csv kind "term" gives a language's).
TERMS = {"figure": "Figure", "table": "Table", "section": "section"}
_TARGET = re.compile(r"(?P<text>.*?)\s*<(?P<label>[^<>]*)>\s*\Z", re.S)
_SECTION = re.compile(r"\s*(?P<number>\d+(?:\.\d+)*)\.?(?:\s+|\Z)")


def split_target(target: str) -> tuple[str | None, str]:
    """``'see Figure %s <fig-a>'`` → ('see Figure %s', 'fig-a'); ``'fig-a'`` → (None, 'fig-a')."""
    match = _TARGET.fullmatch(target.strip())
    if match and match.group("label").strip():
        return match.group("text"), match.group("label").strip()
    return None, target.strip()


def role_form(name: str) -> str:
    """The case form a reference role asks for: ``numref:acc`` → 'acc', ``numref`` → ''."""
    return name.partition(":")[2]


def section_number(text: str) -> tuple[str, str]:
    """A heading's number as its text starts with it, and its title: '2.1 Driven' → ('2.1', 'Driven')."""
    match = _SECTION.match(text)
    if match is None or not text[match.end() :].strip():
        return "", text.strip()
    return match.group("number"), text[match.end() :].strip()


def slug(text: str) -> str:
    """A heading's automatic id: its text in lower case, each run of other characters a hyphen."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "section"
