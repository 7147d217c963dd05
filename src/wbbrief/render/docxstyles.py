"""Word's own styles in place of pandoc's, and table rows that stay whole (part of ``docxfile.finish``).

pandoc styles paragraphs with names of its own ("First Paragraph", "Compact", "Image Caption",
"Table Caption", "Captioned Figure"). Someone editing the brief in Word looks for Word's built-in
styles, so each paragraph is moved to the style Word itself would use: Body Text, caption, List
Bullet or List Number, and for the text of table cells "Table Text"; the picture's paragraph is
"Figure". A paragraph moves only when the target style is defined in the file (the bundled
reference document defines them all; a house reference document may not, and then pandoc's style
stays). pandoc's converter styles left unused afterwards (and its syntax-highlighting styles) are
removed, so Word's style list shows only the brief's.

Tables: every row gets ``<w:cantSplit/>`` (a row never breaks across pages; the key findings
table's long rows used to) and the header row keeps pandoc's ``<w:tblHeader/>`` (repeated on
every page).
"""

from __future__ import annotations

import re

# pandoc's paragraph style (its styleId) -> the style a Word user knows, by styleId.
PARAGRAPH = {
    "FirstParagraph": "BodyText",
    "ImageCaption": "Caption",
    "TableCaption": "Caption",
    "CaptionedFigure": "Figure",
}
TABLE_TEXT, LIST_BULLET, LIST_NUMBER, BODY_TEXT = "TableText", "ListBullet", "ListNumber", "BodyText"
# Styles only pandoc's converter uses: removed from styles.xml when nothing refers to them.
CONVERTER = {
    "FirstParagraph", "Compact", "ImageCaption", "TableCaption", "CaptionedFigure", "Abstract",
    "AbstractTitle", "Definition", "DefinitionTerm", "FootnoteBlockText", "VerbatimChar", "SectionNumber",
    "SourceCode",
}  # fmt: skip

_PARAGRAPH = re.compile(rb"<w:p>(?:<w:pPr>.*?</w:pPr>)?", re.S)
_PSTYLE = re.compile(rb'<w:pStyle w:val="([^"]+)" />')
_NUM_ID = re.compile(rb'<w:numId w:val="(\d+)" />')
_STYLE = re.compile(rb"<w:style\b[^>]*>.*?</w:style>", re.S)
_STYLE_ID = re.compile(rb'w:styleId="([^"]+)"')
_USED = re.compile(rb'Style w:val="([^"]+)"')  # a literal prefix: fast on a large document.xml
_REFERENCE = re.compile(rb'<w:(?:pStyle|rStyle|tblStyle|basedOn|next|link) w:val="([^"]+)"')
_CELL = re.compile(rb"<w:tc>.*?</w:tc>", re.S)
_ROW = re.compile(rb"<w:tr>(<w:trPr>(.*?)</w:trPr>|<w:trPr />)?", re.S)


def defined(styles: bytes) -> set[str]:
    return {m.decode("utf-8") for m in _STYLE_ID.findall(styles)}


def bullet_lists(numbering: bytes) -> set[str]:
    """The numIds whose first level is a bullet, not a number."""
    bullets = set()
    formats: dict[bytes, bytes] = {}
    for abstract in re.finditer(rb'<w:abstractNum w:abstractNumId="(\d+)".*?</w:abstractNum>', numbering, re.S):
        first = re.search(rb'<w:lvl w:ilvl="0">.*?<w:numFmt w:val="([^"]+)"', abstract.group(0), re.S)
        formats[abstract.group(1)] = first.group(1) if first else b""
    for num in re.finditer(rb'<w:num w:numId="(\d+)"[^>]*>\s*<w:abstractNumId w:val="(\d+)"', numbering):
        if formats.get(num.group(2)) == b"bullet":
            bullets.add(num.group(1).decode())
    return bullets


def _restyle_paragraphs(xml: bytes, styles: set[str], bullets: set[str], in_cell: bool = False) -> bytes:
    def paragraph(match: re.Match[bytes]) -> bytes:
        head = match.group(0)
        found = _PSTYLE.search(head)
        if found is None:
            return head
        old = found.group(1).decode("utf-8")
        new = PARAGRAPH.get(old, "")
        if old == "Compact":
            numbered = _NUM_ID.search(head)
            if in_cell:
                new = TABLE_TEXT
            elif numbered:
                new = LIST_BULLET if numbered.group(1).decode() in bullets else LIST_NUMBER
            else:
                new = BODY_TEXT
        if not new or new not in styles:
            return head
        return head.replace(found.group(0), b'<w:pStyle w:val="' + new.encode() + b'" />', 1)

    if in_cell:
        return _PARAGRAPH.sub(paragraph, xml)
    # Paragraphs inside table cells first (their text is table text), then the rest.
    xml = _CELL.sub(lambda cell: _restyle_paragraphs(cell.group(0), styles, bullets, True), xml)
    return _PARAGRAPH.sub(paragraph, xml)


def rows_stay_whole(xml: bytes) -> bytes:
    """``<w:cantSplit/>`` in every table row's properties (added where a row has none)."""

    def row(match: re.Match[bytes]) -> bytes:
        inner = match.group(2) or b""
        if b"<w:cantSplit" in inner:
            return match.group(0)
        return b"<w:tr><w:trPr><w:cantSplit />" + inner + b"</w:trPr>"

    return _ROW.sub(row, xml)


def unused_converter_styles(styles: bytes, *parts: bytes) -> bytes:
    """styles.xml without pandoc's converter and highlighting styles that nothing refers to."""
    blocks: dict[str, bytes] = {}
    refers: dict[str, set[str]] = {}  # a style -> the styles it names (basedOn, next, link)
    for block in _STYLE.findall(styles):
        found = _STYLE_ID.search(block)
        if found is None:
            continue
        style_id = found.group(1).decode("utf-8")
        blocks[style_id] = block
        refers[style_id] = {m.decode("utf-8") for m in _REFERENCE.findall(block)} - {style_id}

    def removable(style_id: str) -> bool:
        return style_id in CONVERTER or (style_id.endswith("Tok") and b'w:customStyle="1"' in blocks[style_id])

    used = {m.decode("utf-8") for part in parts for m in _USED.findall(part)}  # pStyle, rStyle, tblStyle
    kept = set(blocks)
    while True:  # a style removed may have been the only one to name another
        named = used.union(*(refers[s] for s in kept))
        gone = {s for s in kept if removable(s) and s not in named}
        if not gone:
            break
        kept -= gone
    for style_id in set(blocks) - kept:
        styles = styles.replace(blocks[style_id], b"", 1)
    return styles


def restyle(parts: dict[str, bytes]) -> None:
    """Word's styles for pandoc's, table rows kept whole, unused converter styles removed: in place."""
    styles_xml = parts.get("word/styles.xml", b"")
    styles = defined(styles_xml)
    bullets = bullet_lists(parts.get("word/numbering.xml", b""))
    for name in ("word/document.xml", "word/footnotes.xml"):
        if name in parts:
            parts[name] = _restyle_paragraphs(parts[name], styles, bullets)
    parts["word/document.xml"] = rows_stay_whole(parts["word/document.xml"])
    if styles_xml:
        others = [parts[n] for n in ("word/document.xml", "word/footnotes.xml", "word/numbering.xml") if n in parts]
        parts["word/styles.xml"] = unused_converter_styles(styles_xml, *others)
