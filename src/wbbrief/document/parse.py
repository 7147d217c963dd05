"""Parse a document: CommonMark (markdown-it-py, raw HTML off) with front matter, roles and directives.

Parsing needs no data. It finds, each with its line and column: the roles, the directives (with
their options and ids), every link and image destination, any raw HTML, and every number typed
in the prose. Problems that need no data (syntax, safety) are reported here; ``check`` adds those
that need the figures.

Where a number is not looked for: code spans and code blocks, roles, link and image
destinations, autolinks and bare URLs, ``[^n]`` footnote labels, and the front matter.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from wbbrief.base import limits
from wbbrief.base.record import record
from wbbrief.document import guards
from wbbrief.document.citations import record_sites
from wbbrief.document.directive_syntax import read_directive
from wbbrief.document.frontmatter import parse_front_matter
from wbbrief.document.model import (
    ROLES,
    XREF_ROLES,
    Diagnostic,
    Document,
    FrontMatter,
    Link,
    Located,
    Number,
    Position,
    Role,
    Severity,
)
from wbbrief.document.syntax import closing_ticks as _closing_ticks
from wbbrief.document.syntax import did_you_mean, image_problem, last_word, link_problem, markdown
from wbbrief.document.syntax import run_length as _run

if TYPE_CHECKING:
    from markdown_it.token import Token

_ROLE_NAME = re.compile(r"\{([a-zA-Z0-9_\-+:]+)\}")  # as mdit-py-plugins' myst_role reads it
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9.+\-]{1,31}:[^<>\x00-\x20]*)>")
_EMAIL_AUTOLINK = re.compile(r"<([A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9](?:[A-Za-z0-9.\-]*[A-Za-z0-9])?)>")
_ATTRIBUTE = r"""(?:\s+[A-Za-z_:][\w.:\-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)"""
_HTML = re.compile(
    rf"<[A-Za-z][A-Za-z0-9\-]*{_ATTRIBUTE}*\s*/?>|</[A-Za-z][A-Za-z0-9\-]*\s*>"
    r"|<!--.*?-->|<\?.*?\?>|<![A-Za-z][^>]*>|<!\[CDATA\[.*?\]\]>",
    re.DOTALL,
)
# A URL typed as text (not a link): its digits are not figures. It stops before a role or code.
_BARE_URL = re.compile(r"\b(?:https?|ftp|mailto|file|javascript|data):[^\s<>\x00`{]*", re.IGNORECASE)
_FOOTNOTE_LABEL = re.compile(r"\[\^[^\]\s]*\]")
_LINK_TAIL = re.compile(r"""\s*(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\))?\s*\)""")
_DEFINITION = re.compile(r" {0,3}\[(?:[^\]\\]|\\.)+\]:[ \t]*(<[^>\n]*>|\S+)")
_ESCAPABLE = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
_MASK = "\x00"

# A number in prose. A sign counts only where it starts the number; '-' after a letter is a
# name ('COVID-19'), not a sign. Thousands (1,000) before decimals (39.3 or 39,3).
_NUMBER = re.compile(
    r"(?<![\w.\x00/])(?<![A-Za-z]-)(?P<sign>[+\-−±]?)"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)"
    r"(?:(?P<pct>\s?(?:%|per\s?cent\b|percent\b))"
    r"|(?P<pts>\s?(?:pts?\b|percentage[\s\-]points?\b))"
    r"|(?P<ord>(?:st|nd|rd|th)\b)"
    r"|(?P<plain>(?![\w%])))",
    re.IGNORECASE,
)
# Plain numbers right after these words are references, not figures: 'p. 27', 'footnote 26'.
# The bundled languages' own words too (fusnota, фуснота, fusnotën, str., faqe, f., стр., deo, dio, дел, pjesa,
# and Croatian bilj. for bilješka, a footnote).
_REFERENCE_WORDS = re.compile(
    r"(?:\bp|\bpp|\bfn|\bfootnote|\bnote|\bno|\bpage|\bpages|\bsection|§"
    r"|\bfusnot\w*|\bфуснот\w*|\bфн|\bstr|\bстр|\bstran\w*|\bстран\w*|\bfaq\w*|\bf|\bfq|\bdeo|\bdio|\bdel|\bдео|\bдел"
    r"|\bpjes\w*|\bodeljak\w*|\bodjeljak\w*|\bоддел\w*|\bnapomen\w*|\bshënim\w*|\bбелешк\w*|\bbilj\w*|\bodjel\w*)\.?\s*$",
    re.I,
)


def read_document(path: Path, display: str | None = None) -> Document:
    """Read and parse a document file; undecodable bytes become a located problem, not a crash."""
    from wbbrief.base import samefile

    file = display or str(path)
    raw = limits.read_limited(path, limits.DOCUMENT_BYTES, "document")
    samefile.remember(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        problem = Diagnostic(file, Position(line, col), "error", "encoding", "the file is not UTF-8 text")
        return Document(path, "", FrontMatter(), [], problems=[problem])
    return parse_document(text, path, file)


def parse_document(text: str, path: Path, file: str | None = None) -> Document:
    """Parse a document's text (``path`` locates it: its folder holds its data and images)."""
    source = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    parser = _Parser(source, path, file or str(path))
    return parser.run()


