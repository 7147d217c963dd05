"""What ``check`` says about cross-references (document.xref): every label and every reference, located.

- a label that is not lowercase letters, digits and hyphens, or that is given twice, is an error;
- a reference to an unknown label is an error, with the nearest label as a suggestion;
- {numref} to what has no number (a heading whose text does not start with one, a table with no
  caption) and {ref} to what has no title (a table with no caption) are errors;
- {numref:form} with a form the document's language does not declare is an error;
- a label on a {chart} with a :view: (which draws several charts) is an error, and a reference to a
  label inside a {claim} or {only} block is a warning: where the block is left out, there is nothing
  to refer to and the brief is not rendered.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from wbbrief.base.record import record
from wbbrief.document.model import XREF_ROLES, Diagnostic, Document, Position
from wbbrief.document.xrefsyntax import HEADING_ATTRS, LABEL, role_form, section_number, split_target

if TYPE_CHECKING:
    from markdown_it.token import Token


@record
class Label:
    name: str
    kind: str  # "figure", "table" or "section"
    position: Position
    number: str = ""  # a section's, as its heading starts with it
    title: str = ""  # a section's title, a table's caption ("" for a chart: its title may come from the data)
    conditional: bool = False  # inside a {claim} or {only} block


def labels(document: Document) -> list[Label]:
    """Every label of a document, in document order, nested blocks included, each once; conditional if
    it is inside any {claim} or {only}. The parser merges a nested block's directives into its
    document's, so one pass over them sees every directive, and each block's own headings once
    (a walk into every block's blocks again would take time exponential in the depth)."""
    found = _headings(document)
    inside: set[tuple[str, Position]] = set()
    for directive in document.directives:
        if directive.label is not None:
            kind = "figure" if directive.name == "chart" else "table"
            title = directive.caption.text if directive.caption else ""
            found.append(Label(directive.label.text, kind, directive.label.position, "", title))
        if directive.body is None:
            continue
        found += _headings(directive.body)
        if directive.name in ("claim", "only"):
            inside |= {(h.name, h.position) for h in _headings(directive.body)}
            inside |= {(d.label.text, d.label.position) for d in directive.body.directives if d.label is not None}
    once: dict[tuple[str, Position], Label] = {}
    for label in found:
        key = (label.name, label.position)
        once.setdefault(key, replace(label, conditional=key in inside))
    return sorted(once.values(), key=lambda label: (label.position.line, label.position.col))


def heading_lines(document: Document) -> Iterator[tuple[int, str, Token]]:
    """Each of a document's own headings: its 0-based line, the text of that line, its inline token."""
    lines = document.source.split("\n")
    tokens: list[Token] = document.tokens
    for i, token in enumerate(tokens):
        if token.type != "heading_open" or token.map is None or i + 1 >= len(tokens):
            continue
        line = token.map[0]
        yield line, lines[line] if line < len(lines) else "", tokens[i + 1]


def _headings(document: Document) -> list[Label]:
    """The labels of a document's own headings ('## 2.1 Title {#label}'), not its blocks'."""
    found: list[Label] = []
    for line, text, inline in heading_lines(document):
        match = HEADING_ATTRS.search(inline.content)
        if match is None:
            continue
        col = text.find("{#" + match.group(1))
        number, title = section_number(inline.content[: match.start()])
        position = Position(line + 1, col + 1 if col >= 0 else 1)
        found.append(Label(match.group(1), "section", position, number, title))
    return found


def diagnostics(document: Document, file: str) -> list[Diagnostic]:
    """The problems of a document's labels and references."""
    out: list[Diagnostic] = []

    def add(position: Position, severity: str, code: str, message: str) -> None:
        out.append(Diagnostic(file, position, "error" if severity == "error" else "warning", code, message))

    known: dict[str, Label] = {}
    for label in labels(document):
        if not LABEL.match(label.name):
            shown = (
                f"bad label '{label.name}': a label is lowercase letters, digits and hyphens, starting with a letter"
            )
            add(label.position, "error", "bad-label", shown)
        elif label.name in known:
            first = known[label.name].position
            shown = f"the label '{label.name}' is given twice (first at line {first.line}, column {first.col})"
            add(label.position, "error", "duplicate-label", shown)
        else:
            known[label.name] = label
    for directive in document.directives:
        if directive.name == "chart" and directive.label is not None and directive.view is not None:
            add(directive.label.position, "error", "bad-label",
                f"a :view: draws several charts and the label '{directive.label.text}' names one; "
                "label a {chart} of one question (:question: or figure ids)")  # fmt: skip
    lang = document.front_matter.lang or "en"
    for role in document.roles:
        if role.name not in XREF_ROLES and not role.name.startswith("numref:"):
            continue
        explicit, name = split_target(role.target)
        if not name:
            continue  # parse reported the empty role
        form = role_form(role.name)
        if form:
            problem = _form_problem(form, lang)
            if problem:
                add(role.position, "error", "bad-role", f"{{{role.name}}}: {problem}")
        at = Position(role.target_position.line, role.target_position.col + role.target.find(name))
        target = known.get(name)
        if target is None:
            near = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
            hint = (
                f"; did you mean '{near[0]}'?"
                if near
                else ("" if known else "; a label is a heading's {#label} or a {chart}'s or {table}'s :name:")
            )
            add(at, "error", "unknown-label", f"unknown label '{name}'{hint}")  # fmt: skip
            continue
        if target.conditional:
            add(at, "warning", "conditional-label",
                f"the label '{name}' is inside a {{claim}} or {{only}} block: where the block is left out, the "
                "reference has nothing to point at and the brief is not rendered")  # fmt: skip
        numbered = role.name != "ref"
        if target.kind == "section" and numbered and not target.number:
            add(at, "error", "not-numbered",
                f"the heading labelled '{name}' has no number (its text does not start with one, as '## 2.1 Title' "
                f"does), so {{numref}} has none to show; use {{ref}}`{name}` for its title")  # fmt: skip
        elif target.kind == "table" and not target.title and (numbered or explicit is None):
            what = "no number ({numref} numbers only tables with a caption)" if numbered else "no caption to show"
            add(
                at,
                "error",
                "not-numbered",
                f"the table labelled '{name}' has {what}; give it one: ```{{table}} Caption",
            )
    from wbbrief.document.idcheck import problems  # labels against headings' automatic ids

    return out + problems(document, file)


def _form_problem(form: str, lang: str) -> str | None:
    """Why a form is not one of the document language's declared cases, or None."""
    from wbbrief.base.errors import UsageError
    from wbbrief.i18n.registry import language

    try:
        chosen = language(lang)
    except UsageError:
        return None  # the front matter's problem, reported there
    cases = chosen.texts.cases
    if form in cases:
        return None
    if not cases:
        return f"{chosen.name} declares no case forms; write {{numref}}"
    return f"unknown form '{form}'; {chosen.name} declares {', '.join(cases)}"
