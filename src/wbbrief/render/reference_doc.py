"""A Word reference document is untrusted: only its look is taken, never its content or its links.

pandoc copies much of a ``--reference-doc`` into every file it writes: its ``word/media`` (a brief
exported earlier carries our chart names, so Word showed that brief's charts), its headers, its
relationships (``<w:attachedTemplate>`` with an external target makes Word fetch a URL when the
brief is opened) and its fields (``INCLUDEPICTURE``, ``INCLUDETEXT``). pandoc is therefore given
a copy that keeps only the styles, numbering, theme, fonts and page setup, after the archive's
directory has been checked against the zip-bomb limits (``base/limits.py``). What was left out is
said once, in one warning line on standard error.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from wbbrief.base import limits
from wbbrief.base.errors import DataError, UsageError

# The parts that carry the look of a document, and the relationships that tie them together.
KEEP = re.compile(
    r"\[Content_Types\]\.xml|_rels/\.rels|docProps/(?:app|core)\.xml"
    r"|word/(?:document|styles|stylesWithEffects|numbering|fontTable|settings|webSettings|footnotes)\.xml"
    r"|word/theme/theme\d*\.xml|word/_rels/(?:document|footnotes)\.xml\.rels"
)
_EXTERNAL = re.compile(rb"<Relationship\b[^>]*TargetMode\s*=\s*[\"']External[\"'][^>]*/>", re.I)
_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*/>", re.I)
_TARGET = re.compile(rb"""Target\s*=\s*["']([^"']*)["']""", re.I)
_OVERRIDE = re.compile(rb"""<Override\b[^>]*PartName\s*=\s*["']/?([^"']*)["'][^>]*/>""", re.I)
_ATTACHED = re.compile(rb"<w:attachedTemplate\b[^>]*/>|<w:mailMerge\b.*?</w:mailMerge>", re.S)
_FONT_EMBED = re.compile(rb"<w:embed(?:Regular|Bold|Italic|BoldItalic)\b[^>]*/>")
_FIELD = re.compile(
    rb"<w:fldSimple\b[^>]*INCLUDE(?:PICTURE|TEXT)[^>]*?(?:/>|>.*?</w:fldSimple>)"
    rb"|(<w:instrText\b[^>]*>)[^<]*INCLUDE(?:PICTURE|TEXT)[^<]*(</w:instrText>)",
    re.S | re.I,
)
_DOCUMENT_OPEN = re.compile(rb"<w:document\b[^>]*>")
_SECTION = re.compile(rb"<w:sectPr\b.*?</w:sectPr>|<w:sectPr\b[^>]*/>", re.S)
_HEADER_REF = re.compile(rb"<w:(?:header|footer)Reference\b[^>]*/>")

_WARNED: set[str] = set()


def read_parts(path: Path) -> dict[str, bytes]:
    """Every entry of the reference document, after its size and its zip directory are checked."""
    raw = limits.read_limited(path, limits.REFERENCE_BYTES, "reference document")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            limits.check_zip(archive, f"reference document '{path}'")
            kept = [info for info in archive.infolist() if KEEP.fullmatch(info.filename)]
            if sum(info.file_size for info in kept) > limits.REFERENCE_KEPT:  # pandoc holds these as XML trees
                limit = limits.size_text(limits.REFERENCE_KEPT)
                raise DataError(f"reference document '{path}': its styles, numbering, theme and fonts exceed {limit}")
            # Only what is kept is unpacked; the rest is named, for the warning.
            return {
                info.filename: limits.read_member(archive, info, str(path)) if info in kept else b""
                for info in archive.infolist()
            }
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as err:
        raise UsageError(f"reference document '{path}' is not a Word .docx file (a damaged zip archive)") from err


def sanitize(parts: dict[str, bytes]) -> tuple[dict[str, bytes], list[str]]:
    """The parts that give the look, cleaned; and what was left out, in words."""
    left_out: dict[str, int] = {}

    def note(what: str, count: int = 1) -> None:
        if count:
            left_out[what] = left_out.get(what, 0) + count

    kept: dict[str, bytes] = {}
    for name, data in parts.items():
        if not KEEP.fullmatch(name):
            note("media files" if name.startswith("word/media/") else "other parts (headers, footers, embeddings)")
            continue
        kept[name] = data
    for name, data in list(kept.items()):
        if name.endswith(".rels"):
            note("external links", len(_EXTERNAL.findall(data)))
            kept[name] = _filter_relationships(data, name, kept)
        else:
            found = _FIELD.findall(data)
            note("fields that fetch (INCLUDEPICTURE, INCLUDETEXT)", len(found))
            data = _FIELD.sub(lambda m: (m.group(1) or b"") + (m.group(2) or b""), data)
            if name == "word/settings.xml":
                note("an attached template", len(_ATTACHED.findall(data)))
                data = _ATTACHED.sub(b"", data)
            elif name == "word/fontTable.xml":
                data = _FONT_EMBED.sub(b"", data)
            elif name == "word/document.xml":
                data = _page_setup_only(data, note)
            kept[name] = data
    if "[Content_Types].xml" in kept:
        kept["[Content_Types].xml"] = _OVERRIDE.sub(
            lambda m: m.group(0) if m.group(1).decode("utf-8", "replace") in kept else b"",
            kept["[Content_Types].xml"],
        )
    return kept, [f"{what} ({count})" for what, count in left_out.items()]


def _filter_relationships(data: bytes, rels_name: str, kept: dict[str, bytes]) -> bytes:
    return _RELATIONSHIP.sub(lambda match: _keep_relationship(match.group(0), rels_name, kept), data)


def _keep_relationship(relationship: bytes, rels_name: str, kept: dict[str, bytes]) -> bytes:
    if _EXTERNAL.fullmatch(relationship):
        return b""
    target = _TARGET.search(relationship)
    if target is None:
        return b""
    folder = rels_name.replace("_rels/", "").removesuffix(".rels").rsplit("/", 1)[0]
    resolved = target.group(1).decode("utf-8", "replace").lstrip("/")
    if not target.group(1).startswith(b"/") and "/" in rels_name.replace("_rels/", ""):
        resolved = f"{folder}/{resolved}"
    return relationship if resolved in kept else b""


def _page_setup_only(document: bytes, note: Callable[..., None]) -> bytes:
    """word/document.xml with its body replaced by the page setup (the last section's sectPr)."""
    opening = _DOCUMENT_OPEN.search(document)
    sections = _SECTION.findall(document)
    section = _HEADER_REF.sub(b"", sections[-1]) if sections else b""
    if re.search(rb"<w:p\b|<w:tbl\b", document):
        note("body text")
    start = opening.group(0) if opening else b"<w:document>"
    declaration = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    return declaration + start + b"<w:body>" + section + b"</w:body></w:document>"


@contextlib.contextmanager
def sanitized(path: Path) -> Iterator[Path]:
    """A cleaned copy of the reference document, in a temporary folder removed afterwards."""
    parts, left_out = sanitize(read_parts(path))
    if "word/styles.xml" not in parts:
        raise UsageError(f"reference document '{path}' is not a Word .docx file (it has no word/styles.xml)")
    if left_out and str(path) not in _WARNED:
        _WARNED.add(str(path))
        message = f"wbbrief: warning: reference document '{path}': only its styles, numbering, theme, fonts and "
        sys.stderr.write(message + f"page setup are used; left out: {', '.join(left_out)}\n")
    with tempfile.TemporaryDirectory(prefix="wbbrief-reference-") as folder:
        copy = Path(folder) / "reference.docx"
        try:
            with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, data in parts.items():
                    archive.writestr(name, data)
        except OSError as err:
            raise DataError(f"cannot prepare the reference document '{path}': {err.strerror}") from err
        yield copy
