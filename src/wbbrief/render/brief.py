"""The policy brief's content: what goes in it, drawn from the same Views as the query commands,
and its HTML, rendered by Jinja2 with autoescape and StrictUndefined.

Templates come from the package, or first from ``--template-dir`` where an organisation
overrides them; an override can extend the packaged template as ``wbbrief/brief.html.j2``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wbbrief import __version__
from wbbrief.base.errors import RenderError, UsageError
from wbbrief.dataset import countries
from wbbrief.dataset.bundle import REGION, Bundle
from wbbrief.query import queries
from wbbrief.query.views import Table, cell_text, page_ref
from wbbrief.render.charts import Chart, charts_for

if TYPE_CHECKING:
    import jinja2

    from wbbrief.dataset.records import Figure

TEMPLATE = "brief.html.j2"
DEFAULT_TITLE = "Cooperative Security in the Western Balkans"
DEFAULT_SUBTITLE = "What the public thinks, and what governments should do"
# The regional brief's cover leads with one finding from each survey, where they exist.
GLANCE = ("al-closer-cooperation", "wb6-cooperation", "wb-open-balkan")


@dataclass(frozen=True)
class BriefOptions:
    date: dt.date
    country: str | None = None  # a country code, or None for the regional brief
    title: str | None = None
    subtitle: str | None = None
    author: str = "wbbrief"
    variant: str = "ua"  # "ua" (PDF/UA-1, tagged) or "a3" (PDF/A-3u, with the data attached)
    template_dir: Path | None = None
    data: tuple[Path, ...] = ()  # the user's own data files, merged into the bundled figures
    lang: str | None = None  # a language tag (i18n); None: the document's front matter, or English
    decimal: str | None = None  # "point" or "comma": overrides the language's decimal sign


@dataclass
class Notes:
    """Endnotes: one per distinct citation (survey, edition, report page, paper footnote)."""

    bundle: Bundle
    entries: list[dict[str, Any]] = field(default_factory=list)
    _index: dict[tuple[Any, ...], int] = field(default_factory=dict)

    def cite(self, figure: Figure) -> int:
        user = figure.origin == "user"
        link = figure.source_url if user else None  # a user figure's own provenance
        key = (figure.survey, figure.edition, figure.source_page, figure.footnote, user, link)
        if key not in self._index:
            survey = queries.survey_row(self.bundle, figure.survey, figure.edition)
            citation = survey.citation.rstrip(".")
            if not queries.has_citation(self.bundle, figure.survey, figure.edition):
                citation = f"{survey.name} {figure.edition} (user-supplied; no citation given)"
            self._index[key] = len(self.entries) + 1
            self.entries.append(
                {
                    "number": self._index[key],
                    "survey": figure.survey,
                    "citation": citation,
                    "page": key[2],
                    "footnote": key[3],
                    "url": survey.url,
                    "user": user,
                    "link": link,
                }
            )
        return self._index[key]


def cited_surveys(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The surveys of the notes' table: those the rendered document cites (after its body is rendered)."""
    cited = {e["survey"] for e in context["notes"].entries}
    return [s for s in context["surveys"] if s["id"] in cited]


_NOTEREF = '<a class="noteref"'


def refs(numbers: list[int]) -> str:
    """Note references, with a comma between adjacent ones so '21' and '22' never read as '2122'."""
    links = [f'<a class="noteref" href="#note-{n}"><sup>{n}</sup></a>' for n in sorted(set(numbers))]
    return "<sup>,</sup>".join(links)


@dataclass
class NumberedChart:
    """One chart in the brief, with its number ("Figure 3"; a figure elsewhere is a survey number)."""

    number: int
    chart: Chart


@dataclass
class Ranking:
    """A table the brief prints as it is (rankings have no shares to chart): its cells as text."""

    title: str
    source: str
    headers: list[str]
    cells: list[list[str]]


def ranking_of(table: Table) -> Ranking:
    columns = [c for c in table.display_columns() if c.kind != "bar"]
    from wbbrief.i18n import _

    headers = [_("Rank") if c.key == "position" else c.header for c in columns]
    cells = [[cell_text(c, row.get(c.key)) for c in columns] for row in table.rows]
    return Ranking(table.title, table.source, headers, cells)


def chart_figures(tables: list[Table], start: int) -> tuple[list[NumberedChart], list[Ranking]]:
    """The charts of these tables, numbered from ``start``, and the tables that are rankings."""
    charts: list[NumberedChart] = []
    rankings: list[Ranking] = []
    for table in tables:
        drawn = charts_for(table)
        if not drawn and table.rows:
            rankings.append(ranking_of(table))
        for chart in drawn:
            charts.append(NumberedChart(start + len(charts), chart))
    return charts, rankings


