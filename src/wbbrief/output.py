"""Render a View as a Rich table, CSV, JSON or Markdown: one shared ``--format`` for every query.

JSON shape (stable): {"wbbrief": version, "command": str, "filters": {...}, "notes": [str],
"withdrawn": [{"id", "holds_if", "note"}],
"tables": [{"id", "title", "source", "columns": [key...], "rows": [{key: value}]}]}.
CSV: one row per table row; with more than one table a leading ``table`` column names it.

Control characters in data (ESC, CR, NUL, any C0 or C1 control) never reach a terminal raw: the
table, Markdown and CSV show them as visible symbols (ESC as ␛, C1 controls as �), JSON escapes
them (``\u001b``, ``\u009b``), so a JSON reader gets the text exactly as it was.
"""

from __future__ import annotations

import csv
import enum
import io
import json
import re
from typing import IO, Any

from wbbrief import __version__
from wbbrief.views import Column, View, bar, cell_text, is_missing

# C0 controls become their Unicode "control pictures" (ESC → ␛, CR → ␍, NUL → ␀), DEL becomes ␡,
# C1 controls (which some terminals obey as escapes) become the replacement character.
_VISIBLE = {c: 0x2400 + c for c in range(0x20)} | {0x7F: 0x2421} | {c: 0xFFFD for c in range(0x80, 0xA0)}
_VISIBLE_KEEP_NEWLINES = _VISIBLE | {0x0A: 0x0A}


def printable(text: str, keep_newlines: bool = False) -> str:
    """Text safe to print: no control character left that a terminal would obey."""
    return text.translate(_VISIBLE_KEEP_NEWLINES if keep_newlines else _VISIBLE)


def _json_safe(text: str) -> str:
    """json.dumps with ensure_ascii=False escapes C0 controls but leaves DEL and C1 raw."""
    return re.sub(r"[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", text)


class Format(enum.StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


def _plain(value: Any) -> Any:
    """A JSON-ready value: NaN and NA become null, numpy scalars become Python numbers."""
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if is_missing(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def to_json(view: View) -> str:
    document = {
        "wbbrief": __version__,
        "command": view.command,
        "filters": view.filters,
        "notes": view.notes,
        "withdrawn": view.withdrawn,
        "tables": [
            {
                "id": t.id,
                "title": t.title,
                "source": t.source,
                "columns": [c.key for c in _unique(t.data_columns())],
                "rows": [{c.key: _plain(r.get(c.key)) for c in _unique(t.data_columns())} for r in t.rows],
            }
            for t in view.tables
        ],
    }
    return _json_safe(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"


def _unique(columns: list[Column]) -> list[Column]:
    seen: dict[str, Column] = {}
    for c in columns:
        seen.setdefault(c.key, c)
    return list(seen.values())


def _csv_cell(value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, list):
        return printable(";".join(str(v) for v in value))
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 36.0 is written as the paper wrote it: 36
    if isinstance(value, str):
        return printable(value, keep_newlines=True)  # a quoted cell may span lines; nothing else
    return "" if value is None else value


def to_csv(view: View) -> str:
    buffer = io.StringIO()
    several = len(view.tables) > 1
    keys: list[str] = []
    for t in view.tables:
        keys += [c.key for c in _unique(t.data_columns()) if c.key not in keys]
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow((["table"] if several else []) + keys)
    for t in view.tables:
        for r in t.rows:
            writer.writerow(([t.id] if several else []) + [_csv_cell(r.get(k)) for k in keys])
    return buffer.getvalue()


def _md_escape(text: str) -> str:
    return printable(text.replace("|", "\\|").replace("\n", " "))


def to_markdown(view: View) -> str:
    out = [f"> Note: {_md_escape(n)}\n" for n in view.notes]
    for t in (t for t in view.tables if t.rows):
        columns = [c for c in t.display_columns() if c.kind != "bar"]
        out.append(f"### {_md_escape(t.title)}\n")
        out.append("| " + " | ".join(_md_escape(c.header or c.key) for c in columns) + " |")
        out.append(
            "|" + "|".join("---:" if c.kind in ("percent", "change", "integer") else "---" for c in columns) + "|"
        )
        for r in t.rows:
            cells = [_md_escape(cell_text(c, r.get(c.key))) for c in columns]
            if t.highlight and r.get("country") == t.highlight:
                cells = [f"**{c}**" if c else c for c in cells]
            out.append("| " + " | ".join(cells) + " |")
        if t.source:
            out.append(f"\n_{_md_escape(t.source)}_")
        out.append("")
    return "\n".join(out) + "\n"


_MIN_WIDTH = {"percent": 6, "change": 9}
TABLE_WIDTH = 100  # wide enough for a finding, narrow enough to read on a wide screen


def rich_tables(view: View, width: int = TABLE_WIDTH) -> list[Any]:
    """Rich renderables for a View: a table per Table, its source as the caption."""
    from rich import box
    from rich.table import Table as RichTable
    from rich.text import Text

    renderables: list[Any] = []
    bar_width = 20 if width >= 90 else 10  # narrow terminals keep room for the words
    for t in (t for t in view.tables if t.rows):  # an empty table says less than the note about it
        table = RichTable(
            title=Text(printable(t.title), style="bold"),
            title_justify="left",
            title_style="bold",
            caption=Text(printable(t.source), style="dim") if t.source else None,
            caption_justify="left",
            caption_style="dim",
            box=box.SIMPLE_HEAD,
            width=width,
        )
        columns = t.display_columns()
        # Without a cap, short columns take their natural width and squeeze the wide one to nothing.
        cap = width // 5 if any(c.wide for c in columns) else None
        for c in columns:
            numeric = c.kind in ("percent", "change", "integer")
            table.add_column(
                printable(c.header),
                justify="right" if numeric else "left",
                style="cyan" if c.kind == "bar" else None,
                no_wrap=c.nowrap or c.kind in ("bar", "integer", "rank"),
                min_width=_MIN_WIDTH.get(c.kind),
                width=bar_width + 1 if c.kind == "bar" else None,
                overflow="fold",
                ratio=3 if c.wide else None,
                max_width=None if c.wide or c.kind == "bar" else cap,
            )
        for r in t.rows:
            highlighted = bool(t.highlight) and r.get("country") == t.highlight
            cells = [bar(r.get(c.key), bar_width) if c.kind == "bar" else cell_text(c, r.get(c.key)) for c in columns]
            if highlighted:  # a marker as well as bold, so it survives NO_COLOR and pipes
                cells[0] = f"▸ {cells[0]}"
            style = "bold" if highlighted else None
            # Text, not str: data is never read as Rich markup.
            table.add_row(*(Text(printable(cell, keep_newlines=True)) for cell in cells), style=style)
        renderables.append(table)
    return renderables


def emit(view: View, fmt: Format, out: IO[str] | None = None, err: IO[str] | None = None) -> None:
    """Write a View to stdout (notes for scripts go to stderr, so stdout stays parseable)."""
    import sys

    from rich.console import Console

    stdout = out or sys.stdout
    stderr = err or sys.stderr
    if fmt is Format.json:
        stdout.write(to_json(view))
    elif fmt is Format.csv:
        for note in view.notes:
            stderr.write(f"note: {printable(note)}\n")
        stdout.write(to_csv(view))
    elif fmt is Format.markdown:
        stdout.write(to_markdown(view))
    else:
        console = Console(file=stdout)
        from rich.text import Text

        for note in view.notes:
            console.print(Text.assemble(("Note: ", "yellow"), printable(note)))
        for table in rich_tables(view, min(console.width, TABLE_WIDTH)):
            console.print(table)
