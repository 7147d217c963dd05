"""Read the bundled survey tables, validate them against ``datapackage.json``, build the records.

Merging the user's files in is ``loading``'s job, a module above this one and ``userdata``.

Files are read from the package's own folder (``bundled_dir``), so that the tool works from an
installed wheel in any directory. The bundled data are a few dozen rows: they are read with the csv module into
typed records (``records``), never into DataFrames, so that every command starts at once.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wbbrief.base.constants import PLACEHOLDER, REGION, TABLES
from wbbrief.base.errors import DataError, Problem, ValidationError
from wbbrief.base.record import record
from wbbrief.dataset.parts import part_problems
from wbbrief.dataset.records import CountryRow, Figure, Finding, Pillar, Recommendation, Survey
from wbbrief.dataset.schema import Value, check_header, validate_rows

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = ["PLACEHOLDER", "REGION", "TABLES"]  # the shared constants live in a leaf module


def bundled_dir() -> Traversable:
    """The folder of data files shipped inside the package: on disk beside the modules, as pip
    installs a wheel (and an editable install links it); through ``importlib.resources`` otherwise,
    e.g. from a zip (that import costs more than reading every table, so it waits until needed)."""
    folder = Path(__file__).resolve().parent.parent / "data"
    if folder.is_dir():
        return folder
    from importlib import resources

    return resources.files("wbbrief") / "data"


@functools.cache
def datapackage() -> dict[str, Any]:
    """The bundled Data Package descriptor."""
    try:
        text = (bundled_dir() / "datapackage.json").read_text(encoding="utf-8")
        descriptor: dict[str, Any] = json.loads(text)
    except (OSError, ValueError) as err:
        raise DataError(f"cannot read the bundled datapackage.json: {err}") from err
    return descriptor


def schema_fields(table: str) -> list[dict[str, Any]]:
    """The Table Schema fields of one resource."""
    for resource in datapackage()["resources"]:
        if resource["name"] == table:
            fields: list[dict[str, Any]] = resource["schema"]["fields"]
            return fields
    raise DataError(f"datapackage.json describes no resource named '{table}'")


def field_names(table: str) -> list[str]:
    return [f["name"] for f in schema_fields(table)]


def read_csv_text(file: str, text: str, table: str) -> tuple[list[dict[str, Value]], list[Problem]]:
    """Parse CSV text and validate it against the schema of ``table``."""
    fields = schema_fields(table)
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    if not header:
        return [], [Problem(file, None, None, "the file is empty")]
    problems = check_header(file, header, fields)
    if problems:
        return [], problems
    numbered = ((reader.line_num, row) for row in reader if any((v or "").strip() for v in row.values()))
    return validate_rows(file, numbered, fields)


def _read_bundled(table: str) -> tuple[list[dict[str, Value]], list[Problem]]:
    name = f"{table}.csv"
    try:
        text = (bundled_dir() / name).read_text(encoding="utf-8")
    except OSError as err:
        raise DataError(f"data/{name}: cannot read the bundled file ({err.strerror or err})") from err
    return read_csv_text(f"data/{name}", text, table)


def split_list(cell: Value) -> list[str]:
    """Split a ``;``-separated cell into its items (an empty or missing cell has none)."""
    if cell is None:
        return []
    return [item.strip() for item in str(cell).split(";") if item.strip()]


def cross_check(tables: Mapping[str, list[dict[str, Value]]], file_of: Mapping[str, str]) -> list[Problem]:
    """Rules the Table Schema cannot express: unit/value/rank agreement and references by id."""
    problems: list[Problem] = []
    figure_ids = {str(row["id"]) for row in tables["figures"]}
    figures = {str(row["id"]): Figure.from_row(row) for row in tables["figures"]}
    survey_ids = {str(row["id"]) for row in tables["surveys"]}
    country_codes = {str(row["code"]) for row in tables["countries"]} | {REGION}
    for row in tables["figures"]:
        problems += figure_row_problems(file_of["figures"], _line(row), row, survey_ids)
    problems += [Problem(file_of["figures"], _line(r), "part_of", m) for r, m in part_problems(tables["figures"])]
    for row in tables["findings"]:
        line = _line(row)
        listed = split_list(row["figure_ids"])
        for fid in listed + PLACEHOLDER.findall(str(row["text"] or "")):
            if fid not in figure_ids:
                problems.append(Problem(file_of["findings"], line, "figure_ids", f"no figure has the id '{fid}'"))
        for fid in PLACEHOLDER.findall(str(row["text"] or "")):
            if fid not in listed:
                problems.append(Problem(file_of["findings"], line, "text", f"'{{{fid}}}' is not in figure_ids"))
        for code in split_list(row["countries"]):
            if code not in country_codes:
                problems.append(Problem(file_of["findings"], line, "countries", f"unknown country code '{code}'"))
        problems += condition_problems(file_of["findings"], line, row.get("holds_if"), figures)
    for row in tables["recommendations"]:
        line = _line(row)
        for fid in split_list(row["figure_ids"]):
            if fid not in figure_ids:
                problems.append(
                    Problem(file_of["recommendations"], line, "figure_ids", f"no figure has the id '{fid}'")
                )
    return problems


def condition_problems(file: str, line: int, text: Value, figures: Mapping[str, Figure]) -> list[Problem]:
    """A holds_if condition that does not parse, or names a figure the data does not hold."""
    if text is None or not str(text).strip():
        return []
    from wbbrief.dataset import claims

    try:
        condition = claims.parse(str(text))
    except claims.ConditionError as err:
        return [Problem(file, line, "holds_if", str(err))]
    return [Problem(file, line, "holds_if", message) for message in claims.check_ids(condition, figures)]


def _line(row: Mapping[str, Value]) -> int:
    line = row.get("_line")
    return line if isinstance(line, int) else 0


def figure_row_problems(file: str, line: int, row: Mapping[str, Value], survey_ids: set[str]) -> list[Problem]:
    problems = []
    if row["survey"] is not None and row["survey"] not in survey_ids:
        problems.append(Problem(file, line, "survey", f"no survey has the id '{row['survey']}'"))
    if row["unit"] == "percent":
        if row["value"] is None:
            problems.append(Problem(file, line, "value", "a percentage figure needs a value"))
        if row["rank"] is not None:
            problems.append(Problem(file, line, "rank", "a percentage figure takes no rank"))
    elif row["unit"] == "rank":
        if row["rank"] is None:
            problems.append(Problem(file, line, "rank", "a ranking figure needs a rank"))
        if row["value"] is not None:
            problems.append(Problem(file, line, "value", "a ranking figure takes no value"))
    return problems + interval_problems(file, line, row)


UNCERTAINTY = ("n", "se", "ci_low", "ci_high", "ci_level", "deff", "ci_method")


def interval_problems(file: str, line: int, row: Mapping[str, Value]) -> list[Problem]:
    """The optional uncertainty columns (issue 17), beyond their types and bounds: an interval has
    both ends and holds its value, a level lies strictly between 0 and 1, a design effect above 0."""
    given = [c for c in UNCERTAINTY if row.get(c) is not None]
    if not given:
        return []
    if row["unit"] == "rank":
        return [Problem(file, line, given[0], "a ranking figure takes no sample size, standard error or interval")]
    problems = []
    low, high, value = row.get("ci_low"), row.get("ci_high"), row.get("value")
    if (low is None) != (high is None):
        missing = "ci_high" if high is None else "ci_low"
        problems.append(Problem(file, line, missing, "an interval needs both ci_low and ci_high"))
    elif _numbers(low, high, value) and not low <= value <= high:  # type: ignore[operator]
        column = "ci_low" if low > value else "ci_high"  # type: ignore[operator]
        message = f"the interval {low:g}–{high:g} does not hold the value {value:g}"
        problems.append(Problem(file, line, column, message))
    level = row.get("ci_level")
    if isinstance(level, int | float) and not 0 < level < 1:
        problems.append(Problem(file, line, "ci_level", f"{level:g} is not a level between 0 and 1 (e.g. 0.95)"))
    deff = row.get("deff")
    if isinstance(deff, int | float) and deff <= 0:
        problems.append(Problem(file, line, "deff", f"a design effect is above 0, not {deff:g}"))
    return problems


def _numbers(*values: Value) -> bool:
    return all(isinstance(v, int | float) for v in values)


@record(eq=False)  # compared and hashed by identity, so lookups can be cached per bundle
class Bundle:
    """The survey tables as typed records, one tuple per resource, in the files' order."""

    figures: tuple[Figure, ...]
    surveys: tuple[Survey, ...]
    countries: tuple[CountryRow, ...]
    findings: tuple[Finding, ...]
    recommendations: tuple[Recommendation, ...]
    iisg_pillars: tuple[Pillar, ...]
    notes: tuple[str, ...] = ()  # what user data changed, for every command to say
    warnings: tuple[Problem, ...] = ()  # what was read from the user's files, but is worth a look

    @classmethod
    def from_tables(
        cls,
        tables: Mapping[str, list[dict[str, Value]]],
        notes: tuple[str, ...] = (),
        warnings: tuple[Problem, ...] = (),
    ) -> Bundle:
        """The records of validated tables (``read_bundled_tables``, merged with user data); the user's
        countries' samples (``samples``) go to their editions."""
        samples = tables.get("samples", [])
        return cls(
            figures=tuple(Figure.from_row(r) for r in tables["figures"]),
            surveys=tuple(
                Survey.from_row(r, [s for s in samples if (s["id"], s["edition"]) == (r["id"], r["edition"])])
                for r in tables["surveys"]
            ),
            countries=tuple(CountryRow.from_row(r) for r in tables["countries"]),
            findings=tuple(Finding.from_row(r) for r in tables["findings"]),
            recommendations=tuple(Recommendation.from_row(r) for r in tables["recommendations"]),
            iisg_pillars=tuple(Pillar.from_row(r) for r in tables["iisg_pillars"]),
            notes=notes,
            warnings=warnings,
        )


def read_bundled_tables() -> dict[str, list[dict[str, Value]]]:
    """Every bundled table as validated records; raises ValidationError listing every problem."""
    tables: dict[str, list[dict[str, Value]]] = {}
    problems: list[Problem] = []
    for table in TABLES:
        rows, found = _read_bundled(table)
        tables[table] = rows
        problems += found
    if not problems:
        problems = cross_check(tables, {t: f"data/{t}.csv" for t in TABLES})
    if problems:
        raise ValidationError(problems)
    return tables
