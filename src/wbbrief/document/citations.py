"""Pandoc's citation syntax in the prose, read without pandoc (issue 18).

``[@key]``, ``[@key, p. 12]``, ``[see @a; @b, ch. 2]``, ``[-@key]`` (the author left out) and the
narrative ``@key`` (optionally ``@key [p. 12]``). A key starts with a letter, digit or '_' and may
hold single inner punctuation (``:.#$%&-+?<>~/``), or is written in braces (``@{key with spaces}``).
An '@' after a letter or digit (an e-mail address), in a URL typed as text, or escaped ('\\@') is no
citation, and neither is one inside code (the caller masks code first). A bracketed citation may
run across the lines of its paragraph ('[@a, pp. 3-4;' and '@b]' on the next): a soft line break is
a space, as pandoc reads it; its text has the break as a space, and each key keeps its own line.

The same scanner serves ``check`` (positions, over the parser's masked text) and the tree
(``document.inlines``, over each text token), so both see the same citations.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from wbbrief.base.record import record
from wbbrief.document import citetree as t  # not the whole tree: check reads citations without composing
from wbbrief.document.model import CiteSite, Located, Position
from wbbrief.document.syntax import ESCAPED_AT

if TYPE_CHECKING:
    from markdown_it.token import Token

    from wbbrief.document.tree import Inline

_KEY = r"(?:\{(?P<braced>[^{}\n]+)\}|(?P<plain>\w(?:\w|[:.#$%&\-+?<>~/](?=\w))*))"
_PART = re.compile(rf"(?P<prefix>(?:.*?\s)?)(?P<minus>-?)@{_KEY}(?P<rest>.*)", re.DOTALL)
_NARRATIVE = re.compile(rf"@{_KEY}(?:\s?\[(?P<bracket>[^\[\]@\n]*)\])?")
# A locator at the start of the text after a key: 'p. 12', 'pp. 33–35', 'ch. 2', 'str. 5', '12'.
_LOCATOR = re.compile(r",\s*(?P<locator>(?:[^\W\d]+\.?\s*)?\d[\w\-–]*(?:\s*[-–,]\s*\d[\w\-–]*)*)(?P<suffix>.*)", re.S)
_URL = re.compile(r"(?:https?|ftp|mailto|file|javascript|data):[^\s<>\x00`{]*", re.IGNORECASE)  # as parse's
_SENTENCE_END = re.compile(r"[.!?]['\"’”)]*\s")


@record
class Found:
    """A citation found in a text: where it starts and ends, and its works with each key's offset."""

    start: int
    end: int
    citations: tuple[t.Citation, ...]
    offsets: tuple[int, ...]

    def cite(self, text: str) -> t.Cite:
        return t.Cite(self.citations, one_line(text[self.start : self.end]))


def one_line(text: str) -> str:
    """A citation's text with its soft line breaks as spaces (a message about it stays one line)."""
    return re.sub(r"[ \t]*\n[ \t]*", " ", text)


def scan(text: str) -> list[Found]:
    """Every citation in ``text``, in order."""
    found: list[Found] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "[" and (i == 0 or text[i - 1] != "!"):
            close = text.find("]", i + 1)
            inner = text[i + 1 : close] if close > 0 else ""
            after = text[close + 1 : close + 2] if close > 0 else ""
            if "@" in inner and "[" not in inner and after not in ("(", "[", "\x00"):
                bracketed = _bracket(inner.replace("\n", " "), i + 1)  # a soft break is a space
                if bracketed is not None:
                    found.append(Found(i, close + 1, *bracketed))
                    i = close + 1
                    continue
        elif c in "hHfFmMjJdD" and (url := _URL.match(text, i)) and (i == 0 or not text[i - 1].isalnum()):
            i = url.end()  # a URL typed as text: 'https://medium.com/@jane' cites nothing
            continue
        elif c == "@" and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_" + ESCAPED_AT)):
            match = None if _URL.match(text, i + 1) else _NARRATIVE.match(text, i)
            if match:
                key = match.group("braced") or match.group("plain")
                locator, suffix = _locator(", " + match.group("bracket")) if match.group("bracket") else ("", "")
                citation = t.Citation(key, "AuthorInText", "", locator, suffix)
                found.append(Found(i, match.end(), (citation,), (i + 1,)))
                i = match.end()
                continue
        i += 1
    return found


