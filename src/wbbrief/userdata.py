"""Bring your own survey data: figures and citations from CSV files, Excel workbooks or folders.

Real files from the region's offices are accepted as they come: UTF-8 with or without BOM or
Windows-1250, ``,`` or ``;`` delimiters, decimal commas, ``%`` signs, trailing blank lines, and
country names instead of codes. Every problem is collected, with file, line (or sheet and row)
and column, so one run of ``wbbrief data validate`` shows all of them. Nothing here ever writes.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wbbrief import countries
from wbbrief.data import REGION, field_names, schema_fields
from wbbrief.errors import Problem, UsageError
from wbbrief.schema import Value, check_header, validate_rows

SUFFIXES = (".csv", ".txt", ".xlsx")
# Columns `wbbrief figures --format csv` prints that are ours to set, not the user's.
DERIVED = {"origin"}
NUMERIC = {"value", "edition", "year", "rank", "footnote", "published"}
# Provenance within the 2022 paper: meaningless for figures from elsewhere.
USER_OPTIONAL = {"paper_section"}
# ... and wrong on them: a 2022 paper cannot cite a later edition, nor a value it did not print.
PAPER_PROVENANCE = ("footnote", "paper_section", "paper_figure")
# What makes two rows the same figure, whatever their ids.
FIGURE_KEY = ("survey", "edition", "year", "country", "question", "answer")
# Columns a figures file must have, even where a row may leave the cell empty (value for a ranking).
REQUIRED_COLUMNS: dict[str, list[str]] = {"figures": ["value"], "surveys": []}


@dataclass
class Sheet:
    """Rows of one table read from a file: where they came from and which kind they are."""

    label: str  # 'figures.csv' or 'book.xlsx, sheet "sources"'
    kind: str  # 'figures' or 'surveys'
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]
    row_word: str = "line"


@dataclass
class UserData:
    figures: list[dict[str, Value]] = field(default_factory=list)
    surveys: list[dict[str, Value]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def paths_from_env() -> list[Path]:
    """WBBRIEF_DATA: paths separated as the platform's PATH is."""
    raw = os.environ.get("WBBRIEF_DATA", "")
    return [Path(p) for p in raw.split(os.pathsep) if p.strip()]


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, and the data files inside any folder named (sorted, not recursive)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif path.exists():
            files.append(path)
        else:
            raise UsageError(f"--data '{path}' does not exist")
    return files


# --- reading files --------------------------------------------------------------------------------


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM) first, then Windows-1250, the Central European code page."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1250")


def _looks_binary(raw: bytes) -> bool:
    return b"\x00" in raw[:4096] or raw[:4] in (b"%PDF", b"\x89PNG", b"PK\x03\x04")


def _kind(header: list[str]) -> str | None:
    names = set(header)
    if {"citation"} <= names and "question" not in names:
        return "surveys"
    if {"id", "question"} & names or "value" in names:
        return "figures"
    return None


