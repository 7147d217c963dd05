"""Bring your own survey data: figures and citations from CSV files, Excel workbooks or folders.

Real files from the region's offices are accepted as they come: UTF-8 with or without BOM,
UTF-16 (Excel's "Unicode text", with or without BOM) or Windows-1250, ``,`` or ``;`` delimiters,
decimal commas, ``%`` signs, trailing blank lines, and country names instead of codes. Every
problem is collected, with file, line (or sheet and row) and column, so one run of
``wbbrief data validate`` shows all of them. Nothing here ever writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import field
from pathlib import Path
from typing import Any

from wbbrief.base.constants import REGION
from wbbrief.base.errors import Problem, UsageError
from wbbrief.base.record import record
from wbbrief.dataset import countries
from wbbrief.dataset.bundle import field_names, figure_row_problems, schema_fields
from wbbrief.dataset.cells import cell_problem
from wbbrief.dataset.schema import Value, check_header, validate_rows
from wbbrief.dataset.userfiles import Sheet, read_csv, read_xlsx
from wbbrief.dataset.userfiles import expand as expand

# Columns `wbbrief figures --format csv` prints that are ours to set, not the user's.
DERIVED = {"origin"}
NUMERIC = {"value", "edition", "year", "rank", "footnote", "published"}
NUMERIC |= {"n", "se", "ci_low", "ci_high", "ci_level", "deff"}  # a figure's uncertainty (issue 17)
NUMERIC |= {"sample_size", "design_effect"}  # an edition's sample (issue 17)
# Provenance within the 2022 paper: meaningless for figures from elsewhere.
USER_OPTIONAL = {"paper_section"}
# ... and wrong on them: a 2022 paper cannot cite a later edition, nor a value it did not print.
PAPER_PROVENANCE = ("footnote", "paper_section", "paper_figure")
# What makes two rows the same figure, whatever their ids.
FIGURE_KEY = ("survey", "edition", "year", "country", "question", "answer")
# Columns a figures file must have, even where a row may leave the cell empty (value for a ranking).
REQUIRED_COLUMNS: dict[str, list[str]] = {"figures": ["value"], "surveys": []}


@record(frozen=False)
class UserData:
    figures: list[dict[str, Value]] = field(default_factory=list)
    surveys: list[dict[str, Value]] = field(default_factory=list)
    samples: list[dict[str, Value]] = field(default_factory=list)  # a country's sample in an edition
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # read as intended, but worth a look


# --- normalising and validating -------------------------------------------------------------------


def _number(text: str) -> str:
    """'79,6' and '79.6%' become '79.6'; anything else is left for the schema to reject."""
    cleaned = text.strip().rstrip("%").strip().replace("\u00a0", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    return cleaned


# Control characters (C0 but tab and line breaks, DEL, C1) have no place in survey text: ESC and CR
# can rewrite a terminal, NUL truncates strings in other tools.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029]")
CONTROL_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x1B: "ESC", 0x7F: "DEL", 0x9B: "CSI"}


def _text_cell(sheet: Sheet, number: int, key: str, text: str) -> tuple[str, list[Problem], list[Problem]]:
    """A cell's text with line breaks read as spaces (a warning), or a problem for a control character."""
    problems, warnings = [], []
    refused = cell_problem(key, text)
    if refused:
        problems.append(_at(sheet, number, key, refused))
    control = CONTROL.search(text)
    if control:
        code = ord(control.group())
        name = f"U+{code:04X}" + (f" ({CONTROL_NAMES[code]})" if code in CONTROL_NAMES else "")
        problems.append(_at(sheet, number, key, f"contains the control character {name}; remove it"))
    if LINE_BREAK.search(text):
        warnings.append(_at(sheet, number, key, f"warning: the {key} has a line break inside; it is read as a space"))
        text = " ".join(LINE_BREAK.sub(" ", text).split())
    return text.replace("\t", " "), problems, warnings


