"""A tabulation's result as figures (a ``figures.csv`` + ``sources.csv`` pair that ``--data`` reads
as it is, each figure with its provenance) and as a View for the terminal (``wbbrief tabulate``)."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wbbrief.base.errors import DataError, UsageError
from wbbrief.dataset import microdata
from wbbrief.dataset.microdata import Microdata

if TYPE_CHECKING:
    from wbbrief.query.tabulate import Result
    from wbbrief.query.views import View


# --- as figures --------------------------------------------------------------------------------


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def _country_of(result: Result, row: dict[str, Any]) -> str:
    from wbbrief.dataset import countries

    request = result.request
    if request.country_var:
        try:
            return countries.resolve(str(row["country"]))
        except UsageError:
            raise DataError(
                f"{result.data.path}, variable '{request.country_var}': '{row['country']}' is not a Western Balkans "
                "country wbbrief knows (a name, ISO code or alias)"
            ) from None
    if request.country:
        return countries.resolve(request.country)
    raise UsageError("figures need a country: --country CODE, or --country-var VAR for a variable that names it")


def figure_rows(result: Result) -> list[dict[str, Any]]:
    """The rows of figures.csv: the user-data schema with its uncertainty columns and provenance."""
    request, data = result.request, result.data
    if not request.survey or request.edition is None:
        raise UsageError("figures need a survey and an edition: --survey ID --edition YEAR")
    survey = slug(request.survey)
    if survey != request.survey:
        raise UsageError(f"--survey '{request.survey}': use an id of lower-case letters, digits and -, e.g. '{survey}'")
    rows, seen = [], set()
    for share in result.shares:
        country = _country_of(result, share)
        question = share["question"]
        if "group" in share:
            question = f"{question} ({share['group_variable']}: {share['group']})"
        parts = [survey, str(request.edition), country.casefold(), share["variable"].replace(":", "-")]
        if "group" in share:
            parts.append(share["group"])
        fid = slug("-".join([*parts, share["answer"]])) or survey
        while fid in seen:
            fid += "-x"
        seen.add(fid)
        fallback = " (logit undefined at 0% or 100%: Korn-Graubard)" if share["fallback"] else ""
        note = (
            f"Microdata: {data.path.name} (SHA-256 {data.sha256}), variable {share['variable'].split(':')[-1]}, "
            f"{result.design}; filter: {request.filter or 'none'}; user-missing answers "
            f"{'left out of the base' if request.missing == 'exclude' else 'kept as answers'}; "
            f"{share['ci_method']} {request.level:g} interval on {share['df']} df{fallback}; "
            f"weighted base {share['weighted_base']:g}; tabulated by wbbrief"
        )
        rows.append({
            "id": fid, "survey": survey, "edition": request.edition, "country": country, "topic": slug(request.topic),
            "question": question, "answer": share["answer"], "value": share["value"], "unit": "percent",
            "year": request.edition, "note": note, "n": share["n"], "se": share["se"], "ci_low": share["ci_low"],
            "ci_high": share["ci_high"], "ci_level": request.level, "deff": share["deff"],
            "ci_method": share["ci_method"],
        })  # fmt: skip
    return rows


FIGURE_HEADER = [
    "id", "survey", "edition", "country", "topic", "question", "answer", "value", "unit", "year", "note",
    "n", "se", "ci_low", "ci_high", "ci_level", "deff", "ci_method",
]  # fmt: skip
SOURCE_HEADER = ["id", "name", "short_name", "edition", "publisher", "title", "countries", "citation", "note"]


def source_rows(result: Result, figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The survey edition's citation row: what the file says about itself, for the user to complete.
    None where the survey and edition are bundled (their citation is the paper's)."""
    from wbbrief import __version__
    from wbbrief.dataset.bundle import bundled_dir

    request, data = result.request, result.data
    text = (bundled_dir() / "surveys.csv").read_text(encoding="utf-8")
    bundled = {(s["id"], s["edition"]) for s in csv.DictReader(io.StringIO(text))}
    if (request.survey, str(request.edition)) in bundled:
        return []
    codes = ";".join(dict.fromkeys(str(f["country"]) for f in figures))
    title = data.file_label or f"{request.survey} {request.edition} respondent-level data ({data.path.name})"
    citation = f"{data.path.name}, respondent-level data (SHA-256 {data.sha256}), tabulated by wbbrief {__version__}"
    return [{
        "id": request.survey, "name": request.survey, "short_name": request.survey, "edition": request.edition,
        "publisher": "not stated in the data file (fill in)", "title": title, "countries": codes,
        "citation": citation,
        "note": "Written by wbbrief tabulate: replace the publisher and citation with the survey's own",
    }]  # fmt: skip


