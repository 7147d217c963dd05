"""A document's bibliography and citation style, read as untrusted files, without pandoc (issue 18).

``check`` needs only the keys, each with its line: BibTeX by a small tokenizer (braces, quotes,
``@comment``, ``@string``, ``@preamble``), CSL-JSON by ``json`` and CSL-YAML by PyYAML behind the
front matter's guards (``document.yamlguard``). A CSL style is XML: a DOCTYPE (and so any entity) is
refused before expat sees it, its nesting is bounded, and a dependent style (one that only names a
parent to fetch) is refused, since nothing is fetched. Every file is read through ``base.limits``.
A problem is a ``BibliographyError`` naming the file's own line and column.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from wbbrief.base import limits
from wbbrief.base.errors import DataError
from wbbrief.base.record import record
from wbbrief.document.model import Position

CSL_NS = "http://purl.org/net/xbiblio/csl"
DEFAULT_STYLE = "chicago-notes-bibliography.csl"


class BibliographyError(Exception):
    def __init__(self, file: Path, position: Position, message: str) -> None:
        super().__init__(message)
        self.file = file
        self.position = position
        self.message = message

    def __str__(self) -> str:
        return f"{self.file}:{self.position.line}:{self.position.col}: {self.message}"


@record
class Style:
    path: Path
    note: bool  # a notes style: each citation becomes a note


def default_style() -> Path:
    from importlib import resources  # only when a document cites without a style of its own

    return Path(str(resources.files("wbbrief") / "styles" / DEFAULT_STYLE))


def _text(path: Path, limit: int, what: str) -> str:
    try:
        raw = limits.read_limited(path, limit, what)
    except DataError as err:
        raise BibliographyError(path, Position(1, 1), str(err).removeprefix(f"{path}: ")) from err
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise BibliographyError(path, Position(line, 1), "the file is not UTF-8 text") from err


def _position(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    return Position(line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def read_keys(path: Path) -> dict[str, Position]:
    """The keys of a bibliography file, each with where it is written."""
    text = _text(path, limits.BIBLIOGRAPHY_BYTES, "bibliography")
    suffix = path.suffix.lower()
    if suffix == ".bib":
        return bibtex_keys(text, path)
    if suffix == ".json":
        return _json_keys(text, path)
    return _yaml_keys(text, path)


# --- BibTeX ---------------------------------------------------------------------------------------

_ENTRY = re.compile(r"@\s*([A-Za-z]+)\s*([{(])")
_FIELD = re.compile(r"\s*([^\s=,{}\"#()]+)\s*=\s*")
_BARE = re.compile(r"[^\s,{}\"#()=]+")


def bibtex_keys(text: str, path: Path) -> dict[str, Position]:
    keys: dict[str, Position] = {}
    i = 0
    while True:
        at = text.find("@", i)
        if at < 0:
            return keys
        match = _ENTRY.match(text, at)
        if match is None:  # text outside entries is a comment in BibTeX
            i = at + 1
            continue
        kind, opener = match.group(1).lower(), match.group(2)
        closer = "}" if opener == "{" else ")"
        if kind == "comment":
            i = _balanced(text, match.end() - 1, path)
            continue
        if kind in ("string", "preamble"):
            i = _fields(text, match.end(), closer, path, at, named=kind == "string")
            continue
        key = re.compile(r"\s*([^\s,{}()\"#=]+)\s*,").match(text, match.end())
        if key is None:
            raise BibliographyError(path, _position(text, match.end()), f"the @{kind} entry has no key")
        _add(keys, key.group(1), _position(text, key.start(1)), path)
        i = _fields(text, key.end(), closer, path, at)


def _fields(text: str, i: int, closer: str, path: Path, start: int, named: bool = True) -> int:
    """Read 'name = value # value, ...' up to the entry's closing brace; where it ends."""
    while True:
        j = _skip_space(text, i)
        if j >= len(text):
            raise BibliographyError(path, _position(text, start), "the entry is never closed")
        if text[j] == closer:
            return j + 1
        if text[j] == ",":
            i = j + 1
            continue
        if text[j] == "@":  # the next entry begins: this one lacks its closing brace
            raise BibliographyError(path, _position(text, start), "the entry is never closed")
        if named:
            field = _FIELD.match(text, j)
            if field is None:
                raise BibliographyError(path, _position(text, j), "expected a field such as 'title = {...}'")
            j = field.end()
        while True:
            j = _skip_space(text, j)
            if j >= len(text):
                raise BibliographyError(path, _position(text, start), "the entry is never closed")
            if text[j] == "{":
                j = _balanced(text, j, path)
            elif text[j] == '"':
                j = _quoted(text, j, path)
            elif bare := _BARE.match(text, j):
                j = bare.end()
            else:
                raise BibliographyError(path, _position(text, j), f"unexpected '{text[j]}' in a field's value")
            j = _skip_space(text, j)
            if j < len(text) and text[j] == "#":
                j += 1
                continue
            break
        i = j


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def _balanced(text: str, start: int, path: Path) -> int:
    """Past the brace that closes the one at ``start``."""
    depth = 0
    for match in re.compile(r"\\.|[{}]", re.S).finditer(text, start):
        if match.group(0) == "{":
            depth += 1
            if depth > limits.BIBLIOGRAPHY_DEPTH:
                message = f"braces nested more than {limits.BIBLIOGRAPHY_DEPTH} levels deep"
                raise BibliographyError(path, _position(text, match.start()), message)
        elif match.group(0) == "}":
            depth -= 1
            if depth == 0:
                return match.end()
    raise BibliographyError(path, _position(text, start), "this brace is never closed")


