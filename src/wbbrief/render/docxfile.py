"""Running pandoc for ``docx``, and the edits it cannot make itself (see ``docx``): the charts'
real PNGs in place of their placeholders (``docxmedia``) with the SVG beside each, the pictures'
alt text, Word's own style names and table rows kept whole (``docxstyles``), the dates, and fixed
zip timestamps.
"""

from __future__ import annotations

import contextlib
import html
import io
import json
import re
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wbbrief.base import workers
from wbbrief.base.errors import RenderError, UsageError
from wbbrief.render import docxfooter, docxmedia, docxstyles

if TYPE_CHECKING:
    from wbbrief.render.word import WordFile

# Chart width on the page, in inches (its PNG fallback: docxmedia.CHART_DPI pixels to the inch).
CHART_WIDTH_IN = 6.0
CHART_DPI = docxmedia.CHART_DPI
SPLIT_FROM = 4  # charts: from this many, a second process draws some of them (a fork costs about 5 ms)
# The worker's share: it has a core to itself from the start, while this process starts pandoc and
# then shares the other core with it.
WORKER_SHARE = 0.5


# --- Running pandoc -------------------------------------------------------------------------------


def draw_pngs(svgs: Sequence[str]) -> dict[str, bytes]:
    return start_drawing(svgs)()


def start_drawing(svgs: Sequence[str]) -> Callable[[], dict[str, bytes]]:
    """Start drawing each chart's PNG; what it returns draws the rest and gives every PNG by its SVG.
    resvg holds the interpreter while it draws, so a forked worker starts at once on every other
    chart, on the second core, while this process goes on (starting pandoc, say) and then draws
    the rest; a few charts are drawn here alone."""
    if len(svgs) < SPLIT_FROM or not workers.available():
        return lambda: {svg: svg_to_png(svg) for svg in svgs}
    theirs, ours = _deal(svgs, WORKER_SHARE)
    worker = workers.beside(lambda: [svg_to_png(svg) for svg in theirs])

    def rest() -> dict[str, bytes]:
        try:
            drawn = {svg: svg_to_png(svg) for svg in ours}
        except BaseException:  # Ctrl-C, or a chart that cannot be drawn: nothing goes on drawing
            worker.stop()
            raise
        drawn.update(zip(theirs, worker.result(), strict=True))
        return drawn

    return rest


def _deal(svgs: Sequence[str], share: float) -> tuple[list[str], list[str]]:
    """The charts in two hands, the first holding about ``share`` of the work (an SVG's length
    stands for it): larger charts first, each to the hand furthest below its share."""
    hands: tuple[list[str], list[str]] = ([], [])
    weight = [0.0, 0.0]
    for svg in sorted(svgs, key=len, reverse=True):
        hand = 0 if weight[0] / share <= weight[1] / (1 - share) else 1
        hands[hand].append(svg)
        weight[hand] += len(svg)
    return hands


def svg_to_png(svg: str) -> bytes:
    return docxmedia.draw(svg)


def pandoc_path() -> str:
    """The pandoc binary bundled with pypandoc-binary."""
    try:
        import pypandoc

        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError) as err:
        raise RenderError("Word output needs pandoc: install wbbrief with its dependencies (pypandoc-binary)") from err


def default_reference_doc() -> Path:
    return Path(str(resources.files("wbbrief") / "templates" / "reference.docx"))


def check_reference_doc(path: Path) -> Path:
    """A reference document must be a .docx: a zip with word/styles.xml. Otherwise a usage error."""
    if not path.exists():
        raise UsageError(f"reference document '{path}' does not exist")
    if not path.is_file():
        raise UsageError(f"reference document '{path}' is not a file")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as err:
        raise UsageError(f"reference document '{path}' is not a Word .docx file (not a zip archive)") from err
    if "word/styles.xml" not in names:
        raise UsageError(f"reference document '{path}' is not a Word .docx file (it has no word/styles.xml)")
    return path


def run_pandoc(ast: dict[str, Any] | bytes, reference_doc: Path) -> bytes:
    """pandoc -f json -t docx --sandbox: the document (its AST, or that AST as JSON) in, the .docx
    out, nothing else read or fetched."""
    with pandoc_running(ast, reference_doc) as converted:
        return converted()


@contextlib.contextmanager
def pandoc_running(ast: dict[str, Any] | bytes, reference_doc: Path) -> Iterator[Callable[[], bytes]]:
    """pandoc started on ``ast``; inside, a call that waits for it and gives the .docx bytes.
    Leaving early (an error, Ctrl-C) stops pandoc.

    pandoc reads and writes files in a private temporary folder, not pipes, and everything Python
    does for it happens before it starts: while it runs this process may draw the charts, holding
    its GIL through each chart (``docx``), and a thread feeding pandoc would wait for it."""
    source = ast if isinstance(ast, bytes) else json.dumps(ast).encode("utf-8")
    argv = [pandoc_path(), "-f", "json", "-t", "docx", "--sandbox", f"--reference-doc={reference_doc}"]
    with tempfile.TemporaryDirectory(prefix="wbbrief-pandoc-") as folder:
        given, written, said = Path(folder, "in.json"), Path(folder, "out.docx"), Path(folder, "stderr")
        given.write_bytes(source)
        with said.open("wb") as errors:
            try:
                quiet = subprocess.DEVNULL
                process = subprocess.Popen(
                    [*argv, "-o", str(written), str(given)], stdin=quiet, stdout=quiet, stderr=errors
                )
            except OSError as err:
                raise RenderError(f"pandoc could not be started: {err.strerror}") from err

        def converted() -> bytes:
            code = process.wait()
            if code != 0:
                detail = said.read_bytes().decode("utf-8", "replace").strip().splitlines()
                raise RenderError(f"pandoc failed: {detail[-1] if detail else f'exit {code}'}")
            return written.read_bytes()

        try:
            yield converted
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