def findings_rows(
    bundle: Bundle, notes: Notes | None, code: str | None, survey: str | None, topic: str | None
) -> tuple[list[dict[str, Any]], list[str]]:
    """The key findings for a country (or the region) with their note numbers and cover headlines,
    and the view's notices other than withdrawals (the brief lists those apart)."""
    focus = countries.by_code(code) if code and code != REGION else None
    by_id = queries.figures_by_id(bundle)
    newer = queries.newer_editions(bundle)
    view = queries.findings(bundle, code, survey, topic)
    rows = []
    for row in view.tables[0].rows:
        refs_ = sorted({notes.cite(f) for f in row["cited"]}) if notes is not None else []
        rows.append({**row, "notes": refs_, **_headline(row["figure_ids"], by_id, newer, focus)})
    withdrawn = {f"Withdrawn: {w['note']}" for w in view.withdrawn}
    return rows, [n for n in view.notes if n not in withdrawn]


def recommendation_rows(bundle: Bundle, fig: Callable[[str], Any], ids: Any = ()) -> list[dict[str, Any]]:
    """The paper's recommendations, each with the related figures wbbrief selects for it (cited through
    ``fig``); the paper itself cites none of them in its section 5."""
    from markupsafe import Markup

    by_id = queries.figures_by_id(bundle)
    rows = next(t.rows for t in queries.recommendations(bundle).tables if t.id == "recommendations")
    if ids:
        rows = [r for r in rows if r["id"] in ids]
    for rec in rows:
        # The value, then its label, then the note: a rank's note after the label, so '2.' and '12'
        # never meet as '2.12' (nor '2nd' and '12' as '2nd12').
        cited = [str(fig(i)).partition(_NOTEREF) for i in rec["figure_ids"]]
        rec["support"] = [Markup(value) for value, _, _ in cited]
        rec["support_refs"] = [Markup(sep + rest) for _, sep, rest in cited]
        rec["support_labels"] = [queries.statement(by_id[i]) for i in rec["figure_ids"]]
    return rows


def build_context(bundle: Bundle, options: BriefOptions, for_print: bool) -> dict[str, Any]:
    """What the page's shell shows (head, cover, notes) and the functions a document's roles
    call; the body comes from the document (``document.compose``). Every number from the bundle."""
    code = options.country
    focus = countries.by_code(code) if code and code != REGION else None
    by_id = queries.figures_by_id(bundle)
    newer = queries.newer_editions(bundle)
    notes = Notes(bundle)

    def fig(figure_id: str) -> Any:
        """A figure in prose: its value and an endnote reference."""
        from markupsafe import Markup, escape

        if figure_id not in by_id:
            raise RenderError(f"the brief cites a figure that is not in the data: '{figure_id}'")
        numbers = [notes.cite(by_id[figure_id])]
        if figure_id in newer:
            numbers.append(notes.cite(newer[figure_id]))
        text = escape(queries.figure_with_change(figure_id, by_id, newer))
        return Markup(f"{text}{refs(numbers)}")

    def fig_only(figure_id: str) -> Any:
        """A figure's own value and its note, without later rounds (for prose that names its round)."""
        from markupsafe import Markup, escape

        if figure_id not in by_id:
            raise RenderError(f"the brief cites a figure that is not in the data: '{figure_id}'")
        return Markup(f"{escape(queries.figure_text(by_id[figure_id]))}{refs([notes.cite(by_id[figure_id])])}")

    cover, _ = findings_rows(bundle, None, code, None, None)
    preferred = [f for i in GLANCE for f in cover if f["id"] == i] if focus is None else []
    glance = (preferred or cover)[:3]

    title = options.title or DEFAULT_TITLE
    subtitle = options.subtitle or (f"Country focus: {focus.name}" if focus else DEFAULT_SUBTITLE)
    used_surveys = sorted({f.survey for f in by_id.values()})
    return {
        "title": title,
        "subtitle": subtitle,
        "author": options.author,
        "date_text": f"{options.date.day} {options.date.strftime('%B %Y')}",
        "created": f"{options.date.isoformat()}T00:00:00Z",
        "lang": "en",
        "keywords": ", ".join(
            ["Western Balkans", "security", "public opinion", "regional cooperation", "WBSF", "IISG"]
        ),
        "description": f"{subtitle}. A policy brief drawn from survey evidence, every figure with its source.",
        "version": __version__,
        "for_print": for_print,
        "focus": focus,
        "glance": glance,
        "surveys": [s for s in queries.sources(bundle).tables[0].rows if s["id"] in used_surveys],
        "notes": notes,
        "data_notes": list(bundle.notes),
        "fig": fig,
        "fig_only": fig_only,
        "body": "",
        "headings": [],
        "own_prose": False,  # a user's document: its prose is not wbbrief's
    }


def _headline(
    figure_ids: list[str], by_id: dict[str, Figure], newer: dict[str, Figure], focus: countries.Country | None
) -> dict[str, str]:
    """A finding's big number on the cover: the focus country's own figure where the finding has
    one, otherwise its first figure, always with the place the number is about."""
    own = [i for i in figure_ids if focus is not None and by_id[i].country == focus.code]
    first = (own or figure_ids)[0]
    place = by_id[first].country
    scope = "Regional figure (Western Balkans Six)" if place == REGION else countries.name_of(place)
    return {"headline": queries.figure_text(newer.get(first, by_id[first])), "headline_scope": scope}


