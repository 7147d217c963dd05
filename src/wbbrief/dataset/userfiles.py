"""Reading the user's files: CSV text in the encodings and separators real offices save, and Excel
workbooks, into sheets of raw rows with where each came from. ``userdata`` normalises and
validates them. Nothing here ever writes.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from wbbrief.base import limits, samefile
from wbbrief.base.errors import DataError, Problem, UsageError
from wbbrief.base.record import record
from wbbrief.dataset import encoding
from wbbrief.dataset.bundle import field_names
from wbbrief.dataset.files import folder_files

SUFFIXES = (".csv", ".txt", ".xlsx")


@record(frozen=False)
class Sheet:
    """Rows of one table read from a file: where they came from and which kind they are."""

    label: str  # 'figures.csv' or 'book.xlsx, sheet "sources"'
    kind: str  # 'figures' or 'surveys'
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]
    row_word: str = "line"


def paths_from_env() -> list[Path]:
    """WBBRIEF_DATA: paths separated as the platform's PATH is."""
    raw = os.environ.get("WBBRIEF_DATA", "")
    return [Path(p) for p in raw.split(os.pathsep) if p.strip()]


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, and the data files inside any folder named (sorted, not recursive)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += folder_files(path)
        elif path.exists():
            files.append(path)
        else:
            raise UsageError(f"--data '{path}' does not exist")
    return files


# --- reading files --------------------------------------------------------------------------------


def _utf16(raw: bytes) -> str | None:
    """The codec of UTF-16 text (Excel's "Unicode text" export), with or without a byte-order mark.

    Without a mark, CSV text is mostly ASCII, so one byte of every pair is zero: the odd bytes in
    little-endian, the even bytes in big-endian.
    """
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"  # the mark says which byte order, and is dropped
    sample = raw[:4096]
    pairs = len(sample) // 2
    if pairs < 2 or len(raw) % 2:
        return None
    even, odd = sample[0 : pairs * 2 : 2].count(0), sample[1 : pairs * 2 : 2].count(0)
    if odd > pairs * 0.6 and even == 0:
        return "utf-16-le"
    if even > pairs * 0.6 and odd == 0:
        return "utf-16-be"
    return None