def read_csv(path: Path) -> tuple[list[Sheet], list[Problem]]:
    label = str(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        return [], [Problem(label, None, None, f"cannot read the file: {err.strerror}")]
    if not raw.strip(b"\xef\xbb\xbf \t\r\n"):
        return [], [Problem(label, None, None, "the file is empty")]
    if _looks_binary(raw):
        return [], [Problem(label, None, None, "this is not a CSV file (it looks binary); save it as CSV or .xlsx")]
    text = _decode(raw)
    first = text.splitlines()[0] if text.splitlines() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as err:
        return [], [Problem(label, reader.line_num, None, f"not valid CSV: {err}")]
    header = [h.strip().lstrip("\ufeff") for h in rows[0]]
    kind = _kind(header)
    if kind is None:
        expected = ", ".join(field_names("figures")[:8])
        return [], [Problem(label, 1, None, f"no figures or sources columns in the header (expected: {expected}, ...)")]
    body = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue  # blank and trailing lines
        body.append((number, dict(zip(header, (c.strip() for c in cells), strict=False))))
    return [Sheet(label, kind, header, body)], []


def read_xlsx(path: Path) -> tuple[list[Sheet], list[Problem]]:
    """First sheet: figures; a sheet named 'sources': citations."""
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        return [], [Problem(str(path), None, None, "reading .xlsx needs openpyxl (pip install openpyxl)")]
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many types for a damaged or foreign file
        return [], [Problem(str(path), None, None, f"not a readable .xlsx workbook ({type(err).__name__})")]
    sheets: list[Sheet] = []
    problems: list[Problem] = []
    try:
        for position, ws in enumerate(book.worksheets):
            wanted = "figures" if position == 0 else ("surveys" if ws.title.casefold() == "sources" else None)
            if wanted is None:
                continue
            label = f'{path}, sheet "{ws.title}"'
            values = [["" if v is None else _cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
            if not values or not any(c.strip() for c in values[0]):
                if wanted == "figures":
                    problems.append(
                        Problem(label, None, None, "the first sheet should hold the figures, and it is empty")
                    )
                continue
            header = [h.strip() for h in values[0]]
            if _kind(header) != wanted:
                what = "the figures (id, question, answer, value, ...)" if wanted == "figures" else "citations"
                problems.append(
                    Problem(
                        f"{label}, row 1",
                        None,
                        None,
                        f"this sheet should hold {what}; its header is {', '.join(header)}",
                    )
                )
                continue
            body = [
                (n, dict(zip(header, (c.strip() for c in cells), strict=False)))
                for n, cells in enumerate(values[1:], start=2)
                if any(c.strip() for c in cells)
            ]
            sheets.append(Sheet(label, wanted, header, body, row_word="row"))
    finally:
        book.close()
    return sheets, problems


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- normalising and validating -------------------------------------------------------------------


def _number(text: str) -> str:
    """'79,6' and '79.6%' become '79.6'; anything else is left for the schema to reject."""
    cleaned = text.strip().rstrip("%").strip().replace("\u00a0", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    return cleaned


def normalise(sheet: Sheet) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    problems: list[Problem] = []
    rows = []
    for number, row in sheet.rows:
        clean = {k: v for k, v in row.items() if k not in DERIVED}
        for key in NUMERIC & clean.keys():
            clean[key] = _number(clean[key])
        if sheet.kind == "figures" and clean.get("country"):
            try:
                clean["country"] = countries.resolve(clean["country"])
            except UsageError as err:
                message = str(err).replace("unknown country", "unknown country", 1)
                problems.append(_at(sheet, number, "country", message.split(" Valid:")[0] + _valid_codes()))
        if sheet.kind == "surveys" and clean.get("countries"):
            codes = []
            for name in clean["countries"].replace(",", ";").split(";"):
                if name.strip():
                    try:
                        codes.append(countries.resolve(name.strip()))
                    except UsageError as err:
                        problems.append(_at(sheet, number, "countries", str(err).split(" Valid:")[0]))
            clean["countries"] = ";".join(codes)
        rows.append((number, clean))
    return rows, problems


def _valid_codes() -> str:
    return f" (valid: {', '.join(c.code for c in countries.all_countries())}, {REGION}, or their names)"


def _at(sheet: Sheet, number: int, column: str | None, message: str) -> Problem:
    if sheet.row_word == "row":
        return Problem(f"{sheet.label}, row {number}", None, column, message)
    return Problem(sheet.label, number, column, message)


def _relabel(sheet: Sheet, problems: Iterable[Problem]) -> Iterator[Problem]:
    for p in problems:
        yield _at(sheet, p.line, p.column, p.message) if p.line is not None else p


def _fields(table: str) -> list[dict[str, Any]]:
    """The bundled schema, but with any country code or alias resolved before it is checked."""
    fields = []
    for f in schema_fields(table):
        f = dict(f)
        if f["name"] == "country":
            f["constraints"] = {k: v for k, v in f["constraints"].items() if k != "enum"}
        if f["name"] in USER_OPTIONAL:
            f["constraints"] = {k: v for k, v in f["constraints"].items() if k != "required"}
        if table == "surveys" and f["name"] == "id":  # one row per edition is allowed
            f["constraints"] = {k: v for k, v in f["constraints"].items() if k != "unique"}
        fields.append(f)
    return fields


def figure_key(row: Any) -> tuple[str, ...]:
    """The survey, edition, fieldwork year, country, question and answer a figure is for."""
    return tuple(str(row[k]).casefold().strip() for k in FIGURE_KEY)


def load(
    paths: Iterable[Path], bundled_surveys: set[str], bundled_figures: Iterable[dict[str, Value]] = ()
) -> UserData:
    """Read, normalise and validate user files; problems are collected, never raised."""
    data = UserData()
    sheets: list[Sheet] = []
    for path in expand(paths):
        data.files.append(str(path))
        found, problems = read_xlsx(path) if path.suffix.lower() == ".xlsx" else read_csv(path)
        sheets += found
        data.problems += problems
    seen_ids: dict[str, str] = {}
    for sheet in sheets:
        table = "figures" if sheet.kind == "figures" else "surveys"
        fields = _fields(table)
        header_problems = [p for p in check_header(sheet.label, sheet.header, fields) if p.column not in DERIVED]
        header_problems += [
            Problem(sheet.label, 1, name, "required column is missing")
            for name in REQUIRED_COLUMNS[table]
            if name not in sheet.header
        ]
        if header_problems:
            data.problems += list(_relabel(sheet, header_problems))
            continue
        rows, problems = normalise(sheet)
        data.problems += problems
        typed, problems = validate_rows(sheet.label, rows, fields)
        data.problems += list(_relabel(sheet, problems))
        for row in typed:
            row["_source"] = f"{sheet.label}, {sheet.row_word} {row['_line']}"
            row["_sheet"] = sheet.label
            if table == "figures":
                fid = str(row["id"])
                if fid in seen_ids:
                    data.problems.append(_at(sheet, int(row["_line"] or 0), "id", f"'{fid}' repeats {seen_ids[fid]}"))
                seen_ids.setdefault(fid, str(row["_source"]))
                data.figures.append(row)
            else:
                data.surveys.append(row)
    failed = {(p.file, p.line) for p in data.problems}
    _cross_check(data, sheets, bundled_surveys, failed)
    _check_same_figure(data, sheets, list(bundled_figures), failed)
    data.problems.sort(key=lambda p: (p.file, p.line or 0))
    return data


def _cross_check(data: UserData, sheets: list[Sheet], bundled_surveys: set[str], failed: set[Any]) -> None:
    """Rules across rows and files, for rows that passed their own checks (one cause, one message)."""
    from wbbrief.data import figure_row_problems

    cited = bundled_surveys | {str(s["id"]) for s in data.surveys}
    for row in data.figures:
        label = str(row["_sheet"])
        number = int(row["_line"] or 0)
        sheet = next(s for s in sheets if s.label == label)
        if (label, number) in failed or (f"{label}, row {number}", None) in failed:
            continue
        if row["survey"] is not None and row["survey"] not in cited:
            data.problems.append(
                _at(sheet, number, "survey",
                    f"'{row['survey']}' is not a bundled survey and has no citation: add it to a sources file "
                    "(`wbbrief data template` writes one)")
            )  # fmt: skip
            continue
        data.problems += list(_relabel(sheet, figure_row_problems(label, number, row, cited)))


def _check_same_figure(data: UserData, sheets: list[Sheet], bundled: list[dict[str, Value]], failed: set[Any]) -> None:
    """One figure, one row: two ids for the same answer would make commands disagree on its value.
    Paper provenance stays on the figures the paper cites."""
    by_id = {str(b["id"]): b for b in bundled}
    bundled_keys = {figure_key(b): str(b["id"]) for b in bundled}
    seen: dict[tuple[str, ...], dict[str, Value]] = {}
    for row in data.figures:
        label, number = str(row["_sheet"]), int(row["_line"] or 0)
        if (label, number) in failed or (f"{label}, row {number}", None) in failed:
            continue
        sheet = next(s for s in sheets if s.label == label)
        fid, key = str(row["id"]), figure_key(row)
        what = f"{row['survey']} {row['edition']}, {row['country']}, '{row['question']}': '{row['answer']}'"
        first = seen.setdefault(key, row)
        if first is not row and str(first["id"]) != fid:
            data.problems.append(
                _at(sheet, number, "id",
                    f"'{fid}' and '{first['id']}' ({first['_source']}) are the same figure ({what}, "
                    f"fieldwork {row['year']}): keep one row")
            )  # fmt: skip
        twin = bundled_keys.get(key)
        if twin is not None and twin != fid:
            data.problems.append(
                _at(sheet, number, "id",
                    f"'{fid}' repeats the bundled figure '{twin}' ({what}, fieldwork {row['year']}) under a new "
                    f"id: use the id '{twin}' to replace it, or change the edition or year of a new round")
            )  # fmt: skip
        original = by_id.get(fid)
        if original is not None and all(row.get(c) == original.get(c) for c in field_names("figures")):
            continue  # an unedited copy of a bundled row keeps the paper's provenance
        given = [c for c in PAPER_PROVENANCE if row.get(c) is not None]
        if given:
            data.problems.append(
                _at(sheet, number, given[0],
                    f"{' and '.join(given)}: the 2022 paper's provenance belongs only to the figures it cites; "
                    "leave it empty and give this figure's own source in source_page, source_url and note")
            )  # fmt: skip


# --- the data commands ----------------------------------------------------------------------------


@dataclass
class Report:
    problems: list[Problem]
    summary: str


def validate(paths: Iterable[Path]) -> Report:
    """Check files exactly as `--data` would merge them, without writing anything; every problem,
    then one summary line."""
    from wbbrief.data import load_bundle
    from wbbrief.errors import ValidationError

    paths = tuple(paths)
    files = len(expand(paths))
    try:
        bundle = load_bundle(paths)
    except ValidationError as err:
        summary = f"{len(err.problems)} problem(s) in {files} file(s); nothing was changed."
        return Report(err.problems, summary)
    user = bundle.figures[bundle.figures["origin"] == "user"]
    replaced = int(user["id"].isin(load_bundle().figures["id"]).sum())
    citations = int((bundle.surveys["origin"] == "user").sum())
    summary = (
        f"OK: {len(user)} figure(s) ({replaced} replacing bundled ones, {len(user) - replaced} new) "
        f"from {user['survey'].nunique()} survey(s), {citations} citation(s), in {files} file(s)."
    )
    return Report([], summary)


TEMPLATE_FILES = {"figures.csv": "figures", "sources.csv": "surveys"}


def write_template(folder: Path, force: bool = False) -> list[Path]:
    """Header-only figures.csv and sources.csv in ``folder``; refuses to overwrite unless forced."""
    from wbbrief.atomic import ensure_dir, write_atomic

    ensure_dir(folder)
    targets = [folder / name for name in TEMPLATE_FILES]
    existing = [str(t) for t in targets if t.exists()]
    if existing and not force:
        raise UsageError(f"{', '.join(existing)} already exist(s); use --force to overwrite")
    for target, table in zip(targets, TEMPLATE_FILES.values(), strict=True):
        write_atomic(target, (",".join(field_names(table)) + "\n").encode("utf-8"))
    return targets
