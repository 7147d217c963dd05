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
import io
import json
from typing import IO, Any

from wbbrief import __version__
from wbbrief.base.record import record
from wbbrief.query.values import bar, is_missing
from wbbrief.query.views import Column, Table, View, shown
from wbbrief.render.formats import Format as Format
from wbbrief.render.formats import json_safe as _json_safe
from wbbrief.render.formats import printable as printable


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
            cells = [_md_escape(shown(c, r)) for c in columns]
            if t.highlight and r.get("country") == t.highlight:
                cells = [f"**{c}**" if c else c for c in cells]
            out.append("| " + " | ".join(cells) + " |")
        if t.source:
            out.append(f"\n_{_md_escape(t.source)}_")
        out += [f"\n_{_md_escape(line)}_" for line in t.legend]
        out.append("")
    return "\n".join(out) + "\n"


TABLE_WIDTH = 100  # wide enough for a finding, narrow enough to read on a wide screen
_NUMERIC = ("percent", "change", "integer", "rank")


def _words(text: str) -> list[str]:
    return text.split()


def _min_width(column: Column, cells: list[str]) -> int:
    """The narrowest a column can be without splitting a word (or a number, or an id)."""
    if column.nowrap or column.kind in _NUMERIC:
        longest = max((len(line) for cell in cells for line in cell.splitlines()), default=0)
    else:
        longest = max((len(w) for cell in cells for w in _words(cell)), default=0)
    return max(longest, max((len(w) for w in _words(column.header)), default=0), 1)


def _table_width(columns: int, widths: int) -> int:
    """A SIMPLE_HEAD table: one space of padding each side of a cell, and a rule between cells."""
    return widths + 3 * columns + 1


@record(frozen=False)
class _Layout:
    columns: list[Column]
    cells: list[list[str]]  # per row, per column
    widths: list[int]  # each column's width, none below its longest word
    hidden: list[str]  # headers of the rounds left out for width
    bar_width: int
    records: bool  # too narrow for any table: one block of 'header: value' lines per row


def _layout(t: Table, width: int) -> _Layout:
    """Which columns fit in ``width`` without splitting a word: every column if possible; else
    without the bars (they repeat a value), then without the middle rounds, then without all but the
    two compared rounds (named in a line under the table); else the
    table is turned into one block per row. A column is never dropped silently."""
    bar_width = 20 if width >= 90 else 10  # narrow terminals keep room for the words
    columns = t.display_columns()
    cells = [[_cell(t, c, r, i, bar_width) for i, c in enumerate(columns)] for r in t.rows]

    def fits(keep: list[int], bars: int, roomy: bool = False) -> bool:
        """Whether the columns fit: each at its longest word, or (roomy) the wide ones at ease."""
        total = sum(bars if columns[i].kind == "bar" else (ease[i] if roomy else minimum[i]) for i in keep)
        return _table_width(len(keep), total) <= width

    minimum = [_min_width(c, [row[i] for row in cells]) for i, c in enumerate(columns)]
    # A wide column at ease: its text on lines of up to 30 characters.
    ease = [
        max(least, min(30, max((len(row[i]) for row in cells), default=0))) if c.wide else least
        for i, (c, least) in enumerate(zip(columns, minimum, strict=True))
    ]
    keep = list(range(len(columns)))
    hidden: list[str] = []
    # The bars give way first: they repeat a value the row shows.
    if not fits(keep, bar_width, roomy=True):
        bar_width = 10
    if not fits(keep, bar_width, roomy=True) or not fits(keep, bar_width):
        keep = [i for i in keep if columns[i].kind != "bar"]
    if not fits(keep, bar_width):
        hidden = [columns[i].header for i in keep if columns[i].optional]
        keep = [i for i in keep if not columns[i].optional]
    if not fits(keep, bar_width) and t.compared:  # then every round but the two compared
        spare = [i for i in keep if columns[i].round and columns[i].round not in t.compared]
        hidden = [columns[i].header for i in sorted([*spare, *(j for j, c in enumerate(columns) if c.optional)])]
        keep = [i for i in keep if i not in spare]
    records = not fits(keep, bar_width)
    if records:
        keep, hidden = [i for i, c in enumerate(columns) if c.kind != "bar"], []
    chosen = [columns[i] for i in keep]
    cells = [[_cell(t, c, r, i, bar_width) for i, c in enumerate(columns)] for r in t.rows]  # bars resized
    rows = [[row[i] for i in keep] for row in cells]

    def longest(texts: list[str]) -> int:
        return max((len(line) for text in texts for line in text.splitlines()), default=0)

    cells_only = [bar_width if c.kind == "bar" else longest([r[j] for r in rows]) for j, c in enumerate(chosen)]
    natural = [max(n, len(c.header)) for n, c in zip(cells_only, chosen, strict=True)]
    least = [bar_width if c.kind == "bar" else minimum[i] for c, i in zip(chosen, keep, strict=True)]
    widths = least if records else _share(chosen, least, cells_only, natural, width)
    return _Layout(chosen, rows, widths, hidden, bar_width, records)