@record(frozen=False)
class _Inline:
    """An inline token's raw content with the file position of each of its lines."""

    content: str
    starts: list[int]  # offset in content of each line
    origins: list[Position]  # file position of each line's first character

    def at(self, offset: int) -> Position:
        line = max(bisect.bisect_right(self.starts, offset) - 1, 0)
        origin = self.origins[line]
        return Position(origin.line, origin.col + offset - self.starts[line])


class _Parser:
    depth = 0  # how many directives this one's text is inside

    def __init__(self, source: str, path: Path, file: str) -> None:
        self.source = source
        self.lines = source.split("\n")
        self.path = path
        self.file = file
        self.cursor: dict[int, int] = {}  # per source line, where the last inline token ended
        self.doc = Document(path, source, FrontMatter(), [])

    def problem(self, position: Position, code: str, message: str, severity: Severity = "error") -> None:
        self.doc.problems.append(Diagnostic(self.file, position, severity, code, message))

    def run(self) -> Document:
        env: dict[str, Any] = {}
        tokens = markdown().parse(self.source, env)
        self.doc.tokens = tokens
        too_deep = guards.nesting_problem(tokens, self.file)
        if too_deep is not None:  # nothing deeper is looked at: it would only cost time and stack
            self.doc.problems.append(too_deep)
            return self.doc
        covered: set[int] = set()
        for number, token in enumerate(tokens):
            if token.map and token.level == 0:
                covered.update(range(token.map[0], token.map[1]))
            if token.type == "front_matter" and token.map:
                self.doc.front_matter, found = parse_front_matter(token.content, 2, self.path, self.file)
                self.doc.problems += found
                self.cover_numbers(self.doc.front_matter)
            elif token.type == "fence" and token.info.strip().startswith("{") and token.map:
                read_directive(self, token)
            elif token.type == "inline" and token.map:
                self.inline(token, number > 0 and tokens[number - 1].type == "paragraph_open")
        opened = self.lines[0].rstrip() == "---" and len(self.lines) > 1 and re.match(r"\w+\s*:", self.lines[1])
        if opened and not any(t.type == "front_matter" for t in tokens):
            self.problem(Position(1, 1), "front-matter", "the front matter has no closing '---' line")
        for index, line in enumerate(self.lines):
            if index not in covered:
                self.definition(index, line)
        known = {link.position.line - 1 for link in self.doc.links if link.kind == "definition"}
        self.doc.links += guards.nested_definitions(env, self.lines, known)
        self.check_links()
        self.doc.problems += guards.svg_warnings(self.path.parent, self.doc.links, self.file)
        lang = guards.language_problem(self.doc, self.file) if self.depth == 0 else None
        self.doc.problems += [lang] if lang else []
        for located in self.doc.html:
            shown = located.text if len(located.text) <= 40 else located.text[:37] + "..."
            self.problem(located.position, "raw-html", f"raw HTML is not allowed: '{shown}' (it would show as text)")
        return self.doc

    # --- inline content -------------------------------------------------------------------

    def locate(self, token: Token, in_paragraph: bool) -> _Inline:
        """Where each line of an inline token's content starts in the file.

        A paragraph's lines are the ends of their source lines (after any '>' or list marker);
        a heading's or a table cell's text is found left to right on its line.
        """
        assert token.map is not None
        starts, origins, offset = [], [], 0
        for i, part in enumerate(token.content.split("\n")):
            index = token.map[0] + i
            source = self.lines[index] if index < len(self.lines) else ""
            text, after = part.rstrip(), self.cursor.get(index, 0)
            if in_paragraph and text and source.rstrip().endswith(text):
                col0 = len(source.rstrip()) - len(text)
            else:
                found = source.find(part.strip(), after) if part.strip() else -1
                col0 = found - (len(part) - len(part.lstrip())) if found >= 0 else after
            col0 = max(col0, 0)
            self.cursor[index] = col0 + len(text)
            starts.append(offset)
            origins.append(Position(index + 1, col0 + 1))
            offset += len(part) + 1
        return _Inline(token.content, starts, origins)

    def inline(self, token: Token, in_paragraph: bool) -> None:
        where = self.locate(token, in_paragraph)
        text = where.content
        masked = list(text)

        def mask(start: int, end: int) -> None:
            masked[start:end] = _MASK * (end - start)

        brackets: list[bool] = []  # for each open '[', whether it opens an image
        i, n = 0, len(text)
        while i < n:
            c = text[i]
            if c == "\\" and i + 1 < n and text[i + 1] in _ESCAPABLE:
                i += 2
                continue
            if c == "{" and (role := self.role(text, i, where)):
                mask(i, role)
                i = role
                continue
            if c == "`":
                run = _run(text, i, "`")
                close = _closing_ticks(text, i + run, run)
                if close >= 0:
                    mask(i, close + run)
                    i = close + run
                else:
                    i += run
                continue
            if c == "<":
                match = _AUTOLINK.match(text, i) or _EMAIL_AUTOLINK.match(text, i)
                if match:
                    destination = match.group(1)
                    if "@" in destination and ":" not in destination:
                        destination = "mailto:" + destination
                    self.doc.links.append(Link("autolink", destination, where.at(i + 1)))
                    mask(i, match.end())
                    i = match.end()
                    continue
                match = _HTML.match(text, i)
                if match:
                    self.doc.html.append(Located(match.group(0), where.at(i)))
                    mask(i, match.end())
                    i = match.end()
                    continue
            if c == "[":
                match = _FOOTNOTE_LABEL.match(text, i)
                if match:
                    mask(i, match.end())
                    i = match.end()
                    continue
                brackets.append(i > 0 and text[i - 1] == "!")
            elif c == "]" and brackets:
                image = brackets.pop()
                if i + 1 < n and text[i + 1] == "(":
                    end = self.destination(text, i + 2, "image" if image else "link", where)
                    if end is not None:
                        mask(i + 1, end)
                        i = end
                        continue
            elif c in "hHfFmMjJdD" and (match := _BARE_URL.match(text, i)) and (i == 0 or not text[i - 1].isalnum()):
                mask(i, match.end())
                i = match.end()
                continue
            i += 1
        self.numbers(record_sites("".join(masked), where.at, self.doc.citations), where)  # [@key] sources

    def role(self, text: str, start: int, where: _Inline) -> int | None:
        """A role at ``start`` (as myst_role reads it): record it, return where it ends."""
        match = _ROLE_NAME.match(text, start)
        if not match:
            return None
        ticks = match.end()
        run = _run(text, ticks, "`")
        if not run:
            return None
        found = text.find("`" * run, ticks + run + 1)
        if found < 0:
            return None
        name = match.group(1)
        target = text[ticks + run : found].replace("\n", " ")
        position, target_at = where.at(start), where.at(ticks + run)
        self.doc.roles.append(Role(name, target.strip(), position, target_at))
        if name not in ROLES and not name.startswith("numref:"):  # {numref:acc}: a form (document.xref)
            self.problem(position, "unknown-role", f"unknown role '{{{name}}}'{did_you_mean(name, ROLES, '{', '}')}")
        elif not target.strip():
            what = "a label" if name in XREF_ROLES or name.startswith("numref:") else "a figure id"
            self.problem(target_at, "bad-role", f"the role {{{name}}} needs {what} between the backticks")
        return found + run

    def destination(self, text: str, start: int, kind: Literal["link", "image"], where: _Inline) -> int | None:
        """Read ``(destination "title")`` after ``](``; record it; return the end, or None if not a link."""
        i = start
        while i < len(text) and text[i] in " \t\n":
            i += 1
        begin = i
        if i < len(text) and text[i] == "<":
            close = text.find(">", i)
            if close < 0 or "\n" in text[i:close]:
                return None
            destination, i = text[i + 1 : close], close + 1
            begin += 1
        else:
            depth = 0
            while i < len(text) and not text[i].isspace() and ord(text[i]) >= 0x20:
                if text[i] == "\\" and i + 1 < len(text):
                    i += 2
                    continue
                if text[i] == "(":
                    depth += 1
                elif text[i] == ")":
                    if depth == 0:
                        break
                    depth -= 1
                i += 1
            destination = text[begin:i]
        tail = _LINK_TAIL.match(text, i)
        if not tail:
            return None
        self.doc.links.append(Link(kind, destination, where.at(begin)))
        return tail.end()

    def numbers(self, masked: str, where: _Inline) -> None:
        for match in _NUMBER.finditer(masked):
            digits = match.group("num")
            value_text = digits.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", digits) else digits
            value = float(value_text.replace(",", "."))
            position = where.at(match.start())
            shown = match.group(0).strip()
            if match.group("pct") is not None:
                kind: Literal["percent", "points", "ordinal", "plain"] = "percent"
            elif match.group("pts") is not None:
                kind = "points"
            elif match.group("ord") is not None:
                kind = "ordinal"
            else:
                kind = "plain"
                if _REFERENCE_WORDS.search(last_word(masked, match.start())):
                    continue  # a page, footnote or section number
            self.doc.numbers.append(Number(shown, value, kind, position))

    def cover_numbers(self, front: FrontMatter) -> None:
        """Numbers typed in the title or subtitle, which the cover shows as prose."""
        for key in ("title", "subtitle"):
            value, start = getattr(front, key), front.where.get(key)
            if isinstance(value, str) and start is not None:
                self.numbers(value, _Inline(value, [0], [start]))

    # --- blocks -----------------------------------------------------------------------------

    def definition(self, index: int, line: str) -> None:
        """A link reference definition ('[label]: destination') outside every block."""
        match = _DEFINITION.match(line)
        if match:
            destination = match.group(1)
            col = match.start(1) + 1
            if destination.startswith("<"):
                destination, col = destination[1:-1], col + 1
            self.doc.links.append(Link("definition", destination, Position(index + 1, col)))

    def check_links(self) -> None:
        for link in self.doc.links:
            if link.kind == "image":
                reason = image_problem(self.path.parent, link.destination)
                if reason:
                    self.problem(link.position, "unsafe-image", reason)
            else:
                reason = link_problem(link.destination)
                if reason:
                    self.problem(link.position, "unsafe-link", reason)
