"""Translated data labels, as data: locales/<tag>/labels.csv, validated against the bundled English data.

One row per translated text, keyed by what it labels:

    kind,id,field,text
    figure,asb-threat-first-corruption,question,Kërcënimi më serioz për sigurinë e Shqipërisë
    country,AL,name,Shqipëria

Kinds and fields (KINDS): figure (question, answer) by figure id; country (name, nato_status,
eu_status) by code; survey (name) by id; topic (title) by topic id; finding (text) by finding id,
with the English text's {figure-id} placeholders, no more and no fewer; recommendation (title,
text) and pillar (name, focus) by id; term (name) by id (figure, table, section: what a cross-reference
calls its target, and the forms of that name). Countries, surveys and the region (id WB6) also take the forms
of their name the language declares (language.toml `cases`), `gender` (m, f, n) and `number` (sg,
pl): see i18n.nouns. An unknown kind, id or field, an empty text, a repeated key
or placeholders that differ from the English are errors naming file:line.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from importlib import resources

from wbbrief.base.errors import Problem, ValidationError
from wbbrief.i18n.catalog import placeholders
from wbbrief.i18n.nouns import GENDERS, NOUN_FIELDS, NUMBERS, PLACEHOLDER_KINDS, REGION_ID
from wbbrief.i18n.registry import Language

KINDS: dict[str, tuple[str, ...]] = {
    "figure": ("question", "answer"),
    "country": ("name", "nato_status", "eu_status"),
    "survey": ("name",),
    "topic": ("title",),
    "finding": ("text",),
    "recommendation": ("title", "text"),
    "pillar": ("name", "focus"),
    "region": (),  # its name is the catalog's; only its forms, gender and number are labels (i18n.nouns)
    "term": ("name",),  # what a cross-reference calls a target: figure, table, section (document.xref)
}
# The terms a cross-reference names its target by, in English, as running text writes them: "see Figure 3",
# "section 4". A language gives each its name (the nominative, in running text) and its declared cases.
TERMS = {"figure": "Figure", "table": "Table", "section": "section"}
HEADER = ["kind", "id", "field", "text"]
Key = tuple[str, str, str]
NOUN_KINDS = frozenset({*PLACEHOLDER_KINDS.values(), "term"})

# Each kind's English source: the bundled data file, its id column, and the columns named like the fields.
_SOURCES = {
    "figure": ("figures.csv", "id"),
    "country": ("countries.csv", "code"),
    "survey": ("surveys.csv", "id"),
    "finding": ("findings.csv", "id"),
    "recommendation": ("recommendations.csv", "id"),
    "pillar": ("iisg_pillars.csv", "id"),
}


def _rows(name: str) -> list[dict[str, str]]:
    text = (resources.files("wbbrief") / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@lru_cache(maxsize=1)
def english() -> dict[Key, str | None]:
    """Every translatable key of the bundled data, with its English text (None: topic titles live in code)."""
    ref: dict[Key, str | None] = {}
    for kind, (name, id_column) in _SOURCES.items():
        for row in _rows(name):
            for field in KINDS[kind]:
                ref.setdefault((kind, row[id_column], field), row[field])
    for name in ("figures.csv", "findings.csv"):
        for row in _rows(name):
            ref.setdefault(("topic", row["topic"], "title"), None)
    for id_, text in TERMS.items():
        ref[("term", id_, "name")] = text
    return ref


def labels_path(tag: str) -> str:
    return f"locales/{tag}/labels.csv"


def read_labels(lang: Language) -> dict[Key, str]:
    """A language's labels, validated; every problem at once, as file:line."""
    if lang.is_source or lang.derived_from:
        return {}
    where = labels_path(lang.tag)
    try:
        text = (lang.folder / "labels.csv").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ValidationError([Problem(where, None, None, f"cannot be read: {err}")]) from err
    reader = csv.reader(io.StringIO(text))
    problems: list[Problem] = []
    header = next(reader, None)
    if header != HEADER:
        raise ValidationError([Problem(where, 1, None, f"the header must be {','.join(HEADER)}, not {header}")])
    ref = english()
    found: dict[Key, str] = {}
    seen: dict[Key, int] = {}
    for cells in reader:
        line = reader.line_num
        if not cells:
            continue
        if len(cells) != len(HEADER):
            problems.append(Problem(where, line, None, f"has {len(cells)} cells, not {len(HEADER)}"))
            continue
        kind, id_, field, value = (c.strip() for c in cells)
        if kind not in KINDS:
            problems.append(Problem(where, line, "kind", f"unknown kind '{kind}' (valid: {', '.join(KINDS)})"))
            continue
        if kind in NOUN_KINDS and (field in NOUN_FIELDS or field in lang.cases):
            problem = _noun_problem(lang, kind, id_, field, value, ref)
            if problem:
                problems.append(Problem(where, line, problem[0], problem[1]))
                continue
            key = (kind, id_, field)
            if key in seen:
                problems.append(Problem(where, line, "id", f"{kind} '{id_}' {field} repeats line {seen[key]}"))
                continue
            seen[key] = line
            found[key] = value
            continue
        if field not in KINDS[kind]:
            forms = f"; its name's forms: {', '.join((*lang.cases, *NOUN_FIELDS))}" if kind in NOUN_KINDS else ""
            problems.append(
                Problem(where, line, "field", f"a {kind} has no field '{field}' ({', '.join(KINDS[kind])}){forms}")
            )
            continue
        key = (kind, id_, field)
        if key not in ref:
            problems.append(Problem(where, line, "id", f"unknown {kind} id '{id_}'"))
            continue
        if not value:
            problems.append(Problem(where, line, "text", f"empty text for {kind} '{id_}' {field}"))
            continue
        if key in seen:
            problems.append(Problem(where, line, "id", f"{kind} '{id_}' {field} repeats line {seen[key]}"))
            continue
        source = ref[key]
        if source is not None and placeholders(value) != placeholders(source):
            problems.append(
                Problem(
                    where,
                    line,
                    "text",
                    f"placeholders {placeholders(value)} differ from the English {placeholders(source)}",
                )
            )
            continue
        seen[key] = line
        found[key] = value
    if problems:
        raise ValidationError(problems)
    return found


