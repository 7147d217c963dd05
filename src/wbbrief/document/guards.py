"""The document's problems that ``render`` would otherwise find only when it refuses or crashes.

``check`` must say what ``render`` will refuse, so each rule here is the renderer's own:

- ``lang:`` must name a bundled language (``render`` looks it up the same way);
- Markdown nested deeper than ``limits.NESTING`` (emphasis 1,000 deep overflows the PDF's layout);
- a link reference definition inside a list or a blockquote is a link like any other
  (``javascript:`` there is refused where it stands);
- an SVG image with scripts or event attributes is shown without them (a warning).
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wbbrief.base import limits
from wbbrief.base.errors import DataError
from wbbrief.document.model import Diagnostic, Link, Position

if TYPE_CHECKING:
    from markdown_it.token import Token

    from wbbrief.document.model import Document


def language_problem(document: Document, file: str) -> Diagnostic | None:
    """``lang:`` naming a language the renderer does not have (e.g. 'zz', or 'sq-AL' for 'sq')."""
    front = document.front_matter
    if front.lang in (None, "en"):  # English, the data's own: the language machinery is not loaded
        return None
    from wbbrief.base.errors import UsageError
    from wbbrief.i18n import language

    try:
        language(front.lang)
    except UsageError as err:
        where = front.where.get("lang", Position(2, 1))
        return Diagnostic(file, where, "error", "front-matter", f"lang: {err}")
    return None


def nesting_problem(tokens: Sequence[Token], file: str, first_line: int = 0) -> Diagnostic | None:
    """The first place where blocks or inline markup nest deeper than ``limits.NESTING``."""
    for token in tokens:
        depth = token.level
        if token.children:
            depth += _deepest(token.children)
        if depth > limits.NESTING:
            line = (token.map[0] if token.map else 0) + 1
            return Diagnostic(
                file, Position(line, 1), "error", "too-deep",
                f"the text is nested more than {limits.NESTING} levels deep (emphasis, lists or quotes)",
            )  # fmt: skip
    return None


def _deepest(children: Iterable[Token]) -> int:
    depth = deepest = 0
    for child in children:
        depth += child.nesting
        deepest = max(deepest, depth)
    return deepest


def nested_definitions(env: dict[str, Any], lines: Sequence[str], known: set[int]) -> list[Link]:
    """Link reference definitions markdown-it found inside lists and blockquotes (``known``: the
    lines of definitions already recorded), located at their destination."""
    found = []
    for reference in env.get("references", {}).values():
        line = reference.get("map", [0])[0]
        if line in known or line >= len(lines):
            continue
        href = str(reference.get("href", ""))
        text = lines[line]
        col = _column(text, href)
        found.append(Link("definition", href, Position(line + 1, col)))
    return found


def _column(text: str, href: str) -> int:
    close = text.find("]:")
    start = close + 2 if close >= 0 else 0
    rest = text[start:]
    offset = len(rest) - len(rest.lstrip())
    if rest.lstrip().startswith("<"):
        offset += 1
    return start + offset + 1


def svg_warnings(folder: Path, links: Iterable[Link], file: str) -> list[Diagnostic]:
    """A warning for each SVG image that carries scripts or event attributes."""
    from wbbrief.document.frontmatter import inside_folder
    from wbbrief.document.images import active_content

    found = []
    for link in links:
        if link.kind != "image" or not re.search(r"\.svg$", link.destination.strip(), re.I):
            continue
        path = inside_folder(folder, urllib.parse.unquote(link.destination.strip()))
        if isinstance(path, str) or not path.is_file():
            continue
        try:
            limits.regular_file(path, limits.IMAGE_BYTES, "image")
            with open(path, "rb") as stream:
                content = stream.read(limits.IMAGE_BYTES)
        except (DataError, OSError):
            continue
        if active_content(content):
            message = f"the SVG image '{link.destination}' contains scripts or event attributes; they are removed"
            found.append(Diagnostic(file, link.position, "warning", "svg-script", message + " when it is shown"))
    return found
