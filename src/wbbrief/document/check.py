"""Every problem of a document, against the loaded figures: what ``wbbrief check`` lists.

The rule for numbers typed in the prose (numbers in roles, code, link destinations, URLs, the
front matter and years are never looked at):

- a percentage ('45%', '45 %', '45 per cent', '45 percent', '45.5%') or a change in points
  ('+3 pts', '3 percentage points') is always an error: it must come from a role;
- a plain number ('39.3') or an ordinal ('2nd') is a warning, and only when it equals what a
  loaded figure shows (its share, or its rank), so a year (2022) never is; numbers after 'p.',
  'pp.', 'fn.', 'footnote', 'note', 'no.', 'page', 'section' or '§' are references, not figures.

Where a loaded figure has the number's value, the message suggests its role.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from wbbrief.base.errors import RenderError, UsageError
from wbbrief.base.record import record
from wbbrief.dataset.records import Figure
from wbbrief.document.figures import FigureIndex, load_index
from wbbrief.document.model import (
    COUNTRIES_LISTS,
    COUNTRIES_ROLE,
    COUNTRY_PROPERTIES,
    COUNTRY_ROLE,
    DIRECTIVE_BODY,
    FIGURE_ROLES,
    TABLE_VIEWS,
    VIEWS,
    Diagnostic,
    Directive,
    Document,
    FrontMatter,
    Located,
    Query,
    Severity,
)
from wbbrief.query.editions import figure_text


@record
class CheckReport:
    """The problems of one document, sorted by position; with ``strict``, warnings count as errors."""

    file: str
    diagnostics: tuple[Diagnostic, ...]
    strict: bool = False

    def shown(self) -> list[Diagnostic]:
        if not self.strict:
            return list(self.diagnostics)
        return [
            Diagnostic(d.file, d.position, "error", d.code, d.message) if d.severity == "warning" else d
            for d in self.diagnostics
        ]

    @property
    def errors(self) -> int:
        return sum(1 for d in self.shown() if d.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.shown() if d.severity == "warning")

    @property
    def failed(self) -> bool:
        return self.errors > 0

    def summary(self) -> str:
        if not self.diagnostics:
            return f"{self.file}: no problems"
        parts = [_count(self.errors, "error"), _count(self.warnings, "warning")]
        return f"{self.file}: {', '.join(p for p in parts if p)}" + (" (--strict)" if self.strict else "")

    def to_json(self) -> str:
        payload: dict[str, Any] = {
            "file": self.file,
            "strict": self.strict,
            "errors": self.errors,
            "warnings": self.warnings,
            "problems": [
                {
                    "line": d.position.line,
                    "col": d.position.col,
                    "severity": d.severity,
                    "code": d.code,
                    "message": d.message,
                    **({"file": d.file} if d.file != self.file else {}),  # a bibliography's own problem
                }
                for d in self.shown()
            ],
        }
        import json  # for --format json only

        return json.dumps(payload, ensure_ascii=False, indent=2)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}" if n else ""


def check_file(path: Path, data: Iterable[Path] = (), strict: bool = False) -> CheckReport:
    """Read, parse and check a document file with the bundled figures, its ``data`` and ``--data``."""
    from wbbrief.document.opening import open_document

    document = open_document(path)
    index = load_index(tuple(dict.fromkeys([*document.front_matter.data, *data])))
    return CheckReport(str(path), tuple(check_document(document, index, str(path))), strict)


def check_document(document: Document, index: FigureIndex, file: str | None = None) -> list[Diagnostic]:
    """The document's own problems and those found against the figures, sorted by position."""
    checker = _Checker(document, index, file or str(document.path))
    checker.run()
    from wbbrief.document.house import settings_problems  # the wbbrief.toml that applies (issue 19)

    own = file or str(document.path)  # the document's own problems first, then its bibliography's
    found = sorted(checker.found, key=lambda d: (d.file != own, d.file, d.sort_key()))
    return found + settings_problems(document.path.parent)


def resolve_query(directive: Directive, index: FigureIndex, file: str = "") -> Query:
    """A directive's options and ids resolved to data ids; RenderError names the first problem."""
    checker = _Checker(Document(Path(file), "", FrontMatter(), []), index, file)
    resolved = checker.directive(directive)
    if checker.found:
        raise RenderError(str(sorted(checker.found, key=Diagnostic.sort_key)[0]))
    return resolved