def _looks_binary(raw: bytes) -> bool:
    # A stray NUL in text is a control character to report where it is, not a binary file.
    sample = raw[:4096]
    return sample.count(0) > max(1, len(sample) // 100) or raw[:4] in (b"%PDF", b"\x89PNG", b"PK\x03\x04")


SAVE_AS_UTF8 = 'save it as "CSV UTF-8" (Excel) or "Text CSV" with UTF-8 (LibreOffice)'


def _kind(header: list[str]) -> str | None:
    names = set(header)
    if {"citation"} <= names and "question" not in names:
        return "surveys"
    if {"id", "question"} & names or "value" in names:
        return "figures"
    return None


def read_csv(path: Path) -> tuple[list[Sheet], list[Problem], list[Problem]]:
    label = str(path)
    try:
        raw = limits.read_limited(path, limits.DATA_BYTES, "data file")
    except DataError as err:
        return [], [Problem(label, None, None, str(err).removeprefix(f"{path}: "))], []
    samefile.remember(path)
    notes: list[Problem] = []
    codec = _utf16(raw)
    if codec is not None:
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            message = f"this looks like UTF-16 text but cannot be read as such; {SAVE_AS_UTF8}"
            return [], [Problem(label, None, None, message)], []
    elif _looks_binary(raw):
        return [], [Problem(label, None, None, "this is not a CSV file (it looks binary); save it as CSV or .xlsx")], []
    else:
        try:
            text, unsure = encoding.decode(raw, label)
        except DataError as err:
            return [], [Problem(label, None, None, str(err).removeprefix(f"{label}: "))], []
        notes += [Problem(label, None, None, unsure)] if unsure else []
    if not text.strip("\ufeff \t\r\n"):
        return [], [Problem(label, None, None, "the file is empty")], []
    first = text.splitlines()[0] if text.splitlines() else ""
    # Whichever separates the header most: ',' (on a tie), ';' (Excel in a comma-decimal locale) or a
    # tab (Excel's "Unicode text").
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    try:
        start = 1
        for cells in reader:
            rows.append((start, cells))  # the line a record starts on, even if a quoted cell spans lines
            start = reader.line_num + 1
    except csv.Error as err:
        return [], [Problem(label, reader.line_num, None, f"not valid CSV: {err}")], []
    header = [h.strip().lstrip("\ufeff") for h in rows[0][1]]
    kind = _kind(header)
    if kind is None:
        expected = ", ".join(field_names("figures")[:8])
        message = f"no figures or sources columns in the header (expected: {expected}, ...)"
        return [], [Problem(label, 1, None, message)], []
    body = []
    for number, cells in rows[1:]:
        if not any(c.strip() for c in cells):
            continue  # blank and trailing lines
        body.append((number, dict(zip(header, (c.strip() for c in cells), strict=False))))
    return [Sheet(label, kind, header, body)], [], notes


def read_xlsx(path: Path) -> tuple[list[Sheet], list[Problem], list[Problem]]:
    """Figures from the sheet named 'figures', or else the first sheet; citations from a sheet named
    'sources'. Returns sheets, problems and warnings."""
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        return [], [Problem(str(path), None, None, "reading .xlsx needs openpyxl (pip install openpyxl)")], []
    try:
        limits.regular_file(path, limits.DATA_BYTES, "data file")
        limits.check_zip_file(path, limits.XLSX_UNPACKED)  # a zip bomb is refused before openpyxl inflates it
    except DataError as err:
        return [], [Problem(str(path), None, None, str(err).removeprefix(f"{path}: "))], []
    samefile.remember(path)
    try:
        # Twice: the values Excel saved, and the cells themselves (formulas, merged ranges).
        book = openpyxl.load_workbook(path, data_only=True)
        cells = openpyxl.load_workbook(path, data_only=False)
    except Exception as err:  # openpyxl raises many types for a damaged or foreign file
        return [], [Problem(str(path), None, None, f"not a readable .xlsx workbook ({type(err).__name__})")], []
    sheets: list[Sheet] = []
    problems: list[Problem] = []
    warnings: list[Problem] = []
    worksheets = list(book.worksheets)
    named = [ws for ws in worksheets if ws.title.strip().casefold() == "figures"]
    figures_sheet = named[0] if named else (worksheets[0] if worksheets else None)
    if named and worksheets[0] is not named[0]:
        position = worksheets.index(named[0]) + 1
        warnings.append(
            Problem(str(path), None, None,
                    f'warning: the figures are read from the sheet named "{named[0].title}" (sheet {position} of '
                    f'{len(worksheets)}), not from the first sheet "{worksheets[0].title}"')
        )  # fmt: skip
    for ws in worksheets:
        wanted = "figures" if ws is figures_sheet else ("surveys" if ws.title.strip().casefold() == "sources" else None)
        if wanted is None:
            continue
        label = f'{path}, sheet "{ws.title}"'
        values = [["" if v is None else _cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        if not values or not any(c.strip() for c in values[0]):
            if wanted == "figures":
                which = 'the sheet named "figures"' if named else "the first sheet"
                problems.append(Problem(label, None, None, f"{which} should hold the figures, and it is empty"))
            continue
        header = [h.strip() for h in values[0]]
        if _kind(header) != wanted:
            what = "the figures (id, question, answer, value, ...)" if wanted == "figures" else "citations"
            message = f"this sheet should hold {what}; its header is {', '.join(header)}"
            problems.append(Problem(f"{label}, row 1", None, None, message))
            continue
        problems += _formulas_and_merges(label, header, ws, cells[ws.title])
        body = [
            (n, dict(zip(header, (c.strip() for c in row), strict=False)))
            for n, row in enumerate(values[1:], start=2)
            if any(c.strip() for c in row)
        ]
        sheets.append(Sheet(label, wanted, header, body, row_word="row"))
    return sheets, problems, warnings


def _formulas_and_merges(label: str, header: list[str], values: Any, cells: Any) -> list[Problem]:
    """Cells whose value the workbook does not hold: formulas never calculated and saved, and
    merged ranges, whose value is in their first cell only."""
    problems = []

    def column(index: int) -> str | None:
        return header[index - 1] if 0 < index <= len(header) and header[index - 1] else None

    for row in cells.iter_rows():
        for cell in row:
            if cell.data_type == "f" and values.cell(cell.row, cell.column).value is None:
                formula = str(cell.value)[:60]
                problems.append(
                    Problem(f"{label}, row {cell.row}", None, column(cell.column),
                            f"cell {cell.coordinate} holds a formula ({formula}) with no saved value; open the "
                            "workbook in Excel or LibreOffice and save it, or type the value")
                )  # fmt: skip
    for merged in sorted(cells.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        first = f"{merged.start_cell.coordinate}"
        problems.append(
            Problem(f"{label}, row {merged.min_row}", None, column(merged.min_col),
                    f"cells {merged.coord} are merged, so only {first} holds the value; unmerge them and "
                    "fill in every cell")
        )  # fmt: skip
    return problems


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
