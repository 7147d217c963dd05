"""`check`'s problems with citations (issue 18): keys the bibliography lacks (with a hint), works
it lists that the document never cites, and bibliography or style files that do not parse (named
by their own line). No pandoc: the keys are read by ``document.bibliography``."""

from __future__ import annotations

from pathlib import Path

from wbbrief.document.bibliography import BibliographyError, read_keys, read_style
from wbbrief.document.model import Diagnostic, Document, Position
from wbbrief.document.syntax import did_you_mean


def shown(document: Document, file: str, path: Path) -> str:
    """A file of the document's folder as the document's own name shows it ('memo/references.bib')."""
    try:
        return str(Path(file).parent / path.relative_to(document.folder.resolve()))
    except ValueError:
        return str(path)


def bibliography_keys(document: Document, file: str) -> tuple[dict[str, tuple[str, Position]], list[Diagnostic]]:
    """Every key of the document's bibliography files (key -> (file shown, position)), and the files'
    problems, the style's among them."""
    front = document.front_matter
    keys: dict[str, tuple[str, Position]] = {}
    problems: list[Diagnostic] = []
    for path in front.bibliography:
        try:
            found = read_keys(path)
        except BibliographyError as err:
            problems.append(
                Diagnostic(shown(document, file, path), err.position, "error", "bad-bibliography", err.message)
            )
            continue
        for key, position in found.items():
            keys.setdefault(key, (shown(document, file, path), position))
    if front.bibliography or front.csl is not None:
        try:
            read_style(front.csl)
        except BibliographyError as err:
            where = shown(document, file, err.file) if front.csl is not None else str(err.file)
            problems.append(Diagnostic(where, err.position, "error", "bad-style", err.message))
    return keys, problems


def citation_problems(document: Document, file: str) -> list[Diagnostic]:
    front = document.front_matter
    if not front.bibliography:
        return [
            Diagnostic(file, site.position, "error", "no-bibliography",
                       f"citation '{site.text}' but the front matter names no 'bibliography:' file; "
                       "write '\\@' for an '@' that cites nothing")
            for site in document.citations
        ]  # fmt: skip
    keys, problems = bibliography_keys(document, file)
    if any(p.code == "bad-bibliography" for p in problems):
        return problems  # unknown and unused keys would only repeat the broken file's problem
    cited: set[str] = set()
    for site in document.citations:
        for key in site.keys:
            cited.add(key.text)
            if key.text not in keys:
                hint = did_you_mean(key.text, tuple(keys), "@", "")
                problems.append(Diagnostic(file, key.position, "error", "unknown-citation",
                                           f"unknown citation key '@{key.text}'{hint}"))  # fmt: skip
    for name, (where, position) in keys.items():
        if name not in cited:
            message = f"'{name}' is in the bibliography but the document never cites it"
            problems.append(Diagnostic(where, position, "warning", "unused-citation", message))
    return problems