# --- Finishing the package ------------------------------------------------------------------------

_SVG_EXT = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
_SVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
_IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_PIC = re.compile(rb"<pic:pic>.*?</pic:pic>", re.S)


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def _targets(rels: bytes) -> dict[bytes, bytes]:
    """Relationship id -> target, from a .rels part (attributes in any order)."""
    out = {}
    for element in re.findall(rb"<Relationship\b[^>]*>", rels):
        rid, target = re.search(rb'\sId="([^"]+)"', element), re.search(rb'\sTarget="([^"]+)"', element)
        if rid and target:
            out[rid.group(1)] = target.group(1)
    return out


def finish(docx: bytes, file: WordFile, pngs: Mapping[str, bytes]) -> bytes:
    """pandoc's ``docx`` of ``file``, finished; ``pngs`` the real PNGs of the charts that reached
    pandoc as placeholders (``file.waiting``, ``docxmedia``), by SVG."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
    parts = dict(entries)
    body = parts["word/document.xml"]
    rels = parts["word/_rels/document.xml.rels"]
    added: list[tuple[str, bytes]] = []
    by_uri = {uri: (alt, svg) for uri, alt, svg in file.charts}
    svg_rel: dict[str, str] = {}  # PNG relationship id -> SVG relationship id
    targets = _targets(rels)
    media: dict[str, str] = {}  # package part -> the SVG whose real PNG goes there

    def picture(match: re.Match[bytes]) -> bytes:
        pic = match.group(0)
        described = re.search(rb'<pic:cNvPr descr="([^"]*)"', pic)
        blip = re.search(rb'<a:blip r:embed="(rId[0-9]+)" />', pic)
        if not described or not blip:
            return pic
        uri = described.group(1).decode("ascii", "replace")
        if uri not in by_uri:
            return pic
        alt, svg = by_uri[uri]
        pic = pic.replace(described.group(0), b'<pic:cNvPr descr="' + _attr(alt).encode("utf-8") + b'"')
        png_id = blip.group(1).decode("ascii")
        if svg in pngs and blip.group(1) in targets:
            media["word/" + targets[blip.group(1)].decode("utf-8")] = svg
        if png_id not in svg_rel:
            svg_rel[png_id] = f"rIdWbSvg{len(svg_rel) + 1}"
            added.append((f"word/media/{svg_rel[png_id]}.svg", svg.encode("utf-8")))
        extension = (
            f'<a:blip r:embed="{png_id}"><a:extLst><a:ext uri="{_SVG_EXT}">'
            f'<asvg:svgBlip xmlns:asvg="{_SVG_NS}" r:embed="{svg_rel[png_id]}" /></a:ext></a:extLst></a:blip>'
        )
        return pic.replace(blip.group(0), extension.encode("ascii"))

    parts["word/document.xml"] = _PIC.sub(picture, body)
    if set(media.values()) != set(pngs):
        raise RenderError("a chart's placeholder was not found in pandoc's file")
    docxmedia.swap(parts, media, pngs)
    docxstyles.restyle(parts)  # Word's own style names, table rows that never break across pages
    if svg_rel:
        links = "".join(
            f'<Relationship Type="{_IMAGE_REL}" Id="{svg_id}" Target="media/{svg_id}.svg" />'
            for svg_id in svg_rel.values()
        )
        parts["word/_rels/document.xml.rels"] = rels.replace(b"</Relationships>", links.encode() + b"</Relationships>")
        types = parts["[Content_Types].xml"]
        if b'Extension="svg"' not in types:
            svg_type = b'<Default Extension="svg" ContentType="image/svg+xml" />'
            parts["[Content_Types].xml"] = types.replace(b"</Types>", svg_type + b"</Types>")
    entries += [(name, parts[name]) for name in docxfooter.add(parts, file.footer)]  # the house (issue 19)
    stamp = f"{file.date.isoformat()}T00:00:00Z".encode()
    parts["docProps/core.xml"] = re.sub(
        rb"(<dcterms:(?:created|modified) [^>]*>)[^<]*", lambda m: m.group(1) + stamp, parts["docProps/core.xml"]
    )
    # Same bytes for the same input: entries in pandoc's order, one fixed timestamp, fixed modes.
    when = (max(file.date.year, 1980), file.date.month, file.date.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, _ in [*entries, *added]:
            info = zipfile.ZipInfo(name, date_time=when)
            # PNGs are compressed already: stored as they are (deflating them again took longer than pandoc).
            info.compress_type = zipfile.ZIP_STORED if name.endswith(".png") else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, parts[name] if name in parts else dict(added)[name], compresslevel=6)
    return out.getvalue()
