"""What the queries and the brief show, in the language in use, without touching how they are built.

Two seams, so queries.py and brief.py stay in English and unaware of languages:

- `translate_bundle`: a copy of the data whose human-readable labels (questions, answers, findings,
  recommendations, pillars, survey names) are the language's, from labels.csv. Ids, codes, numbers
  and every column a program reads stay as they are.
- `localize_view`: a query's View with its titles, headers, notes and source lines translated, by
  matching each English text against the catalog's msgids ("Key findings: {country}" matches
  "Key findings: Albania", and the placeholder's value is translated in turn). JSON and CSV keys
  (column keys, table ids, filters) never change: only what a person reads.

A text with no translation stays English and the translator names it in its notes().
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from wbbrief.i18n.nouns import PLACEHOLDER_KINDS, REGION_ENGLISH, REGION_ID
from wbbrief.i18n.strings import INTERFACE

if TYPE_CHECKING:
    from wbbrief.data import Bundle
    from wbbrief.i18n import Translator
    from wbbrief.views import View

# Data columns a person reads, by table: (labels.csv kind, field, the table's column, its id column).
_LABELLED = {
    "figures": [("figure", "question", "question", "id"), ("figure", "answer", "answer", "id")],
    "findings": [("finding", "text", "text", "id")],
    "recommendations": [("recommendation", "title", "title", "id"), ("recommendation", "text", "text", "id")],
    "iisg_pillars": [("pillar", "name", "name", "id"), ("pillar", "focus", "focus", "id")],
    "surveys": [("survey", "name", "name", "id")],
}


def translate_bundle(bundle: Bundle, t: Translator) -> Bundle:
    """The data with its labels in t's language (the same object for English)."""
    if t.language.is_source:
        return bundle
    changes: dict[str, Any] = {}
    for attr, fields in _LABELLED.items():
        frame = getattr(bundle, attr).copy()
        for kind, field, column, id_column in fields:
            if column not in frame.columns:
                continue
            frame[column] = [
                english if not isinstance(english, str) else t.label(kind, str(key), field, english)
                for key, english in zip(frame[id_column], frame[column], strict=True)
            ]
        changes[attr] = frame
    return replace(bundle, **changes)


# Placeholders that hold numbers: '{survey} {edition} did not poll …' must split 'IRI Western … Survey 2022'
# at its last word, not its first.
_NUMERIC = {n: r"(\d[\d, ]*)" for n in ("edition", "year", "number", "numbers", "base", "latest", "section")}


@lru_cache(maxsize=1)
def _templates() -> list[tuple[re.Pattern[str], str, list[str]]]:
    """Each interface msgid with placeholders as a pattern, longest first (the most specific wins)."""
    found = []
    for msgid in sorted({m for m in INTERFACE if "{" in m}, key=len, reverse=True):
        names = re.findall(r"\{(\w+)\}", msgid)
        parts = re.split(r"\{\w+\}", msgid)
        groups = [_NUMERIC.get(n, "(.+?)") for n in names]
        pattern = re.escape(parts[0]) + "".join(g + re.escape(p) for g, p in zip(groups, parts[1:], strict=True))
        found.append((re.compile(f"^{pattern}$", re.S), msgid, names))
    return found


def localize_text(text: str, t: Translator) -> str:
    """An English interface text (a msgid, filled in or not) in t's language; unknown text unchanged."""
    if t.language.is_source or not text:
        return text
    if text in _plain_msgids():
        return t.gettext(text)
    country = _country_names().get(text)
    if country is not None:
        return t.label("country", country, "name", text)
    topic = _topic_titles().get(text)
    if topic is not None:
        return t.label("topic", topic, "title", text)
    for pattern, msgid, names in _templates():
        match = pattern.match(text)
        if match:
            values = {n: _value(n, v, t) for n, v in zip(names, match.groups(), strict=True)}
            return t.gettext(msgid, **values)
    head, colon, rest = text.partition(": ")  # a chart's title: 'Albania: Risk of war'
    if colon:
        return f"{localize_text(head, t)}: {localize_text(rest, t)}"
    return text