def _share(columns: list[Column], least: list[int], cells: list[int], natural: list[int], width: int) -> list[int]:
    """Column widths for a table at most ``width`` wide: every column its longest word, then the
    narrow columns up to their longest cell (at most a fifth of the width), the wide ones up to their
    text, the narrow ones up to their header on one line; what is left goes to the wide columns, so
    a table with one fills the width."""
    widths = list(least)
    spare = width - _table_width(len(columns), sum(widths))
    wide = [i for i, c in enumerate(columns) if c.wide]
    narrow = [i for i in range(len(columns)) if i not in wide]
    cap = width // 5 if wide else None

    def grow(indexes: list[int], limit: list[int]) -> None:
        """A character at a time to each column still short of its limit, so all grow evenly."""
        nonlocal spare
        short = [i for i in indexes if widths[i] < limit[i]]
        while spare > 0 and short:
            for i in short[:spare]:
                widths[i] += 1
                spare -= 1
            short = [i for i in short if widths[i] < limit[i]]

    grow(narrow, [min(n, cap) if cap else n for n in cells])
    grow(wide, natural)
    grow(narrow, [min(n, cap) if cap else n for n in natural])
    grow(narrow, natural)
    if wide and spare > 0:
        for k, i in enumerate(wide):
            add = spare // (len(wide) - k)
            widths[i] += add
            spare -= add
    return widths


def _cell(t: Table, column: Column, row: dict[str, Any], index: int, bar_width: int) -> str:
    text = bar(row.get(column.key), bar_width) if column.kind == "bar" else shown(column, row)
    if index == 0 and t.highlight and row.get("country") == t.highlight:
        text = f"▸ {text}"  # a marker as well as bold, so it survives NO_COLOR and pipes
    return printable(text, keep_newlines=True)


def rich_tables(view: View, width: int = TABLE_WIDTH) -> list[Any]:
    """Rich renderables for a View: per Table its title, the table (or, where no table fits the
    width without splitting words, one block per row), its source, and what was left out."""
    from rich import box
    from rich.console import Group
    from rich.table import Table as RichTable
    from rich.text import Text

    renderables: list[Any] = []
    for t in (t for t in view.tables if t.rows):  # an empty table says less than the note about it
        layout = _layout(t, width)
        parts: list[Any] = [Text(printable(t.title), style="bold")]
        if layout.records:
            parts += _records(t, layout)
        else:
            table = RichTable(box=box.SIMPLE_HEAD)
            for c, fixed in zip(layout.columns, layout.widths, strict=True):
                table.add_column(
                    Text(printable(c.header)),  # Text, not str: a header is never read as markup or emoji codes
                    justify="right" if c.kind in _NUMERIC else "left",
                    style="cyan" if c.kind == "bar" else None,
                    no_wrap=c.nowrap or c.kind == "bar",
                    width=fixed,  # chosen by _layout: Rich never squeezes a column below a word
                    overflow="fold",  # only a word longer than the whole terminal is ever folded
                )
            for r, cells in zip(t.rows, layout.cells, strict=True):
                highlighted = bool(t.highlight) and r.get("country") == t.highlight
                # Text, not str: data is never read as Rich markup.
                table.add_row(*(Text(cell) for cell in cells), style="bold" if highlighted else None)
            parts.append(table)
        if t.source:
            parts.append(Text(printable(t.source), style="dim"))
        if layout.hidden:  # round headers: years, printable as they are
            parts.append(
                Text(
                    f"Not shown at this width: {', '.join(layout.hidden)} (--format csv or json has every round).",
                    style="dim",
                )
            )
        parts += [Text(printable(line), style="dim") for line in t.legend]  # what the marks mean
        renderables.append(Group(*parts))
    return renderables


def _records(t: Table, layout: _Layout) -> list[Any]:
    """A table turned: per row its first cell, then one 'header: value' line per other column."""
    from rich.padding import Padding
    from rich.text import Text

    lines: list[Any] = []
    for r, cells in zip(t.rows, layout.cells, strict=True):
        highlighted = bool(t.highlight) and r.get("country") == t.highlight
        lines.append(Text(""))
        lines.append(Text(f"• {cells[0]}", style="bold" if highlighted else ""))
        for c, cell in zip(layout.columns[1:], cells[1:], strict=True):
            if cell:  # indented as a block, so a wrapped value stays under its row
                lines.append(Padding(Text.assemble((f"{printable(c.header or c.key)}: ", "dim"), cell), (0, 0, 0, 4)))
    lines.append(Text(""))
    return lines


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

        # Piped, the text is captured and written without the spaces Rich pads lines with.
        width = min(console.width, TABLE_WIDTH)  # notes and source lines wrap with the tables
        from wbbrief.base.constants import active_translator

        t = active_translator()
        note_label = t.gettext("Note: ") if t else "Note: "
        with console.capture() as capture:
            for note in view.notes:
                console.print(Text.assemble((note_label, "yellow"), printable(note)), width=width)
            for table in rich_tables(view, width):
                console.print(table, width=width)
        text = capture.get()
        if not console.is_terminal:
            text = "\n".join(line.rstrip() for line in text.split("\n"))
        stdout.write(text)
