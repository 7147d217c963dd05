"""``wbbrief new`` and ``wbbrief render``: start from the bundled brief, render a document, watch it.

A document renders only after ``check`` finds no error in it, and the output is written whole
(``atomic.write_atomic``) or not at all: a broken document never leaves a partial file or
replaces an existing one.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wbbrief.base.record import record
from wbbrief.document.model import Diagnostic

if TYPE_CHECKING:
    from wbbrief.render.export import Typeset
from wbbrief.base.errors import RenderError, UsageError, WbbriefError

if TYPE_CHECKING:
    from wbbrief.document.tree import Brief

FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html", ".docx": "docx"}
DOCUMENT = "brief.md"


def new_document(folder: Path, country: str | None = None, force: bool = False, lang: str | None = None) -> Path:
    """Write ``folder/brief.md``: the bundled regional brief, or the country one with ``country:`` set,
    in a language (``lang:`` set; sr-Cyrl's is sr-Latn's transliterated)."""
    from wbbrief.i18n import Translator, language

    chosen = language(lang or "en")
    from wbbrief.base.atomic import write_atomic
    from wbbrief.dataset import countries
    from wbbrief.document.compose import bundled_path

    code = countries.resolve(country) if country else None
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"'{folder}' is a file; name a folder for the new brief")
    target = folder / DOCUMENT
    if (target.exists() or target.is_symlink()) and not force:
        raise UsageError(f"{target} already exists; use --force to replace it")
    source = bundled_path(code is not None, chosen.tag)
    if not source.is_file():
        raise RenderError(f"the bundled brief is not yet written in {chosen.name} ({chosen.tag})")
    text = source.read_text(encoding="utf-8")
    if chosen.transliteration:
        from wbbrief.query.localize import document_in_script

        text = document_in_script(text, Translator(chosen))
    if lang is not None:
        text = re.sub(r"(?m)^lang: .*$", f"lang: {chosen.tag}", text, count=1)
    if code is not None:
        text = re.sub(r"(?m)^country: .*$", f"country: {code}", text, count=1)
    folder.mkdir(parents=True, exist_ok=True)
    return write_atomic(target, text.encode("utf-8"))


@record
class RenderRequest:
    """What ``wbbrief render`` was asked: the document, the output and the options it overrides."""

    document: Path
    output: Path | None = None
    variant: str | None = None
    template_dir: Path | None = None
    data: tuple[Path, ...] = ()
    date: str | None = None
    reference_doc: Path | None = None
    lang: str | None = None  # overrides the front matter's lang:
    decimal: str | None = None

    def target(self) -> Path:
        return self.output or self.document.with_suffix(".pdf")

    def format(self) -> str:
        from wbbrief.base.atomic import is_stdout

        target = self.target()
        if is_stdout(target):
            return "pdf"
        found = FORMATS.get(target.suffix.lower())
        if found is None:
            raise UsageError(f"cannot tell the format of '{target}': name a .pdf, .html or .docx file")
        return found


@record(frozen=False)
class Rendered:
    path: Path
    seconds: float
    sections: dict[str, str]  # heading -> a digest of its part of the tree, for --watch
    data: tuple[Path, ...]  # the data files it read, for --watch


def render(request: RenderRequest) -> Rendered:
    """Check, render and write one document; raise (nothing written) if it has an error."""
    from wbbrief.base.atomic import check_target
    from wbbrief.base.samefile import refuse_input_as_output

    start = time.perf_counter()
    fmt = request.format()
    inputs = (request.document, *request.data, request.reference_doc, request.template_dir)
    refuse_input_as_output(request.target(), inputs)  # before anything is read
    check_target(request.target())
    if fmt in ("html", "docx"):  # no WeasyPrint worker for these
        return _render(request, start, None)
    from wbbrief.render.export import typesetter

    with typesetter() as typeset:  # WeasyPrint loads in a worker while the document is read
        return _render(request, start, typeset)


def _render(request: RenderRequest, start: float, typeset: Typeset | None) -> Rendered:
    from wbbrief.base.atomic import write_atomic
    from wbbrief.dataset.loading import load_bundle
    from wbbrief.document.check import check_document
    from wbbrief.document.figures import load_index
    from wbbrief.document.opening import open_document
    from wbbrief.render.brief import BriefOptions
    from wbbrief.render.export import parse_date

    path = request.document
    document = open_document(path)
    document = _in_script(document, request.lang)
    front = document.front_matter
    data = tuple(dict.fromkeys([*front.data, *request.data]))
    errors = [d for d in check_document(document, load_index(data), str(path)) if d.severity == "error"]
    if errors:
        raise DocumentError(errors)
    options = BriefOptions(
        date=parse_date(request.date) if request.date or front.date is None else front.date,
        country=front.country, variant=request.variant or front.variant or "ua",
        template_dir=request.template_dir, data=data, lang=request.lang, decimal=request.decimal,
    )  # fmt: skip
    if request.reference_doc is not None:
        from wbbrief.render.docx import check_reference_doc

        check_reference_doc(request.reference_doc)
    bundle = load_bundle(data)
    if request.format() == "docx":
        from wbbrief.render import docx
        from wbbrief.render.word import word_and_tree

        file, tree = word_and_tree(document, bundle, options)
        written = write_atomic(request.target(), docx.to_docx(file, request.reference_doc))
        return Rendered(written, time.perf_counter() - start, sections(tree), data)
    from wbbrief.render.html import page_and_tree

    page, tree = page_and_tree(document, bundle, options, for_print=typeset is not None)
    if typeset is None:
        from wbbrief.render import assets

        assets.check_references(page)
        payload = assets.inline_assets(page).encode("utf-8")
    else:
        from wbbrief.render.export import _attachments

        payload = typeset(page, options, _attachments(bundle, options))
    written = write_atomic(request.target(), payload)
    return Rendered(written, time.perf_counter() - start, sections(tree), data)


def _in_script(document: Any, lang: str | None) -> Any:
    """A document written in sr-Latn, rendered with --lang sr-Cyrl: its prose transliterated by code."""
    from wbbrief.document.parse import parse_document
    from wbbrief.i18n import Translator, language

    if lang is None or document.front_matter.lang is None:
        return document
    chosen = language(lang)
    try:
        written = language(document.front_matter.lang)
    except UsageError:
        return document
    if chosen.transliteration is None or chosen.derived_from != written.tag:
        return document
    from wbbrief.query.localize import document_in_script

    return parse_document(document_in_script(document.source, Translator(chosen)), document.path, str(document.path))


class DocumentError(RenderError):
    """The document has errors: the first as ``file:line:col: message``, and how many more."""

    def __init__(self, problems: list[Diagnostic]) -> None:
        self.problems = tuple(problems)  # each one, for `wbbrief preview`'s overlay
        first = problems[0]
        where = f"{first.file}:{first.position.line}:{first.position.col}"
        more = len(problems) - 1
        plural = "s" if more != 1 else ""
        rest = f" (and {more} more error{plural}: `wbbrief check {first.file}` lists them)" if more else ""
        super().__init__(f"{where}: {first.message}{rest}; nothing written")


def sections(brief: Brief) -> dict[str, str]:
    """Each section of the tree (cut at its headings) by a digest of its blocks. Note numbers
    and figure numbers shift with any change before them; the digest looks past them."""
    from wbbrief.document.tree import sections as cut

    return {name: hashlib.sha256(_stable(blocks).encode()).hexdigest() for name, blocks in cut(brief).items()}


def _stable(node: object) -> str:
    """A node's content without its note and figure numbers."""
    import dataclasses

    if isinstance(node, tuple | list):
        return "(" + ",".join(_stable(n) for n in node) + ")"
    if not dataclasses.is_dataclass(node) or isinstance(node, type):
        return repr(node)
    fields = [f.name for f in dataclasses.fields(node) if f.name not in ("number", "numbers", "notes")]
    return type(node).__name__ + "(" + ",".join(_stable(getattr(node, f)) for f in fields) + ")"


