"""The policy brief's content: what goes in it, drawn from the same Views as the query commands,
and its HTML, rendered by Jinja2 with autoescape and StrictUndefined.

Templates come from the package, or first from ``--template-dir`` where an organisation
overrides them; an override can extend the packaged template as ``wbbrief/brief.html.j2``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wbbrief import __version__, countries, queries
from wbbrief.charts import Chart, charts_for
from wbbrief.data import REGION, Bundle
from wbbrief.errors import RenderError, UsageError
from wbbrief.views import Table, cell_text, is_missing, page_ref

if TYPE_CHECKING:
    import jinja2

TEMPLATE = "brief.html.j2"
DEFAULT_TITLE = "Cooperative Security in the Western Balkans"
DEFAULT_SUBTITLE = "What the public thinks, and what governments should do"
# The regional brief's cover leads with one finding from each survey, where they exist.
GLANCE = ("al-closer-cooperation", "wb6-cooperation", "wb-open-balkan")

# Sentences of the brief's own prose that assert a majority, an order or a comparison, each with
# the condition (see claims.py) under which the template may print it. The template asks
# ``holds(id)`` for these and for findings by id; a claim that fails is left out with a note.
PROSE_CLAIMS: dict[str, tuple[str, str]] = {
    "al-serbia-threat-majority": (
        "A majority of Albanians see Serbia as a threat",
        "{asb-threat-country-serbia} > 50",
    ),
    "rs-albania-negative-majority": (
        "Most respondents in Serbia hold a negative opinion of Albania",
        "{iri-rs-opinion-albania-unfavourable} > 50",
    ),
    "support-majorities": (
        "Majorities in Albania and across the region support closer cooperation",
        "{asb-closer-cooperation-balkans} > 50 and {sm-regional-cooperation-needed} > 50",
    ),
    "tensions-leaders-majorities": (
        "Majorities in Bosnia and Herzegovina, Montenegro and North Macedonia blame parties and leaders",
        "{iri-tensions-leaders-ba} > 50 and {iri-tensions-leaders-me} > 50 and {iri-tensions-leaders-mk} > 50",
    ),
}


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


@dataclass
class Notes:
    """Endnotes: one per distinct citation (survey, edition, report page, paper footnote)."""

    bundle: Bundle
    entries: list[dict[str, Any]] = field(default_factory=list)
    _index: dict[tuple[Any, ...], int] = field(default_factory=dict)

    def cite(self, figure: Any) -> int:
        user = figure.get("origin") == "user"
        link = _opt(figure.get("source_url")) if user else None  # a user figure's own provenance
        key = (
            figure["survey"], int(figure["edition"]), _opt(figure["source_page"]), _opt(figure["footnote"]),
            user, link,
        )  # fmt: skip
        if key not in self._index:
            survey = queries.survey_row(self.bundle, str(figure["survey"]), figure["edition"])
            citation = str(survey["citation"]).rstrip(".")
            if not queries.has_citation(self.bundle, str(figure["survey"]), figure["edition"]):
                citation = f"{survey['name']} {int(figure['edition'])} (user-supplied; no citation given)"
            self._index[key] = len(self.entries) + 1
            self.entries.append(
                {
                    "number": self._index[key],
                    "citation": citation,
                    "page": key[2],
                    "footnote": key[3],
                    "url": None if is_missing(survey["url"]) else survey["url"],
                    "user": user,
                    "link": link,
                }
            )
        return self._index[key]


def _refs(numbers: list[int]) -> str:
    """Note references, with a comma between adjacent ones so '21' and '22' never read as '2122'."""
    links = [f'<a class="noteref" href="#note-{n}"><sup>{n}</sup></a>' for n in sorted(set(numbers))]
    return "<sup>,</sup>".join(links)


def _opt(value: Any) -> Any:
    return None if is_missing(value) else (int(value) if isinstance(value, float) else value)


@dataclass
class Figure:
    """One chart in the brief, with its number, caption and alt text."""

    number: int
    chart: Chart


@dataclass
class Ranking:
    """A table the brief prints as it is (rankings have no shares to chart): its cells as text."""

    title: str
    source: str
    headers: list[str]
    cells: list[list[str]]


def _ranking(table: Table) -> Ranking:
    columns = [c for c in table.display_columns() if c.kind != "bar"]
    headers = ["Rank" if c.key == "position" else c.header for c in columns]
    cells = [[cell_text(c, row.get(c.key)) for c in columns] for row in table.rows]
    return Ranking(table.title, table.source, headers, cells)


def _chart_figures(tables: list[Table], start: int) -> tuple[list[Figure], list[Ranking]]:
    figures: list[Figure] = []
    rankings: list[Ranking] = []
    for table in tables:
        charts = charts_for(table)
        if not charts and table.rows:
            rankings.append(_ranking(table))
        for chart in charts:
            figures.append(Figure(start + len(figures), chart))
    return figures, rankings


def build_context(bundle: Bundle, options: BriefOptions, for_print: bool) -> dict[str, Any]:
    """Everything the template shows; every number in it comes from the bundle."""
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
        return Markup(f"{text}{_refs(numbers)}")

    def fig_only(figure_id: str) -> Any:
        """A figure's own value and its note, without later rounds (for prose that names its round)."""
        from markupsafe import Markup, escape

        if figure_id not in by_id:
            raise RenderError(f"the brief cites a figure that is not in the data: '{figure_id}'")
        return Markup(f"{escape(queries.figure_text(by_id[figure_id]))}{_refs([notes.cite(by_id[figure_id])])}")

    def later(figure_id: str) -> dict[str, Any] | None:
        """The latest round of a figure's question, where the data has one (``compared_rounds``)."""
        figure = newer.get(figure_id)
        if figure is None:
            return None
        label = queries.survey_label(bundle, str(figure["survey"]), figure["edition"])
        return {"id": str(figure["id"]), "year": int(figure["year"]), "survey": label}

    # Which statements hold with the data in use: every finding (the prose cites some outside the
    # focus country's list) and the prose's own claims.
    checked = queries.claim_figures(bundle)
    verdicts: dict[str, str | None] = {}
    for finding in bundle.findings.itertuples():
        condition = "" if is_missing(finding.holds_if) else str(finding.holds_if)
        text = queries.render_text(str(finding.text), by_id)
        verdicts[str(finding.id)] = queries.check_claim(bundle, text, condition, checked)
    for claim_id, (text, condition) in PROSE_CLAIMS.items():
        verdicts[claim_id] = queries.check_claim(bundle, text, condition, checked)

    def holds(claim_id: str) -> bool:
        if claim_id not in verdicts:
            raise RenderError(f"the brief checks a statement that does not exist: '{claim_id}'")
        return verdicts[claim_id] is None

    findings_view = queries.findings(bundle, code)
    findings = []
    for row in findings_view.tables[0].rows:
        refs = sorted({notes.cite(f) for f in row["cited"]})
        findings.append({**row, "notes": refs, **_headline(row["figure_ids"], by_id, newer, focus)})
    preferred = [f for i in GLANCE for f in findings if f["id"] == i] if focus is None else []
    glance = (preferred or findings)[:3]
    withdrawn_notes = {f"Withdrawn: {w['note']}" for w in findings_view.withdrawn}

    threat_view = queries.threats(bundle, code)
    cooperation_view = queries.cooperation(bundle, code)
    threat_figures, threat_rankings = _chart_figures(threat_view.tables, 1)
    coop_figures, coop_rankings = _chart_figures(cooperation_view.tables, 1 + len(threat_figures))
    other_view = queries.other_figures(bundle, code)
    other_figures, other_rankings = _chart_figures(other_view.tables, 1 + len(threat_figures) + len(coop_figures))
    for table in threat_view.tables + cooperation_view.tables + other_view.tables:
        for row in table.rows:
            for fid in [row.get("figure_id"), *row.get("figure_ids", [])]:
                if fid and fid in by_id:
                    notes.cite(by_id[fid])

    recommendations = queries.recommendations(bundle)
    tables = {t.id: t.rows for t in recommendations.tables}
    main_recs, principles, aims, pillars = (
        tables[i] for i in ("recommendations", "principles", "aims", "iisg-pillars")
    )
    for rec in main_recs:
        rec["support"] = [fig(i) for i in rec["figure_ids"]]
        rec["support_labels"] = [queries.statement(by_id[i]) for i in rec["figure_ids"]]

    title = options.title or DEFAULT_TITLE
    subtitle = options.subtitle or (f"Country focus: {focus.name}" if focus else DEFAULT_SUBTITLE)
    used_surveys = sorted({str(f["survey"]) for f in by_id.values()})
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
        "countries": countries.all_countries(),
        "nato_members": [c.name for c in countries.all_countries() if c.nato_status == "Member"],
        "findings": findings,
        "glance": glance,
        "findings_notes": [n for n in findings_view.notes if n not in withdrawn_notes],
        "withdrawn": [note for note in verdicts.values() if note],
        "holds": holds,
        "threat_figures": threat_figures,
        "threat_rankings": threat_rankings,
        "threat_notes": threat_view.notes,
        "coop_figures": coop_figures,
        "coop_rankings": coop_rankings,
        "coop_notes": cooperation_view.notes,
        "other_figures": other_figures,
        "other_rankings": other_rankings,
        "recommendations": main_recs,
        "principles": principles,
        "aims": aims,
        "pillars": pillars,
        "surveys": [s for s in queries.sources(bundle).tables[0].rows if s["id"] in used_surveys],
        "notes": notes,
        "data_notes": list(bundle.notes),
        "fig": fig,
        "fig_only": fig_only,
        "later": later,
        "year": lambda figure_id: int(by_id[figure_id]["year"]),
        "has_figure": lambda figure_id: figure_id in by_id,
    }


def _headline(
    figure_ids: list[str], by_id: dict[str, Any], newer: dict[str, Any], focus: countries.Country | None
) -> dict[str, str]:
    """A finding's big number on the cover: the focus country's own figure where the finding has
    one, otherwise its first figure, always with the place the number is about."""
    own = [i for i in figure_ids if focus is not None and by_id[i]["country"] == focus.code]
    first = (own or figure_ids)[0]
    place = str(by_id[first]["country"])
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
    """The brief as one self-contained HTML document."""
    import jinja2
    from jinja2.exceptions import SecurityError

    env = environment(options.template_dir)
    try:
        return env.get_template(TEMPLATE).render(build_context(bundle, options, for_print))
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
