"""The Markdown parser and the rules of a document's syntax that need no data: which link and
image destinations are allowed, and the hints of its messages."""

from __future__ import annotations

import difflib
import re
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wbbrief.document.frontmatter import inside_folder

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")
LINK_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")

_PARSER: MarkdownIt | None = None
# An escaped '@' ('\\@') in a text token, marked so that it is never read as a citation (issue 18);
# ``document.inlines`` removes the mark.
ESCAPED_AT = "\ue000"


def markdown() -> MarkdownIt:
    """The one Markdown parser: CommonMark, raw HTML off, tables, front matter and MyST roles."""
    global _PARSER
    if _PARSER is None:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.front_matter import front_matter_plugin
        from mdit_py_plugins.myst_role import myst_role_plugin

        md = MarkdownIt("commonmark", {"html": False}).use(front_matter_plugin).use(myst_role_plugin)
        md.enable(["table", "strikethrough"])
        # Every destination is parsed as written; safety is decided by ``check`` and the renderer,
        # so that a javascript: link is reported where it stands instead of vanishing into text.
        md.validateLink = lambda url: True  # type: ignore[method-assign]
        md.core.ruler.before("text_join", "escaped_at", _mark_escaped_at)
        _PARSER = md
    return _PARSER


def _mark_escaped_at(state: Any) -> None:
    for token in state.tokens:
        for child in token.children or ():
            if child.type == "text_special" and child.info == "escape" and child.content == "@":
                child.content = ESCAPED_AT + "@"


def link_problem(destination: str) -> str | None:
    """Why a link destination is refused, or None: only http(s):, mailto: and '#anchors'."""
    target = re.sub(r"[\x00-\x20]", "", destination)
    if target.startswith("#"):
        return None
    scheme = _SCHEME.match(target)
    if scheme and scheme.group(1).lower() in LINK_SCHEMES:
        return None
    shown = destination if len(destination) <= 40 else destination[:37] + "..."
    if scheme:
        return f"unsafe link '{shown}': links may only go to http:, https: or mailto: addresses"
    return f"link to '{shown}' refused: links may only go to http:, https: or mailto: addresses"


def image_problem(folder: Path, destination: str) -> str | None:
    """Why an image is refused, or None: only PNG, JPEG or SVG files in the document's folder."""
    target = urllib.parse.unquote(destination.strip())
    shown = destination if len(destination) <= 40 else destination[:37] + "..."
    if _SCHEME.match(target) or target.startswith("//"):
        return f"image '{shown}' refused: images must be files in the document's folder (nothing is fetched)"
    if not target.lower().endswith(IMAGE_SUFFIXES):
        return f"image '{shown}' refused: only PNG, JPEG or SVG images"
    found = inside_folder(folder, target)
    if isinstance(found, str):
        return f"image {found}"
    if not found.is_file():
        return f"image '{shown}' is not a file"
    from wbbrief.document import images

    return images.too_big(found, shown)


def did_you_mean(wrong: str, valid: tuple[str, ...], left: str = "{", right: str = "}") -> str:
    near = difflib.get_close_matches(wrong, valid, n=1, cutoff=0.5)
    return f"; did you mean '{left}{near[0]}{right}'?" if near else ""


def option_list(names: tuple[str, ...]) -> str:
    return ", ".join(f":{n}:" for n in names)


def last_word(text: str, end: int) -> str:
    """The text before ``end`` back to the start of its last word (with one character more, for
    ``\\b``): all that parse's ``_REFERENCE_WORDS`` can match, found without rescanning the whole prefix,
    so that a paragraph of many numbers is read in linear time."""
    i = end
    while i > 0 and text[i - 1].isspace():
        i -= 1
    if i > 0 and text[i - 1] == ".":
        i -= 1
    if i > 0 and text[i - 1] == "§":
        i -= 1
    while i > 0 and _WORD.match(text, i - 1):
        i -= 1
    return text[max(i - 1, 0) : end]


_WORD = re.compile(r"\w")


def run_length(text: str, start: int, char: str) -> int:
    """How many ``char`` in a row start at ``start`` (a backtick run)."""
    end = start
    while end < len(text) and text[end] == char:
        end += 1
    return end - start


def closing_ticks(text: str, start: int, run: int) -> int:
    """Where a backtick run of exactly ``run`` closes a code span opened before ``start``, or -1."""
    i = start
    while True:
        i = text.find("`", i)
        if i < 0:
            return -1
        length = run_length(text, i, "`")
        if length == run:
            return i
        i += length