def _noun_problem(
    lang: Language, kind: str, id_: str, field: str, value: str, ref: dict[Key, str | None]
) -> tuple[str, str] | None:
    """(cell, problem) for a row giving a name's form, gender or number; None when it is sound."""
    known = id_ == REGION_ID if kind == "region" else (kind, id_, "name") in ref
    if not known:
        return "id", f"unknown {kind} id '{id_}'"
    if not value:
        return "text", f"empty text for {kind} '{id_}' {field}"
    if field == "gender" and value not in GENDERS:
        return "text", f"gender must be one of {', '.join(GENDERS)}, not '{value}'"
    if field == "number" and value not in NUMBERS:
        return "text", f"number must be one of {', '.join(NUMBERS)}, not '{value}'"
    return None


@lru_cache(maxsize=32)
def labels(lang: Language) -> dict[Key, str]:
    """The labels that hold a language's texts (its own, or those of the language it derives from)."""
    return {k: v for k, v in _all_labels(lang.texts).items() if k in english()}


@lru_cache(maxsize=32)
def noun_labels(lang: Language) -> dict[Key, str]:
    """The forms, genders and numbers of the names a language's messages insert (i18n.nouns)."""
    return {k: v for k, v in _all_labels(lang.texts).items() if k not in english()}


@lru_cache(maxsize=32)
def _all_labels(lang: Language) -> dict[Key, str]:
    return read_labels(lang)


def missing_labels(lang: Language) -> list[Key]:
    """The bundled data's keys a language has no label for (English and derived languages: none)."""
    if lang.is_source:
        return []
    have = labels(lang)
    return [key for key in english() if key not in have]