class _Checker:
    def __init__(self, document: Document, index: FigureIndex, file: str) -> None:
        self.document = document
        self.index = index
        self.file = file
        self.found = [Diagnostic(file, d.position, d.severity, d.code, d.message) for d in document.problems]

    @property
    def level(self) -> float:
        return self.document.front_matter.level or 0.95

    def add(self, where: Located | Any, severity: Severity, code: str, message: str) -> None:
        position = where.position if isinstance(where, Located) else where
        self.found.append(Diagnostic(self.file, position, severity, code, message))

    def run(self) -> None:
        for role in self.document.roles:
            if role.name in FIGURE_ROLES and role.target:
                self.role(role.name, Located(role.target, role.target_position))
            elif role.name == COUNTRY_ROLE and role.target:
                self.country_role(Located(role.target, role.target_position))
            elif role.name == COUNTRIES_ROLE and role.target not in COUNTRIES_LISTS:
                lists = ", ".join(f"{{countries}}`{n}`" for n in COUNTRIES_LISTS)
                self.add(role.target_position, "error", "bad-role", f"unknown list '{role.target}'; use {lists}")
        for directive in self.document.directives:
            if directive.name == "claim":
                self.claim(directive)
            elif directive.name == "only":
                self.only(directive)
            elif directive.name in ("country-profile", "notices"):
                self.needs_country(directive.position, f"{{{directive.name}}}")
            else:
                self.directive(directive)
        for number in self.document.numbers:
            self.number(number.kind, number.text, number.value, number.position)
        from wbbrief.document.xrefcheck import diagnostics  # labels and cross-references

        self.found += diagnostics(self.document, self.file)
        from wbbrief.document.citecheck import citation_problems  # issue 18
        from wbbrief.document.noise import order_warnings

        if self.document.citations or self.document.front_matter.bibliography:
            self.found += citation_problems(self.document, self.file)

        for where, message in order_warnings(self.document, self.index):  # issue 17
            self.add(where, "warning", "not-significant", message)

    def figure(self, ref: Located) -> Figure | None:
        figure = self.index.figures.get(ref.text)
        if figure is None:
            self.unknown(ref, "figure")
        return figure

    def unknown(self, ref: Located, kind: str) -> None:
        near = self.index.suggest(ref.text, kind)
        hint = f"; did you mean '{near}'?" if near else f" (`wbbrief {kind}s` lists them)" if kind == "figure" else ""
        self.add(ref, "error", f"unknown-{kind}", f"unknown {kind} id '{ref.text}'{hint}")

    def needs_country(self, where: Any, what: str) -> None:
        if self.document.front_matter.country is None:
            self.add(where, "error", "needs-country", f"{what} needs a 'country:' in the front matter")

    def country_role(self, ref: Located) -> None:
        if ref.text not in COUNTRY_PROPERTIES:
            names = ", ".join(f"{{country}}`{p}`" for p in COUNTRY_PROPERTIES)
            self.add(ref, "error", "bad-role", f"unknown country property '{ref.text}'; use {names}")
            return
        self.needs_country(ref, "{country}")

    def claim(self, directive: Directive) -> None:
        """A claim's condition: a finding id (the finding's own condition) or a condition over figures."""
        from wbbrief.dataset import claims

        condition = directive.holds_if
        if condition is None:
            return
        text = condition.text.strip()
        if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", text):
            if text not in self.index.findings:
                self.unknown(condition, "finding")
            return
        try:
            parsed = claims.parse(text)
        except claims.ConditionError as err:
            self.add(condition, "error", "bad-condition", f":holds-if: {err}")
            return
        if directive.says is None:
            self.add(
                directive.position, "error", "bad-directive",
                "{claim} with a condition needs :says:, the statement a withdrawal note names",
            )  # fmt: skip
        known = True
        for figure_id in parsed.ids:
            if figure_id not in self.index.figures:
                self.unknown(Located(figure_id, condition.position), "figure")
                known = False
        if not known:
            return
        problems = claims.check_ids(parsed, self.index.records)
        for problem in problems:
            self.add(condition, "error", "bad-condition", f":holds-if: {problem}")
        if problems:
            return
        from wbbrief.query.uncertainty import claim_test  # within the noise, a claim fails (issue 17)

        result = claims.evaluate(parsed, self.index.claim_records, claim_test(self.index.surveys.values(), self.level))
        if not result.holds:
            self.add(
                condition, "warning", "claim-fails",
                f"this claim does not hold with the data in use ({result.explanation}); it is left out of the brief",
            )  # fmt: skip

    def only(self, directive: Directive) -> None:
        from wbbrief.dataset import countries

        for ref in (directive.country, directive.not_country):
            if ref is None:
                continue
            self.needs_country(ref, "{only} with a country")
            for code in re.split(r"[,\s]+", ref.text.strip()):
                if not code:
                    continue
                try:
                    countries.resolve(code)
                except UsageError as err:
                    self.add(ref, "error", "bad-option", f"{err}")
        if directive.newer_edition is not None:
            self.figure(directive.newer_edition)
        if directive.other_figures is not None and directive.other_figures.text != "present":
            self.add(directive.other_figures, "error", "bad-option", ":other-figures: takes one value: present")

    def role(self, name: str, ref: Located) -> None:
        figure = self.figure(ref)
        if figure is None:
            return
        latest = self.index.latest(figure.id)
        if name in ("stat", "round") and latest is not None:
            self.add(
                ref, "warning", "newer-edition",
                f"a newer edition of '{figure.id}' is loaded ({self.short(latest)}: {figure_text(latest)}); "
                f"show it with {{latest}}`{figure.id}` or {{change}}`{figure.id}`",
            )  # fmt: skip
        if name == "change":
            if figure.unit != "percent":
                self.add(ref, "error", "bad-role", f"{{change}} needs a share, and '{figure.id}' is a rank")
            elif latest is None:
                self.add(
                    ref, "error", "bad-role",
                    f"no later edition of '{figure.id}' is loaded, so {{change}} has nothing to show; "
                    f"use {{stat}}`{figure.id}`",
                )  # fmt: skip
            else:
                self.noise(ref, figure, latest)
        if name == "stat:margin":
            from wbbrief.query.uncertainty import margin

            if margin(self.index.surveys.values(), figure) is None:
                self.add(
                    ref, "error", "bad-role",
                    f"the data give '{figure.id}' no margin of error (no interval, standard error or sample "
                    f"size); use {{stat}}`{figure.id}`",
                )  # fmt: skip

    def noise(self, ref: Located, old: Figure, new: Figure) -> None:
        """A change stated between two shares whose difference is within the noise (issue 17)."""
        from wbbrief.query.uncertainty import change_noise

        tested = change_noise(self.index.surveys.values(), old, new, self.level)
        if tested is not None and not tested.significant:
            half = (tested.high - tested.low) / 2
            self.add(
                ref, "warning", "not-significant",
                f"the change from {self.short(old)} to {self.short(new)} ({tested.difference:+.1f} ± {half:.1f} "
                "pts) is within the margin of error: a sentence that states it as a rise or a fall says more "
                "than the data (the brief adds 'within the margin of error')",
            )  # fmt: skip

    def short(self, figure: Figure) -> str:
        survey = self.index.survey(figure)
        return f"{survey.short_name if survey else figure.survey} {figure.edition}"

    def directive(self, directive: Directive) -> Query:
        kind = DIRECTIVE_BODY[directive.name]
        pool = {"figure": self.index.figures, "finding": self.index.findings}.get(kind, self.index.recommendations)
        view = None
        if directive.view is not None:
            views = VIEWS + TABLE_VIEWS if directive.name == "table" else VIEWS
            if directive.view.text in views:
                view = directive.view.text
            else:
                self.add(
                    directive.view, "error", "bad-option",
                    f":view: unknown view '{directive.view.text}' for {{{directive.name}}}; use {', '.join(views)}",
                )  # fmt: skip
        for ref in directive.ids:
            if ref.text not in pool:
                self.unknown(ref, kind)
        country = None
        if directive.country is not None:
            from wbbrief.dataset import countries

            try:
                country = countries.resolve(directive.country.text)
            except UsageError as err:
                self.add(directive.country, "error", "bad-option", f":country: {err}")
        survey = topic = question = None
        if directive.survey is not None:
            survey = self.named(
                directive.survey, "survey", self.index.survey_ids(), lambda t: t.casefold().replace(" ", "")
            )
        if directive.topic is not None:
            topics = {t: t for t in self.index.topics()}
            topic = self.named(directive.topic, "topic", topics, lambda t: t.casefold().strip().replace(" ", "-"))
        if directive.question is not None:
            questions = {q.casefold(): q for q in self.index.questions()}
            question = self.named(directive.question, "question", questions, lambda t: t.casefold().strip())
        caption = directive.caption.text if directive.caption else None
        ids = tuple(ref.text for ref in directive.ids)
        return Query(
            directive.name, caption, view=view, country=country, survey=survey, topic=topic, question=question, ids=ids
        )

    def named(self, ref: Located, what: str, valid: dict[str, str], key: Any) -> str | None:
        """The data's id for what the document names, or None (and a problem with a suggestion)."""
        import difflib

        if key(ref.text) in valid:
            return valid[key(ref.text)]
        near = difflib.get_close_matches(key(ref.text), list(valid), n=1)
        hint = f"; did you mean '{valid[near[0]]}'?" if near else ""
        self.add(ref, "error", "bad-option", f":{what}: unknown {what} '{ref.text}'{hint}")
        return None

    def number(self, kind: str, text: str, value: float, position: Any) -> None:
        if kind == "points":
            message = f"change typed by hand: '{text}'; use {{change}}`figure-id`"
            self.add(position, "error", "hand-typed-number", message)
            return
        ids = self.index.by_text.get(("rank" if kind == "ordinal" else "percent", round(value, 6)), [])
        if kind in ("plain", "ordinal") and not ids:
            return
        severity: Severity = "error" if kind == "percent" else "warning"
        what = "rank" if kind == "ordinal" else "number"
        if not ids:
            self.add(
                position, severity, "hand-typed-number",
                f"number typed by hand: '{text}' (no loaded figure has this value); "
                "cite a figure with {stat}`figure-id`",
            )  # fmt: skip
            return
        self.add(position, severity, "hand-typed-number", f"{what} typed by hand: '{text}'; {self.suggest(ids)}")

    def suggest(self, ids: list[str]) -> str:
        country = self.document.front_matter.country
        ranked = sorted(ids, key=lambda i: self.index.figures[i].country != country) if country else ids
        named = " or ".join(f"{{stat}}`{i}`" for i in ranked[:2])
        more = f" ({len(ranked) - 2} more figures have this value)" if len(ranked) > 2 else ""
        return f"did you mean {named}?{more}"