def _value(placeholder: str, text: str, t: Translator) -> Any:
    """A placeholder's value in t's language: a Noun (i18n.nouns) where it names a country, the region or
    a survey, so that the message can ask for the form it needs; the text, localized, otherwise."""
    if placeholder in PLACEHOLDER_KINDS:
        code = _country_names().get(text) or _country_codes(t).get(text)
        if code is not None:
            return t.noun("country", code, text)
        if text == REGION_ENGLISH:
            return t.noun("region", REGION_ID, text)
        survey = _survey_ids().get(text)
        if survey is not None:
            return t.noun("survey", survey, text)
    return localize_text(text, t)


def _country_codes(t: Translator) -> dict[str, str]:
    """The countries' codes by their names in t's language (a note may be built in the language in use)."""
    from wbbrief import countries

    return {t.label("country", c.code, "name", c.name): c.code for c in countries.english_countries()}


@lru_cache(maxsize=1)
def _survey_ids() -> dict[str, str]:
    from wbbrief.i18n.labels import english

    return {str(text): id_ for (kind, id_, field), text in english().items() if kind == "survey" and field == "name"}


@lru_cache(maxsize=1)
def _plain_msgids() -> frozenset[str]:
    return frozenset(m for m in INTERFACE if "{" not in m)


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    from wbbrief import countries

    return {c.name: c.code for c in countries.english_countries()}


@lru_cache(maxsize=1)
def _topic_titles() -> dict[str, str]:
    from wbbrief.queries import TOPIC_LABELS

    return {title: topic for topic, title in TOPIC_LABELS.items()}


def _shown(key: str, value: str, statuses: bool) -> bool:
    """Whether a row's value is text a person reads: a country's name, or a Coverage status."""
    return value in _country_names() or (statuses and key == "status" and value in _plain_msgids())


def localize_view(view: View, t: Translator, statuses: bool = True) -> View:
    """A View with everything a person reads in t's language; keys and values a program reads unchanged.
    `statuses`: the Coverage column's "polled" / "not polled" too (the brief's charts read them in English
    and say it in the language themselves)."""
    if t.language.is_source:
        return view
    tables = []
    for table in view.tables:

        def col(c: Any) -> Any:
            return replace(
                c,
                header=localize_text(c.header, t),
                missing=localize_text(c.missing, t),
                measure=localize_text(c.measure, t),
            )

        rows = [
            {k: (localize_text(v, t) if isinstance(v, str) and _shown(k, v, statuses) else v) for k, v in r.items()}
            for r in table.rows
        ]
        tables.append(
            replace(
                table,
                title=localize_text(table.title, t),
                source=_source(table.source, t),
                columns=[col(c) for c in table.columns],
                display=[col(c) for c in table.display] if table.display is not None else None,
                rows=rows,
                column_sources={k: _source(v, t) for k, v in table.column_sources.items()},
            )
        )
    notes = [localize_text(n, t) for n in view.notes] + t.notes()
    return replace(view, tables=tables, notes=notes)


def localize_tables(tables: list[Any], t: Translator) -> list[Any]:
    """The tables of a View, localized (for the brief, which draws them as charts and tables)."""
    from wbbrief.views import View

    if t.language.is_source:
        return tables
    return localize_view(View("brief", {}, list(tables)), t, statuses=False).tables


def _source(text: str, t: Translator) -> str:
    """A source line: 'Source: …' / 'Sources: …' with its parts (paper footnotes, pages) translated."""
    legend = "—: not reported in the paper"
    tail = ""
    if text.endswith(f". {legend}"):  # a by-country table's legend, after its sources
        text, tail = text[: -len(legend) - 2], f". {t.gettext(legend)}"
    for head in ("Sources: ", "Source: "):
        if text.startswith(head):
            parts = [_source_part(p.strip(), t) for p in text[len(head) :].split("; ")]
            return t.gettext(f"{head.strip()} {{sources}}", sources="; ".join(parts)) + tail
    return localize_text(text, t) + tail


_FOOTNOTES = re.compile(r"paper footnotes? ([\d, ]+)")


