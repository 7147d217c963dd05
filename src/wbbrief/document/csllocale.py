"""CSL locales for the languages pandoc's citeproc carries none for: Albanian, Macedonian, Bosnian and
Montenegrin (issue 18's follow-up).

wbbrief ships one CSL 1.0.2 locale file per language (``wbbrief/styles/locales/locales-<tag>.xml``:
every term of the CSL project's American English locale, translated, and the date formats the
briefs print). pandoc reads only the files on its command line (``--sandbox``) and takes no locale
file of its own, so the locale goes *into the style*, as CSL's in-style localization allows: pandoc
is handed a copy of the style with our ``<locale>`` added, in a temporary folder, instead of the
style itself (the user's file is never changed).

citeproc merges a style's locales by rank: those for the document's exact language (``bs-BA``),
then, for a language CSL knows no primary dialect of (as for all four), those without a language,
then those for the bare language (``bs``); within a rank, in the style's order; American English
last. Ours names the bare language and goes in last, just before the root's end tag, so a locale
the style's author wrote wins over it term by term, whether it names the language or none, and ours
fills in every term theirs leave out, before citeproc's English can. Naming the language also makes
citeproc treat the document as Albanian, Bosnian... (no English title case).

The style is untrusted: it was checked by ``bibliography.read_style``; its bytes are read once more
(within the same size limit) and parsed by expat, with a DOCTYPE or entity refused again, to find
where its root element ends: the end tag expat reports, whatever its prefix, and never a
``</style>`` written in a comment, a CDATA section or after the root. Our locale goes in as
ASCII (other characters as character references), so it reads the same whatever encoding the
style's XML declaration names. Our own file is trusted: it ships with wbbrief.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from wbbrief.base import limits
from wbbrief.base.errors import DataError, RenderError

# The document's language -> the CSL locale wbbrief ships for it.
SHIPPED: dict[str, str] = {"sq": "sq-AL", "mk": "mk-MK", "bs": "bs-BA", "cnr": "cnr-ME"}
CSL_NS = "http://purl.org/net/xbiblio/csl"


def locale_file(tag: str) -> Path:
    return Path(str(resources.files("wbbrief") / "styles" / "locales" / f"locales-{tag}.xml"))


def in_style_locale(tag: str) -> bytes:
    """Our locale for ``tag``, as the element that goes into a style: for the bare language, in ASCII."""
    text = locale_file(tag).read_text(encoding="utf-8")
    body = text[text.index("<locale") :]
    body = re.sub(r"\s*<!--.*?-->", "", body, flags=re.S)
    body = re.sub(r"\s*<info>.*?</info>", "", body, flags=re.S)
    body = body.replace(f' xml:lang="{tag}"', f' xml:lang="{tag.split("-")[0]}"', 1).strip()
    return f"\n{body}\n".encode("ascii", "xmlcharrefreplace")


def root_end(raw: bytes, path: Path) -> int:
    """Where the style's root element's end tag begins, as a byte offset into ``raw``."""
    from xml.parsers import expat

    parser = expat.ParserCreate()

    def problem(message: str, offset: int | None = None) -> RenderError:
        if offset is None:
            line, col = parser.CurrentLineNumber, parser.CurrentColumnNumber + 1
        else:
            line, col = raw.count(b"\n", 0, offset) + 1, offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
        return RenderError(f"{path}:{line}:{col}: {message}")

    declared = re.search(rb"<!(?:DOCTYPE|ENTITY)", raw)
    if declared:
        raise problem("a DOCTYPE or entity is not allowed in a style", declared.start())
    depth = 0
    found: list[int] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        if depth > limits.BIBLIOGRAPHY_DEPTH:
            raise problem(f"the style's XML is nested more than {limits.BIBLIOGRAPHY_DEPTH} levels deep")

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1
        if depth == 0:
            found.append(parser.CurrentByteIndex)

    def refuse(*args: object) -> None:
        raise problem("a DOCTYPE or entity is not allowed in a style")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(raw, True)
    except expat.ExpatError as err:
        raise RenderError(
            f"{path}:{err.lineno}:{err.offset + 1}: not valid XML: {expat.ErrorString(err.code)}"
        ) from err
    if not found or raw[found[0] : found[0] + 2] != b"</":  # an empty root (<style/>) has no end tag
        raise problem("not a CSL style (its root has no end tag)", 0)
    return found[0]


def localized_style(style: Path, tag: str, into: Path) -> Path:
    """A copy of ``style`` in ``into`` with wbbrief's locale for ``tag`` inside it."""
    try:
        raw = limits.read_limited(style, limits.STYLE_BYTES, "CSL style")
    except DataError as err:
        raise RenderError(str(err)) from err
    at = root_end(raw, style)
    out = into / f"style-{tag}.csl"
    out.write_bytes(raw[:at] + in_style_locale(tag) + raw[at:])
    return out