def normalise(sheet: Sheet) -> tuple[list[tuple[int, dict[str, str]]], list[Problem], list[Problem]]:
    """Rows with numbers, countries and text cleaned up; the problems, and the warnings."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    rows = []
    for number, row in sheet.rows:
        clean = {k: v for k, v in row.items() if k not in DERIVED}
        for key in clean.keys() - NUMERIC:
            clean[key], found, noted = _text_cell(sheet, number, key, clean[key])
            problems += found
            warnings += noted
        for key in NUMERIC & clean.keys():
            clean[key] = _number(clean[key])
        if sheet.kind == "figures" and clean.get("country"):
            try:
                clean["country"] = countries.resolve(clean["country"])
            except UsageError as err:
                message = str(err).replace("unknown country", "unknown country", 1)
                problems.append(_at(sheet, number, "country", message.split(" Valid:")[0] + _valid_codes()))
        if sheet.kind == "surveys" and clean.get("sample_country"):
            try:
                clean["sample_country"] = countries.resolve(clean["sample_country"])
            except UsageError as err:
                problems.append(_at(sheet, number, "sample_country", str(err).split(" Valid:")[0] + _valid_codes()))
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
    return rows, problems, warnings


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


# A row of a sources file that gives one country's sample of an edition fills in these alone.
SAMPLE_COLUMNS = ("id", "edition", "sample_country", "sample_size", "design_effect", "sample_page")


Rows = list[tuple[int, dict[str, Any]]]


def _country_samples(data: UserData, sheet: Sheet, rows: Rows) -> Rows:
    """Take the rows that give a country's sample (``sample_country`` filled in) out of a sources sheet:
    validated on their own columns (id, edition and sample_size required), kept in ``data.samples``.
    The edition's rows are returned."""
    samples = [(n, r) for n, r in rows if r.get("sample_country")]
    if not samples:
        return rows
    fields = []
    for f in _fields("surveys"):
        if f["name"] in SAMPLE_COLUMNS:
            constraints = {k: v for k, v in f.get("constraints", {}).items() if k != "required"}
            if f["name"] in ("id", "edition", "sample_size"):
                constraints["required"] = True
            fields.append({**f, "constraints": constraints})
    wanted = {f["name"] for f in fields}
    only = [(n, {k: v for k, v in r.items() if k in wanted}) for n, r in samples]
    typed, problems = validate_rows(sheet.label, only, fields)
    data.problems += list(_relabel(sheet, problems))
    for number, row in samples:
        for key in sorted(k for k, v in row.items() if k not in wanted and str(v).strip()):
            message = (f"a row with a sample_country gives that country's sample alone: leave {key} empty "
                       f"(fill in {', '.join(SAMPLE_COLUMNS)})")  # fmt: skip
            data.problems.append(_at(sheet, number, key, message))
    for row in typed:
        row["_source"] = f"{sheet.label}, {sheet.row_word} {row['_line']}"
        deff = row.get("design_effect")
        if isinstance(deff, int | float) and deff <= 0:
            data.problems.append(_at(sheet, int(row["_line"] or 0), "design_effect",
                                     f"a design effect is above 0, not {deff:g}"))  # fmt: skip
        data.samples.append(row)
    return [(n, r) for n, r in rows if not r.get("sample_country")]


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
        found, problems, warnings = read_xlsx(path) if path.suffix.lower() == ".xlsx" else read_csv(path)
        data.warnings += warnings
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
        rows, problems, warnings = normalise(sheet)
        data.problems += problems
        data.warnings += warnings
        if table == "surveys":
            rows = _country_samples(data, sheet, rows)
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
                deff = row.get("design_effect")
                if isinstance(deff, int | float) and deff <= 0:
                    message = f"a design effect is above 0, not {deff:g}"
                    data.problems.append(_at(sheet, int(row["_line"] or 0), "design_effect", message))
                data.surveys.append(row)
    failed = {(p.file, p.line) for p in data.problems}
    _cross_check(data, sheets, bundled_surveys, failed)
    _check_same_figure(data, sheets, list(bundled_figures), failed)
    _check_parts(data, sheets, list(bundled_figures), failed)
    data.problems.sort(key=lambda p: (p.file, p.line or 0))
    data.warnings.sort(key=lambda p: (p.file, p.line or 0))
    return data


def _cross_check(data: UserData, sheets: list[Sheet], bundled_surveys: set[str], failed: set[Any]) -> None:
    """Rules across rows and files, for rows that passed their own checks (one cause, one message)."""
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


def _check_parts(data: UserData, sheets: list[Sheet], bundled: list[dict[str, Value]], failed: set[Any]) -> None:
    """``part_of`` (``dataset.parts``) across the bundled figures and the user's, reported on the user's rows."""
    from wbbrief.dataset.parts import part_problems

    mine = [r for r in data.figures if (str(r["_sheet"]), int(r["_line"] or 0)) not in failed]
    by_id = {str(r["id"]): r for r in mine}
    for row, message in part_problems([*bundled, *mine]):
        at = row if row.get("_sheet") is not None else by_id.get(str(row["part_of"]))  # a bundled part, my whole
        if at is not None:
            sheet = next(s for s in sheets if s.label == at["_sheet"])
            where = "part_of" if at is row else "value"
            text = message if at is row else f"the bundled figure '{row['id']}' is part of this one: {message}"
            data.problems.append(_at(sheet, int(at["_line"] or 0), where, text))


# --- the data commands ----------------------------------------------------------------------------


@record(frozen=False)
class Report:
    problems: list[Problem]
    summary: str
    warnings: list[Problem] = field(default_factory=list)


TEMPLATE_FILES = {"figures.csv": "figures", "sources.csv": "surveys"}


def write_template(folder: Path, force: bool = False) -> list[Path]:
    """Header-only figures.csv and sources.csv in ``folder``; refuses to overwrite unless forced."""
    from wbbrief.base.atomic import ensure_dir, write_atomic

    ensure_dir(folder)
    targets = [folder / name for name in TEMPLATE_FILES]
    existing = [str(t) for t in targets if t.exists()]
    if existing and not force:
        raise UsageError(f"{', '.join(existing)} already exist(s); use --force to overwrite")
    for target, table in zip(targets, TEMPLATE_FILES.values(), strict=True):
        write_atomic(target, (",".join(field_names(table)) + "\n").encode("utf-8"))
    return targets