def _quoted(text: str, start: int, path: Path) -> int:
    depth = 0
    i = start + 1
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == '"' and depth <= 0:
            return i + 1
        i += 1
    raise BibliographyError(path, _position(text, start), "this quotation mark is never closed")


# --- CSL-JSON and CSL-YAML ------------------------------------------------------------------------


def _depth_problem(text: str, path: Path) -> None:
    """Refuse arrays and objects nested deeper than the limit before ``json`` recurses into them."""
    depth = 0
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        token = match.group(0)
        if token in "[{":
            depth += 1
            if depth > limits.BIBLIOGRAPHY_DEPTH:
                message = f"nested more than {limits.BIBLIOGRAPHY_DEPTH} levels deep"
                raise BibliographyError(path, _position(text, match.start()), message)
        elif token in "]}":
            depth -= 1


def _json_keys(text: str, path: Path) -> dict[str, Position]:
    _depth_problem(text, path)
    try:
        items = json.loads(text)
    except json.JSONDecodeError as err:
        raise BibliographyError(path, Position(err.lineno, err.colno), f"not valid CSL-JSON: {err.msg}") from err
    if not isinstance(items, list):
        at = _position(text, _skip_space(text, 0))
        raise BibliographyError(path, at, "CSL-JSON must be a list of entries ('[{\"id\": ...}, ...]')")
    keys: dict[str, Position] = {}
    for item, (start, end) in zip(items, _spans(text), strict=True):
        key = item.get("id") if isinstance(item, dict) else None
        if not isinstance(key, str | int) or isinstance(key, bool):
            raise BibliographyError(
                path, _position(text, start), "every CSL-JSON entry needs an 'id' (text or a number)"
            )
        value = json.dumps(key, ensure_ascii=False) if isinstance(key, str) else str(key)
        found = re.compile(rf'"id"\s*:\s*{re.escape(value)}').search(text, start, end)
        _add(keys, str(key), _position(text, found.start() if found else start), path)
    return keys


def _spans(text: str) -> list[tuple[int, int]]:
    """Where each entry of a CSL-JSON list (already read by ``json``) starts and ends."""
    decoder = json.JSONDecoder()
    spans: list[tuple[int, int]] = []
    i = _skip_space(text, _skip_space(text, 0) + 1)  # past the '['
    while text[i] != "]":
        _, end = decoder.raw_decode(text, i)
        spans.append((i, end))
        i = _skip_space(text, end)
        i = _skip_space(text, i + 1) if text[i] == "," else i
    return spans


def _add(keys: dict[str, Position], key: str, where: Position, path: Path) -> None:
    """Record a key, refusing one given twice: which entry a citation means would be a guess."""
    first = keys.get(key)
    if first is not None:
        message = f"the key '{key}' is given twice (first at line {first.line}, column {first.col})"
        raise BibliographyError(path, where, message)
    keys[key] = where