def _package_source(name: str) -> tuple[str, str, Callable[[], bool]] | None:
    from jinja2.loaders import split_template_path

    path = resources.files("wbbrief") / "templates"
    for part in split_template_path(name):  # refuses '..': templates come from this folder only
        path = path / part
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8"), f"wbbrief/templates/{name}", lambda: True


def _sandbox() -> type[jinja2.Environment]:
    """Jinja2's immutable sandbox (no underscore attributes, no mutating calls), and besides no
    attribute of a pandas or numpy object or of a module: a table reached through the data
    would otherwise offer methods such as to_csv(path), which writes files."""
    import types

    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Sandbox(ImmutableSandboxedEnvironment):
        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            root = type(obj).__module__.partition(".")[0]
            if root in ("pandas", "numpy") or isinstance(obj, types.ModuleType):
                return False
            return bool(super().is_safe_attribute(obj, attr, value))

    return Sandbox


def _confined_loader(folder: Path) -> jinja2.BaseLoader:
    """--template-dir, but a symbolic link inside it cannot pull in a file from elsewhere."""
    import os

    import jinja2

    root = os.path.realpath(folder)

    class Confined(jinja2.FileSystemLoader):
        def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
            source, filename, uptodate = super().get_source(environment, template)
            if os.path.commonpath([root, os.path.realpath(filename)]) != root:
                raise jinja2.TemplateNotFound(template, f"'{template}' links outside --template-dir")
            return source, filename, uptodate

    return Confined(str(folder))


def environment(template_dir: Path | None) -> jinja2.Environment:
    """The templates' environment, kept for the process (``render --watch`` renders again and
    again): Jinja2 still reloads a --template-dir file that changed."""
    return _environment(template_dir)


@functools.lru_cache(maxsize=4)
def _environment(template_dir: Path | None) -> jinja2.Environment:
    """Every template, packaged or from --template-dir, is untrusted: Jinja2's sandbox, with
    autoescape (data is text) and StrictUndefined (a missing variable is an error)."""
    import jinja2

    package = jinja2.FunctionLoader(_package_source)
    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        if not template_dir.is_dir():
            raise UsageError(f"--template-dir '{template_dir}' is not a folder")
        loaders.append(_confined_loader(template_dir))
    loaders += [package, jinja2.PrefixLoader({"wbbrief": package})]
    env = _sandbox()(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = queries.figure_text
    env.filters["page_ref"] = page_ref
    env.filters["and_list"] = and_list
    return env


def and_list(items: list[str]) -> str:
    """'Albania, Montenegro and North Macedonia'."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def render_html(bundle: Bundle, options: BriefOptions, for_print: bool) -> str:
    """The bundled brief (its regional or country document) as one self-contained HTML page."""
    from wbbrief.document.compose import bundled_document, render_page

    return render_page(bundled_document(options.country, options.lang or "en"), bundle, options, for_print)


def macros(env: jinja2.Environment) -> Any:
    """The building blocks (charts, tables, the findings box) that a document's directives show."""
    # A new module each time, not Template.module: that one is made once and keeps the globals of
    # its first use, so a second brief in another language would get the first one's strings.
    module = _template_call(lambda: env.get_template("macros.html.j2").make_module())

    class Macros:
        def __getattr__(self, name: str) -> Callable[..., Any]:
            macro = _template_call(lambda: getattr(module, name))
            return lambda *args: _template_call(lambda: macro(*args))

    return Macros()


def render_template(env: jinja2.Environment, context: dict[str, Any]) -> str:
    return str(_template_call(lambda: env.get_template(TEMPLATE).render(context)))


def _template_call(call: Callable[[], Any]) -> Any:
    import jinja2
    from jinja2.exceptions import SecurityError

    try:
        return call()
    except jinja2.TemplateNotFound as err:
        raise RenderError(f"template not found: {err.name}") from err
    except jinja2.TemplateError as err:
        where = _where(err)
        message = err.message or type(err).__name__
        if isinstance(err, SecurityError):
            message = f"{message.rstrip('.')}: templates run in a sandbox and may only read the brief's data"
        raise RenderError(f"template error{where}: {message}") from err


def _where(err: Exception) -> str:
    """' (file, line n)': from a syntax error, or from the template frame Jinja2 puts in the traceback."""
    filename, line = getattr(err, "filename", None), getattr(err, "lineno", None)
    if not line:
        tb = err.__traceback__
        while tb is not None:
            name = tb.tb_frame.f_code.co_filename
            if name.endswith((".j2", ".css", ".html")):
                filename, line = name, tb.tb_lineno
            tb = tb.tb_next
    return f" ({filename}, line {line})" if line else ""