def changed_sections(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return [name for name, digest in after.items() if before.get(name) != digest] + [
        name for name in before if name not in after
    ]


def _mtimes(paths: Iterable[Path]) -> tuple[tuple[str, int], ...]:
    found = []
    for path in paths:
        try:
            found.append((str(path), path.stat().st_mtime_ns))
        except OSError:
            found.append((str(path), -1))
    return tuple(found)


def _forget_data() -> None:
    from wbbrief.dataset.loading import load_bundle
    from wbbrief.document.figures import load_index

    load_bundle.cache_clear()
    load_index.cache_clear()


def watch(
    request: RenderRequest,
    say: Callable[[str], None],
    interval: float = 0.1,
    sleep: Callable[[float], None] = time.sleep,
    rounds: int | None = None,
) -> None:
    """Render now and again whenever the document or its data change, until Ctrl-C.

    An error in the document is shown and the loop goes on; ``rounds`` (for tests) stops it
    after that many polls."""
    import weasyprint  # noqa: F401  (imported once: every render after the first is warm)

    request.format()  # a usage error stops the loop before it starts
    watched: tuple[Path, ...] = (request.document, *request.data)
    sections: dict[str, str] = {}
    seen: tuple[tuple[str, int], ...] | None = None
    polls = 0
    while rounds is None or polls < rounds:
        now = _mtimes(watched)
        if now != seen:
            if seen is not None and now[1:] != seen[1:]:
                _forget_data()  # a data file changed: read it again
            seen = now
            try:
                done = render(request)
            except WbbriefError as err:
                from wbbrief.render.formats import printable  # the message may quote the document

                say(printable(f"error: {err}"))
            else:
                changed = changed_sections(sections, done.sections) if sections else []
                what = f"; changed: {', '.join(changed)}" if changed else ("" if not sections else "; no change")
                say(f"rendered {done.path} in {done.seconds:.2f} s{what}")
                sections = done.sections
                watched = (request.document, *dict.fromkeys([*done.data, *request.data]))
                seen = _mtimes(watched)
        polls += 1
        if rounds is None or polls < rounds:
            sleep(interval)