def _yaml_keys(text: str, path: Path) -> dict[str, Position]:
    import yaml

    from wbbrief.document.yamlguard import refusal

    def at(mark: yaml.Mark | None) -> Position:
        return Position(mark.line + 1, mark.column + 1) if mark is not None else Position(1, 1)

    try:
        refused = refusal(text, "a CSL-YAML bibliography", limits.BIBLIOGRAPHY_BYTES)
        if refused is not None:
            raise BibliographyError(path, at(refused[0]), refused[1])
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        raise BibliographyError(
            path, at(err.problem_mark or err.context_mark), f"not valid YAML: {err.problem}"
        ) from err
    except yaml.YAMLError as err:  # a character YAML does not allow (ReaderError): its offset, one line
        offset = getattr(err, "position", None)
        where = _position(text, offset) if isinstance(offset, int) else Position(1, 1)
        raise BibliographyError(path, where, f"not valid YAML: {str(err).splitlines()[0]}") from err
    if isinstance(root, yaml.MappingNode):  # pandoc's form: 'references:' and a list
        root = next((v for k, v in root.value if getattr(k, "value", None) == "references"), None)
    if not isinstance(root, yaml.SequenceNode):
        raise BibliographyError(path, Position(1, 1), "CSL-YAML must be a list of entries (under 'references:')")
    keys: dict[str, Position] = {}
    for item in root.value:
        found = [v for k, v in item.value if k.value == "id"] if isinstance(item, yaml.MappingNode) else []
        if not found or not isinstance(found[0], yaml.ScalarNode):
            raise BibliographyError(path, at(item.start_mark), "every CSL-YAML entry needs an 'id'")
        _add(keys, str(found[0].value), at(found[0].start_mark), path)
    return keys


# --- the style ------------------------------------------------------------------------------------


def read_style(path: Path | None) -> Style:
    """A CSL style, checked as untrusted XML (the bundled Chicago notes style if ``path`` is None).

    expat reads it as a stream (no tree is built): the root's class, whether it has a <citation>,
    and the parent a dependent style names. A DOCTYPE is refused before expat runs, and again by
    expat's own handler should one slip past the text search."""
    from xml.parsers import expat

    path = path or default_style()
    text = _text(path, limits.STYLE_BYTES, "CSL style")
    declared = re.search(r"<!(?:DOCTYPE|ENTITY)", text)
    if declared:
        raise BibliographyError(
            path, _position(text, declared.start()), "a DOCTYPE or entity is not allowed in a style"
        )
    parser = expat.ParserCreate(namespace_separator=" ")
    found: dict[str, str | None] = {}
    depth = 0

    def here() -> Position:
        return Position(parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        if depth > limits.BIBLIOGRAPHY_DEPTH:
            raise BibliographyError(
                path, here(), f"the style's XML is nested more than {limits.BIBLIOGRAPHY_DEPTH} levels deep"
            )
        if depth == 1:
            found["root"], found["class"] = name, attrs.get("class")
        elif depth == 2 and name == f"{CSL_NS} citation":
            found["citation"] = "yes"
        elif name == f"{CSL_NS} link" and attrs.get("rel") == "independent-parent":
            found["parent"] = attrs.get("href", "")

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1

    def doctype(*args: object) -> None:
        raise BibliographyError(path, here(), "a DOCTYPE or entity is not allowed in a style")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    try:
        parser.Parse(text.encode("utf-8"), True)
    except expat.ExpatError as err:
        reason = expat.ErrorString(err.code) if err.code is not None else "broken XML"
        raise BibliographyError(path, Position(err.lineno, err.offset + 1), f"not valid XML: {reason}") from err
    if found.get("root") != f"{CSL_NS} style":
        raise BibliographyError(path, Position(1, 1), "not a CSL style (its root is not a CSL <style>)")
    if "citation" not in found:
        named = f" (it names its parent '{found['parent']}')" if found.get("parent") else ""
        message = f"a dependent style{named}: nothing is fetched, so give the parent style's own file"
        raise BibliographyError(path, Position(1, 1), message)
    return Style(path, found.get("class") == "note")
