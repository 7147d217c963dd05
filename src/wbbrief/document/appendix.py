"""What the brief's data links and its appendix of figures need from composition: the figures each
chart and table shows, and every figure the brief cites, with its provenance.

Citations are recorded as they are made (``RecordingNotes``), so the appendix lists exactly the
figures whose notes the brief prints, in the order it first cites them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import field
from typing import TYPE_CHECKING, Any

from wbbrief.base.record import record
from wbbrief.document import tree as t
from wbbrief.document.notes import Notes

if TYPE_CHECKING:
    from wbbrief.dataset.records import Figure


@record(frozen=False)
class RecordingNotes(Notes):
    """Notes that remember which figure each citation was for (the appendix's rows)."""

    used: dict[str, tuple[Figure, int]] = field(default_factory=dict)

    def cite(self, figure: Figure) -> int:
        number = super().cite(figure)
        self.used.setdefault(figure.id, (figure, number))
        return number


def figure_uses(
    notes: RecordingNotes, level: float, shown: Iterable[str] = (), placed: dict[int, int] | None = None
) -> tuple[t.FigureUse, ...]:
    """The appendix's rows, in the language in use: each cited figure's question and answer (as
    ``figures`` shows them), its value (with its interval where the data give one, at the
    document's level), survey, edition, page and footnote and its note, in citing order; then the
    figures a chart or table shows but no note cites (a by-country chart cites its surveys in its
    source line), with no note. ``placed`` maps a citation's number to its note as printed."""
    from wbbrief.query import queries

    used = dict(notes.used)
    by_id = queries.figures_by_id(notes.bundle)
    for figure_id in shown:
        if figure_id not in used and figure_id in by_id:
            used[figure_id] = (by_id[figure_id], 0)
    if placed is not None:  # the notes as printed (document.notestyle numbers them in reading order)
        used = {k: (figure, placed.get(number, 0)) for k, (figure, number) in used.items()}
    return tuple(_use(notes, figure, number, level) for figure, number in used.values())


def _use(notes: Notes, figure: Figure, number: int, level: float) -> t.FigureUse:
    from wbbrief.query import queries
    from wbbrief.query.uncertainty import margin
    from wbbrief.query.values import decimal

    value = queries.figure_text(figure)
    found = margin(notes.bundle.surveys, figure, level)
    if found is not None:
        value += f" ({decimal(found.low)}–{decimal(found.high)})"
    survey = queries.survey_label(notes.bundle, figure.survey, figure.edition)
    footnote = str(figure.footnote) if figure.footnote is not None else ""
    statement = _statement(figure)
    if figure.year != figure.edition:  # an earlier round an edition reports: its year says which
        statement += f" ({figure.year})"
    return t.FigureUse(figure.id, statement, _country(figure.country), value, survey, figure.source_page or "",
                       footnote, number)  # fmt: skip


_ASKS = ("who ", "what ", "which ", "how ", "why ", "do ", "does ", "is ", "are ", "should ", "would ", "will ")


def _statement(figure: Figure) -> str:
    """As the charts and tables name it (a statement's wording in quotation marks, else 'question:
    answer'); a question the item asks in its own words (the English asks: 'Who is most responsible
    …') is quoted too, as the paper quotes it."""
    from wbbrief.base.constants import active_translator
    from wbbrief.query.tables import statement

    shown = statement(figure)
    english = english_questions().get(figure.id, figure.question)
    if shown.endswith(f": {figure.answer.lower()}") and english.lower().startswith(_ASKS):
        t = active_translator()
        quoted = t.gettext("Quoted: {text}", text=figure.question) if t else f"“{figure.question}”"
        return f"{quoted}: {figure.answer.lower()}"
    return shown


def _country(code: str) -> str:
    """A country's name (or the region's) in the language in use; an unknown code as it is."""
    from wbbrief.base.constants import REGION
    from wbbrief.dataset import countries

    if code == REGION:
        return countries.name_of(code)
    return next((c.name for c in countries.all_countries() if c.code == code), code)


def shown_ids(blocks: Iterable[t.Block]) -> Iterator[str]:
    """The figures the charts and tables among these blocks show, in document order."""
    for block in blocks:
        if isinstance(block, t.Chart | t.Table):
            yield from block.figure_ids
        elif isinstance(block, t.Div | t.BlockQuote):
            yield from shown_ids(block.blocks)


def chart_figure_ids(table: Any, chart_id: str) -> tuple[str, ...]:
    """The figures a chart drawn from a query's table shows, row by row: for a by-country
    comparison, only its measure's columns (``chartdata`` draws one chart per measure)."""
    keys: set[str] | None = None
    measures: dict[str, list[str]] = {}
    for c in table.columns:
        if c.kind == "percent":
            measures.setdefault(c.measure or c.key, []).append(c.key)
    for columns in measures.values():
        if chart_id in (f"{table.id}-{columns[0]}", f"{table.id}-{columns[0]}-series"):
            keys = set(columns)
    return _ids(table, keys)


def table_figure_ids(table: Any) -> tuple[str, ...]:
    return _ids(table, None)


def _ids(table: Any, keys: set[str] | None) -> tuple[str, ...]:
    from wbbrief.query.uncertainty import figures_of

    found: dict[str, None] = {}
    for row in table.rows:
        by_key = figures_of(row)
        for key, figure in by_key.items():
            if keys is None or key in keys:
                found.setdefault(figure.id)
        if not by_key:
            for fid in [row.get("figure_id"), *row.get("figure_ids", [])]:
                if fid:
                    found.setdefault(str(fid))
    return tuple(found)


def english_questions() -> dict[str, str]:
    """The bundled figures' questions in English, by id (empty in English: the figures' own are); a
    user's figure is not translated, so its own question is its English one."""
    from wbbrief.base.constants import active_translator

    if active_translator() is None:
        return {}
    from wbbrief.i18n.labels import english

    return {key[1]: str(text) for key, text in english().items() if key[0] == "figure" and key[2] == "question"}
