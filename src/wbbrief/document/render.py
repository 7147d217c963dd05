"""A document's prose as an HTML fragment: escaped, numbers from the data, provenance notes numbered.

Roles render as the data shows them; each cited figure gets one numbered note (cited twice, the
same number). Links render only to http(s):, mailto: or '#anchors' (otherwise their text alone);
images only from the document's folder (PNG, JPEG, SVG), inlined as data: URIs so nothing is
fetched. Raw HTML is never passed through: markdown-it escapes it as text.

Directives are handed to ``directive_html``; without one, a directive shows as its source in a
code block, as any Markdown viewer shows it. (The charts and tables come with ``wbbrief render``.)
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from wbbrief.document.figures import FigureIndex, FigureRecord, change_text
from wbbrief.document.model import Directive, Document
from wbbrief.document.parse import image_problem, link_problem, markdown
from wbbrief.errors import RenderError

if TYPE_CHECKING:
    from markdown_it.token import Token

_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}


@dataclass(frozen=True)
class Note:
    number: int
    figure_id: str
    text: str


@dataclass
class Fragment:
    """The rendered body and the notes its roles cite, in order."""

    html: str
    notes: list[Note] = field(default_factory=list)

    def notes_html(self) -> str:
        items = "".join(
            f'<li id="note-{n.number}" data-figure="{html.escape(n.figure_id)}">{html.escape(n.text)}</li>'
            for n in self.notes
        )
        return f'<ol class="notes">{items}</ol>' if self.notes else ""


@dataclass
class _State:
    document: Document
    index: FigureIndex
    notes: dict[str, Note] = field(default_factory=dict)
    directives: dict[int, Directive] = field(default_factory=dict)

    def cite(self, figure: FigureRecord) -> str:
        note = self.notes.get(figure.id)
        if note is None:
            note = Note(len(self.notes) + 1, figure.id, self.index.note(figure))
            self.notes[figure.id] = note
        return f'<sup class="note-ref"><a href="#note-{note.number}">{note.number}</a></sup>'


def render_fragment(
    document: Document, index: FigureIndex, directive_html: Callable[[Directive], str] | None = None
) -> Fragment:
    """Render a document that ``check`` passed; a role it would have refused raises RenderError."""
    state = _State(document, index)
    by_line = {d.position.line: d for d in document.directives}
    from markdown_it.renderer import RendererHTML

    renderer = RendererHTML()  # our own, so the shared parser's renderer is never changed

    def role(tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        token = tokens[idx]
        return render_role(state, str(token.meta.get("name", "")), token.content.strip())

    def fence(tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        token = tokens[idx]
        directive = by_line.get(token.map[0] + 1) if token.map and token.info.strip().startswith("{") else None
        if directive is not None and directive_html is not None:
            return directive_html(directive)
        return f"<pre><code>{html.escape(token.content)}</code></pre>\n"

    def link_open(tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        token = tokens[idx]
        href = str(token.attrs.get("href", ""))
        if link_problem(href) is not None:
            token.meta["dropped"] = True
            return ""
        return f'<a href="{html.escape(href)}">'

    def link_close(tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        depth = 0  # find the matching link_open, to know whether it was dropped
        for j in range(idx - 1, -1, -1):
            if tokens[j].type == "link_close":
                depth += 1
            elif tokens[j].type == "link_open":
                if depth == 0:
                    return "" if tokens[j].meta.get("dropped") else "</a>"
                depth -= 1
        return ""

    def image(tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        token = tokens[idx]
        alt = renderer.renderInlineAsText(token.children or [], options, env)
        src = str(token.attrs.get("src", ""))
        return image_html(document, src, alt)

    def nothing(tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        return ""

    renderer.rules.update(
        cast(dict[str, Any], {
            "myst_role": role, "fence": fence, "link_open": link_open, "link_close": link_close,
            "image": image, "front_matter": nothing,
        })  # plain functions: the renderer calls rules as (tokens, idx, options, env)
    )  # fmt: skip
    body = renderer.render(document.tokens, markdown().options, {})
    return Fragment(body, list(state.notes.values()))


def render_role(state: _State, name: str, target: str) -> str:
    """One role as HTML: the figure's value (or answer, question, change) from the data."""
    if name == "latin":  # protected text (i18n.translit): shown as it is, without its marker
        return html.escape(target)
    figure = state.index.figures.get(target)
    if figure is None:
        raise RenderError(f"unknown figure id '{target}' (run `wbbrief check` on the document)")
    latest = state.index.latest(figure.id)
    if name == "stat":
        return f'<span class="stat">{html.escape(figure.text)}</span>{state.cite(figure)}'
    if name == "latest":
        shown = latest or figure
        return f'<span class="stat">{html.escape(shown.text)}</span>{state.cite(shown)}'
    if name == "change":
        if latest is None or figure.unit != "percent":
            raise RenderError(f"{{change}}`{target}`: no later edition of this share is loaded")
        return f'<span class="change">{html.escape(change_text(figure, latest))}</span>{state.cite(latest)}'
    if name == "answer":
        return html.escape(figure.answer)
    if name == "question":
        return html.escape(figure.question)
    raise RenderError(f"unknown role '{{{name}}}' (run `wbbrief check` on the document)")


def image_html(document: Document, src: str, alt: str) -> str:
    """An image from the document's folder, inlined; anything else shows as its alt text."""
    import urllib.parse

    from wbbrief.document.frontmatter import inside_folder

    if image_problem(document.folder, src) is not None:
        return html.escape(alt)
    path = inside_folder(document.folder, urllib.parse.unquote(src))
    if isinstance(path, str):
        return html.escape(alt)
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    mime = _MIME[path.suffix.lower()]
    return f'<img src="data:{mime};base64,{data}" alt="{html.escape(alt)}">'
