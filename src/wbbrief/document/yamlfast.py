"""The front matter most documents have, read without PyYAML: ``key: value`` lines and lists of values.

Importing PyYAML costs ``check`` and ``render`` more start-up time than the rest of the front matter's
work together (issue 15), while nearly every front matter is a few lines of ``key: value``. This
reader takes exactly that subset and gives the same nodes PyYAML's ``compose`` would (the same kind,
value, style and marks, and the value PyYAML's safe loader would construct); anything outside it —
a nested mapping, a flow collection, a comment after a value, an escape, a tag or anchor, a value
over several lines, a number or a date in any but the plainest form — makes it answer ``None``, and
the caller reads the text with PyYAML as before. It never guesses: a test composes a corpus of
front matter both ways and compares the nodes.

The subset, line by line: a blank line; a comment line (``#`` in the first column); ``key: value``
with the key in the first column (letters, digits, '_' and '-', starting with a letter or '_'); or,
after a ``key:`` with nothing after it, its list: ``- value`` lines, all at one indentation. A value
is plain text, or text in single quotes (``''`` for a quote) or double quotes (no backslash).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +|$)")
_ITEM = re.compile(r"( *)- +")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_BOOL = {"yes": True, "Yes": True, "YES": True, "true": True, "True": True, "TRUE": True, "on": True,
         "On": True, "ON": True, "no": False, "No": False, "NO": False, "false": False, "False": False,
         "FALSE": False, "off": False, "Off": False, "OFF": False}  # fmt: skip
_NULL = ("~", "null", "Null", "NULL")
_INT = re.compile(r"0|[1-9][0-9]*")
_FLOAT = re.compile(r"[0-9]+\.[0-9]+")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# A plain scalar PyYAML would resolve to something else than text, in a form this reader leaves to
# it: any of PyYAML's implicit resolvers (yaml/resolver.py) that matches and is not handled above.
# Those resolvers apply only to a scalar that starts with one of _NUMERIC (and the words of _BOOL
# and _NULL); the pattern is compiled only for such a scalar.
_NUMERIC = frozenset("+.0123456789<=")
_OTHER = r"""[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)
    |[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+
    |<<|=|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+).*"""
_STR = "tag:yaml.org,2002:str"
_INVALID = object()  # a scalar PyYAML's safe loader cannot construct (its caller keeps the text)


class Mark:
    """A place in the text, as PyYAML marks it: 0-based line and column."""

    __slots__ = ("column", "line")

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column


class Node:
    """A node as PyYAML's ``compose`` gives it (``id`` 'scalar', 'sequence' or 'mapping'), plus, for a
    scalar, ``resolved``: the value PyYAML's safe loader would construct from it."""

    __slots__ = ("end_mark", "id", "resolved", "start_mark", "style", "tag", "value")

    def __init__(self, kind: str, tag: str, value: Any, start: Mark, end: Mark, style: str | None = None) -> None:
        self.id = kind
        self.tag = tag
        self.value = value
        self.start_mark = start
        self.end_mark = end
        self.style = style
        self.resolved: Any = value


class _Unsupported(Exception):
    """The text is outside the subset: PyYAML reads it."""


def compose(text: str) -> tuple[bool, Node | None]:
    """(True, the root mapping) — or (True, None) for a text with nothing in it, as PyYAML composes
    it — or (False, None) where the text is outside the subset, for PyYAML to read."""
    if not text.replace("\n", "").isprintable():  # a tab, a BOM, another line break, a control character:
        return False, None  # PyYAML reads them (or refuses them, and says where)
    try:
        return True, _compose(text.split("\n"))
    except _Unsupported:
        return False, None


def _compose(lines: list[str]) -> Node | None:
    pairs: list[tuple[Node, Node]] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if not line.strip(" ") or line.startswith("#"):
            i += 1
            continue
        match = _KEY.match(line)
        if match is None:
            raise _Unsupported
        name = match.group(1)
        key = _scalar(name, i, 0)  # resolved as a value is ('yes:' is PyYAML's bool; callers read its text)
        rest = line[match.end() :]
        if rest:
            pairs.append((key, _scalar(rest, i, match.end())))
            i += 1
            continue
        items: list[Node] = []
        indent = None
        i += 1
        while i < n:
            item = _ITEM.match(lines[i])
            if item is None:  # the list ends; what follows is read as any line is (an indented one is refused)
                break
            if indent is None:
                indent = len(item.group(1))
            elif len(item.group(1)) != indent:
                raise _Unsupported
            items.append(_scalar(lines[i][item.end() :], i, item.end()))
            i += 1
        if not items:
            raise _Unsupported  # 'key:' with no value: PyYAML marks its null elsewhere
        assert indent is not None
        start = Mark(items[0].start_mark.line, indent)  # at the first '-', as PyYAML's
        pairs.append((key, Node("sequence", "tag:yaml.org,2002:seq", items, start, items[-1].end_mark)))
    if not pairs:
        return None
    # A collection's end is its last value's (PyYAML's is where the next token starts; no caller reads it).
    return Node("mapping", "tag:yaml.org,2002:map", pairs, pairs[0][0].start_mark, pairs[-1][1].end_mark)


def _scalar(rest: str, line: int, column: int) -> Node:
    """The scalar that starts at ``column`` of ``line``: ``rest`` is the line from there."""
    text = rest.rstrip(" ")
    if not text:
        raise _Unsupported
    end = Mark(line, column + len(text))
    start = Mark(line, column)
    if text.startswith("'"):
        if len(text) < 2 or not text.endswith("'") or "'" in text[1:-1].replace("''", ""):
            raise _Unsupported
        return Node("scalar", _STR, text[1:-1].replace("''", "'"), start, end, "'")
    if text.startswith('"'):
        inner = text[1:-1]
        if len(text) < 2 or not text.endswith('"') or '"' in inner or "\\" in inner:
            raise _Unsupported
        return Node("scalar", _STR, inner, start, end, '"')
    if text[0] in _INDICATORS or ": " in text or " #" in text or text.endswith(":") or "\t" in text:
        raise _Unsupported
    node = Node("scalar", _STR, text, start, end)
    if text in _BOOL:
        node.tag, node.resolved = "tag:yaml.org,2002:bool", _BOOL[text]
    elif text in _NULL:
        node.tag, node.resolved = "tag:yaml.org,2002:null", None
    elif _INT.fullmatch(text):
        node.tag, node.resolved = "tag:yaml.org,2002:int", int(text)
    elif _FLOAT.fullmatch(text):
        node.tag, node.resolved = "tag:yaml.org,2002:float", float(text)
    elif (date := _DATE.fullmatch(text)) is not None:
        node.tag = "tag:yaml.org,2002:timestamp"
        try:
            node.resolved = datetime.date(*(int(part) for part in date.groups()))
        except ValueError:  # '2022-02-30' looks like a date but is none: PyYAML's loader raises
            node.resolved = _INVALID
    elif text[0] in _NUMERIC and re.fullmatch(_OTHER, text, re.X):
        raise _Unsupported
    return node


def construct(node: Any) -> Any:
    """The value PyYAML's safe loader would construct from a scalar of this reader; ``ValueError`` as
    it raises one ('2022-02-30')."""
    if node.resolved is _INVALID:
        raise ValueError(f"{node.value!r} is not a date")
    return node.resolved
