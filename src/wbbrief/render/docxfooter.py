"""The house identity in the Word file's footer (issue 19): the organisation and the user's footer
text at the left, the page number at the right, on every page; nothing when neither is given (a
brief names no tool by default). Added in the finish step as a part of its own, since the reference
document given to pandoc keeps no headers or footers of its own (``reference_doc``)."""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from html import escape

from wbbrief.base.errors import RenderError

PART = "word/footer1.xml"
_ID = "rIdWbFooter"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
_SECTION = re.compile(rb"<w:sectPr\b[^>]*?(/>|>)")


def footer_text(organisation: str, footer: str) -> str:
    """'Organisation · footer', as the PDF's running foot writes them."""
    return " · ".join(part for part in (organisation.strip(), footer.strip()) if part)


def add(parts: MutableMapping[str, bytes], text: str) -> list[str]:
    """Give the document a footer with ``text`` and the page number; the names of the parts added."""
    if not text:
        return []
    run = '<w:rPr><w:sz w:val="16"/></w:rPr>'  # 8 pt
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr xmlns:w="{_W}" xmlns:r="{_R}"><w:p>'
        '<w:pPr><w:tabs><w:tab w:val="right" w:pos="9026"/></w:tabs></w:pPr>'
        f'<w:r>{run}<w:t xml:space="preserve">{escape(text, quote=False)}</w:t></w:r><w:r>{run}<w:tab/></w:r>'
        f'<w:r>{run}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{run}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{run}<w:fldChar w:fldCharType="separate"/></w:r><w:r>{run}<w:t>1</w:t></w:r>'
        f'<w:r>{run}<w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>'
    )
    body = parts["word/document.xml"]
    sections = list(_SECTION.finditer(body))
    if not sections:
        raise RenderError("pandoc's Word file has no section properties to hang the footer on")
    last = sections[-1]
    reference = f'<w:footerReference w:type="default" r:id="{_ID}"/>'.encode()
    opened = (
        last.group(0)[:-2] + b">" + reference + b"</w:sectPr>" if last.group(1) == b"/>" else last.group(0) + reference
    )
    parts["word/document.xml"] = body[: last.start()] + opened + body[last.end() :]
    rels = parts["word/_rels/document.xml.rels"]
    link = f'<Relationship Id="{_ID}" Type="{_REL}" Target="footer1.xml"/>'.encode()
    parts["word/_rels/document.xml.rels"] = rels.replace(b"</Relationships>", link + b"</Relationships>")
    types = parts["[Content_Types].xml"]
    override = f'<Override PartName="/{PART}" ContentType="{_TYPE}"/>'.encode()
    parts["[Content_Types].xml"] = types.replace(b"</Types>", override + b"</Types>")
    parts[PART] = xml.encode("utf-8")
    return [PART]
