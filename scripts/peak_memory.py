"""Peak memory of wbbrief's commands on the worst inputs under 10 MB found so far (issue 22).

Usage: python scripts/peak_memory.py [NAME...]   (default: every case; prints one line per case)

Each case writes its input to a temporary folder, runs the command in a child process and reads the
child's peak resident set size (its workers included: the kernel adds up waited-for descendants).
The manual (docs/security.md) promises less than 1 GB for every command on any input under 10 MB; a case above it
exits 1.
"""

from __future__ import annotations

import os
import resource
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from wbbrief.base import limits

LIMIT_MB = 1024
HEADER = "id,survey,edition,country,topic,question,answer,value,unit,rank,year,source_page,footnote"
ROOT = Path(__file__).resolve().parents[1]
MB = 1024 * 1024
DOC = limits.DOCUMENT_BYTES - 1024  # just under the document limit: a bigger one is refused unread


def _png(width: int, height: int) -> bytes:
    """A real PNG of width x height grey pixels: rows of zeros compress to almost nothing."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = zlib.compress((b"\x00" + b"\x80" * width) * height, 9)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def _rows(count: int) -> str:
    return "\n".join(
        f"x-{n},asb,2023,AL,threats,Question number {n} about security,Answer {n},41.0,percent,,2023,12,"
        for n in range(count)
    )


def numbers_doc(folder: Path) -> list[str]:
    (folder / "d.md").write_text("# N\n\n" + "in 1999 " * (DOC // 8) + "\n", encoding="utf-8")
    return ["check", str(folder / "d.md")]


def emphasis_doc(folder: Path) -> list[str]:
    (folder / "d.md").write_text("# N\n\n" + "*" * (DOC // 2 - 8) + "x" + "*" * (DOC // 2 - 8) + "\n", encoding="utf-8")
    return ["check", str(folder / "d.md")]


def links_doc(folder: Path) -> list[str]:
    (folder / "d.md").write_text("# N\n\n" + "[a](http://x) " * (DOC // 14) + "\n", encoding="utf-8")
    return ["check", str(folder / "d.md")]


def prose_html(folder: Path) -> list[str]:
    paragraph = "Corruption tops the list of threats people name in the surveys of the region. " * 10
    (folder / "d.md").write_text("# N\n\n" + (paragraph + "\n\n") * (DOC // (len(paragraph) + 2)), encoding="utf-8")
    return ["render", str(folder / "d.md"), "-o", str(folder / "d.html")]


def prose_pdf(folder: Path) -> list[str]:
    paragraph = "Corruption tops the list of threats people name in the surveys of the region. " * 10
    (folder / "d.md").write_text("# N\n\n" + (paragraph + "\n\n") * (DOC // (len(paragraph) + 2)), encoding="utf-8")
    return ["render", str(folder / "d.md"), "-o", str(folder / "d.pdf")]


def image_pdf(folder: Path) -> list[str]:
    (folder / "big.png").write_bytes(_png(8000, 5000))  # at the pixel limit
    (folder / "d.md").write_text("# N\n\n![map](big.png)\n", encoding="utf-8")
    return ["render", str(folder / "d.md"), "-o", str(folder / "d.pdf")]


def image_html(folder: Path) -> list[str]:
    (folder / "big.jpg").write_bytes(b"\xff\xd8" + b"\x00" * (9 * MB))  # bytes, not pixels
    (folder / "d.md").write_text("# N\n\n![photo](big.jpg)\n", encoding="utf-8")
    return ["render", str(folder / "d.md"), "-o", str(folder / "d.html")]


def csv_validate(folder: Path) -> list[str]:
    text = HEADER + "\n" + _rows(9 * MB // 100)
    (folder / "d.csv").write_text(text[: 9 * MB], encoding="utf-8")
    return ["data", "validate", str(folder / "d.csv")]


def csv_short_rows(folder: Path) -> list[str]:
    row = "x{},asb,2023,AL,t,Q,A,1,percent,,2023,1,\n"
    lines = [row.format(n) for n in range((10 * MB - 200) // (len(row) + 4))]
    (folder / "d.csv").write_text(HEADER + "\n" + "".join(lines), encoding="utf-8")
    return ["data", "validate", str(folder / "d.csv")]


def csv_figures(folder: Path) -> list[str]:
    (folder / "d.csv").write_text(HEADER + "\n" + _rows(9 * MB // 100), encoding="utf-8")
    return ["figures", "--data", str(folder / "d.csv"), "-f", "csv"]


def xlsx_validate(folder: Path) -> list[str]:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "figures"
    sheet.append(HEADER.split(","))
    for n in range(50_000):  # 23 MB unpacked: just under the limit for a workbook
        sheet.append([f"x-{n}", "asb", 2023, "AL", "threats", f"Question {n}", f"Answer {n}", 41.0, "percent"])
    book.save(folder / "d.xlsx")
    return ["data", "validate", str(folder / "d.xlsx")]


def reference_docx(folder: Path) -> list[str]:
    base = ROOT / "templates" / "reference.docx"
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(folder / "house.docx", "w", zipfile.ZIP_DEFLATED) as out:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/styles.xml":  # padded with a comment up to the limit for what pandoc reads
                noise = os.urandom(limits.REFERENCE_KEPT).hex().encode()[: limits.REFERENCE_KEPT - 60_000 - len(data)]
                data = data.replace(b"</w:styles>", b"<!--" + noise + b"--></w:styles>")
            out.writestr(name, data)
    return ["export-docx", "--reference-doc", str(folder / "house.docx"), "-o", str(folder / "d.docx")]


def too_big_doc(folder: Path) -> list[str]:
    (folder / "d.md").write_text("*" * (9 * MB), encoding="utf-8")
    return ["render", str(folder / "d.md"), "-o", str(folder / "d.pdf")]


CASES: dict[str, Callable[[Path], list[str]]] = {
    "render-9mb-document": too_big_doc,
    "check-numbers": numbers_doc,
    "check-emphasis": emphasis_doc,
    "check-links": links_doc,
    "render-html-prose": prose_html,
    "render-pdf-prose": prose_pdf,
    "render-pdf-image": image_pdf,
    "render-html-image": image_html,
    "validate-csv": csv_validate,
    "validate-csv-short-rows": csv_short_rows,
    "figures-csv": csv_figures,
    "validate-xlsx": xlsx_validate,
    "export-docx-reference": reference_docx,
}


def measure(argv: list[str]) -> tuple[float, float, int, str]:
    """(peak MB, seconds, exit code, last stderr line) of ``wbbrief argv`` in a child process."""
    probe = (  # 4 GB of address space at most: a regression fails the case instead of the machine
        "import resource, subprocess, sys; "
        "resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30)); "
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode); "
        "sys.stderr.write(r.stderr.decode('utf-8', 'replace')[-300:])"
    )
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", probe, sys.executable, "-m", "wbbrief", *argv], capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    peak_kb, code = done.stdout.split()
    last = (done.stderr.strip().splitlines() or [""])[-1][:100]
    return int(peak_kb) / 1024, seconds, int(code), last


def main(names: list[str]) -> int:
    worst = 0.0
    for name in names or list(CASES):
        with tempfile.TemporaryDirectory() as folder:
            argv = CASES[name](Path(folder))
            size = sum(p.stat().st_size for p in Path(folder).iterdir()) / MB
            peak, seconds, code, last = measure(argv)
        worst = max(worst, peak)
        print(f"{name:24} input {size:5.1f} MB  peak {peak:7.1f} MB  {seconds:6.1f} s  exit {code}  {last}", flush=True)
    print(f"worst peak: {worst:.1f} MB (limit {LIMIT_MB} MB)")
    return 0 if worst < LIMIT_MB else 1


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sys.exit(main(sys.argv[1:]))
