"""A fenced directive (```` ```{name} ````) as parse reads it: its caption, options, ids and, for
``{claim}`` and ``{only}``, its Markdown body, each located; its problems reported."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from wbbrief.document.model import (
    CAPTIONED,
    DIRECTIVE_BODY,
    DIRECTIVE_OPTIONS,
    DIRECTIVES,
    Directive,
    Located,
    Position,
)
from wbbrief.document.syntax import did_you_mean, option_list

if TYPE_CHECKING:
    from markdown_it.token import Token

    from wbbrief.document.parse import _Parser


def read_directive(self: _Parser, token: Token) -> None:
    assert token.map is not None
    fence_line = token.map[0]
    source = self.lines[fence_line]
    fence_col = len(source) - len(source.lstrip()) + 1
    position = Position(fence_line + 1, fence_col)
    info = token.info.strip()
    match = re.match(r"\{([^{}]*)\}\s*(.*)", info)
    name = match.group(1).strip() if match else info
    argument = match.group(2).strip() if match else ""
    if name not in DIRECTIVES:
        self.problem(position, "unknown-directive", f"unknown directive '{{{name}}}'{did_you_mean(name, DIRECTIVES)}")
        return
    caption = None
    if argument:
        at = Position(fence_line + 1, source.find(argument) + 1)
        if name in CAPTIONED:
            caption = Located(argument, at)
        else:
            self.problem(at, "bad-directive", f"{{{name}}} takes no caption after its name")
    allowed = DIRECTIVE_OPTIONS[name]
    options: dict[str, Located] = {}
    ids: list[Located] = []
    content = token.content.split("\n")
    body_kind = DIRECTIVE_BODY[name]
    body_from = len(content)
    if name == "table" and any(line.lstrip().startswith("|") for line in content):
        body_kind = "markdown"  # a {table} wrapping a Markdown table, as MyST's (document.xref)
    if body_kind == "markdown":
        # Options at the top, then the block's Markdown (after a blank line, or directly).
        body_from = next(
            (k for k, line in enumerate(content) if not re.match(r"\s*:[^:\s]*:(\s|$)", line)), len(content)
        )
    for i, body_line in enumerate(content[:body_from]):
        index = fence_line + 1 + i
        line_source = self.lines[index] if index < len(self.lines) else body_line
        stripped = body_line.strip()
        if not stripped:
            continue
        col = line_source.find(stripped) + 1 if stripped in line_source else 1
        option = re.fullmatch(r":([^:\s]*):(?:\s+(.*))?", stripped)
        if option:
            key, value = option.group(1), (option.group(2) or "").strip()
            at = Position(index + 1, col)
            if ids:
                self.problem(at, "bad-option", "options go at the top of the directive, before any id")
            elif key == "name" and key not in allowed:
                self.problem(at, "bad-label", f"{{{name}}} cannot be labelled: a label (':name:') goes on a "
                             "{chart}, a {table} or a heading ('## Title {#label}'), which are numbered")  # fmt: skip
            elif key not in allowed:
                hint = did_you_mean(key, allowed, ":", ":")
                if not hint:
                    hint = f"; {{{name}}} takes {option_list(allowed)}" if allowed else f"; {{{name}}} takes no options"
                self.problem(at, "unknown-option", f"unknown option ':{key}:' for {{{name}}}{hint}")
            elif key in options:
                self.problem(at, "bad-option", f"the option ':{key}:' is given twice")
            elif not value:
                self.problem(at, "bad-option", f"the option ':{key}:' needs a value")
            else:
                value_col = col + stripped.index(value, len(key) + 2)
                options[key] = Located(value, Position(index + 1, value_col))
            continue
        for item in re.finditer(r"[^\s,]+", stripped):
            ids.append(Located(item.group(0), Position(index + 1, col + item.start())))
    body = None
    if body_kind == "markdown":
        # The block's Markdown, parsed on its own but with the file's line numbers.
        first = fence_line + 1 + body_from
        from wbbrief.base import limits
        from wbbrief.document.parse import _Parser

        if self.depth >= limits.NESTING:
            self.problem(position, "too-deep", f"directives are nested more than {limits.NESTING} levels deep")
            return
        sub = _Parser("\n" * first + "\n".join(content[body_from:]), self.path, self.file)
        sub.depth = self.depth + 1
        body = sub.run()
        for kind in ("roles", "numbers", "directives", "citations", "problems"):
            getattr(self.doc, kind).extend(getattr(body, kind))
        if not "".join(content[body_from:]).strip():
            self.problem(position, "bad-directive", f"{{{name}}} needs a paragraph to show, after its options")
        elif name == "table":
            from wbbrief.document.xref import table_body_problem

            others = [f":{key}:" for key in options if key != "name"]
            problem = table_body_problem(body) or (
                f"a {{table}} that holds a Markdown table takes only :name:, not {', '.join(others)}"
                if others
                else None
            )
            if problem:
                self.problem(position, "bad-directive", problem)
    elif body_kind == "none" and ids:
        self.problem(ids[0].position, "bad-directive", f"{{{name}}} takes no ids")
        ids = []
    fields = {"label" if key == "name" else key.replace("-", "_"): value for key, value in options.items()}
    directive = Directive(name, position, caption, ids=tuple(ids), body=body, **fields)
    if name == "claim" and directive.holds_if is None:
        self.problem(position, "bad-directive", "{claim} needs a :holds-if: condition (or a finding id)")
    if name == "only" and not options:
        self.problem(
            position, "bad-directive",
            "{only} needs a condition: :country:, :not-country:, :newer-edition: or :other-figures:",
        )  # fmt: skip
    if ids and directive.has_query:
        self.problem(
            position, "bad-directive",
            f"{{{name}}} takes either {DIRECTIVE_BODY[name]} ids or filter options, not both",
        )  # fmt: skip
    elif name == "chart" and not ids and not directive.has_query:
        self.problem(position, "bad-directive", "{chart} needs figure ids, one a line, or a :question: or :topic:")
    self.doc.directives.append(directive)
