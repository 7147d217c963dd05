"""Build templates/reference.docx: pandoc's default reference document in the brief's look.

Run: `.venv/bin/python scripts/make_reference_docx.py` (commit the result). Starts from
`pandoc --print-default-data-file reference.docx` and edits its theme and styles the way
templates/brief.css styles the print brief: DejaVu Serif for text, DejaVu Sans for headings,
tables and small print, the brief's blue for headings, links and rules, its orange for the cover's
figures. Adds the styles wbbrief.render.docx uses (Source, Headline Figure, Headline Value) and the
Word built-in styles that render/docxstyles.py moves pandoc's paragraphs to (List Bullet, List
Number, Table Grid, with Table Text), under Word's own names. Same pandoc, same bytes: entries keep
their order and get one fixed timestamp.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "templates" / "reference.docx"
BLUE, ORANGE, GREY, INK = "1F4E79", "C2611F", "5F6368", "1B1B1B"  # templates/brief.css
SANS, SERIF = "DejaVu Sans", "DejaVu Serif"


def fonts(face: str) -> str:
    return f'<w:rFonts w:ascii="{face}" w:hAnsi="{face}" w:cs="{face}" w:eastAsia="{face}" />'


NEW_STYLES = f"""
  <w:style w:type="paragraph" w:customStyle="1" w:styleId="Source">
    <w:name w:val="Source" />
    <w:basedOn w:val="Normal" />
    <w:next w:val="BodyText" />
    <w:qFormat />
    <w:pPr><w:spacing w:before="40" w:after="240" /></w:pPr>
    <w:rPr>{fonts(SANS)}<w:color w:val="{GREY}" /><w:sz w:val="15" /><w:szCs w:val="15" /></w:rPr>
  </w:style>
  <w:style w:type="paragraph" w:customStyle="1" w:styleId="HeadlineFigure">
    <w:name w:val="Headline Figure" />
    <w:basedOn w:val="Normal" />
    <w:qFormat />
    <w:pPr><w:pBdr><w:top w:val="single" w:sz="6" w:space="4" w:color="C9C2B4" /></w:pBdr>
      <w:spacing w:before="120" w:after="120" /></w:pPr>
    <w:rPr><w:sz w:val="19" /><w:szCs w:val="19" /></w:rPr>
  </w:style>
  <w:style w:type="table" w:default="0" w:styleId="TableNormal">
    <w:name w:val="Normal Table" />
    <w:uiPriority w:val="99" />
    <w:semiHidden />
    <w:unhideWhenUsed />
    <w:tblPr><w:tblInd w:w="0" w:type="dxa" />
      <w:tblCellMar><w:top w:w="0" w:type="dxa" /><w:left w:w="108" w:type="dxa" />
        <w:bottom w:w="0" w:type="dxa" /><w:right w:w="108" w:type="dxa" /></w:tblCellMar></w:tblPr>
  </w:style>
  <w:style w:type="table" w:styleId="TableGrid">
    <w:name w:val="Table Grid" />
    <w:basedOn w:val="TableNormal" />
    <w:uiPriority w:val="39" />
    <w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto" /></w:pPr>
    <w:tblPr><w:tblBorders>
      <w:top w:val="single" w:sz="4" w:space="0" w:color="auto" />
      <w:left w:val="single" w:sz="4" w:space="0" w:color="auto" />
      <w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto" />
      <w:right w:val="single" w:sz="4" w:space="0" w:color="auto" />
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto" />
      <w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto" />
    </w:tblBorders></w:tblPr>
  </w:style>
  <w:style w:type="paragraph" w:customStyle="1" w:styleId="TableText">
    <w:name w:val="Table Text" />
    <w:basedOn w:val="Normal" />
    <w:qFormat />
    <w:pPr><w:spacing w:before="36" w:after="36" /></w:pPr>
  </w:style>
  <w:style w:type="paragraph" w:styleId="ListBullet">
    <w:name w:val="List Bullet" />
    <w:basedOn w:val="BodyText" />
    <w:uiPriority w:val="99" />
    <w:unhideWhenUsed />
    <w:qFormat />
    <w:pPr><w:spacing w:before="36" w:after="36" /></w:pPr>
  </w:style>
  <w:style w:type="paragraph" w:styleId="ListNumber">
    <w:name w:val="List Number" />
    <w:basedOn w:val="BodyText" />
    <w:uiPriority w:val="99" />
    <w:unhideWhenUsed />
    <w:qFormat />
    <w:pPr><w:spacing w:before="36" w:after="36" /></w:pPr>
  </w:style>
  <w:style w:type="character" w:customStyle="1" w:styleId="HeadlineValue">
    <w:name w:val="Headline Value" />
    <w:basedOn w:val="DefaultParagraphFont" />
    <w:qFormat />
    <w:rPr>{fonts(SANS)}<w:b /><w:bCs /><w:color w:val="{ORANGE}" /><w:sz w:val="44" /><w:szCs w:val="44" /></w:rPr>
  </w:style>