def _bracket(inner: str, offset: int) -> tuple[tuple[t.Citation, ...], tuple[int, ...]] | None:
    """The works of '[...]' (its text between the brackets), or None if one part names no key."""
    citations: list[t.Citation] = []
    offsets: list[int] = []
    start = 0
    for part in inner.split(";"):
        match = _PART.fullmatch(part)
        if match is None:
            return None
        key = match.group("braced") or match.group("plain")
        mode = "SuppressAuthor" if match.group("minus") else "NormalCitation"
        locator, suffix = _locator(match.group("rest"))
        citations.append(t.Citation(key, mode, match.group("prefix").strip(), locator, suffix))
        offsets.append(offset + start + match.start("minus") + len(match.group("minus")) + 1)
        start += len(part) + 1
    return tuple(citations), tuple(offsets)


def _locator(rest: str) -> tuple[str, str]:
    """(locator, suffix) of the text after a key: ', p. 12, emphasis added' -> ('p. 12', ', emphasis added')."""
    match = _LOCATOR.fullmatch(rest)
    if match is None:
        return "", rest.strip()
    return match.group("locator").strip(), match.group("suffix").rstrip()


def split_text(text: str, cite: Callable[[t.Cite], list[Inline]]) -> list[Inline]:
    """A text token's text as inlines: its citations as what ``cite`` makes of them."""
    from wbbrief.document.tree import SoftBreak, Text  # composition only; check never builds the tree

    out: list[Inline] = []

    def plain(part: str) -> None:  # a soft line break ('\n', see ``joined``) stays one
        for n, line in enumerate(part.split("\n")):
            if n:
                out.append(SoftBreak())
            if line:
                out.append(Text(line.replace(ESCAPED_AT, "")))

    last = 0
    for found in scan(text):
        plain(text[last : found.start])
        out += cite(found.cite(text))
        last = found.end
    plain(text[last:])
    return out


def joined(children: Sequence[Token]) -> list[Token]:
    """Inline tokens with each run of text across soft line breaks as one text ('\n' for each
    break) where it holds an '@', so a citation wrapped across lines is scanned whole."""
    out: list[Token] = []
    run: list[Token] = []

    def flush() -> None:
        tail: list[Token] = []
        while run and run[-1].type == "softbreak":  # a break after the run's last text stays a break
            tail.insert(0, run.pop())
        texts = [token for token in run if token.type == "text"]
        if len(texts) > 1 and any("@" in token.content for token in texts):
            content = "".join("\n" if token.type == "softbreak" else token.content for token in run)
            out.append(run[0].copy(content=content))
        else:
            out.extend(run)
        out.extend(tail)
        run.clear()

    for token in children:
        if token.type == "text" or (token.type == "softbreak" and run):
            run.append(token)
        else:
            flush()
            out.append(token)
    flush()
    return out


def sourced_mask(masked: str, found: list[Found]) -> str:
    """``masked`` with each citation and the text of its sentence before it masked: a number there
    is sourced by the citation (issue 18). A citation right after the sentence's full stop
    ('... 2% of GDP. [@nato]') sources that sentence too."""
    chars = list(masked)
    for item in found:
        head = masked[: item.start].rstrip()
        head = head[:-1] if head.endswith((".", "!", "?")) else head
        ends = [m.end() for m in _SENTENCE_END.finditer(head + " ")]
        start = ends[-1] if ends and ends[-1] <= len(head) else 0
        chars[start : item.end] = "\x00" * (item.end - start)
    return "".join(chars)


def record_sites(masked: str, at: Callable[[int], Position], sites: list[CiteSite]) -> str:
    """Record the citations of a paragraph's masked text (``parse``) in ``sites``; the text with
    them and the numbers they source masked."""
    found = scan(masked) if "@" in masked else []
    for item in found:
        keys = tuple(Located(c.key, at(o)) for c, o in zip(item.citations, item.offsets, strict=True))
        sites.append(CiteSite(one_line(masked[item.start : item.end]), keys, at(item.start)))
    return sourced_mask(masked, found) if found else masked


def pandoc_citation(citation: t.Citation, number: int) -> dict[str, object]:
    """A Citation as pandoc's JSON AST writes it (its locator back in its suffix, as citeproc reads it)."""
    suffix = f", {citation.locator}{citation.suffix}" if citation.locator else citation.suffix
    if suffix and not suffix.startswith((",", " ")):
        suffix = " " + suffix

    def inlines(text: str) -> list[dict[str, object]]:
        out: list[dict[str, object]] = []
        for word in re.split(r"(\s+)", text):
            if word:
                out.append({"t": "Space"} if word.isspace() else {"t": "Str", "c": word})
        return out

    return {
        "citationId": citation.key, "citationPrefix": inlines(citation.prefix), "citationSuffix": inlines(suffix),
        "citationMode": {"t": citation.mode}, "citationNoteNum": number, "citationHash": 0,
    }  # fmt: skip
