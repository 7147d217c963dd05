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

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wbbrief.document.figures import FigureIndex, FigureRecord, load_index
from wbbrief.document.model import (
    DIRECTIVE_BODY,
    ROLES,
    Diagnostic,
    Directive,
    Document,
    FrontMatter,
    Located,
    Query,
    Severity,
)
from wbbrief.errors import RenderError, UsageError

FIGURE_ROLES = ROLES  # every role names a figure


@dataclass(frozen=True)
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
                }
                for d in self.shown()
            ],
        }
        return json.dumps(payload, ensure_ascii=False, indent=2)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}" if n else ""


def check_file(path: Path, data: Iterable[Path] = (), strict: bool = False) -> CheckReport:
    """Read, parse and check a document file with the bundled figures, its ``data`` and ``--data``."""
    from wbbrief.document.parse import read_document

    if not path.exists():
        raise UsageError(f"no such document: {path}")
    if not path.is_file():
        raise UsageError(f"not a document file: {path}")
    try:
        document = read_document(path, str(path))
    except OSError as err:
        raise UsageError(f"cannot read {path}: {err.strerror or err}") from err
    index = load_index(tuple(dict.fromkeys([*document.front_matter.data, *data])))
    return CheckReport(str(path), tuple(check_document(document, index, str(path))), strict)


def check_document(document: Document, index: FigureIndex, file: str | None = None) -> list[Diagnostic]:
    """The document's own problems and those found against the figures, sorted by position."""
    checker = _Checker(document, index, file or str(document.path))
    checker.run()
    return sorted(checker.found, key=Diagnostic.sort_key)


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

    def add(self, where: Located | Any, severity: Severity, code: str, message: str) -> None:
        position = where.position if isinstance(where, Located) else where
        self.found.append(Diagnostic(self.file, position, severity, code, message))

    def run(self) -> None:
        for role in self.document.roles:
            if role.name in ROLES and role.target:
                self.role(role.name, Located(role.target, role.target_position))
        for directive in self.document.directives:
            self.directive(directive)
        for number in self.document.numbers:
            self.number(number.kind, number.text, number.value, number.position)

    def figure(self, ref: Located) -> FigureRecord | None:
        figure = self.index.figures.get(ref.text)
        if figure is None:
            self.unknown(ref, "figure")
        return figure

    def unknown(self, ref: Located, kind: str) -> None:
        near = self.index.suggest(ref.text, kind)
        hint = f"; did you mean '{near}'?" if near else f" (`wbbrief {kind}s` lists them)" if kind == "figure" else ""
        self.add(ref, "error", f"unknown-{kind}", f"unknown {kind} id '{ref.text}'{hint}")

    def role(self, name: str, ref: Located) -> None:
        figure = self.figure(ref)
        if figure is None:
            return
        latest = self.index.latest(figure.id)
        if name == "stat" and latest is not None:
            self.add(
                ref, "warning", "newer-edition",
                f"a newer edition of '{figure.id}' is loaded ({self.short(latest)}: {latest.text}); "
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

    def short(self, figure: FigureRecord) -> str:
        survey = self.index.survey(figure)
        return f"{survey.short_name if survey else figure.survey} {figure.edition}"

    def directive(self, directive: Directive) -> Query:
        kind = DIRECTIVE_BODY[directive.name]
        pool = {"figure": self.index.figures, "finding": self.index.findings}.get(kind, self.index.recommendations)
        for ref in directive.ids:
            if ref.text not in pool:
                self.unknown(ref, kind)
        country = None
        if directive.country is not None:
            from wbbrief import countries

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
        return Query(directive.name, caption, country, survey, topic, question, ids)

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
