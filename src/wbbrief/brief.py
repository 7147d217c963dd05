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
from wbbrief.views import Table, is_missing, page_ref

if TYPE_CHECKING:
    import jinja2

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


@dataclass
class Notes:
    """Endnotes: one per distinct citation (survey, edition, report page, paper footnote)."""

    bundle: Bundle
    entries: list[dict[str, Any]] = field(default_factory=list)
    _index: dict[tuple[Any, ...], int] = field(default_factory=dict)

    def cite(self, figure: Any) -> int:
        key = (
            figure["survey"], int(figure["edition"]), _opt(figure["source_page"]), _opt(figure["footnote"]),
            figure.get("origin") == "user",
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
                    "user": figure.get("origin") == "user",
                }
            )
        return self._index[key]


def _opt(value: Any) -> Any:
    return None if is_missing(value) else (int(value) if isinstance(value, float) else value)


@dataclass
class Figure:
    """One chart in the brief, with its number, caption and alt text."""

    number: int
    chart: Chart


def _chart_figures(tables: list[Table], start: int) -> tuple[list[Figure], list[Table]]:
    figures: list[Figure] = []
    rankings: list[Table] = []
    for table in tables:
        charts = charts_for(table)
        if not charts and table.rows:
            rankings.append(table)
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
        refs = "".join(f'<a class="noteref" href="#note-{n}"><sup>{n}</sup></a>' for n in dict.fromkeys(numbers))
        return Markup(f"{text}{refs}")

    findings_view = queries.findings(bundle, code)
    findings = []
    for row in findings_view.tables[0].rows:
        refs = sorted({notes.cite(f) for f in row["cited"]})
        first = row["figure_ids"][0]
        headline = queries.figure_text(newer.get(first, by_id[first]))
        findings.append({**row, "notes": refs, "headline": headline})
    preferred = [f for i in GLANCE for f in findings if f["id"] == i] if focus is None else []
    glance = (preferred or findings)[:3]

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
    main_recs, principles, pillars = (t.rows for t in recommendations.tables)
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
        "findings_notes": findings_view.notes,
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
        "pillars": pillars,
        "surveys": [s for s in queries.sources(bundle).tables[0].rows if s["id"] in used_surveys],
        "notes": notes,
        "data_notes": list(bundle.notes),
        "fig": fig,
        "has_figure": lambda figure_id: figure_id in by_id,
    }


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