def _source_part(part: str, t: Translator) -> str:
    """'Albanian Security Barometer 2022, p. 27 (paper footnote 26)': the survey's name as the data
    names it (labels.csv), the paper's footnotes and a missing page in the language."""
    if part in _plain_msgids():
        return t.gettext(part)
    column, dash, cited = part.partition(" — ")  # 'Open Balkan initiative: support — IRI … 2022, p. 132 …'
    if dash and not _FOOTNOTES.search(column):
        return f"{localize_text(column, t)} — {_source_part(cited, t)}"

    def footnotes(m: re.Match[str]) -> str:
        numbers = m.group(1).strip()
        msgid = "paper footnotes {numbers}" if "," in numbers else "paper footnote {numbers}"
        return t.gettext(msgid, numbers=numbers)

    part = _FOOTNOTES.sub(footnotes, part)
    missing = "report page not given in the paper"
    return part.replace(missing, t.gettext(missing))


_FRONT = re.compile(r"\A---\n(.*?\n)---\n", re.S)
_HEADING_ATTRS = re.compile(r"(\{#[A-Za-z0-9_-]+(?:\s+\.[A-Za-z0-9_-]+)*\s*\})[ \t]*$", re.M)
_SHOWN_KEYS = ("title", "subtitle", "author")  # front-matter values a reader sees; the rest are data


def document_in_script(source: str, t: Translator) -> str:
    """A document's Markdown in t's script (sr-Cyrl: transliterated from sr-Latn), keeping what a
    program reads in Latin: front-matter keys and values other than the title, subtitle and author,
    heading ids and classes (code, roles, URLs and directives the transliteration keeps itself)."""
    if not t.language.transliteration:
        return source
    front = ""
    match = _FRONT.match(source)
    if match:
        lines = []
        for line in match.group(1).splitlines(keepends=True):
            key, colon, value = line.partition(":")
            if key.strip() == "lang" and colon:
                line = f"lang: {t.language.tag}\n"
            elif key.strip() in _SHOWN_KEYS and colon:
                line = f"{key}:{t.text(value)}"
            lines.append(line)
        front = "---\n" + "".join(lines) + "---\n"
        source = source[match.end() :]
    fences: list[tuple[str, bool]] = []  # the open fences: (marker, whether a directive's)
    return front + "".join(_line_in_script(line, t, fences) for line in source.splitlines(True))


# A fence line (``` or longer, with its info), and a directive's option line (':view: threats').
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})(.*)$")
_OPTION = re.compile(r"^(:[a-z][a-z-]*:)(.*)$", re.S)
_PROSE_OPTIONS = (":says:", ":caption:")  # the options that are prose; the others are data
# A directive's opening fence with a caption after its name: ```{table} The three pillars
_CAPTIONED = re.compile(r"^(\s*(?:`{3,}|~{3,})\s*\{[a-z][a-z-]*\}\s+)(\S.*?)(\s*)$", re.S)


def _line_in_script(line: str, t: Translator, fences: list[tuple[str, bool]]) -> str:
    """One line of a document in t's script. Line by line, because directives nest (a ```` {claim}
    holds ``` fences) and the bodies of {claim} and {only} are prose, while a code block is not."""
    fence = _FENCE.match(line)
    if fence:
        marker, info = fence.group(1), fence.group(2).strip()
        if fences and not info and marker[0] == fences[-1][0][0] and len(marker) >= len(fences[-1][0]):
            fences.pop()
        else:
            fences.append((marker, info.startswith("{")))
            caption = _CAPTIONED.match(line)
            if caption:  # ```{table} A caption: the directive's name stays, its caption is prose
                return caption.group(1) + t.text(caption.group(2)) + caption.group(3)
        return line
    if fences and not fences[-1][1]:
        return line  # a code block
    option = _OPTION.match(line)
    if option and fences:
        return option.group(1) + (t.text(option.group(2)) if option.group(1) in _PROSE_OPTIONS else option.group(2))
    protected = _HEADING_ATTRS.sub(lambda m: "{latin}`" + m.group(1) + "`", line)
    return t.text(protected)