"""


def edit_theme(xml: str) -> str:
    xml = re.sub(r'(<a:majorFont>\s*<a:latin typeface=")[^"]*', rf"\g<1>{SANS}", xml)
    xml = re.sub(r'(<a:minorFont>\s*<a:latin typeface=")[^"]*', rf"\g<1>{SERIF}", xml)
    return re.sub(r"(<a:accent1>\s*<a:srgbClr val=\")[0-9A-Fa-f]{6}", rf"\g<1>{BLUE}", xml)


def style_block(xml: str, style_id: str) -> tuple[int, int]:
    start = xml.index(f'w:styleId="{style_id}"')
    start = xml.rindex("<w:style ", 0, start)
    return start, xml.index("</w:style>", start) + len("</w:style>")


def edit_styles(xml: str) -> str:
    # Body: DejaVu Serif 10 pt in the brief's ink; explicit fonts, not theme fonts, so LibreOffice agrees.
    xml = re.sub(r"<w:rFonts w:asciiTheme=\"minorHAnsi\"[^>]*/>", fonts(SERIF), xml, count=1)
    xml = xml.replace(
        '<w:sz w:val="24" />\n        <w:szCs w:val="24" />', '<w:sz w:val="20" /><w:szCs w:val="20" />', 1
    )
    xml = xml.replace(fonts(SERIF), fonts(SERIF) + f'<w:color w:val="{INK}" />', 1)  # schema order: after rFonts
    # Headings, title and captions in DejaVu Sans; headings and title in the brief's blue.
    for style_id in [f"Heading{n}" for n in range(1, 10)] + ["Title", "Subtitle", "TableCaption", "ImageCaption"]:
        start, end = style_block(xml, style_id)
        block = re.sub(r'<w:rFonts w:asciiTheme="majorHAnsi"[^>]*/>', fonts(SANS), xml[start:end])
        if "<w:rFonts" not in block:
            block = block.replace("<w:rPr>", "<w:rPr>" + fonts(SANS), 1)
        block = re.sub(r"<w:color [^>]*/>", f'<w:color w:val="{BLUE}" />', block)
        if "<w:color" not in block:
            block = block.replace(fonts(SANS), fonts(SANS) + f'<w:color w:val="{BLUE}" />', 1)
        xml = xml[:start] + block + xml[end:]
    xml = re.sub(r'(w:styleId="Hyperlink">.*?<w:color )[^>]*/>', rf'\g<1>w:val="{BLUE}" />', xml, count=1, flags=re.S)
    # The "Table" style: sans, smaller, a blue rule under the header row and hairlines between rows.
    start, end = style_block(xml, "Table")
    table = xml[start:end]
    table = table.replace(
        "<w:tblPr>", "<w:rPr>" + fonts(SANS) + '<w:sz w:val="17" /><w:szCs w:val="17" /></w:rPr><w:tblPr>', 1
    )
    # Word rejects elements out of schema order ("unreadable content"): tblBorders follows tblInd,
    # and its borders go top, left, bottom, right, insideH, insideV. The style is based on Table
    # Grid (builtin_names): the grid lines the brief does not draw are turned off here.
    hairline = 'w:val="single" w:sz="4" w:space="0" w:color="D8D8D8"'
    table = table.replace(
        '<w:tblInd w:w="0" w:type="dxa" />',
        '<w:tblInd w:w="0" w:type="dxa" /><w:tblBorders><w:top w:val="nil" /><w:left w:val="nil" />'
        f'<w:bottom {hairline} /><w:right w:val="nil" /><w:insideH {hairline} /><w:insideV w:val="nil" />'
        "</w:tblBorders>",
        1,
    )
    table = table.replace(
        '<w:bottom w:val="single"/>', f'<w:bottom w:val="single" w:sz="8" w:space="0" w:color="{BLUE}" />'
    )
    table = table.replace(
        '<w:tblStylePr w:type="firstRow">', '<w:tblStylePr w:type="firstRow"><w:rPr><w:b /><w:bCs /></w:rPr>', 1
    )
    xml = xml[:start] + table + xml[end:]
    # Footnotes as the print brief's notes (ol.endnotes): 8.5 pt, a small gap between them. With
    # Normal's 10 pt after each, a page's notes took the room of several table rows, and LibreOffice
    # left a gap under the key findings table where a row would not fit beside its note.
    start, end = style_block(xml, "FootnoteText")
    spacing = '<w:pPr><w:spacing w:before="0" w:after="60" /></w:pPr>'
    note = xml[start:end].replace(
        "\n  </w:style>", f'\n    {spacing}<w:rPr><w:sz w:val="17" /><w:szCs w:val="17" /></w:rPr>\n  </w:style>', 1
    )
    xml = xml[:start] + note + xml[end:]
    return builtin_names(xml).replace("</w:styles>", NEW_STYLES + "</w:styles>")


# Word knows its built-in styles by these names (python-docx too: styles["Caption"] looks up
# "caption"); pandoc's reference document spells some of them its own way.
BUILTIN_NAMES = {"Caption": "caption", "FootnoteText": "footnote text", "FootnoteReference": "footnote reference"}


def builtin_names(xml: str) -> str:
    """Word's names for its built-in styles; the table style pandoc uses ("Table") becomes the
    brief's named table style, based on Word's Table Grid with the grid lines it does not draw
    turned off; captions keep with what they caption; the figure's paragraph is "Figure"."""
    for style_id, name in BUILTIN_NAMES.items():
        start, end = style_block(xml, style_id)
        block = re.sub(r'<w:name w:val="[^"]*" />', f'<w:name w:val="{name}" />', xml[start:end], count=1)
        xml = xml[:start] + block + xml[end:]
    start, end = style_block(xml, "Table")
    table = xml[start:end].replace('<w:name w:val="Table" />', '<w:name w:val="Brief Table" />', 1)
    table = table.replace('<w:basedOn w:val="TableNormal" />', '<w:basedOn w:val="TableGrid" />', 1)
    table = table.replace("<w:semiHidden />\n    <w:unhideWhenUsed />\n    ", "", 1)
    xml = xml[:start] + table + xml[end:]
    start, end = style_block(xml, "Caption")
    caption = xml[start:end].replace("<w:pPr>", "<w:pPr>\n      <w:keepNext />", 1)
    return xml[:start] + caption + xml[end:]


def main() -> None:
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    default = subprocess.run(
        [pandoc, "--print-default-data-file", "reference.docx"], capture_output=True, check=True
    ).stdout
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(default)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/styles.xml":
                data = edit_styles(data.decode("utf-8")).encode("utf-8")
            elif info.filename == "word/theme/theme1.xml":
                data = edit_theme(data.decode("utf-8")).encode("utf-8")
            elif info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified) [^>]*>)[^<]*", rb"\g<1>2022-12-01T00:00:00Z", data)
            entry = zipfile.ZipInfo(info.filename, date_time=(2022, 12, 1, 0, 0, 0))
            entry.external_attr = 0o644 << 16
            entry.create_system = 3
            target.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    OUT.write_bytes(out.getvalue())
    print(f"wrote {OUT.relative_to(ROOT)} ({len(out.getvalue())} bytes, pandoc {pypandoc.get_pandoc_version()})")


if __name__ == "__main__":
    sys.exit(main())