def _csv(header: list[str], rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, header, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else _plain(v)) for k, v in row.items()})
    return buffer.getvalue().encode("utf-8")


def _plain(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def write(result: Result, folder: Path) -> list[Path]:
    """figures.csv and sources.csv in ``folder`` (created if need be), each written atomically;
    everything is computed and checked before the first byte is written."""
    from wbbrief.base.atomic import ensure_dir, write_atomic

    figures = figure_rows(result)
    sources = source_rows(result, figures)
    contents = {"figures.csv": _csv(FIGURE_HEADER, figures)}
    if sources:
        contents["sources.csv"] = _csv(SOURCE_HEADER, sources)
    ensure_dir(folder)
    return [write_atomic(folder / name, content) for name, content in contents.items()]


# --- as a View --------------------------------------------------------------------------------


def view(result: Result) -> View:
    from wbbrief.query.views import Column, Table, View

    request = result.request
    grouped = [k for k in ("country", "group") if any(k in s for s in result.shares)]
    tables = []
    for variable in dict.fromkeys(s["variable"].split(":")[0] for s in result.shares):
        rows = [dict(s) for s in result.shares if s["variable"].split(":")[0] == variable]
        for r in rows:
            r["shown"] = f"{r['value']:.1f}%"
            r["interval"] = f"{r['ci_low']:.1f}–{r['ci_high']:.1f}"
            r["se_shown"] = f"{r['se']:.2f}"
            r["deff_shown"] = "" if r["deff"] is None else f"{r['deff']:.2f}"
        question = rows[0]["question"]
        grouping = [Column(k, rows[0].get(f"{k}_variable", k).capitalize()) for k in grouped]
        columns = [
            Column("variable", "Variable"), Column("question", "Question"), *grouping,
            Column("answer", "Answer", wide=True), Column("value", "Share"), Column("ci_low", "ci_low"),
            Column("ci_high", "ci_high"), Column("se", "SE (pts)"), Column("n", "n", "integer"),
            Column("answer_n", "n answer", "integer"), Column("weighted_base", "Weighted base"),
            Column("deff", "Deff"), Column("kish", "Kish"), Column("df", "df", "integer"),
            Column("ci_method", "Method"), Column("ci_level", "Level"),
        ]  # fmt: skip
        display = [
            *grouping, Column("answer", "Answer", wide=True), Column("shown", "Share", nowrap=True),
            Column("interval", f"{request.level:.0%} CI", nowrap=True), Column("se_shown", "SE (pts)"),
            Column("n", "n", "integer"), Column("deff_shown", "Deff"), Column("ci_method", "Method"),
        ]  # fmt: skip
        if ":" in rows[0]["variable"]:  # a multiple-response set: one table, a row per option
            options = ", ".join(dict.fromkeys(r["variable"].split(":")[1] for r in rows))
            title = f"{question} (multiple response: {options})"
        else:
            title = question if question == variable else f"{question} ({variable})"
        tables.append(Table(f"tabulate-{slug(variable)}", title, columns, rows, _source(result), display=display))
    if result.left_out:
        columns = [Column("variable", "Variable"), *(Column(k, k.capitalize()) for k in grouped),
                   Column("answer", "Left out of the base", wide=True), Column("n", "n", "integer"),
                   Column("weighted_n", "Weighted n")]  # fmt: skip
        tables.append(Table("left-out", "Left out of the base", columns, result.left_out, _source(result)))
    notes = list(result.warnings)
    if any(s["fallback"] for s in result.shares):
        notes.append("At 0% or 100% the logit interval is undefined: the Korn-Graubard interval is given there.")
    filters = {"file": str(request.path), "weight": request.weight, "filter": request.filter}
    filters["missing"] = request.missing
    return View("tabulate", filters, tables, notes)


def _source(result: Result) -> str:
    data = result.data
    missing = "user-missing left out of the base" if result.request.missing == "exclude" else "user-missing kept"
    filtered = f"; filter {result.request.filter}" if result.request.filter else ""
    return f"Source: {data.path.name} (SHA-256 {data.sha256[:12]}…), {result.design}{filtered}; {missing}."


def listing_view(data: Microdata) -> View:
    from wbbrief.query.views import Column, Table, View

    columns = [
        Column("variable", "Variable", nowrap=True), Column("label", "Label", wide=True), Column("type", "Type"),
        Column("values", "Value labels", wide=True), Column("missing", "User-missing"),
    ]  # fmt: skip
    title = f"{data.path.name}: {data.rows:,} respondents, {len(data.variables)} variables"
    return View("tabulate", {"file": str(data.path)}, [Table("variables", title, columns, microdata.listing(data))])
