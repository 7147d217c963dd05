"""What every query's output shares and the command line needs before any data is read: the one
``--format`` (``Format``) and text made safe for a terminal. ``render.output`` writes the tables."""

from __future__ import annotations

import enum
import re

# C0 controls become their Unicode "control pictures" (ESC → ␛, CR → ␍, NUL → ␀), DEL becomes ␡,
# C1 controls (which some terminals obey as escapes) become the replacement character.
_VISIBLE = {c: 0x2400 + c for c in range(0x20)} | {0x7F: 0x2421} | {c: 0xFFFD for c in range(0x80, 0xA0)}
_VISIBLE_KEEP_NEWLINES = _VISIBLE | {0x0A: 0x0A}


def printable(text: str, keep_newlines: bool = False) -> str:
    """Text safe to print: no control character left that a terminal would obey."""
    return text.translate(_VISIBLE_KEEP_NEWLINES if keep_newlines else _VISIBLE)


def json_safe(text: str) -> str:
    """json.dumps with ensure_ascii=False escapes C0 controls but leaves DEL and C1 raw."""
    return re.sub(r"[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", text)


class Format(enum.StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"
